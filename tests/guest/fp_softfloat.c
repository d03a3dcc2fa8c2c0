/*
 * fp_softfloat: the scalar FP data-processing instructions, single and double precision,
 * checked against a reference written here in integer arithmetic only.
 *
 * Every operation runs twice: as the instruction itself (inline assembly that writes FPCR,
 * clears FPSR, executes it and reads FPSR back) and through the reference below, which follows
 * the Arm ARM's pseudocode (FPAdd, FPMul, FPDiv, FPSqrt, FPMulAdd, FPMax/FPMin and their Num
 * forms, FPCompare, FPRoundInt, FPToFixed, FixedToFP, FPConvert, all rounding through
 * FPRoundBase) on bit patterns held in uint64_t. The result and the cumulative exception flags
 * (FPSR IOC, DZC, OFC, UFC, IXC, and IDC, which stays 0 without flush-to-zero) must both agree.
 *
 * What the reference models, from the Arm ARM:
 *  - tininess is detected before rounding, and Underflow is signalled only when the result is
 *    also inexact (FPCR.UFE is 0); an overflow gives infinity or the largest finite number as
 *    the rounding mode says, with Overflow and Inexact;
 *  - FPCR.DN = 1 makes every NaN result the default NaN (0x7fc00000, 0x7ff8000000000000);
 *    with DN = 0 the first signalling NaN operand wins, then the first quiet one, quietened
 *    (fused multiply-add takes them in the order addend, multiplicand, multiplier), and the
 *    operand negations of FMSUB/FNMADD/FNMSUB and the result negation of FNMUL flip a NaN's
 *    sign too;
 *  - Invalid Operation: a signalling NaN operand, inf - inf, 0 * inf, 0/0, inf/inf, the square
 *    root of a number below zero, a fused multiply-add of 0 * inf with a quiet NaN addend
 *    (default NaN), FCMPE with any NaN, and a conversion to integer of a NaN (result 0) or of a
 *    value out of range (saturated, and then no Inexact);
 *  - an exact zero sum or difference of operands with opposite signs is +0, or -0 when
 *    rounding towards minus infinity; FRINT* keeps the sign of a value that rounds to zero.
 *
 * Operands come from xorshift64 with a fixed seed, biased to the edges: ±0, ±inf, quiet and
 * signalling NaNs with random payloads, subnormals, the smallest and largest normals, short
 * significands (whose sums and products often land exactly half an ulp between two numbers),
 * operand pairs that cancel, addends that cancel the rounded product, integers that need one
 * bit more than the significand has, and values with fractions 0, 1/4, 1/2 and 3/4 near the
 * 32- and 64-bit integer limits. Each operation runs SETS times in each of the four FPCR
 * rounding modes with DN = 1, then SETS times with DN = 0 (round to nearest), on both
 * precisions. The guest prints a count per operation and the first mismatches with their
 * operands, and exits 0 only when everything agreed.
 */
#include <stdbool.h>
#include <stdint.h>

#include "exit.h"
#include "printf.h"
#include "vectors.h"
#include "workload.h"

#define SEED        0x5eedf10a7c0ffee5ull
#define SETS        32 /* operand sets per operation, precision and FPCR setting */
#define MAX_REPORTS 10

/* FPSR cumulative exception bits and FPCR controls (Arm ARM C5.2.7, C5.2.8). */
#define FPSR_IOC   0x01u
#define FPSR_DZC   0x02u
#define FPSR_OFC   0x04u
#define FPSR_UFC   0x08u
#define FPSR_IXC   0x10u
#define FPSR_IDC   0x80u
#define FPSR_FLAGS (FPSR_IOC | FPSR_DZC | FPSR_OFC | FPSR_UFC | FPSR_IXC | FPSR_IDC)
#define FPCR_DN    (1ull << 25)
#define FPCR_RMODE 22
#define NZCV_UN    0x30000000ull /* unordered */
#define NZCV_LT    0x80000000ull
#define NZCV_EQ    0x60000000ull
#define NZCV_GT    0x20000000ull

/* FPCR.RMode values in their encoding order; RA (ties away) only for FCVTA* and FRINTA. */
enum rmode { RN, RP, RM, RZ, RA };
static const char *const rmode_name[] = {"RN", "RP", "RM", "RZ", "RA"};

struct fmt {
    const char *name;
    unsigned bits;        /* width of the format */
    unsigned fbits;       /* fraction bits */
    int emin;             /* exponent of the smallest normal number */
    unsigned emax_biased; /* the all-ones biased exponent of infinities and NaNs */
};

static const struct fmt f32 = {"f32", 32, 23, -126, 0xff};
static const struct fmt f64 = {"f64", 64, 52, -1022, 0x7ff};

/* ------------------------------------------------------------------------------------------ */
/* The reference: integer arithmetic only, kept off the FP/SIMD registers altogether.         */

#pragma GCC push_options
#pragma GCC target("general-regs-only")

typedef unsigned __int128 u128;

/* What one operation sees of FPCR, and the exception flags it raises. */
struct env {
    enum rmode rmode;
    bool dn;
    unsigned flags;
};

enum cls { C_ZERO, C_FINITE, C_INF, C_QNAN, C_SNAN };

/* An unpacked operand; a finite one is sig * 2^exp exactly. */
struct unp {
    enum cls cls;
    bool sign;
    int exp;
    uint64_t sig;
};

static uint64_t width_mask(const struct fmt *f)
{
    return f->bits == 64 ? ~0ull : (1ull << f->bits) - 1;
}

static uint64_t sign_bit(const struct fmt *f)
{
    return 1ull << (f->bits - 1);
}

static uint64_t frac_mask(const struct fmt *f)
{
    return (1ull << f->fbits) - 1;
}

static uint64_t quiet_bit(const struct fmt *f)
{
    return 1ull << (f->fbits - 1);
}

static uint64_t zero_bits(const struct fmt *f, bool sign)
{
    return sign ? sign_bit(f) : 0;
}

static uint64_t inf_bits(const struct fmt *f, bool sign)
{
    return zero_bits(f, sign) | (uint64_t)f->emax_biased << f->fbits;
}

static uint64_t max_normal(const struct fmt *f, bool sign)
{
    return inf_bits(f, sign) - 1;
}

static uint64_t default_nan(const struct fmt *f)
{
    return inf_bits(f, false) | quiet_bit(f);
}

static uint64_t make(const struct fmt *f, bool sign, unsigned bexp, uint64_t frac)
{
    return zero_bits(f, sign) | (uint64_t)bexp << f->fbits | (frac & frac_mask(f));
}

static struct unp unpack(const struct fmt *f, uint64_t x)
{
    struct unp u = {C_FINITE, (x & sign_bit(f)) != 0, 0, x & frac_mask(f)};
    unsigned e = (unsigned)(x >> f->fbits) & f->emax_biased;

