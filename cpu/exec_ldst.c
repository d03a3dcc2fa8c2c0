/* Loads and stores (Arm ARM C4.1.88 "Loads and Stores"), general registers
 * only: the FP/SIMD forms (V = 1) are not matched and stay UNDEFINED.
 *
 * CONSTRAINED UNPREDICTABLE choices (docs/architecture.md repeats them):
 * - Load with writeback where Rt == Rn (not SP): the load and the
 *   writeback both happen and Rt ends with the loaded value.
 * - Store with writeback where Rt == Rn (not SP): the value stored is Rt
 *   as it was before the writeback.
 * - LDP/LDXP with Rt == Rt2: both loads happen, Rt2's value is kept.
 * - Exclusives: the Rs/Rt2 fields that must be 11111 are ignored.
 * - STXR with Rs == Rt or Rs == Rn: the store uses the old values, then
 *   the status is written.
 */
#include "cpu/decode.h"

#define X(r) (c->x[(r)])

/* How a loaded value lands in Rt. */
enum ld_ext { LD_ZX, LD_SX64, LD_SX32 };

enum addr_mode { MODE_OFFSET, MODE_PRE, MODE_POST };

/* flags layout for single-register and pair loads/stores */
#define F_LOAD 0x01
#define F_PRE  0x02 /* writeback of the computed address before the access */
#define F_POST 0x04 /* access at the base, then writeback of base + imm */
/* LDTR/STTR and their sized forms (unscaled imm9, no writeback): at EL1
 * the access is checked as if made from EL0. That check is a stage 1
 * permission check, and with no MMU (SCTLR_EL1.M == 0 always) stage 1
 * grants every access, so these behave exactly as LDUR/STUR and the
 * handlers ignore the flag. It marks them for the MMU and exception work,
 * which must honour it (and PSTATE.UAO, HCR_EL2.{NV,NV1}). */
#define F_UNPRIV 0x08

static inline uint64_t sign_extend(uint64_t v, unsigned bytes)
{
    unsigned shift = 64 - 8 * bytes;
    return (uint64_t)((int64_t)(v << shift) >> shift);
}

static inline uint64_t load_extend(uint64_t v, unsigned bytes, unsigned ext)
{
    switch (ext) {
    case LD_SX64: return sign_extend(v, bytes);
    case LD_SX32: return (uint32_t)sign_extend(v, bytes);
    default: return v;
    }
}

/* A load or store whose base is SP must find SP 16-byte aligned when
 * the check is enabled (sp_alignment_checked). */
static inline bool check_sp(struct cpu *c, const struct insn *in, uint64_t base)
{
    if (in->rn == REG_SP && (base & 15) && sp_alignment_checked(c)) {
        cpu_raise_fault(c, FAULT_SP_ALIGNMENT, base, in->size, !(in->flags & F_LOAD));
        return false;
    }
    return true;
}

/* ---- single register, immediate offset: LDR/STR (unsigned offset, unscaled,
 *      pre-index, post-index) ---- */

/* size = bytes, op = ld_ext, imm = offset, flags = F_LOAD|F_PRE|F_POST. */
static void exec_LDR_imm(struct cpu *c, const struct insn *in)
{
    uint64_t base = X(in->rn);
    if (!check_sp(c, in, base))
        return;
    uint64_t addr = (in->flags & F_POST) ? base : base + (uint64_t)in->imm;
    uint64_t v;
    if (in->flags & F_UNPRIV) {
        struct mem_load r = mem_read_unpriv(c, addr, in->size);
        if (!r.ok)
            return;
        v = r.value;
    } else if (!mem_read(c, addr, in->size, &v)) {
        return;
    }
    if (in->flags & (F_PRE | F_POST))
        X(in->rn) = base + (uint64_t)in->imm;
    X(in->rd) = load_extend(v, in->size, in->op);
    insn_next(c, in);
}

static void exec_STR_imm(struct cpu *c, const struct insn *in)
{
    uint64_t base = X(in->rn);
    if (!check_sp(c, in, base))
        return;
    uint64_t addr = (in->flags & F_POST) ? base : base + (uint64_t)in->imm;
    bool ok = (in->flags & F_UNPRIV) ? mem_write_unpriv(c, addr, in->size, X(in->rd))
                                     : mem_write(c, addr, in->size, X(in->rd));
    if (!ok)
        return;
    if (in->flags & (F_PRE | F_POST))
        X(in->rn) = base + (uint64_t)in->imm;
    insn_next(c, in);
}

