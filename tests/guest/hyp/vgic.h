/*
 * The reference hypervisor's virtual GIC (hyp.h explains the whole design).
 *
 * Three parts, each named as the GIC specification (IHI 0069) names things:
 *
 *  - the virtual CPU interface seen from EL2: the ICH_*_EL2 registers by
 *    encoding, and the list register (LR) fields;
 *  - the vCPU's saved interface (struct vgic_cpu): the list registers,
 *    ICH_VMCR_EL2, the active priority registers and ICH_HCR_EL2, saved on
 *    every exit and restored on every entry, as KVM's
 *    __vgic_v3_save_state()/__vgic_v3_restore_state() do. While the guest
 *    is out, the saved copy is the truth: every change the hypervisor makes
 *    (injection, retiring an LR, the guest's trapped distributor accesses)
 *    is made to it, and the next entry writes it back;
 *  - the emulated distributor and redistributor (struct vgic_irq per
 *    vINTID): the guest's GICD and GICR pages are not mapped at stage 2,
 *    so each access is a stage 2 data abort that hyp.c decodes and hands to
 *    vgic_mmio().
 *
 * An interrupt is either pending in software (vgic_irq.pending, not yet in
 * an LR) or owned by one LR (vgic_irq.lr), never both: vgic_flush() moves
 * pending interrupts into free LRs before each entry; the exit path frees
 * the LRs the guest has finished with. An LR whose interrupt asked for EOI
 * maintenance (ICH_LR<n>_EL2.EOI, HW = 0) is not free when the guest
 * deactivates it: the hardware reports it in ICH_EISR_EL2 and raises the
 * maintenance interrupt, and only vgic_maintenance() frees it, after it has
 * called the interrupt's ack notifier.
 */
#ifndef HYP_VGIC_H
#define HYP_VGIC_H

#include <stdbool.h>
#include <stdint.h>

/* The virtual interface control registers (IHI 0069, the ICH_* register descriptions). */
#define ICH_HCR_EL2   "S3_4_C12_C11_0"
#define ICH_VTR_EL2   "S3_4_C12_C11_1"
#define ICH_MISR_EL2  "S3_4_C12_C11_2"
#define ICH_EISR_EL2  "S3_4_C12_C11_3"
#define ICH_ELRSR_EL2 "S3_4_C12_C11_5"
#define ICH_VMCR_EL2  "S3_4_C12_C11_7"
#define ICC_SRE_EL2   "S3_4_C12_C9_5"

/* ICH_HCR_EL2 fields. */
#define ICH_HCR_EN  (1ull << 0)
#define ICH_HCR_UIE (1ull << 1) /* maintenance interrupt when at most one LR is valid */

/* ICH_VTR_EL2 fields. */
#define ICH_VTR_LISTREGS(v) ((unsigned)((v)&0x1f) + 1)
#define ICH_VTR_PREBITS(v)  ((unsigned)(((v) >> 26) & 7) + 1)
#define ICH_VTR_PRIBITS(v)  ((unsigned)(((v) >> 29) & 7) + 1)

/* ICH_VMCR_EL2 fields. */
#define ICH_VMCR_VENG0    (1ull << 0)
#define ICH_VMCR_VENG1    (1ull << 1)
#define ICH_VMCR_VEOIM    (1ull << 9)
#define ICH_VMCR_VBPR1(b) ((uint64_t)(b) << 18)
#define ICH_VMCR_VBPR0(b) ((uint64_t)(b) << 21)
#define ICH_VMCR_VPMR(v)  (((v) >> 24) & 0xff)

/* ICH_MISR_EL2 fields. */
#define ICH_MISR_EOI (1u << 0)
#define ICH_MISR_U   (1u << 1)
#define ICH_MISR_NP  (1u << 3)

/* ICH_LR<n>_EL2 fields. */
#define ICH_LR_VINTID(lr)    ((uint32_t)(lr))
#define ICH_LR_PINTID(p)     ((uint64_t)(p) << 32) /* HW = 1 */
#define ICH_LR_EOI           (1ull << 41)          /* HW = 0: EOI maintenance */
#define ICH_LR_PRIORITY(p)   ((uint64_t)(p) << 48)
#define ICH_LR_GROUP1        (1ull << 60)
#define ICH_LR_HW            (1ull << 61)
#define ICH_LR_STATE_PENDING (1ull << 62)
#define ICH_LR_STATE_ACTIVE  (1ull << 63)
#define ICH_LR_STATE         (3ull << 62)

/* The maintenance interrupt on QEMU's virt board: PPI 9. */
#define VGIC_MAINT_INTID 25u

