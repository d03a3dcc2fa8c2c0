/* An interrupt output line: a level, driven by one device, observed by one
 * sink (the GIC input it is wired to, or nothing yet). Devices keep the last
 * level they drove and call irq_line_set only from their one recompute
 * function, so the sink sees a call per change of level. */
#ifndef SIM_IRQ_H
#define SIM_IRQ_H

#include <stdbool.h>

typedef void (*irq_sink_fn)(void *opaque, int line, bool level);

struct irq_line {
    irq_sink_fn sink; /* NULL: not wired (level is kept but goes nowhere) */
    void *opaque;
    int line;
    bool level;
};

/* Drive the line to LEVEL; tells the sink only when the level changes. */
static inline void irq_line_set(struct irq_line *l, bool level)
{
    if (l->level == level)
        return;
    l->level = level;
    if (l->sink)
        l->sink(l->opaque, l->line, level);
}

#endif
