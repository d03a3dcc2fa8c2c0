/* The scalar floating-point instructions (cpu/exec_fp.c): one behaviour per
 * test, for every class of the Arm ARM's "Data processing -- scalar
 * floating-point" (C4.1) and the special rules of its pseudocode (C6.2,
 * shared/functions/float: FPProcessNaNs, FPRoundBase, FPToFixed, FPConvert,
 * FPCompare, VFPExpandImm).
 *
 * Every instruction word is built by the encoders below from the Arm ARM
 * encoding diagrams and checked against Capstone's disassembly (A()), but
 * for the words Capstone 4.0.2 does not know (FEAT_FP16, FEAT_JSCVT,
 * FEAT_FRINTTS, BF16), which come from the encoders alone. Expected values
 * are derived by hand from the pseudocode, as each test's comment shows,
 * and every one was also recorded from qemu-aarch64 7.2 running the same
 * instruction on the same inputs (the scalar FP values agree).
 *
 * The PE starts at EL1 with CPACR_EL1.FPEN = 00; each program enables
 * SIMD&FP with MSR CPACR_EL1 first (FP_PROGRAM), but for the trap test. */
#include "cpu/decode.h"
#include "tests/unit/pe_rig.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#define VEC1 (RAM_BASE + 0x10000ull) /* VBAR_EL1 */

/* FPCR and FPSR bits (Arm ARM FPCR, FPSR). */
#define RP  (1u << 22) /* FPCR.RMode = 01: towards +infinity */
#define FZ  (1u << 24) /* FPCR.FZ */
#define DN  (1u << 25) /* FPCR.DN */
#define AHP (1u << 26) /* FPCR.AHP */
#define IOC 0x01u
#define DZC 0x02u
#define OFC 0x04u
#define UFC 0x08u
#define IXC 0x10u
#define IDC 0x80u

/* NZCV as a 4-bit number. */
#define NZCV_0011 0x3u
#define NZCV_1000 0x8u

/* Single and double encodings used throughout. */
#define S_ONE       0x3f800000u
#define S_TWO       0x40000000u
#define S_QNAN      0x7fc00000u
#define S_SNAN      0x7f800001u
#define D_ONE       0x3ff0000000000000ull
#define D_MINUS_ONE 0xbff0000000000000ull

/* ---- The rig (pe_rig.h), and what these tests add to it ------------------ */

/* Put N words at CODE (after the FPEN prologue when FP_ON), vectors that
 * stop in WFI at VEC1, and reset the PE to start at CODE. */
static void load(bool fp_on, const uint32_t *words, size_t n)
{
    rig_load(fp_on, words, n);
    rig_vectors(1, VEC1, INSN_WFI);
}

/* Run the program to its WFI, with no exception on the way. */
static void run_to_wfi_without_exception(void)
{
    run_to_wfi();
    ck_assert_msg(cpu_exceptions(pe) == 0, "an exception was taken (ESR_EL1 %#" PRIx64 ")",
                  pe->esr[1]);
}

static void set_fpcr(uint32_t fpcr)
{
    cpu_set_fpcr_fpsr(pe, fpcr, 0);
}

static unsigned nzcv(void)
{
    return (unsigned)(cpu_get_pstate(pe) >> 28) & 0xf;
}

static void set_nzcv(unsigned flags)
{
    nzcv_set(pe, flags << 28);
}

#define X(n)       cpu_get_x(pe, (n))
#define SETX(n, v) cpu_set_x(pe, (n), (v))

/* ---- Encoders: field layouts from the Arm ARM encoding diagrams --------- */

enum { EQ, NE, CS, CC, MI, PL, VS, VC, HI, LS, GE, LT, GT, LE, AL, NV };
enum { SINGLE = 0, DOUBLE = 1, HALF = 3 }; /* ftype */

/* Data-processing (2 source): opcode 0 FMUL, 1 FDIV, 2 FADD, 3 FSUB, 4 FMAX,
 * 5 FMIN, 6 FMAXNM, 7 FMINNM, 8 FNMUL. */
