/* Unit tests for the software floating point (cpu/softfloat.h).
 *
 * Part 1 is known answers, one rule of the Arm ARM (DDI 0487) shared
 * pseudocode per test; each expected value is worked out from the named
 * pseudocode function in the comment next to it.
 *
 * Part 2 is a randomized cross-check against the host FPU (x86 SSE through
 * libm and C conversions), which is IEEE 754 wherever the Arm rules agree
 * with it: FPCR.DN = 1 (x86 propagates NaN payloads differently and its
 * default NaN is negative, so a NaN result is only checked to be Arm's
 * default NaN), FPCR.FZ = 0, each of the four IEEE rounding modes. The
 * flags IOC, DZC, OFC, IXC are compared exactly. UFC is not, because x86
 * detects tininess after rounding and Arm before: where the host result is
 * above the smallest normal both must be clear, and where the host raised
 * underflow Arm must have too (tiny after rounding implies tiny before),
 * the rest is left to the known-answer tests. Operands come from a
 * fixed-seed xorshift generator mixing edge values, values near rounding
 * boundaries and random bits. Half precision is checked against F16C's
 * conversion when the host has it: half +, -, *, /, sqrt are computed in
 * single precision and then rounded to half, which is exact because single
 * has at least 2*11+2 bits (double rounding is then innocuous). */
#include "cpu/softfloat.h"

#include <check.h>
#include <fenv.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define HAVE_X86 1
#endif

#define IOC FPSR_IOC
#define DZC FPSR_DZC
#define OFC FPSR_OFC
#define UFC FPSR_UFC
#define IXC FPSR_IXC
#define IDC FPSR_IDC

#define RM_SHIFT(r) ((uint32_t)(r) << FPCR_RMODE_SHIFT)

/* Single- and double-precision constants. */
#define S_ONE  0x3f800000u
#define S_TWO  0x40000000u
#define S_HALF 0x3f000000u
#define S_MAX  0x7f7fffffu
#define S_MINN 0x00800000u /* smallest normal, 2^-126 */
#define S_INF  0x7f800000u
#define S_DNAN 0x7fc00000u
#define S_NEG  0x80000000u
#define D_ONE  0x3ff0000000000000ull
#define D_DNAN 0x7ff8000000000000ull
#define D_INF  0x7ff0000000000000ull
#define H_ONE  0x3c00u
#define H_INF  0x7c00u
#define H_DNAN 0x7e00u

static struct fp_env env(uint32_t fpcr)
{
    struct fp_env e = {fpcr, 0};
    return e;
}

/* ==== Part 1: known answers ============================================ */

/* ---- FPUnpack: flush-to-zero of inputs -------------------------------- */

START_TEST(test_fz_flushes_input_denormal_sets_idc)
{
    /* FPUnpackBase, single: exp 0, frac != 0, FPCR.FZ = 1 -> FPType_Zero and
     * FPExc_InputDenorm. 1.0 * (-denormal) is then FPZero(sign1 EOR sign2). */
    struct fp_env e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_mul(&e, 32, S_ONE, S_NEG | 1), S_NEG);
    ck_assert_uint_eq(e.fpsr, IDC);
}
END_TEST

START_TEST(test_denormal_input_kept_without_fz)
{
    /* Without FZ the denormal is a value: 1.0 * 2^-149 is exact, no flags. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_mul(&e, 32, S_ONE, 1), 1);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_fz_flushes_double_input_denormal)
{
    struct fp_env e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_add(&e, 64, 0x000fffffffffffffull, 0), 0);
    ck_assert_uint_eq(e.fpsr, IDC);
}
END_TEST

START_TEST(test_fz16_flushes_half_input_denormal_without_idc)
{
    /* FPUnpackBase, half: exp16 0 and FPCR.FZ16 = 1 -> FPType_Zero; the half
     * branch raises no FPExc_InputDenorm. 0x0001 + 0x0001 -> +0, no flags. */
    struct fp_env e = env(FPCR_FZ16);
    ck_assert_uint_eq(fp_add(&e, 16, 0x0001, 0x0001), 0);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_fz_does_not_apply_to_half_arithmetic)
{
    /* FZ is for single and double only: half denormals survive FZ = 1. */
    struct fp_env e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_add(&e, 16, 0x0001, 0x0001), 0x0002);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_fz16_does_not_apply_to_single)
{
    struct fp_env e = env(FPCR_FZ16);
    ck_assert_uint_eq(fp_add(&e, 32, 1, 1), 2);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

/* ---- FPRoundBase: tininess, underflow, flush of outputs --------------- */

START_TEST(test_tininess_before_rounding_sets_ufc)
{
    /* (1 - 2^-24) * 2^-126 = 2^-126 - 2^-150 is tiny before rounding; as a
     * denormal (unit 2^-149) it is halfway between 0x007fffff and 0x00800000
     * and ties to the even one, the smallest normal. FPRoundBase: biased_exp
     * = 0 and error != 0 -> Underflow, then Inexact. x86 would not raise
     * underflow here (tininess after rounding). */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_mul(&e, 32, 0x3f7fffff, S_MINN), S_MINN);
    ck_assert_uint_eq(e.fpsr, UFC | IXC);
}
END_TEST

START_TEST(test_exact_denormal_result_does_not_set_ufc)
{
    /* 2^-126 * 0.5 = 2^-127 is tiny but exact: error == 0, no Underflow. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_mul(&e, 32, S_MINN, S_HALF), 0x00400000);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_fz_flushes_tiny_output_sets_ufc_not_ixc)
{
    /* FPRoundBase: FZ = 1 and exponent < minimum_exp -> FPZero(sign), UFC,
     * and return before the Inexact check. */
    struct fp_env e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_mul(&e, 32, S_NEG | S_MINN, S_HALF), S_NEG);
    ck_assert_uint_eq(e.fpsr, UFC);
}
END_TEST

START_TEST(test_fz_flush_uses_unrounded_exponent)
{
    /* The product that rounds up to the smallest normal without FZ (above)
     * is still flushed: the test is on the exponent before rounding. */
    struct fp_env e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_mul(&e, 32, 0x3f7fffff, S_MINN), 0);
    ck_assert_uint_eq(e.fpsr, UFC);
}
END_TEST

START_TEST(test_fz16_flushes_half_tiny_output)
{
    /* Half arithmetic output flush is FZ16's: 2^-14 * 0.5 -> +0, UFC. */
    struct fp_env e = env(FPCR_FZ16);
    ck_assert_uint_eq(fp_mul(&e, 16, 0x0400, 0x3800), 0);
    ck_assert_uint_eq(e.fpsr, UFC);
    e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_mul(&e, 16, 0x0400, 0x3800), 0x0200);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_denormal_rounds_up_to_smallest_normal_exponent)
{
    /* Double: (2^-1022 - 2^-1075) rounds (RP) to 2^-1022: int_mant reaches
     * 2^F and biased_exp becomes 1. UFC (tiny before rounding) and IXC. */
    struct fp_env e = env(RM_SHIFT(FPROUND_POSINF));
    /* (1 - 2^-53) * 2^-1022 */
    ck_assert_uint_eq(fp_mul(&e, 64, 0x3fefffffffffffffull, 0x0010000000000000ull),
                      0x0010000000000000ull);
    ck_assert_uint_eq(e.fpsr, UFC | IXC);
}
END_TEST

START_TEST(test_tiny_result_below_half_smallest_denormal_rounds_to_zero)
{
    /* 2^-149 * 2^-30: far below the smallest denormal, RN gives +0 with
     * UFC|IXC, RP gives the smallest denormal. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_mul(&e, 32, 1, 0x30800000), 0);
    ck_assert_uint_eq(e.fpsr, UFC | IXC);
    e = env(RM_SHIFT(FPROUND_POSINF));
    ck_assert_uint_eq(fp_mul(&e, 32, 1, 0x30800000), 1);
    ck_assert_uint_eq(e.fpsr, UFC | IXC);
}
END_TEST

/* ---- Overflow ---------------------------------------------------------- */

START_TEST(test_overflow_by_rounding_mode)
{
    /* FPRoundBase: biased_exp >= 2^E - 1 -> infinity if overflow_to_inf else
     * FPMaxNormal; OFC and, via error = 1.0, IXC. overflow_to_inf: RN always,
     * RP for positive, RM for negative, RZ never. */
    static const struct {
        enum fp_rounding r;
        uint32_t a;
        uint32_t want;
    } rows[] = {
        {FPROUND_TIEEVEN, S_MAX, S_INF}, {FPROUND_TIEEVEN, S_NEG | S_MAX, S_NEG | S_INF},
        {FPROUND_POSINF, S_MAX, S_INF},  {FPROUND_POSINF, S_NEG | S_MAX, S_NEG | S_MAX},
        {FPROUND_NEGINF, S_MAX, S_MAX},  {FPROUND_NEGINF, S_NEG | S_MAX, S_NEG | S_INF},
        {FPROUND_ZERO, S_MAX, S_MAX},    {FPROUND_ZERO, S_NEG | S_MAX, S_NEG | S_MAX},
    };
    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct fp_env e = env(RM_SHIFT(rows[i].r));
        ck_assert_uint_eq(fp_mul(&e, 32, rows[i].a, S_TWO), rows[i].want);
        ck_assert_uint_eq(e.fpsr, OFC | IXC);
    }
}
END_TEST

START_TEST(test_half_overflow)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_add(&e, 16, 0x7bff, 0x7bff), H_INF);
    ck_assert_uint_eq(e.fpsr, OFC | IXC);
}
END_TEST

/* ---- NaN processing ---------------------------------------------------- */

START_TEST(test_snan_priority_over_qnan)
{
    /* FPProcessNaNs: a signalling NaN in either operand beats a quiet NaN in
     * the first; it is quietened (top fraction bit set), with IOC. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_add(&e, 32, 0x7fc00001, 0x7f800002), 0x7fc00002);
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

START_TEST(test_first_qnan_propagates_without_ioc)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_mul(&e, 32, 0xffc00011, 0x7fc00022), 0xffc00011);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_first_snan_wins_over_second_snan)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_sub(&e, 64, 0xfff0000000000001ull, 0x7ff0000000000002ull),
                      0xfff8000000000001ull);
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

START_TEST(test_sub_does_not_negate_nan_operand)
{
    /* FPSub processes op2 as given; only the value is negated. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_sub(&e, 32, S_ONE, 0x7fc00003), 0x7fc00003);
}
END_TEST

START_TEST(test_dn_gives_default_nan)
{
    /* FPProcessNaN: FPCR.DN = 1 -> FPDefaultNaN (positive, quiet, payload 0). */
    struct fp_env e = env(FPCR_DN);
    ck_assert_uint_eq(fp_add(&e, 32, 0xffc12345, S_ONE), S_DNAN);
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_div(&e, 64, 0x7ff0000000000001ull, D_ONE), D_DNAN);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(FPCR_DN);
    ck_assert_uint_eq(fp_sqrt(&e, 16, 0xfd00), H_DNAN);
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

START_TEST(test_invalid_operations_give_default_nan)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_add(&e, 32, S_INF, S_NEG | S_INF), S_DNAN); /* inf - inf */
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_mul(&e, 32, S_NEG, S_INF), S_DNAN); /* 0 * inf */
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_div(&e, 32, 0, S_NEG), S_DNAN); /* 0 / 0 */
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_sqrt(&e, 32, S_NEG | S_ONE), S_DNAN);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_sqrt(&e, 32, S_NEG | S_INF), S_DNAN);
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

START_TEST(test_default_nan_patterns)
{
    ck_assert_uint_eq(fp_default_nan(16), H_DNAN);
    ck_assert_uint_eq(fp_default_nan(32), S_DNAN);
    ck_assert_uint_eq(fp_default_nan(64), D_DNAN);
    ck_assert(fp_is_nan(32, 0xff800001));
    ck_assert(!fp_is_nan(32, 0xff800000));
    ck_assert(fp_is_snan(16, 0x7c01));
    ck_assert(!fp_is_snan(16, 0x7e00));
}
END_TEST

/* ---- Division, square root, signed zeros ------------------------------ */

START_TEST(test_divide_by_zero_sets_dzc)
{
    /* FPDiv: inf1 || zero2 -> infinity; DivideByZero only if !inf1. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_div(&e, 32, S_NEG | S_ONE, 0), S_NEG | S_INF);
    ck_assert_uint_eq(e.fpsr, DZC);
    e = env(0);
    ck_assert_uint_eq(fp_div(&e, 32, S_INF, 0), S_INF);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_fz_denormal_divisor_divides_by_zero)
{
    struct fp_env e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_div(&e, 32, S_ONE, 5), S_INF);
    ck_assert_uint_eq(e.fpsr, DZC | IDC);
}
END_TEST

START_TEST(test_sqrt_of_negative_zero_is_negative_zero)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_sqrt(&e, 64, 0x8000000000000000ull), 0x8000000000000000ull);
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_sqrt(&e, 32, 0x40800000), S_TWO); /* sqrt(4) exact */
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_sqrt(&e, 32, S_TWO), 0x3fb504f3); /* sqrt(2) RN */
    ck_assert_uint_eq(e.fpsr, IXC);
}
END_TEST

