/* Inline fast paths of cpu/softfloat.h. Include cpu/softfloat.h, not this.
 *
 * The model: each public function that has a fast path is a static inline
 * wrapper here: for fsize 32 and 64 (and half for conversions) it tries the
 * fast path, which handles the common case, and otherwise calls the general
 * path, fp_NAME_general in softfloat.c, which follows the pseudocode for
 * every input. The two give the same bits and the same FPSR flags whenever
 * the fast path accepts (tests/unit/test_softfloat.c compares them on
 * millions of operands); a fast path that declines has written nothing.
 * With a constant fsize, as in the SIMD element loops, the dispatch folds
 * away.
 *
 * What the fast paths accept. Arithmetic, FPRoundInt, FPToFixed and
 * FPConvert: operands that are normal or zero (never a denormal, so
 * FPCR.FZ has nothing to flush on input; never infinite or NaN, so FPCR.DN
 * and the NaN rules do not apply), and results whose biased exponent
 * before rounding lies in 1..emax-2: the value is not tiny (FPRoundBase
 * detects tininess before rounding, so FZ has nothing to flush on output
 * and there is no Underflow) and cannot round up to infinity (no
 * Overflow). Inside those bounds FPRoundBase is IEEE rounding of a normal
 * number, and the only flag is Inexact. FPToFixed also declines what
 * would saturate; FixedToFP to single or double always succeeds. Compares,
 * max and min take anything but a NaN, and but a denormal when FZ is set.
 * FPSqrt's fast path is in softfloat.c, next to its table.
 *
 * How the exact result is kept: a finite value is (-1)^sign * m * 2^(E -
 * bias - 62) with m normalised to bit 62, E the biased exponent it would
 * have. Bits shifted out below are ORed into bit 0 ("jamming"); every
 * fast path keeps at least 10 bits below the last mantissa bit (the fewest
 * is double: 62 - 52), and the jammed bit ends at bit 1 at most, so the
 * rounding sees the value the infinitely precise result would give. */
#ifndef CPU_SOFTFLOAT_FAST_H
#define CPU_SOFTFLOAT_FAST_H

#ifndef CPU_SOFTFLOAT_H
#error "include cpu/softfloat.h"
#endif

/* ---- The general paths (softfloat.c): every input, as the pseudocode. -- */

uint64_t fp_add_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
uint64_t fp_sub_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
uint64_t fp_mul_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
uint64_t fp_mulx_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
uint64_t fp_div_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
uint64_t fp_sqrt_general(struct fp_env *e, unsigned fsize, uint64_t a);
uint64_t fp_muladd_general(struct fp_env *e, unsigned fsize, uint64_t addend, uint64_t op1,
                           uint64_t op2);
uint64_t fp_recps_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
uint64_t fp_rsqrts_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
uint64_t fp_max_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
uint64_t fp_min_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
uint64_t fp_maxnm_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
uint64_t fp_minnm_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
unsigned fp_compare_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b,
                            bool signal_nans);
bool fp_compare_eq_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
bool fp_compare_ge_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
bool fp_compare_gt_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b);
uint64_t fp_round_int_general(struct fp_env *e, unsigned fsize, uint64_t a, enum fp_rounding r,
                              bool exact);
uint64_t fp_to_fixed_general(struct fp_env *e, unsigned fsize, uint64_t a, unsigned fbits,
                             bool is_unsigned, enum fp_rounding r, unsigned isize);
uint64_t fp_from_fixed_general(struct fp_env *e, unsigned fsize, uint64_t v, unsigned fbits,
                               bool is_unsigned, unsigned isize, enum fp_rounding r);
uint64_t fp_convert_general(struct fp_env *e, unsigned from_fsize, unsigned to_fsize, uint64_t a,
                            enum fp_rounding r);

/* ---- Format parameters and helpers -------------------------------------- */

/* The helpers take the format size n (16, 32, 64) as a parameter and are
 * always inlined, so that a constant n folds every format parameter. */
#define SF_INLINE static inline __attribute__((always_inline))
/* The public functions are always inlined too: GCC would otherwise keep
 * fp_convert, say, out of line with its format arguments unfolded. */
#define SF_API static inline __attribute__((always_inline))
/* Rare cases of a fast path: one copy per translation unit. */
#define SF_COLD        static __attribute__((noinline, cold, unused))
#define SF_LIKELY(x)   __builtin_expect(!!(x), 1)
#define SF_UNLIKELY(x) __builtin_expect(!!(x), 0)

__extension__ typedef unsigned __int128 sf_u128;

#define SF_FB(n)   ((n) == 16 ? 10u : (n) == 32 ? 23u : 52u)    /* fraction bits */
#define SF_BIAS(n) ((n) == 16 ? 15 : (n) == 32 ? 127 : 1023)    /* exponent bias */
#define SF_EMAX(n) ((n) == 16 ? 31u : (n) == 32 ? 255u : 2047u) /* all-ones exponent */
#define SF_SIGN(n) ((uint64_t)1 << ((n)-1))                     /* the sign bit */
#define SF_MAG(n)  (SF_SIGN(n) - 1)                             /* all but the sign */
#define SF_INF(n)  ((uint64_t)SF_EMAX(n) << SF_FB(n))           /* +infinity */
#define SF_MINN(n) ((uint64_t)1 << SF_FB(n))                    /* smallest normal */

