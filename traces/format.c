/* The trace format as data: one table gives every kind's name and payload
 * layout, and the writer, the reader and the dump all work from it, so
 * they cannot disagree about a field. */
#include "traces/format.h"
#include "sim/host.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct trace_kind_desc kinds[TRACE_KIND_END] = {
    [TRACE_INSN] = {"insn", 2, {{"pc", 8, 0}, {"encoding", 4, 0}}, false},
    [TRACE_EXC_ENTRY] = {"exc-entry",
                         6,
                         {{"type", 1, 0},
                          {"from_el", 1, 0},
                          {"to_el", 1, 0},
                          {"esr", 8, 0},
                          {"elr", 8, 0},
                          {"target", 8, 0}},
                         false},
    [TRACE_EXC_RETURN] = {"exc-return",
                          4,
                          {{"from_el", 1, 0}, {"to_el", 1, 0}, {"elr", 8, 0}, {"spsr", 8, 0}},
                          false},
    [TRACE_IRQ_STATE] = {"irq-state",
                         3,
                         {{"intid", 4, 0}, {"transition", 1, 0}, {"priority", 1, 0}},
                         false},
    [TRACE_IRQ_LINE] = {"irq-line", 2, {{"line", 1, 0}, {"level", 1, 0}}, false},
    [TRACE_DAIF] = {"daif", 2, {{"daif", 1, 0}, {"pc", 8, 0}}, false},
    [TRACE_PMR] = {"pmr", 2, {{"pmr", 1, 0}, {"pc", 8, 0}}, false},
    [TRACE_TIMER] = {"timer", 2, {{"timer", 1, 0}, {"level", 1, 0}}, false},
    [TRACE_SLEEP] = {"sleep", 2, {{"how", 1, 0}, {"pc", 8, 0}}, false},
    [TRACE_WAKE] = {"wake", 1, {{"how", 1, 0}}, false},
    [TRACE_PSCI] =
        {"psci",
         5,
         {{"function", 4, 0}, {"x1", 8, 0}, {"x2", 8, 0}, {"x3", 8, 0}, {"result", 8, 0}},
         false},
    [TRACE_UART_TX] = {"uart-tx", 1, {{"byte", 1, 0}}, false},
    [TRACE_MMIO] =
        {"mmio",
         5,
         {{"pa", 8, 0}, {"value", 8, 0}, {"size", 1, 0}, {"write", 1, 0}, {"result", 1, 0}},
         false},
    [TRACE_INPUT_UART_RX] = {"input-uart-rx", 0, {{0}}, true},
    [TRACE_INPUT_SPI] = {"input-spi", 2, {{"intid", 4, 0}, {"level", 1, 0}}, false},
    [TRACE_INPUT_HOST_UART] = {"input-host-uart", 2, {{"pull", 8, 0}, {"byte", 1, 0}}, false},
    [TRACE_RUN_END] = {"run-end",
                       4,
                       {{"reason", 1, 0}, {"exit_code", 4, 0}, {"insns", 8, 0}, {"cycles", 8, 0}},
                       false},
    [TRACE_PE_STATE] = {"pe-state",
                        7,
                        {{"pc", 8, 0},
                         {"pstate", 8, 0},
                         {"sp", 8, 0},
                         {"x", 8, 31},
                         {"fpcr", 8, 0},
                         {"fpsr", 8, 0},
                         {"v", 16, 32}},
                        false},
    [TRACE_VGIC_LR] = {"vgic-lr", 3, {{"lr", 1, 0}, {"value", 8, 0}, {"pc", 8, 0}}, false},
    [TRACE_VIRQ_STATE] =
        {"virq-state",
         4,
         {{"vintid", 4, 0}, {"transition", 1, 0}, {"lr", 1, 0}, {"priority", 1, 0}},
         false},
    [TRACE_MAINTENANCE] = {"maintenance", 2, {{"level", 1, 0}, {"misr", 4, 0}}, false},
    [TRACE_INPUT_MSI] = {"input-msi", 2, {{"devid", 4, 0}, {"eventid", 4, 0}}, false},
};

/* The kinds of each format version: version 2 added pe-state, version 3
 * the virtual CPU interface's vgic-lr, virq-state and maintenance, version
 * 4 input-msi. */
static const uint8_t version_kind_end[] = {[1] = TRACE_RUN_END + 1,
                                           [2] = TRACE_PE_STATE + 1,
                                           [3] = TRACE_MAINTENANCE + 1,
                                           [4] = TRACE_INPUT_MSI + 1};
