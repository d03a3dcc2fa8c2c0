/* The mnemonic oracle: for a word the decoder accepts, the name the Arm ARM
 * prefers to print for it.
 *
 * Organised like the decoder: decode_fields() says which family of the
 * pattern table the word belongs to (or that it is UNDEFINED) and extracts
 * the fields its pattern names, and one small function per family derives
 * the mnemonic from those fields. Each
 * alias test restates the condition printed under "Alias conditions" in
 * the instruction's Arm ARM description (DDI 0487, part C6); where an
 * instruction has several aliases the conditions are disjoint, except
 * SUBS, where CMP (Rd == 31) is tested before NEGS (Rn == 31) as the Arm
 * ARM lists them.
 *
 * A family this file does not know yet yields the family name itself, so
 * that the decode-coverage test reports it instead of hiding it.
 */
#include <stddef.h>

#include "cpu/decode.h"
#include "cpu/mnemonic.h"

/* Condition names as LLVM and Capstone print them (HS/LO rather than
 * CS/CC: the Arm ARM allows either). */
static const char *const b_cond_names[16] = {
    "b.eq", "b.ne", "b.hs", "b.lo", "b.mi", "b.pl", "b.vs", "b.vc",
    "b.hi", "b.ls", "b.ge", "b.lt", "b.gt", "b.le", "b.al", "b.nv",
};

/* ---- data processing, immediate ---- */

static const char *m_adr(const struct insn_fields *f)
{
    return f->op ? "adrp" : "adr";
}

/* ADD (immediate) is MOV (to/from SP) when it adds #0 and either register
 * is SP; ADDS/SUBS with Rd = ZR are CMN/CMP. */
static const char *m_add_sub_imm(const struct insn_fields *f)
{
    bool sub = f->op, setflags = f->S;
    if (setflags)
        return f->Rd == 31 ? (sub ? "cmp" : "cmn") : (sub ? "subs" : "adds");
    if (sub)
        return "sub";
    bool zero = !f->sh && f->imm == 0;
    return zero && (f->Rd == 31 || f->Rn == 31) ? "mov" : "add";
}

/* MoveWidePreferred() as the Arm ARM shared pseudocode states it: TRUE
 * when a MOVZ or MOVN is the better way to write the bitmask immediate, so
 * that ORR is printed as ORR rather than as MOV (bitmask immediate). Its
 * MOVN test is narrower than "a MOVN could build the value" (#0x1ffff on
 * 32 bits is FALSE); GNU objdump and LLVM test the value instead, and so
 * print ORR for a few words where the Arm ARM prefers MOV. */
static bool move_wide_preferred(bool sf, bool n, unsigned imms, unsigned immr)
{
    unsigned width = sf ? 64 : 32;
    /* The element must be the whole register. */
    if (sf && !n)
        return false;
    if (!sf && (n || (imms & 0x20)))
        return false;
    /* At most 16 ones (a MOVZ), not crossing a halfword when rotated. */
    if (imms < 16)
        return ((0u - immr) & 15) <= 15 - imms;
    /* At most 16 zeros (a MOVN), likewise. */
    if (imms >= width - 15)
        return (immr & 15) <= imms - (width - 15);
    return false;
}

static const char *m_logic_imm(const struct insn_fields *f)
{
    switch (f->opc) {
    case 0: return "and";
    case 1:
        if (f->Rn == 31 && !move_wide_preferred(f->sf, f->N, f->imms, f->immr))
            return "mov";
        return "orr";
    case 2: return "eor";
    default: return f->Rd == 31 ? "tst" : "ands";
    }
}

/* MOVZ and MOVN are MOV unless they move #0 with a non-zero shift; the
 * 32-bit MOVN is also not MOV when imm16 is all ones (MOVZ builds that
 * value and is the one printed as MOV). */
static const char *m_move_wide(const struct insn_fields *f)
{
    unsigned imm16 = f->imm;
    bool plain = !(imm16 == 0 && f->hw != 0);
    switch (f->opc) {
    case 0: return plain && (f->sf || imm16 != 0xffff) ? "mov" : "movn";
    case 2: return plain ? "mov" : "movz";
    case 3: return "movk";
    default: return "move wide";
    }
}

