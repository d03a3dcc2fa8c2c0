/* Inside the GIC: the state shared by gic/dist.c (distributor), gic/redist.c
 * (redistributors) and gic/cpuif.c (CPU interfaces). Nothing outside gic/
 * includes this file.
 *
 * The model in one paragraph: every INTID has one struct gic_irq: SGIs and
 * PPIs one per PE (in its redistributor), SPIs one for the machine. An
 * interrupt is pending when its latch is set or, if it is level-sensitive,
 * while its input is asserted (IHI 0069 4.1, "Interrupt lifecycle"). Any
 * change of interrupt state or of a CPU interface register ends with a call
 * to gic_update() for the PEs it can affect; gic_update() is the one
 * function that drives a PE's IRQ/FIQ outputs, from the PE's
 * highest-priority pending interrupt (through pmr/ for the masking
 * decision). That interrupt is kept incrementally (hppi.c): a change of an
 * interrupt's state or of the configuration it depends on is also passed
 * to one of the gic_hppi_*() functions below, before gic_update(). */
#ifndef GIC_GIC_INTERNAL_H
#define GIC_GIC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gic/gic.h"

#define GICD_CTLR_ENABLE_GRP0 (1u << 0)
#define GICD_CTLR_ENABLE_GRP1 (1u << 1)

/* At most 960 SPIs (GICD_TYPER.ITLinesNumber 30), so INTIDs below
 * GIC_MAX_INTIDS: a bitmap over them is GIC_READY_WORDS 64-bit words. */
#define GIC_MAX_SPIS    960
#define GIC_MAX_INTIDS  (GIC_SPI_BASE + GIC_MAX_SPIS)
#define GIC_READY_WORDS ((GIC_MAX_INTIDS + 63) / 64)

struct gic_irq {
    bool enabled;     /* GICD/GICR_ISENABLER */
    bool latched;     /* pending latch: ISPENDR, an edge, or a level seen at acknowledge */
    bool level;       /* the input line (level-sensitive interrupts) */
    bool active;      /* GICD/GICR_ISACTIVER */
    bool group1;      /* GICD/GICR_IGROUPR: 1 = Group 1 (IRQ), 0 = Group 0 (FIQ) */
    bool edge;        /* GICD/GICR_ICFGR: true = edge-triggered */
    uint8_t priority; /* GICD/GICR_IPRIORITYR, low (8 - pri_bits) bits RAZ */
    uint64_t route;   /* SPIs: GICD_IROUTER (Aff3 39:32, Aff2-0, IRM bit 31) */
    /* --- added by the distributor (dist.c, redist.c): the two sources of a
     * level. `level` above is always (wire || msg), so gic_irq_pending() and
     * every reader of `level` see both; only dist.c/redist.c write these. */
    bool wire; /* the device input line as last driven (gic_set_spi/gic_set_ppi) */
    bool msg;  /* message-based level: GICD_SETSPI_NSR asserts, GICD_CLRSPI_NSR deasserts */
};

/* Pending: latched, or level-sensitive with the input asserted. */
static inline bool gic_irq_pending(const struct gic_irq *irq)
{
    return irq->latched || (!irq->edge && irq->level);
}

/* The ICH_*_EL2 registers (vcpuif.c). */
enum gic_ich_reg {
    ICH_AP0R0_EL2,
    ICH_AP0R1_EL2,
    ICH_AP0R2_EL2,
    ICH_AP0R3_EL2,
    ICH_AP1R0_EL2,
    ICH_AP1R1_EL2,
    ICH_AP1R2_EL2,
    ICH_AP1R3_EL2,
    ICH_HCR_EL2,
    ICH_VTR_EL2,
    ICH_MISR_EL2,
    ICH_EISR_EL2,
    ICH_ELRSR_EL2,
    ICH_VMCR_EL2,
    ICH_LR0_EL2, /* ICH_LR<n>_EL2 is ICH_LR0_EL2 + n */
    GIC_ICH_NR = ICH_LR0_EL2 + 16
};

#define GIC_MAX_LRS     16
#define GIC_DEFAULT_LRS 4

/* The virtual CPU interface of a PE (IHI 0069, "The virtual CPU
 * interface"): the hypervisor's ICH_* registers, which hold all of the
 * state the ICV_* registers show (vcpuif.c). */
