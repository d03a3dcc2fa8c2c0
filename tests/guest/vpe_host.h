/* What the EL2 hosts of the GICv4 guests (vpe_common.h, vpe41_common.h) do
 * with their own physical interrupts: take them by polling with PSTATE.I
 * set, as a host that "sleeps" in WFI at EL2 does, and the device clock
 * whose expiry sends a guest's MSI (the EL2 physical timer, PPI 26). */
#ifndef VPE_HOST_H
#define VPE_HOST_H

#include "gic_common.h"
#include "hyp.h"

/* ---- the host's physical interrupts, taken by polling with PSTATE.I set ---- */

/* ICC_IAR1_EL1: acknowledge the highest priority pending Group 1 interrupt (1023: none). */
static inline unsigned host_ack(void)
{
    return (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
}

/* ICC_HPPIR1_EL1: the highest priority pending Group 1 interrupt, 1023 if none. */
static inline unsigned host_hppir(void)
{
    return (unsigned)MRS(ICC_HPPIR1_EL1) & 0xffffff;
}

/* End an interrupt the host acknowledged, with ICC_CTLR_EL1.EOImode 1 (hyp.c): priority
 * drop, then deactivation, except for an LPI, which has no active state (Linux leaves
 * ICC_DIR_EL1 out for LPIs as well). */
static inline void host_eoi(unsigned intid)
{
    MSR(ICC_EOIR1_EL1, intid);
    if (intid < LPI_BASE)
        MSR(ICC_DIR_EL1, intid);
}

/* Sleep until a physical interrupt is pending for the PE and acknowledge it. WFI wakes
 * for a pending interrupt whatever PSTATE.I (Arm ARM, "Wait for Interrupt"); with PSTATE.I
 * set it is not taken, so the caller handles it in order, like Linux's idle loop. */
static inline unsigned host_wfi_ack(void)
{
    for (;;) {
        __asm__ volatile("dsb sy\n\twfi" ::: "memory");
        unsigned intid = host_ack();
        if (intid != INTID_SPURIOUS)
            return intid;
    }
}

/* The device's clock: the EL2 physical timer, due DELAY ticks from now; and stopped. */
static inline void host_device_arm(uint64_t delay)
{
    uint64_t now;
    __asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(now)::"memory");
    __asm__ volatile("msr cnthp_cval_el2, %0\n\tmsr cnthp_ctl_el2, %1\n\tisb" ::"r"(now + delay),
                     "r"(1ull)
                     : "memory");
}

/* Run vCPU V to its end: a trapped WFI (HCR_EL2.TWI; ESR EC 0x01, TI 0) goes to ON_WFI, a
 * physical LPI that interrupts the guest is reported and ended, every other exit is the
 * reference hypervisor's (hyp_handle_exit). Returns the guest's status. */
static inline uint64_t host_run_trapping_wfi(struct hyp_vcpu *v, void (*on_wfi)(struct hyp_vcpu *))
{
    while (!v->done) {
        vgic_flush(v);
        hyp_vcpu_enter(v);
        if (v->exit.type == HYP_EXIT_SYNC && (v->exit.esr >> 26) == 0x01 && !(v->exit.esr & 1)) {
            on_wfi(v);
            continue;
        }
        if (v->exit.type == HYP_EXIT_IRQ && v->exit.intid >= LPI_BASE) {
            printf("hyp: physical LPI %u while the guest ran\n", v->exit.intid);
            host_eoi(v->exit.intid);
            continue;
        }
        hyp_handle_exit(v);
    }
    return v->done_status;
}

static inline void host_device_stop(void)
{
    __asm__ volatile("msr cnthp_ctl_el2, xzr\n\tisb" ::: "memory");
}

#endif
