/* The pe-state record (a PE's registers when the run ends) and the same
 * registers in the stop reports: written, read back and dumped; a
 * malformed one refused with exit 2 and the file named; a version 1 file
 * still read; and, on a real run of a small guest that sets V31, a replay
 * whose V31 differs from the recording's reported as a divergence naming
 * v31, and the fault and deadlock reports ending with the registers. */
#include <check.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "sim/machine.h"
#include "test_trace_util.h"
#include "traces/diff.h"
#include "traces/dump.h"
#include "traces/replay.h"
#include "traces/stats.h"

/* A PE state whose every register says which one it is. */
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
        s->v[n][1] = 0xf000000000000000ull + n;
    }
}

/* Captured output of a command. */
struct captured {
    FILE *out, *err;
    char *out_text, *err_text;
    size_t out_len, err_len;
};

static void cap_begin(struct captured *c)
{
    c->out = open_memstream(&c->out_text, &c->out_len);
    c->err = open_memstream(&c->err_text, &c->err_len);
}

static void cap_end(struct captured *c)
{
    fclose(c->out);
    fclose(c->err);
}

static void cap_free(struct captured *c)
{
    free(c->out_text);
    free(c->err_text);
}

/* The records `trace dump` prints for PATH, without the header lines. */
static char *dump_records(const char *path, int want_rc, char **err)
{
    struct trace_filter f;
    trace_filter_init(&f);
    struct captured c;
    cap_begin(&c);
    ck_assert_int_eq(trace_dump(path, &f, NULL, c.out, c.err), want_rc);
    cap_end(&c);
    char *p = c.out_text;
    while (*p == '#')
        p = strchr(p, '\n') + 1;
    char *records = strdup(p);
    *err = c.err_text;
    free(c.out_text);
    return records;
}

