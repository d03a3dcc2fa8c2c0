/* Unit tests for the discrete-event scheduler (sim/sched.h).
 *
 * The expected orders come from the contract in sim/sched.h: events fire in
 * (when, seq) order, seq being the order of sched_mod calls. */
#include "sim/sched.h"

#include <check.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

/* ---- A firing log shared by the small tests ---------------------------- */

#define LOG_MAX 64

struct fire_log {
    int id[LOG_MAX];
    uint64_t time[LOG_MAX];
    size_t n;
};

struct tev;
typedef void (*tev_hook)(struct tev *t, uint64_t now);

/* A test event: logs its id and time when it fires, then runs HOOK if set. */
struct tev {
    struct sched_event ev;
    struct sched *s;
    struct fire_log *log;
    int id;
    tev_hook hook;
    struct tev *other; /* the event the hook acts on, if any */
    int remaining;     /* for periodic hooks: how many more times to re-arm */
};

static void tev_fire(void *opaque, uint64_t now)
{
    struct tev *t = opaque;
    ck_assert_uint_lt(t->log->n, LOG_MAX);
    t->log->id[t->log->n] = t->id;
    t->log->time[t->log->n] = now;
    t->log->n++;
    if (t->hook)
        t->hook(t, now);
}

static void tev_init(struct tev *t, struct sched *s, struct fire_log *log, int id)
{
    sched_event_init(&t->ev, tev_fire, t);
    t->s = s;
    t->log = log;
    t->id = id;
    t->hook = NULL;
    t->other = NULL;
    t->remaining = 0;
}

static void check_log(const struct fire_log *log, const int *ids, const uint64_t *times, size_t n)
{
    ck_assert_uint_eq(log->n, n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(log->id[i], ids[i]);
        ck_assert_uint_eq(log->time[i], times[i]);
    }
}

/* ---- Ordering ----------------------------------------------------------- */

START_TEST(test_equal_times_fire_in_insertion_order)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev e[4];
    for (int i = 0; i < 4; i++) {
        tev_init(&e[i], s, &log, i);
        sched_mod(s, &e[i].ev, 100);
    }
    sched_advance(s, 100);
    const int ids[] = {0, 1, 2, 3};
    const uint64_t times[] = {100, 100, 100, 100};
    check_log(&log, ids, times, 4);
    sched_free(s);
}
END_TEST

START_TEST(test_events_fire_in_time_order_regardless_of_insertion_order)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    const uint64_t when[] = {50, 10, 40, 20, 30};
    struct tev e[5];
    for (int i = 0; i < 5; i++) {
        tev_init(&e[i], s, &log, i);
        sched_mod(s, &e[i].ev, when[i]);
    }
    sched_advance(s, 1000);
    const int ids[] = {1, 3, 4, 2, 0};
    const uint64_t times[] = {10, 20, 30, 40, 50};
    check_log(&log, ids, times, 5);
    sched_free(s);
}
END_TEST

/* Records only the firing times, for tests with too many events to log. */
struct time_rec {
    uint64_t *out;
    size_t n;
};

static void time_rec_fire(void *opaque, uint64_t now)
{
    struct time_rec *r = opaque;
    r->out[r->n++] = now;
}

START_TEST(test_many_events_fire_in_time_order_past_heap_growth)
{
    /* Times 1..N inserted in a scrambled order: i * 7919 mod N is a
     * permutation of 0..N-1 because 7919 is prime and does not divide N. */
    enum { N = 1000 };
    static struct sched_event ev[N];
    static uint64_t fired_at[N];
    struct time_rec rec = {fired_at, 0};
    struct sched *s = sched_new();
    for (int i = 0; i < N; i++) {
        sched_event_init(&ev[i], time_rec_fire, &rec);
        sched_mod(s, &ev[i], 1 + (uint64_t)i * 7919 % N);
    }
    ck_assert_uint_eq(sched_count(s), N);
    sched_advance(s, N);
    ck_assert_uint_eq(rec.n, N);
    for (size_t i = 0; i < N; i++)
        ck_assert_uint_eq(fired_at[i], i + 1);
    sched_free(s);
}
END_TEST

