/* Unit tests for the PE's software TLB (cpu/mem.c): translation contexts,
 * ASID and VMID tags, what each TLBI and each register write removes, the
 * fetch translations, and stores to pages with exclusive marks.
 *
 * A TLB is seen only when it keeps an entry that a walk would no longer
 * give: each test changes a descriptor in memory without the TLBI the
 * architecture would ask for, so that a read returns the old page while the
 * entry is kept and the new page once it is gone (Arm ARM D8, "Translation
 * Lookaside Buffers": a TLB may hold an entry until a TLBI removes it, and
 * software must invalidate after changing a descriptor). The tables are built by hand: 4 KB
 * granule, T0SZ = 25 (39-bit VAs, lookup from level 1), RAM at 0x4000_0000 mapped as one global 1
 * GB block for EL1, and test pages below 2 MB. */
#include "cpu/cost.h"
#include "cpu/cpu.h"
#include "cpu/cpu_internal.h"
#include "sim/bus.h"

#include <check.h>
#include <stdint.h>
#include <string.h>

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (8ull << 20)
#define CODE     RAM_BASE
#define L1       (RAM_BASE + 0x100000)               /* the root (TTBR0_EL1) */
#define L2       (RAM_BASE + 0x101000)               /* for VAs 0 - 1 GB */
#define L3       (RAM_BASE + 0x102000)               /* for VAs 0 - 2 MB */
#define PAGE(n)  (RAM_BASE + 0x10000 + 0x1000 * (n)) /* data pages, tagged n */
#define VA_NG    0x1000ull                           /* a non-global page */
#define VA_G     0x2000ull                           /* a global page */
#define VA_CODE  0x3000ull                           /* an executable non-global page */
#define VA_NG2   0x4000ull                           /* another non-global page */
#define VA_BLOCK 0x200000ull                         /* a 2 MB block (L2[1]) */

/* Descriptor bits (Arm ARM D8.3): valid, table/page, AttrIndx 0, AP[2:1],
 * SH inner, AF, nG. */
#define D_TABLE 3ull
#define D_BLOCK 1ull
#define D_PAGE  3ull
#define D_AF    (1ull << 10)
#define D_SH    (3ull << 8)
#define D_EL0   (1ull << 6) /* AP[1]: EL0 may access */
#define D_NG    (1ull << 11)
#define D_LEAF  (D_AF | D_SH)

#define MAIR_NORMAL 0xffull /* attribute 0: Normal Write-Back */
/* TCR_EL1: T0SZ 25, TG0 4 KB, EPD1 (no TTBR1 walks), IPS 40 bits, 8-bit ASIDs. */
#define TCR_VALUE        (25ull | 1ull << 23 | 2ull << 32)
#define TTBR(root, asid) ((root) | (uint64_t)(asid) << 48)

/* TLBI words (SYS op1, CRn = 8, CRm, op2, Rt = 0) and their operands. */
#define TLBI(op1, crm, op2) (0xd5088000u | (op1) << 16 | (crm) << 8 | (op2) << 5)
#define TLBI_VMALLE1        TLBI(0, 7, 0)
#define TLBI_VAE1           TLBI(0, 7, 1)
#define TLBI_ASIDE1         TLBI(0, 7, 2)
#define TLBI_VAAE1          TLBI(0, 7, 3)
#define TLBI_VAE1IS         TLBI(0, 3, 1)
#define TLBI_ALLE1          TLBI(4, 7, 4)
#define TLBI_VMALLS12E1     TLBI(4, 7, 6)
#define OP_VA(asid, va)     ((uint64_t)(asid) << 48 | (va) >> 12)

static struct bus *bus;
static struct code_cache *cc;
static struct cpu *pe, *pe2;

static uint8_t *ram(uint64_t pa)
{
    return bus_ram_host(bus) + (pa - RAM_BASE);
}

static void poke64(uint64_t pa, uint64_t v)
{
    memcpy(ram(pa), &v, 8);
}

static uint64_t peek64(uint64_t pa)
{
    uint64_t v;
    memcpy(&v, ram(pa), 8);
    return v;
}

