/*
 * The differential test's guest side: the generated cases, the trampoline
 * that runs one of them, and the output channel each environment provides.
 * The same objects are linked twice (bare metal for a64sim, a static Linux
 * ELF for qemu-aarch64) at the same addresses, so every register value a
 * case can compute, buffer and code addresses included, is the same in both.
 *
 * A register record (a case's input row, and the state diff_run stores at
 * its end) is an array of 64-bit words, 16-byte aligned so that the
 * trampoline can move the V registers with LDP/STP of Q registers (with the
 * MMU off every access is to Device memory, where a 16-byte access must be
 * aligned to 16):
 *
 *   word  0-30  X0-X30
 *   word  31    NZCV (as MRS NZCV reads it)
 *   word  32-95 V0-V31, two words each, the low half first
 *   word  96    FPCR
 *   word  97    FPSR
 *   word  98    SP after the case (output only)
 *   word  99    padding to a multiple of 16 bytes
 *
 * trampoline.S and gen.py use the same offsets.
 */
#ifndef DIFF_H
#define DIFF_H

#include <stddef.h>
#include <stdint.h>

#define DIFF_NXREGS       31 /* X0..X30 */
#define DIFF_NZCV         31
#define DIFF_V0           32 /* V<n> low half: DIFF_V0 + 2n, high half: + 1 */
#define DIFF_NVREGS       32
#define DIFF_FPCR         96
#define DIFF_FPSR         97
#define DIFF_OUT_SP       98
#define DIFF_REC_WORDS    100
#define DIFF_BUFFER_BYTES 4096
#define DIFF_BUFFER_WORDS (DIFF_BUFFER_BYTES / 8)

/*
 * The FPCR and FPSR bits both implementations agree to implement: FPCR.AHP,
 * DN, FZ and RMode; FPSR.QC, IDC, IXC, UFC, OFC, DZC and IOC. qemu-aarch64
 * implements more (FEAT_FP16's FZ16, FEAT_AFP's AH/FIZ/NEP); no case writes
 * those, and the report shows the registers masked to these bits.
 */
#define DIFF_FPCR_MASK 0x07c00000u
#define DIFF_FPSR_MASK 0x0800009fu

/* One generated test case: the registers it starts with, then its code. */
struct diff_case {
    _Alignas(16) uint64_t regs[DIFF_REC_WORDS]; /* words 0-97 as above */
    uint64_t body;
    uint64_t pad;
};

/* Emitted by the generator (tests/diff/gen.py). */
extern const struct diff_case diff_cases[];
extern const uint64_t diff_case_count;

/* The 4 KiB buffer every load and store of a case stays inside (trampoline.S). */
extern uint64_t diff_buffer[DIFF_BUFFER_WORDS];

/*
 * Load X0-X30, NZCV, V0-V31, FPCR and FPSR from in, run the case's body,
 * store them and SP to out (both records as above, 16-byte aligned).
 */
void diff_run(const uint64_t *in, uint64_t *out, uint64_t body);

/* Make the SIMD&FP registers usable: CPACR_EL1.FPEN = 0b11 on bare metal, nothing on Linux. */
void diff_enable_fp(void);

/* Write len bytes of the report: the UART on bare metal, write(2) on Linux. */
void diff_write(const char *buf, size_t len);

#endif