START_TEST(test_times_near_uint64_max_order_correctly)
{
    /* A wrap-around comparison would put UINT64_MAX - 1 before small times. */
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev e[4];
    const uint64_t when[] = {UINT64_MAX - 1, 5, UINT64_MAX - 2, (uint64_t)1 << 63};
    for (int i = 0; i < 4; i++) {
        tev_init(&e[i], s, &log, i);
        sched_mod(s, &e[i].ev, when[i]);
    }
    ck_assert_uint_eq(sched_next_time(s), 5);
    sched_advance(s, UINT64_MAX - 1);
    const int ids[] = {1, 3, 2, 0};
    const uint64_t times[] = {5, (uint64_t)1 << 63, UINT64_MAX - 2, UINT64_MAX - 1};
    check_log(&log, ids, times, 4);
    ck_assert_uint_eq(sched_now(s), UINT64_MAX - 1);
    sched_free(s);
}
END_TEST

/* ---- Time --------------------------------------------------------------- */

START_TEST(test_new_scheduler_starts_at_time_zero_and_empty)
{
    struct sched *s = sched_new();
    ck_assert_uint_eq(sched_now(s), 0);
    ck_assert_uint_eq(sched_count(s), 0);
    sched_free(s);
}
END_TEST

START_TEST(test_next_time_on_empty_is_never)
{
    struct sched *s = sched_new();
    ck_assert_uint_eq(sched_next_time(s), UINT64_MAX);
    sched_free(s);
}
END_TEST

START_TEST(test_next_time_is_earliest_pending)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, b;
    tev_init(&a, s, &log, 0);
    tev_init(&b, s, &log, 1);
    sched_mod(s, &a.ev, 300);
    sched_mod(s, &b.ev, 200);
    ck_assert_uint_eq(sched_next_time(s), 200);
    sched_free(s);
}
END_TEST

START_TEST(test_advance_sets_now_to_target)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a;
    tev_init(&a, s, &log, 0);
    sched_mod(s, &a.ev, 40);
    sched_advance(s, 1234);
    ck_assert_uint_eq(sched_now(s), 1234);
    sched_advance(s, 1234);
    ck_assert_uint_eq(sched_now(s), 1234);
    sched_free(s);
}
END_TEST

START_TEST(test_events_after_target_do_not_fire)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, b;
    tev_init(&a, s, &log, 0);
    tev_init(&b, s, &log, 1);
    sched_mod(s, &a.ev, 100);
    sched_mod(s, &b.ev, 101);
    sched_advance(s, 100);
    const int ids[] = {0};
    const uint64_t times[] = {100};
    check_log(&log, ids, times, 1);
    ck_assert(sched_pending(&b.ev));
    ck_assert_uint_eq(sched_next_time(s), 101);
    sched_free(s);
}
END_TEST

static void hook_record_sched_now(struct tev *t, uint64_t now)
{
    (void)now;
    t->other->remaining = (int)sched_now(t->s);
}

START_TEST(test_callback_sees_now_equal_to_event_time)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, probe;
    tev_init(&a, s, &log, 0);
    tev_init(&probe, s, &log, 1);
    a.hook = hook_record_sched_now;
    a.other = &probe;
    sched_mod(s, &a.ev, 77);
    sched_advance(s, 500);
    ck_assert_uint_eq(log.time[0], 77);
    ck_assert_int_eq(probe.remaining, 77);
    sched_free(s);
}
END_TEST

START_TEST(test_event_scheduled_in_past_is_clamped_to_now)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a;
    tev_init(&a, s, &log, 0);
    sched_advance(s, 500);
    sched_mod(s, &a.ev, 100);
    ck_assert_uint_eq(sched_next_time(s), 500);
    sched_advance(s, 500);
    const int ids[] = {0};
    const uint64_t times[] = {500};
    check_log(&log, ids, times, 1);
    sched_free(s);
}
END_TEST

/* ---- Pending state and cancellation ------------------------------------ */

START_TEST(test_initialised_event_is_not_pending)
{
    struct sched_event ev;
    sched_event_init(&ev, tev_fire, NULL);
    ck_assert(!sched_pending(&ev));
}
END_TEST

