/* Unit tests for the PL031 real-time clock model (sim/pl031.h).
 *
 * Expected values come from the PL031 TRM (register offsets, bit positions,
 * reset values, PrimeCell ID, the counter as CLK1HZ plus a load offset,
 * RTCINTR asserted when counter and match are equal) and from the modelling
 * choices documented at the top of sim/pl031.c (QEMU virt's revision 1,
 * sticky RTCStart with the counter always running, the match as an event
 * armed by RTCMR/RTCLR writes, word accesses only). Simulated time is the
 * harness's clock, 1 GHz as on the board. */
#include "sim/pl031.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- Register map (TRM) -------------------------------------------------- */

#define RTCDR        0x000
#define RTCMR        0x004
#define RTCLR        0x008
#define RTCCR        0x00C
#define RTCIMSC      0x010
#define RTCRIS       0x014
#define RTCMIS       0x018
#define RTCICR       0x01C
#define RTCPeriphID0 0xFE0
#define RTCPCellID0  0xFF0

#define CR_RTCSTART (1u << 0)
#define INT_RTC     (1u << 0)

#define PE_HZ       1000000000ull /* 1 GHz: one second is 1e9 cycles */
#define SEC         PE_HZ
#define EPOCH       1700000000u /* 2023-11-14 22:13:20 UTC */
#define IRQ_LINE_ID 34          /* SPI 2 as wired on the virt board: any number will do */

/* ---- Harness: simulated clock, interrupt sink ---------------------------- */

struct harness {
    uint64_t now; /* the simulated time of the next access */
    unsigned now_calls;

    unsigned irq_calls;
    bool irq_last;
    int irq_line_seen;
};

static struct harness h;
static struct pl031 *rtc;

static uint64_t clock_now(void *opaque)
{
    struct harness *hs = opaque;

    hs->now_calls++;
    return hs->now;
}

static void irq_sink(void *opaque, int line, bool level)
{
    struct harness *hs = opaque;

    hs->irq_calls++;
    hs->irq_last = level;
    hs->irq_line_seen = line;
}

static struct pl031 *make_rtc_with(uint32_t epoch, uint64_t pe_hz)
{
    struct pl031_config cfg = {
        .epoch = epoch,
        .pe_hz = pe_hz,
        .now = clock_now,
        .now_opaque = &h,
        .irq = {.sink = irq_sink, .opaque = &h, .line = IRQ_LINE_ID, .level = false},
    };
    struct pl031 *p = pl031_new(&cfg);

    ck_assert_ptr_nonnull(p);
    return p;
}

static void make_rtc(void)
{
    rtc = make_rtc_with(EPOCH, PE_HZ);
}

static uint32_t rd_on(struct pl031 *p, uint64_t offset)
{
    uint64_t v = 0xDEADBEEF;

    ck_assert(pl031_read(p, offset, 4, &v));
    ck_assert_uint_le(v, 0xFFFFFFFFu);
    return (uint32_t)v;
}

static void wr_on(struct pl031 *p, uint64_t offset, uint32_t value)
{
    ck_assert(pl031_write(p, offset, 4, value));
}

static uint32_t rd(uint64_t offset)
{
    return rd_on(rtc, offset);
}

static void wr(uint64_t offset, uint32_t value)
{
    wr_on(rtc, offset, value);
}

/* Read OFFSET with the clock at cycle AT. */
static uint32_t rd_at(uint64_t at, uint64_t offset)
{
    h.now = at;
    return rd(offset);
}

/* Write OFFSET with the clock at cycle AT. */
static void wr_at(uint64_t at, uint64_t offset, uint32_t value)
{
    h.now = at;
    wr(offset, value);
}

static void setup(void)
{
    memset(&h, 0, sizeof(h));
    rtc = NULL;
}

static void teardown(void)
{
    pl031_free(rtc);
    rtc = NULL;
}

/* ---- Identification and reset values ------------------------------------ */

START_TEST(test_periph_id_reads_part_031_designer_41_revision_1)
{
    make_rtc();
    ck_assert_uint_eq(rd(RTCPeriphID0 + 0), 0x31);
    ck_assert_uint_eq(rd(RTCPeriphID0 + 4), 0x10);
    ck_assert_uint_eq(rd(RTCPeriphID0 + 8), 0x14);
    ck_assert_uint_eq(rd(RTCPeriphID0 + 12), 0x00);
}
END_TEST

