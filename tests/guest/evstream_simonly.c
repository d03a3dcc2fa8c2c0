/*
 * The generic timer's event streams (Arm ARM D11, "Event streams"), on a64sim
 * alone: QEMU 7.2 does not implement them (its WFE never sleeps), so only
 * a model that sleeps can show where a WFE wakes. Starts at EL2 (--el 2) so
 * that both streams are reachable:
 *
 *  - CNTHCTL_EL2.EVNTEN watches CNTPCT: with EVNTI = 4 and EVNTDIR = 0,
 *    WFE wakes each time bit 4 of the count goes 0 -> 1, where the count's
 *    low five bits are 0b10000, every 32 ticks; EVNTDIR = 1 wakes where
 *    bit 4 goes 1 -> 0 (low bits zero); EVNTI = 15 every 65536 ticks.
 *  - CNTKCTL_EL1.EVNTEN watches the virtual count CNTPCT - CNTVOFF_EL2:
 *    with CNTVOFF = 8 the virtual edges (CNTVCT low bits 0b10000) fall
 *    where CNTPCT's low bits are 0b11000.
 *  - an edge while the PE is not waiting sets the event register: the
 *    next WFE completes at once, and the one after waits for a new edge.
 *
 * A wake is read back within a few instructions, well under one tick at
 * the default 62.5 MHz counter on the 1 GHz PE clock (16 cycles), so the
 * counts printed are exact.
 */
#include <stdint.h>

#include "exit.h"
#include "printf.h"

#define EVNTEN       (1u << 2)
#define EVNTDIR      (1u << 3)
#define EVNTI(n)     ((unsigned)(n) << 4)
#define CNTHCTL_BASE 0x3u /* EL1PCTEN | EL1PCEN: EL1 keeps its counter access */
#define WAKES        8

static uint64_t cntpct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v)::"memory");
    return v;
}

static uint64_t cntvct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
    return v;
}

static void wfe(void)
{
    __asm__ volatile("wfe" ::: "memory");
}

static void set_cnthctl(uint64_t v)
{
    __asm__ volatile("msr cnthctl_el2, %0\n\tisb" ::"r"(v) : "memory");
}

static void set_cntkctl(uint64_t v)
{
    __asm__ volatile("msr cntkctl_el1, %0\n\tisb" ::"r"(v) : "memory");
}

static void set_cntvoff(uint64_t v)
{
    __asm__ volatile("msr cntvoff_el2, %0\n\tisb" ::"r"(v) : "memory");
}

/* Drain the event register and line up on an edge: SEVL makes the first
 * WFE complete at once, the second completes on whatever an earlier edge
 * left or on the next edge, the third waits for a fresh edge. */
static void align_on_edge(void)
{
    __asm__ volatile("sevl\n\twfe\n\twfe\n\twfe" ::: "memory");
}

/* WAKES wakes in a row of the physical stream: how many land where the
 * count's low MASK bits read WANT, and how many gaps are PERIOD ticks. */
static void physical_wakes(const char *what, uint64_t mask, uint64_t want, uint64_t period)
{
    align_on_edge();
    uint64_t prev = cntpct();
    unsigned at_edge = (prev & mask) == want, gaps = 0;
    for (unsigned i = 1; i < WAKES; i++) {
        wfe();
        uint64_t now = cntpct();
        at_edge += (now & mask) == want;
        gaps += now - prev == period;
        prev = now;
    }
    printf("%s: %u of %u wakes at the edge, %u of %u gaps %u ticks\n", what, at_edge, WAKES, gaps,
           WAKES - 1, (unsigned)period);
}

int main(void)
{
    uint64_t el;
    __asm__ volatile("mrs %0, currentel" : "=r"(el));
    if ((el >> 2) != 2) {
        printf("evstream_simonly: needs EL2 (a64sim --el 2)\n");
        return 1;
    }
    set_cntkctl(0);
    set_cntvoff(0);

    printf("CNTHCTL_EL2 event stream (CNTPCT):\n");
    set_cnthctl(CNTHCTL_BASE | EVNTEN | EVNTI(4));
    physical_wakes("  EVNTI 4, 0->1", 0x1f, 0x10, 32);
    set_cnthctl(CNTHCTL_BASE | EVNTEN | EVNTDIR | EVNTI(4));
    physical_wakes("  EVNTI 4, 1->0", 0x1f, 0x00, 32);
    set_cnthctl(CNTHCTL_BASE | EVNTEN | EVNTI(0));
    physical_wakes("  EVNTI 0, 0->1", 0x1, 0x1, 2);
    set_cnthctl(CNTHCTL_BASE | EVNTEN | EVNTDIR | EVNTI(15));
    align_on_edge();
    printf("  EVNTI 15, 1->0: woke at a multiple of 65536 ticks: %u\n",
           (unsigned)((cntpct() & 0xffff) == 0));

    printf("CNTKCTL_EL1 event stream (virtual count), CNTVOFF_EL2 = 8:\n");
    set_cnthctl(CNTHCTL_BASE);
    set_cntvoff(8);
    set_cntkctl(EVNTEN | EVNTI(4));
    align_on_edge();
    uint64_t v = cntvct(), p = cntpct();
    printf("  EVNTI 4, 0->1: CNTVCT low bits 0x%x, CNTPCT low bits 0x%x\n", (unsigned)(v & 0x1f),
           (unsigned)(p & 0x1f));
    set_cntkctl(0);
    set_cntvoff(0);

    printf("an edge while not waiting:\n");
    set_cnthctl(CNTHCTL_BASE | EVNTEN | EVNTI(4));
    align_on_edge();
    uint64_t start = cntpct();
    while (cntpct() - start < 40) /* past the next edge (32 ticks away) */
        ;
    uint64_t before = cntpct();
    wfe();
    uint64_t after = cntpct();
    wfe();
    uint64_t woke = cntpct();
    printf("  the next WFE completes at once: %u\n", (unsigned)(after - before <= 1));
    printf("  the WFE after it waits for the next edge: %u\n",
           (unsigned)((woke & 0x1f) == 0x10 && woke - start == 64));
    set_cnthctl(CNTHCTL_BASE);
    return 0;
}
