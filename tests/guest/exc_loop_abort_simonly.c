/* An exception loop through a handler: the synchronous vector's first
 * instruction stores to an address where nothing is mapped, so the data
 * abort is taken at the same vector, which aborts again, for ever. a64sim
 * stops it as an exception loop (exit 1); --max-insns and --max-cycles
 * bound it before that. (QEMU would loop for ever: a64sim only.) */
#include <stdint.h>

#include "printf.h"

/* The vector table: every entry stores to 0x1000 (no device, no RAM). */
__asm__(".section .text.vectors, \"ax\"\n"
        ".balign 2048\n"
        "abort_vectors:\n"
        ".rept 16\n"
        "    mov x1, #0x1000\n"
        "    str xzr, [x1]\n"
        "    b .\n"
        ".balign 128\n"
        ".endr\n"
        ".text\n");
extern char abort_vectors[];

int main(void)
{
    printf("exc_loop_abort: VBAR_EL1 -> a handler that aborts, then an abort\n");
    __asm__ volatile("msr vbar_el1, %0\n\tisb\n\tmov x1, #0x1000\n\tstr xzr, [x1]" ::"r"(
                         abort_vectors)
                     : "x1", "memory");
    printf("exc_loop_abort: not reached\n");
    return 1;
}