START_TEST(test_pcell_id_reads_b105f00d)
{
    make_rtc();
    ck_assert_uint_eq(rd(RTCPCellID0 + 0), 0x0D);
    ck_assert_uint_eq(rd(RTCPCellID0 + 4), 0xF0);
    ck_assert_uint_eq(rd(RTCPCellID0 + 8), 0x05);
    ck_assert_uint_eq(rd(RTCPCellID0 + 12), 0xB1);
}
END_TEST

START_TEST(test_registers_reset_to_zero)
{
    make_rtc();
    ck_assert_uint_eq(rd(RTCMR), 0);
    ck_assert_uint_eq(rd(RTCLR), 0);
    ck_assert_uint_eq(rd(RTCCR), 0);
    ck_assert_uint_eq(rd(RTCIMSC), 0);
    ck_assert_uint_eq(rd(RTCRIS), 0);
    ck_assert_uint_eq(rd(RTCMIS), 0);
    ck_assert(!pl031_irq_level(rtc));
    ck_assert_uint_eq(h.irq_calls, 0);
}
END_TEST

START_TEST(test_reset_restores_reset_values_and_lowers_line)
{
    make_rtc();
    wr_at(2 * SEC, RTCLR, 1000);
    wr(RTCMR, 1000);
    wr(RTCIMSC, INT_RTC);
    wr(RTCCR, CR_RTCSTART);
    ck_assert(pl031_irq_level(rtc));
    pl031_reset(rtc);
    ck_assert(!pl031_irq_level(rtc));
    ck_assert_uint_eq(rd_at(3 * SEC, RTCDR), EPOCH + 3);
    ck_assert_uint_eq(rd(RTCMR), 0);
    ck_assert_uint_eq(rd(RTCLR), 0);
    ck_assert_uint_eq(rd(RTCCR), 0);
    ck_assert_uint_eq(rd(RTCIMSC), 0);
    ck_assert_uint_eq(rd(RTCRIS), 0);
    ck_assert_uint_eq(pl031_next_event(rtc, 3 * SEC), UINT64_MAX);
}
END_TEST

/* ---- The counter --------------------------------------------------------- */

START_TEST(test_dr_reads_epoch_at_reset)
{
    make_rtc();
    ck_assert_uint_eq(rd_at(0, RTCDR), EPOCH);
}
END_TEST

START_TEST(test_dr_counts_whole_seconds_of_simulated_time)
{
    make_rtc();
    ck_assert_uint_eq(rd_at(1 * SEC, RTCDR), EPOCH + 1);
    ck_assert_uint_eq(rd_at(7 * SEC, RTCDR), EPOCH + 7);
    ck_assert_uint_eq(rd_at(3600 * SEC, RTCDR), EPOCH + 3600);
}
END_TEST

START_TEST(test_dr_truncates_partial_seconds)
{
    make_rtc();
    ck_assert_uint_eq(rd_at(SEC - 1, RTCDR), EPOCH);
    ck_assert_uint_eq(rd_at(SEC + SEC / 2, RTCDR), EPOCH + 1);
    ck_assert_uint_eq(rd_at(5 * SEC - 1, RTCDR), EPOCH + 4);
}
END_TEST

START_TEST(test_second_length_follows_pe_hz)
{
    rtc = make_rtc_with(EPOCH, 62500000); /* a 62.5 MHz clock */
    ck_assert_uint_eq(rd_at(62500000 - 1, RTCDR), EPOCH);
    ck_assert_uint_eq(rd_at(62500000, RTCDR), EPOCH + 1);
    ck_assert_uint_eq(rd_at(10 * 62500000ull, RTCDR), EPOCH + 10);
}
END_TEST

START_TEST(test_dr_ignores_writes)
{
    make_rtc();
    wr_at(2 * SEC, RTCDR, 5);
    ck_assert_uint_eq(rd(RTCDR), EPOCH + 2);
    ck_assert_uint_eq(rd(RTCLR), 0);
}
END_TEST

START_TEST(test_counter_wraps_at_32_bits)
{
    make_rtc();
    wr_at(0, RTCLR, 0xFFFFFFFF);
    ck_assert_uint_eq(rd_at(SEC, RTCDR), 0);
    ck_assert_uint_eq(rd_at(3 * SEC, RTCDR), 2);
}
END_TEST

