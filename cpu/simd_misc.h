/* The Advanced SIMD two-register miscellaneous, shift by immediate and
 * vector x indexed element classes, vector and scalar (Arm ARM DDI 0487,
 * C4.1.95): which instruction a word of these families is. The decoder
 * (cpu/exec_simd_misc.c) and the mnemonic oracle (cpu/mnemonic_simd_misc.c)
 * both read a word through smisc_decode(), so that they cannot disagree on
 * what is allocated.
 *
 * Every instruction is one of a few shapes, which is all the handlers need
 * to know about its operands:
 * - SAME:   element I of Vd from element I of Vn (and of Vd), one size;
 * - PAIRL:  element I of Vd (2 x esize) from elements 2I, 2I+1 of Vn;
 * - NARROW: element I of Vd (esize) from element I of Vn (2 x esize), into
 *           the lower half, or the upper half keeping the lower ("2", Q = 1);
 * - WIDEN:  element I of Vd (2 x esize) from element I of the lower or
 *           upper ("2") half of Vn;
 * - IDX:    SAME with a second operand, element `index` of Vm;
 * - IDXL:   WIDEN with a second operand, element `index` of Vm.
 * The table index `lg` is log2 of the element size in bytes of the
 * narrower operand (the only one for SAME and IDX).
 */
#ifndef CPU_SIMD_MISC_H
#define CPU_SIMD_MISC_H

#include "cpu/decode.h"

enum smisc_shape { SH_SAME, SH_PAIRL, SH_NARROW, SH_WIDEN, SH_IDX, SH_IDXL };

