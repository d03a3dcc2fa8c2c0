/* Unit tests for the GICv3 distributor and redistributors (gic/dist.c,
 * gic/redist.c) through gic/gic.h, with gic/gic_internal.h for the state
 * the CPU interface would otherwise set (group enables).
 *
 * Expected values come from IHI 0069 (register offsets, field positions,
 * reset values, RAZ/WI rules with GICD_CTLR.DS = 1 and ARE = 1) and from the
 * choices documented in docs/gic.md (IIDR and ID register values as QEMU's
 * GICv3, RAZ/WI for wrong sizes and reserved offsets, the 1-of-N rule).
 *
 * gic_update()/gic_update_all() belong to the CPU interface (cpuif.c). This
 * file defines weak counting fakes so that the distributor can be tested on
 * its own and the tests can check which PEs a change recomputes; and fakes
 * of the three functions of the virtual interface and of the system-register
 * table that gic_new and gic_reset call (vcpuif.c, sysregs.c), so that none
 * of the functions used here pulls cpuif.o out of the library. */
#include "gic/gic.h"
#include "gic/gic_internal.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- Register map (IHI 0069 chapter 12) ----------------------------------- */

#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IIDR       0x0008
#define GICD_STATUSR    0x0010
#define GICD_SETSPI_NSR 0x0040
#define GICD_CLRSPI_NSR 0x0048
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ISPENDR    0x0200
#define GICD_ICPENDR    0x0280
#define GICD_ISACTIVER  0x0300
#define GICD_ICACTIVER  0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0C00
#define GICD_IGRPMODR   0x0D00
#define GICD_NSACR      0x0E00
#define GICD_IROUTER    0x6000
#define GICD_PIDR4      0xFFD0
#define GICD_PIDR0      0xFFE0
#define GICD_PIDR2      0xFFE8

#define GICR_CTLR       0x0000
#define GICR_IIDR       0x0004
#define GICR_TYPER      0x0008
#define GICR_STATUSR    0x0010
#define GICR_WAKER      0x0014
#define GICR_PROPBASER  0x0070
#define GICR_PIDR0      0xFFE0
#define GICR_PIDR2      0xFFE8
#define SGI_BASE        0x10000
#define GICR_IGROUPR0   (SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (SGI_BASE + 0x0180)
#define GICR_ISPENDR0   (SGI_BASE + 0x0200)
#define GICR_ICPENDR0   (SGI_BASE + 0x0280)
#define GICR_ISACTIVER0 (SGI_BASE + 0x0300)
#define GICR_ICACTIVER0 (SGI_BASE + 0x0380)
#define GICR_IPRIORITYR (SGI_BASE + 0x0400)
#define GICR_ICFGR0     (SGI_BASE + 0x0C00)
#define GICR_ICFGR1     (SGI_BASE + 0x0C04)
#define GICR_IGRPMODR0  (SGI_BASE + 0x0D00)
#define GICR_NSACR      (SGI_BASE + 0x0E00)
#define GICR_FRAME_PAIR 0x20000

#define CTLR_ENABLE_GRP0 (1u << 0)
#define CTLR_ENABLE_GRP1 (1u << 1)
#define CTLR_ARE         (1u << 4)
#define CTLR_DS          (1u << 6)
#define WAKER_PS         (1u << 1)
#define WAKER_CA         (1u << 2)
#define TYPER_PLPIS      (1u << 0)
#define TYPER_VLPIS      (1u << 1)
#define TYPER_DIRECTLPI  (1u << 3)
#define TYPER_LAST       (1u << 4)
#define TYPER_DPGS       (1u << 5)
#define IROUTER_IRM      (1ull << 31)

#define NUM_PES  4
#define NUM_SPIS 256
#define SPI(n)   (32 + (n)) /* INTID of SPI n */

/* MPIDR values with bit 31 (RES1) set, and one with every affinity level
 * non-zero, so that routing must compare the affinity fields only. */
static const uint64_t test_mpidr[NUM_PES] = {0x80000000ull, 0x80000001ull, 0x80000100ull,
                                             0x0000000180010203ull};

/* ---- Counting fakes of the CPU interface's recompute functions ----------- */

static unsigned updates[GIC_MAX_PES];
static unsigned update_alls;

__attribute__((weak)) void gic_update(struct gic *g, unsigned pe)
{
    (void)g;
    ck_assert_uint_lt(pe, GIC_MAX_PES);
    updates[pe]++;
}

__attribute__((weak)) void gic_update_all(struct gic *g)
{
    (void)g;
    update_alls++;
}

__attribute__((weak)) void gic_vcpu_reset(struct gic *g, unsigned pe)
{
    (void)g, (void)pe;
}

__attribute__((weak)) void gic_vcpu_update(struct gic *g, unsigned pe)
{
    (void)g, (void)pe;
}

__attribute__((weak)) bool gic_sysregs_build(struct gic *g)
{
    (void)g;
    return true;
}

static void clear_counts(void)
{
    memset(updates, 0, sizeof updates);
    update_alls = 0;
}

/* ---- Harness ---------------------------------------------------------------- */

static struct gic *g;

static struct gic_config config(unsigned num_spis, unsigned pri_bits)
{
    struct gic_config cfg = {.num_pes = NUM_PES, .num_spis = num_spis, .pri_bits = pri_bits};

    memcpy(cfg.mpidr, test_mpidr, sizeof test_mpidr);
    return cfg;
}

static void setup(void)
{
    struct gic_config cfg = config(NUM_SPIS, 5);

    g = gic_new(&cfg);
    ck_assert_ptr_nonnull(g);
    clear_counts();
}

/* Every test leaves the incremental HPPI state (gic/hppi.c) as a full
 * rescan finds it: each register path here must make its gic_hppi_*()
 * call. */
static void teardown(void)
{
    char why[160] = "";

    ck_assert_msg(gic_hppi_check(g, why, sizeof why), "%s", why);
    gic_free(g);
    g = NULL;
}

static uint64_t dread(uint64_t off, unsigned size)
{
    uint64_t v = 0xDEADBEEFDEADBEEFull;

    ck_assert(gicd_read(g, off, size, &v));
    return v;
}

static void dwrite(uint64_t off, unsigned size, uint64_t value)
{
    ck_assert(gicd_write(g, off, size, value));
}

static uint64_t rread(uint64_t off, unsigned size)
{
    uint64_t v = 0xDEADBEEFDEADBEEFull;

    ck_assert(gicr_read(g, off, size, &v));
    return v;
}

static void rwrite(uint64_t off, unsigned size, uint64_t value)
{
    ck_assert(gicr_write(g, off, size, value));
}

static uint32_t rd(uint64_t off)
{
    return (uint32_t)dread(off, 4);
}

static void wr(uint64_t off, uint32_t value)
{
    dwrite(off, 4, value);
}

/* GICR word access for PE's frame pair. */
static uint32_t rrd(unsigned pe, uint64_t off)
{
    return (uint32_t)rread((uint64_t)pe * GICR_FRAME_PAIR + off, 4);
}

static void rwr(unsigned pe, uint64_t off, uint32_t value)
{
    rwrite((uint64_t)pe * GICR_FRAME_PAIR + off, 4, value);
}

/* Offset of the bit-per-INTID register holding INTID, and its bit. */
static uint64_t reg_of(uint64_t base, unsigned intid)
{
    return base + 4 * (intid / 32);
}

static uint32_t bit_of(unsigned intid)
{
    return 1u << (intid % 32);
}

static bool spi_pending(unsigned intid)
{
    return (rd(reg_of(GICD_ISPENDR, intid)) & bit_of(intid)) != 0;
}

/* Configure SPI INTID as edge-triggered (GICD_ICFGR Int_config[1]). */
static void make_edge(unsigned intid)
{
    uint64_t reg = GICD_ICFGR + 4 * (intid / 16);

    wr(reg, rd(reg) | 2u << (2 * (intid % 16)));
}

