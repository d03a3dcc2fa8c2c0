/*
 * Unaligned accesses with the MMU on (Arm ARM B2.5.2 "Alignment of data
 * accesses" and D8.4 on memory types), at EL1 with the 4K granule:
 *
 *  - SCTLR_EL1.A = 0: unaligned LDR/STR/LDP/STP of every size on Normal
 *    memory (Write-Back and Non-cacheable) just work, also when the access
 *    crosses into the next page and that page maps somewhere else entirely;
 *  - SCTLR_EL1.A = 1: the same accesses take an Alignment fault (EC 0x25,
 *    DFSC 0b100001, FAR the address, WnR for stores), aligned ones do not;
 *  - load exclusive and load-acquire/store-release must be aligned whatever
 *    SCTLR.A says (no FEAT_LSE2 in either profile);
 *  - DC ZVA zeroes the DCZID_EL0-sized block that holds the address.
 *
 * mmu_unaligned_simonly.c adds the checks on Device memory, where every
 * unaligned access is an Alignment fault, and an unaligned store exclusive
 * with the monitor clear: QEMU 7.2 takes no fault on either, so they run
 * under a64sim only.
 */
#include <stdint.h>

#include "exc_common.h"
#include "exit.h"
#include "mmu.h"

#ifndef GUEST_NAME
#define GUEST_NAME "mmu_unaligned"
#endif

#define G           4096ull
#define RAM_BASE    0x40000000ull
#define RAM_MAP     0x08000000ull
#define UART_BASE   0x09000000ull
#define POOL        0x44000000ull
#define POOL_SIZE   0x00100000ull
#define BUF         0x44200000ull /* two pages: bytes i & 0xff, then (i + 0x80) & 0xff */
#define DEV_VA      0x80000000ull /* BUF as Device-nGnRnE */
#define NC_VA       0x80010000ull /* BUF as Normal Non-cacheable */
#define SWAP_VA     0x80020000ull /* BUF's second page, then its first page */
#define VA_BITS     39u
#define MAIR_VALUE  0x44ff00ull /* Attr0 Device-nGnRnE, Attr1 Normal WB, Attr2 Normal NC */
#define PTE_RAM     (PTE_ATTRINDX(1) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define PTE_NC      (PTE_ATTRINDX(2) | PTE_SH_INNER | PTE_AF | PTE_UXN | PTE_PXN)
#define PTE_DEV     (PTE_ATTRINDX(0) | PTE_AF | PTE_UXN | PTE_PXN)
#define SCTLR_MMU   0x30d0181dull /* RES1, M, C, SA, SA0, I */
#define SCTLR_A     (1ull << 1)
#define EL1H_MASKED 0x3c5u
#define ESR_ALIGN_R 0x96000021ull /* EC 0x25, IL, DFSC Alignment fault */
#define ESR_ALIGN_W 0x96000061ull /* ... and WnR */

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

/* Probes: X0 is the NZCV value to set, X1 the address; the access is at +4 and loads return
 * what they read (X2). */
