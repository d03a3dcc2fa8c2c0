/* Decode coverage: a64sim's decoder and mnemonic oracle against Capstone
 * 4.0.2, and the oracle's alias choices against the Arm ARM.
 *
 * The sweeps judge every word with cov_judge() (tests/coverage/
 * capstone_compare.h): (a) an in-scope word Capstone decodes must decode
 * in a64sim, (b) a word a64sim decodes must decode in Capstone, (c) the
 * mnemonics must agree, except for the counted, documented classes listed
 * there and in docs/decode-coverage.md. Each sweep prints its counts and
 * the first disagreements.
 *
 * The known-answer tests pin the alias choices where Capstone 4.0.2 cannot
 * be the oracle (it is wrong, or it does not know the instruction); their
 * expected names come from the alias conditions of the Arm ARM (DDI 0487
 * K.a, C6.2).
 *
 * Under AddressSanitizer the large sweeps shrink (a sample instead of the
 * whole space) to keep `make check` short; the plain build runs them whole.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cpu/mnemonic.h"
#include "tests/coverage/capstone_compare.h"

#if defined(__SANITIZE_ADDRESS__)
#define RANDOM_WORDS    2000000u
#define EXC_IMM16_STEP  257u /* exception generation: every 257th imm16 */
#define SANITIZED_BUILD 1
#else
#define RANDOM_WORDS    10000000u
#define EXC_IMM16_STEP  1u
#define SANITIZED_BUILD 0
#endif

static struct cov_ctx ctx;

static void setup(void)
{
    ck_assert_msg(cov_open(&ctx), "Capstone: cannot open an ARM64 handle");
}

static void teardown(void)
{
    cov_close(&ctx);
}

/* Print the tally and fail on any undocumented disagreement. */
static void finish(const char *what, const struct cov_tally *t)
{
    cov_report(stdout, what, t);
    fflush(stdout);
    ck_assert_msg(cov_failures(t) == 0,
                  "%s: %" PRIu64 " disagreements with Capstone (first ones printed above)", what,
                  cov_failures(t));
}

/* ---- 1. Sweeps against Capstone ---------------------------------------- */

/* Fixed seed: the same RANDOM_WORDS words on every run. */
START_TEST(test_random_words_agree_with_capstone)
{
    static struct cov_tally t;
    uint64_t seed = 0x2545F4914F6CDD1Dull;
    for (uint32_t i = 0; i < RANDOM_WORDS; i++)
        cov_judge(&ctx, &t, (uint32_t)(cov_xorshift64(&seed) >> 32));
    finish("random sample", &t);
    ck_assert_uint_eq(t.sampled, RANDOM_WORDS);
    ck_assert_uint_gt(t.agree, 0);
}
END_TEST

/* HINT #0..127 (CRm:op2), Rt = 31. The Arm ARM allocates the whole space:
 * hints with no meaning execute as NOP, so a64sim decodes every one. */
START_TEST(test_hint_space_agrees_with_capstone)
{
    static struct cov_tally t;
    for (uint32_t imm = 0; imm < 128; imm++)
        cov_judge(&ctx, &t, 0xd503201fu | imm << 5);
    finish("hint space (CRm:op2, Rt = 31)", &t);
    ck_assert_uint_eq(t.sim_accepts, 128);
}
END_TEST

/* CRn = 0011 with every CRm/op2, Rt = 31: CLREX, DSB, DMB, ISB, SSBB,
 * PSSBB, and the unallocated and not-advertised corners. */
START_TEST(test_barrier_space_agrees_with_capstone)
{
    static struct cov_tally t;
    for (uint32_t f = 0; f < 128; f++)
        cov_judge(&ctx, &t, 0xd503301fu | f << 5);
    finish("barrier space (CRm:op2, Rt = 31)", &t);
    /* CLREX (16 CRm), DSB incl. SSBB/PSSBB (16), DMB (16), ISB (16). */
    ck_assert_uint_eq(t.sim_accepts, 64);
}
END_TEST

