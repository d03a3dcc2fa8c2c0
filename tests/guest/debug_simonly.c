/*
 * Self-hosted debug that QEMU 7.2 does not model (so this guest is not in
 * the QEMU comparison): the OS Lock and the OS Double Lock gating
 * breakpoints, watchpoints and software step; unlinked context-ID
 * breakpoints, and context matching on a breakpoint that is not
 * context-aware; a watchpoint for EL0 hit by LDTR at EL1; a reserved
 * watchpoint MASK. Expected values are from the Arm ARM (D2); the
 * CONSTRAINED UNPREDICTABLE choices are those of docs/architecture.md.
 */
#include <stdint.h>

#include "debug_common.h"

#define EL0T 0x0ull

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

__asm__("\t.text\n" PROBE(
    e_bp) "\tmsr nzcv, xzr\n"
          "\tadd x0, x0, #1\n" /* +4: the breakpoints' address */
          "\tret\n" PROBE(e_str) "\tmsr nzcv, xzr\n"
                                 "\tstr x0, [x1]\n" /* +4 */
                                 "\tret\n" PROBE(e_ldtr) "\tmsr nzcv, xzr\n"
                                                         "\tldtr x0, [x1]\n" /* +4 */
                                                         "\tret\n" PROBE(e_exit) "\tsvc #0xff\n"
                                                                                 "\tb .\n");

uint64_t e_bp(void);
void e_str(uint64_t v, uint64_t addr);
uint64_t e_ldtr(uint64_t v, uint64_t addr);
void e_exit(uint64_t x0);

static volatile uint64_t wdata[4] __attribute__((aligned(16)));

/* The classes of the exceptions taken, in order. */
static unsigned ecs[8], nec;

static void handler(struct exc_frame *f)
{
    if (debug_el0_exit(f))
        return;
    exc_record(f);
    unsigned ec = ESR_EC(f->esr);
    if (nec < 8)
        ecs[nec++] = ec;
    debug_disarm(ec);
    if (ec == 0x32 || ec == 0x33) {
        wr_mdscr_el1(rd_mdscr_el1() & ~MDSCR_SS);
        f->spsr &= ~SPSR_SS;
    }
}

/* EL0: the breakpoint probe, then a store to wdata. */
static void el0_run(uint64_t arg)
{
    (void)arg;
    (void)e_bp();
    e_str(1, ADDR(wdata));
    e_exit(0);
}

static void arm_all(void)
{
    wr_mdscr_el1(MDSCR_MDE | MDSCR_SS);
    wr_bvr(0, ADDR(e_bp) + 4);
    wr_bcr(0, BCR_E | BCR_EL0 | BCR_BAS | BCR_BT(BT_ADDR));
    wr_wvr(0, ADDR(wdata));
    wr_wcr(0, WCR_E | WCR_EL0 | WCR_STORE | WCR_BAS(0xff));
}

/* Run el0_run with a breakpoint, a watchpoint and step all armed. */
static void run_armed(void)
{
    arm_all();
    exc_arm(1, FIX_NONE);
    lower_call(el0_run, 0, EL0T | SPSR_SS);
}

static void locks(void)
{
    run_armed();
    exc_expect_none("breakpoint, watchpoint and step with the OS Lock locked out of reset");
    wr_oslar(0);
    nec = 0;
    run_armed();
    /* Step first (el0_run's first instruction is stepped), then the
     * breakpoint, then the watchpoint. */
    exc_checks++;
    bool ok = nec == 3 && ecs[0] == 0x32 && ecs[1] == 0x30 && ecs[2] == 0x34;
    printf("OS Lock clear: %u exceptions, ECs", nec);
    for (unsigned i = 0; i < nec; i++)
        printf(" 0x%x", ecs[i]);
    printf(ok ? " ok\n" : " FAIL, expected 0x32 0x30 0x34\n");
    exc_failures += !ok;

    __asm__ volatile("msr osdlr_el1, %0\n\tisb" ::"r"(1ull));
    run_armed();
    exc_expect_none("OS Double Lock (OSDLR_EL1.DLK 1, DBGPRCR_EL1.CORENPDRQ 0)");
    __asm__ volatile("msr dbgprcr_el1, %0\n\tisb" ::"r"(1ull));
    wr_mdscr_el1(MDSCR_MDE);
    wr_wcr(0, 0);
    exc_arm(1, FIX_NONE);
    (void)lower_call(el0_run, 0, EL0T);
    exc_expect(&(struct exc_want){.name = "DLK 1 with CORENPDRQ 1: not double-locked",
                                  .el = 1,
                                  .vector = VEC_LOWER_A64,
                                  .esr = ESR_BP_LOWER,
                                  .sym = "e_bp",
                                  .base = ADDR(e_bp),
                                  .elr = 4,
                                  .spsr = EL0T});
    __asm__ volatile("msr osdlr_el1, xzr\n\tmsr dbgprcr_el1, xzr\n\tisb");
    debug_clear();
    wr_mdscr_el1(MDSCR_MDE);
}

