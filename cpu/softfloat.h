/* Software floating point, bit-exact to the Arm ARM (DDI 0487) shared
 * pseudocode: every result and every FPSR cumulative flag is computed with
 * integer arithmetic, never with the host FPU (x86 detects tininess after
 * rounding, Arm before; NaN defaults and propagation differ too).
 *
 * Values are raw bit patterns in a uint64_t, the low `fsize` bits used:
 * fsize 16 is IEEE half precision, 32 single, 64 double. Bits above fsize
 * in an argument are ignored; results have them clear.
 *
 * Each call takes an environment: FPCR in (rounding mode, FZ, FZ16, DN, AHP)
 * and FPSR cumulative bits out, ORed in, never cleared. Callers copy FPCR in
 * and OR the returned FPSR bits into the PE's FPSR. Floating-point exception
 * trapping (FPCR.IOE etc.) is not modelled: a64sim implements the traps as
 * not supported, so the cumulative bits are always set.
 *
 * Where a function takes no `enum fp_rounding`, it rounds by FPCR.RMode.
 * Sign-flipping (FNEG, FABS, FMSUB, FNMADD, FMLS) is the caller's job: flip
 * the sign bit of the operand, NaNs included, as the pseudocode does.
 *
 * The functions declared static inline have a fast path for single and
 * double (and half conversions) in cpu/softfloat_fast.h, inlined into the
 * caller: normal or zero operands and a normal result, which cost tens of
 * host instructions instead of hundreds; everything else goes to the
 * general path in softfloat.c. The results are the same bit for bit. */
#ifndef CPU_SOFTFLOAT_H
#define CPU_SOFTFLOAT_H

#include <stdbool.h>
#include <stdint.h>

/* FPCR fields used here. */
#define FPCR_AHP         (1u << 26) /* alternative half-precision format */
#define FPCR_DN          (1u << 25) /* default NaN */
#define FPCR_FZ          (1u << 24) /* flush-to-zero, single and double */
#define FPCR_RMODE_SHIFT 22         /* RMode, bits 23:22 */
#define FPCR_RMODE_MASK  (3u << 22)
#define FPCR_FZ16        (1u << 19) /* flush-to-zero, half precision */

/* FPSR cumulative exception bits. */
#define FPSR_IOC             (1u << 0) /* invalid operation */
#define FPSR_DZC             (1u << 1) /* divide by zero */
#define FPSR_OFC             (1u << 2) /* overflow */
#define FPSR_UFC             (1u << 3) /* underflow */
#define FPSR_IXC             (1u << 4) /* inexact */
#define FPSR_IDC             (1u << 7) /* input denormal */
#define FPSR_CUMULATIVE_MASK (FPSR_IOC | FPSR_DZC | FPSR_OFC | FPSR_UFC | FPSR_IXC | FPSR_IDC)

/* FPCR in, FPSR cumulative bits out (ORed in). */
struct fp_env {
    uint32_t fpcr;
    uint32_t fpsr;
};

/* FPRounding; the first four values are FPCR.RMode's encodings. */
enum fp_rounding {
    FPROUND_TIEEVEN, /* RN */
    FPROUND_POSINF,  /* RP */
    FPROUND_NEGINF,  /* RM */
    FPROUND_ZERO,    /* RZ */
    FPROUND_TIEAWAY, /* FRINTA, FCVTA*: ties away from zero */
    FPROUND_ODD,     /* FCVTXN: von Neumann rounding to odd */
};

/* FPRoundingMode: the rounding mode FPCR.RMode selects. */
static inline enum fp_rounding fp_fpcr_rounding(uint32_t fpcr)
{
    return (enum fp_rounding)((fpcr & FPCR_RMODE_MASK) >> FPCR_RMODE_SHIFT);
}

/* FPDefaultNaN: the positive quiet NaN with an all-zero payload. */
uint64_t fp_default_nan(unsigned fsize);
/* True if `a` is a NaN (quiet or signalling) of format fsize (IEEE formats). */
bool fp_is_nan(unsigned fsize, uint64_t a);
/* True if `a` is a signalling NaN of format fsize. */
bool fp_is_snan(unsigned fsize, uint64_t a);

