/* The fast paths of cpu/exec_simd_misc.c: the vector forms of the common
 * integer operations, written with the GCC/Clang vector extensions, so
 * that a 128-bit operation compiles to a few host SIMD instructions (SSE2
 * on x86-64) instead of sixteen scalar ones. Included by
 * cpu/exec_simd_misc.c only, whose element functions (el_*) serve the
 * scalar forms of the same instructions; the differential test checks
 * both against qemu-aarch64.
 *
 * Conventions:
 * - UV/SV are the unsigned/signed 128-bit vector of a lane size; the
 *   arithmetic that can wrap is on UV (modular), SV serves arithmetic
 *   right shifts, signed compares and sums that cannot overflow.
 * - A right shift by S, 1 <= S <= esize, is written as >> (S - 1) >> 1:
 *   a vector shift by the lane width is undefined, and the two-step form
 *   gives 0 (logical) or the sign (arithmetic) there. The rounding shifts
 *   use t = x >> (S - 1): (x + 2^(S-1)) >> S == (t >> 1) + (t & 1).
 * - Saturation is a lane mask (*sat all ones where the result was
 *   clamped); the body ORs FPSR.QC in when a lane of the result has it.
 * - A comparison gives a signed vector of 0 / -1 lanes.
 */
#ifndef CPU_SIMD_MISC_VEC_H
#define CPU_SIMD_MISC_VEC_H

#include <stdint.h>
#include <string.h>

#include "cpu/simd.h"

/* clang-format off */
typedef uint8_t  vu8  __attribute__((vector_size(16)));
typedef int8_t   vs8  __attribute__((vector_size(16)));
typedef uint16_t vu16 __attribute__((vector_size(16)));
typedef int16_t  vs16 __attribute__((vector_size(16)));
typedef uint32_t vu32 __attribute__((vector_size(16)));
typedef int32_t  vs32 __attribute__((vector_size(16)));
typedef uint64_t vu64 __attribute__((vector_size(16)));
typedef int64_t  vs64 __attribute__((vector_size(16)));
/* 64-bit halves, the narrow side of the narrowing and lengthening forms */
typedef uint8_t  hu8  __attribute__((vector_size(8)));
typedef int8_t   hs8  __attribute__((vector_size(8)));
typedef uint16_t hu16 __attribute__((vector_size(8)));
typedef int16_t  hs16 __attribute__((vector_size(8)));
typedef uint32_t hu32 __attribute__((vector_size(8)));
typedef int32_t  hs32 __attribute__((vector_size(8)));
/* clang-format on */

#define VAI     static inline __attribute__((always_inline))
#define VUNUSED __attribute__((unused))

/* True if a lane of the saturation mask SAT (16 bytes) is set; FORM 0
 * (Q = 0) looks at the low half only, where the result is. */
VAI bool sat_any(const void *sat, unsigned form)
{
    uint64_t m[2];
    memcpy(m, sat, 16);
    return form == 0 ? m[0] != 0 : (m[0] | m[1]) != 0;
}

/* ---- same-size operations: x (Vn), y (the indexed element, broadcast),
 * d (Vd), s (shift), sat (out) ---- */

#define VOP(OP, SUF, UV)                                                                           \
    VAI UV v_##OP##_##SUF(VUNUSED UV x, VUNUSED UV y, VUNUSED UV d, VUNUSED unsigned s,            \
                          VUNUSED UV *sat)

