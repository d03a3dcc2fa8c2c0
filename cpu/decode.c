/* The A64 decoder: encodings as data.
 *
 * Each pattern is written as the Arm ARM draws the encoding, most
 * significant bit first: '0' and '1' are fixed bits, any other letter is a
 * field bit, spaces only group. A letter always names the same Arm ARM
 * field (INSN_FIELDS in decode.h: d is Rd, n is Rn, i is the immediate,
 * k is opc, ...); a letter written in two places is one field whose bits
 * are concatenated in pattern order (TBZ's b5:b40). decode_init() turns the
 * strings into mask/value pairs and field extractors once, and files each
 * pattern under every op0 (bits 28:25) value it can match, as the encoding
 * index is organised. Decoding a word is: find the first matching pattern
 * in its op0 bucket, extract the pattern's fields into struct
 * insn_fields, and call the row's trans_ function, which rejects the
 * unallocated corners of the family. Words that no pattern matches, or
 * that a family rejects, are UNDEFINED.
 *
 * Each row also carries its family (enum insn_family), which is what the
 * rest of a64sim asks about a word (the ISV syndrome, the mnemonic
 * oracle), and a display name for reports and tests.
 */
#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/mnemonic.h"
#include "cpu/decode.h"

struct pattern {
    const char *bits;
    enum insn_family family;
    const char *name; /* Arm ARM family name, for reports and tests */
    trans_fn trans;
    enum cost_class cost;
    uint32_t feature; /* CPU_FEAT_* the row needs (0: every profile) */
};