static uint32_t e_dp2(unsigned ftype, unsigned opcode, unsigned rm, unsigned rn, unsigned rd)
{
    return 0x1e200800u | ftype << 22 | rm << 16 | opcode << 12 | rn << 5 | rd;
}
/* Data-processing (1 source): opcode bits 20:15. */
static uint32_t e_dp1(unsigned ftype, unsigned opcode, unsigned rn, unsigned rd)
{
    return 0x1e204000u | ftype << 22 | opcode << 15 | rn << 5 | rd;
}
/* Data-processing (3 source): o1:o0 00 FMADD, 01 FMSUB, 10 FNMADD, 11 FNMSUB. */
static uint32_t e_dp3(unsigned ftype, unsigned o1, unsigned o0, unsigned rm, unsigned ra,
                      unsigned rn, unsigned rd)
{
    return 0x1f000000u | ftype << 22 | o1 << 21 | rm << 16 | o0 << 15 | ra << 10 | rn << 5 | rd;
}
/* Compare: opcode2 = E:zero:000. */
static uint32_t e_cmp(unsigned ftype, unsigned rm, unsigned rn, unsigned e, unsigned zero)
{
    return 0x1e202000u | ftype << 22 | rm << 16 | rn << 5 | e << 4 | zero << 3;
}
static uint32_t e_ccmp(unsigned ftype, unsigned rm, unsigned cond, unsigned rn, unsigned e,
                       unsigned nzcv_imm)
{
    return 0x1e200400u | ftype << 22 | rm << 16 | cond << 12 | rn << 5 | e << 4 | nzcv_imm;
}
static uint32_t e_csel(unsigned ftype, unsigned rm, unsigned cond, unsigned rn, unsigned rd)
{
    return 0x1e200c00u | ftype << 22 | rm << 16 | cond << 12 | rn << 5 | rd;
}
static uint32_t e_imm(unsigned ftype, unsigned imm8, unsigned rd)
{
    return 0x1e201000u | ftype << 22 | imm8 << 13 | rd;
}
/* Conversion between FP and integer: rmode bits 20:19, opcode 18:16. */
static uint32_t e_int(unsigned sf, unsigned ftype, unsigned rmode, unsigned opcode, unsigned rn,
                      unsigned rd)
{
    return sf << 31 | 0x1e200000u | ftype << 22 | rmode << 19 | opcode << 16 | rn << 5 | rd;
}
/* Conversion between FP and fixed point: scale bits 15:10, fbits = 64 - scale. */
static uint32_t e_fixed(unsigned sf, unsigned ftype, unsigned rmode, unsigned opcode,
                        unsigned scale, unsigned rn, unsigned rd)
{
    return sf << 31 | 0x1e000000u | ftype << 22 | rmode << 19 | opcode << 16 | scale << 10 |
           rn << 5 | rd;
}

/* The program: the FPEN prologue, the words, WFI. */
#define FP_PROGRAM(...)                                                                            \
    do {                                                                                           \
        const uint32_t prog_[] = {__VA_ARGS__};                                                    \
        load(true, prog_, sizeof(prog_) / sizeof(prog_[0]));                                       \
    } while (0)

/* ---- 1. Arithmetic: rounding, exceptions, NaNs, flush-to-zero ---------- */

/* FPRoundBase, RN: 1 + 2^-24 lies halfway between 1.0 and 1 + 2^-23; the
 * tie goes to the even mantissa (1.0), inexact. */
START_TEST(test_fadd_tie_rounds_to_even)
{
    FP_PROGRAM(A("fadd s0, s1, s2", e_dp2(SINGLE, 2, 2, 1, 0)));
    set_v(1, S_ONE, 0);
    set_v(2, 0x33800000u, 0); /* 2^-24 */
    run_to_wfi_without_exception();
    assert_v(0, S_ONE, 0);
    assert_fpsr(IXC);
}
END_TEST

/* FPRoundBase, RP: the same sum rounds up to 1 + 2^-23. */
START_TEST(test_fadd_in_rp_rounds_up)
{
    FP_PROGRAM(A("fadd s0, s1, s2", e_dp2(SINGLE, 2, 2, 1, 0)));
    set_v(1, S_ONE, 0);
    set_v(2, 0x33800000u, 0);
    set_fpcr(RP);
    run_to_wfi_without_exception();
    assert_v(0, 0x3f800001u, 0);
    assert_fpsr(IXC);
}
END_TEST

/* FPDiv: a finite value by zero is an infinity of the product's sign, DZC. */
START_TEST(test_fdiv_by_zero_is_infinity_with_dzc)
{
    FP_PROGRAM(A("fdiv s0, s1, s2", e_dp2(SINGLE, 1, 2, 1, 0)));
    set_v(1, S_ONE, 0);
    set_v(2, 0, 0);
    run_to_wfi_without_exception();
    assert_v(0, 0x7f800000u, 0);
    assert_fpsr(DZC);
}
END_TEST

/* FPProcessNaN: a signalling NaN operand comes back quietened (bit 22
 * set, payload kept) and raises IOC. */
START_TEST(test_fadd_quietens_signalling_nan_with_ioc)
{
    FP_PROGRAM(A("fadd s0, s1, s2", e_dp2(SINGLE, 2, 2, 1, 0)));
    set_v(1, S_SNAN, 0);
    set_v(2, S_ONE, 0);
    run_to_wfi_without_exception();
    assert_v(0, 0x7fc00001u, 0);
    assert_fpsr(IOC);
}
END_TEST

/* FPProcessNaN with FPCR.DN = 1: the default NaN replaces the payload; a
 * quiet NaN raises nothing. */
START_TEST(test_fmul_default_nan_with_dn)
{
    FP_PROGRAM(A("fmul s0, s1, s2", e_dp2(SINGLE, 0, 2, 1, 0)));
    set_v(1, 0x7fc01234u, 0);
    set_v(2, S_ONE, 0);
    set_fpcr(DN);
    run_to_wfi_without_exception();
    assert_v(0, S_QNAN, 0);
    assert_fpsr(0);
}
END_TEST

/* FPUnpack with FPCR.FZ = 1: a denormal input is +0, IDC. */
START_TEST(test_fz_flushes_denormal_input_with_idc)
{
    FP_PROGRAM(A("fadd s0, s1, s2", e_dp2(SINGLE, 2, 2, 1, 0)));
    set_v(1, 0x00000001u, 0);
    set_v(2, 0, 0);
    set_fpcr(FZ);
    run_to_wfi_without_exception();
    assert_v(0, 0, 0);
    assert_fpsr(IDC);
}
END_TEST

