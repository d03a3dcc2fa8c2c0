/* Unit tests for the system registers (cpu/sysreg.c) and CPU profiles
 * (cpu/profile.c): ID values, existence, EL2 traps with their syndromes,
 * VPIDR/VMPIDR, VHE redirection and the _EL12 accessors, RES0/RES1 bits.
 *
 * Guest code runs from RAM at 0x4000_0000 with the MMU off. A machine
 * started at EL2 runs a short EL2 prologue (vector bases, HCR_EL2,
 * MDCR_EL2, CPTR_EL2, then ERET to EL1) so that traps are taken for real;
 * every vector handler records which vector ran and the ESR/ELR of its EL
 * in X3, X0 and X1 and stops in WFI. Every instruction word is checked
 * against Capstone's disassembly (A()), which names the system registers
 * from its own tables. Expected values come from the Arm ARM (DDI 0487):
 * the ID register field layouts, the ISS layout of EC 0x18 (Op0 21:20, Op2
 * 19:17, Op1 16:14, CRn 13:10, Rt 9:5, CRm 4:1, Direction 0: 1 for a
 * read), and the RES0/RES1 lists of each register, as the comments show.
 *
 * sysreg_sys_trapped() has no instruction to drive it yet (SYS is the MMU
 * work's), so its tests call it directly through cpu/cpu_internal.h. */
#include "cpu/cost.h"
#include "cpu/cpu.h"
#include "cpu/cpu_internal.h"
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

#define RAM_BASE   0x40000000ull
#define RAM_SIZE   (1ull << 20)
#define CODE       RAM_BASE               /* where the PE starts (EL2 or EL1) */
#define EL1_CODE   (RAM_BASE + 0x1000ull) /* ERET target of the EL2 prologue */
#define EL0_CODE   (RAM_BASE + 0x2000ull)
#define VEC1       (RAM_BASE + 0x10000ull) /* VBAR_EL1 */
#define VEC2       (RAM_BASE + 0x20000ull) /* VBAR_EL2 */
#define RUN_CYCLES 100000ull

/* X3 after a vector ran: which one. */
#define TAG_EL1_CURRENT 0x1200 /* VBAR_EL1 + 0x200: from EL1 with SP_EL1 */
#define TAG_EL1_LOWER   0x1400 /* VBAR_EL1 + 0x400: from EL0 */
#define TAG_EL2_CURRENT 0x2200 /* VBAR_EL2 + 0x200: from EL2 */
#define TAG_EL2_LOWER   0x2400 /* VBAR_EL2 + 0x400: from EL1 or EL0 */

/* ESR_ELx: EC 31:26, IL 25 (32-bit instruction), ISS 24:0. */
#define ESR_UNKNOWN   (1u << 25)
#define ESR_SYSREG(i) (0x18u << 26 | 1u << 25 | (i))
/* The ISS of EC 0x18, field by field (Arm ARM ESR_ELx). */
#define ISS(op0, op1, crn, crm, op2, rt, read)                                                     \
    ((uint32_t)(op0) << 20 | (uint32_t)(op2) << 17 | (uint32_t)(op1) << 14 |                       \
     (uint32_t)(crn) << 10 | (uint32_t)(rt) << 5 | (uint32_t)(crm) << 1 | (uint32_t)(read))

/* HCR_EL2 bits (Arm ARM HCR_EL2). */
#define HCR_BIT_TID0  (1ull << 15)
#define HCR_BIT_TID1  (1ull << 16)
#define HCR_BIT_TID2  (1ull << 17)
#define HCR_BIT_TID3  (1ull << 18)
#define HCR_BIT_TIDCP (1ull << 20)
#define HCR_BIT_TACR  (1ull << 21)
#define HCR_BIT_TSW   (1ull << 22)
#define HCR_BIT_TPCP  (1ull << 23)
#define HCR_BIT_TPU   (1ull << 24)
#define HCR_BIT_TTLB  (1ull << 25)
#define HCR_BIT_TVM   (1ull << 26)
#define HCR_BIT_TGE   (1ull << 27)
#define HCR_BIT_TDZ   (1ull << 28)
#define HCR_BIT_TRVM  (1ull << 30)
#define HCR_BIT_RW    (1ull << 31)
#define HCR_BIT_E2H   (1ull << 34)

static struct bus *bus;
static struct code_cache *cc;
static struct cpu *pe;
static csh cs;

/* ---- The rig ------------------------------------------------------------ */

static void setup(void)
{
    bus = NULL;
    cc = NULL;
    pe = NULL;
    ck_assert_int_eq(cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs), CS_ERR_OK);
}

static void teardown(void)
{
    cs_close(&cs);
    cpu_free(pe);
    code_cache_free(cc);
    bus_free(bus);
}

/* Build one PE that starts at EL (1, or 2: EL2 implemented) with PROFILE. */
static void boot(unsigned el, enum cpu_profile profile)
{
    bus = bus_new(RAM_BASE, RAM_SIZE);
    ck_assert_ptr_nonnull(bus);
    cc = code_cache_new(bus, &cost_default);
    ck_assert_ptr_nonnull(cc);
    pe = cpu_new(&(struct cpu_config){.index = 0,
                                      .mpidr = 1ull << 31,
                                      .el = el,
                                      .profile = profile,
                                      .bus = bus,
                                      .code = cc,
                                      .cost = &cost_default,
                                      .conduit = el == 2 ? CONDUIT_SMC : CONDUIT_HVC});
    ck_assert_ptr_nonnull(pe);
}

static void put(uint64_t pa, const uint32_t *words, size_t n)
{
    memcpy(bus_ram_host(bus) + (pa - RAM_BASE), words, 4 * n);
}

#define PUT(pa, ...)                                                                               \
    do {                                                                                           \
        const uint32_t w_[] = {__VA_ARGS__};                                                       \
        put((pa), w_, sizeof(w_) / sizeof(w_[0]));                                                 \
    } while (0)

#define X(n)           cpu_get_x(pe, (n))
#define SETX(n, v)     cpu_set_x(pe, (n), (v))
#define ASSERT_X(n, v) ck_assert_uint_eq(cpu_get_x(pe, (n)), (uint64_t)(v))

static void run_to_wfi(void)
{
    enum cpu_state st = cpu_run(pe, cpu_cycles(pe) + RUN_CYCLES);
    const struct cpu_fault *f = cpu_fault(pe);
    ck_assert_msg(st == CPU_WAIT_WFI, "stopped in state %d (%s at pc %#" PRIx64 ")", st,
                  cpu_fault_kind_name(f->kind), f->pc);
}

/* ---- Capstone: the oracle for encodings --------------------------------- */

static uint32_t A(const char *text, uint32_t word)
{
    char buf[256] = "(invalid)";
    cs_insn *insn;
    size_t n = cs_disasm(cs, (const uint8_t *)&word, 4, 0, 1, &insn);
    if (n) {
        if (insn[0].op_str[0])
            snprintf(buf, sizeof(buf), "%s %s", insn[0].mnemonic, insn[0].op_str);
        else
            snprintf(buf, sizeof(buf), "%s", insn[0].mnemonic);
        cs_free(insn, n);
    }
    if (strcmp(buf, text) != 0)
        ck_abort_msg("word %08x disassembles as \"%s\", expected \"%s\"", word, buf, text);
    return word;
}

/* ---- Encoders (Arm ARM C6.2: MRS, MSR (register), SYS, MOVZ, ERET) ------ */

static uint32_t e_mrs(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                      unsigned rt)
{
    return 0xd5300000u | (op0 & 1) << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt;
}
static uint32_t e_msr(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                      unsigned rt)
{
    return 0xd5100000u | (op0 & 1) << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt;
}
static uint32_t e_sys(unsigned op1, unsigned crn, unsigned crm, unsigned op2, unsigned rt)
{
    return 0xd5080000u | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt;
}
static uint32_t e_movz(unsigned imm16, unsigned rd)
{
    return 0xd2800000u | imm16 << 5 | rd;
}

#define WFI  A("wfi", 0xd503207fu)
#define ERET A("eret", 0xd69f03e0u)

/* Frequently used register accesses, by (op0, op1, CRn, CRm, op2). */
#define MRS_ESR_EL1(rt)  e_mrs(3, 0, 5, 2, 0, rt)
#define MRS_ELR_EL1(rt)  e_mrs(3, 0, 4, 0, 1, rt)
#define MRS_ESR_EL2(rt)  e_mrs(3, 4, 5, 2, 0, rt)
#define MRS_ELR_EL2(rt)  e_mrs(3, 4, 4, 0, 1, rt)
#define MSR_VBAR_EL1(rt) e_msr(3, 0, 12, 0, 0, rt)
#define MSR_VBAR_EL2(rt) e_msr(3, 4, 12, 0, 0, rt)
#define MSR_HCR_EL2(rt)  e_msr(3, 4, 1, 1, 0, rt)
#define MRS_HCR_EL2(rt)  e_mrs(3, 4, 1, 1, 0, rt)