/* Every MRS and MSR (register) encoding with op0 = 3, Rt = 0. */
START_TEST(test_mrs_msr_op0_3_agree_with_capstone)
{
    static struct cov_tally t;
    for (uint32_t f = 0; f < (1u << 15); f++) {
        uint32_t l = f >> 14, rest = f & 0x3fff; /* op1:CRn:CRm:op2 */
        cov_judge(&ctx, &t, 0xd5180000u | l << 21 | rest << 5);
    }
    finish("MRS/MSR op0 = 3, Rt = 0", &t);
}
END_TEST

/* The whole System class: L, op0, op1, CRn, CRm, op2, with Rt = 0 and 31. */
START_TEST(test_system_class_agrees_with_capstone)
{
    static struct cov_tally t;
    for (uint32_t rt = 0; rt < 32; rt += 31)
        for (uint32_t f = 0; f < (1u << 17); f++)
            cov_judge(&ctx, &t, 0xd5000000u | f << 5 | rt);
    finish("System class (Rt = 0, 31)", &t);
}
END_TEST

/* 11010100 opc imm16 op2 LL: SVC, HVC, SMC, BRK, HLT, DCPS1-3, TCANCEL and
 * the unallocated rest; every word in the plain build. */
START_TEST(test_exception_generation_space_agrees_with_capstone)
{
    static struct cov_tally t;
    for (uint32_t opc = 0; opc < 8; opc++)
        for (uint32_t imm16 = 0; imm16 < 0x10000; imm16 += EXC_IMM16_STEP)
            for (uint32_t low = 0; low < 32; low++) /* op2:LL */
                cov_judge(&ctx, &t, 0xd4000000u | opc << 21 | imm16 << 5 | low);
    finish("exception generation", &t);
    if (!SANITIZED_BUILD)
        ck_assert_uint_eq(t.sampled, 1u << 24);
}
END_TEST

/* Data processing (1 source) and (2 source): sf, bit 30, S and every
 * opcode2/opcode (bits 20:10), with Rn/Rd = 1/2 and 31/31. */
START_TEST(test_dp_1src_2src_opcodes_agree_with_capstone)
{
    static const uint32_t regs[2] = {1u << 5 | 2u, 31u << 5 | 31u};
    static struct cov_tally t;
    for (unsigned r = 0; r < 2; r++)
        for (uint32_t top = 0; top < 8; top++)
            for (uint32_t f = 0; f < (1u << 11); f++)
                cov_judge(&ctx, &t, 0x1ac00000u | top << 29 | f << 10 | regs[r]);
    finish("data processing (1 source, 2 source)", &t);
}
END_TEST

/* B.cond: every condition, with o1 and o0 both ways (o0 = 1 is BC.cond,
 * o1 = 1 unallocated), for a few offsets. */
START_TEST(test_b_cond_every_condition_agrees_with_capstone)
{
    static const uint32_t imm19[] = {0, 1, 0x3ffff, 0x40000, 0x7ffff};
    static struct cov_tally t;
    for (uint32_t o = 0; o < 4; o++)
        for (unsigned i = 0; i < 5; i++)
            for (uint32_t cond = 0; cond < 16; cond++)
                cov_judge(&ctx, &t,
                          0x54000000u | (o >> 1) << 24 | imm19[i] << 5 | (o & 1) << 4 | cond);
    finish("B.cond", &t);
    ck_assert_uint_eq(t.sim_accepts, 5 * 16);
}
END_TEST

/* Loads and stores (op0 = x1x0): every value of bits 31:28 (size/opc),
 * 26 (V), 24:21 and 15:10 (class, opc, mode, option, o3/opc), with a few
 * fixed register sets (Rs/Rm, Rn, Rt), some of them overlapping. */
START_TEST(test_load_store_classes_agree_with_capstone)
{
    static const uint32_t regs[][3] = {{3, 1, 2}, {31, 1, 2}, {3, 1, 31}, {31, 31, 31}, {2, 2, 2}};
    static struct cov_tally t;
    for (unsigned r = 0; r < sizeof(regs) / sizeof(regs[0]); r++) {
        for (uint32_t f = 0; f < (1u << 15); f++) {
            uint32_t w = 1u << 27;
            w |= (f & 0xf) << 28;
            w |= ((f >> 4) & 1) << 26;
            w |= ((f >> 5) & 0xf) << 21;
            w |= ((f >> 9) & 0x3f) << 10;
            w |= regs[r][0] << 16 | regs[r][1] << 5 | regs[r][2];
            cov_judge(&ctx, &t, w);
        }
    }
    finish("load/store classes", &t);
}
END_TEST

