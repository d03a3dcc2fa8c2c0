/*
 * simd_string: the Advanced SIMD string functions of runtime/simd_string.h (glibc's AArch64
 * techniques: LDP/STP Q and LD1/ST1 copies with overlapping tails, DUP and STP Q fills, CMEQ
 * syndromes folded by SHRN, UMAXP or ADDP, moved to X by FMOV and searched with RBIT and CLZ)
 * checked against plain byte loops over many lengths and alignments.
 *
 * Three phases:
 *  1. MMU off: every data access is to Device memory, where an access that is not aligned to
 *     its element size is an Alignment fault. Only the cases whose accesses are aligned run:
 *     all of them for the byte-element LD1/ST1 copy, strlen and memchr (which read aligned
 *     16-byte chunks); for the LDP/STP Q copy and the fill, 16-byte aligned addresses and
 *     lengths that are multiples of 16.
 *  2. MMU on, RAM mapped as Normal write-back memory (SCTLR_EL1.A = 0): every case, unaligned
 *     ones included, as glibc expects of its callers' memory.
 *  3. MMU on, at the edges of two pages mapped with unmapped pages on both sides: strings and
 *     buffers that end on the last byte of a page, or start on its first, so that a function
 *     that read a byte too far (or too early) would take a translation fault.
 *
 * Each case fills the destination (with guard bytes on both sides) with a pattern, runs the
 * function, and compares the whole span and the return value with what byte loops give. The
 * guest prints the number of cases per function and phase and the first mismatches, and exits 0
 * only when all agree. Any exception ends the run with its syndrome.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exit.h"
#include "mmu.h"
#include "printf.h"
#include "simd_string.h"
#include "vectors.h"
#include "workload.h"

#define BUF_SIZE    8192
#define GUARD       32 /* bytes checked on each side of a destination; a multiple of 16 */
#define MAX_REPORTS 10

/* The MMU-on map: RAM identity-mapped as Normal write-back memory (4K granule, 39-bit VAs),
 * the UART page as Device-nGnRnE, and two pages at EDGE_VA + 4 KiB and + 12 KiB with nothing
 * mapped around them. */
#define POOL       0x47000000ull /* page tables: above the image, in QEMU's default 128 MiB */
#define POOL_SIZE  0x00100000ull
#define RAM_BASE   0x40000000ull
#define UART_PAGE  0x09000000ull
#define VA_BITS    39
#define PAGE       4096u
#define EDGE_VA    0x80000000ull
#define PAGE_A     (EDGE_VA + 1 * PAGE)
#define PAGE_B     (EDGE_VA + 3 * PAGE)
#define MAIR_VALUE 0xff00ull /* attribute 0 Device-nGnRnE, 1 Normal write-back */
#define PTE_RAM    (PTE_ATTRINDX(1) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define PTE_DEV    (PTE_ATTRINDX(0) | PTE_AF | PTE_UXN | PTE_PXN)
/* SCTLR_EL1: M, C, I, SA, SA0 and the RES1 bits; A = 0, so Normal memory allows unaligned. */
#define SCTLR_MMU_ON 0x30d0199dull

#define MSR(reg, v) __asm__ volatile("msr " #reg ", %0\n\tisb" ::"r"((uint64_t)(v)) : "memory")

static uint8_t src_buf[BUF_SIZE] __attribute__((aligned(PAGE)));
static uint8_t dst_buf[BUF_SIZE] __attribute__((aligned(PAGE)));
static uint8_t ref_buf[BUF_SIZE] __attribute__((aligned(PAGE)));
static uint8_t edge_pages[2][PAGE] __attribute__((aligned(PAGE)));
static struct pt pt0;
static uint64_t rng_state = 0x51dd57a1c0de5eedull;

/* Lengths: every one up to 72, then both sides of each block size the functions switch at;
 * only the copies take the last, longest one. */
static const uint16_t lengths[] = {
    0,   1,   2,   3,   4,   5,   6,   7,   8,   9,   10,   11,   12,   13,  14,  15,  16,
    17,  18,  19,  20,  21,  22,  23,  24,  25,  26,  27,   28,   29,   30,  31,  32,  33,
    34,  35,  36,  37,  38,  39,  40,  41,  42,  43,  44,   45,   46,   47,  48,  49,  50,
    51,  52,  53,  54,  55,  56,  57,  58,  59,  60,  61,   62,   63,   64,  65,  66,  67,
    68,  69,  70,  71,  72,  79,  80,  81,  95,  96,  97,   111,  112,  113, 127, 128, 129,
    130, 143, 144, 145, 159, 160, 161, 175, 176, 177, 191,  192,  193,  208, 223, 224, 225,
    255, 256, 257, 300, 383, 384, 385, 511, 512, 513, 1000, 1024, 4000,
};
#define NLENGTHS (sizeof(lengths) / sizeof(lengths[0]))
#define NSHORT   (NLENGTHS - 1)