/* SBFM: ASR, SBFIZ, SXTB/SXTH/SXTW, else SBFX (BFXPreferred()). */
static const char *m_sbfm(bool sf, unsigned immr, unsigned imms)
{
    if (imms == (sf ? 63u : 31u))
        return "asr";
    if (imms < immr)
        return "sbfiz";
    if (immr == 0 && imms == 7)
        return "sxtb";
    if (immr == 0 && imms == 15)
        return "sxth";
    if (sf && immr == 0 && imms == 31)
        return "sxtw";
    return "sbfx";
}

/* BFM: BFC (the source is ZR) and BFI insert, BFXIL extracts. */
static const char *m_bfm(unsigned rn, unsigned immr, unsigned imms)
{
    if (imms < immr)
        return rn == 31 ? "bfc" : "bfi";
    return "bfxil";
}

/* UBFM: LSL, LSR, UBFIZ, UXTB/UXTH (32-bit only), else UBFX. */
static const char *m_ubfm(bool sf, unsigned immr, unsigned imms)
{
    unsigned top = sf ? 63 : 31;
    if (imms != top && imms + 1 == immr)
        return "lsl";
    if (imms == top)
        return "lsr";
    if (imms < immr)
        return "ubfiz";
    if (!sf && immr == 0 && imms == 7)
        return "uxtb";
    if (!sf && immr == 0 && imms == 15)
        return "uxth";
    return "ubfx";
}

static const char *m_bitfield(const struct insn_fields *f)
{
    switch (f->opc) {
    case 0: return m_sbfm(f->sf, f->immr, f->imms);
    case 1: return m_bfm(f->Rn, f->immr, f->imms);
    case 2: return m_ubfm(f->sf, f->immr, f->imms);
    default: return "bitfield";
    }
}

static const char *m_extr(const struct insn_fields *f)
{
    return f->Rn == f->Rm ? "ror" : "extr";
}

/* ---- branches, exception generation, system ---- */

/* The pattern has bit 4 (o0) clear: BC.cond (FEAT_HBC) is not decoded. */
static const char *m_b_cond(const struct insn_fields *f)
{
    return b_cond_names[f->cond];
}

static const char *m_exception(const struct insn_fields *f)
{
    unsigned opc = f->opc, ll = f->LL;
    static const char *const gen[4] = {NULL, "svc", "hvc", "smc"};
    static const char *const dcps[4] = {NULL, "dcps1", "dcps2", "dcps3"};
    switch (opc) {
    case 0: return gen[ll] ? gen[ll] : "exception generation";
    case 1: return "brk";
    case 2: return "hlt";
    case 3: return "tcancel";
    case 5: return dcps[ll] ? dcps[ll] : "exception generation";
    default: return "exception generation";
    }
}

/* The hint space, indexed by CRm:op2. Each named entry is an instruction
 * of its own in the Arm ARM (C6.2): on a PE without its feature it
 * executes as a NOP but keeps its name. Everything else is HINT #imm. */
static const char *m_hint(const struct insn_fields *f)
{
    static const char *const names[48] = {
        [0] = "nop",       [1] = "yield",      [2] = "wfe",        [3] = "wfi",
        [4] = "sev",       [5] = "sevl",       [6] = "dgh",        [7] = "xpaclri",
        [8] = "pacia1716", [10] = "pacib1716", [12] = "autia1716", [14] = "autib1716",
        [16] = "esb",      [17] = "psb",       [18] = "tsb",       [20] = "csdb",
        [22] = "clrbhb",   [24] = "paciaz",    [25] = "paciasp",   [26] = "pacibz",
        [27] = "pacibsp",  [28] = "autiaz",    [29] = "autiasp",   [30] = "autibz",
        [31] = "autibsp",  [32] = "bti",       [34] = "bti",       [36] = "bti",
        [38] = "bti",
    };
    unsigned imm = f->CRm << 3 | f->op2;
    return imm < 48 && names[imm] ? names[imm] : "hint";
}