/* Register fields drawn from {1, 2, 31}: equal, different and ZR/SP,
 * which is what the alias conditions test. */
static const uint32_t alias_regs[3] = {1, 2, 31};

/* Data processing (immediate): logical, bitfield and EXTR with every
 * sf/opc/N/immr/imms (bits 31:29, 22:10); move wide and ADD/SUB
 * (immediate) with the immediates that sit on alias boundaries. */
START_TEST(test_dp_immediate_alias_fields_agree_with_capstone)
{
    static const uint32_t classes[3] = {0x12000000u, 0x13000000u, 0x13800000u};
    static const uint32_t imm16[4] = {0, 1, 0x8000, 0xffff};
    static const uint32_t imm12[3] = {0, 1, 0xfff};
    static struct cov_tally t;
    for (unsigned c = 0; c < 3; c++)
        for (unsigned rn = 0; rn < 3; rn++)
            for (unsigned rd = 0; rd < 3; rd++)
                for (uint32_t f = 0; f < (1u << 16); f++)
                    cov_judge(&ctx, &t,
                              classes[c] | (f >> 13) << 29 | (f & 0x1fff) << 10 |
                                  alias_regs[rn] << 5 | alias_regs[rd]);
    for (uint32_t top = 0; top < 8; top++)
        for (uint32_t hw = 0; hw < 4; hw++)
            for (unsigned i = 0; i < 4; i++)
                for (unsigned rd = 0; rd < 3; rd++)
                    cov_judge(&ctx, &t,
                              0x12800000u | top << 29 | hw << 21 | imm16[i] << 5 | alias_regs[rd]);
    for (uint32_t top = 0; top < 8; top++)
        for (uint32_t sh = 0; sh < 2; sh++)
            for (unsigned i = 0; i < 3; i++)
                for (unsigned rn = 0; rn < 3; rn++)
                    for (unsigned rd = 0; rd < 3; rd++)
                        cov_judge(&ctx, &t,
                                  0x11000000u | top << 29 | sh << 22 | imm12[i] << 10 |
                                      alias_regs[rn] << 5 | alias_regs[rd]);
    finish("data processing (immediate), alias fields", &t);
}
END_TEST

/* Data processing (register): every class (bits 28:24 = 01010, 01011,
 * 11010, 11011) with every value of bits 31:29, 23:21 and 15:10, and
 * Rm/Rn/Rd from {1, 2, 31}. */
START_TEST(test_dp_register_alias_fields_agree_with_capstone)
{
    static const uint32_t classes[4] = {0x0a000000u, 0x0b000000u, 0x1a000000u, 0x1b000000u};
    static struct cov_tally t;
    for (unsigned c = 0; c < 4; c++)
        for (unsigned r = 0; r < 27; r++)
            for (uint32_t f = 0; f < (1u << 12); f++) {
                uint32_t regs =
                    alias_regs[r / 9] << 16 | alias_regs[r / 3 % 3] << 5 | alias_regs[r % 3];
                cov_judge(&ctx, &t,
                          classes[c] | (f >> 9) << 29 | (f >> 6 & 7) << 21 | (f & 0x3f) << 10 |
                              regs);
            }
    finish("data processing (register), alias fields", &t);
}
END_TEST

/* ---- 2. Known answers from the Arm ARM alias conditions ---------------- */

static void expect(uint32_t word, const char *mnemonic)
{
    const char *got = a64_mnemonic(word);
    ck_assert_msg(got != NULL, "%08" PRIx32 ": UNDEFINED, expected %s", word, mnemonic);
    ck_assert_msg(strcmp(got, mnemonic) == 0, "%08" PRIx32 ": got %s, expected %s", word, got,
                  mnemonic);
}

