/* traces/format: checksums against their published check values, the kind
 * table against docs/trace-format.md, payload encoding, the header
 * encoding and the context ring. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "test_trace_util.h"
#include "traces/format.h"
#include "traces/pe_state.h"

/* CRC-32C check value of the nine ASCII digits (the catalogue's "check"). */
START_TEST(test_crc32c_check_value)
{
    ck_assert_uint_eq(trace_crc32c(0, "123456789", 9), 0xE3069283u);
    ck_assert_uint_eq(trace_crc32c_portable(0, "123456789", 9), 0xE3069283u);
}
END_TEST

/* RFC 3720 appendix B.4: 32 bytes of zeros and 32 bytes of 0xFF. */
START_TEST(test_crc32c_rfc3720_vectors)
{
    uint8_t zeros[32] = {0}, ones[32];
    memset(ones, 0xff, sizeof(ones));
    ck_assert_uint_eq(trace_crc32c(0, zeros, 32), 0x8A9136AAu);
    ck_assert_uint_eq(trace_crc32c(0, ones, 32), 0x62A8AB43u);
    ck_assert_uint_eq(trace_crc32c_portable(0, zeros, 32), 0x8A9136AAu);
    ck_assert_uint_eq(trace_crc32c_portable(0, ones, 32), 0x62A8AB43u);
}
END_TEST

START_TEST(test_crc32c_continues_across_calls)
{
    const char *s = "123456789";
    ck_assert_uint_eq(trace_crc32c(trace_crc32c(0, s, 4), s + 4, 5), 0xE3069283u);
    ck_assert_uint_eq(trace_crc32c_portable(trace_crc32c_portable(0, s, 3), s + 3, 6), 0xE3069283u);
}
END_TEST

/* Bit at a time, straight from the definition: the oracle for long inputs. */
static uint32_t crc32c_bitwise(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
    }
    return ~crc;
}

START_TEST(test_crc32c_matches_definition_at_every_length)
{
    uint8_t buf[300];
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < sizeof(buf); i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        buf[i] = (uint8_t)x;
    }
    for (size_t n = 0; n <= sizeof(buf); n++) {
        uint32_t want = crc32c_bitwise(buf + (n % 7), n - (n % 7));
        ck_assert_uint_eq(trace_crc32c(0, buf + (n % 7), n - (n % 7)), want);
        ck_assert_uint_eq(trace_crc32c_portable(0, buf + (n % 7), n - (n % 7)), want);
    }
}
END_TEST

/* FNV-1a 64 test vectors (Fowler, Noll, Vo): "" and "a". */
START_TEST(test_fnv1a_vectors)
{
    ck_assert_uint_eq(trace_fnv1a(TRACE_FNV_OFFSET, "", 0), 0xcbf29ce484222325ull);
    ck_assert_uint_eq(trace_fnv1a(TRACE_FNV_OFFSET, "a", 1), 0xaf63dc4c8601ec8cull);
}
END_TEST

/* The kind numbers and names docs/trace-format.md fixes. */
START_TEST(test_kind_numbers_and_names_are_the_documented_ones)
{
    static const char *const names[] = {NULL,
                                        "insn",
                                        "exc-entry",
                                        "exc-return",
                                        "irq-state",
                                        "irq-line",
                                        "daif",
                                        "pmr",
                                        "timer",
                                        "sleep",
                                        "wake",
                                        "psci",
                                        "uart-tx",
                                        "mmio",
                                        "input-uart-rx",
                                        "input-spi",
                                        "input-host-uart",
                                        "run-end",
                                        "pe-state",
                                        "vgic-lr",
                                        "virq-state",
                                        "maintenance",
                                        "input-msi"};
    ck_assert_uint_eq(TRACE_KIND_END, 23);
    for (unsigned k = 1; k < TRACE_KIND_END; k++) {
        ck_assert_str_eq(trace_kind_desc(k)->name, names[k]);
        ck_assert_uint_eq(trace_kind_by_name(names[k]), k);
    }
    ck_assert_ptr_null(trace_kind_desc(0));
    ck_assert_ptr_null(trace_kind_desc(TRACE_KIND_END));
    ck_assert_uint_eq(trace_kind_by_name("nonsense"), 0);
}
END_TEST

