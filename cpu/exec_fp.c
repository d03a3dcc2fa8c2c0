/* Scalar floating-point data processing (Arm ARM C4.1, "Data processing --
 * scalar floating-point"): conversions to and from fixed point and
 * integers, FMOV between the register files, the 1-, 2- and 3-source
 * arithmetic, compares, conditional compare and select, FMOV (immediate).
 *
 * The model:
 * - ftype 00 is single, 01 double. ftype 11 (half) needs FEAT_FP16, which
 *   a64sim does not advertise, so every half-precision word is UNDEFINED
 *   except FCVT between H and S/D, which is base Armv8.0. ftype 10 is
 *   unallocated but for FMOV Xd, Vn.D[1] and FMOV Vd.D[1], Xn. FJCVTZS
 *   (FEAT_JSCVT), FRINT32/64 (FEAT_FRINTTS) and BFCVT (BF16) are
 *   UNDEFINED for the same reason.
 * - Every value is computed by cpu/softfloat.h with FPCR as it is now;
 *   the cumulative exception bits it returns are ORed into FPSR. The
 *   rounding of FCVT{N,P,M,Z,A}{S,U} and FRINT{N,P,M,Z,A} is fixed by the
 *   encoding and chosen at decode time; SCVTF, UCVTF, FCVT, FRINTX, FRINTI
 *   and the arithmetic round by FPCR.RMode when they run.
 * - FABS, FNEG, FMOV, FCSEL and the operand negations of FNMUL, FMSUB,
 *   FNMADD and FNMSUB are sign-bit operations (FPAbs, FPNeg): they apply
 *   to NaNs too and raise nothing.
 * - A scalar result zeroes the register above it (vreg_write_scalar);
 *   FMOV Vd.D[1], Xn writes bits 127:64 only.
 *
 * CONSTRAINED UNPREDICTABLE choice: FCMP and FCMPE #0.0 with a nonzero
 * Rm field (should be zero) execute as if it were zero, as qemu-aarch64
 * does.
 *
 * Each handler is specialised by operation and precision at decode time.
 * A softfloat call takes &c->fp, the PE's FPCR and FPSR, as its
 * environment: it ORs its exception flags straight into FPSR, and no
 * local's address escapes, so the handler still ends in a tail call to
 * the next instruction.
 */
#include "cpu/decode.h"
#include "cpu/simd.h"

#define X(r) (c->x[(r)])
#define S(r) ((uint64_t)c->v[(r)].s[0])
#define D(r) (c->v[(r)].d[0])
#define H(r) ((uint64_t)c->v[(r)].h[0])

#define SIGN_S (1ull << 31)
#define SIGN_D (1ull << 63)

/* ---- the softfloat calls ------------------------------------------------ */

/* FP data-processing (2 source). FNMUL is FPNeg(FPMul()): the sign of a
 * NaN result is flipped too. */
#define FP2_CALL(NAME, EXPR)                                                                       \
    static inline uint64_t call_##NAME(struct cpu *c, unsigned fsize, uint64_t a, uint64_t b)      \
    {                                                                                              \
        uint64_t r = EXPR;                                                                         \
        return r;                                                                                  \
    }
FP2_CALL(FMUL, fp_mul(&c->fp, fsize, a, b))
FP2_CALL(FDIV, fp_div(&c->fp, fsize, a, b))
FP2_CALL(FADD, fp_add(&c->fp, fsize, a, b))
FP2_CALL(FSUB, fp_sub(&c->fp, fsize, a, b))
FP2_CALL(FMAX, fp_max(&c->fp, fsize, a, b))
FP2_CALL(FMIN, fp_min(&c->fp, fsize, a, b))
FP2_CALL(FMAXNM, fp_maxnm(&c->fp, fsize, a, b))
FP2_CALL(FMINNM, fp_minnm(&c->fp, fsize, a, b))
FP2_CALL(FNMUL, fp_mul(&c->fp, fsize, a, b) ^ (1ull << (fsize - 1)))

