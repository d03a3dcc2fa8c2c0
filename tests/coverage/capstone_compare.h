/* The decode-coverage comparison of a64sim against Capstone 4.0.2, shared
 * by the unit test (tests/unit/test_decode_coverage.c, samples and small
 * exhaustive sweeps) and the standalone sweep of all 2^32 words
 * (tests/coverage/full_sweep.c). Everything is static, in this header,
 * because the Makefile builds each unit test from its one .c file.
 *
 * For every word, three checks (docs/decode-coverage.md tells the story):
 *  (a) a word Capstone decodes and that is in scope decodes in a64sim;
 *  (b) a word a64sim decodes is decoded by Capstone;
 *  (c) when both decode it, a64_mnemonic() equals Capstone's mnemonic.
 * plus (i): a64_mnemonic() is NULL exactly when decode_family_name() is,
 * and no out-of-scope rule ever covers a word a64sim implements.
 *
 * Every exception to (a), (b) and (c) is a named class below, counted,
 * with the Arm ARM (DDI 0487 K.a) passage that justifies it. (op0 means
 * bits 28:25, as in docs/architecture.md, except inside the System class,
 * where it is bits 20:19 as C5.1 names them.)
 * - out of scope: SVE/SME, what the exception-model work will add,
 *   features a64sim does not advertise (the cryptographic extension among
 *   them);
 * - Capstone 4.0.2 errors: Capstone accepts an unallocated word, rejects
 *   an allocated one, or prints a mnemonic that is not the preferred
 *   disassembly;
 * - a64sim's CONSTRAINED UNPREDICTABLE choices (docs/architecture.md),
 *   which Capstone decodes as UNDEFINED.
 * Each class test is narrow (field conditions, and for mnemonic classes
 * the exact pair of names), so that it cannot hide an unrelated error.
 */
#ifndef TESTS_COVERAGE_CAPSTONE_COMPARE_H
#define TESTS_COVERAGE_CAPSTONE_COMPARE_H

#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cpu/mnemonic.h"

#define COV_SHOWN 20 /* disagreements printed per run */

enum cov_class {
    COV_NONE = -1,
    /* Capstone decodes it; a64sim need not (out of scope). */
    OUT_SVE_SME,
    OUT_RESERVED,
    OUT_EXCEPTION_MODEL,
    OUT_NOT_ADVERTISED,
    /* Capstone 4.0.2 errors. */
    CS_OP0_00_AS_SYSREG,
    CS_NO_LSE,
    CS_NO_LRCPC,
    CS_LDTR_RT_EQ_RN,
    CS_NO_MOV_WIDE_ALIAS,
    CS_NO_MOV_BITMASK_ALIAS,
    CS_NO_BFC,
    CS_COND_ALIAS_WITH_AL_NV,
    CS_UNNAMED_HINT,
    CS_NO_SSBB_PSSBB,
    CS_NO_SXTL_UXTL,
    CS_NO_INS_MOV_ALIAS,
    CS_COPY_IGNORED_BITS,
    /* a64sim's CONSTRAINED UNPREDICTABLE choices, UNDEFINED in Capstone. */
    CU_LOAD_PAIR_RT_EQ_RT2,
    CU_PAIR_WRITEBACK_OVERLAP,
    CU_SINGLE_WRITEBACK_OVERLAP,
    CU_LOAD_EXCL_PAIR_RT_EQ_RT2,
    COV_NCLASSES
};

struct cov_class_info {
    const char *name;
    const char *reference; /* Arm ARM DDI 0487 K.a */
};

