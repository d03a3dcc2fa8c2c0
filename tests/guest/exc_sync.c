/*
 * Synchronous exceptions taken to EL1 from EL1 (the guest starts at EL1, no
 * EL2, no EL3): for each exception class its exact ESR_EL1 (EC, IL, ISS),
 * ELR_EL1, SPSR_EL1, FAR_EL1 where it is defined, and the vector it used.
 * Every value below is worked out from the Arm ARM, and the same output is
 * expected from QEMU's virt board (scripts/qemu-compare.sh).
 *
 * ESR_ELx = EC << 26 | IL << 25 | ISS; IL is 1 for every 32-bit A64
 * instruction. SPSR_ELx = NZCV (31:28) | IL (20) | DAIF (9:6) | M (3:0),
 * M = EL << 2 | SPSel. Each probe sets NZCV first so that SPSR is known.
 *
 * Checks on which QEMU 7.2 departs from the architecture (alignment faults
 * with the MMU off, SP alignment, trapped WFE, HVC #imm without EL2) are in
 * exc_simonly.c.
 */
#include <stdint.h>

#include "exc_common.h"

/* An address with nothing behind it on either board: above a64sim's RAM
 * and QEMU virt's (RAM from 0x4000_0000), below QEMU's high memory map. */
#define UNMAPPED 0x80000000ull

#define PSCI_0_2_FN_PSCI_VERSION 0x84000000ull

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

