/* `a64sim trace timeline FILE -o OUT.json`: the trace as Chrome/Perfetto
 * trace-event JSON (load it in ui.perfetto.dev or chrome://tracing).
 *
 * Tracks (docs/trace-format.md, "Timeline"):
 *   process "PEs", a thread per PE "peN": exception handler spans from entry
 *     to ERET, WFI/WFE sleep spans, PSCI calls as instants; counters
 *     "peN EL", "peN DAIF", "peN PMR", "peN lines", "peN timers"
 *   process "interrupts", a thread per INTID and PE "INTID n peN": spans
 *     "pending", "active", "active+pending"; priority drops as instants
 *   process "board", threads "uart" (output, a line per instant), "inputs"
 *     (external inputs) and "run" (the end of the run)
 * Time stamps are simulated time: one cycle is one nanosecond (1 GHz). */
#ifndef TRACES_TIMELINE_H
#define TRACES_TIMELINE_H

#include <stdio.h>

/* Convert the trace at PATH into OUT_PATH. Returns the exit code: 0, or 2
 * for bad input (a file cut short still gives the JSON of what it holds). */
int trace_timeline(const char *path, const char *out_path, FILE *err);

#endif
