/*
 * The EL2 controls of the EL1 physical counter and timer, CNTHCTL_EL2 with
 * HCR_EL2.E2H = 0 (Arm ARM, the CNTHCTL_EL2 register page), and how they
 * combine with CNTKCTL_EL1 for EL0. The guest starts at EL2 (a64sim --el 2;
 * QEMU virt with virtualization=on), keeps HCR_EL2.{E2H, TGE} = {0, 0}, and
 * runs every probe at EL1, then at EL0, checking:
 *
 *  - EL1PCTEN (bit 0) = 0 traps EL1 and EL0 reads of CNTPCT_EL0 to EL2;
 *    EL1PCEN (bit 1) = 0 traps EL1 and EL0 accesses to CNTP_CTL_EL0,
 *    CNTP_CVAL_EL0 and CNTP_TVAL_EL0, reads and writes; both with EC 0x18,
 *    IL 1, the ISS of the MRS/MSR and ELR at the instruction, and a trapped
 *    write changes nothing. CNTVCT_EL0, CNTV_* and CNTFRQ_EL0 have no EL2
 *    control here (no FEAT_ECV): never trapped;
 *  - at EL0, CNTKCTL_EL1 is checked first: an access it disables goes to
 *    EL1 (HCR_EL2.TGE = 0), even when CNTHCTL_EL2 disables it too; one it
 *    allows but CNTHCTL_EL2 disables goes to EL2;
 *  - an untrapped access behaves (counts between EL2's reads, CVAL and CTL
 *    round trips, TVAL = CVAL - count);
 *  - CNTFRQ_EL0 is writable only at the highest implemented EL, now EL2: a
 *    write at EL1 is UNDEFINED (EC 0, taken to EL1), a write at EL2 sticks.
 *
 * Only timing-independent facts are printed, so QEMU and a64sim agree.
 */
#include <stdbool.h>
#include <stdint.h>

#include "exit.h"
#include "printf.h"
#include "vectors.h"

#define ADDR(sym) ((uint64_t)(uintptr_t)(sym))

#define CNTKCTL_EL0PCTEN (1u << 0)
#define CNTKCTL_EL0VCTEN (1u << 1)
#define CNTKCTL_EL0VTEN  (1u << 8)
#define CNTKCTL_EL0PTEN  (1u << 9)

#define CTL_ENABLE   (1u << 0)
#define CTL_IMASK    (1u << 1)
#define CTL_RW_BITS  (CTL_ENABLE | CTL_IMASK)
#define EC_UNKNOWN   0x00u
#define EC_SYSREG    0x18u
#define ESR_IL       (1u << 25)
#define ESR_SVC_EXIT 0x560000ffull

#define CNTHCTL_EL1PCTEN (1u << 0)
#define CNTHCTL_EL1PCEN  (1u << 1)
#define HCR_RW           (1ull << 31)
#define EC_HVC           0x16u
#define HC_DONE          0xfffu
#define EL1H_MASKED      0x3c5u /* SPSR: EL1h with D, A, I, F set */
#define PSCI_SYSTEM_OFF  0x84000008ull
#define SCTLR_EL1_V      0x30d00818ull /* RES1 bits, SA0, SA: MMU off */
#define EL0T_MASKED      0x3c0u        /* SPSR: EL0t with D, A, I, F set */

/* Values EL1 and EL0 write: far apart, and CVAL far beyond any count. */
#define CVAL_EL1   0x0123456789abcdefull
#define CVAL_EL0   0x00fedcba98765432ull
#define TVAL_AHEAD 0x40000000ull
#define FRQ_TEST   0x01312d00ull /* 20 MHz */

/* Every probe: the access under test is the instruction at PROBE + 4.
 * A read returns the register in X0; a write writes X0 to it. */
#define PROBE_HEAD(name)                                                                           \
    "\t.balign 4\n\t.global " #name "\n\t.type " #name ", %function\n" #name ":\n"
#define RD(name, reg, rt)                                                                          \
    PROBE_HEAD(name) "\tnop\n\tmrs x" #rt ", " #reg "\n\tmov x0, x" #rt "\n\tret\n"
#define WR(name, reg, rt)                                                                          \
    PROBE_HEAD(name) "\tmov x" #rt ", x0\n\tmsr " #reg ", x" #rt "\n\tisb\n\tret\n"