static inline uint64_t call_sqrt(struct cpu *c, unsigned fsize, uint64_t a)
{
    uint64_t r = fp_sqrt(&c->fp, fsize, a);
    return r;
}

static inline uint64_t call_muladd(struct cpu *c, unsigned fsize, uint64_t addend, uint64_t op1,
                                   uint64_t op2)
{
    uint64_t r = fp_muladd(&c->fp, fsize, addend, op1, op2);
    return r;
}

/* FPCompare: NZCV in bits 3:0. */
static inline unsigned call_compare(struct cpu *c, unsigned fsize, uint64_t a, uint64_t b,
                                    bool signal_nans)
{
    unsigned r = fp_compare(&c->fp, fsize, a, b, signal_nans);
    return r;
}

/* FPRoundInt; R_FPCR selects FPCR.RMode over R. */
static inline uint64_t call_round_int(struct cpu *c, unsigned fsize, uint64_t a, enum fp_rounding r,
                                      bool r_fpcr, bool exact)
{
    uint64_t res = fp_round_int(&c->fp, fsize, a, r_fpcr ? fp_fpcr_rounding(c->fp.fpcr) : r, exact);
    return res;
}

/* FPConvert with FPCR.RMode. */
static inline uint64_t call_convert(struct cpu *c, unsigned from, unsigned to, uint64_t a)
{
    uint64_t r = fp_convert(&c->fp, from, to, a, fp_fpcr_rounding(c->fp.fpcr));
    return r;
}

/* FPToFixed: rounding R, FBITS fraction bits, an ISIZE-bit result. */
static inline uint64_t call_to_fixed(struct cpu *c, unsigned fsize, uint64_t a, unsigned fbits,
                                     bool is_unsigned, enum fp_rounding r, unsigned isize)
{
    uint64_t res = fp_to_fixed(&c->fp, fsize, a, fbits, is_unsigned, r, isize);
    return res;
}

/* FixedToFP with FPCR.RMode. */
static inline uint64_t call_from_fixed(struct cpu *c, unsigned fsize, uint64_t v, unsigned fbits,
                                       bool is_unsigned, unsigned isize)
{
    uint64_t r =
        fp_from_fixed(&c->fp, fsize, v, fbits, is_unsigned, isize, fp_fpcr_rounding(c->fp.fpcr));
    return r;
}

/* ---- FP data-processing (2 source): rd, rn, rm ------------------------- */

#define FP2_HANDLERS(NAME)                                                                         \
    static void exec_##NAME##_s(struct cpu *c, const struct insn *in)                              \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        uint64_t r = call_##NAME(c, 32, S(in->rn), S(in->rm));                                     \
        vreg_write_scalar(c, in->rd, r, 4);                                                        \
        insn_next(c, in);                                                                          \
    }                                                                                              \
    static void exec_##NAME##_d(struct cpu *c, const struct insn *in)                              \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        uint64_t r = call_##NAME(c, 64, D(in->rn), D(in->rm));                                     \
        vreg_write_scalar(c, in->rd, r, 8);                                                        \
        insn_next(c, in);                                                                          \
    }
FP2_HANDLERS(FMUL)
FP2_HANDLERS(FDIV)
FP2_HANDLERS(FADD)
FP2_HANDLERS(FSUB)
FP2_HANDLERS(FMAX)
FP2_HANDLERS(FMIN)
FP2_HANDLERS(FMAXNM)
FP2_HANDLERS(FMINNM)
FP2_HANDLERS(FNMUL)

/* ---- FP data-processing (3 source): rd, rn, rm, ra ---------------------- */

/* FPMulAdd(Va, Vn, Vm) after FPNeg of Va (NEG_A) and of Vn (NEG_N), as the
 * pseudocode negates them: before NaN processing. */