/* A vector handler: X3 = TAG, X0 = ESR_ELx, X1 = ELR_ELx, then WFI. */
static void put_handler(uint64_t pa, unsigned tag, unsigned el)
{
    PUT(pa, e_movz(tag, 3), el == 2 ? MRS_ESR_EL2(0) : MRS_ESR_EL1(0),
        el == 2 ? MRS_ELR_EL2(1) : MRS_ELR_EL1(1), WFI);
}

static void put_vectors(void)
{
    put_handler(VEC1 + 0x200, TAG_EL1_CURRENT, 1);
    put_handler(VEC1 + 0x400, TAG_EL1_LOWER, 1);
    put_handler(VEC2 + 0x200, TAG_EL2_CURRENT, 2);
    put_handler(VEC2 + 0x400, TAG_EL2_LOWER, 2);
}

/* Registers the prologues read: X20..X28. */
static void set_prologue_regs(uint64_t hcr)
{
    SETX(20, VEC2);
    SETX(21, hcr);
    SETX(22, 0x3c5); /* SPSR: EL1h, DAIF masked */
    SETX(23, EL1_CODE);
    SETX(24, VEC1);
    SETX(25, 0); /* MDCR_EL2 */
    SETX(26, 0); /* CPTR_EL2 */
    SETX(27, 0); /* SPSR_EL1: EL0t */
    SETX(28, EL0_CODE);
}

/* Machine started at EL2: run N words at EL2 (vectors installed). */
static void start_el2(const uint32_t *words, size_t n, uint64_t hcr)
{
    put_vectors();
    PUT(CODE, MSR_VBAR_EL2(20), MSR_VBAR_EL1(24), MSR_HCR_EL2(21));
    put(CODE + 12, words, n);
    cpu_reset(pe, CODE, 0);
    set_prologue_regs(hcr);
}

/* Machine started at EL2: set HCR_EL2 (X21), MDCR_EL2 (X25), CPTR_EL2
 * (X26), then ERET to the N words at EL1_CODE. */
static void start_el1_under_el2(const uint32_t *words, size_t n, uint64_t hcr)
{
    put_vectors();
    PUT(CODE, MSR_VBAR_EL2(20), MSR_VBAR_EL1(24), MSR_HCR_EL2(21),
        A("msr mdcr_el2, x25", e_msr(3, 4, 1, 1, 1, 25)),
        A("msr cptr_el2, x26", e_msr(3, 4, 1, 1, 2, 26)),
        A("msr spsr_el2, x22", e_msr(3, 4, 4, 0, 0, 22)),
        A("msr elr_el2, x23", e_msr(3, 4, 4, 0, 1, 23)), ERET);
    put(EL1_CODE, words, n);
    cpu_reset(pe, CODE, 0);
    set_prologue_regs(hcr);
}

/* Machine started at EL1 (no EL2): VBAR_EL1, then the N words. */
static void start_el1(const uint32_t *words, size_t n)
{
    put_vectors();
    PUT(CODE, MSR_VBAR_EL1(24));
    put(CODE + 4, words, n);
    cpu_reset(pe, CODE, 0);
    set_prologue_regs(0);
}

/* From EL1 (either machine), ERET to the N words at EL0_CODE. */
static void put_el0(const uint32_t *words, size_t n)
{
    PUT(EL1_CODE, A("msr spsr_el1, x27", e_msr(3, 0, 4, 0, 0, 27)),
        A("msr elr_el1, x28", e_msr(3, 0, 4, 0, 1, 28)), ERET);
    put(EL0_CODE, words, n);
}

#define RUN_EL2(hcr, ...)                                                                          \
    do {                                                                                           \
        const uint32_t w_[] = {__VA_ARGS__};                                                       \
        start_el2(w_, sizeof(w_) / sizeof(w_[0]), (hcr));                                          \
    } while (0)
#define RUN_EL1_UNDER_EL2(hcr, ...)                                                                \
    do {                                                                                           \
        const uint32_t w_[] = {__VA_ARGS__};                                                       \
        start_el1_under_el2(w_, sizeof(w_) / sizeof(w_[0]), (hcr));                                \
    } while (0)
#define RUN_EL1(...)                                                                               \
    do {                                                                                           \
        const uint32_t w_[] = {__VA_ARGS__};                                                       \
        start_el1(w_, sizeof(w_) / sizeof(w_[0]));                                                 \
    } while (0)

/* The EL1 instruction at index I of the snippet (for ELR checks). */
#define EL1_PC(i) (EL1_CODE + 4 * (i))
/* The instruction at index I after start_el1()'s one-word prologue. */
#define EL1_ONLY_PC(i) (CODE + 4 + 4 * (i))

/* A trap to EL2 from EL1 at ELR with syndrome ESR. */
static void assert_trapped_to_el2(uint32_t esr, uint64_t elr)
{
    ck_assert_uint_eq(cpu_get_el(pe), 2);
    ASSERT_X(3, TAG_EL2_LOWER);
    ASSERT_X(0, esr);
    ASSERT_X(1, elr);
}

/* An exception taken to EL1 from EL1 (UNDEFINED) at ELR. */
static void assert_el1_exception(uint32_t esr, uint64_t elr)
{
    ck_assert_uint_eq(cpu_get_el(pe), 1);
    ASSERT_X(3, TAG_EL1_CURRENT);
    ASSERT_X(0, esr);
    ASSERT_X(1, elr);
}

/* ---- 1. Profiles and ID registers -------------------------------------- */

START_TEST(test_a57_midr_is_cortex_a57_r1p3)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("mrs x5, midr_el1", e_mrs(3, 0, 0, 0, 0, 5)), WFI);
    run_to_wfi();
    /* Implementer 0x41 (Arm), variant 1, architecture 0xF, part 0xD07, revision 3. */
    ASSERT_X(5, 0x411fd073u);
}
END_TEST

START_TEST(test_a57_pfr0_advertises_aarch64_el0_el1_fp_and_simd)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("mrs x5, id_aa64pfr0_el1", e_mrs(3, 0, 0, 4, 0, 5)), WFI);
    run_to_wfi();
    /* EL0 = 1, EL1 = 1 (AArch64 only), EL2 = EL3 = 0, FP = AdvSIMD = 0
     * (implemented, no FEAT_FP16), GIC = 0, RAS = 0, SVE = 0. */
    ASSERT_X(5, 0x00000011u);
}
END_TEST

START_TEST(test_a57_isar0_has_crc32_but_no_atomics_aes_or_sha)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("mrs x5, id_aa64isar0_el1", e_mrs(3, 0, 0, 6, 0, 5)),
            A("mrs x6, id_aa64isar1_el1", e_mrs(3, 0, 0, 6, 1, 6)), WFI);
    run_to_wfi();
    ASSERT_X(5, 1u << 16); /* CRC32 = 1 (bits 19:16); AES, SHA1, SHA2, Atomic = 0 */
    ASSERT_X(6, 0);        /* no LRCPC */
}
END_TEST

START_TEST(test_a57_mmfr_has_44_bit_pa_16_bit_asid_and_no_v8_1_features)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("mrs x5, id_aa64mmfr0_el1", e_mrs(3, 0, 0, 7, 0, 5)),
            A("mrs x6, id_aa64mmfr1_el1", e_mrs(3, 0, 0, 7, 1, 6)), WFI);
    run_to_wfi();
    /* PARange 0b0100 (44 bits), ASIDBits 0b0010 (16), BigEnd 0,
     * TGran16 0 (16 KB granule not supported), TGran64/TGran4 0 (supported). */
    ASSERT_X(5, 0x24);
    ASSERT_X(6, 0); /* no VMID16, VH, HPDS, PAN */
}
END_TEST

START_TEST(test_max_isar_advertises_crc32_lse_and_lrcpc)
{
    boot(1, CPU_PROFILE_MAX);
    RUN_EL1(A("mrs x5, id_aa64isar0_el1", e_mrs(3, 0, 0, 6, 0, 5)),
            A("mrs x6, id_aa64isar1_el1", e_mrs(3, 0, 0, 6, 1, 6)), WFI);
    run_to_wfi();
    ASSERT_X(5, 2u << 20 | 1u << 16); /* Atomic = 0b0010 (FEAT_LSE), CRC32 = 1 */
    ASSERT_X(6, 1u << 20);            /* LRCPC = 1 (LDAPR) */
}
END_TEST

START_TEST(test_max_mmfr1_advertises_pan_vhe_vmid16_and_hpds)
{
    boot(1, CPU_PROFILE_MAX);
    RUN_EL1(A("mrs x5, id_aa64mmfr1_el1", e_mrs(3, 0, 0, 7, 1, 5)), WFI);
    run_to_wfi();
    /* VMIDBits 7:4 = 0b0010, VH 11:8 = 1, HPDS 15:12 = 1, PAN 23:20 = 1. */
    ASSERT_X(5, 0x00101120u);
}
END_TEST

START_TEST(test_pfr0_el2_field_set_only_when_started_at_el2)
{
    boot(2, CPU_PROFILE_A57);
    RUN_EL2(0, A("mrs x5, id_aa64pfr0_el1", e_mrs(3, 0, 0, 4, 0, 5)), WFI);
    run_to_wfi();
    ASSERT_X(5, 0x00000111u); /* EL2 (bits 11:8) = 1: AArch64 */
}
END_TEST