/* FPAdd: a + b. */
static inline uint64_t fp_add(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPSub: a - b. */
static inline uint64_t fp_sub(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPMul: a * b. */
static inline uint64_t fp_mul(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPMulX (FMULX): a * b, but 0 * inf is 2.0 with the sign of the product. */
static inline uint64_t fp_mulx(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPDiv: a / b. */
static inline uint64_t fp_div(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPMax (FMAX): +0 > -0; any NaN operand is processed (FPProcessNaNs). */
static inline uint64_t fp_max(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPMin (FMIN): -0 < +0; any NaN operand is processed (FPProcessNaNs). */
static inline uint64_t fp_min(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPMaxNum (FMAXNM): a single quiet NaN operand loses to a number. */
static inline uint64_t fp_maxnm(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPMinNum (FMINNM): a single quiet NaN operand loses to a number. */
static inline uint64_t fp_minnm(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FABD: FPAbs(FPSub(a, b)): the sign is cleared, of a NaN result too. */
static inline uint64_t fp_abd(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPSqrt: square root, correctly rounded. */
uint64_t fp_sqrt(struct fp_env *e, unsigned fsize, uint64_t a);
/* FPMulAdd: addend + op1 * op2 with one rounding (FMADD, FMLA; negate for the others). */
static inline uint64_t fp_muladd(struct fp_env *e, unsigned fsize, uint64_t addend, uint64_t op1,
                                 uint64_t op2);
/* FPRecipStepFused (FRECPS): 2.0 - a * b with one rounding. */
static inline uint64_t fp_recps(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPRSqrtStepFused (FRSQRTS): (3.0 - a * b) / 2 with one rounding. */
static inline uint64_t fp_rsqrts(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPRecipEstimate (FRECPE): 8-bit reciprocal estimate (RecipEstimate). */
uint64_t fp_recpe(struct fp_env *e, unsigned fsize, uint64_t a);
/* FPRSqrtEstimate (FRSQRTE): 8-bit reciprocal square-root estimate (RecipSqrtEstimate). */
uint64_t fp_rsqrte(struct fp_env *e, unsigned fsize, uint64_t a);
/* FPRecpX (FRECPX): reciprocal exponent, fraction cleared. */
uint64_t fp_recpx(struct fp_env *e, unsigned fsize, uint64_t a);
/* UnsignedRecipEstimate (URECPE). */
uint32_t fp_urecpe(uint32_t a);
/* UnsignedRSqrtEstimate (URSQRTE). */
uint32_t fp_ursqrte(uint32_t a);

/* FPCompare (FCMP/FCMPE): NZCV in bits 3:0; unordered is 0011. IOC on a
 * signalling NaN, or on any NaN when signal_nans. */
static inline unsigned fp_compare(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b,
                                  bool signal_nans);
/* FPCompareEQ (FCMEQ): quiet, IOC only on a signalling NaN. */
static inline bool fp_compare_eq(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPCompareGE (FCMGE, FACGE after the caller's FPAbs): IOC on any NaN. */
static inline bool fp_compare_ge(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
/* FPCompareGT (FCMGT, FACGT after the caller's FPAbs): IOC on any NaN. */
static inline bool fp_compare_gt(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);

/* FPRoundInt (FRINTN/P/M/Z/A/I/X): round to an integral value in format
 * fsize; IXC only when `exact` (FRINTX) and the value changed. */
static inline uint64_t fp_round_int(struct fp_env *e, unsigned fsize, uint64_t a,
                                    enum fp_rounding r, bool exact);
/* FPToFixed (FCVT[NPMZA][SU], FCVTZS/U fixed-point): a * 2^fbits to an
 * isize-bit (16, 32 or 64) integer, saturating; NaN gives 0. IOC on NaN or
 * out of range (without IXC), IXC if inexact. Result zero-extended from isize. */
static inline uint64_t fp_to_fixed(struct fp_env *e, unsigned fsize, uint64_t a, unsigned fbits,
                                   bool is_unsigned, enum fp_rounding r, unsigned isize);
/* FPToFixedJS (FJCVTZS): double toward zero, modulo 2^32; *z_out is the Z
 * flag (exact, in range, not -0, not a flushed denormal). Zero-extended. */
uint64_t fp_to_fixed_js(struct fp_env *e, uint64_t a, bool *z_out);
/* FixedToFP (SCVTF/UCVTF): the low isize (16, 32, 64) bits of v / 2^fbits, rounded to fsize. */
static inline uint64_t fp_from_fixed(struct fp_env *e, unsigned fsize, uint64_t v, unsigned fbits,
                                     bool is_unsigned, unsigned isize, enum fp_rounding r);
/* FPConvert (FCVT, FCVTN/L, FCVTXN with FPROUND_ODD): between formats; half
 * follows FPCR.AHP (alternative half precision: no infinities or NaNs). */
static inline uint64_t fp_convert(struct fp_env *e, unsigned from_fsize, unsigned to_fsize,
                                  uint64_t a, enum fp_rounding r);

/* The definitions of the static inline functions above. */
#include "cpu/softfloat_fast.h"

#endif
