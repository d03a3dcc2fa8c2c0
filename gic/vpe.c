/* vPEs as GICv4.1 sees them (IHI 0069, "GICv4.1"): the vPE table that the
 * ITS (GITS_BASER2) and the redistributors (GICR_VPROPBASER) share, the
 * vPE's virtual SGIs, and its default doorbell.
 *
 * Choices where the architecture leaves them to the implementation
 * (docs/gic.md has the table):
 * - One vPE table for the ITS and every redistributor: GITS_TYPER.SVPET = 1
 *   with GITS_MPIDR = 0, and GICR_TYPER.CommonLPIAff = 0.
 * - A vPE table entry is 16 bytes with GICv4.0 and 32 with GICv4.1
 *   (GITS_BASER2.Entry_Size 31, GICR_VPROPBASER.Entry_Size 3):
 *     [63] valid, [20:16] VPT IDbits - 1, [15:0] target PE;
 *     second word: the VPT's address;
 *     GICv4.1: third word, the vLPI configuration table's address;
 *     fourth word, [31:0] the default doorbell pINTID (1023: none).
 * - A vPE's vSGIs and its doorbell request live in the first 1 KiB of its
 *   VPT, which the architecture leaves IMPLEMENTATION DEFINED:
 *     bytes 0-15: vSGI n's configuration: [7:4] priority, [1] Group 1,
 *                 [0] enabled (the VSGI command);
 *     bytes 16-17: vSGI pending bits;
 *     byte 18: [0] a doorbell is owed (GICR_VPENDBASER.DB was 1 and
 *              PendingLast 0 when the vPE was made non-resident),
 *              [1] VGRP0EN, [2] VGRP1EN as written then, [3] the doorbell
 *              rang since.
 *   While the vPE is resident its redistributor keeps these itself and
 *   writes every change through, as for the vLPIs' pending bits. */
#include "gic/gic_internal.h"

#include <string.h>

#include "pmr/pmr.h"

#define VPE_VALID       (1ull << 63)
#define VPE_BITS_SHIFT  16
#define VPT_PA_MASK     0x000FFFFFFFFF0000ull /* [51:16] */
#define VCONF_PA_MASK   0x000FFFFFFFFFF000ull /* [51:12] */
#define VSGI_PEND_BYTE  16
#define DOORBELL_BYTE   18
#define DB_OWED         0x01u
#define DB_VGRP0        0x02u
#define DB_VGRP1        0x04u
#define DB_RANG         0x08u
#define VSGI_CFG_ENABLE 0x01u
#define VSGI_CFG_GROUP1 0x02u
#define VSGI_CFG_PRIO   0xF0u

/* GICR_VPROPBASER, GICv4.1 layout: Valid [63], Entry_Size [61:59] (RO),
 * OuterCache [58:56], Indirect [55], Page_Size [54:53], Z [52], PA
 * [51:12], Shareability [11:10], InnerCache [9:7], Size [6:0]. */
#define VPROP41_VALID    (1ull << 63)
#define VPROP41_ESZ      (3ull << 59) /* 4 doublewords */
#define VPROP41_INDIRECT (1ull << 55)
#define VPROP41_PSZ_SHF  53
#define VPROP41_Z        (1ull << 52)
#define VPROP41_RW       (0x87FFFFFFFFFFFFFFull & ~VPROP41_ESZ)

unsigned gic_vpe_entry_size(const struct gic *g)
{
    return g->cfg.version == GIC_V41 ? 32 : 16;
}

bool gic_vpe_read(struct gic *g, uint64_t pa, struct gic_vpe *v)
{
    bool ok[4] = {true, true, true, true};
    uint64_t w[4] = {0, 0, 0, (uint64_t)GIC_SPURIOUS};
    unsigned words = gic_vpe_entry_size(g) / 8;

    for (unsigned i = 0; i < words; i++)
        w[i] = gic_mem_load64(g, pa + 8 * i, &ok[i]);
    if (!ok[0] || !ok[1] || !ok[2] || !ok[3] || !(w[0] & VPE_VALID) ||
        (w[0] & 0xFFFF) >= g->cfg.num_pes)
        return false;
    v->pe = (unsigned)(w[0] & 0xFFFF);
    v->bits = (unsigned)((w[0] >> VPE_BITS_SHIFT) & 0x1F) + 1;
    v->vpt = w[1] & VPT_PA_MASK;
    v->vconf = w[2] & VCONF_PA_MASK;
    v->doorbell = (uint32_t)w[3];
    return true;
}

void gic_vpe_write(struct gic *g, uint64_t pa, const struct gic_vpe *v)
{
    uint64_t w[4] = {0, 0, 0, 0};

    if (v) {
        w[0] = VPE_VALID | (uint64_t)(v->bits - 1) << VPE_BITS_SHIFT | v->pe;
        w[1] = v->vpt & VPT_PA_MASK;
        w[2] = v->vconf & VCONF_PA_MASK;
        w[3] = v->doorbell;
    }
    for (unsigned i = 0; i < gic_vpe_entry_size(g) / 8; i++)
        gic_mem_store64(g, pa + 8 * i, w[i]);
}