/* Probes: X0 is the NZCV value to set; the instruction under test follows. */
__asm__("\t.text\n"
        /* void p_udf(uint64_t nzcv): UDF #0 at +4 */
        PROBE(p_udf) "\tmsr nzcv, x0\n"
                     "\tudf #0\n"
                     "\tret\n"
        /* void p_unalloc(uint64_t nzcv): an unallocated word (op1 = 0b0011) at +4 */
        PROBE(p_unalloc) "\tmsr nzcv, x0\n"
                         "\t.inst 0x0600abcd\n"
                         "\tret\n"
        /* void p_svc(uint64_t nzcv): SVC #0x1234 at +4 */
        PROBE(p_svc) "\tmsr nzcv, x0\n"
                     "\tsvc #0x1234\n"
                     "\tret\n"
        /* void p_svc_sp0(uint64_t nzcv): SVC #5 at +8 with SP_EL0 selected */
        PROBE(p_svc_sp0) "\tmsr nzcv, x0\n"
                         "\tmsr spsel, #0\n"
                         "\tsvc #5\n"
                         "\tmsr spsel, #1\n"
                         "\tret\n"
        /* uint64_t p_svc_nzcv(uint64_t nzcv): SVC #0x77 at +4; returns NZCV after it */
        PROBE(p_svc_nzcv) "\tmsr nzcv, x0\n"
                          "\tsvc #0x77\n"
                          "\tmrs x0, nzcv\n"
                          "\tret\n"
        /* void p_brk(uint64_t nzcv): BRK #7 at +4 */
        PROBE(p_brk) "\tmsr nzcv, x0\n"
                     "\tbrk #7\n"
                     "\tret\n"
        /* void p_brk_max(uint64_t nzcv): BRK #0xffff at +4 */
        PROBE(p_brk_max) "\tmsr nzcv, x0\n"
                         "\tbrk #0xffff\n"
                         "\tret\n"
        /* void p_hlt(uint64_t nzcv): HLT #1 at +4 */
        PROBE(p_hlt) "\tmsr nzcv, x0\n"
                     "\thlt #1\n"
                     "\tret\n"
        /* uint64_t p_hvc0(uint64_t nzcv, uint64_t x0): HVC #0 at +8; returns X0 after it */
        PROBE(p_hvc0) "\tmsr nzcv, x0\n"
                      "\tmov x0, x1\n"
                      "\thvc #0\n"
                      "\tret\n"
        /* void p_smc(uint64_t nzcv, uint64_t x0): SMC #0 at +8 */
        PROBE(p_smc) "\tmsr nzcv, x0\n"
                     "\tmov x0, x1\n"
                     "\tsmc #0\n"
                     "\tret\n"
        /* void p_ldr(uint64_t nzcv, uint64_t addr): LDR X2, [X1] at +4 */
        PROBE(p_ldr) "\tmsr nzcv, x0\n"
                     "\tldr x2, [x1]\n"
                     "\tret\n"
        /* void p_str(uint64_t nzcv, uint64_t addr): STR X0, [X1] at +4 */
        PROBE(p_str) "\tmsr nzcv, x0\n"
                     "\tstr x0, [x1]\n"
                     "\tret\n"
        /* void p_ldrb(uint64_t nzcv, uint64_t addr): LDRB W2, [X1] at +4 */
        PROBE(p_ldrb) "\tmsr nzcv, x0\n"
                      "\tldrb w2, [x1]\n"
                      "\tret\n"
        /* void p_blr(uint64_t nzcv, uint64_t target): BLR X1 at +8 */
        PROBE(p_blr) "\tstp x29, x30, [sp, #-16]!\n"
                     "\tmsr nzcv, x0\n"
                     "\tblr x1\n"
                     "\tldp x29, x30, [sp], #16\n"
                     "\tret\n"
        /* void p_mrs_unalloc(uint64_t nzcv): MRS X1, S3_0_C2_C0_7 (unallocated) at +4 */
        PROBE(p_mrs_unalloc) "\tmsr nzcv, x0\n"
                             "\tmrs x1, s3_0_c2_c0_7\n"
                             "\tret\n"
        /* void p_msr_unalloc(uint64_t nzcv): MSR S3_0_C2_C0_7, X0 (unallocated) at +4 */
        PROBE(p_msr_unalloc) "\tmsr nzcv, x0\n"
                             "\tmsr s3_0_c2_c0_7, x0\n"
                             "\tret\n"
        /* A branch target and an ERET target: never completes a single instruction. */
        PROBE(p_nop) "\tnop\n"
                     "\tret\n"
                     /* A minimal vector table and a probe on one 4 KiB page: only the "current EL
                      * with SP_ELx" synchronous entry (0x200) is used; it saves ESR, ELR, FAR and
                      * SPSR in page_rec and returns to X30. void p_page_blr(uint64_t nzcv, uint64_t
                      * target): BLR X1 at page_vectors + 0x808. */
                     "\t.pushsection .text.page_vectors, \"ax\"\n"
                     "\t.balign 4096\n"
                     "page_vectors:\n"
                     "\t.rept 128\n"
                     "\tb .\n"
                     "\t.endr\n"
                     "\tmrs x9, esr_el1\n"
                     "\tmrs x10, elr_el1\n"
                     "\tmrs x11, far_el1\n"
                     "\tmrs x12, spsr_el1\n"
                     "\tadrp x13, page_rec\n"
                     "\tadd x13, x13, :lo12:page_rec\n"
                     "\tstp x9, x10, [x13]\n"
                     "\tstp x11, x12, [x13, #16]\n"
                     "\tmsr elr_el1, x30\n"
                     "\teret\n"
                     "\t.balign 2048\n" PROBE(p_page_blr) "\tstp x29, x30, [sp, #-16]!\n"
                                                          "\tmsr nzcv, x0\n"
                                                          "\tblr x1\n"
                                                          "\tldp x29, x30, [sp], #16\n"
                                                          "\tret\n"
                                                          "\t.popsection\n"
        /* Entered by ERET at EL1 with SP_EL0 (EL1t): SVC #0x99 at +0 */
        PROBE(p_svc_el1t) "\tsvc #0x99\n"
                          "\tb .\n");

void p_udf(uint64_t nzcv);
void p_unalloc(uint64_t nzcv);
void p_svc(uint64_t nzcv);
void p_svc_sp0(uint64_t nzcv);
uint64_t p_svc_nzcv(uint64_t nzcv);
void p_brk(uint64_t nzcv);
void p_brk_max(uint64_t nzcv);
void p_hlt(uint64_t nzcv);
uint64_t p_hvc0(uint64_t nzcv, uint64_t x0);
void p_smc(uint64_t nzcv, uint64_t x0);
void p_ldr(uint64_t nzcv, uint64_t addr);
void p_str(uint64_t nzcv, uint64_t addr);
void p_ldrb(uint64_t nzcv, uint64_t addr);
void p_blr(uint64_t nzcv, uint64_t target);
void p_mrs_unalloc(uint64_t nzcv);
void p_msr_unalloc(uint64_t nzcv);
void p_nop(uint64_t unused);
void p_svc_el1t(uint64_t unused);
void p_page_blr(uint64_t nzcv, uint64_t target);
extern char page_vectors[];
uint64_t page_rec[4]; /* ESR, ELR, FAR, SPSR saved by page_vectors */
extern char exc_vectors_el1[];

