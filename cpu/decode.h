/* The decoder's contract with the instruction families, shared by decode.c
 * (the pattern table) and the exec_*.c files (one trans_ function per
 * pattern row: it receives the fields the pattern names, checks the
 * family's unallocated cases, fills struct insn and picks the handler). */
#ifndef CPU_DECODE_H
#define CPU_DECODE_H

#include "cpu/cpu_internal.h"

static inline uint32_t bits(uint32_t x, unsigned hi, unsigned lo)
{
    return (x >> lo) & (uint32_t)((1ull << (hi - lo + 1)) - 1);
}

static inline bool bit(uint32_t x, unsigned n)
{
    return (x >> n) & 1;
}

/* Register field to slot: 31 means XZR (read), a discarded write, or SP. */
static inline uint8_t reg_zr(uint32_t r)
{
    return (uint8_t)r;
}
static inline uint8_t reg_zr_dst(uint32_t r)
{
    return r == 31 ? REG_SINK : (uint8_t)r;
}
static inline uint8_t reg_sp(uint32_t r)
{
    return r == 31 ? REG_SP : (uint8_t)r;
}

/* DecodeBitMasks (Arm ARM shared pseudocode). Returns false for the
 * reserved encodings. */
bool decode_bit_masks(bool n, unsigned imms, unsigned immr, bool immediate, unsigned datasize,
                      uint64_t *wmask, uint64_t *tmask);

/* The named fields of the pattern table. In a pattern (cpu/decode.c) each
 * letter marks the bits of one field; the field's value is its bits in
 * pattern order, most significant first, so a letter written in two places
 * is a multi-part field (TBZ's b5:b40). A letter always names the same Arm
 * ARM field, which is its member of struct insn_fields: X(letter, member)
 * with the Arm ARM field and, where it is not everywhere the same, the
 * encodings that use it. */
/* clang-format off */
#define INSN_FIELDS(X)                                                                             \
    X('d', Rd)                                                                                     \
    X('n', Rn)                                                                                     \
    X('m', Rm)                                                                                     \
    X('a', Ra)       /* data processing (3 source) */                                              \
    X('t', Rt)                                                                                     \
    X('u', Rt2)      /* pairs, exclusives */                                                       \
    X('s', Rs)       /* exclusives (status), CAS, CASP, atomics */                                 \
    X('C', CRn)      /* system instructions */                                                     \
    X('M', CRm)      /* system instructions */                                                     \
    X('i', imm)      /* imm3, imm5, imm6, imm7, imm9, imm12, imm14, imm16, imm19, imm26 */         \
    X('j', immhi)    /* ADR, ADRP: imm = immhi:immlo */                                            \
    X('l', immlo)                                                                                  \
    X('r', immr)     /* bitmask immediates, bitfield */                                            \
    X('y', imms)     /* bitmask immediates, bitfield, EXTR */                                      \
    X('b', bit_pos)  /* TBZ, TBNZ: b5:b40 */                                                       \
    X('w', hw)       /* move wide */                                                               \
    X('H', sh)       /* ADD/SUB (immediate): LSL #12 */                                            \
    X('h', shift)    /* shifted register */                                                        \
    X('e', option)   /* extended register, register offset */                                      \
    X('c', cond)                                                                                   \
    X('v', nzcv)     /* conditional compare */                                                     \
    X('o', op)                                                                                     \
    X('k', opc)                                                                                    \
    X('x', opcode)   /* data processing (1 and 2 source) */                                        \
    X('q', op1)      /* system instructions */                                                     \
    X('p', op2)      /* system instructions, CSEL; pairs: the Loads and Stores index's op2 */      \
    X('P', op4)      /* imm9 forms: the Loads and Stores index's op4 */                            \
    X('B', op31)     /* data processing (3 source) */                                              \
    X('D', op54)     /* data processing (3 source) */                                              \
    X('E', o0)       /* MRS/MSR, exclusives, CAS, CASP, data processing (3 source) */              \
    X('F', o1)       /* exclusives */                                                              \
    X('G', o2)       /* exclusives */                                                              \
    X('J', o3)       /* atomics */                                                                 \
    X('g', LL)       /* exception generation */                                                    \
    X('f', sf)                                                                                     \
    X('S', S)        /* ADD/SUB: set flags; register offset: scale the index */                    \
    X('N', N)                                                                                      \
    X('L', L)        /* loads and stores; system instructions: 1 for a read */                     \
    X('A', A)        /* atomics: acquire */                                                        \
    X('R', R)        /* atomics: release */                                                        \
    X('z', size)     /* loads and stores; Advanced SIMD element size */                            \
    X('Z', sz)       /* CASP */                                                                    \
    X('Q', Q)        /* Advanced SIMD: 128-bit vector */                                           \
    X('U', U)        /* Advanced SIMD: unsigned, or the second opcode bit */                       \
    X('T', ftype)    /* scalar FP: the precision */                                                \
    X('O', rmode)    /* FP conversions */                                                          \
    X('I', immh)     /* Advanced SIMD shift by immediate */                                        \
    X('Y', cmode)    /* Advanced SIMD modified immediate */
