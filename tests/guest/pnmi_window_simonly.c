/*
 * Seed thread 000 for the explorer (docs/explore.md): the PMR is part of
 * the interrupted context. "The state of the PMR becomes part of the
 * interrupt context and must be saved and restored during exceptions",
 * says the irqflags patch; this handler does not: after a pseudo-NMI it
 * leaves ICC_PMR_EL1 unmasked (0xf0) instead of putting back what the
 * interrupted code had.
 *
 * Each of ROUNDS rounds pends the pseudo-NMI (SPI 40, priority 0x20, by a
 * write to GICD_ISPENDR1: it reaches the PE after the GIC's delivery
 * latency), runs a fixed number of NOPs and then the irqflags sequence:
 * local_irq_save (read the PMR, write 0x60), a normal SGI sent to itself
 * (held off by the PMR), a critical section, local_irq_restore. When the
 * pseudo-NMI lands inside the sequence, the broken handler returns with
 * the PMR open and the normal SGI is taken inside the critical section,
 * with local_irq_save in force. Whether it lands there depends only on
 * that round's delivery latency, which --race-seed draws from [L, 2L].
 *
 * With PNMI_SAVE_PMR (pnmi_window_fixed.c) the handler restores the
 * interrupted PMR, and no timing lets the normal SGI in.
 */
#include <stdbool.h>

#include "pnmi_common.h"

#define NMI_SPI  40
#define NMI_PRIO 0x20
#define WORD1    4
#define ROUNDS   8
#define SLED     120 /* NOPs between pending the pseudo-NMI and local_irq_save */

static volatile unsigned nmi_count, normal_count, normal_inside;
static volatile uint64_t crit;

/* window_seq(sgi1r_value, &crit): SLED NOPs, then the irqflags sequence;
 * window_masked is the first instruction after the PMR write of
 * local_irq_save, window_restore the PMR write of local_irq_restore. */
void window_seq(uint64_t sgi1r, volatile uint64_t *counter);
extern const char window_masked[], window_restore[];
__asm__(".text\n"
        ".globl window_seq\n"
        "window_seq:\n"
        "    .rept 120\n" /* SLED */
        "    nop\n"
        "    .endr\n"
        "    mrs  x3, S3_0_C4_C6_0\n" /* local_irq_save: flags = PMR */
        "    mov  x4, #0x60\n"
        "    msr  S3_0_C4_C6_0, x4\n" /*   PMR = 0x60 */
        ".globl window_masked\n"
        "window_masked:\n"
        "    msr  S3_0_C12_C11_5, x0\n" /* the normal SGI: held off */
        "    ldr  x5, [x1]\n"           /* critical section */
        "    add  x5, x5, #1\n"
        "    nop\n"
        "    nop\n"
        "    nop\n"
        "    nop\n"
        "    str  x5, [x1]\n"
        ".globl window_restore\n"
        "window_restore:\n"
        "    msr  S3_0_C4_C6_0, x3\n" /* local_irq_restore */
        "    isb\n"
        "    ret\n");

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ))
        guest_exit(2);
    uint64_t saved_pmr = MRS(ICC_PMR);
    unsigned intid = (unsigned)MRS(ICC_IAR1) & 0xffffff;
    MSR(ICC_PMR, PMR_MASKED);
    if (intid == NMI_SPI) {
        nmi_count++;
    } else if (intid == NORMAL_SGI) {
        normal_count++;
        uintptr_t at = (uintptr_t)f->elr;
        normal_inside += at >= (uintptr_t)window_masked && at <= (uintptr_t)window_restore;
    } else if (intid != 1023) {
        guest_exit(3);
    }
    if (intid != 1023)
        MSR(ICC_EOIR1, intid);
#ifdef PNMI_SAVE_PMR
    MSR(ICC_PMR, saved_pmr);
#else
    (void)saved_pmr;
    MSR(ICC_PMR, PMR_UNMASKED); /* the bug: not the interrupted context's PMR */
#endif
}

int main(void)
{
    gic_setup(); /* SGI 5 at 0xa0, Group 1, enabled */
    vectors_install_el1(handler);
    *(volatile uint32_t *)(GICD + 0x80 + WORD1) = 0xffffffff; /* IGROUPR1: Group 1 */
    ((volatile uint8_t *)(GICD + 0x400))[NMI_SPI] = NMI_PRIO;
    *(volatile uint64_t *)(GICD + 0x6000 + 8 * NMI_SPI) = 0;           /* IROUTER: PE 0 */
    *(volatile uint32_t *)(GICD + 0xc08) = 2u << (2 * (NMI_SPI % 16)); /* edge */
    *(volatile uint32_t *)(GICD + 0x100 + WORD1) = 1u << (NMI_SPI % 32);
    MSR(ICC_PMR, PMR_UNMASKED);
    __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
    (void)send_normal_sgi;
    uint64_t sgi1r = ((uint64_t)NORMAL_SGI << 24) | 1;
    for (unsigned k = 0; k < ROUNDS; k++) {
        *(volatile uint32_t *)(GICD + 0x200 + WORD1) = 1u << (NMI_SPI % 32); /* ISPENDR1 */
        window_seq(sgi1r, &crit);
        while (nmi_count <= k || normal_count <= k)
            ;
    }
    printf("pnmi_window: %u rounds: pseudo-NMIs %u, normal SGIs %u, ", ROUNDS, nmi_count,
           normal_count);
    if (normal_inside)
        printf("%u taken inside local_irq_save/restore\n", normal_inside);
    else
        printf("none inside local_irq_save/restore\n");
    return normal_inside ? 1 : 0;
}
