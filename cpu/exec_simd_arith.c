/* Advanced SIMD arithmetic (Arm ARM C4.1.95-C4.1.96): three same, three
 * different and across lanes, and the scalar three same, three different
 * and pairwise classes; integer and single/double-precision FP alike.
 *
 * The model: every handler is specialised at decode time for one
 * operation, one element size E (bits) and one lane count L, so that its
 * loop has a fixed trip count and no switch on the size. The DEF_ macros
 * stamp the variants out from one kernel per operation:
 *
 *   K_op(E, a, b, d, sat)   integer: lane a of Vn, b of Vm and d of Vd,
 *                           in the C types of E-bit lanes (TU(E), ...),
 *                           gives the result lane; sets sat (an unsigned)
 *                           when it saturated, for FPSR.QC;
 *   f_op(&env, e, a, b, d)  FP: the same through cpu/softfloat.h.
 *
 * Integer kernels compute in the lane's own width (twice it where a carry
 * or a product needs it), branch-free where they can, so that the
 * compiler vectorises the lane loops; the rare 64-bit and saturating
 * long forms use 128-bit arithmetic.
 *
 * A handler reads its operands from c->v, computes into a local union
 * vreg and writes it with vreg_write(): a 64-bit (Q = 0) vector, a scalar
 * or a reduction clears the rest of the register; a "2" narrowing form
 * keeps the lower half of Vd. The FP handlers run their loop in a helper
 * kept out of line: the fp_env passed to softfloat has its address taken,
 * which would keep insn_next() from being a tail call.
 *
 * Decoding is table-driven: the trans_ functions index tables of handlers
 * by U:opcode, size and Q, and a NULL entry is an unallocated or reserved
 * word (size:Q = 110 for most integer operations, sz:Q = 10 for FP, the
 * FP16 and FEAT_FHM forms, the 64-bit PMULL of the cryptographic
 * extension).
 */
#include "cpu/decode.h"
#include "cpu/simd.h"

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define UNUSED        __attribute__((unused))
#define HANDLER       static UNUSED void
#define BODY          static UNUSED __attribute__((noinline)) void

/* ---- lanes ---- */

/* The C types of a lane of E bits (8, 16, 32, 64): unsigned, signed, and
 * the unsigned and signed types of twice its width; LM and LMW name the
 * union vreg members of E-bit and 2E-bit lanes. Arithmetic in the lane's
 * own width lets the compiler vectorise the lane loops. */
#define LANE_U_8   uint8_t
#define LANE_S_8   int8_t
#define LANE_UW_8  uint16_t
#define LANE_SW_8  int16_t
#define LANE_M_8   b
#define LANE_MW_8  h
#define LANE_U_16  uint16_t
#define LANE_S_16  int16_t
#define LANE_UW_16 uint32_t
#define LANE_SW_16 int32_t
#define LANE_M_16  h
#define LANE_MW_16 s
#define LANE_U_32  uint32_t
#define LANE_S_32  int32_t
#define LANE_UW_32 uint64_t
#define LANE_SW_32 int64_t
#define LANE_M_32  s
#define LANE_MW_32 d
#define LANE_U_64  uint64_t
#define LANE_S_64  int64_t
#define LANE_UW_64 u128
#define LANE_SW_64 i128
#define LANE_M_64  d
#define TU(E)      LANE_U_##E
#define TS(E)      LANE_S_##E
#define TUW(E)     LANE_UW_##E
#define TSW(E)     LANE_SW_##E
#define LM(E)      LANE_M_##E
#define LMW(E)     LANE_MW_##E
#define EB(E)      ((E) / 8)

ALWAYS_INLINE uint64_t ones(unsigned e)
{
    return e >= 64 ? ~0ull : (1ull << e) - 1;
}

ALWAYS_INLINE int64_t sx(uint64_t x, unsigned e)
{
    return (int64_t)(x << (64 - e)) >> (64 - e);
}

ALWAYS_INLINE uint64_t all_ones_if(bool t)
{
    return t ? ~0ull : 0;
}

/* SignedSatQ(v, E) of a value of twice the lane width (sat_s), and the
 * choice between a wrapped result and its saturated value (sat_pick);
 * branch-free, so that the lane loops vectorise. */
#define DEF_SAT(E)                                                                                 \
    ALWAYS_INLINE TU(E) sat_s##E(TSW(E) v, unsigned *sat)                                          \
    {                                                                                              \
        TSW(E) max = (TSW(E))((TU(E)) ~(TU(E))0 >> 1), min = -max - 1;                             \
        TSW(E) r = v > max ? max : v;                                                              \
        r = r < min ? min : r;                                                                     \
        *sat |= r != v;                                                                            \
        return (TU(E))r;                                                                           \
    }                                                                                              \
    ALWAYS_INLINE TU(E) sat_pick##E(TU(E) r, TU(E) satv, TU(E) ovf, unsigned *sat)                 \
    {                                                                                              \
        *sat |= ovf;                                                                               \
        return ovf ? satv : r;                                                                     \
    }
DEF_SAT(8)
DEF_SAT(16)
DEF_SAT(32)
DEF_SAT(64)

/* SignedSatQ(v, e) for any e <= 64, with v in 128 bits. */
ALWAYS_INLINE uint64_t sat_s128(i128 v, unsigned e, unsigned *sat)
{
    i128 max = (i128)(ones(e) >> 1);
    if (v > max) {
        *sat = 1;
        return (uint64_t)max;
    }
    if (v < -max - 1) {
        *sat = 1;
        return (uint64_t)(-max - 1);
    }
    return (uint64_t)v;
}

/* SignedSatQ(v, e) for e <= 32. */
ALWAYS_INLINE uint64_t sat_s_e(int64_t v, unsigned e, unsigned *sat)
{
    int64_t max = (int64_t)(ones(e) >> 1), min = -max - 1;
    int64_t r = v > max ? max : v;
    r = r < min ? min : r;
    *sat |= r != v;
    return (uint64_t)r;
}

/* PolynomialMult (PMUL, PMULL) on bytes, SWAR: the carry-less products
 * of the byte lanes of A and B, eight partial products of one bit of B
 * each. pmul_bytes keeps the low 8 bits of each product in its byte;
 * pmull_halves takes bytes zero-extended into 16-bit lanes, whose 15-bit
 * products never leave their lane. */
ALWAYS_INLINE uint64_t pmul_bytes(uint64_t a, uint64_t b)
{
    const uint64_t lsb = 0x0101010101010101ull;
    uint64_t r = 0;
    for (unsigned k = 0; k < 8; k++) {
        uint64_t in_byte = lsb * (uint8_t)(0xffu << k); /* the bits a << k keeps in each byte */
        r ^= (a << k) & in_byte & (((b >> k) & lsb) * 0xff);
    }
    return r;
}

ALWAYS_INLINE uint64_t pmull_halves(uint64_t a, uint64_t b)
{
    const uint64_t lsb = 0x0001000100010001ull;
    uint64_t r = 0;
    for (unsigned k = 0; k < 8; k++)
        r ^= (a << k) & (((b >> k) & lsb) * 0xffff);
    return r;
}

/* Four bytes zero-extended into four 16-bit lanes. */
ALWAYS_INLINE uint64_t bytes_to_halves(uint32_t x)
{
    uint64_t t = x;
    t = (t | t << 16) & 0x0000ffff0000ffffull;
    return (t | t << 8) & 0x00ff00ff00ff00ffull;
}

