/* The generic timer: system counter and per-PE timers (see timer/timer.h).
 *
 * Model, after Arm ARM D11 "The Generic Timer in AArch64 state":
 * - CNTPCT = floor(cycle * cntfrq / pe_hz), from simulated time only.
 * - The virtual count is CNTPCT - CNTVOFF_EL2 (modulo 2^64); the EL1
 *   virtual timer compares against it. The EL2 virtual timer belongs to the
 *   EL2&0 regime, where the offset does not apply: it compares CNTPCT (as
 *   QEMU does).
 * - The timer condition is the unsigned comparison count >= CVAL. ISTATUS
 *   shows it whenever ENABLE is set, whatever IMASK says; with ENABLE clear
 *   the architecture makes ISTATUS UNKNOWN and here it reads 0.
 * - TVAL reads (CVAL - count)[31:0] (bits 63:32 are RES0) and a write sets
 *   CVAL = count + SignExtend(value[31:0]).
 * - Each timer's output has one recompute function, timer_update, which
 *   tells the GIC only when the level changes and moves the timer's event to
 *   the first cycle at which the condition will hold. */
#include "timer/timer.h"

#include <assert.h>
#include <stdlib.h>

#include "sim/sched.h"

static const unsigned timer_ppi[TIMER_COUNT] = {
    TIMER_PPI_EL1_PHYS,
    TIMER_PPI_EL1_VIRT,
    TIMER_PPI_EL2_PHYS,
    TIMER_PPI_EL2_VIRT,
};

struct gtimer {
    struct timer *owner;
    unsigned pe;
    enum timer_id id;
    uint32_t ctl; /* ENABLE and IMASK; ISTATUS is computed */
    uint64_t cval;
    bool level; /* the output as last driven */
    struct sched_event ev;
};

struct timer_pe {
    uint64_t cntvoff;
    struct gtimer gt[TIMER_COUNT];
};

struct timer {
    struct timer_config cfg;
    uint64_t cntfrq_reg; /* CNTFRQ_EL0 as software sees it */
    struct timer_pe *pe;
};

uint64_t timer_cntpct(const struct timer *t, uint64_t now)
{
    return (uint64_t)((unsigned __int128)now * t->cfg.cntfrq / t->cfg.pe_hz);
}

uint64_t timer_cycle_of_count(const struct timer *t, uint64_t count)
{
    /* The least cycle c with floor(c * f / hz) >= count: ceil(count * hz / f). */
    unsigned __int128 c =
        ((unsigned __int128)count * t->cfg.pe_hz + t->cfg.cntfrq - 1) / t->cfg.cntfrq;
    return c >= UINT64_MAX ? UINT64_MAX : (uint64_t)c;
}

static uint64_t offset_of(const struct gtimer *g)
{
    return g->id == TIMER_EL1_VIRT ? g->owner->pe[g->pe].cntvoff : 0;
}

/* The count this timer compares CVAL against, at cycle NOW. */
static uint64_t timer_count(const struct gtimer *g, uint64_t now)
{
    return timer_cntpct(g->owner, now) - offset_of(g);
}

static bool condition(const struct gtimer *g, uint64_t now)
{
    return timer_count(g, now) >= g->cval;
}

/* The first cycle after NOW at which the condition holds, for a timer
 * whose condition does not hold at NOW: the count must climb by
 * CVAL - count ticks (the virtual count cannot wrap before that). */
static uint64_t due_cycle(const struct gtimer *g, uint64_t now)
{
    uint64_t pct = timer_cntpct(g->owner, now);
    uint64_t delta = g->cval - (pct - offset_of(g));
    if (pct > UINT64_MAX - delta)
        return UINT64_MAX;
    return timer_cycle_of_count(g->owner, pct + delta);
}

static void schedule(struct gtimer *g, uint64_t when)
{
    struct timer *t = g->owner;
    if (t->cfg.schedule)
        t->cfg.schedule(t->cfg.opaque, &g->ev, when);
    else
        sched_mod(t->cfg.sched, &g->ev, when);
}

/* The one recompute function of a timer's output line. */
static void timer_update(struct gtimer *g, uint64_t now)
{
    struct timer *t = g->owner;
    bool enabled = g->ctl & TIMER_CTL_ENABLE;
    bool met = enabled && condition(g, now);
    bool level = met && !(g->ctl & TIMER_CTL_IMASK);
    /* An event is needed only while the condition is still to come; a
     * masked timer keeps it so that ISTATUS-only users see no difference. */
    uint64_t when = enabled && !met ? due_cycle(g, now) : UINT64_MAX;
    if (when == UINT64_MAX)
        sched_del(t->cfg.sched, &g->ev);
    else
        schedule(g, when);
    if (level == g->level)
        return;
    g->level = level;
    t->cfg.output(t->cfg.opaque, g->pe, timer_ppi[g->id], level);
}

static void timer_fire(void *opaque, uint64_t now)
{
    timer_update(opaque, now);
}

static bool timer_present(const struct timer *t, enum timer_id id)
{
    if (id == TIMER_EL2_PHYS)
        return t->cfg.have_el2;
    if (id == TIMER_EL2_VIRT)
        return t->cfg.have_el2_virt;
    return true;
}

