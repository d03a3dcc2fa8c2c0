/* Unit tests for LPIs (gic/lpi.c, the LPI registers of gic/redist.c) and
 * the ITS (gic/its.c), through gic/gic.h, with gic/gic_internal.h for
 * gic_hppi_check() and gic_lpi_pending().
 *
 * The GIC's memory is a 16 MiB buffer at PA 0x4000_0000 that the tests own:
 * they write the property table, the ITS command queue and the level-1
 * tables into it, and read the pending table and the ITS's tables back.
 * Nothing else answers: an access outside the buffer fails (the GIC then
 * reads zeros and drops writes).
 *
 * Expected values come from IHI 0069:
 * - register offsets: GICR_SETLPIR 0x40, CLRLPIR 0x48, PROPBASER 0x70,
 *   PENDBASER 0x78, INVLPIR 0xA0, INVALLR 0xB0; GITS_CTLR 0x0, TYPER 0x8,
 *   CBASER 0x80, CWRITER 0x88, CREADR 0x90, BASER<n> 0x100 + 8n,
 *   PIDR2 0xFFE8, TRANSLATER at 0x40 in the translation frame (0x10040);
 * - fields: GICD_TYPER.LPIS [17], IDbits [23:19]; GICR_TYPER.PLPIS [0],
 *   VLPIS [1], DirectLPI [3]; GICR_PROPBASER OuterCache [58:56], PA [51:12],
 *   Shareability [11:10], InnerCache [9:7], IDbits [4:0]; GICR_PENDBASER
 *   PTZ [62] (reads 0), PA [51:16]; GITS_TYPER Physical [0], Virtual [1],
 *   ITT_entry_size [7:4], IDbits [12:8], Devbits [17:13], PTA [19],
 *   HCC [31:24], CIL [36]; GITS_BASER Valid [63], Indirect [62], Type
 *   [58:56] (1 devices, 2 vPEs, 4 collections), Entry_Size [52:48],
 *   Page_Size [9:8], Size [7:0]; GITS_CBASER Valid [63], InnerCache
 *   [61:59], OuterCache [55:53], PA [51:12], Shareability [11:10], Size
 *   [7:0], every other bit RES0; GITS_CWRITER Offset [19:5], Retry [0];
 *   GITS_CREADR Offset [19:5], Stalled [0]; GITS_CTLR Enabled [0],
 *   Quiescent [31]; GITS_PIDR2.ArchRev [7:4] (3 GICv3, 4 GICv4);
 *   ICC_CTLR_EL1.IDbits [13:11] (0 16 bits, 1 24 bits);
 * - the LPI property byte: priority [7:2], enable [0]; the pending table's
 *   bit n for INTID n;
 * - the 32-byte ITS commands of IHI 0069 6.3 (command number DW0 [7:0],
 *   DeviceID DW0 [63:32], EventID DW1 [31:0], pINTID DW1 [63:32], Size DW1
 *   [4:0], ICID DW2 [15:0], RDbase DW2/DW3 [50:16], ITT_addr DW2 [51:8],
 *   V DW2 [63]) and the command error encodings (0x01, the command number,
 *   the reason).
 * And from the choices the head comments of gic/lpi.c and gic/its.c state:
 * the layout of the device, collection and ITT entries, no caching in the
 * ITS, the property-byte cache of the redistributor, the pending table
 * written through, errors reported through gic_config.notice with the
 * queue moving on, a CWRITER beyond the queue stalling it. */
#include "gic/gic.h"
#include "gic/gic_internal.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Register map ------------------------------------------------------- */

#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ISPENDR    0x0200
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER    0x6000

#define GICR_CTLR      0x0000
#define GICR_TYPER     0x0008
#define GICR_SETLPIR   0x0040
#define GICR_CLRLPIR   0x0048
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_INVLPIR   0x00A0
#define GICR_INVALLR   0x00B0

#define GITS_CTLR       0x0000
#define GITS_TYPER      0x0008
#define GITS_CBASER     0x0080
#define GITS_CWRITER    0x0088
#define GITS_CREADR     0x0090
#define GITS_BASER(n)   (0x0100 + 8 * (n))
#define GITS_PIDR2      0xFFE8
#define GITS_TRANSLATER 0x10040

#define GICD_CTLR_ENABLE_GRP0  (1u << 0)
#define GICD_CTLR_ENABLE_GRP1  (1u << 1)
#define GICD_TYPER_LPIS        (1u << 17)
#define GICR_CTLR_ENABLE_LPIS  (1u << 0)
#define GICR_TYPER_PLPIS       (1u << 0)
#define GICR_TYPER_VLPIS       (1u << 1)
#define GICR_TYPER_DIRECT_LPI  (1u << 3)
#define PENDBASER_PTZ          (1ull << 62)
#define GITS_CTLR_ENABLED      (1u << 0)
#define GITS_CTLR_QUIESCENT    (1u << 31)
#define GITS_TYPER_PHYSICAL    (1ull << 0)
#define GITS_TYPER_VIRTUAL     (1ull << 1)
#define GITS_TYPER_PTA         (1ull << 19)
#define GITS_TYPER_CIL         (1ull << 36)
#define BASER_VALID            (1ull << 63)
#define BASER_INDIRECT         (1ull << 62)
#define BASER_PAGE_4K          (0ull << 8)
#define BASER_PAGE_16K         (1ull << 8)
#define BASER_PAGE_64K         (2ull << 8)
#define BASER_TYPE_DEVICES     1u
#define BASER_TYPE_VPES        2u
#define BASER_TYPE_COLLECTIONS 4u
#define CBASER_VALID           (1ull << 63)
#define CREADR_STALLED         (1ull << 0)
#define CWRITER_RETRY          (1ull << 0)
#define L1_VALID               (1ull << 63)
#define ICC_CTLR_IDBITS(v)     (((v) >> 11) & 7)

/* Bits HI..LO of V. */
#define FIELD(v, hi, lo) (((uint64_t)(v) >> (lo)) & ((2ull << ((hi) - (lo))) - 1))

/* ITS command numbers (IHI 0069 6.3). */
enum {
    CMD_MOVI = 0x01,
    CMD_INT = 0x03,
    CMD_CLEAR = 0x04,
    CMD_SYNC = 0x05,
    CMD_MAPD = 0x08,
    CMD_MAPC = 0x09,
    CMD_MAPTI = 0x0A,
    CMD_MAPI = 0x0B,
    CMD_INV = 0x0C,
    CMD_INVALL = 0x0D,
    CMD_MOVALL = 0x0E,
    CMD_DISCARD = 0x0F,
};

/* ---- Guest memory and the layout of the tables in it -------------------- */

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (16ull << 20)

#define PROP_PA     (RAM_BASE + 0x000000)                   /* up to 1 MiB (20 bits) */
#define PEND_PA(pe) (RAM_BASE + 0x200000 + (pe)*0x40000ull) /* 64 KiB aligned, 8 PEs */
#define CMDQ_PA     (RAM_BASE + 0x400000)                   /* up to 64 KiB */
#define DT_PA       (RAM_BASE + 0x500000)                   /* device table or its level 1 */
#define CT_PA       (RAM_BASE + 0x600000)                   /* collection table */
#define L2_PA       (RAM_BASE + 0x700000)                   /* level-2 pages, 64 KiB apart */
#define ITT_PA(dev) (RAM_BASE + 0x800000 + ((dev) % 64) * 0x10000ull)
#define CMDQ_SIZE   0x1000u /* GITS_CBASER.Size 0: one 4 KiB page, 128 commands */
#define ITT_BITS    8       /* EventID bits of the devices the tests map */
#define NO_DOORBELL 1023u

#define NUM_PES  4
#define NUM_SPIS 64
#define LPI(n)   (GIC_LPI_BASE + (n))
#define ICID(pe) (0x20u + (pe)) /* the collection the tests map to PE */

#define MAX_NOTICES 64

static struct {
    uint8_t *ram;
    bool irq[GIC_MAX_PES];
    unsigned notices;
    char notice[MAX_NOTICES][200];
    unsigned outside;              /* GIC accesses that found no memory */
    bool residency;                /* make_gic installs on_residency */
    unsigned changes[GIC_MAX_PES]; /* residency changes started per PE */
} rig;

static struct gic *g;
static enum gic_version version;
static unsigned lpi_bits;
static uint64_t cq_write; /* where the next command goes in the queue */

static bool in_ram(uint64_t pa, size_t len)
{
    return pa >= RAM_BASE && len <= RAM_SIZE && pa - RAM_BASE <= RAM_SIZE - len;
}

static bool mem_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
    (void)opaque;
    if (!in_ram(pa, len)) {
        rig.outside++;
        return false;
    }
    memcpy(buf, rig.ram + (pa - RAM_BASE), len);
    return true;
}

static bool mem_write(void *opaque, uint64_t pa, const void *buf, size_t len)
{
    (void)opaque;
    if (!in_ram(pa, len)) {
        rig.outside++;
        return false;
    }
    memcpy(rig.ram + (pa - RAM_BASE), buf, len);
    return true;
}

static void on_notice(void *opaque, const char *msg)
{
    (void)opaque;
    if (rig.notices < MAX_NOTICES)
        snprintf(rig.notice[rig.notices], sizeof rig.notice[0], "%s", msg);
    rig.notices++;
}

static void on_residency(void *opaque, unsigned pe)
{
    (void)opaque;
    ck_assert_uint_lt(pe, GIC_MAX_PES);
    rig.changes[pe]++;
}

static void on_output(void *opaque, unsigned pe, bool irq, bool fiq, bool own)
{
    (void)opaque, (void)fiq, (void)own;
    ck_assert_uint_lt(pe, GIC_MAX_PES);
    rig.irq[pe] = irq;
}

/* Whether a notice named command error CODE (IHI 0069 encoding). */
static bool noticed(uint32_t code)
{
    char want[32];

    snprintf(want, sizeof want, "error 0x%06x", code);
    for (unsigned i = 0; i < rig.notices && i < MAX_NOTICES; i++)
        if (strstr(rig.notice[i], want))
            return true;
    return false;
}

static uint64_t ram_load64(uint64_t pa)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | rig.ram[pa - RAM_BASE + (unsigned)i];
    return v;
}

static void ram_store64(uint64_t pa, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++)
        rig.ram[pa - RAM_BASE + i] = (uint8_t)(v >> (8 * i));
}

/* ---- The GIC ------------------------------------------------------------- */

static struct gic *make_gic(unsigned num_pes, unsigned bits, bool its, enum gic_version v,
                            unsigned pri_bits)
{
    struct gic_config cfg = {
        .num_pes = num_pes,
        .num_spis = NUM_SPIS,
        .pri_bits = pri_bits,
        .version = v,
        .lpi_bits = bits,
        .its = its,
        .mem_read = mem_read,
        .mem_write = mem_write,
        .notice = on_notice,
        .output = on_output,
        .residency = rig.residency ? on_residency : NULL,
    };
    for (unsigned pe = 0; pe < num_pes; pe++)
        cfg.mpidr[pe] = 0x80000000ull | pe;
    if (g)
        gic_free(g);
    version = v;
    lpi_bits = bits;
    cq_write = 0;
    g = gic_new(&cfg);
    ck_assert_ptr_nonnull(g);
    return g;
}

static void setup(void)
{
    memset(&rig, 0, sizeof rig);
    rig.ram = calloc(1, RAM_SIZE);
    ck_assert_ptr_nonnull(rig.ram);
    g = NULL;
    make_gic(NUM_PES, 16, true, GIC_V3, 5);
}

static void teardown(void)
{
    gic_free(g);
    g = NULL;
    free(rig.ram);
}

/* The incremental HPPI state agrees with a full rescan. */
static void check_hppi(void)
{
    char why[160];
    ck_assert_msg(gic_hppi_check(g, why, sizeof why), "%s", why);
}

/* ---- Registers ----------------------------------------------------------- */

static uint64_t rd_base(unsigned pe)
{
    return pe * gic_redist_stride(version);
}

static uint64_t gicr_rd64(unsigned pe, uint64_t off)
{
    uint64_t v = 0;
    ck_assert(gicr_read(g, rd_base(pe) + off, 8, &v));
    return v;
}

static uint64_t gicr_rd32(unsigned pe, uint64_t off)
{
    uint64_t v = 0;
    ck_assert(gicr_read(g, rd_base(pe) + off, 4, &v));
    return v;
}

static void gicr_wr64(unsigned pe, uint64_t off, uint64_t v)
{
    ck_assert(gicr_write(g, rd_base(pe) + off, 8, v));
}

static void gicr_wr32(unsigned pe, uint64_t off, uint64_t v)
{
    ck_assert(gicr_write(g, rd_base(pe) + off, 4, v));
}

static uint64_t gits_rd64(uint64_t off)
{
    uint64_t v = 0;
    ck_assert(gits_read(g, off, 8, &v));
    return v;
}

static uint64_t gits_rd32(uint64_t off)
{
    uint64_t v = 0;
    ck_assert(gits_read(g, off, 4, &v));
    return v;
}

static void gits_wr64(uint64_t off, uint64_t v)
{
    ck_assert(gits_write(g, off, 8, v));
}

static void gits_wr32(uint64_t off, uint64_t v)
{
    ck_assert(gits_write(g, off, 4, v));
}

static uint64_t gicd_rd32(uint64_t off)
{
    uint64_t v = 0;
    ck_assert(gicd_read(g, off, 4, &v));
    return v;
}

/* Group 1 enabled at the distributor and every CPU interface, PMR open. */
static void open_cpus(void)
{
    ck_assert(gicd_write(g, GICD_CTLR, 4, GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1));
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++) {
        gic_icc_write(g, pe, ICC_IGRPEN0_EL1, 1);
        gic_icc_write(g, pe, ICC_IGRPEN1_EL1, 1);
        gic_icc_write(g, pe, ICC_PMR_EL1, 0xff);
    }
}

static uint64_t hppir1(unsigned pe)
{
    return gic_icc_read(g, pe, ICC_HPPIR1_EL1);
}

static uint64_t iar1(unsigned pe)
{
    return gic_icc_read(g, pe, ICC_IAR1_EL1);
}

static void eoir1(unsigned pe, unsigned intid)
{
    gic_icc_write(g, pe, ICC_EOIR1_EL1, intid);
}

/* ---- LPI tables ------------------------------------------------------------ */

/* LPI INTID's property byte in RAM: priority [7:2], enable [0]. */
static void prop_set(unsigned intid, uint8_t priority, bool enable)
{
    rig.ram[PROP_PA - RAM_BASE + (intid - GIC_LPI_BASE)] =
        (uint8_t)((priority & 0xFC) | (enable ? 1 : 0));
}

static bool pend_bit(unsigned pe, unsigned intid)
{
    return (rig.ram[PEND_PA(pe) - RAM_BASE + intid / 8] >> (intid % 8)) & 1;
}

static void pend_bit_set(unsigned pe, unsigned intid)
{
    rig.ram[PEND_PA(pe) - RAM_BASE + intid / 8] |= (uint8_t)(1u << (intid % 8));
}

/* PE's redistributor: the property table with IDBITS bits of INTID, its
 * pending table, then EnableLPIs. */
static void lpi_enable_bits(unsigned pe, unsigned idbits)
{
    gicr_wr64(pe, GICR_PROPBASER, PROP_PA | (idbits - 1));
    gicr_wr64(pe, GICR_PENDBASER, PEND_PA(pe));
    gicr_wr32(pe, GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
}

static void lpi_enable(unsigned pe)
{
    lpi_enable_bits(pe, lpi_bits);
}

/* Every PE open and with LPIs enabled. */
static void lpis_ready(void)
{
    open_cpus();
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++)
        lpi_enable(pe);
}