/* The register shifts (SSHL, USHL, SRSHL, URSHL, SQSHL, UQSHL, SQRSHL,
 * UQRSHL): A shifted by the signed low byte of B, left when positive,
 * right when negative; the pseudocode's unbounded integer
 * (Int(A) + round_const) << shift, with round_const = 2^(-shift-1) for a
 * rounding right shift. A right shift never saturates, and rounds to 0
 * once the shift exceeds the width (signed: reaches it). */
ALWAYS_INLINE uint64_t shl_reg64(uint64_t a, int shift, bool is_signed, bool round, bool saturate,
                                 unsigned *sat)
{
    if (shift >= 0) {
        if (!saturate)
            return shift >= 64 ? 0 : a << shift;
        if (a == 0)
            return 0;
        if (is_signed) {
            if (shift >= 64) {
                *sat = 1;
                return (int64_t)a < 0 ? 1ull << 63 : ~0ull >> 1;
            }
            return sat_s64((i128)((u128)(i128)(int64_t)a << shift), sat);
        }
        if (shift >= 64 || (shift > 0 && a >> (64 - shift) != 0)) {
            *sat = 1;
            return ~0ull;
        }
        return a << shift;
    }
    unsigned n = (unsigned)-shift; /* 1 to 128 */
    if (is_signed) {
        if (!round)
            return (uint64_t)((int64_t)a >> (n >= 64 ? 63 : n));
        if (n >= 64)
            return 0;
        return (uint64_t)(((i128)(int64_t)a + ((i128)1 << (n - 1))) >> n);
    }
    if (!round)
        return n >= 64 ? 0 : a >> n;
    if (n > 64)
        return 0;
    return (uint64_t)(((u128)a + ((u128)1 << (n - 1))) >> n);
}

/* The same for E <= 32, in 64 bits. */
ALWAYS_INLINE uint64_t shl_reg(uint64_t a, uint64_t b, unsigned e, bool is_signed, bool round,
                               bool saturate, unsigned *sat)
{
    int shift = (int8_t)b;
    if (e == 64)
        return shl_reg64(a, shift, is_signed, round, saturate, sat);
    int64_t v = is_signed ? sx(a, e) : (int64_t)a;
    if (shift >= 0) {
        if (!saturate)
            return shift >= (int)e ? 0 : a << shift;
        /* |v| < 2^32 shifted by at most E <= 32 fits 64 bits (unsigned). */
        unsigned s = shift > (int)e ? e : (unsigned)shift;
        if (is_signed)
            return sat_s_e((int64_t)((uint64_t)v << s), e, sat);
        uint64_t r = a << s;
        *sat |= r > ones(e);
        return r > ones(e) ? ones(e) : r;
    }
    unsigned n = (unsigned)-shift; /* 1 to 128 */
    if (!round)
        return (uint64_t)(v >> (n > 63 ? 63 : n));
    if (n > e)
        return 0;
    return (uint64_t)((v + (1ll << (n - 1))) >> n);
}

/* SQDMULL, SQDMLAL, SQDMLSL on E-bit A and B and 2E-bit D:
 * SignedSatQ(2AB, 2E), then the saturated accumulation (either
 * saturation sets QC). */
ALWAYS_INLINE i128 sqdmull_q(uint64_t a, uint64_t b, unsigned e, unsigned *sat)
{
    i128 p = (i128)(sx(a, e) * sx(b, e)) * 2;
    return (i128)sx(sat_s128(p, 2 * e, sat), 2 * e);
}

ALWAYS_INLINE uint64_t sqdmlal_q(uint64_t d, uint64_t a, uint64_t b, unsigned e, bool sub,
                                 unsigned *sat)
{
    i128 p = sqdmull_q(a, b, e, sat);
    return sat_s128((i128)sx(d, 2 * e) + (sub ? -p : p), 2 * e, sat);
}

/* ---- integer kernels: K_op(E, a, b, d, sat) is lane a OP lane b (and
 * the destination's lane d, for the accumulating ones), E-bit lanes
 * (the three-different ones: see there); sat is set on saturation ---- */

#define ONES_IF(E, t) ((TU(E)) - (TU(E))(t))

/* Halving adds and subtracts, in twice the width. */
#define K_shadd(E, a, b, d, sat)  (TU(E))(((TSW(E))(TS(E))(a) + (TS(E))(b)) >> 1)
#define K_uhadd(E, a, b, d, sat)  (TU(E))(((TUW(E))(a) + (b)) >> 1)
#define K_srhadd(E, a, b, d, sat) (TU(E))(((TSW(E))(TS(E))(a) + (TS(E))(b) + 1) >> 1)
#define K_urhadd(E, a, b, d, sat) (TU(E))(((TUW(E))(a) + (b) + 1) >> 1)
#define K_shsub(E, a, b, d, sat)  (TU(E))(((TSW(E))(TS(E))(a) - (TS(E))(b)) >> 1)
#define K_uhsub(E, a, b, d, sat)  (TU(E))(((TSW(E))(a) - (TSW(E))(b)) >> 1)

/* Saturating adds and subtracts, in the lane width: a signed result
 * overflowed when its sign differs from both addends' (from the minuend's
 * and not the subtrahend's), and saturates towards a's sign. */
#define SAT_TOWARDS(E, a) (TU(E))((TU(E))((TS(E))(a) >> (E - 1)) ^ ((TU(E)) ~(TU(E))0 >> 1))
#define K_sqadd(E, a, b, d, sat)                                                                   \
    sat_pick##E((TU(E))((a) + (b)), SAT_TOWARDS(E, a),                                             \
                (TU(E))(((a) ^ (TU(E))((a) + (b))) & ((b) ^ (TU(E))((a) + (b)))) >> (E - 1),       \
                &(sat))
#define K_sqsub(E, a, b, d, sat)                                                                   \
    sat_pick##E((TU(E))((a) - (b)), SAT_TOWARDS(E, a),                                             \
                (TU(E))(((a) ^ (b)) & ((a) ^ (TU(E))((a) - (b)))) >> (E - 1), &(sat))
#define K_uqadd(E, a, b, d, sat)                                                                   \
    sat_pick##E((TU(E))((a) + (b)), (TU(E)) ~(TU(E))0, (TU(E))((a) + (b)) < (a), &(sat))
#define K_uqsub(E, a, b, d, sat) sat_pick##E((TU(E))((a) - (b)), 0, (a) < (b), &(sat))

/* Compares: all ones when true. */
#define K_cmgt(E, a, b, d, sat)  ONES_IF(E, (TS(E))(a) > (TS(E))(b))
#define K_cmge(E, a, b, d, sat)  ONES_IF(E, (TS(E))(a) >= (TS(E))(b))
#define K_cmhi(E, a, b, d, sat)  ONES_IF(E, (a) > (b))
#define K_cmhs(E, a, b, d, sat)  ONES_IF(E, (a) >= (b))
#define K_cmeq(E, a, b, d, sat)  ONES_IF(E, (a) == (b))
#define K_cmtst(E, a, b, d, sat) ONES_IF(E, ((a) & (b)) != 0)

/* Shifts by register. */
#define K_sshl(E, a, b, d, sat)   (TU(E)) shl_reg(a, b, E, true, false, false, &(sat))
#define K_ushl(E, a, b, d, sat)   (TU(E)) shl_reg(a, b, E, false, false, false, &(sat))
#define K_srshl(E, a, b, d, sat)  (TU(E)) shl_reg(a, b, E, true, true, false, &(sat))
#define K_urshl(E, a, b, d, sat)  (TU(E)) shl_reg(a, b, E, false, true, false, &(sat))
#define K_sqshl(E, a, b, d, sat)  (TU(E)) shl_reg(a, b, E, true, false, true, &(sat))
#define K_uqshl(E, a, b, d, sat)  (TU(E)) shl_reg(a, b, E, false, false, true, &(sat))
#define K_sqrshl(E, a, b, d, sat) (TU(E)) shl_reg(a, b, E, true, true, true, &(sat))
#define K_uqrshl(E, a, b, d, sat) (TU(E)) shl_reg(a, b, E, false, true, true, &(sat))

