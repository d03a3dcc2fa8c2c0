/* Memory for the PE: the software TLB behind the inline fast paths of
 * cpu_internal.h, the slow paths, instruction fetch into decoded blocks,
 * and the code cache the PEs share.
 *
 * Translation contexts and TLB sets. An access translates in a context:
 * the regime (EL1&0, EL2, EL2&0, or none for EL0 with HCR_EL2.{E2H, TGE} =
 * {0, 1}), the privilege (EL0 or the regime's own EL) and, for privileged
 * accesses, PSTATE.PAN (enum tlb_set_id). Permissions differ between
 * contexts, so each has a TLB set of its own and c->tlb points at the
 * current one. Exception entry and return, MSR PAN and a change of
 * HCR_EL2.TGE only switch sets (mem_tlb_switch): the entries of the context
 * left stay for when the PE comes back.
 *
 * A set is 256 entries, direct-mapped by VA page. The fast part (struct
 * tlb_entry) is two tags and the host addend; a hit is a compare and a host
 * load or store. The rest (struct tlb_meta) records what the entry was
 * filled from: the VA page, the ASID and VMID, nG, the permissions, and the
 * size of the stage 1 block or page, which is what a TLBI by VA matches.
 * A RAM page's entry holds the host addend, any other page's the physical
 * address (see TLB_SLOW below). Faults and LDTR/STTR (EL0's permissions at
 * EL1) are never cached: the architecture never caches a Translation,
 * Address size or Access flag fault either.
 *
 * Tags (Arm ARM D8, "Translation Lookaside Buffers"). An EL1&0 entry
 * belongs to the VMID of VTTBR_EL2 at fill; an EL1&0 or EL2&0 entry from
 * a page with nG = 1 belongs to the ASID of its regime (the TTBR that
 * TCR.A1 names, 8 or 16 bits as TCR.AS says); other entries are global.
 * An entry may be used only while its VMID is current and it is global or
 * its ASID is current: its fast tags are set only then. A new ASID or VMID
 * re-tags the sets of its regime (retag) instead of emptying them, so two
 * address spaces that alternate without a TLBI keep their entries apart.
 *
 * What invalidates what:
 * - TLBI (mem_tlbi) removes the entries the instruction names (the Arm ARM
 *   pages of the TLBI instructions): VMALLE1 every EL1&0 entry of the current VMID; VAE1 and
 *   VALE1 those of one VA, of the given ASID or global; VAAE1 and VAALE1
 *   those of one VA, any ASID; ASIDE1 the non-global ones of one ASID; at
 *   EL2 with HCR_EL2.{E2H, TGE} = {1, 1} the same in the EL2&0 regime.
 *   VMALLS12E1 and IPAS2E1 every EL1&0 entry of the current VMID (entries
 *   here combine both stages: IPAS2E1 may not leave one that used the
 *   IPA, and it does not know which did); ALLE1 every EL1&0 entry; ALLE2
 *   every EL2 and EL2&0 entry; VAE2 and VALE2 one VA in those. The leaf-only
 *   forms remove what the others do: this TLB holds leaves only. A block is
 *   cached as 4 KB pages, so a TLBI by VA removes every page of the block
 *   that holds the VA. The IS forms reach every PE, as do the EL1 forms at
 *   EL1 with HCR_EL2.FB = 1.
 * - A write to a translation control (mem_tlb_sync) that changes its value:
 *   SCTLR, TCR or MAIR of a regime empties that regime's sets; TTBRn of
 *   EL1&0 or EL2&0 with a new table address empties the entries of its
 *   half of the VA space (VA bit 55), TTBR0_EL2 of the EL2 regime the EL2
 *   set; VTCR_EL2, the table address of VTTBR_EL2 and HCR_EL2.{VM, DC, PTW}
 *   empty the EL1&0 sets; HCR_EL2.E2H empties everything. A new ASID or
 *   VMID alone re-tags. What is kept is what a walk with the new controls
 *   would produce again from the same tables: only a change of the tables
 *   in memory needs a TLBI, as the architecture requires of software
 *   (break-before-make, "TLB maintenance"); the architecture would also allow keeping
 *   entries across a register change, which this TLB never does.
 * - Reset (mem_tlb_flush) empties every set.
 *
 * Known translations that still take the slow path. The entry of a device
 * page, and for stores the entry of a RAM page that holds decoded code or
 * an exclusive mark, carry TLB_SLOW in their tags: the inline compare
 * fails, and the slow path finds the translation in the entry instead of
 * walking (access_pa for a device; write_known for RAM). A store there
 * resets the decoded instructions it overwrote and clears the other PEs'
 * exclusive marks it overlaps (Arm ARM B2.9, the global monitor); once the
 * page holds neither, its entry writes fast again. When a RAM page becomes
 * code or gets a mark, the entries that write fast to it are found through
 * the code cache's write map (struct wmap_bucket), whose (PE, index) pairs
 * stand for that index in every set of the PE that has written fast.
 *
 * Instruction fetch. Each set also caches FETCH_ENTRIES fetch translations
 * (VA page to PA page, decoded block and the rest of the translation),
 * tagged, re-tagged and invalidated like its data entries. A new code page
 * costs a lookup, not a walk, and so does mem_translate of a fetch (the
 * check at exception entry that the vector can be fetched). Blocks are
 * never freed, so a cached block pointer stays valid; IC IALLU resets
 * their instructions, not the translations.
 *
 * With stage 1 off, data is Device-nGnRnE (Arm ARM D8.2.x), so every
 * unaligned data access is an Alignment fault; Normal memory allows
 * unaligned accesses unless SCTLR_ELx.A is set. Unaligned accesses never
 * hit the TLB (their tag keeps the low address bits), so these checks are
 * the slow path's alone. */
#include <assert.h>
#include <stddef.h>
#include <stdlib.h>

#include "cpu/cpu_internal.h"
#include "cpu/mmu.h"
#include "sim/bus.h"
#include "sim/host.h"

/* struct tlb_meta.flags */
enum {
    TLB_META_GLOBAL = 1 << 0, /* nG == 0: any ASID may use it */
    TLB_META_READ = 1 << 1,   /* the translation allows data reads */
    TLB_META_WRITE = 1 << 2,  /* the translation allows data writes */
    TLB_META_MMIO = 1 << 3,   /* the page is not RAM: the addend gives the PA */
    TLB_META_NORMAL = 1 << 4, /* Normal memory (not Device): unaligned accesses allowed */
};

/* HCR_EL2 bits that cpu_internal.h does not name */
#define HCR_PTW (1ull << 2)
#define HCR_FB  (1ull << 9)
#define HCR_DC  (1ull << 12)
/* The HCR_EL2 bits a TLB entry depends on. TGE only selects the context. */
#define HCR_XLAT (HCR_VM | HCR_PTW | HCR_DC | HCR_E2H)
/* TTBRn_ELx and VTTBR_EL2 below the ASID or VMID field: BADDR and CnP. */
#define TTBR_TABLE ((1ull << 48) - 1)
/* The VA bits a TLBI by VA gives (VA[55:12]) and VA bit 55, which selects
 * TTBR1 in the two-range regimes. */
