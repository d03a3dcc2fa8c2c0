/* Unit tests for the FEAT_LSE atomics (LD<op>, ST<op>, SWP, CAS, CASP),
 * FEAT_LRCPC's LDAPR and the unprivileged LDTR/STTR family.
 *
 * Every instruction word is hand-encoded from the Arm ARM encoding
 * diagrams by the encoders below and checked against an independent
 * decoder before use. Capstone 4.0.2 predates FEAT_LSE and FEAT_LRCPC (it
 * has no LDADD, SWP, CAS, CASP or LDAPR), so those words are checked
 * against GNU objdump from binutils-aarch64-linux-gnu (a required package,
 * scripts/deps.sh) with G(); words Capstone knows are checked with
 * Capstone, A(), as tests/unit/test_cpu.c does. Expected results are
 * derived by hand from the Arm ARM pseudocode (MemAtomic, the CAS and CASP
 * execute sections, LDTR's unprivileged load), never from running the
 * code under test.
 *
 * A PE runs from RAM at 0x4000_0000 with the MMU off (VA == PA); each
 * program ends with WFI so that cpu_run() stops there. Each program gets
 * fresh code addresses: the test writes RAM behind the PE's back, which
 * must never hold code the PE already decoded. */
#include "cpu/mnemonic.h"
#include "cpu/cost.h"
#include "cpu/cpu.h"
#include "cpu/profile.h"
#include "sim/bus.h"

#include <capstone.h>
#include <check.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RAM_BASE   0x40000000ull
#define RAM_SIZE   (1ull << 20)
#define CODE       RAM_BASE
#define DATA       (RAM_BASE + 0x80000ull) /* a page no code ever lives in */
#define SLOT       (DATA + 16)             /* the operand: 16-byte aligned */
#define GUARD_LEN  48                      /* bytes from DATA that a test watches */
#define GUARD      0xA5
#define UNMAPPED   0x1000ull    /* neither RAM nor a device */
#define DEVICE     0x9000000ull /* the test device's window */
#define RUN_CYCLES 1000000ull

#define OBJDUMP "aarch64-linux-gnu-objdump"

/* ---- The rig: one PE on a bus with RAM and one recording device -------- */

struct dev_access {
    bool write;
    uint64_t offset;
    unsigned size;
    uint64_t value;
};

/* A device register that reads as dev_value and logs every access;
 * dev_refuse_write makes it reject writes (a slave error). */
static struct dev_access dev_log[8];
static unsigned dev_count;
static uint64_t dev_value;
static bool dev_refuse_write;

static struct bus *bus;
static struct code_cache *cc;
static struct cpu *pe;
static csh cs;
static uint64_t code_next;

static void dev_record(bool write, uint64_t offset, unsigned size, uint64_t value)
{
    if (dev_count < sizeof(dev_log) / sizeof(dev_log[0]))
        dev_log[dev_count] = (struct dev_access){write, offset, size, value};
    dev_count++;
}

static bool dev_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    (void)opaque;
    dev_record(false, offset, size, 0);
    *value = dev_value;
    return true;
}

static bool dev_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    (void)opaque;
    dev_record(true, offset, size, value);
    return !dev_refuse_write;
}

static const struct mmio_ops dev_ops = {dev_read, dev_write};

static void setup(void)
{
    bus = bus_new(RAM_BASE, RAM_SIZE);
    ck_assert_ptr_nonnull(bus);
    bus_map_mmio(bus, "testdev", DEVICE, 0x1000, &dev_ops, NULL);
    cc = code_cache_new(bus, &cost_default);
    ck_assert_ptr_nonnull(cc);
    pe = cpu_new(&(struct cpu_config){.index = 0,
                                      .mpidr = 1ull << 31,
                                      .el = 1,
                                      .bus = bus,
                                      .code = cc,
                                      .cost = &cost_default,
                                      .hooks = {.opaque = NULL, .call = NULL}});
    ck_assert_ptr_nonnull(pe);
    ck_assert_int_eq(cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs), CS_ERR_OK);
    code_next = CODE;
    dev_count = 0;
    dev_value = 0;
    dev_refuse_write = false;
}

static void teardown(void)
{
    cs_close(&cs);
    cpu_free(pe);
    code_cache_free(cc);
    bus_free(bus);
}

static uint8_t *ram(uint64_t pa)
{
    return bus_ram_host(bus) + (pa - RAM_BASE);
}

/* BYTES little-endian bytes of V at PA, and back. */
static void poke(uint64_t pa, uint64_t v, unsigned bytes)
{
    memcpy(ram(pa), &v, bytes);
}
static uint64_t peek(uint64_t pa, unsigned bytes)
{
    uint64_t v = 0;
    memcpy(&v, ram(pa), bytes);
    return v;
}

/* Fill the watched bytes with the guard pattern ... */
static void guard_fill(void)
{
    memset(ram(DATA), GUARD, GUARD_LEN);
}

/* ... and check that every watched byte outside [pa, pa + bytes) kept it. */
static void guard_check(uint64_t pa, unsigned bytes)
{
    for (uint64_t a = DATA; a < DATA + GUARD_LEN; a++) {
        if (a >= pa && a < pa + bytes)
            continue;
        if (*ram(a) != GUARD)
            ck_abort_msg("byte at %#" PRIx64 " changed to %#x", a, *ram(a));
    }
}

/* Put N words at fresh code addresses and reset the PE to start there
 * (registers all zero, exclusive monitor clear). */
static void load_program(const uint32_t *words, size_t n)
{
    ck_assert_uint_lt(code_next + 4 * n, DATA);
    memcpy(ram(code_next), words, 4 * n);
    cpu_reset(pe, code_next, 0);
    code_next += (4 * n + 63) & ~63ull;
}

#define PROGRAM(...)                                                                               \
    do {                                                                                           \
        const uint32_t prog_[] = {__VA_ARGS__};                                                    \
        load_program(prog_, sizeof(prog_) / sizeof(prog_[0]));                                     \
    } while (0)

static enum cpu_state run(void)
{
    return cpu_run(pe, cpu_cycles(pe) + RUN_CYCLES);
}

static void run_to_wfi(void)
{
    enum cpu_state st = run();
    const struct cpu_fault *f = cpu_fault(pe);
    ck_assert_msg(st == CPU_WAIT_WFI, "stopped in state %d (%s at pc %#" PRIx64 ")", st,
                  cpu_fault_kind_name(f->kind), f->pc);
}

static void run_to_fault(enum cpu_fault_kind kind)
{
    enum cpu_state st = run();
    ck_assert_int_eq(st, CPU_HALTED);
    ck_assert_str_eq(cpu_fault_kind_name(cpu_fault(pe)->kind), cpu_fault_kind_name(kind));
}

#define X(n)           cpu_get_x(pe, (n))
#define SETX(n, v)     cpu_set_x(pe, (n), (v))
#define ASSERT_X(n, v) ck_assert_uint_eq(cpu_get_x(pe, (n)), (uint64_t)(v))

/* ---- Oracles for encodings ------------------------------------------------ */

/* Capstone's text for WORD ("mnemonic operands"). */
static void cs_text(uint32_t word, char *buf, size_t len)
{
    cs_insn *insn;
    size_t n = cs_disasm(cs, (const uint8_t *)&word, 4, 0, 1, &insn);
    if (n == 0) {
        snprintf(buf, len, "(invalid)");
        return;
    }
    if (insn[0].op_str[0])
        snprintf(buf, len, "%s %s", insn[0].mnemonic, insn[0].op_str);
    else
        snprintf(buf, len, "%s", insn[0].mnemonic);
    cs_free(insn, n);
}

/* WORD, after checking that Capstone reads it as TEXT. */
static uint32_t A(const char *text, uint32_t word)
{
    char buf[256];
    cs_text(word, buf, sizeof(buf));
    if (strcmp(buf, text) != 0)
        ck_abort_msg("word %08x: capstone says \"%s\", expected \"%s\"", word, buf, text);
    return word;
}

#define OD_TEXT 96

/* objdump's text for each of N words ("mnemonic operands", tabs made
 * spaces; ".inst 0x... ; undefined" for what binutils does not decode),
 * from one run over a raw binary file. Aborts the test if objdump is
 * missing or says something unexpected. */
