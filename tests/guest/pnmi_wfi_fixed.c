/* Seed thread 000, the fix: before WFI, switch from PMR masking to PSTATE.I
 * masking and open the PMR. The GIC now signals the pending interrupt, WFI
 * wakes (PSTATE.I masks taking it, not waking), and the interrupt is taken
 * once PSTATE.I is cleared, exactly once. */
#include "pnmi_common.h"

int main(void)
{
    gic_setup();
    MSR(ICC_PMR, PMR_MASKED);
    send_normal_sgi();
    /* The idle path: mask with PSTATE.I, open the PMR, then wait. */
    __asm__ volatile("msr daifset, #2" ::: "memory");
    MSR(ICC_PMR, PMR_UNMASKED);
    __asm__ volatile("wfi" ::: "memory");
    printf("pnmi_wfi_fixed: woke from WFI with PSTATE.I set: taken %u\n", taken_count);
    __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
    printf("pnmi_wfi_fixed: after clearing PSTATE.I: taken %u, INTID %u\n", taken_count,
           taken_intid);
    return taken_count == 1 && taken_intid == NORMAL_SGI ? 0 : 1;
}
