/* The a64sim command: parse the command line into a machine_config, run,
 * print the summary, exit with the code DESIGN.md fixes. */
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "loader/dt.h"
#include "sim/board_dt.h"
#include "sim/run_check.h"
#include "sim/explore.h"
#include "sim/gdbstub.h"
#include "sim/machine.h"
#include "sim/host.h"
#include "sim/settings.h"
#include "sim/version.h"
#include "traces/diff.h"
#include "traces/dump.h"
#include "traces/record.h"
#include "traces/replay.h"
#include "traces/stats.h"
#include "traces/stimulus.h"
#include "traces/timeline.h"

#define EXIT_USAGE    2
#define EXIT_INTERNAL 3
#define EXIT_HELP     (-1) /* parse_run printed the help: exit 0 */

static const char usage[] =
    "usage: a64sim run IMAGE [options]\n"
    "       a64sim boot --kernel IMAGE [--initrd FILE] [--append ARGS] [--dtb FILE] [options]\n"
    "       a64sim dtb [board options] [--append ARGS] --out FILE\n"
    "       a64sim replay TRACE --image IMAGE [--cost FILE] [--uart-out FILE]\n"
    "                           [--append ARGS] [--initrd FILE] [--dtb FILE]\n"
    "                           [--gdb WHERE [--gdb-wait]]\n"
    "       a64sim trace dump TRACE [--image IMAGE] [--pe N] [--from CYCLE] [--to CYCLE]\n"
    "                               [--kinds LIST]\n"
    "       a64sim trace diff TRACE_A TRACE_B [--image IMAGE]\n"
    "       a64sim trace timeline TRACE -o OUT.json\n"
    "       a64sim trace stats TRACE\n"
    "       a64sim explore IMAGE [run options] --seeds N | --seed-range A..B\n"
    "                          [--expect-exit CODE] [--expect-output FILE] [--check EXPR]\n"
    "                          [--out DIR]\n"
    "                          [--stop-at-first] [--minimize] [--jobs J]\n"
    "                          [--shard I/N --results FILE]\n"
    "       a64sim explore --merge RESULTS...\n"
    "       a64sim --help | --version\n"
    "\n"
    "Run IMAGE on the virt board (QEMU -M virt,gic-version=3 layout): an AArch64 ELF at its\n"
    "addresses, a Linux arm64 Image, or (--raw) a raw binary at RAM + 0x80000, as QEMU's -kernel.\n"
    "UART output goes to stdout; a summary goes to stderr.\n"
    "\n"
    "options:\n"
    "  --mem SIZE          guest RAM at 0x40000000 (default 512M; 1M..64G; K/M/G suffixes)\n"
    "  --max-insns N       stop after N retired instructions and exceptions taken\n"
    "                      (exit 124; up to 2^62; 0, the default: no limit)\n"
    "  --max-cycles N      stop when simulated time reaches N cycles (exit 124; up to\n"
    "                      2^62; 0, the default: no limit)\n"
    "  --append ARGS       Linux boot: the kernel command line (/chosen bootargs)\n"
    "  --initrd FILE       Linux boot: an initrd, placed as QEMU places it\n"
    "  --dtb FILE          Linux boot: this device tree instead of the generated one\n"
    "  --raw               IMAGE is a raw binary: loaded at RAM + 0x80000, entered there\n"
    "  --progress, --no-progress  a status line on stderr about once a second (simulated\n"
    "                      time, MIPS, interrupts per second, PEs awake); default: only when\n"
    "                      stderr is a terminal. It observes only: the run is the same\n"
    "                      (an Image, a raw binary, or any of these three starts the\n"
    "                      boot PE with X0 = the device tree's address; docs/linux.md)\n"
    "  --uart-out FILE     write UART output to FILE instead of stdout\n"
    "  --uart-in FILE      read UART input from FILE instead of stdin\n"
    "  --cost FILE         override cycle costs per instruction class ('class = cycles' lines)\n"
    "  --el 1|2            start the guest at EL1 (default, no EL2) or EL2 (EL2 implemented)\n"
    "  --cpu a57|max       CPU profile: ID registers and features (default max; docs/isa.md)\n"
    "  --cpus N            number of PEs, 1 to 8 (default 1); secondaries start off (PSCI CPU_ON)\n"
    "  --quantum CYCLES    cycles each PE runs before the next one's turn (default 4096;\n"
    "                      1 to 2^32)\n"
    "  --spis N            SPIs the GIC distributor implements, 32 to 960 in 32s (default 256)\n"
    "  --gic-pri-bits N    GIC priority bits, 4 to 8 (default 5)\n"
    "  --gic-lrs N         list registers of each virtual CPU interface, 1 to 16 (default 4)\n"
    "  --gic-latency N     cycles from a GIC state change to a PE's IRQ/FIQ input (default 100)\n"
    "  --gic v3|v4|v4.1    the GIC architecture advertised and modelled (default v3; v4 adds\n"
    "                      direct injection of virtual LPIs and the VLPI frames; v4.1 vPE IDs,\n"
    "                      default doorbells and vSGIs; docs/gic.md)\n"
    "  --lpi-bits N        INTID bits with LPIs, 14 to 20 (default 16: LPIs 8192 to 65535);\n"
    "                      0: no LPIs (then --its off)\n"
    "  --its on|off        the ITS at 0x08080000, 0x08050000 with --gic v4.1 (default on)\n"
    "  --its-latency N     cycles each ITS command takes (default 20; 0: at the CWRITER write)\n"
    "  --vpe-latency N     cycles a GICv4 vPE residency change (GICR_VPENDBASER) takes, Dirty\n"
    "                      reading 1 meanwhile (default 100; 0: at the write)\n"
    "  --race-seed N       perturb each GIC delivery, ITS command and vPE residency latency L\n"
    "                      within [L, 2L], drawn from a generator seeded with N (0: off,\n"
    "                      the default)\n"
    "  --jitter CLASS=MIN:MAX  other bounds for a class of latencies (--jitter help)\n"
    "  --cntfrq HZ         system counter frequency (default 62500000; docs/timer.md)\n"
    "  --rtc-epoch SECS    the PL031 RTC's reading at cycle 0, seconds since 1970 (default\n"
    "                      1767225600, 2026-01-01 00:00:00 UTC); it counts simulated time\n"
    "  --explain-at WHEN   print why each pending interrupt is or is not taken: WHEN is a\n"
    "                      CYCLE, irq:INTID (when it first becomes pending) or pc:ADDR\n"
    "                      (before the first execution of ADDR); may be repeated\n"
    "  --trace FILE        record a trace (docs/trace-format.md): UART output, PSCI calls,\n"
    "                      WFI/WFE, external inputs, the end of the run\n"
    "  --trace-insns       also record every instruction (PC and encoding)\n"
    "  --trace-mmio        also record every device access\n"
    "  --stimulus FILE     timed external inputs ('@CYCLE uart-rx \"text\"', docs/stimulus.md)\n"
    "  --gdb WHERE         serve gdb's remote protocol at tcp::PORT (127.0.0.1), tcp:HOST:PORT\n"
    "                      or unix:PATH; gdb may attach at any time and stops the run there\n"
    "  --gdb-wait          with --gdb: wait for gdb before the first instruction, stopped\n"
    "                      (as qemu -s -S); see docs/debugging.md\n"
    "\n"
    "replay re-runs the image a trace was recorded from (the trace holds its hash, not its\n"
    "path) with the recorded configuration and inputs, and checks every record: exit 0 when\n"
    "identical, 1 at the first divergence. trace dump prints one line per record (--kinds\n"
    "takes names like insn,uart-tx,psci); trace diff shows where two traces first differ\n"
    "(exit 1); trace timeline writes Chrome/Perfetto trace-event JSON; trace stats counts.\n"
    "\n"
    "explore runs IMAGE once per --race-seed of the range, in this process, sorts the runs into\n"
    "outcome classes (exit, output) and prints each with its count and smallest seed; with\n"
    "--expect-exit, --expect-output or --check EXPR (a condition on the end of the run, e.g.\n"
    "'mem32[counter] == 808 && output ~ \"done\"') the other classes fail (exit 1) and\n"
    "their smallest seeds are recorded as traces in --out DIR (default .). --shard I/N runs\n"
    "every Nth seed and --results FILE keeps its classes; explore --merge combines the shards'\n"
    "files into the table one run prints; --jobs J runs J worker processes here. --minimize\n"
    "shrinks each failing class's smallest seed to the fewest perturbed latencies that still\n"
    "fail, and names the instructions they move. See docs/explore.md.\n"
    "\n"
    "exit codes: 0 powered off or semihosting exit 0; N semihosting exit N;\n"
    "1 guest failure (fault, deadlock); 2 bad input or usage; 3 internal error;\n"
    "124 --max-insns/--max-cycles reached.\n"
    "See docs/usage.md.\n";

