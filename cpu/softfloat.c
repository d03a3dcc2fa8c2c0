/* Software floating point after the Arm ARM (DDI 0487) shared pseudocode.
 *
 * The model: FPUnpack turns an operand into a class and an exact value
 * sig * 2^exp (sig normalised to bit 62); each operation computes its exact
 * result with integer arithmetic, 128 bits wide where needed, keeping a
 * "sticky" low bit for anything shifted or divided away (the jammed bit is
 * always far below the rounding position, so the rounding decision is the
 * one the infinitely precise value would give); FPRoundBase then rounds that
 * value to the destination format, detecting tininess on the unrounded
 * exponent as the pseudocode does.
 *
 * The functions here named fp_NAME_general are the general paths behind
 * the inline fast paths of softfloat_fast.h (which this file shares for
 * FPSqrt's fast path): they take every input and stay as close to the
 * pseudocode as integer arithmetic allows, unhurried.
 *
 * FEAT_AFP (FPCR.AH, FIZ, NEP), FEAT_RPRES and trapped exceptions are not
 * modelled: FPCR.AH reads as 0 and exceptions only set the cumulative
 * FPSR bits. */
#include "cpu/softfloat.h"

#include <assert.h>

__extension__ typedef unsigned __int128 u128;

/* Format parameters (FPBits): N, E, F and the minimum normal exponent. */
struct fmt {
    unsigned n, ebits, fbits;
    int bias, emin;
};

static struct fmt fmt_of(unsigned fsize)
{
    switch (fsize) {
    case 16: return (struct fmt){16, 5, 10, 15, -14};
    case 32: return (struct fmt){32, 8, 23, 127, -126};
    default: assert(fsize == 64); return (struct fmt){64, 11, 52, 1023, -1022};
    }
}

enum fp_class { FPC_ZERO, FPC_FINITE, FPC_INF, FPC_QNAN, FPC_SNAN };

/* An unpacked operand: for FPC_FINITE the value is (-1)^sign * sig * 2^exp
 * with bit 62 of sig set (denormals are normalised). */
struct fpu {
    enum fp_class cls;
    bool sign;
    int exp;
    uint64_t sig;
};

/* An exact intermediate value (-1)^sign * sig * 2^exp; sig == 0 is zero. */
struct xval {
    bool sign;
    int exp;
    u128 sig;
};

/* ---- Bit helpers ----------------------------------------------------- */

static int clz64(uint64_t x)
{
    return __builtin_clzll(x);
}

static int clz128(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? clz64(hi) : 64 + clz64((uint64_t)x);
}

/* Shift right, ORing every bit shifted out into bit 0 ("jamming"). */
static u128 shr_jam128(u128 x, unsigned d)
{
    if (d == 0)
        return x;
    if (d >= 128)
        return x != 0;
    return (x >> d) | ((x & (((u128)1 << d) - 1)) != 0);
}

static uint64_t mask_n(unsigned n)
{
    return n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
}

/* ---- Constants (FPZero, FPInfinity, FPMaxNormal, FPDefaultNaN, FPTwo) -- */

static uint64_t sign_of(const struct fmt *f, bool sign)
{
    return (uint64_t)sign << (f->n - 1);
}

static uint64_t fp_zero(const struct fmt *f, bool sign)
{
    return sign_of(f, sign);
}

static uint64_t fp_inf(const struct fmt *f, bool sign)
{
    return sign_of(f, sign) | (mask_n(f->ebits) << f->fbits);
}

static uint64_t fp_max_normal(const struct fmt *f, bool sign)
{
    return sign_of(f, sign) | ((mask_n(f->ebits) - 1) << f->fbits) | mask_n(f->fbits);
}

static uint64_t quiet_bit(const struct fmt *f)
{
    return (uint64_t)1 << (f->fbits - 1);
}

static uint64_t dnan(const struct fmt *f)
{
    return (mask_n(f->ebits) << f->fbits) | quiet_bit(f);
}

/* FPTwo: 2.0. */
static uint64_t fp_two(const struct fmt *f, bool sign)
{
    return sign_of(f, sign) | ((uint64_t)(f->bias + 1) << f->fbits);
}

/* FPOnePointFive: 1.5. */
static uint64_t fp_one_point_five(const struct fmt *f, bool sign)
{
    return sign_of(f, sign) | ((uint64_t)f->bias << f->fbits) | quiet_bit(f);
}

uint64_t fp_default_nan(unsigned fsize)
{
    struct fmt f = fmt_of(fsize);
    return dnan(&f);
}

bool fp_is_nan(unsigned fsize, uint64_t a)
{
    struct fmt f = fmt_of(fsize);
    uint64_t mag = a & mask_n(f.n - 1);
    return mag > fp_inf(&f, false);
}

bool fp_is_snan(unsigned fsize, uint64_t a)
{
    struct fmt f = fmt_of(fsize);
    return fp_is_nan(fsize, a) && !(a & quiet_bit(&f));
}

/* ---- FPUnpack / FPUnpackCV ------------------------------------------- */

/* FPUnpackBase. `cv` selects FPUnpackCV (conversions: FZ16 ignored, half
 * follows FPCR.AHP) over FPUnpack (arithmetic: AHP ignored). Flushing a
 * single or double denormal raises IDC; flushing a half (FZ16) does not. */
static struct fpu unpack(struct fp_env *e, const struct fmt *f, uint64_t bits, bool cv)
{
    struct fpu u;
    unsigned expf = (unsigned)(bits >> f->fbits) & (unsigned)mask_n(f->ebits);
    uint64_t frac = bits & mask_n(f->fbits);
    bool half = f->n == 16;
    bool ahp = cv && half && (e->fpcr & FPCR_AHP);