/* Payload sizes: the sums of the documented field widths. */
START_TEST(test_fixed_lengths_are_the_documented_layouts)
{
    static const unsigned len[TRACE_KIND_END] = {
        [TRACE_INSN] = 12,       [TRACE_EXC_ENTRY] = 27,
        [TRACE_EXC_RETURN] = 18, [TRACE_IRQ_STATE] = 6,
        [TRACE_IRQ_LINE] = 2,    [TRACE_DAIF] = 9,
        [TRACE_PMR] = 9,         [TRACE_TIMER] = 2,
        [TRACE_SLEEP] = 9,       [TRACE_WAKE] = 1,
        [TRACE_PSCI] = 36,       [TRACE_UART_TX] = 1,
        [TRACE_MMIO] = 19,       [TRACE_INPUT_UART_RX] = 0,
        [TRACE_INPUT_SPI] = 5,   [TRACE_INPUT_HOST_UART] = 9,
        [TRACE_RUN_END] = 21,    [TRACE_PE_STATE] = 800,
        [TRACE_VGIC_LR] = 17,    [TRACE_VIRQ_STATE] = 7,
        [TRACE_MAINTENANCE] = 5, [TRACE_INPUT_MSI] = 8};
    for (unsigned k = 1; k < TRACE_KIND_END; k++)
        ck_assert_msg(trace_kind_fixed_len(k) == len[k], "%s: %u", trace_kind_desc(k)->name,
                      trace_kind_fixed_len(k));
    ck_assert(trace_kind_desc(TRACE_INPUT_UART_RX)->text);
}
END_TEST

START_TEST(test_payload_is_little_endian_in_field_order)
{
    uint8_t out[TRACE_PAYLOAD_MAX];
    uint64_t f[] = {0x84000008u, 0x0102030405060708ull, 0, 0, 0xffffffffffffffffull};
    size_t n = trace_encode_payload(TRACE_PSCI, f, NULL, 0, out);
    static const uint8_t want[12] = {0x08, 0x00, 0x00, 0x84, 0x08, 0x07,
                                     0x06, 0x05, 0x04, 0x03, 0x02, 0x01};
    ck_assert_uint_eq(n, 36);
    ck_assert_mem_eq(out, want, sizeof(want));
    for (int i = 28; i < 36; i++)
        ck_assert_uint_eq(out[i], 0xff);
}
END_TEST

START_TEST(test_fields_read_back_what_was_encoded)
{
    uint8_t out[TRACE_PAYLOAD_MAX];
    uint64_t f[] = {1, 0, 1, 0x96000045, 0x40080010, 0x40000200};
    size_t n = trace_encode_payload(TRACE_EXC_ENTRY, f, NULL, 0, out);
    struct trace_record r = {TRACE_EXC_ENTRY, 0, (uint16_t)n, 5, out};
    for (unsigned i = 0; i < 6; i++)
        ck_assert_uint_eq(trace_field(&r, i), f[i]);
}
END_TEST

START_TEST(test_text_follows_the_fields)
{
    uint8_t out[TRACE_PAYLOAD_MAX];
    size_t n = trace_encode_payload(TRACE_INPUT_UART_RX, NULL, (const uint8_t *)"ab\n", 3, out);
    struct trace_record r = {TRACE_INPUT_UART_RX, TRACE_PE_NONE, (uint16_t)n, 0, out};
    size_t len;
    const uint8_t *t = trace_text(&r, &len);
    ck_assert_uint_eq(len, 3);
    ck_assert_mem_eq(t, "ab\n", 3);
}
END_TEST

START_TEST(test_records_equal_only_when_everything_matches)
{
    uint8_t a[1] = {'x'}, b[1] = {'y'};
    struct trace_record r1 = {TRACE_UART_TX, 0, 1, 10, a}, r2 = r1;
    ck_assert(trace_record_equal(&r1, &r2));
    r2.cycle = 11;
    ck_assert(!trace_record_equal(&r1, &r2));
    r2 = r1;
    r2.pe = 1;
    ck_assert(!trace_record_equal(&r1, &r2));
    r2 = r1;
    r2.payload = b;
    ck_assert(!trace_record_equal(&r1, &r2));
}
END_TEST

/* Version 1 files hold kinds 1 to 17; version 2 added pe-state (18);
 * version 3 vgic-lr, virq-state and maintenance (19 to 21); version 4
 * input-msi (22). */
START_TEST(test_each_version_has_its_kinds)
{
    ck_assert_uint_eq(trace_kind_end(1), TRACE_RUN_END + 1);
    ck_assert_uint_eq(trace_kind_end(2), TRACE_PE_STATE + 1);
    ck_assert_uint_eq(trace_kind_end(3), TRACE_MAINTENANCE + 1);
    ck_assert_uint_eq(trace_kind_end(4), TRACE_INPUT_MSI + 1);
    ck_assert_uint_eq(trace_kind_end(TRACE_FORMAT_VERSION), TRACE_KIND_END);
    ck_assert_uint_eq(trace_kind_end(0), 0);
    ck_assert_uint_eq(trace_kind_end(5), 0);
}
END_TEST

