/*
 * Exception checks at EL1 (and EL0) on which QEMU 7.2's virt board departs
 * from the Arm ARM, so this guest runs under a64sim only (its output is not
 * compared with QEMU; see docs/testing.md):
 *
 *  - Alignment faults with the MMU off. With SCTLR_EL1.M = 0 every data
 *    access is to Device-nGnRnE memory, and an unaligned access to Device
 *    memory is an Alignment fault (DFSC 0b100001) whatever SCTLR.A says.
 *    QEMU 7.2 performs the access.
 *  - SP alignment faults. With SCTLR_EL1.SA (EL1) or SA0 (EL0) set, a load or
 *    store using SP as the base with SP not 16-byte aligned takes an SP
 *    alignment fault (EC 0x26). QEMU does not implement the check.
 *  - WFE trapped by SCTLR_EL1.nTWE = 0 at EL0 (EC 0x01, TI = 1). QEMU 7.2
 *    treats WFE as YIELD and never traps it.
 *  - HVC #1 without EL2 is UNDEFINED: the firmware serves only HVC #0, the
 *    SMCCC conduit. QEMU serves every HVC immediate as a PSCI call.
 */
#include <stdint.h>

#include "exc_common.h"

#define SCTLR_EL1_V  0x30d00818ull /* RES1 bits, SA0, SA: nTWI = nTWE = 0 */
#define ESR_SVC_EXIT 0x560000ffull
#define EL1H_MASKED  0x3c5u
#define EL1T_MASKED  0x3c4u
#define EL0T         0x000u

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

__asm__("\t.text\n"
        /* void s_ldr(uint64_t nzcv, uint64_t addr): LDR X2, [X1] at +4 */
        PROBE(s_ldr) "\tmsr nzcv, x0\n"
                     "\tldr x2, [x1]\n"
                     "\tret\n"
        /* void s_strh(uint64_t nzcv, uint64_t addr): STRH W2 (0xbeef), [X1] at +8 */
        PROBE(s_strh) "\tmsr nzcv, x0\n"
                      "\tmov w2, #0xbeef\n"
                      "\tstrh w2, [x1]\n"
                      "\tret\n"
        /* void s_ldr_sp(uint64_t nzcv, uint64_t sp): SP_EL0 selected and set to X1, LDR X2,
         * [SP] at +16 */
        PROBE(s_ldr_sp) "\tmsr nzcv, x0\n"
                        "\tmsr spsel, #0\n"
                        "\tmov x9, sp\n"
                        "\tmov sp, x1\n"
                        "\tldr x2, [sp]\n"
                        "\tmov sp, x9\n"
                        "\tmsr spsel, #1\n"
                        "\tret\n"
        /* void s_el0_ldr_sp(uint64_t nzcv, uint64_t sp): at EL0, LDR X2, [SP] at +12 */
        PROBE(s_el0_ldr_sp) "\tmsr nzcv, x0\n"
                            "\tmov x9, sp\n"
                            "\tmov sp, x1\n"
                            "\tldr x2, [sp]\n"
                            "\tmov sp, x9\n"
                            "\tret\n"
        /* void s_wfe(uint64_t nzcv): WFE at +4 */
        PROBE(s_wfe) "\tmsr nzcv, x0\n"
                     "\twfe\n"
                     "\tret\n"
        /* void s_hvc1(uint64_t nzcv): HVC #1 at +8, X0 = 0 */
        PROBE(s_hvc1) "\tmsr nzcv, x0\n"
                      "\tmov x0, #0\n"
                      "\thvc #1\n"
                      "\tret\n"
        /* void s_exit(uint64_t x0): back to the kernel */
        PROBE(s_exit) "\tsvc #0xff\n"
                      "\tb .\n");

void s_ldr(uint64_t nzcv, uint64_t addr);
void s_strh(uint64_t nzcv, uint64_t addr);
void s_ldr_sp(uint64_t nzcv, uint64_t sp);
void s_el0_ldr_sp(uint64_t nzcv, uint64_t sp);
void s_wfe(uint64_t nzcv);
void s_hvc1(uint64_t nzcv);
_Noreturn void s_exit(uint64_t x0);

