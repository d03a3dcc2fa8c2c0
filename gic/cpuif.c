/* The GICv3 CPU interface of each PE: the ICC_* system registers, the
 * highest-priority pending interrupt, and the PE's IRQ/FIQ outputs
 * (IHI 0069, "The GIC CPU interface" and "Interrupt prioritization").
 *
 * The model in a few rules:
 *
 * - gic_update(g, pe) is the only function that drives a PE's outputs. It
 *   takes the highest-priority pending interrupt (HPPI) routed to the PE,
 *   among those that are pending, not active, enabled and whose group is
 *   enabled both in the Distributor and at this CPU interface (a disabled
 *   group does not hide a lower-priority interrupt of the other group);
 *   equal priorities go to the lowest INTID. hppi.c keeps it up to date
 *   incrementally (gic_hppi). pmr_decide() then says whether it is
 *   signalled: Group 0 on FIQ, Group 1 on IRQ (GICD_CTLR.DS = 1). The
 *   callback runs only when a line changes.
 *
 * - Acknowledge (ICC_IAR0/1_EL1) takes the HPPI if it can be signalled and
 *   belongs to the register's group, else returns 1023. There is no EL3, so
 *   the special INTIDs 1020/1021 (EL3 only) are never returned, and 1022
 *   belongs to the GICv2 legacy interface: the other group's HPPI reads as
 *   1023. Acknowledging clears the pending latch and sets active; a
 *   level-sensitive interrupt whose input is still asserted therefore stays
 *   pending (active and pending) and is offered again once deactivated.
 *
 * - Active priorities: one bit per group priority, bit n standing for group
 *   priority n << (8 - preemption bits), in ICC_AP0Rn (Group 0) or
 *   ICC_AP1Rn (Group 1). The running priority (ICC_RPR_EL1) is the lowest
 *   set bit over both groups, 0xff when none. ICC_EOIRn drops the running
 *   priority (clears that bit); with ICC_CTLR_EL1.EOImode = 0 it also
 *   deactivates the INTID written, with EOImode = 1 ICC_DIR_EL1 does that.
 *
 * - Transitions (gic_config.transition): this file reports the two that
 *   only the CPU interface sees, acknowledged (IAR) and priority drop
 *   (EOIR), at the PE that made the access; deactivation by EOIR or DIR
 *   and an SGI's arrival go through gic_note_change() like any other
 *   change of state.
 *
 * CONSTRAINED UNPREDICTABLE choices (the specification leaves them open):
 * - An EOIR write when no priority is active, or when the highest active
 *   priority belongs to the other group, is ignored entirely (no drop, no
 *   deactivation), as QEMU does.
 * - An EOIR/DIR write naming a special (1020-1023) or unimplemented INTID
 *   is ignored. A DIR write with EOImode = 0 is ignored.
 * - The same group priority active in both groups: the drop goes to Group 0.
 *
 * SGIs (ICC_SGI0R/SGI1R/ASGI1R_EL1), single Security state, the PE seen as
 * Non-secure as on QEMU's virt board without EL3: SGI0R makes the SGI
 * pending only where the target configures it as Group 0; SGI1R wherever it
 * is configured, either group (the GICR_NSACR permission for Group 0 does
 * not apply when DS = 1); ASGI1R, having no other Security state to target,
 * reaches Group 0 SGIs only. QEMU drops an SGI1R aimed at a Group 0 SGI;
 * this follows the specification's forwarding table as KVM reads it.
 * ICC_CTLR_EL1.RSS = 0, so RS is ignored and TargetList covers Aff0 0-15. */
#include "gic/gic_internal.h"

#include <assert.h>
#include <stdio.h>

#include "pmr/pmr.h"

#define ICC_CTLR_CBPR          (1u << 0)
#define ICC_CTLR_EOIMODE       (1u << 1)
#define ICC_CTLR_PMHE          (1u << 6)
#define ICC_CTLR_PRIBITS_SHIFT 8
#define ICC_CTLR_IDBITS_SHIFT  11
#define ICC_CTLR_A3V           (1u << 15)
#define ICC_CTLR_WRITABLE      (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE | ICC_CTLR_PMHE)

