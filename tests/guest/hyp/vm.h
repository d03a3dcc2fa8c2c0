/*
 * The guest side of the reference hypervisor (hyp.h): what the EL1 guest
 * calls. It programs the GIC exactly as a kernel on bare hardware would:
 * the CPU interface with the ICC_* system registers (HCR_EL2.IMO/FMO make
 * them reach ICV_*, the virtual CPU interface), the distributor and its
 * redistributor by MMIO (stage 2 leaves those pages unmapped, so each access
 * traps and the hypervisor emulates it). Nothing here knows it is virtual
 * except vm_done(), a hypercall.
 */
#ifndef HYP_VM_H
#define HYP_VM_H

#include <stdbool.h>
#include <stdint.h>

/* Distributor: ARE and Group 1 on; redistributor awake; CPU interface: PMR 0xf0, BPR1 0,
 * EOImode 0, Group 1 on. */
void vm_gic_init(void);

/* INTID: Group 1, PRIORITY, level-sensitive or EDGE, routed to this PE, enabled. */
void vm_irq_setup(unsigned intid, uint8_t priority, bool edge);

/* GICD_ICPENDR (SPIs) or GICR_ICPENDR0 (SGIs, PPIs): clear INTID's pending state. */
void vm_irq_clear_pending(unsigned intid);

/* ICC_IAR1_EL1: acknowledge; the INTID, 1023 if none. */
unsigned vm_ack(void);

/* In the guest's exception handler: the frame must be an IRQ taken from
 * EL1h (anything else is reported and ends the run with status 2); then
 * vm_ack(). */
struct exc_frame;
unsigned vm_irq_ack(const struct exc_frame *f);

/* ICC_EOIR1_EL1: priority drop and (EOImode 0) deactivation. */
void vm_eoi(unsigned intid);

/* ICC_HPPIR1_EL1: the highest priority pending Group 1 INTID, 1023 if none. */
unsigned vm_hppir(void);

/* End the run: hypercall HYP_HC_DONE with STATUS; the host returns from hyp_run(). */
_Noreturn void vm_done(uint64_t status);

/* A hypercall to the host's hyp_vcpu.hypercall with immediate IMM (a constant). */
#define VM_HVC(imm) __asm__ volatile("hvc #" #imm ::: "memory")

#endif
