/* Unit tests for the GIC's interrupt state transitions (gic_config.transition,
 * reported by gic/transition.c and the CPU interface), through gic/gic.h.
 *
 * Each test configures interrupts through the GICD/GICR registers, makes one
 * thing happen, and compares the transitions reported with the ones the
 * interrupt life cycle of IHI 0069 ("Interrupt lifecycle") goes through:
 * an input or ISPENDR makes an interrupt pending; ICPENDR, or a
 * level-sensitive input going low, removes the pending state (but an
 * asserted level keeps a level-sensitive interrupt pending through
 * ICPENDR); ICC_IAR1_EL1 makes it active (and leaves a level-sensitive one
 * whose input is still asserted active and pending); ICC_EOIR1_EL1 drops
 * the running priority, and with ICC_CTLR_EL1.EOImode 0 also deactivates;
 * with EOImode 1 ICC_DIR_EL1 deactivates; ISACTIVER/ICACTIVER set and clear
 * the active state. With 5 priority bits the low 3 bits of a priority read
 * as 0. */
#include "gic/gic.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUM_PES  4
#define NUM_SPIS 64

#define GICD_CTLR       0x0000
#define GICD_SETSPI_NSR 0x0040
#define GICD_CLRSPI_NSR 0x0048
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ISPENDR    0x0200
#define GICD_ICPENDR    0x0280
#define GICD_ISACTIVER  0x0300
#define GICD_ICACTIVER  0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0C00
#define GICD_IROUTER    0x6000

#define SGI_BASE(pe)    ((uint64_t)(pe)*0x20000 + 0x10000)
#define GICR_IGROUPR0   0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ISPENDR0   0x0200
#define GICR_ICPENDR0   0x0280
#define GICR_IPRIORITYR 0x0400

#define CTLR_EOIMODE (1u << 1)

/* ---- The recorder: transitions and output changes, in one sequence ------ */

#define MAX_EVENTS 64
#define OUTPUT     100 /* an output-callback call in the sequence */

struct event {
    unsigned pe, intid;
    int what; /* enum gic_transition, or OUTPUT */
    uint8_t prio;
};

static struct event events[MAX_EVENTS];
static unsigned nevents;

static void record_transition(void *opaque, unsigned pe, unsigned intid, enum gic_transition t,
                              uint8_t prio)
{
    (void)opaque;
    ck_assert_uint_lt(nevents, MAX_EVENTS);
    events[nevents++] = (struct event){pe, intid, (int)t, prio};
}

static void record_output(void *opaque, unsigned pe, bool irq, bool fiq, bool own)
{
    (void)opaque, (void)irq, (void)fiq, (void)own;
    ck_assert_uint_lt(nevents, MAX_EVENTS);
    events[nevents++] = (struct event){pe, 0, OUTPUT, 0};
}

/* The transitions recorded since the last call, outputs left out. */
static unsigned transitions(struct event *out)
{
    unsigned n = 0;
    for (unsigned i = 0; i < nevents; i++)
        if (events[i].what != OUTPUT)
            out[n++] = events[i];
    nevents = 0;
    return n;
}

static void forget(void)
{
    nevents = 0;
}

/* ---- Set-up ---------------------------------------------------------------- */

/* PE p has affinity 0.0.0.p; both groups on everywhere, PMR open. */
static struct gic *open_gic(void)
{
    struct gic_config cfg = {
        .num_pes = NUM_PES,
        .num_spis = NUM_SPIS,
        .pri_bits = 5,
        .output = record_output,
        .transition = record_transition,
    };
    for (unsigned pe = 0; pe < NUM_PES; pe++)
        cfg.mpidr[pe] = pe;
    struct gic *g = gic_new(&cfg);
    ck_assert_ptr_nonnull(g);
    ck_assert(gicd_write(g, GICD_CTLR, 4, 0x3));
    for (unsigned pe = 0; pe < NUM_PES; pe++) {
        gic_icc_write(g, pe, ICC_IGRPEN0_EL1, 1);
        gic_icc_write(g, pe, ICC_IGRPEN1_EL1, 1);
        gic_icc_write(g, pe, ICC_PMR_EL1, 0xff);
    }
    forget();
    return g;
}

