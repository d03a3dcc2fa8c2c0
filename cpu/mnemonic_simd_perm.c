/* The mnemonic oracle for the Advanced SIMD copy, modified immediate,
 * table lookup, permute and extract classes, and for the structure loads
 * and stores (C4.1.88, C4.1.95). The alias tests restate the "Alias
 * conditions" of the Arm ARM (DDI 0487, C7.2):
 * - INS (element) and INS (general) are always printed as MOV;
 * - UMOV is MOV when it moves a 32-bit element to Wd or a 64-bit element
 *   to Xd (imm5 = xx100 with Q = 0, x1000 with Q = 1);
 * - DUP (element), scalar, is always printed as MOV.
 * The words reaching here are those the decoder accepts, so the
 * unallocated corners need no test.
 */
#include <stddef.h>

#include "cpu/decode.h"

static const char *m_copy(const struct insn_fields *f)
{
    if (f->op)
        return "mov"; /* INS (element) */
    switch (f->opcode) {
    case 0:
    case 1: return "dup";
    case 3: return "mov"; /* INS (general) */
    case 5: return "smov";
    default: return (f->imm & 3) == 0 ? "mov" : "umov"; /* S or D element */
    }
}

/* cmode:op as the MOVI, MVNI, ORR, BIC and FMOV decode tables list them. */
static const char *m_mod_imm(const struct insn_fields *f)
{
    unsigned cmode = f->cmode;
    if (cmode == 15)
        return "fmov";
    if (cmode < 12 && (cmode & 1))
        return f->op ? "bic" : "orr";
    if (cmode >= 14)
        return "movi";
    return f->op ? "mvni" : "movi";
}

static const char *const permute_names[8] = {
    NULL, "uzp1", "trn1", "zip1", NULL, "uzp2", "trn2", "zip2",
};

static const char *m_ldst_multiple(const struct insn_fields *f)
{
    /* opcode: 0000 LD4, 0100 LD3, 1000 LD2, the others LD1 (1-4 registers). */
    static const char *const names[2][4] = {
        {"st1", "st2", "st3", "st4"},
        {"ld1", "ld2", "ld3", "ld4"},
    };
    unsigned selem;
    switch (f->opcode) {
    case 0: selem = 4; break;
    case 4: selem = 3; break;
    case 8: selem = 2; break;
    default: selem = 1; break;
    }
    return names[f->L][selem - 1];
}

static const char *m_ldst_single(const struct insn_fields *f)
{
    static const char *const names[3][4] = {
        {"st1", "st2", "st3", "st4"},
        {"ld1", "ld2", "ld3", "ld4"},
        {"ld1r", "ld2r", "ld3r", "ld4r"},
    };
    unsigned selem = ((f->opcode & 1) << 1 | f->R) + 1;
    unsigned kind = (f->opcode >> 1) == 3 ? 2 : f->L;
    return names[kind][selem - 1];
}

const char *mnemonic_simd_perm(enum insn_family family, const struct insn_fields *f)
{
    switch (family) {
    case FAM_SIMD_COPY: return m_copy(f);
    case FAM_SIMD_SCALAR_COPY: return "mov"; /* DUP (element), scalar */
    case FAM_SIMD_MOD_IMM: return m_mod_imm(f);
    case FAM_SIMD_TABLE: return f->op ? "tbx" : "tbl";
    case FAM_SIMD_PERMUTE: return permute_names[f->opcode];
    case FAM_SIMD_EXTRACT: return "ext";
    case FAM_SIMD_LDST_MULTIPLE: return m_ldst_multiple(f);
    case FAM_SIMD_LDST_SINGLE: return m_ldst_single(f);
    default: return NULL;
    }
}
