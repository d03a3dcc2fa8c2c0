/* Kernel, initrd and device-tree placement (see loader/boot.h).
 *
 * The arm64 Image header (Linux, Documentation/arm64/booting.rst): code0
 * and code1 (4 bytes each), text_offset (8, at byte 8), image_size (8, at
 * 16), flags (8, at 24: bit 0 big-endian kernel, bits 1-2 page size, bit 3
 * physical placement), three reserved words, the magic "ARM\x64" at byte 56
 * and a reserved word: 64 bytes. text_offset is meaningful only when
 * image_size is not 0 (kernels before 3.17 leave both 0). */
#include "loader/boot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/host.h"

#define IMAGE_HEADER_SIZE  64
#define IMAGE_MAGIC_OFFSET 56
#define IMAGE_FLAG_BE      1ull
#define INITRD_MAX_OFFSET  (128ull << 20)

uint64_t boot_hash(uint64_t h, const void *bytes, size_t n)
{
    const uint8_t *p = bytes;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

bool boot_read_file(const char *path, size_t max, struct boot_blob *out, char *err, size_t errlen)
{
    *out = (struct boot_blob){0};
    char why[128];
    /* Opened without blocking and refused unless regular: a FIFO or a
     * device given by mistake must not hang the simulator. */
    int fd = host_open_input(path, why, sizeof why);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, fd < 0 ? why : strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (len == cap) {
            if (cap > max) {
                snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
                free(buf);
                fclose(f);
                return false;
            }
            uint8_t *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "%s: cannot read: %s", path, buf ? strerror(errno) : "out of memory");
        free(buf);
        return false;
    }
    if (len > max) {
        snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
        free(buf);
        return false;
    }
    *out = (struct boot_blob){buf, len, boot_hash(BOOT_HASH_INIT, buf, len)};
    return true;
}

void boot_blob_release(struct boot_blob *b)
{
    free(b->data);
    *b = (struct boot_blob){0};
}