static int usage_error(const char *fmt, const char *a, const char *b)
{
    char msg[1024];
    snprintf(msg, sizeof(msg), fmt, a, b);
    host_escape_controls(msg, sizeof(msg));
    fprintf(stderr, "a64sim: %s\nTry 'a64sim --help'.\n", msg);
    return EXIT_USAGE;
}

enum num_status { NUM_OK, NUM_BAD, NUM_RANGE };

/* Parse a decimal or 0x-hex number (never octal: a leading zero is still
 * decimal), with an optional K/M/G (binary) suffix when SUFFIXES is set. */
static enum num_status parse_num(const char *s, bool suffixes, uint64_t *out)
{
    if (!s)
        return NUM_BAD;
    int base = 10;
    const char *digits = s;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        digits = s + 2;
    }
    /* strtoull accepts leading space and a sign: neither is a number here. */
    bool ok = base == 16 ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits);
    if (!ok)
        return NUM_BAD;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(digits, &end, base);
    bool range = errno == ERANGE;
    unsigned shift = 0;
    if (suffixes && *end) {
        switch (*end) {
        case 'k':
        case 'K': shift = 10; break;
        case 'm':
        case 'M': shift = 20; break;
        case 'g':
        case 'G': shift = 30; break;
        default: return NUM_BAD;
        }
        end++;
        if (*end == 'i' && end[1] == 'B')
            end += 2;
        else if (*end == 'B')
            end++;
    }
    if (*end)
        return NUM_BAD;
    if (range || (shift && v > (UINT64_MAX >> shift)))
        return NUM_RANGE;
    *out = (uint64_t)v << shift;
    return NUM_OK;
}

static bool parse_u64(const char *s, bool suffixes, uint64_t *out)
{
    return parse_num(s, suffixes, out) == NUM_OK;
}

/* Parse option NAME's VALUE as a number from LO to HI; on failure the
 * usage message names the option, the range and the value. */
static int parse_ranged(const char *name, const char *value, uint64_t lo, uint64_t hi,
                        uint64_t *out)
{
    enum num_status st = parse_num(value, false, out);
    if (st == NUM_OK && *out >= lo && *out <= hi)
        return 0;
    char range[96];
    snprintf(range, sizeof(range), "%" PRIu64 " to %" PRIu64, lo, hi);
    fprintf(stderr, "a64sim: %s: expected a %s from %s (decimal or 0x hex), got '%s'\n", name,
            st == NUM_BAD ? "whole number" : "number", range, value);
    fprintf(stderr, "Try 'a64sim --help'.\n");
    return EXIT_USAGE;
}

struct option_spec {
    const char *name;
    enum { OPT_SIZE, OPT_COUNT, OPT_PATH, OPT_FLAG } kind;
};