/* The low `bits` bits set, 0 <= bits < 64. */
SF_INLINE uint64_t sf_mask(unsigned bits)
{
    return ((uint64_t)1 << bits) - 1;
}

/* The low `bits` bits set, 1 <= bits <= 64 (integer and format sizes). */
SF_INLINE uint64_t sf_ones(unsigned bits)
{
    return ~(uint64_t)0 >> (64 - bits);
}

/* The biased exponent field. */
SF_INLINE unsigned sf_exp(unsigned n, uint64_t a)
{
    return (unsigned)(a >> SF_FB(n)) & SF_EMAX(n);
}

SF_INLINE bool sf_sign(unsigned n, uint64_t a)
{
    return (a >> (n - 1)) & 1;
}

/* True for a biased exponent of a normal number (not zero/denormal, not inf/NaN). */
SF_INLINE bool sf_normal_exp(unsigned n, unsigned exp)
{
    return exp - 1 < SF_EMAX(n) - 1;
}

/* True if mag (a value without its sign) is a normal number. */
SF_INLINE bool sf_normal_mag(unsigned n, uint64_t mag)
{
    return mag - SF_MINN(n) < SF_INF(n) - SF_MINN(n);
}

/* True if a is a normal number or a zero of either sign. */
SF_INLINE bool sf_normal_or_zero(unsigned n, uint64_t a)
{
    return (a & SF_MAG(n)) == 0 || sf_normal_exp(n, sf_exp(n, a));
}

/* The significand of a normal number, implicit bit included, at bit 62:
 * the fraction shifted to the top (the exponent falls off but for its
 * lowest bit, which the implicit bit overwrites), then down by one. */
SF_INLINE uint64_t sf_sig62(unsigned n, uint64_t a)
{
    return ((a << (63 - SF_FB(n))) | ((uint64_t)1 << 63)) >> 1;
}

SF_INLINE int sf_clz64(uint64_t x)
{
    return __builtin_clzll(x);
}

/* Shift right by d < 64, jamming the bits shifted out into bit 0. */
SF_INLINE uint64_t sf_shr_jam64(uint64_t x, unsigned d)
{
    return (x >> d) | ((x & sf_mask(d)) != 0);
}

/* The same for 128 bits, d < 128, on the two halves. */
SF_INLINE sf_u128 sf_shr_jam128(sf_u128 x, unsigned d)
{
    uint64_t hi = (uint64_t)(x >> 64), lo = (uint64_t)x;
    if (d == 0)
        return x;
    if (d < 64) {
        lo = (lo >> d) | (hi << (64 - d)) | ((lo << (64 - d)) != 0);
        hi >>= d;
    } else {
        lo = (hi >> (d - 64)) | ((lo | (hi << (127 - d) << 1)) != 0);
        hi = 0;
    }
    return (sf_u128)hi << 64 | lo;
}

/* FPRoundBase of (-1)^sign * m * 2^(exp - bias - 62), m normalised to bit
 * 62 (bit 0 possibly jammed), to format n, for exp in 1..emax-2: the
 * result is then normal, only Inexact can be raised, and a carry out of the
 * mantissa steps into the exponent field. sf_round_pack checks the range
 * (false outside it), sf_round_normal is for callers that know it. */
SF_INLINE uint64_t sf_round_normal(struct fp_env *e, unsigned n, bool sign, int exp, uint64_t m,
                                   enum fp_rounding r)
{
    const unsigned g = 62 - SF_FB(n); /* bits below the last mantissa bit */
    const uint64_t below = sf_mask(g), half = (uint64_t)1 << (g - 1);
    uint64_t rem = m & below, inc;
    if (SF_LIKELY(r == FPROUND_TIEEVEN))
        inc = half - 1 + ((m >> g) & 1); /* a tie rounds up only from an odd mantissa */
    else if (r == FPROUND_TIEAWAY)
        inc = half;
    else if (r == FPROUND_POSINF)
        inc = sign ? 0 : below;
    else if (r == FPROUND_NEGINF)
        inc = sign ? below : 0;
    else /* FPROUND_ZERO, FPROUND_ODD */
        inc = 0;
    uint64_t q = (m + inc) >> g; /* 2^F .. 2^(F+1) */
    if (r == FPROUND_ODD)
        q |= rem != 0;
    if (rem != 0)
        e->fpsr |= FPSR_IXC;
    return ((uint64_t)sign << (n - 1)) + ((uint64_t)(exp - 1) << SF_FB(n)) + q;
}

SF_INLINE bool sf_round_pack(struct fp_env *e, unsigned n, bool sign, int exp, uint64_t m,
                             enum fp_rounding r, uint64_t *res)
{
    if ((unsigned)(exp - 1) >= SF_EMAX(n) - 2)
        return false;
    *res = sf_round_normal(e, n, sign, exp, m, r);
    return true;
}

