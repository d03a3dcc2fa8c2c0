/* The recorder: what the simulator calls to put a record in the trace.
 *
 * A recorder either writes a file (a64sim run --trace) or verifies (a64sim
 * replay): then every record the run produces is compared with the next
 * one of the recording, and the first difference stops the run.
 *
 * Every trace_* recording function accepts a NULL recorder and then does
 * nothing, so a component calls them unconditionally with the recorder the
 * machine gave it. The cycle is the simulated time of the event: for
 * something a PE does, that PE's local cycle count (cpu_cycles); for an
 * event of the scheduler, sched_now. PE is the PE number, or TRACE_PE_NONE
 * for the machine.
 *
 * Wiring for the components still to come (the machine passes them its
 * recorder, machine_trace()):
 *   exception model   trace_exception_entry, trace_exception_return,
 *                     trace_daif (every PSTATE.DAIF change: MSR DAIF*,
 *                     exception entry, ERET)
 *   GIC               trace_irq_state (each transition, per INTID and PE),
 *                     trace_irq_line (each change of a PE's IRQ/FIQ/vIRQ/
 *                     vFIQ input), trace_pmr (ICC_PMR_EL1 writes that change
 *                     it), and the SPI stimulus (machine.c: apply_stimulus)
 *   generic timer     trace_timer (each change of an output level) */
#ifndef TRACES_RECORD_H
#define TRACES_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "traces/format.h"
#include "traces/pe_state.h"

struct trace_rec;
struct trace_reader;

/* A recorder that will write PATH (created by trace_rec_start, so that a
 * run that fails before it leaves no file). */
struct trace_rec *trace_rec_new_file(const char *path);
/* A recorder that writes nothing and checks every record against the next
 * one EXPECT returns (EXPECT stays the caller's). Records of a kind that
 * EXPECT's format version does not have (pe-state, against a version 1
 * recording) are not compared: the recording cannot hold them. */
struct trace_rec *trace_rec_new_verify(struct trace_reader *expect);
void trace_rec_free(struct trace_rec *t);

/* Start: a file recorder creates its file and writes H; false with a
 * message in ERR if that fails. A verifier only remembers H. */
bool trace_rec_start(struct trace_rec *t, const struct trace_header *h, char *err, size_t errlen);
/* End: a file recorder writes the last block and the end marker and closes
 * the file; a verifier checks that the recording holds nothing more. False
 * with a message in ERR on a write error; a verifier's result is in
 * trace_rec_divergence. */
bool trace_rec_finish(struct trace_rec *t, char *err, size_t errlen);

/* Whether the run should stop: a write failed, or (verifying) the run
 * diverged or the recording has nothing more to compare with. */
bool trace_rec_stopped(const struct trace_rec *t);
/* Records produced so far. */
uint64_t trace_rec_count(const struct trace_rec *t);
/* The header given to trace_rec_start. */
const struct trace_header *trace_rec_header(const struct trace_rec *t);

enum trace_verdict {
    TRACE_VERIFY_SAME,          /* every record so far matched */
    TRACE_VERIFY_DIVERGED,      /* expected and actual differ */
    TRACE_VERIFY_EXTRA,         /* the run produced a record the recording lacks */
    TRACE_VERIFY_MISSING,       /* the run ended; the recording has more (expected) */
    TRACE_VERIFY_CUT_SHORT,     /* all matched, but the recording was cut short */
    TRACE_VERIFY_BAD_RECORDING, /* the recording is corrupt (message) */
};

/* What a verifier found. Payloads point into the recorder's storage. */
struct trace_divergence {
    enum trace_verdict verdict;
    uint64_t index;                   /* 0-based number of the first differing record */
    uint64_t offset;                  /* its byte offset in the recording */
    struct trace_record expected;     /* DIVERGED, MISSING */
    struct trace_record actual;       /* DIVERGED, EXTRA */
    const struct trace_ring *context; /* the records before it (identical in both) */
    const char *message;              /* CUT_SHORT, BAD_RECORDING: the reader's message */
};
const struct trace_divergence *trace_rec_divergence(const struct trace_rec *t);

