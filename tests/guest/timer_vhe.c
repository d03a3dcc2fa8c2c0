/*
 * The generic timer from EL0 in the EL2&0 host regime, HCR_EL2.{E2H, TGE} =
 * {1, 1} (FEAT_VHE; Arm ARM, the CNTHCTL_EL2 and CNTKCTL_EL1 register pages
 * and the accessibility rules of each timer register). The guest starts at
 * EL2 (a64sim --el 2 --cpu max; QEMU -cpu max with virtualization=on), sets
 * E2H and TGE, and runs its probes at EL0, checking:
 *
 *  - CNTHCTL_EL2 takes the CNTKCTL_EL1 layout: EL0PCTEN (bit 0), EL0VCTEN
 *    (bit 1), EL0VTEN (bit 8), EL0PTEN (bit 9) gate EL0's accesses, and a
 *    disabled one is taken to EL2 (TGE = 1), never EL1, with EC 0x18, IL 1,
 *    the ISS of the MRS/MSR and ELR at the instruction. The EL1 register
 *    CNTKCTL_EL1, set to the opposite each time, has no say; nor do
 *    EL1PCTEN/EL1PTEN (bits 10, 11), which are for EL1 when TGE = 0;
 *  - EL0's CNTP_* and CNTV_* reach the EL2 physical and virtual timers: a
 *    CVAL or CTL EL0 writes is what EL2 reads through CNTP_/CNTV_*_EL0
 *    (CNTHP_/CNTHV_*_EL2 at EL2 with E2H = 1) and through the CNTHP/CNTHV
 *    names, while the _EL02 names show the EL1 timers unchanged;
 *  - at EL2 with E2H = 1, CNTKCTL_EL1 is CNTHCTL_EL2 and CNTKCTL_EL12 is the
 *    EL1 register, and what is written through the EL1 name is what gates EL0.
 *
 * Only timing-independent facts are printed, so QEMU and a64sim agree.
 * Registers binutils accepts only with -march=armv8.1-a are written in their
 * generic S<op0>_<op1>_C<n>_C<m>_<op2> form.
 */
#include "timer_trap_common.h"

/* Encodings (Arm ARM D17): the _EL12/_EL02 accessors have op1 = 5. */
#define CNTKCTL_EL12   "S3_5_C14_C1_0"
#define CNTP_CTL_EL02  "S3_5_C14_C2_1"
#define CNTP_CVAL_EL02 "S3_5_C14_C2_2"
#define CNTV_CTL_EL02  "S3_5_C14_C3_1"
#define CNTV_CVAL_EL02 "S3_5_C14_C3_2"
#define CNTHP_CTL_EL2  "S3_4_C14_C2_1"
#define CNTHP_CVAL_EL2 "S3_4_C14_C2_2"
#define CNTHV_CTL_EL2  "S3_4_C14_C3_1"
#define CNTHV_CVAL_EL2 "S3_4_C14_C3_2"
#define CNTHCTL_EL2    "S3_4_C14_C1_0"
#define CNTKCTL_EL1    "S3_0_C14_C1_0"

#define MRS(reg)                                                                                   \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("mrs %0, " reg : "=r"(v_)::"memory");                                     \
        v_;                                                                                        \
    })
#define MSR(reg, v) __asm__ volatile("msr " reg ", %0\n\tisb" ::"r"((uint64_t)(v)) : "memory")

/* SCTLR_EL2 in the EL1 layout (E2H = 1), MMU off: RES1 bits, SA, SA0, and ITD and SED,
 * RES1 without AArch32 at EL0 (a64sim) and writable with it (QEMU). */
#define SCTLR_HOST 0x30d00998ull
#define HCR_HOST   (HCR_RW | HCR_E2H | HCR_TGE)

/* What EL2 writes into the EL2 timers and, through _EL02, the EL1 timers. */
#define CVAL_EL2P 0x0222222222222222ull
#define CVAL_EL2V 0x0333333333333333ull