/* ---- The ITS ---------------------------------------------------------------- */

/* Flat device and collection tables of one 4 KiB page (512 entries each),
 * a one-page command queue, the ITS enabled. */
static void its_setup(void)
{
    gits_wr64(GITS_BASER(0), BASER_VALID | DT_PA | BASER_PAGE_4K);
    gits_wr64(GITS_BASER(1), BASER_VALID | CT_PA | BASER_PAGE_4K);
    gits_wr64(GITS_CBASER, CBASER_VALID | CMDQ_PA);
    gits_wr64(GITS_CWRITER, 0);
    gits_wr32(GITS_CTLR, GITS_CTLR_ENABLED);
    cq_write = 0;
}

/* Put one command at the queue's write position (not yet made visible). */
static void its_queue(uint64_t dw0, uint64_t dw1, uint64_t dw2, uint64_t dw3)
{
    ram_store64(CMDQ_PA + cq_write, dw0);
    ram_store64(CMDQ_PA + cq_write + 8, dw1);
    ram_store64(CMDQ_PA + cq_write + 16, dw2);
    ram_store64(CMDQ_PA + cq_write + 24, dw3);
    cq_write = (cq_write + 32) % CMDQ_SIZE;
}

/* Run the ITS until it has nothing to do; the number of steps taken. */
static unsigned its_drain(void)
{
    unsigned steps = 0;
    while (gic_its_busy(g) && steps < 10000) {
        gic_its_step(g);
        steps++;
    }
    ck_assert(!gic_its_busy(g));
    return steps;
}

static void its_kick(void)
{
    gits_wr64(GITS_CWRITER, cq_write);
}

/* One command, processed to the end. */
static void its_cmd(uint64_t dw0, uint64_t dw1, uint64_t dw2, uint64_t dw3)
{
    its_queue(dw0, dw1, dw2, dw3);
    its_kick();
    its_drain();
}

static uint64_t dev_dw0(unsigned cmd, uint32_t devid)
{
    return cmd | (uint64_t)devid << 32;
}

static void cmd_mapd(uint32_t devid, unsigned event_bits, uint64_t itt, bool valid)
{
    its_cmd(dev_dw0(CMD_MAPD, devid), (event_bits - 1) & 0x1F,
            (valid ? 1ull << 63 : 0) | (itt & 0x000FFFFFFFFFFF00ull), 0);
}

static void cmd_mapc(uint32_t icid, uint64_t rdbase, bool valid)
{
    its_cmd(CMD_MAPC, 0, (valid ? 1ull << 63 : 0) | rdbase << 16 | (icid & 0xFFFF), 0);
}

static void cmd_mapti(uint32_t devid, uint32_t eventid, uint32_t intid, uint32_t icid)
{
    its_cmd(dev_dw0(CMD_MAPTI, devid), eventid | (uint64_t)intid << 32, icid & 0xFFFF, 0);
}

static void cmd_mapi(uint32_t devid, uint32_t eventid, uint32_t icid)
{
    its_cmd(dev_dw0(CMD_MAPI, devid), eventid, icid & 0xFFFF, 0);
}

/* INT, CLEAR, INV, DISCARD: DeviceID and EventID only. */
static void cmd_event(unsigned cmd, uint32_t devid, uint32_t eventid)
{
    its_cmd(dev_dw0(cmd, devid), eventid, 0, 0);
}

static void cmd_movi(uint32_t devid, uint32_t eventid, uint32_t icid)
{
    its_cmd(dev_dw0(CMD_MOVI, devid), eventid, icid & 0xFFFF, 0);
}

static void cmd_invall(uint32_t icid)
{
    its_cmd(CMD_INVALL, 0, icid & 0xFFFF, 0);
}

static void cmd_movall(uint64_t rd1, uint64_t rd2)
{
    its_cmd(CMD_MOVALL, 0, rd1 << 16, rd2 << 16);
}

static void cmd_sync(uint64_t rdbase)
{
    its_cmd(CMD_SYNC, 0, rdbase << 16, 0);
}

/* Collection ICID(pe) for every PE. */
static void map_collections(void)
{
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++)
        cmd_mapc(ICID(pe), pe, true);
}

/* DEVID's EVENTID to LPI INTID at PE (the device mapped with ITT_BITS). */
static void map_event(uint32_t devid, uint32_t eventid, uint32_t intid, unsigned pe)
{
    cmd_mapd(devid, ITT_BITS, ITT_PA(devid), true);
    cmd_mapc(ICID(pe), pe, true);
    cmd_mapti(devid, eventid, intid, ICID(pe));
}

/* LPIs ready everywhere, the ITS set up, collections mapped. */
static void its_ready(void)
{
    lpis_ready();
    its_setup();
    map_collections();
}

/* ===========================================================================
 * Identification registers
 * =========================================================================== */

START_TEST(test_gicd_typer_reports_lpis_and_idbits)
{
    static const unsigned bits[] = {14, 16, 20};

    for (unsigned i = 0; i < 3; i++) {
        make_gic(NUM_PES, bits[i], false, GIC_V3, 5);
        uint64_t typer = gicd_rd32(GICD_TYPER);
        ck_assert_msg(typer & GICD_TYPER_LPIS, "lpi_bits %u", bits[i]);
        ck_assert_uint_eq(FIELD(typer, 23, 19), bits[i] - 1);
    }
}
END_TEST

/* Without LPIs: LPIS 0, and IDbits 15 (16-bit INTIDs, dist.c's choice). */
START_TEST(test_gicd_typer_without_lpis)
{
    make_gic(NUM_PES, 0, false, GIC_V3, 5);
    uint64_t typer = gicd_rd32(GICD_TYPER);
    ck_assert_uint_eq(typer & GICD_TYPER_LPIS, 0);
    ck_assert_uint_eq(FIELD(typer, 23, 19), 15);
}
END_TEST

START_TEST(test_gicr_typer_reports_plpis_and_directlpi)
{
    for (unsigned pe = 0; pe < NUM_PES; pe++) {
        uint64_t typer = gicr_rd64(pe, GICR_TYPER);
        ck_assert(typer & GICR_TYPER_PLPIS);
        ck_assert(typer & GICR_TYPER_DIRECT_LPI);
        ck_assert_uint_eq(typer & GICR_TYPER_VLPIS, 0); /* GICv3: no virtual LPIs */
        ck_assert_uint_eq(FIELD(typer, 23, 8), pe);     /* Processor_Number */
    }
    make_gic(NUM_PES, 0, false, GIC_V3, 5);
    uint64_t typer = gicr_rd64(0, GICR_TYPER);
    ck_assert_uint_eq(typer & (GICR_TYPER_PLPIS | GICR_TYPER_DIRECT_LPI), 0);
}
END_TEST

/* Without LPIs the LPI registers of RD_base are RAZ/WI. */
START_TEST(test_gicr_lpi_registers_raz_wi_without_lpis)
{
    make_gic(NUM_PES, 0, false, GIC_V3, 5);
    gicr_wr64(0, GICR_PROPBASER, PROP_PA | 15);
    gicr_wr64(0, GICR_PENDBASER, PEND_PA(0));
    gicr_wr32(0, GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
    ck_assert_uint_eq(gicr_rd64(0, GICR_PROPBASER), 0);
    ck_assert_uint_eq(gicr_rd64(0, GICR_PENDBASER), 0);
    ck_assert_uint_eq(gicr_rd32(0, GICR_CTLR) & GICR_CTLR_ENABLE_LPIS, 0);
}
END_TEST

static void check_gits_typer(enum gic_version v, bool virt)
{
    make_gic(NUM_PES, 16, true, v, 5);
    uint64_t typer = gits_rd64(GITS_TYPER);

    ck_assert(typer & GITS_TYPER_PHYSICAL);
    ck_assert_uint_eq(!!(typer & GITS_TYPER_VIRTUAL), virt);
    ck_assert_uint_eq(FIELD(typer, 7, 4), 16 - 1);   /* ITT_entry_size: 16 bytes */
    ck_assert_uint_eq(FIELD(typer, 12, 8), 16 - 1);  /* IDbits: 16-bit EventIDs */
    ck_assert_uint_eq(FIELD(typer, 17, 13), 16 - 1); /* Devbits: 16-bit DeviceIDs */
    ck_assert_uint_eq(typer & GITS_TYPER_PTA, 0);    /* targets are processor numbers */
    ck_assert_uint_eq(FIELD(typer, 31, 24), 0);      /* HCC: no collections in the ITS */
    ck_assert_uint_eq(typer & GITS_TYPER_CIL, 0);    /* 16-bit collection IDs */
    /* The same through 32-bit halves. */
    ck_assert_uint_eq(gits_rd32(GITS_TYPER), typer & 0xFFFFFFFFu);
    ck_assert_uint_eq(gits_rd32(GITS_TYPER + 4), typer >> 32);
}

START_TEST(test_gits_typer_fields)
{
    check_gits_typer(GIC_V3, false);
    check_gits_typer(GIC_V4, true);
    check_gits_typer(GIC_V41, true);
}
END_TEST

static void check_baser_ro(unsigned n, unsigned type, unsigned entry_bytes)
{
    gits_wr64(GITS_BASER(n), ~0ull);
    uint64_t v = gits_rd64(GITS_BASER(n));
    ck_assert_uint_eq(FIELD(v, 58, 56), type);
    ck_assert_uint_eq(FIELD(v, 52, 48), entry_bytes - 1);
    ck_assert(v & BASER_VALID);
    ck_assert_uint_eq(FIELD(v, 47, 12), 0xFFFFFFFFFull); /* Physical_Address */
    ck_assert_uint_eq(FIELD(v, 7, 0), 0xFF);             /* Size */
    gits_wr64(GITS_BASER(n), 0);
    v = gits_rd64(GITS_BASER(n));
    ck_assert_uint_eq(FIELD(v, 58, 56), type);
    ck_assert_uint_eq(FIELD(v, 52, 48), entry_bytes - 1);
    ck_assert_uint_eq(v & ~(0x07ull << 56 | 0x1Full << 48), 0);
}

START_TEST(test_gits_baser_type_and_entry_size_read_only)
{
    check_baser_ro(0, BASER_TYPE_DEVICES, 8);
    check_baser_ro(1, BASER_TYPE_COLLECTIONS, 8);
    make_gic(NUM_PES, 16, true, GIC_V4, 5);
    check_baser_ro(0, BASER_TYPE_DEVICES, 8);
    check_baser_ro(1, BASER_TYPE_COLLECTIONS, 8);
    check_baser_ro(2, BASER_TYPE_VPES, 16);
}
END_TEST

START_TEST(test_gits_baser_unimplemented_raz_wi)
{
    for (unsigned n = 2; n < 8; n++) {
        gits_wr64(GITS_BASER(n), ~0ull);
        ck_assert_msg(gits_rd64(GITS_BASER(n)) == 0, "GITS_BASER%u", n);
    }
}
END_TEST

START_TEST(test_gits_pidr2_archrev)
{
    ck_assert_uint_eq(FIELD(gits_rd32(GITS_PIDR2), 7, 4), 3);
    make_gic(NUM_PES, 16, true, GIC_V4, 5);
    ck_assert_uint_eq(FIELD(gits_rd32(GITS_PIDR2), 7, 4), 4);
    make_gic(NUM_PES, 16, true, GIC_V41, 5);
    ck_assert_uint_eq(FIELD(gits_rd32(GITS_PIDR2), 7, 4), 4);
}
END_TEST

/* IDbits: 16-bit INTIDs up to 16 LPI bits, 24-bit ones above. */
START_TEST(test_icc_ctlr_idbits_follow_lpi_bits)
{
    ck_assert_uint_eq(ICC_CTLR_IDBITS(gic_icc_read(g, 0, ICC_CTLR_EL1)), 0);
    make_gic(NUM_PES, 20, true, GIC_V3, 5);
    ck_assert_uint_eq(ICC_CTLR_IDBITS(gic_icc_read(g, 0, ICC_CTLR_EL1)), 1);
}
END_TEST

/* At reset the ITS is disabled and quiescent, with an empty queue. */
START_TEST(test_gits_reset_values)
{
    ck_assert_uint_eq(gits_rd32(GITS_CTLR), GITS_CTLR_QUIESCENT);
    ck_assert_uint_eq(gits_rd64(GITS_CBASER), 0);
    ck_assert_uint_eq(gits_rd64(GITS_CWRITER), 0);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), 0);
    ck_assert(!gic_its_busy(g));
}
END_TEST

/* GITS_CBASER: Valid [63], InnerCache [61:59], OuterCache [55:53],
 * Physical_Address [51:12], Shareability [11:10], Size [7:0] read back;
 * bits 62, 58:56, 52 and 9:8 are RES0 (IHI 0069, GITS_CBASER). */
START_TEST(test_gits_cbaser_writable_fields)
{
    gits_wr64(GITS_CBASER, ~0ull);
    ck_assert_uint_eq(gits_rd64(GITS_CBASER), 0xB8EFFFFFFFFFFCFFull);
}
END_TEST

START_TEST(test_gits_creadr_is_read_only)
{
    gits_wr64(GITS_CREADR, 0x100);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), 0);
}
END_TEST

/* Without an ITS the frame is RAZ/WI and gic_its_* do nothing. */
START_TEST(test_no_its_frame_raz_wi)
{
    make_gic(NUM_PES, 16, false, GIC_V3, 5);
    gits_wr32(GITS_CTLR, GITS_CTLR_ENABLED);
    ck_assert_uint_eq(gits_rd32(GITS_CTLR), 0);
    ck_assert_uint_eq(gits_rd64(GITS_TYPER), 0);
    ck_assert(!gic_its_busy(g));
    gic_its_step(g);
    gic_its_msi(g, 0, 0);
}
END_TEST

/* ===========================================================================
 * Redistributor LPIs
 * =========================================================================== */

START_TEST(test_propbaser_pendbaser_read_back_writable_fields)
{
    gicr_wr64(1, GICR_PROPBASER, ~0ull);
    ck_assert_uint_eq(gicr_rd64(1, GICR_PROPBASER), 0x070FFFFFFFFFFF9Full);
    gicr_wr64(1, GICR_PENDBASER, ~0ull);
    ck_assert_uint_eq(gicr_rd64(1, GICR_PENDBASER), 0x070FFFFFFFFF0F80ull); /* PTZ reads 0 */
    /* Other PEs' registers are their own. */
    ck_assert_uint_eq(gicr_rd64(0, GICR_PROPBASER), 0);
    ck_assert_uint_eq(gicr_rd64(2, GICR_PENDBASER), 0);
}
END_TEST

START_TEST(test_propbaser_32bit_halves)
{
    gicr_wr32(0, GICR_PROPBASER, 0x12345F8Fu);
    gicr_wr32(0, GICR_PROPBASER + 4, 0x00000ABCu);
    ck_assert_uint_eq(gicr_rd64(0, GICR_PROPBASER), 0x00000ABC12345F8Full & 0x070FFFFFFFFFFF9Full);
    ck_assert_uint_eq(gicr_rd32(0, GICR_PROPBASER + 4), 0xABC);
}
END_TEST

