/* `a64sim replay FILE --image ELF`: run the recorded image again with the
 * recorded configuration and external inputs, and check that it produces
 * the recording, record for record. */
#ifndef TRACES_REPLAY_H
#define TRACES_REPLAY_H

#include <stdbool.h>
#include <stdio.h>

#include "cpu/cost.h"

struct gdb_stub;

struct replay_options {
    const char *trace;    /* the recording */
    const char *image;    /* the image it was recorded from: the trace has its hash, no path */
    const char *uart_out; /* NULL: the guest's UART output is discarded */
    /* A Linux boot's --append, --initrd and --dtb, as recorded (the trace
     * has the hash of what they placed: boot.hash). NULL: none. */
    const char *append, *initrd, *dtb;
    bool cost_set; /* --cost given: COST replaces the recorded table */
    struct cost_table cost;
    struct gdb_stub *gdb; /* --gdb: serve gdb during the replay (NULL: no) */
};

/* Replay; the report goes to OUT, problems with the input to ERR. Returns
 * the exit code: 0 every record matched (also when the recording was cut
 * short: then up to its end), 1 the run diverged (the first difference,
 * both records and the TRACE_CONTEXT before it are printed), 2 bad input. */
int replay(const struct replay_options *o, FILE *out, FILE *err);

#endif