/* Probes by what they access. */
#define P_PCT    (&probes[1])
#define P_VCT    (&probes[2])
#define P_VCTL_W (&probes[4])
#define P_VCVL_R (&probes[5])
#define P_VCVL_W (&probes[6])
#define P_PCTL_W (&probes[10])
#define P_PCVL_R (&probes[11])
#define P_PCVL_W (&probes[12])

static void check_host(const struct probe *p, unsigned want_el)
{
    check_probe(p, el0_run, EL0T_MASKED, 0, want_el, sysreg_esr(p));
}

/* CNTHCTL_EL2 = CNTHCTL gates every probe; the EL1 CNTKCTL_EL1 is set to the opposite. */
static void check_cnthctl(uint32_t cnthctl)
{
    uint32_t cntkctl = ~cnthctl & CNTKCTL_EL0_ALL;
    printf("CNTHCTL_EL2 0x%03x, CNTKCTL_EL12 0x%03x:\n", cnthctl, cntkctl);
    MSR(CNTKCTL_EL12, cntkctl);
    cnthctl_set(cnthctl);
    for (unsigned i = 0; i < NPROBES; i++)
        check_host(&probes[i], cnthctl & probes[i].gate ? 0 : 2);
    ctl_set(false, 0);
    ctl_set(true, 0);
}

static void check_value(const char *what, uint64_t got, uint64_t want)
{
    printf("    %s reads 0x%lx", what, (unsigned long)got);
    report(got == want);
}

/* EL0's CNTP/CNTV names reach CNTHP/CNTHV; the EL1 timers stay as EL2 set them. */
static void check_timer_redirection(void)
{
    printf("EL0 timers in the host regime, CNTHCTL_EL2 0x303:\n");
    cnthctl_set(CNTKCTL_EL0_ALL);
    MSR(CNTP_CVAL_EL02, CVAL_EL1);
    MSR(CNTV_CVAL_EL02, CVAL_EL1);
    MSR(CNTP_CTL_EL02, 0);
    MSR(CNTV_CTL_EL02, 0);

    MSR(CNTHP_CVAL_EL2, CVAL_EL2P);
    printf("  EL0 mrs cntp_cval_el0 after EL2 set CNTHP_CVAL_EL2 0x%lx:\n",
           (unsigned long)CVAL_EL2P);
    check_value("EL0 cntp_cval_el0", lower_call(el0_run, ADDR(P_PCVL_R), EL0T_MASKED), CVAL_EL2P);
    MSR(CNTHV_CVAL_EL2, CVAL_EL2V);
    printf("  EL0 mrs cntv_cval_el0 after EL2 set CNTHV_CVAL_EL2 0x%lx:\n",
           (unsigned long)CVAL_EL2V);
    check_value("EL0 cntv_cval_el0", lower_call(el0_run, ADDR(P_VCVL_R), EL0T_MASKED), CVAL_EL2V);

    printf("  EL0 msr cntp_cval_el0, 0x%lx:\n", (unsigned long)CVAL_EL0);
    lower_call(el0_run, ADDR(P_PCVL_W), EL0T_MASKED);
    check_value("EL2 cntp_cval_el0", MRS("cntp_cval_el0"), CVAL_EL0);
    check_value("EL2 cnthp_cval_el2", MRS(CNTHP_CVAL_EL2), CVAL_EL0);
    check_value("EL2 cntp_cval_el02", MRS(CNTP_CVAL_EL02), CVAL_EL1);
    printf("  EL0 msr cntv_cval_el0, 0x%lx:\n", (unsigned long)CVAL_EL0);
    lower_call(el0_run, ADDR(P_VCVL_W), EL0T_MASKED);
    check_value("EL2 cntv_cval_el0", MRS("cntv_cval_el0"), CVAL_EL0);
    check_value("EL2 cnthv_cval_el2", MRS(CNTHV_CVAL_EL2), CVAL_EL0);
    check_value("EL2 cntv_cval_el02", MRS(CNTV_CVAL_EL02), CVAL_EL1);

    MSR(CNTHP_CTL_EL2, 0);
    MSR(CNTHV_CTL_EL2, 0);
    printf("  EL0 msr cntp_ctl_el0, 0x%x (IMASK):\n", CTL_IMASK);
    lower_call(el0_run, ADDR(P_PCTL_W), EL0T_MASKED);
    check_value("EL2 cntp_ctl_el0 ENABLE, IMASK", MRS("cntp_ctl_el0") & CTL_RW_BITS, CTL_IMASK);
    check_value("EL2 cnthp_ctl_el2 ENABLE, IMASK", MRS(CNTHP_CTL_EL2) & CTL_RW_BITS, CTL_IMASK);
    check_value("EL2 cntp_ctl_el02 ENABLE, IMASK", MRS(CNTP_CTL_EL02) & CTL_RW_BITS, 0);
    printf("  EL0 msr cntv_ctl_el0, 0x%x (IMASK):\n", CTL_IMASK);
    lower_call(el0_run, ADDR(P_VCTL_W), EL0T_MASKED);
    check_value("EL2 cntv_ctl_el0 ENABLE, IMASK", MRS("cntv_ctl_el0") & CTL_RW_BITS, CTL_IMASK);
    check_value("EL2 cnthv_ctl_el2 ENABLE, IMASK", MRS(CNTHV_CTL_EL2) & CTL_RW_BITS, CTL_IMASK);
    check_value("EL2 cntv_ctl_el02 ENABLE, IMASK", MRS(CNTV_CTL_EL02) & CTL_RW_BITS, 0);
    MSR(CNTHP_CTL_EL2, 0);
    MSR(CNTHV_CTL_EL2, 0);
}

