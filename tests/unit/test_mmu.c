/* Unit tests for AArch64 address translation (cpu/mmu.h).
 *
 * Translation tables are built by hand in a small "physical memory" and
 * every expected value (table indices, output addresses, fault levels, fault
 * status codes, attribute bytes) is worked out from the Arm ARM (DDI 0487,
 * chapter D8 and ESR_ELx), as the comment next to it shows. */
#include "cpu/mmu.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

/* ---- Physical memory: 16 MB at 0x4000_0000, the rest unbacked ------------ */

#define MEM_BASE 0x40000000ull
#define MEM_SIZE (16ull << 20)

struct pmem {
    uint8_t *bytes;
    uint64_t next;  /* allocation pointer for tables */
    unsigned reads; /* descriptor reads made by the walk */
};

static struct pmem mem;

static void mem_setup(void)
{
    mem.bytes = calloc(1, MEM_SIZE);
    ck_assert_ptr_nonnull(mem.bytes);
    mem.next = MEM_BASE;
    mem.reads = 0;
}

static void mem_teardown(void)
{
    free(mem.bytes);
    mem.bytes = NULL;
}

static bool mem_read64(void *opaque, uint64_t pa, uint64_t *value)
{
    struct pmem *m = opaque;
    m->reads++;
    ck_assert_uint_eq(pa & 7, 0); /* descriptors are naturally aligned */
    if (pa < MEM_BASE || pa - MEM_BASE > MEM_SIZE - 8)
        return false;
    const uint8_t *p = m->bytes + (pa - MEM_BASE);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    *value = v;
    return true;
}

/* A zeroed (all invalid) table of SIZE bytes, aligned to its size. */
static uint64_t table(uint64_t size)
{
    uint64_t pa = (mem.next + size - 1) & ~(size - 1);
    ck_assert_uint_le(pa + size, MEM_BASE + MEM_SIZE);
    mem.next = pa + size;
    return pa;
}

static void put(uint64_t tbl, unsigned index, uint64_t desc)
{
    uint8_t *p = mem.bytes + (tbl - MEM_BASE) + 8ull * index;
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(desc >> (8 * i));
}

static bool translate(const struct mmu_regime *r, uint64_t va, enum mmu_access acc,
                      struct mmu_result *res)
{
    mem.reads = 0;
    return mmu_translate(r, mem_read64, &mem, va, acc, res);
}

/* ---- Architectural encodings (D8.3 descriptors, D19 TCR/VTCR/SCTLR) ------- */

#define D_AF       (1ull << 10)
#define D_NG       (1ull << 11)
#define D_AP_EL0   (1ull << 6) /* AP[1] */
#define D_AP_RO    (1ull << 7) /* AP[2] */
#define D_ATTR(n)  ((uint64_t)(n) << 2)
#define D_PXN      (1ull << 53)
#define D_UXN      (1ull << 54)
#define T_PXN      (1ull << 59)
#define T_UXN      (1ull << 60)
#define T_AP_NOEL0 (1ull << 61) /* APTable[0] */
#define T_AP_RO    (1ull << 62) /* APTable[1] */
#define S2_R       (1ull << 6)  /* S2AP[0] */
#define S2_W       (1ull << 7)  /* S2AP[1] */
#define S2_MEM(m)  ((uint64_t)(m) << 2)
#define S2_XN      (1ull << 54)

#define TBL(pa)   ((uint64_t)(pa) | 3)        /* table descriptor */
#define PAGE(pa)  ((uint64_t)(pa) | 3 | D_AF) /* page: Attr0, EL1 read/write */
#define BLOCK(pa) ((uint64_t)(pa) | 1 | D_AF) /* block: Attr0, EL1 read/write */

#define TCR_T0SZ(n) ((uint64_t)(n))
#define TCR_EPD0    (1ull << 7)
#define TCR_TG0_64K (1ull << 14)
#define TCR_TG0_16K (2ull << 14)
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_A1      (1ull << 22)
#define TCR_EPD1    (1ull << 23)
#define TCR_TG1_16K (1ull << 30)
#define TCR_TG1_4K  (2ull << 30)
#define TCR_IPS(n)  ((uint64_t)(n) << 32) /* 0b010 40 bits, 0b101 48 bits */
#define TCR_AS      (1ull << 36)
#define TCR_TBI0    (1ull << 37)
#define TCR_HPD0    (1ull << 41)
#define TCR2_PS(n)  ((uint64_t)(n) << 16) /* TCR_EL2 (E2H == 0) and VTCR_EL2 */
#define VTCR_SL0(n) ((uint64_t)(n) << 6)
#define VTCR_VS     (1ull << 19)
#define SCTLR_M     1ull
#define SCTLR_I     (1ull << 12)
#define SCTLR_WXN   (1ull << 19)

/* Attr0 0xFF Normal WB RW-allocate, Attr1 0x00 Device-nGnRnE, Attr2 0x44
 * Normal NC, Attr3 0x04 Device-nGnRE, Attr4 0xBB Normal WT RW-allocate,
 * Attr5 0x77 Normal WB transient RW-allocate. */
#define MAIR_VALUE 0x000077bb044400ffull

#define TCR_4K_48 (TCR_T0SZ(16) | TCR_IPS(5))
#define TCR_4K_39 (TCR_T0SZ(25) | TCR_IPS(5))

static struct mmu_regime el1(uint64_t tcr, uint64_t ttbr0)
{
    return (struct mmu_regime){.kind = REGIME_EL10,
                               .s1_enabled = true,
                               .sctlr = SCTLR_M,
                               .tcr = tcr,
                               .ttbr0 = ttbr0,
                               .mair = MAIR_VALUE,
                               .pa_bits = 48};
}

/* A 39-bit (T0SZ 25) 4KB stage 1 with one page: VA 0x5abc (L1 index 0,
 * L2 index 0, L3 index 5) -> OA (an IPA if stage 2 is on) 0xc000_5abc. */
static uint64_t s1_one_page(uint64_t page_desc)
{
    uint64_t l1 = table(0x1000), l2 = table(0x1000), l3 = table(0x1000);
    put(l1, 0, TBL(l2));
    put(l2, 0, TBL(l3));
    put(l3, 5, page_desc);
    return l1;
}

#define S1_VA  0x5abcull
#define S1_IPA 0xc0005abcull

/* Stage 2 with 39-bit IPAs (T0SZ 25), start level 1 (4KB, SL0 = 1), PS 48
 * bits. IPA 0x4000_0000-0x7fff_ffff (L1 index 1) maps 1:1 to the memory as
 * Normal WB read/write, so stage 1 tables sit at IPA == PA. Returns the L1
 * table; IPA 0xc000_0000 is L1 index 3. */
static uint64_t s2_identity(struct mmu_regime *r, uint64_t memattr)
{
    uint64_t l1 = table(0x1000);
    put(l1, 1, BLOCK(MEM_BASE) | S2_R | S2_W | S2_MEM(memattr));
    r->s2_enabled = true;
    r->vtcr = TCR_T0SZ(25) | VTCR_SL0(1) | TCR2_PS(5);
    r->vttbr = l1;
    return l1;
}

/* ---- Stage 1 walks and granules ------------------------------------------ */