static inline uint64_t extend_index(uint64_t v, unsigned option, unsigned shift)
{
    switch (option) {
    case 2: v = (uint32_t)v; break;                   /* UXTW */
    case 6: v = (uint64_t)(int64_t)(int32_t)v; break; /* SXTW */
    default: break;                                   /* LSL / SXTX */
    }
    return v << shift;
}

/* The hot forms, specialised at decode so that the fast path has no
 * run-time choices: zero-extending loads and all stores, with an unsigned
 * offset or a register offset, no writeback; one handler per access size,
 * per index extension (LSL/SXTX: none, UXTW, SXTW), and, for the unsigned
 * offset, per base: SP (with its alignment check) or a general register
 * (which needs none). Register-offset forms with base SP take the general
 * handlers. */
#define IDX_LSL(v)  (v)
#define IDX_UXTW(v) ((uint64_t)(uint32_t)(v))
#define IDX_SXTW(v) ((uint64_t)(int64_t)(int32_t)(v))

#define SIZED_UIMM(SZ)                                                                             \
    static void exec_LDR_uimm_##SZ(struct cpu *c, const struct insn *in)                           \
    {                                                                                              \
        uint64_t v;                                                                                \
        if (!mem_read(c, X(in->rn) + (uint64_t)in->imm, SZ, &v))                                   \
            return;                                                                                \
        X(in->rd) = v;                                                                             \
        insn_next(c, in);                                                                          \
    }                                                                                              \
    static void exec_STR_uimm_##SZ(struct cpu *c, const struct insn *in)                           \
    {                                                                                              \
        if (!mem_write(c, X(in->rn) + (uint64_t)in->imm, SZ, X(in->rd)))                           \
            return;                                                                                \
        insn_next(c, in);                                                                          \
    }                                                                                              \
    static void exec_LDR_uimm_sp_##SZ(struct cpu *c, const struct insn *in)                        \
    {                                                                                              \
        uint64_t base = X(REG_SP), v;                                                              \
        if (!check_sp(c, in, base) || !mem_read(c, base + (uint64_t)in->imm, SZ, &v))              \
            return;                                                                                \
        X(in->rd) = v;                                                                             \
        insn_next(c, in);                                                                          \
    }                                                                                              \
    static void exec_STR_uimm_sp_##SZ(struct cpu *c, const struct insn *in)                        \
    {                                                                                              \
        uint64_t base = X(REG_SP);                                                                 \
        if (!check_sp(c, in, base) || !mem_write(c, base + (uint64_t)in->imm, SZ, X(in->rd)))      \
            return;                                                                                \
        insn_next(c, in);                                                                          \
    }

