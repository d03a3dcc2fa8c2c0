/*
 * An EL1 kernel with the MMU on and an EL0 program at a user VA, with the
 * 4K translation granule. mmu_el0_16k.c and mmu_el0_64k.c compile this same
 * file with another GRANULE, so every check runs in each granule.
 *
 * The kernel builds stage 1 tables (mmu.h): TTBR0_EL1 maps RAM at its own
 * address as Normal Write-Back (blocks, EL1 only), the UART page as
 * Device-nGnRnE, and a user region at U_BASE page by page (code, data,
 * stack, and pages set up for faults); TTBR1_EL1 maps RAM again at a high
 * VA (T1SZ = 25). It turns the MMU on (MAIR, TCR, TTBRs, SCTLR.M, ISB),
 * copies a program into a user page and enters it at EL0 with ERET; the
 * program computes, prints through SVC and exits through SVC. Then EL0
 * probes take the faults the Arm ARM defines (D8.4 and the ESR_ELx data and
 * instruction abort ISS): permission (level 2 block and level 3 page), write
 * to a read-only page (WnR), translation (level 3 and the root level),
 * Access flag, fetch from a UXN page; the kernel itself takes a PXN fault.
 * AT S1E1R/W and S1E0R/W results are read from PAR_EL1, and remapping a data
 * page and a code page with TLBI shows the new contents.
 *
 * ESR_EL1 of a data abort always has ISV 0: the Arm ARM (D17.2, ESR_ELx ISS
 * for data aborts) gives the instruction syndrome to EL2 only. So the data
 * abort syndromes below are EC, IL, WnR and the fault status code.
 * Expected values are from the Arm ARM; QEMU must print the same.
 */
#include <stdint.h>

#include "exc_common.h"
#include "exit.h"
#include "mem.h"
#include "mmu.h"

#ifndef GRANULE
#define GRANULE    4096ull
#define GUEST_NAME "mmu_el0_4k"
/* Fault status codes that depend on the granule. FAR_VA finds no entry at the root level
 * of TTBR0 (level 1 with a 39-bit VA in 4K and 16K, level 2 in 64K); the bottom of the
 * TTBR1 range finds none at level 1 (4K) or level 2 (16K, where its level 1 entry is the
 * one that also covers RAM, and 64K). */
#define DFSC_ROOT_TRANSLATION  0x05u
#define DFSC_TTBR1_TRANSLATION 0x05u
#endif

#define G GRANULE

#define RAM_BASE 0x40000000ull
/* The identity map covers 512 MiB from RAM_BASE, one 64K-granule level 2 block, so that
 * RAM is mapped by blocks in every granule; only the first 128 MiB (QEMU's default RAM
 * size) are ever touched. */
#define RAM_MAP    0x20000000ull
#define UART_BASE  0x09000000ull
#define POOL0      0x44000000ull /* TTBR0 tables */
#define POOL1      0x44100000ull /* TTBR1 tables */
#define POOL_SIZE  0x00100000ull
#define PAGES      0x44200000ull /* user pages, one granule each */
#define VA_BITS    39u           /* T0SZ = T1SZ = 25 */
#define U_BASE     0x1000000000ull
#define FAR_VA     0x3000000000ull       /* no root-level entry */
#define KBASE      0xffffff8000000000ull /* lowest TTBR1 VA with T1SZ = 25 */
#define K_HIGH(pa) (KBASE + (pa))        /* TTBR1 maps KBASE + PA to PA for RAM */
#define ASID       1ull

