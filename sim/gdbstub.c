/* The gdb stub (sim/gdbstub.h): packets, registers, memory, breakpoints,
 * watchpoints, threads (= PEs) and monitor commands.
 *
 * Thread ids are PE index + 1 (gdb reserves 0 for "any" and -1 for "all").
 * Register numbers follow gdb's AArch64 target description: x0-x30 0-30,
 * sp 31, pc 32, cpsr 33, v0-v31 34-65, fpsr 66, fpcr 67.
 *
 * Execution control: every PE runs as it would without gdb; a stop is a
 * pause of the whole machine at one PE's instruction boundary (inside that
 * PE's turn) or between rounds. "Step thread N" is "run until PE N has
 * retired an instruction or taken an exception, and stop before its next
 * one": the other PEs run as the schedule has them meanwhile, so a step
 * is as deterministic as the run, and an interrupt taken by PE N within
 * the step stops it at the vector's first instruction.
 *
 * Reverse execution reruns the machine from the start (the caller builds
 * it again when gdb_stub_rerun says so), with every instruction checked,
 * naming moments by the total of all PEs' retired instructions and
 * exceptions: a first rerun to the present finds the last moment to stop
 * at (a breakpoint hit, or PE N's previous instruction boundary), a second
 * stops there.
 *
 * A malformed packet gets an error reply or an empty one (not supported),
 * never a crash: every parse is bounded by the packet's length. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "cpu/cpu.h"
#include "sim/gdbstub.h"
#include "sim/host.h"
#include "sim/machine_internal.h"
#include "loader/elf.h"
#include "traces/disasm.h"

#define PACKET_MAX  0x4000 /* advertised as PacketSize: the largest packet gdb sends */
#define MAX_BREAKS  64
#define MAX_WATCHES 16
#define NO_PE       UINT32_MAX

enum {
    REG_X0 = 0,
    REG_SP = 31,
    REG_PC = 32,
    REG_CPSR = 33,
    REG_V0 = 34,
    REG_FPSR = 66,
    REG_FPCR = 67,
    NUM_REGS = 68, /* the g packet's; system registers follow, read with p only */
};

/* gdb's Z types: 0 software, 1 hardware breakpoint, 2 write, 3 read,
 * 4 access watchpoint. */
struct gdb_break {
    uint64_t addr;
    unsigned type;
};
struct gdb_watch {
    uint64_t addr, len;
    unsigned type;
};

struct gdb_stub {
    int listen_fd;
    int fd; /* the connection, or -1 */
    bool wait;
    char *unix_path; /* to remove at the end */
    char where[160]; /* "tcp:127.0.0.1:1234", for messages */
    /* Input: what recv gave and has not been parsed yet. */
    uint8_t in[4096];
    size_t in_pos, in_len;
    char pkt[PACKET_MAX + 1]; /* the packet being served, NUL-terminated */
    size_t pkt_len;
    char *last_sent; /* resent on a '-' */
    size_t last_len;
    /* Selection: Hg (registers, memory) and Hc (step) PEs. */
    unsigned g_pe, c_pe;
    char stop_reply[96];
    /* A step in progress: the PE, and its retired instructions plus
     * exceptions taken when it was asked for. */
    unsigned step_pe;
    uint64_t step_from;
    struct gdb_break breaks[MAX_BREAKS];
    unsigned nbreaks;
    struct gdb_watch watches[MAX_WATCHES];
    unsigned nwatches;
    /* Reverse execution: why it is refused (NULL: allowed); the pass in
     * progress (REV_FIND: a rerun up to the moment going back started,
     * rev_now, noting the last place to stop before it; REV_GOTO: a rerun
     * to that place, rev_to); and whether the run must be built again. */
    const char *no_reverse;
    enum { REV_NONE, REV_FIND, REV_GOTO } rev;
    bool rev_cont; /* reverse-continue: back to a breakpoint; else a step of rev_pe */
    unsigned rev_pe, rev_to_pe;
    uint64_t rev_now, rev_to; /* moments as total steps of all PEs; rev_to UINT64_MAX: none */
    char rev_why[48];
    bool rerun;
    /* monitor trace on: every instruction, as it is about to run, on stderr. */
    bool insn_log;
    struct disasm *dis;
};

/* ---- listening ---- */

static bool listen_tcp(struct gdb_stub *g, const char *host, const char *port, char *err,
                       size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc) {
        snprintf(err, errlen, "--gdb tcp:%s:%s: %s", host, port, gai_strerror(rc));
        return false;
    }
    int fd = -1, saved = 0;
    for (struct addrinfo *a = res; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 1) == 0)
            break;
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        snprintf(err, errlen, "--gdb tcp:%s:%s: cannot listen: %s", host, port, strerror(saved));
        return false;
    }
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char h[64] = "?", p[16] = "?";
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        getnameinfo((struct sockaddr *)&ss, sl, h, sizeof h, p, sizeof p,
                    NI_NUMERICHOST | NI_NUMERICSERV);
    snprintf(g->where, sizeof g->where, "tcp:%s:%s", h, p);
    g->listen_fd = fd;
    return true;
}

