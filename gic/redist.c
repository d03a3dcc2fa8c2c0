/* The GICv3 redistributors (IHI 0069, the GICR_* registers of chapter 12):
 * one per PE, each a pair of 64 KiB frames, RD_base (control, identity,
 * power) and SGI_base (the SGI and PPI configuration that GICD holds for
 * SPIs). gicr_read/gicr_write take the offset from the start of PE 0's
 * RD_base; PE p's pair starts at p * 0x20000.
 *
 * With GICv4 each PE has two more frames, VLPI_base and a reserved one
 * (IHI 0069 9.x), so PE p's frames start at p * gic_redist_stride().
 * GICv4.1 changes the layouts of GICR_VPROPBASER and GICR_VPENDBASER
 * (gic/vpe.c, gic/lpi.c) and adds GICR_VSGIR/VSGIPENDR to VLPI_base.
 *
 * What is implemented, and what is not:
 * - LPIs (lpi.c) when the GIC has them: GICR_TYPER.PLPIS = 1, DirectLPI =
 *   1 (GICR_SETLPIR, CLRLPIR, INVLPIR, INVALLR, SYNCR), CommonLPIAff = 0
 *   (one property table for all). GICR_CTLR.EnableLPIs can be cleared
 *   again (IMPLEMENTATION DEFINED in GICv3; the pending table in memory
 *   keeps the state). Without LPIs all of these are RAZ/WI.
 * - GICR_TYPER.DPGS = 0: the GICR_CTLR.DPG* bits are RES0, and 1-of-N
 *   selection is decided by gic_spi_target() in dist.c alone.
 * - Writes take effect at once: GICR_CTLR.RWP and UWP read 0.
 * - GICR_WAKER: ChildrenAsleep follows ProcessorSleep immediately, so the
 *   power-down and wake-up handshakes complete on the first poll.
 * - Wrong sizes, misaligned accesses and reserved offsets are RAZ/WI, as in
 *   the distributor (docs/gic.md). */
#include "gic/gic_internal.h"
#include "pmr/pmr.h"

#define ACCESS_8  (1u << 0)
#define ACCESS_32 (1u << 2)
#define ACCESS_64 (1u << 3)

#define GICR_FRAME 0x10000u

#define GICR_CTLR_ENABLE_LPIS      (1u << 0)
#define GICR_TYPER_PLPIS           (1u << 0)
#define GICR_TYPER_VLPIS           (1u << 1)
#define GICR_TYPER_DIRECT_LPI      (1u << 3)
#define GICR_TYPER_LAST            (1u << 4)
#define GICR_TYPER_RVPEID          (1u << 7)
#define GICR_LPIR_V                (1ull << 63) /* GICv4.1 INVLPIR/INVALLR: a vPE's */
#define GICR_TYPER_PROC_NUM_SHIFT  8
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)

#define GICR_ICFGR0_SGIS 0xAAAAAAAAu /* every SGI edge-triggered, read-only */

/* Same identity as the distributor (see GIC_IIDR in dist.c). */
#define GIC_IIDR 0x0000043Bu

struct gicr_reg {
    const char *name;
    uint32_t offset; /* within its 64 KiB frame */
    uint32_t length;
    uint8_t sizes;
    int arg;
    uint64_t (*read)(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size);
    void (*write)(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size, uint64_t value);
};

/* ---- RD_base: CTLR, IIDR, TYPER, WAKER ----------------------------------- */

static uint64_t gicr_iidr_read(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size)
{
    (void)g, (void)pe, (void)arg, (void)off, (void)size;
    return GIC_IIDR;
}

/* Affinity_Value [63:32] is Aff3.Aff2.Aff1.Aff0 of the PE's MPIDR;
 * Processor_Number [23:8] the PE index; Last [4] marks the final frame. */
static uint64_t gicr_typer_value(const struct gic *g, unsigned pe)
{
    uint64_t mpidr = g->cfg.mpidr[pe];
    uint64_t aff = ((mpidr >> 32) & 0xFF) << 24 | (mpidr & 0xFFFFFF);
    uint64_t value = aff << 32 | (uint64_t)pe << GICR_TYPER_PROC_NUM_SHIFT;

    if (pe == g->cfg.num_pes - 1)
        value |= GICR_TYPER_LAST;
    if (g->num_lpis)
        value |= GICR_TYPER_PLPIS | GICR_TYPER_DIRECT_LPI;
    if (g->num_lpis && g->cfg.version != GIC_V3)
        value |= GICR_TYPER_VLPIS;
    if (g->num_lpis && g->cfg.version == GIC_V41)
        value |= GICR_TYPER_RVPEID; /* CommonLPIAff 0: one vPE table for all */
    return value;
}