/* At EL2 with E2H = 1 the CNTKCTL_EL1 name is CNTHCTL_EL2; CNTKCTL_EL12 is CNTKCTL_EL1. */
static void check_cntkctl_redirection(void)
{
    printf("CNTKCTL_EL1 at EL2 with E2H = 1:\n");
    cnthctl_set(0);
    MSR(CNTKCTL_EL12, 0);
    printf("  EL2 msr cntkctl_el1, 0x301:\n");
    cntkctl_set(CNTKCTL_EL0PCTEN | CNTKCTL_EL0VTEN | CNTKCTL_EL0PTEN);
    check_value("EL2 cnthctl_el2", MRS(CNTHCTL_EL2), 0x301);
    check_value("EL2 cntkctl_el1", MRS(CNTKCTL_EL1), 0x301);
    check_value("EL2 cntkctl_el12", MRS(CNTKCTL_EL12), 0);
    printf("  EL2 msr cntkctl_el12, 0x202:\n");
    MSR(CNTKCTL_EL12, CNTKCTL_EL0VCTEN | CNTKCTL_EL0PTEN);
    check_value("EL2 cntkctl_el12", MRS(CNTKCTL_EL12), 0x202);
    check_value("EL2 cntkctl_el1", MRS(CNTKCTL_EL1), 0x301);
    check_value("EL2 cnthctl_el2", MRS(CNTHCTL_EL2), 0x301);
    printf("  EL0 with CNTHCTL_EL2 0x301 (written as cntkctl_el1), CNTKCTL_EL1 0x202:\n");
    check_host(P_PCT, 0);
    check_host(P_VCT, 2);
}

int main(void)
{
    tt_setup(HCR_HOST);
    MSR("sctlr_el2", SCTLR_HOST);
    static const uint32_t settings[] = {0,
                                        CNTKCTL_EL0PCTEN,
                                        CNTKCTL_EL0VCTEN,
                                        CNTKCTL_EL0VTEN,
                                        CNTKCTL_EL0PTEN,
                                        CNTHCTL_E2H_EL1PCTEN | CNTHCTL_E2H_EL1PTEN,
                                        CNTKCTL_EL0_ALL};
    for (unsigned i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
        check_cnthctl(settings[i]);
    check_timer_redirection();
    check_cntkctl_redirection();
    tt_finish("timer_vhe");
    return 1; /* not reached: tt_finish powers off or exits */
}