START_TEST(test_pe_state_is_written_read_back_and_dumped)
{
    char *path = tmp_path();
    struct trace_rec *t = start_file(path);
    struct trace_pe_state s, back;
    numbered_state(&s);
    trace_pe_state(t, 1, 600, &s);
    trace_run_end(t, TRACE_PE_NONE, 600, TRACE_END_DEADLOCK, 1, 50, 600);
    finish_file(t);
    char err[256];
    struct trace_reader *r = trace_reader_open(path, err, sizeof(err));
    ck_assert_msg(r != NULL, "%s", err);
    struct trace_record rec;
    ck_assert_int_eq(trace_reader_next(r, &rec), TRACE_READ_RECORD);
    ck_assert_uint_eq(rec.kind, TRACE_PE_STATE);
    ck_assert_uint_eq(rec.pe, 1);
    ck_assert_uint_eq(rec.cycle, 600);
    ck_assert_uint_eq(rec.len, 800);
    trace_pe_state_of_record(&rec, &back);
    ck_assert_mem_eq(&back, &s, sizeof(s));
    trace_reader_free(r);

    char *dump_err;
    char *text = dump_records(path, 0, &dump_err);
    static const char want[] =
        "         600  pe1  pe-state        pc 0x4008000c, pstate 0x600003c5 (EL1h, NZCV=-ZC-, "
        "DAIF=DAIF)\n"
        "                                   x0  0000000000001000  x1  0000000000001001  x2  "
        "0000000000001002  x3  0000000000001003\n"
        "                                   x4  0000000000001004  x5  0000000000001005  x6  "
        "0000000000001006  x7  0000000000001007\n"
        "                                   x8  0000000000001008  x9  0000000000001009  x10 "
        "000000000000100a  x11 000000000000100b\n"
        "                                   x12 000000000000100c  x13 000000000000100d  x14 "
        "000000000000100e  x15 000000000000100f\n"
        "                                   x16 0000000000001010  x17 0000000000001011  x18 "
        "0000000000001012  x19 0000000000001013\n"
        "                                   x20 0000000000001014  x21 0000000000001015  x22 "
        "0000000000001016  x23 0000000000001017\n"
        "                                   x24 0000000000001018  x25 0000000000001019  x26 "
        "000000000000101a  x27 000000000000101b\n"
        "                                   x28 000000000000101c  x29 000000000000101d  x30 "
        "000000000000101e  sp  0000000040100000\n"
        "                                   fpcr 03c00000  fpsr 8000001f\n"
        "                                   v0  f0000000000000000000000000002000  v1  "
        "f0000000000000010000000000002001\n"
        "                                   v2  f0000000000000020000000000002002  v3  "
        "f0000000000000030000000000002003\n"
        "                                   v4  f0000000000000040000000000002004  v5  "
        "f0000000000000050000000000002005\n"
        "                                   v6  f0000000000000060000000000002006  v7  "
        "f0000000000000070000000000002007\n"
        "                                   v8  f0000000000000080000000000002008  v9  "
        "f0000000000000090000000000002009\n"
        "                                   v10 f00000000000000a000000000000200a  v11 "
        "f00000000000000b000000000000200b\n"
        "                                   v12 f00000000000000c000000000000200c  v13 "
        "f00000000000000d000000000000200d\n"
        "                                   v14 f00000000000000e000000000000200e  v15 "
        "f00000000000000f000000000000200f\n"
        "                                   v16 f0000000000000100000000000002010  v17 "
        "f0000000000000110000000000002011\n"
        "                                   v18 f0000000000000120000000000002012  v19 "
        "f0000000000000130000000000002013\n"
        "                                   v20 f0000000000000140000000000002014  v21 "
        "f0000000000000150000000000002015\n"
        "                                   v22 f0000000000000160000000000002016  v23 "
        "f0000000000000170000000000002017\n"
        "                                   v24 f0000000000000180000000000002018  v25 "
        "f0000000000000190000000000002019\n"
        "                                   v26 f00000000000001a000000000000201a  v27 "
        "f00000000000001b000000000000201b\n"
        "                                   v28 f00000000000001c000000000000201c  v29 "
        "f00000000000001d000000000000201d\n"
        "                                   v30 f00000000000001e000000000000201e  v31 "
        "f00000000000001f000000000000201f\n"
        "         600  -    run-end         deadlock, exit code 1, 50 instructions, 600 cycles\n";
    ck_assert_str_eq(text, want);
    ck_assert_str_eq(dump_err, "");
    free(text);
    free(dump_err);
    unlink(path);
    free(path);
}
END_TEST

/* A file of the test header, one block holding RECS, and the end marker. */
static void write_file(const char *path, const uint8_t *recs, size_t len, uint32_t count, bool end)
{
    static uint8_t buf[8192];
    size_t hlen, pos;
    uint8_t *h = header_bytes(&hlen);
    memcpy(buf, h, hlen);
    free(h);
    pos = hlen;
    put_block(buf, &pos, recs, (uint32_t)len, count, 0);
    if (end)
        put_end(buf, &pos, count, 1);
    write_all_file(path, buf, pos);
}

/* A pe-state record of LEN payload bytes (a uart-tx record before it). */
static size_t pe_state_records(uint8_t *p, unsigned len)
{
    size_t n = put_long(p, TRACE_UART_TX, 0, 1, 5);
    p[n++] = 'A';
    n += put_long(p + n, TRACE_PE_STATE, 0, len, 10);
    memset(p + n, 0x5a, len);
    return n + len;
}

START_TEST(test_pe_state_of_the_wrong_length_is_refused_with_exit_2)
{
    char *path = tmp_path();
    uint8_t recs[1024];
    size_t n = pe_state_records(recs, 799);
    write_file(path, recs, n, 2, true);
    size_t hlen;
    free(header_bytes(&hlen));
    char want[1200];
    snprintf(want, sizeof(want),
             "a64sim: %s: byte %zu: pe-state record has length 799, expected 800\n", path,
             hlen + TRACE_BLOCK_HEADER_SIZE + 9);
    char *err;
    char *text = dump_records(path, 2, &err);
    ck_assert_str_eq(err, want);
    ck_assert_str_eq(text, ""); /* nothing of a bad block */
    free(text);
    free(err);
    struct captured c;
    cap_begin(&c);
    ck_assert_int_eq(trace_stats(path, c.out, c.err), 2);
    cap_end(&c);
    ck_assert_str_eq(c.err_text, want);
    cap_free(&c);
    unlink(path);
    free(path);
}
END_TEST