struct timer *timer_new(const struct timer_config *cfg)
{
    if (!cfg->npe || !cfg->pe_hz || !cfg->sched || !cfg->output)
        return NULL;
    struct timer *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->cfg = *cfg;
    if (!t->cfg.cntfrq)
        t->cfg.cntfrq = TIMER_DEFAULT_CNTFRQ;
    t->cntfrq_reg = t->cfg.cntfrq;
    t->pe = calloc(cfg->npe, sizeof(*t->pe));
    if (!t->pe) {
        free(t);
        return NULL;
    }
    for (unsigned p = 0; p < cfg->npe; p++)
        for (unsigned i = 0; i < TIMER_COUNT; i++) {
            struct gtimer *g = &t->pe[p].gt[i];
            *g = (struct gtimer){.owner = t, .pe = p, .id = (enum timer_id)i};
            sched_event_init(&g->ev, timer_fire, g);
        }
    return t;
}

void timer_free(struct timer *t)
{
    if (!t)
        return;
    for (unsigned p = 0; p < t->cfg.npe; p++)
        for (unsigned i = 0; i < TIMER_COUNT; i++)
            sched_del(t->cfg.sched, &t->pe[p].gt[i].ev);
    free(t->pe);
    free(t);
}

static struct gtimer *gtimer_of(struct timer *t, unsigned pe, enum timer_reg reg)
{
    assert(pe < t->cfg.npe && reg < TIMER_REG_CNTFRQ);
    enum timer_id id = (enum timer_id)(reg / 3);
    return timer_present(t, id) ? &t->pe[pe].gt[id] : NULL;
}

static uint64_t gtimer_read(struct gtimer *g, unsigned field, uint64_t now)
{
    switch (field) {
    case TIMER_REG_CTL:
        if ((g->ctl & TIMER_CTL_ENABLE) && condition(g, now))
            return g->ctl | TIMER_CTL_ISTATUS;
        return g->ctl;
    case TIMER_REG_CVAL: return g->cval;
    default: return (uint32_t)(g->cval - timer_count(g, now));
    }
}

static void gtimer_write(struct gtimer *g, unsigned field, uint64_t value, uint64_t now)
{
    switch (field) {
    case TIMER_REG_CTL: g->ctl = (uint32_t)value & (TIMER_CTL_ENABLE | TIMER_CTL_IMASK); break;
    case TIMER_REG_CVAL: g->cval = value; break;
    default: g->cval = timer_count(g, now) + (uint64_t)(int64_t)(int32_t)(uint32_t)value; break;
    }
    timer_update(g, now);
}

uint64_t timer_read(struct timer *t, unsigned pe, enum timer_reg reg, uint64_t now)
{
    assert(pe < t->cfg.npe);
    switch (reg) {
    case TIMER_REG_CNTFRQ: return t->cntfrq_reg;
    case TIMER_REG_CNTPCT: return timer_cntpct(t, now);
    case TIMER_REG_CNTVCT: return timer_cntpct(t, now) - t->pe[pe].cntvoff;
    case TIMER_REG_CNTVOFF: return t->pe[pe].cntvoff;
    default: break;
    }
    struct gtimer *g = gtimer_of(t, pe, reg);
    return g ? gtimer_read(g, reg % 3, now) : 0;
}

void timer_write(struct timer *t, unsigned pe, enum timer_reg reg, uint64_t value, uint64_t now)
{
    assert(pe < t->cfg.npe);
    switch (reg) {
    case TIMER_REG_CNTFRQ:
        /* CNTFRQ_EL0 only tells software the frequency (Arm ARM D11.1.2):
         * writing it does not change how fast the counter runs. */
        t->cntfrq_reg = (uint32_t)value;
        return;
    case TIMER_REG_CNTPCT:
    case TIMER_REG_CNTVCT: return;
    case TIMER_REG_CNTVOFF:
        t->pe[pe].cntvoff = value;
        timer_update(&t->pe[pe].gt[TIMER_EL1_VIRT], now);
        return;
    default: break;
    }
    struct gtimer *g = gtimer_of(t, pe, reg);
    if (g)
        gtimer_write(g, reg % 3, value, now);
}

uint64_t timer_bit_transition(const struct timer *t, unsigned pe, bool virt, unsigned bit,
                              bool rising, uint64_t after)
{
    assert(pe < t->cfg.npe && bit < 16);
    uint64_t pct = timer_cntpct(t, after);
    uint64_t count = pct - (virt ? t->pe[pe].cntvoff : 0);
    /* Bit BIT rises where the low BIT+1 bits become 1 followed by zeros
     * and falls where they become all zeros. The count climbs one tick at
     * a time (cntfrq <= PE clock), so the next edge is DELTA ticks away;
     * an edge exactly at AFTER's count has already happened. */
    uint64_t period = 2ull << bit;
    uint64_t edge = rising ? period / 2 : 0;
    uint64_t delta = (edge - count) & (period - 1);
    if (delta == 0)
        delta = period;
    if (pct > UINT64_MAX - delta)
        return UINT64_MAX;
    return timer_cycle_of_count(t, pct + delta);
}

bool timer_output(const struct timer *t, unsigned pe, enum timer_id id)
{
    assert(pe < t->cfg.npe && id < TIMER_COUNT);
    return t->pe[pe].gt[id].level;
}

uint64_t timer_next_event(const struct timer *t, unsigned pe, enum timer_id id)
{
    assert(pe < t->cfg.npe && id < TIMER_COUNT);
    const struct sched_event *ev = &t->pe[pe].gt[id].ev;
    return sched_pending(ev) ? ev->when : UINT64_MAX;
}
