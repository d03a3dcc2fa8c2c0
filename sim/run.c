/* The run loop: rounds, PE turns, the time discipline, limits, and the
 * observers that watch a run without changing it.
 *
 * Time discipline (docs/architecture.md, "Time discipline"):
 *
 *  - The scheduler's time S is the start of the round in progress. A round
 *    ends at E = min(the next multiple of the quantum after S, the next
 *    event, --max-cycles). Quantum boundaries lie on that fixed grid: an
 *    event splits the round it falls in (a PE can observe it, so it must
 *    happen at its time for every PE), but moves no later boundary.
 *  - Each PE has a local time, its cycle count. In its turn a PE runs from
 *    its local time until that reaches E (it may pass E by the cost of its
 *    last instruction). PEs take their turns in index order.
 *  - No running PE is ever behind S when its turn starts.
 *  - Whatever a PE does in its turn happens at its local time: an event it
 *    raises (a GIC delivery, a CPU_ON) is scheduled from that time. One due
 *    before E shortens the round to it: the PE stops there, later PEs run
 *    only to it, earlier PEs keep their lead.
 *  - A PE woken during a round (SEV, a store that clears its exclusive
 *    monitor, an interrupt) resumes at the waker's local time. If its turn
 *    in the round has passed, it gets another after the index-order pass:
 *    the round repeats passes over the PEs still below E until none is.
 *    So a woken PE loses no time to the round structure, and nothing it
 *    schedules can fall before S.
 *  - Events fire after the round, in (time, sequence) order.
 *
 * Observers (--explain-at, tracing) read state at instruction boundaries;
 * the boundaries of rounds and turns depend only on the configuration and
 * on what the PEs do, never on what is observed. An observer that must act
 * inside a turn splits it at an instruction boundary and resumes it with
 * the same limit, which runs the same instructions (cpu_run stops and
 * resumes only at instruction boundaries).
 *
 * At --quantum 1 there is a round every cycle, so a round must cost little
 * beyond its turns: the loop keeps what it needs from one round to the
 * next (each PE's local time as last seen, the --max-insns count, the next
 * --explain-at cycle, the next quantum boundary) instead of asking every
 * PE again, and passes over a PE last seen at or past the round's end. */
#include <assert.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cpu/cpu.h"
#include "sim/gdbstub.h"
#include "sim/machine_internal.h"
#include "traces/record.h"

static uint64_t min_u64(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static uint64_t total_insns(const struct machine *m)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < m->ncpus; i++)
        n += cpu_insns(m->cpu[i]);
    return n;
}

/* What --max-insns counts: retired instructions and exceptions taken
 * (each of which costs at least one cycle), so that a guest looping on an
 * exception that retires nothing is bound by it too. */
static uint64_t total_steps(const struct machine *m)
{
    uint64_t n = total_insns(m);
    for (unsigned i = 0; i < m->ncpus; i++)
        n += cpu_exceptions(m->cpu[i]);
    return n;
}

static uint64_t sim_time(const struct machine *m)
{
    uint64_t t = sched_now(m->sched);
    for (unsigned i = 0; i < m->ncpus; i++)
        if (cpu_cycles(m->cpu[i]) > t)
            t = cpu_cycles(m->cpu[i]);
    return t;
}

static bool any_running(const struct machine *m)
{
    for (unsigned i = 0; i < m->ncpus; i++)
        if (cpu_state(m->cpu[i]) == CPU_RUNNING)
            return true;
    return false;
}

uint64_t machine_now(const struct machine *m)
{
    if (m->cur_pe != TRACE_PE_NONE)
        return cpu_cycles(m->cpu[m->cur_pe]);
    return sched_now(m->sched);
}

void machine_schedule(struct machine *m, struct sched_event *ev, uint64_t when)
{
    if (when < sched_now(m->sched))
        when = sched_now(m->sched);
    sched_mod(m->sched, ev, when);
    if (when >= m->round_end)
        return;
    m->round_end = when;
    if (m->cur_pe != TRACE_PE_NONE)
        cpu_limit(m->cpu[m->cur_pe], when);
}

/* ---- observers: --explain-at ---- */

