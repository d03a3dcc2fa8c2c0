/* The A64 decoder: encodings as data.
 *
 * Each pattern is written as the Arm ARM draws the encoding, most
 * significant bit first: '0' and '1' are fixed bits, any other letter is a
 * field bit (named after the field: s = sf, o = op, i = immediate, n = Rn,
 * d = Rd, m = Rm, t = Rt, ...), spaces only group. decode_init() turns the
 * strings into mask/value pairs once and files each pattern under every
 * op0 (bits 28:25) value it can match, as the encoding index is organised.
 * Within an op0 bucket the first matching pattern wins; its trans_ function
 * rejects the unallocated corners of the family. Words that no pattern
 * matches, or that a family rejects, are UNDEFINED.
 */
#include <assert.h>
#include <stdlib.h>

#include "cpu/mnemonic.h"
#include "cpu/decode.h"

struct pattern {
    const char *bits;
    const char *name; /* Arm ARM family name, for reports and tests */
    trans_fn trans;
    enum cost_class cost;
    uint32_t feature; /* CPU_FEAT_* the row needs (0: every profile) */
};

/* clang-format off */
static const struct pattern patterns[] = {
    /* Data processing -- immediate (op0 = 100x) */
    {"o ii 10000 iiiiiiiiiiiiiiiiiii ddddd",              "ADR/ADRP",            trans_ADR,              COST_ALU, 0},
    {"s o S 100010 h iiiiiiiiiiii nnnnn ddddd",           "ADD/SUB (immediate)", trans_ADD_SUB_imm,      COST_ALU, 0},
    {"s oo 100100 N rrrrrr ssssss nnnnn ddddd",           "logical (immediate)", trans_LOGIC_imm,        COST_ALU, 0},
    {"s oo 100101 hh iiiiiiiiiiiiiiii ddddd",             "move wide",           trans_MOVE_wide,        COST_ALU, 0},
    {"s oo 100110 N rrrrrr ssssss nnnnn ddddd",           "bitfield",            trans_BITFIELD,         COST_ALU, 0},
    {"s 00 100111 N 0 mmmmm ssssss nnnnn ddddd",          "EXTR",                trans_EXTR,             COST_ALU, 0},

    /* Branches, exception generation and system (op0 = 101x) */
    {"0101010 0 iiiiiiiiiiiiiiiiiii 0 cccc",              "B.cond",              trans_B_cond,           COST_BRANCH, 0},
    {"11010100 ooo iiiiiiiiiiiiiiii 000 ll",              "exception generation", trans_EXCEPTION,       COST_EXCEPTION, 0},
    {"1101010100 0 00 011 0010 mmmm ooo 11111",           "hints",               trans_HINT,             COST_HINT, 0},
    {"1101010100 0 00 011 0011 mmmm ooo 11111",           "barriers",            trans_BARRIER,          COST_BARRIER, 0},
    {"1101010100 0 00 ooo 0100 mmmm ppp 11111",           "MSR (immediate)",     trans_MSR_imm,          COST_SYSREG, 0},
    {"1101010100 L 1 o ooo nnnn mmmm ppp ttttt",          "MRS/MSR (register)",  trans_MRS_MSR_reg,      COST_SYSREG, 0},
    {"1101010100 L 01 ooo nnnn mmmm ppp ttttt",           "SYS",                 trans_SYS,              COST_BARRIER, 0},
    {"1101011 oooo 11111 000000 nnnnn 00000",             "branch (register)",   trans_BR_reg,           COST_BRANCH, 0},
    {"o 00101 iiiiiiiiiiiiiiiiiiiiiiiiii",                "B/BL",                trans_B,                COST_BRANCH, 0},
    {"s 011010 o iiiiiiiiiiiiiiiiiii ttttt",              "CBZ/CBNZ",            trans_CB,               COST_BRANCH, 0},
    {"b 011011 o bbbbb iiiiiiiiiiiiii ttttt",             "TBZ/TBNZ",            trans_TB,               COST_BRANCH, 0},

    /* Loads and stores (op0 = x1x0). CAS and CASP sit inside the
     * exclusive family's space and must come before it; the LDAPR line
     * must come before the atomic one, whose space it shares. */
    {"zz 001000 1 L 1 sssss o 11111 nnnnn ttttt",         "CAS",                 trans_CAS,              COST_LOAD, CPU_FEAT_LSE},
    {"0 z 001000 0 L 1 sssss o 11111 nnnnn ttttt",        "CASP",                trans_CASP,             COST_LOAD, CPU_FEAT_LSE},
    {"zz 001000 o L o sssss o uuuuu nnnnn ttttt",         "load/store exclusive", trans_LDST_exclusive,  COST_LOAD, 0},
    {"zz 111 0 00 1 0 1 11111 1 100 00 nnnnn ttttt",      "LDAPR",               trans_LDAPR,            COST_LOAD, CPU_FEAT_LRCPC},
    {"zz 111 0 00 A R 1 sssss o ppp 00 nnnnn ttttt",      "atomic memory operations", trans_LDST_atomic, COST_LOAD, CPU_FEAT_LSE},
    {"oo 011 0 00 iiiiiiiiiiiiiiiiiii ttttt",             "load register (literal)", trans_LDR_literal,  COST_LOAD, 0},
    {"oo 101 0 0pp L iiiiiii uuuuu nnnnn ttttt",          "load/store pair",     trans_LDST_pair,        COST_LOAD, 0},
    {"zz 111 0 00 oo 0 iiiiiiiii pp nnnnn ttttt",         "load/store (imm9)",   trans_LDST_imm9,        COST_LOAD, 0},
    {"zz 111 0 00 oo 1 mmmmm xxx S 10 nnnnn ttttt",       "load/store (register offset)", trans_LDST_reg, COST_LOAD, 0},
    {"zz 111 0 01 oo iiiiiiiiiiii nnnnn ttttt",           "load/store (unsigned immediate)", trans_LDST_uimm, COST_LOAD, 0},

    /* Data processing -- register (op0 = x101) */
    {"s oo 01010 hh N mmmmm iiiiii nnnnn ddddd",          "logical (shifted register)", trans_LOGIC_shifted, COST_ALU, 0},
    {"s o S 01011 hh 0 mmmmm iiiiii nnnnn ddddd",         "ADD/SUB (shifted register)", trans_ADD_SUB_shifted, COST_ALU, 0},
    {"s o S 01011 00 1 mmmmm xxx iii nnnnn ddddd",        "ADD/SUB (extended register)", trans_ADD_SUB_extended, COST_ALU, 0},
    {"s o S 11010000 mmmmm 000000 nnnnn ddddd",           "ADC/SBC",             trans_ADC_SBC,          COST_ALU, 0},
    {"s o 1 11010010 mmmmm cccc I 0 nnnnn 0 ffff",        "CCMN/CCMP",           trans_CCMP,             COST_ALU, 0},
    {"s o 0 11010100 mmmmm cccc 0 p nnnnn ddddd",         "conditional select",  trans_CSEL,             COST_ALU, 0},
    {"s 1 0 11010110 00000 oooooo nnnnn ddddd",           "data processing (1 source)", trans_DP_1src,   COST_ALU, 0},
    {"s 0 0 11010110 mmmmm oooooo nnnnn ddddd",           "data processing (2 source)", trans_DP_2src,   COST_ALU, 0},
    {"s oo 11011 ooo mmmmm o aaaaa nnnnn ddddd",          "data processing (3 source)", trans_DP_3src,   COST_MUL, 0},
};
/* clang-format on */

