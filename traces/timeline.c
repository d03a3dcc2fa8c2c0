/* Trace-event JSON, written while the trace is read. Spans on one thread
 * must nest, so each interrupt's track is a sequence of non-overlapping
 * state spans (a state ends where the next begins), and PE spans are
 * begin/end pairs that an exception return or a wake closes, innermost
 * first. Whatever is still open at the end is closed at the last cycle. */
#include "traces/timeline.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "traces/format.h"
#include "traces/reader.h"
#include "sim/host.h"

#define PID_PES   1
#define PID_IRQS  2
#define PID_BOARD 3
#define TID_UART  0
#define TID_INPUT 1
#define TID_RUN   2
#define NPE       256
#define UART_LINE 120

struct pe_state {
    bool named;
    unsigned depth; /* open spans: exception handlers and sleep */
    bool asleep;
    unsigned lines;  /* bit per enum trace_line */
    unsigned timers; /* bit per enum trace_timer */
};

/* The track of one interrupt at one PE. */
struct irq_track {
    uint32_t intid;
    unsigned pe;
    unsigned tid;
    unsigned state; /* IRQ_P | IRQ_A */
    uint64_t since; /* cycle the current state began */
};
#define IRQ_P 1u
#define IRQ_A 2u

struct timeline {
    FILE *out;
    bool first; /* no event written yet: no comma before the next */
    uint64_t last_cycle;
    struct pe_state pe[NPE];
    struct irq_track *irq; /* sorted by (intid, pe) */
    size_t nirq, irq_cap;
    char uart[UART_LINE + 1];
    size_t uart_len;
    uint64_t uart_since;
};

/* ---- JSON output ---- */

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

/* Microseconds, the unit of "ts" and "dur": cycles / 1000 at 1 GHz. */
static void json_us(FILE *out, const char *key, uint64_t cycles)
{
    fprintf(out, ",\"%s\":%" PRIu64 ".%03" PRIu64, key, cycles / 1000, cycles % 1000);
}

/* Open an event object: {"name":NAME,"ph":PH,"pid":PID,"tid":TID,"ts":T */
static void event(struct timeline *t, const char *name, char ph, unsigned pid, unsigned tid,
                  uint64_t cycle)
{
    fputs(t->first ? "\n" : ",\n", t->out);
    t->first = false;
    fputs("{\"name\":", t->out);
    json_string(t->out, name);
    fprintf(t->out, ",\"ph\":\"%c\",\"pid\":%u,\"tid\":%u", ph, pid, tid);
    json_us(t->out, "ts", cycle);
}

static void metadata(struct timeline *t, const char *what, unsigned pid, unsigned tid,
                     const char *name)
{
    fputs(t->first ? "\n" : ",\n", t->out);
    t->first = false;
    fprintf(t->out, "{\"name\":\"%s\",\"ph\":\"M\",\"pid\":%u,\"tid\":%u,\"args\":{\"name\":", what,
            pid, tid);
    json_string(t->out, name);
    fputs("}}", t->out);
}

static void instant(struct timeline *t, const char *name, unsigned pid, unsigned tid,
                    uint64_t cycle)
{
    event(t, name, 'i', pid, tid, cycle);
    fputs(",\"s\":\"t\"}", t->out);
}

/* A counter with N series named NAMES and values VALUES. */
static void counter(struct timeline *t, unsigned pe, const char *what, uint64_t cycle,
                    const char *const *names, const uint64_t *values, unsigned n)
{
    char name[64];
    snprintf(name, sizeof(name), "pe%u %s", pe, what);
    event(t, name, 'C', PID_PES, pe, cycle);
    fputs(",\"args\":{", t->out);
    for (unsigned i = 0; i < n; i++)
        fprintf(t->out, "%s\"%s\":%" PRIu64, i ? "," : "", names[i], values[i]);
    fputs("}}", t->out);
}

/* ---- PE tracks ---- */

static void name_pe(struct timeline *t, unsigned pe)
{
    if (t->pe[pe].named)
        return;
    char name[16];
    snprintf(name, sizeof(name), "pe%u", pe);
    metadata(t, "thread_name", PID_PES, pe, name);
    t->pe[pe].named = true;
}

static void span_begin(struct timeline *t, unsigned pe, const char *name, uint64_t cycle)
{
    event(t, name, 'B', PID_PES, pe, cycle);
    fputc('}', t->out);
    t->pe[pe].depth++;
}

static void span_end(struct timeline *t, unsigned pe, uint64_t cycle)
{
    event(t, "", 'E', PID_PES, pe, cycle);
    fputc('}', t->out);
    t->pe[pe].depth--;
}

