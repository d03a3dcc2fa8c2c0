/* Unit tests for the GICv3 CPU interface (gic/cpuif.c) through gic/gic.h.
 *
 * Interrupts are configured through the Distributor and Redistributor
 * registers, driven through the inputs, and observed through the ICC_*
 * registers, the GICD/GICR pending and active registers and the output
 * callback. Expected values come from IHI 0069: ICC_RPR_EL1 is the group
 * priority of the highest active interrupt (0xff when none); with 5
 * priority bits the minimum ICC_BPR0_EL1 is 2 and ICC_BPR1_EL1 3; one
 * active-priority bit per group priority, bit n for priority n << 3;
 * ICC_CTLR_EL1: CBPR bit 0, EOImode bit 1, PMHE bit 6, PRIbits [10:8],
 * IDbits [13:11], A3V bit 15; ICC_SGI*R_EL1: TargetList [15:0], Aff1
 * [23:16], INTID [27:24], Aff2 [39:32], IRM bit 40, Aff3 [55:48]. */
#include "cpu/cpu.h"
#include "gic/gic.h"
#include "tests/unit/gic_sysreg_util.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUM_PES  4
#define NUM_SPIS 64

/* Distributor offsets. */
#define GICD_CTLR       0x0000
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ISPENDR    0x0200
#define GICD_ISACTIVER  0x0300
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0C00
#define GICD_IROUTER    0x6000

/* Redistributor offsets: PE p's SGI_base frame. */
#define SGI_BASE(pe)    ((uint64_t)(pe)*0x20000 + 0x10000)
#define GICR_IGROUPR0   0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ISPENDR0   0x0200
#define GICR_ISACTIVER0 0x0300
#define GICR_IPRIORITYR 0x0400

#define CTLR_CBPR    (1u << 0)
#define CTLR_EOIMODE (1u << 1)
#define CTLR_PMHE    (1u << 6)

#define DAIF_I (1u << 7)

/* ---- Output recorder ----------------------------------------------------- */

struct lines {
    unsigned calls[GIC_MAX_PES];
    bool irq[GIC_MAX_PES];
    bool fiq[GIC_MAX_PES];
};

static void record_output(void *opaque, unsigned pe, bool irq, bool fiq, bool own)
{
    (void)own;
    struct lines *l = opaque;
    l->calls[pe]++;
    l->irq[pe] = irq;
    l->fiq[pe] = fiq;
}

/* ---- Set-up helpers -------------------------------------------------------- */

static struct lines lines;

static struct gic *new_gic_with(unsigned pri_bits, const uint64_t *mpidr)
{
    struct gic_config cfg = {
        .num_pes = NUM_PES,
        .num_spis = NUM_SPIS,
        .pri_bits = pri_bits,
        .output = record_output,
        .opaque = &lines,
    };
    for (unsigned pe = 0; pe < NUM_PES; pe++)
        cfg.mpidr[pe] = mpidr ? mpidr[pe] : pe;
    memset(&lines, 0, sizeof lines);
    struct gic *g = gic_new(&cfg);
    ck_assert_ptr_nonnull(g);
    return g;
}

/* Both groups enabled everywhere, PMR fully open: every gate but the one a
 * test is about stays open. */
static struct gic *open_gic_with(unsigned pri_bits, const uint64_t *mpidr)
{
    struct gic *g = new_gic_with(pri_bits, mpidr);

    ck_assert(gicd_write(g, GICD_CTLR, 4, 0x3));
    for (unsigned pe = 0; pe < NUM_PES; pe++) {
        gic_icc_write(g, pe, ICC_IGRPEN0_EL1, 1);
        gic_icc_write(g, pe, ICC_IGRPEN1_EL1, 1);
        gic_icc_write(g, pe, ICC_PMR_EL1, 0xff);
    }
    return g;
}

static struct gic *open_gic(void)
{
    return open_gic_with(5, NULL);
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

/* An enabled SPI with PRIO, its group, its trigger, routed to PE. */
static void spi(struct gic *g, unsigned intid, uint8_t prio, bool group1, bool edge, unsigned pe)
{
    set_bit_reg(g, GICD_IGROUPR + 4 * (intid / 32), intid % 32, group1);
    ck_assert(gicd_write(g, GICD_IPRIORITYR + intid, 1, prio));
    set_bit_reg(g, GICD_ICFGR + 4 * (intid / 16), 2 * (intid % 16) + 1, edge);
    ck_assert(gicd_write(g, GICD_IROUTER + 8 * intid, 8, pe));
    ck_assert(gicd_write(g, GICD_ISENABLER + 4 * (intid / 32), 4, 1u << (intid % 32)));
}

/* A level-sensitive Group 1 SPI for PE 0, its input asserted. */
static void raise_spi(struct gic *g, unsigned intid, uint8_t prio)
{
    spi(g, intid, prio, true, false, 0);
    gic_set_spi(g, intid, true);
}

static bool spi_bit(struct gic *g, uint64_t base, unsigned intid)
{
    return (dread(g, base + 4 * (intid / 32)) >> (intid % 32)) & 1;
}

static uint64_t rread(struct gic *g, unsigned pe, uint64_t off)
{
    uint64_t v = 0;
    ck_assert(gicr_read(g, SGI_BASE(pe) + off, 4, &v));
    return v;
}

/* An enabled SGI or PPI of PE with PRIO and its group. */
static void local(struct gic *g, unsigned pe, unsigned intid, uint8_t prio, bool group1)
{
    uint64_t grp = rread(g, pe, GICR_IGROUPR0);
    grp = group1 ? grp | (1u << intid) : grp & ~(1u << intid);
    ck_assert(gicr_write(g, SGI_BASE(pe) + GICR_IGROUPR0, 4, grp));
    ck_assert(gicr_write(g, SGI_BASE(pe) + GICR_IPRIORITYR + intid, 1, prio));
    ck_assert(gicr_write(g, SGI_BASE(pe) + GICR_ISENABLER0, 4, 1u << intid));
}

static bool local_pending(struct gic *g, unsigned pe, unsigned intid)
{
    return (rread(g, pe, GICR_ISPENDR0) >> intid) & 1;
}

static uint64_t icc(struct gic *g, unsigned pe, enum gic_icc_reg reg)
{
    return gic_icc_read(g, pe, reg);
}

static uint64_t sgir(unsigned intid, unsigned aff1, unsigned targets)
{
    return ((uint64_t)intid << 24) | ((uint64_t)aff1 << 16) | targets;
}

/* ---- Highest-priority pending interrupt -------------------------------- */

START_TEST(test_hppir_reports_highest_priority_pending)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    raise_spi(g, 41, 0x40);
    raise_spi(g, 42, 0xa0);
    ck_assert_uint_eq(icc(g, 0, ICC_HPPIR1_EL1), 41);
    gic_free(g);
}
END_TEST

