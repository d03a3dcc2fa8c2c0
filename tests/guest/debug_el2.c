/*
 * Self-hosted debug with EL2 (a64sim --el 2; QEMU virt with
 * virtualization=on): a hypervisor at EL2 runs EL1 probes through
 * lower_call. Expected values are from the Arm ARM (D2, "Routing debug
 * exceptions", "Enabling debug exceptions"; MDCR_EL2); QEMU must agree.
 *
 * Checked: an EL1 breakpoint is not generated at EL1 without KDE, and
 * MDCR_EL2.TDE routes it to EL2 (EC 0x30); BRK from EL1 goes to EL1, and
 * with TDE to EL2; software step of EL1 with TDE is taken to EL2; EL2
 * debugs itself (EC 0x31) only with TDE, KDE and PSTATE.D clear;
 * MDCR_EL2.TDA traps MDSCR_EL1 and TDOSA traps OSLAR_EL1 (EC 0x18 with
 * the full ISS).
 */
#include <stdint.h>

#include "debug_common.h"

#define HCR_RW     (1ull << 31)
#define MDCR_TDE   (1ull << 8)
#define MDCR_TDA   (1ull << 9)
#define MDCR_TDOSA (1ull << 10)
#define BCR_HMC    (1ull << 13)
#define EL2H_DAIF  0x3c9ull
#define HVC_DONE   0x5a000f00ull /* HVC #0xF00: the EL1 probe ends */

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

__asm__("\t.text\n" PROBE(
    e_bp) "\tmsr nzcv, xzr\n"
          "\tadd x0, x0, #1\n" /* +4: the breakpoints' address */
          "\tret\n" PROBE(e_brk) "\tmsr nzcv, xzr\n"
                                 "\tbrk #0x9\n" /* +4 */
                                 "\tret\n" PROBE(
                                     e_mdscr) "\tmsr nzcv, xzr\n"
                                              "\tmrs x0, mdscr_el1\n" /* +4 */
                                              "\tret\n" PROBE(
                                                  e_oslar) "\tmsr nzcv, xzr\n"
                                                           "\tmsr oslar_el1, x0\n" /* +4 */
                                                           "\tret\n" PROBE(
                                                               e_seq) "\tmsr nzcv, xzr\n"
                                                                      "\tnop\n" /* +4 */
                                                                      "\tnop\n" /* +8 */
                                                                      "\thvc #0xf00\n"
                                                                      "\tb .\n" PROBE(
                                                                          e_done) "\thvc #0xf00\n"
                                                                                  "\tb .\n");

uint64_t e_bp(void);
void e_brk(void);
void e_mdscr(void);
void e_oslar(void);
void e_seq(uint64_t x0);
void e_done(void);

static uint64_t el1_stack[1024] __attribute__((aligned(16)));

static void disarm(unsigned ec)
{
    if (ec == 0x30 || ec == 0x31)
        for (unsigned n = 0; n < NBRP; n++)
            wr_bcr(n, rd_bcr(n) & ~BCR_E);
    if (ec == 0x32 || ec == 0x33)
        wr_mdscr_el1(rd_mdscr_el1() & ~MDSCR_SS);
}

static void handler_el2(struct exc_frame *f)
{
    if (f->vector == VEC_LOWER_A64 && f->esr == HVC_DONE) {
        lower_return(f, 0);
        return;
    }
    exc_record(f);
    disarm(ESR_EC(f->esr));
    if (ESR_EC(f->esr) == 0x32)
        f->spsr &= ~SPSR_SS;
    exc_apply_fixup(f);
}

static void handler_el1(struct exc_frame *f)
{
    exc_record(f);
    disarm(ESR_EC(f->esr));
    exc_apply_fixup(f);
}

/* EL1: run the probe in X0, then end the scenario. */
static void el1_run(uint64_t fn)
{
    ((void (*)(void))fn)();
    e_done();
}

static void at_el1(void (*fn)(void), unsigned el, enum fixup fix)
{
    exc_arm(el, fix);
    lower_call(el1_run, ADDR(fn), EL1H_DAIF);
}

static void wr_mdcr(uint64_t v)
{
    __asm__ volatile("msr mdcr_el2, %0\n\tisb" ::"r"(v));
}

static void probe_bp(void)
{
    (void)e_bp();
}