static void el_counter(struct timeline *t, unsigned pe, uint64_t cycle, uint64_t el)
{
    static const char *const names[] = {"EL"};
    counter(t, pe, "EL", cycle, names, &el, 1);
}

static const char *const exc_names[] = {"sync", "IRQ", "FIQ", "SError"};

static void on_exc_entry(struct timeline *t, const struct trace_record *r)
{
    uint64_t type = trace_field(r, EXC_TYPE);
    char name[64];
    snprintf(name, sizeof(name), "%s EL%" PRIu64 "->EL%" PRIu64, type < 4 ? exc_names[type] : "?",
             trace_field(r, EXC_FROM_EL), trace_field(r, EXC_TO_EL));
    event(t, name, 'B', PID_PES, r->pe, r->cycle);
    fprintf(t->out,
            ",\"args\":{\"esr\":\"0x%" PRIx64 "\",\"elr\":\"0x%" PRIx64 "\",\"vector\":\"0x%" PRIx64
            "\"}}",
            trace_field(r, EXC_ESR), trace_field(r, EXC_ELR), trace_field(r, EXC_TARGET));
    t->pe[r->pe].depth++;
    el_counter(t, r->pe, r->cycle, trace_field(r, EXC_TO_EL));
}

static void on_exc_return(struct timeline *t, const struct trace_record *r)
{
    struct pe_state *p = &t->pe[r->pe];
    /* An ERET with no entry before it (boot code dropping from EL2) has
     * no span to close: it shows as an instant. */
    if (p->depth > (p->asleep ? 1u : 0u)) {
        span_end(t, r->pe, r->cycle);
    } else {
        char name[32];
        snprintf(name, sizeof(name), "ERET EL%" PRIu64 "->EL%" PRIu64, trace_field(r, ERET_FROM_EL),
                 trace_field(r, ERET_TO_EL));
        instant(t, name, PID_PES, r->pe, r->cycle);
    }
    el_counter(t, r->pe, r->cycle, trace_field(r, ERET_TO_EL));
}

static void on_sleep(struct timeline *t, const struct trace_record *r)
{
    if (t->pe[r->pe].asleep)
        return;
    span_begin(t, r->pe, trace_field(r, SLEEP_HOW) ? "WFE" : "WFI", r->cycle);
    t->pe[r->pe].asleep = true;
}

static void on_wake(struct timeline *t, const struct trace_record *r)
{
    if (!t->pe[r->pe].asleep)
        return;
    span_end(t, r->pe, r->cycle);
    t->pe[r->pe].asleep = false;
}

static void on_daif(struct timeline *t, const struct trace_record *r)
{
    static const char *const names[] = {"D", "A", "I", "F"};
    uint64_t v = trace_field(r, DAIF_VALUE);
    uint64_t bits[] = {(v >> 3) & 1, (v >> 2) & 1, (v >> 1) & 1, v & 1};
    counter(t, r->pe, "DAIF", r->cycle, names, bits, 4);
}

static void on_pmr(struct timeline *t, const struct trace_record *r)
{
    static const char *const names[] = {"PMR"};
    uint64_t v = trace_field(r, PMR_VALUE);
    counter(t, r->pe, "PMR", r->cycle, names, &v, 1);
}

static void on_line(struct timeline *t, const struct trace_record *r)
{
    static const char *const names[] = {"IRQ", "FIQ", "SError", "vIRQ", "vFIQ"};
    struct pe_state *p = &t->pe[r->pe];
    unsigned bit = 1u << (trace_field(r, LINE_LINE) & 7);
    p->lines = trace_field(r, LINE_LEVEL) ? p->lines | bit : p->lines & ~bit;
    uint64_t v[5];
    for (unsigned i = 0; i < 5; i++)
        v[i] = (p->lines >> i) & 1;
    counter(t, r->pe, "lines", r->cycle, names, v, 5);
}

static void on_timer(struct timeline *t, const struct trace_record *r)
{
    static const char *const names[] = {"EL1 phys", "EL1 virt", "EL2 phys", "EL2 virt"};
    struct pe_state *p = &t->pe[r->pe];
    unsigned bit = 1u << (trace_field(r, TIMER_TIMER) & 7);
    p->timers = trace_field(r, TIMER_LEVEL) ? p->timers | bit : p->timers & ~bit;
    uint64_t v[4];
    for (unsigned i = 0; i < 4; i++)
        v[i] = (p->timers >> i) & 1;
    counter(t, r->pe, "timers", r->cycle, names, v, 4);
}

static void on_psci(struct timeline *t, const struct trace_record *r)
{
    char name[48];
    snprintf(name, sizeof(name), "PSCI 0x%08" PRIx64, trace_field(r, PSCI_FID));
    instant(t, name, PID_PES, r->pe, r->cycle);
}

