/*
 * Translation table builder (interface: mmu.h). The geometry follows the
 * Arm ARM's VMSAv8-64 tables (D8.2): with a granule of 2^g bytes every table
 * is one granule of 2^(g-3) descriptors, level 3 resolves address bits
 * [g+(g-3)-1 : g], and each level above resolves the next g-3 bits. The root
 * level is the one whose table covers the top input address bit, and may be
 * only partly used. Blocks exist at level 1 and 2 with 4K and at level 2 with
 * 16K and 64K (level 1 blocks of those granules need 52-bit addresses).
 */
#include <stddef.h>

#include "mem.h"
#include "mmu.h"

#define OA_MASK 0x0000ffffffffffffull /* output address bits [47:0] */

static uint64_t granule_size(const struct pt *t)
{
    return 1ull << t->granule_shift;
}

/* Lowest input address bit that the table at LEVEL resolves. */
static unsigned level_shift(const struct pt *t, unsigned level)
{
    return t->granule_shift + (3 - level) * (t->granule_shift - 3);
}

static bool block_allowed(const struct pt *t, unsigned level)
{
    return level == 2 || (level == 1 && t->granule_shift == 12);
}

bool pt_init(struct pt *t, uint64_t granule, unsigned ia_bits, uint64_t pool, uint64_t size)
{
    unsigned g = granule == 4096 ? 12 : granule == 16384 ? 14 : granule == 65536 ? 16 : 0;
    if (!g || ia_bits < 25 || ia_bits > 48 || (pool & (granule - 1)) || size < granule)
        return false;
    unsigned per_level = g - 3;
    unsigned levels = (ia_bits - g + per_level - 1) / per_level;
    t->granule_shift = g;
    t->ia_bits = ia_bits;
    t->start_level = 4 - levels;
    t->root = pool;
    t->next = pool + granule;
    t->end = pool + size;
    t->tables = 1;
    memset((void *)(uintptr_t)pool, 0, granule);
    return true;
}

static uint64_t table_alloc(struct pt *t)
{
    uint64_t g = granule_size(t);
    if (t->end - t->next < g)
        return 0;
    uint64_t pa = t->next;
    memset((void *)(uintptr_t)pa, 0, g);
    t->next += g;
    t->tables++;
    return pa;
}

/* The descriptor slot for IA in the table at PA, which is a table of LEVEL. */
static volatile uint64_t *slot_in(const struct pt *t, uint64_t table, unsigned level, uint64_t ia)
{
    unsigned shift = level_shift(t, level);
    uint64_t entries = 1ull << (t->granule_shift - 3);
    uint64_t index = (ia >> shift) & (entries - 1);
    return (volatile uint64_t *)(uintptr_t)table + index;
}

/* The next-level table an entry points to, made (and linked in) if the entry is invalid;
 * 0 if the entry is a block or the pool is empty. */
static uint64_t next_table(struct pt *t, volatile uint64_t *e)
{
    uint64_t d = *e;
    if (d & PTE_VALID)
        return (d & PTE_TYPE) ? (d & OA_MASK & ~(granule_size(t) - 1)) : 0;
    uint64_t pa = table_alloc(t);
    if (pa)
        *e = pa | PTE_TYPE | PTE_VALID;
    return pa;
}

static uint64_t ia_mask(const struct pt *t, uint64_t ia)
{
    return ia & ((1ull << t->ia_bits) - 1); /* a TTBR1 address keeps only its low bits */
}

bool pt_map(struct pt *t, uint64_t ia, uint64_t oa, uint64_t size, uint64_t attrs, bool pages)
{
    ia = ia_mask(t, ia);
    while (size) {
        uint64_t table = t->root;
        unsigned level = t->start_level;
        uint64_t step;
        for (;;) {
            volatile uint64_t *e = slot_in(t, table, level, ia);
            step = 1ull << level_shift(t, level);
            if (level == 3) {
                *e = pt_page_desc(t, oa, attrs);
                break;
            }
            bool fits = ((ia | oa) & (step - 1)) == 0 && size >= step;
            if (!pages && fits && block_allowed(t, level)) {
                *e = oa | attrs | PTE_VALID;
                break;
            }
            table = next_table(t, e);
            if (!table)
                return false;
            level++;
        }
        ia += step;
        oa += step;
        size -= step;
    }
    return true;
}

volatile uint64_t *pt_slot(struct pt *t, uint64_t ia)
{
    ia = ia_mask(t, ia);
    uint64_t table = t->root;
    for (unsigned level = t->start_level; level < 3; level++) {
        table = next_table(t, slot_in(t, table, level, ia));
        if (!table)
            return NULL;
    }
    return slot_in(t, table, 3, ia);
}

uint64_t pt_page_desc(const struct pt *t, uint64_t oa, uint64_t attrs)
{
    (void)t;
    return oa | attrs | PTE_TYPE | PTE_VALID;
}

unsigned pt_tg0(const struct pt *t)
{
    return t->granule_shift == 12 ? 0 : t->granule_shift == 16 ? 1 : 2;
}

unsigned pt_tg1(const struct pt *t)
{
    return t->granule_shift == 12 ? 2 : t->granule_shift == 16 ? 3 : 1;
}

unsigned pt_sl0(const struct pt *t)
{
    return (t->granule_shift == 12 ? 2 : 3) - t->start_level;
}
