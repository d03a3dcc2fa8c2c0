/*
 * Exception checks with EL2 (a64sim --el 2) on which QEMU 7.2 departs from
 * the Arm ARM, so this guest runs under
 * a64sim only (see docs/testing.md):
 *
 *  - WFE at EL1 with HCR_EL2.TWE traps to EL2 (EC 0x01, TI = 1). QEMU 7.2
 *    treats WFE as YIELD and never traps it.
 *  - SMC #1 at EL2 is UNDEFINED (no EL3; the firmware serves only SMC #0,
 *    the SMCCC conduit). QEMU serves every SMC immediate as a PSCI call.
 *
 * And one where the two PEs legitimately differ: a64sim implements no
 * AArch32 (ID_AA64PFR0_EL1.EL1 = 0b0001), so HCR_EL2.RW is RAO/WI and an
 * AArch32 EL1 cannot be asked for; QEMU's Cortex-A57 has AArch32 at EL1, a
 * writable RW, and takes ERET to EL1 with RW = 0 as an illegal return.
 */
#include <stdint.h>

#include "exc_common.h"
#include "exit.h"

#define HCR_TWE     (1ull << 14)
#define HCR_RW      (1ull << 31)
#define EL2H_MASKED 0x3c9u
#define EL1H_MASKED 0x3c5u
#define HC_DONE     0xfff

#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008ull

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

__asm__("\t.text\n"
        /* void t_wfe(uint64_t nzcv): WFE at +4 */
        PROBE(t_wfe) "\tmsr nzcv, x0\n"
                     "\twfe\n"
                     "\tret\n"
        /* void t_smc1(uint64_t nzcv): SMC #1 at +12, X0 = PSCI SYSTEM_OFF */
        PROBE(t_smc1) "\tmsr nzcv, x0\n"
                      "\tmov x0, #0x8\n"
                      "\tmovk x0, #0x8400, lsl #16\n"
                      "\tsmc #1\n"
                      "\tret\n"
        /* void t_ldr(uint64_t nzcv, uint64_t addr): LDR X2, [X1] at +4 */
        PROBE(t_ldr) "\tmsr nzcv, x0\n"
                     "\tldr x2, [x1]\n"
                     "\tret\n" PROBE(t_done_hvc) "\thvc #0xfff\n"
                                                 "\tb .\n" PROBE(t_done_svc) "\tsvc #0xfff\n"
                                                                             "\tb .\n");

void t_wfe(uint64_t nzcv);
void t_smc1(uint64_t nzcv);
_Noreturn void t_done_hvc(uint64_t x0);

static uint64_t el1_stack[1024] __attribute__((aligned(16)));

static void write_hcr(uint64_t v)
{
    __asm__ volatile("msr hcr_el2, %0\n\tisb" ::"r"(v) : "memory");
}

static void handler_el2(struct exc_frame *f)
{
    unsigned ec = (unsigned)(f->esr >> 26);
    bool done = ec == 0x16 && (f->esr & 0xffff) == HC_DONE;
    if (f->vector == VEC_LOWER_A64 && done) {
        lower_return(f, f->x[0]);
        return;
    }
    exc_record(f);
    exc_apply_fixup(f);
}

static uint64_t run_lower(void (*fn)(uint64_t), uint64_t hcr, uint64_t spsr)
{
    write_hcr(hcr);
    __asm__ volatile("msr sp_el1, %0" ::"r"(ADDR(el1_stack + 1024)));
    uint64_t r = lower_call(fn, 0, spsr);
    write_hcr(HCR_RW);
    return r;
}

/* HCR_EL2.TWE: WFE at EL1 traps to EL2, ISS CV 1, COND 0b1110, TI 1. */
static void el1_twe(uint64_t arg)
{
    (void)arg;
    exc_arm(2, FIX_SKIP);
    t_wfe(0x60000000);
    exc_expect(&(struct exc_want){"EL1 wfe, TWE 1", 2, VEC_LOWER_A64, false, 0x07e00001, "t_wfe",
                                  ADDR(t_wfe), 4, 0x60000000 | EL1H_MASKED, FAR_NONE, 0, NULL, 0});
    t_done_hvc(0x1e);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el2(handler_el2);
    write_hcr(HCR_RW);

    exc_arm(2, FIX_SKIP);
    t_smc1(0x40000000);
    exc_expect(&(struct exc_want){"EL2 smc #1", 2, VEC_CUR_SPX, false, 0x02000000, "t_smc1",
                                  ADDR(t_smc1), 12, 0x40000000 | EL2H_MASKED, FAR_NONE, 0, NULL,
                                  0});
    expect_value("EL1 run", run_lower(el1_twe, HCR_RW | HCR_TWE, EL1H_MASKED), 0x1e);

    uint64_t hcr;
    write_hcr(0);
    __asm__ volatile("mrs %0, hcr_el2" : "=r"(hcr));
    write_hcr(HCR_RW);
    expect_value("HCR_EL2 after writing 0 (RW is RAO/WI)", hcr, HCR_RW);

    if (exc_summary("exc_el2_simonly"))
        guest_exit(1);
    register uint64_t x0 __asm__("x0") = PSCI_0_2_FN_SYSTEM_OFF;
    __asm__ volatile("smc #0" : "+r"(x0) : : "memory");
    guest_exit(2);
}