/* ---- recording functions ---- */

void trace_insn(struct trace_rec *t, unsigned pe, uint64_t cycle, uint64_t pc, uint32_t insn);
/* trace_insn with the signature of cpu_hooks.trace_insn (OPAQUE is the recorder). */
void trace_insn_hook(void *opaque, unsigned pe, uint64_t cycle, uint64_t pc, uint32_t insn);
void trace_exception_entry(struct trace_rec *t, unsigned pe, uint64_t cycle,
                           enum trace_exc_type type, unsigned from_el, unsigned to_el, uint64_t esr,
                           uint64_t elr, uint64_t target);
void trace_exception_return(struct trace_rec *t, unsigned pe, uint64_t cycle, unsigned from_el,
                            unsigned to_el, uint64_t elr, uint64_t spsr);
void trace_irq_state(struct trace_rec *t, unsigned pe, uint64_t cycle, uint32_t intid,
                     enum trace_irq_transition transition, uint8_t priority);
void trace_irq_line(struct trace_rec *t, unsigned pe, uint64_t cycle, enum trace_line line,
                    bool level);
/* DAIF as the four bits D, A, I, F (D in bit 3), not the register layout. */
void trace_daif(struct trace_rec *t, unsigned pe, uint64_t cycle, unsigned daif, uint64_t pc);
void trace_pmr(struct trace_rec *t, unsigned pe, uint64_t cycle, uint8_t pmr, uint64_t pc);
/* The virtual CPU interface: an ICH_LR<LR>_EL2 write (VALUE as stored), a
 * virtual interrupt's transition (enum trace_virq_transition; LR
 * TRACE_NO_LR when none is named), the maintenance interrupt's level with
 * ICH_MISR_EL2. */
void trace_vgic_lr(struct trace_rec *t, unsigned pe, uint64_t cycle, unsigned lr, uint64_t value,
                   uint64_t pc);
void trace_virq_state(struct trace_rec *t, unsigned pe, uint64_t cycle, uint32_t vintid,
                      unsigned transition, unsigned lr, uint8_t priority);
void trace_maintenance(struct trace_rec *t, unsigned pe, uint64_t cycle, bool level, uint32_t misr);
void trace_timer(struct trace_rec *t, unsigned pe, uint64_t cycle, enum trace_timer timer,
                 bool level);
void trace_sleep(struct trace_rec *t, unsigned pe, uint64_t cycle, enum trace_wait how,
                 uint64_t pc);
void trace_wake(struct trace_rec *t, unsigned pe, uint64_t cycle, enum trace_wait how);
void trace_psci(struct trace_rec *t, unsigned pe, uint64_t cycle, uint32_t function, uint64_t x1,
                uint64_t x2, uint64_t x3, uint64_t result);
void trace_uart_tx(struct trace_rec *t, unsigned pe, uint64_t cycle, uint8_t byte);
void trace_mmio(struct trace_rec *t, unsigned pe, uint64_t cycle, uint64_t pa, unsigned size,
                bool write, uint64_t value, enum trace_mmio_result result);
/* External inputs: they belong to the machine (no PE). LEN <= TRACE_TEXT_MAX. */
void trace_input_uart_rx(struct trace_rec *t, uint64_t cycle, const uint8_t *text, size_t len);
void trace_input_spi(struct trace_rec *t, uint64_t cycle, uint32_t intid, bool level);
void trace_input_msi(struct trace_rec *t, uint64_t cycle, uint32_t devid, uint32_t eventid);
/* PULL numbers the UART's requests for input since reset, so that replay
 * hands the byte to the same request. */
void trace_input_host_uart(struct trace_rec *t, uint64_t cycle, uint64_t pull, uint8_t byte);
void trace_run_end(struct trace_rec *t, unsigned pe, uint64_t cycle, enum trace_end_reason reason,
                   int32_t exit_code, uint64_t insns, uint64_t cycles);
/* The registers of PE when the run ended, recorded for every PE just
 * before trace_run_end. */
void trace_pe_state(struct trace_rec *t, unsigned pe, uint64_t cycle,
                    const struct trace_pe_state *s);

#endif
