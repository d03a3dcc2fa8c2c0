/*
 * Seed thread 003 (the vtimer's line), with an in-kernel vGIC: how the host
 * keeps the EL1 virtual timer's physical interrupt (PPI 27) from firing
 * again while the guest's copy of the line is asserted.
 *
 * The timer's output is a level, and the same level drives the physical
 * PPI 27 (taken at EL2: HCR_EL2.IMO) and, through the host, the guest's
 * virtual PPI 27. Until the guest has dealt with its timer the physical
 * line stays high, so the host must keep it from being signalled again.
 * Two ways, one after the other:
 *
 *  1. Hardware-mapped LR (KVM's way with a GIC that has an active state):
 *     the host acknowledges PPI 27 and only drops its priority (EOImode 1:
 *     ICC_EOIR1_EL1 without ICC_DIR_EL1), so the physical interrupt stays
 *     active, and injects vINTID 27 with HW = 1 and pINTID 27. An active
 *     interrupt is not signalled again, though it is pending again at once
 *     (the line is still high). The guest masks its timer and EOIs
 *     (EOImode 0); deactivating a HW = 1 virtual interrupt deactivates the
 *     physical one: GICR_ISACTIVER0 bit 27 goes from 1 to 0 with no EL2
 *     code involved.
 *  2. Masking (the thread's proposal (2), and KVM's way with a user-space
 *     interrupt controller): the host masks the physical PPI 27
 *     (GICR_ICENABLER0), deactivates it, and injects vINTID 27 through a
 *     software LR with EOI maintenance. While the guest's line is asserted
 *     the physical one is disabled (and pending: the level is high). The
 *     guest's EOI brings the maintenance interrupt, the host samples the
 *     line, finds it low, and unmasks PPI 27 (irqfd.c's resampler).
 *
 * The guest asks the host (HVC) to print the physical state and the saved
 * list register from inside its handler, before its EOI, and after it;
 * every value printed is fixed by the order of events, not by timing.
 */
#include "gic_common.h"
#include "hyp.h"
#include "irqfd.h"
#include "vm.h"

#define PPI_VTIMER 27u
#define PRIO       0xa0
#define CTL_ENABLE (1u << 0)
#define CTL_IMASK  (1u << 1)

#define HC_SHOW_BEFORE_EOI 1
#define HC_SHOW_AFTER_EOI  2
#define HC_MASKING         3 /* from now on, PPI 27 goes through irqfd.c */

static struct hyp_vcpu vcpu;
static uint64_t guest_stack[1024] __attribute__((aligned(16)));
static volatile unsigned guest_taken, hw_forwarded;
static volatile bool masking_part;

static void cntv_ctl(uint64_t v)
{
    __asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" ::"r"(v) : "memory");
}

/* ---- the guest (EL1) ---- */

static void guest_irq(struct exc_frame *f)
{
    unsigned intid = vm_irq_ack(f);
    if (intid == INTID_SPURIOUS)
        return;
    guest_taken++;
    printf("guest: vINTID %u taken; its timer still asserts the line\n", intid);
    VM_HVC(1); /* HC_SHOW_BEFORE_EOI */
    cntv_ctl(CTL_ENABLE | CTL_IMASK);
    printf("guest: CNTV_CTL_EL0.IMASK set (line low), EOI\n");
    vm_eoi(intid);
    if (!masking_part)
        VM_HVC(2); /* HC_SHOW_AFTER_EOI */
}

static void wait_taken(unsigned n)
{
    for (unsigned i = 0; i < 2000000 && guest_taken < n; i++)
        ;
}

static void guest_main(uint64_t arg)
{
    (void)arg;
    vectors_install_el1(guest_irq);
    vm_gic_init();
    vm_irq_setup(PPI_VTIMER, PRIO, false);
    IRQ_ENABLE();
    printf("guest: part 1, CNTV_CVAL_EL0 0 (passed), CNTV_CTL_EL0.ENABLE: the line rises\n");
    __asm__ volatile("msr cntv_cval_el0, xzr" ::: "memory");
    cntv_ctl(CTL_ENABLE);
    wait_taken(1);

    masking_part = true;
    VM_HVC(3); /* HC_MASKING */
    printf("guest: part 2, CNTV_CTL_EL0.IMASK cleared: the line rises again\n");
    cntv_ctl(CTL_ENABLE);
    wait_taken(2);
    for (unsigned i = 0; i < 2000000 && irqfd_stats.resample_low == 0; i++)
        ;
    IRQ_DISABLE();
    cntv_ctl(0);
    printf("guest: timer interrupt taken %u times\n", guest_taken);
    vm_done(guest_taken == 2 ? 0 : 1);
}

/* ---- the host (EL2) ---- */

/* Part 1: hand the active physical interrupt to the guest. */
static enum hyp_irq_ret vtimer_forward(struct hyp_vcpu *v, unsigned intid)
{
    hw_forwarded++;
    vgic_inject_hw(v, PPI_VTIMER, intid);
    printf("hyp: physical PPI %u at EL2: ICC_EOIR1_EL1 only (left active); vINTID %u "
           "injected with HW = 1, pINTID %u\n",
           intid, PPI_VTIMER, intid);
    return HYP_IRQ_KEEP_ACTIVE;
}

static void show(struct hyp_vcpu *v, const char *when)
{
    const struct vgic_irq *irq = &v->vgic.irq[PPI_VTIMER];
    printf("hyp: %s: physical PPI %u enabled %u pending %u active %u; ", when, PPI_VTIMER,
           hyp_irq_enabled(PPI_VTIMER), hyp_irq_pending(PPI_VTIMER), hyp_irq_active(PPI_VTIMER));
    if (irq->lr < 0)
        printf("vINTID %u in no LR; ", PPI_VTIMER);
    else
        printf("LR%d 0x%016lx (%s); ", irq->lr, (unsigned long)v->vgic.cpu.lr[irq->lr],
               ich_lr_state_name(v->vgic.cpu.lr[irq->lr]));
    printf("ICH_AP1R0_EL2 0x%x\n", v->vgic.cpu.ap1r[0]);
}

static void hypercall(struct hyp_vcpu *v, unsigned imm)
{
    if (imm == HC_SHOW_BEFORE_EOI)
        show(v, "before the guest's EOI");
    else if (imm == HC_SHOW_AFTER_EOI)
        show(v, "after the guest's EOI");
    else if (imm == HC_MASKING) {
        irqfd_assign(v, PPI_VTIMER, PPI_VTIMER);
        printf("hyp: PPI %u now masked while the guest's line is asserted (irqfd.c, software "
               "LR with EOI maintenance)\n",
               PPI_VTIMER);
    }
}

int main(void)
{
    hyp_init(&vcpu, guest_main, 0, guest_stack + 1024);
    vcpu.vgic.log = true;
    vcpu.hypercall = hypercall;
    hyp_irq_register(PPI_VTIMER, vtimer_forward, false);
    uint64_t status = hyp_run(&vcpu);
    printf("hyp: physical PPI %u taken at EL2: %u forwarded (HW = 1), %u masked; resampled "
           "low %u\n",
           PPI_VTIMER, hw_forwarded, irqfd_stats.physical, irqfd_stats.resample_low);
    show(&vcpu, "at the end");
    printf("hyp: guest status %u\n", (unsigned)status);
    guest_exit((int)status);
}
