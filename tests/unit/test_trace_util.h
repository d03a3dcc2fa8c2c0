/* Helpers shared by the trace suites (tests/unit/test_trace_*.c): temporary
 * files, a recorder started with a small header, and hand-built blocks. */
#ifndef TESTS_UNIT_TEST_TRACE_UTIL_H
#define TESTS_UNIT_TEST_TRACE_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/format.h"
#include "traces/reader.h"
#include "traces/record.h"

/* A new empty temporary file's name (malloc'd). */
static inline char *tmp_path(void)
{
    char *p = strdup("/tmp/a64sim-trace-test-XXXXXX");
    int fd = mkstemp(p);
    ck_assert_int_ge(fd, 0);
    close(fd);
    return p;
}

static inline uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n ? (size_t)n : 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static inline void write_all_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* The header the suites record with: two items, hashed. */
static inline void test_header(struct trace_header *h)
{
    *h = (struct trace_header){.version = TRACE_FORMAT_VERSION};
    strcpy(h->sim_version, "test");
    trace_header_add(h, "image.hash", 0x1122334455667788ull);
    trace_header_add(h, "cpus", 2);
    trace_header_hash(h);
}

/* A file recorder on PATH, started. */
static inline struct trace_rec *start_file(const char *path)
{
    struct trace_rec *t = trace_rec_new_file(path);
    struct trace_header h;
    char err[256];
    test_header(&h);
    ck_assert_msg(trace_rec_start(t, &h, err, sizeof(err)), "%s", err);
    return t;
}

static inline void finish_file(struct trace_rec *t)
{
    char err[256];
    ck_assert_msg(trace_rec_finish(t, err, sizeof(err)), "%s", err);
    trace_rec_free(t);
}

/* The encoded test header (malloc'd), its length in *len. */
static inline uint8_t *header_bytes(size_t *len)
{
    struct trace_header h;
    test_header(&h);
    return trace_header_encode(&h, len);
}

/* Append to BUF at *POS a block of the LEN bytes of RECORDS holding COUNT
 * records from cycle BASE, with a correct checksum. */
static inline void put_block(uint8_t *buf, size_t *pos, const uint8_t *records, uint32_t len,
                             uint32_t count, uint64_t base)
{
    uint8_t *h = buf + *pos;
    trace_put32(h, TRACE_BLOCK_MAGIC);
    trace_put32(h + 4, len);
    trace_put32(h + 8, count);
    trace_put64(h + 12, base);
    memcpy(h + TRACE_BLOCK_HEADER_SIZE, records, len);
    trace_put32(h + 20, trace_crc32c(trace_crc32c(0, h, 20), records, len));
    *pos += TRACE_BLOCK_HEADER_SIZE + len;
}

/* Append the end marker for RECORDS records in BLOCKS blocks. */
static inline void put_end(uint8_t *buf, size_t *pos, uint64_t records, uint64_t blocks)
{
    uint8_t *e = buf + *pos;
    trace_put32(e, TRACE_END_MAGIC);
    trace_put64(e + 4, records);
    trace_put64(e + 12, blocks);
    trace_put32(e + 20, trace_crc32c(0, e, 20));
    *pos += TRACE_BLOCK_HEADER_SIZE;
}

/* A long-form record header at P; returns its size. */
static inline size_t put_long(uint8_t *p, unsigned kind, unsigned pe, unsigned len, int32_t delta)
{
    p[0] = (uint8_t)kind;
    p[1] = (uint8_t)pe;
    trace_put16(p + 2, (uint16_t)len);
    trace_put32(p + 4, (uint32_t)delta);
    return TRACE_RECORD_LONG_SIZE;
}

#endif
