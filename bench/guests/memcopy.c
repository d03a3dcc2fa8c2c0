/*
 * Bench guest: the runtime's memcpy, memmove (overlapping, both directions)
 * and memset over sizes from 8 bytes to 64 KiB, at every source/destination
 * alignment pair step, so both the 8-byte word loops (equal alignment) and
 * the byte loops (different alignment) are exercised. Roughly 200 million
 * instructions; prints a checksum folded from the results.
 */
#include <stdint.h>

#include "mem.h"
#include "printf.h"
#include "workload.h"

#define MAX_SIZE 65536
#define SLACK    64
#define ROUNDS   24

static const uint32_t sizes[] = {8, 24, 64, 256, 1024, 4096, 16384, MAX_SIZE};

static uint8_t src[MAX_SIZE + SLACK] __attribute__((aligned(16)));
static uint8_t dst[MAX_SIZE + SLACK] __attribute__((aligned(16)));
static uint8_t work[2 * MAX_SIZE + SLACK] __attribute__((aligned(16)));

/* Mix a few bytes of a result into the running sum: first, middle and last. */
static uint64_t fold(uint64_t sum, const uint8_t *p, uint32_t len)
{
    uint64_t v = (uint64_t)p[0] | (uint64_t)p[len / 2] << 8 | (uint64_t)p[len - 1] << 16;

    return (sum ^ v) * 0x100000001b3ull;
}

/* FNV-1a over a whole buffer, once at the end, so every byte counts toward the checksum. */
static uint64_t fnv1a(const uint8_t *p, uint32_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;

    for (uint32_t i = 0; i < len; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h;
}

static uint64_t one_size(uint64_t sum, uint32_t len, int round)
{
    for (uint32_t shift = 0; shift < 8; shift++) {
        uint32_t so = shift;
        uint32_t dof = (shift * 3 + (uint32_t)round) & 7;

        memcpy(dst + dof, src + so, len);
        sum = fold(sum, dst + dof, len);

        memcpy(work + dof, dst + dof, len);
        memmove(work + dof + len / 3, work + dof, len); /* overlap: copies backward */
        sum = fold(sum, work + dof + len / 3, len);
        memmove(work + so, work + so + len / 4, len); /* overlap: copies forward */
        sum = fold(sum, work + so, len);

        memset(dst + dof, (int)(round * 8 + shift), len / 2 + 1);
        sum = fold(sum, dst + dof, len);
    }
    return sum;
}

int main(void)
{
    uint64_t state = 0x9E3779B97F4A7C15ull;
    uint64_t sum = 0;

    for (uint32_t i = 0; i < sizeof(src); i++) {
        src[i] = (uint8_t)xorshift64(&state);
    }
    for (int round = 0; round < ROUNDS; round++) {
        for (uint32_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
            sum = one_size(sum, sizes[k], round);
        }
    }
    printf("memcopy: fold     %016llx\n", (unsigned long long)sum);
    uint64_t whole = fnv1a(dst, sizeof(dst)) ^ fnv1a(work, sizeof(work)) * 3;
    printf("memcopy: buffers  %016llx\n", (unsigned long long)whole);
    printf("memcopy: checksum %016llx\n", (unsigned long long)(sum ^ whole));
    return 0;
}
