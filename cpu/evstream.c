/* The event streams (Arm ARM D11, "Event streams"): CNTKCTL_EL1 and
 * CNTHCTL_EL2 each select a bit of a count -- the virtual count for
 * CNTKCTL_EL1, CNTPCT for CNTHCTL_EL2 -- and, with EVNTEN set, every 0 to 1
 * transition of it (EVNTDIR = 0) or every 1 to 0 (EVNTDIR = 1) is a WFE
 * wake-up event that also sets the event register.
 *
 * Nothing runs per edge. Only WFE reads the event register, so the edges
 * are folded in lazily: evstream_settle sets it if an edge came between
 * evstream_seen and the PE's time, and runs before every WFE and before
 * any write that moves the edges (CNTKCTL_EL1, CNTHCTL_EL2, CNTVOFF_EL2).
 * A PE asleep in WFE is woken by a board event at the next edge. The
 * result is the one an event per edge would give, at no cost to a PE that
 * never waits. */
#include "cpu/cpu_internal.h"

#define CNTCTL_EVNTEN      (1u << 2)
#define CNTCTL_EVNTDIR     (1u << 3)
#define CNTCTL_EVNTI_SHIFT 4

/* The next edge of the stream CTL controls, after AFTER. */
static uint64_t stream_next(const struct cpu *c, uint64_t ctl, bool virt, uint64_t after)
{
    if (!(ctl & CNTCTL_EVNTEN))
        return UINT64_MAX;
    unsigned bit = (unsigned)(ctl >> CNTCTL_EVNTI_SHIFT) & 0xf;
    bool rising = !(ctl & CNTCTL_EVNTDIR);
    return c->hooks.timer_bit_transition(c->hooks.opaque, c->index, virt, bit, rising, after);
}

uint64_t evstream_next(const struct cpu *c, uint64_t after)
{
    if (!c->hooks.timer_bit_transition)
        return UINT64_MAX;
    uint64_t k = stream_next(c, c->cntkctl_el1, true, after);
    /* The EVNT* fields sit at the same bits in both CNTHCTL_EL2 layouts. */
    uint64_t h = c->have_el2 ? stream_next(c, c->cnthctl_el2, false, after) : UINT64_MAX;
    return k < h ? k : h;
}

void evstream_settle(struct cpu *c)
{
    if (c->cycles <= c->evstream_seen)
        return;
    if (evstream_next(c, c->evstream_seen) <= c->cycles)
        c->event_register = true;
    c->evstream_seen = c->cycles;
}

uint64_t cpu_evstream_wake_at(const struct cpu *c)
{
    if (c->state != CPU_WAIT_WFE)
        return UINT64_MAX;
    return evstream_next(c, c->evstream_seen);
}

void cpu_evstream_due(struct cpu *c, uint64_t now)
{
    if (c->state != CPU_WAIT_WFE || evstream_next(c, c->evstream_seen) > now)
        return;
    /* The edge is the wake-up event; WFE consumes it, so the event
     * register stays clear. */
    cpu_wake(c, now);
    c->evstream_seen = c->cycles;
}
