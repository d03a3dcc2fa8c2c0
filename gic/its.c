/* The Interrupt Translation Service (IHI 0069 chapter 5, "The ITS", and
 * chapter 6, "ITS commands"): it translates a DeviceID and an EventID
 * into an LPI at a redistributor, through tables in guest memory that the
 * guest hands it (GITS_BASER<n>) and fills with commands (GITS_CBASER,
 * GITS_CWRITER, GITS_CREADR).
 *
 * Choices where the architecture leaves them to the implementation
 * (docs/gic.md has the table):
 * - GITS_TYPER: Physical = 1, Virtual = 1 with GICv4, ITT_entry_size 16
 *   bytes, 16 bits of DeviceID and of EventID, 16-bit collection IDs
 *   (CIL = 0), HCC = 0 (every collection in memory), PTA = 0 (targets are
 *   processor numbers), SEIS = 0.
 * - Three tables: GITS_BASER0 devices (8-byte entries), GITS_BASER1
 *   collections (8 bytes), and with GICv4 GITS_BASER2 vPEs (16 bytes, 32
 *   with GICv4.1: the table the redistributors share, gic/vpe.c); the
 *   other BASERs are RAZ/WI. All take 4K, 16K and 64K pages and two
 *   levels (Indirect). The entries' layout is this model's own:
 *     device:     [63] valid, [51:8] ITT address, [4:0] EventID bits - 1
 *     collection: [63] valid, [15:0] target PE
 *     vPE:        [63] valid, [15:0] target PE, [20:16] VPT IDbits - 1;
 *                 second word: VPT address (GICv4.1: two more words,
 *                 gic/vpe.c)
 *     ITT entry:  [0] valid, [1] virtual, [63:32] INTID (pINTID or
 *                 vINTID); second word: [15:0] ICID or vPEID, [63:32]
 *                 doorbell pINTID (1023: none)
 *   The ITS caches nothing: every translation and command reads the tables
 *   afresh, which the architecture allows (software must not change them
 *   behind the ITS's back).
 * - Commands take simulated time: the board calls gic_its_step() once per
 *   command latency while commands wait. A command with an error is
 *   ignored and CREADR moves past it (one of the behaviours IHI 0069 6.2
 *   permits without SEIs); its error code, in the encoding of IHI 0069
 *   (0x01, the command number (0x05 for CLEAR), the reason), goes to
 *   gic_config.notice.
 *   A CWRITER beyond the queue stalls it (CREADR.Stalled) until CBASER is
 *   written again or CWRITER is written with Retry.
 * - Translations (GITS_TRANSLATER, gic_its_msi) act at once; one that
 *   finds no mapping is dropped. */
#include "gic/gic_internal.h"

#include <stdlib.h>
#include <string.h>

#define GITS_CTLR_ENABLED   (1u << 0)
#define GITS_CTLR_QUIESCENT (1u << 31)
#define GITS_CBASER_VALID   (1ull << 63)
/* Valid, InnerCache, OuterCache [55:53], PA [51:12], Shareability, Size;
 * bit 52 and bits [9:8] are RES0. */
#define GITS_CBASER_RW        0xB8EFFFFFFFFFFCFFull
#define GITS_CBASER_PA        0x000FFFFFFFFFF000ull
#define GITS_CREADR_STALLED   (1ull << 0)
#define GITS_CWRITER_RETRY    (1ull << 0)
#define GITS_OFFSET_MASK      0xFFFE0ull /* [19:5] */
#define GITS_BASER_VALID      (1ull << 63)
#define GITS_BASER_INDIRECT   (1ull << 62)
#define GITS_BASER_TYPE_SHIFT 56
#define GITS_BASER_ESZ_SHIFT  48
#define GITS_BASER_RW         0xF8E0FFFFFFFFFFFFull /* all but Type and Entry_Size */
#define GITS_TRANSLATER       0x10040u
#define GITS_SGIR             0x20020u /* GICv4.1: the vSGI frame's */

#define ITS_ID_BITS 16 /* DeviceID, EventID and collection ID bits */
#define ITE_SIZE    16
#define NUM_BASERS  8
#define NO_DOORBELL 1023u

enum its_table { TABLE_NONE, TABLE_DEVICE, TABLE_VPE, TABLE_COLLECTION = 4 };

/* Command numbers (IHI 0069 6.3). */
enum its_cmd {
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
    /* GICv4.0 */
    CMD_VMOVI = 0x21,
    CMD_VMOVP = 0x22,
    CMD_VSYNC = 0x25,
    CMD_VMAPP = 0x29,
    CMD_VMAPTI = 0x2A,
    CMD_VMAPI = 0x2B,
    CMD_VINVALL = 0x2D,
    /* GICv4.1 */
    CMD_VSGI = 0x23,
    CMD_INVDB = 0x2E,
};

/* The reason byte of a command error. */
enum its_error {
    ERR_NONE = 0,
    ERR_DEVICE_OOR = 0x01,
    ERR_SIZE_OOR = 0x02, /* MAPD: ITT size; MAPC: processor number */
    ERR_COLLECTION_OOR = 0x03,
    ERR_UNMAPPED_DEVICE = 0x04,
    ERR_ID_OOR = 0x05,
    ERR_PHYSICALID_OOR = 0x06,
    ERR_UNMAPPED_INTERRUPT = 0x07,
    ERR_UNMAPPED_COLLECTION = 0x09,
    ERR_UNMAPPED_VPE = 0x0A, /* GICv4: the vPE is not mapped (VMAPP) */
};

/* The doorbell each vPE last rang (or would have), for gic_explain: only
 * observed, never read by the model. */
#define VPE_TRACKED 64
struct vpe_note {
    bool seen;
    uint32_t vintid, doorbell;
};

