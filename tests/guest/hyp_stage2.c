/*
 * A hypervisor that emulates MMIO for its guest through stage 2 (run with
 * a64sim --el 2; QEMU virt with virtualization=on).
 *
 * The EL2 code builds stage 2 tables (VTCR_EL2 4K granule, 32-bit IPA,
 * VTTBR_EL2 with VMID 5): guest RAM and the UART are mapped, two "device"
 * IPAs are holes (DEV_IPA at level 3, next to the UART, and FAR_DEV_IPA at
 * level 2), and one guest page is read-only. HCR_EL2 = VM | IMO | TWI | TSC
 * | RW. The guest runs at EL1 with its own stage 1 off and:
 *
 *  - loads and stores every size, signed and unsigned, into registers other
 *    than X0, with acquire/release and XZR, from and to the holes: each is a
 *    stage 2 Translation fault (EC 0x24) that the hypervisor decodes from
 *    ESR_EL2 (ISV, SAS, SSE, SRT, SF, AR, WnR, DFSC) and HPFAR_EL2/FAR_EL2,
 *    emulates against a 64-byte register file and steps over (ELR + 4);
 *    loads with writeback and load pairs have no syndrome (ISV 0);
 *  - writes to the read-only page: a stage 2 Permission fault, after which
 *    the hypervisor makes the page writable (TLBI IPAS2E1IS, VMALLE1IS)
 *    and lets the store run again, as dirty-page tracking does;
 *  - WFI (trapped by TWI, EC 0x01) and SMC (trapped by TSC, EC 0x17; the
 *    hypervisor forwards SMC #0 to the PSCI firmware itself);
 *  - turns its stage 1 on after the hypervisor has unmapped one of its
 *    translation table pages: the access through stage 1 takes a stage 2
 *    fault on the walk (S1PTW, HPFAR the table's IPA, FAR the VA), the
 *    hypervisor maps the page back, and the access then reaches the MMIO
 *    hole (FAR the VA, HPFAR the IPA). The hypervisor checks AT S12E1R/W
 *    and S1E1R for the guest's addresses in PAR_EL1;
 *  - ends with HVC #0 PSCI SYSTEM_OFF, which the hypervisor turns into
 *    SMC #0 SYSTEM_OFF to the firmware.
 *
 * Every syndrome is printed and checked against values from the Arm ARM
 * (D17.2 ESR_EL2 ISS for data aborts, HPFAR_EL2, PAR_EL1).
 */
#include <stdint.h>

#include "exc_common.h"
#include "exit.h"
#include "mmu.h"

#define G           4096ull
#define RAM_BASE    0x40000000ull
#define UART_BASE   0x09000000ull
#define DEV_IPA     0x09100000ull /* no device on the board; not mapped at stage 2 */
#define FAR_DEV_IPA 0x20000000ull /* nothing mapped in its 2 MiB: a level 2 hole */
#define S2_POOL     0x44000000ull /* the hypervisor's own: never mapped for the guest */
#define GUEST_PT    0x44400000ull /* the guest's stage 1 tables, mapped page by page */
/* The guest table page that stage 2 takes away for a while: the walk for MMIO_VA reads the
 * guest's level 1 table at GUEST_PT, level 2 at + 4 pages, level 3 at + 5 pages. The fault
 * reports the level of the stage 2 lookup that failed (level 3: the page's own entry), not
 * that of the stage 1 table; QEMU 7.2 reports the stage 1 level, so the guest compared with
 * it loses its level 3 table, where the two agree, and the a64sim-only variant
 * (hyp_stage2_simonly.c) its level 2 table. */
#ifdef A64SIM_ONLY
#define LAZY_PT (GUEST_PT + 4 * G)
#else
#define LAZY_PT (GUEST_PT + 5 * G)
#endif
#ifndef GUEST_NAME
#define GUEST_NAME "hyp_stage2"
#endif
#define GUEST_RO   0x44500000ull  /* read-only at stage 2 until the guest writes */
#define GUEST_RO2  (GUEST_RO + G) /* read-only at stage 2 for good */
#define GUEST_AREA 0x00200000ull  /* GUEST_PT.. mapped by pages */
#define POOL_SIZE  0x00100000ull
#define MMIO_VA    0x80000000ull /* the guest's stage 1 VA of DEV_IPA */
#define VMID       5ull

#define HCR_VM  (1ull << 0)
#define HCR_IMO (1ull << 4)
#define HCR_TWI (1ull << 13)
#define HCR_TSC (1ull << 19)
#define HCR_RW  (1ull << 31)
#define HCR_RUN (HCR_VM | HCR_IMO | HCR_TWI | HCR_TSC | HCR_RW)

/* VTCR_EL2: T0SZ 32, SL0 1 (start at level 1), IRGN0/ORGN0 Write-Back, SH0 Inner, TG0 4K,
 * PS 40 bits, bit 31 RES1. */
#define VTCR_VALUE                                                                                 \
    (32ull | 1ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 2ull << 16 | 1ull << 31)