/* ICC_SRE_EL1.{SRE,DFB,DIB} and ICC_SRE_EL2.{SRE,DFB,DIB,Enable} are RAO/WI:
 * system registers only, no IRQ/FIQ bypass. */
#define ICC_SRE_EL1_VALUE 0x7u
#define ICC_SRE_EL2_VALUE 0xfu

/* ICC_SGI*R_EL1 fields. */
#define SGIR_TARGETLIST(v) ((unsigned)((v)&0xffffu))
#define SGIR_AFF1(v)       ((unsigned)(((v) >> 16) & 0xffu))
#define SGIR_INTID(v)      ((unsigned)(((v) >> 24) & 0xfu))
#define SGIR_AFF2(v)       ((unsigned)(((v) >> 32) & 0xffu))
#define SGIR_IRM           (1ull << 40)
#define SGIR_AFF3(v)       ((unsigned)(((v) >> 48) & 0xffu))

#define INTID_MASK          0xffffffu
#define INTID_FIRST_SPECIAL 1020u

/* ---- Helpers ------------------------------------------------------------ */

static struct gic_cpu *cpu_of(struct gic *g, unsigned pe)
{
    assert(pe < g->cfg.num_pes);
    return &g->cpu[pe];
}

static unsigned num_intids(const struct gic *g)
{
    return GIC_SPI_BASE + g->cfg.num_spis;
}

static unsigned preemption_bits(const struct gic *g)
{
    return pmr_preemption_bits(g->cfg.pri_bits);
}

/* ICC_AP0R1/AP1R1 exist with 6 or more preemption bits, AP*R2/3 with 7. */
unsigned gic_cpuif_num_aprs(const struct gic *g)
{
    unsigned bits = preemption_bits(g);
    return bits <= 5 ? 1u : 1u << (bits - 5);
}

static unsigned num_aprs(const struct gic *g)
{
    return gic_cpuif_num_aprs(g);
}

/* Bits of ICC_AP*R0 that stand for a group priority (16 with 4 bits). */
static uint32_t apr_valid_mask(const struct gic *g)
{
    return preemption_bits(g) >= 5 ? 0xffffffffu : 0xffffu;
}

/* ICC_RPR_EL1: the group priority of the lowest set active-priority bit. */
static uint8_t running_priority(const struct gic *g, unsigned pe)
{
    const struct gic_cpu *c = &g->cpu[pe];

    for (unsigned i = 0; i < num_aprs(g); i++) {
        uint32_t apr = c->ap0[i] | c->ap1[i];
        if (apr == 0)
            continue;
        unsigned bit = i * 32 + (unsigned)__builtin_ctz(apr);
        return (uint8_t)(bit << (8 - preemption_bits(g)));
    }
    return 0xff;
}

static struct pmr_inputs pmr_inputs_of(const struct gic *g, unsigned pe, uint8_t priority,
                                       bool group1)
{
    const struct gic_cpu *c = &g->cpu[pe];
    struct pmr_inputs in = {
        .priority = priority,
        .group1 = group1,
        .dist_grp_enabled = gic_dist_group_enabled(g, group1),
        .cpu_grp_enabled = gic_cpu_group_enabled(c, group1),
        .pmr = c->pmr,
        .running_priority = running_priority(g, pe),
        .bpr0 = c->bpr0,
        .bpr1 = c->bpr1,
        .cbpr = c->ctlr & ICC_CTLR_CBPR,
        .pri_bits = g->cfg.pri_bits,
    };
    return in;
}

static struct pmr_inputs pmr_inputs_for(const struct gic *g, unsigned pe, const struct gic_irq *irq)
{
    return pmr_inputs_of(g, pe, irq->priority, irq->group1);
}

/* The inputs of candidate INTID at PE: an LPI's priority comes from the
 * property table, and LPIs are always Group 1. */
static struct pmr_inputs candidate_inputs(struct gic *g, unsigned pe, unsigned intid)
{
    if (gic_is_lpi(g, intid))
        return pmr_inputs_of(g, pe, gic_lpi_priority(g, pe, intid), true);
    return pmr_inputs_for(g, pe, gic_irq(g, pe, intid));
}

