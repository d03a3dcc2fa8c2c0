/* A small ITS and LPI driver for the guests (tests/guest/its_*.c), after
 * Linux's drivers/irqchip/irq-gic-v3-its.c: the board's ITS registers, the
 * LPI tables of the redistributors (IHI 0069, "LPIs": the LPI Configuration
 * table and the LPI Pending tables), the ITS tables (IHI 0069, "The ITS
 * tables": GITS_BASER<n>, flat or two-level) and the command queue with one
 * function per command (IHI 0069, "ITS commands").
 *
 * Everything is sized from the ID registers, as Linux does: GITS_TYPER
 * (ITT_entry_size, Devbits, PTA), GITS_BASER<n>.Type and Entry_Size, and the
 * page size that sticks in each GITS_BASER<n>. Tables live in .bss with the
 * alignment the architecture asks for; the guests run with the MMU off, so
 * every table access is a Device access and needs no cache maintenance.
 *
 * Defines before the include:
 *   GIC_V4          the redistributors are 0x40000 apart (RD, SGI, VLPI and
 *                   reserved frames) instead of GICv3's 0x20000
 *   ITS_DT_INDIRECT ask for a two-level device table (GITS_BASER.Indirect);
 *                   its_mapd() then allocates level-2 tables on demand
 *   ITS_MAX_PES     how many redistributors get an LPI Pending table (4)
 *
 * its_init() leaves the vPE table (GITS_BASER<n>.Type 2) alone: GICv4 code
 * programs it with its_baser_setup() before calling its_init(), since a
 * GITS_BASER<n> is only writable while GITS_CTLR.Enabled is 0.
 *
 * Include this header from one file per guest: it defines the tables. */
#ifndef ITS_COMMON_H
#define ITS_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "gic_common.h"

/* The ITS control frame; GITS_TRANSLATER is in the second 64 KiB frame. */
#ifndef GITS_BASE
#define GITS_BASE 0x08080000ul
#endif
#define GITS_CTLR       0x0000
#define GITS_IIDR       0x0004
#define GITS_TYPER      0x0008
#define GITS_CBASER     0x0080
#define GITS_CWRITER    0x0088
#define GITS_CREADR     0x0090
#define GITS_BASER(n)   (0x0100 + 8 * (n))
#define GITS_TRANSLATER 0x10040

#define GITS_CTLR_ENABLED   (1u << 0)
#define GITS_CTLR_QUIESCENT (1u << 31)

/* GITS_TYPER fields. */
#define GITS_TYPER_PHYSICAL   (1ull << 0)
#define GITS_TYPER_VIRTUAL    (1ull << 1)
#define GITS_TYPER_ITT_ESZ(t) ((unsigned)(((t) >> 4) & 0xf) + 1)   /* bytes */
#define GITS_TYPER_IDBITS(t)  ((unsigned)(((t) >> 8) & 0x1f) + 1)  /* EventID bits */
#define GITS_TYPER_DEVBITS(t) ((unsigned)(((t) >> 13) & 0x1f) + 1) /* DeviceID bits */
#define GITS_TYPER_PTA        (1ull << 19)
#define GITS_TYPER_HCC(t)     ((unsigned)(((t) >> 24) & 0xff))

/* GITS_BASER<n> fields. */
#define GITS_BASER_VALID       (1ull << 63)
#define GITS_BASER_INDIRECT    (1ull << 62)
#define GITS_BASER_INNER_NC    (1ull << 59) /* InnerCache 0b001: Normal Non-cacheable */
#define GITS_BASER_TYPE(v)     ((unsigned)((v) >> 56) & 7)
#define GITS_BASER_TYPE_MASK   (7ull << 56)
#define GITS_BASER_ESZ(v)      ((unsigned)(((v) >> 48) & 0x1f) + 1)
#define GITS_BASER_ESZ_MASK    (0x1full << 48)
#define GITS_BASER_PSZ(v)      ((unsigned)((v) >> 8) & 3)
#define GITS_BASER_TYPE_NONE   0
#define GITS_BASER_TYPE_DEVICE 1
#define GITS_BASER_TYPE_VPE    2
#define GITS_BASER_TYPE_COLL   4
#define GITS_LVL1_VALID        (1ull << 63) /* a level-1 entry of a two-level table */

#define GITS_CBASER_VALID    (1ull << 63)
#define GITS_CBASER_INNER_NC (1ull << 59)
#define GITS_CREADR_STALLED  1ull
#define GITS_CQ_OFFSET_MASK  0xfffe0ull /* CWRITER/CREADR.Offset [19:5] */

