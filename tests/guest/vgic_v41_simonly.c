/*
 * Seed thread 004 with GICv4.1 (vpe41_common.h has the model): a vCPU whose
 * interrupts come straight from the GIC blocks in WFI, and the host must
 * make its vPE non-resident asking for the default doorbell before it
 * sleeps. GICv4.1 folds GICv4.0's per-event doorbell and its enable into
 * one bit of GICR_VPENDBASER (DB) and one promise (PendingLast reads 0: a
 * doorbell will come), which is what KVM's kvm_arch_vcpu_blocking() relies
 * on: vgic_v4_put(vcpu, need_db = true).
 *
 * The run:
 *  1. vPE 0 is mapped with VMAPP's GICv4.1 form (the VM's vLPI configuration
 *     table, default doorbell LPI 8200), event 0 of device 0 to vINTID 8192
 *     with no per-event doorbell, and vSGI 1 configured by VSGI (priority
 *     0x80, Group 1, enabled). vcpu_load schedules it by vPEID.
 *  2. The guest asks for an IPI (a hypercall; the host writes GITS_SGIR, as
 *     KVM does for a guest's ICC_SGI1R_EL1 when its vSGIs are direct): the
 *     guest takes vINTID 1 through ICC_IAR1_EL1 with no list register, and
 *     its EOI leaves ICH_HCR_EL2.EOIcount alone (a direct vSGI has no
 *     active state).
 *  3. The guest waits in WFI for its device (HCR_EL2.TWI traps it). The
 *     host deschedules vPE 0 with DB = 1 (PendingLast reads 0), arms the
 *     device and sleeps; the device's MSI puts vINTID 8192 in the VPT, the
 *     redistributor rings doorbell 8200, the host schedules vPE 0 again and
 *     the guest takes the vLPI.
 *
 * With NO_DB (vgic_v41_nodb_simonly.c) the host deschedules with DB = 0,
 * as a put that is not a block does: no doorbell is owed, the vLPI waits in
 * the VPT and the host sleeps forever: a deadlock whose report names the
 * vLPI and the doorbell that was never asked for.
 *
 * QEMU 7.2 has no GICv4.1, so these run under a64sim only; the expected
 * output follows from the rules above (IHI 0069, GICv4.1; Linux's
 * its_vpe_4_1_deschedule()).
 */
#include "hyp.h"
#include "vm.h"
#include "vpe41_common.h"

#define DEVID          0u
#define EVENT          0u
#define DEV_EVENT_BITS 2u
#define VINTID         8192u
#define VSGI           1u
#define DOORBELL       8200u
#define VPRIO          0xa0
#define SGI_PRIO       0x80
#define PPI_DEVICE     26u /* the EL2 physical timer: the device's clock */
#define DEVICE_DELAY   1000u
#define HCR_TWI        (1ull << 13)
#define GUEST_POLL     100000u
#define HC_IPI         1

static struct hyp_vcpu vcpu;
static uint64_t guest_stack[1024] __attribute__((aligned(16)));
static uint8_t dev_itt[ITS_ITT_BYTES(DEV_EVENT_BITS)] ITS_ITT_ALIGNED;
static volatile unsigned guest_taken, guest_intid[4];
static unsigned doorbells, blocks;
static bool resident, pending_last;

/* ---- the guest (EL1) ---- */

static void guest_irq(struct exc_frame *f)
{
    unsigned intid = vm_irq_ack(f);
    if (intid == INTID_SPURIOUS)
        return;
    if (guest_taken < 4)
        guest_intid[guest_taken] = intid;
    guest_taken++;
    vm_eoi(intid);
}

static void guest_wait(unsigned n, bool wfi)
{
    while (guest_taken < n) {
        if (wfi)
            __asm__ volatile("wfi" ::: "memory");
        for (unsigned i = 0; i < GUEST_POLL && guest_taken < n; i++)
            __asm__ volatile("yield" ::: "memory");
    }
}

static void guest_main(uint64_t arg)
{
    (void)arg;
    vectors_install_el1(guest_irq);
    vm_gic_init();
    IRQ_ENABLE();
    printf("guest: an IPI to myself, please (vSGI %u)\n", VSGI);
    VM_HVC(1); /* HC_IPI */
    guest_wait(1, false);
    printf("guest: vINTID %u taken through ICC_IAR1_EL1 and EOIed\n", guest_intid[0]);
    printf("guest: WFI until vINTID %u (the device's event %u)\n", VINTID, EVENT);
    guest_wait(2, true);
    IRQ_DISABLE();
    printf("guest: woke up: vINTID %u taken through ICC_IAR1_EL1 and EOIed\n", guest_intid[1]);
    vm_done(guest_taken == 2 && guest_intid[0] == VSGI && guest_intid[1] == VINTID ? 0 : 1);
}

/* ---- the host (EL2) ---- */