static uint64_t buf[4] __attribute__((aligned(16)));
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

static void el1_checks(void)
{
    /* Alignment fault: EC 0x25, DFSC 0b100001, FAR = the address. */
    exc_arm(1, FIX_SKIP);
    s_ldr(0x60000000, ADDR(buf) + 4);
    exc_expect(&(struct exc_want){"ldr x at buf+4 (MMU off)", 1, VEC_CUR_SPX, false, 0x96000021,
                                  "s_ldr", ADDR(s_ldr), 4, 0x60000000 | EL1H_MASKED, FAR_SYM, 4,
                                  "buf", ADDR(buf)});
    exc_arm(1, FIX_SKIP);
    s_strh(0x20000000, ADDR(buf) + 7);
    exc_expect(&(struct exc_want){"strh at buf+7 (MMU off)", 1, VEC_CUR_SPX, false, 0x96000061,
                                  "s_strh", ADDR(s_strh), 8, 0x20000000 | EL1H_MASKED, FAR_SYM, 7,
                                  "buf", ADDR(buf)});
    expect_value("buf untouched by the faulting store", buf[0] | buf[1], 0);
    /* SP alignment fault: EC 0x26, ISS 0; with SP_EL0 selected, the SP_EL0 group. */
    exc_arm(1, FIX_SKIP);
    s_ldr_sp(0x80000000, ADDR(buf) + 8);
    exc_expect(&(struct exc_want){"ldr x, [sp] with SP_EL0 = buf+8", 1, VEC_CUR_SP0, false,
                                  0x9a000000, "s_ldr_sp", ADDR(s_ldr_sp), 16,
                                  0x80000000 | EL1T_MASKED, FAR_NONE, 0, NULL, 0});
    exc_arm(1, FIX_SKIP);
    s_hvc1(0x10000000);
    exc_expect(&(struct exc_want){"hvc #1 (no EL2)", 1, VEC_CUR_SPX, false, 0x02000000, "s_hvc1",
                                  ADDR(s_hvc1), 8, 0x10000000 | EL1H_MASKED, FAR_NONE, 0, NULL, 0});
}

static void el0_main(uint64_t arg)
{
    (void)arg;
    exc_arm(1, FIX_SKIP);
    s_ldr(0x40000000, ADDR(buf) + 2);
    exc_expect(&(struct exc_want){"EL0 ldr x at buf+2 (MMU off)", 1, VEC_LOWER_A64, false,
                                  0x92000021, "s_ldr", ADDR(s_ldr), 4, 0x40000000 | EL0T, FAR_SYM,
                                  2, "buf", ADDR(buf)});
    exc_arm(1, FIX_SKIP);
    s_el0_ldr_sp(0x20000000, ADDR(buf) + 4);
    exc_expect(&(struct exc_want){"EL0 ldr x, [sp] with SP = buf+4 (SA0 1)", 1, VEC_LOWER_A64,
                                  false, 0x9a000000, "s_el0_ldr_sp", ADDR(s_el0_ldr_sp), 12,
                                  0x20000000 | EL0T, FAR_NONE, 0, NULL, 0});
    /* WFE with SCTLR_EL1.nTWE = 0: EC 0x01, ISS CV 1, COND 0b1110, TI 1. */
    exc_arm(1, FIX_SKIP);
    s_wfe(0x90000000);
    exc_expect(&(struct exc_want){"EL0 wfe (nTWE 0)", 1, VEC_LOWER_A64, false, 0x07e00001, "s_wfe",
                                  ADDR(s_wfe), 4, 0x90000000 | EL0T, FAR_NONE, 0, NULL, 0});
    s_exit(0x5e);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el1(handler);
    __asm__ volatile("msr sctlr_el1, %0\n\tisb" ::"r"(SCTLR_EL1_V));
    el1_checks();
    __asm__ volatile("msr sp_el0, %0" ::"r"(ADDR(el0_stack + 1024)));
    expect_value("EL0 run", lower_call(el0_main, 0, EL0T), 0x5e);
    return exc_summary("exc_simonly");
}
