/* The trace reader. It trusts nothing: every length is checked against
 * what is left before it is used, and allocations are bounded by the
 * format's limits, not by numbers read from the file. */
#include "traces/reader.h"
#include "sim/host.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIN_HEADER_LEN (16u + 1u + 8u + 2u + 4u)

/* The fuzzer build (tests/fuzz/) accepts bad checksums, the usual libFuzzer
 * convention: otherwise nearly every mutation stops at the checksum and
 * the code behind it is never exercised. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define CHECKSUM_BAD(stored, computed) ((void)(stored), (void)(computed), false)
#else
#define CHECKSUM_BAD(stored, computed) ((stored) != (computed))
#endif

struct trace_reader {
    char name[256];
    FILE *f;
    const uint8_t *mem;
    size_t mem_len, mem_pos;
    uint64_t offset; /* of the next byte to read */

    struct trace_header hdr;
    unsigned kind_end; /* one past the last kind of the file's format version */

    uint8_t *block; /* payload of the current block */
    uint32_t block_cap, block_len, block_pos;
    uint64_t block_offset;        /* file offset of the current block's payload */
    uint64_t cycle;               /* of the last record */
    uint64_t last_pc[256];        /* of each PE's last insn record in this block */
    uint8_t insn[TRACE_INSN_LEN]; /* an insn record's payload in its long form */

    uint64_t records, blocks;
    uint64_t complete_records; /* in blocks fully read */
    uint64_t record_offset;
    enum trace_read final; /* TRACE_READ_RECORD while more may come */
    char err[512];
};

static size_t src_read(struct trace_reader *r, void *buf, size_t n)
{
    size_t got;
    if (r->f) {
        got = fread(buf, 1, n, r->f);
    } else {
        size_t left = r->mem_len - r->mem_pos;
        got = n < left ? n : left;
        if (got)
            memcpy(buf, r->mem + r->mem_pos, got);
        r->mem_pos += got;
    }
    r->offset += got;
    return got;
}

/* Set the message "NAME: byte OFF: ..." and the final state. */
static enum trace_read fail(struct trace_reader *r, enum trace_read how, uint64_t off,
                            const char *fmt, ...)
{
    int n = snprintf(r->err, sizeof(r->err), "%s: byte %" PRIu64 ": ", r->name, off);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err + n, sizeof(r->err) - (size_t)n, fmt, ap);
    va_end(ap);
    r->final = how;
    return how;
}

/* ---- header ---- */

/* A cursor over the header bytes with bounds checks. */
struct cursor {
    const uint8_t *p;
    size_t pos, end;
    bool overrun;
};

static const uint8_t *take(struct cursor *c, size_t n)
{
    if (c->overrun || n > c->end - c->pos) {
        c->overrun = true;
        return NULL;
    }
    const uint8_t *p = c->p + c->pos;
    c->pos += n;
    return p;
}

static bool parse_items(struct trace_reader *r, struct cursor *c)
{
    const uint8_t *p = take(c, 2);
    if (!p)
        return false;
    unsigned n = trace_get16(p);
    if (n > TRACE_ITEMS_MAX) {
        fail(r, TRACE_READ_ERROR, c->pos - 2, "%u configuration items, at most %u allowed", n,
             TRACE_ITEMS_MAX);
        return false;
    }
    for (unsigned i = 0; i < n; i++) {
        size_t at = c->pos;
        const uint8_t *kl = take(c, 1);
        if (!kl)
            return false;
        if (*kl == 0 || *kl >= TRACE_KEY_MAX) {
            fail(r, TRACE_READ_ERROR, at, "configuration key length %u out of range (1 to %u)", *kl,
                 TRACE_KEY_MAX - 1);
            return false;
        }
        const uint8_t *key = take(c, *kl);
        const uint8_t *val = take(c, 8);
        if (!key || !val)
            return false;
        struct trace_item *it = &r->hdr.item[r->hdr.nitems++];
        memcpy(it->key, key, *kl);
        it->key[*kl] = 0;
        it->value = trace_get64(val);
    }
    return true;
}

static bool parse_header(struct trace_reader *r, const uint8_t *h, size_t len)
{
    struct cursor c = {h, 16, len - 4, false};
    const uint8_t *vl = take(&c, 1);
    if (vl && *vl >= sizeof(r->hdr.sim_version)) {
        fail(r, TRACE_READ_ERROR, 16, "a64sim version string of %u bytes is too long", *vl);
        return false;
    }
    const uint8_t *v = vl ? take(&c, *vl) : NULL;
    if (v)
        memcpy(r->hdr.sim_version, v, *vl);
    const uint8_t *hash = take(&c, 8);
    if (hash)
        r->hdr.config_hash = trace_get64(hash);
    /* parse_items fails either by running off the end (reported below)
     * or with its own message. */
    if (!c.overrun && !parse_items(r, &c) && !c.overrun)
        return false;
    if (c.overrun) {
        fail(r, TRACE_READ_ERROR, c.pos, "header field overruns the %zu-byte header", len);
        return false;
    }
    if (c.pos != c.end) {
        fail(r, TRACE_READ_ERROR, c.pos, "%zu unexpected bytes at the end of the header",
             c.end - c.pos);
        return false;
    }
    return true;
}

