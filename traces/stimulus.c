/* Stimulus files: one event per line, parsed by hand with a cursor so
 * that every complaint can say which line and what was expected. */
#include "traces/stimulus.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/format.h"
#include "sim/host.h"

#define SPI_FIRST 32u
#define SPI_LAST  1019u /* GICv3: INTIDs 32-1019 are SPIs */

struct host_byte {
    uint64_t pull;
    uint8_t byte;
};

struct stimulus {
    char source[512];
    struct stimulus_event *ev;
    size_t n, cap;
    struct host_byte *host;
    size_t nhost, host_cap;
};

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need)
        c *= 2;
    p = realloc(p, c * size);
    if (!p)
        host_out_of_memory();
    *cap = c;
    return p;
}

struct stimulus *stimulus_new(const char *source)
{
    struct stimulus *s = calloc(1, sizeof(*s));
    if (!s)
        host_out_of_memory();
    snprintf(s->source, sizeof(s->source), "%s", source);
    return s;
}

void stimulus_free(struct stimulus *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->ev[i].text);
    free(s->ev);
    free(s->host);
    free(s);
}

static struct stimulus_event *add(struct stimulus *s, uint64_t cycle, enum stimulus_kind kind,
                                  unsigned line)
{
    s->ev = grow(s->ev, &s->cap, s->n + 1, sizeof(*s->ev));
    struct stimulus_event *e = &s->ev[s->n++];
    *e = (struct stimulus_event){.cycle = cycle, .kind = kind, .line = line};
    return e;
}

void stimulus_add_uart_rx(struct stimulus *s, uint64_t cycle, const uint8_t *text, size_t len,
                          unsigned line)
{
    struct stimulus_event *e = add(s, cycle, STIM_UART_RX, line);
    e->text = malloc(len ? len : 1);
    if (!e->text)
        host_out_of_memory();
    if (len)
        memcpy(e->text, text, len);
    e->len = len;
}

void stimulus_add_spi(struct stimulus *s, uint64_t cycle, uint32_t intid, bool level, unsigned line)
{
    struct stimulus_event *e = add(s, cycle, STIM_SPI, line);
    e->intid = intid;
    e->level = level;
}

void stimulus_add_msi(struct stimulus *s, uint64_t cycle, uint32_t devid, uint32_t eventid,
                      unsigned line)
{
    struct stimulus_event *e = add(s, cycle, STIM_MSI, line);
    e->devid = devid;
    e->eventid = eventid;
}

void stimulus_add_host_byte(struct stimulus *s, uint64_t pull, uint8_t byte)
{
    s->host = grow(s->host, &s->host_cap, s->nhost + 1, sizeof(*s->host));
    s->host[s->nhost++] = (struct host_byte){pull, byte};
}

size_t stimulus_count(const struct stimulus *s)
{
    return s->n;
}

const struct stimulus_event *stimulus_event(const struct stimulus *s, size_t i)
{
    return &s->ev[i];
}

const char *stimulus_source(const struct stimulus *s)
{
    return s->source;
}

size_t stimulus_host_count(const struct stimulus *s)
{
    return s->nhost;
}

bool stimulus_host_byte(const struct stimulus *s, size_t *cursor, uint64_t pull, uint8_t *byte)
{
    while (*cursor < s->nhost && s->host[*cursor].pull < pull)
        (*cursor)++;
    if (*cursor >= s->nhost || s->host[*cursor].pull != pull)
        return false;
    *byte = s->host[(*cursor)++].byte;
    return true;
}

bool stimulus_check(const struct stimulus *s, bool have_its, char *err, size_t errlen)
{
    for (size_t i = 0; i < s->n && !have_its; i++) {
        if (s->ev[i].kind != STIM_MSI)
            continue;
        snprintf(err, errlen, "%s:%u: msi %" PRIu32 " %" PRIu32 ": MSIs need the ITS (--its on)",
                 s->source, s->ev[i].line, s->ev[i].devid, s->ev[i].eventid);
        return false;
    }
    return true;
}

/* ---- parsing ---- */