static const struct option_spec options[] = {
    {"--mem", OPT_SIZE},           {"--max-insns", OPT_COUNT},   {"--max-cycles", OPT_COUNT},
    {"--uart-out", OPT_PATH},      {"--uart-in", OPT_PATH},      {"--cost", OPT_PATH},
    {"--el", OPT_COUNT},           {"--cpus", OPT_COUNT},        {"--spis", OPT_COUNT},
    {"--gic-pri-bits", OPT_COUNT}, {"--gic-lrs", OPT_COUNT},     {"--gic-latency", OPT_COUNT},
    {"--race-seed", OPT_COUNT},    {"--explain-at", OPT_PATH},   {"--jitter", OPT_PATH},
    {"--quantum", OPT_COUNT},      {"--cpu", OPT_PATH},          {"--trace", OPT_PATH},
    {"--trace-insns", OPT_FLAG},   {"--trace-mmio", OPT_FLAG},   {"--stimulus", OPT_PATH},
    {"--cntfrq", OPT_COUNT},       {"--append", OPT_PATH},       {"--initrd", OPT_PATH},
    {"--dtb", OPT_PATH},           {"--kernel", OPT_PATH},       {"--out", OPT_PATH},
    {"--raw", OPT_FLAG},           {"--progress", OPT_FLAG},     {"--no-progress", OPT_FLAG},
    {"--rtc-epoch", OPT_COUNT},    {"--gic", OPT_PATH},          {"--lpi-bits", OPT_COUNT},
    {"--its", OPT_PATH},           {"--its-latency", OPT_COUNT}, {"--vpe-latency", OPT_COUNT},
    {"--gdb", OPT_PATH},           {"--gdb-wait", OPT_FLAG},
};

static const char jitter_help[] =
    "--jitter CLASS=MIN:MAX: with --race-seed, draw CLASS's latencies from [MIN, MAX] cycles\n"
    "(0 <= MIN <= MAX <= 2^32). Classes and their defaults:\n"
    "  gic       GIC delivery to a PE (SPI, PPI, SGI, LPI)   [L, 2L], L = --gic-latency\n"
    "  its       one ITS command                            [L, 2L], L = --its-latency\n"
    "  vpe       a GICv4 vPE residency change                [L, 2L], L = --vpe-latency\n"
    "  power-on  PSCI CPU_ON to the PE's first instruction   1000, not perturbed\n"
    "  timer     a timer output's way to its PPI at the GIC  0, not perturbed\n"
    "  quantum   a round's length, MIN >= 1                  the --quantum grid, not perturbed\n"
    "  order     the PE a round's pass starts from (mod the  PE 0, not perturbed\n"
    "            number of PEs)\n"
    "See docs/explore.md.\n";

/* --jitter CLASS=MIN:MAX, or --jitter help. */
static int parse_jitter(struct machine_config *cfg, const char *value)
{
    if (!strcmp(value, "help")) {
        fputs(jitter_help, stdout);
        return EXIT_HELP;
    }
    const char *eq = strchr(value, '=');
    const char *colon = eq ? strchr(eq, ':') : NULL;
    for (int k = 0; eq && colon && race_kind_name((enum race_kind)k); k++) {
        const char *n = race_kind_name((enum race_kind)k);
        if (strlen(n) != (size_t)(eq - value) || strncmp(n, value, strlen(n)))
            continue;
        char lo[32];
        uint64_t min, max;
        snprintf(lo, sizeof lo, "%.*s", (int)(colon - eq - 1), eq + 1);
        if (!parse_u64(lo, false, &min) || !parse_u64(colon + 1, false, &max) || min > max ||
            max > (1ull << 32) || (k == RACE_QUANTUM && min == 0))
            break;
        cfg->jitter[k] = (struct race_bounds){true, min, max};
        return 0;
    }
    return usage_error(
        "--jitter: expected CLASS=MIN:MAX with CLASS gic, its, vpe, power-on, "
        "timer, quantum or order and 0 <= MIN <= MAX <= 2^32, got '%s' (--jitter help)%s",
        value, "");
}

/* --explain-at CYCLE | irq:INTID | pc:ADDR, added to the list. */
static int parse_explain(struct machine_config *cfg, const char *value)
{
    struct explain_point p = {EXPLAIN_CYCLE, 0};
    const char *num = value;
    if (!strncmp(value, "irq:", 4)) {
        p.kind = EXPLAIN_IRQ;
        num = value + 4;
    } else if (!strncmp(value, "pc:", 3)) {
        p.kind = EXPLAIN_PC;
        num = value + 3;
    }
    if (!parse_u64(num, false, &p.value) || (p.kind == EXPLAIN_IRQ && p.value > 1019) ||
        (p.kind == EXPLAIN_PC && (p.value & 3)))
        return usage_error("--explain-at: expected a cycle, irq:INTID (0 to 1019) or pc:ADDR "
                           "(4-byte aligned), got '%s'%s",
                           value, "");
    if (cfg->n_explain == MAX_EXPLAIN)
        return usage_error("--explain-at: at most %s points, got '%s' too", "16", value);
    cfg->explain[cfg->n_explain++] = p;
    return 0;
}

/* Which command's options are parsed: `run IMAGE`, `boot --kernel IMAGE`,
 * `dtb --out FILE`. */
enum run_mode { MODE_RUN, MODE_BOOT, MODE_DTB };

/* What `run` needs beyond the machine configuration. */
struct run_options {
    enum run_mode mode;
    const char *trace;
    const char *stimulus;
    const char *out;   /* dtb: where the tree goes */
    bool progress_set; /* --progress or --no-progress given */
    const char *gdb;   /* --gdb: where the gdb stub listens */
    bool gdb_wait;     /* --gdb-wait: start stopped, once gdb has connected */
};

/* A numeric option of `run`: its range comes from the settings table,
 * the one that also checks a replayed trace's configuration. */