/* FPRoundBase with FPCR.FZ = 1: 2^-100 * 2^-30 = 2^-130 is below the
 * normal range before rounding: +0, UFC and no IXC. */
START_TEST(test_fz_flushes_tiny_result_with_ufc)
{
    FP_PROGRAM(A("fmul s0, s1, s2", e_dp2(SINGLE, 0, 2, 1, 0)));
    set_v(1, 0x0d800000u, 0); /* 2^-100 */
    set_v(2, 0x30800000u, 0); /* 2^-30 */
    set_fpcr(FZ);
    run_to_wfi_without_exception();
    assert_v(0, 0, 0);
    assert_fpsr(UFC);
}
END_TEST

/* FNMUL: result = FPNeg(FPMul(...)); FPNeg flips the sign of a NaN too
 * (qemu-aarch64 agrees: 0xffc00001). */
START_TEST(test_fnmul_flips_sign_of_nan_result)
{
    FP_PROGRAM(A("fnmul s0, s1, s2", e_dp2(SINGLE, 8, 2, 1, 0)));
    set_v(1, 0x7fc00001u, 0);
    set_v(2, S_ONE, 0);
    run_to_wfi_without_exception();
    assert_v(0, 0xffc00001u, 0);
    assert_fpsr(0);
}
END_TEST

/* FMAXNM: a quiet NaN and a number give the number (FPMaxNum); FMAX
 * propagates the NaN. */
START_TEST(test_fmaxnm_ignores_quiet_nan_and_fmax_propagates_it)
{
    FP_PROGRAM(A("fmaxnm s0, s1, s2", e_dp2(SINGLE, 6, 2, 1, 0)),
               A("fmax s3, s1, s2", e_dp2(SINGLE, 4, 2, 1, 3)));
    set_v(1, S_QNAN, 0);
    set_v(2, S_ONE, 0);
    run_to_wfi_without_exception();
    assert_v(0, S_ONE, 0);
    assert_v(3, S_QNAN, 0);
    assert_fpsr(0);
}
END_TEST

/* FPMax and FPMin order -0 below +0. */
START_TEST(test_fmax_and_fmin_order_signed_zeros)
{
    FP_PROGRAM(A("fmax s0, s1, s2", e_dp2(SINGLE, 4, 2, 1, 0)),
               A("fmin s3, s1, s2", e_dp2(SINGLE, 5, 2, 1, 3)));
    set_v(1, 0x80000000u, 0);
    set_v(2, 0, 0);
    run_to_wfi_without_exception();
    assert_v(0, 0, 0);
    assert_v(3, 0x80000000u, 0);
}
END_TEST

/* FPSqrt of a negative number: Invalid Operation, the default NaN. */
START_TEST(test_fsqrt_of_negative_is_default_nan_with_ioc)
{
    FP_PROGRAM(A("fsqrt d0, d1", e_dp1(DOUBLE, 3, 1, 0)));
    set_v(1, D_MINUS_ONE, 0);
    run_to_wfi_without_exception();
    assert_v(0, 0x7ff8000000000000ull, 0);
    assert_fpsr(IOC);
}
END_TEST

/* ---- 2. Fused multiply-add --------------------------------------------- */

/* FPMulAdd rounds once: (1 + 2^-12)^2 - (1 + 2^-11) = 2^-24 exactly; a
 * separate multiply would round the product to 1 + 2^-11 (a tie to even)
 * and give 0. */
START_TEST(test_fmadd_rounds_once)
{
    FP_PROGRAM(A("fmadd s0, s1, s2, s3", e_dp3(SINGLE, 0, 0, 2, 3, 1, 0)));
    set_v(1, 0x3f800800u, 0); /* 1 + 2^-12 */
    set_v(2, 0x3f800800u, 0);
    set_v(3, 0xbf801000u, 0); /* -(1 + 2^-11) */
    run_to_wfi_without_exception();
    assert_v(0, 0x33800000u, 0);
    assert_fpsr(0);
}
END_TEST

/* FMSUB negates operand 1 before FPMulAdd processes NaNs: a quiet NaN in
 * Vn comes out with its sign flipped. */
START_TEST(test_fmsub_negates_nan_operand_before_propagating_it)
{
    FP_PROGRAM(A("fmsub s0, s1, s2, s3", e_dp3(SINGLE, 0, 1, 2, 3, 1, 0)));
    set_v(1, 0x7fc00005u, 0);
    set_v(2, S_ONE, 0);
    set_v(3, S_ONE, 0);
    run_to_wfi_without_exception();
    assert_v(0, 0xffc00005u, 0);
    assert_fpsr(0);
}
END_TEST

/* FNMADD = -(a) + -(n) * m: 1, 2, 3 give -(1 + 6) = -7. */
START_TEST(test_fnmadd_negates_addend_and_product)
{
    FP_PROGRAM(A("fnmadd d0, d1, d2, d3", e_dp3(DOUBLE, 1, 0, 2, 3, 1, 0)));
    set_v(1, 0x4000000000000000ull, 0); /* 2.0 */
    set_v(2, 0x4008000000000000ull, 0); /* 3.0 */
    set_v(3, D_ONE, 0);
    run_to_wfi_without_exception();
    assert_v(0, 0xc01c000000000000ull, 0); /* -7.0 */
}
END_TEST

