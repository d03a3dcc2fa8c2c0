/*
 * Shared by the timer trap guests (timer_el0.c at EL1; timer_hyp_traps.c,
 * timer_traps_simonly.c and timer_vhe.c at EL2): one probe per
 * EL0-accessible generic-timer register access and a CNTFRQ_EL0 write, the
 * EL1 and EL2 handlers that record a trapped probe and step over it, and
 * check_probe(), which runs a probe at a lower EL and prints one line
 * saying where it was taken (or that it was not, and that it behaved).
 *
 * The register helpers (ctl(), cval(), count() ...) run in the calling
 * guest's kernel (EL1, or EL2) and use the EL0 names: at EL1 and at EL2
 * with HCR_EL2.E2H = 0 they reach the EL1 timers, at EL2 with E2H = 1 the
 * EL2 ones (CNTP_* is CNTHP_*_EL2, CNTV_* is CNTHV_*_EL2), which is what
 * EL0 reaches in the EL2&0 host regime.
 */
#ifndef GUEST_TIMER_TRAP_COMMON_H
#define GUEST_TIMER_TRAP_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "exit.h"
#include "printf.h"
#include "vectors.h"

#define ADDR(sym) ((uint64_t)(uintptr_t)(sym))

/* CNTKCTL_EL1, and CNTHCTL_EL2 when HCR_EL2.E2H = 1 (same layout for these). */
#define CNTKCTL_EL0PCTEN (1u << 0)
#define CNTKCTL_EL0VCTEN (1u << 1)
#define CNTKCTL_EL0VTEN  (1u << 8)
#define CNTKCTL_EL0PTEN  (1u << 9)
#define CNTKCTL_EL0_ALL  (CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN | CNTKCTL_EL0VTEN | CNTKCTL_EL0PTEN)
/* CNTHCTL_EL2 when HCR_EL2.E2H = 0. */
#define CNTHCTL_EL1PCTEN (1u << 0)
#define CNTHCTL_EL1PCEN  (1u << 1)
/* CNTHCTL_EL2 when HCR_EL2.E2H = 1: the EL1 controls move up. */
#define CNTHCTL_E2H_EL1PCTEN (1u << 10)
#define CNTHCTL_E2H_EL1PTEN  (1u << 11)

#define CTL_ENABLE   (1u << 0)
#define CTL_IMASK    (1u << 1)
#define CTL_RW_BITS  (CTL_ENABLE | CTL_IMASK)
#define EC_HVC       0x16u
#define EC_SYSREG    0x18u
#define ESR_IL       (1u << 25)
#define ESR_SVC_EXIT 0x560000ffull
#define HC_DONE      0xfffu

#define HCR_TGE         (1ull << 27)
#define HCR_RW          (1ull << 31)
#define HCR_E2H         (1ull << 34)
#define EL0T_MASKED     0x3c0u /* SPSR: EL0t with D, A, I, F set */
#define EL1H_MASKED     0x3c5u /* SPSR: EL1h with D, A, I, F set */
#define PSCI_SYSTEM_OFF 0x84000008ull
#define SCTLR_EL1_V     0x30d00818ull /* RES1 bits, SA0, SA: MMU off */

/* Values EL2 and EL0 write: far apart, and CVAL far beyond any count. */
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
        /* void e_exit(uint64_t x0): from EL0 back to the EL that called lower_call (SVC) */
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
    uint32_t gate;                   /* EL0 enables (CNTKCTL_EL1 layout), one must be 1 */
    uint32_t gate2;                  /* the CNTHCTL_EL2 bit needed with E2H = 0 (0: none) */
};

#define T_V (CNTKCTL_EL0VTEN)
#define T_P (CNTKCTL_EL0PTEN)
#define H_P (CNTHCTL_EL1PCEN)
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
    {"mrs x10, cntp_ctl_el0", p_pctl_rd, K_CTL, false, false, 3, 14, 2, 1, 10, T_P, H_P},
    {"msr cntp_ctl_el0, x11", p_pctl_wr, K_CTL, false, true, 3, 14, 2, 1, 11, T_P, H_P},
    {"mrs x12, cntp_cval_el0", p_pcval_rd, K_CVAL, false, false, 3, 14, 2, 2, 12, T_P, H_P},
    {"msr cntp_cval_el0, x13", p_pcval_wr, K_CVAL, false, true, 3, 14, 2, 2, 13, T_P, H_P},
    {"mrs x14, cntp_tval_el0", p_ptval_rd, K_TVAL, false, false, 3, 14, 2, 0, 14, T_P, H_P},
    {"msr cntp_tval_el0, x15", p_ptval_wr, K_TVAL, false, true, 3, 14, 2, 0, 15, T_P, H_P},
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