START_TEST(test_hppi_tie_goes_to_lowest_intid)
{
    struct gic *g = open_gic();
    raise_spi(g, 45, 0x80);
    raise_spi(g, 42, 0x80);
    raise_spi(g, 50, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_HPPIR1_EL1), 42);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 42);
    gic_free(g);
}
END_TEST

START_TEST(test_hppir_has_no_side_effects)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_HPPIR1_EL1), 40);
    ck_assert_uint_eq(icc(g, 0, ICC_HPPIR1_EL1), 40);
    ck_assert(spi_bit(g, GICD_ISPENDR, 40));
    ck_assert(!spi_bit(g, GICD_ISACTIVER, 40));
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0xff);
    gic_free(g);
}
END_TEST

START_TEST(test_hppir_reports_interrupt_masked_by_pmr)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    gic_icc_write(g, 0, ICC_PMR_EL1, 0x40);
    ck_assert_uint_eq(icc(g, 0, ICC_HPPIR1_EL1), 40);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), GIC_SPURIOUS);
    gic_free(g);
}
END_TEST

START_TEST(test_hppir1_is_spurious_for_group0_hppi)
{
    struct gic *g = open_gic();
    spi(g, 40, 0x40, false, false, 0);
    gic_set_spi(g, 40, true);
    raise_spi(g, 41, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_HPPIR1_EL1), GIC_SPURIOUS);
    ck_assert_uint_eq(icc(g, 0, ICC_HPPIR0_EL1), 40);
    gic_free(g);
}
END_TEST

START_TEST(test_disabled_interrupt_is_not_the_hppi)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x40);
    raise_spi(g, 41, 0x80);
    ck_assert(gicd_write(g, 0x180 + 4, 4, 1u << (40 - 32))); /* GICD_ICENABLER1 */
    ck_assert_uint_eq(icc(g, 0, ICC_HPPIR1_EL1), 41);
    gic_free(g);
}
END_TEST

START_TEST(test_disabled_group_does_not_hide_the_other_group)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x10); /* Group 1, higher priority */
    spi(g, 41, 0x80, false, false, 0);
    gic_set_spi(g, 41, true);
    gic_icc_write(g, 0, ICC_IGRPEN1_EL1, 0);
    ck_assert_uint_eq(icc(g, 0, ICC_HPPIR0_EL1), 41);
    ck_assert(lines.fiq[0]);
    ck_assert(!lines.irq[0]);
    gic_free(g);
}
END_TEST

START_TEST(test_spi_routed_to_other_pe_is_not_seen)
{
    struct gic *g = open_gic();
    spi(g, 40, 0x80, true, false, 2);
    gic_set_spi(g, 40, true);
    ck_assert_uint_eq(icc(g, 0, ICC_HPPIR1_EL1), GIC_SPURIOUS);
    ck_assert_uint_eq(icc(g, 2, ICC_HPPIR1_EL1), 40);
    ck_assert(lines.irq[2]);
    ck_assert(!lines.irq[0]);
    gic_free(g);
}
END_TEST

/* ---- Acknowledge ----------------------------------------------------------- */

START_TEST(test_iar_moves_pending_to_active_and_returns_intid)
{
    struct gic *g = open_gic();
    spi(g, 40, 0x80, true, true, 0);
    gic_set_spi(g, 40, true); /* rising edge */
    ck_assert(spi_bit(g, GICD_ISPENDR, 40));
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    ck_assert(!spi_bit(g, GICD_ISPENDR, 40));
    ck_assert(spi_bit(g, GICD_ISACTIVER, 40));
    gic_free(g);
}
END_TEST

START_TEST(test_iar_returns_spurious_when_nothing_pending)
{
    struct gic *g = open_gic();
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), GIC_SPURIOUS);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR0_EL1), GIC_SPURIOUS);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0xff);
    gic_free(g);
}
END_TEST

START_TEST(test_iar0_returns_1023_for_group1_hppi)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR0_EL1), 1023);
    ck_assert(spi_bit(g, GICD_ISPENDR, 40));
    ck_assert(!spi_bit(g, GICD_ISACTIVER, 40));
    gic_free(g);
}
END_TEST

