/*
 * The reference hypervisor's virtual GIC: save/restore of the virtual CPU
 * interface, list register management, the maintenance interrupt, and the
 * emulated distributor and redistributor (contract and model: vgic.h).
 *
 * Choices the specification leaves to the hypervisor:
 *  - the emulated GICD_CTLR has ARE = 1 and DS = 1 (one Security state), as
 *    the physical one on QEMU's virt board; with ARE = 1 the GICD per-
 *    interrupt registers of INTIDs 0-31 are RAZ/WI and the guest reaches
 *    those INTIDs through its redistributor, as on hardware;
 *  - GICD_IROUTER reads 0 (PE 0) and ignores writes: there is one vCPU;
 *  - clearing the pending state of an interrupt in an LR that is then
 *    neither pending nor active retires the LR (KVM prunes such an
 *    interrupt from its list); that is what loses the EOI maintenance
 *    interrupt of seed thread 002 unless icpendr_completes is set;
 *  - GICD/GICR_ISACTIVER and ICACTIVER writes are ignored (logged).
 */
#include "vgic.h"

#include "gic_common.h"
#include "hyp.h"

#define LOG(vg, ...)                                                                               \
    do {                                                                                           \
        if ((vg)->log)                                                                             \
            printf(__VA_ARGS__);                                                                   \
    } while (0)

/* ---- the list registers and active priority registers, by index ---- */

#define LR_CASES(X)                                                                                \
    X(0, "S3_4_C12_C12_0")                                                                         \
    X(1, "S3_4_C12_C12_1")                                                                         \
    X(2, "S3_4_C12_C12_2")                                                                         \
    X(3, "S3_4_C12_C12_3")                                                                         \
    X(4, "S3_4_C12_C12_4")                                                                         \
    X(5, "S3_4_C12_C12_5")                                                                         \
    X(6, "S3_4_C12_C12_6")                                                                         \
    X(7, "S3_4_C12_C12_7")                                                                         \
    X(8, "S3_4_C12_C13_0")                                                                         \
    X(9, "S3_4_C12_C13_1")                                                                         \
    X(10, "S3_4_C12_C13_2")                                                                        \
    X(11, "S3_4_C12_C13_3")                                                                        \
    X(12, "S3_4_C12_C13_4")                                                                        \
    X(13, "S3_4_C12_C13_5")                                                                        \
    X(14, "S3_4_C12_C13_6")                                                                        \
    X(15, "S3_4_C12_C13_7")

uint64_t ich_lr_read(unsigned n)
{
    switch (n) {
#define LR_READ(i, enc)                                                                            \
    case i: return MRS(enc);
        LR_CASES(LR_READ)
#undef LR_READ
    }
    return 0;
}

void ich_lr_write(unsigned n, uint64_t v)
{
    switch (n) {
#define LR_WRITE(i, enc)                                                                           \
    case i: MSR(enc, v); break;
        LR_CASES(LR_WRITE)
#undef LR_WRITE
    }
}

/* ICH_AP0R<n>_EL2 is S3_4_C12_C8_<n>, ICH_AP1R<n>_EL2 S3_4_C12_C9_<n>. */
static uint32_t ich_apr_read(unsigned group, unsigned n)
{
    switch (group * 4 + n) {
    case 0: return (uint32_t)MRS("S3_4_C12_C8_0");
    case 1: return (uint32_t)MRS("S3_4_C12_C8_1");
    case 2: return (uint32_t)MRS("S3_4_C12_C8_2");
    case 3: return (uint32_t)MRS("S3_4_C12_C8_3");
    case 4: return (uint32_t)MRS("S3_4_C12_C9_0");
    case 5: return (uint32_t)MRS("S3_4_C12_C9_1");
    case 6: return (uint32_t)MRS("S3_4_C12_C9_2");
    default: return (uint32_t)MRS("S3_4_C12_C9_3");
    }
}

