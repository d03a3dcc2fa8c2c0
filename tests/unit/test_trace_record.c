/* traces/record: what the recorder writes reads back record for record,
 * identical input gives identical bytes, blocks close where the format
 * says, write errors stop the run, and the verifier finds the first
 * difference with the records before it. */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "test_trace_util.h"

/* One record of every kind, at increasing cycles. */
static void every_kind(struct trace_rec *t)
{
    trace_insn(t, 0, 10, 0x40080000, 0xd503201f);
    trace_exception_entry(t, 0, 11, TRACE_EXC_IRQ, 0, 1, 0x56000000, 0x40080004, 0x40000280);
    trace_exception_return(t, 0, 12, 1, 0, 0x40080004, 0x3c0);
    trace_irq_state(t, 1, 13, 33, TRACE_IRQ_ACKNOWLEDGED, 0xa0);
    trace_irq_line(t, 1, 14, TRACE_LINE_VFIQ, true);
    trace_daif(t, 0, 15, 0x5, 0x40000300);
    trace_pmr(t, 0, 16, 0xf0, 0x40000304);
    trace_timer(t, 1, 17, TRACE_TIMER_EL2_VIRT, true);
    trace_sleep(t, 0, 18, TRACE_WAIT_WFE, 0x40000308);
    trace_wake(t, 0, 19, TRACE_WAIT_WFE);
    trace_psci(t, 0, 20, 0x84000008, 1, 2, 3, 4);
    trace_uart_tx(t, 0, 21, 'z');
    trace_mmio(t, 0, 22, 0x09000018, 4, false, 0x90, TRACE_MMIO_OK);
    trace_input_uart_rx(t, 23, (const uint8_t *)"in", 2);
    trace_input_spi(t, 24, 40, true);
    trace_input_host_uart(t, 25, 7, 'q');
    trace_run_end(t, 0, 26, TRACE_END_SEMIHOST_EXIT, -3, 1000, 26);
    struct trace_pe_state s = {.pc = 0x40080010, .fpcr = 0x02000000};
    s.v[31][1] = 0xabcd000000000000ull;
    trace_pe_state(t, 1, 27, &s);
    trace_vgic_lr(t, 0, 28, 2, 0x50a0000000000021ull, 0x4000030c);
    trace_virq_state(t, 0, 29, 33, TRACE_VIRQ_ACKNOWLEDGED, 2, 0xa0);
    trace_maintenance(t, 0, 30, true, 0x1);
    trace_input_msi(t, 31, 0x10, 3);
}

START_TEST(test_every_kind_reads_back_with_its_fields)
{
    char *path = tmp_path();
    struct trace_rec *t = start_file(path);
    every_kind(t);
    ck_assert_uint_eq(trace_rec_count(t), 22);
    finish_file(t);
    char err[512];
    struct trace_reader *r = trace_reader_open(path, err, sizeof(err));
    ck_assert_msg(r != NULL, "%s", err);
    ck_assert_str_eq(trace_reader_header(r)->sim_version, "test");
    struct trace_record rec;
    for (unsigned k = 1; k < TRACE_KIND_END; k++) {
        ck_assert_int_eq(trace_reader_next(r, &rec), TRACE_READ_RECORD);
        ck_assert_uint_eq(rec.kind, k);
        ck_assert_uint_eq(rec.cycle, 9 + k);
    }
    ck_assert_int_eq(trace_reader_next(r, &rec), TRACE_READ_END);
    trace_reader_free(r);
    /* spot-check fields of a few */
    r = trace_reader_open(path, err, sizeof(err));
    trace_reader_next(r, &rec);
    trace_reader_next(r, &rec);
    ck_assert_uint_eq(trace_field(&rec, EXC_TYPE), TRACE_EXC_IRQ);
    ck_assert_uint_eq(trace_field(&rec, EXC_ESR), 0x56000000);
    ck_assert_uint_eq(trace_field(&rec, EXC_TARGET), 0x40000280);
    for (int i = 0; i < 12; i++)
        trace_reader_next(r, &rec);
    ck_assert_uint_eq(rec.kind, TRACE_INPUT_UART_RX);
    ck_assert_uint_eq(rec.pe, TRACE_PE_NONE);
    size_t len;
    ck_assert_mem_eq(trace_text(&rec, &len), "in", 2);
    for (int i = 0; i < 3; i++)
        trace_reader_next(r, &rec);
    ck_assert_uint_eq(rec.kind, TRACE_RUN_END);
    ck_assert_int_eq((int32_t)trace_field(&rec, END_EXIT_CODE), -3);
    trace_reader_next(r, &rec);
    ck_assert_uint_eq(rec.kind, TRACE_PE_STATE);
    ck_assert_uint_eq(rec.pe, 1);
    struct trace_pe_state s;
    trace_pe_state_of_record(&rec, &s);
    ck_assert_uint_eq(s.pc, 0x40080010);
    ck_assert_uint_eq(s.fpcr, 0x02000000);
    ck_assert_uint_eq(s.v[31][1], 0xabcd000000000000ull);
    ck_assert_uint_eq(s.v[31][0], 0);
    trace_reader_free(r);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_same_records_give_identical_bytes)
{
    char *a = tmp_path(), *b = tmp_path();
    struct trace_rec *ta = start_file(a), *tb = start_file(b);
    every_kind(ta);
    every_kind(tb);
    finish_file(ta);
    finish_file(tb);
    size_t la, lb;
    uint8_t *da = read_all(a, &la), *db = read_all(b, &lb);
    ck_assert_uint_eq(la, lb);
    ck_assert_mem_eq(da, db, la);
    free(da), free(db);
    unlink(a), unlink(b);
    free(a), free(b);
}
END_TEST

