/* AArch64 address translation: the VMSAv8-64 table walk, access permissions
 * and memory attributes (Arm ARM DDI 0487, chapter D8).
 *
 * One translation is stage 1 (VA to IPA, or to PA when there is no stage 2)
 * with its permission check, then stage 2 (IPA to PA) with its own. When
 * stage 2 is on, the address of every stage 1 descriptor is an IPA too, so
 * each stage 1 descriptor read is itself translated by stage 2 first; a fault
 * there is a stage 2 fault with S1PTW set. Within one walk the checks come in
 * the order the architecture gives them: the input address range and the
 * table base first (level 0), then per level the descriptor's validity and
 * its output address size, then the leaf's Access flag, and only after the
 * walk the permissions. A stage 1 fault therefore hides any stage 2 fault of
 * the final IPA.
 *
 * Choices where the Arm ARM leaves one (CONSTRAINED UNPREDICTABLE or
 * IMPLEMENTATION DEFINED), kept stable on purpose:
 * - TxSZ (TCR and VTCR) below 16 or above 39 acts as 16 or 39.
 * - A reserved TG0/TG1 encoding selects the 4KB granule.
 * - An IPS/PS encoding above pa_bits, or reserved, means pa_bits.
 * - A stage 2 input size (64 - VTCR_EL2.T0SZ) above pa_bits makes every
 *   stage 2 lookup a Translation fault at level 0 (QEMU does the same).
 * - MAIR bytes the architecture leaves UNPREDICTABLE: 0b0000ddxx with
 *   xx != 0 is Device type dd; a Normal byte whose inner half is 0b0000 is
 *   Inner Non-cacheable. Stage 2 MemAttr 0bxx00 (xx != 0) is likewise Inner
 *   Non-cacheable.
 * - An instruction fetch from executable Device memory is allowed and treated
 *   as a fetch from Normal Non-cacheable memory (the other option being a
 *   Permission fault).
 * - With stage 1 off no mapping size applies; result page size is then that
 *   of stage 2, or 4KB.
 * - Descriptor bits not named below (RES0, Contiguous, DBM, software use,
 *   NS/NSTable) are ignored. */
#include "cpu/mmu.h"

#include <assert.h>
#include <stddef.h>

/* ---- Bit fields ---------------------------------------------------------- */

/* Bits HI..LO of V, shifted down to bit 0. */
static uint64_t field(uint64_t v, unsigned hi, unsigned lo)
{
    return (v >> lo) & (~0ull >> (63 - (hi - lo)));
}

static bool bit(uint64_t v, unsigned n)
{
    return (v >> n) & 1;
}

/* Bits HI..LO of V left in place, every other bit cleared. */
static uint64_t keep(uint64_t v, unsigned hi, unsigned lo)
{
    return field(v, hi, lo) << lo;
}

/* Single-bit controls, by bit number. The multi-bit fields are read where
 * they are used, with their positions next to their names. */
enum {
    TCR_EPD0 = 7, /* TCR_EL1 and TCR_EL2 with E2H == 1 */
    TCR_A1 = 22,
    TCR_EPD1 = 23,
    TCR_AS = 36,
    TCR_TBI0 = 37,
    TCR_TBI1 = 38,
    TCR_HPD0 = 41,
    TCR_HPD1 = 42,
    TCR_EL2_TBI = 20, /* TCR_EL2 with E2H == 0 */
    TCR_EL2_HPD = 24,
    VTCR_VS = 19,
    SCTLR_I = 12,
    SCTLR_WXN = 19,
};

/* Descriptor bits (D8.3). Stage 2 leaves use bit 6 as S2AP[0] (read), bit 7
 * as S2AP[1] (write), bits 5:2 as MemAttr and bit 54 as XN. */
