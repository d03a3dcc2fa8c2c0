/* ELF loader: puts the PT_LOAD segments of a static AArch64 executable into
 * guest RAM and keeps its entry point, symbol table and a hash of the file.
 *
 * Every check (format, machine, type, truncation, RAM bounds, overlap,
 * symbol table) runs before the first byte is written, so a rejected file
 * leaves RAM exactly as it was. */
#ifndef LOADER_ELF_H
#define LOADER_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Guest RAM as the loader sees it: one flat region of physical addresses
 * [base, base+size) backed by host memory at host. */
struct mem_target {
    uint64_t base;
    uint64_t size;
    uint8_t *host;
    bool zeroed; /* every byte is known to be 0 (fresh RAM): bss needs no fill, so
                    it costs host memory only once the guest touches it */
};

struct elf_image; /* opaque: entry point, symbol table, a hash of the file */

/* Load every PT_LOAD segment of the AArch64 ELF at PATH into MEM at p_paddr (p_filesz bytes
 * copied, the rest of p_memsz zeroed); NULL and one "<path>: <problem>" message in ERR on failure.
 */
struct elf_image *elf_load(const char *path, const struct mem_target *mem, char *err,
                           size_t errlen);

/* Free an image returned by elf_load (NULL is allowed). */
void elf_image_free(struct elf_image *img);

/* The entry point (e_entry) of the loaded file. */
uint64_t elf_entry(const struct elf_image *img);

/* Symbol containing ADDR: a sized one covering it, else an unsized one at the nearest preceding
 * symbol address; sets *name and *offset (ADDR minus its address), false if none. */
bool elf_symbol_at(const struct elf_image *img, uint64_t addr, const char **name, uint64_t *offset);

/* Address of the symbol NAME (first match in (address, type, name) order); false if absent. */
bool elf_symbol_addr(const struct elf_image *img, const char *name, uint64_t *addr);

/* Number of symbols kept from .symtab (functions, objects and untyped labels). */
size_t elf_symbol_count(const struct elf_image *img);

/* The physical extent of the loaded segments, [*LOW, *HIGH) (both 0 when
 * nothing was loaded). */
void elf_extent(const struct elf_image *img, uint64_t *low, uint64_t *high);

/* 64-bit FNV-1a hash of every byte of the file. */
uint64_t elf_file_hash(const struct elf_image *img);

#endif
