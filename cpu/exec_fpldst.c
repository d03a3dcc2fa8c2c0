/* Loads and stores of the SIMD&FP registers (V = 1): LDR/STR (immediate,
 * unscaled, pre- and post-index, register offset, literal) of B, H, S, D
 * and Q, and LDP/STP/LDNP/STNP of S, D and Q (Arm ARM C4.1.88).
 *
 * A load writes the whole register: the bytes loaded, zeros above. A
 * 16-byte access (mem_read_q/mem_write_q) checks its alignment to 16 bytes
 * where Device memory or SCTLR_ELx.A require it and is made as two 8-byte
 * halves, low first, each single-copy atomic as the architecture asks of
 * a 128-bit SIMD&FP access (in a page of RAM the TLB reaches, one copy). A
 * store whose second half faults has written its first half (the bytes
 * of a faulting store are UNKNOWN).
 * Nothing is written to a register, and no base is written back, unless
 * every access of the instruction succeeded.
 *
 * CONSTRAINED UNPREDICTABLE choice: LDP and LDNP with Vt == Vt2 load both
 * and keep the second value, as the general-register LDP does.
 */
#include "cpu/decode.h"
#include "cpu/simd.h"

#define X(r) (c->x[(r)])

#define F_LOAD 0x01
#define F_PRE  0x02 /* writeback of the computed address before the access */
#define F_POST 0x04 /* access at the base, then writeback of base + imm */

/* Read SIZE bytes (1, 2, 4, 8 or 16) at VA into *OUT, zeros above. */
static inline bool vload(struct cpu *c, uint64_t va, unsigned size, union vreg *out)
{
    if (size == 16)
        return mem_read_q(c, va, out->d);
    uint64_t lo;
    if (!mem_read(c, va, size, &lo))
        return false;
    out->d[0] = lo;
    out->d[1] = 0;
    return true;
}

/* Write the low SIZE bytes of V at VA. */
static inline bool vstore(struct cpu *c, uint64_t va, unsigned size, const union vreg *v)
{
    if (size == 16)
        return mem_write_q(c, va, v->d);
    return mem_write(c, va, size, v->d[0]);
}

/* A base of SP must be 16-byte aligned when the check is enabled. */
static inline bool check_sp(struct cpu *c, const struct insn *in, uint64_t base)
{
    if (in->rn == REG_SP && (base & 15) && sp_alignment_checked(c)) {
        cpu_raise_fault(c, FAULT_SP_ALIGNMENT, base, in->size, !(in->flags & F_LOAD));
        return false;
    }
    return true;
}

/* The address of an immediate-offset access, or of its first element. */
static inline uint64_t imm_address(const struct insn *in, uint64_t base)
{
    return (in->flags & F_POST) ? base : base + (uint64_t)in->imm;
}

static inline void writeback(struct cpu *c, const struct insn *in, uint64_t base)
{
    if (in->flags & (F_PRE | F_POST))
        X(in->rn) = base + (uint64_t)in->imm;
}

/* ---- single register: size = bytes, imm = offset, rd = Vt ---- */

static void exec_LDR_v(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    uint64_t base = X(in->rn);
    union vreg v;
    if (!check_sp(c, in, base) || !vload(c, imm_address(in, base), in->size, &v))
        return;
    c->v[in->rd] = v;
    writeback(c, in, base);
    insn_next(c, in);
}

static void exec_STR_v(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    uint64_t base = X(in->rn);
    if (!check_sp(c, in, base) || !vstore(c, imm_address(in, base), in->size, &c->v[in->rd]))
        return;
    writeback(c, in, base);
    insn_next(c, in);
}

/* Register offset: rm = the index's slot, op = option, imm2 = shift. */
static inline uint64_t reg_address(const struct cpu *c, const struct insn *in)
{
    uint64_t m = X(in->rm);
    switch (in->op) {
    case 2: m = (uint32_t)m; break;                   /* UXTW */
    case 6: m = (uint64_t)(int64_t)(int32_t)m; break; /* SXTW */
    default: break;                                   /* LSL, SXTX */
    }
    return X(in->rn) + (m << in->imm2);
}

static void exec_LDR_v_reg(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    union vreg v;
    if (!check_sp(c, in, X(in->rn)) || !vload(c, reg_address(c, in), in->size, &v))
        return;
    c->v[in->rd] = v;
    insn_next(c, in);
}

static void exec_STR_v_reg(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    if (!check_sp(c, in, X(in->rn)) || !vstore(c, reg_address(c, in), in->size, &c->v[in->rd]))
        return;
    insn_next(c, in);
}

static void exec_LDR_v_literal(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    union vreg v;
    if (!vload(c, c->pc + (uint64_t)in->imm, in->size, &v))
        return;
    c->v[in->rd] = v;
    insn_next(c, in);
}