/* Maximum, minimum, absolute difference (|a - b| < 2^E: computed mod 2^E). */
#define K_smax(E, a, b, d, sat) ((TS(E))(a) > (TS(E))(b) ? (a) : (b))
#define K_smin(E, a, b, d, sat) ((TS(E))(a) < (TS(E))(b) ? (a) : (b))
#define K_umax(E, a, b, d, sat) ((a) > (b) ? (a) : (b))
#define K_umin(E, a, b, d, sat) ((a) < (b) ? (a) : (b))
#define K_sabd(E, a, b, d, sat) ((TS(E))(a) > (TS(E))(b) ? (TU(E))((a) - (b)) : (TU(E))((b) - (a)))
#define K_uabd(E, a, b, d, sat) ((a) > (b) ? (TU(E))((a) - (b)) : (TU(E))((b) - (a)))
#define K_saba(E, a, b, d, sat) (TU(E))((d) + K_sabd(E, a, b, d, sat))
#define K_uaba(E, a, b, d, sat) (TU(E))((d) + K_uabd(E, a, b, d, sat))

/* Modular arithmetic (products in twice the width: no int overflow). */
#define K_add(E, a, b, d, sat) (TU(E))((a) + (b))
#define K_sub(E, a, b, d, sat) (TU(E))((a) - (b))
#define K_mul(E, a, b, d, sat) (TU(E))((TUW(E))(a) * (b))
#define K_mla(E, a, b, d, sat) (TU(E))((d) + (TUW(E))(a) * (b))
#define K_mls(E, a, b, d, sat) (TU(E))((d) - (TUW(E))(a) * (b))

/* SQDMULH, SQRDMULH (E = 16 or 32): SignedSatQ((2ab [+ 2^(E-1)]) >> E),
 * computed as (ab [+ 2^(E-2)]) >> (E-1), which fits twice the width; only
 * (-2^(E-1))^2 saturates. */
#define K_sqdmulh(E, a, b, d, sat) sat_s##E(((TSW(E))(TS(E))(a) * (TS(E))(b)) >> (E - 1), &(sat))
#define K_sqrdmulh(E, a, b, d, sat)                                                                \
    sat_s##E(((TSW(E))(TS(E))(a) * (TS(E))(b) + ((TSW(E))1 << (E - 2))) >> (E - 1), &(sat))

/* Three different. Long: a and b are E-bit lanes, d and the result 2E
 * bits. Wide: a is already 2E bits. Narrow: a and b are 2E bits, the
 * result bits 2E-1:E of their sum or difference (mod 2^2E). */
#define K_saddl(E, a, b, d, sat)   (TUW(E))((TSW(E))(TS(E))(a) + (TS(E))(b))
#define K_uaddl(E, a, b, d, sat)   (TUW(E))((TUW(E))(a) + (b))
#define K_ssubl(E, a, b, d, sat)   (TUW(E))((TSW(E))(TS(E))(a) - (TS(E))(b))
#define K_usubl(E, a, b, d, sat)   (TUW(E))((TUW(E))(a) - (b))
#define K_saddw(E, a, b, d, sat)   (TUW(E))((a) + (TUW(E))(TSW(E))(TS(E))(b))
#define K_uaddw(E, a, b, d, sat)   (TUW(E))((a) + (b))
#define K_ssubw(E, a, b, d, sat)   (TUW(E))((a) - (TUW(E))(TSW(E))(TS(E))(b))
#define K_usubw(E, a, b, d, sat)   (TUW(E))((a) - (b))
#define K_sabal(E, a, b, d, sat)   (TUW(E))((d) + K_sabd(E, a, b, d, sat))
#define K_uabal(E, a, b, d, sat)   (TUW(E))((d) + K_uabd(E, a, b, d, sat))
#define K_sabdl(E, a, b, d, sat)   (TUW(E)) K_sabd(E, a, b, d, sat)
#define K_uabdl(E, a, b, d, sat)   (TUW(E)) K_uabd(E, a, b, d, sat)
#define K_smull(E, a, b, d, sat)   (TUW(E))((TSW(E))(TS(E))(a) * (TS(E))(b))
#define K_umull(E, a, b, d, sat)   (TUW(E))((TUW(E))(a) * (b))
#define K_smlal(E, a, b, d, sat)   (TUW(E))((d) + K_smull(E, a, b, d, sat))
#define K_umlal(E, a, b, d, sat)   (TUW(E))((d) + K_umull(E, a, b, d, sat))
#define K_smlsl(E, a, b, d, sat)   (TUW(E))(d - K_smull(E, a, b, d, sat))
#define K_umlsl(E, a, b, d, sat)   (TUW(E))(d - K_umull(E, a, b, d, sat))
#define K_sqdmull(E, a, b, d, sat) (TUW(E)) sqdmull_q(a, b, E, &(sat))
#define K_sqdmlal(E, a, b, d, sat) (TUW(E)) sqdmlal_q(d, a, b, E, false, &(sat))
#define K_sqdmlsl(E, a, b, d, sat) (TUW(E)) sqdmlal_q(d, a, b, E, true, &(sat))
#define K_addhn(E, a, b, d, sat)   (TU(E))((TUW(E))((a) + (b)) >> (E))
#define K_raddhn(E, a, b, d, sat)  (TU(E))((TUW(E))((a) + (b) + ((TUW(E))1 << (E - 1))) >> (E))
#define K_subhn(E, a, b, d, sat)   (TU(E))((TUW(E))((a) - (b)) >> (E))
#define K_rsubhn(E, a, b, d, sat)  (TU(E))((TUW(E))((a) - (b) + ((TUW(E))1 << (E - 1))) >> (E))

/* ---- integer handlers ---- */

/* Elementwise: R[i] = K(Vn[i], Vm[i], Vd[i]), L lanes of E bits. */
#define DEF_SAME(OP, E, L)                                                                         \
    HANDLER exec_##OP##_##E##_##L(struct cpu *c, const struct insn *in)                            \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        const union vreg *n = &c->v[in->rn], *m = &c->v[in->rm], *vd = &c->v[in->rd];              \
        union vreg r = {{0}};                                                                      \
        unsigned sat = 0;                                                                          \
        for (unsigned i = 0; i < (L); i++) {                                                       \
            UNUSED TU(E) d = vd->LM(E)[i];                                                         \
            r.LM(E)[i] = K_##OP(E, n->LM(E)[i], m->LM(E)[i], d, sat);                              \
        }                                                                                          \
        if (sat)                                                                                   \
            c->fp.fpsr |= FPSR_QC;                                                                 \
        vreg_write(c, in->rd, &r, (L)*EB(E));                                                      \
        insn_next(c, in);                                                                          \
    }

/* Pairwise: the pairs of Vm:Vn (Vn the low half), R[i] = K(x[2i], x[2i+1]),
 * from one contiguous copy of the two so that the loop vectorises. */
#define DEF_PAIRWISE(OP, E, L)                                                                     \
    HANDLER exec_##OP##p_##E##_##L(struct cpu *c, const struct insn *in)                           \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        TU(E) x[2 * (L)];                                                                          \
        memcpy(x, &c->v[in->rn], (L)*EB(E));                                                       \
        memcpy(x + (L), &c->v[in->rm], (L)*EB(E));                                                 \
        union vreg r = {{0}};                                                                      \
        UNUSED unsigned sat = 0;                                                                   \
        for (unsigned i = 0; i < (L); i++)                                                         \
            r.LM(E)[i] = K_##OP(E, x[2 * i], x[2 * i + 1], 0, sat);                                \
        vreg_write(c, in->rd, &r, (L)*EB(E));                                                      \
        insn_next(c, in);                                                                          \
    }

