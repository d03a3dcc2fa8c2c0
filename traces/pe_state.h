/* The architectural register state of one PE as a64sim shows it at the
 * end of a run: the trace's pe-state record (docs/trace-format.md) and
 * the fault and deadlock reports (sim/report.c). Both print it with
 * trace_pe_state_text, so a dump of a recorded run and the report of a
 * live one show the registers the same way. */
#ifndef TRACES_PE_STATE_H
#define TRACES_PE_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "traces/format.h"

struct cpu;

/* PC, PSTATE (as cpu_get_pstate: the SPSR layout), the current SP, X0-X30,
 * FPCR, FPSR and V0-V31 (v[n][0] holds bits 63:0). FPCR and FPSR are
 * 64-bit registers in AArch64; their upper bits are RES0 today. */
struct trace_pe_state {
    uint64_t pc, pstate, sp;
    uint64_t x[31];
    uint64_t fpcr, fpsr;
    uint64_t v[32][2];
};

/* The values of a pe-state payload (trace_encode_payload's FIELDS). */
#define TRACE_PE_STATE_WORDS (3 + 31 + 2 + 32 * 2)

/* Read the registers of C (no side effects). */
void trace_pe_state_read(const struct cpu *c, struct trace_pe_state *s);
/* S as the values of a pe-state payload, in the kind table's order. */
void trace_pe_state_words(const struct trace_pe_state *s, uint64_t words[TRACE_PE_STATE_WORDS]);
/* The registers a pe-state record REC holds. */
void trace_pe_state_of_record(const struct trace_record *rec, struct trace_pe_state *s);

/* The registers as text in BUF: x0-x30 and sp four to a line, then fpcr
 * and fpsr, then v0-v31 two to a line as 32 hex digits (bits 127:0). Every
 * line starts with INDENT; lines are separated by '\n', with none after
 * the last. Returns the length written: at most LEN - 1, what does not
 * fit is cut. */
size_t trace_pe_state_text(const struct trace_pe_state *s, const char *indent, char *buf,
                           size_t len);

#endif
