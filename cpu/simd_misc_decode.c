/* Which instruction a word of the two-register miscellaneous, shift by
 * immediate and indexed element classes is (cpu/simd_misc.h).
 *
 * Each class is a table of its allocated U:opcode rows as the Arm ARM
 * encoding index draws them (DDI 0487, C4.1.95), each with the values of
 * the size field (or, for shift by immediate, the element sizes immh
 * selects) it allows. What is not in a table is unallocated, or belongs to
 * a feature a64sim does not advertise and is UNDEFINED for that reason:
 * FRINT32Z/X and FRINT64Z/X (FEAT_FRINTTS), BFCVTN (FEAT_BF16), the
 * half-precision forms of the conversions and of FMLA/FMLS/FMUL/FMULX by
 * element (FEAT_FP16), SDOT/UDOT/USDOT/SUDOT (DotProd, I8MM), BFDOT and
 * BFMLAL (BF16), FMLAL/FMLSL (FHM), SQRDMLAH/SQRDMLSH (RDM) and FCMLA
 * (FCMA).
 *
 * One rule covers the 64-bit elements of every vector form: they exist
 * only with Q = 1 (size:Q = 110, immh:Q = 1xxx0 and sz:Q = 10 are
 * reserved), and every table row here with 64-bit elements is a
 * same-size operation.
 */
#include "cpu/simd_misc.h"

#include <stddef.h>

/* How a row's table index lg follows from the size field. */
enum lg_rule {
    LG_SIZE,    /* lg = size */
    LG_FP,      /* sz = size<0>: single (lg 2) or double (lg 3) */
    LG_FP_HALF, /* FCVTN, FCVTL, FCVTXN: the narrow format, half (1) or single (2) */
};

struct row {
    uint8_t u, opcode;
    uint8_t sizes; /* bit N set: size field value (or immh's element size) N allowed */
    enum smisc_op op;
    enum lg_rule lg;
};

#define ALL  0xf
#define BHS  0x7
#define B    0x1
#define BH   0x3
#define HS   0x6
#define D    0x8
#define SZ0X 0x3 /* size = 0x: the FP ops of the first group */
#define SZ1X 0xc /* size = 1x: the FP ops of the second group */

