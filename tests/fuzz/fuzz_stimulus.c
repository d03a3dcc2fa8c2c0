/* Fuzz target for the stimulus parser (traces/stimulus.h; libFuzzer entry
 * point, tests/fuzz/mutate.c without libFuzzer). Each input is parsed as a
 * stimulus file (through the file reader, which sees NUL bytes, CRLF and
 * lines of any length) and as text; what it accepts must keep the
 * documented promises (docs/stimulus.md): events in time order, uart-rx
 * text of 1 to 4096 bytes, SPI INTIDs 32 to 1019, a message on rejection. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz_input_file.h"
#include "traces/stimulus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct stimulus *s)
{
    char err[1200];
    uint64_t last = 0;
    for (size_t i = 0; i < stimulus_count(s); i++) {
        const struct stimulus_event *e = stimulus_event(s, i);
        if (e->cycle < last)
            abort();
        last = e->cycle;
        if (e->kind == STIM_UART_RX && (e->len < 1 || e->len > 4096 || !e->text))
            abort();
        if (e->kind == STIM_SPI && (e->intid < 32 || e->intid > 1019))
            abort();
    }
    for (int gic = 0; gic < 2; gic++) {
        err[0] = 0;
        if (!stimulus_check(s, gic, err, sizeof(err)) && !err[0])
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1200];
    const char *path = fuzz_input_file("fuzz_stimulus", data, size);
    if (path) {
        err[0] = 0;
        struct stimulus *s = stimulus_parse_file(path, err, sizeof(err));
        if (s)
            check(s);
        else if (!err[0])
            abort();
        stimulus_free(s);
    }
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    err[0] = 0;
    struct stimulus *s = stimulus_parse_text(text, "fuzz", err, sizeof(err));
    if (s)
        check(s);
    else if (!err[0])
        abort();
    stimulus_free(s);
    free(text);
    return 0;
}