START_TEST(test_undefined_words_have_no_mnemonic)
{
    ck_assert_ptr_null(a64_mnemonic(0x00000000u)); /* UDF #0 */
    ck_assert_ptr_null(a64_mnemonic(0x1ee22820u)); /* FADD H0, H1, H2: FEAT_FP16 not advertised */
    ck_assert_ptr_null(a64_mnemonic(0xd4000000u)); /* exception generation, LL = 00 */
}
END_TEST

/* C6.2 MOVZ/MOVN: MOV unless the immediate is 0 with a non-zero shift;
 * the 32-bit MOVN also not when imm16 is all ones. */
START_TEST(test_movz_movn_are_mov_unless_shifted_zero)
{
    expect(0xd2800020u, "mov");  /* MOVZ X0, #1 */
    expect(0xd2a00000u, "movz"); /* MOVZ X0, #0, LSL #16 */
    expect(0x52800000u, "mov");  /* MOVZ W0, #0 */
    expect(0x12800000u, "mov");  /* MOVN W0, #0 */
    expect(0x92a00000u, "movn"); /* MOVN X0, #0, LSL #16 */
    expect(0x129fffe0u, "movn"); /* MOVN W0, #0xffff */
    expect(0x929fffe0u, "mov");  /* MOVN X0, #0xffff */
    expect(0xf2800020u, "movk"); /* MOVK X0, #1 */
}
END_TEST

/* C6.2 ORR (immediate): MOV when Rn = ZR and !MoveWidePreferred(). */
START_TEST(test_orr_immediate_is_mov_unless_move_wide_preferred)
{
    expect(0xb2400fe0u, "orr"); /* #0xf: a MOVZ value */
    expect(0xb200e3e0u, "mov"); /* #0x1111111111111111: element size 2 */
    expect(0xb2400c20u, "orr"); /* Rn = X1 */
    expect(0x32103fe0u, "orr"); /* W, #0xffff0000: a MOVZ value */
    /* W, #0x1ffff (imms = 16): MoveWidePreferred() is FALSE, since
     * 16 < imms < width - 15, although a MOVN could build the value. */
    expect(0x320043e0u, "mov");
}
END_TEST

/* C6.2 SBFM/BFM/UBFM alias conditions. */
START_TEST(test_bitfield_aliases)
{
    expect(0x9340fc20u, "asr");   /* SBFM X0, X1, #0, #63 */
    expect(0x93401c20u, "sxtb");  /* SBFM X0, X1, #0, #7 */
    expect(0x93407c20u, "sxtw");  /* SBFM X0, X1, #0, #31 */
    expect(0x13007c20u, "asr");   /* SBFM W0, W1, #0, #31 */
    expect(0x93440c20u, "sbfiz"); /* SBFM X0, X1, #4, #3: imms < immr */
    expect(0x93410c20u, "sbfx");  /* SBFM X0, X1, #1, #3 */
    expect(0xb3440fe0u, "bfc");   /* BFM X0, XZR, #4, #3 */
    expect(0xb3440c20u, "bfi");   /* BFM X0, X1, #4, #3 */
    expect(0xb3400fe0u, "bfxil"); /* BFM X0, XZR, #0, #3 */
    expect(0xd37ff820u, "lsl");   /* UBFM X0, X1, #63, #62 */
    expect(0xd340fc20u, "lsr");   /* UBFM X0, X1, #0, #63 */
    expect(0x53001c20u, "uxtb");  /* UBFM W0, W1, #0, #7 */
    expect(0xd3401c20u, "ubfx");  /* UBFM X0, X1, #0, #7: no 64-bit UXTB */
    expect(0xd3480c20u, "ubfiz"); /* UBFM X0, X1, #8, #3: imms < immr, imms + 1 != immr */
}
END_TEST