static void objdump_texts(const uint32_t *words, size_t n, char (*out)[OD_TEXT])
{
    char path[] = "/tmp/test_atomic.XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, words, 4 * n), (ssize_t)(4 * n));
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), OBJDUMP " -D -z -b binary -m aarch64 %s 2>&1", path);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char line[256];
    size_t got = 0;
    while (fgets(line, sizeof(line), p)) {
        /* "   4:\tf8210040 \tldadd\tx1, x0, [x2]" */
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2 || !strchr(line, ':') || got >= n)
            continue;
        char *s = tab2 + 1;
        s[strcspn(s, "\n")] = '\0';
        for (char *q = s; *q; q++)
            if (*q == '\t')
                *q = ' ';
        snprintf(out[got++], OD_TEXT, "%s", s);
    }
    pclose(p);
    unlink(path);
    ck_assert_msg(got == n,
                  "%s read %zu of %zu words: is binutils-aarch64-linux-gnu installed "
                  "(scripts/deps.sh)?",
                  OBJDUMP, got, n);
}

/* WORD, after checking that GNU objdump reads it as TEXT. */
static uint32_t G(const char *text, uint32_t word)
{
    char out[1][OD_TEXT];
    objdump_texts(&word, 1, out);
    if (strcmp(out[0], text) != 0)
        ck_abort_msg("word %08x: objdump says \"%s\", expected \"%s\"", word, out[0], text);
    return word;
}

/* WORD, after checking that binutils does not decode it either. */
static uint32_t G_UNDEF(uint32_t word)
{
    char text[OD_TEXT];
    snprintf(text, sizeof(text), ".inst 0x%08x ; undefined", word);
    return G(text, word);
}

/* ---- Encoders: field layouts from the Arm ARM encoding diagrams --------- */

enum { ZR = 31, SP = 31 };

/* Atomic memory operations: size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt.
 * o3 = 0: opc 0..7 = LDADD LDCLR LDEOR LDSET LDSMAX LDSMIN LDUMAX LDUMIN;
 * o3 = 1, opc = 0: SWP; o3 = 1, opc = 4, A = 1, R = 0, Rs = 31: LDAPR. */
static uint32_t e_atomic(unsigned size, unsigned a, unsigned r, unsigned rs, unsigned o3,
                         unsigned opc, unsigned rn, unsigned rt)
{
    return size << 30 | 0x38u << 24 | a << 23 | r << 22 | 1u << 21 | rs << 16 | o3 << 15 |
           opc << 12 | rn << 5 | rt;
}
static uint32_t e_ldapr(unsigned size, unsigned rn, unsigned rt)
{
    return e_atomic(size, 1, 0, 31, 1, 4, rn, rt);
}
/* CAS: size 001000 1 L 1 Rs o0 Rt2=11111 Rn Rt (L acquire, o0 release). */
static uint32_t e_cas(unsigned size, unsigned l, unsigned rs, unsigned o0, unsigned rn, unsigned rt)
{
    return size << 30 | 0x08u << 24 | 1u << 23 | l << 22 | 1u << 21 | rs << 16 | o0 << 15 |
           31u << 10 | rn << 5 | rt;
}
/* CASP: 0 sz 001000 0 L 1 Rs o0 Rt2=11111 Rn Rt (sz 0: W pairs, 1: X pairs). */
static uint32_t e_casp(unsigned sz, unsigned l, unsigned rs, unsigned o0, unsigned rn, unsigned rt)
{
    return sz << 30 | 0x08u << 24 | l << 22 | 1u << 21 | rs << 16 | o0 << 15 | 31u << 10 | rn << 5 |
           rt;
}
/* LDXR (Rs = Rt2 = 11111) and STXR (Rs = status). */
static uint32_t e_ldxr(unsigned size, unsigned rn, unsigned rt)
{
    return size << 30 | 0x08u << 24 | 1u << 22 | 31u << 16 | 31u << 10 | rn << 5 | rt;
}
static uint32_t e_stxr(unsigned size, unsigned rs, unsigned rn, unsigned rt)
{
    return size << 30 | 0x08u << 24 | rs << 16 | 31u << 10 | rn << 5 | rt;
}
/* LDTR family: size 111 0 00 opc 0 imm9 10 Rn Rt; opc 0 store, 1 load,
 * 2 load signed to 64 bits, 3 load signed to 32 bits. */
static uint32_t e_ldtr(unsigned size, unsigned opc, int imm9, unsigned rn, unsigned rt)
{
    return size << 30 | 0x38u << 24 | opc << 22 | ((uint32_t)imm9 & 0x1ff) << 12 | 2u << 10 |
           rn << 5 | rt;
}
/* LDAPUR/STLUR family (FEAT_LRCPC2): size 011001 opc 0 imm9 00 Rn Rt. */
static uint32_t e_ldapur(unsigned size, unsigned opc, int imm9, unsigned rn, unsigned rt)
{
    return size << 30 | 0x19u << 24 | opc << 22 | ((uint32_t)imm9 & 0x1ff) << 12 | rn << 5 | rt;
}
/* ORR (shifted register), 64-bit, no shift: MOV Xd, Xm when Rn = XZR. */
static uint32_t e_orr(unsigned rm, unsigned rn, unsigned rd)
{
    return 0xAA000000u | rm << 16 | rn << 5 | rd;
}
/* ADD (immediate), 64-bit. */
static uint32_t e_add_imm(unsigned imm12, unsigned rn, unsigned rd)
{
    return 0x91000000u | imm12 << 10 | rn << 5 | rd;
}

#define WFI A("wfi", 0xD503207Fu)

/* Names for building the expected disassembly. */
static const char *const op_name[8] = {"add", "clr", "eor", "set", "smax", "smin", "umax", "umin"};
static const char *const size_suffix[4] = {"b", "h", "", ""};
/* Indexed by A:R. */
static const char *const order_suffix[4] = {"", "l", "a", "al"};

static char reg_prefix(unsigned size)
{
    return size == 3 ? 'x' : 'w';
}

/* ---- 1. LD<op>: the old value to Rt, the operation to memory ------------ */

/* One LD<op> case at one size: memory before, Rs, memory after. Rt must
 * receive the old value zero-extended (never sign-extended). */
struct ldop_case {
    uint64_t mem, rs, result;
};

/* Run LD<op> OPC at every size (cases[size]) in all four orderings (none,
 * L, A, AL): ld<op><order><size> Rs=1, Rt=0, [X2 = SLOT]. */
static void check_ldop(unsigned opc, const struct ldop_case cases[4])
{
    for (unsigned size = 0; size < 4; size++) {
        for (unsigned ar = 0; ar < 4; ar++) {
            char text[64];
            char r = reg_prefix(size);
            snprintf(text, sizeof(text), "ld%s%s%s %c1, %c0, [x2]", op_name[opc], order_suffix[ar],
                     size_suffix[size], r, r);
            unsigned bytes = 1u << size;
            const struct ldop_case *k = &cases[size];
            PROGRAM(G(text, e_atomic(size, ar >> 1, ar & 1, 1, 0, opc, 2, 0)), WFI);
            guard_fill();
            poke(SLOT, k->mem, bytes);
            SETX(0, 0xDEADBEEFDEADBEEFull);
            SETX(1, k->rs);
            SETX(2, SLOT);
            run_to_wfi();
            ck_assert_msg(X(0) == k->mem, "%s: Rt = %#" PRIx64 ", expected %#" PRIx64, text, X(0),
                          k->mem);
            ck_assert_msg(peek(SLOT, bytes) == k->result,
                          "%s: memory = %#" PRIx64 ", expected %#" PRIx64, text, peek(SLOT, bytes),
                          k->result);
            ASSERT_X(1, k->rs);
            ASSERT_X(2, SLOT);
            guard_check(SLOT, bytes);
        }
    }
}

/* Rs carries bits above the access size that must be ignored. */
START_TEST(test_ldadd_returns_old_value_and_adds_at_each_size)
{
    const struct ldop_case c[4] = {
        {0xF0, 0xFFFFFFFFFFFFFF25ull, 0x15},    /* 0xF0 + 0x25 = 0x115 */
        {0xFFF0, 0x10020, 0x0010},              /* 0xFFF0 + 0x0020 = 0x10010 */
        {0xFFFFFFFF, 0x1, 0x0},                 /* wraps at 32 bits */
        {0x7FFFFFFFFFFFFFFFull, 1, 1ull << 63}, /* no saturation */
    };
    check_ldop(0, c);
}
END_TEST

START_TEST(test_ldclr_returns_old_value_and_clears_rs_bits_at_each_size)
{
    const struct ldop_case c[4] = {
        {0xFF, 0x0F, 0xF0},
        {0xABCD, 0x00FF, 0xAB00},
        {0x12345678, 0xFFFF0000, 0x00005678},
        {~0ull, 0x8000000000000001ull, 0x7FFFFFFFFFFFFFFEull},
    };
    check_ldop(1, c);
}
END_TEST