static uint64_t gicr_typer_read(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size)
{
    uint64_t value = gicr_typer_value(g, pe);

    (void)arg;
    if (size == 8)
        return value;
    return (off & 4) ? value >> 32 : value & 0xFFFFFFFFu;
}

static uint64_t gicr_waker_read(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size)
{
    (void)arg, (void)off, (void)size;
    if (!g->cpu[pe].processor_sleep)
        return 0;
    return GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP;
}

/* Only ProcessorSleep is writable; bits 0 and 31 (IMPLEMENTATION DEFINED)
 * are RAZ/WI here. Sleep changes which PEs take part in 1-of-N routing, so
 * the HPPI state is rebuilt and every PE recomputed. */
static void gicr_waker_write(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size,
                             uint64_t value)
{
    bool sleep = (value & GICR_WAKER_PROCESSOR_SLEEP) != 0;

    (void)arg, (void)off, (void)size;
    if (g->cpu[pe].processor_sleep == sleep)
        return;
    g->cpu[pe].processor_sleep = sleep;
    gic_hppi_rebuild(g);
    gic_update_all(g);
}

/* ---- LPIs: CTLR.EnableLPIs, PROPBASER, PENDBASER, the direct registers -- */

static uint64_t gicr_ctlr_read(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size)
{
    (void)arg, (void)off, (void)size;
    return g->cpu[pe].lpi.enabled ? GICR_CTLR_ENABLE_LPIS : 0; /* RWP, UWP 0 */
}

static void gicr_ctlr_write(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size,
                            uint64_t value)
{
    (void)arg, (void)off, (void)size;
    gic_lpi_enable(g, pe, value & GICR_CTLR_ENABLE_LPIS);
}

/* ARG: 0 PROPBASER, 1 PENDBASER; 64-bit, or either 32-bit half. */
static uint64_t gicr_baser_read(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size)
{
    uint64_t value = arg ? gic_lpi_pendbaser(g, pe) : gic_lpi_propbaser(g, pe);
    if (size == 8)
        return value;
    return (off & 4) ? value >> 32 : value & 0xFFFFFFFFu;
}

static void gicr_baser_write(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size,
                             uint64_t value)
{
    uint64_t old = arg ? gic_lpi_pendbaser(g, pe) : gic_lpi_propbaser(g, pe);
    if (size == 4)
        value = (off & 4) ? (old & 0xFFFFFFFFu) | value << 32 : (old & ~0xFFFFFFFFull) | value;
    if (arg)
        gic_lpi_set_pendbaser(g, pe, value);
    else
        gic_lpi_set_propbaser(g, pe, value);
}

/* VLPI_base: ARG 0 GICR_VPROPBASER, 1 GICR_VPENDBASER (GICv4.0 layouts). */
static uint64_t gicr_vbaser_read(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size)
{
    uint64_t value = arg ? gic_vlpi_vpendbaser(g, pe) : gic_vlpi_vpropbaser(g, pe);
    if (size == 8)
        return value;
    return (off & 4) ? value >> 32 : value & 0xFFFFFFFFu;
}

static void gicr_vbaser_write(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size,
                              uint64_t value)
{
    uint64_t old = arg ? gic_vlpi_vpendbaser(g, pe) : gic_vlpi_vpropbaser(g, pe);
    if (size == 4)
        value = (off & 4) ? (old & 0xFFFFFFFFu) | value << 32 : (old & ~0xFFFFFFFFull) | value;
    if (arg)
        gic_vlpi_set_vpendbaser(g, pe, value);
    else
        gic_vlpi_set_vpropbaser(g, pe, value);
}

/* With GICv4.1, V = 1 in GICR_INVLPIR or GICR_INVALLR names the vLPIs of
 * vPE VPEID [47:32]: they are re-read when that vPE is resident here, and
 * there is nothing cached otherwise. */
static bool vpe_resident_here(struct gic *g, unsigned pe, uint64_t value)
{
    return g->cpu[pe].vlpi.enabled &&
           (g->cpu[pe].vlpi.vpend41 & 0xFFFF) == ((value >> 32) & 0xFFFF);
}

