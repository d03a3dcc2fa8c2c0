/* The machine: RAM and bus, PEs, devices, firmware, scheduler — everything
 * one run needs, with no global state. Built from a machine_config,
 * loaded, run once, freed. */
#ifndef SIM_MACHINE_H
#define SIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cost.h"
#include "cpu/profile.h"

/* The virt board (QEMU -M virt,gic-version=3). */
#define BOARD_RAM_BASE  0x40000000ull
#define BOARD_UART_BASE 0x09000000ull
#define BOARD_UART_SIZE 0x1000ull
#define BOARD_UART_SPI  1
#define BOARD_RTC_BASE  0x09010000ull /* PL031 */
#define BOARD_RTC_SIZE  0x1000ull
#define BOARD_RTC_SPI   2
#define BOARD_GICD_BASE 0x08000000ull
#define BOARD_GICD_SIZE 0x10000ull
#define BOARD_GICR_BASE 0x080a0000ull
#define BOARD_ITS_BASE  0x08080000ull /* GITS control and translation frames */
#define BOARD_ITS_SIZE  0x20000ull
/* With --gic v4.1 the ITS has a third frame, for vSGIs (GITS_SGIR), and
 * would overlap the redistributors at QEMU's address: it moves down. */
#define BOARD_ITS41_BASE    0x08050000ull
#define BOARD_ITS41_SIZE    0x30000ull
#define DEFAULT_LPI_BITS    16
#define DEFAULT_ITS_LATENCY 20  /* cycles an ITS command takes */
#define DEFAULT_VPE_LATENCY 100 /* cycles a vPE residency change takes (GICv4) */
#define DEFAULT_SPIS        256
#define DEFAULT_PRI_BITS    5
#define DEFAULT_GIC_LRS     4
#define DEFAULT_GIC_LATENCY 100           /* cycles from a GIC state change to a PE input */
#define DEFAULT_CNTFRQ      62500000ull   /* system counter Hz, as QEMU's virt board */
#define DEFAULT_RTC_EPOCH   1767225600ull /* 2026-01-01 00:00:00 UTC: the RTC at cycle 0 */

#define DEFAULT_MEM_SIZE (512ull << 20)
#define MIN_MEM_SIZE     (1ull << 20)
#define MAX_MEM_SIZE     (64ull << 30)
#define DEFAULT_QUANTUM  4096 /* cycles a PE runs before the next PE's turn */
#define PE_CLOCK_HZ      1000000000ull
#define MAX_CPUS         8
#define POWER_ON_LATENCY 1000         /* cycles from PSCI CPU_ON to the PE's first instruction */
#define MAX_CYCLE        (1ull << 62) /* no run gets further: the largest --max-cycles */

struct trace_rec;
struct stimulus;
struct elf_image;
struct machine;

/* An --explain-at point: when to print the why-not-taken report. Observing
 * never changes the run (docs/architecture.md, "Observers"). */
enum explain_kind {
    EXPLAIN_CYCLE, /* the first moment a PE's local time reaches VALUE, or the
                      machine's time passes it with no PE running */
    EXPLAIN_IRQ,   /* the first time INTID VALUE becomes pending */
    EXPLAIN_PC,    /* the first time a PE is about to execute the instruction at VALUE */
};
struct explain_point {
    enum explain_kind kind;
    uint64_t value;
};
#define MAX_EXPLAIN 16

/* What --race-seed perturbs: the latencies, each draw of one. */
enum race_kind {
    RACE_GIC_DELIVERY,
    RACE_ITS_COMMAND,
    RACE_VPE_RESIDENCY,
    RACE_POWER_ON,
    RACE_TIMER,   /* a timer output's way to its PPI at the GIC, 0 and not perturbed by default */
    RACE_QUANTUM, /* a round's length (the quantum), not perturbed by default */
    RACE_ORDER,   /* the first PE of a round's pass, not perturbed by default */
    RACE_KINDS
};

/* --jitter CLASS=MIN:MAX: the bounds a latency class is drawn from with
 * --race-seed, instead of its default ([L, 2L]; PSCI power-on: not
 * perturbed). */
struct race_bounds {
    bool set;
    uint64_t min, max;
};

/* The classes' names, as --jitter and the trace header spell them
 * ("gic", "its", "vpe", "power-on", "timer", "quantum", "order"); NULL
 * past the last. */
const char *race_kind_name(enum race_kind k);