static void explain_point_name(const struct explain_point *p, char *buf, size_t len)
{
    switch (p->kind) {
    case EXPLAIN_CYCLE: snprintf(buf, len, "%llu", (unsigned long long)p->value); break;
    case EXPLAIN_IRQ: snprintf(buf, len, "irq:%llu", (unsigned long long)p->value); break;
    case EXPLAIN_PC: snprintf(buf, len, "pc:0x%llx", (unsigned long long)p->value); break;
    }
}

/* Print point K's report: WHAT says which moment it is. */
static void explain_now(struct machine *m, unsigned k, const char *what)
{
    char name[64];
    explain_point_name(&m->cfg.explain[k], name, sizeof(name));
    m->explained[k] = true;
    fflush(m->out); /* the guest's output so far comes before the report */
    fprintf(machine_diag(m), "a64sim: --explain-at %s: interrupt state %s\n", name, what);
    machine_explain(m, machine_diag(m));
}

/* The earliest cycle point not printed yet (UINT64_MAX: none). Every
 * point at or before a time T is printed once T is reached, so this is
 * also the next point after the present: the run loop keeps it in
 * m->explain_next_cycle, and the common case, no point due, is one
 * compare. */
static uint64_t first_unprinted_cycle(const struct machine *m)
{
    uint64_t next = UINT64_MAX;
    for (unsigned k = 0; k < m->cfg.n_explain; k++) {
        const struct explain_point *p = &m->cfg.explain[k];
        if (!m->explained[k] && p->kind == EXPLAIN_CYCLE)
            next = min_u64(next, p->value);
    }
    return next;
}

static void explain_cycles_reached(struct machine *m, unsigned pe, uint64_t t)
{
    for (unsigned k = 0; k < m->cfg.n_explain; k++) {
        const struct explain_point *p = &m->cfg.explain[k];
        if (m->explained[k] || p->kind != EXPLAIN_CYCLE || p->value > t)
            continue;
        char what[96];
        if (pe == TRACE_PE_NONE)
            snprintf(what, sizeof(what), "at cycle %llu (no PE running)",
                     (unsigned long long)p->value);
        else
            snprintf(what, sizeof(what), "as pe%u reaches cycle %llu", pe, (unsigned long long)t);
        explain_now(m, k, what);
    }
    m->explain_next_cycle = first_unprinted_cycle(m);
}

/* Cycle points reached: by PE (its local time), or, with PE ==
 * TRACE_PE_NONE, by the machine's time passing T with no PE running. */
static void explain_cycles(struct machine *m, unsigned pe, uint64_t t)
{
    if (t >= m->explain_next_cycle)
        explain_cycles_reached(m, pe, t);
}

void machine_observe_pending(struct machine *m, unsigned intid)
{
    for (unsigned k = 0; k < m->cfg.n_explain; k++) {
        const struct explain_point *p = &m->cfg.explain[k];
        if (m->explained[k] || p->kind != EXPLAIN_IRQ || p->value != intid ||
            m->explain_irq_due >= 0)
            continue;
        /* The GIC is in the middle of the change: report once the
         * instruction (or event) that made it has finished. */
        m->explain_irq_due = (int)k;
        if (m->cur_pe != TRACE_PE_NONE)
            cpu_limit(m->cpu[m->cur_pe], 0);
        return;
    }
}

static void explain_irq(struct machine *m)
{
    unsigned k = (unsigned)m->explain_irq_due;
    m->explain_irq_due = -1;
    char what[96];
    snprintf(what, sizeof(what), "when it first becomes pending, at cycle %llu",
             (unsigned long long)machine_now(m));
    explain_now(m, k, what);
}

static void explain_irq_if_due(struct machine *m)
{
    if (m->explain_irq_due >= 0)
        explain_irq(m);
}

void machine_observe_pc(struct machine *m, unsigned pe, uint64_t pc)
{
    for (unsigned k = 0; k < m->cfg.n_explain; k++) {
        const struct explain_point *p = &m->cfg.explain[k];
        if (m->explained[k] || p->kind != EXPLAIN_PC || p->value != pc)
            continue;
        char what[96];
        snprintf(what, sizeof(what), "as pe%u is about to execute it, at cycle %llu", pe,
                 (unsigned long long)cpu_cycles(m->cpu[pe]));
        explain_now(m, k, what);
    }
}