#define FP3_HANDLERS(NAME, NEG_A, NEG_N)                                                           \
    static void exec_##NAME##_s(struct cpu *c, const struct insn *in)                              \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        uint64_t a = S(in->ra) ^ ((NEG_A) ? SIGN_S : 0);                                           \
        uint64_t n = S(in->rn) ^ ((NEG_N) ? SIGN_S : 0);                                           \
        uint64_t r = call_muladd(c, 32, a, n, S(in->rm));                                          \
        vreg_write_scalar(c, in->rd, r, 4);                                                        \
        insn_next(c, in);                                                                          \
    }                                                                                              \
    static void exec_##NAME##_d(struct cpu *c, const struct insn *in)                              \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        uint64_t a = D(in->ra) ^ ((NEG_A) ? SIGN_D : 0);                                           \
        uint64_t n = D(in->rn) ^ ((NEG_N) ? SIGN_D : 0);                                           \
        uint64_t r = call_muladd(c, 64, a, n, D(in->rm));                                          \
        vreg_write_scalar(c, in->rd, r, 8);                                                        \
        insn_next(c, in);                                                                          \
    }
FP3_HANDLERS(FMADD, false, false)
FP3_HANDLERS(FMSUB, false, true)
FP3_HANDLERS(FNMADD, true, true)
FP3_HANDLERS(FNMSUB, true, false)

/* ---- FP data-processing (1 source) -------------------------------------- */

/* FMOV (register), FABS, FNEG: (Vn & imm2) ^ imm, with imm2 keeping the
 * precision's bits (and clearing the sign for FABS), imm flipping the sign
 * for FNEG. The value is zero above the precision, so it is written as a
 * 64-bit scalar, as in the other handlers of either precision below. */
static void exec_FMOV_FABS_FNEG(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    vreg_write_scalar(c, in->rd, (D(in->rn) & in->imm2) ^ (uint64_t)in->imm, 8);
    insn_next(c, in);
}

static void exec_FSQRT_s(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    vreg_write_scalar(c, in->rd, call_sqrt(c, 32, S(in->rn)), 4);
    insn_next(c, in);
}

static void exec_FSQRT_d(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    vreg_write_scalar(c, in->rd, call_sqrt(c, 64, D(in->rn)), 8);
    insn_next(c, in);
}

/* FCVT from precision FROM (its register view READ) to TO. */
#define FCVT_HANDLER(NAME, READ, FROM, TO)                                                         \
    static void exec_FCVT_##NAME(struct cpu *c, const struct insn *in)                             \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        vreg_write_scalar(c, in->rd, call_convert(c, FROM, TO, READ(in->rn)), (TO) / 8);           \
        insn_next(c, in);                                                                          \
    }
FCVT_HANDLER(h_s, H, 16, 32)
FCVT_HANDLER(h_d, H, 16, 64)
FCVT_HANDLER(s_h, S, 32, 16)
FCVT_HANDLER(s_d, S, 32, 64)
FCVT_HANDLER(d_h, D, 64, 16)
FCVT_HANDLER(d_s, D, 64, 32)

/* FRINTN/P/M/Z/A (op = the rounding), FRINTX (FPCR.RMode, inexact
 * signalled), FRINTI (FPCR.RMode). */
#define FRINT_HANDLERS(NAME, READ, FSIZE)                                                          \
    static void exec_FRINT_##NAME(struct cpu *c, const struct insn *in)                            \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        uint64_t r =                                                                               \
            call_round_int(c, FSIZE, READ(in->rn), (enum fp_rounding)in->op, false, false);        \
        vreg_write_scalar(c, in->rd, r, (FSIZE) / 8);                                              \
        insn_next(c, in);                                                                          \
    }                                                                                              \
    static void exec_FRINTX_##NAME(struct cpu *c, const struct insn *in)                           \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        uint64_t r = call_round_int(c, FSIZE, READ(in->rn), FPROUND_TIEEVEN, true, true);          \
        vreg_write_scalar(c, in->rd, r, (FSIZE) / 8);                                              \
        insn_next(c, in);                                                                          \
    }                                                                                              \
    static void exec_FRINTI_##NAME(struct cpu *c, const struct insn *in)                           \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        uint64_t r = call_round_int(c, FSIZE, READ(in->rn), FPROUND_TIEEVEN, true, false);         \
        vreg_write_scalar(c, in->rd, r, (FSIZE) / 8);                                              \
        insn_next(c, in);                                                                          \
    }
