/* Advanced SIMD copy, modified immediate, table lookup, permute and
 * extract (Arm ARM C4.1.95 in the encoding index; C7.2 for each
 * instruction): DUP, INS, UMOV, SMOV, the scalar DUP (element), MOVI,
 * MVNI, ORR and BIC (vector, immediate), FMOV (vector, immediate), TBL,
 * TBX, UZP1/2, TRN1/2, ZIP1/2 and EXT.
 *
 * The copies find an element of a V register without a switch on its
 * size: the decoder turns <T>[index] into the 64-bit word of the register
 * that holds it, its bit offset in that word and a mask of its width
 * (struct elem_loc), so that every element size runs the same few
 * instructions. A DUP multiplies the element by the constant that repeats
 * it across 64 bits (0x0101...01 for bytes: ~0 / mask).
 *
 * The modified immediates are expanded at decode time (AdvSIMDExpandImm),
 * so that MOVI/MVNI store a constant and ORR/BIC apply one. The permutes
 * are stamped out per operation, element size and register width, and
 * move elements as bit fields of 64-bit words (spread, compress, masks).
 *
 * Registers are read and written as 64-bit words (d[0], d[1]): every
 * handler reads all its sources into locals before it writes the
 * destination (so a source that is also the destination is read first),
 * writes both words (zero in d[1] for a 64-bit result, as vreg_write()
 * would), and never reads back a register through a wider access than
 * the one that wrote it (no waiting on store forwarding in the host).
 */
#include "cpu/decode.h"
#include "cpu/simd.h"

#define X(r) (c->x[(r)])

/* Where element INDEX of ESIZE bytes lives in a union vreg. */
struct elem_loc {
    unsigned word;  /* d[word] holds it */
    unsigned shift; /* its bit 0 is bit SHIFT of d[word] */
    uint64_t mask;  /* its width, at bit 0 */
};

static struct elem_loc elem_loc(unsigned esize, unsigned index)
{
    unsigned byte = esize * index;
    return (struct elem_loc){.word = byte >> 3,
                             .shift = (byte & 7) * 8,
                             .mask = esize == 8 ? ~0ull : (1ull << (8 * esize)) - 1};
}

/* ---- AdvSIMD copy ----
 * op = word and size = shift of the element (the destination's for INS),
 * imm2 = its mask; ra = word and flags = shift of INS (element)'s source
 * element; imm = the DUP multiplier; sf = Q. */

static inline uint64_t elem_get(const union vreg *v, const struct insn *in)
{
    return (v->d[in->op] >> in->size) & in->imm2;
}

/* Replace the element IN names in V by X (already masked): one 64-bit
 * word read and written, the rest of the register kept (INS). */
static inline void elem_put(union vreg *v, const struct insn *in, uint64_t x)
{
    v->d[in->op] = (v->d[in->op] & ~(in->imm2 << in->size)) | x << in->size;
}

static inline void write_dup(struct cpu *c, const struct insn *in, uint64_t x)
{
    x *= (uint64_t)in->imm;
    union vreg out = {.d = {x, in->sf ? x : 0}};
    c->v[in->rd] = out;
}

static void exec_DUP_elem(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    write_dup(c, in, elem_get(&c->v[in->rn], in));
    insn_next(c, in);
}

static void exec_DUP_gen(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    write_dup(c, in, X(in->rn) & in->imm2);
    insn_next(c, in);
}

static void exec_INS_gen(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    elem_put(&c->v[in->rd], in, X(in->rn) & in->imm2);
    insn_next(c, in);
}

static void exec_INS_elem(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    uint64_t x = (c->v[in->rn].d[in->ra] >> in->flags) & in->imm2;
    elem_put(&c->v[in->rd], in, x);
    insn_next(c, in);
}

/* UMOV: the element zero-extended (to 32 bits for Wd: its mask is narrower). */
static void exec_UMOV(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    X(in->rd) = elem_get(&c->v[in->rn], in);
    insn_next(c, in);
}

