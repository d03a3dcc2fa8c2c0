/* Advanced SIMD two-register miscellaneous, shift by immediate and
 * indexed element (cpu/exec_simd_misc.c): known answers for the rules that
 * are easy to get wrong.
 *
 * Instruction words were assembled by GNU as 2.40 (aarch64-linux-gnu-as,
 * -march=armv8.6-a+fp16+bf16+fp16fml for the words a64sim must reject)
 * and are listed with their source. Expected values are derived by hand
 * from the Arm ARM (DDI 0487 K.a) pseudocode named in each test (C7.2 and
 * the shared pseudocode: SignedSatQ, UnsignedSatQ, RecipEstimate,
 * RecipSqrtEstimate, FPConvert, FPRound with FPRounding_ODD), and were
 * also recorded from qemu-aarch64 7.2 (user mode) running the same
 * instructions on the same inputs; the two agree.
 *
 * The rig (pe_rig.h): one PE at EL1 on a bus with RAM, MMU off. Each
 * program starts by setting CPACR_EL1.FPEN = 0b11 and ends with WFI; the
 * V registers, FPCR and FPSR are set before it runs (FPSR = 0, so that
 * every flag an instruction raises shows). V registers are written as
 * (low, high) 64-bit halves, lanes numbered from the least significant. */
#include "cpu/decode.h"
#include "cpu/mnemonic.h"
#include "tests/unit/pe_rig.h"

#include <check.h>
#include <stdlib.h>

#define FPSR_QC  (1u << 27)
#define FPSR_IXC (1u << 4)
#define FPSR_UFC (1u << 3)
#define FPSR_OFC (1u << 2)
#define FPSR_DZC (1u << 1)
#define FPSR_IOC (1u << 0)
#define FPCR_AHP (1u << 26)

/* CODE: the FPEN prologue when FP is on, then the N words, then WFI. The
 * PE is reset, V0-V31 are zero and FPCR = FPSR = 0. */
static void load(const uint32_t *words, size_t n, bool fp_on)
{
    rig_load(fp_on, words, n);
    for (unsigned i = 0; i < 32; i++)
        cpu_set_v(pe, i, (const uint64_t[2]){0, 0});
    cpu_set_fpcr_fpsr(pe, 0, 0);
}

#define PROGRAM(...)                                                                               \
    do {                                                                                           \
        const uint32_t prog_[] = {__VA_ARGS__};                                                    \
        load(prog_, sizeof(prog_) / sizeof(prog_[0]), true);                                       \
    } while (0)

static bool undefined(uint32_t word)
{
    return a64_mnemonic(word) == NULL;
}

/* ---- saturating narrows and FPSR.QC (SignedSatQ, UnsignedSatQ) ---- */

START_TEST(test_sqxtn_saturates_each_lane_and_sets_qc)
{
    PROGRAM(0x0e214820u); /* sqxtn v0.8b, v1.8h */
    /* 0x7fff -> 0x7f, 0x8000 -> 0x80, 0xff7f (-129) -> 0x80, 0x0080 (128) -> 0x7f, 1 -> 1 */
    set_v(1, 0x0080ff7f80007fffull, 0x0000000000000001ull);
    run_to_wfi();
    assert_v(0, 0x000000017f80807full, 0);
    assert_fpsr(FPSR_QC);
}
END_TEST

START_TEST(test_sqxtn_in_range_leaves_qc_clear)
{
    PROGRAM(0x0e214820u); /* sqxtn v0.8b, v1.8h */
    /* -2, -128, 127, 1: all representable in 8 bits */
    set_v(1, 0x0001007fff80fffeull, 0);
    run_to_wfi();
    assert_v(0, 0x00000000017f80feull, 0);
    assert_fpsr(0);
}
END_TEST

