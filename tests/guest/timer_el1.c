/*
 * The EL1 physical timer (CNTP_*_EL0, PPI 30) and the EL1 virtual timer
 * (CNTV_*_EL0, PPI 27) on the virt board, checked against the Arm ARM's
 * generic timer chapter:
 *
 *  - TVAL reads CVAL minus the count as a signed 32-bit value: positive
 *    before CVAL is reached, negative once it has passed;
 *  - once the count reaches CVAL with ENABLE=1 and IMASK=0, ISTATUS reads 1
 *    and the PPI is pending at the redistributor (GICR_ISPENDR0);
 *  - IMASK=1 keeps ISTATUS at 1 but takes the output down, so a
 *    level-sensitive PPI stops being pending; ENABLE=0 does the same;
 *  - unmasked, the interrupt is taken with the timer's INTID;
 *  - WFI with PSTATE.I set wakes when the timer's interrupt becomes pending.
 *
 * Only timing-independent facts are printed, so QEMU and a64sim agree:
 * every wait polls with a bound instead of counting on how long things take.
 */
#include <stdbool.h>
#include <stdint.h>

#include "gic_common.h"
#include "vectors.h"

#define CTL_ENABLE  (1u << 0)
#define CTL_IMASK   (1u << 1)
#define CTL_ISTATUS (1u << 2)

#define PPI_VIRT 27u
#define PPI_PHYS 30u

/* Far enough ahead that the timer cannot fire during a check (about 16 s at 62.5 MHz). */
#define FAR_TICKS 1000000000ull
/* Soon enough that waiting for it is quick (about 0.2 ms at 62.5 MHz). */
#define NEAR_TICKS 10000ull
#define POLL_BOUND 10000000u

static volatile unsigned taken, last_intid;
static volatile bool stop_in_handler;

static uint64_t count(bool virt)
{
    uint64_t v;
    if (virt)
        __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
    else
        __asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v)::"memory");
    return v;
}

static uint32_t ctl_read(bool virt)
{
    uint64_t v;
    if (virt)
        __asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(v)::"memory");
    else
        __asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v)::"memory");
    return (uint32_t)v;
}

static void ctl_write(bool virt, uint32_t v)
{
    if (virt)
        __asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" ::"r"((uint64_t)v) : "memory");
    else
        __asm__ volatile("msr cntp_ctl_el0, %0\n\tisb" ::"r"((uint64_t)v) : "memory");
}

static void cval_write(bool virt, uint64_t v)
{
    if (virt)
        __asm__ volatile("msr cntv_cval_el0, %0\n\tisb" ::"r"(v) : "memory");
    else
        __asm__ volatile("msr cntp_cval_el0, %0\n\tisb" ::"r"(v) : "memory");
}

static int32_t tval_read(bool virt)
{
    uint64_t v;
    if (virt)
        __asm__ volatile("mrs %0, cntv_tval_el0" : "=r"(v)::"memory");
    else
        __asm__ volatile("mrs %0, cntp_tval_el0" : "=r"(v)::"memory");
    return (int32_t)(uint32_t)v;
}

static bool ppi_pending(unsigned intid)
{
    return (rd32(GICR_SGI(0) + GICR_ISPENDR0) >> intid) & 1;
}

/* Poll until the PPI's pending bit equals WANT; false if it never does. */
static bool wait_pending(unsigned intid, bool want)
{
    for (unsigned i = 0; i < POLL_BOUND; i++)
        if (ppi_pending(intid) == want)
            return true;
    return false;
}

static bool wait_istatus(bool virt)
{
    for (unsigned i = 0; i < POLL_BOUND; i++)
        if (ctl_read(virt) & CTL_ISTATUS)
            return true;
    return false;
}

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ)) {
        printf("unexpected exception at vector 0x%x, ESR 0x%x\n", (unsigned)f->vector,
               (unsigned)f->esr);
        guest_exit(2);
    }
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    last_intid = intid;
    taken++;
    /* The output is a level: it must go down before the EOI, or the PPI re-pends. */
    if (intid == PPI_VIRT)
        ctl_write(true, 0);
    if (intid == PPI_PHYS)
        ctl_write(false, 0);
    MSR(ICC_EOIR1_EL1, intid);
}

