/*
 * VHE (FEAT_VHE, Arm ARM D5.x "Virtualization Host Extensions"): a host
 * kernel at EL2 with HCR_EL2.E2H = 1. Runs with a64sim --el 2 --cpu max and
 * QEMU -cpu max with virtualization=on (Cortex-A57 has no VHE).
 *
 *  - With E2H = 0 the _EL12 accessors are UNDEFINED at EL2 (mmu_vhe_simonly.c
 *    only: QEMU 7.2 lets them through).
 *  - With E2H = 1 an access at EL2 to an EL1 register name reaches the EL2
 *    register (MAIR_EL1 is MAIR_EL2, ...), the _EL12 names reach the EL1
 *    registers, and TTBR1_EL2 and CONTEXTIDR_EL2 exist.
 *  - With E2H = TGE = 1 the EL2&0 regime translates with two VA ranges:
 *    TCR_EL2 in the TCR_EL1 layout, TTBR0_EL2 and TTBR1_EL2, written here
 *    through their EL1 names. EL0 runs in it: its SVC and its data abort go
 *    to EL2 (ESR_EL2), the EL2-only RAM is a permission fault for EL0.
 *  - With E2H = 1 and TGE = 0 an EL1 guest runs with EL1 registers that the
 *    host set and reads back through the _EL12 accessors.
 *
 * System registers that binutils accepts only with -march=armv8.1-a are
 * written in their generic S<op0>_<op1>_C<n>_C<m>_<op2> form.
 */
#include <stdint.h>

#include "exc_common.h"
#include "exit.h"
#include "mem.h"
#include "mmu.h"

#ifndef GUEST_NAME
#define GUEST_NAME "mmu_vhe"
#endif

/* Encodings (Arm ARM D17): the _EL12 accessors have op1 = 5, the VHE EL2 registers op1 = 4. */
#define SCTLR_EL12      "S3_5_C1_C0_0"
#define TTBR0_EL12      "S3_5_C2_C0_0"
#define TCR_EL12        "S3_5_C2_C0_2"
#define SPSR_EL12       "S3_5_C4_C0_0"
#define ELR_EL12        "S3_5_C4_C0_1"
#define ESR_EL12        "S3_5_C5_C2_0"
#define MAIR_EL12       "S3_5_C10_C2_0"
#define VBAR_EL12       "S3_5_C12_C0_0"
#define CONTEXTIDR_EL12 "S3_5_C13_C0_1"
#define TTBR1_EL2       "S3_4_C2_C0_1"
#define CONTEXTIDR_EL2  "S3_4_C13_C0_1"

#define MRS(reg)                                                                                   \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("mrs %0, " reg : "=r"(v_)::"memory");                                     \
        v_;                                                                                        \
    })
#define MSR(reg, v) __asm__ volatile("msr " reg ", %0\n\tisb" ::"r"((uint64_t)(v)) : "memory")

#define HCR_TGE (1ull << 27)
#define HCR_RW  (1ull << 31)
#define HCR_E2H (1ull << 34)

#define G          4096ull
#define RAM_BASE   0x40000000ull
#define RAM_MAP    0x08000000ull
#define UART_BASE  0x09000000ull
#define POOL0      0x44000000ull
#define POOL1      0x44100000ull
#define POOL_SIZE  0x00100000ull
#define PAGES      0x44200000ull
#define U_CODE     0x1000000000ull /* EL0 code (a copy of the blob) */
#define U_DATA     0x1000001000ull
#define U_STACK    0x1000002000ull
#define HIGH       0xffffff8000000000ull /* TTBR1_EL2: HIGH + PA for RAM */
#define MAIR_VALUE 0x44ff00ull
#define PTE_RAM    (PTE_ATTRINDX(1) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define PTE_DEV    (PTE_ATTRINDX(0) | PTE_AF | PTE_UXN | PTE_PXN)
#define PTE_U_CODE                                                                                 \
    (PTE_ATTRINDX(1) | PTE_SH_INNER | PTE_AF | PTE_NG | PTE_AP_EL0 | PTE_AP_RO | PTE_PXN)
