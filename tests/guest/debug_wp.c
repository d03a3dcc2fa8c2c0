/*
 * Self-hosted debug: watchpoints. An EL1 kernel with the MMU off programs
 * the watchpoints and runs loads and stores at EL0 (and at EL1 with
 * MDSCR_EL1.KDE); each watchpoint exception is taken to EL1, whose
 * handler disables every watchpoint and returns to the access, which then
 * happens. Expected values are from the Arm ARM (D2, "Watchpoint
 * exceptions"; ESR_ELx with EC 0x34/0x35, WnR, DFSC 0x22; FAR an address
 * the access touches inside the watched range, here the lowest one);
 * QEMU's virt board must print the same.
 *
 * Checked: a doubleword watched for stores, and loads do not hit it; BAS
 * selecting three bytes that start at an odd address (the bytes beside
 * them do not hit); a 256-byte MASK range; the watchpoint saved, cleared
 * and restored as a context switch would; an EL1 watchpoint with KDE and
 * PSTATE.D clear; watchpoint registers past the fourth are UNDEFINED.
 */
#include <stdint.h>

#include "debug_common.h"

#define EL0T 0x0ull

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

/* Each probe: X1 is the address; NZCV = 0 first, so that SPSR is known;
 * the access is at +4. */
__asm__("\t.text\n" PROBE(
    e_str) "\tmsr nzcv, xzr\n"
           "\tstr x0, [x1]\n"
           "\tret\n" PROBE(
               e_strh) "\tmsr nzcv, xzr\n"
                       "\tstrh w0, [x1]\n"
                       "\tret\n" PROBE(
                           e_strb) "\tmsr nzcv, xzr\n"
                                   "\tstrb w0, [x1]\n"
                                   "\tret\n" PROBE(
                                       e_ldr) "\tmsr nzcv, xzr\n"
                                              "\tldr x0, [x1]\n"
                                              "\tret\n" PROBE(
                                                  e_ldrb) "\tmsr nzcv, xzr\n"
                                                          "\tldrb w0, [x1]\n"
                                                          "\tret\n" PROBE(
                                                              e_wvr4) "\tmsr nzcv, xzr\n"
                                                                      "\tmrs x0, s2_0_c0_c4_6\n" /* DBGWVR4_EL1 */
                                                                      "\tret\n" PROBE(
                                                                          e_exit) "\tsvc #0xff\n"
                                                                                  "\tb .\n");

void e_str(uint64_t v, uint64_t addr);
void e_strh(uint64_t v, uint64_t addr);
void e_strb(uint64_t v, uint64_t addr);
void e_ldr(uint64_t v, uint64_t addr);
void e_ldrb(uint64_t v, uint64_t addr);
void e_wvr4(void);
void e_exit(uint64_t x0);

/* The watched data: 512 bytes, 256-aligned for the MASK test. */
static volatile uint8_t wdata[512] __attribute__((aligned(256)));

static void handler(struct exc_frame *f)
{
    if (debug_el0_exit(f))
        return;
    exc_record(f);
    debug_disarm(ESR_EC(f->esr));
    exc_apply_fixup(f);
}

typedef void (*access_fn)(uint64_t v, uint64_t addr);

struct el0_access {
    access_fn fn;
    uint64_t addr;
};
static struct el0_access pending;

static void el0_run(uint64_t arg)
{
    (void)arg;
    pending.fn(0x5a5a5a5a5a5a5a5aull, pending.addr);
    e_exit(0);
}

static void el0_access(access_fn fn, uint64_t addr)
{
    pending = (struct el0_access){fn, addr};
    exc_arm(1, FIX_NONE);
    lower_call(el0_run, 0, EL0T);
}

static void expect_wp(const char *name, const char *sym, uint64_t base, bool write, uint64_t far)
{
    exc_expect(&(struct exc_want){.name = name,
                                  .el = 1,
                                  .vector = VEC_LOWER_A64,
                                  .esr = ESR_WP_LOWER | (write ? ESR_WNR : 0),
                                  .sym = sym,
                                  .base = base,
                                  .elr = 4,
                                  .spsr = EL0T,
                                  .far_kind = FAR_SYM,
                                  .far_sym = "wdata",
                                  .far_base = ADDR(wdata),
                                  .far = far});
}

static void set_wp(unsigned n, uint64_t wvr, uint64_t wcr)
{
    wr_wvr(n, wvr);
    wr_wcr(n, wcr);
}

static void doubleword(void)
{
    uint64_t a = ADDR(wdata);
    set_wp(0, a, WCR_E | WCR_EL0 | WCR_STORE | WCR_BAS(0xff));
    el0_access(e_ldr, a);
    exc_expect_none("EL0 ldr from a doubleword watched for stores");
    el0_access(e_str, a);
    expect_wp("EL0 str to wdata+0 (watchpoint 0, stores)", "e_str", ADDR(e_str), true, 0);
    expect_value("the store happened after the handler returned", *(volatile uint64_t *)wdata,
                 0x5a5a5a5a5a5a5a5aull);
    el0_access(e_str, a);
    exc_expect_none("EL0 str with watchpoint 0 disabled by the handler");
}