/* ---- 3. One source: moves, sign operations, rounding to integral -------- */

/* A scalar write clears bits 127:32 of the destination. */
START_TEST(test_fmov_register_clears_bits_above_the_scalar)
{
    FP_PROGRAM(A("fmov s0, s1", e_dp1(SINGLE, 0, 1, 0)));
    set_v(0, ~0ull, ~0ull);
    set_v(1, 0xfedcba9876543210ull, 0x0123456789abcdefull);
    run_to_wfi_without_exception();
    assert_v(0, 0x76543210u, 0);
}
END_TEST

/* FPAbs and FPNeg change the sign bit only, of NaNs too, and raise
 * nothing, not even for a signalling NaN. */
START_TEST(test_fabs_and_fneg_touch_only_the_sign_of_nans)
{
    FP_PROGRAM(A("fabs s0, s1", e_dp1(SINGLE, 1, 1, 0)), A("fneg d2, d3", e_dp1(DOUBLE, 2, 3, 2)));
    set_v(1, 0xff800001u, 0);
    set_v(3, 0x7ff0000000000001ull, 0);
    run_to_wfi_without_exception();
    assert_v(0, 0x7f800001u, 0);
    assert_v(2, 0xfff0000000000001ull, 0);
    assert_fpsr(0);
}
END_TEST

/* FPRoundInt of 2.5 and -2.5: N ties to even (2), A ties away (3), P and
 * M towards +/-infinity, Z towards zero; only FRINTX raises IXC. */
START_TEST(test_frint_rounds_by_its_own_mode)
{
    FP_PROGRAM(
        A("frintn d3, d1", e_dp1(DOUBLE, 8, 1, 3)), A("frinta d4, d1", e_dp1(DOUBLE, 12, 1, 4)),
        A("frintp d5, d2", e_dp1(DOUBLE, 9, 2, 5)), A("frintm d6, d2", e_dp1(DOUBLE, 10, 2, 6)),
        A("frintz d7, d2", e_dp1(DOUBLE, 11, 2, 7)), A("frinti d8, d1", e_dp1(DOUBLE, 15, 1, 8)));
    set_v(1, 0x4004000000000000ull, 0); /* 2.5 */
    set_v(2, 0xc004000000000000ull, 0); /* -2.5 */
    run_to_wfi_without_exception();
    assert_v(3, 0x4000000000000000ull, 0); /* 2.0 */
    assert_v(4, 0x4008000000000000ull, 0); /* 3.0 */
    assert_v(5, 0xc000000000000000ull, 0); /* -2.0 */
    assert_v(6, 0xc008000000000000ull, 0); /* -3.0 */
    assert_v(7, 0xc000000000000000ull, 0); /* -2.0 */
    assert_v(8, 0x4000000000000000ull, 0); /* FRINTI, FPCR.RMode = RN: 2.0 */
    assert_fpsr(0);
}
END_TEST

START_TEST(test_frintx_signals_inexact)
{
    FP_PROGRAM(A("frintx d0, d1", e_dp1(DOUBLE, 14, 1, 0)));
    set_v(1, 0x4004000000000000ull, 0);
    run_to_wfi_without_exception();
    assert_v(0, 0x4000000000000000ull, 0);
    assert_fpsr(IXC);
}
END_TEST

/* ---- 4. FCVT between precisions ----------------------------------------- */

/* 65520 is halfway between the largest half (65504) and 2^16: RN rounds
 * to the even side, 2^16, which overflows to +infinity (OFC, IXC). */
START_TEST(test_fcvt_to_half_overflows_to_infinity)
{
    FP_PROGRAM(A("fcvt h0, s1", e_dp1(SINGLE, 7, 1, 0)));
    set_v(1, 0x477ff000u, 0);
    run_to_wfi_without_exception();
    assert_v(0, 0x7c00u, 0);
    assert_fpsr(OFC | IXC);
}
END_TEST

/* FPConvert with FPCR.AHP = 1: the alternative format has no infinity,
 * so +infinity becomes the largest magnitude, 0x7fff, with IOC. */
START_TEST(test_fcvt_to_half_with_ahp_saturates_infinity_with_ioc)
{
    FP_PROGRAM(A("fcvt h0, s1", e_dp1(SINGLE, 7, 1, 0)));
    set_v(1, 0x7f800000u, 0);
    set_fpcr(AHP);
    run_to_wfi_without_exception();
    assert_v(0, 0x7fffu, 0);
    assert_fpsr(IOC);
}
END_TEST

/* FPUnpackCV ignores FZ for a half input: the denormal 2^-24 converts
 * exactly to double, no IDC. */
START_TEST(test_fcvt_from_half_keeps_denormal_under_fz)
{
    FP_PROGRAM(A("fcvt d0, h1", e_dp1(HALF, 5, 1, 0)));
    set_v(1, 0x0001u, 0);
    set_fpcr(FZ);
    run_to_wfi_without_exception();
    assert_v(0, 0x3e70000000000000ull, 0);
    assert_fpsr(0);
}
END_TEST