#define TLBI_VA_BITS (((1ull << 56) - 1) & PAGE_MASK)
#define VA_HIGH_HALF (1ull << 55)

/* Sets as bit masks (1 << enum tlb_set_id). */
#define SET(s) (1u << (s))
#define SETS_EL10                                                                                  \
    (SET(TLB_EL10_EL0) | SET(TLB_EL10_EL1) | SET(TLB_EL10_EL1_PAN) | SET(TLB_EL10_NOXLAT))
#define SETS_EL20 (SET(TLB_EL20_EL0) | SET(TLB_EL20_EL2) | SET(TLB_EL20_EL2_PAN))
#define SETS_EL2  (SET(TLB_EL2) | SETS_EL20)
#define SETS_ALL  (SET(TLB_SETS) - 1)

struct code_cache *code_cache_new(struct bus *bus, const struct cost_table *cost)
{
    struct code_cache *cc = calloc(1, sizeof(*cc));
    if (!cc)
        return NULL;
    cc->bus = bus;
    cc->cost = cost;
    cc->ram_base = bus_ram_base(bus);
    cc->npages = bus_ram_size(bus) >> PAGE_BITS;
    cc->blocks = calloc(cc->npages, sizeof(*cc->blocks));
    if (!cc->blocks) {
        free(cc);
        return NULL;
    }
    return cc;
}

void code_cache_free(struct code_cache *cc)
{
    if (!cc)
        return;
    for (size_t i = 0; i < cc->ncode_pages; i++)
        free(cc->blocks[cc->code_pages[i]]);
    free(cc->blocks);
    free(cc->code_pages);
    free(cc);
}

void code_cache_note_write(struct code_cache *cc, uint64_t pa, size_t len)
{
    if (len)
        mem_invalidate_code(cc, pa, (unsigned)len);
}

void code_cache_attach(struct code_cache *cc, struct cpu *c)
{
    assert(cc->ncpus < CODE_CACHE_MAX_CPUS);
    c->code_slot = cc->ncpus;
    cc->cpus[cc->ncpus++] = c;
}

/* ---- translation contexts ---- */

static bool hcr_e2h(const struct cpu *c)
{
    return c->have_el2 && (c->hcr_el2 & HCR_E2H);
}

static bool hcr_tge(const struct cpu *c)
{
    return c->have_el2 && (c->hcr_el2 & HCR_TGE);
}

/* The context of an access at the current EL (UNPRIV: LDTR/STTR, with
 * EL0's permissions), following HCR_EL2.{E2H, TGE}. */
static enum tlb_set_id context_of(const struct cpu *c, bool unpriv)
{
    if (c->el == 2) {
        if (!hcr_e2h(c))
            return TLB_EL2;
        if (unpriv)
            return TLB_EL20_EL0;
        return c->pan ? TLB_EL20_EL2_PAN : TLB_EL20_EL2;
    }
    /* With TGE set EL1 is not in use: EL0 runs in the host's EL2&0
     * regime, or, with E2H clear, untranslated (stage 1 off, no stage 2). */
    if (hcr_tge(c))
        return c->el == 0 && hcr_e2h(c) ? TLB_EL20_EL0 : TLB_EL10_NOXLAT;
    if (c->el == 0 || unpriv)
        return TLB_EL10_EL0;
    return c->pan ? TLB_EL10_EL1_PAN : TLB_EL10_EL1;
}

/* The controls of context S as the PE holds them now. */
static void context_regime(const struct cpu *c, enum tlb_set_id s, struct mmu_regime *r)
{
    *r = (struct mmu_regime){.kind = REGIME_EL10, .pa_bits = c->pa_bits ? c->pa_bits : 48};
    unsigned el = 1;
    switch (s) {
    case TLB_EL10_NOXLAT: r->unprivileged = true; return;
    case TLB_EL2:
        r->kind = REGIME_EL2;
        el = 2;
        break;
    case TLB_EL20_EL0:
    case TLB_EL20_EL2:
    case TLB_EL20_EL2_PAN:
        r->kind = REGIME_EL20;
        r->unprivileged = s == TLB_EL20_EL0;
        r->pan = s == TLB_EL20_EL2_PAN;
        el = 2;
        break;
    default:
        r->unprivileged = s == TLB_EL10_EL0;
        r->pan = s == TLB_EL10_EL1_PAN;
        if (c->have_el2) {
            r->s2_enabled = c->hcr_el2 & HCR_VM;
            r->vtcr = c->vtcr_el2;
            r->vttbr = c->vttbr_el2;
            r->hcr_ptw = c->hcr_el2 & HCR_PTW;
            r->hcr_dc = c->hcr_el2 & HCR_DC;
        }
        break;
    }
    r->s1_enabled = c->sctlr[el] & SCTLR_M;
    r->sctlr = c->sctlr[el];
    r->tcr = c->tcr[el];
    r->ttbr0 = c->ttbr0[el];
    r->ttbr1 = c->ttbr1[el];
    r->mair = c->mair[el];
}

static bool read_desc(void *opaque, uint64_t pa, uint64_t *value)
{
    struct cpu *c = opaque;
    if (!bus_is_ram(c->bus, pa, 8))
        return false;
    memcpy(value, c->ram_host + (pa - c->ram_base), 8);
    return true;
}

static bool fetch_cached(const struct cpu *c, enum tlb_set_id s, uint64_t va,
                         struct mmu_result *res);

bool mem_translate(struct cpu *c, uint64_t va, int acc, bool unpriv, struct mmu_result *res)
{
    enum tlb_set_id s = context_of(c, unpriv);
    if (acc == MMU_EXEC && fetch_cached(c, s, va, res))
        return true;
    struct mmu_regime r;
    context_regime(c, s, &r);
    return mmu_translate(&r, read_desc, c, va, (enum mmu_access)acc, res);
}

/* SCTLR_ELx.A of the regime in use: alignment checks on Normal memory. */
static bool strict_alignment(const struct cpu *c)
{
    unsigned el = (c->el == 2 || (c->el == 0 && hcr_e2h(c) && hcr_tge(c))) ? 2 : 1;
    return c->sctlr[el] & SCTLR_A;
}

/* ---- the sets: tags, emptying, switching ---- */

static unsigned tlb_index(uint64_t va)
{
    return (va >> PAGE_BITS) & (TLB_ENTRIES - 1);
}

static unsigned fetch_index(uint64_t va)
{
    return (va >> PAGE_BITS) & (FETCH_ENTRIES - 1);
}

/* May the entry M of set S be used in S's context now? */
static bool usable(const struct tlb_set *s, const struct tlb_meta *m)
{
    return m->page != TAG_INVALID && m->vmid == s->vmid &&
           ((m->flags & TLB_META_GLOBAL) || m->asid == s->asid);
}