struct race_draw {
    uint64_t index; /* the draws of a run count from 0 */
    enum race_kind kind;
    unsigned pe;          /* the PE delivered to (GIC, vPE residency); 0 for the ITS */
    uint64_t cycle;       /* when the latency starts */
    uint64_t base, value; /* the configured latency and the one drawn */
};

struct machine_config {
    const char *image; /* the kernel: an ELF, a Linux arm64 Image or a raw binary */
    /* A Linux boot (loader/boot.h): what /chosen's bootargs say, an initrd
     * to load, a device tree to use instead of the generated one. Any of
     * them, or an image that is not ELF, makes the boot PE start with X0 =
     * the device tree's address. NULL: none. */
    const char *append;
    const char *initrd;
    const char *dtb;
    bool raw;             /* --raw: IMAGE is a raw binary, loaded at RAM + 0x80000 */
    bool progress;        /* a status line on stderr about once a host second (observes only) */
    uint64_t mem_size;    /* bytes of RAM at BOARD_RAM_BASE */
    uint64_t max_insns;   /* 0: no limit */
    uint64_t max_cycles;  /* 0: no limit */
    const char *uart_out; /* NULL: stdout */
    const char *uart_in;  /* NULL: stdin */
    FILE *uart_file;      /* not NULL: UART output goes here (the caller's), not to uart_out */
    FILE *diag;           /* semihosting console and notices; NULL: stderr */
    unsigned cpus;        /* number of PEs */
    unsigned el;          /* EL the guest starts in: 1 (no EL2) or 2 (EL2 implemented) */
    uint64_t quantum;     /* cycles per PE turn */
    struct cost_table cost;
    /* --cpu: ID registers and features (default max) */
    enum cpu_profile profile;
    uint64_t race_seed; /* 0: none; else perturbs the GIC delivery latency (see docs/gic.md) */
    /* explore --minimize: only the draws whose index is marked keep their
     * perturbed latency (NULL: all do); and an observer of every draw. */
    struct race_bounds jitter[RACE_KINDS];
    const uint8_t *race_keep;
    size_t race_keep_len;
    void (*race_log)(void *opaque, const struct race_draw *d);
    void *race_log_opaque;
    /* Told of every instruction before it executes, with its PE's time
     * (explore --minimize's report): the same instructions run either way. */
    void (*insn_log)(void *opaque, unsigned pe, uint64_t cycle, uint64_t pc, uint32_t insn);
    void *insn_log_opaque;
    unsigned spis;         /* SPIs the distributor implements (multiple of 32) */
    unsigned gic_pri_bits; /* implemented priority bits, 4 to 8 */
    unsigned gic_lrs;      /* list registers of each virtual CPU interface, 1 to 16 */
    uint64_t gic_latency;  /* cycles from a GIC state change to the PE's input */
    unsigned gic_version;  /* enum gic_version: 0 GICv3, 1 GICv4.0, 2 GICv4.1 (--gic) */
    unsigned lpi_bits;     /* INTID bits with LPIs, 14 to 20 (--lpi-bits) */
    unsigned its;          /* 1: the board has an ITS (--its on, the default) */
    uint64_t its_latency;  /* cycles an ITS command takes (--its-latency) */
    uint64_t vpe_latency;  /* cycles a GICR_VPENDBASER residency change takes (--vpe-latency) */
    struct explain_point explain[MAX_EXPLAIN]; /* --explain-at, in command-line order */
    unsigned n_explain;
    uint64_t cntfrq;    /* system counter frequency in Hz (docs/timer.md) */
    uint64_t rtc_epoch; /* the PL031's seconds at cycle 0 (--rtc-epoch) */

    /* Tracing and external inputs (traces/). The recorder and the stimulus
     * stay the caller's; the machine only calls them. */
    struct trace_rec *trace;         /* NULL: no trace */
    bool trace_insns;                /* record every instruction */
    bool trace_mmio;                 /* record every device access */
    const struct stimulus *stimulus; /* timed inputs, or NULL */
    /* Set by the host (a signal handler) to a signal number to stop the run
     * at the next turn boundary; NULL: never. */
    const volatile sig_atomic_t *interrupt;
    /* Replaying a run that was interrupted: stop as it did, at the first
     * turn boundary with these totals, with exit code 128 + stop_signal.
     * stop_signal 0: not used. */
    uint64_t stop_insns, stop_cycles;
    int stop_signal;
    /* Replaying a run that reached --max-cycles with every PE asleep: the
     * recorded run still had inputs due after its end, which its trace
     * does not hold, so with nothing left to wait for, time runs on to
     * this cycle instead of ending in a deadlock. 0: not used. */
    uint64_t idle_until;
    bool replay_input; /* the UART's host input is the stimulus's recorded bytes
                          (replay), not uart_in/stdin */
    /* A gdb stub (sim/gdbstub.h), the caller's: the run stops where gdb
     * asks. NULL: none, and the interpreter runs without its check. */
    struct gdb_stub *gdb;
    /* The first UART bytes the guest sends that are not written out: a
     * rerun for gdb's reverse execution prints only what no earlier run
     * of the session printed. */
    uint64_t uart_skip;
};