START_TEST(test_lpi_base_registers_fixed_while_enabled)
{
    lpi_enable(0);
    ck_assert_uint_eq(gicr_rd32(0, GICR_CTLR) & GICR_CTLR_ENABLE_LPIS, GICR_CTLR_ENABLE_LPIS);
    gicr_wr64(0, GICR_PROPBASER, (RAM_BASE + 0x123000) | 13);
    gicr_wr64(0, GICR_PENDBASER, RAM_BASE + 0x330000);
    ck_assert_uint_eq(gicr_rd64(0, GICR_PROPBASER), PROP_PA | (16 - 1));
    ck_assert_uint_eq(gicr_rd64(0, GICR_PENDBASER), PEND_PA(0));
}
END_TEST

START_TEST(test_enable_loads_pending_table)
{
    open_cpus();
    prop_set(LPI(8), 0x40, true);
    pend_bit_set(1, LPI(8));
    lpi_enable(1);
    ck_assert_uint_eq(hppir1(1), LPI(8));
    ck_assert(rig.irq[1]);
    ck_assert(!rig.irq[0]);
    check_hppi();
}
END_TEST

START_TEST(test_enable_with_ptz_ignores_pending_table)
{
    open_cpus();
    prop_set(LPI(8), 0x40, true);
    pend_bit_set(1, LPI(8));
    gicr_wr64(1, GICR_PROPBASER, PROP_PA | 15);
    gicr_wr64(1, GICR_PENDBASER, PEND_PA(1) | PENDBASER_PTZ);
    ck_assert_uint_eq(gicr_rd64(1, GICR_PENDBASER), PEND_PA(1)); /* PTZ reads 0 */
    gicr_wr32(1, GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
    ck_assert(!rig.irq[1]);
    check_hppi();
}
END_TEST

START_TEST(test_setlpir_clrlpir_write_through)
{
    lpis_ready();
    prop_set(LPI(100), 0x40, true);
    gicr_wr64(2, GICR_SETLPIR, LPI(100));
    ck_assert(pend_bit(2, LPI(100)));
    ck_assert(!pend_bit(1, LPI(100)));
    ck_assert_uint_eq(hppir1(2), LPI(100));
    ck_assert(rig.irq[2]);
    check_hppi();
    gicr_wr64(2, GICR_CLRLPIR, LPI(100));
    ck_assert(!pend_bit(2, LPI(100)));
    ck_assert_uint_eq(hppir1(2), GIC_SPURIOUS);
    ck_assert(!rig.irq[2]);
    check_hppi();
}
END_TEST

/* SETLPIR and CLRLPIR take 32-bit writes too (pINTID in [31:0]). */
START_TEST(test_setlpir_32bit_write)
{
    lpis_ready();
    prop_set(LPI(3), 0x40, true);
    gicr_wr32(0, GICR_SETLPIR, LPI(3));
    ck_assert_uint_eq(hppir1(0), LPI(3));
    gicr_wr32(0, GICR_CLRLPIR, LPI(3));
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
}
END_TEST

START_TEST(test_disabled_lpi_is_pending_but_never_hppi)
{
    lpis_ready();
    prop_set(LPI(5), 0x40, false);
    gicr_wr64(0, GICR_SETLPIR, LPI(5));
    ck_assert(pend_bit(0, LPI(5)));
    ck_assert(gic_lpi_pending(g, 0, LPI(5)));
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
    ck_assert(!rig.irq[0]);
    ck_assert_uint_eq(iar1(0), GIC_SPURIOUS);
    ck_assert(pend_bit(0, LPI(5))); /* the failed acknowledge took nothing */
    check_hppi();
}
END_TEST

/* The property byte is cached: enabling it in RAM changes nothing until
 * GICR_INVLPIR. */
START_TEST(test_invlpir_rereads_the_property_byte)
{
    lpis_ready();
    prop_set(LPI(5), 0x40, false);
    gicr_wr64(0, GICR_SETLPIR, LPI(5));
    prop_set(LPI(5), 0x40, true);
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
    gicr_wr64(0, GICR_INVLPIR, LPI(5));
    ck_assert_uint_eq(hppir1(0), LPI(5));
    ck_assert(rig.irq[0]);
    check_hppi();
    /* And disabling it again takes it away. */
    prop_set(LPI(5), 0x40, false);
    gicr_wr64(0, GICR_INVLPIR, LPI(5));
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
    ck_assert(!rig.irq[0]);
    check_hppi();
}
END_TEST

/* A new priority of a pending LPI takes effect at the INV. */
START_TEST(test_invlpir_reorders_by_new_priority)
{
    lpis_ready();
    prop_set(LPI(1), 0x40, true);
    prop_set(LPI(2), 0x60, true);
    gicr_wr64(0, GICR_SETLPIR, LPI(1));
    gicr_wr64(0, GICR_SETLPIR, LPI(2));
    ck_assert_uint_eq(hppir1(0), LPI(1));
    prop_set(LPI(2), 0x20, true);
    ck_assert_uint_eq(hppir1(0), LPI(1));
    gicr_wr64(0, GICR_INVLPIR, LPI(2));
    ck_assert_uint_eq(hppir1(0), LPI(2));
    check_hppi();
}
END_TEST

START_TEST(test_invallr_rereads_every_property_byte)
{
    lpis_ready();
    prop_set(LPI(10), 0x60, false);
    prop_set(LPI(20), 0x50, false);
    gicr_wr64(3, GICR_SETLPIR, LPI(10));
    gicr_wr64(3, GICR_SETLPIR, LPI(20));
    prop_set(LPI(10), 0x60, true);
    prop_set(LPI(20), 0x50, true);
    ck_assert_uint_eq(hppir1(3), GIC_SPURIOUS);
    gicr_wr64(3, GICR_INVALLR, 0);
    ck_assert_uint_eq(hppir1(3), LPI(20));
    ck_assert(rig.irq[3]);
    check_hppi();
}
END_TEST

/* Lowest priority value first; equal priorities to the lower INTID; each
 * one waits for the EOI of the one before (same or higher priority cannot
 * preempt). */
START_TEST(test_lpi_priority_order_and_ties)
{
    static const unsigned order[] = {LPI(300), LPI(500), LPI(400), LPI(200)};

    lpis_ready();
    prop_set(LPI(400), 0x60, true);
    prop_set(LPI(500), 0x40, true);
    prop_set(LPI(300), 0x40, true);
    prop_set(LPI(200), 0x80, true);
    gicr_wr64(0, GICR_SETLPIR, LPI(400));
    gicr_wr64(0, GICR_SETLPIR, LPI(500));
    gicr_wr64(0, GICR_SETLPIR, LPI(300));
    gicr_wr64(0, GICR_SETLPIR, LPI(200));
    for (unsigned i = 0; i < 4; i++) {
        check_hppi();
        ck_assert_uint_eq(iar1(0), order[i]);
        ck_assert_uint_eq(iar1(0), GIC_SPURIOUS); /* nothing preempts it */
        eoir1(0, order[i]);
    }
    ck_assert_uint_eq(iar1(0), GIC_SPURIOUS);
    ck_assert(!rig.irq[0]);
}
END_TEST

/* With 5 priority bits the property byte's bits [2:0] are not implemented:
 * 0x44 is priority 0x40, which ties with 0x40 and goes to the lower INTID. */
START_TEST(test_lpi_priority_keeps_implemented_bits)
{
    lpis_ready();
    prop_set(LPI(1), 0x44, true);
    prop_set(LPI(2), 0x40, true);
    gicr_wr64(0, GICR_SETLPIR, LPI(2));
    gicr_wr64(0, GICR_SETLPIR, LPI(1));
    ck_assert_uint_eq(hppir1(0), LPI(1));
}
END_TEST

/* An SPI wins a tie with an LPI (lower INTID); a lower priority value wins
 * whatever its INTID. */
START_TEST(test_spi_beats_lpi_of_equal_priority)
{
    const unsigned spi = 40;

    lpis_ready();
    ck_assert(gicd_write(g, GICD_IGROUPR + 4, 4, 1u << (spi % 32)));
    ck_assert(gicd_write(g, GICD_IPRIORITYR + spi, 1, 0x40));
    ck_assert(gicd_write(g, GICD_IROUTER + 8 * spi, 8, 0));
    ck_assert(gicd_write(g, GICD_ISENABLER + 4, 4, 1u << (spi % 32)));
    ck_assert(gicd_write(g, GICD_ISPENDR + 4, 4, 1u << (spi % 32)));
    prop_set(LPI(0), 0x40, true);
    gicr_wr64(0, GICR_SETLPIR, LPI(0));
    ck_assert_uint_eq(hppir1(0), spi);
    check_hppi();
    prop_set(LPI(0), 0x38, true);
    gicr_wr64(0, GICR_INVLPIR, LPI(0));
    ck_assert_uint_eq(hppir1(0), LPI(0));
    check_hppi();
}
END_TEST

START_TEST(test_iar1_acknowledges_lpi_and_clears_pending_bit)
{
    lpis_ready();
    prop_set(LPI(7), 0x50, true);
    gicr_wr64(1, GICR_SETLPIR, LPI(7));
    ck_assert_uint_eq(gic_icc_read(g, 1, ICC_RPR_EL1), 0xff);
    ck_assert_uint_eq(iar1(1), LPI(7));
    ck_assert(!pend_bit(1, LPI(7)));
    ck_assert(!gic_lpi_pending(g, 1, LPI(7)));
    ck_assert_uint_eq(gic_icc_read(g, 1, ICC_RPR_EL1), 0x50);
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
    ck_assert(!rig.irq[1]);
    check_hppi();
    /* No active state: it can be pending again at once, but waits for the
     * priority drop. */
    gicr_wr64(1, GICR_SETLPIR, LPI(7));
    ck_assert_uint_eq(hppir1(1), LPI(7));
    ck_assert(!rig.irq[1]);
    eoir1(1, LPI(7));
    ck_assert_uint_eq(gic_icc_read(g, 1, ICC_RPR_EL1), 0xff);
    ck_assert(rig.irq[1]);
    check_hppi();
}
END_TEST

/* LPIs are Group 1: ICC_IAR0_EL1 never takes one. */
START_TEST(test_iar0_never_returns_lpi)
{
    lpis_ready();
    prop_set(LPI(7), 0x50, true);
    gicr_wr64(0, GICR_SETLPIR, LPI(7));
    ck_assert_uint_eq(gic_icc_read(g, 0, ICC_IAR0_EL1), GIC_SPURIOUS);
    ck_assert_uint_eq(gic_icc_read(g, 0, ICC_HPPIR0_EL1), GIC_SPURIOUS);
    ck_assert(pend_bit(0, LPI(7)));
    ck_assert_uint_eq(iar1(0), LPI(7));
}
END_TEST

/* PMR masks an LPI like any interrupt. */
START_TEST(test_pmr_masks_lpi)
{
    lpis_ready();
    prop_set(LPI(7), 0x50, true);
    gic_icc_write(g, 0, ICC_PMR_EL1, 0x50);
    gicr_wr64(0, GICR_SETLPIR, LPI(7));
    ck_assert(!rig.irq[0]);
    ck_assert_uint_eq(iar1(0), GIC_SPURIOUS);
    gic_icc_write(g, 0, ICC_PMR_EL1, 0x58);
    ck_assert(rig.irq[0]);
    ck_assert_uint_eq(iar1(0), LPI(7));
}
END_TEST

/* LPIs are signalled only with Group 1 enabled (GICD_CTLR and IGRPEN1). */
START_TEST(test_group1_disable_hides_lpi)
{
    lpis_ready();
    prop_set(LPI(7), 0x50, true);
    gicr_wr64(0, GICR_SETLPIR, LPI(7));
    ck_assert(rig.irq[0]);
    gic_icc_write(g, 0, ICC_IGRPEN1_EL1, 0);
    ck_assert(!rig.irq[0]);
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
    ck_assert_uint_eq(iar1(0), GIC_SPURIOUS);
    check_hppi();
    gic_icc_write(g, 0, ICC_IGRPEN1_EL1, 1);
    ck_assert(gicd_write(g, GICD_CTLR, 4, GICD_CTLR_ENABLE_GRP0));
    ck_assert(!rig.irq[0]);
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
    check_hppi();
    ck_assert(gicd_write(g, GICD_CTLR, 4, GICD_CTLR_ENABLE_GRP1));
    ck_assert(rig.irq[0]);
    ck_assert_uint_eq(iar1(0), LPI(7));
}
END_TEST

/* PROPBASER.IDbits 13 (14 bits) below the 16 implemented: INTIDs from
 * 2^14 are out of range and SETLPIR on them does nothing. */
START_TEST(test_propbaser_idbits_bounds_the_lpis)
{
    open_cpus();
    lpi_enable_bits(0, 14);
    prop_set(16383, 0x40, true);
    prop_set(16384, 0x30, true);
    gicr_wr64(0, GICR_SETLPIR, 16384);
    ck_assert(!pend_bit(0, 16384));
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
    gicr_wr64(0, GICR_SETLPIR, 16383);
    ck_assert(pend_bit(0, 16383));
    ck_assert_uint_eq(hppir1(0), 16383);
    check_hppi();
}
END_TEST

/* Fewer than 14 bits of INTID: no LPI at all. */
START_TEST(test_propbaser_idbits_below_14_gives_no_lpis)
{
    open_cpus();
    lpi_enable_bits(0, 13);
    prop_set(LPI(0), 0x40, true);
    gicr_wr64(0, GICR_SETLPIR, LPI(0));
    ck_assert(!pend_bit(0, LPI(0)));
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
}
END_TEST

START_TEST(test_setlpir_ignored_while_lpis_disabled)
{
    open_cpus();
    gicr_wr64(0, GICR_PROPBASER, PROP_PA | 15);
    gicr_wr64(0, GICR_PENDBASER, PEND_PA(0));
    prop_set(LPI(0), 0x40, true);
    gicr_wr64(0, GICR_SETLPIR, LPI(0));
    ck_assert(!pend_bit(0, LPI(0)));
    ck_assert(!gic_lpi_pending(g, 0, LPI(0)));
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
}
END_TEST

/* Non-LPI INTIDs written to SETLPIR do nothing. */
START_TEST(test_setlpir_of_non_lpi_ignored)
{
    lpis_ready();
    gicr_wr64(0, GICR_SETLPIR, 40);
    gicr_wr64(0, GICR_SETLPIR, 8191);
    gicr_wr64(0, GICR_SETLPIR, 1u << 16);
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
    check_hppi();
}
END_TEST

/* 20 bits: the highest INTID, 2^20 - 1, is an LPI. */
START_TEST(test_lpi_bits_20_reach_the_top_intid)
{
    const unsigned top = (1u << 20) - 1;

    make_gic(2, 20, false, GIC_V3, 5);
    lpis_ready();
    prop_set(top, 0x40, true);
    gicr_wr64(1, GICR_SETLPIR, top);
    ck_assert(pend_bit(1, top));
    ck_assert_uint_eq(hppir1(1), top);
    ck_assert_uint_eq(iar1(1), top);
    check_hppi();
}
END_TEST

/* The pending table's first 1 KiB (INTIDs below 8192) is never written. */
START_TEST(test_pending_table_first_kib_untouched)
{
    memset(rig.ram + (PEND_PA(0) - RAM_BASE), 0xA5, 1024);
    lpis_ready();
    prop_set(LPI(0), 0x40, true);
    gicr_wr64(0, GICR_SETLPIR, LPI(0));
    gicr_wr64(0, GICR_CLRLPIR, LPI(0));
    gicr_wr32(0, GICR_CTLR, 0);
    for (unsigned i = 0; i < 1024; i++)
        ck_assert_uint_eq(rig.ram[PEND_PA(0) - RAM_BASE + i], 0xA5);
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
}
END_TEST

/* Clearing EnableLPIs forgets the pending state (the table keeps it): the
 * LPI is no longer the HPPI and the IRQ line falls; enabling again
 * reloads it. */
START_TEST(test_disable_then_enable_reloads_pending)
{
    lpis_ready();
    prop_set(LPI(9), 0x40, true);
    gicr_wr64(0, GICR_SETLPIR, LPI(9));
    gicr_wr32(0, GICR_CTLR, 0);
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
    ck_assert(!rig.irq[0]);
    ck_assert(pend_bit(0, LPI(9)));
    check_hppi();
    gicr_wr32(0, GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
    ck_assert_uint_eq(hppir1(0), LPI(9));
    check_hppi();
}
END_TEST

/* ===========================================================================
 * ITS commands and translation
 * =========================================================================== */

START_TEST(test_msi_delivers_lpi_to_collection_pe)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    map_event(5, 3, LPI(8), 2);
    ck_assert_uint_eq(rig.notices, 0);
    gic_its_msi(g, 5, 3);
    ck_assert(rig.irq[2]);
    ck_assert(!rig.irq[0] && !rig.irq[1] && !rig.irq[3]);
    ck_assert(pend_bit(2, LPI(8)));
    ck_assert_uint_eq(iar1(2), LPI(8));
    ck_assert(!pend_bit(2, LPI(8)));
    check_hppi();
}
END_TEST

/* The entries written are the layouts gic/its.c documents. */
START_TEST(test_mapping_commands_write_documented_entries)
{
    its_ready();
    map_event(5, 3, LPI(8), 2);
    ck_assert_uint_eq(ram_load64(DT_PA + 5 * 8), 1ull << 63 | ITT_PA(5) | (ITT_BITS - 1));
    ck_assert_uint_eq(ram_load64(CT_PA + ICID(2) * 8), 1ull << 63 | 2);
    ck_assert_uint_eq(ram_load64(ITT_PA(5) + 3 * 16), 1u | (uint64_t)LPI(8) << 32);
    ck_assert_uint_eq(ram_load64(ITT_PA(5) + 3 * 16 + 8), ICID(2) | (uint64_t)NO_DOORBELL << 32);
}
END_TEST

/* MAPI: the LPI is the EventID. */
START_TEST(test_mapi_maps_eventid_as_lpi)
{
    its_ready();
    prop_set(LPI(33), 0x40, true);
    cmd_mapd(7, 14, ITT_PA(7), true);
    cmd_mapi(7, LPI(33), ICID(1));
    ck_assert_uint_eq(rig.notices, 0);
    gic_its_msi(g, 7, LPI(33));
    ck_assert_uint_eq(hppir1(1), LPI(33));
}
END_TEST

/* A CPU's write to GITS_TRANSLATER carries DeviceID 0. */
START_TEST(test_translater_write_is_device_0)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    map_event(0, 6, LPI(8), 3);
    gits_wr32(GITS_TRANSLATER, 6);
    ck_assert_uint_eq(hppir1(3), LPI(8));
}
END_TEST