#define VDEF_SAME(SUF, T, UV, SV, BITS)                                                            \
    VAI UV vmin_##SUF(void)                                                                        \
    {                                                                                              \
        return (UV){0} + (T)((T)1 << (BITS - 1));                                                  \
    }                                                                                              \
    VOP(abs, SUF, UV)                                                                              \
    {                                                                                              \
        UV m = (UV)((SV)x >> (BITS - 1));                                                          \
        return (x ^ m) - m;                                                                        \
    }                                                                                              \
    VOP(neg, SUF, UV)                                                                              \
    {                                                                                              \
        return (UV){0} - x;                                                                        \
    }                                                                                              \
    VOP(cmgt0, SUF, UV)                                                                            \
    {                                                                                              \
        return (UV)((SV)x > (SV){0});                                                              \
    }                                                                                              \
    VOP(cmge0, SUF, UV)                                                                            \
    {                                                                                              \
        return (UV)((SV)x >= (SV){0});                                                             \
    }                                                                                              \
    VOP(cmeq0, SUF, UV)                                                                            \
    {                                                                                              \
        return (UV)(x == (UV){0});                                                                 \
    }                                                                                              \
    VOP(cmle0, SUF, UV)                                                                            \
    {                                                                                              \
        return (UV)((SV)x <= (SV){0});                                                             \
    }                                                                                              \
    VOP(cmlt0, SUF, UV)                                                                            \
    {                                                                                              \
        return (UV)((SV)x < (SV){0});                                                              \
    }                                                                                              \
    /* SQABS, SQNEG: only the minimum saturates; -1 turns it into the maximum */                   \
    VOP(sqabs, SUF, UV)                                                                            \
    {                                                                                              \
        UV m = (UV)((SV)x >> (BITS - 1)), s_ = (UV)(x == vmin_##SUF());                            \
        *sat = s_;                                                                                 \
        return ((x ^ m) - m) + s_;                                                                 \
    }                                                                                              \
    VOP(sqneg, SUF, UV)                                                                            \
    {                                                                                              \
        UV s_ = (UV)(x == vmin_##SUF());                                                           \
        *sat = s_;                                                                                 \
        return ((UV){0} - x) + s_;                                                                 \
    }                                                                                              \
    /* SUQADD: d (signed) + x (unsigned) exceeds the maximum when x > max - d,                     \
     * a difference that is exact modulo 2^esize (el_suqadd) */                                    \
    VOP(suqadd, SUF, UV)                                                                           \
    {                                                                                              \
        UV max = vmin_##SUF() - 1, s_ = (UV)(x > max - d);                                         \
        *sat = s_;                                                                                 \
        return ((d + x) & ~s_) | (max & s_);                                                       \
    }                                                                                              \
    /* USQADD: d (unsigned) + x (signed) carries out when x >= 0, borrows when x < 0 */            \
    VOP(usqadd, SUF, UV)                                                                           \
    {                                                                                              \
        UV sum = d + x, pos = (UV)((SV)x >= (SV){0});                                              \
        UV carry = pos & (UV)(sum < d), borrow = ~pos & (UV)(sum > d);                             \
        *sat = carry | borrow;                                                                     \
        return (sum | carry) & ~borrow;                                                            \
    }                                                                                              \
    VOP(sshr, SUF, UV)                                                                             \
    {                                                                                              \
        return (UV)((SV)x >> (s - 1) >> 1);                                                        \
    }                                                                                              \
    VOP(ushr, SUF, UV)                                                                             \
    {                                                                                              \
        return x >> (s - 1) >> 1;                                                                  \
    }                                                                                              \
    VOP(ssra, SUF, UV)                                                                             \
    {                                                                                              \
        return d + (UV)((SV)x >> (s - 1) >> 1);                                                    \
    }                                                                                              \
    VOP(usra, SUF, UV)                                                                             \
    {                                                                                              \
        return d + (x >> (s - 1) >> 1);                                                            \
    }                                                                                              \
    VOP(srshr, SUF, UV)                                                                            \
    {                                                                                              \
        SV t = (SV)x >> (s - 1);                                                                   \
        return (UV)(t >> 1) + ((UV)t & 1);                                                         \
    }                                                                                              \
    VOP(urshr, SUF, UV)                                                                            \
    {                                                                                              \
        UV t = x >> (s - 1);                                                                       \
        return (t >> 1) + (t & 1);                                                                 \
    }                                                                                              \
    VOP(srsra, SUF, UV)                                                                            \
    {                                                                                              \
        SV t = (SV)x >> (s - 1);                                                                   \
        return d + (UV)(t >> 1) + ((UV)t & 1);                                                     \
    }                                                                                              \
    VOP(ursra, SUF, UV)                                                                            \
    {                                                                                              \
        UV t = x >> (s - 1);                                                                       \
        return d + (t >> 1) + (t & 1);                                                             \
    }                                                                                              \
    VOP(sri, SUF, UV)                                                                              \
    {                                                                                              \
        UV mask = ~(UV){0} >> (s - 1) >> 1;                                                        \
        return (d & ~mask) | (x >> (s - 1) >> 1);                                                  \
    }                                                                                              \
    VOP(shl, SUF, UV)                                                                              \
    {                                                                                              \
        return x << s;                                                                             \
    }                                                                                              \
    VOP(sli, SUF, UV)                                                                              \
    {                                                                                              \
        UV mask = ~(UV){0} << s;                                                                   \
        return (d & ~mask) | (x << s);                                                             \
    }                                                                                              \
    /* SQSHL, UQSHL, SQSHLU (immediate), 0 <= s < esize: the shift overflowed                      \
     * when shifting back does not give x */                                                       \
    VOP(sqshl, SUF, UV)                                                                            \
    {                                                                                              \
        UV r = x << s, s_ = (UV)((SV)r >> s != (SV)x);                                             \
        UV limit = (vmin_##SUF() - 1) ^ (UV)((SV)x >> (BITS - 1));                                 \
        *sat = s_;                                                                                 \
        return (r & ~s_) | (limit & s_);                                                           \
    }                                                                                              \
    VOP(uqshl, SUF, UV)                                                                            \
    {                                                                                              \
        UV r = x << s, s_ = (UV)(r >> s != x);                                                     \
        *sat = s_;                                                                                 \
        return r | s_;                                                                             \
    }                                                                                              \
    VOP(sqshlu, SUF, UV)                                                                           \
    {                                                                                              \
        UV neg = (UV)((SV)x < (SV){0}), r = x << s, ovf = (UV)(r >> s != x) & ~neg;                \
        *sat = neg | ovf;                                                                          \
        return (r | ovf) & ~neg;                                                                   \
    }                                                                                              \
    VOP(mul, SUF, UV)                                                                              \
    {                                                                                              \
        return x * y;                                                                              \
    }                                                                                              \
    VOP(mla, SUF, UV)                                                                              \
    {                                                                                              \
        return d + x * y;                                                                          \
    }                                                                                              \
    VOP(mls, SUF, UV)                                                                              \
    {                                                                                              \
        return d - x * y;                                                                          \
    }

VDEF_SAME(0, uint8_t, vu8, vs8, 8)
VDEF_SAME(1, uint16_t, vu16, vs16, 16)
VDEF_SAME(2, uint32_t, vu32, vs32, 32)
VDEF_SAME(3, uint64_t, vu64, vs64, 64)

/* SQDMULH, SQRDMULH of H lanes: (2 * x * y) >> 16 is the high half of the
 * product doubled, (hi << 1) | (lo >> 15), which the compilers turn into
 * the host's multiply-high; SQRDMULH adds bit 14 of the product (the
 * rounding constant 2^15 of the doubled product). Only -2^15 squared
 * exceeds the maximum: it gives 0x8000, and -1 makes it 0x7fff. */
VAI vu16 vdmulh_1(vu16 x, vu16 y, vu16 *sat, bool round)
{
    vu16 r;
    for (unsigned i = 0; i < 8; i++) {
        int32_t p = (int32_t)(int16_t)x[i] * (int16_t)y[i];
        uint16_t hi = (uint16_t)(p >> 16), lo = (uint16_t)p;
        r[i] = (uint16_t)((uint16_t)(hi << 1) | lo >> 15);
        if (round)
            r[i] = (uint16_t)(r[i] + (lo >> 14 & 1));
    }
    vu16 min = (vu16){0} + 0x8000;
    *sat = (vu16)(x == min) & (vu16)(y == min);
    return r + *sat;
}
VOP(sqdmulh, 1, vu16)
{
    return vdmulh_1(x, y, sat, false);
}
VOP(sqrdmulh, 1, vu16)
{
    return vdmulh_1(x, y, sat, true);
}

/* ---- narrowing: x holds the wide lanes (UVW, 2 x BITS), the result is
 * the value of each narrow lane, still in a wide lane, truncated by the
 * body ---- */

#define VNOP(OP, SUF, UVW)                                                                         \
    VAI UVW vn_##OP##_##SUF(VUNUSED UVW x, VUNUSED unsigned s, VUNUSED UVW *sat)

#define VDEF_NARROW(SUF, TW, UVW, SVW, BITS)                                                       \
    /* SignedSatQ, UnsignedSatQ of signed and of unsigned wide lanes */                            \
    VAI UVW vn_ssat_##SUF(SVW v, UVW *sat)                                                         \
    {                                                                                              \
        SVW max = (SVW){0} + (((TW)1 << (BITS - 1)) - 1), min = -max - 1;                          \
        SVW hi = (SVW)(v > max), lo = (SVW)(v < min);                                              \
        *sat = (UVW)(hi | lo);                                                                     \
        return (UVW)((v & ~(hi | lo)) | (max & hi) | (min & lo));                                  \
    }                                                                                              \
    VAI UVW vn_usat_s_##SUF(SVW v, UVW *sat)                                                       \
    {                                                                                              \
        SVW max = (SVW){0} + (((TW)1 << BITS) - 1);                                                \
        SVW hi = (SVW)(v > max), lo = (SVW)(v < (SVW){0});                                         \
        *sat = (UVW)(hi | lo);                                                                     \
        return (UVW)((v | hi) & ~lo);                                                              \
    }                                                                                              \
    VAI UVW vn_usat_u_##SUF(UVW v, UVW *sat)                                                       \
    {                                                                                              \
        UVW hi = (UVW)(v > (UVW){0} + (((TW)1 << BITS) - 1));                                      \
        *sat = hi;                                                                                 \
        return v | hi;                                                                             \
    }                                                                                              \
    VAI SVW vn_srnd_##SUF(UVW x, unsigned s)                                                       \
    {                                                                                              \
        SVW t = (SVW)x >> (s - 1);                                                                 \
        return (t >> 1) + (t & 1);                                                                 \
    }                                                                                              \
    VAI UVW vn_urnd_##SUF(UVW x, unsigned s)                                                       \
    {                                                                                              \
        UVW t = x >> (s - 1);                                                                      \
        return (t >> 1) + (t & 1);                                                                 \
    }                                                                                              \
    VNOP(xtn, SUF, UVW)                                                                            \
    {                                                                                              \
        return x;                                                                                  \
    }                                                                                              \
    VNOP(sqxtn, SUF, UVW)                                                                          \
    {                                                                                              \
        return vn_ssat_##SUF((SVW)x, sat);                                                         \
    }                                                                                              \
    VNOP(uqxtn, SUF, UVW)                                                                          \
    {                                                                                              \
        return vn_usat_u_##SUF(x, sat);                                                            \
    }                                                                                              \
    VNOP(sqxtun, SUF, UVW)                                                                         \
    {                                                                                              \
        return vn_usat_s_##SUF((SVW)x, sat);                                                       \
    }                                                                                              \
    VNOP(shrn, SUF, UVW)                                                                           \
    {                                                                                              \
        return x >> s;                                                                             \
    }                                                                                              \
    VNOP(rshrn, SUF, UVW)                                                                          \
    {                                                                                              \
        return vn_urnd_##SUF(x, s);                                                                \
    }                                                                                              \
    VNOP(sqshrn, SUF, UVW)                                                                         \
    {                                                                                              \
        return vn_ssat_##SUF((SVW)x >> s, sat);                                                    \
    }                                                                                              \
    VNOP(sqrshrn, SUF, UVW)                                                                        \
    {                                                                                              \
        return vn_ssat_##SUF(vn_srnd_##SUF(x, s), sat);                                            \
    }                                                                                              \
    VNOP(uqshrn, SUF, UVW)                                                                         \
    {                                                                                              \
        return vn_usat_u_##SUF(x >> s, sat);                                                       \
    }                                                                                              \
    VNOP(uqrshrn, SUF, UVW)                                                                        \
    {                                                                                              \
        return vn_usat_u_##SUF(vn_urnd_##SUF(x, s), sat);                                          \
    }                                                                                              \
    VNOP(sqshrun, SUF, UVW)                                                                        \
    {                                                                                              \
        return vn_usat_s_##SUF((SVW)x >> s, sat);                                                  \
    }                                                                                              \
    VNOP(sqrshrun, SUF, UVW)                                                                       \
    {                                                                                              \
        return vn_usat_s_##SUF(vn_srnd_##SUF(x, s), sat);                                          \
    }

VDEF_NARROW(0, uint16_t, vu16, vs16, 8)
VDEF_NARROW(1, uint32_t, vu32, vs32, 16)
VDEF_NARROW(2, uint64_t, vu64, vs64, 32)

/* ---- lengthening and long multiplies: x, y (the indexed element) and d in
 * wide lanes, x and y already sign- or zero-extended by the body ---- */

#define VLOP(OP, SUF, UVW)                                                                         \
    VAI UVW vl_##OP##_##SUF(VUNUSED UVW x, VUNUSED UVW y, VUNUSED UVW d, VUNUSED unsigned s,       \
                            VUNUSED UVW *sat)

#define VDEF_LONG(SUF, TW, UVW, SVW, BITS)                                                         \
    VLOP(sshll, SUF, UVW)                                                                          \
    {                                                                                              \
        return x << s;                                                                             \
    }                                                                                              \
    VLOP(ushll, SUF, UVW)                                                                          \
    {                                                                                              \
        return x << s;                                                                             \
    }                                                                                              \
    VLOP(shll, SUF, UVW)                                                                           \
    {                                                                                              \
        return x << BITS;                                                                          \
    }                                                                                              \
    VLOP(smull, SUF, UVW)                                                                          \
    {                                                                                              \
        return x * y;                                                                              \
    }                                                                                              \
    VLOP(umull, SUF, UVW)                                                                          \
    {                                                                                              \
        return x * y;                                                                              \
    }                                                                                              \
    VLOP(smlal, SUF, UVW)                                                                          \
    {                                                                                              \
        return d + x * y;                                                                          \
    }                                                                                              \
    VLOP(umlal, SUF, UVW)                                                                          \
    {                                                                                              \
        return d + x * y;                                                                          \
    }                                                                                              \
    VLOP(smlsl, SUF, UVW)                                                                          \
    {                                                                                              \
        return d - x * y;                                                                          \
    }                                                                                              \
    VLOP(umlsl, SUF, UVW)                                                                          \
    {                                                                                              \
        return d - x * y;                                                                          \
    }                                                                                              \
    /* SignedSatQ(2 * x * y): only the narrow minimum squared saturates */                         \
    VAI UVW vl_dmull_##SUF(UVW x, UVW y, UVW *sat)                                                 \
    {                                                                                              \
        UVW min = (UVW){0} - ((TW)1 << (BITS - 1)), max = (UVW){0} + (~(TW)0 >> 1);                \
        UVW s_ = (UVW)(x == min) & (UVW)(y == min);                                                \
        *sat |= s_;                                                                                \
        return ((x * y << 1) & ~s_) | (max & s_);                                                  \
    }                                                                                              \
    /* SignedSatQ(d + p) and SignedSatQ(d - p) in the wide lanes */                                \
    VAI UVW vl_sadd_##SUF(UVW d, UVW p, bool sub, UVW *sat)                                        \
    {                                                                                              \
        UVW r = sub ? d - p : d + p;                                                               \
        UVW ovf = (UVW)((SVW)((sub ? d ^ p : ~(d ^ p)) & (d ^ r)) >> (2 * BITS - 1));              \
        UVW limit = ((UVW){0} + (~(TW)0 >> 1)) ^ (UVW)((SVW)d >> (2 * BITS - 1));                  \
        *sat |= ovf;                                                                               \
        return (r & ~ovf) | (limit & ovf);                                                         \
    }                                                                                              \
    VLOP(sqdmull, SUF, UVW)                                                                        \
    {                                                                                              \
        return vl_dmull_##SUF(x, y, sat);                                                          \
    }                                                                                              \
    VLOP(sqdmlal, SUF, UVW)                                                                        \
    {                                                                                              \
        return vl_sadd_##SUF(d, vl_dmull_##SUF(x, y, sat), false, sat);                            \
    }                                                                                              \
    VLOP(sqdmlsl, SUF, UVW)                                                                        \
    {                                                                                              \
        return vl_sadd_##SUF(d, vl_dmull_##SUF(x, y, sat), true, sat);                             \
    }

VDEF_LONG(0, uint16_t, vu16, vs16, 8)
VDEF_LONG(1, uint32_t, vu32, vs32, 16)
VDEF_LONG(2, uint64_t, vu64, vs64, 32)

/* ---- pairwise long: the pairs of narrow lanes read as wide lanes ---- */

#define VDEF_PAIRL(SUF, UVW, SVW, BITS)                                                            \
    VAI UVW vp_sum_##SUF(UVW x, bool is_signed)                                                    \
    {                                                                                              \
        if (is_signed)                                                                             \
            return (UVW)(((SVW)(x << BITS) >> BITS) + ((SVW)x >> BITS));                           \
        return (x & (~(UVW){0} >> BITS)) + (x >> BITS);                                            \
    }

VDEF_PAIRL(0, vu16, vs16, 8)
VDEF_PAIRL(1, vu32, vs32, 16)
VDEF_PAIRL(2, vu64, vs64, 32)

#endif