static void ich_apr_write(unsigned group, unsigned n, uint32_t v)
{
    switch (group * 4 + n) {
    case 0: MSR("S3_4_C12_C8_0", v); break;
    case 1: MSR("S3_4_C12_C8_1", v); break;
    case 2: MSR("S3_4_C12_C8_2", v); break;
    case 3: MSR("S3_4_C12_C8_3", v); break;
    case 4: MSR("S3_4_C12_C9_0", v); break;
    case 5: MSR("S3_4_C12_C9_1", v); break;
    case 6: MSR("S3_4_C12_C9_2", v); break;
    default: MSR("S3_4_C12_C9_3", v); break;
    }
}

const char *ich_lr_state_name(uint64_t lr)
{
    static const char *const names[] = {"invalid", "pending", "active", "pending+active"};
    return names[lr >> 62];
}

/* ---- list register bookkeeping ---- */

static struct vgic_irq *irq_of_lr(struct vgic *vg, unsigned n)
{
    uint32_t vintid = ICH_LR_VINTID(vg->cpu.lr[n]);
    if (vintid >= VGIC_NR_IRQS || vg->irq[vintid].lr != (int)n)
        return 0;
    return &vg->irq[vintid];
}

/* The LR no longer holds its interrupt: zero it, and the interrupt has no LR. */
static void lr_retire(struct vgic *vg, unsigned n)
{
    struct vgic_irq *irq = irq_of_lr(vg, n);
    if (irq)
        irq->lr = -1;
    vg->cpu.lr[n] = 0;
}

/* ICH_ELRSR_EL2's rule (IHI 0069): an LR is empty when its state is invalid and it does not
 * wait for EOI maintenance (HW = 1, or EOI = 0). */
static bool lr_done(uint64_t lr)
{
    return !(lr & ICH_LR_STATE) && ((lr & ICH_LR_HW) || !(lr & ICH_LR_EOI));
}

static int lr_free(const struct vgic *vg)
{
    for (unsigned n = 0; n < vg->nr_lr; n++)
        if (vg->cpu.lr[n] == 0)
            return (int)n;
    return -1;
}

static uint64_t lr_build(const struct vgic *vg, unsigned vintid)
{
    const struct vgic_irq *irq = &vg->irq[vintid];
    uint64_t lr = vintid | ICH_LR_PRIORITY(irq->priority) | ICH_LR_STATE_PENDING;
    if (irq->group1)
        lr |= ICH_LR_GROUP1;
    if (irq->hw)
        lr |= ICH_LR_HW | ICH_LR_PINTID(irq->pintid);
    else if (irq->ack)
        lr |= ICH_LR_EOI;
    return lr;
}

/* The distributor forwards it: enabled, and its group enabled in GICD_CTLR. */
static bool deliverable(const struct vgic *vg, unsigned vintid)
{
    const struct vgic_irq *irq = &vg->irq[vintid];
    uint32_t grp_enable = irq->group1 ? GICD_CTLR_ENABLE_GRP1 : GICD_CTLR_ENABLE_GRP0;
    return irq->enabled && (vg->gicd_ctlr & grp_enable);
}

/* ---- init, save, restore, flush ---- */

static enum hyp_irq_ret maintenance_irq(struct hyp_vcpu *v, unsigned intid)
{
    (void)intid;
    vgic_maintenance(v);
    return HYP_IRQ_DEACTIVATE;
}

void vgic_init(struct hyp_vcpu *v)
{
    struct vgic *vg = &v->vgic;
    uint64_t vtr = MRS(ICH_VTR_EL2);
    *vg = (struct vgic){0};
    vg->nr_lr = ICH_VTR_LISTREGS(vtr);
    if (vg->nr_lr > VGIC_MAX_LRS)
        vg->nr_lr = VGIC_MAX_LRS;
    vg->pre_bits = ICH_VTR_PREBITS(vtr);
    vg->pri_bits = ICH_VTR_PRIBITS(vtr);
    vg->nr_apr = 1u << (vg->pre_bits - 5);
    for (unsigned i = 0; i < VGIC_NR_IRQS; i++)
        vg->irq[i].lr = -1;
    /* The smallest binary points the preemption bits allow (ICV_BPR0/1_EL1 minimum). */
    vg->cpu.vmcr = ICH_VMCR_VBPR0(7 - vg->pre_bits) | ICH_VMCR_VBPR1(8 - vg->pre_bits);
    vg->cpu.hcr = ICH_HCR_EN;
    vg->icpendr_completes = true;
    MSR(ICH_HCR_EL2, 0);
    for (unsigned n = 0; n < vg->nr_lr; n++)
        ich_lr_write(n, 0);
    hyp_irq_register(VGIC_MAINT_INTID, maintenance_irq, false);
}

