/* The discrete-event scheduler: the one clock of the simulated machine.
 *
 * Time is a uint64_t count of PE clock cycles, starting at 0. At the default
 * 1 GHz, 2^64 cycles is about 584 years of simulated time, so the count never
 * wraps in practice and the scheduler does no wrap-around arithmetic: a time
 * near UINT64_MAX simply sorts after every smaller one. UINT64_MAX itself is
 * reserved to mean "never" (sched_next_time returns it when nothing is
 * pending); scheduling an event at it, or advancing to it, is a bug.
 *
 * Events fire in (when, seq) order. seq is a counter the scheduler bumps on
 * every sched_mod, so two events due at the same cycle fire in the order they
 * were (re)scheduled. Nothing depends on pointer values, hashes or host time:
 * the same calls always give the same firing order.
 *
 * Events are owned by the caller (embed one in the device struct, as QEMU does
 * with its timers); the scheduler only keeps pointers to pending ones. So an
 * event must be cancelled with sched_del before its memory goes away, and a
 * pending event belongs to exactly one scheduler.
 *
 * Callbacks run from sched_advance and may call sched_mod, sched_del,
 * sched_now, sched_next_time and sched_count, on any event including the one
 * firing; they must not call sched_advance or sched_free. */
#ifndef SIM_SCHED_H
#define SIM_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The time that never comes: returned when no event is pending. */
#define SCHED_NEVER UINT64_MAX

struct sched; /* opaque */

typedef void (*sched_fn)(void *opaque, uint64_t now);

/* A caller-owned event (like a QEMU timer): embed it in your device struct.
 * fn and opaque are the caller's; the other fields belong to the scheduler. */
struct sched_event {
    sched_fn fn;
    void *opaque;
    uint64_t when;      /* valid while pending */
    uint64_t seq;       /* insertion sequence, assigned by sched_mod */
    int64_t heap_index; /* -1 when not pending; owned by the scheduler */
};

/* Set up EV to call FN(OPAQUE, now) when it fires; EV starts not pending. */
void sched_event_init(struct sched_event *ev, sched_fn fn, void *opaque);

/* Create an empty scheduler at time 0; aborts on out-of-memory (internal error). */
struct sched *sched_new(void);

/* Destroy S; events still pending are left not pending (never fired). */
void sched_free(struct sched *s);

/* Current simulated time in cycles; inside a callback, the firing event's time. */
uint64_t sched_now(const struct sched *s);

/* Schedule EV at WHEN, or move it there if pending, giving it a new sequence
 * number either way; WHEN < now is clamped to now; WHEN == UINT64_MAX asserts. */
void sched_mod(struct sched *s, struct sched_event *ev, uint64_t when);

/* Cancel EV so it does not fire; no-op if it is not pending. */
void sched_del(struct sched *s, struct sched_event *ev);

/* Whether EV is scheduled and has not fired or been cancelled since. */
bool sched_pending(const struct sched_event *ev);

/* Time of the earliest pending event, UINT64_MAX (SCHED_NEVER) if none. */
uint64_t sched_next_time(const struct sched *s);

/* Number of pending events. */
size_t sched_count(const struct sched *s);

/* Fire, in (when, seq) order, every event with when <= T, setting now to the
 * event's time before each callback, then set now = T. Events a callback
 * schedules at or before T fire in this same call. T < now, T == UINT64_MAX
 * and a call from inside a callback assert. */
void sched_advance(struct sched *s, uint64_t t);

#endif