START_TEST(test_ldeor_returns_old_value_and_xors_at_each_size)
{
    const struct ldop_case c[4] = {
        {0xAA, 0xFF, 0x55},
        {0x1234, 0xFFFF, 0xEDCB},
        {0x0F0F0F0F, 0xFFFF0000, 0xF0F00F0F},
        {0x0123456789ABCDEFull, 0xFFFFFFFF00000000ull, 0xFEDCBA9889ABCDEFull},
    };
    check_ldop(2, c);
}
END_TEST

START_TEST(test_ldset_returns_old_value_and_ors_at_each_size)
{
    const struct ldop_case c[4] = {
        {0x80, 0x01, 0x81},
        {0x1200, 0x0034, 0x1234},
        {0x80000000, 0x1, 0x80000001},
        {0x100000000ull, 0xF, 0x10000000Full},
    };
    check_ldop(3, c);
}
END_TEST

/* Signed at the access size: 0x80 is -128 and loses to 0x7F (+127). The
 * old value 0x80 still reaches Rt zero-extended. */
START_TEST(test_ldsmax_compares_signed_at_each_size)
{
    const struct ldop_case c[4] = {
        {0x80, 0xFFFFFFFFFFFFFF7Full, 0x7F},
        {0x8000, 0x7FFF, 0x7FFF},
        {0x80000000, 0x7FFFFFFF, 0x7FFFFFFF},
        {1ull << 63, 0x7FFFFFFFFFFFFFFFull, 0x7FFFFFFFFFFFFFFFull},
    };
    check_ldop(4, c);
}
END_TEST

START_TEST(test_ldsmin_compares_signed_at_each_size)
{
    const struct ldop_case c[4] = {
        {0x7F, 0x80, 0x80},
        {0x7FFF, 0x8000, 0x8000},
        {0x7FFFFFFF, 0x80000000, 0x80000000},
        {0x7FFFFFFFFFFFFFFFull, 1ull << 63, 1ull << 63},
    };
    check_ldop(5, c);
}
END_TEST

START_TEST(test_ldumax_compares_unsigned_at_each_size)
{
    const struct ldop_case c[4] = {
        {0x7F, 0x80, 0x80},
        {0x7FFF, 0x8000, 0x8000},
        {0x7FFFFFFF, 0x80000000, 0x80000000},
        {0x7FFFFFFFFFFFFFFFull, 1ull << 63, 1ull << 63},
    };
    check_ldop(6, c);
}
END_TEST

/* Rs = 0x17F for B: only its low byte, 0x7F, takes part (0x17F would lose
 * to 0x80 if the upper bits counted). */
START_TEST(test_ldumin_compares_unsigned_at_each_size)
{
    const struct ldop_case c[4] = {
        {0x80, 0x17F, 0x7F},
        {0x8000, 0x7FFF, 0x7FFF},
        {0x80000000, 0x7FFFFFFF, 0x7FFFFFFF},
        {1ull << 63, 0x7FFFFFFFFFFFFFFFull, 0x7FFFFFFFFFFFFFFFull},
    };
    check_ldop(7, c);
}
END_TEST

/* ---- 2. ST<op>: the aliases with Rt = XZR ------------------------------- */

START_TEST(test_st_aliases_update_memory_and_leave_xzr_zero)
{
    /* One size per operation, in turn; the memory results are those of the
     * LD<op> cases above. Rs = X1, [X2]; MOV X3, XZR afterwards must read
     * zero although the alias "wrote" the old value to XZR. */
    static const struct {
        unsigned size;
        uint64_t mem, rs, result;
    } k[8] = {
        {0, 0xF0, 0x25, 0x15},                                         /* STADDB */
        {1, 0xABCD, 0x00FF, 0xAB00},                                   /* STCLRH */
        {2, 0x0F0F0F0F, 0xFFFF0000, 0xF0F00F0F},                       /* STEOR W */
        {3, 0x100000000ull, 0xF, 0x10000000Full},                      /* STSET X */
        {0, 0x80, 0x7F, 0x7F},                                         /* STSMAXB */
        {1, 0x7FFF, 0x8000, 0x8000},                                   /* STSMINH */
        {2, 0x7FFFFFFF, 0x80000000, 0x80000000},                       /* STUMAX W */
        {3, 1ull << 63, 0x7FFFFFFFFFFFFFFFull, 0x7FFFFFFFFFFFFFFFull}, /* STUMIN X */
    };
    for (unsigned opc = 0; opc < 8; opc++) {
        char text[64];
        unsigned size = k[opc].size, bytes = 1u << size;
        for (unsigned release = 0; release < 2; release++) {
            snprintf(text, sizeof(text), "st%s%s%s %c1, [x2]", op_name[opc], release ? "l" : "",
                     size_suffix[size], reg_prefix(size));
            PROGRAM(G(text, e_atomic(size, 0, release, 1, 0, opc, 2, ZR)),
                    A("mov x3, xzr", e_orr(ZR, ZR, 3)), WFI);
            guard_fill();
            poke(SLOT, k[opc].mem, bytes);
            SETX(1, k[opc].rs);
            SETX(2, SLOT);
            SETX(3, 0x5555);
            run_to_wfi();
            ck_assert_msg(peek(SLOT, bytes) == k[opc].result, "%s: memory = %#" PRIx64, text,
                          peek(SLOT, bytes));
            ASSERT_X(3, 0);
            guard_check(SLOT, bytes);
        }
    }
}
END_TEST

/* LDADDA with Rt = XZR is not an alias, but must equally discard the
 * value; and Rs = XZR adds zero: the value read comes back unchanged. */
START_TEST(test_ldadd_with_xzr_operands_reads_zero_and_discards)
{
    PROGRAM(G("ldadda x1, xzr, [x2]", e_atomic(3, 1, 0, 1, 0, 0, 2, ZR)),
            G("ldadd xzr, x4, [x2]", e_atomic(3, 0, 0, ZR, 0, 0, 2, 4)),
            A("mov x3, xzr", e_orr(ZR, ZR, 3)), WFI);
    guard_fill();
    poke(SLOT, 40, 8);
    SETX(1, 2);
    SETX(2, SLOT);
    SETX(3, 0x5555);
    run_to_wfi();
    ck_assert_uint_eq(peek(SLOT, 8), 42);
    ASSERT_X(4, 42);
    ASSERT_X(3, 0);
}
END_TEST

/* ---- 3. SWP -------------------------------------------------------------- */

START_TEST(test_swp_returns_old_value_and_stores_rs_at_each_size)
{
    static const uint64_t mem[4] = {0x81, 0x8001, 0x80000001, 0x8000000000000001ull};
    static const uint64_t rs = 0x1122334455667788ull;
    for (unsigned size = 0; size < 4; size++) {
        for (unsigned ar = 0; ar < 4; ar++) {
            char text[64];
            char r = reg_prefix(size);
            unsigned bytes = 1u << size;
            snprintf(text, sizeof(text), "swp%s%s %c1, %c0, [x2]", order_suffix[ar],
                     size_suffix[size], r, r);
            PROGRAM(G(text, e_atomic(size, ar >> 1, ar & 1, 1, 1, 0, 2, 0)), WFI);
            guard_fill();
            poke(SLOT, mem[size], bytes);
            SETX(0, ~0ull);
            SETX(1, rs);
            SETX(2, SLOT);
            run_to_wfi();
            ASSERT_X(0, mem[size]);
            /* The low BYTES bytes of Rs: 0x88, 0x7788, 0x55667788, all. */
            uint64_t expect = size == 3 ? rs : rs & ((1ull << (8 * bytes)) - 1);
            ck_assert_uint_eq(peek(SLOT, bytes), expect);
            guard_check(SLOT, bytes);
        }
    }
}
END_TEST

/* The pseudocode reads X[s] before it writes X[t]: one register exchanges
 * with memory. */
START_TEST(test_swp_with_rs_equal_rt_exchanges_register_and_memory)
{
    PROGRAM(G("swp x0, x0, [x2]", e_atomic(3, 0, 0, 0, 1, 0, 2, 0)), WFI);
    poke(SLOT, 0xAAAA, 8);
    SETX(0, 0xBBBB);
    SETX(2, SLOT);
    run_to_wfi();
    ASSERT_X(0, 0xAAAA);
    ck_assert_uint_eq(peek(SLOT, 8), 0xBBBB);
}
END_TEST

/* ---- 4. CAS -------------------------------------------------------------- */

static const char *const cas_order[4] = {"", "l", "a", "al"}; /* by L:o0 */

/* Equal at the access size: Rt is stored; Rs gets the value read,
 * zero-extended (its bits above the size are not compared and are
 * cleared). Rs = X1, Rt = X0, [X2]. */
