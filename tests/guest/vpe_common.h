/* GICv4.0 direct injection of virtual LPIs, for an EL2 host (the vgic_*
 * guests that run the reference hypervisor, tests/guest/hyp/), after Linux's
 * drivers/irqchip/irq-gic-v3-its.c and irq-gic-v4.c and KVM's vgic-v4.c.
 *
 * The model (IHI 0069, "Virtual LPIs" and "The ITS", GICv4.0):
 *
 *  - a vPE is a vCPU as the GIC sees it: a vPEID in the ITS's vPE table
 *    (GITS_BASER<n>.Type 2, entries IMPLEMENTATION DEFINED), mapped by VMAPP
 *    to one redistributor and to its virtual LPI Pending table (VPT);
 *  - VMAPTI maps (DeviceID, EventID) to a vINTID of a vPE and, in GICv4.0,
 *    to a doorbell: a physical LPI per event (1023: none);
 *  - the vPE is resident on a PE while that PE's GICR_VPENDBASER points at
 *    its VPT with Valid 1 (GICR_VPROPBASER names the VM's virtual LPI
 *    Configuration table). Then an MSI for it is a vLPI pending in the
 *    virtual CPU interface, taken by the guest through ICV_IAR1_EL1 with no
 *    list register and no hypervisor. Otherwise the vLPI is recorded in the
 *    VPT and, if the event has a doorbell, the doorbell LPI goes to the
 *    redistributor of the VMAPP, for the host to schedule the vCPU;
 *  - GICv4.0 has no "doorbells wanted" bit (GICv4.1's GICR_VPENDBASER.DB):
 *    a host that wants no doorbell for a vPE it deschedules disables the
 *    doorbell LPI in the LPI Configuration table, as Linux does for GICv4.0
 *    (its_make_vpe_non_resident() enables or disables the vPE's doorbell
 *    interrupt). The change needs an invalidation, and with no
 *    GICR_INVLPIR (GICR_TYPER.DirectLPI 0) the one way is an ITS INV on an
 *    event that maps the doorbell LPI: Linux's "vPE proxy device", here
 *    DeviceID VPE_PROXY_DEVID whose EventID n is mapped (MAPTI) to vPE n's
 *    doorbell. No MSI is ever sent to it; it only carries INV and CLEAR.
 *
 * Loading and putting a vPE (IHI 0069, GICR_VPENDBASER; the GICv3 and GICv4
 * Software Overview, "Scheduling a vPE"):
 *
 *   vpe_load(pe, vpe)  GICR_VPROPBASER, then GICR_VPENDBASER with Valid 1,
 *                      IDAI as read back at the last put (0 the first time:
 *                      the VPT was zeroed when it was allocated, so its
 *                      IMPLEMENTATION DEFINED area is valid), PendingLast 1
 *                      (a hint that the VPT may hold pending vLPIs, as
 *                      Linux writes it); wait for Dirty 0 (the redistributor
 *                      has parsed the VPT); then clear a doorbell still
 *                      pending from the time the vPE was out (KVM's
 *                      vgic_v4_load(), GICv4.0 only: CLEAR on the proxy).
 *   vpe_put(pe, db)    doorbell LPI enabled or disabled (+ INV), then Valid
 *                      written 0 with the other fields as read; wait for
 *                      Dirty 0: the VPT in memory is then complete, and
 *                      PendingLast says whether the vPE has a pending and
 *                      enabled vLPI; IDAI is kept for the next load.
 *
 * Memory: the vPE table, the VM's virtual LPI Configuration table and one
 * VPT per vPE are .bss, aligned as their base registers need; the guests run
 * with the MMU off, so no cache maintenance (as in its_common.h). vINTIDs
 * are 14 bits (8192-16383), as the host's LPIs.
 *
 * Include this header (instead of its_common.h) from one file per guest:
 * it defines the tables. vpe_host_init() stands for its_lpi_setup() and
 * its_init(): the vPE table's GITS_BASER<n> has to be programmed while the
 * ITS is off, so it does that first and then calls its_init(). The host_*
 * helpers at the end take the host's physical interrupts by polling with
 * PSTATE.I set, as a host that "sleeps" in WFI at EL2 does. */