START_TEST(test_no_file_exists_before_start)
{
    char *path = tmp_path();
    unlink(path);
    struct trace_rec *t = trace_rec_new_file(path);
    struct stat st;
    ck_assert_int_ne(stat(path, &st), 0);
    trace_uart_tx(t, 0, 1, 'x'); /* before start: ignored */
    ck_assert_uint_eq(trace_rec_count(t), 0);
    trace_rec_free(t);
    free(path);
}
END_TEST

START_TEST(test_null_recorder_ignores_every_call)
{
    every_kind(NULL);
    trace_insn_hook(NULL, 0, 0, 0, 0);
    ck_assert(!trace_rec_stopped(NULL));
}
END_TEST

/* Sizes from the format: a short header is 4 bytes; an insn record at the
 * next PC of its PE carries only the encoding. */
START_TEST(test_sequential_instructions_take_eight_bytes)
{
    char *path = tmp_path();
    struct trace_rec *t = start_file(path);
    trace_insn(t, 0, 0, 0x40080000, 1); /* first: PC included, 4 + 12 */
    trace_insn(t, 0, 1, 0x40080004, 2); /* next PC: 4 + 4 */
    trace_insn(t, 0, 2, 0x40080008, 3); /* 4 + 4 */
    trace_insn(t, 0, 3, 0x40090000, 4); /* a branch target: 4 + 12 */
    trace_insn(t, 1, 4, 0x40090004, 5); /* another PE: 4 + 12 */
    finish_file(t);
    size_t len, hlen;
    free(read_all(path, &len));
    free(header_bytes(&hlen));
    ck_assert_uint_eq(len, hlen + 24 + (16 + 8 + 8 + 16 + 16) + 24);
    char err[256];
    struct trace_reader *r = trace_reader_open(path, err, sizeof(err));
    struct trace_record rec;
    static const uint64_t pcs[] = {0x40080000, 0x40080004, 0x40080008, 0x40090000, 0x40090004};
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(trace_reader_next(r, &rec), TRACE_READ_RECORD);
        ck_assert_uint_eq(trace_field(&rec, INSN_PC), pcs[i]);
        ck_assert_uint_eq(trace_field(&rec, INSN_ENCODING), (uint64_t)i + 1);
    }
    trace_reader_free(r);
    unlink(path);
    free(path);
}
END_TEST

/* Reads PATH's end marker: the number of blocks. */
static uint64_t blocks_in(const char *path)
{
    size_t len;
    uint8_t *d = read_all(path, &len);
    ck_assert_uint_eq(trace_get32(d + len - 24), TRACE_END_MAGIC);
    uint64_t n = trace_get64(d + len - 12);
    free(d);
    return n;
}