static const struct cov_class_info cov_classes[COV_NCLASSES] = {
    [OUT_SVE_SME] = {"out of scope: SVE/SME", "C4.1: op0 = 0010; op0 = 0000 with bit 31 set"},
    [OUT_RESERVED] = {"out of scope: reserved (UDF, permanently UNDEFINED)",
                      "C4.1: op0 = 0000 with bit 31 clear; C6.2 UDF"},
    [OUT_EXCEPTION_MODEL] = {"out of scope: exception-model work (sysregs, SYS, PSTATE, ERET, "
                             "DRPS, DCPS, LDTR/STTR)",
                             "C5.1 and C6.2; UNDEFINED in a64sim until modelled"},
    [OUT_NOT_ADVERTISED] =
        {"out of scope: feature not advertised",
         "C6.2, C7.2: FEAT_PAuth, MTE, FlagM, LOR, LRCPC2, MOPS, CSSC, LS64, SB, XS, TME, WFxT, "
         "HBC, AES, SHA1, SHA256, PMULL (64-bit)"},
    [CS_OP0_00_AS_SYSREG] = {"Capstone error: System word with op0 (bits 20:19) = 00 printed as "
                             "MRS/MSR",
                             "C5.1: MRS/MSR (register) need op0 = 1x; op0 = 00 holds only hints, "
                             "barriers, MSR (immediate) and a few named instructions"},
    [CS_NO_LSE] = {"Capstone error: FEAT_LSE (LD<op>, ST<op>, SWP, CAS, CASP) rejected",
                   "C6.2 LDADD, SWP, CAS, CASP (Armv8.1)"},
    [CS_NO_LRCPC] = {"Capstone error: FEAT_LRCPC LDAPR rejected", "C6.2 LDAPR (Armv8.3)"},
    [CS_LDTR_RT_EQ_RN] = {"Capstone error: unprivileged load with Rt == Rn rejected",
                          "C6.2 LDTR: wback is FALSE, so the Rt == Rn writeback rule never "
                          "applies"},
    [CS_NO_MOV_WIDE_ALIAS] = {"Capstone error: movz/movn where MOV is preferred",
                              "C6.2 MOVZ, MOVN: alias MOV (wide/inverted wide immediate)"},
    [CS_NO_MOV_BITMASK_ALIAS] = {"Capstone error: orr where MOV (bitmask immediate) is preferred",
                                 "C6.2 ORR (immediate): MOV when Rn = ZR and "
                                 "!MoveWidePreferred()"},
    [CS_NO_BFC] = {"Capstone error: bfi where BFC is preferred",
                   "C6.2 BFM: BFC when Rn = ZR and imms < immr"},
    [CS_COND_ALIAS_WITH_AL_NV] = {"Capstone error: cset/csetm/cinc/cinv/cneg with cond AL/NV",
                                  "C6.2 CSINC, CSINV, CSNEG: aliases need cond != 111x"},
    [CS_UNNAMED_HINT] = {"Capstone error: hint #imm for a named hint",
                         "C6.2 HINT and DGH, XPACLRI, PAC*/AUT*, ESB, PSB, TSB, CSDB, "
                         "CLRBHB, BTI"},
    [CS_NO_SSBB_PSSBB] = {"Capstone error: dsb #0 / dsb #4 for SSBB / PSSBB",
                          "C6.2 DSB: CRm = 0000 is SSBB, CRm = 0100 is PSSBB"},
    [CS_NO_SXTL_UXTL] = {"Capstone error: sshll/ushll #0 where SXTL/UXTL is preferred",
                         "C7.2 SSHLL, USHLL: alias SXTL/UXTL when immb = 000 and "
                         "BitCount(immh) = 1"},
    [CS_NO_INS_MOV_ALIAS] = {"Capstone error: ins where MOV (element/from general) is preferred",
                             "C7.2 INS (element), INS (general): the MOV alias is always "
                             "the preferred disassembly"},
    [CS_COPY_IGNORED_BITS] = {"Capstone error: rejects DUP (general) and INS (element) with "
                              "imm5/imm4 bits the decode ignores",
                              "C7.2 DUP (general): size = LowestSetBit(imm5), the bits above "
                              "are ignored; INS (element): src_index = imm4<3:size>"},
    [CU_LOAD_PAIR_RT_EQ_RT2] = {"CONSTRAINED UNPREDICTABLE: load pair with Rt == Rt2",
                                "C6.2 LDP/LDPSW/LDNP, K1.2 (executes; Rt2's value kept)"},
    [CU_PAIR_WRITEBACK_OVERLAP] = {"CONSTRAINED UNPREDICTABLE: pair writeback onto Rt/Rt2",
                                   "C6.2 LDP/STP/LDPSW, K1.2 (executes)"},
    [CU_SINGLE_WRITEBACK_OVERLAP] = {"CONSTRAINED UNPREDICTABLE: load writeback onto Rt",
                                     "C6.2 LDR (immediate) family, K1.2 (executes)"},
    [CU_LOAD_EXCL_PAIR_RT_EQ_RT2] = {"CONSTRAINED UNPREDICTABLE: LDXP/LDAXP with Rt == Rt2",
                                     "C6.2 LDXP, LDAXP, K1.2 (executes; Rt2's value kept)"},
};

