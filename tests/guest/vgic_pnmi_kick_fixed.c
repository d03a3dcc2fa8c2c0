/*
 * Seed thread 000 (pseudo-NMIs with ICC_PMR_EL1), the KVM half: a host
 * whose irqflags mask interrupts with the priority mask must not enter its
 * guest with the PMR masking, or the GIC does not signal host interrupts
 * while the guest runs, and a kick meant to make the vCPU exit is lost.
 *
 * The host here is the EL2 program itself (like a VHE host, where the
 * kernel and KVM share EL2). Its irqflags are Linux's with pseudo-NMIs:
 * local_irq_disable() writes ICC_PMR_EL1 = 0x60 and leaves PSTATE.I clear;
 * local_irq_enable() writes 0xf0. Its run loop is KVM's:
 *
 *   vgic_flush()                  pending vINTIDs into the list registers
 *   local_irq_disable()
 *   vcpu->mode = IN_GUEST_MODE    then check for requests, and enter
 *   ... another CPU injects vINTID 40 now: the LRs are already filled, so
 *       it only queues it, sees IN_GUEST_MODE and sends the kick IPI
 *       (SGI 1), whose only job is to make the vCPU exit so that the next
 *       vgic_flush() picks the interrupt up ...
 *   enter the guest, handle the exit, local_irq_enable()
 *
 * The guest has told the host it will wait (a hypercall) and then sits in
 * WFI (HCR_EL2.TWI clear: a vCPU alone on its CPU) for vINTID 40.
 *
 * Without the fix (vgic_pnmi_kick_lost_simonly.c) the guest runs with the
 * physical PMR at 0x60: the kick (priority 0x80) is pending but never
 * signalled, so no exit, no flush, no vINTID 40, and WFI never returns: a
 * deadlock on a64sim, a hang on QEMU (hence a64sim-only). The fix is the
 * one the thread settles on: around guest entry, mask with PSTATE.I (which
 * the exception to EL2 does by itself for a non-VHE host, after its HVC)
 * and open the PMR; restore both after the exit. A physical IRQ taken from
 * EL1 goes to EL2 whatever EL2's PSTATE.I (HCR_EL2.IMO), so the kick makes
 * the guest exit at once, and the next entry delivers vINTID 40.
 */
#include "gic_common.h"
#include "hyp.h"
#include "vm.h"

#define KICK_SGI   1u
#define VSPI       40u
#define PRIO       0xa0
#define PMR_MASKED 0x60
#define PMR_OPEN   0xf0

#define HC_WAITING 1 /* the guest is about to wait in WFI for vINTID 40 */

enum vcpu_mode { OUTSIDE_GUEST_MODE, IN_GUEST_MODE };

static struct hyp_vcpu vcpu;
static uint64_t guest_stack[1024] __attribute__((aligned(16)));
static volatile unsigned guest_taken, guest_intid;
static volatile enum vcpu_mode mode;
static volatile bool request, guest_waiting;
static unsigned kicks;

/* ---- the guest (EL1) ---- */

static void guest_irq(struct exc_frame *f)
{
    unsigned intid = vm_irq_ack(f);
    if (intid == INTID_SPURIOUS)
        return;
    guest_intid = intid;
    guest_taken++;
    vm_eoi(intid);
}

static void guest_main(uint64_t arg)
{
    (void)arg;
    vectors_install_el1(guest_irq);
    vm_gic_init();
    vm_irq_setup(VSPI, PRIO, true);
    printf("guest: waiting in WFI for vINTID %u\n", VSPI);
    IRQ_ENABLE();
    VM_HVC(1); /* HC_WAITING */
    while (guest_taken == 0)
        __asm__ volatile("wfi" ::: "memory");
    printf("guest: woke up, vINTID %u taken\n", guest_intid);
    vm_done(guest_intid == VSPI ? 0 : 1);
}

/* ---- the host (EL2) ---- */

static void local_irq_disable(void)
{
    MSR(ICC_PMR_EL1, PMR_MASKED);
}

