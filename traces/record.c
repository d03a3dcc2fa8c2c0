/* The recorder. Records are encoded straight into the block being built;
 * a block is closed when the next record would take it past
 * TRACE_BLOCK_TARGET or its cycle delta would not fit in 32 bits, and is
 * written with one write(2), so a killed run loses at most the block in
 * progress. Where blocks end depends only on the records, never on the
 * host, which keeps two recordings of the same run byte-identical.
 *
 * Verifying, each record is encoded the same way and compared with the
 * next record of the recording: encoding is canonical, so equal runs give
 * equal bytes and the comparison is a memcmp. */
#include "traces/record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "traces/reader.h"
#include "sim/host.h"

#define MAX_RECORD (TRACE_RECORD_LONG_SIZE + TRACE_PAYLOAD_MAX)
#define BUF_SIZE   (TRACE_BLOCK_HEADER_SIZE + TRACE_BLOCK_TARGET + MAX_RECORD)
#define BLOCK_END  (TRACE_BLOCK_HEADER_SIZE + TRACE_BLOCK_TARGET)
/* The largest insn record: long header and the PC. */
#define INSN_MAX (TRACE_RECORD_LONG_SIZE + TRACE_INSN_LEN)

struct trace_rec {
    bool verify;
    bool fast;    /* the instruction fast path may be used: writing, not stopped */
    bool started; /* trace_rec_start succeeded */
    bool stopped;
    struct trace_header header;
    uint64_t total;

    /* Writing. */
    char path[1024];
    int fd;
    bool regular;  /* path is a regular file this recorder created: removed if it fails */
    uint8_t *buf;  /* block header space, then the records */
    size_t pos;    /* end of the records in buf */
    uint32_t nrec; /* records in the open block */
    uint64_t base; /* cycle of the block's first record */
    uint64_t last; /* cycle of the block's last record */
    uint64_t blocks;
    /* Each PE's last insn record in the open block: an insn at the next
     * PC needs no PC of its own. */
    uint64_t insn_pc[256];
    uint64_t has_insn[4]; /* bit per PE: insn_pc is valid */
    char err[1200];

    /* Verifying. */
    struct trace_reader *expect;
    unsigned kind_end; /* one past the last kind the recording's version has */
    struct trace_ring ring;
    struct trace_divergence div;
    uint8_t *expected_buf, *actual_buf;
};

static struct trace_rec *rec_new(void)
{
    struct trace_rec *t = calloc(1, sizeof(*t));
    if (!t)
        host_out_of_memory();
    t->fd = -1;
    t->buf = malloc(BUF_SIZE);
    if (!t->buf)
        host_out_of_memory();
    t->pos = TRACE_BLOCK_HEADER_SIZE;
    return t;
}

struct trace_rec *trace_rec_new_file(const char *path)
{
    struct trace_rec *t = rec_new();
    snprintf(t->path, sizeof(t->path), "%s", path);
    return t;
}

struct trace_rec *trace_rec_new_verify(struct trace_reader *expect)
{
    struct trace_rec *t = rec_new();
    t->verify = true;
    t->expect = expect;
    t->kind_end = trace_kind_end(trace_reader_header(expect)->version);
    t->expected_buf = malloc(TRACE_PAYLOAD_MAX);
    t->actual_buf = malloc(TRACE_PAYLOAD_MAX);
    if (!t->expected_buf || !t->actual_buf)
        host_out_of_memory();
    t->div.context = &t->ring;
    return t;
}

void trace_rec_free(struct trace_rec *t)
{
    if (!t)
        return;
    if (t->fd >= 0)
        close(t->fd);
    free(t->buf);
    free(t->expected_buf);
    free(t->actual_buf);
    trace_ring_free(&t->ring);
    free(t);
}

/* ---- writing ---- */