/* X(enum, mnemonic, mnemonic of the Q = 1 ("2") form or NULL, shape) */
/* clang-format off */
#define SMISC_OPS(X)                                                                               \
    /* two-register miscellaneous */                                                               \
    X(REV64, "rev64", NULL, SH_SAME)  X(REV32, "rev32", NULL, SH_SAME)                            \
    X(REV16, "rev16", NULL, SH_SAME)                                                               \
    X(SADDLP, "saddlp", NULL, SH_PAIRL) X(UADDLP, "uaddlp", NULL, SH_PAIRL)                       \
    X(SADALP, "sadalp", NULL, SH_PAIRL) X(UADALP, "uadalp", NULL, SH_PAIRL)                       \
    X(SUQADD, "suqadd", NULL, SH_SAME) X(USQADD, "usqadd", NULL, SH_SAME)                         \
    X(CLS, "cls", NULL, SH_SAME) X(CLZ, "clz", NULL, SH_SAME) X(CNT, "cnt", NULL, SH_SAME)        \
    X(NOT, "mvn", NULL, SH_SAME) X(RBIT, "rbit", NULL, SH_SAME)                                    \
    X(SQABS, "sqabs", NULL, SH_SAME) X(SQNEG, "sqneg", NULL, SH_SAME)                             \
    X(CMGT0, "cmgt", NULL, SH_SAME) X(CMGE0, "cmge", NULL, SH_SAME)                               \
    X(CMEQ0, "cmeq", NULL, SH_SAME) X(CMLE0, "cmle", NULL, SH_SAME)                               \
    X(CMLT0, "cmlt", NULL, SH_SAME) X(ABS, "abs", NULL, SH_SAME) X(NEG, "neg", NULL, SH_SAME)     \
    X(XTN, "xtn", "xtn2", SH_NARROW) X(SQXTN, "sqxtn", "sqxtn2", SH_NARROW)                       \
    X(UQXTN, "uqxtn", "uqxtn2", SH_NARROW) X(SQXTUN, "sqxtun", "sqxtun2", SH_NARROW)              \
    X(SHLL, "shll", "shll2", SH_WIDEN)                                                              \
    X(FCVTN, "fcvtn", "fcvtn2", SH_NARROW) X(FCVTXN, "fcvtxn", "fcvtxn2", SH_NARROW)              \
    X(FCVTL, "fcvtl", "fcvtl2", SH_WIDEN)                                                          \
    X(FRINTN, "frintn", NULL, SH_SAME) X(FRINTM, "frintm", NULL, SH_SAME)                         \
    X(FRINTP, "frintp", NULL, SH_SAME) X(FRINTZ, "frintz", NULL, SH_SAME)                         \
    X(FRINTA, "frinta", NULL, SH_SAME) X(FRINTX, "frintx", NULL, SH_SAME)                         \
    X(FRINTI, "frinti", NULL, SH_SAME)                                                             \
    X(FCVTNS, "fcvtns", NULL, SH_SAME) X(FCVTMS, "fcvtms", NULL, SH_SAME)                         \
    X(FCVTAS, "fcvtas", NULL, SH_SAME) X(FCVTPS, "fcvtps", NULL, SH_SAME)                         \
    X(FCVTZS, "fcvtzs", NULL, SH_SAME)                                                             \
    X(FCVTNU, "fcvtnu", NULL, SH_SAME) X(FCVTMU, "fcvtmu", NULL, SH_SAME)                         \
    X(FCVTAU, "fcvtau", NULL, SH_SAME) X(FCVTPU, "fcvtpu", NULL, SH_SAME)                         \
    X(FCVTZU, "fcvtzu", NULL, SH_SAME)                                                             \
    X(SCVTF, "scvtf", NULL, SH_SAME) X(UCVTF, "ucvtf", NULL, SH_SAME)                             \
    X(FCMGT0, "fcmgt", NULL, SH_SAME) X(FCMGE0, "fcmge", NULL, SH_SAME)                           \
    X(FCMEQ0, "fcmeq", NULL, SH_SAME) X(FCMLE0, "fcmle", NULL, SH_SAME)                           \
    X(FCMLT0, "fcmlt", NULL, SH_SAME)                                                              \
    X(FABS, "fabs", NULL, SH_SAME) X(FNEG, "fneg", NULL, SH_SAME)                                 \
    X(FRECPE, "frecpe", NULL, SH_SAME) X(FRSQRTE, "frsqrte", NULL, SH_SAME)                       \
    X(FRECPX, "frecpx", NULL, SH_SAME) X(FSQRT, "fsqrt", NULL, SH_SAME)                           \
    X(URECPE, "urecpe", NULL, SH_SAME) X(URSQRTE, "ursqrte", NULL, SH_SAME)                       \
    /* shift by immediate */                                                                       \
    X(SSHR, "sshr", NULL, SH_SAME) X(USHR, "ushr", NULL, SH_SAME)                                 \
    X(SSRA, "ssra", NULL, SH_SAME) X(USRA, "usra", NULL, SH_SAME)                                 \
    X(SRSHR, "srshr", NULL, SH_SAME) X(URSHR, "urshr", NULL, SH_SAME)                             \
    X(SRSRA, "srsra", NULL, SH_SAME) X(URSRA, "ursra", NULL, SH_SAME)                             \
    X(SRI, "sri", NULL, SH_SAME) X(SHL, "shl", NULL, SH_SAME) X(SLI, "sli", NULL, SH_SAME)        \
    X(SQSHL, "sqshl", NULL, SH_SAME) X(UQSHL, "uqshl", NULL, SH_SAME)                             \
    X(SQSHLU, "sqshlu", NULL, SH_SAME)                                                             \
    X(SHRN, "shrn", "shrn2", SH_NARROW) X(RSHRN, "rshrn", "rshrn2", SH_NARROW)                    \
    X(SQSHRN, "sqshrn", "sqshrn2", SH_NARROW) X(UQSHRN, "uqshrn", "uqshrn2", SH_NARROW)           \
    X(SQRSHRN, "sqrshrn", "sqrshrn2", SH_NARROW) X(UQRSHRN, "uqrshrn", "uqrshrn2", SH_NARROW)     \
    X(SQSHRUN, "sqshrun", "sqshrun2", SH_NARROW) X(SQRSHRUN, "sqrshrun", "sqrshrun2", SH_NARROW)  \
    X(SSHLL, "sshll", "sshll2", SH_WIDEN) X(USHLL, "ushll", "ushll2", SH_WIDEN)                   \
    X(SCVTF_FIX, "scvtf", NULL, SH_SAME) X(UCVTF_FIX, "ucvtf", NULL, SH_SAME)                     \
    X(FCVTZS_FIX, "fcvtzs", NULL, SH_SAME) X(FCVTZU_FIX, "fcvtzu", NULL, SH_SAME)                 \
    /* vector x indexed element */                                                                 \
    X(MUL_EL, "mul", NULL, SH_IDX) X(MLA_EL, "mla", NULL, SH_IDX) X(MLS_EL, "mls", NULL, SH_IDX)  \
    X(SQDMULH_EL, "sqdmulh", NULL, SH_IDX) X(SQRDMULH_EL, "sqrdmulh", NULL, SH_IDX)               \
    X(FMLA_EL, "fmla", NULL, SH_IDX) X(FMLS_EL, "fmls", NULL, SH_IDX)                             \
    X(FMUL_EL, "fmul", NULL, SH_IDX) X(FMULX_EL, "fmulx", NULL, SH_IDX)                           \
    X(SMULL_EL, "smull", "smull2", SH_IDXL) X(UMULL_EL, "umull", "umull2", SH_IDXL)               \
    X(SMLAL_EL, "smlal", "smlal2", SH_IDXL) X(UMLAL_EL, "umlal", "umlal2", SH_IDXL)               \
    X(SMLSL_EL, "smlsl", "smlsl2", SH_IDXL) X(UMLSL_EL, "umlsl", "umlsl2", SH_IDXL)               \
    X(SQDMULL_EL, "sqdmull", "sqdmull2", SH_IDXL)                                                  \
    X(SQDMLAL_EL, "sqdmlal", "sqdmlal2", SH_IDXL) X(SQDMLSL_EL, "sqdmlsl", "sqdmlsl2", SH_IDXL)
/* clang-format on */

enum smisc_op {
    SM_NONE,
#define SMISC_ENUM(e, name, name2, shape) SM_##e,
    SMISC_OPS(SMISC_ENUM)
#undef SMISC_ENUM
        SM_COUNT
};

/* One word of these classes, decoded. */
struct smisc_word {
    enum smisc_op op;
    enum smisc_shape shape;
    uint8_t lg;     /* log2 of the narrower element size in bytes, 0-3 */
    bool scalar;    /* a scalar form */
    bool q;         /* vector: the 128-bit form, or the upper half ("2") */
    uint8_t rd, rn; /* V register numbers */
    uint8_t rm;     /* indexed forms: Vm */
    unsigned imm;   /* shift amount, fractional bits (fixed point), or element index */
};

/* Decode F, a word of one of the six families of these classes; false
 * when it is unallocated or of a feature a64sim does not advertise
 * (FEAT_FP16, FEAT_FRINTTS, BF16, RDM, dot product, FHM, FCMA, I8MM). */
bool smisc_decode(enum insn_family family, const struct insn_fields *f, struct smisc_word *w);

/* The preferred-disassembly mnemonic of a decoded word (Arm ARM C6.2:
 * MVN for NOT, SXTL/UXTL for SSHLL/USHLL #0, the "2" of the upper-half
 * forms). */
const char *smisc_mnemonic(const struct smisc_word *w);

#endif
