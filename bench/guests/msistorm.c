/*
 * Bench guest: LPI throughput through the ITS, on one PE (IHI 0069, "LPIs"
 * and "The ITS"). DeviceID 0 (a CPU's writes to GITS_TRANSLATER) gets 64
 * events mapped to LPIs 8192-8255 of four priorities. Two parts:
 *   - round trips: an MSI, then WFI until its LPI is taken, ROUNDS times;
 *   - bursts: BURST MSIs with PSTATE.I set, then unmasked, BURSTS times:
 *     the pending LPIs are taken in priority order (the highest-priority
 *     pending LPI is kept incrementally, so each acknowledge is cheap).
 * Prints each part's count and the total, so that a lost or doubled LPI is
 * visible as well as a slow one; scripts/bench.sh reports interrupts per
 * host second from the total.
 */
#include "../../tests/guest/its_common.h"
#include "vectors.h"

#define EVENT_BITS 6 /* 64 events */
#define NEVENTS    (1u << EVENT_BITS)
#define ROUNDS     40000
#define BURST      64
#define BURSTS     1000

static uint8_t itt[ITS_ITT_BYTES(EVENT_BITS)] ITS_ITT_ALIGNED;

static volatile uint32_t taken;
static uint32_t out_of_order;
static uint8_t last_prio;

static uint8_t prio_of(uint32_t event)
{
    return (uint8_t)(0x40 + 0x20 * (event % 4));
}

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ))
        guest_exit(2);
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return;
    uint8_t prio = prio_of(intid - 8192);
    out_of_order += prio < last_prio;
    last_prio = prio;
    taken++;
    MSR(ICC_EOIR1_EL1, intid);
}

/* Wait for TAKEN to reach WANT: WFI with PSTATE.I set, so an LPI that
 * arrives between the test and the WFI still wakes it. */
static void wait_taken(uint32_t want)
{
    while (taken < want) {
        __asm__ volatile("wfi" ::: "memory");
        IRQ_ENABLE();
        IRQ_DISABLE();
    }
}

int main(void)
{
    IRQ_DISABLE();
    vectors_install_el1(handler);
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    its_lpi_setup(0);
    its_init();
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN1_EL1, 1);
    its_mapd(0, itt, EVENT_BITS, true);
    its_mapc(0, 0, true);
    for (uint32_t e = 0; e < NEVENTS; e++) {
        lpi_config(8192 + e, prio_of(e), true);
        its_mapti(0, e, 8192 + e, 0);
    }
    its_invall(0);
    its_sync(0);

    for (uint32_t i = 0; i < ROUNDS; i++) {
        its_msi(i % NEVENTS);
        wait_taken(i + 1);
    }
    uint32_t rounds = taken;
    printf("msistorm: round trips: %u of %u LPIs taken\n", rounds, ROUNDS);
    out_of_order = 0; /* the round trips cycle through the priorities */

    for (uint32_t b = 0; b < BURSTS; b++) {
        for (uint32_t e = 0; e < BURST; e++)
            its_msi(e);
        last_prio = 0;
        uint32_t want = rounds + (b + 1) * BURST;
        /* Every MSI of the burst must be pending before the first is taken. */
        while ((MRS(ICC_HPPIR1_EL1) & 0xffffff) == INTID_SPURIOUS)
            ;
        IRQ_ENABLE();
        while (taken < want)
            __asm__ volatile("wfi" ::: "memory");
        IRQ_DISABLE();
    }
    uint32_t bursts = taken - rounds;
    printf("msistorm: bursts: %u of %u LPIs taken, %u out of priority order\n", bursts,
           BURSTS * BURST, out_of_order);
    printf("msistorm: %u interrupts\n", taken);
    return taken == ROUNDS + BURSTS * BURST && out_of_order == 0 ? 0 : 1;
}