static void byte_select(void)
{
    /* BAS 0b00111000: bytes 3, 4 and 5 of the doubleword at wdata+8. */
    uint64_t a = ADDR(wdata) + 8;
    uint64_t wcr = WCR_E | WCR_EL0 | WCR_LOAD | WCR_STORE | WCR_BAS(0x38);
    set_wp(1, a, wcr);
    el0_access(e_strb, a + 2);
    exc_expect_none("EL0 strb to wdata+10 (below the range)");
    el0_access(e_strb, a + 6);
    exc_expect_none("EL0 strb to wdata+14 (above the range)");
    el0_access(e_strh, a + 2);
    expect_wp("EL0 strh to wdata+10 (bytes 10-11, BAS 0x38)", "e_strh", ADDR(e_strh), true, 11);
    set_wp(1, a, wcr);
    el0_access(e_ldr, a);
    expect_wp("EL0 ldr from wdata+8 (BAS 0x38)", "e_ldr", ADDR(e_ldr), false, 11);
    set_wp(1, a, wcr);
    el0_access(e_ldrb, a + 5);
    expect_wp("EL0 ldrb from wdata+13 (BAS 0x38)", "e_ldrb", ADDR(e_ldrb), false, 13);
    wr_wcr(1, 0);
}

static void mask_range(void)
{
    /* MASK 8: the 256 bytes at wdata, whatever BAS says (0xff here). */
    uint64_t a = ADDR(wdata);
    uint64_t wcr = WCR_E | WCR_EL0 | WCR_LOAD | WCR_BAS(0xff) | WCR_MASK(8);
    set_wp(2, a, wcr);
    el0_access(e_ldr, a + 0x100);
    exc_expect_none("EL0 ldr from wdata+0x100 (past the 256-byte MASK range)");
    el0_access(e_ldrb, a + 0xff);
    expect_wp("EL0 ldrb from wdata+0xff (MASK 8)", "e_ldrb", ADDR(e_ldrb), false, 0xff);
    set_wp(2, a, wcr);
    el0_access(e_ldr, a + 0x80);
    expect_wp("EL0 ldr from wdata+0x80 (MASK 8)", "e_ldr", ADDR(e_ldr), false, 0x80);

    set_wp(2, a, wcr);
    struct debug_context saved = {0};
    debug_save(&saved);
    debug_clear();
    el0_access(e_ldr, a + 0x80);
    exc_expect_none("EL0 ldr with watchpoint 2 saved and cleared");
    debug_restore(&saved);
    el0_access(e_ldr, a + 0x80);
    expect_wp("EL0 ldr with watchpoint 2 restored", "e_ldr", ADDR(e_ldr), false, 0x80);
}

static void el1_watchpoint(void)
{
    uint64_t a = ADDR(wdata) + 0x40;
    set_wp(3, a, WCR_E | WCR_EL1 | WCR_STORE | WCR_BAS(0xff));
    exc_arm(1, FIX_NONE);
    e_str(1, a);
    exc_expect_none("EL1 str with MDSCR_EL1.KDE 0");
    wr_mdscr_el1(MDSCR_MDE | MDSCR_KDE);
    exc_arm(1, FIX_NONE);
    __asm__ volatile("msr daifclr, #8");
    e_str(2, a);
    __asm__ volatile("msr daifset, #8");
    exc_expect(&(struct exc_want){.name = "EL1 str with KDE 1 and PSTATE.D 0",
                                  .el = 1,
                                  .vector = VEC_CUR_SPX,
                                  .esr = ESR_WP_CUR | ESR_WNR,
                                  .sym = "e_str",
                                  .base = ADDR(e_str),
                                  .elr = 4,
                                  .spsr = EL1H_DAIF & ~SPSR_D,
                                  .far_kind = FAR_SYM,
                                  .far_sym = "wdata",
                                  .far_base = ADDR(wdata),
                                  .far = 0x40});
    wr_mdscr_el1(MDSCR_MDE);
    debug_clear();
}

static void missing_comparators(void)
{
    exc_arm(1, FIX_SKIP);
    e_wvr4();
    expect_undef_el1("mrs DBGWVR4_EL1 (four watchpoints)", "e_wvr4", ADDR(e_wvr4));
}

int main(void)
{
    debug_el1_start(handler);
    wr_oslar(0);
    wr_mdscr_el1(MDSCR_MDE);
    doubleword();
    byte_select();
    mask_range();
    el1_watchpoint();
    missing_comparators();
    return exc_summary("debug_wp");
}