/* Set or clear the tags of entry I of S as its ASID and VMID allow. A
 * write tag set again takes the slow path until a store finds the page
 * free of code and marks (write_known). */
static void arm_entry(struct tlb_set *s, unsigned i)
{
    const struct tlb_meta *m = &s->m[i];
    struct tlb_entry *e = &s->e[i];
    if (!usable(s, m)) {
        e->read_tag = e->write_tag = TAG_INVALID;
        return;
    }
    if (e->read_tag != TAG_INVALID || e->write_tag != TAG_INVALID)
        return; /* already set */
    uint64_t read = m->flags & TLB_META_MMIO ? m->page | TLB_SLOW : m->page;
    e->read_tag = (m->flags & TLB_META_READ) ? read : TAG_INVALID;
    e->write_tag = (m->flags & TLB_META_WRITE) ? m->page | TLB_SLOW : TAG_INVALID;
}

static void arm_fetch(struct tlb_set *s, unsigned i)
{
    s->f[i].page = usable(s, &s->fm[i]) ? s->fm[i].page : FETCH_NONE;
}

static void kill_entry(struct tlb_set *s, unsigned i)
{
    s->m[i].page = TAG_INVALID;
    s->e[i].read_tag = s->e[i].write_tag = TAG_INVALID;
}

static void kill_fetch(struct tlb_set *s, unsigned i)
{
    s->fm[i].page = TAG_INVALID;
    s->f[i].page = FETCH_NONE;
}

static void set_empty(struct tlb_set *s)
{
    for (unsigned i = 0; i < TLB_ENTRIES; i++)
        kill_entry(s, i);
    for (unsigned i = 0; i < FETCH_ENTRIES; i++)
        kill_fetch(s, i);
    s->max_shift = PAGE_BITS;
}

/* Empty the entries of S whose VA is in the half that HIGH names. */
static void set_empty_half(struct tlb_set *s, bool high)
{
    for (unsigned i = 0; i < TLB_ENTRIES; i++)
        if (s->m[i].page != TAG_INVALID && ((s->m[i].page & VA_HIGH_HALF) != 0) == high)
            kill_entry(s, i);
    for (unsigned i = 0; i < FETCH_ENTRIES; i++)
        if (s->fm[i].page != TAG_INVALID && ((s->fm[i].page & VA_HIGH_HALF) != 0) == high)
            kill_fetch(s, i);
}

/* Bring set S's ASID and VMID up to date with the controls; when either
 * changed, set or clear every entry's fast tags to match. */
static void retag(struct cpu *c, enum tlb_set_id id)
{
    struct tlb_set *s = &c->tlb_sets[id];
    struct mmu_regime r;
    context_regime(c, id, &r);
    uint16_t asid = mmu_asid(&r), vmid = mmu_vmid(&r);
    if (asid == s->asid && vmid == s->vmid)
        return;
    s->asid = asid;
    s->vmid = vmid;
    for (unsigned i = 0; i < TLB_ENTRIES; i++)
        arm_entry(s, i);
    for (unsigned i = 0; i < FETCH_ENTRIES; i++)
        arm_fetch(s, i);
}

/* The current set, from the pointer the fast paths use. */
static struct tlb_set *cur_set(const struct cpu *c)
{
    _Static_assert(offsetof(struct tlb_set, e) == 0, "tlb points at a set's first member");
    return (struct tlb_set *)(void *)c->tlb;
}

/* Make S the current set. The run loop keeps the current code page in a
 * local: make it look again under the new context. */
static void switch_to(struct cpu *c, enum tlb_set_id s)
{
    c->tlb_cur = s;
    c->tlb = c->tlb_sets[s].e;
    c->fetch_page = FETCH_NONE;
    cpu_break(c);
}

/* The set of the current context, switched to first if the state changed
 * without a mem_tlb_* call (cpu_power_on sets the EL after the reset that
 * emptied every set). */
static struct tlb_set *current_set(struct cpu *c)
{
    enum tlb_set_id s = context_of(c, false);
    if (s != c->tlb_cur)
        switch_to(c, s);
    return &c->tlb_sets[s];
}

static void controls_now(const struct cpu *c, struct tlb_controls *t)
{
    *t = (struct tlb_controls){
        .hcr = c->hcr_el2 & HCR_XLAT, .vtcr = c->vtcr_el2, .vttbr = c->vttbr_el2};
    for (unsigned el = 1; el <= 2; el++) {
        t->sctlr[el] = c->sctlr[el];
        t->tcr[el] = c->tcr[el];
        t->ttbr0[el] = c->ttbr0[el];
        t->ttbr1[el] = c->ttbr1[el];
        t->mair[el] = c->mair[el];
    }
}

void mem_tlb_flush(struct cpu *c)
{
    controls_now(c, &c->tlb_ctl);
    c->tlb_fast_sets = 0;
    for (unsigned s = 0; s < TLB_SETS; s++) {
        set_empty(&c->tlb_sets[s]);
        struct mmu_regime r;
        context_regime(c, (enum tlb_set_id)s, &r);
        c->tlb_sets[s].asid = mmu_asid(&r);
        c->tlb_sets[s].vmid = mmu_vmid(&r);
    }
    switch_to(c, context_of(c, false));
}

void mem_tlb_drop_data(struct cpu *c)
{
    for (unsigned s = 0; s < TLB_SETS; s++)
        for (unsigned i = 0; i < TLB_ENTRIES; i++)
            kill_entry(&c->tlb_sets[s], i);
    c->tlb_fast_sets = 0;
}

void mem_tlb_switch(struct cpu *c)
{
    enum tlb_set_id s = context_of(c, false);
    if (s != c->tlb_cur)
        switch_to(c, s);
}

/* Which sets a change from WAS to NOW empties whole (the return value),
 * and which lose their low (*low) or high (*high) VA half. */
static unsigned sets_to_empty(const struct tlb_controls *was, const struct tlb_controls *now,
                              unsigned *low, unsigned *high)
{
    *low = *high = 0;
    if ((was->hcr ^ now->hcr) & HCR_E2H)
        return SETS_ALL; /* the EL2 registers change layout */
    unsigned empty = 0;
    if (was->sctlr[1] != now->sctlr[1] || was->tcr[1] != now->tcr[1] ||
        was->mair[1] != now->mair[1] || was->vtcr != now->vtcr || was->hcr != now->hcr ||
        ((was->vttbr ^ now->vttbr) & TTBR_TABLE))
        empty |= SETS_EL10;
    if (was->sctlr[2] != now->sctlr[2] || was->tcr[2] != now->tcr[2] ||
        was->mair[2] != now->mair[2])
        empty |= SETS_EL2;
    if ((was->ttbr0[1] ^ now->ttbr0[1]) & TTBR_TABLE)
        *low |= SETS_EL10;
    if ((was->ttbr1[1] ^ now->ttbr1[1]) & TTBR_TABLE)
        *high |= SETS_EL10;
    if ((was->ttbr0[2] ^ now->ttbr0[2]) & TTBR_TABLE) {
        empty |= SET(TLB_EL2); /* one VA range, all from TTBR0_EL2 */
        *low |= SETS_EL20;
    }
    if ((was->ttbr1[2] ^ now->ttbr1[2]) & TTBR_TABLE)
        *high |= SETS_EL20;
    return empty;
}

