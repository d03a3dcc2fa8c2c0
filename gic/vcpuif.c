/* The GICv3 virtual CPU interface of each PE (IHI 0069, "The virtual CPU
 * interface" and the ICH_* and ICV_* register descriptions): the list
 * registers a hypervisor fills through ICH_LR<n>_EL2, the virtual
 * interrupts they signal to EL1 on vIRQ/vFIQ, the ICV_* registers the EL1
 * guest reaches through the ICC_* encodings when HCR_EL2.IMO/FMO are set,
 * and the maintenance interrupt (PPI 25).
 *
 * The model in a few rules:
 *
 * - All state is in the ICH_* registers (struct gic_vcpu): ICV_PMR_EL1 is
 *   ICH_VMCR_EL2.VPMR, ICV_BPR0/1 are VBPR0/1, ICV_CTLR_EL1.{EOImode,CBPR}
 *   are VEOIM/VCBPR, ICV_IGRPEN0/1 are VENG0/1, ICV_AP0R/AP1R<n> are
 *   ICH_AP0R/AP1R<n>. A hypervisor that saves and restores the ICH_*
 *   registers moves a whole virtual CPU interface.
 *
 * - gic_vcpu_update() is the only function that drives the virtual outputs
 *   and the maintenance interrupt. The highest-priority pending virtual
 *   interrupt (HPPVI) is the list register in the pending state (not
 *   pending and active) whose group is enabled (VENGn) with the lowest
 *   priority value; equal priorities go to the lowest LR. pmr_decide()
 *   then decides, with ICH_HCR_EL2.En in the place of the Distributor's
 *   group enable, VPMR, the virtual running priority and VBPR0/1, as for
 *   a physical interrupt: Group 0 on vFIQ, Group 1 on vIRQ.
 *
 * - Acknowledge (ICV_IAR0/1_EL1) takes the HPPVI if it is signalled and of
 *   the register's group: the LR goes pending -> active and the group
 *   priority is set in ICH_AP0R/AP1R; a vLPI (vINTID 8192 and up) has no
 *   active state, so its LR becomes invalid. A special vINTID (1020-1023)
 *   in an LR is returned and the LR made invalid.
 *
 * - ICV_EOIR0/1_EL1 drops the highest active virtual priority (Group 0
 *   first when both groups have the same one); with VEOIM = 0, an LR that
 *   holds the vINTID active, of the register's group and at the priority
 *   dropped, is deactivated. ICV_DIR_EL1 (VEOIM = 1) deactivates the LR
 *   that holds the vINTID active. Deactivation clears the LR's active
 *   state (active -> invalid, pending and active -> pending); with HW = 1
 *   it also deactivates the physical pINTID. An EOIR (VEOIM = 0) or DIR
 *   (VEOIM = 1) of a non-LPI vINTID that no LR holds active increments
 *   ICH_HCR_EL2.EOIcount, as the register description lists.
 *
 * - The maintenance interrupt is asserted while ICH_HCR_EL2.En = 1 and
 *   ICH_MISR_EL2 is not zero; it drives PPI 25, level-sensitive, like any
 *   other PPI input.
 *
 * Choices the specification leaves open (CONSTRAINED UNPREDICTABLE or
 * IMPLEMENTATION DEFINED), with QEMU's where QEMU makes one:
 * - An ICV_EOIR write with no active virtual priority is ignored entirely.
 * - An ICV_EOIR write whose LR is of the other group, or whose priority is
 *   not the one dropped, drops the priority and deactivates nothing.
 * - An ICV_DIR write with VEOIM = 0 is ignored.
 * Where this model departs from QEMU 7.2 (docs/gic.md): an EOIR with
 * VEOIM = 1 never counts in EOIcount, MISR.VGrp0D tests VENG0, VPMR keeps
 * only the implemented priority bits, and a vLPI's LR becomes invalid on
 * acknowledge. */
#include "gic/gic_internal.h"

#include <assert.h>
#include <string.h>

#include "pmr/pmr.h"

/* ICH_HCR_EL2 (IHI 0069, ICH_HCR_EL2). */
#define HCR_EN             (1u << 0)
#define HCR_UIE            (1u << 1)
#define HCR_LRENPIE        (1u << 2)
#define HCR_NPIE           (1u << 3)
#define HCR_VGRP0EIE       (1u << 4)
#define HCR_VGRP0DIE       (1u << 5)
#define HCR_VGRP1EIE       (1u << 6)
#define HCR_VGRP1DIE       (1u << 7)
#define HCR_TDIR           (1u << 8)
#define HCR_TC             (1u << 10)
#define HCR_TALL0          (1u << 11)
#define HCR_TALL1          (1u << 12)
#define HCR_EOICOUNT_SHIFT 27
#define HCR_EOICOUNT_MASK  (0x1fu << HCR_EOICOUNT_SHIFT)
/* TSEI (bit 13) is RES0: ICH_VTR_EL2.SEIS = 0. */
#define HCR_WRITABLE                                                                               \
    (HCR_EN | HCR_UIE | HCR_LRENPIE | HCR_NPIE | HCR_VGRP0EIE | HCR_VGRP0DIE | HCR_VGRP1EIE |      \
     HCR_VGRP1DIE | HCR_TDIR | HCR_TC | HCR_TALL0 | HCR_TALL1 | HCR_EOICOUNT_MASK)