/* Long and wide: R has L lanes of 2E bits; the E-bit operands are lanes
 * P*L.. of their register (P = 1: the "2" form, the upper half). */
#define DEF_LONG_GEN(OP, E, L, P, A)                                                               \
    HANDLER exec_##OP##_##E##_##L##_##P(struct cpu *c, const struct insn *in)                      \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        UNUSED const union vreg *n = &c->v[in->rn], *m = &c->v[in->rm], *vd = &c->v[in->rd];       \
        union vreg r = {{0}};                                                                      \
        unsigned sat = 0;                                                                          \
        for (unsigned i = 0; i < (L); i++) {                                                       \
            UNUSED TUW(E) d = vd->LMW(E)[i];                                                       \
            r.LMW(E)[i] = K_##OP(E, A, m->LM(E)[(P) * (L) + i], d, sat);                           \
        }                                                                                          \
        if (sat)                                                                                   \
            c->fp.fpsr |= FPSR_QC;                                                                 \
        vreg_write(c, in->rd, &r, (L)*2 * EB(E));                                                  \
        insn_next(c, in);                                                                          \
    }
#define DEF_LONG(OP, E, L, P) DEF_LONG_GEN(OP, E, L, P, n->LM(E)[(P) * (L) + i])
#define DEF_WIDE(OP, E, L, P) DEF_LONG_GEN(OP, E, L, P, n->LMW(E)[i])

/* Narrowing: 2E-bit lanes in, E-bit lanes out to the lower half (P = 0,
 * upper half cleared) or the upper half (P = 1, lower half kept). */
#define DEF_NARROW(OP, E, L, P)                                                                    \
    HANDLER exec_##OP##_##E##_##L##_##P(struct cpu *c, const struct insn *in)                      \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        const union vreg *n = &c->v[in->rn], *m = &c->v[in->rm];                                   \
        union vreg r = {{0}};                                                                      \
        UNUSED unsigned sat = 0;                                                                   \
        r.d[0] = c->v[in->rd].d[0];                                                                \
        for (unsigned i = 0; i < (L); i++)                                                         \
            r.LM(E)[(P) * (L) + i] = K_##OP(E, n->LMW(E)[i], m->LMW(E)[i], 0, sat);                \
        vreg_write(c, in->rd, &r, 8 + 8 * (P));                                                    \
        insn_next(c, in);                                                                          \
    }

/* Across lanes: the fold of OP over the L lanes of Vn, each read as LANE
 * (U or S) and accumulated as ACC (U, S, UW or SW), starting from
 * OP##_INIT (0 for the sums, lane 0 for maximum and minimum, so that every
 * loop has L iterations); a scalar of RE bits. */
#define DEF_REDUCE(NAME, OP, LANE, ACC, E, L, RE)                                                  \
    HANDLER exec_##NAME##_##E##_##L(struct cpu *c, const struct insn *in)                          \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        const union vreg *n = &c->v[in->rn];                                                       \
        LANE_##ACC##_##E acc = OP##_INIT((LANE_##ACC##_##E)(LANE_##LANE##_##E)n->LM(E)[0]);        \
        for (unsigned i = 0; i < (L); i++)                                                         \
            acc = OP(acc, (LANE_##ACC##_##E)(LANE_##LANE##_##E)n->LM(E)[i]);                       \
        vreg_write_scalar(c, in->rd, (uint64_t)acc, EB(RE));                                       \
        insn_next(c, in);                                                                          \
    }
#define R_ADD_INIT(x) 0
#define R_MAX_INIT(x) (x)
#define R_MIN_INIT(x) (x)
#define R_ADD(x, y)   ((x) + (y))
#define R_MAX(x, y)   ((x) > (y) ? (x) : (y))
#define R_MIN(x, y)   ((x) < (y) ? (x) : (y))

/* Logical operations on the whole 64 or 128 bits (N = 1 or 2 doublewords);
 * BSL, BIT, BIF as the pseudocode's operand1 EOR ((operand2 EOR Vn) AND
 * operand3). */
#define DEF_LOGIC(NAME, EXPR)                                                                      \
    DEF_LOGIC_N(NAME, EXPR, 1)                                                                     \
    DEF_LOGIC_N(NAME, EXPR, 2)
#define DEF_LOGIC_N(NAME, EXPR, N)                                                                 \
    HANDLER exec_##NAME##_##N(struct cpu *c, const struct insn *in)                                \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        const union vreg *vn = &c->v[in->rn], *vm = &c->v[in->rm], *vd = &c->v[in->rd];            \
        union vreg r = {{0}};                                                                      \
        for (unsigned i = 0; i < (N); i++) {                                                       \
            uint64_t n = vn->d[i], m = vm->d[i];                                                   \
            UNUSED uint64_t d = vd->d[i];                                                          \
            r.d[i] = (EXPR);                                                                       \
        }                                                                                          \
        vreg_write(c, in->rd, &r, 8 * (N));                                                        \
        insn_next(c, in);                                                                          \
    }

/* Stamps: every vector arrangement (8B .. 2D), and every scalar size. */
#define STAMP_V(DEF, OP)                                                                           \
    DEF(OP, 8, 8)                                                                                  \
    DEF(OP, 8, 16)                                                                                 \
    DEF(OP, 16, 4)                                                                                 \
    DEF(OP, 16, 8)                                                                                 \
    DEF(OP, 32, 2)                                                                                 \
    DEF(OP, 32, 4)                                                                                 \
    DEF(OP, 64, 2)
#define STAMP_S(DEF, OP)                                                                           \
    DEF(OP, 8, 1)                                                                                  \
    DEF(OP, 16, 1)                                                                                 \
    DEF(OP, 32, 1)                                                                                 \
    DEF(OP, 64, 1)
#define STAMP_VS(DEF, OP)                                                                          \
    STAMP_V(DEF, OP)                                                                               \
    STAMP_S(DEF, OP)
/* Three different: source E = 8, 16, 32, lower or upper half; scalar. */
#define STAMP_D(DEF, OP)                                                                           \
    DEF(OP, 8, 8, 0)                                                                               \
    DEF(OP, 8, 8, 1)                                                                               \
    DEF(OP, 16, 4, 0)                                                                              \
    DEF(OP, 16, 4, 1)                                                                              \
    DEF(OP, 32, 2, 0)                                                                              \
    DEF(OP, 32, 2, 1)
#define STAMP_DS(DEF, OP)                                                                          \
    STAMP_D(DEF, OP)                                                                               \
    DEF(OP, 16, 1, 0)                                                                              \
    DEF(OP, 32, 1, 0)