static uint64_t dread(struct gic *g, uint64_t off)
{
    uint64_t v = 0;
    ck_assert(gicd_read(g, off, 4, &v));
    return v;
}

static void set_bit_reg(struct gic *g, uint64_t off, unsigned bit, bool on)
{
    uint64_t v = dread(g, off);
    v = on ? v | (1ull << bit) : v & ~(1ull << bit);
    ck_assert(gicd_write(g, off, 4, v));
}

static void dwrite_bit(struct gic *g, uint64_t base, unsigned intid)
{
    ck_assert(gicd_write(g, base + 4 * (intid / 32), 4, 1u << (intid % 32)));
}

/* An enabled Group 1 SPI with PRIO and its trigger, routed to PE; what the
 * configuration itself reports is forgotten. */
static void spi(struct gic *g, unsigned intid, uint8_t prio, bool edge, unsigned pe)
{
    set_bit_reg(g, GICD_IGROUPR + 4 * (intid / 32), intid % 32, true);
    ck_assert(gicd_write(g, GICD_IPRIORITYR + intid, 1, prio));
    set_bit_reg(g, GICD_ICFGR + 4 * (intid / 16), 2 * (intid % 16) + 1, edge);
    ck_assert(gicd_write(g, GICD_IROUTER + 8 * intid, 8, pe));
    dwrite_bit(g, GICD_ISENABLER, intid);
    forget();
}

/* An enabled Group 1 SGI or PPI of PE with PRIO. */
static void local(struct gic *g, unsigned pe, unsigned intid, uint8_t prio)
{
    ck_assert(gicr_write(g, SGI_BASE(pe) + GICR_IGROUPR0, 4, 0xffffffff));
    ck_assert(gicr_write(g, SGI_BASE(pe) + GICR_IPRIORITYR + intid, 1, prio));
    ck_assert(gicr_write(g, SGI_BASE(pe) + GICR_ISENABLER0, 4, 1u << intid));
    forget();
}

static void expect(const struct event *e, unsigned pe, unsigned intid, enum gic_transition t,
                   uint8_t prio)
{
    ck_assert_uint_eq(e->pe, pe);
    ck_assert_uint_eq(e->intid, intid);
    ck_assert_int_eq(e->what, (int)t);
    ck_assert_uint_eq(e->prio, prio);
}

/* ---- Pending and cleared ------------------------------------------------------ */

START_TEST(test_spi_input_rising_reports_pending_at_its_target)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 40, 0xa0, false, 2);
    gic_set_spi(g, 40, true);
    ck_assert_uint_eq(transitions(e), 1);
    expect(&e[0], 2, 40, GIC_TR_PENDING, 0xa0);
    gic_free(g);
}
END_TEST

START_TEST(test_level_spi_input_falling_before_acknowledge_reports_cleared)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 40, 0xa0, false, 1);
    gic_set_spi(g, 40, true);
    forget();
    gic_set_spi(g, 40, false);
    ck_assert_uint_eq(transitions(e), 1);
    expect(&e[0], 1, 40, GIC_TR_CLEARED, 0xa0);
    gic_free(g);
}
END_TEST

START_TEST(test_spi_input_driven_to_the_same_level_reports_nothing)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 40, 0xa0, false, 0);
    gic_set_spi(g, 40, true);
    forget();
    gic_set_spi(g, 40, true);
    ck_assert_uint_eq(transitions(e), 0);
    gic_free(g);
}
END_TEST

START_TEST(test_edge_spi_falling_input_keeps_it_pending)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 41, 0x80, true, 0);
    gic_set_spi(g, 41, true);
    gic_set_spi(g, 41, false);
    ck_assert_uint_eq(transitions(e), 1);
    expect(&e[0], 0, 41, GIC_TR_PENDING, 0x80);
    gic_free(g);
}
END_TEST

START_TEST(test_second_edge_while_pending_reports_nothing)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 41, 0x80, true, 0);
    gic_set_spi(g, 41, true);
    gic_set_spi(g, 41, false);
    forget();
    gic_set_spi(g, 41, true);
    ck_assert_uint_eq(transitions(e), 0);
    gic_free(g);
}
END_TEST

