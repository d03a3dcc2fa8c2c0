/*
 * Seed thread 003 (vtimer line state with a userspace GIC), scenarios 1 and
 * 2, on the EL1 virtual timer (CNTV_*_EL0, PPI 27, level-sensitive):
 *
 *  1. The timer output is a level, not an event. Once the timer has fired
 *     (PPI pending, PSTATE.I set), moving CVAL into the future takes the
 *     output down at once: the very next read of GICR_ISPENDR0 after the
 *     CVAL write (and its ISB) shows the PPI not pending. A timer set in the
 *     future from the start is never pending either.
 *  2. Deassertion happens before the EOI that reveals it: a handler that
 *     moves CVAL forward and then EOIs is not re-entered. A handler that
 *     EOIs with CVAL unchanged leaves the line asserted, so the PPI is
 *     pending again straight after the EOI and is taken again; the guest
 *     counts the re-takes up to a bound and then sets IMASK before its EOI.
 *
 * Everything printed is independent of timing, so QEMU and a64sim agree.
 */
#include <stdbool.h>
#include <stdint.h>

#include "gic_common.h"
#include "vectors.h"

#define CTL_ENABLE  (1u << 0)
#define CTL_IMASK   (1u << 1)
#define CTL_ISTATUS (1u << 2)

#define PPI_VIRT   27u
#define FAR_TICKS  1000000000ull /* about 16 s at 62.5 MHz: never reached here */
#define POLL_BOUND 10000000u
#define RETAKE_MAX 5u

enum mode { MOVE_CVAL, KEEP_CVAL };

static volatile enum mode mode;
static volatile unsigned taken, last_intid;
static volatile unsigned pending_after_eoi[RETAKE_MAX + 1];

static uint64_t cntvct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
    return v;
}

static void cntv_ctl_write(uint32_t v)
{
    __asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" ::"r"((uint64_t)v) : "memory");
}

static uint32_t cntv_ctl_read(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(v)::"memory");
    return (uint32_t)v;
}

static void cntv_cval_write(uint64_t v)
{
    __asm__ volatile("msr cntv_cval_el0, %0\n\tisb" ::"r"(v) : "memory");
}

static bool ppi_pending(void)
{
    return (rd32(GICR_SGI(0) + GICR_ISPENDR0) >> PPI_VIRT) & 1;
}

static bool wait_pending(void)
{
    for (unsigned i = 0; i < POLL_BOUND; i++)
        if (ppi_pending())
            return true;
    return false;
}

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ)) {
        printf("unexpected exception at vector 0x%x, ESR 0x%x\n", (unsigned)f->vector,
               (unsigned)f->esr);
        guest_exit(2);
    }
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return;
    last_intid = intid;
    unsigned n = ++taken;
    if (mode == MOVE_CVAL)
        cntv_cval_write(cntvct() + FAR_TICKS);
    else if (n >= RETAKE_MAX)
        cntv_ctl_write(CTL_ENABLE | CTL_IMASK); /* the bound: stop the re-takes */
    MSR(ICC_EOIR1_EL1, intid);
    if (n <= RETAKE_MAX)
        pending_after_eoi[n] = ppi_pending();
}

/* Scenario 1: pending follows the level, and the level follows every CVAL write at once. */
static void scenario_level(void)
{
    printf("scenario 1: the timer output is a level\n");
    cntv_ctl_write(0);
    cntv_cval_write(cntvct() + FAR_TICKS);
    cntv_ctl_write(CTL_ENABLE);
    printf("  CVAL in the future: ISTATUS %u, pending %u\n", (cntv_ctl_read() & CTL_ISTATUS) != 0,
           ppi_pending());
    cntv_cval_write(0); /* the count is past 0: the condition holds now */
    printf("  CVAL 0: pending %u\n", wait_pending());
    cntv_cval_write(cntvct() + FAR_TICKS);
    /* No polling: the deassertion must already be visible to this read. */
    printf("  CVAL moved to the future: pending at the next read %u, ISTATUS %u\n", ppi_pending(),
           (cntv_ctl_read() & CTL_ISTATUS) != 0);
    cntv_ctl_write(0);
}

/* Let the timer fire with IRQs unmasked and wait until the handler has run its course. */
static void fire_and_settle(void)
{
    taken = 0;
    last_intid = INTID_SPURIOUS;
    for (unsigned i = 0; i <= RETAKE_MAX; i++)
        pending_after_eoi[i] = 0;
    cntv_cval_write(0);
    cntv_ctl_write(CTL_ENABLE);
    IRQ_ENABLE();
    for (unsigned i = 0; i < POLL_BOUND && taken == 0; i++)
        ;
    /* Long enough for any re-pend after the last EOI to be taken too. */
    settle(100000);
    IRQ_DISABLE();
}

/* Scenario 2: deassert before EOI, and what happens without it. */
static void scenario_eoi(void)
{
    printf("scenario 2: deassertion before the EOI\n");
    mode = MOVE_CVAL;
    fire_and_settle();
    printf("  handler moves CVAL, then EOIs: taken %u time(s), INTID %u, pending after EOI %u\n",
           taken, last_intid, pending_after_eoi[1]);
    cntv_ctl_write(0);

    mode = KEEP_CVAL;
    fire_and_settle();
    printf("  handler EOIs with the line high: taken %u times (bound %u, then IMASK), INTID %u\n",
           taken, RETAKE_MAX, last_intid);
    for (unsigned n = 1; n <= RETAKE_MAX; n++)
        printf("    take %u: pending straight after EOI %u\n", n, pending_after_eoi[n]);
    printf("  after IMASK: ISTATUS %u, pending %u\n", (cntv_ctl_read() & CTL_ISTATUS) != 0,
           ppi_pending());
    cntv_ctl_write(0);
}

int main(void)
{
    vectors_install_el1(handler);
    IRQ_DISABLE();
    gic_ppis_to_irq(1u << PPI_VIRT);
    scenario_level();
    scenario_eoi();
    return 0;
}