static struct cpu *new_pe(unsigned index, unsigned el)
{
    struct cpu *c = cpu_new(&(struct cpu_config){.index = index,
                                                 .mpidr = 1ull << 31 | index,
                                                 .el = el,
                                                 .bus = bus,
                                                 .code = cc,
                                                 .cost = &cost_default});
    ck_assert_ptr_nonnull(c);
    cpu_reset(c, CODE, 0);
    return c;
}

/* Map VA (below 2 MB) to PA with a level 3 page descriptor. */
static void map_page(uint64_t va, uint64_t pa, uint64_t attrs)
{
    poke64(L3 + 8 * ((va >> 12) & 511), pa | D_PAGE | D_LEAF | attrs);
}

static void setup_with(unsigned el)
{
    bus = bus_new(RAM_BASE, RAM_SIZE);
    ck_assert_ptr_nonnull(bus);
    cc = code_cache_new(bus, &cost_default);
    ck_assert_ptr_nonnull(cc);
    pe = new_pe(0, el);
    pe2 = NULL;
    poke64(L1 + 8 * 0, L2 | D_TABLE);
    poke64(L1 + 8 * 1, RAM_BASE | D_BLOCK | D_LEAF); /* RAM, global, EL1 only */
    poke64(L2 + 8 * 0, L3 | D_TABLE);
    for (unsigned n = 0; n < 8; n++)
        poke64(PAGE(n), 0x1111111111111111ull * n);
    map_page(VA_NG, PAGE(1), D_NG | D_EL0);
    map_page(VA_G, PAGE(1), D_EL0);
    map_page(VA_CODE, PAGE(1), D_NG);
    map_page(VA_NG2, PAGE(5), D_NG | D_EL0);
}

static void setup(void)
{
    setup_with(1);
}

static void setup_el2(void)
{
    setup_with(2);
}

static void teardown(void)
{
    cpu_free(pe);
    if (pe2)
        cpu_free(pe2);
    code_cache_free(cc);
    bus_free(bus);
}

/* The PE at EL, PAN clear, with the EL1&0 MMU on under ASID. */
static void mmu_on(struct cpu *c, unsigned el, unsigned asid)
{
    c->mair[1] = MAIR_NORMAL;
    c->tcr[1] = TCR_VALUE;
    c->ttbr0[1] = TTBR(L1, asid);
    c->sctlr[1] |= SCTLR_M;
    mem_tlb_sync(c); /* what an MSR of each does */
    c->el = (uint8_t)el;
    mem_tlb_switch(c); /* what an exception entry or return does */
}

static void set_asid(struct cpu *c, unsigned asid)
{
    c->ttbr0[1] = TTBR(L1, asid);
    mem_tlb_sync(c);
}

/* The doubleword at VA, read through the PE's TLB (tag n of PAGE(n)). */
static uint64_t read_va(struct cpu *c, uint64_t va)
{
    uint64_t v = 0;
    ck_assert(mem_read(c, va, 8, &v));
    return v;
}

#define TAG(n) (0x1111111111111111ull * (n))

START_TEST(test_asid_never_uses_another_asids_entry)
{
    mmu_on(pe, 1, 1);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1));
    /* The descriptor changes with ASID 1's entry still held, as the
     * architecture allows; ASID 2 has no entry of its own and must walk. */
    set_asid(pe, 2);
    map_page(VA_NG, PAGE(2), D_NG | D_EL0);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(2));
}
END_TEST

START_TEST(test_two_address_spaces_each_see_their_own_page)
{
    /* Two processes: ASID 1 with root L1 (VA_NG -> page 1), ASID 2 with a
     * copy of the tables mapping VA_NG to page 2; back and forth without
     * a TLBI, each reads its own page. */
    memcpy(ram(L1 + 0x8000), ram(L1), 0x1000);
    memcpy(ram(L2 + 0x8000), ram(L2), 0x1000);
    memcpy(ram(L3 + 0x8000), ram(L3), 0x1000);
    poke64(L1 + 0x8000, (L2 + 0x8000) | D_TABLE);
    poke64(L2 + 0x8000, (L3 + 0x8000) | D_TABLE);
    poke64(L3 + 0x8000 + 8 * (VA_NG >> 12), PAGE(2) | D_PAGE | D_LEAF | D_NG | D_EL0);
    mmu_on(pe, 1, 1);
    for (unsigned i = 0; i < 3; i++) {
        pe->ttbr0[1] = TTBR(L1, 1);
        mem_tlb_sync(pe);
        ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1));
        pe->ttbr0[1] = TTBR(L1 + 0x8000, 2);
        mem_tlb_sync(pe);
        ck_assert_uint_eq(read_va(pe, VA_NG), TAG(2));
    }
}
END_TEST

