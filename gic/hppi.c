/* The highest-priority pending interrupt (HPPI) of each PE, kept
 * incrementally (IHI 0069, "Interrupt prioritization").
 *
 * A PE's HPPI is, among its candidates, the one of lowest priority value,
 * equal priorities going to the lowest INTID. A candidate is pending,
 * enabled, not active, routed to the PE (its own SGI or PPI, or an SPI
 * whose gic_spi_target() is the PE), and of a group enabled both in
 * GICD_CTLR and at the PE's CPU interface. Rather than rescanning every
 * interrupt after each change, each PE (struct gic_cpu) keeps:
 *
 * - ready[0], ready[1]: a bitmap over INTIDs per group. Bit INTID of
 *   ready[group] is set exactly when INTID is pending, enabled, not
 *   active, of that group and routed to the PE. The group gates are not in
 *   the bitmaps: a scan reads only the bitmaps of enabled groups.
 * - hppi, hppi_valid: the HPPI, when valid equal to what a full rescan
 *   (gic_hppi_rescan) gives. gic_hppi() recomputes it when invalid, by
 *   scanning the set bits of the enabled groups' bitmaps with ctz, 64
 *   INTIDs a word: the cost is the number of words plus the number of
 *   ready interrupts, not the number of interrupts.
 *
 * The invariant, which gic_hppi_check() tests: every PE's bitmaps equal
 * the predicate above for every INTID, and a valid cached HPPI equals the
 * rescan. Who keeps it (gic_internal.h):
 *
 * - gic_hppi_irq_changed(INTID) after a change of INTID's pending state
 *   (latch, level, trigger mode), enable, active state, group or route:
 *   moves its bit, and invalidates the cache of each PE whose bits moved.
 * - gic_hppi_priority_changed(INTID) after a change of its priority:
 *   invalidates the cache of the PE whose bitmap holds it, if any.
 * - gic_hppi_rebuild() after anything that changes the group gates or the
 *   1-of-N targets of many SPIs at once (GICD_CTLR.EnableGrp0/1, a PE's
 *   ICC_IGRPEN0/1_EL1 or GICR_WAKER.ProcessorSleep) and after a reset:
 *   recomputes every bitmap and invalidates every cache. These are
 *   configuration writes, rare next to interrupt traffic.
 *
 * Callers make the call right after the change, before gic_note_change()
 * and gic_update(), so that a transition callback or the outputs never see
 * a stale HPPI.
 *
 * LPIs are candidates of Group 1 too; lpi.c keeps each redistributor's
 * best ready LPI incrementally and invalidates the PE's cache whenever its
 * ready set changes. The HPPI is the better of the two, SGIs, PPIs and
 * SPIs winning a tie (their INTIDs are lower).
 *
 * Nothing else enters the HPPI: PMR, the running priority and the binary
 * points decide whether it is signalled (pmr/), not which interrupt it is,
 * so writing them leaves the cache valid. */
#include "gic/gic_internal.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

static unsigned num_intids(const struct gic *g)
{
    return GIC_SPI_BASE + g->cfg.num_spis;
}

static unsigned ready_words(const struct gic *g)
{
    return (num_intids(g) + 63) / 64;
}

/* The gates of both enables of a group at PE. */
static bool group_enabled(const struct gic *g, unsigned pe, bool group1)
{
    return gic_dist_group_enabled(g, group1) && gic_cpu_group_enabled(&g->cpu[pe], group1);
}

static bool test_bit(const uint64_t *map, unsigned intid)
{
    return (map[intid / 64] >> (intid % 64)) & 1;
}

/* Sets or clears bit INTID of MAP; true when it changed. */
static bool put_bit(uint64_t *map, unsigned intid, bool on)
{
    uint64_t bit = 1ull << (intid % 64);
    uint64_t old = map[intid / 64];
    uint64_t now = on ? old | bit : old & ~bit;

    map[intid / 64] = now;
    return now != old;
}

/* The PE whose bitmaps should hold INTID, of state IRQ (PE: the SGI's or
 * PPI's own), or -1 when it is a candidate nowhere. */
