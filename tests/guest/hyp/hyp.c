/*
 * The reference hypervisor's EL2 side: the world switch, stage 2, the exit
 * handlers and the host's use of the physical GIC (design: hyp.h).
 */
#include "hyp.h"

#include "gic_common.h"
#include "mmu.h"

#define HCR_VM  (1ull << 0)
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_RW  (1ull << 31)
#define HCR_RUN (HCR_VM | HCR_IMO | HCR_FMO | HCR_RW)

/* VTCR_EL2: T0SZ 32 (4 GiB of IPA), SL0 1 (start at level 1), inner/outer Write-Back,
 * Inner Shareable, 4K granule, PS 40 bits, bit 31 RES1. */
#define VTCR_VALUE                                                                                 \
    (32ull | 1ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 2ull << 16 | 1ull << 31)
#define VMID 1ull

#define S2_RAM (S2_MEMATTR(0xf) | S2AP_R | S2AP_W | PTE_SH_INNER | PTE_AF)
#define S2_DEV (S2_MEMATTR(0x0) | S2AP_R | S2AP_W | PTE_AF | S2_XN)

#define SCTLR_EL1_MMU_OFF 0x30d00818ull /* RES1 bits, SA, SA0: stage 1 off */
#define SPSR_EL1H_MASKED  0x3c5ull      /* EL1h, DAIF set */
#define SPSR_EL2H_MASKED  0x3c9ull      /* EL2h, DAIF set */
#define CNTHCTL_EL1PCTEN  (1ull << 0)
#define CNTHCTL_EL1PCEN   (1ull << 1)

#define EC_HVC64    0x16
#define EC_DABT_LOW 0x24
#define ESR_ISV     (1ull << 24)

#define HOST_PRIO 0x80 /* every physical interrupt the host handles */
#define HOST_PMR  0xf0

struct hyp_vcpu *hyp_current;

static hyp_irq_fn irq_handlers[VGIC_NR_IRQS];

static uint8_t s2_pool[16 * 4096] __attribute__((aligned(4096)));
static struct pt s2;

/* ---- the world switch ---- */

/* Entered at EL2 by lower_call() with X0 = the guest's exc_frame: ELR_EL2 and SPSR_EL2 from
 * it, then X0-X30, then ERET into the guest. Nothing is pushed, so SP_EL2 stays where
 * lower_call() left it and lower_return() at the exit resumes it. */
__asm__(".text\n"
        ".balign 4\n"
        ".type hyp_eret_to_guest, %function\n"
        "hyp_eret_to_guest:\n"
        "    ldp  x1, x2, [x0, #248]\n"
        "    msr  elr_el2, x1\n"
        "    msr  spsr_el2, x2\n"
        "    ldp  x2, x3, [x0, #16]\n"
        "    ldp  x4, x5, [x0, #32]\n"
        "    ldp  x6, x7, [x0, #48]\n"
        "    ldp  x8, x9, [x0, #64]\n"
        "    ldp  x10, x11, [x0, #80]\n"
        "    ldp  x12, x13, [x0, #96]\n"
        "    ldp  x14, x15, [x0, #112]\n"
        "    ldp  x16, x17, [x0, #128]\n"
        "    ldp  x18, x19, [x0, #144]\n"
        "    ldp  x20, x21, [x0, #160]\n"
        "    ldp  x22, x23, [x0, #176]\n"
        "    ldp  x24, x25, [x0, #192]\n"
        "    ldp  x26, x27, [x0, #208]\n"
        "    ldp  x28, x29, [x0, #224]\n"
        "    ldr  x30, [x0, #240]\n"
        "    ldp  x0, x1, [x0, #0]\n"
        "    eret\n"
        ".size hyp_eret_to_guest, . - hyp_eret_to_guest\n");
void hyp_eret_to_guest(uint64_t ctx);

_Static_assert(__builtin_offsetof(struct exc_frame, elr) == 248, "exc_frame layout");
_Static_assert(__builtin_offsetof(struct exc_frame, spsr) == 256, "exc_frame layout");

