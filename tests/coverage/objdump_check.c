/* A second opinion where Capstone 4.0.2 has none: a64_mnemonic() against
 * GNU objdump (binutils 2.40, aarch64-linux-gnu-objdump), which knows
 * FEAT_LSE, FEAT_LRCPC and the later hint names.
 *
 * Words judged: every combination of the fields of the atomic memory
 * operation, compare-and-swap, exclusive and ordered classes (size, o2, L,
 * o1, o0, A, R, o3, opc, bits 11:10) with a few register sets, the hint
 * and barrier spaces, and a seeded sample of random words. For each word a64sim decodes, objdump
 * must decode it too and print the same mnemonic; in the LSE classes,
 * every word objdump decodes must decode in a64sim. The known differences
 * are the classes below, each a naming convention of binutils or a
 * CONSTRAINED UNPREDICTABLE choice; docs/decode-coverage.md explains them.
 *
 * Build and run from the repository root (after `make build/libsim.a`):
 *   cc -std=c11 -O2 -D_DEFAULT_SOURCE -I. $(pkg-config --cflags capstone) \
 *      tests/coverage/objdump_check.c build/libsim.a \
 *      $(pkg-config --libs capstone libelf) -lm -o build/objdump_check
 *   build/objdump_check [OBJDUMP]
 * Exit status: 0 when every difference is a known class, 1 if not, 2 when
 * objdump cannot be run.
 */
#include <stdlib.h>
#include <unistd.h>

#include "tests/coverage/capstone_compare.h"

#define RANDOM_WORDS 2000000u

enum od_class {
    OD_COND_SYNONYM,
    OD_CLRBHB_SPELLING,
    OD_NO_DGH,
    OD_MOV_BITMASK_VALUE_RULE,
    OD_SHOULD_BE_ONES,
    OD_CONSTRAINED_UNPREDICTABLE,
    OD_NCLASSES
};

static const char *const od_class_names[OD_NCLASSES] = {
    [OD_COND_SYNONYM] = "b.cs/b.cc for b.hs/b.lo (C1.2.4: synonyms)",
    [OD_CLRBHB_SPELLING] = "binutils spells CLRBHB \"clearbhb\"",
    [OD_NO_DGH] = "binutils 2.40 prints DGH as hint #0x6",
    [OD_MOV_BITMASK_VALUE_RULE] = "mov/orr (immediate): binutils tests the value, not "
                                  "MoveWidePreferred()",
    [OD_SHOULD_BE_ONES] = "exclusive/ordered with an Rs/Rt2 field not 11111: binutils "
                          "UNDEFINED, a64sim ignores the field",
    [OD_CONSTRAINED_UNPREDICTABLE] = "CONSTRAINED UNPREDICTABLE (capstone_compare.h): binutils "
                                     "UNDEFINED, a64sim executes",
};

struct od_word {
    uint32_t word;
    bool lse_class;
};

/* LD<op>/ST<op>/SWP/LDAPR (atomic class, less the o3 = 1 encodings of
 * FEAT_LS64), CAS, CASP: the words of the features a64sim advertises that
 * Capstone 4.0.2 does not know. */
static bool is_lse_class(uint32_t w)
{
    if ((w & 0x3f200c00u) == 0x38200000u) {
        unsigned opc = cov_bits(w, 14, 12);
        return !cov_bit(w, 15) || opc == 0 || opc == 4;
    }
    return (w & 0x3f207c00u) == 0x08207c00u;
}

/* The should-be-ones register fields of the exclusive and ordered forms
 * (C6.2 LDXR, STXR, LDXP, LDAR, STLR, ...): Rs for the loads and for the
 * ordered stores, Rt2 for every form but the pairs. */
static bool should_be_ones_not_ones(uint32_t w)
{
    if ((w & 0x3f000000u) != 0x08000000u || cov_bit(w, 21))
        return false; /* not exclusive/ordered, or a pair / CAS form */
    bool o2 = cov_bit(w, 23), load = cov_bit(w, 22);
    bool rs_sbo = load || o2, rt2_sbo = true;
    return (rs_sbo && cov_bits(w, 20, 16) != 31) || (rt2_sbo && cov_bits(w, 14, 10) != 31);
}

static int od_known(uint32_t w, const char *sim, const char *od)
{
    if (od == NULL)
        return should_be_ones_not_ones(w)                     ? OD_SHOULD_BE_ONES
               : cov_constrained_unpredictable(w) != COV_NONE ? OD_CONSTRAINED_UNPREDICTABLE
                                                              : -1;
    if ((cov_streq(sim, "b.hs") && cov_streq(od, "b.cs")) ||
        (cov_streq(sim, "b.lo") && cov_streq(od, "b.cc")))
        return OD_COND_SYNONYM;
    if (cov_streq(sim, "clrbhb") && cov_streq(od, "clearbhb"))
        return OD_CLRBHB_SPELLING;
    if (cov_streq(sim, "dgh") && cov_streq(od, "hint"))
        return OD_NO_DGH;
    if ((w & 0x1f800000u) == 0x12000000u && cov_bits(w, 30, 29) == 1 &&
        ((cov_streq(sim, "mov") && cov_streq(od, "orr")) ||
         (cov_streq(sim, "orr") && cov_streq(od, "mov"))))
        return OD_MOV_BITMASK_VALUE_RULE;
    return -1;
}