START_TEST(test_4k_four_level_walk_reaches_page)
{
    /* T0SZ 16: 48-bit VAs, lookups at L0-L3. VA 0x80_8060_4abc has L0 index 1
       (bit 39), L1 index 2, L2 index 3, L3 index 4, offset 0xabc. */
    uint64_t l0 = table(0x1000), l1 = table(0x1000), l2 = table(0x1000), l3 = table(0x1000);
    put(l0, 1, TBL(l1));
    put(l1, 2, TBL(l2));
    put(l2, 3, TBL(l3));
    put(l3, 4, PAGE(0x40123000));
    struct mmu_regime r = el1(TCR_4K_48, l0);
    struct mmu_result res;
    ck_assert(translate(&r, 0x0000008080604abcull, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_OK);
    ck_assert_uint_eq(res.pa, 0x40123abc);
    ck_assert_uint_eq(res.page_mask, 0xfff);
    ck_assert_uint_eq(res.level, 3);
    ck_assert_uint_eq(res.attr, 0xff);
    ck_assert(!res.device);
    ck_assert_uint_eq(mem.reads, 4);
}
END_TEST

START_TEST(test_4k_t0sz_25_starts_at_level_1)
{
    /* T0SZ 25: 39-bit VAs need three 9-bit lookups, so the walk starts at L1.
       VA 0x1_40c0_7123: L1 index 5, L2 index 6, L3 index 7. */
    uint64_t l1 = table(0x1000), l2 = table(0x1000), l3 = table(0x1000);
    put(l1, 5, TBL(l2));
    put(l2, 6, TBL(l3));
    put(l3, 7, PAGE(0x87654000));
    struct mmu_regime r = el1(TCR_4K_39, l1);
    struct mmu_result res;
    ck_assert(translate(&r, 0x140c07123ull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x87654123);
    ck_assert_uint_eq(mem.reads, 3);
}
END_TEST

START_TEST(test_4k_level1_block_maps_1gb)
{
    /* VA 0xd234_5678: L0 index 0, L1 index 3; a level 1 block maps 1 GB. */
    uint64_t l0 = table(0x1000), l1 = table(0x1000);
    put(l0, 0, TBL(l1));
    put(l1, 3, BLOCK(0x140000000ull));
    struct mmu_regime r = el1(TCR_4K_48, l0);
    struct mmu_result res;
    ck_assert(translate(&r, 0xd2345678ull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x152345678ull);
    ck_assert_uint_eq(res.page_mask, 0x3fffffff);
    ck_assert_uint_eq(res.level, 1);
}
END_TEST

START_TEST(test_4k_level2_block_maps_2mb)
{
    /* VA 0x40a1_2345: L0 0, L1 1, L2 5; a level 2 block maps 2 MB. */
    uint64_t l0 = table(0x1000), l1 = table(0x1000), l2 = table(0x1000);
    put(l0, 0, TBL(l1));
    put(l1, 1, TBL(l2));
    put(l2, 5, BLOCK(0x80200000));
    struct mmu_regime r = el1(TCR_4K_48, l0);
    struct mmu_result res;
    ck_assert(translate(&r, 0x40a12345ull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x80212345);
    ck_assert_uint_eq(res.page_mask, 0x1fffff);
    ck_assert_uint_eq(res.level, 2);
}
END_TEST

START_TEST(test_4k_level0_block_is_translation_fault)
{
    /* Without 52-bit addresses the 4KB granule has no level 0 blocks. */
    uint64_t l0 = table(0x1000);
    put(l0, 0, BLOCK(0));
    struct mmu_regime r = el1(TCR_4K_48, l0);
    struct mmu_result res;
    ck_assert(!translate(&r, 0x1000, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert_uint_eq(res.level, 0);
}
END_TEST

START_TEST(test_16k_granule_four_level_walk)
{
    /* 16KB, T0SZ 16: L0 resolves bit 47 only (2 entries), then 11 bits per
       level above a 14-bit offset. VA 0x10_0400_dabc: L0 0, L1 1 (bits
       46:36), L2 2 (bits 35:25), L3 3 (bits 24:14), offset 0x1abc. */
    uint64_t l0 = table(0x4000), l1 = table(0x4000), l2 = table(0x4000), l3 = table(0x4000);
    put(l0, 0, TBL(l1));
    put(l1, 1, TBL(l2));
    put(l2, 2, TBL(l3));
    put(l3, 3, PAGE(0x45678000));
    struct mmu_regime r = el1(TCR_4K_48 | TCR_TG0_16K, l0);
    struct mmu_result res;
    ck_assert(translate(&r, 0x000000100400dabcull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x45679abc);
    ck_assert_uint_eq(res.page_mask, 0x3fff);
    ck_assert_uint_eq(mem.reads, 4);
}
END_TEST

START_TEST(test_16k_level2_block_maps_32mb)
{
    /* 16KB, T0SZ 25: 39 bits start at L1 (bits 38:36). VA 0x20_0e12_3456:
       L1 index 2, L2 index 7; a level 2 block maps 32 MB. */
    uint64_t l1 = table(0x4000), l2 = table(0x4000);
    put(l1, 2, TBL(l2));
    put(l2, 7, BLOCK(0x84000000));
    struct mmu_regime r = el1(TCR_4K_39 | TCR_TG0_16K, l1);
    struct mmu_result res;
    ck_assert(translate(&r, 0x000000200e123456ull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x84123456);
    ck_assert_uint_eq(res.page_mask, 0x1ffffff);
}
END_TEST

START_TEST(test_64k_granule_three_level_walk)
{
    /* 64KB, T0SZ 16: 13 bits per level above a 16-bit offset, so 48 bits
       start at L1 (bits 47:42). VA 0x400_4003_beef: L1 1, L2 2 (bits 41:29),
       L3 3 (bits 28:16), offset 0xbeef. */
    uint64_t l1 = table(0x10000), l2 = table(0x10000), l3 = table(0x10000);
    put(l1, 1, TBL(l2));
    put(l2, 2, TBL(l3));
    put(l3, 3, PAGE(0x12340000));
    struct mmu_regime r = el1(TCR_4K_48 | TCR_TG0_64K, l1);
    struct mmu_result res;
    ck_assert(translate(&r, 0x000004004003beefull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x1234beef);
    ck_assert_uint_eq(res.page_mask, 0xffff);
    ck_assert_uint_eq(mem.reads, 3);
}
END_TEST

START_TEST(test_64k_level2_block_maps_512mb)
{
    /* VA 0x6123_4567: L1 0, L2 3; a 64KB-granule level 2 block maps 512 MB. */
    uint64_t l1 = table(0x10000), l2 = table(0x10000);
    put(l1, 0, TBL(l2));
    put(l2, 3, BLOCK(0xa0000000));
    struct mmu_regime r = el1(TCR_4K_48 | TCR_TG0_64K, l1);
    struct mmu_result res;
    ck_assert(translate(&r, 0x61234567ull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0xa1234567);
    ck_assert_uint_eq(res.page_mask, 0x1fffffff);
}
END_TEST

START_TEST(test_64k_level1_block_is_translation_fault)
{
    /* 64KB level 1 blocks need 52-bit PAs, which are not implemented. */
    uint64_t l1 = table(0x10000);
    put(l1, 0, BLOCK(0));
    struct mmu_regime r = el1(TCR_4K_48 | TCR_TG0_64K, l1);
    struct mmu_result res;
    ck_assert(!translate(&r, 0x1000, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert_uint_eq(res.level, 1);
}
END_TEST

/* ---- VA ranges ------------------------------------------------------------- */

START_TEST(test_ttbr1_translates_high_addresses_with_t1sz)
{
    /* T1SZ 25: the upper range is VA[63:39] all ones. VA 0xffff_ff81_0020_2010
       uses TTBR1: L1 index 4, L2 1, L3 2. TTBR0's table is empty. */
    uint64_t empty = table(0x1000);
    uint64_t l1 = table(0x1000), l2 = table(0x1000), l3 = table(0x1000);
    put(l1, 4, TBL(l2));
    put(l2, 1, TBL(l3));
    put(l3, 2, PAGE(0x44444000));
    struct mmu_regime r = el1(TCR_4K_48 | TCR_T1SZ(25) | TCR_TG1_4K, empty);
    r.ttbr1 = l1;
    struct mmu_result res;
    ck_assert(translate(&r, 0xffffff8100202010ull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x44444010);
    ck_assert_uint_eq(mem.reads, 3);
}
END_TEST

START_TEST(test_tg1_encoding_differs_from_tg0)
{
    /* TG1 0b01 is 16KB (as TG0 0b01 would be 64KB). T1SZ 28, 16KB: 36 bits
       start at L2 (bits 35:25). VA 0xffff_fff0_0601_4123: L2 3, L3 5. */
    uint64_t l2 = table(0x4000), l3 = table(0x4000);
    put(l2, 3, TBL(l3));
    put(l3, 5, PAGE(0x40008000));
    struct mmu_regime r = el1(TCR_4K_48 | TCR_T1SZ(28) | TCR_TG1_16K, 0);
    r.ttbr1 = l2;
    struct mmu_result res;
    ck_assert(translate(&r, 0xfffffff006014123ull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x40008123);
    ck_assert_uint_eq(res.page_mask, 0x3fff);
}
END_TEST

START_TEST(test_va_outside_both_ranges_is_level0_translation_fault)
{
    /* T0SZ = T1SZ = 25: VA 0x80_0000_0000 (bit 39 set, bit 55 clear) and
       0xffff_0000_0000_0000 (bit 55 set, bits 47:39 clear) are in neither
       range; nothing is read. */
    uint64_t l1 = table(0x1000);
    put(l1, 0, BLOCK(0)); /* would map anything that reached it */
    struct mmu_regime r = el1(TCR_4K_39 | TCR_T1SZ(25) | TCR_TG1_4K, l1);
    r.ttbr1 = l1;
    struct mmu_result res;
    ck_assert(!translate(&r, 0x0000008000000000ull, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert_uint_eq(res.level, 0);
    ck_assert_uint_eq(mem.reads, 0);
    ck_assert(!translate(&r, 0xffff000000000000ull, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert_uint_eq(res.level, 0);
    ck_assert_uint_eq(mem.reads, 0);
}
END_TEST

START_TEST(test_epd0_makes_ttbr0_range_fault_without_walking)
{
    uint64_t l1 = table(0x1000);
    put(l1, 0, BLOCK(0));
    struct mmu_regime r = el1(TCR_4K_39 | TCR_EPD0, l1);
    struct mmu_result res;
    ck_assert(!translate(&r, 0x1000, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert_uint_eq(res.level, 0);
    ck_assert_uint_eq(mem.reads, 0);
}
END_TEST

START_TEST(test_epd1_makes_ttbr1_range_fault_without_walking)
{
    uint64_t l1 = table(0x1000);
    put(l1, 0, BLOCK(0));
    struct mmu_regime r = el1(TCR_4K_39 | TCR_T1SZ(25) | TCR_TG1_4K | TCR_EPD1, l1);
    r.ttbr1 = l1;
    struct mmu_result res;
    ck_assert(translate(&r, 0x1000, MMU_READ, &res)); /* TTBR0 still walks */
    ck_assert(!translate(&r, 0xffffff8000001000ull, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert_uint_eq(res.level, 0);
    ck_assert_uint_eq(mem.reads, 0);
}
END_TEST

START_TEST(test_tbi0_ignores_the_top_byte)
{
    /* With TBI0 the tag in VA[63:56] takes no part in translation; without
       it the same VA is outside the lower range. */
    uint64_t l1 = table(0x1000);
    put(l1, 0, BLOCK(0x80000000));
    struct mmu_regime r = el1(TCR_4K_39 | TCR_TBI0, l1);
    struct mmu_result res;
    ck_assert(translate(&r, 0x5a00000000001234ull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x80001234);
    r.tcr = TCR_4K_39;
    ck_assert(!translate(&r, 0x5a00000000001234ull, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert_uint_eq(res.level, 0);
}
END_TEST

/* ---- Descriptor faults ------------------------------------------------------ */

START_TEST(test_invalid_descriptor_faults_at_its_level)
{
    /* VA 0x80_8060_4abc again (indices 1, 2, 3, 4). The chain stops at level
       BAD, whose entry is left invalid (0). */
    for (unsigned bad = 0; bad <= 3; bad++) {
        uint64_t t[4];
        for (unsigned i = 0; i < 4; i++)
            t[i] = table(0x1000);
        for (unsigned lvl = 0; lvl < bad; lvl++)
            put(t[lvl], lvl + 1, TBL(t[lvl + 1]));
        struct mmu_regime r = el1(TCR_4K_48, t[0]);
        struct mmu_result res;
        ck_assert(!translate(&r, 0x0000008080604abcull, MMU_READ, &res));
        ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
        ck_assert_uint_eq(res.level, bad);
        ck_assert(!res.stage2);
        ck_assert_uint_eq(mem.reads, bad + 1);
    }
}
END_TEST

START_TEST(test_level3_block_type_is_reserved_translation_fault)
{
    uint64_t l1 = s1_one_page(BLOCK(0x80000000)); /* type 0b01 at level 3 */
    struct mmu_regime r = el1(TCR_4K_39, l1);
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert_uint_eq(res.level, 3);
}
END_TEST

START_TEST(test_access_flag_clear_is_access_flag_fault)
{
    uint64_t l1 = s1_one_page(PAGE(0x80000000) & ~D_AF);
    struct mmu_regime r = el1(TCR_4K_39, l1);
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_ACCESS_FLAG);
    ck_assert_uint_eq(res.level, 3);
    ck_assert_uint_eq(mmu_fault_status(&res), 0x0b);
}
END_TEST

START_TEST(test_access_flag_clear_on_block_faults_at_block_level)
{
    uint64_t l1 = table(0x1000), l2 = table(0x1000);
    put(l1, 0, TBL(l2));
    put(l2, 0, BLOCK(0x80000000) & ~D_AF);
    struct mmu_regime r = el1(TCR_4K_39, l1);
    struct mmu_result res;
    ck_assert(!translate(&r, 0x1000, MMU_WRITE, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_ACCESS_FLAG);
    ck_assert_uint_eq(res.level, 2);
}
END_TEST

START_TEST(test_self_referencing_table_ends_after_four_reads)
{
    /* L0 entry 0 points at L0 itself: VA 0 re-reads it as L1, L2 and L3,
       where 0b11 is a page with AF == 0. The walk cannot go round again. */
    uint64_t l0 = table(0x1000);
    put(l0, 0, TBL(l0));
    struct mmu_regime r = el1(TCR_4K_48, l0);
    struct mmu_result res;
    ck_assert(!translate(&r, 0, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_ACCESS_FLAG);
    ck_assert_uint_eq(res.level, 3);
    ck_assert_uint_eq(mem.reads, 4);
}
END_TEST

START_TEST(test_unbacked_table_is_external_abort_on_walk_at_its_level)
{
    /* TTBR0 at an unbacked PA: the level 0 read fails. A level 0 entry
       pointing at an unbacked PA: the level 1 read fails. */
    struct mmu_regime r = el1(TCR_4K_48, 0x1000000000ull);
    struct mmu_result res;
    ck_assert(!translate(&r, 0x1000, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_EXTERNAL_WALK);
    ck_assert_uint_eq(res.level, 0);
    ck_assert_uint_eq(mmu_fault_status(&res), 0x14);
    uint64_t l0 = table(0x1000);
    put(l0, 0, TBL(0x2000000000ull));
    r.ttbr0 = l0;
    ck_assert(!translate(&r, 0x1000, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_EXTERNAL_WALK);
    ck_assert_uint_eq(res.level, 1);
    ck_assert_uint_eq(mmu_fault_status(&res), 0x15);
}
END_TEST

/* ---- Output address size ------------------------------------------------- */

START_TEST(test_output_address_above_ips_is_address_size_fault)
{
    /* IPS 0b010: 40-bit outputs; the page at 0x100_0000_0000 has bit 40 set. */
    uint64_t l1 = s1_one_page(PAGE(0x10000000000ull));
    struct mmu_regime r = el1(TCR_T0SZ(25) | TCR_IPS(2), l1);
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_ADDRESS_SIZE);
    ck_assert_uint_eq(res.level, 3);
    ck_assert_uint_eq(mmu_fault_status(&res), 0x03);
}
END_TEST

START_TEST(test_output_size_is_limited_by_implemented_pa_size)
{
    /* IPS says 48 bits but only 40 are implemented: min(IPS, PARange). */
    uint64_t l1 = s1_one_page(PAGE(0x10000000000ull));
    struct mmu_regime r = el1(TCR_4K_39, l1);
    r.pa_bits = 40;
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_ADDRESS_SIZE);
    ck_assert_uint_eq(res.level, 3);
    r.pa_bits = 48;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x10000000abcull);
}
END_TEST

START_TEST(test_table_address_above_ips_is_address_size_fault_at_that_level)
{
    uint64_t l1 = table(0x1000);
    put(l1, 0, TBL(0x10000000000ull));
    struct mmu_regime r = el1(TCR_T0SZ(25) | TCR_IPS(2), l1);
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_ADDRESS_SIZE);
    ck_assert_uint_eq(res.level, 1);
    ck_assert_uint_eq(mem.reads, 1);
}
END_TEST

START_TEST(test_ttbr_above_ips_is_address_size_fault_at_level_0)
{
    /* The table base is checked before any read, and reported at level 0
       even though this walk starts at level 1. */
    struct mmu_regime r = el1(TCR_T0SZ(25) | TCR_IPS(2), 0x10000000000ull);
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_ADDRESS_SIZE);
    ck_assert_uint_eq(res.level, 0);
    ck_assert_uint_eq(mem.reads, 0);
    ck_assert_uint_eq(mmu_fault_status(&res), 0x00);
}
END_TEST

/* ---- Stage 1 permissions ----------------------------------------------------- */

START_TEST(test_read_only_page_write_is_permission_fault)
{
    uint64_t l1 = s1_one_page(PAGE(0x80000000) | D_AP_RO);
    struct mmu_regime r = el1(TCR_4K_39, l1);
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert(res.readable);
    ck_assert(!res.writable);
    ck_assert(!translate(&r, S1_VA, MMU_WRITE, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    ck_assert_uint_eq(res.level, 3);
    ck_assert(!res.stage2);
    ck_assert_uint_eq(mmu_fault_status(&res), 0x0f);
}
END_TEST

START_TEST(test_el0_access_to_el1_only_page_is_permission_fault)
{
    /* AP[2:1] = 0b00: EL1 read/write, no EL0 access. */
    uint64_t l1 = s1_one_page(PAGE(0x80000000));
    struct mmu_regime r = el1(TCR_4K_39, l1);
    r.unprivileged = true;
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    r.unprivileged = false;
    ck_assert(translate(&r, S1_VA, MMU_WRITE, &res));
}
END_TEST

START_TEST(test_el0_read_only_page_allows_el0_read_not_write)
{
    /* AP[2:1] = 0b11: read-only at EL1 and EL0. */
    uint64_t l1 = s1_one_page(PAGE(0x80000000) | D_AP_EL0 | D_AP_RO);
    struct mmu_regime r = el1(TCR_4K_39, l1);
    r.unprivileged = true;
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert(!translate(&r, S1_VA, MMU_WRITE, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
}
END_TEST

START_TEST(test_uxn_prevents_el0_fetch_only)
{
    uint64_t l1 = s1_one_page(PAGE(0x80000000) | D_AP_EL0 | D_AP_RO | D_UXN);
    struct mmu_regime r = el1(TCR_4K_39, l1);
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_EXEC, &res));
    r.unprivileged = true;
    ck_assert(!translate(&r, S1_VA, MMU_EXEC, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
}
END_TEST

START_TEST(test_pxn_prevents_el1_fetch_only)
{
    uint64_t l1 = s1_one_page(PAGE(0x80000000) | D_AP_EL0 | D_AP_RO | D_PXN);
    struct mmu_regime r = el1(TCR_4K_39, l1);
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_EXEC, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    r.unprivileged = true;
    ck_assert(translate(&r, S1_VA, MMU_EXEC, &res));
    ck_assert(res.executable);
}
END_TEST

START_TEST(test_el0_writable_page_is_never_el1_executable)
{
    /* AP[2:1] = 0b01 (EL1 and EL0 read/write), no XN bit set. */
    uint64_t l1 = s1_one_page(PAGE(0x80000000) | D_AP_EL0);
    struct mmu_regime r = el1(TCR_4K_39, l1);
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_EXEC, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    r.unprivileged = true;
    ck_assert(translate(&r, S1_VA, MMU_EXEC, &res));
}
END_TEST

START_TEST(test_pan_makes_el0_page_inaccessible_to_el1_data)
{
    uint64_t l1 = s1_one_page(PAGE(0x80000000) | D_AP_EL0);
    struct mmu_regime r = el1(TCR_4K_39, l1);
    r.pan = true;
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    ck_assert(!translate(&r, S1_VA, MMU_WRITE, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    r.pan = false;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
}
END_TEST

START_TEST(test_pan_spares_unprivileged_accesses)
{
    /* LDTR/STTR at EL1 check EL0 permissions, which PAN does not restrict. */
    uint64_t l1 = s1_one_page(PAGE(0x80000000) | D_AP_EL0);
    struct mmu_regime r = el1(TCR_4K_39, l1);
    r.pan = true;
    r.unprivileged = true;
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_WRITE, &res));
    ck_assert(res.readable);
    ck_assert(res.writable);
}
END_TEST

START_TEST(test_pan_spares_fetches_and_el1_only_pages)
{
    /* EL0 read-only page: PAN blocks the EL1 read but not the EL1 fetch. */
    uint64_t l1 = s1_one_page(PAGE(0x80000000) | D_AP_EL0 | D_AP_RO);
    struct mmu_regime r = el1(TCR_4K_39, l1);
    r.pan = true;
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_EXEC, &res));
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    /* an EL1-only page is not affected */
    uint64_t l1b = s1_one_page(PAGE(0x80000000));
    r.ttbr0 = l1b;
    ck_assert(translate(&r, S1_VA, MMU_WRITE, &res));
}
END_TEST

START_TEST(test_wxn_makes_writable_page_execute_never)
{
    uint64_t l1 = s1_one_page(PAGE(0x80000000)); /* EL1 read/write */
    struct mmu_regime r = el1(TCR_4K_39, l1);
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_EXEC, &res));
    r.sctlr |= SCTLR_WXN;
    ck_assert(!translate(&r, S1_VA, MMU_EXEC, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    /* a read-only page stays executable under WXN */
    r.ttbr0 = s1_one_page(PAGE(0x80000000) | D_AP_RO);
    ck_assert(translate(&r, S1_VA, MMU_EXEC, &res));
}
END_TEST

/* Tables for S1_VA whose L1 entry carries table attribute bits TATTR. */
static uint64_t s1_page_under(uint64_t tattr, uint64_t page_desc)
{
    uint64_t l1 = table(0x1000), l2 = table(0x1000), l3 = table(0x1000);
    put(l1, 0, TBL(l2) | tattr);
    put(l2, 0, TBL(l3));
    put(l3, 5, page_desc);
    return l1;
}

START_TEST(test_aptable1_makes_everything_below_read_only)
{
    struct mmu_regime r = el1(TCR_4K_39, s1_page_under(T_AP_RO, PAGE(0x80000000)));
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert(!translate(&r, S1_VA, MMU_WRITE, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    ck_assert_uint_eq(res.level, 3);
}
END_TEST

START_TEST(test_aptable0_removes_el0_access_below)
{
    struct mmu_regime r = el1(TCR_4K_39, s1_page_under(T_AP_NOEL0, PAGE(0x80000000) | D_AP_EL0));
    r.unprivileged = true;
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
}
END_TEST

START_TEST(test_xntables_make_everything_below_execute_never)
{
    /* EL0 read-only page, executable at both ELs without table limits. */
    uint64_t page = PAGE(0x80000000) | D_AP_EL0 | D_AP_RO;
    struct mmu_regime r = el1(TCR_4K_39, s1_page_under(T_UXN, page));
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_EXEC, &res));
    r.unprivileged = true;
    ck_assert(!translate(&r, S1_VA, MMU_EXEC, &res)); /* UXNTable */
    r = el1(TCR_4K_39, s1_page_under(T_PXN, page));
    ck_assert(!translate(&r, S1_VA, MMU_EXEC, &res)); /* PXNTable */
    r.unprivileged = true;
    ck_assert(translate(&r, S1_VA, MMU_EXEC, &res));
}
END_TEST

START_TEST(test_hpd_disables_table_limits)
{
    struct mmu_regime r = el1(TCR_4K_39 | TCR_HPD0, s1_page_under(T_AP_RO, PAGE(0x80000000)));
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_WRITE, &res));
}
END_TEST

/* ---- Attributes, ASID, global ------------------------------------------------ */

START_TEST(test_attrindx_selects_mair_byte)
{
    struct mmu_regime r = el1(TCR_4K_39, s1_one_page(PAGE(0x80000000) | D_ATTR(3)));
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_uint_eq(res.attr, 0x04); /* Attr3: Device-nGnRE */
    ck_assert(res.device);
    r.ttbr0 = s1_one_page(PAGE(0x80000000) | D_ATTR(4));
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_uint_eq(res.attr, 0xbb);
    ck_assert(!res.device);
    r.ttbr0 = s1_one_page(PAGE(0x80000000) | D_ATTR(5));
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_uint_eq(res.attr, 0x77); /* transient hint kept */
}
END_TEST

START_TEST(test_fetch_from_executable_device_memory_is_normal_nc)
{
    /* Our choice among the two the architecture allows: no fault, the fetch
       is treated as from Normal Non-cacheable memory; data stays Device. */
    struct mmu_regime r = el1(TCR_4K_39, s1_one_page(PAGE(0x9000000) | D_ATTR(1)));
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_EXEC, &res));
    ck_assert_uint_eq(res.attr, 0x44);
    ck_assert(!res.device);
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_uint_eq(res.attr, 0x00);
    ck_assert(res.device);
}
END_TEST

START_TEST(test_ng_page_is_not_global_and_carries_asid)
{
    uint64_t l1 = s1_one_page(PAGE(0x80000000) | D_NG);
    struct mmu_regime r = el1(TCR_4K_39 | TCR_AS, l1 | 0x1234ull << 48);
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert(!res.global);
    ck_assert_uint_eq(res.asid, 0x1234);
    r.ttbr0 = s1_one_page(PAGE(0x80000000)) | 0x1234ull << 48;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert(res.global);
}
END_TEST

START_TEST(test_asid_width_and_source_follow_tcr)
{
    uint64_t l1 = s1_one_page(PAGE(0x80000000) | D_NG);
    struct mmu_regime r = el1(TCR_4K_39, l1 | 0x1234ull << 48);
    r.ttbr1 = 0x5678ull << 48;
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_uint_eq(res.asid, 0x34); /* AS == 0: 8-bit ASIDs */
    r.tcr |= TCR_A1 | TCR_AS;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_uint_eq(res.asid, 0x5678); /* A1: TTBR1 holds the ASID */
}
END_TEST

/* ---- EL2 and EL2&0 ------------------------------------------------------------ */

/* TCR_EL2 with E2H == 0: RES1 bits 31 and 23 set as software must. */
#define TCR_EL2_RES1 ((1ull << 31) | (1ull << 23))

static struct mmu_regime el2(uint64_t tcr, uint64_t ttbr0)
{
    struct mmu_regime r = el1(tcr, ttbr0);
    r.kind = REGIME_EL2;
    return r;
}

START_TEST(test_tcr_el2_output_size_is_ps_at_bits_18_16)
{
    /* PS 0b010 (40 bits) at 18:16, bits 34:32 (IPS in TCR_EL1) zero: an
       output with bit 39 set fits; with PS 0b001 (36 bits) it does not. */
    uint64_t l1 = s1_one_page(PAGE(0x8000000000ull));
    struct mmu_regime r = el2(TCR_EL2_RES1 | TCR_T0SZ(25) | TCR2_PS(2), l1);
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x8000000abcull);
    r.tcr = TCR_EL2_RES1 | TCR_T0SZ(25) | TCR2_PS(1);
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_ADDRESS_SIZE);
    ck_assert_uint_eq(res.level, 3);
}
END_TEST

START_TEST(test_el2_has_a_single_va_range)
{
    /* No TTBR1 at EL2 without VHE: a high VA is outside the only range. */
    uint64_t l1 = s1_one_page(PAGE(0x80000000));
    struct mmu_regime r = el2(TCR_EL2_RES1 | TCR_T0SZ(25) | TCR2_PS(5), l1);
    r.ttbr1 = l1;
    struct mmu_result res;
    ck_assert(!translate(&r, 0xffffff8000005abcull, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert_uint_eq(res.level, 0);
}
END_TEST

START_TEST(test_tcr_el2_tbi_is_bit_20)
{
    uint64_t l1 = s1_one_page(PAGE(0x80000000));
    struct mmu_regime r = el2(TCR_EL2_RES1 | TCR_T0SZ(25) | TCR2_PS(5) | (1ull << 20), l1);
    struct mmu_result res;
    ck_assert(translate(&r, 0x7f00000000005abcull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x80000abc);
    r.tcr &= ~(1ull << 20);
    ck_assert(!translate(&r, 0x7f00000000005abcull, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
}
END_TEST

START_TEST(test_el2_ignores_ap1_pxn_and_ng)
{
    /* One privilege level: AP[1] and bit 53 have no meaning, and every
       entry is global; bit 54 (XN) still applies. */
    uint64_t l1 = s1_one_page(PAGE(0x80000000) | D_PXN | D_NG);
    struct mmu_regime r = el2(TCR_EL2_RES1 | TCR_T0SZ(25) | TCR2_PS(5), l1);
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_EXEC, &res));
    ck_assert(res.global);
    ck_assert_uint_eq(res.asid, 0);
    r.ttbr0 = s1_one_page(PAGE(0x80000000) | D_UXN);
    ck_assert(!translate(&r, S1_VA, MMU_EXEC, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
}
END_TEST

START_TEST(test_el20_uses_ttbr1_for_high_addresses)
{
    /* VHE: TCR_EL2 in the TCR_EL1 layout, two ranges. */
    uint64_t l1 = s1_one_page(PAGE(0x80000000));
    struct mmu_regime r = el1(TCR_4K_39 | TCR_T1SZ(25) | TCR_TG1_4K, 0);
    r.kind = REGIME_EL20;
    r.ttbr1 = l1;
    struct mmu_result res;
    ck_assert(translate(&r, 0xffffff8000005abcull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x80000abc);
    ck_assert_uint_eq(res.vmid, 0);
}
END_TEST

/* ---- Stage 1 off --------------------------------------------------------------- */

START_TEST(test_stage1_off_is_flat_device_data_and_normal_fetch)
{
    struct mmu_regime r = el1(TCR_4K_39, 0);
    r.s1_enabled = false;
    struct mmu_result res;
    ck_assert(translate(&r, 0x9000123, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x9000123);
    ck_assert_uint_eq(res.attr, 0x00); /* Device-nGnRnE */
    ck_assert(res.device);
    ck_assert(translate(&r, 0x40000000, MMU_EXEC, &res));
    ck_assert_uint_eq(res.attr, 0x44); /* Normal Non-cacheable: SCTLR.I == 0 */
    ck_assert(!res.device);
    r.sctlr |= SCTLR_I;
    ck_assert(translate(&r, 0x40000000, MMU_EXEC, &res));
    ck_assert_uint_eq(res.attr, 0xaa); /* Normal Write-Through read-allocate */
    ck_assert_uint_eq(mem.reads, 0);
}
END_TEST

START_TEST(test_stage1_off_va_above_pa_size_is_address_size_fault)
{
    struct mmu_regime r = el1(TCR_4K_39, 0);
    r.s1_enabled = false;
    r.pa_bits = 40;
    struct mmu_result res;
    ck_assert(translate(&r, 0xffffffffffull, MMU_READ, &res));
    ck_assert(!translate(&r, 0x10000000000ull, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_ADDRESS_SIZE);
    ck_assert_uint_eq(res.level, 0);
    ck_assert(!res.stage2);
}
END_TEST

/* ---- Stage 2 ----------------------------------------------------------------- */

START_TEST(test_stage2_translates_the_ipa)
{
    /* Stage 1 VA 0x5abc -> IPA 0xc000_5abc; stage 2 L1 index 3 is a 1 GB
       block at 0x1_0000_0000. */
    struct mmu_regime r = el1(TCR_4K_39, s1_one_page(PAGE(0xc0005000)));
    uint64_t s2l1 = s2_identity(&r, 0xf);
    put(s2l1, 3, BLOCK(0x100000000ull) | S2_R | S2_W | S2_MEM(0xf));
    r.vttbr |= 0x1234ull << 48;
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x100005abcull);
    ck_assert_uint_eq(res.ipa, S1_IPA);
    ck_assert_uint_eq(res.vmid, 0x34); /* VS == 0: 8-bit VMIDs */
    ck_assert_uint_eq(res.attr, 0xff);
    /* three stage 1 descriptors, each after a one-read stage 2 walk, then
       the final IPA's one-read stage 2 walk */
    ck_assert_uint_eq(mem.reads, 7);
    r.vtcr |= VTCR_VS;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_uint_eq(res.vmid, 0x1234);
}
END_TEST

START_TEST(test_stage2_translation_fault_reports_ipa)
{
    struct mmu_regime r = el1(TCR_4K_39, s1_one_page(PAGE(0xc0005000)));
    s2_identity(&r, 0xf); /* nothing at L1 index 3 */
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert(res.stage2);
    ck_assert(!res.s1ptw);
    ck_assert_uint_eq(res.level, 1);
    ck_assert_uint_eq(res.ipa, S1_IPA);
    ck_assert_uint_eq(mmu_fault_status(&res), 0x05);
}
END_TEST

START_TEST(test_stage2_s2ap_read_only_write_is_stage2_permission_fault)
{
    struct mmu_regime r = el1(TCR_4K_39, s1_one_page(PAGE(0xc0005000)));
    uint64_t s2l1 = s2_identity(&r, 0xf);
    put(s2l1, 3, BLOCK(0x100000000ull) | S2_R | S2_MEM(0xf));
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert(res.readable);
    ck_assert(!res.writable);
    ck_assert(!translate(&r, S1_VA, MMU_WRITE, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    ck_assert(res.stage2);
    ck_assert_uint_eq(res.level, 1);
    ck_assert_uint_eq(res.ipa, S1_IPA);
}
END_TEST

START_TEST(test_stage2_write_only_page_refuses_reads)
{
    struct mmu_regime r = el1(TCR_4K_39, s1_one_page(PAGE(0xc0005000)));
    uint64_t s2l1 = s2_identity(&r, 0xf);
    put(s2l1, 3, BLOCK(0x100000000ull) | S2_W | S2_MEM(0xf));
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_WRITE, &res));
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    ck_assert(res.stage2);
}
END_TEST

START_TEST(test_stage2_xn_prevents_fetch)
{
    struct mmu_regime r = el1(TCR_4K_39, s1_one_page(PAGE(0xc0005000)));
    uint64_t s2l1 = s2_identity(&r, 0xf);
    put(s2l1, 3, BLOCK(0x100000000ull) | S2_R | S2_W | S2_MEM(0xf) | S2_XN);
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_EXEC, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    ck_assert(res.stage2);
}
END_TEST

START_TEST(test_stage1_fault_comes_before_stage2)
{
    /* Stage 1 refuses the write: the missing stage 2 mapping is not seen. */
    struct mmu_regime r = el1(TCR_4K_39, s1_one_page(PAGE(0xc0005000) | D_AP_RO));
    s2_identity(&r, 0xf);
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_WRITE, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    ck_assert(!res.stage2);
}
END_TEST

START_TEST(test_stage1_table_in_unmapped_ipa_is_s1ptw_fault)
{
    /* TTBR0_EL1 holds IPA 0x8000_0000, stage 2 L1 index 2: not mapped. The
       first stage 1 read (L1 index 0) faults at stage 2 level 1. */
    struct mmu_regime r = el1(TCR_4K_39, 0x80000000);
    s2_identity(&r, 0xf);
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert(res.stage2);
    ck_assert(res.s1ptw);
    ck_assert_uint_eq(res.level, 1);
    ck_assert_uint_eq(res.ipa, 0x80000000);
}
END_TEST

START_TEST(test_s1ptw_needs_stage2_read_even_for_fetch)
{
    /* Stage 1 tables in stage 2 memory that is execute-only: the walk
       reads, so even an instruction fetch faults with S1PTW. */
    struct mmu_regime r = el1(TCR_4K_39, s1_one_page(PAGE(0x40000000)));
    uint64_t s2l1 = s2_identity(&r, 0xf);
    put(s2l1, 1, BLOCK(MEM_BASE) | S2_MEM(0xf));
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_EXEC, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    ck_assert(res.s1ptw);
}
END_TEST

START_TEST(test_hcr_ptw_faults_walks_into_stage2_device_memory)
{
    /* Stage 2 maps the stage 1 tables as Device-nGnRE (MemAttr 0b0001). */
    uint64_t l1 = s1_one_page(PAGE(0x40000000));
    struct mmu_regime r = el1(TCR_4K_39, l1);
    s2_identity(&r, 0x1);
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    r.hcr_ptw = true;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_PERMISSION);
    ck_assert(res.stage2);
    ck_assert(res.s1ptw);
    ck_assert_uint_eq(res.level, 1);
    ck_assert_uint_eq(res.ipa, l1); /* L1 index 0 */
}
END_TEST

START_TEST(test_stage2_sl0_beyond_pa_size_is_level0_fault)
{
    /* 4KB, SL0 = 2 (start at level 0) needs over 44 PA bits. T0SZ 24 (40-bit
       IPA) gives a 2-entry level 0 table. */
    struct mmu_regime r = el1(TCR_4K_39, 0);
    r.s1_enabled = false;
    r.s2_enabled = true;
    uint64_t s2l0 = table(0x1000), s2l1 = table(0x1000);
    put(s2l0, 0, TBL(s2l1));
    put(s2l1, 1, BLOCK(MEM_BASE) | S2_R | S2_W | S2_MEM(0xf));
    r.vtcr = TCR_T0SZ(24) | VTCR_SL0(2) | TCR2_PS(2);
    r.vttbr = s2l0;
    struct mmu_result res;
    r.pa_bits = 48;
    ck_assert(translate(&r, MEM_BASE + 8, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, MEM_BASE + 8);
    r.pa_bits = 40;
    ck_assert(!translate(&r, MEM_BASE + 8, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert(res.stage2);
    ck_assert_uint_eq(res.level, 0);
    ck_assert_uint_eq(mem.reads, 0);
}
END_TEST

START_TEST(test_stage2_start_table_larger_than_16_pages_is_level0_fault)
{
    /* T0SZ 16 (48-bit IPA) starting at level 1 would need 2^18 entries at
       level 1, 512 pages; at most 16 can be concatenated. */
    struct mmu_regime r = el1(TCR_4K_39, 0);
    r.s1_enabled = false;
    s2_identity(&r, 0xf);
    r.vtcr = TCR_T0SZ(16) | VTCR_SL0(1) | TCR2_PS(5);
    struct mmu_result res;
    ck_assert(!translate(&r, MEM_BASE, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert(res.stage2);
    ck_assert_uint_eq(res.level, 0);
}
END_TEST

START_TEST(test_stage2_input_size_above_pa_size_is_level0_fault)
{
    /* 41-bit IPAs (T0SZ 23) from level 1 (3 concatenated tables would do)
       but only 40 PA bits: we choose the fault the architecture allows. */
    struct mmu_regime r = el1(TCR_4K_39, 0);
    r.s1_enabled = false;
    s2_identity(&r, 0xf);
    r.vtcr = TCR_T0SZ(23) | VTCR_SL0(1) | TCR2_PS(2);
    r.pa_bits = 40;
    struct mmu_result res;
    ck_assert(!translate(&r, MEM_BASE, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert(res.stage2);
    ck_assert_uint_eq(res.level, 0);
    r.vtcr = TCR_T0SZ(24) | VTCR_SL0(1) | TCR2_PS(2);
    ck_assert(translate(&r, MEM_BASE, MMU_READ, &res));
}
END_TEST

START_TEST(test_stage2_concatenated_start_tables)
{
    /* T0SZ 24 (40-bit IPA) from level 1: 2^10 entries, two concatenated
       4KB tables (8KB aligned). IPA 0x80_4000_1234 (bit 39 set) is entry
       0x201: in the second page. */
    struct mmu_regime r = el1(TCR_4K_39, 0);
    r.s1_enabled = false;
    r.s2_enabled = true;
    uint64_t s2l1 = table(0x2000);
    put(s2l1, 0x201, BLOCK(0x40000000) | S2_R | S2_MEM(0xf));
    r.vtcr = TCR_T0SZ(24) | VTCR_SL0(1) | TCR2_PS(5);
    r.vttbr = s2l1;
    struct mmu_result res;
    ck_assert(translate(&r, 0x8040001234ull, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x40001234);
}
END_TEST

START_TEST(test_ipa_above_stage2_input_size_is_level0_fault)
{
    /* Stage 2 takes 39-bit IPAs; stage 1 outputs IPA 0x80_0000_5abc. */
    struct mmu_regime r = el1(TCR_4K_39, s1_one_page(PAGE(0x8000005000ull)));
    s2_identity(&r, 0xf);
    struct mmu_result res;
    ck_assert(!translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_TRANSLATION);
    ck_assert(res.stage2);
    ck_assert_uint_eq(res.level, 0);
    ck_assert_uint_eq(res.ipa, 0x8000005abcull);
}
END_TEST

START_TEST(test_unbacked_stage2_table_is_external_abort_on_stage2_walk)
{
    struct mmu_regime r = el1(TCR_4K_39, 0);
    r.s1_enabled = false;
    r.s2_enabled = true;
    r.vtcr = TCR_T0SZ(25) | VTCR_SL0(1) | TCR2_PS(5);
    r.vttbr = 0x1000000000ull;
    struct mmu_result res;
    ck_assert(!translate(&r, MEM_BASE, MMU_READ, &res));
    ck_assert_int_eq(res.fault, MMU_FAULT_EXTERNAL_WALK);
    ck_assert(res.stage2);
    ck_assert_uint_eq(res.level, 1);
    ck_assert_uint_eq(res.ipa, MEM_BASE);
}
END_TEST

/* Stage 1 page with ATTR_INDEX over stage 2 MemAttr S2ATTR: the combined byte. */
static uint8_t combined_attr(unsigned attr_index, unsigned s2attr)
{
    struct mmu_regime r = el1(TCR_4K_39, s1_one_page(PAGE(0xc0005000) | D_ATTR(attr_index)));
    uint64_t s2l1 = s2_identity(&r, 0xf);
    put(s2l1, 3, BLOCK(0x100000000ull) | S2_R | S2_W | S2_MEM(s2attr));
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert(res.device == ((res.attr & 0xf0) == 0));
    return res.attr;
}

START_TEST(test_stage2_device_forces_device)
{
    /* Normal WB at stage 1 over Device-nGnRE (0b0001) at stage 2. */
    ck_assert_uint_eq(combined_attr(0, 0x1), 0x04);
    /* Device-nGnRE at stage 1 over Normal WB (0b1111) stays Device-nGnRE. */
    ck_assert_uint_eq(combined_attr(3, 0xf), 0x04);
}
END_TEST

START_TEST(test_combined_device_type_is_the_stricter)
{
    /* nGnRE (Attr3) over nGnRnE (0b0000) -> nGnRnE. */
    ck_assert_uint_eq(combined_attr(3, 0x0), 0x00);
    /* nGnRnE (Attr1) over GRE (0b0011) -> nGnRnE. */
    ck_assert_uint_eq(combined_attr(1, 0x3), 0x00);
}
END_TEST

START_TEST(test_combined_cacheability_is_the_weaker)
{
    /* WB RW-allocate (0xff) over Normal NC (0b0101) -> NC. */
    ck_assert_uint_eq(combined_attr(0, 0x5), 0x44);
    /* WB RW-allocate over WT (0b1010) -> WT keeping the stage 1 hints. */
    ck_assert_uint_eq(combined_attr(0, 0xa), 0xbb);
    /* NC (Attr2) over WB stays NC. */
    ck_assert_uint_eq(combined_attr(2, 0xf), 0x44);
}
END_TEST

START_TEST(test_hcr_dc_makes_stage1_off_normal_write_back)
{
    /* DC: stage 1 is off whatever SCTLR_EL1.M says (TTBR0 0 would fault),
       its memory is Normal WB, and stage 2 applies even with VM == 0. */
    struct mmu_regime r = el1(TCR_4K_39, 0);
    s2_identity(&r, 0xf);
    r.s2_enabled = false;
    r.hcr_dc = true;
    struct mmu_result res;
    ck_assert(translate(&r, MEM_BASE + 0x1234, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, MEM_BASE + 0x1234);
    ck_assert_uint_eq(res.attr, 0xff);
    ck_assert(!translate(&r, 0xc0000000, MMU_READ, &res)); /* stage 2 is on */
    ck_assert(res.stage2);
}
END_TEST

/* ---- Mapping size ------------------------------------------------------------ */

START_TEST(test_page_mask_is_the_smaller_of_both_stages)
{
    /* Stage 1: 2 MB block at L2 index 0 -> IPA 0xc000_0000. */
    uint64_t l1 = table(0x1000), l2 = table(0x1000);
    put(l1, 0, TBL(l2));
    put(l2, 0, BLOCK(0xc0000000));
    struct mmu_regime r = el1(TCR_4K_39, l1);
    uint64_t s2l1 = s2_identity(&r, 0xf);
    /* stage 2: 1 GB block at IPA 0xc000_0000 */
    put(s2l1, 3, BLOCK(0x100000000ull) | S2_R | S2_W | S2_MEM(0xf));
    struct mmu_result res;
    ck_assert(translate(&r, 0x12345, MMU_READ, &res));
    ck_assert_uint_eq(res.page_mask, 0x1fffff);
    /* stage 2: 4 KB pages there instead */
    uint64_t s2l2 = table(0x1000), s2l3 = table(0x1000);
    put(s2l1, 3, TBL(s2l2));
    put(s2l2, 0, TBL(s2l3));
    put(s2l3, 0x12, PAGE(0x100000000ull) | S2_R | S2_MEM(0xf));
    ck_assert(translate(&r, 0x12345, MMU_READ, &res));
    ck_assert_uint_eq(res.pa, 0x100000345ull);
    ck_assert_uint_eq(res.page_mask, 0xfff);
}
END_TEST

START_TEST(test_stage1_off_without_stage2_reports_4k_pages)
{
    struct mmu_regime r = el1(TCR_4K_39, 0);
    r.s1_enabled = false;
    struct mmu_result res;
    ck_assert(translate(&r, 0x12345, MMU_READ, &res));
    ck_assert_uint_eq(res.page_mask, 0xfff);
    ck_assert(res.readable && res.writable && res.executable);
}
END_TEST

START_TEST(test_s1_page_mask_is_the_stage1_block_whatever_stage2)
{
    /* What a TLBI by VA removes is the stage 1 entry: a 2 MB block here,
     * though stage 2 maps the IPA with 4 KB pages (page_mask 0xfff). */
    uint64_t l1 = table(0x1000), l2 = table(0x1000);
    put(l1, 0, TBL(l2));
    put(l2, 0, BLOCK(0xc0000000));
    struct mmu_regime r = el1(TCR_4K_39, l1);
    uint64_t s2l1 = s2_identity(&r, 0xf);
    uint64_t s2l2 = table(0x1000), s2l3 = table(0x1000);
    put(s2l1, 3, TBL(s2l2));
    put(s2l2, 0, TBL(s2l3));
    put(s2l3, 0x12, PAGE(0x100000000ull) | S2_R | S2_MEM(0xf));
    struct mmu_result res;
    ck_assert(translate(&r, 0x12345, MMU_READ, &res));
    ck_assert_uint_eq(res.page_mask, 0xfff);
    ck_assert_uint_eq(res.s1_page_mask, 0x1fffff);
    /* Stage 1 off: no stage 1 entry, 4 KB. */
    r.s1_enabled = false;
    r.s2_enabled = false;
    ck_assert(translate(&r, 0x12345, MMU_READ, &res));
    ck_assert_uint_eq(res.s1_page_mask, 0xfff);
}
END_TEST

START_TEST(test_mmu_asid_and_vmid_are_what_a_translation_reports)
{
    uint64_t l1 = s1_one_page(PAGE(0x80000000) | D_NG);
    struct mmu_regime r = el1(TCR_4K_39, l1 | 0x1234ull << 48);
    r.ttbr1 = 0x5678ull << 48;
    r.vttbr = 0xab01ull << 48;
    struct mmu_result res;
    ck_assert(translate(&r, S1_VA, MMU_READ, &res));
    ck_assert_uint_eq(mmu_asid(&r), res.asid);
    ck_assert_uint_eq(mmu_asid(&r), 0x34); /* AS == 0: 8-bit ASIDs */
    ck_assert_uint_eq(mmu_vmid(&r), res.vmid);
    ck_assert_uint_eq(mmu_vmid(&r), 0x01); /* VTCR_EL2.VS == 0: 8-bit VMIDs */
    r.tcr |= TCR_A1 | TCR_AS;
    ck_assert_uint_eq(mmu_asid(&r), 0x5678);
    r.kind = REGIME_EL2;
    ck_assert_uint_eq(mmu_asid(&r), 0); /* the EL2 regime has no ASID */
    ck_assert_uint_eq(mmu_vmid(&r), 0); /* nor a VMID */
}
END_TEST

/* ---- Fault status codes -------------------------------------------------------- */

static unsigned status(enum mmu_fault_type type, unsigned level)
{
    struct mmu_result res = {.fault = type, .level = level};
    return mmu_fault_status(&res);
}

START_TEST(test_fault_status_codes_follow_esr_dfsc)
{
    ck_assert_uint_eq(status(MMU_FAULT_ADDRESS_SIZE, 2), 0x02);  /* 0b000010 */
    ck_assert_uint_eq(status(MMU_FAULT_TRANSLATION, 0), 0x04);   /* 0b000100 */
    ck_assert_uint_eq(status(MMU_FAULT_TRANSLATION, 3), 0x07);   /* 0b000111 */
    ck_assert_uint_eq(status(MMU_FAULT_ACCESS_FLAG, 1), 0x09);   /* 0b001001 */
    ck_assert_uint_eq(status(MMU_FAULT_PERMISSION, 2), 0x0e);    /* 0b001110 */
    ck_assert_uint_eq(status(MMU_FAULT_EXTERNAL_WALK, 3), 0x17); /* 0b010111 */
}
END_TEST

static Suite *mmu_suite(void)
{
    Suite *s = suite_create("mmu");
    TCase *tc = tcase_create("translate");
    tcase_add_checked_fixture(tc, mem_setup, mem_teardown);
    tcase_add_test(tc, test_4k_four_level_walk_reaches_page);
    tcase_add_test(tc, test_4k_t0sz_25_starts_at_level_1);
    tcase_add_test(tc, test_4k_level1_block_maps_1gb);
    tcase_add_test(tc, test_4k_level2_block_maps_2mb);
    tcase_add_test(tc, test_4k_level0_block_is_translation_fault);
    tcase_add_test(tc, test_16k_granule_four_level_walk);
    tcase_add_test(tc, test_16k_level2_block_maps_32mb);
    tcase_add_test(tc, test_64k_granule_three_level_walk);
    tcase_add_test(tc, test_64k_level2_block_maps_512mb);
    tcase_add_test(tc, test_64k_level1_block_is_translation_fault);
    tcase_add_test(tc, test_ttbr1_translates_high_addresses_with_t1sz);
    tcase_add_test(tc, test_tg1_encoding_differs_from_tg0);
    tcase_add_test(tc, test_va_outside_both_ranges_is_level0_translation_fault);
    tcase_add_test(tc, test_epd0_makes_ttbr0_range_fault_without_walking);
    tcase_add_test(tc, test_epd1_makes_ttbr1_range_fault_without_walking);
    tcase_add_test(tc, test_tbi0_ignores_the_top_byte);
    tcase_add_test(tc, test_invalid_descriptor_faults_at_its_level);
    tcase_add_test(tc, test_level3_block_type_is_reserved_translation_fault);
    tcase_add_test(tc, test_access_flag_clear_is_access_flag_fault);
    tcase_add_test(tc, test_access_flag_clear_on_block_faults_at_block_level);
    tcase_add_test(tc, test_self_referencing_table_ends_after_four_reads);
    tcase_add_test(tc, test_unbacked_table_is_external_abort_on_walk_at_its_level);
    tcase_add_test(tc, test_output_address_above_ips_is_address_size_fault);
    tcase_add_test(tc, test_output_size_is_limited_by_implemented_pa_size);
    tcase_add_test(tc, test_table_address_above_ips_is_address_size_fault_at_that_level);
    tcase_add_test(tc, test_ttbr_above_ips_is_address_size_fault_at_level_0);
    tcase_add_test(tc, test_read_only_page_write_is_permission_fault);
    tcase_add_test(tc, test_el0_access_to_el1_only_page_is_permission_fault);
    tcase_add_test(tc, test_el0_read_only_page_allows_el0_read_not_write);
    tcase_add_test(tc, test_uxn_prevents_el0_fetch_only);
    tcase_add_test(tc, test_pxn_prevents_el1_fetch_only);
    tcase_add_test(tc, test_el0_writable_page_is_never_el1_executable);
    tcase_add_test(tc, test_pan_makes_el0_page_inaccessible_to_el1_data);
    tcase_add_test(tc, test_pan_spares_unprivileged_accesses);
    tcase_add_test(tc, test_pan_spares_fetches_and_el1_only_pages);
    tcase_add_test(tc, test_wxn_makes_writable_page_execute_never);
    tcase_add_test(tc, test_aptable1_makes_everything_below_read_only);
    tcase_add_test(tc, test_aptable0_removes_el0_access_below);
    tcase_add_test(tc, test_xntables_make_everything_below_execute_never);
    tcase_add_test(tc, test_hpd_disables_table_limits);
    tcase_add_test(tc, test_attrindx_selects_mair_byte);
    tcase_add_test(tc, test_fetch_from_executable_device_memory_is_normal_nc);
    tcase_add_test(tc, test_ng_page_is_not_global_and_carries_asid);
    tcase_add_test(tc, test_asid_width_and_source_follow_tcr);
    tcase_add_test(tc, test_tcr_el2_output_size_is_ps_at_bits_18_16);
    tcase_add_test(tc, test_el2_has_a_single_va_range);
    tcase_add_test(tc, test_tcr_el2_tbi_is_bit_20);
    tcase_add_test(tc, test_el2_ignores_ap1_pxn_and_ng);
    tcase_add_test(tc, test_el20_uses_ttbr1_for_high_addresses);
    tcase_add_test(tc, test_stage1_off_is_flat_device_data_and_normal_fetch);
    tcase_add_test(tc, test_stage1_off_va_above_pa_size_is_address_size_fault);
    tcase_add_test(tc, test_stage2_translates_the_ipa);
    tcase_add_test(tc, test_stage2_translation_fault_reports_ipa);
    tcase_add_test(tc, test_stage2_s2ap_read_only_write_is_stage2_permission_fault);
    tcase_add_test(tc, test_stage2_write_only_page_refuses_reads);
    tcase_add_test(tc, test_stage2_xn_prevents_fetch);
    tcase_add_test(tc, test_stage1_fault_comes_before_stage2);
    tcase_add_test(tc, test_stage1_table_in_unmapped_ipa_is_s1ptw_fault);
    tcase_add_test(tc, test_s1ptw_needs_stage2_read_even_for_fetch);
    tcase_add_test(tc, test_hcr_ptw_faults_walks_into_stage2_device_memory);
    tcase_add_test(tc, test_stage2_sl0_beyond_pa_size_is_level0_fault);
    tcase_add_test(tc, test_stage2_start_table_larger_than_16_pages_is_level0_fault);
    tcase_add_test(tc, test_stage2_input_size_above_pa_size_is_level0_fault);
    tcase_add_test(tc, test_stage2_concatenated_start_tables);
    tcase_add_test(tc, test_ipa_above_stage2_input_size_is_level0_fault);
    tcase_add_test(tc, test_unbacked_stage2_table_is_external_abort_on_stage2_walk);
    tcase_add_test(tc, test_stage2_device_forces_device);
    tcase_add_test(tc, test_combined_device_type_is_the_stricter);
    tcase_add_test(tc, test_combined_cacheability_is_the_weaker);
    tcase_add_test(tc, test_hcr_dc_makes_stage1_off_normal_write_back);
    tcase_add_test(tc, test_page_mask_is_the_smaller_of_both_stages);
    tcase_add_test(tc, test_stage1_off_without_stage2_reports_4k_pages);
    tcase_add_test(tc, test_s1_page_mask_is_the_stage1_block_whatever_stage2);
    tcase_add_test(tc, test_mmu_asid_and_vmid_are_what_a_translation_reports);
    tcase_add_test(tc, test_fault_status_codes_follow_esr_dfsc);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(mmu_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