// clang-format off
__asm__(
        "\t.text\n"
        PROBE(p_ldr_x)
        "\tmsr nzcv, x0\n"
        "\tldr x2, [x1]\n"
        "\tmov x0, x2\n"
        "\tret\n"
        PROBE(p_ldr_w)
        "\tmsr nzcv, x0\n"
        "\tldr w2, [x1]\n"
        "\tmov x0, x2\n"
        "\tret\n"
        PROBE(p_ldrsh)
        "\tmsr nzcv, x0\n"
        "\tldrsh x2, [x1]\n"
        "\tmov x0, x2\n"
        "\tret\n"
        /* p_ldp(nzcv, addr, out): LDP X3, X4, [X1] at +4, stored to out[0..1] */
        PROBE(p_ldp)
        "\tmsr nzcv, x0\n"
        "\tldp x3, x4, [x1]\n"
        "\tstp x3, x4, [x2]\n"
        "\tret\n"
        /* p_str_x(nzcv, addr, value), p_str_w, p_strh: the store at +4 */
        PROBE(p_str_x)
        "\tmsr nzcv, x0\n"
        "\tstr x2, [x1]\n"
        "\tret\n"
        PROBE(p_str_w)
        "\tmsr nzcv, x0\n"
        "\tstr w2, [x1]\n"
        "\tret\n"
        PROBE(p_strh)
        "\tmsr nzcv, x0\n"
        "\tstrh w2, [x1]\n"
        "\tret\n"
        /* p_stp(nzcv, addr, value): STP X2, X3 (value, ~value), [X1] at +8 */
        PROBE(p_stp)
        "\tmvn x3, x2\n"
        "\tmsr nzcv, x0\n"
        "\tstp x2, x3, [x1]\n"
        "\tret\n"
        /* p_ldxr(nzcv, addr): LDXR X2, [X1] at +4, then CLREX */
        PROBE(p_ldxr)
        "\tmsr nzcv, x0\n"
        "\tldxr x2, [x1]\n"
        "\tclrex\n"
        "\tmov x0, x2\n"
        "\tret\n"
        /* p_stxr(nzcv, addr, value): STXR W3, X2, [X1] at +4 */
        PROBE(p_stxr)
        "\tmsr nzcv, x0\n"
        "\tstxr w3, x2, [x1]\n"
        "\tret\n"
        /* p_ldar(nzcv, addr): LDAR X2, [X1] at +4 */
        PROBE(p_ldar)
        "\tmsr nzcv, x0\n"
        "\tldar x2, [x1]\n"
        "\tmov x0, x2\n"
        "\tret\n"
        /* p_stlr(nzcv, addr, value): STLR W2, [X1] at +4 */
        PROBE(p_stlr)
        "\tmsr nzcv, x0\n"
        "\tstlr w2, [x1]\n"
        "\tret\n"
        /* p_dc_zva(nzcv, addr): DC ZVA, X1 at +4 */
        PROBE(p_dc_zva)
        "\tmsr nzcv, x0\n"
        "\tdc zva, x1\n"
        "\tret\n");
// clang-format on

uint64_t p_ldr_x(uint64_t nzcv, uint64_t addr);
uint64_t p_ldr_w(uint64_t nzcv, uint64_t addr);
uint64_t p_ldrsh(uint64_t nzcv, uint64_t addr);
void p_ldp(uint64_t nzcv, uint64_t addr, uint64_t *out);
void p_str_x(uint64_t nzcv, uint64_t addr, uint64_t value);
void p_str_w(uint64_t nzcv, uint64_t addr, uint64_t value);
void p_strh(uint64_t nzcv, uint64_t addr, uint64_t value);
void p_stp(uint64_t nzcv, uint64_t addr, uint64_t value);
uint64_t p_ldxr(uint64_t nzcv, uint64_t addr);
void p_stxr(uint64_t nzcv, uint64_t addr, uint64_t value);
uint64_t p_ldar(uint64_t nzcv, uint64_t addr);
void p_stlr(uint64_t nzcv, uint64_t addr, uint64_t value);
void p_dc_zva(uint64_t nzcv, uint64_t addr);

static struct pt pt;

#define MSR(reg, v) __asm__ volatile("msr " #reg ", %0\n\tisb" ::"r"((uint64_t)(v)) : "memory")
#define MRS(reg)                                                                                   \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("mrs %0, " #reg : "=r"(v_)::"memory");                                    \
        v_;                                                                                        \
    })

static void handler(struct exc_frame *f)
{
    exc_record(f);
    exc_apply_fixup(f);
}

static volatile uint8_t *buf(void)
{
    return (volatile uint8_t *)(uintptr_t)BUF;
}

static uint8_t pattern(uint64_t i)
{
    return (uint8_t)(i < G ? i : i + 0x80);
}

