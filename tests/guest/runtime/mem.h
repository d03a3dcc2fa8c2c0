/* The C library memory and string functions the runtime provides (GCC emits calls to them). */
#ifndef GUEST_MEM_H
#define GUEST_MEM_H

#include <stddef.h>

/* Copy n bytes from src to dst; the regions must not overlap. */
void *memcpy(void *dst, const void *src, size_t n);

/* Copy n bytes from src to dst; the regions may overlap. */
void *memmove(void *dst, const void *src, size_t n);

/* Fill n bytes at dst with the byte value c. */
void *memset(void *dst, int c, size_t n);

/* Compare n bytes as unsigned char: <0, 0 or >0 like the C standard. */
int memcmp(const void *a, const void *b, size_t n);

/* Number of bytes before the terminating NUL. */
size_t strlen(const char *s);

#endif
