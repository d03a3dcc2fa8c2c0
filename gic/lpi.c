/* Locality-specific peripheral interrupts at the redistributors (IHI 0069
 * chapter 5, "Locality-specific Peripheral Interrupts and the ITS").
 *
 * LPIs are INTIDs 8192 up to 2^lpi_bits - 1 (GICD_TYPER.IDbits). They are
 * edge-triggered, always Group 1, and have no active state: an acknowledge
 * makes one inactive at once, and an EOI only drops the running priority.
 * Their configuration and pending state live in guest memory:
 *
 * - The property table (GICR_PROPBASER): a byte per LPI, priority in bits
 *   [7:2], enable in bit 0. The redistributor caches the bytes, as the
 *   architecture allows: it reads the whole table when EnableLPIs goes
 *   from 0 to 1, one byte on GICR_INVLPIR or the ITS's INV, and all of them
 *   on GICR_INVALLR or INVALL; and an LPI's byte again whenever it becomes
 *   pending, as a cache that fills on demand would. So a write to the
 *   table changes nothing for an LPI already pending until an INV.
 * - The pending table (GICR_PENDBASER): a bit per INTID; the first 1 KiB
 *   (INTIDs below 8192) is never read or written. The redistributor reads
 *   it when EnableLPIs goes from 0 to 1 (not when PENDBASER.PTZ says it is
 *   zero), keeps the pending bits itself, and writes every change of a
 *   bit through to memory at once, so the table always shows the state.
 *
 * The property table bounds the LPIs: GICR_PROPBASER.IDbits + 1 bits of
 * INTID, never more than GICD_TYPER.IDbits. An LPI beyond it, or at a
 * redistributor with EnableLPIs = 0, is out of range: making it pending
 * does nothing (IHI 0069 5.1.1 leaves it UNPREDICTABLE; dropping it is one
 * of the permitted behaviours).
 *
 * The highest-priority ready LPI (pending and enabled) of each
 * redistributor is kept incrementally, for hppi.c: a bitmap of ready
 * LPIs with a summary bitmap over its words, and a cached best. Adding a
 * ready LPI compares it with the best; removing the best rescans the set
 * bits only (the summary skips empty words), so the cost follows the
 * number of pending LPIs, not the size of the INTID space.
 *
 * With GICv4 each redistributor also holds the virtual LPIs of the vPE
 * resident on it (GICR_VPENDBASER.Valid = 1): the same structure, filled
 * from the vLPI property table (GICR_VPROPBASER) and the vPE's virtual
 * pending table (VPT), written through the same way, and read by the
 * virtual CPU interface (vcpuif.c) next to its list registers. Making the
 * vPE non-resident forgets them; the VPT keeps the state, and
 * GICR_VPENDBASER.PendingLast says whether an enabled vLPI was pending. */
#include "gic/gic_internal.h"

#include <stdlib.h>
#include <string.h>

#include "pmr/pmr.h"

#define PROPBASER_IDBITS_MASK 0x1Full
#define BASER_PA_MASK         0x000FFFFFFFFFF000ull /* PA [51:12] */
#define PENDBASER_PA_MASK     0x000FFFFFFFFF0000ull /* PA [51:16] */
#define PENDBASER_PTZ         (1ull << 62)

/* The writable fields: PROPBASER OuterCache [58:56], PA [51:12],
 * Shareability [11:10], InnerCache [9:7], IDbits [4:0]; PENDBASER likewise
 * with PA [51:16]. PTZ reads as 0. */
#define PROPBASER_RW 0x070FFFFFFFFFFF9Full
#define PENDBASER_RW 0x070FFFFFFFFF0F80ull

/* GICR_VPENDBASER (GICv4.0): Valid, IDAI, PendingLast, Dirty, and the
 * PENDBASER fields. */
#define VPENDBASER_VALID        (1ull << 63)
#define VPENDBASER_IDAI         (1ull << 62)
#define VPENDBASER_PENDING_LAST (1ull << 61)
#define VPENDBASER_DIRTY        (1ull << 60)
#define VPENDBASER_RW           (VPENDBASER_VALID | VPENDBASER_IDAI | PENDBASER_RW)

/* GICR_VPENDBASER (GICv4.1): Valid, DB [62], PendingLast, Dirty, VGRP0EN
 * [59], VGRP1EN [58], VPEID [15:0]; the VPT comes from the vPE table. */