static bool write_all(struct trace_rec *t, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(t->fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(t->err, sizeof(t->err), "%s: cannot write the trace: %s", t->path,
                     w < 0 ? strerror(errno) : "no progress");
            t->stopped = true;
            t->fast = false;
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static void flush_block(struct trace_rec *t)
{
    if (!t->nrec || t->stopped)
        return;
    uint8_t *h = t->buf;
    uint32_t len = (uint32_t)(t->pos - TRACE_BLOCK_HEADER_SIZE);
    trace_put32(h, TRACE_BLOCK_MAGIC);
    trace_put32(h + 4, len);
    trace_put32(h + 8, t->nrec);
    trace_put64(h + 12, t->base);
    trace_put32(h + 20, trace_crc32c(trace_crc32c(0, h, 20), h + TRACE_BLOCK_HEADER_SIZE, len));
    write_all(t, t->buf, t->pos);
    t->blocks++;
    t->pos = TRACE_BLOCK_HEADER_SIZE;
    t->nrec = 0;
    memset(t->has_insn, 0, sizeof(t->has_insn));
}

/* A trace that could not be written whole is not left behind half-written
 * (a device such as /dev/full is not removed, only files). */
static void discard(struct trace_rec *t)
{
    if (t->fd >= 0) {
        close(t->fd);
        t->fd = -1;
    }
    if (t->regular)
        unlink(t->path);
    t->regular = false;
}

bool trace_rec_start(struct trace_rec *t, const struct trace_header *h, char *err, size_t errlen)
{
    t->header = *h;
    t->started = true;
    if (t->verify)
        return true;
    t->fd = open(t->path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (t->fd < 0) {
        snprintf(err, errlen, "%s: cannot create for --trace: %s", t->path, strerror(errno));
        return false;
    }
    struct stat st;
    t->regular = fstat(t->fd, &st) == 0 && S_ISREG(st.st_mode);
    size_t len;
    uint8_t *bytes = trace_header_encode(h, &len);
    bool ok = write_all(t, bytes, len);
    free(bytes);
    if (!ok) {
        snprintf(err, errlen, "%s", t->err);
        discard(t);
        return false;
    }
    t->fast = true;
    return true;
}

/* Make room for a record of up to NEED bytes at CYCLE, closing the block
 * if it is full or the cycle delta would not fit its 32 bits. */
static void make_room(struct trace_rec *t, uint64_t cycle, size_t need)
{
    int64_t delta = (int64_t)(cycle - t->last);
    if (t->nrec && (t->pos + need > BLOCK_END || delta != (int32_t)delta))
        flush_block(t);
    if (!t->nrec)
        t->base = t->last = cycle;
}

/* Write a record header at P, in the short form when it fits; returns
 * its size. */
static size_t put_record_header(uint8_t *p, unsigned kind, unsigned pe, size_t len, int32_t delta)
{
    p[1] = (uint8_t)pe;
    if (delta >= 0 && delta <= 0xff && len <= 0xff) {
        p[0] = (uint8_t)(kind | TRACE_RECORD_SHORT);
        p[2] = (uint8_t)delta;
        p[3] = (uint8_t)len;
        return TRACE_RECORD_SHORT_SIZE;
    }
    p[0] = (uint8_t)kind;
    trace_put16(p + 2, (uint16_t)len);
    trace_put32(p + 4, (uint32_t)delta);
    return TRACE_RECORD_LONG_SIZE;
}

/* Append an insn record to the open block (room and delta checked). */
static void put_insn(struct trace_rec *t, unsigned pe, int32_t delta, uint64_t pc, uint32_t insn)
{
    uint8_t *p = t->buf + t->pos;
    uint64_t bit = 1ull << (pe % 64);
    bool seq = (t->has_insn[pe / 64] & bit) && pc == t->insn_pc[pe] + 4;
    size_t h =
        put_record_header(p, TRACE_INSN, pe, seq ? TRACE_INSN_SEQ_LEN : TRACE_INSN_LEN, delta);
    if (seq) {
        trace_put32(p + h, insn);
        t->pos += h + TRACE_INSN_SEQ_LEN;
    } else {
        trace_put64(p + h, pc);
        trace_put32(p + h + 8, insn);
        t->pos += h + TRACE_INSN_LEN;
    }
    t->insn_pc[pe] = pc;
    t->has_insn[pe / 64] |= bit;
    t->nrec++;
    t->total++;
}

/* ---- verifying ---- */

static void keep(uint8_t *buf, struct trace_record *dst, const struct trace_record *src)
{
    memcpy(buf, src->payload, src->len);
    *dst = *src;
    dst->payload = buf;
}

static void verify(struct trace_rec *t, const struct trace_record *actual)
{
    struct trace_record expected;
    enum trace_read got = trace_reader_next(t->expect, &expected);
    t->div.index = t->total;
    t->div.offset = trace_reader_offset(t->expect);
    if (got == TRACE_READ_RECORD && trace_record_equal(&expected, actual)) {
        trace_ring_push(&t->ring, actual);
        return;
    }
    t->stopped = true;
    keep(t->actual_buf, &t->div.actual, actual);
    switch (got) {
    case TRACE_READ_RECORD:
        t->div.verdict = TRACE_VERIFY_DIVERGED;
        keep(t->expected_buf, &t->div.expected, &expected);
        break;
    case TRACE_READ_END: t->div.verdict = TRACE_VERIFY_EXTRA; break;
    case TRACE_READ_CUT_SHORT:
        t->div.verdict = TRACE_VERIFY_CUT_SHORT;
        t->div.message = trace_reader_error(t->expect);
        break;
    case TRACE_READ_ERROR:
        t->div.verdict = TRACE_VERIFY_BAD_RECORDING;
        t->div.message = trace_reader_error(t->expect);
        break;
    }
}

/* ---- the common path ---- */

static void emit(struct trace_rec *t, unsigned kind, unsigned pe, uint64_t cycle,
                 const uint64_t *fields, const uint8_t *text, size_t text_len)
{
    if (!t || !t->started || t->stopped)
        return;
    if (text_len > TRACE_TEXT_MAX)
        text_len = TRACE_TEXT_MAX;
    if (t->verify) {
        if (kind >= t->kind_end)
            return;
        uint8_t *p = t->buf;
        size_t len = trace_encode_payload(kind, fields, text, text_len, p);
        struct trace_record rec = {(uint8_t)kind, (uint8_t)pe, (uint16_t)len, cycle, p};
        verify(t, &rec);
        t->total++;
        return;
    }
    unsigned fixed = trace_kind_fixed_len(kind);
    make_room(t, cycle, TRACE_RECORD_LONG_SIZE + fixed + text_len);
    int32_t delta = (int32_t)(cycle - t->last);
    t->last = cycle;
    if (kind == TRACE_INSN) {
        put_insn(t, pe, delta, fields[INSN_PC], (uint32_t)fields[INSN_ENCODING]);
        return;
    }
    uint8_t *p = t->buf + t->pos;
    size_t h = put_record_header(p, kind, pe, fixed + text_len, delta);
    size_t len = trace_encode_payload(kind, fields, text, text_len, p + h);
    t->pos += h + len;
    t->nrec++;
    t->total++;
}

bool trace_rec_finish(struct trace_rec *t, char *err, size_t errlen)
{
    if (!t->started)
        return true;
    if (t->verify) {
        if (t->stopped)
            return true;
        struct trace_record expected;
        enum trace_read got = trace_reader_next(t->expect, &expected);
        t->div.index = t->total;
        t->div.offset = trace_reader_offset(t->expect);
        if (got == TRACE_READ_RECORD) {
            t->div.verdict = TRACE_VERIFY_MISSING;
            keep(t->expected_buf, &t->div.expected, &expected);
        } else if (got != TRACE_READ_END) {
            t->div.verdict =
                got == TRACE_READ_CUT_SHORT ? TRACE_VERIFY_CUT_SHORT : TRACE_VERIFY_BAD_RECORDING;
            t->div.message = trace_reader_error(t->expect);
        }
        t->stopped = true;
        return true;
    }
    bool ok = !t->stopped;
    if (ok) {
        flush_block(t);
        uint8_t end[TRACE_BLOCK_HEADER_SIZE];
        trace_put32(end, TRACE_END_MAGIC);
        trace_put64(end + 4, t->total);
        trace_put64(end + 12, t->blocks);
        trace_put32(end + 20, trace_crc32c(0, end, 20));
        ok = write_all(t, end, sizeof(end));
    }
    if (t->fd >= 0 && close(t->fd) != 0 && ok) {
        snprintf(t->err, sizeof(t->err), "%s: cannot write the trace: %s", t->path,
                 strerror(errno));
        ok = false;
    }
    t->fd = -1;
    t->stopped = true;
    t->fast = false;
    if (!ok) {
        snprintf(err, errlen, "%s", t->err);
        discard(t);
    }
    return ok;
}

bool trace_rec_stopped(const struct trace_rec *t)
{
    return t && t->stopped;
}

uint64_t trace_rec_count(const struct trace_rec *t)
{
    return t->total;
}

const struct trace_header *trace_rec_header(const struct trace_rec *t)
{
    return &t->header;
}

const struct trace_divergence *trace_rec_divergence(const struct trace_rec *t)
{
    return &t->div;
}

/* ---- recording functions ---- */

void trace_insn(struct trace_rec *t, unsigned pe, uint64_t cycle, uint64_t pc, uint32_t insn)
{
    /* The fast path: straight into the open block, no table walk. */
    int64_t delta = t ? (int64_t)(cycle - t->last) : 0;
    if (t && t->fast && t->nrec && t->pos + INSN_MAX <= BLOCK_END && delta == (int32_t)delta) {
        t->last = cycle;
        put_insn(t, pe, (int32_t)delta, pc, insn);
        return;
    }
    uint64_t f[] = {pc, insn};
    emit(t, TRACE_INSN, pe, cycle, f, NULL, 0);
}

void trace_insn_hook(void *opaque, unsigned pe, uint64_t cycle, uint64_t pc, uint32_t insn)
{
    trace_insn(opaque, pe, cycle, pc, insn);
}

void trace_exception_entry(struct trace_rec *t, unsigned pe, uint64_t cycle,
                           enum trace_exc_type type, unsigned from_el, unsigned to_el, uint64_t esr,
                           uint64_t elr, uint64_t target)
{
    uint64_t f[] = {type, from_el, to_el, esr, elr, target};
    emit(t, TRACE_EXC_ENTRY, pe, cycle, f, NULL, 0);
}

void trace_exception_return(struct trace_rec *t, unsigned pe, uint64_t cycle, unsigned from_el,
                            unsigned to_el, uint64_t elr, uint64_t spsr)
{
    uint64_t f[] = {from_el, to_el, elr, spsr};
    emit(t, TRACE_EXC_RETURN, pe, cycle, f, NULL, 0);
}

void trace_irq_state(struct trace_rec *t, unsigned pe, uint64_t cycle, uint32_t intid,
                     enum trace_irq_transition transition, uint8_t priority)
{
    uint64_t f[] = {intid, transition, priority};
    emit(t, TRACE_IRQ_STATE, pe, cycle, f, NULL, 0);
}

void trace_irq_line(struct trace_rec *t, unsigned pe, uint64_t cycle, enum trace_line line,
                    bool level)
{
    uint64_t f[] = {line, level};
    emit(t, TRACE_IRQ_LINE, pe, cycle, f, NULL, 0);
}

void trace_daif(struct trace_rec *t, unsigned pe, uint64_t cycle, unsigned daif, uint64_t pc)
{
    uint64_t f[] = {daif & 0xf, pc};
    emit(t, TRACE_DAIF, pe, cycle, f, NULL, 0);
}

void trace_pmr(struct trace_rec *t, unsigned pe, uint64_t cycle, uint8_t pmr, uint64_t pc)
{
    uint64_t f[] = {pmr, pc};
    emit(t, TRACE_PMR, pe, cycle, f, NULL, 0);
}

void trace_vgic_lr(struct trace_rec *t, unsigned pe, uint64_t cycle, unsigned lr, uint64_t value,
                   uint64_t pc)
{
    uint64_t f[] = {lr, value, pc};
    emit(t, TRACE_VGIC_LR, pe, cycle, f, NULL, 0);
}

void trace_virq_state(struct trace_rec *t, unsigned pe, uint64_t cycle, uint32_t vintid,
                      unsigned transition, unsigned lr, uint8_t priority)
{
    uint64_t f[] = {vintid, transition, lr, priority};
    emit(t, TRACE_VIRQ_STATE, pe, cycle, f, NULL, 0);
}

void trace_maintenance(struct trace_rec *t, unsigned pe, uint64_t cycle, bool level, uint32_t misr)
{
    uint64_t f[] = {level, misr};
    emit(t, TRACE_MAINTENANCE, pe, cycle, f, NULL, 0);
}

void trace_timer(struct trace_rec *t, unsigned pe, uint64_t cycle, enum trace_timer timer,
                 bool level)
{
    uint64_t f[] = {timer, level};
    emit(t, TRACE_TIMER, pe, cycle, f, NULL, 0);
}

void trace_sleep(struct trace_rec *t, unsigned pe, uint64_t cycle, enum trace_wait how, uint64_t pc)
{
    uint64_t f[] = {how, pc};
    emit(t, TRACE_SLEEP, pe, cycle, f, NULL, 0);
}

void trace_wake(struct trace_rec *t, unsigned pe, uint64_t cycle, enum trace_wait how)
{
    uint64_t f[] = {how};
    emit(t, TRACE_WAKE, pe, cycle, f, NULL, 0);
}

void trace_psci(struct trace_rec *t, unsigned pe, uint64_t cycle, uint32_t function, uint64_t x1,
                uint64_t x2, uint64_t x3, uint64_t result)
{
    uint64_t f[] = {function, x1, x2, x3, result};
    emit(t, TRACE_PSCI, pe, cycle, f, NULL, 0);
}

void trace_uart_tx(struct trace_rec *t, unsigned pe, uint64_t cycle, uint8_t byte)
{
    uint64_t f[] = {byte};
    emit(t, TRACE_UART_TX, pe, cycle, f, NULL, 0);
}

void trace_mmio(struct trace_rec *t, unsigned pe, uint64_t cycle, uint64_t pa, unsigned size,
                bool write, uint64_t value, enum trace_mmio_result result)
{
    uint64_t f[] = {pa, value, size, write, result};
    emit(t, TRACE_MMIO, pe, cycle, f, NULL, 0);
}

void trace_input_uart_rx(struct trace_rec *t, uint64_t cycle, const uint8_t *text, size_t len)
{
    emit(t, TRACE_INPUT_UART_RX, TRACE_PE_NONE, cycle, NULL, text, len);
}

void trace_input_spi(struct trace_rec *t, uint64_t cycle, uint32_t intid, bool level)
{
    uint64_t f[] = {intid, level};
    emit(t, TRACE_INPUT_SPI, TRACE_PE_NONE, cycle, f, NULL, 0);
}

void trace_input_msi(struct trace_rec *t, uint64_t cycle, uint32_t devid, uint32_t eventid)
{
    uint64_t f[] = {devid, eventid};
    emit(t, TRACE_INPUT_MSI, TRACE_PE_NONE, cycle, f, NULL, 0);
}

void trace_input_host_uart(struct trace_rec *t, uint64_t cycle, uint64_t pull, uint8_t byte)
{
    uint64_t f[] = {pull, byte};
    emit(t, TRACE_INPUT_HOST_UART, TRACE_PE_NONE, cycle, f, NULL, 0);
}

void trace_run_end(struct trace_rec *t, unsigned pe, uint64_t cycle, enum trace_end_reason reason,
                   int32_t exit_code, uint64_t insns, uint64_t cycles)
{
    uint64_t f[] = {reason, (uint32_t)exit_code, insns, cycles};
    emit(t, TRACE_RUN_END, pe, cycle, f, NULL, 0);
}

void trace_pe_state(struct trace_rec *t, unsigned pe, uint64_t cycle,
                    const struct trace_pe_state *s)
{
    uint64_t f[TRACE_PE_STATE_WORDS];
    trace_pe_state_words(s, f);
    emit(t, TRACE_PE_STATE, pe, cycle, f, NULL, 0);
}
