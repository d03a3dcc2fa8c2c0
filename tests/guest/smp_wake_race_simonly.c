/*
 * A lost wake-up between two PEs, for the explorer (docs/explore.md).
 *
 * In each of ROUNDS rounds PE 0 clears a flag, asks PE 1 to set it (SPI 41,
 * routed to PE 1 and pended through GICD_ISPENDR, so it reaches PE 1 after
 * the GIC's delivery latency), runs a fixed number of instructions and then
 * waits for the flag with `while (!flag) wfe;`. PE 1's handler sets the flag
 * with a plain store and no SEV. If the store lands before PE 0 looks, PE 0
 * never waits; if PE 0 is already in WFE, nothing wakes it (no event, no
 * exclusive monitor, no event stream), PE 1 goes back to WFI, and the run
 * ends as a deadlock. Which one happens depends only on that round's
 * delivery latency, which --race-seed draws from [L, 2L].
 *
 * With WAKE_SEV (smp_wake_race_fixed.c) the handler ends with DSB and SEV,
 * and every timing wakes PE 0. Run with --cpus 2.
 */
#include <stdint.h>

#define GIC_SMP
#include "exit.h"
#include "gic_common.h"
#include "printf.h"

#define SPI    41u
#define WORD1  4
#define ROUNDS 8
#define LEAD   80 /* instructions between the request and PE 0's first look */

static volatile uint32_t flag, ready, sets;

void gic_interrupt(bool fiq)
{
    (void)fiq;
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return;
    if (intid == SPI) {
        flag = 1;
        sets++;
#ifdef WAKE_SEV
        __asm__ volatile("dsb ish\n\tsev" ::: "memory");
#endif
    }
    MSR(ICC_EOIR1_EL1, intid);
}

static void pe_setup(unsigned pe)
{
    gic_vectors_install();
    gicr_wake(pe);
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN1_EL1, 1);
}

void secondary_main(uint64_t pe)
{
    pe_setup((unsigned)pe);
    IRQ_ENABLE();
    ready = 1;
    /* One WFI, so that a deadlock finds PE 1 at one place. */
    __asm__ volatile("1: wfi\n\tb 1b" ::: "memory");
    __builtin_unreachable();
}

int main(void)
{
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    wr32(GICD + GICD_IGROUPR + WORD1, 0xffffffff);
    wr8(GICD + GICD_IPRIORITYR + SPI, 0x80);
    wr32(GICD + GICD_ICFGR + 8, 2u << (2 * (SPI % 16))); /* edge */
    mmio_write(GICD + GICD_IROUTER + 8 * SPI, 8, 1);     /* PE 1 */
    wr32(GICD + GICD_ISENABLER + WORD1, 1u << (SPI % 32));
    pe_setup(0);
    if (psci_cpu_on(1, gic_secondary_entry, 1) != 0) {
        printf("smp_wake_race: CPU_ON(1) failed: run with --cpus 2\n");
        return 2;
    }
    while (!ready)
        __asm__ volatile("yield" ::: "memory");
    unsigned waited = 0;
    for (unsigned round = 0; round < ROUNDS; round++) {
        flag = 0;
        __asm__ volatile("dsb ish" ::: "memory");
        wr32(GICD + GICD_ISPENDR + WORD1, 1u << (SPI % 32));
        for (unsigned i = 0; i < LEAD; i++)
            __asm__ volatile("nop");
        waited += !flag;
        while (!flag)
            __asm__ volatile("wfe" ::: "memory");
    }
    /* How many rounds PE 0 waited in, and how many requests PE 1 saw
     * (two can reach it as one pending SPI when a round's store is seen
     * before its own interrupt is taken), depend on the timing: neither is
     * printed, so that every good run has the same output. */
    (void)waited;
    printf("smp_wake_race: %u rounds, PE 0 woken every time\n", ROUNDS);
    return 0;
}
