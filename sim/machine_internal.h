/* What sim/machine.c (building the board), sim/run.c (the run loop) and
 * sim/report.c (stop reports and explanations) share. Nothing outside sim/
 * includes this: the machine's interface is sim/machine.h. */
#ifndef SIM_MACHINE_INTERNAL_H
#define SIM_MACHINE_INTERNAL_H

#include <stdio.h>

#include "cpu/cpu.h"
#include "loader/boot.h"
#include "sim/machine.h"
#include "sim/psci.h"
#include "sim/sched.h"
#include "traces/record.h"

struct bus;
struct code_cache;
struct pl011;
struct gic;
struct timer;

/* Latency (or quantum, or first PE) L of KIND for PE, as --race-seed and
 * --jitter perturb it (sim/machine.c): one draw of the run's generator.
 * Without --race-seed it is L, inline: the scheduler asks every round. */
uint64_t machine_race_draw(struct machine *m, uint64_t l, enum race_kind kind, unsigned pe);

/* Where the semihosting console, notices and explanations go. */
#define machine_diag(m) ((m)->cfg.diag ? (m)->cfg.diag : stderr)

struct machine {
    struct machine_config cfg;
    struct bus *bus;
    struct code_cache *code;
    struct sched *sched;
    struct cpu *cpu[MAX_CPUS];
    unsigned ncpus;
    /* PSCI CPU_ON in flight: the PE powers on when the event fires. */
    struct power_on {
        struct machine *m;
        unsigned pe;
        bool pending;
        uint64_t entry, context;
        unsigned el;
        struct sched_event ev;
    } power_on[MAX_CPUS];
    /* The event stream's wake-up of a PE asleep in WFE. */
    struct evstream_wake {
        struct machine *m;
        unsigned pe;
        struct sched_event ev;
    } evstream[MAX_CPUS];
    struct psci_platform psci;
    struct pl011 *uart;
    struct pl031 *rtc;
    struct sched_event rtc_ev; /* the RTC's next match (pl031_next_event) */
    struct gic *gic;
    struct sched_event its_ev; /* the ITS's next command (gic_its_step) */
    /* The timers' output lines on their way to the GIC (--jitter timer):
     * each line's changes not yet applied, oldest first. */
#define TIMER_LINES      4
#define TIMER_LINE_QUEUE 8
    struct timer_line {
        struct machine *m;
        unsigned pe, intid;
        struct sched_event ev;
        unsigned n;
        struct {
            uint64_t at;
            bool level;
        } q[TIMER_LINE_QUEUE];
    } timer_lines[MAX_CPUS][TIMER_LINES];
    /* A vPE residency change in progress at each PE's redistributor. */
    struct vpe_change {
        struct machine *m;
        unsigned pe;
        struct sched_event ev;
    } vpe[MAX_CPUS];
    unsigned notices;    /* gic_config.notice lines printed */
    struct timer *timer; /* the system counter and every PE's timers */
    /* The GIC's outputs on their way to each PE: what to drive, and the
     * event that drives it after the delivery latency. */
    struct line_delivery {
        struct machine *m;
        unsigned pe;
        bool irq, fiq;         /* wanted */
        bool irq_now, fiq_now; /* delivered */
        struct sched_event ev;
    } deliver[MAX_CPUS];
    uint64_t round_end;       /* end of the current round (SCHED_NEVER between rounds) */
    uint64_t race_state;      /* xorshift64 state of --race-seed */
    uint64_t race_draws;      /* draws made so far (perturbed()) */
    struct boot_image kernel; /* the image the boot PE starts from */
    uint64_t boot_x0;         /* X0 at the boot PE's entry: the device tree, or 0 */
    uint64_t boot_hash;       /* of the initrd and the device tree as placed; 0: none */

    /* What --max-insns counts (run.c): the sum of steps_seen, each PE's
     * instructions and exceptions as of the end of its last turn. A PE's
     * counts change only inside its own turn, so the sum is exact between
     * turns without re-summing every PE. */
    uint64_t steps;
    uint64_t steps_seen[MAX_CPUS];
    /* Each PE's local time when the run loop last read it (run.c): a lower
     * bound of it, since local time never goes back. */
    uint64_t time_seen[MAX_CPUS];