START_TEST(test_exact_zero_sum_sign_follows_rounding_mode)
{
    /* FPAdd: result_value == 0 -> FPZero('1' if RM else '0'); zeros of the
     * same sign keep it. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_add(&e, 32, S_ONE, S_NEG | S_ONE), 0);
    e = env(RM_SHIFT(FPROUND_NEGINF));
    ck_assert_uint_eq(fp_add(&e, 32, S_ONE, S_NEG | S_ONE), S_NEG);
    ck_assert_uint_eq(fp_add(&e, 32, 0, S_NEG), S_NEG);
    e = env(0);
    ck_assert_uint_eq(fp_add(&e, 32, 0, S_NEG), 0);
    ck_assert_uint_eq(fp_add(&e, 32, S_NEG, S_NEG), S_NEG);
    ck_assert_uint_eq(fp_sub(&e, 32, S_NEG, 0), S_NEG);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_abd_clears_sign_also_of_nan)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_abd(&e, 32, S_ONE, 0x40400000), S_TWO); /* |1 - 3| */
    ck_assert_uint_eq(fp_abd(&e, 32, 0xffc00001, S_ONE), 0x7fc00001);
}
END_TEST

START_TEST(test_mulx_zero_times_inf_is_two)
{
    /* FPMulX: (inf1 && zero2) || (zero1 && inf2) -> FPTwo(sign1 EOR sign2). */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_mulx(&e, 32, S_NEG, S_INF), S_NEG | S_TWO);
    ck_assert_uint_eq(fp_mulx(&e, 64, D_INF, 0), 0x4000000000000000ull);
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_mulx(&e, 32, 0x40400000, S_TWO), 0x40c00000); /* otherwise FPMul */
}
END_TEST

/* ---- FPMulAdd ----------------------------------------------------------- */

START_TEST(test_muladd_rounds_once)
{
    /* (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly; separate rounding of the
     * product would give 1.0 and a zero sum. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_muladd(&e, 32, S_NEG | S_ONE, 0x3f800001, 0x3f7ffffe), 0xa8800000);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_muladd_addend_nan_comes_first)
{
    /* FPProcessNaNs3(typeA, type1, type2): signalling NaNs in order A, 1, 2,
     * then quiet NaNs in the same order. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_muladd(&e, 32, 0x7fc00001, 0x7fc00002, S_ONE), 0x7fc00001);
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_muladd(&e, 32, 0x7fc00001, S_ONE, 0x7f800003), 0x7fc00003);
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

START_TEST(test_muladd_qnan_addend_with_zero_times_inf_is_default_nan)
{
    /* FPMulAdd: typeA == QNaN && ((inf1 && zero2) || (zero1 && inf2)) ->
     * FPDefaultNaN and Invalid Operation, even with DN = 0. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_muladd(&e, 32, 0x7fc00005, 0, S_INF), S_DNAN);
    ck_assert_uint_eq(e.fpsr, IOC);
    /* A signalling NaN product operand keeps priority over the rule. */
    e = env(0);
    ck_assert_uint_eq(fp_muladd(&e, 32, 0x7fc00005, 0x7f800001, S_INF), 0x7fc00001);
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

START_TEST(test_muladd_inf_product_minus_inf_addend_is_invalid)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_muladd(&e, 32, S_NEG | S_INF, S_INF, S_ONE), S_DNAN);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_muladd(&e, 32, S_INF, S_NEG | S_ONE, S_MAX), S_INF);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_muladd_zero_sums)
{
    /* Same-signed zeros keep their sign; -0 + (+0 * x) is an exact zero whose
     * sign follows the rounding mode. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_muladd(&e, 32, S_NEG, S_NEG | S_ONE, 0), S_NEG);
    ck_assert_uint_eq(fp_muladd(&e, 32, S_NEG, S_ONE, 0), 0);
    e = env(RM_SHIFT(FPROUND_NEGINF));
    ck_assert_uint_eq(fp_muladd(&e, 32, 0, S_NEG | S_ONE, 0), S_NEG);
    ck_assert_uint_eq(fp_muladd(&e, 32, S_NEG | S_ONE, S_ONE, S_ONE), S_NEG);
}
END_TEST

/* ---- Max and min ------------------------------------------------------- */

START_TEST(test_fmax_fmin_zero_signs)
{
    /* FPMax: both zero -> sign1 AND sign2 (+0 wins); FPMin: OR (-0 wins). */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_max(&e, 32, S_NEG, 0), 0);
    ck_assert_uint_eq(fp_max(&e, 32, 0, S_NEG), 0);
    ck_assert_uint_eq(fp_min(&e, 32, 0, S_NEG), S_NEG);
    ck_assert_uint_eq(fp_min(&e, 32, S_NEG, 0), S_NEG);
    ck_assert_uint_eq(fp_maxnm(&e, 64, 0x8000000000000000ull, 0), 0);
    ck_assert_uint_eq(fp_minnm(&e, 64, 0, 0x8000000000000000ull), 0x8000000000000000ull);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_fmax_propagates_quiet_nan)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_max(&e, 32, S_ONE, 0x7fc00009), 0x7fc00009);
    ck_assert_uint_eq(fp_min(&e, 32, 0xffc00009, S_ONE), 0xffc00009);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_maxnm_quiet_nan_loses_to_number)
{
    /* FPMaxNum: a single quiet NaN becomes -inf (FPMinNum: +inf). */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_maxnm(&e, 32, 0x7fc00009, S_NEG | S_ONE), S_NEG | S_ONE);
    ck_assert_uint_eq(fp_minnm(&e, 32, S_ONE, 0xffc00009), S_ONE);
    ck_assert_uint_eq(fp_maxnm(&e, 32, 0x7fc00009, S_NEG | S_INF), S_NEG | S_INF);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_maxnm_signalling_nan_still_propagates)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_maxnm(&e, 32, 0x7f800009, S_ONE), 0x7fc00009);
    ck_assert_uint_eq(e.fpsr, IOC);
    /* quiet NaN with signalling NaN: the qNaN is not replaced... but the
     * sNaN wins FPProcessNaNs either way. */
    e = env(0);
    ck_assert_uint_eq(fp_minnm(&e, 32, 0x7fc00001, 0x7f800002), 0x7fc00002);
    ck_assert_uint_eq(e.fpsr, IOC);
    /* two quiet NaNs: the first. */
    e = env(0);
    ck_assert_uint_eq(fp_maxnm(&e, 32, 0x7fc00001, 0x7fc00002), 0x7fc00001);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_max_of_denormal_under_fz_is_flushed)
{
    /* FPMax works on the unpacked values: a flushed denormal is a zero. */
    struct fp_env e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_max(&e, 32, 5, S_NEG), 0);
    ck_assert_uint_eq(e.fpsr, IDC);
    e = env(0);
    ck_assert_uint_eq(fp_max(&e, 32, 5, S_NEG), 5);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

/* ---- Compare ------------------------------------------------------------ */

START_TEST(test_fcmp_unordered_and_signalling)
{
    /* FPCompare: NaN -> '0011'; IOC on an SNaN, or any NaN if signal_nans. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_compare(&e, 32, 0x7fc00000, S_ONE, false), 0x3);
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_compare(&e, 32, 0x7fc00000, S_ONE, true), 0x3);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_compare(&e, 32, S_ONE, 0x7f800001, false), 0x3);
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

START_TEST(test_fcmp_ordered_results)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_compare(&e, 32, S_NEG, 0, false), 0x6);     /* -0 == +0: Z C */
    ck_assert_uint_eq(fp_compare(&e, 32, S_ONE, S_TWO, false), 0x8); /* less: N */
    ck_assert_uint_eq(fp_compare(&e, 32, S_INF, S_MAX, false), 0x2); /* greater: C */
    ck_assert_uint_eq(fp_compare(&e, 64, 0x8000000000000001ull, 0, false), 0x8);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_vector_compare_eq_is_quiet_ge_gt_signal)
{
    struct fp_env e = env(0);
    ck_assert(!fp_compare_eq(&e, 32, 0x7fc00000, 0x7fc00000));
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert(!fp_compare_ge(&e, 32, 0x7fc00000, S_ONE));
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert(!fp_compare_gt(&e, 32, S_ONE, 0x7fc00000));
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert(fp_compare_eq(&e, 32, S_NEG, 0));
    ck_assert(fp_compare_ge(&e, 32, S_NEG, 0));
    ck_assert(!fp_compare_gt(&e, 32, S_NEG, 0));
    ck_assert(fp_compare_gt(&e, 16, H_INF, 0x7bff));
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert(!fp_compare_eq(&e, 32, 0x7f800001, S_ONE));
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

/* ---- FPRoundInt ---------------------------------------------------------- */

START_TEST(test_round_int_modes)
{
    /* FPRoundInt: RoundDown, then round_up by mode; TIEAWAY: error == 0.5
     * rounds up when int_result >= 0, so -2.5 -> -3 (away from zero). */
    static const struct {
        enum fp_rounding r;
        uint32_t a, want;
    } rows[] = {
        {FPROUND_TIEEVEN, 0x40200000, 0x40000000}, /* 2.5 -> 2 */
        {FPROUND_TIEEVEN, 0x40600000, 0x40800000}, /* 3.5 -> 4 */
        {FPROUND_TIEAWAY, 0x40200000, 0x40400000}, /* 2.5 -> 3 */
        {FPROUND_TIEAWAY, 0xc0200000, 0xc0400000}, /* -2.5 -> -3 */
        {FPROUND_POSINF, 0xbfc00000, 0xbf800000},  /* -1.5 -> -1 */
        {FPROUND_NEGINF, 0xbfc00000, 0xc0000000},  /* -1.5 -> -2 */
        {FPROUND_ZERO, 0xbfc00000, 0xbf800000},    /* -1.5 -> -1 */
        {FPROUND_ZERO, 0xbe800000, 0x80000000},    /* -0.25 -> -0 */
        {FPROUND_POSINF, 0x00000001, S_ONE},       /* smallest denormal -> 1 */
        {FPROUND_TIEEVEN, 0x4b000001, 0x4b000001}, /* 2^23 + 1 is integral */
    };
    for (unsigned i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct fp_env e = env(0);
        ck_assert_uint_eq(fp_round_int(&e, 32, rows[i].a, rows[i].r, false), rows[i].want);
        ck_assert_uint_eq(e.fpsr, 0);
    }
}
END_TEST

START_TEST(test_round_int_ixc_only_when_exact_requested)
{
    /* FRINTX (exact) raises Inexact when the value changed; FRINTI does not. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_round_int(&e, 64, 0x3ff8000000000000ull, FPROUND_TIEEVEN, true),
                      0x4000000000000000ull);
    ck_assert_uint_eq(e.fpsr, IXC);
    e = env(0);
    ck_assert_uint_eq(fp_round_int(&e, 64, 0x3ff8000000000000ull, FPROUND_TIEEVEN, false),
                      0x4000000000000000ull);
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_round_int(&e, 64, D_ONE, FPROUND_TIEEVEN, true), D_ONE);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_round_int_processes_nan)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_round_int(&e, 32, 0xff800001, FPROUND_ZERO, false), 0xffc00001);
    ck_assert_uint_eq(e.fpsr, IOC);
    ck_assert_uint_eq(fp_round_int(&e, 16, 0xfc00, FPROUND_ZERO, true), 0xfc00);
}
END_TEST

/* ---- FPToFixed / FixedToFP ---------------------------------------------- */

START_TEST(test_to_fixed_nan_gives_zero_with_ioc)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, 0x7fc00000, 0, false, FPROUND_ZERO, 32), 0);
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

START_TEST(test_to_fixed_saturates_with_ioc_not_ixc)
{
    /* SatQ overflow -> Invalid Operation, and no Inexact even if inexact. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, 0x4f400001, 0, false, FPROUND_ZERO, 32), 0x7fffffff);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, 0xcf400000, 0, false, FPROUND_ZERO, 32), 0x80000000);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_to_fixed(&e, 64, 0xbff8000000000000ull, 0, true, FPROUND_ZERO, 64), 0);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, S_NEG | S_INF, 0, false, FPROUND_ZERO, 64),
                      0x8000000000000000ull);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, S_INF, 0, true, FPROUND_ZERO, 32), 0xffffffffu);
    ck_assert_uint_eq(e.fpsr, IOC);
    /* 2^31 - 0.5 rounds (RN) to 2^31, out of range. */
    e = env(0);
    ck_assert_uint_eq(fp_to_fixed(&e, 64, 0x41dfffffffe00000ull, 0, false, FPROUND_TIEEVEN, 32),
                      0x7fffffff);
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

START_TEST(test_to_fixed_min_signed_is_in_range)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_to_fixed(&e, 64, 0xc3e0000000000000ull, 0, false, FPROUND_ZERO, 64),
                      0x8000000000000000ull);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_to_fixed_inexact_sets_ixc)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, 0x40200000, 0, false, FPROUND_TIEEVEN, 32), 2);
    ck_assert_uint_eq(e.fpsr, IXC);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, 0x40200000, 0, false, FPROUND_TIEAWAY, 32), 3);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, 0xc0200000, 0, false, FPROUND_TIEAWAY, 32), 0xfffffffd);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, 0xbfc00000, 0, false, FPROUND_NEGINF, 64),
                      0xfffffffffffffffeull);
}
END_TEST