/* clang-format off */
static const struct row two_misc_vector[] = {
    {0, 0x00, BHS, SM_REV64, LG_SIZE},    {0, 0x01, B, SM_REV16, LG_SIZE},
    {0, 0x02, BHS, SM_SADDLP, LG_SIZE},   {0, 0x03, ALL, SM_SUQADD, LG_SIZE},
    {0, 0x04, BHS, SM_CLS, LG_SIZE},      {0, 0x05, B, SM_CNT, LG_SIZE},
    {0, 0x06, BHS, SM_SADALP, LG_SIZE},   {0, 0x07, ALL, SM_SQABS, LG_SIZE},
    {0, 0x08, ALL, SM_CMGT0, LG_SIZE},    {0, 0x09, ALL, SM_CMEQ0, LG_SIZE},
    {0, 0x0a, ALL, SM_CMLT0, LG_SIZE},    {0, 0x0b, ALL, SM_ABS, LG_SIZE},
    {0, 0x12, BHS, SM_XTN, LG_SIZE},      {0, 0x14, BHS, SM_SQXTN, LG_SIZE},
    {0, 0x16, SZ0X, SM_FCVTN, LG_FP_HALF}, {0, 0x17, SZ0X, SM_FCVTL, LG_FP_HALF},
    {0, 0x18, SZ0X, SM_FRINTN, LG_FP},    {0, 0x19, SZ0X, SM_FRINTM, LG_FP},
    {0, 0x1a, SZ0X, SM_FCVTNS, LG_FP},    {0, 0x1b, SZ0X, SM_FCVTMS, LG_FP},
    {0, 0x1c, SZ0X, SM_FCVTAS, LG_FP},    {0, 0x1d, SZ0X, SM_SCVTF, LG_FP},
    {0, 0x0c, SZ1X, SM_FCMGT0, LG_FP},    {0, 0x0d, SZ1X, SM_FCMEQ0, LG_FP},
    {0, 0x0e, SZ1X, SM_FCMLT0, LG_FP},    {0, 0x0f, SZ1X, SM_FABS, LG_FP},
    {0, 0x18, SZ1X, SM_FRINTP, LG_FP},    {0, 0x19, SZ1X, SM_FRINTZ, LG_FP},
    {0, 0x1a, SZ1X, SM_FCVTPS, LG_FP},    {0, 0x1b, SZ1X, SM_FCVTZS, LG_FP},
    {0, 0x1c, 0x4, SM_URECPE, LG_SIZE},   {0, 0x1d, SZ1X, SM_FRECPE, LG_FP},
    {1, 0x00, BH, SM_REV32, LG_SIZE},     {1, 0x02, BHS, SM_UADDLP, LG_SIZE},
    {1, 0x03, ALL, SM_USQADD, LG_SIZE},   {1, 0x04, BHS, SM_CLZ, LG_SIZE},
    {1, 0x05, 0x1, SM_NOT, LG_SIZE},      {1, 0x05, 0x2, SM_RBIT, LG_SIZE},
    {1, 0x06, BHS, SM_UADALP, LG_SIZE},   {1, 0x07, ALL, SM_SQNEG, LG_SIZE},
    {1, 0x08, ALL, SM_CMGE0, LG_SIZE},    {1, 0x09, ALL, SM_CMLE0, LG_SIZE},
    {1, 0x0b, ALL, SM_NEG, LG_SIZE},      {1, 0x12, BHS, SM_SQXTUN, LG_SIZE},
    {1, 0x13, BHS, SM_SHLL, LG_SIZE},     {1, 0x14, BHS, SM_UQXTN, LG_SIZE},
    {1, 0x16, 0x2, SM_FCVTXN, LG_FP_HALF},
    {1, 0x18, SZ0X, SM_FRINTA, LG_FP},    {1, 0x19, SZ0X, SM_FRINTX, LG_FP},
    {1, 0x1a, SZ0X, SM_FCVTNU, LG_FP},    {1, 0x1b, SZ0X, SM_FCVTMU, LG_FP},
    {1, 0x1c, SZ0X, SM_FCVTAU, LG_FP},    {1, 0x1d, SZ0X, SM_UCVTF, LG_FP},
    {1, 0x0c, SZ1X, SM_FCMGE0, LG_FP},    {1, 0x0d, SZ1X, SM_FCMLE0, LG_FP},
    {1, 0x0f, SZ1X, SM_FNEG, LG_FP},      {1, 0x19, SZ1X, SM_FRINTI, LG_FP},
    {1, 0x1a, SZ1X, SM_FCVTPU, LG_FP},    {1, 0x1b, SZ1X, SM_FCVTZU, LG_FP},
    {1, 0x1c, 0x4, SM_URSQRTE, LG_SIZE},  {1, 0x1d, SZ1X, SM_FRSQRTE, LG_FP},
    {1, 0x1f, SZ1X, SM_FSQRT, LG_FP},
};

static const struct row two_misc_scalar[] = {
    {0, 0x03, ALL, SM_SUQADD, LG_SIZE},   {0, 0x07, ALL, SM_SQABS, LG_SIZE},
    {0, 0x08, D, SM_CMGT0, LG_SIZE},      {0, 0x09, D, SM_CMEQ0, LG_SIZE},
    {0, 0x0a, D, SM_CMLT0, LG_SIZE},      {0, 0x0b, D, SM_ABS, LG_SIZE},
    {0, 0x14, BHS, SM_SQXTN, LG_SIZE},
    {0, 0x1a, SZ0X, SM_FCVTNS, LG_FP},    {0, 0x1b, SZ0X, SM_FCVTMS, LG_FP},
    {0, 0x1c, SZ0X, SM_FCVTAS, LG_FP},    {0, 0x1d, SZ0X, SM_SCVTF, LG_FP},
    {0, 0x0c, SZ1X, SM_FCMGT0, LG_FP},    {0, 0x0d, SZ1X, SM_FCMEQ0, LG_FP},
    {0, 0x0e, SZ1X, SM_FCMLT0, LG_FP},
    {0, 0x1a, SZ1X, SM_FCVTPS, LG_FP},    {0, 0x1b, SZ1X, SM_FCVTZS, LG_FP},
    {0, 0x1d, SZ1X, SM_FRECPE, LG_FP},    {0, 0x1f, SZ1X, SM_FRECPX, LG_FP},
    {1, 0x03, ALL, SM_USQADD, LG_SIZE},   {1, 0x07, ALL, SM_SQNEG, LG_SIZE},
    {1, 0x08, D, SM_CMGE0, LG_SIZE},      {1, 0x09, D, SM_CMLE0, LG_SIZE},
    {1, 0x0b, D, SM_NEG, LG_SIZE},
    {1, 0x12, BHS, SM_SQXTUN, LG_SIZE},   {1, 0x14, BHS, SM_UQXTN, LG_SIZE},
    {1, 0x16, 0x2, SM_FCVTXN, LG_FP_HALF},
    {1, 0x1a, SZ0X, SM_FCVTNU, LG_FP},    {1, 0x1b, SZ0X, SM_FCVTMU, LG_FP},
    {1, 0x1c, SZ0X, SM_FCVTAU, LG_FP},    {1, 0x1d, SZ0X, SM_UCVTF, LG_FP},
    {1, 0x0c, SZ1X, SM_FCMGE0, LG_FP},    {1, 0x0d, SZ1X, SM_FCMLE0, LG_FP},
    {1, 0x1a, SZ1X, SM_FCVTPU, LG_FP},    {1, 0x1b, SZ1X, SM_FCVTZU, LG_FP},
    {1, 0x1d, SZ1X, SM_FRSQRTE, LG_FP},
};

