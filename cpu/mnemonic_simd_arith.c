/* The mnemonic oracle for the Advanced SIMD arithmetic classes (three
 * same, three different, across lanes; scalar three same, three
 * different, pairwise): names by U:opcode as the Arm ARM's class tables
 * list them (DDI 0487, C4.1.95-C4.1.96). Only called for words that
 * trans_ accepted (cpu/exec_simd_arith.c), so reserved size and Q
 * combinations need no test here.
 *
 * Aliases: ORR (vector, register) is MOV when Rn == Rm (C6.2 ORR (vector,
 * register), "Alias conditions"); the three-different "2" forms (Q = 1)
 * print with the suffix 2. */
#include <stddef.h>

#include "cpu/decode.h"

/* Three same, integer opcodes 0x00-0x17, [U][opcode]; 0x03 is logical. */
static const char *const same_int[2][24] = {
    {"shadd", "sqadd", "srhadd", NULL,     "shsub", "sqsub", "cmgt",    "cmge",
     "sshl",  "sqshl", "srshl",  "sqrshl", "smax",  "smin",  "sabd",    "saba",
     "add",   "cmtst", "mla",    "mul",    "smaxp", "sminp", "sqdmulh", "addp"},
    {"uhadd", "uqadd", "urhadd", NULL,     "uhsub", "uqsub", "cmhi",     "cmhs",
     "ushl",  "uqshl", "urshl",  "uqrshl", "umax",  "umin",  "uabd",     "uaba",
     "sub",   "cmeq",  "mls",    "pmul",   "umaxp", "uminp", "sqrdmulh", NULL},
};

/* The logical operations (opcode 0x03), [U][size]. */
static const char *const same_logic[2][4] = {
    {"and", "bic", "orr", "orn"},
    {"eor", "bsl", "bit", "bif"},
};

/* Three same, FP opcodes 0x18-0x1f, [U][opcode - 0x18][size<1>]. */
static const char *const same_fp[2][8][2] = {
    {{"fmaxnm", "fminnm"},
     {"fmla", "fmls"},
     {"fadd", "fsub"},
     {"fmulx", NULL},
     {"fcmeq", NULL},
     {"fmlal", "fmlsl"},
     {"fmax", "fmin"},
     {"frecps", "frsqrts"}},
    {{"fmaxnmp", "fminnmp"},
     {"fmlal2", "fmlsl2"},
     {"faddp", "fabd"},
     {"fmul", NULL},
     {"fcmge", "fcmgt"},
     {"facge", "facgt"},
     {"fmaxp", "fminp"},
     {"fdiv", NULL}},
};

/* Three different, [U][opcode]; the "2" forms add the suffix. */
static const char *const diff_long[2][16][2] = {
    {{"saddl", "saddl2"},
     {"saddw", "saddw2"},
     {"ssubl", "ssubl2"},
     {"ssubw", "ssubw2"},
     {"addhn", "addhn2"},
     {"sabal", "sabal2"},
     {"subhn", "subhn2"},
     {"sabdl", "sabdl2"},
     {"smlal", "smlal2"},
     {"sqdmlal", "sqdmlal2"},
     {"smlsl", "smlsl2"},
     {"sqdmlsl", "sqdmlsl2"},
     {"smull", "smull2"},
     {"sqdmull", "sqdmull2"},
     {"pmull", "pmull2"},
     {NULL, NULL}},
    {{"uaddl", "uaddl2"},
     {"uaddw", "uaddw2"},
     {"usubl", "usubl2"},
     {"usubw", "usubw2"},
     {"raddhn", "raddhn2"},
     {"uabal", "uabal2"},
     {"rsubhn", "rsubhn2"},
     {"uabdl", "uabdl2"},
     {"umlal", "umlal2"},
     {NULL, NULL},
     {"umlsl", "umlsl2"},
     {NULL, NULL},
     {"umull", "umull2"},
     {NULL, NULL},
     {NULL, NULL},
     {NULL, NULL}},
};

static const char *m_three_same(const struct insn_fields *f)
{
    if (f->opcode >= 0x18)
        return same_fp[f->U][f->opcode - 0x18][f->size >> 1];
    if (f->opcode != 0x03)
        return same_int[f->U][f->opcode];
    if (!f->U && f->size == 2 && f->Rn == f->Rm)
        return "mov";
    return same_logic[f->U][f->size];
}

static const char *m_across_lanes(const struct insn_fields *f)
{
    bool min = f->size >> 1;
    switch (f->opcode) {
    case 0x03: return f->U ? "uaddlv" : "saddlv";
    case 0x0a: return f->U ? "umaxv" : "smaxv";
    case 0x1a: return f->U ? "uminv" : "sminv";
    case 0x1b: return "addv";
    case 0x0c: return min ? "fminnmv" : "fmaxnmv";
    case 0x0f: return min ? "fminv" : "fmaxv";
    default: return NULL;
    }
}

static const char *m_scalar_pairwise(const struct insn_fields *f)
{
    bool min = f->size >> 1;
    switch (f->opcode) {
    case 0x1b: return "addp";
    case 0x0c: return min ? "fminnmp" : "fmaxnmp";
    case 0x0d: return "faddp";
    case 0x0f: return min ? "fminp" : "fmaxp";
    default: return NULL;
    }
}

const char *mnemonic_simd_arith(enum insn_family family, const struct insn_fields *f)
{
    switch (family) {
    case FAM_SIMD_THREE_SAME: return m_three_same(f);
    case FAM_SIMD_SCALAR_THREE_SAME:
        if (f->opcode >= 0x18)
            return same_fp[f->U][f->opcode - 0x18][f->size >> 1];
        return same_int[f->U][f->opcode];
    case FAM_SIMD_THREE_DIFF: return diff_long[f->U][f->opcode][f->Q];
    case FAM_SIMD_SCALAR_THREE_DIFF: return diff_long[0][f->opcode][0];
    case FAM_SIMD_ACROSS_LANES: return m_across_lanes(f);
    case FAM_SIMD_SCALAR_PAIRWISE: return m_scalar_pairwise(f);
    default: return NULL;
    }
}
