/*
 * Self-check of the guest runtime: printf/snprintf formatting against the
 * C standard's definition of each conversion, and memcpy/memmove/memset/
 * memcmp/strlen at every source/destination alignment against a byte-by-byte
 * reference. Prints one line per group and exits 1 if anything differs.
 */
#include <stdbool.h>
#include <stdint.h>

#include "mem.h"
#include "printf.h"

#define BUF_SIZE  96
#define MAX_LEN   40
#define MAX_SHIFT 8
#define GUARD     0xA5

static unsigned failures;
static unsigned checks;

static uint8_t src_buf[BUF_SIZE] __attribute__((aligned(16)));
static uint8_t dst_buf[BUF_SIZE] __attribute__((aligned(16)));
static uint8_t ref_buf[BUF_SIZE] __attribute__((aligned(16)));

static bool bytes_equal(const uint8_t *a, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return false;
        }
    }
    return true;
}

static void expect(bool ok, const char *what, int a, int b, int c)
{
    checks++;
    if (ok) {
        return;
    }
    failures++;
    printf("rtcheck: FAILED %s (%d, %d, %d)\n", what, a, b, c);
}

static void expect_str(const char *got, int got_len, const char *want)
{
    int want_len = (int)strlen(want);

    checks++;
    if (got_len == want_len && memcmp(got, want, (size_t)want_len + 1) == 0) {
        return;
    }
    failures++;
    printf("rtcheck: FAILED snprintf: got \"%s\" (%d), want \"%s\" (%d)\n", got, got_len, want,
           want_len);
}

