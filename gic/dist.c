/* The GICv3 distributor (IHI 0069, the GICD_* registers of chapter 12) in
 * its single-security-state form, plus the GIC's life cycle (gic_new,
 * gic_reset, gic_free), the SPI input and the SPI routing oracle.
 *
 * The model, in the order a reader needs it:
 * - GICD_CTLR.DS = 1 and ARE = 1, both RAO/WI. Affinity routing is the only
 *   routing, so every GICD register (or register field) for INTIDs 0-31 is
 *   RAZ/WI here: SGIs and PPIs live in the redistributors (redist.c).
 * - Every write takes effect at once, so GICD_CTLR.RWP always reads 0.
 * - An SPI's level is the OR of its wire (gic_set_spi) and of the message
 *   level set by GICD_SETSPI_NSR; see struct gic_irq.
 * - gic_spi_target() is the one place that decides where an SPI goes.
 * - A change of state ends with gic_update() for each PE whose view can
 *   have changed: the SPI's target before and after the change. Before
 *   that, the change is passed to hppi.c (gic_hppi_irq_changed and its
 *   siblings, see the head of hppi.c), and a change of pending or active
 *   state to gic_note_change() (transition.c), which reports it when
 *   tracing.
 * - Accesses of a size a register does not support, misaligned accesses,
 *   and reserved offsets are RAZ/WI (a CONSTRAINED UNPREDICTABLE choice,
 *   documented in docs/gic.md); no guest value can crash the model.
 *
 * Registers are a table (gicd_regs): offset, extent, the access sizes the
 * architecture requires, and the read and write functions. */
#include "gic/gic_internal.h"
#include "pmr/pmr.h"

#include <stdlib.h>
#include <string.h>

#define ACCESS_8  (1u << 0)
#define ACCESS_16 (1u << 1)
#define ACCESS_32 (1u << 2)
#define ACCESS_64 (1u << 3)

#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS  (1u << 6)

/* GICD_TYPER fields. */
#define GICD_TYPER_A3V          (1u << 24)
#define GICD_TYPER_IDBITS_SHIFT 19
#define GICD_TYPER_MBIS         (1u << 16)
#define GICD_TYPER_LPIS         (1u << 17)
#define GICD_TYPER_DVIS         (1u << 18)

/* Implementer Arm (JEP106 0x43B), revision 0, variant 0, product 0: the
 * value QEMU's GICv3 reports, so guests compare equal on both. */
#define GIC_IIDR 0x0000043Bu

#define GICD_IROUTER_IRM  (1ull << 31)
#define GICD_IROUTER_MASK 0x000000FF80FFFFFFull /* Aff3, IRM, Aff2, Aff1, Aff0 */
#define MPIDR_AFF_MASK    0x000000FF00FFFFFFull /* Aff3, Aff2, Aff1, Aff0 */

#define SETSPI_INTID_MASK 0x1FFFu /* GICD_SETSPI_NSR/CLRSPI_NSR.INTID, bits [12:0] */

/* The bit-per-interrupt registers, one function pair serves them all. */
struct gicd_reg {
    const char *name;
    uint32_t offset; /* first byte */
    uint32_t length; /* bytes covered by all instances */
    uint8_t sizes;   /* ACCESS_* the architecture requires */
    int arg;         /* passed to the functions (the bank kind) */
    uint64_t (*read)(struct gic *g, int arg, uint32_t off, unsigned size);
    void (*write)(struct gic *g, int arg, uint32_t off, unsigned size, uint64_t value);
};

/* ---- Interrupt lookup and routing ---------------------------------------- */

struct gic_irq *gic_irq(struct gic *g, unsigned pe, unsigned intid)
{
    if (intid < GIC_SPI_BASE)
        return pe < g->cfg.num_pes ? &g->cpu[pe].local[intid] : NULL;
    if (intid - GIC_SPI_BASE < g->cfg.num_spis)
        return &g->spi[intid - GIC_SPI_BASE];
    return NULL;
}

static struct gic_irq *spi_irq(struct gic *g, unsigned intid)
{
    return intid >= GIC_SPI_BASE ? gic_irq(g, 0, intid) : NULL;
}

