/* The hook points the recorder hangs on outside traces/: the bus observer
 * (--trace-mmio) sees every device access after it completes, with the
 * value and how it ended, and never a RAM access. */
#include <check.h>
#include <stdlib.h>

#include "sim/bus.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (1ull << 20)
#define DEV_BASE 0x09000000ull

struct seen {
    unsigned calls;
    uint64_t pa, value;
    unsigned size;
    bool write;
    enum bus_result result;
    unsigned device_calls_at_observe; /* the device ran before the observer */
};

static unsigned device_calls;
static bool refuse;

static bool dev_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    (void)opaque;
    (void)size;
    device_calls++;
    *value = 0x5500 | offset;
    return !refuse;
}

static bool dev_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    (void)opaque, (void)offset, (void)size, (void)value;
    device_calls++;
    return !refuse;
}

static const struct mmio_ops ops = {dev_read, dev_write};

static void observe(void *opaque, uint64_t pa, unsigned size, bool write, uint64_t value,
                    enum bus_result result)
{
    struct seen *s = opaque;
    s->calls++;
    s->pa = pa;
    s->size = size;
    s->write = write;
    s->value = value;
    s->result = result;
    s->device_calls_at_observe = device_calls;
}

static struct bus *new_bus(struct seen *s)
{
    struct bus *b = bus_new(RAM_BASE, RAM_SIZE);
    bus_map_mmio(b, "dev", DEV_BASE, 0x1000, &ops, NULL);
    bus_set_observer(b, observe, s);
    device_calls = 0;
    refuse = false;
    return b;
}

START_TEST(test_observer_sees_a_read_after_the_device_with_its_value)
{
    struct seen s = {0};
    struct bus *b = new_bus(&s);
    uint64_t v;
    ck_assert_int_eq(bus_mmio_read(b, DEV_BASE + 0x18, 4, &v), BUS_OK);
    ck_assert_uint_eq(s.calls, 1);
    ck_assert_uint_eq(s.pa, DEV_BASE + 0x18);
    ck_assert_uint_eq(s.size, 4);
    ck_assert(!s.write);
    ck_assert_uint_eq(s.value, 0x5518);
    ck_assert_int_eq(s.result, BUS_OK);
    ck_assert_uint_eq(s.device_calls_at_observe, 1);
    bus_free(b);
}
END_TEST

START_TEST(test_observer_sees_a_write_with_the_written_value)
{
    struct seen s = {0};
    struct bus *b = new_bus(&s);
    ck_assert_int_eq(bus_mmio_write(b, DEV_BASE, 1, 0x41), BUS_OK);
    ck_assert(s.write);
    ck_assert_uint_eq(s.value, 0x41);
    ck_assert_uint_eq(s.size, 1);
    bus_free(b);
}
END_TEST

START_TEST(test_observer_sees_unmapped_and_refused_accesses)
{
    struct seen s = {0};
    struct bus *b = new_bus(&s);
    uint64_t v;
    ck_assert_int_eq(bus_mmio_read(b, 0x1000, 4, &v), BUS_UNMAPPED);
    ck_assert_int_eq(s.result, BUS_UNMAPPED);
    ck_assert_uint_eq(s.value, 0);
    refuse = true;
    ck_assert_int_eq(bus_mmio_write(b, DEV_BASE + 4, 8, 1), BUS_DEVICE_ERROR);
    ck_assert_int_eq(s.result, BUS_DEVICE_ERROR);
    ck_assert_uint_eq(s.calls, 2);
    bus_free(b);
}
END_TEST

START_TEST(test_no_observer_no_call_and_removal)
{
    struct seen s = {0};
    struct bus *b = new_bus(&s);
    bus_set_observer(b, NULL, NULL);
    uint64_t v;
    bus_mmio_read(b, DEV_BASE, 4, &v);
    ck_assert_uint_eq(s.calls, 0);
    ck_assert_uint_eq(device_calls, 1);
    bus_free(b);
}
END_TEST

static Suite *hooks_suite(void)
{
    Suite *s = suite_create("trace_hooks");
    TCase *tc = tcase_create("bus");
    tcase_add_test(tc, test_observer_sees_a_read_after_the_device_with_its_value);
    tcase_add_test(tc, test_observer_sees_a_write_with_the_written_value);
    tcase_add_test(tc, test_observer_sees_unmapped_and_refused_accesses);
    tcase_add_test(tc, test_no_observer_no_call_and_removal);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(hooks_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