START_TEST(test_ispendr_reports_pending_and_icpendr_cleared)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 50, 0x60, true, 3);
    dwrite_bit(g, GICD_ISPENDR, 50);
    dwrite_bit(g, GICD_ICPENDR, 50);
    ck_assert_uint_eq(transitions(e), 2);
    expect(&e[0], 3, 50, GIC_TR_PENDING, 0x60);
    expect(&e[1], 3, 50, GIC_TR_CLEARED, 0x60);
    gic_free(g);
}
END_TEST

START_TEST(test_icpendr_of_asserted_level_interrupt_reports_nothing)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 40, 0xa0, false, 0);
    gic_set_spi(g, 40, true);
    forget();
    dwrite_bit(g, GICD_ICPENDR, 40);
    ck_assert_uint_eq(transitions(e), 0);
    ck_assert_uint_eq((dread(g, GICD_ISPENDR + 4) >> 8) & 1, 1); /* still pending */
    gic_free(g);
}
END_TEST

START_TEST(test_setspi_nsr_reports_pending_and_clrspi_nsr_cleared)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 45, 0x40, false, 1);
    ck_assert(gicd_write(g, GICD_SETSPI_NSR, 4, 45));
    ck_assert(gicd_write(g, GICD_CLRSPI_NSR, 4, 45));
    ck_assert_uint_eq(transitions(e), 2);
    expect(&e[0], 1, 45, GIC_TR_PENDING, 0x40);
    expect(&e[1], 1, 45, GIC_TR_CLEARED, 0x40);
    gic_free(g);
}
END_TEST

/* An asserted level counts as pending only for a level-sensitive
 * interrupt: made edge-triggered (while disabled, as the specification
 * asks), the SPI reads as not pending in ISPENDR, and the trace says so. */
START_TEST(test_icfgr_to_edge_with_level_asserted_reports_cleared)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 40, 0xa0, false, 0);
    ck_assert(gicd_write(g, 0x0180 + 4, 4, 1u << 8)); /* GICD_ICENABLER1: disable SPI 40 */
    gic_set_spi(g, 40, true);
    forget();
    set_bit_reg(g, GICD_ICFGR + 4 * (40 / 16), 2 * (40 % 16) + 1, true);
    ck_assert_uint_eq(transitions(e), 1);
    expect(&e[0], 0, 40, GIC_TR_CLEARED, 0xa0);
    ck_assert_uint_eq((dread(g, GICD_ISPENDR + 4) >> 8) & 1, 0);
    gic_free(g);
}
END_TEST

START_TEST(test_ppi_input_reports_pending_at_its_own_pe)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    local(g, 3, 27, 0x90);
    gic_set_ppi(g, 3, 27, true);
    ck_assert_uint_eq(transitions(e), 1);
    expect(&e[0], 3, 27, GIC_TR_PENDING, 0x90);
    gic_free(g);
}
END_TEST

START_TEST(test_gicr_ispendr_reports_pending_and_icpendr_cleared)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    local(g, 2, 9, 0x10);
    ck_assert(gicr_write(g, SGI_BASE(2) + GICR_ISPENDR0, 4, 1u << 9));
    ck_assert(gicr_write(g, SGI_BASE(2) + GICR_ICPENDR0, 4, 1u << 9));
    ck_assert_uint_eq(transitions(e), 2);
    expect(&e[0], 2, 9, GIC_TR_PENDING, 0x10);
    expect(&e[1], 2, 9, GIC_TR_CLEARED, 0x10);
    gic_free(g);
}
END_TEST

/* The priority reported is the interrupt's, as IPRIORITYR holds it: with 5
 * priority bits 0xa7 is stored as 0xa0. */
START_TEST(test_priority_reported_is_the_implemented_priority)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 40, 0xa7, false, 0);
    gic_set_spi(g, 40, true);
    ck_assert_uint_eq(transitions(e), 1);
    expect(&e[0], 0, 40, GIC_TR_PENDING, 0xa0);
    gic_free(g);
}
END_TEST

START_TEST(test_spi_routed_to_no_pe_reports_no_pe)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 40, 0xa0, false, 7); /* affinity 0.0.0.7: no such PE */
    gic_set_spi(g, 40, true);
    ck_assert_uint_eq(transitions(e), 1);
    expect(&e[0], GIC_NO_PE, 40, GIC_TR_PENDING, 0xa0);
    gic_free(g);
}
END_TEST