START_TEST(test_cas_success_stores_rt_and_loads_old_value_into_rs)
{
    static const uint64_t mem[4] = {0x12, 0x1234, 0x12345678, 0x123456789ABCDEF0ull};
    static const uint64_t rs[4] = {0xFFFFFF12, 0xABCD00001234ull, 0xFFFFFFFF12345678ull,
                                   0x123456789ABCDEF0ull};
    static const uint64_t rt = 0xCAFEF00DDEADBEEFull;
    for (unsigned size = 0; size < 4; size++) {
        for (unsigned lo = 0; lo < 4; lo++) {
            char text[64];
            char r = reg_prefix(size);
            unsigned bytes = 1u << size;
            snprintf(text, sizeof(text), "cas%s%s %c1, %c0, [x2]", cas_order[lo], size_suffix[size],
                     r, r);
            PROGRAM(G(text, e_cas(size, lo >> 1, 1, lo & 1, 2, 0)), WFI);
            guard_fill();
            poke(SLOT, mem[size], bytes);
            SETX(0, rt);
            SETX(1, rs[size]);
            SETX(2, SLOT);
            run_to_wfi();
            uint64_t stored = size == 3 ? rt : rt & ((1ull << (8 * bytes)) - 1);
            ck_assert_uint_eq(peek(SLOT, bytes), stored);
            ASSERT_X(1, mem[size]);
            ASSERT_X(0, rt);
            guard_check(SLOT, bytes);
        }
    }
}
END_TEST

START_TEST(test_cas_failure_writes_nothing_and_loads_old_value_into_rs)
{
    static const uint64_t mem[4] = {0x80, 0x8000, 0x80000000, 1ull << 63};
    for (unsigned size = 0; size < 4; size++) {
        char text[64];
        char r = reg_prefix(size);
        unsigned bytes = 1u << size;
        snprintf(text, sizeof(text), "casal%s %c1, %c0, [x2]", size_suffix[size], r, r);
        PROGRAM(G(text, e_cas(size, 1, 1, 1, 2, 0)), WFI);
        guard_fill();
        poke(SLOT, mem[size], bytes);
        SETX(0, 0);
        SETX(1, mem[size] - 1);
        SETX(2, SLOT);
        run_to_wfi();
        ck_assert_uint_eq(peek(SLOT, bytes), mem[size]);
        ASSERT_X(1, mem[size]);
        ASSERT_X(0, 0);
        guard_check(SLOT, bytes);
    }
}
END_TEST

/* A failed CAS writes nothing, so nothing clears the local monitor: the
 * STXR that follows LDXR; CAS(fail) on the same address succeeds. */
START_TEST(test_cas_failure_keeps_exclusive_monitor)
{
    PROGRAM(A("ldxr x5, [x2]", e_ldxr(3, 2, 5)), G("cas x1, x0, [x2]", e_cas(3, 0, 1, 0, 2, 0)),
            A("stxr w7, x6, [x2]", e_stxr(3, 7, 2, 6)), WFI);
    poke(SLOT, 10, 8);
    SETX(1, 11);
    SETX(2, SLOT);
    SETX(6, 99);
    SETX(7, 5);
    run_to_wfi();
    ASSERT_X(7, 0);
    ck_assert_uint_eq(peek(SLOT, 8), 99);
}
END_TEST

/* ---- 5. CASP ------------------------------------------------------------- */

/* CASP W: Rs:Rs+1 = X4:X5 compared with the doubleword at [X2] (X4 with
 * the lower address), X6:X7 stored; X4 and X5 get the words read,
 * zero-extended. */
START_TEST(test_casp_w_success_stores_pair_and_loads_old_pair)
{
    for (unsigned lo = 0; lo < 4; lo++) {
        char text[64];
        snprintf(text, sizeof(text), "casp%s w4, w5, w6, w7, [x2]", cas_order[lo]);
        PROGRAM(G(text, e_casp(0, lo >> 1, 4, lo & 1, 2, 6)), WFI);
        guard_fill();
        poke(SLOT, 0x11111111, 4);
        poke(SLOT + 4, 0x22222222, 4);
        SETX(2, SLOT);
        SETX(4, 0xFFFFFFFF11111111ull); /* upper halves are not compared */
        SETX(5, 0xEEEEEEEE22222222ull);
        SETX(6, 0x99999999AAAAAAAAull); /* and not stored */
        SETX(7, 0x88888888BBBBBBBBull);
        run_to_wfi();
        ck_assert_uint_eq(peek(SLOT, 4), 0xAAAAAAAA);
        ck_assert_uint_eq(peek(SLOT + 4, 4), 0xBBBBBBBB);
        ASSERT_X(4, 0x11111111);
        ASSERT_X(5, 0x22222222);
        guard_check(SLOT, 8);
    }
}
END_TEST

START_TEST(test_casp_x_success_stores_pair_and_loads_old_pair)
{
    for (unsigned lo = 0; lo < 4; lo++) {
        char text[64];
        snprintf(text, sizeof(text), "casp%s x4, x5, x6, x7, [x2]", cas_order[lo]);
        PROGRAM(G(text, e_casp(1, lo >> 1, 4, lo & 1, 2, 6)), WFI);
        guard_fill();
        poke(SLOT, 0x1111111111111111ull, 8);
        poke(SLOT + 8, 0x2222222222222222ull, 8);
        SETX(2, SLOT);
        SETX(4, 0x1111111111111111ull);
        SETX(5, 0x2222222222222222ull);
        SETX(6, 0xAAAAAAAAAAAAAAAAull);
        SETX(7, 0xBBBBBBBBBBBBBBBBull);
        run_to_wfi();
        ck_assert_uint_eq(peek(SLOT, 8), 0xAAAAAAAAAAAAAAAAull);
        ck_assert_uint_eq(peek(SLOT + 8, 8), 0xBBBBBBBBBBBBBBBBull);
        ASSERT_X(4, 0x1111111111111111ull);
        ASSERT_X(5, 0x2222222222222222ull);
        guard_check(SLOT, 16);
    }
}
END_TEST

/* Only the second halves differ: the whole pair compares unequal. */
START_TEST(test_casp_w_failure_on_second_word_writes_nothing)
{
    PROGRAM(G("casp w4, w5, w6, w7, [x2]", e_casp(0, 0, 4, 0, 2, 6)), WFI);
    guard_fill();
    poke(SLOT, 0x11111111, 4);
    poke(SLOT + 4, 0x22222222, 4);
    SETX(2, SLOT);
    SETX(4, 0x11111111);
    SETX(5, 0x22222223);
    SETX(6, 0xAAAAAAAA);
    SETX(7, 0xBBBBBBBB);
    run_to_wfi();
    ck_assert_uint_eq(peek(SLOT, 4), 0x11111111);
    ck_assert_uint_eq(peek(SLOT + 4, 4), 0x22222222);
    ASSERT_X(4, 0x11111111);
    ASSERT_X(5, 0x22222222);
    guard_check(SLOT, 8);
}
END_TEST

START_TEST(test_casp_x_failure_on_first_doubleword_writes_nothing)
{
    PROGRAM(G("caspal x4, x5, x6, x7, [x2]", e_casp(1, 1, 4, 1, 2, 6)), WFI);
    guard_fill();
    poke(SLOT, 0x1111111111111111ull, 8);
    poke(SLOT + 8, 0x2222222222222222ull, 8);
    SETX(2, SLOT);
    SETX(4, 0x1111111111111110ull);
    SETX(5, 0x2222222222222222ull);
    SETX(6, 0xAAAAAAAAAAAAAAAAull);
    SETX(7, 0xBBBBBBBBBBBBBBBBull);
    run_to_wfi();
    ck_assert_uint_eq(peek(SLOT, 8), 0x1111111111111111ull);
    ck_assert_uint_eq(peek(SLOT + 8, 8), 0x2222222222222222ull);
    ASSERT_X(4, 0x1111111111111111ull);
    ASSERT_X(5, 0x2222222222222222ull);
    guard_check(SLOT, 16);
}
END_TEST

/* Rs = 30 makes the compared pair X30:XZR: the second half compares
 * against zero and the doubleword read into it is discarded. */
START_TEST(test_casp_rs_pair_ending_in_xzr_compares_zero)
{
    PROGRAM(G("casp x30, xzr, x6, x7, [x2]", e_casp(1, 0, 30, 0, 2, 6)),
            A("mov x3, xzr", e_orr(ZR, ZR, 3)), WFI);
    guard_fill();
    poke(SLOT, 0x1234, 8);
    poke(SLOT + 8, 0, 8);
    SETX(2, SLOT);
    SETX(3, 0x5555);
    SETX(6, 0xAAAA);
    SETX(7, 0xBBBB);
    SETX(30, 0x1234);
    run_to_wfi();
    ASSERT_X(30, 0x1234);
    ASSERT_X(3, 0);
    ck_assert_uint_eq(peek(SLOT, 8), 0xAAAA);
    ck_assert_uint_eq(peek(SLOT + 8, 8), 0xBBBB);
    guard_check(SLOT, 16);
}
END_TEST