void vgic_save(struct hyp_vcpu *v)
{
    struct vgic *vg = &v->vgic;
    struct vgic_cpu *c = &vg->cpu;
    /* The status registers describe the live interface: read them before it is disabled. */
    c->misr = (uint32_t)MRS(ICH_MISR_EL2);
    c->eisr = (uint32_t)MRS(ICH_EISR_EL2);
    c->elrsr = (uint32_t)MRS(ICH_ELRSR_EL2);
    /* En = 0: no virtual interrupt and no maintenance interrupt while the host runs. */
    MSR(ICH_HCR_EL2, 0);
    for (unsigned n = 0; n < vg->nr_lr; n++) {
        c->lr[n] = ich_lr_read(n);
        ich_lr_write(n, 0);
    }
    c->vmcr = MRS(ICH_VMCR_EL2);
    for (unsigned n = 0; n < vg->nr_apr; n++) {
        c->ap0r[n] = ich_apr_read(0, n);
        c->ap1r[n] = ich_apr_read(1, n);
    }
    for (unsigned n = 0; n < vg->nr_lr; n++)
        if (c->lr[n] && lr_done(c->lr[n]))
            lr_retire(vg, n);
}

void vgic_restore(struct hyp_vcpu *v)
{
    struct vgic *vg = &v->vgic;
    struct vgic_cpu *c = &vg->cpu;
    MSR(ICH_VMCR_EL2, c->vmcr);
    for (unsigned n = 0; n < vg->nr_apr; n++) {
        ich_apr_write(0, n, c->ap0r[n]);
        ich_apr_write(1, n, c->ap1r[n]);
    }
    for (unsigned n = 0; n < vg->nr_lr; n++)
        ich_lr_write(n, c->lr[n]);
    MSR(ICH_HCR_EL2, c->hcr);
}

void vgic_flush(struct hyp_vcpu *v)
{
    struct vgic *vg = &v->vgic;
    bool waiting = false;
    for (unsigned vintid = 0; vintid < VGIC_NR_IRQS; vintid++) {
        struct vgic_irq *irq = &vg->irq[vintid];
        if (!irq->pending || !deliverable(vg, vintid))
            continue;
        if (irq->lr >= 0) {
            /* Still in an LR: pending again there (active -> active and pending). An LR
             * that waits for its EOI maintenance is left alone until the handler frees it. */
            uint64_t *lr = &vg->cpu.lr[irq->lr];
            if (*lr & ICH_LR_STATE) {
                *lr |= ICH_LR_STATE_PENDING;
                irq->pending = false;
            }
            continue;
        }
        int n = lr_free(vg);
        if (n < 0) {
            waiting = true;
            continue;
        }
        vg->cpu.lr[n] = lr_build(vg, vintid);
        irq->lr = (int8_t)n;
        irq->pending = false;
        LOG(vg, "hyp: LR%d <- 0x%016lx: vINTID %u pending, priority 0x%x%s\n", n,
            (unsigned long)vg->cpu.lr[n], vintid, irq->priority,
            irq->hw    ? ", HW (pINTID in [44:32])"
            : irq->ack ? ", EOI maintenance"
                       : "");
    }
    /* More pending than LRs: the underflow maintenance interrupt says when LRs free up. */
    vg->cpu.hcr = ICH_HCR_EN | (waiting ? ICH_HCR_UIE : 0);
}