/* ---- pairs: rd = Vt, ra = Vt2 ---- */

static void exec_LDP_v(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    uint64_t base = X(in->rn), addr = imm_address(in, base);
    union vreg v1, v2;
    if (!check_sp(c, in, base) || !vload(c, addr, in->size, &v1) ||
        !vload(c, addr + in->size, in->size, &v2))
        return;
    c->v[in->rd] = v1;
    c->v[in->ra] = v2;
    writeback(c, in, base);
    insn_next(c, in);
}

static void exec_STP_v(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    uint64_t base = X(in->rn), addr = imm_address(in, base);
    if (!check_sp(c, in, base) || !vstore(c, addr, in->size, &c->v[in->rd]) ||
        !vstore(c, addr + in->size, in->size, &c->v[in->ra]))
        return;
    writeback(c, in, base);
    insn_next(c, in);
}

/* ---- decode ---- */

/* The access size of size:opc<1> (LDR/STR forms): B, H, S, D, or Q for
 * size = 00 with opc<1> = 1; 0 for the unallocated combinations. */
static unsigned single_size(unsigned size, unsigned opc)
{
    if (opc & 2)
        return size == 0 ? 16 : 0;
    return 1u << size;
}

static void single_fn(struct insn *in, bool load)
{
    in->fn = load ? exec_LDR_v : exec_STR_v;
    if (!load)
        in->cost = COST_STORE;
}

bool trans_FP_LDST_uimm(struct insn *in, const struct insn_fields *f)
{
    unsigned size = single_size(f->size, f->opc);
    if (!size)
        return false;
    in->size = (uint8_t)size;
    in->imm = (int64_t)f->imm * size;
    in->rn = reg_sp(f->Rn);
    in->rd = (uint8_t)f->Rt;
    in->flags = (f->opc & 1) ? F_LOAD : 0;
    single_fn(in, f->opc & 1);
    return true;
}

bool trans_FP_LDST_imm9(struct insn *in, const struct insn_fields *f)
{
    unsigned size = single_size(f->size, f->opc);
    /* op4: 00 unscaled, 01 post-index, 11 pre-index; 10 (unprivileged)
     * does not exist for the SIMD&FP registers. */
    if (!size || f->op4 == 2)
        return false;
    in->size = (uint8_t)size;
    in->imm = field_sext(f->imm, f->width.imm);
    in->rn = reg_sp(f->Rn);
    in->rd = (uint8_t)f->Rt;
    in->flags = (f->opc & 1) ? F_LOAD : 0;
    if (f->op4 == 1)
        in->flags |= F_POST;
    else if (f->op4 == 3)
        in->flags |= F_PRE;
    single_fn(in, f->opc & 1);
    return true;
}

bool trans_FP_LDST_reg(struct insn *in, const struct insn_fields *f)
{
    unsigned size = single_size(f->size, f->opc);
    /* option<1> == 0 (UXTB/UXTH/SXTB/SXTH) is reserved for the index. */
    if (!size || !(f->option & 2))
        return false;
    in->size = (uint8_t)size;
    in->op = (uint8_t)f->option;
    in->imm2 = f->S ? (uint64_t)__builtin_ctz(size) : 0;
    in->rm = reg_zr(f->Rm);
    in->rn = reg_sp(f->Rn);
    in->rd = (uint8_t)f->Rt;
    bool load = f->opc & 1;
    in->flags = load ? F_LOAD : 0;
    in->fn = load ? exec_LDR_v_reg : exec_STR_v_reg;
    if (!load)
        in->cost = COST_STORE;
    return true;
}

bool trans_FP_LDR_literal(struct insn *in, const struct insn_fields *f)
{
    if (f->opc == 3)
        return false;
    in->size = (uint8_t)(4u << f->opc);
    in->imm = field_sext(f->imm, f->width.imm) * 4;
    in->rd = (uint8_t)f->Rt;
    in->flags = F_LOAD;
    in->fn = exec_LDR_v_literal;
    return true;
}

bool trans_FP_LDST_pair(struct insn *in, const struct insn_fields *f)
{
    if (f->opc == 3)
        return false;
    unsigned size = 4u << f->opc;
    in->size = (uint8_t)size;
    in->imm = field_sext(f->imm, f->width.imm) * (int64_t)size;
    in->rn = reg_sp(f->Rn);
    in->rd = (uint8_t)f->Rt;
    in->ra = (uint8_t)f->Rt2;
    /* op2: 00 no-allocate (LDNP/STNP, offset), 01 post, 10 offset, 11 pre. */
    in->flags = f->L ? F_LOAD : 0;
    if (f->op2 == 1)
        in->flags |= F_POST;
    else if (f->op2 == 3)
        in->flags |= F_PRE;
    in->fn = f->L ? exec_LDP_v : exec_STP_v;
    if (!f->L)
        in->cost = COST_STORE;
    return true;
}