/* Rt = 30 makes the new pair X30:XZR: zero is stored in the second half. */
START_TEST(test_casp_rt_pair_ending_in_xzr_stores_zero)
{
    PROGRAM(G("casp w4, w5, w30, wzr, [x2]", e_casp(0, 0, 4, 0, 2, 30)), WFI);
    guard_fill();
    poke(SLOT, 1, 4);
    poke(SLOT + 4, 2, 4);
    SETX(2, SLOT);
    SETX(4, 1);
    SETX(5, 2);
    SETX(30, 0xAB);
    run_to_wfi();
    ck_assert_uint_eq(peek(SLOT, 4), 0xAB);
    ck_assert_uint_eq(peek(SLOT + 4, 4), 0);
    guard_check(SLOT, 8);
}
END_TEST

/* CASP decode (Arm ARM): Rs<0> == '1' or Rt<0> == '1' is UNDEFINED;
 * binutils refuses to decode them as well. */
START_TEST(test_casp_odd_rs_is_undefined)
{
    PROGRAM(G_UNDEF(e_casp(0, 0, 5, 0, 2, 6)), WFI);
    SETX(2, SLOT);
    run_to_fault(FAULT_UNDEFINED);
    ck_assert_uint_eq(cpu_get_pc(pe), cpu_fault(pe)->pc);
}
END_TEST

START_TEST(test_casp_odd_rt_is_undefined)
{
    PROGRAM(G_UNDEF(e_casp(1, 1, 4, 0, 2, 7)), WFI);
    SETX(2, SLOT);
    run_to_fault(FAULT_UNDEFINED);
}
END_TEST

/* Rt2 (bits 14:10) must be 11111 in CAS and CASP; other values are not
 * compare-and-swap (binutils: undefined), and a64sim makes them UNDEFINED. */
START_TEST(test_cas_with_rt2_not_11111_is_undefined)
{
    PROGRAM(G_UNDEF(e_cas(3, 0, 1, 0, 2, 0) & ~(31u << 10)), WFI);
    run_to_fault(FAULT_UNDEFINED);
    PROGRAM(G_UNDEF(e_casp(0, 0, 4, 0, 2, 6) & ~(7u << 10)), WFI);
    run_to_fault(FAULT_UNDEFINED);
}
END_TEST

/* ---- 6. Alignment and faults --------------------------------------------- */

/* Without FEAT_LSE2 an unaligned atomic is an Alignment fault; it is
 * reported as a read (WnR = 0: a read of the address would fault), and
 * changes neither registers nor memory. */
START_TEST(test_ldadd_misaligned_faults_alignment)
{
    PROGRAM(G("ldadd w1, w0, [x2]", e_atomic(2, 0, 0, 1, 0, 0, 2, 0)), WFI);
    guard_fill();
    SETX(0, 77);
    SETX(1, 1);
    SETX(2, SLOT + 2);
    run_to_fault(FAULT_ALIGNMENT);
    ck_assert_uint_eq(cpu_fault(pe)->addr, SLOT + 2);
    ck_assert_uint_eq(cpu_fault(pe)->size, 4);
    ck_assert(!cpu_fault(pe)->write);
    ASSERT_X(0, 77);
    guard_check(0, 0);
}
END_TEST

START_TEST(test_cas_h_misaligned_faults_alignment)
{
    PROGRAM(G("cash w1, w0, [x2]", e_cas(1, 0, 1, 0, 2, 0)), WFI);
    SETX(1, 0x5555);
    SETX(2, SLOT + 1);
    run_to_fault(FAULT_ALIGNMENT);
    ck_assert_uint_eq(cpu_fault(pe)->addr, SLOT + 1);
    ASSERT_X(1, 0x5555);
}
END_TEST

/* A CASP X pair needs 16-byte alignment: 8 is not enough. */
START_TEST(test_casp_x_aligned_to_8_only_faults_alignment)
{
    PROGRAM(G("casp x4, x5, x6, x7, [x2]", e_casp(1, 0, 4, 0, 2, 6)), WFI);
    guard_fill();
    SETX(2, SLOT + 8);
    run_to_fault(FAULT_ALIGNMENT);
    ck_assert_uint_eq(cpu_fault(pe)->addr, SLOT + 8);
    ck_assert_uint_eq(cpu_fault(pe)->size, 16);
    guard_check(0, 0);
}
END_TEST

START_TEST(test_casp_w_aligned_to_4_only_faults_alignment)
{
    PROGRAM(G("casp w4, w5, w6, w7, [x2]", e_casp(0, 0, 4, 0, 2, 6)), WFI);
    SETX(2, SLOT + 4);
    run_to_fault(FAULT_ALIGNMENT);
    ck_assert_uint_eq(cpu_fault(pe)->size, 8);
}
END_TEST

/* Base SP must be 16-byte aligned (SCTLR_EL1.SA), checked before the
 * access; an aligned SP works. */
START_TEST(test_swp_with_sp_base_checks_sp_alignment)
{
    PROGRAM(A("add sp, x2, #8", e_add_imm(8, 2, SP)),
            G("swp x1, x0, [sp]", e_atomic(3, 0, 0, 1, 1, 0, SP, 0)), WFI);
    SETX(2, SLOT);
    run_to_fault(FAULT_SP_ALIGNMENT);

    PROGRAM(A("mov sp, x2", e_add_imm(0, 2, SP)),
            G("swp x1, x0, [sp]", e_atomic(3, 0, 0, 1, 1, 0, SP, 0)), WFI);
    poke(SLOT, 3, 8);
    SETX(1, 4);
    SETX(2, SLOT);
    run_to_wfi();
    ASSERT_X(0, 3);
    ck_assert_uint_eq(peek(SLOT, 8), 4);
}
END_TEST

START_TEST(test_ldadd_read_fault_leaves_registers_unchanged)
{
    PROGRAM(G("ldaddal x1, x0, [x2]", e_atomic(3, 1, 1, 1, 0, 0, 2, 0)), WFI);
    SETX(0, 77);
    SETX(1, 1);
    SETX(2, UNMAPPED);
    run_to_fault(FAULT_EXTERNAL_ABORT);
    ck_assert_uint_eq(cpu_fault(pe)->addr, UNMAPPED);
    ck_assert(!cpu_fault(pe)->write);
    ASSERT_X(0, 77);
    ASSERT_X(1, 1);
}
END_TEST

/* ---- 7. Through the bus: devices and decoded code ------------------------ */

/* An atomic on a device is one read, then one write of the result, both
 * through the bus at the access size. */
START_TEST(test_ldadd_on_device_reads_then_writes_through_bus)
{
    PROGRAM(G("ldadd w1, w0, [x2]", e_atomic(2, 0, 0, 1, 0, 0, 2, 0)), WFI);
    dev_value = 5;
    SETX(1, 3);
    SETX(2, DEVICE + 8);
    run_to_wfi();
    ASSERT_X(0, 5);
    ck_assert_uint_eq(dev_count, 2);
    ck_assert(!dev_log[0].write);
    ck_assert_uint_eq(dev_log[0].offset, 8);
    ck_assert_uint_eq(dev_log[0].size, 4);
    ck_assert(dev_log[1].write);
    ck_assert_uint_eq(dev_log[1].offset, 8);
    ck_assert_uint_eq(dev_log[1].size, 4);
    ck_assert_uint_eq(dev_log[1].value, 8);
}
END_TEST

/* A refused write is an external abort reported as a write, and Rt keeps
 * its value: the instruction did not complete. */
START_TEST(test_swp_refused_write_faults_and_leaves_rt_unchanged)
{
    PROGRAM(G("swp w1, w0, [x2]", e_atomic(2, 0, 0, 1, 1, 0, 2, 0)), WFI);
    dev_value = 5;
    dev_refuse_write = true;
    SETX(0, 77);
    SETX(1, 3);
    SETX(2, DEVICE);
    run_to_fault(FAULT_EXTERNAL_ABORT);
    ck_assert(cpu_fault(pe)->write);
    ASSERT_X(0, 77);
}
END_TEST

/* A failed CAS on a device reads and does not write. */
START_TEST(test_cas_failure_on_device_only_reads)
{
    PROGRAM(G("cas w1, w0, [x2]", e_cas(2, 0, 1, 0, 2, 0)), WFI);
    dev_value = 5;
    SETX(1, 6);
    SETX(2, DEVICE);
    run_to_wfi();
    ASSERT_X(1, 5);
    ck_assert_uint_eq(dev_count, 1);
    ck_assert(!dev_log[0].write);
}
END_TEST