/* ---- The redistributor's view of the vPE table (GICR_VPROPBASER) -------- */

uint64_t gic_vpe_vpropbaser(const struct gic *g, unsigned pe)
{
    return g->cpu[pe].vlpi.vprop41 | VPROP41_ESZ;
}

/* Page_Size 0b11 is reserved: it reads as 64K, the largest. Z says the
 * table is zero; every entry is read from memory here, so it is not kept. */
void gic_vpe_set_vpropbaser(struct gic *g, unsigned pe, uint64_t value)
{
    struct gic_lpis *l = &g->cpu[pe].vlpi;

    if (l->enabled || l->dirty)
        return; /* UNPREDICTABLE while a vPE is resident: ignored */
    value &= VPROP41_RW & ~VPROP41_Z;
    if (((value >> VPROP41_PSZ_SHF) & 3) == 3)
        value &= ~(1ull << VPROP41_PSZ_SHF);
    l->vprop41 = value;
}

bool gic_vpe_lookup(struct gic *g, unsigned pe, uint32_t vpeid, struct gic_vpe *v)
{
    uint64_t r = g->cpu[pe].vlpi.vprop41, pa;
    static const uint64_t pages[3] = {0x1000, 0x4000, 0x10000};
    uint64_t page = pages[(r >> VPROP41_PSZ_SHF) & 3];

    if (!(r & VPROP41_VALID))
        return false;
    if (!gic_table_entry(g, (r & VCONF_PA_MASK) & ~(page - 1), page, (r & 0x7F) + 1,
                         r & VPROP41_INDIRECT, gic_vpe_entry_size(g), vpeid, &pa))
        return false;
    return gic_vpe_read(g, pa, v);
}

/* ---- The VPT's IMPLEMENTATION DEFINED area ----------------------------- */

static uint8_t vpt_byte(struct gic *g, const struct gic_vpe *v, unsigned off)
{
    uint8_t b;
    gic_mem_read(g, v->vpt + off, &b, 1);
    return b;
}

static void vpt_put_byte(struct gic *g, const struct gic_vpe *v, unsigned off, uint8_t b)
{
    gic_mem_write(g, v->vpt + off, &b, 1);
}

static uint16_t vpt_vsgi_pending(struct gic *g, const struct gic_vpe *v)
{
    return (uint16_t)(vpt_byte(g, v, VSGI_PEND_BYTE) | vpt_byte(g, v, VSGI_PEND_BYTE + 1) << 8);
}

static void vpt_put_vsgi_pending(struct gic *g, const struct gic_vpe *v, uint16_t bits)
{
    vpt_put_byte(g, v, VSGI_PEND_BYTE, (uint8_t)bits);
    vpt_put_byte(g, v, VSGI_PEND_BYTE + 1, (uint8_t)(bits >> 8));
}

/* Whether vPE V, resident at its redistributor now, is the one there. */
static bool resident(const struct gic *g, const struct gic_vpe *v)
{
    return gic_vlpi_resident(g, v->pe, v->vpt);
}

/* A vLPI or vSGI of GROUP became pending in V's VPT, ENABLED as its
 * configuration says: the default doorbell rings if one is owed and the
 * vPE's group is enabled; it is then no longer owed. */
void gic_vpe_doorbell(struct gic *g, const struct gic_vpe *v, bool group1, bool enabled)
{
    uint8_t db = vpt_byte(g, v, DOORBELL_BYTE);

    if (!(db & DB_OWED) || !enabled || !(db & (group1 ? DB_VGRP1 : DB_VGRP0)))
        return;
    vpt_put_byte(g, v, DOORBELL_BYTE, (uint8_t)((db & ~DB_OWED) | DB_RANG));
    if (v->doorbell != GIC_SPURIOUS)
        gic_lpi_set_pending(g, v->pe, v->doorbell, true);
}

bool gic_vpe_vlpi_enabled(struct gic *g, const struct gic_vpe *v, uint32_t vintid)
{
    uint8_t b;
    gic_mem_read(g, v->vconf + (vintid - GIC_LPI_BASE), &b, 1);
    return b & 1;
}

/* ---- vSGIs -------------------------------------------------------------- */

void gic_vsgi_configure(struct gic *g, const struct gic_vpe *v, unsigned vintid, uint8_t cfg,
                        bool clear)
{
    struct gic_lpis *l = &g->cpu[v->pe].vlpi;

    cfg &= VSGI_CFG_PRIO | VSGI_CFG_GROUP1 | VSGI_CFG_ENABLE;
    vpt_put_byte(g, v, vintid, cfg);
    if (clear)
        vpt_put_vsgi_pending(g, v, vpt_vsgi_pending(g, v) & (uint16_t) ~(1u << vintid));
    if (!resident(g, v))
        return;
    l->vsgi_cfg[vintid] = cfg;
    if (clear)
        l->vsgi_pend &= (uint16_t) ~(1u << vintid);
    gic_vcpu_update(g, v->pe);
}