/* SPSR of an exception from EL1 with SP_EL1 (EL1h) and DAIF all masked. */
#define EL1H_MASKED 0x3c5u
#define EL1T_MASKED 0x3c4u

static void handler(struct exc_frame *f)
{
    exc_record(f);
    exc_apply_fixup(f);
}

static uint64_t read_currentel(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, CurrentEL" : "=r"(v));
    return v;
}

static uint64_t read_vbar_el1(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, vbar_el1" : "=r"(v));
    return v;
}

static void set_sp_el0(uint64_t v)
{
    __asm__ volatile("msr sp_el0, %0" ::"r"(v));
}

static uint64_t sp_el0_stack[512] __attribute__((aligned(16)));

/* UNDEFINED: EC 0x00, ISS 0, ELR = the instruction. */
static void test_undefined(void)
{
    exc_arm(1, FIX_SKIP);
    p_udf(0x60000000);
    exc_expect(&(struct exc_want){"udf #0", 1, VEC_CUR_SPX, false, 0x02000000, "p_udf", ADDR(p_udf),
                                  4, 0x60000000 | EL1H_MASKED, FAR_NONE, 0, NULL, 0});
    exc_arm(1, FIX_SKIP);
    p_unalloc(0x20000000);
    exc_expect(&(struct exc_want){"unallocated 0x0600abcd", 1, VEC_CUR_SPX, false, 0x02000000,
                                  "p_unalloc", ADDR(p_unalloc), 4, 0x20000000 | EL1H_MASKED,
                                  FAR_NONE, 0, NULL, 0});
    /* HLT: halting debug is never enabled, so the instruction is UNDEFINED. */
    exc_arm(1, FIX_SKIP);
    p_hlt(0x00000000);
    exc_expect(&(struct exc_want){"hlt #1", 1, VEC_CUR_SPX, false, 0x02000000, "p_hlt", ADDR(p_hlt),
                                  4, EL1H_MASKED, FAR_NONE, 0, NULL, 0});
    /* An unallocated system register encoding is UNDEFINED in both directions. */
    exc_arm(1, FIX_SKIP);
    p_mrs_unalloc(0x80000000);
    exc_expect(&(struct exc_want){"mrs s3_0_c2_c0_7", 1, VEC_CUR_SPX, false, 0x02000000,
                                  "p_mrs_unalloc", ADDR(p_mrs_unalloc), 4, 0x80000000 | EL1H_MASKED,
                                  FAR_NONE, 0, NULL, 0});
    exc_arm(1, FIX_SKIP);
    p_msr_unalloc(0x40000000);
    exc_expect(&(struct exc_want){"msr s3_0_c2_c0_7", 1, VEC_CUR_SPX, false, 0x02000000,
                                  "p_msr_unalloc", ADDR(p_msr_unalloc), 4, 0x40000000 | EL1H_MASKED,
                                  FAR_NONE, 0, NULL, 0});
}

/* SVC: EC 0x15 with imm16; the preferred return is the next instruction. BRK: EC 0x3C with
 * imm16 and ELR = the BRK itself. */
