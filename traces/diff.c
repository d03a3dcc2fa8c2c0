/* Two readers side by side; the last TRACE_CONTEXT equal records are kept
 * so that the difference can be shown in context. */
#include "traces/diff.h"

#include <inttypes.h>
#include <string.h>

#include "traces/config.h"
#include "traces/dump.h"
#include "traces/reader.h"

struct side {
    const char *label;
    struct trace_reader *r;
    struct trace_record rec;
    enum trace_read got;
};

static void print_context(struct trace_fmt *fmt, FILE *out, const struct trace_ring *ring)
{
    for (unsigned i = 0; i < ring->count; i++)
        trace_print_record(fmt, out, "   ", trace_ring_get(ring, i));
}

static void print_headers(const struct trace_header *a, const struct trace_header *b, FILE *out)
{
    if (a->version != b->version)
        fprintf(out, "a64sim: trace diff: format version %" PRIu32 " -> %" PRIu32 "\n", a->version,
                b->version);
    if (strcmp(a->sim_version, b->sim_version))
        fprintf(out, "a64sim: trace diff: written by a64sim %s -> %s\n", a->sim_version,
                b->sim_version);
    if (a->config_hash == b->config_hash)
        return;
    fprintf(out, "a64sim: trace diff: configuration differs (A -> B):\n");
    trace_header_diff(a, b, out, "   ");
}

/* One side ended (END, CUT_SHORT or ERROR) or both did: the verdict. */
static int verdict(struct side *a, struct side *b, struct trace_fmt *fmt, FILE *out, FILE *err,
                   uint64_t same)
{
    struct side *sides[2] = {a, b};
    int rc = 0;
    for (int i = 0; i < 2; i++) {
        if (sides[i]->got == TRACE_READ_CUT_SHORT || sides[i]->got == TRACE_READ_ERROR) {
            fprintf(err, "a64sim: %s\n", trace_reader_error(sides[i]->r));
            rc = 2;
        }
    }
    if (rc) {
        fprintf(out,
                "a64sim: trace diff: no difference in the first %" PRIu64
                " records, but a file is incomplete or corrupt\n",
                same);
        return rc;
    }
    if (a->got == TRACE_READ_END && b->got == TRACE_READ_END) {
        fprintf(out, "a64sim: trace diff: identical: %" PRIu64 " records\n", same);
        return 0;
    }
    struct side *more = a->got == TRACE_READ_RECORD ? a : b;
    struct side *ended = more == a ? b : a;
    fprintf(out,
            "a64sim: trace diff: %s ends after %" PRIu64 " records; %s continues (byte %" PRIu64
            ") with:\n",
            ended->label, same, more->label, trace_reader_offset(more->r));
    trace_print_record(fmt, out, more == a ? "A: " : "B: ", &more->rec);
    return 1;
}

static int compare(struct side *a, struct side *b, struct trace_fmt *fmt, FILE *out, FILE *err)
{
    struct trace_ring ring = {0};
    uint64_t same = 0;
    int rc;
    for (;;) {
        a->got = trace_reader_next(a->r, &a->rec);
        b->got = trace_reader_next(b->r, &b->rec);
        if (a->got != TRACE_READ_RECORD || b->got != TRACE_READ_RECORD) {
            if (a->got == TRACE_READ_RECORD || b->got == TRACE_READ_RECORD)
                print_context(fmt, out, &ring);
            rc = verdict(a, b, fmt, out, err, same);
            break;
        }
        if (!trace_record_equal(&a->rec, &b->rec)) {
            fprintf(out,
                    "a64sim: trace diff: first difference at record %" PRIu64 " (A byte %" PRIu64
                    ", B byte %" PRIu64 "), after %u equal records:\n",
                    same, trace_reader_offset(a->r), trace_reader_offset(b->r), ring.count);
            print_context(fmt, out, &ring);
            trace_print_record(fmt, out, "A: ", &a->rec);
            trace_print_record(fmt, out, "B: ", &b->rec);
            char names[256];
            if (a->rec.kind == b->rec.kind &&
                trace_record_diff(&a->rec, &b->rec, names, sizeof(names)))
                fprintf(out, "a64sim: trace diff: they differ in %s\n", names);
            rc = 1;
            break;
        }
        trace_ring_push(&ring, &a->rec);
        same++;
    }
    trace_ring_free(&ring);
    return rc;
}

int trace_diff(const char *path_a, const char *path_b, const char *image, FILE *out, FILE *err)
{
    char msg[1200];
    struct side a = {.label = "A"}, b = {.label = "B"};
    struct trace_image *ti = NULL;
    int rc = 2;
    a.r = trace_reader_open(path_a, msg, sizeof(msg));
    if (a.r)
        b.r = trace_reader_open(path_b, msg, sizeof(msg));
    if (a.r && b.r && image)
        ti = trace_image_open(image, trace_reader_header(a.r), msg, sizeof(msg));
    if (!a.r || !b.r || (image && !ti)) {
        fprintf(err, "a64sim: %s\n", msg);
        goto out;
    }
    print_headers(trace_reader_header(a.r), trace_reader_header(b.r), out);
    struct trace_fmt *fmt = trace_fmt_new(trace_image_elf(ti));
    rc = compare(&a, &b, fmt, out, err);
    trace_fmt_free(fmt);
out:
    trace_image_free(ti);
    trace_reader_free(a.r);
    trace_reader_free(b.r);
    return rc;
}