FRINT_HANDLERS(s, S, 32)
FRINT_HANDLERS(d, D, 64)

/* ---- compares: rn, rm; FCCMP: op = cond, flags = nzcv ------------------- */

#define FCMP_HANDLER(NAME, READ, FSIZE, SIGNAL, ZERO)                                              \
    static void exec_##NAME(struct cpu *c, const struct insn *in)                                  \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        unsigned nzcv = call_compare(c, FSIZE, READ(in->rn), (ZERO) ? 0 : READ(in->rm), SIGNAL);   \
        nzcv_set(c, nzcv << 28);                                                                   \
        insn_next(c, in);                                                                          \
    }
FCMP_HANDLER(FCMP_s, S, 32, false, false)
FCMP_HANDLER(FCMP_d, D, 64, false, false)
FCMP_HANDLER(FCMPE_s, S, 32, true, false)
FCMP_HANDLER(FCMPE_d, D, 64, true, false)
FCMP_HANDLER(FCMP_zero_s, S, 32, false, true)
FCMP_HANDLER(FCMP_zero_d, D, 64, false, true)
FCMP_HANDLER(FCMPE_zero_s, S, 32, true, true)
FCMP_HANDLER(FCMPE_zero_d, D, 64, true, true)

/* A false condition sets NZCV to the immediate and raises nothing. */
#define FCCMP_HANDLER(NAME, READ, FSIZE, SIGNAL)                                                   \
    static void exec_##NAME(struct cpu *c, const struct insn *in)                                  \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        unsigned nzcv = in->flags;                                                                 \
        if (cond_holds(c, in->op))                                                                 \
            nzcv = call_compare(c, FSIZE, READ(in->rn), READ(in->rm), SIGNAL);                     \
        nzcv_set(c, nzcv << 28);                                                                   \
        insn_next(c, in);                                                                          \
    }
FCCMP_HANDLER(FCCMP_s, S, 32, false)
FCCMP_HANDLER(FCCMP_d, D, 64, false)
FCCMP_HANDLER(FCCMPE_s, S, 32, true)
FCCMP_HANDLER(FCCMPE_d, D, 64, true)

/* FCSEL: op = cond; imm2 keeps the precision's bits. */
static void exec_FCSEL(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    unsigned r = cond_holds(c, in->op) ? in->rn : in->rm;
    vreg_write_scalar(c, in->rd, D(r) & in->imm2, 8);
    insn_next(c, in);
}

/* FMOV (scalar, immediate): imm2 = VFPExpandImm(imm8). */
static void exec_FMOV_imm(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    vreg_write_scalar(c, in->rd, in->imm2, 8);
    insn_next(c, in);
}

/* ---- conversions -------------------------------------------------------- */

/* FP to integer or fixed point (FCVT{N,P,M,Z,A}{S,U}, FCVTZ{S,U} fixed):
 * op = the rounding, imm = fbits; rd is a general register slot. */
#define TO_FIXED_HANDLER(NAME, READ, FSIZE, UNS, ISIZE)                                            \
    static void exec_##NAME(struct cpu *c, const struct insn *in)                                  \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        X(in->rd) = call_to_fixed(c, FSIZE, READ(in->rn), (unsigned)in->imm, UNS,                  \
                                  (enum fp_rounding)in->op, ISIZE);                                \
        insn_next(c, in);                                                                          \
    }
TO_FIXED_HANDLER(FCVTxS_s_w, S, 32, false, 32)
TO_FIXED_HANDLER(FCVTxS_s_x, S, 32, false, 64)
TO_FIXED_HANDLER(FCVTxS_d_w, D, 64, false, 32)
TO_FIXED_HANDLER(FCVTxS_d_x, D, 64, false, 64)
TO_FIXED_HANDLER(FCVTxU_s_w, S, 32, true, 32)
TO_FIXED_HANDLER(FCVTxU_s_x, S, 32, true, 64)
TO_FIXED_HANDLER(FCVTxU_d_w, D, 64, true, 32)
TO_FIXED_HANDLER(FCVTxU_d_x, D, 64, true, 64)

