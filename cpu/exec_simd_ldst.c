/* Advanced SIMD structure loads and stores (Arm ARM C4.1.88 in the
 * encoding index, C7.2 for each instruction): LD1-LD4 and ST1-ST4 of
 * multiple structures (1-4 whole registers) and of a single structure (one
 * lane of 1-4 registers), LD1R-LD4R, each with no offset or post-index
 * (by Xm, or by the transfer size when Rm = 31).
 *
 * The model:
 * - Registers of a list are numbered modulo 32 (V31 is followed by V0).
 * - Every element is an access of its own size, aligned to that size only
 *   (Device memory and SCTLR_ELx.A fault an access unaligned to it). A
 *   multiple-structure transfer is an image of 8 to 64 contiguous bytes:
 *   when its elements are aligned and it lies in one page of RAM that the
 *   TLB's fast path reaches, it is one host copy (the same bytes, and no
 *   element access could fault or reach a device); otherwise element by
 *   element, so that a device sees accesses of the element size. The
 *   interleaving of LD2-LD4/ST2-ST4 happens between that image and the
 *   registers.
 * - All or nothing: a load writes its registers, and any instruction its
 *   base, only once every access has succeeded. A store that faults
 *   part-way has written the elements before the fault (the bytes of a
 *   faulting store are UNKNOWN architecturally).
 * - A single-structure load writes each of its registers whole: the lane
 *   loaded, the other lanes kept, also when Q = 0 (the pseudocode writes
 *   back the 128-bit value it read). LD1R-LD4R write the replicated
 *   element to the register size and clear the rest when Q = 0.
 *
 * Handlers are stamped out per instruction, register count, element size
 * and (for the multiple structures) register size, so that their loops
 * have constant trip counts. Operands in struct insn: rd = Vt, rn = the
 * base's slot, rm = Xm's slot for post-index by register (else XZR, which
 * reads zero), imm = the post-index immediate (the transfer size when
 * Rm = 31, else 0), size = the element size in bytes, imm2 = the lane
 * index (single structure), sf = Q (LD1R-LD4R), flags = F_LOAD | F_WBACK.
 */
#include "cpu/decode.h"
#include "cpu/simd.h"

#define X(r) (c->x[(r)])

#define F_LOAD  0x01
#define F_WBACK 0x02

/* The bodies the handlers are stamped from: inlined into each, so that the
 * element size and the structure count are constants there. */
#define STAMPED static inline __attribute__((always_inline))

static void __attribute__((noinline))
sp_alignment_fault(struct cpu *c, const struct insn *in, uint64_t base)
{
    cpu_raise_fault(c, FAULT_SP_ALIGNMENT, base, in->size, !(in->flags & F_LOAD));
}

/* A base of SP must be 16-byte aligned when the check is enabled (as
 * exec_fpldst.c checks it). */
STAMPED bool check_sp(struct cpu *c, const struct insn *in, uint64_t base)
{
    if (__builtin_expect(in->rn == REG_SP, 0) && (base & 15) && sp_alignment_checked(c)) {
        sp_alignment_fault(c, in, base);
        return false;
    }
    return true;
}

/* Post-index writeback: base + Xm, or base + the transfer size. */
STAMPED void writeback(struct cpu *c, const struct insn *in, uint64_t base)
{
    if (in->flags & F_WBACK)
        X(in->rn) = base + X(in->rm) + (uint64_t)in->imm;
}

/* ---- multiple structures ----
 * The transfer's memory image is kept as 64-bit words, and the
 * interleaving works on those words, never through byte copies: the image
 * and the registers are written and read 8 bytes at a time, so that no
 * load waits on narrower stores to the same bytes. */

/* Read TOTAL bytes (a multiple of 8) at VA into IMG element by element. */
STAMPED bool read_elems(struct cpu *c, uint64_t va, uint64_t *img, unsigned total, unsigned esize)
{
    uint64_t x;
    for (unsigned k = 0; k < total; k += esize) {
        if (!mem_read(c, va + k, esize, &x))
            return false;
        memcpy((uint8_t *)img + k, &x, esize);
    }
    return true;
}

STAMPED bool write_elems(struct cpu *c, uint64_t va, const uint64_t *img, unsigned total,
                         unsigned esize)
{
    uint64_t x = 0;
    for (unsigned k = 0; k < total; k += esize) {
        memcpy(&x, (const uint8_t *)img + k, esize);
        if (!mem_write(c, va + k, esize, x))
            return false;
    }
    return true;
}

