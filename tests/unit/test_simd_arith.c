/* Known answers for the Advanced SIMD arithmetic classes (cpu/exec_simd_arith.c):
 * three same, three different, across lanes, and the scalar three same,
 * three different and pairwise classes.
 *
 * Every instruction word is built by the encoders below from the Arm ARM
 * encoding diagrams (DDI 0487, C4.1.95-C4.1.96) and checked against
 * Capstone's disassembly, so that the encoding is verified by a decoder
 * nobody here wrote. Expected values are derived by hand from the Arm ARM
 * pseudocode named in each test (SignedSatQ, UnsignedSatQ, the shift
 * instructions' (Int(x) + round_const) << shift, Reduce(), FPMulAdd,
 * FPProcessNaNs, FPCompareGE, ...); the same inputs gave the same results
 * on qemu-aarch64 7.2 (user mode), recorded while writing these tests.
 *
 * The PE runs at EL1 from RAM with the MMU off. Each program enables the
 * SIMD&FP registers first (CPACR_EL1.FPEN = 0b11), runs the instructions
 * under test and ends with WFI. V registers are written as (low, high)
 * 64-bit halves. */
#include "cpu/decode.h"
#include "cpu/mnemonic.h"
#include "tests/unit/pe_rig.h"

#include <check.h>

#define VECTORS (RAM_BASE + 0x10000ull)

#define QC  (1u << 27)
#define IOC (1u << 0)
#define DZC (1u << 1)

#define F32_ONE  0x3f800000u
#define F64_ONE  0x3ff0000000000000ull
#define F64_TWO  0x4000000000000000ull
#define F64_QNAN 0x7ff8000000000000ull

/* ---- encoders (Arm ARM C4.1.95, C4.1.96) ---- */

/* Advanced SIMD three same: 0 Q U 01110 size 1 Rm opcode 1 Rn Rd. */
static uint32_t e_same(unsigned q, unsigned u, unsigned size, unsigned opcode, unsigned rm,
                       unsigned rn, unsigned rd)
{
    return 0x0e200400u | q << 30 | u << 29 | size << 22 | rm << 16 | opcode << 11 | rn << 5 | rd;
}

/* Advanced SIMD three different: 0 Q U 01110 size 1 Rm opcode 00 Rn Rd. */
static uint32_t e_diff(unsigned q, unsigned u, unsigned size, unsigned opcode, unsigned rm,
                       unsigned rn, unsigned rd)
{
    return 0x0e200000u | q << 30 | u << 29 | size << 22 | rm << 16 | opcode << 12 | rn << 5 | rd;
}

/* Advanced SIMD across lanes: 0 Q U 01110 size 11000 opcode 10 Rn Rd. */
static uint32_t e_across(unsigned q, unsigned u, unsigned size, unsigned opcode, unsigned rn,
                         unsigned rd)
{
    return 0x0e300800u | q << 30 | u << 29 | size << 22 | opcode << 12 | rn << 5 | rd;
}

/* Advanced SIMD scalar three same: 01 U 11110 size 1 Rm opcode 1 Rn Rd. */
static uint32_t e_scalar_same(unsigned u, unsigned size, unsigned opcode, unsigned rm, unsigned rn,
                              unsigned rd)
{
    return 0x5e200400u | u << 29 | size << 22 | rm << 16 | opcode << 11 | rn << 5 | rd;
}

/* Advanced SIMD scalar pairwise: 01 U 11110 size 11000 opcode 10 Rn Rd. */
static uint32_t e_scalar_pair(unsigned u, unsigned size, unsigned opcode, unsigned rn, unsigned rd)
{
    return 0x5e300800u | u << 29 | size << 22 | opcode << 12 | rn << 5 | rd;
}

/* ---- the rig (pe_rig.h) ---- */

/* Run WORDS after the FPEN prologue, up to the WFI after them. */
static void run_words(const uint32_t *words, unsigned n)
{
    rig_put_program(true, words, n);
    run_to_wfi_within(1000);
    ck_assert_uint_eq(cpu_get_pc(pe), CODE + 4 * (RIG_FPEN_WORDS + n) + 4);
}

#define RUN(...)                                                                                   \
    do {                                                                                           \
        const uint32_t words_[] = {__VA_ARGS__};                                                   \
        run_words(words_, sizeof(words_) / sizeof(words_[0]));                                     \
    } while (0)

