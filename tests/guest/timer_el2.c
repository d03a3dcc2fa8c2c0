/*
 * The EL2 side of the generic timer. The guest starts at EL2 (a64sim --el 2;
 * QEMU virt with virtualization=on) and checks, against the Arm ARM's
 * generic timer chapter:
 *
 *  - the EL2 physical timer (CNTHP_*_EL2) fires on PPI 26: ISTATUS, TVAL
 *    sign, the pending PPI, and the interrupt taken at EL2 (HCR_EL2.IMO=1
 *    routes physical IRQs to EL2);
 *  - CNTVOFF_EL2 shifts the virtual count EL1 reads: CNTPCT - CNTVCT equals
 *    CNTVOFF (modulo 2^64, up to the ticks between the two reads), and the
 *    EL1 virtual timer compares CVAL against that shifted count;
 *  - CNTHCTL_EL2.EL1PCTEN=0 traps EL1's CNTPCT_EL0 read to EL2 with EC 0x18
 *    and the ISS of the MRS (Op0 3, Op1 3, CRn 14, CRm 0, Op2 1, read),
 *    and EL2 can emulate the read.
 *
 * Only timing-independent facts are printed, so QEMU and a64sim agree.
 */
#include <stdbool.h>
#include <stdint.h>

#include "gic_common.h"
#include "vectors.h"

#define CTL_ENABLE  (1u << 0)
#define CTL_IMASK   (1u << 1)
#define CTL_ISTATUS (1u << 2)

#define PPI_HYP_PHYS 26u
#define NEAR_TICKS   10000ull
#define FAR_TICKS    1000000000ull
#define POLL_BOUND   10000000u
/* Upper bound on the ticks between two back-to-back counter reads (0.1 s at 62.5 MHz). */
#define READ_SLACK 6250000ull

#define HCR_IMO (1ull << 4)
#define HCR_RW  (1ull << 31)
/* CNTHCTL_EL2 with HCR_EL2.E2H = 0. */
#define CNTHCTL_EL1PCTEN (1ull << 0)
#define CNTHCTL_EL1PCEN  (1ull << 1)

#define ICC_SRE_EL2     "S3_4_C12_C9_5"
#define ICC_SRE_SRE     (1u << 0)
#define ICC_SRE_ENABLE  (1u << 3)
#define SCTLR_EL1_V     0x30d00818ull
#define EL1H_MASKED     0x3c5u
#define HC_DONE         0xfff
#define EMULATED_CNTPCT 0x5eed0000cafeull
#define PSCI_SYSTEM_OFF 0x84000008ull

#define EC_SYSREG 0x18u

static uint64_t el1_stack[1024] __attribute__((aligned(16)));
static volatile uint64_t el1_vct, el1_pct, el1_emulated;
static volatile uint64_t trap_esr, trap_elr, traps;
static volatile unsigned taken, last_intid;

/* EL1: CNTVCT then CNTPCT, then back to EL2. */
static void el1_counts(uint64_t arg)
{
    (void)arg;
    uint64_t v, p;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tisb\n\tmrs %1, cntpct_el0" : "=r"(v), "=r"(p));
    el1_vct = v;
    el1_pct = p;
    __asm__ volatile("hvc #0xfff" ::: "memory");
    for (;;)
        ;
}

/* EL1: the CNTPCT_EL0 read under test is at el1_mrs_cntpct, into X0. */
static void el1_read_pct(uint64_t arg)
{
    (void)arg;
    register uint64_t x0 __asm__("x0");
    __asm__ volatile(".globl el1_mrs_cntpct\nel1_mrs_cntpct:\n\tmrs x0, cntpct_el0"
                     : "=r"(x0)::"memory");
    el1_emulated = x0;
    __asm__ volatile("hvc #0xfff" ::: "memory");
    for (;;)
        ;
}
extern char el1_mrs_cntpct[];

static void sysreg_trap(struct exc_frame *f)
{
    traps++;
    trap_esr = f->esr;
    trap_elr = f->elr;
    unsigned rt = (unsigned)(f->esr >> 5) & 0x1f;
    if (rt != 31)
        f->x[rt] = EMULATED_CNTPCT;
    f->elr += 4;
}