/* SMOV: the element sign-extended; imm = 64 - its width in bits, sf: Xd. */
static void exec_SMOV(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    unsigned top = (unsigned)in->imm;
    uint64_t x = (uint64_t)((int64_t)(elem_get(&c->v[in->rn], in) << top) >> top);
    X(in->rd) = in->sf ? x : (uint32_t)x;
    insn_next(c, in);
}

/* DUP (element), scalar: the element alone, zeros above. */
static void exec_DUP_scalar(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    union vreg out = {.d = {elem_get(&c->v[in->rn], in), 0}};
    c->v[in->rd] = out;
    insn_next(c, in);
}

static void set_elem_operands(struct insn *in, struct elem_loc loc)
{
    in->op = (uint8_t)loc.word;
    in->size = (uint8_t)loc.shift;
    in->imm2 = loc.mask;
}

/* C4.1.95 "Advanced SIMD copy": op, imm5, imm4. The element size is the
 * lowest set bit of imm5 (imm5 = x0000 is unallocated), the index the
 * bits above it. */
bool trans_SIMD_copy(struct insn *in, const struct insn_fields *f)
{
    unsigned imm5 = f->imm, imm4 = f->opcode, q = f->Q;
    if ((imm5 & 15) == 0)
        return false;
    unsigned size = (unsigned)__builtin_ctz(imm5), esize = 1u << size;
    struct elem_loc loc = elem_loc(esize, imm5 >> (size + 1));
    set_elem_operands(in, loc);
    in->sf = (uint8_t)q;
    in->rd = (uint8_t)f->Rd;
    in->rn = (uint8_t)f->Rn;
    if (f->op) {
        /* INS (element): Q = 1 only; imm4<size-1:0> are ignored. */
        if (!q)
            return false;
        struct elem_loc src = elem_loc(esize, imm4 >> size);
        in->ra = (uint8_t)src.word;
        in->flags = (uint8_t)src.shift;
        in->fn = exec_INS_elem;
        return true;
    }
    switch (imm4) {
    case 0: /* DUP (element); size:Q = 110 is reserved */
    case 1: /* DUP (general) */
        if (size == 3 && !q)
            return false;
        in->imm = (int64_t)(~0ull / loc.mask);
        if (imm4 == 0) {
            in->fn = exec_DUP_elem;
        } else {
            in->rn = reg_zr(f->Rn);
            in->fn = exec_DUP_gen;
        }
        return true;
    case 3: /* INS (general): Q = 1 only */
        if (!q)
            return false;
        in->rn = reg_zr(f->Rn);
        in->fn = exec_INS_gen;
        return true;
    case 5: /* SMOV: Q:imm5 = xxxxx1 (B), xxxx10 (H), 1xx100 (S) */
        if (size == 3 || (size == 2 && !q))
            return false;
        in->rd = reg_zr_dst(f->Rd);
        in->imm = 64 - 8 * (int64_t)esize;
        in->fn = exec_SMOV;
        return true;
    case 7: /* UMOV: Q:imm5 = 0xxxx1, 0xxx10, 0xx100, 1x1000 */
        if (q != (size == 3))
            return false;
        in->rd = reg_zr_dst(f->Rd);
        in->fn = exec_UMOV;
        return true;
    default: return false;
    }
}

/* C4.1.95 "Advanced SIMD scalar copy": only DUP (element), op = 0, imm4 = 0000. */
bool trans_SIMD_scalar_copy(struct insn *in, const struct insn_fields *f)
{
    unsigned imm5 = f->imm;
    if (f->op || f->opcode != 0 || (imm5 & 15) == 0)
        return false;
    unsigned size = (unsigned)__builtin_ctz(imm5);
    set_elem_operands(in, elem_loc(1u << size, imm5 >> (size + 1)));
    in->rd = (uint8_t)f->Rd;
    in->rn = (uint8_t)f->Rn;
    in->fn = exec_DUP_scalar;
    return true;
}

/* ---- AdvSIMD modified immediate ----
 * imm = the 64-bit immediate (inverted for MVNI and BIC), sf = Q. */

