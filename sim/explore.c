/* a64sim explore (sim/explore.h, docs/explore.md).
 *
 * Each seed is a complete run of a machine built from the same
 * configuration with --race-seed set to the seed, in this process: the
 * machine is built, run and freed, nothing of one run reaches the next.
 * A run's outcome is how it ended (the reason and the exit code) and what
 * the guest wrote to the UART (its length and FNV-1a-64 hash); runs with
 * the same outcome form a class. The classes are printed in the order of
 * their smallest seed, which is also the seed to reproduce each with:
 * `a64sim run IMAGE --race-seed SEED` with the same options. */
#include "sim/explore.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>
#include <unistd.h>

#include "sim/run_check.h"
#include "sim/host.h"
#include "loader/elf.h"
#include "traces/disasm.h"
#include "traces/record.h"

#define MAX_CLASSES 64
#define MAX_JOBS    EXPLORE_MAX_JOBS
#define LAST_LINE   96
#define WHERE_LEN   200

struct outcome {
    enum run_exit reason;
    int exit_code;
    uint64_t hash; /* of the UART output, and of a deadlock's sleeping places */
    size_t len;
    uint64_t draws;        /* latencies the run drew (not part of the outcome) */
    char last[LAST_LINE];  /* the output's last line, for the table */
    char where[WHERE_LEN]; /* a deadlock: where each PE sleeps */
    bool check_false;      /* --check's expression was false at the end */
};

struct oclass {
    struct outcome o;
    uint64_t runs, seed; /* seed: the smallest */
    bool failed;
};

/* What a (sharded) exploration found: enough to print its table, and to
 * merge with the other shards' into the table one run would print. */
struct result {
    char image[1024];
    uint64_t first, last;   /* the seed range */
    unsigned shard, shards; /* this part: seeds with (seed - first) % shards == shard - 1 */
    uint64_t runs, failed;
    uint64_t draws; /* latencies drawn, all runs */
    uint64_t other; /* runs in outcomes beyond MAX_CLASSES */
    struct oclass classes[MAX_CLASSES];
    size_t nclasses;
};

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)p[i]) * 0x100000001b3ull;
    return h;
}

/* The last non-empty line of BUF, printable characters only. */
static void last_line(const char *buf, size_t len, char *line, size_t cap)
{
    size_t end = len;
    while (end > 0 && (buf[end - 1] == '\n' || buf[end - 1] == '\r'))
        end--;
    size_t start = end;
    while (start > 0 && buf[start - 1] != '\n')
        start--;
    size_t n = 0;
    for (size_t i = start; i < end && n + 1 < cap; i++)
        line[n++] = buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '.';
    line[n] = 0;
}

static bool same(const struct outcome *a, const struct outcome *b)
{
    return a->reason == b->reason && a->exit_code == b->exit_code && a->hash == b->hash &&
           a->len == b->len && a->check_false == b->check_false;
}

/* Where a PE was: the last instruction it started. */
struct place {
    bool seen;
    uint64_t pc;
    uint32_t insn;
};

/* Where a perturbed latency that ends at a PE (a GIC delivery, a timer
 * output, a vPE residency change) lands in that PE's instructions: it
 * would have landed at cycle BASE_AT, after BASE, and lands at DRAWN_AT,
 * after DRAWN. Until the earlier of the two the run is the same either
 * way; between them PE starts COUNT instructions, which the perturbation
 * moves to the other side of the landing. */
#define NOTABLE 4

struct landing {
    uint64_t index; /* the draw */
    unsigned pe;
    uint64_t base_at, drawn_at;
    uint64_t count[MAX_CPUS];                /* instructions each PE starts between the two */
    struct place notable[MAX_CPUS][NOTABLE]; /* the first distinct notable ones of them */
    unsigned nnotable[MAX_CPUS];
    struct place base, drawn;
    char text[1400]; /* the above in words, with symbols */
};

/* Instructions that touch what another agent sees or waits for: loads and
 * stores, system register moves and PSTATE writes (MSR, MRS), and WFE,
 * WFI, SEV, SEVL. */
static bool notable(uint32_t insn)
{
    if ((insn & 0x0a000000u) == 0x08000000u) /* the loads and stores encoding group */
        return true;
    if ((insn & 0xffd00000u) == 0xd5100000u) /* MSR, MRS (register) */
        return true;
    if ((insn & 0xfff8f01fu) == 0xd500401fu) /* MSR (immediate) */
        return true;
    return insn == 0xd503205fu || insn == 0xd503207fu || insn == 0xd503209fu ||
           insn == 0xd50320bfu; /* WFE, WFI, SEV, SEVL */
}

/* The draws of one run (machine_config.race_log) and, when TRACK is set,
 * where the perturbed ones land (machine_config.insn_log). */
struct draws {
    struct race_draw *d;
    size_t n, cap;
    bool track;
    struct landing *land;
    size_t nland, capland;
    struct place now[MAX_CPUS]; /* each PE's last instruction so far */
};

static void *grow(void *p, size_t *cap, size_t size)
{
    *cap = *cap ? 2 * *cap : 16;
    void *np = realloc(p, *cap * size);
    if (!np)
        host_out_of_memory();
    return np;
}