static int pe_by_affinity(const struct gic *g, uint64_t aff)
{
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++) {
        if ((g->cfg.mpidr[pe] & MPIDR_AFF_MASK) == aff)
            return (int)pe;
    }
    return -1;
}

/* 1-of-N (GICD_IROUTER.Interrupt_Routing_Mode = 1): the architecture lets
 * the IRI pick any participating PE; this model makes the choice
 * deterministic: the lowest-numbered PE that has the interrupt's group
 * enabled in its CPU interface and is awake (GICR_WAKER.ProcessorSleep 0). */
static int pe_one_of_n(const struct gic *g, bool group1)
{
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++) {
        const struct gic_cpu *c = &g->cpu[pe];
        if (gic_cpu_group_enabled(c, group1) && !c->processor_sleep)
            return (int)pe;
    }
    return -1;
}

int gic_spi_target(struct gic *g, unsigned intid)
{
    const struct gic_irq *irq = spi_irq(g, intid);

    if (!irq)
        return -1;
    if (irq->route & GICD_IROUTER_IRM)
        return pe_one_of_n(g, irq->group1);
    return pe_by_affinity(g, irq->route & MPIDR_AFF_MASK);
}

static uint32_t spi_target_bit(struct gic *g, unsigned intid)
{
    int pe = gic_spi_target(g, intid);
    return pe < 0 ? 0 : 1u << pe;
}

static void update_pes(struct gic *g, uint32_t pes)
{
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++) {
        if (pes & (1u << pe))
            gic_update(g, pe);
    }
}

/* ---- Per-interrupt register semantics ------------------------------------ */

bool gic_bank_bit(const struct gic_irq *irq, enum gic_bank bank)
{
    switch (bank) {
    case BANK_GROUP: return irq->group1;
    case BANK_SET_ENABLE:
    case BANK_CLEAR_ENABLE: return irq->enabled;
    case BANK_SET_PENDING:
    case BANK_CLEAR_PENDING: return gic_irq_pending(irq);
    case BANK_SET_ACTIVE:
    case BANK_CLEAR_ACTIVE: return irq->active;
    }
    return false;
}

bool gic_bank_apply(struct gic_irq *irq, enum gic_bank bank, bool bit)
{
    bool *field = NULL;

    switch (bank) {
    case BANK_GROUP: field = &irq->group1; break;
    case BANK_SET_ENABLE:
    case BANK_CLEAR_ENABLE: field = &irq->enabled; break;
    case BANK_SET_PENDING:
    case BANK_CLEAR_PENDING: field = &irq->latched; break;
    case BANK_SET_ACTIVE:
    case BANK_CLEAR_ACTIVE: field = &irq->active; break;
    }
    if (bank != BANK_GROUP) {
        if (!bit)
            return false;
        bit = bank == BANK_SET_ENABLE || bank == BANK_SET_PENDING || bank == BANK_SET_ACTIVE;
    }
    if (*field == bit)
        return false;
    *field = bit;
    return true;
}

/* ---- GICD_CTLR, TYPER, IIDR ------------------------------------------------ */

static uint64_t gicd_ctlr_read(struct gic *g, int arg, uint32_t off, unsigned size)
{
    (void)arg, (void)off, (void)size;
    return g->gicd_ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
}

/* With DS = 1 only the two group enables are writable; ARE and DS are
 * RAO/WI, E1NWF RAZ/WI (no 1-of-N wakeup), RWP reads 0. */
static void gicd_ctlr_write(struct gic *g, int arg, uint32_t off, unsigned size, uint64_t value)
{
    uint32_t enables = (uint32_t)value & (GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);

    (void)arg, (void)off, (void)size;
    if (enables == g->gicd_ctlr)
        return;
    g->gicd_ctlr = enables;
    gic_hppi_rebuild(g);
    gic_update_all(g);
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++)
        gic_vcpu_update(g, pe);
}