static void exec_MOVI(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    uint64_t x = (uint64_t)in->imm;
    union vreg out = {.d = {x, in->sf ? x : 0}};
    c->v[in->rd] = out;
    insn_next(c, in);
}

static void exec_ORR_vi(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    union vreg *v = &c->v[in->rd];
    uint64_t x = (uint64_t)in->imm;
    v->d[0] |= x;
    v->d[1] = in->sf ? v->d[1] | x : 0;
    insn_next(c, in);
}

/* BIC: AND with the inverted immediate. */
static void exec_AND_vi(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    union vreg *v = &c->v[in->rd];
    uint64_t x = (uint64_t)in->imm;
    v->d[0] &= x;
    v->d[1] = in->sf ? v->d[1] & x : 0;
    insn_next(c, in);
}

static uint64_t replicate32(uint64_t x)
{
    return x << 32 | (uint32_t)x;
}

static uint64_t replicate16(uint64_t x)
{
    return (x & 0xffff) * 0x0001000100010001ull;
}

/* AdvSIMDExpandImm (Arm ARM shared pseudocode). */
static uint64_t adv_simd_expand_imm(unsigned op, unsigned cmode, uint64_t imm8)
{
    switch (cmode >> 1) {
    case 0: return replicate32(imm8);
    case 1: return replicate32(imm8 << 8);
    case 2: return replicate32(imm8 << 16);
    case 3: return replicate32(imm8 << 24);
    case 4: return replicate16(imm8);
    case 5: return replicate16(imm8 << 8);
    case 6: /* shifting ones */
        return replicate32((cmode & 1) ? imm8 << 16 | 0xffff : imm8 << 8 | 0xff);
    default: break;
    }
    uint64_t b7 = imm8 >> 7 & 1, b6 = imm8 >> 6 & 1, low6 = imm8 & 0x3f;
    if (!(cmode & 1) && !op)
        return (imm8 & 0xff) * 0x0101010101010101ull;
    if (!(cmode & 1)) { /* each bit of imm8 to a byte */
        uint64_t x = 0;
        for (unsigned i = 0; i < 8; i++)
            if (imm8 >> i & 1)
                x |= 0xffull << (8 * i);
        return x;
    }
    if (!op) { /* imm8<7>:NOT(imm8<6>):Replicate(imm8<6>,5):imm8<5:0>:Zeros(19) */
        uint64_t s = b7 << 31 | (b6 ^ 1) << 30 | (b6 ? 0x1full << 25 : 0) | low6 << 19;
        return replicate32(s);
    }
    /* imm8<7>:NOT(imm8<6>):Replicate(imm8<6>,8):imm8<5:0>:Zeros(48) */
    return b7 << 63 | (b6 ^ 1) << 62 | (b6 ? 0xffull << 54 : 0) | low6 << 48;
}

/* C4.1.95 "Advanced SIMD modified immediate": Q, op, cmode, o2. */
bool trans_SIMD_mod_imm(struct insn *in, const struct insn_fields *f)
{
    unsigned op = f->op, cmode = f->cmode;
    /* o2 = 1 is FMOV (vector, immediate) half-precision (FEAT_FP16, not
     * advertised) or unallocated; FMOV Dd (op = 1, cmode = 1111, Q = 0)
     * is unallocated here (it is in the scalar FP class). */
    if (f->o2 || (op && cmode == 15 && !f->Q))
        return false;
    uint64_t imm = adv_simd_expand_imm(op, cmode, f->imm);
    in->rd = (uint8_t)f->Rd;
    in->sf = (uint8_t)f->Q;
    if (cmode < 12 && (cmode & 1)) { /* 0xx1, 10x1: ORR, BIC */
        in->imm = (int64_t)(op ? ~imm : imm);
        in->fn = op ? exec_AND_vi : exec_ORR_vi;
    } else { /* 0xx0, 10x0, 110x: MOVI, MVNI; 111x: MOVI, FMOV */
        in->imm = (int64_t)(op && cmode < 14 ? ~imm : imm);
        in->fn = exec_MOVI;
    }
    return true;
}