/* clang-format off */
static const struct pattern patterns[] = {
    /* Data processing -- immediate (op0 = 100x) */
    {"o ll 10000 jjjjjjjjjjjjjjjjjjj ddddd",              FAM_PC_REL_ADDR,    "ADR/ADRP",            trans_ADR,              COST_ALU, 0},
    {"f o S 100010 H iiiiiiiiiiii nnnnn ddddd",           FAM_ADD_SUB_IMM,    "ADD/SUB (immediate)", trans_ADD_SUB_imm,      COST_ALU, 0},
    {"f kk 100100 N rrrrrr yyyyyy nnnnn ddddd",           FAM_LOGICAL_IMM,    "logical (immediate)", trans_LOGIC_imm,        COST_ALU, 0},
    {"f kk 100101 ww iiiiiiiiiiiiiiii ddddd",             FAM_MOVE_WIDE,      "move wide",           trans_MOVE_wide,        COST_ALU, 0},
    {"f kk 100110 N rrrrrr yyyyyy nnnnn ddddd",           FAM_BITFIELD,       "bitfield",            trans_BITFIELD,         COST_ALU, 0},
    {"f 00 100111 N 0 mmmmm yyyyyy nnnnn ddddd",          FAM_EXTRACT,        "EXTR",                trans_EXTR,             COST_ALU, 0},

    /* Branches, exception generation and system (op0 = 101x) */
    {"0101010 0 iiiiiiiiiiiiiiiiiii 0 cccc",              FAM_COND_BRANCH,    "B.cond",              trans_B_cond,           COST_BRANCH, 0},
    {"11010100 kkk iiiiiiiiiiiiiiii 000 gg",              FAM_EXCEPTION,      "exception generation", trans_EXCEPTION,       COST_EXCEPTION, 0},
    {"1101010100 0 00 011 0010 MMMM ppp 11111",           FAM_HINTS,          "hints",               trans_HINT,             COST_HINT, 0},
    {"1101010100 0 00 011 0011 MMMM ppp 11111",           FAM_BARRIERS,       "barriers",            trans_BARRIER,          COST_BARRIER, 0},
    {"1101010100 0 00 qqq 0100 MMMM ppp 11111",           FAM_PSTATE,         "MSR (immediate)",     trans_MSR_imm,          COST_SYSREG, 0},
    {"1101010100 L 1 E qqq CCCC MMMM ppp ttttt",          FAM_SYSREG_MOVE,    "MRS/MSR (register)",  trans_MRS_MSR_reg,      COST_SYSREG, 0},
    {"1101010100 L 01 qqq CCCC MMMM ppp ttttt",           FAM_SYSTEM,         "SYS",                 trans_SYS,              COST_BARRIER, 0},
    {"1101011 kkkk 11111 000000 nnnnn 00000",             FAM_BRANCH_REG,     "branch (register)",   trans_BR_reg,           COST_BRANCH, 0},
    {"o 00101 iiiiiiiiiiiiiiiiiiiiiiiiii",                FAM_BRANCH_IMM,     "B/BL",                trans_B,                COST_BRANCH, 0},
    {"f 011010 o iiiiiiiiiiiiiiiiiii ttttt",              FAM_COMPARE_BRANCH, "CBZ/CBNZ",            trans_CB,               COST_BRANCH, 0},
    {"b 011011 o bbbbb iiiiiiiiiiiiii ttttt",             FAM_TEST_BRANCH,    "TBZ/TBNZ",            trans_TB,               COST_BRANCH, 0},

    /* Loads and stores (op0 = x1x0). CAS and CASP sit inside the
     * exclusive family's space and must come before it; the LDAPR line
     * must come before the atomic one, whose space it shares. */
    {"zz 001000 1 L 1 sssss E 11111 nnnnn ttttt",         FAM_CAS,            "CAS",                 trans_CAS,              COST_LOAD, CPU_FEAT_LSE},
    {"0 Z 001000 0 L 1 sssss E 11111 nnnnn ttttt",        FAM_CASP,           "CASP",                trans_CASP,             COST_LOAD, CPU_FEAT_LSE},
    {"zz 001000 G L F sssss E uuuuu nnnnn ttttt",         FAM_LDST_EXCLUSIVE, "load/store exclusive", trans_LDST_exclusive,  COST_LOAD, 0},
    {"zz 111 0 00 1 0 1 11111 1 100 00 nnnnn ttttt",      FAM_LDAPR,          "LDAPR",               trans_LDAPR,            COST_LOAD, CPU_FEAT_LRCPC},
    {"zz 111 0 00 A R 1 sssss J kkk 00 nnnnn ttttt",      FAM_ATOMIC,         "atomic memory operations", trans_LDST_atomic, COST_LOAD, CPU_FEAT_LSE},
    {"kk 011 0 00 iiiiiiiiiiiiiiiiiii ttttt",             FAM_LDR_LITERAL,    "load register (literal)", trans_LDR_literal,  COST_LOAD, 0},
    {"kk 101 0 0pp L iiiiiii uuuuu nnnnn ttttt",          FAM_LDST_PAIR,      "load/store pair",     trans_LDST_pair,        COST_LOAD, 0},
    {"zz 111 0 00 kk 0 iiiiiiiii PP nnnnn ttttt",         FAM_LDST_IMM9,      "load/store (imm9)",   trans_LDST_imm9,        COST_LOAD, 0},
    {"zz 111 0 00 kk 1 mmmmm eee S 10 nnnnn ttttt",       FAM_LDST_REG,       "load/store (register offset)", trans_LDST_reg, COST_LOAD, 0},
    {"zz 111 0 01 kk iiiiiiiiiiii nnnnn ttttt",           FAM_LDST_UIMM,      "load/store (unsigned immediate)", trans_LDST_uimm, COST_LOAD, 0},
    /* ... with V = 1: the SIMD&FP registers */
    {"kk 011 1 00 iiiiiiiiiiiiiiiiiii ttttt",             FAM_FP_LDR_LITERAL, "load SIMD&FP register (literal)", trans_FP_LDR_literal, COST_LOAD, 0},
    {"kk 101 1 0pp L iiiiiii uuuuu nnnnn ttttt",          FAM_FP_LDST_PAIR,   "load/store SIMD&FP pair", trans_FP_LDST_pair, COST_LOAD, 0},
    {"zz 111 1 00 kk 0 iiiiiiiii PP nnnnn ttttt",         FAM_FP_LDST_IMM9,   "load/store SIMD&FP (imm9)", trans_FP_LDST_imm9, COST_LOAD, 0},
    {"zz 111 1 00 kk 1 mmmmm eee S 10 nnnnn ttttt",       FAM_FP_LDST_REG,    "load/store SIMD&FP (register offset)", trans_FP_LDST_reg, COST_LOAD, 0},
    {"zz 111 1 01 kk iiiiiiiiiiii nnnnn ttttt",           FAM_FP_LDST_UIMM,   "load/store SIMD&FP (unsigned immediate)", trans_FP_LDST_uimm, COST_LOAD, 0},
    /* Advanced SIMD structures: o is the post-index form (bit 23) */
    {"0 Q 001100 o L 0 mmmmm xxxx zz nnnnn ttttt",        FAM_SIMD_LDST_MULTIPLE, "load/store multiple structures", trans_SIMD_LDST_multiple, COST_LOAD, 0},
    {"0 Q 001101 o L R mmmmm xxx S zz nnnnn ttttt",       FAM_SIMD_LDST_SINGLE, "load/store single structure", trans_SIMD_LDST_single, COST_LOAD, 0},

    /* Data processing -- register (op0 = x101) */
    {"f kk 01010 hh N mmmmm iiiiii nnnnn ddddd",          FAM_LOGICAL_SHIFTED, "logical (shifted register)", trans_LOGIC_shifted, COST_ALU, 0},
    {"f o S 01011 hh 0 mmmmm iiiiii nnnnn ddddd",         FAM_ADD_SUB_SHIFTED, "ADD/SUB (shifted register)", trans_ADD_SUB_shifted, COST_ALU, 0},
    {"f o S 01011 00 1 mmmmm eee iii nnnnn ddddd",        FAM_ADD_SUB_EXTENDED, "ADD/SUB (extended register)", trans_ADD_SUB_extended, COST_ALU, 0},
    {"f o S 11010000 mmmmm 000000 nnnnn ddddd",           FAM_ADD_SUB_CARRY,  "ADC/SBC",             trans_ADC_SBC,          COST_ALU, 0},
    {"f o 1 11010010 mmmmm cccc 0 0 nnnnn 0 vvvv",        FAM_COND_COMPARE_REG, "CCMN/CCMP",         trans_CCMP_reg,         COST_ALU, 0},
    {"f o 1 11010010 iiiii cccc 1 0 nnnnn 0 vvvv",        FAM_COND_COMPARE_IMM, "CCMN/CCMP",         trans_CCMP_imm,         COST_ALU, 0},
    {"f o 0 11010100 mmmmm cccc 0 p nnnnn ddddd",         FAM_COND_SELECT,    "conditional select",  trans_CSEL,             COST_ALU, 0},
    {"f 1 0 11010110 00000 xxxxxx nnnnn ddddd",           FAM_DP_1SRC,        "data processing (1 source)", trans_DP_1src,   COST_ALU, 0},
    {"f 0 0 11010110 mmmmm xxxxxx nnnnn ddddd",           FAM_DP_2SRC,        "data processing (2 source)", trans_DP_2src,   COST_ALU, 0},
    {"f DD 11011 BBB mmmmm E aaaaa nnnnn ddddd",          FAM_DP_3SRC,        "data processing (3 source)", trans_DP_3src,   COST_MUL, 0},

    /* Data processing -- scalar floating-point (op0 = x111, bit 28 = 1,
     * bit 30 = 0). Bit 31 (M) and bit 29 (S) are 0 in every allocated
     * encoding but the conversions, where bit 31 is sf. */
    {"f 0 S 11110 TT 0 OO xxx iiiiii nnnnn ddddd",        FAM_FP_FIXED_CONV,  "FP <-> fixed-point",  trans_FP_fixed_conv,    COST_FP, 0},
    {"f 0 S 11110 TT 1 OO xxx 000000 nnnnn ddddd",        FAM_FP_INT_CONV,    "FP <-> integer",      trans_FP_int_conv,      COST_FP, 0},
    {"0 0 0 11110 TT 1 xxxxxx 10000 nnnnn ddddd",         FAM_FP_DP1,         "FP data-processing (1 source)", trans_FP_dp1, COST_FP, 0},
    {"0 0 0 11110 TT 1 mmmmm oo 1000 nnnnn xxxxx",        FAM_FP_COMPARE,     "FP compare",          trans_FP_compare,       COST_FP, 0},
    {"0 0 0 11110 TT 1 iiiiiiii 100 xxxxx ddddd",         FAM_FP_IMM,         "FP immediate",        trans_FP_imm,           COST_FP, 0},
    {"0 0 0 11110 TT 1 mmmmm cccc 01 nnnnn o vvvv",       FAM_FP_CCMP,        "FP conditional compare", trans_FP_ccmp,       COST_FP, 0},
    {"0 0 0 11110 TT 1 mmmmm xxxx 10 nnnnn ddddd",        FAM_FP_DP2,         "FP data-processing (2 source)", trans_FP_dp2, COST_FP, 0},
    {"0 0 0 11110 TT 1 mmmmm cccc 11 nnnnn ddddd",        FAM_FP_CSEL,        "FP conditional select", trans_FP_csel,        COST_FP, 0},
    {"0 0 0 11111 TT o mmmmm E aaaaa nnnnn ddddd",        FAM_FP_DP3,         "FP data-processing (3 source)", trans_FP_dp3, COST_FP, 0},

    /* Data processing -- Advanced SIMD (op0 = x111, bit 28 = 0 or bit
     * 30 = 1). Modified immediate is the immh = 0000 corner of shift by
     * immediate and must come first. In the indexed forms m is M:Rm and
     * i is H. Classes of features a64sim does not advertise (FP16,
     * RDM, dot product, complex numbers, the cryptographic extensions)
     * have no row: UNDEFINED. */
    {"0 Q U 01110 zz 1 mmmmm xxxxx 1 nnnnn ddddd",        FAM_SIMD_THREE_SAME, "AdvSIMD three same", trans_SIMD_three_same, COST_SIMD, 0},
    {"0 Q U 01110 zz 1 mmmmm xxxx 00 nnnnn ddddd",        FAM_SIMD_THREE_DIFF, "AdvSIMD three different", trans_SIMD_three_diff, COST_SIMD, 0},
    {"0 Q U 01110 zz 10000 xxxxx 10 nnnnn ddddd",         FAM_SIMD_TWO_MISC,  "AdvSIMD two-register miscellaneous", trans_SIMD_two_misc, COST_SIMD, 0},
    {"0 Q U 01110 zz 11000 xxxxx 10 nnnnn ddddd",         FAM_SIMD_ACROSS_LANES, "AdvSIMD across lanes", trans_SIMD_across_lanes, COST_SIMD, 0},
    {"0 Q o 01110000 iiiii 0 xxxx 1 nnnnn ddddd",         FAM_SIMD_COPY,      "AdvSIMD copy",        trans_SIMD_copy,        COST_SIMD, 0},
    {"0 Q U 01111 zz L mmmmm xxxx i 0 nnnnn ddddd",       FAM_SIMD_INDEXED,   "AdvSIMD vector x indexed element", trans_SIMD_indexed, COST_SIMD, 0},
    {"0 Q o 0111100000 iii YYYY G 1 iiiii ddddd",         FAM_SIMD_MOD_IMM,   "AdvSIMD modified immediate", trans_SIMD_mod_imm, COST_SIMD, 0},
    {"0 Q U 011110 IIII iii xxxxx 1 nnnnn ddddd",         FAM_SIMD_SHIFT_IMM, "AdvSIMD shift by immediate", trans_SIMD_shift_imm, COST_SIMD, 0},
    {"0 Q 001110 pp 0 mmmmm 0 ii o 00 nnnnn ddddd",       FAM_SIMD_TABLE,     "AdvSIMD table lookup", trans_SIMD_table,      COST_SIMD, 0},
    {"0 Q 001110 zz 0 mmmmm 0 xxx 10 nnnnn ddddd",        FAM_SIMD_PERMUTE,   "AdvSIMD permute",     trans_SIMD_permute,     COST_SIMD, 0},
    {"0 Q 101110 pp 0 mmmmm 0 iiii 0 nnnnn ddddd",        FAM_SIMD_EXTRACT,   "AdvSIMD extract",     trans_SIMD_extract,     COST_SIMD, 0},
    {"01 U 11110 zz 1 mmmmm xxxxx 1 nnnnn ddddd",         FAM_SIMD_SCALAR_THREE_SAME, "AdvSIMD scalar three same", trans_SIMD_scalar_three_same, COST_SIMD, 0},
    {"01 U 11110 zz 1 mmmmm xxxx 00 nnnnn ddddd",         FAM_SIMD_SCALAR_THREE_DIFF, "AdvSIMD scalar three different", trans_SIMD_scalar_three_diff, COST_SIMD, 0},
    {"01 U 11110 zz 10000 xxxxx 10 nnnnn ddddd",          FAM_SIMD_SCALAR_TWO_MISC, "AdvSIMD scalar two-register miscellaneous", trans_SIMD_scalar_two_misc, COST_SIMD, 0},
    {"01 U 11110 zz 11000 xxxxx 10 nnnnn ddddd",          FAM_SIMD_SCALAR_PAIRWISE, "AdvSIMD scalar pairwise", trans_SIMD_scalar_pairwise, COST_SIMD, 0},
    {"01 o 11110000 iiiii 0 xxxx 1 nnnnn ddddd",          FAM_SIMD_SCALAR_COPY, "AdvSIMD scalar copy", trans_SIMD_scalar_copy, COST_SIMD, 0},
    {"01 U 11111 zz L mmmmm xxxx i 0 nnnnn ddddd",        FAM_SIMD_SCALAR_INDEXED, "AdvSIMD scalar x indexed element", trans_SIMD_scalar_indexed, COST_SIMD, 0},
    {"01 U 111110 IIII iii xxxxx 1 nnnnn ddddd",          FAM_SIMD_SCALAR_SHIFT_IMM, "AdvSIMD scalar shift by immediate", trans_SIMD_scalar_shift_imm, COST_SIMD, 0},
};
/* clang-format on */