/* The user region, one granule per page. */
enum upage {
    UP_CODE,   /* the EL0 program: EL0 read-only, executable at EL0 only */
    UP_DATA,   /* EL0 read/write, never executable */
    UP_STACK,  /* EL0 read/write */
    UP_RO,     /* read-only at EL0 and EL1 */
    UP_KERNEL, /* EL1 only */
    UP_NOAF,   /* Access flag 0 */
    UP_HOLE,   /* invalid descriptor next to valid ones */
    UP_REMAP,  /* data page, remapped from A to B */
    UP_RECODE, /* code page, remapped from program A to B */
    UP_COUNT,
};
/* Physical pages: one per user page, plus the second page of each remap. */
#define PAGE_PA(i)  (PAGES + (uint64_t)(i)*G)
#define PA_REMAP_B  PAGE_PA(UP_COUNT)
#define PA_RECODE_B PAGE_PA(UP_COUNT + 1)
#define U_VA(p)     (U_BASE + (uint64_t)(p)*G)

/* MAIR_EL1: Attr0 Device-nGnRnE, Attr1 Normal Write-Back (read/write-allocate), Attr2 Normal
 * Non-cacheable. */
#define MAIR_VALUE  0x44ff00ull
#define ATTR_DEVICE PTE_ATTRINDX(0)
#define ATTR_NORMAL (PTE_ATTRINDX(1) | PTE_SH_INNER)

#define PTE_KERNEL_RAM (ATTR_NORMAL | PTE_AF | PTE_UXN)
#define PTE_KERNEL_DEV (ATTR_DEVICE | PTE_AF | PTE_UXN | PTE_PXN)
#define PTE_USER_CODE  (ATTR_NORMAL | PTE_AF | PTE_NG | PTE_AP_EL0 | PTE_AP_RO | PTE_PXN)
#define PTE_USER_DATA  (ATTR_NORMAL | PTE_AF | PTE_NG | PTE_AP_EL0 | PTE_UXN | PTE_PXN)
#define PTE_USER_RO    (ATTR_NORMAL | PTE_AF | PTE_NG | PTE_AP_EL0 | PTE_AP_RO | PTE_UXN | PTE_PXN)
#define PTE_USER_KONLY (ATTR_NORMAL | PTE_AF | PTE_NG | PTE_UXN | PTE_PXN)
#define PTE_USER_NOAF  (ATTR_NORMAL | PTE_NG | PTE_AP_EL0 | PTE_UXN | PTE_PXN)

/* SCTLR_EL1: the Armv8.0 RES1 bits (29, 28, 23, 22, 20, 11), M, C, SA, SA0, I, and ITD and SED,
 * which are RES1 on a PE without AArch32 at EL0 (a64sim) and writable on one with it (QEMU). */
#define SCTLR_MMU_ON 0x30d0199dull

#define EL1H_MASKED 0x3c5u

/* Syscalls: SVC #imm from EL0. */
#define SYS_EXIT 0
#define SYS_PUTS 1
#define SYS_PUTN 2
#define SUM_N    100
#define SUM_WANT 338350ull /* n(n + 1)(2n + 1)/6 for n = 100 */

#define PROBE(name)    "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"
#define PROBE_32(name) "\t.balign 32\n\t.type " #name ", %function\n" #name ":\n"

/* The EL0 program. The kernel copies u_blob_start..u_blob_end into the user code page, so it
 * only uses PC-relative addressing inside the blob, the registers and its two pages. */