enum {
    DESC_VALID = 0,
    DESC_TABLE = 1, /* at levels 0-2: 1 table, 0 block; at level 3: must be 1 (page) */
    DESC_AP1 = 6,   /* AP[1]: EL0 access (stage 1); S2AP[0] (stage 2) */
    DESC_AP2 = 7,   /* AP[2]: read-only (stage 1); S2AP[1] (stage 2) */
    DESC_AF = 10,
    DESC_NG = 11,
    DESC_PXN = 53,
    DESC_UXN = 54,  /* UXN, or XN in one-privilege regimes and at stage 2 */
    TABLE_PXN = 59, /* PXNTable */
    TABLE_UXN = 60, /* UXNTable, or XNTable */
    TABLE_AP0 = 61, /* APTable[0]: no EL0 access below */
    TABLE_AP1 = 62, /* APTable[1]: read-only below */
};

/* ---- Memory attributes ---------------------------------------------------- */

/* Cacheability, ordered weakest first so that combining takes the minimum. */
enum cache_policy { CACHE_NC, CACHE_WT, CACHE_WB };

struct cache_half {
    uint8_t policy; /* enum cache_policy */
    bool transient;
    uint8_t alloc; /* bit 1 read-allocate, bit 0 write-allocate */
};

struct memattr {
    bool device;
    uint8_t devtype; /* 0 nGnRnE, 1 nGnRE, 2 nGRE, 3 GRE: the lower, the stricter */
    struct cache_half inner, outer;
};

static struct memattr device_attr(unsigned devtype)
{
    return (struct memattr){.device = true, .devtype = (uint8_t)devtype};
}

static struct memattr normal_attr(enum cache_policy p, unsigned alloc)
{
    struct cache_half h = {(uint8_t)p, false, (uint8_t)alloc};
    return (struct memattr){.inner = h, .outer = h};
}

/* One half of a Normal MAIR byte (D19 MAIR_ELx.Attr<n>). 0b0000 is only
 * reachable as an inner half, where it is UNPREDICTABLE: Non-cacheable. */
static struct cache_half half_decode(unsigned h)
{
    struct cache_half c = {CACHE_NC, false, 0};
    if (h == 0x0 || h == 0x4)
        return c;
    /* 0b00RW Write-Through transient, 0b01RW Write-Back transient, 0b10RW
       Write-Through, 0b11RW Write-Back; RW are the allocation hints */
    c.policy = bit(h, 2) ? CACHE_WB : CACHE_WT;
    c.transient = !bit(h, 3);
    c.alloc = h & 3;
    return c;
}

static unsigned half_encode(struct cache_half c)
{
    if (c.policy == CACHE_NC)
        return 0x4;
    unsigned hi = c.policy == CACHE_WB ? 1 : 0;
    if (!c.transient)
        hi |= 2;
    return hi << 2 | c.alloc;
}

static struct memattr mair_decode(unsigned a)
{
    if ((a >> 4) == 0)
        return device_attr((a >> 2) & 3);
    return (struct memattr){.inner = half_decode(a & 0xf), .outer = half_decode(a >> 4)};
}

static uint8_t memattr_encode(struct memattr m)
{
    if (m.device)
        return (uint8_t)(m.devtype << 2);
    return (uint8_t)(half_encode(m.outer) << 4 | half_encode(m.inner));
}

/* Stage 2 MemAttr[3:0] (D8.5): [3:2] == 0 is Device of type [1:0]; otherwise
 * [3:2] is the outer and [1:0] the inner cacheability (1 NC, 2 WT, 3 WB). */
static struct memattr s2_memattr(unsigned m)
{
    static const uint8_t policy[4] = {CACHE_NC, CACHE_NC, CACHE_WT, CACHE_WB};
    if ((m >> 2) == 0)
        return device_attr(m & 3);
    struct memattr a = {0};
    a.outer.policy = policy[m >> 2];
    a.inner.policy = policy[m & 3];
    return a;
}

static struct cache_half combine_half(struct cache_half s1, struct cache_half s2)
{
    if (s2.policy < s1.policy)
        s1.policy = s2.policy; /* hints of a Non-cacheable result are dropped by half_encode */
    return s1;
}

