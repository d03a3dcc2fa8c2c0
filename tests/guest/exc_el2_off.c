/*
 * PSCI SYSTEM_OFF from EL1 under an EL2 that does not trap SMC (a64sim
 * --el 2; QEMU virt with virtualization=on). With HCR_EL2.TSC = 0 an SMC at
 * EL1 goes to the firmware (the SMC conduit), which powers the machine off:
 * the run ends with exit status 0 and nothing after the SMC prints. Any
 * exception taken to EL1 or EL2 on the way is reported and fails the run.
 */
#include <stdint.h>

#include "exit.h"
#include "printf.h"
#include "vectors.h"

#define HCR_RW                 (1ull << 31)
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008ull

static uint64_t el1_stack[512] __attribute__((aligned(16)));

static void unexpected(struct exc_frame *f)
{
    printf("unexpected exception at EL%lu: vector 0x%lx ESR 0x%lx\n", (unsigned long)f->el,
           (unsigned long)f->vector, (unsigned long)f->esr);
    guest_exit(1);
}

static void el1_main(uint64_t arg)
{
    (void)arg;
    vectors_install_el1(unexpected);
    uint64_t el;
    __asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
    printf("EL1 (CurrentEL 0x%lx): SYSTEM_OFF through smc #0, HCR_EL2.TSC 0\n", (unsigned long)el);
    register uint64_t x0 __asm__("x0") = PSCI_0_2_FN_SYSTEM_OFF;
    __asm__ volatile("smc #0" : "+r"(x0) : : "memory");
    printf("FAIL: SYSTEM_OFF returned 0x%lx\n", (unsigned long)x0);
    guest_exit(1);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el2(unexpected);
    __asm__ volatile("msr hcr_el2, %0\n\tisb" ::"r"(HCR_RW));
    __asm__ volatile("msr sp_el1, %0" ::"r"((uint64_t)(uintptr_t)(el1_stack + 512)));
    lower_call(el1_main, 0, 0x3c5); /* EL1h, DAIF masked */
    printf("FAIL: back at EL2\n");
    return 1;
}