#ifndef VPE_COMMON_H
#define VPE_COMMON_H

#ifndef GIC_V4
#define GIC_V4
#endif
#include "its_common.h"
#include "vpe_host.h"

/* The VLPI_base frame: the third 64 KiB frame of a GICv4 redistributor. */
#define GICR_VLPI(pe)    (ITS_GICR_RD(pe) + 0x20000ul)
#define GICR_VPROPBASER  0x0070
#define GICR_VPENDBASER  0x0078
#define GICR_TYPER_VLPIS (1ull << 1)
#define GITS_TYPER_VMOVP (1ull << 37)
#define ICH_VTR_EL2_NV4  (1ull << 20)

/* GICR_VPENDBASER, GICv4.0 layout. */
#define GICR_VPENDBASER_VALID       (1ull << 63)
#define GICR_VPENDBASER_IDAI        (1ull << 62)
#define GICR_VPENDBASER_PENDINGLAST (1ull << 61)
#define GICR_VPENDBASER_DIRTY       (1ull << 60)
#define GICR_VPENDBASER_INNER_NC    (1ull << 7) /* InnerCache [9:7] 0b001 */
#define GICR_VPROPBASER_INNER_NC    (1ull << 7)

/* The GICv4.0 ITS commands (IHI 0069, "ITS command descriptions"). */
#define ITS_CMD_VMOVI   0x21
#define ITS_CMD_VMOVP   0x22
#define ITS_CMD_VSYNC   0x25
#define ITS_CMD_VMAPP   0x29
#define ITS_CMD_VMAPTI  0x2a
#define ITS_CMD_VMAPI   0x2b
#define ITS_CMD_VINVALL 0x2d

#define VLPI_ID_BITS 14u   /* GICR_VPROPBASER.IDbits + 1, VMAPP VPT_size + 1 */
#define VPE_DB_NONE  1023u /* VMAPTI/VMAPI/VMOVI Dbell_pINTID: no doorbell */
#ifndef VPE_MAX
#define VPE_MAX 2
#endif
#define VPE_PROXY_DEVID      31u /* the doorbell proxy device (not DeviceID 0) */
#define VPE_PROXY_EVENT_BITS 4u  /* EventID n = vPEID n */
#define VPE_HOST_ICID        0u  /* the collection of the host's own LPIs */
#define VPE_DOORBELL_PRIO    0x80
#define VPE_SPIN             1000000u /* Dirty polls before a put or load is reported stuck */

/* The vPE table: one 64 KiB page, entries as the ITS defines them. */
static volatile uint64_t vpe_table[ITS_TABLE_BYTES / 8] __attribute__((aligned(0x10000)));
/* The VM's virtual LPI Configuration table: GICR_VPROPBASER.Physical_Address
 * is bits [51:12]; one byte per vINTID from 8192, as the physical one. */
static volatile uint8_t vpe_vprop[(1u << VLPI_ID_BITS) - LPI_BASE] __attribute__((aligned(0x1000)));
/* One VPT per vPE, each 64 KiB aligned (VMAPP VPT_addr and GICR_VPENDBASER.Physical_Address
 * are bits [51:16]): 2^14 bits, 2 KiB, used of each 64 KiB. */
#define VPT_BYTES ((1u << VLPI_ID_BITS) / 8)
static volatile uint8_t vpe_vpts[VPE_MAX][ITS_TABLE_BYTES] __attribute__((aligned(0x10000)));
static uint8_t vpe_proxy_itt[ITS_ITT_BYTES(VPE_PROXY_EVENT_BITS)] ITS_ITT_ALIGNED;

