/* A PE's registers: read from the PE, packed into and out of a pe-state
 * record in the order of the kind table (traces/format.c), and printed. */
#include "traces/pe_state.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "cpu/cpu.h"

_Static_assert(TRACE_PE_STATE_WORDS <= TRACE_MAX_WORDS, "a pe-state payload fits the words");

void trace_pe_state_read(const struct cpu *c, struct trace_pe_state *s)
{
    s->pc = cpu_get_pc(c);
    s->pstate = cpu_get_pstate(c);
    s->sp = cpu_get_sp(c);
    for (unsigned n = 0; n < 31; n++)
        s->x[n] = cpu_get_x(c, n);
    s->fpcr = cpu_get_fpcr(c);
    s->fpsr = cpu_get_fpsr(c);
    for (unsigned n = 0; n < 32; n++)
        cpu_get_v(c, n, s->v[n]);
}

void trace_pe_state_words(const struct trace_pe_state *s, uint64_t words[TRACE_PE_STATE_WORDS])
{
    uint64_t *w = words;
    *w++ = s->pc;
    *w++ = s->pstate;
    *w++ = s->sp;
    for (unsigned n = 0; n < 31; n++)
        *w++ = s->x[n];
    *w++ = s->fpcr;
    *w++ = s->fpsr;
    for (unsigned n = 0; n < 32; n++) {
        *w++ = s->v[n][0];
        *w++ = s->v[n][1];
    }
    assert(w == words + TRACE_PE_STATE_WORDS);
}

void trace_pe_state_of_record(const struct trace_record *rec, struct trace_pe_state *s)
{
    assert(rec->kind == TRACE_PE_STATE);
    uint64_t words[TRACE_MAX_WORDS];
    size_t n = trace_decode_payload(rec, words);
    assert(n == TRACE_PE_STATE_WORDS);
    (void)n;
    const uint64_t *w = words;
    s->pc = *w++;
    s->pstate = *w++;
    s->sp = *w++;
    for (unsigned i = 0; i < 31; i++)
        s->x[i] = *w++;
    s->fpcr = *w++;
    s->fpsr = *w++;
    for (unsigned i = 0; i < 32; i++) {
        s->v[i][0] = *w++;
        s->v[i][1] = *w++;
    }
}

/* Text into a fixed buffer; what does not fit is cut. */
struct text {
    char *buf;
    size_t len, used;
};

static void add(struct text *t, const char *fmt, ...)
{
    if (t->used + 1 >= t->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->used, t->len - t->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->used = (size_t)n < t->len - t->used ? t->used + (size_t)n : t->len - 1;
}

size_t trace_pe_state_text(const struct trace_pe_state *s, const char *indent, char *buf,
                           size_t len)
{
    struct text t = {buf, len, 0};
    if (len)
        buf[0] = 0;
    /* x0-x30 and sp: 32 registers, 8 lines of 4. */
    for (unsigned n = 0; n < 32; n++) {
        char name[8] = "sp";
        if (n < 31)
            snprintf(name, sizeof(name), "x%u", n);
        if (n % 4 == 0)
            add(&t, "%s%s", n ? "\n" : "", indent);
        add(&t, "%s%-3s %016" PRIx64, n % 4 ? "  " : "", name, n < 31 ? s->x[n] : s->sp);
    }
    add(&t, "\n%sfpcr %08" PRIx64 "  fpsr %08" PRIx64, indent, s->fpcr, s->fpsr);
    /* v0-v31 as 128-bit numbers, most significant digit first. */
    for (unsigned n = 0; n < 32; n++) {
        if (n % 2 == 0)
            add(&t, "\n%s", indent);
        char name[8];
        snprintf(name, sizeof(name), "v%u", n);
        add(&t, "%s%-3s %016" PRIx64 "%016" PRIx64, n % 2 ? "  " : "", name, s->v[n][1],
            s->v[n][0]);
    }
    return t.used;
}