#define NPATTERNS (sizeof(patterns) / sizeof(patterns[0]))

/* Where each letter's field lives in struct insn_fields. */
struct member {
    char letter;
    size_t value, width; /* offsets of the value and of its width */
};

static const struct member members[] = {
#define INSN_FIELD_MEMBER(letter, name)                                                            \
    {letter, offsetof(struct insn_fields, name), offsetof(struct insn_fields, width.name)},
    INSN_FIELDS(INSN_FIELD_MEMBER)
#undef INSN_FIELD_MEMBER
};

#define NMEMBERS   (sizeof(members) / sizeof(members[0]))
#define MAX_FIELDS 12 /* fields in one pattern */
#define MAX_PARTS  2  /* runs of adjacent bits in one field */

/* One field of a pattern: its runs of bits, most significant first. */
struct field {
    const struct member *member;
    unsigned nparts, width;
    struct {
        unsigned lsb, len;
    } part[MAX_PARTS];
};

struct compiled {
    uint32_t mask, value;
    unsigned nfields;
    struct field field[MAX_FIELDS];
    const struct pattern *p;
};

static struct compiled compiled[NPATTERNS];
static const struct compiled *bucket[16][NPATTERNS + 1]; /* NULL-terminated */
static bool initialized;

/* A letter not in INSN_FIELDS, a pattern that is not 32 bits long, or a
 * pattern with more fields or field pieces than struct compiled holds is a
 * bug in the table above: decode_init() aborts on it. */