/* Reset the PE to CODE with FPCR = FPCR_ and FPSR = FPSR_. */
static void reset(uint32_t fpcr, uint32_t fpsr)
{
    cpu_reset(pe, CODE, 0);
    cpu_set_fpcr_fpsr(pe, fpcr, fpsr);
}

/* ---- saturation and FPSR.QC ---- */

/* SignedSatQ: 127 + 1 stays 127 and -128 + -1 stays -128; QC is set. */
START_TEST(test_sqadd_saturates_both_ways_and_sets_qc)
{
    reset(0, 0);
    set_v(1, 0x000000000010807full, 0);
    set_v(2, 0x000000000020ff01ull, 0);
    RUN(A("sqadd v0.16b, v1.16b, v2.16b", e_same(1, 0, 0, 0x01, 2, 1, 0)));
    assert_v(0, 0x000000000030807full, 0);
    assert_fpsr(QC);
}
END_TEST

START_TEST(test_uqadd_without_saturation_leaves_qc_clear)
{
    reset(0, 0);
    set_v(1, 0x00000000000000f0ull, 0);
    set_v(2, 0x000000000000000full, 0);
    RUN(A("uqadd v0.8b, v1.8b, v2.8b", e_same(0, 1, 0, 0x01, 2, 1, 0)));
    assert_v(0, 0x00000000000000ffull, 0);
    assert_fpsr(0);
}
END_TEST

/* FPSR.QC is cumulative: an instruction that does not saturate keeps it. */
START_TEST(test_qc_is_sticky)
{
    reset(0, QC);
    set_v(1, 1, 0);
    set_v(2, 2, 0);
    RUN(A("uqadd v0.8b, v1.8b, v2.8b", e_same(0, 1, 0, 0x01, 2, 1, 0)));
    assert_v(0, 3, 0);
    assert_fpsr(QC);
}
END_TEST

/* UnsignedSatQ(1 - 2) = 0, saturated; 5 - 3 = 2. */
START_TEST(test_uqsub_clamps_at_zero)
{
    reset(0, 0);
    set_v(1, 0x0000000000050001ull, 0);
    set_v(2, 0x0000000000030002ull, 0);
    RUN(A("uqsub v0.4h, v1.4h, v2.4h", e_same(0, 1, 1, 0x05, 2, 1, 0)));
    assert_v(0, 0x0000000000020000ull, 0);
    assert_fpsr(QC);
}
END_TEST

START_TEST(test_scalar_uqadd_d_saturates)
{
    reset(0, 0);
    set_v(1, 0xffffffffffffff00ull, 0);
    set_v(2, 0x100, 0);
    RUN(A("uqadd d0, d1, d2", e_scalar_same(1, 3, 0x01, 2, 1, 0)));
    assert_v(0, ~0ull, 0);
    assert_fpsr(QC);
}
END_TEST

/* ---- shifts by register: shift = SInt(Vm<7:0>) ---- */

/* SRSHL: (x + 2^(n-1)) >> n: 3 >> 1 -> 2, -3 >> 1 -> -1, 5 >> 2 -> 1,
 * -2^31 >> 31 -> -1. */
START_TEST(test_srshl_negative_shift_rounds_half_up)
{
    reset(0, 0);
    set_v(1, 0xfffffffd00000003ull, 0x8000000000000005ull);
    set_v(2, 0xffffffffffffffffull, 0xffffffe1fffffffeull);
    RUN(A("srshl v0.4s, v1.4s, v2.4s", e_same(1, 0, 2, 0x0a, 2, 1, 0)));
    assert_v(0, 0xffffffff00000002ull, 0xffffffff00000001ull);
    assert_fpsr(0);
}
END_TEST

/* URSHL by -8 on bytes: (x + 0x80) >> 8 keeps the rounding carry:
 * 0x80 -> 1, 0x7f -> 0, 0xff -> 1. */
START_TEST(test_urshl_by_minus_esize_keeps_the_rounding_carry)
{
    reset(0, 0);
    set_v(1, 0x0000000000ff7f80ull, 0);
    set_v(2, 0xf8f8f8f8f8f8f8f8ull, 0);
    RUN(A("urshl v0.8b, v1.8b, v2.8b", e_same(0, 1, 0, 0x0a, 2, 1, 0)));
    assert_v(0, 0x0000000000010001ull, 0);
}
END_TEST

/* SSHL right by 100 (low byte 0x9c) fills with the sign; right by 16 of
 * a positive lane gives 0. */