static void irq_el2(void)
{
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    last_intid = intid;
    taken++;
    if (intid == PPI_HYP_PHYS)
        __asm__ volatile("msr cnthp_ctl_el2, xzr\n\tisb" ::: "memory");
    MSR(ICC_EOIR1_EL1, intid);
}

static void handler_el2(struct exc_frame *f)
{
    unsigned ec = (unsigned)(f->esr >> 26);
    if (f->vector == (VEC_CUR_SPX | VEC_IRQ)) {
        irq_el2();
        return;
    }
    if (f->vector == VEC_LOWER_A64 && ec == 0x16 && (f->esr & 0xffff) == HC_DONE) {
        lower_return(f, 0);
        return;
    }
    if (f->vector == VEC_LOWER_A64 && ec == EC_SYSREG) {
        sysreg_trap(f);
        return;
    }
    printf("unexpected exception at vector 0x%x, ESR 0x%x, ELR 0x%lx\n", (unsigned)f->vector,
           (unsigned)f->esr, (unsigned long)f->elr);
    guest_exit(2);
}

static uint64_t cntpct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v)::"memory");
    return v;
}

static uint32_t cnthp_ctl(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cnthp_ctl_el2" : "=r"(v)::"memory");
    return (uint32_t)v;
}

static void cnthp_ctl_write(uint32_t v)
{
    __asm__ volatile("msr cnthp_ctl_el2, %0\n\tisb" ::"r"((uint64_t)v) : "memory");
}

static int32_t cnthp_tval(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cnthp_tval_el2" : "=r"(v)::"memory");
    return (int32_t)(uint32_t)v;
}

static void write_sysregs(uint64_t hcr, uint64_t cnthctl, uint64_t cntvoff)
{
    __asm__ volatile(
        "msr hcr_el2, %0\n\tmsr cnthctl_el2, %1\n\tmsr cntvoff_el2, %2\n\tisb" ::"r"(hcr),
        "r"(cnthctl), "r"(cntvoff)
        : "memory");
}

static bool ppi_pending(unsigned intid)
{
    return (rd32(GICR_SGI(0) + GICR_ISPENDR0) >> intid) & 1;
}

static bool wait_pending(unsigned intid, bool want)
{
    for (unsigned i = 0; i < POLL_BOUND; i++)
        if (ppi_pending(intid) == want)
            return true;
    return false;
}

static void gic_setup(void)
{
    MSR(ICC_SRE_EL2, ICC_SRE_SRE | ICC_SRE_ENABLE);
    gic_ppis_to_irq(1u << PPI_HYP_PHYS);
}

static void check_cnthp(void)
{
    printf("EL2 physical timer (PPI %u):\n", PPI_HYP_PHYS);
    cnthp_ctl_write(0);
    uint64_t cval = cntpct() + FAR_TICKS;
    __asm__ volatile("msr cnthp_cval_el2, %0\n\tisb" ::"r"(cval) : "memory");
    cnthp_ctl_write(CTL_ENABLE);
    printf("  CVAL ahead: TVAL > 0: %u, ISTATUS %u, pending %u\n", cnthp_tval() > 0,
           (cnthp_ctl() & CTL_ISTATUS) != 0, ppi_pending(PPI_HYP_PHYS));
    cval = cntpct() + NEAR_TICKS;
    __asm__ volatile("msr cnthp_cval_el2, %0\n\tisb" ::"r"(cval) : "memory");
    while (cntpct() <= cval) /* strictly past CVAL, so TVAL must read negative */
        ;
    printf("  count passed CVAL: TVAL < 0: %u, pending %u\n", cnthp_tval() < 0,
           wait_pending(PPI_HYP_PHYS, true));
    printf("  ISTATUS %u\n", (cnthp_ctl() & CTL_ISTATUS) != 0);
    cnthp_ctl_write(CTL_ENABLE | CTL_IMASK);
    printf("  IMASK=1: ISTATUS %u, pending dropped %u\n", (cnthp_ctl() & CTL_ISTATUS) != 0,
           wait_pending(PPI_HYP_PHYS, false));
    cnthp_ctl_write(CTL_ENABLE);
    IRQ_ENABLE();
    for (unsigned i = 0; i < POLL_BOUND && taken == 0; i++)
        ;
    IRQ_DISABLE();
    printf("  unmasked at EL2: taken %u, INTID %u\n", taken, last_intid);
}