START_TEST(test_uqxtn2_fills_the_upper_half_and_keeps_the_lower)
{
    PROGRAM(0x6e214820u); /* uqxtn2 v0.16b, v1.8h */
    set_v(0, 0x0706050403020100ull, 0xffffffffffffffffull);
    /* 0xffff, 0x0100, 0x0100 -> 0xff (saturated); 0x00ff, 1 fit */
    set_v(1, 0x00ff01000100ffffull, 0x0000000000000001ull);
    run_to_wfi();
    assert_v(0, 0x0706050403020100ull, 0x00000001ffffffffull);
    assert_fpsr(FPSR_QC);
}
END_TEST

START_TEST(test_sqxtun_clamps_negative_lanes_to_zero)
{
    PROGRAM(0x2e612820u); /* sqxtun v0.4h, v1.4s */
    /* 0x7fffffff -> 0xffff, 0x10000 -> 0xffff, INT32_MIN -> 0, 0xffff -> 0xffff */
    set_v(0, ~0ull, ~0ull);
    set_v(1, 0x000100007fffffffull, 0x0000ffff80000000ull);
    run_to_wfi();
    assert_v(0, 0xffff0000ffffffffull, 0);
    assert_fpsr(FPSR_QC);
}
END_TEST

START_TEST(test_sqrshrn_rounding_can_saturate)
{
    PROGRAM(0x5f109c20u); /* sqrshrn h0, s1, #16 */
    /* (0x7fff8000 + 0x8000) >> 16 = 0x8000 > INT16_MAX: saturates to 0x7fff */
    set_v(1, 0x7fff8000ull, 0);
    run_to_wfi();
    assert_v(0, 0x7fff, 0);
    assert_fpsr(FPSR_QC);
}
END_TEST

START_TEST(test_sqshrun_scalar_shifts_by_the_narrow_size)
{
    PROGRAM(0x7f208420u); /* sqshrun s0, d1, #32 */
    set_v(1, 0x0000000100000000ull, 0x1234);
    run_to_wfi();
    assert_v(0, 1, 0);
    assert_fpsr(0);
}
END_TEST

/* ---- rounding shifts at the maximum shift ---- */

START_TEST(test_urshr_d_by_64_rounds_to_the_top_bit)
{
    PROGRAM(0x7f402420u); /* urshr d0, d1, #64 */
    /* (x + 2^63) >> 64 in 65 bits: 1 exactly when bit 63 is set */
    set_v(1, 0x8000000000000000ull, 0);
    run_to_wfi();
    assert_v(0, 1, 0);
}
END_TEST

START_TEST(test_srshr_2d_by_64_is_zero)
{
    PROGRAM(0x4f402420u); /* srshr v0.2d, v1.2d, #64 */
    /* (x + 2^63) >> 64 for every signed 64-bit x is 0 */
    set_v(0, ~0ull, ~0ull);
    set_v(1, 0x8000000000000000ull, 0x7fffffffffffffffull);
    run_to_wfi();
    assert_v(0, 0, 0);
}
END_TEST

START_TEST(test_rshrn_by_element_size_rounds_half_up_and_truncates)
{
    PROGRAM(0x0f088c20u); /* rshrn v0.8b, v1.8h, #8 */
    /* (x + 0x80) >> 8, low 8 bits: ff7f -> ff, ff80 -> (0x100) 00, 0180 -> 02,
     * 017f -> 01, 0000 -> 00, fffe -> 00, 0081 -> 01, 0080 -> 01 */
    set_v(1, 0x017f0180ff80ff7full, 0x00800081fffe0000ull);
    run_to_wfi();
    assert_v(0, 0x01010000010200ffull, 0);
}
END_TEST

START_TEST(test_ursra_by_element_size_adds_the_rounding_bit)
{
    PROGRAM(0x6f083420u); /* ursra v0.16b, v1.16b, #8 */
    /* each lane: Vd + ((x + 0x80) >> 8), i.e. + 1 when bit 7 of x is set */
    set_v(0, 0x0101010101010101ull, 0x0202020202020202ull);
    set_v(1, 0x80807f7fff000180ull, 0x000000000000807full);
    run_to_wfi();
    assert_v(0, 0x0202010102010102ull, 0x0202020202020302ull);
}
END_TEST