/* clang-format on */

/* The fields of one instruction word, as its pattern names them. A field
 * the pattern does not name reads 0 with width 0. */
struct insn_fields {
    uint32_t raw; /* the whole word, for sysreg_decode() and the SYS table */
#define INSN_FIELD_VALUE(letter, name) uint32_t name;
    INSN_FIELDS(INSN_FIELD_VALUE)
#undef INSN_FIELD_VALUE
    struct {
#define INSN_FIELD_WIDTH(letter, name) uint8_t name;
        INSN_FIELDS(INSN_FIELD_WIDTH)
#undef INSN_FIELD_WIDTH
    } width; /* bits in the pattern */
};

/* SignExtend() of a field value WIDTH (1 to 32) bits wide. */
static inline int64_t field_sext(uint32_t value, unsigned width)
{
    return (int64_t)((uint64_t)value << (64 - width)) >> (64 - width);
}

/* The pattern table's rows, by the Arm ARM encoding index's class names
 * (DDI 0487, C4.1). */
enum insn_family {
    FAM_NONE, /* UNDEFINED: no row matches, or the row's trans_ rejects the word */
    /* Data processing -- immediate */
    FAM_PC_REL_ADDR, /* ADR, ADRP */
    FAM_ADD_SUB_IMM,
    FAM_LOGICAL_IMM,
    FAM_MOVE_WIDE,
    FAM_BITFIELD,
    FAM_EXTRACT,
    /* Branches, exception generating and system instructions */
    FAM_COND_BRANCH, /* B.cond */
    FAM_EXCEPTION,
    FAM_HINTS,
    FAM_BARRIERS,
    FAM_PSTATE,      /* MSR (immediate) */
    FAM_SYSREG_MOVE, /* MRS, MSR (register) */
    FAM_SYSTEM,      /* SYS: DC, IC, AT, TLBI */
    FAM_BRANCH_REG,
    FAM_BRANCH_IMM,     /* B, BL */
    FAM_COMPARE_BRANCH, /* CBZ, CBNZ */
    FAM_TEST_BRANCH,    /* TBZ, TBNZ */
    /* Loads and stores */
    FAM_CAS,
    FAM_CASP,
    FAM_LDST_EXCLUSIVE, /* exclusives and LDAR/STLR (load/store ordered) */
    FAM_LDAPR,
    FAM_ATOMIC, /* LD<op>, SWP */
    FAM_LDR_LITERAL,
    FAM_LDST_PAIR,
    FAM_LDST_IMM9, /* unscaled, pre-/post-indexed, unprivileged */
    FAM_LDST_REG,  /* register offset */
    FAM_LDST_UIMM, /* unsigned immediate */
    /* Data processing -- register */
    FAM_LOGICAL_SHIFTED,
    FAM_ADD_SUB_SHIFTED,
    FAM_ADD_SUB_EXTENDED,
    FAM_ADD_SUB_CARRY, /* ADC, SBC */
    FAM_COND_COMPARE_REG,
    FAM_COND_COMPARE_IMM,
    FAM_COND_SELECT,
    FAM_DP_1SRC,
    FAM_DP_2SRC,
    FAM_DP_3SRC,
    /* SIMD&FP loads and stores (V = 1) */
    FAM_FP_LDR_LITERAL,
    FAM_FP_LDST_PAIR,
    FAM_FP_LDST_IMM9,       /* unscaled, pre-/post-indexed */
    FAM_FP_LDST_REG,        /* register offset */
    FAM_FP_LDST_UIMM,       /* unsigned immediate */
    FAM_SIMD_LDST_MULTIPLE, /* LD1-LD4, ST1-ST4 (multiple structures), with post-index */
    FAM_SIMD_LDST_SINGLE,   /* LD1-LD4, ST1-ST4 (single structure), LD1R-LD4R */
    /* Data processing -- scalar floating-point */
    FAM_FP_FIXED_CONV, /* conversion between floating-point and fixed-point */
    FAM_FP_INT_CONV,   /* conversion between floating-point and integer */
    FAM_FP_DP1,        /* data-processing (1 source) */
    FAM_FP_COMPARE,
    FAM_FP_IMM,
    FAM_FP_CCMP, /* conditional compare */
    FAM_FP_DP2,  /* data-processing (2 source) */
    FAM_FP_CSEL,
    FAM_FP_DP3, /* data-processing (3 source) */
    /* Data processing -- Advanced SIMD */
    FAM_SIMD_THREE_SAME,
    FAM_SIMD_THREE_DIFF,
    FAM_SIMD_TWO_MISC,
    FAM_SIMD_ACROSS_LANES,
    FAM_SIMD_COPY,
    FAM_SIMD_INDEXED,   /* vector x indexed element */
    FAM_SIMD_MOD_IMM,   /* modified immediate */
    FAM_SIMD_SHIFT_IMM, /* shift by immediate */
    FAM_SIMD_TABLE,     /* TBL, TBX */
    FAM_SIMD_PERMUTE,   /* UZP, TRN, ZIP */
    FAM_SIMD_EXTRACT,   /* EXT */
    FAM_SIMD_SCALAR_THREE_SAME,
    FAM_SIMD_SCALAR_THREE_DIFF,
    FAM_SIMD_SCALAR_TWO_MISC,
    FAM_SIMD_SCALAR_PAIRWISE,
    FAM_SIMD_SCALAR_COPY,
    FAM_SIMD_SCALAR_INDEXED,
    FAM_SIMD_SCALAR_SHIFT_IMM,
    FAM_COUNT
};