void mem_tlb_sync(struct cpu *c)
{
    struct tlb_controls now;
    controls_now(c, &now);
    if (!memcmp(&now, &c->tlb_ctl, sizeof(now))) {
        mem_tlb_switch(c);
        return;
    }
    unsigned low, high;
    unsigned empty = sets_to_empty(&c->tlb_ctl, &now, &low, &high);
    c->tlb_ctl = now;
    for (unsigned s = 0; s < TLB_SETS; s++) {
        struct tlb_set *set = &c->tlb_sets[s];
        if (empty & SET(s))
            set_empty(set);
        if (low & SET(s))
            set_empty_half(set, false);
        if (high & SET(s))
            set_empty_half(set, true);
        retag(c, (enum tlb_set_id)s);
    }
    switch_to(c, context_of(c, false));
}

/* ---- the write map: which TLB entries write fast to a RAM page ---- */

static struct wmap_bucket *wmap_bucket(struct code_cache *cc, uint64_t pa_page)
{
    return &cc->wmap[(pa_page >> PAGE_BITS) & (WMAP_BUCKETS - 1)];
}

/* The RAM page (physical address) that entry E of PE writes to on the
 * fast path, or TAG_INVALID. */
static uint64_t entry_write_pa(const struct cpu *pe, const struct tlb_entry *e)
{
    if (e->write_tag == TAG_INVALID || (e->write_tag & TLB_SLOW))
        return TAG_INVALID;
    uintptr_t host = (uintptr_t)(e->write_tag & PAGE_MASK) + e->addend;
    return (uint64_t)(host - (uintptr_t)pe->ram_host) + pe->ram_base;
}

/* Entry IDX of one of PE's sets now writes fast to PA_PAGE: note where. */
static void wmap_note(struct code_cache *cc, const struct cpu *pe, unsigned idx, uint64_t pa_page)
{
    struct wmap_bucket *b = wmap_bucket(cc, pa_page);
    if (b->full)
        return;
    for (unsigned i = 0; i < b->n; i++)
        if (b->pe[i] == pe->code_slot && b->idx[i] == idx)
            return;
    if (b->n == WMAP_SLOTS) {
        b->full = true;
        return;
    }
    b->pe[b->n] = (uint8_t)pe->code_slot;
    b->idx[b->n++] = (uint8_t)idx;
}

/* Rebuild bucket B from every TLB: the pairs whose entries write to one
 * of its pages, if they fit. */
static void wmap_rebuild(struct code_cache *cc, struct wmap_bucket *b)
{
    b->n = 0;
    b->full = false;
    for (unsigned i = 0; i < cc->ncpus; i++) {
        const struct cpu *pe = cc->cpus[i];
        for (unsigned s = 0; s < TLB_SETS; s++)
            for (unsigned j = 0; j < TLB_ENTRIES && (pe->tlb_fast_sets & SET(s)); j++) {
                uint64_t pa = entry_write_pa(pe, &pe->tlb_sets[s].e[j]);
                if (pa != TAG_INVALID && wmap_bucket(cc, pa) == b)
                    wmap_note(cc, pe, j, pa);
            }
    }
}

/* Send PE's stores through entries at IDX (in every set) to PA_PAGE down
 * the slow path. True if one of them still writes fast to another page
 * of bucket B. */
static bool slow_down(struct code_cache *cc, struct cpu *pe, unsigned idx, uint64_t pa_page,
                      const struct wmap_bucket *b)
{
    bool others = false;
    for (unsigned sets = pe->tlb_fast_sets; sets; sets &= sets - 1) {
        struct tlb_entry *e = &pe->tlb_sets[__builtin_ctz(sets)].e[idx];
        uint64_t pa = entry_write_pa(pe, e);
        if (pa == pa_page)
            e->write_tag |= TLB_SLOW;
        else if (pa != TAG_INVALID && wmap_bucket(cc, pa) == b)
            others = true;
    }
    return others;
}

/* A RAM page just became code or got an exclusive mark: no PE may keep a
 * fast write path to it. Any virtual page may map it (aliases, other PEs'
 * tables), so the entries are found by the RAM page they write to: through
 * the page's bucket, or by scanning every TLB when the bucket overflowed. */
static void drop_write_entries(struct code_cache *cc, uint64_t pa_page)
{
    struct wmap_bucket *b = wmap_bucket(cc, pa_page);
    if (b->full) {
        for (unsigned i = 0; i < cc->ncpus; i++)
            for (unsigned j = 0; j < TLB_ENTRIES; j++)
                slow_down(cc, cc->cpus[i], j, pa_page, b);
        wmap_rebuild(cc, b);
        return;
    }
    unsigned kept = 0;
    for (unsigned i = 0; i < b->n; i++) {
        if (slow_down(cc, cc->cpus[b->pe[i]], b->idx[i], pa_page, b)) {
            b->pe[kept] = b->pe[i];
            b->idx[kept++] = b->idx[i];
        }
    }
    b->n = (uint8_t)kept;
}

/* ---- decoded code ---- */

static struct code_block *new_block(void)
{
    struct code_block *b = malloc(sizeof(*b));
    if (!b)
        host_out_of_memory();
    for (unsigned i = 0; i < INSNS_PER_PAGE; i++)
        b->insn[i] = (struct insn){.fn = insn_decode_stub};
    b->insn[INSNS_PER_PAGE] = (struct insn){.fn = insn_page_end};
    return b;
}

/* Make entry E decode again when next executed: its handler becomes the
 * decode stub, with the stub's cost of 0, and its operands stay. The entry
 * may be the one whose handler is running (a store that overwrote its own
 * instruction): that handler goes on reading its operands from it. */
static void entry_reset(struct insn *e)
{
    e->fn = insn_decode_stub;
    e->cost = 0;
}

/* A store of SIZE bytes at PA overwrote decoded code: make the entries it
 * touched decode again when next executed. */
void mem_invalidate_code(struct code_cache *cc, uint64_t pa, unsigned size)
{
    uint64_t first = (pa - cc->ram_base) >> 2;
    uint64_t last = (pa + size - 1 - cc->ram_base) >> 2;
    for (uint64_t w = first; w <= last; w++) {
        struct code_block *b = cc->blocks[w / INSNS_PER_PAGE];
        if (b)
            entry_reset(&b->insn[w % INSNS_PER_PAGE]);
    }
}

static void note_code_page(struct code_cache *cc, uint64_t page)
{
    if (cc->ncode_pages == cc->code_pages_cap) {
        size_t cap = cc->code_pages_cap ? 2 * cc->code_pages_cap : 64;
        uint64_t *p = realloc(cc->code_pages, cap * sizeof(*p));
        if (!p)
            host_out_of_memory();
        cc->code_pages = p;
        cc->code_pages_cap = cap;
    }
    cc->code_pages[cc->ncode_pages++] = page;
}