static bool read_header(struct trace_reader *r)
{
    uint8_t fixed[16];
    size_t n = src_read(r, fixed, sizeof(fixed));
    if (n == 0) {
        fail(r, TRACE_READ_ERROR, 0, "empty file, not an a64sim trace");
        return false;
    }
    size_t cmp = n < TRACE_MAGIC_LEN ? n : TRACE_MAGIC_LEN;
    if (memcmp(fixed, TRACE_MAGIC, cmp)) {
        fail(r, TRACE_READ_ERROR, 0, "bad magic: not an a64sim trace (expected \"%s\")",
             TRACE_MAGIC);
        return false;
    }
    if (n < 12) {
        fail(r, TRACE_READ_ERROR, n, "truncated header: the file ends after %zu bytes", n);
        return false;
    }
    r->hdr.version = trace_get32(fixed + 8);
    r->kind_end = trace_kind_end(r->hdr.version);
    if (!r->kind_end) {
        fail(r, TRACE_READ_ERROR, 8,
             "unknown format version %" PRIu32 " (this a64sim reads versions %u to %u)",
             r->hdr.version, TRACE_FORMAT_OLDEST, TRACE_FORMAT_VERSION);
        return false;
    }
    if (n < 16) {
        fail(r, TRACE_READ_ERROR, n, "truncated header: the file ends after %zu bytes", n);
        return false;
    }
    uint32_t len = trace_get32(fixed + 12);
    if (len < MIN_HEADER_LEN || len > TRACE_HEADER_MAX) {
        fail(r, TRACE_READ_ERROR, 12, "header length %" PRIu32 " out of range (%u to %u)", len,
             MIN_HEADER_LEN, TRACE_HEADER_MAX);
        return false;
    }
    uint8_t *h = malloc(len);
    if (!h)
        host_out_of_memory();
    memcpy(h, fixed, 16);
    size_t got = 16 + src_read(r, h + 16, len - 16);
    bool ok = false;
    if (got < len) {
        fail(r, TRACE_READ_ERROR, got,
             "truncated header: the file ends after %zu bytes, inside the %" PRIu32 "-byte header",
             got, len);
    } else if (CHECKSUM_BAD(trace_get32(h + len - 4), trace_crc32c(0, h, len - 4))) {
        fail(r, TRACE_READ_ERROR, len - 4,
             "header checksum mismatch (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32 ")",
             trace_get32(h + len - 4), trace_crc32c(0, h, len - 4));
    } else {
        ok = parse_header(r, h, len);
    }
    free(h);
    return ok;
}

static struct trace_reader *finish_open(struct trace_reader *r, char *err, size_t errlen)
{
    r->final = TRACE_READ_RECORD;
    if (read_header(r))
        return r;
    snprintf(err, errlen, "%s", r->err);
    trace_reader_free(r);
    return NULL;
}

struct trace_reader *trace_reader_open(const char *path, char *err, size_t errlen)
{
    struct trace_reader *r = calloc(1, sizeof(*r));
    if (!r)
        host_out_of_memory();
    snprintf(r->name, sizeof(r->name), "%s", path);
    char why[128];
    int fd = host_open_input(path, why, sizeof(why));
    r->f = fd < 0 ? NULL : fdopen(fd, "rb");
    if (!r->f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, fd < 0 ? why : strerror(errno));
        if (fd >= 0)
            close(fd);
        free(r);
        return NULL;
    }
    return finish_open(r, err, errlen);
}

struct trace_reader *trace_reader_open_memory(const uint8_t *data, size_t len, const char *name,
                                              char *err, size_t errlen)
{
    struct trace_reader *r = calloc(1, sizeof(*r));
    if (!r)
        host_out_of_memory();
    snprintf(r->name, sizeof(r->name), "%s", name);
    r->mem = data;
    r->mem_len = len;
    return finish_open(r, err, errlen);
}

void trace_reader_free(struct trace_reader *r)
{
    if (!r)
        return;
    if (r->f)
        fclose(r->f);
    free(r->block);
    free(r);
}

const struct trace_header *trace_reader_header(const struct trace_reader *r)
{
    return &r->hdr;
}

