/* PSCI calls from a guest (DEN0022): the function IDs the guests use, the
 * SMCCC call itself on either conduit, and the CPU_ON entry point that the
 * SMP guests share. */
#ifndef GUEST_PSCI_H
#define GUEST_PSCI_H

#include <stdint.h>

#define PSCI_CPU_OFF          0x84000002u
#define PSCI_CPU_ON_64        0xC4000003u
#define PSCI_AFFINITY_INFO_64 0xC4000004u

/* An SMCCC call with up to three arguments by HVC (the firmware's conduit
 * when the guest starts at EL1) or SMC (at EL2); returns X0. */
static inline int64_t psci_hvc(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    return (int64_t)x0;
}

static inline int64_t psci_smc(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    return (int64_t)x0;
}

/* Define the CPU_ON entry point `secondary_entry`: with X0 = the context
 * ID, which these guests make the PE number N, it takes the stack
 * secondary_stacks[N] (16 KiB each, defined by the guest) and calls
 * secondary_main(N), which must not return. */
#define PSCI_SECONDARY_ENTRY                                                                       \
    __asm__(".text\n"                                                                              \
            ".globl secondary_entry\n"                                                             \
            "secondary_entry:\n"                                                                   \
            "    adrp x1, secondary_stacks\n"                                                      \
            "    add  x1, x1, :lo12:secondary_stacks\n"                                            \
            "    add  x2, x0, #1\n"                                                                \
            "    lsl  x2, x2, #14\n"                                                               \
            "    add  sp, x1, x2\n"                                                                \
            "    bl   secondary_main\n"                                                            \
            "1:  wfi\n"                                                                            \
            "    b    1b\n");                                                                      \
    extern char secondary_entry[]

#endif