STAMP_V(DEF_SAME, shadd)
STAMP_V(DEF_SAME, uhadd)
STAMP_V(DEF_SAME, srhadd)
STAMP_V(DEF_SAME, urhadd)
STAMP_V(DEF_SAME, shsub)
STAMP_V(DEF_SAME, uhsub)
STAMP_VS(DEF_SAME, sqadd)
STAMP_VS(DEF_SAME, uqadd)
STAMP_VS(DEF_SAME, sqsub)
STAMP_VS(DEF_SAME, uqsub)
STAMP_VS(DEF_SAME, cmgt)
STAMP_VS(DEF_SAME, cmge)
STAMP_VS(DEF_SAME, cmhi)
STAMP_VS(DEF_SAME, cmhs)
STAMP_VS(DEF_SAME, cmeq)
STAMP_VS(DEF_SAME, cmtst)
STAMP_VS(DEF_SAME, sshl)
STAMP_VS(DEF_SAME, ushl)
STAMP_VS(DEF_SAME, srshl)
STAMP_VS(DEF_SAME, urshl)
STAMP_VS(DEF_SAME, sqshl)
STAMP_VS(DEF_SAME, uqshl)
STAMP_VS(DEF_SAME, sqrshl)
STAMP_VS(DEF_SAME, uqrshl)
STAMP_V(DEF_SAME, smax)
STAMP_V(DEF_SAME, smin)
STAMP_V(DEF_SAME, umax)
STAMP_V(DEF_SAME, umin)
STAMP_V(DEF_SAME, sabd)
STAMP_V(DEF_SAME, uabd)
STAMP_V(DEF_SAME, saba)
STAMP_V(DEF_SAME, uaba)
STAMP_VS(DEF_SAME, add)
STAMP_VS(DEF_SAME, sub)
STAMP_V(DEF_SAME, mul)
STAMP_V(DEF_SAME, mla)
STAMP_V(DEF_SAME, mls)
STAMP_VS(DEF_SAME, sqdmulh)
STAMP_VS(DEF_SAME, sqrdmulh)
STAMP_V(DEF_PAIRWISE, smax)
STAMP_V(DEF_PAIRWISE, smin)
STAMP_V(DEF_PAIRWISE, umax)
STAMP_V(DEF_PAIRWISE, umin)
STAMP_V(DEF_PAIRWISE, add)

DEF_LOGIC(and, (n & m))
DEF_LOGIC(bic, (n & ~m))
DEF_LOGIC(orr, (n | m))
DEF_LOGIC(orn, (n | ~m))
DEF_LOGIC(eor, (n ^ m))
DEF_LOGIC(bsl, (m ^ ((m ^ n) & d)))
DEF_LOGIC(bit, (d ^ ((d ^ n) & m)))
DEF_LOGIC(bif, (d ^ ((d ^ n) & ~m)))

/* PMUL (8B, 16B): N doublewords of byte lanes. */
#define DEF_PMUL(L, N)                                                                             \
    HANDLER exec_pmul_8_##L(struct cpu *c, const struct insn *in)                                  \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        const union vreg *n = &c->v[in->rn], *m = &c->v[in->rm];                                   \
        union vreg r = {{0}};                                                                      \
        for (unsigned i = 0; i < (N); i++)                                                         \
            r.d[i] = pmul_bytes(n->d[i], m->d[i]);                                                 \
        vreg_write(c, in->rd, &r, 8 * (N));                                                        \
        insn_next(c, in);                                                                          \
    }
DEF_PMUL(8, 1)
DEF_PMUL(16, 2)

/* PMULL, PMULL2 (8H from half P of 8B or 16B). */
#define DEF_PMULL(P)                                                                               \
    HANDLER exec_pmull_8_8_##P(struct cpu *c, const struct insn *in)                               \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        const union vreg *n = &c->v[in->rn], *m = &c->v[in->rm];                                   \
        union vreg r;                                                                              \
        for (unsigned i = 0; i < 2; i++)                                                           \
            r.d[i] = pmull_halves(bytes_to_halves(n->s[2 * (P) + i]),                              \
                                  bytes_to_halves(m->s[2 * (P) + i]));                             \
        vreg_write(c, in->rd, &r, 16);                                                             \
        insn_next(c, in);                                                                          \
    }
DEF_PMULL(0)
DEF_PMULL(1)

STAMP_D(DEF_LONG, saddl)
STAMP_D(DEF_LONG, uaddl)
STAMP_D(DEF_LONG, ssubl)
STAMP_D(DEF_LONG, usubl)
STAMP_D(DEF_WIDE, saddw)
STAMP_D(DEF_WIDE, uaddw)
STAMP_D(DEF_WIDE, ssubw)
STAMP_D(DEF_WIDE, usubw)
STAMP_D(DEF_NARROW, addhn)
STAMP_D(DEF_NARROW, raddhn)
STAMP_D(DEF_NARROW, subhn)
STAMP_D(DEF_NARROW, rsubhn)
STAMP_D(DEF_LONG, sabal)
STAMP_D(DEF_LONG, uabal)
STAMP_D(DEF_LONG, sabdl)
STAMP_D(DEF_LONG, uabdl)
STAMP_D(DEF_LONG, smlal)
STAMP_D(DEF_LONG, umlal)
STAMP_D(DEF_LONG, smlsl)
STAMP_D(DEF_LONG, umlsl)
STAMP_D(DEF_LONG, smull)
STAMP_D(DEF_LONG, umull)
STAMP_DS(DEF_LONG, sqdmlal)
STAMP_DS(DEF_LONG, sqdmlsl)
STAMP_DS(DEF_LONG, sqdmull)

#define STAMP_R(NAME, OP, LANE, ACC, WIDEN)                                                        \
    DEF_REDUCE(NAME, OP, LANE, ACC, 8, 8, 8 << (WIDEN))                                            \
    DEF_REDUCE(NAME, OP, LANE, ACC, 8, 16, 8 << (WIDEN))                                           \
    DEF_REDUCE(NAME, OP, LANE, ACC, 16, 4, 16 << (WIDEN))                                          \
    DEF_REDUCE(NAME, OP, LANE, ACC, 16, 8, 16 << (WIDEN))                                          \
    DEF_REDUCE(NAME, OP, LANE, ACC, 32, 4, 32 << (WIDEN))
STAMP_R(saddlv, R_ADD, S, SW, 1)
STAMP_R(uaddlv, R_ADD, U, UW, 1)
STAMP_R(smaxv, R_MAX, S, S, 0)
STAMP_R(umaxv, R_MAX, U, U, 0)
STAMP_R(sminv, R_MIN, S, S, 0)
STAMP_R(uminv, R_MIN, U, U, 0)
STAMP_R(addv, R_ADD, U, U, 0)

/* ADDP (scalar): D = Vn.D[0] + Vn.D[1]. */
HANDLER exec_addp_scalar(struct cpu *c, const struct insn *in)
{
    if (!fp_enabled(c))
        return;
    const union vreg *n = &c->v[in->rn];
    vreg_write_scalar(c, in->rd, n->d[0] + n->d[1], 8);
    insn_next(c, in);
}

/* ---- FP element operations ---- */

#define FELEM(NAME)                                                                                \
    ALWAYS_INLINE uint64_t NAME(struct fp_env *env, UNUSED unsigned e, UNUSED uint64_t a,          \
                                UNUSED uint64_t b, UNUSED uint64_t d)

ALWAYS_INLINE uint64_t sign_bit(unsigned e)
{
    return 1ull << (e - 1);
}

/* The two-operand operations are softfloat's functions as they are. */
#define FELEM_BINARY(NAME, FN)                                                                     \
    FELEM(NAME)                                                                                    \
    {                                                                                              \
        return FN(env, e, a, b);                                                                   \
    }
FELEM_BINARY(f_fadd, fp_add)
FELEM_BINARY(f_fsub, fp_sub)
FELEM_BINARY(f_fmul, fp_mul)
FELEM_BINARY(f_fmulx, fp_mulx)
FELEM_BINARY(f_fdiv, fp_div)
FELEM_BINARY(f_fabd, fp_abd)
FELEM_BINARY(f_fmax, fp_max)
FELEM_BINARY(f_fmin, fp_min)
FELEM_BINARY(f_fmaxnm, fp_maxnm)
FELEM_BINARY(f_fminnm, fp_minnm)
/* FMLA: Vd + Vn * Vm fused; FMLS negates the Vn element first (FPNeg:
 * the sign bit flips, NaNs included). */
