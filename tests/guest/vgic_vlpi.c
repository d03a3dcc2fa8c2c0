/*
 * GICv4.0 direct injection: a device's MSI reaches the guest as a virtual
 * LPI with no list register and no injection by the hypervisor, and a vPE
 * that is not resident gets a doorbell (vpe_common.h has the model).
 *
 * The host maps what KVM would map for an assigned device whose guest driver
 * asked for MSIs: VMAPP vPE 0 to PE 0's redistributor, VMAPTI DeviceID 0
 * EventID 0 (a CPU's write to GITS_TRANSLATER carries DeviceID 0 on the
 * board) to vINTID 8192 of vPE 0 with doorbell LPI 8200, and VMAPI EventID
 * 8193 to vINTID 8193. The device's MSI is a write of the EventID to
 * GITS_TRANSLATER, made by the host when the guest asks for it with a
 * hypercall (the register write a real driver would do).
 *
 *  1. vPE resident (vcpu_load made it so): the MSI, sent during the
 *     hypercall's exit, leaves vLPI 8192 pending in the virtual CPU
 *     interface; the guest sees it in ICC_HPPIR1_EL1 (ICV_HPPIR1_EL1) with
 *     PSTATE.I set, takes it through ICC_IAR1_EL1 once unmasked and EOIs it.
 *     At the next exit every list register is still empty.
 *  2. vCPU preempted (vgic_v4_put(need_db = false), as kvm_vgic_put does):
 *     the MSI leaves the vLPI in the VPT and rings no doorbell (the doorbell
 *     LPI is disabled, so it is pending but not signalled); vgic_v4_load
 *     makes the vPE resident again and clears that doorbell, and the guest
 *     takes the vLPI on entry.
 *  3. vCPU descheduled with doorbells (vgic_v4_put(need_db = true), as
 *     kvm_arch_vcpu_blocking does): no stale doorbell fires when it is
 *     enabled; the MSI leaves the vLPI in the VPT and its doorbell, physical
 *     LPI 8200, is taken at EL2; the host loads the vPE and the guest takes
 *     the vLPI on entry.
 *  4. VMAPI's vINTID 8193, disabled in the VM's Configuration table: its MSI
 *     leaves the resident guest's ICC_HPPIR1_EL1 at 1023; enabled, then
 *     VINVALL, it is pending there and taken.
 *  5. VMOVI moves EventID 0 to vPE 1 (another vCPU's, not resident, doorbell
 *     LPI 8201): the MSI goes to vPE 1's VPT and rings 8201; CLEAR removes
 *     it from the VPT, and VMOVI moves the event back to vPE 0.
 *
 * Everything printed is fixed by the order of events: the host prints only
 * inside hypercalls, the guest only once it has seen what it waits for.
 */
#include "hyp.h"
#include "vm.h"
#include "vpe_common.h"

#define DEVID          0u
#define DEV_EVENT_BITS 14u /* VMAPI's EventID is its vINTID, 8192 or more */
#define EVENT          0u
#define VINTID         8192u
#define VMAPI_EVENT    8193u
#define DOORBELL       8200u
#define DOORBELL1      8201u
#define VPRIO          0xa0
#define VMAPI_PRIO     0x90
#define WAIT           1000000u

#define HC_MSI_RESIDENT 1 /* part 1: the device sends its MSI now */
#define HC_SHOW_LRS     2 /* the host prints the LRs it saved at this exit */
#define HC_PREEMPT      3 /* part 2 */
#define HC_BLOCK        4 /* part 3 */
#define HC_MSI_VMAPI    5 /* part 4 */
#define HC_VINVALL      6
#define HC_VMOVI        7 /* part 5 */

static struct hyp_vcpu vcpu;
static struct vpe vpe0, vpe1;
static uint64_t guest_stack[1024] __attribute__((aligned(16)));
static uint8_t dev_itt[ITS_ITT_BYTES(DEV_EVENT_BITS)] ITS_ITT_ALIGNED;
static volatile unsigned guest_taken, guest_intid;
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

static void guest_report(unsigned n)
{
    for (unsigned i = 0; i < WAIT && guest_taken < n; i++)
        __asm__ volatile("yield" ::: "memory");
    printf("guest: vINTID %u taken through ICC_IAR1_EL1 and EOIed (%u so far)\n", guest_intid,
           guest_taken);
}

/* ICC_HPPIR1_EL1 once it is WANT, or after long enough to say it will not be. */
static unsigned guest_hppir(unsigned want)
{
    for (unsigned i = 0; i < WAIT && vm_hppir() != want; i++)
        ;
    return vm_hppir();
}