START_TEST(test_asid_switch_keeps_the_entries_of_the_asid_left)
{
    mmu_on(pe, 1, 1);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1));
    set_asid(pe, 2);
    ck_assert_uint_eq(read_va(pe, VA_NG2), TAG(5));
    map_page(VA_NG, PAGE(2), D_NG | D_EL0);
    map_page(VA_NG2, PAGE(6), D_NG | D_EL0);
    /* Back and forth without a TLBI: each ASID's entry is still there. */
    set_asid(pe, 1);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1));
    set_asid(pe, 2);
    ck_assert_uint_eq(read_va(pe, VA_NG2), TAG(5));
}
END_TEST

START_TEST(test_tlbi_aside1_removes_only_that_asid)
{
    mmu_on(pe, 1, 1);
    read_va(pe, VA_NG); /* ASID 1: page 1 */
    set_asid(pe, 2);
    read_va(pe, VA_NG2); /* ASID 2: page 5 */
    map_page(VA_NG, PAGE(2), D_NG | D_EL0);
    map_page(VA_NG2, PAGE(6), D_NG | D_EL0);
    mem_tlbi(pe, pe, TLBI_ASIDE1, OP_VA(1, 0));
    ck_assert_uint_eq(read_va(pe, VA_NG2), TAG(5)); /* ASID 2 kept */
    set_asid(pe, 1);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(2)); /* ASID 1 walked again */
}
END_TEST

START_TEST(test_global_entry_serves_every_asid_until_tlbi_by_va)
{
    mmu_on(pe, 1, 1);
    ck_assert_uint_eq(read_va(pe, VA_G), TAG(1));
    map_page(VA_G, PAGE(2), D_EL0);
    set_asid(pe, 2);
    ck_assert_uint_eq(read_va(pe, VA_G), TAG(1)); /* nG = 0: any ASID */
    /* TLBI ASIDE1 leaves global entries (Arm ARM TLBI ASIDE1). */
    mem_tlbi(pe, pe, TLBI_ASIDE1, OP_VA(2, 0));
    mem_tlbi(pe, pe, TLBI_ASIDE1, OP_VA(1, 0));
    ck_assert_uint_eq(read_va(pe, VA_G), TAG(1));
    /* TLBI VAE1 removes a global entry of its VA whatever ASID it names. */
    mem_tlbi(pe, pe, TLBI_VAE1, OP_VA(77, VA_G));
    ck_assert_uint_eq(read_va(pe, VA_G), TAG(2));
}
END_TEST

START_TEST(test_tlbi_vae1_removes_one_va_of_one_asid)
{
    mmu_on(pe, 1, 1);
    read_va(pe, VA_NG);
    map_page(VA_NG, PAGE(2), D_NG | D_EL0);
    mem_tlbi(pe, pe, TLBI_VAE1, OP_VA(2, VA_NG)); /* another ASID */
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1));
    mem_tlbi(pe, pe, TLBI_VAE1, OP_VA(1, VA_NG + 0x1000)); /* another VA */
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1));
    mem_tlbi(pe, pe, TLBI_VAE1, OP_VA(1, VA_NG));
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(2));
}
END_TEST

START_TEST(test_tlbi_vaae1_removes_the_va_in_every_asid)
{
    mmu_on(pe, 1, 1);
    read_va(pe, VA_NG);
    set_asid(pe, 2);
    read_va(pe, VA_NG);
    map_page(VA_NG, PAGE(2), D_NG | D_EL0);
    mem_tlbi(pe, pe, TLBI_VAAE1, OP_VA(0, VA_NG));
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(2));
    set_asid(pe, 1);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(2));
}
END_TEST

