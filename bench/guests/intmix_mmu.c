/* The integer mix of intmix.c with the MMU on: an identity map of RAM as
 * Normal write-back memory in 1 GiB and 2 MiB blocks (4K granule, 39-bit
 * VAs) and the UART page as Device-nGnRnE. `make bench` compares its MIPS
 * with intmix's: the software TLB must keep the cost of translation small. */
#include <stdint.h>

#include "mmu.h"

#define main intmix_main
#include "intmix.c"
#undef main

#define POOL      0x47000000ull /* page tables: above the image, inside QEMU's default 128 MiB */
#define POOL_SIZE 0x00100000ull
#define RAM_BASE  0x40000000ull
#define UART_PAGE 0x09000000ull
#define VA_BITS   39

/* MAIR_EL1: attribute 0 Device-nGnRnE, 1 Normal write-back. */
#define MAIR_VALUE 0xff00ull
#define PTE_RAM    (PTE_ATTRINDX(1) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define PTE_DEV    (PTE_ATTRINDX(0) | PTE_AF | PTE_UXN | PTE_PXN)
/* SCTLR_EL1: M, C, I, SA, SA0 and the RES1 bits (ITD and SED written as 1). */
#define SCTLR_MMU_ON 0x30d0199dull

static struct pt pt0;

#define MSR(reg, v) __asm__ volatile("msr " #reg ", %0\n\tisb" ::"r"((uint64_t)(v)) : "memory")

int main(void)
{
    if (!pt_init(&pt0, 4096, VA_BITS, POOL, POOL_SIZE) ||
        !pt_map(&pt0, RAM_BASE, RAM_BASE, 1ull << 30, PTE_RAM, false) ||
        !pt_map(&pt0, UART_PAGE, UART_PAGE, 4096, PTE_DEV, true)) {
        printf("intmix_mmu: page tables do not fit\n");
        return 1;
    }
    /* T0SZ = 25, IRGN0/ORGN0 write-back, SH0 inner, TG0 4K, EPD1, IPS 40 bits. */
    uint64_t tcr = (uint64_t)(64 - VA_BITS) | 1ull << 8 | 1ull << 10 | 3ull << 12 |
                   (uint64_t)pt_tg0(&pt0) << 14 | 1ull << 23 | 2ull << 32;
    MSR(mair_el1, MAIR_VALUE);
    MSR(tcr_el1, tcr);
    MSR(ttbr0_el1, pt0.root);
    __asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
    MSR(sctlr_el1, SCTLR_MMU_ON);
    return intmix_main();
}