START_TEST(test_dfr0_advertises_v8_debug_without_pmu)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("mrs x5, id_aa64dfr0_el1", e_mrs(3, 0, 0, 5, 0, 5)), WFI);
    run_to_wfi();
    /* DebugVer 6 (Armv8.0), PMUVer 0 (no PMU), BRPs 5 (six breakpoints),
     * WRPs 3 (four watchpoints), CTX_CMPs 1 (two context-aware), as the
     * Cortex-A57 TRM gives them. */
    ASSERT_X(5, 0x10305006u);
}
END_TEST

START_TEST(test_aarch32_id_registers_read_as_zero)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("mrs x5, id_pfr0_el1", e_mrs(3, 0, 0, 1, 0, 5)),
            A("mrs x6, mvfr0_el1", e_mrs(3, 0, 0, 3, 0, 6)), WFI);
    SETX(5, 0xdead);
    SETX(6, 0xdead);
    run_to_wfi();
    ASSERT_X(5, 0);
    ASSERT_X(6, 0);
}
END_TEST

START_TEST(test_reserved_id_encoding_reads_as_zero)
{
    boot(1, CPU_PROFILE_MAX);
    RUN_EL1(A("mrs x5, s3_0_c0_c3_3", e_mrs(3, 0, 0, 3, 3, 5)), WFI);
    SETX(5, 0xdead);
    run_to_wfi();
    ASSERT_X(5, 0);
}
END_TEST

START_TEST(test_cache_ids_describe_64_byte_lines)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("mrs x5, ctr_el0", e_mrs(3, 3, 0, 0, 1, 5)),
            A("mrs x6, dczid_el0", e_mrs(3, 3, 0, 0, 7, 6)),
            A("mrs x7, clidr_el1", e_mrs(3, 1, 0, 0, 1, 7)), WFI);
    run_to_wfi();
    /* CTR_EL0: bit 31 RES1, CWG = ERG = DminLine = IminLine = 4 (16 words),
     * L1Ip = 0b11 (PIPT). DCZID_EL0: BS = 4 (64 bytes), DZP = 0 at EL1.
     * CLIDR_EL1: Ctype1 = 0b011, Ctype2 = 0b100, LoUIS 1, LoC 2, LoUU 1. */
    ASSERT_X(5, 0x8444c004u);
    ASSERT_X(6, 4);
    ASSERT_X(7, 0x0a200023u);
}
END_TEST

START_TEST(test_ccsidr_reports_the_cache_csselr_selects)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("msr csselr_el1, x8", e_msr(3, 2, 0, 0, 0, 8)),
            A("mrs x5, ccsidr_el1", e_mrs(3, 1, 0, 0, 0, 5)), WFI);
    SETX(8, 2); /* Level 2 (Level field 3:1 = 1), InD = 0 */
    run_to_wfi();
    /* 2 MB, 16-way, 64-byte lines: NumSets 2047, Associativity 15, LineSize 2. */
    ASSERT_X(5, 0x70ffe07au);
}
END_TEST

START_TEST(test_profile_names_parse)
{
    enum cpu_profile p = CPU_PROFILE_MAX;
    ck_assert(cpu_profile_parse("a57", &p));
    ck_assert_int_eq(p, CPU_PROFILE_A57);
    ck_assert(cpu_profile_parse("cortex-a57", &p));
    ck_assert_int_eq(p, CPU_PROFILE_A57);
    ck_assert(cpu_profile_parse("max", &p));
    ck_assert_int_eq(p, CPU_PROFILE_MAX);
    ck_assert(!cpu_profile_parse("a53", &p));
    ck_assert_str_eq(cpu_profile_name(CPU_PROFILE_A57), "a57");
}
END_TEST

/* ---- 2. Existence and access rules ------------------------------------- */

START_TEST(test_write_to_read_only_midr_is_undefined)
{
    boot(1, CPU_PROFILE_MAX);
    /* Capstone has no name for an MSR to MIDR_EL1: the encoding is unallocated. */
    RUN_EL1(A("msr s3_0_c0_c0_0, x5", e_msr(3, 0, 0, 0, 0, 5)), WFI);
    run_to_wfi();
    assert_el1_exception(ESR_UNKNOWN, EL1_ONLY_PC(0));
}
END_TEST

START_TEST(test_read_of_write_only_oslar_is_undefined)
{
    boot(1, CPU_PROFILE_MAX);
    /* OSLAR_EL1 is S2_0_C1_C0_4; Capstone 4 prints an unnamed op0 = 2 read
     * as "s3_...", so the word is checked through the MSR form instead. */
    ck_assert_uint_eq(A("msr oslar_el1, x5", e_msr(2, 0, 1, 0, 4, 5)) | 1u << 21,
                      e_mrs(2, 0, 1, 0, 4, 5));
    RUN_EL1(e_mrs(2, 0, 1, 0, 4, 5), WFI);
    run_to_wfi();
    assert_el1_exception(ESR_UNKNOWN, EL1_ONLY_PC(0));
}
END_TEST

START_TEST(test_el2_register_from_el1_is_undefined)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW, A("mrs x5, hcr_el2", MRS_HCR_EL2(5)), WFI);
    run_to_wfi();
    /* No FEAT_NV: the access is UNDEFINED, taken to EL1. */
    assert_el1_exception(ESR_UNKNOWN, EL1_PC(0));
}
END_TEST

START_TEST(test_el2_register_absent_without_el2)
{
    boot(1, CPU_PROFILE_MAX);
    RUN_EL1(A("mrs x5, vbar_el2", e_mrs(3, 4, 12, 0, 0, 5)), WFI);
    run_to_wfi();
    assert_el1_exception(ESR_UNKNOWN, EL1_ONLY_PC(0));
}
END_TEST

START_TEST(test_el1_register_from_el0_is_undefined)
{
    boot(1, CPU_PROFILE_MAX);
    const uint32_t el0[] = {A("mrs x5, sctlr_el1", e_mrs(3, 0, 1, 0, 0, 5)), WFI};
    RUN_EL1(A("b #0xffc", 0x14000000u | (0xffcu / 4)));
    put_el0(el0, 2);
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 1);
    ASSERT_X(3, TAG_EL1_LOWER);
    ASSERT_X(0, ESR_UNKNOWN);
    ASSERT_X(1, EL0_CODE);
}
END_TEST

START_TEST(test_el0_ctr_el0_read_traps_to_el1_when_uct_clear)
{
    boot(1, CPU_PROFILE_MAX);
    const uint32_t el0[] = {A("mrs x5, ctr_el0", e_mrs(3, 3, 0, 0, 1, 5)), WFI};
    RUN_EL1(A("b #0xffc", 0x14000000u | (0xffcu / 4)));
    put_el0(el0, 2);
    run_to_wfi();
    /* SCTLR_EL1.UCT resets to 0: EC 0x18 to EL1, Op0 3, Op1 3, Op2 1, Rt 5, read. */
    ck_assert_uint_eq(cpu_get_el(pe), 1);
    ASSERT_X(3, TAG_EL1_LOWER);
    ASSERT_X(0, ESR_SYSREG(ISS(3, 3, 0, 0, 1, 5, 1)));
    ASSERT_X(0, ESR_SYSREG(0x32c0a1u));
    ASSERT_X(1, EL0_CODE);
}
END_TEST

START_TEST(test_el0_daif_read_traps_to_el1_without_uma)
{
    boot(1, CPU_PROFILE_MAX);
    const uint32_t el0[] = {A("mrs x2, daif", e_mrs(3, 3, 4, 2, 1, 2)), WFI};
    RUN_EL1(A("b #0xffc", 0x14000000u | (0xffcu / 4)));
    put_el0(el0, 2);
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 1);
    ASSERT_X(3, TAG_EL1_LOWER);
    ASSERT_X(0, ESR_SYSREG(ISS(3, 3, 4, 2, 1, 2, 1)));
}
END_TEST

START_TEST(test_pan_register_absent_on_a57)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("mrs x5, pan", e_mrs(3, 0, 4, 2, 3, 5)), WFI);
    run_to_wfi();
    assert_el1_exception(ESR_UNKNOWN, EL1_ONLY_PC(0));
}
END_TEST

START_TEST(test_msr_pan_immediate_sets_pstate_pan)
{
    boot(1, CPU_PROFILE_MAX);
    RUN_EL1(A("msr pan, #1", 0xd500419fu), A("mrs x5, pan", e_mrs(3, 0, 4, 2, 3, 5)), WFI);
    run_to_wfi();
    ASSERT_X(5, 1u << 22); /* PAN reads PSTATE.PAN in bit 22 */
}
END_TEST

START_TEST(test_msr_pan_immediate_is_undefined_on_a57)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("msr pan, #1", 0xd500419fu), WFI);
    run_to_wfi();
    assert_el1_exception(ESR_UNKNOWN, EL1_ONLY_PC(0));
}
END_TEST

