/*
 * vgic_vtimer_exit_fixed.c with the user space of the thread's patch that
 * looks at the timer bitmap only on INTR exits: a rise the kernel records
 * in an MMIO exit is never seen, vINTID 27 is never injected, and the
 * guest waits in WFI for good (a deadlock on a64sim). Unperturbed, PPI 27
 * reaches the PE while the guest spins and the run passes; under
 * `a64sim explore`, a late GIC delivery makes the MMIO exit come first.
 * The failing form hangs on QEMU, hence a64sim only.
 */
#define VMM_CHECKS_ON_INTR_ONLY

#include "vgic_vtimer_exit_fixed.c"