/* ---- AdvSIMD table lookup ----
 * rn = the first table register, op = how many (1-4). */

/* TBL and TBX: byte I of the result is byte Vm<I> of the table (numbered
 * Vn, Vn+1 mod 32, ...), or, for an index past the table, 0 (TBL) or the
 * destination's byte (TBX). The four registers from Vn are copied whole
 * as 64-bit words (the index decides which bytes count), so that every
 * lookup is a load from initialized memory and a select, no branch. */

/* One 64-bit word of the result: the lookups of the 8 indices in IDX,
 * OLD's bytes where an index is past the table. */
static inline uint64_t lookup_word(const uint8_t *tb, uint64_t idx, uint64_t old, unsigned limit)
{
    uint64_t out = 0;
#pragma GCC unroll 8
    for (unsigned j = 0; j < 8; j++) {
        unsigned k = (idx >> (8 * j)) & 0xff;
        uint64_t byte = k < limit ? tb[k & 63] : (old >> (8 * j)) & 0xff;
        out |= byte << (8 * j);
    }
    return out;
}

static inline void table_lookup(struct cpu *c, const struct insn *in, bool tbx, unsigned bytes)
{
    uint64_t table[8];
#pragma GCC unroll 4
    for (unsigned r = 0; r < 4; r++) {
        table[2 * r] = c->v[(in->rn + r) & 31].d[0];
        table[2 * r + 1] = c->v[(in->rn + r) & 31].d[1];
    }
    const uint8_t *tb = (const uint8_t *)table;
    const union vreg *vm = &c->v[in->rm], *vd = &c->v[in->rd];
    unsigned limit = 16u * in->op;
    uint64_t lo = lookup_word(tb, vm->d[0], tbx ? vd->d[0] : 0, limit);
    uint64_t hi = bytes == 16 ? lookup_word(tb, vm->d[1], tbx ? vd->d[1] : 0, limit) : 0;
    c->v[in->rd].d[0] = lo;
    c->v[in->rd].d[1] = hi;
}

#define TABLE_FN(NAME, TBX, BYTES)                                                                 \
    static void exec_##NAME(struct cpu *c, const struct insn *in)                                  \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        table_lookup(c, in, TBX, BYTES);                                                           \
        insn_next(c, in);                                                                          \
    }
TABLE_FN(TBL_8b, false, 8)
TABLE_FN(TBL_16b, false, 16)
TABLE_FN(TBX_8b, true, 8)
TABLE_FN(TBX_16b, true, 16)

static const insn_fn table_fns[2][2] = {
    {exec_TBL_8b, exec_TBL_16b},
    {exec_TBX_8b, exec_TBX_16b},
};

/* C4.1.95 "Advanced SIMD table lookup": Q, op2, len, op. */
bool trans_SIMD_table(struct insn *in, const struct insn_fields *f)
{
    if (f->op2 != 0)
        return false;
    in->rd = (uint8_t)f->Rd;
    in->rn = (uint8_t)f->Rn;
    in->rm = (uint8_t)f->Rm;
    in->op = (uint8_t)(f->imm + 1);
    in->fn = table_fns[f->op][f->Q];
    return true;
}

/* ---- AdvSIMD permute ---- */

enum perm_kind { PERM_UZP, PERM_TRN, PERM_ZIP };

/* The elements of ESIZE (1, 2 or 4) bytes of the 32-bit X spread over
 * 64 bits, a gap of one element above each (ZIP). */
static inline uint64_t spread(uint64_t x, unsigned esize)
{
    x &= 0xffffffffull;
    if (esize == 4)
        return x;
    x = (x | x << 16) & 0x0000ffff0000ffffull;
    if (esize == 2)
        return x;
    return (x | x << 8) & 0x00ff00ff00ff00ffull;
}

/* The even-numbered ESIZE-byte elements of X packed into 32 bits (UZP). */
static inline uint64_t compress(uint64_t x, unsigned esize)
{
    if (esize == 4)
        return x & 0xffffffffull;
    if (esize == 1) {
        x &= 0x00ff00ff00ff00ffull;
        x = (x | x >> 8) & 0x0000ffff0000ffffull;
    } else {
        x &= 0x0000ffff0000ffffull;
    }
    return (x | x >> 16) & 0xffffffffull;
}

