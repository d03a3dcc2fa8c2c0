/*
 * A small hypervisor: the guest starts at EL2 (a64sim --el 2; QEMU virt with
 * virtualization=on), installs VBAR_EL2, and runs EL1 (and EL0) code under
 * different HCR_EL2 settings, one scenario per lower_call(). It checks that:
 *
 *  - HVC from EL1 is taken to EL2 (EC 0x16, the immediate, ELR = next);
 *  - HCR_EL2.TSC traps SMC from EL1 (EC 0x17, ELR = the SMC), HCR_EL2.TWI
 *    traps WFI (EC 0x01), HCR_EL2.HCD makes HVC UNDEFINED;
 *  - with TSC clear, SMC #0 from EL1 reaches the PSCI firmware (SMC conduit);
 *  - virtual IRQ, FIQ and SError (HCR_EL2.VI/VF/VSE) are taken at EL1 only
 *    when routed (IMO/FMO/AMO) and unmasked by PSTATE, never at EL2, and
 *    taking the virtual SError clears VSE;
 *  - with HCR_EL2.TGE, exceptions from EL0 go to EL2;
 *  - ERET to EL1 is illegal with TGE set.
 *
 * EL1 code asks the hypervisor for services with HVC #0xF00-#0xFFF (not
 * recorded as test exceptions). The run ends with PSCI SYSTEM_OFF through
 * SMC #0 from EL2. Expected values are from the Arm ARM; QEMU must agree.
 */
#include <stdint.h>

#include "exc_common.h"
#include "exit.h"

#define UNMAPPED 0x80000000ull

#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_AMO (1ull << 5)
#define HCR_VF  (1ull << 6)
#define HCR_VI  (1ull << 7)
#define HCR_VSE (1ull << 8)
#define HCR_TWI (1ull << 13)
#define HCR_TSC (1ull << 19)
#define HCR_TGE (1ull << 27)
#define HCR_HCD (1ull << 29)
#define HCR_RW  (1ull << 31)

#define SCTLR_EL1_V 0x30d00818ull /* RES1 bits, SA0, SA: nTWI = nTWE = 0 */

/* Hypercalls (HVC #imm from EL1; SMC #HC_DONE and SVC #HC_DONE also end a scenario). */
#define HC_CLEAR_VI 0xf01
#define HC_CLEAR_VF 0xf02
#define HC_SET_VI   0xf03
#define HC_READ_HCR 0xf04
#define HC_DONE     0xfff

#define PSCI_0_2_FN_SYSTEM_OFF    0x84000008ull
#define PSCI_1_0_FN_PSCI_FEATURES 0x8400000aull

/* SPSR values: M = EL << 2 | SPSel; DAIF = 0x3c0 all masked. */
#define EL2H_MASKED 0x3c9u
#define EL1H_MASKED 0x3c5u
#define EL1T_MASKED 0x3c4u
#define EL0T        0x000u

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