START_TEST(test_int_and_clear)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    map_event(5, 3, LPI(8), 1);
    cmd_event(CMD_INT, 5, 3);
    ck_assert(pend_bit(1, LPI(8)));
    ck_assert_uint_eq(hppir1(1), LPI(8));
    ck_assert(rig.irq[1]);
    cmd_event(CMD_CLEAR, 5, 3);
    ck_assert(!pend_bit(1, LPI(8)));
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
    ck_assert(!rig.irq[1]);
    ck_assert_uint_eq(rig.notices, 0);
    check_hppi();
}
END_TEST

START_TEST(test_inv_after_property_change)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    map_event(5, 3, LPI(8), 1);
    gic_its_msi(g, 5, 3);
    ck_assert_uint_eq(hppir1(1), LPI(8));
    prop_set(LPI(8), 0x40, false);
    ck_assert_uint_eq(hppir1(1), LPI(8)); /* cached */
    cmd_event(CMD_INV, 5, 3);
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
    ck_assert(!rig.irq[1]);
    check_hppi();
    prop_set(LPI(8), 0x40, true);
    cmd_event(CMD_INV, 5, 3);
    ck_assert_uint_eq(hppir1(1), LPI(8));
    ck_assert(rig.irq[1]);
    ck_assert_uint_eq(rig.notices, 0);
    check_hppi();
}
END_TEST

START_TEST(test_invall_rereads_the_collection_pe)
{
    its_ready();
    prop_set(LPI(8), 0x40, false);
    prop_set(LPI(9), 0x30, false);
    map_event(5, 3, LPI(8), 2);
    cmd_mapti(5, 4, LPI(9), ICID(2));
    gic_its_msi(g, 5, 3);
    gic_its_msi(g, 5, 4);
    ck_assert_uint_eq(hppir1(2), GIC_SPURIOUS);
    prop_set(LPI(8), 0x40, true);
    prop_set(LPI(9), 0x30, true);
    cmd_invall(ICID(1)); /* another PE's collection: nothing here */
    ck_assert_uint_eq(hppir1(2), GIC_SPURIOUS);
    cmd_invall(ICID(2));
    ck_assert_uint_eq(hppir1(2), LPI(9));
    ck_assert_uint_eq(rig.notices, 0);
    check_hppi();
}
END_TEST

START_TEST(test_movi_moves_pending_lpi)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    map_event(5, 3, LPI(8), 1);
    gic_its_msi(g, 5, 3);
    ck_assert(rig.irq[1]);
    cmd_movi(5, 3, ICID(3));
    ck_assert_uint_eq(rig.notices, 0);
    ck_assert(!rig.irq[1]);
    ck_assert(!pend_bit(1, LPI(8)));
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
    ck_assert(rig.irq[3]);
    ck_assert(pend_bit(3, LPI(8)));
    ck_assert_uint_eq(hppir1(3), LPI(8));
    ck_assert_uint_eq(FIELD(ram_load64(ITT_PA(5) + 3 * 16 + 8), 15, 0), ICID(3));
    check_hppi();
    /* Later events go to the new collection. */
    ck_assert_uint_eq(iar1(3), LPI(8));
    eoir1(3, LPI(8));
    gic_its_msi(g, 5, 3);
    ck_assert_uint_eq(hppir1(3), LPI(8));
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
}
END_TEST

START_TEST(test_movall_moves_every_pending_lpi)
{
    its_ready();
    prop_set(LPI(1), 0x40, true);
    prop_set(LPI(2), 0x30, true);
    prop_set(LPI(3), 0x20, true);
    gicr_wr64(1, GICR_SETLPIR, LPI(1));
    gicr_wr64(1, GICR_SETLPIR, LPI(2));
    gicr_wr64(2, GICR_SETLPIR, LPI(3));
    cmd_movall(1, 0);
    ck_assert_uint_eq(rig.notices, 0);
    ck_assert(!pend_bit(1, LPI(1)) && !pend_bit(1, LPI(2)));
    ck_assert(pend_bit(0, LPI(1)) && pend_bit(0, LPI(2)));
    ck_assert(pend_bit(2, LPI(3))); /* another PE's stays */
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
    ck_assert_uint_eq(hppir1(0), LPI(2));
    ck_assert(!rig.irq[1] && rig.irq[0] && rig.irq[2]);
    check_hppi();
}
END_TEST

START_TEST(test_discard_removes_mapping_and_pending_state)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    map_event(5, 3, LPI(8), 1);
    gic_its_msi(g, 5, 3);
    cmd_event(CMD_DISCARD, 5, 3);
    ck_assert_uint_eq(rig.notices, 0);
    ck_assert(!pend_bit(1, LPI(8)));
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
    ck_assert_uint_eq(ram_load64(ITT_PA(5) + 3 * 16) & 1, 0);
    gic_its_msi(g, 5, 3);
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
    check_hppi();
}
END_TEST

START_TEST(test_sync_completes_without_error)
{
    its_ready();
    uint64_t before = gits_rd64(GITS_CREADR);
    cmd_sync(2);
    ck_assert_uint_eq(rig.notices, 0);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), before + 32);
}
END_TEST

/* MAPD with V = 0 unmaps the device: its events are dropped. */
START_TEST(test_mapd_invalid_unmaps_device)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    map_event(5, 3, LPI(8), 1);
    cmd_mapd(5, ITT_BITS, ITT_PA(5), false);
    ck_assert_uint_eq(ram_load64(DT_PA + 5 * 8) >> 63, 0);
    gic_its_msi(g, 5, 3);
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
}
END_TEST

/* MAPC with V = 0 unmaps the collection: its events are dropped. */
START_TEST(test_mapc_invalid_unmaps_collection)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    map_event(5, 3, LPI(8), 1);
    cmd_mapc(ICID(1), 0, false);
    gic_its_msi(g, 5, 3);
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
    ck_assert_uint_eq(rig.notices, 0);
}
END_TEST

/* An MSI nothing maps is dropped: unknown device, event beyond the ITT,
 * DeviceID beyond Devbits. */
START_TEST(test_unmapped_msi_dropped)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    map_event(5, 3, LPI(8), 1);
    gic_its_msi(g, 6, 3);
    gic_its_msi(g, 5, 4);
    gic_its_msi(g, 5, 1u << ITT_BITS);
    gic_its_msi(g, 0x10005, 3);
    for (unsigned pe = 0; pe < NUM_PES; pe++)
        ck_assert_uint_eq(hppir1(pe), GIC_SPURIOUS);
    check_hppi();
}
END_TEST

/* The ITS caches nothing: a translation reads the ITT entry afresh. */
START_TEST(test_its_reads_tables_afresh)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    prop_set(LPI(9), 0x40, true);
    map_event(5, 3, LPI(8), 1);
    ram_store64(ITT_PA(5) + 3 * 16, 1u | (uint64_t)LPI(9) << 32);
    gic_its_msi(g, 5, 3);
    ck_assert_uint_eq(hppir1(1), LPI(9));
}
END_TEST

/* MSIs to a redistributor with EnableLPIs = 0 are out of range: dropped. */
START_TEST(test_msi_to_pe_without_lpis_dropped)
{
    open_cpus();
    lpi_enable(0);
    its_setup();
    prop_set(LPI(8), 0x40, true);
    map_event(5, 3, LPI(8), 1);
    gic_its_msi(g, 5, 3);
    ck_assert(!pend_bit(1, LPI(8)));
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
    check_hppi();
}
END_TEST

/* ---- Table formats ---- */

/* Flat tables: Size + 1 pages of 8-byte entries. */
static void check_flat_device_table(uint64_t page_bits, uint64_t page)
{
    uint32_t last = (uint32_t)(page / 8 - 1);

    its_ready();
    prop_set(LPI(8), 0x40, true);
    gits_wr64(GITS_BASER(0), BASER_VALID | DT_PA | page_bits);
    map_event(last, 3, LPI(8), 2);
    ck_assert_uint_eq(rig.notices, 0);
    ck_assert_uint_eq(ram_load64(DT_PA + last * 8ull) >> 63, 1);
    gic_its_msi(g, last, 3);
    ck_assert_uint_eq(hppir1(2), LPI(8));
    cmd_mapd(last + 1, ITT_BITS, ITT_PA(0), true);
    ck_assert(noticed(0x010801));
}

START_TEST(test_flat_device_table_4k)
{
    check_flat_device_table(BASER_PAGE_4K, 0x1000);
}
END_TEST

START_TEST(test_flat_device_table_16k)
{
    check_flat_device_table(BASER_PAGE_16K, 0x4000);
}
END_TEST

START_TEST(test_flat_device_table_64k)
{
    check_flat_device_table(BASER_PAGE_64K, 0x10000);
}
END_TEST

/* BASER.Size counts pages: Size 1 doubles the flat table. */
START_TEST(test_flat_device_table_size_counts_pages)
{
    its_ready();
    gits_wr64(GITS_BASER(0), BASER_VALID | DT_PA | BASER_PAGE_4K | 1);
    cmd_mapd(1023, ITT_BITS, ITT_PA(0), true);
    ck_assert_uint_eq(rig.notices, 0);
    ck_assert_uint_eq(ram_load64(DT_PA + 1023 * 8) >> 63, 1);
    cmd_mapd(1024, ITT_BITS, ITT_PA(0), true);
    ck_assert(noticed(0x010801));
}
END_TEST

/* Two levels: a level-1 table of 8-byte entries (Valid [63], the level-2
 * page's address) in front of pages of entries. */
static void check_indirect_device_table(uint64_t page_bits, uint64_t page)
{
    uint32_t per_page = (uint32_t)(page / 8);
    uint32_t devid = per_page + 17; /* in the second level-2 page */
    uint64_t l2 = L2_PA + 0x10000;  /* 64 KiB aligned: fits every page size */

    its_ready();
    prop_set(LPI(8), 0x40, true);
    gits_wr64(GITS_BASER(0), BASER_VALID | BASER_INDIRECT | DT_PA | page_bits);
    ram_store64(DT_PA + 8, L1_VALID | l2);
    map_event(devid, 3, LPI(8), 2);
    ck_assert_uint_eq(rig.notices, 0);
    ck_assert_uint_eq(ram_load64(l2 + 17 * 8), 1ull << 63 | ITT_PA(devid) | (ITT_BITS - 1));
    gic_its_msi(g, devid, 3);
    ck_assert_uint_eq(hppir1(2), LPI(8));
    /* The first level-1 entry is not valid: its devices cannot be mapped. */
    cmd_mapd(5, ITT_BITS, ITT_PA(5), true);
    ck_assert(noticed(0x010801));
    ck_assert_uint_eq(ram_load64(DT_PA), 0);
}

START_TEST(test_indirect_device_table_4k)
{
    check_indirect_device_table(BASER_PAGE_4K, 0x1000);
}
END_TEST

START_TEST(test_indirect_device_table_64k)
{
    check_indirect_device_table(BASER_PAGE_64K, 0x10000);
}
END_TEST

/* One 4 KiB page of level-1 entries covers 512 x 512 devices: every
 * DeviceID of GITS_TYPER.Devbits (16 bits), none beyond. */
START_TEST(test_indirect_device_table_reaches_devbits)
{
    its_ready();
    gits_wr64(GITS_BASER(0), BASER_VALID | BASER_INDIRECT | DT_PA | BASER_PAGE_4K);
    for (unsigned i = 0; i < 512; i++)
        ram_store64(DT_PA + 8 * i, L1_VALID | L2_PA);
    cmd_mapd(0xFFFF, ITT_BITS, ITT_PA(0), true);
    ck_assert_uint_eq(rig.notices, 0);
    ck_assert_uint_eq(ram_load64(L2_PA + (0xFFFF % 512) * 8) >> 63, 1);
    cmd_mapd(0x10000, ITT_BITS, ITT_PA(0), true);
    ck_assert(noticed(0x010801));
}
END_TEST

START_TEST(test_indirect_collection_table)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    gits_wr64(GITS_BASER(1), BASER_VALID | BASER_INDIRECT | CT_PA | BASER_PAGE_4K);
    ram_store64(CT_PA + 8, L1_VALID | L2_PA);
    cmd_mapc(512 + 9, 3, true);
    ck_assert_uint_eq(rig.notices, 0);
    ck_assert_uint_eq(ram_load64(L2_PA + 9 * 8), 1ull << 63 | 3);
    cmd_mapd(5, ITT_BITS, ITT_PA(5), true);
    cmd_mapti(5, 3, LPI(8), 512 + 9);
    gic_its_msi(g, 5, 3);
    ck_assert_uint_eq(hppir1(3), LPI(8));
    cmd_mapc(9, 3, true); /* level-1 entry 0 not valid */
    ck_assert(noticed(0x010903));
}
END_TEST