#define S2_RAM         (S2_MEMATTR(0xf) | S2AP_R | S2AP_W | PTE_SH_INNER | PTE_AF)
#define S2_RO          (S2_MEMATTR(0xf) | S2AP_R | PTE_SH_INNER | PTE_AF)
#define S2_DEV         (S2_MEMATTR(0x0) | S2AP_R | S2AP_W | PTE_AF | S2_XN)
#define S1_RAM         (PTE_ATTRINDX(1) | PTE_SH_INNER | PTE_AF)
#define S1_DEV         (PTE_ATTRINDX(0) | PTE_AF | PTE_UXN | PTE_PXN)
#define MAIR_EL1_VALUE 0x44ff00ull

#define SCTLR_EL1_OFF 0x30d00818ull /* RES1, SA, SA0: stage 1 off */
#define SCTLR_EL1_ON  0x30d0181dull /* ... and M, C, I */
#define EL1H_MASKED   0x3c5u

#define PSCI_VERSION    0x84000000ull
#define PSCI_SYSTEM_OFF 0x84000008ull
#define PSCI_NOT_SUPP   0xffffffffffffffffull

/* Hypercalls from the guest: HVC #imm. */
#define HC_PSCI      0
#define HC_UNMAP_PT  2
#define HC_AT_CHECKS 3

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

/* Guest MMIO probes: uint64_t probe(uint64_t base, uint64_t value). The access named in the
 * probe's name uses BASE; loads return the register loaded, stores store VALUE. Callee-saved
 * registers are saved around their use. */
// clang-format off
__asm__(
        "\t.text\n"
        PROBE(g_ldr_w5)
        "\tldr w5, [x0, #0x10]\n"
        "\tmov x0, x5\n"
        "\tret\n"
        PROBE(g_ldrb_w7)
        "\tldrb w7, [x0, #0x1]\n"
        "\tmov x0, x7\n"
        "\tret\n"
        PROBE(g_ldrh_w9)
        "\tldrh w9, [x0, #0x2]\n"
        "\tmov x0, x9\n"
        "\tret\n"
        PROBE(g_ldr_x19)
        "\tstr x19, [sp, #-16]!\n"
        "\tldr x19, [x0, #0x8]\n"
        "\tmov x0, x19\n"
        "\tldr x19, [sp], #16\n"
        "\tret\n"
        PROBE(g_ldrsb_x20)
        "\tstr x20, [sp, #-16]!\n"
        "\tldrsb x20, [x0, #0x3]\n"
        "\tmov x0, x20\n"
        "\tldr x20, [sp], #16\n"
        "\tret\n"
        PROBE(g_ldrsh_w21)
        "\tstr x21, [sp, #-16]!\n"
        "\tldrsh w21, [x0, #0x4]\n"
        "\tmov x0, x21\n"
        "\tldr x21, [sp], #16\n"
        "\tret\n"
        PROBE(g_ldrsw_x22)
        "\tstr x22, [sp, #-16]!\n"
        "\tldrsw x22, [x0, #0xc]\n"
        "\tmov x0, x22\n"
        "\tldr x22, [sp], #16\n"
        "\tret\n"
        PROBE(g_ldr_x5_reg)
        "\tmov x2, #1\n"
        "\tldr x5, [x0, x2, lsl #3]\n"
        "\tmov x0, x5\n"
        "\tret\n"
        PROBE(g_ldar_w27)
        "\tstr x27, [sp, #-16]!\n"
        "\tldar w27, [x0]\n"
        "\tmov x0, x27\n"
        "\tldr x27, [sp], #16\n"
        "\tret\n"
        PROBE(g_str_w23)
        "\tstr x23, [sp, #-16]!\n"
        "\tmov x23, x1\n"
        "\tstr w23, [x0, #0x20]\n"
        "\tldr x23, [sp], #16\n"
        "\tret\n"
        PROBE(g_strb_w24)
        "\tstr x24, [sp, #-16]!\n"
        "\tmov x24, x1\n"
        "\tstrb w24, [x0, #0x21]\n"
        "\tldr x24, [sp], #16\n"
        "\tret\n"
        PROBE(g_strh_w25)
        "\tstr x25, [sp, #-16]!\n"
        "\tmov x25, x1\n"
        "\tstrh w25, [x0, #0x22]\n"
        "\tldr x25, [sp], #16\n"
        "\tret\n"
        PROBE(g_str_x26)
        "\tstr x26, [sp, #-16]!\n"
        "\tmov x26, x1\n"
        "\tstr x26, [x0, #0x28]\n"
        "\tldr x26, [sp], #16\n"
        "\tret\n"
        PROBE(g_str_xzr)
        "\tstr xzr, [x0, #0x30]\n"
        "\tret\n"
        PROBE(g_stlr_x28)
        "\tstr x28, [sp, #-16]!\n"
        "\tmov x28, x1\n"
        "\tadd x2, x0, #0x38\n"
        "\tstlr x28, [x2]\n"
        "\tldr x28, [sp], #16\n"
        "\tret\n"
        /* a load with writeback: returns how far X2 moved */
        PROBE(g_ldr_post)
        "\tmov x2, x0\n"
        "\tldr x3, [x2], #8\n"
        "\tsub x0, x2, x0\n"
        "\tret\n"
        PROBE(g_ldp)
        "\tldp x3, x4, [x0, #0x10]\n"
        "\tmov x0, x3\n"
        "\tret\n"
        PROBE(g_ldr_x2)
        "\tldr x2, [x0]\n"
        "\tmov x0, x2\n"
        "\tret\n"
        PROBE(g_ldr_w6)
        "\tldr w6, [x0]\n"
        "\tmov x0, x6\n"
        "\tret\n"
        /* g_str_x3(addr, value): STR X3, [X0] at +4 */
        PROBE(g_str_x3)
        "\tmov x3, x1\n"
        "\tstr x3, [x0]\n"
        "\tret\n"
        /* g_wfi(): WFI at +0 */
        PROBE(g_wfi)
        "\twfi\n"
        "\tret\n"
        /* g_smc0(fn): SMC #0 at +0, returns X0 */
        PROBE(g_smc0)
        "\tsmc #0\n"
        "\tret\n"
        /* g_smc1234(fn): SMC #0x1234 at +0, returns X0 */
        PROBE(g_smc1234)
        "\tsmc #0x1234\n"
        "\tret\n");