/* Shift by immediate: "sizes" are the element sizes immh selects (0001:
 * B, 001x: H, 01xx: S, 1xxx: D); the narrowing and lengthening forms name
 * the narrow element. The conversions with H elements are FEAT_FP16. */
#define FPSD 0xc
static const struct row shift_vector[] = {
    {0, 0x00, ALL, SM_SSHR, LG_SIZE},     {0, 0x02, ALL, SM_SSRA, LG_SIZE},
    {0, 0x04, ALL, SM_SRSHR, LG_SIZE},    {0, 0x06, ALL, SM_SRSRA, LG_SIZE},
    {0, 0x0a, ALL, SM_SHL, LG_SIZE},      {0, 0x0e, ALL, SM_SQSHL, LG_SIZE},
    {0, 0x10, BHS, SM_SHRN, LG_SIZE},     {0, 0x11, BHS, SM_RSHRN, LG_SIZE},
    {0, 0x12, BHS, SM_SQSHRN, LG_SIZE},   {0, 0x13, BHS, SM_SQRSHRN, LG_SIZE},
    {0, 0x14, BHS, SM_SSHLL, LG_SIZE},
    {0, 0x1c, FPSD, SM_SCVTF_FIX, LG_SIZE}, {0, 0x1f, FPSD, SM_FCVTZS_FIX, LG_SIZE},
    {1, 0x00, ALL, SM_USHR, LG_SIZE},     {1, 0x02, ALL, SM_USRA, LG_SIZE},
    {1, 0x04, ALL, SM_URSHR, LG_SIZE},    {1, 0x06, ALL, SM_URSRA, LG_SIZE},
    {1, 0x08, ALL, SM_SRI, LG_SIZE},      {1, 0x0a, ALL, SM_SLI, LG_SIZE},
    {1, 0x0c, ALL, SM_SQSHLU, LG_SIZE},   {1, 0x0e, ALL, SM_UQSHL, LG_SIZE},
    {1, 0x10, BHS, SM_SQSHRUN, LG_SIZE},  {1, 0x11, BHS, SM_SQRSHRUN, LG_SIZE},
    {1, 0x12, BHS, SM_UQSHRN, LG_SIZE},   {1, 0x13, BHS, SM_UQRSHRN, LG_SIZE},
    {1, 0x14, BHS, SM_USHLL, LG_SIZE},
    {1, 0x1c, FPSD, SM_UCVTF_FIX, LG_SIZE}, {1, 0x1f, FPSD, SM_FCVTZU_FIX, LG_SIZE},
};

static const struct row shift_scalar[] = {
    {0, 0x00, D, SM_SSHR, LG_SIZE},       {0, 0x02, D, SM_SSRA, LG_SIZE},
    {0, 0x04, D, SM_SRSHR, LG_SIZE},      {0, 0x06, D, SM_SRSRA, LG_SIZE},
    {0, 0x0a, D, SM_SHL, LG_SIZE},        {0, 0x0e, ALL, SM_SQSHL, LG_SIZE},
    {0, 0x12, BHS, SM_SQSHRN, LG_SIZE},   {0, 0x13, BHS, SM_SQRSHRN, LG_SIZE},
    {0, 0x1c, FPSD, SM_SCVTF_FIX, LG_SIZE}, {0, 0x1f, FPSD, SM_FCVTZS_FIX, LG_SIZE},
    {1, 0x00, D, SM_USHR, LG_SIZE},       {1, 0x02, D, SM_USRA, LG_SIZE},
    {1, 0x04, D, SM_URSHR, LG_SIZE},      {1, 0x06, D, SM_URSRA, LG_SIZE},
    {1, 0x08, D, SM_SRI, LG_SIZE},        {1, 0x0a, D, SM_SLI, LG_SIZE},
    {1, 0x0c, ALL, SM_SQSHLU, LG_SIZE},   {1, 0x0e, ALL, SM_UQSHL, LG_SIZE},
    {1, 0x10, BHS, SM_SQSHRUN, LG_SIZE},  {1, 0x11, BHS, SM_SQRSHRUN, LG_SIZE},
    {1, 0x12, BHS, SM_UQSHRN, LG_SIZE},   {1, 0x13, BHS, SM_UQRSHRN, LG_SIZE},
    {1, 0x1c, FPSD, SM_UCVTF_FIX, LG_SIZE}, {1, 0x1f, FPSD, SM_FCVTZU_FIX, LG_SIZE},
};

