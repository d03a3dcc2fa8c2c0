#include <stdbool.h>
#include <stdint.h>

#include "printf.h"
#include "uart.h"

/* Where formatted bytes go: the UART, or a bounded buffer that still counts overflow. */
struct sink {
    char *buf;
    size_t size;
    size_t len;
    bool to_uart;
};

/* One parsed conversion specification. */
struct spec {
    bool left;
    bool zero;
    int width;
    int length; /* number of 'l' (2 for ll and z) */
};

static void emit(struct sink *out, char c)
{
    if (out->to_uart) {
        uart_putc(c);
    } else if (out->len + 1 < out->size) {
        out->buf[out->len] = c;
    }
    out->len++;
}

static void emit_repeat(struct sink *out, char c, int count)
{
    for (; count > 0; count--) {
        emit(out, c);
    }
}

/* Emit prefix (sign or "0x") and body padded to the field width. */
static void emit_field(struct sink *out, const struct spec *sp, const char *prefix,
                       const char *body, int body_len)
{
    int prefix_len = 0;

    while (prefix[prefix_len]) {
        prefix_len++;
    }
    int pad = sp->width - prefix_len - body_len;

    if (!sp->left && !sp->zero) {
        emit_repeat(out, ' ', pad);
    }
    for (int i = 0; i < prefix_len; i++) {
        emit(out, prefix[i]);
    }
    if (!sp->left && sp->zero) {
        emit_repeat(out, '0', pad);
    }
    for (int i = 0; i < body_len; i++) {
        emit(out, body[i]);
    }
    if (sp->left) {
        emit_repeat(out, ' ', pad);
    }
}

static void emit_unsigned(struct sink *out, const struct spec *sp, const char *prefix,
                          uint64_t value, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int pos = (int)sizeof(tmp);

    do {
        tmp[--pos] = digits[value % base];
        value /= base;
    } while (value);
    emit_field(out, sp, prefix, &tmp[pos], (int)sizeof(tmp) - pos);
}

static void emit_signed(struct sink *out, const struct spec *sp, int64_t value)
{
    /* Negate in unsigned arithmetic so INT64_MIN needs no special case. */
    uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;

    emit_unsigned(out, sp, value < 0 ? "-" : "", magnitude, 10, false);
}

static void emit_string(struct sink *out, const struct spec *sp, const char *s)
{
    int len = 0;

    if (!s) {
        s = "(null)";
    }
    while (s[len]) {
        len++;
    }
    struct spec plain = *sp;
    plain.zero = false;
    emit_field(out, &plain, "", s, len);
}

/* Parse flags, width and length modifiers; returns the pointer to the conversion character. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){0};
    for (;; f++) {
        if (*f == '-') {
            sp->left = true;
        } else if (*f == '0') {
            sp->zero = true;
        } else {
            break;
        }
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) {
            sp->left = true;
            sp->width = -sp->width;
        }
        f++;
    }
    for (; *f >= '0' && *f <= '9'; f++) {
        sp->width = sp->width * 10 + (*f - '0');
    }
    if (*f == 'z') {
        sp->length = 2;
        return f + 1;
    }
    for (; *f == 'l' && sp->length < 2; f++) {
        sp->length++;
    }
    return f;
}

static uint64_t fetch_unsigned(const struct spec *sp, va_list *ap)
{
    if (sp->length == 0) {
        return va_arg(*ap, unsigned int);
    }
    return sp->length == 1 ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned long long);
}

static int64_t fetch_signed(const struct spec *sp, va_list *ap)
{
    if (sp->length == 0) {
        return va_arg(*ap, int);
    }
    return sp->length == 1 ? va_arg(*ap, long) : va_arg(*ap, long long);
}

/* Handle one conversion character; unknown ones are printed back literally. */
static void convert(struct sink *out, const struct spec *sp, char conv, va_list *ap)
{
    char c;

    switch (conv) {
    case 'd':
    case 'i': emit_signed(out, sp, fetch_signed(sp, ap)); break;
    case 'u': emit_unsigned(out, sp, "", fetch_unsigned(sp, ap), 10, false); break;
    case 'x': emit_unsigned(out, sp, "", fetch_unsigned(sp, ap), 16, false); break;
    case 'X': emit_unsigned(out, sp, "", fetch_unsigned(sp, ap), 16, true); break;
    case 'p': emit_unsigned(out, sp, "0x", (uintptr_t)va_arg(*ap, void *), 16, false); break;
    case 's': emit_string(out, sp, va_arg(*ap, const char *)); break;
    case 'c':
        c = (char)va_arg(*ap, int);
        emit_field(out, &(struct spec){.left = sp->left, .width = sp->width}, "", &c, 1);
        break;
    case '%': emit(out, '%'); break;
    default:
        emit(out, '%');
        if (conv) {
            emit(out, conv);
        }
        break;
    }
}

static int format(struct sink *out, const char *fmt, va_list ap)
{
    va_list args;
    struct spec sp;

    /* Work on a copy so parse_spec can take it by pointer portably. */
    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            emit(out, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp, &args);
        convert(out, &sp, *fmt, &args);
        if (*fmt) {
            fmt++;
        }
    }
    va_end(args);
    return (int)out->len;
}

int vprintf(const char *fmt, va_list ap)
{
    struct sink out = {.to_uart = true};

    return format(&out, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink out = {.buf = buf, .size = size};

    int n = format(&out, fmt, ap);
    if (size > 0) {
        buf[out.len < size ? out.len : size - 1] = '\0';
    }
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