/* SWP rewrites an instruction that already ran; the loop's second pass
 * must run the new word (add x0, x0, #100 instead of #1). */
START_TEST(test_swp_over_executed_instruction_runs_new_one)
{
    uint32_t add100 = A("add x0, x0, #0x64", e_add_imm(100, 0, 0));
    PROGRAM(A("add x0, x0, #1", e_add_imm(1, 0, 0)),
            G("swp w5, w4, [x6]", e_atomic(2, 0, 0, 5, 1, 0, 6, 4)),
            A("subs x7, x7, #1", 0xF10004E7u), A("b.ne #0xfffffffffffffff4", 0x54FFFFA1u), WFI);
    uint64_t start = cpu_get_pc(pe);
    SETX(5, add100);
    SETX(6, start);
    SETX(7, 2);
    run_to_wfi();
    ASSERT_X(0, 101);
}
END_TEST

/* ---- 8. The local exclusive monitor --------------------------------------- */

/* An atomic that writes the monitored address clears the monitor (the
 * IMPLEMENTATION DEFINED choice cpu/exec_atomic.c documents). */
START_TEST(test_atomic_store_to_monitored_address_clears_monitor)
{
    PROGRAM(A("ldxr x5, [x2]", e_ldxr(3, 2, 5)),
            G("stadd x1, [x2]", e_atomic(3, 0, 0, 1, 0, 0, 2, ZR)),
            A("stxr w7, x6, [x2]", e_stxr(3, 7, 2, 6)), WFI);
    poke(SLOT, 10, 8);
    SETX(1, 1);
    SETX(2, SLOT);
    SETX(6, 99);
    run_to_wfi();
    ASSERT_X(7, 1);
    ck_assert_uint_eq(peek(SLOT, 8), 11);
}
END_TEST

/* A byte atomic inside the monitored doubleword clears it too. */
START_TEST(test_atomic_store_overlapping_monitored_block_clears_monitor)
{
    PROGRAM(A("ldxr x5, [x2]", e_ldxr(3, 2, 5)),
            G("swpb w1, w0, [x3]", e_atomic(0, 0, 0, 1, 1, 0, 3, 0)),
            A("stxr w7, x6, [x2]", e_stxr(3, 7, 2, 6)), WFI);
    poke(SLOT, 0, 8);
    SETX(2, SLOT);
    SETX(3, SLOT + 7);
    SETX(1, 0xEE);
    run_to_wfi();
    ASSERT_X(7, 1);
    ck_assert_uint_eq(peek(SLOT, 8), 0xEE00000000000000ull);
}
END_TEST

/* An atomic elsewhere leaves the monitor set. */
START_TEST(test_atomic_store_elsewhere_keeps_monitor)
{
    PROGRAM(A("ldxr x5, [x2]", e_ldxr(3, 2, 5)),
            G("stadd x1, [x3]", e_atomic(3, 0, 0, 1, 0, 0, 3, ZR)),
            A("stxr w7, x6, [x2]", e_stxr(3, 7, 2, 6)), WFI);
    SETX(1, 1);
    SETX(2, SLOT);
    SETX(3, SLOT + 8);
    SETX(6, 99);
    SETX(7, 5);
    run_to_wfi();
    ASSERT_X(7, 0);
    ck_assert_uint_eq(peek(SLOT, 8), 99);
}
END_TEST

/* ---- 9. LDAPR (FEAT_LRCPC) and LDAPUR (FEAT_LRCPC2, absent) ------------ */

/* Run the program at CODE on a fresh Cortex-A57 PE (no FEAT_LSE, no
 * FEAT_LRCPC: ID_AA64ISAR0.Atomic = 0, ISAR1.LRCPC = 0) and return why it
 * stopped. */
static enum cpu_fault_kind run_on_a57(void)
{
    struct code_cache *a57_cc = code_cache_new(bus, &cost_default);
    struct cpu *a57 = cpu_new(&(struct cpu_config){.index = 1,
                                                   .mpidr = (1ull << 31) | 1,
                                                   .el = 1,
                                                   .profile = CPU_PROFILE_A57,
                                                   .bus = bus,
                                                   .code = a57_cc,
                                                   .cost = &cost_default});
    cpu_reset(a57, CODE, 0);
    cpu_set_x(a57, 2, SLOT);
    cpu_run(a57, 1000);
    enum cpu_fault_kind kind = cpu_state(a57) == CPU_HALTED ? cpu_fault(a57)->kind : FAULT_NONE;
    cpu_free(a57);
    code_cache_free(a57_cc);
    return kind;
}

START_TEST(test_lse_is_undefined_on_the_a57_profile)
{
    PROGRAM(G("ldadd x1, x0, [x2]", e_atomic(3, 0, 0, 1, 0, 0, 2, 0)), WFI);
    ck_assert_str_eq(cpu_fault_kind_name(run_on_a57()), cpu_fault_kind_name(FAULT_UNDEFINED));
}
END_TEST

START_TEST(test_ldapr_is_undefined_on_the_a57_profile)
{
    PROGRAM(G("ldapr x0, [x2]", e_ldapr(3, 2, 0)), WFI);
    ck_assert_str_eq(cpu_fault_kind_name(run_on_a57()), cpu_fault_kind_name(FAULT_UNDEFINED));
}
END_TEST

START_TEST(test_ldapr_loads_each_size_zero_extended)
{
    static const char *const text[4] = {"ldaprb w0, [x1]", "ldaprh w0, [x1]", "ldapr w0, [x1]",
                                        "ldapr x0, [x1]"};
    static const uint64_t mem[4] = {0x80, 0x8001, 0x80000001, 0x8000000000000001ull};
    for (unsigned size = 0; size < 4; size++) {
        PROGRAM(G(text[size], e_ldapr(size, 1, 0)), WFI);
        poke(SLOT, 0xFFFFFFFFFFFFFFFFull, 8);
        poke(SLOT, mem[size], 1u << size);
        SETX(0, 0xDEADBEEFDEADBEEFull);
        SETX(1, SLOT);
        run_to_wfi();
        ASSERT_X(0, mem[size]);
        ASSERT_X(1, SLOT);
    }
}
END_TEST

START_TEST(test_ldapr_misaligned_faults_alignment)
{
    PROGRAM(G("ldaprh w0, [x1]", e_ldapr(1, 1, 0)), WFI);
    SETX(0, 77);
    SETX(1, SLOT + 1);
    run_to_fault(FAULT_ALIGNMENT);
    ck_assert(!cpu_fault(pe)->write);
    ASSERT_X(0, 77);
}
END_TEST

/* LDAPR's Rs field is (1)(1)(1)(1)(1); binutils leaves other values
 * undecoded and a64sim makes them UNDEFINED. */
START_TEST(test_ldapr_with_rs_not_11111_is_undefined)
{
    PROGRAM(G_UNDEF(e_atomic(3, 1, 0, 0, 1, 4, 1, 0)), WFI);
    run_to_fault(FAULT_UNDEFINED);
}
END_TEST

/* FEAT_LRCPC2 is not implemented (ID_AA64ISAR1_EL1.LRCPC would say 1), so
 * LDAPUR/STLUR and their sized forms are UNDEFINED. */
START_TEST(test_ldapur_is_undefined)
{
    static const struct {
        const char *text;
        unsigned size, opc;
    } k[] = {
        {"ldapurb w0, [x1, #4]", 0, 1}, {"ldapursh x0, [x1, #4]", 1, 2},
        {"ldapur w0, [x1, #4]", 2, 1},  {"ldapur x0, [x1, #4]", 3, 1},
        {"stlur w0, [x1, #4]", 2, 0},
    };
    for (unsigned i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
        PROGRAM(G(k[i].text, e_ldapur(k[i].size, k[i].opc, 4, 1, 0)), WFI);
        SETX(1, SLOT);
        run_to_fault(FAULT_UNDEFINED);
    }
}
END_TEST

/* ---- 10. LDTR/STTR ------------------------------------------------------- */

/* MMU off: the unprivileged check has nothing to check (stage 1 grants
 * every access), so these behave as LDUR/STUR at EL1. imm9 is unscaled
 * and signed; there is never a writeback. */
START_TEST(test_ldtr_loads_each_size_zero_extended)
{
    static const char *const text[4] = {"ldtrb w0, [x1, #-1]", "ldtrh w0, [x1, #0x12]",
                                        "ldtr w0, [x1, #-0x10]", "ldtr x0, [x1, #0xf8]"};
    static const int imm[4] = {-1, 0x12, -0x10, 0xF8};
    static const uint64_t mem[4] = {0x80, 0x8001, 0x80000001, 0x8000000000000001ull};
    for (unsigned size = 0; size < 4; size++) {
        PROGRAM(A(text[size], e_ldtr(size, 1, imm[size], 1, 0)), WFI);
        uint64_t base = SLOT + 0x100;
        poke(base + (uint64_t)(int64_t)imm[size], mem[size], 1u << size);
        SETX(0, 0xDEADBEEFDEADBEEFull);
        SETX(1, base);
        run_to_wfi();
        ASSERT_X(0, mem[size]);
        ASSERT_X(1, base);
    }
}
END_TEST

