/* Seed thread 000, the hang: interrupts "disabled" by writing a masking
 * value to ICC_PMR_EL1 while PSTATE.I stays clear, then WFI. The pending
 * normal-priority interrupt is below the PMR, so the GIC never signals the
 * PE, and WFI (which wakes on a signalled interrupt, masked by PSTATE or
 * not) never returns: a deadlock, reported with the gate that stops the
 * interrupt. */
#include "pnmi_common.h"

int main(void)
{
    gic_setup();
    MSR(ICC_PMR, PMR_MASKED);                         /* local_irq_disable(), PMR style */
    __asm__ volatile("msr daifclr, #2" ::: "memory"); /* PSTATE.I stays clear */
    send_normal_sgi();
    printf("pnmi_wfi_hang: PMR 0x%x, SGI %u pending at 0x%x; entering WFI\n", PMR_MASKED,
           NORMAL_SGI, NORMAL_PRIO);
    __asm__ volatile("wfi" ::: "memory");
    printf("pnmi_wfi_hang: woke up (not expected)\n");
    return 1;
}