static void guest_main(uint64_t arg)
{
    (void)arg;
    vectors_install_el1(guest_irq);
    vm_gic_init();

    printf("guest: part 1, vPE resident: PSTATE.I set, the device sends event %u\n", EVENT);
    VM_HVC(1); /* HC_MSI_RESIDENT */
    printf("guest: ICC_HPPIR1_EL1 %u: the vLPI is pending in the virtual CPU interface\n",
           guest_hppir(VINTID));
    IRQ_ENABLE();
    guest_report(1);
    VM_HVC(2); /* HC_SHOW_LRS */

    printf("guest: part 2, the vCPU is preempted and the device sends event %u meanwhile\n", EVENT);
    VM_HVC(3); /* HC_PREEMPT */
    guest_report(2);

    printf("guest: part 3, the vCPU is descheduled with doorbells and the device sends event %u\n",
           EVENT);
    VM_HVC(4); /* HC_BLOCK */
    guest_report(3);

    IRQ_DISABLE();
    printf("guest: part 4, PSTATE.I set: the device sends event %u (VMAPI, vINTID %u, disabled)\n",
           VMAPI_EVENT, VMAPI_EVENT);
    VM_HVC(5); /* HC_MSI_VMAPI */
    printf("guest: ICC_HPPIR1_EL1 %u\n", guest_hppir(VMAPI_EVENT));
    VM_HVC(6); /* HC_VINVALL */
    printf("guest: ICC_HPPIR1_EL1 %u\n", guest_hppir(VMAPI_EVENT));
    IRQ_ENABLE();
    guest_report(4);

    printf("guest: part 5, the host moves event %u to vPE 1 and back\n", EVENT);
    VM_HVC(7); /* HC_VMOVI */
    for (unsigned i = 0; i < WAIT && guest_taken == 4; i++)
        __asm__ volatile("yield" ::: "memory");
    IRQ_DISABLE();
    printf("guest: %u vLPIs taken in all\n", guest_taken);
    vm_done(guest_taken == 4 ? 0 : 1);
}

/* ---- the host (EL2) ---- */

static void device_msi(uint32_t event)
{
    printf("hyp: device: MSI, EventID %u written to GITS_TRANSLATER\n", event);
    its_msi(event);
}

static void show_put(const char *what, uint64_t v)
{
    printf("hyp: %s: doorbell LPI %u %s; GICR_VPENDBASER.Valid %u Dirty %u PendingLast %u\n", what,
           DOORBELL, vpe_doorbell_enabled(&vpe0) ? "enabled" : "disabled", (unsigned)(v >> 63),
           (unsigned)(v >> 60) & 1, (unsigned)(v >> 61) & 1);
}

/* vINTID's bit in the VPT of VPE (not resident) once it is WANT, or after long enough. */
static bool vpt_wait(const struct vpe *vpe, uint32_t vintid, bool want)
{
    for (unsigned i = 0; i < WAIT && vpt_pending(vpe, vintid) != want; i++)
        ;
    return vpt_pending(vpe, vintid);
}

static void vcpu_load(void)
{
    uint64_t v = vpe_load(0, &vpe0);
    printf("hyp: vgic_v4_load: vPE 0 resident on PE 0, GICR_VPENDBASER.Valid %u Dirty %u; "
           "ICC_HPPIR1_EL1 %u\n",
           (unsigned)(v >> 63), (unsigned)(v >> 60) & 1, host_hppir());
}

static void show_lrs(struct hyp_vcpu *v)
{
    unsigned used = 0;
    for (unsigned n = 0; n < v->vgic.nr_lr; n++)
        used += v->vgic.cpu.lr[n] != 0;
    printf("hyp: LRs saved at this exit: %u of %u in use, ICH_ELRSR_EL2 0x%x\n", used,
           v->vgic.nr_lr, v->vgic.cpu.elrsr);
    bad += used != 0;
}

static void part2_preempt(void)
{
    show_put("vcpu_put, vgic_v4_put(need_db = false)", vpe_put(0, false));
    device_msi(EVENT);
    bool in_vpt = vpt_wait(&vpe0, VINTID, true);
    printf("hyp: VPT bit of vINTID %u: %u; ICC_HPPIR1_EL1 %u: no doorbell\n", VINTID, in_vpt,
           host_hppir());
    bad += !in_vpt || host_hppir() != INTID_SPURIOUS;
    vcpu_load();
}

static void part3_block(void)
{
    show_put("vgic_v4_put(need_db = true)", vpe_put(0, true));
    printf("hyp: ICC_HPPIR1_EL1 %u before the MSI (no stale doorbell)\n", host_hppir());
    device_msi(EVENT);
    unsigned intid = host_wfi_ack();
    if (intid == DOORBELL)
        doorbells++;
    printf("hyp: physical LPI %u taken at EL2 (vPE 0's doorbell); VPT bit of vINTID %u: %u\n",
           intid, VINTID, vpt_pending(&vpe0, VINTID));
    host_eoi(intid);
    bad += intid != DOORBELL;
    vcpu_load();
}