__asm__("\t.text\n" RD(p_frq_rd, cntfrq_el0, 1) RD(p_pct_rd, cntpct_el0, 2)
            RD(p_vct_rd, cntvct_el0, 3) RD(p_vctl_rd, cntv_ctl_el0, 4)
                WR(p_vctl_wr, cntv_ctl_el0, 5) RD(p_vcval_rd, cntv_cval_el0, 6)
                    WR(p_vcval_wr, cntv_cval_el0, 7) RD(p_vtval_rd, cntv_tval_el0, 8)
                        WR(p_vtval_wr, cntv_tval_el0, 9) RD(p_pctl_rd, cntp_ctl_el0, 10)
                            WR(p_pctl_wr, cntp_ctl_el0, 11) RD(p_pcval_rd, cntp_cval_el0, 12)
                                WR(p_pcval_wr, cntp_cval_el0, 13) RD(p_ptval_rd, cntp_tval_el0, 14)
                                    WR(p_ptval_wr, cntp_tval_el0, 15) WR(p_frq_wr, cntfrq_el0, 17)
        /* void e_exit(uint64_t x0): from EL0 back to EL1, which returns X0 from lower_call */
        PROBE_HEAD(e_exit) "\tsvc #0xff\n\tb .\n"
        /* void e_done(uint64_t x0): from EL1 back to EL2, which returns X0 from lower_call */
        PROBE_HEAD(e_done) "\thvc #0xfff\n\tb .\n");

uint64_t p_frq_rd(uint64_t), p_pct_rd(uint64_t), p_vct_rd(uint64_t);
uint64_t p_vctl_rd(uint64_t), p_vctl_wr(uint64_t), p_vcval_rd(uint64_t), p_vcval_wr(uint64_t);
uint64_t p_vtval_rd(uint64_t), p_vtval_wr(uint64_t);
uint64_t p_pctl_rd(uint64_t), p_pctl_wr(uint64_t), p_pcval_rd(uint64_t), p_pcval_wr(uint64_t);
uint64_t p_ptval_rd(uint64_t), p_ptval_wr(uint64_t), p_frq_wr(uint64_t);
void e_exit(uint64_t x0);
void e_done(uint64_t x0);

enum kind { K_FRQ, K_PCT, K_VCT, K_CTL, K_CVAL, K_TVAL };

struct probe {
    const char *text;
    uint64_t (*fn)(uint64_t);
    enum kind kind;
    bool virt; /* timer registers: CNTV_* rather than CNTP_* */
    bool write;
    unsigned op1, crn, crm, op2, rt; /* the encoding (Op0 is 3 for all) */
    uint32_t gate;                   /* CNTKCTL_EL1 bits of which one must be 1 */
    uint32_t gate2;                  /* the CNTHCTL_EL2 bit that must be 1 (0: none) */
};