static int apply_number(struct machine_config *cfg, const char *name, const char *value)
{
    const struct machine_setting *s = machine_setting_by_option(name);
    if (!s)
        return usage_error("unknown option '%s'%s", name, "");
    uint64_t v;
    enum num_status st = parse_num(value, false, &v);
    if (st == NUM_OK && machine_setting_valid(s, v)) {
        machine_setting_put(cfg, s, v);
        return 0;
    }
    char range[96];
    machine_setting_range(s, range, sizeof(range));
    fprintf(stderr, "a64sim: %s: expected a %s from %s (decimal or 0x hex), got '%s'\n", name,
            st == NUM_BAD ? "whole number" : "number", range, value);
    fprintf(stderr, "Try 'a64sim --help'.\n");
    return EXIT_USAGE;
}

static int apply_option(struct machine_config *cfg, struct run_options *ro, const char *name,
                        const char *value)
{
    uint64_t v = 0;
    if (!strcmp(name, "--progress") || !strcmp(name, "--no-progress")) {
        if (value)
            return usage_error("%s takes no value%s", name, "");
        cfg->progress = !strcmp(name, "--progress");
        ro->progress_set = true;
        return 0;
    }
    if (!strcmp(name, "--raw")) {
        if (value)
            return usage_error("--raw takes no value%s%s", "", "");
        cfg->raw = true;
        return 0;
    }
    if (!strcmp(name, "--trace-insns") || !strcmp(name, "--trace-mmio")) {
        if (value)
            return usage_error("%s takes no value%s", name, "");
        if (!strcmp(name, "--trace-insns"))
            cfg->trace_insns = true;
        else
            cfg->trace_mmio = true;
        return 0;
    }
    if (!strcmp(name, "--trace")) {
        ro->trace = value;
        return 0;
    }
    if (!strcmp(name, "--gdb")) {
        ro->gdb = value;
        return 0;
    }
    if (!strcmp(name, "--gdb-wait")) {
        if (value)
            return usage_error("--gdb-wait takes no value%s%s", "", "");
        ro->gdb_wait = true;
        return 0;
    }
    if (!strcmp(name, "--stimulus")) {
        ro->stimulus = value;
        return 0;
    }
    if (!strcmp(name, "--uart-out")) {
        cfg->uart_out = value;
        return 0;
    }
    if (!strcmp(name, "--uart-in")) {
        cfg->uart_in = value;
        return 0;
    }
    if (!strcmp(name, "--explain-at"))
        return parse_explain(cfg, value);
    if (!strcmp(name, "--jitter"))
        return parse_jitter(cfg, value);
    if (!strcmp(name, "--append")) {
        cfg->append = value;
        return 0;
    }
    if (!strcmp(name, "--initrd")) {
        cfg->initrd = value;
        return 0;
    }
    if (!strcmp(name, "--dtb")) {
        cfg->dtb = value;
        return 0;
    }
    if (!strcmp(name, "--kernel")) {
        if (ro->mode != MODE_BOOT)
            return usage_error("--kernel belongs to 'a64sim boot'; 'run' takes the image as its "
                               "argument%s%s",
                               "", "");
        cfg->image = value;
        return 0;
    }
    if (!strcmp(name, "--out")) {
        if (ro->mode != MODE_DTB)
            return usage_error("--out belongs to 'a64sim dtb'%s%s", "", "");
        ro->out = value;
        return 0;
    }
    if (!strcmp(name, "--cost")) {
        char err[512];
        if (!cost_table_load(&cfg->cost, value, err, sizeof(err))) {
            fprintf(stderr, "a64sim: %s\n", err);
            return EXIT_USAGE;
        }
        return 0;
    }
    if (!strcmp(name, "--mem")) {
        if (!parse_u64(value, true, &v) ||
            !machine_setting_valid(machine_setting_by_option(name), v))
            return usage_error("--mem: expected a size from 1M to 64G in whole 4K pages "
                               "(like 512M), got '%s'%s",
                               value, "");
        cfg->mem_size = v;
        return 0;
    }
    if (!strcmp(name, "--cpu")) {
        if (!cpu_profile_parse(value, &cfg->profile))
            return usage_error("--cpu: expected a57 or max, got '%s'%s", value, "");
        return 0;
    }
    if (!strcmp(name, "--gic")) {
        static const char *const names[] = {"v3", "v4", "v4.1"};
        for (unsigned i = 0; i < 3; i++) {
            if (!strcmp(value, names[i])) {
                cfg->gic_version = i;
                return 0;
            }
        }
        return usage_error("--gic: expected v3, v4 or v4.1, got '%s'%s", value, "");
    }
    if (!strcmp(name, "--its")) {
        if (strcmp(value, "on") && strcmp(value, "off"))
            return usage_error("--its: expected on or off, got '%s'%s", value, "");
        cfg->its = !strcmp(value, "on");
        return 0;
    }
    if (!strcmp(name, "--el")) {
        if (strcmp(value, "1") && strcmp(value, "2"))
            return usage_error("--el: expected 1 or 2, got '%s'%s", value, "");
        cfg->el = (unsigned)(value[0] - '0');
        return 0;
    }
    return apply_number(cfg, name, value);
}