_Static_assert(sizeof(version_kind_end) == TRACE_FORMAT_VERSION + 1, "a kind set per version");
_Static_assert(TRACE_INPUT_MSI + 1 == TRACE_KIND_END, "the current version has every kind");

const struct trace_kind_desc *trace_kind_desc(unsigned kind)
{
    if (kind == 0 || kind >= TRACE_KIND_END)
        return NULL;
    return &kinds[kind];
}

unsigned trace_kind_end(uint32_t version)
{
    if (version < TRACE_FORMAT_OLDEST || version > TRACE_FORMAT_VERSION)
        return 0;
    return version_kind_end[version];
}

unsigned trace_kind_by_name(const char *name)
{
    for (unsigned k = 1; k < TRACE_KIND_END; k++)
        if (!strcmp(kinds[k].name, name))
            return k;
    return 0;
}

static unsigned field_count(const struct trace_field *f)
{
    return f->count ? f->count : 1;
}

static unsigned field_size(const struct trace_field *f)
{
    return f->width * field_count(f);
}

/* Payload bytes of each kind's fields, summed once from the table. */
static uint16_t fixed_len[TRACE_KIND_END];
static bool fixed_len_ready;

unsigned trace_kind_fixed_len(unsigned kind)
{
    if (!fixed_len_ready) {
        for (unsigned k = 1; k < TRACE_KIND_END; k++)
            for (unsigned i = 0; i < kinds[k].nfields; i++)
                fixed_len[k] = (uint16_t)(fixed_len[k] + field_size(&kinds[k].field[i]));
        fixed_len_ready = true;
    }
    return kind < TRACE_KIND_END ? fixed_len[kind] : 0;
}