struct parser {
    struct stimulus *s;
    const char *p; /* cursor in the current line */
    unsigned line;
    uint64_t last_cycle;
    char *err;
    size_t errlen;
};

static bool perr(struct parser *ps, const char *fmt, ...)
{
    int n = snprintf(ps->err, ps->errlen, "%s:%u: ", ps->s->source, ps->line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    host_escape_controls(ps->err, ps->errlen);
    return false;
}

static void skip_space(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

/* The next word (up to white space or '#'), copied into BUF for messages. */
static const char *word(struct parser *ps, char *buf, size_t len)
{
    size_t n = 0;
    while (ps->p[n] && !isspace((unsigned char)ps->p[n]) && ps->p[n] != '#')
        n++;
    snprintf(buf, len, "%.*s", (int)n, ps->p);
    ps->p += n;
    return buf;
}

static bool parse_number(const char *w, uint64_t *out)
{
    if (!isdigit((unsigned char)w[0]))
        return false;
    /* Decimal, or hexadecimal after 0x: a leading zero is not octal. */
    bool hex = w[0] == '0' && (w[1] == 'x' || w[1] == 'X');
    if (hex && !isxdigit((unsigned char)w[2]))
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(hex ? w + 2 : w, &end, hex ? 16 : 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static bool end_of_line(struct parser *ps)
{
    skip_space(ps);
    if (*ps->p == 0 || *ps->p == '#')
        return true;
    char w[64];
    return perr(ps, "unexpected '%s' after the event", word(ps, w, sizeof(w)));
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One escape after a backslash; returns the byte or -1. */
static int escape(struct parser *ps)
{
    char c = *ps->p++;
    switch (c) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case '0': return 0;
    case '\\': return '\\';
    case '"': return '"';
    case 'x': {
        int hi = hex_digit(ps->p[0]), lo = hi < 0 ? -1 : hex_digit(ps->p[1]);
        if (lo < 0)
            return -1;
        ps->p += 2;
        return hi * 16 + lo;
    }
    default: return -1;
    }
}

static bool parse_uart_rx(struct parser *ps, uint64_t cycle)
{
    skip_space(ps);
    if (*ps->p != '"')
        return perr(ps, "uart-rx: expected a quoted string, like \"text\\n\"");
    ps->p++;
    uint8_t text[TRACE_TEXT_MAX];
    size_t n = 0;
    while (*ps->p != '"') {
        if (!*ps->p)
            return perr(ps, "uart-rx: unterminated string (no closing '\"')");
        int b = (unsigned char)*ps->p++;
        if (b == '\\') {
            char shown = *ps->p;
            b = escape(ps);
            if (b < 0)
                return perr(ps,
                            "uart-rx: unknown escape '\\%c' (use \\n \\r \\t \\0 \\\\ \\\" "
                            "or \\xHH)",
                            shown ? shown : ' ');
        }
        if (n == sizeof(text))
            return perr(ps, "uart-rx: text longer than %u bytes", TRACE_TEXT_MAX);
        text[n++] = (uint8_t)b;
    }
    ps->p++;
    if (n == 0)
        return perr(ps, "uart-rx: empty text");
    if (!end_of_line(ps))
        return false;
    stimulus_add_uart_rx(ps->s, cycle, text, n, ps->line);
    return true;
}

static bool parse_spi(struct parser *ps, uint64_t cycle)
{
    char w[64];
    uint64_t intid, level;
    skip_space(ps);
    if (!parse_number(word(ps, w, sizeof(w)), &intid))
        return perr(ps, "spi: expected an INTID, got '%s'", w);
    if (intid < SPI_FIRST || intid > SPI_LAST)
        return perr(ps, "spi: INTID %" PRIu64 " is not an SPI (SPIs are %u to %u)", intid,
                    SPI_FIRST, SPI_LAST);
    skip_space(ps);
    if (strcmp(word(ps, w, sizeof(w)), "level"))
        return perr(ps, "spi: expected 'level 0' or 'level 1' after the INTID, got '%s'", w);
    skip_space(ps);
    if (!parse_number(word(ps, w, sizeof(w)), &level) || level > 1)
        return perr(ps, "spi: level must be 0 or 1, got '%s'", w);
    if (!end_of_line(ps))
        return false;
    stimulus_add_spi(ps->s, cycle, (uint32_t)intid, level == 1, ps->line);
    return true;
}

/* msi DEVID EVENTID: a write of EVENTID to GITS_TRANSLATER by the device. */
static bool parse_msi(struct parser *ps, uint64_t cycle)
{
    char w[64];
    uint64_t devid, eventid;
    skip_space(ps);
    if (!parse_number(word(ps, w, sizeof(w)), &devid) || devid > UINT32_MAX)
        return perr(ps, "msi: expected a DeviceID (32 bits), got '%s'", w);
    skip_space(ps);
    if (!parse_number(word(ps, w, sizeof(w)), &eventid) || eventid > UINT32_MAX)
        return perr(ps, "msi: expected an EventID (32 bits) after the DeviceID, got '%s'", w);
    if (!end_of_line(ps))
        return false;
    stimulus_add_msi(ps->s, cycle, (uint32_t)devid, (uint32_t)eventid, ps->line);
    return true;
}

static bool parse_line(struct parser *ps)
{
    skip_space(ps);
    if (*ps->p == 0 || *ps->p == '#')
        return true;
    char w[64];
    if (*ps->p != '@')
        return perr(ps, "expected '@CYCLE EVENT ...', got '%s'", word(ps, w, sizeof(w)));
    ps->p++;
    uint64_t cycle;
    if (!parse_number(word(ps, w, sizeof(w)), &cycle))
        return perr(ps, "bad cycle '%s': expected a decimal or 0x-hex number after '@'", w);
    if (cycle < ps->last_cycle)
        return perr(ps,
                    "cycle %" PRIu64 " comes before the previous event's %" PRIu64
                    ": events must be in time order",
                    cycle, ps->last_cycle);
    ps->last_cycle = cycle;
    skip_space(ps);
    word(ps, w, sizeof(w));
    if (!strcmp(w, "uart-rx"))
        return parse_uart_rx(ps, cycle);
    if (!strcmp(w, "spi"))
        return parse_spi(ps, cycle);
    if (!strcmp(w, "msi"))
        return parse_msi(ps, cycle);
    if (!w[0])
        return perr(ps, "expected an event after '@%" PRIu64 "' (uart-rx, spi or msi)", cycle);
    return perr(ps, "unknown event '%s' (expected uart-rx, spi or msi)", w);
}

struct stimulus *stimulus_parse_text(const char *text, const char *name, char *err, size_t errlen)
{
    struct parser ps = {.s = stimulus_new(name), .err = err, .errlen = errlen};
    const char *line = text;
    while (*line) {
        ps.line++;
        size_t len = strcspn(line, "\n");
        char *copy = malloc(len + 1);
        if (!copy)
            host_out_of_memory();
        memcpy(copy, line, len);
        copy[len] = 0;
        if (len && copy[len - 1] == '\r')
            copy[len - 1] = 0;
        ps.p = copy;
        bool ok = parse_line(&ps);
        free(copy);
        if (!ok) {
            stimulus_free(ps.s);
            return NULL;
        }
        line += len + (line[len] == '\n');
    }
    return ps.s;
}

struct stimulus *stimulus_parse_file(const char *path, char *err, size_t errlen)
{
    char why[128];
    int fd = host_open_input(path, why, sizeof(why));
    FILE *f = fd < 0 ? NULL : fdopen(fd, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open for --stimulus: %s", path,
                 fd < 0 ? why : strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (c == 0) {
            fclose(f);
            free(text);
            snprintf(err, errlen, "%s: not a text file (NUL byte at offset %zu)", path, len);
            return NULL;
        }
        text = grow(text, &cap, len + 2, 1);
        text[len++] = (char)c;
    }
    fclose(f);
    if (!text)
        text = calloc(1, 1);
    if (!text)
        host_out_of_memory();
    text[len] = 0;
    struct stimulus *s = stimulus_parse_text(text, path, err, errlen);
    free(text);
    return s;
}
