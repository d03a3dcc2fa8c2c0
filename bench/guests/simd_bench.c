/*
 * Bench guest: a vector workload. With the MMU on (RAM as Normal write-back memory, where
 * unaligned accesses are allowed, as glibc expects) it runs 50 rounds of:
 *  - copy: the NEON copies of runtime/simd_string.h, simd_memcpy (LDP/STP Q, overlapping
 *    tails) and simd_memcpy_ld1 (LD1/ST1 of four registers), over sizes from 16 bytes to
 *    16 KiB at eight source/destination alignments, then simd_memset (DUP, STP Q);
 *  - strlen: simd_strlen (CMEQ, SHRN/UMAXP syndromes, RBIT/CLZ) over a 64 KiB text of strings
 *    from 0 to 300 bytes long;
 *  - checksum: the RFC 1071 Internet checksum in NEON (LD1 of four registers of halfwords,
 *    UADALP into 32-bit lanes, UADDLV at the end), and a byte-sum and XOR block hash written in
 *    plain C that GCC's -O2 auto-vectoriser turns into UXTL/UADDW/ADDV and EOR on vectors;
 *  - dgemm: a 48 x 48 double-precision matrix multiply in scalar FP (FMADD; the vectoriser is
 *    kept away from it).
 * Roughly 115 million instructions. Deterministic: prints one checksum per part, folded from
 * the results (the matrix by its bit patterns), and their combination.
 */
#include <stddef.h>
#include <stdint.h>

#include "mmu.h"
#include "printf.h"
#include "simd_string.h"
#include "workload.h"

/* Every round runs each part, so that any prefix of the run (callgrind's budget in
 * scripts/bench.sh) has the whole mix. */
#define ROUNDS      50
#define COPY_REPS   10 /* per round */
#define STRLEN_REPS 22
#define CSUM_REPS   48

#define MAX_COPY  16384
#define SLACK     64
#define TEXT_SIZE 65536
#define N         48

/* The MMU-on map of intmix_mmu: RAM identity-mapped as Normal write-back memory in blocks
 * (4K granule, 39-bit VAs), the UART page as Device-nGnRnE. */
#define POOL         0x47000000ull /* page tables: above the image, in QEMU's default 128 MiB */
#define POOL_SIZE    0x00100000ull
#define RAM_BASE     0x40000000ull
#define UART_PAGE    0x09000000ull
#define VA_BITS      39
#define MAIR_VALUE   0xff00ull /* attribute 0 Device-nGnRnE, 1 Normal write-back */
#define PTE_RAM      (PTE_ATTRINDX(1) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define PTE_DEV      (PTE_ATTRINDX(0) | PTE_AF | PTE_UXN | PTE_PXN)
#define SCTLR_MMU_ON 0x30d0199dull /* M, C, I, SA, SA0 and the RES1 bits */

#define MSR(reg, v) __asm__ volatile("msr " #reg ", %0\n\tisb" ::"r"((uint64_t)(v)) : "memory")

static const uint32_t copy_sizes[] = {16, 33, 64, 100, 128, 255, 512, 1000, 4096, MAX_COPY};

static uint8_t src[MAX_COPY + SLACK] __attribute__((aligned(16)));
static uint8_t dst[MAX_COPY + SLACK] __attribute__((aligned(16)));
static uint8_t text[TEXT_SIZE] __attribute__((aligned(16)));
static double mat_a[N][N], mat_b[N][N], mat_c[N][N];
static struct pt pt0;

/* uint64_t simd_csum_partial(const void *p, size_t n): the sum of the N / 2 little-endian
 * halfwords at P, N a nonzero multiple of 64. Four 32-bit accumulators of four lanes each take
 * at most 2 * 0xffff per 64 bytes: no overflow below 2 MiB. */