/* ---- rounds and turns ---- */

/* Sleep and wake as the run loop sees them: a PE that returns from
 * cpu_run waiting went to sleep at its WFI/WFE (or PSCI standby call: the
 * PC has moved past it); one found running again was woken since. */
static void note_wake(struct machine *m, unsigned i, enum cpu_state st)
{
    if (!m->asleep[i] || st == CPU_WAIT_WFI || st == CPU_WAIT_WFE)
        return;
    m->asleep[i] = false;
    if (st == CPU_RUNNING)
        trace_wake(m->trace, i, cpu_cycles(m->cpu[i]), m->asleep_how[i]);
}

static void note_sleep(struct machine *m, unsigned i, enum cpu_state st)
{
    if (st != CPU_WAIT_WFI && st != CPU_WAIT_WFE)
        return;
    struct cpu *c = m->cpu[i];
    m->asleep[i] = true;
    m->asleep_how[i] = st == CPU_WAIT_WFI ? TRACE_WAIT_WFI : TRACE_WAIT_WFE;
    trace_sleep(m->trace, i, cpu_cycles(c), m->asleep_how[i], cpu_get_pc(c) - 4);
    uint64_t edge = cpu_evstream_wake_at(c);
    if (edge != UINT64_MAX)
        machine_schedule(m, &m->evstream[i].ev, edge);
}

/* The host asked the run to stop (a signal): checked between rounds, which
 * are instruction boundaries on every PE, so a replay can stop at the same
 * one (the first round boundary with the recorded totals). */
static bool interrupted(struct machine *m)
{
    int sig = m->cfg.interrupt ? (int)*m->cfg.interrupt : 0;
    if (!sig && m->quit)
        sig = SIGINT; /* Ctrl-A X at the terminal */
    if (!sig && m->cfg.stop_signal && total_insns(m) >= m->cfg.stop_insns &&
        sim_time(m) >= m->cfg.stop_cycles)
        sig = m->cfg.stop_signal;
    if (!sig)
        return false;
    if (!m->stop) {
        m->stop = true;
        m->result.reason = RUN_INTERRUPTED;
        m->result.exit_code = 128 + sig;
    }
    return true;
}

/* Bring m->steps up to date with PE I's turn: the sum then holds every
 * PE's count, since a PE's counts change only while it runs. */
static void count_steps(struct machine *m, unsigned i)
{
    struct cpu *c = m->cpu[i];
    uint64_t now = cpu_insns(c) + cpu_exceptions(c);
    m->steps += now - m->steps_seen[i];
    m->steps_seen[i] = now;
}

/* PE I's turn ended with it no longer running. */
static void turn_stopped(struct machine *m, unsigned i, enum cpu_state st)
{
    note_sleep(m, i, st);
    if (st == CPU_HALTED && !m->stop) {
        m->stop = true;
        m->result.reason = RUN_GUEST_FAULT;
        m->result.exit_code = 1;
        m->result.pe = i;
    }
}

/* PE I's turn: from its local time to the round's end (which an event
 * scheduled meanwhile may bring forward) or its share of --max-insns.
 * START is the round's start. Returns whether it ran at all. */
static bool run_turn(struct machine *m, unsigned i, uint64_t start)
{
    struct cpu *c = m->cpu[i];
    enum cpu_state st = cpu_state(c);
    note_wake(m, i, st);
    if (st != CPU_RUNNING)
        return false;
    uint64_t t = cpu_cycles(c);
    if (t < start) {
        cpu_sync_time(c, start);
        t = cpu_cycles(c);
    }
    m->time_seen[i] = t;
    uint64_t limit = m->round_end;
    if (m->cfg.max_insns) {
        /* Every instruction and every exception entry costs at least one
         * cycle, so a budget of R cycles holds at most R of them: the run
         * stops on exactly --max-insns. */
        limit = min_u64(limit, t + (m->cfg.max_insns - m->steps));
    }
    if (t >= limit)
        return false;
    m->cur_pe = i;
    explain_cycles(m, i, t);
    do {
        uint64_t stop = min_u64(limit, m->round_end);
        st = cpu_run(c, min_u64(stop, m->explain_next_cycle));
        explain_irq_if_due(m);
        t = cpu_cycles(c);
        explain_cycles(m, i, t);
    } while (st == CPU_RUNNING && t < min_u64(limit, m->round_end) && !m->stop);
    m->cur_pe = TRACE_PE_NONE;
    m->time_seen[i] = t;
    if (m->cfg.max_insns)
        count_steps(m, i);
    if (st != CPU_RUNNING)
        turn_stopped(m, i, st);
    return true;
}

