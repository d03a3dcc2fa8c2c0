/*
 * Building VMSAv8-64 translation tables in a guest (Arm ARM D8.3): stage 1
 * and stage 2 descriptors, 4K, 16K and 64K granules, any input size from 25
 * to 48 bits. Tables come from a pool of memory the caller hands over; the
 * builder writes them through their physical addresses, so it runs with the
 * MMU off or with the pool identity-mapped. It issues no barrier and no TLB
 * maintenance: after changing a live table the caller does the DSB/TLBI/ISB
 * sequence the architecture asks for (that sequence is what tests check).
 */
#ifndef GUEST_MMU_H
#define GUEST_MMU_H

#include <stdbool.h>
#include <stdint.h>

/* Leaf attributes, stage 1 (D8.3.2). Valid and type bits are added by the builder. */
#define PTE_ATTRINDX(n) ((uint64_t)(n) << 2) /* MAIR_ELx byte n */
#define PTE_AP_EL0      (1ull << 6)          /* AP[1]: EL0 may access */
#define PTE_AP_RO       (1ull << 7)          /* AP[2]: read-only at every EL */
#define PTE_SH_INNER    (3ull << 8)
#define PTE_AF          (1ull << 10)
#define PTE_NG          (1ull << 11) /* not global: tagged with the ASID */
#define PTE_PXN         (1ull << 53)
#define PTE_UXN         (1ull << 54)

/* Leaf attributes, stage 2 (D8.3.2 and D8.5.5). */
#define S2_MEMATTR(m)                                                                              \
    ((uint64_t)(m) << 2) /* MemAttr[3:0]: 0b1111 Normal WB, 0b0000 Device-nGnRnE */
#define S2AP_R (1ull << 6)
#define S2AP_W (1ull << 7)
#define S2_XN  (1ull << 54)

/* Descriptor type bits: an invalid entry, a block, a table or (level 3) a page. */
#define PTE_VALID 1ull
#define PTE_TYPE  2ull

/* One set of translation tables and the memory its tables come from. */
struct pt {
    unsigned granule_shift; /* 12, 14 or 16 */
    unsigned start_level;   /* lookup level of the root table */
    unsigned ia_bits;       /* input address size: 64 - TxSZ */
    uint64_t root;          /* physical address of the root table */
    uint64_t next, end;     /* the pool still free: [next, end) */
    unsigned tables;        /* tables taken from the pool so far */
};

/* Start tables for GRANULE (4096, 16384 or 65536) and an input size of IA_BITS (64 - TxSZ);
 * the root is the first table of the pool [POOL, POOL + SIZE), which must be aligned to the
 * granule. Returns false if the arguments are not a combination this builder supports. */
bool pt_init(struct pt *t, uint64_t granule, unsigned ia_bits, uint64_t pool, uint64_t size);

/* Map [IA, IA + SIZE) to [OA, OA + SIZE) with leaf attributes ATTRS, using blocks where the
 * alignment allows unless PAGES is set (then every leaf is a level-3 page). IA, OA and SIZE
 * must be multiples of the granule. Returns false if the pool runs out. */
bool pt_map(struct pt *t, uint64_t ia, uint64_t oa, uint64_t size, uint64_t attrs, bool pages);

/* The level-3 descriptor slot of IA, creating the tables down to level 3 if needed; NULL if
 * IA is mapped by a block or the pool ran out. For tests that edit one page's descriptor. */
volatile uint64_t *pt_slot(struct pt *t, uint64_t ia);

/* A level-3 page descriptor for OA with ATTRS (what pt_map writes for one page). */
uint64_t pt_page_desc(const struct pt *t, uint64_t oa, uint64_t attrs);

/* The TCR_ELx.TG0 encoding of the granule: 0b00 4K, 0b01 64K, 0b10 16K. */
unsigned pt_tg0(const struct pt *t);

/* The TCR_EL1.TG1 encoding of the granule: 0b10 4K, 0b11 64K, 0b01 16K. */
unsigned pt_tg1(const struct pt *t);

/* The VTCR_EL2.SL0 encoding of the root table's level (stage 2 tables, no concatenation). */
unsigned pt_sl0(const struct pt *t);

#endif