/* The sum (sub false) or difference (sub true) of two nonzero values
 * rounded, the "Otherwise" arm of FPAdd and FPMulAdd: x is the larger in
 * magnitude, (-1)^sign * xm * 2^(exp - bias - 62) with xm at bit 62, and
 * ym the other's significand already shifted to x's exponent. When ym was
 * shifted right by 2 or more, at most one bit cancels; when by 0 or 1, the
 * shift was exact (no significand here has bit 0 set) and so is the
 * difference, however many bits cancel. An exact zero is +0, or -0 when
 * rounding to -inf. */
SF_INLINE bool sf_add_aligned(struct fp_env *e, unsigned n, bool sign, int exp, uint64_t xm,
                              uint64_t ym, bool sub, enum fp_rounding r, uint64_t *res)
{
    uint64_t m;
    if (!sub) {
        m = xm + ym;
        if (m >> 63) { /* carried: keep bit 62 the leading bit */
            m = (m >> 1) | (m & 1);
            exp++;
        }
    } else {
        m = xm - ym;
        if (SF_UNLIKELY(m == 0)) {
            *res = r == FPROUND_NEGINF ? SF_SIGN(n) : 0;
            return true;
        }
        int lz = sf_clz64(m) - 1;
        m <<= lz;
        exp -= lz;
    }
    return sf_round_pack(e, n, sign, exp, m, r, res);
}

/* ym (at bit 62, bit 0 clear) shifted right by d, the bits shifted out
 * jammed into bit 0. */
SF_INLINE uint64_t sf_align(uint64_t ym, unsigned d)
{
    return sf_shr_jam64(ym, d > 63 ? 63 : d);
}

/* ---- FPAdd, FPSub ---------------------------------------------------------- */

/* Zero operands of FPAdd: zero + normal is the normal operand, exactly; two
 * zeros of one sign keep it, of opposite signs give +0 (-0 rounding to -inf). */
SF_INLINE bool sf_add_zero(unsigned n, uint64_t a, uint64_t b, enum fp_rounding r, uint64_t *res)
{
    if (!sf_normal_or_zero(n, a) || !sf_normal_or_zero(n, b))
        return false;
    if ((a & SF_MAG(n)) == 0 && (b & SF_MAG(n)) == 0)
        *res = a == b ? a : r == FPROUND_NEGINF ? SF_SIGN(n) : 0;
    else
        *res = (a & SF_MAG(n)) == 0 ? b : a;
    return true;
}

/* FPAdd of operands of format n (bits above n clear). The operand of
 * larger magnitude, x, is chosen first; both are normal when the smaller
 * has a nonzero exponent and the larger not the all-ones one. */
SF_INLINE bool sf_add(struct fp_env *e, unsigned n, uint64_t a, uint64_t b, uint64_t *res)
{
    enum fp_rounding r = fp_fpcr_rounding(e->fpcr);
    uint64_t am = a & SF_MAG(n), bm = b & SF_MAG(n);
    bool a_larger = am >= bm;
    uint64_t x = a_larger ? a : b, xm = a_larger ? am : bm, ym = a_larger ? bm : am;

    unsigned ex = (unsigned)(xm >> SF_FB(n)), ey = (unsigned)(ym >> SF_FB(n)), d = ex - ey;
    if (SF_UNLIKELY(ey == 0 || ex == SF_EMAX(n)))
        return sf_add_zero(n, a, b, r, res);
    uint64_t ys = sf_sig62(n, ym);
    if (n == 32)
        /* Single has 39 bits below the mantissa at bit 62, clear in both
         * significands: shifts up to 39 are exact, and beyond that the
         * sum's low bits are y alone (or 2^39 - y), so y only needs to be
         * some nonzero value under 2^37 (a quarter of the lowest mantissa
         * bit) for the rounding to come out as for the exact y; ys >> 39
         * is one. No jamming needed. */
        ys >>= d > 39 ? 39 : d;
    else
        ys = sf_align(ys, d);
    return sf_add_aligned(e, n, sf_sign(n, x), (int)ex, sf_sig62(n, xm), ys, sf_sign(n, a ^ b), r,
                          res);
}

SF_API uint64_t fp_add(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    uint64_t r;
    if (fsize == 32 && sf_add(e, 32, a & 0xffffffffu, b & 0xffffffffu, &r))
        return r;
    if (fsize == 64 && sf_add(e, 64, a, b, &r))
        return r;
    return fp_add_general(e, fsize, a, b);
}

SF_API uint64_t fp_sub(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    uint64_t r;
    if (fsize == 32 && sf_add(e, 32, a & 0xffffffffu, (b ^ SF_SIGN(32)) & 0xffffffffu, &r))
        return r;
    if (fsize == 64 && sf_add(e, 64, a, b ^ SF_SIGN(64), &r))
        return r;
    return fp_sub_general(e, fsize, a, b);
}

SF_API uint64_t fp_abd(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    return fp_sub(e, fsize, a, b) & sf_ones(fsize - 1);
}

/* ---- FPMul, FPMulX ---------------------------------------------------------- */

