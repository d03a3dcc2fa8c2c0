/* The discrete-event scheduler: a binary min-heap of pointers to caller-owned
 * events, keyed by (when, seq).
 *
 * Because seq is unique per sched_mod, the key is a strict total order: the
 * heap's shape may depend on the order of operations, but which event is at
 * the top never depends on anything but the keys. Each event records its own
 * slot (heap_index), so cancelling or moving it is O(log n) without a search. */
#include "sim/sched.h"

#include "sim/host.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#define SCHED_INITIAL_CAPACITY 16

struct sched {
    struct sched_event **heap; /* heap[0] is the earliest event */
    size_t count;
    size_t capacity;
    uint64_t now;
    uint64_t next_seq;
    bool in_advance; /* a callback is running: sched_advance must not nest */
};

static void *sched_alloc_or_abort(void *old, size_t n, size_t size)
{
    if (n > SIZE_MAX / size) {
        fprintf(stderr, "a64sim: internal error: scheduler size overflow\n");
        abort();
    }
    void *p = realloc(old, n * size);
    if (!p) {
        host_out_of_memory();
    }
    return p;
}

void sched_event_init(struct sched_event *ev, sched_fn fn, void *opaque)
{
    ev->fn = fn;
    ev->opaque = opaque;
    ev->when = 0;
    ev->seq = 0;
    ev->heap_index = -1;
}

struct sched *sched_new(void)
{
    struct sched *s = sched_alloc_or_abort(NULL, 1, sizeof(*s));
    s->heap = sched_alloc_or_abort(NULL, SCHED_INITIAL_CAPACITY, sizeof(*s->heap));
    s->count = 0;
    s->capacity = SCHED_INITIAL_CAPACITY;
    s->now = 0;
    s->next_seq = 0;
    s->in_advance = false;
    return s;
}

void sched_free(struct sched *s)
{
    if (!s)
        return;
    assert(!s->in_advance);
    /* The events are the caller's and outlive the scheduler: mark them not
     * pending so that sched_pending tells the truth and they can be reused. */
    for (size_t i = 0; i < s->count; i++)
        s->heap[i]->heap_index = -1;
    free(s->heap);
    free(s);
}

uint64_t sched_now(const struct sched *s)
{
    return s->now;
}

bool sched_pending(const struct sched_event *ev)
{
    return ev->heap_index >= 0;
}

uint64_t sched_next_time(const struct sched *s)
{
    if (s->count == 0)
        return SCHED_NEVER;
    return s->heap[0]->when;
}

size_t sched_count(const struct sched *s)
{
    return s->count;
}

static bool sched_before(const struct sched_event *a, const struct sched_event *b)
{
    if (a->when != b->when)
        return a->when < b->when;
    return a->seq < b->seq;
}

static void sched_place(struct sched *s, size_t i, struct sched_event *ev)
{
    s->heap[i] = ev;
    ev->heap_index = (int64_t)i;
}

static void sched_sift_up(struct sched *s, size_t i)
{
    struct sched_event *ev = s->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!sched_before(ev, s->heap[parent]))
            break;
        sched_place(s, i, s->heap[parent]);
        i = parent;
    }
    sched_place(s, i, ev);
}

static void sched_sift_down(struct sched *s, size_t i)
{
    struct sched_event *ev = s->heap[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= s->count)
            break;
        if (child + 1 < s->count && sched_before(s->heap[child + 1], s->heap[child]))
            child++;
        if (!sched_before(s->heap[child], ev))
            break;
        sched_place(s, i, s->heap[child]);
        i = child;
    }
    sched_place(s, i, ev);
}

/* Restore the heap order around slot I after its key changed either way. */
static void sched_fix(struct sched *s, size_t i)
{
    if (i > 0 && sched_before(s->heap[i], s->heap[(i - 1) / 2]))
        sched_sift_up(s, i);
    else
        sched_sift_down(s, i);
}

/* The slot of pending EV, checked against the heap so that an event pending
 * in another scheduler (or a stale copy) trips an assert instead of
 * corrupting this one. */
static size_t sched_slot(const struct sched *s, const struct sched_event *ev)
{
    size_t i = (size_t)ev->heap_index;
    assert(i < s->count && s->heap[i] == ev);
    return i;
}

static void sched_grow(struct sched *s)
{
    size_t capacity = s->capacity * 2;
    s->heap = sched_alloc_or_abort(s->heap, capacity, sizeof(*s->heap));
    s->capacity = capacity;
}

static void sched_insert(struct sched *s, struct sched_event *ev)
{
    if (s->count == s->capacity)
        sched_grow(s);
    size_t i = s->count++;
    sched_place(s, i, ev);
    sched_sift_up(s, i);
}

/* Take the event in slot I out of the heap and mark it not pending. */
static void sched_remove_at(struct sched *s, size_t i)
{
    struct sched_event *ev = s->heap[i];
    size_t last = --s->count;
    ev->heap_index = -1;
    if (i == last)
        return;
    sched_place(s, i, s->heap[last]);
    sched_fix(s, i);
}

void sched_mod(struct sched *s, struct sched_event *ev, uint64_t when)
{
    assert(ev->fn);
    assert(when != SCHED_NEVER);
    ev->when = when < s->now ? s->now : when;
    ev->seq = s->next_seq++;
    if (sched_pending(ev)) {
        sched_fix(s, sched_slot(s, ev));
        return;
    }
    sched_insert(s, ev);
}

void sched_del(struct sched *s, struct sched_event *ev)
{
    if (!sched_pending(ev))
        return;
    sched_remove_at(s, sched_slot(s, ev));
}

void sched_advance(struct sched *s, uint64_t t)
{
    assert(t >= s->now);
    assert(t != SCHED_NEVER);
    assert(!s->in_advance);
    s->in_advance = true;
    /* Re-read the top after every callback: it may have added, moved or
     * cancelled any event, including ones due at this very cycle. */
    while (s->count > 0 && s->heap[0]->when <= t) {
        struct sched_event *ev = s->heap[0];
        sched_remove_at(s, 0);
        s->now = ev->when;
        ev->fn(ev->opaque, s->now);
    }
    s->now = t;
    s->in_advance = false;
}