static bool listen_unix(struct gdb_stub *g, const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (!*path || strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errlen, "--gdb unix:%s: expected a socket path of 1 to %zu bytes", path,
                 sizeof sa.sun_path - 1);
        return false;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        snprintf(err, errlen, "--gdb unix:%s: the file exists (remove it first)", path);
        return false;
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 1) != 0) {
        snprintf(err, errlen, "--gdb unix:%s: cannot listen: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    g->unix_path = strdup(path);
    if (!g->unix_path)
        host_out_of_memory();
    snprintf(g->where, sizeof g->where, "unix:%s", path);
    g->listen_fd = fd;
    return true;
}

struct gdb_stub *gdb_stub_new(const char *spec, bool wait, char *err, size_t errlen)
{
    struct gdb_stub *g = calloc(1, sizeof *g);
    if (!g)
        host_out_of_memory();
    g->listen_fd = g->fd = -1;
    g->wait = wait;
    g->step_pe = NO_PE;
    g->no_reverse = "reverse execution needs a64sim run or boot";
    bool ok = false;
    if (!strncmp(spec, "unix:", 5)) {
        ok = listen_unix(g, spec + 5, err, errlen);
    } else if (!strncmp(spec, "tcp:", 4)) {
        /* tcp:HOST:PORT, HOST empty for 127.0.0.1; the port after the last
         * colon, so that an IPv6 host in brackets is not split. */
        const char *colon = strrchr(spec + 4, ':');
        char host[128];
        const char *port = colon ? colon + 1 : "";
        bool digits = *port && strspn(port, "0123456789") == strlen(port) && strlen(port) <= 5 &&
                      atoi(port) <= 65535;
        if (!colon || !digits || (size_t)(colon - spec - 4) >= sizeof host) {
            snprintf(err, errlen,
                     "--gdb: expected tcp::PORT, tcp:HOST:PORT (PORT 0 to 65535) or unix:PATH, "
                     "got '%s'",
                     spec);
        } else {
            snprintf(host, sizeof host, "%.*s", (int)(colon - spec - 4), spec + 4);
            if (host[0] == '[' && host[strlen(host) - 1] == ']') {
                memmove(host, host + 1, strlen(host));
                host[strlen(host) - 1] = 0;
            }
            ok = listen_tcp(g, *host ? host : "127.0.0.1", port, err, errlen);
        }
    } else {
        snprintf(err, errlen,
                 "--gdb: expected tcp::PORT, tcp:HOST:PORT (PORT 0 to 65535) or unix:PATH, got "
                 "'%s'",
                 spec);
    }
    if (!ok) {
        gdb_stub_free(g);
        return NULL;
    }
    /* Without --gdb-wait the run polls for gdb between rounds. */
    if (!wait)
        fcntl(g->listen_fd, F_SETFL, fcntl(g->listen_fd, F_GETFL) | O_NONBLOCK);
    fprintf(stderr, "a64sim: gdb: listening on %s%s\n", g->where,
            wait ? "; the run waits for gdb to connect" : "");
    return g;
}

void gdb_stub_allow_reverse(struct gdb_stub *g, const char *why_not)
{
    g->no_reverse = why_not;
}

bool gdb_stub_rerun(struct gdb_stub *g)
{
    bool r = g->rerun;
    g->rerun = false;
    return r;
}

void gdb_stub_free(struct gdb_stub *g)
{
    if (!g)
        return;
    if (g->fd >= 0)
        close(g->fd);
    if (g->listen_fd >= 0)
        close(g->listen_fd);
    if (g->unix_path)
        unlink(g->unix_path);
    free(g->unix_path);
    free(g->last_sent);
    disasm_free(g->dis);
    free(g);
}

/* ---- packets ---- */

static void disconnect(struct gdb_stub *g)
{
    if (g->fd >= 0)
        close(g->fd);
    g->fd = -1;
    g->in_pos = g->in_len = 0;
    g->nbreaks = g->nwatches = 0;
    g->step_pe = NO_PE;
}

/* Close the connection once gdb has: it still acknowledges the last reply
 * after a kill or detach, and a closed socket would make that write fail.
 * At most two seconds. */
static void hang_up(struct gdb_stub *g, struct machine *m);

/* The host asked the run to stop (SIGINT, SIGTERM) while blocked on gdb. */
static bool host_interrupt(const struct machine *m)
{
    return m->cfg.interrupt && *m->cfg.interrupt;
}

static void send_all(struct gdb_stub *g, const char *buf, size_t len)
{
    while (len && g->fd >= 0) {
        ssize_t n = send(g->fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            disconnect(g);
            return;
        }
        buf += n;
        len -= (size_t)n;
    }
}

static void put_packet_len(struct gdb_stub *g, const char *data, size_t len)
{
    char *p = malloc(len + 5); /* $, data, #, two digits and the NUL snprintf writes */
    if (!p)
        host_out_of_memory();
    uint8_t sum = 0;
    p[0] = '$';
    for (size_t i = 0; i < len; i++) {
        p[1 + i] = data[i];
        sum = (uint8_t)(sum + (uint8_t)data[i]);
    }
    snprintf(p + 1 + len, 4, "#%02x", sum);
    free(g->last_sent);
    g->last_sent = p;
    g->last_len = len + 4;
    send_all(g, p, g->last_len);
}

static void put_packet(struct gdb_stub *g, const char *s)
{
    put_packet_len(g, s, strlen(s));
}

/* The next byte from gdb, blocking; -1 when it is gone (or the host
 * asked the run to stop). */
static int get_byte(struct gdb_stub *g, struct machine *m)
{
    while (g->in_pos == g->in_len) {
        if (g->fd < 0)
            return -1;
        ssize_t n = recv(g->fd, g->in, sizeof g->in, 0);
        if (n < 0 && errno == EINTR && !host_interrupt(m))
            continue;
        if (n <= 0) {
            disconnect(g);
            return -1;
        }
        g->in_pos = 0;
        g->in_len = (size_t)n;
    }
    return g->in[g->in_pos++];
}

static void hang_up(struct gdb_stub *g, struct machine *m)
{
    if (g->fd >= 0) {
        struct timeval tv = {.tv_sec = 2};
        setsockopt(g->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        shutdown(g->fd, SHUT_WR);
        while (get_byte(g, m) >= 0)
            continue;
    }
    disconnect(g);
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Read one packet into g->pkt, acknowledging it; false when gdb is gone.
 * Acks, a Ctrl-C while already stopped and noise between packets are
 * skipped; a '-' resends the last packet. */
static bool get_packet(struct gdb_stub *g, struct machine *m)
{
    for (;;) {
        int ch = get_byte(g, m);
        if (ch < 0)
            return false;
        if (ch == '-' && g->last_sent) {
            send_all(g, g->last_sent, g->last_len);
            continue;
        }
        if (ch != '$')
            continue;
        size_t len = 0;
        uint8_t sum = 0;
        bool overflow = false;
        while ((ch = get_byte(g, m)) >= 0 && ch != '#') {
            sum = (uint8_t)(sum + ch);
            if (len < PACKET_MAX)
                g->pkt[len++] = (char)ch;
            else
                overflow = true;
        }
        if (ch < 0)
            return false;
        int h = get_byte(g, m), l = get_byte(g, m);
        if (h < 0 || l < 0)
            return false;
        if (overflow || hexval(h) < 0 || hexval(l) < 0 || (hexval(h) << 4 | hexval(l)) != sum) {
            send_all(g, "-", 1);
            continue;
        }
        g->pkt[len] = 0;
        g->pkt_len = len;
        send_all(g, "+", 1);
        return true;
    }
}

/* ---- parsing helpers, bounded by the NUL at the packet's end ---- */

/* A hex number at *P (at least one digit, at most 16), advancing *P. */
static bool parse_hex(const char **p, uint64_t *out)
{
    uint64_t v = 0;
    int n = 0, d;
    while ((d = hexval((unsigned char)**p)) >= 0) {
        if (++n > 16)
            return false;
        v = v << 4 | (uint64_t)d;
        (*p)++;
    }
    *out = v;
    return n > 0;
}

static bool expect(const char **p, char ch)
{
    if (**p != ch)
        return false;
    (*p)++;
    return true;
}

static void to_hex(char *out, const void *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *b = data;
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * len] = 0;
}

/* LEN bytes of hex at P into OUT; false if any pair is not hex. */
static bool from_hex(const char *p, void *out, size_t len)
{
    uint8_t *b = out;
    for (size_t i = 0; i < len; i++) {
        int h = hexval((unsigned char)p[2 * i]);
        int l = h < 0 ? -1 : hexval((unsigned char)p[2 * i + 1]);
        if (l < 0)
            return false;
        b[i] = (uint8_t)(h << 4 | l);
    }
    return true;
}

/* A thread id: "-1" all, "0" any, else PE + 1 in hex. Sets *PE (NO_PE
 * for all or any); false if it names no PE of the machine. */
static bool parse_thread(const char **p, const struct machine *m, unsigned *pe)
{
    if ((*p)[0] == '-' && (*p)[1] == '1') {
        *p += 2;
        *pe = NO_PE;
        return true;
    }
    uint64_t t;
    if (!parse_hex(p, &t) || t > m->ncpus)
        return false;
    *pe = t == 0 ? NO_PE : (unsigned)(t - 1);
    return true;
}

/* ---- registers ---- */

static size_t reg_size(unsigned n)
{
    if (n < REG_CPSR || n >= NUM_REGS)
        return 8;
    if (n >= REG_V0 && n < REG_FPSR)
        return 16;
    return 4;
}

/* Register N of C into OUT (reg_size(N) bytes): false for a number past
 * the last system register. */
static bool reg_read(const struct cpu *c, unsigned n, uint8_t out[16])
{
    uint64_t v[2] = {0, 0};
    const char *name;
    if (n >= NUM_REGS) {
        if (!cpu_debug_sysreg(c, n - NUM_REGS, &name, &v[0]))
            return false;
    } else if (n < 31)
        v[0] = cpu_get_x(c, n);
    else if (n == REG_SP)
        v[0] = cpu_get_sp(c);
    else if (n == REG_PC)
        v[0] = cpu_get_pc(c);
    else if (n == REG_CPSR)
        v[0] = (uint32_t)cpu_get_pstate(c);
    else if (n < REG_FPSR)
        cpu_get_v(c, n - REG_V0, v);
    else if (n == REG_FPSR)
        v[0] = cpu_get_fpsr(c);
    else
        v[0] = cpu_get_fpcr(c);
    memcpy(out, v, reg_size(n)); /* little-endian host and target */
    return true;
}

/* Write register N of C from IN (reg_size(N) bytes). Only NZCV of CPSR
 * can change (the EL, SPSel and masks are the PE's own state machine):
 * false when other bits differ. */
static bool reg_write(struct cpu *c, unsigned n, const uint8_t *in)
{
    uint64_t v[2] = {0, 0};
    memcpy(v, in, reg_size(n));
    if (n < 31)
        cpu_set_x(c, n, v[0]);
    else if (n == REG_SP)
        cpu_set_sp(c, v[0]);
    else if (n == REG_PC)
        cpu_set_pc(c, v[0]);
    else if (n == REG_CPSR) {
        uint32_t now = (uint32_t)cpu_get_pstate(c);
        if ((now ^ (uint32_t)v[0]) & 0x0fffffffu)
            return false;
        cpu_set_nzcv(c, (uint32_t)v[0] & 0xf0000000u);
    } else if (n < REG_FPSR)
        cpu_set_v(c, n - REG_V0, v);
    else if (n == REG_FPSR)
        cpu_set_fpcr_fpsr(c, cpu_get_fpcr(c), (uint32_t)v[0]);
    else
        cpu_set_fpcr_fpsr(c, (uint32_t)v[0], cpu_get_fpsr(c));
    return true;
}

static void cmd_read_regs(struct gdb_stub *g, struct machine *m)
{
    static char out[2 * (33 * 8 + 4 + 32 * 16 + 8) + 1];
    size_t pos = 0;
    for (unsigned n = 0; n < NUM_REGS; n++) {
        uint8_t b[16];
        reg_read(m->cpu[g->g_pe], n, b);
        to_hex(out + pos, b, reg_size(n));
        pos += 2 * reg_size(n);
    }
    put_packet(g, out);
}

/* gdb changed the run: a rerun from the start would no longer be it. */
static void changed_run(struct gdb_stub *g, const char *what)
{
    g->no_reverse = what;
}

static void cmd_write_regs(struct gdb_stub *g, struct machine *m, const char *p)
{
    size_t need = 0;
    for (unsigned n = 0; n < NUM_REGS; n++)
        need += 2 * reg_size(n);
    uint8_t all[33 * 8 + 4 + 32 * 16 + 8];
    if (strlen(p) != need || !from_hex(p, all, need / 2)) {
        put_packet(g, "E01");
        return;
    }
    struct cpu *c = m->cpu[g->g_pe];
    size_t off = 0, cpsr_off = 0;
    for (unsigned n = 0; n < NUM_REGS; off += reg_size(n), n++)
        if (n == REG_CPSR)
            cpsr_off = off;
    uint32_t cpsr;
    memcpy(&cpsr, all + cpsr_off, 4);
    if ((cpsr ^ (uint32_t)cpu_get_pstate(c)) & 0x0fffffffu) {
        put_packet(g, "E01");
        return;
    }
    off = 0;
    for (unsigned n = 0; n < NUM_REGS; off += reg_size(n), n++)
        reg_write(c, n, all + off);
    changed_run(g, "registers were written from gdb: a rerun would not be this run");
    put_packet(g, "OK");
}

static void cmd_read_reg(struct gdb_stub *g, struct machine *m, const char *p)
{
    uint64_t n;
    if (!parse_hex(&p, &n) || *p) {
        put_packet(g, "E01");
        return;
    }
    uint8_t b[16];
    char out[33];
    if (n > UINT32_MAX || !reg_read(m->cpu[g->g_pe], (unsigned)n, b)) {
        put_packet(g, "E01");
        return;
    }
    to_hex(out, b, reg_size((unsigned)n));
    put_packet(g, out);
}

static void cmd_write_reg(struct gdb_stub *g, struct machine *m, const char *p)
{
    uint64_t n;
    uint8_t b[16];
    if (!parse_hex(&p, &n) || !expect(&p, '=') || n >= NUM_REGS ||
        strlen(p) != 2 * reg_size((unsigned)n) || !from_hex(p, b, reg_size((unsigned)n)) ||
        !reg_write(m->cpu[g->g_pe], (unsigned)n, b)) {
        put_packet(g, "E01");
        return;
    }
    changed_run(g, "registers were written from gdb: a rerun would not be this run");
    put_packet(g, "OK");
}

/* ---- memory: through the selected PE's current translation, RAM only ---- */

static void cmd_read_mem(struct gdb_stub *g, struct machine *m, const char *p)
{
    uint64_t addr, len;
    if (!parse_hex(&p, &addr) || !expect(&p, ',') || !parse_hex(&p, &len) || *p) {
        put_packet(g, "E01");
        return;
    }
    if (len > PACKET_MAX / 2)
        len = PACKET_MAX / 2;
    static uint8_t buf[PACKET_MAX / 2];
    static char out[PACKET_MAX + 1];
    /* As much as is readable from ADDR on: gdb asks again for the rest. */
    size_t n = 0;
    while (n < len && cpu_read_guest(m->cpu[g->g_pe], addr + n, buf + n, 1))
        n++;
    if (n == 0 && len > 0) {
        put_packet(g, "E14"); /* EFAULT: not RAM (a device, or unmapped) */
        return;
    }
    to_hex(out, buf, n);
    put_packet(g, out);
}

static void write_mem(struct gdb_stub *g, struct machine *m, uint64_t addr, const uint8_t *data,
                      size_t len)
{
    if (!cpu_write_guest(m->cpu[g->g_pe], addr, data, len)) {
        put_packet(g, "E14");
        return;
    }
    changed_run(g, "memory was written from gdb: a rerun would not be this run");
    put_packet(g, "OK");
}

/* M addr,len:hex */
static void cmd_write_mem_hex(struct gdb_stub *g, struct machine *m, const char *p)
{
    uint64_t addr, len;
    static uint8_t buf[PACKET_MAX / 2];
    if (!parse_hex(&p, &addr) || !expect(&p, ',') || !parse_hex(&p, &len) || !expect(&p, ':') ||
        len > sizeof buf || strlen(p) != 2 * len || !from_hex(p, buf, len)) {
        put_packet(g, "E01");
        return;
    }
    write_mem(g, m, addr, buf, len);
}

/* X addr,len:binary (with '}' escapes) */
static void cmd_write_mem_bin(struct gdb_stub *g, struct machine *m)
{
    const char *p = g->pkt + 1, *end = g->pkt + g->pkt_len;
    uint64_t addr, len;
    static uint8_t buf[PACKET_MAX];
    if (!parse_hex(&p, &addr) || !expect(&p, ',') || !parse_hex(&p, &len) || !expect(&p, ':') ||
        len > sizeof buf) {
        put_packet(g, "E01");
        return;
    }
    size_t n = 0;
    while (p < end && n < len) {
        uint8_t b = (uint8_t)*p++;
        if (b == '}') {
            if (p == end)
                break;
            b = (uint8_t)(*p++ ^ 0x20);
        }
        buf[n++] = b;
    }
    if (n != len || p != end) {
        put_packet(g, "E01");
        return;
    }
    if (len == 0) {
        put_packet(g, "OK"); /* gdb's probe for X support */
        return;
    }
    write_mem(g, m, addr, buf, len);
}

/* ---- breakpoints and watchpoints ---- */

static void cmd_break(struct gdb_stub *g, const char *p, bool insert)
{
    uint64_t type = 0, addr, kind;
    if (!parse_hex(&p, &type) || !expect(&p, ',') || !parse_hex(&p, &addr) || !expect(&p, ',') ||
        !parse_hex(&p, &kind) || (*p && *p != ';') || type > 4) {
        put_packet(g, type > 4 ? "" : "E01");
        return;
    }
    if (type <= 1) {
        for (unsigned i = 0; i < g->nbreaks; i++) {
            if (g->breaks[i].addr != addr || g->breaks[i].type != type)
                continue;
            if (!insert)
                g->breaks[i] = g->breaks[--g->nbreaks];
            put_packet(g, "OK");
            return;
        }
        if (!insert || g->nbreaks == MAX_BREAKS) {
            put_packet(g, insert ? "E28" : "OK"); /* ENOSPC */
            return;
        }
        g->breaks[g->nbreaks++] = (struct gdb_break){addr, (unsigned)type};
        put_packet(g, "OK");
        return;
    }
    if (kind == 0 || kind > 0x10000) {
        put_packet(g, "E01");
        return;
    }
    for (unsigned i = 0; i < g->nwatches; i++) {
        struct gdb_watch *w = &g->watches[i];
        if (w->addr != addr || w->len != kind || w->type != type)
            continue;
        if (!insert)
            *w = g->watches[--g->nwatches];
        put_packet(g, "OK");
        return;
    }
    if (!insert || g->nwatches == MAX_WATCHES) {
        put_packet(g, insert ? "E28" : "OK");
        return;
    }
    g->watches[g->nwatches++] = (struct gdb_watch){addr, kind, (unsigned)type};
    put_packet(g, "OK");
}

/* The data access of load/store instruction INSN at PC on C, decoded
 * from the encoding and the registers before it executes (Arm ARM C4.1,
 * "Loads and Stores"): the general-purpose and FP/SIMD single-register
 * forms (immediate, unscaled, pre/post-index, register offset), pairs,
 * literal loads, exclusives and ordered accesses, atomics and CAS. The
 * SIMD structure forms (LD1-LD4, ST1-ST4) and DC ZVA are not decoded:
 * false, as for every other instruction. */
static bool data_access(const struct cpu *c, uint32_t insn, uint64_t pc, uint64_t *addr,
                        uint64_t *size, bool *rd, bool *wr)
{
    unsigned rn = (insn >> 5) & 31;
    uint64_t base = rn == 31 ? cpu_get_sp(c) : cpu_get_x(c, rn);
    bool vreg = (insn >> 26) & 1;
    unsigned sz = insn >> 30;
    if ((insn & 0x3b000000) == 0x18000000) { /* load register (literal) */
        if (!vreg && sz == 3)
            return false; /* PRFM */
        int64_t imm = (int64_t)((uint64_t)((insn >> 5) & 0x7ffff) << 45) >> 43;
        *addr = pc + (uint64_t)imm;
        *size = vreg ? 4u << sz : (sz == 1 ? 8 : 4);
        *rd = true, *wr = false;
        return true;
    }
    if ((insn & 0x3f000000) == 0x08000000) { /* exclusive, ordered, CAS, CASP */
        bool load = (insn >> 22) & 1, o1 = (insn >> 21) & 1, o2 = (insn >> 23) & 1;
        bool casp = o1 && !o2 && sz < 2, cas = (o1 && o2) || casp;
        *addr = base;
        *size = casp ? 8u << sz : o1 && !o2 ? 2u << sz : 1u << sz;
        *rd = load || cas, *wr = !load || cas;
        return true;
    }
    if ((insn & 0x3a000000) == 0x28000000) { /* load/store pair */
        unsigned opc = sz, idx = (insn >> 23) & 3;
        uint64_t scale = vreg ? 4u << opc : (opc & 2 ? 8 : 4);
        int64_t imm = ((int64_t)((uint64_t)((insn >> 15) & 0x7f) << 57) >> 57) * (int64_t)scale;
        *addr = base + (idx == 1 ? 0 : (uint64_t)imm);
        *size = 2 * scale;
        *rd = (insn >> 22) & 1, *wr = !*rd;
        return true;
    }
    if ((insn & 0x3a000000) != 0x38000000)
        return false;
    /* Load/store register: every form but the pairs and literals. */
    unsigned opc = (insn >> 22) & 3;
    uint64_t bytes = vreg && (opc & 2) && sz == 0 ? 16 : 1u << sz;
    unsigned scale = bytes == 16 ? 4 : sz;
    bool load = vreg ? opc & 1 : opc != 0;
    if (!vreg && sz == 3 && opc == 2)
        return false;       /* PRFM */
    if ((insn >> 24) & 1) { /* unsigned immediate */
        *addr = base + ((uint64_t)((insn >> 10) & 0xfff) << scale);
    } else if ((insn >> 21) & 1) {
        unsigned form = (insn >> 10) & 3;
        if (form == 0 && !vreg) { /* atomic memory operations, SWP */
            *addr = base, *size = bytes, *rd = *wr = true;
            return true;
        }
        if (form != 2)
            return false; /* LDRAA/LDRAB and unallocated */
        unsigned rm = (insn >> 16) & 31, option = (insn >> 13) & 7;
        uint64_t off = rm == 31 ? 0 : cpu_get_x(c, rm);
        if (option == 2)
            off = (uint32_t)off;
        else if (option == 6)
            off = (uint64_t)(int64_t)(int32_t)off;
        *addr = base + (off << ((insn >> 12) & 1 ? scale : 0));
    } else {
        int64_t imm = (int64_t)((uint64_t)((insn >> 12) & 0x1ff) << 55) >> 55;
        *addr = base + (((insn >> 10) & 3) == 1 ? 0 : (uint64_t)imm); /* post-index: base */
    }
    *size = bytes;
    *rd = load, *wr = !load;
    return true;
}

/* A watchpoint the access of INSN hits: its stop reply's reason into WHY. */
static bool watch_hit(const struct gdb_stub *g, const struct cpu *c, uint32_t insn, uint64_t pc,
                      char *why, size_t len)
{
    uint64_t addr, size;
    bool rd, wr;
    if (!data_access(c, insn, pc, &addr, &size, &rd, &wr))
        return false;
    for (unsigned i = 0; i < g->nwatches; i++) {
        const struct gdb_watch *w = &g->watches[i];
        if (addr >= w->addr + w->len || w->addr >= addr + size)
            continue;
        bool hit = w->type == 2 ? wr : w->type == 3 ? rd : rd || wr;
        if (!hit)
            continue;
        static const char *const names[] = {"", "", "watch", "rwatch", "awatch"};
        snprintf(why, len, "%s:%" PRIx64 ";", names[w->type], addr > w->addr ? addr : w->addr);
        return true;
    }
    return false;
}

/* ---- threads ---- */

static const char *state_name(enum cpu_state s)
{
    switch (s) {
    case CPU_RUNNING: return "running";
    case CPU_WAIT_WFI: return "asleep in WFI";
    case CPU_WAIT_WFE: return "asleep in WFE";
    case CPU_HALTED: return "halted";
    case CPU_OFF: return "off";
    }
    return "?";
}

static void reply_hex_text(struct gdb_stub *g, const char *prefix, const char *text)
{
    size_t n = strlen(text), pl = strlen(prefix);
    if (n > (PACKET_MAX - pl) / 2)
        n = (PACKET_MAX - pl) / 2;
    char *out = malloc(pl + 2 * n + 1);
    if (!out)
        host_out_of_memory();
    memcpy(out, prefix, pl);
    to_hex(out + pl, text, n);
    put_packet(g, out);
    free(out);
}

static void cmd_thread_info(struct gdb_stub *g, struct machine *m, const char *p)
{
    unsigned pe;
    if (!parse_thread(&p, m, &pe) || *p || pe == NO_PE) {
        put_packet(g, "E01");
        return;
    }
    const struct cpu *c = m->cpu[pe];
    char text[128];
    snprintf(text, sizeof text, "pe%u EL%u %s, cycle %" PRIu64, pe, cpu_get_el(c),
             state_name(cpu_state(c)), cpu_cycles(c));
    reply_hex_text(g, "", text);
}

/* ---- monitor commands (qRcmd) ---- */

static void monitor_out(struct gdb_stub *g, const char *text)
{
    /* Console output in pieces that fit a packet. */
    size_t n = strlen(text), chunk = PACKET_MAX / 2 - 8;
    for (size_t off = 0; off < n; off += chunk) {
        char piece[PACKET_MAX / 2];
        size_t len = n - off < chunk ? n - off : chunk;
        memcpy(piece, text + off, len);
        piece[len] = 0;
        reply_hex_text(g, "O", piece);
    }
}

static const char monitor_help[] =
    "monitor commands:\n"
    "  explain     each PE's interrupt state: why each pending interrupt is or is not taken\n"
    "  cycles      each PE's simulated cycles and retired instructions\n"
    "  quantum [N] show or set the scheduler quantum in cycles (1 to 2^32; not while a\n"
    "              trace is recorded or replayed: the trace holds the quantum)\n"
    "  trace on|off  print every instruction as it is about to run on a64sim's stderr\n"
    "              (PE, cycle, PC, symbol, disassembly); the run is the same either way\n"
    "  help        this text\n";

static void monitor(struct gdb_stub *g, struct machine *m, const char *cmd)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        host_out_of_memory();
    bool ok = true;
    if (!strcmp(cmd, "explain")) {
        machine_explain(m, f);
    } else if (!strcmp(cmd, "cycles")) {
        for (unsigned i = 0; i < m->ncpus; i++)
            fprintf(f, "pe%u: %" PRIu64 " cycles, %" PRIu64 " instructions, %s\n", i,
                    cpu_cycles(m->cpu[i]), cpu_insns(m->cpu[i]), state_name(cpu_state(m->cpu[i])));
    } else if (!strcmp(cmd, "quantum")) {
        fprintf(f, "quantum: %" PRIu64 " cycles\n", m->cfg.quantum);
    } else if (!strncmp(cmd, "quantum ", 8)) {
        char *end;
        errno = 0;
        unsigned long long q = strtoull(cmd + 8, &end, 0);
        if (m->trace) {
            fprintf(f, "quantum: not changed: a trace is being recorded or replayed, and it "
                       "holds the quantum the run started with\n");
        } else if (errno || *end || !isdigit((unsigned char)cmd[8]) || q < 1 || q > (1ull << 32)) {
            fprintf(f, "quantum: expected 1 to 2^32 cycles, got '%s'\n", cmd + 8);
        } else {
            /* Read by the run loop at each round's start: the next round
             * boundary after the current one follows the new grid. */
            m->cfg.quantum = q;
            changed_run(g, "the quantum was changed: a rerun would not be this run");
            fprintf(f, "quantum: %llu cycles from the next round on\n", q);
        }
    } else if (!strcmp(cmd, "trace on") || !strcmp(cmd, "trace off")) {
        g->insn_log = !strcmp(cmd, "trace on");
        fprintf(f, "trace: %s\n",
                g->insn_log ? "every instruction goes to a64sim's stderr" : "off");
    } else if (!strcmp(cmd, "trace")) {
        fprintf(f, "trace: %s\n", g->insn_log ? "on" : "off");
    } else if (!strcmp(cmd, "help") || !*cmd) {
        fputs(monitor_help, f);
    } else {
        fprintf(f, "unknown monitor command '%s'\n", cmd);
        fputs(monitor_help, f);
        ok = false;
    }
    fclose(f);
    monitor_out(g, text);
    free(text);
    put_packet(g, ok ? "OK" : "E01");
}

static void cmd_rcmd(struct gdb_stub *g, struct machine *m, const char *hex)
{
    size_t n = strlen(hex);
    char cmd[PACKET_MAX / 2 + 1];
    if (n % 2 || !from_hex(hex, cmd, n / 2)) {
        put_packet(g, "E01");
        return;
    }
    cmd[n / 2] = 0;
    for (size_t i = 0; i < n / 2; i++)
        if (!isprint((unsigned char)cmd[i]))
            cmd[i] = '?';
    monitor(g, m, cmd);
}

/* ---- target description ---- */

static const char target_xml_head[] = "<?xml version=\"1.0\"?>\n"
                                      "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                                      "<target>\n"
                                      "<architecture>aarch64</architecture>\n"
                                      "<feature name=\"org.gnu.gdb.aarch64.core\">\n";

static const char fpu_types[] =
    "<feature name=\"org.gnu.gdb.aarch64.fpu\">\n"
    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
    "<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>\n"
    "<vector id=\"v2i\" type=\"int64\" count=\"2\"/>\n"
    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
    "<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>\n"
    "<vector id=\"v4i\" type=\"int32\" count=\"4\"/>\n"
    "<vector id=\"v8u\" type=\"uint16\" count=\"8\"/>\n"
    "<vector id=\"v8i\" type=\"int16\" count=\"8\"/>\n"
    "<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>\n"
    "<vector id=\"v16i\" type=\"int8\" count=\"16\"/>\n"
    "<vector id=\"v1u\" type=\"uint128\" count=\"1\"/>\n"
    "<vector id=\"v1i\" type=\"int128\" count=\"1\"/>\n"
    "<union id=\"vnd\"><field name=\"f\" type=\"v2d\"/><field name=\"u\" type=\"v2u\"/>"
    "<field name=\"s\" type=\"v2i\"/></union>\n"
    "<union id=\"vns\"><field name=\"f\" type=\"v4f\"/><field name=\"u\" type=\"v4u\"/>"
    "<field name=\"s\" type=\"v4i\"/></union>\n"
    "<union id=\"vnh\"><field name=\"u\" type=\"v8u\"/><field name=\"s\" type=\"v8i\"/></union>\n"
    "<union id=\"vnb\"><field name=\"u\" type=\"v16u\"/><field name=\"s\" type=\"v16i\"/>"
    "</union>\n"
    "<union id=\"vnq\"><field name=\"u\" type=\"v1u\"/><field name=\"s\" type=\"v1i\"/></union>\n"
    "<union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/><field name=\"s\" type=\"vns\"/>"
    "<field name=\"h\" type=\"vnh\"/><field name=\"b\" type=\"vnb\"/>"
    "<field name=\"q\" type=\"vnq\"/></union>\n";

/* The whole description, built once (every PE, and every machine a
 * reverse command builds, has the same registers): the core, the FP/SIMD
 * registers, and the system registers a debugger can read without side
 * effects (cpu_debug_sysreg), read-only, in QEMU's feature for them. */
static const char *target_xml(const struct cpu *c)
{
    static char xml[32768];
    if (xml[0])
        return xml;
    size_t pos = 0;
    pos += (size_t)snprintf(xml + pos, sizeof xml - pos, "%s", target_xml_head);
    for (unsigned i = 0; i < 31; i++)
        pos += (size_t)snprintf(xml + pos, sizeof xml - pos,
                                "<reg name=\"x%u\" bitsize=\"64\" regnum=\"%u\"/>\n", i, i);
    pos += (size_t)snprintf(xml + pos, sizeof xml - pos,
                            "<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
                            "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>\n"
                            "<reg name=\"cpsr\" bitsize=\"32\"/>\n"
                            "</feature>\n%s",
                            fpu_types);
    for (unsigned i = 0; i < 32; i++)
        pos += (size_t)snprintf(xml + pos, sizeof xml - pos,
                                "<reg name=\"v%u\" bitsize=\"128\" type=\"aarch64v\" "
                                "regnum=\"%u\"/>\n",
                                i, REG_V0 + i);
    pos += (size_t)snprintf(xml + pos, sizeof xml - pos,
                            "<reg name=\"fpsr\" bitsize=\"32\"/>\n"
                            "<reg name=\"fpcr\" bitsize=\"32\"/>\n"
                            "</feature>\n"
                            "<feature name=\"org.qemu.gdb.aarch64.sysregs\">\n");
    const char *name;
    uint64_t v;
    for (unsigned i = 0; cpu_debug_sysreg(c, i, &name, &v) && pos < sizeof xml; i++) {
        char lower[40];
        size_t k = 0;
        for (; name[k] && k + 1 < sizeof lower; k++)
            lower[k] = (char)tolower((unsigned char)name[k]);
        lower[k] = 0;
        pos += (size_t)snprintf(xml + pos, sizeof xml - pos,
                                "<reg name=\"%s\" bitsize=\"64\" regnum=\"%u\" "
                                "group=\"system\"/>\n",
                                lower, NUM_REGS + i);
    }
    if (pos < sizeof xml)
        snprintf(xml + pos, sizeof xml - pos, "</feature>\n</target>\n");
    return xml;
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH */
static void cmd_xfer_features(struct gdb_stub *g, struct machine *m, const char *p)
{
    const char *colon = strchr(p, ':');
    uint64_t off, len;
    if (!colon || (size_t)(colon - p) != strlen("target.xml") || strncmp(p, "target.xml", 10)) {
        put_packet(g, "E00");
        return;
    }
    p = colon + 1;
    if (!parse_hex(&p, &off) || !expect(&p, ',') || !parse_hex(&p, &len) || *p) {
        put_packet(g, "E01");
        return;
    }
    const char *xml = target_xml(m->cpu[0]);
    size_t total = strlen(xml);
    if (len > PACKET_MAX - 2)
        len = PACKET_MAX - 2;
    if (off >= total) {
        put_packet(g, "l");
        return;
    }
    size_t n = total - off < len ? total - off : len;
    char out[PACKET_MAX];
    out[0] = off + n < total ? 'm' : 'l';
    memcpy(out + 1, xml + off, n); /* the XML holds no $, #, } or * */
    put_packet_len(g, out, n + 1);
}

/* ---- stopping and resuming ---- */

enum serve_end { SERVE_RESUME, SERVE_DETACH, SERVE_KILL, SERVE_RERUN };

/* Every PE's retired instructions and exceptions taken: it grows by at
 * least one between two instruction boundaries of any PE, so it names a
 * moment of the run (the same in every run of the same configuration). */
static uint64_t total_steps(const struct machine *m)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < m->ncpus; i++)
        n += cpu_insns(m->cpu[i]) + cpu_exceptions(m->cpu[i]);
    return n;
}