struct vpe {
    unsigned id;       /* vPEID */
    unsigned rd_pe;    /* the PE whose redistributor VMAPP (or VMOVP) named */
    unsigned doorbell; /* its doorbell LPI (every event of it uses this one, as Linux does) */
    bool idai;         /* GICR_VPENDBASER.IDAI read back at the last put */
    bool pending_last; /* GICR_VPENDBASER.PendingLast read back at the last put */
    bool resident;
};

/* The vPE resident on each PE, 0 if none. */
static struct vpe *vpe_on_pe[ITS_MAX_PES];
static unsigned vpe_stuck; /* puts and loads whose Dirty did not clear, loads over a resident vPE */

/* ---- ITS commands ---- */

#define ITS_VPEID(id) ((uint64_t)(id) << 32)

/* VMAPP: vPEID -> PE's redistributor and the VPT (VPT_size: vINTID bits - 1), or unmap. */
static inline void its_vmapp(unsigned vpeid, unsigned pe, volatile void *vpt, bool valid)
{
    its_cmd(ITS_CMD_VMAPP, ITS_VPEID(vpeid), ((uint64_t)valid << 63) | ITS_RDBASE(pe),
            ((uint64_t)(uintptr_t)vpt & 0xfffffffff0000ull) | (VLPI_ID_BITS - 1));
}

/* VMAPTI: (DeviceID, EventID) -> vINTID of vPE, with doorbell LPI db (VPE_DB_NONE: none). */
static inline void its_vmapti(uint32_t devid, uint32_t eventid, unsigned vpeid, uint32_t vintid,
                              uint32_t db)
{
    its_cmd(ITS_DEVID(ITS_CMD_VMAPTI, devid), eventid | ITS_VPEID(vpeid),
            vintid | ((uint64_t)db << 32), 0);
}

/* VMAPI: (DeviceID, EventID) -> vINTID EventID of vPE, with doorbell db. */
static inline void its_vmapi(uint32_t devid, uint32_t eventid, unsigned vpeid, uint32_t db)
{
    its_cmd(ITS_DEVID(ITS_CMD_VMAPI, devid), eventid | ITS_VPEID(vpeid), (uint64_t)db << 32, 0);
}

/* VMOVI: the event's vLPI to vPE (its pending state with it); a new doorbell if db_valid. */
static inline void its_vmovi(uint32_t devid, uint32_t eventid, unsigned vpeid, bool db_valid,
                             uint32_t db)
{
    its_cmd(ITS_DEVID(ITS_CMD_VMOVI, devid), eventid | ITS_VPEID(vpeid),
            ((uint64_t)db << 32) | db_valid, 0);
}

/* VMOVP: vPE to PE's redistributor. SequenceNumber and ITSList only matter with several
 * ITSs that share vPEs (GITS_TYPER.VMOVP 0); there is one ITS here. */
static inline void its_vmovp(unsigned vpeid, unsigned pe, uint16_t seq, uint16_t its_list)
{
    its_cmd(ITS_CMD_VMOVP | ((uint64_t)seq << 32), ITS_VPEID(vpeid) | its_list, ITS_RDBASE(pe), 0);
}

/* VSYNC: the effects of the earlier commands for vPE are visible. */
static inline void its_vsync(unsigned vpeid)
{
    its_cmd(ITS_CMD_VSYNC, ITS_VPEID(vpeid), 0, 0);
}

/* VINVALL: re-read the configuration of every vLPI of vPE. */
static inline void its_vinvall(unsigned vpeid)
{
    its_cmd(ITS_CMD_VINVALL, ITS_VPEID(vpeid), 0, 0);
}

/* ---- the VM's vLPIs ---- */

/* The vINTID's byte in the VM's Configuration table (priority [7:2], bit 1 RES1, enable
 * [0]), then a DSB; a redistributor that caches it re-reads it after an INV of the event
 * that maps it (its_inv) or a VINVALL of the vPE (IHI 0069, "ITS commands"). */