/* Probes: X0 is the NZCV value to set; the instruction under test follows. */
__asm__("\t.text\n"
        /* void q_hvc33(uint64_t nzcv): HVC #0x33 at +4 */
        PROBE(q_hvc33) "\tmsr nzcv, x0\n"
                       "\thvc #0x33\n"
                       "\tret\n"
        /* void q_hvc1(uint64_t nzcv): HVC #1 at +4 */
        PROBE(q_hvc1) "\tmsr nzcv, x0\n"
                      "\thvc #1\n"
                      "\tret\n"
        /* void q_svc44(uint64_t nzcv): SVC #0x44 at +4 */
        PROBE(q_svc44) "\tmsr nzcv, x0\n"
                       "\tsvc #0x44\n"
                       "\tret\n"
        /* void q_udf(uint64_t nzcv): UDF #1 at +4 */
        PROBE(q_udf) "\tmsr nzcv, x0\n"
                     "\tudf #1\n"
                     "\tret\n"
        /* void q_brk(uint64_t nzcv): BRK #9 at +4 */
        PROBE(q_brk) "\tmsr nzcv, x0\n"
                     "\tbrk #9\n"
                     "\tret\n"
        /* void q_smc77(uint64_t nzcv): SMC #0x77 at +4 */
        PROBE(q_smc77) "\tmsr nzcv, x0\n"
                       "\tsmc #0x77\n"
                       "\tret\n"
        /* uint64_t q_smc0(uint64_t nzcv, uint64_t fn, uint64_t arg): SMC #0 at +12 */
        PROBE(q_smc0) "\tmsr nzcv, x0\n"
                      "\tmov x0, x1\n"
                      "\tmov x1, x2\n"
                      "\tsmc #0\n"
                      "\tret\n"
        /* void q_wfi(uint64_t nzcv): WFI at +4 */
        PROBE(q_wfi) "\tmsr nzcv, x0\n"
                     "\twfi\n"
                     "\tret\n"
        /* void q_mrs_hcr(uint64_t nzcv): MRS X1, HCR_EL2 at +4 */
        PROBE(q_mrs_hcr) "\tmsr nzcv, x0\n"
                         "\tmrs x1, hcr_el2\n"
                         "\tret\n"
        /* void q_unmask_i(uint64_t nzcv): PSTATE.I cleared at +4, the NOP at +8 */
        PROBE(q_unmask_i) "\tmsr nzcv, x0\n"
                          "\tmsr daifclr, #2\n"
                          "\tnop\n"
                          "\tmsr daifset, #2\n"
                          "\tret\n"
        /* void q_unmask_f(uint64_t nzcv): PSTATE.F cleared at +4, the NOP at +8 */
        PROBE(q_unmask_f) "\tmsr nzcv, x0\n"
                          "\tmsr daifclr, #1\n"
                          "\tnop\n"
                          "\tmsr daifset, #1\n"
                          "\tret\n"
        /* void q_unmask_a(uint64_t nzcv): PSTATE.A cleared at +4, the NOP at +8 */
        PROBE(q_unmask_a) "\tmsr nzcv, x0\n"
                          "\tmsr daifclr, #4\n"
                          "\tnop\n"
                          "\tmsr daifset, #4\n"
                          "\tret\n"
        /* void q_set_vi(uint64_t nzcv): I clear, then HVC #HC_SET_VI at +8; NOP at +12 */
        PROBE(q_set_vi) "\tmsr nzcv, x0\n"
                        "\tmsr daifclr, #2\n"
                        "\thvc #0xf03\n"
                        "\tnop\n"
                        "\tmsr daifset, #2\n"
                        "\tret\n"
        /* void q_ldr(uint64_t nzcv, uint64_t addr): LDR X2, [X1] at +4 */
        PROBE(q_ldr) "\tmsr nzcv, x0\n"
                     "\tldr x2, [x1]\n"
                     "\tret\n"
        /* void q_ldp(uint64_t nzcv, uint64_t addr): LDP X2, X3, [X1] at +4 */
        PROBE(q_ldp) "\tmsr nzcv, x0\n"
                     "\tldp x2, x3, [x1]\n"
                     "\tret\n"
        /* void q_blr(uint64_t nzcv, uint64_t target): BLR X1 at +8 */
        PROBE(q_blr) "\tstp x29, x30, [sp, #-16]!\n"
                     "\tmsr nzcv, x0\n"
                     "\tblr x1\n"
                     "\tldp x29, x30, [sp], #16\n"
                     "\tret\n" PROBE(q_nop) "\tnop\n"
                                            "\tret\n"
        /* void q_done_hvc(uint64_t x0) and friends: end the scenario, lower_call returns X0 */
        PROBE(q_done_hvc) "\thvc #0xfff\n"
                          "\tb .\n" PROBE(q_done_smc) "\tsmc #0xfff\n"
                                                      "\tb .\n" PROBE(q_done_svc) "\tsvc #0xfff\n"
                                                                                  "\tb .\n");

void q_hvc33(uint64_t nzcv);
void q_hvc1(uint64_t nzcv);
void q_svc44(uint64_t nzcv);
void q_udf(uint64_t nzcv);
void q_brk(uint64_t nzcv);
void q_smc77(uint64_t nzcv);
uint64_t q_smc0(uint64_t nzcv, uint64_t fn, uint64_t arg);
void q_wfi(uint64_t nzcv);
void q_mrs_hcr(uint64_t nzcv);
void q_unmask_i(uint64_t nzcv);
void q_unmask_f(uint64_t nzcv);
void q_unmask_a(uint64_t nzcv);
void q_set_vi(uint64_t nzcv);
void q_ldr(uint64_t nzcv, uint64_t addr);
void q_ldp(uint64_t nzcv, uint64_t addr);
void q_blr(uint64_t nzcv, uint64_t target);
void q_nop(uint64_t unused);
_Noreturn void q_done_hvc(uint64_t x0);
_Noreturn void q_done_smc(uint64_t x0);
_Noreturn void q_done_svc(uint64_t x0);