    u.sign = (bits >> (f->n - 1)) & 1;
    u.exp = 0;
    u.sig = 0;
    if (expf == 0) {
        bool fz = half ? !cv && (e->fpcr & FPCR_FZ16) : (e->fpcr & FPCR_FZ) != 0;
        if (frac == 0 || fz) {
            if (frac != 0 && !half)
                e->fpsr |= FPSR_IDC;
            u.cls = FPC_ZERO;
            return u;
        }
        int lz = clz64(frac) - 1; /* shift that brings the top set bit to bit 62 */
        u.cls = FPC_FINITE;
        u.sig = frac << lz;
        u.exp = 1 - f->bias - (int)f->fbits - lz;
        return u;
    }
    if (expf == mask_n(f->ebits) && !ahp) {
        if (frac == 0)
            u.cls = FPC_INF;
        else
            u.cls = (frac & quiet_bit(f)) ? FPC_QNAN : FPC_SNAN;
        return u;
    }
    u.cls = FPC_FINITE;
    u.sig = (frac | ((uint64_t)1 << f->fbits)) << (62 - f->fbits);
    u.exp = (int)expf - f->bias - 62;
    return u;
}

static bool is_nan_class(enum fp_class c)
{
    return c == FPC_QNAN || c == FPC_SNAN;
}

/* ---- FPProcessNaN / FPProcessNaNs / FPProcessNaNs3 ------------------- */

static uint64_t process_nan(struct fp_env *e, const struct fmt *f, enum fp_class c, uint64_t op)
{
    op &= mask_n(f->n);
    if (c == FPC_SNAN) {
        op |= quiet_bit(f);
        e->fpsr |= FPSR_IOC;
    }
    if (e->fpcr & FPCR_DN)
        op = dnan(f);
    return op;
}

/* First signalling NaN, else first quiet NaN; false if neither is a NaN. */
static bool process_nans(struct fp_env *e, const struct fmt *f, const struct fpu *x,
                         const struct fpu *y, uint64_t a, uint64_t b, uint64_t *res)
{
    if (x->cls == FPC_SNAN)
        *res = process_nan(e, f, x->cls, a);
    else if (y->cls == FPC_SNAN)
        *res = process_nan(e, f, y->cls, b);
    else if (x->cls == FPC_QNAN)
        *res = process_nan(e, f, x->cls, a);
    else if (y->cls == FPC_QNAN)
        *res = process_nan(e, f, y->cls, b);
    else
        return false;
    return true;
}

static bool process_nans3(struct fp_env *e, const struct fmt *f, const struct fpu *x,
                          const struct fpu *y, const struct fpu *z, uint64_t a, uint64_t b,
                          uint64_t c, uint64_t *res)
{
    if (x->cls == FPC_SNAN)
        *res = process_nan(e, f, x->cls, a);
    else if (y->cls == FPC_SNAN)
        *res = process_nan(e, f, y->cls, b);
    else if (z->cls == FPC_SNAN)
        *res = process_nan(e, f, z->cls, c);
    else if (x->cls == FPC_QNAN)
        *res = process_nan(e, f, x->cls, a);
    else if (y->cls == FPC_QNAN)
        *res = process_nan(e, f, y->cls, b);
    else if (z->cls == FPC_QNAN)
        *res = process_nan(e, f, z->cls, c);
    else
        return false;
    return true;
}

/* The Invalid Operation result: default NaN, IOC. */
static uint64_t invalid_op(struct fp_env *e, const struct fmt *f)
{
    e->fpsr |= FPSR_IOC;
    return dnan(f);
}

/* ---- FPRoundBase ----------------------------------------------------- */

/* FPRoundBase of the exact value (-1)^sign * sig * 2^exp, sig != 0. `cv`
 * selects FPRoundCV (conversions: FZ16 ignored, half follows FPCR.AHP)
 * over FPRound (arithmetic: AHP ignored). */
static uint64_t round_base(struct fp_env *e, const struct fmt *f, bool sign, int exp, u128 sig,
                           enum fp_rounding r, bool cv)
{
    bool half = f->n == 16;
    bool fz = half ? !cv && (e->fpcr & FPCR_FZ16) : (e->fpcr & FPCR_FZ) != 0;
    bool ahp = cv && half && (e->fpcr & FPCR_AHP);

    assert(sig != 0);
    int lz = clz128(sig);
    sig <<= lz;
    exp -= lz;
    /* m holds the top 64 bits, the rest jammed into bit 0; value ~ m * 2^(exp+64). */
    uint64_t m = (uint64_t)(sig >> 64) | ((uint64_t)sig != 0);
    int unrounded_exp = exp + 127; /* value in [2^unrounded_exp, 2^(unrounded_exp+1)) */

    /* Flush-to-zero looks at the exponent before rounding; it sets UFC, never IXC. */
    if (fz && unrounded_exp < f->emin) {
        e->fpsr |= FPSR_UFC;
        return fp_zero(f, sign);
    }
    int biased_exp = unrounded_exp - f->emin + 1;
    unsigned shift = 63 - f->fbits; /* bits of m below the last mantissa bit */
    if (biased_exp <= 0) {
        int64_t extra = 1 - (int64_t)biased_exp; /* mantissa / 2^(minimum_exp - exponent) */
        shift += extra > 64 ? 64 : (unsigned)extra;
        biased_exp = 0;
    }
    uint64_t int_mant, rem, halfway;
    if (shift >= 64) {
        if (shift > 64)
            m = 1; /* all of it below the halfway bit, and nonzero */
        int_mant = 0;
        rem = m;
        halfway = (uint64_t)1 << 63;
    } else {
        int_mant = m >> shift;
        rem = m & mask_n(shift);
        halfway = (uint64_t)1 << (shift - 1);
    }
    /* Tininess before rounding: underflow if tiny and inexact. */
    if (biased_exp == 0 && rem != 0)
        e->fpsr |= FPSR_UFC;

    bool round_up, overflow_to_inf;
    switch (r) {
    case FPROUND_TIEEVEN:
        round_up = rem > halfway || (rem == halfway && (int_mant & 1));
        overflow_to_inf = true;
        break;
    case FPROUND_TIEAWAY:
        round_up = rem >= halfway;
        overflow_to_inf = true;
        break;
    case FPROUND_POSINF:
        round_up = rem != 0 && !sign;
        overflow_to_inf = !sign;
        break;
    case FPROUND_NEGINF:
        round_up = rem != 0 && sign;
        overflow_to_inf = sign;
        break;
    default: /* FPROUND_ZERO, FPROUND_ODD */
        round_up = false;
        overflow_to_inf = false;
        break;
    }
    if (round_up) {
        int_mant++;
        if (int_mant == (uint64_t)1 << f->fbits) /* denormal rounded up to normal */
            biased_exp = 1;
        if (int_mant == (uint64_t)2 << f->fbits) { /* carried into the next exponent */
            biased_exp++;
            int_mant >>= 1;
        }
    }
    if (rem != 0 && r == FPROUND_ODD)
        int_mant |= 1;