/* End this run now (for a rerun): nothing of it is reported. */
static void end_for_rerun(struct gdb_stub *g, struct machine *m)
{
    g->rerun = true;
    if (!m->stop) {
        m->stop = true;
        m->result.reason = RUN_INTERRUPTED;
        m->result.exit_code = 128 + SIGKILL;
    }
    if (m->cur_pe != TRACE_PE_NONE)
        cpu_limit(m->cpu[m->cur_pe], 0);
}

/* bs / bc: go back by running again from the start, twice: once to find
 * the last place to stop before now, once to stop there. */
static bool cmd_reverse(struct gdb_stub *g, struct machine *m, bool cont)
{
    if (g->no_reverse) {
        char msg[256];
        snprintf(msg, sizeof msg, "reverse execution: %s\n", g->no_reverse);
        monitor_out(g, msg);
        put_packet(g, "E01");
        return false;
    }
    g->rev = REV_FIND;
    g->rev_cont = cont;
    g->rev_pe = g->c_pe;
    g->rev_now = total_steps(m);
    g->rev_to = UINT64_MAX;
    return true;
}

static void set_stop(struct gdb_stub *g, unsigned pe, unsigned sig, const char *why)
{
    snprintf(g->stop_reply, sizeof g->stop_reply, "T%02x%sthread:%x;", sig, why, pe + 1);
    g->g_pe = g->c_pe = pe;
}

