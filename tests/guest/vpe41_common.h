/* GICv4.1 direct injection for an EL2 host (the vgic_v41_* guests), after
 * Linux's drivers/irqchip/irq-gic-v3-its.c (its_vpe_4_1_schedule,
 * its_vpe_4_1_deschedule, its_build_vmapp_cmd, its_build_vsgi_cmd,
 * inherit_vpe_l1_table_from_its) and KVM's vgic-v4.c. What changes from
 * GICv4.0 (vpe_common.h):
 *
 *  - the ITS and the redistributors share the vPE table (GITS_TYPER.SVPET):
 *    each GICR_VPROPBASER describes it, as the ITS's GITS_BASER2 does, and
 *    a vPE is made resident by its vPEID (GICR_VPENDBASER.VPEID), not by
 *    its VPT address;
 *  - VMAPP also gives the VM's vLPI configuration table and the vPE's one
 *    default doorbell; events map with no doorbell (1023);
 *  - making a vPE non-resident with GICR_VPENDBASER.DB = 1 asks for the
 *    default doorbell: it rings once, at the first interrupt that becomes
 *    pending for the vPE in an enabled group (VGRP0EN/VGRP1EN as written
 *    then), unless PendingLast reads 1, which says one is pending already;
 *  - vSGIs: the VSGI command configures one (priority, group, enable), a
 *    write of GITS_SGIR (in the ITS's third 64 KiB frame) makes it pending,
 *    and a resident vPE gets it straight from the redistributor, with no
 *    list register and no active state.
 *
 * On a64sim's board with --gic v4.1 the ITS is at 0x0805_0000 (docs/gic.md).
 * Include this header (not vpe_common.h) from one file per guest. */
#ifndef VPE41_COMMON_H
#define VPE41_COMMON_H

#define GITS_BASE 0x08050000ul
#ifndef GIC_V4
#define GIC_V4 /* the redistributor stride of GICv4 */
#endif
#include "its_common.h"
#include "vpe_host.h"

#define GICR_VLPI(pe)     (ITS_GICR_RD(pe) + 0x20000ul)
#define GICR_VPROPBASER   0x0070
#define GICR_VPENDBASER   0x0078
#define GICR_VSGIR        0x0080
#define GICR_VSGIPENDR    0x0088
#define GICR_TYPER_RVPEID (1ull << 7)
#define GITS_TYPER_VMAPP  (1ull << 40)
#define GITS_SGIR         0x20020

/* GICR_VPROPBASER and GICR_VPENDBASER, GICv4.1 layouts. */
#define VPROP41_VALID    (1ull << 63)
#define VPROP41_INDIRECT (1ull << 55)
#define VPROP41_PSZ(p)   ((uint64_t)(p) << 53)
#define VPEND41_VALID    (1ull << 63)
#define VPEND41_DB       (1ull << 62)
#define VPEND41_PL       (1ull << 61)
#define VPEND41_DIRTY    (1ull << 60)
#define VPEND41_VGRP0EN  (1ull << 59)
#define VPEND41_VGRP1EN  (1ull << 58)

#define ITS_CMD_VMAPP  0x29
#define ITS_CMD_VMAPTI 0x2a
#define ITS_CMD_VSYNC  0x25
#define ITS_CMD_VSGI   0x23
#define ITS_CMD_INVDB  0x2e

#define VLPI_ID_BITS 14u
#define VPE_DB_NONE  1023u
#define VPE_SPIN     1000000u
#ifndef VPE_MAX
#define VPE_MAX 1
#endif

static volatile uint64_t vpe_table[ITS_TABLE_BYTES / 8] __attribute__((aligned(0x10000)));
static volatile uint8_t vpe_vprop[(1u << VLPI_ID_BITS) - LPI_BASE]
    __attribute__((aligned(0x10000)));
static volatile uint8_t vpe_vpts[VPE_MAX][ITS_TABLE_BYTES] __attribute__((aligned(0x10000)));
static unsigned vpe_stuck;

#define ITS_VPEID(id) ((uint64_t)(id) << 32)

/* VMAPP, GICv4.1 form: the VM's vLPI configuration table, Alloc, the default doorbell. */
static inline void its_vmapp41(unsigned vpeid, unsigned pe, unsigned doorbell)
{
    its_cmd(ITS_CMD_VMAPP | (1ull << 8) | ((uint64_t)(uintptr_t)vpe_vprop & 0xfffffffff0000ull),
            ITS_VPEID(vpeid) | doorbell, (1ull << 63) | ITS_RDBASE(pe),
            ((uint64_t)(uintptr_t)vpe_vpts[vpeid] & 0xfffffffff0000ull) | (VLPI_ID_BITS - 1));
}

static inline void its_vmapti41(uint32_t devid, uint32_t eventid, unsigned vpeid, uint32_t vintid)
{
    its_cmd(ITS_DEVID(ITS_CMD_VMAPTI, devid), eventid | ITS_VPEID(vpeid),
            vintid | ((uint64_t)VPE_DB_NONE << 32), 0);
}