/* ---- SGIs ---------------------------------------------------------------------- */

START_TEST(test_sgi_reports_pending_at_each_target)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    local(g, 1, 5, 0xa0);
    local(g, 3, 5, 0xa0);
    gic_icc_write(g, 0, ICC_SGI1R_EL1, (5ull << 24) | (1u << 1) | (1u << 3));
    ck_assert_uint_eq(transitions(e), 2);
    expect(&e[0], 1, 5, GIC_TR_PENDING, 0xa0);
    expect(&e[1], 3, 5, GIC_TR_PENDING, 0xa0);
    gic_free(g);
}
END_TEST

/* ICC_SGI0R_EL1 does not make a Group 1 SGI pending: nothing to report. */
START_TEST(test_sgi_the_target_refuses_reports_nothing)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    local(g, 1, 5, 0xa0);
    gic_icc_write(g, 0, ICC_SGI0R_EL1, (5ull << 24) | (1u << 1));
    ck_assert_uint_eq(transitions(e), 0);
    gic_free(g);
}
END_TEST

/* ---- Acknowledge, priority drop, deactivation -------------------------------- */

START_TEST(test_acknowledge_reports_acknowledged_at_the_reading_pe)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 41, 0x80, true, 2);
    gic_set_spi(g, 41, true);
    forget();
    ck_assert_uint_eq(gic_icc_read(g, 2, ICC_IAR1_EL1), 41);
    ck_assert_uint_eq(transitions(e), 1);
    expect(&e[0], 2, 41, GIC_TR_ACKNOWLEDGED, 0x80);
    gic_free(g);
}
END_TEST

/* A level-sensitive interrupt whose input stays asserted is active and
 * pending after the acknowledge. */
START_TEST(test_acknowledge_of_asserted_level_interrupt_reports_pending_again)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 40, 0xa0, false, 0);
    gic_set_spi(g, 40, true);
    forget();
    ck_assert_uint_eq(gic_icc_read(g, 0, ICC_IAR1_EL1), 40);
    ck_assert_uint_eq(transitions(e), 2);
    expect(&e[0], 0, 40, GIC_TR_ACKNOWLEDGED, 0xa0);
    expect(&e[1], 0, 40, GIC_TR_PENDING, 0xa0);
    gic_free(g);
}
END_TEST

START_TEST(test_spurious_acknowledge_reports_nothing)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    ck_assert_uint_eq(gic_icc_read(g, 0, ICC_IAR1_EL1), GIC_SPURIOUS);
    ck_assert_uint_eq(transitions(e), 0);
    gic_free(g);
}
END_TEST

START_TEST(test_eoi_with_eoimode_0_reports_priority_drop_then_deactivated)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    local(g, 1, 5, 0xa0);
    gic_icc_write(g, 1, ICC_SGI1R_EL1, (5ull << 24) | (1u << 1));
    ck_assert_uint_eq(gic_icc_read(g, 1, ICC_IAR1_EL1), 5);
    forget();
    gic_icc_write(g, 1, ICC_EOIR1_EL1, 5);
    ck_assert_uint_eq(transitions(e), 2);
    expect(&e[0], 1, 5, GIC_TR_PRIORITY_DROP, 0xa0);
    expect(&e[1], 1, 5, GIC_TR_DEACTIVATED, 0xa0);
    gic_free(g);
}
END_TEST

START_TEST(test_eoi_with_eoimode_1_reports_priority_drop_only)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    gic_icc_write(g, 1, ICC_CTLR_EL1, CTLR_EOIMODE);
    local(g, 1, 5, 0xa0);
    gic_icc_write(g, 1, ICC_SGI1R_EL1, (5ull << 24) | (1u << 1));
    ck_assert_uint_eq(gic_icc_read(g, 1, ICC_IAR1_EL1), 5);
    forget();
    gic_icc_write(g, 1, ICC_EOIR1_EL1, 5);
    ck_assert_uint_eq(transitions(e), 1);
    expect(&e[0], 1, 5, GIC_TR_PRIORITY_DROP, 0xa0);
    gic_free(g);
}
END_TEST