START_TEST(test_block_closes_before_passing_the_target_size)
{
    char *path = tmp_path();
    struct trace_rec *t = start_file(path);
    /* uart-tx records are 5 bytes (short header + 1): 13107 fill 65535 bytes */
    unsigned per_block = TRACE_BLOCK_TARGET / 5;
    for (unsigned i = 0; i < per_block + 1; i++)
        trace_uart_tx(t, 0, i, 'a');
    finish_file(t);
    ck_assert_uint_eq(blocks_in(path), 2);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_cycle_gap_beyond_32_bits_starts_a_new_block)
{
    char *path = tmp_path();
    struct trace_rec *t = start_file(path);
    trace_uart_tx(t, 0, 5, 'a');
    trace_uart_tx(t, 0, 5 + (1ull << 31), 'b');
    trace_uart_tx(t, 0, 4 + (1ull << 31), 'c'); /* back by one: same block */
    finish_file(t);
    ck_assert_uint_eq(blocks_in(path), 2);
    char err[256];
    struct trace_reader *r = trace_reader_open(path, err, sizeof(err));
    struct trace_record rec;
    trace_reader_next(r, &rec);
    trace_reader_next(r, &rec);
    ck_assert_uint_eq(rec.cycle, 5 + (1ull << 31));
    trace_reader_next(r, &rec);
    ck_assert_uint_eq(rec.cycle, 4 + (1ull << 31));
    trace_reader_free(r);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_uart_rx_text_is_cut_at_the_maximum)
{
    char *path = tmp_path();
    struct trace_rec *t = start_file(path);
    uint8_t big[TRACE_TEXT_MAX + 100];
    memset(big, 'x', sizeof(big));
    trace_input_uart_rx(t, 0, big, sizeof(big));
    finish_file(t);
    char err[256];
    struct trace_reader *r = trace_reader_open(path, err, sizeof(err));
    struct trace_record rec;
    ck_assert_int_eq(trace_reader_next(r, &rec), TRACE_READ_RECORD);
    size_t len;
    trace_text(&rec, &len);
    ck_assert_uint_eq(len, TRACE_TEXT_MAX);
    trace_reader_free(r);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_full_disk_fails_at_start)
{
    struct trace_rec *t = trace_rec_new_file("/dev/full");
    struct trace_header h;
    test_header(&h);
    char err[256];
    ck_assert(!trace_rec_start(t, &h, err, sizeof(err)));
    ck_assert_str_eq(err, "/dev/full: cannot write the trace: No space left on device");
    trace_rec_free(t);
}
END_TEST

/* A file size limit makes the block writes fail (EFBIG) after the header
 * went out: the recorder stops, and finish reports it. */
START_TEST(test_write_error_during_the_run_stops_and_is_reported)
{
    char *path = tmp_path();
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {4096, 4096};
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    struct trace_rec *t = start_file(path);
    for (unsigned i = 0; i < 2 * TRACE_BLOCK_TARGET && !trace_rec_stopped(t); i++)
        trace_uart_tx(t, 0, i, 'a');
    ck_assert(trace_rec_stopped(t));
    char err[1200], want[1200];
    ck_assert(!trace_rec_finish(t, err, sizeof(err)));
    snprintf(want, sizeof(want), "%s: cannot write the trace: File too large", path);
    ck_assert_str_eq(err, want);
    trace_rec_free(t);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_uncreatable_file_is_reported_at_start)
{
    struct trace_rec *t = trace_rec_new_file("/nonexistent/dir/x.trace");
    struct trace_header h;
    test_header(&h);
    char err[256];
    ck_assert(!trace_rec_start(t, &h, err, sizeof(err)));
    ck_assert_str_eq(err, "/nonexistent/dir/x.trace: cannot create for --trace: No such file or "
                          "directory");
    trace_rec_free(t);
}
END_TEST

/* ---- verifying ---- */

/* A recording of N uart-tx records, byte i at cycle 10*i. */
static char *recording(unsigned n)
{
    char *path = tmp_path();
    struct trace_rec *t = start_file(path);
    for (unsigned i = 0; i < n; i++)
        trace_uart_tx(t, 0, 10 * i, (uint8_t)i);
    finish_file(t);
    return path;
}