static uint64_t gicd_typer_read(struct gic *g, int arg, uint32_t off, unsigned size)
{
    /* ITLinesNumber N: INTIDs up to 32 * (N + 1) - 1; CPUNumber 0 as ARE is
     * always 1; No1N 0 (1-of-N supported); SecurityExtn 0 (DS). IDbits:
     * the LPI INTID bits, else 16; LPIS and, with GICv4, DVIS (direct
     * injection of virtual LPIs). */
    uint32_t value = GICD_TYPER_A3V | GICD_TYPER_MBIS | (g->cfg.num_spis / 32);
    unsigned idbits = g->cfg.lpi_bits ? g->cfg.lpi_bits : 16;

    (void)arg, (void)off, (void)size;
    value |= (idbits - 1) << GICD_TYPER_IDBITS_SHIFT;
    if (g->cfg.lpi_bits)
        value |= GICD_TYPER_LPIS;
    if (g->cfg.lpi_bits && g->cfg.version != GIC_V3)
        value |= GICD_TYPER_DVIS;
    return value;
}

static uint64_t gicd_iidr_read(struct gic *g, int arg, uint32_t off, unsigned size)
{
    (void)g, (void)arg, (void)off, (void)size;
    return GIC_IIDR;
}

/* ---- SETSPI_NSR / CLRSPI_NSR (message-based SPIs, GICD_TYPER.MBIS = 1) ---- */

/* Edge-triggered: the write latches pending, which acknowledge clears.
 * Level-sensitive: the write asserts a level that only CLRSPI deasserts, so
 * the SPI stays pending through acknowledge (IHI 0069, GICD_SETSPI_NSR).
 * A write for an invalid SPI or an SPI already pending has no effect. */
static void gicd_setspi_write(struct gic *g, int arg, uint32_t off, unsigned size, uint64_t value)
{
    unsigned intid = (unsigned)value & SETSPI_INTID_MASK;
    struct gic_irq *irq = spi_irq(g, intid);

    (void)arg, (void)size;
    if (off != 0 || !irq || gic_irq_pending(irq))
        return;
    struct gic_irq_snap before = gic_irq_snap(irq);
    if (irq->edge)
        irq->latched = true;
    else
        irq->msg = true;
    irq->level = irq->wire || irq->msg;
    gic_hppi_irq_changed(g, GIC_NO_PE, intid);
    gic_note_change(g, GIC_NO_PE, intid, before);
    update_pes(g, spi_target_bit(g, intid));
}

/* Removes the pending state: clears the latch and deasserts the message
 * level. A wire that is still asserted keeps a level-sensitive SPI pending. */
static void gicd_clrspi_write(struct gic *g, int arg, uint32_t off, unsigned size, uint64_t value)
{
    unsigned intid = (unsigned)value & SETSPI_INTID_MASK;
    struct gic_irq *irq = spi_irq(g, intid);

    (void)arg, (void)size;
    if (off != 0 || !irq || !gic_irq_pending(irq))
        return;
    struct gic_irq_snap before = gic_irq_snap(irq);
    irq->latched = false;
    irq->msg = false;
    irq->level = irq->wire;
    gic_hppi_irq_changed(g, GIC_NO_PE, intid);
    gic_note_change(g, GIC_NO_PE, intid, before);
    update_pes(g, spi_target_bit(g, intid));
}

/* ---- Bit-per-interrupt registers (IGROUPR, IS/ICENABLER, ...) ------------ */

/* Register n covers INTIDs 32n..32n+31; n = 0 (SGIs, PPIs) is RAZ/WI with
 * ARE = 1, and bits of unimplemented INTIDs are RAZ/WI. */
static uint64_t gicd_bank_read(struct gic *g, int arg, uint32_t off, unsigned size)
{
    unsigned first = (off / 4) * 32;
    uint32_t value = 0;

    (void)size;
    if (first == 0)
        return 0;
    for (unsigned i = 0; i < 32; i++) {
        const struct gic_irq *irq = spi_irq(g, first + i);
        if (irq && gic_bank_bit(irq, (enum gic_bank)arg))
            value |= 1u << i;
    }
    return value;
}

