/* Data processing, immediate and register (Arm ARM C4.1.86 - C4.1.95 in
 * the encoding index). One trans_ function per family; handlers are split
 * by operand width where that keeps the hot ones branch-free. */
#include "cpu/decode.h"

#define X(r) (c->x[(r)])

static inline uint64_t trunc32(uint64_t v)
{
    return (uint32_t)v;
}

static inline uint64_t width_mask(bool sf)
{
    return sf ? ~0ull : 0xffffffffull;
}

/* AddWithCarry (Arm ARM shared pseudocode), setting C's flags when
 * flags_of != NULL. */
static inline uint64_t add_with_carry(bool sf, uint64_t a, uint64_t b, unsigned carry,
                                      struct cpu *flags_of)
{
    if (sf) {
        uint64_t r = a + b + carry;
        if (flags_of) {
            flags_of->nf = flags_of->zf = r;
            flags_of->cf = r < a || (carry && r == a);
            flags_of->vf = (a ^ r) & (b ^ r);
        }
        return r;
    }
    uint64_t wide = (uint64_t)(uint32_t)a + (uint32_t)b + carry;
    uint32_t r = (uint32_t)wide;
    if (flags_of) {
        flags_of->nf = (uint64_t)(int64_t)(int32_t)r;
        flags_of->zf = r;
        flags_of->cf = wide >> 32;
        flags_of->vf = (uint64_t)(int64_t)(int32_t)(((uint32_t)a ^ r) & ((uint32_t)b ^ r));
    }
    return r;
}

enum shift_type { SHIFT_LSL, SHIFT_LSR, SHIFT_ASR, SHIFT_ROR };

static inline uint64_t shift_reg(bool sf, uint64_t v, unsigned type, unsigned amount)
{
    if (sf) {
        switch (type) {
        case SHIFT_LSL: return v << amount;
        case SHIFT_LSR: return v >> amount;
        case SHIFT_ASR: return (uint64_t)((int64_t)v >> amount);
        default: return amount ? (v >> amount) | (v << (64 - amount)) : v;
        }
    }
    uint32_t w = (uint32_t)v;
    switch (type) {
    case SHIFT_LSL: return (uint32_t)(w << amount);
    case SHIFT_LSR: return w >> amount;
    case SHIFT_ASR: return (uint32_t)((int32_t)w >> amount);
    default: return amount ? (uint32_t)((w >> amount) | (w << (32 - amount))) : w;
    }
}

/* ---- ADR, ADRP ---- */

static void exec_ADR(struct cpu *c, const struct insn *in)
{
    X(in->rd) = c->pc + (uint64_t)in->imm;
    insn_next(c, in);
}

static void exec_ADRP(struct cpu *c, const struct insn *in)
{
    X(in->rd) = (c->pc & ~0xfffull) + (uint64_t)in->imm;
    insn_next(c, in);
}

bool trans_ADR(struct insn *in, const struct insn_fields *f)
{
    /* imm = SignExtend(immhi:immlo); ADRP's is in pages. */
    int64_t imm =
        field_sext(f->immhi << f->width.immlo | f->immlo, f->width.immhi + f->width.immlo);
    in->rd = reg_zr_dst(f->Rd);
    in->imm = f->op ? imm * 4096 : imm;
    in->fn = f->op ? exec_ADRP : exec_ADR;
    return true;
}

/* ---- ADD/SUB (immediate) ---- */

static void exec_ADD_imm64(struct cpu *c, const struct insn *in)
{
    X(in->rd) = X(in->rn) + (uint64_t)in->imm;
    insn_next(c, in);
}
static void exec_ADD_imm32(struct cpu *c, const struct insn *in)
{
    X(in->rd) = trunc32(X(in->rn) + (uint64_t)in->imm);
    insn_next(c, in);
}
static void exec_SUB_imm64(struct cpu *c, const struct insn *in)
{
    X(in->rd) = X(in->rn) - (uint64_t)in->imm;
    insn_next(c, in);
}
static void exec_SUB_imm32(struct cpu *c, const struct insn *in)
{
    X(in->rd) = trunc32(X(in->rn) - (uint64_t)in->imm);
    insn_next(c, in);
}
static void exec_ADDS_imm64(struct cpu *c, const struct insn *in)
{
    uint64_t a = X(in->rn), b = (uint64_t)in->imm, r = a + b;
    flags_add64(c, a, b, r);
    X(in->rd) = r;
    insn_next(c, in);
}
static void exec_SUBS_imm64(struct cpu *c, const struct insn *in)
{
    uint64_t a = X(in->rn), b = (uint64_t)in->imm, r = a - b;
    flags_sub64(c, a, b, r);
    X(in->rd) = r;
    insn_next(c, in);
}
static void exec_ADDS_imm32(struct cpu *c, const struct insn *in)
{
    uint32_t a = (uint32_t)X(in->rn), b = (uint32_t)in->imm, r = a + b;
    flags_add32(c, a, b, r);
    X(in->rd) = r;
    insn_next(c, in);
}
static void exec_SUBS_imm32(struct cpu *c, const struct insn *in)
{
    uint32_t a = (uint32_t)X(in->rn), b = (uint32_t)in->imm, r = a - b;
    flags_sub32(c, a, b, r);
    X(in->rd) = r;
    insn_next(c, in);
}