static bool routed_to(struct gic *g, unsigned pe, unsigned intid)
{
    return intid < GIC_SPI_BASE || gic_spi_target(g, intid) == (int)pe;
}

static void drive_outputs(struct gic *g, unsigned pe, bool irq, bool fiq)
{
    struct gic_cpu *c = &g->cpu[pe];

    if (c->irq_out == irq && c->fiq_out == fiq)
        return;
    c->irq_out = irq;
    c->fiq_out = fiq;
    if (g->cfg.output)
        g->cfg.output(g->cfg.opaque, pe, irq, fiq, g->access_pe == (int)pe);
}

/* After a change to INTID's state at PE: an SPI may be seen by any PE
 * (1-of-N routing), an SGI/PPI only by its own. */
static void update_for(struct gic *g, unsigned pe, unsigned intid)
{
    if (intid >= GIC_SPI_BASE)
        gic_update_all(g);
    else
        gic_update(g, pe);
}

/* ---- The one recompute function ----------------------------------------- */

void gic_update(struct gic *g, unsigned pe)
{
    bool irq_line = false, fiq_line = false;
    int hppi;

    assert(pe < g->cfg.num_pes);
    hppi = gic_hppi(g, pe);

    if (hppi >= 0) {
        struct pmr_inputs in = candidate_inputs(g, pe, (unsigned)hppi);
        if (pmr_decide(&in) == PMR_SIGNAL) {
            irq_line = in.group1;
            fiq_line = !in.group1;
        }
    }
    drive_outputs(g, pe, irq_line, fiq_line);
}

void gic_update_all(struct gic *g)
{
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++)
        gic_update(g, pe);
}

/* ---- Acknowledge, priority drop, deactivation --------------------------- */

static void set_active_priority(struct gic *g, unsigned pe, bool group1, uint8_t group_priority)
{
    struct gic_cpu *c = &g->cpu[pe];
    unsigned bit = group_priority >> (8 - preemption_bits(g));
    uint32_t *apr = group1 ? c->ap1 : c->ap0;

    apr[bit / 32] |= 1u << (bit % 32);
}

/* ICC_IAR0/1_EL1. */
static uint64_t icc_iar_read(struct gic *g, unsigned pe, bool group1)
{
    int hppi = gic_hppi(g, pe);
    if (hppi < 0)
        return GIC_SPURIOUS;
    if (gic_is_lpi(g, (unsigned)hppi)) {
        struct pmr_inputs lin = candidate_inputs(g, pe, (unsigned)hppi);
        if (!group1 || pmr_decide(&lin) != PMR_SIGNAL)
            return GIC_SPURIOUS;
        gic_lpi_acknowledge(g, pe, (unsigned)hppi);
        set_active_priority(g, pe, true, pmr_group_priority(&lin));
        gic_update(g, pe);
        return (uint64_t)hppi;
    }

    struct gic_irq *irq = gic_irq(g, pe, (unsigned)hppi);
    struct pmr_inputs in = pmr_inputs_for(g, pe, irq);
    if (irq->group1 != group1 || pmr_decide(&in) != PMR_SIGNAL)
        return GIC_SPURIOUS;

    irq->latched = false;
    irq->active = true;
    gic_hppi_irq_changed(g, pe, (unsigned)hppi);
    set_active_priority(g, pe, group1, pmr_group_priority(&in));
    gic_report(g, pe, (unsigned)hppi, GIC_TR_ACKNOWLEDGED);
    /* The trace reads "acknowledged" as pending -> active; a level-sensitive
     * interrupt whose input is still asserted is active and pending, so it
     * is reported pending again, against what the acknowledge left. */
    gic_note_change(g, pe, (unsigned)hppi, (struct gic_irq_snap){.pending = false, .active = true});
    update_for(g, pe, (unsigned)hppi);
    return (uint64_t)hppi;
}

/* ICC_HPPIR0/1_EL1: the HPPI if it is of this group, whatever PMR and the
 * running priority say; no side effects. */