START_TEST(test_tlbi_by_va_removes_every_page_of_the_block)
{
    /* A 2 MB block is cached as 4 KB pages; a TLBI of any VA in the block
     * removes them all, as it removes the block's one architectural entry. */
    poke64(L2 + 8 * 1, RAM_BASE | D_BLOCK | D_LEAF | D_NG);
    mmu_on(pe, 1, 1);
    uint64_t a = VA_BLOCK + (PAGE(1) - RAM_BASE), b = VA_BLOCK + (PAGE(2) - RAM_BASE);
    ck_assert_uint_eq(read_va(pe, a), TAG(1));
    ck_assert_uint_eq(read_va(pe, b), TAG(2));
    poke64(L2 + 8 * 1, (RAM_BASE + 0x200000) | D_BLOCK | D_LEAF | D_NG);
    poke64(PAGE(1) + 0x200000, 0xa1);
    poke64(PAGE(2) + 0x200000, 0xa2);
    mem_tlbi(pe, pe, TLBI_VAE1, OP_VA(1, VA_BLOCK + 0x1ff000));
    ck_assert_uint_eq(read_va(pe, a), 0xa1);
    ck_assert_uint_eq(read_va(pe, b), 0xa2);
}
END_TEST

START_TEST(test_vmalle1_empties_the_asids_of_el1_and_el0)
{
    mmu_on(pe, 1, 1);
    read_va(pe, VA_NG);
    read_va(pe, VA_G);
    map_page(VA_NG, PAGE(2), D_NG | D_EL0);
    map_page(VA_G, PAGE(3), D_EL0);
    mem_tlbi(pe, pe, TLBI_VMALLE1, 0);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(2));
    ck_assert_uint_eq(read_va(pe, VA_G), TAG(3));
}
END_TEST

START_TEST(test_each_privilege_has_its_own_set)
{
    /* An exception level change switches sets: EL0's accesses use entries
     * filled with EL0's permissions, and EL1's survive a visit to EL0. */
    mmu_on(pe, 1, 1);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1)); /* EL1's entry */
    map_page(VA_NG, PAGE(2), D_NG | D_EL0);
    pe->el = 0;
    mem_tlb_switch(pe);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(2)); /* EL0 walks */
    pe->el = 1;
    mem_tlb_switch(pe);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1)); /* EL1's is kept */
}
END_TEST

START_TEST(test_el0_never_uses_an_el1_only_entry)
{
    mmu_on(pe, 1, 1);
    pe->vbar[1] = RAM_BASE + 0x8000;
    uint64_t el1_only = RAM_BASE + 0x20000; /* the RAM block: AP[1] = 0 */
    read_va(pe, el1_only);
    pe->el = 0;
    mem_tlb_switch(pe);
    uint64_t v;
    ck_assert(!mem_read(pe, el1_only, 8, &v));
    ck_assert_uint_eq(pe->el, 1);               /* the Data Abort was taken */
    ck_assert_uint_eq(pe->esr[1] >> 26, 0x24);  /* EC: Data Abort, lower EL */
    ck_assert_uint_eq(pe->esr[1] & 0x3c, 0x0c); /* DFSC: Permission fault */
    ck_assert_uint_eq(pe->far[1], el1_only);
}
END_TEST

START_TEST(test_ttbr_with_new_table_address_drops_its_half)
{
    mmu_on(pe, 1, 1);
    read_va(pe, VA_NG);
    map_page(VA_NG, PAGE(2), D_NG | D_EL0);
    /* The same value again changes nothing. */
    set_asid(pe, 1);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1));
    /* A copy of the root elsewhere: same tables, new TTBR0 address. */
    memcpy(ram(L1 + 0x8000), ram(L1), 0x1000);
    pe->ttbr0[1] = TTBR(L1 + 0x8000, 1);
    mem_tlb_sync(pe);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(2));
}
END_TEST

START_TEST(test_sctlr_change_empties_the_regime)
{
    mmu_on(pe, 1, 1);
    read_va(pe, VA_NG);
    map_page(VA_NG, PAGE(2), D_NG | D_EL0);
    pe->sctlr[1] |= 1ull << 19; /* WXN: no effect on these data pages */
    mem_tlb_sync(pe);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(2));
}
END_TEST