START_TEST(test_counter_runs_before_rtcstart_is_set)
{
    make_rtc();
    ck_assert_uint_eq(rd_at(4 * SEC, RTCCR), 0);
    ck_assert_uint_eq(rd(RTCDR), EPOCH + 4);
}
END_TEST

/* ---- Loading ------------------------------------------------------------- */

START_TEST(test_lr_write_sets_dr_at_once)
{
    make_rtc();
    wr_at(10 * SEC, RTCLR, 123456);
    ck_assert_uint_eq(rd(RTCDR), 123456);
}
END_TEST

START_TEST(test_lr_counting_continues_from_loaded_value)
{
    make_rtc();
    wr_at(10 * SEC, RTCLR, 123456);
    ck_assert_uint_eq(rd_at(11 * SEC, RTCDR), 123457);
    ck_assert_uint_eq(rd_at(70 * SEC, RTCDR), 123516);
}
END_TEST

START_TEST(test_lr_write_can_move_the_counter_back)
{
    make_rtc();
    wr_at(10 * SEC, RTCLR, 5);
    ck_assert_uint_eq(rd(RTCDR), 5);
    ck_assert_uint_eq(rd_at(12 * SEC, RTCDR), 7);
}
END_TEST

/* TRM: the load is an offset applied to the free-running CLK1HZ counter, so
 * the next step comes at the next CLK1HZ edge, not a second after the load. */
START_TEST(test_lr_write_keeps_clk1hz_phase)
{
    make_rtc();
    wr_at(10 * SEC + SEC / 2, RTCLR, 1000);
    ck_assert_uint_eq(rd_at(11 * SEC - 1, RTCDR), 1000);
    ck_assert_uint_eq(rd_at(11 * SEC, RTCDR), 1001);
}
END_TEST

START_TEST(test_lr_reads_last_value_written)
{
    make_rtc();
    wr_at(1 * SEC, RTCLR, 0xCAFEF00D);
    ck_assert_uint_eq(rd_at(9 * SEC, RTCLR), 0xCAFEF00D);
    wr(RTCLR, 42);
    ck_assert_uint_eq(rd_at(20 * SEC, RTCLR), 42);
}
END_TEST

START_TEST(test_mr_reads_last_value_written)
{
    make_rtc();
    wr(RTCMR, 0x89ABCDEF);
    ck_assert_uint_eq(rd(RTCMR), 0x89ABCDEF);
}
END_TEST

/* ---- RTCCR --------------------------------------------------------------- */

START_TEST(test_cr_start_reads_one_once_set)
{
    make_rtc();
    wr(RTCCR, CR_RTCSTART);
    ck_assert_uint_eq(rd(RTCCR), CR_RTCSTART);
}
END_TEST

START_TEST(test_cr_zero_before_start_leaves_it_clear)
{
    make_rtc();
    wr(RTCCR, 0);
    ck_assert_uint_eq(rd(RTCCR), 0);
}
END_TEST

START_TEST(test_cr_writes_after_start_have_no_effect)
{
    make_rtc();
    wr(RTCCR, CR_RTCSTART);
    wr(RTCCR, 0);
    ck_assert_uint_eq(rd(RTCCR), CR_RTCSTART);
    wr(RTCCR, 0xFFFFFFFE);
    ck_assert_uint_eq(rd(RTCCR), CR_RTCSTART);
}
END_TEST

START_TEST(test_cr_reserved_bits_read_zero)
{
    make_rtc();
    wr(RTCCR, 0xFFFFFFFE);
    ck_assert_uint_eq(rd(RTCCR), 0);
    wr(RTCCR, 0xFFFFFFFF);
    ck_assert_uint_eq(rd(RTCCR), CR_RTCSTART);
}
END_TEST

START_TEST(test_cr_start_does_not_change_the_count)
{
    make_rtc();
    wr_at(3 * SEC + 1, RTCCR, CR_RTCSTART);
    ck_assert_uint_eq(rd(RTCDR), EPOCH + 3);
    ck_assert_uint_eq(rd_at(4 * SEC, RTCDR), EPOCH + 4);
}
END_TEST

/* ---- The match ----------------------------------------------------------- */

START_TEST(test_no_event_pending_at_reset)
{
    make_rtc();
    ck_assert_uint_eq(pl031_next_event(rtc, 0), UINT64_MAX);
}
END_TEST

