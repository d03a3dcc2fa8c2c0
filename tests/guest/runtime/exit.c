#include <stdint.h>

#include "exit.h"

/* Arm semihosting specification: operation numbers and the exit reason. */
#define SYS_WRITEC                  0x03
#define SYS_WRITE0                  0x04
#define SYS_EXIT_EXTENDED           0x20
#define ADP_Stopped_ApplicationExit 0x20026
#define PSCI_SYSTEM_OFF             0x84000008u

/* A64 semihosting traps on HLT #0xF000: W0 holds the operation, X1 its parameter. */
static uint64_t semihost_call(uint32_t op, const void *param)
{
    register uint64_t x0 __asm__("x0") = op;
    register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)param;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}

/* SMCCC conduit: a guest at EL1 reaches PSCI by HVC (the firmware sits at
 * EL2); one at EL2 by SMC, as on QEMU's virt board with virtualization=on. */
static void psci_system_off(void)
{
    uint64_t el;
    __asm__ volatile("mrs %0, currentel" : "=r"(el));
    register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
    if ((el >> 2) == 2)
        __asm__ volatile("smc #0"
                         : "+r"(x0)
                         :
                         : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                           "x12", "x13", "x14", "x15", "x16", "x17", "memory");
    else
        __asm__ volatile("hvc #0"
                         : "+r"(x0)
                         :
                         : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                           "x12", "x13", "x14", "x15", "x16", "x17", "memory");
}

static _Noreturn void halt_forever(void)
{
    for (;;) {
        __asm__ volatile("wfi" ::: "memory");
    }
}

_Noreturn void guest_exit(int code)
{
    if (code == 0) {
        psci_system_off();
        halt_forever();
    }
    /* The 64-bit parameter block is {reason, subcode}; the subcode is the exit status. */
    uint64_t block[2] = {ADP_Stopped_ApplicationExit, (uint64_t)(int64_t)code};
    semihost_call(SYS_EXIT_EXTENDED, block);
    halt_forever();
}

void semihost_writec(char c)
{
    semihost_call(SYS_WRITEC, &c);
}

void semihost_write0(const char *s)
{
    semihost_call(SYS_WRITE0, s);
}
