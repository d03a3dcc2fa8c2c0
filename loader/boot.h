/* Loading what the boot PE starts from, as QEMU's `-kernel` does on its virt
 * board: an ELF executable at its own addresses, a Linux arm64 Image (the
 * header's text_offset from a 2 MiB-aligned base), or, when asked for, any
 * other file as a raw image at RAM + 0x80000; then an initrd and a device
 * tree placed where QEMU places them. QEMU takes any file that is neither
 * ELF nor Image as raw; here that needs RAW, so that a wrong file (a text
 * file, a truncated download) is an error rather than a run of garbage.
 *
 * Every check (file, header, sizes against RAM) runs before the first byte
 * is written, so a rejected boot leaves RAM as it was. */
#ifndef LOADER_BOOT_H
#define LOADER_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/elf.h"

enum boot_kind {
    BOOT_ELF,   /* an ELF executable */
    BOOT_IMAGE, /* a Linux arm64 Image ("ARM\x64" at byte 56) */
    BOOT_RAW,   /* anything else: raw bytes */
};

/* Where a raw image goes (QEMU's KERNEL64_LOAD_ADDR), and the room QEMU keeps
 * for its boot stub below an Image whose text_offset is smaller. */
#define BOOT_RAW_OFFSET   0x80000ull
#define BOOT_STUB_SIZE    0x1000ull
#define BOOT_IMAGE_ALIGN  0x200000ull /* the 2 MiB the arm64 boot protocol aligns to */
#define BOOT_DTB_MAX_SIZE 0x200000ull /* a device tree may take up to 2 MiB */

/* A loaded kernel. */
struct boot_image {
    enum boot_kind kind;
    struct elf_image *elf; /* BOOT_ELF: symbols and the file hash; NULL otherwise */
    uint64_t entry;        /* where the boot PE starts */
    uint64_t start, end;   /* the RAM the kernel takes, [start, end) (image_size for an Image) */
    uint64_t hash;         /* FNV-1a-64 of the file's bytes */
};

/* Load the kernel at PATH into MEM: RAW loads it as a raw image whatever it
 * holds. False with one "<path>: <problem>" message in ERR. */
bool boot_load_kernel(const char *path, bool raw, const struct mem_target *mem,
                      struct boot_image *out, char *err, size_t errlen);
void boot_image_release(struct boot_image *img);

/* A file's bytes, read whole: for an initrd or a device tree. */
struct boot_blob {
    uint8_t *data;
    size_t size;
    uint64_t hash; /* FNV-1a-64 */
};

/* Read PATH whole (at most MAX bytes). False with "<path>: <problem>" in ERR. */
bool boot_read_file(const char *path, size_t max, struct boot_blob *out, char *err, size_t errlen);
void boot_blob_release(struct boot_blob *b);

/* Where QEMU's virt board puts an initrd of SIZE bytes after KERNEL: at RAM
 * + min(RAM size / 2, 128 MiB), or just past the kernel if that is higher.
 * False (ERR: "<what> does not fit ...") when it would not fit in RAM. */
bool boot_place_initrd(const struct mem_target *mem, const struct boot_image *kernel, size_t size,
                       uint64_t *addr, char *err, size_t errlen);

/* Where the device tree goes: 2 MiB-aligned after the initrd's end (or the
 * kernel's, without one), as QEMU places it for an AArch64 Linux boot;
 * BOOT_DTB_MAX_SIZE must fit there. */
bool boot_place_dtb(const struct mem_target *mem, uint64_t after, uint64_t *addr, char *err,
                    size_t errlen);

/* Copy SIZE bytes to guest physical ADDR (already checked to fit). */
void boot_copy(const struct mem_target *mem, uint64_t addr, const void *data, size_t size);

/* FNV-1a-64 of BYTES, continuing from H (start: BOOT_HASH_INIT). */
#define BOOT_HASH_INIT 0xcbf29ce484222325ull
uint64_t boot_hash(uint64_t h, const void *bytes, size_t n);

#endif