static void context_id(void)
{
    wr_contextidr_el1(0x1234);
    wr_bvr(4, 0x1234);
    wr_bcr(4, BCR_E | BCR_EL0 | BCR_BAS | BCR_BT(BT_CTXID));
    exc_arm(1, FIX_NONE);
    (void)lower_call(el0_run, 0, EL0T);
    exc_expect(&(struct exc_want){.name = "unlinked context-ID breakpoint 4",
                                  .el = 1,
                                  .vector = VEC_LOWER_A64,
                                  .esr = ESR_BP_LOWER,
                                  .sym = "el0_run",
                                  .base = ADDR(el0_run),
                                  .elr = 0,
                                  .spsr = EL0T});
    wr_bcr(4, BCR_E | BCR_EL0 | BCR_BAS | BCR_BT(BT_CTXID));
    wr_contextidr_el1(0x99);
    exc_arm(1, FIX_NONE);
    (void)lower_call(el0_run, 0, EL0T);
    exc_expect_none("unlinked context-ID breakpoint 4, context differs");
    wr_bcr(4, 0);
    wr_contextidr_el1(0x1234);
    wr_bvr(0, 0x1234);
    wr_bcr(0, BCR_E | BCR_EL0 | BCR_BAS | BCR_BT(BT_CTXID));
    exc_arm(1, FIX_NONE);
    (void)lower_call(el0_run, 0, EL0T);
    exc_expect_none("context-ID type on breakpoint 0 (not context-aware): disabled");
    debug_clear();
    wr_contextidr_el1(0);
}

static void watchpoint_choices(void)
{
    wr_wvr(1, ADDR(wdata));
    wr_wcr(1, WCR_E | WCR_EL0 | WCR_LOAD | WCR_BAS(0xff));
    wr_mdscr_el1(MDSCR_MDE | MDSCR_KDE);
    exc_arm(1, FIX_NONE);
    __asm__ volatile("msr daifclr, #8");
    (void)e_ldtr(0, ADDR(wdata));
    __asm__ volatile("msr daifset, #8");
    exc_expect(&(struct exc_want){.name = "EL1 ldtr, watchpoint for EL0 loads (KDE, D clear)",
                                  .el = 1,
                                  .vector = VEC_CUR_SPX,
                                  .esr = ESR_WP_CUR,
                                  .sym = "e_ldtr",
                                  .base = ADDR(e_ldtr),
                                  .elr = 4,
                                  .spsr = EL1H_DAIF & ~SPSR_D,
                                  .far_kind = FAR_SYM,
                                  .far_sym = "wdata",
                                  .far_base = ADDR(wdata),
                                  .far = 0});
    wr_mdscr_el1(MDSCR_MDE);
    wr_wcr(2, WCR_E | WCR_EL0 | WCR_STORE | WCR_BAS(0xff) | WCR_MASK(1));
    wr_wvr(2, ADDR(wdata));
    exc_arm(1, FIX_NONE);
    (void)lower_call(el0_run, 0, EL0T);
    exc_expect_none("watchpoint with the reserved MASK 1: disabled");
    debug_clear();
}

int main(void)
{
    debug_el1_start(handler);
    locks();
    context_id();
    watchpoint_choices();
    return exc_summary("debug_simonly");
}