/* The words to judge, in a fixed order. */
static size_t make_words(struct od_word *out)
{
    /* Rs, Rn, Rt: distinct, all ZR, Rt = ZR (the ST<op> aliases), all
     * equal, and even/odd pairs for CASP. */
    static const uint32_t regs[][3] = {{0, 2, 1}, {31, 31, 31}, {1, 2, 31}, {2, 2, 2}, {4, 3, 6}};
    size_t n = 0;
    for (unsigned r = 0; r < sizeof(regs) / sizeof(regs[0]); r++) {
        uint32_t reg_bits = regs[r][0] << 16 | regs[r][1] << 5 | regs[r][2];
        /* Atomic memory operations: size, A, R, bit 21, o3, opc, bits 11:10. */
        for (uint32_t f = 0; f < (1u << 11); f++) {
            uint32_t w = 0x38000000u | (f & 3) << 30 | (f >> 2 & 1) << 23 | (f >> 3 & 1) << 22 |
                         (f >> 4 & 1) << 21 | (f >> 5 & 1) << 15 | (f >> 6 & 7) << 12 |
                         (f >> 9 & 3) << 10 | reg_bits;
            out[n++] = (struct od_word){w, is_lse_class(w)};
        }
        /* Exclusive, ordered, CAS, CASP: size, o2, L, o1, o0, Rt2 = 31 or 3. */
        for (uint32_t f = 0; f < (1u << 7); f++) {
            uint32_t w = 0x08000000u | (f & 3) << 30 | (f >> 2 & 1) << 23 | (f >> 3 & 1) << 22 |
                         (f >> 4 & 1) << 21 | (f >> 5 & 1) << 15 | (f >> 6 & 1 ? 3u : 31u) << 10 |
                         reg_bits;
            out[n++] = (struct od_word){w, is_lse_class(w)};
        }
    }
    /* The hint and barrier spaces (CRm:op2, Rt = 31). */
    for (uint32_t imm = 0; imm < 128; imm++) {
        out[n++] = (struct od_word){0xd503201fu | imm << 5, false};
        out[n++] = (struct od_word){0xd503301fu | imm << 5, false};
    }
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (uint32_t i = 0; i < RANDOM_WORDS; i++) {
        uint32_t w = (uint32_t)(cov_xorshift64(&seed) >> 32);
        out[n++] = (struct od_word){w, is_lse_class(w)};
    }
    return n;
}

/* objdump's mnemonic for each line, or NULL where it prints ".inst". */
static bool read_objdump(const char *objdump, const char *path, char (*names)[32], size_t n)
{
    char cmd[512], line[512];
    snprintf(cmd, sizeof(cmd), "%s -z -D -b binary -m aarch64 %s", objdump, path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return false;
    size_t i = 0;
    while (fgets(line, sizeof(line), p)) {
        char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2 || i >= n)
            continue;
        sscanf(tab2 + 1, "%31s", names[i]);
        i++;
    }
    return pclose(p) == 0 && i == n;
}

static void show(unsigned *shown, uint32_t w, const char *sim, const char *od)
{
    if ((*shown)++ < COV_SHOWN)
        printf("  %08" PRIx32 "  objdump: %-12s a64sim: %s\n", w, od ? od : "(undefined)",
               sim ? sim : "(undefined)");
}

int main(int argc, char **argv)
{
    const char *objdump = argc > 1 ? argv[1] : "aarch64-linux-gnu-objdump";
    struct od_word *words =
        malloc((5u * ((1u << 11) + (1u << 7)) + 256 + RANDOM_WORDS) * sizeof(*words));
    size_t n = make_words(words);
    char(*names)[32] = calloc(n, sizeof(*names));
    char path[] = "/tmp/a64sim-objdump-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    for (size_t i = 0; f && i < n; i++) {
        uint8_t b[4] = {(uint8_t)words[i].word, (uint8_t)(words[i].word >> 8),
                        (uint8_t)(words[i].word >> 16), (uint8_t)(words[i].word >> 24)};
        fwrite(b, 1, 4, f);
    }
    bool ok = f && fclose(f) == 0 && read_objdump(objdump, path, names, n);
    if (fd >= 0)
        unlink(path);
    if (!ok) {
        fprintf(stderr, "cannot run %s on %zu words\n", objdump, n);
        return 2;
    }
    uint64_t both = 0, agree = 0, lse = 0, by_class[OD_NCLASSES] = {0};
    unsigned failures = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t w = words[i].word;
        const char *sim = a64_mnemonic(w);
        const char *od = cov_streq(names[i], ".inst") ? NULL : names[i];
        lse += words[i].lse_class && od;
        if (!sim) {
            if (words[i].lse_class && od)
                show(&failures, w, sim, od); /* an LSE-class word a64sim lacks */
            continue;
        }
        both += od != NULL;
        if (od && cov_streq(sim, od)) {
            agree++;
            continue;
        }
        int cls = od_known(w, sim, od);
        if (cls >= 0)
            by_class[cls]++;
        else
            show(&failures, w, sim, od);
    }
    printf("objdump check: %zu words (%zu from the LSE/exclusive classes and the hint/barrier "
           "spaces); objdump decodes "
           "%" PRIu64 " LSE-class words; both decode %" PRIu64 ", mnemonics agree %" PRIu64 "\n",
           n, n - RANDOM_WORDS, lse, both, agree);
    for (int i = 0; i < OD_NCLASSES; i++)
        printf("  %10" PRIu64 "  %s\n", by_class[i], od_class_names[i]);
    printf("  failures: %u\n", failures);
    free(names);
    free(words);
    return failures ? 1 : 0;
}