/* Integer or fixed point to FP (SCVTF, UCVTF): imm = fbits; rn is a
 * general register slot. */
#define FROM_FIXED_HANDLER(NAME, FSIZE, UNS, ISIZE)                                                \
    static void exec_##NAME(struct cpu *c, const struct insn *in)                                  \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        uint64_t r = call_from_fixed(c, FSIZE, X(in->rn), (unsigned)in->imm, UNS, ISIZE);          \
        vreg_write_scalar(c, in->rd, r, (FSIZE) / 8);                                              \
        insn_next(c, in);                                                                          \
    }
FROM_FIXED_HANDLER(SCVTF_w_s, 32, false, 32)
FROM_FIXED_HANDLER(SCVTF_x_s, 32, false, 64)
FROM_FIXED_HANDLER(SCVTF_w_d, 64, false, 32)
FROM_FIXED_HANDLER(SCVTF_x_d, 64, false, 64)
FROM_FIXED_HANDLER(UCVTF_w_s, 32, true, 32)
FROM_FIXED_HANDLER(UCVTF_x_s, 32, true, 64)
FROM_FIXED_HANDLER(UCVTF_w_d, 64, true, 32)
FROM_FIXED_HANDLER(UCVTF_x_d, 64, true, 64)

/* FMOV to a general register: op = the 64-bit half of Vn (1: V.D[1]),
 * imm2 = the bits kept (W: 31:0). */
static void exec_FMOV_to_gpr(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    X(in->rd) = c->v[in->rn].d[in->op] & in->imm2;
    insn_next(c, in);
}

/* FMOV Sd, Wn and FMOV Dd, Xn: imm2 = the bits kept. */
static void exec_FMOV_from_gpr(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    vreg_write_scalar(c, in->rd, X(in->rn) & in->imm2, 8);
    insn_next(c, in);
}

/* FMOV Vd.D[1], Xn: bits 63:0 of Vd are kept. */
static void exec_FMOV_to_top(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    c->v[in->rd].d[1] = X(in->rn);
    insn_next(c, in);
}

/* ---- decode ------------------------------------------------------------- */

/* ftype to the handler table's column: 0 single, 1 double, -1 for half
 * (FEAT_FP16, not advertised) and the unallocated 10. */
static int precision(uint32_t ftype)
{
    return ftype <= 1 ? (int)ftype : -1;
}

/* The mask of a precision's bits and its sign bit (p: 0 single, 1 double). */
static uint64_t value_mask(int p)
{
    return p ? ~0ull : 0xffffffffull;
}

static uint64_t sign_bit(int p)
{
    return p ? SIGN_D : SIGN_S;
}

static const insn_fn to_fixed_fns[2][2][2] = {
    /* [unsigned][double][64-bit integer] */
    {{exec_FCVTxS_s_w, exec_FCVTxS_s_x}, {exec_FCVTxS_d_w, exec_FCVTxS_d_x}},
    {{exec_FCVTxU_s_w, exec_FCVTxU_s_x}, {exec_FCVTxU_d_w, exec_FCVTxU_d_x}},
};

static const insn_fn from_fixed_fns[2][2][2] = {
    /* [unsigned][double][64-bit integer] */
    {{exec_SCVTF_w_s, exec_SCVTF_x_s}, {exec_SCVTF_w_d, exec_SCVTF_x_d}},
    {{exec_UCVTF_w_s, exec_UCVTF_x_s}, {exec_UCVTF_w_d, exec_UCVTF_x_d}},
};

static void to_fixed(struct insn *in, const struct insn_fields *f, int p, bool is_unsigned,
                     enum fp_rounding r, unsigned fbits)
{
    in->fn = to_fixed_fns[is_unsigned][p][f->sf];
    in->rd = reg_zr_dst(f->Rd);
    in->rn = (uint8_t)f->Rn;
    in->op = (uint8_t)r;
    in->imm = fbits;
}