const char *trace_reader_name(const struct trace_reader *r)
{
    return r->name;
}

/* ---- blocks ---- */

static enum trace_read cut_short(struct trace_reader *r, uint64_t block_start, const char *where)
{
    return fail(r, TRACE_READ_CUT_SHORT, r->offset,
                "cut short: the file ends %s (the run was killed or the file was "
                "truncated); the %" PRIu64 " records before byte %" PRIu64 " are complete",
                where, r->complete_records, block_start);
}

/* A record header, in either form. */
struct rec_head {
    unsigned kind, pe, size; /* size: of the header */
    uint32_t len;
    int64_t delta;
};

/* Decode the header at P with LEFT bytes left in the block; false if it
 * does not fit. */
static bool read_head(const uint8_t *p, uint32_t left, struct rec_head *h)
{
    bool short_form = p[0] & TRACE_RECORD_SHORT;
    h->size = short_form ? TRACE_RECORD_SHORT_SIZE : TRACE_RECORD_LONG_SIZE;
    if (left < h->size)
        return false;
    h->kind = p[0] & ~TRACE_RECORD_SHORT & 0xffu;
    h->pe = p[1];
    h->len = short_form ? p[3] : trace_get16(p + 2);
    h->delta = short_form ? p[2] : (int32_t)trace_get32(p + 4);
    return true;
}

/* Whether LEN is a payload length KIND may have; SEQ_OK: an insn record
 * may leave out its PC here. */
static bool length_ok(const struct trace_kind_desc *d, unsigned kind, uint32_t len, bool seq_ok)
{
    unsigned fixed = trace_kind_fixed_len(kind);
    if (kind == TRACE_INSN)
        return len == fixed || (len == TRACE_INSN_SEQ_LEN && seq_ok);
    return d->text ? len >= fixed : len == fixed;
}

/* Check every record of the block just read; returns false after fail(). */
static bool check_records(struct trace_reader *r, uint32_t count)
{
    uint32_t pos = 0, n = 0;
    uint64_t has_insn[4] = {0}; /* PEs with an insn record earlier in this block */
    while (pos < r->block_len) {
        uint64_t at = r->block_offset + pos;
        uint32_t left = r->block_len - pos;
        struct rec_head h;
        if (!read_head(r->block + pos, left, &h)) {
            fail(r, TRACE_READ_ERROR, at,
                 "record header overruns its block (%" PRIu32 " bytes left)", left);
            return false;
        }
        /* A kind of a later version than the file's is as unknown as any. */
        const struct trace_kind_desc *d = h.kind < r->kind_end ? trace_kind_desc(h.kind) : NULL;
        if (!d) {
            fail(r, TRACE_READ_ERROR, at, "record kind %u out of range (1 to %u)", h.kind,
                 r->kind_end - 1);
            return false;
        }
        left -= h.size;
        if (h.len > left) {
            fail(r, TRACE_READ_ERROR, at,
                 "record length %" PRIu32 " overruns its block (%" PRIu32 " bytes left)", h.len,
                 left);
            return false;
        }
        bool seq_ok = (has_insn[h.pe / 64] >> (h.pe % 64)) & 1;
        if (!length_ok(d, h.kind, h.len, seq_ok)) {
            fail(r, TRACE_READ_ERROR, at, "%s record has length %" PRIu32 ", expected %s%u%s",
                 d->name, h.len, d->text ? "at least " : "", trace_kind_fixed_len(h.kind),
                 h.kind == TRACE_INSN && h.len == TRACE_INSN_SEQ_LEN
                     ? " (no earlier insn of its PE in the block to count the PC from)"
                     : "");
            return false;
        }
        if (h.kind == TRACE_INSN)
            has_insn[h.pe / 64] |= 1ull << (h.pe % 64);
        pos += h.size + h.len;
        n++;
    }
    if (n != count) {
        fail(r, TRACE_READ_ERROR, r->block_offset - TRACE_BLOCK_HEADER_SIZE,
             "block holds %" PRIu32 " records, its header says %" PRIu32, n, count);
        return false;
    }
    return true;
}

static enum trace_read read_end(struct trace_reader *r, const uint8_t *h, uint64_t start)
{
    if (CHECKSUM_BAD(trace_get32(h + 20), trace_crc32c(0, h, 20)))
        return fail(r, TRACE_READ_ERROR, start, "end marker checksum mismatch");
    uint64_t count = trace_get64(h + 4), blocks = trace_get64(h + 12);
    if (count != r->records || blocks != r->blocks)
        return fail(r, TRACE_READ_ERROR, start,
                    "end marker counts %" PRIu64 " records in %" PRIu64
                    " blocks, the file holds %" PRIu64 " in %" PRIu64,
                    count, blocks, r->records, r->blocks);
    uint8_t extra;
    if (src_read(r, &extra, 1))
        return fail(r, TRACE_READ_ERROR, start + TRACE_BLOCK_HEADER_SIZE,
                    "data after the end marker");
    r->final = TRACE_READ_END;
    return TRACE_READ_END;
}