void hyp_vcpu_enter(struct hyp_vcpu *v)
{
    hyp_current = v;
    vgic_restore(v);
    lower_call(hyp_eret_to_guest, (uint64_t)(uintptr_t)&v->ctx, SPSR_EL2H_MASKED);
}

/* The exit half, in the EL2 vector of an exception from the guest. */
static void guest_exit_vector(struct exc_frame *f)
{
    struct hyp_vcpu *v = hyp_current;
    v->exit = (struct hyp_exit){
        .type = (enum hyp_exit_type)(f->vector & 0x180),
        .esr = f->esr,
        .far = f->far,
        .hpfar = MRS("hpfar_el2"),
        .intid = INTID_SPURIOUS,
    };
    /* Acknowledge now: the maintenance interrupt is a level that the vGIC drives only while
     * ICH_HCR_EL2.En is set, and vgic_save() is about to clear it. */
    if (v->exit.type == HYP_EXIT_IRQ)
        v->exit.intid = (uint32_t)MRS(ICC_IAR1_EL1) & 0xffffff;
    for (unsigned i = 0; i < 31; i++)
        v->ctx.x[i] = f->x[i];
    v->ctx.elr = f->elr;
    v->ctx.spsr = f->spsr;
    vgic_save(v);
    lower_return(f, v->exit.type);
}

static void physical_irq(struct hyp_vcpu *v, unsigned intid);

