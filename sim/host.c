#include "sim/host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define EXIT_INTERNAL 3

_Noreturn void host_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("a64sim: internal error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("; exit code 3\n", stderr);
    va_end(ap);
    fflush(NULL);
    exit(EXIT_INTERNAL);
}

_Noreturn void host_out_of_memory(void)
{
    host_fail("the host is out of memory");
}
