/* timer_hv.c with the PPI 28 checks that QEMU 7.2 cannot pass (its virt
 * board does not connect the EL2 virtual timer): pending, IMASK and ENABLE
 * dropping it, the IRQ taken at EL2, WFI woken by expiry. */
#define TIMER_HV_SIMONLY
#include "timer_hv.c"
