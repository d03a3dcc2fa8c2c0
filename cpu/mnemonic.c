/* The mnemonic oracle: for a word the decoder accepts, the name the Arm ARM
 * prefers to print for it.
 *
 * Organised like the decoder: decode_family_name() says which family of
 * the pattern table the word belongs to (or that it is UNDEFINED), and one
 * small function per family derives the mnemonic from the fields. Each
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
#include <string.h>

#include "cpu/decode.h"
#include "cpu/mnemonic.h"

/* Condition names as LLVM and Capstone print them (HS/LO rather than
 * CS/CC: the Arm ARM allows either). */
static const char *const b_cond_names[16] = {
    "b.eq", "b.ne", "b.hs", "b.lo", "b.mi", "b.pl", "b.vs", "b.vc",
    "b.hi", "b.ls", "b.ge", "b.lt", "b.gt", "b.le", "b.al", "b.nv",
};

static unsigned rd_field(uint32_t w)
{
    return bits(w, 4, 0);
}

static unsigned rn_field(uint32_t w)
{
    return bits(w, 9, 5);
}

static unsigned rm_field(uint32_t w)
{
    return bits(w, 20, 16);
}

/* ---- data processing, immediate ---- */

static const char *m_adr(uint32_t w)
{
    return bit(w, 31) ? "adrp" : "adr";
}

/* ADD (immediate) is MOV (to/from SP) when it adds #0 and either register
 * is SP; ADDS/SUBS with Rd = ZR are CMN/CMP. */
