/*
 * Waiting with WFE for a flag that another PE sets with a plain store and
 * no SEV: a wake-up that never comes. Linux's arch timer driver turns on
 * the CNTKCTL_EL1 event stream (about 10 kHz) so that such waits still make
 * progress; this guest is that pattern.
 *
 * PE 0 enables the virtual-count event stream (EVNTI 12: an edge every 8192
 * ticks, 131 us at 62.5 MHz), powers PE 1 on and waits in WFE until the
 * flag is set; PE 1 does some work, stores the flag (no SEV, no exclusive
 * monitor involved) and powers off. PE 0 wakes at the next edge, sees the
 * flag, and checks that it saw it within one period of the store.
 *
 * evstream_poll_lost.c builds the same guest without the event stream:
 * PE 0 then sleeps forever and a64sim reports the deadlock (WFE with
 * nothing left to wake it). Under QEMU, whose WFE never sleeps, both end.
 */
#include <stdint.h>

#include "exit.h"
#include "printf.h"
#include "psci.h"

#ifndef EVENT_STREAM
#define EVENT_STREAM 1
#endif

#define EVNTEN       (1u << 2)
#define EVNTI(n)     ((unsigned)(n) << 4)
#define PERIOD_TICKS 8192u /* 2^(EVNTI + 1) */
#define WORK_ROUNDS  20000u

static volatile uint32_t flag;
static volatile uint64_t stored_at; /* CNTVCT just before the store */
uint8_t secondary_stack[16384] __attribute__((aligned(16)));

static uint64_t cntvct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
    return v;
}

void secondary_main(void);
void secondary_main(void)
{
    volatile uint64_t sink = 0;
    for (unsigned i = 0; i < WORK_ROUNDS; i++)
        sink = sink + i;
    stored_at = cntvct();
    flag = 1; /* a plain store: no SEV, no monitor cleared for PE 0 */
    psci_hvc(PSCI_CPU_OFF, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

__asm__(".text\n"
        ".globl poll_secondary_entry\n"
        "poll_secondary_entry:\n"
        "    adrp x1, secondary_stack\n"
        "    add  x1, x1, :lo12:secondary_stack\n"
        "    add  sp, x1, #16384\n"
        "    bl   secondary_main\n"
        "1:  wfi\n"
        "    b    1b\n");
extern char poll_secondary_entry[];

int main(void)
{
    uint64_t ctl = EVENT_STREAM ? EVNTEN | EVNTI(12) : 0;
    __asm__ volatile("msr cntkctl_el1, %0\n\tisb" ::"r"(ctl) : "memory");
    if (psci_hvc(PSCI_CPU_ON_64, 1, (uint64_t)(uintptr_t)poll_secondary_entry, 0) != 0) {
        printf("CPU_ON failed\n");
        return 1;
    }
    unsigned wakes = 0;
    while (!flag) {
        __asm__ volatile("wfe" ::: "memory");
        wakes++;
    }
    uint64_t seen_at = cntvct();
    printf("evstream_poll: PE 0 saw the flag after %s; within one period of the store: %u\n",
           wakes ? "waking from WFE" : "no wait", (unsigned)(seen_at - stored_at <= PERIOD_TICKS));
    return 0;
}