// clang-format on

typedef uint64_t (*probe_fn)(uint64_t base, uint64_t value);
uint64_t g_ldr_w5(uint64_t, uint64_t);
uint64_t g_ldrb_w7(uint64_t, uint64_t);
uint64_t g_ldrh_w9(uint64_t, uint64_t);
uint64_t g_ldr_x19(uint64_t, uint64_t);
uint64_t g_ldrsb_x20(uint64_t, uint64_t);
uint64_t g_ldrsh_w21(uint64_t, uint64_t);
uint64_t g_ldrsw_x22(uint64_t, uint64_t);
uint64_t g_ldr_x5_reg(uint64_t, uint64_t);
uint64_t g_ldar_w27(uint64_t, uint64_t);
uint64_t g_str_w23(uint64_t, uint64_t);
uint64_t g_strb_w24(uint64_t, uint64_t);
uint64_t g_strh_w25(uint64_t, uint64_t);
uint64_t g_str_x26(uint64_t, uint64_t);
uint64_t g_str_xzr(uint64_t, uint64_t);
uint64_t g_stlr_x28(uint64_t, uint64_t);
uint64_t g_ldr_post(uint64_t, uint64_t);
uint64_t g_ldp(uint64_t, uint64_t);
uint64_t g_ldr_x2(uint64_t, uint64_t);
uint64_t g_ldr_w6(uint64_t, uint64_t);
uint64_t g_str_x3(uint64_t, uint64_t);
void g_wfi(void);
uint64_t g_smc0(uint64_t fn);
uint64_t g_smc1234(uint64_t fn);

/* One guest MMIO access and what each side must see. */
struct mmio_case {
    const char *insn;  /* the access, as printed */
    const char *probe; /* the probe's name, for ELR */
    probe_fn fn;
    uint64_t elr_off; /* offset of the access in the probe */
    uint64_t base;    /* the probe's BASE argument */
    uint64_t value;   /* stores: VALUE */
    uint64_t esr;     /* ESR_EL2 the hypervisor must see */
    uint64_t ipa;     /* the IPA of the access */
    uint64_t result;  /* what the probe must return */
};

#define CASE(insn, fn, off, base, value, esr, ipa, result)                                         \
    {                                                                                              \
        insn, #fn, fn, off, base, value, esr, ipa, result                                          \
    }

/* ESR_EL2 of a data abort from EL1 (EC 0x24, IL 1) with an instruction syndrome: ISV (24),
 * SAS (23:22), SSE (21), SRT (20:16), SF (15), AR (14), WnR (6), DFSC (5:0). */
#define DABT(sas, sse, srt, sf, ar, wnr, dfsc)                                                     \
    (0x92000000ull | 1ull << 24 | (uint64_t)(sas) << 22 | (uint64_t)(sse) << 21 |                  \
     (uint64_t)(srt) << 16 | (uint64_t)(sf) << 15 | (uint64_t)(ar) << 14 | (uint64_t)(wnr) << 6 |  \
     (dfsc))
#define DABT_NO_ISV(dfsc) (0x92000000ull | (dfsc))
#define L3                0x07 /* Translation fault, level 3 */
#define L2                0x06 /* Translation fault, level 2 */