#define T_V (CNTKCTL_EL0VTEN)
#define T_P (CNTKCTL_EL0PTEN)
static const struct probe probes[] = {
    {"mrs x1, cntfrq_el0", p_frq_rd, K_FRQ, false, false, 3, 14, 0, 0, 1,
     CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN, 0},
    {"mrs x2, cntpct_el0", p_pct_rd, K_PCT, false, false, 3, 14, 0, 1, 2, CNTKCTL_EL0PCTEN,
     CNTHCTL_EL1PCTEN},
    {"mrs x3, cntvct_el0", p_vct_rd, K_VCT, true, false, 3, 14, 0, 2, 3, CNTKCTL_EL0VCTEN, 0},
    {"mrs x4, cntv_ctl_el0", p_vctl_rd, K_CTL, true, false, 3, 14, 3, 1, 4, T_V, 0},
    {"msr cntv_ctl_el0, x5", p_vctl_wr, K_CTL, true, true, 3, 14, 3, 1, 5, T_V, 0},
    {"mrs x6, cntv_cval_el0", p_vcval_rd, K_CVAL, true, false, 3, 14, 3, 2, 6, T_V, 0},
    {"msr cntv_cval_el0, x7", p_vcval_wr, K_CVAL, true, true, 3, 14, 3, 2, 7, T_V, 0},
    {"mrs x8, cntv_tval_el0", p_vtval_rd, K_TVAL, true, false, 3, 14, 3, 0, 8, T_V, 0},
    {"msr cntv_tval_el0, x9", p_vtval_wr, K_TVAL, true, true, 3, 14, 3, 0, 9, T_V, 0},
    {"mrs x10, cntp_ctl_el0", p_pctl_rd, K_CTL, false, false, 3, 14, 2, 1, 10, T_P,
     CNTHCTL_EL1PCEN},
    {"msr cntp_ctl_el0, x11", p_pctl_wr, K_CTL, false, true, 3, 14, 2, 1, 11, T_P, CNTHCTL_EL1PCEN},
    {"mrs x12, cntp_cval_el0", p_pcval_rd, K_CVAL, false, false, 3, 14, 2, 2, 12, T_P,
     CNTHCTL_EL1PCEN},
    {"msr cntp_cval_el0, x13", p_pcval_wr, K_CVAL, false, true, 3, 14, 2, 2, 13, T_P,
     CNTHCTL_EL1PCEN},
    {"mrs x14, cntp_tval_el0", p_ptval_rd, K_TVAL, false, false, 3, 14, 2, 0, 14, T_P,
     CNTHCTL_EL1PCEN},
    {"msr cntp_tval_el0, x15", p_ptval_wr, K_TVAL, false, true, 3, 14, 2, 0, 15, T_P,
     CNTHCTL_EL1PCEN},
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

static const struct probe frq_write = {
    "msr cntfrq_el0, x17", p_frq_wr, K_FRQ, false, true, 3, 14, 0, 0, 17, 0, 0};

static uint64_t el0_stack[1024] __attribute__((aligned(16)));
static uint64_t el1_stack[1024] __attribute__((aligned(16)));
static volatile unsigned traps;
static volatile uint64_t trap_esr, trap_elr, trap_el;
static unsigned checks, failures;

static void unexpected(struct exc_frame *f)
{
    printf("unexpected exception at EL%u vector 0x%x, ESR 0x%x, ELR 0x%lx\n", (unsigned)f->el,
           (unsigned)f->vector, (unsigned)f->esr, (unsigned long)f->elr);
    guest_exit(2);
}

/* A synchronous exception from a probe: remember it and step over the access. */
static void record(struct exc_frame *f)
{
    traps++;
    trap_esr = f->esr;
    trap_elr = f->elr;
    trap_el = f->el;
    f->elr += 4;
}

/* EL1: SVC #0xFF ends an EL0 run; probes trap here from EL0, or from EL1 itself
 * (UNDEFINED at EL1 is taken to EL1). */
static void handler_el1(struct exc_frame *f)
{
    if (f->vector == VEC_LOWER_A64 && f->esr == ESR_SVC_EXIT) {
        lower_return(f, f->x[0]);
        return;
    }
    if (f->vector != VEC_LOWER_A64 && f->vector != (VEC_CUR_SPX | VEC_SYNC))
        unexpected(f);
    record(f);
}

/* EL2: HVC #0xFFF ends an EL1 run; probes trap here from EL1 and EL0. */
static void handler_el2(struct exc_frame *f)
{
    if (f->vector != VEC_LOWER_A64)
        unexpected(f);
    if ((unsigned)(f->esr >> 26) == EC_HVC && (f->esr & 0xffff) == HC_DONE) {
        lower_return(f, f->x[0]);
        return;
    }
    record(f);
}

static uint64_t count(bool virt)
{
    uint64_t v;
    if (virt)
        __asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(v)::"memory");
    else
        __asm__ volatile("isb\n\tmrs %0, cntpct_el0\n\tisb" : "=r"(v)::"memory");
    return v;
}

static uint64_t frq(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v)::"memory");
    return v;
}

static void frq_set(uint64_t v)
{
    __asm__ volatile("msr cntfrq_el0, %0\n\tisb" ::"r"(v) : "memory");
}

static uint64_t ctl(bool virt)
{
    uint64_t v;
    if (virt)
        __asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(v)::"memory");
    else
        __asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v)::"memory");
    return v;
}

static void ctl_set(bool virt, uint64_t v)
{
    if (virt)
        __asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" ::"r"(v) : "memory");
    else
        __asm__ volatile("msr cntp_ctl_el0, %0\n\tisb" ::"r"(v) : "memory");
}

static uint64_t cval(bool virt)
{
    uint64_t v;
    if (virt)
        __asm__ volatile("mrs %0, cntv_cval_el0" : "=r"(v)::"memory");
    else
        __asm__ volatile("mrs %0, cntp_cval_el0" : "=r"(v)::"memory");
    return v;
}

static void cval_set(bool virt, uint64_t v)
{
    if (virt)
        __asm__ volatile("msr cntv_cval_el0, %0\n\tisb" ::"r"(v) : "memory");
    else
        __asm__ volatile("msr cntp_cval_el0, %0\n\tisb" ::"r"(v) : "memory");
}

static void cntkctl_set(uint32_t v)
{
    __asm__ volatile("msr cntkctl_el1, %0\n\tisb" ::"r"((uint64_t)v) : "memory");
}

