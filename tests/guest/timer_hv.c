/*
 * The EL2 virtual timer (CNTHV_*_EL2, PPI 28; FEAT_VHE). The guest starts at
 * EL2 (a64sim --el 2 --cpu max; QEMU -cpu max with virtualization=on) and
 * runs every check twice, with HCR_EL2.E2H = 0 and then E2H = 1 (the timer
 * exists with FEAT_VHE whatever E2H is), against the Arm ARM's generic timer
 * chapter:
 *
 *  - TVAL reads CVAL minus the count as a signed 32-bit value: positive
 *    before CVAL, negative once the count has passed it;
 *  - once the count reaches CVAL with ENABLE = 1 and IMASK = 0, ISTATUS reads
 *    1 and PPI 28 is pending at the redistributor (GICR_ISPENDR0); IMASK = 1
 *    keeps ISTATUS and takes the level down, and so does ENABLE = 0;
 *  - unmasked, the interrupt is taken at EL2 (HCR_EL2.IMO = 1) with INTID 28,
 *    and WFI with PSTATE.I set wakes when it becomes pending;
 *  - the EL1 virtual timer compares against CNTPCT - CNTVOFF_EL2, the EL2
 *    virtual timer against the count of the EL2&0 regime, which has no
 *    offset: a CNTVOFF_EL2 that puts the EL1 virtual count past a CVAL does
 *    not make that CVAL met for CNTHV;
 *  - with E2H = 1, at EL2, CNTV_CTL/CVAL/TVAL_EL0 are CNTHV_CTL/CVAL/TVAL_EL2
 *    (a value written through one name reads back through the other, and the
 *    timer they fire is PPI 28), and CNTV_*_EL02 reach the EL1 virtual timer
 *    (PPI 27).
 *
 * Only timing-independent facts are printed, so QEMU and a64sim agree: every
 * wait polls with a bound instead of counting on how long things take.
 * QEMU 7.2's virt board does not connect the EL2 virtual timer's output to
 * the GIC (PPI 28 never pends, so its interrupt is never taken and WFI never
 * wakes), so the checks of PPI 28 (pending, IMASK/ENABLE dropping it, the IRQ
 * at EL2, WFI) are compiled only with TIMER_HV_SIMONLY defined: a
 * timer_hv_simonly.c that defines it and includes this file runs them under
 * a64sim. Also left out: CNTHV_TVAL_EL2 at E2H = 0 with CNTVOFF_EL2 != 0,
 * which QEMU 7.2 computes through the offset.
 * Registers binutils accepts only with -march=armv8.1-a are written in their
 * generic S<op0>_<op1>_C<n>_C<m>_<op2> form.
 */
#include <stdbool.h>
#include <stdint.h>

#include "gic_common.h"
#include "vectors.h"

#define CTL_ENABLE  (1u << 0)
#define CTL_IMASK   (1u << 1)
#define CTL_ISTATUS (1u << 2)
#define CTL_RW_BITS (CTL_ENABLE | CTL_IMASK)

#define PPI_VIRT     27u
#define PPI_HYP_VIRT 28u

/* Encodings (Arm ARM, the generic timer register pages): CNTHV_* are op1 = 4, CRm = 3;
 * the _EL02 names of the EL1 virtual timer are op1 = 5, CRm = 3. */
#define CNTHV_TVAL_EL2 "S3_4_C14_C3_0"
#define CNTHV_CTL_EL2  "S3_4_C14_C3_1"
#define CNTHV_CVAL_EL2 "S3_4_C14_C3_2"
#define CNTV_TVAL_EL02 "S3_5_C14_C3_0"
#define CNTV_CTL_EL02  "S3_5_C14_C3_1"
#define CNTV_CVAL_EL02 "S3_5_C14_C3_2"

/* Far enough ahead that a timer cannot fire during a check (about 16 s at 62.5 MHz). */
#define FAR_TICKS 1000000000ull
/* Soon enough that waiting for it is quick (about 0.2 ms at 62.5 MHz). */
#define NEAR_TICKS 10000ull
#define POLL_BOUND 10000000u
/* The virtual count CNTVOFF_EL2 = -(2^40 + 2^31) gives the EL1 virtual timer: far past any CVAL
 * near CNTPCT, so only a timer that ignores the offset still sees CNTPCT + FAR_TICKS ahead; the
 * 2^31 makes a TVAL computed through the offset read negative. */