/* ARG: 0 SETLPIR, 1 CLRLPIR, 2 INVLPIR: pINTID in [31:0]. */
static void gicr_lpir_write(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size,
                            uint64_t value)
{
    unsigned intid = (unsigned)(value & 0xFFFFFFFFu);

    (void)off, (void)size;
    if (arg == 2 && g->cfg.version == GIC_V41 && (value & GICR_LPIR_V)) {
        if (vpe_resident_here(g, pe, value) && gic_is_lpi(g, intid))
            gic_vlpi_invalidate(g, pe, intid);
    } else if (arg == 2) {
        gic_lpi_invalidate(g, pe, intid);
    } else {
        gic_lpi_set_pending(g, pe, intid, arg == 0);
    }
}

static void gicr_invallr_write(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size,
                               uint64_t value)
{
    (void)arg, (void)off, (void)size;
    if (g->cfg.version == GIC_V41 && (value & GICR_LPIR_V)) {
        if (vpe_resident_here(g, pe, value))
            gic_vlpi_invalidate_all(g, pe);
    } else {
        gic_lpi_invalidate_all(g, pe);
    }
}

/* GICR_VSGIR and GICR_VSGIPENDR (GICv4.1): a write of VPEID [15:0] asks
 * for that vPE's vSGI pending bits; the answer is ready at once (Busy
 * [31] reads 0), from the redistributor when the vPE is resident here and
 * from its VPT otherwise, and 0 for a vPE the vPE table does not map. */
static uint64_t gicr_vsgir_read(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size)
{
    (void)arg, (void)off, (void)size;
    return g->cpu[pe].vsgir;
}

static void gicr_vsgir_write(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size,
                             uint64_t value)
{
    (void)arg, (void)off, (void)size;
    g->cpu[pe].vsgir = (uint32_t)(value & 0xFFFF);
}

static uint64_t gicr_vsgipendr_read(struct gic *g, unsigned pe, int arg, uint32_t off,
                                    unsigned size)
{
    struct gic_vpe v;

    (void)arg, (void)off, (void)size;
    if (!gic_vpe_lookup(g, pe, g->cpu[pe].vsgir, &v))
        return 0;
    return gic_vsgi_pending_of(g, &v);
}

/* PIDR4-7, PIDR0-3, CIDR0-3: the distributor's values but PIDR0 = 0x93, the
 * part number QEMU's GICv3 gives its redistributor frames. */
