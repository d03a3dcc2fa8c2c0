/* The generic timer: counter derivation, firing cycles, TVAL, IMASK,
 * ENABLE, CNTVOFF and the PPI level the GIC sees. Expected values come from
 * the Arm ARM D11 rules and the default 62.5 MHz counter on a 1 GHz PE clock
 * (16 cycles per tick). */
#include <check.h>
#include <stdlib.h>

#include "sim/sched.h"
#include "timer/timer.h"

#define HZ 1000000000ull

struct fake_gic {
    bool level[2][32];
    unsigned changes;
};

static struct sched *s;
static struct timer *t;
static struct fake_gic gic;

static void fake_output(void *opaque, unsigned pe, unsigned intid, bool level)
{
    struct fake_gic *g = opaque;
    ck_assert_uint_lt(intid, 32);
    ck_assert_msg(g->level[pe][intid] != level, "output driven without a change");
    g->level[pe][intid] = level;
    g->changes++;
}

static void make(uint64_t cntfrq)
{
    s = sched_new();
    gic = (struct fake_gic){0};
    struct timer_config cfg = {.npe = 2,
                               .cntfrq = cntfrq,
                               .pe_hz = HZ,
                               .have_el2 = true,
                               .have_el2_virt = true,
                               .sched = s,
                               .output = fake_output,
                               .opaque = &gic};
    t = timer_new(&cfg);
    ck_assert_ptr_nonnull(t);
}

static void setup(void)
{
    make(0);
}

static void teardown(void)
{
    timer_free(t);
    sched_free(s);
}

static const enum timer_reg P_CTL = TIMER_REG_CTL + 3 * TIMER_EL1_PHYS;
static const enum timer_reg P_CVAL = TIMER_REG_CVAL + 3 * TIMER_EL1_PHYS;
static const enum timer_reg P_TVAL = TIMER_REG_TVAL + 3 * TIMER_EL1_PHYS;
static const enum timer_reg V_CTL = TIMER_REG_CTL + 3 * TIMER_EL1_VIRT;
static const enum timer_reg V_CVAL = TIMER_REG_CVAL + 3 * TIMER_EL1_VIRT;

START_TEST(test_counter_is_cycles_times_cntfrq_over_pe_clock)
{
    ck_assert_uint_eq(timer_read(t, 0, TIMER_REG_CNTFRQ, 0), 62500000);
    ck_assert_uint_eq(timer_read(t, 0, TIMER_REG_CNTPCT, 15), 0);
    ck_assert_uint_eq(timer_read(t, 0, TIMER_REG_CNTPCT, 16), 1);
    ck_assert_uint_eq(timer_read(t, 0, TIMER_REG_CNTPCT, 1600), 100);
    teardown();
    make(24000000); /* 24 MHz: 125 cycles per 3 ticks */
    ck_assert_uint_eq(timer_read(t, 0, TIMER_REG_CNTPCT, 1000), 24);
    ck_assert_uint_eq(timer_read(t, 0, TIMER_REG_CNTPCT, 41), 0);
    ck_assert_uint_eq(timer_read(t, 0, TIMER_REG_CNTPCT, 42), 1);
}
END_TEST

START_TEST(test_cval_fires_at_the_cycle_the_count_reaches_it)
{
    timer_write(t, 0, P_CVAL, 100, 0);
    timer_write(t, 0, P_CTL, TIMER_CTL_ENABLE, 0);
    ck_assert_uint_eq(timer_next_event(t, 0, TIMER_EL1_PHYS), 1600);
    sched_advance(s, 1599);
    ck_assert(!gic.level[0][30]);
    sched_advance(s, 1600);
    ck_assert(gic.level[0][30]);
    ck_assert_uint_eq(timer_read(t, 0, P_CTL, 1600), TIMER_CTL_ENABLE | TIMER_CTL_ISTATUS);
}
END_TEST

START_TEST(test_tval_positive_sets_cval_ahead_and_reads_remaining)
{
    timer_write(t, 0, P_TVAL, 50, 160); /* count 10 */
    ck_assert_uint_eq(timer_read(t, 0, P_CVAL, 160), 60);
    ck_assert_uint_eq(timer_read(t, 0, P_TVAL, 320), 40); /* count 20 */
}
END_TEST

START_TEST(test_tval_negative_sets_cval_behind_and_reads_elapsed_as_negative)
{
    timer_write(t, 0, P_TVAL, 0xfffffff6u, 1600); /* -10 at count 100 */
    ck_assert_uint_eq(timer_read(t, 0, P_CVAL, 1600), 90);
    /* (90 - 100)[31:0]; bits 63:32 are RES0. */
    ck_assert_uint_eq(timer_read(t, 0, P_TVAL, 1600), 0xfffffff6u);
    timer_write(t, 0, P_CTL, TIMER_CTL_ENABLE, 1600);
    ck_assert(gic.level[0][30]);
}
END_TEST