void vgic_inject(struct hyp_vcpu *v, unsigned vintid, vgic_ack_fn ack)
{
    struct vgic_irq *irq = &v->vgic.irq[vintid];
    irq->pending = true;
    irq->hw = false;
    irq->ack = ack;
}

void vgic_inject_hw(struct hyp_vcpu *v, unsigned vintid, unsigned pintid)
{
    struct vgic_irq *irq = &v->vgic.irq[vintid];
    irq->pending = true;
    irq->hw = true;
    irq->pintid = (uint16_t)pintid;
    irq->ack = 0;
}

/* ---- the maintenance interrupt ---- */

void vgic_maintenance(struct hyp_vcpu *v)
{
    struct vgic *vg = &v->vgic;
    struct vgic_cpu *c = &vg->cpu;
    if (!c->misr) {
        vg->stats.maint_spurious++;
        return;
    }
    vg->stats.maintenance++;
    LOG(vg,
        "hyp: maintenance interrupt: ICH_MISR_EL2 0x%x%s%s, ICH_EISR_EL2 0x%x, ICH_ELRSR_EL2 "
        "0x%x\n",
        c->misr, c->misr & ICH_MISR_EOI ? " (EOI)" : "", c->misr & ICH_MISR_U ? " (U)" : "",
        c->eisr, c->elrsr);
    for (unsigned n = 0; n < vg->nr_lr; n++) {
        if (!(c->eisr & (1u << n)))
            continue;
        uint64_t lr = c->lr[n];
        unsigned vintid = ICH_LR_VINTID(lr);
        struct vgic_irq *irq = irq_of_lr(vg, n);
        LOG(vg, "hyp:   LR%u 0x%016lx: vINTID %u deactivated by the guest, LR%u freed\n", n,
            (unsigned long)lr, vintid, n);
        lr_retire(vg, n);
        vg->stats.eoi_completions++;
        if (irq && irq->ack)
            irq->ack(v, vintid);
    }
    if (c->misr & ICH_MISR_U)
        LOG(vg, "hyp:   underflow: list registers free again, the next entry refills them\n");
    c->misr = 0;
    c->eisr = 0;
}

/* ---- the emulated distributor and redistributor ---- */

static uint64_t group_read(struct hyp_vcpu *v, unsigned intid, unsigned n)
{
    uint64_t bits = 0;
    for (unsigned i = 0; i < n; i++)
        bits |= (uint64_t)v->vgic.irq[intid + i].group1 << i;
    return bits;
}

static void group_write(struct hyp_vcpu *v, unsigned intid, unsigned n, uint64_t val)
{
    for (unsigned i = 0; i < n; i++)
        v->vgic.irq[intid + i].group1 = (val >> i) & 1;
}

static uint64_t enable_read(struct hyp_vcpu *v, unsigned intid, unsigned n)
{
    uint64_t bits = 0;
    for (unsigned i = 0; i < n; i++)
        bits |= (uint64_t)v->vgic.irq[intid + i].enabled << i;
    return bits;
}

static void enable_set(struct hyp_vcpu *v, unsigned intid, unsigned n, uint64_t val)
{
    for (unsigned i = 0; i < n; i++)
        if ((val >> i) & 1)
            v->vgic.irq[intid + i].enabled = true;
}

static void enable_clear(struct hyp_vcpu *v, unsigned intid, unsigned n, uint64_t val)
{
    for (unsigned i = 0; i < n; i++)
        if ((val >> i) & 1)
            v->vgic.irq[intid + i].enabled = false;
}

static bool irq_pending(const struct vgic *vg, unsigned intid)
{
    const struct vgic_irq *irq = &vg->irq[intid];
    return irq->pending || (irq->lr >= 0 && (vg->cpu.lr[irq->lr] & ICH_LR_STATE_PENDING));
}