/* The host address of [VA, VA + TOTAL) when it lies in one page of RAM
 * whose TLB entry the fast path may use for this direction (no device, no
 * decoded code or exclusive mark to notice a store, no fault possible),
 * else NULL. There, accesses of any size read and write the same bytes. */
STAMPED uint8_t *fast_range(const struct cpu *c, uint64_t va, unsigned total, bool write)
{
    if (((va ^ (va + total - 1)) & PAGE_MASK) != 0)
        return NULL;
    const struct tlb_entry *e = &c->tlb[(va >> PAGE_BITS) & (TLB_ENTRIES - 1)];
    if ((write ? e->write_tag : e->read_tag) != (va & PAGE_MASK))
        return NULL;
    return (uint8_t *)(uintptr_t)(va + e->addend);
}

/* Read TOTAL bytes at VA into IMG: one copy when every element is aligned
 * to its size and the range is RAM the TLB reads directly (the same bytes
 * element accesses would read, and none of them could fault); otherwise
 * element by element, each access of ESIZE bytes (a constant everywhere
 * but in LD1/ST1, where the switch picks the loop once). */
STAMPED bool image_read(struct cpu *c, uint64_t va, uint64_t *img, unsigned total, unsigned esize)
{
    const uint8_t *p = (va & (esize - 1)) ? NULL : fast_range(c, va, total, false);
    if (p) {
        memcpy(img, p, total);
        return true;
    }
    switch (esize) {
    case 1: return read_elems(c, va, img, total, 1);
    case 2: return read_elems(c, va, img, total, 2);
    case 4: return read_elems(c, va, img, total, 4);
    default: return read_elems(c, va, img, total, 8);
    }
}

STAMPED bool image_write(struct cpu *c, uint64_t va, const uint64_t *img, unsigned total,
                         unsigned esize)
{
    uint8_t *p = (va & (esize - 1)) ? NULL : fast_range(c, va, total, true);
    if (p) {
        memcpy(p, img, total);
        return true;
    }
    switch (esize) {
    case 1: return write_elems(c, va, img, total, 1);
    case 2: return write_elems(c, va, img, total, 2);
    case 4: return write_elems(c, va, img, total, 4);
    default: return write_elems(c, va, img, total, 8);
    }
}

/* Element K, of ESIZE bytes, of the little-endian words W. */
static inline uint64_t words_elem(const uint64_t *w, unsigned k, unsigned esize)
{
    unsigned bit = 8 * esize * k;
    uint64_t x = w[bit / 64] >> (bit % 64);
    return esize == 8 ? x : x & ((1ull << (8 * esize)) - 1);
}

/* Word W of register S of an LD<SELEM> from IMG: its elements are the
 * image's elements e * SELEM + S. */
STAMPED uint64_t deinterleave(const uint64_t *img, unsigned s, unsigned w, unsigned selem,
                              unsigned esize)
{
    uint64_t x = 0;
    for (unsigned j = 0; j < 8; j++) { /* 8 / ESIZE elements per word */
        unsigned e = w * (8 / esize) + j;
        if (j < 8 / esize)
            x |= words_elem(img, e * selem + s, esize) << (8 * esize * j);
    }
    return x;
}

/* Word M of the image of an ST<SELEM> of the registers from VT: image
 * element k is element k / SELEM of register VT + k % SELEM. */
STAMPED uint64_t interleave(const struct cpu *c, unsigned vt, unsigned m, unsigned selem,
                            unsigned esize)
{
    uint64_t x = 0;
    for (unsigned j = 0; j < 8; j++) { /* 8 / ESIZE elements per word */
        unsigned k = m * (8 / esize) + j;
        if (j < 8 / esize)
            x |= words_elem(c->v[(vt + k % selem) & 31].d, k / selem, esize) << (8 * esize * j);
    }
    return x;
}

/* LD1-LD4 (multiple structures) of NREGS registers of WORDS 64-bit words:
 * SELEM registers interleaved element by element (LD2-LD4), or whole
 * registers one after the other (LD1, SELEM = 1). The registers are
 * written once every access has succeeded. */