/* Arm a step of PE (or none) and resume. */
static void resume(struct gdb_stub *g, struct machine *m, unsigned step_pe)
{
    g->step_pe = step_pe;
    if (step_pe != NO_PE)
        g->step_from = cpu_insns(m->cpu[step_pe]) + cpu_exceptions(m->cpu[step_pe]);
}

/* vCont;ACTION[:THREAD];...: a step action names the PE to step (the
 * others run meanwhile, as always); only continue: run. */
static bool cmd_vcont(struct gdb_stub *g, struct machine *m, const char *p)
{
    unsigned step = NO_PE;
    while (*p == ';') {
        p++;
        char action = *p++;
        if (action == 'C' || action == 'S') {
            uint64_t sig;
            if (!parse_hex(&p, &sig)) {
                put_packet(g, "E01");
                return false;
            }
        } else if (action != 'c' && action != 's') {
            put_packet(g, "E01");
            return false;
        }
        unsigned pe = NO_PE;
        if (*p == ':') {
            p++;
            if (!parse_thread(&p, m, &pe)) {
                put_packet(g, "E01");
                return false;
            }
        }
        if ((action == 's' || action == 'S') && step == NO_PE)
            step = pe == NO_PE ? g->c_pe : pe;
    }
    if (*p) {
        put_packet(g, "E01");
        return false;
    }
    resume(g, m, step);
    return true;
}

