/*
 * A physical level-sensitive interrupt assigned to the guest the way VFIO
 * (INTx) and KVM's irqfd with a resampler do it (seed thread 002):
 *
 *  1. the physical interrupt is taken at EL2. The host masks it at the
 *     physical GIC (VFIO's handler: disable_irq_nosync), deactivates it,
 *     and signals the eventfd: irqfd makes the vINTID pending with an ack
 *     notifier, so its list register asks for EOI maintenance;
 *  2. the guest handles the device, then EOIs: the LR's interrupt is
 *     deactivated, ICH_EISR_EL2 reports the LR and the maintenance
 *     interrupt fires; vgic_maintenance() frees the LR and calls the ack
 *     notifier, which is the resampler;
 *  3. the resampler samples the line: still high (the physical interrupt is
 *     pending again at the GIC, which it is while the level is asserted)
 *     means the guest has more to do, so the vINTID is injected again and
 *     the physical interrupt stays masked (VFIO re-sends rather than unmask
 *     a pending interrupt); low means it is unmasked, and the next assertion
 *     starts again at 1.
 *
 * If the guest clears the vINTID's pending state instead (GICD_ICPENDR),
 * step 2 never happens: see vgic.h, icpendr_completes.
 *
 * One assigned interrupt per image (the scenarios need no more).
 */
#ifndef HYP_IRQFD_H
#define HYP_IRQFD_H

#include "hyp.h"

struct irqfd_stats {
    unsigned physical;      /* physical interrupts taken (each masks the interrupt) */
    unsigned injected;      /* vINTID made pending: by a physical interrupt or a resample */
    unsigned acks;          /* ack notifier calls */
    unsigned resample_high; /* ... that found the line high: injected again */
    unsigned resample_low;  /* ... that found it low: unmasked */
};

extern volatile struct irqfd_stats irqfd_stats;

/* Assign physical PINTID (level-sensitive) to the guest as VINTID. */
void irqfd_assign(struct hyp_vcpu *v, unsigned pintid, unsigned vintid);

#endif