/* The redistributors: RD_base of PE pe. */
#define ITS_GICR_BASE 0x080a0000ul
#ifdef GIC_V4
#define ITS_GICR_STRIDE 0x40000ul
#else
#define ITS_GICR_STRIDE 0x20000ul
#endif
#define ITS_GICR_RD(pe) (ITS_GICR_BASE + (uintptr_t)(pe)*ITS_GICR_STRIDE)

#define ITS_GICR_CTLR         0x0000
#define ITS_GICR_TYPER        0x0008
#define ITS_GICR_WAKER        0x0014
#define ITS_GICR_PROPBASER    0x0070
#define ITS_GICR_PENDBASER    0x0078
#define GICR_CTLR_ENABLE_LPIS (1u << 0)
#define GICR_TYPER_PLPIS      (1ull << 0)

#define GICR_PROPBASER_INNER_NC (1ull << 7) /* InnerCache [9:7] 0b001 */
#define GICR_PENDBASER_INNER_NC (1ull << 7)

#define GICD_TYPER_LPIS      (1u << 17)
#define GICD_TYPER_IDBITS(t) ((((t) >> 19) & 0x1f) + 1)

/* ITS command numbers (IHI 0069, "ITS command descriptions"). */
#define ITS_CMD_MOVI    0x01
#define ITS_CMD_INT     0x03
#define ITS_CMD_CLEAR   0x04
#define ITS_CMD_SYNC    0x05
#define ITS_CMD_MAPD    0x08
#define ITS_CMD_MAPC    0x09
#define ITS_CMD_MAPTI   0x0a
#define ITS_CMD_MAPI    0x0b
#define ITS_CMD_INV     0x0c
#define ITS_CMD_INVALL  0x0d
#define ITS_CMD_MOVALL  0x0e
#define ITS_CMD_DISCARD 0x0f

/* LPIs: INTIDs 8192 up to 2^ITS_LPI_ID_BITS - 1. */
#define LPI_BASE        8192u
#define ITS_LPI_ID_BITS 14u
#define LPI_COUNT       ((1u << ITS_LPI_ID_BITS) - LPI_BASE)
#define LPI_PROP_RES1   (1u << 1) /* Configuration table byte: bit 1 is RES1 */
#define LPI_PROP_ENABLE (1u << 0)

#ifndef ITS_MAX_PES
#define ITS_MAX_PES 4
#endif

/* An ITT for 2^bits EventIDs: ITT_entry_size is at most 16 bytes (a 4-bit
 * field), and an ITT must be 256-byte aligned (MAPD's ITT_addr is bits
 * [51:8]). Guests declare theirs as
 *   static uint8_t itt[ITS_ITT_BYTES(bits)] ITS_ITT_ALIGNED; */
#define ITS_ITT_BYTES(bits) ((1u << (bits)) * 16u)
#define ITS_ITT_ALIGNED     __attribute__((aligned(256)))

/* Every ITS table and level-2 table is 64 KiB: one page of the largest page
 * size, and 64 KiB aligned, so that any page size GITS_BASER takes fits. */
#define ITS_TABLE_BYTES 0x10000u
#define ITS_CMDQ_BYTES  0x1000u /* one 4 KiB page: 128 commands */
#ifndef ITS_L2_PAGES
#define ITS_L2_PAGES 4
#endif
#define ITS_CMD_SPIN 1000000u /* CREADR polls before a command is reported as stuck */

/* The LPI Configuration table (shared by all redistributors; 4 KiB aligned,
 * GICR_PROPBASER.Physical_Address is bits [51:12]) and one LPI Pending table
 * per PE (64 KiB aligned, GICR_PENDBASER bits [51:16]). */
static volatile uint8_t its_prop_table[LPI_COUNT] __attribute__((aligned(0x1000)));
static volatile uint8_t its_pend_tables[ITS_MAX_PES][ITS_TABLE_BYTES]
    __attribute__((aligned(0x10000)));
static volatile uint64_t its_dev_table[ITS_TABLE_BYTES / 8] __attribute__((aligned(0x10000)));
static volatile uint64_t its_coll_table[ITS_TABLE_BYTES / 8] __attribute__((aligned(0x10000)));
static volatile uint64_t its_cmdq[ITS_CMDQ_BYTES / 8] __attribute__((aligned(0x1000)));
#ifdef ITS_DT_INDIRECT
static volatile uint64_t its_l2_pool[ITS_L2_PAGES][ITS_TABLE_BYTES / 8]
    __attribute__((aligned(0x10000)));
#endif

