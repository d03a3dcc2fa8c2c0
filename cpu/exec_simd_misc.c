/* Advanced SIMD two-register miscellaneous, shift by immediate and vector
 * x indexed element, vector and scalar (Arm ARM DDI 0487, C4.1.95; the
 * instructions' pseudocode in C7.2).
 *
 * cpu/simd_misc_decode.c says which instruction a word is (op), its shape
 * and its element size (lg); this file has one handler per instruction,
 * element size and form (Q = 0, Q = 1, scalar), stamped out by the macros
 * below, so that every handler runs with its element size and trip count
 * known to the compiler. A handler's work is either
 * - a loop over the elements calling the instruction's element function
 *   (el_*), which gets the operands zero-extended to 64 bits and returns
 *   the result element in the low bits: the scalar forms, the
 *   floating-point operations and the rare integer ones; or
 * - for the vector forms of the common integer operations, one operation
 *   on the whole register as a host vector (cpu/simd_misc_vec.h), a few
 *   host SIMD instructions instead of sixteen scalar ones.
 *
 * The handlers of floating-point operations (and only those) do their
 * work in a separate function that is not inlined: a struct fp_env whose
 * address is passed to cpu/softfloat.c would otherwise keep insn_next()
 * from being a tail call. Saturation (FPSR.QC) is collected in the same
 * struct, which for the integer operations never leaves the handler.
 *
 * Operands are read before the destination is written, and the whole
 * destination is written once, with zeros above a 64-bit or scalar result
 * (cpu/simd.h). The "2" forms of the narrowing instructions write the
 * upper half of Vd and keep the lower half.
 */
#include <assert.h>

#include "cpu/decode.h"
#include "cpu/simd.h"
#include "cpu/simd_misc.h"
#include "cpu/simd_misc_vec.h"

#define AI       static inline __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))
#define UNUSED   __attribute__((unused))

/* ---- integer element helpers ------------------------------------------ */

AI uint64_t ones(unsigned bits)
{
    return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

AI int64_t sext(uint64_t x, unsigned bits)
{
    return bits >= 64 ? (int64_t)x : (int64_t)(x << (64 - bits)) >> (64 - bits);
}

AI int64_t smax(unsigned bits)
{
    return (int64_t)(ones(bits) >> 1);
}

AI int64_t smin(unsigned bits)
{
    return -smax(bits) - 1;
}

AI void set_qc(struct fp_env *e)
{
    e->fpsr |= FPSR_QC;
}

/* SignedSatQ(V, BITS) of a V that fits in 64 bits. */
AI uint64_t ssat(int64_t v, unsigned bits, struct fp_env *e)
{
    if (v > smax(bits)) {
        set_qc(e);
        return (uint64_t)smax(bits);
    }
    if (v < smin(bits)) {
        set_qc(e);
        return (uint64_t)smin(bits);
    }
    return (uint64_t)v;
}

/* UnsignedSatQ(V, BITS) of a signed V. */
AI uint64_t usat_s(int64_t v, unsigned bits, struct fp_env *e)
{
    if (v < 0) {
        set_qc(e);
        return 0;
    }
    if ((uint64_t)v > ones(bits)) {
        set_qc(e);
        return ones(bits);
    }
    return (uint64_t)v;
}

/* UnsignedSatQ(V, BITS) of an unsigned V. */
AI uint64_t usat_u(uint64_t v, unsigned bits, struct fp_env *e)
{
    if (v > ones(bits)) {
        set_qc(e);
        return ones(bits);
    }
    return v;
}

/* X >> S for 0 <= S <= BITS, X an element of BITS bits (extended): a
 * shift by 64 gives the sign (arithmetic) or 0 (logical). */
AI int64_t asr(int64_t x, unsigned s, unsigned bits)
{
    return x >> (bits == 64 && s > 63 ? 63 : s);
}

AI uint64_t lsr(uint64_t x, unsigned s, unsigned bits)
{
    return bits == 64 && s > 63 ? 0 : x >> s;
}

/* (X + 2^(S-1)) >> S, computed without the wider intermediate: the
 * rounding constant adds one exactly when bit S-1 of X is set. 1 <= S. */
AI int64_t asr_round(int64_t x, unsigned s, unsigned bits)
{
    return asr(x, s, bits) + ((x >> (s - 1)) & 1);
}

AI uint64_t lsr_round(uint64_t x, unsigned s, unsigned bits)
{
    return lsr(x, s, bits) + ((x >> (s - 1)) & 1);
}

/* CountLeadingZeroBits of the low BITS (< 64) bits of X: the marker bit
 * just below them makes the count BITS for X = 0, without a branch. */
AI unsigned clz_n(uint64_t x, unsigned bits)
{
    return (unsigned)__builtin_clzll(x << (64 - bits) | 1ull << (63 - bits));
}

AI uint64_t sign_bit(unsigned bits)
{
    return 1ull << (bits - 1);
}

/* ---- element functions -------------------------------------------------
 * X: element of Vn; Y: the second source element (the other element of a
 * pair, or the indexed element of Vm); D: the destination's element (the
 * accumulator); IMM: shift amount or fractional bits; BITS: the width of
 * the narrower element (cpu/simd_misc.h). */

#define EL(name)                                                                                   \
    AI uint64_t el_##name(UNUSED uint64_t x, UNUSED uint64_t y, UNUSED uint64_t d,                 \
                          UNUSED unsigned imm, UNUSED struct fp_env *e, UNUSED unsigned bits)

