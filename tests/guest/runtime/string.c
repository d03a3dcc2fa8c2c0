/*
 * memcpy and friends. With the MMU off every access is to Device memory,
 * where an unaligned access faults, so the 8-byte paths run only when both
 * pointers are (or can be brought to) 8-byte alignment. guest.mk builds this
 * with -fno-tree-loop-distribute-patterns: otherwise GCC may turn these very
 * loops back into calls to memcpy/memset, which would recurse forever.
 */
#include <stdbool.h>
#include <stdint.h>

#include "mem.h"

/* A word type that may alias any object, so copying through it is defined. */
typedef uint64_t __attribute__((may_alias)) word_t;

#define WORD_MASK ((uintptr_t)(sizeof(word_t) - 1))

static bool same_alignment(uintptr_t a, uintptr_t b)
{
    return ((a ^ b) & WORD_MASK) == 0;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    if (same_alignment((uintptr_t)d, (uintptr_t)s)) {
        while (n && ((uintptr_t)d & WORD_MASK)) {
            *d++ = *s++;
            n--;
        }
        for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
            *(word_t *)d = *(const word_t *)s;
            d += sizeof(word_t);
            s += sizeof(word_t);
        }
    }
    while (n--) {
        *d++ = *s++;
    }
    return dst;
}

/* Copy from the end down, for a destination that overlaps the source from above. */
static void copy_backward(uint8_t *d, const uint8_t *s, size_t n)
{
    d += n;
    s += n;
    if (same_alignment((uintptr_t)d, (uintptr_t)s)) {
        while (n && ((uintptr_t)d & WORD_MASK)) {
            *--d = *--s;
            n--;
        }
        for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
            d -= sizeof(word_t);
            s -= sizeof(word_t);
            *(word_t *)d = *(const word_t *)s;
        }
    }
    while (n--) {
        *--d = *--s;
    }
}

void *memmove(void *dst, const void *src, size_t n)
{
    uintptr_t d = (uintptr_t)dst;
    uintptr_t s = (uintptr_t)src;

    if (d <= s || d >= s + n) {
        return memcpy(dst, src, n);
    }
    copy_backward(dst, src, n);
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    uint8_t byte = (uint8_t)c;
    word_t word = byte * 0x0101010101010101ull;

    while (n && ((uintptr_t)d & WORD_MASK)) {
        *d++ = byte;
        n--;
    }
    for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
        *(word_t *)d = word;
        d += sizeof(word_t);
    }
    while (n--) {
        *d++ = byte;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *p = a;
    const uint8_t *q = b;

    for (; n; n--, p++, q++) {
        if (*p != *q) {
            return *p < *q ? -1 : 1;
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;

    while (*p) {
        p++;
    }
    return (size_t)(p - s);
}