static void hyp_vector(struct exc_frame *f)
{
    unsigned origin = (unsigned)f->vector & 0x600, type = (unsigned)f->vector & 0x180;
    if (origin == VEC_LOWER_A64) {
        guest_exit_vector(f);
        return;
    }
    if (origin == VEC_CUR_SPX && type == VEC_IRQ) {
        /* The host runs with interrupts unmasked (the pseudo-NMI scenarios): take it here. */
        physical_irq(hyp_current, (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff);
        return;
    }
    printf("hyp: unexpected exception at EL2: vector 0x%x, ESR_EL2 0x%08lx, ELR_EL2 0x%lx\n",
           (unsigned)f->vector, (unsigned long)f->esr, (unsigned long)f->elr);
    guest_exit(1);
}

/* ---- the physical GIC, as the host uses it ---- */

/* The register holding INTID's bit: the redistributor's for 0-31, the distributor's above. */
static uintptr_t bit_reg(unsigned intid, uint32_t gicd_off, uint32_t gicr_off)
{
    if (intid < 32)
        return GICR_SGI(0) + gicr_off;
    return GICD + gicd_off + 4 * (intid / 32);
}

static bool bit_read(unsigned intid, uint32_t gicd_off, uint32_t gicr_off)
{
    return (rd32(bit_reg(intid, gicd_off, gicr_off)) >> (intid % 32)) & 1;
}

bool hyp_irq_pending(unsigned intid)
{
    return bit_read(intid, GICD_ISPENDR, GICR_ISPENDR0);
}

bool hyp_irq_enabled(unsigned intid)
{
    return bit_read(intid, GICD_ISENABLER, GICR_ISENABLER0);
}

bool hyp_irq_active(unsigned intid)
{
    return bit_read(intid, GICD_ISACTIVER, GICR_ISACTIVER0);
}

void hyp_irq_unmask(unsigned intid)
{
    wr32(bit_reg(intid, GICD_ISENABLER, GICR_ISENABLER0), 1u << (intid % 32));
}

void hyp_irq_mask(unsigned intid)
{
    wr32(bit_reg(intid, GICD_ICENABLER, GICR_ICENABLER0), 1u << (intid % 32));
}

void hyp_irq_register(unsigned intid, hyp_irq_fn fn, bool edge)
{
    irq_handlers[intid] = fn;
    uintptr_t group = bit_reg(intid, GICD_IGROUPR, GICR_IGROUPR0);
    wr32(group, rd32(group) | 1u << (intid % 32));
    wr8(intid < 32 ? GICR_SGI(0) + GICR_IPRIORITYR + intid : GICD + GICD_IPRIORITYR + intid,
        HOST_PRIO);
    if (intid >= 16) {
        uintptr_t cfg =
            intid < 32 ? GICR_SGI(0) + GICR_ICFGR1 : GICD + GICD_ICFGR + 4 * (intid / 16);
        unsigned shift = 2 * (intid % 16) + 1;
        wr32(cfg, (rd32(cfg) & ~(1u << shift)) | (uint32_t)edge << shift);
    }
    if (intid >= 32)
        mmio_write(GICD + GICD_IROUTER + 8 * intid, 8, 0); /* PE 0.0.0.0 */
    hyp_irq_unmask(intid);
}

/* Group 1 with affinity routing, PE 0 awake, EOImode 1 at EL2 (as Linux at EL2 has it), and
 * ICC_SRE_EL2.Enable so that EL1 may use its system register interface. */
static void gic_host_init(void)
{
    MSR(ICC_SRE_EL2, 0xf);
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    gicr_wake(0);
    MSR(ICC_PMR_EL1, HOST_PMR);
    MSR(ICC_BPR1_EL1, 0);
    MSR(ICC_CTLR_EL1, ICC_CTLR_EOIMODE);
    MSR(ICC_IGRPEN1_EL1, 1);
}

/* Run INTID's handler, then end it: priority drop, and deactivation unless the handler
 * handed the active state to a hardware-mapped LR. */
static void physical_irq(struct hyp_vcpu *v, unsigned intid)
{
    if (intid >= 1020) {
        v->stats.spurious++;
        return;
    }
    enum hyp_irq_ret ret = HYP_IRQ_DEACTIVATE;
    if (intid < VGIC_NR_IRQS && irq_handlers[intid])
        ret = irq_handlers[intid](v, intid);
    else
        printf("hyp: physical INTID %u has no handler\n", intid);
    MSR(ICC_EOIR1_EL1, intid);
    if (ret == HYP_IRQ_DEACTIVATE)
        MSR(ICC_DIR_EL1, intid);
}

/* ---- stage 2 ---- */

static void stage2_init(void)
{
    bool ok = pt_init(&s2, 4096, 32, (uint64_t)(uintptr_t)s2_pool, sizeof(s2_pool));
    ok = ok && pt_map(&s2, HYP_RAM_BASE, HYP_RAM_BASE, HYP_RAM_SIZE, S2_RAM, false);
    ok = ok && pt_map(&s2, HYP_UART_BASE, HYP_UART_BASE, 4096, S2_DEV, true);
    if (!ok) {
        printf("hyp: the stage 2 pool is too small\n");
        guest_exit(1);
    }
    MSR("vtcr_el2", VTCR_VALUE);
    MSR("vttbr_el2", s2.root | VMID << 48);
    __asm__ volatile("dsb ish\n\ttlbi vmalls12e1is\n\tdsb ish\n\tisb" ::: "memory");
}

/* ---- exits ---- */

/* The IPA of a stage 2 fault: HPFAR_EL2.FIPA (bits 39:4) is IPA[47:12], FAR_EL2 the rest. */
static uint64_t fault_ipa(const struct hyp_exit *e)
{
    return ((e->hpfar >> 4) & 0xfffffffffull) << 12 | (e->far & 0xfff);
}

/* A load's value as the register gets it: sign-extended (SSE) to 64 or 32 bits (SF). */
static uint64_t load_extend(uint64_t v, unsigned size, bool sse, bool sf)
{
    unsigned bits = 8 * size;
    if (sse && bits < 64 && (v >> (bits - 1)) & 1)
        v |= ~0ull << bits;
    return sf ? v : v & 0xffffffffull;
}

/* A stage 2 data abort on an MMIO hole: emulate the access from the syndrome (Arm ARM, ESR_EL2
 * ISS for data aborts) and step over the instruction. */
static void mmio_exit(struct hyp_vcpu *v)
{
    uint64_t esr = v->exit.esr, ipa = fault_ipa(&v->exit);
    if (!(esr & ESR_ISV)) {
        printf("hyp: guest access to IPA 0x%lx without a syndrome (ESR_EL2 0x%08lx)\n",
               (unsigned long)ipa, (unsigned long)esr);
        guest_exit(1);
    }
    unsigned size = 1u << ((esr >> 22) & 3), srt = (esr >> 16) & 31;
    bool sse = (esr >> 21) & 1, sf = (esr >> 15) & 1, wnr = (esr >> 6) & 1;
    uint64_t val = 0;
    if (wnr && srt != 31)
        val = size == 8 ? v->ctx.x[srt] : v->ctx.x[srt] & ((1ull << (8 * size)) - 1);
    if (!vgic_mmio(v, ipa, wnr, size, &val)) {
        printf("hyp: guest access to IPA 0x%lx, which has no device\n", (unsigned long)ipa);
        guest_exit(1);
    }
    if (!wnr && srt != 31)
        v->ctx.x[srt] = load_extend(val, size, sse, sf);
    v->ctx.elr += 4;
}

static void hvc_exit(struct hyp_vcpu *v)
{
    unsigned imm = (unsigned)(v->exit.esr & 0xffff);
    v->stats.hvc_exits++;
    if (imm == HYP_HC_DONE) {
        v->done = true;
        v->done_status = v->ctx.x[0];
        return;
    }
    if (v->hypercall) {
        v->hypercall(v, imm);
        return;
    }
    printf("hyp: unknown hypercall #0x%x\n", imm);
    guest_exit(1);
}

void hyp_handle_exit(struct hyp_vcpu *v)
{
    v->stats.exits++;
    switch (v->exit.type) {
    case HYP_EXIT_IRQ:
        v->stats.irq_exits++;
        physical_irq(v, v->exit.intid);
        return;
    case HYP_EXIT_SYNC:
        switch (v->exit.esr >> 26) {
        case EC_DABT_LOW:
            v->stats.mmio_exits++;
            mmio_exit(v);
            return;
        case EC_HVC64: hvc_exit(v); return;
        }
        break;
    default: break;
    }
    printf("hyp: unexpected exit: vector type 0x%x, ESR_EL2 0x%08lx, guest PC 0x%lx\n",
           (unsigned)v->exit.type, (unsigned long)v->exit.esr, (unsigned long)v->ctx.elr);
    guest_exit(1);
}

uint64_t hyp_run(struct hyp_vcpu *v)
{
    while (!v->done) {
        vgic_flush(v);
        hyp_vcpu_enter(v);
        hyp_handle_exit(v);
    }
    return v->done_status;
}

void hyp_init(struct hyp_vcpu *v, void (*fn)(uint64_t), uint64_t arg, void *stack_top)
{
    __asm__ volatile("msr daifset, #0xf" ::: "memory");
    if (MRS("CurrentEL") != 0x8) {
        printf("hyp: must start at EL2 (a64sim --el 2, QEMU virtualization=on)\n");
        guest_exit(1);
    }
    *v = (struct hyp_vcpu){0};
    hyp_current = v;
    vectors_install_el2(hyp_vector);
    gic_host_init();
    stage2_init();
    MSR("sctlr_el1", SCTLR_EL1_MMU_OFF);
    MSR("cnthctl_el2", CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
    MSR("cntvoff_el2", 0);
    MSR("hcr_el2", HCR_RUN);
    __asm__ volatile("msr sp_el1, %0" ::"r"((uint64_t)(uintptr_t)stack_top));
    vgic_init(v);
    v->ctx.x[0] = arg;
    v->ctx.elr = (uint64_t)(uintptr_t)fn;
    v->ctx.spsr = SPSR_EL1H_MASKED;
}