static void cmd_query(struct gdb_stub *g, struct machine *m, const char *q)
{
    if (!strncmp(q, "qSupported", 10)) {
        char buf[160];
        snprintf(buf, sizeof buf,
                 "PacketSize=%x;qXfer:features:read+;vContSupported+;swbreak+;hwbreak+;"
                 "ReverseStep+;ReverseContinue+",
                 PACKET_MAX);
        put_packet(g, buf);
    } else if (!strncmp(q, "qXfer:features:read:", 20)) {
        cmd_xfer_features(g, m, q + 20);
    } else if (!strcmp(q, "qfThreadInfo")) {
        char buf[8 * MAX_CPUS + 4] = "m";
        for (unsigned i = 0; i < m->ncpus; i++)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%x", i ? "," : "", i + 1);
        put_packet(g, buf);
    } else if (!strcmp(q, "qsThreadInfo")) {
        put_packet(g, "l");
    } else if (!strcmp(q, "qC")) {
        char buf[16];
        snprintf(buf, sizeof buf, "QC%x", g->g_pe + 1);
        put_packet(g, buf);
    } else if (!strncmp(q, "qThreadExtraInfo,", 17)) {
        cmd_thread_info(g, m, q + 17);
    } else if (!strncmp(q, "qAttached", 9)) {
        put_packet(g, "1");
    } else if (!strncmp(q, "qRcmd,", 6)) {
        cmd_rcmd(g, m, q + 6);
    } else {
        put_packet(g, "");
    }
}