START_TEST(test_sshl_right_shift_past_the_width_fills_with_the_sign)
{
    reset(0, 0);
    set_v(1, 0x000000007fff8000ull, 0);
    set_v(2, 0x0000000000f0009cull, 0);
    RUN(A("sshl v0.8h, v1.8h, v2.8h", e_same(1, 0, 1, 0x08, 2, 1, 0)));
    assert_v(0, 0x000000000000ffffull, 0);
}
END_TEST

/* Only Vm<7:0> counts: 0x0101 shifts left by 1, 0x0110 by 16 (to 0). */
START_TEST(test_sshl_reads_only_the_low_byte_of_the_shift)
{
    reset(0, 0);
    set_v(1, 0x0001000100000000ull, 0);
    set_v(2, 0x0101011000000000ull, 0);
    RUN(A("sshl v0.8h, v1.8h, v2.8h", e_same(1, 0, 1, 0x08, 2, 1, 0)));
    assert_v(0, 0x0002000000000000ull, 0);
}
END_TEST

/* SQSHL: 0x40 << 1 -> 0x7f, -64 << 2 -> -128, 1 << 127 -> 0x7f. */
START_TEST(test_sqshl_left_shift_saturates_both_signs)
{
    reset(0, 0);
    set_v(1, 0x000000000001c040ull, 0);
    set_v(2, 0x00000000007f0201ull, 0);
    RUN(A("sqshl v0.8b, v1.8b, v2.8b", e_same(0, 0, 0, 0x09, 2, 1, 0)));
    assert_v(0, 0x00000000007f807full, 0);
    assert_fpsr(QC);
}
END_TEST

/* UQRSHL by -1: (2^64 - 1 + 1) >> 1 = 2^63, no saturation. */
START_TEST(test_uqrshl_rounding_carries_into_the_top_bit)
{
    reset(0, 0);
    set_v(1, ~0ull, 0);
    set_v(2, 0xff, 0);
    RUN(A("uqrshl d0, d1, d2", e_scalar_same(1, 3, 0x0b, 2, 1, 0)));
    assert_v(0, 0x8000000000000000ull, 0);
    assert_fpsr(0);
}
END_TEST

START_TEST(test_uqshl_left_shift_by_the_width_saturates)
{
    reset(0, 0);
    set_v(1, 1, 0);
    set_v(2, 64, 0);
    RUN(A("uqshl d0, d1, d2", e_scalar_same(1, 3, 0x09, 2, 1, 0)));
    assert_v(0, ~0ull, 0);
    assert_fpsr(QC);
}
END_TEST

/* ---- doubling multiplies ---- */

/* 2 * 0x4000 * 1 = 0x8000: SQDMULH gives 0x8000 >> 16 = 0, SQRDMULH
 * (0x8000 + 0x8000) >> 16 = 1. */
START_TEST(test_sqrdmulh_rounds_where_sqdmulh_truncates)
{
    reset(0, 0);
    set_v(1, 0x4000, 0);
    set_v(2, 0x0001, 0);
    RUN(A("sqdmulh h0, h1, h2", e_scalar_same(0, 1, 0x16, 2, 1, 0)),
        A("sqrdmulh h3, h1, h2", e_scalar_same(1, 1, 0x16, 2, 1, 3)));
    assert_v(0, 0, 0);
    assert_v(3, 1, 0);
    assert_fpsr(0);
}
END_TEST

/* (-2^31) * (-2^31) * 2 >> 32 = 2^31 does not fit: 0x7fffffff, QC. */
START_TEST(test_sqdmulh_of_the_minimum_squared_saturates)
{
    reset(0, 0);
    set_v(1, 0x8000000080000000ull, 0x8000000080000000ull);
    RUN(A("sqdmulh v0.4s, v1.4s, v1.4s", e_same(1, 0, 2, 0x16, 1, 1, 0)));
    assert_v(0, 0x7fffffff7fffffffull, 0x7fffffff7fffffffull);
    assert_fpsr(QC);
}
END_TEST

/* SQDMLAL: lane 0 accumulates 2 onto 0x7fffffff (saturates); lane 1's
 * product 2 * 2^30 saturates to 0x7fffffff, then -1 + that fits. */
