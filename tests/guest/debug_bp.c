/*
 * Self-hosted debug: breakpoints and BRK. An EL1 kernel with the MMU off
 * programs the breakpoints and runs small EL0 probes through lower_call;
 * each debug exception is taken to EL1, whose handler disables every
 * breakpoint and returns to the instruction (which then runs). Expected
 * values are from the Arm ARM (D2, "Breakpoint exceptions"; ESR_ELx with
 * EC 0x30/0x31, IFSC 0x22); QEMU's virt board must print the same.
 *
 * Checked: the OS Lock is locked out of reset; an address breakpoint at
 * EL0; disabled, it does not fire; saved, cleared and restored as a
 * context switch would, it fires again; PMC selects the EL; MDSCR_EL1.MDE
 * gates it; an address breakpoint linked to a context-ID breakpoint; an
 * EL1 breakpoint fires only with MDSCR_EL1.KDE = 1 and PSTATE.D = 0; BRK
 * at EL0 and EL1 whatever the OS Lock; breakpoint registers past the
 * sixth are UNDEFINED. What QEMU 7.2 does not model (the OS Lock gating
 * breakpoints, unlinked context-ID breakpoints) is in debug_simonly.c.
 */
#include <stdint.h>

#include "debug_common.h"

#define EL0T 0x0ull

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

__asm__("\t.text\n"
        /* Every probe starts with NZCV = 0, so that SPSR is known. */
        /* uint64_t e_bp(void): the breakpoints are put on e_bp+4 */
        PROBE(e_bp) "\tmsr nzcv, xzr\n"
                    "\tadd x0, x0, #1\n"
                    "\tret\n"
        /* void e_brk(void): BRK #0x7 at +4 */
        PROBE(e_brk) "\tmsr nzcv, xzr\n"
                     "\tbrk #0x7\n"
                     "\tret\n"
        /* void e_bvr6(void), e_bcr15(void): MRS DBGBVR6_EL1, MSR DBGBCR15_EL1 at +4 */
        PROBE(e_bvr6) "\tmsr nzcv, xzr\n"
                      "\tmrs x0, s2_0_c0_c6_4\n"
                      "\tret\n" PROBE(e_bcr15) "\tmsr nzcv, xzr\n"
                                               "\tmsr s2_0_c0_c15_5, xzr\n"
                                               "\tret\n"
        /* void e_exit(uint64_t x0): back to the kernel */
        PROBE(e_exit) "\tsvc #0xff\n"
                      "\tb .\n");

uint64_t e_bp(void);
void e_brk(void);
void e_bvr6(void);
void e_bcr15(void);
void e_exit(uint64_t x0);

static void handler(struct exc_frame *f)
{
    if (debug_el0_exit(f))
        return;
    exc_record(f);
    debug_disarm(ESR_EC(f->esr));
    exc_apply_fixup(f);
}

static void el0_run(uint64_t fn)
{
    ((void (*)(void))fn)();
    e_exit(0);
}

/* Run FN at EL0, with the EL1 handler resuming as FIX says. */
static void at_el0(void (*fn)(void), enum fixup fix)
{
    exc_arm(1, fix);
    lower_call(el0_run, ADDR(fn), EL0T);
}

static void probe_bp(void)
{
    (void)e_bp();
}

static void el0_bp_taken(const char *name)
{
    at_el0(probe_bp, FIX_NONE);
    exc_expect(&(struct exc_want){.name = name,
                                  .el = 1,
                                  .vector = VEC_LOWER_A64,
                                  .esr = ESR_BP_LOWER,
                                  .sym = "e_bp",
                                  .base = ADDR(e_bp),
                                  .elr = 4,
                                  .spsr = EL0T});
}

static void el0_bp_not_taken(const char *name)
{
    at_el0(probe_bp, FIX_NONE);
    exc_expect_none(name);
}

static void set_bp(unsigned n, uint64_t bvr, uint64_t bcr)
{
    wr_bvr(n, bvr);
    wr_bcr(n, bcr);
}

static void address_breakpoints(void)
{
    expect_value("OSLSR_EL1 out of reset (OSLM 0b10, OSLK 1)", rd_oslsr(), 0xa);
    wr_oslar(0);
    expect_value("OSLSR_EL1 after OSLAR_EL1 = 0", rd_oslsr(), 0x8);
    wr_mdscr_el1(MDSCR_MDE);
    set_bp(0, ADDR(e_bp) + 4, BCR_E | BCR_EL0 | BCR_BAS | BCR_BT(BT_ADDR));
    el0_bp_taken("EL0 breakpoint 0 on e_bp+4");
    el0_bp_not_taken("EL0 breakpoint 0 disabled by the handler");

    set_bp(3, ADDR(e_bp) + 4, BCR_E | BCR_EL0 | BCR_BAS | BCR_BT(BT_ADDR));
    struct debug_context saved = {0};
    debug_save(&saved);
    debug_clear();
    el0_bp_not_taken("EL0 breakpoint 3 saved and cleared");
    debug_restore(&saved);
    el0_bp_taken("EL0 breakpoint 3 restored");

    set_bp(5, ADDR(e_bp) + 4, BCR_E | BCR_EL1 | BCR_BAS | BCR_BT(BT_ADDR));
    el0_bp_not_taken("EL0 with breakpoint 5 for EL1 only (PMC 0b01)");
    wr_bcr(5, 0);

    wr_mdscr_el1(0);
    set_bp(1, ADDR(e_bp) + 4, BCR_E | BCR_EL0 | BCR_BAS | BCR_BT(BT_ADDR));
    el0_bp_not_taken("EL0 breakpoint with MDSCR_EL1.MDE 0");
    wr_bcr(1, 0);
    wr_mdscr_el1(MDSCR_MDE);
}

