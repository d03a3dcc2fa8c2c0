/*
 * The bundled demo guest (`make run`): real work whose every result is a
 * known constant, so a wrong instruction shows up as a failed check rather
 * than as silently different output. The constants come from outside this
 * program: pi(100000) = 9592; the CRC-32 check value of "123456789" is
 * 0xCBF43926; the 8-queens problem has 92 solutions; F(19) = 4181 and
 * F(0)+...+F(19) = F(21)-1 = 10945; the two 64-bit checksums were computed
 * independently on the host (Python big integers, C truncating division).
 */
#include <stdbool.h>
#include <stdint.h>

#include "printf.h"
#include "workload.h"

#define SIEVE_LIMIT 100000
#define SORT_ITEMS  500
#define FIB_COUNT   20

#define WANT_PRIMES   9592u
#define WANT_CRC32    0xCBF43926u
#define WANT_QUEENS   92u
#define WANT_FIB_LAST 4181u
#define WANT_FIB_SUM  10945u
#define WANT_MULDIV   0x1a30a1c131c38624ull
#define WANT_SORT_SUM 0x1481f13079de4ull

static uint8_t composite[SIEVE_LIMIT];
static uint32_t crc_table[256];
static uint32_t sort_items[SORT_ITEMS];

static unsigned failures;

static void check(const char *what, uint64_t got, uint64_t want)
{
    if (got == want) {
        return;
    }
    printf("demo: FAILED %s: got %llu (0x%llx), want %llu (0x%llx)\n", what,
           (unsigned long long)got, (unsigned long long)got, (unsigned long long)want,
           (unsigned long long)want);
    failures++;
}

static uint32_t count_primes(void)
{
    uint32_t count = 0;

    for (uint32_t i = 2; i < SIEVE_LIMIT; i++) {
        if (composite[i]) {
            continue;
        }
        count++;
        if (i > SIEVE_LIMIT / i) {
            continue; /* i*i is past the limit: nothing left to strike out */
        }
        for (uint32_t j = i * i; j < SIEVE_LIMIT; j += i) {
            composite[j] = 1;
        }
    }
    return count;
}

/* CRC-32 as in IEEE 802.3: reflected, polynomial 0xEDB88320, init and final XOR all ones. */
static void crc32_init(void)
{
    crc32_table_init(crc_table);
}

static uint32_t crc32(const char *s)
{
    uint32_t c = 0xFFFFFFFFu;

    for (; *s; s++) {
        c = crc_table[(c ^ (uint8_t)*s) & 0xFF] ^ (c >> 8);
    }
    return c ^ 0xFFFFFFFFu;
}

/* Place one queen per row; the masks hold the columns and diagonals already attacked. */
static uint32_t queens(uint32_t cols, uint32_t left, uint32_t right)
{
    const uint32_t all = 0xFF;
    uint32_t count = 0;

    if (cols == all) {
        return 1;
    }
    uint32_t free = all & ~(cols | left | right);
    while (free) {
        uint32_t bit = free & (0 - free);
        free &= free - 1;
        count += queens(cols | bit, ((left | bit) << 1) & all, (right | bit) >> 1);
    }
    return count;
}

static void fibonacci(void)
{
    uint32_t fib[FIB_COUNT] = {0, 1};
    uint32_t sum = 1;

    for (int i = 2; i < FIB_COUNT; i++) {
        fib[i] = fib[i - 1] + fib[i - 2];
        sum += fib[i];
    }
    printf("fibonacci:");
    for (int i = 0; i < FIB_COUNT; i++) {
        printf(" %u", fib[i]);
    }
    printf("\n");
    check("fibonacci F(19)", fib[FIB_COUNT - 1], WANT_FIB_LAST);
    check("fibonacci sum", sum, WANT_FIB_SUM);
}

/* Exercises MUL, UMULH, UDIV and SDIV (negative divisors) on values that use all 64 bits. */
static uint64_t muldiv_checksum(void)
{
    uint64_t acc = 0x9E3779B97F4A7C15ull;
    uint64_t sum = 0;

    for (uint64_t i = 1; i <= 1000; i++) {
        acc = acc * 6364136223846793005ull + 1442695040888963407ull;
        sum += acc / ((acc >> 40) | 1);
        sum ^= acc % (i + 7);
        sum += (uint64_t)((int64_t)acc / -(int64_t)(i + 3));
        sum += (uint64_t)(((unsigned __int128)acc * i) >> 64);
    }
    return sum;
}

static void sort_test(void)
{
    uint64_t state = 88172645463325252ull;
    uint64_t sum = 0;
    bool sorted = true;

    for (int i = 0; i < SORT_ITEMS; i++) {
        sort_items[i] = (uint32_t)(xorshift64(&state) >> 32);
    }
    insertion_sort(sort_items, SORT_ITEMS);
    for (int i = 0; i < SORT_ITEMS; i++) {
        sorted = sorted && (i == 0 || sort_items[i - 1] <= sort_items[i]);
        sum += (uint64_t)(i + 1) * sort_items[i];
    }
    printf("insertion sort (%d items): %s, checksum 0x%016llx\n", SORT_ITEMS,
           sorted ? "sorted" : "NOT sorted", (unsigned long long)sum);
    check("insertion sort order", sorted, true);
    check("insertion sort checksum", sum, WANT_SORT_SUM);
}

int main(void)
{
    printf("a64sim demo guest\n");

    uint32_t primes = count_primes();
    printf("primes below %d: %u\n", SIEVE_LIMIT, primes);
    check("prime count", primes, WANT_PRIMES);

    crc32_init();
    uint32_t crc = crc32("123456789");
    printf("crc32(\"123456789\"): 0x%08x\n", crc);
    check("crc32", crc, WANT_CRC32);

    uint32_t solutions = queens(0, 0, 0);
    printf("8-queens solutions: %u\n", solutions);
    check("8-queens", solutions, WANT_QUEENS);

    fibonacci();

    uint64_t muldiv = muldiv_checksum();
    printf("mul/div checksum: 0x%016llx\n", (unsigned long long)muldiv);
    check("mul/div checksum", muldiv, WANT_MULDIV);

    sort_test();

    if (failures) {
        printf("demo: %u check(s) failed\n", failures);
        return 1;
    }
    printf("demo: all checks passed\n");
    return 0;
}
