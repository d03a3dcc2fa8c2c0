/* Fuzz target for the ELF loader (loader/elf.h; libFuzzer entry point,
 * tests/fuzz/mutate.c drives it when libFuzzer is not available). Each
 * input is loaded as an image into a 16 MiB RAM at 0x40000000, and on
 * success the entry point, the symbol lookups and the hash are exercised.
 * Crashes, hangs, leaks and undefined behaviour are the findings (ASan +
 * UBSan), and so is a loader that accepts an image it then cannot place:
 * every byte it writes must be inside RAM, which ASan checks for it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf.h"
#include "tests/fuzz/fuzz_input_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (16ull << 20)

static uint8_t *ram;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ram && !(ram = malloc(RAM_SIZE)))
        return 0;
    const char *path = fuzz_input_file("fuzz_elf_loader", data, size);
    if (!path)
        return 0;
    struct mem_target mem = {.base = RAM_BASE, .size = RAM_SIZE, .host = ram, .zeroed = false};
    char err[1200];
    err[0] = 0;
    struct elf_image *img = elf_load(path, &mem, err, sizeof(err));
    if (!img) {
        if (!err[0] || !memchr(err, 0, sizeof(err)))
            abort(); /* a rejection must say why */
        return 0;
    }
    const uint64_t probes[] = {elf_entry(img), RAM_BASE, RAM_BASE + 0x80000, 0, ~0ull,
                               elf_entry(img) + 4, RAM_BASE + RAM_SIZE - 1};
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        const char *name;
        uint64_t off;
        if (!elf_symbol_at(img, probes[i], &name, &off))
            continue;
        if (strlen(name) > (1u << 20) || off > probes[i])
            abort(); /* a name from the string table; an offset from a symbol at or below */
    }
    uint64_t addr;
    elf_symbol_addr(img, "main", &addr);
    elf_symbol_addr(img, "", &addr);
    (void)elf_symbol_count(img);
    (void)elf_file_hash(img);
    elf_image_free(img);
    return 0;
}