/* The CNTFRQ_EL0 write: no EL0 enable makes it legal (it is writable only at
 * the highest implemented EL). A function, so that guests without it do
 * not carry an unused constant. */
static inline const struct probe *frq_write(void)
{
    static const struct probe p = {
        "msr cntfrq_el0, x17", p_frq_wr, K_FRQ, false, true, 3, 14, 0, 0, 17, 0, 0};
    return &p;
}

static uint64_t tt_el0_stack[1024] __attribute__((aligned(16)));
static uint64_t tt_el1_stack[1024] __attribute__((aligned(16)));
static volatile unsigned traps;
static volatile uint64_t trap_esr, trap_elr, trap_el;
static unsigned checks, failures;

static inline void unexpected(struct exc_frame *f)
{
    printf("unexpected exception at EL%u vector 0x%x, ESR 0x%x, ELR 0x%lx\n", (unsigned)f->el,
           (unsigned)f->vector, (unsigned)f->esr, (unsigned long)f->elr);
    guest_exit(2);
}

/* A synchronous exception from a probe: remember it and step over the access. */
static inline void record(struct exc_frame *f)
{
    traps++;
    trap_esr = f->esr;
    trap_elr = f->elr;
    trap_el = f->el;
    f->elr += 4;
}

/* EL1: SVC #0xFF ends an EL0 run; probes trap here from EL0, or from EL1
 * itself (an UNDEFINED write at EL1 is taken to EL1). */
static inline void handler_el1(struct exc_frame *f)
{
    if (f->vector == VEC_LOWER_A64 && f->esr == ESR_SVC_EXIT) {
        lower_return(f, f->x[0]);
        return;
    }
    if (f->vector != VEC_LOWER_A64 && f->vector != (VEC_CUR_SPX | VEC_SYNC))
        unexpected(f);
    record(f);
}

/* EL2: HVC #0xFFF ends an EL1 run, SVC #0xFF an EL0 run in the host regime
 * (HCR_EL2.TGE = 1 takes it to EL2); probes trap here from EL1 and EL0. */
static inline void handler_el2(struct exc_frame *f)
{
    if (f->vector != VEC_LOWER_A64)
        unexpected(f);
    if (((unsigned)(f->esr >> 26) == EC_HVC && (f->esr & 0xffff) == HC_DONE) ||
        f->esr == ESR_SVC_EXIT) {
        lower_return(f, f->x[0]);
        return;
    }
    record(f);
}

/* The count EL0's counter probe reads. At EL2 CNTVCT_EL0 has no offset with E2H = 1,
 * and CNTVOFF_EL2 is 0 otherwise (tt_setup). */
static inline uint64_t count(bool virt)
{
    uint64_t v;
    if (virt)
        __asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(v)::"memory");
    else
        __asm__ volatile("isb\n\tmrs %0, cntpct_el0\n\tisb" : "=r"(v)::"memory");
    return v;
}

static inline uint64_t frq(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v)::"memory");
    return v;
}

static inline void frq_set(uint64_t v)
{
    __asm__ volatile("msr cntfrq_el0, %0\n\tisb" ::"r"(v) : "memory");
}

static inline uint64_t ctl(bool virt)
{
    uint64_t v;
    if (virt)
        __asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(v)::"memory");
    else
        __asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v)::"memory");
    return v;
}

static inline void ctl_set(bool virt, uint64_t v)
{
    if (virt)
        __asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" ::"r"(v) : "memory");
    else
        __asm__ volatile("msr cntp_ctl_el0, %0\n\tisb" ::"r"(v) : "memory");
}

static inline uint64_t cval(bool virt)
{
    uint64_t v;
    if (virt)
        __asm__ volatile("mrs %0, cntv_cval_el0" : "=r"(v)::"memory");
    else
        __asm__ volatile("mrs %0, cntp_cval_el0" : "=r"(v)::"memory");
    return v;
}

static inline void cval_set(bool virt, uint64_t v)
{
    if (virt)
        __asm__ volatile("msr cntv_cval_el0, %0\n\tisb" ::"r"(v) : "memory");
    else
        __asm__ volatile("msr cntp_cval_el0, %0\n\tisb" ::"r"(v) : "memory");
}

/* At EL2 with E2H = 1 this name reaches CNTHCTL_EL2. */
static inline void cntkctl_set(uint32_t v)
{
    __asm__ volatile("msr cntkctl_el1, %0\n\tisb" ::"r"((uint64_t)v) : "memory");
}

