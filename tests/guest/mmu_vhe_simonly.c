/*
 * mmu_vhe.c plus the check that the _EL12 accessors are UNDEFINED at EL2
 * while HCR_EL2.E2H is 0 (Arm ARM: they exist only in a VHE host). QEMU 7.2
 * gives access to them anyway, so this variant runs under a64sim only.
 */
#define A64SIM_ONLY
#define GUEST_NAME "mmu_vhe_simonly"

#include "mmu_vhe.c"