START_TEST(test_dir_with_eoimode_1_reports_deactivated)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    gic_icc_write(g, 1, ICC_CTLR_EL1, CTLR_EOIMODE);
    local(g, 1, 5, 0xa0);
    gic_icc_write(g, 1, ICC_SGI1R_EL1, (5ull << 24) | (1u << 1));
    ck_assert_uint_eq(gic_icc_read(g, 1, ICC_IAR1_EL1), 5);
    gic_icc_write(g, 1, ICC_EOIR1_EL1, 5);
    forget();
    gic_icc_write(g, 1, ICC_DIR_EL1, 5);
    ck_assert_uint_eq(transitions(e), 1);
    expect(&e[0], 1, 5, GIC_TR_DEACTIVATED, 0xa0);
    gic_free(g);
}
END_TEST

/* An EOIR with no active priority is ignored (the CONSTRAINED
 * UNPREDICTABLE choice of docs/gic.md): no drop, no deactivation. */
START_TEST(test_ignored_eoi_reports_nothing)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    local(g, 0, 5, 0xa0);
    gic_icc_write(g, 0, ICC_EOIR1_EL1, 5);
    ck_assert_uint_eq(transitions(e), 0);
    gic_free(g);
}
END_TEST

/* The SPI was acknowledged by PE 1 and then routed to PE 2: its
 * deactivation belongs to PE 1, whose EOI caused it. */
START_TEST(test_spi_deactivation_is_reported_at_the_pe_that_wrote_eoir)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 41, 0x80, true, 1);
    gic_set_spi(g, 41, true);
    ck_assert_uint_eq(gic_icc_read(g, 1, ICC_IAR1_EL1), 41);
    ck_assert(gicd_write(g, GICD_IROUTER + 8 * 41, 8, 2));
    forget();
    gic_icc_write(g, 1, ICC_EOIR1_EL1, 41);
    ck_assert_uint_eq(transitions(e), 2);
    expect(&e[0], 1, 41, GIC_TR_PRIORITY_DROP, 0x80);
    expect(&e[1], 1, 41, GIC_TR_DEACTIVATED, 0x80);
    gic_free(g);
}
END_TEST

START_TEST(test_isactiver_reports_active_and_icactiver_deactivated)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    spi(g, 60, 0x30, false, 3);
    dwrite_bit(g, GICD_ISACTIVER, 60);
    dwrite_bit(g, GICD_ISACTIVER, 60); /* already active: no second report */
    dwrite_bit(g, GICD_ICACTIVER, 60);
    ck_assert_uint_eq(transitions(e), 2);
    expect(&e[0], 3, 60, GIC_TR_ACTIVE, 0x30);
    expect(&e[1], 3, 60, GIC_TR_DEACTIVATED, 0x30);
    gic_free(g);
}
END_TEST

/* ---- Order and reset --------------------------------------------------------- */

/* The transition comes before the output change it leads to, so a trace
 * shows the cause before the effect. */
START_TEST(test_transition_is_reported_before_the_output_changes)
{
    struct gic *g = open_gic();
    spi(g, 40, 0xa0, false, 0);
    gic_set_spi(g, 40, true);
    ck_assert_uint_eq(nevents, 2);
    ck_assert_int_eq(events[0].what, GIC_TR_PENDING);
    ck_assert_int_eq(events[1].what, OUTPUT);
    gic_free(g);
}
END_TEST

START_TEST(test_reset_reports_cleared_then_deactivated)
{
    struct gic *g = open_gic();
    struct event e[MAX_EVENTS];
    local(g, 2, 9, 0x10);
    ck_assert(gicr_write(g, SGI_BASE(2) + 0x0300, 4, 1u << 9)); /* GICR_ISACTIVER0 */
    ck_assert(gicr_write(g, SGI_BASE(2) + GICR_ISPENDR0, 4, 1u << 9));
    forget();
    gic_reset(g);
    ck_assert_uint_eq(transitions(e), 2);
    /* The reset also set the priority to 0, before the report. */
    expect(&e[0], 2, 9, GIC_TR_CLEARED, 0x00);
    expect(&e[1], 2, 9, GIC_TR_DEACTIVATED, 0x00);
    gic_free(g);
}
END_TEST