#define VPEND41_DB      (1ull << 62)
#define VPEND41_VGRP0EN (1ull << 59)
#define VPEND41_VGRP1EN (1ull << 58)
#define VPEND41_RW      (VPENDBASER_VALID | VPEND41_DB | VPEND41_VGRP0EN | VPEND41_VGRP1EN | 0xFFFFull)

#define LPI_CFG_ENABLE   0x01u
#define LPI_CFG_PRIORITY 0xFCu

static unsigned lpi_index(unsigned intid)
{
    return intid - GIC_LPI_BASE;
}

static bool test_bit(const uint64_t *map, unsigned i)
{
    return (map[i / 64] >> (i % 64)) & 1;
}

static void put_bit(uint64_t *map, unsigned i, bool on)
{
    if (on)
        map[i / 64] |= 1ull << (i % 64);
    else
        map[i / 64] &= ~(1ull << (i % 64));
}

/* PE's physical LPIs, or (VIRT) those of the vPE resident on it. */
static struct gic_lpis *lpis_of(struct gic *g, unsigned pe, bool virt)
{
    return virt ? &g->cpu[pe].vlpi : &g->cpu[pe].lpi;
}

static const struct gic_lpis *clpis_of(const struct gic *g, unsigned pe, bool virt)
{
    return virt ? &g->cpu[pe].vlpi : &g->cpu[pe].lpi;
}

static unsigned sum_words(const struct gic *g)
{
    return (g->lpi_words + 63) / 64;
}

static bool alloc_one(struct gic *g, struct gic_lpis *l)
{
    l->cfg = calloc(g->num_lpis, 1);
    l->pend = calloc(g->lpi_words, sizeof *l->pend);
    l->ready = calloc(g->lpi_words, sizeof *l->ready);
    l->summary = calloc(sum_words(g), sizeof *l->summary);
    return l->cfg && l->pend && l->ready && l->summary;
}

static void free_one(struct gic_lpis *l)
{
    free(l->cfg);
    free(l->pend);
    free(l->ready);
    free(l->summary);
}

bool gic_lpis_alloc(struct gic *g)
{
    if (g->cfg.lpi_bits == 0)
        return true;
    g->num_lpis = (1u << g->cfg.lpi_bits) - GIC_LPI_BASE;
    g->lpi_words = (g->num_lpis + 63) / 64;
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++) {
        if (!alloc_one(g, &g->cpu[pe].lpi))
            return false;
        if (g->cfg.version != GIC_V3 && !alloc_one(g, &g->cpu[pe].vlpi))
            return false;
    }
    return true;
}

void gic_lpis_free(struct gic *g)
{
    for (unsigned pe = 0; pe < GIC_MAX_PES; pe++) {
        free_one(&g->cpu[pe].lpi);
        free_one(&g->cpu[pe].vlpi);
    }
}

static void clear_state(struct gic *g, struct gic_lpis *l)
{
    l->best = -1;
    l->best_valid = true;
    if (!l->cfg)
        return;
    memset(l->cfg, 0, g->num_lpis);
    memset(l->pend, 0, g->lpi_words * sizeof *l->pend);
    memset(l->ready, 0, g->lpi_words * sizeof *l->ready);
    memset(l->summary, 0, sum_words(g) * sizeof *l->summary);
}

void gic_lpis_reset(struct gic *g, unsigned pe)
{
    for (int virt = 0; virt < 2; virt++) {
        struct gic_lpis *l = lpis_of(g, pe, virt);
        l->propbaser = 0;
        l->pendbaser = 0;
        l->vprop41 = 0;
        l->vpend41 = 0;
        memset(l->vsgi_cfg, 0, sizeof l->vsgi_cfg);
        l->vsgi_pend = 0;
        l->enabled = false;
        l->dirty = false;
        clear_state(g, l);
    }
}

/* ---- Memory ------------------------------------------------------------ */

bool gic_mem_read(struct gic *g, uint64_t pa, void *buf, size_t len)
{
    if (g->cfg.mem_read && g->cfg.mem_read(g->cfg.opaque, pa, buf, len))
        return true;
    memset(buf, 0, len);
    return false;
}

bool gic_mem_write(struct gic *g, uint64_t pa, const void *buf, size_t len)
{
    return g->cfg.mem_write && g->cfg.mem_write(g->cfg.opaque, pa, buf, len);
}

