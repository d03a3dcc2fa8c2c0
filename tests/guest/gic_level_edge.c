/* Level-sensitive against edge-triggered SPIs driven by the message-based
 * SPI registers GICD_SETSPI_NSR / GICD_CLRSPI_NSR (GICD_TYPER.MBIS = 1;
 * docs/gic.md, "Message-based SPIs"). SPI 40 is edge-triggered, SPI 41
 * level-sensitive.
 *
 * Edge: SETSPI_NSR sets the pending latch; acknowledge clears it; a second
 * SETSPI_NSR while pending has no effect (one interrupt); CLRSPI_NSR
 * removes the pending state. Level: SETSPI_NSR asserts the level until
 * CLRSPI_NSR deasserts it, so the SPI is active and pending after
 * acknowledge, each EOI re-pends it at once, and GICD_ICPENDR cannot clear
 * it. a64sim only: QEMU 7.2 has GICD_TYPER.MBIS = 0 and ignores writes to
 * both registers (docs/testing.md). gic_level_wire checks the same level and
 * edge rules on the UART's wire, against QEMU. */
#include "gic_common.h"
#include "vectors.h"

#define EDGE_SPI    40
#define LEVEL_SPI   41
#define WORD1       4
#define LEVEL_TIMES 3

static volatile unsigned taken[2];
static volatile uint32_t level_pend_after_ack[LEVEL_TIMES], level_active_after_ack[LEVEL_TIMES];
static volatile uint32_t edge_pend_after_ack;

static uint32_t spi_bit(uintptr_t reg, unsigned intid)
{
    return (rd32(GICD + reg + WORD1) >> (intid % 32)) & 1;
}

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ))
        guest_exit(2);
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return; /* the line was withdrawn after it was signalled: nothing to end */
    if (intid == EDGE_SPI) {
        edge_pend_after_ack = spi_bit(GICD_ISPENDR, EDGE_SPI);
        taken[0]++;
    } else if (intid == LEVEL_SPI) {
        unsigned n = taken[1]++;
        if (n < LEVEL_TIMES) {
            level_pend_after_ack[n] = spi_bit(GICD_ISPENDR, LEVEL_SPI);
            level_active_after_ack[n] = spi_bit(GICD_ISACTIVER, LEVEL_SPI);
        }
        if (taken[1] == LEVEL_TIMES)
            wr32(GICD + GICD_CLRSPI_NSR, LEVEL_SPI); /* deassert before the EOI */
    } else {
        guest_exit(3);
    }
    MSR(ICC_EOIR1_EL1, intid);
}

static void edge(void)
{
    wr32(GICD + GICD_SETSPI_NSR, EDGE_SPI);
    settle(2000);
    printf("edge SPI %u, SETSPI_NSR: taken %u, pending after acknowledge %u, pending now %u\n",
           EDGE_SPI, taken[0], edge_pend_after_ack, spi_bit(GICD_ISPENDR, EDGE_SPI));
    IRQ_DISABLE();
    wr32(GICD + GICD_SETSPI_NSR, EDGE_SPI);
    wr32(GICD + GICD_SETSPI_NSR, EDGE_SPI);
    printf("two SETSPI_NSR with PSTATE.I set: pending %u;", spi_bit(GICD_ISPENDR, EDGE_SPI));
    IRQ_ENABLE();
    settle(2000);
    printf(" unmasked: taken %u in all\n", taken[0]);
    IRQ_DISABLE();
    wr32(GICD + GICD_SETSPI_NSR, EDGE_SPI);
    wr32(GICD + GICD_CLRSPI_NSR, EDGE_SPI);
    printf("SETSPI_NSR then CLRSPI_NSR: pending %u;", spi_bit(GICD_ISPENDR, EDGE_SPI));
    IRQ_ENABLE();
    settle(2000);
    printf(" unmasked: taken %u in all\n", taken[0]);
}

static void level(void)
{
    wr32(GICD + GICD_SETSPI_NSR, LEVEL_SPI);
    settle(5000);
    printf("level SPI %u, SETSPI_NSR: taken %u times (EOI re-pends while asserted; the last handler"
           " wrote CLRSPI_NSR)\n",
           LEVEL_SPI, taken[1]);
    for (unsigned i = 0; i < LEVEL_TIMES; i++)
        printf("  handler %u after acknowledge: pending %u active %u\n", i + 1,
               level_pend_after_ack[i], level_active_after_ack[i]);
    printf("  pending now %u\n", spi_bit(GICD_ISPENDR, LEVEL_SPI));
    IRQ_DISABLE();
    wr32(GICD + GICD_SETSPI_NSR, LEVEL_SPI);
    wr32(GICD + GICD_ICPENDR + WORD1, 1u << (LEVEL_SPI % 32));
    printf("SETSPI_NSR then ICPENDR with PSTATE.I set: pending %u (the level stays asserted);",
           spi_bit(GICD_ISPENDR, LEVEL_SPI));
    wr32(GICD + GICD_CLRSPI_NSR, LEVEL_SPI);
    printf(" after CLRSPI_NSR: pending %u\n", spi_bit(GICD_ISPENDR, LEVEL_SPI));
    IRQ_ENABLE();
    settle(2000);
    printf("unmasked: taken %u in all\n", taken[1]);
}

int main(void)
{
    vectors_install_el1(handler);
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    gicr_wake(0);
    printf("GICD_TYPER.MBIS %u\n", (rd32(GICD + GICD_TYPER) >> 16) & 1);
    wr32(GICD + GICD_IGROUPR + WORD1, 0xffffffff);
    wr8(GICD + GICD_IPRIORITYR + EDGE_SPI, 0x80);
    wr8(GICD + GICD_IPRIORITYR + LEVEL_SPI, 0x80);
    mmio_write(GICD + GICD_IROUTER + 8 * EDGE_SPI, 8, 0);
    mmio_write(GICD + GICD_IROUTER + 8 * LEVEL_SPI, 8, 0);
    wr32(GICD + GICD_ICFGR + 8, 2u << (2 * (EDGE_SPI % 16))); /* 40 edge, 41 level */
    wr32(GICD + GICD_ISENABLER + WORD1, (1u << (EDGE_SPI % 32)) | (1u << (LEVEL_SPI % 32)));
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN1_EL1, 1);
    IRQ_ENABLE();
    edge();
    level();
    return taken[0] == 2 && taken[1] == LEVEL_TIMES ? 0 : 1;
}