void gic_vsgi_send(struct gic *g, const struct gic_vpe *v, unsigned vintid)
{
    struct gic_lpis *l = &g->cpu[v->pe].vlpi;

    vpt_put_vsgi_pending(g, v, vpt_vsgi_pending(g, v) | (uint16_t)(1u << vintid));
    if (resident(g, v)) {
        l->vsgi_pend |= (uint16_t)(1u << vintid);
        gic_vcpu_update(g, v->pe);
        return;
    }
    uint8_t cfg = vpt_byte(g, v, vintid);
    gic_vpe_doorbell(g, v, cfg & VSGI_CFG_GROUP1, cfg & VSGI_CFG_ENABLE);
}

uint16_t gic_vsgi_pending_of(struct gic *g, const struct gic_vpe *v)
{
    return resident(g, v) ? g->cpu[v->pe].vlpi.vsgi_pend : vpt_vsgi_pending(g, v);
}

bool gic_vsgi_direct(const struct gic *g, unsigned pe, uint32_t vintid)
{
    return g->cfg.version == GIC_V41 && vintid < 16 && g->cpu[pe].vlpi.enabled;
}

int gic_vsgi_best(const struct gic *g, unsigned pe, bool grp0, bool grp1, uint8_t *prio,
                  bool *group1)
{
    const struct gic_lpis *l = &g->cpu[pe].vlpi;
    int best = -1;

    if (g->cfg.version != GIC_V41 || !l->enabled)
        return -1;
    for (unsigned i = 0; i < 16; i++) {
        uint8_t cfg = l->vsgi_cfg[i];
        bool g1 = cfg & VSGI_CFG_GROUP1;
        uint8_t p = cfg & VSGI_CFG_PRIO & pmr_priority_mask(g->cfg.pri_bits);
        if (!((l->vsgi_pend >> i) & 1) || !(cfg & VSGI_CFG_ENABLE) || !(g1 ? grp1 : grp0))
            continue;
        if (best < 0 || p < *prio) {
            best = (int)i;
            *prio = p;
            *group1 = g1;
        }
    }
    return best;
}

void gic_vsgi_acknowledge(struct gic *g, unsigned pe, unsigned vintid)
{
    struct gic_lpis *l = &g->cpu[pe].vlpi;

    l->vsgi_pend &= (uint16_t) ~(1u << vintid);
    uint8_t lo = (uint8_t)l->vsgi_pend, hi = (uint8_t)(l->vsgi_pend >> 8);
    gic_mem_write(g, (l->pendbaser & VPT_PA_MASK) + VSGI_PEND_BYTE, &lo, 1);
    gic_mem_write(g, (l->pendbaser & VPT_PA_MASK) + VSGI_PEND_BYTE + 1, &hi, 1);
}

/* ---- Residency ---------------------------------------------------------- */

void gic_vpe_load(struct gic *g, unsigned pe, const struct gic_vpe *v)
{
    struct gic_lpis *l = &g->cpu[pe].vlpi;
    uint8_t bytes[DOORBELL_BYTE];

    gic_mem_read(g, v->vpt, bytes, sizeof bytes);
    memcpy(l->vsgi_cfg, bytes, 16);
    l->vsgi_pend = (uint16_t)(bytes[VSGI_PEND_BYTE] | bytes[VSGI_PEND_BYTE + 1] << 8);
    vpt_put_byte(g, v, DOORBELL_BYTE, 0);
}

bool gic_vpe_vsgi_ready(const struct gic *g, unsigned pe)
{
    const struct gic_lpis *l = &g->cpu[pe].vlpi;

    for (unsigned i = 0; i < 16; i++)
        if (((l->vsgi_pend >> i) & 1) && (l->vsgi_cfg[i] & VSGI_CFG_ENABLE))
            return true;
    return false;
}

void gic_vpe_put(struct gic *g, unsigned pe, bool want_db, bool pending_last, bool vgrp0,
                 bool vgrp1)
{
    struct gic_lpis *l = &g->cpu[pe].vlpi;
    struct gic_vpe v = {.pe = pe, .vpt = l->pendbaser & VPT_PA_MASK};
    uint8_t db =
        (want_db && !pending_last ? DB_OWED : 0) | (vgrp0 ? DB_VGRP0 : 0) | (vgrp1 ? DB_VGRP1 : 0);

    vpt_put_byte(g, &v, DOORBELL_BYTE, db);
    memset(l->vsgi_cfg, 0, sizeof l->vsgi_cfg);
    l->vsgi_pend = 0;
}

const char *gic_vpe_doorbell_state(struct gic *g, const struct gic_vpe *v)
{
    uint8_t db = vpt_byte(g, v, DOORBELL_BYTE);

    if (db & DB_RANG)
        return "rang";
    if (!(db & DB_OWED))
        return "not requested: GICR_VPENDBASER.DB was 0 (or PendingLast 1) when it was made "
               "non-resident";
    if (!(db & DB_VGRP1))
        return "owed, but VGRP1EN was 0 when it was made non-resident";
    return "owed";
}