START_TEST(test_to_fixed_negative_fraction_to_unsigned_rounds_to_zero)
{
    /* -0.25 toward zero is 0: in range, so IXC, not IOC. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, 0xbe800000, 0, true, FPROUND_ZERO, 32), 0);
    ck_assert_uint_eq(e.fpsr, IXC);
}
END_TEST

START_TEST(test_to_fixed_fraction_bits_scale)
{
    /* 1.25 * 2^2 = 5; -1.25 * 2^4 = -20 (FCVTZS Wd, Sn, #4). */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, 0x3fa00000, 2, true, FPROUND_ZERO, 32), 5);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, 0xbfa00000, 4, false, FPROUND_ZERO, 32), 0xffffffec);
    ck_assert_uint_eq(fp_to_fixed(&e, 16, 0x3c00, 64, true, FPROUND_ZERO, 64),
                      0xffffffffffffffffull); /* 2^64: saturates */
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

START_TEST(test_to_fixed_denormal_under_fz_sets_idc)
{
    struct fp_env e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, 0x00000001, 0, false, FPROUND_POSINF, 32), 0);
    ck_assert_uint_eq(e.fpsr, IDC);
    e = env(0);
    ck_assert_uint_eq(fp_to_fixed(&e, 32, 0x00000001, 0, false, FPROUND_POSINF, 32), 1);
    ck_assert_uint_eq(e.fpsr, IXC);
}
END_TEST

START_TEST(test_from_fixed_rounds_and_scales)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_from_fixed(&e, 64, 0x8000000000000000ull, 0, false, 64, FPROUND_ZERO),
                      0xc3e0000000000000ull); /* -2^63 exact */
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_from_fixed(&e, 32, ~0ull, 0, true, 64, FPROUND_TIEEVEN),
                      0x5f800000); /* 2^64 - 1 -> 2^64 */
    ck_assert_uint_eq(e.fpsr, IXC);
    e = env(0);
    ck_assert_uint_eq(fp_from_fixed(&e, 32, 0xffffffffu, 0, false, 32, FPROUND_ZERO),
                      S_NEG | S_ONE);
    ck_assert_uint_eq(fp_from_fixed(&e, 32, 6, 2, true, 32, FPROUND_ZERO), 0x3fc00000);
    ck_assert_uint_eq(fp_from_fixed(&e, 16, 0, 5, false, 32, FPROUND_ZERO), 0);
    ck_assert_uint_eq(e.fpsr, 0);
    /* 65520 does not fit half: overflow to inf in RN. */
    ck_assert_uint_eq(fp_from_fixed(&e, 16, 65520, 0, false, 32, FPROUND_TIEEVEN), H_INF);
    ck_assert_uint_eq(e.fpsr, OFC | IXC);
}
END_TEST

START_TEST(test_fjcvtzs_flushed_denormal_clears_z)
{
    /* FPToFixedJS: "elsif sign == '0' && value == 0.0 && !IsZero(op<51:0>)
     * then Z = '0'": a positive denormal flushed by FZ gives 0 but not Z.
     * (qemu 7.2 sets Z here; later qemu follows the pseudocode.) */
    struct fp_env e = env(FPCR_FZ);
    bool z;
    ck_assert_uint_eq(fp_to_fixed_js(&e, 0x0000000000000001ull, &z), 0);
    ck_assert(!z);
    ck_assert_uint_eq(e.fpsr, IDC);
    e = env(0);
    ck_assert_uint_eq(fp_to_fixed_js(&e, 0, &z), 0);
    ck_assert(z);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_fjcvtzs_modulo_and_z_flag)
{
    /* FPToFixedJS: toward zero, modulo 2^32; Z only when exact, in range,
     * and not -0. */
    struct fp_env e = env(0);
    bool z;
    ck_assert_uint_eq(fp_to_fixed_js(&e, 0xbff0000000000000ull, &z), 0xffffffffu);
    ck_assert(z);
    ck_assert_uint_eq(fp_to_fixed_js(&e, 0xc1e0000000000000ull, &z), 0x80000000u); /* -2^31 */
    ck_assert(z);
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_to_fixed_js(&e, 0x8000000000000000ull, &z), 0);
    ck_assert(!z);
    ck_assert_uint_eq(fp_to_fixed_js(&e, 0x3ff8000000000000ull, &z), 1);
    ck_assert(!z);
    ck_assert_uint_eq(e.fpsr, IXC);
    e = env(0);
    ck_assert_uint_eq(fp_to_fixed_js(&e, 0x41f0000000500000ull, &z), 5); /* 2^32 + 5 */
    ck_assert(!z);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_to_fixed_js(&e, D_DNAN, &z), 0);
    ck_assert(!z);
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

/* ---- FPConvert ------------------------------------------------------------ */

START_TEST(test_convert_to_alternative_half_has_no_infinity)
{
    /* AHP: exponent 31 is normal, so 65536 fits (0x7c00); 2^17 exceeds the
     * largest (131008): FPRoundBase saturates to sign:Ones, Invalid, no
     * Inexact. IEEE half overflows to infinity. */
    struct fp_env e = env(FPCR_AHP);
    ck_assert_uint_eq(fp_convert(&e, 32, 16, 0x47800000, FPROUND_TIEEVEN), 0x7c00);
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_convert(&e, 32, 16, 0xc8000000, FPROUND_TIEEVEN), 0xffff);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_convert(&e, 32, 16, 0x47800000, FPROUND_TIEEVEN), H_INF);
    ck_assert_uint_eq(e.fpsr, OFC | IXC);
}
END_TEST

START_TEST(test_convert_to_alternative_half_nan_and_inf_are_invalid)
{
    /* FPConvert, alt_hp: a NaN gives FPZero(sign), an infinity sign:Ones;
     * both Invalid Operation (a quiet NaN too). */
    struct fp_env e = env(FPCR_AHP);
    ck_assert_uint_eq(fp_convert(&e, 32, 16, 0xffc00000, FPROUND_TIEEVEN), 0x8000);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(FPCR_AHP);
    ck_assert_uint_eq(fp_convert(&e, 64, 16, D_INF, FPROUND_TIEEVEN), 0x7fff);
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

START_TEST(test_convert_from_alternative_half)
{
    /* FPUnpackCV keeps AHP: 0x7c00 is 65536, 0xffff is -131008. */
    struct fp_env e = env(FPCR_AHP);
    ck_assert_uint_eq(fp_convert(&e, 16, 32, 0x7c00, FPROUND_TIEEVEN), 0x47800000);
    ck_assert_uint_eq(fp_convert(&e, 16, 64, 0xffff, FPROUND_TIEEVEN), 0xc0fffc0000000000ull);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_arithmetic_ignores_ahp)
{
    /* FPUnpack and FPRound clear AHP: 0x7c00 is infinity in a half FADD. */
    struct fp_env e = env(FPCR_AHP);
    ck_assert_uint_eq(fp_add(&e, 16, H_INF, H_ONE), H_INF);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_convert_half_ignores_fz16)
{
    /* FPUnpackCV and FPRoundCV clear FZ16: half denormals convert exactly. */
    struct fp_env e = env(FPCR_FZ16);
    ck_assert_uint_eq(fp_convert(&e, 16, 32, 0x0001, FPROUND_TIEEVEN), 0x33800000); /* 2^-24 */
    ck_assert_uint_eq(fp_convert(&e, 32, 16, 0x33800000, FPROUND_TIEEVEN), 0x0001);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_convert_single_double_follow_fz)
{
    /* ... but FZ still applies to a single or double side. */
    struct fp_env e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_convert(&e, 32, 64, 0x80000001, FPROUND_TIEEVEN), 0x8000000000000000ull);
    ck_assert_uint_eq(e.fpsr, IDC);
    e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_convert(&e, 64, 32, 0x3800000000000000ull, FPROUND_TIEEVEN), 0);
    ck_assert_uint_eq(e.fpsr, UFC); /* 2^-127 flushed */
    e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_convert(&e, 16, 32, 0x0001, FPROUND_TIEEVEN), 0x33800000);
    ck_assert_uint_eq(fp_convert(&e, 32, 16, 0x33800000, FPROUND_TIEEVEN), 0x0001);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_convert_nan_keeps_payload_top_bits)
{
    /* FPConvertNaN: op<50:0> (double) repacked as sign:Ones:frac<50:29>. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_convert(&e, 64, 32, 0xfff4000000000001ull, FPROUND_TIEEVEN), 0xffe00000);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_convert(&e, 32, 64, 0x7fc00001, FPROUND_TIEEVEN), 0x7ff8000020000000ull);
    ck_assert_uint_eq(fp_convert(&e, 16, 32, 0x7d01, FPROUND_TIEEVEN), 0x7fe02000);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(FPCR_DN);
    ck_assert_uint_eq(fp_convert(&e, 32, 16, 0x7fc00001, FPROUND_TIEEVEN), H_DNAN);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_round_to_odd_for_fcvtxn)
{
    /* FPRoundBase with FPRounding_ODD: truncate, then set int_mant<0> if
     * inexact. 1 + 2^-24 (a tie) and 1 + 2^-30 both give 0x3f800001; exact
     * values are unchanged; overflow goes to the largest normal. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_convert(&e, 64, 32, 0x3ff0000010000000ull, FPROUND_ODD), 0x3f800001);
    ck_assert_uint_eq(fp_convert(&e, 64, 32, 0x3ff0000000400000ull, FPROUND_ODD), 0x3f800001);
    ck_assert_uint_eq(e.fpsr, IXC);
    e = env(0);
    ck_assert_uint_eq(fp_convert(&e, 64, 32, 0x3ff0000020000000ull, FPROUND_ODD), 0x3f800001);
    ck_assert_uint_eq(fp_convert(&e, 64, 32, D_ONE, FPROUND_ODD), S_ONE);
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_convert(&e, 64, 32, 0x47f0000000000000ull, FPROUND_ODD), S_MAX);
    ck_assert_uint_eq(e.fpsr, OFC | IXC);
}
END_TEST

/* ---- Estimates and steps --------------------------------------------------- */

START_TEST(test_recpe_known_values)
{
    /* FPRecipEstimate(1.0): scaled = 256, RecipEstimate(256) = (2^19 DIV 513
     * + 1) DIV 2 = 511, fraction 0xff, exponent 2045 - 1023 / 253 - 127. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_recpe(&e, 64, D_ONE), 0x3feff00000000000ull);
    ck_assert_uint_eq(fp_recpe(&e, 32, S_ONE), 0x3f7f8000);
    ck_assert_uint_eq(fp_recpe(&e, 16, H_ONE), 0x3bfc);
    ck_assert_uint_eq(fp_recpe(&e, 32, 0xc0000000), 0xbeff8000); /* -2 -> -0.499 */
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_recpe_denormal_result)
{
    /* 2^127: result_exp = 253 - 254 = -1 -> fraction '01':fraction<51:2>,
     * exponent 0: 0x003fe000. 2^126: result_exp 0 -> '1':fraction<51:1>. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_recpe(&e, 32, 0x7f000000), 0x003fe000);
    ck_assert_uint_eq(fp_recpe(&e, 32, 0x7e800000), 0x007fc000);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_recpe_special_cases)
{
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_recpe(&e, 32, S_NEG), S_NEG | S_INF); /* zero -> inf, DZC */
    ck_assert_uint_eq(e.fpsr, DZC);
    e = env(0);
    ck_assert_uint_eq(fp_recpe(&e, 32, S_INF), 0);
    ck_assert_uint_eq(e.fpsr, 0);
    /* |value| < 2^-128: overflow; inf or max normal by rounding mode. */
    ck_assert_uint_eq(fp_recpe(&e, 32, 0x00100000), S_INF);
    ck_assert_uint_eq(e.fpsr, OFC | IXC);
    e = env(RM_SHIFT(FPROUND_ZERO));
    ck_assert_uint_eq(fp_recpe(&e, 32, 0x80100000), S_NEG | S_MAX);
    ck_assert_uint_eq(e.fpsr, OFC | IXC);
    /* 2^-128 itself is not below the bound: the estimate goes through. */
    e = env(0);
    ck_assert_uint_eq(fp_recpe(&e, 32, 0x00200000), 0x7f7f8000);
    ck_assert_uint_eq(e.fpsr, 0);
    /* FZ and |value| >= 2^126: flushed result, UFC. */
    e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_recpe(&e, 32, 0x7e800000), 0);
    ck_assert_uint_eq(e.fpsr, UFC);
    /* FZ and a denormal operand: zero -> infinity, IDC and DZC. */
    e = env(FPCR_FZ);
    ck_assert_uint_eq(fp_recpe(&e, 32, 0x00100000), S_INF);
    ck_assert_uint_eq(e.fpsr, IDC | DZC);
    e = env(0);
    ck_assert_uint_eq(fp_recpe(&e, 16, 0x0001), H_INF); /* 2^-24 < 2^-16 */
    ck_assert_uint_eq(e.fpsr, OFC | IXC);
}
END_TEST

