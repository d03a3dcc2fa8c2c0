/* `a64sim trace stats FILE`: what a trace holds, in numbers. */
#ifndef TRACES_STATS_H
#define TRACES_STATS_H

#include <stdio.h>

/* Print records per kind and per PE, the cycles spanned, and per INTID the
 * latency from pending to acknowledged (count, min, median, max in cycles)
 * to OUT. Returns the exit code: 0, or 2 for bad input (the numbers of
 * what a file cut short holds are printed first). */
int trace_stats(const char *path, FILE *out, FILE *err);

#endif