static void test_svc_brk(void)
{
    exc_arm(1, FIX_NONE);
    p_svc(0x80000000);
    exc_expect(&(struct exc_want){"svc #0x1234", 1, VEC_CUR_SPX, false, 0x56001234, "p_svc",
                                  ADDR(p_svc), 8, 0x80000000 | EL1H_MASKED, FAR_NONE, 0, NULL, 0});
    /* With SPSel = 0 the vector is in the "current EL with SP_EL0" group and SPSR.M = EL1t. */
    exc_arm(1, FIX_NONE);
    p_svc_sp0(0x10000000);
    exc_expect(&(struct exc_want){"svc #5 on SP_EL0", 1, VEC_CUR_SP0, false, 0x56000005,
                                  "p_svc_sp0", ADDR(p_svc_sp0), 12, 0x10000000 | EL1T_MASKED,
                                  FAR_NONE, 0, NULL, 0});
    /* Exception entry masks D, A, I and F whatever they were; SPSR keeps the old DAIF. */
    __asm__ volatile("msr daifclr, #0xf");
    exc_arm(1, FIX_NONE);
    p_svc(0x30000000);
    __asm__ volatile("msr daifset, #0xf");
    exc_expect(&(struct exc_want){"svc #0x1234 with DAIF clear", 1, VEC_CUR_SPX, false, 0x56001234,
                                  "p_svc", ADDR(p_svc), 8, 0x30000005, FAR_NONE, 0, NULL, 0});
    expect_value("DAIF in the handler", exc_rec[1].daif, 0x3c0);
    /* ERET takes NZCV from SPSR: the handler returns with 0b1001. */
    exc_arm(1, FIX_NZCV);
    uint64_t nzcv = p_svc_nzcv(0x60000000);
    exc_expect(&(struct exc_want){"svc #0x77", 1, VEC_CUR_SPX, false, 0x56000077, "p_svc_nzcv",
                                  ADDR(p_svc_nzcv), 8, 0x60000000 | EL1H_MASKED, FAR_NONE, 0, NULL,
                                  0});
    expect_value("NZCV after ERET", nzcv, 0x90000000);

    exc_arm(1, FIX_SKIP);
    p_brk(0x40000000);
    exc_expect(&(struct exc_want){"brk #7", 1, VEC_CUR_SPX, false, 0xf2000007, "p_brk", ADDR(p_brk),
                                  4, 0x40000000 | EL1H_MASKED, FAR_NONE, 0, NULL, 0});
    exc_arm(1, FIX_SKIP);
    p_brk_max(0xf0000000);
    exc_expect(&(struct exc_want){"brk #0xffff", 1, VEC_CUR_SPX, false, 0xf200ffff, "p_brk_max",
                                  ADDR(p_brk_max), 4, 0xf0000000 | EL1H_MASKED, FAR_NONE, 0, NULL,
                                  0});
}

/* Without EL3, SMC is UNDEFINED, even with a PSCI function in W0: the firmware's conduit is
 * HVC. HVC #0 is the firmware's (SMCCC): an unknown function returns NOT_SUPPORTED (-1) in X0
 * and no exception is taken. (HVC with another immediate is in exc_simonly.c: QEMU serves it as
 * a PSCI call too.) */
static void test_hvc_smc(void)
{
    exc_arm(1, FIX_SKIP);
    p_smc(0x20000000, PSCI_0_2_FN_PSCI_VERSION);
    exc_expect(&(struct exc_want){"smc #0 (no EL3)", 1, VEC_CUR_SPX, false, 0x02000000, "p_smc",
                                  ADDR(p_smc), 8, 0x20000000 | EL1H_MASKED, FAR_NONE, 0, NULL, 0});
    exc_arm(1, FIX_SKIP);
    uint64_t r = p_hvc0(0, 0xc2fffff0u);
    exc_expect_none("hvc #0 with an unknown function");
    expect_value("hvc #0 result (NOT_SUPPORTED)", r, 0xffffffffffffffffull);
}

/* External aborts on an access with nothing behind it: EC 0x25 (same EL), DFSC 0b010000
 * (synchronous external abort, not on a walk), WnR for stores, FAR = the address. ISV is 0:
 * the instruction syndrome is reported only to EL2. */
static void test_data_abort(void)
{
    exc_arm(1, FIX_SKIP);
    p_ldr(0x60000000, UNMAPPED);
    exc_expect(&(struct exc_want){"ldr from unmapped", 1, VEC_CUR_SPX, false, 0x96000010, "p_ldr",
                                  ADDR(p_ldr), 4, 0x60000000 | EL1H_MASKED, FAR_ABS, UNMAPPED, NULL,
                                  0});
    exc_arm(1, FIX_SKIP);
    p_str(0x00000000, UNMAPPED + 8);
    exc_expect(&(struct exc_want){"str to unmapped", 1, VEC_CUR_SPX, false, 0x96000050, "p_str",
                                  ADDR(p_str), 4, EL1H_MASKED, FAR_ABS, UNMAPPED + 8, NULL, 0});
    exc_arm(1, FIX_SKIP);
    p_ldrb(0x80000000, UNMAPPED + 3);
    exc_expect(&(struct exc_want){"ldrb from unmapped", 1, VEC_CUR_SPX, false, 0x96000010, "p_ldrb",
                                  ADDR(p_ldrb), 4, 0x80000000 | EL1H_MASKED, FAR_ABS, UNMAPPED + 3,
                                  NULL, 0});
}