static uint64_t el1_stack[1024] __attribute__((aligned(16)));
static uint64_t el0_stack[1024] __attribute__((aligned(16)));

static uint64_t read_hcr(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, hcr_el2" : "=r"(v));
    return v;
}

static void write_hcr(uint64_t v)
{
    __asm__ volatile("msr hcr_el2, %0\n\tisb" ::"r"(v) : "memory");
}

static uint64_t current_el(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, CurrentEL" : "=r"(v));
    return v;
}

/* ---- EL2 ---- */

static bool is_hypercall(const struct exc_frame *f)
{
    unsigned ec = (unsigned)(f->esr >> 26);
    unsigned imm = (unsigned)(f->esr & 0xffff);
    bool call = ec == 0x15 || ec == 0x16 || ec == 0x17; /* SVC, HVC, SMC */
    return f->vector == VEC_LOWER_A64 && call && imm >= 0xf00;
}

static void hypercall(struct exc_frame *f)
{
    switch (f->esr & 0xffff) {
    case HC_CLEAR_VI: write_hcr(read_hcr() & ~HCR_VI); break;
    case HC_CLEAR_VF: write_hcr(read_hcr() & ~HCR_VF); break;
    case HC_SET_VI: write_hcr(read_hcr() | HCR_VI); break;
    case HC_READ_HCR: f->x[0] = read_hcr(); break;
    case HC_DONE: lower_return(f, f->x[0]); break;
    default: printf("unknown hypercall 0x%lx\n", (unsigned long)f->esr); break;
    }
}

static void handler_el2(struct exc_frame *f)
{
    if (is_hypercall(f)) {
        hypercall(f);
        return;
    }
    exc_record(f);
    exc_apply_fixup(f);
}

/* ---- EL1 ---- */

static void handler_el1(struct exc_frame *f)
{
    exc_record(f);
    /* A virtual interrupt stays pending until the hypervisor drops it. */
    if ((f->vector & 0x180) == VEC_IRQ)
        __asm__ volatile("hvc #0xf01" ::: "memory"); /* HC_CLEAR_VI */
    if ((f->vector & 0x180) == VEC_FIQ)
        __asm__ volatile("hvc #0xf02" ::: "memory"); /* HC_CLEAR_VF */
    exc_apply_fixup(f);
}

/* Run FN at the EL and SP that SPSR names, with HCR_EL2 = HCR; returns what FN passes to
 * q_done_*(). */
static uint64_t run_lower(void (*fn)(uint64_t), uint64_t hcr, uint64_t spsr)
{
    write_hcr(hcr);
    __asm__ volatile("msr sp_el1, %0" ::"r"(ADDR(el1_stack + 1024)));
    __asm__ volatile("msr sp_el0, %0" ::"r"(ADDR(el0_stack + 1024)));
    uint64_t r = lower_call(fn, 0, spsr);
    write_hcr(HCR_RW);
    return r;
}

/* HCR_EL2 = RW: HVC goes to EL2, SVC and UNDEFINED stay at EL1, EL2 registers are UNDEFINED
 * at EL1, SMC #0 reaches the firmware. */