/* ---- The command queue ---- */

START_TEST(test_creadr_advances_32_per_command)
{
    its_ready();
    uint64_t start = gits_rd64(GITS_CREADR);
    its_queue(CMD_SYNC, 0, 0, 0);
    its_queue(CMD_SYNC, 0, 0, 0);
    its_queue(CMD_SYNC, 0, 0, 0);
    its_kick();
    for (unsigned i = 1; i <= 3; i++) {
        ck_assert(gic_its_busy(g));
        gic_its_step(g);
        ck_assert_uint_eq(gits_rd64(GITS_CREADR), start + 32 * i);
    }
    ck_assert(!gic_its_busy(g));
    gic_its_step(g); /* nothing to do: nothing changes */
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), start + 96);
}
END_TEST

START_TEST(test_creadr_wraps_at_queue_end)
{
    its_ready();
    for (unsigned i = 0; i < CMDQ_SIZE / 32; i++)
        ram_store64(CMDQ_PA + 32 * i, CMD_SYNC);
    gits_wr64(GITS_CBASER, CBASER_VALID | CMDQ_PA);
    gits_wr64(GITS_CWRITER, CMDQ_SIZE - 32);
    ck_assert_uint_eq(its_drain(), CMDQ_SIZE / 32 - 1);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), CMDQ_SIZE - 32);
    gits_wr64(GITS_CWRITER, 32);
    gic_its_step(g);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), 0);
    gic_its_step(g);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), 32);
    ck_assert(!gic_its_busy(g));
}
END_TEST

/* A queue of Size + 1 pages. */
START_TEST(test_queue_size_counts_pages)
{
    its_ready();
    for (unsigned i = 0; i < 2 * CMDQ_SIZE / 32; i++)
        ram_store64(CMDQ_PA + 32 * i, CMD_SYNC);
    gits_wr64(GITS_CBASER, CBASER_VALID | CMDQ_PA | 1);
    gits_wr64(GITS_CWRITER, 2 * CMDQ_SIZE - 32);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR) & CREADR_STALLED, 0);
    ck_assert_uint_eq(its_drain(), 2 * CMDQ_SIZE / 32 - 1);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), 2 * CMDQ_SIZE - 32);
}
END_TEST

START_TEST(test_cbaser_write_resets_creadr)
{
    its_ready();
    cmd_sync(0);
    cmd_sync(0);
    ck_assert_uint_ne(gits_rd64(GITS_CREADR), 0);
    gits_wr32(GITS_CTLR, 0);
    gits_wr64(GITS_CBASER, CBASER_VALID | CMDQ_PA);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), 0);
}
END_TEST

START_TEST(test_cwriter_beyond_queue_stalls_until_retry)
{
    its_ready();
    uint64_t start = gits_rd64(GITS_CREADR);
    its_queue(CMD_SYNC, 0, 0, 0);
    gits_wr64(GITS_CWRITER, CMDQ_SIZE); /* one past the end */
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), start | CREADR_STALLED);
    ck_assert(!gic_its_busy(g));
    gic_its_step(g);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), start | CREADR_STALLED);
    /* A valid CWRITER alone does not restart it; with Retry it does. */
    gits_wr64(GITS_CWRITER, cq_write);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR) & CREADR_STALLED, CREADR_STALLED);
    gits_wr64(GITS_CWRITER, cq_write | CWRITER_RETRY);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR) & CREADR_STALLED, 0);
    ck_assert_uint_eq(gits_rd64(GITS_CWRITER), cq_write); /* Retry is not kept */
    its_drain();
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), cq_write);
}
END_TEST

START_TEST(test_cbaser_write_clears_stall)
{
    its_ready();
    gits_wr64(GITS_CWRITER, 0xFFFE0);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR) & CREADR_STALLED, CREADR_STALLED);
    gits_wr32(GITS_CTLR, 0);
    gits_wr64(GITS_CBASER, CBASER_VALID | CMDQ_PA | 0xFF); /* 1 MiB: the offset fits */
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), 0);
}
END_TEST

START_TEST(test_quiescent_while_commands_wait)
{
    its_ready();
    ck_assert_uint_eq(gits_rd32(GITS_CTLR), GITS_CTLR_ENABLED | GITS_CTLR_QUIESCENT);
    its_queue(CMD_SYNC, 0, 0, 0);
    its_queue(CMD_SYNC, 0, 0, 0);
    its_kick();
    ck_assert_uint_eq(gits_rd32(GITS_CTLR) & GITS_CTLR_QUIESCENT, 0);
    gic_its_step(g);
    ck_assert_uint_eq(gits_rd32(GITS_CTLR) & GITS_CTLR_QUIESCENT, 0);
    gic_its_step(g);
    ck_assert_uint_eq(gits_rd32(GITS_CTLR), GITS_CTLR_ENABLED | GITS_CTLR_QUIESCENT);
}
END_TEST

START_TEST(test_disabled_its_processes_nothing_and_drops_msis)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    map_event(5, 3, LPI(8), 1);
    gits_wr32(GITS_CTLR, 0);
    ck_assert_uint_eq(gits_rd32(GITS_CTLR) & GITS_CTLR_ENABLED, 0);
    gic_its_msi(g, 5, 3);
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
    uint64_t creadr = gits_rd64(GITS_CREADR);
    its_queue(dev_dw0(CMD_INT, 5), 3, 0, 0);
    its_kick();
    ck_assert(!gic_its_busy(g));
    gic_its_step(g);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), creadr);
    ck_assert_uint_eq(hppir1(1), GIC_SPURIOUS);
    /* Enabled again, it carries on. */
    gits_wr32(GITS_CTLR, GITS_CTLR_ENABLED);
    ck_assert(gic_its_busy(g));
    its_drain();
    ck_assert_uint_eq(hppir1(1), LPI(8));
}
END_TEST

/* CBASER.Valid = 0: nothing is processed. */
START_TEST(test_invalid_cbaser_processes_nothing)
{
    its_ready();
    gits_wr64(GITS_CBASER, CMDQ_PA);
    its_queue(CMD_SYNC, 0, 0, 0);
    its_kick();
    ck_assert(!gic_its_busy(g));
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), 0);
}
END_TEST

/* A command the ITS does not know is skipped without an error. */
START_TEST(test_unknown_command_skipped)
{
    its_ready();
    uint64_t before = gits_rd64(GITS_CREADR);
    its_cmd(0x3F, 0, 0, 0);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), before + 32);
    ck_assert_uint_eq(rig.notices, 0);
}
END_TEST

/* ===========================================================================
 * Command errors: each is reported with its IHI 0069 code and the queue
 * moves on to the next command.
 * =========================================================================== */

/* Queue a failing command (in the caller) and then a good INT, and check
 * the error code, exactly one notice, and that the INT was executed. */
static void errors_setup(void)
{
    its_ready();
    prop_set(LPI(8), 0x40, true);
    map_event(5, 3, LPI(8), 1);
    ck_assert_uint_eq(rig.notices, 0);
}

static void expect_error_then_continue(uint32_t code)
{
    ck_assert_msg(noticed(code), "want error 0x%06x, got %u notices: %s", code, rig.notices,
                  rig.notices ? rig.notice[0] : "");
    ck_assert_uint_eq(rig.notices, 1);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), cq_write); /* past the failed command */
    its_queue(dev_dw0(CMD_INT, 5), 3, 0, 0);
    its_kick();
    ck_assert_uint_eq(its_drain(), 1);
    ck_assert_uint_eq(rig.notices, 1);
    ck_assert_uint_eq(gits_rd64(GITS_CREADR), cq_write);
    ck_assert_uint_eq(hppir1(1), LPI(8));
    check_hppi();
}

START_TEST(test_error_mapd_device_oor)
{
    errors_setup();
    cmd_mapd(512, ITT_BITS, ITT_PA(0), true); /* the flat table holds 512 */
    expect_error_then_continue(0x010801);
}
END_TEST

START_TEST(test_error_mapd_deviceid_beyond_devbits)
{
    errors_setup();
    gits_wr64(GITS_BASER(0), BASER_VALID | DT_PA | BASER_PAGE_64K | 0xFF); /* 2M entries */
    cmd_mapd(1u << 16, ITT_BITS, ITT_PA(0), true);
    expect_error_then_continue(0x010801);
}
END_TEST

START_TEST(test_error_mapd_itt_size)
{
    errors_setup();
    cmd_mapd(6, 17, ITT_PA(6), true); /* more EventID bits than GITS_TYPER.IDbits + 1 */
    expect_error_then_continue(0x010802);
}
END_TEST

START_TEST(test_error_mapc_processor_number)
{
    errors_setup();
    cmd_mapc(ICID(0), NUM_PES, true);
    expect_error_then_continue(0x010902);
    ck_assert_uint_eq(ram_load64(CT_PA + ICID(0) * 8), 1ull << 63 | 0); /* unchanged */
}
END_TEST

START_TEST(test_error_mapc_collection_oor)
{
    errors_setup();
    cmd_mapc(512, 0, true); /* the flat table holds 512 */
    expect_error_then_continue(0x010903);
}
END_TEST

START_TEST(test_error_mapti_unmapped_device)
{
    errors_setup();
    cmd_mapti(6, 3, LPI(9), ICID(1));
    expect_error_then_continue(0x010a04);
}
END_TEST

START_TEST(test_error_mapti_eventid_oor)
{
    errors_setup();
    cmd_mapti(5, 1u << ITT_BITS, LPI(9), ICID(1));
    expect_error_then_continue(0x010a05);
}
END_TEST

START_TEST(test_error_mapti_pintid_below_lpis)
{
    errors_setup();
    cmd_mapti(5, 4, GIC_LPI_BASE - 1, ICID(1));
    expect_error_then_continue(0x010a06);
}
END_TEST

START_TEST(test_error_mapti_pintid_beyond_lpis)
{
    errors_setup();
    cmd_mapti(5, 4, 1u << 16, ICID(1));
    expect_error_then_continue(0x010a06);
}
END_TEST

START_TEST(test_error_mapti_collection_oor)
{
    errors_setup();
    cmd_mapti(5, 4, LPI(9), 512);
    expect_error_then_continue(0x010a03);
}
END_TEST

START_TEST(test_error_mapi_unmapped_device)
{
    errors_setup();
    cmd_mapi(6, LPI(9), ICID(1));
    expect_error_then_continue(0x010b04);
}
END_TEST

START_TEST(test_error_mapi_pintid_oor)
{
    errors_setup();
    cmd_mapi(5, 4, ICID(1)); /* EventID 4 is no LPI */
    expect_error_then_continue(0x010b06);
}
END_TEST

START_TEST(test_error_int_unmapped_event)
{
    errors_setup();
    cmd_event(CMD_INT, 5, 4);
    expect_error_then_continue(0x010307);
}
END_TEST

/* An EventID beyond the device's ITT is out of range (0x010305), which is
 * checked before the ITT entry is read, not an unmapped event (0x010307). */
START_TEST(test_error_int_eventid_oor)
{
    errors_setup();
    cmd_event(CMD_INT, 5, 1u << ITT_BITS);
    expect_error_then_continue(0x010305);
}
END_TEST

START_TEST(test_error_int_unmapped_device)
{
    errors_setup();
    cmd_event(CMD_INT, 6, 3);
    expect_error_then_continue(0x010304);
}
END_TEST

START_TEST(test_error_int_unmapped_collection)
{
    errors_setup();
    cmd_mapti(5, 4, LPI(9), 0x1FF); /* a collection never mapped */
    cmd_event(CMD_INT, 5, 4);
    expect_error_then_continue(0x010309);
}
END_TEST

/* CLEAR's errors are 0x0105xx (CLEAR_UNMAPPED_INTERRUPT 0x010507), not
 * its command number 0x04 followed by the reason. */
START_TEST(test_error_clear_unmapped_event)
{
    errors_setup();
    cmd_event(CMD_CLEAR, 5, 4);
    expect_error_then_continue(0x010507);
}
END_TEST

START_TEST(test_error_inv_unmapped_event)
{
    errors_setup();
    cmd_event(CMD_INV, 5, 4);
    expect_error_then_continue(0x010c07);
}
END_TEST

START_TEST(test_error_invall_unmapped_collection)
{
    errors_setup();
    cmd_invall(0x1FF);
    expect_error_then_continue(0x010d09);
}
END_TEST

START_TEST(test_error_movi_unmapped_event)
{
    errors_setup();
    cmd_movi(5, 4, ICID(2));
    expect_error_then_continue(0x010107);
}
END_TEST

START_TEST(test_error_movi_unmapped_collection)
{
    errors_setup();
    cmd_movi(5, 3, 0x1FF);
    expect_error_then_continue(0x010109);
    ck_assert_uint_eq(FIELD(ram_load64(ITT_PA(5) + 3 * 16 + 8), 15, 0), ICID(1)); /* unchanged */
}
END_TEST

START_TEST(test_error_movall_processor_oor)
{
    errors_setup();
    cmd_movall(NUM_PES, 0);
    expect_error_then_continue(0x010e01);
}
END_TEST

START_TEST(test_error_movall_second_processor_oor)
{
    errors_setup();
    cmd_movall(0, NUM_PES + 3);
    expect_error_then_continue(0x010e01);
}
END_TEST

START_TEST(test_error_discard_unmapped_event)
{
    errors_setup();
    cmd_event(CMD_DISCARD, 5, 4);
    expect_error_then_continue(0x010f07);
}
END_TEST

/* The notice names the command and the queue offset. */
START_TEST(test_error_notice_names_command_and_offset)
{
    errors_setup();
    uint64_t at = gits_rd64(GITS_CREADR);
    cmd_event(CMD_DISCARD, 5, 4);
    ck_assert_uint_eq(rig.notices, 1);
    char offset[32];
    snprintf(offset, sizeof offset, "0x%llx", (unsigned long long)at);
    ck_assert_ptr_nonnull(strstr(rig.notice[0], "DISCARD"));
    ck_assert_ptr_nonnull(strstr(rig.notice[0], offset));
}
END_TEST

/* ===========================================================================
 * Robustness
 * =========================================================================== */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* xorshift64*: deterministic from the seed. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static uint64_t rnd_below(uint64_t n)
{
    return rnd() % n;
}

/* Every PE with LPIs enabled keeps its pending table equal to its state. */
static void check_write_through(unsigned intid_end)
{
    for (unsigned pe = 0; pe < g->cfg.num_pes; pe++)
        for (unsigned intid = GIC_LPI_BASE; intid < intid_end; intid++)
            ck_assert_msg(gic_lpi_pending(g, pe, intid) == pend_bit(pe, intid),
                          "PE %u LPI %u: state %d, table %d", pe, intid,
                          gic_lpi_pending(g, pe, intid), pend_bit(pe, intid));
}

/* An INTID: mostly LPIs near the bottom, sometimes anything. */
static uint32_t rnd_intid(void)
{
    switch (rnd_below(8)) {
    case 0: return (uint32_t)rnd();
    case 1: return (uint32_t)rnd_below(1u << 15);
    }
    return LPI((uint32_t)rnd_below(16));
}

static uint32_t rnd_devid(void)
{
    return rnd_below(10) == 0 ? (uint32_t)rnd() : (uint32_t)rnd_below(6);
}

static uint32_t rnd_eventid(void)
{
    return rnd_below(10) == 0 ? (uint32_t)rnd() : (uint32_t)rnd_below(10);
}