START_TEST(test_fetch_translation_follows_the_tlb)
{
    mmu_on(pe, 1, 1);
    ck_assert_ptr_nonnull(mem_fetch_block(pe, VA_CODE));
    ck_assert_uint_eq(pe->fetch_pa_page, PAGE(1));
    map_page(VA_CODE, PAGE(2), D_NG);
    ck_assert_ptr_nonnull(mem_fetch_block(pe, VA_CODE + 4));
    ck_assert_uint_eq(pe->fetch_pa_page, PAGE(1)); /* kept: no TLBI yet */
    set_asid(pe, 2);
    ck_assert_ptr_nonnull(mem_fetch_block(pe, VA_CODE));
    ck_assert_uint_eq(pe->fetch_pa_page, PAGE(2)); /* another ASID walks */
    set_asid(pe, 1);
    mem_tlbi(pe, pe, TLBI_VAE1, OP_VA(1, VA_CODE));
    ck_assert_ptr_nonnull(mem_fetch_block(pe, VA_CODE));
    ck_assert_uint_eq(pe->fetch_pa_page, PAGE(2));
}
END_TEST

START_TEST(test_tlbi_is_form_reaches_the_other_pe)
{
    pe2 = new_pe(1, 1);
    mmu_on(pe, 1, 1);
    mmu_on(pe2, 1, 1);
    read_va(pe, VA_NG);
    read_va(pe2, VA_NG);
    map_page(VA_NG, PAGE(2), D_NG | D_EL0);
    mem_tlbi(pe2, pe, TLBI_VAE1IS, OP_VA(1, VA_NG)); /* what PE 0's TLBI does to PE 1 */
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1));
    ck_assert_uint_eq(read_va(pe2, VA_NG), TAG(2));
}
END_TEST

START_TEST(test_pan_has_its_own_set)
{
    /* PSTATE.PAN = 1 denies EL1 data accesses to EL0's pages (Arm ARM D8,
     * "Privileged access never"): the entry filled with PAN clear must not
     * serve them. */
    mmu_on(pe, 1, 1);
    pe->vbar[1] = RAM_BASE + 0x8000;
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1));
    pe->pan = true;
    mem_tlb_switch(pe);
    uint64_t v;
    ck_assert(!mem_read(pe, VA_NG, 8, &v));
    ck_assert_uint_eq(pe->esr[1] & 0x3c, 0x0c); /* DFSC: Permission fault */
    pe->pan = false;
    mem_tlb_switch(pe);
    map_page(VA_NG, PAGE(2), D_NG | D_EL0);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1)); /* PAN clear: its entry is kept */
}
END_TEST

/* ---- VMIDs: EL1&0 entries belong to VTTBR_EL2.VMID ---- */

static void set_vmid(struct cpu *c, unsigned vmid)
{
    c->vttbr_el2 = (uint64_t)vmid << 48;
    mem_tlb_sync(c);
}

START_TEST(test_vmid_never_uses_another_vmids_global_entry)
{
    set_vmid(pe, 1);
    mmu_on(pe, 1, 1);
    ck_assert_uint_eq(read_va(pe, VA_G), TAG(1));
    map_page(VA_G, PAGE(2), D_EL0);
    set_vmid(pe, 2);
    ck_assert_uint_eq(read_va(pe, VA_G), TAG(2)); /* global, but of VMID 1 */
}
END_TEST

START_TEST(test_vmid_switch_keeps_the_entries_of_the_vmid_left)
{
    set_vmid(pe, 1);
    mmu_on(pe, 1, 1);
    ck_assert_uint_eq(read_va(pe, VA_G), TAG(1));
    set_vmid(pe, 2);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1));
    map_page(VA_G, PAGE(2), D_EL0);
    map_page(VA_NG, PAGE(3), D_NG | D_EL0);
    set_vmid(pe, 1);
    ck_assert_uint_eq(read_va(pe, VA_G), TAG(1));
    set_vmid(pe, 2);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1));
}
END_TEST