bool trans_ADD_SUB_imm(struct insn *in, const struct insn_fields *f)
{
    bool sf = f->sf, sub = f->op, setflags = f->S;
    in->sf = sf;
    in->imm = (int64_t)f->imm << (f->sh ? 12 : 0);
    in->rn = reg_sp(f->Rn);
    in->rd = setflags ? reg_zr_dst(f->Rd) : reg_sp(f->Rd);
    if (setflags)
        in->fn = sub ? (sf ? exec_SUBS_imm64 : exec_SUBS_imm32)
                     : (sf ? exec_ADDS_imm64 : exec_ADDS_imm32);
    else if (sub)
        in->fn = sf ? exec_SUB_imm64 : exec_SUB_imm32;
    else
        in->fn = sf ? exec_ADD_imm64 : exec_ADD_imm32;
    return true;
}

/* ---- logical (immediate) ---- */

enum logic_op { LOGIC_AND, LOGIC_ORR, LOGIC_EOR, LOGIC_ANDS };

/* One handler per operation and width, so that both fold away. */
#define LOGIC_IMM(NAME, OP, SF, SETS_FLAGS)                                                        \
    static void exec_##NAME(struct cpu *c, const struct insn *in)                                  \
    {                                                                                              \
        uint64_t r = (X(in->rn) OP(uint64_t) in->imm) & width_mask(SF);                            \
        if (SETS_FLAGS)                                                                            \
            flags_logic(c, SF, r);                                                                 \
        X(in->rd) = r;                                                                             \
        insn_next(c, in);                                                                          \
    }
LOGIC_IMM(AND_imm32, &, false, false)
LOGIC_IMM(AND_imm64, &, true, false)
LOGIC_IMM(ORR_imm32, |, false, false)
LOGIC_IMM(ORR_imm64, |, true, false)
LOGIC_IMM(EOR_imm32, ^, false, false)
LOGIC_IMM(EOR_imm64, ^, true, false)
LOGIC_IMM(ANDS_imm32, &, false, true)
LOGIC_IMM(ANDS_imm64, &, true, true)

/* Indexed by enum logic_op, then sf. */
static const insn_fn logic_imm[4][2] = {
    {exec_AND_imm32, exec_AND_imm64},
    {exec_ORR_imm32, exec_ORR_imm64},
    {exec_EOR_imm32, exec_EOR_imm64},
    {exec_ANDS_imm32, exec_ANDS_imm64},
};

bool trans_LOGIC_imm(struct insn *in, const struct insn_fields *f)
{
    bool sf = f->sf;
    uint64_t wmask, tmask;
    if (!sf && f->N)
        return false;
    if (!decode_bit_masks(f->N, f->imms, f->immr, true, sf ? 64 : 32, &wmask, &tmask))
        return false;
    in->sf = sf;
    in->op = (uint8_t)f->opc;
    in->imm = (int64_t)wmask;
    in->rn = reg_zr(f->Rn);
    in->rd = in->op == LOGIC_ANDS ? reg_zr_dst(f->Rd) : reg_sp(f->Rd);
    in->fn = logic_imm[in->op][sf];
    return true;
}

/* ---- move wide ---- */

static void exec_MOVN(struct cpu *c, const struct insn *in)
{
    X(in->rd) = ~(uint64_t)in->imm & width_mask(in->sf);
    insn_next(c, in);
}
static void exec_MOVZ(struct cpu *c, const struct insn *in)
{
    X(in->rd) = (uint64_t)in->imm;
    insn_next(c, in);
}
static void exec_MOVK(struct cpu *c, const struct insn *in)
{
    X(in->rd) = ((X(in->rd) & ~in->imm2) | (uint64_t)in->imm) & width_mask(in->sf);
    insn_next(c, in);
}

