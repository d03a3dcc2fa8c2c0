/* Header items. Keys are stable names (docs/trace-format.md lists them);
 * a new configuration knob adds a key, never renumbers anything, so older
 * traces still read. */
#include "traces/config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cpu/cost.h"
#include "sim/settings.h"
#include "sim/version.h"

void trace_header_from_config(struct trace_header *h, const struct machine_config *cfg,
                              uint64_t image_hash)
{
    *h = (struct trace_header){.version = TRACE_FORMAT_VERSION};
    snprintf(h->sim_version, sizeof(h->sim_version), "%s", A64SIM_VERSION);
    trace_header_add(h, "image.hash", image_hash);
    trace_header_add(h, "mem", cfg->mem_size);
    trace_header_add(h, "cpus", cfg->cpus);
    trace_header_add(h, "el", cfg->el);
    trace_header_add(h, "cpu-profile", cfg->profile);
    trace_header_add(h, "quantum", cfg->quantum);
    trace_header_add(h, "max-insns", cfg->max_insns);
    trace_header_add(h, "max-cycles", cfg->max_cycles);
    trace_header_add(h, "race-seed", cfg->race_seed);
    trace_header_add(h, "gic.spis", cfg->spis);
    trace_header_add(h, "gic.pri-bits", cfg->gic_pri_bits);
    trace_header_add(h, "gic.lrs", cfg->gic_lrs);
    trace_header_add(h, "rtc.epoch", cfg->rtc_epoch);
    trace_header_add(h, "latency.gic", cfg->gic_latency);
    trace_header_add(h, "gic.version", cfg->gic_version);
    trace_header_add(h, "gic.lpi-bits", cfg->lpi_bits);
    trace_header_add(h, "gic.its", cfg->its);
    trace_header_add(h, "latency.its", cfg->its_latency);
    trace_header_add(h, "latency.vpe", cfg->vpe_latency);
    for (int k = 0; k < RACE_KINDS; k++) {
        char key[TRACE_KEY_MAX];
        if (!cfg->jitter[k].set)
            continue;
        snprintf(key, sizeof key, "jitter.%s.min", race_kind_name((enum race_kind)k));
        trace_header_add(h, key, cfg->jitter[k].min);
        snprintf(key, sizeof key, "jitter.%s.max", race_kind_name((enum race_kind)k));
        trace_header_add(h, key, cfg->jitter[k].max);
    }
    trace_header_add(h, "cntfrq", cfg->cntfrq);
    /* Fixed today; recorded so that a trace says which latencies it ran with. */
    trace_header_add(h, "latency.power-on", POWER_ON_LATENCY);
    for (int k = 0; k < COST_NR; k++) {
        char key[TRACE_KEY_MAX];
        snprintf(key, sizeof(key), "cost.%s", cost_class_name((enum cost_class)k));
        trace_header_add(h, key, cfg->cost.cycles[k]);
    }
    trace_header_add(h, "trace.insns", cfg->trace_insns);
    trace_header_add(h, "trace.mmio", cfg->trace_mmio);
    trace_header_hash(h);
}

/* "CLASS.min" or "CLASS.max" of --jitter: false for a class or bound this
 * a64sim does not know. */
static bool apply_jitter(const char *k, uint64_t v, struct machine_config *cfg)
{
    for (int c = 0; c < RACE_KINDS; c++) {
        const char *n = race_kind_name((enum race_kind)c);
        size_t len = strlen(n);
        if (strncmp(k, n, len) || k[len] != '.')
            continue;
        cfg->jitter[c].set = true;
        if (!strcmp(k + len + 1, "min"))
            cfg->jitter[c].min = v;
        else if (!strcmp(k + len + 1, "max"))
            cfg->jitter[c].max = v;
        else
            return false;
        return true;
    }
    return false;
}

/* Apply one item to CFG; false if the key is not one this a64sim knows. The
 * first setting whose value is out of its range (before any narrowing to
 * its field) goes to *BAD. */