static void gicd_bank_write(struct gic *g, int arg, uint32_t off, unsigned size, uint64_t value)
{
    unsigned first = (off / 4) * 32;
    uint32_t pes = 0;

    (void)size;
    if (first == 0)
        return;
    for (unsigned i = 0; i < 32; i++) {
        struct gic_irq *irq = spi_irq(g, first + i);
        uint32_t before;
        if (!irq)
            continue;
        before = spi_target_bit(g, first + i); /* IGROUPR can move a 1-of-N SPI */
        struct gic_irq_snap state = gic_irq_snap(irq);
        if (!gic_bank_apply(irq, (enum gic_bank)arg, (value >> i) & 1))
            continue;
        gic_hppi_irq_changed(g, GIC_NO_PE, first + i);
        gic_note_change(g, GIC_NO_PE, first + i, state);
        pes |= before | spi_target_bit(g, first + i);
    }
    update_pes(g, pes);
}

/* ---- IPRIORITYR: one byte per INTID, byte- and word-accessible ----------- */

static uint64_t gicd_ipriorityr_read(struct gic *g, int arg, uint32_t off, unsigned size)
{
    uint32_t value = 0;

    (void)arg;
    for (unsigned i = 0; i < size; i++) {
        const struct gic_irq *irq = spi_irq(g, off + i);
        if (irq)
            value |= (uint32_t)irq->priority << (8 * i);
    }
    return value;
}

/* Unimplemented low-order priority bits are RAZ/WI (IHI 0069, "Interrupt
 * prioritization": an implementation keeps the high-order bits). */
static void gicd_ipriorityr_write(struct gic *g, int arg, uint32_t off, unsigned size,
                                  uint64_t value)
{
    uint32_t pes = 0;

    (void)arg;
    for (unsigned i = 0; i < size; i++) {
        struct gic_irq *irq = spi_irq(g, off + i);
        uint8_t prio = (uint8_t)(value >> (8 * i)) & pmr_priority_mask(g->cfg.pri_bits);
        if (!irq || irq->priority == prio)
            continue;
        irq->priority = prio;
        gic_hppi_priority_changed(g, GIC_NO_PE, off + i);
        pes |= spi_target_bit(g, off + i);
    }
    update_pes(g, pes);
}

/* ---- ICFGR: two bits per INTID, Int_config[1] = edge, Int_config[0] RES0 -- */

static uint64_t gicd_icfgr_read(struct gic *g, int arg, uint32_t off, unsigned size)
{
    unsigned first = (off / 4) * 16;
    uint32_t value = 0;

    (void)arg, (void)size;
    for (unsigned i = 0; i < 16; i++) {
        const struct gic_irq *irq = spi_irq(g, first + i);
        if (irq && irq->edge)
            value |= 2u << (2 * i);
    }
    return value;
}

static void gicd_icfgr_write(struct gic *g, int arg, uint32_t off, unsigned size, uint64_t value)
{
    unsigned first = (off / 4) * 16;
    uint32_t pes = 0;

    (void)arg, (void)size;
    for (unsigned i = 0; i < 16; i++) {
        struct gic_irq *irq = spi_irq(g, first + i);
        bool edge = (value >> (2 * i + 1)) & 1;
        if (!irq || irq->edge == edge)
            continue;
        struct gic_irq_snap before = gic_irq_snap(irq);
        irq->edge = edge; /* an asserted level stops counting as pending when edge-triggered */
        gic_hppi_irq_changed(g, GIC_NO_PE, first + i);
        gic_note_change(g, GIC_NO_PE, first + i, before);
        pes |= spi_target_bit(g, first + i);
    }
    update_pes(g, pes);
}

/* ---- IROUTER<n>: 64-bit, at 0x6000 + 8n, also accessible as two words ---- */

static uint64_t gicd_irouter_read(struct gic *g, int arg, uint32_t off, unsigned size)
{
    const struct gic_irq *irq = spi_irq(g, off / 8);

    (void)arg;
    if (!irq)
        return 0;
    if (size == 8)
        return irq->route;
    return (off & 4) ? irq->route >> 32 : irq->route & 0xFFFFFFFFu;
}