START_TEST(test_next_event_is_first_cycle_of_matching_second)
{
    make_rtc();
    wr_at(SEC / 3, RTCMR, EPOCH + 5);
    ck_assert_uint_eq(pl031_next_event(rtc, SEC / 3), 5 * SEC);
}
END_TEST

START_TEST(test_ris_latched_exactly_when_counter_reaches_match)
{
    make_rtc();
    wr_at(0, RTCMR, EPOCH + 5);
    pl031_advance(rtc, 5 * SEC - 1);
    ck_assert_uint_eq(rd(RTCRIS), 0);
    ck_assert_uint_eq(pl031_next_event(rtc, 5 * SEC - 1), 5 * SEC);
    pl031_advance(rtc, 5 * SEC);
    h.now = 5 * SEC;
    ck_assert_uint_eq(rd(RTCDR), EPOCH + 5);
    ck_assert_uint_eq(rd(RTCRIS), INT_RTC);
    ck_assert_uint_eq(pl031_next_event(rtc, 5 * SEC), UINT64_MAX);
}
END_TEST

START_TEST(test_register_access_latches_due_match)
{
    make_rtc();
    wr_at(0, RTCMR, EPOCH + 2);
    ck_assert_uint_eq(rd_at(2 * SEC - 1, RTCRIS), 0);
    ck_assert_uint_eq(rd_at(2 * SEC, RTCRIS), INT_RTC);
}
END_TEST

START_TEST(test_late_advance_still_latches_passed_match)
{
    make_rtc();
    wr_at(0, RTCMR, EPOCH + 2);
    pl031_advance(rtc, 9 * SEC);
    ck_assert_uint_eq(rd_at(9 * SEC, RTCRIS), INT_RTC);
}
END_TEST

START_TEST(test_next_event_never_earlier_than_now)
{
    make_rtc();
    wr_at(0, RTCMR, EPOCH + 2);
    ck_assert_uint_eq(pl031_next_event(rtc, 3 * SEC), 3 * SEC);
}
END_TEST

START_TEST(test_match_equal_to_counter_latches_at_once)
{
    make_rtc();
    wr_at(4 * SEC + 7, RTCMR, EPOCH + 4);
    ck_assert_uint_eq(rd(RTCRIS), INT_RTC);
    ck_assert_uint_eq(pl031_next_event(rtc, 4 * SEC + 7), UINT64_MAX);
}
END_TEST

START_TEST(test_match_in_the_past_gives_no_event)
{
    make_rtc();
    wr_at(10 * SEC, RTCMR, EPOCH + 9);
    ck_assert_uint_eq(rd(RTCRIS), 0);
    ck_assert_uint_eq(pl031_next_event(rtc, 10 * SEC), UINT64_MAX);
    pl031_advance(rtc, 1000 * SEC);
    ck_assert_uint_eq(rd_at(1000 * SEC, RTCRIS), 0);
}
END_TEST

START_TEST(test_match_fires_once)
{
    make_rtc();
    wr(RTCIMSC, INT_RTC);
    wr_at(0, RTCMR, EPOCH + 1);
    pl031_advance(rtc, SEC);
    wr_at(SEC, RTCICR, INT_RTC);
    pl031_advance(rtc, SEC + SEC / 2);
    ck_assert_uint_eq(rd_at(5 * SEC, RTCRIS), 0);
    ck_assert_uint_eq(pl031_next_event(rtc, 5 * SEC), UINT64_MAX);
    ck_assert_uint_eq(h.irq_calls, 2);
}
END_TEST

START_TEST(test_mr_rewrite_moves_the_event)
{
    make_rtc();
    wr_at(0, RTCMR, EPOCH + 10);
    wr_at(SEC, RTCMR, EPOCH + 3);
    ck_assert_uint_eq(pl031_next_event(rtc, SEC), 3 * SEC);
    ck_assert_uint_eq(rd_at(10 * SEC - 1, RTCRIS), INT_RTC);
}
END_TEST

START_TEST(test_mr_rewrite_into_the_past_cancels_the_event)
{
    make_rtc();
    wr_at(0, RTCMR, EPOCH + 10);
    wr_at(5 * SEC, RTCMR, EPOCH + 1);
    ck_assert_uint_eq(pl031_next_event(rtc, 5 * SEC), UINT64_MAX);
    ck_assert_uint_eq(rd_at(20 * SEC, RTCRIS), 0);
}
END_TEST