START_TEST(test_level_interrupt_repends_after_deactivation_while_asserted)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    ck_assert(spi_bit(g, GICD_ISPENDR, 40)); /* active and pending */
    ck_assert(spi_bit(g, GICD_ISACTIVER, 40));
    ck_assert(!lines.irq[0]); /* an active interrupt is not offered again */
    gic_icc_write(g, 0, ICC_EOIR1_EL1, 40);
    ck_assert(!spi_bit(g, GICD_ISACTIVER, 40));
    ck_assert(lines.irq[0]);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    gic_free(g);
}
END_TEST

START_TEST(test_level_interrupt_deasserted_before_eoi_is_not_pending)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    gic_set_spi(g, 40, false);
    gic_icc_write(g, 0, ICC_EOIR1_EL1, 40);
    ck_assert(!spi_bit(g, GICD_ISPENDR, 40));
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), GIC_SPURIOUS);
    gic_free(g);
}
END_TEST

START_TEST(test_edge_interrupt_not_pending_after_acknowledge)
{
    struct gic *g = open_gic();
    spi(g, 40, 0x80, true, true, 0);
    gic_set_spi(g, 40, true); /* the input stays high: no new edge */
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    gic_icc_write(g, 0, ICC_EOIR1_EL1, 40);
    ck_assert(!spi_bit(g, GICD_ISPENDR, 40));
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), GIC_SPURIOUS);
    gic_free(g);
}
END_TEST

START_TEST(test_edge_while_active_is_taken_again_after_deactivation)
{
    struct gic *g = open_gic();
    spi(g, 40, 0x80, true, true, 0);
    gic_set_spi(g, 40, true);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    gic_set_spi(g, 40, false);
    gic_set_spi(g, 40, true); /* a second edge while active */
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), GIC_SPURIOUS);
    gic_icc_write(g, 0, ICC_EOIR1_EL1, 40);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    gic_free(g);
}
END_TEST

/* ---- Priority drop and deactivation ------------------------------------- */

START_TEST(test_eoimode0_eoir_drops_priority_and_deactivates)
{
    struct gic *g = open_gic();
    spi(g, 40, 0x80, true, true, 0);
    gic_set_spi(g, 40, true);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0x80);
    gic_icc_write(g, 0, ICC_EOIR1_EL1, 40);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0xff);
    ck_assert(!spi_bit(g, GICD_ISACTIVER, 40));
    gic_free(g);
}
END_TEST

START_TEST(test_eoimode1_eoir_drops_priority_without_deactivation)
{
    struct gic *g = open_gic();
    gic_icc_write(g, 0, ICC_CTLR_EL1, CTLR_EOIMODE);
    spi(g, 40, 0x80, true, true, 0);
    gic_set_spi(g, 40, true);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    gic_icc_write(g, 0, ICC_EOIR1_EL1, 40);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0xff);
    ck_assert_uint_eq(icc(g, 0, ICC_AP1R0_EL1), 0);
    ck_assert(spi_bit(g, GICD_ISACTIVER, 40));
    gic_free(g);
}
END_TEST

START_TEST(test_eoimode1_dir_deactivates)
{
    struct gic *g = open_gic();
    gic_icc_write(g, 0, ICC_CTLR_EL1, CTLR_EOIMODE);
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    gic_icc_write(g, 0, ICC_EOIR1_EL1, 40);
    ck_assert(!lines.irq[0]); /* dropped, but still active: not offered */
    gic_icc_write(g, 0, ICC_DIR_EL1, 40);
    ck_assert(!spi_bit(g, GICD_ISACTIVER, 40));
    ck_assert(lines.irq[0]); /* the level is still asserted */
    gic_free(g);
}
END_TEST

START_TEST(test_dir_ignored_with_eoimode0)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    gic_icc_write(g, 0, ICC_DIR_EL1, 40);
    ck_assert(spi_bit(g, GICD_ISACTIVER, 40));
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0x80);
    gic_free(g);
}
END_TEST

START_TEST(test_eoir_of_the_other_group_is_ignored)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    gic_icc_write(g, 0, ICC_EOIR0_EL1, 40);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0x80);
    ck_assert(spi_bit(g, GICD_ISACTIVER, 40));
    gic_free(g);
}
END_TEST

START_TEST(test_eoir_drops_only_the_highest_active_priority)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    raise_spi(g, 41, 0x40);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 41);
    gic_icc_write(g, 0, ICC_EOIR1_EL1, 41);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0x80);
    ck_assert(spi_bit(g, GICD_ISACTIVER, 40));
    gic_free(g);
}
END_TEST

/* ---- Running priority and active priority registers ------------------- */

START_TEST(test_rpr_is_group_priority_of_highest_active)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0x80);
    raise_spi(g, 41, 0x40);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 41);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0x40);
    gic_free(g);
}
END_TEST

/* 5 bits: group priority 0x80 is bit 0x80 >> 3 = 16, 0x40 is bit 8. */
START_TEST(test_acknowledge_sets_active_priority_bit)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    ck_assert_uint_eq(icc(g, 0, ICC_AP1R0_EL1), 1u << 16);
    raise_spi(g, 41, 0x40);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 41);
    ck_assert_uint_eq(icc(g, 0, ICC_AP1R0_EL1), (1u << 16) | (1u << 8));
    ck_assert_uint_eq(icc(g, 0, ICC_AP0R0_EL1), 0);
    gic_free(g);
}
END_TEST

