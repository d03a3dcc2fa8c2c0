/* The full decode-coverage sweep: every one of the 2^32 instruction words
 * judged against Capstone 4.0.2 by the same rules as the unit test
 * (capstone_compare.h), split over threads. It takes minutes, not seconds,
 * so it is not part of `make check`; docs/decode-coverage.md records the
 * counts of its last run.
 *
 * Build and run from the repository root (after `make build/libsim.a`):
 *   cc -std=c11 -O2 -D_DEFAULT_SOURCE -I. $(pkg-config --cflags capstone) \
 *      tests/coverage/full_sweep.c build/libsim.a \
 *      $(pkg-config --libs capstone libelf) -lpthread -lm -o build/full_sweep
 *   build/full_sweep [THREADS [FIRST LAST]]
 * FIRST and LAST (hexadecimal, inclusive) restrict the sweep to a range.
 * Exit status: 0 when every disagreement is a documented class, 1 if not.
 *
 * The counts do not depend on the number of threads: each thread judges a
 * contiguous range into its own tally, and the tallies are merged in range
 * order, so the words shown are always the lowest disagreeing ones.
 */
#include <pthread.h>
#include <stdlib.h>

#include "tests/coverage/capstone_compare.h"

#define MAX_THREADS 64

struct job {
    uint64_t first, last; /* inclusive */
    struct cov_tally tally;
    bool opened;
};

static void *run_job(void *arg)
{
    struct job *job = arg;
    struct cov_ctx ctx;
    job->opened = cov_open(&ctx);
    if (!job->opened)
        return NULL;
    for (uint64_t w = job->first; w <= job->last; w++)
        cov_judge(&ctx, &job->tally, (uint32_t)w);
    cov_close(&ctx);
    return NULL;
}

static bool parse_args(int argc, char **argv, unsigned *threads, uint64_t *first, uint64_t *last)
{
    *threads = 2;
    *first = 0;
    *last = UINT32_MAX;
    if (argc > 1)
        *threads = (unsigned)strtoul(argv[1], NULL, 10);
    if (argc > 3) {
        *first = strtoull(argv[2], NULL, 16);
        *last = strtoull(argv[3], NULL, 16);
    }
    return (argc == 1 || argc == 2 || argc == 4) && *threads >= 1 && *threads <= MAX_THREADS &&
           *first <= *last && *last <= UINT32_MAX;
}

int main(int argc, char **argv)
{
    static struct job jobs[MAX_THREADS];
    pthread_t tids[MAX_THREADS];
    unsigned n;
    uint64_t first, last;
    if (!parse_args(argc, argv, &n, &first, &last)) {
        fprintf(stderr, "usage: %s [THREADS(1-%d) [FIRST LAST (hex)]]\n", argv[0], MAX_THREADS);
        return 2;
    }
    /* The decoder builds its tables on first use without a lock: do it
     * here, before any thread can race to it. */
    (void)decode_family_name(0);
    uint64_t span = (last - first + 1 + n - 1) / n;
    for (unsigned i = 0; i < n; i++) {
        jobs[i].first = first + i * span;
        jobs[i].last = jobs[i].first + span - 1 > last ? last : jobs[i].first + span - 1;
        if (jobs[i].first > last)
            jobs[i].last = jobs[i].first - 1; /* empty */
        pthread_create(&tids[i], NULL, run_job, &jobs[i]);
    }
    struct cov_tally *total = calloc(1, sizeof(*total));
    bool opened = true;
    for (unsigned i = 0; i < n; i++) {
        pthread_join(tids[i], NULL);
        opened = opened && jobs[i].opened;
        cov_merge(total, &jobs[i].tally);
    }
    if (!opened) {
        fprintf(stderr, "Capstone: cannot open an ARM64 handle\n");
        return 2;
    }
    char what[64];
    snprintf(what, sizeof(what), "full sweep %08" PRIx64 "-%08" PRIx64, first, last);
    cov_report(stdout, what, total);
    int rc = cov_failures(total) ? 1 : 0;
    free(total);
    return rc;
}