START_TEST(test_lr_write_rearms_match_from_loaded_value)
{
    make_rtc();
    wr_at(0, RTCMR, 5000);
    ck_assert_uint_eq(pl031_next_event(rtc, 0), UINT64_MAX); /* EPOCH is past 5000 */
    wr_at(2 * SEC, RTCLR, 4997);
    ck_assert_uint_eq(pl031_next_event(rtc, 2 * SEC), 5 * SEC);
    ck_assert_uint_eq(rd_at(5 * SEC - 1, RTCRIS), 0);
    ck_assert_uint_eq(rd_at(5 * SEC, RTCRIS), INT_RTC);
}
END_TEST

START_TEST(test_lr_write_mid_second_matches_at_clk1hz_edge)
{
    make_rtc();
    wr_at(0, RTCMR, 5000);
    wr_at(2 * SEC + SEC / 4, RTCLR, 4998);
    ck_assert_uint_eq(pl031_next_event(rtc, 2 * SEC + SEC / 4), 4 * SEC);
}
END_TEST

START_TEST(test_lr_write_equal_to_match_latches_at_once)
{
    make_rtc();
    wr_at(0, RTCMR, 5000);
    wr_at(3 * SEC, RTCLR, 5000);
    ck_assert_uint_eq(rd(RTCRIS), INT_RTC);
}
END_TEST

START_TEST(test_lr_write_past_match_cancels_the_event)
{
    make_rtc();
    wr_at(0, RTCMR, EPOCH + 10);
    wr_at(SEC, RTCLR, EPOCH + 20);
    ck_assert_uint_eq(pl031_next_event(rtc, SEC), UINT64_MAX);
    ck_assert_uint_eq(rd_at(30 * SEC, RTCRIS), 0);
}
END_TEST

/* ---- Interrupts ---------------------------------------------------------- */

START_TEST(test_mis_is_ris_and_imsc)
{
    make_rtc();
    wr_at(0, RTCMR, EPOCH); /* equal: RIS at once */
    ck_assert_uint_eq(rd(RTCRIS), INT_RTC);
    ck_assert_uint_eq(rd(RTCMIS), 0);
    wr(RTCIMSC, INT_RTC);
    ck_assert_uint_eq(rd(RTCMIS), INT_RTC);
    wr(RTCIMSC, 0);
    ck_assert_uint_eq(rd(RTCMIS), 0);
    ck_assert_uint_eq(rd(RTCRIS), INT_RTC);
}
END_TEST

START_TEST(test_imsc_alone_does_not_raise_mis)
{
    make_rtc();
    wr(RTCIMSC, INT_RTC);
    ck_assert_uint_eq(rd(RTCMIS), 0);
    ck_assert(!pl031_irq_level(rtc));
}
END_TEST

START_TEST(test_imsc_reserved_bits_read_zero)
{
    make_rtc();
    wr(RTCIMSC, 0xFFFFFFFF);
    ck_assert_uint_eq(rd(RTCIMSC), INT_RTC);
}
END_TEST

START_TEST(test_irq_line_follows_mis)
{
    make_rtc();
    wr_at(0, RTCIMSC, INT_RTC);
    wr(RTCMR, EPOCH + 1);
    ck_assert(!pl031_irq_level(rtc));
    pl031_advance(rtc, SEC);
    ck_assert(pl031_irq_level(rtc));
    ck_assert_uint_eq(h.irq_calls, 1);
    ck_assert(h.irq_last);
    ck_assert_int_eq(h.irq_line_seen, IRQ_LINE_ID);
    wr_at(SEC, RTCIMSC, 0);
    ck_assert(!pl031_irq_level(rtc));
    wr(RTCIMSC, INT_RTC);
    ck_assert(pl031_irq_level(rtc));
    ck_assert_uint_eq(h.irq_calls, 3);
}
END_TEST

START_TEST(test_icr_write_one_clears_ris)
{
    make_rtc();
    wr_at(0, RTCIMSC, INT_RTC);
    wr(RTCMR, EPOCH);
    ck_assert(pl031_irq_level(rtc));
    wr(RTCICR, INT_RTC);
    ck_assert_uint_eq(rd(RTCRIS), 0);
    ck_assert_uint_eq(rd(RTCMIS), 0);
    ck_assert(!pl031_irq_level(rtc));
    ck_assert_uint_eq(h.irq_calls, 2);
    ck_assert(!h.irq_last);
}
END_TEST