void mem_invalidate_all_code(struct code_cache *cc)
{
    for (size_t i = 0; i < cc->ncode_pages; i++) {
        struct code_block *b = cc->blocks[cc->code_pages[i]];
        for (unsigned j = 0; j < INSNS_PER_PAGE; j++)
            entry_reset(&b->insn[j]);
    }
}

/* What an entry for RES records besides its page. */
static struct tlb_meta meta_of(uint64_t page, const struct mmu_result *res, uint8_t flags)
{
    return (struct tlb_meta){.page = page,
                             .asid = res->asid,
                             .vmid = res->vmid,
                             .flags = (uint8_t)(flags | (res->global ? TLB_META_GLOBAL : 0)),
                             .s1_shift = (uint8_t)(64 - __builtin_clzll(res->s1_page_mask))};
}

/* A fill must match the tags of its set: they follow the controls. */
static void note_fill(struct tlb_set *s, const struct tlb_meta *m)
{
    assert(usable(s, m));
    if (m->s1_shift > s->max_shift)
        s->max_shift = m->s1_shift;
}

/* Translate PC's page for a fetch into its fetch entry of set S (the
 * current one); false when the fetch faulted (the fault is taken). */
static bool fetch_fill(struct cpu *c, struct tlb_set *s, uint64_t pc)
{
    /* A fetch fault is raised before the loop counts the instruction;
     * cpu_raise_fault takes one back for the instruction that did not
     * retire, so give it one to take. */
    struct code_cache *cc = c->code;
    struct mmu_result res;
    if (!mem_translate(c, pc, MMU_EXEC, false, &res)) {
        c->insns++;
        exc_mmu_fault(c, &res, pc, false, true);
        return false;
    }
    if (!bus_is_ram(cc->bus, res.pa, 4)) {
        c->insns++;
        cpu_raise_fault(c, FAULT_INSN_ABORT, pc, 4, false);
        return false;
    }
    uint64_t page = (res.pa - cc->ram_base) >> PAGE_BITS;
    if (!cc->blocks[page]) {
        cc->blocks[page] = new_block();
        note_code_page(cc, page);
        drop_write_entries(cc, res.pa & PAGE_MASK);
    }
    unsigned i = fetch_index(pc);
    uint8_t perms =
        (uint8_t)((res.readable ? TLB_META_READ : 0) | (res.writable ? TLB_META_WRITE : 0));
    s->fm[i] = meta_of(pc & PAGE_MASK, &res, perms);
    note_fill(s, &s->fm[i]);
    s->f[i] = (struct fetch_entry){.page = pc & PAGE_MASK,
                                   .pa_page = res.pa & PAGE_MASK,
                                   .block = cc->blocks[page],
                                   .ipa_page = res.ipa & PAGE_MASK,
                                   .attr = res.attr,
                                   .level = (uint8_t)res.level,
                                   .size_shift = (uint8_t)(64 - __builtin_clzll(res.page_mask))};
    return true;
}

/* A fetch from a page with no fetch entry in the current set, or from a
 * misaligned PC. */
static struct code_block *__attribute__((noinline)) fetch_miss(struct cpu *c, uint64_t pc)
{
    if (pc & 3) {
        c->insns++; /* as in fetch_fill */
        cpu_raise_fault(c, FAULT_PC_ALIGNMENT, pc, 4, false);
        return NULL;
    }
    struct tlb_set *s = current_set(c);
    const struct fetch_entry *f = &s->f[fetch_index(pc)];
    if (f->page != (pc & PAGE_MASK) && !fetch_fill(c, s, pc))
        return NULL;
    c->fetch_page = f->page;
    c->fetch_pa_page = f->pa_page;
    c->cur_block = f->block;
    return f->block;
}

struct code_block *mem_fetch_block(struct cpu *c, uint64_t pc)
{
    /* A misaligned PC matches no entry: entries hold pages. */
    const struct fetch_entry *f = &cur_set(c)->f[fetch_index(pc)];
    if (f->page != (pc & (PAGE_MASK | 3)))
        return fetch_miss(c, pc);
    c->fetch_page = f->page;
    c->fetch_pa_page = f->pa_page;
    c->cur_block = f->block;
    return f->block;
}

/* The translation of a fetch from VA in context S, from the fetch entry of
 * its page: what mmu_translate gave when the entry was filled, and would
 * give again (a fetch's result has device false, executable true). */
static bool fetch_cached(const struct cpu *c, enum tlb_set_id s, uint64_t va,
                         struct mmu_result *res)
{
    const struct tlb_set *set = &c->tlb_sets[s];
    unsigned i = fetch_index(va);
    const struct fetch_entry *f = &set->f[i];
    const struct tlb_meta *m = &set->fm[i];
    if (f->page != (va & PAGE_MASK))
        return false;
    uint64_t offset = va & ~PAGE_MASK;
    *res = (struct mmu_result){.pa = f->pa_page | offset,
                               .page_mask = (1ull << f->size_shift) - 1,
                               .attr = f->attr,
                               .readable = m->flags & TLB_META_READ,
                               .writable = m->flags & TLB_META_WRITE,
                               .executable = true,
                               .s1_page_mask = (1ull << m->s1_shift) - 1,
                               .global = m->flags & TLB_META_GLOBAL,
                               .asid = m->asid,
                               .vmid = m->vmid,
                               .fault = MMU_OK,
                               .level = f->level,
                               .ipa = f->ipa_page | offset};
    return true;
}

/* ---- the exclusive monitors ---- */

/* Does any PE hold an exclusive mark on this physical page? */
static bool page_monitored(const struct code_cache *cc, uint64_t pa_page)
{
    for (unsigned i = 0; i < cc->ncpus; i++) {
        const struct cpu *pe = cc->cpus[i];
        if (pe->excl_valid && (pe->excl_pa & PAGE_MASK) == pa_page)
            return true;
    }
    return false;
}

/* The physical address of VA, which the PE has just read, and whether it
 * is a page of RAM: from the TLB when the read hit it (a read tag equal to
 * the page is a RAM page's; a device page's carries TLB_SLOW), else by a
 * walk (a device access, or a page whose entry another access has since
 * replaced). */
static uint64_t read_pa(struct cpu *c, uint64_t va, bool *ram_page)
{
    const struct tlb_entry *e = &c->tlb[tlb_index(va)];
    if (e->read_tag == (va & PAGE_MASK)) {
        *ram_page = true;
        return (uint64_t)((uintptr_t)(va + e->addend) - (uintptr_t)c->ram_host) + c->ram_base;
    }
    struct mmu_result res;
    bool ok = mem_translate(c, va, MMU_READ, false, &res);
    assert(ok); /* the load-exclusive's own read just translated it */
    (void)ok;
    *ram_page = bus_is_ram(c->bus, res.pa & PAGE_MASK, PAGE_SIZE);
    return res.pa;
}