/* Expected strings follow C11 7.21.6.1 (fprintf) for each flag, width and conversion. */
static void check_snprintf(void)
{
    char b[64];

#define EXPECT_FMT(want, ...) expect_str(b, snprintf(b, sizeof(b), __VA_ARGS__), want)
    EXPECT_FMT("-42", "%d", -42);
    EXPECT_FMT("0", "%i", 0);
    EXPECT_FMT("   42", "%5d", 42);
    EXPECT_FMT("42   |", "%-5d|", 42);
    EXPECT_FMT("-0042", "%05d", -42);
    EXPECT_FMT("  -42", "%5i", -42);
    EXPECT_FMT("-2147483648", "%d", (int)INT32_MIN);
    EXPECT_FMT("4294967295", "%u", UINT32_MAX);
    EXPECT_FMT("deadbeef", "%x", 0xDEADBEEFu);
    EXPECT_FMT("DEADBEEF", "%X", 0xDEADBEEFu);
    EXPECT_FMT("0000beef", "%08x", 0xBEEFu);
    EXPECT_FMT("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
    EXPECT_FMT("-1", "%ld", -1L);
    EXPECT_FMT("fedcba9876543210", "%lx", 0xFEDCBA9876543210ul);
    EXPECT_FMT("-9223372036854775808", "%lld", (long long)INT64_MIN);
    EXPECT_FMT("12345678901234", "%llu", 12345678901234ull);
    EXPECT_FMT("00000000000000ff", "%016llx", 0xFFull);
    EXPECT_FMT("abc", "%s", "abc");
    EXPECT_FMT("   abc", "%6s", "abc");
    EXPECT_FMT("abc   |", "%-6s|", "abc");
    EXPECT_FMT("A", "%c", 'A');
    EXPECT_FMT("  A", "%3c", 'A');
    EXPECT_FMT("100%", "%d%%", 100);
    EXPECT_FMT("0x40080000", "%p", (void *)0x40080000ul);
    EXPECT_FMT("   7", "%*d", 4, 7);
    EXPECT_FMT("24", "%zu", sizeof(uint64_t[3]));
    EXPECT_FMT("x=1 y=ff z=end", "x=%d y=%x z=%s", 1, 255u, "end");
#undef EXPECT_FMT

    /* C11 7.21.6.5: output past n-1 bytes is dropped, the return value is the full length. */
    int n = snprintf(b, 4, "%d", 123456);
    expect_str(b, n == 6 ? 3 : n, "123");
    n = snprintf(b, 0, "%s", "unchanged");
    expect(n == 9, "snprintf size 0 length", n, 9, 0);
}

static void fill(uint8_t *buf, uint8_t seed)
{
    for (int i = 0; i < BUF_SIZE; i++) {
        buf[i] = (uint8_t)(seed + i * 7);
    }
}

static void fill_guard(uint8_t *buf)
{
    for (int i = 0; i < BUF_SIZE; i++) {
        buf[i] = GUARD;
    }
}

/* Every alignment pair and length: the copied bytes match and nothing around them is touched. */
static void check_memcpy(void)
{
    fill(src_buf, 1);
    for (int so = 0; so < MAX_SHIFT; so++) {
        for (int dof = 0; dof < MAX_SHIFT; dof++) {
            for (int len = 0; len <= MAX_LEN; len++) {
                fill_guard(dst_buf);
                fill_guard(ref_buf);
                for (int i = 0; i < len; i++) {
                    ref_buf[dof + i] = src_buf[so + i];
                }
                void *r = memcpy(dst_buf + dof, src_buf + so, (size_t)len);
                expect(r == dst_buf + dof && bytes_equal(dst_buf, ref_buf, BUF_SIZE), "memcpy", so,
                       dof, len);
            }
        }
    }
}

/* Overlapping moves in both directions, compared with a copy made through a separate buffer. */
static void check_memmove(void)
{
    uint8_t tmp[MAX_LEN];

    for (int so = 0; so < 2 * MAX_SHIFT; so++) {
        for (int dof = 0; dof < 2 * MAX_SHIFT; dof++) {
            for (int len = 0; len <= MAX_LEN; len++) {
                fill(dst_buf, 3);
                fill(ref_buf, 3);
                for (int i = 0; i < len; i++) {
                    tmp[i] = ref_buf[so + i];
                }
                for (int i = 0; i < len; i++) {
                    ref_buf[dof + i] = tmp[i];
                }
                void *r = memmove(dst_buf + dof, dst_buf + so, (size_t)len);
                expect(r == dst_buf + dof && bytes_equal(dst_buf, ref_buf, BUF_SIZE), "memmove", so,
                       dof, len);
            }
        }
    }
}

static void check_memset(void)
{
    for (int dof = 0; dof < MAX_SHIFT; dof++) {
        for (int len = 0; len <= MAX_LEN; len++) {
            fill_guard(dst_buf);
            fill_guard(ref_buf);
            for (int i = 0; i < len; i++) {
                ref_buf[dof + i] = 0x3C;
            }
            /* Only the low byte of c counts (C11 7.24.6.1: converted to unsigned char). */
            void *r = memset(dst_buf + dof, 0x1233C, (size_t)len);
            expect(r == dst_buf + dof && bytes_equal(dst_buf, ref_buf, BUF_SIZE), "memset", dof,
                   len, 0);
        }
    }
}

/* memcmp compares as unsigned char (C11 7.24.4.1), so 0x80 sorts above 0x7F. */
static void check_memcmp_strlen(void)
{
    static const uint8_t lo[4] = {1, 2, 0x7F, 4};
    static const uint8_t hi[4] = {1, 2, 0x80, 0};

    expect(memcmp(lo, hi, 4) < 0, "memcmp less", 0, 0, 0);
    expect(memcmp(hi, lo, 4) > 0, "memcmp greater", 0, 0, 0);
    expect(memcmp(lo, hi, 2) == 0, "memcmp equal prefix", 0, 0, 0);
    expect(memcmp(lo, hi, 0) == 0, "memcmp empty", 0, 0, 0);
    expect(strlen("") == 0, "strlen empty", 0, 0, 0);
    expect(strlen("a64sim") == 6, "strlen", 0, 0, 0);
}

int main(void)
{
    printf("rtcheck: guest runtime self-check\n");
    check_snprintf();
    check_memcpy();
    check_memmove();
    check_memset();
    check_memcmp_strlen();
    if (failures) {
        printf("rtcheck: %u of %u checks failed\n", failures, checks);
        return 1;
    }
    printf("rtcheck: all %u checks passed\n", checks);
    return 0;
}