struct gic_vcpu {
    uint32_t hcr;             /* ICH_HCR_EL2, EOIcount included */
    uint32_t vmcr;            /* ICH_VMCR_EL2 */
    uint64_t lr[GIC_MAX_LRS]; /* ICH_LR<n>_EL2 */
    uint32_t ap[2][4];        /* ICH_AP0R<n>_EL2, ICH_AP1R<n>_EL2 */
    bool virq_out, vfiq_out;  /* what the virtual outputs last showed */
    bool maint_out;           /* the maintenance interrupt's level (PPI 25) */
};

/* One redistributor's LPIs (lpi.c). */
struct gic_lpis {
    uint64_t propbaser, pendbaser; /* GICR_PROPBASER, GICR_PENDBASER (PTZ as last written) */
    bool enabled;                  /* GICR_CTLR.EnableLPIs */
    uint8_t *cfg;                  /* cached property bytes, [0] = LPI 8192; NULL: no LPIs */
    uint64_t *pend;                /* pending, a bit per LPI */
    uint64_t *ready;               /* pending and enabled */
    uint64_t *summary;             /* bit w: ready[w] != 0 */
    int best;                      /* the highest-priority ready LPI (-1: none) while best_valid */
    bool best_valid;
    bool dirty;    /* vLPIs: a GICR_VPENDBASER write waits for gic_vpe_complete */
    uint64_t next; /* ... the value written */
    /* GICv4.1 (vpe.c): GICR_VPROPBASER and GICR_VPENDBASER as the guest
     * sees them (propbaser and pendbaser then hold the resident vPE's vLPI
     * configuration table and VPT), and the resident vPE's vSGIs. */
    uint64_t vprop41, vpend41;
    uint8_t vsgi_cfg[16]; /* [7:4] priority, [1] Group 1, [0] enabled */
    uint16_t vsgi_pend;
};

struct gic_cpu {
    struct gic_irq local[32]; /* SGIs 0-15, PPIs 16-31 */
    struct gic_lpis lpi;
    struct gic_lpis vlpi; /* GICv4: the vLPIs of the resident vPE (GICR_VPROPBASER/VPENDBASER) */
    /* Redistributor */
    uint32_t gicr_ctlr;
    uint32_t vsgir;       /* GICR_VSGIR (GICv4.1) */
    bool processor_sleep; /* GICR_WAKER.ProcessorSleep (reset 1) */
    /* CPU interface */
    uint8_t pmr;
    uint8_t bpr0, bpr1;
    uint64_t ctlr; /* ICC_CTLR_EL1 writable fields: EOImode (bit 1), CBPR (bit 0), PMHE (bit 6) */
    uint64_t sre;  /* ICC_SRE_EL1: SRE (RAO/WI), DFB, DIB */
    bool igrpen0, igrpen1;
    uint32_t ap0[4], ap1[4]; /* active priorities, one bit per group priority */
    bool irq_out, fiq_out;   /* what was last driven on the outputs */
    /* The highest-priority pending interrupt, kept by hppi.c (see there):
     * ready[group] has bit INTID set when INTID is pending, enabled, not
     * active, of that group and routed to this PE; hppi is the HPPI (-1:
     * none) while hppi_valid. */
    uint64_t ready[2][GIC_READY_WORDS];
    int hppi;
    bool hppi_valid;
    struct gic_vcpu v;
};

struct gic {
    struct gic_config cfg;
    uint32_t gicd_ctlr;  /* EnableGrp0 (bit 0), EnableGrp1 (bit 1); ARE and DS RAO */
    struct gic_irq *spi; /* num_spis entries, INTID 32 + i */
    struct gic_cpu cpu[GIC_MAX_PES];
    int access_pe;                   /* the PE inside a CPU interface register access, or -1 */
    struct cpu_sysreg_desc *sysregs; /* gic_sysregs(): built by gic_new */
    size_t num_sysregs;
    unsigned num_lpis;   /* 2^lpi_bits - 8192, 0 without LPIs */
    unsigned lpi_words;  /* 64-bit words of a bitmap over them */
    struct gic_its *its; /* NULL: no ITS */
};

/* ---- LPIs (lpi.c) ---------------------------------------------------------- */