/* CLREX, DSB, DMB, ISB, and the DSB/barrier encodings with names of their
 * own: SSBB and PSSBB (DSB with CRm 0000 and 0100), SB, DSB nXS, TCOMMIT. */
static const char *m_barrier(const struct insn_fields *f)
{
    unsigned crm = f->CRm;
    switch (f->op2) {
    case 1: return (crm & 3) == 2 ? "dsb" : "barriers";
    case 2: return "clrex";
    case 3: return "tcommit";
    case 4: return crm == 0 ? "ssbb" : crm == 4 ? "pssbb" : "dsb";
    case 5: return "dmb";
    case 6: return "isb";
    case 7: return "sb";
    default: return "barriers";
    }
}

/* MSR (immediate), and the FEAT_FlagM/FlagM2 instructions that share the
 * space with op1 = 0, CRm = 0. */
static const char *m_msr_imm(const struct insn_fields *f)
{
    static const char *const flag_ops[3] = {"cfinv", "xaflag", "axflag"};
    if (f->op1 == 0 && f->CRm == 0 && f->op2 < 3)
        return flag_ops[f->op2];
    return "msr";
}

static const char *m_mrs_msr(const struct insn_fields *f)
{
    return f->L ? "mrs" : "msr";
}

/* BR, BLR, RET, ERET, DRPS. The pattern has op3 = 000000: the
 * pointer-authenticating forms are not decoded. */
static const char *m_branch_reg(const struct insn_fields *f)
{
    static const char *const plain[6] = {"br", "blr", "ret", NULL, "eret", "drps"};
    const char *name = f->opc < 6 ? plain[f->opc] : NULL;
    return name ? name : "branch (register)";
}

static const char *m_b(const struct insn_fields *f)
{
    return f->op ? "bl" : "b";
}

static const char *m_cb(const struct insn_fields *f)
{
    return f->op ? "cbnz" : "cbz";
}

static const char *m_tb(const struct insn_fields *f)
{
    return f->op ? "tbnz" : "tbz";
}

/* ---- loads and stores ---- */

/* The exclusive, ordered and compare-and-swap space (bits 29:24 = 001000),
 * by o2:L:o1:o0 and by size: byte, halfword, word or doubleword. With
 * o1 = 1 and o2 = 0 the byte and halfword sizes are CASP (W and X pairs),
 * the others the exclusive pairs. */
static const char *const excl_names[16][3] = {
    {"stxrb", "stxrh", "stxr"},    {"stlxrb", "stlxrh", "stlxr"}, {"casp", "casp", "stxp"},
    {"caspl", "caspl", "stlxp"},   {"ldxrb", "ldxrh", "ldxr"},    {"ldaxrb", "ldaxrh", "ldaxr"},
    {"caspa", "caspa", "ldxp"},    {"caspal", "caspal", "ldaxp"}, {"stllrb", "stllrh", "stllr"},
    {"stlrb", "stlrh", "stlr"},    {"casb", "cash", "cas"},       {"caslb", "caslh", "casl"},
    {"ldlarb", "ldlarh", "ldlar"}, {"ldarb", "ldarh", "ldar"},    {"casab", "casah", "casa"},
    {"casalb", "casalh", "casal"},
};

static unsigned size_column(unsigned size)
{
    return size < 2 ? size : 2;
}

static const char *m_exclusive(const struct insn_fields *f)
{
    unsigned idx = f->o2 << 3 | f->L << 2 | f->o1 << 1 | f->o0;
    return excl_names[idx][size_column(f->size)];
}

/* CAS: o2 = 1, o1 = 1 in the table above. */
static const char *m_cas(const struct insn_fields *f)
{
    unsigned idx = 1u << 3 | f->L << 2 | 1u << 1 | f->o0;
    return excl_names[idx][size_column(f->size)];
}

/* CASP: o2 = 0, o1 = 1; size is 0:sz. */
static const char *m_casp(const struct insn_fields *f)
{
    unsigned idx = f->L << 2 | 1u << 1 | f->o0;
    return excl_names[idx][size_column(f->sz)];
}