/* ICH_VTR_EL2. */
#define VTR_TDS           (1u << 19)
#define VTR_NV4           (1u << 20)
#define VTR_A3V           (1u << 21)
#define VTR_PREBITS_SHIFT 26
#define VTR_PRIBITS_SHIFT 29

/* ICH_VMCR_EL2. VAckCtl (bit 2) is RES0 and VFIQEn (bit 3) RES1: there is
 * no legacy (memory-mapped GICv2) operation. */
#define VMCR_VENG0       (1u << 0)
#define VMCR_VENG1       (1u << 1)
#define VMCR_VFIQEN      (1u << 3)
#define VMCR_VCBPR       (1u << 4)
#define VMCR_VEOIM       (1u << 9)
#define VMCR_VBPR1_SHIFT 18
#define VMCR_VBPR0_SHIFT 21
#define VMCR_VPMR_SHIFT  24

/* ICH_MISR_EL2. */
#define MISR_EOI    (1u << 0)
#define MISR_U      (1u << 1)
#define MISR_LRENP  (1u << 2)
#define MISR_NP     (1u << 3)
#define MISR_VGRP0E (1u << 4)
#define MISR_VGRP0D (1u << 5)
#define MISR_VGRP1E (1u << 6)
#define MISR_VGRP1D (1u << 7)

/* ICH_LR<n>_EL2. */
#define LR_VINTID_MASK    0xffffffffull
#define LR_PINTID_SHIFT   32
#define LR_PINTID_MASK    (0x1fffull << LR_PINTID_SHIFT)
#define LR_EOI            (1ull << 41)
#define LR_PRIORITY_SHIFT 48
#define LR_GROUP          (1ull << 60)
#define LR_HW             (1ull << 61)
#define LR_STATE_SHIFT    62
#define LR_STATE_PENDING  (1ull << 62)
#define LR_STATE_ACTIVE   (1ull << 63)
#define LR_STATE_MASK     (LR_STATE_PENDING | LR_STATE_ACTIVE)
/* Bits 56-59 (NMI without FEAT_GICv3_NMI) are RES0, as are unimplemented
 * priority bits (ich_lr_write). */
#define LR_WRITABLE_FIXED (LR_VINTID_MASK | LR_PINTID_MASK | LR_GROUP | LR_HW | LR_STATE_MASK)

/* The GIC maintenance interrupt of the virt board. */
#define MAINTENANCE_PPI 25

#define INTID_FIRST_SPECIAL 1020u
#define INTID_FIRST_LPI     8192u
#define ICC_INTID_MASK      0xffffffu

/* ---- Configuration ------------------------------------------------------ */

unsigned gic_vcpu_num_lrs(const struct gic *g)
{
    return g->cfg.num_lrs ? g->cfg.num_lrs : GIC_DEFAULT_LRS;
}

/* Virtual priority bits: the physical ones, at least 5 (IHI 0069,
 * ICH_VTR_EL2.PRIbits: at least 32 virtual priority levels). */
static unsigned vpri_bits(const struct gic *g)
{
    return g->cfg.pri_bits < 5 ? 5 : g->cfg.pri_bits;
}

static unsigned vpre_bits(const struct gic *g)
{
    return pmr_preemption_bits(vpri_bits(g));
}

unsigned gic_vcpu_num_aprs(const struct gic *g)
{
    return 1u << (vpre_bits(g) - 5);
}

static struct gic_vcpu *vcpu_of(struct gic *g, unsigned pe)
{
    assert(pe < g->cfg.num_pes);
    return &g->cpu[pe].v;
}

/* ---- Field access ------------------------------------------------------- */

static unsigned lr_state(uint64_t lr)
{
    return (unsigned)(lr >> LR_STATE_SHIFT);
}

static bool lr_pending_only(uint64_t lr)
{
    return (lr & LR_STATE_MASK) == LR_STATE_PENDING;
}

static uint32_t lr_vintid(uint64_t lr)
{
    return (uint32_t)(lr & LR_VINTID_MASK);
}

static unsigned lr_pintid(uint64_t lr)
{
    return (unsigned)((lr & LR_PINTID_MASK) >> LR_PINTID_SHIFT);
}

static uint8_t lr_priority(uint64_t lr)
{
    return (uint8_t)(lr >> LR_PRIORITY_SHIFT);
}

static bool lr_group1(uint64_t lr)
{
    return lr & LR_GROUP;
}

static uint8_t vpmr(const struct gic_vcpu *v)
{
    return (uint8_t)(v->vmcr >> VMCR_VPMR_SHIFT);
}

static unsigned vbpr0(const struct gic_vcpu *v)
{
    return (v->vmcr >> VMCR_VBPR0_SHIFT) & 7;
}

static unsigned vbpr1(const struct gic_vcpu *v)
{
    return (v->vmcr >> VMCR_VBPR1_SHIFT) & 7;
}

static bool veng(const struct gic_vcpu *v, bool group1)
{
    return v->vmcr & (group1 ? VMCR_VENG1 : VMCR_VENG0);
}

/* The virtual running priority (ICV_RPR_EL1): the group priority of the
 * lowest set bit over ICH_AP0R/AP1R, 0xff when none. */