uint64_t simd_csum_partial(const void *p, size_t n);
// clang-format off
__asm__(
    SIMD_FUNCTION(simd_csum_partial)
    "\tmovi	v4.16b, #0\n"
    "\tmovi	v5.16b, #0\n"
    "\tmovi	v6.16b, #0\n"
    "\tmovi	v7.16b, #0\n"
    "1:\tld1	{v0.8h, v1.8h, v2.8h, v3.8h}, [x0], #64\n"
    "\tuadalp	v4.4s, v0.8h\n"
    "\tuadalp	v5.4s, v1.8h\n"
    "\tuadalp	v6.4s, v2.8h\n"
    "\tuadalp	v7.4s, v3.8h\n"
    "\tsubs	x1, x1, #64\n"
    "\tb.hi	1b\n"
    "\tadd	v4.4s, v4.4s, v5.4s\n"
    "\tadd	v6.4s, v6.4s, v7.4s\n"
    "\tadd	v4.4s, v4.4s, v6.4s\n"
    "\tuaddlv	d0, v4.4s\n"
    "\tfmov	x0, d0\n"
    "\tret\n"
    "\t.size simd_csum_partial, . - simd_csum_partial\n");
// clang-format on

/* RFC 1071: the ones' complement of the ones' complement sum of the halfwords. */
static uint16_t inet_csum(const void *p, size_t n)
{
    uint64_t s = simd_csum_partial(p, n);

    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* The same in scalar C, once, to check the vector one. */
static uint16_t inet_csum_scalar(const uint8_t *p, size_t n)
{
    uint64_t s = 0;

    for (size_t i = 0; i < n; i += 2)
        s += (uint32_t)p[i] | (uint32_t)p[i + 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* A block hash over 4 KiB of the aligned text, left to the auto-vectoriser: the byte sum and
 * the XOR of the block, which also overwrites the block with itself XOR (bytes + salt). */
#define BLOCK 4096
static uint64_t block_hash(uint8_t *block, uint8_t salt)
{
    uint8_t *p = __builtin_assume_aligned(block, 16);
    uint32_t sum = 0;
    uint8_t x = 0;

    for (int i = 0; i < BLOCK; i++)
        sum += p[i];
    for (int i = 0; i < BLOCK; i++)
        x ^= p[i];
    for (int i = 0; i < BLOCK; i++)
        p[i] ^= (uint8_t)(p[i] + salt);
    return (uint64_t)sum << 8 | x;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ull;
}

/* FNV-1a of a whole buffer. */
static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;

    for (size_t i = 0; i < n; i++)
        h = mix(h, p[i]);
    return h;
}

static uint64_t bench_copy(uint64_t h, int round)
{
    for (int rep = round * COPY_REPS; rep < (round + 1) * COPY_REPS; rep++) {
        for (unsigned k = 0; k < sizeof(copy_sizes) / sizeof(copy_sizes[0]); k++) {
            uint32_t n = copy_sizes[k];
            for (uint32_t shift = 0; shift < 8; shift++) {
                uint32_t so = shift * 7 % 16, dof = (shift * 5 + (uint32_t)rep) % 16;
                simd_memcpy(dst + dof, src + so, n);
                h = mix(h, dst[dof] | (uint64_t)dst[dof + n / 2] << 8 | dst[dof + n - 1] << 16);
                simd_memcpy_ld1(src + so, dst + dof + 1, n - 1);
                h = mix(h, src[so + n / 3]);
            }
            simd_memset(dst + rep % 16, rep, n / 2);
            h = mix(h, dst[n / 4]);
        }
    }
    return h;
}

static void make_text(void)
{
    uint64_t rng = 0x7e47b00c5eedull;
    size_t at = 0;

    while (at < TEXT_SIZE - 1) {
        size_t len = xorshift64(&rng) % 301;
        if (len > TEXT_SIZE - 1 - at)
            len = TEXT_SIZE - 1 - at;
        for (size_t i = 0; i < len; i++)
            text[at + i] = (uint8_t)(1 + xorshift64(&rng) % 255);
        at += len;
        text[at++] = 0;
    }
    text[TEXT_SIZE - 1] = 0;
}

static uint64_t bench_strlen(uint64_t h, int round)
{
    for (int rep = round * STRLEN_REPS; rep < (round + 1) * STRLEN_REPS; rep++) {
        const char *p = (const char *)text + rep % 2;
        const char *end = (const char *)text + TEXT_SIZE;
        while (p < end) {
            size_t n = simd_strlen(p);
            h += n;
            p += n + 1;
        }
        h = mix(h, rep);
    }
    return h;
}

static uint64_t bench_csum(uint64_t h, int round)
{
    for (int rep = round * CSUM_REPS; rep < (round + 1) * CSUM_REPS; rep++) {
        h = mix(h, inet_csum(text, TEXT_SIZE));
        h = mix(h, block_hash(text + (rep % (TEXT_SIZE / BLOCK)) * BLOCK, (uint8_t)rep));
    }
    return h;
}

/* C += A * B, scalar: one FMADD per term. */
__attribute__((optimize("no-tree-vectorize"))) static void dgemm(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            double s = mat_c[i][j];
            for (int k = 0; k < N; k++)
                s += mat_a[i][k] * mat_b[k][j];
            mat_c[i][j] = s * 0.5;
        }
    }
}