static const char *m_ldapr(const struct insn_fields *f)
{
    static const char *const names[3] = {"ldaprb", "ldaprh", "ldapr"};
    return names[size_column(f->size)];
}

/* LD<op>, ST<op> and SWP, spelled out by the preprocessor in the order the
 * Arm ARM composes the names: operation, ordering (none, L, A, AL: index
 * A:R), size (B, H, none for W/X). */
/* clang-format off */
#define NAME_SIZES(base, order) {base order "b", base order "h", base order}
#define NAME_ORDERS(base) \
    {NAME_SIZES(base, ""), NAME_SIZES(base, "l"), NAME_SIZES(base, "a"), NAME_SIZES(base, "al")}
#define ST_ORDERS(base) {NAME_SIZES(base, ""), NAME_SIZES(base, "l")}
/* clang-format on */

/* Indexed by o3:opc (0-7) for LD<op>; SWP is o3:opc = 1000. */
static const char *const atomic_ld_names[8][4][3] = {
    NAME_ORDERS("ldadd"),  NAME_ORDERS("ldclr"),  NAME_ORDERS("ldeor"),  NAME_ORDERS("ldset"),
    NAME_ORDERS("ldsmax"), NAME_ORDERS("ldsmin"), NAME_ORDERS("ldumax"), NAME_ORDERS("ldumin"),
};
static const char *const atomic_st_names[8][2][3] = {
    ST_ORDERS("stadd"),  ST_ORDERS("stclr"),  ST_ORDERS("steor"),  ST_ORDERS("stset"),
    ST_ORDERS("stsmax"), ST_ORDERS("stsmin"), ST_ORDERS("stumax"), ST_ORDERS("stumin"),
};
static const char *const swp_names[4][3] = NAME_ORDERS("swp");

/* ST<op> is the alias of LD<op> without acquire (A = 0) whose old value is
 * discarded (Rt = ZR); SWP has no such alias. The decoder accepts o3 = 1
 * only with opc = 000 (SWP). */
static const char *m_atomic(const struct insn_fields *f)
{
    unsigned order = f->A << 1 | f->R, size = size_column(f->size);
    if (f->o3)
        return swp_names[order][size];
    if (!f->A && f->Rt == 31)
        return atomic_st_names[f->opc][order][size];
    return atomic_ld_names[f->opc][order][size];
}

static const char *m_ldr_literal(const struct insn_fields *f)
{
    static const char *const names[4] = {"ldr", "ldr", "ldrsw", "prfm"};
    return names[f->opc];
}

/* LDP/STP, LDNP/STNP (op2 = 00), LDPSW and STGP (opc = 01). */
static const char *m_pair(const struct insn_fields *f)
{
    unsigned opc = f->opc;
    bool load = f->L, no_alloc = f->op2 == 0;
    if (opc == 1)
        return load ? "ldpsw" : "stgp";
    if (no_alloc)
        return load ? "ldnp" : "stnp";
    return load ? "ldp" : "stp";
}

/* Single-register loads and stores, by size and opc, in the three naming
 * schemes: scaled/indexed (LDR), unscaled (LDUR) and unprivileged (LDTR). */
static const char *const ldst_names[4][4] = {
    {"strb", "ldrb", "ldrsb", "ldrsb"},
    {"strh", "ldrh", "ldrsh", "ldrsh"},
    {"str", "ldr", "ldrsw", NULL},
    {"str", "ldr", "prfm", NULL},
};
static const char *const ldst_unscaled_names[4][4] = {
    {"sturb", "ldurb", "ldursb", "ldursb"},
    {"sturh", "ldurh", "ldursh", "ldursh"},
    {"stur", "ldur", "ldursw", NULL},
    {"stur", "ldur", "prfum", NULL},
};
static const char *const ldst_unpriv_names[4][4] = {
    {"sttrb", "ldtrb", "ldtrsb", "ldtrsb"},
    {"sttrh", "ldtrh", "ldtrsh", "ldtrsh"},
    {"sttr", "ldtr", "ldtrsw", NULL},
    {"sttr", "ldtr", NULL, NULL},
};