static uint32_t rnd_icid(void)
{
    return rnd_below(10) == 0 ? (uint32_t)rnd() : (uint32_t)rnd_below(8);
}

static uint64_t rnd_rdbase(void)
{
    return rnd_below(10) == 0 ? rnd() & 0x7FFFFFFFFull : rnd_below(NUM_PES + 1);
}

/* A random command with mostly plausible fields; ITTs stay at their place
 * or go outside RAM, never over the tables the test checks. */
static void queue_random_command(void)
{
    static const unsigned cmds[] = {CMD_MOVI,   CMD_INT,     CMD_CLEAR, CMD_SYNC, CMD_MAPD,
                                    CMD_MAPC,   CMD_MAPTI,   CMD_MAPI,  CMD_INV,  CMD_INVALL,
                                    CMD_MOVALL, CMD_DISCARD, CMD_INT,   CMD_MAPTI};
    unsigned cmd = rnd_below(16) == 0 ? (unsigned)rnd_below(256) : cmds[rnd_below(14)];
    uint32_t devid = rnd_devid();
    uint64_t dw1 = rnd_eventid() | (uint64_t)rnd_intid() << 32;
    uint64_t dw2 = rnd_icid() | rnd_rdbase() << 16 | (rnd_below(4) ? 1ull << 63 : 0);
    uint64_t dw3 = rnd_rdbase() << 16;

    if (cmd == CMD_MAPD) {
        uint64_t itt = rnd_below(4) ? ITT_PA(devid) : rnd() & 0x000FFFFFFFFFFF00ull;
        if (in_ram(itt, 1) && itt < ITT_PA(0))
            itt = ITT_PA(devid);
        dw1 = rnd_below(10) == 0 ? rnd() : rnd_below(ITT_BITS);
        dw2 = (rnd_below(5) ? 1ull << 63 : 0) | itt;
    }
    if (rnd_below(20) == 0) { /* garbage everywhere */
        dw1 = rnd();
        dw2 = rnd();
        dw3 = rnd();
    }
    its_queue(cmd | (uint64_t)devid << 32, dw1, dw2, dw3);
}

/* Seeded random commands, MSIs, LPI register writes and acknowledges; after
 * each, the HPPI invariant and the write-through of the pending tables. */
START_TEST(test_random_commands_keep_invariants)
{
    make_gic(NUM_PES, 14, true, GIC_V3, 5);
    its_ready();
    rng_state = 0x2545F4914F6CDD1Dull;
    for (unsigned i = 0; i < 64; i++)
        prop_set(LPI(i), (uint8_t)(rnd_below(32) << 3), rnd_below(4) != 0);
    for (unsigned seed = 1; seed <= 4; seed++) {
        rng_state = 0x9E3779B97F4A7C15ull * seed;
        for (unsigned step = 0; step < 600; step++) {
            unsigned pe = (unsigned)rnd_below(NUM_PES);
            switch (rnd_below(10)) {
            case 0: gic_its_msi(g, rnd_devid(), rnd_eventid()); break;
            case 1: gicr_wr64(pe, rnd_below(3) ? GICR_SETLPIR : GICR_CLRLPIR, rnd_intid()); break;
            case 2: {
                if (rnd_below(2))
                    break;
                uint64_t intid = iar1(pe);
                if (intid != GIC_SPURIOUS)
                    eoir1(pe, (unsigned)intid);
                break;
            }
            case 3: {
                unsigned intid = LPI((unsigned)rnd_below(16));
                prop_set(intid, (uint8_t)(rnd_below(32) << 3), rnd_below(4) != 0);
                if (rnd_below(2))
                    gicr_wr64(pe, GICR_INVLPIR, intid);
                else
                    gicr_wr64(pe, GICR_INVALLR, 0);
                break;
            }
            default: {
                unsigned n = 1 + (unsigned)rnd_below(3);
                for (unsigned c = 0; c < n; c++)
                    queue_random_command();
                its_kick();
                while (gic_its_busy(g)) {
                    gic_its_step(g);
                    check_hppi();
                }
                break;
            }
            }
            char why[160];
            ck_assert_msg(gic_hppi_check(g, why, sizeof why), "seed %u step %u: %s", seed, step,
                          why);
            ck_assert_uint_eq(gits_rd64(GITS_CREADR), cq_write);
        }
        check_write_through(1u << 14);
    }
}
END_TEST

/* A random address: in RAM, straddling its end, or anywhere. */
static uint64_t rnd_address(void)
{
    switch (rnd_below(4)) {
    case 0: return RAM_BASE + rnd_below(RAM_SIZE);
    case 1: return RAM_BASE + RAM_SIZE - rnd_below(0x20000);
    case 2: return rnd() & 0x000FFFFFFFFFF000ull;
    }
    return rnd();
}

/* GICv4.0 residency with a latency (gic_config.residency): a
 * GICR_VPENDBASER write starts the change and Dirty (bit 60) reads 1 with
 * the written Valid; writes meanwhile are ignored; gic_vpe_complete()
 * loads the VPT and the vLPI property table, so that putting the vPE
 * again reports PendingLast (bit 61) for its pending, enabled vLPI. */
#define VLPI_FRAME      0x20000u
#define GICR_VPROPBASER (VLPI_FRAME + 0x70)
#define GICR_VPENDBASER (VLPI_FRAME + 0x78)
#define VPT_PA          (RAM_BASE + 0x600000) /* 64 KiB aligned */
#define VPROP_PA        (RAM_BASE + 0x700000)
START_TEST(test_vpe_residency_completes_later)
{
    const uint64_t valid = 1ull << 63, pending_last = 1ull << 61, dirty = 1ull << 60;
    rig.residency = true;
    make_gic(NUM_PES, 16, true, GIC_V4, 5);
    rig.ram[VPROP_PA - RAM_BASE + 5] = 0xa0 | 1; /* vLPI 8197: priority 0xa0, enabled */
    rig.ram[VPT_PA - RAM_BASE + 8197 / 8] = 1u << (8197 % 8);
    gicr_wr64(1, GICR_VPROPBASER, VPROP_PA | 15); /* 16 bits of vINTID */
    gicr_wr64(1, GICR_VPENDBASER, valid | VPT_PA);
    ck_assert_uint_eq(rig.changes[1], 1);
    ck_assert_uint_eq(gicr_rd64(1, GICR_VPENDBASER), valid | dirty | VPT_PA);
    gicr_wr64(1, GICR_VPENDBASER, 0); /* ignored while Dirty */
    ck_assert_uint_eq(rig.changes[1], 1);
    gic_vpe_complete(g, 1);
    ck_assert_uint_eq(gicr_rd64(1, GICR_VPENDBASER), valid | VPT_PA);
    gic_vpe_complete(g, 1); /* nothing in progress: no effect */
    ck_assert_uint_eq(gicr_rd64(1, GICR_VPENDBASER), valid | VPT_PA);
    gicr_wr64(1, GICR_VPENDBASER, VPT_PA);
    ck_assert_uint_eq(rig.changes[1], 2);
    ck_assert_uint_eq(gicr_rd64(1, GICR_VPENDBASER), dirty | VPT_PA);
    gic_vpe_complete(g, 1);
    ck_assert_uint_eq(gicr_rd64(1, GICR_VPENDBASER), pending_last | VPT_PA);
    ck_assert_uint_eq(rig.changes[0], 0);
    rig.residency = false;
}
END_TEST

/* Table, queue and LPI table bases anywhere, sizes and page sizes random:
 * no crash (the ASan build checks the accesses), the invariant holds. */
START_TEST(test_random_table_addresses_never_crash)
{
    make_gic(NUM_PES, 14, true, GIC_V4, 5);
    its_ready();
    for (unsigned seed = 1; seed <= 3; seed++) {
        rng_state = 0xD1B54A32D192ED03ull * seed;
        for (unsigned step = 0; step < 300; step++) {
            unsigned pe = (unsigned)rnd_below(NUM_PES);
            switch (rnd_below(8)) {
            case 0:
                gits_wr64(GITS_BASER((unsigned)rnd_below(3)),
                          (rnd() & ~0x000FFFFFFFFFF000ull) | rnd_address());
                break;
            case 1:
                gits_wr64(GITS_CBASER, (rnd_below(4) ? CBASER_VALID : 0) |
                                           (rnd_address() & 0x000FFFFFFFFFF000ull) | rnd_below(3));
                break;
            case 2: gits_wr64(GITS_CWRITER, rnd() & (rnd_below(2) ? 0xFFFE1ull : 0x3FE0ull)); break;
            case 3:
                gicr_wr32(pe, GICR_CTLR, 0);
                gicr_wr64(pe, GICR_PROPBASER, rnd_address() | rnd_below(32));
                gicr_wr64(pe, GICR_PENDBASER, rnd_address() | (rnd() & PENDBASER_PTZ));
                gicr_wr32(pe, GICR_CTLR, rnd_below(4) ? GICR_CTLR_ENABLE_LPIS : 0);
                break;
            case 4: gic_its_msi(g, rnd_devid(), rnd_eventid()); break;
            case 5:
                gicr_wr64(pe,
                          (uint64_t[]){GICR_SETLPIR, GICR_CLRLPIR, GICR_INVLPIR,
                                       GICR_INVALLR}[rnd_below(4)],
                          rnd_intid());
                break;
            case 6: gits_wr32(GITS_CTLR, rnd_below(4) ? GITS_CTLR_ENABLED : 0); break;
            default: {
                /* Commands into the buffer, read from wherever CBASER points. */
                for (unsigned c = 0; c < 1 + rnd_below(4); c++)
                    queue_random_command();
                if (rnd_below(2))
                    its_kick();
                for (unsigned n = 0; n < 64 && gic_its_busy(g); n++) {
                    gic_its_step(g);
                    check_hppi();
                }
                break;
            }
            }
            uint64_t intid = iar1(pe);
            if (intid != GIC_SPURIOUS)
                eoir1(pe, (unsigned)intid);
            char why[160];
            ck_assert_msg(gic_hppi_check(g, why, sizeof why), "seed %u step %u: %s", seed, step,
                          why);
        }
    }
    ck_assert_uint_gt(rig.outside, 0); /* the addresses did reach outside RAM */
}
END_TEST

/* A GIC with LPIs and an ITS but no memory at all (NULL callbacks). */
START_TEST(test_no_memory_callbacks)
{
    struct gic_config cfg = {.num_pes = 2,
                             .num_spis = 32,
                             .pri_bits = 5,
                             .lpi_bits = 16,
                             .its = true,
                             .output = on_output};
    cfg.mpidr[1] = 1;
    struct gic *h = gic_new(&cfg);
    ck_assert_ptr_nonnull(h);
    ck_assert(gicr_write(h, GICR_PROPBASER, 8, PROP_PA | 15));
    ck_assert(gicr_write(h, GICR_CTLR, 4, GICR_CTLR_ENABLE_LPIS));
    ck_assert(gicr_write(h, GICR_SETLPIR, 8, LPI(1)));
    ck_assert(gits_write(h, GITS_BASER(0), 8, BASER_VALID | DT_PA));
    ck_assert(gits_write(h, GITS_CBASER, 8, CBASER_VALID | CMDQ_PA));
    ck_assert(gits_write(h, GITS_CTLR, 4, GITS_CTLR_ENABLED));
    ck_assert(gits_write(h, GITS_CWRITER, 8, 0x100));
    for (unsigned i = 0; i < 16 && gic_its_busy(h); i++)
        gic_its_step(h);
    ck_assert(!gic_its_busy(h));
    gic_its_msi(h, 0, 0);
    char why[160];
    ck_assert_msg(gic_hppi_check(h, why, sizeof why), "%s", why);
    gic_free(h);
}
END_TEST

/* ===========================================================================
 * GICv4.1 (gic/vpe.c): the shared vPE table, residency by vPEID, the
 * default doorbell, vSGIs, INVDB and the V forms of INVLPIR/INVALLR.
 * Register layouts as Linux's include/linux/irqchip/arm-gic-v3.h gives
 * them; command layouts as its irq-gic-v3-its.c builds them.
 * =========================================================================== */

#define VT41_PA        (RAM_BASE + 0xC00000) /* the vPE table, one 4 KiB page */
#define VCONF41_PA     (RAM_BASE + 0xC10000) /* the VM's vLPI configuration table */
#define VPT41_PA(n)    (RAM_BASE + 0xC20000 + (n)*0x10000ull)
#define GICR_VSGIR     (VLPI_FRAME + 0x80)
#define GICR_VSGIPENDR (VLPI_FRAME + 0x88)
#define GITS_SGIR      0x20020
#define V41_VALID      (1ull << 63)
#define V41_DB         (1ull << 62)
#define V41_PL         (1ull << 61)
#define V41_VGRP0EN    (1ull << 59)
#define V41_VGRP1EN    (1ull << 58)
#define V41_LPIR_V     (1ull << 63)
#define CMD_VMAPTI     0x2A
#define CMD_VMAPP      0x29
#define CMD_VMOVP      0x22
#define CMD_VSGI       0x23
#define CMD_INVDB      0x2E
#define DOORBELL(n)    LPI(100 + (n))

static void v41_vconf(unsigned vintid, uint8_t priority, bool enable)
{
    rig.ram[VCONF41_PA - RAM_BASE + (vintid - GIC_LPI_BASE)] =
        (uint8_t)((priority & 0xFC) | (enable ? 1 : 0));
}

static void cmd_vmapp41(unsigned vpeid, unsigned pe, uint32_t db, bool valid)
{
    its_cmd(CMD_VMAPP | 1ull << 8 | VCONF41_PA, db | (uint64_t)vpeid << 32,
            (valid ? 1ull << 63 : 0) | (uint64_t)pe << 16, VPT41_PA(vpeid) | (16 - 1));
}

static void cmd_vmapti(uint32_t devid, uint32_t eventid, unsigned vpeid, uint32_t vintid)
{
    its_cmd(dev_dw0(CMD_VMAPTI, devid), eventid | (uint64_t)vpeid << 32,
            vintid | (uint64_t)NO_DOORBELL << 32, 0);
}

static void cmd_vsgi(unsigned vpeid, unsigned sgi, uint8_t prio, bool group1, bool clear,
                     bool enable)
{
    its_cmd(CMD_VSGI | (uint64_t)sgi << 32 | (uint64_t)(prio >> 4) << 20 | (uint64_t)group1 << 10 |
                (uint64_t)clear << 9 | (uint64_t)enable << 8,
            (uint64_t)vpeid << 32, 0, 0);
}

/* A GICv4.1 GIC: LPIs and the ITS ready, the vPE table behind GITS_BASER2
 * and every redistributor's GICR_VPROPBASER (the ITS's, as Linux's
 * inherit_vpe_l1_table_from_its() copies it), the doorbells' property
 * bytes enabled at priority 0x80, device 1 mapped. */
static void v41_ready(void)
{
    make_gic(NUM_PES, 16, true, GIC_V41, 5);
    its_ready();
    gits_wr64(GITS_BASER(2), BASER_VALID | VT41_PA | BASER_PAGE_4K);
    for (unsigned pe = 0; pe < NUM_PES; pe++)
        gicr_wr64(pe, GICR_VPROPBASER, V41_VALID | VT41_PA);
    for (unsigned n = 0; n < 8; n++)
        prop_set(DOORBELL(n), 0x80, true);
    gicr_wr64(0, GICR_INVALLR, 0);
    cmd_mapd(1, ITT_BITS, ITT_PA(1), true);
}