/* The exact product of two normal magnitudes: m at bit 62 (or 61), *exp
 * the biased exponent for m at bit 62. Single: 24 x 24 bits, exact in 64.
 * Double: the top half of 53 x 53 bits placed at bits 125/126, the low
 * half jammed. */
SF_INLINE uint64_t sf_mul_sig(unsigned n, uint64_t am, uint64_t bm, int *exp)
{
    *exp = (int)(am >> SF_FB(n)) + (int)(bm >> SF_FB(n)) - SF_BIAS(n) + 1;
    if (n == 32)
        return (sf_sig62(32, am) >> 32) * (sf_sig62(32, bm) >> 31); /* sig<<7 * sig<<8 */
    sf_u128 p = (sf_u128)sf_sig62(n, am) * (sf_sig62(n, bm) << 1);
    return (uint64_t)(p >> 64) | ((uint64_t)p != 0);
}

SF_INLINE bool sf_mul(struct fp_env *e, unsigned n, uint64_t a, uint64_t b, uint64_t *res)
{
    uint64_t am = a & SF_MAG(n), bm = b & SF_MAG(n);
    bool sign = sf_sign(n, a ^ b);

    if (SF_UNLIKELY(!sf_normal_mag(n, am) || !sf_normal_mag(n, bm))) {
        /* zero * (normal or zero): the zero with the product's sign */
        if (!sf_normal_or_zero(n, a) || !sf_normal_or_zero(n, b))
            return false;
        *res = (uint64_t)sign << (n - 1);
        return true;
    }
    int exp;
    uint64_t m = sf_mul_sig(n, am, bm, &exp);
    if (!(m >> 62)) { /* product below 2: normalise */
        m <<= 1;
        exp--;
    }
    return sf_round_pack(e, n, sign, exp, m, fp_fpcr_rounding(e->fpcr), res);
}

SF_API uint64_t fp_mul(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    uint64_t r;
    if (fsize == 32 && sf_mul(e, 32, a & 0xffffffffu, b & 0xffffffffu, &r))
        return r;
    if (fsize == 64 && sf_mul(e, 64, a, b, &r))
        return r;
    return fp_mul_general(e, fsize, a, b);
}

/* FMULX differs from FMUL only for 0 * inf, which the fast path declines. */
SF_API uint64_t fp_mulx(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    uint64_t r;
    if (fsize == 32 && sf_mul(e, 32, a & 0xffffffffu, b & 0xffffffffu, &r))
        return r;
    if (fsize == 64 && sf_mul(e, 64, a, b, &r))
        return r;
    return fp_mulx_general(e, fsize, a, b);
}

/* ---- FPDiv ------------------------------------------------------------------- */

/* The quotient of the significands, truncated, with the remainder jammed:
 * single (sig << 39) / sig, double (sig << 62) / sig; both quotients lie
 * in (2^61, 2^63) once moved to the same scale. */
SF_INLINE bool sf_div(struct fp_env *e, unsigned n, uint64_t a, uint64_t b, uint64_t *res)
{
    uint64_t am = a & SF_MAG(n), bm = b & SF_MAG(n);
    bool sign = sf_sign(n, a ^ b);

    if (SF_UNLIKELY(!sf_normal_mag(n, am) || !sf_normal_mag(n, bm))) {
        /* zero / normal: the zero with the quotient's sign */
        if (am != 0 || !sf_normal_mag(n, bm))
            return false;
        *res = (uint64_t)sign << (n - 1);
        return true;
    }
    uint64_t sa = (am & sf_mask(SF_FB(n))) | SF_MINN(n), sb = (bm & sf_mask(SF_FB(n))) | SF_MINN(n);
    uint64_t m;
    if (n == 32) {
        uint64_t num = sa << 39, q = num / sb;
        m = (q | (num - q * sb != 0)) << 23;
    } else {
        sf_u128 num = (sf_u128)sa << 62;
        uint64_t q = (uint64_t)(num / sb);
        m = q | ((uint64_t)num - q * sb != 0);
    }
    int exp = (int)(am >> SF_FB(n)) - (int)(bm >> SF_FB(n)) + SF_BIAS(n);
    if (!(m >> 62)) { /* quotient below 1: normalise */
        m <<= 1;
        exp--;
    }
    return sf_round_pack(e, n, sign, exp, m, fp_fpcr_rounding(e->fpcr), res);
}

SF_API uint64_t fp_div(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    uint64_t r;
    if (fsize == 32 && sf_div(e, 32, a & 0xffffffffu, b & 0xffffffffu, &r))
        return r;
    if (fsize == 64 && sf_div(e, 64, a, b, &r))
        return r;
    return fp_div_general(e, fsize, a, b);
}

/* ---- FPMulAdd ---------------------------------------------------------------- */

/* Zero operands of FPMulAdd (all normal or zero): a zero product leaves the
 * addend, or gives the FPAdd zero rule; a zero addend leaves the product,
 * rounded once: FPMul's result. */