static const struct member *member_of(char letter)
{
    for (unsigned i = 0; i < NMEMBERS; i++)
        if (members[i].letter == letter)
            return &members[i];
    abort();
}

/* Add bit POS, the next one down in pattern order, to the field LETTER. */
static void add_field_bit(struct compiled *out, char letter, unsigned pos)
{
    const struct member *m = member_of(letter);
    struct field *fd = out->field;
    while (fd < out->field + out->nfields && fd->member != m)
        fd++;
    if (fd == out->field + out->nfields) {
        if (out->nfields == MAX_FIELDS)
            abort();
        out->nfields++;
        *fd = (struct field){.member = m};
    }
    fd->width++;
    if (fd->nparts > 0 && fd->part[fd->nparts - 1].lsb == pos + 1) {
        fd->part[fd->nparts - 1].lsb = pos;
        fd->part[fd->nparts - 1].len++;
        return;
    }
    if (fd->nparts == MAX_PARTS)
        abort();
    fd->part[fd->nparts].lsb = pos;
    fd->part[fd->nparts].len = 1;
    fd->nparts++;
}

static void compile(const struct pattern *p, struct compiled *out)
{
    unsigned n = 0;
    *out = (struct compiled){.p = p};
    for (const char *s = p->bits; *s; s++) {
        if (*s == ' ')
            continue;
        if (n == 32)
            abort();
        unsigned pos = 31 - n++;
        out->mask <<= 1;
        out->value <<= 1;
        if (*s == '0' || *s == '1') {
            out->mask |= 1;
            out->value |= (uint32_t)(*s - '0');
        } else {
            add_field_bit(out, *s, pos);
        }
    }
    if (n != 32)
        abort();
}