START_TEST(test_icr_write_zero_leaves_ris)
{
    make_rtc();
    wr_at(0, RTCMR, EPOCH);
    wr(RTCICR, 0xFFFFFFFE);
    ck_assert_uint_eq(rd(RTCRIS), INT_RTC);
}
END_TEST

START_TEST(test_icr_within_matching_second_does_not_reassert)
{
    make_rtc();
    wr_at(0, RTCMR, EPOCH + 1);
    pl031_advance(rtc, SEC);
    wr_at(SEC + 1, RTCICR, INT_RTC);
    ck_assert_uint_eq(rd_at(SEC + SEC / 2, RTCDR), EPOCH + 1);
    ck_assert_uint_eq(rd(RTCRIS), 0);
}
END_TEST

START_TEST(test_icr_reads_zero)
{
    make_rtc();
    wr_at(0, RTCMR, EPOCH);
    ck_assert_uint_eq(rd(RTCICR), 0);
}
END_TEST

START_TEST(test_ris_and_mis_ignore_writes)
{
    make_rtc();
    wr(RTCRIS, 0xFFFFFFFF);
    wr(RTCMIS, 0xFFFFFFFF);
    ck_assert_uint_eq(rd(RTCRIS), 0);
    ck_assert_uint_eq(rd(RTCMIS), 0);
    wr(RTCMR, EPOCH);
    wr(RTCRIS, 0);
    ck_assert_uint_eq(rd(RTCRIS), INT_RTC);
}
END_TEST

START_TEST(test_irq_sink_called_once_per_level_change)
{
    make_rtc();
    wr_at(0, RTCIMSC, INT_RTC);
    wr(RTCMR, EPOCH + 1);
    pl031_advance(rtc, SEC);
    pl031_advance(rtc, SEC + 1);
    rd_at(2 * SEC, RTCRIS);
    wr(RTCIMSC, INT_RTC);
    ck_assert_uint_eq(h.irq_calls, 1);
    wr(RTCICR, INT_RTC);
    wr(RTCICR, INT_RTC);
    pl031_advance(rtc, 3 * SEC);
    ck_assert_uint_eq(h.irq_calls, 2);
    ck_assert(!h.irq_last);
}
END_TEST

/* ---- Access sizes and reserved space ------------------------------------- */

START_TEST(test_byte_and_halfword_reads_refused)
{
    uint64_t v = 0xDEADBEEF;

    make_rtc();
    ck_assert(!pl031_read(rtc, RTCDR, 1, &v));
    ck_assert_uint_eq(v, 0);
    v = 0xDEADBEEF;
    ck_assert(!pl031_read(rtc, RTCPeriphID0, 2, &v));
    ck_assert_uint_eq(v, 0);
}
END_TEST

START_TEST(test_size8_read_refused)
{
    uint64_t v = 0xDEADBEEF;

    make_rtc();
    ck_assert(!pl031_read(rtc, RTCDR, 8, &v));
    ck_assert_uint_eq(v, 0);
}
END_TEST

START_TEST(test_refused_writes_change_nothing)
{
    make_rtc();
    h.now = 2 * SEC;
    ck_assert(!pl031_write(rtc, RTCLR, 1, 7));
    ck_assert(!pl031_write(rtc, RTCLR, 2, 7));
    ck_assert(!pl031_write(rtc, RTCLR, 8, 7));
    ck_assert(!pl031_write(rtc, RTCMR, 2, EPOCH + 2));
    ck_assert_uint_eq(rd(RTCLR), 0);
    ck_assert_uint_eq(rd(RTCDR), EPOCH + 2);
    ck_assert_uint_eq(rd(RTCMR), 0);
    ck_assert_uint_eq(rd(RTCRIS), 0);
}
END_TEST

START_TEST(test_unaligned_word_access_refused)
{
    uint64_t v;

    make_rtc();
    ck_assert(!pl031_read(rtc, RTCMR + 2, 4, &v));
    ck_assert(!pl031_write(rtc, RTCLR + 1, 4, 7));
    ck_assert_uint_eq(rd(RTCLR), 0);
}
END_TEST

