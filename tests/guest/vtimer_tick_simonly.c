/*
 * Seed thread 003 for the explorer (docs/explore.md): the timer output is a
 * level, and it takes time to reach the GIC.
 *
 * A periodic tick on the EL1 virtual timer (PPI 27): the handler
 * acknowledges the interrupt, moves CNTV_CVAL_EL0 one period ahead (which
 * lowers the timer's output) and EOIs. If the lowered level reaches the
 * GIC before the EOI, the tick is taken once. If it is still on its way,
 * the level-sensitive PPI is pending again at the EOI and is taken a
 * second time, with the timer no longer firing (CNTV_CTL_EL0.ISTATUS 0).
 * This handler counts every take as a tick, so it counts too many. Which
 * happens depends on the time a timer output change takes to reach its
 * PPI, which --race-seed with --jitter timer=MIN:MAX draws (0, at once,
 * without --jitter: the unperturbed run is right).
 *
 * With TICK_CHECK_ISTATUS (vtimer_tick_fixed.c) the handler counts a
 * tick only when the timer's own state says it fired (ISTATUS set, IMASK
 * clear), and every timing counts right.
 */
#include "gic_common.h"
#include "vectors.h"

#define TIMER_PPI 27
#define PERIOD    2000 /* counter ticks */
#define TICKS     8

static volatile unsigned ticks, takes;

static uint64_t cntvct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
    return v;
}

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ))
        guest_exit(2);
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return;
    takes++;
    uint64_t ctl;
    __asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(ctl));
#ifdef TICK_CHECK_ISTATUS
    if ((ctl & 6) == 4) /* ISTATUS set, IMASK clear: this timer fired and may interrupt */
        ticks++;
#else
    (void)ctl;
    ticks++;
#endif
    if (ticks < TICKS)
        __asm__ volatile("msr cntv_cval_el0, %0\n\tisb" ::"r"(cntvct() + PERIOD));
    else
        __asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" ::"r"(3ull)); /* ENABLE, IMASK */
    MSR(ICC_EOIR1_EL1, intid);
}

int main(void)
{
    vectors_install_el1(handler);
    gic_ppis_to_irq(1u << TIMER_PPI);
    __asm__ volatile(
        "msr cntv_cval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb" ::"r"(cntvct() + PERIOD), "r"(1ull));
    IRQ_ENABLE();
    IRQ_DISABLE();
    while (ticks < TICKS) {
        __asm__ volatile("wfi" ::: "memory");
        IRQ_ENABLE();
        IRQ_DISABLE();
    }
    settle(2000);
    printf("vtimer_tick: %u ticks counted for %u timer periods\n", ticks, TICKS);
    return ticks == TICKS ? 0 : 1;
}