/* The register file's bytes start as 0x80 + offset; the stores then change 0x20-0x3f. */
static const struct mmio_case cases[] = {
    CASE("ldr w5, [x0, #0x10]", g_ldr_w5, 0, DEV_IPA, 0, DABT(2, 0, 5, 0, 0, 0, L3), DEV_IPA + 0x10,
         0x93929190),
    CASE("ldrb w7, [x0, #0x1]", g_ldrb_w7, 0, DEV_IPA, 0, DABT(0, 0, 7, 0, 0, 0, L3), DEV_IPA + 0x1,
         0x81),
    CASE("ldrh w9, [x0, #0x2]", g_ldrh_w9, 0, DEV_IPA, 0, DABT(1, 0, 9, 0, 0, 0, L3), DEV_IPA + 0x2,
         0x8382),
    CASE("ldr x19, [x0, #0x8]", g_ldr_x19, 4, DEV_IPA, 0, DABT(3, 0, 19, 1, 0, 0, L3),
         DEV_IPA + 0x8, 0x8f8e8d8c8b8a8988),
    CASE("ldrsb x20, [x0, #0x3]", g_ldrsb_x20, 4, DEV_IPA, 0, DABT(0, 1, 20, 1, 0, 0, L3),
         DEV_IPA + 0x3, 0xffffffffffffff83),
    CASE("ldrsh w21, [x0, #0x4]", g_ldrsh_w21, 4, DEV_IPA, 0, DABT(1, 1, 21, 0, 0, 0, L3),
         DEV_IPA + 0x4, 0xffff8584),
    CASE("ldrsw x22, [x0, #0xc]", g_ldrsw_x22, 4, DEV_IPA, 0, DABT(2, 1, 22, 1, 0, 0, L3),
         DEV_IPA + 0xc, 0xffffffff8f8e8d8c),
    CASE("ldr x5, [x0, x2, lsl #3]", g_ldr_x5_reg, 4, DEV_IPA, 0, DABT(3, 0, 5, 1, 0, 0, L3),
         DEV_IPA + 0x8, 0x8f8e8d8c8b8a8988),
    CASE("ldar w27, [x0]", g_ldar_w27, 4, DEV_IPA, 0, DABT(2, 0, 27, 0, 1, 0, L3), DEV_IPA,
         0x83828180),
    CASE("str w23, [x0, #0x20]", g_str_w23, 8, DEV_IPA, 0x11223344, DABT(2, 0, 23, 0, 0, 1, L3),
         DEV_IPA + 0x20, 0),
    CASE("strb w24, [x0, #0x21]", g_strb_w24, 8, DEV_IPA, 0x55, DABT(0, 0, 24, 0, 0, 1, L3),
         DEV_IPA + 0x21, 0),
    CASE("strh w25, [x0, #0x22]", g_strh_w25, 8, DEV_IPA, 0x6677, DABT(1, 0, 25, 0, 0, 1, L3),
         DEV_IPA + 0x22, 0),
    CASE("str x26, [x0, #0x28]", g_str_x26, 8, DEV_IPA, 0x0123456789abcdef,
         DABT(3, 0, 26, 1, 0, 1, L3), DEV_IPA + 0x28, 0),
    CASE("str xzr, [x0, #0x30]", g_str_xzr, 0, DEV_IPA, 0, DABT(3, 0, 31, 1, 0, 1, L3),
         DEV_IPA + 0x30, 0),
    CASE("stlr x28, [x2]", g_stlr_x28, 12, DEV_IPA, 0xfedcba9876543210, DABT(3, 0, 28, 1, 1, 1, L3),
         DEV_IPA + 0x38, 0),
    CASE("ldr x2, [x0] (after the stores)", g_ldr_x2, 0, DEV_IPA + 0x20, 0,
         DABT(3, 0, 2, 1, 0, 0, L3), DEV_IPA + 0x20, 0xa7a6a5a466775544),
    CASE("ldr x2, [x0] (after str x26)", g_ldr_x2, 0, DEV_IPA + 0x28, 0, DABT(3, 0, 2, 1, 0, 0, L3),
         DEV_IPA + 0x28, 0x0123456789abcdef),
    CASE("ldr x2, [x0] (after str xzr)", g_ldr_x2, 0, DEV_IPA + 0x30, 0, DABT(3, 0, 2, 1, 0, 0, L3),
         DEV_IPA + 0x30, 0),
    CASE("ldr x2, [x0] (after stlr x28)", g_ldr_x2, 0, DEV_IPA + 0x38, 0,
         DABT(3, 0, 2, 1, 0, 0, L3), DEV_IPA + 0x38, 0xfedcba9876543210),
    /* No syndrome: the hypervisor cannot emulate these and steps over them, so the
     * writeback does not happen (g_ldr_post returns how far X2 moved: 0). */
    CASE("ldr x3, [x2], #8 (writeback)", g_ldr_post, 4, DEV_IPA, 0, DABT_NO_ISV(L3), DEV_IPA, 0),
    CASE("ldp x3, x4, [x0, #0x10]", g_ldp, 0, DEV_IPA, 0, DABT_NO_ISV(L3), DEV_IPA + 0x10, 0),
    /* The other hole reads as all ones. */
    CASE("ldr w6, [x0] (level 2 hole)", g_ldr_w6, 0, FAR_DEV_IPA + 0x40, 0,
         DABT(2, 0, 6, 0, 0, 0, L2), FAR_DEV_IPA + 0x40, 0xffffffff),
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* The access in flight, set by the guest before it runs a probe; FAR is its VA. */
static volatile const struct mmio_case *current;
static volatile uint64_t current_va;

static uint64_t g_stack[1024] __attribute__((aligned(16)));
static struct pt s2, gpt;
static uint8_t dev_regs[64];
static unsigned s1ptw_faults, perm_faults;

#define MRS(reg)                                                                                   \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("mrs %0, " #reg : "=r"(v_)::"memory");                                    \
        v_;                                                                                        \
    })