/* REV64/REV32/REV16, NOT, RBIT and CNT work on 64-bit lanes. */
EL(rev64_b)
{
    return __builtin_bswap64(x);
}
EL(rev64_h)
{
    x = x >> 32 | x << 32;
    return (x & 0xffff0000ffff0000ull) >> 16 | (x & 0x0000ffff0000ffffull) << 16;
}
EL(rev64_s)
{
    return x >> 32 | x << 32;
}
EL(rev32_b)
{
    x = __builtin_bswap64(x);
    return x >> 32 | x << 32;
}
EL(rev32_h)
{
    return (x & 0xffff0000ffff0000ull) >> 16 | (x & 0x0000ffff0000ffffull) << 16;
}
EL(rev16_b)
{
    return (x & 0xff00ff00ff00ff00ull) >> 8 | (x & 0x00ff00ff00ff00ffull) << 8;
}
EL(bitnot)
{
    return ~x;
}
EL(rbit)
{
    x = (x >> 1 & 0x5555555555555555ull) | (x & 0x5555555555555555ull) << 1;
    x = (x >> 2 & 0x3333333333333333ull) | (x & 0x3333333333333333ull) << 2;
    return (x >> 4 & 0x0f0f0f0f0f0f0f0full) | (x & 0x0f0f0f0f0f0f0f0full) << 4;
}
EL(cnt)
{
    x -= x >> 1 & 0x5555555555555555ull;
    x = (x & 0x3333333333333333ull) + (x >> 2 & 0x3333333333333333ull);
    return (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
}

/* CLS: CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>), which is one less
 * than the leading zeros of x EOR (x >> 1, arithmetic) in N bits. */
EL(cls)
{
    return clz_n((x ^ (uint64_t)(sext(x, bits) >> 1)) & ones(bits), bits) - 1;
}
EL(clz)
{
    return clz_n(x, bits);
}
EL(abs)
{
    return sext(x, bits) < 0 ? 0 - x : x;
}
EL(neg)
{
    return 0 - x;
}
EL(sqabs)
{
    int64_t v = sext(x, bits);
    if (bits == 64 && v == INT64_MIN) {
        set_qc(e);
        return (uint64_t)INT64_MAX;
    }
    return ssat(v < 0 ? -v : v, bits, e);
}
EL(sqneg)
{
    int64_t v = sext(x, bits);
    if (bits == 64 && v == INT64_MIN) {
        set_qc(e);
        return (uint64_t)INT64_MAX;
    }
    return ssat(-v, bits, e);
}
/* SUQADD: signed accumulator plus unsigned operand, signed saturation.
 * At 64 bits the sum can only overflow upwards: past INT64_MAX when X
 * exceeds INT64_MAX - acc (at most 2^64 - 1, so the modular subtraction
 * is exact). */
EL(suqadd)
{
    int64_t acc = sext(d, bits);
    if (bits < 64)
        return ssat(acc + (int64_t)x, bits, e);
    if (x > (uint64_t)INT64_MAX - (uint64_t)acc) {
        set_qc(e);
        return (uint64_t)INT64_MAX;
    }
    return d + x;
}
/* USQADD: unsigned accumulator plus signed operand, unsigned saturation. */
EL(usqadd)
{
    int64_t v = sext(x, bits);
    if (bits < 64)
        return usat_s((int64_t)d + v, bits, e);
    if (v >= 0) {
        uint64_t sum = d + (uint64_t)v;
        if (sum < d) {
            set_qc(e);
            return ~0ull;
        }
        return sum;
    }
    uint64_t mag = 0 - (uint64_t)v;
    if (mag > d) {
        set_qc(e);
        return 0;
    }
    return d - mag;
}
EL(cmgt0)
{
    return sext(x, bits) > 0 ? ~0ull : 0;
}
EL(cmge0)
{
    return sext(x, bits) >= 0 ? ~0ull : 0;
}
EL(cmeq0)
{
    return (x & ones(bits)) == 0 ? ~0ull : 0;
}
EL(cmle0)
{
    return sext(x, bits) <= 0 ? ~0ull : 0;
}
EL(cmlt0)
{
    return sext(x, bits) < 0 ? ~0ull : 0;
}

/* Narrowing, scalar forms (the vector forms: cpu/simd_misc_vec.h): X of
 * 2 x BITS bits to BITS. */
EL(sqxtn)
{
    return ssat(sext(x, 2 * bits), bits, e);
}
EL(uqxtn)
{
    return usat_u(x, bits, e);
}
EL(sqxtun)
{
    return usat_s(sext(x, 2 * bits), bits, e);
}
EL(sqshrn)
{
    return ssat(asr(sext(x, 2 * bits), imm, 2 * bits), bits, e);
}
EL(sqrshrn)
{
    return ssat(asr_round(sext(x, 2 * bits), imm, 2 * bits), bits, e);
}
EL(uqshrn)
{
    return usat_u(x >> imm, bits, e);
}
EL(uqrshrn)
{
    return usat_u(lsr_round(x, imm, 2 * bits), bits, e);
}
EL(sqshrun)
{
    return usat_s(asr(sext(x, 2 * bits), imm, 2 * bits), bits, e);
}
EL(sqrshrun)
{
    return usat_s(asr_round(sext(x, 2 * bits), imm, 2 * bits), bits, e);
}

/* Shift by immediate, same size; IMM is the shift. */
EL(sshr)
{
    return (uint64_t)asr(sext(x, bits), imm, bits);
}
EL(ushr)
{
    return lsr(x, imm, bits);
}
EL(ssra)
{
    return d + (uint64_t)asr(sext(x, bits), imm, bits);
}
EL(usra)
{
    return d + lsr(x, imm, bits);
}
EL(srshr)
{
    return (uint64_t)asr_round(sext(x, bits), imm, bits);
}
EL(urshr)
{
    return lsr_round(x, imm, bits);
}
EL(srsra)
{
    return d + (uint64_t)asr_round(sext(x, bits), imm, bits);
}
EL(ursra)
{
    return d + lsr_round(x, imm, bits);
}
/* SRI: the bits shifted in replace Vd's; a shift by esize keeps Vd. */
EL(sri)
{
    uint64_t mask = lsr(ones(bits), imm, bits);
    return (d & ~mask) | lsr(x, imm, bits);
}
EL(shl)
{
    return x << imm;
}
EL(sli)
{
    uint64_t mask = ones(bits) << imm;
    return (d & ~mask) | (x << imm);
}
/* SQSHL, UQSHL, SQSHLU (immediate): 0 <= IMM < BITS. Below 64 bits the
 * shifted value fits in 64 bits, so the saturation is a compare. */
EL(sqshl)
{
    int64_t v = sext(x, bits);
    if (bits < 64)
        return ssat((int64_t)((uint64_t)v << imm), bits, e);
    if (imm == 0)
        return x;
    int64_t top = v >> (63 - imm); /* the bits shifted out, and the new sign */
    if (top == 0 || top == -1)
        return x << imm;
    set_qc(e);
    return v < 0 ? (uint64_t)INT64_MIN : (uint64_t)INT64_MAX;
}
AI uint64_t uqshl_u(uint64_t x, unsigned imm, unsigned bits, struct fp_env *e)
{
    if (bits < 64)
        return usat_u(x << imm, bits, e);
    if (imm != 0 && (x >> (64 - imm)) != 0) {
        set_qc(e);
        return ~0ull;
    }
    return x << imm;
}
EL(uqshl)
{
    return uqshl_u(x, imm, bits, e);
}
EL(sqshlu)
{
    if (sext(x, bits) < 0) {
        set_qc(e);
        return 0;
    }
    return uqshl_u(x, imm, bits, e);
}

/* By element, same size, scalar forms and S elements; Y is the indexed
 * element. SQDMULH: (2 * x * y) >> BITS; SQRDMULH adds 2^(BITS-1) first. Halved,
 * so that the product of two 32-bit elements stays within 64 bits. */
EL(sqdmulh)
{
    int64_t p = sext(x, bits) * sext(y, bits);
    return ssat(p >> (bits - 1), bits, e);
}
EL(sqrdmulh)
{
    int64_t p = sext(x, bits) * sext(y, bits);
    return ssat((p + (1ll << (bits - 2))) >> (bits - 1), bits, e);
}

/* By element, long, scalar forms: X and Y of BITS bits, D and the result
 * of 2 x BITS. SignedSatQ(2 * x * y, 2 * BITS): only -2^(BITS-1) squared saturates. */
AI int64_t sqdmull_el(uint64_t x, uint64_t y, unsigned bits, struct fp_env *e)
{
    int64_t p = sext(x, bits) * sext(y, bits);
    if (p == 1ll << (2 * bits - 2)) {
        set_qc(e);
        return smax(2 * bits);
    }
    return (int64_t)((uint64_t)p << 1);
}
/* SignedSatQ(ACC + P, 2 * BITS), the accumulation of SQDMLAL/SQDMLSL. */
AI uint64_t sq_accumulate(uint64_t d, int64_t p, unsigned bits, struct fp_env *e)
{
    int64_t acc = sext(d, 2 * bits), sum;
    if (2 * bits < 64)
        return ssat(acc + p, 2 * bits, e);
    if (__builtin_add_overflow(acc, p, &sum)) {
        set_qc(e);
        return p < 0 ? (uint64_t)INT64_MIN : (uint64_t)INT64_MAX;
    }
    return (uint64_t)sum;
}
EL(sqdmull)
{
    return (uint64_t)sqdmull_el(x, y, bits, e);
}
EL(sqdmlal)
{
    return sq_accumulate(d, sqdmull_el(x, y, bits, e), bits, e);
}
/* SQDMLSL subtracts the saturated product; -INT64_MIN cannot be formed,
 * but a saturated product is never INT64_MIN. */
EL(sqdmlsl)
{
    return sq_accumulate(d, -sqdmull_el(x, y, bits, e), bits, e);
}

/* ---- floating-point element functions (BITS: 32 or 64; the narrowing
 * and lengthening conversions: the narrow format, 16 or 32) ---- */

AI enum fp_rounding fpcr_rounding(const struct fp_env *e)
{
    return fp_fpcr_rounding(e->fpcr);
}

EL(frintn)
{
    return fp_round_int(e, bits, x, FPROUND_TIEEVEN, false);
}
EL(frintm)
{
    return fp_round_int(e, bits, x, FPROUND_NEGINF, false);
}
EL(frintp)
{
    return fp_round_int(e, bits, x, FPROUND_POSINF, false);
}
EL(frintz)
{
    return fp_round_int(e, bits, x, FPROUND_ZERO, false);
}
EL(frinta)
{
    return fp_round_int(e, bits, x, FPROUND_TIEAWAY, false);
}
EL(frintx)
{
    return fp_round_int(e, bits, x, fpcr_rounding(e), true);
}
EL(frinti)
{
    return fp_round_int(e, bits, x, fpcr_rounding(e), false);
}

#define EL_FCVT(name, rounding, is_unsigned)                                                       \
    EL(name)                                                                                       \
    {                                                                                              \
        return fp_to_fixed(e, bits, x, imm, is_unsigned, rounding, bits);                          \
    }
EL_FCVT(fcvtns, FPROUND_TIEEVEN, false)
EL_FCVT(fcvtms, FPROUND_NEGINF, false)
EL_FCVT(fcvtas, FPROUND_TIEAWAY, false)
EL_FCVT(fcvtps, FPROUND_POSINF, false)
EL_FCVT(fcvtzs, FPROUND_ZERO, false)
EL_FCVT(fcvtnu, FPROUND_TIEEVEN, true)
EL_FCVT(fcvtmu, FPROUND_NEGINF, true)
EL_FCVT(fcvtau, FPROUND_TIEAWAY, true)
EL_FCVT(fcvtpu, FPROUND_POSINF, true)
EL_FCVT(fcvtzu, FPROUND_ZERO, true)

/* SCVTF, UCVTF, and their fixed-point forms (IMM fractional bits; 0 for
 * the integer forms). */
EL(scvtf)
{
    return fp_from_fixed(e, bits, x, imm, false, bits, fpcr_rounding(e));
}
EL(ucvtf)
{
    return fp_from_fixed(e, bits, x, imm, true, bits, fpcr_rounding(e));
}

/* Compares against +0.0; FCMLE and FCMLT swap the operands of GE and GT. */
EL(fcmgt0)
{
    return fp_compare_gt(e, bits, x, 0) ? ~0ull : 0;
}
EL(fcmge0)
{
    return fp_compare_ge(e, bits, x, 0) ? ~0ull : 0;
}
EL(fcmeq0)
{
    return fp_compare_eq(e, bits, x, 0) ? ~0ull : 0;
}
EL(fcmle0)
{
    return fp_compare_ge(e, bits, 0, x) ? ~0ull : 0;
}
EL(fcmlt0)
{
    return fp_compare_gt(e, bits, 0, x) ? ~0ull : 0;
}
/* FABS, FNEG: the sign bit only, NaNs included, no exception. */
EL(fabs)
{
    return x & ~sign_bit(bits);
}
EL(fneg)
{
    return x ^ sign_bit(bits);
}
EL(frecpe)
{
    return fp_recpe(e, bits, x);
}
EL(frsqrte)
{
    return fp_rsqrte(e, bits, x);
}
EL(frecpx)
{
    return fp_recpx(e, bits, x);
}
EL(fsqrt)
{
    return fp_sqrt(e, bits, x);
}
EL(urecpe)
{
    return fp_urecpe((uint32_t)x);
}
EL(ursqrte)
{
    return fp_ursqrte((uint32_t)x);
}
/* FCVTN: from 2 x BITS to BITS; FCVTXN: double to single, rounding to odd;
 * FCVTL: from BITS to 2 x BITS. Half precision follows FPCR.AHP. */
EL(fcvtn)
{
    return fp_convert(e, 2 * bits, bits, x, fpcr_rounding(e));
}
EL(fcvtxn)
{
    return fp_convert(e, 64, 32, x, FPROUND_ODD);
}
EL(fcvtl)
{
    return fp_convert(e, bits, 2 * bits, x, fpcr_rounding(e));
}
/* FMLS negates the element of Vn (FPNeg, NaNs included) and fuses. */
EL(fmla)
{
    return fp_muladd(e, bits, d, x, y);
}
EL(fmls)
{
    return fp_muladd(e, bits, d, x ^ sign_bit(bits), y);
}
EL(fmul)
{
    return fp_mul(e, bits, x, y);
}
EL(fmulx)
{
    return fp_mulx(e, bits, x, y);
}

/* ---- loop shapes --------------------------------------------------------
 * A body computes the instruction into a local union vreg and writes it;
 * FORM is 0 (Q = 0), 1 (Q = 1) or 2 (scalar), a constant in each handler.
 * The lane types: SUF names the member of union vreg, T its type, BITS its
 * width. */

/* SAME: element I of Vd from element I of Vn and of Vd. */
#define BODY_SAME(NAME, OP, A, T, BITS)                                                            \
    AI void body_##NAME(struct cpu *c, const struct insn *in, unsigned form)                       \
    {                                                                                              \
        const union vreg *vn = &c->v[in->rn], *vd = &c->v[in->rd];                                 \
        struct fp_env env = {c->fp.fpcr, 0};                                                       \
        union vreg r = {.d = {0, 0}};                                                              \
        unsigned bytes = form == 0 ? 8 : form == 1 ? 16 : sizeof(T);                               \
        for (unsigned i = 0; i < bytes / sizeof(T); i++)                                           \
            r.A[i] = (T)el_##OP(vn->A[i], 0, vd->A[i], (unsigned)in->imm, &env, BITS);             \
        c->fp.fpsr |= env.fpsr;                                                                    \
        vreg_write(c, in->rd, &r, bytes);                                                          \
    }

/* NARROW: element I of Vd (TN) from element I of Vn (TW); the "2" form
 * fills the upper half and keeps the lower half of Vd. */
#define BODY_NARROW(NAME, OP, AN, TN, AW, TW, BITS)                                                \
    AI void body_##NAME(struct cpu *c, const struct insn *in, unsigned form)                       \
    {                                                                                              \
        const union vreg *vn = &c->v[in->rn];                                                      \
        struct fp_env env = {c->fp.fpcr, 0};                                                       \
        union vreg r = {.d = {form == 1 ? c->v[in->rd].d[0] : 0, 0}};                              \
        unsigned n = form == 2 ? 1 : 8 / sizeof(TN), off = form == 1 ? n : 0;                      \
        for (unsigned i = 0; i < n; i++)                                                           \
            r.AN[off + i] = (TN)el_##OP(vn->AW[i], 0, 0, (unsigned)in->imm, &env, BITS);           \
        c->fp.fpsr |= env.fpsr;                                                                    \
        vreg_write(c, in->rd, &r, form == 0 ? 8 : form == 1 ? 16 : sizeof(TN));                    \
    }

/* WIDEN: element I of Vd (TW) from element I of the lower or ("2") upper
 * half of Vn (TN). */
#define BODY_WIDEN(NAME, OP, AN, TN, AW, TW, BITS)                                                 \
    AI void body_##NAME(struct cpu *c, const struct insn *in, unsigned form)                       \
    {                                                                                              \
        const union vreg *vn = &c->v[in->rn];                                                      \
        struct fp_env env = {c->fp.fpcr, 0};                                                       \
        union vreg r;                                                                              \
        unsigned n = 8 / sizeof(TN), off = form == 1 ? n : 0;                                      \
        for (unsigned i = 0; i < n; i++)                                                           \
            r.AW[i] = (TW)el_##OP(vn->AN[off + i], 0, 0, (unsigned)in->imm, &env, BITS);           \
        c->fp.fpsr |= env.fpsr;                                                                    \
        vreg_write(c, in->rd, &r, 16);                                                             \
    }

/* IDX: SAME with element IMM of Vm as the second operand. */
#define BODY_IDX(NAME, OP, A, T, BITS)                                                             \
    AI void body_##NAME(struct cpu *c, const struct insn *in, unsigned form)                       \
    {                                                                                              \
        const union vreg *vn = &c->v[in->rn], *vd = &c->v[in->rd];                                 \
        struct fp_env env = {c->fp.fpcr, 0};                                                       \
        union vreg r = {.d = {0, 0}};                                                              \
        uint64_t m = c->v[in->rm].A[in->imm];                                                      \
        unsigned bytes = form == 0 ? 8 : form == 1 ? 16 : sizeof(T);                               \
        for (unsigned i = 0; i < bytes / sizeof(T); i++)                                           \
            r.A[i] = (T)el_##OP(vn->A[i], m, vd->A[i], 0, &env, BITS);                             \
        c->fp.fpsr |= env.fpsr;                                                                    \
        vreg_write(c, in->rd, &r, bytes);                                                          \
    }

/* IDXL: WIDEN with element IMM of Vm (TN) as the second operand and Vd
 * (TW) as the accumulator. */
#define BODY_IDXL(NAME, OP, AN, TN, AW, TW, BITS)                                                  \
    AI void body_##NAME(struct cpu *c, const struct insn *in, unsigned form)                       \
    {                                                                                              \
        const union vreg *vn = &c->v[in->rn], *vd = &c->v[in->rd];                                 \
        struct fp_env env = {c->fp.fpcr, 0};                                                       \
        union vreg r = {.d = {0, 0}};                                                              \
        uint64_t m = c->v[in->rm].AN[in->imm];                                                     \
        unsigned n = form == 2 ? 1 : 8 / sizeof(TN), off = form == 1 ? n : 0;                      \
        for (unsigned i = 0; i < n; i++)                                                           \
            r.AW[i] = (TW)el_##OP(vn->AN[off + i], m, vd->AW[i], 0, &env, BITS);                   \
        c->fp.fpsr |= env.fpsr;                                                                    \
        vreg_write(c, in->rd, &r, form == 2 ? sizeof(TW) : 16);                                    \
    }

/* ---- the vector forms on host vectors (cpu/simd_misc_vec.h) ----
 * The same shapes; the lanes the instruction does not use (above a
 * Q = 0 result) are computed and dropped, and their saturation ignored. */

/* SAME and IDX: the operation on the whole register (Y: the indexed
 * element in every lane). */
#define VBODY_SAME(NAME, OP, LG, UV, A, T)                                                         \
    AI void vbody_##NAME(struct cpu *c, const struct insn *in, unsigned form)                      \
    {                                                                                              \
        UV x, d, sat = {0};                                                                        \
        memcpy(&x, &c->v[in->rn], 16);                                                             \
        memcpy(&d, &c->v[in->rd], 16);                                                             \
        UV r = v_##OP##_##LG(x, x, d, (unsigned)in->imm, &sat);                                    \
        union vreg out;                                                                            \
        memcpy(&out, &r, 16);                                                                      \
        if (sat_any(&sat, form))                                                                   \
            c->fp.fpsr |= FPSR_QC;                                                                 \
        vreg_write(c, in->rd, &out, form == 0 ? 8 : 16);                                           \
    }
#define VBODY_IDX(NAME, OP, LG, UV, A, T)                                                          \
    AI void vbody_##NAME(struct cpu *c, const struct insn *in, unsigned form)                      \
    {                                                                                              \
        UV x, d, sat = {0}, y = (UV){0} + (T)c->v[in->rm].A[in->imm];                              \
        memcpy(&x, &c->v[in->rn], 16);                                                             \
        memcpy(&d, &c->v[in->rd], 16);                                                             \
        UV r = v_##OP##_##LG(x, y, d, 0, &sat);                                                    \
        union vreg out;                                                                            \
        memcpy(&out, &r, 16);                                                                      \
        if (sat_any(&sat, form))                                                                   \
            c->fp.fpsr |= FPSR_QC;                                                                 \
        vreg_write(c, in->rd, &out, form == 0 ? 8 : 16);                                           \
    }

/* NARROW: the wide lanes of Vn (UVW) to the 64-bit half HN, into the
 * lower half of Vd or ("2") the upper half, keeping the lower. */
#define VBODY_NARROW(NAME, OP, LG, UVW, HN)                                                        \
    AI void vbody_##NAME(struct cpu *c, const struct insn *in, unsigned form)                      \
    {                                                                                              \
        UVW x, sat = {0};                                                                          \
        memcpy(&x, &c->v[in->rn], 16);                                                             \
        HN n = __builtin_convertvector(vn_##OP##_##LG(x, (unsigned)in->imm, &sat), HN);            \
        union vreg out = {.d = {form == 1 ? c->v[in->rd].d[0] : 0, 0}};                            \
        memcpy(&out.d[form], &n, 8);                                                               \
        if (sat_any(&sat, 1))                                                                      \
            c->fp.fpsr |= FPSR_QC;                                                                 \
        vreg_write(c, in->rd, &out, form == 0 ? 8 : 16);                                           \
    }

/* WIDEN and IDXL: the lower or ("2") upper half of Vn (HN) extended to
 * the wide lanes (UVW), signed when SIGNED_<op> says so; for IDXL the
 * indexed element of Vm, extended, in every lane. */
#define VBODY_LONG(NAME, OP, FN, UVW, SVW, HN, BITS, Y, SHIFT)                                     \
    AI void vbody_##NAME(struct cpu *c, const struct insn *in, unsigned form)                      \
    {                                                                                              \
        HN h;                                                                                      \
        memcpy(&h, c->v[in->rn].b + 8 * form, 8);                                                  \
        UVW x = __builtin_convertvector(h, UVW), sat = {0}, d;                                     \
        if (SIGNED_##OP)                                                                           \
            x = (UVW)((SVW)(x << BITS) >> BITS);                                                   \
        memcpy(&d, &c->v[in->rd], 16);                                                             \
        UVW r = FN(x, Y, d, SHIFT, &sat);                                                          \
        union vreg out;                                                                            \
        memcpy(&out, &r, 16);                                                                      \
        if (sat_any(&sat, 1))                                                                      \
            c->fp.fpsr |= FPSR_QC;                                                                 \
        vreg_write(c, in->rd, &out, 16);                                                           \
    }
#define VBODY_WIDEN(NAME, OP, LG, UVW, SVW, HN, A, TN, TSN, BITS)                                  \
    VBODY_LONG(NAME, OP, vl_##OP##_##LG, UVW, SVW, HN, BITS, x, (unsigned)in->imm)
#define VBODY_IDXL(NAME, OP, LG, UVW, SVW, HN, A, TN, TSN, BITS)                                   \
    VBODY_LONG(NAME, OP, vl_##OP##_##LG, UVW, SVW, HN, BITS,                                       \
               SIGNED_##OP ? (UVW)((SVW){0} + (TSN)c->v[in->rm].A[in->imm])                        \
                           : (UVW){0} + (TN)c->v[in->rm].A[in->imm],                               \
               0)

/* PAIRL: the pairs of narrow lanes read as the wide lanes UVW. */
#define VBODY_PAIRL(NAME, OP, LG, UVW, SVW, HN, A, TN, TSN, BITS)                                  \
    AI void vbody_##NAME(struct cpu *c, const struct insn *in, unsigned form)                      \
    {                                                                                              \
        UVW x, d;                                                                                  \
        memcpy(&x, &c->v[in->rn], 16);                                                             \
        memcpy(&d, &c->v[in->rd], 16);                                                             \
        UVW r = vp_sum_##LG(x, SIGNED_##OP) + (ACC_##OP ? d : (UVW){0});                           \
        union vreg out;                                                                            \
        memcpy(&out, &r, 16);                                                                      \
        vreg_write(c, in->rd, &out, form == 0 ? 8 : 16);                                           \
    }

/* Which long operations extend their operands as signed, and which
 * pairwise ones accumulate. */
#define SIGNED_sshll   1
#define SIGNED_ushll   0
#define SIGNED_shll    0
#define SIGNED_smull   1
#define SIGNED_umull   0
#define SIGNED_smlal   1
#define SIGNED_umlal   0
#define SIGNED_smlsl   1
#define SIGNED_umlsl   0
#define SIGNED_sqdmull 1
#define SIGNED_sqdmlal 1
#define SIGNED_sqdmlsl 1
#define SIGNED_saddlp  1
#define SIGNED_uaddlp  0
#define SIGNED_sadalp  1
#define SIGNED_uadalp  0
#define ACC_saddlp     0
#define ACC_uaddlp     0
#define ACC_sadalp     1
#define ACC_uadalp     1

/* Host vector lane types by shape and LG. */
#define VLANE_SAME_0   0, vu8, b, uint8_t
#define VLANE_SAME_1   1, vu16, h, uint16_t
#define VLANE_SAME_2   2, vu32, s, uint32_t
#define VLANE_SAME_3   3, vu64, d, uint64_t
#define VLANE_IDX_1    VLANE_SAME_1
#define VLANE_IDX_2    VLANE_SAME_2
#define VLANE_NARROW_0 0, vu16, hu8
#define VLANE_NARROW_1 1, vu32, hu16
#define VLANE_NARROW_2 2, vu64, hu32
#define VLANE_WIDEN_0  0, vu16, vs16, hu8, b, uint8_t, int8_t, 8
#define VLANE_WIDEN_1  1, vu32, vs32, hu16, h, uint16_t, int16_t, 16
#define VLANE_WIDEN_2  2, vu64, vs64, hu32, s, uint32_t, int32_t, 32
#define VLANE_IDXL_1   VLANE_WIDEN_1
#define VLANE_IDXL_2   VLANE_WIDEN_2
#define VLANE_PAIRL_0  VLANE_WIDEN_0
#define VLANE_PAIRL_1  VLANE_WIDEN_1
#define VLANE_PAIRL_2  VLANE_WIDEN_2

/* ---- the handlers of a body: FL is INT (the body inlined), FP (the body
 * in a function of its own) or VEC (the vector forms on host vectors, the
 * scalar form INT); FORMS is V (Q = 0, 1), S (scalar) or VS (all three). */

#define HANDLER(BODY, NAME, SUFFIX, FORM)                                                          \
    static void NAME##_##SUFFIX(struct cpu *c, const struct insn *in)                              \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        BODY##NAME(c, in, FORM);                                                                   \
        insn_next(c, in);                                                                          \
    }
#define HANDLER_INT(NAME, SUFFIX, FORM) HANDLER(body_, NAME, SUFFIX, FORM)
#define HANDLER_FP(NAME, SUFFIX, FORM)                                                             \
    static NOINLINE void NAME##_##SUFFIX##_work(struct cpu *c, const struct insn *in)              \
    {                                                                                              \
        body_##NAME(c, in, FORM);                                                                  \
    }                                                                                              \
    static void NAME##_##SUFFIX(struct cpu *c, const struct insn *in)                              \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        NAME##_##SUFFIX##_work(c, in);                                                             \
        insn_next(c, in);                                                                          \
    }
#define FORMS_V(NAME, FL)  HANDLER_##FL(NAME, q0, 0) HANDLER_##FL(NAME, q1, 1)
#define FORMS_S(NAME, FL)  HANDLER_##FL(NAME, sc, 2)
#define FORMS_VS(NAME, FL) FORMS_V(NAME, FL) FORMS_S(NAME, FL)
/* clang-format off */
#define ROW_V(NAME)        {NAME##_q0, NAME##_q1, NULL}
#define ROW_S(NAME)        {NULL, NULL, NAME##_sc}
#define ROW_VS(NAME)       {NAME##_q0, NAME##_q1, NAME##_sc}
#define ROW_NONE           {NULL, NULL, NULL}
/* clang-format on */

/* Lane types by log2 of the element size, and of the element twice as wide. */
#define LANE_0 b, uint8_t, 8
#define LANE_1 h, uint16_t, 16
#define LANE_2 s, uint32_t, 32
#define LANE_3 d, uint64_t, 64
#define WIDE_0 b, uint8_t, h, uint16_t, 8
#define WIDE_1 h, uint16_t, s, uint32_t, 16
#define WIDE_2 s, uint32_t, d, uint64_t, 32

#define EXPAND(m, ...) m(__VA_ARGS__)

/* One element size LG of operation OP of shape SHAPE: its bodies and handlers. */
#define STAMP(SHAPE, OP, LG, FORMS, FL) STAMP_##FL(SHAPE, OP, LG, FORMS)
#define STAMP_INT(SHAPE, OP, LG, FORMS) GENERIC(SHAPE, OP, LG) FORMS_##FORMS(OP##_##LG, INT)
#define STAMP_FP(SHAPE, OP, LG, FORMS)  GENERIC(SHAPE, OP, LG) FORMS_##FORMS(OP##_##LG, FP)
#define STAMP_VEC(SHAPE, OP, LG, FORMS)                                                            \
    EXPAND(VBODY_##SHAPE, OP##_##LG, OP, VLANE_##SHAPE##_##LG)                                     \
    HANDLER(vbody_, OP##_##LG, q0, 0)                                                              \
    HANDLER(vbody_, OP##_##LG, q1, 1) VEC_SCALAR_##FORMS(SHAPE, OP, LG)
#define VEC_SCALAR_V(SHAPE, OP, LG)
#define VEC_SCALAR_VS(SHAPE, OP, LG) GENERIC(SHAPE, OP, LG) FORMS_S(OP##_##LG, INT)
#define GENERIC(SHAPE, OP, LG)       EXPAND(BODY_##SHAPE, OP##_##LG, OP, STAMP_LANE_##SHAPE(LG))
#define STAMP_LANE_SAME(LG)          LANE_##LG
#define STAMP_LANE_IDX(LG)           LANE_##LG
#define STAMP_LANE_NARROW(LG)        WIDE_##LG
#define STAMP_LANE_WIDEN(LG)         WIDE_##LG
#define STAMP_LANE_IDXL(LG)          WIDE_##LG

/* The handler table of OP: [lg][form]. */
#define TABLE(OP, R0, R1, R2, R3) static const insn_fn t_##OP[4][3] = {R0, R1, R2, R3};

/* Shape SHAPE for element sizes B, H, S, D; B, H, S; H, S; S, D. */
#define OP_BHSD(SHAPE, OP, FORMS, FL)                                                              \
    STAMP(SHAPE, OP, 0, FORMS, FL)                                                                 \
    STAMP(SHAPE, OP, 1, FORMS, FL)                                                                 \
    STAMP(SHAPE, OP, 2, FORMS, FL)                                                                 \
    STAMP(SHAPE, OP, 3, FORMS, FL)                                                                 \
    TABLE(OP, ROW_##FORMS(OP##_0), ROW_##FORMS(OP##_1), ROW_##FORMS(OP##_2), ROW_##FORMS(OP##_3))
#define OP_BHS(SHAPE, OP, FORMS, FL)                                                               \
    STAMP(SHAPE, OP, 0, FORMS, FL)                                                                 \
    STAMP(SHAPE, OP, 1, FORMS, FL)                                                                 \
    STAMP(SHAPE, OP, 2, FORMS, FL)                                                                 \
    TABLE(OP, ROW_##FORMS(OP##_0), ROW_##FORMS(OP##_1), ROW_##FORMS(OP##_2), ROW_NONE)
#define OP_HS(SHAPE, OP, FORMS, FL)                                                                \
    STAMP(SHAPE, OP, 1, FORMS, FL)                                                                 \
    STAMP(SHAPE, OP, 2, FORMS, FL)                                                                 \
    TABLE(OP, ROW_NONE, ROW_##FORMS(OP##_1), ROW_##FORMS(OP##_2), ROW_NONE)
#define OP_SD(SHAPE, OP, FORMS, FL)                                                                \
    STAMP(SHAPE, OP, 2, FORMS, FL)                                                                 \
    STAMP(SHAPE, OP, 3, FORMS, FL)                                                                 \
    TABLE(OP, ROW_NONE, ROW_NONE, ROW_##FORMS(OP##_2), ROW_##FORMS(OP##_3))

/* H elements on host vectors, S elements with the element functions. */
#define OP_H_S(SHAPE, OP, FORMS)                                                                   \
    STAMP(SHAPE, OP, 1, FORMS, VEC)                                                                \
    STAMP(SHAPE, OP, 2, FORMS, INT)                                                                \
    TABLE(OP, ROW_NONE, ROW_##FORMS(OP##_1), ROW_##FORMS(OP##_2), ROW_NONE)

/* Operations on whole 64-bit lanes, whatever the element size: one
 * element function per size (REV*), or one for the only size (NOT, RBIT,
 * CNT: bytes). */
#define LANE64(OP) BODY_SAME(OP, OP, d, uint64_t, 64) FORMS_V(OP, INT)
LANE64(rev64_b)
LANE64(rev64_h)
LANE64(rev64_s)
LANE64(rev32_b)
LANE64(rev32_h)
LANE64(rev16_b)
LANE64(bitnot)
LANE64(rbit)
LANE64(cnt)
TABLE(rev64, ROW_V(rev64_b), ROW_V(rev64_h), ROW_V(rev64_s), ROW_NONE)
TABLE(rev32, ROW_V(rev32_b), ROW_V(rev32_h), ROW_NONE, ROW_NONE)
TABLE(rev16, ROW_V(rev16_b), ROW_NONE, ROW_NONE, ROW_NONE)
TABLE(bitnot, ROW_V(bitnot), ROW_NONE, ROW_NONE, ROW_NONE)
TABLE(rbit, ROW_NONE, ROW_V(rbit), ROW_NONE, ROW_NONE) /* size = 01 */
TABLE(cnt, ROW_V(cnt), ROW_NONE, ROW_NONE, ROW_NONE)

/* two-register miscellaneous, integer */
OP_BHS(SAME, cls, V, INT)
OP_BHS(SAME, clz, V, INT)
OP_BHSD(SAME, abs, VS, VEC)
OP_BHSD(SAME, neg, VS, VEC)
OP_BHSD(SAME, sqabs, VS, VEC)
OP_BHSD(SAME, sqneg, VS, VEC)
OP_BHSD(SAME, suqadd, VS, VEC)
OP_BHSD(SAME, usqadd, VS, VEC)
OP_BHSD(SAME, cmgt0, VS, VEC)
OP_BHSD(SAME, cmge0, VS, VEC)
OP_BHSD(SAME, cmeq0, VS, VEC)
OP_BHSD(SAME, cmle0, VS, VEC)
OP_BHSD(SAME, cmlt0, VS, VEC)
OP_BHS(PAIRL, saddlp, V, VEC)
OP_BHS(PAIRL, uaddlp, V, VEC)
OP_BHS(PAIRL, sadalp, V, VEC)
OP_BHS(PAIRL, uadalp, V, VEC)
OP_BHS(NARROW, xtn, V, VEC)
OP_BHS(NARROW, sqxtn, VS, VEC)
OP_BHS(NARROW, uqxtn, VS, VEC)
OP_BHS(NARROW, sqxtun, VS, VEC)
OP_BHS(WIDEN, shll, V, VEC)

/* two-register miscellaneous, floating point */
STAMP(SAME, urecpe, 2, V, INT)
STAMP(SAME, ursqrte, 2, V, INT)
TABLE(urecpe, ROW_NONE, ROW_NONE, ROW_V(urecpe_2), ROW_NONE)
TABLE(ursqrte, ROW_NONE, ROW_NONE, ROW_V(ursqrte_2), ROW_NONE)
OP_SD(SAME, frintn, V, FP)
OP_SD(SAME, frintm, V, FP)
OP_SD(SAME, frintp, V, FP)
OP_SD(SAME, frintz, V, FP)
OP_SD(SAME, frinta, V, FP)
OP_SD(SAME, frintx, V, FP)
OP_SD(SAME, frinti, V, FP)
OP_SD(SAME, fcvtns, VS, FP)
OP_SD(SAME, fcvtms, VS, FP)
OP_SD(SAME, fcvtas, VS, FP)
OP_SD(SAME, fcvtps, VS, FP)
OP_SD(SAME, fcvtzs, VS, FP)
OP_SD(SAME, fcvtnu, VS, FP)
OP_SD(SAME, fcvtmu, VS, FP)
OP_SD(SAME, fcvtau, VS, FP)
OP_SD(SAME, fcvtpu, VS, FP)
OP_SD(SAME, fcvtzu, VS, FP)
OP_SD(SAME, scvtf, VS, FP)
OP_SD(SAME, ucvtf, VS, FP)
OP_SD(SAME, fcmgt0, VS, FP)
OP_SD(SAME, fcmge0, VS, FP)
OP_SD(SAME, fcmeq0, VS, FP)
OP_SD(SAME, fcmle0, VS, FP)
OP_SD(SAME, fcmlt0, VS, FP)
OP_SD(SAME, fabs, V, INT)
OP_SD(SAME, fneg, V, INT)
OP_SD(SAME, frecpe, VS, FP)
OP_SD(SAME, frsqrte, VS, FP)
OP_SD(SAME, frecpx, S, FP)
OP_SD(SAME, fsqrt, V, FP)
STAMP(NARROW, fcvtn, 1, V, FP)
STAMP(NARROW, fcvtn, 2, V, FP)
TABLE(fcvtn, ROW_NONE, ROW_V(fcvtn_1), ROW_V(fcvtn_2), ROW_NONE)
STAMP(NARROW, fcvtxn, 2, VS, FP)
TABLE(fcvtxn, ROW_NONE, ROW_NONE, ROW_VS(fcvtxn_2), ROW_NONE)
STAMP(WIDEN, fcvtl, 1, V, FP)
STAMP(WIDEN, fcvtl, 2, V, FP)
TABLE(fcvtl, ROW_NONE, ROW_V(fcvtl_1), ROW_V(fcvtl_2), ROW_NONE)

/* shift by immediate */
OP_BHSD(SAME, sshr, VS, VEC)
OP_BHSD(SAME, ushr, VS, VEC)
OP_BHSD(SAME, ssra, VS, VEC)
OP_BHSD(SAME, usra, VS, VEC)
OP_BHSD(SAME, srshr, VS, VEC)
OP_BHSD(SAME, urshr, VS, VEC)
OP_BHSD(SAME, srsra, VS, VEC)
OP_BHSD(SAME, ursra, VS, VEC)
OP_BHSD(SAME, sri, VS, VEC)
OP_BHSD(SAME, shl, VS, VEC)
OP_BHSD(SAME, sli, VS, VEC)
OP_BHSD(SAME, sqshl, VS, VEC)
OP_BHSD(SAME, uqshl, VS, VEC)
OP_BHSD(SAME, sqshlu, VS, VEC)
OP_BHS(NARROW, shrn, V, VEC)
OP_BHS(NARROW, rshrn, V, VEC)
OP_BHS(NARROW, sqshrn, VS, VEC)
OP_BHS(NARROW, uqshrn, VS, VEC)
OP_BHS(NARROW, sqrshrn, VS, VEC)
OP_BHS(NARROW, uqrshrn, VS, VEC)
OP_BHS(NARROW, sqshrun, VS, VEC)
OP_BHS(NARROW, sqrshrun, VS, VEC)
OP_BHS(WIDEN, sshll, V, VEC)
OP_BHS(WIDEN, ushll, V, VEC)

/* vector x indexed element */
OP_HS(IDX, mul, V, VEC)
OP_HS(IDX, mla, V, VEC)
OP_HS(IDX, mls, V, VEC)
OP_H_S(IDX, sqdmulh, VS)
OP_H_S(IDX, sqrdmulh, VS)
OP_SD(IDX, fmla, VS, FP)
OP_SD(IDX, fmls, VS, FP)
OP_SD(IDX, fmul, VS, FP)
OP_SD(IDX, fmulx, VS, FP)
OP_HS(IDXL, smull, V, VEC)
OP_HS(IDXL, umull, V, VEC)
OP_HS(IDXL, smlal, V, VEC)
OP_HS(IDXL, umlal, V, VEC)
OP_HS(IDXL, smlsl, V, VEC)
OP_HS(IDXL, umlsl, V, VEC)
OP_HS(IDXL, sqdmull, VS, VEC)
OP_HS(IDXL, sqdmlal, VS, VEC)
OP_HS(IDXL, sqdmlsl, VS, VEC)

/* The handler tables by operation; the fixed-point conversions share the
 * element functions of the integer ones (IMM = the fractional bits). */
/* clang-format off */
static const insn_fn (*const handlers[SM_COUNT])[3] = {
    [SM_REV64] = t_rev64,       [SM_REV32] = t_rev32,         [SM_REV16] = t_rev16,
    [SM_SADDLP] = t_saddlp,     [SM_UADDLP] = t_uaddlp,       [SM_SADALP] = t_sadalp,
    [SM_UADALP] = t_uadalp,     [SM_SUQADD] = t_suqadd,       [SM_USQADD] = t_usqadd,
    [SM_CLS] = t_cls,           [SM_CLZ] = t_clz,             [SM_CNT] = t_cnt,
    [SM_NOT] = t_bitnot,        [SM_RBIT] = t_rbit,           [SM_SQABS] = t_sqabs,
    [SM_SQNEG] = t_sqneg,       [SM_CMGT0] = t_cmgt0,         [SM_CMGE0] = t_cmge0,
    [SM_CMEQ0] = t_cmeq0,       [SM_CMLE0] = t_cmle0,         [SM_CMLT0] = t_cmlt0,
    [SM_ABS] = t_abs,           [SM_NEG] = t_neg,             [SM_XTN] = t_xtn,
    [SM_SQXTN] = t_sqxtn,       [SM_UQXTN] = t_uqxtn,         [SM_SQXTUN] = t_sqxtun,
    [SM_SHLL] = t_shll,         [SM_FCVTN] = t_fcvtn,         [SM_FCVTXN] = t_fcvtxn,
    [SM_FCVTL] = t_fcvtl,       [SM_FRINTN] = t_frintn,       [SM_FRINTM] = t_frintm,
    [SM_FRINTP] = t_frintp,     [SM_FRINTZ] = t_frintz,       [SM_FRINTA] = t_frinta,
    [SM_FRINTX] = t_frintx,     [SM_FRINTI] = t_frinti,       [SM_FCVTNS] = t_fcvtns,
    [SM_FCVTMS] = t_fcvtms,     [SM_FCVTAS] = t_fcvtas,       [SM_FCVTPS] = t_fcvtps,
    [SM_FCVTZS] = t_fcvtzs,     [SM_FCVTNU] = t_fcvtnu,       [SM_FCVTMU] = t_fcvtmu,
    [SM_FCVTAU] = t_fcvtau,     [SM_FCVTPU] = t_fcvtpu,       [SM_FCVTZU] = t_fcvtzu,
    [SM_SCVTF] = t_scvtf,       [SM_UCVTF] = t_ucvtf,         [SM_FCMGT0] = t_fcmgt0,
    [SM_FCMGE0] = t_fcmge0,     [SM_FCMEQ0] = t_fcmeq0,       [SM_FCMLE0] = t_fcmle0,
    [SM_FCMLT0] = t_fcmlt0,     [SM_FABS] = t_fabs,           [SM_FNEG] = t_fneg,
    [SM_FRECPE] = t_frecpe,     [SM_FRSQRTE] = t_frsqrte,     [SM_FRECPX] = t_frecpx,
    [SM_FSQRT] = t_fsqrt,       [SM_URECPE] = t_urecpe,       [SM_URSQRTE] = t_ursqrte,
    [SM_SSHR] = t_sshr,         [SM_USHR] = t_ushr,           [SM_SSRA] = t_ssra,
    [SM_USRA] = t_usra,         [SM_SRSHR] = t_srshr,         [SM_URSHR] = t_urshr,
    [SM_SRSRA] = t_srsra,       [SM_URSRA] = t_ursra,         [SM_SRI] = t_sri,
    [SM_SHL] = t_shl,           [SM_SLI] = t_sli,             [SM_SQSHL] = t_sqshl,
    [SM_UQSHL] = t_uqshl,       [SM_SQSHLU] = t_sqshlu,       [SM_SHRN] = t_shrn,
    [SM_RSHRN] = t_rshrn,       [SM_SQSHRN] = t_sqshrn,       [SM_UQSHRN] = t_uqshrn,
    [SM_SQRSHRN] = t_sqrshrn,   [SM_UQRSHRN] = t_uqrshrn,     [SM_SQSHRUN] = t_sqshrun,
    [SM_SQRSHRUN] = t_sqrshrun, [SM_SSHLL] = t_sshll,         [SM_USHLL] = t_ushll,
    [SM_SCVTF_FIX] = t_scvtf,   [SM_UCVTF_FIX] = t_ucvtf,     [SM_FCVTZS_FIX] = t_fcvtzs,
    [SM_FCVTZU_FIX] = t_fcvtzu, [SM_MUL_EL] = t_mul,          [SM_MLA_EL] = t_mla,
    [SM_MLS_EL] = t_mls,        [SM_SQDMULH_EL] = t_sqdmulh,  [SM_SQRDMULH_EL] = t_sqrdmulh,
    [SM_FMLA_EL] = t_fmla,      [SM_FMLS_EL] = t_fmls,        [SM_FMUL_EL] = t_fmul,
    [SM_FMULX_EL] = t_fmulx,    [SM_SMULL_EL] = t_smull,      [SM_UMULL_EL] = t_umull,
    [SM_SMLAL_EL] = t_smlal,    [SM_UMLAL_EL] = t_umlal,      [SM_SMLSL_EL] = t_smlsl,
    [SM_UMLSL_EL] = t_umlsl,    [SM_SQDMULL_EL] = t_sqdmull,  [SM_SQDMLAL_EL] = t_sqdmlal,
    [SM_SQDMLSL_EL] = t_sqdmlsl,
};
/* clang-format on */

/* ---- decode ---- */

/* rd, rn, rm: V register numbers; imm: the shift, the fractional bits or
 * the element index. */
static bool trans_smisc(struct insn *in, const struct insn_fields *f, enum insn_family family)
{
    struct smisc_word w;
    if (!smisc_decode(family, f, &w))
        return false;
    insn_fn fn = handlers[w.op][w.lg][w.scalar ? 2 : w.q];
    assert(fn != NULL); /* every accepted word has a handler */
    in->fn = fn;
    in->rd = w.rd;
    in->rn = w.rn;
    in->rm = w.rm;
    in->imm = w.imm;
    return true;
}

bool trans_SIMD_two_misc(struct insn *in, const struct insn_fields *f)
{
    return trans_smisc(in, f, FAM_SIMD_TWO_MISC);
}

bool trans_SIMD_shift_imm(struct insn *in, const struct insn_fields *f)
{
    return trans_smisc(in, f, FAM_SIMD_SHIFT_IMM);
}

bool trans_SIMD_indexed(struct insn *in, const struct insn_fields *f)
{
    return trans_smisc(in, f, FAM_SIMD_INDEXED);
}

bool trans_SIMD_scalar_two_misc(struct insn *in, const struct insn_fields *f)
{
    return trans_smisc(in, f, FAM_SIMD_SCALAR_TWO_MISC);
}

bool trans_SIMD_scalar_shift_imm(struct insn *in, const struct insn_fields *f)
{
    return trans_smisc(in, f, FAM_SIMD_SCALAR_SHIFT_IMM);
}

bool trans_SIMD_scalar_indexed(struct insn *in, const struct insn_fields *f)
{
    return trans_smisc(in, f, FAM_SIMD_SCALAR_INDEXED);
}