START_TEST(test_rsqrte_known_values_and_specials)
{
    /* FPRSqrtEstimate(1.0): exp 127 odd -> scaled '01':fraction = 128;
     * RecipSqrtEstimate(128): a = 257, the loop stops at b = 1021 (257 * 1022^2
     * >= 2^28), estimate (1021 + 1) DIV 2 = 511; result_exp (380 - 127) DIV 2
     * = 126. 4.0 (exp 129) has the same estimate, exponent 125. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_rsqrte(&e, 32, S_ONE), 0x3f7f8000);
    ck_assert_uint_eq(fp_rsqrte(&e, 32, 0x40800000), 0x3eff8000); /* 4.0 */
    ck_assert_uint_eq(fp_rsqrte(&e, 64, D_ONE), 0x3feff00000000000ull);
    ck_assert_uint_eq(fp_rsqrte(&e, 16, H_ONE), 0x3bfc);
    /* 2.0 (exp 128, even): scaled '1':fraction = 256, a = 514, b = 722,
     * estimate 361 (0x169), result_exp (380 - 128) DIV 2 = 126: 0.705. */
    ck_assert_uint_eq(fp_rsqrte(&e, 32, S_TWO), 0x3f348000);
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_rsqrte(&e, 32, S_NEG), S_NEG | S_INF);
    ck_assert_uint_eq(e.fpsr, DZC);
    e = env(0);
    ck_assert_uint_eq(fp_rsqrte(&e, 32, S_NEG | S_ONE), S_DNAN);
    ck_assert_uint_eq(e.fpsr, IOC);
    e = env(0);
    ck_assert_uint_eq(fp_rsqrte(&e, 32, S_INF), 0);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_rsqrte_denormal_operand)
{
    /* Smallest single denormal 2^-149: the fraction is shifted until bit 51
     * is set (exp goes 0 -> -22), once more, dropping the leading one; exp
     * even -> scaled 256, RecipSqrtEstimate(256) = 361 as for 2.0;
     * result_exp = (380 + 22) DIV 2 = 201: 0x64b48000, 1.41 * 2^74. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_rsqrte(&e, 32, 1), 0x64b48000);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_recpx)
{
    /* FPRecpX: exponent inverted, fraction zeroed; zero/denormal exponent ->
     * the largest finite exponent. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_recpx(&e, 32, 0x3fc00000), 0x40000000); /* 1.5 -> 2 */
    ck_assert_uint_eq(fp_recpx(&e, 32, 0x80000005), 0xff000000);
    ck_assert_uint_eq(fp_recpx(&e, 32, S_INF), 0);
    ck_assert_uint_eq(fp_recpx(&e, 16, 0x0000), 0x7800);
    ck_assert_uint_eq(e.fpsr, 0);
    ck_assert_uint_eq(fp_recpx(&e, 32, 0x7f800001), 0x7fc00001);
    ck_assert_uint_eq(e.fpsr, IOC);
}
END_TEST

/* RecipSqrtEstimate exactly as the pseudocode writes it, the loop included. */
static unsigned ref_recip_sqrt_estimate(unsigned a)
{
    if (a < 256) {
        a = a * 2 + 1;
    } else {
        a = (a >> 1) << 1;
        a = (a + 1) * 2;
    }
    unsigned b = 512;
    while ((uint64_t)a * (b + 1) * (b + 1) < (1u << 28))
        b++;
    return (b + 1) / 2;
}

START_TEST(test_ursqrte_matches_pseudocode_loop)
{
    for (uint32_t top = 0; top < 512; top++) {
        uint32_t a = top << 23 | 0x1234;
        uint32_t want = top < 128 ? 0xffffffffu : ref_recip_sqrt_estimate(top) << 23;
        ck_assert_uint_eq(fp_ursqrte(a), want);
    }
}
END_TEST

START_TEST(test_urecpe)
{
    /* UnsignedRecipEstimate: below 0x80000000 -> all ones; else
     * RecipEstimate(operand<31:23>):Zeros(23). */
    ck_assert_uint_eq(fp_urecpe(0x7fffffff), 0xffffffffu);
    ck_assert_uint_eq(fp_urecpe(0x80000000), 511u << 23);
    /* a = 511 * 2 + 1 = 1023, 2^19 DIV 1023 = 512, (512 + 1) DIV 2 = 256 */
    ck_assert_uint_eq(fp_urecpe(0xffffffff), 256u << 23);
}
END_TEST

START_TEST(test_recps_rsqrts_steps)
{
    /* FPRecipStepFused: 2 - a*b; inf * 0 -> 2.0. FPRSqrtStepFused: (3 - a*b)/2;
     * inf * 0 -> 1.5. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_recps(&e, 32, S_TWO, S_HALF), S_ONE);
    ck_assert_uint_eq(fp_recps(&e, 32, S_INF, S_NEG), S_TWO);
    ck_assert_uint_eq(fp_recps(&e, 32, S_INF, S_ONE), S_NEG | S_INF);
    ck_assert_uint_eq(fp_rsqrts(&e, 32, S_ONE, S_ONE), S_ONE);
    ck_assert_uint_eq(fp_rsqrts(&e, 64, 0, D_INF), 0x3ff8000000000000ull);
    ck_assert_uint_eq(fp_rsqrts(&e, 16, 0x3800, 0x4000), H_ONE); /* (3 - 0.5 * 2) / 2 */
    ck_assert_uint_eq(fp_rsqrts(&e, 16, 0x4200, H_ONE), 0);      /* (3 - 3) / 2: exact +0 */
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_recps_negates_nan_first_operand)
{
    /* The pseudocode negates op1 before FPProcessNaNs: its NaN comes out with
     * the sign flipped. */
    struct fp_env e = env(0);
    ck_assert_uint_eq(fp_recps(&e, 32, 0x7fc00001, S_ONE), 0xffc00001);
    ck_assert_uint_eq(fp_rsqrts(&e, 32, S_ONE, 0x7fc00002), 0x7fc00002);
    ck_assert_uint_eq(e.fpsr, 0);
}
END_TEST

START_TEST(test_rounding_mode_from_fpcr)
{
    ck_assert_int_eq(fp_fpcr_rounding(0), FPROUND_TIEEVEN);
    ck_assert_int_eq(fp_fpcr_rounding(1u << 22), FPROUND_POSINF);
    ck_assert_int_eq(fp_fpcr_rounding(2u << 22), FPROUND_NEGINF);
    ck_assert_int_eq(fp_fpcr_rounding(3u << 22 | FPCR_FZ), FPROUND_ZERO);
}
END_TEST

/* ==== Part 2: randomized cross-check against the host FPU ================= */