STAMPED void load_multiple(struct cpu *c, const struct insn *in, unsigned selem, unsigned esize,
                           unsigned nregs, unsigned words)
{
    if (!fp_enabled(c))
        return;
    uint64_t base = X(in->rn), img[8];
    if (!check_sp(c, in, base) || !image_read(c, base, img, 8 * nregs * words, esize))
        return;
    for (unsigned r = 0; r < nregs; r++) {
        union vreg *v = &c->v[(in->rd + r) & 31];
        if (selem == 1) {
            v->d[0] = img[words * r];
            v->d[1] = words == 2 ? img[words * r + 1] : 0;
        } else {
            v->d[0] = deinterleave(img, r, 0, selem, esize);
            v->d[1] = words == 2 ? deinterleave(img, r, 1, selem, esize) : 0;
        }
    }
    writeback(c, in, base);
    insn_next(c, in);
}

STAMPED void store_multiple(struct cpu *c, const struct insn *in, unsigned selem, unsigned esize,
                            unsigned nregs, unsigned words)
{
    if (!fp_enabled(c))
        return;
    uint64_t base = X(in->rn), img[8];
    for (unsigned m = 0; m < nregs * words; m++) {
        if (selem == 1)
            img[m] = c->v[(in->rd + m / words) & 31].d[m % words];
        else
            img[m] = interleave(c, in->rd, m, selem, esize);
    }
    if (!check_sp(c, in, base) || !image_write(c, base, img, 8 * nregs * words, esize))
        return;
    writeback(c, in, base);
    insn_next(c, in);
}

/* LD1/ST1 of RPT registers of Q ? 16 : 8 bytes; the element size matters
 * only to the element-by-element path. */
#define LD1_ST1_FNS(RPT, Q)                                                                        \
    static void exec_LD1_##RPT##_q##Q(struct cpu *c, const struct insn *in)                        \
    {                                                                                              \
        load_multiple(c, in, 1, in->size, RPT, Q + 1);                                             \
    }                                                                                              \
    static void exec_ST1_##RPT##_q##Q(struct cpu *c, const struct insn *in)                        \
    {                                                                                              \
        store_multiple(c, in, 1, in->size, RPT, Q + 1);                                            \
    }
LD1_ST1_FNS(1, 0)
LD1_ST1_FNS(1, 1)
LD1_ST1_FNS(2, 0)
LD1_ST1_FNS(2, 1)
LD1_ST1_FNS(3, 0)
LD1_ST1_FNS(3, 1)
LD1_ST1_FNS(4, 0)
LD1_ST1_FNS(4, 1)

/* [L][rpt - 1][Q] */
static const insn_fn ld1_st1_fns[2][4][2] = {
    {{exec_ST1_1_q0, exec_ST1_1_q1},
     {exec_ST1_2_q0, exec_ST1_2_q1},
     {exec_ST1_3_q0, exec_ST1_3_q1},
     {exec_ST1_4_q0, exec_ST1_4_q1}},
    {{exec_LD1_1_q0, exec_LD1_1_q1},
     {exec_LD1_2_q0, exec_LD1_2_q1},
     {exec_LD1_3_q0, exec_LD1_3_q1},
     {exec_LD1_4_q0, exec_LD1_4_q1}},
};

/* LD2-LD4/ST2-ST4 of SELEM registers of ESIZE-byte elements, Q ? 16 : 8
 * bytes each. */
#define INTERLEAVED_FNS(SELEM, ESIZE, Q)                                                           \
    static void exec_LD##SELEM##_e##ESIZE##_q##Q(struct cpu *c, const struct insn *in)             \
    {                                                                                              \
        load_multiple(c, in, SELEM, ESIZE, SELEM, Q + 1);                                          \
    }                                                                                              \
    static void exec_ST##SELEM##_e##ESIZE##_q##Q(struct cpu *c, const struct insn *in)             \
    {                                                                                              \
        store_multiple(c, in, SELEM, ESIZE, SELEM, Q + 1);                                         \
    }
#define INTERLEAVED_SIZES(SELEM)                                                                   \
    INTERLEAVED_FNS(SELEM, 1, 0)                                                                   \
    INTERLEAVED_FNS(SELEM, 1, 1)                                                                   \
    INTERLEAVED_FNS(SELEM, 2, 0)                                                                   \
    INTERLEAVED_FNS(SELEM, 2, 1)                                                                   \
    INTERLEAVED_FNS(SELEM, 4, 0)                                                                   \
    INTERLEAVED_FNS(SELEM, 4, 1)                                                                   \
    INTERLEAVED_FNS(SELEM, 8, 1)
INTERLEAVED_SIZES(2)
INTERLEAVED_SIZES(3)
INTERLEAVED_SIZES(4)

