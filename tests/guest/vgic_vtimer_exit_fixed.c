/*
 * Seed thread 003 for the explorer (docs/explore.md): a timer line change
 * that coincides with an MMIO exit, in timing-dependent form.
 *
 * A hypervisor without an in-kernel timer interrupt, as the thread's patch
 * proposes: EL2 plays both halves.
 *
 *  - The "kernel" samples the EL1 virtual timer on every exit (KVM's
 *    kvm_timer_sync_hwstate): its level is ENABLE and ISTATUS of
 *    CNTV_CTL_EL0. When the level differs from the one it last recorded, it
 *    records the new one in the exit's timer bitmap (kernel_timer_pending),
 *    masks a raised timer (IMASK) so that its physical PPI 27 stops, and
 *    makes the exit go to user space: with its own reason, INTR, unless the
 *    exit already has one (an MMIO exit). The physical PPI 27 is taken at
 *    EL2 (HCR_EL2.IMO), so a timer that fires while the guest runs makes an
 *    INTR exit of its own.
 *  - "User space" emulates the device the guest polls (an MMIO exit, here
 *    a read of the distributor's GICD_TYPER) and owns the guest's timer
 *    interrupt: it injects vINTID 27 when it sees the line rise.
 *
 * The guest arms its timer, spins until a little after the deadline, reads
 * the device register, and waits in WFI for the tick; 8 rounds. Whether
 * the kernel first sees the raised line at the INTR exit of PPI 27 or at
 * the MMIO exit depends on when PPI 27 reaches the PE: within the spin, or
 * after the MMIO access has trapped. With this file's user space, which
 * compares the bitmap with its own copy of the line on every exit (the
 * thread's proposal), every timing ends with 8 ticks.
 * vgic_vtimer_exit_simonly.c's user space looks at the bitmap only on INTR
 * exits (the "user space may opt to only check on -EINTR" of the thread):
 * a rise recorded in an MMIO exit is lost, the guest waits for good, and
 * a64sim stops the run as a deadlock. Unperturbed, PPI 27 arrives within
 * the spin and both pass; `a64sim explore` finds the GIC delivery latencies
 * that make the broken one fail.
 */
#include <stdbool.h>
#include <stdint.h>

#include "gic_common.h"
#include "hyp.h"
#include "vm.h"

#define PPI_VTIMER  27u
#define PRIO        0xa0
#define CTL_ENABLE  (1u << 0)
#define CTL_IMASK   (1u << 1)
#define CTL_ISTATUS (1u << 2)
#define TICKS       8
#define PERIOD      200  /* counter ticks to each deadline */
#define GAP         12   /* counter ticks the guest spins past it: 192 ns at 62.5 MHz */
#define EC_DABT_LOW 0x24 /* ESR_EL2.EC: a data abort from a lower EL */

static struct hyp_vcpu vcpu;
static uint64_t guest_stack[1024] __attribute__((aligned(16)));
static volatile unsigned ticks;

static uint64_t cntvct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
    return v;
}

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
    if (intid == PPI_VTIMER) {
        ticks++;
        cntv_ctl(0); /* the tick is handled: the line falls */
    }
    vm_eoi(intid);
}

static void guest_main(uint64_t arg)
{
    (void)arg;
    vectors_install_el1(guest_irq);
    vm_gic_init();
    vm_irq_setup(PPI_VTIMER, PRIO, false);
    IRQ_ENABLE();
    for (unsigned round = 0; round < TICKS; round++) {
        uint64_t deadline = cntvct() + PERIOD;
        __asm__ volatile("msr cntv_cval_el0, %0" ::"r"(deadline) : "memory");
        cntv_ctl(CTL_ENABLE);
        while (cntvct() < deadline + GAP)
            ;
        (void)rd32(GICD + GICD_TYPER); /* the device: an MMIO exit */
        while (ticks <= round)
            __asm__ volatile("wfi" ::: "memory");
    }
    IRQ_DISABLE();
    printf("guest: %u rounds, %u ticks\n", TICKS, ticks);
    vm_done(ticks == TICKS ? 0 : 1);
}

/* ---- the host (EL2) ---- */

enum exit_reason { EXIT_NONE, EXIT_MMIO, EXIT_INTR };

/* What the kernel hands user space on an exit (struct kvm_run). */
static struct {
    enum exit_reason reason;
    bool kernel_timer_pending;
} run;

static bool timer_level; /* the kernel's: timer->irq.level */

/* The kernel's sample of the guest's timer, on every exit. */
static void kernel_timer_sync(void)
{
    uint64_t ctl;
    __asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(ctl));
    bool level = (ctl & (CTL_ENABLE | CTL_ISTATUS)) == (CTL_ENABLE | CTL_ISTATUS);
    if (level == timer_level)
        return;
    timer_level = level;
    run.kernel_timer_pending = level;
    if (level)
        cntv_ctl(ctl | CTL_IMASK); /* no more physical PPI 27 until the guest rearms */
    if (run.reason == EXIT_NONE)
        run.reason = EXIT_INTR;
}

/* Physical PPI 27 at EL2: the timer fired while the guest ran. Masked
 * whatever the recorded level, so that it cannot fire again at once. */
static enum hyp_irq_ret vtimer_irq(struct hyp_vcpu *v, unsigned intid)
{
    uint64_t ctl;
    (void)v;
    (void)intid;
    kernel_timer_sync();
    __asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(ctl));
    cntv_ctl(ctl | CTL_IMASK);
    return HYP_IRQ_DEACTIVATE;
}

/* The guest's EOI of vINTID 27 (EOI maintenance): an exit, so that the
 * kernel samples the line the guest's handler has lowered. */
static void vtimer_eoi(struct hyp_vcpu *v, unsigned vintid)
{
    (void)v;
    (void)vintid;
}

static void user_space(struct hyp_vcpu *v)
{
    if (run.reason == EXIT_MMIO)
        hyp_handle_exit(v); /* the device */
#ifdef VMM_CHECKS_ON_INTR_ONLY
    if (run.reason == EXIT_INTR && run.kernel_timer_pending)
        vgic_inject(v, PPI_VTIMER, vtimer_eoi);
#else
    static bool vmm_level; /* user space's copy of the line */
    if (run.kernel_timer_pending != vmm_level) {
        vmm_level = run.kernel_timer_pending;
        if (vmm_level)
            vgic_inject(v, PPI_VTIMER, vtimer_eoi);
    }
#endif
}

int main(void)
{
    hyp_init(&vcpu, guest_main, 0, guest_stack + 1024);
    hyp_irq_register(PPI_VTIMER, vtimer_irq, false);
    while (!vcpu.done) {
        vgic_flush(&vcpu);
        hyp_vcpu_enter(&vcpu);
        run.reason = EXIT_NONE;
        bool mmio = vcpu.exit.type == HYP_EXIT_SYNC && vcpu.exit.esr >> 26 == EC_DABT_LOW;
        if (mmio)
            run.reason = EXIT_MMIO;
        else
            hyp_handle_exit(&vcpu); /* a physical IRQ, a hypercall */
        kernel_timer_sync();
        if (run.reason != EXIT_NONE && !vcpu.done)
            user_space(&vcpu);
    }
    printf("hyp: guest status %u\n", (unsigned)vcpu.done_status);
    guest_exit((int)vcpu.done_status);
}