static int parse_run(int argc, char **argv, struct machine_config *cfg, struct run_options *ro)
{
    bool seen[sizeof(options) / sizeof(options[0])] = {false};
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            fputs(usage, stdout);
            return EXIT_HELP;
        }
        if (arg[0] != '-' || !arg[1]) {
            if (ro->mode != MODE_RUN)
                return usage_error("%s: unexpected argument '%s' (give the kernel with --kernel)",
                                   ro->mode == MODE_BOOT ? "boot" : "dtb", arg);
            if (cfg->image)
                return usage_error("more than one image given: '%s' and '%s'", cfg->image, arg);
            cfg->image = arg;
            continue;
        }
        const char *eq = strchr(arg, '=');
        size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
        const struct option_spec *spec = NULL;
        for (size_t k = 0; k < sizeof(options) / sizeof(options[0]); k++)
            if (strlen(options[k].name) == nlen && !strncmp(options[k].name, arg, nlen))
                spec = &options[k];
        if (!spec)
            return usage_error("unknown option '%s'%s", arg, "");
        char name[32];
        snprintf(name, sizeof(name), "%.*s", (int)nlen, arg);
        /* Only --explain-at adds up; any other option given twice is a
         * mistake, not a silent override. */
        if (seen[spec - options] && strcmp(name, "--explain-at") && strcmp(name, "--jitter"))
            return usage_error("%s given more than once%s", name, "");
        seen[spec - options] = true;
        const char *value = eq ? eq + 1 : NULL;
        if (!value && spec->kind != OPT_FLAG)
            value = i + 1 < argc ? argv[++i] : NULL;
        if (!value && spec->kind != OPT_FLAG)
            return usage_error("%s needs a value%s", name, "");
        int rc = apply_option(cfg, ro, name, value);
        if (rc)
            return rc;
    }
    if (ro->mode == MODE_DTB) {
        if (!ro->out)
            return usage_error("dtb: no --out FILE given%s%s", "", "");
        if (cfg->image || cfg->initrd || cfg->dtb || ro->trace || ro->stimulus || ro->gdb)
            return usage_error("dtb: takes board options, --append and --out only%s%s", "", "");
        return 0;
    }
    if (!cfg->image)
        return usage_error(ro->mode == MODE_BOOT ? "boot: no --kernel IMAGE given%s%s"
                                                 : "run: no IMAGE given%s%s",
                           "", "");
    if (ro->gdb_wait && !ro->gdb)
        return usage_error("--gdb-wait needs --gdb tcp::PORT or --gdb unix:PATH%s%s", "", "");
    if ((cfg->trace_insns || cfg->trace_mmio) && !ro->trace)
        return usage_error("%s needs --trace FILE%s",
                           cfg->trace_insns ? "--trace-insns" : "--trace-mmio", "");
    return 0;
}

static double wall_seconds(void)
{
    /* Host wall clock, used only for the wall-time and MIPS figures of the
     * summary; nothing in the simulation reads it. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* wall time, for the summary only */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void print_summary(struct machine *m, const struct run_result *r, double wall)
{
    char why[160];
    run_exit_describe(r, why, sizeof(why));
    fprintf(stderr, "a64sim: %s; exit code %d\n", why, r->exit_code);
    double mips = wall > 0 ? (double)r->insns / wall / 1e6 : 0.0;
    fprintf(stderr,
            "a64sim: %" PRIu64 " instructions retired, %" PRIu64
            " cycles simulated, %.3f s wall, %.1f MIPS\n",
            r->insns, r->cycles, wall, mips);
    if (machine_cpu_count(m) > 1) {
        for (unsigned i = 0; i < machine_cpu_count(m); i++)
            fprintf(stderr, "a64sim: pe%u: %" PRIu64 " instructions, %" PRIu64 " cycles\n", i,
                    machine_cpu_insns(m, i), machine_cpu_cycles(m, i));
    }
}

/* The trace is complete only once its last block and end marker are
 * written: a failure there fails the run, whatever the guest did. Returns
 * false when it could not be written. */
static bool finish_trace(struct trace_rec *t, const char *path, struct run_result *r)
{
    char err[1200];
    if (!t)
        return true;
    if (!trace_rec_finish(t, err, sizeof(err))) {
        fprintf(stderr, "a64sim: %s\n", err);
        r->exit_code = EXIT_USAGE;
        return false;
    }
    if (r->reason != RUN_OUTPUT_FAILED)
        fprintf(stderr, "a64sim: trace: %" PRIu64 " records written to %s\n", trace_rec_count(t),
                path);
    return true;
}

/* The signal that asked the run to stop (SIGINT, SIGTERM), or 0. The
 * machine polls it between PE turns; the handler only records it. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

/* An assertion that fired, or abort() anywhere: an internal error, which
 * DESIGN.md gives exit code 3. Only async-signal-safe calls here. */
static void on_abort(int sig)
{
    (void)sig;
    static const char msg[] = "a64sim: internal error (a failed assertion: a bug in a64sim, "
                              "please report it); exit code 3\n";
    ssize_t n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)n;
    _exit(EXIT_INTERNAL);
}

static void install_handler(int sig, void (*fn)(int))
{
    struct sigaction sa = {0};
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* Remove PATH if it is a regular file (never a device such as /dev/full). */
static void remove_output(const char *path)
{
    struct stat st;
    if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode) && unlink(path) == 0)
        fprintf(stderr, "a64sim: %s: removed: the run could not write all its output\n", path);
}