static inline bool gic_is_lpi(const struct gic *g, unsigned intid)
{
    return intid >= GIC_LPI_BASE && intid - GIC_LPI_BASE < g->num_lpis;
}

bool gic_lpis_alloc(struct gic *g);
void gic_lpis_free(struct gic *g);
void gic_lpis_reset(struct gic *g, unsigned pe);
/* The GIC's accesses to guest memory: false when nothing answered (a read
 * then gives zeros, a write is dropped). */
bool gic_mem_read(struct gic *g, uint64_t pa, void *buf, size_t len);
bool gic_mem_write(struct gic *g, uint64_t pa, const void *buf, size_t len);
/* A little-endian doubleword of a table in guest memory (*OK false: not readable). */
uint64_t gic_mem_load64(struct gic *g, uint64_t pa, bool *ok);
bool gic_mem_store64(struct gic *g, uint64_t pa, uint64_t v);
/* One past the highest LPI INTID PE's redistributor accepts now (8192 when
 * it accepts none: EnableLPIs 0, or a property table too small). */
unsigned gic_lpi_limit(const struct gic *g, unsigned pe);
bool gic_lpi_in_range(const struct gic *g, unsigned pe, unsigned intid);
bool gic_lpi_pending(const struct gic *g, unsigned pe, unsigned intid);
bool gic_lpi_enabled(const struct gic *g, unsigned pe, unsigned intid);
uint8_t gic_lpi_priority(const struct gic *g, unsigned pe, unsigned intid);
/* Set or clear LPI INTID's pending state at PE, with the pending table
 * written through: true when it changed. _put_ leaves reporting and the
 * outputs to the caller; _set_ reports the transition and updates PE. */
bool gic_lpi_put_pending(struct gic *g, unsigned pe, unsigned intid, bool pending);
void gic_lpi_set_pending(struct gic *g, unsigned pe, unsigned intid, bool pending);
/* ICC_IAR1_EL1 took LPI INTID: no longer pending (LPIs have no active state). */
void gic_lpi_acknowledge(struct gic *g, unsigned pe, unsigned intid);
/* Re-read one property byte (INV, GICR_INVLPIR), or all (INVALL, GICR_INVALLR). */
void gic_lpi_invalidate(struct gic *g, unsigned pe, unsigned intid);
void gic_lpi_invalidate_all(struct gic *g, unsigned pe);
/* GICR_CTLR.EnableLPIs written. */
void gic_lpi_enable(struct gic *g, unsigned pe, bool enable);
uint64_t gic_lpi_propbaser(const struct gic *g, unsigned pe);
uint64_t gic_lpi_pendbaser(const struct gic *g, unsigned pe);
void gic_lpi_set_propbaser(struct gic *g, unsigned pe, uint64_t value);
void gic_lpi_set_pendbaser(struct gic *g, unsigned pe, uint64_t value);
/* PE's highest-priority ready LPI, -1 when none (incremental), and the
 * same by a full rescan, and the check of one against the other. */
int gic_lpi_best(struct gic *g, unsigned pe);
int gic_lpi_rescan(const struct gic *g, unsigned pe);
bool gic_lpi_check(const struct gic *g, unsigned pe, char *why, size_t len);
/* The first LPI pending at PE above INTID AFTER (-1: from the first), or
 * -1 when there is none. */
int gic_lpi_next_pending(const struct gic *g, unsigned pe, int after);
/* Bit INTID of the pending table (or VPT) whose base register value is
 * TABLE, in guest memory. */
void gic_pending_table_put(struct gic *g, uint64_t table, unsigned intid, bool pending);