/* The value a write probe writes. */
static uint64_t write_value(const struct probe *p)
{
    uint64_t in = 0;
    if (p->kind == K_CTL)
        in = CTL_IMASK;
    else if (p->kind == K_CVAL)
        in = CVAL_EL0;
    else if (p->kind == K_TVAL)
        in = TVAL_AHEAD;
    return in;
}

/* EL0: run probe ARG and hand its X0 back to EL1. */
static void el0_run(uint64_t arg)
{
    const struct probe *p = (const struct probe *)(uintptr_t)arg;
    e_exit(p->fn(write_value(p)));
}

/* EL1: run probe ARG and hand its X0 back to EL2. */
static void el1_run(uint64_t arg)
{
    const struct probe *p = (const struct probe *)(uintptr_t)arg;
    e_done(p->fn(write_value(p)));
}

/* EL1: run probe ARG at EL0 and hand what it returned back to EL2. */
static void el1_el0_run(uint64_t arg)
{
    e_done(lower_call(el0_run, arg, EL0T_MASKED));
}

static void cnthctl_set(uint32_t v)
{
    __asm__ volatile("msr cnthctl_el2, %0\n\tisb" ::"r"((uint64_t)v) : "memory");
}

/* The ISS of an MRS/MSR trapped with EC 0x18, from its encoding (Arm ARM ESR_ELx). */
static uint32_t iss_of(const struct probe *p)
{
    return 3u << 20 | p->op2 << 17 | p->op1 << 14 | p->crn << 10 | p->rt << 5 | p->crm << 1 |
           (p->write ? 0u : 1u);
}

/* EL1 sets up the state the probe reads or overwrites. */
static void prepare(const struct probe *p)
{
    if (p->kind < K_CTL)
        return;
    ctl_set(p->virt, p->kind == K_CTL && !p->write ? CTL_IMASK : 0);
    cval_set(p->virt, p->kind == K_TVAL && !p->write ? count(p->virt) + TVAL_AHEAD : CVAL_EL1);
}

/* After an untrapped probe: did it behave? BEFORE and AFTER are EL1's counts around it. */
static bool behaved(const struct probe *p, uint64_t got, uint64_t before, uint64_t after)
{
    switch (p->kind) {
    case K_FRQ: return got == frq();
    case K_PCT:
    case K_VCT: return before <= got && got <= after;
    case K_CTL: return ((p->write ? ctl(p->virt) : got) & CTL_RW_BITS) == CTL_IMASK;
    case K_CVAL: return p->write ? cval(p->virt) == CVAL_EL0 : got == CVAL_EL1;
    case K_TVAL:
        if (p->write) { /* CVAL = the count at the write + TVAL */
            uint64_t at = cval(p->virt) - TVAL_AHEAD;
            return before <= at && at <= after;
        }
        return (int32_t)(uint32_t)got > 0 && (uint32_t)got <= TVAL_AHEAD;
    }
    return false;
}

/* After a trapped write: the register kept what EL1 put there. */
static bool unchanged(const struct probe *p)
{
    if (!p->write || p->kind < K_CTL)
        return true;
    if (p->kind == K_CTL)
        return (ctl(p->virt) & CTL_RW_BITS) == 0;
    return cval(p->virt) == CVAL_EL1;
}

static void report(bool ok)
{
    checks++;
    if (!ok)
        failures++;
    printf(ok ? ": ok\n" : ": FAIL\n");
}

/* Run P at EL (0 or 1); expect an exception taken to WANT_EL (0: none) with ESR ESR_WANT. */
static void check_probe(const struct probe *p, unsigned el, unsigned want_el, uint32_t esr_want)
{
    prepare(p);
    traps = 0;
    uint64_t before = count(p->kind == K_VCT);
    uint64_t got = lower_call(el ? el1_run : el1_el0_run, (uint64_t)(uintptr_t)p, EL1H_MASKED);
    uint64_t after = count(p->kind == K_VCT);
    printf("  EL%u %s: ", el, p->text);
    if (traps == 0) {
        bool ok = behaved(p, got, before, after);
        printf("no trap, behaves %u", ok);
        report(ok && want_el == 0);
        return;
    }
    unsigned ec = (unsigned)(trap_esr >> 26) & 0x3f;
    bool at = trap_elr == ADDR(p->fn) + 4;
    printf("taken to EL%u, EC 0x%x, IL %u, ISS 0x%06x, ELR at the access %u", (unsigned)trap_el, ec,
           (unsigned)(trap_esr >> 25) & 1, (unsigned)trap_esr & 0x1ffffff, at);
    if (p->write)
        printf(", write had no effect %u", unchanged(p));
    report(traps == 1 && trap_el == want_el && (uint32_t)trap_esr == esr_want && at &&
           unchanged(p));
}