void decode_init(void)
{
    if (initialized)
        return;
    for (unsigned i = 0; i < NPATTERNS; i++)
        compile(&patterns[i], &compiled[i]);
    for (uint32_t op0 = 0; op0 < 16; op0++) {
        unsigned k = 0;
        uint32_t word = op0 << 25;
        for (unsigned i = 0; i < NPATTERNS; i++) {
            uint32_t m = compiled[i].mask & (0xfu << 25);
            if ((word & m) == (compiled[i].value & m))
                bucket[op0][k++] = &compiled[i];
        }
        bucket[op0][k] = NULL;
    }
    initialized = true;
}

/* The first row matching RAW among those the profile's FEATURES allow. */
static const struct compiled *find_row(uint32_t raw, uint32_t features)
{
    for (const struct compiled *const *b = bucket[bits(raw, 28, 25)]; *b; b++) {
        if ((raw & (*b)->mask) == (*b)->value && ((*b)->p->feature & ~features) == 0)
            return *b;
    }
    return NULL;
}

static void extract_fields(const struct compiled *row, uint32_t raw, struct insn_fields *f)
{
    *f = (struct insn_fields){.raw = raw};
    for (const struct field *fd = row->field; fd < row->field + row->nfields; fd++) {
        uint32_t v = 0;
        for (unsigned k = 0; k < fd->nparts; k++) {
            unsigned lsb = fd->part[k].lsb, len = fd->part[k].len;
            v = v << len | bits(raw, lsb + len - 1, lsb);
        }
        uint8_t width = (uint8_t)fd->width;
        memcpy((char *)f + fd->member->value, &v, sizeof v);
        memcpy((char *)f + fd->member->width, &width, sizeof width);
    }
}