static void dgemm_init(void)
{
    uint64_t rng = 0xd6e11ull;

    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            mat_a[i][j] = (double)((int)(xorshift64(&rng) % 2001) - 1000) / 1000.0;
            mat_b[i][j] = (double)((int)(xorshift64(&rng) % 2001) - 1000) / 7.0;
            mat_c[i][j] = 0.0;
        }
    }
}

/* The bit patterns of C. */
static uint64_t dgemm_hash(void)
{
    uint64_t h = 0;

    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            uint64_t bits;
            __builtin_memcpy(&bits, &mat_c[i][j], sizeof(bits));
            h = mix(h, bits);
        }
    }
    return h;
}

static int mmu_on(void)
{
    if (!pt_init(&pt0, 4096, VA_BITS, POOL, POOL_SIZE) ||
        !pt_map(&pt0, RAM_BASE, RAM_BASE, 1ull << 30, PTE_RAM, false) ||
        !pt_map(&pt0, UART_PAGE, UART_PAGE, 4096, PTE_DEV, true))
        return 0;
    /* T0SZ = 25, IRGN0/ORGN0 write-back, SH0 inner, TG0 4K, EPD1, IPS 40 bits. */
    uint64_t tcr = (uint64_t)(64 - VA_BITS) | 1ull << 8 | 1ull << 10 | 3ull << 12 |
                   (uint64_t)pt_tg0(&pt0) << 14 | 1ull << 23 | 2ull << 32;
    MSR(mair_el1, MAIR_VALUE);
    MSR(tcr_el1, tcr);
    MSR(ttbr0_el1, pt0.root);
    __asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
    MSR(sctlr_el1, SCTLR_MMU_ON);
    return 1;
}

int main(void)
{
    uint64_t rng = 0x51b0d5eedull;

    if (!mmu_on()) {
        printf("simd_bench: page tables do not fit\n");
        return 1;
    }
    for (size_t i = 0; i < sizeof(src); i++)
        src[i] = (uint8_t)xorshift64(&rng);
    make_text();
    dgemm_init();
    if (inet_csum(text, TEXT_SIZE) != inet_csum_scalar(text, TEXT_SIZE))
        printf("simd_bench: the NEON Internet checksum disagrees with the scalar one\n");

    uint64_t copy = 0, len = 0, csum = 0;
    for (int round = 0; round < ROUNDS; round++) {
        copy = bench_copy(copy, round);
        len = bench_strlen(len, round);
        csum = bench_csum(csum, round);
        dgemm();
    }
    copy = mix(copy, fnv1a(src, sizeof(src)) ^ fnv1a(dst, sizeof(dst)));
    uint64_t gemm = dgemm_hash();
    printf("simd_bench: copy %016lx strlen %016lx csum %016lx dgemm %016lx\n", copy, len, csum,
           gemm);
    printf("simd_bench: checksum %016lx\n", mix(mix(mix(copy, len), csum), gemm));
    return 0;
}
