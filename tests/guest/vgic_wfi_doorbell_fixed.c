/*
 * Seed thread 004 (kvm_arch_vcpu_blocking and GICv4), the fixed version.
 *
 * A vCPU whose interrupts come as GICv4 vLPIs executes WFI, which traps to
 * the host (HCR_EL2.TWI): KVM's kvm_handle_wfx() -> kvm_vcpu_block(). The
 * thread's point is what must happen around the block, and where:
 *
 *   kvm_arch_vcpu_blocking()    kvm_vgic_vmcr_sync(): the guest's
 *                               ICH_VMCR_EL2 (priority mask, group enables)
 *                               into KVM's copy, which the runnable check
 *                               reads; vgic_v4_put(vcpu, need_db = true):
 *                               the vPE leaves the redistributor with its
 *                               doorbell on, so a vLPI that comes while the
 *                               thread sleeps rings it
 *   kvm_vcpu_block()            while !kvm_arch_vcpu_runnable(): sleep
 *   kvm_arch_vcpu_unblocking()  vgic_v4_load(vcpu): resident again
 *
 * The host here does exactly that (vpe_common.h has the GICv4.0 side). Its
 * kvm_arch_vcpu_runnable() reads the VPT, complete in memory once the vPE
 * is put (GICR_VPENDBASER.Dirty 0), and asks whether a pending, enabled vLPI
 * gets past the priority mask and the group enable in KVM's VMCR copy. (KVM
 * itself trusts the doorbell and PendingLast for vLPIs and applies the VMCR
 * to the interrupts it injects through list registers; Marc's "ICH_VMCR_EL2
 * requirement ... for SW-injected interrupt wake-up" is the same
 * dependency, which this host has for vLPIs too.) The thread's "sleep" is
 * WFI at EL2 with PSTATE.I set; each interrupt that wakes it is acknowledged
 * and handled in order, then the check runs again.
 *
 * The device is an MSI (EventID 0 of DeviceID 0 to GITS_TRANSLATER, mapped
 * by VMAPTI to vINTID 8192 of vPE 0, doorbell LPI 8200), sent from the
 * handler of the EL2 physical timer (PPI 26), which the host arms when its
 * thread first goes to sleep: the MSI always arrives during the block,
 * whatever the timing, and is handled in the order the output shows.
 *
 * With the fix the doorbell wakes the thread, the check sees vINTID 8192
 * (priority 0xa0 under VPMR 0xf0), the vPE is loaded, and the guest takes
 * the vLPI as soon as it is back. The two broken variants are a64sim-only
 * (they end in a sleep nothing can wake; QEMU just hangs):
 *  - vgic_wfi_doorbell_lost_simonly.c: no vgic_v4_put(). The vPE stays
 *    resident, so the MSI makes a vLPI for the virtual CPU interface (off
 *    while the host runs) and rings no doorbell; the host sleeps forever.
 *  - vgic_wfi_stale_vmcr_simonly.c: no VMCR sync. The doorbell comes, but
 *    the check reads the copy taken at vcpu_load, before the guest set its
 *    priority mask: VPMR 0x00 masks everything, so the host decides the
 *    vCPU is not runnable and sleeps forever.
 */
#include "hyp.h"
#include "vm.h"
#include "vpe_common.h"

#define DEVID          0u
#define EVENT          0u
#define DEV_EVENT_BITS 2u
#define VINTID         8192u
#define DOORBELL       8200u
#define VPRIO          0xa0
#define PPI_DEVICE     26u /* the EL2 physical timer: the device's clock */
#define DEVICE_DELAY   1000u
#define HCR_TWI        (1ull << 13)
#define GUEST_POLL     100000u

static struct hyp_vcpu vcpu;
static struct vpe vpe0;
static uint64_t guest_stack[1024] __attribute__((aligned(16)));
static uint8_t dev_itt[ITS_ITT_BYTES(DEV_EVENT_BITS)] ITS_ITT_ALIGNED;
static volatile unsigned guest_taken, guest_intid;
static unsigned doorbells, blocks;

/* KVM's vgic_v3.vgic_vmcr: the copy of ICH_VMCR_EL2 that the runnable check reads. KVM
 * writes it at vcpu_put and (the fix) at kvm_arch_vcpu_blocking. This host's world switch
 * saves ICH_VMCR_EL2 on every exit (vgic.c), so the copy is kept apart from that. */