/* Make PE awake with both groups enabled at its CPU interface; the HPPI
 * state is rebuilt as an ICC_IGRPENn_EL1 write would. */
static void wake_with_groups(unsigned pe)
{
    rwr(pe, GICR_WAKER, 0);
    g->cpu[pe].igrpen0 = true;
    g->cpu[pe].igrpen1 = true;
    gic_hppi_rebuild(g);
}

/* ---- GICD reset values and identification --------------------------------- */

START_TEST(test_gicd_ctlr_resets_to_are_and_ds)
{
    ck_assert_uint_eq(rd(GICD_CTLR), CTLR_ARE | CTLR_DS);
}
END_TEST

START_TEST(test_gicd_ctlr_only_group_enables_are_writable)
{
    wr(GICD_CTLR, 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(GICD_CTLR), CTLR_ARE | CTLR_DS | CTLR_ENABLE_GRP0 | CTLR_ENABLE_GRP1);
    wr(GICD_CTLR, 0);
    ck_assert_uint_eq(rd(GICD_CTLR), CTLR_ARE | CTLR_DS); /* ARE, DS RAO/WI; RWP 0 */
}
END_TEST

START_TEST(test_gicd_typer_reports_spis_idbits_mbis_a3v)
{
    /* 256 SPIs: INTIDs up to 287 = 32 * (8 + 1) - 1; IDbits 15 (16 bits);
     * A3V; MBIS; No1N 0; LPIS, SecurityExtn, CPUNumber 0. */
    ck_assert_uint_eq(rd(GICD_TYPER), (1u << 24) | (15u << 19) | (1u << 16) | 8u);
}
END_TEST

START_TEST(test_gicd_typer_itlines_for_960_spis)
{
    struct gic_config cfg = config(960, 5);
    struct gic *big = gic_new(&cfg);
    uint64_t v;

    ck_assert_ptr_nonnull(big);
    ck_assert(gicd_read(big, GICD_TYPER, 4, &v));
    ck_assert_uint_eq(v & 0x1F, 30); /* INTIDs up to 991 = 32 * 31 - 1 */
    gic_free(big);
}
END_TEST

START_TEST(test_gicd_typer_and_iidr_are_read_only)
{
    uint32_t typer = rd(GICD_TYPER);

    wr(GICD_TYPER, 0);
    wr(GICD_IIDR, 0);
    ck_assert_uint_eq(rd(GICD_TYPER), typer);
    ck_assert_uint_eq(rd(GICD_IIDR), 0x43B);
}
END_TEST

START_TEST(test_gicd_iidr_is_arm_r0p0)
{
    ck_assert_uint_eq(rd(GICD_IIDR), 0x0000043Bu);
}
END_TEST

START_TEST(test_gicd_statusr_raz_wi)
{
    wr(GICD_STATUSR, 0xF);
    ck_assert_uint_eq(rd(GICD_STATUSR), 0);
}
END_TEST

START_TEST(test_gicd_pidr2_archrev_is_3)
{
    ck_assert_uint_eq((rd(GICD_PIDR2) >> 4) & 0xF, 3);
}
END_TEST

START_TEST(test_gicd_id_registers_read_gic500_identity)
{
    static const uint32_t want[12] = {0x44, 0, 0, 0, 0x92, 0xB4, 0x3B, 0, 0x0D, 0xF0, 0x05, 0xB1};

    for (unsigned i = 0; i < 12; i++)
        ck_assert_uint_eq(rd(GICD_PIDR4 + 4 * i), want[i]);
}
END_TEST

START_TEST(test_gicd_spi_state_resets_to_zero)
{
    for (unsigned n = 1; n <= NUM_SPIS / 32; n++) {
        ck_assert_uint_eq(rd(GICD_IGROUPR + 4 * n), 0);
        ck_assert_uint_eq(rd(GICD_ISENABLER + 4 * n), 0);
        ck_assert_uint_eq(rd(GICD_ISPENDR + 4 * n), 0);
        ck_assert_uint_eq(rd(GICD_ISACTIVER + 4 * n), 0);
    }
    for (unsigned intid = 32; intid < 32 + NUM_SPIS; intid += 4)
        ck_assert_uint_eq(rd(GICD_IPRIORITYR + intid), 0);
    for (unsigned n = 2; n < (32 + NUM_SPIS) / 16; n++)
        ck_assert_uint_eq(rd(GICD_ICFGR + 4 * n), 0); /* level-sensitive */
    for (unsigned intid = 32; intid < 32 + NUM_SPIS; intid++)
        ck_assert_uint_eq(dread(GICD_IROUTER + 8 * intid, 8), 0);
}
END_TEST

START_TEST(test_gicd_sgi_ppi_fields_raz_wi_with_are)
{
    static const uint64_t regs[] = {GICD_IGROUPR,   GICD_ISENABLER, GICD_ISPENDR,
                                    GICD_ISACTIVER, GICD_ICFGR,     GICD_ICFGR + 4};

    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        wr(regs[i], 0xFFFFFFFFu);
        ck_assert_uint_eq(rd(regs[i]), 0);
    }
    for (unsigned n = 0; n < 8; n++) {
        wr(GICD_IPRIORITYR + 4 * n, 0xFFFFFFFFu);
        ck_assert_uint_eq(rd(GICD_IPRIORITYR + 4 * n), 0);
    }
    for (unsigned intid = 0; intid < 32; intid++) {
        ck_assert(!g->cpu[0].local[intid].enabled);
        ck_assert_uint_eq(g->cpu[0].local[intid].priority, 0);
    }
}
END_TEST

START_TEST(test_gicd_igrpmodr_raz_wi_with_ds)
{
    wr(GICD_IGRPMODR + 4, 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(GICD_IGRPMODR + 4), 0);
}
END_TEST

START_TEST(test_gicd_nsacr_raz_wi_with_ds)
{
    wr(GICD_NSACR + 8, 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(GICD_NSACR + 8), 0);
}
END_TEST

START_TEST(test_gicd_bits_of_unimplemented_spis_raz_wi)
{
    /* 256 SPIs end at INTID 287: ISENABLER9 (288-319) is beyond. */
    wr(GICD_ISENABLER + 4 * 9, 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(GICD_ISENABLER + 4 * 9), 0);
    wr(GICD_IPRIORITYR + 288, 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(GICD_IPRIORITYR + 288), 0);
    dwrite(GICD_IROUTER + 8 * 288, 8, 1);
    ck_assert_uint_eq(dread(GICD_IROUTER + 8 * 288, 8), 0);
}
END_TEST

/* ---- GICR reset values and identification --------------------------------- */

START_TEST(test_gicr_ctlr_reads_zero_and_ignores_writes)
{
    ck_assert_uint_eq(rrd(0, GICR_CTLR), 0);
    rwr(0, GICR_CTLR, 0xFFFFFFFFu); /* EnableLPIs RES0 without LPIs */
    ck_assert_uint_eq(rrd(0, GICR_CTLR), 0);
}
END_TEST

START_TEST(test_gicr_iidr_is_arm_r0p0)
{
    ck_assert_uint_eq(rrd(1, GICR_IIDR), 0x0000043Bu);
}
END_TEST

START_TEST(test_gicr_typer_affinity_and_processor_number)
{
    /* PE 3: MPIDR Aff3 1, Aff2 1, Aff1 2, Aff0 3 -> Affinity_Value 0x01010203. */
    uint64_t typer = rread(3 * GICR_FRAME_PAIR + GICR_TYPER, 8);

    ck_assert_uint_eq(typer >> 32, 0x01010203u);
    ck_assert_uint_eq((typer >> 8) & 0xFFFF, 3);
    /* PE 2: Aff1 1; MPIDR bit 31 is not an affinity field. */
    ck_assert_uint_eq(rread(2 * GICR_FRAME_PAIR + GICR_TYPER, 8) >> 32, 0x00000100u);
}
END_TEST