/* ---- SRI and SLI merge with the destination ---- */

START_TEST(test_sri_by_element_size_keeps_the_destination)
{
    PROGRAM(0x6f084420u); /* sri v0.16b, v1.16b, #8 */
    set_v(0, 0x0123456789abcdefull, 0xfedcba9876543210ull);
    set_v(1, ~0ull, ~0ull);
    run_to_wfi();
    assert_v(0, 0x0123456789abcdefull, 0xfedcba9876543210ull);
}
END_TEST

START_TEST(test_sri_keeps_the_top_bits_of_each_destination_lane)
{
    PROGRAM(0x2f1c4420u); /* sri v0.4h, v1.4h, #4 */
    /* lane: (Vd & 0xf000) | (Vn >> 4): cdef/abcd -> cabc, 89ab/0000 -> 8000,
     * 4567/1234 -> 4123, 0123/ffff -> 0fff; Q = 0 clears bits 127:64 */
    set_v(0, 0x0123456789abcdefull, 0xfedcba9876543210ull);
    set_v(1, 0xffff12340000abcdull, 1);
    run_to_wfi();
    assert_v(0, 0x0fff41238000cabcull, 0);
}
END_TEST

START_TEST(test_sli_keeps_the_low_bits_of_each_destination_lane)
{
    PROGRAM(0x2f3c5420u); /* sli v0.2s, v1.2s, #28 */
    /* lane: (Vn << 28) | (Vd & 0x0fffffff): ffffffff/89abcdef -> f9abcdef,
     * 00000005/01234567 -> 51234567 */
    set_v(0, 0x0123456789abcdefull, 0xfedcba9876543210ull);
    set_v(1, 0x00000005ffffffffull, 1);
    run_to_wfi();
    assert_v(0, 0x51234567f9abcdefull, 0);
}
END_TEST

/* ---- CNT, CLS, CLZ per element size ---- */

START_TEST(test_cnt_counts_the_bits_of_each_byte)
{
    PROGRAM(0x4e205820u); /* cnt v0.16b, v1.16b */
    set_v(1, 0x8040201008040201ull, 0xff7f3f1f0f070301ull);
    run_to_wfi();
    assert_v(0, 0x0101010101010101ull, 0x0807060504030201ull);
}
END_TEST

START_TEST(test_cls_counts_sign_bits_below_the_top_per_size)
{
    PROGRAM(0x0e204820u,  /* cls v0.8b, v1.8b */
            0x0e604862u,  /* cls v2.4h, v3.4h */
            0x0ea048a4u); /* cls v4.2s, v5.2s */
    /* bytes 20 40 fe 01 7f 80 ff 00 -> 1 0 6 6 0 0 7 7 */
    set_v(1, 0x00ff807f01fe4020ull, 0);
    /* halves c001 8000 ffff 0000 -> 1 0 15 15 */
    set_v(3, 0x0000ffff8000c001ull, 0);
    /* words bfffffff 00000001 -> 0 30 */
    set_v(5, 0x00000001bfffffffull, 0);
    run_to_wfi();
    assert_v(0, 0x0707000006060001ull, 0);
    assert_v(2, 0x000f000f00000001ull, 0);
    assert_v(4, 0x0000001e00000000ull, 0);
}
END_TEST

START_TEST(test_clz_counts_leading_zeros_per_size)
{
    PROGRAM(0x2e204820u,  /* clz v0.8b, v1.8b */
            0x2e604862u,  /* clz v2.4h, v3.4h */
            0x6ea048a4u); /* clz v4.4s, v5.4s */
    /* bytes 20 40 fe 01 7f 80 ff 00 -> 2 1 0 7 1 0 0 8; halves 8000 0001 ffff 0000
     * -> 0 15 0 16; words ffffffff 00000001 00010000 00000000 -> 0 31 15 32 */
    set_v(1, 0x00ff807f01fe4020ull, 0);
    set_v(3, 0x0000ffff00018000ull, 0);
    set_v(5, 0x00000001ffffffffull, 0x0000000000010000ull);
    run_to_wfi();
    assert_v(0, 0x0800000107000102ull, 0);
    assert_v(2, 0x00100000000f0000ull, 0);
    assert_v(4, 0x0000001f00000000ull, 0x000000200000000full);
}
END_TEST