START_TEST(test_oslar_write_clears_os_lock_reported_by_oslsr)
{
    boot(1, CPU_PROFILE_MAX);
    RUN_EL1(A("mrs x5, oslsr_el1", e_mrs(2, 0, 1, 1, 4, 5)),
            A("msr oslar_el1, xzr", e_msr(2, 0, 1, 0, 4, 31)),
            A("mrs x6, oslsr_el1", e_mrs(2, 0, 1, 1, 4, 6)), WFI);
    run_to_wfi();
    /* OSLM = 0b10 (bit 3 set, bit 0 clear); OSLK (bit 1) is 1 out of reset. */
    ASSERT_X(5, 0xa);
    ASSERT_X(6, 0x8);
}
END_TEST

/* ---- 3. HCR_EL2 traps with their syndromes ----------------------------- */

START_TEST(test_tvm_traps_sctlr_el1_write_with_iss)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TVM, A("msr sctlr_el1, x5", e_msr(3, 0, 1, 0, 0, 5)),
                      WFI);
    run_to_wfi();
    /* Op0 3, Op2 0, Op1 0, CRn 1, Rt 5, CRm 0, write: 0x3004a0. */
    assert_trapped_to_el2(ESR_SYSREG(0x3004a0u), EL1_PC(0));
}
END_TEST

START_TEST(test_tvm_does_not_trap_reads)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TVM, A("mrs x5, tcr_el1", e_mrs(3, 0, 2, 0, 2, 5)), WFI);
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 1);
    ASSERT_X(3, 0);
}
END_TEST

START_TEST(test_trvm_traps_ttbr0_el1_read_with_iss)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TRVM, A("mrs x7, ttbr0_el1", e_mrs(3, 0, 2, 0, 0, 7)),
                      WFI);
    run_to_wfi();
    /* Op0 3, CRn 2, Rt 7, read: 0x3008e1. */
    assert_trapped_to_el2(ESR_SYSREG(0x3008e1u), EL1_PC(0));
}
END_TEST

START_TEST(test_tvm_traps_contextidr_el1_write)
{
    boot(2, CPU_PROFILE_A57);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TVM,
                      A("msr contextidr_el1, x9", e_msr(3, 0, 13, 0, 1, 9)), WFI);
    run_to_wfi();
    assert_trapped_to_el2(ESR_SYSREG(ISS(3, 0, 13, 0, 1, 9, 0)), EL1_PC(0));
}
END_TEST

START_TEST(test_tid1_traps_revidr_read_with_iss)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TID1, A("mrs x2, revidr_el1", e_mrs(3, 0, 0, 0, 6, 2)),
                      WFI);
    run_to_wfi();
    /* Op0 3, Op2 6, Rt 2, read: 0x3c0041. */
    assert_trapped_to_el2(ESR_SYSREG(0x3c0041u), EL1_PC(0));
}
END_TEST

START_TEST(test_tid2_traps_ctr_el0_read_from_el1_with_iss)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TID2, A("mrs x4, ctr_el0", e_mrs(3, 3, 0, 0, 1, 4)),
                      WFI);
    run_to_wfi();
    /* Op0 3, Op2 1, Op1 3, Rt 4, read: 0x32c081. */
    assert_trapped_to_el2(ESR_SYSREG(0x32c081u), EL1_PC(0));
}
END_TEST

START_TEST(test_tid2_traps_csselr_write)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TID2, A("msr csselr_el1, x1", e_msr(3, 2, 0, 0, 0, 1)),
                      WFI);
    run_to_wfi();
    /* Op0 3, Op1 2, Rt 1, write: 0x308020. */
    assert_trapped_to_el2(ESR_SYSREG(0x308020u), EL1_PC(0));
}
END_TEST

START_TEST(test_tid3_traps_id_aa64pfr0_read_with_iss)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TID3,
                      A("mrs x0, id_aa64pfr0_el1", e_mrs(3, 0, 0, 4, 0, 0)), WFI);
    run_to_wfi();
    /* Op0 3, CRm 4, Rt 0, read: 0x300009. */
    assert_trapped_to_el2(ESR_SYSREG(0x300009u), EL1_PC(0));
}
END_TEST

START_TEST(test_tid3_traps_reserved_id_encoding)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TID3, A("mrs x6, s3_0_c0_c3_3", e_mrs(3, 0, 0, 3, 3, 6)),
                      WFI);
    run_to_wfi();
    assert_trapped_to_el2(ESR_SYSREG(ISS(3, 0, 0, 3, 3, 6, 1)), EL1_PC(0));
}
END_TEST

START_TEST(test_tid3_does_not_trap_midr)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TID3, A("mrs x5, midr_el1", e_mrs(3, 0, 0, 0, 0, 5)),
                      WFI);
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 1); /* MIDR is not in ID group 3 */
}
END_TEST

START_TEST(test_tid0_is_res0_without_aarch32)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL2(HCR_BIT_TID0, A("mrs x5, hcr_el2", MRS_HCR_EL2(5)), WFI);
    run_to_wfi();
    /* TID0 traps only AArch32 registers: RES0 here. RW is RAO. */
    ASSERT_X(5, HCR_BIT_RW);
}
END_TEST

START_TEST(test_tacr_traps_actlr_el1_with_iss)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TACR, A("mrs x9, actlr_el1", e_mrs(3, 0, 1, 0, 1, 9)),
                      WFI);
    run_to_wfi();
    /* Op0 3, Op2 1, CRn 1, Rt 9, read: 0x320521. */
    assert_trapped_to_el2(ESR_SYSREG(0x320521u), EL1_PC(0));
}
END_TEST

START_TEST(test_tidcp_traps_impdef_register_from_el1)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TIDCP,
                      A("mrs x0, s3_0_c15_c0_0", e_mrs(3, 0, 15, 0, 0, 0)), WFI);
    run_to_wfi();
    /* Op0 3, CRn 15, Rt 0, read: 0x303c01. */
    assert_trapped_to_el2(ESR_SYSREG(0x303c01u), EL1_PC(0));
}
END_TEST

START_TEST(test_impdef_register_without_tidcp_is_undefined)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW, A("msr s3_0_c11_c0_0, x5", e_msr(3, 0, 11, 0, 0, 5)), WFI);
    run_to_wfi();
    assert_el1_exception(ESR_UNKNOWN, EL1_PC(0));
}
END_TEST

START_TEST(test_cptr_tcpac_traps_cpacr_el1)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW, A("msr cpacr_el1, x5", e_msr(3, 0, 1, 0, 2, 5)), WFI);
    SETX(26, 1ull << 31); /* CPTR_EL2.TCPAC */
    run_to_wfi();
    assert_trapped_to_el2(ESR_SYSREG(ISS(3, 0, 1, 0, 2, 5, 0)), EL1_PC(0));
}
END_TEST

START_TEST(test_mdcr_tda_traps_mdscr_el1)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW, A("mrs x0, mdscr_el1", e_mrs(2, 0, 0, 2, 2, 0)), WFI);
    SETX(25, 1ull << 9); /* MDCR_EL2.TDA */
    run_to_wfi();
    /* Op0 2, Op2 2, CRm 2, Rt 0, read: 0x240005. */
    assert_trapped_to_el2(ESR_SYSREG(0x240005u), EL1_PC(0));
}
END_TEST

START_TEST(test_mdcr_tde_makes_os_lock_registers_trap)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW, A("mrs x0, oslsr_el1", e_mrs(2, 0, 1, 1, 4, 0)), WFI);
    SETX(25, 1ull << 8); /* MDCR_EL2.TDE: TDOSA acts as 1 */
    run_to_wfi();
    assert_trapped_to_el2(ESR_SYSREG(ISS(2, 0, 1, 1, 4, 0, 1)), EL1_PC(0));
}
END_TEST

START_TEST(test_el0_ctr_el0_read_traps_to_el2_with_tid2_when_uct_set)
{
    boot(2, CPU_PROFILE_MAX);
    /* EL1 sets SCTLR_EL1.UCT (and keeps nTWI, nTWE), then drops to EL0. */
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TID2, A("msr sctlr_el1, x8", e_msr(3, 0, 1, 0, 0, 8)),
                      A("msr spsr_el1, x27", e_msr(3, 0, 4, 0, 0, 27)),
                      A("msr elr_el1, x28", e_msr(3, 0, 4, 0, 1, 28)), ERET);
    PUT(EL0_CODE, A("mrs x5, ctr_el0", e_mrs(3, 3, 0, 0, 1, 5)), WFI);
    SETX(8, 1ull << 15 | 1ull << 16 | 1ull << 18);
    run_to_wfi();
    /* UCT lets EL0 past the EL1 trap; TID2 then traps it to EL2. */
    ck_assert_uint_eq(cpu_get_el(pe), 2);
    ASSERT_X(3, TAG_EL2_LOWER);
    ASSERT_X(0, ESR_SYSREG(ISS(3, 3, 0, 0, 1, 5, 1)));
    ASSERT_X(1, EL0_CODE);
}
END_TEST

/* ---- 4. Traps of SYS instructions (sysreg_sys_trapped) ----------------- */

/* Park the PE at EL1 under HCR (WFI), then ask whether INSN traps. */
static bool sys_trapped_at_el1(uint64_t hcr, uint32_t insn)
{
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | hcr, WFI);
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 1);
    return sysreg_sys_trapped(pe, insn);
}

