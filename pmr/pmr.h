/* The one place that decides whether a GIC CPU interface signals an
 * interrupt to its PE (IHI 0069, "Interrupt prioritization" and
 * "Preemption"), and, for explanations, whether the PE would then take it.
 *
 * A pending, enabled interrupt is signalled when all of these hold, checked
 * in this order (the first that fails is the gate reported):
 *   1. its group is enabled in the Distributor (GICD_CTLR.EnableGrp0/1);
 *   2. its group is enabled at the CPU interface (ICC_IGRPEN0/1_EL1);
 *   3. its priority is higher (numerically lower) than ICC_PMR_EL1;
 *   4. its group priority (the priority cut by the binary point of its
 *      group) is higher than the running priority (ICC_RPR_EL1).
 * Group 0 is signalled as FIQ, Group 1 as IRQ (GICD_CTLR.DS = 1). The PE
 * then still applies PSTATE.F / PSTATE.I: pmr_decide_pe adds that gate.
 *
 * The module is pure: no state, no GIC types, so the virtual CPU interface
 * can use it too. The truth table is in docs/gic.md. */
#ifndef PMR_PMR_H
#define PMR_PMR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Why an interrupt is, or is not, signalled (or taken). */
enum pmr_gate {
    PMR_SIGNAL,                     /* signalled (and, from pmr_decide_pe, taken) */
    PMR_GROUP_DISABLED_GLOBALLY,    /* GICD_CTLR.EnableGrpN = 0 */
    PMR_GROUP_DISABLED_LOCALLY,     /* ICC_IGRPENn_EL1.Enable = 0 */
    PMR_NOT_ABOVE_PMR,              /* priority >= ICC_PMR_EL1 */
    PMR_NOT_ABOVE_RUNNING_PRIORITY, /* group priority >= ICC_RPR_EL1 */
    PMR_MASKED_BY_PSTATE,           /* signalled, but PSTATE.I (IRQ) or .F (FIQ) is set */
};

/* Everything the decision depends on, as the registers hold it. */
struct pmr_inputs {
    uint8_t priority;         /* the interrupt's priority (GICD/GICR_IPRIORITYR) */
    bool group1;              /* Group 1 (IRQ) rather than Group 0 (FIQ) */
    bool dist_grp_enabled;    /* GICD_CTLR.EnableGrp0/1 for its group */
    bool cpu_grp_enabled;     /* ICC_IGRPEN0/1_EL1.Enable for its group */
    uint8_t pmr;              /* ICC_PMR_EL1 */
    uint8_t running_priority; /* ICC_RPR_EL1 (0xff: nothing active) */
    uint8_t bpr0, bpr1;       /* ICC_BPR0/1_EL1.BinaryPoint (below the minimum reads as it) */
    bool cbpr;                /* ICC_CTLR_EL1.CBPR: BPR0 serves Group 1 too */
    unsigned pri_bits;        /* implemented priority bits, 4..8 */
    /* A virtual interrupt (a list register), for the wording of
     * pmr_gate_explain only: the Distributor's group enable is then
     * ICH_HCR_EL2.En, the CPU interface's ICH_VMCR_EL2.VENGn, PMR the VPMR
     * and the running priority the virtual one. */
    bool virt;
};

/* PSTATE.DAIF bits as the DAIF register holds them (bits 9:6). */
#define PMR_DAIF_I (1u << 7)
#define PMR_DAIF_F (1u << 6)

/* Number of preemption (group priority) bits: pri_bits, at most 7. */
unsigned pmr_preemption_bits(unsigned pri_bits);

/* Minimum ICC_BPR0_EL1 value (7 - preemption bits); BPR1's is one more. */
unsigned pmr_min_bpr0(unsigned pri_bits);
unsigned pmr_min_bpr1(unsigned pri_bits);

/* Mask of the implemented priority bits (the top pri_bits of a byte). */
uint8_t pmr_priority_mask(unsigned pri_bits);

/* The group priority of IN->priority: the bits above the binary point of
 * its group (BPR0: bits [7:BPR0+1]; BPR1: bits [7:BPR1]; CBPR = 1: BPR0 for
 * both groups). */
uint8_t pmr_group_priority(const struct pmr_inputs *in);

/* Whether the CPU interface signals the interrupt: PMR_SIGNAL or the first
 * gate (in the order above) that stops it. */
enum pmr_gate pmr_decide(const struct pmr_inputs *in);

/* pmr_decide, then the PE's own mask: PMR_MASKED_BY_PSTATE when the
 * interrupt is signalled but DAIF has I (Group 1) or F (Group 0) set. */
enum pmr_gate pmr_decide_pe(const struct pmr_inputs *in, uint32_t daif);

/* The reason GATE gives for the interrupt described by IN, worded to follow
 * "INTID 27 prio 0xa0 pending, not signalled: ", e.g. "priority not higher
 * than PMR 0x60"; snprintf semantics (returns the length it needed). */
int pmr_gate_explain(enum pmr_gate gate, const struct pmr_inputs *in, char *buf, size_t size);

/* Short name of GATE ("not-above-pmr", ...), for traces and tests. */
const char *pmr_gate_name(enum pmr_gate gate);

#endif