static uint64_t kvm_vmcr;

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
    printf("guest: ICC_PMR_EL1 0xf0, Group 1 on; WFI until vINTID %u (the device's event %u)\n",
           VINTID, EVENT);
    IRQ_ENABLE();
    /* WFI can return before the interrupt that ended it is taken (a GIC with latency, or
     * a spurious wake-up): look for it a while before waiting again, so that the number of
     * trapped WFIs does not depend on timing. */
    while (guest_taken == 0) {
        __asm__ volatile("wfi" ::: "memory");
        for (unsigned i = 0; i < GUEST_POLL && guest_taken == 0; i++)
            __asm__ volatile("yield" ::: "memory");
    }
    IRQ_DISABLE();
    printf("guest: woke up: vINTID %u taken through ICC_IAR1_EL1 and EOIed\n", guest_intid);
    vm_done(guest_taken == 1 && guest_intid == VINTID ? 0 : 1);
}

/* ---- the host (EL2) ---- */

static void show_vmcr(const char *what, uint64_t vmcr)
{
    printf("%s VPMR 0x%02x VENG1 %u", what, (unsigned)ICH_VMCR_VPMR(vmcr),
           (unsigned)(vmcr & ICH_VMCR_VENG1) >> 1);
}

/* The device: its clock fired, it sends its MSI. */
static enum hyp_irq_ret device_timer(struct hyp_vcpu *v, unsigned intid)
{
    (void)v, (void)intid;
    host_device_stop();
    printf("hyp: device: MSI, EventID %u written to GITS_TRANSLATER\n", EVENT);
    its_msi(EVENT);
    return HYP_IRQ_DEACTIVATE;
}

static void device_arm(void)
{
    host_device_arm(DEVICE_DELAY);
}

/* A physical interrupt while the vCPU thread sleeps. Only the doorbell wakes the thread
 * (its handler kicks the vCPU, as KVM's vgic_v4_doorbell_handler does); the device's
 * clock is somebody else's interrupt, after which the PE goes back to sleep. */
static bool host_irq(struct hyp_vcpu *v, unsigned intid)
{
    bool kick = false;
    if (intid == PPI_DEVICE) {
        device_timer(v, intid);
    } else if (intid == DOORBELL) {
        doorbells++;
        kick = true;
        printf("hyp: doorbell LPI %u at EL2: vPE 0 has a vLPI pending: kick vCPU 0\n", intid);
    } else {
        printf("hyp: physical INTID %u while blocked\n", intid);
    }
    host_eoi(intid);
    return kick;
}

/* kvm_arch_vcpu_runnable(), for vLPIs. */
static bool vcpu_runnable(void)
{
    if (vpe0.resident) {
        printf("hyp: runnable? vPE 0 is resident: its VPT is not complete in memory, and a "
               "resident vPE rings no doorbell: not runnable\n");
        return false;
    }
    its_vsync(0);
    uint32_t vintid = vpt_first_pending(&vpe0);
    if (vintid == INTID_SPURIOUS) {
        printf("hyp: runnable? no vLPI pending in vPE 0's VPT: not runnable\n");
        return false;
    }
    unsigned prio = vlpi_priority(vintid), vpmr = (unsigned)ICH_VMCR_VPMR(kvm_vmcr);
    bool runnable = vlpi_enabled(vintid) && (kvm_vmcr & ICH_VMCR_VENG1) && prio < vpmr;
    printf("hyp: runnable? VPT: vINTID %u pending, priority 0x%02x;", vintid, prio);
    show_vmcr(" VMCR copy:", kvm_vmcr);
    printf(": %s\n", runnable ? "the guest would take it: runnable" : "masked: not runnable");
    return runnable;
}

static void kvm_arch_vcpu_blocking(void)
{
#ifdef STALE_VMCR
    show_vmcr("hyp: kvm_arch_vcpu_blocking: no VMCR sync: the copy is vcpu_load's,", kvm_vmcr);
    show_vmcr(" (the guest's ICH_VMCR_EL2:", MRS(ICH_VMCR_EL2));
    printf(")\n");
#else
    kvm_vmcr = MRS(ICH_VMCR_EL2); /* kvm_vgic_vmcr_sync() */
    show_vmcr("hyp: kvm_arch_vcpu_blocking: ICH_VMCR_EL2 synced into the copy:", kvm_vmcr);
    printf("\n");
#endif
#ifdef NO_PUT
    printf("hyp:   no vgic_v4_put: vPE 0 stays resident, GICR_VPENDBASER.Valid %u\n",
           (unsigned)(mmio_read(GICR_VLPI(0) + GICR_VPENDBASER, 8) >> 63));
#else
    uint64_t vpend = vpe_put(0, true);
    printf("hyp:   vgic_v4_put(need_db = true): doorbell LPI %u %s; GICR_VPENDBASER.Valid %u "
           "Dirty %u PendingLast %u\n",
           DOORBELL, vpe_doorbell_enabled(&vpe0) ? "enabled" : "disabled", (unsigned)(vpend >> 63),
           (unsigned)(vpend >> 60) & 1, (unsigned)(vpend >> 61) & 1);
#endif
}