static inline void vlpi_config(uint32_t vintid, uint8_t priority, bool enable)
{
    vpe_vprop[vintid - LPI_BASE] = (uint8_t)((priority & 0xfc) | LPI_PROP_RES1 | enable);
    its_dsb();
}

static inline uint8_t vlpi_priority(uint32_t vintid)
{
    return vpe_vprop[vintid - LPI_BASE] & 0xfc;
}

static inline bool vlpi_enabled(uint32_t vintid)
{
    return vpe_vprop[vintid - LPI_BASE] & LPI_PROP_ENABLE;
}

/* The vINTID's bit in vPE's VPT in memory: only complete while the vPE is not resident. */
static inline bool vpt_pending(const struct vpe *vpe, uint32_t vintid)
{
    its_dsb();
    return (vpe_vpts[vpe->id][vintid / 8] >> (vintid % 8)) & 1;
}

/* The first vINTID pending in vPE's VPT, 1023 if none (not while resident). */
static inline uint32_t vpt_first_pending(const struct vpe *vpe)
{
    its_dsb();
    for (uint32_t i = LPI_BASE / 8; i < VPT_BYTES; i++) {
        uint8_t b = vpe_vpts[vpe->id][i];
        if (b)
            return i * 8 + (uint32_t)__builtin_ctz(b);
    }
    return INTID_SPURIOUS;
}

/* ---- the vPE ---- */

/* Does this GIC do GICv4 direct injection: GITS_TYPER.Virtual and PE's GICR_TYPER.VLPIS? */
static inline bool vpe_supported(unsigned pe)
{
    return (mmio_read(GITS_BASE + GITS_TYPER, 8) & GITS_TYPER_VIRTUAL) &&
           (mmio_read(ITS_GICR_RD(pe) + ITS_GICR_TYPER, 8) & GICR_TYPER_VLPIS);
}

/* The host's LPIs on PE (its_lpi_setup), the vPE table (GITS_BASER<n> of Type vPE, while
 * the ITS is still off), the ITS (its_init), collection VPE_HOST_ICID to PE, and the
 * doorbell proxy device. Returns false if there is no vPE table to program. */
static inline bool vpe_host_init(unsigned pe)
{
    bool have_vpe_table = false;
    its_lpi_setup(pe);
    wr32(GITS_BASE + GITS_CTLR, rd32(GITS_BASE + GITS_CTLR) & ~GITS_CTLR_ENABLED);
    for (unsigned n = 0; n < 8; n++) {
        uint64_t baser = mmio_read(GITS_BASE + GITS_BASER(n), 8);
        if (GITS_BASER_TYPE(baser) == GITS_BASER_TYPE_VPE)
            have_vpe_table = its_baser_setup(n, vpe_table, false) != 0;
    }
    its_init();
    its_mapc(VPE_HOST_ICID, pe, true);
    its_mapd(VPE_PROXY_DEVID, vpe_proxy_itt, VPE_PROXY_EVENT_BITS, true);
    its_sync(pe);
    return have_vpe_table;
}

/* Doorbells for vPE on or off: its doorbell LPI's Enable, then INV through the proxy. */
static inline void vpe_doorbells(const struct vpe *vpe, bool on)
{
    lpi_config(vpe->doorbell, VPE_DOORBELL_PRIO, on);
    its_inv(VPE_PROXY_DEVID, vpe->id);
    its_sync(vpe->rd_pe);
}

static inline bool vpe_doorbell_enabled(const struct vpe *vpe)
{
    return its_prop_table[vpe->doorbell - LPI_BASE] & LPI_PROP_ENABLE;
}

/* CLEAR the pending state of vPE's doorbell LPI (through the proxy). */
static inline void vpe_doorbell_clear(const struct vpe *vpe)
{
    its_clear(VPE_PROXY_DEVID, vpe->id);
    its_sync(vpe->rd_pe);
}