/* A PE state whose every register holds a value telling where it is. */
static void numbered_state(struct trace_pe_state *s)
{
    s->pc = 0x4008000c;
    s->pstate = 0x600003c5;
    s->sp = 0x40100000;
    for (unsigned n = 0; n < 31; n++)
        s->x[n] = 0x1000 + n;
    s->fpcr = 0x03c00000;
    s->fpsr = 0x8000001f;
    for (unsigned n = 0; n < 32; n++) {
        s->v[n][0] = 0x2000 + n;
        s->v[n][1] = 0x3000 + n;
    }
}

/* docs/trace-format.md: pc, pstate, sp, x0-x30, fpcr, fpsr (8 bytes each),
 * then v0-v31 (16 bytes each, bits 63:0 first), 800 bytes. */
START_TEST(test_pe_state_payload_is_the_documented_layout)
{
    struct trace_pe_state s;
    numbered_state(&s);
    uint64_t w[TRACE_PE_STATE_WORDS];
    trace_pe_state_words(&s, w);
    uint8_t out[TRACE_PAYLOAD_MAX];
    ck_assert_uint_eq(trace_encode_payload(TRACE_PE_STATE, w, NULL, 0, out), 800);
    ck_assert_uint_eq(trace_get64(out + 0), 0x4008000c);
    ck_assert_uint_eq(trace_get64(out + 8), 0x600003c5);
    ck_assert_uint_eq(trace_get64(out + 16), 0x40100000);
    ck_assert_uint_eq(trace_get64(out + 24), 0x1000);          /* x0 */
    ck_assert_uint_eq(trace_get64(out + 24 + 30 * 8), 0x101e); /* x30 */
    ck_assert_uint_eq(trace_get64(out + 272), 0x03c00000);     /* fpcr */
    ck_assert_uint_eq(trace_get64(out + 280), 0x8000001f);     /* fpsr */
    ck_assert_uint_eq(trace_get64(out + 288), 0x2000);         /* v0, bits 63:0 */
    ck_assert_uint_eq(trace_get64(out + 296), 0x3000);         /* v0, bits 127:64 */
    ck_assert_uint_eq(trace_get64(out + 784), 0x201f);         /* v31 */
    ck_assert_uint_eq(trace_get64(out + 792), 0x301f);
    struct trace_record r = {TRACE_PE_STATE, 0, 800, 0, out};
    struct trace_pe_state back;
    trace_pe_state_of_record(&r, &back);
    ck_assert_mem_eq(&back, &s, sizeof(s));
    ck_assert_uint_eq(trace_field(&r, PE_PC), 0x4008000c);
    ck_assert_uint_eq(trace_field(&r, PE_FPSR), 0x8000001f);
}
END_TEST

/* The names trace_record_diff gives: the fields of the kind table, an
 * array's element by its number. */
START_TEST(test_record_diff_names_the_fields_that_differ)
{
    struct trace_pe_state s;
    numbered_state(&s);
    uint64_t w[TRACE_PE_STATE_WORDS];
    uint8_t a[TRACE_PAYLOAD_MAX], b[TRACE_PAYLOAD_MAX];
    trace_pe_state_words(&s, w);
    trace_encode_payload(TRACE_PE_STATE, w, NULL, 0, a);
    s.v[31][1] ^= 1ull << 63;
    trace_pe_state_words(&s, w);
    trace_encode_payload(TRACE_PE_STATE, w, NULL, 0, b);
    struct trace_record ra = {TRACE_PE_STATE, 1, 800, 50, a}, rb = ra;
    rb.payload = b;
    char names[128];
    ck_assert_uint_eq(trace_record_diff(&ra, &rb, names, sizeof(names)), 1);
    ck_assert_str_eq(names, "v31");
    s.x[3]++;
    s.fpsr = 0;
    trace_pe_state_words(&s, w);
    trace_encode_payload(TRACE_PE_STATE, w, NULL, 0, b);
    rb.cycle = 51;
    ck_assert_uint_eq(trace_record_diff(&ra, &rb, names, sizeof(names)), 4);
    ck_assert_str_eq(names, "cycle, x3, fpsr, v31");
    ck_assert_uint_eq(trace_record_diff(&ra, &ra, names, sizeof(names)), 0);
    ck_assert_str_eq(names, "");
    for (unsigned n = 0; n < 31; n++)
        s.x[n] = ~s.x[n];
    trace_pe_state_words(&s, w);
    trace_encode_payload(TRACE_PE_STATE, w, NULL, 0, b);
    ck_assert_uint_eq(trace_record_diff(&ra, &rb, names, sizeof(names)), 34);
    ck_assert_str_eq(names, "cycle, x0, x1, x2, x3, x4, x5, x6 and 26 more");
    /* A kind of single fields, and text. */
    uint8_t t1[] = "abc", t2[] = "abd";
    struct trace_record u1 = {TRACE_INPUT_UART_RX, TRACE_PE_NONE, 3, 9, t1}, u2 = u1;
    u2.payload = t2;
    ck_assert_uint_eq(trace_record_diff(&u1, &u2, names, sizeof(names)), 1);
    ck_assert_str_eq(names, "text");
}
END_TEST