    FILE *out;        /* UART output (semihosting output goes to stderr, as QEMU's) */
    bool out_owned;   /* opened from --uart-out */
    bool out_regular; /* ... and a regular file: removed if writing it fails */
    FILE *in;         /* UART input, or NULL */
    bool in_owned;
    bool in_nonblocking;     /* interactive terminal: see uart_rx */
    bool in_raw;             /* ... in raw mode: Ctrl-A X quits */
    bool escape;             /* a Ctrl-A was typed: the next key is a command */
    bool quit;               /* Ctrl-A X: stop as SIGINT would */
    unsigned console_rounds; /* rounds since the console was last polled */

    /* --explain-at points already printed, and an irq: point that became
     * pending and waits for the end of the instruction or event that
     * raised it (run.c). */
    bool explained[MAX_EXPLAIN];
    int explain_irq_due;
    uint64_t explain_next_cycle; /* earliest cycle point not printed yet, or UINT64_MAX */

    /* Set by a firmware call or a fault; ends the run. */
    bool stop;
    struct run_result result;
    /* --progress (run.c): when the status line was last printed (host
     * seconds) and the totals then. */
    struct {
        double wall;
        uint64_t insns, interrupts, cycles;
        unsigned rounds;
        bool shown;
    } progress;

    /* Tracing (cfg.trace may be NULL: the trace_* calls then do nothing). */
    struct trace_rec *trace;
    unsigned cur_pe;       /* the PE inside cpu_run, or TRACE_PE_NONE */
    bool asleep[MAX_CPUS]; /* the run loop saw it enter WFI/WFE */
    enum trace_wait asleep_how[MAX_CPUS];

    /* External inputs: the next stimulus event, and the bytes that arrived
     * for the UART and that it has not taken yet. */
    struct sched_event stim_ev;
    size_t stim_next;
    uint8_t *rxq;
    size_t rxq_head, rxq_len, rxq_cap;
    uint64_t rx_pulls;  /* the UART's requests for input so far */
    size_t host_cursor; /* in the stimulus's recorded host bytes (replay) */

    unsigned gdb_rounds; /* rounds since the gdb stub last looked at its socket */
    uint64_t uart_count; /* bytes the guest sent to the UART so far */
};

static inline uint64_t machine_perturbed(struct machine *m, uint64_t l, enum race_kind kind,
                                         unsigned pe)
{
    return m->cfg.race_seed ? machine_race_draw(m, l, kind, pe) : l;
}

/* The time of whatever is happening now: inside a PE's turn, its local
 * time; otherwise the scheduler's. */
uint64_t machine_now(const struct machine *m);

/* A raw terminal (m->in_raw): take what was typed (machine.c). WAIT: block
 * until a key comes, a Ctrl-A X or a signal. */
enum console_poll { CONSOLE_NONE, CONSOLE_INPUT, CONSOLE_CLOSED };
enum console_poll machine_console_poll(struct machine *m, bool wait);

/* Schedule EV at WHEN (never before the scheduler's present). An event
 * due before the end of the round in progress shortens the round. */
void machine_schedule(struct machine *m, struct sched_event *ev, uint64_t when);

/* Writing the UART output failed (ERRNO_VALUE): the run stops with exit
 * code 2 and the output file is removed rather than left half-written. */
void machine_output_failed(struct machine *m, int errno_value);

/* ---- observers (run.c) ---- */

/* INTID just became pending: an irq: --explain-at point may be due. */
void machine_observe_pending(struct machine *m, unsigned intid);
/* PE is about to execute the instruction at PC: a pc: point may be due. */
void machine_observe_pc(struct machine *m, unsigned pe, uint64_t pc);

/* The gdb stub armed (ARMED) or disarmed every breakpoint, watchpoint
 * and step: the PEs check each instruction only while one is armed
 * (machine.c). */
void machine_gdb_armed(struct machine *m, bool armed);

/* ---- reports (report.c) ---- */

/* Every PE's state line, its GIC CPU interface and pending interrupts with
 * the gate that stops each, and the deliveries still on their way. */
void machine_explain(struct machine *m, FILE *f);

#endif