/* a64sim dtb: the generated device tree, written whole or not at all. */
static int write_dtb(const struct machine_config *cfg, const char *path)
{
    char err[512];
    struct board_boot bb = {.bootargs = cfg->append};
    struct dt *t = board_device_tree(cfg, &bb, err, sizeof err);
    const void *blob;
    size_t size;
    if (!t || !dt_finish(t, &blob, &size, err, sizeof err)) {
        fprintf(stderr, "a64sim: %s\n", err);
        dt_free(t);
        return EXIT_USAGE;
    }
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(blob, 1, size, f) == size;
    int saved = errno;
    if (f && fclose(f) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    dt_free(t);
    if (!ok) {
        fprintf(stderr, "a64sim: %s: cannot write the device tree: %s\n", path, strerror(saved));
        if (f)
            remove_output(path);
        return EXIT_USAGE;
    }
    return 0;
}

/* Why gdb's reverse execution cannot rerun this run the same (NULL: it
 * can): every output is written once, and every input read again must be
 * the same. */
static const char *reverse_refused(const struct machine_config *cfg, const struct run_options *ro)
{
    struct stat st;
    if (ro->trace)
        return "not while recording a trace (--trace): it is written once";
    if (cfg->uart_out)
        return "not with --uart-out: a rerun would write the file again";
    if (cfg->n_explain)
        return "not with --explain-at: a rerun would print its reports again";
    if (!cfg->uart_in &&
        (fstat(STDIN_FILENO, &st) != 0 || !S_ISCHR(st.st_mode) || isatty(STDIN_FILENO)))
        return "the UART reads standard input, which a rerun cannot read again "
               "(give --uart-in FILE, or < /dev/null)";
    return NULL;
}

static int cmd_run(int argc, char **argv, enum run_mode mode)
{
    struct machine_config cfg;
    struct run_options ro = {.mode = mode};
    machine_config_defaults(&cfg);
    int rc = parse_run(argc, argv, &cfg, &ro);
    if (rc)
        return rc == EXIT_HELP ? 0 : rc;
    if (mode == MODE_DTB)
        return write_dtb(&cfg, ro.out);
    if (!ro.progress_set)
        cfg.progress = isatty(STDERR_FILENO);
    char err[1200];
    struct stimulus *stim = NULL;
    if (ro.stimulus) {
        stim = stimulus_parse_file(ro.stimulus, err, sizeof(err));
        if (!stim) {
            fprintf(stderr, "a64sim: %s\n", err);
            return EXIT_USAGE;
        }
        cfg.stimulus = stim;
    }
    if (ro.gdb) {
        cfg.gdb = gdb_stub_new(ro.gdb, ro.gdb_wait, err, sizeof(err));
        if (!cfg.gdb) {
            fprintf(stderr, "a64sim: %s\n", err);
            stimulus_free(stim);
            return EXIT_USAGE;
        }
    }
    struct trace_rec *t = ro.trace ? trace_rec_new_file(ro.trace) : NULL;
    cfg.trace = t;
    cfg.interrupt = &stop_signal;
    install_handler(SIGINT, on_stop_signal);
    install_handler(SIGTERM, on_stop_signal);
    struct machine *m = machine_new(&cfg, err, sizeof(err));
    if (!m) {
        fprintf(stderr, "a64sim: %s\n", err);
        trace_rec_free(t);
        stimulus_free(stim);
        gdb_stub_free(cfg.gdb);
        return EXIT_USAGE;
    }
    if (cfg.gdb)
        gdb_stub_allow_reverse(cfg.gdb, reverse_refused(&cfg, &ro));
    struct run_result r;
    double t0 = wall_seconds();
    machine_run(m, &r);
    /* gdb went back: the same machine again, from the start. */
    while (cfg.gdb && gdb_stub_rerun(cfg.gdb)) {
        if (machine_uart_bytes(m) > cfg.uart_skip)
            cfg.uart_skip = machine_uart_bytes(m);
        machine_free(m);
        m = machine_new(&cfg, err, sizeof(err));
        if (!m) {
            fprintf(stderr, "a64sim: %s\n", err);
            stimulus_free(stim);
            gdb_stub_free(cfg.gdb);
            return EXIT_INTERNAL; /* it was built once from the same input */
        }
        machine_run(m, &r);
    }
    double wall = wall_seconds() - t0;
    bool written = finish_trace(t, ro.trace, &r);
    machine_report(m, &r, stderr);
    print_summary(m, &r, wall);
    if (cfg.race_seed && machine_race_draws(m) == 0)
        fprintf(stderr,
                "a64sim: --race-seed %" PRIu64 " changed nothing: the run drew no latency to "
                "perturb (no GIC delivery, ITS command or vPE residency change with a latency "
                "above 0)\n",
                cfg.race_seed);
    machine_free(m);
    /* When some output could not be written the run leaves none of its
     * output files behind, so none is taken for whole. (A guest's own
     * semihosting exit status 2 is not that.) */
    if (!written || r.reason == RUN_OUTPUT_FAILED || r.reason == RUN_TRACE_STOPPED) {
        remove_output(cfg.uart_out);
        remove_output(ro.trace);
    }
    trace_rec_free(t);
    stimulus_free(stim);
    gdb_stub_free(cfg.gdb);
    return r.exit_code;
}

/* ---- explore ---- */

/* --seed-range A..B */
static bool parse_range(const char *s, uint64_t *a, uint64_t *b)
{
    const char *dots = strstr(s, "..");
    char first[32];
    if (!dots || (size_t)(dots - s) >= sizeof first)
        return false;
    snprintf(first, sizeof first, "%.*s", (int)(dots - s), s);
    return parse_u64(first, false, a) && parse_u64(dots + 2, false, b) && *a >= 1 && *a <= *b;
}

/* a64sim explore: its own options, then everything else as for run. */
static int cmd_explore(int argc, char **argv)
{
    struct explore_options eo = {.out_dir = "."};
    const char *run_check_text = NULL;
    struct machine_config cfg;
    struct run_options ro = {.mode = MODE_RUN};
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0, rc;
    bool seeds = false;

    if (!rest)
        host_out_of_memory();
    if (argc > 0 && !strcmp(argv[0], "--merge")) {
        free(rest);
        if (argc < 2)
            return usage_error("explore --merge: give the results files of every shard%s%s", "",
                               "");
        return explore_merge(argv + 1, argc - 1, stdout, stderr);
    }
    machine_config_defaults(&cfg);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;
        if (!strcmp(a, "--stop-at-first")) {
            eo.stop_at_first = true;
            continue;
        }
        if (!strcmp(a, "--minimize")) {
            eo.minimize = true;
            continue;
        }
        if (strcmp(a, "--seeds") && strcmp(a, "--seed-range") && strcmp(a, "--expect-exit") &&
            strcmp(a, "--expect-output") && strcmp(a, "--out") && strcmp(a, "--shard") &&
            strcmp(a, "--results") && strcmp(a, "--jobs") && strcmp(a, "--check")) {
            if (!strcmp(a, "--race-seed") || !strcmp(a, "--trace") || !strcmp(a, "--uart-out") ||
                !strcmp(a, "--explain-at") || !strcmp(a, "--progress") || !strcmp(a, "--gdb") ||
                !strcmp(a, "--gdb-wait")) {
                free(rest);
                return usage_error("explore: %s is not an explore option (explore chooses the "
                                   "seeds and captures each run)%s",
                                   a, "");
            }
            rest[nrest++] = argv[i];
            continue;
        }
        if (!v) {
            free(rest);
            return usage_error("%s needs a value%s", a, "");
        }
        i++;
        if (!strcmp(a, "--seeds")) {
            if (seeds || !parse_u64(v, false, &n) || n < 1 || n > UINT64_MAX / 2) {
                free(rest);
                return usage_error("--seeds: expected a count of seeds from 1, got '%s'%s", v, "");
            }
            eo.first = 1, eo.last = n, seeds = true;
        } else if (!strcmp(a, "--seed-range")) {
            if (seeds || !parse_range(v, &eo.first, &eo.last)) {
                free(rest);
                return usage_error("--seed-range: expected A..B with 1 <= A <= B, got '%s'%s", v,
                                   "");
            }
            seeds = true;
        } else if (!strcmp(a, "--expect-exit")) {
            if (!parse_u64(v, false, &n) || n > 255) {
                free(rest);
                return usage_error("--expect-exit: expected an exit code 0 to 255, got '%s'%s", v,
                                   "");
            }
            eo.expect_exit = true, eo.exit_code = (int)n;
        } else if (!strcmp(a, "--expect-output")) {
            eo.expect_output = v;
        } else if (!strcmp(a, "--results")) {
            eo.results = v;
        } else if (!strcmp(a, "--check")) {
            if (run_check_text) {
                free(rest);
                return usage_error("--check: give one (join conditions with &&)%s%s", "", "");
            }
            run_check_text = v;
        } else if (!strcmp(a, "--jobs")) {
            if (!parse_u64(v, false, &n) || n < 1 || n > EXPLORE_MAX_JOBS) {
                free(rest);
                return usage_error("--jobs: expected 1 to 64 worker processes, got '%s'%s", v, "");
            }
            eo.jobs = (unsigned)n;
        } else if (!strcmp(a, "--shard")) {
            unsigned si, sn;
            char tail;
            if (sscanf(v, "%u/%u%c", &si, &sn, &tail) != 2 || si < 1 || si > sn || sn > 4096) {
                free(rest);
                return usage_error("--shard: expected I/N with 1 <= I <= N <= 4096, got '%s'%s", v,
                                   "");
            }
            eo.shard = si, eo.shards = sn;
        } else {
            eo.out_dir = v;
        }
    }
    rc = parse_run(nrest, rest, &cfg, &ro);
    free(rest);
    if (rc)
        return rc == EXIT_HELP ? 0 : rc;
    if (!seeds)
        return usage_error("explore: give the seeds with --seeds N or --seed-range A..B%s%s", "",
                           "");
    struct stat st;
    if (stat(eo.out_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return usage_error("--out %s: not a directory (explore records failing seeds there)%s",
                           eo.out_dir, "");
    char err[1200];
    struct run_check *chk = NULL;
    if (run_check_text && !(chk = run_check_parse(run_check_text, err, sizeof err)))
        return usage_error("--check '%s': %s", run_check_text, err);
    eo.check = chk;
    struct stimulus *stim = NULL;
    if (ro.stimulus) {
        stim = stimulus_parse_file(ro.stimulus, err, sizeof(err));
        if (!stim) {
            fprintf(stderr, "a64sim: %s\n", err);
            run_check_free(chk);
            return EXIT_USAGE;
        }
        cfg.stimulus = stim;
    }
    cfg.interrupt = &stop_signal;
    install_handler(SIGINT, on_stop_signal);
    install_handler(SIGTERM, on_stop_signal);
    rc = explore_run(&cfg, &eo, stdout, stderr);
    stimulus_free(stim);
    run_check_free(chk);
    return rc;
}

/* ---- replay and trace: positional arguments and --opt VALUE pairs ---- */

struct arg_spec {
    const char *name; /* "--image"; NULL ends the table */
    const char **value;
};

/* Split ARGV into up to MAXPOS positional arguments and the options of
 * SPECS; returns 0 or the usage error's exit code. */
static int parse_args(const char *cmd, int argc, char **argv, const struct arg_spec *specs,
                      const char **pos, int maxpos, int *npos)
{
    *npos = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || !arg[1]) {
            if (*npos == maxpos)
                return usage_error("%s: unexpected argument '%s'", cmd, arg);
            pos[(*npos)++] = arg;
            continue;
        }
        const char *eq = strchr(arg, '=');
        size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
        const struct arg_spec *spec = NULL;
        for (const struct arg_spec *s = specs; s->name; s++)
            if (strlen(s->name) == nlen && !strncmp(s->name, arg, nlen))
                spec = s;
        if (!spec)
            return usage_error("%s: unknown option '%s'", cmd, arg);
        const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!value)
            return usage_error("%s needs a value%s", spec->name, "");
        *spec->value = value;
    }
    return 0;
}