static void from_fixed(struct insn *in, const struct insn_fields *f, int p, bool is_unsigned,
                       unsigned fbits)
{
    in->fn = from_fixed_fns[is_unsigned][p][f->sf];
    in->rd = (uint8_t)f->Rd;
    in->rn = reg_zr(f->Rn);
    in->imm = fbits;
}

/* Conversion between floating-point and fixed-point: rmode:opcode 00:01x
 * SCVTF/UCVTF, 11:00x FCVTZS/FCVTZU; fbits = 64 - scale, at most 32 for
 * a 32-bit integer. */
bool trans_FP_fixed_conv(struct insn *in, const struct insn_fields *f)
{
    int p = precision(f->ftype);
    if (f->S || p < 0 || (!f->sf && f->imm < 32))
        return false;
    unsigned fbits = 64 - f->imm;
    switch (f->rmode << 3 | f->opcode) {
    case 0x02: from_fixed(in, f, p, false, fbits); return true;
    case 0x03: from_fixed(in, f, p, true, fbits); return true;
    case 0x18: to_fixed(in, f, p, false, FPROUND_ZERO, fbits); return true;
    case 0x19: to_fixed(in, f, p, true, FPROUND_ZERO, fbits); return true;
    default: return false;
    }
}

/* FMOV (general): opcode 110 to a general register, 111 from one;
 * sf:ftype:rmode 0:00:00 (W, S), 1:01:00 (X, D), 1:10:01 (X, V.D[1]). */
static bool trans_FMOV_gpr(struct insn *in, const struct insn_fields *f)
{
    unsigned form = f->sf << 4 | f->ftype << 2 | f->rmode;
    if (form != 0x00 && form != 0x14 && form != 0x19)
        return false;
    bool to_gpr = f->opcode == 6;
    in->imm2 = form == 0x00 ? 0xffffffffull : ~0ull;
    if (to_gpr) {
        in->fn = exec_FMOV_to_gpr;
        in->rd = reg_zr_dst(f->Rd);
        in->rn = (uint8_t)f->Rn;
        in->op = form == 0x19;
    } else {
        in->fn = form == 0x19 ? exec_FMOV_to_top : exec_FMOV_from_gpr;
        in->rd = (uint8_t)f->Rd;
        in->rn = reg_zr(f->Rn);
    }
    return true;
}

/* Conversion between floating-point and integer: opcode 000/001
 * FCVT{N,P,M,Z}{S,U} by rmode, 010/011 SCVTF/UCVTF, 100/101 FCVTA{S,U}
 * (rmode 00), 11x FMOV. */
bool trans_FP_int_conv(struct insn *in, const struct insn_fields *f)
{
    if (f->S)
        return false;
    if (f->opcode >= 6)
        return trans_FMOV_gpr(in, f);
    int p = precision(f->ftype);
    if (p < 0)
        return false;
    switch (f->opcode) {
    case 0:
    case 1: to_fixed(in, f, p, f->opcode & 1, (enum fp_rounding)f->rmode, 0); return true;
    case 2:
    case 3:
        if (f->rmode != 0)
            return false;
        from_fixed(in, f, p, f->opcode & 1, 0);
        return true;
    default: /* 4, 5 */
        if (f->rmode != 0)
            return false;
        to_fixed(in, f, p, f->opcode & 1, FPROUND_TIEAWAY, 0);
        return true;
    }
}

/* FCVT: opc (opcode<1:0>) is the destination precision, ftype the
 * source; the half forms are base Armv8.0. */
static bool trans_FCVT(struct insn *in, const struct insn_fields *f)
{
    static const insn_fn fns[4][4] = {
        /* [ftype][opc]: 00 single, 01 double, 11 half */
        [0] = {[1] = exec_FCVT_s_d, [3] = exec_FCVT_s_h},
        [1] = {[0] = exec_FCVT_d_s, [3] = exec_FCVT_d_h},
        [3] = {[0] = exec_FCVT_h_s, [1] = exec_FCVT_h_d},
    };
    in->fn = fns[f->ftype][f->opcode & 3];
    return in->fn != NULL;
}