static void gicd_irouter_write(struct gic *g, int arg, uint32_t off, unsigned size, uint64_t value)
{
    unsigned intid = off / 8;
    struct gic_irq *irq = spi_irq(g, intid);
    uint64_t route;
    uint32_t before;

    (void)arg;
    if (!irq)
        return;
    route = irq->route;
    if (size == 8)
        route = value;
    else if (off & 4)
        route = (route & 0xFFFFFFFFu) | (value << 32);
    else
        route = (route & ~0xFFFFFFFFull) | (value & 0xFFFFFFFFu);
    route &= GICD_IROUTER_MASK;
    if (route == irq->route)
        return;
    before = spi_target_bit(g, intid);
    irq->route = route;
    gic_hppi_irq_changed(g, GIC_NO_PE, intid);
    update_pes(g, before | spi_target_bit(g, intid));
}

/* ---- Identification registers (0xFFD0-0xFFFC) ---------------------------- */

/* PIDR4-7, PIDR0-3, CIDR0-3 as QEMU's GICv3 distributor (an Arm GIC-500
 * style CoreSight identity); PIDR2.ArchRev [7:4] = 3 means GICv3. */
static const uint8_t gicd_id_regs[12] = {0x44, 0x00, 0x00, 0x00, 0x92, 0xB4,
                                         0x3B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

static uint64_t gicd_id_read(struct gic *g, int arg, uint32_t off, unsigned size)
{
    (void)g, (void)arg, (void)size;
    return gicd_id_regs[off / 4];
}

/* ---- The register table ---------------------------------------------------- */

#define W   ACCESS_32
#define BW  (ACCESS_8 | ACCESS_32)
#define HW  (ACCESS_16 | ACCESS_32)
#define WD  (ACCESS_32 | ACCESS_64)
#define RAZ NULL
#define WI  NULL

static const struct gicd_reg gicd_regs[] = {
    {"GICD_CTLR", 0x0000, 4, W, 0, gicd_ctlr_read, gicd_ctlr_write},
    {"GICD_TYPER", 0x0004, 4, W, 0, gicd_typer_read, WI},
    {"GICD_IIDR", 0x0008, 4, W, 0, gicd_iidr_read, WI},
    {"GICD_STATUSR", 0x0010, 4, W, 0, RAZ, WI}, /* no RAS: RAZ/WI */
    {"GICD_SETSPI_NSR", 0x0040, 4, HW, 0, RAZ, gicd_setspi_write},
    {"GICD_CLRSPI_NSR", 0x0048, 4, HW, 0, RAZ, gicd_clrspi_write},
    {"GICD_IGROUPR", 0x0080, 0x80, W, BANK_GROUP, gicd_bank_read, gicd_bank_write},
    {"GICD_ISENABLER", 0x0100, 0x80, W, BANK_SET_ENABLE, gicd_bank_read, gicd_bank_write},
    {"GICD_ICENABLER", 0x0180, 0x80, W, BANK_CLEAR_ENABLE, gicd_bank_read, gicd_bank_write},
    {"GICD_ISPENDR", 0x0200, 0x80, W, BANK_SET_PENDING, gicd_bank_read, gicd_bank_write},
    {"GICD_ICPENDR", 0x0280, 0x80, W, BANK_CLEAR_PENDING, gicd_bank_read, gicd_bank_write},
    {"GICD_ISACTIVER", 0x0300, 0x80, W, BANK_SET_ACTIVE, gicd_bank_read, gicd_bank_write},
    {"GICD_ICACTIVER", 0x0380, 0x80, W, BANK_CLEAR_ACTIVE, gicd_bank_read, gicd_bank_write},
    {"GICD_IPRIORITYR", 0x0400, 0x400, BW, 0, gicd_ipriorityr_read, gicd_ipriorityr_write},
    {"GICD_ITARGETSR", 0x0800, 0x400, BW, 0, RAZ, WI}, /* ARE = 1 */
    {"GICD_ICFGR", 0x0C00, 0x100, W, 0, gicd_icfgr_read, gicd_icfgr_write},
    {"GICD_IGRPMODR", 0x0D00, 0x80, W, 0, RAZ, WI}, /* DS = 1 */
    {"GICD_NSACR", 0x0E00, 0x100, W, 0, RAZ, WI},   /* DS = 1 */
    {"GICD_SGIR", 0x0F00, 4, W, 0, RAZ, WI},        /* ARE = 1 */
    {"GICD_CPENDSGIR", 0x0F10, 0x10, BW, 0, RAZ, WI},
    {"GICD_SPENDSGIR", 0x0F20, 0x10, BW, 0, RAZ, WI},
    {"GICD_IROUTER", 0x6000, 0x2000, WD, 0, gicd_irouter_read, gicd_irouter_write},
    {"GICD_PIDR4..CIDR3", 0xFFD0, 0x30, W, 0, gicd_id_read, WI},
};

#undef W
#undef BW
#undef HW
#undef WD
#undef RAZ
#undef WI

static unsigned access_bit(unsigned size)
{
    switch (size) {
    case 1: return ACCESS_8;
    case 2: return ACCESS_16;
    case 4: return ACCESS_32;
    case 8: return ACCESS_64;
    }
    return 0;
}

/* The register an access reaches, or NULL when the architecture leaves the
 * access undefined: a reserved offset, an unsupported size, a misaligned
 * address, or an access that runs past the register. */
static const struct gicd_reg *gicd_lookup(uint64_t offset, unsigned size)
{
    unsigned bit = access_bit(size);

    if (!bit || offset % size != 0)
        return NULL;
    for (size_t i = 0; i < sizeof gicd_regs / sizeof gicd_regs[0]; i++) {
        const struct gicd_reg *r = &gicd_regs[i];
        if (offset < r->offset || offset - r->offset >= r->length)
            continue;
        return (r->sizes & bit) && offset - r->offset + size <= r->length ? r : NULL;
    }
    return NULL;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

bool gicd_read(struct gic *g, uint64_t offset, unsigned size, uint64_t *value)
{
    const struct gicd_reg *r = gicd_lookup(offset, size);

    *value = 0;
    if (r && r->read)
        *value = r->read(g, r->arg, (uint32_t)(offset - r->offset), size) & size_mask(size);
    return true;
}

bool gicd_write(struct gic *g, uint64_t offset, unsigned size, uint64_t value)
{
    const struct gicd_reg *r = gicd_lookup(offset, size);

    if (r && r->write)
        r->write(g, r->arg, (uint32_t)(offset - r->offset), size, value & size_mask(size));
    return true;
}

/* ---- Inputs ---------------------------------------------------------------- */

/* Shared by gic_set_spi and gic_set_ppi: a rising edge of the wire latches
 * an edge-triggered interrupt; a level-sensitive one follows the level.
 * False when the wire did not change. */
static bool drive_wire(struct gic_irq *irq, bool level)
{
    if (irq->wire == level)
        return false;
    irq->wire = level;
    irq->level = irq->wire || irq->msg;
    if (level && irq->edge)
        irq->latched = true;
    return true;
}

void gic_set_spi(struct gic *g, unsigned intid, bool level)
{
    struct gic_irq *irq = spi_irq(g, intid);

    if (!irq)
        return;
    struct gic_irq_snap before = gic_irq_snap(irq);
    if (!drive_wire(irq, level))
        return;
    gic_hppi_irq_changed(g, GIC_NO_PE, intid);
    gic_note_change(g, GIC_NO_PE, intid, before);
    update_pes(g, spi_target_bit(g, intid));
}

void gic_set_ppi(struct gic *g, unsigned pe, unsigned intid, bool level)
{
    struct gic_irq *irq;

    if (intid < GIC_PPI_BASE || intid >= GIC_SPI_BASE)
        return;
    irq = gic_irq(g, pe, intid);
    if (!irq)
        return;
    struct gic_irq_snap before = gic_irq_snap(irq);
    if (!drive_wire(irq, level))
        return;
    gic_hppi_irq_changed(g, pe, intid);
    gic_note_change(g, pe, intid, before);
    gic_update(g, pe);
}

/* ---- Life cycle -------------------------------------------------------------- */

static bool config_valid(const struct gic_config *cfg)
{
    return cfg->num_pes >= 1 && cfg->num_pes <= GIC_MAX_PES && cfg->num_spis >= 32 &&
           cfg->num_spis <= GIC_MAX_SPIS && cfg->num_spis % 32 == 0 && cfg->pri_bits >= 4 &&
           cfg->pri_bits <= 8 && cfg->num_lrs <= GIC_MAX_LRS &&
           (cfg->lpi_bits == 0 ||
            (cfg->lpi_bits >= GIC_MIN_LPI_BITS && cfg->lpi_bits <= GIC_MAX_LPI_BITS)) &&
           (!cfg->its || cfg->lpi_bits) && cfg->version <= GIC_V41;
}

/* Reset state of one interrupt. The wire is outside the GIC's reset domain:
 * a device that holds its line asserted keeps it asserted, and will not
 * drive it again, so the level survives a GIC reset. A pending or active
 * state the reset ends is reported at the PE it was at (PE: the SGI's or
 * PPI's own, GIC_NO_PE for an SPI, whose target is taken before the
 * reset clears its route). */
static void irq_reset(struct gic *g, struct gic_irq *irq, unsigned pe, unsigned intid, bool edge)
{
    struct gic_irq_snap before = gic_irq_snap(irq);
    bool wire = irq->wire;
    int target = -1;

    /* Most interrupts are idle at a reset: only a busy one needs its PE. */
    if (before.pending || before.active)
        target = pe == GIC_NO_PE ? gic_spi_target(g, intid) : (int)pe;
    memset(irq, 0, sizeof *irq);
    irq->wire = wire;
    irq->level = wire;
    irq->edge = edge;
    if (target >= 0 && (unsigned)target < g->cfg.num_pes)
        gic_note_change(g, (unsigned)target, intid, before);
}

/* A PE's redistributor and CPU interface. The CPU-interface values are
 * those its section of docs/gic.md gives; irq_out/fiq_out keep what the
 * lines last showed so the final gic_update_all() lowers them. */
static void cpu_reset(struct gic *g, unsigned pe)
{
    struct gic_cpu *c = &g->cpu[pe];
    bool irq_out = c->irq_out, fiq_out = c->fiq_out;

    for (unsigned i = 0; i < 32; i++)
        irq_reset(g, &c->local[i], pe, i, i < GIC_PPI_BASE); /* SGIs are always edge */
    c->gicr_ctlr = 0;
    c->vsgir = 0;
    c->processor_sleep = true; /* GICR_WAKER.ProcessorSleep resets to 1 */
    c->pmr = 0;
    c->bpr0 = (uint8_t)pmr_min_bpr0(g->cfg.pri_bits); /* the minimum binary points */
    c->bpr1 = (uint8_t)pmr_min_bpr1(g->cfg.pri_bits);
    c->ctlr = 0;
    c->sre = 0x7; /* SRE, DFB, DIB: RAO/WI, system registers only */
    c->igrpen0 = false;
    c->igrpen1 = false;
    memset(c->ap0, 0, sizeof c->ap0);
    memset(c->ap1, 0, sizeof c->ap1);
    c->irq_out = irq_out;
    c->fiq_out = fiq_out;
    gic_lpis_reset(g, pe);
    gic_vcpu_reset(g, pe);
}

void gic_reset(struct gic *g)
{
    g->gicd_ctlr = 0;
    for (unsigned i = 0; i < g->cfg.num_spis; i++)
        irq_reset(g, &g->spi[i], GIC_NO_PE, GIC_SPI_BASE + i, false); /* level, Group 0, prio 0 */
    for (unsigned pe = 0; pe < GIC_MAX_PES; pe++)
        cpu_reset(g, pe);
    gic_its_reset(g);
    gic_hppi_rebuild(g);
    gic_update_all(g);
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++)
        gic_vcpu_update(g, pe);
}

struct gic *gic_new(const struct gic_config *cfg)
{
    struct gic *g;

    if (!cfg || !config_valid(cfg))
        return NULL;
    g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->cfg = *cfg;
    g->access_pe = -1;
    g->spi = calloc(cfg->num_spis, sizeof *g->spi);
    if (!g->spi || !gic_sysregs_build(g) || !gic_lpis_alloc(g) || !gic_its_new(g)) {
        gic_free(g);
        return NULL;
    }
    gic_reset(g);
    return g;
}

void gic_free(struct gic *g)
{
    if (!g)
        return;
    gic_its_free(g);
    gic_lpis_free(g);
    free(g->sysregs);
    free(g->spi);
    free(g);
}