/* The even-numbered ESIZE-byte elements of a 64-bit word, as a mask. */
static inline uint64_t even_mask(unsigned esize)
{
    return esize == 1   ? 0x00ff00ff00ff00ffull
           : esize == 2 ? 0x0000ffff0000ffffull
                        : 0x00000000ffffffffull;
}

/* TRN1 (PART 0) or TRN2 (PART 1) of one 64-bit word of each operand. */
static inline uint64_t transpose(uint64_t n, uint64_t m, unsigned part, unsigned esize)
{
    uint64_t even = even_mask(esize);
    unsigned sh = 8 * esize;
    return part ? ((n >> sh) & even) | (m & ~even) : (n & even) | (m & even) << sh;
}

/* UZP1/2, TRN1/2, ZIP1/2 (C7.2) on BYTES-byte registers of ESIZE-byte
 * elements; PART is 0 for the "1" forms, 1 for the "2" forms. The
 * elements move as bit fields of 64-bit words (spread, compress, masks),
 * a few operations per word whatever the element size. With 8-byte
 * elements (Q = 1 only) every one of them is {n0, m0} or {n1, m1}. */
static inline void permute(struct cpu *c, const struct insn *in, enum perm_kind kind, unsigned part,
                           unsigned esize, unsigned bytes)
{
    const uint64_t n0 = c->v[in->rn].d[0], n1 = c->v[in->rn].d[1];
    const uint64_t m0 = c->v[in->rm].d[0], m1 = c->v[in->rm].d[1];
    unsigned sh = 8 * esize;
    uint64_t lo, hi = 0;
    if (esize == 8) {
        lo = part ? n1 : n0;
        hi = part ? m1 : m0;
    } else if (kind == PERM_UZP) { /* the even (odd) elements of Vm:Vn */
        unsigned s = part * sh;
        if (bytes == 16) {
            lo = compress(n0 >> s, esize) | compress(n1 >> s, esize) << 32;
            hi = compress(m0 >> s, esize) | compress(m1 >> s, esize) << 32;
        } else {
            lo = compress(n0 >> s, esize) | compress(m0 >> s, esize) << 32;
        }
    } else if (kind == PERM_TRN) {
        lo = transpose(n0, m0, part, esize);
        if (bytes == 16)
            hi = transpose(n1, m1, part, esize);
    } else if (bytes == 16) { /* ZIP: the low (high) halves interleaved */
        uint64_t n = part ? n1 : n0, m = part ? m1 : m0;
        lo = spread(n, esize) | spread(m, esize) << sh;
        hi = spread(n >> 32, esize) | spread(m >> 32, esize) << sh;
    } else {
        unsigned half = 32 * part;
        lo = spread(n0 >> half, esize) | spread(m0 >> half, esize) << sh;
    }
    c->v[in->rd].d[0] = lo;
    c->v[in->rd].d[1] = hi;
}

#define PERM_FN(NAME, KIND, PART, ESIZE, BYTES)                                                    \
    static void exec_##NAME##_##ESIZE##_##BYTES(struct cpu *c, const struct insn *in)              \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        permute(c, in, KIND, PART, ESIZE, BYTES);                                                  \
        insn_next(c, in);                                                                          \
    }
#define PERM_FNS(NAME, KIND, PART)                                                                 \
    PERM_FN(NAME, KIND, PART, 1, 8)                                                                \
    PERM_FN(NAME, KIND, PART, 1, 16)                                                               \
    PERM_FN(NAME, KIND, PART, 2, 8)                                                                \
    PERM_FN(NAME, KIND, PART, 2, 16)                                                               \
    PERM_FN(NAME, KIND, PART, 4, 8)                                                                \
    PERM_FN(NAME, KIND, PART, 4, 16)                                                               \
    PERM_FN(NAME, KIND, PART, 8, 16)