    if (e == f->emax_biased) {
        u.cls = u.sig == 0 ? C_INF : (u.sig & quiet_bit(f)) ? C_QNAN : C_SNAN;
        return u;
    }
    if (e == 0) {
        if (u.sig == 0)
            u.cls = C_ZERO;
        u.exp = f->emin - (int)f->fbits;
        return u;
    }
    u.sig |= 1ull << f->fbits;
    u.exp = (int)e + f->emin - 1 - (int)f->fbits;
    return u;
}

static bool is_nan(const struct unp *u)
{
    return u->cls == C_QNAN || u->cls == C_SNAN;
}

static unsigned msb64(uint64_t x)
{
    return 63 - (unsigned)__builtin_clzll(x);
}

static unsigned msb128(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? 64 + msb64(hi) : msb64((uint64_t)x);
}

/* X >> D with every bit shifted out ORed into bit 0 ("jamming"). */
static uint64_t shr_jam(uint64_t x, unsigned d)
{
    if (d == 0)
        return x;
    if (d >= 64)
        return x != 0;
    return x >> d | ((x << (64 - d)) != 0);
}

static u128 shr_jam128(u128 x, unsigned d)
{
    if (d == 0)
        return x;
    if (d >= 128)
        return x != 0;
    return x >> d | ((x << (128 - d)) != 0);
}

/*
 * FPRoundBase: round SIG * 2^EXP (SIG != 0; STICKY: nonzero bits below SIG's last) to the
 * format in ENV's rounding mode. Tiny means below 2^emin before rounding; such a result is
 * rounded at the subnormal position and, when inexact, signals Underflow.
 */
static uint64_t round_pack(const struct fmt *f, struct env *env, bool sign, int exp, uint64_t sig,
                           bool sticky)
{
    unsigned lz = (unsigned)__builtin_clzll(sig);
    sig <<= lz;
    exp -= (int)lz;
    int top = exp + 63; /* the value is in [2^top, 2^(top + 1)) */
    bool tiny = top < f->emin;
    unsigned shift = (unsigned)((tiny ? f->emin : top) - (int)f->fbits - exp);
    uint64_t mant;
    bool half, below;

    if (shift < 64) {
        mant = sig >> shift;
        half = (sig >> (shift - 1)) & 1;
        below = (sig & ((1ull << (shift - 1)) - 1)) != 0;
    } else {
        mant = 0;
        half = shift == 64 && (sig >> 63);
        below = shift == 64 ? (sig << 1) != 0 : true;
    }
    below = below || sticky;
    bool inexact = half || below;
    if (tiny && inexact)
        env->flags |= FPSR_UFC;

    bool up = false, to_inf = false;
    switch (env->rmode) {
    case RN:
        up = half && (below || (mant & 1));
        to_inf = true;
        break;
    case RP:
        up = inexact && !sign;
        to_inf = !sign;
        break;
    case RM:
        up = inexact && sign;
        to_inf = sign;
        break;
    default: break;
    }
    unsigned bexp = tiny ? 0 : (unsigned)(top - f->emin + 1);
    if (up) {
        mant++;
        if (tiny && mant == 1ull << f->fbits)
            bexp = 1; /* rounded up into the normal numbers */
        if (mant == 1ull << (f->fbits + 1)) {
            bexp++;
            mant >>= 1;
        }
    }
    if (bexp >= f->emax_biased) {
        env->flags |= FPSR_OFC | FPSR_IXC;
        return to_inf ? inf_bits(f, sign) : max_normal(f, sign);
    }
    if (inexact)
        env->flags |= FPSR_IXC;
    return make(f, sign, bexp, mant);
}

/* round_pack for a value of up to 128 bits. */
static uint64_t round_wide(const struct fmt *f, struct env *env, bool sign, int exp, u128 v)
{
    uint64_t hi = (uint64_t)(v >> 64);
    if (hi == 0)
        return round_pack(f, env, sign, exp, (uint64_t)v, false);
    unsigned n = msb64(hi) + 1;
    bool sticky = ((uint64_t)v << (64 - n)) != 0;
    return round_pack(f, env, sign, exp + (int)n, (uint64_t)(v >> n), sticky);
}

static uint64_t invalid(const struct fmt *f, struct env *env)
{
    env->flags |= FPSR_IOC;
    return default_nan(f);
}

/* FPProcessNaN: a signalling NaN signals Invalid Operation; the result is the default NaN
 * under DN, else the operand quietened. */
static uint64_t nan_result(const struct fmt *f, struct env *env, uint64_t x, const struct unp *u)
{
    if (u->cls == C_SNAN)
        env->flags |= FPSR_IOC;
    return env->dn ? default_nan(f) : x | quiet_bit(f);
}

/* FPProcessNaNs: signalling NaNs first, then quiet ones, each in operand order. */
static bool process_nans(const struct fmt *f, struct env *env, const uint64_t *x,
                         const struct unp *u, int n, uint64_t *result)
{
    for (enum cls want = C_SNAN;; want = C_QNAN) {
        for (int i = 0; i < n; i++) {
            if (u[i].cls == want) {
                *result = nan_result(f, env, x[i], &u[i]);
                return true;
            }
        }
        if (want == C_QNAN)
            return false;
    }
}

/* FPAdd and FPSub (NEGATE_B): the NaN checks see the operands as given. */
static uint64_t ref_add(const struct fmt *f, struct env *env, uint64_t a, uint64_t b, bool negate_b)
{
    uint64_t x[2] = {a, b}, r;
    struct unp u[2] = {unpack(f, a), unpack(f, b)};

    if (process_nans(f, env, x, u, 2, &r))
        return r;
    if (negate_b) {
        u[1].sign = !u[1].sign;
        b ^= sign_bit(f);
    }
    if (u[0].cls == C_INF && u[1].cls == C_INF && u[0].sign != u[1].sign)
        return invalid(f, env);
    if (u[0].cls == C_INF || u[1].cls == C_INF)
        return inf_bits(f, u[0].cls == C_INF ? u[0].sign : u[1].sign);
    if (u[0].cls == C_ZERO && u[1].cls == C_ZERO)
        return zero_bits(f, u[0].sign == u[1].sign ? u[0].sign : env->rmode == RM);
    if (u[1].cls == C_ZERO)
        return a;
    if (u[0].cls == C_ZERO)
        return b;

    /* Both at bit 61, the larger first: its low bits are zero, so jamming the smaller one's
     * lost bits into bit 0 keeps every bit at and above the rounding position exact. */
    struct unp *big = &u[0], *small = &u[1];
    for (int i = 0; i < 2; i++) {
        unsigned s = 61 - msb64(u[i].sig);
        u[i].sig <<= s;
        u[i].exp -= (int)s;
    }
    if (small->exp > big->exp || (small->exp == big->exp && small->sig > big->sig)) {
        big = &u[1];
        small = &u[0];
    }
    uint64_t s = shr_jam(small->sig, (unsigned)(big->exp - small->exp));
    uint64_t sum = big->sign == small->sign ? big->sig + s : big->sig - s;
    if (sum == 0)
        return zero_bits(f, env->rmode == RM);
    return round_pack(f, env, big->sign, big->exp, sum, false);
}