static uint64_t icc_hppir_read(struct gic *g, unsigned pe, bool group1)
{
    int hppi = gic_hppi(g, pe);
    if (hppi < 0 || candidate_inputs(g, pe, (unsigned)hppi).group1 != group1)
        return GIC_SPURIOUS;
    return (uint64_t)hppi;
}

/* The group owning the running priority: 0, 1, or -1 when none is active. */
static int highest_active_group(const struct gic *g, unsigned pe)
{
    const struct gic_cpu *c = &g->cpu[pe];

    for (unsigned i = 0; i < num_aprs(g); i++) {
        if ((c->ap0[i] | c->ap1[i]) == 0)
            continue;
        uint32_t lowest = (c->ap0[i] | c->ap1[i]) & -(c->ap0[i] | c->ap1[i]);
        return (c->ap0[i] & lowest) ? 0 : 1;
    }
    return -1;
}

static void drop_priority(struct gic *g, unsigned pe, bool group1)
{
    struct gic_cpu *c = &g->cpu[pe];
    uint32_t *apr = group1 ? c->ap1 : c->ap0;

    for (unsigned i = 0; i < num_aprs(g); i++) {
        if (apr[i] == 0)
            continue;
        apr[i] &= apr[i] - 1; /* clear the lowest set bit */
        return;
    }
}

/* EOIR with EOImode 0, or DIR: reported at PE, whose write caused it. */
static void deactivate(struct gic *g, unsigned pe, unsigned intid, struct gic_irq *irq)
{
    struct gic_irq_snap before = gic_irq_snap(irq);

    irq->active = false;
    gic_hppi_irq_changed(g, pe, intid);
    gic_note_change(g, pe, intid, before);
}

/* The INTID an EOIR/DIR write names, or NULL when special or unimplemented. */
static struct gic_irq *written_irq(struct gic *g, unsigned pe, uint64_t value)
{
    unsigned intid = (unsigned)(value & INTID_MASK);

    if (intid >= INTID_FIRST_SPECIAL)
        return NULL;
    return gic_irq(g, pe, intid);
}

/* ICC_EOIR0/1_EL1. */
static void icc_eoir_write(struct gic *g, unsigned pe, bool group1, uint64_t value)
{
    struct gic_irq *irq = written_irq(g, pe, value);
    unsigned intid = (unsigned)(value & INTID_MASK);
    if (gic_is_lpi(g, intid) && group1 && highest_active_group(g, pe) == 1) {
        /* An LPI has no active state: the EOI drops the priority only. */
        drop_priority(g, pe, true);
        gic_report(g, pe, intid, GIC_TR_PRIORITY_DROP);
        gic_update(g, pe);
        return;
    }
    if (irq == NULL || highest_active_group(g, pe) != (group1 ? 1 : 0))
        return;

    drop_priority(g, pe, group1);
    gic_report(g, pe, intid, GIC_TR_PRIORITY_DROP);
    if (!(g->cpu[pe].ctlr & ICC_CTLR_EOIMODE))
        deactivate(g, pe, intid, irq);
    update_for(g, pe, intid);
}

void gic_cpuif_deactivate(struct gic *g, unsigned pe, unsigned intid)
{
    struct gic_irq *irq = written_irq(g, pe, intid);
    if (irq == NULL)
        return;
    deactivate(g, pe, intid, irq);
    update_for(g, pe, intid);
}

/* ICC_DIR_EL1: deactivation alone, meaningful only with EOImode = 1. */
static void icc_dir_write(struct gic *g, unsigned pe, uint64_t value)
{
    struct gic_irq *irq = written_irq(g, pe, value);
    if (irq == NULL || !(g->cpu[pe].ctlr & ICC_CTLR_EOIMODE))
        return;

    deactivate(g, pe, (unsigned)(value & INTID_MASK), irq);
    update_for(g, pe, (unsigned)(value & INTID_MASK));
}

/* ---- SGI generation ------------------------------------------------------ */

static bool mpidr_matches(uint64_t mpidr, uint64_t value)
{
    unsigned aff0 = (unsigned)(mpidr & 0xff);

    if (((mpidr >> 8) & 0xff) != SGIR_AFF1(value) || ((mpidr >> 16) & 0xff) != SGIR_AFF2(value) ||
        ((mpidr >> 32) & 0xff) != SGIR_AFF3(value))
        return false;
    return aff0 < 16 && (SGIR_TARGETLIST(value) & (1u << aff0));
}