// clang-format off
__asm__(
        "\t.text\n"
        "\t.balign 16\n"
        "u_blob_start:\n"
        /* u_main(data): data[0] = n; data[1] = sum of i * i for i = 1..n; copies u_msg to
         * data + 16 and prints it, prints the sum, exits with it. */
        PROBE(u_main)
        "\tstp x29, x30, [sp, #-16]!\n"
        "\tmov x29, sp\n"
        "\tmov x19, x0\n"
        "\tldr x2, [x19]\n"
        "\tmov x3, #0\n"
        "\tmov x4, #1\n"
        "1:\tmadd x3, x4, x4, x3\n"
        "\tadd x4, x4, #1\n"
        "\tcmp x4, x2\n"
        "\tb.ls 1b\n"
        "\tstr x3, [x19, #8]\n"
        "\tadr x5, u_msg\n"
        "\tadd x6, x19, #16\n"
        "2:\tldrb w7, [x5], #1\n"
        "\tstrb w7, [x6], #1\n"
        "\tcbnz w7, 2b\n"
        "\tadd x0, x19, #16\n"
        "\tsvc #1\n"
        "\tldr x0, [x19, #8]\n"
        "\tsvc #2\n"
        "\tldp x29, x30, [sp], #16\n"
        "\tldr x0, [x19, #8]\n"
        "\tsvc #0\n"
        /* u_load(addr): LDR X1, [X0] at +0; exits with the value */
        PROBE(u_load)
        "\tldr x1, [x0]\n"
        "\tmov x0, x1\n"
        "\tsvc #0\n"
        /* u_store(addr): STR X1, [X0, #8] at +4; exits with 0 */
        PROBE(u_store)
        "\tmov x1, #0x5a\n"
        "\tstr x1, [x0, #8]\n"
        "\tmov x0, #0\n"
        "\tsvc #0\n"
        /* u_call(target): RET X0 at +0 (RET, not BLR: an indirect branch would set
         * PSTATE.BTYPE on a PE with FEAT_BTI, and SPSR would differ between profiles) */
        PROBE(u_call)
        "\tret x0\n"
        "\tsvc #0\n"
        "u_msg:\t.asciz \"hello from EL0 at a user VA\"\n"
        "\t.balign 16\n"
        "u_blob_end:\n"
        /* Two one-page programs for the code remap: exit with 0xa or with 0xb. */
        PROBE(u_prog_a)
        "\tmov x0, #0xa\n"
        "\tsvc #0\n"
        PROBE(u_prog_b)
        "\tmov x0, #0xb\n"
        "\tsvc #0\n"
        /* Kernel probes; X0 is the NZCV value to set. */
        /* k_ldr(nzcv, addr): LDR X2, [X1] at +4 */
        PROBE(k_ldr)
        "\tmsr nzcv, x0\n"
        "\tldr x2, [x1]\n"
        "\tret\n"
        /* k_call(nzcv, target): RET X1 at +12 with X30 = the return address, a call that
         * leaves PSTATE.BTYPE 0 */
        PROBE(k_call)
        "\tstp x29, x30, [sp, #-16]!\n"
        "\tmsr nzcv, x0\n"
        "\tadr x30, 1f\n"
        "\tret x1\n"
        "1:\tldp x29, x30, [sp], #16\n"
        "\tret\n"
        /* k_eret_el0(spsr): ERET to EL0 at +16, in the same page as the ERET
         * (EL1-only kernel code, UXN for EL0). A handler that ends this returns to
         * k_eret_back at EL1, with SP_EL1 and X30 as they were here. 32-byte aligned,
         * so its 32 bytes cannot straddle a page. */
        PROBE_32(k_eret_el0)
        "\tadr x1, 1f\n"
        "\tmsr elr_el1, x1\n"
        "\tmsr spsr_el1, x0\n"
        "\teret\n"
        "1:\tnop\n"
        "\tb 1b\n"
        "k_eret_back:\n"
        "\tret\n"
        /* k_pc(): its own address, as fetched */
        PROBE(k_pc)
        "\tadr x0, k_pc\n"
        "\tret\n");
// clang-format on

extern const char u_blob_start[], u_blob_end[], u_main[], u_load[], u_store[], u_call[];
extern const char u_prog_a[], u_prog_b[];
void k_ldr(uint64_t nzcv, uint64_t addr);
void k_call(uint64_t nzcv, uint64_t target);
void k_eret_el0(uint64_t spsr);
extern const char k_eret_back[];
uint64_t k_pc(void);

static struct pt pt0, pt1;

/* The user VA of a symbol inside the blob. */
static uint64_t uva(const char *sym)
{
    return U_VA(UP_CODE) + (uint64_t)(sym - u_blob_start);
}