static uint64_t ref_mul(const struct fmt *f, struct env *env, uint64_t a, uint64_t b)
{
    uint64_t x[2] = {a, b}, r;
    struct unp u[2] = {unpack(f, a), unpack(f, b)};
    bool sign = u[0].sign != u[1].sign;

    if (process_nans(f, env, x, u, 2, &r))
        return r;
    if ((u[0].cls == C_INF && u[1].cls == C_ZERO) || (u[0].cls == C_ZERO && u[1].cls == C_INF))
        return invalid(f, env);
    if (u[0].cls == C_INF || u[1].cls == C_INF)
        return inf_bits(f, sign);
    if (u[0].cls == C_ZERO || u[1].cls == C_ZERO)
        return zero_bits(f, sign);
    return round_wide(f, env, sign, u[0].exp + u[1].exp, (u128)u[0].sig * u[1].sig);
}

static uint64_t ref_div(const struct fmt *f, struct env *env, uint64_t a, uint64_t b)
{
    uint64_t x[2] = {a, b}, r;
    struct unp u[2] = {unpack(f, a), unpack(f, b)};
    bool sign = u[0].sign != u[1].sign;

    if (process_nans(f, env, x, u, 2, &r))
        return r;
    if ((u[0].cls == C_INF && u[1].cls == C_INF) || (u[0].cls == C_ZERO && u[1].cls == C_ZERO))
        return invalid(f, env);
    if (u[0].cls == C_INF || u[1].cls == C_ZERO) {
        if (u[0].cls != C_INF)
            env->flags |= FPSR_DZC;
        return inf_bits(f, sign);
    }
    if (u[0].cls == C_ZERO || u[1].cls == C_INF)
        return zero_bits(f, sign);

    /* Long division, one quotient bit a step, from operands at bit 62 with n >= d. */
    uint64_t n = u[0].sig << (62 - msb64(u[0].sig)), d = u[1].sig << (62 - msb64(u[1].sig));
    int exp = (u[0].exp - (int)(62 - msb64(u[0].sig))) - (u[1].exp - (int)(62 - msb64(u[1].sig)));
    if (n < d) {
        n <<= 1;
        exp--;
    }
    uint64_t q = 0;
    for (int i = 0; i < 62; i++) {
        q <<= 1;
        if (n >= d) {
            n -= d;
            q |= 1;
        }
        n <<= 1;
    }
    return round_pack(f, env, sign, exp - 61, q, n != 0);
}