/* Branches to bad targets: a misaligned PC faults when it is used (EC 0x22, ELR = FAR = the
 * target); an unmapped target is an instruction abort (EC 0x21, IFSC 0b010000). */
static void test_branch_faults(void)
{
    exc_arm(1, FIX_LR);
    p_blr(0x40000000, ADDR(p_nop) + 2);
    exc_expect(&(struct exc_want){"blr to p_nop+2", 1, VEC_CUR_SPX, false, 0x8a000000, "p_nop",
                                  ADDR(p_nop), 2, 0x40000000 | EL1H_MASKED, FAR_SYM, 2, NULL, 0});
    exc_arm(1, FIX_LR);
    p_blr(0x80000000, UNMAPPED);
    exc_expect(&(struct exc_want){"blr to unmapped", 1, VEC_CUR_SPX, false, 0x86000010, NULL, 0,
                                  UNMAPPED, 0x80000000 | EL1H_MASKED, FAR_ABS, UNMAPPED, NULL, 0});
}

/* The same instruction abort with the vector on the page of the BLR that faulted: the PE must
 * not mistake the failed fetch for one from the page it left. */
static void test_abort_vector_same_page(void)
{
    uint64_t vbar = read_vbar_el1();
    __asm__ volatile("msr vbar_el1, %0\n\tisb" ::"r"(ADDR(page_vectors)));
    p_page_blr(0x20000000, UNMAPPED);
    __asm__ volatile("msr vbar_el1, %0\n\tisb" ::"r"(vbar));
    expect_value("blr to unmapped from the vector page: ESR", page_rec[0], 0x86000010);
    expect_value("blr to unmapped from the vector page: ELR", page_rec[1], UNMAPPED);
    expect_value("blr to unmapped from the vector page: FAR", page_rec[2], UNMAPPED);
    expect_value("blr to unmapped from the vector page: SPSR", page_rec[3],
                 0x20000000 | EL1H_MASKED);
}

/* ERET: a legal return to EL1t, and illegal returns. An illegal return restores NZCV and DAIF
 * from SPSR, keeps EL and SP, sets PSTATE.IL, and the next instruction takes an Illegal
 * Execution state exception (EC 0x0E) with SPSR.IL set. */
static void test_eret(void)
{
    set_sp_el0(ADDR(sp_el0_stack + 512));
    exc_arm(1, FIX_RETURN);
    uint64_t r = lower_call(p_svc_el1t, 0, EL1T_MASKED);
    exc_expect(&(struct exc_want){"eret to EL1t, svc #0x99", 1, VEC_CUR_SP0, false, 0x56000099,
                                  "p_svc_el1t", ADDR(p_svc_el1t), 4, EL1T_MASKED, FAR_NONE, 0, NULL,
                                  0});
    expect_value("lower_call result", r, 0x600d);

    static const struct {
        const char *name;
        uint64_t spsr, want; /* SPSR given to ERET; SPSR_EL1 of the exception that follows */
    } illegal[] = {
        {"eret to EL2h (no EL2)", 0x600003c9, 0x601003c5},
        {"eret to EL3h (no EL3)", 0x0000030d, 0x00100305},
        {"eret with M[1] set", 0x000003c6, 0x001003c5},
        {"eret to EL0 with SPSel 1", 0x000003c1, 0x001003c5},
    };
    for (unsigned i = 0; i < sizeof(illegal) / sizeof(illegal[0]); i++) {
        exc_arm(1, FIX_RETURN);
        lower_call(p_nop, 0, illegal[i].spsr);
        exc_expect(&(struct exc_want){illegal[i].name, 1, VEC_CUR_SPX, false, 0x3a000000, "p_nop",
                                      ADDR(p_nop), 0, illegal[i].want, FAR_NONE, 0, NULL, 0});
    }
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el1(handler);
    expect_value("CurrentEL", read_currentel(), 0x4);
    expect_value("VBAR_EL1 is the table", read_vbar_el1() == ADDR(exc_vectors_el1), 1);
    test_undefined();
    test_svc_brk();
    test_hvc_smc();
    test_data_abort();
    test_branch_faults();
    test_abort_vector_same_page();
    test_eret();
    return exc_summary("exc_sync");
}