static void el1_basic(uint64_t arg)
{
    (void)arg;
    vectors_install_el1(handler_el1);
    expect_value("EL1: CurrentEL", current_el(), 0x4);

    exc_arm(2, FIX_NONE);
    q_hvc33(0x60000000);
    exc_expect(&(struct exc_want){"EL1 hvc #0x33", 2, VEC_LOWER_A64, false, 0x5a000033, "q_hvc33",
                                  ADDR(q_hvc33), 8, 0x60000000 | EL1H_MASKED, FAR_NONE, 0, NULL,
                                  0});
    exc_arm(1, FIX_NONE);
    q_svc44(0x20000000);
    exc_expect(&(struct exc_want){"EL1 svc #0x44", 1, VEC_CUR_SPX, false, 0x56000044, "q_svc44",
                                  ADDR(q_svc44), 8, 0x20000000 | EL1H_MASKED, FAR_NONE, 0, NULL,
                                  0});
    exc_arm(1, FIX_SKIP);
    q_udf(0x80000000);
    exc_expect(&(struct exc_want){"EL1 udf #1", 1, VEC_CUR_SPX, false, 0x02000000, "q_udf",
                                  ADDR(q_udf), 4, 0x80000000 | EL1H_MASKED, FAR_NONE, 0, NULL, 0});
    exc_arm(1, FIX_SKIP);
    q_mrs_hcr(0x40000000);
    exc_expect(&(struct exc_want){"EL1 mrs hcr_el2", 1, VEC_CUR_SPX, false, 0x02000000, "q_mrs_hcr",
                                  ADDR(q_mrs_hcr), 4, 0x40000000 | EL1H_MASKED, FAR_NONE, 0, NULL,
                                  0});
    exc_arm(1, FIX_SKIP);
    uint64_t r = q_smc0(0, PSCI_1_0_FN_PSCI_FEATURES, PSCI_0_2_FN_SYSTEM_OFF);
    exc_expect_none("EL1 smc #0 PSCI_FEATURES(SYSTEM_OFF), TSC 0");
    expect_value("EL1 PSCI_FEATURES(SYSTEM_OFF)", r, 0);
    q_done_hvc(0xe1);
}

/* HCR_EL2.TSC: SMC at EL1 traps to EL2 before it executes (ELR = the SMC), the firmware's
 * SMC #0 included. */
static void el1_tsc(uint64_t arg)
{
    (void)arg;
    exc_arm(2, FIX_SKIP);
    q_smc77(0x90000000);
    exc_expect(&(struct exc_want){"EL1 smc #0x77, TSC 1", 2, VEC_LOWER_A64, false, 0x5e000077,
                                  "q_smc77", ADDR(q_smc77), 4, 0x90000000 | EL1H_MASKED, FAR_NONE,
                                  0, NULL, 0});
    exc_arm(2, FIX_SKIP);
    q_smc0(0x10000000, PSCI_1_0_FN_PSCI_FEATURES, PSCI_0_2_FN_SYSTEM_OFF);
    exc_expect(&(struct exc_want){"EL1 smc #0 PSCI_FEATURES, TSC 1", 2, VEC_LOWER_A64, false,
                                  0x5e000000, "q_smc0", ADDR(q_smc0), 12, 0x10000000 | EL1H_MASKED,
                                  FAR_NONE, 0, NULL, 0});
    q_done_hvc(0xe2);
}

/* HCR_EL2.TWI: WFI at EL1 traps to EL2, ISS CV 1, COND 0b1110, TI 0. */
static void el1_twi(uint64_t arg)
{
    (void)arg;
    exc_arm(2, FIX_SKIP);
    q_wfi(0xa0000000);
    exc_expect(&(struct exc_want){"EL1 wfi, TWI 1", 2, VEC_LOWER_A64, false, 0x07e00000, "q_wfi",
                                  ADDR(q_wfi), 4, 0xa0000000 | EL1H_MASKED, FAR_NONE, 0, NULL, 0});
    q_done_hvc(0xe3);
}

/* HCR_EL2.HCD: HVC is UNDEFINED at EL1 (no EL3). The scenario ends with a trapped SMC. */
static void el1_hcd(uint64_t arg)
{
    (void)arg;
    exc_arm(1, FIX_SKIP);
    q_hvc1(0x30000000);
    exc_expect(&(struct exc_want){"EL1 hvc #1, HCD 1", 1, VEC_CUR_SPX, false, 0x02000000, "q_hvc1",
                                  ADDR(q_hvc1), 4, 0x30000000 | EL1H_MASKED, FAR_NONE, 0, NULL, 0});
    q_done_smc(0xe4);
}

/* Virtual IRQ (HCR_EL2.VI with IMO): pending but masked while PSTATE.I is set; taken at EL1
 * right after MSR DAIFClr unmasks it (ELR = the next instruction), through the IRQ vector of
 * the current-EL SP_ELx group (0x280). Also taken on the ERET that returns from the HVC which
 * raised it. */