/* The hash of a Linux boot's initrd and device tree as placed (0 for a
 * plain ELF run), which the trace header records as boot.hash. */
uint64_t machine_boot_hash(const struct machine *m);

/* Defaults for every field (image left NULL). */
void machine_config_defaults(struct machine_config *cfg);

enum run_exit {
    RUN_POWER_OFF,     /* PSCI SYSTEM_OFF: exit code 0 */
    RUN_SEMIHOST_EXIT, /* semihosting SYS_EXIT(_EXTENDED): the guest's code */
    RUN_DEADLOCK,      /* every PE waits and nothing can wake one: 1 */
    RUN_GUEST_FAULT,   /* a condition with no modelled exception: 1 */
    RUN_LIMIT_INSNS,   /* --max-insns reached: 124 */
    RUN_LIMIT_CYCLES,  /* --max-cycles reached: 124 */
    RUN_SYSTEM_RESET,  /* PSCI SYSTEM_RESET: 0 (the run ends, as QEMU -no-reboot) */
    RUN_ALL_OFF,       /* every PE powered itself off (PSCI CPU_OFF): 1 */
    RUN_TRACE_STOPPED, /* the recorder stopped the run: a trace write failed, or a
                          replay diverged or ran out of recording: 2 */
    RUN_INTERRUPTED,   /* SIGINT or SIGTERM: 128 + the signal number */
    RUN_OUTPUT_FAILED, /* the UART output could not be written (disk full, ...): 2 */
};

struct run_result {
    enum run_exit reason;
    int exit_code;       /* what the a64sim process should exit with */
    unsigned pe;         /* the PE that caused the stop (fault, exit, power off) */
    uint64_t insns;      /* retired, all PEs */
    uint64_t exceptions; /* taken, all PEs */
    int output_errno;    /* RUN_OUTPUT_FAILED: why */
    const char *output;  /* RUN_OUTPUT_FAILED: the file, or NULL for stdout */
    uint64_t cycles;     /* simulated time at the stop */
};

struct machine;

/* Build the machine and load cfg->image. On bad input (image, files)
 * returns NULL with one "<file>: <problem>" message in err, having created
 * no output file. */
struct machine *machine_new(const struct machine_config *cfg, char *err, size_t errlen);
void machine_free(struct machine *m);

/* Run to the end; fills *r. */
void machine_run(struct machine *m, struct run_result *r);

/* Write the stop report (fault details, deadlock explanation) for R to
 * stream F; nothing for a clean power-off or exit. */
void machine_report(struct machine *m, const struct run_result *r, FILE *f);

unsigned machine_cpu_count(const struct machine *m);
uint64_t machine_cpu_insns(const struct machine *m, unsigned pe);
uint64_t machine_cpu_cycles(const struct machine *m, unsigned pe);
/* A PE's registers where it stands: X0-X30 (N 0..30), SP (31), PC (32),
 * the current EL (33). */
uint64_t machine_cpu_reg(const struct machine *m, unsigned pe, unsigned n);
/* LEN bytes of guest memory at VA as PE sees it (its current
 * translation), with no side effects: false when a byte is not RAM. */
bool machine_read_guest(struct machine *m, unsigned pe, uint64_t va, void *buf, size_t len);
const char *run_exit_describe(const struct run_result *r, char *buf, size_t len);

/* The recorder the machine records to (NULL when not tracing): components
 * that record events of their own (GIC, timers) are given this one. */
struct trace_rec *machine_trace(const struct machine *m);
/* The loaded image (symbols for reports) and the FNV-1a hash of its file. */
const struct elf_image *machine_image(const struct machine *m);
uint64_t machine_image_hash(const struct machine *m);
/* Bytes the guest sent to the UART so far (printed or skipped). */
uint64_t machine_uart_bytes(const struct machine *m);
/* How many latencies --race-seed drew in the run so far (0 without it). */
uint64_t machine_race_draws(const struct machine *m);

#endif