/* ---- interrupt tracks ---- */

static struct irq_track *irq_track(struct timeline *t, uint32_t intid, unsigned pe)
{
    size_t lo = 0, hi = t->nirq;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        struct irq_track *m = &t->irq[mid];
        if (m->intid < intid || (m->intid == intid && m->pe < pe))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < t->nirq && t->irq[lo].intid == intid && t->irq[lo].pe == pe)
        return &t->irq[lo];
    if (t->nirq == t->irq_cap) {
        t->irq_cap = t->irq_cap ? 2 * t->irq_cap : 16;
        t->irq = realloc(t->irq, t->irq_cap * sizeof(*t->irq));
        if (!t->irq)
            host_out_of_memory();
    }
    memmove(&t->irq[lo + 1], &t->irq[lo], (t->nirq - lo) * sizeof(*t->irq));
    /* Thread ids in order of first appearance, which depends only on the trace. */
    unsigned tid = (unsigned)t->nirq + 1;
    t->nirq++;
    t->irq[lo] = (struct irq_track){.intid = intid, .pe = pe, .tid = tid};
    char name[48];
    if (pe == TRACE_PE_NONE)
        snprintf(name, sizeof(name), "INTID %" PRIu32, intid);
    else
        snprintf(name, sizeof(name), "INTID %" PRIu32 " pe%u", intid, pe);
    metadata(t, "thread_name", PID_IRQS, tid, name);
    return &t->irq[lo];
}

static const char *const irq_state_names[] = {NULL, "pending", "active", "active+pending"};

/* Close the span of the state the track was in, and start the new one. */
static void irq_set(struct timeline *t, struct irq_track *k, unsigned state, uint64_t cycle)
{
    if (state == k->state)
        return;
    if (k->state) {
        event(t, irq_state_names[k->state], 'X', PID_IRQS, k->tid, k->since);
        json_us(t->out, "dur", cycle - k->since);
        fputc('}', t->out);
    }
    k->state = state;
    k->since = cycle;
}

static void on_irq_state(struct timeline *t, const struct trace_record *r)
{
    struct irq_track *k = irq_track(t, (uint32_t)trace_field(r, IRQ_INTID), r->pe);
    unsigned s = k->state;
    switch (trace_field(r, IRQ_TRANSITION)) {
    case TRACE_IRQ_PENDING: s |= IRQ_P; break;
    case TRACE_IRQ_ACTIVE: s |= IRQ_A; break;
    case TRACE_IRQ_ACKNOWLEDGED: s = IRQ_A; break;
    case TRACE_IRQ_DEACTIVATED: s &= ~IRQ_A; break;
    case TRACE_IRQ_CLEARED: s &= ~IRQ_P; break;
    case TRACE_IRQ_PRIORITY_DROP: instant(t, "priority drop", PID_IRQS, k->tid, r->cycle); break;
    default: break;
    }
    irq_set(t, k, s, r->cycle);
}

/* ---- board tracks ---- */

static void uart_flush(struct timeline *t)
{
    if (!t->uart_len)
        return;
    t->uart[t->uart_len] = 0;
    instant(t, t->uart, PID_BOARD, TID_UART, t->uart_since);
    t->uart_len = 0;
}

static void on_uart_tx(struct timeline *t, const struct trace_record *r)
{
    uint8_t b = (uint8_t)trace_field(r, UART_BYTE);
    if (!t->uart_len)
        t->uart_since = r->cycle;
    if (b != '\n' && b != '\r')
        t->uart[t->uart_len++] = b >= 0x20 && b < 0x7f ? (char)b : '.';
    if (b == '\n' || t->uart_len == UART_LINE)
        uart_flush(t);
}

static void on_input(struct timeline *t, const struct trace_record *r)
{
    char name[96];
    if (r->kind == TRACE_INPUT_SPI) {
        snprintf(name, sizeof(name), "spi %" PRIu64 " level %" PRIu64, trace_field(r, SPI_INTID),
                 trace_field(r, SPI_LEVEL));
    } else if (r->kind == TRACE_INPUT_MSI) {
        snprintf(name, sizeof(name), "msi 0x%" PRIx64 " %" PRIu64, trace_field(r, MSI_DEVID),
                 trace_field(r, MSI_EVENTID));
    } else if (r->kind == TRACE_INPUT_HOST_UART) {
        snprintf(name, sizeof(name), "host uart byte 0x%02" PRIx64, trace_field(r, HOST_BYTE));
    } else {
        size_t len;
        const uint8_t *text = trace_text(r, &len);
        int n = snprintf(name, sizeof(name), "uart-rx ");
        for (size_t i = 0; i < len && (size_t)n + 1 < sizeof(name); i++)
            name[n++] = text[i] >= 0x20 && text[i] < 0x7f ? (char)text[i] : '.';
        name[n] = 0;
    }
    instant(t, name, PID_BOARD, TID_INPUT, r->cycle);
}

