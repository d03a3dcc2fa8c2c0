/*
 * mmu_el0_4k.c with the 16K translation granule. Cortex-A57 does not
 * implement 16K (ID_AA64MMFR0_EL1.TGran16 = 0), so this guest runs with
 * a64sim --cpu max and QEMU -cpu max.
 */
#define GRANULE    16384ull
#define GUEST_NAME "mmu_el0_16k"
/* A 39-bit VA starts at level 1 (3 index bits); RAM's 32 MiB blocks are at level 2. */
#define DFSC_ROOT_TRANSLATION  0x05u
#define DFSC_TTBR1_TRANSLATION 0x06u

#include "mmu_el0_4k.c"
