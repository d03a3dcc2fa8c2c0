/*
 * A reference hypervisor for a64sim guests: an EL2 program that runs one
 * EL1 guest on the GICv3 virtual CPU interface the way KVM/arm64 does.
 * Copy it; every piece is small and named as the Arm ARM and the GIC
 * specification (IHI 0069) name things.
 *
 * The image is one ELF (tests/guest/guest.mk links the tests/guest/hyp sources into
 * every guest named vgic_*). It starts at EL2 (a64sim --el 2, QEMU virt
 * with virtualization=on); main() is the host, and the guest is a function
 * of the same image that runs at EL1 with its own stage 1 off.
 *
 * Memory: stage 2 (VTCR_EL2 4K granule, 32-bit IPA) maps guest RAM
 * (0x4000_0000, 128 MiB) and the PL011 page one to one. Nothing else: the
 * GIC's distributor and redistributor pages are holes, so every guest access
 * to them is a stage 2 data abort that the host decodes from ESR_EL2 (ISV,
 * SAS, SSE, SRT, SF, WnR) and HPFAR_EL2 and hands to the emulated
 * distributor (vgic.c).
 *
 * Interrupts: HCR_EL2 = VM | IMO | FMO | RW. IMO and FMO do two things:
 * physical IRQs and FIQs taken while the guest runs go to EL2, and the
 * guest's ICC_* accesses reach the virtual CPU interface (ICV_*), whose
 * state is ICH_VMCR_EL2, the active priority registers and the list
 * registers. The host uses the physical interface itself (ICC_* at EL2)
 * with ICC_CTLR_EL1.EOImode = 1, like Linux at EL2: ICC_EOIR1_EL1 drops the
 * priority, ICC_DIR_EL1 deactivates, so an interrupt can be handed to the
 * guest still active (a hardware-mapped LR: the guest's deactivation
 * deactivates it).
 *
 * The run loop (hyp_run(), or a scenario's own loop around the same
 * calls):
 *
 *   vgic_flush()        software-pending vINTIDs into free list registers
 *   hyp_vcpu_enter()    world switch in: restore the vGIC, ERET to the guest
 *     ... the guest runs until an exception is taken to EL2 ...
 *                       world switch out, in the EL2 vector: for an IRQ,
 *                       acknowledge the physical interrupt while the vGIC
 *                       still drives the maintenance interrupt; save the
 *                       guest's registers; save the vGIC (vgic_save:
 *                       ICH_MISR/EISR/ELRSR_EL2 snapshot, ICH_HCR_EL2.En off,
 *                       LRs, VMCR, APRs)
 *   hyp_handle_exit()   an IRQ: the physical interrupt's handler (INTID 25,
 *                       the maintenance interrupt: vgic_maintenance()), then
 *                       EOI; a data abort: MMIO emulation; an HVC: a
 *                       hypercall (HYP_HC_DONE ends the run)
 *
 * The world switch keeps the guest's X0-X30, ELR and SPSR in the vCPU; its
 * EL1 system registers (VBAR, SCTLR, SP_EL1, ELR/SPSR_EL1) stay in the PE,
 * since the host never uses EL1. The entry is lower_call() (runtime
 * vectors.h) into a short trampoline that loads the guest's registers
 * and ERETs; the exit is lower_return(), so hyp_vcpu_enter() returns like a
 * function call at the end of every exit.
 *
 * Scope: one vCPU on PE 0, vINTIDs 0-63, Group 1 only, no LPIs, and no
 * isolation: the guest is part of the host's image and stage 2 maps all of
 * RAM, the host's own data (its stage 2 tables included) too.
 */
#ifndef HYP_HYP_H
#define HYP_HYP_H

#include <stdbool.h>
#include <stdint.h>

#include "vectors.h"
#include "vgic.h"

#define HYP_RAM_BASE  0x40000000ull
#define HYP_RAM_SIZE  0x08000000ull
#define HYP_UART_BASE 0x09000000ull