START_TEST(test_gicr_typer_last_only_on_last_pe)
{
    for (unsigned pe = 0; pe < NUM_PES; pe++) {
        uint64_t typer = rread((uint64_t)pe * GICR_FRAME_PAIR + GICR_TYPER, 8);
        ck_assert_uint_eq((typer & TYPER_LAST) != 0, pe == NUM_PES - 1);
    }
}
END_TEST

START_TEST(test_gicr_typer_reports_no_lpis_and_no_dpg)
{
    uint64_t typer = rread(GICR_TYPER, 8);

    ck_assert_uint_eq(typer & (TYPER_PLPIS | TYPER_VLPIS | TYPER_DIRECTLPI | TYPER_DPGS), 0);
}
END_TEST

START_TEST(test_gicr_typer_word_halves_match_doubleword)
{
    uint64_t typer = rread(3 * GICR_FRAME_PAIR + GICR_TYPER, 8);

    ck_assert_uint_eq(rrd(3, GICR_TYPER), typer & 0xFFFFFFFFu);
    ck_assert_uint_eq(rrd(3, GICR_TYPER + 4), typer >> 32);
}
END_TEST

START_TEST(test_gicr_statusr_raz_wi)
{
    rwr(0, GICR_STATUSR, 0xF);
    ck_assert_uint_eq(rrd(0, GICR_STATUSR), 0);
}
END_TEST

START_TEST(test_gicr_waker_resets_asleep)
{
    for (unsigned pe = 0; pe < NUM_PES; pe++)
        ck_assert_uint_eq(rrd(pe, GICR_WAKER), WAKER_PS | WAKER_CA);
}
END_TEST

START_TEST(test_gicr_waker_wake_clears_children_asleep)
{
    rwr(1, GICR_WAKER, 0);
    ck_assert_uint_eq(rrd(1, GICR_WAKER), 0);
    ck_assert_uint_eq(rrd(0, GICR_WAKER), WAKER_PS | WAKER_CA); /* per PE */
}
END_TEST

START_TEST(test_gicr_waker_sleep_sets_children_asleep)
{
    rwr(1, GICR_WAKER, 0);
    rwr(1, GICR_WAKER, WAKER_PS);
    ck_assert_uint_eq(rrd(1, GICR_WAKER), WAKER_PS | WAKER_CA);
}
END_TEST

START_TEST(test_gicr_waker_children_asleep_is_read_only)
{
    rwr(1, GICR_WAKER, WAKER_CA); /* ProcessorSleep 0: wake; CA ignored */
    ck_assert_uint_eq(rrd(1, GICR_WAKER), 0);
}
END_TEST

START_TEST(test_gicr_id_registers_pidr2_archrev_3_pidr0_redist)
{
    ck_assert_uint_eq((rrd(0, GICR_PIDR2) >> 4) & 0xF, 3);
    ck_assert_uint_eq(rrd(0, GICR_PIDR0), 0x93);
}
END_TEST

START_TEST(test_gicr_sgi_frame_resets)
{
    ck_assert_uint_eq(rrd(2, GICR_IGROUPR0), 0);
    ck_assert_uint_eq(rrd(2, GICR_ISENABLER0), 0);
    ck_assert_uint_eq(rrd(2, GICR_ISPENDR0), 0);
    ck_assert_uint_eq(rrd(2, GICR_ISACTIVER0), 0);
    for (unsigned n = 0; n < 8; n++)
        ck_assert_uint_eq(rrd(2, GICR_IPRIORITYR + 4 * n), 0);
    ck_assert_uint_eq(rrd(2, GICR_ICFGR0), 0xAAAAAAAAu); /* SGIs edge */
    ck_assert_uint_eq(rrd(2, GICR_ICFGR1), 0);           /* PPIs level */
}
END_TEST

START_TEST(test_gicr_icfgr0_sgis_read_only_edge)
{
    rwr(0, GICR_ICFGR0, 0);
    ck_assert_uint_eq(rrd(0, GICR_ICFGR0), 0xAAAAAAAAu);
    ck_assert(g->cpu[0].local[5].edge);
}
END_TEST

START_TEST(test_gicr_icfgr1_ppi_edge_bits_writable)
{
    rwr(0, GICR_ICFGR1, 0xFFFFFFFFu); /* Int_config[0] RES0 */
    ck_assert_uint_eq(rrd(0, GICR_ICFGR1), 0xAAAAAAAAu);
    ck_assert(g->cpu[0].local[27].edge);
}
END_TEST

START_TEST(test_gicr_igrpmodr0_and_nsacr_raz_wi_with_ds)
{
    rwr(0, GICR_IGRPMODR0, 0xFFFFFFFFu);
    rwr(0, GICR_NSACR, 0xFFFFFFFFu);
    ck_assert_uint_eq(rrd(0, GICR_IGRPMODR0), 0);
    ck_assert_uint_eq(rrd(0, GICR_NSACR), 0);
}
END_TEST

START_TEST(test_gicr_frames_are_per_pe)
{
    rwr(1, GICR_ISENABLER0, bit_of(27));
    ck_assert_uint_eq(rrd(1, GICR_ISENABLER0), bit_of(27));
    ck_assert_uint_eq(rrd(0, GICR_ISENABLER0), 0);
    ck_assert_uint_eq(rrd(2, GICR_ISENABLER0), 0);
}
END_TEST

/* ---- Set/clear register pairs ------------------------------------------------ */

START_TEST(test_gicd_isenabler_sets_icenabler_clears)
{
    wr(reg_of(GICD_ISENABLER, SPI(5)), bit_of(SPI(5)));
    ck_assert_uint_eq(rd(reg_of(GICD_ISENABLER, SPI(5))), bit_of(SPI(5)));
    ck_assert_uint_eq(rd(reg_of(GICD_ICENABLER, SPI(5))), bit_of(SPI(5)));
    wr(reg_of(GICD_ICENABLER, SPI(5)), bit_of(SPI(5)));
    ck_assert_uint_eq(rd(reg_of(GICD_ISENABLER, SPI(5))), 0);
}
END_TEST

START_TEST(test_gicd_ispendr_sets_icpendr_clears)
{
    wr(reg_of(GICD_ISPENDR, SPI(40)), bit_of(SPI(40)));
    ck_assert_uint_eq(rd(reg_of(GICD_ISPENDR, SPI(40))), bit_of(SPI(40)));
    ck_assert_uint_eq(rd(reg_of(GICD_ICPENDR, SPI(40))), bit_of(SPI(40)));
    wr(reg_of(GICD_ICPENDR, SPI(40)), bit_of(SPI(40)));
    ck_assert_uint_eq(rd(reg_of(GICD_ISPENDR, SPI(40))), 0);
}
END_TEST

START_TEST(test_gicd_isactiver_sets_icactiver_clears)
{
    wr(reg_of(GICD_ISACTIVER, SPI(63)), bit_of(SPI(63)));
    ck_assert_uint_eq(rd(reg_of(GICD_ISACTIVER, SPI(63))), bit_of(SPI(63)));
    ck_assert_uint_eq(rd(reg_of(GICD_ICACTIVER, SPI(63))), bit_of(SPI(63)));
    wr(reg_of(GICD_ICACTIVER, SPI(63)), bit_of(SPI(63)));
    ck_assert_uint_eq(rd(reg_of(GICD_ISACTIVER, SPI(63))), 0);
}
END_TEST