/* Combining the stage 1 and stage 2 types (D8.5): Device wins, with the
 * stricter Device type; otherwise each cacheability is the weaker of the two
 * and the allocation hints are stage 1's. */
static struct memattr combine_attr(struct memattr s1, struct memattr s2)
{
    if (s1.device && s2.device)
        return device_attr(s1.devtype < s2.devtype ? s1.devtype : s2.devtype);
    if (s1.device || s2.device)
        return s1.device ? s1 : s2;
    s1.inner = combine_half(s1.inner, s2.inner);
    s1.outer = combine_half(s1.outer, s2.outer);
    return s1;
}

/* ---- Walk parameters ------------------------------------------------------ */

struct ctx {
    const struct mmu_regime *r;
    mmu_read64_fn read64;
    void *opaque;
    bool s2; /* stage 2 applies (HCR_EL2.VM or HCR_EL2.DC, EL1&0 only) */
};

/* What one walk needs, decoded from the TCR/VTCR and TTBR of its stage. */
struct walk_params {
    unsigned grain;      /* log2 of the granule: 12, 14 or 16 */
    unsigned inputsize;  /* bits of input address, 64 - TxSZ */
    unsigned outputsize; /* bits of output address, min(IPS or PS, pa_bits) */
    int level;           /* start level */
    uint64_t ttb;        /* TTBRn_ELx or VTTBR_EL2 */
    bool stage2;
    bool s1ptw;      /* a stage 2 walk for a stage 1 descriptor address */
    uint64_t ipa;    /* a stage 2 walk's input, for the fault report */
    bool hier;       /* stage 1 table attributes apply (TCR.HPDn == 0) */
    bool singlepriv; /* EL2: no APTable[0], no PXNTable */
};

/* What a walk found: the leaf and the limits collected from the tables. */
struct walk_result {
    uint64_t desc;      /* the block or page descriptor */
    uint64_t oa;        /* output address */
    unsigned level;     /* level of the leaf */
    unsigned size_log2; /* log2 of the size the leaf maps */
    bool table_ro;      /* an APTable[1] on the way */
    bool table_no_el0;  /* an APTable[0] on the way */
    bool table_uxn;
    bool table_pxn;
};

/* One stage's translation of one address. */
struct stage {
    uint64_t oa;
    unsigned size_log2; /* 64: this stage does not limit the mapping size */
    unsigned level;
    struct memattr attr;
    bool r, w, x; /* for the privilege of the access */
    bool global;
};

/* TG0 encodings: 0b00 4KB, 0b01 64KB, 0b10 16KB (0b11 reserved: 4KB). */
static unsigned tg0_grain(uint64_t tg)
{
    return tg == 1 ? 16 : tg == 2 ? 14 : 12;
}

/* TG1 encodings differ from TG0: 0b01 16KB, 0b10 4KB, 0b11 64KB (0b00 reserved: 4KB). */
static unsigned tg1_grain(uint64_t tg)
{
    return tg == 1 ? 14 : tg == 3 ? 16 : 12;
}

/* IPS/PS: 32, 36, 40, 42, 44, 48, 52 bits, never above the implemented size. */
static unsigned ps_size(uint64_t ps, unsigned pa_bits)
{
    static const uint8_t size[8] = {32, 36, 40, 42, 44, 48, 52, 52};
    return size[ps & 7] < pa_bits ? size[ps & 7] : pa_bits;
}

/* 64 - TxSZ, with TxSZ limited to 16..39 (48-bit VAs, no FEAT_TTST). */
static unsigned input_size(uint64_t txsz)
{
    if (txsz < 16)
        txsz = 16;
    if (txsz > 39)
        txsz = 39;
    return 64 - (unsigned)txsz;
}