static uint64_t pending_read(struct hyp_vcpu *v, unsigned intid, unsigned n)
{
    uint64_t bits = 0;
    for (unsigned i = 0; i < n; i++)
        bits |= (uint64_t)irq_pending(&v->vgic, intid + i) << i;
    return bits;
}

static void pending_set(struct hyp_vcpu *v, unsigned intid, unsigned n, uint64_t val)
{
    for (unsigned i = 0; i < n; i++)
        if ((val >> i) & 1)
            v->vgic.irq[intid + i].pending = true;
}

/* GICD_ICPENDR / GICR_ICPENDR0 for one interrupt (the race of seed thread 002). */
static void pending_clear_one(struct hyp_vcpu *v, unsigned intid)
{
    struct vgic *vg = &v->vgic;
    struct vgic_irq *irq = &vg->irq[intid];
    bool was_pending = irq->pending;
    irq->pending = false;
    if (irq->lr >= 0 && (vg->cpu.lr[irq->lr] & ICH_LR_STATE_PENDING)) {
        unsigned n = (unsigned)irq->lr;
        uint64_t lr = vg->cpu.lr[n];
        was_pending = true;
        vg->cpu.lr[n] = lr & ~ICH_LR_STATE_PENDING;
        if (!(vg->cpu.lr[n] & ICH_LR_STATE)) {
            /* Neither pending nor active: the LR has nothing left to hold. */
            LOG(vg, "hyp: guest cleared pending vINTID %u: LR%u 0x%016lx (%s%s) retired\n", intid,
                n, (unsigned long)lr, ich_lr_state_name(lr),
                lr & ICH_LR_EOI ? ", EOI maintenance" : "");
            lr_retire(vg, n);
            vg->stats.retired++;
        }
    }
    if (!was_pending || !irq->ack)
        return;
    if (!vg->icpendr_completes) {
        LOG(vg, "hyp:   no EOI maintenance will come for it, and its ack notifier is not called\n");
        return;
    }
    LOG(vg, "hyp:   the clear completes it: ack notifier called\n");
    irq->ack(v, intid);
}

static void pending_clear(struct hyp_vcpu *v, unsigned intid, unsigned n, uint64_t val)
{
    for (unsigned i = 0; i < n; i++)
        if ((val >> i) & 1)
            pending_clear_one(v, intid + i);
}

static uint64_t active_read(struct hyp_vcpu *v, unsigned intid, unsigned n)
{
    uint64_t bits = 0;
    for (unsigned i = 0; i < n; i++) {
        const struct vgic_irq *irq = &v->vgic.irq[intid + i];
        bool active = irq->lr >= 0 && (v->vgic.cpu.lr[irq->lr] & ICH_LR_STATE_ACTIVE);
        bits |= (uint64_t)active << i;
    }
    return bits;
}

static void active_write(struct hyp_vcpu *v, unsigned intid, unsigned n, uint64_t val)
{
    (void)n;
    if (val)
        LOG(&v->vgic, "hyp: vGIC: active state writes (INTID %u..) not emulated\n", intid);
}

static uint64_t priority_read(struct hyp_vcpu *v, unsigned intid, unsigned n)
{
    uint64_t bytes = 0;
    for (unsigned i = 0; i < n; i++)
        bytes |= (uint64_t)v->vgic.irq[intid + i].priority << (8 * i);
    return bytes;
}

static void priority_write(struct hyp_vcpu *v, unsigned intid, unsigned n, uint64_t val)
{
    /* Unimplemented low-order priority bits read as zero, as in the LRs. */
    uint8_t mask = (uint8_t)(0xff << (8 - v->vgic.pri_bits));
    for (unsigned i = 0; i < n; i++)
        v->vgic.irq[intid + i].priority = (uint8_t)(val >> (8 * i)) & mask;
}

static uint64_t config_read(struct hyp_vcpu *v, unsigned intid, unsigned n)
{
    uint64_t fields = 0;
    for (unsigned i = 0; i < n; i++)
        fields |= (uint64_t)(v->vgic.irq[intid + i].edge ? 2 : 0) << (2 * i);
    return fields;
}

