/* sim/bus: RAM bounds, lazy RAM contents, MMIO dispatch and its errors. */
#include <check.h>
#include <stdlib.h>

#include "sim/bus.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (1ull << 20)

struct fake_dev {
    uint64_t last_offset, last_value;
    unsigned last_size, reads, writes;
    bool refuse;
};

static bool fake_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    struct fake_dev *d = opaque;
    d->reads++;
    d->last_offset = offset;
    d->last_size = size;
    *value = 0xabcd0000 | offset;
    return !d->refuse;
}

static bool fake_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    struct fake_dev *d = opaque;
    d->writes++;
    d->last_offset = offset;
    d->last_size = size;
    d->last_value = value;
    return !d->refuse;
}

static const struct mmio_ops fake_ops = {fake_read, fake_write};

START_TEST(test_ram_reads_zero_before_any_write)
{
    struct bus *b = bus_new(RAM_BASE, RAM_SIZE);
    ck_assert_ptr_nonnull(b);
    const uint8_t *ram = bus_ram_host(b);
    ck_assert_uint_eq(ram[0], 0);
    ck_assert_uint_eq(ram[RAM_SIZE - 1], 0);
    bus_free(b);
}
END_TEST

START_TEST(test_is_ram_checks_both_ends)
{
    struct bus *b = bus_new(RAM_BASE, RAM_SIZE);
    ck_assert(bus_is_ram(b, RAM_BASE, 8));
    ck_assert(bus_is_ram(b, RAM_BASE + RAM_SIZE - 8, 8));
    ck_assert(!bus_is_ram(b, RAM_BASE + RAM_SIZE - 4, 8)); /* straddles the end */
    ck_assert(!bus_is_ram(b, RAM_BASE - 1, 1));
    ck_assert(!bus_is_ram(b, RAM_BASE + RAM_SIZE, 1));
    ck_assert(!bus_is_ram(b, UINT64_MAX - 3, 8)); /* wraps around */
    bus_free(b);
}
END_TEST

START_TEST(test_mmio_access_reaches_device_with_offset_and_size)
{
    struct bus *b = bus_new(RAM_BASE, RAM_SIZE);
    struct fake_dev d = {0};
    bus_map_mmio(b, "fake", 0x09000000, 0x1000, &fake_ops, &d);
    uint64_t v;
    ck_assert_int_eq(bus_mmio_read(b, 0x09000018, 4, &v), BUS_OK);
    ck_assert_uint_eq(v, 0xabcd0018);
    ck_assert_uint_eq(d.last_offset, 0x18);
    ck_assert_uint_eq(d.last_size, 4);
    ck_assert_int_eq(bus_mmio_write(b, 0x09000ffc, 2, 0x55), BUS_OK);
    ck_assert_uint_eq(d.last_offset, 0xffc);
    ck_assert_uint_eq(d.last_value, 0x55);
    bus_free(b);
}
END_TEST

START_TEST(test_unmapped_address_is_a_decode_error)
{
    struct bus *b = bus_new(RAM_BASE, RAM_SIZE);
    struct fake_dev d = {0};
    bus_map_mmio(b, "fake", 0x09000000, 0x1000, &fake_ops, &d);
    uint64_t v = 123;
    ck_assert_int_eq(bus_mmio_read(b, 0x09001000, 4, &v), BUS_UNMAPPED);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(bus_mmio_write(b, 0x0, 8, 1), BUS_UNMAPPED);
    ck_assert_uint_eq(d.reads + d.writes, 0);
    bus_free(b);
}
END_TEST

START_TEST(test_access_straddling_device_end_is_unmapped)
{
    struct bus *b = bus_new(RAM_BASE, RAM_SIZE);
    struct fake_dev d = {0};
    bus_map_mmio(b, "fake", 0x09000000, 0x1000, &fake_ops, &d);
    uint64_t v;
    ck_assert_int_eq(bus_mmio_read(b, 0x09000ffc, 8, &v), BUS_UNMAPPED);
    ck_assert_uint_eq(d.reads, 0);
    bus_free(b);
}
END_TEST

START_TEST(test_device_refusal_is_a_device_error)
{
    struct bus *b = bus_new(RAM_BASE, RAM_SIZE);
    struct fake_dev d = {.refuse = true};
    bus_map_mmio(b, "fake", 0x09000000, 0x1000, &fake_ops, &d);
    uint64_t v;
    ck_assert_int_eq(bus_mmio_read(b, 0x09000000, 8, &v), BUS_DEVICE_ERROR);
    ck_assert_int_eq(bus_mmio_write(b, 0x09000000, 8, 0), BUS_DEVICE_ERROR);
    bus_free(b);
}
END_TEST

START_TEST(test_regions_found_whatever_the_mapping_order)
{
    struct bus *b = bus_new(RAM_BASE, RAM_SIZE);
    struct fake_dev hi = {0}, lo = {0};
    bus_map_mmio(b, "hi", 0x0a000000, 0x100, &fake_ops, &hi);
    bus_map_mmio(b, "lo", 0x08000000, 0x100, &fake_ops, &lo);
    ck_assert_str_eq(bus_region_name(b, 0x08000004), "lo");
    ck_assert_str_eq(bus_region_name(b, 0x0a0000ff), "hi");
    ck_assert_str_eq(bus_region_name(b, RAM_BASE), "ram");
    ck_assert_ptr_null(bus_region_name(b, 0x0a000100));
    bus_free(b);
}
END_TEST

START_TEST(test_large_ram_costs_nothing_until_touched)
{
    /* 16 GiB of guest RAM must be reservable on a 24 GiB host because
     * nothing is committed until a page is written. */
    struct bus *b = bus_new(RAM_BASE, 16ull << 30);
    ck_assert_ptr_nonnull(b);
    uint8_t *ram = bus_ram_host(b);
    ram[(16ull << 30) - 1] = 7;
    ck_assert_uint_eq(ram[(16ull << 30) - 1], 7);
    bus_free(b);
}
END_TEST

static Suite *bus_suite(void)
{
    Suite *s = suite_create("bus");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_ram_reads_zero_before_any_write);
    tcase_add_test(tc, test_is_ram_checks_both_ends);
    tcase_add_test(tc, test_mmio_access_reaches_device_with_offset_and_size);
    tcase_add_test(tc, test_unmapped_address_is_a_decode_error);
    tcase_add_test(tc, test_access_straddling_device_end_is_unmapped);
    tcase_add_test(tc, test_device_refusal_is_a_device_error);
    tcase_add_test(tc, test_regions_found_whatever_the_mapping_order);
    tcase_add_test(tc, test_large_ram_costs_nothing_until_touched);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(bus_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