/* Source and destination offsets (from a 16-byte aligned address) of the copy cases. */
static const uint8_t copy_offsets[][2] = {
    {0, 0}, {1, 0}, {0, 1}, {3, 7}, {8, 8}, {15, 1}, {1, 15}, {15, 15}, {0, 16}, {16, 0},
};
#define NCOPY_OFFSETS (sizeof(copy_offsets) / sizeof(copy_offsets[0]))

struct tally {
    const char *name;
    unsigned cases, bad;
};

static unsigned reports, total_cases, total_bad;
static bool device; /* phase 1: only element-aligned accesses */

/* ------------------------------------------------------------------------------------------ */
/* The references: byte loops, kept out of line and scalar.                                   */

#define BYTE_LOOP __attribute__((noinline, optimize("no-tree-vectorize")))

static BYTE_LOOP void ref_copy(uint8_t *d, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = s[i];
}

static BYTE_LOOP void ref_set(uint8_t *d, uint8_t c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        d[i] = c;
}

static BYTE_LOOP size_t ref_strlen(const uint8_t *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static BYTE_LOOP const uint8_t *ref_memchr(const uint8_t *s, uint8_t c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == c)
            return s + i;
    }
    return NULL;
}

/* The index of the first byte where A and B differ, or N. */
static BYTE_LOOP size_t first_difference(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t i = 0;
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/* A pattern that differs from the source's and from one case to the next. */
static BYTE_LOOP void fill_pattern(uint8_t *d, size_t n, uint8_t salt)
{
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)(i * 29 + salt);
}

/* ------------------------------------------------------------------------------------------ */

