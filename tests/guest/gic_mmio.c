/* The GIC's memory-mapped state read back after writes, compared with QEMU's
 * virt board (a64sim runs it with --spis 224, QEMU's SPI count): the
 * identification registers, GICR_WAKER, and for SPIs (distributor) and
 * SGIs (redistributor) the set/clear pairs ISENABLER/ICENABLER,
 * ISPENDR/ICPENDR, ISACTIVER/ICACTIVER, IPRIORITYR by byte and by word,
 * ICFGR, IGROUPR and IROUTER, each with its effect on ICC_HPPIR0/1_EL1.
 * PSTATE.DAIF stays masked: nothing is taken, HPPIR shows what would be.
 * Only values both boards fix are printed; where QEMU 7.2 departs from the
 * specification the check is in gic_simonly (docs/testing.md). */
#include "gic_common.h"

#define SPI   40 /* edge-triggered below */
#define LSPI  41 /* level-sensitive */
#define SGI   3
#define WORD1 4 /* byte offset of the 32-bit register for INTIDs 32-63 */

static uint32_t bit(unsigned intid)
{
    return 1u << (intid % 32);
}

static unsigned hppir1(void)
{
    return (unsigned)MRS(ICC_HPPIR1_EL1) & 0xffffff;
}

static unsigned hppir0(void)
{
    return (unsigned)MRS(ICC_HPPIR0_EL1) & 0xffffff;
}

static void identification(void)
{
    printf("GICD_TYPER.ITLinesNumber %u\n", rd32(GICD + GICD_TYPER) & 0x1f);
    printf("GICD_IIDR 0x%x, GICD_PIDR2.ArchRev %u\n", rd32(GICD + GICD_IIDR),
           (rd32(GICD + GICD_PIDR2) >> 4) & 0xf);
    printf("GICD_CTLR reset 0x%x", rd32(GICD + GICD_CTLR));
    wr32(GICD + GICD_CTLR, 0xffffffff);
    printf(", after writing 0xffffffff 0x%x", rd32(GICD + GICD_CTLR));
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
    printf(", after 0x13 0x%x\n", rd32(GICD + GICD_CTLR));
    uint64_t typer = mmio_read(GICR_RD(0) + GICR_TYPER, 8);
    printf("GICR_TYPER: Affinity 0x%x, Processor_Number %u, Last %u; upper half by 32 bits 0x%x\n",
           (unsigned)(typer >> 32), (unsigned)(typer >> 8) & 0xffff, (unsigned)(typer >> 4) & 1,
           rd32(GICR_RD(0) + GICR_TYPER + 4));
    uintptr_t waker = GICR_RD(0) + GICR_WAKER;
    printf("GICR_WAKER reset 0x%x", rd32(waker));
    wr32(waker, 0);
    printf(", ProcessorSleep 0: 0x%x", rd32(waker));
    wr32(waker, GICR_WAKER_PROCESSOR_SLEEP);
    printf(", ProcessorSleep 1: 0x%x\n", rd32(waker));
    gicr_wake(0);
}

static void spi_enable(void)
{
    uintptr_t is = GICD + GICD_ISENABLER + WORD1, ic = GICD + GICD_ICENABLER + WORD1;
    wr32(is, bit(SPI) | bit(LSPI));
    printf("ISENABLER1 after setting SPIs %u, %u: 0x%x (ICENABLER1 0x%x)\n", SPI, LSPI, rd32(is),
           rd32(ic));
    wr32(ic, bit(LSPI));
    printf("after ICENABLER1 of %u: 0x%x (ICENABLER1 0x%x)\n", LSPI, rd32(is), rd32(ic));
    wr32(is, bit(LSPI));
    wr32(GICD + GICD_ISENABLER, 0xffffffff);
    printf("GICD_ISENABLER0 (SGIs/PPIs, RAZ/WI with ARE) after 0xffffffff: 0x%x\n",
           rd32(GICD + GICD_ISENABLER));
}

static void spi_config(void)
{
    uintptr_t cfg = GICD + GICD_ICFGR + 8; /* ICFGR2: INTIDs 32-47 */
    wr32(cfg, 0xffffffff);
    printf("GICD_ICFGR2 after 0xffffffff: 0x%x\n", rd32(cfg));
    wr32(cfg, 2u << (2 * (SPI % 16))); /* SPI edge, the rest level */
    printf("GICD_ICFGR2 with only SPI %u edge: 0x%x\n", SPI, rd32(cfg));
    uintptr_t grp = GICD + GICD_IGROUPR + WORD1;
    wr32(grp, 0x0000ff00);
    printf("GICD_IGROUPR1 after 0x0000ff00: 0x%x", rd32(grp));
    wr32(grp, 0xffffffff);
    printf(", after 0xffffffff: 0x%x", rd32(grp));
    wr32(GICD + GICD_IGROUPR, 0xffffffff);
    printf("; GICD_IGROUPR0 (RAZ/WI) 0x%x\n", rd32(GICD + GICD_IGROUPR));
}

static void spi_priority(void)
{
    uintptr_t p = GICD + GICD_IPRIORITYR + SPI;
    for (unsigned i = 0; i < 4; i++)
        wr8(p + i, (uint8_t)(0x10 * (i + 1)));
    printf("IPRIORITYR10 after bytes 0x10 0x20 0x30 0x40: 0x%x\n", rd32(p));
    wr32(p, 0xa0b8c8f0);
    printf("after the word 0xa0b8c8f0, bytes: 0x%x 0x%x 0x%x 0x%x\n", rd8(p), rd8(p + 1),
           rd8(p + 2), rd8(p + 3));
    wr8(p, 0x80);
    wr8(GICD + GICD_IPRIORITYR + 5, 0x80);
    printf("GICD_IPRIORITYR byte of INTID 5 (RAZ/WI with ARE): 0x%x\n",
           rd8(GICD + GICD_IPRIORITYR + 5));
}