/* Bytes i & 0xff in the first page and (i + 0x80) & 0xff in the second. */
static void fill(void)
{
    for (uint64_t i = 0; i < 2 * G; i++)
        buf()[i] = pattern(i);
}

/* Little-endian value of the N pattern bytes from offset OFF of BUF. */
static uint64_t pattern_le(uint64_t off, unsigned n)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < n; k++)
        v |= (uint64_t)pattern(off + k) << (8 * k);
    return v;
}

static bool setup(void)
{
    bool ok = pt_init(&pt, G, VA_BITS, POOL, POOL_SIZE);
    ok = ok && pt_map(&pt, RAM_BASE, RAM_BASE, RAM_MAP, PTE_RAM, false);
    ok = ok && pt_map(&pt, UART_BASE, UART_BASE, G, PTE_DEV, true);
    ok = ok && pt_map(&pt, DEV_VA, BUF, 2 * G, PTE_DEV, true);
    ok = ok && pt_map(&pt, NC_VA, BUF, 2 * G, PTE_NC, true);
    ok = ok && pt_map(&pt, SWAP_VA, BUF + G, G, PTE_RAM, true);
    ok = ok && pt_map(&pt, SWAP_VA + G, BUF, G, PTE_RAM, true);
    if (!ok)
        return false;
    uint64_t tcr = (64 - VA_BITS) | 1ull << 8 | 1ull << 10 | 3ull << 12 | 1ull << 23 | 2ull << 32;
    __asm__ volatile("msr mair_el1, %0" ::"r"(MAIR_VALUE));
    __asm__ volatile("msr tcr_el1, %0" ::"r"(tcr));
    __asm__ volatile("msr ttbr0_el1, %0" ::"r"(pt.root));
    __asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
    MSR(sctlr_el1, SCTLR_MMU);
    return true;
}

/* An access that must take an Alignment fault at EL1: ELR is the probe + 4. */
#define EXPECT_ALIGN(name, probe, esr, far)                                                        \
    exc_expect(&(struct exc_want){name, 1, VEC_CUR_SPX, false, esr, #probe, ADDR(probe), 4,        \
                                  0x60000000 | EL1H_MASKED, FAR_ABS, far, NULL, 0})

static void normal_unaligned(void)
{
    fill();
    exc_arm(1, FIX_SKIP);
    expect_value("ldr x at +1 (Normal WB)", p_ldr_x(0, BUF + 1), pattern_le(1, 8));
    expect_value("ldr w at +0x3fe", p_ldr_w(0, BUF + 0x3fe), pattern_le(0x3fe, 4));
    expect_value("ldrsh x at +0x7f (sign-extended)", p_ldrsh(0, BUF + 0x7f), 0xffffffffffff807full);
    uint64_t pair[2];
    p_ldp(0, BUF + 0x44, pair);
    expect_value("ldp x at +0x44, first", pair[0], pattern_le(0x44, 8));
    expect_value("ldp x at +0x44, second", pair[1], pattern_le(0x4c, 8));
    expect_value("ldr x at +0xffd, across into the next page", p_ldr_x(0, BUF + 0xffd),
                 pattern_le(0xffd, 8));
    expect_value("ldr x at +0x101 (Normal Non-cacheable)", p_ldr_x(0, NC_VA + 0x101),
                 pattern_le(0x101, 8));
    /* SWAP_VA's two pages are BUF's in the other order: the access is split by page. */
    expect_value("ldr x across two pages mapped out of order", p_ldr_x(0, SWAP_VA + 0xffc),
                 pattern_le(G + 0xffc, 4) | pattern_le(0, 4) << 32);
    p_str_x(0, BUF + 0x209, 0x1122334455667788ull);
    expect_value("str x at +0x209, read back aligned",
                 *(volatile uint64_t *)(uintptr_t)(BUF + 0x208),
                 0x2233445566778800ull | pattern(0x208));
    p_str_w(0, BUF + 0x303, 0xa1b2c3d4);
    expect_value("str w at +0x303, read back", p_ldr_x(0, BUF + 0x303) & 0xffffffff, 0xa1b2c3d4);
    p_stp(0, BUF + 0x405, 0x0123456789abcdefull);
    expect_value("stp x at +0x405, second register", p_ldr_x(0, BUF + 0x40d),
                 ~0x0123456789abcdefull);
    p_str_x(0, SWAP_VA + 0xffe, 0x8877665544332211ull);
    expect_value("str x across two pages out of order: bytes 2-7 at BUF",
                 *(volatile uint64_t *)(uintptr_t)BUF & 0xffffffffffffull, 0x887766554433ull);
    expect_value("str x across two pages out of order: bytes 0-1 at the end of BUF + 4K",
                 *(volatile uint16_t *)(uintptr_t)(BUF + 2 * G - 2), 0x2211);
    exc_expect_none("unaligned accesses to Normal memory with SCTLR_EL1.A 0");
}