static void log_draw(void *opaque, const struct race_draw *d)
{
    struct draws *l = opaque;
    if (l->n == l->cap)
        l->d = grow(l->d, &l->cap, sizeof *l->d);
    l->d[l->n++] = *d;
    bool at_pe =
        d->kind == RACE_GIC_DELIVERY || d->kind == RACE_TIMER || d->kind == RACE_VPE_RESIDENCY;
    if (!l->track || !at_pe || d->value == d->base || d->pe >= MAX_CPUS)
        return;
    if (l->nland == l->capland)
        l->land = grow(l->land, &l->capland, sizeof *l->land);
    l->land[l->nland++] = (struct landing){.index = d->index,
                                           .pe = d->pe,
                                           .base_at = d->cycle + d->base,
                                           .drawn_at = d->cycle + d->value,
                                           .base = l->now[d->pe],
                                           .drawn = l->now[d->pe]};
}

static void log_insn(void *opaque, unsigned pe, uint64_t cycle, uint64_t pc, uint32_t insn)
{
    struct draws *l = opaque;
    struct place here = {true, pc, insn};
    for (size_t k = 0; k < l->nland; k++) {
        struct landing *w = &l->land[k];
        uint64_t lo = w->base_at < w->drawn_at ? w->base_at : w->drawn_at;
        uint64_t hi = w->base_at < w->drawn_at ? w->drawn_at : w->base_at;
        if (cycle >= lo && cycle < hi && pe < MAX_CPUS) {
            w->count[pe]++;
            bool known = false;
            for (unsigned j = 0; j < w->nnotable[pe]; j++)
                known |= w->notable[pe][j].pc == pc;
            if (notable(insn) && !known && w->nnotable[pe] < NOTABLE)
                w->notable[pe][w->nnotable[pe]++] = here;
        }
        if (w->pe != pe)
            continue;
        if (cycle < w->drawn_at)
            w->drawn = here;
        if (cycle < w->base_at)
            w->base = here;
    }
    if (pe < MAX_CPUS)
        l->now[pe] = here;
}

/* "its wfe at 0x400810fc <main+0xdc>" for P, with the symbols of IMG. */
static void place_text(const struct place *p, const struct elf_image *img, struct disasm *dis,
                       char *buf, size_t len)
{
    const char *name;
    uint64_t off;
    char sym[120] = "", ins[80];
    if (!p->seen) {
        snprintf(buf, len, "the start");
        return;
    }
    if (img && elf_symbol_at(img, p->pc, &name, &off))
        snprintf(sym, sizeof sym, " <%s+0x%" PRIx64 ">", name, off);
    if (dis)
        disasm_one(dis, p->insn, p->pc, ins, sizeof ins);
    else
        snprintf(ins, sizeof ins, ".inst 0x%08" PRIx32, p->insn);
    snprintf(buf, len, "its %s at 0x%" PRIx64 "%s", ins, p->pc, sym);
}

/* ", among them its ldr ... at ..., its wfe at ..." for PE's notable
 * instructions in W, appended to BUF at *AT. */
static void append(char *buf, size_t len, size_t *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = *at < len ? vsnprintf(buf + *at, len - *at, fmt, ap) : 0;
    va_end(ap);
    if (n > 0)
        *at = *at + (size_t)n < len ? *at + (size_t)n : len - 1;
}

static void append_notable(const struct landing *w, unsigned pe, const struct elf_image *img,
                           struct disasm *dis, char *buf, size_t len, size_t *at)
{
    for (unsigned j = 0; j < w->nnotable[pe]; j++) {
        char p[160];
        place_text(&w->notable[pe][j], img, dis, p, sizeof p);
        append(buf, len, at, "%s%s", j ? ", " : ",\n      among them ", p);
    }
}

/* Each landing of L in words, with the symbols of M's image: where it
 * lands on its PE, and what the other PEs start in between. */
static void describe_landings(struct draws *l, struct machine *m)
{
    struct disasm *dis = l->nland ? disasm_new() : NULL;
    const struct elf_image *img = machine_image(m);
    unsigned npe = machine_cpu_count(m) < MAX_CPUS ? machine_cpu_count(m) : MAX_CPUS;
    for (size_t k = 0; k < l->nland; k++) {
        struct landing *w = &l->land[k];
        char drawn[150], base[150];
        size_t at = 0;
        uint64_t n = w->count[w->pe];
        place_text(&w->drawn, img, dis, drawn, sizeof drawn);
        place_text(&w->base, img, dis, base, sizeof base);
        if (n == 0)
            append(w->text, sizeof w->text, &at,
                   "it reaches PE %u after %s, as unperturbed (PE %u starts no "
                   "instruction in between)",
                   w->pe, drawn, w->pe);
        else
            append(w->text, sizeof w->text, &at,
                   "it reaches PE %u after %s instead of after %s: %" PRIu64 " instruction%s %s",
                   w->pe, drawn, base, n, n == 1 ? "" : "s",
                   w->drawn_at > w->base_at ? "later" : "earlier");
        append_notable(w, w->pe, img, dis, w->text, sizeof w->text, &at);
        for (unsigned pe = 0; pe < npe; pe++) {
            if (pe == w->pe || w->count[pe] == 0)
                continue;
            append(w->text, sizeof w->text, &at,
                   "\n    meanwhile PE %u starts %" PRIu64 " instruction%s", pe, w->count[pe],
                   w->count[pe] == 1 ? "" : "s");
            append_notable(w, pe, img, dis, w->text, sizeof w->text, &at);
        }
    }
    disasm_free(dis);
}