bool trans_MOVE_wide(struct insn *in, const struct insn_fields *f)
{
    bool sf = f->sf;
    unsigned opc = f->opc, hw = f->hw;
    if (opc == 1 || (!sf && hw >= 2))
        return false;
    unsigned shift = hw * 16;
    in->sf = sf;
    in->imm = (int64_t)((uint64_t)f->imm << shift);
    in->imm2 = 0xffffull << shift;
    in->rd = reg_zr_dst(f->Rd);
    in->fn = opc == 0 ? exec_MOVN : opc == 2 ? exec_MOVZ : exec_MOVK;
    return true;
}

/* ---- bitfield: SBFM, BFM, UBFM (and the LSL, LSR, ASR, SXTx, UXTx, BFI, ... aliases) ---- */

static inline uint64_t ror_width(bool sf, uint64_t v, unsigned r)
{
    return shift_reg(sf, v, SHIFT_ROR, r);
}

/* imm = wmask, imm2 = tmask, size = R, flags = S. */
static void exec_SBFM(struct cpu *c, const struct insn *in)
{
    uint64_t src = X(in->rn);
    uint64_t bot = ror_width(in->sf, src, in->size) & (uint64_t)in->imm;
    uint64_t top = ((src >> in->flags) & 1) ? width_mask(in->sf) : 0;
    X(in->rd) = (top & ~in->imm2) | (bot & in->imm2);
    insn_next(c, in);
}
static void exec_BFM(struct cpu *c, const struct insn *in)
{
    uint64_t dst = X(in->rd);
    uint64_t bot =
        (dst & ~(uint64_t)in->imm) | (ror_width(in->sf, X(in->rn), in->size) & (uint64_t)in->imm);
    X(in->rd) = ((dst & ~in->imm2) | (bot & in->imm2)) & width_mask(in->sf);
    insn_next(c, in);
}
static void exec_UBFM(struct cpu *c, const struct insn *in)
{
    X(in->rd) = ror_width(in->sf, X(in->rn), in->size) & (uint64_t)in->imm & in->imm2;
    insn_next(c, in);
}

bool trans_BITFIELD(struct insn *in, const struct insn_fields *f)
{
    bool sf = f->sf;
    unsigned opc = f->opc, immr = f->immr, imms = f->imms;
    uint64_t wmask, tmask;
    if (opc == 3 || sf != f->N)
        return false;
    if (!sf && ((immr | imms) & 0x20))
        return false;
    if (!decode_bit_masks(f->N, imms, immr, false, sf ? 64 : 32, &wmask, &tmask))
        return false;
    in->sf = sf;
    in->imm = (int64_t)wmask;
    in->imm2 = tmask;
    in->size = (uint8_t)immr;
    in->flags = (uint8_t)imms;
    in->rn = reg_zr(f->Rn);
    in->rd = reg_zr_dst(f->Rd);
    in->fn = opc == 0 ? exec_SBFM : opc == 1 ? exec_BFM : exec_UBFM;
    return true;
}

/* ---- EXTR (and ROR immediate) ---- */

static void exec_EXTR(struct cpu *c, const struct insn *in)
{
    unsigned lsb = (unsigned)in->imm;
    uint64_t hi = X(in->rn), lo = X(in->rm);
    if (in->sf) {
        X(in->rd) = lsb ? (lo >> lsb) | (hi << (64 - lsb)) : lo;
    } else {
        uint32_t h = (uint32_t)hi, l = (uint32_t)lo;
        X(in->rd) = lsb ? (uint32_t)((l >> lsb) | (h << (32 - lsb))) : l;
    }
    insn_next(c, in);
}

bool trans_EXTR(struct insn *in, const struct insn_fields *f)
{
    bool sf = f->sf;
    if (sf != f->N || (!sf && f->imms >= 32))
        return false;
    in->sf = sf;
    in->imm = f->imms;
    in->rm = reg_zr(f->Rm);
    in->rn = reg_zr(f->Rn);
    in->rd = reg_zr_dst(f->Rd);
    in->fn = exec_EXTR;
    return true;
}

/* ---- logical (shifted register) ---- */

/* One handler per operation, shift type and width, so that all three
 * fold away. imm = shift amount, imm2 = all ones when operand 2 is
 * inverted (BIC, ORN, EON, BICS), else 0. */