START_TEST(test_gicd_igroupr_bits_read_back)
{
    wr(GICD_IGROUPR + 4, 0xA5A5A5A5u);
    ck_assert_uint_eq(rd(GICD_IGROUPR + 4), 0xA5A5A5A5u);
    ck_assert(g->spi[0].group1);  /* INTID 32: bit 0 */
    ck_assert(!g->spi[1].group1); /* INTID 33: bit 1 */
}
END_TEST

START_TEST(test_zero_bits_of_set_and_clear_registers_have_no_effect)
{
    wr(GICD_ISENABLER + 4, 0x0000000Fu);
    wr(GICD_ISENABLER + 4, 0x000000F0u);
    wr(GICD_ICENABLER + 4, 0x00000001u);
    ck_assert_uint_eq(rd(GICD_ISENABLER + 4), 0x000000FEu);
}
END_TEST

START_TEST(test_gicr_isenabler0_sets_icenabler0_clears)
{
    rwr(2, GICR_ISENABLER0, bit_of(3) | bit_of(30));
    ck_assert_uint_eq(rrd(2, GICR_ICENABLER0), bit_of(3) | bit_of(30));
    rwr(2, GICR_ICENABLER0, bit_of(3));
    ck_assert_uint_eq(rrd(2, GICR_ISENABLER0), bit_of(30));
}
END_TEST

START_TEST(test_gicr_ispendr0_sets_icpendr0_clears)
{
    rwr(2, GICR_ISPENDR0, bit_of(1) | bit_of(23));
    ck_assert_uint_eq(rrd(2, GICR_ICPENDR0), bit_of(1) | bit_of(23));
    rwr(2, GICR_ICPENDR0, bit_of(23));
    ck_assert_uint_eq(rrd(2, GICR_ISPENDR0), bit_of(1));
}
END_TEST

START_TEST(test_gicr_isactiver0_sets_icactiver0_clears)
{
    rwr(2, GICR_ISACTIVER0, bit_of(0) | bit_of(31));
    ck_assert_uint_eq(rrd(2, GICR_ICACTIVER0), bit_of(0) | bit_of(31));
    rwr(2, GICR_ICACTIVER0, bit_of(0));
    ck_assert_uint_eq(rrd(2, GICR_ISACTIVER0), bit_of(31));
}
END_TEST

START_TEST(test_gicr_igroupr0_bits_read_back)
{
    rwr(1, GICR_IGROUPR0, 0xFFFF0001u);
    ck_assert_uint_eq(rrd(1, GICR_IGROUPR0), 0xFFFF0001u);
    ck_assert(g->cpu[1].local[0].group1);
    ck_assert(!g->cpu[1].local[1].group1);
}
END_TEST

/* ---- Level and edge inputs ------------------------------------------------------- */

START_TEST(test_level_spi_pending_follows_input)
{
    gic_set_spi(g, SPI(1), true);
    ck_assert(spi_pending(SPI(1)));
    gic_set_spi(g, SPI(1), false);
    ck_assert(!spi_pending(SPI(1)));
}
END_TEST

START_TEST(test_icpendr_keeps_asserted_level_spi_pending)
{
    gic_set_spi(g, SPI(1), true);
    wr(reg_of(GICD_ICPENDR, SPI(1)), bit_of(SPI(1)));
    ck_assert(spi_pending(SPI(1)));
}
END_TEST

START_TEST(test_ispendr_latch_holds_level_spi_after_input_drops)
{
    gic_set_spi(g, SPI(1), true);
    wr(reg_of(GICD_ISPENDR, SPI(1)), bit_of(SPI(1)));
    gic_set_spi(g, SPI(1), false);
    ck_assert(spi_pending(SPI(1)));
    wr(reg_of(GICD_ICPENDR, SPI(1)), bit_of(SPI(1)));
    ck_assert(!spi_pending(SPI(1)));
}
END_TEST

START_TEST(test_edge_spi_latches_on_rising_edge)
{
    make_edge(SPI(2));
    gic_set_spi(g, SPI(2), true);
    gic_set_spi(g, SPI(2), false);
    ck_assert(spi_pending(SPI(2)));
}
END_TEST

START_TEST(test_edge_spi_held_high_does_not_relatch_after_clear)
{
    make_edge(SPI(2));
    gic_set_spi(g, SPI(2), true);
    wr(reg_of(GICD_ICPENDR, SPI(2)), bit_of(SPI(2)));
    gic_set_spi(g, SPI(2), true); /* no new edge */
    ck_assert(!spi_pending(SPI(2)));
    gic_set_spi(g, SPI(2), false);
    gic_set_spi(g, SPI(2), true); /* a new edge */
    ck_assert(spi_pending(SPI(2)));
}
END_TEST

START_TEST(test_level_ppi_pending_follows_input)
{
    gic_set_ppi(g, 1, 27, true);
    ck_assert_uint_eq(rrd(1, GICR_ISPENDR0), bit_of(27));
    ck_assert_uint_eq(rrd(0, GICR_ISPENDR0), 0);
    gic_set_ppi(g, 1, 27, false);
    ck_assert_uint_eq(rrd(1, GICR_ISPENDR0), 0);
}
END_TEST

START_TEST(test_edge_ppi_latches_on_rising_edge)
{
    rwr(0, GICR_ICFGR1, 2u << (2 * (30 - 16)));
    gic_set_ppi(g, 0, 30, true);
    gic_set_ppi(g, 0, 30, false);
    ck_assert_uint_eq(rrd(0, GICR_ISPENDR0), bit_of(30));
}
END_TEST

START_TEST(test_set_ppi_ignores_non_ppi_intids_and_pes)
{
    gic_set_ppi(g, 0, 5, true);  /* an SGI */
    gic_set_ppi(g, 0, 40, true); /* an SPI */
    gic_set_ppi(g, NUM_PES, 27, true);
    ck_assert_uint_eq(rrd(0, GICR_ISPENDR0), 0);
    ck_assert(!spi_pending(40));
    for (unsigned pe = 0; pe < GIC_MAX_PES; pe++)
        ck_assert_uint_eq(updates[pe], 0);
}
END_TEST

START_TEST(test_set_spi_ignores_unimplemented_intids)
{
    gic_set_spi(g, 20, true);
    gic_set_spi(g, 32 + NUM_SPIS, true);
    gic_set_spi(g, 5000, true);
    ck_assert_uint_eq(rrd(0, GICR_ISPENDR0), 0);
    ck_assert_uint_eq(rd(GICD_ISPENDR + 4 * 9), 0);
}
END_TEST

/* ---- Message-based SPIs ----------------------------------------------------------- */

START_TEST(test_setspi_pends_edge_spi)
{
    make_edge(SPI(10));
    wr(GICD_SETSPI_NSR, SPI(10));
    ck_assert(spi_pending(SPI(10)));
}
END_TEST

START_TEST(test_clrspi_removes_edge_spi_pending)
{
    make_edge(SPI(10));
    wr(GICD_SETSPI_NSR, SPI(10));
    wr(GICD_CLRSPI_NSR, SPI(10));
    ck_assert(!spi_pending(SPI(10)));
}
END_TEST

START_TEST(test_setspi_level_spi_stays_pending_until_clrspi)
{
    wr(GICD_SETSPI_NSR, SPI(11));
    /* Acknowledge clears the latch; so does ICPENDR. Neither deasserts a
     * level set through SETSPI_NSR. */
    g->spi[11].latched = false;
    wr(reg_of(GICD_ICPENDR, SPI(11)), bit_of(SPI(11)));
    ck_assert(spi_pending(SPI(11)));
    wr(GICD_CLRSPI_NSR, SPI(11));
    ck_assert(!spi_pending(SPI(11)));
}
END_TEST

START_TEST(test_clrspi_keeps_level_spi_with_wire_asserted_pending)
{
    gic_set_spi(g, SPI(12), true);
    wr(GICD_CLRSPI_NSR, SPI(12));
    ck_assert(spi_pending(SPI(12)));
}
END_TEST