/* Hypercalls (HVC #imm from the guest). The scenario handles the others (hyp_vcpu.hypercall). */
#define HYP_HC_DONE 0xfff /* end the run; X0 is the guest's status */

/* Why the guest stopped: the vector's type within its group. */
enum hyp_exit_type {
    HYP_EXIT_SYNC = VEC_SYNC,
    HYP_EXIT_IRQ = VEC_IRQ,
    HYP_EXIT_FIQ = VEC_FIQ,
    HYP_EXIT_SERROR = VEC_SERROR,
};

struct hyp_exit {
    enum hyp_exit_type type;
    uint64_t esr, far, hpfar; /* SYNC: ESR_EL2, FAR_EL2, HPFAR_EL2 at the exception */
    uint32_t intid;           /* IRQ: the INTID ICC_IAR1_EL1 returned (1023: spurious) */
};

/* What a physical interrupt's handler leaves for the host to do after it. */
enum hyp_irq_ret {
    HYP_IRQ_DEACTIVATE,  /* ICC_EOIR1_EL1 then ICC_DIR_EL1 */
    HYP_IRQ_KEEP_ACTIVE, /* ICC_EOIR1_EL1 only: a hardware-mapped LR owns the deactivation */
};

typedef enum hyp_irq_ret (*hyp_irq_fn)(struct hyp_vcpu *v, unsigned intid);
/* A hypercall other than HYP_HC_DONE: X0-X30 of the guest are in v->ctx.x. */
typedef void (*hyp_hypercall_fn)(struct hyp_vcpu *v, unsigned imm);

struct hyp_stats {
    unsigned exits, irq_exits, mmio_exits, hvc_exits;
    unsigned spurious; /* IRQ exits whose acknowledge returned 1023 */
};

struct hyp_vcpu {
    struct exc_frame ctx; /* the guest's X0-X30, PC (elr) and PSTATE (spsr) */
    struct hyp_exit exit;
    struct vgic vgic;
    struct hyp_stats stats;
    hyp_hypercall_fn hypercall;
    uint64_t done_status;
    bool done;
};

/* Set up EL2 for V: the EL2 vectors, stage 2, HCR_EL2, the physical GIC for the host (PPI 25
 * enabled, PMR 0xf0, EOImode 1), the vGIC, and the guest's first PC: FN(ARG) at EL1h with
 * DAIF masked, on the stack that ends at STACK_TOP. */
void hyp_init(struct hyp_vcpu *v, void (*fn)(uint64_t), uint64_t arg, void *stack_top);

/* Run the guest until it calls HYP_HC_DONE; returns its status. */
uint64_t hyp_run(struct hyp_vcpu *v);

/* World switch: run the guest until its next exit (v->exit says which), vGIC saved. */
void hyp_vcpu_enter(struct hyp_vcpu *v);

/* Handle v->exit: the physical interrupt's handler and EOI, MMIO emulation, a hypercall. */
void hyp_handle_exit(struct hyp_vcpu *v);

/* Handle physical INTID with FN (INTID 0-63). The group, priority 0x80, trigger and the
 * routing to PE 0 are set at the physical GIC and the interrupt is enabled. */
void hyp_irq_register(unsigned intid, hyp_irq_fn fn, bool edge);

/* Physical GIC: is INTID pending / enabled / active (GICR for 0-31, GICD above)? */
bool hyp_irq_pending(unsigned intid);
bool hyp_irq_enabled(unsigned intid);
bool hyp_irq_active(unsigned intid);

/* Physical GIC: enable or disable INTID (GIC[DR]_ISENABLER / ICENABLER). */
void hyp_irq_unmask(unsigned intid);
void hyp_irq_mask(unsigned intid);

/* The vCPU exits are delivered to (there is one). */
extern struct hyp_vcpu *hyp_current;

#endif