static void ipi(struct hyp_vcpu *v, unsigned imm)
{
    (void)v;
    if (imm != HC_IPI) {
        printf("hyp: unknown hypercall %u\n", imm);
        return;
    }
    vsgi_send(0, VSGI);
    printf("hyp: vSGI %u of vPE 0 written to GITS_SGIR; ICH_LR0_EL2 stays empty\n", VSGI);
}

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

/* KVM's vgic_v4_doorbell_handler(): the vPE has something: pending_last, kick. */
static bool host_irq(struct hyp_vcpu *v, unsigned intid)
{
    bool kick = false;
    if (intid == PPI_DEVICE) {
        device_timer(v, intid);
    } else if (intid == DOORBELL) {
        doorbells++;
        pending_last = kick = true;
        printf("hyp: default doorbell LPI %u at EL2: vPE 0 has an interrupt pending: kick vCPU "
               "0\n",
               intid);
    } else {
        printf("hyp: physical INTID %u while blocked\n", intid);
    }
    host_eoi(intid);
    return kick;
}

static void show_vpend(const char *what, uint64_t v)
{
    printf("%s GICR_VPENDBASER.Valid %u DB %u PendingLast %u Dirty %u VPEID %u\n", what,
           (unsigned)(v >> 63), (unsigned)(v >> 62) & 1, (unsigned)(v >> 61) & 1,
           (unsigned)(v >> 60) & 1, (unsigned)(v & 0xffff));
}

static void handle_wfi(struct hyp_vcpu *v)
{
    blocks++;
    printf("hyp: guest WFI trapped (HCR_EL2.TWI)\n");
#ifdef NO_DB
    uint64_t vpend = vpe41_deschedule(0, false);
    show_vpend("hyp: kvm_arch_vcpu_blocking: vgic_v4_put(need_db = false) (the bug):", vpend);
#else
    uint64_t vpend = vpe41_deschedule(0, true);
    show_vpend("hyp: kvm_arch_vcpu_blocking: vgic_v4_put(need_db = true):", vpend);
#endif
    resident = false;
    pending_last = (vpend >> 61) & 1;
    device_arm();
    printf("hyp: the vCPU thread sleeps (WFI at EL2); the device's MSI is due meanwhile\n");
    while (!pending_last)
        while (!host_irq(v, host_wfi_ack()))
            ;
    vpend = vpe41_schedule(0, 0);
    resident = true;
    show_vpend("hyp: kvm_arch_vcpu_unblocking: vgic_v4_load:", vpend);
    v->ctx.elr += 4;
}

int main(void)
{
    hyp_init(&vcpu, guest_main, 0, guest_stack + 1024);
    vcpu.hypercall = ipi;
    MSR("hcr_el2", MRS("hcr_el2") | HCR_TWI);
    uint64_t vprop = vpe41_supported(0) ? vpe41_host_init(0) : 0;
    if (!(vprop & VPROP41_VALID)) {
        printf("hyp: no GICv4.1 here\n");
        guest_exit(1);
    }
    printf("hyp: GICv4.1: ID_AA64PFR0_EL1.GIC %u; GICR_VPROPBASER inherited from GITS_BASER2, "
           "Entry_Size %u doublewords\n",
           (unsigned)(MRS("id_aa64pfr0_el1") >> 24) & 0xf, (unsigned)((vprop >> 59) & 7) + 1);
    its_mapd(DEVID, dev_itt, DEV_EVENT_BITS, true);
    lpi_config(DOORBELL, 0x80, true);
    its_invdb(0); /* harmless before VMAPP: an error the ITS reports and skips */
    its_vmapp41(0, 0, DOORBELL);
    its_vmapti41(DEVID, EVENT, 0, VINTID);
    vlpi_config41(VINTID, VPRIO, true);
    its_vsgi(0, VSGI, SGI_PRIO, true, true);
    its_invdb(0);
    its_vsync41(0);
    hyp_irq_register(PPI_DEVICE, device_timer, false);
    printf("hyp: VMAPP vPE 0 (default doorbell LPI %u); VMAPTI DeviceID %u EventID %u -> "
           "vINTID %u (priority 0x%02x); VSGI %u priority 0x%02x Group 1 enabled\n",
           DOORBELL, DEVID, EVENT, VINTID, VPRIO, VSGI, SGI_PRIO);
    uint64_t v = vpe41_schedule(0, 0);
    resident = true;
    show_vpend("hyp: vcpu_load: vgic_v4_load:", v);
    uint64_t status = host_run_trapping_wfi(&vcpu, handle_wfi);
    vpe41_deschedule(0, false);
    printf("hyp: WFI blocks %u, doorbells %u, ICH_HCR_EL2.EOIcount %u, ITS commands stuck %u, "
           "Dirty stuck %u; guest status %u\n",
           blocks, doorbells, (unsigned)(vcpu.vgic.cpu.hcr >> 27), its.stuck, vpe_stuck,
           (unsigned)status);
    guest_exit(status == 0 && its.stuck == 0 && vpe_stuck == 0 ? 0 : 1);
}