/* ---- FCVTXN: FPConvert with FPRounding_ODD ---- */

START_TEST(test_fcvtxn_sets_the_last_bit_of_inexact_results)
{
    PROGRAM(0x2e616820u); /* fcvtxn v0.2s, v1.2d */
    /* 1 + 2^-26 is not a single: truncated to 1.0, then the lsb is set (0x3f800001);
     * 1 + 2^-23 is exact (0x3f800001 too), so only the first raises IXC */
    set_v(1, 0x3ff0000004000000ull, 0x3ff0000020000000ull);
    run_to_wfi();
    assert_v(0, 0x3f8000013f800001ull, 0);
    assert_fpsr(FPSR_IXC);
}
END_TEST

START_TEST(test_fcvtxn2_keeps_exact_results_even)
{
    PROGRAM(0x6e616820u); /* fcvtxn2 v0.4s, v1.2d */
    /* 1.0 -> 0x3f800000 (exact); 1 + 2^-52 -> 0x3f800001; the lower half of Vd stays */
    set_v(0, 0x1111111122222222ull, 0x3333333344444444ull);
    set_v(1, 0x3ff0000000000000ull, 0x3ff0000000000001ull);
    run_to_wfi();
    assert_v(0, 0x1111111122222222ull, 0x3f8000013f800000ull);
    assert_fpsr(FPSR_IXC);
}
END_TEST

/* ---- half precision conversions follow FPCR.AHP ---- */

START_TEST(test_fcvtn_to_half_with_ahp_has_no_infinity_or_nan)
{
    PROGRAM(0x0e216820u); /* fcvtn v0.4h, v1.4s */
    /* +inf -> 0x7fff (the largest alternative value) and IOC; 65520.0 rounds up to
     * 65536.0 = 0x7c00 (a number with AHP) and IXC; -65536.0 -> 0xfc00; a quiet
     * NaN -> +0 and IOC (FPConvert, alt_hp) */
    set_v(1, 0x477ff0007f800000ull, 0x7fc00000c7800000ull);
    cpu_set_fpcr_fpsr(pe, FPCR_AHP, 0);
    run_to_wfi();
    assert_v(0, 0x0000fc007c007fffull, 0);
    assert_fpsr(FPSR_IOC | FPSR_IXC);
}
END_TEST

START_TEST(test_fcvtn_to_half_without_ahp_overflows_to_infinity)
{
    PROGRAM(0x0e216820u); /* fcvtn v0.4h, v1.4s */
    /* +inf -> 0x7c00; 65520.0 and -65536.0 overflow to +-inf (OFC, IXC); qNaN -> 0x7e00 */
    set_v(1, 0x477ff0007f800000ull, 0x7fc00000c7800000ull);
    run_to_wfi();
    assert_v(0, 0x7e00fc007c007c00ull, 0);
    assert_fpsr(FPSR_OFC | FPSR_IXC);
}
END_TEST

START_TEST(test_fcvtl_from_half_with_ahp_reads_the_top_exponent_as_a_number)
{
    PROGRAM(0x0e217820u); /* fcvtl v0.4s, v1.4h */
    /* 0x7c00 -> 65536.0, 0x7fff -> 131008.0, 0x7e00 -> 98304.0, 0xfc00 -> -65536.0 */
    set_v(1, 0xfc007e007fff7c00ull, 0);
    cpu_set_fpcr_fpsr(pe, FPCR_AHP, 0);
    run_to_wfi();
    assert_v(0, 0x47ffe00047800000ull, 0xc780000047c00000ull);
    assert_fpsr(0);
}
END_TEST

/* ---- reciprocal estimates (RecipEstimate, RecipSqrtEstimate) ---- */

