/* Two PEs with the MMU on share one physical page that each reaches through
 * its own virtual address: PE 0 through ALIAS0, PE 1 through ALIAS1. The
 * global exclusive monitor tags physical addresses (Arm ARM B2.9), so what
 * one PE does through its alias must reach the other's mark:
 *
 *  - a spinlock built from LDAXR/STXR with WFE, guarding a plain counter;
 *  - a counter incremented by LDXR/ADD/STXR retry loops, with no lock;
 *  - a PE waiting in WFE with a mark on a flag is woken by the other PE's
 *    plain store to that flag (no SEV): clearing a global monitor is a
 *    wake-up event (Arm ARM D1.6, "Wait for Event").
 *
 * The output does not depend on the interleaving, so every quantum (and
 * QEMU) prints the same. */
#include <stdbool.h>
#include <stdint.h>

#include "exit.h"
#include "mmu.h"
#include "printf.h"
#include "psci.h"
#include "spinlock.h"

#define NPES   2
#define ROUNDS 2000

#define G         4096ull
#define VA_BITS   39
#define RAM_BASE  0x40000000ull
#define RAM_MAP   0x20000000ull /* 512 MiB, the default --mem */
#define UART_BASE 0x09000000ull
#define ALIAS0    0x1000000000ull
#define ALIAS1    0x2000000000ull

#define MAIR_VALUE   0x44ff00ull /* Attr0 Device-nGnRnE, Attr1 Normal WB, Attr2 Normal NC */
#define PTE_RAM      (PTE_ATTRINDX(1) | PTE_SH_INNER | PTE_AF)
#define PTE_DATA     (PTE_RAM | PTE_UXN | PTE_PXN)
#define PTE_DEV      (PTE_ATTRINDX(0) | PTE_AF | PTE_UXN | PTE_PXN)
#define SCTLR_MMU_ON 0x30d0199dull

/* The shared page, by its identity-mapped address; the PEs use the aliases. */
struct shared {
    uint32_t lock;
    uint32_t pad0[15];
    uint64_t locked_counter;
    uint64_t pad1[7];
    uint64_t atomic_counter;
    uint64_t pad2[7];
    uint32_t flag;
};
static uint8_t shared_page[G] __attribute__((aligned(G)));
static uint8_t pool[16 * G] __attribute__((aligned(G)));
static struct pt pt;

/* Progress between the PEs, through the identity map. */
static volatile uint32_t started, waiter_armed, waiter_woke;
static volatile uint64_t phase_done[3];

#define STACK_SIZE 16384
uint8_t secondary_stacks[NPES][STACK_SIZE] __attribute__((aligned(16)));

#define MSR(reg, v) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(v)) : "memory")

static struct shared *view(unsigned pe)
{
    return (struct shared *)(uintptr_t)(pe == 0 ? ALIAS0 : ALIAS1);
}

static bool build_tables(void)
{
    uint64_t pa = (uint64_t)(uintptr_t)shared_page;
    return pt_init(&pt, G, VA_BITS, (uint64_t)(uintptr_t)pool, sizeof(pool)) &&
           pt_map(&pt, RAM_BASE, RAM_BASE, RAM_MAP, PTE_RAM, false) &&
           pt_map(&pt, UART_BASE, UART_BASE, G, PTE_DEV, true) &&
           pt_map(&pt, ALIAS0, pa, G, PTE_DATA, true) && pt_map(&pt, ALIAS1, pa, G, PTE_DATA, true);
}

static void mmu_on(void)
{
    /* T0SZ, IRGN0/ORGN0 WB, SH0 inner, TG0, EPD1 (no TTBR1 walks), IPS 40 bits. */
    uint64_t tcr = (uint64_t)(64 - VA_BITS) | 1ull << 8 | 1ull << 10 | 3ull << 12 |
                   (uint64_t)pt_tg0(&pt) << 14 | (uint64_t)(64 - VA_BITS) << 16 | 1ull << 23 |
                   2ull << 32;
    MSR(mair_el1, MAIR_VALUE);
    MSR(tcr_el1, tcr);
    MSR(ttbr0_el1, pt.root);
    __asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
    MSR(sctlr_el1, SCTLR_MMU_ON);
    __asm__ volatile("isb" ::: "memory");
}