/* C6.2 CSINC, CSINV, CSNEG: the aliases need cond<3:1> != 111. */
START_TEST(test_conditional_select_aliases_exclude_al_nv)
{
    expect(0x1a9f17e0u, "cset");  /* CSINC W0, WZR, WZR, NE */
    expect(0x1a9fe7e0u, "csinc"); /* ... AL */
    expect(0x5a9f13e0u, "csetm"); /* CSINV W0, WZR, WZR, NE */
    expect(0x5a9ff3e0u, "csinv"); /* ... NV */
    expect(0x1a811420u, "cinc");  /* CSINC W0, W1, W1, NE */
    expect(0x1a81e420u, "csinc"); /* ... AL */
    expect(0x1a821420u, "csinc"); /* Rn != Rm */
    expect(0x5a811020u, "cinv");  /* CSINV W0, W1, W1, NE */
    expect(0x5a811420u, "cneg");  /* CSNEG W0, W1, W1, NE */
    expect(0x5a9f17e0u, "cneg");  /* CSNEG W0, WZR, WZR, NE */
    expect(0x5a81e420u, "csneg"); /* ... AL */
    expect(0x1a821020u, "csel");
}
END_TEST

/* C6.2 SUBS/ADDS/SUB/ORR/ORN/ANDS (register) and ADD (immediate) aliases. */
START_TEST(test_register_aliases)
{
    expect(0xeb0103ffu, "cmp");  /* SUBS XZR, XZR, X1: CMP is listed first */
    expect(0xeb0103e0u, "negs"); /* SUBS X0, XZR, X1 */
    expect(0xcb0103e0u, "neg");  /* SUB X0, XZR, X1 */
    expect(0xab01001fu, "cmn");  /* ADDS XZR, X0, X1 */
    expect(0xaa0103e0u, "mov");  /* ORR X0, XZR, X1 */
    expect(0xaa0107e0u, "orr");  /* ORR X0, XZR, X1, LSL #1 */
    expect(0xaa2103e0u, "mvn");  /* ORN X0, XZR, X1 */
    expect(0xea01001fu, "tst");  /* ANDS XZR, X0, X1 */
    expect(0x910003e0u, "mov");  /* ADD X0, SP, #0 */
    expect(0x91000020u, "add");  /* ADD X0, X1, #0 */
    expect(0x91000420u, "add");  /* ADD X0, X1, #1 */
    expect(0xda1f03e0u, "ngc");  /* SBC X0, XZR, XZR */
    expect(0x93c10c20u, "ror");  /* EXTR X0, X1, X1, #3 */
    expect(0x9b027c20u, "mul");  /* MADD X0, X1, X2, XZR */
    expect(0x9b22fc20u, "smnegl");
    expect(0x1ac22020u, "lsl"); /* LSLV W0, W1, W2 */
    expect(0x5ac00820u, "rev"); /* 32-bit opcode 2 is REV */
    expect(0xdac00820u, "rev32");
}
END_TEST

/* C6.2 DSB: CRm = 0000 is SSBB, CRm = 0100 is PSSBB. */
START_TEST(test_dsb_crm_0000_and_0100_are_ssbb_pssbb)
{
    expect(0xd503309fu, "ssbb");
    expect(0xd503349fu, "pssbb");
    expect(0xd5033f9fu, "dsb");
    expect(0xd5033bbfu, "dmb");
    expect(0xd5033fdfu, "isb");
    expect(0xd5033f5fu, "clrex");
}
END_TEST

/* C6.2: hints with instructions of their own keep their names even where
 * the feature is absent (they then execute as NOP). */
START_TEST(test_named_hints_keep_their_names)
{
    expect(0xd503201fu, "nop");
    expect(0xd503221fu, "esb");
    expect(0xd503223fu, "psb");
    expect(0xd503229fu, "csdb");
    expect(0xd503233fu, "paciasp");
    expect(0xd50323bfu, "autiasp");
    expect(0xd503245fu, "bti");
    expect(0xd503213fu, "hint"); /* #9: unallocated */
    expect(0xd50320dfu, "dgh");
}
END_TEST

/* C6.2 LDADD etc.: ST<op> is the alias when A = 0 and Rt = ZR. */
START_TEST(test_ld_op_without_acquire_to_zr_is_st_op)
{
    expect(0xf8200041u, "ldadd");    /* LDADD X0, X1, [X2] */
    expect(0xf820005fu, "stadd");    /* LDADD X0, XZR, [X2] */
    expect(0xf860005fu, "staddl");   /* LDADDL X0, XZR, [X2] */
    expect(0xf8a0005fu, "ldadda");   /* LDADDA X0, XZR, [X2]: no alias */
    expect(0xf8e0005fu, "ldaddal");  /* LDADDAL X0, XZR, [X2]: no alias */
    expect(0x3820105fu, "stclrb");   /* LDCLRB W0, WZR, [X2] */
    expect(0x7860705fu, "stuminlh"); /* LDUMINLH W0, WZR, [X2] */
    expect(0xb8e08041u, "swpal");    /* SWPAL W0, W1, [X2] */
    expect(0xf820805fu, "swp");      /* SWP X0, XZR, [X2]: no alias */
}
END_TEST