START_TEST(test_sqdmlal_saturates_product_and_sum)
{
    reset(0, 0);
    set_v(0, 0xffffffff7fffffffull, 0);
    set_v(1, 0x0000000080000001ull, 0);
    RUN(A("sqdmlal v0.4s, v1.4h, v1.4h", e_diff(0, 0, 1, 0x9, 1, 1, 0)));
    assert_v(0, 0x7ffffffe7fffffffull, 0);
    assert_fpsr(QC);
}
END_TEST

/* ---- three different: the "2" forms ---- */

/* SADDL2 adds lanes 8-15 (the upper halves) sign-extended:
 * -128 + -128 = 0xff00, 127 + 1 = 0x0080; the lower halves are not read. */
START_TEST(test_saddl2_reads_the_upper_halves)
{
    reset(0, 0);
    set_v(1, 0x0101010101010101ull, 0x0000000000007f80ull);
    set_v(2, 0x0202020202020202ull, 0x0000000000000180ull);
    RUN(A("saddl2 v0.8h, v1.16b, v2.16b", e_diff(1, 0, 0, 0x0, 2, 1, 0)));
    assert_v(0, 0x000000000080ff00ull, 0);
}
END_TEST

/* ADDHN2 writes bits 15:8 of the sums to the upper half and keeps the
 * lower half: 0x1234 + 0x0100 -> 0x13, 0xff00 + 0x0100 -> 0x00. */
START_TEST(test_addhn2_writes_the_upper_half_and_keeps_the_lower)
{
    reset(0, 0);
    set_v(0, 0x1122334455667788ull, 0xaaaaaaaaaaaaaaaaull);
    set_v(1, 0x00000000ff001234ull, 0);
    set_v(2, 0x0000000001000100ull, 0);
    RUN(A("addhn2 v0.16b, v1.8h, v2.8h", e_diff(1, 0, 0, 0x4, 2, 1, 0)));
    assert_v(0, 0x1122334455667788ull, 0x0000000000000013ull);
}
END_TEST

/* RADDHN adds 2^7 before taking bits 15:8 (0x0080 -> 1) and, not being a
 * "2" form, clears the upper half. */
START_TEST(test_raddhn_rounds_and_clears_the_upper_half)
{
    reset(0, 0);
    set_v(0, ~0ull, ~0ull);
    set_v(1, 0x000000000000007full << 16 | 0x0080, 0);
    set_v(2, 0, 0);
    RUN(A("raddhn v0.8b, v1.8h, v2.8h", e_diff(0, 1, 0, 0x4, 2, 1, 0)));
    assert_v(0, 0x0000000000000001ull, 0);
}
END_TEST

/* PMULL keeps the 16-bit polynomial product: 0x80 * 0x02 = 0x0100,
 * 0xff * 0xff = 0x5555 (squaring over GF(2) spreads the bits). */
START_TEST(test_pmull_keeps_the_sixteen_bit_product)
{
    reset(0, 0);
    set_v(1, 0xff80, 0);
    set_v(2, 0xff02, 0);
    RUN(A("pmull v0.8h, v1.8b, v2.8b", e_diff(0, 0, 0, 0xe, 2, 1, 0)));
    assert_v(0, 0x0000000055550100ull, 0);
}
END_TEST

/* PMUL keeps the low 8 bits: 3 * 3 = 5, 0x80 * 2 = 0x100 -> 0. */
START_TEST(test_pmul_multiplies_polynomials_over_gf2)
{
    reset(0, 0);
    set_v(1, 0x8003, 0);
    set_v(2, 0x0203, 0);
    RUN(A("pmul v0.8b, v1.8b, v2.8b", e_same(0, 1, 0, 0x13, 2, 1, 0)));
    assert_v(0, 0x0005, 0);
}
END_TEST

/* ---- pairwise and across lanes ---- */

/* ADDP: the pairs of Vm:Vn, Vn's first: [1,2,3,4], [10,20,30,40] ->
 * [3, 7, 30, 70]. */
START_TEST(test_addp_pairs_vn_lanes_then_vm_lanes)
{
    reset(0, 0);
    set_v(1, 0x0000000200000001ull, 0x0000000400000003ull);
    set_v(2, 0x000000140000000aull, 0x000000280000001eull);
    RUN(A("addp v0.4s, v1.4s, v2.4s", e_same(1, 0, 2, 0x17, 2, 1, 0)));
    assert_v(0, 0x0000000700000003ull, 0x000000460000001eull);
}
END_TEST

