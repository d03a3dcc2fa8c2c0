/*
 * Bench guest: interrupt throughput without a timer, on two PEs (a64sim
 * --cpus 2, QEMU -smp 2: bench/guests/irqstorm.args). Three parts:
 *   - SGI ping-pong: PE 0 sends SGI 1 to PE 1, whose handler sends it back,
 *     whose handler sends it again, PINGPONG round trips;
 *   - self-IPI storm: each PE sends SGI 2 to itself STORM times, waiting
 *     for each to be taken, both PEs at once;
 *   - PMR churn: each PE masks with ICC_PMR_EL1 (0x60), sends SGI 3 (0xa0)
 *     to itself, which must not be taken, and unmasks (0xf0), when it is.
 * Prints the count of each part per PE and the total, so that a lost or
 * doubled interrupt is visible as well as a slow one; scripts/bench.sh
 * reports interrupts per host second from the total.
 */
#define GIC_SMP
#include "../../tests/guest/gic_common.h"

#define NPES     2
#define PINGPONG 30000
#define STORM    60000
#define CHURN    30000
#define PRIO     0xa0
#define PMR_OPEN 0xf0
#define PMR_MASK 0x60

enum { SGI_PING = 1, SGI_STORM = 2, SGI_CHURN = 3 };

static volatile uint32_t ping[NPES], storm[NPES], churn[NPES], churn_masked[NPES];
static volatile uint32_t ready, go, done; /* PE 1's start flag and finish flag */

void gic_interrupt(bool fiq)
{
    (void)fiq;
    unsigned pe = this_pe();
    uint64_t pmr = MRS(ICC_PMR_EL1);
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    switch (intid) {
    case SGI_PING:
        ping[pe]++;
        MSR(ICC_EOIR1_EL1, intid);
        if (pe == 1 || ping[0] < PINGPONG)
            SEND_SGI(ICC_SGI1R_EL1, sgi_value(SGI_PING, (uint16_t)(1u << (pe ^ 1))));
        return;
    case SGI_STORM: storm[pe]++; break;
    case SGI_CHURN:
        churn[pe]++;
        churn_masked[pe] += pmr != PMR_OPEN;
        break;
    case INTID_SPURIOUS: return;
    default: guest_exit(3);
    }
    MSR(ICC_EOIR1_EL1, intid);
}

static void pe_setup(unsigned pe)
{
    gic_vectors_install();
    gicr_wake(pe);
    wr32(GICR_SGI(pe) + GICR_IGROUPR0, 0xffffffff);
    for (unsigned i = 0; i < 16; i++)
        wr8(GICR_SGI(pe) + GICR_IPRIORITYR + i, PRIO);
    wr32(GICR_SGI(pe) + GICR_ISENABLER0, 0xffff);
    MSR(ICC_PMR_EL1, PMR_OPEN);
    MSR(ICC_IGRPEN1_EL1, 1);
    IRQ_ENABLE();
}

/* Wait for *COUNTER to reach WANT: WFI with PSTATE.I set, so an interrupt
 * that arrives between the test and the WFI still wakes it. */
static void wait_count(volatile uint32_t *counter, uint32_t want)
{
    IRQ_DISABLE();
    while (*counter < want) {
        __asm__ volatile("wfi" ::: "memory");
        IRQ_ENABLE();
        IRQ_DISABLE();
    }
    IRQ_ENABLE();
}

static void self_storm(unsigned pe)
{
    for (uint32_t i = 0; i < STORM; i++) {
        SEND_SGI(ICC_SGI1R_EL1, sgi_value(SGI_STORM, (uint16_t)(1u << pe)));
        wait_count(&storm[pe], i + 1);
    }
}

static void pmr_churn(unsigned pe)
{
    for (uint32_t i = 0; i < CHURN; i++) {
        MSR(ICC_PMR_EL1, PMR_MASK);
        SEND_SGI(ICC_SGI1R_EL1, sgi_value(SGI_CHURN, (uint16_t)(1u << pe)));
        MSR(ICC_PMR_EL1, PMR_OPEN);
        wait_count(&churn[pe], i + 1);
    }
}

void secondary_main(uint64_t pe)
{
    pe_setup((unsigned)pe);
    ready = 1;
    while (!go) /* the ping-pong's interrupts and PE 0's SEV wake the WFE */
        __asm__ volatile("wfe" ::: "memory");
    self_storm(1);
    pmr_churn(1);
    done = 1;
    __asm__ volatile("dsb ish\n\tsev" ::: "memory");
    for (;;)
        __asm__ volatile("wfi" ::: "memory");
}

int main(void)
{
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    pe_setup(0);
    if (psci_cpu_on(1, gic_secondary_entry, 1) != 0) {
        printf("irqstorm: CPU_ON(1) failed: run with 2 PEs\n");
        return 1;
    }
    while (!ready)
        __asm__ volatile("yield" ::: "memory");

    SEND_SGI(ICC_SGI1R_EL1, sgi_value(SGI_PING, 0x2));
    wait_count(&ping[0], PINGPONG);
    wait_count(&ping[1], PINGPONG);
    printf("irqstorm: ping-pong %u round trips: PE 0 took %u, PE 1 took %u\n", PINGPONG, ping[0],
           ping[1]);

    go = 1;
    __asm__ volatile("dsb ish\n\tsev" ::: "memory");
    self_storm(0);
    pmr_churn(0);
    while (!done)
        __asm__ volatile("wfe" ::: "memory");
    printf("irqstorm: self-IPI storm: PE 0 took %u, PE 1 took %u\n", storm[0], storm[1]);
    printf("irqstorm: PMR churn: PE 0 took %u (%u while masked), PE 1 took %u (%u while masked)\n",
           churn[0], churn_masked[0], churn[1], churn_masked[1]);
    uint32_t total = 0;
    for (unsigned pe = 0; pe < NPES; pe++)
        total += ping[pe] + storm[pe] + churn[pe];
    printf("irqstorm: %u interrupts\n", total);
    return total == NPES * (PINGPONG + STORM + CHURN) ? 0 : 1;
}