/* FPConvertNaN, double to single: sign : Ones(8) : '1' : op<50:29>; a
 * signalling NaN raises IOC. */
START_TEST(test_fcvt_nan_keeps_top_payload_bits)
{
    FP_PROGRAM(A("fcvt s0, d1", e_dp1(DOUBLE, 4, 1, 0)));
    set_v(1, 0x7ff4000020000000ull, 0);
    run_to_wfi_without_exception();
    assert_v(0, 0x7fe00001u, 0);
    assert_fpsr(IOC);
}
END_TEST

/* ---- 5. Conversions to and from integers and fixed point --------------- */

/* FPToFixed, SignedSatQ: 2^31 does not fit a W register: 0x7fffffff, IOC
 * and no IXC. */
START_TEST(test_fcvtzs_saturates_on_overflow_with_ioc)
{
    FP_PROGRAM(A("fcvtzs w1, s1", e_int(0, SINGLE, 3, 0, 1, 1)));
    set_v(1, 0x4f000000u, 0);
    SETX(1, ~0ull);
    run_to_wfi_without_exception();
    ASSERT_X(1, 0x7fffffffu);
    assert_fpsr(IOC);
}
END_TEST

/* FPToFixed of a NaN: 0, IOC. */
START_TEST(test_fcvtzs_of_nan_is_zero_with_ioc)
{
    FP_PROGRAM(A("fcvtzs x1, d1", e_int(1, DOUBLE, 3, 0, 1, 1)));
    set_v(1, 0x7ff8000000000000ull, 0);
    SETX(1, 0x1234);
    run_to_wfi_without_exception();
    ASSERT_X(1, 0);
    assert_fpsr(IOC);
}
END_TEST

/* -2.5 in every rounding of the conversions: N -2 (tie to even), P -2,
 * M -3, Z -2, A -3 (tie away); the W form is zero-extended. */
START_TEST(test_fcvt_to_integer_rounds_by_its_own_mode)
{
    FP_PROGRAM(A("fcvtns x1, s1", e_int(1, SINGLE, 0, 0, 1, 1)),
               A("fcvtps x2, s1", e_int(1, SINGLE, 1, 0, 1, 2)),
               A("fcvtms x3, s1", e_int(1, SINGLE, 2, 0, 1, 3)),
               A("fcvtzs x4, s1", e_int(1, SINGLE, 3, 0, 1, 4)),
               A("fcvtas x5, s1", e_int(1, SINGLE, 0, 4, 1, 5)),
               A("fcvtms w6, s1", e_int(0, SINGLE, 2, 0, 1, 6)));
    set_v(1, 0xc0200000u, 0);
    SETX(6, ~0ull);
    run_to_wfi_without_exception();
    ASSERT_X(1, -2ll);
    ASSERT_X(2, -2ll);
    ASSERT_X(3, -3ll);
    ASSERT_X(4, -2ll);
    ASSERT_X(5, -3ll);
    ASSERT_X(6, 0xfffffffdu);
    assert_fpsr(IXC);
}
END_TEST

/* FPToFixed, UnsignedSatQ: -0.5 rounds (towards zero) to 0, in range:
 * inexact only; -1.0 is below the range: 0 with IOC. */
START_TEST(test_fcvtzu_of_negative_is_zero_saturated_only_below_minus_one)
{
    FP_PROGRAM(A("fcvtzu w1, s1", e_int(0, SINGLE, 3, 1, 1, 1)));
    set_v(1, 0xbf000000u, 0); /* -0.5 */
    SETX(1, 99);
    run_to_wfi_without_exception();
    ASSERT_X(1, 0);
    assert_fpsr(IXC);

    FP_PROGRAM(A("fcvtzu w1, s1", e_int(0, SINGLE, 3, 1, 1, 1)));
    set_v(1, 0xbf800000u, 0); /* -1.0 */
    SETX(1, 99);
    run_to_wfi_without_exception();
    ASSERT_X(1, 0);
    assert_fpsr(IOC);
}
END_TEST

/* FixedToFP rounds by FPCR.RMode: 2^24 + 1 needs 25 bits; RN gives 2^24
 * (a tie to even), RP 2^24 + 2. */
START_TEST(test_scvtf_rounds_by_fpcr)
{
    FP_PROGRAM(A("scvtf s0, x1", e_int(1, SINGLE, 0, 2, 1, 0)));
    SETX(1, 0x1000001);
    run_to_wfi_without_exception();
    assert_v(0, 0x4b800000u, 0);
    assert_fpsr(IXC);

    FP_PROGRAM(A("scvtf s0, x1", e_int(1, SINGLE, 0, 2, 1, 0)));
    SETX(1, 0x1000001);
    set_fpcr(RP);
    run_to_wfi_without_exception();
    assert_v(0, 0x4b800001u, 0);
    assert_fpsr(IXC);
}
END_TEST

/* UCVTF (fixed point), #16: W1 = 0x18000 is 1.5; the top half of X1 is
 * not read. */