START_TEST(test_tsw_traps_dc_cisw_with_iss)
{
    boot(2, CPU_PROFILE_MAX);
    ck_assert(sys_trapped_at_el1(HCR_BIT_TSW, A("dc cisw, x3", e_sys(0, 7, 14, 2, 3))));
    ck_assert_uint_eq(cpu_get_el(pe), 2);
    /* Op0 1, Op2 2, Op1 0, CRn 7, Rt 3, CRm 14, direction 0. */
    ck_assert_uint_eq(pe->esr[2], ESR_SYSREG(ISS(1, 0, 7, 14, 2, 3, 0)));
}
END_TEST

START_TEST(test_tpcp_traps_dc_civac)
{
    boot(2, CPU_PROFILE_MAX);
    ck_assert(sys_trapped_at_el1(HCR_BIT_TPCP, A("dc civac, x3", e_sys(3, 7, 14, 1, 3))));
    ck_assert_uint_eq(pe->esr[2], ESR_SYSREG(ISS(1, 3, 7, 14, 1, 3, 0)));
}
END_TEST

START_TEST(test_tpu_traps_ic_iallu)
{
    boot(2, CPU_PROFILE_MAX);
    ck_assert(sys_trapped_at_el1(HCR_BIT_TPU, A("ic iallu", e_sys(0, 7, 5, 0, 31))));
    ck_assert_uint_eq(pe->esr[2], ESR_SYSREG(ISS(1, 0, 7, 5, 0, 31, 0)));
}
END_TEST

START_TEST(test_ttlb_traps_tlbi_vmalle1)
{
    boot(2, CPU_PROFILE_MAX);
    ck_assert(sys_trapped_at_el1(HCR_BIT_TTLB, A("tlbi vmalle1", e_sys(0, 8, 7, 0, 31))));
    ck_assert_uint_eq(pe->esr[2], ESR_SYSREG(ISS(1, 0, 8, 7, 0, 31, 0)));
}
END_TEST

START_TEST(test_tdz_traps_dc_zva_and_sets_dczid_dzp)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_TDZ, A("mrs x5, dczid_el0", e_mrs(3, 3, 0, 0, 7, 5)),
                      WFI);
    run_to_wfi();
    ASSERT_X(5, 1u << 4 | 4); /* DZP = 1: DC ZVA is prohibited; BS = 4 */
    ck_assert(sysreg_sys_trapped(pe, A("dc zva, x3", e_sys(3, 7, 4, 1, 3))));
    ck_assert_uint_eq(pe->esr[2], ESR_SYSREG(ISS(1, 3, 7, 4, 1, 3, 0)));
}
END_TEST

START_TEST(test_sys_not_trapped_without_hcr_bits)
{
    boot(2, CPU_PROFILE_MAX);
    ck_assert(!sys_trapped_at_el1(0, A("dc civac, x3", e_sys(3, 7, 14, 1, 3))));
    ck_assert_uint_eq(cpu_get_el(pe), 1);
}
END_TEST

START_TEST(test_el0_dc_civac_traps_to_el1_when_uci_clear)
{
    boot(1, CPU_PROFILE_MAX);
    const uint32_t el0[] = {WFI};
    RUN_EL1(A("b #0xffc", 0x14000000u | (0xffcu / 4)));
    put_el0(el0, 1);
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 0);
    /* SCTLR_EL1.UCI resets to 0. */
    ck_assert(sysreg_sys_trapped(pe, A("dc civac, x3", e_sys(3, 7, 14, 1, 3))));
    ck_assert_uint_eq(cpu_get_el(pe), 1);
    ck_assert_uint_eq(pe->esr[1], ESR_SYSREG(ISS(1, 3, 7, 14, 1, 3, 0)));
}
END_TEST

/* ---- 5. VPIDR_EL2 / VMPIDR_EL2 ----------------------------------------- */

START_TEST(test_midr_read_at_el1_returns_vpidr_el2)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL2(HCR_BIT_RW, A("msr vpidr_el2, x9", e_msr(3, 4, 0, 0, 0, 9)),
            A("mrs x6, midr_el1", e_mrs(3, 0, 0, 0, 0, 6)),
            A("msr spsr_el2, x22", e_msr(3, 4, 4, 0, 0, 22)),
            A("msr elr_el2, x23", e_msr(3, 4, 4, 0, 1, 23)), ERET);
    PUT(EL1_CODE, A("mrs x5, midr_el1", e_mrs(3, 0, 0, 0, 0, 5)), WFI);
    SETX(9, 0x410fd034u);
    run_to_wfi();
    ASSERT_X(6, 0x000f0a64u); /* at EL2: the real MIDR of the max profile */
    ASSERT_X(5, 0x410fd034u); /* at EL1: VPIDR_EL2 */
}
END_TEST

START_TEST(test_vpidr_el2_resets_to_midr)
{
    boot(2, CPU_PROFILE_A57);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW, A("mrs x5, midr_el1", e_mrs(3, 0, 0, 0, 0, 5)), WFI);
    run_to_wfi();
    ASSERT_X(5, 0x411fd073u);
}
END_TEST

START_TEST(test_mpidr_read_at_el1_returns_vmpidr_el2)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL2(HCR_BIT_RW, A("msr vmpidr_el2, x9", e_msr(3, 4, 0, 0, 5, 9)),
            A("mrs x6, vmpidr_el2", e_mrs(3, 4, 0, 0, 5, 6)),
            A("msr spsr_el2, x22", e_msr(3, 4, 4, 0, 0, 22)),
            A("msr elr_el2, x23", e_msr(3, 4, 4, 0, 1, 23)), ERET);
    PUT(EL1_CODE, A("mrs x5, mpidr_el1", e_mrs(3, 0, 0, 0, 5, 5)), WFI);
    SETX(9, 0x0102);
    run_to_wfi();
    ASSERT_X(6, 0x80000102u); /* bit 31 RES1 */
    ASSERT_X(5, 0x80000102u);
}
END_TEST

/* ---- 6. VHE ------------------------------------------------------------ */

START_TEST(test_e2h_redirects_el1_register_access_at_el2)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL2(HCR_BIT_RW | HCR_BIT_E2H, A("msr tcr_el1, x9", e_msr(3, 0, 2, 0, 2, 9)),
            A("mrs x5, tcr_el2", e_mrs(3, 4, 2, 0, 2, 5)),
            A("mrs x6, tcr_el12", e_mrs(3, 5, 2, 0, 2, 6)), WFI);
    SETX(9, 0x10);
    run_to_wfi();
    ASSERT_X(5, 0x10); /* TCR_EL1 at EL2 with E2H = 1 is TCR_EL2 */
    ASSERT_X(6, 0);    /* the real TCR_EL1 is untouched (reset 0) */
}
END_TEST

START_TEST(test_el12_accessor_reaches_el1_register)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL2(HCR_BIT_RW | HCR_BIT_E2H, A("msr ttbr0_el12, x9", e_msr(3, 5, 2, 0, 0, 9)),
            A("msr hcr_el2, x10", MSR_HCR_EL2(10)), A("mrs x5, ttbr0_el1", e_mrs(3, 0, 2, 0, 0, 5)),
            WFI);
    SETX(9, 0x0001000040001000ull); /* ASID 1, table at 0x4000_1000 */
    SETX(10, HCR_BIT_RW);           /* E2H back to 0: TTBR0_EL1 is itself again */
    run_to_wfi();
    ASSERT_X(5, 0x0001000040001000ull);
}
END_TEST

START_TEST(test_el12_accessor_without_e2h_is_undefined)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL2(HCR_BIT_RW, A("mrs x5, sctlr_el12", e_mrs(3, 5, 1, 0, 0, 5)), WFI);
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 2);
    ASSERT_X(3, TAG_EL2_CURRENT);
    ASSERT_X(0, ESR_UNKNOWN);
    ASSERT_X(1, CODE + 12);
}
END_TEST

START_TEST(test_el12_accessor_from_el1_is_undefined)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL1_UNDER_EL2(HCR_BIT_RW | HCR_BIT_E2H, A("mrs x5, sctlr_el12", e_mrs(3, 5, 1, 0, 0, 5)),
                      WFI);
    run_to_wfi();
    assert_el1_exception(ESR_UNKNOWN, EL1_PC(0));
}
END_TEST

START_TEST(test_e2h_is_res0_on_a57)
{
    boot(2, CPU_PROFILE_A57);
    RUN_EL2(HCR_BIT_RW | HCR_BIT_E2H, A("mrs x5, hcr_el2", MRS_HCR_EL2(5)), WFI);
    run_to_wfi();
    ASSERT_X(5, HCR_BIT_RW); /* no FEAT_VHE: E2H is RES0 */
}
END_TEST

START_TEST(test_ttbr1_el2_is_undefined_on_a57)
{
    boot(2, CPU_PROFILE_A57);
    RUN_EL2(HCR_BIT_RW, A("mrs x5, ttbr1_el2", e_mrs(3, 4, 2, 0, 1, 5)), WFI);
    run_to_wfi();
    ASSERT_X(3, TAG_EL2_CURRENT);
    ASSERT_X(0, ESR_UNKNOWN);
}
END_TEST