FELEM(f_fmla)
{
    return fp_muladd(env, e, d, a, b);
}
FELEM(f_fmls)
{
    return fp_muladd(env, e, d, a ^ sign_bit(e), b);
}
FELEM(f_frecps)
{
    return fp_recps(env, e, a, b);
}
FELEM(f_frsqrts)
{
    return fp_rsqrts(env, e, a, b);
}
FELEM(f_fcmeq)
{
    return all_ones_if(fp_compare_eq(env, e, a, b));
}
FELEM(f_fcmge)
{
    return all_ones_if(fp_compare_ge(env, e, a, b));
}
FELEM(f_fcmgt)
{
    return all_ones_if(fp_compare_gt(env, e, a, b));
}
/* FACGE, FACGT: the compares of FPAbs() of both operands. */
FELEM(f_facge)
{
    return all_ones_if(fp_compare_ge(env, e, a & ~sign_bit(e), b & ~sign_bit(e)));
}
FELEM(f_facgt)
{
    return all_ones_if(fp_compare_gt(env, e, a & ~sign_bit(e), b & ~sign_bit(e)));
}

/* ---- FP handlers: the loop in an out-of-line body, then insn_next ---- */

#define FP_HANDLER(NAME)                                                                           \
    HANDLER exec_##NAME(struct cpu *c, const struct insn *in)                                      \
    {                                                                                              \
        if (!fp_enabled(c))                                                                        \
            return;                                                                                \
        body_##NAME(c, in);                                                                        \
        insn_next(c, in);                                                                          \
    }