#define VGIC_NR_IRQS 64u /* vINTIDs 0-31 (SGIs, PPIs) and SPIs 32-63 */
#define VGIC_MAX_LRS 16u

struct hyp_vcpu;

/* Called when the guest has finished with an interrupt injected with an ack notifier. */
typedef void (*vgic_ack_fn)(struct hyp_vcpu *v, unsigned vintid);

/* The distributor's view of one vINTID. */
struct vgic_irq {
    uint8_t priority; /* as the guest wrote GICD/GICR_IPRIORITYR */
    bool group1;
    bool enabled;
    bool edge;    /* GICD/GICR_ICFGR Int_config[1] */
    bool pending; /* pending in software: not in an LR yet */
    int8_t lr;    /* the LR that holds it, or -1 */
    bool hw;      /* hardware-mapped: the LR names pintid, HW = 1 */
    uint16_t pintid;
    vgic_ack_fn ack; /* non-NULL: every LR for it asks for EOI maintenance */
};

/* The vCPU's saved virtual CPU interface. */
struct vgic_cpu {
    uint64_t hcr;  /* ICH_HCR_EL2 to enter with */
    uint64_t vmcr; /* ICH_VMCR_EL2 */
    uint64_t lr[VGIC_MAX_LRS];
    uint32_t ap0r[4], ap1r[4];
    /* Read at the last exit, while the interface was still enabled. */
    uint32_t misr, eisr, elrsr;
};

struct vgic_stats {
    unsigned maintenance;     /* maintenance interrupts with something to do */
    unsigned maint_spurious;  /* ... with nothing to do (ICH_MISR_EL2 was 0 at the exit) */
    unsigned eoi_completions; /* LRs reported in ICH_EISR_EL2 */
    unsigned retired;         /* LRs retired because the guest cleared their pending state */
    unsigned mmio;            /* trapped distributor/redistributor accesses */
};

struct vgic {
    unsigned nr_lr, nr_apr, pri_bits, pre_bits;
    uint32_t gicd_ctlr;
    struct vgic_irq irq[VGIC_NR_IRQS];
    struct vgic_cpu cpu;
    struct vgic_stats stats;
    bool log; /* print what the vGIC does, one "hyp: " line per event */
    /* The fix of seed thread 002: the guest clearing the pending state of an interrupt that
     * has an ack notifier (GICD_ICPENDR) completes it, and the notifier is called. Set by
     * vgic_init(); the broken scenario clears it. */
    bool icpendr_completes;
};

/* Read ICH_VTR_EL2 and reset the vGIC: no LR in use, every vINTID disabled at priority 0. */
void vgic_init(struct hyp_vcpu *v);

/* Exit half of the world switch: snapshot ICH_MISR/EISR/ELRSR_EL2, disable the interface,
 * save and clear the LRs, save ICH_VMCR_EL2 and the APRs, free the LRs that are done. */
void vgic_save(struct hyp_vcpu *v);

/* Entry half: write the saved interface back, ICH_HCR_EL2 last. */
void vgic_restore(struct hyp_vcpu *v);

/* Before an entry: move software-pending interrupts into free LRs (KVM's flush_hwstate);
 * with more pending than LRs, ask for the underflow maintenance interrupt. */
void vgic_flush(struct hyp_vcpu *v);

/* Make vINTID pending in software (a level or an edge, the caller knows which). With ACK,
 * its LR asks for EOI maintenance and ACK is called when the guest deactivates it. */
void vgic_inject(struct hyp_vcpu *v, unsigned vintid, vgic_ack_fn ack);

/* Make vINTID pending as a hardware interrupt: its LR has HW = 1 and names PINTID, so the
 * guest's deactivation deactivates the physical interrupt. */
void vgic_inject_hw(struct hyp_vcpu *v, unsigned vintid, unsigned pintid);

/* The maintenance interrupt's handler: works from the snapshot of the last exit. */
void vgic_maintenance(struct hyp_vcpu *v);

/* A trapped access to the guest's GICD or GICR pages. Returns false if IPA is not in them. */
bool vgic_mmio(struct hyp_vcpu *v, uint64_t ipa, bool write, unsigned size, uint64_t *val);

/* ICH_LR<n>_EL2 of the live interface (n below ICH_VTR_EL2.ListRegs + 1). */
uint64_t ich_lr_read(unsigned n);
void ich_lr_write(unsigned n, uint64_t v);

/* The LR's state as text: "invalid", "pending", "active" or "pending+active". */
const char *ich_lr_state_name(uint64_t lr);

#endif