static void v41_schedule(unsigned pe, unsigned vpeid, uint64_t grps)
{
    gicr_wr64(pe, GICR_VPENDBASER, V41_VALID | grps | vpeid);
}

/* Make PE's vPE non-resident as Linux's its_vpe_4_1_deschedule() does; the
 * register as read back. */
static uint64_t v41_deschedule(unsigned pe, bool db)
{
    uint64_t v = gicr_rd64(pe, GICR_VPENDBASER) & ~(V41_VALID | V41_PL | V41_DB);
    gicr_wr64(pe, GICR_VPENDBASER, v | (db ? V41_DB : V41_PL));
    return gicr_rd64(pe, GICR_VPENDBASER);
}

START_TEST(test_v41_identification)
{
    make_gic(NUM_PES, 16, true, GIC_V41, 5);
    uint64_t typer = gits_rd64(GITS_TYPER);
    ck_assert(typer & GITS_TYPER_VIRTUAL);
    ck_assert_uint_eq(FIELD(typer, 40, 40), 1); /* VMAPP: GICv4.1's commands */
    ck_assert_uint_eq(FIELD(typer, 42, 41), 1); /* SVPET: the vPE table is shared */
    ck_assert_uint_eq(gits_rd64(0x0018), 0);    /* GITS_MPIDR: Aff3 0, every PE's */
    for (unsigned pe = 0; pe < NUM_PES; pe++) {
        uint64_t t = gicr_rd64(pe, GICR_TYPER);
        ck_assert_uint_eq(FIELD(t, 7, 7), 1);   /* RVPEID */
        ck_assert_uint_eq(FIELD(t, 1, 1), 1);   /* VLPIS */
        ck_assert_uint_eq(FIELD(t, 25, 24), 0); /* CommonLPIAff: one vPE table for all */
    }
    check_baser_ro(2, BASER_TYPE_VPES, 32);
    /* GICR_VPROPBASER: Entry_Size [61:59] reads 3 (four doublewords) and is
     * not writable; Page_Size 0b11 (reserved) reads as 64K. */
    gicr_wr64(0, GICR_VPROPBASER, ~0ull);
    uint64_t vprop = gicr_rd64(0, GICR_VPROPBASER);
    ck_assert_uint_eq(FIELD(vprop, 61, 59), 3);
    ck_assert_uint_eq(FIELD(vprop, 54, 53), 2);
    ck_assert_uint_eq(FIELD(vprop, 52, 52), 0); /* Z is not kept */
    ck_assert_uint_eq(vprop & 0x000FFFFFFFFFF000ull, 0x000FFFFFFFFFF000ull);
    gicr_wr64(0, GICR_VPROPBASER, 0);
    ck_assert_uint_eq(gicr_rd64(0, GICR_VPROPBASER), 3ull << 59);
    /* GICv4.0 has none of it. */
    make_gic(NUM_PES, 16, true, GIC_V4, 5);
    ck_assert_uint_eq(FIELD(gits_rd64(GITS_TYPER), 42, 40), 0);
    ck_assert_uint_eq(FIELD(gicr_rd64(0, GICR_TYPER), 7, 7), 0);
    check_baser_ro(2, BASER_TYPE_VPES, 16);
    ck_assert_uint_eq(gicr_rd32(0, GICR_VSGIPENDR), 0);
}
END_TEST

/* GICv4.0's VMAPP writes 16-byte entries in the documented layout, and
 * takes no doorbell or configuration table from the command. */
START_TEST(test_v40_vmapp_entry_layout)
{
    make_gic(NUM_PES, 16, true, GIC_V4, 5);
    its_ready();
    gits_wr64(GITS_BASER(2), BASER_VALID | VT41_PA | BASER_PAGE_4K);
    ram_store64(VT41_PA + 3 * 16 + 16, 0x5A5A); /* the next entry's first word */
    cmd_vmapp41(3, 2, DOORBELL(3), true);
    ck_assert_uint_eq(ram_load64(VT41_PA + 3 * 16), 1ull << 63 | 15ull << 16 | 2);
    ck_assert_uint_eq(ram_load64(VT41_PA + 3 * 16 + 8), VPT41_PA(3));
    ck_assert_uint_eq(ram_load64(VT41_PA + 3 * 16 + 16), 0x5A5A);
    cmd_vmapp41(3, 2, 0, false);
    ck_assert_uint_eq(ram_load64(VT41_PA + 3 * 16), 0);
    ck_assert_uint_eq(rig.notices, 0);
}
END_TEST

START_TEST(test_v41_vmapp_entry_and_residency_by_vpeid)
{
    v41_ready();
    cmd_vmapp41(5, 1, DOORBELL(5), true);
    /* The entry, at 32 bytes a vPE (vpe.c's layout). */
    uint64_t e = VT41_PA + 5 * 32;
    ck_assert_uint_eq(ram_load64(e), 1ull << 63 | 15ull << 16 | 1);
    ck_assert_uint_eq(ram_load64(e + 8), VPT41_PA(5));
    ck_assert_uint_eq(ram_load64(e + 16), VCONF41_PA);
    ck_assert_uint_eq(ram_load64(e + 24), DOORBELL(5));
    v41_vconf(LPI(5), 0xa0, true);
    cmd_vmapti(1, 0, 5, LPI(5));
    v41_schedule(1, 5, V41_VGRP1EN);
    ck_assert_uint_eq(gicr_rd64(1, GICR_VPENDBASER), V41_VALID | V41_VGRP1EN | 5);
    gic_its_msi(g, 1, 0);
    ck_assert(gic_vlpi_pending(g, 1, LPI(5)));
    ck_assert_int_eq(gic_vlpi_best(g, 1), (int)LPI(5));
    ck_assert_uint_eq(gic_vlpi_priority(g, 1, LPI(5)), 0xa0);
    ck_assert_uint_eq((rig.ram[VPT41_PA(5) - RAM_BASE + LPI(5) / 8] >> (LPI(5) % 8)) & 1, 1);
    /* Non-resident with DB 0: PendingLast 1 (an enabled vLPI is pending). */
    ck_assert_uint_eq(v41_deschedule(1, false), V41_PL | V41_VGRP1EN | 5);
    ck_assert(!gic_vlpi_pending(g, 1, LPI(5)));
    /* A vPEID the table does not map is not loaded. */
    v41_schedule(1, 6, V41_VGRP1EN);
    ck_assert_uint_eq(FIELD(gicr_rd64(1, GICR_VPENDBASER), 63, 63), 0);
    /* Back again: the VPT's bit comes with it. */
    v41_schedule(1, 5, V41_VGRP1EN);
    ck_assert_int_eq(gic_vlpi_best(g, 1), (int)LPI(5));
    ck_assert_uint_eq(rig.notices, 0);
}
END_TEST

START_TEST(test_v41_default_doorbell_rings_once)
{
    v41_ready();
    cmd_vmapp41(2, 0, DOORBELL(2), true);
    v41_vconf(LPI(7), 0xa0, true);
    v41_vconf(LPI(8), 0xa0, true);
    cmd_vmapti(1, 0, 2, LPI(7));
    cmd_vmapti(1, 1, 2, LPI(8));
    v41_schedule(0, 2, V41_VGRP1EN);
    ck_assert_uint_eq(v41_deschedule(0, true), V41_DB | V41_VGRP1EN | 2); /* PendingLast 0 */
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
    gic_its_msi(g, 1, 0);
    ck_assert(pend_bit(0, DOORBELL(2)));
    ck_assert_uint_eq(iar1(0), DOORBELL(2));
    eoir1(0, DOORBELL(2));
    /* Owed once: the second vLPI finds no doorbell owed. */
    gic_its_msi(g, 1, 1);
    ck_assert(!pend_bit(0, DOORBELL(2)));
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
    /* Loaded and put again with DB: owed again, but PendingLast is 1 now. */
    v41_schedule(0, 2, V41_VGRP1EN);
    ck_assert_uint_eq(v41_deschedule(0, true), V41_DB | V41_PL | V41_VGRP1EN | 2);
    gic_its_msi(g, 1, 0);
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
}
END_TEST

START_TEST(test_v41_no_doorbell_unless_asked_grouped_and_enabled)
{
    v41_ready();
    cmd_vmapp41(3, 2, DOORBELL(3), true);
    v41_vconf(LPI(9), 0xa0, false); /* disabled in the VM's table */
    v41_vconf(LPI(10), 0xa0, true);
    cmd_vmapti(1, 0, 3, LPI(9));
    cmd_vmapti(1, 1, 3, LPI(10));
    /* DB 0. */
    v41_schedule(2, 3, V41_VGRP1EN);
    v41_deschedule(2, false);
    gic_its_msi(g, 1, 1);
    ck_assert(!pend_bit(2, DOORBELL(3)));
    gic_its_msi(g, 1, 0);
    /* DB 1 but VGRP1EN 0: vLPIs are Group 1. (The pending vLPI 10 makes
     * PendingLast 1 too; clear it first.) */
    its_cmd(dev_dw0(CMD_CLEAR, 1), 1, 0, 0);
    v41_schedule(2, 3, 0);
    ck_assert_uint_eq(v41_deschedule(2, true), V41_DB | 3);
    gic_its_msi(g, 1, 1);
    ck_assert(!pend_bit(2, DOORBELL(3)));
    /* DB 1, VGRP1EN 1, but the vLPI is disabled: still owed... */
    its_cmd(dev_dw0(CMD_CLEAR, 1), 1, 0, 0);
    v41_schedule(2, 3, V41_VGRP1EN);
    ck_assert_uint_eq(v41_deschedule(2, true), V41_DB | V41_VGRP1EN | 3);
    gic_its_msi(g, 1, 0);
    ck_assert(!pend_bit(2, DOORBELL(3)));
    /* ...and an enabled one rings it. */
    gic_its_msi(g, 1, 1);
    ck_assert(pend_bit(2, DOORBELL(3)));
    ck_assert_uint_eq(hppir1(2), DOORBELL(3));
}
END_TEST

START_TEST(test_v41_vsgi_configure_send_and_read_pending)
{
    v41_ready();
    cmd_vmapp41(4, 3, DOORBELL(4), true);
    cmd_vsgi(4, 3, 0x80, true, false, true);
    cmd_vsgi(4, 5, 0x40, false, false, true);
    /* The configuration in the VPT's IMPLEMENTATION DEFINED area. */
    ck_assert_uint_eq(rig.ram[VPT41_PA(4) - RAM_BASE + 3], 0x83);
    ck_assert_uint_eq(rig.ram[VPT41_PA(4) - RAM_BASE + 5], 0x41);
    v41_schedule(3, 4, V41_VGRP0EN | V41_VGRP1EN);
    gits_wr64(GITS_SGIR, 4ull << 32 | 3);
    gicr_wr32(3, GICR_VSGIR, 4);
    ck_assert_uint_eq(gicr_rd32(3, GICR_VSGIPENDR), 1u << 3); /* Busy 0 */
    ck_assert_uint_eq(gicr_rd32(3, GICR_VSGIR), 4);
    /* A vSGI counts in PendingLast. */
    ck_assert_uint_eq(v41_deschedule(3, true), V41_DB | V41_PL | V41_VGRP0EN | V41_VGRP1EN | 4);
    ck_assert_uint_eq(gicr_rd32(3, GICR_VSGIPENDR), 1u << 3); /* from the VPT now */
    /* VSGI with Clear. */
    cmd_vsgi(4, 3, 0x80, true, true, true);
    ck_assert_uint_eq(gicr_rd32(3, GICR_VSGIPENDR), 0);
    /* Put with VGRP0EN only: a Group 1 vSGI owes no doorbell, a Group 0 one does. */
    v41_schedule(3, 4, V41_VGRP0EN);
    ck_assert_uint_eq(v41_deschedule(3, true), V41_DB | V41_VGRP0EN | 4);
    gits_wr64(GITS_SGIR, 4ull << 32 | 3);
    ck_assert(!pend_bit(3, DOORBELL(4)));
    gits_wr64(GITS_SGIR, 4ull << 32 | 5);
    ck_assert(pend_bit(3, DOORBELL(4)));
    ck_assert_uint_eq(gicr_rd32(3, GICR_VSGIPENDR), 1u << 3 | 1u << 5);
    /* Loaded: both are there; a 32-bit write of GITS_SGIR does nothing. */
    v41_schedule(3, 4, V41_VGRP0EN | V41_VGRP1EN);
    gits_wr32(GITS_SGIR, 6);
    ck_assert_uint_eq(gicr_rd32(3, GICR_VSGIPENDR), 1u << 3 | 1u << 5);
    /* An unmapped vPE's pending bits read 0. */
    gicr_wr32(3, GICR_VSGIR, 9);
    ck_assert_uint_eq(gicr_rd32(3, GICR_VSGIPENDR), 0);
}
END_TEST

START_TEST(test_v41_invdb_rereads_the_doorbell_byte)
{
    v41_ready();
    cmd_vmapp41(1, 0, DOORBELL(1), true);
    v41_vconf(LPI(3), 0xa0, true);
    cmd_vmapti(1, 0, 1, LPI(3));
    prop_set(DOORBELL(1), 0x80, false);
    its_cmd(CMD_INVDB, 1ull << 32, 0, 0);
    v41_schedule(0, 1, V41_VGRP1EN);
    v41_deschedule(0, true);
    gic_its_msi(g, 1, 0);
    ck_assert(pend_bit(0, DOORBELL(1))); /* pending, but disabled */
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS);
    prop_set(DOORBELL(1), 0x80, true);
    ck_assert_uint_eq(hppir1(0), GIC_SPURIOUS); /* the byte is cached */
    its_cmd(CMD_INVDB, 1ull << 32, 0, 0);
    ck_assert_uint_eq(hppir1(0), DOORBELL(1));
}
END_TEST

START_TEST(test_v41_invlpir_and_invallr_for_a_vpe)
{
    v41_ready();
    cmd_vmapp41(6, 1, NO_DOORBELL, true);
    v41_vconf(LPI(20), 0xa0, true);
    cmd_vmapti(1, 0, 6, LPI(20));
    v41_schedule(1, 6, V41_VGRP1EN);
    gic_its_msi(g, 1, 0);
    ck_assert_int_eq(gic_vlpi_best(g, 1), (int)LPI(20));
    v41_vconf(LPI(20), 0xa0, false);
    gicr_wr64(1, GICR_INVLPIR, V41_LPIR_V | 7ull << 32 | LPI(20)); /* another vPE: nothing */
    ck_assert_int_eq(gic_vlpi_best(g, 1), (int)LPI(20));
    gicr_wr64(1, GICR_INVLPIR, LPI(20)); /* V 0: a physical LPI */
    ck_assert_int_eq(gic_vlpi_best(g, 1), (int)LPI(20));
    gicr_wr64(1, GICR_INVLPIR, V41_LPIR_V | 6ull << 32 | LPI(20));
    ck_assert_int_eq(gic_vlpi_best(g, 1), -1);
    v41_vconf(LPI(20), 0x40, true);
    gicr_wr64(1, GICR_INVALLR, V41_LPIR_V | 6ull << 32);
    ck_assert_int_eq(gic_vlpi_best(g, 1), (int)LPI(20));
    ck_assert_uint_eq(gic_vlpi_priority(g, 1, LPI(20)), 0x40);
}
END_TEST