struct gic_its {
    uint32_t ctlr;
    uint64_t cbaser, cwriter, creadr;
    uint64_t baser[NUM_BASERS];
    struct vpe_note note[VPE_TRACKED];
};

/* ---- The tables ---------------------------------------------------------------- */

static enum its_table baser_type(const struct gic *g, unsigned n)
{
    switch (n) {
    case 0: return TABLE_DEVICE;
    case 1: return TABLE_COLLECTION;
    case 2: return g->cfg.version == GIC_V3 ? TABLE_NONE : TABLE_VPE;
    }
    return TABLE_NONE;
}

static unsigned entry_size(const struct gic *g, enum its_table t)
{
    return t == TABLE_VPE ? gic_vpe_entry_size(g) : 8;
}

static uint64_t page_size(uint64_t baser)
{
    switch ((baser >> 8) & 3) {
    case 0: return 0x1000;
    case 1: return 0x4000;
    }
    return 0x10000;
}

/* The table's base: PA [47:12] (16K pages: [47:14]), and with 64K pages
 * PA [51:48] in bits [15:12]. */
static uint64_t baser_pa(uint64_t baser)
{
    uint64_t page = page_size(baser);
    uint64_t pa = baser & 0x0000FFFFFFFFF000ull & ~(page - 1);
    if (page == 0x10000)
        pa |= (baser & 0xF000ull) << 36;
    return pa;
}

bool gic_table_entry(struct gic *g, uint64_t base, uint64_t page, uint64_t npages, bool indirect,
                     unsigned esz, uint64_t id, uint64_t *pa)
{
    uint64_t bytes = npages * page;

    if (!indirect) {
        if (id >= bytes / esz)
            return false;
        *pa = base + id * esz;
        return true;
    }
    uint64_t per_page = page / esz;
    if (id / per_page >= bytes / 8)
        return false;
    bool ok;
    uint64_t l1 = gic_mem_load64(g, base + id / per_page * 8, &ok);
    if (!ok || !(l1 & (1ull << 63)))
        return false;
    *pa = (l1 & 0x000FFFFFFFFFF000ull & ~(page - 1)) + id % per_page * esz;
    return true;
}

/* The address of entry ID of table TYPE; false when the table is not
 * valid, ID lies beyond it, or its second-level page is not valid. */
static bool table_entry(struct gic *g, enum its_table type, uint64_t id, uint64_t *pa)
{
    uint64_t b = 0;

    for (unsigned n = 0; n < NUM_BASERS; n++)
        if (baser_type(g, n) == type)
            b = g->its->baser[n];
    if (!(b & GITS_BASER_VALID))
        return false;
    return gic_table_entry(g, baser_pa(b), page_size(b), (b & 0xFF) + 1, b & GITS_BASER_INDIRECT,
                           entry_size(g, type), id, pa);
}

struct dte {
    bool valid;
    uint64_t itt;
    unsigned event_bits;
};

static bool read_dte(struct gic *g, uint32_t devid, struct dte *d)
{
    uint64_t pa;
    bool ok;

    memset(d, 0, sizeof *d);
    if (devid >= 1u << ITS_ID_BITS || !table_entry(g, TABLE_DEVICE, devid, &pa))
        return false;
    uint64_t v = gic_mem_load64(g, pa, &ok);
    d->valid = ok && (v >> 63);
    d->itt = v & 0x000FFFFFFFFFFF00ull;
    d->event_bits = (unsigned)(v & 0x1F) + 1;
    return d->valid;
}

struct ite {
    bool valid, virt;
    uint32_t intid;    /* pINTID, or vINTID when virt */
    uint32_t icid;     /* ICID, or vPEID when virt */
    uint32_t doorbell; /* virt: the doorbell pINTID, 1023 for none */
};

/* The ITT entry of EVENTID of the device D, at *PA. */
static bool ite_pa(const struct dte *d, uint32_t eventid, uint64_t *pa)
{
    if (!d->valid || (uint64_t)eventid >= 1ull << d->event_bits)
        return false;
    *pa = d->itt + (uint64_t)eventid * ITE_SIZE;
    return true;
}

static bool read_ite(struct gic *g, const struct dte *d, uint32_t eventid, struct ite *e)
{
    uint64_t pa;
    bool ok0 = false, ok1 = false;

    memset(e, 0, sizeof *e);
    if (!ite_pa(d, eventid, &pa))
        return false;
    uint64_t w0 = gic_mem_load64(g, pa, &ok0), w1 = gic_mem_load64(g, pa + 8, &ok1);
    e->valid = ok0 && ok1 && (w0 & 1);
    e->virt = (w0 >> 1) & 1;
    e->intid = (uint32_t)(w0 >> 32);
    e->icid = (uint32_t)(w1 & 0xFFFF);
    e->doorbell = (uint32_t)(w1 >> 32);
    return e->valid;
}

static void write_ite(struct gic *g, const struct dte *d, uint32_t eventid, const struct ite *e)
{
    uint64_t pa;

    if (!ite_pa(d, eventid, &pa))
        return;
    gic_mem_store64(g, pa, (e->valid ? 1u : 0u) | (e->virt ? 2u : 0u) | (uint64_t)e->intid << 32);
    gic_mem_store64(g, pa + 8, (e->icid & 0xFFFFu) | (uint64_t)e->doorbell << 32);
}

/* The PE collection ICID targets, -1 when it is not mapped. */
static int collection_pe(struct gic *g, uint32_t icid)
{
    uint64_t pa;
    bool ok;

    if (icid >= 1u << ITS_ID_BITS || !table_entry(g, TABLE_COLLECTION, icid, &pa))
        return -1;
    uint64_t v = gic_mem_load64(g, pa, &ok);
    if (!ok || !(v >> 63) || (v & 0xFFFF) >= g->cfg.num_pes)
        return -1;
    return (int)(v & 0xFFFF);
}