static const uint8_t gicr_id_regs[12] = {0x44, 0x00, 0x00, 0x00, 0x93, 0xB4,
                                         0x3B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

static uint64_t gicr_id_read(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size)
{
    (void)g, (void)pe, (void)arg, (void)size;
    return gicr_id_regs[off / 4];
}

/* ---- SGI_base: the bit-per-interrupt registers for INTIDs 0-31 ----------- */

static uint64_t gicr_bank_read(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size)
{
    uint32_t value = 0;

    (void)off, (void)size;
    for (unsigned i = 0; i < 32; i++) {
        if (gic_bank_bit(&g->cpu[pe].local[i], (enum gic_bank)arg))
            value |= 1u << i;
    }
    return value;
}

static void gicr_bank_write(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size,
                            uint64_t value)
{
    bool changed = false;

    (void)off, (void)size;
    for (unsigned i = 0; i < 32; i++) {
        struct gic_irq *irq = &g->cpu[pe].local[i];
        struct gic_irq_snap before = gic_irq_snap(irq);
        if (!gic_bank_apply(irq, (enum gic_bank)arg, (value >> i) & 1))
            continue;
        gic_hppi_irq_changed(g, pe, i);
        gic_note_change(g, pe, i, before);
        changed = true;
    }
    if (changed)
        gic_update(g, pe);
}

/* ---- IPRIORITYR0-7: byte- and word-accessible ----------------------------- */

static uint64_t gicr_ipriorityr_read(struct gic *g, unsigned pe, int arg, uint32_t off,
                                     unsigned size)
{
    uint32_t value = 0;

    (void)arg;
    for (unsigned i = 0; i < size; i++)
        value |= (uint32_t)g->cpu[pe].local[off + i].priority << (8 * i);
    return value;
}

static void gicr_ipriorityr_write(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size,
                                  uint64_t value)
{
    uint8_t mask = pmr_priority_mask(g->cfg.pri_bits); /* unimplemented low bits RAZ/WI */
    bool changed = false;

    (void)arg;
    for (unsigned i = 0; i < size; i++) {
        struct gic_irq *irq = &g->cpu[pe].local[off + i];
        uint8_t prio = (uint8_t)(value >> (8 * i)) & mask;
        if (irq->priority == prio)
            continue;
        irq->priority = prio;
        gic_hppi_priority_changed(g, pe, off + i);
        changed = true;
    }
    if (changed)
        gic_update(g, pe);
}

/* ---- ICFGR0 (SGIs: read-only, edge) and ICFGR1 (PPIs: programmable) ------- */

static uint64_t gicr_icfgr_read(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size)
{
    uint32_t value = 0;

    (void)arg, (void)size;
    if (off == 0)
        return GICR_ICFGR0_SGIS;
    for (unsigned i = 0; i < 16; i++) {
        if (g->cpu[pe].local[GIC_PPI_BASE + i].edge)
            value |= 2u << (2 * i);
    }
    return value;
}

/* Whether PPIs are configurable is IMPLEMENTATION DEFINED; here they are,
 * so a guest can make a PPI edge-triggered. Int_config[0] is RES0. */
static void gicr_icfgr_write(struct gic *g, unsigned pe, int arg, uint32_t off, unsigned size,
                             uint64_t value)
{
    bool changed = false;

    (void)arg, (void)size;
    if (off == 0)
        return;
    for (unsigned i = 0; i < 16; i++) {
        struct gic_irq *irq = &g->cpu[pe].local[GIC_PPI_BASE + i];
        bool edge = (value >> (2 * i + 1)) & 1;
        if (irq->edge == edge)
            continue;
        struct gic_irq_snap before = gic_irq_snap(irq);
        irq->edge = edge;
        gic_hppi_irq_changed(g, pe, GIC_PPI_BASE + i);
        gic_note_change(g, pe, GIC_PPI_BASE + i, before);
        changed = true;
    }
    if (changed)
        gic_update(g, pe);
}

/* ---- The register tables ----------------------------------------------------- */

#define W   ACCESS_32
#define BW  (ACCESS_8 | ACCESS_32)
#define WD  (ACCESS_32 | ACCESS_64)
#define RAZ NULL
#define WI  NULL

static const struct gicr_reg gicr_rd_regs[] = {
    {"GICR_CTLR", 0x0000, 4, W, 0, gicr_ctlr_read, gicr_ctlr_write}, /* DPG* RES0 */
    {"GICR_IIDR", 0x0004, 4, W, 0, gicr_iidr_read, WI},
    {"GICR_TYPER", 0x0008, 8, WD, 0, gicr_typer_read, WI},
    {"GICR_STATUSR", 0x0010, 4, W, 0, RAZ, WI}, /* no RAS: RAZ/WI */
    {"GICR_WAKER", 0x0014, 4, W, 0, gicr_waker_read, gicr_waker_write},
    {"GICR_PIDR4..CIDR3", 0xFFD0, 0x30, W, 0, gicr_id_read, WI},
};

/* Present only with LPIs. */
static const struct gicr_reg gicr_lpi_regs[] = {
    {"GICR_SETLPIR", 0x0040, 8, WD, 0, RAZ, gicr_lpir_write},
    {"GICR_CLRLPIR", 0x0048, 8, WD, 1, RAZ, gicr_lpir_write},
    {"GICR_PROPBASER", 0x0070, 8, WD, 0, gicr_baser_read, gicr_baser_write},
    {"GICR_PENDBASER", 0x0078, 8, WD, 1, gicr_baser_read, gicr_baser_write},
    {"GICR_INVLPIR", 0x00A0, 8, WD, 2, RAZ, gicr_lpir_write},
    {"GICR_INVALLR", 0x00B0, 8, WD, 0, RAZ, gicr_invallr_write},
    {"GICR_SYNCR", 0x00C0, 4, W, 0, RAZ, WI}, /* Busy 0: every access completes at once */
};

static const struct gicr_reg gicr_sgi_regs[] = {
    {"GICR_IGROUPR0", 0x0080, 4, W, BANK_GROUP, gicr_bank_read, gicr_bank_write},
    {"GICR_ISENABLER0", 0x0100, 4, W, BANK_SET_ENABLE, gicr_bank_read, gicr_bank_write},
    {"GICR_ICENABLER0", 0x0180, 4, W, BANK_CLEAR_ENABLE, gicr_bank_read, gicr_bank_write},
    {"GICR_ISPENDR0", 0x0200, 4, W, BANK_SET_PENDING, gicr_bank_read, gicr_bank_write},
    {"GICR_ICPENDR0", 0x0280, 4, W, BANK_CLEAR_PENDING, gicr_bank_read, gicr_bank_write},
    {"GICR_ISACTIVER0", 0x0300, 4, W, BANK_SET_ACTIVE, gicr_bank_read, gicr_bank_write},
    {"GICR_ICACTIVER0", 0x0380, 4, W, BANK_CLEAR_ACTIVE, gicr_bank_read, gicr_bank_write},
    {"GICR_IPRIORITYR", 0x0400, 0x20, BW, 0, gicr_ipriorityr_read, gicr_ipriorityr_write},
    {"GICR_ICFGR", 0x0C00, 8, W, 0, gicr_icfgr_read, gicr_icfgr_write},
    {"GICR_IGRPMODR0", 0x0D00, 4, W, 0, RAZ, WI}, /* DS = 1 */
    {"GICR_NSACR", 0x0E00, 4, W, 0, RAZ, WI},     /* DS = 1 */
};

/* VLPI_base, with GICv4 and LPIs, and GICv4.1's vSGI registers. */
static const struct gicr_reg gicr_vlpi_regs[] = {
    {"GICR_VPROPBASER", 0x0070, 8, WD, 0, gicr_vbaser_read, gicr_vbaser_write},
    {"GICR_VPENDBASER", 0x0078, 8, WD, 1, gicr_vbaser_read, gicr_vbaser_write},
};

static const struct gicr_reg gicr_vsgi_regs[] = {
    {"GICR_VSGIR", 0x0080, 4, W, 0, gicr_vsgir_read, gicr_vsgir_write},
    {"GICR_VSGIPENDR", 0x0088, 4, W, 0, gicr_vsgipendr_read, WI},
};

#undef W
#undef BW
#undef WD
#undef RAZ
#undef WI

static unsigned access_bit(unsigned size)
{
    switch (size) {
    case 1: return ACCESS_8;
    case 4: return ACCESS_32;
    case 8: return ACCESS_64;
    }
    return 0; /* no GICR register takes halfword accesses */
}

static const struct gicr_reg *lookup_in(const struct gicr_reg *regs, size_t n, uint32_t off,
                                        unsigned size)
{
    unsigned bit = access_bit(size);

    if (!bit || off % size != 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const struct gicr_reg *r = &regs[i];
        if (off < r->offset || off - r->offset >= r->length)
            continue;
        return (r->sizes & bit) && off - r->offset + size <= r->length ? r : NULL;
    }
    return NULL;
}

/* Splits OFFSET into a PE and a frame offset and finds the register; NULL
 * for a PE that does not exist or an access the architecture leaves
 * undefined. */
uint64_t gic_redist_stride(enum gic_version v)
{
    return v == GIC_V3 ? 2 * GICR_FRAME : 4 * GICR_FRAME;
}

#define LOOKUP(regs, off, size) lookup_in(regs, sizeof regs / sizeof regs[0], off, size)

static const struct gicr_reg *gicr_lookup(const struct gic *g, uint64_t offset, unsigned size,
                                          unsigned *pe, uint32_t *off)
{
    uint64_t stride = gic_redist_stride(g->cfg.version);
    uint64_t frame_pe = offset / stride;
    uint32_t in_frames = (uint32_t)(offset % stride);
    uint32_t in_frame = in_frames % GICR_FRAME;
    const struct gicr_reg *r = NULL;

    if (frame_pe >= g->cfg.num_pes)
        return NULL;
    *pe = (unsigned)frame_pe;
    switch (in_frames / GICR_FRAME) {
    case 0:
        r = LOOKUP(gicr_rd_regs, in_frame, size);
        if (!r && g->num_lpis)
            r = LOOKUP(gicr_lpi_regs, in_frame, size);
        break;
    case 1: r = LOOKUP(gicr_sgi_regs, in_frame, size); break;
    case 2:
        if (g->num_lpis && g->cfg.version != GIC_V3)
            r = LOOKUP(gicr_vlpi_regs, in_frame, size);
        if (!r && g->num_lpis && g->cfg.version == GIC_V41)
            r = LOOKUP(gicr_vsgi_regs, in_frame, size);
        break;
    }
    if (r)
        *off = in_frame - r->offset;
    return r;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

bool gicr_read(struct gic *g, uint64_t offset, unsigned size, uint64_t *value)
{
    unsigned pe = 0;
    uint32_t off = 0;
    const struct gicr_reg *r = gicr_lookup(g, offset, size, &pe, &off);

    *value = 0;
    if (r && r->read)
        *value = r->read(g, pe, r->arg, off, size) & size_mask(size);
    return true;
}

bool gicr_write(struct gic *g, uint64_t offset, unsigned size, uint64_t value)
{
    unsigned pe = 0;
    uint32_t off = 0;
    const struct gicr_reg *r = gicr_lookup(g, offset, size, &pe, &off);

    if (r && r->write)
        r->write(g, pe, r->arg, off, size, value & size_mask(size));
    return true;
}