SF_COLD bool sf_muladd_zero(struct fp_env *e, unsigned n, uint64_t c, uint64_t a, uint64_t b,
                            enum fp_rounding r, uint64_t *res)
{
    if (!sf_normal_or_zero(n, a) || !sf_normal_or_zero(n, b) || !sf_normal_or_zero(n, c))
        return false;
    bool zero_p = (a & SF_MAG(n)) == 0 || (b & SF_MAG(n)) == 0, zero_c = (c & SF_MAG(n)) == 0;
    uint64_t p_sign = (a ^ b) & SF_SIGN(n);
    if (zero_p && zero_c)
        *res = p_sign == (c & SF_SIGN(n)) ? c : r == FPROUND_NEGINF ? SF_SIGN(n) : 0;
    else if (zero_p)
        *res = c;
    else
        return sf_mul(e, n, a, b, res);
    return true;
}

SF_INLINE bool sf_muladd(struct fp_env *e, unsigned n, uint64_t c, uint64_t a, uint64_t b,
                         uint64_t *res)
{
    enum fp_rounding r = fp_fpcr_rounding(e->fpcr);
    uint64_t am = a & SF_MAG(n), bm = b & SF_MAG(n), cm = c & SF_MAG(n);

    if (SF_UNLIKELY(!sf_normal_mag(n, am) || !sf_normal_mag(n, bm) || !sf_normal_mag(n, cm)))
        return sf_muladd_zero(e, n, c, a, b, r, res);
    bool ps = sf_sign(n, a ^ b), cs = sf_sign(n, c), sub = ps != cs;
    int pe, ce = (int)(cm >> SF_FB(n));
    uint64_t pm = sf_mul_sig(n, am, bm, &pe);
    if (n == 32) {
        /* The product is exact in 64 bits (bits 15 and up). */
        uint64_t cs62 = sf_sig62(n, cm);
        if (!(pm >> 62)) {
            pm <<= 1;
            pe--;
        }
        if (pe > ce || (pe == ce && pm >= cs62))
            return sf_add_aligned(e, n, ps, pe, pm, sf_align(cs62, (unsigned)(pe - ce)), sub, r,
                                  res);
        return sf_add_aligned(e, n, cs, ce, cs62, sf_align(pm, (unsigned)(ce - pe)), sub, r, res);
    }
    /* Double: the exact 106-bit product p and the addend at bit 126 of 128.
     * When p is the larger, the addend moves right by d: exactly while
     * d < 64 (its low half is clear), jammed beyond. */
    uint64_t c62 = sf_sig62(n, cm);
    sf_u128 p = (sf_u128)sf_sig62(n, am) * (sf_sig62(n, bm) << 1), m;
    if (!(uint64_t)(p >> 126)) {
        p <<= 1;
        pe--;
    }
    bool xs;
    int xe;
    if (pe > ce || (pe == ce && (uint64_t)(p >> 64) >= c62)) {
        unsigned d = (unsigned)(pe - ce);
        sf_u128 y = d < 64 ? (sf_u128)c62 << (64 - d) : d < 128 ? sf_shr_jam64(c62, d - 64) : 1;
        m = sub ? p - y : p + y;
        xs = ps, xe = pe;
    } else {
        unsigned k = (unsigned)(ce - pe);
        sf_u128 x = (sf_u128)c62 << 64, y = sf_shr_jam128(p, k > 127 ? 127 : k);
        m = sub ? x - y : x + y;
        xs = cs, xe = ce;
    }
    if (!sub) {
        if ((uint64_t)(m >> 127)) {
            m = (m >> 1) | (m & 1);
            xe++;
        }
    } else {
        uint64_t hi = (uint64_t)(m >> 64), lo = (uint64_t)m;
        if (SF_UNLIKELY(hi == 0 && lo == 0)) {
            *res = r == FPROUND_NEGINF ? SF_SIGN(n) : 0;
            return true;
        }
        int lz = (hi ? sf_clz64(hi) : 64 + sf_clz64(lo)) - 1;
        m <<= lz;
        xe -= lz;
    }
    uint64_t m64 = (uint64_t)(m >> 64) | ((uint64_t)m != 0);
    return sf_round_pack(e, n, xs, xe, m64, r, res);
}

SF_API uint64_t fp_muladd(struct fp_env *e, unsigned fsize, uint64_t addend, uint64_t op1,
                          uint64_t op2)
{
    uint64_t r;
    if (fsize == 32 &&
        sf_muladd(e, 32, addend & 0xffffffffu, op1 & 0xffffffffu, op2 & 0xffffffffu, &r))
        return r;
    if (fsize == 64 && sf_muladd(e, 64, addend, op1, op2, &r))
        return r;
    return fp_muladd_general(e, fsize, addend, op1, op2);
}

/* ---- FPRecipStepFused, FPRSqrtStepFused ------------------------------------ */

/* 2 - a*b is FPMulAdd(2, -a, b), and (3 - a*b) / 2 is FPMulAdd(1.5, -a/2,
 * b): halving a (exponent minus one) is exact for a normal a above the
 * smallest normal binade; anything else but a zero goes to the general
 * path, infinities and NaNs included (halving would make them finite). */
