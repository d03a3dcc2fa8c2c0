/* traces/reader: every kind of bad input gets its message with the byte
 * offset the format says it is at; files cut short give back their
 * complete blocks; both record header forms and the sequential insn form
 * read back as the records they encode; random corruption never crashes. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "test_trace_util.h"

#define BUF 4096

/* A file: the test header, then whatever the test appends. */
struct file {
    uint8_t buf[BUF];
    size_t len;
    size_t header_len;
};

static void file_init(struct file *f)
{
    size_t n;
    uint8_t *h = header_bytes(&n);
    memcpy(f->buf, h, n);
    free(h);
    f->len = f->header_len = n;
}

/* Open F from memory; returns the reader or NULL with the message in ERR. */
static struct trace_reader *open_mem(const struct file *f, char *err, size_t errlen)
{
    return trace_reader_open_memory(f->buf, f->len, "t.trace", err, errlen);
}

/* Read F to its end; returns how it ended, the message in MSG, the
 * records read in *N. */
static enum trace_read read_to_end(const struct file *f, char *msg, size_t len, uint64_t *n)
{
    char err[512];
    struct trace_reader *r = open_mem(f, err, sizeof(err));
    ck_assert_msg(r != NULL, "%s", err);
    struct trace_record rec;
    enum trace_read got;
    *n = 0;
    while ((got = trace_reader_next(r, &rec)) == TRACE_READ_RECORD)
        (*n)++;
    snprintf(msg, len, "%s", trace_reader_error(r));
    ck_assert_uint_eq(trace_reader_next(r, &rec), got); /* sticky */
    trace_reader_free(r);
    return got;
}

/* One uart-tx record (long header) followed by an insn record. */
static size_t two_records(uint8_t *p)
{
    size_t n = put_long(p, TRACE_UART_TX, 0, 1, 0);
    p[n++] = 'A';
    n += put_long(p + n, TRACE_INSN, 0, 12, 3);
    trace_put64(p + n, 0x40080000);
    trace_put32(p + n + 8, 0xd503201f);
    return n + 12;
}

START_TEST(test_empty_file_is_rejected_at_byte_0)
{
    char err[512];
    struct file f = {.len = 0};
    ck_assert_ptr_null(open_mem(&f, err, sizeof(err)));
    ck_assert_str_eq(err, "t.trace: byte 0: empty file, not an a64sim trace");
}
END_TEST

START_TEST(test_bad_magic_is_rejected_at_byte_0)
{
    char err[512];
    struct file f;
    file_init(&f);
    f.buf[3] = 'X';
    ck_assert_ptr_null(open_mem(&f, err, sizeof(err)));
    ck_assert_str_eq(err,
                     "t.trace: byte 0: bad magic: not an a64sim trace (expected \"A64TRACE\")");
}
END_TEST

START_TEST(test_unknown_version_is_named_at_byte_8)
{
    char err[512];
    struct file f;
    file_init(&f);
    trace_put32(f.buf + 8, 5);
    ck_assert_ptr_null(open_mem(&f, err, sizeof(err)));
    ck_assert_str_eq(
        err, "t.trace: byte 8: unknown format version 5 (this a64sim reads versions 1 to 4)");
    trace_put32(f.buf + 8, 0);
    ck_assert_ptr_null(open_mem(&f, err, sizeof(err)));
    ck_assert_str_eq(
        err, "t.trace: byte 8: unknown format version 0 (this a64sim reads versions 1 to 4)");
}
END_TEST

START_TEST(test_truncated_header_names_where_the_file_ends)
{
    char err[512];
    struct file f;
    file_init(&f);
    size_t whole = f.len;
    f.len = 30;
    ck_assert_ptr_null(open_mem(&f, err, sizeof(err)));
    char want[200];
    snprintf(want, sizeof(want),
             "t.trace: byte 30: truncated header: the file ends after 30 bytes, inside the "
             "%zu-byte header",
             whole);
    ck_assert_str_eq(err, want);
    f.len = 5; /* a prefix of the magic */
    ck_assert_ptr_null(open_mem(&f, err, sizeof(err)));
    ck_assert_str_eq(err, "t.trace: byte 5: truncated header: the file ends after 5 bytes");
}
END_TEST

START_TEST(test_header_checksum_mismatch_names_the_checksum)
{
    char err[512];
    struct file f;
    file_init(&f);
    f.buf[20] ^= 0x10;
    ck_assert_ptr_null(open_mem(&f, err, sizeof(err)));
    char want[64];
    snprintf(want, sizeof(want), "t.trace: byte %zu: header checksum mismatch", f.header_len - 4);
    ck_assert_msg(!strncmp(err, want, strlen(want)), "%s", err);
}
END_TEST

