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

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/host.h"
#include "traces/record.h"

#define MAX_CLASSES 64
#define LAST_LINE   72

struct outcome {
    enum run_exit reason;
    int exit_code;
    uint64_t hash; /* of the UART output */
    size_t len;
    char last[LAST_LINE]; /* the output's last line, for the table */
};

struct class
{
    struct outcome o;
    uint64_t runs, seed; /* seed: the smallest */
    bool failed;
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
           a->len == b->len;
}

/* One run with SEED, recorded to TRACE when not NULL. False (with the
 * message in ERRMSG) when the machine cannot be built or the trace not
 * written; the UART output is returned in *OUTBUF (the caller frees it). */
static bool run_seed(const struct machine_config *base, uint64_t seed, const char *trace,
                     struct outcome *o, char **outbuf, size_t *outlen, char *errmsg, size_t errlen)
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
    cfg.uart_file = out;
    cfg.diag = diag;
    cfg.trace = t;
    cfg.progress = false;
    struct machine *m = machine_new(&cfg, errmsg, errlen);
    if (!m)
        goto done;
    struct run_result r;
    machine_run(m, &r);
    machine_free(m);
    if (t && !trace_rec_finish(t, errmsg, errlen))
        goto done;
    fflush(out);
    *o = (struct outcome){.reason = r.reason, .exit_code = r.exit_code};
    o->hash = fnv1a(*outbuf, *outlen);
    o->len = *outlen;
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
    snprintf(buf, len, "exit %d (%s), %zu bytes of output", o->exit_code, names[o->reason], o->len);
}

int explore_run(const struct machine_config *cfg, const struct explore_options *opt, FILE *out,
                FILE *err)
{
    struct class classes[MAX_CLASSES];
    size_t nclasses = 0;
    uint64_t runs = 0, failed_runs = 0, other = 0;
    char msg[1200];
    size_t want_len = 0;
    char *want = NULL;
    int rc = 0;

    if (opt->expect_output) {
        want = read_file(opt->expect_output, &want_len, msg, sizeof msg);
        if (!want) {
            fprintf(err, "a64sim: %s\n", msg);
            return 2;
        }
    }
    for (uint64_t seed = opt->first;; seed++) {
        struct outcome o;
        char *buf;
        size_t len;
        if (!run_seed(cfg, seed, NULL, &o, &buf, &len, msg, sizeof msg)) {
            fprintf(err, "a64sim: explore: seed %" PRIu64 ": %s\n", seed, msg);
            free(buf);
            free(want);
            return 2;
        }
        bool bad = fails(opt, &o, buf, len, want, want_len);
        free(buf);
        runs++;
        failed_runs += bad;
        size_t k = 0;
        while (k < nclasses && !same(&classes[k].o, &o))
            k++;
        if (k == nclasses && nclasses < MAX_CLASSES)
            classes[nclasses++] = (struct class){.o = o, .seed = seed, .failed = bad};
        if (k < nclasses)
            classes[k].runs++;
        else
            other++;
        if ((bad && opt->stop_at_first) || seed == opt->last)
            break;
    }
    free(want);

    fprintf(out, "explore: %s, seeds %" PRIu64 " to %" PRIu64 ": %" PRIu64 " runs, %zu %s\n",
            cfg->image, opt->first, opt->first + runs - 1, runs, nclasses,
            nclasses == 1 ? "outcome" : "outcomes");
    fprintf(out, "%-5s  %8s  %13s  %-4s  %s\n", "class", "runs", "smallest seed", "", "outcome");
    for (size_t k = 0; k < nclasses; k++) {
        char d[160];
        describe(&classes[k].o, d, sizeof d);
        fprintf(out, "%-5zu  %8" PRIu64 "  %13" PRIu64 "  %-4s  %s\n", k + 1, classes[k].runs,
                classes[k].seed, classes[k].failed ? "FAIL" : "", d);
        fprintf(out, "%-5s  %8s  %13s  %-4s    last line: %s\n", "", "", "", "",
                classes[k].o.last[0] ? classes[k].o.last : "(none)");
    }
    if (other)
        fprintf(out, "(%" PRIu64 " runs in outcomes beyond the first %d, not listed)\n", other,
                MAX_CLASSES);
    if (failed_runs)
        rc = 1;
    /* Each failing class's smallest seed again, recorded: the trace to
     * replay and debug. */
    for (size_t k = 0; k < nclasses && opt->out_dir; k++) {
        if (!classes[k].failed)
            continue;
        char path[4096];
        struct outcome o;
        char *buf;
        size_t len;
        snprintf(path, sizeof path, "%s/explore-seed-%" PRIu64 ".trace", opt->out_dir,
                 classes[k].seed);
        if (!run_seed(cfg, classes[k].seed, path, &o, &buf, &len, msg, sizeof msg)) {
            fprintf(err, "a64sim: explore: recording seed %" PRIu64 ": %s\n", classes[k].seed, msg);
            remove(path);
            free(buf);
            return 2;
        }
        free(buf);
        fprintf(out, "class %zu: seed %" PRIu64 " recorded in %s\n", k + 1, classes[k].seed, path);
    }
    fprintf(out, "explore: %" PRIu64 " of %" PRIu64 " runs failed\n", failed_runs, runs);
    return rc;
}
