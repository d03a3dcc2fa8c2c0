/* A PE woken in the middle of a round: PE 0 sleeps in WFE, PE 1 (later in
 * the round-robin order) wakes it with SEV, and PE 0 at once does things
 * that schedule events from its own time: PSCI CPU_ON of PE 2 and an SGI
 * to PE 1. The woken PE resumes at the waker's time (docs/architecture.md,
 * "Time discipline"), so the wake-up costs it less than a microsecond of
 * system counter, whatever the quantum; and nothing it schedules can land
 * before the scheduler's present.
 *
 * a64sim only: QEMU's WFE does not sleep, and its counter follows the host. */
#include <stdint.h>

#define GIC_SMP
#include "exit.h"
#include "gic_common.h"
#include "printf.h"

#define PSCI_CPU_OFF 0x84000002u

#define ROUNDS 8

static volatile uint32_t flag, pe2_started, sgi_seen;
static volatile uint64_t sev_count, woke_count[ROUNDS];
static volatile uint64_t worst_ticks;

/* Interrupts stay masked: PE 1 polls ICC_IAR1_EL1. */
void gic_interrupt(bool fiq)
{
    (void)fiq;
}

static void psci_cpu_off(void)
{
    register uint64_t x0 __asm__("x0") = PSCI_CPU_OFF;
    __asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
}

static uint64_t cntpct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v)::"memory");
    return v;
}

void secondary_main(uint64_t pe);
void secondary_main(uint64_t pe)
{
    if (pe == 2) {
        pe2_started = 1;
        psci_cpu_off();
    }
    gicr_wake(1);
    wr32(GICR_SGI(1) + GICR_IGROUPR0, 0xffffffffu);
    wr32(GICR_SGI(1) + GICR_ISENABLER0, 1u << 3);
    __asm__ volatile("msr " ICC_PMR_EL1 ", %0\n\tmsr " ICC_IGRPEN1_EL1 ", %1\n\tisb" ::"r"(0xffull),
                     "r"(1ull));
    for (unsigned r = 0; r < ROUNDS; r++) {
        while (flag != 2 * r + 1)
            __asm__ volatile("yield" ::: "memory");
        /* Let PE 0 fall asleep, then wake it at a time that is not a round boundary. */
        for (volatile unsigned i = 0; i < 300 + 700 * r; i++)
            ;
        sev_count = cntpct();
        flag = 2 * r + 2;
        __asm__ volatile("dsb ish\n\tsev" ::: "memory");
    }
    /* The SGI PE 0 sent: acknowledge it by polling (interrupts stay masked). */
    for (;;) {
        uint64_t iar;
        __asm__ volatile("mrs %0, " ICC_IAR1_EL1 : "=r"(iar));
        if ((iar & 0xffffff) == 3) {
            __asm__ volatile("msr " ICC_EOIR1_EL1 ", %0" ::"r"(iar));
            sgi_seen = 1;
            psci_cpu_off();
        }
    }
}

int main(void)
{
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1 | GICD_CTLR_DS);
    if (psci_cpu_on(1, gic_secondary_entry, 1) != 0) {
        printf("CPU_ON(1) failed\n");
        return 1;
    }
    for (unsigned r = 0; r < ROUNDS; r++) {
        flag = 2 * r + 1;
        __asm__ volatile("sevl\n\twfe" ::: "memory");
        while (flag != 2 * r + 2)
            __asm__ volatile("wfe" ::: "memory");
        uint64_t woke = cntpct();
        woke_count[r] = woke - sev_count;
        if (woke_count[r] > worst_ticks)
            worst_ticks = woke_count[r];
        /* At once, from the woken PE's own time: an SGI to PE 1, and (first
         * round) CPU_ON of PE 2. */
        if (r == ROUNDS - 1)
            __asm__ volatile("msr " ICC_SGI1R_EL1 ", %0\n\tisb" ::"r"(sgi_value(3, 1u << 1)));
        if (r == 0 && psci_cpu_on(2, gic_secondary_entry, 2) != 0) {
            printf("CPU_ON(2) failed\n");
            return 1;
        }
    }
    while (!pe2_started || !sgi_seen)
        __asm__ volatile("yield" ::: "memory");
    /* 62.5 MHz counter: 62 ticks is one microsecond. */
    printf("smp_wake: %u wake-ups by SEV; PE 2 started, PE 1 took the SGI\n", ROUNDS);
    printf("smp_wake: worst wake-up latency %s one microsecond\n",
           worst_ticks < 62 ? "below" : "ABOVE");
    return worst_ticks < 62 ? 0 : 1;
}