/* The vLPIs of the vPE resident at PE's redistributor (GICv4), as above. */
uint8_t gic_vlpi_priority(const struct gic *g, unsigned pe, unsigned intid);
bool gic_vlpi_pending(const struct gic *g, unsigned pe, unsigned intid);
bool gic_vlpi_enabled(const struct gic *g, unsigned pe, unsigned intid);
int gic_vlpi_best(struct gic *g, unsigned pe);
int gic_vlpi_next_pending(const struct gic *g, unsigned pe, int after);
bool gic_vlpi_put_pending(struct gic *g, unsigned pe, unsigned intid, bool pending);
void gic_vlpi_set_pending(struct gic *g, unsigned pe, unsigned intid, bool pending);
void gic_vlpi_invalidate(struct gic *g, unsigned pe, unsigned intid);
void gic_vlpi_invalidate_all(struct gic *g, unsigned pe);
/* Whether the vPE whose VPT is at VPT is resident at PE. */
bool gic_vlpi_resident(const struct gic *g, unsigned pe, uint64_t vpt);
uint64_t gic_vlpi_vpropbaser(const struct gic *g, unsigned pe);
uint64_t gic_vlpi_vpendbaser(const struct gic *g, unsigned pe);
void gic_vlpi_set_vpropbaser(struct gic *g, unsigned pe, uint64_t value);
void gic_vlpi_set_vpendbaser(struct gic *g, unsigned pe, uint64_t value);

/* ---- vPEs (vpe.c) ------------------------------------------------------------ */

/* A vPE table entry (the layout is in vpe.c). */
struct gic_vpe {
    unsigned pe;       /* the redistributor it is mapped to */
    uint64_t vpt;      /* its virtual pending table */
    unsigned bits;     /* vINTID bits of the VPT */
    uint64_t vconf;    /* GICv4.1: its vLPI configuration table */
    uint32_t doorbell; /* GICv4.1: its default doorbell pINTID, 1023 for none */
};

unsigned gic_vpe_entry_size(const struct gic *g);
/* The entry at PA: false when it is not valid (or not readable). */
bool gic_vpe_read(struct gic *g, uint64_t pa, struct gic_vpe *v);
/* Write V (NULL: an invalid entry) at PA. */
void gic_vpe_write(struct gic *g, uint64_t pa, const struct gic_vpe *v);
/* GICR_VPROPBASER in its GICv4.1 layout: the vPE table as PE's
 * redistributor sees it, and the entry of VPEID found through it. */
uint64_t gic_vpe_vpropbaser(const struct gic *g, unsigned pe);
void gic_vpe_set_vpropbaser(struct gic *g, unsigned pe, uint64_t value);
bool gic_vpe_lookup(struct gic *g, unsigned pe, uint32_t vpeid, struct gic_vpe *v);
/* An interrupt of GROUP became pending in non-resident V's VPT, enabled or
 * not: ring V's default doorbell if one is owed. */
void gic_vpe_doorbell(struct gic *g, const struct gic_vpe *v, bool group1, bool enabled);
/* Whether vLPI VINTID is enabled in V's vLPI configuration table. */
bool gic_vpe_vlpi_enabled(struct gic *g, const struct gic_vpe *v, uint32_t vintid);
/* V becomes resident at PE: its vSGIs are loaded. */
void gic_vpe_load(struct gic *g, unsigned pe, const struct gic_vpe *v);
/* The vPE resident at PE is made non-resident with GICR_VPENDBASER.DB
 * WANT_DB, PendingLast as computed, and VGRP0EN/VGRP1EN. */
void gic_vpe_put(struct gic *g, unsigned pe, bool want_db, bool pending_last, bool vgrp0,
                 bool vgrp1);
/* Whether an enabled vSGI of the vPE resident at PE is pending. */
bool gic_vpe_vsgi_ready(const struct gic *g, unsigned pe);
/* For gic_explain: what became of non-resident V's default doorbell. */
const char *gic_vpe_doorbell_state(struct gic *g, const struct gic_vpe *v);
/* vSGIs (GICv4.1): the VSGI command (CFG as in vpe.c; CLEAR clears the
 * pending state), a write of GITS_SGIR, and the pending bits. */
void gic_vsgi_configure(struct gic *g, const struct gic_vpe *v, unsigned vintid, uint8_t cfg,
                        bool clear);
void gic_vsgi_send(struct gic *g, const struct gic_vpe *v, unsigned vintid);
uint16_t gic_vsgi_pending_of(struct gic *g, const struct gic_vpe *v);
/* For the virtual CPU interface: whether VINTID is a vSGI directly
 * injected at PE (no active state: an EOI only drops the priority), the
 * highest-priority pending enabled vSGI of the enabled groups (-1: none),
 * and its acknowledge. */
bool gic_vsgi_direct(const struct gic *g, unsigned pe, uint32_t vintid);
int gic_vsgi_best(const struct gic *g, unsigned pe, bool grp0, bool grp1, uint8_t *prio,
                  bool *group1);