static void part4_vinvall(void)
{
    vlpi_config(VMAPI_EVENT, VMAPI_PRIO, true);
    its_vinvall(0);
    its_vsync(0);
    printf("hyp: vINTID %u enabled in the VM's Configuration table, VINVALL vPE 0\n", VMAPI_EVENT);
}

static void part5_vmovi(void)
{
    its_vmovi(DEVID, EVENT, 1, true, DOORBELL1);
    its_vsync(1);
    printf("hyp: VMOVI DeviceID %u EventID %u -> vPE 1 (not resident), doorbell LPI %u\n", DEVID,
           EVENT, DOORBELL1);
    device_msi(EVENT);
    unsigned intid = host_wfi_ack();
    if (intid == DOORBELL1)
        doorbells++;
    bool in_vpt = vpt_wait(&vpe1, VINTID, true);
    printf("hyp: physical LPI %u taken at EL2 (vPE 1's doorbell); vPE 1's VPT bit of vINTID %u: "
           "%u\n",
           intid, VINTID, in_vpt);
    host_eoi(intid);
    bad += intid != DOORBELL1 || !in_vpt;
    its_clear(DEVID, EVENT);
    its_vsync(1);
    in_vpt = vpt_wait(&vpe1, VINTID, false);
    its_vmovi(DEVID, EVENT, 0, true, DOORBELL);
    its_vsync(0);
    printf("hyp: CLEAR DeviceID %u EventID %u: vPE 1's VPT bit %u; VMOVI back to vPE 0, doorbell "
           "LPI %u\n",
           DEVID, EVENT, in_vpt, DOORBELL);
    bad += in_vpt;
}

static void hypercall(struct hyp_vcpu *v, unsigned imm)
{
    switch (imm) {
    case HC_MSI_RESIDENT: device_msi(EVENT); break;
    case HC_SHOW_LRS: show_lrs(v); break;
    case HC_PREEMPT: part2_preempt(); break;
    case HC_BLOCK: part3_block(); break;
    case HC_MSI_VMAPI: device_msi(VMAPI_EVENT); break;
    case HC_VINVALL: part4_vinvall(); break;
    case HC_VMOVI: part5_vmovi(); break;
    default: printf("hyp: unknown hypercall %u\n", imm); bad++;
    }
}

int main(void)
{
    hyp_init(&vcpu, guest_main, 0, guest_stack + 1024);
    vcpu.vgic.log = true;
    vcpu.hypercall = hypercall;
    printf("hyp: GITS_TYPER.Virtual %u, GICR_TYPER.VLPIS %u, ICH_VTR_EL2.nV4 %u\n",
           (unsigned)(mmio_read(GITS_BASE + GITS_TYPER, 8) >> 1) & 1,
           (unsigned)(mmio_read(ITS_GICR_RD(0) + ITS_GICR_TYPER, 8) >> 1) & 1,
           (unsigned)(MRS(ICH_VTR_EL2) >> 20) & 1);
    if (!vpe_supported(0) || !vpe_host_init(0)) {
        printf("hyp: no GICv4 direct injection here\n");
        guest_exit(1);
    }
    its_mapd(DEVID, dev_itt, DEV_EVENT_BITS, true);
    vpe_create(&vpe0, 0, 0, DOORBELL);
    vpe_create(&vpe1, 1, 0, DOORBELL1);
    vpe_doorbells(&vpe1, true);
    its_vmapti(DEVID, EVENT, 0, VINTID, DOORBELL);
    its_vmapi(DEVID, VMAPI_EVENT, 0, DOORBELL);
    vlpi_config(VINTID, VPRIO, true);
    vlpi_config(VMAPI_EVENT, VMAPI_PRIO, false);
    its_inv(DEVID, EVENT);
    its_inv(DEVID, VMAPI_EVENT);
    its_vsync(0);
    printf("hyp: VMAPP vPE 0 and vPE 1 -> PE 0; VMAPTI DeviceID %u EventID %u -> vINTID %u of "
           "vPE 0 (priority 0x%02x), doorbell LPI %u; VMAPI EventID %u (priority 0x%02x, "
           "disabled)\n",
           DEVID, EVENT, VINTID, vlpi_priority(VINTID), DOORBELL, VMAPI_EVENT,
           vlpi_priority(VMAPI_EVENT));
    vcpu_load();
    uint64_t status = hyp_run(&vcpu);
    vpe_put(0, false);
    printf("hyp: doorbells taken %u, ITS commands stuck %u, Dirty stuck %u; guest status %u\n",
           doorbells, its.stuck, vpe_stuck, (unsigned)status);
    guest_exit(status == 0 && bad == 0 && its.stuck == 0 && vpe_stuck == 0 ? 0 : 1);
}