START_TEST(test_setspi_accepts_halfword_write)
{
    dwrite(GICD_SETSPI_NSR, 2, SPI(13));
    ck_assert(spi_pending(SPI(13)));
    dwrite(GICD_CLRSPI_NSR, 2, SPI(13));
    ck_assert(!spi_pending(SPI(13)));
}
END_TEST

START_TEST(test_setspi_ignores_res0_bits_above_intid)
{
    wr(GICD_SETSPI_NSR, 0xFFFFE000u | SPI(14)); /* bits [31:13] RES0 */
    ck_assert(spi_pending(SPI(14)));
}
END_TEST

START_TEST(test_setspi_for_invalid_intid_has_no_effect)
{
    wr(GICD_SETSPI_NSR, 27);            /* a PPI */
    wr(GICD_SETSPI_NSR, 32 + NUM_SPIS); /* beyond ITLinesNumber */
    wr(GICD_SETSPI_NSR, GIC_SPURIOUS);  /* special */
    ck_assert_uint_eq(rrd(0, GICR_ISPENDR0), 0);
    for (unsigned n = 1; n < 32; n++)
        ck_assert_uint_eq(rd(GICD_ISPENDR + 4 * n), 0);
}
END_TEST

START_TEST(test_setspi_clrspi_are_write_only_read_zero)
{
    wr(GICD_SETSPI_NSR, SPI(15));
    ck_assert_uint_eq(rd(GICD_SETSPI_NSR), 0);
    ck_assert_uint_eq(rd(GICD_CLRSPI_NSR), 0);
}
END_TEST

/* ---- IPRIORITYR --------------------------------------------------------------------- */

START_TEST(test_gicd_ipriorityr_byte_write_reads_back_in_word)
{
    dwrite(GICD_IPRIORITYR + SPI(9), 1, 0xA0);
    ck_assert_uint_eq(rd(GICD_IPRIORITYR + SPI(8)), 0x0000A000u);
    ck_assert_uint_eq(dread(GICD_IPRIORITYR + SPI(9), 1), 0xA0);
}
END_TEST

START_TEST(test_gicd_ipriorityr_word_write_sets_four_bytes_little_endian)
{
    wr(GICD_IPRIORITYR + SPI(4), 0x10203040u);
    ck_assert_uint_eq(dread(GICD_IPRIORITYR + SPI(4), 1), 0x40);
    ck_assert_uint_eq(dread(GICD_IPRIORITYR + SPI(5), 1), 0x30);
    ck_assert_uint_eq(dread(GICD_IPRIORITYR + SPI(6), 1), 0x20);
    ck_assert_uint_eq(dread(GICD_IPRIORITYR + SPI(7), 1), 0x10);
}
END_TEST

START_TEST(test_ipriorityr_low_bits_raz_with_5_priority_bits)
{
    wr(GICD_IPRIORITYR + SPI(0), 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(GICD_IPRIORITYR + SPI(0)), 0xF8F8F8F8u);
    rwr(0, GICR_IPRIORITYR + 24, 0x07FF0F87u);
    ck_assert_uint_eq(rrd(0, GICR_IPRIORITYR + 24), 0x00F80880u);
}
END_TEST

START_TEST(test_ipriorityr_keeps_all_bits_with_8_priority_bits)
{
    struct gic_config cfg = config(NUM_SPIS, 8);
    struct gic *g8 = gic_new(&cfg);
    uint64_t v;

    ck_assert_ptr_nonnull(g8);
    ck_assert(gicd_write(g8, GICD_IPRIORITYR + SPI(0), 4, 0xFF7F0301u));
    ck_assert(gicd_read(g8, GICD_IPRIORITYR + SPI(0), 4, &v));
    ck_assert_uint_eq(v, 0xFF7F0301u);
    gic_free(g8);
}
END_TEST

START_TEST(test_ipriorityr_halfword_access_raz_wi)
{
    wr(GICD_IPRIORITYR + SPI(0), 0x80808080u);
    dwrite(GICD_IPRIORITYR + SPI(0), 2, 0x1010);
    ck_assert_uint_eq(rd(GICD_IPRIORITYR + SPI(0)), 0x80808080u);
    ck_assert_uint_eq(dread(GICD_IPRIORITYR + SPI(0), 2), 0);
}
END_TEST

START_TEST(test_gicr_ipriorityr_byte_and_word_access)
{
    rwrite(1 * GICR_FRAME_PAIR + GICR_IPRIORITYR + 27, 1, 0x60);
    ck_assert_uint_eq(rrd(1, GICR_IPRIORITYR + 24), 0x60000000u);
    ck_assert_uint_eq(g->cpu[1].local[27].priority, 0x60);
    ck_assert_uint_eq(g->cpu[0].local[27].priority, 0);
}
END_TEST

/* ---- ICFGR ----------------------------------------------------------------------------- */

START_TEST(test_gicd_icfgr_edge_bits_writable_odd_only)
{
    wr(GICD_ICFGR + 8, 0xFFFFFFFFu); /* INTIDs 32-47; Int_config[0] RES0 */
    ck_assert_uint_eq(rd(GICD_ICFGR + 8), 0xAAAAAAAAu);
    ck_assert(g->spi[0].edge);
    ck_assert(g->spi[15].edge);
    ck_assert(!g->spi[16].edge);
}
END_TEST

/* ---- IROUTER and routing ------------------------------------------------------------------ */

START_TEST(test_irouter_res0_bits_read_as_zero)
{
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, ~0ull);
    ck_assert_uint_eq(dread(GICD_IROUTER + 8 * SPI(0), 8), 0x000000FF80FFFFFFull);
}
END_TEST

START_TEST(test_irouter_word_halves_access_the_64_bit_register)
{
    dwrite(GICD_IROUTER + 8 * SPI(3), 4, 0x00010203u);
    dwrite(GICD_IROUTER + 8 * SPI(3) + 4, 4, 0x01u);
    ck_assert_uint_eq(dread(GICD_IROUTER + 8 * SPI(3), 8), 0x0000000100010203ull);
    ck_assert_uint_eq(dread(GICD_IROUTER + 8 * SPI(3) + 4, 4), 0x01u);
    ck_assert_uint_eq(dread(GICD_IROUTER + 8 * SPI(3), 4), 0x00010203u);
}
END_TEST

START_TEST(test_irouter_for_sgi_ppi_intids_raz_wi)
{
    for (unsigned n = 0; n < 32; n++) {
        dwrite(GICD_IROUTER + 8 * n, 8, 1);
        ck_assert_uint_eq(dread(GICD_IROUTER + 8 * n, 8), 0);
    }
}
END_TEST

START_TEST(test_irouter_affinity_selects_matching_pe)
{
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, 0x100);
    ck_assert_int_eq(gic_spi_target(g, SPI(0)), 2);
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, 0x0000000100010203ull);
    ck_assert_int_eq(gic_spi_target(g, SPI(0)), 3);
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, 0x1);
    ck_assert_int_eq(gic_spi_target(g, SPI(0)), 1);
}
END_TEST

START_TEST(test_irouter_reset_routes_to_affinity_0_0_0_0)
{
    /* PE 0's MPIDR has bit 31 (RES1) set: not part of the affinity. */
    ck_assert_int_eq(gic_spi_target(g, SPI(7)), 0);
}
END_TEST

START_TEST(test_irouter_unmatched_affinity_is_not_delivered)
{
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, 0x5);
    ck_assert_int_eq(gic_spi_target(g, SPI(0)), -1);
}
END_TEST