/* ---- the kernel's exception handler ---- */

static bool user_string_ok(uint64_t va)
{
    return va >= U_VA(UP_DATA) && va < U_VA(UP_DATA) + G - 64;
}

static void syscall(struct exc_frame *f)
{
    switch (f->esr & 0xffff) {
    case SYS_EXIT: lower_return(f, f->x[0]); break;
    case SYS_PUTS:
        if (user_string_ok(f->x[0]))
            printf("EL0 says: %s\n", (const char *)(uintptr_t)f->x[0]);
        else
            printf("EL0 passed a bad string pointer 0x%lx\n", (unsigned long)f->x[0]);
        break;
    case SYS_PUTN: printf("EL0 says: %lu\n", (unsigned long)f->x[0]); break;
    default: printf("unknown syscall 0x%lx\n", (unsigned long)f->esr); break;
    }
}

/* Where the next exception resumes at EL1 instead of applying the fixup (0: nowhere). */
static volatile uint64_t resume_el1;

static void handler(struct exc_frame *f)
{
    if (f->vector == VEC_LOWER_A64 && (f->esr >> 26) == 0x15) {
        syscall(f);
        return;
    }
    exc_record(f);
    if (resume_el1) {
        f->elr = resume_el1;
        f->spsr = EL1H_MASKED;
        resume_el1 = 0;
        return;
    }
    exc_apply_fixup(f);
}

/* ---- system registers ---- */

#define MSR(reg, v) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(v)) : "memory")
#define MRS(reg)                                                                                   \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("mrs %0, " #reg : "=r"(v_)::"memory");                                    \
        v_;                                                                                        \
    })

static void isb(void)
{
    __asm__ volatile("isb" ::: "memory");
}

/* ---- set-up ---- */

/* ID_AA64MMFR0_EL1: TGran4 and TGran64 are 0b1111 when not supported, TGran16 is 0b0000
 * (other values: supported, some also with 52-bit addresses). */
static bool granule_supported(void)
{
    uint64_t mmfr0 = MRS(id_aa64mmfr0_el1);
    if (G == 4096)
        return ((mmfr0 >> 28) & 0xf) != 0xf;
    if (G == 65536)
        return ((mmfr0 >> 24) & 0xf) != 0xf;
    return ((mmfr0 >> 20) & 0xf) != 0;
}

static void copy_program(uint64_t pa, const char *start, const char *end)
{
    memcpy((void *)(uintptr_t)pa, start, (size_t)(end - start));
}

static void fill(uint64_t pa, uint64_t value)
{
    for (uint64_t i = 0; i < G / 8; i++)
        ((volatile uint64_t *)(uintptr_t)pa)[i] = value + i;
}

static bool build_tables(void)
{
    bool ok =
        pt_init(&pt0, G, VA_BITS, POOL0, POOL_SIZE) && pt_init(&pt1, G, VA_BITS, POOL1, POOL_SIZE);
    ok = ok && pt_map(&pt0, RAM_BASE, RAM_BASE, RAM_MAP, PTE_KERNEL_RAM, false);
    ok = ok && pt_map(&pt0, UART_BASE, UART_BASE, G, PTE_KERNEL_DEV, true);
    static const uint64_t attrs[UP_COUNT] = {
        [UP_CODE] = PTE_USER_CODE,  [UP_DATA] = PTE_USER_DATA,    [UP_STACK] = PTE_USER_DATA,
        [UP_RO] = PTE_USER_RO,      [UP_KERNEL] = PTE_USER_KONLY, [UP_NOAF] = PTE_USER_NOAF,
        [UP_REMAP] = PTE_USER_DATA, [UP_RECODE] = PTE_USER_CODE,
    };
    for (unsigned p = 0; p < UP_COUNT && ok; p++) {
        if (p != UP_HOLE)
            ok = pt_map(&pt0, U_VA(p), PAGE_PA(p), G, attrs[p], true);
    }
    ok = ok && pt_map(&pt1, KBASE + RAM_BASE, RAM_BASE, RAM_MAP, PTE_KERNEL_RAM, false);
    return ok;
}