START_TEST(test_frecpe_known_points)
{
    PROGRAM(0x4ea1d820u); /* frecpe v0.4s, v1.4s */
    /* 1.0 -> 0.998046875 (0x3f7f8000: RecipEstimate(256) = 511); 2.0 -> 0x3eff8000;
     * 3.0 -> 0x3eaa8000 (RecipEstimate(384) = 341); -0.0 -> -inf and DZC */
    set_v(1, 0x400000003f800000ull, 0x8000000040400000ull);
    run_to_wfi();
    assert_v(0, 0x3eff80003f7f8000ull, 0xff8000003eaa8000ull);
    assert_fpsr(FPSR_DZC);
}
END_TEST

START_TEST(test_urecpe_known_points)
{
    PROGRAM(0x4ea1c820u); /* urecpe v0.4s, v1.4s */
    /* 0x80000000 -> 511 << 23; 0xffffffff -> RecipEstimate(511) = 256 -> 0x80000000;
     * 0xc0000000 -> 341 << 23; below 0x80000000 -> all ones */
    set_v(1, 0xffffffff80000000ull, 0x00000000c0000000ull);
    run_to_wfi();
    assert_v(0, 0x80000000ff800000ull, 0xffffffffaa800000ull);
}
END_TEST

START_TEST(test_ursqrte_known_points)
{
    PROGRAM(0x6ea1c820u); /* ursqrte v0.4s, v1.4s */
    /* 0x40000000 -> RecipSqrtEstimate(128) = 511; 0xffffffff -> 256;
     * 0x80000000 -> RecipSqrtEstimate(256) = 361 (0xb4800000); below 0x40000000 -> all ones */
    set_v(1, 0xffffffff40000000ull, 0x3fffffff80000000ull);
    run_to_wfi();
    assert_v(0, 0x80000000ff800000ull, 0xffffffffb4800000ull);
}
END_TEST

/* ---- indexed element selection ---- */

START_TEST(test_indexed_h_element_index_is_h_l_m)
{
    PROGRAM(0x4f7f8820u); /* mul v0.8h, v1.8h, v15.h[7]: H = L = M = 1, Rm = 1111 */
    set_v(1, 0x0004000300020001ull, 0x0008000700060005ull);
    set_v(15, 0, 0x0100000000000000ull); /* h[7] = 0x100, the other lanes 0 */
    run_to_wfi();
    assert_v(0, 0x0400030002000100ull, 0x0800070006000500ull);
}
END_TEST

START_TEST(test_indexed_h_element_m_bit_is_the_index_not_the_register)
{
    PROGRAM(0x0f528022u); /* mul v2.4h, v1.4h, v2.h[1]: M = 1, Rm = 0010, so V2 and not V18 */
    set_v(1, 0x0004000300020001ull, 0);
    set_v(2, 0x0000000000030000ull, 0);  /* h[1] = 3 */
    set_v(18, 0x0000000000070000ull, 0); /* h[1] = 7: read if M were part of Rm */
    run_to_wfi();
    assert_v(2, 0x000c000900060003ull, 0);
}
END_TEST

START_TEST(test_indexed_s_element_reaches_v16_to_v31)
{
    PROGRAM(0x4fbf8823u); /* mul v3.4s, v1.4s, v31.s[3]: index H:L = 11, Rm = M:Rm = 11111 */
    set_v(1, 0x0000000200000001ull, 0x0000000400000003ull);
    set_v(31, 0, 0x0000001000000000ull);
    run_to_wfi();
    assert_v(3, 0x0000002000000010ull, 0x0000004000000030ull);
}
END_TEST