/* A deadlock's signature: where every PE sleeps, from the "asleep in"
 * lines of the stop report ("a64sim: pe1: asleep in WFI at pc 0x... <f+0x28>,
 * EL1, ..."), written into WHERE as "pe1 WFI at f+0x28" (or "at pc 0x..."
 * without a symbol), joined by ", ", and hashed. */
static uint64_t deadlock_signature(struct machine *m, const struct run_result *r, char *where,
                                   size_t cap)
{
    char *buf = NULL;
    size_t len = 0, k = 0;
    FILE *f = open_memstream(&buf, &len);

    where[0] = 0;
    if (!f)
        return 0;
    machine_report(m, r, f);
    fclose(f);
    for (char *line = buf; line && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = 0;
        char *pe = strstr(line, " pe"), *in = strstr(line, ": asleep in ");
        if (pe && in && pe < in) {
            char *kind = in + 12, *at = strchr(kind, ' '), *sym = strchr(kind, '<');
            char *comma = strchr(kind, ',');
            int kl = at ? (int)(at - kind) : (int)strlen(kind);
            int n;
            if (sym && (!comma || sym < comma) && strchr(sym, '>'))
                n = snprintf(where + k, cap - k, "%s%.*s %.*s at %.*s", k ? ", " : "",
                             (int)(in - pe - 1), pe + 1, kl, kind,
                             (int)(strchr(sym, '>') - sym - 1), sym + 1);
            else
                n = snprintf(where + k, cap - k, "%s%.*s %.*s%.*s", k ? ", " : "",
                             (int)(in - pe - 1), pe + 1, kl, kind,
                             comma ? (int)(comma - kind - kl) : 0, kind + kl);
            if (n > 0)
                k = k + (size_t)n < cap ? k + (size_t)n : cap - 1;
        }
        line = end ? end + 1 : NULL;
    }
    free(buf);
    return fnv1a(where, k);
}

/* What a minimising run changes: which draws keep their perturbed value
 * (KEEP, LEN entries; NULL: all), and where the draws go (LOG, or NULL). */
struct variant {
    const uint8_t *keep;
    size_t len;
    struct draws *log;
};

/* One run with SEED, recorded to TRACE when not NULL, its end checked by
 * CHK when not NULL. False (with the message in ERRMSG) when the machine
 * cannot be built, the trace not written or the check not evaluated; the
 * UART output is returned in *OUTBUF (the caller frees it). */
static bool run_seed_as(const struct machine_config *base, const struct run_check *chk,
                        uint64_t seed, const char *trace, const struct variant *var,
                        struct outcome *o, char **outbuf, size_t *outlen, char *errmsg,
                        size_t errlen)
{
    struct machine_config cfg = *base;
    FILE *diag = fopen("/dev/null", "w");
    FILE *out = open_memstream(outbuf, outlen);
    struct trace_rec *t = trace ? trace_rec_new_file(trace) : NULL;
    bool ok = false;

    *outbuf = NULL;
    *outlen = 0;
    if (!diag || !out) {
        snprintf(errmsg, errlen, "cannot capture a run's output: %s", strerror(errno));
        goto done;
    }
    cfg.race_seed = seed;
    if (!cfg.uart_in)
        cfg.uart_in = "/dev/null"; /* never the terminal: every run sees the same input */
    cfg.uart_file = out;
    cfg.diag = diag;
    cfg.trace = t;
    cfg.progress = false;
    if (var) {
        cfg.race_keep = var->keep;
        cfg.race_keep_len = var->len;
        cfg.race_log = var->log ? log_draw : NULL;
        cfg.race_log_opaque = var->log;
        if (var->log && var->log->track) {
            cfg.insn_log = log_insn;
            cfg.insn_log_opaque = var->log;
        }
    }
    struct machine *m = machine_new(&cfg, errmsg, errlen);
    if (!m)
        goto done;
    struct run_result r;
    machine_run(m, &r);
    uint64_t draws = machine_race_draws(m);
    char where[WHERE_LEN] = "";
    uint64_t sig = 0;
    if (r.reason == RUN_DEADLOCK)
        sig = deadlock_signature(m, &r, where, sizeof where);
    if (var && var->log && var->log->track)
        describe_landings(var->log, m);
    bool holds = true;
    if (chk) {
        fflush(out);
        if (!run_check_eval(chk, m, &r, *outbuf, &holds, errmsg, errlen)) {
            machine_free(m);
            goto done;
        }
    }
    machine_free(m);
    if (t && !trace_rec_finish(t, errmsg, errlen))
        goto done;
    fflush(out);
    *o = (struct outcome){.reason = r.reason, .exit_code = r.exit_code, .draws = draws};
    o->hash = fnv1a(*outbuf, *outlen) ^ sig;
    memcpy(o->where, where, sizeof o->where);
    o->len = *outlen;
    o->check_false = !holds;
    last_line(*outbuf, *outlen, o->last, sizeof o->last);
    ok = true;
done:
    if (out)
        fclose(out);
    if (diag)
        fclose(diag);
    trace_rec_free(t);
    return ok;
}

