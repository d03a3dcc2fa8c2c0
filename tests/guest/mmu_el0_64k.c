/* mmu_el0_4k.c with the 64K translation granule. */
#define GRANULE    65536ull
#define GUEST_NAME "mmu_el0_64k"
/* A 39-bit VA starts at level 2 (10 index bits); RAM is one 512 MiB level 2 block. */
#define DFSC_ROOT_TRANSLATION  0x06u
#define DFSC_TTBR1_TRANSLATION 0x06u

#include "mmu_el0_4k.c"