/* FP data-processing (1 source): opcode 0000xx FMOV, FABS, FNEG, FSQRT;
 * 0001xx FCVT (000110 is BFCVT: BF16, not advertised); 001xxx FRINTN, P,
 * M, Z, A, (unallocated), X, I; 0100xx FRINT32/64 (FEAT_FRINTTS, not
 * advertised). */
bool trans_FP_dp1(struct insn *in, const struct insn_fields *f)
{
    static const insn_fn frint_fns[3][2] = {
        {exec_FRINT_s, exec_FRINT_d},
        {exec_FRINTX_s, exec_FRINTX_d},
        {exec_FRINTI_s, exec_FRINTI_d},
    };
    in->rd = (uint8_t)f->Rd;
    in->rn = (uint8_t)f->Rn;
    if ((f->opcode & 0x3c) == 0x04)
        return trans_FCVT(in, f);
    int p = precision(f->ftype);
    if (p < 0)
        return false;
    switch (f->opcode) {
    case 0: /* FMOV */
    case 1: /* FABS */
    case 2: /* FNEG */
        in->fn = exec_FMOV_FABS_FNEG;
        in->imm2 = value_mask(p) & (f->opcode == 1 ? ~sign_bit(p) : ~0ull);
        in->imm = (int64_t)(f->opcode == 2 ? sign_bit(p) : 0);
        return true;
    case 3: in->fn = p ? exec_FSQRT_d : exec_FSQRT_s; return true;
    case 0x08: /* FRINTN */
    case 0x09: /* FRINTP */
    case 0x0a: /* FRINTM */
    case 0x0b: /* FRINTZ */
        in->fn = frint_fns[0][p];
        in->op = (uint8_t)(f->opcode & 3); /* the order of enum fp_rounding */
        return true;
    case 0x0c: /* FRINTA */
        in->fn = frint_fns[0][p];
        in->op = FPROUND_TIEAWAY;
        return true;
    case 0x0e: in->fn = frint_fns[1][p]; return true; /* FRINTX */
    case 0x0f: in->fn = frint_fns[2][p]; return true; /* FRINTI */
    default: return false;
    }
}

/* FP compare: op (bits 15:14) 00; opcode2 = E:zero:000. The #0.0 forms
 * have Rm = (0)(0)(0)(0)(0): a nonzero Rm is CONSTRAINED UNPREDICTABLE,
 * and a64sim takes the choice that executes as if it were zero (as
 * qemu-aarch64 does, and as Capstone decodes it). */
bool trans_FP_compare(struct insn *in, const struct insn_fields *f)
{
    static const insn_fn fns[2][2][2] = {
        /* [signal][zero][double] */
        {{exec_FCMP_s, exec_FCMP_d}, {exec_FCMP_zero_s, exec_FCMP_zero_d}},
        {{exec_FCMPE_s, exec_FCMPE_d}, {exec_FCMPE_zero_s, exec_FCMPE_zero_d}},
    };
    int p = precision(f->ftype);
    bool zero = bit(f->opcode, 3);
    if (p < 0 || f->op != 0 || (f->opcode & 7) != 0)
        return false;
    in->fn = fns[bit(f->opcode, 4)][zero][p];
    in->rn = (uint8_t)f->Rn;
    in->rm = (uint8_t)f->Rm;
    return true;
}