START_TEST(test_reserved_offsets_read_zero)
{
    static const uint64_t reserved[] = {0x020, 0x024, 0x100, 0x800, 0xFDC};

    make_rtc();
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        ck_assert_uint_eq(rd(reserved[i]), 0);
}
END_TEST

START_TEST(test_reserved_offsets_ignore_writes)
{
    make_rtc();
    wr(0x020, 0xFFFFFFFF);
    wr(0x800, 0xFFFFFFFF);
    wr(0xFDC, 0xFFFFFFFF);
    ck_assert_uint_eq(rd(0x020), 0);
    ck_assert_uint_eq(rd(0x800), 0);
    ck_assert_uint_eq(rd(0xFDC), 0);
    ck_assert_uint_eq(rd(RTCDR), EPOCH);
    ck_assert_uint_eq(rd(RTCCR), 0);
}
END_TEST

START_TEST(test_id_registers_ignore_writes)
{
    make_rtc();
    wr(RTCPeriphID0, 0);
    wr(RTCPCellID0 + 12, 0);
    ck_assert_uint_eq(rd(RTCPeriphID0), 0x31);
    ck_assert_uint_eq(rd(RTCPCellID0 + 12), 0xB1);
}
END_TEST

START_TEST(test_every_register_access_asks_the_time_source)
{
    make_rtc();
    ck_assert_uint_eq(h.now_calls, 0);
    rd(RTCPeriphID0);
    wr(RTCIMSC, 0);
    rd(0x100);
    ck_assert_uint_eq(h.now_calls, 3);
}
END_TEST

/* ---- Determinism --------------------------------------------------------- */

/* One fixed script of timed accesses; returns a digest of everything read. */
static uint64_t run_script(struct pl031 *p, uint64_t *next_event)
{
    static const struct {
        uint64_t at;
        bool write;
        uint32_t offset;
        uint32_t value;
    } script[] = {
        {0, false, RTCDR, 0},
        {SEC / 2, true, RTCIMSC, INT_RTC},
        {SEC, true, RTCMR, EPOCH + 4},
        {3 * SEC + 17, false, RTCDR, 0},
        {4 * SEC, false, RTCRIS, 0},
        {4 * SEC + 1, true, RTCICR, INT_RTC},
        {6 * SEC + SEC / 3, true, RTCLR, 100},
        {7 * SEC, true, RTCMR, 104},
        {9 * SEC + 5, false, RTCDR, 0},
        {9 * SEC + 6, false, RTCMIS, 0},
    };
    uint64_t digest = 0;

    for (size_t i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
        h.now = script[i].at;
        if (script[i].write)
            wr_on(p, script[i].offset, script[i].value);
        else
            digest = digest * 1000003u + rd_on(p, script[i].offset);
    }
    *next_event = pl031_next_event(p, h.now);
    return digest;
}

START_TEST(test_two_models_with_same_inputs_read_the_same)
{
    struct pl031 *a = make_rtc_with(EPOCH, PE_HZ);
    struct pl031 *b = make_rtc_with(EPOCH, PE_HZ);
    uint64_t next_a, next_b;
    uint64_t digest_a = run_script(a, &next_a);
    uint64_t digest_b = run_script(b, &next_b);

    ck_assert_uint_eq(digest_a, digest_b);
    ck_assert_uint_eq(next_a, next_b);
    ck_assert_uint_eq(next_a, 10 * SEC); /* 101 at 7 s, so 104 at 10 s */
    pl031_free(a);
    pl031_free(b);
}
END_TEST

START_TEST(test_epoch_zero_reads_zero_whatever_the_host_date)
{
    rtc = make_rtc_with(0, PE_HZ);
    ck_assert_uint_eq(rd_at(0, RTCDR), 0);
    ck_assert_uint_eq(rd_at(59 * SEC, RTCDR), 59);
}
END_TEST

/* ---- Suite --------------------------------------------------------------- */