static bool apply_item(const struct trace_item *it, struct machine_config *cfg,
                       const struct trace_item **bad)
{
    const char *k = it->key;
    uint64_t v = it->value;
    const struct machine_setting *s = machine_setting_by_key(k);
    if (s && !machine_setting_valid(s, v) && !*bad)
        *bad = it;
    if (!strcmp(k, "image.hash") || !strcmp(k, "boot.hash"))
        return true; /* checked against the image (and the boot's files) by replay */
    if (!strcmp(k, "mem"))
        cfg->mem_size = v;
    else if (!strcmp(k, "cpus"))
        cfg->cpus = (unsigned)v;
    else if (!strcmp(k, "el"))
        cfg->el = (unsigned)v;
    else if (!strcmp(k, "cpu-profile"))
        cfg->profile = (enum cpu_profile)v;
    else if (!strcmp(k, "latency.power-on"))
        return v == POWER_ON_LATENCY; /* not configurable: a different value is unknown */
    else if (!strcmp(k, "quantum"))
        cfg->quantum = v;
    else if (!strcmp(k, "max-insns"))
        cfg->max_insns = v;
    else if (!strcmp(k, "max-cycles"))
        cfg->max_cycles = v;
    else if (!strcmp(k, "race-seed"))
        cfg->race_seed = v;
    else if (!strcmp(k, "gic.spis"))
        cfg->spis = (unsigned)v;
    else if (!strcmp(k, "gic.pri-bits"))
        cfg->gic_pri_bits = (unsigned)v;
    else if (!strcmp(k, "gic.lrs"))
        cfg->gic_lrs = (unsigned)v;
    else if (!strcmp(k, "latency.gic"))
        cfg->gic_latency = v;
    else if (!strcmp(k, "gic.version"))
        cfg->gic_version = (unsigned)v;
    else if (!strcmp(k, "gic.lpi-bits"))
        cfg->lpi_bits = (unsigned)v;
    else if (!strcmp(k, "gic.its"))
        cfg->its = (unsigned)v;
    else if (!strcmp(k, "latency.its"))
        cfg->its_latency = v;
    else if (!strcmp(k, "latency.vpe"))
        cfg->vpe_latency = v;
    else if (!strncmp(k, "jitter.", 7))
        return apply_jitter(k + 7, v, cfg);
    else if (!strcmp(k, "cntfrq"))
        cfg->cntfrq = v;
    else if (!strcmp(k, "rtc.epoch"))
        cfg->rtc_epoch = v;
    else if (!strcmp(k, "trace.insns"))
        cfg->trace_insns = v != 0;
    else if (!strcmp(k, "trace.mmio"))
        cfg->trace_mmio = v != 0;
    else if (!strncmp(k, "cost.", 5)) {
        for (int c = 0; c < COST_NR; c++) {
            if (!strcmp(k + 5, cost_class_name((enum cost_class)c))) {
                /* Past COST_MAX it is refused; never truncated into range. */
                cfg->cost.cycles[c] = v > COST_MAX ? COST_MAX + 1 : (uint32_t)v;
                return true;
            }
        }
        return false;
    } else
        return false;
    return true;
}

bool trace_header_to_config(const struct trace_header *h, struct machine_config *cfg, char *notes,
                            size_t noteslen, char *err, size_t errlen)
{
    size_t used = 0;
    notes[0] = 0;
    const struct trace_item *bad = NULL;
    /* Recordings older than format 4 ran on a GIC without LPIs or an ITS. */
    if (h->version < 4) {
        cfg->lpi_bits = 0;
        cfg->its = 0;
    }
    for (unsigned i = 0; i < h->nitems; i++) {
        if (apply_item(&h->item[i], cfg, &bad) || used >= noteslen)
            continue;
        int n = snprintf(notes + used, noteslen - used,
                         "%sthe recording's %s = %" PRIu64 " is not a configuration this a64sim "
                         "can reproduce",
                         used ? "; " : "", h->item[i].key, h->item[i].value);
        used += n > 0 ? (size_t)n : 0;
    }
    if (bad) {
        const struct machine_setting *s = machine_setting_by_key(bad->key);
        char range[96];
        machine_setting_range(s, range, sizeof(range));
        snprintf(err, errlen, "%s = %" PRIu64 " is out of range: %s takes %s", bad->key, bad->value,
                 s->option, range);
        return false;
    }
    /* What no single item can say: the costs, the profile. */
    return machine_config_check(cfg, err, errlen);
}

static void print_value(FILE *f, const struct trace_header *h, const char *key)
{
    uint64_t v;
    if (trace_header_get(h, key, &v))
        fprintf(f, strstr(key, "hash") ? "0x%016" PRIx64 : "%" PRIu64, v);
    else
        fputs("(absent)", f);
}

static unsigned diff_one(const struct trace_header *a, const struct trace_header *b,
                         const char *key, FILE *f, const char *prefix)
{
    uint64_t va, vb;
    bool ha = trace_header_get(a, key, &va), hb = trace_header_get(b, key, &vb);
    if (ha == hb && (!ha || va == vb))
        return 0;
    fprintf(f, "%s%s: ", prefix, key);
    print_value(f, a, key);
    fputs(" -> ", f);
    print_value(f, b, key);
    fputc('\n', f);
    return 1;
}

unsigned trace_header_diff(const struct trace_header *a, const struct trace_header *b, FILE *f,
                           const char *prefix)
{
    unsigned n = 0;
    for (unsigned i = 0; i < a->nitems; i++)
        n += diff_one(a, b, a->item[i].key, f, prefix);
    uint64_t unused;
    for (unsigned i = 0; i < b->nitems; i++)
        if (!trace_header_get(a, b->item[i].key, &unused))
            n += diff_one(a, b, b->item[i].key, f, prefix);
    return n;
}