START_TEST(test_v41_vmovp_moves_and_sets_default_doorbell)
{
    v41_ready();
    cmd_vmapp41(2, 0, DOORBELL(2), true);
    its_cmd(CMD_VMOVP, 2ull << 32, 1ull << 63 | 3ull << 16, DOORBELL(6));
    uint64_t e = VT41_PA + 2 * 32;
    ck_assert_uint_eq(ram_load64(e) & 0xFFFF, 3);
    ck_assert_uint_eq(ram_load64(e + 24), DOORBELL(6));
    its_cmd(CMD_VMOVP, 2ull << 32, 1ull << 16, DOORBELL(7)); /* D 0: the doorbell stays */
    ck_assert_uint_eq(ram_load64(e) & 0xFFFF, 1);
    ck_assert_uint_eq(ram_load64(e + 24), DOORBELL(6));
    ck_assert_uint_eq(rig.notices, 0);
}
END_TEST

START_TEST(test_v41_command_errors)
{
    v41_ready();
    its_cmd(CMD_VMAPP | VCONF41_PA, 5000 | 1ull << 32, 1ull << 63, VPT41_PA(1) | 15);
    ck_assert(noticed(0x012906)); /* the doorbell is not an LPI */
    its_cmd(CMD_VSGI, 9ull << 32, 0, 0);
    ck_assert(noticed(0x01230A)); /* vPE 9 not mapped */
    its_cmd(CMD_INVDB, 9ull << 32, 0, 0);
    ck_assert(noticed(0x012E0A));
    /* Under GICv4.0 VSGI and INVDB do not exist: ignored without an error. */
    make_gic(NUM_PES, 16, true, GIC_V4, 5);
    rig.notices = 0;
    its_ready();
    its_cmd(CMD_VSGI, 9ull << 32, 0, 0);
    its_cmd(CMD_INVDB, 9ull << 32, 0, 0);
    ck_assert_uint_eq(rig.notices, 0);
}
END_TEST

/* GICv4.1 under random use: vPE tables, VPTs and configuration tables
 * anywhere, random vPE commands (and garbage), residency changes by random
 * vPEIDs, vSGIs, MSIs and the V forms of INVLPIR/INVALLR: no crash (the
 * ASan build checks every access), the HPPI invariant holds. */
START_TEST(test_v41_random_never_crash)
{
    static const unsigned vcmds[] = {CMD_VMAPP, CMD_VMAPTI, 0x2B,     0x21,     CMD_VMOVP,
                                     0x25,      0x2D,       CMD_VSGI, CMD_INVDB};
    v41_ready();
    for (unsigned n = 0; n < 4; n++)
        cmd_vmapp41(n, n, DOORBELL(n), true);
    for (unsigned seed = 1; seed <= 3; seed++) {
        rng_state = 0x94D049BB133111EBull * seed;
        for (unsigned step = 0; step < 400; step++) {
            unsigned pe = (unsigned)rnd_below(NUM_PES);
            uint64_t vpeid = rnd_below(8) ? rnd_below(6) : rnd() & 0xFFFF;
            switch (rnd_below(9)) {
            case 0:
                if (rnd_below(4) == 0)
                    gits_wr64(GITS_BASER(2), (rnd() & ~0x000FFFFFFFFFF000ull) | rnd_address());
                else
                    gicr_wr64(pe, GICR_VPROPBASER,
                              rnd_below(3) ? V41_VALID | VT41_PA : rnd() | rnd_address());
                break;
            case 1: {
                uint64_t grps = rnd() & (V41_VGRP0EN | V41_VGRP1EN | V41_DB | V41_PL);
                gicr_wr64(pe, GICR_VPENDBASER, (rnd_below(2) ? V41_VALID : 0) | grps | vpeid);
                break;
            }
            case 2: gits_wr64(GITS_SGIR, vpeid << 32 | rnd_below(16)); break;
            case 3:
                gicr_wr32(pe, GICR_VSGIR, (uint32_t)vpeid);
                (void)gicr_rd32(pe, GICR_VSGIPENDR);
                break;
            case 4:
                gicr_wr64(pe, rnd_below(2) ? GICR_INVLPIR : GICR_INVALLR,
                          V41_LPIR_V | vpeid << 32 | rnd_intid());
                break;
            case 5: gic_its_msi(g, 1, rnd_eventid() % 8); break;
            case 6:
                v41_vconf(LPI((unsigned)rnd_below(16)), (uint8_t)(rnd() & 0xF0), rnd_below(2));
                break;
            default: {
                for (unsigned c = 0; c < 1 + rnd_below(3); c++) {
                    unsigned cmd = vcmds[rnd_below(9)];
                    uint64_t dw0 = cmd | (rnd_below(3) ? VCONF41_PA : rnd_address() & ~0xFFFFull) |
                                   (rnd() & 0xF00F00F00ull & ~0xFFull) | 1ull << 32;
                    uint64_t dw1 =
                        rnd_below(8) | vpeid << 32 | (rnd_below(2) ? DOORBELL(0) : rnd_intid());
                    uint64_t dw2 = (rnd_below(3) ? LPI(rnd_below(16)) : rnd()) |
                                   rnd_rdbase() << 16 | (rnd_below(4) ? 1ull << 63 : 0);
                    uint64_t dw3 =
                        (rnd_below(3) ? VPT41_PA(vpeid % 4) : rnd_address()) | rnd_below(20);
                    if (rnd_below(10) == 0)
                        dw0 = rnd(), dw1 = rnd(), dw2 = rnd(), dw3 = rnd();
                    its_queue(dw0, dw1, dw2, dw3);
                }
                its_kick();
                for (unsigned n = 0; n < 64 && gic_its_busy(g); n++)
                    gic_its_step(g);
                break;
            }
            }
            uint64_t intid = iar1(pe);
            if (intid != GIC_SPURIOUS)
                eoir1(pe, (unsigned)intid);
            char why[160];
            ck_assert_msg(gic_hppi_check(g, why, sizeof why), "seed %u step %u: %s", seed, step,
                          why);
        }
    }
    FILE *f = fopen("/dev/null", "w");
    ck_assert_ptr_nonnull(f);
    for (unsigned pe = 0; pe < NUM_PES; pe++)
        gic_explain(g, pe, 0, f);
    fclose(f);
}
END_TEST

static Suite *gic_its_suite(void)
{
    Suite *s = suite_create("gic_its");

    TCase *id = tcase_create("id");
    tcase_add_checked_fixture(id, setup, teardown);
    tcase_add_test(id, test_gicd_typer_reports_lpis_and_idbits);
    tcase_add_test(id, test_gicd_typer_without_lpis);
    tcase_add_test(id, test_gicr_typer_reports_plpis_and_directlpi);
    tcase_add_test(id, test_gicr_lpi_registers_raz_wi_without_lpis);
    tcase_add_test(id, test_gits_typer_fields);
    tcase_add_test(id, test_gits_baser_type_and_entry_size_read_only);
    tcase_add_test(id, test_gits_baser_unimplemented_raz_wi);
    tcase_add_test(id, test_gits_pidr2_archrev);
    tcase_add_test(id, test_icc_ctlr_idbits_follow_lpi_bits);
    tcase_add_test(id, test_gits_reset_values);
    tcase_add_test(id, test_gits_cbaser_writable_fields);
    tcase_add_test(id, test_gits_creadr_is_read_only);
    tcase_add_test(id, test_no_its_frame_raz_wi);
    suite_add_tcase(s, id);

    TCase *lpi = tcase_create("lpi");
    tcase_add_checked_fixture(lpi, setup, teardown);
    tcase_add_test(lpi, test_propbaser_pendbaser_read_back_writable_fields);
    tcase_add_test(lpi, test_propbaser_32bit_halves);
    tcase_add_test(lpi, test_lpi_base_registers_fixed_while_enabled);
    tcase_add_test(lpi, test_enable_loads_pending_table);
    tcase_add_test(lpi, test_enable_with_ptz_ignores_pending_table);
    tcase_add_test(lpi, test_setlpir_clrlpir_write_through);
    tcase_add_test(lpi, test_setlpir_32bit_write);
    tcase_add_test(lpi, test_disabled_lpi_is_pending_but_never_hppi);
    tcase_add_test(lpi, test_invlpir_rereads_the_property_byte);
    tcase_add_test(lpi, test_invlpir_reorders_by_new_priority);
    tcase_add_test(lpi, test_invallr_rereads_every_property_byte);
    tcase_add_test(lpi, test_lpi_priority_order_and_ties);
    tcase_add_test(lpi, test_lpi_priority_keeps_implemented_bits);
    tcase_add_test(lpi, test_spi_beats_lpi_of_equal_priority);
    tcase_add_test(lpi, test_iar1_acknowledges_lpi_and_clears_pending_bit);
    tcase_add_test(lpi, test_iar0_never_returns_lpi);
    tcase_add_test(lpi, test_pmr_masks_lpi);
    tcase_add_test(lpi, test_group1_disable_hides_lpi);
    tcase_add_test(lpi, test_propbaser_idbits_bounds_the_lpis);
    tcase_add_test(lpi, test_propbaser_idbits_below_14_gives_no_lpis);
    tcase_add_test(lpi, test_setlpir_ignored_while_lpis_disabled);
    tcase_add_test(lpi, test_setlpir_of_non_lpi_ignored);
    tcase_add_test(lpi, test_lpi_bits_20_reach_the_top_intid);
    tcase_add_test(lpi, test_pending_table_first_kib_untouched);
    tcase_add_test(lpi, test_disable_then_enable_reloads_pending);
    suite_add_tcase(s, lpi);

    TCase *cmd = tcase_create("commands");
    tcase_add_checked_fixture(cmd, setup, teardown);
    tcase_add_test(cmd, test_msi_delivers_lpi_to_collection_pe);
    tcase_add_test(cmd, test_mapping_commands_write_documented_entries);
    tcase_add_test(cmd, test_mapi_maps_eventid_as_lpi);
    tcase_add_test(cmd, test_translater_write_is_device_0);
    tcase_add_test(cmd, test_int_and_clear);
    tcase_add_test(cmd, test_inv_after_property_change);
    tcase_add_test(cmd, test_invall_rereads_the_collection_pe);
    tcase_add_test(cmd, test_movi_moves_pending_lpi);
    tcase_add_test(cmd, test_movall_moves_every_pending_lpi);
    tcase_add_test(cmd, test_discard_removes_mapping_and_pending_state);
    tcase_add_test(cmd, test_sync_completes_without_error);
    tcase_add_test(cmd, test_mapd_invalid_unmaps_device);
    tcase_add_test(cmd, test_mapc_invalid_unmaps_collection);
    tcase_add_test(cmd, test_unmapped_msi_dropped);
    tcase_add_test(cmd, test_its_reads_tables_afresh);
    tcase_add_test(cmd, test_msi_to_pe_without_lpis_dropped);
    suite_add_tcase(s, cmd);

    TCase *tables = tcase_create("tables");
    tcase_add_checked_fixture(tables, setup, teardown);
    tcase_add_test(tables, test_flat_device_table_4k);
    tcase_add_test(tables, test_flat_device_table_16k);
    tcase_add_test(tables, test_flat_device_table_64k);
    tcase_add_test(tables, test_flat_device_table_size_counts_pages);
    tcase_add_test(tables, test_indirect_device_table_4k);
    tcase_add_test(tables, test_indirect_device_table_64k);
    tcase_add_test(tables, test_indirect_device_table_reaches_devbits);
    tcase_add_test(tables, test_indirect_collection_table);
    suite_add_tcase(s, tables);

    TCase *queue = tcase_create("queue");
    tcase_add_checked_fixture(queue, setup, teardown);
    tcase_add_test(queue, test_creadr_advances_32_per_command);
    tcase_add_test(queue, test_creadr_wraps_at_queue_end);
    tcase_add_test(queue, test_queue_size_counts_pages);
    tcase_add_test(queue, test_cbaser_write_resets_creadr);
    tcase_add_test(queue, test_cwriter_beyond_queue_stalls_until_retry);
    tcase_add_test(queue, test_cbaser_write_clears_stall);
    tcase_add_test(queue, test_quiescent_while_commands_wait);
    tcase_add_test(queue, test_disabled_its_processes_nothing_and_drops_msis);
    tcase_add_test(queue, test_invalid_cbaser_processes_nothing);
    tcase_add_test(queue, test_unknown_command_skipped);
    suite_add_tcase(s, queue);

    TCase *err = tcase_create("errors");
    tcase_add_checked_fixture(err, setup, teardown);
    tcase_add_test(err, test_error_mapd_device_oor);
    tcase_add_test(err, test_error_mapd_deviceid_beyond_devbits);
    tcase_add_test(err, test_error_mapd_itt_size);
    tcase_add_test(err, test_error_mapc_processor_number);
    tcase_add_test(err, test_error_mapc_collection_oor);
    tcase_add_test(err, test_error_mapti_unmapped_device);
    tcase_add_test(err, test_error_mapti_eventid_oor);
    tcase_add_test(err, test_error_mapti_pintid_below_lpis);
    tcase_add_test(err, test_error_mapti_pintid_beyond_lpis);
    tcase_add_test(err, test_error_mapti_collection_oor);
    tcase_add_test(err, test_error_mapi_unmapped_device);
    tcase_add_test(err, test_error_mapi_pintid_oor);
    tcase_add_test(err, test_error_int_unmapped_event);
    tcase_add_test(err, test_error_int_eventid_oor);
    tcase_add_test(err, test_error_int_unmapped_device);
    tcase_add_test(err, test_error_int_unmapped_collection);
    tcase_add_test(err, test_error_clear_unmapped_event);
    tcase_add_test(err, test_error_inv_unmapped_event);
    tcase_add_test(err, test_error_invall_unmapped_collection);
    tcase_add_test(err, test_error_movi_unmapped_event);
    tcase_add_test(err, test_error_movi_unmapped_collection);
    tcase_add_test(err, test_error_movall_processor_oor);
    tcase_add_test(err, test_error_movall_second_processor_oor);
    tcase_add_test(err, test_error_discard_unmapped_event);
    tcase_add_test(err, test_error_notice_names_command_and_offset);
    suite_add_tcase(s, err);

    TCase *rob = tcase_create("robustness");
    tcase_add_checked_fixture(rob, setup, teardown);
    tcase_set_timeout(rob, 120);
    tcase_add_test(rob, test_random_commands_keep_invariants);
    tcase_add_test(rob, test_random_table_addresses_never_crash);
    tcase_add_test(rob, test_no_memory_callbacks);
    tcase_add_test(cmd, test_vpe_residency_completes_later);
    suite_add_tcase(s, rob);

    TCase *v41 = tcase_create("gicv4.1");
    tcase_add_checked_fixture(v41, setup, teardown);
    tcase_set_timeout(v41, 120);
    tcase_add_test(v41, test_v41_identification);
    tcase_add_test(v41, test_v40_vmapp_entry_layout);
    tcase_add_test(v41, test_v41_vmapp_entry_and_residency_by_vpeid);
    tcase_add_test(v41, test_v41_default_doorbell_rings_once);
    tcase_add_test(v41, test_v41_no_doorbell_unless_asked_grouped_and_enabled);
    tcase_add_test(v41, test_v41_vsgi_configure_send_and_read_pending);
    tcase_add_test(v41, test_v41_invdb_rereads_the_doorbell_byte);
    tcase_add_test(v41, test_v41_invlpir_and_invallr_for_a_vpe);
    tcase_add_test(v41, test_v41_vmovp_moves_and_sets_default_doorbell);
    tcase_add_test(v41, test_v41_command_errors);
    tcase_add_test(v41, test_v41_random_never_crash);
    suite_add_tcase(s, v41);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(gic_its_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
