/*
 * EL0 access to the generic timer, gated by CNTKCTL_EL1 (Arm ARM, the
 * CNTKCTL_EL1 register page and the accessibility rules of each timer
 * register). The guest is an EL1 kernel with no EL2 (QEMU virt without
 * virtualization=on): for each CNTKCTL_EL1 setting it runs every probe at
 * EL0 and checks:
 *
 *  - EL0PCTEN (bit 0) gates CNTPCT_EL0, EL0VCTEN (bit 1) CNTVCT_EL0,
 *    EL0VTEN (bit 8) CNTV_CTL/CVAL/TVAL_EL0, EL0PTEN (bit 9)
 *    CNTP_CTL/CVAL/TVAL_EL0, reads and writes; CNTFRQ_EL0 is readable when
 *    either EL0PCTEN or EL0VCTEN is 1;
 *  - a disabled access is trapped to EL1 with EC 0x18, IL 1, the ISS of the
 *    MRS/MSR (Op0, Op2, Op1, CRn, Rt, CRm, Direction: 1 = read) and ELR at
 *    the instruction; a trapped write changes nothing;
 *  - an enabled access behaves: the counters read between EL1's reads
 *    before and after, CVAL and CTL written at EL0 are what EL1 reads back,
 *    TVAL is CVAL minus the count;
 *  - a write to CNTFRQ_EL0 from EL0 is UNDEFINED (EC 0), whatever
 *    CNTKCTL_EL1 says: it is writable only at the highest implemented EL,
 *    here EL1, where the write sticks.
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

#define SCTLR_EL1_V 0x30d00818ull /* RES1 bits, SA0, SA: MMU off */
#define EL0T_MASKED 0x3c0u        /* SPSR: EL0t with D, A, I, F set */

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
        /* void e_exit(uint64_t x0): back to the kernel, which returns X0 from lower_call */
        PROBE_HEAD(e_exit) "\tsvc #0xff\n\tb .\n");

uint64_t p_frq_rd(uint64_t), p_pct_rd(uint64_t), p_vct_rd(uint64_t);
uint64_t p_vctl_rd(uint64_t), p_vctl_wr(uint64_t), p_vcval_rd(uint64_t), p_vcval_wr(uint64_t);
uint64_t p_vtval_rd(uint64_t), p_vtval_wr(uint64_t);
uint64_t p_pctl_rd(uint64_t), p_pctl_wr(uint64_t), p_pcval_rd(uint64_t), p_pcval_wr(uint64_t);
uint64_t p_ptval_rd(uint64_t), p_ptval_wr(uint64_t), p_frq_wr(uint64_t);
void e_exit(uint64_t x0);

enum kind { K_FRQ, K_PCT, K_VCT, K_CTL, K_CVAL, K_TVAL };

struct probe {
    const char *text;
    uint64_t (*fn)(uint64_t);
    enum kind kind;
    bool virt; /* timer registers: CNTV_* rather than CNTP_* */
    bool write;
    unsigned op1, crn, crm, op2, rt; /* the encoding (Op0 is 3 for all) */
    uint32_t gate;                   /* CNTKCTL_EL1 bits of which one must be 1 */
};