static void run_el1(void (*fn)(uint64_t), uint64_t cnthctl, uint64_t cntvoff)
{
    write_sysregs(HCR_RW | HCR_IMO, cnthctl, cntvoff);
    __asm__ volatile("msr sp_el1, %0" ::"r"((uint64_t)(uintptr_t)(el1_stack + 1024)));
    lower_call(fn, 0, EL1H_MASKED);
}

static void check_cntvoff(void)
{
    /* A large offset makes the virtual count wrap below zero: the subtraction is modulo 2^64. */
    static const uint64_t offsets[] = {0, 0x123456789ull, 0xffff000000000000ull};
    printf("CNTVOFF_EL2 seen at EL1:\n");
    for (unsigned i = 0; i < 3; i++) {
        run_el1(el1_counts, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN, offsets[i]);
        uint64_t d = el1_pct - el1_vct - offsets[i];
        printf("  CNTVOFF 0x%lx: CNTPCT - CNTVCT - CNTVOFF in [0, slack): %u\n",
               (unsigned long)offsets[i], d < READ_SLACK);
    }
}

/* The EL1 virtual timer compares against the offset count: CVAL ahead of the physical
 * count but behind the virtual one has already expired. */
static void check_cntv_offset(void)
{
    uint64_t off = 0ull - (1ull << 40); /* virtual count = physical + 2^40 */
    write_sysregs(HCR_RW | HCR_IMO, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN, off);
    uint64_t ctl;
    __asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb" ::: "memory");
    uint64_t cval = cntpct() + FAR_TICKS;
    __asm__ volatile("msr cntv_cval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb" ::"r"(cval),
                     "r"((uint64_t)(CTL_ENABLE | CTL_IMASK))
                     : "memory");
    __asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(ctl)::"memory");
    printf("  CNTVOFF -2^40, CNTV_CVAL = CNTPCT + far: ISTATUS %u\n",
           (unsigned)(ctl & CTL_ISTATUS) != 0);
    __asm__ volatile("msr cntvoff_el2, xzr\n\tisb" ::: "memory");
    __asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(ctl)::"memory");
    printf("  CNTVOFF 0, same CVAL: ISTATUS %u\n", (unsigned)(ctl & CTL_ISTATUS) != 0);
    __asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb" ::: "memory");
}

static void check_el1pcten(void)
{
    printf("CNTHCTL_EL2.EL1PCTEN=0:\n");
    traps = 0;
    run_el1(el1_read_pct, CNTHCTL_EL1PCEN, 0);
    printf("  EL1 CNTPCT_EL0 read: traps %u, EC 0x%x, IL %u, ISS 0x%x, ELR at the MRS %u\n",
           (unsigned)traps, (unsigned)(trap_esr >> 26), (unsigned)(trap_esr >> 25) & 1,
           (unsigned)trap_esr & 0x1ffffff, trap_elr == (uint64_t)(uintptr_t)el1_mrs_cntpct);
    printf("  EL1 saw the emulated value: %u\n", el1_emulated == EMULATED_CNTPCT);
    traps = 0;
    run_el1(el1_read_pct, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN, 0);
    printf("  EL1PCTEN=1: traps %u\n", (unsigned)traps);
}

int main(void)
{
    IRQ_DISABLE();
    vectors_install_el2(handler_el2);
    write_sysregs(HCR_RW | HCR_IMO, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN, 0);
    __asm__ volatile("msr sctlr_el1, %0\n\tisb" ::"r"(SCTLR_EL1_V));
    gic_setup();
    check_cnthp();
    check_cntvoff();
    check_cntv_offset();
    check_el1pcten();
    register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
    __asm__ volatile("smc #0" : "+r"(x0)::"memory");
    printf("SYSTEM_OFF returned\n");
    guest_exit(1);
}
