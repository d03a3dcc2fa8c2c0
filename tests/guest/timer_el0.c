/*
 * EL0 access to the generic timer, gated by CNTKCTL_EL1 (Arm ARM, the
 * CNTKCTL_EL1 register page and the accessibility rules of each timer
 * register). The guest is an EL1 kernel with no EL2 (QEMU virt without
 * virtualization=on): for each CNTKCTL_EL1 setting it runs every probe at
 * EL0 and checks:
 *
 *  - EL0PCTEN (bit 0) gates CNTPCT_EL0, EL0VCTEN (bit 1) CNTVCT_EL0,
 *    EL0VTEN (bit 8) CNTV_CTL/CVAL/TVAL_EL0, EL0PTEN (bit 9)
 *    CNTP_CTL/CVAL/TVAL_EL0, reads and writes; CNTFRQ_EL0 is readable when
 *    either EL0PCTEN or EL0VCTEN is 1;
 *  - a disabled access is trapped to EL1 with EC 0x18, IL 1, the ISS of the
 *    MRS/MSR (Op0, Op2, Op1, CRn, Rt, CRm, Direction: 1 = read) and ELR at
 *    the instruction; a trapped write changes nothing;
 *  - an enabled access behaves: the counters read between EL1's reads
 *    before and after, CVAL and CTL written at EL0 are what EL1 reads back,
 *    TVAL is CVAL minus the count;
 *  - a write to CNTFRQ_EL0 from EL0 is UNDEFINED (EC 0), whatever
 *    CNTKCTL_EL1 says: it is writable only at the highest implemented EL,
 *    here EL1, where the write sticks.
 *
 * Only timing-independent facts are printed, so QEMU and a64sim agree.
 */
/* The EL1 kernel runs the shared probes at EL0 (timer_trap_common.h: its
 * register helpers then reach the EL1 timers, its handler_el1 records the
 * traps); there is no EL2 here, so only CNTKCTL_EL1 (each probe's gate)
 * applies. */
#include "timer_trap_common.h"

static void check_cntkctl(uint32_t cntkctl)
{
    printf("CNTKCTL_EL1 0x%03x:\n", cntkctl);
    cntkctl_set(cntkctl);
    for (unsigned i = 0; i < NPROBES; i++) {
        const struct probe *p = &probes[i];
        bool trap = !(cntkctl & p->gate);
        check_probe(p, el0_run, EL0T_MASKED, 0, trap ? 1 : 0, sysreg_esr(p));
    }
    ctl_set(false, 0);
    ctl_set(true, 0);
}

/* CNTFRQ_EL0 is writable only at the highest implemented EL, EL1 here. */
static void check_cntfrq_write(void)
{
    printf("CNTFRQ_EL0 writes:\n");
    uint64_t orig = frq();
    /* From EL0 the write is UNDEFINED whether or not CNTKCTL_EL1 lets EL0 read it. */
    for (uint32_t k = 0; k <= (CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN); k += 3) {
        printf(" with CNTKCTL_EL1 0x%03x:\n", k);
        cntkctl_set(k);
        check_probe(frq_write(), el0_run, EL0T_MASKED, 0, 1, ESR_IL);
    }
    bool was = frq() == orig;
    printf("  CNTFRQ_EL0 unchanged %u", was);
    report(was);
    frq_set(FRQ_TEST);
    bool wrote = frq() == FRQ_TEST;
    printf("  EL1 msr cntfrq_el0: reads back the value written %u", wrote);
    report(wrote);
    frq_set(orig);
    bool back = frq() == orig;
    printf("  EL1 msr cntfrq_el0, original value: restored %u", back);
    report(back);
    cntkctl_set(0);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el1(handler_el1);
    __asm__ volatile("msr sctlr_el1, %0\n\tisb" ::"r"(SCTLR_EL1_V));
    __asm__ volatile("msr sp_el0, %0" ::"r"(ADDR(tt_el0_stack + 1024)));
    static const uint32_t settings[] = {
        0, CNTKCTL_EL0PCTEN, CNTKCTL_EL0VCTEN, CNTKCTL_EL0VTEN, CNTKCTL_EL0PTEN, CNTKCTL_EL0_ALL};
    for (unsigned i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
        check_cntkctl(settings[i]);
    check_cntfrq_write();
    printf("timer_el0: %u checks, %u failed\n", checks, failures);
    return failures ? 1 : 0;
}
