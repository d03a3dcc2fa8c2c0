/* Interrupt masking decisions (see pmr/pmr.h for the rule and its order).
 *
 * Architectural points this follows (IHI 0069, "Interrupt prioritization"):
 *
 * - Priority comparison is numeric, lower is higher. "Higher than PMR" is
 *   strict: an interrupt whose priority equals ICC_PMR_EL1 is masked.
 *
 * - Preemption compares the *group* priority of the pending interrupt with
 *   the running priority, which is itself the group priority of the highest
 *   active interrupt, and must be strictly higher. Subpriority never
 *   preempts. (QEMU also cuts the running priority by the pending group's
 *   binary point; that only differs when the two groups use different
 *   binary points, and the specification's wording is followed here.)
 *
 * - Binary point (single Security state, the PE seen as Non-secure as on
 *   QEMU's virt board without EL3): ICC_BPR0_EL1 = n puts the group
 *   priority in bits [7:n+1]; ICC_BPR1_EL1 = n puts it in bits [7:n], and
 *   its minimum is one more than BPR0's. With ICC_CTLR_EL1.CBPR = 1, Group 1
 *   uses BPR0 with BPR0's meaning. The minimum BPR0 is 7 minus the number of
 *   preemption bits, which equals the priority bits except that 8 priority
 *   bits give 7 preemption bits (bit 0 is then always subpriority). */
#include "pmr/pmr.h"

#include <assert.h>
#include <stdio.h>

unsigned pmr_preemption_bits(unsigned pri_bits)
{
    assert(pri_bits >= 4 && pri_bits <= 8);
    return pri_bits > 7 ? 7 : pri_bits;
}

unsigned pmr_min_bpr0(unsigned pri_bits)
{
    return 7 - pmr_preemption_bits(pri_bits);
}

unsigned pmr_min_bpr1(unsigned pri_bits)
{
    return pmr_min_bpr0(pri_bits) + 1;
}

uint8_t pmr_priority_mask(unsigned pri_bits)
{
    assert(pri_bits >= 4 && pri_bits <= 8);
    return (uint8_t)(0xffu << (8 - pri_bits));
}

static unsigned at_least(unsigned value, unsigned min)
{
    return value < min ? min : value;
}

uint8_t pmr_group_priority(const struct pmr_inputs *in)
{
    unsigned shift;

    if (!in->group1 || in->cbpr)
        shift = at_least(in->bpr0 & 7u, pmr_min_bpr0(in->pri_bits)) + 1;
    else
        shift = at_least(in->bpr1 & 7u, pmr_min_bpr1(in->pri_bits));
    return (uint8_t)(in->priority & (0xffu << shift));
}

enum pmr_gate pmr_decide(const struct pmr_inputs *in)
{
    if (!in->dist_grp_enabled)
        return PMR_GROUP_DISABLED_GLOBALLY;
    if (!in->cpu_grp_enabled)
        return PMR_GROUP_DISABLED_LOCALLY;
    if (in->priority >= in->pmr)
        return PMR_NOT_ABOVE_PMR;
    if (pmr_group_priority(in) >= in->running_priority)
        return PMR_NOT_ABOVE_RUNNING_PRIORITY;
    return PMR_SIGNAL;
}

enum pmr_gate pmr_decide_pe(const struct pmr_inputs *in, uint32_t daif)
{
    enum pmr_gate gate = pmr_decide(in);
    uint32_t mask = in->group1 ? PMR_DAIF_I : PMR_DAIF_F;

    if (gate != PMR_SIGNAL)
        return gate;
    return (daif & mask) ? PMR_MASKED_BY_PSTATE : PMR_SIGNAL;
}

/* The gates of a virtual interrupt, named by the ICH_* fields that hold them. */
static int virt_explain(enum pmr_gate gate, const struct pmr_inputs *in, char *buf, size_t size)
{
    unsigned grp = in->group1 ? 1 : 0;

    switch (gate) {
    case PMR_GROUP_DISABLED_GLOBALLY:
        return snprintf(buf, size, "virtual CPU interface disabled (ICH_HCR_EL2.En 0)");
    case PMR_GROUP_DISABLED_LOCALLY:
        return snprintf(buf, size, "virtual Group %u disabled (ICH_VMCR_EL2.VENG%u 0)", grp, grp);
    case PMR_NOT_ABOVE_PMR:
        return snprintf(buf, size, "priority not higher than VPMR 0x%02x", in->pmr);
    case PMR_NOT_ABOVE_RUNNING_PRIORITY:
        return snprintf(buf, size,
                        "group priority 0x%02x not higher than virtual running priority 0x%02x",
                        pmr_group_priority(in), in->running_priority);
    default: break;
    }
    assert(!"not a gate of the virtual interface's own");
    return snprintf(buf, size, "?");
}

int pmr_gate_explain(enum pmr_gate gate, const struct pmr_inputs *in, char *buf, size_t size)
{
    unsigned grp = in->group1 ? 1 : 0;

    if (in->virt && gate != PMR_SIGNAL && gate != PMR_MASKED_BY_PSTATE)
        return virt_explain(gate, in, buf, size);
    switch (gate) {
    case PMR_SIGNAL:
        return snprintf(buf, size, "signalled as %s%s", in->virt ? "v" : "",
                        in->group1 ? "IRQ" : "FIQ");
    case PMR_GROUP_DISABLED_GLOBALLY:
        return snprintf(buf, size, "Group %u disabled in the Distributor (GICD_CTLR.EnableGrp%u 0)",
                        grp, grp);
    case PMR_GROUP_DISABLED_LOCALLY:
        return snprintf(buf, size, "Group %u disabled at the CPU interface (ICC_IGRPEN%u_EL1 0)",
                        grp, grp);
    case PMR_NOT_ABOVE_PMR:
        return snprintf(buf, size, "priority not higher than PMR 0x%02x", in->pmr);
    case PMR_NOT_ABOVE_RUNNING_PRIORITY:
        return snprintf(buf, size, "group priority 0x%02x not higher than running priority 0x%02x",
                        pmr_group_priority(in), in->running_priority);
    case PMR_MASKED_BY_PSTATE:
        return snprintf(buf, size, "signalled as %s%s, masked by PSTATE.%s", in->virt ? "v" : "",
                        in->group1 ? "IRQ" : "FIQ", in->group1 ? "I" : "F");
    }
    assert(!"unknown pmr_gate");
    return snprintf(buf, size, "?");
}

const char *pmr_gate_name(enum pmr_gate gate)
{
    switch (gate) {
    case PMR_SIGNAL: return "signal";
    case PMR_GROUP_DISABLED_GLOBALLY: return "group-disabled-globally";
    case PMR_GROUP_DISABLED_LOCALLY: return "group-disabled-locally";
    case PMR_NOT_ABOVE_PMR: return "not-above-pmr";
    case PMR_NOT_ABOVE_RUNNING_PRIORITY: return "not-above-running-priority";
    case PMR_MASKED_BY_PSTATE: return "masked-by-pstate";
    }
    return "?";
}