START_TEST(test_header_length_out_of_range)
{
    char err[512];
    struct file f;
    file_init(&f);
    trace_put32(f.buf + 12, 1u << 30);
    ck_assert_ptr_null(open_mem(&f, err, sizeof(err)));
    ck_assert_str_eq(err, "t.trace: byte 12: header length 1073741824 out of range (31 to 65536)");
}
END_TEST

START_TEST(test_complete_file_reads_to_the_end_marker)
{
    struct file f;
    file_init(&f);
    uint8_t recs[64];
    put_block(f.buf, &f.len, recs, (uint32_t)two_records(recs), 2, 100);
    put_end(f.buf, &f.len, 2, 1);
    char msg[512];
    uint64_t n;
    ck_assert_int_eq(read_to_end(&f, msg, sizeof(msg), &n), TRACE_READ_END);
    ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(test_records_carry_kind_pe_cycle_and_payload)
{
    struct file f;
    file_init(&f);
    uint8_t recs[64];
    put_block(f.buf, &f.len, recs, (uint32_t)two_records(recs), 2, 100);
    put_end(f.buf, &f.len, 2, 1);
    char err[512];
    struct trace_reader *r = open_mem(&f, err, sizeof(err));
    struct trace_record rec;
    ck_assert_int_eq(trace_reader_next(r, &rec), TRACE_READ_RECORD);
    ck_assert_uint_eq(rec.kind, TRACE_UART_TX);
    ck_assert_uint_eq(rec.cycle, 100);
    ck_assert_uint_eq(trace_field(&rec, UART_BYTE), 'A');
    ck_assert_uint_eq(trace_reader_offset(r), f.header_len + TRACE_BLOCK_HEADER_SIZE);
    ck_assert_int_eq(trace_reader_next(r, &rec), TRACE_READ_RECORD);
    ck_assert_uint_eq(rec.kind, TRACE_INSN);
    ck_assert_uint_eq(rec.cycle, 103);
    ck_assert_uint_eq(trace_field(&rec, INSN_PC), 0x40080000);
    ck_assert_uint_eq(trace_field(&rec, INSN_ENCODING), 0xd503201f);
    trace_reader_free(r);
}
END_TEST

START_TEST(test_short_header_and_sequential_insn_read_as_long_ones)
{
    struct file f;
    file_init(&f);
    uint8_t recs[64];
    size_t n = 0;
    /* short form: kind|0x80, pe, delta, len */
    recs[n++] = TRACE_INSN | 0x80, recs[n++] = 1, recs[n++] = 0, recs[n++] = 12;
    trace_put64(recs + n, 0x40001000), trace_put32(recs + n + 8, 0xaa);
    n += 12;
    recs[n++] = TRACE_INSN | 0x80, recs[n++] = 1, recs[n++] = 7, recs[n++] = 4;
    trace_put32(recs + n, 0xbb);
    n += 4;
    put_block(f.buf, &f.len, recs, (uint32_t)n, 2, 50);
    put_end(f.buf, &f.len, 2, 1);
    char err[512];
    struct trace_reader *r = open_mem(&f, err, sizeof(err));
    struct trace_record rec;
    ck_assert_int_eq(trace_reader_next(r, &rec), TRACE_READ_RECORD);
    ck_assert_int_eq(trace_reader_next(r, &rec), TRACE_READ_RECORD);
    ck_assert_uint_eq(rec.pe, 1);
    ck_assert_uint_eq(rec.cycle, 57);
    ck_assert_uint_eq(rec.len, 12);
    ck_assert_uint_eq(trace_field(&rec, INSN_PC), 0x40001004);
    ck_assert_uint_eq(trace_field(&rec, INSN_ENCODING), 0xbb);
    trace_reader_free(r);
}
END_TEST

START_TEST(test_negative_delta_goes_back_in_time)
{
    struct file f;
    file_init(&f);
    uint8_t recs[64];
    size_t n = put_long(recs, TRACE_UART_TX, 0, 1, 0);
    recs[n++] = 'a';
    n += put_long(recs + n, TRACE_UART_TX, 1, 1, -40);
    recs[n++] = 'b';
    put_block(f.buf, &f.len, recs, (uint32_t)n, 2, 1000);
    put_end(f.buf, &f.len, 2, 1);
    char err[512];
    struct trace_reader *r = open_mem(&f, err, sizeof(err));
    struct trace_record rec;
    trace_reader_next(r, &rec);
    ck_assert_int_eq(trace_reader_next(r, &rec), TRACE_READ_RECORD);
    ck_assert_uint_eq(rec.cycle, 960);
    trace_reader_free(r);
}
END_TEST

/* A block whose records are RECS (N records), checksummed, then the end
 * marker; read it and expect an error at OFF (relative to the block's
 * payload) with message MSG. */
static void expect_block_error(const uint8_t *recs, size_t len, uint32_t count, size_t off,
                               const char *msg)
{
    struct file f;
    file_init(&f);
    put_block(f.buf, &f.len, recs, (uint32_t)len, count, 0);
    put_end(f.buf, &f.len, count, 1);
    char got[512], want[512];
    uint64_t n;
    ck_assert_int_eq(read_to_end(&f, got, sizeof(got), &n), TRACE_READ_ERROR);
    ck_assert_uint_eq(n, 0); /* nothing of a bad block is returned */
    snprintf(want, sizeof(want), "t.trace: byte %zu: %s",
             f.header_len + TRACE_BLOCK_HEADER_SIZE + off, msg);
    ck_assert_str_eq(got, want);
}

START_TEST(test_kind_above_the_last_is_out_of_range)
{
    uint8_t recs[64];
    size_t n = two_records(recs);
    size_t at = n;
    n += put_long(recs + n, TRACE_KIND_END, 0, 0, 0);
    expect_block_error(recs, n, 3, at, "record kind 23 out of range (1 to 22)");
}
END_TEST

START_TEST(test_kind_zero_is_out_of_range)
{
    uint8_t recs[64];
    size_t n = put_long(recs, 0, 0, 0, 0);
    expect_block_error(recs, n, 1, 0, "record kind 0 out of range (1 to 22)");
}
END_TEST

START_TEST(test_length_overrunning_the_block)
{
    uint8_t recs[64];
    size_t n = two_records(recs);
    size_t at = n;
    n += put_long(recs + n, TRACE_UART_TX, 0, 300, 0);
    recs[n++] = 'x';
    expect_block_error(recs, n, 3, at, "record length 300 overruns its block (1 bytes left)");
}
END_TEST

START_TEST(test_record_header_overrunning_the_block)
{
    uint8_t recs[64];
    size_t n = two_records(recs);
    recs[n++] = TRACE_UART_TX; /* a long header needs 8 bytes */
    recs[n++] = 0;
    expect_block_error(recs, n, 3, n - 2, "record header overruns its block (2 bytes left)");
}
END_TEST

START_TEST(test_fixed_length_kind_with_other_length)
{
    uint8_t recs[64];
    size_t n = put_long(recs, TRACE_WAKE, 0, 2, 0);
    recs[n++] = 0, recs[n++] = 0;
    expect_block_error(recs, n, 1, 0, "wake record has length 2, expected 1");
}
END_TEST

START_TEST(test_sequential_insn_needs_an_earlier_insn_of_its_pe)
{
    uint8_t recs[64];
    size_t n = two_records(recs); /* an insn of pe0 */
    size_t at = n;
    n += put_long(recs + n, TRACE_INSN, 1, 4, 0); /* pe1 has none */
    trace_put32(recs + n, 0);
    n += 4;
    expect_block_error(recs, n, 3, at,
                       "insn record has length 4, expected 12 (no earlier insn of its PE in "
                       "the block to count the PC from)");
}
END_TEST

START_TEST(test_record_count_must_match_the_block_header)
{
    uint8_t recs[64];
    size_t n = two_records(recs);
    expect_block_error(recs, n, 3, (size_t)0 - TRACE_BLOCK_HEADER_SIZE,
                       "block holds 2 records, its header says 3");
}
END_TEST

START_TEST(test_block_checksum_mismatch)
{
    struct file f;
    file_init(&f);
    uint8_t recs[64];
    put_block(f.buf, &f.len, recs, (uint32_t)two_records(recs), 2, 0);
    put_end(f.buf, &f.len, 2, 1);
    f.buf[f.header_len + TRACE_BLOCK_HEADER_SIZE + 8] ^= 1;
    char msg[512], want[128];
    uint64_t n;
    ck_assert_int_eq(read_to_end(&f, msg, sizeof(msg), &n), TRACE_READ_ERROR);
    snprintf(want, sizeof(want), "t.trace: byte %zu: block checksum mismatch", f.header_len);
    ck_assert_msg(!strncmp(msg, want, strlen(want)), "%s", msg);
}
END_TEST

START_TEST(test_block_length_above_the_maximum)
{
    struct file f;
    file_init(&f);
    uint8_t *h = f.buf + f.len;
    trace_put32(h, TRACE_BLOCK_MAGIC);
    trace_put32(h + 4, TRACE_BLOCK_MAX + 1);
    memset(h + 8, 0, 16);
    f.len += 24;
    char msg[512], want[128];
    uint64_t n;
    ck_assert_int_eq(read_to_end(&f, msg, sizeof(msg), &n), TRACE_READ_ERROR);
    snprintf(want, sizeof(want),
             "t.trace: byte %zu: block length 1048577 exceeds the maximum 1048576",
             f.header_len + 4);
    ck_assert_str_eq(msg, want);
}
END_TEST

START_TEST(test_bad_block_marker)
{
    struct file f;
    file_init(&f);
    memcpy(f.buf + f.len, "JUNKJUNKJUNKJUNKJUNKJUNK", 24);
    f.len += 24;
    char msg[512], want[128];
    uint64_t n;
    ck_assert_int_eq(read_to_end(&f, msg, sizeof(msg), &n), TRACE_READ_ERROR);
    snprintf(want, sizeof(want), "t.trace: byte %zu: bad block marker 0x4b4e554a", f.header_len);
    ck_assert_msg(!strncmp(msg, want, strlen(want)), "%s", msg);
}
END_TEST

START_TEST(test_cut_inside_a_block_returns_the_complete_blocks_first)
{
    struct file f;
    file_init(&f);
    uint8_t recs[64];
    size_t n = two_records(recs);
    put_block(f.buf, &f.len, recs, (uint32_t)n, 2, 0);
    size_t second = f.len;
    put_block(f.buf, &f.len, recs, (uint32_t)n, 2, 500);
    put_end(f.buf, &f.len, 4, 2);
    f.len = second + 30; /* inside the second block */
    char msg[512], want[400];
    uint64_t got;
    ck_assert_int_eq(read_to_end(&f, msg, sizeof(msg), &got), TRACE_READ_CUT_SHORT);
    ck_assert_uint_eq(got, 2);
    snprintf(want, sizeof(want),
             "t.trace: byte %zu: cut short: the file ends inside a block (the run was killed or "
             "the file was truncated); the 2 records before byte %zu are complete",
             second + 30, second);
    ck_assert_str_eq(msg, want);
}
END_TEST

START_TEST(test_file_without_end_marker_is_cut_short)
{
    struct file f;
    file_init(&f);
    uint8_t recs[64];
    put_block(f.buf, &f.len, recs, (uint32_t)two_records(recs), 2, 0);
    char msg[512], want[400];
    uint64_t got;
    ck_assert_int_eq(read_to_end(&f, msg, sizeof(msg), &got), TRACE_READ_CUT_SHORT);
    ck_assert_uint_eq(got, 2);
    snprintf(want, sizeof(want),
             "t.trace: byte %zu: cut short: the file ends without its end marker (the run was "
             "killed or the file was truncated); the 2 records before byte %zu are complete",
             f.len, f.len);
    ck_assert_str_eq(msg, want);
}
END_TEST

START_TEST(test_header_only_file_is_cut_short_with_no_records)
{
    struct file f;
    file_init(&f);
    char msg[512];
    uint64_t got;
    ck_assert_int_eq(read_to_end(&f, msg, sizeof(msg), &got), TRACE_READ_CUT_SHORT);
    ck_assert_uint_eq(got, 0);
}
END_TEST

START_TEST(test_data_after_the_end_marker)
{
    struct file f;
    file_init(&f);
    uint8_t recs[64];
    put_block(f.buf, &f.len, recs, (uint32_t)two_records(recs), 2, 0);
    size_t end = f.len;
    put_end(f.buf, &f.len, 2, 1);
    f.buf[f.len++] = 0;
    char msg[512], want[128];
    uint64_t got;
    ck_assert_int_eq(read_to_end(&f, msg, sizeof(msg), &got), TRACE_READ_ERROR);
    snprintf(want, sizeof(want), "t.trace: byte %zu: data after the end marker", end + 24);
    ck_assert_str_eq(msg, want);
}
END_TEST

START_TEST(test_end_marker_must_count_what_the_file_holds)
{
    struct file f;
    file_init(&f);
    uint8_t recs[64];
    put_block(f.buf, &f.len, recs, (uint32_t)two_records(recs), 2, 0);
    size_t end = f.len;
    put_end(f.buf, &f.len, 3, 1);
    char msg[512], want[200];
    uint64_t got;
    ck_assert_int_eq(read_to_end(&f, msg, sizeof(msg), &got), TRACE_READ_ERROR);
    snprintf(want, sizeof(want),
             "t.trace: byte %zu: end marker counts 3 records in 1 blocks, the file holds 2 in 1",
             end);
    ck_assert_str_eq(msg, want);
}
END_TEST

START_TEST(test_missing_file_names_the_path)
{
    char err[512];
    ck_assert_ptr_null(trace_reader_open("/nonexistent/x.trace", err, sizeof(err)));
    ck_assert_str_eq(err, "/nonexistent/x.trace: cannot open: No such file or directory");
}
END_TEST

/* 3,000 seeded corruptions of a valid file (bytes flipped, cut, grown):
 * the reader must end every one with a verdict, never crash or loop. The
 * sanitized build of this suite checks the memory accesses. */
START_TEST(test_seeded_corruptions_never_crash)
{
    struct file good;
    file_init(&good);
    uint8_t recs[256];
    size_t n = 0;
    for (int i = 0; i < 6; i++)
        n += two_records(recs + n);
    put_block(good.buf, &good.len, recs, (uint32_t)n, 12, 0);
    put_block(good.buf, &good.len, recs, (uint32_t)n, 12, 9000);
    put_end(good.buf, &good.len, 24, 2);
    uint64_t x = 12345;
    for (int round = 0; round < 3000; round++) {
        struct file f = good;
        unsigned flips = 1 + round % 4;
        for (unsigned k = 0; k < flips; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            f.buf[x % f.len] ^= (uint8_t)(1u << ((x >> 20) % 8));
        }
        if (round % 5 == 0)
            f.len = (size_t)((x >> 8) % f.len);
        char msg[512];
        struct trace_reader *r = trace_reader_open_memory(f.buf, f.len, "t", msg, sizeof(msg));
        if (!r)
            continue;
        struct trace_record rec;
        unsigned records = 0;
        while (trace_reader_next(r, &rec) == TRACE_READ_RECORD)
            ck_assert_uint_le(++records, 24);
        trace_reader_free(r);
    }
}
END_TEST

static Suite *reader_suite(void)
{
    Suite *s = suite_create("trace_reader");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_empty_file_is_rejected_at_byte_0);
    tcase_add_test(tc, test_bad_magic_is_rejected_at_byte_0);
    tcase_add_test(tc, test_unknown_version_is_named_at_byte_8);
    tcase_add_test(tc, test_truncated_header_names_where_the_file_ends);
    tcase_add_test(tc, test_header_checksum_mismatch_names_the_checksum);
    tcase_add_test(tc, test_header_length_out_of_range);
    tcase_add_test(tc, test_complete_file_reads_to_the_end_marker);
    tcase_add_test(tc, test_records_carry_kind_pe_cycle_and_payload);
    tcase_add_test(tc, test_short_header_and_sequential_insn_read_as_long_ones);
    tcase_add_test(tc, test_negative_delta_goes_back_in_time);
    tcase_add_test(tc, test_kind_above_the_last_is_out_of_range);
    tcase_add_test(tc, test_kind_zero_is_out_of_range);
    tcase_add_test(tc, test_length_overrunning_the_block);
    tcase_add_test(tc, test_record_header_overrunning_the_block);
    tcase_add_test(tc, test_fixed_length_kind_with_other_length);
    tcase_add_test(tc, test_sequential_insn_needs_an_earlier_insn_of_its_pe);
    tcase_add_test(tc, test_record_count_must_match_the_block_header);
    tcase_add_test(tc, test_block_checksum_mismatch);
    tcase_add_test(tc, test_block_length_above_the_maximum);
    tcase_add_test(tc, test_bad_block_marker);
    tcase_add_test(tc, test_cut_inside_a_block_returns_the_complete_blocks_first);
    tcase_add_test(tc, test_file_without_end_marker_is_cut_short);
    tcase_add_test(tc, test_header_only_file_is_cut_short_with_no_records);
    tcase_add_test(tc, test_data_after_the_end_marker);
    tcase_add_test(tc, test_end_marker_must_count_what_the_file_holds);
    tcase_add_test(tc, test_missing_file_names_the_path);
    tcase_add_test(tc, test_seeded_corruptions_never_crash);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reader_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