#define NPATTERNS (sizeof(patterns) / sizeof(patterns[0]))

struct compiled {
    uint32_t mask, value;
    const struct pattern *p;
};

static struct compiled compiled[NPATTERNS];
static const struct compiled *bucket[16][NPATTERNS + 1]; /* NULL-terminated */
static bool initialized;

static void compile(const struct pattern *p, struct compiled *out)
{
    unsigned n = 0;
    uint32_t mask = 0, value = 0;
    for (const char *s = p->bits; *s; s++) {
        if (*s == ' ')
            continue;
        mask <<= 1;
        value <<= 1;
        if (*s == '0' || *s == '1') {
            mask |= 1;
            value |= (uint32_t)(*s - '0');
        }
        n++;
    }
    /* A pattern that is not 32 bits long is a bug in the table above. */
    if (n != 32)
        abort();
    *out = (struct compiled){mask, value, p};
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
static const struct pattern *find_pattern(uint32_t raw, uint32_t features)
{
    for (const struct compiled *const *b = bucket[bits(raw, 28, 25)]; *b; b++) {
        if ((raw & (*b)->mask) == (*b)->value && ((*b)->p->feature & ~features) == 0)
            return (*b)->p;
    }
    return NULL;
}

void decode_insn(struct insn *in, uint32_t raw, const struct cost_table *cost, uint32_t features)
{
    decode_init();
    const struct pattern *p = find_pattern(raw, features);
    *in = (struct insn){.raw = raw, .cost = (uint16_t)(p ? p->cost : COST_ALU)};
    if (!p || !p->trans(in, raw)) {
        *in = (struct insn){.fn = insn_undefined, .raw = raw, .cost = 0};
        return;
    }
    in->raw = raw;
    in->cost = (uint16_t)cost->cycles[in->cost];
}

const char *decode_family_name(uint32_t raw)
{
    decode_init();
    struct insn in;
    /* The oracle of the coverage tests: everything a64sim implements. */
    const struct pattern *p = find_pattern(raw, ~0u);
    if (!p || !p->trans(&in, raw))
        return NULL;
    return p->name;
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
