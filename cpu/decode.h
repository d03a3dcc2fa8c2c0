/* Decoding helpers and the instruction families, shared by decode.c (the
 * pattern table) and the exec_*.c files (one trans_ function per family:
 * it checks the family's unallocated cases, fills struct insn and picks
 * the handler). */
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

/* Sign-extend the field x<hi:lo>. */
static inline int64_t sbits(uint32_t x, unsigned hi, unsigned lo)
{
    unsigned w = hi - lo + 1;
    uint64_t v = bits(x, hi, lo);
    return (int64_t)(v << (64 - w)) >> (64 - w);
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

/* A family decoder: fills IN for RAW, returns false if RAW is unallocated. */
typedef bool (*trans_fn)(struct insn *in, uint32_t raw);

/* exec_dp.c: data processing */
bool trans_ADR(struct insn *in, uint32_t raw);
bool trans_ADD_SUB_imm(struct insn *in, uint32_t raw);
bool trans_LOGIC_imm(struct insn *in, uint32_t raw);
bool trans_MOVE_wide(struct insn *in, uint32_t raw);
bool trans_BITFIELD(struct insn *in, uint32_t raw);
bool trans_EXTR(struct insn *in, uint32_t raw);
bool trans_LOGIC_shifted(struct insn *in, uint32_t raw);
bool trans_ADD_SUB_shifted(struct insn *in, uint32_t raw);
bool trans_ADD_SUB_extended(struct insn *in, uint32_t raw);
bool trans_ADC_SBC(struct insn *in, uint32_t raw);
bool trans_CCMP(struct insn *in, uint32_t raw);
bool trans_CSEL(struct insn *in, uint32_t raw);
bool trans_DP_1src(struct insn *in, uint32_t raw);
bool trans_DP_2src(struct insn *in, uint32_t raw);
bool trans_DP_3src(struct insn *in, uint32_t raw);

/* exec_branch.c: branches, exception generation, system */
bool trans_B(struct insn *in, uint32_t raw);
bool trans_B_cond(struct insn *in, uint32_t raw);
bool trans_CB(struct insn *in, uint32_t raw);
bool trans_TB(struct insn *in, uint32_t raw);
bool trans_BR_reg(struct insn *in, uint32_t raw);
bool trans_EXCEPTION(struct insn *in, uint32_t raw);
bool trans_HINT(struct insn *in, uint32_t raw);
bool trans_BARRIER(struct insn *in, uint32_t raw);
bool trans_MSR_imm(struct insn *in, uint32_t raw);
bool trans_MRS_MSR_reg(struct insn *in, uint32_t raw);

/* exec_sys.c: DC, IC, AT, TLBI */
bool trans_SYS(struct insn *in, uint32_t raw);

/* exec_ldst.c: loads and stores */
bool trans_LDR_literal(struct insn *in, uint32_t raw);
bool trans_LDST_pair(struct insn *in, uint32_t raw);
bool trans_LDST_imm9(struct insn *in, uint32_t raw);
bool trans_LDST_uimm(struct insn *in, uint32_t raw);
bool trans_LDST_reg(struct insn *in, uint32_t raw);
bool trans_LDST_exclusive(struct insn *in, uint32_t raw);
bool trans_LDAPR(struct insn *in, uint32_t raw);

/* exec_atomic.c: FEAT_LSE atomics */
bool trans_LDST_atomic(struct insn *in, uint32_t raw);
bool trans_CAS(struct insn *in, uint32_t raw);
bool trans_CASP(struct insn *in, uint32_t raw);

#endif
