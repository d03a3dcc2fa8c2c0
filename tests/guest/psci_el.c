/* Which Exception level does PSCI CPU_ON start a PE in? The PSCI
 * specification (DEN0022, CPU_ON) asks for the highest Exception level
 * that exists and is enabled on the caller, not the caller's current one:
 * Linux boots every CPU at EL2 when it has one and disables KVM if they
 * disagree ("CPUs started in inconsistent modes").
 *
 * Booted at EL2 (--el 2), the boot PE drops to EL1 as a non-VHE kernel
 * does and calls CPU_ON from there; the secondary must still enter at EL2.
 * Booted at EL1 the secondary enters at EL1. */
#include <stdint.h>

#include "exit.h"
#include "printf.h"
#include "psci.h"
#include "vectors.h"

#define HCR_RW      (1ull << 31)
#define EL1H_MASKED 0x3c5u

static volatile uint64_t secondary_el, caller_el;
static int64_t cpu_on_result = 99;
static uint8_t el1_stack[4096] __attribute__((aligned(16)));
uint8_t secondary_stack[4096] __attribute__((aligned(16)));

static uint64_t current_el(void)
{
    uint64_t el;
    __asm__ volatile("mrs %0, currentel" : "=r"(el));
    return el >> 2;
}

/* The conduit: SMC when EL2 exists (firmware at EL3), HVC otherwise. */
static int64_t psci(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3, int smc)
{
    return smc ? psci_smc(fn, a1, a2, a3) : psci_hvc(fn, a1, a2, a3);
}

static int have_el2;

void secondary_main(void);
void secondary_main(void)
{
    secondary_el = current_el();
    psci(PSCI_CPU_OFF, 0, 0, 0, have_el2);
    for (;;)
        __asm__ volatile("wfi");
}

__asm__(".text\n"
        ".globl secondary_entry\n"
        "secondary_entry:\n"
        "    adrp x1, secondary_stack + 4096\n"
        "    add  x1, x1, :lo12:secondary_stack + 4096\n"
        "    mov  sp, x1\n"
        "    bl   secondary_main\n"
        "1:  wfi\n"
        "    b    1b\n");
extern char secondary_entry[];

static void start_secondary(uint64_t unused)
{
    (void)unused;
    caller_el = current_el();
    cpu_on_result = psci(PSCI_CPU_ON_64, 1, (uint64_t)(uintptr_t)secondary_entry, 0, have_el2);
    while (cpu_on_result == 0 && secondary_el == 0)
        __asm__ volatile("yield" ::: "memory");
    /* Back to EL2 (or, booted at EL1, an HVC the firmware refuses: stay). */
    if (have_el2)
        __asm__ volatile("hvc #1");
}

static void el2_handler(struct exc_frame *f)
{
    lower_return(f, 0);
}

int main(void)
{
    uint64_t boot_el = current_el();
    have_el2 = boot_el == 2;
    if (have_el2) {
        vectors_install_el2(el2_handler);
        __asm__ volatile("msr hcr_el2, %0\n\tisb" ::"r"(HCR_RW) : "memory");
        __asm__ volatile("msr sp_el1, %0" ::"r"((uint64_t)(uintptr_t)(el1_stack + 4096)));
        lower_call(start_secondary, 0, EL1H_MASKED);
    } else {
        start_secondary(0);
    }
    printf("psci_el: boot PE entered at EL%u, called CPU_ON from EL%u: %d\n", (unsigned)boot_el,
           (unsigned)caller_el, (int)cpu_on_result);
    printf("psci_el: secondary entered at EL%u (%s)\n", (unsigned)secondary_el,
           secondary_el == boot_el ? "the boot PE's EL, as PSCI asks" : "WRONG");
    return secondary_el == boot_el ? 0 : 1;
}