static uint8_t vrunning_priority(const struct gic *g, const struct gic_vcpu *v)
{
    for (unsigned i = 0; i < gic_vcpu_num_aprs(g); i++) {
        uint32_t apr = v->ap[0][i] | v->ap[1][i];
        if (apr == 0)
            continue;
        unsigned bit = i * 32 + (unsigned)__builtin_ctz(apr);
        return (uint8_t)(bit << (8 - vpre_bits(g)));
    }
    return 0xff;
}

static struct pmr_inputs vinputs(const struct gic *g, const struct gic_vcpu *v, uint8_t priority,
                                 bool group1)
{
    return (struct pmr_inputs){
        .priority = priority,
        .group1 = group1,
        .dist_grp_enabled = v->hcr & HCR_EN,
        .cpu_grp_enabled = veng(v, group1),
        .pmr = vpmr(v),
        .running_priority = vrunning_priority(g, v),
        .bpr0 = (uint8_t)vbpr0(v),
        .bpr1 = (uint8_t)vbpr1(v),
        .cbpr = v->vmcr & VMCR_VCBPR,
        .pri_bits = vpri_bits(g),
        .virt = true,
    };
}

static struct pmr_inputs vpmr_inputs(const struct gic *g, const struct gic_vcpu *v, uint64_t lr)
{
    return vinputs(g, v, lr_priority(lr), lr_group1(lr));
}

/* The HPPVI's list register, or -1. An LR with priority 0xff is never
 * one: nothing can be higher than the idle priority. */
static int hppvi(const struct gic *g, const struct gic_vcpu *v)
{
    int best = -1;
    unsigned best_prio = 0xff;

    for (unsigned i = 0; i < gic_vcpu_num_lrs(g); i++) {
        uint64_t lr = v->lr[i];
        if (!lr_pending_only(lr) || !veng(v, lr_group1(lr)))
            continue;
        if (lr_priority(lr) < best_prio) {
            best_prio = lr_priority(lr);
            best = (int)i;
        }
    }
    return best;
}

/* The highest-priority pending virtual interrupt: a list register's, or
 * (GICv4) a vLPI of the vPE resident at the PE's redistributor, which
 * reaches the interface directly (IHI 0069, "Direct injection of virtual
 * LPIs"), or (GICv4.1) one of its vSGIs. vLPIs are virtual Group 1; vSGIs
 * are of the group the VSGI command gave them. Among the direct ones the
 * lower priority value wins, then the lower vINTID (a vSGI); an LR wins a
 * tie with them. */
struct vcand {
    int lr; /* -1: a directly injected vLPI or vSGI */
    uint32_t vintid;
    uint8_t priority;
    bool group1;
};

static bool best_vcand(struct gic *g, unsigned pe, struct vcand *c)
{
    const struct gic_vcpu *v = vcpu_of(g, pe);
    int i = hppvi(g, v);
    int vlpi = g->cpu[pe].vlpi.cfg && veng(v, true) ? gic_vlpi_best(g, pe) : -1;
    struct vcand d = {-1, 0, 0xff, true};
    bool sgi_g1 = false;
    uint8_t sgi_p = 0xff;
    int vsgi = gic_vsgi_best(g, pe, veng(v, false), veng(v, true), &sgi_p, &sgi_g1);

    if (vlpi >= 0)
        d = (struct vcand){-1, (uint32_t)vlpi, gic_vlpi_priority(g, pe, (unsigned)vlpi), true};
    if (vsgi >= 0 && sgi_p <= d.priority)
        d = (struct vcand){-1, (uint32_t)vsgi, sgi_p, sgi_g1};
    if (d.priority != 0xff && (i < 0 || d.priority < lr_priority(v->lr[i]))) {
        *c = d;
        return true;
    }
    if (i < 0)
        return false;
    *c = (struct vcand){i, lr_vintid(v->lr[i]), lr_priority(v->lr[i]), lr_group1(v->lr[i])};
    return true;
}

static bool vcand_signalled(const struct gic *g, const struct gic_vcpu *v, const struct vcand *c)
{
    struct pmr_inputs in = vinputs(g, v, c->priority, c->group1);
    return pmr_decide(&in) == PMR_SIGNAL;
}

/* ---- Maintenance -------------------------------------------------------- */

/* ICH_EISR_EL2: LRs with a pending EOI maintenance (invalid, HW 0, EOI 1). */
static uint32_t eisr(const struct gic *g, const struct gic_vcpu *v)
{
    uint32_t bits = 0;
    for (unsigned i = 0; i < gic_vcpu_num_lrs(g); i++)
        if ((v->lr[i] & (LR_STATE_MASK | LR_HW | LR_EOI)) == LR_EOI)
            bits |= 1u << i;
    return bits;
}

/* ICH_ELRSR_EL2: LRs free for a new interrupt (invalid, and no EOI
 * maintenance pending: HW 1 or EOI 0). */
static uint32_t elrsr(const struct gic *g, const struct gic_vcpu *v)
{
    uint32_t bits = 0;
    for (unsigned i = 0; i < gic_vcpu_num_lrs(g); i++) {
        uint64_t lr = v->lr[i];
        if (!(lr & LR_STATE_MASK) && ((lr & LR_HW) || !(lr & LR_EOI)))
            bits |= 1u << i;
    }
    return bits;
}