static inline void cnthctl_set(uint32_t v)
{
    __asm__ volatile("msr cnthctl_el2, %0\n\tisb" ::"r"((uint64_t)v) : "memory");
}

/* The value a write probe writes. */
static inline uint64_t write_value(const struct probe *p)
{
    if (p->kind == K_CTL)
        return CTL_IMASK;
    if (p->kind == K_CVAL)
        return CVAL_EL0;
    if (p->kind == K_TVAL)
        return TVAL_AHEAD;
    return 0;
}

/* EL0: run probe ARG and hand its X0 back with SVC #0xFF. */
static inline void el0_run(uint64_t arg)
{
    const struct probe *p = (const struct probe *)(uintptr_t)arg;
    e_exit(p->fn(write_value(p)));
}

/* EL1: run probe ARG and hand its X0 back to EL2. */
static inline void el1_run(uint64_t arg)
{
    const struct probe *p = (const struct probe *)(uintptr_t)arg;
    e_done(p->fn(write_value(p)));
}

/* EL1: run probe ARG at EL0 and hand what it returned back to EL2. */
static inline void el1_el0_run(uint64_t arg)
{
    e_done(lower_call(el0_run, arg, EL0T_MASKED));
}

/* The ESR of an MRS/MSR trapped with EC 0x18: IL and the ISS built from the
 * instruction's encoding (Arm ARM ESR_ELx, ISS for EC 0x18). */
static inline uint32_t sysreg_esr(const struct probe *p)
{
    return ESR_IL | EC_SYSREG << 26 | 3u << 20 | p->op2 << 17 | p->op1 << 14 | p->crn << 10 |
           p->rt << 5 | p->crm << 1 | (p->write ? 0u : 1u);
}

/* The kernel sets up the state the probe reads or overwrites. */
static inline void prepare(const struct probe *p)
{
    if (p->kind < K_CTL)
        return;
    ctl_set(p->virt, p->kind == K_CTL && !p->write ? CTL_IMASK : 0);
    cval_set(p->virt, p->kind == K_TVAL && !p->write ? count(p->virt) + TVAL_AHEAD : CVAL_EL1);
}

/* After an untrapped probe: did it behave? BEFORE and AFTER are the kernel's counts around it. */
static inline bool behaved(const struct probe *p, uint64_t got, uint64_t before, uint64_t after)
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

/* After a trapped write: the register kept what the kernel put there. */
static inline bool unchanged(const struct probe *p)
{
    if (!p->write || p->kind < K_CTL)
        return true;
    if (p->kind == K_CTL)
        return (ctl(p->virt) & CTL_RW_BITS) == 0;
    return cval(p->virt) == CVAL_EL1;
}

static inline void report(bool ok)
{
    checks++;
    if (!ok)
        failures++;
    printf(ok ? ": ok\n" : ": FAIL\n");
}

/* Run P at EL (0 or 1) through lower_call(RUN, P, SPSR); expect it taken to
 * WANT_EL (0: not at all) with syndrome ESR_WANT. */
static inline void check_probe(const struct probe *p, void (*run)(uint64_t), uint64_t spsr,
                               unsigned el, unsigned want_el, uint32_t esr_want)
{
    prepare(p);
    traps = 0;
    uint64_t before = count(p->kind == K_VCT);
    uint64_t got = lower_call(run, (uint64_t)(uintptr_t)p, spsr);
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

/* At EL2: vectors at EL1 and EL2, the lower ELs' stacks, CNTVOFF_EL2 = 0, then
 * HCR_EL2 = HCR (last: with E2H = 1 the VBAR_EL1 name would reach VBAR_EL2). */
static inline void tt_setup(uint64_t hcr)
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el1(handler_el1);
    vectors_install_el2(handler_el2);
    __asm__ volatile("msr sctlr_el1, %0\n\tisb" ::"r"(SCTLR_EL1_V));
    __asm__ volatile("msr sp_el1, %0" ::"r"(ADDR(tt_el1_stack + 1024)));
    __asm__ volatile("msr sp_el0, %0" ::"r"(ADDR(tt_el0_stack + 1024)));
    __asm__ volatile("msr cntvoff_el2, xzr\n\tmsr hcr_el2, %0\n\tisb" ::"r"(hcr) : "memory");
}

/* The end: power off through PSCI (exit 0) when every check passed, else exit 1. */
static inline void tt_finish(const char *name)
{
    printf("%s: %u checks, %u failed\n", name, checks, failures);
    if (failures)
        guest_exit(1);
    register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
    __asm__ volatile("smc #0" : "+r"(x0)::"memory");
    printf("SYSTEM_OFF returned\n");
    guest_exit(1);
}

#endif