START_TEST(test_ldtrs_sign_extend_to_32_or_64_bits)
{
    static const struct {
        const char *text;
        unsigned size, opc;
        uint64_t mem, expect;
    } k[] = {
        {"ldtrsb w0, [x1]", 0, 3, 0x80, 0xFFFFFF80ull},
        {"ldtrsb x0, [x1]", 0, 2, 0x80, 0xFFFFFFFFFFFFFF80ull},
        {"ldtrsh w0, [x1]", 1, 3, 0x8000, 0xFFFF8000ull},
        {"ldtrsh x0, [x1]", 1, 2, 0x8000, 0xFFFFFFFFFFFF8000ull},
        {"ldtrsw x0, [x1]", 2, 2, 0x80000000, 0xFFFFFFFF80000000ull},
        {"ldtrsb x0, [x1]", 0, 2, 0x7F, 0x7F},
        {"ldtrsw x0, [x1]", 2, 2, 0x7FFFFFFF, 0x7FFFFFFF},
    };
    for (unsigned i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
        PROGRAM(A(k[i].text, e_ldtr(k[i].size, k[i].opc, 0, 1, 0)), WFI);
        poke(SLOT, k[i].mem, 1u << k[i].size);
        SETX(0, 0x5555555555555555ull);
        SETX(1, SLOT);
        run_to_wfi();
        ck_assert_msg(X(0) == k[i].expect, "%s: %#" PRIx64, k[i].text, X(0));
    }
}
END_TEST

START_TEST(test_sttr_stores_only_their_bytes)
{
    static const char *const text[4] = {"sttrb w0, [x1, #1]", "sttrh w0, [x1, #2]",
                                        "sttr w0, [x1, #4]", "sttr x0, [x1, #8]"};
    for (unsigned size = 0; size < 4; size++) {
        unsigned bytes = 1u << size;
        PROGRAM(A(text[size], e_ldtr(size, 0, (int)bytes, 1, 0)), WFI);
        guard_fill();
        SETX(0, 0x0102030405060708ull);
        SETX(1, SLOT);
        run_to_wfi();
        uint64_t expect =
            size == 3 ? 0x0102030405060708ull : 0x0102030405060708ull & ((1ull << (8 * bytes)) - 1);
        ck_assert_uint_eq(peek(SLOT + bytes, bytes), expect);
        ASSERT_X(1, SLOT);
        guard_check(SLOT + bytes, bytes);
    }
}
END_TEST

/* No writeback, so Rt == Rn is an ordinary load (Capstone 4.0.2 wrongly
 * rejects this word; binutils decodes it). */
START_TEST(test_ldtr_with_rt_equal_rn_loads_into_base)
{
    PROGRAM(G("ldtr x1, [x1, #8]", e_ldtr(3, 1, 8, 1, 1)), WFI);
    poke(SLOT + 8, 0x1234, 8);
    SETX(1, SLOT);
    run_to_wfi();
    ASSERT_X(1, 0x1234);
}
END_TEST

START_TEST(test_ldtr_misaligned_faults_alignment)
{
    PROGRAM(A("ldtr x0, [x1, #4]", e_ldtr(3, 1, 4, 1, 0)), WFI);
    SETX(0, 77);
    SETX(1, SLOT);
    run_to_fault(FAULT_ALIGNMENT);
    ck_assert_uint_eq(cpu_fault(pe)->addr, SLOT + 4);
    ASSERT_X(0, 77);
}
END_TEST

/* size 11 with opc 1x (PRFM's place in other forms) and LDTRSW's opc 11
 * are unallocated in the unprivileged space. */
START_TEST(test_ldtr_unallocated_opc_is_undefined)
{
    static const unsigned size_opc[3][2] = {{3, 2}, {3, 3}, {2, 3}};
    for (unsigned i = 0; i < 3; i++) {
        PROGRAM(G_UNDEF(e_ldtr(size_opc[i][0], size_opc[i][1], 0, 1, 0)), WFI);
        run_to_fault(FAULT_UNDEFINED);
    }
}
END_TEST

/* ---- 11. Cost ---------------------------------------------------------- */

START_TEST(test_atomics_cost_load_class)
{
    PROGRAM(G("ldadd x1, x0, [x2]", e_atomic(3, 0, 0, 1, 0, 0, 2, 0)),
            G("stadd x1, [x2]", e_atomic(3, 0, 0, 1, 0, 0, 2, ZR)),
            G("swp x1, x0, [x2]", e_atomic(3, 0, 0, 1, 1, 0, 2, 0)),
            G("cas x1, x0, [x2]", e_cas(3, 0, 1, 0, 2, 0)),
            G("casp x4, x5, x6, x7, [x2]", e_casp(1, 0, 4, 0, 2, 6)),
            G("ldapr x0, [x2]", e_ldapr(3, 2, 0)), WFI);
    SETX(2, SLOT);
    uint64_t before = cpu_cycles(pe);
    run_to_wfi();
    ck_assert_uint_eq(cpu_insns(pe), 7);
    ck_assert_uint_eq(cpu_cycles(pe) - before,
                      6 * cost_default.cycles[COST_LOAD] + cost_default.cycles[COST_HINT]);
}
END_TEST

START_TEST(test_ldtr_costs_load_and_sttr_costs_store)
{
    PROGRAM(A("ldtr x0, [x2]", e_ldtr(3, 1, 0, 2, 0)), A("sttr x0, [x2]", e_ldtr(3, 0, 0, 2, 0)),
            WFI);
    SETX(2, SLOT);
    uint64_t before = cpu_cycles(pe);
    run_to_wfi();
    ck_assert_uint_eq(cpu_cycles(pe) - before, cost_default.cycles[COST_LOAD] +
                                                   cost_default.cycles[COST_STORE] +
                                                   cost_default.cycles[COST_HINT]);
}
END_TEST

/* ---- 12. The decoder against binutils over the whole spaces --------------- */

/* The mnemonics a64sim implements in these spaces; anything else binutils
 * decodes here (LDAPUR/STLUR: FEAT_LRCPC2; LDLAR/STLLR: LORegions;
 * LD64B/ST64B*: FEAT_LS64; the MTE tag stores) must stay UNDEFINED. */
static bool implemented_mnemonic(const char *text)
{
    static const char *const base[] = {"ldadd",  "ldclr",  "ldeor",  "ldset",  "ldsmax",
                                       "ldsmin", "ldumax", "ldumin", "stadd",  "stclr",
                                       "steor",  "stset",  "stsmax", "stsmin", "stumax",
                                       "stumin", "swp",    "cas",    "casp"};
    static const char *const order[] = {"", "a", "al", "l"};
    static const char *const size[] = {"", "b", "h"};
    static const char *const fixed[] = {"ldapr",  "ldaprb", "ldaprh", "ldtr", "ldtrb", "ldtrh",
                                        "ldtrsb", "ldtrsh", "ldtrsw", "sttr", "sttrb", "sttrh"};
    char m[32], name[32];
    if (sscanf(text, "%31s", m) != 1)
        return false;
    for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        if (strcmp(m, fixed[i]) == 0)
            return true;
    for (unsigned b = 0; b < sizeof(base) / sizeof(base[0]); b++)
        for (unsigned o = 0; o < 4; o++)
            for (unsigned z = 0; z < 3; z++) {
                snprintf(name, sizeof(name), "%s%s%s", base[b], order[o], size[z]);
                if (strcmp(m, name) == 0)
                    return true;
            }
    return false;
}

/* Words covering every fixed field of the spaces with a few register
 * values each (all 32 where the register decides: Rs of the atomic space
 * for LDAPR, Rs and Rt of CASP): 50,944 words. */
