/*
 * An EL1 kernel and an EL0 program, MMU off (VA = PA, so EL0 runs the same
 * flat image). The kernel enters EL0 with ERET; every exception the EL0
 * program causes is taken to EL1 through the "lower EL, AArch64" group of
 * vectors (offset 0x400) with SPSR.M = EL0t, and the kernel returns to EL0.
 * The EL0 program ends with SVC #0xFF, after which the kernel resumes.
 *
 * SCTLR_EL1 is set to the Armv8.0 RES1 bits plus SA and SA0, so nTWI, nTWE
 * and UMA are 0: WFI and WFE at EL0 trap to EL1, and EL0 access to DAIF is
 * trapped. Expected values are from the Arm ARM; QEMU's virt board must print
 * the same (trapped WFE is checked in exc_simonly.c: QEMU 7.2 never traps WFE).
 */
#include <stdint.h>

#include "exc_common.h"

#define UNMAPPED     0x80000000ull
#define SCTLR_EL1_V  0x30d00818ull /* RES1 (29, 28, 23, 22, 20, 11), SA0, SA */
#define SCTLR_UMA    (1ull << 9)
#define ESR_SVC_EXIT 0x560000ffull

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

/* EL0 probes: X0 is the NZCV value to set; the instruction under test follows. */
__asm__(
    "\t.text\n"
    /* void e_svc(uint64_t nzcv): SVC #0x42 at +4 */
    PROBE(e_svc) "\tmsr nzcv, x0\n"
                 "\tsvc #0x42\n"
                 "\tret\n"
    /* void e_mrs_sctlr(uint64_t nzcv): MRS X1, SCTLR_EL1 at +4 */
    PROBE(e_mrs_sctlr) "\tmsr nzcv, x0\n"
                       "\tmrs x1, sctlr_el1\n"
                       "\tret\n"
    /* void e_mrs_currentel(uint64_t nzcv): MRS X1, CurrentEL at +4 */
    PROBE(e_mrs_currentel) "\tmsr nzcv, x0\n"
                           "\tmrs x1, CurrentEL\n"
                           "\tret\n"
    /* void e_mrs_daif(uint64_t nzcv): MRS X1, DAIF at +4 */
    PROBE(e_mrs_daif) "\tmsr nzcv, x0\n"
                      "\tmrs x1, daif\n"
                      "\tret\n"
    /* void e_msr_spsel(uint64_t nzcv): MSR SPSel, #1 at +4 */
    PROBE(e_msr_spsel) "\tmsr nzcv, x0\n"
                       "\tmsr spsel, #1\n"
                       "\tret\n"
    /* void e_msr_tpidrro(uint64_t nzcv): MSR TPIDRRO_EL0, X0 at +4 */
    PROBE(e_msr_tpidrro) "\tmsr nzcv, x0\n"
                         "\tmsr tpidrro_el0, x0\n"
                         "\tret\n"
    /* uint64_t e_mrs_tpidrro(void) */
    PROBE(e_mrs_tpidrro) "\tmrs x0, tpidrro_el0\n"
                         "\tret\n"
    /* uint64_t e_tpidr(uint64_t v): write TPIDR_EL0 and read it back */
    PROBE(e_tpidr) "\tmsr tpidr_el0, x0\n"
                   "\tmrs x0, tpidr_el0\n"
                   "\tret\n"
    /* void e_wfi(uint64_t nzcv): WFI at +4 */
    PROBE(e_wfi) "\tmsr nzcv, x0\n"
                 "\twfi\n"
                 "\tret\n"
    /* void e_udf(uint64_t nzcv): UDF #0x55 at +4 */
    PROBE(e_udf) "\tmsr nzcv, x0\n"
                 "\tudf #0x55\n"
                 "\tret\n"
    /* void e_brk(uint64_t nzcv): BRK #3 at +4 */
    PROBE(e_brk) "\tmsr nzcv, x0\n"
                 "\tbrk #3\n"
                 "\tret\n"
    /* void e_hvc(uint64_t nzcv): HVC #0 at +8, X0 = PSCI_VERSION */
    PROBE(e_hvc) "\tmsr nzcv, x0\n"
                 "\tmov x0, #0x84000000\n"
                 "\thvc #0\n"
                 "\tret\n"
    /* void e_smc(uint64_t nzcv): SMC #0 at +8, X0 = PSCI_VERSION */
    PROBE(e_smc) "\tmsr nzcv, x0\n"
                 "\tmov x0, #0x84000000\n"
                 "\tsmc #0\n"
                 "\tret\n"
    /* void e_eret(uint64_t nzcv): ERET at +4 */
    PROBE(e_eret) "\tmsr nzcv, x0\n"
                  "\teret\n"
                  "\tret\n"
    /* void e_ldr(uint64_t nzcv, uint64_t addr): LDR X2, [X1] at +4 */
    PROBE(e_ldr) "\tmsr nzcv, x0\n"
                 "\tldr x2, [x1]\n"
                 "\tret\n"
    /* void e_strh(uint64_t nzcv, uint64_t addr): STRH W0, [X1] at +4 */
    PROBE(e_strh) "\tmsr nzcv, x0\n"
                  "\tstrh w0, [x1]\n"
                  "\tret\n"
    /* void e_blr(uint64_t nzcv, uint64_t target): BLR X1 at +8 */
    PROBE(e_blr) "\tstp x29, x30, [sp, #-16]!\n"
                 "\tmsr nzcv, x0\n"
                 "\tblr x1\n"
                 "\tldp x29, x30, [sp], #16\n"
                 "\tret\n" PROBE(e_nop) "\tnop\n"
                                        "\tret\n"
    /* uint64_t e_daif_uma(void): reads DAIF, sets I, reads it again (X0 = first | second << 16) */
    PROBE(e_daif_uma) "\tmrs x1, daif\n"
                      "\tmsr daifset, #2\n"
                      "\tmrs x2, daif\n"
                      "\torr x0, x1, x2, lsl #16\n"
                      "\tret\n"
    /* void e_exit(uint64_t x0): back to the kernel, which returns X0 from lower_call */
    PROBE(e_exit) "\tsvc #0xff\n"
                  "\tb .\n");

