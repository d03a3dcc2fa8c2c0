/*
 * The EL2 controls of the EL1 physical counter and timer, CNTHCTL_EL2 with
 * HCR_EL2.E2H = 0 (Arm ARM, the CNTHCTL_EL2 register page), and how they
 * combine with CNTKCTL_EL1 for EL0. The guest starts at EL2 (a64sim --el 2;
 * QEMU virt with virtualization=on), keeps HCR_EL2.{E2H, TGE} = {0, 0}, and
 * runs every probe at EL1, then at EL0, checking:
 *
 *  - EL1PCTEN (bit 0) = 0 traps EL1 and EL0 reads of CNTPCT_EL0 to EL2;
 *    EL1PCEN (bit 1) = 0 traps EL1 and EL0 accesses to CNTP_CTL_EL0,
 *    CNTP_CVAL_EL0 and CNTP_TVAL_EL0, reads and writes; both with EC 0x18,
 *    IL 1, the ISS of the MRS/MSR and ELR at the instruction, and a trapped
 *    write changes nothing. CNTVCT_EL0, CNTV_* and CNTFRQ_EL0 have no EL2
 *    control here (no FEAT_ECV): never trapped;
 *  - at EL0, CNTKCTL_EL1 is checked first: an access it disables goes to
 *    EL1 (HCR_EL2.TGE = 0), even when CNTHCTL_EL2 disables it too; one it
 *    allows but CNTHCTL_EL2 disables goes to EL2;
 *  - an untrapped access behaves (counts between EL2's reads, CVAL and CTL
 *    round trips, TVAL = CVAL - count);
 *  - CNTFRQ_EL0 is writable only at the highest implemented EL, now EL2: a
 *    write at EL1 is UNDEFINED (EC 0, taken to EL1), a write at EL2 sticks.
 *
 * Only timing-independent facts are printed, so QEMU and a64sim agree.
 */
#include "timer_trap_common.h"

/* EL1 accesses: only CNTHCTL_EL2 applies. */
static void check_el1(uint32_t cnthctl)
{
    printf("EL1, CNTHCTL_EL2 0x%x:\n", cnthctl);
    cnthctl_set(cnthctl);
    for (unsigned i = 0; i < NPROBES; i++) {
        const struct probe *p = &probes[i];
        bool trap = p->gate2 && !(cnthctl & p->gate2);
        check_probe(p, el1_run, EL1H_MASKED, 1, trap ? 2 : 0, sysreg_esr(p));
    }
    ctl_set(false, 0);
    ctl_set(true, 0);
}

/* EL0 accesses: CNTKCTL_EL1 first (to EL1), then CNTHCTL_EL2 (to EL2). */
static void check_el0(uint32_t cntkctl, uint32_t cnthctl)
{
    printf("EL0, CNTKCTL_EL1 0x%03x, CNTHCTL_EL2 0x%x:\n", cntkctl, cnthctl);
    cntkctl_set(cntkctl);
    cnthctl_set(cnthctl);
    for (unsigned i = 0; i < NPROBES; i++) {
        const struct probe *p = &probes[i];
        unsigned want = 0;
        if (!(cntkctl & p->gate))
            want = 1;
        else if (p->gate2 && !(cnthctl & p->gate2))
            want = 2;
        check_probe(p, el1_el0_run, EL1H_MASKED, 0, want, sysreg_esr(p));
    }
    ctl_set(false, 0);
    ctl_set(true, 0);
}

/* CNTFRQ_EL0 is writable only at the highest implemented EL, EL2 here. */
static void check_cntfrq_write(void)
{
    printf("CNTFRQ_EL0 writes:\n");
    uint64_t orig = frq();
    cntkctl_set(CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN);
    cnthctl_set(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
    check_probe(frq_write(), el1_run, EL1H_MASKED, 1, 1, ESR_IL);
    check_probe(frq_write(), el1_el0_run, EL1H_MASKED, 0, 1, ESR_IL);
    bool was = frq() == orig;
    printf("  CNTFRQ_EL0 unchanged %u", was);
    report(was);
    frq_set(FRQ_TEST);
    bool wrote = frq() == FRQ_TEST;
    printf("  EL2 msr cntfrq_el0: reads back the value written %u", wrote);
    report(wrote);
    frq_set(orig);
    bool back = frq() == orig;
    printf("  EL2 msr cntfrq_el0, original value: restored %u", back);
    report(back);
}

int main(void)
{
    tt_setup(HCR_RW);
    static const uint32_t el1_settings[] = {CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN, CNTHCTL_EL1PCTEN,
                                            CNTHCTL_EL1PCEN, 0};
    for (unsigned i = 0; i < sizeof(el1_settings) / sizeof(el1_settings[0]); i++)
        check_el1(el1_settings[i]);
    uint32_t all_el0 = CNTKCTL_EL0_ALL;
    uint32_t all_el1 = CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN;
    check_el0(0, all_el1);
    check_el0(0, 0);
    /* EL1PCTEN and EL1PCEN are set or cleared together at EL0: QEMU 7.2 gates EL0's
     * CNTPCT_EL0 with EL1PCEN when E2H = 0, where the Arm ARM's CNTHCTL_EL2 page names
     * EL1PCTEN (a64sim follows the Arm ARM). */
    check_el0(all_el0, 0);
    check_el0(all_el0, all_el1);
    check_cntfrq_write();
    cnthctl_set(all_el1);
    tt_finish("timer_hyp_traps");
    return 1; /* not reached: tt_finish powers off or exits */
}
