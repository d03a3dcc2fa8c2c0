/* Unit tests for the boot loader (loader/boot.c), the device-tree builder
 * (loader/dt.c) and the board's tree (sim/board_dt.c).
 *
 * Expected placements are QEMU's for its virt board (hw/arm/boot.c: an
 * Image at text_offset from a 2 MiB-aligned base, moved up 2 MiB when the
 * offset would overlap the boot stub; a raw image at 0x80000; the initrd
 * at RAM + min(RAM / 2, 128 MiB); the device tree 2 MiB-aligned after
 * it); the Image header layout is Linux's Documentation/arm64/booting.rst;
 * the tree is read back with libfdt, an implementation no one here wrote,
 * and its nodes checked against the bindings QEMU's tree uses. Files are
 * written in a temporary directory of the test's own. */
#include "loader/boot.h"
#include "loader/dt.h"
#include "sim/board_dt.h"
#include "sim/virtio_mmio.h"

#include <check.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (64ull << 20)

static char dir[64];
static uint8_t *ram;
static struct mem_target mem;

static void setup(void)
{
    strcpy(dir, "/tmp/a64sim-test-boot.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ram = calloc(1, RAM_SIZE);
    ck_assert_ptr_nonnull(ram);
    mem = (struct mem_target){RAM_BASE, RAM_SIZE, ram, true};
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(ram);
}

static const char *file(const char *name, const void *data, size_t n)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    fclose(f);
    return path;
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* An arm64 Image of SIZE bytes with the header fields given. */
static uint8_t *image(size_t size, uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
    uint8_t *b = calloc(1, size);
    put64(b + 8, text_offset);
    put64(b + 16, image_size);
    put64(b + 24, flags);
    memcpy(b + 56, "ARM\x64", 4);
    b[64] = 0xa5; /* a byte to find in RAM */
    return b;
}

START_TEST(test_image_with_offset_0_goes_2mib_up)
{
    uint8_t *b = image(4096, 0, 0x10000, 0xa); /* 4K pages, anywhere in RAM */
    struct boot_image k;
    char err[256];
    ck_assert_msg(boot_load_kernel(file("Image", b, 4096), false, &mem, &k, err, sizeof err), "%s",
                  err);
    ck_assert_int_eq(k.kind, BOOT_IMAGE);
    ck_assert_uint_eq(k.entry, RAM_BASE + 0x200000);
    ck_assert_uint_eq(k.start, RAM_BASE + 0x200000);
    ck_assert_uint_eq(k.end, RAM_BASE + 0x210000); /* image_size, bss included */
    ck_assert_uint_eq(ram[0x200000 + 64], 0xa5);
    ck_assert_uint_eq(k.hash, boot_hash(BOOT_HASH_INIT, b, 4096));
    boot_image_release(&k);
    free(b);
}
END_TEST

START_TEST(test_image_text_offset_is_kept)
{
    uint8_t *b = image(4096, 0x80000, 0x10000, 0);
    struct boot_image k;
    char err[256];
    ck_assert(boot_load_kernel(file("Image", b, 4096), false, &mem, &k, err, sizeof err));
    ck_assert_uint_eq(k.entry, RAM_BASE + 0x80000);
    boot_image_release(&k);
    free(b);
}
END_TEST

/* image_size 0: a kernel before 3.17, at the fixed 0x80000, its file's size. */
START_TEST(test_old_image_without_size)
{
    uint8_t *b = image(8192, 0x12345, 0, 0);
    struct boot_image k;
    char err[256];
    ck_assert(boot_load_kernel(file("Image", b, 8192), false, &mem, &k, err, sizeof err));
    ck_assert_uint_eq(k.entry, RAM_BASE + 0x80000);
    ck_assert_uint_eq(k.end, RAM_BASE + 0x80000 + 8192);
    boot_image_release(&k);
    free(b);
}
END_TEST

static void expect_error(const char *name, const void *data, size_t n, const char *want)
{
    struct boot_image k;
    char err[256] = "";
    const char *path = file(name, data, n);
    ck_assert(!boot_load_kernel(path, false, &mem, &k, err, sizeof err));
    char full[512];
    snprintf(full, sizeof full, "%s: %s", path, want);
    ck_assert_msg(!strncmp(err, full, strlen(full)), "got '%s', want '%s...'", err, full);
    for (size_t i = 0; i < RAM_SIZE; i += 4096)
        ck_assert_uint_eq(ram[i], 0); /* nothing written */
}

START_TEST(test_bad_images)
{
    uint8_t *b = image(4096, 0, 0x800, 0);
    expect_error("small", b, 4096,
                 "arm64 Image header says image_size 2048, smaller than the file");
    free(b);
    b = image(4096, 0, 0x10000, 1);
    expect_error("be", b, 4096, "a big-endian arm64 Image");
    free(b);
    b = image(4096, 0x200000, 0x10000, 0);
    expect_error("offset", b, 4096, "arm64 Image text_offset 0x200000 is not below 2 MiB");
    free(b);
    b = image(4096, 0, RAM_SIZE, 0);
    expect_error("huge", b, 4096, "the kernel (67108864 bytes at 0x40200000) does not fit in RAM");
    free(b);
    expect_error("empty", "", 0, "empty file");
    expect_error("text", "hello\n", 6,
                 "not an ELF file or an arm64 Image (a raw binary needs --raw)");
}
END_TEST

/* --raw: any bytes, at RAM + 0x80000. */
START_TEST(test_raw_image_at_0x80000)
{
    static const uint8_t code[8] = {0x1f, 0x20, 0x03, 0xd5, 0x7f, 0x20, 0x03, 0xd5};
    struct boot_image k;
    char err[256];
    ck_assert(boot_load_kernel(file("raw", code, 8), true, &mem, &k, err, sizeof err));
    ck_assert_int_eq(k.kind, BOOT_RAW);
    ck_assert_uint_eq(k.entry, RAM_BASE + 0x80000);
    ck_assert_mem_eq(ram + 0x80000, code, 8);
    boot_image_release(&k);
}
END_TEST

START_TEST(test_initrd_and_dtb_placement)
{
    struct boot_image k = {.end = RAM_BASE + 0x400000};
    uint64_t at;
    char err[256];
    /* 64 MiB of RAM: half of it, 32 MiB, is below 128 MiB. */
    ck_assert(boot_place_initrd(&mem, &k, 1000, &at, err, sizeof err));
    ck_assert_uint_eq(at, RAM_BASE + (32ull << 20));
    ck_assert(boot_place_dtb(&mem, at + 1000, &at, err, sizeof err));
    ck_assert_uint_eq(at, RAM_BASE + (34ull << 20));
    /* A kernel past that point: the initrd follows it, 4-byte aligned. */
    k.end = RAM_BASE + (40ull << 20) + 1;
    ck_assert(boot_place_initrd(&mem, &k, 1000, &at, err, sizeof err));
    ck_assert_uint_eq(at, RAM_BASE + (40ull << 20) + 4);
    ck_assert(!boot_place_initrd(&mem, &k, 30ull << 20, &at, err, sizeof err));
    ck_assert_str_eq(err,
                     "the initrd (31457280 bytes at 0x42800004) does not fit in RAM (see --mem)");
    ck_assert(!boot_place_dtb(&mem, RAM_BASE + RAM_SIZE - 4096, &at, err, sizeof err));
    /* 512 MiB: the 128 MiB cap. */
    struct mem_target big = {RAM_BASE, 512ull << 20, NULL, true};
    k.end = RAM_BASE + 0x400000;
    ck_assert(boot_place_initrd(&big, &k, 1000, &at, err, sizeof err));
    ck_assert_uint_eq(at, RAM_BASE + (128ull << 20));
}
END_TEST

/* ---- the board's tree, read back with libfdt ------------------------------ */

static const void *blob;
static struct dt *tree;

static void build(unsigned cpus, unsigned el, const struct board_boot *bb)
{
    struct machine_config cfg;
    machine_config_defaults(&cfg);
    cfg.cpus = cpus;
    cfg.el = el;
    char err[256];
    tree = board_device_tree(&cfg, bb, err, sizeof err);
    ck_assert_msg(tree != NULL, "%s", err);
    size_t size;
    ck_assert(dt_finish(tree, &blob, &size, err, sizeof err));
    ck_assert_msg(dt_check(blob, size, err, sizeof err), "%s", err);
}

static const char *str(const char *path, const char *prop)
{
    int node = fdt_path_offset(blob, path);
    ck_assert_msg(node >= 0, "%s missing", path);
    const char *v = fdt_getprop(blob, node, prop, NULL);
    ck_assert_msg(v != NULL, "%s:%s missing", path, prop);
    return v;
}

static int len_of(const char *path, const char *prop)
{
    int len = -1;
    int node = fdt_path_offset(blob, path);
    ck_assert_msg(node >= 0, "%s missing", path);
    fdt_getprop(blob, node, prop, &len);
    return len;
}

static uint32_t cell(const char *path, const char *prop, int i)
{
    int node = fdt_path_offset(blob, path);
    const fdt32_t *v = fdt_getprop(blob, node, prop, NULL);
    ck_assert_ptr_nonnull(v);
    return fdt32_to_cpu(v[i]);
}

START_TEST(test_board_tree_el2_two_cpus)
{
    struct board_boot bb = {"console=ttyAMA0", RAM_BASE + 0x100000, RAM_BASE + 0x100400};
    build(2, 2, &bb);
    ck_assert_str_eq(str("/", "compatible"), "linux,dummy-virt");
    ck_assert_str_eq(str("/psci", "method"), "smc");
    ck_assert_str_eq(str("/cpus/cpu@1", "enable-method"), "psci");
    ck_assert_uint_eq(cell("/cpus/cpu@1", "reg", 0), 1);
    ck_assert_int_lt(fdt_path_offset(blob, "/cpus/cpu@2"), 0);
    ck_assert_uint_eq(cell("/memory@40000000", "reg", 1), 0x40000000);
    ck_assert_uint_eq(cell("/memory@40000000", "reg", 3), 0x20000000); /* 512 MiB */
    /* Five timer PPIs with EL2: 29, 30, 27, 26, 28 as PPI numbers 13, 14, 11, 10, 12. */
    ck_assert_int_eq(len_of("/timer", "interrupts"), 15 * 4);
    static const uint32_t ppis[] = {13, 14, 11, 10, 12};
    for (int i = 0; i < 5; i++)
        ck_assert_uint_eq(cell("/timer", "interrupts", 3 * i + 1), ppis[i]);
    /* The GIC: distributor, then the redistributors of two PEs (2 x 128 KiB). */
    ck_assert_uint_eq(cell("/intc@8000000", "reg", 1), 0x08000000);
    ck_assert_uint_eq(cell("/intc@8000000", "reg", 5), 0x080a0000);
    ck_assert_uint_eq(cell("/intc@8000000", "reg", 7), 0x40000);
    ck_assert_uint_eq(cell("/intc@8000000", "interrupts", 1), 9); /* maintenance: PPI 9 */
    ck_assert_uint_eq(cell("/", "interrupt-parent", 0), cell("/intc@8000000", "phandle", 0));
    ck_assert_uint_eq(cell("/pl011@9000000", "interrupts", 1), 1); /* SPI 1 */
    ck_assert_uint_eq(cell("/pl011@9000000", "clocks", 0), cell("/apb-pclk", "phandle", 0));
    ck_assert_str_eq(str("/chosen", "bootargs"), "console=ttyAMA0");
    ck_assert_str_eq(str("/chosen", "stdout-path"), "/pl011@9000000");
    ck_assert_uint_eq(cell("/chosen", "linux,initrd-end", 1), 0x40100400);
    ck_assert_int_eq(len_of("/chosen", "rng-seed"), 32);
    dt_free(tree);
}
END_TEST

/* The empty virtio-mmio transports: listed in the tree, and what a driver
 * reads from each (virtio 1.x, MMIO device register layout). */
START_TEST(test_virtio_mmio_transports_are_empty)
{
    struct board_boot bb = {0};
    build(1, 1, &bb);
    ck_assert_str_eq(str("/virtio_mmio@a000000", "compatible"), "virtio,mmio");
    ck_assert_uint_eq(cell("/virtio_mmio@a003e00", "reg", 1), 0x0a003e00);
    ck_assert_uint_eq(cell("/virtio_mmio@a003e00", "interrupts", 1), 16 + 31);
    ck_assert_int_lt(fdt_path_offset(blob, "/virtio_mmio@a004000"), 0);
    dt_free(tree);
    const struct mmio_ops *ops = &virtio_mmio_empty_ops;
    uint64_t v;
    for (unsigned n = 0; n < VIRTIO_MMIO_COUNT; n += 31) {
        uint64_t base = n * VIRTIO_MMIO_SIZE;
        ck_assert(ops->read(NULL, base + 0x000, 4, &v) && v == 0x74726976); /* "virt" */
        ck_assert(ops->read(NULL, base + 0x004, 4, &v) && v == 2);          /* Version */
        ck_assert(ops->read(NULL, base + 0x008, 4, &v) && v == 0);          /* no device */
        ck_assert(ops->read(NULL, base + 0x00c, 4, &v) && v == 0x554d4551); /* "QEMU" */
        ck_assert(ops->read(NULL, base + 0x070, 4, &v) && v == 0);          /* Status */
    }
    ck_assert(ops->write(NULL, 0x070, 4, 0xff));
    ck_assert(!ops->read(NULL, 0x000, 2, &v));
    ck_assert(!ops->read(NULL, 0x002, 4, &v));
}
END_TEST

START_TEST(test_board_tree_el1)
{
    struct board_boot bb = {0};
    build(1, 1, &bb);
    ck_assert_str_eq(str("/psci", "method"), "hvc");
    ck_assert_int_eq(len_of("/timer", "interrupts"), 12 * 4);
    ck_assert_int_eq(len_of("/intc@8000000", "interrupts"), -1); /* no maintenance interrupt */
    ck_assert_int_eq(len_of("/chosen", "bootargs"), -1);
    ck_assert_int_eq(len_of("/chosen", "linux,initrd-start"), -1);
    dt_free(tree);
}
END_TEST

START_TEST(test_dtb_check_and_chosen)
{
    char err[256];
    static const char text[] = "not a device tree at all, only some text, 48 b.";
    ck_assert(!dt_check(text, 48, err, sizeof err));
    ck_assert_str_eq(err, "not a valid device tree blob: FDT_ERR_BADMAGIC");
    ck_assert(!dt_check(text, 20, err, sizeof err));
    ck_assert_str_eq(err, "not a device tree blob (20 bytes, shorter than its header)");
    /* A tree with no /chosen: set_chosen adds it. */
    struct dt *t = dt_new(4096);
    dt_begin(t, "");
    dt_string(t, "compatible", "test");
    dt_end(t);
    const void *b;
    size_t size, out_size;
    ck_assert(dt_finish(t, &b, &size, err, sizeof err));
    ck_assert(!dt_check(b, size - 1, err, sizeof err)); /* cut short */
    static uint8_t out[8192];
    ck_assert(dt_set_chosen(b, out, sizeof out, "root=/dev/ram", 0x1000, 0x2000, &out_size, err,
                            sizeof err));
    ck_assert(dt_check(out, out_size, err, sizeof err));
    blob = out;
    ck_assert_str_eq(str("/chosen", "bootargs"), "root=/dev/ram");
    ck_assert_uint_eq(cell("/chosen", "linux,initrd-start", 1), 0x1000);
    dt_free(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("boot");
    TCase *load = tcase_create("load");
    tcase_add_checked_fixture(load, setup, teardown);
    tcase_add_test(load, test_image_with_offset_0_goes_2mib_up);
    tcase_add_test(load, test_image_text_offset_is_kept);
    tcase_add_test(load, test_old_image_without_size);
    tcase_add_test(load, test_bad_images);
    tcase_add_test(load, test_raw_image_at_0x80000);
    tcase_add_test(load, test_initrd_and_dtb_placement);
    suite_add_tcase(s, load);
    TCase *dtc = tcase_create("device tree");
    tcase_add_test(dtc, test_board_tree_el2_two_cpus);
    tcase_add_test(dtc, test_board_tree_el1);
    tcase_add_test(dtc, test_virtio_mmio_transports_are_empty);
    tcase_add_test(dtc, test_dtb_check_and_chosen);
    suite_add_tcase(s, dtc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
