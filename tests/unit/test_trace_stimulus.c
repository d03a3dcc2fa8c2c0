/* traces/stimulus: the stimulus file format of docs/stimulus.md (every
 * event, escapes, comments, each error with its line), the SPI check, the
 * recorded host bytes, and the UART side of timed input (pl011_rx_ready). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sim/pl011.h"
#include "traces/stimulus.h"

static struct stimulus *parse_ok(const char *text)
{
    char err[512];
    struct stimulus *s = stimulus_parse_text(text, "s.stim", err, sizeof(err));
    ck_assert_msg(s != NULL, "%s", err);
    return s;
}

/* Parsing TEXT must fail with exactly WANT. */
static void parse_fails(const char *text, const char *want)
{
    char err[512];
    struct stimulus *s = stimulus_parse_text(text, "s.stim", err, sizeof(err));
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err, want);
}

START_TEST(test_uart_rx_event_with_its_cycle_and_bytes)
{
    struct stimulus *s = parse_ok("@20000 uart-rx \"hello\"\n");
    ck_assert_uint_eq(stimulus_count(s), 1);
    const struct stimulus_event *e = stimulus_event(s, 0);
    ck_assert_int_eq(e->kind, STIM_UART_RX);
    ck_assert_uint_eq(e->cycle, 20000);
    ck_assert_uint_eq(e->line, 1);
    ck_assert_uint_eq(e->len, 5);
    ck_assert_mem_eq(e->text, "hello", 5);
    stimulus_free(s);
}
END_TEST

START_TEST(test_escapes_give_their_bytes)
{
    struct stimulus *s = parse_ok("@1 uart-rx \"a\\n\\r\\t\\0\\\\\\\"\\x7f\\x41\"");
    const struct stimulus_event *e = stimulus_event(s, 0);
    static const uint8_t want[] = {'a', '\n', '\r', '\t', 0, '\\', '"', 0x7f, 'A'};
    ck_assert_uint_eq(e->len, sizeof(want));
    ck_assert_mem_eq(e->text, want, sizeof(want));
    stimulus_free(s);
}
END_TEST

START_TEST(test_spi_event)
{
    struct stimulus *s = parse_ok("@5 spi 33 level 1\n@6 spi 1019 level 0\n");
    ck_assert_uint_eq(stimulus_count(s), 2);
    ck_assert_int_eq(stimulus_event(s, 0)->kind, STIM_SPI);
    ck_assert_uint_eq(stimulus_event(s, 0)->intid, 33);
    ck_assert(stimulus_event(s, 0)->level);
    ck_assert_uint_eq(stimulus_event(s, 1)->intid, 1019);
    ck_assert(!stimulus_event(s, 1)->level);
    ck_assert_uint_eq(stimulus_event(s, 1)->line, 2);
    stimulus_free(s);
}
END_TEST

START_TEST(test_comments_blank_lines_and_crlf_are_ignored)
{
    struct stimulus *s = parse_ok(
        "# a comment\n\n   \r\n@10 uart-rx \"x#y\"  # not part of the text\r\n\t@10 spi 40 "
        "level 1 # spi\n");
    ck_assert_uint_eq(stimulus_count(s), 2);
    ck_assert_uint_eq(stimulus_event(s, 0)->line, 4);
    ck_assert_mem_eq(stimulus_event(s, 0)->text, "x#y", 3);
    ck_assert_uint_eq(stimulus_event(s, 1)->line, 5);
    stimulus_free(s);
}
END_TEST

START_TEST(test_cycles_are_decimal_or_0x_hex)
{
    struct stimulus *s = parse_ok("@010 uart-rx \"a\"\n@0x10 uart-rx \"b\"\n");
    ck_assert_uint_eq(stimulus_event(s, 0)->cycle, 10); /* not octal */
    ck_assert_uint_eq(stimulus_event(s, 1)->cycle, 16);
    stimulus_free(s);
}
END_TEST

START_TEST(test_empty_file_has_no_events)
{
    struct stimulus *s = parse_ok("");
    ck_assert_uint_eq(stimulus_count(s), 0);
    stimulus_free(s);
}
END_TEST