static void strict_alignment(void)
{
    fill();
    MSR(sctlr_el1, SCTLR_MMU | SCTLR_A);
    exc_arm(1, FIX_SKIP);
    expect_value("A 1: ldr x at +8", p_ldr_x(0, BUF + 8), pattern_le(8, 8));
    expect_value("A 1: ldrsh x at +0x7e", p_ldrsh(0, BUF + 0x7e), pattern_le(0x7e, 2));
    p_str_w(0, BUF + 0x10, 0x55aa55aa);
    exc_expect_none("A 1: aligned accesses");
    exc_arm(1, FIX_SKIP);
    p_ldr_x(0x60000000, BUF + 0x21);
    EXPECT_ALIGN("A 1: ldr x at +0x21", p_ldr_x, ESR_ALIGN_R, BUF + 0x21);
    exc_arm(1, FIX_SKIP);
    p_ldr_w(0x60000000, BUF + 0x22);
    EXPECT_ALIGN("A 1: ldr w at +0x22", p_ldr_w, ESR_ALIGN_R, BUF + 0x22);
    exc_arm(1, FIX_SKIP);
    p_strh(0x60000000, BUF + 0x23, 0);
    EXPECT_ALIGN("A 1: strh at +0x23", p_strh, ESR_ALIGN_W, BUF + 0x23);
    uint64_t pair[2];
    exc_arm(1, FIX_SKIP);
    p_ldp(0x60000000, BUF + 0x34, pair);
    EXPECT_ALIGN("A 1: ldp x at +0x34", p_ldp, ESR_ALIGN_R, BUF + 0x34);
    exc_arm(1, FIX_SKIP);
    p_str_x(0x60000000, NC_VA + 0x4c, 0);
    EXPECT_ALIGN("A 1: str x at +0x4c (Normal Non-cacheable)", p_str_x, ESR_ALIGN_W, NC_VA + 0x4c);
    MSR(sctlr_el1, SCTLR_MMU);
}

static void always_aligned(void)
{
    exc_arm(1, FIX_SKIP);
    p_ldxr(0x60000000, BUF + 0x104);
    EXPECT_ALIGN("ldxr x at +0x104", p_ldxr, ESR_ALIGN_R, BUF + 0x104);
    exc_arm(1, FIX_SKIP);
    p_ldar(0x60000000, BUF + 0x112);
    EXPECT_ALIGN("ldar x at +0x112", p_ldar, ESR_ALIGN_R, BUF + 0x112);
    exc_arm(1, FIX_SKIP);
    p_stlr(0x60000000, BUF + 0x119, 0);
    EXPECT_ALIGN("stlr w at +0x119", p_stlr, ESR_ALIGN_W, BUF + 0x119);
    exc_arm(1, FIX_SKIP);
    expect_value("ldxr x at +0x108 (aligned)", p_ldxr(0, BUF + 0x108), pattern_le(0x108, 8));
    exc_expect_none("ldxr aligned");
}

