/* The machine's numeric settings and their ranges, in one table: the
 * command line parses into it and every configuration, wherever it comes
 * from (options, a trace header being replayed), is checked against it
 * before a machine is built. */
#ifndef SIM_SETTINGS_H
#define SIM_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/machine.h"

struct machine_setting {
    const char *option; /* "--quantum" */
    const char *key;    /* its trace header key: "quantum" */
    uint64_t lo, hi;    /* the range, both inclusive */
    uint64_t step;      /* values are multiples of this (1: any) */
    size_t offset;      /* in struct machine_config */
    unsigned width;     /* 4 (unsigned) or 8 (uint64_t) */
};

/* The setting named by command-line OPTION ("--quantum"), or NULL. */
const struct machine_setting *machine_setting_by_option(const char *option);
/* The setting a trace header records under KEY ("quantum"), or NULL. */
const struct machine_setting *machine_setting_by_key(const char *key);

/* S's value in CFG, and storing V there (no range check). */
uint64_t machine_setting_get(const struct machine_config *cfg, const struct machine_setting *s);
void machine_setting_put(struct machine_config *cfg, const struct machine_setting *s, uint64_t v);

/* Is V in S's range (and a multiple of its step)? */
bool machine_setting_valid(const struct machine_setting *s, uint64_t v);

/* "1 to 4294967296" (with "in steps of N" where there are steps). */
void machine_setting_range(const struct machine_setting *s, char *buf, size_t len);

/* Check every setting of CFG and every cost; false with "KEY = VALUE is
 * out of range: OPTION takes ..." in ERR for the first that is not. */
bool machine_config_check(const struct machine_config *cfg, char *err, size_t errlen);

#endif