    bool inexact = rem != 0;
    uint64_t result;
    if (!ahp) {
        if (biased_exp >= (int)mask_n(f->ebits)) {
            result = overflow_to_inf ? fp_inf(f, sign) : fp_max_normal(f, sign);
            e->fpsr |= FPSR_OFC;
            inexact = true;
        } else {
            result = sign_of(f, sign) | ((uint64_t)biased_exp << f->fbits) |
                     (int_mant & mask_n(f->fbits));
        }
    } else {
        /* Alternative half precision has no infinity: saturate, Invalid, not Inexact. */
        if (biased_exp >= (int)mask_n(f->ebits) + 1) {
            result = sign_of(f, sign) | mask_n(f->n - 1);
            e->fpsr |= FPSR_IOC;
            inexact = false;
        } else {
            result = sign_of(f, sign) | ((uint64_t)biased_exp << f->fbits) |
                     (int_mant & mask_n(f->fbits));
        }
    }
    if (inexact)
        e->fpsr |= FPSR_IXC;
    return result;
}

static uint64_t round_fpu(struct fp_env *e, const struct fmt *f, const struct fpu *u,
                          enum fp_rounding r)
{
    return round_base(e, f, u->sign, u->exp, u->sig, r, false);
}

/* The exact sum a + b (finite values), rounded once (the "Otherwise" arm of
 * FPAdd and FPMulAdd): an exact zero is +0, or -0 when rounding to -inf. */
static uint64_t add_round(struct fp_env *e, const struct fmt *f, enum fp_rounding r, struct xval a,
                          struct xval b)
{
    if (a.sig == 0 && b.sig == 0)
        return fp_zero(f, r == FPROUND_NEGINF);
    if (a.sig == 0)
        return round_base(e, f, b.sign, b.exp, b.sig, r, false);
    if (b.sig == 0)
        return round_base(e, f, a.sign, a.exp, a.sig, r, false);

    /* Normalise both to bit 125: room for a carry, and 20+ guard bits below
     * a 106-bit product, so a jammed bit never reaches the rounding point. */
    int la = clz128(a.sig), lb = clz128(b.sig);
    assert(la >= 2 && lb >= 2);
    a.sig <<= la - 2;
    a.exp -= la - 2;
    b.sig <<= lb - 2;
    b.exp -= lb - 2;
    if (a.exp < b.exp) {
        struct xval t = a;
        a = b;
        b = t;
    }
    int64_t d = (int64_t)a.exp - b.exp;
    b.sig = shr_jam128(b.sig, d > 128 ? 128 : (unsigned)d);

    u128 s;
    bool sign = a.sign;
    if (a.sign == b.sign) {
        s = a.sig + b.sig;
    } else if (a.sig >= b.sig) {
        s = a.sig - b.sig;
    } else {
        s = b.sig - a.sig;
        sign = b.sign;
    }
    if (s == 0)
        return fp_zero(f, r == FPROUND_NEGINF);
    return round_base(e, f, sign, a.exp, s, r, false);
}

static struct xval xval_of(const struct fpu *u)
{
    struct xval v = {u->sign, u->exp, 0};
    if (u->cls == FPC_FINITE)
        v.sig = u->sig;
    return v;
}

/* Exact product of two unpacked finite-or-zero values. */
static struct xval xval_product(const struct fpu *x, const struct fpu *y)
{
    struct xval v = {x->sign != y->sign, x->exp + y->exp, 0};
    if (x->cls == FPC_FINITE && y->cls == FPC_FINITE)
        v.sig = (u128)x->sig * y->sig;
    return v;
}

/* ---- Arithmetic ------------------------------------------------------ */

/* FPAdd, or FPSub when negate_b (NaN operands are processed unnegated). */
static uint64_t add_sub(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b, bool negate_b)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);
    struct fpu y = unpack(e, &f, b, false);
    uint64_t res;

    if (process_nans(e, &f, &x, &y, a, b, &res))
        return res;
    y.sign ^= negate_b;
    if (x.cls == FPC_INF && y.cls == FPC_INF && x.sign != y.sign)
        return invalid_op(e, &f);
    if ((x.cls == FPC_INF && !x.sign) || (y.cls == FPC_INF && !y.sign))
        return fp_inf(&f, false);
    if (x.cls == FPC_INF || y.cls == FPC_INF)
        return fp_inf(&f, true);
    if (x.cls == FPC_ZERO && y.cls == FPC_ZERO && x.sign == y.sign)
        return fp_zero(&f, x.sign);
    return add_round(e, &f, fp_fpcr_rounding(e->fpcr), xval_of(&x), xval_of(&y));
}

uint64_t fp_add_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    return add_sub(e, fsize, a, b, false);
}

uint64_t fp_sub_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    return add_sub(e, fsize, a, b, true);
}

/* FPMul, or FPMulX when mulx (0 * inf is 2.0). */
static uint64_t mul(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b, bool mulx)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);
    struct fpu y = unpack(e, &f, b, false);
    uint64_t res;
    bool sign = x.sign != y.sign;

    if (process_nans(e, &f, &x, &y, a, b, &res))
        return res;
    if ((x.cls == FPC_INF && y.cls == FPC_ZERO) || (x.cls == FPC_ZERO && y.cls == FPC_INF))
        return mulx ? fp_two(&f, sign) : invalid_op(e, &f);
    if (x.cls == FPC_INF || y.cls == FPC_INF)
        return fp_inf(&f, sign);
    if (x.cls == FPC_ZERO || y.cls == FPC_ZERO)
        return fp_zero(&f, sign);
    return round_base(e, &f, sign, x.exp + y.exp, (u128)x.sig * y.sig, fp_fpcr_rounding(e->fpcr),
                      false);
}

uint64_t fp_mul_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    return mul(e, fsize, a, b, false);
}

uint64_t fp_mulx_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    return mul(e, fsize, a, b, true);
}

