/* An assigned level-sensitive interrupt with a resampler (the model: irqfd.h). */
#include "irqfd.h"

#include "printf.h"

volatile struct irqfd_stats irqfd_stats;

static unsigned assigned_pintid, assigned_vintid;

/* The physical register that holds the interrupt's bit, by name, for the log. */
static void print_reg(const char *name, unsigned intid)
{
    if (intid < 32)
        printf("GICR_%s0", name);
    else
        printf("GICD_%s%u", name, intid / 32);
}

static void resample(struct hyp_vcpu *v, unsigned vintid)
{
    irqfd_stats.acks++;
    if (hyp_irq_pending(assigned_pintid)) {
        irqfd_stats.resample_high++;
        irqfd_stats.injected++;
        vgic_inject(v, vintid, resample);
        printf("hyp: resampler: physical INTID %u still pending (line high): vINTID %u "
               "injected again, the physical interrupt stays masked\n",
               assigned_pintid, vintid);
        return;
    }
    irqfd_stats.resample_low++;
    hyp_irq_unmask(assigned_pintid);
    printf("hyp: resampler: physical INTID %u not pending (line low): unmasked (", assigned_pintid);
    print_reg("ISENABLER", assigned_pintid);
    printf(")\n");
}

static enum hyp_irq_ret physical(struct hyp_vcpu *v, unsigned intid)
{
    irqfd_stats.physical++;
    irqfd_stats.injected++;
    hyp_irq_mask(intid);
    vgic_inject(v, assigned_vintid, resample);
    printf("hyp: physical INTID %u at EL2: masked (", intid);
    print_reg("ICENABLER", intid);
    printf("), deactivated; irqfd injects vINTID %u with an ack notifier\n", assigned_vintid);
    return HYP_IRQ_DEACTIVATE;
}

void irqfd_assign(struct hyp_vcpu *v, unsigned pintid, unsigned vintid)
{
    (void)v;
    assigned_pintid = pintid;
    assigned_vintid = vintid;
    hyp_irq_register(pintid, physical, false);
}