/* The family of RAW on a PE with every feature a64sim implements, or
 * FAM_NONE when RAW is UNDEFINED there. */
enum insn_family decode_family(uint32_t raw);
/* As decode_family(), and fills F with RAW's fields as its row names them
 * (only F->raw for FAM_NONE). */
enum insn_family decode_fields(uint32_t raw, struct insn_fields *f);

/* A row's decoder: fills IN from the fields F, returns false if the word
 * is unallocated. */
typedef bool (*trans_fn)(struct insn *in, const struct insn_fields *f);

/* exec_dp.c: data processing */
bool trans_ADR(struct insn *in, const struct insn_fields *f);
bool trans_ADD_SUB_imm(struct insn *in, const struct insn_fields *f);
bool trans_LOGIC_imm(struct insn *in, const struct insn_fields *f);
bool trans_MOVE_wide(struct insn *in, const struct insn_fields *f);
bool trans_BITFIELD(struct insn *in, const struct insn_fields *f);
bool trans_EXTR(struct insn *in, const struct insn_fields *f);
bool trans_LOGIC_shifted(struct insn *in, const struct insn_fields *f);
bool trans_ADD_SUB_shifted(struct insn *in, const struct insn_fields *f);
bool trans_ADD_SUB_extended(struct insn *in, const struct insn_fields *f);
bool trans_ADC_SBC(struct insn *in, const struct insn_fields *f);
bool trans_CCMP_reg(struct insn *in, const struct insn_fields *f);
bool trans_CCMP_imm(struct insn *in, const struct insn_fields *f);
bool trans_CSEL(struct insn *in, const struct insn_fields *f);
bool trans_DP_1src(struct insn *in, const struct insn_fields *f);
bool trans_DP_2src(struct insn *in, const struct insn_fields *f);
bool trans_DP_3src(struct insn *in, const struct insn_fields *f);

/* exec_branch.c: branches, exception generation, system */
bool trans_B(struct insn *in, const struct insn_fields *f);
bool trans_B_cond(struct insn *in, const struct insn_fields *f);
bool trans_CB(struct insn *in, const struct insn_fields *f);
bool trans_TB(struct insn *in, const struct insn_fields *f);
bool trans_BR_reg(struct insn *in, const struct insn_fields *f);
bool trans_EXCEPTION(struct insn *in, const struct insn_fields *f);
bool trans_HINT(struct insn *in, const struct insn_fields *f);
bool trans_BARRIER(struct insn *in, const struct insn_fields *f);
bool trans_MSR_imm(struct insn *in, const struct insn_fields *f);
bool trans_MRS_MSR_reg(struct insn *in, const struct insn_fields *f);