/* Indexed element: integer forms take H or S elements (size 01, 10), the
 * FP forms single or double (size 10, 11; size 00 is FEAT_FP16). */
static const struct row indexed_vector[] = {
    {0, 0x1, FPSD, SM_FMLA_EL, LG_SIZE},  {0, 0x2, HS, SM_SMLAL_EL, LG_SIZE},
    {0, 0x3, HS, SM_SQDMLAL_EL, LG_SIZE}, {0, 0x5, FPSD, SM_FMLS_EL, LG_SIZE},
    {0, 0x6, HS, SM_SMLSL_EL, LG_SIZE},   {0, 0x7, HS, SM_SQDMLSL_EL, LG_SIZE},
    {0, 0x8, HS, SM_MUL_EL, LG_SIZE},     {0, 0x9, FPSD, SM_FMUL_EL, LG_SIZE},
    {0, 0xa, HS, SM_SMULL_EL, LG_SIZE},   {0, 0xb, HS, SM_SQDMULL_EL, LG_SIZE},
    {0, 0xc, HS, SM_SQDMULH_EL, LG_SIZE}, {0, 0xd, HS, SM_SQRDMULH_EL, LG_SIZE},
    {1, 0x0, HS, SM_MLA_EL, LG_SIZE},     {1, 0x2, HS, SM_UMLAL_EL, LG_SIZE},
    {1, 0x4, HS, SM_MLS_EL, LG_SIZE},     {1, 0x6, HS, SM_UMLSL_EL, LG_SIZE},
    {1, 0x9, FPSD, SM_FMULX_EL, LG_SIZE}, {1, 0xa, HS, SM_UMULL_EL, LG_SIZE},
};

static const struct row indexed_scalar[] = {
    {0, 0x1, FPSD, SM_FMLA_EL, LG_SIZE},  {0, 0x3, HS, SM_SQDMLAL_EL, LG_SIZE},
    {0, 0x5, FPSD, SM_FMLS_EL, LG_SIZE},  {0, 0x7, HS, SM_SQDMLSL_EL, LG_SIZE},
    {0, 0x9, FPSD, SM_FMUL_EL, LG_SIZE},  {0, 0xb, HS, SM_SQDMULL_EL, LG_SIZE},
    {0, 0xc, HS, SM_SQDMULH_EL, LG_SIZE}, {0, 0xd, HS, SM_SQRDMULH_EL, LG_SIZE},
    {1, 0x9, FPSD, SM_FMULX_EL, LG_SIZE},
};
/* clang-format on */

static const enum smisc_shape shapes[SM_COUNT] = {
#define SMISC_SHAPE(e, name, name2, shape) [SM_##e] = shape,
    SMISC_OPS(SMISC_SHAPE)
#undef SMISC_SHAPE
};

static const char *const names[SM_COUNT][2] = {
#define SMISC_NAME(e, name, name2, shape) [SM_##e] = {name, name2},
    SMISC_OPS(SMISC_NAME)
#undef SMISC_NAME
};

#define FIND(table, u, opcode, size) find(table, sizeof(table) / sizeof(table[0]), u, opcode, size)

/* The row of U:opcode whose sizes allow SIZE, or NULL. */
static const struct row *find(const struct row *t, size_t n, unsigned u, unsigned opcode,
                              unsigned size)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].u == u && t[i].opcode == opcode && (t[i].sizes >> size & 1))
            return &t[i];
    return NULL;
}

static unsigned lg_of(const struct row *r, unsigned size)
{
    switch (r->lg) {
    case LG_FP: return 2 + (size & 1);
    case LG_FP_HALF: return 1 + (size & 1);
    default: return size;
    }
}