START_TEST(test_ucvtf_fixed_point_divides_by_two_to_the_fbits)
{
    FP_PROGRAM(A("ucvtf s0, w1, #0x10", e_fixed(0, SINGLE, 0, 3, 64 - 16, 1, 0)));
    SETX(1, 0xffffffff00018000ull);
    run_to_wfi_without_exception();
    assert_v(0, 0x3fc00000u, 0);
    assert_fpsr(0);
}
END_TEST

/* FCVTZS (fixed point), #4: 2.75 * 16 = 44. */
START_TEST(test_fcvtzs_fixed_point_multiplies_by_two_to_the_fbits)
{
    FP_PROGRAM(A("fcvtzs x1, d1, #4", e_fixed(1, DOUBLE, 3, 0, 64 - 4, 1, 1)));
    set_v(1, 0x4006000000000000ull, 0);
    run_to_wfi_without_exception();
    ASSERT_X(1, 44);
    assert_fpsr(0);
}
END_TEST

/* sf = 0 needs scale >= 32 (fbits <= 32): scale 31 is unallocated. */
START_TEST(test_fixed_point_w_form_with_scale_below_32_is_undefined)
{
    ck_assert_int_eq(decode_family(e_fixed(0, SINGLE, 0, 2, 32, 1, 0)), FAM_FP_FIXED_CONV);
    ck_assert_int_eq(decode_family(e_fixed(0, SINGLE, 0, 2, 31, 1, 0)), FAM_NONE);
    ck_assert_int_eq(decode_family(e_fixed(1, SINGLE, 0, 2, 31, 1, 0)), FAM_FP_FIXED_CONV);
}
END_TEST

/* ---- 6. FMOV: general registers, the top half, immediates --------------- */

/* FMOV Vd.D[1], Xn writes bits 127:64 and keeps bits 63:0. */
START_TEST(test_fmov_to_top_half_keeps_the_low_half)
{
    FP_PROGRAM(A("fmov v0.d[1], x1", e_int(1, 2, 1, 7, 1, 0)));
    set_v(0, 0x2222222222222222ull, 0x1111111111111111ull);
    SETX(1, 0x3333333333333333ull);
    run_to_wfi_without_exception();
    assert_v(0, 0x2222222222222222ull, 0x3333333333333333ull);
}
END_TEST

START_TEST(test_fmov_from_top_half_reads_bits_127_to_64)
{
    FP_PROGRAM(A("fmov x2, v3.d[1]", e_int(1, 2, 1, 6, 3, 2)));
    set_v(3, 0xbbbbbbbbbbbbbbbbull, 0xaaaaaaaaaaaaaaaaull);
    run_to_wfi_without_exception();
    ASSERT_X(2, 0xaaaaaaaaaaaaaaaaull);
}
END_TEST

/* FMOV Wd, Sn zero-extends; FMOV Sd, Wn clears V bits 127:32. */
START_TEST(test_fmov_between_w_and_s_moves_32_bits)
{
    FP_PROGRAM(A("fmov w4, s5", e_int(0, SINGLE, 0, 6, 5, 4)),
               A("fmov s6, w7", e_int(0, SINGLE, 0, 7, 7, 6)));
    set_v(5, 0xccccccccddddddddull, 0x0123456789abcdefull);
    set_v(6, ~0ull, ~0ull);
    SETX(4, 0x5555555555555555ull);
    SETX(7, 0xeeeeeeeeffffffffull);
    run_to_wfi_without_exception();
    ASSERT_X(4, 0xddddddddu);
    assert_v(6, 0xffffffffu, 0);
}
END_TEST

/* VFPExpandImm: imm8 0xf4 is -1.25 (sign 1, exponent 0, fraction 0100);
 * 0x40 is 0.125 (2^-3). */
START_TEST(test_fmov_immediate_expands_imm8)
{
    FP_PROGRAM(A("fmov d0, #-1.25000000", e_imm(DOUBLE, 0xf4, 0)),
               A("fmov s1, #0.12500000", e_imm(SINGLE, 0x40, 1)));
    set_v(0, ~0ull, ~0ull);
    set_v(1, ~0ull, ~0ull);
    run_to_wfi_without_exception();
    assert_v(0, 0xbff4000000000000ull, 0);
    assert_v(1, 0x3e000000u, 0);
}
END_TEST

/* ---- 7. Compares, conditional compare and select ------------------------ */

/* FPCompare: unordered is NZCV = 0011; FCMP raises IOC only for a
 * signalling NaN, FCMPE for a quiet one too. */
START_TEST(test_fcmp_unordered_sets_nzcv_0011_without_ioc)
{
    FP_PROGRAM(A("fcmp s1, s2", e_cmp(SINGLE, 2, 1, 0, 0)));
    set_v(1, S_QNAN, 0);
    set_v(2, S_ONE, 0);
    run_to_wfi_without_exception();
    ck_assert_uint_eq(nzcv(), NZCV_0011);
    assert_fpsr(0);
}
END_TEST

START_TEST(test_fcmpe_raises_ioc_for_quiet_nan)
{
    FP_PROGRAM(A("fcmpe s1, s2", e_cmp(SINGLE, 2, 1, 1, 0)));
    set_v(1, S_QNAN, 0);
    set_v(2, S_ONE, 0);
    run_to_wfi_without_exception();
    ck_assert_uint_eq(nzcv(), NZCV_0011);
    assert_fpsr(IOC);
}
END_TEST