START_TEST(test_imask_keeps_istatus_and_drops_the_line)
{
    timer_write(t, 0, P_CVAL, 1, 0);
    timer_write(t, 0, P_CTL, TIMER_CTL_ENABLE, 32);
    ck_assert(gic.level[0][30]);
    timer_write(t, 0, P_CTL, TIMER_CTL_ENABLE | TIMER_CTL_IMASK, 48);
    ck_assert(!gic.level[0][30]);
    ck_assert_uint_eq(timer_read(t, 0, P_CTL, 48),
                      TIMER_CTL_ENABLE | TIMER_CTL_IMASK | TIMER_CTL_ISTATUS);
}
END_TEST

START_TEST(test_disable_drops_the_line)
{
    timer_write(t, 0, P_CVAL, 1, 0);
    timer_write(t, 0, P_CTL, TIMER_CTL_ENABLE, 32);
    ck_assert(gic.level[0][30]);
    timer_write(t, 0, P_CTL, 0, 48);
    ck_assert(!gic.level[0][30]);
    ck_assert_uint_eq(timer_next_event(t, 0, TIMER_EL1_PHYS), UINT64_MAX);
}
END_TEST

START_TEST(test_cntvoff_shifts_virtual_count_and_timer)
{
    timer_write(t, 0, TIMER_REG_CNTVOFF, 40, 0);
    ck_assert_uint_eq(timer_read(t, 0, TIMER_REG_CNTVCT, 1600), 60);
    ck_assert_uint_eq(timer_read(t, 0, TIMER_REG_CNTPCT, 1600), 100);
    timer_write(t, 0, V_CVAL, 100, 1600);
    timer_write(t, 0, V_CTL, TIMER_CTL_ENABLE, 1600);
    /* Virtual 100 is physical 140: cycle 2240. */
    ck_assert_uint_eq(timer_next_event(t, 0, TIMER_EL1_VIRT), 2240);
    timer_write(t, 0, TIMER_REG_CNTVOFF, 20, 1600);
    /* Now physical 120: cycle 1920. */
    ck_assert_uint_eq(timer_next_event(t, 0, TIMER_EL1_VIRT), 1920);
    sched_advance(s, 1919);
    ck_assert(!gic.level[0][27]);
    sched_advance(s, 1920);
    ck_assert(gic.level[0][27]);
}
END_TEST

START_TEST(test_virtual_count_below_offset_wraps_and_meets_the_condition)
{
    /* CNTVCT = CNTPCT - CNTVOFF modulo 2^64: huge, so count >= CVAL. */
    timer_write(t, 0, TIMER_REG_CNTVOFF, 40, 0);
    timer_write(t, 0, V_CVAL, 100, 0);
    timer_write(t, 0, V_CTL, TIMER_CTL_ENABLE, 0);
    ck_assert(gic.level[0][27]);
}
END_TEST

START_TEST(test_ppi_level_follows_each_timer_on_its_own_pe)
{
    timer_write(t, 1, TIMER_REG_CVAL + 3 * TIMER_EL2_PHYS, 2, 0);
    timer_write(t, 1, TIMER_REG_CTL + 3 * TIMER_EL2_PHYS, TIMER_CTL_ENABLE, 0);
    timer_write(t, 1, TIMER_REG_CVAL + 3 * TIMER_EL2_VIRT, 3, 0);
    timer_write(t, 1, TIMER_REG_CTL + 3 * TIMER_EL2_VIRT, TIMER_CTL_ENABLE, 0);
    sched_advance(s, 32);
    ck_assert(gic.level[1][26]);
    ck_assert(!gic.level[1][28]);
    ck_assert(!gic.level[0][26]);
    sched_advance(s, 48);
    ck_assert(gic.level[1][28]);
    ck_assert_uint_eq(gic.changes, 2);
    /* Moving CVAL forward lowers the line at once: it is a level. */
    timer_write(t, 1, TIMER_REG_CVAL + 3 * TIMER_EL2_PHYS, 1000, 48);
    ck_assert(!gic.level[1][26]);
}
END_TEST