SF_INLINE bool sf_step_fused(struct fp_env *e, unsigned n, uint64_t a, uint64_t b, bool rsqrt,
                             uint64_t *res)
{
    uint64_t am = a & SF_MAG(n), c;
    if (!rsqrt) {
        c = (uint64_t)(SF_BIAS(n) + 1) << SF_FB(n);
    } else {
        c = ((uint64_t)SF_BIAS(n) << SF_FB(n)) | (SF_MINN(n) >> 1);
        if (am - 2 * SF_MINN(n) < SF_INF(n) - 2 * SF_MINN(n))
            a -= SF_MINN(n); /* a normal number with exponent 2 or more: halved */
        else if (am != 0)
            return false;
    }
    return sf_muladd(e, n, c, a ^ SF_SIGN(n), b, res);
}

SF_API uint64_t fp_recps(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    uint64_t r;
    if (fsize == 32 && sf_step_fused(e, 32, a & 0xffffffffu, b & 0xffffffffu, false, &r))
        return r;
    if (fsize == 64 && sf_step_fused(e, 64, a, b, false, &r))
        return r;
    return fp_recps_general(e, fsize, a, b);
}

SF_API uint64_t fp_rsqrts(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    uint64_t r;
    if (fsize == 32 && sf_step_fused(e, 32, a & 0xffffffffu, b & 0xffffffffu, true, &r))
        return r;
    if (fsize == 64 && sf_step_fused(e, 64, a, b, true, &r))
        return r;
    return fp_rsqrts_general(e, fsize, a, b);
}

/* ---- Compare, max, min ----------------------------------------------------- */

/* Operands the fast compares take: no NaN, and no denormal when FPCR.FZ
 * would flush it (raising Input Denormal). Infinities compare as they are. */
SF_INLINE bool sf_ordered_ok(const struct fp_env *e, unsigned n, uint64_t a, uint64_t b)
{
    uint64_t am = a & SF_MAG(n), bm = b & SF_MAG(n);
    if (am > SF_INF(n) || bm > SF_INF(n))
        return false;
    if (SF_UNLIKELY(e->fpcr & FPCR_FZ))
        return (am == 0 || am >= SF_MINN(n)) && (bm == 0 || bm >= SF_MINN(n));
    return true;
}

/* A signed integer with the order of the values; both zeros are 0. */
SF_INLINE int64_t sf_order_key(unsigned n, uint64_t a)
{
    int64_t mag = (int64_t)(a & SF_MAG(n));
    return sf_sign(n, a) ? -mag : mag;
}

/* -1, 0, 1: a < b, a == b, a > b (ordered operands). */
SF_INLINE int sf_cmp(unsigned n, uint64_t a, uint64_t b)
{
    int64_t ka = sf_order_key(n, a), kb = sf_order_key(n, b);
    return (ka > kb) - (ka < kb);
}

SF_API unsigned fp_compare(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b,
                           bool signal_nans)
{
    if ((fsize == 32 || fsize == 64) && sf_ordered_ok(e, fsize, a, b)) {
        int c = sf_cmp(fsize, a, b);
        return c == 0 ? 0x6 : c < 0 ? 0x8 : 0x2;
    }
    return fp_compare_general(e, fsize, a, b, signal_nans);
}

SF_API bool fp_compare_eq(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    if ((fsize == 32 || fsize == 64) && sf_ordered_ok(e, fsize, a, b))
        return sf_cmp(fsize, a, b) == 0;
    return fp_compare_eq_general(e, fsize, a, b);
}

SF_API bool fp_compare_ge(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    if ((fsize == 32 || fsize == 64) && sf_ordered_ok(e, fsize, a, b))
        return sf_cmp(fsize, a, b) >= 0;
    return fp_compare_ge_general(e, fsize, a, b);
}

SF_API bool fp_compare_gt(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    if ((fsize == 32 || fsize == 64) && sf_ordered_ok(e, fsize, a, b))
        return sf_cmp(fsize, a, b) > 0;
    return fp_compare_gt_general(e, fsize, a, b);
}

/* FPMax / FPMin of ordered operands: the operand itself (FPRound of a
 * representable value changes nothing once FZ has nothing to flush); of
 * two zeros, max is -0 only if both are, min is -0 if either is. */
SF_INLINE uint64_t sf_max_min(unsigned n, uint64_t a, uint64_t b, bool is_max)
{
    a &= SF_SIGN(n) | SF_MAG(n);
    b &= SF_SIGN(n) | SF_MAG(n);
    int64_t ka = sf_order_key(n, a), kb = sf_order_key(n, b);
    if (ka == kb)
        return is_max ? a & b : a | b; /* equal bits, or +0 and -0 */
    return (ka > kb) == is_max ? a : b;
}

SF_API uint64_t fp_max(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    if ((fsize == 32 || fsize == 64) && sf_ordered_ok(e, fsize, a, b))
        return sf_max_min(fsize, a, b, true);
    return fp_max_general(e, fsize, a, b);
}

SF_API uint64_t fp_min(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    if ((fsize == 32 || fsize == 64) && sf_ordered_ok(e, fsize, a, b))
        return sf_max_min(fsize, a, b, false);
    return fp_min_general(e, fsize, a, b);
}