uint64_t fp_div_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);
    struct fpu y = unpack(e, &f, b, false);
    uint64_t res;
    bool sign = x.sign != y.sign;

    if (process_nans(e, &f, &x, &y, a, b, &res))
        return res;
    if ((x.cls == FPC_INF && y.cls == FPC_INF) || (x.cls == FPC_ZERO && y.cls == FPC_ZERO))
        return invalid_op(e, &f);
    if (x.cls == FPC_INF || y.cls == FPC_ZERO) {
        if (x.cls != FPC_INF)
            e->fpsr |= FPSR_DZC;
        return fp_inf(&f, sign);
    }
    if (x.cls == FPC_ZERO || y.cls == FPC_INF)
        return fp_zero(&f, sign);
    /* Both significands lie in [2^62, 2^63): the quotient is in (2^62, 2^64). */
    u128 num = (u128)x.sig << 63;
    uint64_t q = (uint64_t)(num / y.sig);
    bool rem = (num % y.sig) != 0;
    return round_base(e, &f, sign, x.exp - y.exp - 63, q | rem, fp_fpcr_rounding(e->fpcr), false);
}

/* floor(sqrt(x)) for a 32-bit x, digit by digit. */
static unsigned isqrt32(uint32_t x)
{
    if (x == 0)
        return 0;
    uint32_t res = 0, one = 1u << ((31 - __builtin_clz(x)) & ~1u);
    while (one != 0) {
        if (x >= res + one) {
            x -= res + one;
            res = (res >> 1) + one;
        } else {
            res >>= 1;
        }
        one >>= 2;
    }
    return res;
}

/* floor(sqrt(x)) for x >= 2^32: a 16-bit root of the top half, then one
 * integer Newton step (never below the floor) and a fix-up. */
static uint64_t isqrt64(uint64_t x)
{
    uint64_t r0 = (uint64_t)isqrt32((uint32_t)(x >> 32)) << 16;
    uint64_t r = (r0 + x / r0) >> 1;
    while ((u128)r * r > x)
        r--;
    return r;
}

/* floor(sqrt(x)) for 2^124 <= x < 2^128, and whether it is exact: a 32-bit
 * root of the top half (within 2^-30 of the answer), one integer Newton
 * step, which lands on or just above the floor, then a downward fix-up. */
static uint64_t isqrt128(u128 x, bool *exact)
{
    assert(clz128(x) <= 3);
    uint64_t r0 = isqrt64((uint64_t)(x >> 64)) << 32; /* <= sqrt(x), within 2^-30 */
    uint64_t r = (uint64_t)(((u128)r0 + x / r0) >> 1);
    while ((u128)r * r > x)
        r--;
    *exact = (u128)r * r == x;
    return r;
}

uint64_t fp_sqrt_general(struct fp_env *e, unsigned fsize, uint64_t a)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);

    if (is_nan_class(x.cls))
        return process_nan(e, &f, x.cls, a);
    if (x.cls == FPC_ZERO)
        return fp_zero(&f, x.sign);
    if (x.cls == FPC_INF && !x.sign)
        return fp_inf(&f, false);
    if (x.sign)
        return invalid_op(e, &f);
    /* Shift by 63 or 64 so the exponent is even; the root has 63+ bits. */
    int k = ((unsigned)x.exp & 1) ? 63 : 64;
    bool exact;
    uint64_t root = isqrt128((u128)x.sig << k, &exact);
    return round_base(e, &f, false, (x.exp - k) / 2, root | !exact, fp_fpcr_rounding(e->fpcr),
                      false);
}

/* sqrt(t + 1/2) * 2^12, rounded, for t = 64..255: a first estimate of the
 * root of x in [2^62, 2^64) from its top 8 bits, within 2^-8. Only the
 * speed depends on it: the root is found exactly below whatever it says. */
static const uint16_t sqrt_estimate[192] = {
    32896, 33150, 33402, 33652, 33900, 34147, 34392, 34635, 34876, 35116, 35354, 35590, 35825,
    36059, 36291, 36521, 36750, 36978, 37204, 37429, 37652, 37874, 38095, 38315, 38533, 38750,
    38966, 39181, 39394, 39606, 39818, 40028, 40237, 40445, 40652, 40857, 41062, 41266, 41469,
    41671, 41871, 42071, 42270, 42468, 42665, 42861, 43057, 43251, 43445, 43637, 43829, 44020,
    44210, 44400, 44588, 44776, 44963, 45149, 45334, 45519, 45703, 45886, 46069, 46250, 46431,
    46612, 46791, 46970, 47149, 47326, 47503, 47679, 47855, 48030, 48204, 48378, 48551, 48723,
    48895, 49067, 49237, 49407, 49577, 49746, 49914, 50082, 50249, 50416, 50582, 50747, 50912,
    51077, 51241, 51404, 51567, 51730, 51892, 52053, 52214, 52374, 52534, 52694, 52853, 53011,
    53169, 53327, 53484, 53640, 53797, 53952, 54108, 54262, 54417, 54571, 54724, 54877, 55030,
    55182, 55334, 55485, 55636, 55787, 55937, 56087, 56236, 56385, 56534, 56682, 56830, 56977,
    57124, 57271, 57417, 57563, 57709, 57854, 57999, 58143, 58287, 58431, 58574, 58717, 58860,
    59002, 59144, 59286, 59427, 59568, 59709, 59849, 59989, 60129, 60268, 60407, 60546, 60684,
    60822, 60960, 61098, 61235, 61372, 61508, 61644, 61780, 61916, 62051, 62186, 62321, 62456,
    62590, 62724, 62857, 62991, 63124, 63256, 63389, 63521, 63653, 63785, 63916, 64047, 64178,
    64309, 64439, 64569, 64699, 64828, 64957, 65086, 65215, 65344, 65472,
};

/* floor(sqrt(x)) for 2^62 <= x < 2^64: two integer Newton steps from the
 * table (2^-8, 2^-17, then within 2^-35 of the root), which leave the
 * estimate on or above the floor (AM-GM), then a downward fix-up. */
static uint64_t isqrt64_normal(uint64_t x)
{
    uint64_t r = (uint64_t)sqrt_estimate[(x >> 56) - 64] << 16;
    r = (r + x / r) >> 1;
    r = (r + x / r) >> 1;
    while ((u128)r * r > x)
        r--;
    return r;
}