START_TEST(test_e2h_cpacr_el1_at_el2_reaches_cptr_el2)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL2(HCR_BIT_RW | HCR_BIT_E2H, A("msr cpacr_el1, x9", e_msr(3, 0, 1, 0, 2, 9)),
            A("mrs x5, cptr_el2", e_mrs(3, 4, 1, 1, 2, 5)),
            A("mrs x6, cpacr_el12", e_mrs(3, 5, 1, 0, 2, 6)), WFI);
    SETX(9, 3ull << 20); /* FPEN = 0b11 */
    run_to_wfi();
    /* CPTR_EL2 in its E2H = 1 layout: FPEN at 21:20, no RES1 bits. */
    ASSERT_X(5, 3ull << 20);
    ASSERT_X(6, 0);
}
END_TEST

START_TEST(test_tcr_el2_res1_bits_follow_e2h)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL2(HCR_BIT_RW, A("msr tcr_el2, xzr", e_msr(3, 4, 2, 0, 2, 31)),
            A("mrs x5, tcr_el2", e_mrs(3, 4, 2, 0, 2, 5)), A("msr hcr_el2, x10", MSR_HCR_EL2(10)),
            A("msr tcr_el2, xzr", e_msr(3, 4, 2, 0, 2, 31)),
            A("mrs x6, tcr_el2", e_mrs(3, 4, 2, 0, 2, 6)), WFI);
    SETX(10, HCR_BIT_RW | HCR_BIT_E2H);
    run_to_wfi();
    ASSERT_X(5, 1ull << 31 | 1ull << 23); /* E2H = 0: bits 31 and 23 RES1 */
    ASSERT_X(6, 0);                       /* E2H = 1: the TCR_EL1 layout, no RES1 */
}
END_TEST

/* ---- 7. RES0 / RES1 ---------------------------------------------------- */

START_TEST(test_sctlr_el1_zero_write_keeps_res1_bits_max)
{
    boot(1, CPU_PROFILE_MAX);
    RUN_EL1(A("msr sctlr_el1, xzr", e_msr(3, 0, 1, 0, 0, 31)),
            A("mrs x5, sctlr_el1", e_mrs(3, 0, 1, 0, 0, 5)), WFI);
    run_to_wfi();
    /* No AArch32 EL0: ITD 7, SED 8 RES1; no FEAT_ExS: EOS 11, EIS 22 RES1;
     * no FEAT_CSV2_2: TSCXT 20 RES1; no FEAT_LSMAOC: nTLSMD 28, LSMAOE 29
     * RES1. SPAN (23) is writable with FEAT_PAN. */
    ASSERT_X(5, 0x30500980u);
}
END_TEST

START_TEST(test_sctlr_el1_span_is_res1_without_pan)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("msr sctlr_el1, xzr", e_msr(3, 0, 1, 0, 0, 31)),
            A("mrs x5, sctlr_el1", e_mrs(3, 0, 1, 0, 0, 5)), WFI);
    run_to_wfi();
    ASSERT_X(5, 0x30d00980u);
}
END_TEST

START_TEST(test_sctlr_el1_res0_bits_ignore_writes)
{
    boot(1, CPU_PROFILE_MAX);
    RUN_EL1(A("msr sctlr_el1, x9", e_msr(3, 0, 1, 0, 0, 9)),
            A("mrs x5, sctlr_el1", e_mrs(3, 0, 1, 0, 0, 5)), WFI);
    SETX(9, ~1ull); /* every bit but M: the MMU stays off */
    run_to_wfi();
    /* Writable: A C SA SA0 (4:1), UMA 9, I 12, DZE 14, UCT 15, nTWI 16,
     * nTWE 18, WXN 19, SPAN 23, UCI 26; plus the RES1 bits. CP15BEN (5),
     * E0E (24), EE (25, little-endian only) and bits 63:30 stay 0. */
    ASSERT_X(5, 0x34dddb9eu);
}
END_TEST

START_TEST(test_sctlr_el1_reset_value_has_res1_bits)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("mrs x5, sctlr_el1", e_mrs(3, 0, 1, 0, 0, 5)), WFI);
    run_to_wfi();
    /* SA, SA0, nTWI, nTWE set out of reset (as Cortex-A57), plus RES1. */
    ASSERT_X(5, 0x30d50998u);
}
END_TEST

START_TEST(test_sctlr_el2_res1_bits_without_e2h)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL2(HCR_BIT_RW, A("msr sctlr_el2, xzr", e_msr(3, 4, 1, 0, 0, 31)),
            A("mrs x5, sctlr_el2", e_mrs(3, 4, 1, 0, 0, 5)), WFI);
    run_to_wfi();
    /* SA0 4, CP15BEN 5, EOS 11, nTWI 16, nTWE 18, EIS 22, SPAN 23, nTLSMD
     * 28, LSMAOE 29. */
    ASSERT_X(5, 0x30c50830u);
}
END_TEST

START_TEST(test_hcr_el2_rw_reads_as_one)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL2(0, A("mrs x5, hcr_el2", MRS_HCR_EL2(5)), WFI);
    run_to_wfi();
    ASSERT_X(5, HCR_BIT_RW); /* RAO/WI: EL1 cannot be AArch32 */
}
END_TEST

START_TEST(test_vttbr_vmid_is_8_bits_on_a57)
{
    boot(2, CPU_PROFILE_A57);
    RUN_EL2(HCR_BIT_RW, A("msr vttbr_el2, x9", e_msr(3, 4, 2, 1, 0, 9)),
            A("mrs x5, vttbr_el2", e_mrs(3, 4, 2, 1, 0, 5)), WFI);
    SETX(9, 0xffff000040002000ull);
    run_to_wfi();
    ASSERT_X(5, 0x00ff000040002000ull); /* VMIDBits = 8: bits 63:56 RES0 */
}
END_TEST

START_TEST(test_vtcr_el2_bit_31_is_res1)
{
    boot(2, CPU_PROFILE_MAX);
    RUN_EL2(HCR_BIT_RW, A("msr vtcr_el2, x9", e_msr(3, 4, 2, 1, 2, 9)),
            A("mrs x5, vtcr_el2", e_mrs(3, 4, 2, 1, 2, 5)), WFI);
    SETX(9, 1ull << 20 | 0x80019); /* RES0 bit 20, VS (19), T0SZ = 25 */
    run_to_wfi();
    ASSERT_X(5, 0x80080019ull);
}
END_TEST

/* ---- Suite --------------------------------------------------------------- */

/* ISR_EL1 (Arm ARM D19, ISR_EL1): A (8), I (7), F (6) show pending SError,
 * IRQ and FIQ: the physical inputs, or at EL1 with HCR_EL2.AMO/IMO/FMO
 * set (TGE clear) the virtual ones (HCR_EL2.VSE, vIRQ, vFIQ). Read-only:
 * MSR is UNDEFINED. DAIF stays masked, so nothing is taken. */
#define MRS_ISR(rt) A("mrs x6, isr_el1", e_mrs(3, 0, 12, 1, 0, rt))

/* The snippets end in a branch to itself: with an interrupt input asserted
 * a WFI would not sleep (it wakes whatever PSTATE masks). Run a while. */
#define SPIN 0x14000000u /* b . */
static void run_lines(void)
{
    for (int i = 0; i < 8; i++)
        cpu_run(pe, cpu_cycles(pe) + 1000);
    ck_assert_int_eq(cpu_state(pe), CPU_RUNNING);
}

START_TEST(test_isr_el1_physical_lines)
{
    boot(1, CPU_PROFILE_MAX);
    const uint32_t w[] = {MRS_ISR(6), A("b #0", SPIN)};
    start_el1(w, 2);
    cpu_set_irq_line(pe, CPU_LINE_IRQ, true, 0);
    cpu_set_irq_line(pe, CPU_LINE_SERROR, true, 0);
    cpu_set_irq_line(pe, CPU_LINE_VFIQ, true, 0); /* no EL2: no virtual interrupts */
    run_lines();
    ASSERT_X(6, 0x180);
}
END_TEST

START_TEST(test_isr_el1_virtual_with_routing)
{
    boot(2, CPU_PROFILE_MAX);
    const uint32_t w[] = {MRS_ISR(6), A("b #0", SPIN)};
    /* IMO and AMO: I and A virtual (vIRQ line low, VSE set); F physical (a
     * physical IRQ would be taken to EL2 whatever EL1's PSTATE.I says). */
    start_el1_under_el2(w, 2, HCR_BIT_RW | (1ull << 4) | (1ull << 5) | (1ull << 8));
    cpu_set_irq_line(pe, CPU_LINE_FIQ, true, 0);
    cpu_set_irq_line(pe, CPU_LINE_VFIQ, true, 0);
    run_lines();
    ASSERT_X(6, 0x140);
}
END_TEST

