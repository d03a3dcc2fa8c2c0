/* Memory for the PE: the slow paths behind the inline TLB fast paths, the
 * instruction fetch into decoded blocks, and the shared code cache.
 *
 * Translation: every slow-path access and every fetch of a new page asks
 * cpu/mmu.c for the regime the PE is in (EL, HCR_EL2.{E2H, TGE, VM, DC}).
 * The software TLB caches, per 4 KiB VA page, the host address of RAM and
 * whether this privilege may read or write it; it holds only the current
 * translation context and is flushed whenever that changes (EL, PSTATE.PAN,
 * an MSR, TLBI). With stage 1 off, data is Device-nGnRnE (Arm ARM D8.2.x),
 * so every unaligned data access is an Alignment fault; Normal memory
 * allows unaligned accesses unless SCTLR_ELx.A is set. */
#include <assert.h>
#include <stdlib.h>

#include "cpu/cpu_internal.h"
#include "cpu/mmu.h"
#include "sim/bus.h"
#include "sim/host.h"

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

void code_cache_attach(struct code_cache *cc, struct cpu *c)
{
    assert(cc->ncpus < CODE_CACHE_MAX_CPUS);
    c->code_slot = cc->ncpus;
    cc->cpus[cc->ncpus++] = c;
}

void mem_tlb_flush(struct cpu *c)
{
    for (unsigned i = 0; i < TLB_ENTRIES; i++) {
        c->tlb[i].read_tag = TAG_INVALID;
        c->tlb[i].write_tag = TAG_INVALID;
    }
    c->fetch_page = FETCH_NONE;
    /* The run loop keeps the current code page in a local: make it look
     * again under the new context. */
    cpu_break(c);
}

/* ---- translation ---- */

#define HCR_PTW (1ull << 2)
#define HCR_DC  (1ull << 12)

static bool read_desc(void *opaque, uint64_t pa, uint64_t *value)
{
    struct cpu *c = opaque;
    if (!bus_is_ram(c->bus, pa, 8))
        return false;
    memcpy(value, c->ram_host + (pa - c->ram_base), 8);
    return true;
}

/* The regime of an access at the current EL (UNPRIV: with EL0's
 * permissions, as LDTR/STTR), following HCR_EL2.{E2H, TGE}. */
static void current_regime(const struct cpu *c, bool unpriv, struct mmu_regime *r)
{
    bool e2h = c->have_el2 && (c->hcr_el2 & HCR_E2H);
    bool tge = c->have_el2 && (c->hcr_el2 & HCR_TGE);
    *r = (struct mmu_regime){.pan = c->pan, .pa_bits = c->pa_bits ? c->pa_bits : 48};
    if (c->el == 2 || (c->el == 0 && e2h && tge)) {
        r->kind = e2h ? REGIME_EL20 : REGIME_EL2;
        r->s1_enabled = c->sctlr[2] & SCTLR_M;
        r->sctlr = c->sctlr[2];
        r->tcr = c->tcr[2];
        r->ttbr0 = c->ttbr0[2];
        r->ttbr1 = c->ttbr1[2];
        r->mair = c->mair[2];
        r->unprivileged = e2h && (c->el == 0 || unpriv);
        return;
    }
    r->kind = REGIME_EL10;
    r->unprivileged = c->el == 0 || unpriv;
    if (tge)
        return; /* EL0 with TGE set and E2H clear: stage 1 off, no stage 2 */
    r->s1_enabled = c->sctlr[1] & SCTLR_M;
    r->sctlr = c->sctlr[1];
    r->tcr = c->tcr[1];
    r->ttbr0 = c->ttbr0[1];
    r->ttbr1 = c->ttbr1[1];
    r->mair = c->mair[1];
    if (c->have_el2) {
        r->s2_enabled = c->hcr_el2 & HCR_VM;
        r->vtcr = c->vtcr_el2;
        r->vttbr = c->vttbr_el2;
        r->hcr_ptw = c->hcr_el2 & HCR_PTW;
        r->hcr_dc = c->hcr_el2 & HCR_DC;
    }
}

bool mem_translate(struct cpu *c, uint64_t va, int acc, bool unpriv, struct mmu_result *res)
{
    struct mmu_regime r;
    current_regime(c, unpriv, &r);
    return mmu_translate(&r, read_desc, c, va, (enum mmu_access)acc, res);
}

/* SCTLR_ELx.A of the regime in use: alignment checks on Normal memory. */
static bool strict_alignment(const struct cpu *c)
{
    unsigned el = (c->el == 2 ||
                   (c->el == 0 && c->have_el2 && (c->hcr_el2 & HCR_E2H) && (c->hcr_el2 & HCR_TGE)))
                      ? 2
                      : 1;
    return c->sctlr[el] & SCTLR_A;
}

