/* `a64sim trace diff A B`: where two traces first differ, with context. */
#ifndef TRACES_DIFF_H
#define TRACES_DIFF_H

#include <stdio.h>

/* Compare the traces at A and B record by record and print the first
 * difference (both records and the TRACE_CONTEXT records before it, with
 * symbols from IMAGE when not NULL) to OUT, problems to ERR. Configuration
 * differences are printed first but do not by themselves count. Returns
 * the exit code: 0 same records, 1 they differ, 2 bad input (a file cut
 * short included, when no difference came before the cut). */
int trace_diff(const char *a, const char *b, const char *image, FILE *out, FILE *err);

#endif