static size_t space_words(uint32_t *w)
{
    size_t n = 0;
    static const unsigned regs4[4] = {0, 1, 30, 31};
    for (unsigned size = 0; size < 4; size++)
        for (unsigned ar = 0; ar < 4; ar++)
            for (unsigned o3opc = 0; o3opc < 16; o3opc++)
                for (unsigned rs = 0; rs < 32; rs++)
                    for (unsigned nt = 0; nt < 4; nt++)
                        w[n++] = e_atomic(size, ar >> 1, ar & 1, rs, o3opc >> 3, o3opc & 7,
                                          nt & 1 ? 31 : 2, nt & 2 ? 31 : 0);
    for (unsigned size = 0; size < 4; size++)
        for (unsigned lo = 0; lo < 4; lo++)
            for (unsigned rt2 = 0; rt2 < 3; rt2++)
                for (unsigned s = 0; s < 4; s++)
                    for (unsigned t = 0; t < 4; t++)
                        for (unsigned rn = 0; rn < 2; rn++) {
                            uint32_t v =
                                e_cas(size, lo >> 1, regs4[s], lo & 1, rn ? 31 : 3, regs4[t]);
                            w[n++] = (v & ~(31u << 10)) | (rt2 == 0   ? 31u
                                                           : rt2 == 1 ? 0
                                                                      : 30u)
                                                              << 10;
                        }
    for (unsigned sz = 0; sz < 2; sz++)
        for (unsigned lo = 0; lo < 4; lo++)
            for (unsigned rt2 = 0; rt2 < 2; rt2++)
                for (unsigned s = 0; s < 32; s++)
                    for (unsigned t = 0; t < 32; t++) {
                        uint32_t v = e_casp(sz, lo >> 1, s, lo & 1, 3, t);
                        w[n++] = rt2 ? v & ~(1u << 12) : v;
                    }
    static const unsigned rn_rt[4][2] = {{1, 0}, {5, 5}, {31, 31}, {31, 0}};
    for (unsigned size = 0; size < 4; size++)
        for (unsigned opc = 0; opc < 4; opc++)
            for (unsigned r = 0; r < 4; r++)
                for (unsigned imm = 0; imm < 2; imm++)
                    w[n++] = e_ldtr(size, opc, imm ? -256 : 0x12, rn_rt[r][0], rn_rt[r][1]);
    /* The FEAT_LRCPC2 space and its neighbours (bits 11:10 and 21). */
    for (unsigned size = 0; size < 4; size++)
        for (unsigned opc = 0; opc < 4; opc++)
            for (unsigned b21 = 0; b21 < 2; b21++)
                for (unsigned b11_10 = 0; b11_10 < 4; b11_10++)
                    w[n++] = e_ldapur(size, opc, 0x12, 1, 0) | b21 << 21 | b11_10 << 10;
    return n;
}

START_TEST(test_decoder_matches_objdump_over_atomic_and_unprivileged_spaces)
{
    enum { MAX_WORDS = 65536 };
    uint32_t *w = malloc(MAX_WORDS * sizeof(*w));
    ck_assert_ptr_nonnull(w);
    size_t n = space_words(w);
    ck_assert_uint_le(n, MAX_WORDS);
    char(*text)[OD_TEXT] = malloc(n * sizeof(*text));
    ck_assert_ptr_nonnull(text);
    objdump_texts(w, n, text);
    unsigned both = 0, neither = 0, other = 0;
    for (size_t i = 0; i < n; i++) {
        bool od = implemented_mnemonic(text[i]);
        bool sim = decode_family_name(w[i]) != NULL;
        if (od != sim)
            ck_abort_msg("%08x: objdump \"%s\", a64sim %s", w[i], text[i],
                         sim ? decode_family_name(w[i]) : "UNDEFINED");
        if (od)
            both++;
        else if (strncmp(text[i], ".inst", 5) == 0)
            neither++;
        else
            other++;
    }
    printf("atomic/unprivileged spaces (%zu words): both decode %u, neither %u, "
           "binutils only (not implemented on purpose) %u\n",
           n, both, neither, other);
    free(text);
    free(w);
}
END_TEST

/* ---- Suite --------------------------------------------------------------- */

static Suite *atomic_suite(void)
{
    Suite *s = suite_create("atomic");
    TCase *lse = tcase_create("lse");
    TCase *cas = tcase_create("cas");
    TCase *fault = tcase_create("faults");
    TCase *other = tcase_create("ldapr_ldtr");
    TCase *all[] = {lse, cas, fault, other};
    for (unsigned i = 0; i < 4; i++) {
        tcase_add_checked_fixture(all[i], setup, teardown);
        tcase_set_timeout(all[i], 60);
        suite_add_tcase(s, all[i]);
    }

    tcase_add_test(lse, test_ldadd_returns_old_value_and_adds_at_each_size);
    tcase_add_test(lse, test_ldclr_returns_old_value_and_clears_rs_bits_at_each_size);
    tcase_add_test(lse, test_ldeor_returns_old_value_and_xors_at_each_size);
    tcase_add_test(lse, test_ldset_returns_old_value_and_ors_at_each_size);
    tcase_add_test(lse, test_ldsmax_compares_signed_at_each_size);
    tcase_add_test(lse, test_ldsmin_compares_signed_at_each_size);
    tcase_add_test(lse, test_ldumax_compares_unsigned_at_each_size);
    tcase_add_test(lse, test_ldumin_compares_unsigned_at_each_size);
    tcase_add_test(lse, test_st_aliases_update_memory_and_leave_xzr_zero);
    tcase_add_test(lse, test_ldadd_with_xzr_operands_reads_zero_and_discards);
    tcase_add_test(lse, test_swp_returns_old_value_and_stores_rs_at_each_size);
    tcase_add_test(lse, test_swp_with_rs_equal_rt_exchanges_register_and_memory);
    tcase_add_test(lse, test_atomic_store_to_monitored_address_clears_monitor);
    tcase_add_test(lse, test_atomic_store_overlapping_monitored_block_clears_monitor);
    tcase_add_test(lse, test_atomic_store_elsewhere_keeps_monitor);
    tcase_add_test(lse, test_atomics_cost_load_class);
    tcase_add_test(lse, test_decoder_matches_objdump_over_atomic_and_unprivileged_spaces);

    tcase_add_test(cas, test_cas_success_stores_rt_and_loads_old_value_into_rs);
    tcase_add_test(cas, test_cas_failure_writes_nothing_and_loads_old_value_into_rs);
    tcase_add_test(cas, test_cas_failure_keeps_exclusive_monitor);
    tcase_add_test(cas, test_casp_w_success_stores_pair_and_loads_old_pair);
    tcase_add_test(cas, test_casp_x_success_stores_pair_and_loads_old_pair);
    tcase_add_test(cas, test_casp_w_failure_on_second_word_writes_nothing);
    tcase_add_test(cas, test_casp_x_failure_on_first_doubleword_writes_nothing);
    tcase_add_test(cas, test_casp_rs_pair_ending_in_xzr_compares_zero);
    tcase_add_test(cas, test_casp_rt_pair_ending_in_xzr_stores_zero);
    tcase_add_test(cas, test_casp_odd_rs_is_undefined);
    tcase_add_test(cas, test_casp_odd_rt_is_undefined);
    tcase_add_test(cas, test_cas_with_rt2_not_11111_is_undefined);

    tcase_add_test(fault, test_ldadd_misaligned_faults_alignment);
    tcase_add_test(fault, test_cas_h_misaligned_faults_alignment);
    tcase_add_test(fault, test_casp_x_aligned_to_8_only_faults_alignment);
    tcase_add_test(fault, test_casp_w_aligned_to_4_only_faults_alignment);
    tcase_add_test(fault, test_swp_with_sp_base_checks_sp_alignment);
    tcase_add_test(fault, test_ldadd_read_fault_leaves_registers_unchanged);
    tcase_add_test(fault, test_ldadd_on_device_reads_then_writes_through_bus);
    tcase_add_test(fault, test_swp_refused_write_faults_and_leaves_rt_unchanged);
    tcase_add_test(fault, test_cas_failure_on_device_only_reads);
    tcase_add_test(fault, test_swp_over_executed_instruction_runs_new_one);

    tcase_add_test(other, test_ldapr_loads_each_size_zero_extended);
    tcase_add_test(other, test_ldapr_misaligned_faults_alignment);
    tcase_add_test(other, test_ldapr_with_rs_not_11111_is_undefined);
    tcase_add_test(other, test_ldapur_is_undefined);
    tcase_add_test(other, test_lse_is_undefined_on_the_a57_profile);
    tcase_add_test(other, test_ldapr_is_undefined_on_the_a57_profile);
    tcase_add_test(other, test_ldtr_loads_each_size_zero_extended);
    tcase_add_test(other, test_ldtrs_sign_extend_to_32_or_64_bits);
    tcase_add_test(other, test_sttr_stores_only_their_bytes);
    tcase_add_test(other, test_ldtr_with_rt_equal_rn_loads_into_base);
    tcase_add_test(other, test_ldtr_misaligned_faults_alignment);
    tcase_add_test(other, test_ldtr_unallocated_opc_is_undefined);
    tcase_add_test(other, test_ldtr_costs_load_and_sttr_costs_store);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(atomic_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