/* imm = the index's shift amount. */
#define SIZED_REG(SZ, EXT)                                                                         \
    static void exec_LDR_reg_##EXT##_##SZ(struct cpu *c, const struct insn *in)                    \
    {                                                                                              \
        uint64_t v, addr = X(in->rn) + (IDX_##EXT(X(in->rm)) << in->imm);                          \
        if (!mem_read(c, addr, SZ, &v))                                                            \
            return;                                                                                \
        X(in->rd) = v;                                                                             \
        insn_next(c, in);                                                                          \
    }                                                                                              \
    static void exec_STR_reg_##EXT##_##SZ(struct cpu *c, const struct insn *in)                    \
    {                                                                                              \
        uint64_t addr = X(in->rn) + (IDX_##EXT(X(in->rm)) << in->imm);                             \
        if (!mem_write(c, addr, SZ, X(in->rd)))                                                    \
            return;                                                                                \
        insn_next(c, in);                                                                          \
    }

#define SIZED_LDST(SZ)                                                                             \
    SIZED_UIMM(SZ)                                                                                 \
    SIZED_REG(SZ, LSL)                                                                             \
    SIZED_REG(SZ, UXTW)                                                                            \
    SIZED_REG(SZ, SXTW)

SIZED_LDST(1)
SIZED_LDST(2)
SIZED_LDST(4)
SIZED_LDST(8)

/* The writeback forms (pre- and post-index) of the same loads and stores,
 * base not SP. The orders are the CONSTRAINED UNPREDICTABLE choices at the
 * top of this file: a load writes the base first, then Rt; a store stores
 * Rt as it was before the writeback. */
#define SIZED_WRITEBACK(SZ)                                                                        \
    static void exec_LDR_post_##SZ(struct cpu *c, const struct insn *in)                           \
    {                                                                                              \
        uint64_t base = X(in->rn), v;                                                              \
        if (!mem_read(c, base, SZ, &v))                                                            \
            return;                                                                                \
        X(in->rn) = base + (uint64_t)in->imm;                                                      \
        X(in->rd) = v;                                                                             \
        insn_next(c, in);                                                                          \
    }                                                                                              \
    static void exec_LDR_pre_##SZ(struct cpu *c, const struct insn *in)                            \
    {                                                                                              \
        uint64_t addr = X(in->rn) + (uint64_t)in->imm, v;                                          \
        if (!mem_read(c, addr, SZ, &v))                                                            \
            return;                                                                                \
        X(in->rn) = addr;                                                                          \
        X(in->rd) = v;                                                                             \
        insn_next(c, in);                                                                          \
    }                                                                                              \
    static void exec_STR_post_##SZ(struct cpu *c, const struct insn *in)                           \
    {                                                                                              \
        uint64_t base = X(in->rn);                                                                 \
        if (!mem_write(c, base, SZ, X(in->rd)))                                                    \
            return;                                                                                \
        X(in->rn) = base + (uint64_t)in->imm;                                                      \
        insn_next(c, in);                                                                          \
    }                                                                                              \
    static void exec_STR_pre_##SZ(struct cpu *c, const struct insn *in)                            \
    {                                                                                              \
        uint64_t addr = X(in->rn) + (uint64_t)in->imm;                                             \
        if (!mem_write(c, addr, SZ, X(in->rd)))                                                    \
            return;                                                                                \
        X(in->rn) = addr;                                                                          \
        insn_next(c, in);                                                                          \
    }
SIZED_WRITEBACK(1)
SIZED_WRITEBACK(2)
SIZED_WRITEBACK(4)
SIZED_WRITEBACK(8)

/* Indexed by log2(size). */
#define BY_SIZE(PREFIX)                                                                            \
    {                                                                                              \
        PREFIX##1, PREFIX##2, PREFIX##4, PREFIX##8                                                 \
    }
static const insn_fn ldr_uimm_sized[4] = BY_SIZE(exec_LDR_uimm_);
static const insn_fn str_uimm_sized[4] = BY_SIZE(exec_STR_uimm_);
static const insn_fn ldr_uimm_sp_sized[4] = BY_SIZE(exec_LDR_uimm_sp_);
static const insn_fn str_uimm_sp_sized[4] = BY_SIZE(exec_STR_uimm_sp_);
static const insn_fn ldr_post_sized[4] = BY_SIZE(exec_LDR_post_);
static const insn_fn str_post_sized[4] = BY_SIZE(exec_STR_post_);
static const insn_fn ldr_pre_sized[4] = BY_SIZE(exec_LDR_pre_);
static const insn_fn str_pre_sized[4] = BY_SIZE(exec_STR_pre_);
/* Indexed by index extension (enum idx_ext), then log2(size). */
enum idx_ext { IDX_EXT_LSL, IDX_EXT_UXTW, IDX_EXT_SXTW };
static const insn_fn ldr_reg_sized[3][4] = {BY_SIZE(exec_LDR_reg_LSL_), BY_SIZE(exec_LDR_reg_UXTW_),
                                            BY_SIZE(exec_LDR_reg_SXTW_)};
static const insn_fn str_reg_sized[3][4] = {BY_SIZE(exec_STR_reg_LSL_), BY_SIZE(exec_STR_reg_UXTW_),
                                            BY_SIZE(exec_STR_reg_SXTW_)};

/* The sized handler for a zero-extending load or a store, or NULL. */
static insn_fn sized_handler(const struct insn *in, unsigned size_log2, const insn_fn *ld,
                             const insn_fn *st)
{
    if (!(in->flags & F_LOAD))
        return st[size_log2];
    return in->op == LD_ZX ? ld[size_log2] : NULL;
}

static void exec_PRFM(struct cpu *c, const struct insn *in)
{
    /* A prefetch hint with no caches to fill: no effect, never faults. */
    (void)in;
    insn_next(c, in);
}

/* Shared by the three immediate-offset families: decode opc/size into the
 * access. Returns false for unallocated combinations; sets *prfm for PRFM. */
static bool decode_opc(struct insn *in, unsigned size, unsigned opc, bool *prfm)
{
    *prfm = false;
    in->size = (uint8_t)(1u << size);
    switch (opc) {
    case 0:
        in->flags = 0;
        in->cost = COST_STORE;
        in->op = LD_ZX;
        return true;
    case 1:
        in->flags = F_LOAD;
        in->op = LD_ZX;
        return true;
    case 2:
        if (size == 3) {
            *prfm = true;
            return true;
        }
        in->flags = F_LOAD;
        in->op = LD_SX64;
        return true;
    default:
        if (size >= 2)
            return false;
        in->flags = F_LOAD;
        in->op = LD_SX32;
        return true;
    }
}

static void pick_imm_handler(struct insn *in)
{
    in->fn = (in->flags & F_LOAD) ? exec_LDR_imm : exec_STR_imm;
}

bool trans_LDST_uimm(struct insn *in, const struct insn_fields *f)
{
    unsigned size = f->size;
    bool prfm;
    if (!decode_opc(in, size, f->opc, &prfm))
        return false;
    if (prfm) {
        in->fn = exec_PRFM;
        in->cost = COST_HINT;
        return true;
    }
    in->imm = (int64_t)f->imm << size;
    in->rn = reg_sp(f->Rn);
    in->rd = (in->flags & F_LOAD) ? reg_zr_dst(f->Rt) : reg_zr(f->Rt);
    pick_imm_handler(in);
    insn_fn fast = in->rn == REG_SP ? sized_handler(in, size, ldr_uimm_sp_sized, str_uimm_sp_sized)
                                    : sized_handler(in, size, ldr_uimm_sized, str_uimm_sized);
    if (fast)
        in->fn = fast;
    return true;
}

/* op4 (bits 11:10) picks the class: unscaled, post-index, unprivileged,
 * pre-index. */
bool trans_LDST_imm9(struct insn *in, const struct insn_fields *f)
{
    unsigned op4 = f->op4;
    bool prfm;
    if (!decode_opc(in, f->size, f->opc, &prfm))
        return false;
    if (prfm) {
        if (op4 != 0)
            return false; /* only PRFUM exists in this space: no LDTR form */
        in->fn = exec_PRFM;
        in->cost = COST_HINT;
        return true;
    }
    in->imm = field_sext(f->imm, f->width.imm);
    in->rn = reg_sp(f->Rn);
    in->rd = (in->flags & F_LOAD) ? reg_zr_dst(f->Rt) : reg_zr(f->Rt);
    if (op4 == 1)
        in->flags |= F_POST;
    else if (op4 == 3)
        in->flags |= F_PRE;
    else if (op4 == 2)
        in->flags |= F_UNPRIV;
    pick_imm_handler(in);
    insn_fn fast = NULL;
    if (op4 == 1)
        fast = sized_handler(in, f->size, ldr_post_sized, str_post_sized);
    else if (op4 == 3)
        fast = sized_handler(in, f->size, ldr_pre_sized, str_pre_sized);
    if (fast && in->rn != REG_SP)
        in->fn = fast;
    return true;
}

/* ---- single register, register offset ---- */

/* imm2 = option, imm = shift amount. */
static void exec_LDR_reg(struct cpu *c, const struct insn *in)
{
    uint64_t base = X(in->rn), v;
    if (!check_sp(c, in, base))
        return;
    uint64_t addr = base + extend_index(X(in->rm), (unsigned)in->imm2, (unsigned)in->imm);
    if (!mem_read(c, addr, in->size, &v))
        return;
    X(in->rd) = load_extend(v, in->size, in->op);
    insn_next(c, in);
}

static void exec_STR_reg(struct cpu *c, const struct insn *in)
{
    uint64_t base = X(in->rn);
    if (!check_sp(c, in, base))
        return;
    uint64_t addr = base + extend_index(X(in->rm), (unsigned)in->imm2, (unsigned)in->imm);
    if (!mem_write(c, addr, in->size, X(in->rd)))
        return;
    insn_next(c, in);
}

bool trans_LDST_reg(struct insn *in, const struct insn_fields *f)
{
    unsigned size = f->size, option = f->option;
    bool prfm;
    /* option<1> == 0 (UXTB/UXTH/SXTB/SXTH) is reserved for the index. */
    if (!(option & 2))
        return false;
    if (!decode_opc(in, size, f->opc, &prfm))
        return false;
    if (prfm) {
        in->fn = exec_PRFM;
        in->cost = COST_HINT;
        return true;
    }
    in->imm2 = option;
    in->imm = f->S ? size : 0;
    in->rm = reg_zr(f->Rm);
    in->rn = reg_sp(f->Rn);
    in->rd = (in->flags & F_LOAD) ? reg_zr_dst(f->Rt) : reg_zr(f->Rt);
    in->fn = (in->flags & F_LOAD) ? exec_LDR_reg : exec_STR_reg;
    /* option: 2 UXTW, 3 LSL, 6 SXTW, 7 SXTX (a 64-bit index: no extension). */
    enum idx_ext ext = option == 2 ? IDX_EXT_UXTW : option == 6 ? IDX_EXT_SXTW : IDX_EXT_LSL;
    insn_fn fast = sized_handler(in, size, ldr_reg_sized[ext], str_reg_sized[ext]);
    if (fast && in->rn != REG_SP)
        in->fn = fast;
    return true;
}

/* ---- load register (literal) ---- */

static void exec_LDR_literal(struct cpu *c, const struct insn *in)
{
    uint64_t v;
    if (!mem_read(c, c->pc + (uint64_t)in->imm, in->size, &v))
        return;
    X(in->rd) = load_extend(v, in->size, in->op);
    insn_next(c, in);
}

bool trans_LDR_literal(struct insn *in, const struct insn_fields *f)
{
    in->imm = field_sext(f->imm, f->width.imm) * 4;
    in->rd = reg_zr_dst(f->Rt);
    switch (f->opc) {
    case 0:
        in->size = 4;
        in->op = LD_ZX;
        break;
    case 1:
        in->size = 8;
        in->op = LD_ZX;
        break;
    case 2:
        in->size = 4;
        in->op = LD_SX64;
        break; /* LDRSW */
    default:
        in->fn = exec_PRFM;
        in->cost = COST_HINT;
        return true;
    }
    in->fn = exec_LDR_literal;
    return true;
}

/* ---- load/store pair: LDP, STP, LDPSW, LDNP, STNP ---- */

/* size = bytes per register, op = ld_ext, imm = scaled offset, ra = Rt2:
 * LDPSW, and the general form of the pair handlers below. */
static void exec_LDP(struct cpu *c, const struct insn *in)
{
    uint64_t base = X(in->rn);
    if (!check_sp(c, in, base))
        return;
    uint64_t addr = (in->flags & F_POST) ? base : base + (uint64_t)in->imm;
    uint64_t v1, v2;
    if (!mem_read(c, addr, in->size, &v1) || !mem_read(c, addr + in->size, in->size, &v2))
        return;
    if (in->flags & (F_PRE | F_POST))
        X(in->rn) = base + (uint64_t)in->imm;
    X(in->rd) = load_extend(v1, in->size, in->op);
    X(in->ra) = load_extend(v2, in->size, in->op);
    insn_next(c, in);
}

/* The common pairs, one handler per register size and addressing mode
 * (offset, pre-index, post-index), zero-extending: the access size and the
 * writeback fold away. */
enum pair_mode { PAIR_OFFSET, PAIR_PRE, PAIR_POST };
#define SIZED_PAIR(SZ, MODE)                                                                       \
    static void exec_LDP_##MODE##_##SZ(struct cpu *c, const struct insn *in)                       \
    {                                                                                              \
        uint64_t base = X(in->rn), v1, v2;                                                         \
        if (!check_sp(c, in, base))                                                                \
            return;                                                                                \
        uint64_t addr = MODE == PAIR_POST ? base : base + (uint64_t)in->imm;                       \
        if (!mem_read(c, addr, SZ, &v1) || !mem_read(c, addr + SZ, SZ, &v2))                       \
            return;                                                                                \
        if (MODE != PAIR_OFFSET)                                                                   \
            X(in->rn) = base + (uint64_t)in->imm;                                                  \
        X(in->rd) = v1;                                                                            \
        X(in->ra) = v2;                                                                            \
        insn_next(c, in);                                                                          \
    }                                                                                              \
    static void exec_STP_##MODE##_##SZ(struct cpu *c, const struct insn *in)                       \
    {                                                                                              \
        uint64_t base = X(in->rn);                                                                 \
        if (!check_sp(c, in, base))                                                                \
            return;                                                                                \
        uint64_t addr = MODE == PAIR_POST ? base : base + (uint64_t)in->imm;                       \
        if (!mem_write(c, addr, SZ, X(in->rd)) || !mem_write(c, addr + SZ, SZ, X(in->ra)))         \
            return;                                                                                \
        if (MODE != PAIR_OFFSET)                                                                   \
            X(in->rn) = base + (uint64_t)in->imm;                                                  \
        insn_next(c, in);                                                                          \
    }
SIZED_PAIR(4, PAIR_OFFSET)
SIZED_PAIR(4, PAIR_PRE)
SIZED_PAIR(4, PAIR_POST)
SIZED_PAIR(8, PAIR_OFFSET)
SIZED_PAIR(8, PAIR_PRE)
SIZED_PAIR(8, PAIR_POST)

/* Indexed by [size == 8][enum pair_mode]. */
static const insn_fn ldp_sized[2][3] = {
    {exec_LDP_PAIR_OFFSET_4, exec_LDP_PAIR_PRE_4, exec_LDP_PAIR_POST_4},
    {exec_LDP_PAIR_OFFSET_8, exec_LDP_PAIR_PRE_8, exec_LDP_PAIR_POST_8},
};
static const insn_fn stp_sized[2][3] = {
    {exec_STP_PAIR_OFFSET_4, exec_STP_PAIR_PRE_4, exec_STP_PAIR_POST_4},
    {exec_STP_PAIR_OFFSET_8, exec_STP_PAIR_PRE_8, exec_STP_PAIR_POST_8},
};

/* op2 (bits 24:23) picks the class: no-allocate (offset), post-index,
 * offset, pre-index. */
bool trans_LDST_pair(struct insn *in, const struct insn_fields *f)
{
    unsigned opc = f->opc, op2 = f->op2;
    bool load = f->L;
    if (opc == 3)
        return false;
    if (opc == 1 && (!load || op2 == 0))
        return false; /* STGP needs MTE; there is no LDNPSW */
    unsigned scale = opc == 2 ? 3 : 2;
    in->size = (uint8_t)(1u << scale);
    in->op = opc == 1 ? LD_SX64 : LD_ZX;
    in->imm = field_sext(f->imm, f->width.imm) * (1 << scale);
    in->rn = reg_sp(f->Rn);
    in->flags = load ? F_LOAD : 0;
    if (op2 == 1)
        in->flags |= F_POST;
    else if (op2 == 3)
        in->flags |= F_PRE;
    enum pair_mode mode = op2 == 1 ? PAIR_POST : op2 == 3 ? PAIR_PRE : PAIR_OFFSET;
    if (load) {
        in->rd = reg_zr_dst(f->Rt);
        in->ra = reg_zr_dst(f->Rt2);
        in->fn = in->op == LD_ZX ? ldp_sized[scale == 3][mode] : exec_LDP;
    } else {
        in->rd = reg_zr(f->Rt);
        in->ra = reg_zr(f->Rt2);
        in->fn = stp_sized[scale == 3][mode];
        in->cost = COST_STORE;
    }
    return true;
}

/* ---- exclusives and acquire/release: LDXR, STXR, LDAXR, STLXR, LDXP, STXP,
 *      LDAXP, STLXP, LDAR, STLR ---- */

/* The local exclusive monitor tags the exact address and size of the last
 * load-exclusive; a store-exclusive succeeds only on an exact match
 * (Arm ARM B2.9: a mismatch within the granule may fail, so this is a
 * permitted choice). Exclusives are always alignment-checked, including
 * pairs against their total size. */
static bool excl_aligned(struct cpu *c, uint64_t addr, unsigned total, bool write)
{
    if (addr & (total - 1)) {
        cpu_raise_fault(c, FAULT_ALIGNMENT, addr, total, write);
        return false;
    }
    return true;
}

/* size = bytes per register; op = 1 for a pair; rm = Rs (status). */
static void exec_LDXR(struct cpu *c, const struct insn *in)
{
    uint64_t addr = X(in->rn), v1, v2 = 0;
    unsigned total = in->size * (in->op ? 2 : 1);
    if (!check_sp(c, in, addr) || !excl_aligned(c, addr, total, false))
        return;
    if (!mem_read(c, addr, in->size, &v1))
        return;
    if (in->op && !mem_read(c, addr + in->size, in->size, &v2))
        return;
    mem_excl_mark(c, addr, total);
    X(in->rd) = v1;
    if (in->op)
        X(in->ra) = v2;
    insn_next(c, in);
}

static void exec_STXR(struct cpu *c, const struct insn *in)
{
    uint64_t addr = X(in->rn);
    unsigned total = in->size * (in->op ? 2 : 1);
    if (!check_sp(c, in, addr) || !excl_aligned(c, addr, total, true))
        return;
    bool pass = c->excl_valid && c->excl_addr == addr && c->excl_size == total;
    if (pass) {
        uint64_t v1 = X(in->rd), v2 = X(in->ra);
        if (!mem_write(c, addr, in->size, v1))
            return;
        if (in->op && !mem_write(c, addr + in->size, in->size, v2))
            return;
    }
    c->excl_valid = false;
    X(in->rm) = pass ? 0 : 1;
    insn_next(c, in);
}

static void exec_LDAR(struct cpu *c, const struct insn *in)
{
    uint64_t addr = X(in->rn), v;
    if (!check_sp(c, in, addr) || !excl_aligned(c, addr, in->size, false))
        return;
    if (!mem_read(c, addr, in->size, &v))
        return;
    X(in->rd) = v;
    insn_next(c, in);
}

static void exec_STLR(struct cpu *c, const struct insn *in)
{
    uint64_t addr = X(in->rn);
    if (!check_sp(c, in, addr) || !excl_aligned(c, addr, in->size, true))
        return;
    if (!mem_write(c, addr, in->size, X(in->rd)))
        return;
    insn_next(c, in);
}

/* LDAPR, LDAPRB, LDAPRH (FEAT_LRCPC): Load-AcquirePC differs from LDAR
 * only in that it may be reordered before an earlier store-release to
 * another address, which one in-order PE never does; so it runs as LDAR,
 * alignment check included. Its Rs field must be 11111 (the pattern asks
 * for it; anything else is UNDEFINED here, as binutils decodes it). */
bool trans_LDAPR(struct insn *in, const struct insn_fields *f)
{
    in->size = (uint8_t)(1u << f->size);
    in->rn = reg_sp(f->Rn);
    in->rd = reg_zr_dst(f->Rt);
    in->flags = F_LOAD;
    in->fn = exec_LDAR;
    return true;
}

bool trans_LDST_exclusive(struct insn *in, const struct insn_fields *f)
{
    unsigned size = f->size;
    bool o2 = f->o2, load = f->L, o1 = f->o1, o0 = f->o0;
    in->size = (uint8_t)(1u << size);
    in->rn = reg_sp(f->Rn);
    if (!o2 && o1) {
        /* Pairs exist only for 32- and 64-bit registers; size 0x here is
         * CASP with Rt2 != 11111 (valid CASP words match trans_CASP first). */
        if (size < 2)
            return false;
        in->op = 1;
    } else if (o2 && o1) {
        return false; /* CAS with Rt2 != 11111 (the valid CAS words match trans_CAS first) */
    } else if (o2 && !o0) {
        return false; /* LDLAR/STLLR: LORegions, not advertised */
    }
    if (load) {
        in->rd = reg_zr_dst(f->Rt);
        in->ra = reg_zr_dst(f->Rt2);
        in->fn = o2 ? exec_LDAR : exec_LDXR;
    } else {
        in->rd = reg_zr(f->Rt);
        in->ra = reg_zr(f->Rt2);
        in->rm = reg_zr_dst(f->Rs);
        in->fn = o2 ? exec_STLR : exec_STXR;
        in->cost = COST_STORE;
    }
    in->flags = load ? F_LOAD : 0;
    return true;
}
