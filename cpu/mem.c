/* Memory for the PE: the slow paths behind the inline TLB fast paths, the
 * instruction fetch into decoded blocks, and the shared code cache.
 *
 * Translation: the MMU is not modelled yet, so every regime behaves as with
 * SCTLR_ELx.M == 0: VA == PA, instruction fetches are Normal memory and data
 * accesses are Device-nGnRnE (Arm ARM D8.2.x "The effects of disabling
 * address translation"), hence every unaligned data access is an Alignment
 * fault. */
#include <assert.h>
#include <stdlib.h>

#include "cpu/cpu_internal.h"
#include "sim/bus.h"

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
    for (uint64_t i = 0; i < cc->npages; i++)
        free(cc->blocks[i]);
    free(cc->blocks);
    free(cc);
}

void code_cache_attach(struct code_cache *cc, struct cpu *c)
{
    assert(cc->ncpus < CODE_CACHE_MAX_CPUS);
    cc->cpus[cc->ncpus++] = c;
}

void mem_tlb_flush(struct cpu *c)
{
    for (unsigned i = 0; i < TLB_ENTRIES; i++) {
        c->tlb[i].read_tag = TAG_INVALID;
        c->tlb[i].write_tag = TAG_INVALID;
    }
    c->fetch_page = TAG_INVALID;
}

/* A page just became code: no PE may keep a fast write path to it. With
 * VA == PA only the entry for that page can map it. */
static void drop_write_entries(struct code_cache *cc, uint64_t pa_page)
{
    for (unsigned i = 0; i < cc->ncpus; i++) {
        struct tlb_entry *e = &cc->cpus[i]->tlb[(pa_page >> PAGE_BITS) & (TLB_ENTRIES - 1)];
        if ((e->write_tag & PAGE_MASK) == pa_page)
            e->write_tag = TAG_INVALID;
    }
}

static struct code_block *new_block(void)
{
    struct code_block *b = malloc(sizeof(*b));
    if (!b)
        abort(); /* host out of memory: internal error */
    for (unsigned i = 0; i < INSNS_PER_PAGE; i++)
        b->insn[i] = (struct insn){.fn = insn_decode_stub};
    return b;
}

/* A store of SIZE bytes at PA overwrote decoded code: make the entries it
 * touched decode again when next executed. The running handler keeps its
 * own operands, so resetting its entry is safe. */
void mem_invalidate_code(struct code_cache *cc, uint64_t pa, unsigned size)
{
    uint64_t first = (pa - cc->ram_base) >> 2;
    uint64_t last = (pa + size - 1 - cc->ram_base) >> 2;
    for (uint64_t w = first; w <= last; w++) {
        struct code_block *b = cc->blocks[w / INSNS_PER_PAGE];
        if (b)
            b->insn[w % INSNS_PER_PAGE] = (struct insn){.fn = insn_decode_stub};
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
    if (!bus_is_ram(cc->bus, pc, 4)) {
        c->insns++;
        cpu_raise_fault(c, FAULT_INSN_ABORT, pc, 4, false);
        return NULL;
    }
    uint64_t page = (pc - cc->ram_base) >> PAGE_BITS;
    if (!cc->blocks[page]) {
        cc->blocks[page] = new_block();
        drop_write_entries(cc, pc & PAGE_MASK);
    }
    c->fetch_page = pc & PAGE_MASK;
    c->cur_block = cc->blocks[page];
    return c->cur_block;
}

/* Does any PE hold an exclusive mark on this page? */
static bool page_monitored(const struct code_cache *cc, uint64_t page)
{
    for (unsigned i = 0; i < cc->ncpus; i++) {
        const struct cpu *pe = cc->cpus[i];
        if (pe->excl_valid && (pe->excl_addr & PAGE_MASK) == page)
            return true;
    }
    return false;
}

void mem_excl_mark(struct cpu *c)
{
    drop_write_entries(c->code, c->excl_addr & PAGE_MASK);
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
        if (pa < pe->excl_addr + pe->excl_size && pe->excl_addr < pa + size) {
            pe->excl_valid = false;
            pe->event_register = true;
            if (pe->state == CPU_WAIT_WFE) {
                pe->event_register = false;
                cpu_wake(pe, c->cycles);
            }
        }
    }
}

static void tlb_fill(struct cpu *c, uint64_t va)
{
    struct tlb_entry *e = &c->tlb[(va >> PAGE_BITS) & (TLB_ENTRIES - 1)];
    uint64_t page = va & PAGE_MASK;
    e->read_tag = page;
    e->addend = (uintptr_t)c->ram_host - (uintptr_t)c->ram_base;
    /* No fast writes to pages holding decoded code or exclusive marks. */
    bool code = c->code->blocks[(page - c->ram_base) >> PAGE_BITS] != NULL;
    e->write_tag = code || page_monitored(c->code, page) ? TAG_INVALID : page;
}

/* Common checks of the slow path. Returns true if the access may proceed
 * and whether it targets RAM. */
static bool check_access(struct cpu *c, uint64_t va, unsigned size, bool write, bool *is_ram)
{
    if (va & (size - 1)) {
        cpu_raise_fault(c, FAULT_ALIGNMENT, va, size, write);
        return false;
    }
    *is_ram = bus_is_ram(c->bus, va, size);
    return true;
}

static void mmio_charge(struct cpu *c)
{
    c->cycles += c->cost->cycles[COST_MMIO];
}

bool mem_read_slow(struct cpu *c, uint64_t va, unsigned size, uint64_t *value)
{
    bool ram;
    if (!check_access(c, va, size, false, &ram))
        return false;
    if (ram) {
        tlb_fill(c, va);
        return mem_read(c, va, size, value);
    }
    mmio_charge(c);
    if (bus_mmio_read(c->bus, va, size, value) != BUS_OK) {
        cpu_raise_fault(c, FAULT_EXTERNAL_ABORT, va, size, false);
        return false;
    }
    return true;
}

bool mem_write_slow(struct cpu *c, uint64_t va, unsigned size, uint64_t value)
{
    bool ram;
    if (!check_access(c, va, size, true, &ram))
        return false;
    if (!ram) {
        mmio_charge(c);
        if (bus_mmio_write(c->bus, va, size, value) != BUS_OK) {
            cpu_raise_fault(c, FAULT_EXTERNAL_ABORT, va, size, true);
            return false;
        }
        return true;
    }
    tlb_fill(c, va);
    struct code_cache *cc = c->code;
    uint8_t *p = c->ram_host + (va - c->ram_base);
    memcpy(p, &value, size); /* little-endian host */
    if (cc->blocks[(va - cc->ram_base) >> PAGE_BITS])
        mem_invalidate_code(cc, va, size);
    excl_clear_others(c, va, size);
    return true;
}

bool cpu_read_guest(struct cpu *c, uint64_t va, void *buf, size_t len)
{
    if (!bus_is_ram(c->bus, va, len))
        return false;
    memcpy(buf, c->ram_host + (va - c->ram_base), len);
    return true;
}