static uint64_t ref_sqrt(const struct fmt *f, struct env *env, uint64_t a)
{
    struct unp u = unpack(f, a);

    if (is_nan(&u))
        return nan_result(f, env, a, &u);
    if (u.cls == C_ZERO)
        return a;
    if (u.sign)
        return invalid(f, env);
    if (u.cls == C_INF)
        return a;

    /* sqrt(sig * 2^exp) with exp even: the integer square root of sig << k, k even, with the
     * radicand near 2^124 so that the root has 62 bits; a remainder is the sticky bit. */
    uint64_t sig = u.sig;
    int exp = u.exp;
    if (exp & 1) {
        sig <<= 1;
        exp--;
    }
    unsigned k = (124 - msb64(sig)) & ~1u;
    u128 rem = (u128)sig << k, root = 0, bit = (u128)1 << 126;
    while (bit > rem)
        bit >>= 2;
    while (bit) {
        if (rem >= root + bit) {
            rem -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    return round_pack(f, env, false, (exp - (int)k) / 2, (uint64_t)root, rem != 0);
}

/* FPMulAdd: A + N * M, exactly, then rounded once. The callers apply FMSUB's, FNMADD's and
 * FNMSUB's negations to the operands first, as the instructions do. */
static uint64_t ref_fma(const struct fmt *f, struct env *env, uint64_t a, uint64_t n, uint64_t m)
{
    uint64_t x[3] = {a, n, m}, r;
    struct unp u[3] = {unpack(f, a), unpack(f, n), unpack(f, m)};
    struct unp *ua = &u[0], *un = &u[1], *um = &u[2];
    bool inf_zero =
        (un->cls == C_INF && um->cls == C_ZERO) || (un->cls == C_ZERO && um->cls == C_INF);

    bool done = process_nans(f, env, x, u, 3, &r);
    if (ua->cls == C_QNAN && inf_zero)
        return invalid(f, env);
    if (done)
        return r;

    bool sign_p = un->sign != um->sign;
    bool inf_p = un->cls == C_INF || um->cls == C_INF;
    bool zero_p = un->cls == C_ZERO || um->cls == C_ZERO;
    if (inf_zero || (ua->cls == C_INF && inf_p && ua->sign != sign_p))
        return invalid(f, env);
    if (ua->cls == C_INF)
        return inf_bits(f, ua->sign);
    if (inf_p)
        return inf_bits(f, sign_p);
    if (zero_p) {
        if (ua->cls == C_ZERO)
            return zero_bits(f, ua->sign == sign_p ? ua->sign : env->rmode == RM);
        return a;
    }

    u128 p = (u128)un->sig * um->sig;
    int ep = un->exp + um->exp;
    if (ua->cls == C_ZERO)
        return round_wide(f, env, sign_p, ep, p);

    /* As in ref_add, at bit 125 of 128 this time: the product has up to 106 bits. */
    unsigned sp = 125 - msb128(p), sa = 125 - msb64(ua->sig);
    struct {
        bool sign;
        int exp;
        u128 v;
    } big = {sign_p, ep - (int)sp, p << sp},
      small = {ua->sign, ua->exp - (int)sa, (u128)ua->sig << sa};
    if (small.exp > big.exp || (small.exp == big.exp && small.v > big.v)) {
        __typeof__(big) t = big;
        big = small;
        small = t;
    }
    u128 s = shr_jam128(small.v, (unsigned)(big.exp - small.exp));
    u128 sum = big.sign == small.sign ? big.v + s : big.v - s;
    if (sum == 0)
        return zero_bits(f, env->rmode == RM);
    return round_wide(f, env, big.sign, big.exp, sum);
}

/* An integer that orders non-NaN values as the numbers they are (both zeros equal). */
static int64_t order_key(const struct fmt *f, uint64_t x, const struct unp *u)
{
    if (u->cls == C_ZERO)
        return 0;
    int64_t mag = (int64_t)(x & ~sign_bit(f));
    return u->sign ? -mag : mag;
}

/* FPMax, FPMin, FPMaxNum, FPMinNum. The Num forms treat one quiet NaN as -inf (max) or +inf
 * (min); a zero result is -0 only if both operands are -0 (max) or either is (min). */
static uint64_t ref_minmax(const struct fmt *f, struct env *env, uint64_t a, uint64_t b,
                           bool is_max, bool is_num)
{
    uint64_t x[2] = {a, b}, r;
    struct unp u[2] = {unpack(f, a), unpack(f, b)};

    if (is_num) {
        int q = u[0].cls == C_QNAN && u[1].cls != C_QNAN   ? 0
                : u[0].cls != C_QNAN && u[1].cls == C_QNAN ? 1
                                                           : -1;
        if (q >= 0) {
            x[q] = inf_bits(f, is_max);
            u[q] = unpack(f, x[q]);
        }
    }
    if (process_nans(f, env, x, u, 2, &r))
        return r;
    int64_t ka = order_key(f, x[0], &u[0]), kb = order_key(f, x[1], &u[1]);
    int pick = (is_max ? ka > kb : ka < kb) ? 0 : 1;
    if (u[pick].cls == C_ZERO)
        return zero_bits(f, is_max ? (u[0].sign && u[1].sign) : (u[0].sign || u[1].sign));
    return x[pick];
}

/* FPCompare (FCMP) and FPCompare with signalling NaNs (FCMPE): NZCV in bits 31:28. */
static uint64_t ref_cmp(const struct fmt *f, struct env *env, uint64_t a, uint64_t b,
                        bool signalling)
{
    struct unp ua = unpack(f, a), ub = unpack(f, b);

    if (is_nan(&ua) || is_nan(&ub)) {
        if (signalling || ua.cls == C_SNAN || ub.cls == C_SNAN)
            env->flags |= FPSR_IOC;
        return NZCV_UN;
    }
    int64_t ka = order_key(f, a, &ua), kb = order_key(f, b, &ub);
    return ka < kb ? NZCV_LT : ka == kb ? NZCV_EQ : NZCV_GT;
}

/* The integer part of SIG * 2^-SH and what is left: 0 nothing, 1 below one half, 2 exactly one
 * half, 3 above one half. */
static uint64_t split_int(uint64_t sig, unsigned sh, unsigned *frac)
{
    uint64_t ip;
    bool half, below;

    if (sh >= 64) {
        ip = 0;
        half = sh == 64 && (sig >> 63);
        below = sh == 64 ? (sig << 1) != 0 : sig != 0;
    } else {
        ip = sig >> sh;
        half = (sig >> (sh - 1)) & 1;
        below = (sig & ((1ull << (sh - 1)) - 1)) != 0;
    }
    *frac = half ? (below ? 3 : 2) : (below ? 1 : 0);
    return ip;
}

/* Does a magnitude IP with fraction FRAC round up in mode RM (the FPToFixed/FPRoundInt
 * increments, restated on sign and magnitude)? */
static bool round_up(enum rmode rm, bool sign, uint64_t ip, unsigned frac)
{
    switch (rm) {
    case RN: return frac == 3 || (frac == 2 && (ip & 1));
    case RA: return frac >= 2;
    case RP: return frac && !sign;
    case RM: return frac && sign;
    default: return false;
    }
}

/* FPRoundInt: FRINTN/P/M/Z/A with their own mode, FRINTI and FRINTX with FPCR's; only FRINTX
 * signals Inexact. */
static uint64_t ref_frint(const struct fmt *f, struct env *env, uint64_t a, enum rmode rm,
                          bool exact)
{
    struct unp u = unpack(f, a);
    unsigned frac;

    if (is_nan(&u))
        return nan_result(f, env, a, &u);
    if (u.cls != C_FINITE || u.exp >= 0)
        return a;
    uint64_t ip = split_int(u.sig, (unsigned)-u.exp, &frac);
    ip += round_up(rm, u.sign, ip, frac);
    if (frac && exact)
        env->flags |= FPSR_IXC;
    if (ip == 0)
        return zero_bits(f, u.sign);
    return round_pack(f, env, u.sign, 0, ip, false);
}

/* FPToFixed with no fraction bits: FCVT{N,P,M,Z,A}{S,U} to a W or X register. */
static uint64_t ref_f2i(const struct fmt *f, struct env *env, uint64_t a, enum rmode rm,
                        unsigned width, bool is_signed)
{
    struct unp u = unpack(f, a);
    uint64_t umax = width == 64 ? ~0ull : 0xffffffffull;
    uint64_t lim = is_signed ? (1ull << (width - 1)) - !u.sign : u.sign ? 0 : umax;
    uint64_t ip = 0;
    unsigned frac = 0;
    bool overflow = u.cls == C_INF;

    if (is_nan(&u)) {
        env->flags |= FPSR_IOC;
        return 0;
    }
    if (u.cls == C_FINITE) {
        if (u.exp >= 0)
            overflow = msb64(u.sig) + (unsigned)u.exp >= 64;
        if (u.exp >= 0 && !overflow)
            ip = u.sig << u.exp;
        else if (u.exp < 0)
            ip = split_int(u.sig, (unsigned)-u.exp, &frac);
    }
    bool inc = round_up(rm, u.sign, ip, frac);
    if (overflow || ip > lim || (inc && ip == lim)) {
        env->flags |= FPSR_IOC;
        return (u.sign ? -lim : lim) & umax;
    }
    if (frac)
        env->flags |= FPSR_IXC;
    ip += inc;
    return (u.sign ? -ip : ip) & umax;
}

/* FixedToFP with no fraction bits: SCVTF and UCVTF from a W or X register. */
static uint64_t ref_i2f(const struct fmt *f, struct env *env, uint64_t v, unsigned width,
                        bool is_signed)
{
    if (width == 32)
        v = is_signed ? (uint64_t)(int64_t)(int32_t)v : (uint32_t)v;
    if (v == 0)
        return 0;
    bool sign = is_signed && (int64_t)v < 0;
    return round_pack(f, env, sign, 0, sign ? -v : v, false);
}

/* FPConvert between the two formats (FCVT). A NaN keeps the top of its payload. */
static uint64_t ref_fcvt(const struct fmt *from, const struct fmt *to, struct env *env, uint64_t a)
{
    struct unp u = unpack(from, a);

    if (is_nan(&u)) {
        if (u.cls == C_SNAN)
            env->flags |= FPSR_IOC;
        if (env->dn)
            return default_nan(to);
        uint64_t frac = a & frac_mask(from);
        frac = to->fbits > from->fbits ? frac << (to->fbits - from->fbits)
                                       : frac >> (from->fbits - to->fbits);
        return inf_bits(to, u.sign) | quiet_bit(to) | frac;
    }
    if (u.cls == C_INF)
        return inf_bits(to, u.sign);
    if (u.cls == C_ZERO)
        return zero_bits(to, u.sign);
    return round_pack(to, env, u.sign, u.exp, u.sig, false);
}

/* ------------------------------------------------------------------------------------------ */
/* The operations under test.                                                                 */

enum opcode {
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_NMUL,
    OP_DIV,
    OP_SQRT,
    OP_MADD,
    OP_MSUB,
    OP_NMADD,
    OP_NMSUB,
    OP_MIN,
    OP_MAX,
    OP_MINNM,
    OP_MAXNM,
    OP_FRINT,  /* rm: the mode, or RM_FPCR */
    OP_FRINTX, /* FPCR's mode, Inexact signalled */
    OP_FCVT,   /* to the other precision */
    OP_CMP,
    OP_CMPE,
    OP_CMPZ,
    OP_I2F, /* width, is_signed */
    OP_F2I, /* rm, width, is_signed */
};

enum shape { S_BIN, S_UN, S_FMA, S_INT, S_NEARINT };

#define RM_FPCR 7 /* the op uses FPCR.RMode */

typedef uint64_t (*hw_fn)(uint64_t a, uint64_t b, uint64_t c, uint64_t fpcr, uint64_t *fpsr);

struct op {
    const char *name;
    enum opcode code;
    enum shape shape;
    hw_fn hw[2]; /* single, double precision */
    unsigned char rm, width, is_signed;
};

static uint64_t reference(const struct op *o, const struct fmt *f, struct env *env, uint64_t a,
                          uint64_t b, uint64_t c)
{
    uint64_t s = sign_bit(f);
    enum rmode rm = o->rm == RM_FPCR ? env->rmode : (enum rmode)o->rm;

    switch (o->code) {
    case OP_ADD: return ref_add(f, env, a, b, false);
    case OP_SUB: return ref_add(f, env, a, b, true);
    case OP_MUL: return ref_mul(f, env, a, b);
    case OP_NMUL: return ref_mul(f, env, a, b) ^ s;
    case OP_DIV: return ref_div(f, env, a, b);
    case OP_SQRT: return ref_sqrt(f, env, a);
    case OP_MADD: return ref_fma(f, env, a, b, c);
    case OP_MSUB: return ref_fma(f, env, a, b ^ s, c);
    case OP_NMADD: return ref_fma(f, env, a ^ s, b ^ s, c);
    case OP_NMSUB: return ref_fma(f, env, a ^ s, b, c);
    case OP_MIN: return ref_minmax(f, env, a, b, false, false);
    case OP_MAX: return ref_minmax(f, env, a, b, true, false);
    case OP_MINNM: return ref_minmax(f, env, a, b, false, true);
    case OP_MAXNM: return ref_minmax(f, env, a, b, true, true);
    case OP_FRINT: return ref_frint(f, env, a, rm, false);
    case OP_FRINTX: return ref_frint(f, env, a, rm, true);
    case OP_FCVT: return ref_fcvt(f, f == &f32 ? &f64 : &f32, env, a);
    case OP_CMP: return ref_cmp(f, env, a, b, false);
    case OP_CMPE: return ref_cmp(f, env, a, b, true);
    case OP_CMPZ: return ref_cmp(f, env, a, 0, false);
    case OP_I2F: return ref_i2f(f, env, a, o->width, o->is_signed);
    case OP_F2I: return ref_f2i(f, env, a, rm, o->width, o->is_signed);
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Operands.                                                                                  */

static uint64_t rng_state = SEED;

static uint64_t rnd(void)
{
    return xorshift64(&rng_state);
}

/* One operand, biased to the edges; NAN_HEAVY: a NaN one time in four. */
static uint64_t gen_float(const struct fmt *f, bool nan_heavy)
{
    uint64_t r = rnd(), frac = rnd();
    bool sign = r & 1;
    unsigned bias = f->emax_biased >> 1, top = f->emax_biased - 1;
    unsigned k = (unsigned)(r >> 1) % (nan_heavy ? 8 : 40);

    switch (k) {
    case 0: return make(f, sign, f->emax_biased, frac | quiet_bit(f));
    case 1: frac &= frac_mask(f) >> 1; return make(f, sign, f->emax_biased, frac ? frac : 1);
    case 2: return make(f, sign, 0, 0);
    case 3: return make(f, sign, f->emax_biased, 0);
    case 4: return make(f, sign, 0, 1);
    case 5: return make(f, sign, 0, frac_mask(f));
    case 6: return make(f, sign, 1, 0);
    case 7: return make(f, sign, top, frac_mask(f));
    case 8:
    case 9: return make(f, sign, 0, frac);
    case 10:
    case 11: return make(f, sign, bias + (unsigned)(r >> 8) % 8, 0);
    case 12:
    case 13:
    case 14:
    case 15:
    case 16:
    case 17: {
        /* A significand of 1 to 13 bits, so that sums and products are often exact or
         * exactly half an ulp from two neighbours. */
        unsigned keep = 1 + (unsigned)(r >> 8) % 13;
        return make(f, sign, bias - 12 + (unsigned)(r >> 16) % 24, frac & ~(frac_mask(f) >> keep));
    }
    case 18:
    case 19: return make(f, sign, top - (unsigned)(r >> 8) % 3, frac);
    case 20:
    case 21: return make(f, sign, 1 + (unsigned)(r >> 8) % 3, frac);
    case 22: return make(f, sign, bias + (unsigned)(r >> 8) % 4, frac_mask(f) - (r >> 16) % 3);
    default: return make(f, sign, 1 + (unsigned)(r >> 8) % (top - 1), frac);
    }
}

/* The second operand of a two-operand op: often related to the first. */
static uint64_t gen_partner(const struct fmt *f, uint64_t a)
{
    uint64_t r = rnd();
    unsigned e = (unsigned)(a >> f->fbits) & f->emax_biased;
    bool sign = (a & sign_bit(f)) != 0;

    switch (r % 10) {
    case 0: return a;
    case 1: return a ^ sign_bit(f);
    case 2: return ((r >> 8) & 1 ? a + 1 : a - 1) & width_mask(f);
    case 3:
    case 4: {
        /* Half an ulp of A, give or take a binade, same sign or not. */
        int eb = (int)e - (int)f->fbits - 2 + (int)((r >> 4) % 3);
        bool s = (r >> 6) & 1 ? sign : !sign;
        if (eb < 1)
            return make(f, s, 0, 1ull << ((r >> 12) % f->fbits));
        return make(f, s, (unsigned)eb, (r >> 7) & 1 ? 0 : (r >> 9) & frac_mask(f));
    }
    case 5: {
        /* A's binade, or a few away: cancellation and alignment shifts. */
        int eb = (int)e - 3 + (int)((r >> 4) % 7);
        if (eb < 1 || eb >= (int)f->emax_biased)
            eb = (int)e;
        return make(f, (r >> 8) & 1, (unsigned)eb, rnd());
    }
    case 6: {
        /* The smallest normal over A, rounded towards zero: a product just below the smallest
         * normal, where tininess before and after rounding differ. */
        struct env env = {RZ, true, 0};
        return ref_div(f, &env, make(f, (r >> 8) & 1, 1, 0), a);
    }
    case 7: {
        /* An odd significand as long as A * B needs to come out one or two bits longer than
         * the format holds: exactly half an ulp, or just off it. */
        struct unp u = unpack(f, a);
        if (u.cls != C_FINITE)
            return gen_float(f, false);
        unsigned p = f->fbits + 1;
        unsigned ka = msb64(u.sig) - (unsigned)__builtin_ctzll(u.sig) + 1;
        unsigned kb = p + 1 - ka + (unsigned)(r >> 4) % 2;
        kb = kb > p ? p : kb;
        uint64_t sig = 1ull << (kb - 1) | (rnd() & ((1ull << (kb - 1)) - 1)) | 1;
        return make(f, (r >> 8) & 1, (f->emax_biased >> 1) - 4 + (unsigned)(r >> 9) % 8,
                    sig << (p - kb));
    }
    default: return gen_float(f, false);
    }
}

/* An integer for SCVTF/UCVTF, in a W or X register as the op reads it. */
static uint64_t gen_int(const struct fmt *f, unsigned width)
{
    uint64_t r = rnd(), v;
    unsigned p = f->fbits + 1; /* significand bits of the target */
    unsigned sh = (unsigned)(r >> 16) % 64;

    switch (r % 8) {
    case 0: v = (uint64_t)((int64_t)((r >> 8) % 17) - 8); break;
    case 1: {
        static const uint64_t edge[] = {0x7fffffffull,         0x80000000ull,
                                        0xffffffffull,         0x7fffffffffffffffull,
                                        0x8000000000000000ull, 0xffffffffffffffffull,
                                        0xffffffff80000000ull, 0x100000000ull};
        v = edge[(r >> 8) % 8];
        break;
    }
    case 2:
    case 3:
        /* One bit more than the significand holds, lowest bit set: exactly halfway; or two
         * more, to be just above or below it. */
        v = (rnd() | 1 | 1ull << (p + (r >> 8) % 2)) & ((2ull << (p + (r >> 8) % 2)) - 1);
        v <<= sh % (width > p + 2 ? width - p - 2 : 1);
        break;
    case 4: v = (1ull << sh) + (uint64_t)((int64_t)((r >> 8) % 3) - 1); break;
    default: v = rnd() >> sh; break;
    }
    if ((r >> 7) & 1 && r % 8 >= 2)
        v = -v;
    return width == 32 ? (v & 0xffffffffull) : v;
}

/* A value near an integer for FRINT* and FCVT*: a fraction of 0, 1/4, 1/2 or 3/4, or right at
 * the integer limits. */
static uint64_t gen_near_int(const struct fmt *f)
{
    uint64_t r = rnd();
    bool sign = (r >> 3) & 1;
    unsigned bias = f->emax_biased >> 1;

    switch (r % 6) {
    case 0:
    case 1: {
        /* 2^B * (1 + d ulp), d from -2 to 2, B in {31, 32, 63, 64}. */
        static const unsigned limit[] = {31, 32, 63, 64};
        unsigned b = limit[(r >> 4) % 4];
        int d = (int)((r >> 8) % 5) - 2;
        if (d >= 0)
            return make(f, sign, bias + b, (uint64_t)d);
        return make(f, sign, bias + b - 1, frac_mask(f) - (uint64_t)(-d - 1));
    }
    case 2:
    case 3: {
        unsigned bits = (unsigned)(r >> 8) % 40;
        uint64_t m = (rnd() & ((1ull << bits) - 1)) * 4 + (r >> 16) % 4;
        struct env env = {RN, true, 0};
        return m ? round_pack(f, &env, sign, -2, m, false) : zero_bits(f, sign);
    }
    default: return gen_float(f, false);
    }
}

/* A double near single precision's overflow and underflow thresholds, often with a
 * fraction exactly halfway between two singles. */
static uint64_t gen_narrowing(void)
{
    static const int edge[] = {128, 127, -126, -127, -149, -150, -151};
    uint64_t r = rnd(), frac = rnd();
    int e = edge[(r >> 1) % 7] + (int)((r >> 4) % 3) - 1;

    if ((r >> 6) & 1)
        frac = (frac & ~((1ull << 29) - 1)) | ((r >> 7) & 1) << 28;
    return make(&f64, r & 1, (unsigned)(1023 + e), frac);
}

#pragma GCC pop_options

/* ------------------------------------------------------------------------------------------ */
/* The instructions: set FPCR, clear FPSR, run one instruction, read FPSR. A, B and C arrive in
 * S0/D0, S1/D1 and S2/D2 (or as integers in registers); the result leaves from S0/D0. */

#define HW(name, load, body)                                                                       \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c, uint64_t fpcr, uint64_t *fpsr)        \
    {                                                                                              \
        uint64_t r, s;                                                                             \
        __asm__ volatile(load "\n\tmsr fpcr, %[fpcr]\n\tmsr fpsr, xzr\n\t" body                    \
                         : [r] "=&r"(r), [s] "=&r"(s)                                              \
                         : [a] "r"(a), [b] "r"(b), [c] "r"(c), [fpcr] "r"(fpcr)                    \
                         : "v0", "v1", "v2", "cc");                                                \
        *fpsr = s;                                                                                 \
        return r;                                                                                  \
    }

#define LOAD_S  "fmov s0, %w[a]\n\tfmov s1, %w[b]\n\tfmov s2, %w[c]"
#define LOAD_D  "fmov d0, %[a]\n\tfmov d1, %[b]\n\tfmov d2, %[c]"
#define FLAGS   "\n\tmrs %[s], fpsr"
#define STORE_S FLAGS "\n\tfmov %w[r], s0"
#define STORE_D FLAGS "\n\tfmov %[r], d0"

/* Op Vd, Vn, Vm / Op Vd, Vn / Op Vd, Vn, Vm, Va with Va = A, Vn = B, Vm = C. */
#define HW_BIN(insn)                                                                               \
    HW(hw_##insn##_s, LOAD_S, #insn " s0, s0, s1" STORE_S)                                         \
    HW(hw_##insn##_d, LOAD_D, #insn " d0, d0, d1" STORE_D)
#define HW_UN(insn)                                                                                \
    HW(hw_##insn##_s, LOAD_S, #insn " s0, s0" STORE_S)                                             \
    HW(hw_##insn##_d, LOAD_D, #insn " d0, d0" STORE_D)
#define HW_FMA(insn)                                                                               \
    HW(hw_##insn##_s, LOAD_S, #insn " s0, s1, s2, s0" STORE_S)                                     \
    HW(hw_##insn##_d, LOAD_D, #insn " d0, d1, d2, d0" STORE_D)
#define HW_CMP(name, operands)                                                                     \
    HW(hw_##name##_s, LOAD_S, operands(s) "\n\tmrs %[r], nzcv" FLAGS)                              \
    HW(hw_##name##_d, LOAD_D, operands(d) "\n\tmrs %[r], nzcv" FLAGS)
#define CMP_REGS(v)  "fcmp " #v "0, " #v "1"
#define CMPE_REGS(v) "fcmpe " #v "0, " #v "1"
#define CMPZ_REGS(v) "fcmp " #v "0, #0.0"
/* SCVTF/UCVTF from W (x = w) or X (x = x); FCVT* to W or X. */
#define HW_I2F(insn, x, ax)                                                                        \
    HW(hw_##insn##_##x##_s, LOAD_S, #insn " s0, %" ax "[a]" STORE_S)                               \
    HW(hw_##insn##_##x##_d, LOAD_D, #insn " d0, %" ax "[a]" STORE_D)
#define HW_F2I(insn, x, rx)                                                                        \
    HW(hw_##insn##_##x##_s, LOAD_S, #insn " %" rx "[r], s0" FLAGS)                                 \
    HW(hw_##insn##_##x##_d, LOAD_D, #insn " %" rx "[r], d0" FLAGS)
#define HW_F2I_ALL(insn) HW_F2I(insn, w, "w") HW_F2I(insn, x, "x")

// clang-format off
HW_BIN(fadd) HW_BIN(fsub) HW_BIN(fmul) HW_BIN(fnmul) HW_BIN(fdiv)
HW_BIN(fmin) HW_BIN(fmax) HW_BIN(fminnm) HW_BIN(fmaxnm)
HW_UN(fsqrt) HW_UN(frintn) HW_UN(frintp) HW_UN(frintm) HW_UN(frintz) HW_UN(frinta)
HW_UN(frintx) HW_UN(frinti)
HW_FMA(fmadd) HW_FMA(fmsub) HW_FMA(fnmadd) HW_FMA(fnmsub)
HW_CMP(fcmp, CMP_REGS) HW_CMP(fcmpe, CMPE_REGS) HW_CMP(fcmpz, CMPZ_REGS)
HW_I2F(scvtf, w, "w") HW_I2F(scvtf, x, "x") HW_I2F(ucvtf, w, "w") HW_I2F(ucvtf, x, "x")
HW_F2I_ALL(fcvtns) HW_F2I_ALL(fcvtnu) HW_F2I_ALL(fcvtps) HW_F2I_ALL(fcvtpu)
HW_F2I_ALL(fcvtms) HW_F2I_ALL(fcvtmu) HW_F2I_ALL(fcvtzs) HW_F2I_ALL(fcvtzu)
HW_F2I_ALL(fcvtas) HW_F2I_ALL(fcvtau)
HW(hw_fcvt_s, LOAD_S, "fcvt d0, s0" STORE_D)
HW(hw_fcvt_d, LOAD_D, "fcvt s0, d0" STORE_S)
// clang-format on

#define BOTH(insn)                                                                                 \
    {                                                                                              \
        hw_##insn##_s, hw_##insn##_d                                                               \
    }
#define OP2(insn, code)                                                                            \
    {                                                                                              \
#insn, code, S_BIN, BOTH(insn), 0, 0, 0                                                    \
    }
#define OP1(insn, code, rm)                                                                        \
    {                                                                                              \
#insn, code, S_UN, BOTH(insn), rm, 0, 0                                                    \
    }
#define OP3(insn, code)                                                                            \
    {                                                                                              \
#insn, code, S_FMA, BOTH(insn), 0, 0, 0                                                    \
    }
#define OPI2F(insn, x, w, sg)                                                                      \
    {                                                                                              \
#insn " " #x, OP_I2F, S_INT, BOTH(insn##_##x), 0, w, sg                                    \
    }
#define OPF2I(insn, x, rm, w, sg)                                                                  \
    {                                                                                              \
#insn " " #x, OP_F2I, S_NEARINT, BOTH(insn##_##x), rm, w, sg                               \
    }
#define OPF2I_ALL(insn, rm, sg) OPF2I(insn, w, rm, 32, sg), OPF2I(insn, x, rm, 64, sg)

                                        static const
    struct op ops[] = {
        OP2(fadd, OP_ADD),
        OP2(fsub, OP_SUB),
        OP2(fmul, OP_MUL),
        OP2(fnmul, OP_NMUL),
        OP2(fdiv, OP_DIV),
        OP1(fsqrt, OP_SQRT, 0),
        OP3(fmadd, OP_MADD),
        OP3(fmsub, OP_MSUB),
        OP3(fnmadd, OP_NMADD),
        OP3(fnmsub, OP_NMSUB),
        OP2(fmin, OP_MIN),
        OP2(fmax, OP_MAX),
        OP2(fminnm, OP_MINNM),
        OP2(fmaxnm, OP_MAXNM),
        {"frintn", OP_FRINT, S_NEARINT, BOTH(frintn), RN, 0, 0},
        {"frintp", OP_FRINT, S_NEARINT, BOTH(frintp), RP, 0, 0},
        {"frintm", OP_FRINT, S_NEARINT, BOTH(frintm), RM, 0, 0},
        {"frintz", OP_FRINT, S_NEARINT, BOTH(frintz), RZ, 0, 0},
        {"frinta", OP_FRINT, S_NEARINT, BOTH(frinta), RA, 0, 0},
        {"frinti", OP_FRINT, S_NEARINT, BOTH(frinti), RM_FPCR, 0, 0},
        {"frintx", OP_FRINTX, S_NEARINT, BOTH(frintx), RM_FPCR, 0, 0},
        {"fcvt", OP_FCVT, S_UN, BOTH(fcvt), 0, 0, 0},
        OP2(fcmp, OP_CMP),
        OP2(fcmpe, OP_CMPE),
        {"fcmp #0", OP_CMPZ, S_UN, BOTH(fcmpz), 0, 0, 0},
        OPI2F(scvtf, w, 32, 1),
        OPI2F(scvtf, x, 64, 1),
        OPI2F(ucvtf, w, 32, 0),
        OPI2F(ucvtf, x, 64, 0),
        OPF2I_ALL(fcvtns, RN, 1),
        OPF2I_ALL(fcvtnu, RN, 0),
        OPF2I_ALL(fcvtps, RP, 1),
        OPF2I_ALL(fcvtpu, RP, 0),
        OPF2I_ALL(fcvtms, RM, 1),
        OPF2I_ALL(fcvtmu, RM, 0),
        OPF2I_ALL(fcvtzs, RZ, 1),
        OPF2I_ALL(fcvtzu, RZ, 0),
        OPF2I_ALL(fcvtas, RA, 1),
        OPF2I_ALL(fcvtau, RA, 0),
};

#define NOPS (sizeof(ops) / sizeof(ops[0]))

/* ------------------------------------------------------------------------------------------ */
/* The driver.                                                                                */

struct tally {
    unsigned checked, bad;
};

static unsigned reports;

/* Hex digits of an operand and of a result: the format's, or the integer's. */
static int operand_digits(const struct op *o, const struct fmt *f)
{
    return o->shape == S_INT ? o->width / 4 : (int)f->bits / 4;
}

static int result_digits(const struct op *o, const struct fmt *f)
{
    switch (o->code) {
    case OP_F2I: return o->width / 4;
    case OP_CMP:
    case OP_CMPE:
    case OP_CMPZ: return 8; /* NZCV in bits 31:28 */
    case OP_FCVT: return f == &f32 ? 16 : 8;
    default: return (int)f->bits / 4;
    }
}

static void report(const struct op *o, const struct fmt *f, enum rmode rm, bool dn,
                   const uint64_t *x, int n, uint64_t got, uint64_t got_fpsr, uint64_t want,
                   unsigned want_fpsr)
{
    int od = operand_digits(o, f), rd = result_digits(o, f);

    printf("MISMATCH %s %s %s DN=%d:", f->name, o->name, rmode_name[rm], dn);
    for (int i = 0; i < n; i++)
        printf(" %c=0x%0*lx", "abc"[i], od, x[i]);
    printf("\n    got 0x%0*lx FPSR 0x%02lx, want 0x%0*lx FPSR 0x%02x\n", rd, got, got_fpsr, rd,
           want, want_fpsr);
}

static void check(const struct op *o, const struct fmt *f, enum rmode rm, bool dn, struct tally *t)
{
    uint64_t x[3] = {0, 0, 0};
    int n = 1;

    switch (o->shape) {
    case S_BIN:
        x[0] = gen_float(f, !dn);
        x[1] = gen_partner(f, x[0]);
        n = 2;
        break;
    case S_UN:
        x[0] = o->code == OP_FCVT && f == &f64 && dn && rnd() % 2 ? gen_narrowing()
                                                                  : gen_float(f, !dn);
        break;
    case S_NEARINT: x[0] = dn ? gen_near_int(f) : gen_float(f, true); break;
    case S_INT: x[0] = gen_int(f, o->width); break;
    case S_FMA: {
        uint64_t r = rnd();
        x[1] = gen_float(f, !dn);
        x[2] = gen_partner(f, x[1]);
        if (r % 8 == 0) {
            /* 0 * inf, in either order and with any signs, to meet every kind of addend. */
            x[1 + (r >> 3) % 2] = make(f, (r >> 4) & 1, f->emax_biased, 0);
            x[2 - (r >> 3) % 2] = zero_bits(f, (r >> 5) & 1);
        }
        if (r % 8 == 0 || r % 8 == 1) {
            x[0] = gen_float(f, true);
        } else if (r % 3 == 0) {
            /* The rounded product, negated, plus up to an ulp: massive cancellation. */
            struct env env = {RN, true, 0};
            x[0] = (ref_mul(f, &env, x[1], x[2]) ^ sign_bit(f)) + (r >> 8) % 3 - 1;
            x[0] &= width_mask(f);
        } else {
            x[0] = gen_float(f, !dn);
        }
        n = 3;
        break;
    }
    }

    uint64_t fpcr = (dn ? FPCR_DN : 0) | (uint64_t)rm << FPCR_RMODE, fpsr;
    uint64_t got = o->hw[f == &f64](x[0], x[1], x[2], fpcr, &fpsr);
    struct env env = {rm, dn, 0};
    uint64_t want = reference(o, f, &env, x[0], x[1], x[2]);

    t->checked++;
    if (got == want && (fpsr & FPSR_FLAGS) == env.flags)
        return;
    t->bad++;
    if (reports++ < MAX_REPORTS)
        report(o, f, rm, dn, x, n, got, fpsr & FPSR_FLAGS, want, env.flags);
}

static void run_op(const struct op *o, struct tally *t)
{
    const struct fmt *fmts[2] = {&f32, &f64};

    for (int p = 0; p < 2; p++) {
        for (enum rmode rm = RN; rm <= RZ; rm++) {
            for (int i = 0; i < SETS; i++)
                check(o, fmts[p], rm, true, &t[p]);
        }
        for (int i = 0; i < SETS; i++)
            check(o, fmts[p], RN, false, &t[p]);
    }
}

/* Nothing here should fault: say what did, with the instruction, and stop. */
static void on_exception(struct exc_frame *frame)
{
    printf("fp_softfloat: unexpected exception: ESR 0x%lx (EC 0x%02lx) at 0x%lx, instruction "
           "0x%08x\n",
           frame->esr, frame->esr >> 26, frame->elr, *(const uint32_t *)(uintptr_t)frame->elr);
    guest_exit(2);
}

/* "160 ok" or "160, 3 BAD" */
static void cell(char *buf, size_t size, const struct tally *t)
{
    if (t->bad)
        snprintf(buf, size, "%u, %u BAD", t->checked, t->bad);
    else
        snprintf(buf, size, "%u ok", t->checked);
}

int main(void)
{
    unsigned checked = 0, bad = 0;

    vectors_install_el1(on_exception);
    printf("fp_softfloat: per operation and precision, %d operand sets in each FPCR rounding "
           "mode with DN=1, and %d with DN=0 in RN\n",
           SETS, SETS);
    printf("%-10s %-14s %s\n", "operation", "f32", "f64");
    for (unsigned i = 0; i < NOPS; i++) {
        struct tally t[2] = {{0, 0}, {0, 0}};
        char c32[32], c64[32];
        run_op(&ops[i], t);
        cell(c32, sizeof(c32), &t[0]);
        cell(c64, sizeof(c64), &t[1]);
        printf("%-10s %-14s %s\n", ops[i].name, c32, c64);
        checked += t[0].checked + t[1].checked;
        bad += t[0].bad + t[1].bad;
    }
    __asm__ volatile("msr fpcr, xzr\n\tmsr fpsr, xzr");
    printf("fp_softfloat: %u operations, %u mismatches\n", checked, bad);
    return bad ? 1 : 0;
}
