/*
 * What QEMU 7.2 gets wrong about the generic-timer traps, checked against
 * the Arm ARM only (a64sim --el 2; not run under QEMU). The guest starts at
 * EL2, keeps HCR_EL2.{E2H, TGE} = {0, 0}, lets EL0 through CNTKCTL_EL1
 * (0x303: every EL0 enable) and runs every probe at EL0:
 *
 *  - CNTHCTL_EL2 = 0x2 (EL1PCEN only): the EL0 read of CNTPCT_EL0 is taken
 *    to EL2 with EC 0x18, IL 1 and the ISS of the MRS; CNTP_* are allowed;
 *  - CNTHCTL_EL2 = 0x1 (EL1PCTEN only): CNTPCT_EL0 is allowed; CNTP_* reads
 *    and writes are taken to EL2.
 *
 * The rule (Arm ARM, CNTHCTL_EL2 field descriptions for E2H = 0, and the
 * CNTPCT_EL0 accessibility pseudocode): once CNTKCTL_EL1.EL0PCTEN allows
 * EL0, an EL0 or EL1 read of the physical count is trapped to EL2 when
 * EL1PCTEN (bit 0) is 0; EL1PCEN (bit 1) covers only the physical timer
 * registers CNTP_CTL/CVAL/TVAL_EL0. QEMU 7.2 (gt_counter_access) tests bit 1
 * for an EL0 read of CNTPCT_EL0 when E2H = 0, so it does the opposite on both
 * CNTPCT lines below. timer_hyp_traps.c sets both bits together to dodge it.
 *
 * Expected output is derived by hand from those rules.
 */
#include "timer_trap_common.h"

/* EL0 under an EL1 that lets it through, under EL2's CNTHCTL. */
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

int main(void)
{
    tt_setup(HCR_RW);
    check_el0(CNTKCTL_EL0_ALL, CNTHCTL_EL1PCEN);
    check_el0(CNTKCTL_EL0_ALL, CNTHCTL_EL1PCTEN);
    cnthctl_set(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
    tt_finish("timer_traps_simonly");
    return 1; /* not reached: tt_finish powers off or exits */
}