static void el1_virq(uint64_t arg)
{
    (void)arg;
    exc_arm(1, FIX_NONE);
    __asm__ volatile("nop\n\tnop\n\tnop" ::: "memory");
    exc_expect_none("EL1 virtual IRQ while PSTATE.I is set");
    exc_arm(1, FIX_NONE);
    q_unmask_i(0x40000000);
    exc_expect(&(struct exc_want){"EL1 virtual IRQ after daifclr", 1, VEC_CUR_SPX | VEC_IRQ, true,
                                  0, "q_unmask_i", ADDR(q_unmask_i), 8, 0x40000000 | 0x345,
                                  FAR_NONE, 0, NULL, 0});
    exc_arm(1, FIX_NONE);
    q_set_vi(0x80000000);
    exc_expect(&(struct exc_want){"EL1 virtual IRQ raised by hvc", 1, VEC_CUR_SPX | VEC_IRQ, true,
                                  0, "q_set_vi", ADDR(q_set_vi), 12, 0x80000000 | 0x345, FAR_NONE,
                                  0, NULL, 0});
    q_done_hvc(0xe5);
}

/* The same at EL1 with SP_EL0 selected: the IRQ vector of the current-EL SP_EL0 group
 * (0x080), SPSR.M = EL1t. */
static void el1t_virq(uint64_t arg)
{
    (void)arg;
    exc_arm(1, FIX_NONE);
    q_unmask_i(0xc0000000);
    exc_expect(&(struct exc_want){"EL1t virtual IRQ after daifclr", 1, VEC_CUR_SP0 | VEC_IRQ, true,
                                  0, "q_unmask_i", ADDR(q_unmask_i), 8, 0xc0000000 | 0x344,
                                  FAR_NONE, 0, NULL, 0});
    q_done_hvc(0xe9);
}

/* VI without IMO: the virtual IRQ is not routed, so never taken. */
static void el1_vi_no_imo(uint64_t arg)
{
    (void)arg;
    exc_arm(1, FIX_NONE);
    q_unmask_i(0);
    exc_expect_none("EL1 virtual IRQ with IMO 0");
    q_done_hvc(0xe6);
}

/* Virtual FIQ (VF with FMO), at EL1 with SP_EL0 selected: the FIQ vector of the current-EL
 * SP_EL0 group (0x100), SPSR.M = EL1t. */
static void el1_vfiq(uint64_t arg)
{
    (void)arg;
    exc_arm(1, FIX_NONE);
    q_unmask_f(0x20000000);
    exc_expect(&(struct exc_want){"EL1t virtual FIQ after daifclr", 1, VEC_CUR_SP0 | VEC_FIQ, true,
                                  0, "q_unmask_f", ADDR(q_unmask_f), 8, 0x20000000 | 0x384,
                                  FAR_NONE, 0, NULL, 0});
    q_done_hvc(0xe7);
}

/* Virtual SError (VSE with AMO): taken when PSTATE.A is cleared, ESR_EL1 EC 0x2F with IL 1 and
 * ISS 0 (no RAS); taking it clears HCR_EL2.VSE. */
static void el1_vserror(uint64_t arg)
{
    (void)arg;
    exc_arm(1, FIX_NONE);
    q_unmask_a(0x10000000);
    exc_expect(&(struct exc_want){"EL1 virtual SError after daifclr", 1, VEC_CUR_SPX | VEC_SERROR,
                                  false, 0xbe000000, "q_unmask_a", ADDR(q_unmask_a), 8,
                                  0x10000000 | 0x2c5, FAR_NONE, 0, NULL, 0});
    uint64_t hcr;
    __asm__ volatile("hvc #0xf04\n\tmov %0, x0" : "=r"(hcr) : : "x0", "memory");
    expect_value("HCR_EL2 after the virtual SError (VSE cleared)", hcr, HCR_RW | HCR_AMO);
    q_done_hvc(0xe8);
}

