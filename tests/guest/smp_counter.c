/* Four PEs increment one counter under a spinlock built from LDAXR/STLXR,
 * waiting with WFE. The boot PE starts the others with PSCI CPU_ON, takes
 * its share, waits until they say they are done and AFFINITY_INFO reports
 * them off, and prints the
 * total: 4 x ROUNDS on every run, whatever the interleaving. */
#include <stdint.h>

#include "exit.h"
#include "printf.h"
#include "psci.h"
#include "spinlock.h"

#define NPES   4
#define ROUNDS 5000

static volatile uint32_t lock_word;
static volatile uint64_t counter;
static volatile uint32_t done; /* secondaries that finished their rounds */
static uint64_t per_pe[NPES];

/* 16 KiB of stack per secondary PE. */
#define STACK_SIZE 16384
uint8_t secondary_stacks[NPES][STACK_SIZE] __attribute__((aligned(16)));

static void work(unsigned pe)
{
    for (unsigned i = 0; i < ROUNDS; i++) {
        lock(&lock_word);
        counter = counter + 1;
        per_pe[pe]++;
        unlock(&lock_word);
    }
}

void secondary_main(uint64_t pe);
void secondary_main(uint64_t pe)
{
    work((unsigned)pe);
    lock(&lock_word);
    done = done + 1;
    unlock(&lock_word);
    psci_hvc(PSCI_CPU_OFF, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

PSCI_SECONDARY_ENTRY;

int main(void)
{
    for (uint64_t pe = 1; pe < NPES; pe++) {
        int64_t r = psci_hvc(PSCI_CPU_ON_64, pe, (uint64_t)(uintptr_t)secondary_entry, pe);
        if (r != 0) {
            printf("CPU_ON(%u) failed: %d\n", (unsigned)pe, (int)r);
            return 1;
        }
    }
    work(0);
    /* A PE that was just asked to power on may still read as OFF on some
     * platforms (QEMU starts it asynchronously): wait for the secondaries
     * to say they are done, then for each to be off. */
    while (done != NPES - 1)
        __asm__ volatile("yield" ::: "memory");
    for (uint64_t pe = 1; pe < NPES; pe++)
        while (psci_hvc(PSCI_AFFINITY_INFO_64, pe, 0, 0) != 1) /* 1 = OFF */
            ;
    uint64_t sum = 0;
    for (unsigned pe = 0; pe < NPES; pe++)
        sum += per_pe[pe];
    printf("smp: %u PEs x %u rounds: counter %u (sum of per-PE counts %u)\n", NPES, ROUNDS,
           (unsigned)counter, (unsigned)sum);
    return counter == (uint64_t)NPES * ROUNDS && sum == counter ? 0 : 1;
}