void e_svc(uint64_t nzcv);
void e_mrs_sctlr(uint64_t nzcv);
void e_mrs_currentel(uint64_t nzcv);
void e_mrs_daif(uint64_t nzcv);
void e_msr_spsel(uint64_t nzcv);
void e_msr_tpidrro(uint64_t nzcv);
uint64_t e_mrs_tpidrro(void);
uint64_t e_tpidr(uint64_t v);
void e_wfi(uint64_t nzcv);
void e_udf(uint64_t nzcv);
void e_brk(uint64_t nzcv);
void e_hvc(uint64_t nzcv);
void e_smc(uint64_t nzcv);
void e_eret(uint64_t nzcv);
void e_ldr(uint64_t nzcv, uint64_t addr);
void e_strh(uint64_t nzcv, uint64_t addr);
void e_blr(uint64_t nzcv, uint64_t target);
void e_nop(void);
uint64_t e_daif_uma(void);
void e_exit(uint64_t x0);

static uint64_t el0_stack[1024] __attribute__((aligned(16)));

static void handler(struct exc_frame *f)
{
    if (f->vector == VEC_LOWER_A64 && f->esr == ESR_SVC_EXIT) {
        lower_return(f, f->x[0]);
        return;
    }
    exc_record(f);
    exc_apply_fixup(f);
}

/* SPSR of an exception from EL0: M = EL0t (0), and the EL0 program runs with DAIF clear. */
#define EL0T 0x0u

/* UNDEFINED at EL0: EL1 system registers, PSTATE.SP, HVC, SMC and ERET, and UDF. */
static void el0_undefined(void)
{
    static const struct {
        const char *name;
        void (*probe)(uint64_t);
        const char *sym;
        uint64_t at; /* offset of the instruction in the probe */
    } cases[] = {
        {"EL0 mrs sctlr_el1", e_mrs_sctlr, "e_mrs_sctlr", 4},
        {"EL0 mrs currentel", e_mrs_currentel, "e_mrs_currentel", 4},
        {"EL0 msr spsel, #1", e_msr_spsel, "e_msr_spsel", 4},
        {"EL0 msr tpidrro_el0", e_msr_tpidrro, "e_msr_tpidrro", 4},
        {"EL0 udf #0x55", e_udf, "e_udf", 4},
        {"EL0 hvc #0", e_hvc, "e_hvc", 8},
        {"EL0 smc #0", e_smc, "e_smc", 8},
        {"EL0 eret", e_eret, "e_eret", 4},
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t nzcv = (uint64_t)(i & 0xf) << 28;
        exc_arm(1, FIX_SKIP);
        cases[i].probe(nzcv);
        exc_expect(&(struct exc_want){cases[i].name, 1, VEC_LOWER_A64, false, 0x02000000,
                                      cases[i].sym, ADDR(cases[i].probe), cases[i].at, nzcv | EL0T,
                                      FAR_NONE, 0, NULL, 0});
    }
}