void boot_copy(const struct mem_target *mem, uint64_t addr, const void *data, size_t size)
{
    memcpy(mem->host + (addr - mem->base), data, size);
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static bool is_elf(const struct boot_blob *b)
{
    return b->size >= 4 && !memcmp(b->data,
                                   "\x7f"
                                   "ELF",
                                   4);
}

static bool is_arm64_image(const struct boot_blob *b)
{
    return b->size >= IMAGE_HEADER_SIZE && !memcmp(b->data + IMAGE_MAGIC_OFFSET, "ARM\x64", 4);
}

/* [START, START + SIZE) inside RAM? */
static bool fits(const struct mem_target *mem, uint64_t start, uint64_t size)
{
    return start >= mem->base && size <= mem->size && start - mem->base <= mem->size - size;
}

static bool load_image(const char *path, const struct boot_blob *b, const struct mem_target *mem,
                       struct boot_image *out, char *err, size_t errlen)
{
    uint64_t text_offset = get64(b->data + 8), image_size = get64(b->data + 16);
    uint64_t flags = get64(b->data + 24);
    if (image_size != 0 && (flags & IMAGE_FLAG_BE)) {
        snprintf(err, errlen,
                 "%s: a big-endian arm64 Image (header flags bit 0); a64sim runs "
                 "little-endian kernels only",
                 path);
        return false;
    }
    if (image_size == 0) {
        text_offset = BOOT_RAW_OFFSET; /* before 3.17: the fixed offset, the file's size */
        image_size = b->size;
    }
    if (image_size < b->size) {
        snprintf(err, errlen,
                 "%s: arm64 Image header says image_size %llu, smaller than the file (%zu bytes)",
                 path, (unsigned long long)image_size, b->size);
        return false;
    }
    if (text_offset >= BOOT_IMAGE_ALIGN) {
        snprintf(err, errlen, "%s: arm64 Image text_offset 0x%llx is not below 2 MiB", path,
                 (unsigned long long)text_offset);
        return false;
    }
    /* QEMU keeps the bottom of RAM for its boot stub: an offset that would
     * overlap it moves up by 2 MiB, which the 2 MiB-aligned rule allows. */
    uint64_t start =
        mem->base + text_offset + (text_offset < BOOT_STUB_SIZE ? BOOT_IMAGE_ALIGN : 0);
    if (!fits(mem, start, image_size)) {
        snprintf(err, errlen,
                 "%s: the kernel (%llu bytes at 0x%llx) does not fit in RAM "
                 "(0x%llx, %llu bytes; see --mem)",
                 path, (unsigned long long)image_size, (unsigned long long)start,
                 (unsigned long long)mem->base, (unsigned long long)mem->size);
        return false;
    }
    boot_copy(mem, start, b->data, b->size);
    if (!mem->zeroed)
        memset(mem->host + (start - mem->base) + b->size, 0, image_size - b->size);
    *out = (struct boot_image){.kind = BOOT_IMAGE,
                               .entry = start,
                               .start = start,
                               .end = start + image_size,
                               .hash = b->hash};
    return true;
}

static bool load_raw(const char *path, const struct boot_blob *b, const struct mem_target *mem,
                     struct boot_image *out, char *err, size_t errlen)
{
    uint64_t start = mem->base + BOOT_RAW_OFFSET;
    if (b->size == 0) {
        snprintf(err, errlen, "%s: empty file", path);
        return false;
    }
    if (!fits(mem, start, b->size)) {
        snprintf(err, errlen,
                 "%s: the raw image (%zu bytes at 0x%llx) does not fit in RAM "
                 "(see --mem)",
                 path, b->size, (unsigned long long)start);
        return false;
    }
    boot_copy(mem, start, b->data, b->size);
    *out = (struct boot_image){
        .kind = BOOT_RAW, .entry = start, .start = start, .end = start + b->size, .hash = b->hash};
    return true;
}

bool boot_load_kernel(const char *path, bool raw, const struct mem_target *mem,
                      struct boot_image *out, char *err, size_t errlen)
{
    struct boot_blob b;
    *out = (struct boot_image){0};
    if (!boot_read_file(path, mem->size, &b, err, errlen))
        return false;
    bool ok;
    if (raw) {
        ok = load_raw(path, &b, mem, out, err, errlen);
        boot_blob_release(&b);
        return ok;
    }
    if (b.size == 0 || (!is_elf(&b) && !is_arm64_image(&b))) {
        snprintf(err, errlen, "%s: %s", path,
                 b.size == 0 ? "empty file"
                             : "not an ELF file or an arm64 Image (a raw binary needs --raw)");
        boot_blob_release(&b);
        return false;
    }
    if (is_elf(&b)) {
        boot_blob_release(&b);
        struct elf_image *elf = elf_load(path, mem, err, errlen);
        if (!elf)
            return false;
        *out = (struct boot_image){
            .kind = BOOT_ELF, .elf = elf, .entry = elf_entry(elf), .hash = elf_file_hash(elf)};
        elf_extent(elf, &out->start, &out->end);
        return true;
    }
    ok = load_image(path, &b, mem, out, err, errlen);
    boot_blob_release(&b);
    return ok;
}

void boot_image_release(struct boot_image *img)
{
    elf_image_free(img->elf);
    *img = (struct boot_image){0};
}

bool boot_place_initrd(const struct mem_target *mem, const struct boot_image *kernel, size_t size,
                       uint64_t *addr, char *err, size_t errlen)
{
    uint64_t at =
        mem->base + (mem->size / 2 < INITRD_MAX_OFFSET ? mem->size / 2 : INITRD_MAX_OFFSET);
    if (kernel->end > at)
        at = (kernel->end + 3) & ~3ull;
    if (!fits(mem, at, size)) {
        snprintf(err, errlen, "the initrd (%zu bytes at 0x%llx) does not fit in RAM (see --mem)",
                 size, (unsigned long long)at);
        return false;
    }
    *addr = at;
    return true;
}

bool boot_place_dtb(const struct mem_target *mem, uint64_t after, uint64_t *addr, char *err,
                    size_t errlen)
{
    uint64_t at = (after + BOOT_IMAGE_ALIGN - 1) & ~(BOOT_IMAGE_ALIGN - 1);
    if (at < mem->base)
        at = mem->base;
    if (!fits(mem, at, BOOT_DTB_MAX_SIZE)) {
        snprintf(err, errlen,
                 "the device tree (up to %llu bytes at 0x%llx) does not fit in RAM "
                 "(see --mem)",
                 (unsigned long long)BOOT_DTB_MAX_SIZE, (unsigned long long)at);
        return false;
    }
    *addr = at;
    return true;
}