START_TEST(test_count_tracks_pending_events)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, b, c;
    tev_init(&a, s, &log, 0);
    tev_init(&b, s, &log, 1);
    tev_init(&c, s, &log, 2);
    sched_mod(s, &a.ev, 10);
    sched_mod(s, &b.ev, 20);
    sched_mod(s, &c.ev, 30);
    sched_mod(s, &b.ev, 25); /* moving does not add */
    ck_assert_uint_eq(sched_count(s), 3);
    sched_del(s, &c.ev);
    ck_assert_uint_eq(sched_count(s), 2);
    sched_advance(s, 10);
    ck_assert_uint_eq(sched_count(s), 1);
    sched_free(s);
}
END_TEST

START_TEST(test_event_is_not_pending_after_firing)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a;
    tev_init(&a, s, &log, 0);
    sched_mod(s, &a.ev, 10);
    ck_assert(sched_pending(&a.ev));
    sched_advance(s, 10);
    ck_assert(!sched_pending(&a.ev));
    sched_free(s);
}
END_TEST

START_TEST(test_cancel_pending_event_prevents_firing)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, b, c;
    tev_init(&a, s, &log, 0);
    tev_init(&b, s, &log, 1);
    tev_init(&c, s, &log, 2);
    sched_mod(s, &a.ev, 10);
    sched_mod(s, &b.ev, 20);
    sched_mod(s, &c.ev, 30);
    sched_del(s, &b.ev);
    ck_assert(!sched_pending(&b.ev));
    sched_advance(s, 100);
    const int ids[] = {0, 2};
    const uint64_t times[] = {10, 30};
    check_log(&log, ids, times, 2);
    sched_free(s);
}
END_TEST

START_TEST(test_cancel_earliest_event_updates_next_time)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, b;
    tev_init(&a, s, &log, 0);
    tev_init(&b, s, &log, 1);
    sched_mod(s, &a.ev, 10);
    sched_mod(s, &b.ev, 20);
    sched_del(s, &a.ev);
    ck_assert_uint_eq(sched_next_time(s), 20);
    sched_free(s);
}
END_TEST

START_TEST(test_cancel_non_pending_event_is_noop)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, idle;
    tev_init(&a, s, &log, 0);
    tev_init(&idle, s, &log, 1);
    sched_mod(s, &a.ev, 10);
    sched_del(s, &idle.ev); /* never scheduled */
    sched_del(s, &idle.ev); /* twice */
    ck_assert_uint_eq(sched_count(s), 1);
    ck_assert(!sched_pending(&idle.ev));
    sched_advance(s, 10);
    sched_del(s, &a.ev); /* already fired */
    ck_assert_uint_eq(sched_count(s), 0);
    const int ids[] = {0};
    const uint64_t times[] = {10};
    check_log(&log, ids, times, 1);
    sched_free(s);
}
END_TEST

static void hook_cancel_other(struct tev *t, uint64_t now)
{
    (void)now;
    sched_del(t->s, &t->other->ev);
}

START_TEST(test_cancel_inside_callback_prevents_same_time_event_firing)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, b, c;
    tev_init(&a, s, &log, 0);
    tev_init(&b, s, &log, 1);
    tev_init(&c, s, &log, 2);
    a.hook = hook_cancel_other;
    a.other = &b;
    sched_mod(s, &a.ev, 50);
    sched_mod(s, &b.ev, 50);
    sched_mod(s, &c.ev, 50);
    sched_advance(s, 50);
    const int ids[] = {0, 2};
    const uint64_t times[] = {50, 50};
    check_log(&log, ids, times, 2);
    ck_assert(!sched_pending(&b.ev));
    sched_free(s);
}
END_TEST

static void hook_cancel_self(struct tev *t, uint64_t now)
{
    (void)now;
    sched_del(t->s, &t->ev);
}

START_TEST(test_event_cancelling_itself_in_callback_is_harmless)
{
    /* A firing event is already off the queue, so its own sched_del is a
     * no-op that must not disturb the others. */
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, b;
    tev_init(&a, s, &log, 0);
    tev_init(&b, s, &log, 1);
    a.hook = hook_cancel_self;
    sched_mod(s, &a.ev, 10);
    sched_mod(s, &b.ev, 20);
    sched_advance(s, 100);
    const int ids[] = {0, 1};
    const uint64_t times[] = {10, 20};
    check_log(&log, ids, times, 2);
    ck_assert(!sched_pending(&a.ev));
    sched_free(s);
}
END_TEST