#define PTE_U_DATA                                                                                 \
    (PTE_ATTRINDX(1) | PTE_SH_INNER | PTE_AF | PTE_NG | PTE_AP_EL0 | PTE_UXN | PTE_PXN)
/* SCTLR_EL2 in the EL1 layout (E2H = 1): the Armv8.0 RES1 bits, M, C, SA, SA0, I, and ITD and SED,
 * which are RES1 on a PE without AArch32 at EL0 (a64sim) and writable on one with it (QEMU). */
#define SCTLR_HOST  0x30d0199dull
#define SCTLR_GUEST 0x30d00818ull /* EL1: stage 1 off */
#define EL2H_MASKED 0x3c9u
#define EL1H_MASKED 0x3c5u

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

// clang-format off
__asm__(
        "\t.text\n"
        /* v_mrs_tcr_el12(nzcv): MRS X1, TCR_EL12 at +4 */
        PROBE(v_mrs_tcr_el12)
        "\tmsr nzcv, x0\n"
        "\tmrs x1, " TCR_EL12 "\n"
        "\tret\n"
        /* The EL0 program, copied to U_CODE: u_svc at +0, u_load at +8. */
        "\t.balign 16\n"
        "u_blob:\n"
        /* u_svc(x): SVC #0x77 at +4 with X0 = x + 1, then exits with what the host returns */
        PROBE(u_svc)
        "\tadd x0, x0, #1\n"
        "\tsvc #0x77\n"
        "\tsvc #0\n"
        /* u_load(addr): LDR X1, [X0] at +0 */
        PROBE(u_load)
        "\tldr x1, [x0]\n"
        "\tmov x0, x1\n"
        "\tsvc #0\n"
        "\t.balign 16\n"
        "u_blob_end:\n"
        /* g_svc(): SVC #0x12 at +0 (EL1 guest) */
        PROBE(g_svc)
        "\tsvc #0x12\n"
        "\tret\n");
// clang-format on

void v_mrs_tcr_el12(uint64_t nzcv);
extern const char u_blob[], u_blob_end[], u_svc[], u_load[];
void g_svc(void);

static struct pt pt0, pt1;
static uint64_t el1_stack[512] __attribute__((aligned(16)));
static volatile uint64_t guest_seen[4];

static void write_hcr(uint64_t v)
{
    MSR("hcr_el2", v);
}

/* ---- EL2 ---- */

static uint64_t uva(const char *sym)
{
    return U_CODE + (uint64_t)(sym - u_blob);
}

static void handler_el2(struct exc_frame *f)
{
    unsigned ec = (unsigned)(f->esr >> 26);
    unsigned imm = (unsigned)(f->esr & 0xffff);
    if (f->vector == VEC_LOWER_A64 && ec == 0x15 && imm == 0) {
        lower_return(f, f->x[0]); /* EL0 exit */
        return;
    }
    if (f->vector == VEC_LOWER_A64 && ec == 0x16 && imm == 0x21) {
        /* The EL1 guest asks the host to look at its EL1 registers. */
        guest_seen[0] = MRS(ESR_EL12);
        guest_seen[1] = MRS(ELR_EL12);
        guest_seen[2] = MRS(VBAR_EL12);
        guest_seen[3] = MRS(SPSR_EL12);
        MSR(CONTEXTIDR_EL12, 0x55);
        return;
    }
    if (f->vector == VEC_LOWER_A64 && ec == 0x16 && imm == 0x2f) {
        lower_return(f, f->x[0]);
        return;
    }
    exc_record(f);
    if (f->vector == VEC_LOWER_A64 && ec == 0x15) {
        f->x[0] += 0x100; /* the host's answer to SVC #0x77 */
        return;
    }
    exc_apply_fixup(f);
}

static void e2h_off(void)
{
    write_hcr(HCR_RW);
#ifdef A64SIM_ONLY
    exc_arm(2, FIX_SKIP);
    v_mrs_tcr_el12(0x40000000);
    exc_expect(&(struct exc_want){"E2H 0: mrs tcr_el12 is UNDEFINED", 2, VEC_CUR_SPX, false,
                                  0x02000000, "v_mrs_tcr_el12", ADDR(v_mrs_tcr_el12), 4,
                                  0x40000000 | EL2H_MASKED, FAR_NONE, 0, NULL, 0});
#endif
    MSR("mair_el1", 0x1111111111111111ull);
    MSR("mair_el2", 0x2222222222222222ull);
    MSR("contextidr_el1", 0x77);
}