/* VFPExpandImm (Arm ARM shared pseudocode) for N = 32 (p = 0) or 64. */
static uint64_t vfp_expand_imm(uint32_t imm8, int p)
{
    unsigned n = p ? 64 : 32, e = p ? 11 : 8, fb = n - e - 1;
    uint64_t sign = (imm8 >> 7) & 1, b6 = (imm8 >> 6) & 1;
    /* exp = NOT(imm8<6>) : Replicate(imm8<6>, E-3) : imm8<5:4> */
    uint64_t exp =
        (b6 ^ 1) << (e - 1) | (b6 ? ((1ull << (e - 3)) - 1) << 2 : 0) | ((imm8 >> 4) & 3);
    uint64_t frac = (uint64_t)(imm8 & 15) << (fb - 4);
    return sign << (n - 1) | exp << fb | frac;
}

/* FP immediate: imm5 (bits 9:5) 00000. */
bool trans_FP_imm(struct insn *in, const struct insn_fields *f)
{
    int p = precision(f->ftype);
    if (p < 0 || f->opcode != 0)
        return false;
    in->fn = exec_FMOV_imm;
    in->rd = (uint8_t)f->Rd;
    in->imm2 = vfp_expand_imm(f->imm, p);
    return true;
}

bool trans_FP_ccmp(struct insn *in, const struct insn_fields *f)
{
    static const insn_fn fns[2][2] = {
        {exec_FCCMP_s, exec_FCCMP_d},
        {exec_FCCMPE_s, exec_FCCMPE_d},
    };
    int p = precision(f->ftype);
    if (p < 0)
        return false;
    in->fn = fns[f->op][p];
    in->rn = (uint8_t)f->Rn;
    in->rm = (uint8_t)f->Rm;
    in->op = (uint8_t)f->cond;
    in->flags = (uint8_t)f->nzcv;
    return true;
}

/* FP data-processing (2 source): opcode 0000-1000 FMUL, FDIV, FADD, FSUB,
 * FMAX, FMIN, FMAXNM, FMINNM, FNMUL; the rest is unallocated. */
bool trans_FP_dp2(struct insn *in, const struct insn_fields *f)
{
    static const insn_fn fns[9][2] = {
        {exec_FMUL_s, exec_FMUL_d},     {exec_FDIV_s, exec_FDIV_d},
        {exec_FADD_s, exec_FADD_d},     {exec_FSUB_s, exec_FSUB_d},
        {exec_FMAX_s, exec_FMAX_d},     {exec_FMIN_s, exec_FMIN_d},
        {exec_FMAXNM_s, exec_FMAXNM_d}, {exec_FMINNM_s, exec_FMINNM_d},
        {exec_FNMUL_s, exec_FNMUL_d},
    };
    int p = precision(f->ftype);
    if (p < 0 || f->opcode > 8)
        return false;
    in->fn = fns[f->opcode][p];
    in->rd = (uint8_t)f->Rd;
    in->rn = (uint8_t)f->Rn;
    in->rm = (uint8_t)f->Rm;
    return true;
}

bool trans_FP_csel(struct insn *in, const struct insn_fields *f)
{
    int p = precision(f->ftype);
    if (p < 0)
        return false;
    in->fn = exec_FCSEL;
    in->rd = (uint8_t)f->Rd;
    in->rn = (uint8_t)f->Rn;
    in->rm = (uint8_t)f->Rm;
    in->op = (uint8_t)f->cond;
    in->imm2 = value_mask(p);
    return true;
}

/* FP data-processing (3 source): o1:o0 00 FMADD, 01 FMSUB, 10 FNMADD,
 * 11 FNMSUB. */
bool trans_FP_dp3(struct insn *in, const struct insn_fields *f)
{
    static const insn_fn fns[4][2] = {
        {exec_FMADD_s, exec_FMADD_d},
        {exec_FMSUB_s, exec_FMSUB_d},
        {exec_FNMADD_s, exec_FNMADD_d},
        {exec_FNMSUB_s, exec_FNMSUB_d},
    };
    int p = precision(f->ftype);
    if (p < 0)
        return false;
    in->fn = fns[f->op << 1 | f->o0][p];
    in->rd = (uint8_t)f->Rd;
    in->rn = (uint8_t)f->Rn;
    in->rm = (uint8_t)f->Rm;
    in->ra = (uint8_t)f->Ra;
    return true;
}