static void el0_main(uint64_t arg)
{
    printf("EL0: entered with X0 0x%lx\n", (unsigned long)arg);

    /* SVC: EC 0x15, the next instruction is the preferred return. */
    exc_arm(1, FIX_NONE);
    e_svc(0x60000000);
    exc_expect(&(struct exc_want){"EL0 svc #0x42", 1, VEC_LOWER_A64, false, 0x56000042, "e_svc",
                                  ADDR(e_svc), 8, 0x60000000 | EL0T, FAR_NONE, 0, NULL, 0});
    expect_value("DAIF in the handler", exc_rec[1].daif, 0x3c0);
    el0_undefined();

    /* MRS DAIF at EL0 with SCTLR_EL1.UMA = 0 is trapped, not UNDEFINED: EC 0x18, ISS =
     * Op0 3, Op2 1, Op1 3, CRn 4, Rt 1, CRm 2, Direction 1 (read) = 0x32d025. */
    exc_arm(1, FIX_SKIP);
    e_mrs_daif(0x10000000);
    exc_expect(&(struct exc_want){"EL0 mrs daif (UMA 0)", 1, VEC_LOWER_A64, false, 0x6232d025,
                                  "e_mrs_daif", ADDR(e_mrs_daif), 4, 0x10000000 | EL0T, FAR_NONE, 0,
                                  NULL, 0});

    /* TPIDR_EL0 is read/write at EL0; TPIDRRO_EL0 readable (the kernel wrote it). */
    exc_arm(1, FIX_SKIP);
    uint64_t t = e_tpidr(0x0123456789abcdefull);
    uint64_t ro = e_mrs_tpidrro();
    exc_expect_none("EL0 tpidr_el0 and tpidrro_el0 reads");
    expect_value("EL0 tpidr_el0", t, 0x0123456789abcdefull);
    expect_value("EL0 tpidrro_el0", ro, 0xfeedface);

    /* WFI with SCTLR_EL1.nTWI = 0: EC 0x01, ISS CV 1, COND 0b1110, TI 0; ELR = the WFI. */
    exc_arm(1, FIX_SKIP);
    e_wfi(0x20000000);
    exc_expect(&(struct exc_want){"EL0 wfi (nTWI 0)", 1, VEC_LOWER_A64, false, 0x07e00000, "e_wfi",
                                  ADDR(e_wfi), 4, 0x20000000 | EL0T, FAR_NONE, 0, NULL, 0});

    exc_arm(1, FIX_SKIP);
    e_brk(0x80000000);
    exc_expect(&(struct exc_want){"EL0 brk #3", 1, VEC_LOWER_A64, false, 0xf2000003, "e_brk",
                                  ADDR(e_brk), 4, 0x80000000 | EL0T, FAR_NONE, 0, NULL, 0});

    /* Aborts from a lower EL: data EC 0x24, instruction EC 0x20; PC alignment is EC 0x22 from
     * any EL. */
    exc_arm(1, FIX_SKIP);
    e_ldr(0x40000000, UNMAPPED + 0x10);
    exc_expect(&(struct exc_want){"EL0 ldr from unmapped", 1, VEC_LOWER_A64, false, 0x92000010,
                                  "e_ldr", ADDR(e_ldr), 4, 0x40000000 | EL0T, FAR_ABS,
                                  UNMAPPED + 0x10, NULL, 0});
    exc_arm(1, FIX_SKIP);
    e_strh(0x00000000, UNMAPPED + 0x22);
    exc_expect(&(struct exc_want){"EL0 strh to unmapped", 1, VEC_LOWER_A64, false, 0x92000050,
                                  "e_strh", ADDR(e_strh), 4, EL0T, FAR_ABS, UNMAPPED + 0x22, NULL,
                                  0});
    exc_arm(1, FIX_LR);
    e_blr(0x90000000, UNMAPPED);
    exc_expect(&(struct exc_want){"EL0 blr to unmapped", 1, VEC_LOWER_A64, false, 0x82000010, NULL,
                                  0, UNMAPPED, 0x90000000 | EL0T, FAR_ABS, UNMAPPED, NULL, 0});
    exc_arm(1, FIX_LR);
    e_blr(0x50000000, ADDR(e_nop) + 1);
    exc_expect(&(struct exc_want){"EL0 blr to e_nop+1", 1, VEC_LOWER_A64, false, 0x8a000000,
                                  "e_nop", ADDR(e_nop), 1, 0x50000000 | EL0T, FAR_SYM, 1, NULL, 0});

    printf("EL0: done\n");
    e_exit(arg + 1);
}

/* With SCTLR_EL1.UMA = 1, EL0 may read and write DAIF (entered with only F set). */
static void el0_uma(uint64_t arg)
{
    (void)arg;
    exc_arm(1, FIX_SKIP);
    uint64_t v = e_daif_uma();
    exc_expect_none("EL0 daif access (UMA 1)");
    expect_value("EL0 daif before and after msr daifset, #2", v, 0x40 | 0xc0 << 16);
    e_exit(0);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el1(handler);
    __asm__ volatile("msr sctlr_el1, %0\n\tisb" ::"r"(SCTLR_EL1_V));
    __asm__ volatile("msr tpidrro_el0, %0" ::"r"(0xfeedfaceull));
    __asm__ volatile("msr sp_el0, %0" ::"r"(ADDR(el0_stack + 1024)));

    /* SPSR 0: EL0t with D, A, I and F clear. */
    uint64_t r = lower_call(el0_main, 0xe10, EL0T);
    uint64_t el;
    __asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
    expect_value("back at EL1: CurrentEL", el, 0x4);
    expect_value("lower_call result (X0 of svc #0xff)", r, 0xe11);

    __asm__ volatile("msr sctlr_el1, %0\n\tisb" ::"r"(SCTLR_EL1_V | SCTLR_UMA));
    lower_call(el0_uma, 0, EL0T | 0x40);
    return exc_summary("exc_el0");
}