/* ---- vPEs (GICv4) ------------------------------------------------------------ */

static bool read_vpe(struct gic *g, uint32_t vpeid, struct gic_vpe *v)
{
    uint64_t pa;

    if (vpeid >= 1u << ITS_ID_BITS || !table_entry(g, TABLE_VPE, vpeid, &pa))
        return false;
    return gic_vpe_read(g, pa, v);
}

static bool vintid_ok(const struct gic *g, const struct gic_vpe *v, uint32_t vintid)
{
    return vintid >= GIC_LPI_BASE && (uint64_t)vintid < 1ull << v->bits && gic_is_lpi(g, vintid);
}

/* Make vINTID of vPE VPEID pending (or not): straight into the virtual
 * CPU interface's feed when the vPE is resident on its redistributor,
 * else into its VPT in memory, ringing DOORBELL (GICv4.0: a physical LPI
 * at the vPE's redistributor, 1023: none) when it becomes pending there,
 * and with GICv4.1 the vPE's default doorbell if one is owed. */
static void vlpi_put(struct gic *g, uint32_t vpeid, uint32_t vintid, uint32_t doorbell,
                     bool pending)
{
    struct gic_vpe v;

    if (!read_vpe(g, vpeid, &v) || !vintid_ok(g, &v, vintid))
        return;
    if (gic_vlpi_resident(g, v.pe, v.vpt)) {
        gic_vlpi_set_pending(g, v.pe, vintid, pending);
        return;
    }
    gic_pending_table_put(g, v.vpt, vintid, pending);
    if (!pending)
        return;
    if (vpeid < VPE_TRACKED)
        g->its->note[vpeid] = (struct vpe_note){true, vintid, doorbell};
    if (doorbell != NO_DOORBELL)
        gic_lpi_set_pending(g, v.pe, doorbell, true);
    if (g->cfg.version == GIC_V41)
        gic_vpe_doorbell(g, &v, true, gic_vpe_vlpi_enabled(g, &v, vintid));
}

static bool vlpi_pending(struct gic *g, uint32_t vpeid, uint32_t vintid)
{
    struct gic_vpe v;
    uint8_t byte;

    if (!read_vpe(g, vpeid, &v) || !vintid_ok(g, &v, vintid))
        return false;
    if (gic_vlpi_resident(g, v.pe, v.vpt))
        return gic_vlpi_pending(g, v.pe, vintid);
    gic_mem_read(g, (v.vpt & 0x000FFFFFFFFF0000ull) + vintid / 8, &byte, 1);
    return (byte >> (vintid % 8)) & 1;
}

/* ---- Commands ---------------------------------------------------------------- */

/* The fields of a command's four doublewords (IHI 0069 6.3). */
static uint32_t cmd_devid(const uint64_t *c)
{
    return (uint32_t)(c[0] >> 32);
}
static uint32_t cmd_eventid(const uint64_t *c)
{
    return (uint32_t)c[1];
}
static uint32_t cmd_pintid(const uint64_t *c)
{
    return (uint32_t)(c[1] >> 32);
}
static uint32_t cmd_icid(const uint64_t *c)
{
    return (uint32_t)(c[2] & 0xFFFF);
}
/* RDbase [50:16]: a processor number, as GITS_TYPER.PTA = 0. */
static uint64_t cmd_rdbase(uint64_t dw)
{
    return (dw >> 16) & 0x7FFFFFFFFull;
}

/* The device and the mapped interrupt of a command naming DeviceID and
 * EventID, with the error when there is none. */
static enum its_error lookup_event(struct gic *g, const uint64_t *c, struct dte *d, struct ite *e)
{
    if (cmd_devid(c) >= 1u << ITS_ID_BITS)
        return ERR_DEVICE_OOR;
    if (!read_dte(g, cmd_devid(c), d))
        return ERR_UNMAPPED_DEVICE;
    if ((uint64_t)cmd_eventid(c) >= 1ull << d->event_bits)
        return ERR_ID_OOR;
    if (!read_ite(g, d, cmd_eventid(c), e))
        return ERR_UNMAPPED_INTERRUPT;
    return ERR_NONE;
}

/* The PE of a physical mapped interrupt's collection. */
static enum its_error event_pe(struct gic *g, const uint64_t *c, struct ite *e, int *pe)
{
    struct dte d;
    enum its_error err = lookup_event(g, c, &d, e);

    if (err)
        return err;
    if (e->virt)
        return ERR_UNMAPPED_INTERRUPT;
    *pe = collection_pe(g, e->icid);
    return *pe < 0 ? ERR_UNMAPPED_COLLECTION : ERR_NONE;
}

static enum its_error cmd_mapd(struct gic *g, const uint64_t *c)
{
    uint32_t devid = cmd_devid(c);
    unsigned bits = (unsigned)(c[1] & 0x1F) + 1;
    bool valid = c[2] >> 63;
    uint64_t pa;

    if (devid >= 1u << ITS_ID_BITS || !table_entry(g, TABLE_DEVICE, devid, &pa))
        return ERR_DEVICE_OOR;
    if (bits > ITS_ID_BITS)
        return ERR_SIZE_OOR;
    gic_mem_store64(g, pa, valid ? 1ull << 63 | (c[2] & 0x000FFFFFFFFFFF00ull) | (bits - 1) : 0);
    return ERR_NONE;
}

static enum its_error cmd_mapc(struct gic *g, const uint64_t *c)
{
    uint32_t icid = cmd_icid(c);
    uint64_t target = cmd_rdbase(c[2]);
    bool valid = c[2] >> 63;
    uint64_t pa;