/* What its_init() learnt. */
static struct {
    uint64_t typer;
    unsigned ite_size;       /* ITT_entry_size in bytes */
    bool dt_indirect;        /* GITS_BASER.Indirect stuck for the device table */
    unsigned dt_psz, dt_esz; /* the device table's page size and entry size */
    unsigned l2_used;        /* level-2 tables taken from its_l2_pool */
    uint64_t cmd_off;        /* where the next command goes */
    unsigned stuck;          /* commands that did not complete */
} its;

static inline void its_dsb(void)
{
    __asm__ volatile("dsb sy" ::: "memory");
}

/* Wake PE pe's redistributor (GICR_WAKER.ProcessorSleep 0, then wait for
 * ChildrenAsleep 0) and give it the LPI tables: GICR_PROPBASER with IDbits
 * for 14-bit INTIDs (LPIs 8192..16383), GICR_PENDBASER with its own zeroed
 * Pending table, then GICR_CTLR.EnableLPIs (IHI 0069, "LPIs": both base
 * registers must be written while EnableLPIs is 0). PTZ is left 0: the table
 * is zeroed here. */
static inline void its_lpi_setup(unsigned pe)
{
    uintptr_t rd = ITS_GICR_RD(pe);
    wr32(rd + ITS_GICR_WAKER, rd32(rd + ITS_GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
    while (rd32(rd + ITS_GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
        ;
    for (unsigned i = 0; i < (1u << ITS_LPI_ID_BITS) / 8; i++)
        its_pend_tables[pe][i] = 0;
    its_dsb();
    uint64_t prop =
        (uint64_t)(uintptr_t)its_prop_table | GICR_PROPBASER_INNER_NC | (ITS_LPI_ID_BITS - 1);
    uint64_t pend = (uint64_t)(uintptr_t)its_pend_tables[pe] | GICR_PENDBASER_INNER_NC;
    mmio_write(rd + ITS_GICR_PROPBASER, 8, prop);
    mmio_write(rd + ITS_GICR_PENDBASER, 8, pend);
    wr32(rd + ITS_GICR_CTLR, rd32(rd + ITS_GICR_CTLR) | GICR_CTLR_ENABLE_LPIS);
    its_dsb();
}

/* Program GITS_BASER<n> for the 64 KiB table at TABLE (flat, or the level-1
 * table if INDIRECT), keeping its Type and Entry_Size: try 64 KiB pages,
 * then 16 KiB, then 4 KiB, until the Page_Size field keeps the value written
 * (as Linux's its_setup_baser does). Returns the value read back, 0 if no
 * page size stuck. Only while GITS_CTLR.Enabled is 0. */
static inline uint64_t its_baser_setup(unsigned n, volatile void *table, bool indirect)
{
    static const unsigned psz_code[3] = {2, 1, 0}; /* 64K, 16K, 4K */
    static const unsigned psz_bytes[3] = {0x10000, 0x4000, 0x1000};
    uintptr_t reg = GITS_BASE + GITS_BASER(n);
    uint64_t old = mmio_read(reg, 8);
    for (unsigned i = 0; i < 3; i++) {
        uint64_t v = GITS_BASER_VALID | (indirect ? GITS_BASER_INDIRECT : 0) | GITS_BASER_INNER_NC |
                     (old & (GITS_BASER_TYPE_MASK | GITS_BASER_ESZ_MASK)) |
                     (uint64_t)(uintptr_t)table | ((uint64_t)psz_code[i] << 8) |
                     (ITS_TABLE_BYTES / psz_bytes[i] - 1);
        mmio_write(reg, 8, v);
        uint64_t rb = mmio_read(reg, 8);
        if (GITS_BASER_PSZ(rb) == psz_code[i])
            return rb;
    }
    return 0;
}

static inline unsigned its_psz_bytes(uint64_t baser)
{
    unsigned code = GITS_BASER_PSZ(baser);
    return code == 0 ? 0x1000 : code == 1 ? 0x4000 : 0x10000;
}

/* Set up the ITS: the device and collection tables by GITS_BASER<n>.Type
 * (the device table two-level if ITS_DT_INDIRECT and GITS_BASER.Indirect
 * sticks), the command queue (GITS_CBASER, then GITS_CWRITER 0, which with
 * the CBASER write leaves GITS_CREADR 0), then GITS_CTLR.Enabled. */
static inline void its_init(void)
{
    its.typer = mmio_read(GITS_BASE + GITS_TYPER, 8);
    its.ite_size = GITS_TYPER_ITT_ESZ(its.typer);
    wr32(GITS_BASE + GITS_CTLR, rd32(GITS_BASE + GITS_CTLR) & ~GITS_CTLR_ENABLED);
    for (unsigned n = 0; n < 8; n++) {
        uint64_t baser = mmio_read(GITS_BASE + GITS_BASER(n), 8);
        unsigned type = GITS_BASER_TYPE(baser);
        if (type == GITS_BASER_TYPE_DEVICE) {
#ifdef ITS_DT_INDIRECT
            bool want_indirect = true;
#else
            bool want_indirect = false;
#endif
            uint64_t rb = its_baser_setup(n, its_dev_table, want_indirect);
            its.dt_indirect = (rb & GITS_BASER_INDIRECT) != 0;
            its.dt_psz = its_psz_bytes(rb);
            its.dt_esz = GITS_BASER_ESZ(rb);
        } else if (type == GITS_BASER_TYPE_COLL) {
            its_baser_setup(n, its_coll_table, false);
        }
    }
    mmio_write(GITS_BASE + GITS_CBASER, 8,
               GITS_CBASER_VALID | GITS_CBASER_INNER_NC | (uint64_t)(uintptr_t)its_cmdq |
                   (ITS_CMDQ_BYTES / 0x1000 - 1));
    mmio_write(GITS_BASE + GITS_CWRITER, 8, 0);
    its.cmd_off = 0;
    its_dsb();
    wr32(GITS_BASE + GITS_CTLR, rd32(GITS_BASE + GITS_CTLR) | GITS_CTLR_ENABLED);
}

/* Append one 32-byte command, move GITS_CWRITER past it, and wait until
 * GITS_CREADR reaches it (the ITS has consumed it), as Linux does. A
 * stalled queue (CREADR.Stalled) or a bounded spin running out is printed. */
static inline void its_cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
    volatile uint64_t *slot = &its_cmdq[its.cmd_off / 8];
    slot[0] = d0;
    slot[1] = d1;
    slot[2] = d2;
    slot[3] = d3;
    its.cmd_off = (its.cmd_off + 32) % ITS_CMDQ_BYTES;
    its_dsb();
    mmio_write(GITS_BASE + GITS_CWRITER, 8, its.cmd_off);
    uint64_t creadr = 0;
    for (unsigned i = 0; i < ITS_CMD_SPIN; i++) {
        creadr = mmio_read(GITS_BASE + GITS_CREADR, 8);
        if (creadr & GITS_CREADR_STALLED)
            break;
        if ((creadr & GITS_CQ_OFFSET_MASK) == its.cmd_off)
            return;
    }
    its.stuck++;
    printf("ITS: command 0x%02x not consumed: CREADR 0x%lx, CWRITER 0x%lx\n", (unsigned)(d0 & 0xff),
           (unsigned long)creadr, (unsigned long)its.cmd_off);
}

/* The RDbase field of MAPC, SYNC, MOVALL (and VMAPP, VMOVP) for PE pe, as it
 * goes in bits [51:16] of its doubleword: with GITS_TYPER.PTA 1 the
 * redistributor's physical address (bits [51:16] of it, so the address >> 16),
 * with PTA 0 its GICR_TYPER.Processor_Number. */
static inline uint64_t its_rdbase(unsigned pe)
{
    if (its.typer & GITS_TYPER_PTA)
        return (uint64_t)ITS_GICR_RD(pe) >> 16;
    return (mmio_read(ITS_GICR_RD(pe) + ITS_GICR_TYPER, 8) >> 8) & 0xffff;
}

#define ITS_DEVID(cmd, devid) ((uint64_t)(cmd) | ((uint64_t)(devid) << 32))
#define ITS_RDBASE(pe)        (its_rdbase(pe) << 16)

/* The device table entry's level-1 slot (two-level table): make sure it
 * points to a level-2 table, taking one from its_l2_pool if not. */
static inline void its_dt_l2_ensure(uint32_t devid)
{
#ifdef ITS_DT_INDIRECT
    if (!its.dt_indirect)
        return;
    uint32_t idx = devid / (its.dt_psz / its.dt_esz);
    if (idx >= ITS_TABLE_BYTES / 8) {
        printf("ITS: DeviceID 0x%x beyond the level-1 table\n", (unsigned)devid);
        return;
    }
    if (its_dev_table[idx] & GITS_LVL1_VALID)
        return;
    if (its.l2_used == ITS_L2_PAGES) {
        printf("ITS: out of level-2 device tables\n");
        return;
    }
    volatile uint64_t *l2 = its_l2_pool[its.l2_used++];
    for (unsigned i = 0; i < its.dt_psz / 8; i++)
        l2[i] = 0;
    its_dsb();
    its_dev_table[idx] = GITS_LVL1_VALID | (uint64_t)(uintptr_t)l2;
    its_dsb();
#else
    (void)devid;
#endif
}

/* MAPD: DeviceID -> ITT (2^eventid_bits entries, 256-byte aligned), or unmap. */
static inline void its_mapd(uint32_t devid, void *itt, unsigned eventid_bits, bool valid)
{
    if (valid)
        its_dt_l2_ensure(devid);
    its_cmd(ITS_DEVID(ITS_CMD_MAPD, devid), eventid_bits - 1,
            ((uint64_t)valid << 63) | ((uint64_t)(uintptr_t)itt & 0xfffffffffff00ull), 0);
}

/* MAPC: collection ICID -> PE's redistributor, or unmap. */
static inline void its_mapc(uint16_t icid, unsigned pe, bool valid)
{
    its_cmd(ITS_CMD_MAPC, 0, ((uint64_t)valid << 63) | ITS_RDBASE(pe) | icid, 0);
}

/* MAPTI: (DeviceID, EventID) -> LPI intid in collection icid. */
static inline void its_mapti(uint32_t devid, uint32_t eventid, uint32_t intid, uint16_t icid)
{
    its_cmd(ITS_DEVID(ITS_CMD_MAPTI, devid), eventid | ((uint64_t)intid << 32), icid, 0);
}

/* MAPI: (DeviceID, EventID) -> LPI EventID in collection icid. */
static inline void its_mapi(uint32_t devid, uint32_t eventid, uint16_t icid)
{
    its_cmd(ITS_DEVID(ITS_CMD_MAPI, devid), eventid, icid, 0);
}

/* MOVI: the event's LPI to collection icid (and its pending state with it). */
static inline void its_movi(uint32_t devid, uint32_t eventid, uint16_t icid)
{
    its_cmd(ITS_DEVID(ITS_CMD_MOVI, devid), eventid, icid, 0);
}

/* DISCARD: remove the event's mapping and the LPI's pending state. */
static inline void its_discard(uint32_t devid, uint32_t eventid)
{
    its_cmd(ITS_DEVID(ITS_CMD_DISCARD, devid), eventid, 0, 0);
}

/* INT: make the event's LPI pending, as an MSI from the device would. */
static inline void its_int(uint32_t devid, uint32_t eventid)
{
    its_cmd(ITS_DEVID(ITS_CMD_INT, devid), eventid, 0, 0);
}

/* CLEAR: remove the pending state of the event's LPI. */
static inline void its_clear(uint32_t devid, uint32_t eventid)
{
    its_cmd(ITS_DEVID(ITS_CMD_CLEAR, devid), eventid, 0, 0);
}

/* INV: the redistributor re-reads the event's LPI configuration. */
static inline void its_inv(uint32_t devid, uint32_t eventid)
{
    its_cmd(ITS_DEVID(ITS_CMD_INV, devid), eventid, 0, 0);
}

/* INVALL: re-read the configuration of every LPI in collection icid. */
static inline void its_invall(uint16_t icid)
{
    its_cmd(ITS_CMD_INVALL, 0, icid, 0);
}

/* SYNC: the effects of the earlier commands on PE's redistributor are visible. */
static inline void its_sync(unsigned pe)
{
    its_cmd(ITS_CMD_SYNC, 0, ITS_RDBASE(pe), 0);
}

/* MOVALL: every pending LPI of from_pe's redistributor moves to to_pe's. */
static inline void its_movall(unsigned from_pe, unsigned to_pe)
{
    its_cmd(ITS_CMD_MOVALL, 0, ITS_RDBASE(from_pe), ITS_RDBASE(to_pe));
}

/* The LPI's Configuration table byte: priority [7:2], bit 1 RES1, enable
 * [0]; then a DSB so that the redistributor (after an INV/INVALL) sees it. */
static inline void lpi_config(uint32_t intid, uint8_t priority, bool enable)
{
    its_prop_table[intid - LPI_BASE] = (uint8_t)((priority & 0xfc) | LPI_PROP_RES1 | enable);
    its_dsb();
}

/* The LPI's bit in PE's Pending table in memory. */
static inline bool lpi_pending_in_table(unsigned pe, uint32_t intid)
{
    its_dsb();
    return (its_pend_tables[pe][intid / 8] >> (intid % 8)) & 1;
}

/* An MSI: a 32-bit write of EventID to GITS_TRANSLATER. The DeviceID is the
 * writer's; on QEMU's virt board a CPU's write carries DeviceID 0. */
static inline void its_msi(uint32_t eventid)
{
    its_dsb();
    wr32(GITS_BASE + GITS_TRANSLATER, eventid);
}

#endif