/* Breakpoints 4 and 5 are the context-aware ones. */
static void context_breakpoints(void)
{
    wr_contextidr_el1(0x1234);
    /* Address breakpoint 1 linked to context breakpoint 4. */
    set_bp(4, 0x1234, BCR_E | BCR_EL0 | BCR_BAS | BCR_BT(BT_CTXID_LINK));
    set_bp(1, ADDR(e_bp) + 4, BCR_E | BCR_EL0 | BCR_BAS | BCR_LBN(4) | BCR_BT(BT_ADDR_LINK));
    el0_bp_taken("EL0 breakpoint 1 linked to context breakpoint 4, context matches");
    wr_contextidr_el1(0x99);
    set_bp(4, 0x1234, BCR_E | BCR_EL0 | BCR_BAS | BCR_BT(BT_CTXID_LINK));
    set_bp(1, ADDR(e_bp) + 4, BCR_E | BCR_EL0 | BCR_BAS | BCR_LBN(4) | BCR_BT(BT_ADDR_LINK));
    el0_bp_not_taken("EL0 breakpoint 1 linked to context breakpoint 4, context differs");
    debug_clear();
    wr_contextidr_el1(0);
}

static void el1_breakpoints(void)
{
    set_bp(2, ADDR(e_bp) + 4, BCR_E | BCR_EL1 | BCR_BAS | BCR_BT(BT_ADDR));
    exc_arm(1, FIX_NONE);
    (void)e_bp();
    exc_expect_none("EL1 breakpoint with MDSCR_EL1.KDE 0");

    wr_mdscr_el1(MDSCR_MDE | MDSCR_KDE);
    exc_arm(1, FIX_NONE);
    (void)e_bp();
    exc_expect_none("EL1 breakpoint with KDE 1 and PSTATE.D 1");

    exc_arm(1, FIX_NONE);
    __asm__ volatile("msr daifclr, #8");
    (void)e_bp();
    __asm__ volatile("msr daifset, #8");
    exc_expect(&(struct exc_want){.name = "EL1 breakpoint with KDE 1 and PSTATE.D 0",
                                  .el = 1,
                                  .vector = VEC_CUR_SPX,
                                  .esr = ESR_BP_CUR,
                                  .sym = "e_bp",
                                  .base = ADDR(e_bp),
                                  .elr = 4,
                                  .spsr = EL1H_DAIF & ~SPSR_D});
    wr_mdscr_el1(MDSCR_MDE);
    debug_clear();
}

static void brk(void)
{
    /* BRK is not a debug event of MDSCR_EL1 or the OS Lock: it always
     * generates its exception. */
    wr_oslar(1);
    wr_mdscr_el1(0);
    at_el0(e_brk, FIX_SKIP);
    exc_expect(&(struct exc_want){.name = "EL0 brk #7 with the OS Lock locked",
                                  .el = 1,
                                  .vector = VEC_LOWER_A64,
                                  .esr = 0xf2000007,
                                  .sym = "e_brk",
                                  .base = ADDR(e_brk),
                                  .elr = 4,
                                  .spsr = EL0T});
    exc_arm(1, FIX_SKIP);
    e_brk();
    exc_expect(&(struct exc_want){.name = "EL1 brk #7",
                                  .el = 1,
                                  .vector = VEC_CUR_SPX,
                                  .esr = 0xf2000007,
                                  .sym = "e_brk",
                                  .base = ADDR(e_brk),
                                  .elr = 4,
                                  .spsr = EL1H_DAIF});
    wr_oslar(0);
}

static void missing_comparators(void)
{
    exc_arm(1, FIX_SKIP);
    e_bvr6();
    expect_undef_el1("mrs DBGBVR6_EL1 (six breakpoints)", "e_bvr6", ADDR(e_bvr6));
    exc_arm(1, FIX_SKIP);
    e_bcr15();
    expect_undef_el1("msr DBGBCR15_EL1", "e_bcr15", ADDR(e_bcr15));
}

int main(void)
{
    debug_el1_start(handler);
    address_breakpoints();
    context_breakpoints();
    el1_breakpoints();
    brk();
    missing_comparators();
    return exc_summary("debug_bp");
}