static int ready_target(struct gic *g, unsigned pe, unsigned intid, const struct gic_irq *irq)
{
    if (!gic_irq_pending(irq) || !irq->enabled || irq->active)
        return -1;
    return intid < GIC_SPI_BASE ? (int)pe : gic_spi_target(g, intid);
}

/* The PEs that can hold INTID: its own for an SGI or a PPI, all for an SPI. */
static void pe_range(const struct gic *g, unsigned pe, unsigned intid, unsigned *first,
                     unsigned *end)
{
    *first = intid < GIC_SPI_BASE ? pe : 0;
    *end = intid < GIC_SPI_BASE ? pe + 1 : g->cfg.num_pes;
}

/* ---- Keeping the bitmaps and the cache ---------------------------------- */

void gic_hppi_irq_changed(struct gic *g, unsigned pe, unsigned intid)
{
    const struct gic_irq *irq = gic_irq(g, pe, intid);
    unsigned first, end;
    int target;

    assert(irq != NULL);
    target = ready_target(g, pe, intid, irq);
    pe_range(g, pe, intid, &first, &end);
    for (unsigned p = first; p < end; p++) {
        struct gic_cpu *c = &g->cpu[p];
        bool here = target == (int)p;
        bool moved = put_bit(c->ready[0], intid, here && !irq->group1);
        moved |= put_bit(c->ready[1], intid, here && irq->group1);
        if (moved)
            c->hppi_valid = false;
    }
}

/* A priority matters only to the PE whose bitmaps hold the interrupt. */
void gic_hppi_priority_changed(struct gic *g, unsigned pe, unsigned intid)
{
    unsigned first, end;

    assert(gic_irq(g, pe, intid) != NULL);
    pe_range(g, pe, intid, &first, &end);
    for (unsigned p = first; p < end; p++) {
        struct gic_cpu *c = &g->cpu[p];
        if (test_bit(c->ready[0], intid) || test_bit(c->ready[1], intid))
            c->hppi_valid = false;
    }
}

void gic_hppi_rebuild(struct gic *g)
{
    for (unsigned pe = 0; pe < GIC_MAX_PES; pe++) {
        memset(g->cpu[pe].ready, 0, sizeof g->cpu[pe].ready);
        g->cpu[pe].hppi_valid = false;
    }
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++) {
        for (unsigned intid = 0; intid < GIC_SPI_BASE; intid++)
            gic_hppi_irq_changed(g, pe, intid);
    }
    for (unsigned intid = GIC_SPI_BASE; intid < num_intids(g); intid++)
        gic_hppi_irq_changed(g, GIC_NO_PE, intid);
}

/* ---- The HPPI from the bitmaps ------------------------------------------- */

/* The one recompute function of the cached HPPI. Scanning in INTID order
 * and replacing only on a strictly lower priority value gives ties to the
 * lowest INTID. */
static int scan_ready(struct gic *g, unsigned pe)
{
    const struct gic_cpu *c = &g->cpu[pe];
    uint64_t mask0 = group_enabled(g, pe, false) ? ~0ull : 0;
    uint64_t mask1 = group_enabled(g, pe, true) ? ~0ull : 0;
    int best = -1;
    uint8_t best_priority = 0xff;

    if (!mask0 && !mask1)
        return -1;
    for (unsigned w = 0; w < ready_words(g); w++) {
        uint64_t bits = (c->ready[0][w] & mask0) | (c->ready[1][w] & mask1);
        while (bits) {
            unsigned intid = w * 64 + (unsigned)__builtin_ctzll(bits);
            const struct gic_irq *irq =
                intid < GIC_SPI_BASE ? &c->local[intid] : &g->spi[intid - GIC_SPI_BASE];
            bits &= bits - 1;
            if (best < 0 || irq->priority < best_priority) {
                best = (int)intid;
                best_priority = irq->priority;
            }
        }
    }
    return best;
}

/* BEST (an INTID below 1020, or -1) against LPI (-1: none). */
static int with_lpi(struct gic *g, unsigned pe, int best, int lpi)
{
    if (lpi < 0 || !group_enabled(g, pe, true))
        return best;
    if (best >= 0 &&
        gic_irq(g, pe, (unsigned)best)->priority <= gic_lpi_priority(g, pe, (unsigned)lpi))
        return best;
    return lpi;
}