uint32_t gic_sgi_targets(struct gic *g, unsigned pe, uint64_t value)
{
    uint32_t targets = 0;

    for (unsigned t = 0; t < g->cfg.num_pes; t++) {
        bool hit = (value & SGIR_IRM) ? t != pe : mpidr_matches(g->cfg.mpidr[t], value);
        if (hit)
            targets |= 1u << t;
    }
    return targets;
}

/* Whether a write to REG forwards an SGI configured in GROUP1 at the target
 * (see the head of this file). */
static bool sgi_register_reaches(enum gic_icc_reg reg, bool group1)
{
    switch (reg) {
    case ICC_SGI1R_EL1: return true;
    case ICC_SGI0R_EL1:
    case ICC_ASGI1R_EL1: return !group1;
    default: assert(!"not an SGI register"); return false;
    }
}

void gic_sgi_deliver(struct gic *g, unsigned target, enum gic_icc_reg reg, unsigned intid)
{
    struct gic_irq *irq = gic_irq(g, target, intid & 0xfu);

    if (irq == NULL || !sgi_register_reaches(reg, irq->group1))
        return;
    struct gic_irq_snap before = gic_irq_snap(irq);
    irq->latched = true;
    gic_hppi_irq_changed(g, target, intid & 0xfu);
    gic_note_change(g, target, intid & 0xfu, before);
    gic_update(g, target);
}

static void icc_sgir_write(struct gic *g, unsigned pe, enum gic_icc_reg reg, uint64_t value)
{
    uint32_t targets = gic_sgi_targets(g, pe, value);

    for (unsigned t = 0; t < g->cfg.num_pes; t++) {
        if (targets & (1u << t))
            gic_sgi_deliver(g, t, reg, SGIR_INTID(value));
    }
}

/* ---- Binary point, control ---------------------------------------------- */

static uint8_t bpr0_value(const struct gic *g, const struct gic_cpu *c)
{
    unsigned min = pmr_min_bpr0(g->cfg.pri_bits);
    return (uint8_t)(c->bpr0 < min ? min : c->bpr0);
}

/* With CBPR = 1, a Non-secure EL1 read of ICC_BPR1_EL1 returns BPR0 + 1,
 * saturated to 7, and writes are ignored. */
static uint8_t bpr1_value(const struct gic *g, const struct gic_cpu *c)
{
    unsigned min = pmr_min_bpr1(g->cfg.pri_bits);

    if (c->ctlr & ICC_CTLR_CBPR)
        return (uint8_t)(bpr0_value(g, c) >= 7 ? 7 : bpr0_value(g, c) + 1);
    return (uint8_t)(c->bpr1 < min ? min : c->bpr1);
}

/* A value below the minimum sets the minimum (IHI 0069, ICC_BPR0/1_EL1). */
static void icc_bpr_write(struct gic *g, unsigned pe, bool group1, uint64_t value)
{
    struct gic_cpu *c = &g->cpu[pe];
    unsigned min = group1 ? pmr_min_bpr1(g->cfg.pri_bits) : pmr_min_bpr0(g->cfg.pri_bits);
    unsigned bp = (unsigned)(value & 7);

    if (group1 && (c->ctlr & ICC_CTLR_CBPR))
        return;
    if (bp < min)
        bp = min;
    if (group1)
        c->bpr1 = (uint8_t)bp;
    else
        c->bpr0 = (uint8_t)bp;
    gic_update(g, pe);
}

static uint64_t icc_ctlr_read(const struct gic *g, const struct gic_cpu *c)
{
    /* IDbits: 0 for 16-bit INTIDs, 1 for 24-bit ones (more than 16 LPI
     * bits); SEIS = 0, RSS = 0, ExtRange = 0. */
    uint64_t idbits = g->cfg.lpi_bits > 16 ? 1u : 0u;
    return (c->ctlr & ICC_CTLR_WRITABLE) |
           ((uint64_t)(g->cfg.pri_bits - 1) << ICC_CTLR_PRIBITS_SHIFT) |
           (idbits << ICC_CTLR_IDBITS_SHIFT) | ICC_CTLR_A3V;
}