    if (valid && target >= g->cfg.num_pes)
        return ERR_SIZE_OOR;
    if (!table_entry(g, TABLE_COLLECTION, icid, &pa))
        return ERR_COLLECTION_OOR;
    gic_mem_store64(g, pa, valid ? 1ull << 63 | target : 0);
    return ERR_NONE;
}

static enum its_error cmd_mapti(struct gic *g, const uint64_t *c, bool mapi)
{
    uint32_t eventid = cmd_eventid(c);
    uint32_t intid = mapi ? eventid : cmd_pintid(c);
    uint64_t pa;
    struct dte d;

    if (!read_dte(g, cmd_devid(c), &d))
        return ERR_UNMAPPED_DEVICE;
    if (!ite_pa(&d, eventid, &pa))
        return ERR_ID_OOR;
    if (!gic_is_lpi(g, intid))
        return ERR_PHYSICALID_OOR;
    if (!table_entry(g, TABLE_COLLECTION, cmd_icid(c), &pa))
        return ERR_COLLECTION_OOR;
    struct ite e = {.valid = true, .intid = intid, .icid = cmd_icid(c), .doorbell = NO_DOORBELL};
    write_ite(g, &d, eventid, &e);
    return ERR_NONE;
}

/* MOVI: the LPI's pending state goes with it to the new collection's PE. */
static enum its_error cmd_movi(struct gic *g, const uint64_t *c)
{
    struct dte d;
    struct ite e;
    enum its_error err = lookup_event(g, c, &d, &e);
    int from, to;

    if (err)
        return err;
    if (e.virt)
        return ERR_UNMAPPED_INTERRUPT;
    to = collection_pe(g, cmd_icid(c));
    if (to < 0)
        return ERR_UNMAPPED_COLLECTION;
    from = collection_pe(g, e.icid);
    if (from >= 0 && from != to && gic_lpi_pending(g, (unsigned)from, e.intid)) {
        gic_lpi_set_pending(g, (unsigned)from, e.intid, false);
        gic_lpi_set_pending(g, (unsigned)to, e.intid, true);
    }
    e.icid = cmd_icid(c);
    write_ite(g, &d, cmd_eventid(c), &e);
    return ERR_NONE;
}

static enum its_error cmd_discard(struct gic *g, const uint64_t *c)
{
    struct dte d;
    struct ite e;
    enum its_error err = lookup_event(g, c, &d, &e);

    if (err)
        return err;
    if (e.virt) {
        vlpi_put(g, e.icid, e.intid, e.doorbell, false);
    } else {
        int pe = collection_pe(g, e.icid);
        if (pe >= 0)
            gic_lpi_set_pending(g, (unsigned)pe, e.intid, false);
    }
    e.valid = false;
    write_ite(g, &d, cmd_eventid(c), &e);
    return ERR_NONE;
}

/* INT, CLEAR, INV. */
static enum its_error cmd_event(struct gic *g, const uint64_t *c, enum its_cmd cmd)
{
    struct dte d;
    struct ite e;
    int pe = -1;
    enum its_error err = lookup_event(g, c, &d, &e);

    if (!err && e.virt) {
        struct gic_vpe v;
        if (!read_vpe(g, e.icid, &v))
            return ERR_UNMAPPED_VPE;
        if (cmd == CMD_INV) {
            if (gic_vlpi_resident(g, v.pe, v.vpt))
                gic_vlpi_invalidate(g, v.pe, e.intid);
        } else {
            vlpi_put(g, e.icid, e.intid, e.doorbell, cmd == CMD_INT);
        }
        return ERR_NONE;
    }
    err = err ? err : event_pe(g, c, &e, &pe);
    if (err)
        return err;
    if (cmd == CMD_INV)
        gic_lpi_invalidate(g, (unsigned)pe, e.intid);
    else
        gic_lpi_set_pending(g, (unsigned)pe, e.intid, cmd == CMD_INT);
    return ERR_NONE;
}

static enum its_error cmd_invall(struct gic *g, const uint64_t *c)
{
    uint64_t pa;
    int pe = collection_pe(g, cmd_icid(c));

    if (!table_entry(g, TABLE_COLLECTION, cmd_icid(c), &pa))
        return ERR_COLLECTION_OOR;
    if (pe < 0)
        return ERR_UNMAPPED_COLLECTION;
    gic_lpi_invalidate_all(g, (unsigned)pe);
    return ERR_NONE;
}

/* MOVALL: every pending LPI of the first redistributor moves to the second. */
static enum its_error cmd_movall(struct gic *g, const uint64_t *c)
{
    uint64_t from = cmd_rdbase(c[2]), to = cmd_rdbase(c[3]);

    if (from >= g->cfg.num_pes || to >= g->cfg.num_pes)
        return ERR_DEVICE_OOR;
    if (from == to)
        return ERR_NONE;
    for (unsigned intid = GIC_LPI_BASE; intid < GIC_LPI_BASE + g->num_lpis; intid++) {
        if (!gic_lpi_pending(g, (unsigned)from, intid))
            continue;
        gic_lpi_set_pending(g, (unsigned)from, intid, false);
        gic_lpi_set_pending(g, (unsigned)to, intid, true);
    }
    return ERR_NONE;
}

/* ---- GICv4.0 commands ------------------------------------------------------- */

static uint32_t cmd_vpeid(const uint64_t *c)
{
    return (uint32_t)((c[1] >> 32) & 0xFFFF);
}

/* VMAPP: vPEID -> target redistributor, VPT address and size; with
 * GICv4.1 also the vLPI configuration table (VCONF_addr, [51:16] of the
 * first doubleword) and the default doorbell ([31:0] of the second). Its
 * Alloc and PTZ bits change nothing here: there is one ITS, and the VPT
 * is read whatever PTZ says. */