uint64_t gic_mem_load64(struct gic *g, uint64_t pa, bool *ok)
{
    uint8_t b[8];
    uint64_t v = 0;

    *ok = gic_mem_read(g, pa, b, 8);
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

bool gic_mem_store64(struct gic *g, uint64_t pa, uint64_t v)
{
    uint8_t b[8];

    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    return gic_mem_write(g, pa, b, 8);
}

void gic_pending_table_put(struct gic *g, uint64_t table, unsigned intid, bool pending)
{
    uint64_t pa = (table & PENDBASER_PA_MASK) + intid / 8;
    uint8_t byte;

    if (!gic_mem_read(g, pa, &byte, 1))
        return;
    byte = pending ? (uint8_t)(byte | 1u << (intid % 8)) : (uint8_t)(byte & ~(1u << (intid % 8)));
    gic_mem_write(g, pa, &byte, 1);
}

static uint64_t prop_pa(const struct gic_lpis *l)
{
    return l->propbaser & BASER_PA_MASK;
}

/* ---- The ready set and its best ---------------------------------------- */

static uint8_t priority_in(const struct gic *g, const struct gic_lpis *l, unsigned intid)
{
    return l->cfg[lpi_index(intid)] & LPI_CFG_PRIORITY & pmr_priority_mask(g->cfg.pri_bits);
}

uint8_t gic_lpi_priority(const struct gic *g, unsigned pe, unsigned intid)
{
    return priority_in(g, &g->cpu[pe].lpi, intid);
}

uint8_t gic_vlpi_priority(const struct gic *g, unsigned pe, unsigned intid)
{
    return priority_in(g, &g->cpu[pe].vlpi, intid);
}

/* A before B in priority order: lower value, then lower INTID. */
static bool lpi_before(const struct gic *g, const struct gic_lpis *l, unsigned a, unsigned b)
{
    uint8_t pa = priority_in(g, l, a), pb = priority_in(g, l, b);
    return pa < pb || (pa == pb && a < b);
}

/* A change of L's ready set or best invalidates PE's physical HPPI (the
 * virtual interface recomputes its own on demand). */
static void changed(struct gic *g, unsigned pe, const struct gic_lpis *l)
{
    if (l == &g->cpu[pe].lpi)
        g->cpu[pe].hppi_valid = false;
}

/* Put INTID's ready bit from its pending and enable state, keeping the
 * summary and the best. */
static void refresh(struct gic *g, unsigned pe, struct gic_lpis *l, unsigned intid)
{
    unsigned i = lpi_index(intid);
    bool ready = test_bit(l->pend, i) && (l->cfg[i] & LPI_CFG_ENABLE);
    bool was = test_bit(l->ready, i);

    if (ready == was)
        return;
    put_bit(l->ready, i, ready);
    put_bit(l->summary, i / 64, l->ready[i / 64] != 0);
    if (ready) {
        if (l->best_valid && (l->best < 0 || lpi_before(g, l, intid, (unsigned)l->best)))
            l->best = (int)intid;
    } else if (l->best == (int)intid) {
        l->best_valid = false;
    }
    changed(g, pe, l);
}

static int best_of(struct gic *g, struct gic_lpis *l)
{
    if (!l->cfg)
        return -1;
    if (l->best_valid)
        return l->best;
    l->best = -1;
    for (unsigned s = 0; s < sum_words(g); s++) {
        for (uint64_t sw = l->summary[s]; sw; sw &= sw - 1) {
            unsigned w = s * 64 + (unsigned)__builtin_ctzll(sw);
            for (uint64_t bits = l->ready[w]; bits; bits &= bits - 1) {
                unsigned intid = GIC_LPI_BASE + w * 64 + (unsigned)__builtin_ctzll(bits);
                if (l->best < 0 || lpi_before(g, l, intid, (unsigned)l->best))
                    l->best = (int)intid;
            }
        }
    }
    l->best_valid = true;
    return l->best;
}

int gic_lpi_best(struct gic *g, unsigned pe)
{
    return best_of(g, &g->cpu[pe].lpi);
}

int gic_vlpi_best(struct gic *g, unsigned pe)
{
    return best_of(g, &g->cpu[pe].vlpi);
}

int gic_lpi_rescan(const struct gic *g, unsigned pe)
{
    const struct gic_lpis *l = &g->cpu[pe].lpi;
    int best = -1;

    if (!l->cfg)
        return -1;
    for (unsigned i = 0; i < g->num_lpis; i++) {
        if (!test_bit(l->pend, i) || !(l->cfg[i] & LPI_CFG_ENABLE))
            continue;
        if (best < 0 || lpi_before(g, l, GIC_LPI_BASE + i, (unsigned)best))
            best = (int)(GIC_LPI_BASE + i);
    }
    return best;
}

bool gic_lpi_check(const struct gic *g, unsigned pe, char *why, size_t len)
{
    const struct gic_lpis *l = &g->cpu[pe].lpi;

    if (!l->cfg)
        return true;
    for (unsigned i = 0; i < g->num_lpis; i++) {
        bool want = test_bit(l->pend, i) && (l->cfg[i] & LPI_CFG_ENABLE);
        if (test_bit(l->ready, i) != want ||
            test_bit(l->summary, i / 64) != (l->ready[i / 64] != 0)) {
            snprintf(why, len, "PE %u: LPI %u's ready bit or its summary is wrong", pe,
                     GIC_LPI_BASE + i);
            return false;
        }
    }
    if (l->best_valid && l->best != gic_lpi_rescan(g, pe)) {
        snprintf(why, len, "PE %u: the cached best LPI is %d, a rescan gives %d", pe, l->best,
                 gic_lpi_rescan(g, pe));
        return false;
    }
    return true;
}

/* ---- Pending state ----------------------------------------------------- */

static unsigned limit_of(const struct gic *g, const struct gic_lpis *l)
{
    unsigned bits = (unsigned)(l->propbaser & PROPBASER_IDBITS_MASK) + 1;

    if (!l->enabled || !l->cfg || bits < GIC_MIN_LPI_BITS)
        return GIC_LPI_BASE;
    if (bits > g->cfg.lpi_bits)
        bits = g->cfg.lpi_bits;
    return 1u << bits;
}

unsigned gic_lpi_limit(const struct gic *g, unsigned pe)
{
    return limit_of(g, &g->cpu[pe].lpi);
}

bool gic_lpi_in_range(const struct gic *g, unsigned pe, unsigned intid)
{
    return intid >= GIC_LPI_BASE && intid < gic_lpi_limit(g, pe);
}

static bool pending_in(const struct gic *g, const struct gic_lpis *l, unsigned intid)
{
    return l->cfg && intid >= GIC_LPI_BASE && intid < GIC_LPI_BASE + g->num_lpis &&
           test_bit(l->pend, lpi_index(intid));
}

bool gic_lpi_pending(const struct gic *g, unsigned pe, unsigned intid)
{
    return pending_in(g, &g->cpu[pe].lpi, intid);
}

bool gic_vlpi_pending(const struct gic *g, unsigned pe, unsigned intid)
{
    return pending_in(g, &g->cpu[pe].vlpi, intid);
}

bool gic_lpi_enabled(const struct gic *g, unsigned pe, unsigned intid)
{
    return g->cpu[pe].lpi.cfg[lpi_index(intid)] & LPI_CFG_ENABLE;
}

bool gic_vlpi_enabled(const struct gic *g, unsigned pe, unsigned intid)
{
    return g->cpu[pe].vlpi.cfg[lpi_index(intid)] & LPI_CFG_ENABLE;
}

static void lpi_report(struct gic *g, unsigned pe, unsigned intid, enum gic_transition t)
{
    if (g->cfg.transition)
        g->cfg.transition(g->cfg.opaque, pe, intid, t, gic_lpi_priority(g, pe, intid));
}

/* Set or clear INTID's pending bit in L, written through to its table; a
 * newly pending LPI's property byte is read again. */
static bool put_pending(struct gic *g, unsigned pe, struct gic_lpis *l, unsigned intid,
                        bool pending)
{
    unsigned i = lpi_index(intid);

    if (intid < GIC_LPI_BASE || intid >= limit_of(g, l) || test_bit(l->pend, i) == pending)
        return false;
    if (pending)
        gic_mem_read(g, prop_pa(l) + i, &l->cfg[i], 1);
    put_bit(l->pend, i, pending);
    gic_pending_table_put(g, l->pendbaser, intid, pending);
    refresh(g, pe, l, intid);
    return true;
}

bool gic_lpi_put_pending(struct gic *g, unsigned pe, unsigned intid, bool pending)
{
    return put_pending(g, pe, &g->cpu[pe].lpi, intid, pending);
}

void gic_lpi_set_pending(struct gic *g, unsigned pe, unsigned intid, bool pending)
{
    if (!gic_lpi_put_pending(g, pe, intid, pending))
        return;
    lpi_report(g, pe, intid, pending ? GIC_TR_PENDING : GIC_TR_CLEARED);
    gic_update(g, pe);
}

void gic_lpi_acknowledge(struct gic *g, unsigned pe, unsigned intid)
{
    gic_lpi_put_pending(g, pe, intid, false);
    lpi_report(g, pe, intid, GIC_TR_ACKNOWLEDGED);
}

bool gic_vlpi_put_pending(struct gic *g, unsigned pe, unsigned intid, bool pending)
{
    return put_pending(g, pe, &g->cpu[pe].vlpi, intid, pending);
}

void gic_vlpi_set_pending(struct gic *g, unsigned pe, unsigned intid, bool pending)
{
    if (gic_vlpi_put_pending(g, pe, intid, pending))
        gic_vcpu_update(g, pe);
}

/* ---- Configuration ----------------------------------------------------- */

static void update(struct gic *g, unsigned pe, bool virt)
{
    if (virt)
        gic_vcpu_update(g, pe);
    else
        gic_update(g, pe);
}

static void invalidate_one(struct gic *g, unsigned pe, bool virt, unsigned intid)
{
    struct gic_lpis *l = lpis_of(g, pe, virt);
    unsigned i;
    uint8_t byte;

    if (intid < GIC_LPI_BASE || intid >= limit_of(g, l))
        return;
    i = lpi_index(intid);
    gic_mem_read(g, prop_pa(l) + i, &byte, 1);
    if (byte == l->cfg[i])
        return;
    if ((byte & LPI_CFG_PRIORITY) != (l->cfg[i] & LPI_CFG_PRIORITY) && test_bit(l->ready, i)) {
        l->best_valid = false;
        changed(g, pe, l);
    }
    l->cfg[i] = byte;
    refresh(g, pe, l, intid);
    update(g, pe, virt);
}

void gic_lpi_invalidate(struct gic *g, unsigned pe, unsigned intid)
{
    invalidate_one(g, pe, false, intid);
}

void gic_vlpi_invalidate(struct gic *g, unsigned pe, unsigned intid)
{
    invalidate_one(g, pe, true, intid);
}

/* Read the property bytes of every LPI in range, and drop the cached
 * configuration of those beyond it. */
static void reload_all(struct gic *g, unsigned pe, struct gic_lpis *l)
{
    unsigned n = limit_of(g, l) - GIC_LPI_BASE;

    memset(l->cfg + n, 0, g->num_lpis - n);
    gic_mem_read(g, prop_pa(l), l->cfg, n);
    memset(l->ready, 0, g->lpi_words * sizeof *l->ready);
    memset(l->summary, 0, sum_words(g) * sizeof *l->summary);
    for (unsigned w = 0; w < g->lpi_words; w++) {
        for (uint64_t bits = l->pend[w]; bits; bits &= bits - 1) {
            unsigned i = w * 64 + (unsigned)__builtin_ctzll(bits);
            if (l->cfg[i] & LPI_CFG_ENABLE)
                put_bit(l->ready, i, true);
        }
        put_bit(l->summary, w, l->ready[w] != 0);
    }
    l->best_valid = false;
    changed(g, pe, l);
}

void gic_lpi_invalidate_all(struct gic *g, unsigned pe)
{
    if (!g->cpu[pe].lpi.enabled)
        return;
    reload_all(g, pe, &g->cpu[pe].lpi);
    gic_update(g, pe);
}

void gic_vlpi_invalidate_all(struct gic *g, unsigned pe)
{
    if (!g->cpu[pe].vlpi.enabled)
        return;
    reload_all(g, pe, &g->cpu[pe].vlpi);
    gic_vcpu_update(g, pe);
}

/* Load L's pending bits from its table (unless SKIP), then its
 * configuration. */
static void load(struct gic *g, unsigned pe, struct gic_lpis *l, bool skip)
{
    memset(l->pend, 0, g->lpi_words * sizeof *l->pend);
    if (!skip) {
        unsigned n = limit_of(g, l) - GIC_LPI_BASE;
        uint8_t *bytes = calloc(n / 8, 1);
        if (bytes) {
            gic_mem_read(g, (l->pendbaser & PENDBASER_PA_MASK) + GIC_LPI_BASE / 8, bytes, n / 8);
            for (unsigned i = 0; i < n; i++)
                if (bytes[i / 8] & (1u << (i % 8)))
                    put_bit(l->pend, i, true);
            free(bytes);
        }
    }
    reload_all(g, pe, l);
}

/* EnableLPIs 0 -> 1: load the pending table (unless PTZ said it is zero)
 * and the property table. 1 -> 0: forget both; the pending table in
 * memory keeps the state. */
void gic_lpi_enable(struct gic *g, unsigned pe, bool enable)
{
    struct gic_lpis *l = &g->cpu[pe].lpi;

    if (!l->cfg || l->enabled == enable)
        return;
    l->enabled = enable;
    if (enable) {
        load(g, pe, l, l->pendbaser & PENDBASER_PTZ);
    } else {
        clear_state(g, l);
        changed(g, pe, l);
    }
    l->pendbaser &= ~PENDBASER_PTZ;
    gic_update(g, pe);
}

/* GICR_PROPBASER and GICR_PENDBASER are fixed while EnableLPIs is 1
 * (writes then are UNPREDICTABLE, IHI 0069 12.11.x: ignored here). */
uint64_t gic_lpi_propbaser(const struct gic *g, unsigned pe)
{
    return g->cpu[pe].lpi.propbaser;
}

uint64_t gic_lpi_pendbaser(const struct gic *g, unsigned pe)
{
    return g->cpu[pe].lpi.pendbaser & ~PENDBASER_PTZ;
}

void gic_lpi_set_propbaser(struct gic *g, unsigned pe, uint64_t value)
{
    if (!g->cpu[pe].lpi.enabled)
        g->cpu[pe].lpi.propbaser = value & PROPBASER_RW;
}

void gic_lpi_set_pendbaser(struct gic *g, unsigned pe, uint64_t value)
{
    if (!g->cpu[pe].lpi.enabled)
        g->cpu[pe].lpi.pendbaser = (value & PENDBASER_RW) | (value & PENDBASER_PTZ);
}

/* ---- The resident vPE (GICv4.0) ------------------------------------------ */

uint64_t gic_vlpi_vpropbaser(const struct gic *g, unsigned pe)
{
    if (g->cfg.version == GIC_V41)
        return gic_vpe_vpropbaser(g, pe);
    return g->cpu[pe].vlpi.propbaser;
}

/* VPROPBASER may change only while no vPE is resident (IHI 0069
 * GICR_VPROPBASER: UNPREDICTABLE otherwise; ignored here). */
void gic_vlpi_set_vpropbaser(struct gic *g, unsigned pe, uint64_t value)
{
    if (g->cfg.version == GIC_V41)
        gic_vpe_set_vpropbaser(g, pe, value);
    else if (!g->cpu[pe].vlpi.enabled)
        g->cpu[pe].vlpi.propbaser = value & PROPBASER_RW;
}

/* While a residency change is in progress, the value written with Dirty
 * set; then the register. PendingLast is meaningful while Valid is 0. */
uint64_t gic_vlpi_vpendbaser(const struct gic *g, unsigned pe)
{
    const struct gic_lpis *l = &g->cpu[pe].vlpi;
    bool v41 = g->cfg.version == GIC_V41;
    uint64_t rw = v41 ? VPEND41_RW : VPENDBASER_RW;

    if (l->dirty)
        return (l->next & rw) | VPENDBASER_DIRTY;
    return v41 ? l->vpend41 : l->pendbaser;
}

bool gic_vlpi_resident(const struct gic *g, unsigned pe, uint64_t vpt)
{
    const struct gic_lpis *l = &g->cpu[pe].vlpi;
    return l->enabled && (l->pendbaser & PENDBASER_PA_MASK) == (vpt & PENDBASER_PA_MASK);
}

/* GICv4.1: the vPE named by VPEID, found through GICR_VPROPBASER, is
 * loaded: its VPT, its vLPI configuration table with as many INTID bits as
 * the VPT, and its vSGIs. One that the table does not map is not loaded
 * (UNPREDICTABLE): Valid stays 0. On the way out, PendingLast also counts
 * enabled vSGIs, and a default doorbell is owed when DB is 1 and
 * PendingLast 0. */
static void residency_change41(struct gic *g, unsigned pe, uint64_t value)
{
    struct gic_lpis *l = &g->cpu[pe].vlpi;
    struct gic_vpe v;

    if (value & VPENDBASER_VALID) {
        if (!gic_vpe_lookup(g, pe, (uint32_t)(value & 0xFFFF), &v))
            return;
        l->vpend41 = value & VPEND41_RW;
        l->pendbaser = v.vpt | VPENDBASER_VALID;
        l->propbaser = v.vconf | (v.bits - 1);
        l->enabled = true;
        load(g, pe, l, false);
        gic_vpe_load(g, pe, &v);
    } else {
        bool last = best_of(g, l) >= 0 || gic_vpe_vsgi_ready(g, pe);
        gic_vpe_put(g, pe, value & VPEND41_DB, last, value & VPEND41_VGRP0EN,
                    value & VPEND41_VGRP1EN);
        l->enabled = false;
        l->vpend41 = (value & VPEND41_RW) | (last ? VPENDBASER_PENDING_LAST : 0);
        clear_state(g, l);
    }
    gic_vcpu_update(g, pe);
}

/* Valid 0 -> 1 makes the vPE whose VPT the register names resident:
 * its VPT and the vLPI property table are read. Valid 1 -> 0 makes it
 * non-resident: PendingLast records whether an enabled vLPI was pending
 * (the VPT already holds every bit). Either change takes effect at
 * gic_vpe_complete(), when the board has a residency latency: until then
 * Dirty reads 1, the old residency stands (vLPIs for a vPE being loaded
 * go to its VPT, for one being put to the interface), and further writes
 * are ignored (UNPREDICTABLE while Dirty is 1). */
static void residency_change(struct gic *g, unsigned pe, uint64_t value)
{
    struct gic_lpis *l = &g->cpu[pe].vlpi;
    bool valid = value & VPENDBASER_VALID;

    if (g->cfg.version == GIC_V41) {
        residency_change41(g, pe, value);
        return;
    }
    if (valid) {
        l->pendbaser = value & VPENDBASER_RW;
        l->enabled = true;
        load(g, pe, l, false);
    } else {
        bool last = best_of(g, l) >= 0;
        l->enabled = false;
        l->pendbaser = (value & VPENDBASER_RW) | (last ? VPENDBASER_PENDING_LAST : 0);
        clear_state(g, l);
    }
    gic_vcpu_update(g, pe);
}

void gic_vlpi_set_vpendbaser(struct gic *g, unsigned pe, uint64_t value)
{
    struct gic_lpis *l = &g->cpu[pe].vlpi;
    bool valid = value & VPENDBASER_VALID;

    if (!l->cfg || l->dirty)
        return;
    if (l->enabled && valid) /* UNPREDICTABLE: the resident vPE stays */
        return;
    if (!l->enabled && !valid) {
        if (g->cfg.version == GIC_V41)
            l->vpend41 = (value & VPEND41_RW) | (l->vpend41 & VPENDBASER_PENDING_LAST);
        else
            l->pendbaser = (value & VPENDBASER_RW) | (l->pendbaser & VPENDBASER_PENDING_LAST);
        return;
    }
    if (!g->cfg.residency) {
        residency_change(g, pe, value);
        return;
    }
    l->dirty = true;
    l->next = value;
    g->cfg.residency(g->cfg.opaque, pe);
}

void gic_vpe_complete(struct gic *g, unsigned pe)
{
    struct gic_lpis *l = &g->cpu[pe].vlpi;

    if (!l->dirty)
        return;
    l->dirty = false;
    residency_change(g, pe, l->next);
}

/* ---- Walking the pending LPIs ------------------------------------------- */

static int next_pending(const struct gic *g, const struct gic_lpis *l, int after)
{
    unsigned i = after < GIC_LPI_BASE ? 0 : (unsigned)after - GIC_LPI_BASE + 1;

    if (!l->cfg)
        return -1;
    while (i < g->num_lpis) {
        uint64_t bits = l->pend[i / 64] >> (i % 64);
        if (bits)
            return (int)(GIC_LPI_BASE + i + (unsigned)__builtin_ctzll(bits));
        i = (i / 64 + 1) * 64;
    }
    return -1;
}

int gic_lpi_next_pending(const struct gic *g, unsigned pe, int after)
{
    return next_pending(g, clpis_of(g, pe, false), after);
}

int gic_vlpi_next_pending(const struct gic *g, unsigned pe, int after)
{
    return next_pending(g, clpis_of(g, pe, true), after);
}