START_TEST(test_errors_name_the_line_and_what_was_expected)
{
    parse_fails("# ok\nuart-rx \"x\"\n", "s.stim:2: expected '@CYCLE EVENT ...', got 'uart-rx'");
    parse_fails("@abc uart-rx \"x\"",
                "s.stim:1: bad cycle 'abc': expected a decimal or 0x-hex number after '@'");
    parse_fails("@-5 uart-rx \"x\"",
                "s.stim:1: bad cycle '-5': expected a decimal or 0x-hex number after '@'");
    parse_fails("@0x uart-rx \"x\"",
                "s.stim:1: bad cycle '0x': expected a decimal or 0x-hex number after '@'");
    parse_fails("@99999999999999999999999 uart-rx \"x\"",
                "s.stim:1: bad cycle '99999999999999999999999': expected a decimal or 0x-hex "
                "number after '@'");
    parse_fails("@5", "s.stim:1: expected an event after '@5' (uart-rx, spi or msi)");
    parse_fails("@5 frob 1", "s.stim:1: unknown event 'frob' (expected uart-rx, spi or msi)");
    parse_fails("@5 uart-rx hello",
                "s.stim:1: uart-rx: expected a quoted string, like \"text\\n\"");
    parse_fails("@5 uart-rx \"abc", "s.stim:1: uart-rx: unterminated string (no closing '\"')");
    parse_fails("@5 uart-rx \"a\\qb\"",
                "s.stim:1: uart-rx: unknown escape '\\q' (use \\n \\r \\t \\0 \\\\ \\\" or \\xHH)");
    parse_fails("@5 uart-rx \"\\x4\"",
                "s.stim:1: uart-rx: unknown escape '\\x' (use \\n \\r \\t \\0 \\\\ \\\" or \\xHH)");
    parse_fails("@5 uart-rx \"\"", "s.stim:1: uart-rx: empty text");
    parse_fails("@5 uart-rx \"a\" junk", "s.stim:1: unexpected 'junk' after the event");
    parse_fails("@5 spi 31 level 1", "s.stim:1: spi: INTID 31 is not an SPI (SPIs are 32 to 1019)");
    parse_fails("@5 spi 1020 level 1",
                "s.stim:1: spi: INTID 1020 is not an SPI (SPIs are 32 to 1019)");
    parse_fails("@5 spi x level 1", "s.stim:1: spi: expected an INTID, got 'x'");
    parse_fails("@5 spi 33 1",
                "s.stim:1: spi: expected 'level 0' or 'level 1' after the INTID, got '1'");
    parse_fails("@5 spi 33 level 2", "s.stim:1: spi: level must be 0 or 1, got '2'");
    parse_fails("@5 spi 33 level 1 2", "s.stim:1: unexpected '2' after the event");
    parse_fails("@9 spi 33 level 1\n@8 spi 33 level 0",
                "s.stim:2: cycle 8 comes before the previous event's 9: events must be in time "
                "order");
}
END_TEST

START_TEST(test_text_longer_than_the_maximum_is_an_error)
{
    size_t n = 4097;
    char *text = malloc(n + 32);
    strcpy(text, "@1 uart-rx \"");
    memset(text + strlen(text), 'a', n);
    strcpy(text + 12 + n, "\"");
    parse_fails(text, "s.stim:1: uart-rx: text longer than 4096 bytes");
    free(text);
}
END_TEST

START_TEST(test_missing_file_names_the_option)
{
    char err[512];
    ck_assert_ptr_null(stimulus_parse_file("/nonexistent.stim", err, sizeof(err)));
    ck_assert_str_eq(err,
                     "/nonexistent.stim: cannot open for --stimulus: No such file or directory");
}
END_TEST

START_TEST(test_msi_needs_the_its_and_the_message_names_the_line)
{
    struct stimulus *s = parse_ok("@1 uart-rx \"a\"\n\n@7 spi 40 level 1\n@9 msi 0x10 3\n");
    char err[512];
    ck_assert(!stimulus_check(s, false, err, sizeof(err)));
    ck_assert_str_eq(err, "s.stim:4: msi 16 3: MSIs need the ITS (--its on)");
    ck_assert(stimulus_check(s, true, err, sizeof(err)));
    ck_assert_uint_eq(stimulus_event(s, 2)->kind, STIM_MSI);
    ck_assert_uint_eq(stimulus_event(s, 2)->devid, 16);
    ck_assert_uint_eq(stimulus_event(s, 2)->eventid, 3);
    ck_assert_uint_eq(stimulus_event(s, 2)->cycle, 9);
    stimulus_free(s);
}
END_TEST