START_TEST(test_rpr_follows_written_ap0r0)
{
    struct gic *g = open_gic();
    gic_icc_write(g, 0, ICC_AP0R0_EL1, 1u << 4);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 4u << 3);
    gic_icc_write(g, 0, ICC_AP0R0_EL1, 0);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0xff);
    gic_free(g);
}
END_TEST

/* 7 bits: priority 0x82, BPR1 minimum 1 (bits [7:1]), bit 0x82 >> 1 = 65,
 * that is ICC_AP1R2_EL1 bit 1. */
START_TEST(test_seven_priority_bits_use_ap1r2)
{
    struct gic *g = open_gic_with(7, NULL);
    raise_spi(g, 40, 0x82);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    ck_assert_uint_eq(icc(g, 0, ICC_AP1R2_EL1), 1u << 1);
    ck_assert_uint_eq(icc(g, 0, ICC_AP1R0_EL1), 0);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0x82);
    gic_free(g);
}
END_TEST

START_TEST(test_ap_registers_implemented_per_priority_bits)
{
    struct gic *g5 = new_gic_with(5, NULL);
    struct gic *g6 = new_gic_with(6, NULL);
    struct gic *g8 = new_gic_with(8, NULL);
    ck_assert(has_reg(g5, "ICC_AP0R0_EL1"));
    ck_assert(has_reg(g5, "ICC_AP1R0_EL1"));
    ck_assert(!has_reg(g5, "ICC_AP0R1_EL1"));
    ck_assert(!has_reg(g5, "ICC_AP1R3_EL1"));
    ck_assert(has_reg(g6, "ICC_AP1R1_EL1"));
    ck_assert(!has_reg(g6, "ICC_AP1R2_EL1"));
    ck_assert(has_reg(g8, "ICC_AP0R3_EL1"));
    ck_assert(has_reg(g8, "ICC_AP1R3_EL1"));
    ck_assert(has_reg(g5, "ICC_PMR_EL1"));
    gic_free(g5);
    gic_free(g6);
    gic_free(g8);
}
END_TEST

/* ---- Preemption and the binary point ------------------------------------- */

START_TEST(test_higher_group_priority_preempts_active)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    ck_assert(!lines.irq[0]);
    raise_spi(g, 41, 0x78);
    ck_assert(lines.irq[0]);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 41);
    gic_free(g);
}
END_TEST

START_TEST(test_equal_priority_does_not_preempt)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    raise_spi(g, 41, 0x80);
    ck_assert(!lines.irq[0]);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), GIC_SPURIOUS);
    gic_free(g);
}
END_TEST

/* BPR1 = 5: group priority bits [7:5]. 0x48 runs at 0x40; 0x40 is in the
 * same group priority and must wait. */
START_TEST(test_binary_point_stops_subpriority_preemption)
{
    struct gic *g = open_gic();
    gic_icc_write(g, 0, ICC_BPR1_EL1, 5);
    raise_spi(g, 40, 0x48);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0x40);
    raise_spi(g, 41, 0x40);
    ck_assert(!lines.irq[0]);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), GIC_SPURIOUS);
    gic_free(g);
}
END_TEST

/* The same case with BPR1 at its minimum 3 (bits [7:3]): 0x40 preempts 0x48. */
START_TEST(test_minimum_binary_point_lets_higher_priority_preempt)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x48);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0x48);
    raise_spi(g, 41, 0x40);
    ck_assert(lines.irq[0]);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 41);
    gic_free(g);
}
END_TEST

/* CBPR = 1, BPR0 = 4: Group 1 uses bits [7:5] too. */
START_TEST(test_cbpr_makes_group1_use_bpr0)
{
    struct gic *g = open_gic();
    gic_icc_write(g, 0, ICC_BPR0_EL1, 4);
    gic_icc_write(g, 0, ICC_CTLR_EL1, CTLR_CBPR);
    raise_spi(g, 40, 0x48);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    ck_assert_uint_eq(icc(g, 0, ICC_RPR_EL1), 0x40);
    raise_spi(g, 41, 0x40);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), GIC_SPURIOUS);
    gic_free(g);
}
END_TEST

START_TEST(test_bpr1_reads_bpr0_plus_one_and_ignores_writes_with_cbpr)
{
    struct gic *g = open_gic();
    gic_icc_write(g, 0, ICC_BPR0_EL1, 4);
    gic_icc_write(g, 0, ICC_BPR1_EL1, 6);
    gic_icc_write(g, 0, ICC_CTLR_EL1, CTLR_CBPR);
    ck_assert_uint_eq(icc(g, 0, ICC_BPR1_EL1), 5);
    gic_icc_write(g, 0, ICC_BPR1_EL1, 7);
    gic_icc_write(g, 0, ICC_CTLR_EL1, 0);
    ck_assert_uint_eq(icc(g, 0, ICC_BPR1_EL1), 6);
    gic_free(g);
}
END_TEST

START_TEST(test_bpr_write_below_minimum_sets_minimum)
{
    struct gic *g = open_gic();
    ck_assert_uint_eq(icc(g, 0, ICC_BPR0_EL1), 2);
    ck_assert_uint_eq(icc(g, 0, ICC_BPR1_EL1), 3);
    gic_icc_write(g, 0, ICC_BPR0_EL1, 0);
    gic_icc_write(g, 0, ICC_BPR1_EL1, 1);
    ck_assert_uint_eq(icc(g, 0, ICC_BPR0_EL1), 2);
    ck_assert_uint_eq(icc(g, 0, ICC_BPR1_EL1), 3);
    gic_icc_write(g, 0, ICC_BPR0_EL1, 6);
    ck_assert_uint_eq(icc(g, 0, ICC_BPR0_EL1), 6);
    gic_free(g);
}
END_TEST