START_TEST(test_uaddlv_widens_the_sum)
{
    reset(0, 0);
    set_v(1, ~0ull, ~0ull);
    RUN(A("uaddlv h0, v1.16b", e_across(1, 1, 0, 0x03, 1, 0)));
    assert_v(0, 0x0ff0, 0);
}
END_TEST

/* Eight lanes of -1: -8, as a 32-bit result. */
START_TEST(test_saddlv_sign_extends_the_lanes)
{
    reset(0, 0);
    set_v(1, ~0ull, ~0ull);
    RUN(A("saddlv s0, v1.8h", e_across(1, 0, 1, 0x03, 1, 0)));
    assert_v(0, 0xfffffff8ull, 0);
}
END_TEST

/* Reduce() halves the vector: FMAXV of [qNaN A, 1.0, sNaN B, 1.0] is
 * FPMax(FPMax(A, 1.0), FPMax(B, 1.0)) = FPMax(A, quiet B) = A (both quiet:
 * the first wins), with IOC from B. A left-to-right fold would give quiet B. */
START_TEST(test_fmaxv_reduces_as_a_tree_not_left_to_right)
{
    reset(0, 0);
    set_v(1, 0x3f8000007fc00001ull, 0x3f8000007f800002ull);
    RUN(A("fmaxv s0, v1.4s", e_across(1, 1, 0, 0x0f, 1, 0)));
    assert_v(0, 0x7fc00001ull, 0);
    assert_fpsr(IOC);
}
END_TEST

/* FPMaxNum: a quiet NaN loses to a number. */
START_TEST(test_fmaxnmp_scalar_prefers_the_number)
{
    reset(0, 0);
    set_v(1, F64_QNAN, F64_ONE);
    RUN(A("fmaxnmp d0, v1.2d", e_scalar_pair(1, 1, 0x0c, 1, 0)));
    assert_v(0, F64_ONE, 0);
    assert_fpsr(0);
}
END_TEST

/* ---- Q = 0 and scalar results clear the rest of the register ---- */

START_TEST(test_add_8b_clears_the_upper_half)
{
    reset(0, 0);
    set_v(0, ~0ull, ~0ull);
    set_v(1, 0x0102030405060708ull, ~0ull);
    set_v(2, 0x1010101010101010ull, ~0ull);
    RUN(A("add v0.8b, v1.8b, v2.8b", e_same(0, 0, 0, 0x10, 2, 1, 0)));
    assert_v(0, 0x1112131415161718ull, 0);
}
END_TEST

START_TEST(test_scalar_sqadd_h_clears_the_rest_of_the_register)
{
    reset(0, 0);
    set_v(0, ~0ull, ~0ull);
    set_v(1, 0xffffffffffff0001ull, ~0ull);
    set_v(2, 0xffffffffffff0002ull, ~0ull);
    RUN(A("sqadd h0, h1, h2", e_scalar_same(0, 1, 0x01, 2, 1, 0)));
    assert_v(0, 3, 0);
}
END_TEST

/* ---- other integer rules ---- */

/* |(-128) - 127| = 255 does not fit a signed byte; SABD keeps it as 0xff. */
START_TEST(test_sabd_of_the_extremes_is_255)
{
    reset(0, 0);
    set_v(1, 0x80, 0);
    set_v(2, 0x7f, 0);
    RUN(A("sabd v0.16b, v1.16b, v2.16b", e_same(1, 0, 0, 0x0e, 2, 1, 0)));
    assert_v(0, 0xff, 0);
}
END_TEST

/* URHADD: (255 + 0 + 1) >> 1 = 128 in the wider sum; (1 + 2 + 1) >> 1 = 2. */
START_TEST(test_urhadd_rounds_up_without_overflow)
{
    reset(0, 0);
    set_v(1, 0x01ff, 0);
    set_v(2, 0x0200, 0);
    RUN(A("urhadd v0.8b, v1.8b, v2.8b", e_same(0, 1, 0, 0x02, 2, 1, 0)));
    assert_v(0, 0x0280, 0);
}
END_TEST

/* BSL: Vd selects Vn where set, Vm where clear. */
START_TEST(test_bsl_selects_vn_where_vd_is_set)
{
    reset(0, 0);
    set_v(0, 0xff00ff00ff00ff00ull, 0xff00ff00ff00ff00ull);
    set_v(1, 0x1111111111111111ull, 0x1111111111111111ull);
    set_v(2, 0x2222222222222222ull, 0x2222222222222222ull);
    RUN(A("bsl v0.16b, v1.16b, v2.16b", e_same(1, 1, 1, 0x03, 2, 1, 0)));
    assert_v(0, 0x1122112211221122ull, 0x1122112211221122ull);
}
END_TEST

