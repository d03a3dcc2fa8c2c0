/* Shared by the SIMD&FP handlers (cpu/exec_fp*.c, cpu/exec_simd*.c): the
 * views of the V registers and the rules for writing them.
 *
 * - V registers are indexed directly by their number (0-31); the decoder
 *   never maps them to slots as it does the general registers.
 * - Every write to a V register writes the whole register: a scalar or a
 *   64-bit vector (Q = 0) result clears the bits above it (Arm ARM
 *   V[] assignment, "the upper bits are set to zero"). Handlers compute
 *   into a local union vreg and store it with vreg_write(), so that an
 *   operand that is also the destination is read before it is written.
 * - Every handler starts with fp_enabled() (the CPACR_EL1/CPTR_EL2 traps)
 *   and touches no state when it returns false.
 */
#ifndef CPU_SIMD_H
#define CPU_SIMD_H

#include "cpu/cpu_internal.h"
#include "cpu/softfloat.h" /* the FPCR_* and FPSR_* exception bits */

/* FPSR.QC: cumulative saturation. */
#define FPSR_QC (1u << 27)

/* Element I (of ESIZE bytes: 1, 2, 4 or 8) of V, zero-extended. */
static inline uint64_t vreg_elem(const union vreg *v, unsigned i, unsigned esize)
{
    switch (esize) {
    case 1: return v->b[i];
    case 2: return v->h[i];
    case 4: return v->s[i];
    default: return v->d[i];
    }
}

/* Element I of V, sign-extended. */
static inline int64_t vreg_elem_s(const union vreg *v, unsigned i, unsigned esize)
{
    switch (esize) {
    case 1: return (int8_t)v->b[i];
    case 2: return (int16_t)v->h[i];
    case 4: return (int32_t)v->s[i];
    default: return (int64_t)v->d[i];
    }
}

/* Set element I of V to the low ESIZE bytes of X. */
static inline void vreg_set_elem(union vreg *v, unsigned i, unsigned esize, uint64_t x)
{
    switch (esize) {
    case 1: v->b[i] = (uint8_t)x; break;
    case 2: v->h[i] = (uint16_t)x; break;
    case 4: v->s[i] = (uint32_t)x; break;
    default: v->d[i] = x; break;
    }
}

/* V[R] = the low BYTES (1, 2, 4, 8 or 16) bytes of VAL, the rest zero. */
static inline void vreg_write(struct cpu *c, unsigned r, const union vreg *val, unsigned bytes)
{
    union vreg out = *val;
    if (bytes < 16)
        memset(out.b + bytes, 0, 16 - bytes);
    c->v[r] = out;
}

/* V[R] = the low BYTES bytes of X (a scalar result), the rest zero. */
static inline void vreg_write_scalar(struct cpu *c, unsigned r, uint64_t x, unsigned bytes)
{
    union vreg out = {.d = {bytes >= 8 ? x : x & ((1ull << (8 * bytes)) - 1), 0}};
    c->v[r] = out;
}

#endif
