#include "sim/semihost.h"

#include <stdint.h>

#include "cpu/cpu.h"

/* Longest SYS_WRITE0 string printed; a guest passing an unterminated
 * buffer gets its first 64 KiB, not a simulator stuck in a scan. */
#define WRITE0_MAX 65536

static void write0(struct cpu *cpu, uint64_t addr, FILE *out)
{
    for (unsigned i = 0; i < WRITE0_MAX; i++) {
        char ch;
        if (!cpu_read_guest(cpu, addr + i, &ch, 1) || ch == 0)
            return;
        fputc(ch, out);
    }
}

/* AArch64 SYS_EXIT and SYS_EXIT_EXTENDED both take X1 -> {reason, subcode}.
 * ADP_Stopped_ApplicationExit carries the exit status in subcode; any other
 * reason is an abnormal stop, reported as status 1 (as QEMU does). */
static int exit_status(struct cpu *cpu)
{
    uint64_t block[2];
    if (!cpu_read_guest(cpu, cpu_get_x(cpu, 1), block, sizeof(block)))
        return 1;
    if (block[0] != ADP_STOPPED_APPLICATION_EXIT)
        return 1;
    return (int)(block[1] & 0xff);
}

enum semihost_action semihost_call(struct cpu *cpu, FILE *out, int *exit_code)
{
    uint32_t op = (uint32_t)cpu_get_x(cpu, 0);
    uint64_t arg = cpu_get_x(cpu, 1);
    switch (op) {
    case SEMIHOST_SYS_WRITEC: {
        char ch;
        if (cpu_read_guest(cpu, arg, &ch, 1))
            fputc(ch, out);
        return SEMIHOST_CONTINUE;
    }
    case SEMIHOST_SYS_WRITE0: write0(cpu, arg, out); return SEMIHOST_CONTINUE;
    case SEMIHOST_SYS_EXIT:
    case SEMIHOST_SYS_EXIT_EXTENDED: *exit_code = exit_status(cpu); return SEMIHOST_EXIT;
    default: cpu_set_x(cpu, 0, (uint64_t)-1); return SEMIHOST_CONTINUE;
    }
}