START_TEST(test_cval_write_reschedules_the_event)
{
    timer_write(t, 0, P_CVAL, 100, 0);
    timer_write(t, 0, P_CTL, TIMER_CTL_ENABLE, 0);
    timer_write(t, 0, P_CVAL, 10, 0);
    ck_assert_uint_eq(timer_next_event(t, 0, TIMER_EL1_PHYS), 160);
    ck_assert_uint_eq(sched_count(s), 1);
    sched_advance(s, 160);
    ck_assert(gic.level[0][30]);
    ck_assert_uint_eq(timer_next_event(t, 0, TIMER_EL1_PHYS), UINT64_MAX);
}
END_TEST

/* Event stream edges, 16 cycles per tick: bit 0 rises when the count
 * becomes 1 (cycle 16), 3, 5, ... and falls when it becomes 2, 4, ... */
START_TEST(test_event_stream_bit0_edges_alternate_each_tick)
{
    ck_assert_uint_eq(timer_bit_transition(t, 0, false, 0, true, 0), 16);
    ck_assert_uint_eq(timer_bit_transition(t, 0, false, 0, false, 0), 32);
    /* An edge at AFTER's own count has happened already: the next. */
    ck_assert_uint_eq(timer_bit_transition(t, 0, false, 0, true, 16), 48);
    ck_assert_uint_eq(timer_bit_transition(t, 0, false, 0, true, 47), 48);
}
END_TEST

/* Bit 3 rises at count 8 (cycle 128), then every 16 ticks (256 cycles);
 * it falls at count 16; bit 15 rises at count 32768. */
START_TEST(test_event_stream_higher_bits_period_is_two_to_the_bit_plus_one)
{
    ck_assert_uint_eq(timer_bit_transition(t, 0, false, 3, true, 0), 8 * 16);
    ck_assert_uint_eq(timer_bit_transition(t, 0, false, 3, true, 8 * 16), 24 * 16);
    ck_assert_uint_eq(timer_bit_transition(t, 0, false, 3, false, 8 * 16), 16 * 16);
    ck_assert_uint_eq(timer_bit_transition(t, 0, false, 15, true, 0), 32768ull * 16);
}
END_TEST

/* The virtual stream watches CNTPCT - CNTVOFF: with CNTVOFF = 5 the virtual
 * count is -5 (...11011) at CNTPCT 0, and its bit 1 next rises at -2
 * (...11110), CNTPCT 3. The physical stream ignores the offset. Only the
 * PE whose CNTVOFF it is sees the shift. */
START_TEST(test_event_stream_virtual_count_includes_cntvoff)
{
    timer_write(t, 0, TIMER_REG_CNTVOFF, 5, 0);
    ck_assert_uint_eq(timer_bit_transition(t, 0, true, 1, true, 0), 3 * 16);
    ck_assert_uint_eq(timer_bit_transition(t, 0, false, 1, true, 0), 2 * 16);
    ck_assert_uint_eq(timer_bit_transition(t, 1, true, 1, true, 0), 2 * 16);
}
END_TEST

/* 24 MHz: count n is reached at cycle ceil(n * 1e9 / 24e6), so bit 2's
 * first rise (count 4) is at cycle 167 and its fall (count 8) at 334. */
START_TEST(test_event_stream_edges_follow_a_non_integral_tick)
{
    teardown();
    make(24000000);
    ck_assert_uint_eq(timer_bit_transition(t, 0, false, 2, true, 0), 167);
    ck_assert_uint_eq(timer_bit_transition(t, 0, false, 2, false, 0), 334);
}
END_TEST

static Suite *timer_suite(void)
{
    Suite *su = suite_create("timer");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_counter_is_cycles_times_cntfrq_over_pe_clock);
    tcase_add_test(tc, test_cval_fires_at_the_cycle_the_count_reaches_it);
    tcase_add_test(tc, test_tval_positive_sets_cval_ahead_and_reads_remaining);
    tcase_add_test(tc, test_tval_negative_sets_cval_behind_and_reads_elapsed_as_negative);
    tcase_add_test(tc, test_imask_keeps_istatus_and_drops_the_line);
    tcase_add_test(tc, test_disable_drops_the_line);
    tcase_add_test(tc, test_cntvoff_shifts_virtual_count_and_timer);
    tcase_add_test(tc, test_virtual_count_below_offset_wraps_and_meets_the_condition);
    tcase_add_test(tc, test_ppi_level_follows_each_timer_on_its_own_pe);
    tcase_add_test(tc, test_cval_write_reschedules_the_event);
    tcase_add_test(tc, test_event_stream_bit0_edges_alternate_each_tick);
    tcase_add_test(tc, test_event_stream_higher_bits_period_is_two_to_the_bit_plus_one);
    tcase_add_test(tc, test_event_stream_virtual_count_includes_cntvoff);
    tcase_add_test(tc, test_event_stream_edges_follow_a_non_integral_tick);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(timer_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