void decode_insn(struct insn *in, uint32_t raw, const struct cost_table *cost, uint32_t features)
{
    decode_init();
    const struct compiled *row = find_row(raw, features);
    if (row) {
        struct insn_fields f;
        extract_fields(row, raw, &f);
        *in = (struct insn){.raw = raw, .cost = (uint16_t)row->p->cost};
        if (row->p->trans(in, &f)) {
            in->raw = raw;
            in->cost = (uint16_t)cost->cycles[in->cost];
            return;
        }
    }
    *in = (struct insn){.fn = insn_undefined, .raw = raw, .cost = 0};
}

/* The row that accepts RAW on a PE with every feature (the oracle of the
 * coverage tests: everything a64sim implements), with its fields in F; or
 * NULL. */
static const struct compiled *accepting_row(uint32_t raw, struct insn_fields *f)
{
    decode_init();
    const struct compiled *row = find_row(raw, ~0u);
    struct insn in = {.raw = raw};
    if (row) {
        extract_fields(row, raw, f);
        if (row->p->trans(&in, f))
            return row;
    }
    *f = (struct insn_fields){.raw = raw};
    return NULL;
}

enum insn_family decode_fields(uint32_t raw, struct insn_fields *f)
{
    const struct compiled *row = accepting_row(raw, f);
    return row ? row->p->family : FAM_NONE;
}