/* A new vPE: zeroed VPT, VMAPP to PE's redistributor, its doorbell LPI mapped through the
 * proxy and disabled (no doorbell until a put asks for it), not resident. */
static inline void vpe_create(struct vpe *vpe, unsigned vpeid, unsigned pe, unsigned doorbell)
{
    *vpe = (struct vpe){.id = vpeid, .rd_pe = pe, .doorbell = doorbell};
    for (unsigned i = 0; i < VPT_BYTES; i++)
        vpe_vpts[vpeid][i] = 0;
    its_dsb();
    its_vmapp(vpeid, pe, vpe_vpts[vpeid], true);
    its_mapti(VPE_PROXY_DEVID, vpeid, doorbell, VPE_HOST_ICID);
    vpe_doorbells(vpe, false);
    its_vsync(vpeid);
}

/* Poll PE's GICR_VPENDBASER until Dirty is 0; returns the last value read. */
static inline uint64_t vpe_wait_clean(unsigned pe)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < VPE_SPIN; i++) {
        v = mmio_read(GICR_VLPI(pe) + GICR_VPENDBASER, 8);
        if (!(v & GICR_VPENDBASER_DIRTY))
            return v;
    }
    vpe_stuck++;
    printf("GICv4: GICR_VPENDBASER of PE %u still Dirty: 0x%lx\n", pe, (unsigned long)v);
    return v;
}

/* Make vPE resident on PE (schedule it); returns GICR_VPENDBASER once Dirty is 0. PE must
 * have no vPE resident: GICR_VPROPBASER and every field of GICR_VPENDBASER but Valid may
 * only change while Valid is 0 (IHI 0069, GICR_VPENDBASER). */
static inline uint64_t vpe_load(unsigned pe, struct vpe *vpe)
{
    uintptr_t vlpi = GICR_VLPI(pe);
    if (vpe_on_pe[pe]) {
        printf("GICv4: vpe_load(%u, vPE %u) with vPE %u still resident\n", pe, vpe->id,
               vpe_on_pe[pe]->id);
        vpe_stuck++;
        return 0;
    }
    mmio_write(vlpi + GICR_VPROPBASER, 8,
               (uint64_t)(uintptr_t)vpe_vprop | GICR_VPROPBASER_INNER_NC | (VLPI_ID_BITS - 1));
    its_dsb();
    mmio_write(vlpi + GICR_VPENDBASER, 8,
               (uint64_t)(uintptr_t)vpe_vpts[vpe->id] | GICR_VPENDBASER_INNER_NC |
                   GICR_VPENDBASER_PENDINGLAST | (vpe->idai ? GICR_VPENDBASER_IDAI : 0) |
                   GICR_VPENDBASER_VALID);
    uint64_t v = vpe_wait_clean(pe);
    vpe->resident = true;
    vpe_on_pe[pe] = vpe;
    vpe_doorbell_clear(vpe);
    return v;
}

/* Take the vPE resident on PE off it (deschedule it), asking for its doorbell or not;
 * returns GICR_VPENDBASER once Dirty is 0 (0 if no vPE was resident). */
static inline uint64_t vpe_put(unsigned pe, bool need_doorbells)
{
    struct vpe *vpe = vpe_on_pe[pe];
    if (!vpe)
        return 0;
    vpe_doorbells(vpe, need_doorbells);
    uintptr_t reg = GICR_VLPI(pe) + GICR_VPENDBASER;
    mmio_write(reg, 8, mmio_read(reg, 8) & ~GICR_VPENDBASER_VALID);
    uint64_t v = vpe_wait_clean(pe);
    vpe->idai = (v & GICR_VPENDBASER_IDAI) != 0;
    vpe->pending_last = (v & GICR_VPENDBASER_PENDINGLAST) != 0;
    vpe->resident = false;
    vpe_on_pe[pe] = 0;
    return v;
}

#endif