static enum its_error cmd_vmapp(struct gic *g, const uint64_t *c)
{
    uint32_t vpeid = cmd_vpeid(c);
    uint64_t target = cmd_rdbase(c[2]);
    bool valid = c[2] >> 63;
    struct gic_vpe v = {.pe = (unsigned)target,
                        .vpt = c[3] & 0x000FFFFFFFFF0000ull,
                        .bits = (unsigned)(c[3] & 0x1F) + 1,
                        .vconf = c[0] & 0x000FFFFFFFFF0000ull,
                        .doorbell = NO_DOORBELL};
    uint64_t pa;

    if (g->cfg.version == GIC_V41)
        v.doorbell = (uint32_t)c[1];
    if (valid && target >= g->cfg.num_pes)
        return ERR_SIZE_OOR;
    if (!table_entry(g, TABLE_VPE, vpeid, &pa))
        return ERR_DEVICE_OOR;
    if (valid && v.bits < GIC_MIN_LPI_BITS)
        return ERR_ID_OOR;
    if (valid && v.doorbell != NO_DOORBELL && !gic_is_lpi(g, v.doorbell))
        return ERR_PHYSICALID_OOR;
    gic_vpe_write(g, pa, valid ? &v : NULL);
    return ERR_NONE;
}

/* VMAPTI / VMAPI: an event to a vINTID of a vPE, with its doorbell. */
static enum its_error cmd_vmapti(struct gic *g, const uint64_t *c, bool vmapi)
{
    uint32_t eventid = cmd_eventid(c);
    uint32_t vintid = vmapi ? eventid : (uint32_t)c[2];
    uint32_t doorbell = (uint32_t)(c[2] >> 32);
    uint64_t pa;
    struct dte d;
    struct gic_vpe v;

    if (!read_dte(g, cmd_devid(c), &d))
        return ERR_UNMAPPED_DEVICE;
    if (!ite_pa(&d, eventid, &pa))
        return ERR_ID_OOR;
    if (!read_vpe(g, cmd_vpeid(c), &v))
        return ERR_UNMAPPED_VPE;
    if (!vintid_ok(g, &v, vintid) || (doorbell != NO_DOORBELL && !gic_is_lpi(g, doorbell)))
        return ERR_PHYSICALID_OOR;
    struct ite e = {
        .valid = true, .virt = true, .intid = vintid, .icid = cmd_vpeid(c), .doorbell = doorbell};
    write_ite(g, &d, eventid, &e);
    return ERR_NONE;
}

/* VMOVI: the event to another vPE (its pending state with it), and with
 * D = 1 a new doorbell. */
static enum its_error cmd_vmovi(struct gic *g, const uint64_t *c)
{
    struct dte d;
    struct ite e;
    struct gic_vpe v;
    enum its_error err = lookup_event(g, c, &d, &e);

    if (err)
        return err;
    if (!e.virt)
        return ERR_UNMAPPED_INTERRUPT;
    if (!read_vpe(g, cmd_vpeid(c), &v))
        return ERR_UNMAPPED_VPE;
    if (c[2] & 1)
        e.doorbell = (uint32_t)(c[2] >> 32);
    if (vlpi_pending(g, e.icid, e.intid)) {
        vlpi_put(g, e.icid, e.intid, NO_DOORBELL, false);
        vlpi_put(g, cmd_vpeid(c), e.intid, e.doorbell, true);
    }
    e.icid = cmd_vpeid(c);
    write_ite(g, &d, cmd_eventid(c), &e);
    return ERR_NONE;
}

/* VMOVP: the vPE to another redistributor (software makes it
 * non-resident first; with GITS_TYPER.VMOVP = 1 no ITS list is needed).
 * GICv4.1: with D ([63] of the third doubleword) a new default doorbell,
 * [31:0] of the fourth. */
static enum its_error cmd_vmovp(struct gic *g, const uint64_t *c)
{
    uint32_t vpeid = cmd_vpeid(c);
    uint64_t target = cmd_rdbase(c[2]);
    uint64_t pa;
    struct gic_vpe v;

    if (target >= g->cfg.num_pes)
        return ERR_SIZE_OOR;
    if (!table_entry(g, TABLE_VPE, vpeid, &pa))
        return ERR_DEVICE_OOR;
    if (!gic_vpe_read(g, pa, &v))
        return ERR_UNMAPPED_VPE;
    if (g->cfg.version == GIC_V41 && (c[2] >> 63)) {
        uint32_t db = (uint32_t)c[3];
        if (db != NO_DOORBELL && !gic_is_lpi(g, db))
            return ERR_PHYSICALID_OOR;
        v.doorbell = db;
    }
    v.pe = (unsigned)target;
    gic_vpe_write(g, pa, &v);
    return ERR_NONE;
}

/* INVDB (GICv4.1): the redistributor re-reads the property byte of the
 * vPE's default doorbell. */
static enum its_error cmd_invdb(struct gic *g, const uint64_t *c)
{
    struct gic_vpe v;

    if (!read_vpe(g, cmd_vpeid(c), &v))
        return ERR_UNMAPPED_VPE;
    if (v.doorbell != NO_DOORBELL)
        gic_lpi_invalidate(g, v.pe, v.doorbell);
    return ERR_NONE;
}

/* VSGI (GICv4.1): vSGI vINTID [35:32] of the vPE gets priority [23:20]
 * (the top four bits), Group [10] and Enable [8]; Clear [9] also clears
 * its pending state. */
static enum its_error cmd_vsgi(struct gic *g, const uint64_t *c)
{
    struct gic_vpe v;
    uint8_t cfg =
        (uint8_t)(((c[0] >> 20) & 0xF) << 4 | ((c[0] >> 10) & 1) << 1 | ((c[0] >> 8) & 1));

    if (!read_vpe(g, cmd_vpeid(c), &v))
        return ERR_UNMAPPED_VPE;
    gic_vsgi_configure(g, &v, (unsigned)((c[0] >> 32) & 0xF), cfg, (c[0] >> 9) & 1);
    return ERR_NONE;
}