/* ICH_MISR_EL2, condition by condition (IHI 0069, ICH_MISR_EL2). */
static uint32_t misr(const struct gic *g, const struct gic_vcpu *v)
{
    unsigned valid = 0;
    bool pending = false;
    uint32_t m = 0;

    for (unsigned i = 0; i < gic_vcpu_num_lrs(g); i++) {
        valid += (v->lr[i] & LR_STATE_MASK) != 0;
        pending = pending || lr_pending_only(v->lr[i]);
    }
    if (eisr(g, v))
        m |= MISR_EOI;
    if ((v->hcr & HCR_UIE) && valid <= 1)
        m |= MISR_U;
    if ((v->hcr & HCR_LRENPIE) && (v->hcr & HCR_EOICOUNT_MASK))
        m |= MISR_LRENP;
    if ((v->hcr & HCR_NPIE) && !pending)
        m |= MISR_NP;
    if ((v->hcr & HCR_VGRP0EIE) && veng(v, false))
        m |= MISR_VGRP0E;
    if ((v->hcr & HCR_VGRP0DIE) && !veng(v, false))
        m |= MISR_VGRP0D;
    if ((v->hcr & HCR_VGRP1EIE) && veng(v, true))
        m |= MISR_VGRP1E;
    if ((v->hcr & HCR_VGRP1DIE) && !veng(v, true))
        m |= MISR_VGRP1D;
    return m;
}

/* ---- The one recompute function ----------------------------------------- */

void gic_vcpu_update(struct gic *g, unsigned pe)
{
    struct gic_vcpu *v = vcpu_of(g, pe);
    bool virq = false, vfiq = false;
    struct vcand c;

    if (best_vcand(g, pe, &c) && vcand_signalled(g, v, &c)) {
        virq = c.group1;
        vfiq = !virq;
    }
    if (virq != v->virq_out || vfiq != v->vfiq_out) {
        v->virq_out = virq;
        v->vfiq_out = vfiq;
        if (g->cfg.voutput)
            g->cfg.voutput(g->cfg.opaque, pe, virq, vfiq);
    }

    uint32_t m = (v->hcr & HCR_EN) ? misr(g, v) : 0;
    if ((m != 0) != v->maint_out) {
        v->maint_out = m != 0;
        gic_cpuif_report(
            g, pe,
            &(struct gic_cpuif_event){.kind = GIC_CPUIF_MAINT, .value = m, .level = v->maint_out});
        gic_set_ppi(g, pe, MAINTENANCE_PPI, v->maint_out);
    }
}

static void report_v(struct gic *g, unsigned pe, enum gic_vtransition t, uint32_t vintid,
                     unsigned lr, uint8_t priority)
{
    gic_cpuif_report(g, pe,
                     &(struct gic_cpuif_event){.kind = GIC_CPUIF_VIRQ,
                                               .vt = t,
                                               .vintid = vintid,
                                               .lr = (uint8_t)lr,
                                               .priority = priority});
}

/* ---- Acknowledge, priority drop, deactivation --------------------------- */

/* ICV_IAR0/1_EL1. */
static uint64_t icv_iar_read(struct gic *g, unsigned pe, bool group1)
{
    struct gic_vcpu *v = vcpu_of(g, pe);
    struct vcand c;
    if (!best_vcand(g, pe, &c) || c.group1 != group1 || !vcand_signalled(g, v, &c))
        return GIC_SPURIOUS;
    if (c.lr < 0) {
        /* A direct vLPI or vSGI: no longer pending, its priority active. */
        struct pmr_inputs in = vinputs(g, v, c.priority, c.group1);
        unsigned bit = pmr_group_priority(&in) >> (8 - vpre_bits(g));
        v->ap[c.group1][bit / 32] |= 1u << (bit % 32);
        if (c.vintid < 16)
            gic_vsgi_acknowledge(g, pe, c.vintid);
        else
            gic_vlpi_put_pending(g, pe, c.vintid, false);
        report_v(g, pe, GIC_VTR_ACKNOWLEDGED, c.vintid, GIC_NO_LR, c.priority);
        gic_vcpu_update(g, pe);
        return c.vintid;
    }

    int i = c.lr;
    uint64_t lr = v->lr[i];
    uint32_t vintid = lr_vintid(lr);
    if (vintid >= INTID_FIRST_SPECIAL && vintid < INTID_FIRST_LPI) {
        /* A special vINTID: returned as it is, the LR emptied. */
        v->lr[i] = lr & ~LR_STATE_MASK;
    } else {
        struct pmr_inputs in = vpmr_inputs(g, v, lr);
        unsigned bit = pmr_group_priority(&in) >> (8 - vpre_bits(g));
        v->ap[group1][bit / 32] |= 1u << (bit % 32);
        lr &= ~LR_STATE_MASK;
        if (vintid < INTID_FIRST_LPI)
            lr |= LR_STATE_ACTIVE; /* a vLPI has no active state */
        v->lr[i] = lr;
        report_v(g, pe, GIC_VTR_ACKNOWLEDGED, vintid, (unsigned)i, lr_priority(lr));
    }
    gic_vcpu_update(g, pe);
    return vintid;
}

