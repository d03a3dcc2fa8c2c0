/*
 * The differential test's guest side: the generated cases, the trampoline
 * that runs one of them, and the output channel each environment provides.
 * The same objects are linked twice (bare metal for a64sim, a static Linux
 * ELF for qemu-aarch64) at the same addresses, so every register value a
 * case can compute, buffer and code addresses included, is the same in both.
 */
#ifndef DIFF_H
#define DIFF_H

#include <stddef.h>
#include <stdint.h>

#define DIFF_NREGS        32 /* X0..X30, then NZCV */
#define DIFF_NZCV         31
#define DIFF_OUT_SP       32 /* the output record also holds SP after the case */
#define DIFF_OUT_WORDS    33
#define DIFF_BUFFER_BYTES 4096
#define DIFF_BUFFER_WORDS (DIFF_BUFFER_BYTES / 8)

/* One generated test case: its code and the registers it starts with. */
struct diff_case {
    uint64_t body;
    uint64_t regs[DIFF_NREGS];
};

/* Emitted by the generator (tests/diff/gen.py). */
extern const struct diff_case diff_cases[];
extern const uint64_t diff_case_count;

/* The 4 KiB buffer every load and store of a case stays inside (trampoline.S). */
extern uint64_t diff_buffer[DIFF_BUFFER_WORDS];

/* Load X0-X30 and NZCV from in, run the case's body, store X0-X30, NZCV and SP to out. */
void diff_run(const uint64_t *in, uint64_t *out, uint64_t body);

/* Write len bytes of the report: the UART on bare metal, write(2) on Linux. */
void diff_write(const char *buf, size_t len);

#endif