static enum its_error cmd_vinvall(struct gic *g, const uint64_t *c)
{
    struct gic_vpe v;

    if (!read_vpe(g, cmd_vpeid(c), &v))
        return ERR_UNMAPPED_VPE;
    if (gic_vlpi_resident(g, v.pe, v.vpt))
        gic_vlpi_invalidate_all(g, v.pe);
    return ERR_NONE;
}

static const char *cmd_name(unsigned cmd)
{
    switch (cmd) {
    case CMD_VMOVI: return "VMOVI";
    case CMD_VMOVP: return "VMOVP";
    case CMD_VSYNC: return "VSYNC";
    case CMD_VMAPP: return "VMAPP";
    case CMD_VMAPTI: return "VMAPTI";
    case CMD_VMAPI: return "VMAPI";
    case CMD_VINVALL: return "VINVALL";
    case CMD_VSGI: return "VSGI";
    case CMD_INVDB: return "INVDB";
    case CMD_MOVI: return "MOVI";
    case CMD_INT: return "INT";
    case CMD_CLEAR: return "CLEAR";
    case CMD_SYNC: return "SYNC";
    case CMD_MAPD: return "MAPD";
    case CMD_MAPC: return "MAPC";
    case CMD_MAPTI: return "MAPTI";
    case CMD_MAPI: return "MAPI";
    case CMD_INV: return "INV";
    case CMD_INVALL: return "INVALL";
    case CMD_MOVALL: return "MOVALL";
    case CMD_DISCARD: return "DISCARD";
    }
    return "an unknown command";
}

static const char *error_name(enum its_error e)
{
    switch (e) {
    case ERR_NONE: break;
    case ERR_DEVICE_OOR: return "ID out of range";
    case ERR_SIZE_OOR: return "size or processor number out of range";
    case ERR_COLLECTION_OOR: return "collection out of range";
    case ERR_UNMAPPED_DEVICE: return "device not mapped";
    case ERR_ID_OOR: return "EventID out of range";
    case ERR_PHYSICALID_OOR: return "pINTID not an implemented LPI";
    case ERR_UNMAPPED_INTERRUPT: return "event not mapped";
    case ERR_UNMAPPED_COLLECTION: return "collection not mapped";
    case ERR_UNMAPPED_VPE: return "vPE not mapped";
    }
    return "";
}

/* The command's field of its error codes: its number, but for CLEAR, whose
 * errors are 0x0105xx (IHI 0069's table of command errors). */
static unsigned error_cmd(unsigned cmd)
{
    return cmd == CMD_CLEAR ? 0x05 : cmd;
}

/* One command; the error reason (the command number is added by the caller). */
static enum its_error execute(struct gic *g, const uint64_t *c)
{
    unsigned cmd = (unsigned)(c[0] & 0xFF);

    if (cmd >= 0x20 && g->cfg.version == GIC_V3)
        return ERR_NONE; /* the GICv4 commands do not exist: ignored, as unknown ones */
    if ((cmd == CMD_VSGI || cmd == CMD_INVDB) && g->cfg.version != GIC_V41)
        return ERR_NONE; /* likewise the GICv4.1 ones */
    switch ((enum its_cmd)cmd) {
    case CMD_VSGI: return cmd_vsgi(g, c);
    case CMD_INVDB: return cmd_invdb(g, c);
    case CMD_VMAPP: return cmd_vmapp(g, c);
    case CMD_VMAPTI: return cmd_vmapti(g, c, false);
    case CMD_VMAPI: return cmd_vmapti(g, c, true);
    case CMD_VMOVI: return cmd_vmovi(g, c);
    case CMD_VMOVP: return cmd_vmovp(g, c);
    case CMD_VINVALL: return cmd_vinvall(g, c);
    case CMD_VSYNC: return ERR_NONE;
    case CMD_MAPD: return cmd_mapd(g, c);
    case CMD_MAPC: return cmd_mapc(g, c);
    case CMD_MAPTI: return cmd_mapti(g, c, false);
    case CMD_MAPI: return cmd_mapti(g, c, true);
    case CMD_MOVI: return cmd_movi(g, c);
    case CMD_DISCARD: return cmd_discard(g, c);
    case CMD_INT:
    case CMD_CLEAR:
    case CMD_INV: return cmd_event(g, c, (enum its_cmd)(c[0] & 0xFF));
    case CMD_INVALL: return cmd_invall(g, c);
    case CMD_MOVALL: return cmd_movall(g, c);
    case CMD_SYNC: return ERR_NONE; /* every effect is already visible */
    }
    return ERR_NONE; /* an unknown command is ignored (IHI 0069 6.2) */
}

static uint64_t queue_size(const struct gic_its *its)
{
    return ((its->cbaser & 0xFF) + 1) * 0x1000;
}

bool gic_its_busy(const struct gic *g)
{
    const struct gic_its *its = g->its;

    return its && (its->ctlr & GITS_CTLR_ENABLED) && (its->cbaser & GITS_CBASER_VALID) &&
           !(its->creadr & GITS_CREADR_STALLED) && its->creadr != its->cwriter;
}

void gic_its_step(struct gic *g)
{
    struct gic_its *its = g->its;
    uint64_t c[4];
    bool ok = true;

    if (!gic_its_busy(g))
        return;
    uint64_t base = its->cbaser & GITS_CBASER_PA;
    for (unsigned i = 0; i < 4; i++) {
        bool r;
        c[i] = gic_mem_load64(g, base + its->creadr + 8 * i, &r);
        ok &= r;
    }
    enum its_error err = ok ? execute(g, c) : ERR_NONE;
    if (err && g->cfg.notice) {
        char msg[160];
        unsigned cmd = (unsigned)(c[0] & 0xFF);
        snprintf(msg, sizeof msg,
                 "ITS command %s at queue offset 0x%llx: error 0x%06x (%s), ignored", cmd_name(cmd),
                 (unsigned long long)its->creadr, 0x010000u | error_cmd(cmd) << 8 | err,
                 error_name(err));
        g->cfg.notice(g->cfg.opaque, msg);
    }
    its->creadr = (its->creadr + 32) % queue_size(its);
}