static inline void its_vsync41(unsigned vpeid)
{
    its_cmd(ITS_CMD_VSYNC, ITS_VPEID(vpeid), 0, 0);
}

/* VSGI: vSGI sgi of vPE gets priority prio (its top four bits), group, enable. */
static inline void its_vsgi(unsigned vpeid, unsigned sgi, uint8_t prio, bool group1, bool enable)
{
    its_cmd(ITS_CMD_VSGI | ((uint64_t)sgi << 32) | ((uint64_t)(prio >> 4) << 20) |
                ((uint64_t)group1 << 10) | ((uint64_t)enable << 8),
            ITS_VPEID(vpeid), 0, 0);
}

/* INVDB: the redistributors re-read the property byte of vPE's default doorbell. */
static inline void its_invdb(unsigned vpeid)
{
    its_cmd(ITS_CMD_INVDB, ITS_VPEID(vpeid), 0, 0);
}

/* A vSGI for vPE, as a hypervisor sends one for its guest's ICC_SGI1R_EL1. */
static inline void vsgi_send(unsigned vpeid, unsigned sgi)
{
    mmio_write(GITS_BASE + GITS_SGIR, 8, ITS_VPEID(vpeid) | sgi);
}

static inline void vlpi_config41(uint32_t vintid, uint8_t priority, bool enable)
{
    vpe_vprop[vintid - LPI_BASE] = (uint8_t)((priority & 0xfc) | LPI_PROP_RES1 | enable);
    its_dsb();
}

/* GICv4.1 here: GITS_TYPER.VMAPP and PE's GICR_TYPER.RVPEID. */
static inline bool vpe41_supported(unsigned pe)
{
    return (mmio_read(GITS_BASE + GITS_TYPER, 8) & GITS_TYPER_VMAPP) &&
           (mmio_read(ITS_GICR_RD(pe) + ITS_GICR_TYPER, 8) & GICR_TYPER_RVPEID);
}

/* The host's LPIs on PE, the vPE table behind GITS_BASER2 (while the ITS is off), the ITS,
 * and PE's GICR_VPROPBASER inherited from GITS_BASER2, as Linux's
 * inherit_vpe_l1_table_from_its() does. Returns GICR_VPROPBASER, 0 when there is no table. */
static inline uint64_t vpe41_host_init(unsigned pe)
{
    its_lpi_setup(pe);
    wr32(GITS_BASE + GITS_CTLR, rd32(GITS_BASE + GITS_CTLR) & ~GITS_CTLR_ENABLED);
    uint64_t baser = its_baser_setup(2, vpe_table, false);
    its_init();
    if (!baser)
        return 0;
    uint64_t v = VPROP41_VALID | VPROP41_PSZ(GITS_BASER_PSZ(baser)) |
                 ((uint64_t)(uintptr_t)vpe_table & 0xffffffffff000ull) | (baser & 0xff);
    mmio_write(GICR_VLPI(pe) + GICR_VPROPBASER, 8, v);
    return mmio_read(GICR_VLPI(pe) + GICR_VPROPBASER, 8);
}

static inline uint64_t vpe41_wait_clean(unsigned pe)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < VPE_SPIN; i++) {
        v = mmio_read(GICR_VLPI(pe) + GICR_VPENDBASER, 8);
        if (!(v & VPEND41_DIRTY))
            return v;
    }
    vpe_stuck++;
    printf("GICv4.1: GICR_VPENDBASER of PE %u still Dirty: 0x%lx\n", pe, (unsigned long)v);
    return v;
}

/* its_vpe_4_1_schedule(): Valid, both group enables, the vPEID; then wait for Dirty 0. */
static inline uint64_t vpe41_schedule(unsigned pe, unsigned vpeid)
{
    mmio_write(GICR_VLPI(pe) + GICR_VPENDBASER, 8,
               VPEND41_VALID | VPEND41_VGRP0EN | VPEND41_VGRP1EN | vpeid);
    return vpe41_wait_clean(pe);
}

/* its_vpe_4_1_deschedule(): Valid cleared; blocking (need_db): DB set and PendingLast
 * cleared, else PendingLast set ("we'll be back", no doorbell). Returns the register once
 * Dirty is 0: with need_db, PendingLast 0 promises a doorbell at the next interrupt. */
static inline uint64_t vpe41_deschedule(unsigned pe, bool need_db)
{
    uintptr_t reg = GICR_VLPI(pe) + GICR_VPENDBASER;
    uint64_t v = mmio_read(reg, 8) & ~(VPEND41_VALID | VPEND41_DB | VPEND41_PL);
    mmio_write(reg, 8, v | (need_db ? VPEND41_DB : VPEND41_PL));
    return vpe41_wait_clean(pe);
}

#endif
