/* Small deterministic building blocks shared by the demo and bench guests. */
#ifndef GUEST_WORKLOAD_H
#define GUEST_WORKLOAD_H

#include <stdint.h>

/* Marsaglia's xorshift64 with shifts 13, 7, 17. */
static inline uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

/* Byte table of the reflected CRC-32 (IEEE 802.3, polynomial 0xEDB88320). */
static inline void crc32_table_init(uint32_t table[256])
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        table[n] = c;
    }
}

static inline void insertion_sort(uint32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t key = a[i];
        int j = i - 1;
        for (; j >= 0 && a[j] > key; j--) {
            a[j + 1] = a[j];
        }
        a[j + 1] = key;
    }
}

#endif