static const char *ldst_name(const char *const table[4][4], const struct insn_fields *f,
                             const char *family)
{
    const char *name = table[f->size][f->opc];
    return name ? name : family;
}

/* op4: unscaled, post-index, unprivileged, pre-index. */
static const char *m_ldst_imm9(const struct insn_fields *f)
{
    switch (f->op4) {
    case 0: return ldst_name(ldst_unscaled_names, f, "load/store (imm9)");
    case 2: return ldst_name(ldst_unpriv_names, f, "load/store (imm9)");
    default: return ldst_name(ldst_names, f, "load/store (imm9)");
    }
}

static const char *m_ldst_reg(const struct insn_fields *f)
{
    return ldst_name(ldst_names, f, "load/store (register offset)");
}

static const char *m_ldst_uimm(const struct insn_fields *f)
{
    return ldst_name(ldst_names, f, "load/store (unsigned immediate)");
}

/* ---- data processing, register ---- */

/* ORR is MOV (register) for an unshifted ZR source; ORN with a ZR source
 * is MVN; ANDS to ZR is TST. */
static const char *m_logic_shifted(const struct insn_fields *f)
{
    static const char *const names[8] = {"and", "bic", "orr", "orn", "eor", "eon", "ands", "bics"};
    unsigned idx = f->opc << 1 | f->N;
    bool rn_zr = f->Rn == 31;
    if (idx == 2 && rn_zr && f->shift == 0 && f->imm == 0)
        return "mov";
    if (idx == 3 && rn_zr)
        return "mvn";
    if (idx == 6 && f->Rd == 31)
        return "tst";
    return names[idx];
}

/* ADDS/SUBS to ZR are CMN/CMP; SUB/SUBS from ZR are NEG/NEGS. */
static const char *m_add_sub_shifted(const struct insn_fields *f)
{
    bool sub = f->op, setflags = f->S;
    bool rd_zr = f->Rd == 31, rn_zr = f->Rn == 31;
    if (!sub)
        return setflags ? (rd_zr ? "cmn" : "adds") : "add";
    if (setflags && rd_zr)
        return "cmp";
    if (rn_zr)
        return setflags ? "negs" : "neg";
    return setflags ? "subs" : "sub";
}

/* Only the flag-setting forms have aliases here: Rd is SP for ADD/SUB. */
static const char *m_add_sub_extended(const struct insn_fields *f)
{
    bool sub = f->op, setflags = f->S, rd_zr = f->Rd == 31;
    if (setflags)
        return rd_zr ? (sub ? "cmp" : "cmn") : (sub ? "subs" : "adds");
    return sub ? "sub" : "add";
}

/* SBC/SBCS from ZR are NGC/NGCS. */
static const char *m_adc_sbc(const struct insn_fields *f)
{
    bool sub = f->op, setflags = f->S;
    if (!sub)
        return setflags ? "adcs" : "adc";
    if (f->Rn == 31)
        return setflags ? "ngcs" : "ngc";
    return setflags ? "sbcs" : "sbc";
}

static const char *m_ccmp(const struct insn_fields *f)
{
    return f->op ? "ccmp" : "ccmn";
}

/* The aliases of CSINC/CSINV/CSNEG exist only for conditions other than
 * AL and NV (cond<3:1> != 111), whose inversion is meaningless. */
static const char *m_csel(const struct insn_fields *f)
{
    unsigned rn = f->Rn, rm = f->Rm;
    bool invertible = f->cond >> 1 != 7;
    switch (f->op << 1 | f->op2) {
    case 0: return "csel";
    case 1:
        if (invertible && rm == 31 && rn == 31)
            return "cset";
        if (invertible && rm != 31 && rn != 31 && rn == rm)
            return "cinc";
        return "csinc";
    case 2:
        if (invertible && rm == 31 && rn == 31)
            return "csetm";
        if (invertible && rm != 31 && rn != 31 && rn == rm)
            return "cinv";
        return "csinv";
    default: return invertible && rn == rm ? "cneg" : "csneg";
    }
}

/* RBIT, REV16, REV32 (64-bit only; opcode 2 on 32 bits is REV), REV, CLZ,
 * CLS. REV64 is an alias of the 64-bit REV that is never preferred. */