/* H[gc]THREAD */
static void cmd_select(struct gdb_stub *g, struct machine *m, const char *p)
{
    char which = *p++;
    unsigned pe;
    if ((which != 'g' && which != 'c') || !parse_thread(&p, m, &pe) || *p) {
        put_packet(g, "E01");
        return;
    }
    if (pe != NO_PE) {
        if (which == 'g')
            g->g_pe = pe;
        else
            g->c_pe = pe;
    }
    put_packet(g, "OK");
}

/* Serve packets until gdb resumes, detaches or kills. */
static enum serve_end serve_packets(struct gdb_stub *g, struct machine *m)
{
    while (get_packet(g, m)) {
        const char *p = g->pkt;
        switch (p[0]) {
        case '?': put_packet(g, g->stop_reply); break;
        case 'g': cmd_read_regs(g, m); break;
        case 'G': cmd_write_regs(g, m, p + 1); break;
        case 'p': cmd_read_reg(g, m, p + 1); break;
        case 'P': cmd_write_reg(g, m, p + 1); break;
        case 'm': cmd_read_mem(g, m, p + 1); break;
        case 'M': cmd_write_mem_hex(g, m, p + 1); break;
        case 'X': cmd_write_mem_bin(g, m); break;
        case 'Z': cmd_break(g, p + 1, true); break;
        case 'z': cmd_break(g, p + 1, false); break;
        case 'H': cmd_select(g, m, p + 1); break;
        case 'q': cmd_query(g, m, p); break;
        case 'T': {
            const char *t = p + 1;
            unsigned pe;
            put_packet(g, parse_thread(&t, m, &pe) && !*t && pe != NO_PE ? "OK" : "E01");
            break;
        }
        case 'c': resume(g, m, NO_PE); return SERVE_RESUME;
        case 's': resume(g, m, g->c_pe); return SERVE_RESUME;
        case 'v':
            if (!strcmp(p, "vCont?")) {
                put_packet(g, "vCont;c;C;s;S");
            } else if (!strncmp(p, "vCont;", 6) || !strcmp(p, "vCont")) {
                if (cmd_vcont(g, m, p + 5))
                    return SERVE_RESUME;
            } else if (!strncmp(p, "vKill", 5)) {
                put_packet(g, "OK");
                return SERVE_KILL;
            } else {
                put_packet(g, "");
            }
            break;
        case 'b':
            if ((p[1] == 's' || p[1] == 'c') && !p[2]) {
                if (cmd_reverse(g, m, p[1] == 'c'))
                    return SERVE_RERUN;
            } else {
                put_packet(g, "");
            }
            break;
        case 'D': put_packet(g, "OK"); return SERVE_DETACH;
        case 'k': return SERVE_KILL;
        default: put_packet(g, ""); break;
        }
    }
    return SERVE_DETACH; /* gone: as a detach, the run goes on */
}