/* ---- Priority mask ------------------------------------------------------- */

START_TEST(test_pmr_masks_equal_priority)
{
    struct gic *g = open_gic();
    gic_icc_write(g, 0, ICC_PMR_EL1, 0x80);
    raise_spi(g, 40, 0x80);
    ck_assert(!lines.irq[0]);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), GIC_SPURIOUS);
    raise_spi(g, 41, 0x78);
    ck_assert(lines.irq[0]);
    gic_free(g);
}
END_TEST

START_TEST(test_pmr_write_takes_effect_for_next_decision)
{
    struct gic *g = open_gic();
    gic_icc_write(g, 0, ICC_PMR_EL1, 0x60);
    raise_spi(g, 40, 0xa0);
    ck_assert(!lines.irq[0]);
    unsigned before = lines.calls[0];
    gic_icc_write(g, 0, ICC_PMR_EL1, 0xf0);
    ck_assert(lines.irq[0]);
    ck_assert_uint_eq(lines.calls[0], before + 1);
    gic_icc_write(g, 0, ICC_PMR_EL1, 0x60);
    ck_assert(!lines.irq[0]);
    gic_free(g);
}
END_TEST

START_TEST(test_pmr_keeps_implemented_bits_only)
{
    struct gic *g = open_gic();
    gic_icc_write(g, 0, ICC_PMR_EL1, 0xff);
    ck_assert_uint_eq(icc(g, 0, ICC_PMR_EL1), 0xf8);
    gic_icc_write(g, 0, ICC_PMR_EL1, 0x67);
    ck_assert_uint_eq(icc(g, 0, ICC_PMR_EL1), 0x60);
    gic_free(g);
}
END_TEST

/* ---- Output lines --------------------------------------------------------- */

START_TEST(test_group0_signals_fiq_and_group1_irq)
{
    struct gic *g = open_gic();
    spi(g, 40, 0x80, false, false, 0);
    gic_set_spi(g, 40, true);
    ck_assert(lines.fiq[0]);
    ck_assert(!lines.irq[0]);
    gic_set_spi(g, 40, false);
    raise_spi(g, 41, 0x80);
    ck_assert(lines.irq[0]);
    ck_assert(!lines.fiq[0]);
    gic_free(g);
}
END_TEST

START_TEST(test_output_called_once_per_line_change)
{
    struct gic *g = open_gic();
    unsigned start = lines.calls[0];
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(lines.calls[0], start + 1);
    raise_spi(g, 41, 0xa0); /* the line is already high */
    gic_icc_write(g, 0, ICC_PMR_EL1, 0xf0);
    ck_assert_uint_eq(lines.calls[0], start + 1);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40); /* 41 cannot preempt 0x80 */
    ck_assert_uint_eq(lines.calls[0], start + 2);
    ck_assert(!lines.irq[0]);
    ck_assert_uint_eq(lines.calls[1], 0);
    gic_free(g);
}
END_TEST

/* ---- SGIs ----------------------------------------------------------------- */

static void sgi_everywhere(struct gic *g, unsigned intid, bool group1)
{
    for (unsigned pe = 0; pe < NUM_PES; pe++)
        local(g, pe, intid, 0x80, group1);
}

START_TEST(test_sgi1r_target_list_pends_on_listed_pes)
{
    struct gic *g = open_gic();
    sgi_everywhere(g, 5, true);
    gic_icc_write(g, 0, ICC_SGI1R_EL1, sgir(5, 0, 0xa)); /* Aff0 1 and 3 */
    ck_assert(!local_pending(g, 0, 5));
    ck_assert(local_pending(g, 1, 5));
    ck_assert(!local_pending(g, 2, 5));
    ck_assert(local_pending(g, 3, 5));
    ck_assert(lines.irq[1] && lines.irq[3]);
    gic_free(g);
}
END_TEST

START_TEST(test_sgi1r_to_self_pends_locally)
{
    struct gic *g = open_gic();
    sgi_everywhere(g, 2, true);
    gic_icc_write(g, 2, ICC_SGI1R_EL1, sgir(2, 0, 1u << 2));
    ck_assert(local_pending(g, 2, 2));
    ck_assert_uint_eq(icc(g, 2, ICC_IAR1_EL1), 2);
    gic_free(g);
}
END_TEST

START_TEST(test_sgi1r_aff1_selects_the_cluster)
{
    const uint64_t mpidr[NUM_PES] = {0x000, 0x001, 0x100, 0x101};
    struct gic *g = open_gic_with(5, mpidr);
    sgi_everywhere(g, 7, true);
    gic_icc_write(g, 0, ICC_SGI1R_EL1, sgir(7, 1, 0x1)); /* Aff1 1, Aff0 0 */
    ck_assert(!local_pending(g, 0, 7));
    ck_assert(!local_pending(g, 1, 7));
    ck_assert(local_pending(g, 2, 7));
    ck_assert(!local_pending(g, 3, 7));
    gic_free(g);
}
END_TEST