#define LOGIC_SHIFTED(OPNAME, OP, SETS_FLAGS, TYPE, SF)                                            \
    static void exec_##OPNAME##_##TYPE##_##SF(struct cpu *c, const struct insn *in)                \
    {                                                                                              \
        uint64_t op2 = shift_reg(SF, X(in->rm), TYPE, (unsigned)in->imm) ^ in->imm2;               \
        uint64_t r = (X(in->rn) OP op2) & width_mask(SF);                                          \
        if (SETS_FLAGS)                                                                            \
            flags_logic(c, SF, r);                                                                 \
        X(in->rd) = r;                                                                             \
        insn_next(c, in);                                                                          \
    }
#define LOGIC_SHIFTED_ALL(OPNAME, OP, SETS_FLAGS)                                                  \
    LOGIC_SHIFTED(OPNAME, OP, SETS_FLAGS, SHIFT_LSL, 0)                                            \
    LOGIC_SHIFTED(OPNAME, OP, SETS_FLAGS, SHIFT_LSL, 1)                                            \
    LOGIC_SHIFTED(OPNAME, OP, SETS_FLAGS, SHIFT_LSR, 0)                                            \
    LOGIC_SHIFTED(OPNAME, OP, SETS_FLAGS, SHIFT_LSR, 1)                                            \
    LOGIC_SHIFTED(OPNAME, OP, SETS_FLAGS, SHIFT_ASR, 0)                                            \
    LOGIC_SHIFTED(OPNAME, OP, SETS_FLAGS, SHIFT_ASR, 1)                                            \
    LOGIC_SHIFTED(OPNAME, OP, SETS_FLAGS, SHIFT_ROR, 0)                                            \
    LOGIC_SHIFTED(OPNAME, OP, SETS_FLAGS, SHIFT_ROR, 1)
LOGIC_SHIFTED_ALL(AND, &, false)
LOGIC_SHIFTED_ALL(ORR, |, false)
LOGIC_SHIFTED_ALL(EOR, ^, false)
LOGIC_SHIFTED_ALL(ANDS, &, true)