/* EL0 under HCR_EL2.TGE: its synchronous exceptions are taken to EL2 (lower-EL vectors). */
static void el0_tge(uint64_t arg)
{
    (void)arg;
    exc_arm(2, FIX_NONE);
    q_svc44(0x60000000);
    exc_expect(&(struct exc_want){"EL0 svc #0x44, TGE 1", 2, VEC_LOWER_A64, false, 0x56000044,
                                  "q_svc44", ADDR(q_svc44), 8, 0x60000000 | EL0T, FAR_NONE, 0, NULL,
                                  0});
    exc_arm(2, FIX_SKIP);
    q_udf(0x20000000);
    exc_expect(&(struct exc_want){"EL0 udf #1, TGE 1", 2, VEC_LOWER_A64, false, 0x02000000, "q_udf",
                                  ADDR(q_udf), 4, 0x20000000 | EL0T, FAR_NONE, 0, NULL, 0});
    exc_arm(2, FIX_SKIP);
    q_brk(0x00000000);
    exc_expect(&(struct exc_want){"EL0 brk #9, TGE 1", 2, VEC_LOWER_A64, false, 0xf2000009, "q_brk",
                                  ADDR(q_brk), 4, EL0T, FAR_NONE, 0, NULL, 0});
    exc_arm(2, FIX_SKIP);
    q_wfi(0x80000000);
    exc_expect(&(struct exc_want){"EL0 wfi, nTWI 0, TGE 1", 2, VEC_LOWER_A64, false, 0x07e00000,
                                  "q_wfi", ADDR(q_wfi), 4, 0x80000000 | EL0T, FAR_NONE, 0, NULL,
                                  0});
    /* Without stage 2 translation ESR_EL2 carries no instruction syndrome (ISV 0), for LDR as
     * for LDP (which never has one). */
    exc_arm(2, FIX_SKIP);
    q_ldr(0x20000000, UNMAPPED + 8);
    exc_expect(&(struct exc_want){"EL0 ldr from unmapped, TGE 1", 2, VEC_LOWER_A64, false,
                                  0x92000010, "q_ldr", ADDR(q_ldr), 4, 0x20000000 | EL0T, FAR_ABS,
                                  UNMAPPED + 8, NULL, 0});
    exc_arm(2, FIX_SKIP);
    q_ldp(0x40000000, UNMAPPED + 0x40);
    exc_expect(&(struct exc_want){"EL0 ldp from unmapped, TGE 1", 2, VEC_LOWER_A64, false,
                                  0x92000010, "q_ldp", ADDR(q_ldp), 4, 0x40000000 | EL0T, FAR_ABS,
                                  UNMAPPED + 0x40, NULL, 0});
    exc_arm(2, FIX_LR);
    q_blr(0x50000000, UNMAPPED);
    exc_expect(&(struct exc_want){"EL0 blr to unmapped, TGE 1", 2, VEC_LOWER_A64, false, 0x82000010,
                                  NULL, 0, UNMAPPED, 0x50000000 | EL0T, FAR_ABS, UNMAPPED, NULL,
                                  0});
    q_done_svc(0xe0);
}

/* ---- the hypervisor ---- */

static void el2_self(void)
{
    expect_value("CurrentEL", current_el(), 0x8);
    /* At EL2, HVC and SVC are taken to EL2 itself. */
    exc_arm(2, FIX_NONE);
    q_hvc33(0x20000000);
    exc_expect(&(struct exc_want){"EL2 hvc #0x33", 2, VEC_CUR_SPX, false, 0x5a000033, "q_hvc33",
                                  ADDR(q_hvc33), 8, 0x20000000 | EL2H_MASKED, FAR_NONE, 0, NULL,
                                  0});
    exc_arm(2, FIX_NONE);
    q_svc44(0x80000000);
    exc_expect(&(struct exc_want){"EL2 svc #0x44", 2, VEC_CUR_SPX, false, 0x56000044, "q_svc44",
                                  ADDR(q_svc44), 8, 0x80000000 | EL2H_MASKED, FAR_NONE, 0, NULL,
                                  0});
    exc_arm(2, FIX_SKIP);
    q_udf(0x40000000);
    exc_expect(&(struct exc_want){"EL2 udf #1", 2, VEC_CUR_SPX, false, 0x02000000, "q_udf",
                                  ADDR(q_udf), 4, 0x40000000 | EL2H_MASKED, FAR_NONE, 0, NULL, 0});
    /* The firmware's conduit is SMC: answered without an exception. */
    exc_arm(2, FIX_SKIP);
    uint64_t r = q_smc0(0, PSCI_1_0_FN_PSCI_FEATURES, PSCI_0_2_FN_SYSTEM_OFF);
    exc_expect_none("EL2 smc #0 PSCI_FEATURES(SYSTEM_OFF)");
    expect_value("EL2 PSCI_FEATURES(SYSTEM_OFF)", r, 0);
    /* Virtual interrupts are never taken at EL2, routed or not. */
    write_hcr(HCR_RW | HCR_IMO | HCR_VI | HCR_FMO | HCR_VF);
    exc_arm(2, FIX_NONE);
    q_unmask_i(0);
    q_unmask_f(0);
    exc_expect_none("EL2 virtual IRQ and FIQ, IMO and FMO 1, unmasked");
    write_hcr(HCR_RW);
}