START_TEST(test_irouter_irm_picks_lowest_awake_pe_with_group_enabled)
{
    wr(GICD_IGROUPR + 4, 1); /* SPI 0: Group 1 */
    wake_with_groups(3);
    wake_with_groups(1);
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, IROUTER_IRM | 0x100); /* affinity ignored */
    ck_assert_int_eq(gic_spi_target(g, SPI(0)), 1);
}
END_TEST

START_TEST(test_irouter_irm_skips_sleeping_pe)
{
    wake_with_groups(1);
    wake_with_groups(2);
    rwr(1, GICR_WAKER, WAKER_PS);
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, IROUTER_IRM);
    ck_assert_int_eq(gic_spi_target(g, SPI(0)), 2);
}
END_TEST

START_TEST(test_irouter_irm_uses_the_interrupt_group_enable)
{
    wake_with_groups(0);
    wake_with_groups(2);
    g->cpu[0].igrpen1 = false; /* PE 0: Group 0 only */
    g->cpu[2].igrpen0 = false; /* PE 2: Group 1 only */
    gic_hppi_rebuild(g);
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, IROUTER_IRM);
    ck_assert_int_eq(gic_spi_target(g, SPI(0)), 0); /* Group 0 */
    wr(GICD_IGROUPR + 4, 1);
    ck_assert_int_eq(gic_spi_target(g, SPI(0)), 2); /* Group 1 */
}
END_TEST

START_TEST(test_irouter_irm_without_candidate_is_not_delivered)
{
    g->cpu[1].igrpen0 = true; /* enabled but asleep */
    gic_hppi_rebuild(g);
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, IROUTER_IRM);
    ck_assert_int_eq(gic_spi_target(g, SPI(0)), -1);
}
END_TEST

START_TEST(test_spi_target_of_non_spi_is_none)
{
    ck_assert_int_eq(gic_spi_target(g, 27), -1);
    ck_assert_int_eq(gic_spi_target(g, 32 + NUM_SPIS), -1);
}
END_TEST

/* ---- Which PEs a change recomputes --------------------------------------------------------- */

START_TEST(test_spi_enable_updates_only_its_target_pe)
{
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, 0x100);
    clear_counts();
    wr(reg_of(GICD_ISENABLER, SPI(0)), bit_of(SPI(0)));
    ck_assert_uint_eq(updates[2], 1);
    ck_assert_uint_eq(updates[0] + updates[1] + updates[3], 0);
}
END_TEST

START_TEST(test_irouter_change_updates_old_and_new_target)
{
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, 0x1);
    clear_counts();
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, 0x100);
    ck_assert_uint_eq(updates[1], 1);
    ck_assert_uint_eq(updates[2], 1);
    ck_assert_uint_eq(updates[0] + updates[3], 0);
}
END_TEST

START_TEST(test_unchanged_state_does_not_update)
{
    wr(reg_of(GICD_ISENABLER, SPI(0)), bit_of(SPI(0)));
    clear_counts();
    wr(reg_of(GICD_ISENABLER, SPI(0)), bit_of(SPI(0)));
    wr(reg_of(GICD_ICENABLER, SPI(1)), bit_of(SPI(1)));
    gic_set_spi(g, SPI(2), false);
    for (unsigned pe = 0; pe < GIC_MAX_PES; pe++)
        ck_assert_uint_eq(updates[pe], 0);
    ck_assert_uint_eq(update_alls, 0);
}
END_TEST

START_TEST(test_spi_input_updates_its_target_pe)
{
    dwrite(GICD_IROUTER + 8 * SPI(1), 8, 0x0000000100010203ull);
    clear_counts();
    gic_set_spi(g, SPI(1), true);
    ck_assert_uint_eq(updates[3], 1);
    ck_assert_uint_eq(updates[0] + updates[1] + updates[2], 0);
}
END_TEST

START_TEST(test_gicd_ctlr_enable_change_updates_all_pes)
{
    wr(GICD_CTLR, CTLR_ENABLE_GRP1);
    ck_assert_uint_eq(update_alls, 1);
}
END_TEST

START_TEST(test_ppi_input_updates_its_pe_only)
{
    gic_set_ppi(g, 2, 30, true);
    ck_assert_uint_eq(updates[2], 1);
    ck_assert_uint_eq(updates[0] + updates[1] + updates[3], 0);
}
END_TEST

START_TEST(test_gicr_write_updates_its_pe_only)
{
    rwr(3, GICR_ISPENDR0, bit_of(2));
    ck_assert_uint_eq(updates[3], 1);
    ck_assert_uint_eq(updates[0] + updates[1] + updates[2], 0);
}
END_TEST

START_TEST(test_waker_change_updates_all_pes)
{
    rwr(2, GICR_WAKER, 0);
    ck_assert_uint_eq(update_alls, 1);
}
END_TEST

/* ---- Access sizes and reserved offsets ---------------------------------------------------- */

START_TEST(test_gicd_ctlr_byte_and_halfword_access_raz_wi)
{
    dwrite(GICD_CTLR, 1, CTLR_ENABLE_GRP1);
    dwrite(GICD_CTLR, 2, CTLR_ENABLE_GRP1);
    ck_assert_uint_eq(rd(GICD_CTLR), CTLR_ARE | CTLR_DS);
    ck_assert_uint_eq(dread(GICD_CTLR, 1), 0);
    ck_assert_uint_eq(dread(GICD_CTLR, 2), 0);
}
END_TEST

START_TEST(test_gicd_doubleword_access_to_word_register_raz_wi)
{
    dwrite(GICD_ISENABLER + 4, 8, ~0ull);
    ck_assert_uint_eq(rd(GICD_ISENABLER + 4), 0);
    ck_assert_uint_eq(dread(GICD_CTLR, 8), 0);
}
END_TEST

START_TEST(test_gicd_reserved_offsets_raz_wi)
{
    static const uint64_t reserved[] = {0x0014, 0x0020, 0x0050, 0x0058,  0x0F80,       0x1000,
                                        0x5FFC, 0x8000, 0xFFCC, 0x10000, 0xFFFFFFFFull};

    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        wr(reserved[i], 0xFFFFFFFFu);
        ck_assert_uint_eq(rd(reserved[i]), 0);
    }
    ck_assert_uint_eq(update_alls, 0);
}
END_TEST

START_TEST(test_gicd_misaligned_access_raz_wi)
{
    wr(GICD_ISENABLER + 6, 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(GICD_ISENABLER + 4), 0);
    wr(GICD_ISENABLER + 4, 0xFFFFFFFFu);
    ck_assert_uint_eq(rd(GICD_ISENABLER + 6), 0);
    ck_assert_uint_eq(dread(GICD_IROUTER + 8 * SPI(0) + 4, 8), 0);
}
END_TEST

START_TEST(test_unsupported_access_sizes_raz_wi)
{
    uint64_t v = 1;

    ck_assert(gicd_write(g, GICD_CTLR, 3, CTLR_ENABLE_GRP0));
    ck_assert(gicd_write(g, GICD_CTLR, 0, CTLR_ENABLE_GRP0));
    ck_assert(gicd_read(g, GICD_CTLR, 16, &v));
    ck_assert_uint_eq(v, 0);
    ck_assert_uint_eq(rd(GICD_CTLR), CTLR_ARE | CTLR_DS);
}
END_TEST

START_TEST(test_gicr_beyond_last_frame_raz_wi)
{
    rwr(NUM_PES, GICR_WAKER, 0);
    ck_assert_uint_eq(rrd(NUM_PES, GICR_WAKER), 0);
    ck_assert_uint_eq(rrd(NUM_PES, GICR_TYPER), 0);
    ck_assert_uint_eq(update_alls, 0);
}
END_TEST

START_TEST(test_gicr_lpi_registers_reserved_raz_wi)
{
    rwrite(GICR_PROPBASER, 8, ~0ull);
    ck_assert_uint_eq(rread(GICR_PROPBASER, 8), 0);
}
END_TEST