/* The highest VA bit that takes part in translation: 55 with Top Byte Ignore. */
static unsigned addr_top(const struct mmu_regime *r, uint64_t va)
{
    if (r->kind == REGIME_EL2)
        return bit(r->tcr, TCR_EL2_TBI) ? 55 : 63;
    return bit(r->tcr, bit(va, 55) ? TCR_TBI1 : TCR_TBI0) ? 55 : 63;
}

static bool fault(struct mmu_result *out, enum mmu_fault_type type, unsigned level, bool stage2,
                  bool s1ptw, uint64_t ipa)
{
    out->fault = type;
    out->level = level;
    out->stage2 = stage2;
    out->s1ptw = s1ptw;
    out->ipa = stage2 ? ipa : 0;
    return false;
}

static bool walk_fault(struct mmu_result *out, const struct walk_params *wp,
                       enum mmu_fault_type type, unsigned level)
{
    return fault(out, type, level, wp->stage2, wp->s1ptw, wp->ipa);
}

/* One VA range of stage 1: the TCR fields that describe it. */
struct va_range {
    unsigned txsz, grain, ps;
    bool epd, hpd;
    uint64_t ttb;
};

static struct va_range s1_range(const struct mmu_regime *r, bool upper)
{
    uint64_t tcr = r->tcr;
    struct va_range vr = {.ttb = upper ? r->ttbr1 : r->ttbr0};
    if (r->kind == REGIME_EL2) {
        /* TCR_EL2 with E2H == 0: T0SZ 5:0, TG0 15:14, PS 18:16, no EPD */
        vr.txsz = (unsigned)field(tcr, 5, 0);
        vr.grain = tg0_grain(field(tcr, 15, 14));
        vr.ps = (unsigned)field(tcr, 18, 16);
        vr.hpd = bit(tcr, TCR_EL2_HPD);
        return vr;
    }
    vr.ps = (unsigned)field(tcr, 34, 32); /* IPS */
    if (!upper) {
        vr.txsz = (unsigned)field(tcr, 5, 0);
        vr.grain = tg0_grain(field(tcr, 15, 14));
        vr.epd = bit(tcr, TCR_EPD0);
        vr.hpd = bit(tcr, TCR_HPD0);
        return vr;
    }
    vr.txsz = (unsigned)field(tcr, 21, 16); /* T1SZ */
    vr.grain = tg1_grain(field(tcr, 31, 30));
    vr.epd = bit(tcr, TCR_EPD1);
    vr.hpd = bit(tcr, TCR_HPD1);
    return vr;
}

/* Stage 1 walk controls for VA (D8.2). VA[55] picks the range in the two-range
 * regimes; a VA whose bits from the top down to the input size are not all
 * equal to it is in neither range, which like a range disabled by EPDn is a
 * Translation fault at level 0. */
static bool s1_params(const struct mmu_regime *r, uint64_t va, struct walk_params *wp,
                      struct mmu_result *out)
{
    bool upper = r->kind != REGIME_EL2 && bit(va, 55);
    struct va_range vr = s1_range(r, upper);
    unsigned top = addr_top(r, va);
    unsigned inputsize = input_size(vr.txsz);
    uint64_t want = upper ? field(~0ull, top - inputsize, 0) : 0;
    if (vr.epd || field(va, top, inputsize) != want)
        return fault(out, MMU_FAULT_TRANSLATION, 0, false, false, 0);
    unsigned stride = vr.grain - 3;
    *wp = (struct walk_params){
        .grain = vr.grain,
        .inputsize = inputsize,
        .outputsize = ps_size(vr.ps, r->pa_bits),
        /* as few levels as resolve the input bits above the page offset */
        .level = 4 - (int)(1 + (inputsize - vr.grain - 1) / stride),
        .ttb = vr.ttb,
        .hier = !vr.hpd,
        .singlepriv = r->kind == REGIME_EL2,
    };
    return true;
}

/* Whether VTCR_EL2.SL0 gives a start level that the granule, the implemented
 * PA size and the input size allow (D8.2, stage 2 start level). */