void mem_excl_mark(struct cpu *c, uint64_t va, unsigned size)
{
    bool ram_page;
    uint64_t pa = read_pa(c, va, &ram_page);
    bool marked = page_monitored(c->code, pa & PAGE_MASK);
    c->excl_valid = true;
    c->excl_addr = va;
    c->excl_pa = pa;
    c->excl_size = size;
    /* While the page holds a mark no entry writes fast to it, so a page
     * already marked has none left to slow down. */
    if (!marked && ram_page)
        drop_write_entries(c->code, pa & PAGE_MASK);
}

/* The global monitor (Arm ARM B2.9.x): a store by one PE to an address
 * another PE has marked clears that mark, and the clearing is a WFE
 * wake-up event for that PE. A PE's own plain stores leave its mark (an
 * IMPLEMENTATION DEFINED choice). Returns whether a mark (this PE's
 * included) is left on the page of PA. */
static bool excl_clear_others(struct cpu *c, uint64_t pa, unsigned size)
{
    struct code_cache *cc = c->code;
    bool marked = false;
    for (unsigned i = 0; i < cc->ncpus; i++) {
        struct cpu *pe = cc->cpus[i];
        if (!pe->excl_valid)
            continue;
        if (pe == c || !(pa < pe->excl_pa + pe->excl_size && pe->excl_pa < pa + size)) {
            marked |= (pe->excl_pa & PAGE_MASK) == (pa & PAGE_MASK);
            continue;
        }
        pe->excl_valid = false;
        pe->event_register = true;
        if (pe->state == CPU_WAIT_WFE) {
            pe->event_register = false;
            cpu_wake(pe, c->cycles);
        }
    }
    return marked;
}

/* ---- the slow paths ---- */

/* May a TLB entry write fast to RAM page PA_PAGE? Not while the page
 * holds decoded code or any PE's exclusive mark. */
static bool fast_write_allowed(const struct cpu *c, uint64_t pa_page)
{
    return !c->code->blocks[(pa_page - c->ram_base) >> PAGE_BITS] &&
           !page_monitored(c->code, pa_page);
}

/* Cache the translation of VA's page in the current set: for RAM the host
 * address, readable and writable as the translation allows; for anything
 * else the physical address, for the slow path (write_known). */
static void tlb_fill(struct cpu *c, uint64_t va, const struct mmu_result *res)
{
    if (c->dbg_wp)
        return; /* every access must reach the watchpoint check */
    uint64_t page = va & PAGE_MASK, pa_page = res->pa & PAGE_MASK;
    struct tlb_set *s = current_set(c);
    unsigned i = tlb_index(va);
    struct tlb_entry *e = &s->e[i];
    bool ram = bus_is_ram(c->bus, pa_page, PAGE_SIZE);
    uint8_t flags =
        (uint8_t)((res->readable ? TLB_META_READ : 0) | (res->writable ? TLB_META_WRITE : 0) |
                  (ram ? 0 : TLB_META_MMIO) | (res->device ? 0 : TLB_META_NORMAL));
    s->m[i] = meta_of(page, res, flags);
    note_fill(s, &s->m[i]);
    if (!ram) {
        e->addend = (uintptr_t)(pa_page - page);
        e->read_tag = res->readable ? page | TLB_SLOW : TAG_INVALID;
        e->write_tag = res->writable ? page | TLB_SLOW : TAG_INVALID;
        return;
    }
    e->addend = (uintptr_t)(c->ram_host + (pa_page - c->ram_base)) - (uintptr_t)page;
    e->read_tag = res->readable ? page : TAG_INVALID;
    e->write_tag = TAG_INVALID;
    if (!res->writable)
        return;
    if (!fast_write_allowed(c, pa_page)) {
        e->write_tag = page | TLB_SLOW;
        return;
    }
    e->write_tag = page;
    c->tlb_fast_sets |= (uint8_t)SET(c->tlb_cur);
    wmap_note(c->code, c, i, pa_page);
}

static void mmio_charge(struct cpu *c)
{
    c->cycles += c->cost->cycles[COST_MMIO];
}

/* A store of SIZE bytes of VALUE to RAM at PA, whose host copy is at P:
 * keep decoded code and the other PEs' exclusive marks right. Returns
 * whether the page, holding neither code nor a mark after the store, may
 * be written fast (fast_write_allowed). */
static inline bool store_ram(struct cpu *c, uint8_t *p, uint64_t pa, unsigned size, uint64_t value)
{
    switch (size) { /* little-endian host */
    case 1: *p = (uint8_t)value; break;
    case 2: memcpy(p, &(uint16_t){(uint16_t)value}, 2); break;
    case 4: memcpy(p, &(uint32_t){(uint32_t)value}, 4); break;
    default: memcpy(p, &value, 8); break;
    }
    struct code_cache *cc = c->code;
    bool code = cc->blocks[(pa - cc->ram_base) >> PAGE_BITS] != NULL;
    if (code)
        mem_invalidate_code(cc, pa, size);
    return !excl_clear_others(c, pa, size) && !code;
}

/* One naturally aligned access (or one that stays inside a page of Normal
 * memory) after translation. Out of line: the store fast path of
 * write_known stays small. */
static bool __attribute__((noinline))
access_pa(struct cpu *c, uint64_t va, uint64_t pa, unsigned size, uint64_t *value, bool write)
{
    if (bus_is_ram(c->bus, pa, size)) {
        uint8_t *p = c->ram_host + (pa - c->ram_base);
        if (write) {
            store_ram(c, p, pa, size, *value);
            return true;
        }
        uint64_t v = 0;
        memcpy(&v, p, size); /* little-endian host */
        *value = v;
        return true;
    }
    mmio_charge(c);
    /* A device (and whoever observes the bus) sees only the bytes written. */
    uint64_t wvalue = size < 8 ? *value & ((1ull << (8 * size)) - 1) : *value;
    enum bus_result r =
        write ? bus_mmio_write(c->bus, pa, size, wvalue) : bus_mmio_read(c->bus, pa, size, value);
    if (r != BUS_OK) {
        cpu_raise_fault(c, FAULT_EXTERNAL_ABORT, va, size, write);
        return false;
    }
    return true;
}