static void config_write(struct hyp_vcpu *v, unsigned intid, unsigned n, uint64_t val)
{
    for (unsigned i = 0; i < n; i++)
        if (intid + i >= 16) /* SGIs are always edge-triggered */
            v->vgic.irq[intid + i].edge = (val >> (2 * i + 1)) & 1;
}

static uint64_t raz(struct hyp_vcpu *v, unsigned intid, unsigned n)
{
    (void)v, (void)intid, (void)n;
    return 0;
}

static void wi(struct hyp_vcpu *v, unsigned intid, unsigned n, uint64_t val)
{
    (void)v, (void)intid, (void)n, (void)val;
}

static uint64_t gicd_ctlr_read(struct hyp_vcpu *v, unsigned intid, unsigned n)
{
    (void)intid, (void)n;
    return v->vgic.gicd_ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
}

static void gicd_ctlr_write(struct hyp_vcpu *v, unsigned intid, unsigned n, uint64_t val)
{
    (void)intid, (void)n;
    v->vgic.gicd_ctlr = (uint32_t)val & (GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
}

/* GICD_TYPER: ITLinesNumber 1 (INTIDs up to 63), IDbits 15 (16-bit INTIDs). */
static uint64_t gicd_typer_read(struct hyp_vcpu *v, unsigned intid, unsigned n)
{
    (void)v, (void)intid, (void)n;
    return (VGIC_NR_IRQS / 32 - 1) | 15u << 19;
}

/* GICR_TYPER: Last (this is the only redistributor), affinity 0.0.0.0, processor 0. */
static uint64_t gicr_typer_read(struct hyp_vcpu *v, unsigned intid, unsigned n)
{
    (void)v, (void)intid, (void)n;
    return 1u << 4;
}

/* GICD_PIDR2 / GICR_PIDR2: ArchRev 3, GICv3. */
static uint64_t pidr2_read(struct hyp_vcpu *v, unsigned intid, unsigned n)
{
    (void)v, (void)intid, (void)n;
    return 0x30;
}

/* One register or one array of per-interrupt fields. */
struct vgic_region {
    uint32_t offset, len; /* bytes */
    unsigned bits;        /* bits per interrupt (1, 2, 8, 64); 0: a single register */
    uint64_t (*read)(struct hyp_vcpu *v, unsigned intid, unsigned n);
    void (*write)(struct hyp_vcpu *v, unsigned intid, unsigned n, uint64_t val);
};

// clang-format off
#define PER_IRQ(off, bits, nirqs, rd, wr) {(off), (nirqs) * (bits) / 8, (bits), (rd), (wr)}
// clang-format on

static const struct vgic_region gicd_regions[] = {
    {GICD_CTLR, 4, 0, gicd_ctlr_read, gicd_ctlr_write},
    {GICD_TYPER, 4, 0, gicd_typer_read, wi},
    {GICD_IIDR, 4, 0, raz, wi},
    PER_IRQ(GICD_IGROUPR, 1, VGIC_NR_IRQS, group_read, group_write),
    PER_IRQ(GICD_ISENABLER, 1, VGIC_NR_IRQS, enable_read, enable_set),
    PER_IRQ(GICD_ICENABLER, 1, VGIC_NR_IRQS, enable_read, enable_clear),
    PER_IRQ(GICD_ISPENDR, 1, VGIC_NR_IRQS, pending_read, pending_set),
    PER_IRQ(GICD_ICPENDR, 1, VGIC_NR_IRQS, pending_read, pending_clear),
    PER_IRQ(GICD_ISACTIVER, 1, VGIC_NR_IRQS, active_read, active_write),
    PER_IRQ(GICD_ICACTIVER, 1, VGIC_NR_IRQS, active_read, active_write),
    PER_IRQ(GICD_IPRIORITYR, 8, VGIC_NR_IRQS, priority_read, priority_write),
    PER_IRQ(GICD_ICFGR, 2, VGIC_NR_IRQS, config_read, config_write),
    PER_IRQ(GICD_IROUTER, 64, VGIC_NR_IRQS, raz, wi),
    {GICD_PIDR2, 4, 0, pidr2_read, wi},
};

/* The redistributor's two 64 KiB frames, RD_base then SGI_base, as one 128 KiB page. */
#define SGI_BASE 0x10000u
static const struct vgic_region gicr_regions[] = {
    {GICR_CTLR, 4, 0, raz, wi},
    {GICR_TYPER, 8, 0, gicr_typer_read, wi},
    {GICR_WAKER, 4, 0, raz, wi}, /* always awake: ProcessorSleep and ChildrenAsleep read 0 */
    {GICD_PIDR2, 4, 0, pidr2_read, wi},
    PER_IRQ(SGI_BASE + GICR_IGROUPR0, 1, 32, group_read, group_write),
    PER_IRQ(SGI_BASE + GICR_ISENABLER0, 1, 32, enable_read, enable_set),
    PER_IRQ(SGI_BASE + GICR_ICENABLER0, 1, 32, enable_read, enable_clear),
    PER_IRQ(SGI_BASE + GICR_ISPENDR0, 1, 32, pending_read, pending_set),
    PER_IRQ(SGI_BASE + GICR_ICPENDR0, 1, 32, pending_read, pending_clear),
    PER_IRQ(SGI_BASE + GICR_ISACTIVER0, 1, 32, active_read, active_write),
    PER_IRQ(SGI_BASE + GICR_ICACTIVER0, 1, 32, active_read, active_write),
    PER_IRQ(SGI_BASE + GICR_IPRIORITYR, 8, 32, priority_read, priority_write),
    PER_IRQ(SGI_BASE + GICR_ICFGR0, 2, 32, config_read, config_write),
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const struct vgic_region *region_find(const struct vgic_region *r, unsigned count,
                                             uint32_t off)
{
    for (unsigned i = 0; i < count; i++)
        if (off >= r[i].offset && off < r[i].offset + r[i].len)
            return &r[i];
    return 0;
}

/* One access to a frame: RAZ/WI (and a log line) where the frame has no register. */
static void frame_access(struct hyp_vcpu *v, const char *frame, const struct vgic_region *r,
                         uint32_t off, bool write, unsigned size, uint64_t *val, bool is_gicd)
{
    if (!r) {
        LOG(&v->vgic, "hyp: vGIC: %s+0x%x %s not emulated (RAZ/WI)\n", frame, off,
            write ? "write" : "read");
        if (!write)
            *val = 0;
        return;
    }
    unsigned intid = 0, n = 0;
    if (r->bits) {
        intid = (off - r->offset) * 8 / r->bits;
        n = size * 8 / r->bits;
        if (n == 0 || intid + n > VGIC_NR_IRQS || (is_gicd && intid < 32)) {
            /* Sub-field accesses, and GICD's view of INTIDs 0-31 with ARE = 1: RAZ/WI. */
            if (!write)
                *val = 0;
            return;
        }
    }
    if (write)
        r->write(v, intid, n, *val);
    else
        *val = r->read(v, intid, n);
}

bool vgic_mmio(struct hyp_vcpu *v, uint64_t ipa, bool write, unsigned size, uint64_t *val)
{
    if (ipa >= GICD && ipa < GICD + 0x10000) {
        uint32_t off = (uint32_t)(ipa - GICD);
        v->vgic.stats.mmio++;
        frame_access(v, "GICD", region_find(gicd_regions, ARRAY_LEN(gicd_regions), off), off, write,
                     size, val, true);
        return true;
    }
    if (ipa >= GICR_RD(0) && ipa < GICR_RD(0) + GICR_STRIDE) {
        uint32_t off = (uint32_t)(ipa - GICR_RD(0));
        v->vgic.stats.mmio++;
        frame_access(v, "GICR", region_find(gicr_regions, ARRAY_LEN(gicr_regions), off), off, write,
                     size, val, false);
        return true;
    }
    return false;
}