static void e2h_redirect(void)
{
    write_hcr(HCR_E2H | HCR_RW);
    expect_value("E2H 1: mrs mair_el1 reads MAIR_EL2", MRS("mair_el1"), 0x2222222222222222ull);
    expect_value("E2H 1: mrs mair_el12 reads MAIR_EL1", MRS(MAIR_EL12), 0x1111111111111111ull);
    MSR("mair_el1", 0x3333333333333333ull);
    MSR(MAIR_EL12, 0x4444444444444444ull);
    expect_value("E2H 1: msr mair_el1 wrote MAIR_EL2", MRS("mair_el2"), 0x3333333333333333ull);
    MSR("contextidr_el1", 0x1234);
    expect_value("E2H 1: msr contextidr_el1 wrote CONTEXTIDR_EL2", MRS(CONTEXTIDR_EL2), 0x1234);
    MSR("ttbr1_el1", 0x0005000044123000ull);
    expect_value("E2H 1: msr ttbr1_el1 wrote TTBR1_EL2", MRS(TTBR1_EL2), 0x0005000044123000ull);
    expect_value("E2H 1: vbar_el1 reads VBAR_EL2", MRS("vbar_el1") == MRS("vbar_el2"), 1);
    write_hcr(HCR_RW);
    expect_value("E2H 0: mair_el1 holds what msr mair_el12 wrote", MRS("mair_el1"),
                 0x4444444444444444ull);
    expect_value("E2H 0: contextidr_el1 untouched", MRS("contextidr_el1"), 0x77);
}

static bool build_tables(void)
{
    bool ok = pt_init(&pt0, G, 39, POOL0, POOL_SIZE) && pt_init(&pt1, G, 39, POOL1, POOL_SIZE);
    ok = ok && pt_map(&pt0, RAM_BASE, RAM_BASE, RAM_MAP, PTE_RAM, false);
    ok = ok && pt_map(&pt0, UART_BASE, UART_BASE, G, PTE_DEV, true);
    ok = ok && pt_map(&pt0, U_CODE, PAGES, G, PTE_U_CODE, true);
    ok = ok && pt_map(&pt0, U_DATA, PAGES + G, 2 * G, PTE_U_DATA, true);
    ok = ok && pt_map(&pt1, HIGH + RAM_BASE, RAM_BASE, RAM_MAP, PTE_RAM, false);
    memcpy((void *)(uintptr_t)PAGES, u_blob, (size_t)(u_blob_end - u_blob));
    *(volatile uint64_t *)(uintptr_t)(PAGES + G + 0x80) = 0xd00dfeedull;
    __asm__ volatile("dsb ish\n\tic iallu\n\tdsb ish\n\tisb" ::: "memory");
    return ok;
}

/* The EL2&0 regime, set up through the EL1 register names (E2H = 1 redirects them). */
static void host_mmu_on(void)
{
    uint64_t tcr = 25 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 25ull << 16 | 1ull << 24 |
                   1ull << 26 | 3ull << 28 | 2ull << 30 | 2ull << 32;
    write_hcr(HCR_E2H | HCR_TGE | HCR_RW);
    MSR("mair_el1", MAIR_VALUE);
    MSR("tcr_el1", tcr);
    MSR("ttbr0_el1", pt0.root | 1ull << 48);
    MSR("ttbr1_el1", pt1.root);
    __asm__ volatile("dsb ish\n\ttlbi alle2\n\tdsb ish\n\tisb" ::: "memory");
    MSR("sctlr_el1", SCTLR_HOST);
    expect_value("EL2&0: SCTLR_EL2 (written as SCTLR_EL1)", MRS("sctlr_el2"), SCTLR_HOST);
    static volatile uint64_t v = 0x600df00d;
    expect_value("EL2&0: read through TTBR1_EL2",
                 *(volatile uint64_t *)(uintptr_t)(HIGH + ADDR(&v)), 0x600df00d);
}

