/* traces/dump, diff, stats, timeline: the text of each record kind as
 * docs/trace-format.md shows it, the dump filters, the diff verdicts, the
 * interrupt latencies, the timeline's tracks, and exit codes on bad input. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "test_trace_util.h"
#include "traces/diff.h"
#include "traces/dump.h"
#include "traces/stats.h"
#include "traces/timeline.h"

/* The line dump prints for the one record that RECORD writes. */
static char *line_of(void (*record)(struct trace_rec *t))
{
    char *path = tmp_path();
    struct trace_rec *t = start_file(path);
    record(t);
    finish_file(t);
    char err[256];
    struct trace_reader *r = trace_reader_open(path, err, sizeof(err));
    struct trace_record rec;
    ck_assert_int_eq(trace_reader_next(r, &rec), TRACE_READ_RECORD);
    struct trace_fmt *f = trace_fmt_new(NULL);
    char buf[512];
    char *line = strdup(trace_fmt_record(f, &rec, buf, sizeof(buf)));
    trace_fmt_free(f);
    trace_reader_free(r);
    unlink(path);
    free(path);
    return line;
}

#define LINE_TEST(name, body, want)                                                                \
    static void name##_rec(struct trace_rec *t)                                                    \
    {                                                                                              \
        body;                                                                                      \
    }                                                                                              \
    START_TEST(name)                                                                               \
    {                                                                                              \
        char *line = line_of(name##_rec);                                                          \
        ck_assert_str_eq(line, want);                                                              \
        free(line);                                                                                \
    }                                                                                              \
    END_TEST

/* NOP (0xd503201f) as Capstone writes it. */
LINE_TEST(test_insn_line_has_address_encoding_and_disassembly,
          trace_insn(t, 0, 7, 0x40080000, 0xd503201f),
          "           7  pe0  insn            0x40080000: d503201f  nop")
LINE_TEST(
    test_exc_entry_line, trace_exception_entry(t, 1, 8, TRACE_EXC_IRQ, 0, 1, 0, 0x400, 0x280),
    "           8  pe1  exc-entry       IRQ from EL0 to EL1, ESR 0x0, ELR 0x400, vector 0x280")
LINE_TEST(test_exc_return_line, trace_exception_return(t, 0, 9, 2, 1, 0x1000, 0x3c5),
          "           9  pe0  exc-return      ERET from EL2 to EL1, to 0x1000, SPSR 0x3c5")
LINE_TEST(test_irq_state_line, trace_irq_state(t, 0, 1, 27, TRACE_IRQ_PRIORITY_DROP, 0x80),
          "           1  pe0  irq-state       INTID 27 priority drop, priority 0x80")
LINE_TEST(test_irq_line_line, trace_irq_line(t, 0, 1, TRACE_LINE_VIRQ, true),
          "           1  pe0  irq-line        vIRQ high")
LINE_TEST(test_daif_line_shows_set_bits_as_letters, trace_daif(t, 0, 1, 0xa, 0x40),
          "           1  pe0  daif            DAIF=D-I-, at 0x40")
LINE_TEST(test_pmr_line, trace_pmr(t, 0, 1, 0x60, 0x44),
          "           1  pe0  pmr             ICC_PMR_EL1 0x60, at 0x44")
LINE_TEST(test_timer_line_names_the_ppi, trace_timer(t, 0, 1, TRACE_TIMER_EL1_PHYS, false),
          "           1  pe0  timer           EL1 physical timer (PPI 30) low")
LINE_TEST(test_sleep_line, trace_sleep(t, 0, 3, TRACE_WAIT_WFI, 0x40080040),
          "           3  pe0  sleep           WFI at 0x40080040")
LINE_TEST(test_wake_line, trace_wake(t, 0, 4, TRACE_WAIT_WFE),
          "           4  pe0  wake            from WFE")
LINE_TEST(test_psci_line_names_the_function_and_error,
          trace_psci(t, 0, 5, 0x84000000, 0, 0, 0, 0xffffffffffffffffull),
          "           5  pe0  psci            PSCI_VERSION (0x84000000) x1=0x0 x2=0x0 x3=0x0 -> "
          "x0=0xffffffffffffffff (NOT_SUPPORTED)")
LINE_TEST(test_uart_tx_line_escapes_newline, trace_uart_tx(t, 0, 6, '\n'),
          "           6  pe0  uart-tx         '\\n' (0x0a)")
LINE_TEST(test_mmio_line_for_an_unmapped_read,
          trace_mmio(t, 0, 6, 0x1000, 8, false, 0, TRACE_MMIO_UNMAPPED),
          "           6  pe0  mmio            read 0x00001000 (8 bytes) = 0x0 -> unmapped: "
          "external abort")
LINE_TEST(test_input_uart_rx_line_escapes_text,
          trace_input_uart_rx(t, 0, (const uint8_t *)"a\"\x01\n", 4),
          "           0  -    input-uart-rx   \"a\\\"\\x01\\n\" (4 bytes)")
LINE_TEST(test_input_spi_line, trace_input_spi(t, 9, 33, true),
          "           9  -    input-spi       INTID 33 level 1")
LINE_TEST(test_input_host_uart_line, trace_input_host_uart(t, 9, 4, 'k'),
          "           9  -    input-host-uart 'k' (0x6b), UART request 4")
LINE_TEST(test_run_end_line, trace_run_end(t, TRACE_PE_NONE, 99, TRACE_END_DEADLOCK, 1, 11, 99),
          "          99  -    run-end         deadlock, exit code 1, 11 instructions, 99 cycles")

/* ---- the commands on files ---- */

/* Run FN with OUT and ERR captured; returns the exit code. */
struct captured {
    char *out, *err;
    size_t out_len, err_len;
};

static FILE *cap_out, *cap_err;

static void cap_begin(struct captured *c)
{
    cap_out = open_memstream(&c->out, &c->out_len);
    cap_err = open_memstream(&c->err, &c->err_len);
}

static void cap_end(struct captured *c)
{
    (void)c;
    fclose(cap_out);
    fclose(cap_err);
}

static void cap_free(struct captured *c)
{
    free(c->out);
    free(c->err);
}

/* A file with interrupt traffic: INTID 33 latencies 30, 40 and 10 at pe0
 * (a second pending while pending does not restart the clock; a cleared
 * one is no latency), INTID 27 latency 5 at pe1. */
static char *interrupt_file(void)
{
    char *path = tmp_path();
    struct trace_rec *t = start_file(path);
    trace_irq_state(t, 0, 100, 33, TRACE_IRQ_PENDING, 0xa0);
    trace_irq_state(t, 0, 130, 33, TRACE_IRQ_ACKNOWLEDGED, 0xa0);
    trace_irq_state(t, 0, 131, 33, TRACE_IRQ_DEACTIVATED, 0xa0);
    trace_irq_state(t, 1, 140, 27, TRACE_IRQ_PENDING, 0x80);
    trace_irq_state(t, 1, 145, 27, TRACE_IRQ_ACKNOWLEDGED, 0x80);
    trace_irq_state(t, 0, 200, 33, TRACE_IRQ_PENDING, 0xa0);
    trace_irq_state(t, 0, 220, 33, TRACE_IRQ_PENDING, 0xa0);
    trace_irq_state(t, 0, 240, 33, TRACE_IRQ_ACKNOWLEDGED, 0xa0);
    trace_irq_state(t, 0, 300, 33, TRACE_IRQ_PENDING, 0xa0);
    trace_irq_state(t, 0, 305, 33, TRACE_IRQ_CLEARED, 0xa0);
    trace_irq_state(t, 0, 400, 33, TRACE_IRQ_PENDING, 0xa0);
    trace_irq_state(t, 0, 410, 33, TRACE_IRQ_ACKNOWLEDGED, 0xa0);
    trace_exception_entry(t, 0, 411, TRACE_EXC_IRQ, 1, 1, 0, 0x40080000, 0x40000280);
    trace_daif(t, 0, 412, 0xf, 0x40000280);
    trace_pmr(t, 0, 413, 0x80, 0x40000284);
    trace_sleep(t, 1, 420, TRACE_WAIT_WFI, 0x40080040);
    trace_run_end(t, TRACE_PE_NONE, 500, TRACE_END_DEADLOCK, 1, 9, 500);
    finish_file(t);
    return path;
}

START_TEST(test_stats_counts_and_latencies)
{
    char *path = interrupt_file();
    struct captured c;
    cap_begin(&c);
    int rc = trace_stats(path, cap_out, cap_err);
    cap_end(&c);
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(strstr(c.out, ": 17 records, cycles 100 to 500\n"));
    ck_assert_ptr_nonnull(strstr(c.out, "  irq-state                  12\n"));
    ck_assert_ptr_nonnull(strstr(c.out, "  pe0                        13\n"));
    ck_assert_ptr_nonnull(strstr(c.out, "  machine                     1\n"));
    ck_assert_ptr_nonnull(strstr(c.out, "        27        1          5          5          5\n"));
    ck_assert_ptr_nonnull(strstr(c.out, "        33        3         10         30         40\n"));
    cap_free(&c);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_dump_filters_by_kind_pe_and_cycle)
{
    char *path = interrupt_file();
    struct trace_filter f;
    trace_filter_init(&f);
    char err[256];
    ck_assert(trace_filter_kinds(&f, "irq-state,daif", err, sizeof(err)));
    f.by_pe = true;
    f.pe = 0;
    f.from = 200;
    f.to = 412;
    struct captured c;
    cap_begin(&c);
    ck_assert_int_eq(trace_dump(path, &f, NULL, cap_out, cap_err), 0);
    cap_end(&c);
    unsigned lines = 0;
    for (char *p = c.out; (p = strchr(p, '\n')); p++)
        lines++;
    unsigned header_lines = 4;                  /* the test header: 2 lines + 2 items */
    ck_assert_uint_eq(lines, header_lines + 8); /* 7 irq-state, 1 daif */
    ck_assert_ptr_null(strstr(c.out, "pe1"));
    ck_assert_ptr_nonnull(strstr(c.out, "         412  pe0  daif"));
    ck_assert_ptr_null(strstr(c.out, "exc-entry"));
    cap_free(&c);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_unknown_kind_in_filter_lists_the_kinds)
{
    struct trace_filter f;
    trace_filter_init(&f);
    char err[512];
    ck_assert(!trace_filter_kinds(&f, "insn,bogus", err, sizeof(err)));
    ck_assert(!strncmp(err, "--kinds: unknown record kind 'bogus' (kinds: insn exc-entry", 59));
}
END_TEST

START_TEST(test_dump_of_a_cut_file_prints_what_it_has_and_exits_2)
{
    char *path = interrupt_file();
    size_t len;
    uint8_t *d = read_all(path, &len);
    write_all_file(path, d, len - 10);
    free(d);
    struct trace_filter f;
    trace_filter_init(&f);
    struct captured c;
    cap_begin(&c);
    ck_assert_int_eq(trace_dump(path, &f, NULL, cap_out, cap_err), 2);
    cap_end(&c);
    ck_assert_ptr_nonnull(strstr(c.out, "run-end"));
    ck_assert_ptr_nonnull(strstr(c.err, "cut short"));
    cap_free(&c);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_diff_of_identical_files_exits_0)
{
    char *a = interrupt_file(), *b = interrupt_file();
    struct captured c;
    cap_begin(&c);
    ck_assert_int_eq(trace_diff(a, b, NULL, cap_out, cap_err), 0);
    cap_end(&c);
    ck_assert_str_eq(c.out, "a64sim: trace diff: identical: 17 records\n");
    cap_free(&c);
    unlink(a), unlink(b);
    free(a), free(b);
}
END_TEST

START_TEST(test_diff_shows_first_difference_with_context)
{
    char *a = tmp_path(), *b = tmp_path();
    struct trace_rec *ta = start_file(a), *tb = start_file(b);
    for (unsigned i = 0; i < 30; i++) {
        trace_uart_tx(ta, 0, i, 'a');
        trace_uart_tx(tb, 0, i, i == 25 ? 'b' : 'a');
    }
    finish_file(ta);
    finish_file(tb);
    struct captured c;
    cap_begin(&c);
    ck_assert_int_eq(trace_diff(a, b, NULL, cap_out, cap_err), 1);
    cap_end(&c);
    ck_assert_ptr_nonnull(strstr(c.out, "first difference at record 25"));
    ck_assert_ptr_nonnull(strstr(c.out, "after 20 equal records"));
    ck_assert_ptr_nonnull(strstr(c.out, "\n              5  pe0  uart-tx"));
    ck_assert_ptr_nonnull(strstr(c.out, "A:           25  pe0  uart-tx         'a' (0x61)\n"));
    ck_assert_ptr_nonnull(strstr(c.out, "B:           25  pe0  uart-tx         'b' (0x62)\n"));
    ck_assert_ptr_null(strstr(c.out, "   4  pe0"));
    cap_free(&c);
    unlink(a), unlink(b);
    free(a), free(b);
}
END_TEST

START_TEST(test_diff_when_one_file_ends_first)
{
    char *a = tmp_path(), *b = tmp_path();
    struct trace_rec *ta = start_file(a), *tb = start_file(b);
    trace_uart_tx(ta, 0, 1, 'a');
    trace_uart_tx(tb, 0, 1, 'a');
    trace_uart_tx(tb, 0, 2, 'b');
    finish_file(ta);
    finish_file(tb);
    struct captured c;
    cap_begin(&c);
    ck_assert_int_eq(trace_diff(a, b, NULL, cap_out, cap_err), 1);
    cap_end(&c);
    ck_assert_ptr_nonnull(strstr(c.out, "A ends after 1 records; B continues"));
    cap_free(&c);
    unlink(a), unlink(b);
    free(a), free(b);
}
END_TEST

START_TEST(test_bad_input_exits_2_for_every_command)
{
    char *path = tmp_path(); /* empty */
    struct trace_filter f;
    trace_filter_init(&f);
    struct captured c;
    cap_begin(&c);
    ck_assert_int_eq(trace_dump(path, &f, NULL, cap_out, cap_err), 2);
    ck_assert_int_eq(trace_stats(path, cap_out, cap_err), 2);
    ck_assert_int_eq(trace_diff(path, path, NULL, cap_out, cap_err), 2);
    ck_assert_int_eq(trace_timeline(path, "/dev/null", cap_err), 2);
    cap_end(&c);
    ck_assert_ptr_nonnull(strstr(c.err, "byte 0: empty file"));
    cap_free(&c);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_timeline_has_the_documented_tracks)
{
    char *path = interrupt_file();
    char *json = tmp_path();
    struct captured c;
    cap_begin(&c);
    ck_assert_int_eq(trace_timeline(path, json, cap_err), 0);
    cap_end(&c);
    size_t len;
    char *text = (char *)read_all(json, &len);
    text = realloc(text, len + 1);
    text[len] = 0;
    ck_assert_ptr_nonnull(strstr(text, "\"args\":{\"name\":\"pe0\"}"));
    ck_assert_ptr_nonnull(strstr(text, "\"args\":{\"name\":\"INTID 33 pe0\"}"));
    ck_assert_ptr_nonnull(strstr(text, "{\"name\":\"pe0 DAIF\",\"ph\":\"C\""));
    ck_assert_ptr_nonnull(strstr(text, "{\"name\":\"pe0 PMR\",\"ph\":\"C\""));
    /* INTID 33 pending from cycle 100 to 130: 0.100 us for 0.030 us */
    ck_assert_ptr_nonnull(strstr(text, "{\"name\":\"pending\",\"ph\":\"X\",\"pid\":2,\"tid\":1,"
                                       "\"ts\":0.100,\"dur\":0.030}"));
    ck_assert_ptr_nonnull(strstr(text, "{\"name\":\"WFI\",\"ph\":\"B\",\"pid\":1,\"tid\":1,"
                                       "\"ts\":0.420}"));
    ck_assert_ptr_nonnull(strstr(text, "{\"name\":\"IRQ EL1->EL1\",\"ph\":\"B\""));
    free(text);
    cap_free(&c);
    unlink(json), unlink(path);
    free(json), free(path);
}
END_TEST

static Suite *tools_suite(void)
{
    Suite *s = suite_create("trace_tools");
    TCase *tc = tcase_create("lines");
    tcase_add_test(tc, test_insn_line_has_address_encoding_and_disassembly);
    tcase_add_test(tc, test_exc_entry_line);
    tcase_add_test(tc, test_exc_return_line);
    tcase_add_test(tc, test_irq_state_line);
    tcase_add_test(tc, test_irq_line_line);
    tcase_add_test(tc, test_daif_line_shows_set_bits_as_letters);
    tcase_add_test(tc, test_pmr_line);
    tcase_add_test(tc, test_timer_line_names_the_ppi);
    tcase_add_test(tc, test_sleep_line);
    tcase_add_test(tc, test_wake_line);
    tcase_add_test(tc, test_psci_line_names_the_function_and_error);
    tcase_add_test(tc, test_uart_tx_line_escapes_newline);
    tcase_add_test(tc, test_mmio_line_for_an_unmapped_read);
    tcase_add_test(tc, test_input_uart_rx_line_escapes_text);
    tcase_add_test(tc, test_input_spi_line);
    tcase_add_test(tc, test_input_host_uart_line);
    tcase_add_test(tc, test_run_end_line);
    suite_add_tcase(s, tc);
    tc = tcase_create("commands");
    tcase_add_test(tc, test_stats_counts_and_latencies);
    tcase_add_test(tc, test_dump_filters_by_kind_pe_and_cycle);
    tcase_add_test(tc, test_unknown_kind_in_filter_lists_the_kinds);
    tcase_add_test(tc, test_dump_of_a_cut_file_prints_what_it_has_and_exits_2);
    tcase_add_test(tc, test_diff_of_identical_files_exits_0);
    tcase_add_test(tc, test_diff_shows_first_difference_with_context);
    tcase_add_test(tc, test_diff_when_one_file_ends_first);
    tcase_add_test(tc, test_bad_input_exits_2_for_every_command);
    tcase_add_test(tc, test_timeline_has_the_documented_tracks);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tools_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