/* CVAL ahead: TVAL positive, ISTATUS 0, nothing pending. */
static void check_before(bool virt, unsigned intid)
{
    ctl_write(virt, 0);
    cval_write(virt, count(virt) + FAR_TICKS);
    ctl_write(virt, CTL_ENABLE);
    int32_t tval = tval_read(virt);
    printf("  CVAL ahead: TVAL > 0: %u, ISTATUS %u, pending %u\n", tval > 0,
           (ctl_read(virt) & CTL_ISTATUS) != 0, ppi_pending(intid));
}

/* CVAL passed, IRQs masked by PSTATE.I: ISTATUS 1, TVAL negative, pending; then IMASK and ENABLE.
 */
static void check_expired(bool virt, unsigned intid)
{
    uint64_t cval = count(virt) + NEAR_TICKS;
    cval_write(virt, cval);
    while (count(virt) <= cval) /* strictly past CVAL, so TVAL must read negative */
        ;
    printf("  count passed CVAL: ISTATUS %u, TVAL < 0: %u, pending %u\n", wait_istatus(virt),
           tval_read(virt) < 0, wait_pending(intid, true));
    ctl_write(virt, CTL_ENABLE | CTL_IMASK);
    printf("  IMASK=1: ISTATUS %u, pending dropped %u\n", (ctl_read(virt) & CTL_ISTATUS) != 0,
           wait_pending(intid, false));
    ctl_write(virt, CTL_ENABLE);
    printf("  IMASK=0: pending again %u\n", wait_pending(intid, true));
    ctl_write(virt, 0);
    printf("  ENABLE=0: pending dropped %u\n", wait_pending(intid, false));
}

/* Unmasked, the expired timer's interrupt is taken once, with its INTID. */
static void check_taken(bool virt)
{
    taken = 0;
    last_intid = INTID_SPURIOUS;
    cval_write(virt, count(virt) + NEAR_TICKS);
    ctl_write(virt, CTL_ENABLE);
    IRQ_ENABLE();
    for (unsigned i = 0; i < POLL_BOUND && taken == 0; i++)
        ;
    IRQ_DISABLE();
    printf("  unmasked: taken %u, INTID %u\n", taken, last_intid);
}

/* WFI with PSTATE.I set: the pending timer interrupt wakes the PE; unmasking then takes it. */
static void check_wfi(bool virt)
{
    taken = 0;
    last_intid = INTID_SPURIOUS;
    uint64_t cval = count(virt) + NEAR_TICKS;
    cval_write(virt, cval);
    ctl_write(virt, CTL_ENABLE);
    unsigned wakes = 0;
    /* WFI may also wake for other reasons (Arm ARM: a WFI wake-up event), so loop. */
    while (taken == 0 && wakes < 1000) {
        __asm__ volatile("dsb sy\n\twfi" ::: "memory");
        wakes++;
        IRQ_ENABLE();
        IRQ_DISABLE();
    }
    printf("  WFI: woke and took INTID %u, count >= CVAL %u\n", last_intid, count(virt) >= cval);
}

static void check_timer(const char *name, bool virt, unsigned intid)
{
    printf("%s timer (PPI %u):\n", name, intid);
    check_before(virt, intid);
    check_expired(virt, intid);
    check_taken(virt);
    check_wfi(virt);
}

int main(void)
{
    vectors_install_el1(handler);
    IRQ_DISABLE();
    gic_ppis_to_irq((1u << PPI_VIRT) | (1u << PPI_PHYS));
    printf("CNTFRQ_EL0 nonzero: %u\n", MRS("cntfrq_el0") != 0);
    check_timer("EL1 physical", false, PPI_PHYS);
    check_timer("EL1 virtual", true, PPI_VIRT);
    return 0;
}
