/*
 * When exactly is a timer interrupt taken? The guest arms the EL1 physical
 * timer (PPI 30) twice and sleeps in WFI with interrupts unmasked:
 *
 *  1. CNTP_CVAL_EL0 = CVAL_TICKS (an absolute count): the timer fires at
 *     the first cycle whose count reaches it, ceil(CVAL x PE clock / cntfrq),
 *     whatever the instructions before cost;
 *  2. CNTP_TVAL_EL0 = TVAL_TICKS at the instruction labelled tval_write:
 *     CVAL = the count then + TVAL, so the cost of everything before moves
 *     it.
 *
 * scripts/trace-tests.sh records it under several --cntfrq, --cost and
 * --gic-latency settings and checks each IRQ entry cycle against that
 * formula plus --gic-latency, from the cycles the trace gives.
 */
#include "../guest/gic_common.h"
#include "../guest/runtime/vectors.h"

#define CVAL_TICKS 2000u
#define TVAL_TICKS 500u
#define PPI_PHYS   30u

static volatile uint32_t taken;

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ)) {
        printf("timer_cycle: unexpected exception at vector 0x%x\n", (unsigned)f->vector);
        guest_exit(2);
    }
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return;
    __asm__ volatile("msr cntp_ctl_el0, xzr\n\tisb" ::: "memory");
    MSR(ICC_EOIR1_EL1, intid);
    if (intid == PPI_PHYS)
        taken++;
}

static void wait_for(uint32_t n)
{
    while (taken < n)
        __asm__ volatile("wfi" ::: "memory");
}

int main(void)
{
    vectors_install_el1(handler);
    gic_ppis_to_irq(1u << PPI_PHYS);
    IRQ_ENABLE();

    __asm__ volatile(
        "msr cntp_cval_el0, %0\n\tmsr cntp_ctl_el0, %1\n\tisb" ::"r"((uint64_t)CVAL_TICKS),
        "r"(1ull)
        : "memory");
    wait_for(1);
    __asm__ volatile(".globl tval_write\ntval_write:\n\tmsr cntp_tval_el0, %0\n\t"
                     "msr cntp_ctl_el0, %1\n\tisb" ::"r"((uint64_t)TVAL_TICKS),
                     "r"(1ull)
                     : "memory");
    wait_for(2);
    printf("timer_cycle: %u timer interrupts\n", taken);
    return 0;
}