static uint64_t get_le(const uint8_t *p, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

uint64_t trace_field(const struct trace_record *rec, unsigned idx)
{
    const struct trace_kind_desc *d = trace_kind_desc(rec->kind);
    assert(d && idx < d->nfields && !d->field[idx].count && d->field[idx].width <= 8);
    unsigned off = 0;
    for (unsigned i = 0; i < idx; i++)
        off += field_size(&d->field[i]);
    return get_le(rec->payload + off, d->field[idx].width);
}

size_t trace_decode_payload(const struct trace_record *rec, uint64_t *words)
{
    const struct trace_kind_desc *d = trace_kind_desc(rec->kind);
    assert(d && rec->len >= trace_kind_fixed_len(rec->kind));
    const uint8_t *p = rec->payload;
    size_t n = 0;
    for (unsigned i = 0; i < d->nfields; i++) {
        const struct trace_field *f = &d->field[i];
        /* A 16-byte value is two 8-byte words, bits 63:0 first. */
        unsigned w = f->width > 8 ? 8 : f->width;
        unsigned values = field_count(f) * (f->width / w);
        for (unsigned v = 0; v < values; v++, p += w) {
            assert(n < TRACE_MAX_WORDS);
            words[n++] = get_le(p, w);
        }
    }
    return n;
}

const uint8_t *trace_text(const struct trace_record *rec, size_t *len)
{
    unsigned fixed = trace_kind_fixed_len(rec->kind);
    *len = rec->len > fixed ? rec->len - fixed : 0;
    return rec->payload + fixed;
}

bool trace_record_equal(const struct trace_record *a, const struct trace_record *b)
{
    return a->kind == b->kind && a->pe == b->pe && a->cycle == b->cycle && a->len == b->len &&
           !memcmp(a->payload, b->payload, a->len);
}

/* A list of names that stops at DIFF_NAMES and counts the rest. */
#define DIFF_NAMES 8
struct name_list {
    char *buf;
    size_t len, used;
    unsigned n;
};

static void name_add(struct name_list *l, const char *name, int index)
{
    if (l->n++ >= DIFF_NAMES || l->used >= l->len)
        return;
    int w = index < 0
                ? snprintf(l->buf + l->used, l->len - l->used, "%s%s", l->n > 1 ? ", " : "", name)
                : snprintf(l->buf + l->used, l->len - l->used, "%s%s%d", l->n > 1 ? ", " : "", name,
                           index);
    if (w > 0)
        l->used = (size_t)w < l->len - l->used ? l->used + (size_t)w : l->len - 1;
}

unsigned trace_record_diff(const struct trace_record *a, const struct trace_record *b, char *buf,
                           size_t len)
{
    const struct trace_kind_desc *d = trace_kind_desc(a->kind);
    assert(d && a->kind == b->kind && len > 0);
    assert(a->len >= trace_kind_fixed_len(a->kind) && b->len >= trace_kind_fixed_len(b->kind));
    struct name_list l = {buf, len, 0, 0};
    buf[0] = 0;
    if (a->pe != b->pe)
        name_add(&l, "pe", -1);
    if (a->cycle != b->cycle)
        name_add(&l, "cycle", -1);
    unsigned fixed = trace_kind_fixed_len(a->kind), off = 0;
    for (unsigned i = 0; i < d->nfields; i++) {
        const struct trace_field *f = &d->field[i];
        for (unsigned e = 0; e < field_count(f); e++, off += f->width)
            if (memcmp(a->payload + off, b->payload + off, f->width))
                name_add(&l, f->name, f->count ? (int)e : -1);
    }
    if (d->text && (a->len != b->len || memcmp(a->payload + fixed, b->payload + fixed,
                                               a->len > fixed ? a->len - fixed : 0)))
        name_add(&l, "text", -1);
    if (l.n > DIFF_NAMES && l.used < len)
        snprintf(buf + l.used, len - l.used, " and %u more", l.n - DIFF_NAMES);
    return l.n;
}

size_t trace_encode_payload(unsigned kind, const uint64_t *fields, const uint8_t *text,
                            size_t text_len, uint8_t *out)
{
    const struct trace_kind_desc *d = trace_kind_desc(kind);
    assert(d);
    size_t n = 0, w = 0;
    for (unsigned i = 0; i < d->nfields; i++) {
        const struct trace_field *f = &d->field[i];
        for (unsigned e = 0; e < field_count(f); e++) {
            switch (f->width) {
            case 1: out[n] = (uint8_t)fields[w++]; break;
            case 2: trace_put16(out + n, (uint16_t)fields[w++]); break;
            case 4: trace_put32(out + n, (uint32_t)fields[w++]); break;
            case 8: trace_put64(out + n, fields[w++]); break;
            default: /* 16: bits 63:0 first */
                trace_put64(out + n, fields[w++]);
                trace_put64(out + n + 8, fields[w++]);
                break;
            }
            n += f->width;
        }
    }
    if (d->text) {
        assert(n + text_len <= TRACE_PAYLOAD_MAX);
        if (text_len)
            memcpy(out + n, text, text_len);
        n += text_len;
    }
    return n;
}

/* ---- context ring ---- */

void trace_ring_push(struct trace_ring *ring, const struct trace_record *rec)
{
    unsigned i = ring->next;
    if (!ring->buf[i]) {
        ring->buf[i] = malloc(TRACE_PAYLOAD_MAX);
        if (!ring->buf[i])
            host_out_of_memory();
    }
    memcpy(ring->buf[i], rec->payload, rec->len);
    ring->rec[i] = *rec;
    ring->rec[i].payload = ring->buf[i];
    ring->next = (i + 1) % TRACE_CONTEXT;
    if (ring->count < TRACE_CONTEXT)
        ring->count++;
}

const struct trace_record *trace_ring_get(const struct trace_ring *ring, unsigned i)
{
    assert(i < ring->count);
    unsigned first = (ring->next + TRACE_CONTEXT - ring->count) % TRACE_CONTEXT;
    return &ring->rec[(first + i) % TRACE_CONTEXT];
}

void trace_ring_free(struct trace_ring *ring)
{
    for (unsigned i = 0; i < TRACE_CONTEXT; i++)
        free(ring->buf[i]);
    *ring = (struct trace_ring){0};
}

/* ---- header ---- */

void trace_header_add(struct trace_header *h, const char *key, uint64_t value)
{
    assert(h->nitems < TRACE_ITEMS_MAX);
    assert(strlen(key) < TRACE_KEY_MAX);
    struct trace_item *it = &h->item[h->nitems++];
    strcpy(it->key, key);
    it->value = value;
}

bool trace_header_get(const struct trace_header *h, const char *key, uint64_t *value)
{
    for (unsigned i = 0; i < h->nitems; i++) {
        if (!strcmp(h->item[i].key, key)) {
            *value = h->item[i].value;
            return true;
        }
    }
    return false;
}

void trace_header_hash(struct trace_header *h)
{
    uint64_t hash = TRACE_FNV_OFFSET;
    for (unsigned i = 0; i < h->nitems; i++) {
        uint8_t v[8];
        trace_put64(v, h->item[i].value);
        hash = trace_fnv1a(hash, h->item[i].key, strlen(h->item[i].key) + 1);
        hash = trace_fnv1a(hash, v, 8);
    }
    h->config_hash = hash;
}

uint8_t *trace_header_encode(const struct trace_header *h, size_t *len)
{
    size_t vlen = strlen(h->sim_version);
    size_t n = 16 + 1 + vlen + 8 + 2 + 4;
    for (unsigned i = 0; i < h->nitems; i++)
        n += 1 + strlen(h->item[i].key) + 8;
    assert(n <= TRACE_HEADER_MAX);
    uint8_t *p = malloc(n);
    if (!p)
        host_out_of_memory();
    memcpy(p, TRACE_MAGIC, TRACE_MAGIC_LEN);
    trace_put32(p + 8, h->version);
    trace_put32(p + 12, (uint32_t)n);
    size_t o = 16;
    p[o++] = (uint8_t)vlen;
    memcpy(p + o, h->sim_version, vlen);
    o += vlen;
    trace_put64(p + o, h->config_hash);
    o += 8;
    trace_put16(p + o, (uint16_t)h->nitems);
    o += 2;
    for (unsigned i = 0; i < h->nitems; i++) {
        size_t klen = strlen(h->item[i].key);
        p[o++] = (uint8_t)klen;
        memcpy(p + o, h->item[i].key, klen);
        o += klen;
        trace_put64(p + o, h->item[i].value);
        o += 8;
    }
    trace_put32(p + o, trace_crc32c(0, p, o));
    *len = n;
    return p;
}

/* ---- CRC-32C: the host's CRC instruction where there is one, else
 * slicing by 8 (eight tables fold eight input bytes per step). Either keeps
 * the checksum well below the cost of writing instruction traces. ---- */

#if defined(__x86_64__) && defined(__GNUC__)
/* SSE4.2's CRC32 instruction computes exactly this CRC (Castagnoli,
 * reflected), eight bytes at a time; used when the host has it. */
__attribute__((target("sse4.2"))) static uint32_t crc_sse42(uint32_t crc, const uint8_t *p,
                                                            size_t len)
{
    uint64_t c = crc;
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c = __builtin_ia32_crc32di(c, v);
    }
    crc = (uint32_t)c;
    while (len--)
        crc = __builtin_ia32_crc32qi(crc, *p++);
    return crc;
}
#define HAVE_CRC_HW() __builtin_cpu_supports("sse4.2")
#define CRC_HW        crc_sse42
#else
#define HAVE_CRC_HW()   0
#define CRC_HW(c, p, n) (c)
#endif