static bool s2_start_ok(const struct walk_params *wp, unsigned pa_bits)
{
    if (wp->inputsize > pa_bits)
        return false;
    /* level 0 only with 4KB and over 44 PA bits; level 1 with 16KB needs
       over 40, with 64KB over 42 */
    int min_level;
    if (wp->grain == 12)
        min_level = pa_bits > 44 ? 0 : 1;
    else
        min_level = pa_bits > (wp->grain == 14 ? 40u : 42u) ? 1 : 2;
    if (wp->level < min_level)
        return false;
    /* the start table has at least 2 entries and at most 16 concatenated tables */
    int stride = (int)wp->grain - 3;
    int startsize = (int)wp->inputsize - ((3 - wp->level) * stride + (int)wp->grain);
    return startsize >= 1 && startsize <= stride + 4;
}

/* Stage 2 walk controls from VTCR_EL2: T0SZ 5:0, SL0 7:6, TG0 15:14, PS 18:16.
 * An impossible start level, or an IPA above the input size, is a stage 2
 * Translation fault at level 0. */
static bool s2_params(const struct mmu_regime *r, uint64_t ipa, bool s1ptw, struct walk_params *wp,
                      struct mmu_result *out)
{
    uint64_t vtcr = r->vtcr;
    unsigned grain = tg0_grain(field(vtcr, 15, 14));
    int sl0 = (int)field(vtcr, 7, 6);
    *wp = (struct walk_params){
        .grain = grain,
        .inputsize = input_size(field(vtcr, 5, 0)),
        .outputsize = ps_size(field(vtcr, 18, 16), r->pa_bits),
        /* SL0 counts back from level 2 (4KB) or level 3 (16KB, 64KB) */
        .level = (grain == 12 ? 2 : 3) - sl0,
        .ttb = r->vttbr,
        .stage2 = true,
        .s1ptw = s1ptw,
        .ipa = ipa,
    };
    if (!s2_start_ok(wp, r->pa_bits) || field(ipa, 63, wp->inputsize) != 0)
        return walk_fault(out, wp, MMU_FAULT_TRANSLATION, 0);
    return true;
}

/* ---- The walk ------------------------------------------------------------- */

static bool s2_translate(const struct ctx *c, uint64_t ipa, enum mmu_access acc, bool s1ptw,
                         struct stage *s, struct mmu_result *out);

/* Read the descriptor at ADDR, an IPA when stage 1 runs above stage 2. */
static bool read_desc(const struct ctx *c, const struct walk_params *wp, uint64_t addr,
                      unsigned level, uint64_t *desc, struct mmu_result *out)
{
    uint64_t pa = addr;
    if (!wp->stage2 && c->s2) {
        struct stage s2;
        /* a table walk reads, whatever the access it is made for */
        if (!s2_translate(c, addr, MMU_READ, true, &s2, out))
            return false;
        pa = s2.oa;
    }
    if (c->read64(c->opaque, pa, desc))
        return true;
    return walk_fault(out, wp, MMU_FAULT_EXTERNAL_WALK, level);
}

/* Collect the hierarchical limits of a stage 1 table descriptor (D8.4): they
 * can only take permissions away from what lies below. */
static void table_limits(const struct walk_params *wp, uint64_t desc, struct walk_result *w)
{
    if (wp->stage2 || !wp->hier)
        return;
    w->table_ro = w->table_ro || bit(desc, TABLE_AP1);
    w->table_uxn = w->table_uxn || bit(desc, TABLE_UXN);
    if (wp->singlepriv)
        return;
    w->table_no_el0 = w->table_no_el0 || bit(desc, TABLE_AP0);
    w->table_pxn = w->table_pxn || bit(desc, TABLE_PXN);
}

