#include "sim/semihost.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cpu/cpu.h"

/* Longest SYS_WRITE0 string printed; a guest passing an unterminated
 * buffer gets its first 64 KiB, not a simulator stuck in a scan. */
#define WRITE0_MAX 65536
/* Most bytes one SYS_WRITE writes. More is a partial write: the call
 * returns the count not written, as the semihosting specification allows,
 * and the guest's library calls again, each call one more instruction
 * bound by the run's limits. */
#define WRITE_MAX 65536

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

/* SYS_OPEN: {name, mode, length}. Only ":tt" is a file here. */
static int64_t sys_open(struct cpu *cpu, uint64_t arg)
{
    uint64_t block[3];
    char name[4];
    if (!cpu_read_guest(cpu, arg, block, sizeof(block)) || block[2] != 3 ||
        !cpu_read_guest(cpu, block[0], name, 3))
        return -1;
    if (memcmp(name, ":tt", 3) != 0 || block[1] > 11)
        return -1;
    return block[1] < 4 ? 0 : block[1] < 8 ? 1 : 2;
}

/* SYS_WRITE: {handle, buffer, length}; returns the bytes NOT written. */
static uint64_t sys_write(struct cpu *cpu, uint64_t arg, FILE *console)
{
    uint64_t block[3];
    if (!cpu_read_guest(cpu, arg, block, sizeof(block)))
        return (uint64_t)-1;
    FILE *f = block[0] == 1 ? stdout : block[0] == 2 ? console : NULL;
    if (!f)
        return block[2];
    uint64_t n = block[2] < WRITE_MAX ? block[2] : WRITE_MAX;
    for (uint64_t i = 0; i < n; i++) {
        char ch;
        if (!cpu_read_guest(cpu, block[1] + i, &ch, 1))
            return block[2] - i;
        fputc(ch, f);
    }
    return block[2] - n;
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
    case SEMIHOST_SYS_OPEN:
        cpu_set_x(cpu, 0, (uint64_t)sys_open(cpu, arg));
        return SEMIHOST_CONTINUE;
    case SEMIHOST_SYS_CLOSE: {
        uint64_t handle;
        bool ok = cpu_read_guest(cpu, arg, &handle, sizeof(handle)) && handle <= 2;
        cpu_set_x(cpu, 0, ok ? 0 : (uint64_t)-1);
        return SEMIHOST_CONTINUE;
    }
    case SEMIHOST_SYS_WRITE: cpu_set_x(cpu, 0, sys_write(cpu, arg, out)); return SEMIHOST_CONTINUE;
    case SEMIHOST_SYS_EXIT:
    case SEMIHOST_SYS_EXIT_EXTENDED: *exit_code = exit_status(cpu); return SEMIHOST_EXIT;
    default: cpu_set_x(cpu, 0, (uint64_t)-1); return SEMIHOST_CONTINUE;
    }
}
