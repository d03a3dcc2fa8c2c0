/*
 * A small printf for guests: %d %i %u %x %X %s %c %p %% with the length
 * modifiers l, ll and z, a field width (digits or *), and the flags '0'
 * (zero padding) and '-' (left-justify). No floating point, no precision.
 */
#ifndef GUEST_PRINTF_H
#define GUEST_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* Format to the UART; returns the number of bytes written. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* va_list form of printf. */
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Format into buf (at most size bytes, always NUL-terminated when size > 0); returns the full
 * length. */
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* va_list form of snprintf. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