START_TEST(test_sqdmulh_by_element_saturates_minimum_squared)
{
    PROGRAM(0x0f42c020u,  /* sqdmulh v0.4h, v1.4h, v2.h[0] */
            0x5f52d023u); /* sqrdmulh h3, h1, v2.h[1] */
    /* by -32768: 0x8000 (twice) -> 0x7fff (QC); 1 -> (2 * -32768) >> 16 = -1;
     * 0x4000 -> 0xc000. Then (2 * -32768 * 32767 + 2^15) >> 16 = -32767 = 0x8001. */
    set_v(1, 0x4000000180008000ull, 0);
    set_v(2, 0x7fff8000ull, 0);
    run_to_wfi();
    assert_v(0, 0xc000ffff7fff7fffull, 0);
    assert_v(3, 0x8001, 0);
    assert_fpsr(FPSR_QC);
}
END_TEST

START_TEST(test_sqdmlal_saturates_the_product_then_the_sum)
{
    PROGRAM(0x0f423020u); /* sqdmlal v0.4s, v1.4h, v2.h[0] */
    /* product of -32768 squared saturates to 0x7fffffff, then 0x7fffffff + 0x7fffffff
     * saturates; 1 + 0x7fffffff saturates; 0 + (2 * 1 * -32768) = 0xffff0000;
     * INT32_MIN + 0 stays */
    set_v(0, 0x000000017fffffffull, 0x8000000000000000ull);
    set_v(1, 0x0000000180008000ull, 0);
    set_v(2, 0x8000, 0);
    run_to_wfi();
    assert_v(0, 0x7fffffff7fffffffull, 0x80000000ffff0000ull);
    assert_fpsr(FPSR_QC);
}
END_TEST

/* ---- saturating shifts left and accumulates ---- */

START_TEST(test_sqshl_imm_saturates_toward_the_sign)
{
    PROGRAM(0x4f417420u); /* sqshl v0.2d, v1.2d, #1 */
    /* 2^62 << 1 overflows to INT64_MAX; -(2^62 + 1) << 1 to INT64_MIN */
    set_v(1, 0x4000000000000000ull, 0xbfffffffffffffffull);
    run_to_wfi();
    assert_v(0, 0x7fffffffffffffffull, 0x8000000000000000ull);
    assert_fpsr(FPSR_QC);
}
END_TEST

START_TEST(test_sqshlu_clamps_negative_lanes_to_zero)
{
    PROGRAM(0x2f096420u); /* sqshlu v0.8b, v1.8b, #1 */
    /* 00 -> 00, 3f -> 7e, 01 -> 02, 40 -> 80, 7f -> fe, ff (-1) -> 0, 80 -> 0, 00 */
    set_v(1, 0x0080ff7f40013f00ull, 0);
    run_to_wfi();
    assert_v(0, 0x000000fe80027e00ull, 0);
    assert_fpsr(FPSR_QC);
}
END_TEST

START_TEST(test_suqadd_and_usqadd_saturate_64_bit_lanes)
{
    PROGRAM(0x4ee03820u,  /* suqadd v0.2d, v1.2d */
            0x6ee03842u); /* usqadd v2.2d, v2.2d */
    /* INT64_MAX + 1 -> INT64_MAX; INT64_MIN + (2^64 - 1) = INT64_MAX exactly */
    set_v(0, 0x7fffffffffffffffull, 0x8000000000000000ull);
    set_v(1, 1, ~0ull);
    /* unsigned 1 + signed 1 = 2; unsigned 2^63 + signed INT64_MIN = 0 */
    set_v(2, 1, 0x8000000000000000ull);
    run_to_wfi();
    assert_v(0, 0x7fffffffffffffffull, 0x7fffffffffffffffull);
    assert_v(2, 2, 0);
    assert_fpsr(FPSR_QC);
}
END_TEST

/* ---- writes: Q = 0 and scalar results clear the rest of the register ---- */

START_TEST(test_q0_and_scalar_results_clear_the_upper_bits)
{
    PROGRAM(0x0e20b820u,  /* abs v0.8b, v1.8b */
            0x5e207822u,  /* sqabs b2, b1 */
            0x7ee0b823u); /* neg d3, d1 */
    set_v(0, 1, ~0ull);
    set_v(1, 0x80ff7f0102fe8101ull, 0x1234);
    set_v(2, 1, 1);
    set_v(3, 5, 6);
    run_to_wfi();
    assert_v(0, 0x80017f0102027f01ull, 0); /* ABS(-128) wraps to 0x80 */
    assert_v(2, 0x01, 0);
    assert_v(3, 0x7f0080fefd017effull, 0);
    assert_fpsr(0);
}
END_TEST