/* Check a block or page descriptor found at LEVEL and compute its output. */
static bool leaf(const struct walk_params *wp, uint64_t ia, uint64_t desc, unsigned level,
                 unsigned offset_bits, struct walk_result *w, struct mmu_result *out)
{
    /* without 52-bit addresses blocks exist from level 1 (4KB) or 2 (16KB, 64KB) */
    unsigned first_block = wp->grain == 12 ? 1 : 2;
    if (level < first_block)
        return walk_fault(out, wp, MMU_FAULT_TRANSLATION, level);
    if (wp->outputsize < 48 && field(desc, 47, wp->outputsize) != 0)
        return walk_fault(out, wp, MMU_FAULT_ADDRESS_SIZE, level);
    /* no hardware Access flag update: AF == 0 always faults */
    if (!bit(desc, DESC_AF))
        return walk_fault(out, wp, MMU_FAULT_ACCESS_FLAG, level);
    w->desc = desc;
    w->level = level;
    w->size_log2 = offset_bits;
    w->oa = keep(desc, 47, offset_bits) | field(ia, offset_bits - 1, 0);
    return true;
}

/* Walk the tables of one stage for input address IA. Each iteration goes one
 * level down and level 3 always ends the walk, so at most four descriptors
 * are read. */
static bool walk(const struct ctx *c, const struct walk_params *wp, uint64_t ia,
                 struct walk_result *w, struct mmu_result *out)
{
    unsigned stride = wp->grain - 3;
    unsigned level = (unsigned)wp->level;
    unsigned bottom = (3 - level) * stride + wp->grain;
    *w = (struct walk_result){0};
    /* a table base above the output size is reported at level 0 whatever the
       start level */
    if (wp->outputsize < 48 && field(wp->ttb, 47, wp->outputsize) != 0)
        return walk_fault(out, wp, MMU_FAULT_ADDRESS_SIZE, 0);
    /* the start table is aligned to its size: TTB bits below that are ignored */
    uint64_t table = keep(wp->ttb, 47, 3 + wp->inputsize - bottom);
    unsigned top = wp->inputsize - 1;
    for (;; level++) {
        assert(level <= 3);
        bottom = (3 - level) * stride + wp->grain;
        uint64_t desc;
        if (!read_desc(c, wp, table | field(ia, top, bottom) << 3, level, &desc, out))
            return false;
        /* invalid, or the reserved type 0b01 at level 3 */
        if (!bit(desc, DESC_VALID) || (level == 3 && !bit(desc, DESC_TABLE)))
            return walk_fault(out, wp, MMU_FAULT_TRANSLATION, level);
        if (level == 3 || !bit(desc, DESC_TABLE))
            return leaf(wp, ia, desc, level, bottom, w, out);
        if (wp->outputsize < 48 && field(desc, 47, wp->outputsize) != 0)
            return walk_fault(out, wp, MMU_FAULT_ADDRESS_SIZE, level);
        table = keep(desc, 47, wp->grain);
        table_limits(wp, desc, w);
        top = bottom - 1;
    }
}

/* ---- Permissions ---------------------------------------------------------- */

static bool allowed(enum mmu_access acc, const struct stage *s)
{
    switch (acc) {
    case MMU_READ: return s->r;
    case MMU_WRITE: return s->w;
    case MMU_EXEC: return s->x;
    }
    return false;
}

/* Stage 1 permissions (D8.4) for the privilege of the access. */
static void s1_permissions(const struct mmu_regime *r, const struct walk_result *w, struct stage *s)
{
    bool ro = bit(w->desc, DESC_AP2) || w->table_ro;
    bool wxn = bit(r->sctlr, SCTLR_WXN);
    bool uxn = bit(w->desc, DESC_UXN) || w->table_uxn;
    if (r->kind == REGIME_EL2) {
        /* one privilege level: AP[1] is RES1 and bit 54 is the only XN */
        s->r = true;
        s->w = !ro;
        s->x = !(uxn || (s->w && wxn));
        return;
    }
    bool el0 = bit(w->desc, DESC_AP1) && !w->table_no_el0;
    bool el0_w = el0 && !ro;
    if (r->unprivileged) {
        s->r = el0;
        s->w = el0_w;
        s->x = !(uxn || (el0_w && wxn));
        return;
    }
    /* PAN: privileged data accesses to memory EL0 can read fault; it does
       not concern instruction fetches */
    bool pan = r->pan && el0;
    bool pxn = bit(w->desc, DESC_PXN) || w->table_pxn;
    s->r = !pan;
    s->w = !ro && !pan;
    /* memory EL0 can write is never privileged-executable */
    s->x = !(pxn || (!ro && wxn) || el0_w);
}