/* ICV_HPPIR0/1_EL1: the HPPVI if it is of this group, whatever VPMR and the
 * running priority say. */
static uint64_t icv_hppir_read(struct gic *g, unsigned pe, bool group1)
{
    struct vcand c;
    if (!best_vcand(g, pe, &c) || c.group1 != group1)
        return GIC_SPURIOUS;
    return c.vintid;
}

/* The LR that holds VINTID active, or -1. */
static int find_active(const struct gic *g, const struct gic_vcpu *v, uint32_t vintid)
{
    for (unsigned i = 0; i < gic_vcpu_num_lrs(g); i++)
        if ((v->lr[i] & LR_STATE_ACTIVE) && lr_vintid(v->lr[i]) == vintid)
            return (int)i;
    return -1;
}

static void deactivate_lr(struct gic *g, unsigned pe, unsigned i)
{
    struct gic_vcpu *v = vcpu_of(g, pe);
    uint64_t lr = v->lr[i];

    v->lr[i] = lr & ~LR_STATE_ACTIVE;
    report_v(g, pe, GIC_VTR_DEACTIVATED, lr_vintid(lr), i, lr_priority(lr));
    if (lr & LR_HW)
        gic_cpuif_deactivate(g, pe, lr_pintid(lr));
}

static void count_eoi(struct gic *g, unsigned pe, uint32_t vintid)
{
    struct gic_vcpu *v = vcpu_of(g, pe);
    uint32_t count = ((v->hcr & HCR_EOICOUNT_MASK) >> HCR_EOICOUNT_SHIFT) + 1;

    v->hcr = (v->hcr & ~HCR_EOICOUNT_MASK) | ((count << HCR_EOICOUNT_SHIFT) & HCR_EOICOUNT_MASK);
    report_v(g, pe, GIC_VTR_EOICOUNT, vintid, GIC_NO_LR, 0);
}

/* Clear the highest active virtual priority (Group 0 first at equal
 * priority); return it, or 0xff (and change nothing) when none is active. */
static uint8_t drop_priority(struct gic *g, struct gic_vcpu *v)
{
    for (unsigned i = 0; i < gic_vcpu_num_aprs(g); i++) {
        uint32_t a0 = v->ap[0][i], a1 = v->ap[1][i];
        if ((a0 | a1) == 0)
            continue;
        unsigned c0 = a0 ? (unsigned)__builtin_ctz(a0) : 32;
        unsigned c1 = a1 ? (unsigned)__builtin_ctz(a1) : 32;
        unsigned grp = c0 <= c1 ? 0 : 1;
        unsigned bit = grp ? c1 : c0;
        v->ap[grp][i] &= ~(1u << bit);
        return (uint8_t)((i * 32 + bit) << (8 - vpre_bits(g)));
    }
    return 0xff;
}

/* ICV_EOIR0/1_EL1. */
static void icv_eoir_write(struct gic *g, unsigned pe, bool group1, uint64_t value)
{
    struct gic_vcpu *v = vcpu_of(g, pe);
    uint32_t vintid = (uint32_t)(value & ICC_INTID_MASK);
    if (vintid >= INTID_FIRST_SPECIAL && vintid < INTID_FIRST_LPI)
        return;

    uint8_t dropped = drop_priority(g, v);
    if (dropped == 0xff)
        return;
    report_v(g, pe, GIC_VTR_PRIORITY_DROP, vintid, GIC_NO_LR, dropped);
    /* vLPIs and direct vSGIs have no active state to deactivate; a vSGI
     * that a list register holds active is that LR's. */
    int i = find_active(g, v, vintid);
    bool lpi = vintid >= INTID_FIRST_LPI || (i < 0 && gic_vsgi_direct(g, pe, vintid));
    if ((v->vmcr & VMCR_VEOIM) && !lpi) {
        gic_vcpu_update(g, pe);
        return;
    }
    if (i < 0) {
        if (!lpi)
            count_eoi(g, pe, vintid);
    } else {
        struct pmr_inputs in = vpmr_inputs(g, v, v->lr[i]);
        in.group1 = group1; /* the group priority as the register's group cuts it */
        if (lr_group1(v->lr[i]) == group1 && pmr_group_priority(&in) == dropped)
            deactivate_lr(g, pe, (unsigned)i);
    }
    gic_vcpu_update(g, pe);
}

/* ICV_DIR_EL1: deactivation alone, meaningful only with VEOIM = 1. */
static void icv_dir_write(struct gic *g, unsigned pe, uint64_t value)
{
    struct gic_vcpu *v = vcpu_of(g, pe);
    uint32_t vintid = (uint32_t)(value & ICC_INTID_MASK);
    if (vintid >= INTID_FIRST_SPECIAL || !(v->vmcr & VMCR_VEOIM))
        return;

    int i = find_active(g, v, vintid);
    if (i >= 0)
        deactivate_lr(g, pe, (unsigned)i);
    else if (!gic_vsgi_direct(g, pe, vintid))
        count_eoi(g, pe, vintid);
    gic_vcpu_update(g, pe);
}

/* ---- Binary point, PMR, control ----------------------------------------- */

static unsigned vbpr_min(const struct gic *g, bool group1)
{
    return pmr_min_bpr0(vpri_bits(g)) + (group1 ? 1u : 0u);
}