/* ---- Rescheduling ------------------------------------------------------- */

static void hook_periodic(struct tev *t, uint64_t now)
{
    if (t->remaining == 0)
        return;
    t->remaining--;
    sched_mod(t->s, &t->ev, now + 100);
}

START_TEST(test_event_rescheduling_itself_in_callback_fires_periodically)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev tick;
    tev_init(&tick, s, &log, 7);
    tick.hook = hook_periodic;
    tick.remaining = 3;
    sched_mod(s, &tick.ev, 100);
    sched_advance(s, 1000);
    const int ids[] = {7, 7, 7, 7};
    const uint64_t times[] = {100, 200, 300, 400};
    check_log(&log, ids, times, 4);
    ck_assert(!sched_pending(&tick.ev));
    sched_free(s);
}
END_TEST

START_TEST(test_periodic_event_stays_pending_beyond_target)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev tick;
    tev_init(&tick, s, &log, 7);
    tick.hook = hook_periodic;
    tick.remaining = 100;
    sched_mod(s, &tick.ev, 100);
    sched_advance(s, 250);
    ck_assert_uint_eq(log.n, 2);
    ck_assert(sched_pending(&tick.ev));
    ck_assert_uint_eq(sched_next_time(s), 300);
    sched_free(s);
}
END_TEST

static void hook_rearm_then_cancel_self(struct tev *t, uint64_t now)
{
    sched_mod(t->s, &t->ev, now + 5);
    sched_del(t->s, &t->ev);
}

START_TEST(test_event_cancelling_its_own_rearm_in_callback_stops_it)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev tick;
    tev_init(&tick, s, &log, 3);
    tick.hook = hook_rearm_then_cancel_self;
    sched_mod(s, &tick.ev, 10);
    sched_advance(s, 100);
    const int ids[] = {3};
    const uint64_t times[] = {10};
    check_log(&log, ids, times, 1);
    ck_assert(!sched_pending(&tick.ev));
    ck_assert_uint_eq(sched_count(s), 0);
    sched_free(s);
}
END_TEST

START_TEST(test_reschedule_later_moves_event)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, b;
    tev_init(&a, s, &log, 0);
    tev_init(&b, s, &log, 1);
    sched_mod(s, &a.ev, 10);
    sched_mod(s, &b.ev, 20);
    sched_mod(s, &a.ev, 30);
    ck_assert_uint_eq(sched_next_time(s), 20);
    sched_advance(s, 100);
    const int ids[] = {1, 0};
    const uint64_t times[] = {20, 30};
    check_log(&log, ids, times, 2);
    sched_free(s);
}
END_TEST

START_TEST(test_reschedule_earlier_moves_event)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, b;
    tev_init(&a, s, &log, 0);
    tev_init(&b, s, &log, 1);
    sched_mod(s, &a.ev, 10);
    sched_mod(s, &b.ev, 20);
    sched_mod(s, &b.ev, 5);
    ck_assert_uint_eq(sched_next_time(s), 5);
    sched_advance(s, 100);
    const int ids[] = {1, 0};
    const uint64_t times[] = {5, 10};
    check_log(&log, ids, times, 2);
    sched_free(s);
}
END_TEST

START_TEST(test_reschedule_gives_new_sequence_so_ties_fire_after_others)
{
    /* a was inserted first, but moving it to the same time (even unchanged)
     * gives it a newer sequence than b and c. */
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, b, c;
    tev_init(&a, s, &log, 0);
    tev_init(&b, s, &log, 1);
    tev_init(&c, s, &log, 2);
    sched_mod(s, &a.ev, 40);
    sched_mod(s, &b.ev, 40);
    sched_mod(s, &c.ev, 40);
    sched_mod(s, &a.ev, 40);
    sched_advance(s, 40);
    const int ids[] = {1, 2, 0};
    const uint64_t times[] = {40, 40, 40};
    check_log(&log, ids, times, 3);
    sched_free(s);
}
END_TEST

