#include "sim/host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

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

void host_escape_controls(char *s, size_t size)
{
    char tmp[2048];
    snprintf(tmp, sizeof(tmp), "%s", s);
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)tmp; *p && o + 1 < size; p++) {
        if (*p >= 0x20 && *p != 0x7f) {
            s[o++] = (char)*p;
            continue;
        }
        if (o + 5 > size)
            break;
        snprintf(s + o, size - o, "\\x%02x", *p);
        o += 4;
    }
    if (size)
        s[o] = 0;
}

int host_open_input(const char *path, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "not a regular file");
        close(fd);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

/* The terminal's settings before host_terminal_raw, restored at exit. */
static struct termios saved_termios;
static int raw_fd = -1;

void host_terminal_restore(void)
{
    if (raw_fd >= 0)
        tcsetattr(raw_fd, TCSANOW, &saved_termios);
    raw_fd = -1;
}

bool host_terminal_raw(int fd)
{
    static bool registered;
    struct termios t;
    if (!isatty(fd) || tcgetattr(fd, &t) != 0)
        return false;
    saved_termios = t;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    t.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSANOW, &t) != 0)
        return false;
    raw_fd = fd;
    if (!registered)
        registered = atexit(host_terminal_restore) == 0;
    return true;
}