/* Without a callback the GIC behaves the same and reports nothing. */
START_TEST(test_no_callback_changes_no_behaviour)
{
    struct gic_config cfg = {.num_pes = 1, .num_spis = 32, .pri_bits = 5};
    struct gic *g = gic_new(&cfg);
    ck_assert_ptr_nonnull(g);
    ck_assert(gicd_write(g, GICD_CTLR, 4, 0x2));
    gic_icc_write(g, 0, ICC_IGRPEN1_EL1, 1);
    gic_icc_write(g, 0, ICC_PMR_EL1, 0xff);
    ck_assert(gicr_write(g, SGI_BASE(0) + GICR_IGROUPR0, 4, 1u << 5));
    ck_assert(gicr_write(g, SGI_BASE(0) + GICR_ISENABLER0, 4, 1u << 5));
    forget();
    gic_icc_write(g, 0, ICC_SGI1R_EL1, (5ull << 24) | 1u);
    ck_assert_uint_eq(gic_icc_read(g, 0, ICC_IAR1_EL1), 5);
    gic_icc_write(g, 0, ICC_EOIR1_EL1, 5);
    ck_assert_uint_eq(nevents, 0);
    gic_free(g);
}
END_TEST

static Suite *gic_transitions_suite(void)
{
    Suite *s = suite_create("gic_transitions");
    TCase *pend = tcase_create("pending");
    TCase *sgi = tcase_create("sgi");
    TCase *cpu = tcase_create("cpu_interface");
    TCase *misc = tcase_create("order");

    tcase_add_test(pend, test_spi_input_rising_reports_pending_at_its_target);
    tcase_add_test(pend, test_level_spi_input_falling_before_acknowledge_reports_cleared);
    tcase_add_test(pend, test_spi_input_driven_to_the_same_level_reports_nothing);
    tcase_add_test(pend, test_edge_spi_falling_input_keeps_it_pending);
    tcase_add_test(pend, test_second_edge_while_pending_reports_nothing);
    tcase_add_test(pend, test_ispendr_reports_pending_and_icpendr_cleared);
    tcase_add_test(pend, test_icpendr_of_asserted_level_interrupt_reports_nothing);
    tcase_add_test(pend, test_setspi_nsr_reports_pending_and_clrspi_nsr_cleared);
    tcase_add_test(pend, test_icfgr_to_edge_with_level_asserted_reports_cleared);
    tcase_add_test(pend, test_ppi_input_reports_pending_at_its_own_pe);
    tcase_add_test(pend, test_gicr_ispendr_reports_pending_and_icpendr_cleared);
    tcase_add_test(pend, test_priority_reported_is_the_implemented_priority);
    tcase_add_test(pend, test_spi_routed_to_no_pe_reports_no_pe);
    suite_add_tcase(s, pend);

    tcase_add_test(sgi, test_sgi_reports_pending_at_each_target);
    tcase_add_test(sgi, test_sgi_the_target_refuses_reports_nothing);
    suite_add_tcase(s, sgi);

    tcase_add_test(cpu, test_acknowledge_reports_acknowledged_at_the_reading_pe);
    tcase_add_test(cpu, test_acknowledge_of_asserted_level_interrupt_reports_pending_again);
    tcase_add_test(cpu, test_spurious_acknowledge_reports_nothing);
    tcase_add_test(cpu, test_eoi_with_eoimode_0_reports_priority_drop_then_deactivated);
    tcase_add_test(cpu, test_eoi_with_eoimode_1_reports_priority_drop_only);
    tcase_add_test(cpu, test_dir_with_eoimode_1_reports_deactivated);
    tcase_add_test(cpu, test_ignored_eoi_reports_nothing);
    tcase_add_test(cpu, test_spi_deactivation_is_reported_at_the_pe_that_wrote_eoir);
    tcase_add_test(cpu, test_isactiver_reports_active_and_icactiver_deactivated);
    suite_add_tcase(s, cpu);

    tcase_add_test(misc, test_transition_is_reported_before_the_output_changes);
    tcase_add_test(misc, test_reset_reports_cleared_then_deactivated);
    tcase_add_test(misc, test_no_callback_changes_no_behaviour);
    suite_add_tcase(s, misc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(gic_transitions_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