/* Fill W from row R (or fail on NULL) and the register fields. */
static bool accept(const struct row *r, unsigned size, const struct insn_fields *f, bool scalar,
                   struct smisc_word *w)
{
    if (!r)
        return false;
    *w = (struct smisc_word){.op = r->op,
                             .shape = shapes[r->op],
                             .lg = (uint8_t)lg_of(r, size),
                             .scalar = scalar,
                             .q = !scalar && f->Q,
                             .rd = (uint8_t)f->Rd,
                             .rn = (uint8_t)f->Rn,
                             .rm = (uint8_t)f->Rm};
    /* 64-bit elements fill a 128-bit vector only (size:Q = 110 etc.). */
    return scalar || w->lg != 3 || w->q;
}

static bool two_misc(const struct insn_fields *f, bool scalar, struct smisc_word *w)
{
    const struct row *r = scalar ? FIND(two_misc_scalar, f->U, f->opcode, f->size)
                                 : FIND(two_misc_vector, f->U, f->opcode, f->size);
    return accept(r, f->size, f, scalar, w);
}

/* Shift by immediate: the element size is the highest set bit of immh;
 * the amount is immh:immb - esize (left shifts) or 2 * esize - immh:immb
 * (right shifts, and the fractional bits of the conversions). */
static bool shift_imm(const struct insn_fields *f, bool scalar, struct smisc_word *w)
{
    if (f->immh == 0)
        return false; /* modified immediate, matched by its own row first */
    unsigned lg = 31 - (unsigned)__builtin_clz(f->immh);
    const struct row *r =
        scalar ? FIND(shift_scalar, f->U, f->opcode, lg) : FIND(shift_vector, f->U, f->opcode, lg);
    if (!accept(r, lg, f, scalar, w))
        return false;
    unsigned esize = 8u << lg, immhb = f->immh << 3 | f->imm;
    switch (w->op) {
    case SM_SHL:
    case SM_SLI:
    case SM_SQSHL:
    case SM_UQSHL:
    case SM_SQSHLU:
    case SM_SSHLL:
    case SM_USHLL: w->imm = immhb - esize; break;
    default: w->imm = 2 * esize - immhb; break;
    }
    return true;
}

/* Indexed element: the index is H:L:M for H elements (Vm is then one of
 * V0-V15), H:L for S, H for D (L = 1 is unallocated). In the pattern, m is
 * M:Rm and i is H. */
static bool indexed(const struct insn_fields *f, bool scalar, struct smisc_word *w)
{
    const struct row *r = scalar ? FIND(indexed_scalar, f->U, f->opcode, f->size)
                                 : FIND(indexed_vector, f->U, f->opcode, f->size);
    if (!accept(r, f->size, f, scalar, w))
        return false;
    switch (w->lg) {
    case 1:
        w->imm = f->imm << 2 | f->L << 1 | f->Rm >> 4;
        w->rm = (uint8_t)(f->Rm & 15);
        return true;
    case 2: w->imm = f->imm << 1 | f->L; return true;
    default: w->imm = f->imm; return !f->L;
    }
}

bool smisc_decode(enum insn_family family, const struct insn_fields *f, struct smisc_word *w)
{
    switch (family) {
    case FAM_SIMD_TWO_MISC: return two_misc(f, false, w);
    case FAM_SIMD_SCALAR_TWO_MISC: return two_misc(f, true, w);
    case FAM_SIMD_SHIFT_IMM: return shift_imm(f, false, w);
    case FAM_SIMD_SCALAR_SHIFT_IMM: return shift_imm(f, true, w);
    case FAM_SIMD_INDEXED: return indexed(f, false, w);
    case FAM_SIMD_SCALAR_INDEXED: return indexed(f, true, w);
    default: return false;
    }
}

const char *smisc_mnemonic(const struct smisc_word *w)
{
    /* SSHLL, USHLL: SXTL, UXTL when the shift is 0 (immb = 000 and one
     * bit of immh set), the preferred disassembly. */
    if (w->imm == 0 && (w->op == SM_SSHLL || w->op == SM_USHLL)) {
        static const char *const xtl[2][2] = {{"sxtl", "sxtl2"}, {"uxtl", "uxtl2"}};
        return xtl[w->op == SM_USHLL][w->q];
    }
    if (w->q && names[w->op][1])
        return names[w->op][1];
    return names[w->op][0];
}