static inline unsigned cov_bits(uint32_t w, unsigned hi, unsigned lo)
{
    return (w >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static inline bool cov_bit(uint32_t w, unsigned n)
{
    return (w >> n) & 1;
}

/* ---- scope (C4.1, the A64 encoding index) ---- */

/* op0 = bits 28:25 of the top-level table. */
static inline unsigned cov_op0(uint32_t w)
{
    return cov_bits(w, 28, 25);
}

/* SVE (op0 = 0010) and SME (op0 = 0000 with bit 31 set). */
static inline bool cov_is_sve_sme(uint32_t w)
{
    unsigned op0 = cov_op0(w);
    return op0 == 2 || (op0 == 0 && cov_bit(w, 31));
}

/* The reserved space (op0 = 0000, bit 31 = 0): UDF and nothing else is
 * allocated there, and UDF is UNDEFINED by definition, so a64sim rejecting
 * it is right; it is out of scope only in that nothing can be compared. */
static inline bool cov_is_reserved(uint32_t w)
{
    return cov_op0(w) == 0 && !cov_bit(w, 31);
}

/* The System instruction class (C5.1): 1101010100 L op0 op1 CRn CRm op2 Rt. */
static inline bool cov_is_system_class(uint32_t w)
{
    return (w & 0xffc00000u) == 0xd5000000u;
}

/* What waits for the exception model (docs/architecture.md, "UNDEFINED on
 * purpose today"): MRS/MSR to registers not in cpu/sysreg.c, SYS/SYSL,
 * MSR (immediate) to PSTATE fields other than DAIF, ERET, DRPS, DCPS1-3,
 * and the unprivileged loads and stores. In scope only once decode
 * accepts them, so the rule is "in this class and a64sim rejects it". */
static inline bool cov_is_exception_model_class(uint32_t w)
{
    if (cov_is_system_class(w)) {
        if (cov_bits(w, 20, 19) != 0)
            return true; /* op0 = 01: SYS, SYSL; op0 = 1x: MRS, MSR (register) */
        /* op0 = 00: only MSR (immediate), L = 0, CRn = 0100, Rt = 31 */
        return !cov_bit(w, 21) && cov_bits(w, 15, 12) == 4 && cov_bits(w, 4, 0) == 31;
    }
    /* ERET, DRPS: branch (register) with opc 0100, 0101 and op3 = 0. */
    if ((w & 0xffdffc00u) == 0xd69f0000u)
        return true;
    /* DCPS1-3: exception generation, opc = 101, LL != 00. */
    if ((w & 0xffe0001cu) == 0xd4a00000u && cov_bits(w, 1, 0) != 0)
        return true;
    /* LDTR/STTR and sized forms: V = 0, bit 21 = 0, bits 11:10 = 10. */
    return (w & 0x3f200c00u) == 0x38000800u;
}

/* Instructions of features a64sim does not advertise (its ID registers
 * will not report them), by their encodings in C4.1/C6.2. */
static inline bool cov_is_not_advertised(uint32_t w)
{
    static const struct {
        uint32_t mask, value;
    } feats[] = {
        {0xff3e0c00u, 0x4e280800u}, /* crypto: AESE, AESD, AESMC, AESIMC */
        {0xff208c00u, 0x5e000000u}, /* crypto: SHA1C/P/M, SHA1SU0, SHA256H/H2, SHA256SU1 */
        {0xff3e0c00u, 0x5e280800u}, /* crypto: SHA1H, SHA1SU1, SHA256SU0 */
        {0xbfe0fc00u, 0x0ee0e000u}, /* crypto: PMULL, PMULL2 with 64-bit elements (.1Q) */
        {0xffff0000u, 0xdac10000u}, /* PAuth: PACIA..XPACD (DP 1 source, opcode2 = 00001) */
        {0xfe00f800u, 0xd6000800u}, /* PAuth: BRAA, BLRAA, RETAA, ERETAA, ... (op3 = 00001x) */
        {0xff200400u, 0xf8200400u}, /* PAuth: LDRAA, LDRAB */
        {0xffc00000u, 0x91800000u}, /* MTE: ADDG */
        {0xffc00000u, 0xd1800000u}, /* MTE: SUBG */
        {0xff200000u, 0xd9200000u}, /* MTE: STG, STZG, ST2G, STZ2G, LDG, STGM, LDGM, ... */
        {0xffc00000u, 0x68800000u}, /* MTE: STGP (post-index) */
        {0xffc00000u, 0x69000000u}, /* MTE: STGP (signed offset) */
        {0xffc00000u, 0x69800000u}, /* MTE: STGP (pre-index) */
        {0xdfe0fc00u, 0x9ac00000u}, /* MTE: SUBP, SUBPS */
        {0xffe0fc00u, 0x9ac01000u}, /* MTE: IRG */
        {0xffe0fc00u, 0x9ac01400u}, /* MTE: GMI */
        {0xffe0fc00u, 0x9ac03000u}, /* PAuth: PACGA */
        {0xffe07c10u, 0xba000400u}, /* FlagM: RMIF */
        {0xffffbc1fu, 0x3a00080du}, /* FlagM: SETF8, SETF16 */
        {0x3fa08000u, 0x08800000u}, /* LOR: LDLAR, STLLR */
        {0x3f200c00u, 0x19000000u}, /* LRCPC2: LDAPUR*, STLUR* */
        {0x3b200c00u, 0x19000400u}, /* MOPS: CPY*, CPYF*, SET* */
        {0x7fc00000u, 0x11c00000u}, /* CSSC: SMAX, UMAX, SMIN, UMIN (immediate) */
        {0x7fe0f000u, 0x1ac06000u}, /* CSSC: SMAX, UMAX, SMIN, UMIN (register) */
        {0x7ffff800u, 0x5ac01800u}, /* CSSC: CTZ, CNT */
        {0x7ffffc00u, 0x5ac02000u}, /* CSSC: ABS */
        {0xffe0fc00u, 0xf8209000u}, /* LS64: ST64B */
        {0xffe0fc00u, 0xf820a000u}, /* LS64: ST64BV0 */
        {0xffe0fc00u, 0xf820b000u}, /* LS64: ST64BV */
        {0xffe0fc00u, 0xf820d000u}, /* LS64: LD64B */
        {0xff000010u, 0x54000010u}, /* HBC: BC.cond */
        {0xffe0001fu, 0xd4600000u}, /* TME: TCANCEL */
        {0xffffffffu, 0xd503307fu}, /* TME: TCOMMIT */
        {0xffffffe0u, 0xd5233060u}, /* TME: TSTART */
        {0xffffffe0u, 0xd5233160u}, /* TME: TTEST */
        {0xffffffffu, 0xd50330ffu}, /* SB */
        {0xfffff3ffu, 0xd503323fu}, /* XS: DSB <option>nXS */
        {0xffffffc0u, 0xd5031000u}, /* WFxT: WFET, WFIT */
    };
    for (size_t i = 0; i < sizeof(feats) / sizeof(feats[0]); i++) {
        if ((w & feats[i].mask) == feats[i].value)
            return true;
    }
    return false;
}

/* Why a word Capstone decodes is out of scope, or COV_NONE. Only asked
 * about words a64sim rejects (an out-of-scope word a64sim implements is
 * reported as an inconsistency of this function). */
static inline enum cov_class cov_out_of_scope(uint32_t w, bool sim_accepts)
{
    if (cov_is_sve_sme(w))
        return OUT_SVE_SME;
    if (cov_is_reserved(w))
        return OUT_RESERVED;
    if (cov_is_exception_model_class(w) && !sim_accepts)
        return OUT_EXCEPTION_MODEL;
    if (cov_is_not_advertised(w))
        return OUT_NOT_ADVERTISED;
    return COV_NONE;
}

/* ---- Capstone 4.0.2 errors ---- */

/* Capstone accepts, a64sim rejects, and Capstone's reading is impossible:
 * it prints a System word with op0 = 00 as MRS/MSR (register) of an
 * "S3_..." register, but MRS/MSR (register) need op0 = 1x, and op0 = 00
 * holds only hints, barriers, MSR (immediate) (L = 0, CRn = 0100,
 * Rt = 31) and a few named instructions, the rest being unallocated
 * (C5.1). The named ones a64sim lacks are out of scope before this. */
static inline enum cov_class cov_capstone_accepts_unallocated(uint32_t w, const char *cs_mnemonic)
{
    bool op0_00 = cov_is_system_class(w) && cov_bits(w, 20, 19) == 0;
    bool pstate = !cov_bit(w, 21) && cov_bits(w, 15, 12) == 4 && cov_bits(w, 4, 0) == 31;
    if (op0_00 && !pstate && strcmp(cs_mnemonic, cov_bit(w, 21) ? "mrs" : "msr") == 0)
        return CS_OP0_00_AS_SYSREG;
    return COV_NONE;
}

/* Capstone rejects, a64sim accepts, and the Arm ARM allocates the word. */
static inline enum cov_class cov_capstone_rejects_allocated(uint32_t w)
{
    if ((w & 0x3f200c00u) == 0x38200000u && !(cov_bit(w, 15) && cov_bits(w, 14, 12) != 0))
        return CS_NO_LSE; /* LD<op>/ST<op> (o3 = 0) and SWP (o3 = 1, opc = 000) */
    if ((w & 0x3fa07c00u) == 0x08a07c00u)
        return CS_NO_LSE; /* CAS: o2 = 1, o1 = 1, Rt2 = 11111 */
    if ((w & 0xbfa07c00u) == 0x08207c00u)
        return CS_NO_LSE; /* CASP: size = 0x, o2 = 0, o1 = 1, Rt2 = 11111 */
    if ((w & 0x3ffffc00u) == 0x38bfc000u)
        return CS_NO_LRCPC;
    bool unpriv_load = (w & 0x3f200c00u) == 0x38000800u && cov_bits(w, 23, 22) != 0;
    if (unpriv_load && cov_bits(w, 9, 5) == cov_bits(w, 4, 0))
        return CS_LDTR_RT_EQ_RN;
    unsigned imm5 = cov_bits(w, 20, 16);
    unsigned size = imm5 ? (unsigned)__builtin_ctz(imm5) : 0;
    if ((w & 0xbfe0fc00u) == 0x0e000c00u && imm5 && (imm5 >> (size + 1)) != 0)
        return CS_COPY_IGNORED_BITS; /* DUP (general) */
    if ((w & 0xffe08400u) == 0x6e000400u && size < 4 && (cov_bits(w, 14, 11) & ((1u << size) - 1)))
        return CS_COPY_IGNORED_BITS; /* INS (element) */
    return COV_NONE;
}

static inline bool cov_streq(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* The alias Capstone prints, in place of the base instruction, for a
 * CSINC/CSINV/CSNEG whose condition is AL or NV. */
static inline const char *cov_capstone_cond_alias(uint32_t w)
{
    bool zr = cov_bits(w, 9, 5) == 31 && cov_bits(w, 20, 16) == 31;
    switch (cov_bit(w, 30) << 1 | cov_bit(w, 10)) {
    case 1: return zr ? "cset" : "cinc";
    case 2: return zr ? "csetm" : "cinv";
    case 3: return "cneg";
    default: return "";
    }
}

/* Both decode the word, the mnemonics differ, and the Arm ARM sides with
 * a64sim. Each test names both mnemonics exactly. */
/* Is (CS, SIM) the SSHLL/USHLL(2) to SXTL/UXTL(2) renaming? */
static inline bool cov_is_xtl_pair(const char *cs, const char *sim)
{
    static const char *const pairs[4][2] = {
        {"sshll", "sxtl"}, {"sshll2", "sxtl2"}, {"ushll", "uxtl"}, {"ushll2", "uxtl2"}};
    for (unsigned i = 0; i < 4; i++)
        if (cov_streq(cs, pairs[i][0]) && cov_streq(sim, pairs[i][1]))
            return true;
    return false;
}

static inline enum cov_class cov_capstone_misnames(uint32_t w, const char *family, const char *cs,
                                                   const char *sim)
{
    bool ins = (w & 0xffe0fc00u) == 0x4e001c00u || (w & 0xffe08400u) == 0x6e000400u;
    if (cov_streq(family, "AdvSIMD copy") && ins && cov_streq(cs, "ins") && cov_streq(sim, "mov"))
        return CS_NO_INS_MOV_ALIAS;
    if (cov_streq(family, "AdvSIMD shift by immediate") && cov_bits(w, 18, 16) == 0 &&
        __builtin_popcount(cov_bits(w, 22, 19)) == 1 && cov_is_xtl_pair(cs, sim))
        return CS_NO_SXTL_UXTL;
    if (cov_streq(family, "move wide") && cov_streq(sim, "mov") &&
        cov_streq(cs, cov_bits(w, 30, 29) == 2 ? "movz" : "movn"))
        return CS_NO_MOV_WIDE_ALIAS;
    if (cov_streq(family, "logical (immediate)") && cov_streq(sim, "mov") && cov_streq(cs, "orr"))
        return CS_NO_MOV_BITMASK_ALIAS;
    if (cov_streq(family, "bitfield") && cov_streq(sim, "bfc") && cov_streq(cs, "bfi"))
        return CS_NO_BFC;
    if (cov_streq(family, "conditional select") && cov_bits(w, 15, 13) == 7 &&
        cov_streq(cs, cov_capstone_cond_alias(w)) &&
        (cov_streq(sim, "csinc") || cov_streq(sim, "csinv") || cov_streq(sim, "csneg")))
        return CS_COND_ALIAS_WITH_AL_NV;
    if (cov_streq(family, "hints") && cov_streq(cs, "hint") && !cov_streq(sim, "hint") &&
        cov_bits(w, 11, 5) >= 6)
        return CS_UNNAMED_HINT;
    if (cov_streq(family, "barriers") && cov_streq(cs, "dsb") &&
        cov_streq(sim, cov_bits(w, 11, 8) == 0 ? "ssbb" : "pssbb"))
        return CS_NO_SSBB_PSSBB;
    return COV_NONE;
}

/* ---- a64sim's CONSTRAINED UNPREDICTABLE choices ----
 * Where the Arm ARM lets a word be UNDEFINED or execute with a stated
 * outcome, a64sim executes it (exec_ldst.c lists the outcomes) and
 * Capstone, following LLVM, decodes it as UNDEFINED. */
static inline enum cov_class cov_constrained_unpredictable(uint32_t w)
{
    unsigned rt = cov_bits(w, 4, 0), rn = cov_bits(w, 9, 5), rt2 = cov_bits(w, 14, 10);
    bool load = cov_bit(w, 22);
    if ((w & 0x3e000000u) == 0x28000000u) { /* load/store pair, V = 0 */
        unsigned mode = cov_bits(w, 24, 23);
        bool wback = mode == 1 || mode == 3;
        if (load && rt == rt2)
            return CU_LOAD_PAIR_RT_EQ_RT2;
        if (wback && rn != 31 && (rn == rt || rn == rt2))
            return CU_PAIR_WRITEBACK_OVERLAP;
        return COV_NONE;
    }
    if ((w & 0x3e000000u) == 0x2c000000u && load && rt == rt2)
        return CU_LOAD_PAIR_RT_EQ_RT2;      /* load pair, V = 1 (Vt, Vt2: no base overlap) */
    if ((w & 0x3f200400u) == 0x38000400u) { /* single register, pre/post-index */
        bool is_load = cov_bits(w, 23, 22) != 0;
        if (is_load && rn != 31 && rn == rt)
            return CU_SINGLE_WRITEBACK_OVERLAP;
        return COV_NONE;
    }
    if ((w & 0xbfe00000u) == 0x88600000u && rt == rt2)
        return CU_LOAD_EXCL_PAIR_RT_EQ_RT2; /* LDXP, LDAXP */
    return COV_NONE;
}

/* ---- the per-word judgement and its tally ---- */

struct cov_shown {
    uint32_t word;
    char check; /* 'a', 'b', 'c' or 'i' */
    char capstone[200];
    const char *family, *mnemonic;
};

struct cov_tally {
    uint64_t sampled, cs_accepts, in_scope, sim_accepts, both, agree, sim_only;
    uint64_t by_class[COV_NCLASSES];
    uint64_t fail_a, fail_b, fail_c, fail_i;
    unsigned nshown;
    struct cov_shown shown[COV_SHOWN];
};

struct cov_ctx {
    csh cs;
    cs_insn *insn;
};

static inline bool cov_open(struct cov_ctx *ctx)
{
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &ctx->cs) != CS_ERR_OK)
        return false;
    cs_option(ctx->cs, CS_OPT_DETAIL, CS_OPT_OFF);
    ctx->insn = cs_malloc(ctx->cs);
    return ctx->insn != NULL;
}

static inline void cov_close(struct cov_ctx *ctx)
{
    cs_free(ctx->insn, 1);
    cs_close(&ctx->cs);
}

static inline void cov_show(struct cov_tally *t, uint32_t w, char check, const cs_insn *insn,
                            bool cs_ok, const char *family, const char *mnemonic)
{
    if (t->nshown >= COV_SHOWN)
        return;
    struct cov_shown *s = &t->shown[t->nshown++];
    s->word = w;
    s->check = check;
    if (cs_ok)
        snprintf(s->capstone, sizeof(s->capstone), "%s %s", insn->mnemonic, insn->op_str);
    else
        snprintf(s->capstone, sizeof(s->capstone), "(undefined)");
    s->family = family ? family : "(undefined)";
    s->mnemonic = mnemonic ? mnemonic : "-";
}

/* Judge one word: classify it and count it in T. */
static inline void cov_judge(struct cov_ctx *ctx, struct cov_tally *t, uint32_t w)
{
    const uint8_t code[4] = {(uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24)};
    const uint8_t *p = code;
    size_t size = 4;
    uint64_t addr = 0;
    bool cs_ok = cs_disasm_iter(ctx->cs, &p, &size, &addr, ctx->insn);
    const char *family = decode_family_name(w);
    const char *mn = a64_mnemonic(w);
    enum cov_class cls;

    t->sampled++;
    t->cs_accepts += cs_ok;
    t->sim_accepts += family != NULL;
    if ((family == NULL) != (mn == NULL) || (family && cov_out_of_scope(w, true) != COV_NONE)) {
        t->fail_i++;
        cov_show(t, w, 'i', ctx->insn, cs_ok, family, mn);
        return;
    }
    if (cs_ok && family) {
        t->both++;
        t->in_scope++;
        if (cov_streq(mn, ctx->insn->mnemonic)) {
            t->agree++;
            return;
        }
        cls = cov_capstone_misnames(w, family, ctx->insn->mnemonic, mn);
        if (cls != COV_NONE) {
            t->by_class[cls]++;
            return;
        }
        t->fail_c++;
        cov_show(t, w, 'c', ctx->insn, cs_ok, family, mn);
        return;
    }
    if (cs_ok) {
        cls = cov_out_of_scope(w, false);
        if (cls == COV_NONE)
            cls = cov_capstone_accepts_unallocated(w, ctx->insn->mnemonic);
        if (cls != COV_NONE) {
            t->by_class[cls]++;
            return;
        }
        t->in_scope++;
        t->fail_a++;
        cov_show(t, w, 'a', ctx->insn, cs_ok, family, mn);
        return;
    }
    if (family) {
        t->sim_only++;
        cls = cov_constrained_unpredictable(w);
        if (cls == COV_NONE)
            cls = cov_capstone_rejects_allocated(w);
        if (cls != COV_NONE) {
            t->by_class[cls]++;
            return;
        }
        t->fail_b++;
        cov_show(t, w, 'b', ctx->insn, cs_ok, family, mn);
    }
}

static inline uint64_t cov_failures(const struct cov_tally *t)
{
    return t->fail_a + t->fail_b + t->fail_c + t->fail_i;
}

/* Add SRC's counts to DST; shown words are kept in order, first come first. */
static inline void cov_merge(struct cov_tally *dst, const struct cov_tally *src)
{
    dst->sampled += src->sampled;
    dst->cs_accepts += src->cs_accepts;
    dst->in_scope += src->in_scope;
    dst->sim_accepts += src->sim_accepts;
    dst->both += src->both;
    dst->agree += src->agree;
    dst->sim_only += src->sim_only;
    for (int i = 0; i < COV_NCLASSES; i++)
        dst->by_class[i] += src->by_class[i];
    dst->fail_a += src->fail_a;
    dst->fail_b += src->fail_b;
    dst->fail_c += src->fail_c;
    dst->fail_i += src->fail_i;
    for (unsigned i = 0; i < src->nshown && dst->nshown < COV_SHOWN; i++)
        dst->shown[dst->nshown++] = src->shown[i];
}

static inline void cov_report(FILE *out, const char *what, const struct cov_tally *t)
{
    fprintf(out,
            "%s: %" PRIu64 " words; Capstone decodes %" PRIu64 ", in scope %" PRIu64
            "; a64sim decodes %" PRIu64 "; both %" PRIu64 ", mnemonics agree %" PRIu64
            "; a64sim only %" PRIu64 "\n",
            what, t->sampled, t->cs_accepts, t->in_scope, t->sim_accepts, t->both, t->agree,
            t->sim_only);
    for (int i = 0; i < COV_NCLASSES; i++) {
        if (t->by_class[i])
            fprintf(out, "  %10" PRIu64 "  %s [%s]\n", t->by_class[i], cov_classes[i].name,
                    cov_classes[i].reference);
    }
    fprintf(out,
            "  failures: (a) in scope, a64sim rejects %" PRIu64 "; (b) a64sim accepts, "
            "Capstone rejects %" PRIu64 "; (c) mnemonics differ %" PRIu64
            "; (i) inconsistent %" PRIu64 "\n",
            t->fail_a, t->fail_b, t->fail_c, t->fail_i);
    for (unsigned i = 0; i < t->nshown; i++) {
        const struct cov_shown *s = &t->shown[i];
        fprintf(out, "  (%c) %08" PRIx32 "  capstone: %-40s a64sim: %s [%s]\n", s->check, s->word,
                s->capstone, s->mnemonic, s->family);
    }
}

/* xorshift64 (Marsaglia), the sampler of every sweep: fixed seed, so every
 * run judges the same words. */
static inline uint64_t cov_xorshift64(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

#endif
