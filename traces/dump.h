/* Trace records as text: one line per record, instructions disassembled
 * (Capstone) and addresses given as ELF symbol+offset. `a64sim trace dump`,
 * and the record lines of `trace diff` and `replay`. */
#ifndef TRACES_DUMP_H
#define TRACES_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "traces/format.h"

struct elf_image;

/* Formatting context: a Capstone handle and the symbols of IMG (may be
 * NULL: addresses are then printed bare). */
struct trace_fmt;
struct trace_fmt *trace_fmt_new(const struct elf_image *img);
void trace_fmt_free(struct trace_fmt *f);

/* The text of REC in BUF, no newline at the end: one line, or for a
 * pe-state record one line and the registers on lines of their own
 * (separated by '\n'), indented to the details of the first. */
const char *trace_fmt_record(struct trace_fmt *f, const struct trace_record *rec, char *buf,
                             size_t len);
/* Room for the longest text: uart-rx input, every byte escaped. */
#define TRACE_FMT_MAX (TRACE_TEXT_MAX * 4 + 256)
/* REC's text to OUT after PREFIX, every line after the first indented by
 * PREFIX's length so that the lines of one record stay aligned. */
void trace_print_record(struct trace_fmt *f, FILE *out, const char *prefix,
                        const struct trace_record *rec);
/* The header as "# " lines. */
void trace_fmt_header(const struct trace_header *h, FILE *out);

/* The image a trace was recorded from, loaded for its symbols only: PATH
 * must hash to the header's image.hash. NULL with "PATH: ..." in ERR. */
struct trace_image;
struct trace_image *trace_image_open(const char *path, const struct trace_header *h, char *err,
                                     size_t errlen);
const struct elf_image *trace_image_elf(const struct trace_image *ti);
void trace_image_free(struct trace_image *ti);

/* Which records `trace dump` prints. */
struct trace_filter {
    bool by_pe;
    unsigned pe;
    uint64_t from, to; /* cycles, both inclusive */
    uint32_t kinds;    /* bit per kind; 0 means all */
};
void trace_filter_init(struct trace_filter *f);
/* Parse a comma-separated list of kind names into F; false with a message. */
bool trace_filter_kinds(struct trace_filter *f, const char *list, char *err, size_t errlen);
bool trace_filter_match(const struct trace_filter *f, const struct trace_record *rec);

/* `a64sim trace dump`: the header, then every record F lets through, to
 * OUT; problems to ERR. IMAGE may be NULL. Returns the exit code: 0 for a
 * complete file, 2 for bad input or a file cut short (after printing what
 * it holds). */
int trace_dump(const char *path, const struct trace_filter *f, const char *image, FILE *out,
               FILE *err);

#endif