static void set_vbpr(struct gic *g, struct gic_vcpu *v, bool group1, unsigned bp)
{
    unsigned shift = group1 ? VMCR_VBPR1_SHIFT : VMCR_VBPR0_SHIFT;
    unsigned min = vbpr_min(g, group1);

    bp &= 7;
    if (bp < min)
        bp = min;
    v->vmcr = (v->vmcr & ~(7u << shift)) | bp << shift;
}

/* With VCBPR = 1, ICV_BPR1_EL1 reads as VBPR0 + 1, saturated to 7, and
 * ignores writes. */
static uint64_t icv_bpr_read(const struct gic_vcpu *v, bool group1)
{
    if (!group1)
        return vbpr0(v);
    if (v->vmcr & VMCR_VCBPR)
        return vbpr0(v) >= 7 ? 7 : vbpr0(v) + 1;
    return vbpr1(v);
}

static uint64_t icv_ctlr_read(const struct gic *g, const struct gic_vcpu *v)
{
    /* ICV_CTLR_EL1: CBPR 0, EOImode 1, PRIbits 10:8, IDbits 13:11 (0: 16
     * bits), SEIS 14 (0), A3V 15 (1); the fixed fields match ICH_VTR_EL2. */
    return ((v->vmcr & VMCR_VCBPR) ? 1u : 0u) | ((v->vmcr & VMCR_VEOIM) ? 2u : 0u) |
           (uint64_t)(vpri_bits(g) - 1) << 8 | 1u << 15;
}

static uint8_t vpmr_mask(const struct gic *g)
{
    return pmr_priority_mask(vpri_bits(g));
}

uint64_t gic_icv_read(struct gic *g, unsigned pe, enum gic_icc_reg reg)
{
    struct gic_vcpu *v = vcpu_of(g, pe);

    switch (reg) {
    case ICC_PMR_EL1: return vpmr(v);
    case ICC_IAR0_EL1: return icv_iar_read(g, pe, false);
    case ICC_IAR1_EL1: return icv_iar_read(g, pe, true);
    case ICC_HPPIR0_EL1: return icv_hppir_read(g, pe, false);
    case ICC_HPPIR1_EL1: return icv_hppir_read(g, pe, true);
    case ICC_BPR0_EL1: return icv_bpr_read(v, false);
    case ICC_BPR1_EL1: return icv_bpr_read(v, true);
    case ICC_RPR_EL1: return vrunning_priority(g, v);
    case ICC_CTLR_EL1: return icv_ctlr_read(g, v);
    case ICC_IGRPEN0_EL1: return veng(v, false);
    case ICC_IGRPEN1_EL1: return veng(v, true);
    case ICC_AP0R0_EL1:
    case ICC_AP0R1_EL1:
    case ICC_AP0R2_EL1:
    case ICC_AP0R3_EL1: return v->ap[0][reg - ICC_AP0R0_EL1];
    case ICC_AP1R0_EL1:
    case ICC_AP1R1_EL1:
    case ICC_AP1R2_EL1:
    case ICC_AP1R3_EL1: return v->ap[1][reg - ICC_AP1R0_EL1];
    default: assert(!"not an ICV register read"); return 0;
    }
}

void gic_icv_write(struct gic *g, unsigned pe, enum gic_icc_reg reg, uint64_t value)
{
    struct gic_vcpu *v = vcpu_of(g, pe);

    switch (reg) {
    case ICC_PMR_EL1:
        v->vmcr = (v->vmcr & ~(0xffu << VMCR_VPMR_SHIFT)) |
                  (uint32_t)((uint8_t)value & vpmr_mask(g)) << VMCR_VPMR_SHIFT;
        break;
    case ICC_EOIR0_EL1: icv_eoir_write(g, pe, false, value); return;
    case ICC_EOIR1_EL1: icv_eoir_write(g, pe, true, value); return;
    case ICC_DIR_EL1: icv_dir_write(g, pe, value); return;
    case ICC_BPR0_EL1: set_vbpr(g, v, false, (unsigned)value); break;
    case ICC_BPR1_EL1:
        if (!(v->vmcr & VMCR_VCBPR))
            set_vbpr(g, v, true, (unsigned)value);
        break;
    case ICC_CTLR_EL1:
        v->vmcr = (v->vmcr & ~(VMCR_VCBPR | VMCR_VEOIM)) | ((value & 1) ? VMCR_VCBPR : 0) |
                  ((value & 2) ? VMCR_VEOIM : 0);
        break;
    case ICC_IGRPEN0_EL1: v->vmcr = (v->vmcr & ~VMCR_VENG0) | ((value & 1) ? VMCR_VENG0 : 0); break;
    case ICC_IGRPEN1_EL1: v->vmcr = (v->vmcr & ~VMCR_VENG1) | ((value & 1) ? VMCR_VENG1 : 0); break;
    case ICC_AP0R0_EL1:
    case ICC_AP0R1_EL1:
    case ICC_AP0R2_EL1:
    case ICC_AP0R3_EL1: v->ap[0][reg - ICC_AP0R0_EL1] = (uint32_t)value; break;
    case ICC_AP1R0_EL1:
    case ICC_AP1R1_EL1:
    case ICC_AP1R2_EL1:
    case ICC_AP1R3_EL1: v->ap[1][reg - ICC_AP1R0_EL1] = (uint32_t)value; break;
    default: assert(!"not an ICV register write"); return;
    }
    gic_vcpu_update(g, pe);
}