START_TEST(test_vmalle1_removes_only_the_current_vmid)
{
    set_vmid(pe, 1);
    mmu_on(pe, 1, 1);
    read_va(pe, VA_G); /* VMID 1: page 1 */
    set_vmid(pe, 2);
    read_va(pe, VA_NG); /* VMID 2: page 1 */
    map_page(VA_G, PAGE(2), D_EL0);
    map_page(VA_NG, PAGE(3), D_NG | D_EL0);
    mem_tlbi(pe, pe, TLBI_VMALLE1, 0); /* under VMID 2 */
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(3));
    set_vmid(pe, 1);
    ck_assert_uint_eq(read_va(pe, VA_G), TAG(1)); /* VMID 1's global entry is kept */
}
END_TEST

/* TLBI word W executed at EL2 (HCR_EL2.{E2H, TGE} = {0, 0}), then back to EL1. */
static void tlbi_at_el2(uint32_t w)
{
    pe->el = 2;
    mem_tlb_switch(pe);
    mem_tlbi(pe, pe, w, 0);
    pe->el = 1;
    mem_tlb_switch(pe);
}

START_TEST(test_alle1_removes_every_vmid_and_vmalls12e1_one)
{
    set_vmid(pe, 1);
    mmu_on(pe, 1, 1);
    read_va(pe, VA_G); /* VMID 1: page 1 */
    set_vmid(pe, 2);
    read_va(pe, VA_NG); /* VMID 2: page 1 */
    map_page(VA_G, PAGE(2), D_EL0);
    map_page(VA_NG, PAGE(3), D_NG | D_EL0);
    set_vmid(pe, 1);
    tlbi_at_el2(TLBI_VMALLS12E1); /* VMID 1's entries only */
    ck_assert_uint_eq(read_va(pe, VA_G), TAG(2));
    set_vmid(pe, 2);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(1));
    tlbi_at_el2(TLBI_ALLE1);
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(3));
}
END_TEST

/* ---- stores to pages with exclusive marks (Arm ARM B2.9) ---- */

START_TEST(test_store_beside_a_mark_keeps_it_and_on_it_clears_it)
{
    pe2 = new_pe(1, 1); /* MMU off: VA = PA */
    uint64_t lock = PAGE(4), other = PAGE(4) + 0x40;
    uint64_t v;
    ck_assert(mem_read(pe2, lock, 8, &v));
    mem_excl_mark(pe2, lock, 8);
    ck_assert(mem_write(pe, other, 8, 5));
    ck_assert_uint_eq(peek64(other), 5);
    ck_assert(pe2->excl_valid); /* another granule of the page */
    ck_assert(mem_write(pe, lock, 8, 6));
    ck_assert(!pe2->excl_valid);
    ck_assert(pe2->event_register); /* clearing a mark is a WFE wake-up event */
}
END_TEST

START_TEST(test_marked_page_writes_fast_again_once_the_mark_is_gone)
{
    pe2 = new_pe(1, 1);
    uint64_t lock = PAGE(4), other = PAGE(4) + 0x40;
    const struct tlb_entry *e = &pe->tlb[(other >> 12) & (TLB_ENTRIES - 1)];
    ck_assert(mem_write(pe, other, 8, 1));
    ck_assert_uint_eq(e->write_tag, other & PAGE_MASK); /* fast */
    uint64_t v;
    ck_assert(mem_read(pe2, lock, 8, &v));
    mem_excl_mark(pe2, lock, 8);
    ck_assert_uint_eq(e->write_tag, (other & PAGE_MASK) | TLB_SLOW);
    ck_assert(mem_write(pe, other, 8, 2)); /* known translation, no walk */
    ck_assert_uint_eq(e->write_tag, (other & PAGE_MASK) | TLB_SLOW);
    ck_assert(mem_write(pe, lock, 8, 3)); /* clears the mark */
    ck_assert_uint_eq(e->write_tag, other & PAGE_MASK);
    ck_assert_uint_eq(peek64(other), 2);
    ck_assert_uint_eq(peek64(lock), 3);
}
END_TEST