START_TEST(test_sgi1r_aff2_and_aff3_must_match)
{
    const uint64_t mpidr[NUM_PES] = {0x000, 0x001, 0x10000, 0x100000000ull};
    struct gic *g = open_gic_with(5, mpidr);
    sgi_everywhere(g, 3, true);
    gic_icc_write(g, 0, ICC_SGI1R_EL1, sgir(3, 0, 0x1) | (1ull << 32)); /* Aff2 1 */
    ck_assert(local_pending(g, 2, 3));
    ck_assert(!local_pending(g, 0, 3));
    ck_assert(!local_pending(g, 3, 3));
    gic_icc_write(g, 0, ICC_SGI1R_EL1, sgir(3, 0, 0x1) | (1ull << 48)); /* Aff3 1 */
    ck_assert(local_pending(g, 3, 3));
    ck_assert(!local_pending(g, 0, 3));
    gic_free(g);
}
END_TEST

START_TEST(test_sgi_irm_broadcasts_to_all_but_self)
{
    struct gic *g = open_gic();
    sgi_everywhere(g, 1, true);
    gic_icc_write(g, 1, ICC_SGI1R_EL1, sgir(1, 0, 0) | (1ull << 40));
    ck_assert(local_pending(g, 0, 1));
    ck_assert(!local_pending(g, 1, 1));
    ck_assert(local_pending(g, 2, 1));
    ck_assert(local_pending(g, 3, 1));
    gic_free(g);
}
END_TEST

START_TEST(test_sgi0r_pends_only_group0_sgi)
{
    struct gic *g = open_gic();
    local(g, 1, 4, 0x80, false);
    local(g, 2, 4, 0x80, true);
    gic_icc_write(g, 0, ICC_SGI0R_EL1, sgir(4, 0, 0x6));
    ck_assert(local_pending(g, 1, 4));
    ck_assert(!local_pending(g, 2, 4));
    ck_assert(lines.fiq[1]);
    gic_free(g);
}
END_TEST

START_TEST(test_sgi1r_pends_sgi_of_either_group)
{
    struct gic *g = open_gic();
    local(g, 1, 4, 0x80, false);
    local(g, 2, 4, 0x80, true);
    gic_icc_write(g, 0, ICC_SGI1R_EL1, sgir(4, 0, 0x6));
    ck_assert(local_pending(g, 1, 4));
    ck_assert(local_pending(g, 2, 4));
    gic_free(g);
}
END_TEST

START_TEST(test_asgi1r_pends_only_group0_sgi)
{
    struct gic *g = open_gic();
    local(g, 1, 4, 0x80, false);
    local(g, 2, 4, 0x80, true);
    gic_icc_write(g, 0, ICC_ASGI1R_EL1, sgir(4, 0, 0x6));
    ck_assert(local_pending(g, 1, 4));
    ck_assert(!local_pending(g, 2, 4));
    gic_free(g);
}
END_TEST

START_TEST(test_sgi_targets_then_deliver)
{
    struct gic *g = open_gic();
    sgi_everywhere(g, 9, true);
    ck_assert_uint_eq(gic_sgi_targets(g, 0, sgir(9, 0, 0x5)), 0x5);
    ck_assert_uint_eq(gic_sgi_targets(g, 2, sgir(9, 0, 0) | (1ull << 40)), 0xb);
    ck_assert(!local_pending(g, 2, 9));
    gic_sgi_deliver(g, 2, ICC_SGI1R_EL1, 9);
    ck_assert(local_pending(g, 2, 9));
    gic_free(g);
}
END_TEST

/* ---- ICC_CTLR_EL1, ICC_SRE_EL1 ------------------------------------------- */

START_TEST(test_ctlr_reports_pri_bits_a3v_and_16_bit_ids)
{
    struct gic *g = open_gic();
    uint64_t ctlr = icc(g, 0, ICC_CTLR_EL1);
    ck_assert_uint_eq((ctlr >> 8) & 7, 4);  /* PRIbits = 5 - 1 */
    ck_assert_uint_eq((ctlr >> 11) & 7, 0); /* IDbits: 16 bits */
    ck_assert_uint_eq((ctlr >> 14) & 1, 0); /* SEIS */
    ck_assert_uint_eq((ctlr >> 15) & 1, 1); /* A3V */
    ck_assert_uint_eq((ctlr >> 18) & 3, 0); /* RSS, ExtRange */
    ck_assert_uint_eq(ctlr & 0x43, 0);      /* CBPR, EOImode, PMHE reset 0 */
    gic_free(g);
}
END_TEST

START_TEST(test_ctlr_keeps_only_writable_bits)
{
    struct gic *g = open_gic_with(8, NULL);
    gic_icc_write(g, 0, ICC_CTLR_EL1, 0xffffffffull);
    uint64_t ctlr = icc(g, 0, ICC_CTLR_EL1);
    ck_assert_uint_eq(ctlr, CTLR_CBPR | CTLR_EOIMODE | CTLR_PMHE | (7u << 8) | (1u << 15));
    gic_free(g);
}
END_TEST

START_TEST(test_sre_reads_as_enabled_and_ignores_writes)
{
    struct gic *g = open_gic();
    ck_assert_uint_eq(icc(g, 0, ICC_SRE_EL1), 0x7);
    gic_icc_write(g, 0, ICC_SRE_EL1, 0);
    ck_assert_uint_eq(icc(g, 0, ICC_SRE_EL1), 0x7);
    ck_assert_uint_eq(icc(g, 0, ICC_SRE_EL2), 0xf);
    gic_free(g);
}
END_TEST

/* ---- Why not taken -------------------------------------------------------- */