void gic_vsgi_acknowledge(struct gic *g, unsigned pe, unsigned vintid);

/* ---- The ITS (its.c) -------------------------------------------------------- */

/* The address of entry ID of a table of ESZ-byte entries at BASE, NPAGES
 * pages of PAGE bytes, flat or (INDIRECT) two-level; false when ID lies
 * beyond it or its second-level page is not valid. */
bool gic_table_entry(struct gic *g, uint64_t base, uint64_t page, uint64_t npages, bool indirect,
                     unsigned esz, uint64_t id, uint64_t *pa);

bool gic_its_new(struct gic *g);
void gic_its_free(struct gic *g);
void gic_its_reset(struct gic *g);
/* For gic_explain: the non-resident vPEs mapped to PE and their pending
 * vLPIs (GICv4). */
void gic_its_explain_vpes(struct gic *g, unsigned pe, FILE *f);

/* GICD_CTLR.EnableGrp0/1. */
static inline bool gic_dist_group_enabled(const struct gic *g, bool group1)
{
    return g->gicd_ctlr & (group1 ? GICD_CTLR_ENABLE_GRP1 : GICD_CTLR_ENABLE_GRP0);
}

/* ICC_IGRPEN0/1_EL1 of the CPU interface C. */
static inline bool gic_cpu_group_enabled(const struct gic_cpu *c, bool group1)
{
    return group1 ? c->igrpen1 : c->igrpen0;
}

/* The two parts of an interrupt's state that transitions are about. */
struct gic_irq_snap {
    bool pending, active;
};

static inline struct gic_irq_snap gic_irq_snap(const struct gic_irq *irq)
{
    return (struct gic_irq_snap){gic_irq_pending(irq), irq->active};
}

/* The one place that reports pending, cleared, active and deactivated
 * (transition.c): call it after any change to INTID's latch, level,
 * trigger mode or active state, with the state BEFORE the change. PE as
 * for gic_transition_fn; GIC_NO_PE for an SPI lets it name the target. */
void gic_note_change_traced(struct gic *g, unsigned pe, unsigned intid, struct gic_irq_snap before);
/* Report T of INTID at PE: acknowledge (IAR) and priority drop (EOIR),
 * which a comparison of states cannot see. */
void gic_report_traced(struct gic *g, unsigned pe, unsigned intid, enum gic_transition t);

/* The callers' entry points: without a callback (not tracing) each costs
 * one test, no call. */
static inline void gic_note_change(struct gic *g, unsigned pe, unsigned intid,
                                   struct gic_irq_snap before)
{
    if (g->cfg.transition)
        gic_note_change_traced(g, pe, intid, before);
}

static inline void gic_report(struct gic *g, unsigned pe, unsigned intid, enum gic_transition t)
{
    if (g->cfg.transition)
        gic_report_traced(g, pe, intid, t);
}

/* The bit-per-interrupt register banks of GICD and GICR_SGI_base. */
enum gic_bank {
    BANK_GROUP,
    BANK_SET_ENABLE,
    BANK_CLEAR_ENABLE,
    BANK_SET_PENDING,
    BANK_CLEAR_PENDING,
    BANK_SET_ACTIVE,
    BANK_CLEAR_ACTIVE,
};

/* What a read of BANK shows for IRQ (dist.c). */
bool gic_bank_bit(const struct gic_irq *irq, enum gic_bank bank);
/* Apply one bit of a write to BANK: IGROUPR takes the bit, the set/clear
 * registers act on 1 bits only, and clearing pending clears the latch (an
 * asserted level-sensitive interrupt stays pending, IHI 0069 GICD_ICPENDR).
 * True when the interrupt's state changed (dist.c). */
bool gic_bank_apply(struct gic_irq *irq, enum gic_bank bank, bool bit);

/* The state of INTID as seen by PE (SGIs/PPIs are per PE), or NULL when the
 * INTID is not implemented. */
struct gic_irq *gic_irq(struct gic *g, unsigned pe, unsigned intid);

/* The PE an SPI is delivered to: its IROUTER affinity, or for 1-of-N
 * (IRM = 1) the lowest-numbered PE that has the group enabled and is awake
 * (the deterministic choice documented in docs/gic.md); -1 when none. */