static struct wmap_bucket *wmap_bucket(struct code_cache *cc, uint64_t pa_page)
{
    return &cc->wmap[(pa_page >> PAGE_BITS) & (WMAP_BUCKETS - 1)];
}

/* The RAM page (physical address) entry E of PE writes to, or TAG_INVALID. */
static uint64_t entry_write_pa(const struct cpu *pe, const struct tlb_entry *e)
{
    if (e->write_tag == TAG_INVALID)
        return TAG_INVALID;
    uintptr_t host = (uintptr_t)(e->write_tag & PAGE_MASK) + e->addend;
    return (uint64_t)(host - (uintptr_t)pe->ram_host) + pe->ram_base;
}

/* PE's TLB entry IDX now writes to PA_PAGE: note where it is. */
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

/* Rebuild bucket B from every TLB: the pairs whose entry writes to one of
 * its pages, if they fit. */
static void wmap_rebuild(struct code_cache *cc, struct wmap_bucket *b)
{
    b->n = 0;
    b->full = false;
    for (unsigned i = 0; i < cc->ncpus; i++) {
        const struct cpu *pe = cc->cpus[i];
        for (unsigned j = 0; j < TLB_ENTRIES; j++) {
            uint64_t pa = entry_write_pa(pe, &pe->tlb[j]);
            if (pa != TAG_INVALID && wmap_bucket(cc, pa) == b)
                wmap_note(cc, pe, j, pa);
        }
    }
}

/* A RAM page just became code or got an exclusive mark: no PE may keep a
 * fast write path to it. Any virtual page may map it (aliases, other PEs'
 * tables), so the entries are found by the RAM page they write to: through
 * the page's bucket, or by scanning every TLB when the bucket overflowed. */
static void drop_write_entries(struct code_cache *cc, uint64_t pa_page)
{
    struct wmap_bucket *b = wmap_bucket(cc, pa_page);
    if (b->full) {
        for (unsigned i = 0; i < cc->ncpus; i++) {
            struct cpu *pe = cc->cpus[i];
            for (unsigned j = 0; j < TLB_ENTRIES; j++)
                if (entry_write_pa(pe, &pe->tlb[j]) == pa_page)
                    pe->tlb[j].write_tag = TAG_INVALID;
        }
        wmap_rebuild(cc, b);
        return;
    }
    unsigned kept = 0;
    for (unsigned i = 0; i < b->n; i++) {
        struct cpu *pe = cc->cpus[b->pe[i]];
        struct tlb_entry *e = &pe->tlb[b->idx[i]];
        uint64_t pa = entry_write_pa(pe, e);
        if (pa == pa_page)
            e->write_tag = TAG_INVALID;
        else if (pa != TAG_INVALID && wmap_bucket(cc, pa) == b) {
            b->pe[kept] = b->pe[i];
            b->idx[kept++] = b->idx[i];
        }
    }
    b->n = (uint8_t)kept;
}

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

struct code_block *mem_fetch_block(struct cpu *c, uint64_t pc)
{
    /* A fetch fault is raised before the loop counts the instruction;
     * cpu_raise_fault takes one back for the instruction that did not
     * retire, so give it one to take. */
    if (pc & 3) {
        c->insns++;
        cpu_raise_fault(c, FAULT_PC_ALIGNMENT, pc, 4, false);
        return NULL;
    }
    struct code_cache *cc = c->code;
    struct mmu_result res;
    if (!mem_translate(c, pc, MMU_EXEC, false, &res)) {
        c->insns++;
        exc_mmu_fault(c, &res, pc, false, true);
        return NULL;
    }
    if (!bus_is_ram(cc->bus, res.pa, 4)) {
        c->insns++;
        cpu_raise_fault(c, FAULT_INSN_ABORT, pc, 4, false);
        return NULL;
    }
    uint64_t page = (res.pa - cc->ram_base) >> PAGE_BITS;
    if (!cc->blocks[page]) {
        cc->blocks[page] = new_block();
        note_code_page(cc, page);
        drop_write_entries(cc, res.pa & PAGE_MASK);
    }
    c->fetch_page = pc & PAGE_MASK;
    c->fetch_pa_page = res.pa & PAGE_MASK;
    c->cur_block = cc->blocks[page];
    return c->cur_block;
}

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

/* The physical address of VA, which the PE has just read: from the TLB
 * when the read hit it, else by a walk (a device access, or a page whose
 * entry another access has since replaced). */