START_TEST(test_sxtl_is_sshll_by_zero)
{
    PROGRAM(0x0f08a420u); /* sxtl v0.8h, v1.8b (sshll #0) */
    set_v(1, 0x7f80ff0102030405ull, 0xffffffffffffffffull);
    run_to_wfi();
    assert_v(0, 0x0002000300040005ull, 0x007fff80ffff0001ull);
    ck_assert_str_eq(a64_mnemonic(0x0f08a420u), "sxtl");
    ck_assert_str_eq(a64_mnemonic(0x6f08a420u), "uxtl2");
    ck_assert_str_eq(a64_mnemonic(0x0f09a420u), "sshll"); /* #1 */
}
END_TEST

/* ---- what a64sim does not implement ---- */

START_TEST(test_unadvertised_forms_are_undefined)
{
    ck_assert(undefined(0x0f021020u)); /* fmla v0.4h, v1.4h, v2.h[0] (FEAT_FP16) */
    ck_assert(undefined(0x0f1de420u)); /* scvtf v0.4h, v1.4h, #3 (FEAT_FP16) */
    ck_assert(undefined(0x4e21e820u)); /* frint32z v0.4s, v1.4s (FEAT_FRINTTS) */
    ck_assert(undefined(0x0ea16820u)); /* bfcvtn v0.4h, v1.4s (FEAT_BF16) */
    ck_assert(undefined(0x0f82e020u)); /* sdot v0.2s, v1.8b, v2.4b[0] (FEAT_DotProd) */
    ck_assert(undefined(0x2f42d020u)); /* sqrdmlah v0.4h, v1.4h, v2.h[0] (FEAT_RDM) */
    ck_assert(undefined(0x0f820020u)); /* fmlal v0.2s, v1.2h, v2.h[0] (FEAT_FHM) */
    ck_assert(undefined(0x2f421020u)); /* fcmla v0.4h, v1.4h, v2.h[0], #0 (FEAT_FCMA) */
}
END_TEST

START_TEST(test_unallocated_corners_are_undefined)
{
    /* fmul v0.2d, v1.2d, v2.d[1] is 4fc29820; with L = 1 it is unallocated */
    ck_assert(!undefined(0x4fc29820u));
    ck_assert(undefined(0x4fe29820u));
    /* abs v0.1d (size:Q = 110), sshr v0.1d (immh = 1xxx, Q = 0), fcvtxn with sz = 0 */
    ck_assert(undefined(0x0ee0b820u));
    ck_assert(undefined(0x0f7f0420u));
    ck_assert(undefined(0x2e216820u));
}
END_TEST

START_TEST(test_fp_disabled_traps_before_writing_anything)
{
    const uint32_t words[] = {0x4ea1d820u}; /* frecpe v0.4s, v1.4s, with CPACR_EL1.FPEN = 0 */
    load(words, 1, false);
    set_v(0, 0x1111, 0x2222);
    set_v(1, 0, 0); /* FRECPE(0) would raise DZC */
    enum cpu_state st = cpu_run(pe, cpu_cycles(pe) + RUN_CYCLES);
    /* the CPACR_EL1 trap (EC 0x07) stops the rig's PE at the instruction */
    ck_assert_int_eq(st, CPU_HALTED);
    ck_assert_int_eq(cpu_fault(pe)->kind, FAULT_TRAP);
    ck_assert_uint_eq(cpu_fault(pe)->pc, CODE);
    assert_v(0, 0x1111, 0x2222);
    assert_fpsr(0);
}
END_TEST