/* Whether PE I's turn would do nothing, so the pass can skip it without
 * asking the PE: the run loop last saw it at or past the round's end (and
 * local time never goes back), and not asleep, so there is no wake-up to
 * note. At a small quantum this is common: a PE's last instruction often
 * takes it past the end of the next round too. */
static bool ahead(const struct machine *m, unsigned i)
{
    return !m->asleep[i] && m->time_seen[i] >= m->round_end;
}

/* One pass in index order (from a drawn PE with --jitter order), then
 * passes for the PEs woken behind the
 * round's end after their turn, until every running PE has reached it.
 * START is the round's start. Only a PE last seen below the round's end
 * can need another pass. */
static void run_round(struct machine *m, uint64_t start)
{
    bool again = false;
    /* --jitter order: the pass starts at a drawn PE and wraps around. */
    unsigned first = (unsigned)(machine_perturbed(m, 0, RACE_ORDER, 0) % m->ncpus);
    for (unsigned k = 0; k < m->ncpus && !m->stop; k++) {
        unsigned i = (first + k) % m->ncpus;
        if (!ahead(m, i))
            run_turn(m, i, start);
        again = again || m->time_seen[i] < m->round_end;
    }
    while (again && !m->stop) {
        again = false;
        for (unsigned i = 0; i < m->ncpus && !m->stop; i++) {
            struct cpu *c = m->cpu[i];
            if (m->time_seen[i] < m->round_end && cpu_state(c) == CPU_RUNNING &&
                cpu_cycles(c) < m->round_end)
                again = run_turn(m, i, start) || again;
        }
    }
}

/* The trace recorder or verifier wants the run to stop (a write failed,
 * or a replay diverged or ran out of recording); without one, nothing to
 * ask. */
static bool trace_stopped(const struct machine *m)
{
    return m->trace && trace_rec_stopped(m->trace);
}

static bool limits_reached(struct machine *m)
{
    if (trace_stopped(m)) {
        m->result.reason = RUN_TRACE_STOPPED;
        m->result.exit_code = 2;
        return true;
    }
    if (m->cfg.max_insns && m->steps >= m->cfg.max_insns) {
        m->result.reason = RUN_LIMIT_INSNS;
        m->result.exit_code = 124;
        return true;
    }
    if (m->cfg.max_cycles && sched_now(m->sched) >= m->cfg.max_cycles) {
        m->result.reason = RUN_LIMIT_CYCLES;
        m->result.exit_code = 124;
        return true;
    }
    return false;
}

/* Move the machine's time to T: cycle points no PE reached on the way are
 * printed first (with nobody running, the state at them is the state now),
 * then due events fire, then any irq: point they made due. */
static void advance(struct machine *m, uint64_t t)
{
    explain_cycles(m, TRACE_PE_NONE, t);
    sched_advance(m->sched, t);
    explain_irq_if_due(m);
}

/* Nobody runs: jump to the next event, or report that none can come. */
static bool sleep_until_event(struct machine *m)
{
    uint64_t next = sched_next_time(m->sched);
    if (next == SCHED_NEVER && m->cfg.idle_until > sched_now(m->sched))
        next = m->cfg.idle_until;
    /* At an interactive console, every PE waiting is waiting for the user. */
    if (next == SCHED_NEVER && m->in_raw && machine_console_poll(m, true) != CONSOLE_CLOSED)
        return true;
    if (next == SCHED_NEVER) {
        bool all_off = true;
        for (unsigned i = 0; i < m->ncpus; i++)
            all_off = all_off && cpu_state(m->cpu[i]) == CPU_OFF;
        m->stop = true;
        m->result.reason = all_off ? RUN_ALL_OFF : RUN_DEADLOCK;
        m->result.exit_code = 1;
        return false;
    }
    if (m->cfg.max_cycles)
        next = min_u64(next, m->cfg.max_cycles);
    advance(m, next);
    return true;
}