/* replay's options but --gdb-wait (the one flag, taken out first). */
static int parse_replay(int argc, char **argv, struct replay_options *o, const char **cost,
                        const char **gdb)
{
    const struct arg_spec specs[] = {{"--image", &o->image},
                                     {"--cost", cost},
                                     {"--uart-out", &o->uart_out},
                                     {"--append", &o->append},
                                     {"--initrd", &o->initrd},
                                     {"--dtb", &o->dtb},
                                     {"--gdb", gdb},
                                     {NULL, NULL}};
    const char *pos[1];
    int npos;
    int rc = parse_args("replay", argc, argv, specs, pos, 1, &npos);
    if (rc)
        return rc;
    if (npos != 1)
        return usage_error("replay: expected one TRACE file%s%s", "", "");
    o->trace = pos[0];
    return 0;
}

static int cmd_replay(int argc, char **argv)
{
    struct replay_options o = {0};
    const char *cost = NULL, *gdb = NULL;
    bool gdb_wait = false;
    char **args = calloc((size_t)argc + 1, sizeof *args);
    int nargs = 0;
    if (!args)
        host_out_of_memory();
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--gdb-wait"))
            gdb_wait = true;
        else
            args[nargs++] = argv[i];
    }
    int rc = parse_replay(nargs, args, &o, &cost, &gdb);
    free(args);
    if (rc)
        return rc;
    if (gdb_wait && !gdb)
        return usage_error("--gdb-wait needs --gdb tcp::PORT or --gdb unix:PATH%s%s", "", "");
    char err[512];
    if (cost) {
        o.cost = cost_default;
        if (!cost_table_load(&o.cost, cost, err, sizeof(err))) {
            fprintf(stderr, "a64sim: %s\n", err);
            return EXIT_USAGE;
        }
        o.cost_set = true;
    }
    if (gdb) {
        o.gdb = gdb_stub_new(gdb, gdb_wait, err, sizeof(err));
        if (!o.gdb) {
            fprintf(stderr, "a64sim: %s\n", err);
            return EXIT_USAGE;
        }
    }
    rc = replay(&o, stdout, stderr);
    gdb_stub_free(o.gdb);
    return rc;
}