START_TEST(test_isr_el1_at_el2_is_physical_and_read_only)
{
    boot(2, CPU_PROFILE_MAX);
    const uint32_t w[] = {MRS_ISR(6), A("msr s3_0_c12_c1_0, x6", e_msr(3, 0, 12, 1, 0, 6)),
                          A("b #0", SPIN)};
    start_el2(w, 3, HCR_BIT_RW | (1ull << 4) | (1ull << 7)); /* IMO, VI: ignored at EL2 */
    cpu_set_irq_line(pe, CPU_LINE_FIQ, true, 0);
    run_lines();
    ASSERT_X(6, 0x40);
    ASSERT_X(3, TAG_EL2_CURRENT); /* the MSR: UNDEFINED; the handler's WFI does not sleep */
    ASSERT_X(0, ESR_UNKNOWN);
}
END_TEST

/* ---- 7. Self-hosted debug (cpu/debug.c) -------------------------------- */

/* The words of an EL1 snippet (after start_el1's one-word prologue) that
 * unlock the OS Lock when UNLOCK, set MDSCR_EL1 from X6, comparator 0
 * from X7 (value) and X8 (control), then branch to EL1_CODE, which ERETs
 * to EL0_CODE (put_el0). WP: a watchpoint, else a breakpoint. */
static void run_el1_arm_then_el0(bool unlock, bool wp, const uint32_t *el0, size_t n)
{
    uint32_t w[8];
    size_t i = 0;
    w[i++] = unlock ? A("msr oslar_el1, xzr", e_msr(2, 0, 1, 0, 4, 31)) : 0xd503201fu; /* nop */
    w[i++] = A("msr mdscr_el1, x6", e_msr(2, 0, 0, 2, 2, 6));
    w[i++] = wp ? A("msr dbgwvr0_el1, x7", e_msr(2, 0, 0, 0, 6, 7))
                : A("msr dbgbvr0_el1, x7", e_msr(2, 0, 0, 0, 4, 7));
    w[i++] = wp ? A("msr dbgwcr0_el1, x8", e_msr(2, 0, 0, 0, 7, 8))
                : A("msr dbgbcr0_el1, x8", e_msr(2, 0, 0, 0, 5, 8));
    uint32_t off = (uint32_t)(EL1_CODE - (CODE + 4 + 4 * i));
    w[i++] = 0x14000000u | off / 4; /* b EL1_CODE */
    start_el1(w, i);
    put_el0(el0, n);
}

#define MDSCR_MDE            (1ull << 15)
#define ESR_BREAKPOINT_LOWER 0xc2000022u /* EC 0x30, IL, IFSC 0x22 */
#define ESR_WATCHPOINT_LOWER 0xd2000022u /* EC 0x34, IL, DFSC 0x22 */

START_TEST(test_breakpoint_at_el0_taken_to_el1_with_syndrome)
{
    boot(1, CPU_PROFILE_A57);
    const uint32_t el0[] = {0xd503201fu, 0xd503201fu, WFI};
    run_el1_arm_then_el0(true, false, el0, 3);
    SETX(6, MDSCR_MDE);
    SETX(7, EL0_CODE + 4);
    SETX(8, 1 | 2u << 1); /* E, PMC = EL0 only, BT = address match */
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 1);
    ASSERT_X(3, TAG_EL1_LOWER);
    ASSERT_X(0, ESR_BREAKPOINT_LOWER);
    ASSERT_X(1, EL0_CODE + 4); /* the instruction, which has not run */
}
END_TEST

START_TEST(test_os_lock_out_of_reset_blocks_breakpoint)
{
    boot(1, CPU_PROFILE_A57);
    const uint32_t el0[] = {0xd503201fu, 0xd503201fu, WFI};
    run_el1_arm_then_el0(false, false, el0, 3);
    SETX(6, MDSCR_MDE);
    SETX(7, EL0_CODE + 4);
    SETX(8, 1 | 2u << 1);
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 0); /* the EL0 WFI, no exception */
}
END_TEST

START_TEST(test_breakpoint_needs_mdscr_mde)
{
    boot(1, CPU_PROFILE_A57);
    const uint32_t el0[] = {0xd503201fu, 0xd503201fu, WFI};
    run_el1_arm_then_el0(true, false, el0, 3);
    SETX(6, 0);
    SETX(7, EL0_CODE + 4);
    SETX(8, 1 | 2u << 1);
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 0);
}
END_TEST

START_TEST(test_watchpoint_far_is_first_watched_byte_of_access)
{
    boot(1, CPU_PROFILE_A57);
    const uint32_t el0[] = {A("str x5, [x9]", 0xf9000125u), WFI};
    run_el1_arm_then_el0(true, true, el0, 2);
    SETX(6, MDSCR_MDE);
    SETX(7, RAM_BASE + 0x8000);
    /* E, PAC = EL0, LSC = store, BAS = 0b00111000: bytes 3..5. */
    SETX(8, 1 | 2u << 1 | 2u << 3 | 0x38u << 5);
    SETX(9, RAM_BASE + 0x8000);
    SETX(5, 0x1122334455667788ull);
    run_to_wfi();
    ASSERT_X(3, TAG_EL1_LOWER);
    ASSERT_X(0, ESR_WATCHPOINT_LOWER | 1u << 6); /* WnR */
    ASSERT_X(1, EL0_CODE);
    ck_assert_uint_eq(pe->far[1], RAM_BASE + 0x8003);
    uint64_t mem;
    memcpy(&mem, bus_ram_host(bus) + 0x8000, 8);
    ck_assert_uint_eq(mem, 0); /* the store did not happen */
}
END_TEST

START_TEST(test_watchpoint_for_stores_ignores_loads)
{
    boot(1, CPU_PROFILE_A57);
    const uint32_t el0[] = {A("ldr x5, [x9]", 0xf9400125u), WFI};
    run_el1_arm_then_el0(true, true, el0, 2);
    SETX(6, MDSCR_MDE);
    SETX(7, RAM_BASE + 0x8000);
    SETX(8, 1 | 2u << 1 | 2u << 3 | 0xffu << 5);
    SETX(9, RAM_BASE + 0x8000);
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 0);
}
END_TEST

START_TEST(test_comparators_past_advertised_are_undefined)
{
    boot(1, CPU_PROFILE_MAX);
    RUN_EL1(A("mrs x5, dbgbvr6_el1", e_mrs(2, 0, 0, 6, 4, 5)), WFI);
    run_to_wfi();
    assert_el1_exception(ESR_UNKNOWN, EL1_ONLY_PC(0));
}
END_TEST

START_TEST(test_watchpoint_4_is_undefined_but_3_exists)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("mrs x5, dbgwcr3_el1", e_mrs(2, 0, 0, 3, 7, 5)),
            A("mrs x6, dbgwcr4_el1", e_mrs(2, 0, 0, 4, 7, 6)), WFI);
    run_to_wfi();
    assert_el1_exception(ESR_UNKNOWN, EL1_ONLY_PC(1));
}
END_TEST

START_TEST(test_dbgbcr_bas_is_res1)
{
    boot(1, CPU_PROFILE_A57);
    RUN_EL1(A("msr dbgbcr5_el1, xzr", e_msr(2, 0, 0, 5, 5, 31)),
            A("mrs x5, dbgbcr5_el1", e_mrs(2, 0, 0, 5, 5, 5)), WFI);
    run_to_wfi();
    ASSERT_X(5, 0x1e0u); /* BAS = 0b1111: no AArch32 */
}
END_TEST

/* At EL2: unlock the OS Lock, MDSCR_EL1 = X6, breakpoint 4 (context-aware)
 * = X7/X8, VTTBR_EL2 = X9, MDCR_EL2 = X10, then ERET to EL1_CODE. */
static void run_el2_vmid_breakpoint_then_el1(void)
{
    RUN_EL2(HCR_BIT_RW, A("msr oslar_el1, xzr", e_msr(2, 0, 1, 0, 4, 31)),
            A("msr mdscr_el1, x6", e_msr(2, 0, 0, 2, 2, 6)),
            A("msr dbgbvr4_el1, x7", e_msr(2, 0, 0, 4, 4, 7)),
            A("msr dbgbcr4_el1, x8", e_msr(2, 0, 0, 4, 5, 8)),
            A("msr vttbr_el2, x9", e_msr(3, 4, 2, 1, 0, 9)),
            A("msr mdcr_el2, x10", e_msr(3, 4, 1, 1, 1, 10)),
            A("msr spsr_el2, x22", e_msr(3, 4, 4, 0, 0, 22)),
            A("msr elr_el2, x23", e_msr(3, 4, 4, 0, 1, 23)), ERET);
    PUT(EL1_CODE, 0xd503201fu, 0xd503201fu, WFI);
    SETX(6, MDSCR_MDE);
    SETX(7, 5ull << 32);               /* VMID 5 in DBGBVR[39:32] */
    SETX(8, 1 | 1u << 1 | 0x8u << 20); /* E, PMC = EL1, BT = 0b1000: unlinked VMID match */
    SETX(10, 1ull << 8);               /* MDCR_EL2.TDE: to EL2 */
}