static void routing(void)
{
    wr_mdscr_el1(MDSCR_MDE);
    wr_bvr(0, ADDR(e_bp) + 4);
    wr_bcr(0, BCR_E | BCR_EL1 | BCR_BAS | BCR_BT(BT_ADDR));
    at_el1(probe_bp, 1, FIX_NONE);
    exc_expect_none("EL1 breakpoint, MDCR_EL2.TDE 0 and KDE 0");
    wr_mdcr(MDCR_TDE);
    at_el1(probe_bp, 2, FIX_NONE);
    exc_expect(&(struct exc_want){.name = "EL1 breakpoint, TDE 1",
                                  .el = 2,
                                  .vector = VEC_LOWER_A64,
                                  .esr = ESR_BP_LOWER,
                                  .sym = "e_bp",
                                  .base = ADDR(e_bp),
                                  .elr = 4,
                                  .spsr = EL1H_DAIF});
    wr_mdcr(0);
    at_el1(e_brk, 1, FIX_SKIP);
    exc_expect(&(struct exc_want){.name = "EL1 brk #9, TDE 0",
                                  .el = 1,
                                  .vector = VEC_CUR_SPX,
                                  .esr = 0xf2000009,
                                  .sym = "e_brk",
                                  .base = ADDR(e_brk),
                                  .elr = 4,
                                  .spsr = EL1H_DAIF});
    wr_mdcr(MDCR_TDE);
    at_el1(e_brk, 2, FIX_SKIP);
    exc_expect(&(struct exc_want){.name = "EL1 brk #9, TDE 1",
                                  .el = 2,
                                  .vector = VEC_LOWER_A64,
                                  .esr = 0xf2000009,
                                  .sym = "e_brk",
                                  .base = ADDR(e_brk),
                                  .elr = 4,
                                  .spsr = EL1H_DAIF});

    wr_mdscr_el1(MDSCR_SS);
    exc_arm(2, FIX_NONE);
    lower_call(e_seq, 0, EL1H_DAIF | SPSR_SS);
    exc_expect(&(struct exc_want){.name = "EL1 software step, TDE 1",
                                  .el = 2,
                                  .vector = VEC_LOWER_A64,
                                  .esr = ESR_STEP_LOWER | ESR_ISV,
                                  .sym = "e_seq",
                                  .base = ADDR(e_seq),
                                  .elr = 4,
                                  .spsr = EL1H_DAIF});
    wr_mdcr(0);
    wr_mdscr_el1(MDSCR_MDE);
}

static void el2_self(void)
{
    /* HMC 1, SSC 0b00, PMC 0b00: EL2 only. */
    wr_bvr(1, ADDR(e_bp) + 4);
    wr_bcr(1, BCR_E | BCR_HMC | BCR_BAS | BCR_BT(BT_ADDR));
    wr_mdscr_el1(MDSCR_MDE | MDSCR_KDE);
    exc_arm(2, FIX_NONE);
    __asm__ volatile("msr daifclr, #8");
    (void)e_bp();
    __asm__ volatile("msr daifset, #8");
    exc_expect_none("EL2 breakpoint with KDE 1, D 0, TDE 0");
    wr_mdcr(MDCR_TDE);
    exc_arm(2, FIX_NONE);
    (void)e_bp();
    exc_expect_none("EL2 breakpoint with TDE 1, KDE 1, D 1");
    exc_arm(2, FIX_NONE);
    __asm__ volatile("msr daifclr, #8");
    (void)e_bp();
    __asm__ volatile("msr daifset, #8");
    exc_expect(&(struct exc_want){.name = "EL2 breakpoint with TDE 1, KDE 1, D 0",
                                  .el = 2,
                                  .vector = VEC_CUR_SPX,
                                  .esr = ESR_BP_CUR,
                                  .sym = "e_bp",
                                  .base = ADDR(e_bp),
                                  .elr = 4,
                                  .spsr = EL2H_DAIF & ~SPSR_D});
    wr_mdcr(0);
    wr_mdscr_el1(MDSCR_MDE);
    debug_clear();
}

static void traps(void)
{
    wr_mdcr(MDCR_TDA);
    at_el1(e_mdscr, 2, FIX_SKIP);
    /* Op0 2, Op2 2, Op1 0, CRn 0, Rt 0, CRm 2, read. */
    exc_expect(&(struct exc_want){.name = "EL1 mrs mdscr_el1, MDCR_EL2.TDA 1",
                                  .el = 2,
                                  .vector = VEC_LOWER_A64,
                                  .esr = 0x62240005,
                                  .sym = "e_mdscr",
                                  .base = ADDR(e_mdscr),
                                  .elr = 4,
                                  .spsr = EL1H_DAIF});
    wr_mdcr(MDCR_TDOSA);
    at_el1(e_oslar, 2, FIX_SKIP);
    /* Op0 2, Op2 4, Op1 0, CRn 1, Rt 0, CRm 0, write. */
    exc_expect(&(struct exc_want){.name = "EL1 msr oslar_el1, MDCR_EL2.TDOSA 1",
                                  .el = 2,
                                  .vector = VEC_LOWER_A64,
                                  .esr = 0x62280400,
                                  .sym = "e_oslar",
                                  .base = ADDR(e_oslar),
                                  .elr = 4,
                                  .spsr = EL1H_DAIF});
    wr_mdcr(0);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el2(handler_el2);
    vectors_install_el1(handler_el1);
    __asm__ volatile("msr hcr_el2, %0\n\tisb" ::"r"(HCR_RW));
    __asm__ volatile("msr sp_el1, %0" ::"r"(ADDR(el1_stack + 1024)));
    wr_oslar(0);
    routing();
    el2_self();
    traps();
    return exc_summary("debug_el2");
}