START_TEST(test_host_bytes_answer_only_their_request)
{
    struct stimulus *s = stimulus_new("trace");
    stimulus_add_host_byte(s, 0, 'a');
    stimulus_add_host_byte(s, 1, 'b');
    stimulus_add_host_byte(s, 5, 'c');
    size_t cursor = 0;
    uint8_t b;
    ck_assert(stimulus_host_byte(s, &cursor, 0, &b) && b == 'a');
    ck_assert(stimulus_host_byte(s, &cursor, 1, &b) && b == 'b');
    ck_assert(!stimulus_host_byte(s, &cursor, 2, &b));
    ck_assert(!stimulus_host_byte(s, &cursor, 4, &b));
    ck_assert(stimulus_host_byte(s, &cursor, 5, &b) && b == 'c');
    ck_assert(!stimulus_host_byte(s, &cursor, 6, &b));
    stimulus_free(s);
}
END_TEST

/* ---- the UART side: input that arrives later is pulled on pl011_rx_ready ---- */

struct source {
    const char *bytes;
    size_t pos, len, calls;
};

static bool source_rx(void *opaque, uint8_t *byte)
{
    struct source *src = opaque;
    src->calls++;
    if (src->pos == src->len)
        return false;
    *byte = (uint8_t)src->bytes[src->pos++];
    return true;
}

#define UARTDR  0x000
#define UARTFR  0x018
#define FR_RXFE (1u << 4)

START_TEST(test_pl011_rx_ready_pulls_input_that_arrived)
{
    struct source src = {"xy", 0, 0, 0};
    struct pl011 *u = pl011_new(NULL, source_rx, &src, (struct irq_line){0});
    uint64_t fr;
    pl011_read(u, UARTFR, 4, &fr);
    ck_assert(fr & FR_RXFE); /* nothing at reset */
    src.len = 2;             /* the stimulus event delivers two bytes */
    pl011_rx_ready(u);
    pl011_read(u, UARTFR, 4, &fr);
    ck_assert(!(fr & FR_RXFE));
    uint64_t dr;
    pl011_read(u, UARTDR, 4, &dr);
    ck_assert_uint_eq(dr & 0xff, 'x');
    pl011_read(u, UARTDR, 4, &dr);
    ck_assert_uint_eq(dr & 0xff, 'y');
    pl011_free(u);
}
END_TEST

/* With the FIFO disabled (reset: UARTLCR_H.FEN = 0) the holding register
 * takes one byte: rx_ready must not pull more than there is room for. */
START_TEST(test_pl011_rx_ready_takes_no_more_than_there_is_room_for)
{
    struct source src = {"abc", 0, 3, 0};
    struct pl011 *u = pl011_new(NULL, source_rx, &src, (struct irq_line){0});
    ck_assert_uint_eq(src.pos, 1); /* reset filled the one-byte holding register */
    size_t calls = src.calls;
    pl011_rx_ready(u);
    ck_assert_uint_eq(src.pos, 1);
    ck_assert_uint_eq(src.calls, calls); /* full: the source is not even asked */
    pl011_free(u);
}
END_TEST

static Suite *stimulus_suite(void)
{
    Suite *s = suite_create("trace_stimulus");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_uart_rx_event_with_its_cycle_and_bytes);
    tcase_add_test(tc, test_escapes_give_their_bytes);
    tcase_add_test(tc, test_spi_event);
    tcase_add_test(tc, test_comments_blank_lines_and_crlf_are_ignored);
    tcase_add_test(tc, test_cycles_are_decimal_or_0x_hex);
    tcase_add_test(tc, test_empty_file_has_no_events);
    tcase_add_test(tc, test_errors_name_the_line_and_what_was_expected);
    tcase_add_test(tc, test_text_longer_than_the_maximum_is_an_error);
    tcase_add_test(tc, test_missing_file_names_the_option);
    tcase_add_test(tc, test_msi_needs_the_its_and_the_message_names_the_line);
    tcase_add_test(tc, test_host_bytes_answer_only_their_request);
    tcase_add_test(tc, test_pl011_rx_ready_pulls_input_that_arrived);
    tcase_add_test(tc, test_pl011_rx_ready_takes_no_more_than_there_is_room_for);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(stimulus_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