/* BIT: Vn goes in where Vm is set. */
START_TEST(test_bit_inserts_vn_where_vm_is_set)
{
    reset(0, 0);
    set_v(0, 0x3333333333333333ull, 0x3333333333333333ull);
    set_v(1, 0x1111111111111111ull, 0x1111111111111111ull);
    set_v(2, 0xff00ff00ff00ff00ull, 0xff00ff00ff00ff00ull);
    RUN(A("bit v0.16b, v1.16b, v2.16b", e_same(1, 1, 2, 0x03, 2, 1, 0)));
    assert_v(0, 0x1133113311331133ull, 0x1133113311331133ull);
}
END_TEST

/* BIF: Vn goes in where Vm is clear. */
START_TEST(test_bif_inserts_vn_where_vm_is_clear)
{
    reset(0, 0);
    set_v(0, 0x4444444444444444ull, 0x4444444444444444ull);
    set_v(1, 0x1111111111111111ull, 0x1111111111111111ull);
    set_v(2, 0xff00ff00ff00ff00ull, 0xff00ff00ff00ff00ull);
    RUN(A("bif v0.8b, v1.8b, v2.8b", e_same(0, 1, 3, 0x03, 2, 1, 0)));
    assert_v(0, 0x4411441144114411ull, 0);
}
END_TEST

/* ---- floating point ---- */

/* FMLS negates the Vn element (FPNeg flips a NaN's sign too) before
 * FPMulAdd, whose FPProcessNaNs3 then returns it: 0xffc00000. The other
 * lane: 2.0 - 0 * 0 = 2.0. */
START_TEST(test_fmls_negates_a_nan_multiplicand)
{
    reset(0, 0);
    set_v(0, 0x40000000ull << 32 | F32_ONE, 0);
    set_v(1, 0x7fc00000ull, 0);
    set_v(2, F32_ONE, 0);
    RUN(A("fmls v0.2s, v1.2s, v2.2s", e_same(0, 0, 2, 0x19, 2, 1, 0)));
    assert_v(0, 0x40000000ffc00000ull, 0);
    assert_fpsr(0);
}
END_TEST

/* FPCompareGE signals on any NaN: all ones for 2.0 >= 1.0, zeros and IOC
 * for a quiet NaN. */
START_TEST(test_fcmge_gives_all_ones_lanes_and_signals_on_quiet_nan)
{
    reset(0, 0);
    set_v(1, F64_TWO, F64_QNAN);
    set_v(2, F64_ONE, F64_ONE);
    RUN(A("fcmge v0.2d, v1.2d, v2.2d", e_same(1, 1, 1, 0x1c, 2, 1, 0)));
    assert_v(0, ~0ull, 0);
    assert_fpsr(IOC);
}
END_TEST

/* FPCompareEQ is quiet: a quiet NaN compares unequal without IOC. */
START_TEST(test_fcmeq_is_quiet_on_quiet_nan)
{
    reset(0, 0);
    set_v(1, F64_ONE, F64_QNAN);
    set_v(2, F64_ONE, F64_QNAN);
    RUN(A("fcmeq v0.2d, v1.2d, v2.2d", e_same(1, 0, 1, 0x1c, 2, 1, 0)));
    assert_v(0, ~0ull, 0);
    assert_fpsr(0);
}
END_TEST

/* FACGT compares FPAbs() of both: |-2.0| > |1.0|. */
START_TEST(test_facgt_compares_magnitudes)
{
    reset(0, 0);
    set_v(1, 0xc0000000ull, 0);
    set_v(2, F32_ONE, 0);
    RUN(A("facgt s0, s1, s2", e_scalar_same(1, 2, 0x1d, 2, 1, 0)));
    assert_v(0, 0xffffffffull, 0);
}
END_TEST

/* FPMulX: 0 * -inf is 2.0 with the product's sign. */
START_TEST(test_fmulx_zero_times_infinity_is_two)
{
    reset(0, 0);
    set_v(1, 0, 0);
    set_v(2, 0xff800000ull, 0);
    RUN(A("fmulx s0, s1, s2", e_scalar_same(0, 0, 0x1b, 2, 1, 0)));
    assert_v(0, 0xc0000000ull, 0);
    assert_fpsr(0);
}
END_TEST

