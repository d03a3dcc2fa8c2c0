/*
 * Seed thread 004, Marc's answer to "does KVM require [the vGIC] to be
 * resident in hardware while the vCPU is loaded but not running?": no, "it is
 * when you start running the vcpu without the GICv4 context loaded that ugly
 * stuff happens (get a doorbell that tells you to schedule the currently
 * running vcpu, for example)".
 *
 * The host here enters vCPU 0 without vgic_v4_load(): vPE 0 is mapped
 * (VMAPP, VMAPTI DeviceID 0 EventID 0 -> vINTID 8192, doorbell LPI 8200) but
 * not resident, with its doorbell on, as a put with need_db leaves it. The
 * guest asks its device for an interrupt (a hypercall; the host writes the
 * MSI, EventID 0 to GITS_TRANSLATER) and waits in WFI (HCR_EL2.TWI clear).
 * The vLPI goes to the VPT, the redistributor rings the doorbell, and the
 * doorbell, a physical LPI, makes the running vCPU exit to EL2: the host is
 * told to wake the vCPU it is running. Nothing else would ever deliver the
 * vLPI (no list register holds it, and a vPE that is not resident gets
 * nothing from the virtual CPU interface), so after printing that the host
 * does what vcpu_load should have done, vgic_v4_load(), and the guest takes
 * vINTID 8192 when it is entered again.
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
#define WAIT           1000000u
#define GUEST_POLL     100000u

#define HC_DEVICE 1 /* the guest's driver tells its device to send its interrupt */

enum vcpu_mode { OUTSIDE_GUEST_MODE, IN_GUEST_MODE };

static struct hyp_vcpu vcpu;
static struct vpe vpe0;
static uint64_t guest_stack[1024] __attribute__((aligned(16)));
static uint8_t dev_itt[ITS_ITT_BYTES(DEV_EVENT_BITS)] ITS_ITT_ALIGNED;
static volatile unsigned guest_taken, guest_intid;
static enum vcpu_mode mode;
static struct hyp_vcpu *running_vcpu; /* kvm_get_running_vcpu() */
static unsigned doorbells, bad;

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
    printf("guest: my device sends event %u; WFI until vINTID %u\n", EVENT, VINTID);
    IRQ_ENABLE();
    VM_HVC(1); /* HC_DEVICE */
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

static void device_msi(struct hyp_vcpu *v, unsigned imm)
{
    (void)v;
    if (imm != HC_DEVICE) {
        printf("hyp: unknown hypercall %u\n", imm);
        bad++;
        return;
    }
    printf("hyp: device: MSI, EventID %u written to GITS_TRANSLATER\n", EVENT);
    its_msi(EVENT);
    bool in_vpt = false;
    for (unsigned i = 0; i < WAIT && !in_vpt; i++)
        in_vpt = vpt_pending(&vpe0, VINTID);
    for (unsigned i = 0; i < WAIT && host_hppir() != DOORBELL; i++)
        ;
    printf("hyp: vPE 0 not resident: VPT bit of vINTID %u %u, ICC_HPPIR1_EL1 %u (its doorbell)\n",
           VINTID, in_vpt, host_hppir());
    bad += !in_vpt;
}

/* The doorbell, taken as an IRQ exit of the guest. */
static void doorbell(struct hyp_vcpu *v, unsigned intid)
{
    doorbells++;
    printf("hyp: doorbell LPI %u at EL2 (an IRQ exit of the guest): vPE 0, that is vCPU 0, has a "
           "vLPI pending: wake vCPU 0\n",
           intid);
    printf("hyp:   vCPU 0 is the vCPU this PE is running (%s when the doorbell came): its vPE was "
           "never made resident\n",
           running_vcpu == v && mode == IN_GUEST_MODE ? "IN_GUEST_MODE" : "not in the guest");
    host_eoi(intid);
    uint64_t vpend = vpe_load(0, &vpe0);
    printf("hyp: vgic_v4_load, late: vPE 0 resident, GICR_VPENDBASER.Valid %u Dirty %u\n",
           (unsigned)(vpend >> 63), (unsigned)(vpend >> 60) & 1);
}

static uint64_t run(struct hyp_vcpu *v)
{
    running_vcpu = v; /* vcpu_load(), without vgic_v4_load() */
    while (!v->done) {
        vgic_flush(v);
        mode = IN_GUEST_MODE;
        hyp_vcpu_enter(v);
        if (v->exit.type == HYP_EXIT_IRQ && v->exit.intid >= LPI_BASE) {
            if (v->exit.intid == DOORBELL)
                doorbell(v, v->exit.intid);
            else
                host_eoi(v->exit.intid);
            mode = OUTSIDE_GUEST_MODE;
            continue;
        }
        mode = OUTSIDE_GUEST_MODE;
        hyp_handle_exit(v);
    }
    running_vcpu = 0;
    return v->done_status;
}

int main(void)
{
    hyp_init(&vcpu, guest_main, 0, guest_stack + 1024);
    vcpu.vgic.log = true;
    vcpu.hypercall = device_msi;
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
    vpe_doorbells(&vpe0, true);
    printf("hyp: VMAPTI DeviceID %u EventID %u -> vINTID %u (priority 0x%02x) of vPE 0, doorbell "
           "LPI %u %s\n",
           DEVID, EVENT, VINTID, vlpi_priority(VINTID), DOORBELL,
           vpe_doorbell_enabled(&vpe0) ? "enabled" : "disabled");
    printf("hyp: vcpu_load without vgic_v4_load: vCPU 0 runs, vPE 0 not resident "
           "(GICR_VPENDBASER.Valid %u)\n",
           (unsigned)(mmio_read(GICR_VLPI(0) + GICR_VPENDBASER, 8) >> 63));
    uint64_t status = run(&vcpu);
    vpe_put(0, false);
    printf("hyp: doorbells %u, ITS commands stuck %u, Dirty stuck %u; guest status %u\n", doorbells,
           its.stuck, vpe_stuck, (unsigned)status);
    guest_exit(status == 0 && bad == 0 && its.stuck == 0 && vpe_stuck == 0 ? 0 : 1);
}
