/* IC IALLU: code rewritten in memory runs as rewritten after the
 * invalidation sequence (Arm ARM, "Concurrent modification and execution
 * of instructions"), and the invalidation costs what is decoded, not what
 * RAM is: make check runs this with --mem 8G, 20,000 times. */
#include <stdint.h>

#include "printf.h"

#define MOVZ_W0(imm) (0x52800000u | ((uint32_t)(imm) << 5)) /* MOVZ W0, #imm */
#define RET          0xd65f03c0u

static uint32_t code[2] __attribute__((aligned(64)));

static unsigned call_code(void)
{
    unsigned (*fn)(void) = (unsigned (*)(void))(uintptr_t)code;
    return fn();
}

static void write_code(unsigned value)
{
    code[0] = MOVZ_W0(value);
    code[1] = RET;
    __asm__ volatile("dsb ish\n\tic iallu\n\tdsb ish\n\tisb" ::: "memory");
}

int main(void)
{
    unsigned sum = 0, bad = 0;
    for (unsigned i = 0; i < 20000; i++) {
        write_code(i & 0xffff);
        unsigned got = call_code();
        sum += got;
        bad += got != (i & 0xffff);
    }
    printf("ic_iallu: 20000 rewrites, %u ran stale code, sum %u\n", bad, sum);
    return bad != 0;
}