static int dump_filter(struct trace_filter *f, const char *pe, const char *from, const char *to,
                       const char *kinds)
{
    uint64_t v;
    char err[1024];
    int rc;
    if (pe) {
        if ((rc = parse_ranged("--pe", pe, 0, MAX_CPUS - 1, &v)))
            return rc;
        f->by_pe = true;
        f->pe = (unsigned)v;
    }
    if (from && (rc = parse_ranged("--from", from, 0, UINT64_MAX, &f->from)))
        return rc;
    if (to && (rc = parse_ranged("--to", to, 0, UINT64_MAX, &f->to)))
        return rc;
    if (f->from > f->to)
        return usage_error("trace dump: --from %s is after --to %s: no cycle is in that range",
                           from, to);
    if (kinds && !trace_filter_kinds(f, kinds, err, sizeof(err)))
        return usage_error("%s%s", err, "");
    return 0;
}

static int cmd_trace(int argc, char **argv)
{
    if (argc < 1)
        return usage_error("trace: expected dump, diff, timeline or stats%s%s", "", "");
    const char *sub = argv[0];
    const char *image = NULL, *pe = NULL, *from = NULL, *to = NULL, *kinds = NULL, *out = NULL;
    const char *pos[2];
    int npos, rc;
    if (!strcmp(sub, "dump")) {
        const struct arg_spec specs[] = {{"--image", &image}, {"--pe", &pe},
                                         {"--from", &from},   {"--to", &to},
                                         {"--kinds", &kinds}, {NULL, NULL}};
        if ((rc = parse_args("trace dump", argc - 1, argv + 1, specs, pos, 1, &npos)))
            return rc;
        if (npos != 1)
            return usage_error("trace dump: expected one TRACE file%s%s", "", "");
        struct trace_filter f;
        trace_filter_init(&f);
        if ((rc = dump_filter(&f, pe, from, to, kinds)))
            return rc;
        return trace_dump(pos[0], &f, image, stdout, stderr);
    }
    if (!strcmp(sub, "diff")) {
        const struct arg_spec specs[] = {{"--image", &image}, {NULL, NULL}};
        if ((rc = parse_args("trace diff", argc - 1, argv + 1, specs, pos, 2, &npos)))
            return rc;
        if (npos != 2)
            return usage_error("trace diff: expected two TRACE files%s%s", "", "");
        return trace_diff(pos[0], pos[1], image, stdout, stderr);
    }
    if (!strcmp(sub, "timeline")) {
        const struct arg_spec specs[] = {{"-o", &out}, {NULL, NULL}};
        if ((rc = parse_args("trace timeline", argc - 1, argv + 1, specs, pos, 1, &npos)))
            return rc;
        if (npos != 1 || !out)
            return usage_error("trace timeline: expected TRACE -o OUT.json%s%s", "", "");
        return trace_timeline(pos[0], out, stderr);
    }
    if (!strcmp(sub, "stats")) {
        const struct arg_spec specs[] = {{NULL, NULL}};
        if ((rc = parse_args("trace stats", argc - 1, argv + 1, specs, pos, 1, &npos)))
            return rc;
        if (npos != 1)
            return usage_error("trace stats: expected one TRACE file%s%s", "", "");
        return trace_stats(pos[0], stdout, stderr);
    }
    return usage_error("trace: unknown subcommand '%s' (expected dump, diff, timeline or stats)%s",
                       sub, "");
}

int main(int argc, char **argv)
{
    install_handler(SIGABRT, on_abort);
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("a64sim %s\n", A64SIM_VERSION);
        return 0;
    }
    if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "run"))
        return cmd_run(argc - 2, argv + 2, MODE_RUN);
    if (!strcmp(argv[1], "boot"))
        return cmd_run(argc - 2, argv + 2, MODE_BOOT);
    if (!strcmp(argv[1], "dtb"))
        return cmd_run(argc - 2, argv + 2, MODE_DTB);
    if (!strcmp(argv[1], "replay"))
        return cmd_replay(argc - 2, argv + 2);
    if (!strcmp(argv[1], "explore"))
        return cmd_explore(argc - 2, argv + 2);
    if (!strcmp(argv[1], "trace"))
        return cmd_trace(argc - 2, argv + 2);
    return usage_error("unknown command '%s'%s", argv[1], "");
}
