/* Seed thread 000, scenario 1: Linux-style irqflags with ICC_PMR_EL1
 * (docs/scenarios/pseudo-nmi.md). local_irq_save() reads the PMR and writes
 * the masking value 0x60, leaving PSTATE.I clear; a normal-priority SGI
 * (0xa0) is then held off by the GIC, while the pseudo-NMI (SGI 6 at 0x20,
 * higher than the mask) is still signalled and taken. The exception sets
 * PSTATE.I; the handler saves the interrupted PMR, runs with the masking
 * value, and restores the saved PMR before it returns, as Linux's entry
 * code does. local_irq_restore() writes the saved PMR back and the held-off
 * SGI is taken at once. Inside the normal handler (PMR masking, PSTATE.I
 * cleared again so that pseudo-NMIs can nest, as Linux's handler does) a
 * pseudo-NMI still preempts. Compared with QEMU's virt board. */
#include <stdbool.h>

#include "pnmi_common.h"

#define ICC_RPR    "S3_0_C12_C11_3"
#define ICC_HPPIR1 "S3_0_C12_C12_2"
#define NMI_PRIO   0x20
#define NMI_SGI    6

static volatile unsigned nmi_count, normal_count, depth, nmi_depth;
static volatile uint64_t nmi_pmr_at_entry, nmi_daif_i, nmi_spsr_i, nmi_rpr;
static volatile uint64_t normal_pmr_at_entry, normal_rpr, normal_rpr_after_nmi;
static volatile bool nmi_inside_normal;

static uint64_t daif_i(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, daif" : "=r"(v));
    return (v >> 7) & 1;
}

static void send_sgi(unsigned intid)
{
    __asm__ volatile("dsb ish" ::: "memory");
    MSR(ICC_SGI1R, ((uint64_t)intid << 24) | 1);
    for (volatile int i = 0; i < 500; i++)
        ;
}

static void pseudo_nmi(struct exc_frame *f, unsigned intid)
{
    nmi_count++;
    nmi_depth = depth;
    nmi_daif_i = daif_i();
    nmi_spsr_i = (f->spsr >> 7) & 1;
    nmi_rpr = MRS(ICC_RPR);
    MSR(ICC_EOIR1, intid);
}

static void normal_irq(unsigned intid)
{
    normal_count++;
    normal_rpr = MRS(ICC_RPR);
    /* Let pseudo-NMIs in while the handler runs: PMR masks normal IRQs. */
    __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
    if (nmi_inside_normal)
        send_sgi(NMI_SGI);
    normal_rpr_after_nmi = MRS(ICC_RPR);
    __asm__ volatile("msr daifset, #2" ::: "memory");
    MSR(ICC_EOIR1, intid);
}

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ))
        guest_exit(2);
    /* Acknowledge under the interrupted context's mask, then mask normal
     * interrupts with the PMR for the rest of the handler. */
    uint64_t saved_pmr = MRS(ICC_PMR);
    unsigned intid = (unsigned)MRS(ICC_IAR1) & 0xffffff;
    MSR(ICC_PMR, PMR_MASKED);
    depth++;
    if (intid == NMI_SGI) {
        nmi_pmr_at_entry = saved_pmr;
        pseudo_nmi(f, intid);
    } else if (intid == NORMAL_SGI) {
        normal_pmr_at_entry = saved_pmr;
        normal_irq(intid);
    } else if (intid != 1023) {
        guest_exit(3);
    }
    depth--;
    MSR(ICC_PMR, saved_pmr);
}

static uint64_t local_irq_save(void)
{
    uint64_t flags = MRS(ICC_PMR);
    MSR(ICC_PMR, PMR_MASKED);
    return flags;
}

static void local_irq_restore(uint64_t flags)
{
    MSR(ICC_PMR, flags);
}

int main(void)
{
    gic_setup(); /* SGI 5 at 0xa0, Group 1, enabled */
    ((volatile uint8_t *)(GICR_SGI + 0x400))[NMI_SGI] = NMI_PRIO;
    *(volatile uint32_t *)(GICR_SGI + 0x100) = 1u << NMI_SGI;
    vectors_install_el1(handler);
    MSR(ICC_PMR, PMR_UNMASKED);
    __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");

    uint64_t flags = local_irq_save();
    printf("local_irq_save: PMR 0x%lx, PSTATE.I %lu, flags 0x%lx\n", (unsigned long)MRS(ICC_PMR),
           (unsigned long)daif_i(), (unsigned long)flags);
    send_normal_sgi();
    for (volatile int i = 0; i < 500; i++)
        ;
    printf("normal SGI %u (0x%x) sent: taken %u, HPPIR1 %lu\n", NORMAL_SGI, NORMAL_PRIO,
           normal_count, (unsigned long)MRS(ICC_HPPIR1) & 0xffffff);
    send_sgi(NMI_SGI);
    printf("pseudo-NMI SGI %u (0x%x) sent: taken %u; in its handler PMR was 0x%lx, PSTATE.I %lu "
           "(interrupted context %lu), RPR 0x%lx\n",
           NMI_SGI, NMI_PRIO, nmi_count, (unsigned long)nmi_pmr_at_entry, (unsigned long)nmi_daif_i,
           (unsigned long)nmi_spsr_i, (unsigned long)nmi_rpr);
    printf("after it: PMR 0x%lx, normal SGI taken %u, HPPIR1 %lu\n", (unsigned long)MRS(ICC_PMR),
           normal_count, (unsigned long)MRS(ICC_HPPIR1) & 0xffffff);

    nmi_inside_normal = true;
    local_irq_restore(flags);
    printf("local_irq_restore: PMR 0x%lx, normal SGI taken %u (PMR at entry 0x%lx, RPR 0x%lx)\n",
           (unsigned long)MRS(ICC_PMR), normal_count, (unsigned long)normal_pmr_at_entry,
           (unsigned long)normal_rpr);
    printf("pseudo-NMI inside the normal handler: taken %u in all, %u deep, PMR at entry 0x%lx, "
           "RPR 0x%lx; the normal handler then ran at RPR 0x%lx\n",
           nmi_count, nmi_depth, (unsigned long)nmi_pmr_at_entry, (unsigned long)nmi_rpr,
           (unsigned long)normal_rpr_after_nmi);
    printf("at the end: PMR 0x%lx, RPR 0x%lx, HPPIR1 %lu\n", (unsigned long)MRS(ICC_PMR),
           (unsigned long)MRS(ICC_RPR), (unsigned long)MRS(ICC_HPPIR1) & 0xffffff);
    return nmi_count == 2 && normal_count == 1 ? 0 : 1;
}