#define LOGIC_SHIFTED_ROW(OPNAME)                                                                  \
    {                                                                                              \
        {exec_##OPNAME##_SHIFT_LSL_0, exec_##OPNAME##_SHIFT_LSL_1},                                \
            {exec_##OPNAME##_SHIFT_LSR_0, exec_##OPNAME##_SHIFT_LSR_1},                            \
            {exec_##OPNAME##_SHIFT_ASR_0, exec_##OPNAME##_SHIFT_ASR_1},                            \
            {exec_##OPNAME##_SHIFT_ROR_0, exec_##OPNAME##_SHIFT_ROR_1},                            \
    }
/* Indexed by enum logic_op, enum shift_type, sf. */
static const insn_fn logic_shifted[4][4][2] = {
    LOGIC_SHIFTED_ROW(AND),
    LOGIC_SHIFTED_ROW(ORR),
    LOGIC_SHIFTED_ROW(EOR),
    LOGIC_SHIFTED_ROW(ANDS),
};

/* MOV Xd, Xm (ORR Xd, XZR, Xm): the most common register move. */
static void exec_MOV_reg64(struct cpu *c, const struct insn *in)
{
    X(in->rd) = X(in->rm);
    insn_next(c, in);
}
static void exec_MOV_reg32(struct cpu *c, const struct insn *in)
{
    X(in->rd) = trunc32(X(in->rm));
    insn_next(c, in);
}

bool trans_LOGIC_shifted(struct insn *in, const struct insn_fields *f)
{
    bool sf = f->sf;
    unsigned amount = f->imm;
    if (!sf && amount >= 32)
        return false;
    in->sf = sf;
    in->op = (uint8_t)f->opc;
    in->size = (uint8_t)f->shift;
    in->flags = (uint8_t)f->N;
    in->imm = amount;
    in->imm2 = in->flags ? ~0ull : 0;
    in->rm = reg_zr(f->Rm);
    in->rn = reg_zr(f->Rn);
    in->rd = reg_zr_dst(f->Rd);
    in->fn = logic_shifted[in->op][in->size][sf];
    if (in->op == LOGIC_ORR && !in->flags && amount == 0 && in->rn == REG_ZR)
        in->fn = sf ? exec_MOV_reg64 : exec_MOV_reg32;
    return true;
}

/* ---- ADD/SUB (shifted register) ---- */

/* op = 1 for subtract, flags = 1 to set flags, size = shift type, imm = amount. */
static void exec_ADD_SUB_shifted(struct cpu *c, const struct insn *in)
{
    uint64_t op2 = shift_reg(in->sf, X(in->rm), in->size, (unsigned)in->imm);
    uint64_t r = in->op ? add_with_carry(in->sf, X(in->rn), ~op2, 1, in->flags ? c : NULL)
                        : add_with_carry(in->sf, X(in->rn), op2, 0, in->flags ? c : NULL);
    X(in->rd) = r;
    insn_next(c, in);
}

/* The common cases, one handler each: no shift or LSL, by width, with
 * and without flags. imm = LSL amount. */
static void exec_ADD_lsl64(struct cpu *c, const struct insn *in)
{
    X(in->rd) = X(in->rn) + (X(in->rm) << in->imm);
    insn_next(c, in);
}
static void exec_SUB_lsl64(struct cpu *c, const struct insn *in)
{
    X(in->rd) = X(in->rn) - (X(in->rm) << in->imm);
    insn_next(c, in);
}
static void exec_ADD_lsl32(struct cpu *c, const struct insn *in)
{
    X(in->rd) = (uint32_t)(X(in->rn) + (X(in->rm) << in->imm));
    insn_next(c, in);
}
static void exec_SUB_lsl32(struct cpu *c, const struct insn *in)
{
    X(in->rd) = (uint32_t)(X(in->rn) - (X(in->rm) << in->imm));
    insn_next(c, in);
}
static void exec_ADDS_lsl64(struct cpu *c, const struct insn *in)
{
    uint64_t a = X(in->rn), b = X(in->rm) << in->imm, r = a + b;
    flags_add64(c, a, b, r);
    X(in->rd) = r;
    insn_next(c, in);
}
static void exec_SUBS_lsl64(struct cpu *c, const struct insn *in)
{
    uint64_t a = X(in->rn), b = X(in->rm) << in->imm, r = a - b;
    flags_sub64(c, a, b, r);
    X(in->rd) = r;
    insn_next(c, in);
}
static void exec_ADDS_lsl32(struct cpu *c, const struct insn *in)
{
    uint32_t a = (uint32_t)X(in->rn), b = (uint32_t)(X(in->rm) << in->imm), r = a + b;
    flags_add32(c, a, b, r);
    X(in->rd) = r;
    insn_next(c, in);
}
static void exec_SUBS_lsl32(struct cpu *c, const struct insn *in)
{
    uint32_t a = (uint32_t)X(in->rn), b = (uint32_t)(X(in->rm) << in->imm), r = a - b;
    flags_sub32(c, a, b, r);
    X(in->rd) = r;
    insn_next(c, in);
}

/* [sub][setflags][sf] */
static const insn_fn addsub_lsl[2][2][2] = {
    {{exec_ADD_lsl32, exec_ADD_lsl64}, {exec_ADDS_lsl32, exec_ADDS_lsl64}},
    {{exec_SUB_lsl32, exec_SUB_lsl64}, {exec_SUBS_lsl32, exec_SUBS_lsl64}},
};

bool trans_ADD_SUB_shifted(struct insn *in, const struct insn_fields *f)
{
    bool sf = f->sf;
    unsigned type = f->shift, amount = f->imm;
    if (type == SHIFT_ROR || (!sf && amount >= 32))
        return false;
    in->sf = sf;
    in->op = (uint8_t)f->op;
    in->flags = (uint8_t)f->S;
    in->size = (uint8_t)type;
    in->imm = amount;
    in->rm = reg_zr(f->Rm);
    in->rn = reg_zr(f->Rn);
    in->rd = reg_zr_dst(f->Rd);
    in->fn = type == SHIFT_LSL ? addsub_lsl[in->op][in->flags][sf] : exec_ADD_SUB_shifted;
    return true;
}

/* ---- ADD/SUB (extended register) ---- */

/* ExtendReg: option selects UXTB/UXTH/UXTW/UXTX/SXTB/SXTH/SXTW/SXTX. */
static inline uint64_t extend_reg(uint64_t v, unsigned option, unsigned shift)
{
    switch (option) {
    case 0: v = (uint8_t)v; break;
    case 1: v = (uint16_t)v; break;
    case 2: v = (uint32_t)v; break;
    case 4: v = (uint64_t)(int64_t)(int8_t)v; break;
    case 5: v = (uint64_t)(int64_t)(int16_t)v; break;
    case 6: v = (uint64_t)(int64_t)(int32_t)v; break;
    default: break;
    }
    return v << shift;
}

/* size = option, imm = shift (0-4). */
static void exec_ADD_SUB_extended(struct cpu *c, const struct insn *in)
{
    uint64_t op2 = extend_reg(X(in->rm), in->size, (unsigned)in->imm);
    struct cpu *flags = in->flags ? c : NULL;
    X(in->rd) = in->op ? add_with_carry(in->sf, X(in->rn), ~op2, 1, flags)
                       : add_with_carry(in->sf, X(in->rn), op2, 0, flags);
    insn_next(c, in);
}

bool trans_ADD_SUB_extended(struct insn *in, const struct insn_fields *f)
{
    unsigned shift = f->imm;
    if (shift > 4)
        return false;
    in->sf = (uint8_t)f->sf;
    in->op = (uint8_t)f->op;
    in->flags = (uint8_t)f->S;
    in->size = (uint8_t)f->option;
    in->imm = shift;
    in->rm = reg_zr(f->Rm);
    in->rn = reg_sp(f->Rn);
    in->rd = in->flags ? reg_zr_dst(f->Rd) : reg_sp(f->Rd);
    in->fn = exec_ADD_SUB_extended;
    return true;
}

/* ---- ADC, SBC (and S forms) ---- */

static void exec_ADC_SBC(struct cpu *c, const struct insn *in)
{
    uint64_t op2 = in->op ? ~X(in->rm) : X(in->rm);
    unsigned carry = (unsigned)c->cf;
    X(in->rd) = add_with_carry(in->sf, X(in->rn), op2, carry, in->flags ? c : NULL);
    insn_next(c, in);
}

bool trans_ADC_SBC(struct insn *in, const struct insn_fields *f)
{
    in->sf = (uint8_t)f->sf;
    in->op = (uint8_t)f->op;
    in->flags = (uint8_t)f->S;
    in->rm = reg_zr(f->Rm);
    in->rn = reg_zr(f->Rn);
    in->rd = reg_zr_dst(f->Rd);
    in->fn = exec_ADC_SBC;
    return true;
}

/* ---- CCMN, CCMP (register and immediate) ---- */

/* op = 1 for CCMP, flags bit 0 = immediate form, size = cond, imm2 = nzcv
 * to set when the condition fails, imm = immediate operand. */
static void exec_CCMP(struct cpu *c, const struct insn *in)
{
    if (!cond_holds(c, in->size)) {
        nzcv_set(c, (uint32_t)in->imm2 << 28);
        insn_next(c, in);
        return;
    }
    uint64_t op2 = (in->flags & 1) ? (uint64_t)in->imm : X(in->rm);
    if (in->op)
        add_with_carry(in->sf, X(in->rn), ~op2, 1, c);
    else
        add_with_carry(in->sf, X(in->rn), op2, 0, c);
    insn_next(c, in);
}

/* What the register and immediate forms share. */
static void decode_ccmp(struct insn *in, const struct insn_fields *f)
{
    in->sf = (uint8_t)f->sf;
    in->op = (uint8_t)f->op;
    in->size = (uint8_t)f->cond;
    in->imm2 = f->nzcv;
    in->rn = reg_zr(f->Rn);
    in->fn = exec_CCMP;
}

bool trans_CCMP_reg(struct insn *in, const struct insn_fields *f)
{
    decode_ccmp(in, f);
    in->flags = 0;
    in->rm = reg_zr(f->Rm);
    return true;
}

bool trans_CCMP_imm(struct insn *in, const struct insn_fields *f)
{
    decode_ccmp(in, f);
    in->flags = 1;
    in->imm = f->imm;
    return true;
}

/* ---- CSEL, CSINC, CSINV, CSNEG ---- */

/* size = cond, op = 0 CSEL / 1 CSINC / 2 CSINV / 3 CSNEG. */
static void exec_CSEL(struct cpu *c, const struct insn *in)
{
    uint64_t r;
    if (cond_holds(c, in->size)) {
        r = X(in->rn);
    } else {
        r = X(in->rm);
        switch (in->op) {
        case 1: r = r + 1; break;
        case 2: r = ~r; break;
        case 3: r = -r; break;
        default: break;
        }
    }
    X(in->rd) = r & width_mask(in->sf);
    insn_next(c, in);
}

bool trans_CSEL(struct insn *in, const struct insn_fields *f)
{
    in->sf = (uint8_t)f->sf;
    in->op = (uint8_t)(f->op << 1 | f->op2);
    in->size = (uint8_t)f->cond;
    in->rm = reg_zr(f->Rm);
    in->rn = reg_zr(f->Rn);
    in->rd = reg_zr_dst(f->Rd);
    in->fn = exec_CSEL;
    return true;
}

/* ---- data processing (1 source) ---- */

static uint64_t reverse_bits(uint64_t v, unsigned width)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < width; i++)
        r |= ((v >> i) & 1) << (width - 1 - i);
    return r;
}

/* Reverse the bytes inside each CONTAINER-byte chunk of a WIDTH-bit value. */
static uint64_t reverse_bytes(uint64_t v, unsigned width, unsigned container)
{
    uint64_t r = 0;
    for (unsigned base = 0; base < width / 8; base += container)
        for (unsigned i = 0; i < container; i++)
            r |= ((v >> (8 * (base + i))) & 0xff) << (8 * (base + container - 1 - i));
    return r;
}

enum { DP1_RBIT, DP1_REV16, DP1_REV32, DP1_REV64, DP1_CLZ, DP1_CLS };

static void exec_DP_1src(struct cpu *c, const struct insn *in)
{
    unsigned width = in->sf ? 64 : 32;
    uint64_t v = X(in->rn) & width_mask(in->sf), r;
    switch (in->op) {
    case DP1_RBIT: r = reverse_bits(v, width); break;
    case DP1_REV16: r = reverse_bytes(v, width, 2); break;
    case DP1_REV32: r = reverse_bytes(v, width, 4); break;
    case DP1_REV64: r = reverse_bytes(v, width, 8); break;
    case DP1_CLZ: r = v == 0 ? width : (unsigned)__builtin_clzll(v) - (64 - width); break;
    default: { /* CLS: leading bits equal to the sign bit, not counting it */
        uint64_t sign = (v >> (width - 1)) & 1;
        uint64_t x = (sign ? ~v : v) & width_mask(in->sf);
        unsigned lz = x == 0 ? width : (unsigned)__builtin_clzll(x) - (64 - width);
        r = lz - 1;
        break;
    }
    }
    X(in->rd) = r;
    insn_next(c, in);
}

bool trans_DP_1src(struct insn *in, const struct insn_fields *f)
{
    bool sf = f->sf;
    switch (f->opcode) {
    case 0: in->op = DP1_RBIT; break;
    case 1: in->op = DP1_REV16; break;
    case 2: in->op = DP1_REV32; break; /* REV32 (64-bit) / REV (32-bit) */
    case 3:
        if (!sf)
            return false;
        in->op = DP1_REV64;
        break;
    case 4: in->op = DP1_CLZ; break;
    case 5: in->op = DP1_CLS; break;
    default: return false;
    }
    in->sf = sf;
    in->rn = reg_zr(f->Rn);
    in->rd = reg_zr_dst(f->Rd);
    in->fn = exec_DP_1src;
    return true;
}

/* ---- data processing (2 source) ---- */

enum { DP2_UDIV, DP2_SDIV, DP2_SHIFTV, DP2_CRC32, DP2_CRC32C };

static void exec_UDIV(struct cpu *c, const struct insn *in)
{
    uint64_t m = width_mask(in->sf);
    uint64_t n = X(in->rn) & m, d = X(in->rm) & m;
    /* Arm ARM: division by zero gives zero, no trap. */
    X(in->rd) = d ? n / d : 0;
    insn_next(c, in);
}

static void exec_SDIV(struct cpu *c, const struct insn *in)
{
    if (in->sf) {
        int64_t n = (int64_t)X(in->rn), d = (int64_t)X(in->rm);
        /* INT64_MIN / -1 overflows: the architecture gives INT64_MIN. */
        X(in->rd) = d == 0 ? 0 : (d == -1 ? (uint64_t)0 - (uint64_t)n : (uint64_t)(n / d));
    } else {
        int32_t n = (int32_t)X(in->rn), d = (int32_t)X(in->rm);
        X(in->rd) = d == 0 ? 0 : (d == -1 ? (uint32_t)(0u - (uint32_t)n) : (uint32_t)(n / d));
    }
    insn_next(c, in);
}

/* size = shift type; the amount is Rm modulo the width. */
static void exec_SHIFTV(struct cpu *c, const struct insn *in)
{
    unsigned amount = (unsigned)(X(in->rm) & (in->sf ? 63 : 31));
    X(in->rd) = shift_reg(in->sf, X(in->rn), in->size, amount);
    insn_next(c, in);
}

static uint32_t crc32_update(uint32_t crc, uint64_t data, unsigned bytes, uint32_t poly)
{
    for (unsigned i = 0; i < bytes; i++) {
        crc ^= (uint8_t)(data >> (8 * i));
        for (unsigned k = 0; k < 8; k++)
            crc = (crc >> 1) ^ ((crc & 1) ? poly : 0);
    }
    return crc;
}

/* size = bytes of Rm consumed; op = CRC32 or CRC32C. */
static void exec_CRC32(struct cpu *c, const struct insn *in)
{
    /* Reflected polynomials: CRC-32 0x04C11DB7, CRC-32C 0x1EDC6F41. */
    uint32_t poly = in->op == DP2_CRC32 ? 0xEDB88320u : 0x82F63B78u;
    X(in->rd) = crc32_update((uint32_t)X(in->rn), X(in->rm), in->size, poly);
    insn_next(c, in);
}

bool trans_DP_2src(struct insn *in, const struct insn_fields *f)
{
    bool sf = f->sf;
    unsigned opcode = f->opcode;
    in->sf = sf;
    in->rm = reg_zr(f->Rm);
    in->rn = reg_zr(f->Rn);
    in->rd = reg_zr_dst(f->Rd);
    switch (opcode) {
    case 2:
        in->fn = exec_UDIV;
        in->cost = COST_DIV;
        return true;
    case 3:
        in->fn = exec_SDIV;
        in->cost = COST_DIV;
        return true;
    case 8:
    case 9:
    case 10:
    case 11:
        in->size = (uint8_t)(opcode & 3);
        in->fn = exec_SHIFTV;
        return true;
    default: break;
    }
    if ((opcode & 0x38) != 0x10)
        return false;
    /* CRC32{B,H,W,X} / CRC32C{...}: sz = opcode<1:0>, X form needs sf = 1. */
    unsigned sz = opcode & 3;
    if ((sz == 3) != sf)
        return false;
    in->op = (opcode & 4) ? DP2_CRC32C : DP2_CRC32;
    in->size = (uint8_t)(1u << sz);
    in->fn = exec_CRC32;
    return true;
}

/* ---- data processing (3 source) ---- */

static void exec_MADD(struct cpu *c, const struct insn *in)
{
    uint64_t r = X(in->ra) + X(in->rn) * X(in->rm);
    X(in->rd) = r & width_mask(in->sf);
    insn_next(c, in);
}
static void exec_MSUB(struct cpu *c, const struct insn *in)
{
    uint64_t r = X(in->ra) - X(in->rn) * X(in->rm);
    X(in->rd) = r & width_mask(in->sf);
    insn_next(c, in);
}
static void exec_SMADDL(struct cpu *c, const struct insn *in)
{
    int64_t p = (int64_t)(int32_t)X(in->rn) * (int64_t)(int32_t)X(in->rm);
    X(in->rd) = in->op ? X(in->ra) - (uint64_t)p : X(in->ra) + (uint64_t)p;
    insn_next(c, in);
}
static void exec_UMADDL(struct cpu *c, const struct insn *in)
{
    uint64_t p = (uint64_t)(uint32_t)X(in->rn) * (uint32_t)X(in->rm);
    X(in->rd) = in->op ? X(in->ra) - p : X(in->ra) + p;
    insn_next(c, in);
}
static void exec_SMULH(struct cpu *c, const struct insn *in)
{
    __int128 p = (__int128)(int64_t)X(in->rn) * (int64_t)X(in->rm);
    X(in->rd) = (uint64_t)((unsigned __int128)p >> 64);
    insn_next(c, in);
}
static void exec_UMULH(struct cpu *c, const struct insn *in)
{
    unsigned __int128 p = (unsigned __int128)X(in->rn) * X(in->rm);
    X(in->rd) = (uint64_t)(p >> 64);
    insn_next(c, in);
}

bool trans_DP_3src(struct insn *in, const struct insn_fields *f)
{
    bool sf = f->sf, o0 = f->o0;
    if (f->op54 != 0)
        return false;
    in->sf = sf;
    in->op = o0;
    in->rm = reg_zr(f->Rm);
    in->ra = reg_zr(f->Ra);
    in->rn = reg_zr(f->Rn);
    in->rd = reg_zr_dst(f->Rd);
    if (f->op31 == 0) {
        in->fn = o0 ? exec_MSUB : exec_MADD;
        return true;
    }
    if (!sf)
        return false;
    switch (f->op31) {
    case 1: in->fn = exec_SMADDL; return true;
    case 5: in->fn = exec_UMADDL; return true;
    case 2: in->fn = exec_SMULH; return !o0;
    case 6: in->fn = exec_UMULH; return !o0;
    default: return false;
    }
}