static void on_record(struct timeline *t, const struct trace_record *r)
{
    t->last_cycle = r->cycle;
    if (r->pe != TRACE_PE_NONE)
        name_pe(t, r->pe);
    switch (r->kind) {
    case TRACE_EXC_ENTRY: on_exc_entry(t, r); break;
    case TRACE_EXC_RETURN: on_exc_return(t, r); break;
    case TRACE_IRQ_STATE: on_irq_state(t, r); break;
    case TRACE_IRQ_LINE: on_line(t, r); break;
    case TRACE_DAIF: on_daif(t, r); break;
    case TRACE_PMR: on_pmr(t, r); break;
    case TRACE_TIMER: on_timer(t, r); break;
    case TRACE_SLEEP: on_sleep(t, r); break;
    case TRACE_WAKE: on_wake(t, r); break;
    case TRACE_PSCI: on_psci(t, r); break;
    case TRACE_UART_TX: on_uart_tx(t, r); break;
    case TRACE_INPUT_UART_RX:
    case TRACE_INPUT_SPI:
    case TRACE_INPUT_MSI:
    case TRACE_INPUT_HOST_UART: on_input(t, r); break;
    case TRACE_RUN_END: instant(t, "run end", PID_BOARD, TID_RUN, r->cycle); break;
    default: break; /* instructions and MMIO accesses are not drawn */
    }
}

static void begin(struct timeline *t, const struct trace_header *h)
{
    fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"a64sim\":", t->out);
    json_string(t->out, h->sim_version);
    fputs("},\"traceEvents\":[", t->out);
    t->first = true;
    metadata(t, "process_name", PID_PES, 0, "PEs");
    metadata(t, "process_name", PID_IRQS, 0, "interrupts");
    metadata(t, "process_name", PID_BOARD, 0, "board");
    metadata(t, "thread_name", PID_BOARD, TID_UART, "uart");
    metadata(t, "thread_name", PID_BOARD, TID_INPUT, "inputs");
    metadata(t, "thread_name", PID_BOARD, TID_RUN, "run");
    /* Every PE leaves reset with D, A, I and F set (Arm ARM, PE reset). */
    uint64_t cpus = 1;
    trace_header_get(h, "cpus", &cpus);
    for (unsigned pe = 0; pe < cpus && pe < NPE; pe++) {
        static const char *const names[] = {"D", "A", "I", "F"};
        static const uint64_t ones[] = {1, 1, 1, 1};
        name_pe(t, pe);
        counter(t, pe, "DAIF", 0, names, ones, 4);
    }
}

static void end(struct timeline *t)
{
    uart_flush(t);
    for (size_t i = 0; i < t->nirq; i++)
        irq_set(t, &t->irq[i], 0, t->last_cycle);
    for (unsigned pe = 0; pe < NPE; pe++)
        while (t->pe[pe].depth)
            span_end(t, pe, t->last_cycle);
    fputs("\n]}\n", t->out);
}

int trace_timeline(const char *path, const char *out_path, FILE *err)
{
    char msg[1200];
    struct trace_reader *r = trace_reader_open(path, msg, sizeof(msg));
    if (!r) {
        fprintf(err, "a64sim: %s\n", msg);
        return 2;
    }
    struct timeline *t = calloc(1, sizeof(*t));
    if (!t)
        host_out_of_memory();
    t->out = fopen(out_path, "w");
    if (!t->out) {
        fprintf(err, "a64sim: %s: cannot create: %s\n", out_path, strerror(errno));
        free(t);
        trace_reader_free(r);
        return 2;
    }
    begin(t, trace_reader_header(r));
    struct trace_record rec;
    enum trace_read got;
    while ((got = trace_reader_next(r, &rec)) == TRACE_READ_RECORD)
        on_record(t, &rec);
    end(t);
    int rc = got == TRACE_READ_END ? 0 : 2;
    if (rc)
        fprintf(err, "a64sim: %s\n", trace_reader_error(r));
    if (fclose(t->out) != 0) {
        fprintf(err, "a64sim: %s: cannot write: %s\n", out_path, strerror(errno));
        rc = 2;
    }
    /* A timeline of part of a recording is not left behind as if whole. */
    struct stat st;
    if (rc && stat(out_path, &st) == 0 && S_ISREG(st.st_mode))
        unlink(out_path);
    free(t->irq);
    free(t);
    trace_reader_free(r);
    return rc;
}