/* FPDiv: 1/0 = +inf with DZC; 0/0 = the default NaN with IOC. */
START_TEST(test_fdiv_raises_dzc_and_ioc)
{
    reset(0, 0);
    set_v(1, F32_ONE, 0);
    set_v(2, 0, 0);
    RUN(A("fdiv v0.2s, v1.2s, v2.2s", e_same(0, 1, 0, 0x1f, 2, 1, 0)));
    assert_v(0, 0x7fc000007f800000ull, 0);
    assert_fpsr(IOC | DZC);
}
END_TEST

/* ---- access control and decoding ---- */

/* With CPACR_EL1.FPEN = 0 the instruction traps (EC 0x07) and writes nothing. */
START_TEST(test_add_traps_when_simd_is_disabled_and_writes_nothing)
{
    reset(0, 0);
    rig_vectors(1, VECTORS, INSN_WFI);
    set_v(0, 0x5555, 0x5555);
    const uint32_t prog[] = {A("add v0.16b, v1.16b, v2.16b", e_same(1, 0, 0, 0x10, 2, 1, 0))};
    rig_put_program(false, prog, 1);
    ck_assert_int_eq(cpu_run(pe, cpu_cycles(pe) + 1000), CPU_WAIT_WFI);
    ck_assert_uint_eq(pe->esr[1] >> 26, 0x07);
    ck_assert_uint_eq(pe->elr[1], CODE);
    assert_v(0, 0x5555, 0x5555);
}
END_TEST

/* Words of features a64sim does not advertise, and reserved arrangements. */
START_TEST(test_unadvertised_and_reserved_words_are_undefined)
{
    /* FMLAL v0.2s, v1.2h, v2.2h (FEAT_FHM) */
    ck_assert_int_eq(decode_family(e_same(0, 0, 0, 0x1d, 2, 1, 0)), FAM_NONE);
    /* PMULL v1.1q, v2.1d, v3.1d (FEAT_PMULL, a cryptographic instruction) */
    ck_assert_int_eq(decode_family(A("pmull v1.1q, v2.1d, v3.1d", 0x0ee3e041u)), FAM_NONE);
    /* FADDP h0, v1.2h (FEAT_FP16: U = 0 in the scalar pairwise class) */
    ck_assert_int_eq(decode_family(e_scalar_pair(0, 0, 0x0d, 1, 0)), FAM_NONE);
    /* FMAXV h0, v1.8h (FEAT_FP16: U = 0 across lanes) */
    ck_assert_int_eq(decode_family(e_across(1, 0, 0, 0x0f, 1, 0)), FAM_NONE);
    /* ADD with size:Q = 110 (1D) and FADD with sz:Q = 10 (1D) are reserved. */
    ck_assert_int_eq(decode_family(e_same(0, 0, 3, 0x10, 2, 1, 0)), FAM_NONE);
    ck_assert_int_eq(decode_family(e_same(0, 0, 1, 0x1a, 2, 1, 0)), FAM_NONE);
    /* FMAXV of 2S (Q = 0) is reserved; SQDMULH of bytes too. */
    ck_assert_int_eq(decode_family(e_across(0, 1, 0, 0x0f, 1, 0)), FAM_NONE);
    ck_assert_int_eq(decode_family(e_same(1, 0, 0, 0x16, 2, 1, 0)), FAM_NONE);
}
END_TEST