/* ---- The ICH_* registers ------------------------------------------------ */

static uint64_t vtr_value(const struct gic *g)
{
    /* ListRegs 4:0, TDS (ICH_HCR_EL2.TDIR implemented), nV4 (1: no direct
     * injection of vLPIs, as without GICv4), A3V, SEIS 0, IDbits 0 (16
     * bits), PREbits, PRIbits. */
    uint64_t nv4 = g->num_lpis && g->cfg.version != GIC_V3 ? 0 : VTR_NV4;
    return (uint64_t)(gic_vcpu_num_lrs(g) - 1) | VTR_TDS | nv4 | VTR_A3V |
           (uint64_t)(vpre_bits(g) - 1) << VTR_PREBITS_SHIFT |
           (uint64_t)(vpri_bits(g) - 1) << VTR_PRIBITS_SHIFT;
}

uint64_t gic_ich_read(struct gic *g, unsigned pe, enum gic_ich_reg reg)
{
    struct gic_vcpu *v = vcpu_of(g, pe);

    if (reg >= ICH_LR0_EL2) {
        assert(reg - ICH_LR0_EL2 < gic_vcpu_num_lrs(g));
        return v->lr[reg - ICH_LR0_EL2];
    }
    switch (reg) {
    case ICH_AP0R0_EL2:
    case ICH_AP0R1_EL2:
    case ICH_AP0R2_EL2:
    case ICH_AP0R3_EL2: return v->ap[0][reg - ICH_AP0R0_EL2];
    case ICH_AP1R0_EL2:
    case ICH_AP1R1_EL2:
    case ICH_AP1R2_EL2:
    case ICH_AP1R3_EL2: return v->ap[1][reg - ICH_AP1R0_EL2];
    case ICH_HCR_EL2: return v->hcr;
    case ICH_VTR_EL2: return vtr_value(g);
    case ICH_MISR_EL2: return misr(g, v);
    case ICH_EISR_EL2: return eisr(g, v);
    case ICH_ELRSR_EL2: return elrsr(g, v);
    case ICH_VMCR_EL2: return v->vmcr;
    default: assert(!"not an ICH register"); return 0;
    }
}

/* ICH_VMCR_EL2: VBPR0/1 below their minimum read as the minimum (as the
 * ICV_BPR0/1_EL1 they alias); VPMR keeps its implemented bits. */
static void vmcr_write(struct gic *g, struct gic_vcpu *v, uint64_t value)
{
    uint32_t keep = VMCR_VENG0 | VMCR_VENG1 | VMCR_VCBPR | VMCR_VEOIM;
    v->vmcr = ((uint32_t)value & keep) | VMCR_VFIQEN |
              (uint32_t)((uint8_t)(value >> VMCR_VPMR_SHIFT) & vpmr_mask(g)) << VMCR_VPMR_SHIFT;
    set_vbpr(g, v, false, (unsigned)(value >> VMCR_VBPR0_SHIFT));
    set_vbpr(g, v, true, (unsigned)(value >> VMCR_VBPR1_SHIFT));
}

static uint64_t lr_mask(const struct gic *g)
{
    uint64_t prio = (uint64_t)vpmr_mask(g) << LR_PRIORITY_SHIFT;
    return LR_WRITABLE_FIXED | prio;
}

void gic_ich_write(struct gic *g, unsigned pe, enum gic_ich_reg reg, uint64_t value)
{
    struct gic_vcpu *v = vcpu_of(g, pe);

    if (reg >= ICH_LR0_EL2) {
        unsigned n = reg - ICH_LR0_EL2;
        assert(n < gic_vcpu_num_lrs(g));
        v->lr[n] = value & lr_mask(g);
        gic_cpuif_report(
            g, pe,
            &(struct gic_cpuif_event){.kind = GIC_CPUIF_LR, .value = v->lr[n], .lr = (uint8_t)n});
        gic_vcpu_update(g, pe);
        return;
    }
    switch (reg) {
    case ICH_AP0R0_EL2:
    case ICH_AP0R1_EL2:
    case ICH_AP0R2_EL2:
    case ICH_AP0R3_EL2: v->ap[0][reg - ICH_AP0R0_EL2] = (uint32_t)value; break;
    case ICH_AP1R0_EL2:
    case ICH_AP1R1_EL2:
    case ICH_AP1R2_EL2:
    case ICH_AP1R3_EL2: v->ap[1][reg - ICH_AP1R0_EL2] = (uint32_t)value; break;
    case ICH_HCR_EL2: v->hcr = (uint32_t)value & HCR_WRITABLE; break;
    case ICH_VMCR_EL2: vmcr_write(g, v, value); break;
    default: assert(!"not a writable ICH register"); return;
    }
    gic_vcpu_update(g, pe);
}

void gic_vcpu_reset(struct gic *g, unsigned pe)
{
    struct gic_vcpu *v = &g->cpu[pe].v; /* every PE slot, as the GIC's reset does */
    bool virq = v->virq_out, vfiq = v->vfiq_out, maint = v->maint_out;

    memset(v, 0, sizeof *v);
    v->vmcr = VMCR_VFIQEN;
    set_vbpr(g, v, false, 0);
    set_vbpr(g, v, true, 0);
    /* What the outputs last showed: the update after the reset lowers them. */
    v->virq_out = virq;
    v->vfiq_out = vfiq;
    v->maint_out = maint;
}