/* FCMP #0.0: -1.0 < 0 is NZCV = 1000. */
START_TEST(test_fcmp_with_zero_compares_against_positive_zero)
{
    FP_PROGRAM(A("fcmp d1, #0.0", e_cmp(DOUBLE, 0, 1, 0, 1)));
    set_v(1, D_MINUS_ONE, 0);
    run_to_wfi_without_exception();
    ck_assert_uint_eq(nzcv(), NZCV_1000);
}
END_TEST

/* The #0.0 form's Rm is (0)(0)(0)(0)(0): a64sim's CONSTRAINED
 * UNPREDICTABLE choice is to execute as if it were zero, so V2 (2.0) is
 * not the operand: -1.0 < 0. */
START_TEST(test_fcmp_zero_form_ignores_nonzero_rm_field)
{
    FP_PROGRAM(A("fcmp d1, #0.0", e_cmp(DOUBLE, 2, 1, 0, 1)));
    set_v(1, D_MINUS_ONE, 0);
    set_v(2, 0x4000000000000000ull, 0);
    run_to_wfi_without_exception();
    ck_assert_uint_eq(nzcv(), NZCV_1000);
}
END_TEST

/* FCCMP with a false condition: NZCV = #nzcv, and no compare happens, so
 * a signalling NaN operand raises nothing. */
START_TEST(test_fccmp_false_condition_sets_immediate_flags_without_exceptions)
{
    FP_PROGRAM(A("fccmp s1, s2, #5, eq", e_ccmp(SINGLE, 2, EQ, 1, 0, 5)));
    set_v(1, S_SNAN, 0);
    set_v(2, S_ONE, 0);
    set_nzcv(0); /* Z clear: EQ fails */
    run_to_wfi_without_exception();
    ck_assert_uint_eq(nzcv(), 5);
    assert_fpsr(0);
}
END_TEST

/* FCCMP with a true condition compares: 1.0 < 2.0 is 1000. */
START_TEST(test_fccmp_true_condition_compares)
{
    FP_PROGRAM(A("fccmp s1, s2, #0xf, eq", e_ccmp(SINGLE, 2, EQ, 1, 0, 15)));
    set_v(1, S_ONE, 0);
    set_v(2, S_TWO, 0);
    set_nzcv(4); /* Z set: EQ holds */
    run_to_wfi_without_exception();
    ck_assert_uint_eq(nzcv(), NZCV_1000);
}
END_TEST

/* FCSEL with a false condition takes Vm, as a scalar: bits above cleared. */
START_TEST(test_fcsel_false_condition_selects_vm)
{
    FP_PROGRAM(A("fcsel s0, s1, s2, ne", e_csel(SINGLE, 2, NE, 1, 0)));
    set_v(0, ~0ull, ~0ull);
    set_v(1, S_ONE, 0);
    set_v(2, 0x0123456740000000ull, 0x89abcdefull);
    set_nzcv(4); /* Z set: NE fails */
    run_to_wfi_without_exception();
    assert_v(0, S_TWO, 0);
}
END_TEST

/* ---- 8. Features a64sim does not advertise, and the access trap -------- */

/* FEAT_FP16 arithmetic (ftype = 11), FJCVTZS (FEAT_JSCVT), FRINT32Z
 * (FEAT_FRINTTS) and BFCVT (BF16) are UNDEFINED; FCVT between half and
 * single is base Armv8.0. Capstone 4.0.2 knows none of the first four:
 * their words come from the encoders. */
START_TEST(test_unadvertised_fp_features_are_undefined)
{
    ck_assert_int_eq(decode_family(e_dp2(HALF, 2, 2, 1, 0)), FAM_NONE);      /* fadd h0, h1, h2 */
    ck_assert_int_eq(decode_family(e_int(0, DOUBLE, 3, 6, 1, 0)), FAM_NONE); /* fjcvtzs w0, d1 */
    ck_assert_int_eq(decode_family(e_dp1(SINGLE, 0x10, 1, 0)), FAM_NONE);    /* frint32z s0, s1 */
    ck_assert_int_eq(decode_family(e_dp1(DOUBLE, 0x06, 1, 0)), FAM_NONE);    /* bfcvt h0, s1 */
    ck_assert_int_eq(decode_family(A("fcvt s0, h1", e_dp1(HALF, 4, 1, 0))), FAM_FP_DP1);
}
END_TEST

/* AArch64.CheckFPAdvSIMDEnabled: at EL1 with CPACR_EL1.FPEN = 00 an FP
 * instruction takes the trap to EL1, EC 0x07 with ISS CV = 1, COND =
 * 1110 (0x1e00000), ELR at the instruction, which does not execute. */
START_TEST(test_fp_instruction_traps_to_el1_when_fpen_is_zero)
{
    const uint32_t prog[] = {A("fadd s0, s1, s2", e_dp2(SINGLE, 2, 2, 1, 0))};
    load(false, prog, 1);
    set_v(0, 0x1111111111111111ull, 0x2222222222222222ull);
    set_v(1, 0x40000000u, 0);
    set_v(2, 0x40000000u, 0);
    run_to_wfi();
    ck_assert_uint_eq(cpu_exceptions(pe), 1);
    ck_assert_uint_eq(cpu_get_el(pe), 1);
    ck_assert_uint_eq(pe->esr[1] >> 26, 0x07);
    ck_assert_uint_eq(pe->esr[1] & 0x1ffffff, 0x1e00000);
    ck_assert_uint_eq(pe->elr[1], CODE);
    ck_assert_uint_eq(cpu_get_pc(pe) & ~0x7ffull, VEC1);
    assert_v(0, 0x1111111111111111ull, 0x2222222222222222ull);
    assert_fpsr(0);
}
END_TEST