/* The fast path of FPSqrt: a positive normal number or a zero. The root of
 * sig * 2^k, k making the exponent even, is taken to 32 bits for single
 * (x in [2^62, 2^64)) and to 63 for double (x in [2^124, 2^126): the root
 * of the top 64 bits, then one Newton step at full width); whether it is
 * exact is jammed. The result is always normal: E = (exponent + bias) / 2. */
static bool sqrt_fast(struct fp_env *e, unsigned n, uint64_t a, uint64_t *res)
{
    unsigned ea = sf_exp(n, a);

    if (!sf_normal_exp(n, ea) || sf_sign(n, a)) {
        if ((a & SF_MAG(n)) != 0)
            return false;
        *res = a; /* +-0 */
        return true;
    }
    uint64_t sig = (a & sf_mask(SF_FB(n))) | SF_MINN(n), m;
    unsigned odd = !(ea & 1); /* the unbiased exponent is odd: one more bit */
    if (n == 32) {
        uint64_t x = sig << (39 + odd);
        uint64_t r = isqrt64_normal(x);
        m = (r | (r * r != x)) << 31;
    } else {
        /* r0 = s * 2^31 <= sqrt(x) < r0 + 2^31; the Newton step from it,
         * r0 + (x - r0^2) / (2 r0), is (x - r0^2) / 2^32 / s (below 2^95
         * and 2^32), and its floor is the root's floor or one above. */
        u128 x = (u128)sig << (72 + odd);
        uint64_t s = isqrt64_normal((uint64_t)(x >> 62)), r0 = s << 31;
        uint64_t r = r0 + (uint64_t)((x - (u128)r0 * r0) >> 32) / s;
        u128 sq = (u128)r * r;
        if (sq > x) {
            r--;
            sq = (u128)r * r;
        }
        m = r | (sq != x);
    }
    return sf_round_pack(e, n, false, (int)(ea + SF_BIAS(n)) >> 1, m, fp_fpcr_rounding(e->fpcr),
                         res);
}

uint64_t fp_sqrt(struct fp_env *e, unsigned fsize, uint64_t a)
{
    uint64_t r;
    if (fsize == 32 && sqrt_fast(e, 32, a & 0xffffffffu, &r))
        return r;
    if (fsize == 64 && sqrt_fast(e, 64, a, &r))
        return r;
    return fp_sqrt_general(e, fsize, a);
}

uint64_t fp_muladd_general(struct fp_env *e, unsigned fsize, uint64_t addend, uint64_t op1,
                           uint64_t op2)
{
    struct fmt f = fmt_of(fsize);
    struct fpu pa = unpack(e, &f, addend, false);
    struct fpu x = unpack(e, &f, op1, false);
    struct fpu y = unpack(e, &f, op2, false);
    bool inf1 = x.cls == FPC_INF, inf2 = y.cls == FPC_INF;
    bool zero1 = x.cls == FPC_ZERO, zero2 = y.cls == FPC_ZERO;
    uint64_t res;

    bool done = process_nans3(e, &f, &pa, &x, &y, addend, op1, op2, &res);
    /* FPMulAdd: a quiet NaN addend does not hide the 0 * inf Invalid Operation. */
    if (pa.cls == FPC_QNAN && ((inf1 && zero2) || (zero1 && inf2)))
        return invalid_op(e, &f);
    if (done)
        return res;

    bool sign_p = x.sign != y.sign;
    bool inf_p = inf1 || inf2, zero_p = zero1 || zero2;
    bool inf_a = pa.cls == FPC_INF, zero_a = pa.cls == FPC_ZERO;
    if ((inf1 && zero2) || (zero1 && inf2) || (inf_a && inf_p && pa.sign != sign_p))
        return invalid_op(e, &f);
    if ((inf_a && !pa.sign) || (inf_p && !sign_p))
        return fp_inf(&f, false);
    if (inf_a || inf_p)
        return fp_inf(&f, true);
    if (zero_a && zero_p && pa.sign == sign_p)
        return fp_zero(&f, pa.sign);
    return add_round(e, &f, fp_fpcr_rounding(e->fpcr), xval_of(&pa), xval_product(&x, &y));
}

/* FPRecipStepFused (2 - a*b) and FPRSqrtStepFused ((3 - a*b) / 2). */
static uint64_t step_fused(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b, bool rsqrt)
{
    struct fmt f = fmt_of(fsize);
    uint64_t res;

    a = (a ^ sign_of(&f, true)) & mask_n(f.n); /* FPNeg(op1), before NaN processing */
    struct fpu x = unpack(e, &f, a, false);
    struct fpu y = unpack(e, &f, b, false);
    if (process_nans(e, &f, &x, &y, a, b, &res))
        return res;
    if ((x.cls == FPC_INF && y.cls == FPC_ZERO) || (x.cls == FPC_ZERO && y.cls == FPC_INF))
        return rsqrt ? fp_one_point_five(&f, false) : fp_two(&f, false);
    if (x.cls == FPC_INF || y.cls == FPC_INF)
        return fp_inf(&f, x.sign != y.sign);

    /* 2.0 or 3.0 as 2^125 * 2^-124 or 3 * 2^124 * 2^-124; halve both terms for rsqrt. */
    struct xval k = {false, -124, rsqrt ? (u128)3 << 124 : (u128)1 << 125};
    struct xval p = xval_product(&x, &y);
    if (rsqrt) {
        k.exp--;
        p.exp--;
    }
    return add_round(e, &f, fp_fpcr_rounding(e->fpcr), k, p);
}

uint64_t fp_recps_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    return step_fused(e, fsize, a, b, false);
}

uint64_t fp_rsqrts_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    return step_fused(e, fsize, a, b, true);
}

/* ---- Max, min, compare ----------------------------------------------- */

