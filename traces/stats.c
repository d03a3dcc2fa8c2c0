/* Counting and interrupt latencies. An interrupt's latency is measured
 * from the record that made it pending to the one that acknowledged it,
 * for the same INTID at the same PE; becoming pending again while already
 * pending does not restart the clock, and a "cleared" record (no longer
 * pending without an acknowledge) discards it. */
#include "traces/stats.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "traces/format.h"
#include "traces/reader.h"
#include "sim/host.h"

#define NPE 256

struct pending {
    uint32_t intid;
    unsigned pe;
    bool pending;
    uint64_t since;
};

struct latencies {
    uint32_t intid;
    uint64_t *v;
    size_t n, cap;
};

struct stats {
    uint64_t kinds[TRACE_KIND_END];
    uint64_t pes[NPE + 1]; /* the last slot: the machine */
    uint64_t total, first, last;
    struct pending *pend; /* sorted by (intid, pe) */
    size_t npend, pend_cap;
    struct latencies *lat; /* sorted by intid */
    size_t nlat, lat_cap;
};

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    *cap = *cap ? *cap * 2 : 16;
    p = realloc(p, *cap * size);
    if (!p)
        host_out_of_memory();
    return p;
}

static struct pending *find_pending(struct stats *s, uint32_t intid, unsigned pe)
{
    size_t lo = 0, hi = s->npend;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct pending *m = &s->pend[mid];
        if (m->intid < intid || (m->intid == intid && m->pe < pe))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->npend && s->pend[lo].intid == intid && s->pend[lo].pe == pe)
        return &s->pend[lo];
    s->pend = grow(s->pend, &s->pend_cap, s->npend, sizeof(*s->pend));
    memmove(&s->pend[lo + 1], &s->pend[lo], (s->npend - lo) * sizeof(*s->pend));
    s->npend++;
    s->pend[lo] = (struct pending){.intid = intid, .pe = pe};
    return &s->pend[lo];
}

static void add_latency(struct stats *s, uint32_t intid, uint64_t cycles)
{
    size_t lo = 0, hi = s->nlat;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->lat[mid].intid < intid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == s->nlat || s->lat[lo].intid != intid) {
        s->lat = grow(s->lat, &s->lat_cap, s->nlat, sizeof(*s->lat));
        memmove(&s->lat[lo + 1], &s->lat[lo], (s->nlat - lo) * sizeof(*s->lat));
        s->nlat++;
        s->lat[lo] = (struct latencies){.intid = intid};
    }
    struct latencies *l = &s->lat[lo];
    l->v = grow(l->v, &l->cap, l->n, sizeof(*l->v));
    l->v[l->n++] = cycles;
}

static void on_irq(struct stats *s, const struct trace_record *r)
{
    uint32_t intid = (uint32_t)trace_field(r, IRQ_INTID);
    struct pending *p = find_pending(s, intid, r->pe);
    switch (trace_field(r, IRQ_TRANSITION)) {
    case TRACE_IRQ_PENDING:
        if (!p->pending) {
            p->pending = true;
            p->since = r->cycle;
        }
        break;
    case TRACE_IRQ_ACKNOWLEDGED:
        if (p->pending)
            add_latency(s, intid, r->cycle - p->since);
        p->pending = false;
        break;
    case TRACE_IRQ_CLEARED: p->pending = false; break;
    default: break;
    }
}

static void count(struct stats *s, const struct trace_record *r)
{
    if (!s->total || r->cycle < s->first)
        s->first = r->cycle;
    if (!s->total || r->cycle > s->last)
        s->last = r->cycle;
    s->total++;
    s->kinds[r->kind]++;
    s->pes[r->pe == TRACE_PE_NONE ? NPE : r->pe]++;
    if (r->kind == TRACE_IRQ_STATE)
        on_irq(s, r);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void print(struct stats *s, const char *path, bool complete, FILE *out)
{
    fprintf(out, "%s: %" PRIu64 " records", path, s->total);
    if (s->total)
        fprintf(out, ", cycles %" PRIu64 " to %" PRIu64, s->first, s->last);
    fprintf(out, "%s\n", complete ? "" : " (the file is incomplete: see the message)");
    fprintf(out, "records per kind:\n");
    for (unsigned k = 1; k < TRACE_KIND_END; k++)
        if (s->kinds[k])
            fprintf(out, "  %-16s %12" PRIu64 "\n", trace_kind_desc(k)->name, s->kinds[k]);
    fprintf(out, "records per PE:\n");
    for (unsigned pe = 0; pe <= NPE; pe++) {
        if (!s->pes[pe])
            continue;
        char name[16] = "machine";
        if (pe < NPE)
            snprintf(name, sizeof(name), "pe%u", pe);
        fprintf(out, "  %-16s %12" PRIu64 "\n", name, s->pes[pe]);
    }
    if (!s->nlat) {
        fprintf(out, "interrupt latency: no interrupt was acknowledged\n");
        return;
    }
    fprintf(out, "interrupt latency, pending to acknowledged (cycles):\n");
    fprintf(out, "  %8s %8s %10s %10s %10s\n", "INTID", "count", "min", "median", "max");
    for (size_t i = 0; i < s->nlat; i++) {
        struct latencies *l = &s->lat[i];
        qsort(l->v, l->n, sizeof(*l->v), cmp_u64);
        /* The median of an even count is the lower of the two middle values. */
        fprintf(out, "  %8" PRIu32 " %8zu %10" PRIu64 " %10" PRIu64 " %10" PRIu64 "\n", l->intid,
                l->n, l->v[0], l->v[(l->n - 1) / 2], l->v[l->n - 1]);
    }
}

int trace_stats(const char *path, FILE *out, FILE *err)
{
    char msg[1200];
    struct trace_reader *r = trace_reader_open(path, msg, sizeof(msg));
    if (!r) {
        fprintf(err, "a64sim: %s\n", msg);
        return 2;
    }
    struct stats *s = calloc(1, sizeof(*s));
    if (!s)
        host_out_of_memory();
    struct trace_record rec;
    enum trace_read got;
    while ((got = trace_reader_next(r, &rec)) == TRACE_READ_RECORD)
        count(s, &rec);
    print(s, path, got == TRACE_READ_END, out);
    fflush(out);
    if (got != TRACE_READ_END)
        fprintf(err, "a64sim: %s\n", trace_reader_error(r));
    for (size_t i = 0; i < s->nlat; i++)
        free(s->lat[i].v);
    free(s->lat);
    free(s->pend);
    free(s);
    trace_reader_free(r);
    return got == TRACE_READ_END ? 0 : 2;
}
