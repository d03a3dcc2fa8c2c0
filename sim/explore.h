/* a64sim explore: one guest run under many --race-seed values, in this
 * process (a machine built and freed per seed), its outcomes sorted into
 * classes (docs/explore.md). */
#ifndef SIM_EXPLORE_H
#define SIM_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/machine.h"

struct explore_options {
    uint64_t first, last; /* the seeds, both inclusive, 1 or more */
    bool expect_exit;     /* a run that exits with another code fails */
    int exit_code;
    const char *expect_output; /* a run whose UART output differs from this file's fails */
    const char *out_dir;       /* where each failing class's smallest seed is recorded */
    bool stop_at_first;        /* stop after the first failing run */
};

/* Run CFG (race_seed, uart_file, diag and trace are set per run) once per
 * seed of O. The table of outcome classes goes to OUT, the recordings'
 * names and errors to ERR. Returns the exit code of `a64sim explore`: 0
 * when no run failed, 1 when one did, 2 when a run could not be set up
 * (the message names the problem). */
int explore_run(const struct machine_config *cfg, const struct explore_options *o, FILE *out,
                FILE *err);

#endif