/* Compare two non-NaN unpacked values: -1, 0, 1 (zeros of either sign equal). */
static int cmp_values(const struct fpu *x, const struct fpu *y)
{
    if (x->cls == FPC_ZERO && y->cls == FPC_ZERO)
        return 0;
    if (x->cls == FPC_ZERO)
        return y->sign ? 1 : -1;
    if (y->cls == FPC_ZERO)
        return x->sign ? -1 : 1;
    if (x->sign != y->sign)
        return x->sign ? -1 : 1;
    int mag;
    if (x->cls != y->cls)
        mag = x->cls == FPC_INF ? 1 : -1;
    else if (x->cls == FPC_INF || (x->exp == y->exp && x->sig == y->sig))
        mag = 0;
    else if (x->exp != y->exp)
        mag = x->exp > y->exp ? 1 : -1;
    else
        mag = x->sig > y->sig ? 1 : -1;
    return x->sign ? -mag : mag;
}

/* FPMax / FPMin. */
static uint64_t max_min(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b, bool is_max)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);
    struct fpu y = unpack(e, &f, b, false);
    uint64_t res;

    if (process_nans(e, &f, &x, &y, a, b, &res))
        return res;
    int c = cmp_values(&x, &y);
    bool first = is_max ? c > 0 : c < 0;
    const struct fpu *u = first ? &x : &y;
    if (u->cls == FPC_INF)
        return fp_inf(&f, u->sign);
    if (u->cls == FPC_ZERO) /* max: +0 wins over -0; min: -0 wins */
        return fp_zero(&f, is_max ? (x.sign && y.sign) : (x.sign || y.sign));
    /* FPRound of a value that is already representable (and not flushed). */
    return round_fpu(e, &f, u, fp_fpcr_rounding(e->fpcr));
}

uint64_t fp_max_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    return max_min(e, fsize, a, b, true);
}

uint64_t fp_min_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    return max_min(e, fsize, a, b, false);
}

/* FPMaxNum / FPMinNum: one quiet NaN is replaced by -inf (max) or +inf (min). */
static uint64_t max_min_num(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b, bool is_max)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);
    struct fpu y = unpack(e, &f, b, false);

    if (x.cls == FPC_QNAN && y.cls != FPC_QNAN)
        a = fp_inf(&f, is_max);
    else if (x.cls != FPC_QNAN && y.cls == FPC_QNAN)
        b = fp_inf(&f, is_max);
    return max_min(e, fsize, a, b, is_max);
}

uint64_t fp_maxnm_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    return max_min_num(e, fsize, a, b, true);
}

uint64_t fp_minnm_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    return max_min_num(e, fsize, a, b, false);
}

unsigned fp_compare_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b,
                            bool signal_nans)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);
    struct fpu y = unpack(e, &f, b, false);

    if (is_nan_class(x.cls) || is_nan_class(y.cls)) {
        if (x.cls == FPC_SNAN || y.cls == FPC_SNAN || signal_nans)
            e->fpsr |= FPSR_IOC;
        return 0x3; /* unordered: C and V */
    }
    int c = cmp_values(&x, &y);
    return c == 0 ? 0x6 : c < 0 ? 0x8 : 0x2;
}

/* FPCompareEQ/GE/GT: `quiet` for EQ (IOC only on a signalling NaN). */
static bool compare_vec(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b, bool quiet,
                        int *c)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);
    struct fpu y = unpack(e, &f, b, false);

    if (is_nan_class(x.cls) || is_nan_class(y.cls)) {
        if (!quiet || x.cls == FPC_SNAN || y.cls == FPC_SNAN)
            e->fpsr |= FPSR_IOC;
        return false;
    }
    *c = cmp_values(&x, &y);
    return true;
}

bool fp_compare_eq_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    int c;
    return compare_vec(e, fsize, a, b, true, &c) && c == 0;
}

bool fp_compare_ge_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    int c;
    return compare_vec(e, fsize, a, b, false, &c) && c >= 0;
}

bool fp_compare_gt_general(struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b)
{
    int c;
    return compare_vec(e, fsize, a, b, false, &c) && c > 0;
}

/* ---- Rounding to integers and fixed point ---------------------------- */

/* Round (-1)^sign * sig * 2^exp (sig < 2^63) to an integer by mode r, as
 * FPRoundInt and FPToFixed do, returning the magnitude. False when the
 * magnitude is 2^64 or more (it only saturates then). */
static bool round_to_integer(bool sign, int exp, uint64_t sig, enum fp_rounding r, uint64_t *mag,
                             bool *inexact)
{
    uint64_t ip, frac, halfway;

    if (exp >= 0) {
        if (exp > 1)
            return false;
        *mag = sig << exp;
        *inexact = false;
        return true;
    }
    if (exp <= -64) { /* below one half, nonzero */
        ip = 0;
        frac = 1;
        halfway = (uint64_t)1 << 63;
    } else {
        unsigned sh = (unsigned)-exp;
        ip = sig >> sh;
        frac = sig & mask_n(sh);
        halfway = (uint64_t)1 << (sh - 1);
    }
    bool up;
    switch (r) {
    case FPROUND_TIEEVEN: up = frac > halfway || (frac == halfway && (ip & 1)); break;
    case FPROUND_TIEAWAY: up = frac >= halfway; break;
    case FPROUND_POSINF: up = frac != 0 && !sign; break;
    case FPROUND_NEGINF: up = frac != 0 && sign; break;
    default: up = false; break;
    }
    *mag = ip + up;
    *inexact = frac != 0;
    return true;
}

uint64_t fp_round_int_general(struct fp_env *e, unsigned fsize, uint64_t a, enum fp_rounding r,
                              bool exact)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);
    uint64_t mag;
    bool inexact;

    assert(r != FPROUND_ODD);
    if (is_nan_class(x.cls))
        return process_nan(e, &f, x.cls, a);
    if (x.cls == FPC_INF)
        return fp_inf(&f, x.sign);
    if (x.cls == FPC_ZERO)
        return fp_zero(&f, x.sign);
    if (x.exp >= 0)
        return a & mask_n(f.n); /* 2^62 or more: already integral */
    round_to_integer(x.sign, x.exp, x.sig, r, &mag, &inexact);
    uint64_t res =
        mag == 0 ? fp_zero(&f, x.sign) : round_base(e, &f, x.sign, 0, mag, FPROUND_ZERO, false);
    if (inexact && exact)
        e->fpsr |= FPSR_IXC;
    return res;
}