static const char *m_add_sub_imm(uint32_t w)
{
    bool sub = bit(w, 30), setflags = bit(w, 29);
    unsigned rd = rd_field(w), rn = rn_field(w);
    if (setflags)
        return rd == 31 ? (sub ? "cmp" : "cmn") : (sub ? "subs" : "adds");
    if (sub)
        return "sub";
    bool zero = !bit(w, 22) && bits(w, 21, 10) == 0;
    return zero && (rd == 31 || rn == 31) ? "mov" : "add";
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

static const char *m_logic_imm(uint32_t w)
{
    switch (bits(w, 30, 29)) {
    case 0: return "and";
    case 1:
        if (rn_field(w) == 31 &&
            !move_wide_preferred(bit(w, 31), bit(w, 22), bits(w, 15, 10), bits(w, 21, 16)))
            return "mov";
        return "orr";
    case 2: return "eor";
    default: return rd_field(w) == 31 ? "tst" : "ands";
    }
}

/* MOVZ and MOVN are MOV unless they move #0 with a non-zero shift; the
 * 32-bit MOVN is also not MOV when imm16 is all ones (MOVZ builds that
 * value and is the one printed as MOV). */
static const char *m_move_wide(uint32_t w)
{
    unsigned opc = bits(w, 30, 29), hw = bits(w, 22, 21), imm16 = bits(w, 20, 5);
    bool plain = !(imm16 == 0 && hw != 0);
    switch (opc) {
    case 0: return plain && (bit(w, 31) || imm16 != 0xffff) ? "mov" : "movn";
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

static const char *m_bitfield(uint32_t w)
{
    bool sf = bit(w, 31);
    unsigned immr = bits(w, 21, 16), imms = bits(w, 15, 10);
    switch (bits(w, 30, 29)) {
    case 0: return m_sbfm(sf, immr, imms);
    case 1: return m_bfm(rn_field(w), immr, imms);
    case 2: return m_ubfm(sf, immr, imms);
    default: return "bitfield";
    }
}

static const char *m_extr(uint32_t w)
{
    return rn_field(w) == rm_field(w) ? "ror" : "extr";
}

/* ---- branches, exception generation, system ---- */

static const char *m_b_cond(uint32_t w)
{
    /* bit 4 set is BC.cond (FEAT_HBC). */
    static const char *const bc_names[16] = {
        "bc.eq", "bc.ne", "bc.hs", "bc.lo", "bc.mi", "bc.pl", "bc.vs", "bc.vc",
        "bc.hi", "bc.ls", "bc.ge", "bc.lt", "bc.gt", "bc.le", "bc.al", "bc.nv",
    };
    return bit(w, 4) ? bc_names[bits(w, 3, 0)] : b_cond_names[bits(w, 3, 0)];
}

static const char *m_exception(uint32_t w)
{
    unsigned opc = bits(w, 23, 21), ll = bits(w, 1, 0);
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
static const char *m_hint(uint32_t w)
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
    unsigned imm = bits(w, 11, 5);
    return imm < 48 && names[imm] ? names[imm] : "hint";
}

/* CLREX, DSB, DMB, ISB, and the DSB/barrier encodings with names of their
 * own: SSBB and PSSBB (DSB with CRm 0000 and 0100), SB, DSB nXS, TCOMMIT. */
static const char *m_barrier(uint32_t w)
{
    unsigned crm = bits(w, 11, 8);
    switch (bits(w, 7, 5)) {
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
static const char *m_msr_imm(uint32_t w)
{
    static const char *const flag_ops[3] = {"cfinv", "xaflag", "axflag"};
    unsigned op1 = bits(w, 18, 16), op2 = bits(w, 7, 5);
    if (op1 == 0 && bits(w, 11, 8) == 0 && op2 < 3)
        return flag_ops[op2];
    return "msr";
}

static const char *m_mrs_msr(uint32_t w)
{
    return bit(w, 21) ? "mrs" : "msr";
}

/* BR, BLR, RET, ERET, DRPS and their pointer-authenticating forms. */
static const char *m_branch_reg(uint32_t w)
{
    static const char *const plain[6] = {"br", "blr", "ret", NULL, "eret", "drps"};
    static const char *const pauth[6][2] = {
        {"braaz", "brabz"}, {"blraaz", "blrabz"}, {"retaa", "retab"},
        {NULL, NULL},       {"eretaa", "eretab"}, {NULL, NULL},
    };
    static const char *const pauth_reg[2][2] = {{"braa", "brab"}, {"blraa", "blrab"}};
    unsigned opc = bits(w, 24, 21), op3 = bits(w, 15, 10);
    const char *name = NULL;
    if (opc < 6 && op3 == 0)
        name = plain[opc];
    else if (opc < 6 && (op3 == 2 || op3 == 3))
        name = pauth[opc][op3 & 1];
    else if ((opc == 8 || opc == 9) && (op3 == 2 || op3 == 3))
        name = pauth_reg[opc & 1][op3 & 1];
    return name ? name : "branch (register)";
}

static const char *m_b(uint32_t w)
{
    return bit(w, 31) ? "bl" : "b";
}

static const char *m_cb(uint32_t w)
{
    return bit(w, 24) ? "cbnz" : "cbz";
}

static const char *m_tb(uint32_t w)
{
    return bit(w, 24) ? "tbnz" : "tbz";
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

static unsigned size_column(uint32_t w)
{
    unsigned size = bits(w, 31, 30);
    return size < 2 ? size : 2;
}

static const char *m_exclusive(uint32_t w)
{
    unsigned idx = bit(w, 23) << 3 | bit(w, 22) << 2 | bit(w, 21) << 1 | bit(w, 15);
    return excl_names[idx][size_column(w)];
}

static const char *m_ldapr(uint32_t w)
{
    static const char *const names[3] = {"ldaprb", "ldaprh", "ldapr"};
    return names[size_column(w)];
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
 * discarded (Rt = ZR); SWP has no such alias. */
static const char *m_atomic(uint32_t w)
{
    unsigned o3_opc = bit(w, 15) << 3 | bits(w, 14, 12);
    unsigned order = bit(w, 23) << 1 | bit(w, 22), size = size_column(w);
    if (o3_opc == 8)
        return swp_names[order][size];
    if (o3_opc == 12)
        return m_ldapr(w);
    if (o3_opc > 8)
        return "atomic memory operations";
    if (!bit(w, 23) && rd_field(w) == 31)
        return atomic_st_names[o3_opc][order][size];
    return atomic_ld_names[o3_opc][order][size];
}

static const char *m_ldr_literal(uint32_t w)
{
    static const char *const names[4] = {"ldr", "ldr", "ldrsw", "prfm"};
    return names[bits(w, 31, 30)];
}

/* LDP/STP, LDNP/STNP (bits 24:23 = 00), LDPSW and STGP (opc = 01). */
static const char *m_pair(uint32_t w)
{
    unsigned opc = bits(w, 31, 30);
    bool load = bit(w, 22), no_alloc = bits(w, 24, 23) == 0;
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

static const char *ldst_name(const char *const table[4][4], uint32_t w, const char *family)
{
    const char *name = table[bits(w, 31, 30)][bits(w, 23, 22)];
    return name ? name : family;
}

/* Bits 11:10: unscaled, post-index, unprivileged, pre-index. */
static const char *m_ldst_imm9(uint32_t w)
{
    switch (bits(w, 11, 10)) {
    case 0: return ldst_name(ldst_unscaled_names, w, "load/store (imm9)");
    case 2: return ldst_name(ldst_unpriv_names, w, "load/store (imm9)");
    default: return ldst_name(ldst_names, w, "load/store (imm9)");
    }
}

static const char *m_ldst_reg(uint32_t w)
{
    return ldst_name(ldst_names, w, "load/store (register offset)");
}

static const char *m_ldst_uimm(uint32_t w)
{
    return ldst_name(ldst_names, w, "load/store (unsigned immediate)");
}

/* ---- data processing, register ---- */

/* ORR is MOV (register) for an unshifted ZR source; ORN with a ZR source
 * is MVN; ANDS to ZR is TST. */
static const char *m_logic_shifted(uint32_t w)
{
    static const char *const names[8] = {"and", "bic", "orr", "orn", "eor", "eon", "ands", "bics"};
    unsigned idx = bits(w, 30, 29) << 1 | bit(w, 21);
    bool rn_zr = rn_field(w) == 31;
    if (idx == 2 && rn_zr && bits(w, 23, 22) == 0 && bits(w, 15, 10) == 0)
        return "mov";
    if (idx == 3 && rn_zr)
        return "mvn";
    if (idx == 6 && rd_field(w) == 31)
        return "tst";
    return names[idx];
}

/* ADDS/SUBS to ZR are CMN/CMP; SUB/SUBS from ZR are NEG/NEGS. */
static const char *m_add_sub_shifted(uint32_t w)
{
    bool sub = bit(w, 30), setflags = bit(w, 29);
    bool rd_zr = rd_field(w) == 31, rn_zr = rn_field(w) == 31;
    if (!sub)
        return setflags ? (rd_zr ? "cmn" : "adds") : "add";
    if (setflags && rd_zr)
        return "cmp";
    if (rn_zr)
        return setflags ? "negs" : "neg";
    return setflags ? "subs" : "sub";
}

/* Only the flag-setting forms have aliases here: Rd is SP for ADD/SUB. */
static const char *m_add_sub_extended(uint32_t w)
{
    bool sub = bit(w, 30), setflags = bit(w, 29), rd_zr = rd_field(w) == 31;
    if (setflags)
        return rd_zr ? (sub ? "cmp" : "cmn") : (sub ? "subs" : "adds");
    return sub ? "sub" : "add";
}

/* SBC/SBCS from ZR are NGC/NGCS. */
static const char *m_adc_sbc(uint32_t w)
{
    bool sub = bit(w, 30), setflags = bit(w, 29);
    if (!sub)
        return setflags ? "adcs" : "adc";
    if (rn_field(w) == 31)
        return setflags ? "ngcs" : "ngc";
    return setflags ? "sbcs" : "sbc";
}

static const char *m_ccmp(uint32_t w)
{
    return bit(w, 30) ? "ccmp" : "ccmn";
}

/* The aliases of CSINC/CSINV/CSNEG exist only for conditions other than
 * AL and NV (cond<3:1> != 111), whose inversion is meaningless. */
static const char *m_csel(uint32_t w)
{
    unsigned rn = rn_field(w), rm = rm_field(w);
    bool invertible = bits(w, 15, 13) != 7;
    switch (bit(w, 30) << 1 | bit(w, 10)) {
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
static const char *m_dp_1src(uint32_t w)
{
    static const char *const names[6] = {"rbit", "rev16", "rev32", "rev", "clz", "cls"};
    unsigned opcode = bits(w, 15, 10);
    if (bits(w, 20, 16) != 0 || opcode > 5)
        return "data processing (1 source)";
    if (opcode == 2 && !bit(w, 31))
        return "rev";
    return names[opcode];
}

/* LSLV, LSRV, ASRV and RORV are always printed as LSL, LSR, ASR and ROR. */
static const char *m_dp_2src(uint32_t w)
{
    static const char *const names[24] = {
        [2] = "udiv",     [3] = "sdiv",     [8] = "lsl",      [9] = "lsr",      [10] = "asr",
        [11] = "ror",     [16] = "crc32b",  [17] = "crc32h",  [18] = "crc32w",  [19] = "crc32x",
        [20] = "crc32cb", [21] = "crc32ch", [22] = "crc32cw", [23] = "crc32cx",
    };
    unsigned opcode = bits(w, 15, 10);
    return opcode < 24 && names[opcode] ? names[opcode] : "data processing (2 source)";
}

/* The multiply-accumulates with Ra = ZR are the plain multiplies. */
static const char *m_dp_3src(uint32_t w)
{
    static const char *const names[8][2][2] = {
        /* op31, o0, Ra == ZR */
        [0] = {{"madd", "mul"}, {"msub", "mneg"}},
        [1] = {{"smaddl", "smull"}, {"smsubl", "smnegl"}},
        [2] = {{"smulh", "smulh"}, {NULL, NULL}},
        [5] = {{"umaddl", "umull"}, {"umsubl", "umnegl"}},
        [6] = {{"umulh", "umulh"}, {NULL, NULL}},
    };
    const char *name = names[bits(w, 23, 21)][bit(w, 15)][bits(w, 14, 10) == 31];
    return bits(w, 30, 29) == 0 && name ? name : "data processing (3 source)";
}

/* SYS: every accepted encoding is one of the DC, IC, AT or TLBI aliases
 * (Arm ARM C5.3), whose mnemonic is the first word of its name. */
const char *sys_name(uint32_t raw); /* cpu/exec_sys.c */
static const char *m_sys(uint32_t w)
{
    const char *name = sys_name(w);
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

struct family {
    const char *name; /* as in the decoder's pattern table */
    const char *(*mnemonic)(uint32_t w);
};

static const struct family families[] = {
    {"ADR/ADRP", m_adr},
    {"ADD/SUB (immediate)", m_add_sub_imm},
    {"logical (immediate)", m_logic_imm},
    {"move wide", m_move_wide},
    {"bitfield", m_bitfield},
    {"EXTR", m_extr},
    {"B.cond", m_b_cond},
    {"exception generation", m_exception},
    {"hints", m_hint},
    {"barriers", m_barrier},
    {"MSR (immediate)", m_msr_imm},
    {"MRS/MSR (register)", m_mrs_msr},
    {"SYS", m_sys},
    {"branch (register)", m_branch_reg},
    {"B/BL", m_b},
    {"CBZ/CBNZ", m_cb},
    {"TBZ/TBNZ", m_tb},
    {"CAS", m_exclusive},
    {"CASP", m_exclusive},
    {"load/store exclusive", m_exclusive},
    {"LDAPR", m_ldapr},
    {"atomic memory operations", m_atomic},
    {"load register (literal)", m_ldr_literal},
    {"load/store pair", m_pair},
    {"load/store (imm9)", m_ldst_imm9},
    {"load/store (register offset)", m_ldst_reg},
    {"load/store (unsigned immediate)", m_ldst_uimm},
    {"logical (shifted register)", m_logic_shifted},
    {"ADD/SUB (shifted register)", m_add_sub_shifted},
    {"ADD/SUB (extended register)", m_add_sub_extended},
    {"ADC/SBC", m_adc_sbc},
    {"CCMN/CCMP", m_ccmp},
    {"conditional select", m_csel},
    {"data processing (1 source)", m_dp_1src},
    {"data processing (2 source)", m_dp_2src},
    {"data processing (3 source)", m_dp_3src},
};

#define NFAMILIES (sizeof(families) / sizeof(families[0]))

const char *a64_mnemonic(uint32_t raw)
{
    const char *family = decode_family_name(raw);
    if (!family)
        return NULL;
    for (size_t i = 0; i < NFAMILIES; i++) {
        if (strcmp(families[i].name, family) == 0)
            return families[i].mnemonic(raw);
    }
    return family;
}