static void kvm_arch_vcpu_unblocking(void)
{
#ifndef NO_PUT
    uint64_t v = vpe_load(0, &vpe0);
    printf("hyp: kvm_arch_vcpu_unblocking: vgic_v4_load: vPE 0 resident, GICR_VPENDBASER.Valid "
           "%u Dirty %u\n",
           (unsigned)(v >> 63), (unsigned)(v >> 60) & 1);
#endif
}

static void kvm_vcpu_block(struct hyp_vcpu *v)
{
    bool armed = false;
    while (!vcpu_runnable()) {
        if (!armed) {
            device_arm();
            armed = true;
            printf("hyp: the vCPU thread sleeps (WFI at EL2); the device's MSI is due meanwhile\n");
        } else {
            printf("hyp: the vCPU thread sleeps again (WFI at EL2)\n");
        }
        while (!host_irq(v, host_wfi_ack()))
            ;
    }
}

/* kvm_handle_wfx() for WFI: block, then step over the instruction. */
static void handle_wfi(struct hyp_vcpu *v)
{
    blocks++;
    printf("hyp: guest WFI trapped (HCR_EL2.TWI)\n");
    kvm_arch_vcpu_blocking();
    kvm_vcpu_block(v);
    kvm_arch_vcpu_unblocking();
    v->ctx.elr += 4;
}

int main(void)
{
    hyp_init(&vcpu, guest_main, 0, guest_stack + 1024);
    vcpu.vgic.log = true;
    MSR("hcr_el2", MRS("hcr_el2") | HCR_TWI);
#if defined(NO_PUT)
    printf("hyp: kvm_arch_vcpu_blocking: VMCR sync only; no vgic_v4_put (the bug)\n");
#elif defined(STALE_VMCR)
    printf("hyp: kvm_arch_vcpu_blocking: vgic_v4_put(need_db = true) only; no VMCR sync (the "
           "bug)\n");
#else
    printf("hyp: kvm_arch_vcpu_blocking: VMCR sync, vgic_v4_put(need_db = true); "
           "kvm_arch_vcpu_unblocking: vgic_v4_load (the fix)\n");
#endif
    if (!vpe_supported(0) || !vpe_host_init(0)) {
        printf("hyp: no GICv4 direct injection here\n");
        guest_exit(1);
    }
    its_mapd(DEVID, dev_itt, DEV_EVENT_BITS, true);
    vpe_create(&vpe0, 0, 0, DOORBELL);
    its_vmapti(DEVID, EVENT, 0, VINTID, DOORBELL);
    vlpi_config(VINTID, VPRIO, true);
    its_inv(DEVID, EVENT);
    its_vsync(0);
    hyp_irq_register(PPI_DEVICE, device_timer, false);
    printf("hyp: VMAPTI DeviceID %u EventID %u -> vINTID %u (priority 0x%02x) of vPE 0, doorbell "
           "LPI %u\n",
           DEVID, EVENT, VINTID, vlpi_priority(VINTID), DOORBELL);
    uint64_t v = vpe_load(0, &vpe0);
    kvm_vmcr = vcpu.vgic.cpu.vmcr;
    printf("hyp: vcpu_load: vgic_v4_load: vPE 0 resident, GICR_VPENDBASER.Valid %u;",
           (unsigned)(v >> 63));
    show_vmcr(" VMCR copy:", kvm_vmcr);
    printf("\n");
    uint64_t status = host_run_trapping_wfi(&vcpu, handle_wfi);
    printf("hyp: WFI blocks %u, doorbells %u, ITS commands stuck %u, Dirty stuck %u; guest "
           "status %u\n",
           blocks, doorbells, its.stuck, vpe_stuck, (unsigned)status);
    guest_exit(status == 0 && its.stuck == 0 && vpe_stuck == 0 ? 0 : 1);
}