static Suite *pl031_suite(void)
{
    Suite *s = suite_create("pl031");
    TCase *id = tcase_create("reset");
    TCase *count = tcase_create("counter");
    TCase *load = tcase_create("load");
    TCase *cr = tcase_create("control");
    TCase *match = tcase_create("match");
    TCase *irq = tcase_create("interrupts");
    TCase *acc = tcase_create("access");
    TCase *det = tcase_create("determinism");
    TCase *all[] = {id, count, load, cr, match, irq, acc, det};

    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        tcase_add_checked_fixture(all[i], setup, teardown);
        suite_add_tcase(s, all[i]);
    }

    tcase_add_test(id, test_periph_id_reads_part_031_designer_41_revision_1);
    tcase_add_test(id, test_pcell_id_reads_b105f00d);
    tcase_add_test(id, test_registers_reset_to_zero);
    tcase_add_test(id, test_reset_restores_reset_values_and_lowers_line);

    tcase_add_test(count, test_dr_reads_epoch_at_reset);
    tcase_add_test(count, test_dr_counts_whole_seconds_of_simulated_time);
    tcase_add_test(count, test_dr_truncates_partial_seconds);
    tcase_add_test(count, test_second_length_follows_pe_hz);
    tcase_add_test(count, test_dr_ignores_writes);
    tcase_add_test(count, test_counter_wraps_at_32_bits);
    tcase_add_test(count, test_counter_runs_before_rtcstart_is_set);

    tcase_add_test(load, test_lr_write_sets_dr_at_once);
    tcase_add_test(load, test_lr_counting_continues_from_loaded_value);
    tcase_add_test(load, test_lr_write_can_move_the_counter_back);
    tcase_add_test(load, test_lr_write_keeps_clk1hz_phase);
    tcase_add_test(load, test_lr_reads_last_value_written);
    tcase_add_test(load, test_mr_reads_last_value_written);

    tcase_add_test(cr, test_cr_start_reads_one_once_set);
    tcase_add_test(cr, test_cr_zero_before_start_leaves_it_clear);
    tcase_add_test(cr, test_cr_writes_after_start_have_no_effect);
    tcase_add_test(cr, test_cr_reserved_bits_read_zero);
    tcase_add_test(cr, test_cr_start_does_not_change_the_count);

    tcase_add_test(match, test_no_event_pending_at_reset);
    tcase_add_test(match, test_next_event_is_first_cycle_of_matching_second);
    tcase_add_test(match, test_ris_latched_exactly_when_counter_reaches_match);
    tcase_add_test(match, test_register_access_latches_due_match);
    tcase_add_test(match, test_late_advance_still_latches_passed_match);
    tcase_add_test(match, test_next_event_never_earlier_than_now);
    tcase_add_test(match, test_match_equal_to_counter_latches_at_once);
    tcase_add_test(match, test_match_in_the_past_gives_no_event);
    tcase_add_test(match, test_match_fires_once);
    tcase_add_test(match, test_mr_rewrite_moves_the_event);
    tcase_add_test(match, test_mr_rewrite_into_the_past_cancels_the_event);
    tcase_add_test(match, test_lr_write_rearms_match_from_loaded_value);
    tcase_add_test(match, test_lr_write_mid_second_matches_at_clk1hz_edge);
    tcase_add_test(match, test_lr_write_equal_to_match_latches_at_once);
    tcase_add_test(match, test_lr_write_past_match_cancels_the_event);

    tcase_add_test(irq, test_mis_is_ris_and_imsc);
    tcase_add_test(irq, test_imsc_alone_does_not_raise_mis);
    tcase_add_test(irq, test_imsc_reserved_bits_read_zero);
    tcase_add_test(irq, test_irq_line_follows_mis);
    tcase_add_test(irq, test_icr_write_one_clears_ris);
    tcase_add_test(irq, test_icr_write_zero_leaves_ris);
    tcase_add_test(irq, test_icr_within_matching_second_does_not_reassert);
    tcase_add_test(irq, test_icr_reads_zero);
    tcase_add_test(irq, test_ris_and_mis_ignore_writes);
    tcase_add_test(irq, test_irq_sink_called_once_per_level_change);

    tcase_add_test(acc, test_byte_and_halfword_reads_refused);
    tcase_add_test(acc, test_size8_read_refused);
    tcase_add_test(acc, test_refused_writes_change_nothing);
    tcase_add_test(acc, test_unaligned_word_access_refused);
    tcase_add_test(acc, test_reserved_offsets_read_zero);
    tcase_add_test(acc, test_reserved_offsets_ignore_writes);
    tcase_add_test(acc, test_id_registers_ignore_writes);
    tcase_add_test(acc, test_every_register_access_asks_the_time_source);

    tcase_add_test(det, test_two_models_with_same_inputs_read_the_same);
    tcase_add_test(det, test_epoch_zero_reads_zero_whatever_the_host_date);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pl031_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