int gic_spi_target(struct gic *g, unsigned intid);

/* The incremental highest-priority pending interrupt (hppi.c, whose head
 * comment gives the invariant and which change calls which function).
 * PE names the SGI's or PPI's PE and is ignored for an SPI.
 *
 * After a change of INTID's pending state (latch, level, trigger mode),
 * enable, active state, group or route. */
void gic_hppi_irq_changed(struct gic *g, unsigned pe, unsigned intid);
/* After a change of INTID's priority. */
void gic_hppi_priority_changed(struct gic *g, unsigned pe, unsigned intid);
/* After a reset, or a change of GICD_CTLR.EnableGrp0/1, any PE's
 * ICC_IGRPEN0/1_EL1 or GICR_WAKER.ProcessorSleep (group gates and 1-of-N
 * targets): recompute everything. */
void gic_hppi_rebuild(struct gic *g);
/* PE's highest-priority pending interrupt, -1 when none: the cached one,
 * recomputed from the ready bitmaps when a change has invalidated it. */
int gic_hppi(struct gic *g, unsigned pe);
/* The same, by a full rescan of every interrupt, ignoring the bitmaps and
 * the cache: the reference that gic_hppi_check() compares against. */
int gic_hppi_rescan(struct gic *g, unsigned pe);
/* Whether the incremental state agrees with a full rescan for every PE;
 * if not, false, with the first disagreement described in WHY. Costs a
 * rescan of everything: for tests. */
bool gic_hppi_check(struct gic *g, char *why, size_t len);

/* Drive PE's outputs from its highest-priority pending interrupt
 * (cpuif.c). Call after any change that can affect PE. */
void gic_update(struct gic *g, unsigned pe);
void gic_update_all(struct gic *g);

/* The physical CPU interface's registers (cpuif.c), as an access by PE
 * that reaches them makes it (the caller has checked it may). */
uint64_t gic_cpuif_read(struct gic *g, unsigned pe, enum gic_icc_reg reg);
void gic_cpuif_write(struct gic *g, unsigned pe, enum gic_icc_reg reg, uint64_t value);
/* Deactivate physical INTID at PE (a HW = 1 list register's virtual
 * deactivation does this): ignored for a special or unimplemented INTID. */
void gic_cpuif_deactivate(struct gic *g, unsigned pe, unsigned intid);
/* The number of ICC_AP0R<n>/AP1R<n> registers (1, 2 or 4). */
unsigned gic_cpuif_num_aprs(const struct gic *g);

/* The virtual CPU interface (vcpuif.c). ICV_* registers are named by the
 * ICC_* register whose encoding reaches them. */
uint64_t gic_icv_read(struct gic *g, unsigned pe, enum gic_icc_reg reg);
void gic_icv_write(struct gic *g, unsigned pe, enum gic_icc_reg reg, uint64_t value);
uint64_t gic_ich_read(struct gic *g, unsigned pe, enum gic_ich_reg reg);
void gic_ich_write(struct gic *g, unsigned pe, enum gic_ich_reg reg, uint64_t value);
/* How many list registers and virtual active-priority registers exist. */
unsigned gic_vcpu_num_lrs(const struct gic *g);
unsigned gic_vcpu_num_aprs(const struct gic *g);
/* The virtual interface's reset values (docs/gic.md). */
void gic_vcpu_reset(struct gic *g, unsigned pe);
/* Drive PE's virtual outputs and maintenance interrupt from its state. */
void gic_vcpu_update(struct gic *g, unsigned pe);
/* The virtual half of gic_explain(). */
void gic_vcpu_explain(struct gic *g, unsigned pe, uint32_t daif, FILE *f);

/* The descriptor table of gic_sysregs() (sysregs.c): built once by gic_new
 * for its configuration; false when memory runs out. */
bool gic_sysregs_build(struct gic *g);

/* Report EV of PE's CPU interface (gic_config.cpuif), if anyone listens. */
static inline void gic_cpuif_report(struct gic *g, unsigned pe, const struct gic_cpuif_event *ev)
{
    if (g->cfg.cpuif)
        g->cfg.cpuif(g->cfg.opaque, pe, ev);
}

#endif
