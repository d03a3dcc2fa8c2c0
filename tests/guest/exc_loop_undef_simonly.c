/* An exception loop that retires nothing: VBAR_EL1 points at zeroed
 * memory, where every word is UDF #0, and the guest executes UDF. Every
 * exception is taken at VBAR_EL1+0x200 and its first instruction is
 * UNDEFINED again. a64sim must stop it: each entry costs cycles (so
 * --max-cycles binds), counts for --max-insns, and after CPU_EXCEPTION_LOOP
 * identical entries the run ends with exit 1 and an "exception loop"
 * report. (QEMU would loop for ever: a64sim only.) */
#include <stdint.h>

#include "printf.h"

/* 2 KiB-aligned and zero (in .bss): a vector table of UDF #0. */
static uint32_t zero_vectors[512] __attribute__((aligned(2048)));

int main(void)
{
    printf("exc_loop_undef: VBAR_EL1 -> zeroed memory, then UDF\n");
    __asm__ volatile("msr vbar_el1, %0\n\tisb\n\tudf #0" ::"r"(zero_vectors) : "memory");
    printf("exc_loop_undef: not reached\n");
    return 1;
}