static uint32_t *apr_of(struct gic_cpu *c, enum gic_icc_reg reg)
{
    if (reg >= ICC_AP0R0_EL1 && reg <= ICC_AP0R3_EL1)
        return &c->ap0[reg - ICC_AP0R0_EL1];
    assert(reg >= ICC_AP1R0_EL1 && reg <= ICC_AP1R3_EL1);
    return &c->ap1[reg - ICC_AP1R0_EL1];
}

static bool is_apr(enum gic_icc_reg reg)
{
    return reg >= ICC_AP0R0_EL1 && reg <= ICC_AP1R3_EL1;
}

static unsigned apr_index(enum gic_icc_reg reg)
{
    return reg >= ICC_AP1R0_EL1 ? reg - ICC_AP1R0_EL1 : reg - ICC_AP0R0_EL1;
}

/* ---- Register access ---------------------------------------------------- */

static bool implemented(const struct gic *g, enum gic_icc_reg reg)
{
    if (reg >= GIC_ICC_NR)
        return false;
    if (is_apr(reg))
        return apr_index(reg) < num_aprs(g);
    return true;
}

uint64_t gic_cpuif_read(struct gic *g, unsigned pe, enum gic_icc_reg reg)
{
    struct gic_cpu *c = cpu_of(g, pe);

    if (!implemented(g, reg))
        return 0;
    if (is_apr(reg))
        return *apr_of(c, reg);

    switch (reg) {
    case ICC_PMR_EL1: return c->pmr;
    case ICC_IAR0_EL1: return icc_iar_read(g, pe, false);
    case ICC_IAR1_EL1: return icc_iar_read(g, pe, true);
    case ICC_HPPIR0_EL1: return icc_hppir_read(g, pe, false);
    case ICC_HPPIR1_EL1: return icc_hppir_read(g, pe, true);
    case ICC_BPR0_EL1: return bpr0_value(g, c);
    case ICC_BPR1_EL1: return bpr1_value(g, c);
    case ICC_RPR_EL1: return running_priority(g, pe);
    case ICC_CTLR_EL1: return icc_ctlr_read(g, c);
    case ICC_SRE_EL1: return ICC_SRE_EL1_VALUE;
    case ICC_SRE_EL2: return ICC_SRE_EL2_VALUE;
    case ICC_IGRPEN0_EL1: return c->igrpen0;
    case ICC_IGRPEN1_EL1: return c->igrpen1;
    default: return 0; /* write-only: EOIR0/1, DIR, SGI0R/SGI1R/ASGI1R */
    }
}

/* IGRPENn also decides which PEs a 1-of-N SPI may go to: update them all. */
static void icc_igrpen_write(struct gic *g, unsigned pe, bool group1, uint64_t value)
{
    struct gic_cpu *c = &g->cpu[pe];
    bool *igrpen = group1 ? &c->igrpen1 : &c->igrpen0;

    if (*igrpen != (value & 1)) {
        *igrpen = value & 1;
        gic_hppi_rebuild(g);
    }
    gic_update_all(g);
}

/* PMR and ICC_AP*Rn take effect for the very next HPPI decision. */
static void icc_apr_write(struct gic *g, unsigned pe, enum gic_icc_reg reg, uint64_t value)
{
    *apr_of(&g->cpu[pe], reg) = (uint32_t)value & apr_valid_mask(g);
    gic_update(g, pe);
}