#define CASES_PER_OP 200000

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t xorshift(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static const int host_modes[4] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
static const enum fp_rounding arm_modes[4] = {FPROUND_TIEEVEN, FPROUND_POSINF, FPROUND_NEGINF,
                                              FPROUND_ZERO};

struct fmtinfo {
    unsigned fsize, fbits, ebits;
};

static struct fmtinfo finfo(unsigned fsize)
{
    return fsize == 16   ? (struct fmtinfo){16, 10, 5}
           : fsize == 32 ? (struct fmtinfo){32, 23, 8}
                         : (struct fmtinfo){64, 52, 11};
}

static uint64_t mask_bits(unsigned n)
{
    return n == 64 ? ~0ull : (1ull << n) - 1;
}

/* An operand: edge values, values near rounding boundaries, random bits. */
static uint64_t gen_operand(unsigned fsize)
{
    struct fmtinfo f = finfo(fsize);
    uint64_t emax = mask_bits(f.ebits);
    uint64_t sign = (xorshift() & 1) << (fsize - 1);
    uint64_t frac_mask = mask_bits(f.fbits);
    uint64_t r = xorshift();
    uint64_t exp, frac;

    switch (r % 10) {
    case 0: { /* edge values */
        const uint64_t q = 1ull << (f.fbits - 1);
        const uint64_t edges[] = {
            0,
            1,                                    /* smallest denormal */
            frac_mask,                            /* largest denormal */
            1ull << f.fbits,                      /* smallest normal */
            ((emax - 1) << f.fbits) | frac_mask,  /* largest normal */
            emax << f.fbits,                      /* infinity */
            (emax << f.fbits) | q,                /* quiet NaN */
            (emax << f.fbits) | 1,                /* signalling NaN */
            (emax >> 1) << f.fbits,               /* 1.0 */
            ((emax >> 1) << f.fbits) | frac_mask, /* 2 - ulp */
            ((emax >> 1) << f.fbits) | 1,         /* 1 + ulp */
            ((emax >> 1) - 1) << f.fbits | frac_mask,
        };
        return sign | edges[(r >> 8) % (sizeof edges / sizeof edges[0])];
    }
    case 1: /* denormals */ return sign | ((r >> 8) & frac_mask);
    case 2: /* near the bottom of the normal range */
        exp = 1 + ((r >> 8) % 4);
        return sign | (exp << f.fbits) | ((r >> 16) & frac_mask);
    case 3: /* near the top */
        exp = emax - 1 - ((r >> 8) % 3);
        return sign | (exp << f.fbits) | ((r >> 16) & frac_mask);
    case 4: /* few fraction bits: exact halfway cases in sums and products */
        exp = (emax >> 1) - 8 + ((r >> 8) % 16);
        frac = ((r >> 16) & 7) << (f.fbits - 3);
        frac |= (r >> 20) & 1;
        return sign | (exp << f.fbits) | frac;
    case 5: /* mid-range with random fraction */
        exp = (emax >> 1) - 20 + ((r >> 8) % 40);
        return sign | (exp << f.fbits) | ((r >> 16) & frac_mask);
    default: /* random bits */ return r & mask_bits(fsize);
    }
}

/* A second operand close to the first (cancellation, ties, equal exponents). */
static uint64_t gen_near(unsigned fsize, uint64_t a)
{
    uint64_t r = xorshift();
    uint64_t delta = (r >> 8) % 8;
    uint64_t b = (r & 1) ? a + delta : a - delta;
    if (r & 2)
        b ^= 1ull << (fsize - 1);
    if ((r & 12) == 0) /* shift the exponent a little */
        b += ((r >> 16) % 30) << finfo(fsize).fbits;
    return b & mask_bits(fsize);
}

static uint32_t host_flags_to_fpsr(int ex)
{
    uint32_t f = 0;
    if (ex & FE_INVALID)
        f |= IOC;
    if (ex & FE_DIVBYZERO)
        f |= DZC;
    if (ex & FE_OVERFLOW)
        f |= OFC;
    if (ex & FE_UNDERFLOW)
        f |= UFC;
    if (ex & FE_INEXACT)
        f |= IXC;
    return f;
}

enum host_op { H_ADD, H_SUB, H_MUL, H_DIV, H_SQRT, H_FMA };
static const char *const op_names[] = {"add", "sub", "mul", "div", "sqrt", "fma"};

static float f_of(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static uint32_t u_of_f(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static double d_of(uint64_t u)
{
    double d;
    memcpy(&d, &u, 8);
    return d;
}

static uint64_t u_of_d(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

/* The host computes in the current rounding mode; volatile keeps each
 * operation between the flag clear and the flag read. */
static __attribute__((noinline)) uint64_t host_op(enum host_op op, unsigned fsize, uint64_t a,
                                                  uint64_t b, uint64_t c, uint32_t *flags)
{
    uint64_t res;
    feclearexcept(FE_ALL_EXCEPT);
    if (fsize == 32) {
        volatile float x = f_of((uint32_t)a), y = f_of((uint32_t)b), z = f_of((uint32_t)c);
        volatile float r;
        switch (op) {
        case H_ADD: r = x + y; break;
        case H_SUB: r = x - y; break;
        case H_MUL: r = x * y; break;
        case H_DIV: r = x / y; break;
        case H_SQRT: r = sqrtf(x); break;
        default: r = fmaf(x, y, z); break;
        }
        res = u_of_f(r);
    } else {
        volatile double x = d_of(a), y = d_of(b), z = d_of(c);
        volatile double r;
        switch (op) {
        case H_ADD: r = x + y; break;
        case H_SUB: r = x - y; break;
        case H_MUL: r = x * y; break;
        case H_DIV: r = x / y; break;
        case H_SQRT: r = sqrt(x); break;
        default: r = fma(x, y, z); break;
        }
        res = u_of_d(r);
    }
    *flags = host_flags_to_fpsr(fetestexcept(FE_ALL_EXCEPT));
    return res;
}

static uint64_t arm_op(enum host_op op, struct fp_env *e, unsigned fsize, uint64_t a, uint64_t b,
                       uint64_t c)
{
    switch (op) {
    case H_ADD: return fp_add(e, fsize, a, b);
    case H_SUB: return fp_sub(e, fsize, a, b);
    case H_MUL: return fp_mul(e, fsize, a, b);
    case H_DIV: return fp_div(e, fsize, a, b);
    case H_SQRT: return fp_sqrt(e, fsize, a);
    default: return fp_muladd(e, fsize, c, a, b); /* c + a*b, as fma(a, b, c) */
    }
}

struct xcheck {
    unsigned cases, tiny, failures;
};

/* Compare one Arm result with the host's: bits (a NaN must be Arm's default
 * NaN), IOC/DZC/OFC/IXC exactly, UFC as the header comment says. */
static void compare_result(struct xcheck *xc, const char *what, unsigned fsize, uint64_t a,
                           uint64_t b, uint64_t c, int mode, uint64_t got, uint32_t got_flags,
                           uint64_t want, uint32_t want_flags)
{
    struct fmtinfo f = finfo(fsize);
    uint64_t mag = want & mask_bits(fsize - 1);
    bool want_nan = mag > (mask_bits(f.ebits) << f.fbits);
    uint64_t want_bits = want_nan ? fp_default_nan(fsize) : want;
    uint32_t exact_mask = IOC | DZC | OFC | IXC | IDC;
    bool ok = got == want_bits && (got_flags & exact_mask) == (want_flags & exact_mask);

    xc->cases++;
    if (!want_nan && mag <= (1ull << f.fbits) && (mag != 0 || (want_flags & IXC))) {
        xc->tiny++; /* tiny after rounding on the host: UFC one way only */
        if ((want_flags & UFC) && !(got_flags & UFC))
            ok = false;
    } else if ((got_flags & UFC) != (want_flags & UFC)) {
        ok = false;
    }
    if (!ok && xc->failures++ < 10)
        fprintf(stderr,
                "%s f%u mode %d: a=%#" PRIx64 " b=%#" PRIx64 " c=%#" PRIx64 ": got %#" PRIx64
                " fpsr %#x, host %#" PRIx64 " flags %#x\n",
                what, fsize, mode, a, b, c, got, got_flags, want_bits, want_flags);
}

static bool zero_times_inf(unsigned fsize, uint64_t a, uint64_t b)
{
    struct fmtinfo f = finfo(fsize);
    uint64_t inf = mask_bits(f.ebits) << f.fbits, m = mask_bits(fsize - 1);
    return ((a & m) == 0 && (b & m) == inf) || ((a & m) == inf && (b & m) == 0);
}

static void xcheck_arith(enum host_op op, unsigned fsize)
{
    struct xcheck xc = {0, 0, 0};
    for (unsigned i = 0; xc.cases < CASES_PER_OP; i++) {
        unsigned m = i & 3;
        uint64_t a = gen_operand(fsize);
        uint64_t b = (xorshift() & 3) == 0 ? gen_near(fsize, a) : gen_operand(fsize);
        uint64_t c = gen_operand(fsize);
        if (op == H_FMA && (xorshift() & 1)) {
            /* An addend near -a*b exercises cancellation and tiny results. */
            fesetround(FE_TONEAREST);
            uint32_t ignored;
            c = host_op(H_MUL, fsize, a, b, 0, &ignored) ^ (1ull << (fsize - 1));
            c = gen_near(fsize, c);
        }
        if (op == H_FMA && zero_times_inf(fsize, a, b) && fp_is_nan(fsize, c) &&
            !fp_is_snan(fsize, c))
            continue; /* IEEE leaves Invalid to the implementation here; Arm raises it */
        fesetround(host_modes[m]);
        uint32_t hflags;
        uint64_t want = host_op(op, fsize, a, b, c, &hflags);
        fesetround(FE_TONEAREST);
        struct fp_env e = env(FPCR_DN | RM_SHIFT(arm_modes[m]));
        uint64_t got = arm_op(op, &e, fsize, a, b, c);
        compare_result(&xc, op_names[op], fsize, a, b, c, m, got, e.fpsr, want, hflags);
    }
    ck_assert_msg(xc.failures == 0, "%s f%u: %u of %u cases differ from the host", op_names[op],
                  fsize, xc.failures, xc.cases);
    fprintf(stderr, "%s f%u: %u cases, %u tiny\n", op_names[op], fsize, xc.cases, xc.tiny);
}

START_TEST(test_host_add_f32)
{
    xcheck_arith(H_ADD, 32);
}
END_TEST
START_TEST(test_host_add_f64)
{
    xcheck_arith(H_ADD, 64);
}
END_TEST
START_TEST(test_host_sub_f32)
{
    xcheck_arith(H_SUB, 32);
}
END_TEST
START_TEST(test_host_sub_f64)
{
    xcheck_arith(H_SUB, 64);
}
END_TEST
START_TEST(test_host_mul_f32)
{
    xcheck_arith(H_MUL, 32);
}
END_TEST
START_TEST(test_host_mul_f64)
{
    xcheck_arith(H_MUL, 64);
}
END_TEST
START_TEST(test_host_div_f32)
{
    xcheck_arith(H_DIV, 32);
}
END_TEST
START_TEST(test_host_div_f64)
{
    xcheck_arith(H_DIV, 64);
}
END_TEST
START_TEST(test_host_sqrt_f32)
{
    xcheck_arith(H_SQRT, 32);
}
END_TEST
START_TEST(test_host_sqrt_f64)
{
    xcheck_arith(H_SQRT, 64);
}
END_TEST
START_TEST(test_host_fma_f32)
{
    xcheck_arith(H_FMA, 32);
}
END_TEST
START_TEST(test_host_fma_f64)
{
    xcheck_arith(H_FMA, 64);
}
END_TEST

/* ---- Float to integer: llrint in each mode is FCVT[NPMZ]S --------------- */

static __attribute__((noinline)) long long host_llrint(unsigned fsize, uint64_t a, uint32_t *flags)
{
    long long r;
    feclearexcept(FE_ALL_EXCEPT);
    if (fsize == 32) {
        volatile float x = f_of((uint32_t)a);
        r = llrintf(x);
    } else {
        volatile double x = d_of(a);
        r = llrint(x);
    }
    *flags = host_flags_to_fpsr(fetestexcept(FE_ALL_EXCEPT));
    return r;
}

/* The host's answer to FPToFixed(fbits 0): llrint gives the rounded integer
 * (or FE_INVALID when it does not fit 64 signed bits); narrower or unsigned
 * ranges saturate with IOC and no IXC, as SatQ does. */
static uint64_t host_to_int(unsigned fsize, uint64_t a, bool is_unsigned, unsigned isize,
                            uint32_t *flags)
{
    struct fmtinfo f = finfo(fsize);
    bool neg = a >> (fsize - 1);
    bool nan = (a & mask_bits(fsize - 1)) > (mask_bits(f.ebits) << f.fbits);
    double v = fsize == 32 ? (double)f_of((uint32_t)a) : d_of(a);
    long long r = host_llrint(fsize, a, flags);

    if (nan)
        return 0; /* flags: invalid */
    if (*flags & IOC) {
        /* beyond 64 signed bits: an unsigned 64-bit value in [2^63, 2^64)
         * is integral, so it converts exactly */
        if (is_unsigned && isize == 64 && !neg && v < 18446744073709551616.0) {
            *flags = 0;
            return (uint64_t)v;
        }
        *flags = IOC;
        return neg ? (is_unsigned ? 0 : 1ull << (isize - 1)) : mask_bits(isize - !is_unsigned);
    }
    __int128 lo = is_unsigned ? 0 : -((__int128)1 << (isize - 1));
    __int128 hi = is_unsigned ? ((__int128)1 << isize) - 1 : ((__int128)1 << (isize - 1)) - 1;
    if (r < lo || r > hi) {
        *flags = IOC;
        return (uint64_t)(r < lo ? lo : hi) & mask_bits(isize);
    }
    return (uint64_t)r & mask_bits(isize);
}

static void xcheck_to_int(unsigned fsize)
{
    struct xcheck xc = {0, 0, 0};
    for (unsigned i = 0; i < CASES_PER_OP; i++) {
        unsigned m = i & 3;
        bool is_unsigned = (i >> 2) & 1;
        unsigned isize = (i >> 3) & 1 ? 64 : 32;
        uint64_t a = gen_operand(fsize);
        if (xorshift() & 1) { /* values around the integer ranges */
            struct fmtinfo f = finfo(fsize);
            uint64_t bias = mask_bits(f.ebits) >> 1;
            uint64_t exp = bias + (xorshift() % 66);
            a = (a & ~(mask_bits(f.ebits) << f.fbits)) | (exp << f.fbits);
        }
        fesetround(host_modes[m]);
        uint32_t hflags;
        uint64_t want = host_to_int(fsize, a, is_unsigned, isize, &hflags);
        fesetround(FE_TONEAREST);
        struct fp_env e = env(FPCR_DN | RM_SHIFT(arm_modes[m]));
        uint64_t got = fp_to_fixed(&e, fsize, a, 0, is_unsigned, arm_modes[m], isize);
        uint32_t keep = IOC | IXC | IDC;
        xc.cases++;
        if ((got != want || (e.fpsr & keep) != (hflags & keep)) && xc.failures++ < 10)
            fprintf(stderr,
                    "to_int f%u %s%u mode %d: a=%#" PRIx64 ": got %#" PRIx64
                    " fpsr %#x, host %#" PRIx64 " flags %#x\n",
                    fsize, is_unsigned ? "u" : "s", isize, m, a, got, e.fpsr, want, hflags);
    }
    ck_assert_msg(xc.failures == 0, "to_int f%u: %u of %u cases differ", fsize, xc.failures,
                  xc.cases);
}

START_TEST(test_host_to_int_f32)
{
    xcheck_to_int(32);
}
END_TEST
START_TEST(test_host_to_int_f64)
{
    xcheck_to_int(64);
}
END_TEST

/* ---- Integer to float --------------------------------------------------------- */

/* The host's signed 64-bit conversion in the current rounding mode. On x86
 * this is the instruction itself: compilers (clang) may otherwise pick
 * sequences that are only right in round-to-nearest. */
static float host_i64_to_f32(int64_t v)
{
#ifdef HAVE_X86
    float r;
    __asm__ volatile("cvtsi2ssq %1, %0" : "=x"(r) : "r"(v) : "memory");
    return r;
#else
    volatile int64_t in = v;
    return (float)in;
#endif
}

static double host_i64_to_f64(int64_t v)
{
#ifdef HAVE_X86
    double r;
    __asm__ volatile("cvtsi2sdq %1, %0" : "=x"(r) : "r"(v) : "memory");
    return r;
#else
    volatile int64_t in = v;
    return (double)in;
#endif
}

/* Unsigned 64-bit values of 2^63 and more: halve, keeping the lost bit as a
 * sticky bit far below the rounding point, convert, double exactly. */
static uint64_t host_u64_to_fp(unsigned fsize, uint64_t v)
{
    bool big = v >> 63;
    int64_t h = (int64_t)(big ? (v >> 1) | (v & 1) : v);
    if (fsize == 32) {
        volatile float r = host_i64_to_f32(h);
        if (big)
            r = r + r;
        return u_of_f(r);
    }
    volatile double r = host_i64_to_f64(h);
    if (big)
        r = r + r;
    return u_of_d(r);
}

static __attribute__((noinline)) uint64_t
host_from_int(unsigned fsize, uint64_t v, bool is_unsigned, unsigned isize, uint32_t *flags)
{
    uint64_t res;
    feclearexcept(FE_ALL_EXCEPT);
    if (isize == 32) /* the same value widened: exact */
        v = is_unsigned ? (uint32_t)v : (uint64_t)(int64_t)(int32_t)(uint32_t)v;
    if (is_unsigned && isize == 64)
        res = host_u64_to_fp(fsize, v);
    else if (fsize == 32)
        res = u_of_f(host_i64_to_f32((int64_t)v));
    else
        res = u_of_d(host_i64_to_f64((int64_t)v));
    *flags = host_flags_to_fpsr(fetestexcept(FE_ALL_EXCEPT));
    return res;
}

static void xcheck_from_int(unsigned fsize)
{
    struct xcheck xc = {0, 0, 0};
    for (unsigned i = 0; i < CASES_PER_OP; i++) {
        unsigned m = i & 3;
        bool is_unsigned = (i >> 2) & 1;
        unsigned isize = (i >> 3) & 1 ? 64 : 32;
        uint64_t v = xorshift();
        switch (xorshift() % 4) {
        case 0: v >>= xorshift() % 64; break;               /* any magnitude */
        case 1: v = (v & 0xff) << (xorshift() % 56); break; /* few bits: ties */
        case 2: v = ((v & 0x7) | (1ull << 63)) >> (xorshift() % 64); break;
        default: break;
        }
        if (xorshift() & 1)
            v = (uint64_t)0 - v;
        v &= mask_bits(isize);
        fesetround(host_modes[m]);
        uint32_t hflags;
        uint64_t want = host_from_int(fsize, v, is_unsigned, isize, &hflags);
        fesetround(FE_TONEAREST);
        struct fp_env e = env(FPCR_DN | RM_SHIFT(arm_modes[m]));
        uint64_t got = fp_from_fixed(&e, fsize, v, 0, is_unsigned, isize, arm_modes[m]);
        compare_result(&xc, is_unsigned ? "ucvtf" : "scvtf", fsize, v, isize, 0, m, got, e.fpsr,
                       want, hflags);
    }
    ck_assert_msg(xc.failures == 0, "from_int f%u: %u of %u cases differ", fsize, xc.failures,
                  xc.cases);
}

START_TEST(test_host_from_int_f32)
{
    xcheck_from_int(32);
}
END_TEST
START_TEST(test_host_from_int_f64)
{
    xcheck_from_int(64);
}
END_TEST

/* ---- Float to float conversions ------------------------------------------ */

static __attribute__((noinline)) uint64_t host_convert(unsigned from, uint64_t a, uint32_t *flags)
{
    uint64_t res;
    feclearexcept(FE_ALL_EXCEPT);
    if (from == 64) {
        volatile double x = d_of(a);
        volatile float r = (float)x;
        res = u_of_f(r);
    } else {
        volatile float x = f_of((uint32_t)a);
        volatile double r = x;
        res = u_of_d(r);
    }
    *flags = host_flags_to_fpsr(fetestexcept(FE_ALL_EXCEPT));
    return res;
}

START_TEST(test_host_convert_single_double)
{
    struct xcheck xc = {0, 0, 0};
    for (unsigned i = 0; i < CASES_PER_OP; i++) {
        unsigned m = i & 3;
        unsigned from = (i >> 2) & 1 ? 64 : 32, to = 96 - from;
        uint64_t a = gen_operand(from);
        if (from == 64 && (xorshift() & 1)) { /* exponents near the single range */
            uint64_t exp = 1023 - 160 + xorshift() % 300;
            a = (a & ~(0x7ffull << 52)) | (exp << 52);
        }
        fesetround(host_modes[m]);
        uint32_t hflags;
        uint64_t want = host_convert(from, a, &hflags);
        fesetround(FE_TONEAREST);
        struct fp_env e = env(FPCR_DN | RM_SHIFT(arm_modes[m]));
        uint64_t got = fp_convert(&e, from, to, a, arm_modes[m]);
        compare_result(&xc, "fcvt", to, a, from, 0, m, got, e.fpsr, want, hflags);
    }
    ck_assert_msg(xc.failures == 0, "fcvt: %u of %u cases differ", xc.failures, xc.cases);
}
END_TEST

/* ---- Half precision through F16C ------------------------------------------ */

#ifdef HAVE_X86
/* F16C, and the OS saving the AVX state its VEX encoding needs. */
static bool host_has_f16c(void)
{
    unsigned a, b, c, d, lo, hi;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return false;
    if (!(c & (1u << 29)) || !(c & (1u << 27))) /* F16C, OSXSAVE */
        return false;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    (void)hi;
    return (lo & 6) == 6; /* XMM and YMM state enabled */
}

/* The conversion instructions themselves, in the current rounding mode
 * (imm 4: MXCSR.RC); asm with a memory clobber so that no compiler moves
 * them across feclearexcept/fetestexcept. */
static uint16_t host_f32_to_f16(float x)
{
    unsigned r;
    __asm__ volatile("vcvtps2ph $4, %1, %%xmm15\n\tvmovd %%xmm15, %0"
                     : "=r"(r)
                     : "x"(x)
                     : "xmm15", "memory");
    return (uint16_t)r;
}

static float host_f16_to_f32(uint16_t h)
{
    float r;
    unsigned in = h;
    __asm__ volatile("vmovd %1, %%xmm15\n\tvcvtph2ps %%xmm15, %0"
                     : "=x"(r)
                     : "r"(in)
                     : "xmm15", "memory");
    return r;
}

static __attribute__((noinline)) uint64_t host_half_op(enum host_op op, uint64_t a, uint64_t b,
                                                       uint32_t *flags)
{
    volatile float x = host_f16_to_f32((uint16_t)a), y = host_f16_to_f32((uint16_t)b);
    volatile float r;
    feclearexcept(FE_ALL_EXCEPT);
    switch (op) {
    case H_ADD: r = x + y; break;
    case H_SUB: r = x - y; break;
    case H_MUL: r = x * y; break;
    case H_DIV: r = x / y; break;
    default: r = sqrtf(x); break;
    }
    uint16_t h = host_f32_to_f16(r);
    *flags = host_flags_to_fpsr(fetestexcept(FE_ALL_EXCEPT));
    return h;
}

START_TEST(test_host_half_arithmetic_and_conversion)
{
    if (!host_has_f16c()) {
        fprintf(stderr, "host has no F16C: half cross-check skipped\n");
        return;
    }
    struct xcheck xc = {0, 0, 0};
    for (unsigned i = 0; xc.cases < 2 * CASES_PER_OP; i++) {
        unsigned m = i & 3;
        enum host_op op = (enum host_op)((i >> 2) % 5);
        uint64_t a = gen_operand(16);
        uint64_t b = (xorshift() & 3) == 0 ? gen_near(16, a) : gen_operand(16);
        if (fp_is_snan(16, a) || fp_is_snan(16, b))
            continue; /* widening to single would already quieten them */
        fesetround(host_modes[m]);
        uint32_t hflags;
        uint64_t want = host_half_op(op, a, b, &hflags);
        fesetround(FE_TONEAREST);
        struct fp_env e = env(FPCR_DN | RM_SHIFT(arm_modes[m]));
        uint64_t got = arm_op(op, &e, 16, a, b, 0);
        /* double rounding may misplace the host's underflow flag */
        compare_result(&xc, op_names[op], 16, a, b, 0, m, got, e.fpsr & ~UFC, want, hflags & ~UFC);

        /* single -> half conversion, directly comparable */
        uint64_t s = gen_operand(32);
        if ((xorshift() & 1)) {
            uint64_t exp = 127 - 30 + xorshift() % 50;
            s = (s & ~(0xffull << 23)) | (exp << 23);
        }
        fesetround(host_modes[m]);
        feclearexcept(FE_ALL_EXCEPT);
        volatile float sf = f_of((uint32_t)s);
        want = host_f32_to_f16(sf);
        hflags = host_flags_to_fpsr(fetestexcept(FE_ALL_EXCEPT));
        fesetround(FE_TONEAREST);
        e = env(FPCR_DN | RM_SHIFT(arm_modes[m]));
        got = fp_convert(&e, 32, 16, s, arm_modes[m]);
        compare_result(&xc, "fcvt-h", 16, s, 0, 0, m, got, e.fpsr, want, hflags);
    }
    ck_assert_msg(xc.failures == 0, "half: %u of %u cases differ", xc.failures, xc.cases);
}
END_TEST
#else
START_TEST(test_host_half_arithmetic_and_conversion)
{
    fprintf(stderr, "not an x86 host: half cross-check skipped\n");
}
END_TEST
#endif

/* ==== Part 3: the fast paths against the general paths ===================
 *
 * Every function with an inline fast path (cpu/softfloat_fast.h) must give
 * the bits and the FPSR flags of its general path, fp_NAME_general, which
 * is the pseudocode transcription the tests above check. Each operation and
 * format runs DIFF_CASES cases (SOFTFLOAT_DIFF_CASES in the environment
 * overrides it), cycling through the 16 combinations of FPCR.RMode, FZ and
 * DN (AHP and FZ16 random), from a random FPSR. The operands aim at the
 * fast paths and their edges: normal numbers with random and with few
 * fraction bits (ties), exponents at which results become tiny or
 * overflow, exact cancellation, exact quotients and roots, integers near
 * the saturation limits, a sprinkling of zeros, denormals, infinities and
 * NaNs, and stray bits above the format. Each test also reports how many
 * of its cases the fast path took. */

#define DIFF_CASES 2000000u

static uint64_t drng = 0x2545f4914f6cdd1dull;

static uint64_t drand(void)
{
    drng ^= drng << 13;
    drng ^= drng >> 7;
    drng ^= drng << 17;
    return drng;
}

/* A value of format f with biased exponent exp and fraction frac, sign random. */
static uint64_t dmake(struct fmtinfo f, uint64_t exp, uint64_t frac)
{
    return ((drand() & 1) << (f.fsize - 1)) | ((exp & mask_bits(f.ebits)) << f.fbits) |
           (frac & mask_bits(f.fbits));
}

/* A fraction: random, few bits (ties), or all ones minus a little (carries). */
static uint64_t dfrac(struct fmtinfo f)
{
    uint64_t r = drand();
    switch (r % 4) {
    case 0: return (r >> 8) & (mask_bits(3) << (f.fbits - 3));
    case 1: return mask_bits(f.fbits) - ((r >> 8) % 4);
    default: return r >> 8;
    }
}

/* An operand of format fsize for the fast-path tests. */
static uint64_t dgen(unsigned fsize)
{
    struct fmtinfo f = finfo(fsize);
    uint64_t bias = mask_bits(f.ebits) >> 1, emax = mask_bits(f.ebits);
    uint64_t r = drand(), k = (r >> 8) % (f.fbits + 4);
    if (r % 16 < 5) /* around 1, within 2^+-40 */
        return dmake(f, bias - 40 + (r >> 8) % 81, dfrac(f));
    switch (r % 16) {
    case 5: return dmake(f, 1 + k, dfrac(f));        /* at the bottom: tiny results */
    case 6: return dmake(f, emax - 1 - k, dfrac(f)); /* at the top: overflow */
    case 7: /* around bias/2 and 3*bias/2: products and quotients at the limits */
        return dmake(f, ((r >> 4) & 1 ? bias / 2 : bias + bias / 2) - 4 + k % 9, dfrac(f));
    case 8: return dmake(f, 1 + (r >> 8) % (emax - 1), dfrac(f)); /* any normal */
    case 9: return dmake(f, 0, 0);                                /* a zero */
    case 10: return gen_operand(fsize); /* edge values, denormals, inf, NaN, random bits */
    case 11:                            /* junk above the format, which every function ignores */
        return fsize == 64 ? dmake(f, bias + (r >> 8) % 8, dfrac(f))
                           : dmake(f, bias + (r >> 8) % 8, dfrac(f)) | (drand() << fsize);
    default: return dmake(f, bias - 8 + (r >> 8) % 17, dfrac(f));
    }
}

/* A second operand: near the first a quarter of the time. */
static uint64_t dgen2(unsigned fsize, uint64_t a)
{
    if ((drand() & 3) == 0) {
        uint64_t r = drand(), delta = (r >> 8) % 4;
        uint64_t b = ((r & 1) ? a + delta : a - delta) ^ ((r >> 1 & 1) << (fsize - 1));
        return b & mask_bits(fsize);
    }
    return dgen(fsize);
}

/* One case: the inputs (for the report) and what each path gave, the
 * public function (fast path, else general) with environment fe and the
 * general path with ge. Whether the fast path took the case is found by
 * running it (sf_NAME, cpu/softfloat_fast.h) once more on a scratch copy
 * of the environment. */
struct dcase {
    unsigned fsize;
    uint32_t fpcr;
    uint64_t op[3];
    unsigned param; /* other arguments, packed, for the report */
    uint64_t got, want;
    bool fast;
};

typedef void dcase_fn(struct dcase *c, struct fp_env *fe, struct fp_env *ge);

static void d_add(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    struct fp_env scratch = *fe;
    uint64_t sr;
    uint64_t a = dgen(c->fsize), b = dgen2(c->fsize, a);
    c->op[0] = a, c->op[1] = b;
    c->fast = sf_add(&scratch, c->fsize, a & mask_bits(c->fsize), b & mask_bits(c->fsize), &sr);
    c->got = fp_add(fe, c->fsize, a, b);
    c->want = fp_add_general(ge, c->fsize, a, b);
}

static void d_sub(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    struct fp_env scratch = *fe;
    uint64_t sr;
    uint64_t a = dgen(c->fsize), b = dgen2(c->fsize, a);
    c->op[0] = a, c->op[1] = b;
    c->fast = sf_add(&scratch, c->fsize, a & mask_bits(c->fsize),
                     (b ^ (1ull << (c->fsize - 1))) & mask_bits(c->fsize), &sr);
    c->got = fp_sub(fe, c->fsize, a, b);
    c->want = fp_sub_general(ge, c->fsize, a, b);
}

static void d_abd(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    struct fp_env scratch = *fe;
    uint64_t sr;
    uint64_t a = dgen(c->fsize), b = dgen2(c->fsize, a);
    c->op[0] = a, c->op[1] = b;
    c->fast = sf_add(&scratch, c->fsize, a & mask_bits(c->fsize),
                     (b ^ (1ull << (c->fsize - 1))) & mask_bits(c->fsize), &sr);
    c->got = fp_abd(fe, c->fsize, a, b);
    c->want = fp_sub_general(ge, c->fsize, a, b) & mask_bits(c->fsize - 1);
}

static void d_mul(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    struct fp_env scratch = *fe;
    uint64_t sr;
    uint64_t a = dgen(c->fsize), b = dgen(c->fsize);
    c->op[0] = a, c->op[1] = b;
    c->fast = sf_mul(&scratch, c->fsize, a & mask_bits(c->fsize), b & mask_bits(c->fsize), &sr);
    c->got = fp_mul(fe, c->fsize, a, b);
    c->want = fp_mul_general(ge, c->fsize, a, b);
}

static void d_mulx(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    struct fp_env scratch = *fe;
    uint64_t sr;
    uint64_t a = dgen(c->fsize), b = dgen(c->fsize);
    c->op[0] = a, c->op[1] = b;
    c->fast = sf_mul(&scratch, c->fsize, a & mask_bits(c->fsize), b & mask_bits(c->fsize), &sr);
    c->got = fp_mulx(fe, c->fsize, a, b);
    c->want = fp_mulx_general(ge, c->fsize, a, b);
}

/* Dividends are often an exact multiple of the divisor. */
static void d_div(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    struct fp_env scratch = *fe;
    uint64_t sr;
    uint64_t a = dgen(c->fsize), b = dgen(c->fsize);
    if ((drand() & 3) == 0) {
        struct fp_env tmp = env(RM_SHIFT(FPROUND_ZERO));
        struct fmtinfo f = finfo(c->fsize);
        uint64_t q = dmake(f, (mask_bits(f.ebits) >> 1) - 4 + drand() % 9,
                           dfrac(f) & ~mask_bits(f.fbits - 6));
        a = fp_mul_general(&tmp, c->fsize, b, q);
    }
    c->op[0] = a, c->op[1] = b;
    c->fast = sf_div(&scratch, c->fsize, a & mask_bits(c->fsize), b & mask_bits(c->fsize), &sr);
    c->got = fp_div(fe, c->fsize, a, b);
    c->want = fp_div_general(ge, c->fsize, a, b);
}

/* Operands are often perfect squares (a few-bit root squared, exactly). */
static void d_sqrt(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    uint64_t a = dgen(c->fsize);
    struct fmtinfo f = finfo(c->fsize);
    if ((drand() & 3) == 0) {
        struct fp_env tmp = env(0);
        uint64_t x = dmake(f, 1 + drand() % (mask_bits(f.ebits) - 1), drand() << (f.fbits / 2 + 2));
        a = fp_mul_general(&tmp, c->fsize, x, x);
    } else if (drand() & 1) {
        a &= ~(1ull << (c->fsize - 1)); /* mostly positive */
    }
    c->op[0] = a;
    c->fast =
        (a & (1ull << (c->fsize - 1))) == 0 && sf_normal_or_zero(c->fsize, a & mask_bits(c->fsize));
    c->got = fp_sqrt(fe, c->fsize, a);
    c->want = fp_sqrt_general(ge, c->fsize, a);
}

/* Addends are often near -(op1 * op2): cancellation, exact zeros, tiny sums. */
static void d_muladd(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    struct fp_env scratch = *fe;
    uint64_t sr;
    uint64_t a = dgen(c->fsize), b = dgen(c->fsize), d = dgen(c->fsize);
    if (drand() & 1) {
        struct fp_env tmp = env((uint32_t)(drand() & 3) << FPCR_RMODE_SHIFT);
        d = fp_mul_general(&tmp, c->fsize, a, b) ^ (1ull << (c->fsize - 1));
        if (drand() & 1)
            d = dgen2(c->fsize, d);
    }
    c->op[0] = d, c->op[1] = a, c->op[2] = b;
    c->fast = sf_muladd(&scratch, c->fsize, d & mask_bits(c->fsize), a & mask_bits(c->fsize),
                        b & mask_bits(c->fsize), &sr);
    c->got = fp_muladd(fe, c->fsize, d, a, b);
    c->want = fp_muladd_general(ge, c->fsize, d, a, b);
}

/* FRECPS and FRSQRTS: products near 2 and 3 (cancellation) a quarter of the time. */
static void d_step(struct dcase *c, struct fp_env *fe, struct fp_env *ge, bool rsqrt)
{
    struct fp_env scratch = *fe;
    uint64_t sr;
    struct fmtinfo f = finfo(c->fsize);
    uint64_t a = dgen(c->fsize), b = dgen(c->fsize);
    if ((drand() & 3) == 0) {
        /* b near (2 or 3) / a */
        struct fp_env tmp = env(0);
        uint64_t k =
            ((mask_bits(f.ebits) >> 1) + 1) << f.fbits | (rsqrt ? 1ull << (f.fbits - 1) : 0);
        b = dgen2(c->fsize, fp_div_general(&tmp, c->fsize, k, a)) & ~(1ull << (c->fsize - 1));
        b |= a & (1ull << (c->fsize - 1));
    }
    c->op[0] = a, c->op[1] = b;
    c->fast = sf_step_fused(&scratch, c->fsize, a & mask_bits(c->fsize), b & mask_bits(c->fsize),
                            rsqrt, &sr);
    c->got = rsqrt ? fp_rsqrts(fe, c->fsize, a, b) : fp_recps(fe, c->fsize, a, b);
    c->want = rsqrt ? fp_rsqrts_general(ge, c->fsize, a, b) : fp_recps_general(ge, c->fsize, a, b);
}

static void d_recps(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    d_step(c, fe, ge, false);
}

static void d_rsqrts(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    d_step(c, fe, ge, true);
}

/* Max, min and the compares: one function, the operation in c->param. */
enum { D_MAX, D_MIN, D_MAXNM, D_MINNM, D_CMP, D_CMPE, D_CMEQ, D_CMGE, D_CMGT };

static void d_order(struct dcase *c, struct fp_env *fe, struct fp_env *ge, unsigned op)
{
    uint64_t a = dgen(c->fsize), b = dgen2(c->fsize, a);
    if ((drand() & 7) == 0)
        b = a ^ ((drand() & 1) << (c->fsize - 1)); /* equal, or +-0 */
    c->op[0] = a, c->op[1] = b, c->param = op;
    c->fast = sf_ordered_ok(fe, c->fsize, a, b);
    switch (op) {
    case D_MAX:
        c->got = fp_max(fe, c->fsize, a, b), c->want = fp_max_general(ge, c->fsize, a, b);
        break;
    case D_MIN:
        c->got = fp_min(fe, c->fsize, a, b), c->want = fp_min_general(ge, c->fsize, a, b);
        break;
    case D_MAXNM:
        c->got = fp_maxnm(fe, c->fsize, a, b), c->want = fp_maxnm_general(ge, c->fsize, a, b);
        break;
    case D_MINNM:
        c->got = fp_minnm(fe, c->fsize, a, b), c->want = fp_minnm_general(ge, c->fsize, a, b);
        break;
    case D_CMP:
    case D_CMPE:
        c->got = fp_compare(fe, c->fsize, a, b, op == D_CMPE);
        c->want = fp_compare_general(ge, c->fsize, a, b, op == D_CMPE);
        break;
    case D_CMEQ:
        c->got = fp_compare_eq(fe, c->fsize, a, b),
        c->want = fp_compare_eq_general(ge, c->fsize, a, b);
        break;
    case D_CMGE:
        c->got = fp_compare_ge(fe, c->fsize, a, b),
        c->want = fp_compare_ge_general(ge, c->fsize, a, b);
        break;
    default:
        c->got = fp_compare_gt(fe, c->fsize, a, b),
        c->want = fp_compare_gt_general(ge, c->fsize, a, b);
        break;
    }
}

static void d_max(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    d_order(c, fe, ge, D_MAX);
}
static void d_min(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    d_order(c, fe, ge, D_MIN);
}
static void d_maxnm(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    d_order(c, fe, ge, D_MAXNM);
}
static void d_minnm(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    d_order(c, fe, ge, D_MINNM);
}
static void d_cmp(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    d_order(c, fe, ge, drand() & 1 ? D_CMPE : D_CMP);
}
static void d_cmeq(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    d_order(c, fe, ge, D_CMEQ);
}
static void d_cmge(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    d_order(c, fe, ge, D_CMGE);
}
static void d_cmgt(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    d_order(c, fe, ge, D_CMGT);
}

/* A value near the integers: exponent from just below 1 to past 2^F. */
static uint64_t dgen_intish(unsigned fsize, int lo, int hi)
{
    struct fmtinfo f = finfo(fsize);
    if ((drand() & 7) == 0)
        return dgen(fsize);
    uint64_t bias = mask_bits(f.ebits) >> 1;
    return dmake(f, bias + lo + drand() % (uint64_t)(hi - lo + 1), dfrac(f));
}

static const enum fp_rounding any_rounding[6] = {FPROUND_TIEEVEN, FPROUND_POSINF,  FPROUND_NEGINF,
                                                 FPROUND_ZERO,    FPROUND_TIEAWAY, FPROUND_ODD};

static void d_round_int(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    struct fp_env scratch = *fe;
    uint64_t sr;
    struct fmtinfo f = finfo(c->fsize);
    uint64_t a = dgen_intish(c->fsize, -3, (int)f.fbits + 2);
    enum fp_rounding r = any_rounding[drand() % 5];
    bool exact = drand() & 1;
    c->op[0] = a, c->param = r | exact << 4;
    c->fast = sf_round_int(&scratch, c->fsize, a & mask_bits(c->fsize), r, exact, &sr);
    c->got = fp_round_int(fe, c->fsize, a, r, exact);
    c->want = fp_round_int_general(ge, c->fsize, a, r, exact);
}

static void d_to_fixed(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    struct fp_env scratch = *fe;
    uint64_t sr;
    static const unsigned isizes[3] = {16, 32, 64};
    unsigned isize = isizes[drand() % 3];
    unsigned fbits = drand() & 1 ? 0 : (unsigned)(drand() % (isize + 1));
    bool is_unsigned = drand() & 1;
    enum fp_rounding r = any_rounding[drand() % 5];
    /* magnitudes from 2^-4 to just past the range */
    uint64_t a = dgen_intish(c->fsize, -4 - (int)fbits, (int)isize + 1 - (int)fbits);
    c->op[0] = a, c->param = r | fbits << 4 | isize << 12 | (unsigned)is_unsigned << 20;
    c->fast =
        sf_to_fixed(&scratch, c->fsize, a & mask_bits(c->fsize), fbits, is_unsigned, r, isize, &sr);
    c->got = fp_to_fixed(fe, c->fsize, a, fbits, is_unsigned, r, isize);
    c->want = fp_to_fixed_general(ge, c->fsize, a, fbits, is_unsigned, r, isize);
}

static void d_from_fixed(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    static const unsigned isizes[3] = {16, 32, 64};
    unsigned isize = isizes[drand() % 3];
    unsigned fbits = drand() & 1 ? 0 : (unsigned)(drand() % (isize + 1));
    bool is_unsigned = drand() & 1;
    enum fp_rounding r = any_rounding[drand() % 6];
    uint64_t v = drand();
    switch (drand() % 4) {
    case 0: v >>= drand() % 64; break;                                     /* any width */
    case 1: v = (1ull << (drand() % 64)) + (drand() % 5) - 2; break;       /* near a power of two */
    case 2: v = ((drand() | 1) << (drand() % 64)) ^ -(drand() & 1); break; /* ties, both signs */
    default: break;
    }
    c->op[0] = v, c->param = r | fbits << 4 | isize << 12 | (unsigned)is_unsigned << 20;
    c->fast = c->fsize != 16;
    c->got = fp_from_fixed(fe, c->fsize, v, fbits, is_unsigned, isize, r);
    c->want = fp_from_fixed_general(ge, c->fsize, v, fbits, is_unsigned, isize, r);
}

/* FPConvert: c->fsize is the source; the destination is each other format in turn. */
static void d_convert(struct dcase *c, struct fp_env *fe, struct fp_env *ge)
{
    struct fp_env scratch = *fe;
    uint64_t sr;
    static const unsigned sizes[3] = {16, 32, 64};
    unsigned from = c->fsize, to;
    do
        to = sizes[drand() % 3];
    while (to == from);
    struct fmtinfo ff = finfo(from), tf = finfo(to);
    enum fp_rounding r = any_rounding[drand() % 6];
    uint64_t a;
    if (to < from && (drand() & 1)) {
        /* at the destination's limits, with the bits below its mantissa at a tie */
        int tbias = (int)(mask_bits(tf.ebits) >> 1), fbias = (int)(mask_bits(ff.ebits) >> 1);
        int k = (int)(drand() % (tf.fbits + 4));
        int texp = drand() & 1 ? 1 + k : (int)mask_bits(tf.ebits) - 1 - k;
        if (drand() & 1)
            texp = tbias - 10 + (int)(drand() % 21);
        uint64_t frac = dfrac(ff);
        unsigned cut = ff.fbits - tf.fbits;
        if (drand() & 1)
            frac = (frac & ~mask_bits(cut)) | (1ull << (cut - 1)) | (drand() % 3 == 0);
        a = dmake(ff, (uint64_t)(texp - tbias + fbias), frac);
    } else {
        a = dgen(from);
    }
    c->op[0] = a, c->op[1] = to, c->param = r;
    c->fast = sf_convert(&scratch, from, to, a & mask_bits(from), r, &sr);
    c->got = fp_convert(fe, from, to, a, r);
    c->want = fp_convert_general(ge, from, to, a, r);
}

struct dtest {
    const char *name;
    dcase_fn *fn;
    unsigned fsize;
};

static const struct dtest dtests[] = {
    {"add", d_add, 32},
    {"add", d_add, 64},
    {"sub", d_sub, 32},
    {"sub", d_sub, 64},
    {"abd", d_abd, 32},
    {"abd", d_abd, 64},
    {"mul", d_mul, 32},
    {"mul", d_mul, 64},
    {"mulx", d_mulx, 32},
    {"mulx", d_mulx, 64},
    {"div", d_div, 32},
    {"div", d_div, 64},
    {"sqrt", d_sqrt, 32},
    {"sqrt", d_sqrt, 64},
    {"muladd", d_muladd, 32},
    {"muladd", d_muladd, 64},
    {"recps", d_recps, 32},
    {"recps", d_recps, 64},
    {"rsqrts", d_rsqrts, 32},
    {"rsqrts", d_rsqrts, 64},
    {"max", d_max, 32},
    {"max", d_max, 64},
    {"min", d_min, 32},
    {"min", d_min, 64},
    {"maxnm", d_maxnm, 32},
    {"maxnm", d_maxnm, 64},
    {"minnm", d_minnm, 32},
    {"minnm", d_minnm, 64},
    {"compare", d_cmp, 32},
    {"compare", d_cmp, 64},
    {"compare_eq", d_cmeq, 32},
    {"compare_eq", d_cmeq, 64},
    {"compare_ge", d_cmge, 32},
    {"compare_ge", d_cmge, 64},
    {"compare_gt", d_cmgt, 32},
    {"compare_gt", d_cmgt, 64},
    {"round_int", d_round_int, 32},
    {"round_int", d_round_int, 64},
    {"to_fixed", d_to_fixed, 32},
    {"to_fixed", d_to_fixed, 64},
    {"from_fixed", d_from_fixed, 32},
    {"from_fixed", d_from_fixed, 64},
    {"convert", d_convert, 16},
    {"convert", d_convert, 32},
    {"convert", d_convert, 64},
};

static unsigned diff_cases(void)
{
    const char *s = getenv("SOFTFLOAT_DIFF_CASES");
    return s && *s ? (unsigned)strtoul(s, NULL, 0) : DIFF_CASES;
}

/* FPCR combination i % 16: RMode, FZ, DN; AHP and FZ16 random. */
static uint32_t diff_fpcr(unsigned i)
{
    uint32_t fpcr = RM_SHIFT(i & 3) | ((i >> 2) & 1 ? FPCR_FZ : 0) | ((i >> 3) & 1 ? FPCR_DN : 0);
    uint64_t r = drand();
    return fpcr | (r & 1 ? FPCR_AHP : 0) | (r & 2 ? FPCR_FZ16 : 0);
}

START_TEST(test_fast_path_matches_general_path)
{
    const struct dtest *t = &dtests[_i];
    unsigned cases = diff_cases(), fast = 0, failures = 0;

    drng = 0x2545f4914f6cdd1dull + (uint64_t)_i * 0x9e3779b97f4a7c15ull;
    for (unsigned i = 0; i < cases; i++) {
        struct dcase c = {.fsize = t->fsize, .fpcr = diff_fpcr(i)};
        uint32_t fpsr0 = (uint32_t)drand() & FPSR_CUMULATIVE_MASK & -(uint32_t)(i % 5 == 0);
        struct fp_env fe = {c.fpcr, fpsr0}, ge = {c.fpcr, fpsr0};
        t->fn(&c, &fe, &ge);
        fast += c.fast;
        if (c.got == c.want && fe.fpsr == ge.fpsr)
            continue;
        if (failures++ < 10)
            fprintf(stderr,
                    "%s f%u fpcr %#x fpsr %#x: ops %#" PRIx64 " %#" PRIx64 " %#" PRIx64
                    " param %#x: fast %#" PRIx64 " fpsr %#x, general %#" PRIx64 " fpsr %#x\n",
                    t->name, t->fsize, c.fpcr, fpsr0, c.op[0], c.op[1], c.op[2], c.param, c.got,
                    fe.fpsr, c.want, ge.fpsr);
    }
    fprintf(stderr, "fast path %s f%u: %u cases, %u (%.0f%%) taken by the fast path\n", t->name,
            t->fsize, cases, fast, 100.0 * fast / (cases ? cases : 1));
    ck_assert_msg(failures == 0, "%s f%u: %u of %u cases differ from the general path", t->name,
                  t->fsize, failures, cases);
}
END_TEST

static Suite *softfloat_suite(void)
{
    Suite *s = suite_create("softfloat");
    TCase *fz = tcase_create("flush_to_zero");
    TCase *rnd = tcase_create("rounding");
    TCase *nan = tcase_create("nan");
    TCase *ops = tcase_create("operations");
    TCase *cvt = tcase_create("conversions");
    TCase *est = tcase_create("estimates");
    TCase *host = tcase_create("host_cross_check");
    TCase *fast = tcase_create("fast_path");

    tcase_add_test(fz, test_fz_flushes_input_denormal_sets_idc);
    tcase_add_test(fz, test_denormal_input_kept_without_fz);
    tcase_add_test(fz, test_fz_flushes_double_input_denormal);
    tcase_add_test(fz, test_fz16_flushes_half_input_denormal_without_idc);
    tcase_add_test(fz, test_fz_does_not_apply_to_half_arithmetic);
    tcase_add_test(fz, test_fz16_does_not_apply_to_single);
    tcase_add_test(fz, test_fz_flushes_tiny_output_sets_ufc_not_ixc);
    tcase_add_test(fz, test_fz_flush_uses_unrounded_exponent);
    tcase_add_test(fz, test_fz16_flushes_half_tiny_output);
    tcase_add_test(fz, test_fz_denormal_divisor_divides_by_zero);
    tcase_add_test(fz, test_max_of_denormal_under_fz_is_flushed);

    tcase_add_test(rnd, test_tininess_before_rounding_sets_ufc);
    tcase_add_test(rnd, test_exact_denormal_result_does_not_set_ufc);
    tcase_add_test(rnd, test_denormal_rounds_up_to_smallest_normal_exponent);
    tcase_add_test(rnd, test_tiny_result_below_half_smallest_denormal_rounds_to_zero);
    tcase_add_test(rnd, test_overflow_by_rounding_mode);
    tcase_add_test(rnd, test_half_overflow);
    tcase_add_test(rnd, test_exact_zero_sum_sign_follows_rounding_mode);
    tcase_add_test(rnd, test_rounding_mode_from_fpcr);

    tcase_add_test(nan, test_snan_priority_over_qnan);
    tcase_add_test(nan, test_first_qnan_propagates_without_ioc);
    tcase_add_test(nan, test_first_snan_wins_over_second_snan);
    tcase_add_test(nan, test_sub_does_not_negate_nan_operand);
    tcase_add_test(nan, test_dn_gives_default_nan);
    tcase_add_test(nan, test_invalid_operations_give_default_nan);
    tcase_add_test(nan, test_default_nan_patterns);

    tcase_add_test(ops, test_divide_by_zero_sets_dzc);
    tcase_add_test(ops, test_sqrt_of_negative_zero_is_negative_zero);
    tcase_add_test(ops, test_abd_clears_sign_also_of_nan);
    tcase_add_test(ops, test_mulx_zero_times_inf_is_two);
    tcase_add_test(ops, test_muladd_rounds_once);
    tcase_add_test(ops, test_muladd_addend_nan_comes_first);
    tcase_add_test(ops, test_muladd_qnan_addend_with_zero_times_inf_is_default_nan);
    tcase_add_test(ops, test_muladd_inf_product_minus_inf_addend_is_invalid);
    tcase_add_test(ops, test_muladd_zero_sums);
    tcase_add_test(ops, test_fmax_fmin_zero_signs);
    tcase_add_test(ops, test_fmax_propagates_quiet_nan);
    tcase_add_test(ops, test_maxnm_quiet_nan_loses_to_number);
    tcase_add_test(ops, test_maxnm_signalling_nan_still_propagates);
    tcase_add_test(ops, test_fcmp_unordered_and_signalling);
    tcase_add_test(ops, test_fcmp_ordered_results);
    tcase_add_test(ops, test_vector_compare_eq_is_quiet_ge_gt_signal);
    tcase_add_test(ops, test_round_int_modes);
    tcase_add_test(ops, test_round_int_ixc_only_when_exact_requested);
    tcase_add_test(ops, test_round_int_processes_nan);

    tcase_add_test(cvt, test_to_fixed_nan_gives_zero_with_ioc);
    tcase_add_test(cvt, test_to_fixed_saturates_with_ioc_not_ixc);
    tcase_add_test(cvt, test_to_fixed_min_signed_is_in_range);
    tcase_add_test(cvt, test_to_fixed_inexact_sets_ixc);
    tcase_add_test(cvt, test_to_fixed_negative_fraction_to_unsigned_rounds_to_zero);
    tcase_add_test(cvt, test_to_fixed_fraction_bits_scale);
    tcase_add_test(cvt, test_to_fixed_denormal_under_fz_sets_idc);
    tcase_add_test(cvt, test_from_fixed_rounds_and_scales);
    tcase_add_test(cvt, test_fjcvtzs_modulo_and_z_flag);
    tcase_add_test(cvt, test_fjcvtzs_flushed_denormal_clears_z);
    tcase_add_test(cvt, test_convert_to_alternative_half_has_no_infinity);
    tcase_add_test(cvt, test_convert_to_alternative_half_nan_and_inf_are_invalid);
    tcase_add_test(cvt, test_convert_from_alternative_half);
    tcase_add_test(cvt, test_arithmetic_ignores_ahp);
    tcase_add_test(cvt, test_convert_half_ignores_fz16);
    tcase_add_test(cvt, test_convert_single_double_follow_fz);
    tcase_add_test(cvt, test_convert_nan_keeps_payload_top_bits);
    tcase_add_test(cvt, test_round_to_odd_for_fcvtxn);

    tcase_add_test(est, test_recpe_known_values);
    tcase_add_test(est, test_recpe_denormal_result);
    tcase_add_test(est, test_recpe_special_cases);
    tcase_add_test(est, test_rsqrte_known_values_and_specials);
    tcase_add_test(est, test_rsqrte_denormal_operand);
    tcase_add_test(est, test_recpx);
    tcase_add_test(est, test_ursqrte_matches_pseudocode_loop);
    tcase_add_test(est, test_urecpe);
    tcase_add_test(est, test_recps_rsqrts_steps);
    tcase_add_test(est, test_recps_negates_nan_first_operand);

    tcase_add_test(host, test_host_add_f32);
    tcase_add_test(host, test_host_add_f64);
    tcase_add_test(host, test_host_sub_f32);
    tcase_add_test(host, test_host_sub_f64);
    tcase_add_test(host, test_host_mul_f32);
    tcase_add_test(host, test_host_mul_f64);
    tcase_add_test(host, test_host_div_f32);
    tcase_add_test(host, test_host_div_f64);
    tcase_add_test(host, test_host_sqrt_f32);
    tcase_add_test(host, test_host_sqrt_f64);
    tcase_add_test(host, test_host_fma_f32);
    tcase_add_test(host, test_host_fma_f64);
    tcase_add_test(host, test_host_to_int_f32);
    tcase_add_test(host, test_host_to_int_f64);
    tcase_add_test(host, test_host_from_int_f32);
    tcase_add_test(host, test_host_from_int_f64);
    tcase_add_test(host, test_host_convert_single_double);
    tcase_add_test(host, test_host_half_arithmetic_and_conversion);
    tcase_set_timeout(host, 60); /* slower under the sanitizers */

    tcase_add_loop_test(fast, test_fast_path_matches_general_path, 0,
                        (int)(sizeof dtests / sizeof dtests[0]));
    tcase_set_timeout(fast, 600); /* slower under the sanitizers */

    suite_add_tcase(s, fz);
    suite_add_tcase(s, rnd);
    suite_add_tcase(s, nan);
    suite_add_tcase(s, ops);
    suite_add_tcase(s, cvt);
    suite_add_tcase(s, est);
    suite_add_tcase(s, host);
    suite_add_tcase(s, fast);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(softfloat_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