static uint32_t crc_table[8][256];
static bool crc_ready, crc_hw;

static void crc_init(void)
{
    for (unsigned i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
        crc_table[0][i] = c;
    }
    for (unsigned i = 0; i < 256; i++)
        for (unsigned t = 1; t < 8; t++)
            crc_table[t][i] = (crc_table[t - 1][i] >> 8) ^ crc_table[0][crc_table[t - 1][i] & 0xff];
    crc_hw = HAVE_CRC_HW();
    crc_ready = true;
}

uint32_t trace_crc32c(uint32_t crc, const void *data, size_t len)
{
    if (!crc_ready)
        crc_init();
    if (!crc_hw)
        return trace_crc32c_portable(crc, data, len);
    return ~CRC_HW(~crc, (const uint8_t *)data, len);
}

uint32_t trace_crc32c_portable(uint32_t crc, const void *data, size_t len)
{
    if (!crc_ready)
        crc_init();
    const uint8_t *p = data;
    crc = ~crc;
    while (len >= 8) {
        uint32_t lo = trace_get32(p) ^ crc;
        uint32_t hi = trace_get32(p + 4);
        crc = crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^
              crc_table[5][(lo >> 16) & 0xff] ^ crc_table[4][lo >> 24] ^ crc_table[3][hi & 0xff] ^
              crc_table[2][(hi >> 8) & 0xff] ^ crc_table[1][(hi >> 16) & 0xff] ^
              crc_table[0][hi >> 24];
        p += 8;
        len -= 8;
    }
    while (len--)
        crc = (crc >> 8) ^ crc_table[0][(crc ^ *p++) & 0xff];
    return ~crc;
}

uint64_t trace_fnv1a(uint64_t h, const void *data, size_t len)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}