/* ---- Translation ---------------------------------------------------------------- */

void gic_its_msi(struct gic *g, uint32_t devid, uint32_t eventid)
{
    struct dte d;
    struct ite e;
    int pe;

    if (!g->its || !(g->its->ctlr & GITS_CTLR_ENABLED))
        return;
    if (!read_dte(g, devid, &d) || !read_ite(g, &d, eventid, &e))
        return;
    if (e.virt) {
        vlpi_put(g, e.icid, e.intid, e.doorbell, true);
        return;
    }
    pe = collection_pe(g, e.icid);
    if (pe >= 0)
        gic_lpi_set_pending(g, (unsigned)pe, e.intid, true);
}

/* GITS_SGIR: vSGI VINTID of vPE VPEID becomes pending; dropped when the
 * ITS is disabled or the vPE is not mapped. */
static void its_vsgi(struct gic *g, uint32_t vpeid, unsigned vintid)
{
    struct gic_vpe v;

    if (!g->its || !(g->its->ctlr & GITS_CTLR_ENABLED) || !read_vpe(g, vpeid, &v))
        return;
    gic_vsgi_send(g, &v, vintid);
}

/* ---- Registers ---------------------------------------------------------------- */

static uint64_t typer(const struct gic *g)
{
    uint64_t v = 1u                                   /* Physical */
                 | (uint64_t)(ITE_SIZE - 1) << 4      /* ITT_entry_size */
                 | (uint64_t)(ITS_ID_BITS - 1) << 8   /* IDbits */
                 | (uint64_t)(ITS_ID_BITS - 1) << 13; /* Devbits */
    if (g->cfg.version != GIC_V3)
        v |= 1u << 1 | 1ull << 37; /* Virtual; VMOVP: one ITS, no ITSList */
    if (g->cfg.version == GIC_V41)
        v |= 1ull << 40 | 1ull << 41; /* VMAPP: GICv4.1's; SVPET 1: the vPE table is shared */
    return v;
}

