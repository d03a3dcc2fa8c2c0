/* Scheduler throughput: 1024 periodic events, each re-arming itself a
 * pseudo-random 1..1000 cycles ahead when it fires, until N events have
 * fired (default 10 million). This is the pattern the timers and the GIC
 * latency events put on the scheduler, so events/s bounds how many such
 * events a simulation can afford per second.
 *
 *   sched_bench [EVENTS]
 *
 * Prints one line: "sched: <N> events in <S> s wall, <R> events/s". N is the
 * number that actually fired, which can exceed EVENTS by the few events due
 * in the same cycle as the last one counted. */
#include "sim/sched.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_TIMERS         1024
#define BENCH_DEFAULT_EVENTS 10000000ull
#define BENCH_MAX_PERIOD     1000

struct bench;

struct bench_timer {
    struct sched_event ev;
    struct bench *b;
};

struct bench {
    struct sched *s;
    struct bench_timer timer[BENCH_TIMERS];
    uint64_t fired;
    uint64_t rng; /* xorshift64 state: fixed seed, so every run does the same work */
};

static uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

static uint64_t bench_period(struct bench *b)
{
    return 1 + xorshift64(&b->rng) % BENCH_MAX_PERIOD;
}

static void bench_fire(void *opaque, uint64_t now)
{
    struct bench_timer *t = opaque;
    struct bench *b = t->b;
    b->fired++;
    sched_mod(b->s, &t->ev, now + bench_period(b));
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* wall-clock time: the bench's only host clock */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* EVENTS from the command line; false (after a usage message) if malformed. */
static bool parse_events(int argc, char **argv, uint64_t *events)
{
    *events = BENCH_DEFAULT_EVENTS;
    if (argc == 1)
        return true;
    if (argc > 2) {
        fprintf(stderr, "usage: sched_bench [EVENTS]: expected at most one argument, got %d\n",
                argc - 1);
        return false;
    }
    char *end;
    errno = 0;
    unsigned long long n = strtoull(argv[1], &end, 10);
    /* strtoull would accept a sign and leading blanks; insist on digits only. */
    if (argv[1][0] >= '0' && argv[1][0] <= '9' && *end == '\0' && errno == 0 && n > 0) {
        *events = n;
        return true;
    }
    fprintf(stderr, "usage: sched_bench [EVENTS]: EVENTS must be a positive integer, got '%s'\n",
            argv[1]);
    return false;
}

int main(int argc, char **argv)
{
    uint64_t target;
    if (!parse_events(argc, argv, &target))
        return 2;

    static struct bench b;
    b.s = sched_new();
    b.rng = 0x2545F4914F6CDD1Du;
    for (int i = 0; i < BENCH_TIMERS; i++) {
        b.timer[i].b = &b;
        sched_event_init(&b.timer[i].ev, bench_fire, &b.timer[i]);
        sched_mod(b.s, &b.timer[i].ev, bench_period(&b));
    }

    double start = wall_seconds();
    while (b.fired < target)
        sched_advance(b.s, sched_next_time(b.s));
    double elapsed = wall_seconds() - start;

    /* Guard the division on a host whose clock did not visibly move. */
    uint64_t rate = elapsed > 0 ? (uint64_t)((double)b.fired / elapsed) : 0;
    printf("sched: %" PRIu64 " events in %.3f s wall, %" PRIu64 " events/s\n", b.fired, elapsed,
           rate);
    sched_free(b.s);
    return 0;
}