/* ---- Why not taken ------------------------------------------------------ */

/* The rest of a pending virtual interrupt's line: the gate that stops it,
 * or how it is signalled. BEST: it is the HPPVI, which is C. */
static void explain_vgates(struct pmr_inputs in, bool best, const struct vcand *c, uint32_t daif,
                           FILE *f)
{
    enum pmr_gate gate = pmr_decide_pe(&in, daif);
    char why[128];

    if (gate == PMR_SIGNAL || gate == PMR_MASKED_BY_PSTATE) {
        if (!best) {
            if (c->lr >= 0)
                fprintf(f, ", not signalled: LR%d has higher priority\n", c->lr);
            else
                fprintf(f, ", not signalled: vLPI %u has higher priority\n", c->vintid);
            return;
        }
        fprintf(f, ", signalled as %s, %s\n", in.group1 ? "vIRQ" : "vFIQ",
                gate == PMR_SIGNAL
                    ? (in.group1 ? "PSTATE.I clear" : "PSTATE.F clear")
                    : (in.group1 ? "not taken: PSTATE.I set" : "not taken: PSTATE.F set"));
        return;
    }
    pmr_gate_explain(gate, &in, why, sizeof why);
    fprintf(f, ", not signalled: %s\n", why);
}

static const char *state_name(uint64_t lr)
{
    static const char *const names[] = {"invalid", "pending", "active", "active and pending"};
    return names[lr_state(lr)];
}

void gic_vcpu_explain(struct gic *g, unsigned pe, uint32_t daif, FILE *f)
{
    struct gic_vcpu *v = vcpu_of(g, pe);
    unsigned valid = 0;

    for (unsigned i = 0; i < gic_vcpu_num_lrs(g); i++)
        valid += (v->lr[i] & LR_STATE_MASK) != 0;
    bool resident = g->cpu[pe].vlpi.enabled;
    if (!(v->hcr & HCR_EN) && valid == 0 && !resident)
        return;

    struct vcand c;
    bool any = best_vcand(g, pe, &c);
    fprintf(f,
            "  virtual CPU interface: ICH_HCR_EL2.En %u, VPMR 0x%02x, virtual RPR 0x%02x, "
            "VENG0 %u VENG1 %u, ICH_MISR_EL2 0x%02x, vIRQ %u vFIQ %u, maintenance %u\n",
            (v->hcr & HCR_EN) ? 1u : 0u, vpmr(v), vrunning_priority(g, v), veng(v, false) ? 1u : 0u,
            veng(v, true) ? 1u : 0u, misr(g, v), v->virq_out, v->vfiq_out, v->maint_out);
    for (unsigned i = 0; i < gic_vcpu_num_lrs(g); i++) {
        uint64_t lr = v->lr[i];
        if (!(lr & LR_STATE_MASK))
            continue;
        fprintf(f, "    vINTID %u in LR%u prio 0x%02x Group %u%s %s", lr_vintid(lr), i,
                lr_priority(lr), lr_group1(lr) ? 1u : 0u, (lr & LR_HW) ? " HW" : "",
                state_name(lr));
        if (!lr_pending_only(lr)) {
            fprintf(f, "\n");
            continue;
        }
        explain_vgates(vpmr_inputs(g, v, lr), any && c.lr == (int)i, &c, daif, f);
    }
    if (!resident)
        return;
    fprintf(f, "    resident vPE: GICR_VPENDBASER 0x%016llx\n",
            (unsigned long long)gic_vlpi_vpendbaser(g, pe));
    const struct gic_lpis *rv = &g->cpu[pe].vlpi;
    for (unsigned s = 0; g->cfg.version == GIC_V41 && s < 16; s++) {
        uint8_t cfg = rv->vsgi_cfg[s];
        uint8_t prio = cfg & 0xF0 & pmr_priority_mask(g->cfg.pri_bits);
        bool g1 = cfg & 2;
        if (!((rv->vsgi_pend >> s) & 1))
            continue;
        fprintf(f, "    vSGI %u of the resident vPE prio 0x%02x Group %u pending", s, prio, g1);
        if (!(cfg & 1)) {
            fprintf(f, ", not signalled: disabled by its VSGI command\n");
            continue;
        }
        explain_vgates(vinputs(g, v, prio, g1), any && c.lr < 0 && c.vintid == s, &c, daif, f);
    }
    for (int l = gic_vlpi_next_pending(g, pe, -1); l >= 0; l = gic_vlpi_next_pending(g, pe, l)) {
        uint8_t prio = gic_vlpi_priority(g, pe, (unsigned)l);
        fprintf(f, "    vLPI %d of the resident vPE prio 0x%02x pending", l, prio);
        if (!gic_vlpi_enabled(g, pe, (unsigned)l)) {
            fprintf(f, ", not signalled: disabled in the vLPI property table\n");
            continue;
        }
        explain_vgates(vinputs(g, v, prio, true), any && c.lr < 0 && c.vintid == (uint32_t)l, &c,
                       daif, f);
    }
}