void gic_cpuif_write(struct gic *g, unsigned pe, enum gic_icc_reg reg, uint64_t value)
{
    struct gic_cpu *c = cpu_of(g, pe);

    if (!implemented(g, reg))
        return;
    if (is_apr(reg)) {
        icc_apr_write(g, pe, reg, value);
        return;
    }

    switch (reg) {
    case ICC_PMR_EL1:
        c->pmr = (uint8_t)value & pmr_priority_mask(g->cfg.pri_bits);
        gic_update(g, pe);
        gic_cpuif_report(g, pe, &(struct gic_cpuif_event){.kind = GIC_CPUIF_PMR, .value = c->pmr});
        break;
    case ICC_EOIR0_EL1: icc_eoir_write(g, pe, false, value); break;
    case ICC_EOIR1_EL1: icc_eoir_write(g, pe, true, value); break;
    case ICC_DIR_EL1: icc_dir_write(g, pe, value); break;
    case ICC_BPR0_EL1: icc_bpr_write(g, pe, false, value); break;
    case ICC_BPR1_EL1: icc_bpr_write(g, pe, true, value); break;
    case ICC_CTLR_EL1:
        c->ctlr = value & ICC_CTLR_WRITABLE;
        gic_update(g, pe);
        break;
    case ICC_IGRPEN0_EL1: icc_igrpen_write(g, pe, false, value); break;
    case ICC_IGRPEN1_EL1: icc_igrpen_write(g, pe, true, value); break;
    case ICC_SGI0R_EL1:
    case ICC_SGI1R_EL1:
    case ICC_ASGI1R_EL1: icc_sgir_write(g, pe, reg, value); break;
    default: break; /* read-only or RAO/WI: IAR, HPPIR, RPR, SRE */
    }
}

/* The public entry points: an access by PE itself. */
uint64_t gic_icc_read(struct gic *g, unsigned pe, enum gic_icc_reg reg)
{
    int outer = g->access_pe;
    g->access_pe = (int)pe;
    uint64_t v = gic_cpuif_read(g, pe, reg);
    g->access_pe = outer;
    return v;
}

void gic_icc_write(struct gic *g, unsigned pe, enum gic_icc_reg reg, uint64_t value)
{
    int outer = g->access_pe;
    g->access_pe = (int)pe;
    gic_cpuif_write(g, pe, reg, value);
    g->access_pe = outer;
}

/* ---- Why not taken ------------------------------------------------------ */

static void explain_header(struct gic *g, unsigned pe, uint32_t daif, FILE *f)
{
    const struct gic_cpu *c = &g->cpu[pe];

    fprintf(f,
            "PE %u: PSTATE.DAIF 0x%03x (I %u, F %u), PMR 0x%02x, RPR 0x%02x, "
            "GICD_CTLR.EnableGrp0 %u EnableGrp1 %u, ICC_IGRPEN0 %u ICC_IGRPEN1 %u, "
            "IRQ %u FIQ %u\n",
            pe, (unsigned)(daif & 0x3c0u), (daif & PMR_DAIF_I) ? 1u : 0u,
            (daif & PMR_DAIF_F) ? 1u : 0u, c->pmr, running_priority(g, pe),
            gic_dist_group_enabled(g, false), gic_dist_group_enabled(g, true), c->igrpen0,
            c->igrpen1, c->irq_out, c->fiq_out);
}

static void explain_hppi(struct gic *g, unsigned pe, int hppi, FILE *f)
{
    if (hppi < 0) {
        fprintf(f, "  highest priority pending interrupt: none\n");
        return;
    }
    struct pmr_inputs in = candidate_inputs(g, pe, (unsigned)hppi);
    fprintf(f, "  highest priority pending interrupt: INTID %d prio 0x%02x Group %u\n", hppi,
            in.priority, in.group1 ? 1u : 0u);
}

/* The reason INTID (pending at PE) is not taken, in the gate order of the
 * issue: disabled, group disabled, routed elsewhere, active, PMR, running
 * priority, a higher-priority interrupt first, PSTATE. */
/* The gates after enable, routing and active state: group, PMR, running
 * priority, a higher-priority interrupt, PSTATE. */