static enum trace_read load_block(struct trace_reader *r)
{
    uint64_t start = r->offset;
    uint8_t h[TRACE_BLOCK_HEADER_SIZE];
    size_t n = src_read(r, h, sizeof(h));
    if (n == 0)
        return cut_short(r, start, "without its end marker");
    if (n < 4)
        return cut_short(r, start, "inside a block header");
    uint32_t magic = trace_get32(h);
    if (magic != TRACE_BLOCK_MAGIC && magic != TRACE_END_MAGIC)
        return fail(r, TRACE_READ_ERROR, start,
                    "bad block marker 0x%08" PRIx32 " (expected a block or the end marker)", magic);
    if (n < sizeof(h))
        return cut_short(
            r, start, magic == TRACE_END_MAGIC ? "inside the end marker" : "inside a block header");
    if (magic == TRACE_END_MAGIC)
        return read_end(r, h, start);
    uint32_t len = trace_get32(h + 4);
    if (len > TRACE_BLOCK_MAX)
        return fail(r, TRACE_READ_ERROR, start + 4,
                    "block length %" PRIu32 " exceeds the maximum %u", len, TRACE_BLOCK_MAX);
    r->block_offset = start + TRACE_BLOCK_HEADER_SIZE;
    if (len > r->block_cap) {
        /* Grown to what blocks need, never beyond TRACE_BLOCK_MAX. */
        free(r->block);
        r->block = malloc(len);
        if (!r->block)
            host_out_of_memory();
        r->block_cap = len;
    }
    if (src_read(r, r->block, len) < len)
        return cut_short(r, start, "inside a block");
    uint32_t crc = trace_crc32c(trace_crc32c(0, h, 20), r->block, len);
    if (CHECKSUM_BAD(trace_get32(h + 20), crc))
        return fail(r, TRACE_READ_ERROR, start,
                    "block checksum mismatch (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32 ")",
                    trace_get32(h + 20), crc);
    r->block_len = len;
    if (!check_records(r, trace_get32(h + 8)))
        return TRACE_READ_ERROR;
    r->block_pos = 0;
    r->cycle = trace_get64(h + 12);
    r->blocks++;
    r->complete_records += trace_get32(h + 8);
    return TRACE_READ_RECORD;
}

/* Give an insn record its long form: the PC is the previous one of the
 * same PE plus 4 when the file left it out. */
static void expand_insn(struct trace_reader *r, struct trace_record *rec)
{
    bool seq = rec->len == TRACE_INSN_SEQ_LEN;
    uint64_t pc = seq ? r->last_pc[rec->pe] + 4 : trace_get64(rec->payload);
    uint32_t enc = trace_get32(rec->payload + (seq ? 0 : 8));
    r->last_pc[rec->pe] = pc;
    trace_put64(r->insn, pc);
    trace_put32(r->insn + 8, enc);
    rec->payload = r->insn;
    rec->len = TRACE_INSN_LEN;
}

enum trace_read trace_reader_next(struct trace_reader *r, struct trace_record *rec)
{
    while (r->final == TRACE_READ_RECORD && r->block_pos >= r->block_len) {
        r->block_len = r->block_pos = 0;
        if (load_block(r) != TRACE_READ_RECORD)
            return r->final;
    }
    if (r->final != TRACE_READ_RECORD)
        return r->final;
    const uint8_t *p = r->block + r->block_pos;
    struct rec_head h;
    read_head(p, r->block_len - r->block_pos, &h); /* checked by check_records */
    r->cycle += (uint64_t)h.delta;
    *rec = (struct trace_record){
        .kind = (uint8_t)h.kind,
        .pe = (uint8_t)h.pe,
        .len = (uint16_t)h.len,
        .cycle = r->cycle,
        .payload = p + h.size,
    };
    if (h.kind == TRACE_INSN)
        expand_insn(r, rec);
    r->record_offset = r->block_offset + r->block_pos;
    r->block_pos += h.size + h.len;
    r->records++;
    return TRACE_READ_RECORD;
}

const char *trace_reader_error(const struct trace_reader *r)
{
    return r->err;
}

uint64_t trace_reader_count(const struct trace_reader *r)
{
    return r->records;
}

uint64_t trace_reader_offset(const struct trace_reader *r)
{
    return r->record_offset;
}