/* A file that ends inside a pe-state record: the run was killed while
 * writing it. */
START_TEST(test_file_cut_inside_a_pe_state_record_is_refused_with_exit_2)
{
    char *path = tmp_path();
    uint8_t recs[1024];
    size_t n = pe_state_records(recs, 800);
    write_file(path, recs, n, 2, true);
    size_t len;
    uint8_t *d = read_all(path, &len);
    write_all_file(path, d, len - 24 - 400); /* no end marker, half the registers */
    free(d);
    char *err;
    char *text = dump_records(path, 2, &err);
    char want[1200];
    snprintf(want, sizeof(want), "a64sim: %s: byte %zu: cut short: the file ends inside a block",
             path, len - 24 - 400);
    ck_assert_msg(!strncmp(err, want, strlen(want)), "%s", err);
    ck_assert_str_eq(text, "");
    free(text);
    free(err);
    unlink(path);
    free(path);
}
END_TEST

/* Version 1 has no pe-state: there kind 18 is as unknown as kind 99. */
START_TEST(test_pe_state_in_a_version_1_file_is_out_of_range)
{
    char *path = tmp_path();
    uint8_t recs[1024];
    size_t n = pe_state_records(recs, 800);
    write_file(path, recs, n, 2, true);
    size_t len, hlen;
    uint8_t *d = read_all(path, &len);
    free(header_bytes(&hlen));
    trace_put32(d + 8, 1);
    trace_put32(d + hlen - 4, trace_crc32c(0, d, hlen - 4));
    write_all_file(path, d, len);
    free(d);
    char *err;
    char *text = dump_records(path, 2, &err);
    char want[1200];
    snprintf(want, sizeof(want), "a64sim: %s: byte %zu: record kind 18 out of range (1 to 17)\n",
             path, hlen + TRACE_BLOCK_HEADER_SIZE + 9);
    ck_assert_str_eq(err, want);
    free(text);
    free(err);
    unlink(path);
    free(path);
}
END_TEST

/* Files written before pe-state existed still read as they did. */
START_TEST(test_version_1_file_reads)
{
    char *path = tmp_path();
    uint8_t recs[64];
    size_t n = put_long(recs, TRACE_UART_TX, 0, 1, 5);
    recs[n++] = 'A';
    write_file(path, recs, n, 1, true);
    size_t len, hlen;
    uint8_t *d = read_all(path, &len);
    free(header_bytes(&hlen));
    trace_put32(d + 8, 1);
    trace_put32(d + hlen - 4, trace_crc32c(0, d, hlen - 4));
    write_all_file(path, d, len);
    free(d);
    char *err;
    char *text = dump_records(path, 0, &err);
    ck_assert_str_eq(text, "           5  pe0  uart-tx         'A' (0x41)\n");
    ck_assert_str_eq(err, "");
    free(text);
    free(err);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_diff_names_the_register_that_differs)
{
    char *a = tmp_path(), *b = tmp_path();
    struct trace_rec *ta = start_file(a), *tb = start_file(b);
    struct trace_pe_state s;
    numbered_state(&s);
    trace_pe_state(ta, 0, 100, &s);
    s.v[7][0] ^= 1;
    trace_pe_state(tb, 0, 100, &s);
    finish_file(ta);
    finish_file(tb);
    struct captured c;
    cap_begin(&c);
    ck_assert_int_eq(trace_diff(a, b, NULL, c.out, c.err), 1);
    cap_end(&c);
    ck_assert_ptr_nonnull(strstr(c.out_text, "first difference at record 0"));
    /* The registers under the details of "A: " and "B: " lines: 3 + 35 columns in. */
    ck_assert_ptr_nonnull(strstr(c.out_text, "\n                                      v6  "
                                             "f0000000000000060000000000002006  v7  "
                                             "f0000000000000070000000000002006\n"));
    ck_assert_ptr_nonnull(strstr(c.out_text, "\n                                      v6  "
                                             "f0000000000000060000000000002006  v7  "
                                             "f0000000000000070000000000002007\n"));
    ck_assert_ptr_nonnull(strstr(c.out_text, "a64sim: trace diff: they differ in v7\n"));
    cap_free(&c);
    unlink(a), unlink(b);
    free(a), free(b);
}
END_TEST