static const char *m_dp_1src(const struct insn_fields *f)
{
    static const char *const names[6] = {"rbit", "rev16", "rev32", "rev", "clz", "cls"};
    if (f->opcode > 5)
        return "data processing (1 source)";
    if (f->opcode == 2 && !f->sf)
        return "rev";
    return names[f->opcode];
}

/* LSLV, LSRV, ASRV and RORV are always printed as LSL, LSR, ASR and ROR. */
static const char *m_dp_2src(const struct insn_fields *f)
{
    static const char *const names[24] = {
        [2] = "udiv",     [3] = "sdiv",     [8] = "lsl",      [9] = "lsr",      [10] = "asr",
        [11] = "ror",     [16] = "crc32b",  [17] = "crc32h",  [18] = "crc32w",  [19] = "crc32x",
        [20] = "crc32cb", [21] = "crc32ch", [22] = "crc32cw", [23] = "crc32cx",
    };
    unsigned opcode = f->opcode;
    return opcode < 24 && names[opcode] ? names[opcode] : "data processing (2 source)";
}

/* The multiply-accumulates with Ra = ZR are the plain multiplies. */
static const char *m_dp_3src(const struct insn_fields *f)
{
    static const char *const names[8][2][2] = {
        /* op31, o0, Ra == ZR */
        [0] = {{"madd", "mul"}, {"msub", "mneg"}},
        [1] = {{"smaddl", "smull"}, {"smsubl", "smnegl"}},
        [2] = {{"smulh", "smulh"}, {NULL, NULL}},
        [5] = {{"umaddl", "umull"}, {"umsubl", "umnegl"}},
        [6] = {{"umulh", "umulh"}, {NULL, NULL}},
    };
    const char *name = names[f->op31][f->o0][f->Ra == 31];
    return f->op54 == 0 && name ? name : "data processing (3 source)";
}

/* SYS: every accepted encoding is one of the DC, IC, AT or TLBI aliases
 * (Arm ARM C5.3), whose mnemonic is the first word of its name. */
const char *sys_name(uint32_t raw); /* cpu/exec_sys.c */
static const char *m_sys(const struct insn_fields *f)
{
    const char *name = sys_name(f->raw);
    if (!name)
        return "sys";
    if (name[0] == 'D')
        return "dc";
    if (name[0] == 'I')
        return "ic";
    if (name[0] == 'A')
        return "at";
    return "tlbi";
}

/* ---- dispatch on the decoder's family ---- */

/* ---- SIMD&FP loads and stores ---- */

static const char *m_fp_ldst_single(const struct insn_fields *f)
{
    return (f->opc & 1) ? "ldr" : "str";
}

static const char *m_fp_ldst_imm9(const struct insn_fields *f)
{
    if (f->op4 == 0)
        return (f->opc & 1) ? "ldur" : "stur";
    return m_fp_ldst_single(f);
}

static const char *m_fp_ldst_pair(const struct insn_fields *f)
{
    if (f->op2 == 0)
        return f->L ? "ldnp" : "stnp";
    return f->L ? "ldp" : "stp";
}

static const char *m_fp_ldr_literal(const struct insn_fields *f)
{
    (void)f;
    return "ldr";
}

typedef const char *mnemonic_fn(const struct insn_fields *f);