/* Without a NaN operand FPMaxNum and FPMinNum are FPMax and FPMin. */
SF_API uint64_t fp_maxnm(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    if ((fsize == 32 || fsize == 64) && sf_ordered_ok(e, fsize, a, b))
        return sf_max_min(fsize, a, b, true);
    return fp_maxnm_general(e, fsize, a, b);
}

SF_API uint64_t fp_minnm(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    if ((fsize == 32 || fsize == 64) && sf_ordered_ok(e, fsize, a, b))
        return sf_max_min(fsize, a, b, false);
    return fp_minnm_general(e, fsize, a, b);
}

/* ---- FPRoundInt ---------------------------------------------------------- */

/* Rounds in place: below 1 the result is +-0 or +-1; from 1 to 2^F the
 * fraction bits under the units bit are rounded off (a carry steps into
 * the exponent); from 2^F on the value is integral already. */
SF_INLINE bool sf_round_int(struct fp_env *e, unsigned n, uint64_t a, enum fp_rounding r,
                            bool exact, uint64_t *res)
{
    unsigned ea = sf_exp(n, a);
    bool sign = sf_sign(n, a);

    if (SF_UNLIKELY(!sf_normal_exp(n, ea))) {
        if ((a & SF_MAG(n)) != 0)
            return false;
        *res = a; /* a zero */
        return true;
    }
    if (ea >= (unsigned)SF_BIAS(n) + SF_FB(n)) {
        *res = a;
        return true;
    }
    bool one;
    if (ea < (unsigned)SF_BIAS(n)) { /* 0 < |a| < 1 */
        switch (r) {
        case FPROUND_TIEEVEN:
            one = ea == (unsigned)SF_BIAS(n) - 1 && (a & sf_mask(SF_FB(n)));
            break;
        case FPROUND_TIEAWAY: one = ea == (unsigned)SF_BIAS(n) - 1; break;
        case FPROUND_POSINF: one = !sign; break;
        case FPROUND_NEGINF: one = sign; break;
        default: one = false; break;
        }
        *res = (a & SF_SIGN(n)) | (one ? (uint64_t)SF_BIAS(n) << SF_FB(n) : 0);
        if (exact)
            e->fpsr |= FPSR_IXC;
        return true;
    }
    unsigned sh = (unsigned)SF_BIAS(n) + SF_FB(n) - ea; /* fraction bits: 1..F */
    uint64_t below = sf_mask(sh), half = (uint64_t)1 << (sh - 1), inc;
    switch (r) {
    case FPROUND_TIEEVEN: inc = half - 1 + ((a >> sh) & 1); break;
    case FPROUND_TIEAWAY: inc = half; break;
    case FPROUND_POSINF: inc = sign ? 0 : below; break;
    case FPROUND_NEGINF: inc = sign ? below : 0; break;
    default: inc = 0; break;
    }
    *res = (a + inc) & ~below;
    if (exact && (a & below) != 0)
        e->fpsr |= FPSR_IXC;
    return true;
}

SF_API uint64_t fp_round_int(struct fp_env *e, unsigned fsize, uint64_t a, enum fp_rounding r,
                             bool exact)
{
    uint64_t res;
    if (fsize == 32 && sf_round_int(e, 32, a & 0xffffffffu, r, exact, &res))
        return res;
    if (fsize == 64 && sf_round_int(e, 64, a, r, exact, &res))
        return res;
    return fp_round_int_general(e, fsize, a, r, exact);
}

/* ---- FPToFixed, FixedToFP ---------------------------------------------------- */

/* FPToFixed of a normal number or zero whose rounded value fits isize bits:
 * a * 2^fbits is sig * 2^sh, rounded to an integer by r. */
SF_INLINE bool sf_to_fixed(struct fp_env *e, unsigned n, uint64_t a, unsigned fbits,
                           bool is_unsigned, enum fp_rounding r, unsigned isize, uint64_t *res)
{
    unsigned ea = sf_exp(n, a);
    bool sign = sf_sign(n, a);

    if (SF_UNLIKELY(!sf_normal_exp(n, ea))) {
        if ((a & SF_MAG(n)) != 0)
            return false;
        *res = 0;
        return true;
    }
    uint64_t sig = (a & sf_mask(SF_FB(n))) | SF_MINN(n), mag;
    int sh = (int)ea - SF_BIAS(n) - (int)SF_FB(n) + (int)fbits;
    bool inexact = false;
    if (sh >= 0) {
        if (sh > 62 - (int)SF_FB(n)) /* 2^63 or more: saturates, or just fits unsigned */
            return false;
        mag = sig << sh;
    } else {
        unsigned s = -sh > 63 ? 63 : (unsigned)-sh; /* sig < 2^62: 63 leaves it all below half */
        uint64_t ip = sig >> s, frac = sig & sf_mask(s), half = (uint64_t)1 << (s - 1);
        bool up = false;
        if (frac != 0 && r != FPROUND_ZERO) { /* FCVTZS/FCVTZU, the common case, first */
            switch (r) {
            case FPROUND_TIEEVEN: up = frac > half || (frac == half && (ip & 1)); break;
            case FPROUND_TIEAWAY: up = frac >= half; break;
            case FPROUND_POSINF: up = !sign; break;
            case FPROUND_NEGINF: up = sign; break;
            default: break;
            }
        }
        mag = ip + up;
        inexact = frac != 0;
    }
    if (is_unsigned ? (sign && mag != 0) || mag > sf_ones(isize)
                    : mag > (sf_ones(isize - 1) + sign))
        return false; /* saturates: the general path raises Invalid */
    *res = (sign ? (uint64_t)0 - mag : mag) & sf_ones(isize);
    if (inexact)
        e->fpsr |= FPSR_IXC;
    return true;
}