static void hook_schedule_other_at_now(struct tev *t, uint64_t now)
{
    sched_mod(t->s, &t->other->ev, now);
}

START_TEST(test_callback_scheduling_event_at_now_fires_in_same_advance)
{
    /* a and b are due at 60; a schedules c at 60 while firing. c's sequence
     * is newer than b's, so c fires after b, still within this advance. */
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, b, c;
    tev_init(&a, s, &log, 0);
    tev_init(&b, s, &log, 1);
    tev_init(&c, s, &log, 2);
    a.hook = hook_schedule_other_at_now;
    a.other = &c;
    sched_mod(s, &a.ev, 60);
    sched_mod(s, &b.ev, 60);
    sched_advance(s, 60);
    const int ids[] = {0, 1, 2};
    const uint64_t times[] = {60, 60, 60};
    check_log(&log, ids, times, 3);
    ck_assert_uint_eq(sched_count(s), 0);
    sched_free(s);
}
END_TEST

static void hook_schedule_other_later(struct tev *t, uint64_t now)
{
    sched_mod(t->s, &t->other->ev, now + 15);
}

START_TEST(test_callback_scheduling_event_before_target_fires_in_same_advance)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a, b, c;
    tev_init(&a, s, &log, 0);
    tev_init(&b, s, &log, 1);
    tev_init(&c, s, &log, 2);
    a.hook = hook_schedule_other_later;
    a.other = &c;
    sched_mod(s, &a.ev, 10);
    sched_mod(s, &b.ev, 30);
    sched_advance(s, 100);
    const int ids[] = {0, 2, 1};
    const uint64_t times[] = {10, 25, 30};
    check_log(&log, ids, times, 3);
    sched_free(s);
}
END_TEST

START_TEST(test_free_leaves_pending_events_not_pending)
{
    struct sched *s = sched_new();
    struct fire_log log = {0};
    struct tev a;
    tev_init(&a, s, &log, 0);
    sched_mod(s, &a.ev, 10);
    sched_free(s);
    ck_assert(!sched_pending(&a.ev));
    ck_assert_uint_eq(log.n, 0);
}
END_TEST

/* ---- Bugs that must assert ---------------------------------------------- */

START_TEST(test_mod_at_never_asserts)
{
    struct sched *s = sched_new();
    struct sched_event ev;
    sched_event_init(&ev, tev_fire, NULL);
    sched_mod(s, &ev, UINT64_MAX);
}
END_TEST

START_TEST(test_advance_backwards_asserts)
{
    struct sched *s = sched_new();
    sched_advance(s, 100);
    sched_advance(s, 99);
}
END_TEST

/* ---- Randomised comparison against a sorted-array model ---------------- */

/* The model keeps pending events in an array sorted by (when, seq); it is
 * slow but obviously right. The scheduler and the model receive the same
 * operations, including those done from callbacks, and must fire the same
 * events at the same times in the same order. */

#define STRESS_EVENTS  64
#define STRESS_OPS     10000
#define STRESS_LOG_MAX 8192

struct model_entry {
    uint64_t when;
    uint64_t seq;
    int id;
};

struct model {
    struct model_entry e[STRESS_EVENTS];
    size_t n;
    uint64_t now;
    uint64_t next_seq;
};

struct stress_log {
    int id[STRESS_LOG_MAX];
    uint64_t time[STRESS_LOG_MAX];
    size_t n;
};

struct stress;

struct stress_event {
    struct sched_event ev;
    struct stress *st;
    int id;
};

struct stress {
    struct sched *s;
    struct stress_event ev[STRESS_EVENTS];
    struct model model;
    struct stress_log real_log, model_log;
    uint64_t rng;
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

static void model_del(struct model *m, int id)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->e[i].id != id)
            continue;
        for (size_t j = i + 1; j < m->n; j++)
            m->e[j - 1] = m->e[j];
        m->n--;
        return;
    }
}

static void model_mod(struct model *m, int id, uint64_t when)
{
    model_del(m, id);
    struct model_entry ne = {when < m->now ? m->now : when, m->next_seq++, id};
    size_t i = m->n;
    while (i > 0 && (m->e[i - 1].when > ne.when ||
                     (m->e[i - 1].when == ne.when && m->e[i - 1].seq > ne.seq))) {
        m->e[i] = m->e[i - 1];
        i--;
    }
    m->e[i] = ne;
    m->n++;
}