static Suite *fp_suite(void)
{
    Suite *s = suite_create("fp");
    TCase *arith = tcase_create("arithmetic");
    TCase *fma = tcase_create("fused multiply-add");
    TCase *dp1 = tcase_create("one source");
    TCase *fcvt = tcase_create("fcvt");
    TCase *conv = tcase_create("conversions");
    TCase *fmov = tcase_create("fmov");
    TCase *cmp = tcase_create("compare and select");
    TCase *ctl = tcase_create("features and traps");
    TCase *all[] = {arith, fma, dp1, fcvt, conv, fmov, cmp, ctl};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        tcase_add_checked_fixture(all[i], rig_setup_with_capstone, rig_teardown);
        suite_add_tcase(s, all[i]);
    }

    tcase_add_test(arith, test_fadd_tie_rounds_to_even);
    tcase_add_test(arith, test_fadd_in_rp_rounds_up);
    tcase_add_test(arith, test_fdiv_by_zero_is_infinity_with_dzc);
    tcase_add_test(arith, test_fadd_quietens_signalling_nan_with_ioc);
    tcase_add_test(arith, test_fmul_default_nan_with_dn);
    tcase_add_test(arith, test_fz_flushes_denormal_input_with_idc);
    tcase_add_test(arith, test_fz_flushes_tiny_result_with_ufc);
    tcase_add_test(arith, test_fnmul_flips_sign_of_nan_result);
    tcase_add_test(arith, test_fmaxnm_ignores_quiet_nan_and_fmax_propagates_it);
    tcase_add_test(arith, test_fmax_and_fmin_order_signed_zeros);
    tcase_add_test(arith, test_fsqrt_of_negative_is_default_nan_with_ioc);

    tcase_add_test(fma, test_fmadd_rounds_once);
    tcase_add_test(fma, test_fmsub_negates_nan_operand_before_propagating_it);
    tcase_add_test(fma, test_fnmadd_negates_addend_and_product);

    tcase_add_test(dp1, test_fmov_register_clears_bits_above_the_scalar);
    tcase_add_test(dp1, test_fabs_and_fneg_touch_only_the_sign_of_nans);
    tcase_add_test(dp1, test_frint_rounds_by_its_own_mode);
    tcase_add_test(dp1, test_frintx_signals_inexact);

    tcase_add_test(fcvt, test_fcvt_to_half_overflows_to_infinity);
    tcase_add_test(fcvt, test_fcvt_to_half_with_ahp_saturates_infinity_with_ioc);
    tcase_add_test(fcvt, test_fcvt_from_half_keeps_denormal_under_fz);
    tcase_add_test(fcvt, test_fcvt_nan_keeps_top_payload_bits);

    tcase_add_test(conv, test_fcvtzs_saturates_on_overflow_with_ioc);
    tcase_add_test(conv, test_fcvtzs_of_nan_is_zero_with_ioc);
    tcase_add_test(conv, test_fcvt_to_integer_rounds_by_its_own_mode);
    tcase_add_test(conv, test_fcvtzu_of_negative_is_zero_saturated_only_below_minus_one);
    tcase_add_test(conv, test_scvtf_rounds_by_fpcr);
    tcase_add_test(conv, test_ucvtf_fixed_point_divides_by_two_to_the_fbits);
    tcase_add_test(conv, test_fcvtzs_fixed_point_multiplies_by_two_to_the_fbits);
    tcase_add_test(conv, test_fixed_point_w_form_with_scale_below_32_is_undefined);

    tcase_add_test(fmov, test_fmov_to_top_half_keeps_the_low_half);
    tcase_add_test(fmov, test_fmov_from_top_half_reads_bits_127_to_64);
    tcase_add_test(fmov, test_fmov_between_w_and_s_moves_32_bits);
    tcase_add_test(fmov, test_fmov_immediate_expands_imm8);

    tcase_add_test(cmp, test_fcmp_unordered_sets_nzcv_0011_without_ioc);
    tcase_add_test(cmp, test_fcmpe_raises_ioc_for_quiet_nan);
    tcase_add_test(cmp, test_fcmp_with_zero_compares_against_positive_zero);
    tcase_add_test(cmp, test_fcmp_zero_form_ignores_nonzero_rm_field);
    tcase_add_test(cmp, test_fccmp_false_condition_sets_immediate_flags_without_exceptions);
    tcase_add_test(cmp, test_fccmp_true_condition_compares);
    tcase_add_test(cmp, test_fcsel_false_condition_selects_vm);

    tcase_add_test(ctl, test_unadvertised_fp_features_are_undefined);
    tcase_add_test(ctl, test_fp_instruction_traps_to_el1_when_fpen_is_zero);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(fp_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
