/*
 * Bench guest: a timer-interrupt storm on one PE. The EL1 virtual timer
 * (CNTV_*_EL0, PPI 27) is given a period of PERIOD counter ticks (20 at
 * 62.5 MHz: 320 ns); the PE waits in WFI between interrupts, and the
 * handler acknowledges (ICC_IAR1_EL1), reprograms TVAL and EOIs, STORM
 * times. A TVAL write moves CVAL ahead of the count (Arm ARM, the generic
 * timer's TimerValue view), which takes the level-sensitive output down
 * before the EOI, so the PPI does not re-pend at once.
 *
 * How many WFIs actually slept depends on how fast the host runs the
 * guest (QEMU's timers follow host time), so only the count of
 * interrupts and their INTIDs are printed: the output is the same under
 * QEMU and a64sim. scripts/bench.sh reports interrupts per host second
 * from the "timerstorm: N interrupts" line.
 */
#include "../../tests/guest/gic_common.h"
#include "../../tests/guest/runtime/vectors.h"

#define STORM      200000u
#define PERIOD     20u /* counter ticks between interrupts */
#define PPI_VIRT   27u
#define CTL_ENABLE (1u << 0)

static volatile uint32_t taken, other;

static void tval_write(uint32_t ticks)
{
    __asm__ volatile("msr cntv_tval_el0, %0\n\tisb" ::"r"((uint64_t)ticks) : "memory");
}

static void ctl_write(uint32_t v)
{
    __asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" ::"r"((uint64_t)v) : "memory");
}

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ)) {
        printf("timerstorm: unexpected exception at vector 0x%x, ESR 0x%x\n", (unsigned)f->vector,
               (unsigned)f->esr);
        guest_exit(2);
    }
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    /* Spurious is possible if the level drops after the PE saw it: nothing to EOI. */
    if (intid == INTID_SPURIOUS)
        return;
    if (intid != PPI_VIRT) {
        other++;
        MSR(ICC_EOIR1_EL1, intid);
        return;
    }
    /* The last interrupt switches the timer off; any other re-arms it. */
    if (++taken < STORM)
        tval_write(PERIOD);
    else
        ctl_write(0);
    MSR(ICC_EOIR1_EL1, intid);
}

int main(void)
{
    vectors_install_el1(handler);
    IRQ_DISABLE();
    gic_ppis_to_irq(1u << PPI_VIRT);
    tval_write(PERIOD);
    ctl_write(CTL_ENABLE);
    /* WFI with PSTATE.I set: an interrupt that becomes pending between the
     * test and the WFI still wakes it, and is taken once I is cleared. */
    while (taken < STORM) {
        __asm__ volatile("dsb sy\n\twfi" ::: "memory");
        IRQ_ENABLE();
        IRQ_DISABLE();
    }
    printf("timerstorm: period %u ticks, %s INTID %u (%u other)\n", PERIOD,
           other == 0 ? "all" : "not all", PPI_VIRT, other);
    printf("timerstorm: %u interrupts\n", taken);
    return taken == STORM && other == 0 ? 0 : 1;
}
