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

struct run_check;

#define EXPLORE_MAX_JOBS 64

struct explore_options {
    uint64_t first, last; /* the seeds, both inclusive, 1 or more */
    bool expect_exit;     /* a run that exits with another code fails */
    int exit_code;
    const char *expect_output; /* a run whose UART output differs from this file's fails */
    const char *out_dir;       /* where each failing class's smallest seed is recorded */
    bool stop_at_first;        /* stop after the first failing run */
    unsigned shard, shards; /* shards > 0: only seeds with (seed - first) % shards == shard - 1 */
    const char *results;    /* write the classes there, for explore_merge */
    bool minimize;          /* shrink each failing class's seed to the latencies that matter */
    unsigned jobs;          /* worker processes, 1 to EXPLORE_MAX_JOBS (0, 1: this one) */
    const struct run_check *check; /* a run whose end makes it false fails (sim/run_check.h) */
};

/* Run CFG (race_seed, uart_file, diag and trace are set per run) once per
 * seed of O. The table of outcome classes goes to OUT, the recordings'
 * names and errors to ERR. Returns the exit code of `a64sim explore`: 0
 * when no run failed, 1 when one did, 2 when a run could not be set up
 * (the message names the problem). */
int explore_run(const struct machine_config *cfg, const struct explore_options *o, FILE *out,
                FILE *err);

/* a64sim explore --merge: the results files of every shard of one
 * exploration (--results), combined into the table a single run prints.
 * Returns 0, 1 (a run failed) or 2 (a file is unreadable, of another
 * exploration, or a shard is missing or given twice). */
int explore_merge(char **paths, int n, FILE *out, FILE *err);

#endif