/* ---- a real run ---- */

/* A guest of a few instructions at RAM + 0x80000 (EL1, interrupts masked).
 * It sets V31 to 0xabcd000000000000_0000000000001234 and X1, then ends
 * with LAST: PSCI SYSTEM_OFF, a WFI nothing can wake, or an undefined
 * instruction whose vector (VBAR_EL1 is 0 at reset: not RAM) cannot be
 * fetched. */
enum guest_end { END_SYSTEM_OFF, END_WFI, END_UDF };

static char *guest(enum guest_end last)
{
    static const uint32_t start[] = {
        0xd2824680, /* movz x0, #0x1234 */
        0xd2f579a1, /* movz x1, #0xabcd, lsl #48 */
        0xd2a00602, /* movz x2, #0x30, lsl #16: CPACR_EL1.FPEN, no FP trap */
        0xd5181042, /* msr cpacr_el1, x2 */
        0xd5033fdf, /* isb */
        0x9e67001f, /* fmov d31, x0 */
        0x4e181c3f, /* mov v31.d[1], x1 */
    };
    static const uint32_t off[] = {
        0xd2800100, /* movz x0, #0x8 */
        0xf2b08000, /* movk x0, #0x8400, lsl #16: SYSTEM_OFF */
        0xd4000002, /* hvc #0 */
    };
    static const uint32_t wfi[] = {0xd503207f}; /* wfi */
    static const uint32_t udf[] = {0x00000000}; /* udf #0 */
    uint32_t code[16];
    size_t n = 0;
    memcpy(code, start, sizeof(start));
    n += sizeof(start) / 4;
    const uint32_t *tail = last == END_SYSTEM_OFF ? off : last == END_WFI ? wfi : udf;
    size_t tail_n = last == END_SYSTEM_OFF ? 3 : 1;
    memcpy(code + n, tail, tail_n * 4);
    n += tail_n;
    code[n++] = 0x14000000; /* b . */

    const uint64_t base = 0x40080000, entry = base + 0x80;
    uint8_t file[0x80 + sizeof(code)] = {0};
    Elf64_Ehdr eh = {.e_type = ET_EXEC,
                     .e_machine = EM_AARCH64,
                     .e_version = EV_CURRENT,
                     .e_entry = entry,
                     .e_phoff = sizeof(Elf64_Ehdr),
                     .e_ehsize = sizeof(Elf64_Ehdr),
                     .e_phentsize = sizeof(Elf64_Phdr),
                     .e_phnum = 1};
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    size_t size = 0x80 + n * 4;
    Elf64_Phdr ph = {.p_type = PT_LOAD,
                     .p_flags = PF_R | PF_X,
                     .p_vaddr = base,
                     .p_paddr = base,
                     .p_filesz = size,
                     .p_memsz = size,
                     .p_align = 0x1000};
    memcpy(file, &eh, sizeof(eh));
    memcpy(file + sizeof(eh), &ph, sizeof(ph));
    memcpy(file + 0x80, code, n * 4);
    char *path = tmp_path();
    write_all_file(path, file, size);
    return path;
}

/* Run IMAGE, recording to TRACE when not NULL; the stop report in *REPORT. */
static enum run_exit run_guest(const char *image, const char *trace, char **report)
{
    struct machine_config cfg;
    machine_config_defaults(&cfg);
    cfg.image = image;
    cfg.uart_out = "/dev/null";
    cfg.trace = trace ? trace_rec_new_file(trace) : NULL;
    char err[1200];
    struct machine *m = machine_new(&cfg, err, sizeof(err));
    ck_assert_msg(m != NULL, "%s", err);
    struct run_result r;
    machine_run(m, &r);
    size_t len;
    FILE *f = open_memstream(report, &len);
    machine_report(m, &r, f);
    fclose(f);
    machine_free(m);
    if (cfg.trace) {
        ck_assert_msg(trace_rec_finish(cfg.trace, err, sizeof(err)), "%s", err);
        trace_rec_free(cfg.trace);
    }
    return r.reason;
}

