/*
 * vgic_icpendr_fixed.c without the fix of seed thread 002: the guest's
 * GICD_ICPENDR retires the list register of its assigned interrupt, no EOI
 * maintenance interrupt ever comes for it, the resampler is never called,
 * and the physical SPI 33 stays masked. The guest then waits in WFI for the
 * device's next interrupt, which cannot arrive: a64sim ends the run as a
 * deadlock (exit code 1, "deadlock: every PE waits"). QEMU 7.2 just hangs,
 * so this variant runs under a64sim only; its expected output is what it
 * prints up to the hang.
 */
#define ICPENDR_LOST

#include "vgic_icpendr_fixed.c"