#define T_V (CNTKCTL_EL0VTEN)
#define T_P (CNTKCTL_EL0PTEN)
static const struct probe probes[] = {
    {"mrs x1, cntfrq_el0", p_frq_rd, K_FRQ, false, false, 3, 14, 0, 0, 1,
     CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN},
    {"mrs x2, cntpct_el0", p_pct_rd, K_PCT, false, false, 3, 14, 0, 1, 2, CNTKCTL_EL0PCTEN},
    {"mrs x3, cntvct_el0", p_vct_rd, K_VCT, true, false, 3, 14, 0, 2, 3, CNTKCTL_EL0VCTEN},
    {"mrs x4, cntv_ctl_el0", p_vctl_rd, K_CTL, true, false, 3, 14, 3, 1, 4, T_V},
    {"msr cntv_ctl_el0, x5", p_vctl_wr, K_CTL, true, true, 3, 14, 3, 1, 5, T_V},
    {"mrs x6, cntv_cval_el0", p_vcval_rd, K_CVAL, true, false, 3, 14, 3, 2, 6, T_V},
    {"msr cntv_cval_el0, x7", p_vcval_wr, K_CVAL, true, true, 3, 14, 3, 2, 7, T_V},
    {"mrs x8, cntv_tval_el0", p_vtval_rd, K_TVAL, true, false, 3, 14, 3, 0, 8, T_V},
    {"msr cntv_tval_el0, x9", p_vtval_wr, K_TVAL, true, true, 3, 14, 3, 0, 9, T_V},
    {"mrs x10, cntp_ctl_el0", p_pctl_rd, K_CTL, false, false, 3, 14, 2, 1, 10, T_P},
    {"msr cntp_ctl_el0, x11", p_pctl_wr, K_CTL, false, true, 3, 14, 2, 1, 11, T_P},
    {"mrs x12, cntp_cval_el0", p_pcval_rd, K_CVAL, false, false, 3, 14, 2, 2, 12, T_P},
    {"msr cntp_cval_el0, x13", p_pcval_wr, K_CVAL, false, true, 3, 14, 2, 2, 13, T_P},
    {"mrs x14, cntp_tval_el0", p_ptval_rd, K_TVAL, false, false, 3, 14, 2, 0, 14, T_P},
    {"msr cntp_tval_el0, x15", p_ptval_wr, K_TVAL, false, true, 3, 14, 2, 0, 15, T_P},
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

static const struct probe frq_write = {
    "msr cntfrq_el0, x17", p_frq_wr, K_FRQ, false, true, 3, 14, 0, 0, 17, 0};

static uint64_t el0_stack[1024] __attribute__((aligned(16)));
static volatile unsigned traps;
static volatile uint64_t trap_esr, trap_elr, trap_el;
static unsigned checks, failures;

static void handler(struct exc_frame *f)
{
    if (f->vector == VEC_LOWER_A64 && f->esr == ESR_SVC_EXIT) {
        lower_return(f, f->x[0]);
        return;
    }
    if (f->vector != VEC_LOWER_A64) {
        printf("unexpected exception at vector 0x%x, ESR 0x%x, ELR 0x%lx\n", (unsigned)f->vector,
               (unsigned)f->esr, (unsigned long)f->elr);
        guest_exit(2);
    }
    traps++;
    trap_esr = f->esr;
    trap_elr = f->elr;
    trap_el = f->el;
    f->elr += 4; /* step over the trapped access */
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

/* EL0: run probe ARG and hand its X0 back to the kernel. */
static void el0_run(uint64_t arg)
{
    const struct probe *p = (const struct probe *)(uintptr_t)arg;
    uint64_t in = 0;
    if (p->kind == K_CTL)
        in = CTL_IMASK;
    else if (p->kind == K_CVAL)
        in = CVAL_EL0;
    else if (p->kind == K_TVAL)
        in = TVAL_AHEAD;
    e_exit(p->fn(in));
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

/* Run P at EL0; expect EC (0: no exception) with ESR ESR_WANT. */
static void check_probe(const struct probe *p, bool trap, uint32_t esr_want)
{
    prepare(p);
    traps = 0;
    uint64_t before = count(p->kind == K_VCT);
    uint64_t got = lower_call(el0_run, (uint64_t)(uintptr_t)p, EL0T_MASKED);
    uint64_t after = count(p->kind == K_VCT);
    printf("  EL0 %s: ", p->text);
    if (traps == 0) {
        bool ok = behaved(p, got, before, after);
        printf("no trap, behaves %u", ok);
        report(ok && !trap);
        return;
    }
    unsigned ec = (unsigned)(trap_esr >> 26) & 0x3f;
    bool at = trap_elr == ADDR(p->fn) + 4;
    printf("taken to EL%u, EC 0x%x, IL %u, ISS 0x%06x, ELR at the access %u", (unsigned)trap_el, ec,
           (unsigned)(trap_esr >> 25) & 1, (unsigned)trap_esr & 0x1ffffff, at);
    if (p->write)
        printf(", write had no effect %u", unchanged(p));
    report(trap && traps == 1 && trap_el == 1 && (uint32_t)trap_esr == esr_want && at &&
           unchanged(p));
}

static void check_cntkctl(uint32_t cntkctl)
{
    printf("CNTKCTL_EL1 0x%03x:\n", cntkctl);
    cntkctl_set(cntkctl);
    for (unsigned i = 0; i < NPROBES; i++) {
        const struct probe *p = &probes[i];
        bool trap = !(cntkctl & p->gate);
        check_probe(p, trap, ESR_IL | EC_SYSREG << 26 | iss_of(p));
    }
    ctl_set(false, 0);
    ctl_set(true, 0);
}

/* CNTFRQ_EL0 is writable only at the highest implemented EL, EL1 here. */
static void check_cntfrq_write(void)
{
    printf("CNTFRQ_EL0 writes:\n");
    uint64_t orig = frq();
    /* From EL0 the write is UNDEFINED whether or not CNTKCTL_EL1 lets EL0 read it. */
    for (uint32_t k = 0; k <= (CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN); k += 3) {
        printf(" with CNTKCTL_EL1 0x%03x:\n", k);
        cntkctl_set(k);
        check_probe(&frq_write, true, ESR_IL);
    }
    bool was = frq() == orig;
    printf("  CNTFRQ_EL0 unchanged %u", was);
    report(was);
    frq_set(FRQ_TEST);
    bool wrote = frq() == FRQ_TEST;
    printf("  EL1 msr cntfrq_el0: reads back the value written %u", wrote);
    report(wrote);
    frq_set(orig);
    bool back = frq() == orig;
    printf("  EL1 msr cntfrq_el0, original value: restored %u", back);
    report(back);
    cntkctl_set(0);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el1(handler);
    __asm__ volatile("msr sctlr_el1, %0\n\tisb" ::"r"(SCTLR_EL1_V));
    __asm__ volatile("msr sp_el0, %0" ::"r"(ADDR(el0_stack + 1024)));
    static const uint32_t settings[] = {0,
                                        CNTKCTL_EL0PCTEN,
                                        CNTKCTL_EL0VCTEN,
                                        CNTKCTL_EL0VTEN,
                                        CNTKCTL_EL0PTEN,
                                        CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN | CNTKCTL_EL0VTEN |
                                            CNTKCTL_EL0PTEN};
    for (unsigned i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
        check_cntkctl(settings[i]);
    check_cntfrq_write();
    printf("timer_el0: %u checks, %u failed\n", checks, failures);
    return failures ? 1 : 0;
}
