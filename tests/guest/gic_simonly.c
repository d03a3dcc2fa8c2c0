/* The GIC checks on which QEMU 7.2's virt board departs from a64sim, each
 * with the rule a64sim follows (docs/gic.md) and, in the comment, what QEMU
 * does (docs/testing.md has the table). Run with --spis 224, QEMU's SPI
 * count; compared with gic_simonly.expected only. PSTATE.DAIF stays
 * masked. */
#include "gic_common.h"

int main(void)
{
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
    gicr_wake(0);

    /* ITLinesNumber 7 (224 SPIs), MBIS 1, LPIS 0, IDbits 15, A3V 1, No1N 0.
     * QEMU: 0x037a0007 (LPIS 1 for its ITS, MBIS 0, No1N 1). */
    printf("GICD_TYPER 0x%08x\n", rd32(GICD + GICD_TYPER));

    /* IDbits 0 (16-bit INTIDs), as GICD_TYPER.IDbits says; PRIbits 4; A3V 1.
     * QEMU: 0x8c00, IDbits 1 (24 bits) against its GICD_TYPER.IDbits 15. */
    printf("ICC_CTLR_EL1 0x%lx\n", (unsigned long)MRS(ICC_CTLR_EL1));

    /* With 5 priority bits the low 3 bits of every priority field are
     * RAZ/WI. QEMU's distributor keeps all 8 bits (its CPU interface has 5). */
    wr8(GICD + GICD_IPRIORITYR + 40, 0xff);
    wr32(GICD + GICD_IPRIORITYR + 44, 0x01234567);
    printf("GICD_IPRIORITYR: byte 0xff reads 0x%x, word 0x01234567 reads 0x%08x\n",
           rd8(GICD + GICD_IPRIORITYR + 40), rd32(GICD + GICD_IPRIORITYR + 44));
    wr8(GICR_SGI(0) + GICR_IPRIORITYR + 1, 0xff);
    printf("GICR_IPRIORITYR: byte 0xff reads 0x%x\n", rd8(GICR_SGI(0) + GICR_IPRIORITYR + 1));

    /* IROUTER bits [30:24] and [63:40] are RES0. QEMU stores all 64 bits. */
    mmio_write(GICD + GICD_IROUTER + 8 * 40, 8, ~0ull);
    printf("GICD_IROUTER40 after all ones: 0x%lx\n",
           (unsigned long)mmio_read(GICD + GICD_IROUTER + 8 * 40, 8));
    mmio_write(GICD + GICD_IROUTER + 8 * 40, 8, 0);

    /* INTIDs 256-287 are past ITLinesNumber 7: RAZ/WI. QEMU reads back
     * what was written to these registers. */
    wr32(GICD + GICD_ISENABLER + 32, 0xffffffff);
    wr32(GICD + GICD_IGROUPR + 32, 0xffffffff);
    printf("GICD_ISENABLER8, GICD_IGROUPR8 (not implemented) after all ones: 0x%x 0x%x\n",
           rd32(GICD + GICD_ISENABLER + 32), rd32(GICD + GICD_IGROUPR + 32));

    /* ICC_SGI1R_EL1 from Non-secure EL1 with DS = 1 also pends a Group 0 SGI
     * (IHI 0069, the SGI forwarding table). QEMU drops it. */
    wr32(GICR_SGI(0) + GICR_IGROUPR0, ~(1u << 4));
    MSR(ICC_SGI1R_EL1, sgi_value(4, 1));
    settle(200);
    printf("ICC_SGI1R_EL1 to Group 0 SGI 4: GICR_ISPENDR0 0x%x\n",
           rd32(GICR_SGI(0) + GICR_ISPENDR0));
    return 0;
}