/* The stress checks run often, and every ck_assert costs a write to the
 * Check runner, so they test plainly and call ck_assert only on a failure. */
static void log_append(struct stress_log *log, int id, uint64_t now)
{
    if (log->n == STRESS_LOG_MAX)
        ck_abort_msg("stress log overflow");
    log->id[log->n] = id;
    log->time[log->n] = now;
    log->n++;
}

static void stress_mod(struct stress *st, bool model, int id, uint64_t when)
{
    if (model)
        model_mod(&st->model, id, when);
    else
        sched_mod(st->s, &st->ev[id].ev, when);
}

static void stress_del(struct stress *st, bool model, int id)
{
    if (model)
        model_del(&st->model, id);
    else
        sched_del(st->s, &st->ev[id].ev);
}

/* What an event does when it fires, applied identically to both sides:
 * some re-arm themselves, some cancel a neighbour, some schedule a
 * neighbour at the current time. */
static void stress_action(struct stress *st, bool model, int id, uint64_t now)
{
    switch (id % 8) {
    case 0: stress_mod(st, model, id, now + 1 + (uint64_t)(id / 8) % 5); break;
    case 1: stress_del(st, model, (id + 1) % STRESS_EVENTS); break;
    case 2: stress_mod(st, model, (id + 3) % STRESS_EVENTS, now); break;
    default: break;
    }
}

static void stress_fire(void *opaque, uint64_t now)
{
    struct stress_event *se = opaque;
    log_append(&se->st->real_log, se->id, now);
    stress_action(se->st, false, se->id, now);
}

static void model_advance(struct stress *st, uint64_t t)
{
    struct model *m = &st->model;
    while (m->n > 0 && m->e[0].when <= t) {
        struct model_entry first = m->e[0];
        model_del(m, first.id);
        m->now = first.when;
        log_append(&st->model_log, first.id, m->now);
        stress_action(st, true, first.id, m->now);
    }
    m->now = t;
}

static void stress_compare_logs(struct stress *st, int op)
{
    const struct stress_log *r = &st->real_log, *m = &st->model_log;
    if (r->n != m->n)
        ck_abort_msg("op %d: %zu events fired, model fired %zu", op, r->n, m->n);
    for (size_t i = 0; i < r->n; i++) {
        if (r->id[i] != m->id[i] || r->time[i] != m->time[i])
            ck_abort_msg("op %d, firing %zu: event %d at %" PRIu64 ", model: event %d at %" PRIu64,
                         op, i, r->id[i], r->time[i], m->id[i], m->time[i]);
    }
    st->real_log.n = 0;
    st->model_log.n = 0;
}

static bool model_has(const struct model *m, int id)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->e[i].id == id)
            return true;
    }
    return false;
}

static void stress_compare_state(struct stress *st, int op)
{
    const struct model *m = &st->model;
    uint64_t model_next = m->n ? m->e[0].when : UINT64_MAX;
    if (sched_now(st->s) != m->now)
        ck_abort_msg("op %d: now %" PRIu64 ", model %" PRIu64, op, sched_now(st->s), m->now);
    if (sched_count(st->s) != m->n)
        ck_abort_msg("op %d: count %zu, model %zu", op, sched_count(st->s), m->n);
    if (sched_next_time(st->s) != model_next)
        ck_abort_msg("op %d: next time %" PRIu64 ", model %" PRIu64, op, sched_next_time(st->s),
                     model_next);
    for (int id = 0; id < STRESS_EVENTS; id++) {
        if (sched_pending(&st->ev[id].ev) != model_has(m, id))
            ck_abort_msg("op %d: event %d pending state differs from model", op, id);
    }
}

/* One random mod or del, then sometimes an advance. Times range a little
 * into the past (to exercise clamping) and often collide (to exercise ties). */
