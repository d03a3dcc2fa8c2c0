/* Interrupt state transitions, reported to gic_config.transition (the
 * trace's irq-state records).
 *
 * Pending, cleared, active and deactivated are found by comparing an
 * interrupt's state before and after a change (gic_note_change), so every
 * way a state can change (a register write, an input, a reset) reports
 * the same way without knowing the others. Acknowledge and priority drop
 * are not visible in that comparison (an acknowledged level-sensitive
 * interrupt can stay pending; a drop changes the CPU interface, not the
 * interrupt), so the CPU interface reports them itself (gic_report).
 *
 * With no callback neither is called (gic_internal.h tests first): the
 * cost of the feature when not tracing is that test and the snapshot the
 * callers take before a change, a few loads. */
#include <assert.h>

#include "gic/gic_internal.h"

/* For an SPI nobody's CPU interface touched, the PE it is routed to. */
static unsigned report_pe(struct gic *g, unsigned pe, unsigned intid)
{
    int target;

    if (pe != GIC_NO_PE || intid < GIC_SPI_BASE)
        return pe;
    target = gic_spi_target(g, intid);
    return target < 0 ? GIC_NO_PE : (unsigned)target;
}

void gic_report_traced(struct gic *g, unsigned pe, unsigned intid, enum gic_transition t)
{
    const struct gic_irq *irq;

    assert(g->cfg.transition);
    assert(pe < g->cfg.num_pes || intid >= GIC_SPI_BASE);
    if (gic_is_lpi(g, intid)) { /* an LPI's priority is its redistributor's */
        assert(pe < g->cfg.num_pes);
        g->cfg.transition(g->cfg.opaque, pe, intid, t, gic_lpi_priority(g, pe, intid));
        return;
    }
    irq = gic_irq(g, pe == GIC_NO_PE ? 0 : pe, intid);
    assert(irq != NULL);
    g->cfg.transition(g->cfg.opaque, report_pe(g, pe, intid), intid, t, irq->priority);
}

/* When both change (only a reset does that), pending is reported first:
 * a fixed order keeps traces identical from run to run. */
void gic_note_change_traced(struct gic *g, unsigned pe, unsigned intid, struct gic_irq_snap before)
{
    const struct gic_irq *irq = gic_irq(g, pe == GIC_NO_PE ? 0 : pe, intid);
    struct gic_irq_snap now;

    assert(irq != NULL);
    now = gic_irq_snap(irq);
    if (now.pending != before.pending)
        gic_report(g, pe, intid, now.pending ? GIC_TR_PENDING : GIC_TR_CLEARED);
    if (now.active != before.active)
        gic_report(g, pe, intid, now.active ? GIC_TR_ACTIVE : GIC_TR_DEACTIVATED);
}