static mnemonic_fn *const mnemonics[FAM_COUNT] = {
    [FAM_PC_REL_ADDR] = m_adr,
    [FAM_ADD_SUB_IMM] = m_add_sub_imm,
    [FAM_LOGICAL_IMM] = m_logic_imm,
    [FAM_MOVE_WIDE] = m_move_wide,
    [FAM_BITFIELD] = m_bitfield,
    [FAM_EXTRACT] = m_extr,
    [FAM_COND_BRANCH] = m_b_cond,
    [FAM_EXCEPTION] = m_exception,
    [FAM_HINTS] = m_hint,
    [FAM_BARRIERS] = m_barrier,
    [FAM_PSTATE] = m_msr_imm,
    [FAM_SYSREG_MOVE] = m_mrs_msr,
    [FAM_SYSTEM] = m_sys,
    [FAM_BRANCH_REG] = m_branch_reg,
    [FAM_BRANCH_IMM] = m_b,
    [FAM_COMPARE_BRANCH] = m_cb,
    [FAM_TEST_BRANCH] = m_tb,
    [FAM_CAS] = m_cas,
    [FAM_CASP] = m_casp,
    [FAM_LDST_EXCLUSIVE] = m_exclusive,
    [FAM_LDAPR] = m_ldapr,
    [FAM_ATOMIC] = m_atomic,
    [FAM_LDR_LITERAL] = m_ldr_literal,
    [FAM_LDST_PAIR] = m_pair,
    [FAM_LDST_IMM9] = m_ldst_imm9,
    [FAM_LDST_REG] = m_ldst_reg,
    [FAM_LDST_UIMM] = m_ldst_uimm,
    [FAM_LOGICAL_SHIFTED] = m_logic_shifted,
    [FAM_ADD_SUB_SHIFTED] = m_add_sub_shifted,
    [FAM_ADD_SUB_EXTENDED] = m_add_sub_extended,
    [FAM_ADD_SUB_CARRY] = m_adc_sbc,
    [FAM_COND_COMPARE_REG] = m_ccmp,
    [FAM_COND_COMPARE_IMM] = m_ccmp,
    [FAM_COND_SELECT] = m_csel,
    [FAM_DP_1SRC] = m_dp_1src,
    [FAM_DP_2SRC] = m_dp_2src,
    [FAM_DP_3SRC] = m_dp_3src,
    [FAM_FP_LDR_LITERAL] = m_fp_ldr_literal,
    [FAM_FP_LDST_PAIR] = m_fp_ldst_pair,
    [FAM_FP_LDST_IMM9] = m_fp_ldst_imm9,
    [FAM_FP_LDST_REG] = m_fp_ldst_single,
    [FAM_FP_LDST_UIMM] = m_fp_ldst_single,
};

/* The families whose names another file of the oracle derives. */
static const char *m_other(enum insn_family family, const struct insn_fields *f)
{
    switch (family) {
    case FAM_SIMD_LDST_MULTIPLE:
    case FAM_SIMD_LDST_SINGLE:
    case FAM_SIMD_COPY:
    case FAM_SIMD_SCALAR_COPY:
    case FAM_SIMD_MOD_IMM:
    case FAM_SIMD_TABLE:
    case FAM_SIMD_PERMUTE:
    case FAM_SIMD_EXTRACT: return mnemonic_simd_perm(family, f);
    case FAM_FP_FIXED_CONV:
    case FAM_FP_INT_CONV:
    case FAM_FP_DP1:
    case FAM_FP_COMPARE:
    case FAM_FP_IMM:
    case FAM_FP_CCMP:
    case FAM_FP_DP2:
    case FAM_FP_CSEL:
    case FAM_FP_DP3: return mnemonic_fp(family, f);
    case FAM_SIMD_THREE_SAME:
    case FAM_SIMD_THREE_DIFF:
    case FAM_SIMD_ACROSS_LANES:
    case FAM_SIMD_SCALAR_THREE_SAME:
    case FAM_SIMD_SCALAR_THREE_DIFF:
    case FAM_SIMD_SCALAR_PAIRWISE: return mnemonic_simd_arith(family, f);
    case FAM_SIMD_TWO_MISC:
    case FAM_SIMD_SHIFT_IMM:
    case FAM_SIMD_INDEXED:
    case FAM_SIMD_SCALAR_TWO_MISC:
    case FAM_SIMD_SCALAR_SHIFT_IMM:
    case FAM_SIMD_SCALAR_INDEXED: return mnemonic_simd_misc(family, f);
    default: return NULL;
    }
}

const char *a64_mnemonic(uint32_t raw)
{
    struct insn_fields f;
    enum insn_family family = decode_fields(raw, &f);
    if (family == FAM_NONE)
        return NULL;
    if (mnemonics[family])
        return mnemonics[family](&f);
    const char *name = m_other(family, &f);
    return name ? name : decode_family_name(raw);
}
