/* The mnemonic oracle for the scalar floating-point families: the name
 * the Arm ARM (C6.2, C7.2) gives each word trans_FP_*() accepts (cpu/exec_fp.c),
 * which is also what Capstone 4.0.2 prints for all of them. No scalar FP
 * instruction has an alias with another mnemonic. */
#include "cpu/decode.h"

static const char *m_fixed_conv(const struct insn_fields *f)
{
    switch (f->rmode << 3 | f->opcode) {
    case 0x02: return "scvtf";
    case 0x03: return "ucvtf";
    case 0x18: return "fcvtzs";
    default: return "fcvtzu";
    }
}

static const char *m_int_conv(const struct insn_fields *f)
{
    static const char *const to_int[4][2] = {
        {"fcvtns", "fcvtnu"},
        {"fcvtps", "fcvtpu"},
        {"fcvtms", "fcvtmu"},
        {"fcvtzs", "fcvtzu"},
    };
    switch (f->opcode) {
    case 0:
    case 1: return to_int[f->rmode][f->opcode];
    case 2: return "scvtf";
    case 3: return "ucvtf";
    case 4: return "fcvtas";
    case 5: return "fcvtau";
    default: return "fmov";
    }
}

static const char *m_dp1(const struct insn_fields *f)
{
    static const char *const names[16] = {
        "fmov",   "fabs",   "fneg",   "fsqrt",  "fcvt",   "fcvt", "fcvt",   "fcvt",
        "frintn", "frintp", "frintm", "frintz", "frinta", NULL,   "frintx", "frinti",
    };
    return f->opcode < 16 ? names[f->opcode] : NULL;
}

static const char *m_dp2(const struct insn_fields *f)
{
    static const char *const names[9] = {
        "fmul", "fdiv", "fadd", "fsub", "fmax", "fmin", "fmaxnm", "fminnm", "fnmul",
    };
    return f->opcode < 9 ? names[f->opcode] : NULL;
}

static const char *m_dp3(const struct insn_fields *f)
{
    static const char *const names[4] = {"fmadd", "fmsub", "fnmadd", "fnmsub"};
    return names[f->op << 1 | f->o0];
}

const char *mnemonic_fp(enum insn_family family, const struct insn_fields *f)
{
    switch (family) {
    case FAM_FP_FIXED_CONV: return m_fixed_conv(f);
    case FAM_FP_INT_CONV: return m_int_conv(f);
    case FAM_FP_DP1: return m_dp1(f);
    case FAM_FP_COMPARE: return bit(f->opcode, 4) ? "fcmpe" : "fcmp";
    case FAM_FP_IMM: return "fmov";
    case FAM_FP_CCMP: return f->op ? "fccmpe" : "fccmp";
    case FAM_FP_DP2: return m_dp2(f);
    case FAM_FP_CSEL: return "fcsel";
    case FAM_FP_DP3: return m_dp3(f);
    default: return NULL;
    }
}