uint64_t fp_to_fixed_general(struct fp_env *e, unsigned fsize, uint64_t a, unsigned fbits,
                             bool is_unsigned, enum fp_rounding r, unsigned isize)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);
    uint64_t mag = 0;
    bool inexact = false, overflow = false;

    assert(isize == 16 || isize == 32 || isize == 64);
    assert(fbits <= isize && r != FPROUND_ODD);
    if (is_nan_class(x.cls)) {
        e->fpsr |= FPSR_IOC; /* FPUnpack's value for a NaN is 0: the result is 0 */
        return 0;
    }
    if (x.cls == FPC_INF)
        overflow = true;
    else if (x.cls == FPC_FINITE)
        overflow = !round_to_integer(x.sign, x.exp + (int)fbits, x.sig, r, &mag, &inexact);

    /* SatQ */
    uint64_t res;
    uint64_t smax = (uint64_t)1 << (isize - 1); /* |signed minimum| */
    if (is_unsigned) {
        if (!overflow && x.sign && mag != 0)
            overflow = true;
        if (!overflow && mag > mask_n(isize))
            overflow = true;
        res = overflow ? (x.sign ? 0 : mask_n(isize)) : mag;
    } else {
        if (!overflow && mag > (x.sign ? smax : smax - 1))
            overflow = true;
        if (overflow)
            res = x.sign ? smax : smax - 1;
        else
            res = x.sign ? (uint64_t)0 - mag : mag;
    }
    if (overflow)
        e->fpsr |= FPSR_IOC;
    else if (inexact)
        e->fpsr |= FPSR_IXC;
    return res & mask_n(isize);
}

uint64_t fp_to_fixed_js(struct fp_env *e, uint64_t a, bool *z_out)
{
    struct fmt f = fmt_of(64);
    struct fpu x = unpack(e, &f, a, false);
    bool z = true, inexact = false, overflow = false;
    uint64_t low = 0; /* the integer modulo 2^32 */

    if (is_nan_class(x.cls)) {
        e->fpsr |= FPSR_IOC;
        z = false;
    } else if (x.cls == FPC_INF) {
        overflow = true;
    } else if (x.cls == FPC_FINITE) {
        uint64_t mag;
        if (x.exp >= 0) { /* integral, and at least 2^62 */
            low = x.exp < 64 ? x.sig << x.exp : 0;
            overflow = true;
        } else {
            round_to_integer(x.sign, x.exp, x.sig, FPROUND_ZERO, &mag, &inexact);
            low = mag;
            overflow = mag > (x.sign ? (uint64_t)1 << 31 : ((uint64_t)1 << 31) - 1);
        }
        if (x.sign)
            low = (uint64_t)0 - low;
    }
    if (overflow) {
        e->fpsr |= FPSR_IOC;
        z = false;
    } else if (inexact) {
        e->fpsr |= FPSR_IXC;
        z = false;
    } else if (x.cls == FPC_ZERO && x.sign) {
        z = false;
    } else if (x.cls == FPC_ZERO && (a & mask_n(52)) != 0) {
        z = false; /* a positive denormal flushed to zero (qemu 7.2 differs) */
    }
    if (x.cls == FPC_INF)
        low = 0;
    *z_out = z;
    return low & 0xffffffffu;
}

uint64_t fp_from_fixed_general(struct fp_env *e, unsigned fsize, uint64_t v, unsigned fbits,
                               bool is_unsigned, unsigned isize, enum fp_rounding r)
{
    struct fmt f = fmt_of(fsize);
    bool sign = false;

    assert(isize == 16 || isize == 32 || isize == 64);
    assert(fbits <= isize);
    v &= mask_n(isize);
    if (!is_unsigned && (v >> (isize - 1))) {
        sign = true;
        v = ((uint64_t)0 - v) & mask_n(isize);
    }
    if (v == 0)
        return fp_zero(&f, false);
    return round_base(e, &f, sign, -(int)fbits, v, r, false);
}

/* ---- FPConvert -------------------------------------------------------- */

/* FPConvertNaN: quieten, keep the payload's top bits. */
static uint64_t convert_nan(const struct fmt *from, const struct fmt *to, uint64_t op)
{
    bool sign = (op >> (from->n - 1)) & 1;
    uint64_t payload51 = (op & mask_n(from->fbits - 1)) << (52 - from->fbits);
    return sign_of(to, sign) | (mask_n(to->ebits + 1) << (to->fbits - 1)) |
           (payload51 >> (52 - to->fbits));
}

uint64_t fp_convert_general(struct fp_env *e, unsigned from_fsize, unsigned to_fsize, uint64_t a,
                            enum fp_rounding r)
{
    struct fmt ff = fmt_of(from_fsize), tf = fmt_of(to_fsize);
    struct fpu x = unpack(e, &ff, a, true);
    bool alt_hp = to_fsize == 16 && (e->fpcr & FPCR_AHP);

    if (is_nan_class(x.cls)) {
        uint64_t res;
        if (alt_hp)
            res = fp_zero(&tf, x.sign);
        else if (e->fpcr & FPCR_DN)
            res = dnan(&tf);
        else
            res = convert_nan(&ff, &tf, a);
        if (x.cls == FPC_SNAN || alt_hp)
            e->fpsr |= FPSR_IOC;
        return res;
    }
    if (x.cls == FPC_INF) {
        if (alt_hp) {
            e->fpsr |= FPSR_IOC;
            return sign_of(&tf, x.sign) | mask_n(tf.n - 1);
        }
        return fp_inf(&tf, x.sign);
    }
    if (x.cls == FPC_ZERO)
        return fp_zero(&tf, x.sign);
    return round_base(e, &tf, x.sign, x.exp, x.sig, r, true);
}

/* ---- Estimates --------------------------------------------------------- */

/* RecipEstimate: a in [256, 512) is 0.5 <= x < 1 in 1/512 steps. */
static unsigned recip_estimate(unsigned a)
{
    assert(a >= 256 && a < 512);
    a = a * 2 + 1;
    unsigned b = (1u << 19) / a;
    unsigned r = (b + 1) / 2;
    assert(r >= 256 && r < 512);
    return r;
}

/* RecipSqrtEstimate: a in [128, 512) is 0.25 <= x < 1. The pseudocode's
 * "b = 512; while a*(b+1)*(b+1) < 2^28: b++" is found with an integer root. */