#define MSR(reg, v) __asm__ volatile("msr " #reg ", %0\n\tisb" ::"r"((uint64_t)(v)) : "memory")

static void check(bool ok)
{
    exc_checks++;
    if (!ok)
        exc_failures++;
    printf(ok ? " ok\n" : " FAIL\n");
}

/* ---- the hypervisor (EL2) ---- */

static uint64_t psci_smc(uint64_t fn, uint64_t a1)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1) : : "x2", "x3", "memory");
    return x0;
}

/* After changing a live stage 2 entry: the Arm ARM's sequence for a stage 2 change
 * (D8.13), by IPA and then every combined stage 1+2 entry of the VMID. */
static void s2_invalidate(uint64_t ipa)
{
    __asm__ volatile(
        "dsb ishst\n\ttlbi ipas2e1is, %0\n\tdsb ish\n\ttlbi vmalle1is\n\tdsb ish\n\tisb" ::"r"(
            ipa >> 12)
        : "memory");
}

static void s2_set(uint64_t ipa, uint64_t desc)
{
    volatile uint64_t *slot = pt_slot(&s2, ipa);
    *slot = 0;
    s2_invalidate(ipa);
    *slot = desc;
    __asm__ volatile("dsb ishst\n\tisb" ::: "memory");
}

static uint64_t dev_read(uint64_t off, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size && off + i < sizeof(dev_regs); i++)
        v |= (uint64_t)dev_regs[off + i] << (8 * i);
    return v;
}

static void dev_write(uint64_t off, unsigned size, uint64_t v)
{
    for (unsigned i = 0; i < size && off + i < sizeof(dev_regs); i++)
        dev_regs[off + i] = (uint8_t)(v >> (8 * i));
}

/* A load's value as the register gets it: sign-extended (SSE) to 64 or 32 bits (SF). */
static uint64_t extend(uint64_t v, unsigned size, bool sse, bool sf)
{
    unsigned bits = 8 * size;
    if (sse && bits < 64 && (v >> (bits - 1)) & 1)
        v |= ~0ull << bits;
    return sf ? v : v & 0xffffffffull;
}

/* Emulate an access with a syndrome: returns what the register received or what was stored. */
static uint64_t emulate(struct exc_frame *f, uint64_t ipa)
{
    uint64_t esr = f->esr;
    unsigned size = 1u << ((esr >> 22) & 3), srt = (esr >> 16) & 31;
    bool sse = (esr >> 21) & 1, sf = (esr >> 15) & 1, wnr = (esr >> 6) & 1;
    bool in_dev = ipa >= DEV_IPA && ipa < DEV_IPA + sizeof(dev_regs);
    if (wnr) {
        uint64_t v = srt == 31 ? 0 : f->x[srt];
        v = size == 8 ? v : v & ((1ull << (8 * size)) - 1);
        if (in_dev)
            dev_write(ipa - DEV_IPA, size, v);
        return v;
    }
    uint64_t v = in_dev ? dev_read(ipa - DEV_IPA, size) : ~0ull >> (64 - 8 * size);
    v = extend(v, size, sse, sf);
    if (srt != 31)
        f->x[srt] = v;
    return v;
}

static void print_syndrome(uint64_t esr)
{
    printf("  ESR_EL2 0x%08lx ISV %lu", (unsigned long)esr, (unsigned long)(esr >> 24) & 1);
    if ((esr >> 24) & 1)
        printf(" SAS %lu SSE %lu SRT %lu SF %lu AR %lu", (unsigned long)(esr >> 22) & 3,
               (unsigned long)(esr >> 21) & 1, (unsigned long)(esr >> 16) & 31,
               (unsigned long)(esr >> 15) & 1, (unsigned long)(esr >> 14) & 1);
    printf(" S1PTW %lu WnR %lu DFSC 0x%02lx\n", (unsigned long)(esr >> 7) & 1,
           (unsigned long)(esr >> 6) & 1, (unsigned long)esr & 0x3f);
}

/* The IPA of a stage 2 fault: HPFAR_EL2.FIPA (bits 39:4) is IPA[47:12], FAR_EL2 the rest. */
static uint64_t fault_ipa(uint64_t hpfar, uint64_t far)
{
    return ((hpfar >> 4) & 0xfffffffffull) << 12 | (far & 0xfff);
}