START_TEST(test_gicr_wrong_size_access_raz_wi)
{
    rwrite(GICR_WAKER, 1, 0);
    rwrite(GICR_WAKER, 2, 0);
    ck_assert_uint_eq(rrd(0, GICR_WAKER), WAKER_PS | WAKER_CA);
    ck_assert_uint_eq(rread(GICR_TYPER, 2), 0);
    ck_assert_uint_eq(rread(SGI_BASE + 0x0100, 8), 0); /* ISENABLER0 is 32-bit */
}
END_TEST

/* xorshift64: deterministic, no host state. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Writes a random value to every offset below END with every size (the
 * valid ones and some that are not), reading back after each write; returns
 * how many reads came back wider than their access size or failed. Check's
 * assertions are kept out of the loop: each one costs a pipe write. */
static unsigned sweep(bool (*rd_fn)(struct gic *, uint64_t, unsigned, uint64_t *),
                      bool (*wr_fn)(struct gic *, uint64_t, unsigned, uint64_t), uint64_t end,
                      uint64_t *seed)
{
    static const unsigned sizes[] = {1, 2, 4, 8, 0, 3, 16};
    unsigned bad = 0;

    for (uint64_t off = 0; off < end; off++) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            unsigned size = sizes[i];
            uint64_t v = 0;
            bool ok = wr_fn(g, off, size, next_random(seed)) && rd_fn(g, off, size, &v);
            if (!ok || (size >= 1 && size < 8 && v >> (8 * size) != 0) ||
                (size != 1 && size != 2 && size != 4 && size != 8 && v != 0))
                bad++;
        }
    }
    return bad;
}

START_TEST(test_random_sweep_of_every_offset_and_size_never_crashes)
{
    uint64_t seed = 0x9E3779B97F4A7C15ull;

    ck_assert_uint_eq(sweep(gicd_read, gicd_write, 0x10000 + 0x100, &seed), 0);
    ck_assert_uint_eq(
        sweep(gicr_read, gicr_write, (uint64_t)(NUM_PES + 1) * GICR_FRAME_PAIR, &seed), 0);
    /* The read-only identity survived, ARE and DS still read as one. */
    ck_assert_uint_eq(rd(GICD_TYPER), (1u << 24) | (15u << 19) | (1u << 16) | 8u);
    ck_assert_uint_eq(rd(GICD_IIDR), 0x43B);
    ck_assert_uint_eq(rd(GICD_PIDR2), 0x3B);
    ck_assert_uint_eq(rd(GICD_CTLR) & (CTLR_ARE | CTLR_DS), CTLR_ARE | CTLR_DS);
    ck_assert_uint_eq(rrd(NUM_PES - 1, GICR_TYPER + 4), 0x01010203u);
    ck_assert_uint_eq(rrd(0, GICR_ICFGR0), 0xAAAAAAAAu);
    for (unsigned i = 0; i < NUM_SPIS; i++)
        ck_assert_uint_eq(g->spi[i].priority & 0x7, 0);
}
END_TEST

/* ---- Life cycle ------------------------------------------------------------------------------ */

START_TEST(test_gic_new_rejects_invalid_configurations)
{
    static const struct {
        unsigned pes, spis, pri;
    } bad[] = {{0, 256, 5}, {9, 256, 5}, {4, 0, 5},  {4, 33, 5},
               {4, 992, 5}, {4, 256, 3}, {4, 256, 9}};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct gic_config cfg = config(bad[i].spis, bad[i].pri);
        cfg.num_pes = bad[i].pes;
        ck_assert_ptr_null(gic_new(&cfg));
    }
    ck_assert_ptr_null(gic_new(NULL));
}
END_TEST

START_TEST(test_gic_reset_restores_reset_values)
{
    wr(GICD_CTLR, CTLR_ENABLE_GRP0 | CTLR_ENABLE_GRP1);
    wr(GICD_ISENABLER + 4, 0xFFFFFFFFu);
    wr(GICD_IPRIORITYR + SPI(0), 0x80808080u);
    dwrite(GICD_IROUTER + 8 * SPI(0), 8, IROUTER_IRM);
    rwr(1, GICR_WAKER, 0);
    rwr(1, GICR_ISACTIVER0, 0xFFFFFFFFu);
    rwr(1, GICR_ICFGR1, 0xAAAAAAAAu);
    clear_counts();
    gic_reset(g);
    ck_assert_uint_eq(rd(GICD_CTLR), CTLR_ARE | CTLR_DS);
    ck_assert_uint_eq(rd(GICD_ISENABLER + 4), 0);
    ck_assert_uint_eq(rd(GICD_IPRIORITYR + SPI(0)), 0);
    ck_assert_uint_eq(dread(GICD_IROUTER + 8 * SPI(0), 8), 0);
    ck_assert_uint_eq(rrd(1, GICR_WAKER), WAKER_PS | WAKER_CA);
    ck_assert_uint_eq(rrd(1, GICR_ISACTIVER0), 0);
    ck_assert_uint_eq(rrd(1, GICR_ICFGR1), 0);
    ck_assert_uint_eq(rrd(1, GICR_ICFGR0), 0xAAAAAAAAu);
    ck_assert_uint_eq(update_alls, 1); /* outputs recomputed (lowered) */
}
END_TEST

START_TEST(test_gic_reset_keeps_an_asserted_input_asserted)
{
    gic_set_spi(g, SPI(1), true);
    gic_set_ppi(g, 0, 27, true);
    gic_reset(g);
    ck_assert(spi_pending(SPI(1)));
    ck_assert_uint_eq(rrd(0, GICR_ISPENDR0), bit_of(27));
    gic_set_spi(g, SPI(1), false);
    ck_assert(!spi_pending(SPI(1)));
}
END_TEST

START_TEST(test_gic_irq_lookup_banks_sgis_ppis_per_pe)
{
    ck_assert_ptr_eq(gic_irq(g, 1, 27), &g->cpu[1].local[27]);
    ck_assert_ptr_ne(gic_irq(g, 0, 5), gic_irq(g, 1, 5));
    ck_assert_ptr_eq(gic_irq(g, 0, SPI(3)), gic_irq(g, 3, SPI(3)));
    ck_assert_ptr_null(gic_irq(g, NUM_PES, 5));
    ck_assert_ptr_null(gic_irq(g, 0, 32 + NUM_SPIS));
    ck_assert_ptr_null(gic_irq(g, 0, GIC_SPURIOUS));
}
END_TEST

/* ---- Suite -------------------------------------------------------------------------------------
 */