static struct trace_rec *verifier(const char *path, struct trace_reader **r)
{
    char err[256];
    *r = trace_reader_open(path, err, sizeof(err));
    ck_assert_msg(*r != NULL, "%s", err);
    struct trace_rec *t = trace_rec_new_verify(*r);
    struct trace_header h;
    test_header(&h);
    ck_assert(trace_rec_start(t, &h, err, sizeof(err)));
    return t;
}

START_TEST(test_verify_accepts_the_same_records)
{
    char *path = recording(30);
    struct trace_reader *r;
    struct trace_rec *t = verifier(path, &r);
    for (unsigned i = 0; i < 30; i++)
        trace_uart_tx(t, 0, 10 * i, (uint8_t)i);
    ck_assert(!trace_rec_stopped(t));
    char err[64];
    trace_rec_finish(t, err, sizeof(err));
    ck_assert_int_eq(trace_rec_divergence(t)->verdict, TRACE_VERIFY_SAME);
    trace_rec_free(t);
    trace_reader_free(r);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_verify_stops_at_the_first_difference_with_20_before)
{
    char *path = recording(30);
    struct trace_reader *r;
    struct trace_rec *t = verifier(path, &r);
    for (unsigned i = 0; i < 25; i++)
        trace_uart_tx(t, 0, 10 * i + (i == 24), (uint8_t)i); /* record 24 one cycle late */
    ck_assert(trace_rec_stopped(t));
    trace_uart_tx(t, 0, 250, 25); /* after the stop: ignored */
    const struct trace_divergence *d = trace_rec_divergence(t);
    ck_assert_int_eq(d->verdict, TRACE_VERIFY_DIVERGED);
    ck_assert_uint_eq(d->index, 24);
    ck_assert_uint_eq(d->expected.cycle, 240);
    ck_assert_uint_eq(d->actual.cycle, 241);
    ck_assert_uint_eq(d->context->count, 20);
    ck_assert_uint_eq(trace_ring_get(d->context, 0)->cycle, 40);
    ck_assert_uint_eq(trace_ring_get(d->context, 19)->cycle, 230);
    trace_rec_free(t);
    trace_reader_free(r);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_verify_reports_a_record_the_recording_lacks)
{
    char *path = recording(3);
    struct trace_reader *r;
    struct trace_rec *t = verifier(path, &r);
    for (unsigned i = 0; i < 4; i++)
        trace_uart_tx(t, 0, 10 * i, (uint8_t)i);
    const struct trace_divergence *d = trace_rec_divergence(t);
    ck_assert_int_eq(d->verdict, TRACE_VERIFY_EXTRA);
    ck_assert_uint_eq(d->index, 3);
    ck_assert_uint_eq(d->actual.cycle, 30);
    trace_rec_free(t);
    trace_reader_free(r);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_verify_reports_records_the_run_did_not_produce)
{
    char *path = recording(5);
    struct trace_reader *r;
    struct trace_rec *t = verifier(path, &r);
    for (unsigned i = 0; i < 3; i++)
        trace_uart_tx(t, 0, 10 * i, (uint8_t)i);
    char err[64];
    trace_rec_finish(t, err, sizeof(err));
    const struct trace_divergence *d = trace_rec_divergence(t);
    ck_assert_int_eq(d->verdict, TRACE_VERIFY_MISSING);
    ck_assert_uint_eq(d->index, 3);
    ck_assert_uint_eq(d->expected.cycle, 30);
    trace_rec_free(t);
    trace_reader_free(r);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_verify_of_a_cut_recording_stops_where_it_ends)
{
    char *path = recording(30);
    size_t len;
    uint8_t *d = read_all(path, &len);
    write_all_file(path, d, len - 24); /* no end marker */
    free(d);
    struct trace_reader *r;
    struct trace_rec *t = verifier(path, &r);
    for (unsigned i = 0; i < 31 && !trace_rec_stopped(t); i++)
        trace_uart_tx(t, 0, 10 * i, (uint8_t)i);
    const struct trace_divergence *dv = trace_rec_divergence(t);
    ck_assert_int_eq(dv->verdict, TRACE_VERIFY_CUT_SHORT);
    ck_assert_uint_eq(dv->index, 30);
    ck_assert_ptr_nonnull(strstr(dv->message, "cut short"));
    trace_rec_free(t);
    trace_reader_free(r);
    unlink(path);
    free(path);
}
END_TEST

