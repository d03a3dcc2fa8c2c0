/* Fuzz target for the trace reader (libFuzzer entry point; tests/fuzz/
 * mutate.c drives it when libFuzzer is not available). Any input is read
 * to its verdict and every record it yields is formatted as `trace dump`
 * would, so the record decoders run on whatever the reader lets through.
 * The same bytes also go to the stimulus parser as text. Crashes, hangs,
 * leaks and undefined behaviour are the findings (ASan + UBSan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "traces/dump.h"
#include "traces/reader.h"
#include "traces/stimulus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct trace_fmt *fmt; /* Capstone is slow to open: once per process */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1200];
    if (!fmt)
        fmt = trace_fmt_new(NULL);
    struct trace_reader *r = trace_reader_open_memory(data, size, "fuzz", err, sizeof(err));
    if (r) {
        struct trace_record rec;
        char line[TRACE_TEXT_MAX * 4 + 256];
        while (trace_reader_next(r, &rec) == TRACE_READ_RECORD)
            trace_fmt_record(fmt, &rec, line, sizeof(line));
        trace_reader_free(r);
    }
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    stimulus_free(stimulus_parse_text(text, "fuzz", err, sizeof(err)));
    free(text);
    return 0;
}