static void explain_gates(struct gic *g, unsigned pe, unsigned intid, uint8_t priority, bool group1,
                          int hppi, uint32_t daif, FILE *f)
{
    struct pmr_inputs in = pmr_inputs_of(g, pe, priority, group1);
    enum pmr_gate gate = pmr_decide_pe(&in, daif);
    char why[128];

    if (gate == PMR_GROUP_DISABLED_GLOBALLY || gate == PMR_GROUP_DISABLED_LOCALLY) {
        pmr_gate_explain(gate, &in, why, sizeof why);
        fprintf(f, "not signalled: %s\n", why);
        return;
    }
    if (gate == PMR_NOT_ABOVE_PMR || gate == PMR_NOT_ABOVE_RUNNING_PRIORITY) {
        pmr_gate_explain(gate, &in, why, sizeof why);
        fprintf(f, "not signalled: %s\n", why);
        return;
    }
    if (hppi != (int)intid) {
        fprintf(f, "not signalled: INTID %d has higher priority\n", hppi);
        return;
    }
    if (gate == PMR_MASKED_BY_PSTATE) {
        fprintf(f, "signalled as %s, not taken: PSTATE.%s set\n", group1 ? "IRQ" : "FIQ",
                group1 ? "I" : "F");
        return;
    }
    fprintf(f, "signalled as %s, PSTATE.%s clear\n", group1 ? "IRQ" : "FIQ", group1 ? "I" : "F");
}

static void explain_irq(struct gic *g, unsigned pe, unsigned intid, int hppi, uint32_t daif,
                        FILE *f)
{
    const struct gic_irq *irq = gic_irq(g, pe, intid);
    struct pmr_inputs in = pmr_inputs_for(g, pe, irq);
    enum pmr_gate gate = pmr_decide_pe(&in, daif);
    char why[128];

    fprintf(f, "  INTID %u prio 0x%02x pending, ", intid, irq->priority);
    if (!irq->enabled) {
        fprintf(f, "not signalled: disabled\n");
        return;
    }
    if (gate == PMR_GROUP_DISABLED_GLOBALLY || gate == PMR_GROUP_DISABLED_LOCALLY) {
        pmr_gate_explain(gate, &in, why, sizeof why);
        fprintf(f, "not signalled: %s\n", why);
        return;
    }
    if (!routed_to(g, pe, intid)) {
        int target = gic_spi_target(g, intid);
        if (target < 0)
            fprintf(f, "not signalled: routed to no PE (GICD_IROUTER 0x%llx)\n",
                    (unsigned long long)irq->route);
        else
            fprintf(f, "not signalled: routed elsewhere, to PE %d\n", target);
        return;
    }
    if (irq->active) {
        fprintf(f, "not signalled: active, not forwarded again until deactivated\n");
        return;
    }
    explain_gates(g, pe, intid, irq->priority, irq->group1, hppi, daif, f);
}

/* The pending LPIs of PE, each with why it is not taken. */
static void explain_lpis(struct gic *g, unsigned pe, int hppi, uint32_t daif, FILE *f,
                         unsigned *listed)
{
    for (int lpi = gic_lpi_next_pending(g, pe, -1); lpi >= 0;
         lpi = gic_lpi_next_pending(g, pe, lpi)) {
        uint8_t prio = gic_lpi_priority(g, pe, (unsigned)lpi);
        fprintf(f, "  LPI %d prio 0x%02x pending, ", lpi, prio);
        if (!gic_lpi_enabled(g, pe, (unsigned)lpi))
            fprintf(f, "not signalled: disabled in the LPI property table\n");
        else
            explain_gates(g, pe, (unsigned)lpi, prio, true, hppi, daif, f);
        (*listed)++;
    }
}

void gic_explain(struct gic *g, unsigned pe, uint32_t daif, FILE *f)
{
    unsigned listed = 0;
    int hppi;

    assert(pe < g->cfg.num_pes);
    hppi = gic_hppi(g, pe);

    explain_header(g, pe, daif, f);
    explain_hppi(g, pe, hppi, f);
    for (unsigned intid = 0; intid < num_intids(g); intid++) {
        const struct gic_irq *irq = gic_irq(g, pe, intid);
        if (irq == NULL || !gic_irq_pending(irq))
            continue;
        explain_irq(g, pe, intid, hppi, daif, f);
        listed++;
    }
    explain_lpis(g, pe, hppi, daif, f, &listed);
    if (listed == 0)
        fprintf(f, "  no interrupt pending\n");
    gic_its_explain_vpes(g, pe, f);
    gic_vcpu_explain(g, pe, daif, f);
}