START_TEST(test_entry_tagged_again_still_clears_marks)
{
    /* An entry set aside by an ASID switch may come back after another PE
     * marked its page: its stores must still reach the global monitor. */
    pe2 = new_pe(1, 1);
    mmu_on(pe, 1, 1);
    ck_assert(mem_write(pe, VA_NG, 8, 1)); /* a write entry to page 1 */
    set_asid(pe, 2);
    uint64_t v;
    ck_assert(mem_read(pe2, PAGE(1), 8, &v));
    mem_excl_mark(pe2, PAGE(1), 8);
    set_asid(pe, 1);
    ck_assert(mem_write(pe, VA_NG, 8, 7));
    ck_assert(!pe2->excl_valid);
}
END_TEST

START_TEST(test_hcr_fb_broadcasts_a_local_tlbi_from_el1)
{
    pe2 = new_pe(1, 2);
    mmu_on(pe, 1, 1);
    mmu_on(pe2, 1, 1);
    read_va(pe, VA_NG);
    read_va(pe2, VA_NG);
    map_page(VA_NG, PAGE(2), D_NG | D_EL0);
    mem_tlbi(pe, pe, TLBI_VAE1, OP_VA(1, VA_NG)); /* FB clear: this PE only */
    ck_assert_uint_eq(read_va(pe, VA_NG), TAG(2));
    ck_assert_uint_eq(read_va(pe2, VA_NG), TAG(1));
    map_page(VA_NG, PAGE(3), D_NG | D_EL0);
    pe->hcr_el2 |= 1ull << 9; /* HCR_EL2.FB */
    mem_tlbi(pe, pe, TLBI_VAE1, OP_VA(1, VA_NG));
    ck_assert_uint_eq(read_va(pe2, VA_NG), TAG(3));
}
END_TEST

static Suite *tlb_suite(void)
{
    Suite *s = suite_create("cpu_tlb");
    TCase *asid = tcase_create("asid");
    tcase_add_checked_fixture(asid, setup, teardown);
    tcase_add_test(asid, test_asid_never_uses_another_asids_entry);
    tcase_add_test(asid, test_two_address_spaces_each_see_their_own_page);
    tcase_add_test(asid, test_asid_switch_keeps_the_entries_of_the_asid_left);
    tcase_add_test(asid, test_tlbi_aside1_removes_only_that_asid);
    tcase_add_test(asid, test_global_entry_serves_every_asid_until_tlbi_by_va);
    tcase_add_test(asid, test_tlbi_vae1_removes_one_va_of_one_asid);
    tcase_add_test(asid, test_tlbi_vaae1_removes_the_va_in_every_asid);
    tcase_add_test(asid, test_tlbi_by_va_removes_every_page_of_the_block);
    tcase_add_test(asid, test_vmalle1_empties_the_asids_of_el1_and_el0);
    tcase_add_test(asid, test_each_privilege_has_its_own_set);
    tcase_add_test(asid, test_el0_never_uses_an_el1_only_entry);
    tcase_add_test(asid, test_ttbr_with_new_table_address_drops_its_half);
    tcase_add_test(asid, test_sctlr_change_empties_the_regime);
    tcase_add_test(asid, test_fetch_translation_follows_the_tlb);
    tcase_add_test(asid, test_tlbi_is_form_reaches_the_other_pe);
    tcase_add_test(asid, test_pan_has_its_own_set);
    suite_add_tcase(s, asid);
    TCase *vmid = tcase_create("vmid");
    tcase_add_checked_fixture(vmid, setup_el2, teardown);
    tcase_add_test(vmid, test_vmid_never_uses_another_vmids_global_entry);
    tcase_add_test(vmid, test_vmid_switch_keeps_the_entries_of_the_vmid_left);
    tcase_add_test(vmid, test_vmalle1_removes_only_the_current_vmid);
    tcase_add_test(vmid, test_alle1_removes_every_vmid_and_vmalls12e1_one);
    tcase_add_test(vmid, test_hcr_fb_broadcasts_a_local_tlbi_from_el1);
    suite_add_tcase(s, vmid);
    TCase *excl = tcase_create("exclusive");
    tcase_add_checked_fixture(excl, setup, teardown);
    tcase_add_test(excl, test_store_beside_a_mark_keeps_it_and_on_it_clears_it);
    tcase_add_test(excl, test_marked_page_writes_fast_again_once_the_mark_is_gone);
    tcase_add_test(excl, test_entry_tagged_again_still_clears_marks);
    suite_add_tcase(s, excl);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tlb_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