static bool access_slow(struct cpu *c, uint64_t va, unsigned size, uint64_t *value, bool write,
                        bool unpriv)
{
    struct mmu_result res;
    if (!mem_translate(c, va, write ? MMU_WRITE : MMU_READ, unpriv, &res)) {
        exc_mmu_fault(c, &res, va, write, false);
        return false;
    }
    bool aligned = !(va & (size - 1));
    if (!aligned && (res.device || strict_alignment(c))) {
        cpu_raise_fault(c, FAULT_ALIGNMENT, va, size, write);
        return false;
    }
    if (!aligned && (va & ~PAGE_MASK) + size > PAGE_SIZE) {
        /* Unaligned across a page boundary on Normal memory: byte by byte,
         * each byte translated on its own (the second page may fault). */
        uint64_t v = write ? *value : 0;
        for (unsigned i = 0; i < size; i++) {
            uint64_t b = (v >> (8 * i)) & 0xff;
            if (!access_slow(c, va + i, 1, &b, write, unpriv))
                return false;
            if (!write)
                v |= b << (8 * i);
        }
        if (!write)
            *value = v;
        return true;
    }
    /* Watchpoints are checked once the access has translated: alignment
     * and MMU faults come first (Arm ARM D1, "Synchronous exception
     * prioritization"). */
    if (c->dbg_wp && debug_watchpoint(c, va, size, write, !unpriv))
        return false;
    if (!unpriv)
        tlb_fill(c, va, &res);
    return access_pa(c, va, res.pa, size, value, write);
}

/* An aligned store through entry E of the current set, whose TLB_SLOW
 * write tag says the translation allows it: to a device, or to RAM that
 * holds code or an exclusive mark. The same store as access_slow's after
 * its walk, without the walk. The entry writes fast again once the page
 * holds neither code nor a mark. */
static bool write_known(struct cpu *c, struct tlb_entry *e, uint64_t va, unsigned size,
                        uint64_t value)
{
    if (cur_set(c)->m[tlb_index(va)].flags & TLB_META_MMIO)
        return access_pa(c, va, va + (uint64_t)e->addend, size, &value, true);
    uint8_t *p = (uint8_t *)(va + e->addend);
    uint64_t pa = (uint64_t)(p - c->ram_host) + c->ram_base;
    if (store_ram(c, p, pa, size, value)) {
        e->write_tag = va & PAGE_MASK;
        c->tlb_fast_sets |= (uint8_t)SET(c->tlb_cur);
        wmap_note(c->code, c, tlb_index(va), pa & PAGE_MASK);
    }
    return true;
}

/* The host address of an unaligned access of SIZE bytes at VA when it
 * lies in one page of Normal RAM whose TLB entry is valid for this
 * direction and SCTLR_ELx.A is clear: the access can neither fault nor
 * reach a device, and needs no walk (the fast path missed it only because
 * its tag carries the low address bits). NULL otherwise. */
static uint8_t *unaligned_ram(struct cpu *c, uint64_t va, unsigned size, bool write)
{
    if ((va & ~PAGE_MASK) + size > PAGE_SIZE)
        return NULL;
    unsigned i = tlb_index(va);
    const struct tlb_entry *e = &c->tlb[i];
    if ((write ? e->write_tag : e->read_tag) != (va & PAGE_MASK))
        return NULL;
    if (!(cur_set(c)->m[i].flags & TLB_META_NORMAL) || strict_alignment(c))
        return NULL;
    return (uint8_t *)(uintptr_t)(va + e->addend);
}

struct mem_load mem_read_slow(struct cpu *c, uint64_t va, unsigned size)
{
    struct mem_load r = {0, false};
    const struct tlb_entry *e = &c->tlb[tlb_index(va)];
    if (va & (size - 1)) {
        const uint8_t *p = unaligned_ram(c, va, size, false);
        if (p) {
            memcpy(&r.value, p, size); /* little-endian host */
            r.ok = true;
            return r;
        }
    }
    /* A known device page: the access without the walk. */
    if (e->read_tag == (tlb_tag(va, size) | TLB_SLOW))
        r.ok = access_pa(c, va, va + (uint64_t)e->addend, size, &r.value, false);
    else
        r.ok = access_slow(c, va, size, &r.value, false, false);
    return r;
}

bool mem_write_slow(struct cpu *c, uint64_t va, unsigned size, uint64_t value)
{
    struct tlb_entry *e = &c->tlb[tlb_index(va)];
    if (va & (size - 1)) {
        uint8_t *p = unaligned_ram(c, va, size, true);
        if (p) {
            memcpy(p, &value, size);
            return true;
        }
    }
    if (e->write_tag == (tlb_tag(va, size) | TLB_SLOW))
        return write_known(c, e, va, size, value);
    return access_slow(c, va, size, &value, true, false);
}

bool mem_check_alignment(struct cpu *c, uint64_t va, unsigned size, bool write)
{
    struct mmu_result res;
    if (!(va & (size - 1)) || unaligned_ram(c, va, 1, write))
        return true;
    if (!mem_translate(c, va, write ? MMU_WRITE : MMU_READ, false, &res)) {
        exc_mmu_fault(c, &res, va, write, false);
        return false;
    }
    if (res.device || strict_alignment(c)) {
        cpu_raise_fault(c, FAULT_ALIGNMENT, va, size, write);
        return false;
    }
    return true;
}

bool mem_read_q_slow(struct cpu *c, uint64_t va, uint64_t out[2])
{
    const uint8_t *p = (va & 15) ? unaligned_ram(c, va, 16, false) : NULL;
    if (p) {
        memcpy(out, p, 16);
        return true;
    }
    return mem_check_alignment(c, va, 16, false) && mem_read(c, va, 8, &out[0]) &&
           mem_read(c, va + 8, 8, &out[1]);
}

bool mem_write_q_slow(struct cpu *c, uint64_t va, const uint64_t v[2])
{
    uint8_t *p = (va & 15) ? unaligned_ram(c, va, 16, true) : NULL;
    if (p) {
        memcpy(p, v, 16);
        return true;
    }
    return mem_check_alignment(c, va, 16, true) && mem_write(c, va, 8, v[0]) &&
           mem_write(c, va + 8, 8, v[1]);
}

struct mem_load mem_read_unpriv(struct cpu *c, uint64_t va, unsigned size)
{
    struct mem_load r = {0, false};
    r.ok = access_slow(c, va, size, &r.value, false, true);
    return r;
}

bool mem_write_unpriv(struct cpu *c, uint64_t va, unsigned size, uint64_t value)
{
    return access_slow(c, va, size, &value, true, true);
}

bool cpu_read_guest(struct cpu *c, uint64_t va, void *buf, size_t len)
{
    /* Byte by byte through the current translation, without faulting. */
    uint8_t *out = buf;
    for (size_t i = 0; i < len; i++) {
        struct mmu_result res;
        if (!mem_translate(c, va + i, MMU_READ, false, &res) || !bus_is_ram(c->bus, res.pa, 1))
            return false;
        out[i] = c->ram_host[res.pa - c->ram_base];
    }
    return true;
}

bool cpu_write_guest(struct cpu *c, uint64_t va, const void *buf, size_t len)
{
    const uint8_t *in = buf;
    for (size_t pass = 0; pass < 2; pass++) {
        /* First check every byte, then write: all or nothing. */
        for (size_t i = 0; i < len; i++) {
            struct mmu_result res;
            if (!mem_translate(c, va + i, MMU_READ, false, &res) || !bus_is_ram(c->bus, res.pa, 1))
                return false;
            if (pass == 1) {
                c->ram_host[res.pa - c->ram_base] = in[i];
                code_cache_note_write(c->code, res.pa, 1);
            }
        }
    }
    return true;
}