/* ---- The stages ------------------------------------------------------------ */

/* Stage 1 off (D8.2): the VA is the output address, and VA bits from the top
 * down to the PA size must be zero. Data is Device-nGnRnE and fetches are
 * Normal (Write-Through if SCTLR.I, else Non-cacheable), unless HCR_EL2.DC
 * makes everything Normal Write-Back. */
static bool s1_off(const struct ctx *c, uint64_t va, enum mmu_access acc, struct stage *s,
                   struct mmu_result *out)
{
    const struct mmu_regime *r = c->r;
    if (field(va, addr_top(r, va), r->pa_bits) != 0)
        return fault(out, MMU_FAULT_ADDRESS_SIZE, 0, false, false, 0);
    *s = (struct stage){.oa = field(va, r->pa_bits - 1, 0), .size_log2 = 64, .level = 0};
    s->r = s->w = s->x = s->global = true;
    if (r->kind == REGIME_EL10 && r->hcr_dc)
        s->attr = normal_attr(CACHE_WB, 3);
    else if (acc == MMU_EXEC)
        s->attr = bit(r->sctlr, SCTLR_I) ? normal_attr(CACHE_WT, 2) : normal_attr(CACHE_NC, 0);
    else
        s->attr = device_attr(0);
    return true;
}

static bool s1_on(const struct ctx *c, uint64_t va, enum mmu_access acc, struct stage *s,
                  struct mmu_result *out)
{
    struct walk_params wp;
    struct walk_result w;
    if (!s1_params(c->r, va, &wp, out) || !walk(c, &wp, va, &w, out))
        return false;
    unsigned attrindx = (unsigned)field(w.desc, 4, 2);
    *s = (struct stage){.oa = w.oa, .size_log2 = w.size_log2, .level = w.level};
    s->attr = mair_decode((unsigned)field(c->r->mair, 8 * attrindx + 7, 8 * attrindx));
    s->global = wp.singlepriv || !bit(w.desc, DESC_NG);
    s1_permissions(c->r, &w, s);
    if (!allowed(acc, s))
        return fault(out, MMU_FAULT_PERMISSION, w.level, false, false, 0);
    return true;
}

/* Stage 2 of IPA. For a stage 1 descriptor (S1PTW) ACC is MMU_READ whatever
 * the access the walk is for, and with HCR_EL2.PTW a descriptor in stage 2
 * Device memory is a stage 2 Permission fault. */
static bool s2_translate(const struct ctx *c, uint64_t ipa, enum mmu_access acc, bool s1ptw,
                         struct stage *s, struct mmu_result *out)
{
    struct walk_params wp;
    struct walk_result w;
    if (!s2_params(c->r, ipa, s1ptw, &wp, out) || !walk(c, &wp, ipa, &w, out))
        return false;
    *s = (struct stage){.oa = w.oa, .size_log2 = w.size_log2, .level = w.level};
    s->attr = s2_memattr((unsigned)field(w.desc, 5, 2));
    s->r = bit(w.desc, DESC_AP1);
    s->w = bit(w.desc, DESC_AP2);
    s->x = !bit(w.desc, DESC_UXN); /* XN[1]; XN[0] is RES0 without FEAT_XNX */
    bool ok = allowed(acc, s);
    if (s1ptw && c->r->hcr_ptw && s->attr.device)
        ok = false;
    if (!ok)
        return walk_fault(out, &wp, MMU_FAULT_PERMISSION, w.level);
    return true;
}

/* ---- Results --------------------------------------------------------------- */