/* The machine is stopped (g->stop_reply says why): tell gdb, serve it. */
static void stopped(struct gdb_stub *g, struct machine *m, bool announce)
{
    g->step_pe = NO_PE;
    fflush(m->out); /* the guest's output so far, before gdb's prompt */
    if (announce)
        put_packet(g, g->stop_reply);
    enum serve_end end = serve_packets(g, m);
    if (end == SERVE_KILL || end == SERVE_DETACH)
        hang_up(g, m);
    machine_gdb_armed(m, g->nbreaks || g->nwatches || g->step_pe != NO_PE || g->insn_log);
    switch (end) {
    case SERVE_RESUME: return;
    case SERVE_DETACH: return;
    case SERVE_RERUN: end_for_rerun(g, m); return;
    case SERVE_KILL:
        if (!m->stop) {
            m->stop = true;
            m->result.reason = RUN_INTERRUPTED;
            m->result.exit_code = 128 + SIGKILL;
        }
        if (m->cur_pe != TRACE_PE_NONE)
            cpu_limit(m->cpu[m->cur_pe], 0);
        fprintf(stderr, "a64sim: gdb: killed the run\n");
        return;
    }
}

static bool accept_gdb(struct gdb_stub *g, struct machine *m)
{
    for (;;) {
        int fd = accept(g->listen_fd, NULL, NULL);
        if (fd >= 0) {
            fcntl(fd, F_SETFD, FD_CLOEXEC);
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            g->fd = fd;
            g->g_pe = g->c_pe = 0;
            free(g->last_sent);
            g->last_sent = NULL;
            return true;
        }
        if (errno == EINTR && !host_interrupt(m))
            continue;
        return false;
    }
}