static void mmio_abort(struct exc_frame *f, uint64_t hpfar)
{
    const struct mmio_case *c = (const struct mmio_case *)current;
    uint64_t ipa = fault_ipa(hpfar, f->far);
    printf("mmio %s\n", c ? c->insn : "(no case)");
    print_syndrome(f->esr);
    if (!c) {
        check(false);
        f->elr += 4;
        return;
    }
    uint64_t elr_want = ADDR(c->fn) + c->elr_off;
    printf("  ELR %s+0x%lx FAR 0x%lx HPFAR 0x%lx IPA 0x%lx", c->probe,
           (unsigned long)(f->elr - ADDR(c->fn)), (unsigned long)f->far, (unsigned long)hpfar,
           (unsigned long)ipa);
    check(f->esr == c->esr && f->elr == elr_want && f->far == current_va &&
          hpfar == (c->ipa >> 12) << 4 && ipa == c->ipa);
    if ((f->esr >> 24) & 1) {
        uint64_t v = emulate(f, ipa);
        printf("  emulated: %s 0x%lx\n", (f->esr >> 6) & 1 ? "stored" : "loaded", (unsigned long)v);
    } else {
        printf("  no instruction syndrome: not emulated, stepped over\n");
    }
    current = NULL;
    f->elr += 4;
}

/* A stage 2 fault on the guest's stage 1 walk: the table page is back in a moment. */
static void s1ptw_abort(struct exc_frame *f, uint64_t hpfar)
{
    s1ptw_faults++;
    printf("stage 2 fault on the guest's stage 1 walk\n");
    print_syndrome(f->esr);
    printf("  FAR 0x%lx HPFAR 0x%lx (table page IPA 0x%lx)", (unsigned long)f->far,
           (unsigned long)hpfar, (unsigned long)((hpfar >> 4) << 12));
    check(f->esr == (DABT_NO_ISV(L3) | 1ull << 7) && f->far == current_va &&
          hpfar == (LAZY_PT >> 12) << 4 && s1ptw_faults == 1);
    s2_set(LAZY_PT, pt_page_desc(&s2, LAZY_PT, S2_RAM));
}

/* A write to a page that stage 2 keeps read-only: log it, make it writable, retry. */
static void permission_abort(struct exc_frame *f, uint64_t hpfar)
{
    perm_faults++;
    uint64_t ipa = fault_ipa(hpfar, f->far);
    printf("stage 2 permission fault (dirty tracking)\n");
    print_syndrome(f->esr);
    printf("  FAR 0x%lx HPFAR 0x%lx IPA 0x%lx", (unsigned long)f->far, (unsigned long)hpfar,
           (unsigned long)ipa);
    check(f->esr == DABT(3, 0, 3, 1, 0, 1, 0x0f) && ipa == GUEST_RO + 0x40 && perm_faults == 1);
    if (perm_faults > 1) {
        f->elr += 4; /* the page did not become writable: do not loop */
        return;
    }
    s2_set(GUEST_RO, pt_page_desc(&s2, GUEST_RO, S2_RAM));
}

static void data_abort(struct exc_frame *f)
{
    uint64_t hpfar = MRS(hpfar_el2);
    if ((f->esr >> 7) & 1)
        s1ptw_abort(f, hpfar);
    else if ((f->esr & 0x3c) == 0x0c)
        permission_abort(f, hpfar);
    else
        mmio_abort(f, hpfar);
}

/* PAR_EL1 without the bits the architecture leaves open: bit 10 (IMPLEMENTATION DEFINED)
 * and, after a successful translation, NS (bit 9, UNKNOWN for a Non-secure regime). */
static uint64_t par_read(void)
{
    uint64_t par = MRS(par_el1);
    return par & 1 ? par & ~(1ull << 10) : par & ~(3ull << 9);
}