static bool run_seed(const struct machine_config *base, const struct run_check *chk, uint64_t seed,
                     const char *trace, struct outcome *o, char **outbuf, size_t *outlen,
                     char *errmsg, size_t errlen)
{
    return run_seed_as(base, chk, seed, trace, NULL, o, outbuf, outlen, errmsg, errlen);
}

/* The file EXPECT_OUTPUT, whole; NULL with the message in ERRMSG. */
static char *read_file(const char *path, size_t *len, char *errmsg, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;

    *len = 0;
    if (!f) {
        snprintf(errmsg, errlen, "%s: cannot open for --expect-output: %s", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (*len == cap) {
            cap = cap ? 2 * cap : 4096;
            char *nb = realloc(buf, cap);
            if (!nb)
                host_out_of_memory();
            buf = nb;
        }
        size_t n = fread(buf + *len, 1, cap - *len, f);
        *len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    return buf;
}

static bool fails(const struct explore_options *opt, const struct outcome *o, const char *output,
                  size_t len, const char *want, size_t want_len)
{
    if (opt->expect_exit && o->exit_code != opt->exit_code)
        return true;
    if (o->check_false)
        return true;
    return want && (len != want_len || memcmp(output, want, len) != 0);
}

static void describe(const struct outcome *o, char *buf, size_t len)
{
    static const char *const names[] = {
        [RUN_POWER_OFF] = "powered off",
        [RUN_SEMIHOST_EXIT] = "semihosting exit",
        [RUN_DEADLOCK] = "deadlock",
        [RUN_GUEST_FAULT] = "guest fault",
        [RUN_LIMIT_INSNS] = "instruction limit",
        [RUN_LIMIT_CYCLES] = "cycle limit",
        [RUN_SYSTEM_RESET] = "system reset",
        [RUN_ALL_OFF] = "every PE off",
        [RUN_TRACE_STOPPED] = "trace stopped",
        [RUN_INTERRUPTED] = "interrupted",
        [RUN_OUTPUT_FAILED] = "output failed",
    };
    if (o->where[0])
        snprintf(buf, len, "exit %d (%s: %s), %zu bytes of output%s", o->exit_code,
                 names[o->reason], o->where, o->len, o->check_false ? ", check false" : "");
    else
        snprintf(buf, len, "exit %d (%s), %zu bytes of output%s", o->exit_code, names[o->reason],
                 o->len, o->check_false ? ", check false" : "");
}

/* Count one run of outcome O into R, keeping the classes in order of
 * their smallest seed (a merge adds classes in any order: see sort). */
static void add_class(struct result *r, const struct oclass *c)
{
    for (size_t k = 0; k < r->nclasses; k++) {
        struct oclass *have = &r->classes[k];
        if (!same(&have->o, &c->o))
            continue;
        have->runs += c->runs;
        if (c->seed < have->seed)
            have->seed = c->seed;
        return;
    }
    if (r->nclasses < MAX_CLASSES)
        r->classes[r->nclasses++] = *c;
    else
        r->other += c->runs;
}

static int by_seed(const void *a, const void *b)
{
    const struct oclass *x = a, *y = b;
    return x->seed < y->seed ? -1 : x->seed > y->seed;
}

static void print_table(const struct result *r, FILE *out)
{
    fprintf(out, "explore: %s, seeds %" PRIu64 " to %" PRIu64, r->image, r->first, r->last);
    if (r->shards > 1)
        fprintf(out, ", shard %u/%u", r->shard, r->shards);
    fprintf(out, ": %" PRIu64 " runs, %zu %s\n", r->runs, r->nclasses,
            r->nclasses == 1 ? "outcome" : "outcomes");
    fprintf(out, "%-5s  %8s  %13s  %-4s  %s\n", "class", "runs", "smallest seed", "", "outcome");
    for (size_t k = 0; k < r->nclasses; k++) {
        char d[320];
        describe(&r->classes[k].o, d, sizeof d);
        fprintf(out, "%-5zu  %8" PRIu64 "  %13" PRIu64 "  %-4s  %s\n", k + 1, r->classes[k].runs,
                r->classes[k].seed, r->classes[k].failed ? "FAIL" : "", d);
        fprintf(out, "%-5s  %8s  %13s  %-4s    last line: %s\n", "", "", "", "",
                r->classes[k].o.last[0] ? r->classes[k].o.last : "(none)");
    }
    if (r->other)
        fprintf(out, "(%" PRIu64 " runs in outcomes beyond the first %d, not listed)\n", r->other,
                MAX_CLASSES);
}

/* ---- Results files: one shard's classes, for --merge ------------------------ */

#define RESULTS_MAGIC "a64sim explore results 1"

static void write_results_f(const struct result *r, FILE *f)
{
    fprintf(f,
            "%s\nimage %s\nseeds %" PRIu64 " %" PRIu64 "\nshard %u %u\nruns %" PRIu64 " %" PRIu64
            " %" PRIu64 " %" PRIu64 "\n",
            RESULTS_MAGIC, r->image, r->first, r->last, r->shard, r->shards, r->runs, r->failed,
            r->other, r->draws);
    for (size_t k = 0; k < r->nclasses; k++) {
        const struct oclass *c = &r->classes[k];
        fprintf(f, "class %d %d %016" PRIx64 " %zu %" PRIu64 " %" PRIu64 " %d %s\n",
                (int)c->o.reason, c->o.exit_code, c->o.hash, c->o.len, c->runs, c->seed,
                (c->failed ? 1 : 0) | (c->o.check_false ? 2 : 0), c->o.last);
        if (c->o.where[0])
            fprintf(f, "where %s\n", c->o.where);
    }
    fputs("end\n", f);
}

static bool write_results(const struct result *r, const char *path, char *msg, size_t len)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(msg, len, "%s: cannot create for --results: %s", path, strerror(errno));
        return false;
    }
    write_results_f(r, f);
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok) {
        snprintf(msg, len, "%s: cannot write: %s", path, strerror(errno));
        remove(path);
        return false;
    }
    return true;
}