/* Runs gic_explain for PE into a string the caller frees. */
static char *explain(struct gic *g, unsigned pe, uint32_t daif)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    ck_assert_ptr_nonnull(f);
    gic_explain(g, pe, daif, f);
    fclose(f);
    return text;
}

static void check_explains(struct gic *g, unsigned pe, uint32_t daif, const char *line)
{
    char *text = explain(g, pe, daif);
    if (strstr(text, line) == NULL)
        ck_abort_msg("explain output lacks \"%s\":\n%s", line, text);
    free(text);
}

START_TEST(test_explain_priority_not_above_pmr_as_in_the_issue)
{
    struct gic *g = open_gic();
    local(g, 0, 27, 0xa0, true);
    gic_set_ppi(g, 0, 27, true);
    gic_icc_write(g, 0, ICC_PMR_EL1, 0x60);
    check_explains(
        g, 0, 0, "INTID 27 prio 0xa0 pending, not signalled: priority not higher than PMR 0x60\n");
    gic_free(g);
}
END_TEST

START_TEST(test_explain_disabled)
{
    struct gic *g = open_gic();
    spi(g, 40, 0x80, true, false, 0);
    ck_assert(gicd_write(g, 0x180 + 4, 4, 1u << 8)); /* GICD_ICENABLER1: INTID 40 */
    gic_set_spi(g, 40, true);
    check_explains(g, 0, 0, "INTID 40 prio 0x80 pending, not signalled: disabled\n");
    gic_free(g);
}
END_TEST

START_TEST(test_explain_group_disabled_in_distributor)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert(gicd_write(g, GICD_CTLR, 4, 0x1));
    check_explains(g, 0, 0,
                   "INTID 40 prio 0x80 pending, not signalled: Group 1 disabled in the "
                   "Distributor (GICD_CTLR.EnableGrp1 0)\n");
    gic_free(g);
}
END_TEST

START_TEST(test_explain_group_disabled_at_cpu_interface)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    gic_icc_write(g, 0, ICC_IGRPEN1_EL1, 0);
    check_explains(g, 0, 0,
                   "INTID 40 prio 0x80 pending, not signalled: Group 1 disabled at the CPU "
                   "interface (ICC_IGRPEN1_EL1 0)\n");
    gic_free(g);
}
END_TEST

START_TEST(test_explain_routed_elsewhere)
{
    struct gic *g = open_gic();
    spi(g, 40, 0x80, true, false, 3);
    gic_set_spi(g, 40, true);
    check_explains(g, 0, 0,
                   "INTID 40 prio 0x80 pending, not signalled: routed elsewhere, to PE 3\n");
    gic_free(g);
}
END_TEST

START_TEST(test_explain_not_above_running_priority)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    gic_set_spi(g, 40, false);
    raise_spi(g, 41, 0x90);
    check_explains(g, 0, 0,
                   "INTID 41 prio 0x90 pending, not signalled: group priority 0x90 not higher "
                   "than running priority 0x80\n");
    gic_free(g);
}
END_TEST

START_TEST(test_explain_active_and_pending)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    ck_assert_uint_eq(icc(g, 0, ICC_IAR1_EL1), 40);
    check_explains(g, 0, 0,
                   "INTID 40 prio 0x80 pending, not signalled: active, not forwarded again "
                   "until deactivated\n");
    gic_free(g);
}
END_TEST

START_TEST(test_explain_behind_higher_priority)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x40);
    raise_spi(g, 41, 0x80);
    check_explains(g, 0, 0,
                   "INTID 41 prio 0x80 pending, not signalled: INTID 40 has higher priority\n");
    gic_free(g);
}
END_TEST

START_TEST(test_explain_pstate_i_set)
{
    struct gic *g = open_gic();
    raise_spi(g, 40, 0x80);
    check_explains(g, 0, DAIF_I,
                   "INTID 40 prio 0x80 pending, signalled as IRQ, not taken: PSTATE.I set\n");
    gic_free(g);
}
END_TEST

START_TEST(test_explain_header_and_hppi)
{
    struct gic *g = open_gic();
    gic_icc_write(g, 1, ICC_PMR_EL1, 0x60);
    gic_icc_write(g, 1, ICC_IGRPEN0_EL1, 0);
    check_explains(g, 1, DAIF_I,
                   "PE 1: PSTATE.DAIF 0x080 (I 1, F 0), PMR 0x60, RPR 0xff, GICD_CTLR.EnableGrp0 1 "
                   "EnableGrp1 1, ICC_IGRPEN0 0 ICC_IGRPEN1 1, IRQ 0 FIQ 0\n"
                   "  highest priority pending interrupt: none\n"
                   "  no interrupt pending\n");
    local(g, 1, 20, 0x50, true);
    gic_set_ppi(g, 1, 20, true);
    check_explains(g, 1, 0, "  highest priority pending interrupt: INTID 20 prio 0x50 Group 1\n");
    gic_free(g);
}
END_TEST

