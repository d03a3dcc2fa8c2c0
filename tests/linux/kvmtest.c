/* A KVM user of the kind QEMU and kvmtool are, in miniature, for the Linux
 * boot tests (docs/linux.md): it creates a VM with one vCPU and an in-kernel
 * GICv3 (KVM_DEV_TYPE_ARM_VGIC_V3) and ITS, runs the guest of kvm_guest.S and
 * reports what it saw. The guest reaches the virtual CPU interface through
 * KVM's world switch on a64sim's ICH_* registers: an SGI it sends itself
 * (ICC_SGI1R_EL1, trapped and emulated by KVM), the virtual timer (PPI 27,
 * injected by KVM through a HW = 1 list register), a second SGI through a
 * list register KVM reused, then PSCI SYSTEM_OFF.
 *
 * The guest reports over MMIO writes to GUEST_REPORT, which KVM hands back
 * to this program as KVM_EXIT_MMIO: +0 the step reached, +4 the mask of
 * INTIDs taken, +8 each INTID acknowledged. The last line is "kvmtest:
 * RESULT PASS" when step 5 was reached with SGI 5, the timer and SGI 3. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

extern const char guest_start[], guest_end[];

#define GUEST_BASE   0x40000000ull
#define GUEST_SIZE   0x200000ull
#define GUEST_REPORT 0x0a000000ull
#define GUEST_GICD   0x08000000ull
#define GUEST_GICR   0x080a0000ull
#define GUEST_ITS    0x08080000ull
#define MAX_EXITS    200
#define CORE_REG(x)                                                                                \
    (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |                                         \
     (offsetof(struct kvm_regs, x) / sizeof(uint32_t)))

static void on_alarm(int sig)
{
    (void)sig; /* KVM_RUN returns with EINTR: the loop then stops */
}

static int check(int rc, const char *what)
{
    if (rc < 0)
        printf("kvmtest: %s failed: %s\n", what, strerror(errno));
    else
        printf("kvmtest: %s ok\n", what);
    return rc;
}

static int set_attr(int fd, uint32_t group, uint64_t attr, const void *value, const char *what)
{
    struct kvm_device_attr a = {.group = group, .attr = attr, .addr = (uint64_t)(uintptr_t)value};
    return check(ioctl(fd, KVM_SET_DEVICE_ATTR, &a), what);
}

int main(void)
{
    int kvm = check(open("/dev/kvm", O_RDWR), "open /dev/kvm");
    if (kvm < 0)
        return 1;
    int vm = check(ioctl(kvm, KVM_CREATE_VM, 0), "KVM_CREATE_VM");
    if (vm < 0)
        return 1;
    void *mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return 1;
    memcpy(mem, guest_start, (size_t)(guest_end - guest_start));
    struct kvm_userspace_memory_region region = {.slot = 0,
                                                 .guest_phys_addr = GUEST_BASE,
                                                 .memory_size = GUEST_SIZE,
                                                 .userspace_addr = (uint64_t)(uintptr_t)mem};
    if (check(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region), "KVM_SET_USER_MEMORY_REGION") < 0)
        return 1;
    int vcpu = check(ioctl(vm, KVM_CREATE_VCPU, 0), "KVM_CREATE_VCPU");
    struct kvm_vcpu_init init;
    if (vcpu < 0 ||
        check(ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init), "KVM_ARM_PREFERRED_TARGET") < 0)
        return 1;
    init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    if (check(ioctl(vcpu, KVM_ARM_VCPU_INIT, &init), "KVM_ARM_VCPU_INIT") < 0)
        return 1;
    struct kvm_create_device gic = {.type = KVM_DEV_TYPE_ARM_VGIC_V3};
    uint64_t dist = GUEST_GICD, redist = GUEST_GICR;
    if (check(ioctl(vm, KVM_CREATE_DEVICE, &gic), "KVM_CREATE_DEVICE(VGIC_V3)") < 0 ||
        set_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist,
                 "vgic distributor address") < 0 ||
        set_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist,
                 "vgic redistributor address") < 0 ||
        set_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL,
                 "vgic CTRL_INIT") < 0)
        return 1;
    /* An in-kernel ITS, as QEMU's virt board gives its guests: with GICv4
     * (kvm-arm.vgic_v4_enable=1) KVM then maps a vPE for the vCPU on the
     * host's ITS (VMAPP) and makes it resident on every vcpu_load and
     * non-resident, doorbell on, when the vCPU blocks in WFI. */
    struct kvm_create_device its = {.type = KVM_DEV_TYPE_ARM_VGIC_ITS};
    uint64_t its_base = GUEST_ITS;
    if (check(ioctl(vm, KVM_CREATE_DEVICE, &its), "KVM_CREATE_DEVICE(VGIC_ITS)") < 0 ||
        set_attr(its.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, &its_base,
                 "vITS address") < 0 ||
        set_attr(its.fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL,
                 "vITS CTRL_INIT") < 0)
        return 1;
    uint64_t pc = GUEST_BASE;
    struct kvm_one_reg reg = {.id = CORE_REG(regs.pc), .addr = (uint64_t)(uintptr_t)&pc};
    if (check(ioctl(vcpu, KVM_SET_ONE_REG, &reg), "set PC") < 0)
        return 1;
    int size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    struct kvm_run *run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED)
        return 1;
    struct sigaction sa = {.sa_handler = on_alarm};
    sigaction(SIGALRM, &sa, NULL);
    alarm(20);

    uint32_t step = 0, mask = 0;
    for (int i = 0; i < MAX_EXITS; i++) {
        if (ioctl(vcpu, KVM_RUN, 0) < 0) {
            printf("kvmtest: KVM_RUN failed: %s\n", strerror(errno));
            break;
        }
        if (run->exit_reason == KVM_EXIT_MMIO) {
            uint32_t v = 0;
            memcpy(&v, run->mmio.data, run->mmio.len < 4 ? run->mmio.len : 4);
            uint64_t off = run->mmio.phys_addr - GUEST_REPORT;
            if (off == 0)
                printf("kvmtest: guest step %u\n", step = v);
            else if (off == 4)
                printf("kvmtest: guest INTID mask 0x%08x\n", mask = v);
            else if (off == 8)
                printf("kvmtest: guest acknowledged INTID %u\n", v);
            else
                printf("kvmtest: unexpected MMIO at 0x%llx\n",
                       (unsigned long long)run->mmio.phys_addr);
            continue;
        }
        if (run->exit_reason == KVM_EXIT_SYSTEM_EVENT) {
            printf("kvmtest: system event %u (shutdown is %u)\n", run->system_event.type,
                   KVM_SYSTEM_EVENT_SHUTDOWN);
            break;
        }
        printf("kvmtest: unexpected exit reason %u\n", run->exit_reason);
        break;
    }
    bool ok = step == 5 && (mask & 1u << 5) && (mask & 1u << 27) && (mask & 1u << 3);
    printf("kvmtest: RESULT %s (step %u, INTID mask 0x%08x)\n", ok ? "PASS" : "FAIL", step, mask);
    return ok ? 0 : 1;
}