/* An illegal ERET leaves PSTATE.IL set at EL2: the next instruction takes an Illegal
 * Execution state exception at EL2 (EC 0x0E, ELR = the ERET target, SPSR.IL set). With TGE set
 * EL1 is not in use, so ERET to EL1 is illegal. (ERET to EL1 with HCR_EL2.RW = 0 is illegal
 * too, but only a PE with AArch32 at EL1 has a writable RW: QEMU's Cortex-A57 has, a64sim has
 * not, see exc_el2_simonly.c.) */
static void el2_illegal_returns(void)
{
    exc_arm(2, FIX_RETURN);
    run_lower(q_nop, HCR_RW | HCR_TGE, 0x000003c5);
    exc_expect(&(struct exc_want){"eret to EL1 with TGE 1", 2, VEC_CUR_SPX, false, 0x3a000000,
                                  "q_nop", ADDR(q_nop), 0, 0x001003c9, FAR_NONE, 0, NULL, 0});
}

static _Noreturn void psci_system_off(void)
{
    register uint64_t x0 __asm__("x0") = PSCI_0_2_FN_SYSTEM_OFF;
    __asm__ volatile("smc #0" : "+r"(x0) : : "memory");
    printf("SYSTEM_OFF returned 0x%lx\n", (unsigned long)x0);
    guest_exit(1);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el2(handler_el2);
    write_hcr(HCR_RW);
    __asm__ volatile("msr sctlr_el1, %0\n\tisb" ::"r"(SCTLR_EL1_V));
    el2_self();

    static const struct {
        const char *name;
        void (*fn)(uint64_t);
        uint64_t hcr, spsr, result;
    } scenarios[] = {
        {"RW", el1_basic, HCR_RW, EL1H_MASKED, 0xe1},
        {"RW TSC", el1_tsc, HCR_RW | HCR_TSC, EL1H_MASKED, 0xe2},
        {"RW TWI", el1_twi, HCR_RW | HCR_TWI, EL1H_MASKED, 0xe3},
        {"RW HCD TSC", el1_hcd, HCR_RW | HCR_HCD | HCR_TSC, EL1H_MASKED, 0xe4},
        {"RW IMO VI", el1_virq, HCR_RW | HCR_IMO | HCR_VI, EL1H_MASKED, 0xe5},
        {"RW IMO VI, EL1t", el1t_virq, HCR_RW | HCR_IMO | HCR_VI, EL1T_MASKED, 0xe9},
        {"RW VI", el1_vi_no_imo, HCR_RW | HCR_VI, EL1H_MASKED, 0xe6},
        {"RW FMO VF", el1_vfiq, HCR_RW | HCR_FMO | HCR_VF, EL1T_MASKED, 0xe7},
        {"RW AMO VSE", el1_vserror, HCR_RW | HCR_AMO | HCR_VSE, EL1H_MASKED, 0xe8},
        {"RW TGE", el0_tge, HCR_RW | HCR_TGE, EL0T, 0xe0},
    };
    for (unsigned i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
        printf("-- HCR_EL2 %s\n", scenarios[i].name);
        uint64_t r = run_lower(scenarios[i].fn, scenarios[i].hcr, scenarios[i].spsr);
        expect_value("scenario result", r, scenarios[i].result);
    }
    printf("-- illegal return\n");
    el2_illegal_returns();

    if (exc_summary("exc_el2"))
        guest_exit(1);
    psci_system_off();
}