/* Read one results file into R; false with "PATH:LINE: problem". */
static bool read_results_f(FILE *f, const char *path, struct result *r, char *msg, size_t len)
{
    char line[1400];
    unsigned n = 0;
    bool head[5] = {false}, end = false;

    memset(r, 0, sizeof *r);
    while (fgets(line, sizeof line, f)) {
        n++;
        line[strcspn(line, "\n")] = 0;
        bool ok = !end;
        if (end) {
            snprintf(msg, len, "%s:%u: a line after the end: '%.60s'", path, n, line);
            return false;
        } else if (!strcmp(line, "end")) {
            end = true;
        } else if (n == 1) {
            ok = !strcmp(line, RESULTS_MAGIC);
            head[0] = ok;
        } else if (!strncmp(line, "image ", 6)) {
            size_t l = strlen(line + 6);
            ok = l < sizeof r->image;
            if (ok)
                memcpy(r->image, line + 6, l + 1);
            head[1] = ok;
        } else if (!strncmp(line, "seeds ", 6)) {
            ok = sscanf(line + 6, "%" SCNu64 " %" SCNu64, &r->first, &r->last) == 2 &&
                 r->first >= 1 && r->first <= r->last;
            head[2] = ok;
        } else if (!strncmp(line, "shard ", 6)) {
            ok = sscanf(line + 6, "%u %u", &r->shard, &r->shards) == 2 && r->shard >= 1 &&
                 r->shard <= r->shards;
            head[3] = ok;
        } else if (!strncmp(line, "runs ", 5)) {
            ok = sscanf(line + 5, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64, &r->runs,
                        &r->failed, &r->other, &r->draws) == 4;
            head[4] = ok;
        } else if (!strncmp(line, "where ", 6) && r->nclasses) {
            snprintf(r->classes[r->nclasses - 1].o.where, WHERE_LEN, "%.*s", WHERE_LEN - 1,
                     line + 6);
        } else if (!strncmp(line, "class ", 6)) {
            struct oclass c = {0};
            int reason, failed, used = 0;
            ok = sscanf(line + 6, "%d %d %" SCNx64 " %zu %" SCNu64 " %" SCNu64 " %d %n", &reason,
                        &c.o.exit_code, &c.o.hash, &c.o.len, &c.runs, &c.seed, &failed,
                        &used) == 7 &&
                 reason >= 0 && reason <= RUN_OUTPUT_FAILED;
            if (ok && r->nclasses == MAX_CLASSES) {
                snprintf(msg, len, "%s:%u: more than %d classes", path, n, MAX_CLASSES);
                return false;
            }
            if (ok) {
                c.o.reason = (enum run_exit)reason;
                c.failed = failed & 1;
                c.o.check_false = failed & 2;
                snprintf(c.o.last, sizeof c.o.last, "%s", line + 6 + used);
                r->classes[r->nclasses++] = c;
            }
        } else {
            ok = false;
        }
        if (!ok) {
            snprintf(msg, len, "%s:%u: not an explore results line: '%.60s'", path, n, line);
            return false;
        }
    }
    for (unsigned i = 0; i < 5; i++) {
        if (!head[i] || !end) {
            snprintf(msg, len, "%s: not a complete explore results file (written by --results): %s",
                     path, end ? "a header line is missing" : "cut short, no end line");
            return false;
        }
    }
    /* The counts must add up: each run is in one class, or in "other". */
    uint64_t runs = r->other, failed = 0;
    for (size_t k = 0; k < r->nclasses; k++) {
        runs += r->classes[k].runs;
        failed += r->classes[k].failed ? r->classes[k].runs : 0;
    }
    if (runs != r->runs || failed > r->failed || r->failed > failed + r->other) {
        snprintf(msg, len,
                 "%s: the classes hold %" PRIu64 " runs (%" PRIu64
                 " failed), the header says %" PRIu64 " (%" PRIu64 " failed)",
                 path, runs, failed, r->runs, r->failed);
        return false;
    }
    return true;
}