uint16_t mmu_asid(const struct mmu_regime *r)
{
    if (r->kind == REGIME_EL2)
        return 0;
    uint64_t ttbr = bit(r->tcr, TCR_A1) ? r->ttbr1 : r->ttbr0;
    uint16_t asid = (uint16_t)field(ttbr, 63, 48);
    return bit(r->tcr, TCR_AS) ? asid : asid & 0xff;
}

uint16_t mmu_vmid(const struct mmu_regime *r)
{
    if (r->kind != REGIME_EL10)
        return 0;
    uint16_t vmid = (uint16_t)field(r->vttbr, 63, 48);
    return bit(r->vtcr, VTCR_VS) ? vmid : vmid & 0xff;
}

static void fill(const struct mmu_regime *r, const struct stage *s1, const struct stage *fin,
                 enum mmu_access acc, struct mmu_result *out)
{
    struct memattr m = fin->attr;
    if (acc == MMU_EXEC && m.device)
        m = normal_attr(CACHE_NC, 0);
    unsigned size_log2 = fin->size_log2 < 64 ? fin->size_log2 : 12;
    out->pa = fin->oa;
    out->page_mask = (1ull << size_log2) - 1;
    out->attr = memattr_encode(m);
    out->device = m.device;
    out->readable = fin->r;
    out->writable = fin->w;
    out->executable = fin->x;
    out->s1_page_mask = s1->size_log2 < 64 ? (1ull << s1->size_log2) - 1 : 0xfff;
    out->global = s1->global;
    out->asid = mmu_asid(r);
    out->vmid = mmu_vmid(r);
    out->level = s1->level;
    out->ipa = s1->oa;
}

bool mmu_translate(const struct mmu_regime *r, mmu_read64_fn read64, void *opaque, uint64_t va,
                   enum mmu_access acc, struct mmu_result *out)
{
    assert(r->pa_bits >= 32 && r->pa_bits <= 48);
    *out = (struct mmu_result){.fault = MMU_OK};
    bool el10 = r->kind == REGIME_EL10;
    const struct ctx c = {r, read64, opaque, el10 && (r->s2_enabled || r->hcr_dc)};
    /* HCR_EL2.DC turns stage 1 of EL1&0 off whatever SCTLR_EL1.M says */
    bool s1_enabled = r->s1_enabled && !(el10 && r->hcr_dc);
    struct stage s1;
    if (!(s1_enabled ? s1_on : s1_off)(&c, va, acc, &s1, out))
        return false;
    struct stage fin = s1;
    if (c.s2) {
        struct stage s2;
        if (!s2_translate(&c, s1.oa, acc, false, &s2, out))
            return false;
        fin.oa = s2.oa;
        fin.size_log2 = s2.size_log2 < s1.size_log2 ? s2.size_log2 : s1.size_log2;
        fin.attr = combine_attr(s1.attr, s2.attr);
        fin.r = s1.r && s2.r;
        fin.w = s1.w && s2.w;
        fin.x = s1.x && s2.x;
    }
    fill(r, &s1, &fin, acc, out);
    return true;
}

/* ESR_ELx ISS DFSC/IFSC: 0b0000ll address size, 0b0001ll translation,
 * 0b0010ll Access flag, 0b0011ll permission, 0b0101ll synchronous External
 * abort on a table walk, ll being the level. */
unsigned mmu_fault_status(const struct mmu_result *res)
{
    assert(res->fault != MMU_OK && res->level <= 3);
    switch (res->fault) {
    case MMU_FAULT_ADDRESS_SIZE: return 0x00 | res->level;
    case MMU_FAULT_TRANSLATION: return 0x04 | res->level;
    case MMU_FAULT_ACCESS_FLAG: return 0x08 | res->level;
    case MMU_FAULT_PERMISSION: return 0x0c | res->level;
    case MMU_FAULT_EXTERNAL_WALK: return 0x14 | res->level;
    case MMU_OK: break;
    }
    return 0;
}
