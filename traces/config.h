/* The machine configuration as trace header items, and back: what makes a
 * recording replayable, and what `trace diff` compares first. */
#ifndef TRACES_CONFIG_H
#define TRACES_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/machine.h"
#include "traces/format.h"

/* Fill H (format version, a64sim version, items, hash) from CFG and the
 * FNV-1a hash of the loaded image file. */
void trace_header_from_config(struct trace_header *h, const struct machine_config *cfg,
                              uint64_t image_hash);

/* Set every field of CFG that H records. Items this a64sim does not know
 * are listed in NOTES ("" when none): the replay may then differ. Returns
 * false with the reason in ERR when the result is not a configuration a
 * machine can be built from (the command line's ranges, sim/settings.h). */
bool trace_header_to_config(const struct trace_header *h, struct machine_config *cfg, char *notes,
                            size_t noteslen, char *err, size_t errlen);

/* Print each item whose value differs between A and B, or that only one
 * has, as "PREFIXkey: a -> b" lines to F; returns how many. */
unsigned trace_header_diff(const struct trace_header *a, const struct trace_header *b, FILE *f,
                           const char *prefix);

#endif