static void fill_pages(void)
{
    for (unsigned p = 0; p < UP_COUNT + 2; p++)
        fill(PAGE_PA(p), 0x1000000000000000ull * (p + 1));
    copy_program(PAGE_PA(UP_CODE), u_blob_start, u_blob_end);
    copy_program(PAGE_PA(UP_RECODE), u_prog_a, u_prog_a + 8);
    copy_program(PA_RECODE_B, u_prog_b, u_prog_b + 8);
    /* New code in memory: make instruction fetches see it (D7.5.9, here for a cache-less
     * PE in effect a no-op, but the sequence a kernel must run). */
    __asm__ volatile("dsb ish\n\tic iallu\n\tdsb ish\n\tisb" ::: "memory");
}

static void mmu_on(void)
{
    uint64_t tcr = (uint64_t)(64 - VA_BITS) | 1ull << 8 | 1ull << 10 | 3ull << 12 |
                   (uint64_t)pt_tg0(&pt0) << 14 | (uint64_t)(64 - VA_BITS) << 16 | 1ull << 24 |
                   1ull << 26 | 3ull << 28 | (uint64_t)pt_tg1(&pt1) << 30 |
                   2ull << 32; /* IPS 40 bits */
    MSR(mair_el1, MAIR_VALUE);
    MSR(tcr_el1, tcr);
    MSR(ttbr0_el1, pt0.root | ASID << 48);
    MSR(ttbr1_el1, pt1.root);
    __asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
    MSR(sctlr_el1, SCTLR_MMU_ON);
    isb();
}

/* ---- the checks ---- */

static uint64_t run_el0(const char *entry, uint64_t arg)
{
    MSR(sp_el0, U_VA(UP_STACK) + G);
    return lower_call((void (*)(uint64_t))(uintptr_t)uva(entry), arg, 0);
}

static void el0_program(void)
{
    volatile uint64_t *data = (volatile uint64_t *)(uintptr_t)PAGE_PA(UP_DATA);
    data[0] = SUM_N;
    uint64_t r = run_el0(u_main, U_VA(UP_DATA));
    expect_value("EL0 program result (sum of squares 1..100)", r, SUM_WANT);
    expect_value("the result in the data page, read at its PA", data[1], SUM_WANT);
}