#define CNTVOFF_AHEAD (0ull - (1ull << 40) - (1ull << 31))
/* Values written through one name and read through the other (bits a CVAL keeps). */
#define CVAL_A 0x0123456789abcdefull
#define CVAL_B 0x00fedcba98765432ull
#define CVAL_C 0x0055aa55aa55aa55ull
#define TVAL_W 0x40000000u

#define HCR_IMO (1ull << 4)
#define HCR_RW  (1ull << 31)
#define HCR_E2H (1ull << 34)

#define ICC_SRE_EL2    "S3_4_C12_C9_5"
#define ICC_SRE_SRE    (1u << 0)
#define ICC_SRE_ENABLE (1u << 3)

static volatile unsigned taken, last_intid;

static uint64_t cntpct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v)::"memory");
    return v;
}

static uint32_t hv_ctl(void)
{
    return (uint32_t)MRS(CNTHV_CTL_EL2);
}

static void hv_ctl_write(uint32_t v)
{
    MSR(CNTHV_CTL_EL2, v);
}

static void hv_cval_write(uint64_t v)
{
    MSR(CNTHV_CVAL_EL2, v);
}

static int32_t hv_tval(void)
{
    return (int32_t)(uint32_t)MRS(CNTHV_TVAL_EL2);
}

static bool hv_istatus(void)
{
    return (hv_ctl() & CTL_ISTATUS) != 0;
}

static bool ppi_pending(unsigned intid)
{
    return (rd32(GICR_SGI(0) + GICR_ISPENDR0) >> intid) & 1;
}

/* Poll until the PPI's pending bit equals WANT; false if it never does. */
static bool wait_pending(unsigned intid, bool want)
{
    for (unsigned i = 0; i < POLL_BOUND; i++)
        if (ppi_pending(intid) == want)
            return true;
    return false;
}

static bool wait_istatus(void)
{
    for (unsigned i = 0; i < POLL_BOUND; i++)
        if (hv_istatus())
            return true;
    return false;
}

static void handler_el2(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ)) {
        printf("unexpected exception at vector 0x%x, ESR 0x%x, ELR 0x%lx\n", (unsigned)f->vector,
               (unsigned)f->esr, (unsigned long)f->elr);
        guest_exit(2);
    }
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    last_intid = intid;
    taken++;
    /* The output is a level: it must go down before the EOI, or the PPI re-pends. */
    if (intid == PPI_HYP_VIRT)
        hv_ctl_write(0);
    MSR(ICC_EOIR1_EL1, intid);
}

static void gic_setup(void)
{
    MSR(ICC_SRE_EL2, ICC_SRE_SRE | ICC_SRE_ENABLE);
    gic_ppis_to_irq((1u << PPI_HYP_VIRT) | (1u << PPI_VIRT));
}

/* HCR_EL2: AArch64 EL1, physical IRQs to EL2 (so EL2 takes them), and E2H as asked. */
static void hcr_set(bool e2h)
{
    MSR("hcr_el2", HCR_RW | HCR_IMO | (e2h ? HCR_E2H : 0));
}

/* CVAL ahead: TVAL positive, ISTATUS 0, nothing pending. */
static void check_before(void)
{
    hv_ctl_write(0);
    hv_cval_write(cntpct() + FAR_TICKS);
    hv_ctl_write(CTL_ENABLE);
    printf("  CVAL ahead: TVAL > 0: %u, ISTATUS %u\n", hv_tval() > 0, hv_istatus());
#ifdef TIMER_HV_SIMONLY
    printf("  CVAL ahead: PPI 28 pending %u\n", ppi_pending(PPI_HYP_VIRT));
#endif
}

/* CVAL passed, IRQs masked by PSTATE.I: ISTATUS 1, TVAL negative, pending; then IMASK and ENABLE.
 */