static void record_end(struct machine *m)
{
    static const enum trace_end_reason reason[] = {
        [RUN_POWER_OFF] = TRACE_END_POWER_OFF,       [RUN_SEMIHOST_EXIT] = TRACE_END_SEMIHOST_EXIT,
        [RUN_DEADLOCK] = TRACE_END_DEADLOCK,         [RUN_GUEST_FAULT] = TRACE_END_GUEST_FAULT,
        [RUN_LIMIT_INSNS] = TRACE_END_LIMIT_INSNS,   [RUN_LIMIT_CYCLES] = TRACE_END_LIMIT_CYCLES,
        [RUN_SYSTEM_RESET] = TRACE_END_SYSTEM_RESET, [RUN_ALL_OFF] = TRACE_END_ALL_OFF,
        [RUN_INTERRUPTED] = TRACE_END_INTERRUPTED,   [RUN_OUTPUT_FAILED] = TRACE_END_OUTPUT_FAILED,
    };
    const struct run_result *r = &m->result;
    if (r->reason == RUN_TRACE_STOPPED)
        return;
    bool by_pe = r->reason == RUN_POWER_OFF || r->reason == RUN_SEMIHOST_EXIT ||
                 r->reason == RUN_GUEST_FAULT || r->reason == RUN_SYSTEM_RESET;
    /* Every PE's registers as the run leaves them, each at its local time. */
    for (unsigned i = 0; i < m->ncpus; i++) {
        struct trace_pe_state s;
        trace_pe_state_read(m->cpu[i], &s);
        trace_pe_state(m->trace, i, cpu_cycles(m->cpu[i]), &s);
    }
    trace_run_end(m->trace, by_pe ? r->pe : TRACE_PE_NONE, r->cycles, reason[r->reason],
                  r->exit_code, r->insns, r->cycles);
}

void machine_output_failed(struct machine *m, int errno_value)
{
    if (m->result.reason == RUN_OUTPUT_FAILED)
        return;
    m->stop = true;
    m->result.reason = RUN_OUTPUT_FAILED;
    m->result.exit_code = 2;
    m->result.output_errno = errno_value;
    m->result.output = m->cfg.uart_out;
}

/* The UART output is complete only once flushed and closed: a failure
 * there (a full disk) fails the run, and a file is not left half-written. */
static void finish_output(struct machine *m)
{
    bool ok = m->result.reason != RUN_OUTPUT_FAILED;
    if (ok && (fflush(m->out) != 0 || ferror(m->out)))
        machine_output_failed(m, errno ? errno : EIO);
    if (m->out_owned) {
        if (fclose(m->out) != 0 && m->result.reason != RUN_OUTPUT_FAILED)
            machine_output_failed(m, errno);
        m->out = NULL;
        if (m->result.reason == RUN_OUTPUT_FAILED && m->out_regular)
            unlink(m->cfg.uart_out);
    }
}

/* The first multiple of the quantum Q after NOW, given GRID, the one after
 * an earlier time (0 before the first round): time never goes back, so a
 * division is needed only once it has moved a quantum or more past GRID. */
static uint64_t quantum_after(uint64_t grid, uint64_t now, uint64_t q)
{
    if (now < grid)
        return grid;
    if (now - grid < q)
        return grid + q;
    return now - now % q + q;
}

/* The run loop's caches, from the machine as it is when the run starts. */
static void start_run(struct machine *m)
{
    m->explain_next_cycle = first_unprinted_cycle(m);
    m->steps = 0;
    for (unsigned i = 0; i < m->ncpus; i++) {
        m->time_seen[i] = cpu_cycles(m->cpu[i]);
        m->steps_seen[i] = cpu_insns(m->cpu[i]) + cpu_exceptions(m->cpu[i]);
        m->steps += m->steps_seen[i];
    }
}

/* ---- --progress ---- */