SF_API uint64_t fp_to_fixed(struct fp_env *e, unsigned fsize, uint64_t a, unsigned fbits,
                            bool is_unsigned, enum fp_rounding r, unsigned isize)
{
    uint64_t res;
    if (fsize == 32 && sf_to_fixed(e, 32, a & 0xffffffffu, fbits, is_unsigned, r, isize, &res))
        return res;
    if (fsize == 64 && sf_to_fixed(e, 64, a, fbits, is_unsigned, r, isize, &res))
        return res;
    return fp_to_fixed_general(e, fsize, a, fbits, is_unsigned, r, isize);
}

/* FixedToFP to single or double: any 64-bit integer scaled by 2^-64..2^0
 * is normal in both (biased exponent from bias - 64 to bias + 63), so this
 * always succeeds. */
SF_INLINE uint64_t sf_from_fixed(struct fp_env *e, unsigned n, uint64_t v, unsigned fbits,
                                 bool is_unsigned, unsigned isize, enum fp_rounding r)
{
    bool sign = false;

    v &= sf_ones(isize);
    if (!is_unsigned && (v >> (isize - 1))) {
        sign = true;
        v = ((uint64_t)0 - v) & sf_ones(isize);
    }
    if (v == 0)
        return 0;
    int lz = sf_clz64(v);
    uint64_t m = v << lz; /* at bit 63; one down, jamming */
    m = (m >> 1) | (m & 1);
    return sf_round_normal(e, n, sign, SF_BIAS(n) + 63 - lz - (int)fbits, m, r);
}

SF_API uint64_t fp_from_fixed(struct fp_env *e, unsigned fsize, uint64_t v, unsigned fbits,
                              bool is_unsigned, unsigned isize, enum fp_rounding r)
{
    if (fsize == 32)
        return sf_from_fixed(e, 32, v, fbits, is_unsigned, isize, r);
    if (fsize == 64)
        return sf_from_fixed(e, 64, v, fbits, is_unsigned, isize, r);
    return fp_from_fixed_general(e, fsize, v, fbits, is_unsigned, isize, r);
}

/* ---- FPConvert --------------------------------------------------------------- */

/* FPConvert of a normal number or zero. Widening is exact; narrowing
 * rounds by r. A half operand with exponent 31 (a normal number under
 * FPCR.AHP) is left to the general path; a half result stays in 1..29
 * before rounding, where IEEE and alternative half agree. */
SF_INLINE bool sf_convert(struct fp_env *e, unsigned from, unsigned to, uint64_t a,
                          enum fp_rounding r, uint64_t *res)
{
    unsigned ea = sf_exp(from, a);
    bool sign = sf_sign(from, a);

    if (SF_UNLIKELY(!sf_normal_exp(from, ea))) {
        if ((a & SF_MAG(from)) != 0)
            return false;
        *res = (uint64_t)sign << (to - 1);
        return true;
    }
    int exp = (int)ea - SF_BIAS(from) + SF_BIAS(to);
    if (to > from) {
        *res = ((uint64_t)sign << (to - 1)) | ((uint64_t)exp << SF_FB(to)) |
               ((a & sf_mask(SF_FB(from))) << (SF_FB(to) - SF_FB(from)));
        return true;
    }
    return sf_round_pack(e, to, sign, exp, sf_sig62(from, a), r, res);
}

SF_API uint64_t fp_convert(struct fp_env *e, unsigned from_fsize, unsigned to_fsize, uint64_t a,
                           enum fp_rounding r)
{
    uint64_t res;
    bool ok = false;
    if (from_fsize == 32 && to_fsize == 64)
        ok = sf_convert(e, 32, 64, a & 0xffffffffu, r, &res);
    else if (from_fsize == 64 && to_fsize == 32)
        ok = sf_convert(e, 64, 32, a, r, &res);
    else if (from_fsize == 16 && to_fsize == 32)
        ok = sf_convert(e, 16, 32, a & 0xffffu, r, &res);
    else if (from_fsize == 16 && to_fsize == 64)
        ok = sf_convert(e, 16, 64, a & 0xffffu, r, &res);
    else if (from_fsize == 32 && to_fsize == 16)
        ok = sf_convert(e, 32, 16, a & 0xffffffffu, r, &res);
    else if (from_fsize == 64 && to_fsize == 16)
        ok = sf_convert(e, 64, 16, a, r, &res);
    return ok ? res : fp_convert_general(e, from_fsize, to_fsize, a, r);
}

#endif
