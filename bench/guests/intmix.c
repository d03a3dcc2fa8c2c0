/*
 * Bench guest: a mix of integer work typical of system code — a prime sieve
 * (byte stores, strided loops), table-driven CRC-32 (loads, shifts, XOR),
 * insertion sort (compare-and-branch, load/store), FNV-1a hashing (64-bit
 * multiply). Roughly 200 million instructions; prints one checksum per part
 * and a combined one, so a wrong result is visible as well as slow.
 */
#include <stdint.h>

#include "printf.h"
#include "workload.h"

#define SIEVE_LIMIT  1000000
#define SIEVE_ROUNDS 4
#define CRC_BYTES    65536
#define CRC_ROUNDS   120
#define SORT_ITEMS   1500
#define SORT_ROUNDS  6
#define HASH_ROUNDS  160

static uint8_t composite[SIEVE_LIMIT];
static uint8_t data[CRC_BYTES];
static uint32_t crc_table[256];
static uint32_t items[SORT_ITEMS];

static uint64_t sieve(void)
{
    uint64_t total = 0;

    for (int round = 0; round < SIEVE_ROUNDS; round++) {
        for (uint32_t i = 0; i < SIEVE_LIMIT; i++) {
            composite[i] = 0;
        }
        uint32_t count = 0;
        for (uint32_t i = 2; i < SIEVE_LIMIT; i++) {
            if (composite[i]) {
                continue;
            }
            count++;
            if (i > SIEVE_LIMIT / i) {
                continue;
            }
            for (uint32_t j = i * i; j < SIEVE_LIMIT; j += i) {
                composite[j] = 1;
            }
        }
        total += count;
    }
    return total;
}

static void crc32_init(void)
{
    crc32_table_init(crc_table);
}

static uint64_t crc_rounds(void)
{
    uint64_t total = 0;

    crc32_init();
    for (int round = 0; round < CRC_ROUNDS; round++) {
        uint32_t c = 0xFFFFFFFFu ^ (uint32_t)round;
        for (uint32_t i = 0; i < CRC_BYTES; i++) {
            c = crc_table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
        }
        total = total * 31 + (c ^ 0xFFFFFFFFu);
    }
    return total;
}

static uint64_t sort_rounds(uint64_t *state)
{
    uint64_t total = 0;

    for (int round = 0; round < SORT_ROUNDS; round++) {
        for (int i = 0; i < SORT_ITEMS; i++) {
            items[i] = (uint32_t)(xorshift64(state) >> 32);
        }
        insertion_sort(items, SORT_ITEMS);
        for (int i = 0; i < SORT_ITEMS; i++) {
            total += (uint64_t)(i + 1) * items[i];
        }
    }
    return total;
}

/* FNV-1a, 64-bit: offset basis 0xcbf29ce484222325, prime 0x100000001b3. */
static uint64_t hash_rounds(void)
{
    uint64_t total = 0;

    for (int round = 0; round < HASH_ROUNDS; round++) {
        uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)round;
        for (uint32_t i = 0; i < CRC_BYTES; i += 8) {
            for (uint32_t k = 0; k < 8; k++) {
                h = (h ^ data[i + k]) * 0x100000001b3ull;
            }
        }
        total ^= h + (total << 6) + (total >> 2);
    }
    return total;
}

int main(void)
{
    uint64_t state = 0x2545F4914F6CDD1Dull;

    for (uint32_t i = 0; i < CRC_BYTES; i++) {
        data[i] = (uint8_t)xorshift64(&state);
    }
    uint64_t s = sieve();
    printf("intmix: sieve   %016llx\n", (unsigned long long)s);
    uint64_t c = crc_rounds();
    printf("intmix: crc32   %016llx\n", (unsigned long long)c);
    uint64_t o = sort_rounds(&state);
    printf("intmix: sort    %016llx\n", (unsigned long long)o);
    uint64_t h = hash_rounds();
    printf("intmix: fnv1a   %016llx\n", (unsigned long long)h);
    printf("intmix: checksum %016llx\n", (unsigned long long)(s ^ c * 3 ^ o * 5 ^ h * 7));
    return 0;
}
