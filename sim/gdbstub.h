/* A gdb stub: the GDB remote serial protocol over TCP or a Unix socket,
 * as QEMU's -gdb. Threads are PEs. Breakpoints and watchpoints live here,
 * never in guest memory: while one of them or a step is armed, the
 * machine calls gdb_insn before every instruction of every PE (and not at
 * all otherwise), and the stub stops the whole machine there (or between
 * rounds, for a Ctrl-C or an attach) by serving gdb's packets with
 * blocking socket I/O before it returns.
 *
 * A stop is an observer's pause: nothing in the machine moves while gdb
 * holds it, and the turn it interrupted resumes with the same limit, so a
 * session that only reads and continues leaves every PE's instructions
 * and cycles as they are without it (docs/debugging.md). Writes (registers,
 * memory) change the run, as they would on hardware. */
#ifndef SIM_GDBSTUB_H
#define SIM_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gdb_stub;
struct machine;

/* Listen at SPEC: "tcp::PORT" (127.0.0.1), "tcp:HOST:PORT" or "unix:PATH"
 * (the socket file must not exist yet; it is removed by gdb_stub_free).
 * PORT 0 picks a free port. The address listened at is printed on stderr.
 * WAIT: the run waits for gdb before the first instruction and starts
 * stopped; otherwise gdb may attach at any time and the run stops then.
 * NULL with a message in ERR when SPEC is malformed or cannot be bound. */
struct gdb_stub *gdb_stub_new(const char *spec, bool wait, char *err, size_t errlen);
void gdb_stub_free(struct gdb_stub *g);

/* Reverse execution (gdb's reverse-stepi and reverse-continue) runs the
 * machine again from the start, as rr does, to the moment wanted: it
 * needs a run that can be built again and gives the same run (no trace
 * being written, inputs that can be read again). WHY_NOT NULL allows it
 * (the caller rebuilds the machine when gdb_stub_rerun says so); else it
 * says why not, and gdb is told. Not allowed until this is called. */
void gdb_stub_allow_reverse(struct gdb_stub *g, const char *why_not);
/* After machine_run: whether the run ended only because gdb went back, so
 * the caller must build the machine again from the same configuration
 * (with machine_config.uart_skip at the bytes printed so far) and run it;
 * the stub stops it where gdb wanted. */
bool gdb_stub_rerun(struct gdb_stub *g);

/* ---- calls from the run loop (sim/run.c, sim/machine.c) ---- */

/* The run starts: with WAIT, accept gdb and serve it until it resumes. */
void gdb_run_start(struct gdb_stub *g, struct machine *m);
/* Between rounds, every few rounds: a pending attach, a Ctrl-C from gdb,
 * or gdb gone. Never changes the run unless gdb asks to stop it. */
void gdb_poll(struct gdb_stub *g, struct machine *m);
/* PE is about to execute the instruction at PC (its local time is the
 * instruction's start). Stops there for a breakpoint, a step's end or a
 * watchpoint. Returns false when the PE must not execute it now: gdb moved
 * the PC (the run loop fetches again) or ended the run. */
bool gdb_insn(struct gdb_stub *g, struct machine *m, unsigned pe, uint64_t pc, uint32_t insn);
/* The run has ended with m->result: tell gdb (W packet) and disconnect. */
void gdb_run_end(struct gdb_stub *g, struct machine *m);

#endif
