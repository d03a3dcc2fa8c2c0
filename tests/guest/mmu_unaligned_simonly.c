/*
 * mmu_unaligned.c plus unaligned accesses to Device memory, which must take
 * an Alignment fault whatever SCTLR_EL1.A says (Arm ARM B2.5.2), DC ZVA to
 * Device memory (an Alignment fault too), and an unaligned STXR with the
 * exclusive monitor clear (the alignment check comes first). QEMU 7.2 takes
 * no fault on any of them, so this guest runs under a64sim only.
 */
#define A64SIM_ONLY
#define GUEST_NAME "mmu_unaligned_simonly"

#include "mmu_unaligned.c"
