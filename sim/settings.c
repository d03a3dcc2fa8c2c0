#include "sim/settings.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cpu/cost.h"

#define FIELD(f) offsetof(struct machine_config, f), sizeof(((struct machine_config *)0)->f)

/* Limits stay below 2^62 so that a PE's time plus a budget never wraps; the
 * quantum and the GIC latency (doubled by --race-seed) below 2^32 for the
 * same reason. A limit of 0 means none, which only a trace header says:
 * the command line asks for 1 or more. */
#define MAX_LIMIT MAX_CYCLE

static const struct machine_setting settings[] = {
    {"--mem", "mem", MIN_MEM_SIZE, MAX_MEM_SIZE, 4096, FIELD(mem_size)},
    {"--cpus", "cpus", 1, MAX_CPUS, 1, FIELD(cpus)},
    {"--el", "el", 1, 2, 1, FIELD(el)},
    {"--quantum", "quantum", 1, 1ull << 32, 1, FIELD(quantum)},
    {"--max-insns", "max-insns", 0, MAX_LIMIT, 1, FIELD(max_insns)},
    {"--max-cycles", "max-cycles", 0, MAX_LIMIT, 1, FIELD(max_cycles)},
    {"--spis", "gic.spis", 32, 960, 32, FIELD(spis)},
    {"--gic-pri-bits", "gic.pri-bits", 4, 8, 1, FIELD(gic_pri_bits)},
    {"--gic-lrs", "gic.lrs", 1, 16, 1, FIELD(gic_lrs)},
    {"--gic-latency", "latency.gic", 0, 1ull << 32, 1, FIELD(gic_latency)},
    {"--gic", "gic.version", 0, 2, 1, FIELD(gic_version)},
    {"--lpi-bits", "gic.lpi-bits", 0, 20, 1, FIELD(lpi_bits)},
    {"--its", "gic.its", 0, 1, 1, FIELD(its)},
    {"--its-latency", "latency.its", 0, 1ull << 32, 1, FIELD(its_latency)},
    {"--vpe-latency", "latency.vpe", 0, 1ull << 32, 1, FIELD(vpe_latency)},
    {"--race-seed", "race-seed", 0, UINT64_MAX, 1, FIELD(race_seed)},
    {"--cntfrq", "cntfrq", 1, PE_CLOCK_HZ, 1, FIELD(cntfrq)},
    {"--rtc-epoch", "rtc.epoch", 0, UINT32_MAX, 1, FIELD(rtc_epoch)},
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

const struct machine_setting *machine_setting_by_option(const char *option)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        if (!strcmp(settings[i].option, option))
            return &settings[i];
    return NULL;
}

const struct machine_setting *machine_setting_by_key(const char *key)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        if (!strcmp(settings[i].key, key))
            return &settings[i];
    return NULL;
}

uint64_t machine_setting_get(const struct machine_config *cfg, const struct machine_setting *s)
{
    const char *field = (const char *)cfg + s->offset;
    if (s->width == 4) {
        unsigned u;
        memcpy(&u, field, sizeof(u));
        return u;
    }
    uint64_t v;
    memcpy(&v, field, sizeof(v));
    return v;
}

void machine_setting_put(struct machine_config *cfg, const struct machine_setting *s, uint64_t v)
{
    char *field = (char *)cfg + s->offset;
    if (s->width == 4) {
        unsigned u = (unsigned)v;
        memcpy(field, &u, sizeof(u));
    } else {
        memcpy(field, &v, sizeof(v));
    }
}

bool machine_setting_valid(const struct machine_setting *s, uint64_t v)
{
    return v >= s->lo && v <= s->hi && v % s->step == 0;
}

void machine_setting_range(const struct machine_setting *s, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%" PRIu64 " to %" PRIu64, s->lo, s->hi);
    if (s->step > 1 && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " in steps of %" PRIu64, s->step);
}

bool machine_config_check(const struct machine_config *cfg, char *err, size_t errlen)
{
    for (size_t i = 0; i < NSETTINGS; i++) {
        const struct machine_setting *s = &settings[i];
        uint64_t v = machine_setting_get(cfg, s);
        if (machine_setting_valid(s, v))
            continue;
        char range[96];
        machine_setting_range(s, range, sizeof(range));
        snprintf(err, errlen, "%s = %" PRIu64 " is out of range: %s takes %s", s->key, v, s->option,
                 range);
        return false;
    }
    for (int k = 0; k < COST_NR; k++) {
        uint32_t v = cfg->cost.cycles[k];
        if (v >= 1 && v <= COST_MAX)
            continue;
        snprintf(err, errlen, "cost.%s = %" PRIu32 " is out of range: a cost is 1 to %d cycles",
                 cost_class_name((enum cost_class)k), v, COST_MAX);
        return false;
    }
    for (int k = 0; k < RACE_KINDS; k++) {
        const struct race_bounds *b = &cfg->jitter[k];
        if (b->set &&
            (b->min > b->max || b->max > (1ull << 32) || (k == RACE_QUANTUM && b->min == 0))) {
            snprintf(err, errlen,
                     "jitter.%s = %" PRIu64 ":%" PRIu64 " is out of range: --jitter takes "
                     "0 <= MIN <= MAX <= 2^32",
                     race_kind_name((enum race_kind)k), b->min, b->max);
            return false;
        }
    }
    if (cfg->lpi_bits != 0 && cfg->lpi_bits < 14) {
        snprintf(err, errlen,
                 "gic.lpi-bits = %u is out of range: --lpi-bits takes 0 (no LPIs) or 14 to 20",
                 cfg->lpi_bits);
        return false;
    }
    if (cfg->its && cfg->lpi_bits == 0) {
        snprintf(err, errlen, "the ITS needs LPIs: --its on takes --lpi-bits 14 to 20");
        return false;
    }
    if (cfg->profile != CPU_PROFILE_MAX && cfg->profile != CPU_PROFILE_A57) {
        snprintf(err, errlen, "cpu-profile = %u is not a profile: --cpu takes a57 or max",
                 (unsigned)cfg->profile);
        return false;
    }
    return true;
}
