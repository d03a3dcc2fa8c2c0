/*
 * vgic_pnmi_kick_fixed.c without the fix of seed thread 000: the host
 * enters its guest with interrupts masked by ICC_PMR_EL1 = 0x60 and
 * PSTATE.I clear. The kick (SGI 1, priority 0x80) sent while the vCPU is in
 * IN_GUEST_MODE stays pending and is never signalled, the vCPU never exits,
 * the queued vINTID 40 never reaches a list register, and the guest's WFI
 * never returns: a64sim ends the run as a deadlock (exit code 1, the SGI
 * "not signalled: priority not higher than PMR 0x60"). QEMU 7.2 just hangs,
 * so this variant runs under a64sim only; its expected output is what it
 * prints up to the hang.
 */
#define KICK_LOST

#include "vgic_pnmi_kick_fixed.c"