#define PROGRESS_ROUNDS 256 /* rounds between looks at the host clock */
#define CONSOLE_ROUNDS  64  /* rounds between looks at an interactive terminal */
#define GDB_ROUNDS      64  /* rounds between looks at the gdb socket (a Ctrl-C, an attach) */

/* Host seconds: only for when to print the status line, which nothing in
 * the simulation reads. */
static double host_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* wall clock, for the status line only */
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Every PE's interrupts taken. */
static uint64_t total_interrupts(const struct machine *m)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < m->ncpus; i++)
        n += cpu_interrupts(m->cpu[i]);
    return n;
}

/* The status line, rewritten in place about once a second: simulated
 * seconds, MIPS and interrupts per simulated second since the last line,
 * PEs awake. FINAL clears it. */
static void progress(struct machine *m, bool final)
{
    if (!m->cfg.progress)
        return;
    if (final) {
        if (m->progress.shown)
            fputs("\r\033[K", stderr);
        return;
    }
    if (++m->progress.rounds % PROGRESS_ROUNDS)
        return;
    double now = host_seconds();
    if (m->progress.wall == 0)
        m->progress.wall = now;
    if (now - m->progress.wall < 1.0)
        return;
    uint64_t insns = total_insns(m), irqs = total_interrupts(m), cycles = sim_time(m);
    double wall = now - m->progress.wall;
    double sim_s = (double)(cycles - m->progress.cycles) / (double)PE_CLOCK_HZ;
    unsigned awake = 0;
    for (unsigned i = 0; i < m->ncpus; i++)
        awake += cpu_state(m->cpu[i]) == CPU_RUNNING;
    fprintf(stderr,
            "\r\033[Ka64sim: %.3f s simulated, %.1f MIPS, %.0f interrupts/s, %u/%u PEs awake",
            (double)cycles / (double)PE_CLOCK_HZ, (double)(insns - m->progress.insns) / wall / 1e6,
            sim_s > 0 ? (double)(irqs - m->progress.interrupts) / sim_s : 0.0, awake, m->ncpus);
    fflush(stderr);
    m->progress.shown = true;
    m->progress.wall = now;
    m->progress.insns = insns;
    m->progress.interrupts = irqs;
    m->progress.cycles = cycles;
}

void machine_run(struct machine *m, struct run_result *r)
{
    start_run(m);
    if (m->cfg.gdb)
        gdb_run_start(m->cfg.gdb, m);
    uint64_t grid = 0;
    while (!m->stop && !interrupted(m) && !limits_reached(m)) {
        if (m->cfg.gdb && ++m->gdb_rounds % GDB_ROUNDS == 0) {
            gdb_poll(m->cfg.gdb, m);
            if (m->stop)
                break;
        }
        if (!any_running(m)) {
            if (!sleep_until_event(m))
                break;
            continue;
        }
        uint64_t now = sched_now(m->sched);
        grid = quantum_after(grid, now, m->cfg.quantum);
        /* --jitter quantum: this round's length drawn, off the grid. */
        uint64_t len = machine_perturbed(m, 0, RACE_QUANTUM, 0);
        uint64_t end = min_u64(sched_next_time(m->sched), len ? now + len : grid);
        if (m->cfg.max_cycles)
            end = min_u64(end, m->cfg.max_cycles);
        m->round_end = end;
        run_round(m, now);
        end = m->round_end;
        m->round_end = SCHED_NEVER;
        if (m->stop || trace_stopped(m))
            continue; /* the loop condition records why */
        /* A round in which every PE fell asleep ends at the event, not at
         * the end of the quantum: idle time is skipped, never spent. */
        if (any_running(m) || sched_next_time(m->sched) <= end)
            advance(m, end);
        progress(m, false);
        if (m->in_raw && ++m->console_rounds % CONSOLE_ROUNDS == 0)
            machine_console_poll(m, false);
    }
    progress(m, true);
    m->result.insns = total_insns(m);
    m->result.exceptions = total_steps(m) - m->result.insns;
    assert(!m->cfg.max_insns || m->steps == total_steps(m));
    m->result.cycles = sim_time(m);
    finish_output(m);
    record_end(m);
    if (m->cfg.gdb)
        gdb_run_end(m->cfg.gdb, m);
    *r = m->result;
}