static Suite *gic_cpuif_suite(void)
{
    Suite *s = suite_create("gic_cpuif");
    TCase *hppi = tcase_create("hppi");
    TCase *ack = tcase_create("acknowledge");
    TCase *eoi = tcase_create("eoi");
    TCase *apr = tcase_create("active_priorities");
    TCase *pre = tcase_create("preemption");
    TCase *pmr = tcase_create("pmr");
    TCase *out = tcase_create("outputs");
    TCase *sgi = tcase_create("sgi");
    TCase *ctl = tcase_create("control");
    TCase *why = tcase_create("explain");

    suite_add_tcase(s, hppi);
    suite_add_tcase(s, ack);
    suite_add_tcase(s, eoi);
    suite_add_tcase(s, apr);
    suite_add_tcase(s, pre);
    suite_add_tcase(s, pmr);
    suite_add_tcase(s, out);
    suite_add_tcase(s, sgi);
    suite_add_tcase(s, ctl);
    suite_add_tcase(s, why);

    tcase_add_test(hppi, test_hppir_reports_highest_priority_pending);
    tcase_add_test(hppi, test_hppi_tie_goes_to_lowest_intid);
    tcase_add_test(hppi, test_hppir_has_no_side_effects);
    tcase_add_test(hppi, test_hppir_reports_interrupt_masked_by_pmr);
    tcase_add_test(hppi, test_hppir1_is_spurious_for_group0_hppi);
    tcase_add_test(hppi, test_disabled_interrupt_is_not_the_hppi);
    tcase_add_test(hppi, test_disabled_group_does_not_hide_the_other_group);
    tcase_add_test(hppi, test_spi_routed_to_other_pe_is_not_seen);

    tcase_add_test(ack, test_iar_moves_pending_to_active_and_returns_intid);
    tcase_add_test(ack, test_iar_returns_spurious_when_nothing_pending);
    tcase_add_test(ack, test_iar0_returns_1023_for_group1_hppi);
    tcase_add_test(ack, test_level_interrupt_repends_after_deactivation_while_asserted);
    tcase_add_test(ack, test_level_interrupt_deasserted_before_eoi_is_not_pending);
    tcase_add_test(ack, test_edge_interrupt_not_pending_after_acknowledge);
    tcase_add_test(ack, test_edge_while_active_is_taken_again_after_deactivation);

    tcase_add_test(eoi, test_eoimode0_eoir_drops_priority_and_deactivates);
    tcase_add_test(eoi, test_eoimode1_eoir_drops_priority_without_deactivation);
    tcase_add_test(eoi, test_eoimode1_dir_deactivates);
    tcase_add_test(eoi, test_dir_ignored_with_eoimode0);
    tcase_add_test(eoi, test_eoir_of_the_other_group_is_ignored);
    tcase_add_test(eoi, test_eoir_drops_only_the_highest_active_priority);

    tcase_add_test(apr, test_rpr_is_group_priority_of_highest_active);
    tcase_add_test(apr, test_acknowledge_sets_active_priority_bit);
    tcase_add_test(apr, test_rpr_follows_written_ap0r0);
    tcase_add_test(apr, test_seven_priority_bits_use_ap1r2);
    tcase_add_test(apr, test_ap_registers_implemented_per_priority_bits);

    tcase_add_test(pre, test_higher_group_priority_preempts_active);
    tcase_add_test(pre, test_equal_priority_does_not_preempt);
    tcase_add_test(pre, test_binary_point_stops_subpriority_preemption);
    tcase_add_test(pre, test_minimum_binary_point_lets_higher_priority_preempt);
    tcase_add_test(pre, test_cbpr_makes_group1_use_bpr0);
    tcase_add_test(pre, test_bpr1_reads_bpr0_plus_one_and_ignores_writes_with_cbpr);
    tcase_add_test(pre, test_bpr_write_below_minimum_sets_minimum);

    tcase_add_test(pmr, test_pmr_masks_equal_priority);
    tcase_add_test(pmr, test_pmr_write_takes_effect_for_next_decision);
    tcase_add_test(pmr, test_pmr_keeps_implemented_bits_only);

    tcase_add_test(out, test_group0_signals_fiq_and_group1_irq);
    tcase_add_test(out, test_output_called_once_per_line_change);

    tcase_add_test(sgi, test_sgi1r_target_list_pends_on_listed_pes);
    tcase_add_test(sgi, test_sgi1r_to_self_pends_locally);
    tcase_add_test(sgi, test_sgi1r_aff1_selects_the_cluster);
    tcase_add_test(sgi, test_sgi1r_aff2_and_aff3_must_match);
    tcase_add_test(sgi, test_sgi_irm_broadcasts_to_all_but_self);
    tcase_add_test(sgi, test_sgi0r_pends_only_group0_sgi);
    tcase_add_test(sgi, test_sgi1r_pends_sgi_of_either_group);
    tcase_add_test(sgi, test_asgi1r_pends_only_group0_sgi);
    tcase_add_test(sgi, test_sgi_targets_then_deliver);

    tcase_add_test(ctl, test_ctlr_reports_pri_bits_a3v_and_16_bit_ids);
    tcase_add_test(ctl, test_ctlr_keeps_only_writable_bits);
    tcase_add_test(ctl, test_sre_reads_as_enabled_and_ignores_writes);

    tcase_add_test(why, test_explain_priority_not_above_pmr_as_in_the_issue);
    tcase_add_test(why, test_explain_disabled);
    tcase_add_test(why, test_explain_group_disabled_in_distributor);
    tcase_add_test(why, test_explain_group_disabled_at_cpu_interface);
    tcase_add_test(why, test_explain_routed_elsewhere);
    tcase_add_test(why, test_explain_not_above_running_priority);
    tcase_add_test(why, test_explain_active_and_pending);
    tcase_add_test(why, test_explain_behind_higher_priority);
    tcase_add_test(why, test_explain_pstate_i_set);
    tcase_add_test(why, test_explain_header_and_hppi);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(gic_cpuif_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