/* ---- TLB maintenance instructions ---- */

/* Which entries one TLBI names (Arm ARM C5.5, the TLBI pages). */
struct tlbi {
    unsigned sets; /* SET() mask */
    bool by_vmid;
    uint16_t vmid;
    enum { ANY_ASID, ASID_OR_GLOBAL, ASID_NOT_GLOBAL } asid_match;
    uint16_t asid;
    bool by_va;
    uint64_t va; /* VA[55:12], in place */
};

/* The VMID of PE's EL1&0 regime now (0 without EL2). */
static uint16_t current_vmid(const struct cpu *c)
{
    struct mmu_regime r;
    context_regime(c, TLB_EL10_EL1, &r);
    return mmu_vmid(&r);
}

/* The ASID of a TLBI operand (Xt[63:48]), to its 8 low bits when the regime
 * uses 8-bit ASIDs (TCR.AS = 0: software must write the top bits as zero). */
static uint16_t operand_asid(uint64_t value, uint64_t tcr)
{
    uint16_t asid = (uint16_t)(value >> 48);
    return (tcr >> 36) & 1 ? asid : asid & 0xff;
}

/* Decode TLBI word RAW with operand VALUE, as executed by C. */
static void tlbi_decode(const struct cpu *c, uint32_t raw, uint64_t value, struct tlbi *t)
{
    unsigned op1 = (raw >> 16) & 7, crm = (raw >> 8) & 15, op2 = (raw >> 5) & 7;
    *t = (struct tlbi){.va = (value << PAGE_BITS) & TLBI_VA_BITS};
    bool by_va = op2 == 1 || op2 == 3 || op2 == 5 || op2 == 7;
    if (op1 == 0) {
        /* The EL1 operations: the EL1&0 regime with the current VMID, or,
         * at EL2 with HCR_EL2.{E2H, TGE} = {1, 1}, the EL2&0 regime. */
        bool host = c->el == 2 && hcr_e2h(c) && hcr_tge(c);
        t->sets = host ? SETS_EL20 : SETS_EL10;
        t->by_vmid = !host;
        t->vmid = current_vmid(c);
        t->asid = operand_asid(value, c->tcr[host ? 2 : 1]);
        t->by_va = by_va;
        if (op2 == 1 || op2 == 5) /* VAE1, VALE1 */
            t->asid_match = ASID_OR_GLOBAL;
        else if (op2 == 2) /* ASIDE1 */
            t->asid_match = ASID_NOT_GLOBAL;
        return;
    }
    if (crm == 0 || crm == 4) {
        /* IPAS2E1, IPAS2LE1: every entry of the VMID (see the top). */
        t->sets = SETS_EL10;
        t->by_vmid = true;
        t->vmid = current_vmid(c);
        return;
    }
    switch (op2) {
    case 0: t->sets = SETS_EL2; return; /* ALLE2 */
    case 1:                             /* VAE2 */
    case 5:                             /* VALE2 */
        t->sets = SETS_EL2;
        t->by_va = true;
        t->asid_match = ASID_OR_GLOBAL; /* EL2 regime entries are global */
        t->asid = operand_asid(value, c->tcr[2]);
        return;
    case 4: t->sets = SETS_EL10; return; /* ALLE1 */
    default:                             /* VMALLS12E1 */
        t->sets = SETS_EL10;
        t->by_vmid = true;
        t->vmid = current_vmid(c);
        return;
    }
}

static bool tlbi_names(const struct tlbi *t, const struct tlb_meta *m)
{
    if (m->page == TAG_INVALID || (t->by_vmid && m->vmid != t->vmid))
        return false;
    bool global = m->flags & TLB_META_GLOBAL;
    if (t->asid_match == ASID_NOT_GLOBAL && (global || m->asid != t->asid))
        return false;
    if (t->asid_match == ASID_OR_GLOBAL && !global && m->asid != t->asid)
        return false;
    /* By VA: every page of the stage 1 block that holds the VA. */
    uint64_t block = TLBI_VA_BITS & ~((1ull << m->s1_shift) - 1);
    return !t->by_va || !((m->page ^ t->va) & block);
}

/* How many entries of a direct-mapped array of ENTRIES (a power of two)
 * can hold one the TLBI names, from *FIRST on: by VA, only the indices of
 * the largest block set S holds around the VA; otherwise all of them. */
static unsigned tlbi_span(const struct tlb_set *s, const struct tlbi *t, unsigned entries,
                          unsigned *first)
{
    unsigned pages_log2 = s->max_shift - PAGE_BITS;
    *first = 0;
    if (!t->by_va || pages_log2 >= 31 || (1u << pages_log2) >= entries)
        return entries;
    *first = (unsigned)((t->va & ~((1ull << s->max_shift) - 1)) >> PAGE_BITS) & (entries - 1);
    return 1u << pages_log2;
}

static void tlbi_set(struct tlb_set *s, const struct tlbi *t)
{
    unsigned first, n = tlbi_span(s, t, TLB_ENTRIES, &first);
    for (unsigned k = 0; k < n; k++) {
        unsigned i = (first + k) & (TLB_ENTRIES - 1);
        if (tlbi_names(t, &s->m[i]))
            kill_entry(s, i);
    }
    n = tlbi_span(s, t, FETCH_ENTRIES, &first);
    for (unsigned k = 0; k < n; k++) {
        unsigned i = (first + k) & (FETCH_ENTRIES - 1);
        if (tlbi_names(t, &s->fm[i]))
            kill_fetch(s, i);
    }
}

static void tlbi_apply(struct cpu *pe, const struct tlbi *t)
{
    for (unsigned s = 0; s < TLB_SETS; s++)
        if (t->sets & SET(s))
            tlbi_set(&pe->tlb_sets[s], t);
    /* The current code page may be one of those gone: fetch it again. */
    pe->fetch_page = FETCH_NONE;
    cpu_break(pe);
}

/* A local EL1 TLBI at EL1 with HCR_EL2.FB set is broadcast (Arm ARM
 * HCR_EL2.FB) to the Inner Shareable domain: here, every PE. */
static bool forced_broadcast(const struct cpu *c, uint32_t raw)
{
    unsigned op1 = (raw >> 16) & 7, crm = (raw >> 8) & 15;
    return op1 == 0 && crm == 7 && c->el == 1 && c->have_el2 && (c->hcr_el2 & HCR_FB);
}

void mem_tlbi(struct cpu *pe, const struct cpu *issuer, uint32_t raw, uint64_t value)
{
    struct tlbi t;
    tlbi_decode(issuer, raw, value, &t);
    tlbi_apply(pe, &t);
    if (pe != issuer || !forced_broadcast(issuer, raw))
        return;
    struct code_cache *cc = issuer->code;
    for (unsigned i = 0; i < cc->ncpus; i++)
        if (cc->cpus[i] != pe)
            tlbi_apply(cc->cpus[i], &t);
}