/* [size][Q]; size:Q = 110 (1D) does not exist for LD2-LD4/ST2-ST4. */
#define INTERLEAVED_ROW(OP, SELEM)                                                                 \
    {                                                                                              \
        {exec_##OP##SELEM##_e1_q0, exec_##OP##SELEM##_e1_q1},                                      \
            {exec_##OP##SELEM##_e2_q0, exec_##OP##SELEM##_e2_q1},                                  \
            {exec_##OP##SELEM##_e4_q0, exec_##OP##SELEM##_e4_q1},                                  \
            {NULL, exec_##OP##SELEM##_e8_q1},                                                      \
    }
/* [L][selem - 2][size][Q] */
static const insn_fn interleaved_fns[2][3][4][2] = {
    {INTERLEAVED_ROW(ST, 2), INTERLEAVED_ROW(ST, 3), INTERLEAVED_ROW(ST, 4)},
    {INTERLEAVED_ROW(LD, 2), INTERLEAVED_ROW(LD, 3), INTERLEAVED_ROW(LD, 4)},
};

/* Fill the operands shared by both classes: base, writeback, load/store. */
static void structure_operands(struct insn *in, const struct insn_fields *f, unsigned transfer)
{
    in->rd = (uint8_t)f->Rt;
    in->rn = reg_sp(f->Rn);
    in->rm = REG_ZR;
    in->flags = f->L ? F_LOAD : 0;
    if (f->op) {
        in->flags |= F_WBACK;
        if (f->Rm == 31)
            in->imm = transfer;
        else
            in->rm = reg_zr(f->Rm);
    }
    if (!f->L)
        in->cost = COST_STORE;
}

/* C4.1.88 "Advanced SIMD load/store multiple structures" and its
 * post-indexed form: Q, L, opcode, size; Rm = 00000 without post-index. */
bool trans_SIMD_LDST_multiple(struct insn *in, const struct insn_fields *f)
{
    unsigned rpt, selem;
    if (!f->op && f->Rm != 0)
        return false;
    switch (f->opcode) {
    case 0: rpt = 1, selem = 4; break;  /* LD4/ST4 */
    case 2: rpt = 4, selem = 1; break;  /* LD1/ST1, 4 registers */
    case 4: rpt = 1, selem = 3; break;  /* LD3/ST3 */
    case 6: rpt = 3, selem = 1; break;  /* LD1/ST1, 3 registers */
    case 7: rpt = 1, selem = 1; break;  /* LD1/ST1, 1 register */
    case 8: rpt = 1, selem = 2; break;  /* LD2/ST2 */
    case 10: rpt = 2, selem = 1; break; /* LD1/ST1, 2 registers */
    default: return false;
    }
    /* size:Q = 110 (1D) exists for LD1/ST1 only. */
    if (f->size == 3 && !f->Q && selem != 1)
        return false;
    unsigned bytes = f->Q ? 16 : 8, nregs = rpt * selem;
    structure_operands(in, f, nregs * bytes);
    in->size = (uint8_t)(1u << f->size);
    in->fn = selem == 1 ? ld1_st1_fns[f->L][rpt - 1][f->Q]
                        : interleaved_fns[f->L][selem - 2][f->size][f->Q];
    return true;
}

/* ---- single structure ----
 * SELEM registers from rd, elements of ESIZE bytes (both constants of the
 * stamped handlers); imm2 = the lane index; sf = Q (LD1R-LD4R). */

/* LD1-LD4 (single structure): the lane of each register, the rest kept. */
STAMPED void load_single(struct cpu *c, const struct insn *in, unsigned selem, unsigned esize)
{
    if (!fp_enabled(c))
        return;
    uint64_t base = X(in->rn), x[4];
    unsigned lane = (unsigned)in->imm2;
    if (!check_sp(c, in, base))
        return;
    for (unsigned s = 0; s < selem; s++)
        if (!mem_read(c, base + s * esize, esize, &x[s]))
            return;
    for (unsigned s = 0; s < selem; s++)
        vreg_set_elem(&c->v[(in->rd + s) & 31], lane, esize, x[s]);
    writeback(c, in, base);
    insn_next(c, in);
}

STAMPED void store_single(struct cpu *c, const struct insn *in, unsigned selem, unsigned esize)
{
    if (!fp_enabled(c))
        return;
    uint64_t base = X(in->rn);
    unsigned lane = (unsigned)in->imm2;
    if (!check_sp(c, in, base))
        return;
    for (unsigned s = 0; s < selem; s++) {
        uint64_t x = vreg_elem(&c->v[(in->rd + s) & 31], lane, esize);
        if (!mem_write(c, base + s * esize, esize, x))
            return;
    }
    writeback(c, in, base);
    insn_next(c, in);
}

/* LD1R-LD4R: each element repeated across its register (~0 / mask is
 * the constant that repeats an element of that width over 64 bits). */
STAMPED void load_replicate(struct cpu *c, const struct insn *in, unsigned selem, unsigned esize)
{
    if (!fp_enabled(c))
        return;
    uint64_t base = X(in->rn), x[4];
    const uint64_t mul = esize == 8 ? 1 : ~0ull / ((1ull << (8 * esize)) - 1);
    if (!check_sp(c, in, base))
        return;
    for (unsigned s = 0; s < selem; s++)
        if (!mem_read(c, base + s * esize, esize, &x[s]))
            return;
    for (unsigned s = 0; s < selem; s++) {
        union vreg *v = &c->v[(in->rd + s) & 31];
        v->d[0] = x[s] * mul;
        v->d[1] = in->sf ? x[s] * mul : 0;
    }
    writeback(c, in, base);
    insn_next(c, in);
}

#define SINGLE_FNS(SELEM, ESIZE)                                                                   \
    static void exec_LD##SELEM##_s##ESIZE(struct cpu *c, const struct insn *in)                    \
    {                                                                                              \
        load_single(c, in, SELEM, ESIZE);                                                          \
    }                                                                                              \
    static void exec_ST##SELEM##_s##ESIZE(struct cpu *c, const struct insn *in)                    \
    {                                                                                              \
        store_single(c, in, SELEM, ESIZE);                                                         \
    }                                                                                              \
    static void exec_LD##SELEM##R_s##ESIZE(struct cpu *c, const struct insn *in)                   \
    {                                                                                              \
        load_replicate(c, in, SELEM, ESIZE);                                                       \
    }
#define SINGLE_SIZES(SELEM)                                                                        \
    SINGLE_FNS(SELEM, 1) SINGLE_FNS(SELEM, 2) SINGLE_FNS(SELEM, 4) SINGLE_FNS(SELEM, 8)
SINGLE_SIZES(1)
SINGLE_SIZES(2)
SINGLE_SIZES(3)
SINGLE_SIZES(4)

#define SINGLE_ROW(OP, SELEM, R)                                                                   \
    {                                                                                              \
        exec_##OP##SELEM##R##_s1, exec_##OP##SELEM##R##_s2, exec_##OP##SELEM##R##_s4,              \
            exec_##OP##SELEM##R##_s8                                                               \
    }
#define SINGLE_KIND(OP, R)                                                                         \
    {                                                                                              \
        SINGLE_ROW(OP, 1, R), SINGLE_ROW(OP, 2, R), SINGLE_ROW(OP, 3, R), SINGLE_ROW(OP, 4, R)     \
    }
/* [kind: store, load, replicate][selem - 1][log2 esize] */
static const insn_fn single_fns[3][4][4] = {
    SINGLE_KIND(ST, ),
    SINGLE_KIND(LD, ),
    SINGLE_KIND(LD, R),
};

/* C4.1.88 "Advanced SIMD load/store single structure" and its
 * post-indexed form, decoded as the shared pseudocode of LD1 (single
 * structure) does: scale = opcode<2:1>, selem = opcode<0>:R + 1. */
bool trans_SIMD_LDST_single(struct insn *in, const struct insn_fields *f)
{
    unsigned scale = f->opcode >> 1, selem = ((f->opcode & 1) << 1 | f->R) + 1;
    unsigned q = f->Q, s = f->S, size = f->size, index = 0;
    bool replicate = false;
    if (!f->op && f->Rm != 0)
        return false;
    switch (scale) {
    case 3: /* load and replicate */
        if (!f->L || s)
            return false;
        scale = size;
        replicate = true;
        break;
    case 0: index = q << 3 | s << 2 | size; break; /* B */
    case 1:                                        /* H */
        if (size & 1)
            return false;
        index = q << 2 | s << 1 | size >> 1;
        break;
    default: /* S, or D when size<0> = 1 */
        if (size & 2)
            return false;
        if (size & 1) {
            if (s)
                return false;
            index = q;
            scale = 3;
        } else {
            index = q << 1 | s;
        }
        break;
    }
    unsigned esize = 1u << scale;
    structure_operands(in, f, selem * esize);
    in->size = (uint8_t)esize;
    in->sf = (uint8_t)q;
    in->imm2 = index;
    in->fn = single_fns[replicate ? 2 : f->L][selem - 1][scale];
    return true;
}