static void spi_pending(void)
{
    uintptr_t is = GICD + GICD_ISPENDR + WORD1, ic = GICD + GICD_ICPENDR + WORD1;
    printf("HPPIR1 with nothing pending: %u\n", hppir1());
    wr32(is, bit(SPI));
    printf("ISPENDR1 after setting SPI %u: 0x%x (ICPENDR1 0x%x), HPPIR1 %u\n", SPI, rd32(is),
           rd32(ic), hppir1());
    wr32(ic, bit(SPI));
    printf("after ICPENDR1: 0x%x, HPPIR1 %u\n", rd32(is), hppir1());
    wr32(is, bit(LSPI));
    printf("level-sensitive SPI %u set pending: 0x%x; ", LSPI, rd32(is));
    wr32(ic, bit(LSPI));
    printf("cleared (its input is low): 0x%x\n", rd32(is));
}

static void spi_active(void)
{
    uintptr_t is = GICD + GICD_ISACTIVER + WORD1, ic = GICD + GICD_ICACTIVER + WORD1;
    wr32(GICD + GICD_ISPENDR + WORD1, bit(SPI));
    wr32(is, bit(SPI));
    printf("SPI %u pending and set active: ISACTIVER1 0x%x (ICACTIVER1 0x%x), HPPIR1 %u, RPR "
           "0x%x\n",
           SPI, rd32(is), rd32(ic), hppir1(), (unsigned)MRS(ICC_RPR_EL1));
    wr32(ic, bit(SPI));
    printf("after ICACTIVER1: 0x%x, HPPIR1 %u\n", rd32(is), hppir1());
}

static void spi_group_and_route(void)
{
    uintptr_t grp = GICD + GICD_IGROUPR + WORD1;
    wr32(grp, ~bit(SPI));
    printf("SPI %u in Group 0: HPPIR1 %u, HPPIR0 %u\n", SPI, hppir1(), hppir0());
    wr32(grp, 0xffffffff);
    uintptr_t r = GICD + GICD_IROUTER + 8 * SPI;
    mmio_write(r, 8, 0x0000000100000100ull); /* Aff3 1, Aff1 1: no such PE */
    printf("IROUTER%u = Aff3.Aff1 1.1: reads 0x%lx, HPPIR1 %u\n", SPI,
           (unsigned long)(mmio_read(r, 8) & 0xff80ffffffull), hppir1());
    wr32(r, 0);
    wr32(r + 4, 0);
    printf("IROUTER%u = 0 by two 32-bit writes: reads 0x%lx, HPPIR1 %u\n", SPI,
           (unsigned long)mmio_read(r, 8), hppir1());
    wr32(GICD + GICD_ICPENDR + WORD1, bit(SPI));
}

static void sgi_registers(void)
{
    uintptr_t s = GICR_SGI(0);
    wr32(s + GICR_IGROUPR0, 0x0000ffff);
    printf("GICR_IGROUPR0 after 0x0000ffff: 0x%x\n", rd32(s + GICR_IGROUPR0));
    wr32(s + GICR_IPRIORITYR, 0x40302010);
    printf("GICR_IPRIORITYR0 after the word 0x40302010, byte 3: 0x%x\n",
           rd8(s + GICR_IPRIORITYR + SGI));
    wr8(s + GICR_IPRIORITYR + SGI, 0x90);
    printf("after byte 0x90: word 0x%x\n", rd32(s + GICR_IPRIORITYR));
    wr32(s + GICR_ISENABLER0, 1u << SGI);
    printf("GICR_ISENABLER0 0x%x\n", rd32(s + GICR_ISENABLER0));
    wr32(s + GICR_ISPENDR0, 1u << SGI);
    printf("SGI %u set pending: GICR_ISPENDR0 0x%x, HPPIR1 %u\n", SGI, rd32(s + GICR_ISPENDR0),
           hppir1());
    wr32(s + GICR_ISACTIVER0, 1u << SGI);
    printf("and active: GICR_ISACTIVER0 0x%x, HPPIR1 %u\n", rd32(s + GICR_ISACTIVER0), hppir1());
    wr32(s + GICR_ICACTIVER0, 1u << SGI);
    wr32(s + GICR_ICPENDR0, 1u << SGI);
    printf("cleared: GICR_ISPENDR0 0x%x GICR_ISACTIVER0 0x%x, HPPIR1 %u\n", rd32(s + GICR_ISPENDR0),
           rd32(s + GICR_ISACTIVER0), hppir1());
    wr32(s + GICR_ICFGR0, 0);
    printf("GICR_ICFGR0 (SGIs, read-only) after 0: 0x%x\n", rd32(s + GICR_ICFGR0));
    wr32(s + GICR_ICFGR1, 0xffffffff);
    printf("GICR_ICFGR1 (PPIs) after 0xffffffff: 0x%x\n", rd32(s + GICR_ICFGR1));
    wr32(s + GICR_ICFGR1, 0);
    wr32(s + GICR_ICENABLER0, 0xffffffff);
    printf("GICR_ICENABLER0 after clearing all: 0x%x\n", rd32(s + GICR_ICENABLER0));
}

int main(void)
{
    identification();
    MSR(ICC_IGRPEN0_EL1, 1);
    MSR(ICC_IGRPEN1_EL1, 1);
    spi_enable();
    spi_config();
    spi_priority();
    spi_pending();
    spi_active();
    spi_group_and_route();
    sgi_registers();
    return 0;
}