static void check_expired(void)
{
    uint64_t cval = cntpct() + NEAR_TICKS;
    hv_cval_write(cval);
    while (cntpct() <= cval) /* strictly past CVAL, so TVAL must read negative */
        ;
    printf("  count passed CVAL: ISTATUS %u, TVAL < 0: %u\n", wait_istatus(), hv_tval() < 0);
#ifdef TIMER_HV_SIMONLY
    printf("  count passed CVAL: PPI 28 pending %u\n", wait_pending(PPI_HYP_VIRT, true));
#endif
    hv_ctl_write(CTL_ENABLE | CTL_IMASK);
    printf("  IMASK=1: ISTATUS %u\n", hv_istatus());
#ifdef TIMER_HV_SIMONLY
    printf("  IMASK=1: PPI 28 pending dropped %u\n", wait_pending(PPI_HYP_VIRT, false));
    hv_ctl_write(CTL_ENABLE);
    printf("  IMASK=0: PPI 28 pending again %u\n", wait_pending(PPI_HYP_VIRT, true));
    hv_ctl_write(0);
    printf("  ENABLE=0: PPI 28 pending dropped %u\n", wait_pending(PPI_HYP_VIRT, false));
#endif
    hv_ctl_write(0);
}

/* A TVAL write sets CVAL to the count at the write plus the value. */
static void check_tval_write(void)
{
    hv_ctl_write(0);
    uint64_t before = cntpct();
    MSR(CNTHV_TVAL_EL2, NEAR_TICKS);
    uint64_t cval = MRS(CNTHV_CVAL_EL2);
    uint64_t after = cntpct();
    printf("  TVAL write %u: CVAL - %u in [count before, count after] %u\n", (unsigned)NEAR_TICKS,
           (unsigned)NEAR_TICKS, cval - NEAR_TICKS >= before && cval - NEAR_TICKS <= after);
}

#ifdef TIMER_HV_SIMONLY
/* Unmasked, the expired timer's interrupt is taken at EL2, once, with INTID 28. */
static void check_taken(void)
{
    taken = 0;
    last_intid = INTID_SPURIOUS;
    hv_cval_write(cntpct() + NEAR_TICKS);
    hv_ctl_write(CTL_ENABLE);
    IRQ_ENABLE();
    for (unsigned i = 0; i < POLL_BOUND && taken == 0; i++)
        ;
    IRQ_DISABLE();
    printf("  unmasked at EL2: taken %u, INTID %u\n", taken, last_intid);
}

/* WFI with PSTATE.I set wakes when the interrupt becomes pending; unmasking then takes it. */
static void check_wfi(void)
{
    taken = 0;
    last_intid = INTID_SPURIOUS;
    uint64_t cval = cntpct() + NEAR_TICKS;
    hv_cval_write(cval);
    hv_ctl_write(CTL_ENABLE);
    unsigned wakes = 0;
    /* WFI may also wake for other reasons (Arm ARM: a WFI wake-up event), so loop. */
    while (taken == 0 && wakes < 1000) {
        __asm__ volatile("dsb sy\n\twfi" ::: "memory");
        wakes++;
        IRQ_ENABLE();
        IRQ_DISABLE();
    }
    printf("  WFI: woke and took INTID %u, count >= CVAL %u\n", last_intid, cntpct() >= cval);
}
#endif

/* The EL1 virtual timer, by the name that reaches it at EL2 with this E2H. */
static void el1v_ctl_write(bool e2h, uint32_t v)
{
    if (e2h)
        MSR(CNTV_CTL_EL02, v);
    else
        MSR("cntv_ctl_el0", v);
}

static uint32_t el1v_ctl(bool e2h)
{
    return (uint32_t)(e2h ? MRS(CNTV_CTL_EL02) : MRS("cntv_ctl_el0"));
}

static void el1v_cval_write(bool e2h, uint64_t v)
{
    if (e2h)
        MSR(CNTV_CVAL_EL02, v);
    else
        MSR("cntv_cval_el0", v);
}

/* CNTVOFF_EL2 puts the EL1 virtual count 2^40 + 2^31 past CNTPCT: a CVAL just ahead of CNTPCT is
 * met for the EL1 virtual timer (which uses the offset) and not for CNTHV (which does not). Both
 * are IMASKed: only ISTATUS is read. */
