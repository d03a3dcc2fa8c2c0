/* Seed thread 000, scenario 4: the irqflags sequence of pnmi_irqflags with a
 * pseudo-NMI arriving in every instruction window of it
 * (docs/scenarios/pseudo-nmi.md). Each iteration pends the pseudo-NMI, SPI
 * 40 at priority 0x20, by a write to GICD_ISPENDR1: on a64sim it reaches
 * the PE --gic-latency cycles later (perturbed by --race-seed), whereas a
 * self-SGI would act at the next instruction boundary. It then runs a NOP
 * sled whose length shrinks by one each iteration, and the sequence:
 *
 *   local_irq_save (read the PMR, write 0x60), a normal SGI sent to itself
 *   (held off by the PMR), a critical section (load, add, store),
 *   local_irq_restore (write the saved PMR back, ISB).
 *
 * So over the iterations the pseudo-NMI lands before, in each window of,
 * and after the sequence, and inside the normal SGI's handler (which runs
 * with PMR masking and PSTATE.I clear, as Linux's does). Whatever the
 * window, each iteration must take exactly one pseudo-NMI and exactly one
 * normal SGI, the latter never while the PMR masks it. The printed counts
 * are the same for every latency, seed and quantum, and under QEMU.
 * scripts/guest-tests.sh runs it over a range of them and checks, from the
 * trace's exception entries, that every window was hit. */
#include <stdbool.h>

#include "pnmi_common.h"

#define NMI_SPI    40
#define NMI_PRIO   0x20
#define WORD1      4
#define ITERATIONS 128 /* also the length of the NOP sled */
#define WAIT_POLLS 100000u

static volatile unsigned nmi_count, normal_count, normal_masked, bad_iterations;
static volatile uint64_t crit;

/* race_seq(skip, sgi1r_value, &crit): skip SKIP NOPs of the sled, then the
 * irqflags sequence between race_window and race_window_end. */
void race_seq(uint64_t skip, uint64_t sgi1r, volatile uint64_t *counter);
__asm__(".text\n"
        ".globl race_seq\n"
        "race_seq:\n"
        "    adr  x9, race_sled\n"
        "    add  x9, x9, x0, lsl #2\n"
        "    br   x9\n"
        "race_sled:\n"
        "    .rept 128\n"
        "    nop\n"
        "    .endr\n"
        ".globl race_window\n"
        "race_window:\n"
        "    mrs  x3, S3_0_C4_C6_0\n" /* local_irq_save: flags = PMR */
        "    mov  x4, #0x60\n"
        "    msr  S3_0_C4_C6_0, x4\n"   /*   PMR = 0x60 */
        "    msr  S3_0_C12_C11_5, x1\n" /* the normal SGI: held off */
        "    ldr  x5, [x2]\n"           /* critical section */
        "    add  x5, x5, #1\n"
        "    str  x5, [x2]\n"
        "    msr  S3_0_C4_C6_0, x3\n" /* local_irq_restore */
        "    isb\n"
        ".globl race_window_end\n"
        "race_window_end:\n"
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
        MSR(ICC_EOIR1, intid);
    } else if (intid == NORMAL_SGI) {
        normal_count++;
        normal_masked += saved_pmr != PMR_UNMASKED;
        __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory"); /* pseudo-NMIs may nest */
        for (volatile int i = 0; i < 20; i++)
            ;
        __asm__ volatile("msr daifset, #2" ::: "memory");
        MSR(ICC_EOIR1, intid);
    } else if (intid != 1023) {
        guest_exit(3);
    }
    MSR(ICC_PMR, saved_pmr);
}

static void nmi_setup(void)
{
    *(volatile uint32_t *)(GICD + 0x80 + WORD1) = 0xffffffff; /* IGROUPR1: Group 1 */
    ((volatile uint8_t *)(GICD + 0x400))[NMI_SPI] = NMI_PRIO;
    *(volatile uint64_t *)(GICD + 0x6000 + 8 * NMI_SPI) = 0;           /* IROUTER: PE 0 */
    *(volatile uint32_t *)(GICD + 0xc08) = 2u << (2 * (NMI_SPI % 16)); /* edge */
    *(volatile uint32_t *)(GICD + 0x100 + WORD1) = 1u << (NMI_SPI % 32);
}

static void wait_for(unsigned want)
{
    for (unsigned i = 0; i < WAIT_POLLS && (nmi_count < want || normal_count < want); i++)
        ;
    for (volatile int i = 0; i < 200; i++)
        ;
}

int main(void)
{
    gic_setup(); /* SGI 5 at 0xa0, Group 1, enabled */
    nmi_setup();
    vectors_install_el1(handler);
    MSR(ICC_PMR, PMR_UNMASKED);
    __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
    (void)send_normal_sgi; /* the sequence sends the normal SGI itself, from assembly */
    uint64_t sgi1r = ((uint64_t)NORMAL_SGI << 24) | 1;
    for (unsigned k = 0; k < ITERATIONS; k++) {
        *(volatile uint32_t *)(GICD + 0x200 + WORD1) = 1u << (NMI_SPI % 32); /* ISPENDR1 */
        race_seq(k, sgi1r, &crit);
        wait_for(k + 1);
        bad_iterations += nmi_count != k + 1 || normal_count != k + 1;
    }
    printf("pnmi_race: %u iterations of the irqflags sequence, a pseudo-NMI (SPI %u, 0x%x) "
           "pended before each\n",
           ITERATIONS, NMI_SPI, NMI_PRIO);
    printf("pseudo-NMIs taken %u, normal SGIs taken %u, critical sections run %u\n", nmi_count,
           normal_count, (unsigned)crit);
    printf("normal SGIs taken while the PMR masked them: %u; iterations that lost or doubled an "
           "interrupt: %u\n",
           normal_masked, bad_iterations);
    printf("at the end: PMR 0x%lx\n", (unsigned long)MRS(ICC_PMR));
    return bad_iterations == 0 && normal_masked == 0 ? 0 : 1;
}