static Suite *simd_misc_suite(void)
{
    Suite *s = suite_create("simd_misc");
    TCase *t = tcase_create("narrow");
    tcase_add_checked_fixture(t, rig_setup, rig_teardown);
    tcase_add_test(t, test_sqxtn_saturates_each_lane_and_sets_qc);
    tcase_add_test(t, test_sqxtn_in_range_leaves_qc_clear);
    tcase_add_test(t, test_uqxtn2_fills_the_upper_half_and_keeps_the_lower);
    tcase_add_test(t, test_sqxtun_clamps_negative_lanes_to_zero);
    tcase_add_test(t, test_sqrshrn_rounding_can_saturate);
    tcase_add_test(t, test_sqshrun_scalar_shifts_by_the_narrow_size);
    suite_add_tcase(s, t);

    t = tcase_create("shift");
    tcase_add_checked_fixture(t, rig_setup, rig_teardown);
    tcase_add_test(t, test_urshr_d_by_64_rounds_to_the_top_bit);
    tcase_add_test(t, test_srshr_2d_by_64_is_zero);
    tcase_add_test(t, test_rshrn_by_element_size_rounds_half_up_and_truncates);
    tcase_add_test(t, test_ursra_by_element_size_adds_the_rounding_bit);
    tcase_add_test(t, test_sri_by_element_size_keeps_the_destination);
    tcase_add_test(t, test_sri_keeps_the_top_bits_of_each_destination_lane);
    tcase_add_test(t, test_sli_keeps_the_low_bits_of_each_destination_lane);
    tcase_add_test(t, test_sqshl_imm_saturates_toward_the_sign);
    tcase_add_test(t, test_sqshlu_clamps_negative_lanes_to_zero);
    tcase_add_test(t, test_sxtl_is_sshll_by_zero);
    suite_add_tcase(s, t);

    t = tcase_create("misc");
    tcase_add_checked_fixture(t, rig_setup, rig_teardown);
    tcase_add_test(t, test_cnt_counts_the_bits_of_each_byte);
    tcase_add_test(t, test_cls_counts_sign_bits_below_the_top_per_size);
    tcase_add_test(t, test_clz_counts_leading_zeros_per_size);
    tcase_add_test(t, test_suqadd_and_usqadd_saturate_64_bit_lanes);
    tcase_add_test(t, test_q0_and_scalar_results_clear_the_upper_bits);
    suite_add_tcase(s, t);

    t = tcase_create("fp");
    tcase_add_checked_fixture(t, rig_setup, rig_teardown);
    tcase_add_test(t, test_fcvtxn_sets_the_last_bit_of_inexact_results);
    tcase_add_test(t, test_fcvtxn2_keeps_exact_results_even);
    tcase_add_test(t, test_fcvtn_to_half_with_ahp_has_no_infinity_or_nan);
    tcase_add_test(t, test_fcvtn_to_half_without_ahp_overflows_to_infinity);
    tcase_add_test(t, test_fcvtl_from_half_with_ahp_reads_the_top_exponent_as_a_number);
    tcase_add_test(t, test_frecpe_known_points);
    tcase_add_test(t, test_urecpe_known_points);
    tcase_add_test(t, test_ursqrte_known_points);
    suite_add_tcase(s, t);

    t = tcase_create("indexed");
    tcase_add_checked_fixture(t, rig_setup, rig_teardown);
    tcase_add_test(t, test_indexed_h_element_index_is_h_l_m);
    tcase_add_test(t, test_indexed_h_element_m_bit_is_the_index_not_the_register);
    tcase_add_test(t, test_indexed_s_element_reaches_v16_to_v31);
    tcase_add_test(t, test_sqdmulh_by_element_saturates_minimum_squared);
    tcase_add_test(t, test_sqdmlal_saturates_the_product_then_the_sum);
    suite_add_tcase(s, t);

    t = tcase_create("decode");
    tcase_add_checked_fixture(t, rig_setup, rig_teardown);
    tcase_add_test(t, test_unadvertised_forms_are_undefined);
    tcase_add_test(t, test_unallocated_corners_are_undefined);
    tcase_add_test(t, test_fp_disabled_traps_before_writing_anything);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(simd_misc_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