static unsigned recip_sqrt_estimate(unsigned a)
{
    assert(a >= 128 && a < 512);
    if (a < 256) {
        a = a * 2 + 1;
    } else {
        a = (a >> 1) << 1;
        a = (a + 1) * 2;
    }
    const uint64_t lim = (uint64_t)1 << 28;
    uint64_t c = isqrt32((uint32_t)(lim / a)); /* c = b + 1 */
    while ((uint64_t)a * c * c >= lim)
        c--;
    while ((uint64_t)a * (c + 1) * (c + 1) < lim)
        c++;
    /* c is now the largest with a*c^2 < 2^28; the loop's b is that, at least 512. */
    unsigned b = (unsigned)c < 512 ? 512 : (unsigned)c;
    unsigned r = (b + 1) / 2;
    assert(r >= 256 && r < 512);
    return r;
}

uint64_t fp_recpe(struct fp_env *e, unsigned fsize, uint64_t a)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);

    if (is_nan_class(x.cls))
        return process_nan(e, &f, x.cls, a);
    if (x.cls == FPC_INF)
        return fp_zero(&f, x.sign);
    if (x.cls == FPC_ZERO) {
        e->fpsr |= FPSR_DZC;
        return fp_inf(&f, x.sign);
    }
    int vexp = x.exp + 62; /* |value| in [2^vexp, 2^(vexp+1)) */
    /* |value| < 2^-16 / 2^-128 / 2^-1024: the reciprocal overflows. */
    if (vexp < (f.n == 16 ? -16 : f.n == 32 ? -128 : -1024)) {
        bool to_inf;
        switch (fp_fpcr_rounding(e->fpcr)) {
        case FPROUND_TIEEVEN: to_inf = true; break;
        case FPROUND_POSINF: to_inf = !x.sign; break;
        case FPROUND_NEGINF: to_inf = x.sign; break;
        default: to_inf = false; break;
        }
        e->fpsr |= FPSR_OFC | FPSR_IXC;
        return to_inf ? fp_inf(&f, x.sign) : fp_max_normal(&f, x.sign);
    }
    bool fz = f.n == 16 ? (e->fpcr & FPCR_FZ16) != 0 : (e->fpcr & FPCR_FZ) != 0;
    if (fz && vexp >= (f.n == 16 ? 14 : f.n == 32 ? 126 : 1022)) {
        e->fpsr |= FPSR_UFC; /* result flushed to zero */
        return fp_zero(&f, x.sign);
    }
    /* Scale to 0.5 <= x < 1 in 1/512 steps, in double-precision layout. */
    const uint64_t m52 = mask_n(52);
    uint64_t fraction = (a & mask_n(f.fbits)) << (52 - f.fbits);
    int exp = (int)((a >> f.fbits) & mask_n(f.ebits));
    if (exp == 0) {
        if (!(fraction >> 51)) {
            exp = -1;
            fraction = (fraction << 2) & m52;
        } else {
            fraction = (fraction << 1) & m52;
        }
    }
    unsigned scaled = 256 | (unsigned)(fraction >> 44);
    int result_exp = (f.n == 16 ? 29 : f.n == 32 ? 253 : 2045) - exp;
    unsigned estimate = recip_estimate(scaled);
    fraction = (uint64_t)(estimate & 0xff) << 44;
    if (result_exp == 0) {
        fraction = ((uint64_t)1 << 51) | (fraction >> 1);
    } else if (result_exp == -1) {
        fraction = ((uint64_t)1 << 50) | (fraction >> 2);
        result_exp = 0;
    }
    return sign_of(&f, x.sign) | (((uint64_t)result_exp & mask_n(f.ebits)) << f.fbits) |
           (fraction >> (52 - f.fbits));
}

uint64_t fp_rsqrte(struct fp_env *e, unsigned fsize, uint64_t a)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);

    if (is_nan_class(x.cls))
        return process_nan(e, &f, x.cls, a);
    if (x.cls == FPC_ZERO) {
        e->fpsr |= FPSR_DZC;
        return fp_inf(&f, x.sign);
    }
    if (x.sign)
        return invalid_op(e, &f);
    if (x.cls == FPC_INF)
        return fp_zero(&f, false);
    /* Scale to 0.25 <= x < 1, keeping the exponent's parity. */
    const uint64_t m52 = mask_n(52);
    uint64_t fraction = (a & mask_n(f.fbits)) << (52 - f.fbits);
    int exp = (int)((a >> f.fbits) & mask_n(f.ebits));
    if (exp == 0) {
        int lz = clz64(fraction) - 12; /* zeros above the top set bit, within 52 bits */
        fraction <<= lz;
        exp -= lz;
        fraction = (fraction << 1) & m52;
    }
    unsigned scaled = ((unsigned)exp & 1) == 0 ? 256 | (unsigned)(fraction >> 44)
                                               : 128 | (unsigned)(fraction >> 45);
    int result_exp = ((f.n == 16 ? 44 : f.n == 32 ? 380 : 3068) - exp) / 2;
    unsigned estimate = recip_sqrt_estimate(scaled);
    return (((uint64_t)result_exp & mask_n(f.ebits)) << f.fbits) |
           (((uint64_t)estimate & 0xff) << (f.fbits - 8));
}

uint64_t fp_recpx(struct fp_env *e, unsigned fsize, uint64_t a)
{
    struct fmt f = fmt_of(fsize);
    struct fpu x = unpack(e, &f, a, false);

    if (is_nan_class(x.cls))
        return process_nan(e, &f, x.cls, a);
    uint64_t exp = (a >> f.fbits) & mask_n(f.ebits);
    uint64_t max_exp = mask_n(f.ebits) - 1;
    uint64_t rexp = exp == 0 ? max_exp : (~exp & mask_n(f.ebits));
    return sign_of(&f, x.sign) | (rexp << f.fbits);
}

uint32_t fp_urecpe(uint32_t a)
{
    if (!(a >> 31))
        return 0xffffffffu;
    return (uint32_t)recip_estimate(a >> 23) << 23;
}

uint32_t fp_ursqrte(uint32_t a)
{
    if (!(a >> 30))
        return 0xffffffffu;
    return (uint32_t)recip_sqrt_estimate(a >> 23) << 23;
}