static void check_cntvoff(bool e2h)
{
    uint64_t cval = cntpct() + FAR_TICKS;
    MSR("cntvoff_el2", CNTVOFF_AHEAD);
    el1v_ctl_write(e2h, 0);
    el1v_cval_write(e2h, cval);
    el1v_ctl_write(e2h, CTL_ENABLE | CTL_IMASK);
    hv_ctl_write(0);
    hv_cval_write(cval);
    hv_ctl_write(CTL_ENABLE | CTL_IMASK);
    printf("  CNTVOFF_EL2 -(2^40 + 2^31), both CVAL = CNTPCT + far: EL1 virtual ISTATUS %u, "
           "EL2 virtual ISTATUS %u\n",
           (el1v_ctl(e2h) & CTL_ISTATUS) != 0, hv_istatus());
    /* TVAL is CVAL minus the same count: no offset, so it reads about +far (through the offset,
     * (far - 2^31) as 32 bits, it would read negative). QEMU 7.2 reads CNTHV_TVAL_EL2 through
     * CNTVOFF_EL2 when E2H = 0, so the line is printed for E2H = 1 only. */
    if (e2h)
        printf("  CNTVOFF_EL2 -(2^40 + 2^31): EL2 virtual TVAL > 0 %u\n", hv_tval() > 0);
    MSR("cntvoff_el2", 0);
    printf("  CNTVOFF_EL2 0: EL1 virtual ISTATUS %u, EL2 virtual ISTATUS %u\n",
           (el1v_ctl(e2h) & CTL_ISTATUS) != 0, hv_istatus());
    el1v_ctl_write(e2h, 0);
    hv_ctl_write(0);
}

static void check_value(const char *what, uint64_t got, uint64_t want)
{
    printf("    %s reads 0x%lx: %s\n", what, (unsigned long)got, got == want ? "ok" : "WRONG");
}

/* With E2H = 1, at EL2: CNTV_*_EL0 is CNTHV_*_EL2, CNTV_*_EL02 is the EL1 virtual timer. */
static void check_names(void)
{
    printf("  names at EL2 with E2H = 1:\n");
    MSR(CNTV_CTL_EL02, 0);
    MSR(CNTV_CVAL_EL02, CVAL_C);
    hv_ctl_write(0);
    printf("   msr cntv_cval_el0, 0x%lx:\n", (unsigned long)CVAL_A);
    MSR("cntv_cval_el0", CVAL_A);
    check_value("cnthv_cval_el2", MRS(CNTHV_CVAL_EL2), CVAL_A);
    check_value("cntv_cval_el02", MRS(CNTV_CVAL_EL02), CVAL_C);
    printf("   msr cnthv_cval_el2, 0x%lx:\n", (unsigned long)CVAL_B);
    MSR(CNTHV_CVAL_EL2, CVAL_B);
    check_value("cntv_cval_el0", MRS("cntv_cval_el0"), CVAL_B);
    check_value("cntv_cval_el02", MRS(CNTV_CVAL_EL02), CVAL_C);
    printf("   msr cntv_ctl_el0, 0x%x (IMASK):\n", CTL_IMASK);
    MSR("cntv_ctl_el0", CTL_IMASK);
    check_value("cnthv_ctl_el2 ENABLE, IMASK", MRS(CNTHV_CTL_EL2) & CTL_RW_BITS, CTL_IMASK);
    check_value("cntv_ctl_el02 ENABLE, IMASK", MRS(CNTV_CTL_EL02) & CTL_RW_BITS, 0);
    printf("   msr cnthv_ctl_el2, 0x%x (ENABLE, IMASK):\n", CTL_ENABLE | CTL_IMASK);
    hv_ctl_write(CTL_ENABLE | CTL_IMASK);
    check_value("cntv_ctl_el0 ENABLE, IMASK", MRS("cntv_ctl_el0") & CTL_RW_BITS,
                CTL_ENABLE | CTL_IMASK);
    check_value("cntv_ctl_el02 ENABLE, IMASK", MRS(CNTV_CTL_EL02) & CTL_RW_BITS, 0);
    hv_ctl_write(0);

    uint64_t before = cntpct();
    MSR("cntv_tval_el0", TVAL_W);
    uint64_t after = cntpct();
    uint64_t cval = MRS(CNTHV_CVAL_EL2);
    printf("   msr cntv_tval_el0, 0x%x: CNTHV_CVAL - 0x%x in [count before, count after] %u, "
           "CNTHV_TVAL in (0, 0x%x] %u, CNTV_CVAL_EL02 kept %u\n",
           TVAL_W, TVAL_W, cval - TVAL_W >= before && cval - TVAL_W <= after, TVAL_W,
           hv_tval() > 0 && (uint32_t)hv_tval() <= TVAL_W, MRS(CNTV_CVAL_EL02) == CVAL_C);
    uint64_t hv_cval = MRS(CNTHV_CVAL_EL2);
    before = cntpct();
    MSR(CNTV_TVAL_EL02, TVAL_W);
    after = cntpct();
    cval = MRS(CNTV_CVAL_EL02);
    printf("   msr cntv_tval_el02, 0x%x: CNTV_CVAL_EL02 - 0x%x in [count before, count after] %u, "
           "CNTHV_CVAL kept %u\n",
           TVAL_W, TVAL_W, cval - TVAL_W >= before && cval - TVAL_W <= after,
           MRS(CNTHV_CVAL_EL2) == hv_cval);
}