/* The pe-state record of pe0 in PATH: its file offset in *OFFSET. */
static struct trace_pe_state recorded_state(const char *path, uint64_t *offset)
{
    char err[256];
    struct trace_reader *r = trace_reader_open(path, err, sizeof(err));
    ck_assert_msg(r != NULL, "%s", err);
    struct trace_record rec;
    struct trace_pe_state s;
    bool found = false;
    while (trace_reader_next(r, &rec) == TRACE_READ_RECORD) {
        if (rec.kind != TRACE_PE_STATE)
            continue;
        ck_assert(!found);
        found = true;
        trace_pe_state_of_record(&rec, &s);
        *offset = trace_reader_offset(r);
    }
    ck_assert(found);
    trace_reader_free(r);
    return s;
}

START_TEST(test_run_records_the_registers_before_run_end)
{
    char *image = guest(END_SYSTEM_OFF), *trace = tmp_path(), *report;
    ck_assert_int_eq(run_guest(image, trace, &report), RUN_POWER_OFF);
    ck_assert_str_eq(report, ""); /* a power-off has no report */
    free(report);
    uint64_t off;
    struct trace_pe_state s = recorded_state(trace, &off);
    ck_assert_uint_eq(s.v[31][0], 0x1234);
    ck_assert_uint_eq(s.v[31][1], 0xabcd000000000000ull);
    ck_assert_uint_eq(s.x[1], 0xabcd000000000000ull);
    ck_assert_uint_eq(s.x[0], 0x84000008);
    ck_assert_uint_eq(s.pc, 0x40080080 + 10 * 4); /* after the HVC */
    ck_assert_uint_eq(s.pstate & 0xf, 0x5);       /* EL1h */
    char *err;
    char *text = dump_records(trace, 0, &err);
    const char *pe_state = strstr(text, "  pe0  pe-state ");
    ck_assert_ptr_nonnull(pe_state);
    ck_assert_ptr_nonnull(strstr(pe_state, "  run-end         guest powered off"));
    ck_assert_ptr_nonnull(strstr(text, "v31 abcd0000000000000000000000001234\n"));
    free(text);
    free(err);
    unlink(image), unlink(trace);
    free(image), free(trace);
}
END_TEST

/* Set bit 64 of V31 in the pe-state record at OFFSET of PATH, and mend
 * the checksum of its block (the only one: these runs are short). */
static void flip_v31_bit_64(const char *path, uint64_t offset)
{
    size_t len, hlen = 0;
    uint8_t *d = read_all(path, &len);
    hlen = trace_get32(d + 12);
    ck_assert_uint_eq(trace_get32(d + hlen), TRACE_BLOCK_MAGIC);
    ck_assert_uint_lt(offset, hlen + TRACE_BLOCK_HEADER_SIZE + trace_get32(d + hlen + 4));
    d[offset + TRACE_RECORD_LONG_SIZE + 784 + 8] ^= 1; /* v31 bits 127:64 */
    uint8_t *b = d + hlen;
    trace_put32(b + 20, trace_crc32c(trace_crc32c(0, b, 20), b + TRACE_BLOCK_HEADER_SIZE,
                                     trace_get32(b + 4)));
    write_all_file(path, d, len);
    free(d);
}