static void mismatch(struct tally *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void mismatch(struct tally *t, const char *fmt, ...)
{
    va_list ap;

    t->bad++;
    if (reports++ >= MAX_REPORTS)
        return;
    va_start(ap, fmt);
    printf("MISMATCH %s: ", t->name);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

typedef void *copy_fn(void *dst, const void *src, size_t n);

/* Copy N bytes from SRC to DST, where DST lies in dst_buf with GUARD checked bytes around it. */
static void copy_case(struct tally *t, copy_fn *fn, uint8_t *dst, const uint8_t *src, size_t n)
{
    uint8_t *lo = dst - GUARD;
    size_t span = n + 2 * GUARD;

    fill_pattern(lo, span, (uint8_t)t->cases);
    ref_copy(ref_buf, lo, span);
    ref_copy(ref_buf + GUARD, src, n);
    void *r = fn(dst, src, n);
    size_t at = first_difference(lo, ref_buf, span);
    t->cases++;
    if (r != dst)
        mismatch(t, "src+%lu dst+%lu n %zu: returned %p", (uintptr_t)src & 15, (uintptr_t)dst & 15,
                 n, r);
    else if (at != span)
        mismatch(t, "src+%lu dst+%lu n %zu: byte %zu of the span is 0x%02x, want 0x%02x",
                 (uintptr_t)src & 15, (uintptr_t)dst & 15, n, at, lo[at], ref_buf[at]);
}

/* DEVICE_SAFE: FN's accesses are aligned to their element size whatever its arguments. */
static void test_copy(struct tally *t, copy_fn *fn, bool device_safe)
{
    for (unsigned o = 0; o < NCOPY_OFFSETS; o++) {
        unsigned so = copy_offsets[o][0], dof = copy_offsets[o][1];
        for (unsigned i = 0; i < NLENGTHS; i++) {
            unsigned n = lengths[i];
            if (device && !device_safe && ((so | dof | n) & 15))
                continue;
            copy_case(t, fn, dst_buf + GUARD + dof, src_buf + GUARD + so, n);
        }
    }
}

static void memset_case(struct tally *t, uint8_t *dst, uint8_t c, size_t n)
{
    uint8_t *lo = dst - GUARD;
    size_t span = n + 2 * GUARD;

    fill_pattern(lo, span, (uint8_t)(c + 1));
    ref_copy(ref_buf, lo, span);
    ref_set(ref_buf + GUARD, c, n);
    void *r = simd_memset(dst, c, n);
    size_t at = first_difference(lo, ref_buf, span);
    t->cases++;
    if (r != dst)
        mismatch(t, "dst+%lu n %zu c 0x%02x: returned %p", (uintptr_t)dst & 15, n, c, r);
    else if (at != span)
        mismatch(t, "dst+%lu n %zu c 0x%02x: byte %zu of the span is 0x%02x, want 0x%02x",
                 (uintptr_t)dst & 15, n, c, at, lo[at], ref_buf[at]);
}

static void test_memset(struct tally *t)
{
    static const uint8_t values[] = {0x00, 0xff, 0x5a, 0x80, 0x01};

    for (unsigned dof = 0; dof < 16; dof++) {
        for (unsigned i = 0; i < NSHORT; i++) {
            unsigned n = lengths[i];
            if (device && ((dof | n) & 15))
                continue;
            memset_case(t, dst_buf + GUARD + dof, values[(dof + i) % 5], n);
        }
    }
}

/* A string of N bytes, none of them NUL, at S; then the NUL and a tail that may hold more. */
static void make_string(uint8_t *s, size_t n, uint8_t salt)
{
    for (size_t i = 0; i < n; i++)
        s[i] = (uint8_t)((i * 37 + salt) | ((i & 3) == 1 ? 0x80 : 0x01));
    s[n] = 0;
    for (size_t i = 1; i < 20; i++)
        s[n + i] = (uint8_t)(i % 3 ? i * 11 : 0);
}

static void strlen_case(struct tally *t, const uint8_t *s)
{
    size_t want = ref_strlen(s), got = simd_strlen((const char *)s);
    t->cases++;
    if (got != want)
        mismatch(t, "s+%lu: returned %zu, want %zu", (uintptr_t)s & 15, got, want);
}

static void test_strlen(struct tally *t)
{
    for (unsigned off = 0; off < 16; off++) {
        for (unsigned i = 0; i < NSHORT; i++) {
            uint8_t *s = dst_buf + GUARD + off;
            /* The bytes before the string, in its first 16-byte chunk: NULs half the time. */
            ref_set(dst_buf, (off + i) & 1 ? 0 : 0x55, GUARD + off);
            make_string(s, lengths[i], (uint8_t)(off * 16 + i));
            strlen_case(t, s);
        }
    }
}

/* Search N bytes at S for C, where the bytes around the range hold C too. */
static void memchr_case(struct tally *t, const uint8_t *s, uint8_t c, size_t n)
{
    const uint8_t *want = ref_memchr(s, c, n), *got = simd_memchr(s, c, n);
    t->cases++;
    if (got != want)
        mismatch(t, "s+%lu c 0x%02x n %zu: returned %p, want %p", (uintptr_t)s & 15, c, n,
                 (const void *)got, (const void *)want);
}

static void test_memchr(struct tally *t)
{
    static const uint8_t values[] = {0x00, 0xff, 0x80, 0x41, 0x7f};
    static const uint8_t offsets[] = {0, 1, 3, 7, 8, 9, 14, 15};

    for (unsigned o = 0; o < sizeof(offsets); o++) {
        unsigned off = offsets[o];
        for (unsigned i = 0; i < NSHORT; i++) {
            size_t n = lengths[i];
            uint8_t *s = dst_buf + GUARD + off;
            uint8_t c = values[(off + i) % 5];
            /* Not C anywhere, then C right before and right after the range. */
            uint8_t *lo = s - GUARD;
            for (size_t k = 0; k < n + 2 * GUARD; k++) {
                uint8_t v = (uint8_t)(k * 7 + 3);
                lo[k] = v == c ? (uint8_t)(c + 1) : v;
            }
            s[-1] = c;
            s[n] = c;
            memchr_case(t, s, c, n);
            if (n == 0)
                continue;
            /* C at the first byte, the last, and one in between, each the only one in range. */
            size_t at[3] = {0, n - 1, (size_t)(xorshift64(&rng_state) % n)};
            for (int j = 0; j < 3; j++) {
                uint8_t old = s[at[j]];
                s[at[j]] = c;
                memchr_case(t, s, c, n);
                s[at[j]] = old;
            }
            /* A found byte with a length that runs off the end of memory. */
            s[at[2]] = c;
            memchr_case(t, s, c, SIZE_MAX);
            s[at[2]] = (uint8_t)(c + 1);
        }
    }
}

/* Phase 3: buffers ending on the last byte of page A or B, or starting on the first. */
static void test_page_edges(struct tally *t)
{
    uint8_t *a = (uint8_t *)(uintptr_t)PAGE_A, *b = (uint8_t *)(uintptr_t)PAGE_B;

    for (size_t n = 0; n <= 80; n++) {
        /* A string whose NUL is the page's last byte, and one starting on its first byte. */
        ref_set(a + PAGE - 1 - n, 0x61, n);
        a[PAGE - 1] = 0;
        strlen_case(&t[0], a + PAGE - 1 - n);
        make_string(a, n, 3);
        strlen_case(&t[0], a);

        /* memchr up to the page's last byte: C absent, then C on the last byte; and from the
         * page's first byte. */
        uint8_t *s = a + PAGE - n;
        ref_set(s, 0x62, n);
        memchr_case(&t[1], s, 0x63, n);
        if (n) {
            s[n - 1] = 0x63;
            memchr_case(&t[1], s, 0x63, n);
        }
        memchr_case(&t[1], a, 0x64, n);

        /* Copies from the end of page A to the end and to the start of page B; a fill up to
         * the end of page B. */
        for (size_t i = 0; i < n; i++)
            a[PAGE - n + i] = (uint8_t)(i + 1);
        ref_set(b, 0xee, PAGE);
        simd_memcpy(b + PAGE - n, a + PAGE - n, n);
        simd_memcpy_ld1(b, a + PAGE - n, n);
        simd_memset(b + PAGE - n / 2, 0x77, n / 2);
        ref_set(ref_buf, 0xee, PAGE);
        ref_copy(ref_buf + PAGE - n, a + PAGE - n, n);
        ref_copy(ref_buf, a + PAGE - n, n);
        ref_set(ref_buf + PAGE - n / 2, 0x77, n / 2);
        size_t at = first_difference(b, ref_buf, PAGE);
        t[2].cases++;
        if (at != PAGE)
            mismatch(&t[2], "n %zu: byte %zu of page B is 0x%02x, want 0x%02x", n, at, b[at],
                     ref_buf[at]);
    }
}

/* ------------------------------------------------------------------------------------------ */

static void on_exception(struct exc_frame *frame)
{
    printf("simd_string: unexpected exception: ESR 0x%lx (EC 0x%02lx) FAR 0x%lx at 0x%lx, "
           "instruction 0x%08x\n",
           frame->esr, frame->esr >> 26, frame->far, frame->elr,
           *(const uint32_t *)(uintptr_t)frame->elr);
    guest_exit(2);
}

static bool mmu_on(void)
{
    if (!pt_init(&pt0, PAGE, VA_BITS, POOL, POOL_SIZE) ||
        !pt_map(&pt0, RAM_BASE, RAM_BASE, 1ull << 30, PTE_RAM, false) ||
        !pt_map(&pt0, UART_PAGE, UART_PAGE, PAGE, PTE_DEV, true) ||
        !pt_map(&pt0, PAGE_A, (uintptr_t)edge_pages[0], PAGE, PTE_RAM | PTE_PXN, true) ||
        !pt_map(&pt0, PAGE_B, (uintptr_t)edge_pages[1], PAGE, PTE_RAM | PTE_PXN, true))
        return false;
    /* T0SZ = 25, IRGN0/ORGN0 write-back, SH0 inner, TG0 4K, EPD1, IPS 40 bits. */
    uint64_t tcr = (uint64_t)(64 - VA_BITS) | 1ull << 8 | 1ull << 10 | 3ull << 12 |
                   (uint64_t)pt_tg0(&pt0) << 14 | 1ull << 23 | 2ull << 32;
    MSR(mair_el1, MAIR_VALUE);
    MSR(tcr_el1, tcr);
    MSR(ttbr0_el1, pt0.root);
    __asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
    MSR(sctlr_el1, SCTLR_MMU_ON);
    return true;
}

static void finish(struct tally *t, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        printf("  %-22s %5u cases", t[i].name, t[i].cases);
        if (t[i].bad)
            printf(", %u MISMATCHES\n", t[i].bad);
        else
            printf(" ok\n");
        total_cases += t[i].cases;
        total_bad += t[i].bad;
    }
}

static void run_all(void)
{
    struct tally t[] = {
        {"memcpy (LDP/STP Q)", 0, 0},   {"memcpy (LD1/ST1)", 0, 0}, {"memset (DUP, STP Q)", 0, 0},
        {"strlen (SHRN, UMAXP)", 0, 0}, {"memchr (ADDP)", 0, 0},
    };

    test_copy(&t[0], simd_memcpy, false);
    test_copy(&t[1], simd_memcpy_ld1, true);
    test_memset(&t[2]);
    test_strlen(&t[3]);
    test_memchr(&t[4]);
    finish(t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
    vectors_install_el1(on_exception);
    for (unsigned i = 0; i < BUF_SIZE; i++)
        src_buf[i] = (uint8_t)xorshift64(&rng_state);

    printf("simd_string: MMU off, Device memory: accesses aligned to their element size\n");
    device = true;
    run_all();

    if (!mmu_on()) {
        printf("simd_string: the page tables do not fit\n");
        return 1;
    }
    printf("simd_string: MMU on, Normal memory: any alignment\n");
    device = false;
    run_all();

    printf("simd_string: at the edges of pages with nothing mapped around them\n");
    struct tally e[] = {{"strlen", 0, 0}, {"memchr", 0, 0}, {"memcpy, memset", 0, 0}};
    test_page_edges(e);
    finish(e, 3);

    printf("simd_string: %u cases, %u mismatches\n", total_cases, total_bad);
    return total_bad ? 1 : 0;
}