START_TEST(test_vmid_breakpoint_matches_guest_vmid)
{
    boot(2, CPU_PROFILE_A57);
    run_el2_vmid_breakpoint_then_el1();
    SETX(9, 5ull << 48); /* VTTBR_EL2.VMID = 5 */
    run_to_wfi();
    /* The first EL1 instruction, routed to EL2 by TDE. */
    assert_trapped_to_el2(ESR_BREAKPOINT_LOWER, EL1_CODE);
}
END_TEST

START_TEST(test_vmid_breakpoint_ignores_other_vmid)
{
    boot(2, CPU_PROFILE_A57);
    run_el2_vmid_breakpoint_then_el1();
    SETX(9, 6ull << 48);
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 1);
    ck_assert_uint_eq(cpu_get_pc(pe), EL1_CODE + 12); /* past the WFI */
}
END_TEST

START_TEST(test_vmid_breakpoint_is_reserved_without_el2)
{
    boot(1, CPU_PROFILE_A57);
    const uint32_t el0[] = {0xd503201fu, 0xd503201fu, WFI};
    run_el1_arm_then_el0(true, false, el0, 3);
    /* Breakpoint 0 is not context-aware either way; a VMID type there is
     * reserved and behaves as disabled. */
    SETX(6, MDSCR_MDE);
    SETX(7, 0);
    SETX(8, 1 | 2u << 1 | 0x8u << 20);
    run_to_wfi();
    ck_assert_uint_eq(cpu_get_el(pe), 0);
}
END_TEST

static Suite *sysreg_suite(void)
{
    Suite *s = suite_create("sysreg");
    TCase *ids = tcase_create("profiles and ID registers");
    TCase *rules = tcase_create("existence and access rules");
    TCase *traps = tcase_create("EL2 traps");
    TCase *sys = tcase_create("SYS traps");
    TCase *virt = tcase_create("VPIDR, VMPIDR and VHE");
    TCase *bits = tcase_create("RES0 and RES1");
    TCase *debug = tcase_create("self-hosted debug");
    TCase *all[] = {ids, rules, traps, sys, virt, bits, debug};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        tcase_add_checked_fixture(all[i], setup, teardown);
        suite_add_tcase(s, all[i]);
    }

    tcase_add_test(ids, test_a57_midr_is_cortex_a57_r1p3);
    tcase_add_test(ids, test_isr_el1_physical_lines);
    tcase_add_test(ids, test_isr_el1_virtual_with_routing);
    tcase_add_test(ids, test_isr_el1_at_el2_is_physical_and_read_only);
    tcase_add_test(ids, test_a57_pfr0_advertises_aarch64_el0_el1_fp_and_simd);
    tcase_add_test(ids, test_a57_isar0_has_crc32_but_no_atomics_aes_or_sha);
    tcase_add_test(ids, test_a57_mmfr_has_44_bit_pa_16_bit_asid_and_no_v8_1_features);
    tcase_add_test(ids, test_max_isar_advertises_crc32_lse_and_lrcpc);
    tcase_add_test(ids, test_max_mmfr1_advertises_pan_vhe_vmid16_and_hpds);
    tcase_add_test(ids, test_pfr0_el2_field_set_only_when_started_at_el2);
    tcase_add_test(ids, test_dfr0_advertises_v8_debug_without_pmu);
    tcase_add_test(ids, test_aarch32_id_registers_read_as_zero);
    tcase_add_test(ids, test_reserved_id_encoding_reads_as_zero);
    tcase_add_test(ids, test_cache_ids_describe_64_byte_lines);
    tcase_add_test(ids, test_ccsidr_reports_the_cache_csselr_selects);
    tcase_add_test(ids, test_profile_names_parse);

    tcase_add_test(rules, test_write_to_read_only_midr_is_undefined);
    tcase_add_test(rules, test_read_of_write_only_oslar_is_undefined);
    tcase_add_test(rules, test_el2_register_from_el1_is_undefined);
    tcase_add_test(rules, test_el2_register_absent_without_el2);
    tcase_add_test(rules, test_el1_register_from_el0_is_undefined);
    tcase_add_test(rules, test_el0_ctr_el0_read_traps_to_el1_when_uct_clear);
    tcase_add_test(rules, test_el0_daif_read_traps_to_el1_without_uma);
    tcase_add_test(rules, test_pan_register_absent_on_a57);
    tcase_add_test(rules, test_msr_pan_immediate_sets_pstate_pan);
    tcase_add_test(rules, test_msr_pan_immediate_is_undefined_on_a57);
    tcase_add_test(rules, test_oslar_write_clears_os_lock_reported_by_oslsr);

    tcase_add_test(traps, test_tvm_traps_sctlr_el1_write_with_iss);
    tcase_add_test(traps, test_tvm_does_not_trap_reads);
    tcase_add_test(traps, test_trvm_traps_ttbr0_el1_read_with_iss);
    tcase_add_test(traps, test_tvm_traps_contextidr_el1_write);
    tcase_add_test(traps, test_tid1_traps_revidr_read_with_iss);
    tcase_add_test(traps, test_tid2_traps_ctr_el0_read_from_el1_with_iss);
    tcase_add_test(traps, test_tid2_traps_csselr_write);
    tcase_add_test(traps, test_tid3_traps_id_aa64pfr0_read_with_iss);
    tcase_add_test(traps, test_tid3_traps_reserved_id_encoding);
    tcase_add_test(traps, test_tid3_does_not_trap_midr);
    tcase_add_test(traps, test_tid0_is_res0_without_aarch32);
    tcase_add_test(traps, test_tacr_traps_actlr_el1_with_iss);
    tcase_add_test(traps, test_tidcp_traps_impdef_register_from_el1);
    tcase_add_test(traps, test_impdef_register_without_tidcp_is_undefined);
    tcase_add_test(traps, test_cptr_tcpac_traps_cpacr_el1);
    tcase_add_test(traps, test_mdcr_tda_traps_mdscr_el1);
    tcase_add_test(traps, test_mdcr_tde_makes_os_lock_registers_trap);
    tcase_add_test(traps, test_el0_ctr_el0_read_traps_to_el2_with_tid2_when_uct_set);

    tcase_add_test(sys, test_tsw_traps_dc_cisw_with_iss);
    tcase_add_test(sys, test_tpcp_traps_dc_civac);
    tcase_add_test(sys, test_tpu_traps_ic_iallu);
    tcase_add_test(sys, test_ttlb_traps_tlbi_vmalle1);
    tcase_add_test(sys, test_tdz_traps_dc_zva_and_sets_dczid_dzp);
    tcase_add_test(sys, test_sys_not_trapped_without_hcr_bits);
    tcase_add_test(sys, test_el0_dc_civac_traps_to_el1_when_uci_clear);

    tcase_add_test(virt, test_midr_read_at_el1_returns_vpidr_el2);
    tcase_add_test(virt, test_vpidr_el2_resets_to_midr);
    tcase_add_test(virt, test_mpidr_read_at_el1_returns_vmpidr_el2);
    tcase_add_test(virt, test_e2h_redirects_el1_register_access_at_el2);
    tcase_add_test(virt, test_el12_accessor_reaches_el1_register);
    tcase_add_test(virt, test_el12_accessor_without_e2h_is_undefined);
    tcase_add_test(virt, test_el12_accessor_from_el1_is_undefined);
    tcase_add_test(virt, test_e2h_is_res0_on_a57);
    tcase_add_test(virt, test_ttbr1_el2_is_undefined_on_a57);
    tcase_add_test(virt, test_e2h_cpacr_el1_at_el2_reaches_cptr_el2);
    tcase_add_test(virt, test_tcr_el2_res1_bits_follow_e2h);

    tcase_add_test(bits, test_sctlr_el1_zero_write_keeps_res1_bits_max);
    tcase_add_test(bits, test_sctlr_el1_span_is_res1_without_pan);
    tcase_add_test(bits, test_sctlr_el1_res0_bits_ignore_writes);
    tcase_add_test(bits, test_sctlr_el1_reset_value_has_res1_bits);
    tcase_add_test(bits, test_sctlr_el2_res1_bits_without_e2h);
    tcase_add_test(bits, test_hcr_el2_rw_reads_as_one);
    tcase_add_test(bits, test_vttbr_vmid_is_8_bits_on_a57);
    tcase_add_test(bits, test_vtcr_el2_bit_31_is_res1);

    tcase_add_test(debug, test_breakpoint_at_el0_taken_to_el1_with_syndrome);
    tcase_add_test(debug, test_os_lock_out_of_reset_blocks_breakpoint);
    tcase_add_test(debug, test_breakpoint_needs_mdscr_mde);
    tcase_add_test(debug, test_watchpoint_far_is_first_watched_byte_of_access);
    tcase_add_test(debug, test_watchpoint_for_stores_ignores_loads);
    tcase_add_test(debug, test_comparators_past_advertised_are_undefined);
    tcase_add_test(debug, test_watchpoint_4_is_undefined_but_3_exists);
    tcase_add_test(debug, test_dbgbcr_bas_is_res1);
    tcase_add_test(debug, test_vmid_breakpoint_matches_guest_vmid);
    tcase_add_test(debug, test_vmid_breakpoint_ignores_other_vmid);
    tcase_add_test(debug, test_vmid_breakpoint_is_reserved_without_el2);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sysreg_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