/* With E2H = 1, the CNTV_*_EL0 names drive CNTHV (PPI 28) and the CNTV_*_EL02 names the EL1
 * virtual timer (PPI 27). A timer that is on with CVAL far ahead reads ISTATUS 0 (with ENABLE = 0
 * the Arm ARM leaves ISTATUS UNKNOWN). */
static void check_name_firing(void)
{
    printf("  firing through the names, IRQs masked:\n");
    uint64_t far = cntpct() + FAR_TICKS;
    MSR(CNTV_CTL_EL02, 0);
    MSR(CNTV_CVAL_EL02, far);
    MSR(CNTV_CTL_EL02, CTL_ENABLE);
    MSR("cntv_ctl_el0", 0);
    MSR("cntv_cval_el0", 0);
    MSR("cntv_ctl_el0", CTL_ENABLE);
    printf("   cntv_cval_el0 0, cntv_ctl_el0 ENABLE: CNTHV ISTATUS %u, EL1 virtual ISTATUS %u, "
           "PPI 27 pending %u\n",
           hv_istatus(), (MRS(CNTV_CTL_EL02) & CTL_ISTATUS) != 0, ppi_pending(PPI_VIRT));
#ifdef TIMER_HV_SIMONLY
    printf("   cntv_cval_el0 0, cntv_ctl_el0 ENABLE: PPI 28 pending %u\n",
           wait_pending(PPI_HYP_VIRT, true));
    MSR("cntv_ctl_el0", 0);
    printf("   cntv_ctl_el0 0: PPI 28 dropped %u\n", wait_pending(PPI_HYP_VIRT, false));
#endif
    MSR("cntv_cval_el0", far);
    MSR(CNTV_CVAL_EL02, 0);
    printf("   cntv_cval_el0 far, cntv_cval_el02 0: CNTHV ISTATUS %u, EL1 virtual ISTATUS %u, "
           "PPI 27 pending %u\n",
           hv_istatus(), (MRS(CNTV_CTL_EL02) & CTL_ISTATUS) != 0, wait_pending(PPI_VIRT, true));
#ifdef TIMER_HV_SIMONLY
    printf("   cntv_cval_el02 0: PPI 28 pending %u\n", ppi_pending(PPI_HYP_VIRT));
#endif
    MSR(CNTV_CTL_EL02, 0);
    MSR("cntv_ctl_el0", 0);
    printf("   cntv_ctl_el02 0: PPI 27 dropped %u\n", wait_pending(PPI_VIRT, false));
}

static void check_pass(bool e2h)
{
    hcr_set(e2h);
    MSR("cntvoff_el2", 0);
    printf("EL2 virtual timer (PPI %u), HCR_EL2.E2H = %u:\n", PPI_HYP_VIRT, e2h);
    check_before();
    check_expired();
    check_tval_write();
#ifdef TIMER_HV_SIMONLY
    check_taken();
    check_wfi();
#endif
    check_cntvoff(e2h);
    if (e2h) {
        check_names();
        check_name_firing();
    }
}

int main(void)
{
    IRQ_DISABLE();
    vectors_install_el2(handler_el2);
    hcr_set(false);
    gic_setup();
    check_pass(false);
    check_pass(true);
    hcr_set(false);
    return 0;
}