PERM_FNS(UZP1, PERM_UZP, 0)
PERM_FNS(UZP2, PERM_UZP, 1)
PERM_FNS(TRN1, PERM_TRN, 0)
PERM_FNS(TRN2, PERM_TRN, 1)
PERM_FNS(ZIP1, PERM_ZIP, 0)
PERM_FNS(ZIP2, PERM_ZIP, 1)

/* [opcode][size][Q]; opcode 000 and 100 are unallocated, size:Q = 110 reserved. */
#define PERM_ROW(NAME)                                                                             \
    {                                                                                              \
        {exec_##NAME##_1_8, exec_##NAME##_1_16}, {exec_##NAME##_2_8, exec_##NAME##_2_16},          \
            {exec_##NAME##_4_8, exec_##NAME##_4_16}, {NULL, exec_##NAME##_8_16},                   \
    }
static const insn_fn permute_fns[8][4][2] = {
    [1] = PERM_ROW(UZP1), [2] = PERM_ROW(TRN1), [3] = PERM_ROW(ZIP1),
    [5] = PERM_ROW(UZP2), [6] = PERM_ROW(TRN2), [7] = PERM_ROW(ZIP2),
};

/* C4.1.95 "Advanced SIMD permute": Q, size, opcode. */
bool trans_SIMD_permute(struct insn *in, const struct insn_fields *f)
{
    insn_fn fn = permute_fns[f->opcode][f->size][f->Q];
    if (!fn)
        return false;
    in->rd = (uint8_t)f->Rd;
    in->rn = (uint8_t)f->Rn;
    in->rm = (uint8_t)f->Rm;
    in->fn = fn;
    return true;
}

/* ---- AdvSIMD extract ----
 * EXT: the register-sized window of Vm:Vn starting at byte imm. */

/* Bits SHIFT+63..SHIFT of the 128-bit value HI:LO (SHIFT < 64; the
 * double shift of HI makes SHIFT = 0 need no test). */
static inline uint64_t funnel(uint64_t lo, uint64_t hi, unsigned shift)
{
    return lo >> shift | (hi << 1) << (63 - shift);
}

/* EXT, 16 bytes, starting in Vn (imm < 8) or in Vn's upper half (imm >= 8). */
static void exec_EXT_16b_lo(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    const union vreg *n = &c->v[in->rn];
    uint64_t m0 = c->v[in->rm].d[0];
    unsigned shift = 8 * (unsigned)in->imm;
    uint64_t lo = funnel(n->d[0], n->d[1], shift), hi = funnel(n->d[1], m0, shift);
    c->v[in->rd].d[0] = lo;
    c->v[in->rd].d[1] = hi;
    insn_next(c, in);
}

static void exec_EXT_16b_hi(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    const union vreg *m = &c->v[in->rm];
    uint64_t n1 = c->v[in->rn].d[1];
    unsigned shift = 8 * ((unsigned)in->imm - 8);
    uint64_t lo = funnel(n1, m->d[0], shift), hi = funnel(m->d[0], m->d[1], shift);
    c->v[in->rd].d[0] = lo;
    c->v[in->rd].d[1] = hi;
    insn_next(c, in);
}

static void exec_EXT_8b(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    uint64_t x = funnel(c->v[in->rn].d[0], c->v[in->rm].d[0], 8 * (unsigned)in->imm);
    c->v[in->rd].d[0] = x;
    c->v[in->rd].d[1] = 0;
    insn_next(c, in);
}

/* C4.1.95 "Advanced SIMD extract": Q, op2, imm4 (< 8 when Q = 0). */
bool trans_SIMD_extract(struct insn *in, const struct insn_fields *f)
{
    if (f->op2 != 0 || (!f->Q && (f->imm & 8)))
        return false;
    in->rd = (uint8_t)f->Rd;
    in->rn = (uint8_t)f->Rn;
    in->rm = (uint8_t)f->Rm;
    in->imm = f->imm;
    in->fn = !f->Q ? exec_EXT_8b : f->imm < 8 ? exec_EXT_16b_lo : exec_EXT_16b_hi;
    return true;
}
