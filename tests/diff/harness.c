/*
 * Guest side of the differential test: run every generated case and report
 * its final state as one text line, identical in both environments when the
 * two implementations agree:
 *
 *   <case> <x0> ... <x30> <nzcv> <sp> <v0> ... <v31> <fpcr> <fpsr> | <offset>=<value> ...
 *
 * every number in hex: X registers, NZCV and SP as 16 digits, V registers
 * as 32 (the 128-bit value, most significant digit first), FPCR and FPSR as
 * 8, masked to the bits both implementations implement (DIFF_FPCR_MASK,
 * DIFF_FPSR_MASK). An X or V register that still holds the value the case
 * started with is written as "=": both runs start from the same row, so
 * this compares exactly what the full value would, and keeps the line (most
 * of a case's cost in the simulator) short. The list after '|' names each
 * 8-byte word of the buffer whose value differs from the pattern the case
 * started with. The last line is "END <count>".
 */
#include <stdint.h>

#include "diff.h"
#include "workload.h"

/*
 * The first case to run: an absolute symbol set at link time
 * (--defsym=diff_first_case=N), so that after a case stops one of the two
 * runs the driver can relink and resume behind it without moving anything.
 */
extern const char diff_first_case[];

#define LINE_MAX_BYTES ((DIFF_NXREGS + 2) * 17 + DIFF_NVREGS * 33 + 2 * 9 + DIFF_BUFFER_WORDS * 22 + 64)

static char line[LINE_MAX_BYTES];

/* The buffer starts each case with an xorshift64 pattern of the case's own. */
static uint64_t pattern_seed(uint64_t index)
{
    return (index + 1) * 0x9E3779B97F4A7C15ull;
}

static void fill_pattern(uint64_t index)
{
    uint64_t state = pattern_seed(index);

    for (int i = 0; i < DIFF_BUFFER_WORDS; i++) {
        diff_buffer[i] = xorshift64(&state);
    }
}

static size_t put_hex(char *p, uint64_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";

    for (int i = digits - 1; i >= 0; i--) {
        p[i] = hex[v & 0xF];
        v >>= 4;
    }
    return (size_t)digits;
}

/* Hex without leading zeros, at least one digit. */
static size_t put_hex_short(char *p, uint64_t v)
{
    int digits = 1;

    while (digits < 16 && (v >> (4 * digits)) != 0) {
        digits++;
    }
    return put_hex(p, v, digits);
}

static size_t put_changed_words(char *p, uint64_t index)
{
    uint64_t state = pattern_seed(index);
    size_t n = 0;

    for (int i = 0; i < DIFF_BUFFER_WORDS; i++) {
        uint64_t want = xorshift64(&state);
        if (diff_buffer[i] == want) {
            continue;
        }
        p[n++] = ' ';
        n += put_hex_short(p + n, (uint64_t)i * 8);
        p[n++] = '=';
        n += put_hex(p + n, diff_buffer[i], 16);
    }
    return n;
}

static size_t put_word(char *p, uint64_t v, int digits)
{
    p[0] = ' ';
    return 1 + put_hex(p + 1, v, digits);
}

static size_t put_unchanged(char *p)
{
    p[0] = ' ';
    p[1] = '=';
    return 2;
}

static void report_case(uint64_t index, const uint64_t *in, const uint64_t *out)
{
    size_t n = put_hex_short(line, index);

    for (int r = 0; r < DIFF_NXREGS; r++) {
        n += out[r] == in[r] ? put_unchanged(line + n) : put_word(line + n, out[r], 16);
    }
    n += put_word(line + n, out[DIFF_NZCV], 16);
    n += put_word(line + n, out[DIFF_OUT_SP], 16);
    for (int v = DIFF_V0; v < DIFF_V0 + 2 * DIFF_NVREGS; v += 2) {
        if (out[v] == in[v] && out[v + 1] == in[v + 1]) {
            n += put_unchanged(line + n);
            continue;
        }
        n += put_word(line + n, out[v + 1], 16);
        n += put_hex(line + n, out[v], 16);
    }
    n += put_word(line + n, out[DIFF_FPCR] & DIFF_FPCR_MASK, 8);
    n += put_word(line + n, out[DIFF_FPSR] & DIFF_FPSR_MASK, 8);
    line[n++] = ' ';
    line[n++] = '|';
    n += put_changed_words(line + n, index);
    line[n++] = '\n';
    diff_write(line, n);
}

int main(void)
{
    _Alignas(16) uint64_t out[DIFF_REC_WORDS];

    diff_enable_fp();
    for (uint64_t i = (uint64_t)(uintptr_t)diff_first_case; i < diff_case_count; i++) {
        fill_pattern(i);
        diff_run(diff_cases[i].regs, out, diff_cases[i].body);
        report_case(i, diff_cases[i].regs, out);
    }
    size_t n = 0;
    line[n++] = 'E';
    line[n++] = 'N';
    line[n++] = 'D';
    line[n++] = ' ';
    n += put_hex_short(line + n, diff_case_count);
    line[n++] = '\n';
    diff_write(line, n);
    return 0;
}