static bool read_results(const char *path, struct result *r, char *msg, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(msg, len, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    bool ok = read_results_f(f, path, r, msg, len);
    fclose(f);
    return ok;
}

/* ---- The exploration ------------------------------------------------------------ */

static void record_failures(const struct machine_config *cfg, const struct explore_options *opt,
                            const struct result *r, FILE *out, FILE *err, int *rc)
{
    const char *dir = opt->out_dir;
    char msg[1200];

    for (size_t k = 0; k < r->nclasses && dir; k++) {
        if (!r->classes[k].failed)
            continue;
        char path[4096];
        struct outcome o;
        char *buf;
        size_t len;
        snprintf(path, sizeof path, "%s/explore-seed-%" PRIu64 ".trace", dir, r->classes[k].seed);
        bool ok =
            run_seed(cfg, opt->check, r->classes[k].seed, path, &o, &buf, &len, msg, sizeof msg);
        free(buf);
        if (!ok) {
            fprintf(err, "a64sim: explore: recording seed %" PRIu64 ": %s\n", r->classes[k].seed,
                    msg);
            remove(path);
            *rc = 2;
            return;
        }
        fprintf(out, "class %zu: seed %" PRIu64 " recorded in %s\n", k + 1, r->classes[k].seed,
                path);
    }
}

/* ---- --minimize: the fewest perturbed latencies that still fail ------------------ */

struct expectation {
    const struct explore_options *opt;
    const char *want;
    size_t want_len;
};

/* Run SEED keeping the perturbation of the draws in SET (N indices)
 * only; true when the run fails. *ERR set when the run could not be
 * made. */
static bool fails_with(const struct machine_config *cfg, uint64_t seed, const uint64_t *set,
                       size_t n, const struct expectation *e, struct draws *log, bool *err)
{
    uint64_t top = 0;
    for (size_t i = 0; i < n; i++)
        top = set[i] + 1 > top ? set[i] + 1 : top;
    uint8_t *keep = calloc(top ? top : 1, 1);
    if (!keep)
        host_out_of_memory();
    for (size_t i = 0; i < n; i++)
        keep[set[i]] = 1;
    struct variant var = {keep, top, log};
    struct outcome o;
    char *buf, msg[1200];
    size_t len;
    bool ok = run_seed_as(cfg, e->opt->check, seed, NULL, &var, &o, &buf, &len, msg, sizeof msg);
    bool bad = ok && fails(e->opt, &o, buf, len, e->want, e->want_len);
    free(buf);
    free(keep);
    *err |= !ok;
    return bad;
}

static const char *kind_name(enum race_kind k)
{
    switch (k) {
    case RACE_GIC_DELIVERY: return "the GIC's delivery to PE";
    case RACE_ITS_COMMAND: return "an ITS command";
    case RACE_VPE_RESIDENCY: return "a vPE residency change at PE";
    case RACE_POWER_ON: return "PSCI CPU_ON of PE";
    case RACE_TIMER: return "a timer output's way to the GIC at PE";
    case RACE_QUANTUM: return "a round";
    case RACE_ORDER: return "a round's first PE";
    case RACE_KINDS: break;
    }
    return "";
}

/* Delta debugging (Zeller's ddmin) over the draws SEED perturbed: drop
 * chunks of them, keeping what still fails, until no single one can go. */
static void minimize(const struct machine_config *cfg, uint64_t seed, size_t cls,
                     const struct expectation *e, FILE *out, FILE *err)
{
    struct draws log = {0};
    bool bad = false;
    uint64_t *set, *trial;
    size_t n = 0, runs = 0;

    if (!fails_with(cfg, seed, NULL, 0, e, NULL, &bad) && !bad) {
        /* fine without any perturbation: the failure needs some */
    } else {
        fprintf(out,
                "class %zu: seed %" PRIu64 " fails with no latency perturbed: its failure "
                "does not depend on the race\n",
                cls, seed);
        return;
    }
    struct variant all = {NULL, 0, &log};
    struct outcome o;
    char *buf, msg[1200];
    size_t len;
    if (!run_seed_as(cfg, e->opt->check, seed, NULL, &all, &o, &buf, &len, msg, sizeof msg)) {
        fprintf(err, "a64sim: explore --minimize: seed %" PRIu64 ": %s\n", seed, msg);
        free(buf);
        free(log.d);
        return;
    }
    free(buf);
    set = calloc(log.n + 1, sizeof *set);
    trial = calloc(log.n + 1, sizeof *trial);
    if (!set || !trial)
        host_out_of_memory();
    for (size_t i = 0; i < log.n; i++)
        if (log.d[i].value != log.d[i].base)
            set[n++] = log.d[i].index;
    size_t perturbed = n, chunks = 2;
    while (n >= 2) {
        size_t size = (n + chunks - 1) / chunks;
        bool reduced = false;
        for (size_t c = 0; c * size < n && !reduced; c++) {
            size_t m = 0;
            for (size_t i = 0; i < n; i++)
                if (i / size != c)
                    trial[m++] = set[i];
            runs++;
            if (fails_with(cfg, seed, trial, m, e, NULL, &bad)) {
                memcpy(set, trial, m * sizeof *set);
                n = m;
                chunks = chunks > 2 ? chunks - 1 : 2;
                reduced = true;
            }
        }
        if (reduced)
            continue;
        if (chunks >= n)
            break;
        chunks = 2 * chunks < n ? 2 * chunks : n;
    }
    /* The kept draws as the final run makes them. */
    log.n = 0;
    log.track = true;
    runs++;
    bool still = fails_with(cfg, seed, set, n, e, &log, &bad);
    if (bad || !still) {
        fprintf(err, "a64sim: explore --minimize: seed %" PRIu64 " could not be reduced\n", seed);
    } else {
        fprintf(out,
                "class %zu: seed %" PRIu64 " fails with %zu of its %zu perturbed latencies "
                "(%zu runs to find them):\n",
                cls, seed, n, perturbed, runs);
        for (size_t i = 0; i < log.n; i++) {
            const struct race_draw *d = &log.d[i];
            bool kept = false;
            for (size_t k = 0; k < n; k++)
                kept |= set[k] == d->index;
            if (!kept)
                continue;
            fprintf(out, "  %s", kind_name(d->kind));
            if (d->kind != RACE_ITS_COMMAND)
                fprintf(out, " %u", d->pe);
            fprintf(out,
                    " from cycle %" PRIu64 " takes %" PRIu64 " cycles instead of %" PRIu64
                    " (draw %" PRIu64 ")\n",
                    d->cycle, d->value, d->base, d->index);
            for (size_t k = 0; k < log.nland; k++)
                if (log.land[k].index == d->index)
                    fprintf(out, "    %s\n", log.land[k].text);
        }
    }
    free(set);
    free(trial);
    free(log.d);
    free(log.land);
}

/* The seeds first + OFFSET, first + OFFSET + STRIDE, ... up to the last,
 * into R; false with the failing seed's problem in MSG. Progress on
 * PROGRESS (NULL: none) when it is a terminal. */
static bool run_part(const struct machine_config *cfg, const struct explore_options *opt,
                     uint64_t offset, uint64_t stride, const char *want, size_t want_len,
                     struct result *r, FILE *progress, char *msg, size_t len)
{
    bool tty = progress && isatty(fileno(progress));
    for (uint64_t seed = opt->first + offset; seed <= opt->last; seed += stride) {
        struct oclass c = {.runs = 1, .seed = seed};
        char *buf, why[1000];
        size_t n;
        if (!run_seed(cfg, opt->check, seed, NULL, &c.o, &buf, &n, why, sizeof why)) {
            snprintf(msg, len, "seed %" PRIu64 ": %.1000s", seed, why);
            free(buf);
            return false;
        }
        c.failed = fails(opt, &c.o, buf, n, want, want_len);
        free(buf);
        r->runs++;
        r->failed += c.failed;
        r->draws += c.o.draws;
        add_class(r, &c);
        if (tty && r->runs % 256 == 0)
            fprintf(progress,
                    "\r\033[Kexplore: %" PRIu64 " runs, %zu outcome%s, %" PRIu64 " failed%s",
                    r->runs, r->nclasses, r->nclasses == 1 ? "" : "s", r->failed,
                    opt->jobs > 1 ? " (worker 1)" : "");
        if ((c.failed && opt->stop_at_first) || seed > opt->last - stride)
            break;
    }
    if (tty && r->runs >= 256)
        fputs("\r\033[K", progress);
    return true;
}

/* --jobs J: J worker processes, each a part of the seeds, their classes
 * sent back through a pipe in the results format and merged. */
static bool run_jobs(const struct machine_config *cfg, const struct explore_options *opt,
                     uint64_t offset, uint64_t stride, const char *want, size_t want_len,
                     struct result *r, char *msg, size_t len)
{
    unsigned jobs = opt->jobs;
    pid_t pids[MAX_JOBS];
    FILE *from[MAX_JOBS];
    bool ok = true;

    fflush(NULL);
    for (unsigned j = 0; j < jobs; j++) {
        int fd[2];
        if (pipe(fd) != 0 || (pids[j] = fork()) < 0) {
            snprintf(msg, len, "cannot start worker %u: %s", j + 1, strerror(errno));
            jobs = j;
            ok = false;
            break;
        }
        if (pids[j] == 0) {
            static struct result part;
            char why[1200];
            close(fd[0]);
            FILE *to = fdopen(fd[1], "w");
            part = *r; /* the header: image, seeds, shard */
            bool good = run_part(cfg, opt, offset + j * stride, stride * jobs, want, want_len,
                                 &part, j == 0 ? stderr : NULL, why, sizeof why);
            if (!good)
                fprintf(stderr, "a64sim: explore: %s\n", why);
            if (to && good)
                write_results_f(&part, to);
            if (to)
                fclose(to);
            _exit(good ? 0 : 2);
        }
        close(fd[1]);
        from[j] = fdopen(fd[0], "r");
    }
    for (unsigned j = 0; j < jobs; j++) {
        static struct result part;
        char name[32], why[1200];
        int status = 0;
        snprintf(name, sizeof name, "worker %u", j + 1);
        bool got = from[j] && read_results_f(from[j], name, &part, why, sizeof why);
        if (from[j])
            fclose(from[j]);
        waitpid(pids[j], &status, 0);
        if (!got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            if (ok)
                snprintf(msg, len, "worker %u failed", j + 1);
            ok = false;
            continue;
        }
        r->runs += part.runs;
        r->failed += part.failed;
        r->draws += part.draws;
        r->other += part.other;
        for (size_t k = 0; k < part.nclasses; k++)
            add_class(r, &part.classes[k]);
    }
    qsort(r->classes, r->nclasses, sizeof r->classes[0], by_seed);
    return ok;
}

int explore_run(const struct machine_config *cfg, const struct explore_options *opt, FILE *out,
                FILE *err)
{
    static struct result r;
    char msg[1200];
    size_t want_len = 0;
    char *want = NULL;
    int rc = 0;

    memset(&r, 0, sizeof r);
    snprintf(r.image, sizeof r.image, "%s", cfg->image);
    r.first = opt->first;
    r.last = opt->last;
    r.shard = opt->shards ? opt->shard : 1;
    r.shards = opt->shards ? opt->shards : 1;
    if (opt->expect_output) {
        want = read_file(opt->expect_output, &want_len, msg, sizeof msg);
        if (!want) {
            fprintf(err, "a64sim: %s\n", msg);
            return 2;
        }
    }
    bool ok =
        opt->jobs > 1
            ? run_jobs(cfg, opt, r.shard - 1, r.shards, want, want_len, &r, msg, sizeof msg)
            : run_part(cfg, opt, r.shard - 1, r.shards, want, want_len, &r, err, msg, sizeof msg);
    if (!ok) {
        fprintf(err, "a64sim: explore: %s\n", msg);
        free(want);
        return 2;
    }
    print_table(&r, out);
    if (r.runs && r.draws == 0)
        fprintf(out, "explore: no run drew a latency to perturb (no GIC delivery, ITS command or "
                     "vPE residency change with a latency above 0): the seeds cannot differ\n");
    if (opt->results && !write_results(&r, opt->results, msg, sizeof msg)) {
        fprintf(err, "a64sim: %s\n", msg);
        free(want);
        return 2;
    }
    if (r.failed)
        rc = 1;
    record_failures(cfg, opt, &r, out, err, &rc);
    for (size_t k = 0; k < r.nclasses && opt->minimize; k++) {
        struct expectation e = {opt, want, want_len};
        if (r.classes[k].failed)
            minimize(cfg, r.classes[k].seed, k + 1, &e, out, err);
    }
    free(want);
    fprintf(out, "explore: %" PRIu64 " of %" PRIu64 " runs failed\n", r.failed, r.runs);
    return rc;
}

int explore_merge(char **paths, int n, FILE *out, FILE *err)
{
    static struct result all, part;
    char msg[1200];
    bool seen[4096] = {false};

    memset(&all, 0, sizeof all);
    for (int i = 0; i < n; i++) {
        if (!read_results(paths[i], &part, msg, sizeof msg)) {
            fprintf(err, "a64sim: explore --merge: %s\n", msg);
            return 2;
        }
        if (i == 0) {
            snprintf(all.image, sizeof all.image, "%s", part.image);
            all.first = part.first, all.last = part.last, all.shards = part.shards;
        } else if (strcmp(part.image, all.image) || part.first != all.first ||
                   part.last != all.last || part.shards != all.shards) {
            fprintf(err,
                    "a64sim: explore --merge: %s: another exploration (image, seeds or shard "
                    "count differ from %s)\n",
                    paths[i], paths[0]);
            return 2;
        }
        if (part.shards > sizeof seen || seen[part.shard - 1]) {
            fprintf(err, "a64sim: explore --merge: %s: shard %u/%u given twice\n", paths[i],
                    part.shard, part.shards);
            return 2;
        }
        seen[part.shard - 1] = true;
        all.runs += part.runs;
        all.failed += part.failed;
        all.other += part.other;
        for (size_t k = 0; k < part.nclasses; k++)
            add_class(&all, &part.classes[k]);
    }
    for (unsigned s = 0; s < all.shards; s++) {
        if (!seen[s]) {
            fprintf(err, "a64sim: explore --merge: shard %u/%u is missing\n", s + 1, all.shards);
            return 2;
        }
    }
    all.shard = 1;
    all.shards = 1;
    qsort(all.classes, all.nclasses, sizeof all.classes[0], by_seed);
    print_table(&all, out);
    fprintf(out, "explore: %" PRIu64 " of %" PRIu64 " runs failed\n", all.failed, all.runs);
    return all.failed ? 1 : 0;
}