#define DEF_FSAME(OP, E, L)                                                                        \
    BODY body_##OP##_##E##_##L(struct cpu *c, const struct insn *in)                               \
    {                                                                                              \
        struct fp_env env = {c->fp.fpcr, 0};                                                       \
        const union vreg *n = &c->v[in->rn], *m = &c->v[in->rm], *d = &c->v[in->rd];               \
        union vreg r = {{0}};                                                                      \
        for (unsigned i = 0; i < (L); i++)                                                         \
            vreg_set_elem(&r, i, EB(E),                                                            \
                          f_##OP(&env, (E), vreg_elem(n, i, EB(E)), vreg_elem(m, i, EB(E)),        \
                                 vreg_elem(d, i, EB(E))));                                         \
        c->fp.fpsr |= env.fpsr;                                                                    \
        vreg_write(c, in->rd, &r, (L)*EB(E));                                                      \
    }                                                                                              \
    FP_HANDLER(OP##_##E##_##L)

/* Pairwise, as DEF_PAIRWISE. */
#define DEF_FPAIR(OP, E, L)                                                                        \
    BODY body_##OP##p_##E##_##L(struct cpu *c, const struct insn *in)                              \
    {                                                                                              \
        struct fp_env env = {c->fp.fpcr, 0};                                                       \
        const union vreg *n = &c->v[in->rn], *m = &c->v[in->rm];                                   \
        union vreg r = {{0}};                                                                      \
        for (unsigned i = 0; i < (L) / 2; i++)                                                     \
            vreg_set_elem(                                                                         \
                &r, i, EB(E),                                                                      \
                f_##OP(&env, (E), vreg_elem(n, 2 * i, EB(E)), vreg_elem(n, 2 * i + 1, EB(E)), 0)); \
        for (unsigned i = 0; i < (L) / 2; i++)                                                     \
            vreg_set_elem(                                                                         \
                &r, i + (L) / 2, EB(E),                                                            \
                f_##OP(&env, (E), vreg_elem(m, 2 * i, EB(E)), vreg_elem(m, 2 * i + 1, EB(E)), 0)); \
        c->fp.fpsr |= env.fpsr;                                                                    \
        vreg_write(c, in->rd, &r, (L)*EB(E));                                                      \
    }                                                                                              \
    FP_HANDLER(OP##p_##E##_##L)

/* Scalar pairwise: Vn[0] OP Vn[1], a scalar of E bits. */
#define DEF_FPAIR_SCALAR(OP, E)                                                                    \
    BODY body_##OP##p_##E##_1(struct cpu *c, const struct insn *in)                                \
    {                                                                                              \
        struct fp_env env = {c->fp.fpcr, 0};                                                       \
        const union vreg *n = &c->v[in->rn];                                                       \
        uint64_t r = f_##OP(&env, (E), vreg_elem(n, 0, EB(E)), vreg_elem(n, 1, EB(E)), 0);         \
        c->fp.fpsr |= env.fpsr;                                                                    \
        vreg_write_scalar(c, in->rd, r, EB(E));                                                    \
    }                                                                                              \
    FP_HANDLER(OP##p_##E##_1)

/* FP across lanes, 4S only: Reduce() halves the vector recursively, so
 * the result is OP(OP(e0, e1), OP(e2, e3)), not a left-to-right fold. */
#define DEF_FREDUCE(OP)                                                                            \
    BODY body_##OP##v(struct cpu *c, const struct insn *in)                                        \
    {                                                                                              \
        struct fp_env env = {c->fp.fpcr, 0};                                                       \
        const union vreg *n = &c->v[in->rn];                                                       \
        uint64_t hi = f_##OP(&env, 32, n->s[2], n->s[3], 0);                                       \
        uint64_t lo = f_##OP(&env, 32, n->s[0], n->s[1], 0);                                       \
        uint64_t r = f_##OP(&env, 32, lo, hi, 0);                                                  \
        c->fp.fpsr |= env.fpsr;                                                                    \
        vreg_write_scalar(c, in->rd, r, 4);                                                        \
    }                                                                                              \
    FP_HANDLER(OP##v)

#define STAMP_FV(DEF, OP)                                                                          \
    DEF(OP, 32, 2)                                                                                 \
    DEF(OP, 32, 4)                                                                                 \
    DEF(OP, 64, 2)
#define STAMP_FS(DEF, OP)                                                                          \
    DEF(OP, 32, 1)                                                                                 \
    DEF(OP, 64, 1)
#define STAMP_FVS(DEF, OP)                                                                         \
    STAMP_FV(DEF, OP)                                                                              \
    STAMP_FS(DEF, OP)

STAMP_FV(DEF_FSAME, fadd)
STAMP_FV(DEF_FSAME, fsub)
STAMP_FV(DEF_FSAME, fmul)
STAMP_FVS(DEF_FSAME, fmulx)
STAMP_FV(DEF_FSAME, fdiv)
STAMP_FVS(DEF_FSAME, fabd)
STAMP_FV(DEF_FSAME, fmax)
STAMP_FV(DEF_FSAME, fmin)
STAMP_FV(DEF_FSAME, fmaxnm)
STAMP_FV(DEF_FSAME, fminnm)
STAMP_FV(DEF_FSAME, fmla)
STAMP_FV(DEF_FSAME, fmls)
STAMP_FVS(DEF_FSAME, frecps)
STAMP_FVS(DEF_FSAME, frsqrts)
STAMP_FVS(DEF_FSAME, fcmeq)
STAMP_FVS(DEF_FSAME, fcmge)
STAMP_FVS(DEF_FSAME, fcmgt)
STAMP_FVS(DEF_FSAME, facge)
STAMP_FVS(DEF_FSAME, facgt)
STAMP_FV(DEF_FPAIR, fadd)
DEF_FPAIR_SCALAR(fadd, 32)
DEF_FPAIR_SCALAR(fadd, 64)
STAMP_FV(DEF_FPAIR, fmax)
DEF_FPAIR_SCALAR(fmax, 32)
DEF_FPAIR_SCALAR(fmax, 64)
STAMP_FV(DEF_FPAIR, fmin)
DEF_FPAIR_SCALAR(fmin, 32)
DEF_FPAIR_SCALAR(fmin, 64)
STAMP_FV(DEF_FPAIR, fmaxnm)
DEF_FPAIR_SCALAR(fmaxnm, 32)
DEF_FPAIR_SCALAR(fmaxnm, 64)
STAMP_FV(DEF_FPAIR, fminnm)
DEF_FPAIR_SCALAR(fminnm, 32)
DEF_FPAIR_SCALAR(fminnm, 64)
DEF_FREDUCE(fmax)
DEF_FREDUCE(fmin)
DEF_FREDUCE(fmaxnm)
DEF_FREDUCE(fminnm)

/* ---- decode tables ---- */

/* clang-format off */
/* Vector tables, [size][Q]: the arrangements an operation allows. */
#define V_BHS(OP)                                                                                  \
    {{exec_##OP##_8_8, exec_##OP##_8_16}, {exec_##OP##_16_4, exec_##OP##_16_8},                    \
     {exec_##OP##_32_2, exec_##OP##_32_4}}
#define V_BHSD(OP)                                                                                 \
    {{exec_##OP##_8_8, exec_##OP##_8_16}, {exec_##OP##_16_4, exec_##OP##_16_8},                    \
     {exec_##OP##_32_2, exec_##OP##_32_4}, {NULL, exec_##OP##_64_2}}
#define V_HS(OP)                                                                                   \
    {{NULL, NULL}, {exec_##OP##_16_4, exec_##OP##_16_8}, {exec_##OP##_32_2, exec_##OP##_32_4}}
#define V_B(OP) {{exec_##OP##_8_8, exec_##OP##_8_16}}
/* The logical operations: size selects the operation. */
#define V_LOGIC(A, B, C, D)                                                                        \
    {{exec_##A##_1, exec_##A##_2}, {exec_##B##_1, exec_##B##_2},                                   \
     {exec_##C##_1, exec_##C##_2}, {exec_##D##_1, exec_##D##_2}}

/* Scalar tables, [size]. */
#define S_BHSD(OP) {exec_##OP##_8_1, exec_##OP##_16_1, exec_##OP##_32_1, exec_##OP##_64_1}
#define S_D(OP)    {[3] = exec_##OP##_64_1}
#define S_HS(OP)   {[1] = exec_##OP##_16_1, [2] = exec_##OP##_32_1}

/* FP tables: vector [sz][Q], scalar [sz]. */
#define FV(OP) {{exec_##OP##_32_2, exec_##OP##_32_4}, {NULL, exec_##OP##_64_2}}
#define FS(OP) {exec_##OP##_32_1, exec_##OP##_64_1}

/* Three different, [size][Q]; Q picks the half (the "2" forms). */
#define D_BHS(OP)                                                                                  \
    {{exec_##OP##_8_8_0, exec_##OP##_8_8_1}, {exec_##OP##_16_4_0, exec_##OP##_16_4_1},             \
     {exec_##OP##_32_2_0, exec_##OP##_32_2_1}}
#define D_HS(OP)                                                                                   \
    {{NULL, NULL}, {exec_##OP##_16_4_0, exec_##OP##_16_4_1},                                       \
     {exec_##OP##_32_2_0, exec_##OP##_32_2_1}}
#define D_B(OP) {{exec_##OP##_8_8_0, exec_##OP##_8_8_1}}

/* Across lanes, [size][Q]: 8B, 16B, 4H, 8H, 4S. */
#define A_BHS(OP)                                                                                  \
    {{exec_##OP##_8_8, exec_##OP##_8_16}, {exec_##OP##_16_4, exec_##OP##_16_8},                    \
     {NULL, exec_##OP##_32_4}}
/* clang-format on */

/* Three same, integer: [U][opcode][size][Q] (Arm ARM C4.1.95, "Advanced
 * SIMD three same"; size:Q = 110 is reserved where 64-bit lanes exist). */
static const insn_fn three_same_int[2][24][4][2] = {
    [0] =
        {
            [0x00] = V_BHS(shadd),  [0x01] = V_BHSD(sqadd),
            [0x02] = V_BHS(srhadd), [0x03] = V_LOGIC(and, bic, orr, orn),
            [0x04] = V_BHS(shsub),  [0x05] = V_BHSD(sqsub),
            [0x06] = V_BHSD(cmgt),  [0x07] = V_BHSD(cmge),
            [0x08] = V_BHSD(sshl),  [0x09] = V_BHSD(sqshl),
            [0x0a] = V_BHSD(srshl), [0x0b] = V_BHSD(sqrshl),
            [0x0c] = V_BHS(smax),   [0x0d] = V_BHS(smin),
            [0x0e] = V_BHS(sabd),   [0x0f] = V_BHS(saba),
            [0x10] = V_BHSD(add),   [0x11] = V_BHSD(cmtst),
            [0x12] = V_BHS(mla),    [0x13] = V_BHS(mul),
            [0x14] = V_BHS(smaxp),  [0x15] = V_BHS(sminp),
            [0x16] = V_HS(sqdmulh), [0x17] = V_BHSD(addp),
        },
    [1] =
        {
            [0x00] = V_BHS(uhadd),   [0x01] = V_BHSD(uqadd),
            [0x02] = V_BHS(urhadd),  [0x03] = V_LOGIC(eor, bsl, bit, bif),
            [0x04] = V_BHS(uhsub),   [0x05] = V_BHSD(uqsub),
            [0x06] = V_BHSD(cmhi),   [0x07] = V_BHSD(cmhs),
            [0x08] = V_BHSD(ushl),   [0x09] = V_BHSD(uqshl),
            [0x0a] = V_BHSD(urshl),  [0x0b] = V_BHSD(uqrshl),
            [0x0c] = V_BHS(umax),    [0x0d] = V_BHS(umin),
            [0x0e] = V_BHS(uabd),    [0x0f] = V_BHS(uaba),
            [0x10] = V_BHSD(sub),    [0x11] = V_BHSD(cmeq),
            [0x12] = V_BHS(mls),     [0x13] = V_B(pmul),
            [0x14] = V_BHS(umaxp),   [0x15] = V_BHS(uminp),
            [0x16] = V_HS(sqrdmulh),
        },
};

/* Three same, FP: [U][opcode - 0x18][size<1>][sz][Q]. FMLAL, FMLSL,
 * FMLAL2, FMLSL2 (FEAT_FHM) are left NULL. */
static const insn_fn three_same_fp[2][8][2][2][2] =
    {
        [0] =
            {
                [0] = {FV(fmaxnm), FV(fminnm)},
                [1] = {FV(fmla), FV(fmls)},
                [2] = {FV(fadd), FV(fsub)},
                [3] = {FV(fmulx)},
                [4] = {FV(fcmeq)},
                [6] = {FV(fmax), FV(fmin)},
                [7] = {FV(frecps), FV(frsqrts)},
            },
        [1] =
            {
                [0] = {FV(fmaxnmp), FV(fminnmp)},
                [2] = {FV(faddp), FV(fabd)},
                [3] = {FV(fmul)},
                [4] = {FV(fcmge), FV(fcmgt)},
                [5] = {FV(facge), FV(facgt)},
                [6] = {FV(fmaxp), FV(fminp)},
                [7] = {FV(fdiv)},
            },
};

/* Scalar three same, integer: [U][opcode][size]. */
static const insn_fn scalar_same_int[2][24][4] = {
    [0] =
        {
            [0x01] = S_BHSD(sqadd),
            [0x05] = S_BHSD(sqsub),
            [0x06] = S_D(cmgt),
            [0x07] = S_D(cmge),
            [0x08] = S_D(sshl),
            [0x09] = S_BHSD(sqshl),
            [0x0a] = S_D(srshl),
            [0x0b] = S_BHSD(sqrshl),
            [0x10] = S_D(add),
            [0x11] = S_D(cmtst),
            [0x16] = S_HS(sqdmulh),
        },
    [1] =
        {
            [0x01] = S_BHSD(uqadd),
            [0x05] = S_BHSD(uqsub),
            [0x06] = S_D(cmhi),
            [0x07] = S_D(cmhs),
            [0x08] = S_D(ushl),
            [0x09] = S_BHSD(uqshl),
            [0x0a] = S_D(urshl),
            [0x0b] = S_BHSD(uqrshl),
            [0x10] = S_D(sub),
            [0x11] = S_D(cmeq),
            [0x16] = S_HS(sqrdmulh),
        },
};

/* Scalar three same, FP: [U][opcode - 0x18][size<1>][sz]. */
static const insn_fn scalar_same_fp[2][8][2][2] = {
    [0] =
        {
            [3] = {FS(fmulx)},
            [4] = {FS(fcmeq)},
            [7] = {FS(frecps), FS(frsqrts)},
        },
    [1] =
        {
            [2] = {{NULL, NULL}, FS(fabd)},
            [4] = {FS(fcmge), FS(fcmgt)},
            [5] = {FS(facge), FS(facgt)},
        },
};

/* Three different: [U][opcode][size][Q] (C4.1.95 "Advanced SIMD three
 * different"; size = 11 reserved but for the 64-bit PMULL of FEAT_PMULL). */
static const insn_fn three_diff[2][16][4][2] = {
    [0] =
        {
            [0x0] = D_BHS(saddl),
            [0x1] = D_BHS(saddw),
            [0x2] = D_BHS(ssubl),
            [0x3] = D_BHS(ssubw),
            [0x4] = D_BHS(addhn),
            [0x5] = D_BHS(sabal),
            [0x6] = D_BHS(subhn),
            [0x7] = D_BHS(sabdl),
            [0x8] = D_BHS(smlal),
            [0x9] = D_HS(sqdmlal),
            [0xa] = D_BHS(smlsl),
            [0xb] = D_HS(sqdmlsl),
            [0xc] = D_BHS(smull),
            [0xd] = D_HS(sqdmull),
            [0xe] = D_B(pmull),
        },
    [1] =
        {
            [0x0] = D_BHS(uaddl),
            [0x1] = D_BHS(uaddw),
            [0x2] = D_BHS(usubl),
            [0x3] = D_BHS(usubw),
            [0x4] = D_BHS(raddhn),
            [0x5] = D_BHS(uabal),
            [0x6] = D_BHS(rsubhn),
            [0x7] = D_BHS(uabdl),
            [0x8] = D_BHS(umlal),
            [0xa] = D_BHS(umlsl),
            [0xc] = D_BHS(umull),
        },
};

/* Scalar three different (U = 0 only): [opcode][size]. */
static const insn_fn scalar_diff[16][4] = {
    [0x9] = {[1] = exec_sqdmlal_16_1_0, [2] = exec_sqdmlal_32_1_0},
    [0xb] = {[1] = exec_sqdmlsl_16_1_0, [2] = exec_sqdmlsl_32_1_0},
    [0xd] = {[1] = exec_sqdmull_16_1_0, [2] = exec_sqdmull_32_1_0},
};

/* Across lanes, integer: [U][opcode][size][Q]; size:Q = 100 (2S) and
 * size = 11 are reserved. */
static const insn_fn across_int[2][32][4][2] = {
    [0] =
        {
            [0x03] = A_BHS(saddlv),
            [0x0a] = A_BHS(smaxv),
            [0x1a] = A_BHS(sminv),
            [0x1b] = A_BHS(addv),
        },
    [1] =
        {
            [0x03] = A_BHS(uaddlv),
            [0x0a] = A_BHS(umaxv),
            [0x1a] = A_BHS(uminv),
        },
};

/* ---- trans_ functions ---- */

static bool set_three(struct insn *in, const struct insn_fields *f, insn_fn fn)
{
    if (!fn)
        return false;
    in->fn = fn;
    in->rd = (uint8_t)f->Rd;
    in->rn = (uint8_t)f->Rn;
    in->rm = (uint8_t)f->Rm;
    return true;
}

bool trans_SIMD_three_same(struct insn *in, const struct insn_fields *f)
{
    if (f->opcode >= 0x18)
        return set_three(in, f,
                         three_same_fp[f->U][f->opcode - 0x18][f->size >> 1][f->size & 1][f->Q]);
    return set_three(in, f, three_same_int[f->U][f->opcode][f->size][f->Q]);
}

bool trans_SIMD_scalar_three_same(struct insn *in, const struct insn_fields *f)
{
    if (f->opcode >= 0x18)
        return set_three(in, f, scalar_same_fp[f->U][f->opcode - 0x18][f->size >> 1][f->size & 1]);
    return set_three(in, f, scalar_same_int[f->U][f->opcode][f->size]);
}

bool trans_SIMD_three_diff(struct insn *in, const struct insn_fields *f)
{
    return set_three(in, f, three_diff[f->U][f->opcode][f->size][f->Q]);
}

bool trans_SIMD_scalar_three_diff(struct insn *in, const struct insn_fields *f)
{
    return set_three(in, f, f->U ? NULL : scalar_diff[f->opcode][f->size]);
}

/* FMAXNMV, FMINNMV, FMAXV, FMINV: U = 1 (U = 0 is the FP16 form), 4S only. */
static insn_fn across_fp(const struct insn_fields *f)
{
    if (!f->U || (f->size & 1) || !f->Q)
        return NULL;
    bool min = f->size >> 1;
    if (f->opcode == 0x0c)
        return min ? exec_fminnmv : exec_fmaxnmv;
    if (f->opcode == 0x0f)
        return min ? exec_fminv : exec_fmaxv;
    return NULL;
}

bool trans_SIMD_across_lanes(struct insn *in, const struct insn_fields *f)
{
    insn_fn fn = across_int[f->U][f->opcode][f->size][f->Q];
    if (!fn)
        fn = across_fp(f);
    if (!fn)
        return false;
    in->fn = fn;
    in->rd = (uint8_t)f->Rd;
    in->rn = (uint8_t)f->Rn;
    return true;
}

/* Scalar pairwise: ADDP (U = 0, D only) and, with U = 1, the FP ones on
 * S or D by sz (U = 0 with these opcodes is the FP16 form). */
static const insn_fn scalar_pair_fp[16][2][2] = {
    [0x0c] = {FS(fmaxnmp), FS(fminnmp)},
    [0x0d] = {FS(faddp)},
    [0x0f] = {FS(fmaxp), FS(fminp)},
};

bool trans_SIMD_scalar_pairwise(struct insn *in, const struct insn_fields *f)
{
    insn_fn fn = NULL;
    if (!f->U && f->opcode == 0x1b && f->size == 3)
        fn = exec_addp_scalar;
    else if (f->U && f->opcode < 16)
        fn = scalar_pair_fp[f->opcode][f->size >> 1][f->size & 1];
    if (!fn)
        return false;
    in->fn = fn;
    in->rd = (uint8_t)f->Rd;
    in->rn = (uint8_t)f->Rn;
    return true;
}
