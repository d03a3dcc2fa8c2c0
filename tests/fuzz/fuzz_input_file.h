/* Shared by the libFuzzer targets whose code under test takes a path
 * (elf_load, stimulus_parse_file, cost_table_load): each input is written
 * to one file per process in $FUZZ_TMPDIR (`make fuzz` runs the fuzzers
 * in $BUILD/fuzz/, the default), removed when the fuzzer exits. */
#ifndef TESTS_FUZZ_INPUT_FILE_H
#define TESTS_FUZZ_INPUT_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char fuzz_input_path[4096];

static void fuzz_input_remove(void)
{
    unlink(fuzz_input_path);
}

/* Write DATA to the input file; its path, or NULL when it cannot be written. */
static const char *fuzz_input_file(const char *name, const uint8_t *data, size_t size)
{
    if (!fuzz_input_path[0]) {
        const char *dir = getenv("FUZZ_TMPDIR");
        snprintf(fuzz_input_path, sizeof(fuzz_input_path), "%s/%s.%ld.input", dir ? dir : ".",
                 name, (long)getpid());
        atexit(fuzz_input_remove);
    }
    FILE *f = fopen(fuzz_input_path, "wb");
    if (!f)
        return NULL;
    size_t n = size ? fwrite(data, 1, size, f) : 0;
    if (fclose(f) != 0 || n != size)
        return NULL;
    return fuzz_input_path;
}

#endif