static void stress_step(struct stress *st, int op)
{
    uint64_t r = xorshift64(&st->rng);
    int id = (int)(r % STRESS_EVENTS);
    uint64_t now = sched_now(st->s);
    if ((r >> 8) % 4 != 0) {
        uint64_t offset = (r >> 16) % 220;
        uint64_t when = now + offset >= 20 ? now + offset - 20 : 0;
        stress_mod(st, false, id, when);
        stress_mod(st, true, id, when);
    } else {
        stress_del(st, false, id);
        stress_del(st, true, id);
    }
    if ((r >> 32) % 4 == 0) {
        uint64_t t = now + (r >> 40) % 100;
        sched_advance(st->s, t);
        model_advance(st, t);
        stress_compare_logs(st, op);
    }
    stress_compare_state(st, op);
}

START_TEST(test_random_operations_match_sorted_array_model)
{
    static struct stress st;
    st = (struct stress){0};
    st.s = sched_new();
    st.rng = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < STRESS_EVENTS; i++) {
        st.ev[i].st = &st;
        st.ev[i].id = i;
        sched_event_init(&st.ev[i].ev, stress_fire, &st.ev[i]);
    }
    for (int op = 0; op < STRESS_OPS; op++)
        stress_step(&st, op);
    /* Drain everything still pending except the self-re-arming events. */
    uint64_t end = sched_now(st.s) + 1000;
    sched_advance(st.s, end);
    model_advance(&st, end);
    stress_compare_logs(&st, STRESS_OPS);
    stress_compare_state(&st, STRESS_OPS);
    sched_free(st.s);
}
END_TEST

static Suite *sched_suite(void)
{
    Suite *s = suite_create("sched");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_equal_times_fire_in_insertion_order);
    tcase_add_test(tc, test_events_fire_in_time_order_regardless_of_insertion_order);
    tcase_add_test(tc, test_many_events_fire_in_time_order_past_heap_growth);
    tcase_add_test(tc, test_times_near_uint64_max_order_correctly);
    tcase_add_test(tc, test_new_scheduler_starts_at_time_zero_and_empty);
    tcase_add_test(tc, test_next_time_on_empty_is_never);
    tcase_add_test(tc, test_next_time_is_earliest_pending);
    tcase_add_test(tc, test_advance_sets_now_to_target);
    tcase_add_test(tc, test_events_after_target_do_not_fire);
    tcase_add_test(tc, test_callback_sees_now_equal_to_event_time);
    tcase_add_test(tc, test_event_scheduled_in_past_is_clamped_to_now);
    tcase_add_test(tc, test_initialised_event_is_not_pending);
    tcase_add_test(tc, test_count_tracks_pending_events);
    tcase_add_test(tc, test_event_is_not_pending_after_firing);
    tcase_add_test(tc, test_cancel_pending_event_prevents_firing);
    tcase_add_test(tc, test_cancel_earliest_event_updates_next_time);
    tcase_add_test(tc, test_cancel_non_pending_event_is_noop);
    tcase_add_test(tc, test_cancel_inside_callback_prevents_same_time_event_firing);
    tcase_add_test(tc, test_event_cancelling_itself_in_callback_is_harmless);
    tcase_add_test(tc, test_event_rescheduling_itself_in_callback_fires_periodically);
    tcase_add_test(tc, test_periodic_event_stays_pending_beyond_target);
    tcase_add_test(tc, test_event_cancelling_its_own_rearm_in_callback_stops_it);
    tcase_add_test(tc, test_reschedule_later_moves_event);
    tcase_add_test(tc, test_reschedule_earlier_moves_event);
    tcase_add_test(tc, test_reschedule_gives_new_sequence_so_ties_fire_after_others);
    tcase_add_test(tc, test_callback_scheduling_event_at_now_fires_in_same_advance);
    tcase_add_test(tc, test_callback_scheduling_event_before_target_fires_in_same_advance);
    tcase_add_test(tc, test_free_leaves_pending_events_not_pending);
    tcase_add_test(tc, test_random_operations_match_sorted_array_model);
    suite_add_tcase(s, tc);

#ifndef NDEBUG
    TCase *tc_bugs = tcase_create("asserts");
    tcase_add_test_raise_signal(tc_bugs, test_mod_at_never_asserts, SIGABRT);
    tcase_add_test_raise_signal(tc_bugs, test_advance_backwards_asserts, SIGABRT);
    suite_add_tcase(s, tc_bugs);
#endif
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sched_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