/* C6.2 CAS, CASP, LDAPR names by size and ordering. */
START_TEST(test_cas_casp_ldapr_names)
{
    expect(0xc8a07c41u, "cas");
    expect(0x08e07c41u, "casab");
    expect(0x48a0fc41u, "caslh");
    expect(0x88e0fc41u, "casal");
    expect(0x48207c82u, "casp");   /* CASP X0, X1, X2, X3, [X4] */
    expect(0x0860fc82u, "caspal"); /* CASPAL W0, W1, W2, W3, [X4] */
    expect(0xf8bfc020u, "ldapr");
    expect(0x38bfc020u, "ldaprb");
    expect(0x78bfc020u, "ldaprh");
}
END_TEST

/* C6.2: the single-register forms are named by their addressing mode. */
START_TEST(test_load_store_names_by_addressing)
{
    expect(0xf8400020u, "ldur");   /* unscaled */
    expect(0xf8400420u, "ldr");    /* post-index */
    expect(0xf8400820u, "ldtr");   /* unprivileged */
    expect(0x38c00820u, "ldtrsb"); /* LDTRSB W0 */
    expect(0xf8800020u, "prfum");
    expect(0xf9800020u, "prfm");
    expect(0x28400440u, "ldnp");
    expect(0x69400440u, "ldpsw");
    expect(0xc87f0440u, "ldxp");
    expect(0x08dffc20u, "ldarb");
}
END_TEST

static Suite *decode_coverage_suite(void)
{
    Suite *s = suite_create("decode_coverage");
    TCase *sweep = tcase_create("capstone");
    TCase *alias = tcase_create("arm_arm");
    tcase_add_checked_fixture(sweep, setup, teardown);
    tcase_set_timeout(sweep, 300);
    tcase_add_test(sweep, test_random_words_agree_with_capstone);
    tcase_add_test(sweep, test_hint_space_agrees_with_capstone);
    tcase_add_test(sweep, test_barrier_space_agrees_with_capstone);
    tcase_add_test(sweep, test_mrs_msr_op0_3_agree_with_capstone);
    tcase_add_test(sweep, test_system_class_agrees_with_capstone);
    tcase_add_test(sweep, test_exception_generation_space_agrees_with_capstone);
    tcase_add_test(sweep, test_dp_1src_2src_opcodes_agree_with_capstone);
    tcase_add_test(sweep, test_b_cond_every_condition_agrees_with_capstone);
    tcase_add_test(sweep, test_load_store_classes_agree_with_capstone);
    tcase_add_test(sweep, test_dp_immediate_alias_fields_agree_with_capstone);
    tcase_add_test(sweep, test_dp_register_alias_fields_agree_with_capstone);
    tcase_add_test(alias, test_undefined_words_have_no_mnemonic);
    tcase_add_test(alias, test_movz_movn_are_mov_unless_shifted_zero);
    tcase_add_test(alias, test_orr_immediate_is_mov_unless_move_wide_preferred);
    tcase_add_test(alias, test_bitfield_aliases);
    tcase_add_test(alias, test_conditional_select_aliases_exclude_al_nv);
    tcase_add_test(alias, test_register_aliases);
    tcase_add_test(alias, test_dsb_crm_0000_and_0100_are_ssbb_pssbb);
    tcase_add_test(alias, test_named_hints_keep_their_names);
    tcase_add_test(alias, test_ld_op_without_acquire_to_zr_is_st_op);
    tcase_add_test(alias, test_cas_casp_ldapr_names);
    tcase_add_test(alias, test_load_store_names_by_addressing);
    suite_add_tcase(s, sweep);
    suite_add_tcase(s, alias);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(decode_coverage_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