static Suite *gic_dist_suite(void)
{
    Suite *s = suite_create("gic_dist");
    TCase *reset = tcase_create("reset");
    TCase *bits = tcase_create("set_clear");
    TCase *input = tcase_create("inputs");
    TCase *msg = tcase_create("setspi");
    TCase *prio = tcase_create("priority_config");
    TCase *route = tcase_create("routing");
    TCase *upd = tcase_create("updates");
    TCase *acc = tcase_create("access");
    TCase *life = tcase_create("lifecycle");
    TCase *all[] = {reset, bits, input, msg, prio, route, upd, acc, life};

    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        tcase_add_checked_fixture(all[i], setup, teardown);
        tcase_set_timeout(all[i], 60);
        suite_add_tcase(s, all[i]);
    }

    tcase_add_test(reset, test_gicd_ctlr_resets_to_are_and_ds);
    tcase_add_test(reset, test_gicd_ctlr_only_group_enables_are_writable);
    tcase_add_test(reset, test_gicd_typer_reports_spis_idbits_mbis_a3v);
    tcase_add_test(reset, test_gicd_typer_itlines_for_960_spis);
    tcase_add_test(reset, test_gicd_typer_and_iidr_are_read_only);
    tcase_add_test(reset, test_gicd_iidr_is_arm_r0p0);
    tcase_add_test(reset, test_gicd_statusr_raz_wi);
    tcase_add_test(reset, test_gicd_pidr2_archrev_is_3);
    tcase_add_test(reset, test_gicd_id_registers_read_gic500_identity);
    tcase_add_test(reset, test_gicd_spi_state_resets_to_zero);
    tcase_add_test(reset, test_gicd_sgi_ppi_fields_raz_wi_with_are);
    tcase_add_test(reset, test_gicd_igrpmodr_raz_wi_with_ds);
    tcase_add_test(reset, test_gicd_nsacr_raz_wi_with_ds);
    tcase_add_test(reset, test_gicd_bits_of_unimplemented_spis_raz_wi);
    tcase_add_test(reset, test_gicr_ctlr_reads_zero_and_ignores_writes);
    tcase_add_test(reset, test_gicr_iidr_is_arm_r0p0);
    tcase_add_test(reset, test_gicr_typer_affinity_and_processor_number);
    tcase_add_test(reset, test_gicr_typer_last_only_on_last_pe);
    tcase_add_test(reset, test_gicr_typer_reports_no_lpis_and_no_dpg);
    tcase_add_test(reset, test_gicr_typer_word_halves_match_doubleword);
    tcase_add_test(reset, test_gicr_statusr_raz_wi);
    tcase_add_test(reset, test_gicr_waker_resets_asleep);
    tcase_add_test(reset, test_gicr_waker_wake_clears_children_asleep);
    tcase_add_test(reset, test_gicr_waker_sleep_sets_children_asleep);
    tcase_add_test(reset, test_gicr_waker_children_asleep_is_read_only);
    tcase_add_test(reset, test_gicr_id_registers_pidr2_archrev_3_pidr0_redist);
    tcase_add_test(reset, test_gicr_sgi_frame_resets);
    tcase_add_test(reset, test_gicr_icfgr0_sgis_read_only_edge);
    tcase_add_test(reset, test_gicr_icfgr1_ppi_edge_bits_writable);
    tcase_add_test(reset, test_gicr_igrpmodr0_and_nsacr_raz_wi_with_ds);
    tcase_add_test(reset, test_gicr_frames_are_per_pe);

    tcase_add_test(bits, test_gicd_isenabler_sets_icenabler_clears);
    tcase_add_test(bits, test_gicd_ispendr_sets_icpendr_clears);
    tcase_add_test(bits, test_gicd_isactiver_sets_icactiver_clears);
    tcase_add_test(bits, test_gicd_igroupr_bits_read_back);
    tcase_add_test(bits, test_zero_bits_of_set_and_clear_registers_have_no_effect);
    tcase_add_test(bits, test_gicr_isenabler0_sets_icenabler0_clears);
    tcase_add_test(bits, test_gicr_ispendr0_sets_icpendr0_clears);
    tcase_add_test(bits, test_gicr_isactiver0_sets_icactiver0_clears);
    tcase_add_test(bits, test_gicr_igroupr0_bits_read_back);

    tcase_add_test(input, test_level_spi_pending_follows_input);
    tcase_add_test(input, test_icpendr_keeps_asserted_level_spi_pending);
    tcase_add_test(input, test_ispendr_latch_holds_level_spi_after_input_drops);
    tcase_add_test(input, test_edge_spi_latches_on_rising_edge);
    tcase_add_test(input, test_edge_spi_held_high_does_not_relatch_after_clear);
    tcase_add_test(input, test_level_ppi_pending_follows_input);
    tcase_add_test(input, test_edge_ppi_latches_on_rising_edge);
    tcase_add_test(input, test_set_ppi_ignores_non_ppi_intids_and_pes);
    tcase_add_test(input, test_set_spi_ignores_unimplemented_intids);

    tcase_add_test(msg, test_setspi_pends_edge_spi);
    tcase_add_test(msg, test_clrspi_removes_edge_spi_pending);
    tcase_add_test(msg, test_setspi_level_spi_stays_pending_until_clrspi);
    tcase_add_test(msg, test_clrspi_keeps_level_spi_with_wire_asserted_pending);
    tcase_add_test(msg, test_setspi_accepts_halfword_write);
    tcase_add_test(msg, test_setspi_ignores_res0_bits_above_intid);
    tcase_add_test(msg, test_setspi_for_invalid_intid_has_no_effect);
    tcase_add_test(msg, test_setspi_clrspi_are_write_only_read_zero);

    tcase_add_test(prio, test_gicd_ipriorityr_byte_write_reads_back_in_word);
    tcase_add_test(prio, test_gicd_ipriorityr_word_write_sets_four_bytes_little_endian);
    tcase_add_test(prio, test_ipriorityr_low_bits_raz_with_5_priority_bits);
    tcase_add_test(prio, test_ipriorityr_keeps_all_bits_with_8_priority_bits);
    tcase_add_test(prio, test_ipriorityr_halfword_access_raz_wi);
    tcase_add_test(prio, test_gicr_ipriorityr_byte_and_word_access);
    tcase_add_test(prio, test_gicd_icfgr_edge_bits_writable_odd_only);

    tcase_add_test(route, test_irouter_res0_bits_read_as_zero);
    tcase_add_test(route, test_irouter_word_halves_access_the_64_bit_register);
    tcase_add_test(route, test_irouter_for_sgi_ppi_intids_raz_wi);
    tcase_add_test(route, test_irouter_affinity_selects_matching_pe);
    tcase_add_test(route, test_irouter_reset_routes_to_affinity_0_0_0_0);
    tcase_add_test(route, test_irouter_unmatched_affinity_is_not_delivered);
    tcase_add_test(route, test_irouter_irm_picks_lowest_awake_pe_with_group_enabled);
    tcase_add_test(route, test_irouter_irm_skips_sleeping_pe);
    tcase_add_test(route, test_irouter_irm_uses_the_interrupt_group_enable);
    tcase_add_test(route, test_irouter_irm_without_candidate_is_not_delivered);
    tcase_add_test(route, test_spi_target_of_non_spi_is_none);

    tcase_add_test(upd, test_spi_enable_updates_only_its_target_pe);
    tcase_add_test(upd, test_irouter_change_updates_old_and_new_target);
    tcase_add_test(upd, test_unchanged_state_does_not_update);
    tcase_add_test(upd, test_spi_input_updates_its_target_pe);
    tcase_add_test(upd, test_gicd_ctlr_enable_change_updates_all_pes);
    tcase_add_test(upd, test_ppi_input_updates_its_pe_only);
    tcase_add_test(upd, test_gicr_write_updates_its_pe_only);
    tcase_add_test(upd, test_waker_change_updates_all_pes);

    tcase_add_test(acc, test_gicd_ctlr_byte_and_halfword_access_raz_wi);
    tcase_add_test(acc, test_gicd_doubleword_access_to_word_register_raz_wi);
    tcase_add_test(acc, test_gicd_reserved_offsets_raz_wi);
    tcase_add_test(acc, test_gicd_misaligned_access_raz_wi);
    tcase_add_test(acc, test_unsupported_access_sizes_raz_wi);
    tcase_add_test(acc, test_gicr_beyond_last_frame_raz_wi);
    tcase_add_test(acc, test_gicr_lpi_registers_reserved_raz_wi);
    tcase_add_test(acc, test_gicr_wrong_size_access_raz_wi);
    tcase_add_test(acc, test_random_sweep_of_every_offset_and_size_never_crashes);

    tcase_add_test(life, test_gic_new_rejects_invalid_configurations);
    tcase_add_test(life, test_gic_reset_restores_reset_values);
    tcase_add_test(life, test_gic_reset_keeps_an_asserted_input_asserted);
    tcase_add_test(life, test_gic_irq_lookup_banks_sgis_ppis_per_pe);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(gic_dist_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