static void dc_zva(void)
{
    uint64_t dczid = MRS(dczid_el0);
    uint64_t block = 4ull << (dczid & 0xf);
    expect_value("DCZID_EL0 (DZP 0, block of 64 bytes)", dczid, 4);
    for (uint64_t i = 0; i < 4 * block; i++)
        buf()[i] = 0xff;
    exc_arm(1, FIX_SKIP);
    p_dc_zva(0, BUF + block + 5);
    exc_expect_none("dc zva on Normal memory");
    uint64_t zeros = 0, first = ~0ull;
    for (uint64_t i = 0; i < 4 * block; i++) {
        if (buf()[i] == 0) {
            zeros++;
            first = first < i ? first : i;
        }
    }
    expect_value("dc zva at block + 5: bytes zeroed", zeros, block);
    expect_value("dc zva at block + 5: first byte zeroed", first, block);
}

#ifdef A64SIM_ONLY
/* A store exclusive checks alignment before it looks at the monitor (the Arm ARM's
 * AArch64.ExclusiveMonitorsPass raises the Alignment fault first), so an unaligned STXR
 * faults even with the monitor clear. QEMU 7.2 compares the address with the monitor's
 * first and fails the store without a fault. */
static void stxr_unaligned(void)
{
    exc_arm(1, FIX_SKIP);
    p_stxr(0x60000000, BUF + 0x10c, 0);
    EXPECT_ALIGN("stxr x at +0x10c, monitor clear", p_stxr, ESR_ALIGN_W, BUF + 0x10c);
}

/* Device memory: every unaligned access is an Alignment fault, whatever SCTLR_EL1.A says
 * (B2.5.2); DC ZVA to Device memory is one too. */
static void device_unaligned(void)
{
    fill();
    exc_arm(1, FIX_SKIP);
    expect_value("Device: ldr x at +0x10", p_ldr_x(0, DEV_VA + 0x10), pattern_le(0x10, 8));
    exc_expect_none("Device: aligned ldr");
    exc_arm(1, FIX_SKIP);
    p_ldr_w(0x60000000, DEV_VA + 0x12);
    EXPECT_ALIGN("Device: ldr w at +0x12", p_ldr_w, ESR_ALIGN_R, DEV_VA + 0x12);
    exc_arm(1, FIX_SKIP);
    p_str_x(0x60000000, DEV_VA + 0x1c, 0);
    EXPECT_ALIGN("Device: str x at +0x1c", p_str_x, ESR_ALIGN_W, DEV_VA + 0x1c);
    exc_arm(1, FIX_SKIP);
    p_strh(0x60000000, DEV_VA + 0xfff, 0);
    EXPECT_ALIGN("Device: strh at +0xfff", p_strh, ESR_ALIGN_W, DEV_VA + 0xfff);
    exc_arm(1, FIX_SKIP);
    p_dc_zva(0x60000000, DEV_VA + 0x40);
    EXPECT_ALIGN("Device: dc zva", p_dc_zva, ESR_ALIGN_W, DEV_VA + 0x40);
}
#endif

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el1(handler);
    if (!setup()) {
        printf("%s: the table pool is too small\n", GUEST_NAME);
        guest_exit(1);
    }
    printf("-- SCTLR_EL1.A 0, Normal memory\n");
    normal_unaligned();
    printf("-- SCTLR_EL1.A 1\n");
    strict_alignment();
    printf("-- exclusives and acquire/release\n");
    always_aligned();
    printf("-- DC ZVA\n");
    dc_zva();
#ifdef A64SIM_ONLY
    printf("-- store exclusive\n");
    stxr_unaligned();
    printf("-- Device memory\n");
    device_unaligned();
#endif
    guest_exit(exc_summary(GUEST_NAME));
}
