/* PSCI 1.1 and SMCCC answers, each checked against the value the PSCI
 * specification (Arm DEN 0022D) and SMCCC (DEN 0028) require. Run with
 * --cpus 2. The ON_PENDING answer depends on a64sim's fixed power-on
 * latency, so this guest is compared with its expected output, not QEMU. */
#include <stdint.h>

#include "exit.h"
#include "printf.h"
#include "psci.h"

#define PSCI_VERSION        0x84000000u
#define PSCI_AFFINITY_INFO  0x84000004u
#define PSCI_MIGRATE_INFO   0x84000006u
#define PSCI_FEATURES       0x8400000Au
#define SMCCC_VERSION       0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u

static volatile uint32_t secondary_ran;

void psci_secondary(uint64_t context);
void psci_secondary(uint64_t context)
{
    secondary_ran = (uint32_t)context;
    psci_hvc(PSCI_CPU_OFF, 0, 0, 0);
}

uint8_t psci_stack[4096] __attribute__((aligned(16)));
__asm__(".text\n"
        ".globl psci_entry\n"
        "psci_entry:\n"
        "    adrp x1, psci_stack + 4096\n"
        "    add  x1, x1, :lo12:psci_stack + 4096\n"
        "    mov  sp, x1\n"
        "    bl   psci_secondary\n"
        "1:  wfi\n"
        "    b    1b\n");
extern char psci_entry[];

static int failures;

static void check(const char *what, int64_t got, int64_t want)
{
    printf("%-40s %d%s\n", what, (int)got, got == want ? "" : "  <-- WRONG");
    if (got != want)
        failures++;
}

int main(void)
{
    uint64_t entry = (uint64_t)(uintptr_t)psci_entry;
    check("PSCI_VERSION (1.1 = 0x10001)", psci_hvc(PSCI_VERSION, 0, 0, 0), 0x10001);
    check("PSCI_FEATURES(CPU_ON_64)", psci_hvc(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0), 0);
    check("PSCI_FEATURES(SMCCC_VERSION)", psci_hvc(PSCI_FEATURES, SMCCC_VERSION, 0, 0), 0);
    check("PSCI_FEATURES(0x84000010)", psci_hvc(PSCI_FEATURES, 0x84000010u, 0, 0), -1);
    check("MIGRATE_INFO_TYPE", psci_hvc(PSCI_MIGRATE_INFO, 0, 0, 0), 2);
    check("SMCCC_VERSION (1.1 = 0x10001)", psci_hvc(SMCCC_VERSION, 0, 0, 0), 0x10001);
    check("SMCCC_ARCH_FEATURES(0x80008000)", psci_hvc(SMCCC_ARCH_FEATURES, 0x80008000u, 0, 0), -1);
    check("unknown function 0x8400001F", psci_hvc(0x8400001Fu, 0, 0, 0), -1);
    check("AFFINITY_INFO(1) before CPU_ON: OFF", psci_hvc(PSCI_AFFINITY_INFO, 1, 0, 0), 1);
    check("AFFINITY_INFO(1, level 1): INVALID_PARAM", psci_hvc(PSCI_AFFINITY_INFO, 1, 1, 0), -2);
    check("CPU_ON(mpidr 7): INVALID_PARAMETERS", psci_hvc(PSCI_CPU_ON_64, 7, entry, 0), -2);
    check("CPU_ON(1, entry 0x1000): INVALID_ADDRESS", psci_hvc(PSCI_CPU_ON_64, 1, 0x1000, 0), -9);
    /* Back to back, before any printing: the PE powers on 1000 cycles
     * after the first call, and a printed line costs more than that. */
    int64_t on = psci_hvc(PSCI_CPU_ON_64, 1, entry, 0x5a);
    int64_t again = psci_hvc(PSCI_CPU_ON_64, 1, entry, 0x5a);
    int64_t pending = psci_hvc(PSCI_AFFINITY_INFO, 1, 0, 0);
    int64_t self = psci_hvc(PSCI_CPU_ON_64, 0, entry, 0);
    check("CPU_ON(1): SUCCESS", on, 0);
    check("CPU_ON(1) again at once: ON_PENDING", again, -5);
    check("AFFINITY_INFO(1) at once: ON_PENDING", pending, 2);
    check("CPU_ON(0), the caller: ALREADY_ON", self, -4);
    while (secondary_ran != 0x5a)
        __asm__ volatile("yield" ::: "memory");
    while (psci_hvc(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
        ;
    check("secondary saw context ID 0x5a", secondary_ran, 0x5a);
    check("AFFINITY_INFO(1) after CPU_OFF: OFF", psci_hvc(PSCI_AFFINITY_INFO, 1, 0, 0), 1);
    printf("psci: %s\n", failures ? "FAILED" : "all answers as the specification requires");
    return failures ? 1 : 0;
}