/* exec_sys.c: DC, IC, AT, TLBI */
bool trans_SYS(struct insn *in, const struct insn_fields *f);

/* exec_ldst.c: loads and stores */
bool trans_LDR_literal(struct insn *in, const struct insn_fields *f);
bool trans_LDST_pair(struct insn *in, const struct insn_fields *f);
bool trans_LDST_imm9(struct insn *in, const struct insn_fields *f);
bool trans_LDST_uimm(struct insn *in, const struct insn_fields *f);
bool trans_LDST_reg(struct insn *in, const struct insn_fields *f);
bool trans_LDST_exclusive(struct insn *in, const struct insn_fields *f);
bool trans_LDAPR(struct insn *in, const struct insn_fields *f);

/* exec_fpldst.c: SIMD&FP loads and stores */
bool trans_FP_LDR_literal(struct insn *in, const struct insn_fields *f);
bool trans_FP_LDST_pair(struct insn *in, const struct insn_fields *f);
bool trans_FP_LDST_imm9(struct insn *in, const struct insn_fields *f);
bool trans_FP_LDST_reg(struct insn *in, const struct insn_fields *f);
bool trans_FP_LDST_uimm(struct insn *in, const struct insn_fields *f);
/* exec_simd_ldst.c: structure loads and stores */
bool trans_SIMD_LDST_multiple(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_LDST_single(struct insn *in, const struct insn_fields *f);

/* exec_fp.c: scalar floating-point */
bool trans_FP_fixed_conv(struct insn *in, const struct insn_fields *f);
bool trans_FP_int_conv(struct insn *in, const struct insn_fields *f);
bool trans_FP_dp1(struct insn *in, const struct insn_fields *f);
bool trans_FP_compare(struct insn *in, const struct insn_fields *f);
bool trans_FP_imm(struct insn *in, const struct insn_fields *f);
bool trans_FP_ccmp(struct insn *in, const struct insn_fields *f);
bool trans_FP_dp2(struct insn *in, const struct insn_fields *f);
bool trans_FP_csel(struct insn *in, const struct insn_fields *f);
bool trans_FP_dp3(struct insn *in, const struct insn_fields *f);

/* exec_simd_arith.c: three same, three different, across lanes, scalar pairwise */
bool trans_SIMD_three_same(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_three_diff(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_across_lanes(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_scalar_three_same(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_scalar_three_diff(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_scalar_pairwise(struct insn *in, const struct insn_fields *f);
/* exec_simd_misc.c: two-register miscellaneous, shift by immediate, indexed */
bool trans_SIMD_two_misc(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_shift_imm(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_indexed(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_scalar_two_misc(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_scalar_shift_imm(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_scalar_indexed(struct insn *in, const struct insn_fields *f);
/* exec_simd_perm.c: copy, modified immediate, table lookup, permute, extract */
bool trans_SIMD_copy(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_scalar_copy(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_mod_imm(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_table(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_permute(struct insn *in, const struct insn_fields *f);
bool trans_SIMD_extract(struct insn *in, const struct insn_fields *f);

/* The mnemonic oracle's part for the SIMD&FP families (cpu/mnemonic_*.c):
 * the name Capstone and the Arm ARM print for a word of FAMILY, whose
 * fields are F. */
const char *mnemonic_fpldst(enum insn_family family, const struct insn_fields *f);
const char *mnemonic_fp(enum insn_family family, const struct insn_fields *f);
const char *mnemonic_simd_arith(enum insn_family family, const struct insn_fields *f);
const char *mnemonic_simd_misc(enum insn_family family, const struct insn_fields *f);
const char *mnemonic_simd_perm(enum insn_family family, const struct insn_fields *f);

/* exec_atomic.c: FEAT_LSE atomics */
bool trans_LDST_atomic(struct insn *in, const struct insn_fields *f);
bool trans_CAS(struct insn *in, const struct insn_fields *f);
bool trans_CASP(struct insn *in, const struct insn_fields *f);

#endif
