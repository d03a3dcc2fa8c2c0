/* Semihosting SYS_OPEN(":tt") and SYS_WRITE to stdout and stderr, and the
 * answers for what a64sim does not open (host files). Compared with its
 * expected output: handle numbers and the refusal of host files are
 * a64sim's documented choices. */
#include <stdint.h>

#include "exit.h"
#include "printf.h"

static int64_t semihost(uint32_t op, const void *block)
{
    register uint64_t x0 __asm__("x0") = op;
    register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return (int64_t)x0;
}

static int64_t sys_open(const char *name, uint64_t mode, uint64_t len)
{
    uint64_t block[3] = {(uint64_t)(uintptr_t)name, mode, len};
    return semihost(0x01, block);
}

static int64_t sys_write(int64_t handle, const char *buf, uint64_t len)
{
    uint64_t block[3] = {(uint64_t)handle, (uint64_t)(uintptr_t)buf, len};
    return semihost(0x05, block);
}

int main(void)
{
    int64_t out = sys_open(":tt", 4, 3); /* "w" */
    int64_t err = sys_open(":tt", 8, 3); /* "a" */
    int64_t in = sys_open(":tt", 0, 3);  /* "r" */
    int64_t file = sys_open("/etc/passwd", 0, 11);
    printf("open :tt r/w/a: %d %d %d; open a host file: %d\n", (int)in, (int)out, (int)err,
           (int)file);
    int64_t r1 = sys_write(out, "to stdout via SYS_WRITE\n", 24);
    int64_t r2 = sys_write(err, "to stderr via SYS_WRITE\n", 24);
    int64_t r3 = sys_write(7, "nowhere", 7);
    printf("SYS_WRITE returns (bytes not written): %d %d %d\n", (int)r1, (int)r2, (int)r3);
    /* One call writes at most 64 KiB (a64sim's bound): the rest is left. */
    static char big[100000];
    for (unsigned i = 0; i < sizeof(big); i++)
        big[i] = '\n';
    int64_t r4 = sys_write(err, big, sizeof(big));
    printf("SYS_WRITE of 100000 bytes leaves %d unwritten\n", (int)r4);
    return in == 0 && out == 1 && err == 2 && file == -1 && r1 == 0 && r2 == 0 && r3 == 7 &&
                   r4 == 100000 - 65536
               ? 0
               : 1;
}
