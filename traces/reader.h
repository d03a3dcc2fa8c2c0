/* Reading a trace file: the header, then one record at a time.
 *
 * Every problem is reported as "NAME: byte OFFSET: what", and nothing in a
 * file, however corrupt, makes the reader crash, hang or allocate more
 * than TRACE_BLOCK_MAX bytes. A block is checked whole (checksum, every
 * record's kind and length, the record count) before any of its records is
 * returned. A file that ends early — a killed run — returns every record
 * of its complete blocks and then TRACE_READ_CUT_SHORT. */
#ifndef TRACES_READER_H
#define TRACES_READER_H

#include <stddef.h>
#include <stdint.h>

#include "traces/format.h"

struct trace_reader;

enum trace_read {
    TRACE_READ_RECORD,    /* *rec holds the next record */
    TRACE_READ_END,       /* the end marker: the file is complete */
    TRACE_READ_CUT_SHORT, /* the file ends early; trace_reader_error says where */
    TRACE_READ_ERROR,     /* corrupt; trace_reader_error says what and where */
};

/* Open PATH and read its header; NULL with the message in ERR on failure. */
struct trace_reader *trace_reader_open(const char *path, char *err, size_t errlen);
/* The same over LEN bytes at DATA (kept, not copied), reported as NAME. */
struct trace_reader *trace_reader_open_memory(const uint8_t *data, size_t len, const char *name,
                                              char *err, size_t errlen);
void trace_reader_free(struct trace_reader *r);

const struct trace_header *trace_reader_header(const struct trace_reader *r);
/* The name files are reported under. */
const char *trace_reader_name(const struct trace_reader *r);

/* The next record. Its payload stays valid until the next call. After
 * anything but TRACE_READ_RECORD, every further call returns the same. */
enum trace_read trace_reader_next(struct trace_reader *r, struct trace_record *rec);
/* The message for TRACE_READ_CUT_SHORT or TRACE_READ_ERROR. */
const char *trace_reader_error(const struct trace_reader *r);
/* Records returned so far. */
uint64_t trace_reader_count(const struct trace_reader *r);
/* Byte offset in the file of the last record returned. */
uint64_t trace_reader_offset(const struct trace_reader *r);

#endif