/* Header layout: magic, version, total length, ..., CRC-32C of the rest. */
START_TEST(test_header_layout)
{
    size_t len;
    uint8_t *h = header_bytes(&len);
    ck_assert_mem_eq(h, "A64TRACE", 8);
    ck_assert_uint_eq(trace_get32(h + 8), 4);
    ck_assert_uint_eq(trace_get32(h + 12), len);
    ck_assert_uint_eq(h[16], 4); /* "test" */
    ck_assert_mem_eq(h + 17, "test", 4);
    ck_assert_uint_eq(trace_get32(h + len - 4), trace_crc32c(0, h, len - 4));
    /* 16 fixed + 5 version + 8 hash + 2 count + (1+10+8) + (1+4+8) + 4 CRC */
    ck_assert_uint_eq(len, 16 + 5 + 8 + 2 + 19 + 13 + 4);
    free(h);
}
END_TEST

START_TEST(test_header_items_and_hash)
{
    struct trace_header a, b;
    test_header(&a);
    test_header(&b);
    uint64_t v;
    ck_assert(trace_header_get(&a, "cpus", &v));
    ck_assert_uint_eq(v, 2);
    ck_assert(!trace_header_get(&a, "mem", &v));
    ck_assert_uint_eq(a.config_hash, b.config_hash);
    b.item[1].value = 3;
    trace_header_hash(&b);
    ck_assert_uint_ne(a.config_hash, b.config_hash);
}
END_TEST

START_TEST(test_ring_keeps_the_last_records_oldest_first)
{
    struct trace_ring ring = {0};
    for (unsigned i = 0; i < TRACE_CONTEXT + 5; i++) {
        uint8_t byte = (uint8_t)i;
        struct trace_record r = {TRACE_UART_TX, 0, 1, i, &byte};
        trace_ring_push(&ring, &r);
        ck_assert_uint_eq(ring.count, i + 1 < TRACE_CONTEXT ? i + 1 : TRACE_CONTEXT);
    }
    for (unsigned i = 0; i < TRACE_CONTEXT; i++) {
        const struct trace_record *r = trace_ring_get(&ring, i);
        ck_assert_uint_eq(r->cycle, 5 + i);
        ck_assert_uint_eq(r->payload[0], 5 + i);
    }
    trace_ring_free(&ring);
}
END_TEST

static Suite *format_suite(void)
{
    Suite *s = suite_create("trace_format");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_crc32c_check_value);
    tcase_add_test(tc, test_crc32c_rfc3720_vectors);
    tcase_add_test(tc, test_crc32c_continues_across_calls);
    tcase_add_test(tc, test_crc32c_matches_definition_at_every_length);
    tcase_add_test(tc, test_fnv1a_vectors);
    tcase_add_test(tc, test_kind_numbers_and_names_are_the_documented_ones);
    tcase_add_test(tc, test_fixed_lengths_are_the_documented_layouts);
    tcase_add_test(tc, test_payload_is_little_endian_in_field_order);
    tcase_add_test(tc, test_fields_read_back_what_was_encoded);
    tcase_add_test(tc, test_text_follows_the_fields);
    tcase_add_test(tc, test_records_equal_only_when_everything_matches);
    tcase_add_test(tc, test_each_version_has_its_kinds);
    tcase_add_test(tc, test_pe_state_payload_is_the_documented_layout);
    tcase_add_test(tc, test_record_diff_names_the_fields_that_differ);
    tcase_add_test(tc, test_header_layout);
    tcase_add_test(tc, test_header_items_and_hash);
    tcase_add_test(tc, test_ring_keeps_the_last_records_oldest_first);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(format_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
