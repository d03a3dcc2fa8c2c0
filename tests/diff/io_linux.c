/*
 * Output and exit for the static Linux build that runs under qemu-aarch64.
 * It replaces the runtime's uart.c and exit.c: crt0 calls guest_exit when
 * main returns. Linux AArch64 syscall ABI: number in X8, arguments in X0-X5,
 * result in X0, SVC #0.
 */
#include "diff.h"
#include "exit.h"

#define SYS_write      64
#define SYS_exit_group 94

static long syscall3(long nr, long a0, long a1, long a2)
{
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a0;
    register long x1 __asm__("x1") = a1;
    register long x2 __asm__("x2") = a2;

    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
}

/* Linux gives EL0 the SIMD&FP registers (CPACR_EL1.FPEN is the kernel's business). */
void diff_enable_fp(void)
{
}

void diff_write(const char *buf, size_t len)
{
    while (len > 0) {
        long n = syscall3(SYS_write, 1, (long)buf, (long)len);
        if (n <= 0) {
            guest_exit(3);
        }
        buf += n;
        len -= (size_t)n;
    }
}

_Noreturn void guest_exit(int code)
{
    for (;;) {
        syscall3(SYS_exit_group, code, 0, 0);
    }
}