static uint64_t read_pa(struct cpu *c, uint64_t va)
{
    const struct tlb_entry *e = &c->tlb[(va >> PAGE_BITS) & (TLB_ENTRIES - 1)];
    if (e->read_tag == (va & PAGE_MASK))
        return (uint64_t)((uintptr_t)(va + e->addend) - (uintptr_t)c->ram_host) + c->ram_base;
    struct mmu_result res;
    bool ok = mem_translate(c, va, MMU_READ, false, &res);
    assert(ok); /* the load-exclusive's own read just translated it */
    (void)ok;
    return res.pa;
}

void mem_excl_mark(struct cpu *c, uint64_t va, unsigned size)
{
    uint64_t pa = read_pa(c, va);
    bool marked = page_monitored(c->code, pa & PAGE_MASK);
    c->excl_valid = true;
    c->excl_addr = va;
    c->excl_pa = pa;
    c->excl_size = size;
    /* While the page holds a mark no write entry to it is filled, so a
     * page already marked has none left to drop. */
    if (!marked && bus_is_ram(c->bus, pa & PAGE_MASK, PAGE_SIZE))
        drop_write_entries(c->code, pa & PAGE_MASK);
}

/* The global monitor (Arm ARM B2.9.x): a store by one PE to an address
 * another PE has marked clears that mark, and the clearing is a WFE
 * wake-up event for that PE. A PE's own plain stores leave its mark (an
 * IMPLEMENTATION DEFINED choice). */
static void excl_clear_others(struct cpu *c, uint64_t pa, unsigned size)
{
    struct code_cache *cc = c->code;
    for (unsigned i = 0; i < cc->ncpus; i++) {
        struct cpu *pe = cc->cpus[i];
        if (pe == c || !pe->excl_valid)
            continue;
        if (pa < pe->excl_pa + pe->excl_size && pe->excl_pa < pa + size) {
            pe->excl_valid = false;
            pe->event_register = true;
            if (pe->state == CPU_WAIT_WFE) {
                pe->event_register = false;
                cpu_wake(pe, c->cycles);
            }
        }
    }
}

/* Cache the translation of VA's page for this privilege: the host address
 * of its RAM, readable and writable as the translation allows. */
static void tlb_fill(struct cpu *c, uint64_t va, const struct mmu_result *res)
{
    struct tlb_entry *e = &c->tlb[(va >> PAGE_BITS) & (TLB_ENTRIES - 1)];
    uint64_t page = va & PAGE_MASK, pa_page = res->pa & PAGE_MASK;
    if (!bus_is_ram(c->bus, pa_page, PAGE_SIZE))
        return;
    e->addend = (uintptr_t)(c->ram_host + (pa_page - c->ram_base)) - (uintptr_t)page;
    e->read_tag = res->readable ? page : TAG_INVALID;
    /* No fast writes to pages holding decoded code or exclusive marks. */
    bool code = c->code->blocks[(pa_page - c->ram_base) >> PAGE_BITS] != NULL;
    bool fast_write = res->writable && !code && !page_monitored(c->code, pa_page);
    e->write_tag = fast_write ? page : TAG_INVALID;
    if (fast_write)
        wmap_note(c->code, c, (unsigned)(e - c->tlb), pa_page);
}

static void mmio_charge(struct cpu *c)
{
    c->cycles += c->cost->cycles[COST_MMIO];
}

/* One naturally aligned access (or one that stays inside a page of Normal
 * memory) after translation. */
static bool access_pa(struct cpu *c, uint64_t va, uint64_t pa, unsigned size, uint64_t *value,
                      bool write)
{
    if (bus_is_ram(c->bus, pa, size)) {
        uint8_t *p = c->ram_host + (pa - c->ram_base);
        if (!write) {
            uint64_t v = 0;
            memcpy(&v, p, size); /* little-endian host */
            *value = v;
            return true;
        }
        memcpy(p, value, size);
        struct code_cache *cc = c->code;
        if (cc->blocks[(pa - cc->ram_base) >> PAGE_BITS])
            mem_invalidate_code(cc, pa, size);
        excl_clear_others(c, pa, size);
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
    if (!unpriv)
        tlb_fill(c, va, &res);
    return access_pa(c, va, res.pa, size, value, write);
}

struct mem_load mem_read_slow(struct cpu *c, uint64_t va, unsigned size)
{
    struct mem_load r = {0, false};
    r.ok = access_slow(c, va, size, &r.value, false, false);
    return r;
}

bool mem_write_slow(struct cpu *c, uint64_t va, unsigned size, uint64_t value)
{
    return access_slow(c, va, size, &value, true, false);
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