/* The end of a run of one PE whose V31 holds V31_HIGH:0x1234. */
static void run_end_with_v31(struct trace_rec *t, uint64_t v31_high)
{
    struct trace_pe_state s = {.pc = 0x40080020, .pstate = 0x3c5, .sp = 0x40100000};
    s.x[0] = 0x84000008;
    s.v[31][0] = 0x1234;
    s.v[31][1] = v31_high;
    trace_uart_tx(t, 0, 10, 'a');
    trace_pe_state(t, 0, 40, &s);
    trace_run_end(t, 0, 40, TRACE_END_POWER_OFF, 0, 12, 40);
}

START_TEST(test_verify_finds_a_v_register_that_differs_at_the_end)
{
    char *path = tmp_path();
    struct trace_rec *w = start_file(path);
    run_end_with_v31(w, 0xabcd000000000000ull);
    finish_file(w);
    struct trace_reader *r;
    struct trace_rec *t = verifier(path, &r);
    run_end_with_v31(t, 0xabcd000000000001ull); /* bit 64 of V31 differs */
    const struct trace_divergence *d = trace_rec_divergence(t);
    ck_assert_int_eq(d->verdict, TRACE_VERIFY_DIVERGED);
    ck_assert_uint_eq(d->index, 1);
    ck_assert_uint_eq(d->expected.kind, TRACE_PE_STATE);
    char names[64];
    ck_assert_uint_eq(trace_record_diff(&d->expected, &d->actual, names, sizeof(names)), 1);
    ck_assert_str_eq(names, "v31");
    trace_rec_free(t);
    trace_reader_free(r);
    unlink(path);
    free(path);
}
END_TEST

/* A version 1 recording has no pe-state records: replaying it compares
 * everything else. */
START_TEST(test_verify_of_a_version_1_recording_leaves_pe_state_out)
{
    char *path = tmp_path();
    struct trace_rec *w = trace_rec_new_file(path);
    struct trace_header h;
    test_header(&h);
    h.version = 1;
    char err[256];
    ck_assert(trace_rec_start(w, &h, err, sizeof(err)));
    trace_uart_tx(w, 0, 10, 'a');
    trace_run_end(w, 0, 40, TRACE_END_POWER_OFF, 0, 12, 40);
    finish_file(w);
    struct trace_reader *r;
    struct trace_rec *t = verifier(path, &r);
    run_end_with_v31(t, 0);
    trace_rec_finish(t, err, sizeof(err));
    ck_assert_int_eq(trace_rec_divergence(t)->verdict, TRACE_VERIFY_SAME);
    ck_assert_uint_eq(trace_rec_count(t), 2);
    trace_rec_free(t);
    trace_reader_free(r);
    unlink(path);
    free(path);
}
END_TEST

static Suite *record_suite(void)
{
    Suite *s = suite_create("trace_record");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_every_kind_reads_back_with_its_fields);
    tcase_add_test(tc, test_same_records_give_identical_bytes);
    tcase_add_test(tc, test_no_file_exists_before_start);
    tcase_add_test(tc, test_null_recorder_ignores_every_call);
    tcase_add_test(tc, test_sequential_instructions_take_eight_bytes);
    tcase_add_test(tc, test_block_closes_before_passing_the_target_size);
    tcase_add_test(tc, test_cycle_gap_beyond_32_bits_starts_a_new_block);
    tcase_add_test(tc, test_uart_rx_text_is_cut_at_the_maximum);
    tcase_add_test(tc, test_full_disk_fails_at_start);
    tcase_add_test(tc, test_write_error_during_the_run_stops_and_is_reported);
    tcase_add_test(tc, test_uncreatable_file_is_reported_at_start);
    tcase_add_test(tc, test_verify_accepts_the_same_records);
    tcase_add_test(tc, test_verify_stops_at_the_first_difference_with_20_before);
    tcase_add_test(tc, test_verify_reports_a_record_the_recording_lacks);
    tcase_add_test(tc, test_verify_reports_records_the_run_did_not_produce);
    tcase_add_test(tc, test_verify_of_a_cut_recording_stops_where_it_ends);
    tcase_add_test(tc, test_verify_finds_a_v_register_that_differs_at_the_end);
    tcase_add_test(tc, test_verify_of_a_version_1_recording_leaves_pe_state_out);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(record_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