/* An EL0 data access that must fault: ESR_EL1 EC 0x24 (lower EL), IL 1. */
#define el0_data_fault(name, probe, off, addr, esr, far)                                           \
    el0_data_fault_at(name, probe, #probe, off, addr, esr, far)

static void el0_data_fault_at(const char *name, const char *probe, const char *probe_name,
                              uint64_t off, uint64_t addr, uint64_t esr, uint64_t far)
{
    exc_arm(1, FIX_RETURN);
    run_el0(probe, addr);
    exc_expect(&(struct exc_want){name, 1, VEC_LOWER_A64, false, esr, probe_name, uva(probe), off,
                                  0, FAR_ABS, far, NULL, 0});
}

static void el0_faults(void)
{
    el0_data_fault("EL0 ldr from an EL1-only page (permission, level 3)", u_load, 0,
                   U_VA(UP_KERNEL) + 0x18, 0x9200000f, U_VA(UP_KERNEL) + 0x18);
    el0_data_fault("EL0 ldr from EL1-only RAM (permission, level 2 block)", u_load, 0, PAGES + 0x40,
                   0x9200000e, PAGES + 0x40);
    el0_data_fault("EL0 str to a read-only page (permission, WnR)", u_store, 4, U_VA(UP_RO),
                   0x9200004f, U_VA(UP_RO) + 8);
    el0_data_fault("EL0 ldr from an invalid level-3 entry (translation, level 3)", u_load, 0,
                   U_VA(UP_HOLE) + 0x100, 0x92000007, U_VA(UP_HOLE) + 0x100);
    el0_data_fault("EL0 ldr with no root-level entry (translation)", u_load, 0, FAR_VA + 0x20,
                   0x92000000 | DFSC_ROOT_TRANSLATION, FAR_VA + 0x20);
    el0_data_fault("EL0 ldr from a page with AF 0 (Access flag, level 3)", u_load, 0,
                   U_VA(UP_NOAF) + 0x8, 0x9200000b, U_VA(UP_NOAF) + 0x8);
    el0_data_fault("EL0 str to an EL1-only page (permission, WnR)", u_store, 4, U_VA(UP_KERNEL),
                   0x9200004f, U_VA(UP_KERNEL) + 8);

    /* Allowed accesses read what the kernel wrote at the page's PA. */
    expect_value("EL0 ldr from the read-only page", run_el0(u_load, U_VA(UP_RO) + 0x10),
                 0x4000000000000002ull);
    expect_value("EL0 str then ldr on the data page",
                 (run_el0(u_store, U_VA(UP_DATA) + 0x100), run_el0(u_load, U_VA(UP_DATA) + 0x108)),
                 0x5a);

    /* Instruction aborts (EC 0x20): ELR and FAR are the target. */
    exc_arm(1, FIX_RETURN);
    run_el0(u_call, U_VA(UP_DATA));
    exc_expect(&(struct exc_want){"EL0 branch to a UXN page (permission, level 3)", 1,
                                  VEC_LOWER_A64, false, 0x8200000f, NULL, 0, U_VA(UP_DATA), 0,
                                  FAR_ABS, U_VA(UP_DATA), NULL, 0});
    exc_arm(1, FIX_RETURN);
    run_el0(u_call, U_VA(UP_HOLE) + 0x40);
    exc_expect(&(struct exc_want){"EL0 branch to an invalid entry (translation, level 3)", 1,
                                  VEC_LOWER_A64, false, 0x82000007, NULL, 0, U_VA(UP_HOLE) + 0x40,
                                  0, FAR_ABS, U_VA(UP_HOLE) + 0x40, NULL, 0});
    /* The kernel sets AF itself: the architecture never keeps a faulting entry in a TLB
     * (D8.13), so no TLBI is needed before the retry. */
    volatile uint64_t *slot = pt_slot(&pt0, U_VA(UP_NOAF));
    *slot |= PTE_AF;
    __asm__ volatile("dsb ishst\n\tisb" ::: "memory");
    expect_value("EL0 ldr after the kernel set AF", run_el0(u_load, U_VA(UP_NOAF) + 0x8),
                 0x6000000000000001ull);
}

static void el1_faults(void)
{
    exc_arm(1, FIX_SKIP);
    k_ldr(0x60000000, U_VA(UP_HOLE) + 0x30);
    exc_expect(&(struct exc_want){
        "EL1 ldr from an invalid entry (translation, level 3)", 1, VEC_CUR_SPX, false, 0x96000007,
        "k_ldr", ADDR(k_ldr), 4, 0x60000000 | EL1H_MASKED, FAR_ABS, U_VA(UP_HOLE) + 0x30, NULL, 0});
    /* A user code page is PXN: the kernel cannot execute it (EC 0x21, same EL). */
    exc_arm(1, FIX_LR);
    k_call(0x20000000, uva(u_main));
    exc_expect(&(struct exc_want){"EL1 branch to a PXN user page (permission, level 3)", 1,
                                  VEC_CUR_SPX, false, 0x8600000f, NULL, 0, uva(u_main),
                                  0x20000000 | EL1H_MASKED, FAR_ABS, uva(u_main), NULL, 0});
    /* Permissions belong to the EL of each fetch: after an ERET to EL0 that stays in the
     * same page, the next fetch is checked against UXN (RAM is one EL1-only block). */
    exc_arm(1, FIX_NONE);
    resume_el1 = ADDR(k_eret_back);
    k_eret_el0(0x80000000);
    exc_expect(&(struct exc_want){"EL0 fetch in the EL1 page that ERET left (permission, level 2)",
                                  1, VEC_LOWER_A64, false, 0x8200000e, "k_eret_el0",
                                  ADDR(k_eret_el0), 16, 0x80000000, FAR_SYM, 16, NULL, 0});
    expect_value("EL1 ldr from the user code page (read-only at EL0 and EL1)",
                 *(volatile uint64_t *)(uintptr_t)uva(u_main),
                 *(const uint64_t *)(const void *)u_main);
}

static void ttbr1(void)
{
    static volatile uint64_t k_var = 0x1234567887654321ull;
    volatile uint64_t *high = (volatile uint64_t *)(uintptr_t)K_HIGH(ADDR(&k_var));
    expect_value("TTBR1: read a kernel variable at its high VA", *high, 0x1234567887654321ull);
    *high = 0xfedcba9889abcdefull;
    expect_value("TTBR1: write at the high VA, read at the low VA", k_var, 0xfedcba9889abcdefull);
    uint64_t (*fn)(void) = (uint64_t(*)(void))(uintptr_t)K_HIGH(ADDR(k_pc));
    expect_value("TTBR1: code fetched at the high VA sees its PC there", fn() == K_HIGH(ADDR(k_pc)),
                 1);
    exc_arm(1, FIX_SKIP);
    k_ldr(0x40000000, KBASE + 0x10);
    exc_expect(&(struct exc_want){"EL1 ldr from an unmapped TTBR1 VA (translation)", 1, VEC_CUR_SPX,
                                  false, 0x96000000 | DFSC_TTBR1_TRANSLATION, "k_ldr", ADDR(k_ldr),
                                  4, 0x40000000 | EL1H_MASKED, FAR_ABS, KBASE + 0x10, NULL, 0});
}

/* PAR_EL1 after an AT. Bits 10:9 (IMPLEMENTATION DEFINED and NS, which is UNKNOWN for a
 * Non-secure translation regime) are left out of the comparison and the print. */
#define PAR_MASK (~(3ull << 9))
#define AT(op, va)                                                                                 \
    ({                                                                                             \
        __asm__ volatile("at " #op ", %0\n\tisb" ::"r"((uint64_t)(va)) : "memory");                \
        MRS(par_el1) & PAR_MASK;                                                                   \
    })

/* A successful AT: ATTR in bits 63:56, the PA in 47:12, SH in 8:7, bit 11 RES1. */
#define PAR_OK(attr, pa, sh) ((uint64_t)(attr) << 56 | (pa) | (uint64_t)(sh) << 7 | 1ull << 11)
/* A failed AT: F = 1, FST in bits 6:1, bit 11 RES1. */
#define PAR_FAULT(fst) (1ull | (uint64_t)(fst) << 1 | 1ull << 11)

static void at(void)
{
    expect_value("AT S1E1R user data page", AT(s1e1r, U_VA(UP_DATA) + 0x123),
                 PAR_OK(0xff, PAGE_PA(UP_DATA), 3));
    expect_value("AT S1E0W user data page", AT(s1e0w, U_VA(UP_DATA)),
                 PAR_OK(0xff, PAGE_PA(UP_DATA), 3));
    expect_value("AT S1E1R EL1-only page", AT(s1e1r, U_VA(UP_KERNEL)),
                 PAR_OK(0xff, PAGE_PA(UP_KERNEL), 3));
    expect_value("AT S1E0R EL1-only page (permission, level 3)", AT(s1e0r, U_VA(UP_KERNEL)),
                 PAR_FAULT(0x0f));
    expect_value("AT S1E1W read-only page (permission, level 3)", AT(s1e1w, U_VA(UP_RO)),
                 PAR_FAULT(0x0f));
    expect_value("AT S1E0R read-only page", AT(s1e0r, U_VA(UP_RO)),
                 PAR_OK(0xff, PAGE_PA(UP_RO), 3));
    expect_value("AT S1E1R invalid level-3 entry (translation, level 3)", AT(s1e1r, U_VA(UP_HOLE)),
                 PAR_FAULT(0x07));
    expect_value("AT S1E1R no root-level entry (translation)", AT(s1e1r, FAR_VA),
                 PAR_FAULT(DFSC_ROOT_TRANSLATION));
    expect_value("AT S1E1R RAM block at its own VA", AT(s1e1r, PAGES + 0x5000),
                 PAR_OK(0xff, PAGES + 0x5000, 3));
    expect_value("AT S1E1R RAM at the high TTBR1 VA", AT(s1e1r, K_HIGH(PAGES) + 0x7000),
                 PAR_OK(0xff, PAGES + 0x7000, 3));
}

static void remap(void)
{
    /* A data page: read it (the TLB may now hold the entry), then break-before-make to
     * another PA with TLBI VAE1IS (by VA and ASID), and read the new contents. */
    volatile uint64_t *slot = pt_slot(&pt0, U_VA(UP_REMAP));
    expect_value("EL0 ldr from the remap page (A)", run_el0(u_load, U_VA(UP_REMAP) + 0x20),
                 0x8000000000000004ull);
    *slot = 0;
    __asm__ volatile(
        "dsb ishst\n\ttlbi vae1is, %0\n\tdsb ish" ::"r"(ASID << 48 | U_VA(UP_REMAP) >> 12)
        : "memory");
    *slot = pt_page_desc(&pt0, PA_REMAP_B, PTE_USER_DATA);
    __asm__ volatile("dsb ishst\n\tisb" ::: "memory");
    expect_value("EL0 ldr after remapping it to B and TLBI VAE1IS",
                 run_el0(u_load, U_VA(UP_REMAP) + 0x20), 0xa000000000000004ull);

    /* A code page: run program A, remap to program B with TLBI ASIDE1IS, run B. */
    slot = pt_slot(&pt0, U_VA(UP_RECODE));
    expect_value("EL0 code page runs program A",
                 lower_call((void (*)(uint64_t))(uintptr_t)U_VA(UP_RECODE), 0, 0), 0xa);
    *slot = 0;
    __asm__ volatile("dsb ishst\n\ttlbi aside1is, %0\n\tdsb ish" ::"r"(ASID << 48) : "memory");
    *slot = pt_page_desc(&pt0, PA_RECODE_B, PTE_USER_CODE);
    __asm__ volatile("dsb ishst\n\tisb" ::: "memory");
    expect_value("EL0 code page after remapping it and TLBI ASIDE1IS runs program B",
                 lower_call((void (*)(uint64_t))(uintptr_t)U_VA(UP_RECODE), 0, 0), 0xb);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    printf("%s: %lu KiB granule\n", GUEST_NAME, (unsigned long)(G / 1024));
    if (!granule_supported()) {
        printf("%s: ID_AA64MMFR0_EL1 does not advertise the granule\n", GUEST_NAME);
        guest_exit(1);
    }
    vectors_install_el1(handler);
    if (!build_tables()) {
        printf("%s: the table pool is too small\n", GUEST_NAME);
        guest_exit(1);
    }
    fill_pages();
    mmu_on();
    expect_value("SCTLR_EL1 after enabling the MMU", MRS(sctlr_el1), SCTLR_MMU_ON);

    printf("-- EL0 program\n");
    el0_program();
    printf("-- EL0 faults\n");
    el0_faults();
    printf("-- EL1 faults\n");
    el1_faults();
    printf("-- TTBR1\n");
    ttbr1();
    printf("-- AT\n");
    at();
    printf("-- TLBI\n");
    remap();
    guest_exit(exc_summary(GUEST_NAME));
}