/* C6.2 ORR (vector, register): MOV when Rn == Rm. */
START_TEST(test_orr_with_rn_equal_to_rm_is_named_mov)
{
    ck_assert_str_eq(a64_mnemonic(A("mov v0.16b, v1.16b", e_same(1, 0, 2, 0x03, 1, 1, 0))), "mov");
    ck_assert_str_eq(a64_mnemonic(A("orr v0.16b, v1.16b, v2.16b", e_same(1, 0, 2, 0x03, 2, 1, 0))),
                     "orr");
    ck_assert_str_eq(a64_mnemonic(e_diff(1, 1, 2, 0xc, 2, 1, 0)), "umull2");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("simd_arith");
    TCase *t = tcase_create("saturation");
    tcase_add_checked_fixture(t, rig_setup_with_capstone, rig_teardown);
    tcase_add_test(t, test_sqadd_saturates_both_ways_and_sets_qc);
    tcase_add_test(t, test_uqadd_without_saturation_leaves_qc_clear);
    tcase_add_test(t, test_qc_is_sticky);
    tcase_add_test(t, test_uqsub_clamps_at_zero);
    tcase_add_test(t, test_scalar_uqadd_d_saturates);
    suite_add_tcase(s, t);
    t = tcase_create("shifts");
    tcase_add_checked_fixture(t, rig_setup_with_capstone, rig_teardown);
    tcase_add_test(t, test_srshl_negative_shift_rounds_half_up);
    tcase_add_test(t, test_urshl_by_minus_esize_keeps_the_rounding_carry);
    tcase_add_test(t, test_sshl_right_shift_past_the_width_fills_with_the_sign);
    tcase_add_test(t, test_sshl_reads_only_the_low_byte_of_the_shift);
    tcase_add_test(t, test_sqshl_left_shift_saturates_both_signs);
    tcase_add_test(t, test_uqrshl_rounding_carries_into_the_top_bit);
    tcase_add_test(t, test_uqshl_left_shift_by_the_width_saturates);
    suite_add_tcase(s, t);
    t = tcase_create("multiplies");
    tcase_add_checked_fixture(t, rig_setup_with_capstone, rig_teardown);
    tcase_add_test(t, test_sqrdmulh_rounds_where_sqdmulh_truncates);
    tcase_add_test(t, test_sqdmulh_of_the_minimum_squared_saturates);
    tcase_add_test(t, test_sqdmlal_saturates_product_and_sum);
    tcase_add_test(t, test_pmull_keeps_the_sixteen_bit_product);
    tcase_add_test(t, test_pmul_multiplies_polynomials_over_gf2);
    suite_add_tcase(s, t);
    t = tcase_create("halves");
    tcase_add_checked_fixture(t, rig_setup_with_capstone, rig_teardown);
    tcase_add_test(t, test_saddl2_reads_the_upper_halves);
    tcase_add_test(t, test_addhn2_writes_the_upper_half_and_keeps_the_lower);
    tcase_add_test(t, test_raddhn_rounds_and_clears_the_upper_half);
    tcase_add_test(t, test_add_8b_clears_the_upper_half);
    tcase_add_test(t, test_scalar_sqadd_h_clears_the_rest_of_the_register);
    suite_add_tcase(s, t);
    t = tcase_create("pairwise and across lanes");
    tcase_add_checked_fixture(t, rig_setup_with_capstone, rig_teardown);
    tcase_add_test(t, test_addp_pairs_vn_lanes_then_vm_lanes);
    tcase_add_test(t, test_uaddlv_widens_the_sum);
    tcase_add_test(t, test_saddlv_sign_extends_the_lanes);
    tcase_add_test(t, test_fmaxv_reduces_as_a_tree_not_left_to_right);
    tcase_add_test(t, test_fmaxnmp_scalar_prefers_the_number);
    suite_add_tcase(s, t);
    t = tcase_create("integer");
    tcase_add_checked_fixture(t, rig_setup_with_capstone, rig_teardown);
    tcase_add_test(t, test_sabd_of_the_extremes_is_255);
    tcase_add_test(t, test_urhadd_rounds_up_without_overflow);
    tcase_add_test(t, test_bsl_selects_vn_where_vd_is_set);
    tcase_add_test(t, test_bit_inserts_vn_where_vm_is_set);
    tcase_add_test(t, test_bif_inserts_vn_where_vm_is_clear);
    suite_add_tcase(s, t);
    t = tcase_create("floating point");
    tcase_add_checked_fixture(t, rig_setup_with_capstone, rig_teardown);
    tcase_add_test(t, test_fmls_negates_a_nan_multiplicand);
    tcase_add_test(t, test_fcmge_gives_all_ones_lanes_and_signals_on_quiet_nan);
    tcase_add_test(t, test_fcmeq_is_quiet_on_quiet_nan);
    tcase_add_test(t, test_facgt_compares_magnitudes);
    tcase_add_test(t, test_fmulx_zero_times_infinity_is_two);
    tcase_add_test(t, test_fdiv_raises_dzc_and_ioc);
    suite_add_tcase(s, t);
    t = tcase_create("decoding and traps");
    tcase_add_checked_fixture(t, rig_setup_with_capstone, rig_teardown);
    tcase_add_test(t, test_add_traps_when_simd_is_disabled_and_writes_nothing);
    tcase_add_test(t, test_unadvertised_and_reserved_words_are_undefined);
    tcase_add_test(t, test_orr_with_rn_equal_to_rm_is_named_mov);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