#define AT(op, va)                                                                                 \
    ({                                                                                             \
        __asm__ volatile("at " #op ", %0\n\tisb" ::"r"((uint64_t)(va)) : "memory");                \
        par_read();                                                                                \
    })

static void at_checks(void)
{
    printf("-- AT from EL2 on the guest's addresses\n");
    expect_value("AT S12E1R guest RAM (Normal WB at both stages)", AT(s12e1r, RAM_BASE + 0x81000),
                 0xff00000040081980ull);
    expect_value("AT S1E1R MMIO VA (stage 1 only: the IPA)",
                 AT(s1e1r, MMIO_VA + 0x28) & ~(3ull << 7), DEV_IPA | 1ull << 11);
    expect_value("AT S12E1R MMIO VA (stage 2 translation fault, level 3, S)",
                 AT(s12e1r, MMIO_VA + 0x28), 1 | 0x07 << 1 | 1ull << 9 | 1ull << 11);
    expect_value("AT S12E1W read-only page (stage 2 permission fault, level 3, S)",
                 AT(s12e1w, GUEST_RO2), 1 | 0x0f << 1 | 1ull << 9 | 1ull << 11);
    expect_value("AT S12E1R read-only page", AT(s12e1r, GUEST_RO2 + 0x10),
                 0xff00000000000980ull | GUEST_RO2);
    expect_value("AT S1E1R unmapped VA (stage 1 translation fault, level 2)",
                 AT(s1e1r, MMIO_VA + 0x10000000), 1 | 0x06 << 1 | 1ull << 11);
}

static _Noreturn void power_off(void)
{
    printf("hyp: %u stage 1 walk faults, %u permission faults\n", s1ptw_faults, perm_faults);
    int status = exc_summary(GUEST_NAME);
    if (status)
        guest_exit(status);
    psci_smc(PSCI_SYSTEM_OFF, 0);
    printf("SYSTEM_OFF returned\n");
    guest_exit(1);
}

static void hypercall(struct exc_frame *f)
{
    unsigned imm = (unsigned)(f->esr & 0xffff);
    switch (imm) {
    case HC_PSCI:
        if (f->x[0] == PSCI_SYSTEM_OFF) {
            printf("hvc #0 PSCI SYSTEM_OFF from the guest: ESR_EL2 0x%08lx", (unsigned long)f->esr);
            check(f->esr == 0x5a000000);
            power_off();
        }
        f->x[0] = PSCI_NOT_SUPP;
        break;
    case HC_UNMAP_PT:
        /* Take the guest's table page away, as a hypervisor reclaiming memory would. */
        s2_set(LAZY_PT, 0);
        break;
    case HC_AT_CHECKS: at_checks(); break;
    default: printf("unknown hypercall #%u\n", imm); break;
    }
}

static void trapped_smc(struct exc_frame *f)
{
    unsigned imm = (unsigned)(f->esr & 0xffff);
    printf("smc #0x%x trapped (TSC): ESR_EL2 0x%08lx ELR %s+0x%lx", imm, (unsigned long)f->esr,
           imm ? "g_smc1234" : "g_smc0",
           (unsigned long)(f->elr - (imm ? ADDR(g_smc1234) : ADDR(g_smc0))));
    check(f->esr == (0x5e000000ull | imm) && f->elr == (imm ? ADDR(g_smc1234) : ADDR(g_smc0)));
    /* SMC #0 is an SMCCC call: pass it on to the firmware. Anything else is unknown. */
    f->x[0] = imm == 0 ? psci_smc(f->x[0], f->x[1]) : PSCI_NOT_SUPP;
    f->elr += 4; /* a trapped SMC returns to the SMC itself */
}

static void trapped_wfi(struct exc_frame *f)
{
    printf("wfi trapped (TWI): ESR_EL2 0x%08lx ELR g_wfi+0x%lx", (unsigned long)f->esr,
           (unsigned long)(f->elr - ADDR(g_wfi)));
    check(f->esr == 0x07e00000 && f->elr == ADDR(g_wfi));
    f->elr += 4;
}

static void hyp_handler(struct exc_frame *f)
{
    unsigned ec = (unsigned)(f->esr >> 26);
    if (f->vector != VEC_LOWER_A64) {
        printf("hyp: unexpected exception at EL2: vector 0x%lx ESR 0x%08lx ELR 0x%lx\n",
               (unsigned long)f->vector, (unsigned long)f->esr, (unsigned long)f->elr);
        guest_exit(1);
    }
    switch (ec) {
    case 0x24: data_abort(f); break;
    case 0x16: hypercall(f); break;
    case 0x17: trapped_smc(f); break;
    case 0x01: trapped_wfi(f); break;
    default:
        printf("hyp: unexpected trap ESR_EL2 0x%08lx ELR 0x%lx FAR 0x%lx\n", (unsigned long)f->esr,
               (unsigned long)f->elr, (unsigned long)f->far);
        guest_exit(1);
    }
}

static bool build_stage2(void)
{
    bool ok = pt_init(&s2, G, 32, S2_POOL, POOL_SIZE);
    ok = ok && pt_map(&s2, RAM_BASE, RAM_BASE, S2_POOL - RAM_BASE, S2_RAM, false);
    ok = ok && pt_map(&s2, GUEST_PT, GUEST_PT, GUEST_AREA, S2_RAM, true);
    ok = ok && pt_map(&s2, GUEST_RO, GUEST_RO, 2 * G, S2_RO, true);
    ok = ok && pt_map(&s2, UART_BASE, UART_BASE, G, S2_DEV, true);
    return ok;
}

/* ---- the guest (EL1) ---- */

static void guest_handler(struct exc_frame *f)
{
    printf("guest: unexpected exception: vector 0x%lx ESR 0x%08lx ELR 0x%lx FAR 0x%lx\n",
           (unsigned long)f->vector, (unsigned long)f->esr, (unsigned long)f->elr,
           (unsigned long)f->far);
    exc_failures++;
    f->elr += 4;
}

static void guest_mmio(void)
{
    for (unsigned i = 0; i < NCASES; i++) {
        const struct mmio_case *c = &cases[i];
        current_va = c->ipa; /* stage 1 is off: VA = IPA */
        current = c;
        uint64_t r = c->fn(c->base, c->value);
        if (c->fn == g_ldp || (c->esr >> 6) & 1)
            continue; /* nothing loaded to check */
        printf("guest: %s", c->insn);
        expect_value(" returned", r, c->result);
    }
}

static void guest_dirty(void)
{
    volatile uint64_t *ro = (volatile uint64_t *)(uintptr_t)(GUEST_RO + 0x40);
    expect_value("guest: read the read-only page", *ro, 0);
    g_str_x3(GUEST_RO + 0x40, 0x5555aaaa5555aaaaull);
    expect_value("guest: the store that faulted, after the retry", *ro, 0x5555aaaa5555aaaaull);
}

static void guest_traps(void)
{
    g_wfi();
    expect_value("guest: smc #0 PSCI_VERSION, forwarded", g_smc0(PSCI_VERSION), 0x10001);
    expect_value("guest: smc #0x1234", g_smc1234(0), PSCI_NOT_SUPP);
}

static void guest_stage1(void)
{
    bool ok = pt_init(&gpt, G, 39, GUEST_PT, GUEST_AREA / 2);
    ok = ok && pt_map(&gpt, RAM_BASE, RAM_BASE, 0x08000000, S1_RAM, false);
    ok = ok && pt_map(&gpt, UART_BASE, UART_BASE, G, S1_DEV, true);
    ok = ok && pt_map(&gpt, MMIO_VA, DEV_IPA, G, S1_DEV, true);
    expect_value("guest: stage 1 tables built, MMIO_VA's level 2 and 3 tables 4 and 5 pages in",
                 ok && (*pt_slot(&gpt, MMIO_VA) != 0) && gpt.next == GUEST_PT + 6 * G, 1);
    __asm__ volatile("hvc #2" ::: "memory"); /* HC_UNMAP_PT */
    uint64_t tcr = 25 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 1ull << 23 | 2ull << 32;
    MSR(mair_el1, MAIR_EL1_VALUE);
    MSR(tcr_el1, tcr);
    MSR(ttbr0_el1, gpt.root);
    __asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
    MSR(sctlr_el1, SCTLR_EL1_ON);
    printf("guest: stage 1 on\n");
    static const struct mmio_case via_va =
        CASE("ldr x2, [x0] at the stage 1 VA", g_ldr_x2, 0, MMIO_VA + 0x28, 0,
             DABT(3, 0, 2, 1, 0, 0, L3), DEV_IPA + 0x28, 0x0123456789abcdef);
    current_va = MMIO_VA + 0x28;
    current = &via_va;
    expect_value("guest: ldr x2 at the MMIO VA returned", g_ldr_x2(MMIO_VA + 0x28, 0),
                 0x0123456789abcdef);
    __asm__ volatile("hvc #3" ::: "memory"); /* HC_AT_CHECKS */
}

static _Noreturn void guest_main(uint64_t arg)
{
    (void)arg;
    vectors_install_el1(guest_handler);
    expect_value("guest: CurrentEL", MRS(CurrentEL), 0x4);
    printf("-- MMIO through stage 2 holes\n");
    guest_mmio();
    printf("-- stage 2 permission fault\n");
    guest_dirty();
    printf("-- WFI and SMC\n");
    guest_traps();
    printf("-- guest stage 1 on, its table page unmapped at stage 2\n");
    guest_stage1();
    register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
    __asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
    printf("guest: SYSTEM_OFF returned\n");
    guest_exit(1);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    if (MRS(CurrentEL) != 0x8) {
        printf(GUEST_NAME ": must start at EL2 (a64sim --el 2, QEMU virtualization=on)\n");
        guest_exit(1);
    }
    vectors_install_el2(hyp_handler);
    for (unsigned i = 0; i < sizeof(dev_regs); i++)
        dev_regs[i] = (uint8_t)(0x80 + i);
    if (!build_stage2()) {
        printf(GUEST_NAME ": the stage 2 pool is too small\n");
        guest_exit(1);
    }
    MSR(vtcr_el2, VTCR_VALUE);
    MSR(vttbr_el2, s2.root | VMID << 48);
    __asm__ volatile("dsb ish\n\ttlbi vmalls12e1is\n\tdsb ish\n\tisb" ::: "memory");
    MSR(sctlr_el1, SCTLR_EL1_OFF);
    MSR(hcr_el2, HCR_RUN);
    __asm__ volatile("msr sp_el1, %0" ::"r"(ADDR(g_stack + 1024)));
    printf("hyp: stage 2 on (VTCR_EL2 0x%lx), entering the guest\n", (unsigned long)VTCR_VALUE);
    lower_call(guest_main, 0, EL1H_MASKED);
    printf("hyp: the guest returned\n");
    guest_exit(1);
}