static uint64_t run_el0(const char *entry, uint64_t arg)
{
    MSR("sp_el0", U_STACK + G);
    return lower_call((void (*)(uint64_t))(uintptr_t)uva(entry), arg, 0);
}

static void host_el0(void)
{
    exc_arm(2, FIX_NONE);
    uint64_t r = run_el0(u_svc, 0x41);
    exc_expect(&(struct exc_want){"EL0 svc #0x77 under E2H TGE", 2, VEC_LOWER_A64, false,
                                  0x56000077, "u_svc", uva(u_svc), 8, 0, FAR_NONE, 0, NULL, 0});
    expect_value("EL0 got the host's answer", r, 0x142);
    expect_value("EL0 ldr from its data page", run_el0(u_load, U_DATA + 0x80), 0xd00dfeed);
    exc_arm(2, FIX_RETURN);
    run_el0(u_load, PAGES + 0x40);
    exc_expect(&(struct exc_want){"EL0 ldr from EL2-only RAM (permission, level 2)", 2,
                                  VEC_LOWER_A64, false, 0x9200000e, "u_load", uva(u_load), 0, 0,
                                  FAR_ABS, PAGES + 0x40, NULL, 0});
}

/* ---- an EL1 guest under E2H = 1, TGE = 0 ---- */

static void handler_el1(struct exc_frame *f)
{
    exc_record(f);
}

static void guest(uint64_t arg)
{
    (void)arg;
    vectors_install_el1(handler_el1);
    g_svc();
    __asm__ volatile("hvc #0x21" ::: "memory");
    uint64_t ctx;
    __asm__ volatile("mrs %0, contextidr_el1" : "=r"(ctx));
    register uint64_t x0 __asm__("x0") = ctx;
    __asm__ volatile("hvc #0x2f" : "+r"(x0) : : "memory");
    for (;;)
        ;
}

static void host_guest(void)
{
    write_hcr(HCR_E2H | HCR_RW);
    MSR(SCTLR_EL12, SCTLR_GUEST);
    MSR("sp_el1", ADDR(el1_stack + 512));
    exc_arm(1, FIX_NONE);
    uint64_t ctx = lower_call(guest, 0, EL1H_MASKED);
    expect_value("EL1 guest: svc #0x12 taken at EL1 (ESR_EL12)", guest_seen[0], 0x56000012);
    expect_value("EL1 guest: ELR_EL12 is after the svc", guest_seen[1] - ADDR(g_svc), 4);
    expect_value("EL1 guest: VBAR_EL12 is the EL1 table", guest_seen[2] & 0x7ff, 0);
    expect_value("EL1 guest: SPSR_EL12", guest_seen[3], EL1H_MASKED);
    expect_value("EL1 guest: contextidr_el1 reads what msr contextidr_el12 wrote", ctx, 0x55);
    expect_value("EL1 guest: exceptions taken at EL1", exc_rec[1].count - exc_seen[1], 1);
    write_hcr(HCR_E2H | HCR_TGE | HCR_RW);
}

static _Noreturn void power_off(void)
{
    if (exc_summary(GUEST_NAME))
        guest_exit(1);
    register uint64_t x0 __asm__("x0") = 0x84000008; /* PSCI SYSTEM_OFF */
    __asm__ volatile("smc #0" : "+r"(x0) : : "memory");
    guest_exit(1);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    if (MRS("CurrentEL") != 0x8 || ((MRS("id_aa64mmfr1_el1") >> 8) & 0xf) == 0) {
        printf(GUEST_NAME ": needs EL2 with FEAT_VHE (--el 2 --cpu max)\n");
        guest_exit(1);
    }
    vectors_install_el2(handler_el2);
    printf("-- E2H 0\n");
    e2h_off();
    printf("-- E2H 1: EL1 names reach EL2 registers, _EL12 names the EL1 ones\n");
    e2h_redirect();
    if (!build_tables()) {
        printf(GUEST_NAME ": the table pool is too small\n");
        guest_exit(1);
    }
    printf("-- E2H 1, TGE 1: the EL2&0 regime\n");
    host_mmu_on();
    host_el0();
    printf("-- E2H 1, TGE 0: an EL1 guest\n");
    host_guest();
    power_off();
}