enum insn_family decode_family(uint32_t raw)
{
    struct insn_fields f;
    return decode_fields(raw, &f);
}

const char *decode_family_name(uint32_t raw)
{
    struct insn_fields f;
    const struct compiled *row = accepting_row(raw, &f);
    return row ? row->p->name : NULL;
}

/* The entry of a word not yet decoded (or overwritten since): decode it in
 * place from guest memory and run it. */
void insn_decode_stub(struct cpu *c, const struct insn *in_const)
{
    struct insn *in = (struct insn *)in_const; /* entries live in mutable blocks */
    /* Read the word through the translation that fetched this block: with
     * the MMU on, the PC is a VA. */
    uint32_t raw;
    uint64_t pa = c->fetch_pa_page | (c->pc & ~PAGE_MASK);
    memcpy(&raw, c->ram_host + (pa - c->ram_base), 4);
    decode_insn(in, raw, c->cost, c->features);
    c->cycles += in->cost;
    in->fn(c, in);
}

void insn_undefined(struct cpu *c, const struct insn *in)
{
    (void)in;
    cpu_raise_fault(c, FAULT_UNDEFINED, 0, 0, false);
}

/* DecodeBitMasks from the Arm ARM shared pseudocode, in the form that
 * builds tmask from d = S - R. */
static uint64_t ones(unsigned n)
{
    return n >= 64 ? ~0ull : (1ull << n) - 1;
}

static uint64_t replicate(uint64_t elem, unsigned esize)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 64; i += esize)
        r |= elem << i;
    return r;
}

static uint64_t ror_elem(uint64_t x, unsigned r, unsigned esize)
{
    if (r == 0)
        return x;
    return ((x >> r) | (x << (esize - r))) & ones(esize);
}

bool decode_bit_masks(bool n, unsigned imms, unsigned immr, bool immediate, unsigned datasize,
                      uint64_t *wmask, uint64_t *tmask)
{
    unsigned combined = ((unsigned)n << 6) | (~imms & 0x3f);
    if (combined == 0)
        return false;
    unsigned len = 31 - (unsigned)__builtin_clz(combined);
    if (len < 1)
        return false;
    unsigned esize = 1u << len;
    if (esize > datasize)
        return false;
    unsigned levels = esize - 1;
    if (immediate && (imms & levels) == levels)
        return false;
    unsigned s = imms & levels, r = immr & levels;
    unsigned d = (s - r) & levels;
    uint64_t wmask64 = replicate(ror_elem(ones(s + 1), r, esize), esize);
    uint64_t tmask64 = replicate(ones(d + 1), esize);
    *wmask = wmask64 & ones(datasize);
    *tmask = tmask64 & ones(datasize);
    return true;
}