static void atomic_inc(volatile uint64_t *p)
{
    uint64_t v;
    uint32_t fail;
    __asm__ volatile("1: ldxr  %0, [%2]\n"
                     "   add   %0, %0, #1\n"
                     "   stxr  %w1, %0, [%2]\n"
                     "   cbnz  %w1, 1b\n"
                     : "=&r"(v), "=&r"(fail)
                     : "r"(p)
                     : "memory");
}

static uint64_t cntpct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v)::"memory");
    return v;
}

static void wait_for(volatile uint32_t *p, uint32_t value)
{
    while (*p != value)
        __asm__ volatile("yield" ::: "memory");
}

static void phase_end(unsigned phase)
{
    atomic_inc(&phase_done[phase]);
    while (phase_done[phase] != NPES)
        __asm__ volatile("yield" ::: "memory");
}

/* PE 1 marks the flag with LDAXR and sleeps in WFE until it reads 1. Only
 * the global monitor being cleared by PE 0's store can wake it. */
static void wait_on_flag(volatile uint32_t *flag)
{
    uint32_t v;
    waiter_armed = 1;
    __asm__ volatile("   sevl\n"
                     "   wfe\n"
                     "1: ldaxr %w0, [%1]\n"
                     "   cbnz  %w0, 2f\n"
                     "   wfe\n"
                     "   b     1b\n"
                     "2:\n"
                     : "=&r"(v)
                     : "r"(flag)
                     : "memory");
    waiter_woke = 1;
}

static void run(unsigned pe)
{
    struct shared *s = view(pe);
    for (unsigned i = 0; i < ROUNDS; i++) {
        lock(&s->lock);
        s->locked_counter = s->locked_counter + 1;
        unlock(&s->lock);
    }
    phase_end(0);
    for (unsigned i = 0; i < ROUNDS; i++)
        atomic_inc(&s->atomic_counter);
    phase_end(1);
    if (pe == 1) {
        wait_on_flag(&s->flag);
    } else {
        wait_for(&waiter_armed, 1);
        /* Give PE 1 time to reach its WFE, then store without SEV. */
        for (volatile unsigned i = 0; i < 20000; i++)
            ;
        *(volatile uint32_t *)&s->flag = 1;
        /* Bounded by 100 ms of system counter, so that a PE 1 that never
         * wakes is reported, not waited for (QEMU's PEs are host threads:
         * a count of iterations would not be enough under load). */
        uint64_t freq, start = cntpct();
        __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
        while (!waiter_woke && cntpct() - start < freq / 10)
            __asm__ volatile("yield" ::: "memory");
    }
}

void secondary_main(uint64_t pe);
void secondary_main(uint64_t pe)
{
    mmu_on();
    started = 1;
    run((unsigned)pe);
    psci_hvc(PSCI_CPU_OFF, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

PSCI_SECONDARY_ENTRY;

int main(void)
{
    if (!build_tables()) {
        printf("smp_mmu: page tables do not fit the pool\n");
        return 1;
    }
    mmu_on();
    printf("smp_mmu: %u PEs, one page mapped at 0x%llx (PE 0) and 0x%llx (PE 1)\n", NPES, ALIAS0,
           ALIAS1);
    if (psci_hvc(PSCI_CPU_ON_64, 1, (uint64_t)(uintptr_t)secondary_entry, 1) != 0) {
        printf("smp_mmu: CPU_ON failed\n");
        return 1;
    }
    wait_for(&started, 1);
    run(0);
    const struct shared *s = (const struct shared *)shared_page;
    bool ok = s->locked_counter == NPES * ROUNDS && s->atomic_counter == NPES * ROUNDS &&
              waiter_woke == 1;
    printf("spinlock: counter %u (want %u)\n", (unsigned)s->locked_counter, NPES * ROUNDS);
    printf("ldxr/stxr: counter %u (want %u)\n", (unsigned)s->atomic_counter, NPES * ROUNDS);
    printf("wfe: PE 1 %s by PE 0's store through the other alias\n",
           waiter_woke ? "woken" : "NOT woken");
    printf("smp_mmu: %s\n", ok ? "all checks passed" : "FAILED");
    return ok ? 0 : 1;
}
