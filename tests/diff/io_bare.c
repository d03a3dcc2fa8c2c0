/* Output and set-up for the bare-metal build: the PL011 through the guest runtime. */
#include <stdint.h>

#include "diff.h"
#include "uart.h"

#define CPACR_EL1_FPEN (3ull << 20)

/*
 * The guest runs at EL1, where CPACR_EL1.FPEN resets to 0b00: every SIMD&FP
 * instruction, and MRS/MSR of FPCR and FPSR, traps (EC 0x07). 0b11 traps
 * none at EL1 or EL0. A direct write to a system register is guaranteed to
 * affect later instructions only after a context synchronization event, so
 * the ISB comes before the first SIMD&FP instruction (the trampoline's).
 */
void diff_enable_fp(void)
{
    uint64_t cpacr;

    __asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
    cpacr |= CPACR_EL1_FPEN;
    __asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(cpacr) : "memory");
}

void diff_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uart_putc(buf[i]);
    }
}