static void local_irq_enable(void)
{
    MSR(ICC_PMR_EL1, PMR_OPEN);
}

static enum hyp_irq_ret kick_handler(struct hyp_vcpu *v, unsigned intid)
{
    (void)v;
    kicks++;
    printf("hyp: physical SGI %u (the kick) made the vCPU exit\n", intid);
    return HYP_IRQ_DEACTIVATE;
}

static void hypercall(struct hyp_vcpu *v, unsigned imm)
{
    (void)v;
    if (imm == HC_WAITING)
        guest_waiting = true;
}

/* Another CPU's device injects vINTID 40: queue it, and kick the vCPU if it is in the guest. */
static void other_cpu_inject(struct hyp_vcpu *v)
{
    vgic_inject(v, VSPI, 0);
    request = true;
    if (mode == IN_GUEST_MODE)
        SEND_SGI(ICC_SGI1R_EL1, sgi_value(KICK_SGI, 1));
    printf("hyp: another CPU injects vINTID %u after the LRs were filled; the vCPU is in "
           "IN_GUEST_MODE, so it sends the kick (SGI %u)\n",
           VSPI, KICK_SGI);
}

static void enter_guest(struct hyp_vcpu *v, bool report)
{
#ifdef KICK_LOST
    if (report)
        printf("hyp: entering the guest with ICC_PMR_EL1 0x%x, PSTATE.I %u; ICC_HPPIR1_EL1 "
               "%u (the kick, pending)\n",
               (unsigned)MRS(ICC_PMR_EL1), (unsigned)(MRS("daif") >> 7) & 1,
               (unsigned)MRS(ICC_HPPIR1_EL1) & 0xffffff);
    hyp_vcpu_enter(v);
#else
    /* The fix: PSTATE.I masks the host, the PMR lets everything through to the guest's exits. */
    __asm__ volatile("msr daifset, #2" ::: "memory");
    local_irq_enable();
    if (report)
        printf("hyp: entering the guest with PSTATE.I %u, ICC_PMR_EL1 0x%x; ICC_HPPIR1_EL1 %u "
               "(the kick, pending)\n",
               (unsigned)(MRS("daif") >> 7) & 1, (unsigned)MRS(ICC_PMR_EL1),
               (unsigned)MRS(ICC_HPPIR1_EL1) & 0xffffff);
    hyp_vcpu_enter(v);
    local_irq_disable();
    __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
#endif
}

static uint64_t run(struct hyp_vcpu *v)
{
    bool injected = false;
    while (!v->done) {
        vgic_flush(v);
        request = false;
        local_irq_disable();
        mode = IN_GUEST_MODE;
        if (request) {
            mode = OUTSIDE_GUEST_MODE;
            local_irq_enable();
            continue;
        }
        bool window = guest_waiting && !injected;
        if (window) {
            injected = true;
            other_cpu_inject(v);
        }
        enter_guest(v, window);
        mode = OUTSIDE_GUEST_MODE;
        local_irq_enable();
        hyp_handle_exit(v);
    }
    return v->done_status;
}

int main(void)
{
    hyp_init(&vcpu, guest_main, 0, guest_stack + 1024);
    vcpu.vgic.log = true;
    vcpu.hypercall = hypercall;
    hyp_irq_register(KICK_SGI, kick_handler, true);
    /* The host's irqflags from now on: PMR masking, PSTATE.I clear (pseudo-NMIs on). */
    __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
    printf("hyp: host irqflags by ICC_PMR_EL1: local_irq_disable() 0x%x, local_irq_enable() "
           "0x%x, PSTATE.I clear; %s\n",
           PMR_MASKED, PMR_OPEN,
#ifdef KICK_LOST
           "the guest is entered as the host left it"
#else
           "around guest entry PSTATE.I set and PMR 0xf0 (the fix)"
#endif
    );
    uint64_t status = run(&vcpu);
    __asm__ volatile("msr daifset, #2" ::: "memory");
    printf("hyp: kicks taken %u; guest status %u\n", kicks, (unsigned)status);
    guest_exit((int)status);
}
