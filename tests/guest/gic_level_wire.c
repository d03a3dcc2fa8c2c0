/* Level-sensitive against edge-triggered on a real wire, compared with QEMU's
 * virt board: the PL011's interrupt output drives SPI 1 (INTID 33) on both
 * boards, and its transmit interrupt (UARTRIS.TXRIS) is a latch that each
 * byte sent sets and UARTICR.TXIC clears, so the guest controls the level.
 *
 * Level-sensitive (GICD_ICFGR Int_config[1] = 0): while the line is high
 * the interrupt stays pending through acknowledge (active and pending),
 * GICD_ICPENDR cannot clear it, and each EOI re-pends it at once, until the
 * handler clears the source. Edge-triggered (Int_config[1] = 1): a rising
 * edge latches pending once; acknowledge clears it; the line still being
 * high does not pend it again; a new rising edge does (IHI 0069, the
 * interrupt life cycle of level-sensitive and edge-triggered interrupts).
 *
 * Only the newline that ends each "trigger" line, and in the edge case one
 * more line of text, are sent while the transmit interrupt is enabled: every
 * byte sets TXRIS again. */
#include "gic_common.h"
#include "uart.h"
#include "vectors.h"

#define UART     0x09000000ul
#define UARTIMSC 0x038
#define UARTICR  0x044
#define UART_TX  (1u << 5)
#define UART_SPI 33
#define WORD1    4
#define LEVEL_TIMES                                                                                \
    3 /* times the level-sensitive interrupt is taken before the source is cleared */

static volatile unsigned taken;
static volatile bool edge_mode;
static volatile uint32_t pend_after_ack[4], active_after_ack[4], pend_after_icpendr[4];
static volatile uint32_t pend_after_clear;

static uint32_t spi_bit(uintptr_t reg)
{
    return (rd32(GICD + reg + WORD1) >> (UART_SPI % 32)) & 1;
}

static void uart_tx_clear(void)
{
    wr32(UART + UARTICR, UART_TX);
}

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ))
        guest_exit(2);
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return; /* the line was withdrawn after it was signalled: nothing to end */
    if (intid != UART_SPI)
        guest_exit(3);
    unsigned n = taken++;
    if (n < 4) {
        pend_after_ack[n] = spi_bit(GICD_ISPENDR);
        active_after_ack[n] = spi_bit(GICD_ISACTIVER);
        wr32(GICD + GICD_ICPENDR + WORD1, 1u << (UART_SPI % 32));
        pend_after_icpendr[n] = spi_bit(GICD_ISPENDR);
    }
    /* Level: leave the line high (re-pends at EOI) until the last time.
     * Edge: the second rising edge is the last one. */
    bool last = edge_mode ? taken == 2 : taken == LEVEL_TIMES;
    if (last) {
        uart_tx_clear();
        pend_after_clear = spi_bit(GICD_ISPENDR);
    }
    MSR(ICC_EOIR1_EL1, intid);
}

static void wait_taken(unsigned n)
{
    for (unsigned i = 0; i < 100000 && taken < n; i++)
        ;
}

/* Enable the transmit interrupt and send the newline: the line goes high. */
static void trigger(void)
{
    uart_tx_clear();
    wr32(UART + UARTIMSC, UART_TX);
    uart_putc('\n');
}

static void level_sensitive(void)
{
    printf("level-sensitive SPI %u, trigger:", UART_SPI);
    taken = 0;
    edge_mode = false;
    trigger();
    wait_taken(LEVEL_TIMES);
    settle(2000);
    wr32(UART + UARTIMSC, 0);
    printf("taken %u times (EOI with the line high re-pends; the last handler cleared it)\n",
           taken);
    for (unsigned i = 0; i < LEVEL_TIMES; i++)
        printf("  handler %u after acknowledge: pending %u active %u; after ICPENDR: pending %u\n",
               i + 1, pend_after_ack[i], active_after_ack[i], pend_after_icpendr[i]);
    printf("  after UARTICR.TXIC in the last handler: pending %u\n", pend_after_clear);
}

static void edge_triggered(void)
{
    wr32(GICD + GICD_ICFGR + 8, 2u << (2 * (UART_SPI % 16)));
    printf("edge-triggered SPI %u, trigger:", UART_SPI);
    taken = 0;
    edge_mode = true;
    trigger();
    wait_taken(1);
    /* More bytes while the line is high: no new edge, no new interrupt. */
    uart_puts("  bytes sent while the line is high, ");
    settle(5000);
    unsigned first = taken;
    wr32(UART + UARTIMSC, 0); /* falling edge */
    printf("taken %u time(s); after the line fell, trigger:", first);
    trigger(); /* rising edge */
    wait_taken(2);
    settle(2000);
    wr32(UART + UARTIMSC, 0);
    printf("taken %u times in all\n", taken);
    for (unsigned i = 0; i < 2; i++)
        printf("  handler %u after acknowledge: pending %u active %u\n", i + 1, pend_after_ack[i],
               active_after_ack[i]);
}

int main(void)
{
    vectors_install_el1(handler);
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    gicr_wake(0);
    wr32(GICD + GICD_IGROUPR + WORD1, 0xffffffff);
    wr8(GICD + GICD_IPRIORITYR + UART_SPI, 0x80);
    mmio_write(GICD + GICD_IROUTER + 8 * UART_SPI, 8, 0);
    wr32(GICD + GICD_ICFGR + 8, 0); /* level-sensitive */
    wr32(GICD + GICD_ISENABLER + WORD1, 1u << (UART_SPI % 32));
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN1_EL1, 1);
    IRQ_ENABLE();
    level_sensitive();
    edge_triggered();
    return 0;
}