/* Stopped between rounds (no PE inside its turn): reported as PE SEL's. */
static void stop_between_rounds(struct gdb_stub *g, struct machine *m, unsigned sig, bool announce)
{
    set_stop(g, g->g_pe < m->ncpus ? g->g_pe : 0, sig, "");
    stopped(g, m, announce);
}

void gdb_run_start(struct gdb_stub *g, struct machine *m)
{
    if (g->rev == REV_GOTO && g->rev_to == UINT64_MAX) {
        /* Nothing to stop at before: the start of the run. */
        g->rev = REV_NONE;
        set_stop(g, g->rev_pe, 5, "replaylog:begin;");
        stopped(g, m, true);
        return;
    }
    if (g->rev != REV_NONE) {
        machine_gdb_armed(m, true);
        return;
    }
    if (!g->wait || g->fd >= 0)
        return;
    bool ok = accept_gdb(g, m);
    /* From now on, another gdb attaching is seen between rounds. */
    fcntl(g->listen_fd, F_SETFL, fcntl(g->listen_fd, F_GETFL) | O_NONBLOCK);
    if (!ok)
        return;
    fprintf(stderr, "a64sim: gdb: connected; the run starts stopped\n");
    stop_between_rounds(g, m, 5, false);
}

void gdb_poll(struct gdb_stub *g, struct machine *m)
{
    if (g->fd < 0) {
        /* Not connected: gdb attaching (first, or again) stops the run here. */
        if (accept_gdb(g, m)) {
            fprintf(stderr, "a64sim: gdb: connected; the run stops at cycle %" PRIu64 "\n",
                    sched_now(m->sched));
            stop_between_rounds(g, m, 5, false);
        }
        return;
    }
    uint8_t buf[64];
    ssize_t n = recv(g->fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        disconnect(g); /* gone while running: as a detach */
        g->insn_log = false;
        machine_gdb_armed(m, false);
        return;
    }
    for (ssize_t i = 0; i < n; i++)
        if (buf[i] == 0x03) {
            g->rev = REV_NONE;
            stop_between_rounds(g, m, 2, true); /* SIGINT, as gdb's Ctrl-C */
            return;
        }
}

/* Before an instruction in a rerun for reverse execution. */
static bool rev_insn(struct gdb_stub *g, struct machine *m, unsigned pe, uint64_t pc)
{
    uint64_t now = total_steps(m);
    if (g->rev == REV_FIND) {
        if (now >= g->rev_now) {
            g->rev = REV_GOTO; /* rev_to UINT64_MAX: back to the start */
            end_for_rerun(g, m);
            return false;
        }
        bool here = !g->rev_cont && pe == g->rev_pe;
        for (unsigned i = 0; g->rev_cont && i < g->nbreaks && !here; i++)
            if (g->breaks[i].addr == pc) {
                here = true;
                snprintf(g->rev_why, sizeof g->rev_why, "%s:;",
                         g->breaks[i].type ? "hwbreak" : "swbreak");
            }
        if (here) {
            g->rev_to = now;
            g->rev_to_pe = pe;
            if (!g->rev_cont)
                g->rev_why[0] = 0;
        }
        return true;
    }
    if (now != g->rev_to || pe != g->rev_to_pe)
        return true;
    g->rev = REV_NONE;
    set_stop(g, pe, 5, g->rev_why);
    stopped(g, m, true);
    return cpu_get_pc(m->cpu[pe]) == pc && !m->stop;
}

/* monitor trace on: "a64sim: pe0 cycle 1234: 0x40080040 <handler+0x0>: stp x29, x30, [sp,
 * #-0x10]!" on stderr. */
static void log_insn(struct gdb_stub *g, struct machine *m, unsigned pe, uint64_t pc, uint32_t insn)
{
    char sym[120] = "", text[80];
    const char *name;
    uint64_t off;
    if (!g->dis)
        g->dis = disasm_new();
    const struct elf_image *img = machine_image(m);
    if (img && elf_symbol_at(img, pc, &name, &off))
        snprintf(sym, sizeof sym, " <%s+0x%" PRIx64 ">", name, off);
    if (g->dis)
        disasm_one(g->dis, insn, pc, text, sizeof text);
    else
        snprintf(text, sizeof text, ".inst 0x%08" PRIx32, insn);
    fprintf(stderr, "a64sim: pe%u cycle %" PRIu64 ": 0x%" PRIx64 "%s: %s\n", pe,
            cpu_cycles(m->cpu[pe]), pc, sym, text);
}

bool gdb_insn(struct gdb_stub *g, struct machine *m, unsigned pe, uint64_t pc, uint32_t insn)
{
    struct cpu *c = m->cpu[pe];
    if (g->rev != REV_NONE && g->fd >= 0)
        return rev_insn(g, m, pe, pc);
    bool logged = g->insn_log;
    if (logged)
        log_insn(g, m, pe, pc, insn);
    /* After a stop here, the instruction runs when gdb resumes: a
     * breakpoint at it does not stop it again, but a watchpoint set
     * meanwhile sees its access (as a hardware one would), once. */
    bool first = true, watch_reported = false;
    while (g->fd >= 0) {
        char why[48] = "";
        bool stop = false;
        if (first && g->step_pe == pe && cpu_insns(c) + cpu_exceptions(c) > g->step_from)
            stop = true;
        for (unsigned i = 0; first && i < g->nbreaks && !stop; i++)
            if (g->breaks[i].addr == pc) {
                snprintf(why, sizeof why, "%s:;", g->breaks[i].type ? "hwbreak" : "swbreak");
                stop = true;
            }
        if (!stop && !watch_reported && g->nwatches) {
            stop = watch_hit(g, c, insn, pc, why, sizeof why);
            watch_reported = stop;
        }
        if (!stop)
            return true;
        set_stop(g, pe, 5, why);
        stopped(g, m, true);
        if (cpu_get_pc(c) != pc || m->stop)
            return false;
        if (g->insn_log && !logged) { /* trace on while stopped here: it runs now */
            log_insn(g, m, pe, pc, insn);
            logged = true;
        }
        first = false;
    }
    return true;
}

void gdb_run_end(struct gdb_stub *g, struct machine *m)
{
    if (g->fd < 0 || g->rerun)
        return;
    if (g->rev == REV_FIND) {
        /* The run ended before the moment going back started (a stop
         * between rounds just before the end): go to what was found. */
        g->rev = REV_GOTO;
        g->rerun = true;
        return;
    }
    g->rev = REV_NONE;
    char buf[8];
    snprintf(buf, sizeof buf, "W%02x", (unsigned)m->result.exit_code & 0xff);
    put_packet(g, buf);
    /* gdb acknowledges it and then hangs up: closing first would make its
     * acknowledgement fail. */
    while (get_byte(g, m) == '-')
        send_all(g, g->last_sent, g->last_len);
    disconnect(g);
}