int gic_hppi(struct gic *g, unsigned pe)
{
    struct gic_cpu *c = &g->cpu[pe];

    assert(pe < g->cfg.num_pes);
    if (!c->hppi_valid) {
        c->hppi = scan_ready(g, pe);
        if (c->lpi.enabled) /* with EnableLPIs 0 none is pending */
            c->hppi = with_lpi(g, pe, c->hppi, gic_lpi_best(g, pe));
        c->hppi_valid = true;
    }
    return c->hppi;
}

/* ---- The reference: a full rescan ---------------------------------------- */

/* The best candidate among IRQS[0..N), INTIDs BASE.., against *BEST (-1:
 * none yet) of priority *BEST_PRIORITY, with GRP[g] the gates of group g.
 * Everything is read from the interrupts themselves, nothing from the
 * bitmaps, so that it can check them. */
static void rescan(struct gic *g, unsigned pe, const struct gic_irq *irqs, unsigned n,
                   unsigned base, const bool grp[2], int *best, uint8_t *best_priority)
{
    for (unsigned i = 0; i < n; i++) {
        const struct gic_irq *irq = &irqs[i];
        if (!gic_irq_pending(irq) || !irq->enabled || irq->active || !grp[irq->group1])
            continue;
        if (*best >= 0 && irq->priority >= *best_priority)
            continue;
        if (base >= GIC_SPI_BASE && gic_spi_target(g, base + i) != (int)pe)
            continue;
        *best = (int)(base + i);
        *best_priority = irq->priority;
    }
}

int gic_hppi_rescan(struct gic *g, unsigned pe)
{
    const bool grp[2] = {group_enabled(g, pe, false), group_enabled(g, pe, true)};
    int best = -1;
    uint8_t best_priority = 0xff;

    assert(pe < g->cfg.num_pes);
    rescan(g, pe, g->cpu[pe].local, GIC_SPI_BASE, 0, grp, &best, &best_priority);
    rescan(g, pe, g->spi, g->cfg.num_spis, GIC_SPI_BASE, grp, &best, &best_priority);
    if (g->num_lpis)
        best = with_lpi(g, pe, best, gic_lpi_rescan(g, pe));
    return best;
}

/* ---- The invariant --------------------------------------------------------- */

/* Bit INTID of PE's ready[GROUP1] as the definition says, from the state. */
static bool ready_by_definition(struct gic *g, unsigned pe, unsigned intid, bool group1)
{
    const struct gic_irq *irq = gic_irq(g, pe, intid);

    if (irq == NULL || irq->group1 != group1 || !gic_irq_pending(irq) || !irq->enabled ||
        irq->active)
        return false;
    return intid < GIC_SPI_BASE || gic_spi_target(g, intid) == (int)pe;
}

static bool check_bitmaps(struct gic *g, unsigned pe, char *why, size_t len)
{
    for (unsigned group = 0; group < 2; group++) {
        for (unsigned intid = 0; intid < 64 * GIC_READY_WORDS; intid++) {
            bool want = intid < num_intids(g) && ready_by_definition(g, pe, intid, group);
            if (test_bit(g->cpu[pe].ready[group], intid) == want)
                continue;
            snprintf(why, len, "PE %u: INTID %u is %sin ready[%u], should %sbe", pe, intid,
                     want ? "not " : "", group, want ? "" : "not ");
            return false;
        }
    }
    return true;
}

bool gic_hppi_check(struct gic *g, char *why, size_t len)
{
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++) {
        const struct gic_cpu *c = &g->cpu[pe];
        int want = gic_hppi_rescan(g, pe);
        int got;

        if (!check_bitmaps(g, pe, why, len) || !gic_lpi_check(g, pe, why, len))
            return false;
        got = scan_ready(g, pe);
        if (g->num_lpis)
            got = with_lpi(g, pe, got, gic_lpi_rescan(g, pe));
        if (got != want) {
            snprintf(why, len, "PE %u: the bitmaps give HPPI %d, a rescan %d", pe, got, want);
            return false;
        }
        if (c->hppi_valid && c->hppi != want) {
            snprintf(why, len, "PE %u: the cached HPPI is %d, a rescan gives %d", pe, c->hppi,
                     want);
            return false;
        }
    }
    return true;
}
