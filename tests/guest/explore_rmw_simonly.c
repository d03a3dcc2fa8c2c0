/*
 * A lost update that only some interrupt timings show: the explorer's demo
 * prey (docs/explore.md).
 *
 * The main code increments a shared counter by a read-modify-write: it
 * loads the counter, works on the value for a few instructions, and stores
 * it back. The handler of SPI 40 adds 100 to the same counter. In each of
 * ROUNDS rounds the main code pends SPI 40 itself (GICD_ISPENDR: a
 * distributor write, so the interrupt reaches the PE after the GIC's
 * delivery latency), spins a fixed number of instructions and then does
 * its read-modify-write with interrupts unmasked. If the interrupt is
 * taken before the load or after the store, both updates survive (101 a
 * round); if it is taken between them, the handler's update is overwritten
 * (1). Which one happens depends only on that round's delivery latency,
 * which --race-seed draws from [L, 2L]: the same seed, the same answer
 * every time, and `explore --minimize` names the round's latency.
 *
 * With EXPLORE_FIXED (explore_rmw_fixed.c) the read-modify-write runs
 * with PSTATE.I set, and every timing gives 101.
 */
#include "gic_common.h"
#include "vectors.h"

#define SPI    40u
#define SPIN   60 /* instructions between pending the SPI and the load */
#define WINDOW 40 /* instructions between the load and the store */
#define ROUNDS 8

static volatile uint64_t counter;
static volatile unsigned taken;

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ))
        guest_exit(2);
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return;
    counter += 100;
    taken++;
    MSR(ICC_EOIR1_EL1, intid);
}

static void spin(unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        __asm__ volatile("nop");
}

int main(void)
{
    vectors_install_el1(handler);
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    wr32(GICD + GICD_IGROUPR + 4 * (SPI / 32), 1u << (SPI % 32));
    wr8(GICD + GICD_IPRIORITYR + SPI, 0xa0);
    mmio_write(GICD + GICD_IROUTER + 8 * SPI, 8, 0); /* PE 0 */
    wr32(GICD + GICD_ISENABLER + 4 * (SPI / 32), 1u << (SPI % 32));
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN1_EL1, 1);
    IRQ_ENABLE();

    unsigned lost = 0;
    for (unsigned round = 0; round < ROUNDS; round++) {
        uint64_t before = counter;
        wr32(GICD + GICD_ISPENDR + 4 * (SPI / 32), 1u << (SPI % 32));
        spin(SPIN);
#ifdef EXPLORE_FIXED
        IRQ_DISABLE();
#endif
        uint64_t v = counter; /* the read ... */
        spin(WINDOW);
        counter = v + 1; /* ... the write */
#ifdef EXPLORE_FIXED
        IRQ_ENABLE();
#endif
        /* Wait with PSTATE.I set around the test, so that an interrupt
         * taken between the test and the WFI cannot leave the WFI waiting
         * forever. */
        IRQ_DISABLE();
        while (taken <= round) {
            __asm__ volatile("wfi");
            IRQ_ENABLE();
            IRQ_DISABLE();
        }
        IRQ_ENABLE();
        lost += counter - before != 101;
    }
    printf("explore_rmw: %u rounds, counter %u: ", ROUNDS, (unsigned)counter);
    if (lost)
        printf("the handler's update was lost in %u\n", lost);
    else
        printf("every update kept\n");
    return lost ? 1 : 0;
}