static uint32_t sysreg_esr(const struct probe *p)
{
    return ESR_IL | EC_SYSREG << 26 | iss_of(p);
}

/* EL1 accesses: only CNTHCTL_EL2 applies. */
static void check_el1(uint32_t cnthctl)
{
    printf("EL1, CNTHCTL_EL2 0x%x:\n", cnthctl);
    cnthctl_set(cnthctl);
    for (unsigned i = 0; i < NPROBES; i++) {
        const struct probe *p = &probes[i];
        bool trap = p->gate2 && !(cnthctl & p->gate2);
        check_probe(p, 1, trap ? 2 : 0, sysreg_esr(p));
    }
    ctl_set(false, 0);
    ctl_set(true, 0);
}

/* EL0 accesses: CNTKCTL_EL1 first (to EL1), then CNTHCTL_EL2 (to EL2). */
static void check_el0(uint32_t cntkctl, uint32_t cnthctl)
{
    printf("EL0, CNTKCTL_EL1 0x%03x, CNTHCTL_EL2 0x%x:\n", cntkctl, cnthctl);
    cntkctl_set(cntkctl);
    cnthctl_set(cnthctl);
    for (unsigned i = 0; i < NPROBES; i++) {
        const struct probe *p = &probes[i];
        unsigned want = 0;
        if (!(cntkctl & p->gate))
            want = 1;
        else if (p->gate2 && !(cnthctl & p->gate2))
            want = 2;
        check_probe(p, 0, want, sysreg_esr(p));
    }
    ctl_set(false, 0);
    ctl_set(true, 0);
}

/* CNTFRQ_EL0 is writable only at the highest implemented EL, EL2 here. */
static void check_cntfrq_write(void)
{
    printf("CNTFRQ_EL0 writes:\n");
    uint64_t orig = frq();
    cntkctl_set(CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN);
    cnthctl_set(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
    check_probe(&frq_write, 1, 1, ESR_IL);
    check_probe(&frq_write, 0, 1, ESR_IL);
    bool was = frq() == orig;
    printf("  CNTFRQ_EL0 unchanged %u", was);
    report(was);
    frq_set(FRQ_TEST);
    bool wrote = frq() == FRQ_TEST;
    printf("  EL2 msr cntfrq_el0: reads back the value written %u", wrote);
    report(wrote);
    frq_set(orig);
    bool back = frq() == orig;
    printf("  EL2 msr cntfrq_el0, original value: restored %u", back);
    report(back);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el2(handler_el2);
    vectors_install_el1(handler_el1);
    __asm__ volatile("msr hcr_el2, %0\n\tmsr cntvoff_el2, xzr\n\tisb" ::"r"(HCR_RW) : "memory");
    __asm__ volatile("msr sctlr_el1, %0\n\tisb" ::"r"(SCTLR_EL1_V));
    __asm__ volatile("msr sp_el1, %0" ::"r"(ADDR(el1_stack + 1024)));
    __asm__ volatile("msr sp_el0, %0" ::"r"(ADDR(el0_stack + 1024)));
    static const uint32_t el1_settings[] = {CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN, CNTHCTL_EL1PCTEN,
                                            CNTHCTL_EL1PCEN, 0};
    for (unsigned i = 0; i < sizeof(el1_settings) / sizeof(el1_settings[0]); i++)
        check_el1(el1_settings[i]);
    uint32_t all_el0 = CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN | CNTKCTL_EL0VTEN | CNTKCTL_EL0PTEN;
    uint32_t all_el1 = CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN;
    check_el0(0, all_el1);
    check_el0(0, 0);
    /* EL1PCTEN and EL1PCEN are set or cleared together at EL0: QEMU 7.2 gates EL0's
     * CNTPCT_EL0 with EL1PCEN when E2H = 0, where the Arm ARM's CNTHCTL_EL2 page names
     * EL1PCTEN (a64sim follows the Arm ARM). */
    check_el0(all_el0, 0);
    check_el0(all_el0, all_el1);
    check_cntfrq_write();
    cnthctl_set(all_el1);
    printf("timer_hyp_traps: %u checks, %u failed\n", checks, failures);
    if (failures)
        guest_exit(1);
    register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
    __asm__ volatile("smc #0" : "+r"(x0)::"memory");
    printf("SYSTEM_OFF returned\n");
    guest_exit(1);
}