START_TEST(test_replay_whose_v31_differs_at_the_end_diverges_naming_v31)
{
    char *image = guest(END_SYSTEM_OFF), *trace = tmp_path(), *report;
    ck_assert_int_eq(run_guest(image, trace, &report), RUN_POWER_OFF);
    free(report);
    struct replay_options o = {.trace = trace, .image = image};
    struct captured c;
    cap_begin(&c);
    ck_assert_int_eq(replay(&o, c.out, c.err), 0);
    cap_end(&c);
    ck_assert_msg(strstr(c.out_text, "identical: all 3 records match"), "%s", c.out_text);
    cap_free(&c);

    uint64_t off;
    recorded_state(trace, &off);
    flip_v31_bit_64(trace, off);
    ck_assert_uint_eq(recorded_state(trace, &off).v[31][1], 0xabcd000000000001ull);
    cap_begin(&c);
    ck_assert_int_eq(replay(&o, c.out, c.err), 1);
    cap_end(&c);
    ck_assert_msg(strstr(c.out_text, "a64sim: replay: diverged at record 1 "), "%s", c.out_text);
    ck_assert_ptr_nonnull(strstr(c.out_text, "v31 abcd0000000000010000000000001234\n"));
    ck_assert_ptr_nonnull(strstr(c.out_text, "v31 abcd0000000000000000000000001234\n"));
    ck_assert_ptr_nonnull(strstr(c.out_text, "a64sim: replay: they differ in v31\n"));
    ck_assert_str_eq(c.err_text, "");
    cap_free(&c);
    unlink(image), unlink(trace);
    free(image), free(trace);
}
END_TEST

/* The last lines of a report: the registers, V30 and V31 last. */
static void assert_ends_with_registers(const char *report)
{
    static const char last[] = "a64sim: pe0: v30 00000000000000000000000000000000  v31 "
                               "abcd0000000000000000000000001234\n";
    size_t n = strlen(report);
    ck_assert_msg(n > strlen(last) && !strcmp(report + n - strlen(last), last), "%s", report);
    ck_assert_ptr_nonnull(strstr(report, "a64sim: pe0: x0  0000000000001234  x1  "
                                         "abcd000000000000  x2  0000000000300000  x3  "
                                         "0000000000000000\n"));
    ck_assert_ptr_nonnull(strstr(report, "a64sim: pe0: fpcr 00000000  fpsr 00000000\n"));
}

START_TEST(test_deadlock_report_ends_with_the_registers)
{
    char *image = guest(END_WFI), *report;
    ck_assert_int_eq(run_guest(image, NULL, &report), RUN_DEADLOCK);
    ck_assert_ptr_nonnull(strstr(report, "a64sim: pe0: asleep in WFI at pc 0x400800a0, EL1"));
    assert_ends_with_registers(report);
    free(report);
    unlink(image);
    free(image);
}
END_TEST

START_TEST(test_fault_report_ends_with_the_registers)
{
    char *image = guest(END_UDF), *report;
    ck_assert_int_eq(run_guest(image, NULL, &report), RUN_GUEST_FAULT);
    ck_assert_ptr_nonnull(strstr(report, "a64sim: pe0: undefined instruction at pc 0x4008009c\n"));
    assert_ends_with_registers(report);
    free(report);
    unlink(image);
    free(image);
}
END_TEST

static Suite *pe_state_suite(void)
{
    Suite *s = suite_create("trace_pe_state");
    TCase *tc = tcase_create("record");
    tcase_add_test(tc, test_pe_state_is_written_read_back_and_dumped);
    tcase_add_test(tc, test_pe_state_of_the_wrong_length_is_refused_with_exit_2);
    tcase_add_test(tc, test_file_cut_inside_a_pe_state_record_is_refused_with_exit_2);
    tcase_add_test(tc, test_pe_state_in_a_version_1_file_is_out_of_range);
    tcase_add_test(tc, test_version_1_file_reads);
    tcase_add_test(tc, test_diff_names_the_register_that_differs);
    suite_add_tcase(s, tc);
    tc = tcase_create("runs");
    tcase_add_test(tc, test_run_records_the_registers_before_run_end);
    tcase_add_test(tc, test_replay_whose_v31_differs_at_the_end_diverges_naming_v31);
    tcase_add_test(tc, test_deadlock_report_ends_with_the_registers);
    tcase_add_test(tc, test_fault_report_ends_with_the_registers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pe_state_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