/* PIDR4-7, PIDR0-3, CIDR0-3; PIDR2.ArchRev 3 for GICv3, 4 for GICv4. */
static uint32_t id_reg(const struct gic *g, uint32_t off)
{
    static const uint8_t ids[12] = {0x44, 0x00, 0x00, 0x00, 0x94, 0xB4,
                                    0x3B, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
    uint32_t v = ids[(off - 0xFFD0) / 4];
    if (off == 0xFFE8)
        v = (v & 0x0F) | (g->cfg.version == GIC_V3 ? 0x30 : 0x40);
    return v;
}

/* A 64-bit register read whole or as either 32-bit half. */
static uint64_t half(uint64_t v, uint64_t offset, unsigned size)
{
    if (size == 8)
        return v;
    return (offset & 4) ? v >> 32 : v & 0xFFFFFFFFu;
}

static uint64_t merge(uint64_t old, uint64_t offset, unsigned size, uint64_t v)
{
    if (size == 8)
        return v;
    return (offset & 4) ? (old & 0xFFFFFFFFu) | v << 32
                        : (old & ~0xFFFFFFFFull) | (v & 0xFFFFFFFFu);
}

bool gits_read(struct gic *g, uint64_t offset, unsigned size, uint64_t *value)
{
    const struct gic_its *its = g->its;
    bool word = size == 4 && offset % 4 == 0, dword = size == 8 && offset % 8 == 0;

    *value = 0;
    if (!its || !(word || dword))
        return true; /* RAZ/WI, as the GIC's other frames */
    if (offset == 0x0000 && word)
        *value = (its->ctlr & GITS_CTLR_ENABLED) | (gic_its_busy(g) ? 0 : GITS_CTLR_QUIESCENT);
    else if (offset == 0x0004 && word)
        *value = 0x0000043Bu; /* IIDR: the distributor's */
    else if (offset >= 0x0008 && offset < 0x0010)
        *value = half(typer(g), offset, size);
    else if (offset >= 0x0080 && offset < 0x0088)
        *value = half(its->cbaser, offset, size);
    else if (offset >= 0x0088 && offset < 0x0090)
        *value = half(its->cwriter, offset, size);
    else if (offset >= 0x0090 && offset < 0x0098)
        *value = half(its->creadr, offset, size);
    else if (offset >= 0x0100 && offset < 0x0140) {
        unsigned n = (unsigned)(offset - 0x100) / 8;
        enum its_table t = baser_type(g, n);
        uint64_t v = 0;
        if (t != TABLE_NONE)
            v = its->baser[n] | (uint64_t)t << GITS_BASER_TYPE_SHIFT |
                (uint64_t)(entry_size(g, t) - 1) << GITS_BASER_ESZ_SHIFT;
        *value = half(v, offset, size);
    } else if (offset >= 0xFFD0 && offset < 0x10000 && word)
        *value = id_reg(g, (uint32_t)offset);
    return true;
}

bool gits_write(struct gic *g, uint64_t offset, unsigned size, uint64_t value)
{
    struct gic_its *its = g->its;
    bool word = size == 4 && offset % 4 == 0, dword = size == 8 && offset % 8 == 0;

    if (!its)
        return true;
    if (offset == GITS_TRANSLATER && (size == 2 || size == 4)) {
        gic_its_msi(g, 0, (uint32_t)value); /* a CPU's write: DeviceID 0 */
        return true;
    }
    if (offset == GITS_SGIR && size == 8 && g->cfg.version == GIC_V41) {
        its_vsgi(g, (uint32_t)((value >> 32) & 0xFFFF), (unsigned)(value & 0xF));
        return true;
    }
    if (!(word || dword))
        return true;
    if (offset == 0x0000 && word) {
        its->ctlr = (uint32_t)value & GITS_CTLR_ENABLED;
    } else if (offset >= 0x0080 && offset < 0x0088) {
        /* A write of CBASER resets CREADR (IHI 0069 GITS_CBASER). */
        its->cbaser = merge(its->cbaser, offset, size, value) & GITS_CBASER_RW;
        its->creadr = 0;
        if (its->cwriter >= queue_size(its)) /* CWRITER outside the new queue */
            its->creadr |= GITS_CREADR_STALLED;
    } else if (offset >= 0x0088 && offset < 0x0090) {
        uint64_t v = merge(its->cwriter, offset, size, value);
        its->cwriter = v & GITS_OFFSET_MASK;
        if (v & GITS_CWRITER_RETRY)
            its->creadr &= ~GITS_CREADR_STALLED;
        if (its->cwriter >= queue_size(its))
            its->creadr |= GITS_CREADR_STALLED;
    } else if (offset >= 0x0100 && offset < 0x0140) {
        unsigned n = (unsigned)(offset - 0x100) / 8;
        if (baser_type(g, n) != TABLE_NONE)
            its->baser[n] = merge(its->baser[n], offset, size, value) & GITS_BASER_RW;
    }
    return true;
}

/* ---- Life cycle ------------------------------------------------------------------ */

bool gic_its_new(struct gic *g)
{
    if (!g->cfg.its)
        return true;
    g->its = calloc(1, sizeof *g->its);
    return g->its != NULL;
}

void gic_its_free(struct gic *g)
{
    free(g->its);
    g->its = NULL;
}

void gic_its_reset(struct gic *g)
{
    if (g->its)
        memset(g->its, 0, sizeof *g->its);
}

/* GICv4.1: what stands between a pending interrupt of non-resident V
 * (ENABLED in its configuration) and the vPE's default doorbell. */
static void explain_default_doorbell(struct gic *g, const struct gic_vpe *v, bool enabled, FILE *f)
{
    const char *state = gic_vpe_doorbell_state(g, v);

    if (!enabled)
        fprintf(f, ", disabled in its configuration: no doorbell\n");
    else if (v->doorbell == NO_DOORBELL)
        fprintf(f, ", the vPE has no default doorbell (1023)\n");
    else if (strcmp(state, "rang"))
        fprintf(f, ", default doorbell LPI %u %s\n", v->doorbell, state);
    else if (!gic_lpi_in_range(g, v->pe, v->doorbell))
        fprintf(f, ", default doorbell LPI %u out of range at PE %u\n", v->doorbell, v->pe);
    else if (!gic_lpi_enabled(g, v->pe, v->doorbell))
        fprintf(f, ", default doorbell LPI %u disabled in the property table\n", v->doorbell);
    else
        fprintf(f, ", default doorbell LPI %u rung\n", v->doorbell);
}

/* The vPEs mapped to PE that are not resident there, with the vLPIs
 * (and GICv4.1 vSGIs) pending in their VPTs and what became of their
 * doorbells: for GICv4.0 the one the last vLPI rang, for GICv4.1 the
 * vPE's default doorbell. */
#define VPE_EXPLAIN_MAX 1024
void gic_its_explain_vpes(struct gic *g, unsigned pe, FILE *f)
{
    if (!g->its || g->cfg.version == GIC_V3)
        return;
    for (uint32_t id = 0; id < VPE_EXPLAIN_MAX; id++) {
        struct gic_vpe v;
        if (!read_vpe(g, id, &v) || v.pe != pe || gic_vlpi_resident(g, pe, v.vpt))
            continue;
        uint16_t sgis = g->cfg.version == GIC_V41 ? gic_vsgi_pending_of(g, &v) : 0;
        for (unsigned s = 0; s < 16; s++) {
            if (!((sgis >> s) & 1))
                continue;
            uint8_t cfg;
            gic_mem_read(g, v.vpt + s, &cfg, 1);
            fprintf(f, "  vSGI %u of vPE %u pending in its VPT, vPE not resident", s, id);
            explain_default_doorbell(g, &v, cfg & 1, f);
        }
        unsigned end = 1u << v.bits;
        if (end > GIC_LPI_BASE + g->num_lpis)
            end = GIC_LPI_BASE + g->num_lpis;
        for (unsigned vintid = GIC_LPI_BASE; vintid < end; vintid++) {
            if (!vlpi_pending(g, id, vintid))
                continue;
            fprintf(f, "  vLPI %u of vPE %u pending in its VPT, vPE not resident", vintid, id);
            if (g->cfg.version == GIC_V41) {
                explain_default_doorbell(g, &v, gic_vpe_vlpi_enabled(g, &v, vintid), f);
                continue;
            }
            const struct vpe_note *n = id < VPE_TRACKED ? &g->its->note[id] : NULL;
            if (!n || !n->seen || n->vintid != vintid)
                fprintf(f, "\n");
            else if (n->doorbell == NO_DOORBELL)
                fprintf(f, ", its event has no doorbell (1023)\n");
            else if (!gic_lpi_in_range(g, pe, n->doorbell))
                fprintf(f, ", doorbell LPI %u out of range at PE %u\n", n->doorbell, pe);
            else if (!gic_lpi_enabled(g, pe, n->doorbell))
                fprintf(f, ", doorbell LPI %u disabled in the property table\n", n->doorbell);
            else
                fprintf(f, ", doorbell LPI %u rung\n", n->doorbell);
        }
    }
}
