/* Unit tests for the PL011 UART model (sim/pl011.h).
 *
 * Expected values come from the PL011 TRM (register offsets, bit positions,
 * reset values, PrimeCell ID) and from the modelling choices documented at
 * the top of sim/pl011.c (16-entry FIFOs reported as revision 1, transmit
 * while disabled, level RX/RT interrupts, latched TX interrupt). */
#include "sim/pl011.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- Register map (TRM) -------------------------------------------------- */

#define UARTDR        0x000
#define UARTRSR       0x004
#define UARTFR        0x018
#define UARTILPR      0x020
#define UARTIBRD      0x024
#define UARTFBRD      0x028
#define UARTLCR_H     0x02C
#define UARTCR        0x030
#define UARTIFLS      0x034
#define UARTIMSC      0x038
#define UARTRIS       0x03C
#define UARTMIS       0x040
#define UARTICR       0x044
#define UARTDMACR     0x048
#define UARTPeriphID0 0xFE0
#define UARTPCellID0  0xFF0

#define FR_BUSY (1u << 3)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)

#define LCR_H_FEN    (1u << 4)
#define LCR_H_WLEN_8 (3u << 5)
#define CR_UARTEN    (1u << 0)
#define CR_TXE       (1u << 8)
#define CR_RXE       (1u << 9)
#define IFLS_RX_1_8  (0u << 3)
#define IFLS_TX_1_2  (2u << 0)
#define INT_RX       (1u << 4)
#define INT_TX       (1u << 5)
#define INT_RT       (1u << 6)

#define IRQ_LINE_ID 33 /* SPI 1 as wired on the virt board: any number will do */

/* ---- Harness: byte source, byte sink, interrupt sink --------------------- */

struct harness {
    const uint8_t *input;
    size_t input_len;
    size_t input_pos;
    bool endless;     /* input never runs out: byte n is (uint8_t)n */
    bool input_ready; /* false: the source has nothing yet */
    unsigned rx_calls;

    uint8_t output[64];
    size_t output_len;

    unsigned irq_calls;
    bool irq_last;
    int irq_line_seen;
};

static struct harness h;
static struct pl011 *u;

static bool source(void *opaque, uint8_t *byte)
{
    struct harness *hs = opaque;

    hs->rx_calls++;
    if (!hs->input_ready)
        return false;
    if (hs->endless) {
        *byte = (uint8_t)hs->input_pos++;
        return true;
    }
    if (hs->input_pos >= hs->input_len)
        return false;
    *byte = hs->input[hs->input_pos++];
    return true;
}

static void sink(void *opaque, uint8_t byte)
{
    struct harness *hs = opaque;

    ck_assert_uint_lt(hs->output_len, sizeof(hs->output));
    hs->output[hs->output_len++] = byte;
}

static void irq_sink(void *opaque, int line, bool level)
{
    struct harness *hs = opaque;

    hs->irq_calls++;
    hs->irq_last = level;
    hs->irq_line_seen = line;
}

static struct pl011 *make_uart(void)
{
    struct irq_line irq = {.sink = irq_sink, .opaque = &h, .line = IRQ_LINE_ID, .level = false};

    u = pl011_new(sink, source, &h, irq);
    ck_assert_ptr_nonnull(u);
    return u;
}

/* A UART whose input is the string IN (may be empty). */
static struct pl011 *uart_with_input(const char *in)
{
    h.input = (const uint8_t *)in;
    h.input_len = strlen(in);
    return make_uart();
}

/* A UART whose input never runs out. */
static struct pl011 *uart_with_endless_input(void)
{
    h.endless = true;
    return make_uart();
}

static uint32_t rd(uint64_t offset)
{
    uint64_t v = 0xDEADBEEF;

    ck_assert(pl011_read(u, offset, 4, &v));
    ck_assert_uint_le(v, 0xFFFFFFFFu);
    return (uint32_t)v;
}

static void wr(uint64_t offset, uint32_t value)
{
    ck_assert(pl011_write(u, offset, 4, value));
}

static void setup(void)
{
    memset(&h, 0, sizeof(h));
    h.input_ready = true;
    u = NULL;
}

static void teardown(void)
{
    pl011_free(u);
    u = NULL;
}

/* ---- Identification and reset values ------------------------------------ */

START_TEST(test_periph_id_reads_16_entry_revision_1_values)
{
    uart_with_input("");
    ck_assert_uint_eq(rd(UARTPeriphID0 + 0), 0x11);
    ck_assert_uint_eq(rd(UARTPeriphID0 + 4), 0x10);
    ck_assert_uint_eq(rd(UARTPeriphID0 + 8), 0x14);
    ck_assert_uint_eq(rd(UARTPeriphID0 + 12), 0x00);
}
END_TEST

START_TEST(test_pcell_id_reads_b105f00d)
{
    uart_with_input("");
    ck_assert_uint_eq(rd(UARTPCellID0 + 0), 0x0D);
    ck_assert_uint_eq(rd(UARTPCellID0 + 4), 0xF0);
    ck_assert_uint_eq(rd(UARTPCellID0 + 8), 0x05);
    ck_assert_uint_eq(rd(UARTPCellID0 + 12), 0xB1);
}
END_TEST

START_TEST(test_cr_resets_to_txe_rxe)
{
    uart_with_input("");
    ck_assert_uint_eq(rd(UARTCR), 0x300);
}
END_TEST

START_TEST(test_ifls_resets_to_half_full_both_ways)
{
    uart_with_input("");
    ck_assert_uint_eq(rd(UARTIFLS), 0x12);
}
END_TEST

START_TEST(test_fr_resets_to_txfe_rxfe_without_input)
{
    uart_with_input("");
    ck_assert_uint_eq(rd(UARTFR), FR_TXFE | FR_RXFE);
}
END_TEST

START_TEST(test_remaining_registers_reset_to_zero)
{
    static const uint64_t zero_at_reset[] = {UARTRSR,  UARTILPR, UARTIBRD, UARTFBRD, UARTLCR_H,
                                             UARTIMSC, UARTRIS,  UARTMIS,  UARTDMACR};

    uart_with_input("");
    for (size_t i = 0; i < sizeof(zero_at_reset) / sizeof(zero_at_reset[0]); i++)
        ck_assert_uint_eq(rd(zero_at_reset[i]), 0);
    ck_assert(!pl011_irq_level(u));
}
END_TEST

START_TEST(test_reset_restores_reset_values_and_lowers_line)
{
    uart_with_input("");
    wr(UARTCR, CR_UARTEN);
    wr(UARTIFLS, 0);
    wr(UARTIMSC, INT_TX);
    wr(UARTDR, 'x');
    ck_assert(pl011_irq_level(u));
    pl011_reset(u);
    ck_assert_uint_eq(rd(UARTCR), 0x300);
    ck_assert_uint_eq(rd(UARTIFLS), 0x12);
    ck_assert_uint_eq(rd(UARTIMSC), 0);
    ck_assert_uint_eq(rd(UARTRIS), 0);
    ck_assert(!pl011_irq_level(u));
    ck_assert(!h.irq_last);
}
END_TEST

/* ---- Transmit ------------------------------------------------------------ */

START_TEST(test_dr_write_calls_tx_with_the_byte)
{
    uart_with_input("");
    wr(UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
    wr(UARTDR, 'A');
    ck_assert_uint_eq(h.output_len, 1);
    ck_assert_uint_eq(h.output[0], 'A');
}
END_TEST

START_TEST(test_dr_write_transmits_while_uart_disabled)
{
    uart_with_input("");
    wr(UARTCR, 0);
    wr(UARTDR, 'Q');
    ck_assert_uint_eq(h.output_len, 1);
    ck_assert_uint_eq(h.output[0], 'Q');
}
END_TEST

START_TEST(test_fr_shows_empty_idle_transmitter_after_write)
{
    uart_with_input("");
    wr(UARTDR, 'z');
    ck_assert_uint_eq(rd(UARTFR) & (FR_TXFE | FR_TXFF | FR_BUSY), FR_TXFE);
}
END_TEST

START_TEST(test_tx_count_counts_bytes_across_reset)
{
    uart_with_input("");
    wr(UARTDR, '1');
    wr(UARTDR, '2');
    pl011_reset(u);
    wr(UARTDR, '3');
    ck_assert_uint_eq(pl011_tx_count(u), 3);
}
END_TEST

START_TEST(test_byte_write_to_dr_upper_lane_does_not_transmit)
{
    uart_with_input("");
    ck_assert(pl011_write(u, UARTDR + 1, 1, 0x41));
    ck_assert_uint_eq(h.output_len, 0);
    ck_assert(pl011_write(u, UARTDR, 1, 0x42));
    ck_assert_uint_eq(h.output_len, 1);
    ck_assert_uint_eq(h.output[0], 0x42);
}
END_TEST

/* ---- Receive ------------------------------------------------------------- */

START_TEST(test_rx_bytes_appear_on_dr_in_order)
{
    uart_with_input("abc");
    wr(UARTLCR_H, LCR_H_FEN | LCR_H_WLEN_8);
    ck_assert_uint_eq(rd(UARTDR), 'a');
    ck_assert_uint_eq(rd(UARTDR), 'b');
    ck_assert_uint_eq(rd(UARTDR), 'c');
}
END_TEST

START_TEST(test_rxfe_clear_until_last_byte_read)
{
    uart_with_input("xy");
    ck_assert_uint_eq(rd(UARTFR) & FR_RXFE, 0);
    ck_assert_uint_eq(rd(UARTDR), 'x');
    ck_assert_uint_eq(rd(UARTFR) & FR_RXFE, 0);
    ck_assert_uint_eq(rd(UARTDR), 'y');
    ck_assert_uint_eq(rd(UARTFR) & FR_RXFE, FR_RXFE);
}
END_TEST

START_TEST(test_dr_read_error_bits_are_zero)
{
    uint64_t v;

    uart_with_input("\xff");
    ck_assert(pl011_read(u, UARTDR, 2, &v));
    ck_assert_uint_eq(v, 0xFF);
}
END_TEST

START_TEST(test_dr_read_when_empty_returns_zero)
{
    uart_with_input("");
    ck_assert_uint_eq(rd(UARTDR), 0);
}
END_TEST

START_TEST(test_fifo_disabled_holds_one_byte)
{
    uart_with_endless_input();
    ck_assert_uint_eq(h.rx_calls, 1);
    ck_assert_uint_eq(rd(UARTFR) & (FR_RXFF | FR_RXFE), FR_RXFF);
    ck_assert_uint_eq(rd(UARTDR), 0);
    ck_assert_uint_eq(rd(UARTDR), 1);
}
END_TEST

START_TEST(test_fifo_enabled_takes_16_bytes_then_rxff)
{
    uart_with_endless_input();
    wr(UARTLCR_H, LCR_H_FEN);
    ck_assert_uint_eq(h.rx_calls, 16);
    ck_assert_uint_eq(rd(UARTFR) & FR_RXFF, FR_RXFF);
}
END_TEST

START_TEST(test_fifo_holds_exactly_16_bytes)
{
    uart_with_input("0123456789abcdefghij");
    wr(UARTLCR_H, LCR_H_FEN);
    h.input_ready = false; /* no more input: drain what the FIFO holds */
    for (int i = 0; i < 15; i++)
        rd(UARTDR);
    ck_assert_uint_eq(rd(UARTFR) & (FR_RXFE | FR_RXFF), 0);
    ck_assert_uint_eq(rd(UARTDR), 'f');
    ck_assert_uint_eq(rd(UARTFR) & FR_RXFE, FR_RXFE);
}
END_TEST

START_TEST(test_rxff_clears_when_one_byte_read_and_none_arrives)
{
    uart_with_input("0123456789abcdef");
    wr(UARTLCR_H, LCR_H_FEN);
    ck_assert_uint_eq(rd(UARTFR) & FR_RXFF, FR_RXFF);
    rd(UARTDR);
    ck_assert_uint_eq(rd(UARTFR) & FR_RXFF, 0);
}
END_TEST

START_TEST(test_fen_clear_keeps_received_bytes)
{
    uart_with_input("hello");
    wr(UARTLCR_H, LCR_H_FEN);
    wr(UARTLCR_H, 0);
    ck_assert_uint_eq(rd(UARTDR), 'h');
    ck_assert_uint_eq(rd(UARTDR), 'e');
    ck_assert_uint_eq(rd(UARTDR), 'l');
    ck_assert_uint_eq(rd(UARTDR), 'l');
    ck_assert_uint_eq(rd(UARTDR), 'o');
    ck_assert_uint_eq(rd(UARTFR) & FR_RXFE, FR_RXFE);
}
END_TEST

START_TEST(test_reset_discards_fifo_and_refills_holding_register)
{
    uart_with_input("abcdef");
    wr(UARTLCR_H, LCR_H_FEN); /* a..f now in the FIFO, input exhausted */
    h.input = (const uint8_t *)"Z";
    h.input_len = 1;
    h.input_pos = 0;
    pl011_reset(u);
    ck_assert_uint_eq(rd(UARTDR), 'Z');
    ck_assert_uint_eq(rd(UARTFR) & FR_RXFE, FR_RXFE);
}
END_TEST

START_TEST(test_null_rx_means_no_input)
{
    struct irq_line irq = {.sink = NULL, .opaque = NULL, .line = 0, .level = false};

    u = pl011_new(NULL, NULL, NULL, irq);
    ck_assert_ptr_nonnull(u);
    wr(UARTLCR_H, LCR_H_FEN);
    ck_assert_uint_eq(rd(UARTDR), 0);
    ck_assert_uint_eq(rd(UARTFR) & FR_RXFE, FR_RXFE);
    wr(UARTDR, 'x'); /* no sink: the byte is dropped but still counted */
    ck_assert_uint_eq(pl011_tx_count(u), 1);
}
END_TEST

/* ---- When rx() is called ------------------------------------------------- */

START_TEST(test_rx_called_only_by_reset_among_other_accesses)
{
    static const uint64_t others[] = {UARTRSR,   UARTFR,   UARTILPR, UARTIBRD,     UARTFBRD,
                                      UARTIFLS,  UARTIMSC, UARTRIS,  UARTMIS,      UARTICR,
                                      UARTDMACR, 0x008,    0x100,    UARTPeriphID0};

    uart_with_endless_input();
    ck_assert_uint_eq(h.rx_calls, 1);
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        rd(others[i]);
        wr(others[i], 0);
    }
    wr(UARTDR, 'x');
    wr(UARTLCR_H, LCR_H_WLEN_8);    /* FEN unchanged */
    wr(UARTCR, 0x300 | (1u << 11)); /* RTS only: UARTEN/RXE unchanged */
    ck_assert_uint_eq(h.rx_calls, 1);
}
END_TEST

START_TEST(test_rx_not_called_by_writes_keeping_fen_and_enables)
{
    h.input_ready = false; /* empty at reset, so the FIFO has room */
    uart_with_input("k");
    h.input_ready = true;
    wr(UARTLCR_H, LCR_H_WLEN_8);    /* FEN unchanged */
    wr(UARTCR, 0x300 | (1u << 11)); /* RTS only: UARTEN/RXE unchanged */
    ck_assert_uint_eq(h.rx_calls, 1);
    ck_assert_uint_eq(rd(UARTFR) & FR_RXFE, FR_RXFE);
}
END_TEST

START_TEST(test_dr_read_asks_rx_for_one_byte)
{
    uart_with_endless_input();
    rd(UARTDR);
    ck_assert_uint_eq(h.rx_calls, 2);
}
END_TEST

START_TEST(test_dr_read_asks_rx_even_when_empty)
{
    uart_with_input("");
    rd(UARTDR);
    ck_assert_uint_eq(h.rx_calls, 2);
}
END_TEST

START_TEST(test_enable_change_retries_input_when_room)
{
    h.input_ready = false;
    uart_with_input("k");
    ck_assert_uint_eq(h.rx_calls, 1);
    h.input_ready = true;
    ck_assert_uint_eq(rd(UARTFR) & FR_RXFE, FR_RXFE);
    wr(UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
    ck_assert_uint_eq(h.rx_calls, 2);
    ck_assert_uint_eq(rd(UARTDR), 'k');
}
END_TEST

START_TEST(test_enable_change_does_not_call_rx_when_full)
{
    uart_with_endless_input();
    wr(UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
    wr(UARTCR, 0);
    ck_assert_uint_eq(h.rx_calls, 1);
}
END_TEST

/* ---- Interrupts ---------------------------------------------------------- */

START_TEST(test_rx_interrupt_asserts_at_trigger_level)
{
    uart_with_input("12345678"); /* UARTIFLS reset: RX at 1/2 of 16 = 8 */
    wr(UARTLCR_H, LCR_H_FEN);
    wr(UARTIMSC, INT_RX);
    ck_assert_uint_eq(rd(UARTRIS) & (INT_RX | INT_RT), INT_RX);
    ck_assert(pl011_irq_level(u));
    ck_assert_uint_eq(h.irq_calls, 1);
    ck_assert(h.irq_last);
    ck_assert_int_eq(h.irq_line_seen, IRQ_LINE_ID);
}
END_TEST

START_TEST(test_rx_interrupt_not_asserted_below_trigger_level)
{
    uart_with_input("1234567");
    wr(UARTLCR_H, LCR_H_FEN);
    wr(UARTIMSC, INT_RX);
    ck_assert_uint_eq(rd(UARTRIS) & INT_RX, 0);
    ck_assert(!pl011_irq_level(u));
    ck_assert_uint_eq(h.irq_calls, 0);
}
END_TEST

START_TEST(test_rx_interrupt_deasserts_when_read_below_trigger)
{
    uart_with_input("12345678");
    wr(UARTLCR_H, LCR_H_FEN);
    wr(UARTIMSC, INT_RX);
    rd(UARTDR);
    ck_assert(!pl011_irq_level(u));
    ck_assert_uint_eq(h.irq_calls, 2);
    ck_assert(!h.irq_last);
}
END_TEST

START_TEST(test_rx_trigger_level_follows_ifls)
{
    uart_with_input("12"); /* RXIFLSEL b000: 1/8 of 16 = 2 */
    wr(UARTIFLS, IFLS_RX_1_8 | IFLS_TX_1_2);
    wr(UARTLCR_H, LCR_H_FEN);
    ck_assert_uint_eq(rd(UARTRIS) & (INT_RX | INT_RT), INT_RX);
}
END_TEST

START_TEST(test_rx_interrupt_on_one_byte_with_fifo_disabled)
{
    uart_with_input("!");
    wr(UARTIMSC, INT_RX);
    ck_assert_uint_eq(rd(UARTRIS) & (INT_RX | INT_RT), INT_RX);
    ck_assert(pl011_irq_level(u));
}
END_TEST

START_TEST(test_receive_timeout_asserts_below_trigger_level)
{
    uart_with_input("abc");
    wr(UARTLCR_H, LCR_H_FEN);
    wr(UARTIMSC, INT_RT);
    ck_assert_uint_eq(rd(UARTRIS) & (INT_RX | INT_RT), INT_RT);
    ck_assert(pl011_irq_level(u));
}
END_TEST

START_TEST(test_receive_timeout_clears_when_fifo_empties)
{
    uart_with_input("ab");
    wr(UARTLCR_H, LCR_H_FEN);
    wr(UARTIMSC, INT_RT);
    rd(UARTDR);
    rd(UARTDR);
    ck_assert_uint_eq(rd(UARTRIS) & INT_RT, 0);
    ck_assert(!pl011_irq_level(u));
}
END_TEST

START_TEST(test_tx_interrupt_not_raised_by_enabling_uart)
{
    uart_with_input("");
    wr(UARTIMSC, INT_TX);
    wr(UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
    ck_assert_uint_eq(rd(UARTRIS) & INT_TX, 0);
    ck_assert(!pl011_irq_level(u));
}
END_TEST

START_TEST(test_tx_interrupt_raised_when_byte_leaves)
{
    uart_with_input("");
    wr(UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
    wr(UARTIMSC, INT_TX);
    wr(UARTDR, 'a');
    ck_assert_uint_eq(rd(UARTRIS) & INT_TX, INT_TX);
    ck_assert_uint_eq(rd(UARTMIS), INT_TX);
    ck_assert(pl011_irq_level(u));
}
END_TEST

START_TEST(test_icr_clears_tx_interrupt)
{
    uart_with_input("");
    wr(UARTIMSC, INT_TX);
    wr(UARTDR, 'a');
    wr(UARTICR, INT_TX);
    ck_assert_uint_eq(rd(UARTRIS) & INT_TX, 0);
    ck_assert(!pl011_irq_level(u));
    ck_assert_uint_eq(h.irq_calls, 2);
}
END_TEST

START_TEST(test_icr_zero_bits_leave_tx_interrupt)
{
    uart_with_input("");
    wr(UARTDR, 'a');
    wr(UARTICR, 0x7FF & ~INT_TX);
    ck_assert_uint_eq(rd(UARTRIS) & INT_TX, INT_TX);
}
END_TEST

START_TEST(test_icr_does_not_clear_rx_at_trigger_level)
{
    uart_with_input("!");
    wr(UARTIMSC, INT_RX);
    wr(UARTICR, 0x7FF);
    ck_assert_uint_eq(rd(UARTRIS) & INT_RX, INT_RX);
    ck_assert(pl011_irq_level(u));
}
END_TEST

START_TEST(test_imsc_mask_drops_line)
{
    uart_with_input("");
    wr(UARTIMSC, INT_TX);
    wr(UARTDR, 'a');
    ck_assert(pl011_irq_level(u));
    wr(UARTIMSC, 0);
    ck_assert(!pl011_irq_level(u));
    ck_assert_uint_eq(rd(UARTMIS), 0);
    ck_assert_uint_eq(rd(UARTRIS) & INT_TX, INT_TX);
}
END_TEST

START_TEST(test_irq_sink_called_once_per_level_change)
{
    uart_with_input("!"); /* holding register full: RXRIS from reset on */
    ck_assert_uint_eq(h.irq_calls, 0);
    wr(UARTIMSC, INT_RX);
    wr(UARTIMSC, INT_RX | INT_RT); /* still high */
    wr(UARTICR, 0x7FF);            /* RX is a level: still high */
    rd(UARTFR);
    rd(UARTRIS);
    wr(UARTDR, 'x'); /* adds TXRIS, masked */
    ck_assert_uint_eq(h.irq_calls, 1);
    ck_assert(h.irq_last);
    rd(UARTDR); /* empty, input exhausted: low */
    rd(UARTDR);
    rd(UARTFR);
    ck_assert_uint_eq(h.irq_calls, 2);
    ck_assert(!h.irq_last);
}
END_TEST

/* ---- Access sizes and reserved space ------------------------------------- */

START_TEST(test_size8_read_rejected)
{
    uint64_t v;

    uart_with_input("");
    ck_assert(!pl011_read(u, UARTCR, 8, &v));
}
END_TEST

START_TEST(test_size8_write_rejected)
{
    uart_with_input("");
    ck_assert(!pl011_write(u, UARTDR, 8, 'x'));
    ck_assert_uint_eq(h.output_len, 0);
}
END_TEST

START_TEST(test_reserved_offsets_read_zero)
{
    static const uint64_t reserved[] = {0x008, 0x00C, 0x01C, 0x04C, 0x080, 0x800, 0xFDC};

    uart_with_input("");
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        ck_assert_uint_eq(rd(reserved[i]), 0);
}
END_TEST

START_TEST(test_reserved_offsets_ignore_writes)
{
    uart_with_input("");
    wr(0x008, 0xFFFFFFFF);
    wr(0x04C, 0xFFFFFFFF);
    wr(0xFDC, 0xFFFFFFFF);
    ck_assert_uint_eq(rd(0x008), 0);
    ck_assert_uint_eq(rd(0x04C), 0);
    ck_assert_uint_eq(rd(0xFDC), 0);
    ck_assert_uint_eq(h.output_len, 0);
    ck_assert_uint_eq(rd(UARTCR), 0x300);
}
END_TEST

START_TEST(test_read_only_registers_ignore_writes)
{
    uart_with_input("");
    wr(UARTFR, 0xFFFFFFFF);
    wr(UARTRIS, 0xFFFFFFFF);
    wr(UARTMIS, 0xFFFFFFFF);
    wr(UARTPeriphID0, 0);
    ck_assert_uint_eq(rd(UARTFR), FR_TXFE | FR_RXFE);
    ck_assert_uint_eq(rd(UARTRIS), 0);
    ck_assert_uint_eq(rd(UARTMIS), 0);
    ck_assert_uint_eq(rd(UARTPeriphID0), 0x11);
}
END_TEST

START_TEST(test_cr_reserved_bits_read_zero)
{
    uart_with_input("");
    wr(UARTCR, 0xFFFFFFFF);
    ck_assert_uint_eq(rd(UARTCR), 0xFF87);
}
END_TEST

START_TEST(test_byte_write_changes_only_its_lane)
{
    uart_with_input("");
    ck_assert(pl011_write(u, UARTCR, 1, CR_UARTEN));
    ck_assert_uint_eq(rd(UARTCR), 0x301);
    ck_assert(pl011_write(u, UARTCR + 1, 1, 0x00));
    ck_assert_uint_eq(rd(UARTCR), 0x001);
}
END_TEST

START_TEST(test_halfword_write_at_offset_2_leaves_low_half)
{
    uart_with_input("");
    wr(UARTIBRD, 0x1234);
    ck_assert(pl011_write(u, UARTIBRD + 2, 2, 0xFFFF));
    ck_assert_uint_eq(rd(UARTIBRD), 0x1234);
}
END_TEST

START_TEST(test_byte_read_returns_its_lane)
{
    uint64_t v;

    uart_with_input("");
    ck_assert(pl011_read(u, UARTCR + 1, 1, &v));
    ck_assert_uint_eq(v, 0x03);
    ck_assert(pl011_read(u, UARTCR, 1, &v));
    ck_assert_uint_eq(v, 0x00);
    ck_assert(pl011_read(u, UARTCR, 2, &v));
    ck_assert_uint_eq(v, 0x300);
}
END_TEST

/* ---- Suite --------------------------------------------------------------- */

static Suite *pl011_suite(void)
{
    Suite *s = suite_create("pl011");
    TCase *id = tcase_create("reset");
    TCase *tx = tcase_create("transmit");
    TCase *rx = tcase_create("receive");
    TCase *calls = tcase_create("rx_calls");
    TCase *irq = tcase_create("interrupts");
    TCase *acc = tcase_create("access");
    TCase *all[] = {id, tx, rx, calls, irq, acc};

    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        tcase_add_checked_fixture(all[i], setup, teardown);
        suite_add_tcase(s, all[i]);
    }

    tcase_add_test(id, test_periph_id_reads_16_entry_revision_1_values);
    tcase_add_test(id, test_pcell_id_reads_b105f00d);
    tcase_add_test(id, test_cr_resets_to_txe_rxe);
    tcase_add_test(id, test_ifls_resets_to_half_full_both_ways);
    tcase_add_test(id, test_fr_resets_to_txfe_rxfe_without_input);
    tcase_add_test(id, test_remaining_registers_reset_to_zero);
    tcase_add_test(id, test_reset_restores_reset_values_and_lowers_line);

    tcase_add_test(tx, test_dr_write_calls_tx_with_the_byte);
    tcase_add_test(tx, test_dr_write_transmits_while_uart_disabled);
    tcase_add_test(tx, test_fr_shows_empty_idle_transmitter_after_write);
    tcase_add_test(tx, test_tx_count_counts_bytes_across_reset);
    tcase_add_test(tx, test_byte_write_to_dr_upper_lane_does_not_transmit);

    tcase_add_test(rx, test_rx_bytes_appear_on_dr_in_order);
    tcase_add_test(rx, test_rxfe_clear_until_last_byte_read);
    tcase_add_test(rx, test_dr_read_error_bits_are_zero);
    tcase_add_test(rx, test_dr_read_when_empty_returns_zero);
    tcase_add_test(rx, test_fifo_disabled_holds_one_byte);
    tcase_add_test(rx, test_fifo_enabled_takes_16_bytes_then_rxff);
    tcase_add_test(rx, test_fifo_holds_exactly_16_bytes);
    tcase_add_test(rx, test_rxff_clears_when_one_byte_read_and_none_arrives);
    tcase_add_test(rx, test_fen_clear_keeps_received_bytes);
    tcase_add_test(rx, test_reset_discards_fifo_and_refills_holding_register);
    tcase_add_test(rx, test_null_rx_means_no_input);

    tcase_add_test(calls, test_rx_called_only_by_reset_among_other_accesses);
    tcase_add_test(calls, test_rx_not_called_by_writes_keeping_fen_and_enables);
    tcase_add_test(calls, test_dr_read_asks_rx_for_one_byte);
    tcase_add_test(calls, test_dr_read_asks_rx_even_when_empty);
    tcase_add_test(calls, test_enable_change_retries_input_when_room);
    tcase_add_test(calls, test_enable_change_does_not_call_rx_when_full);

    tcase_add_test(irq, test_rx_interrupt_asserts_at_trigger_level);
    tcase_add_test(irq, test_rx_interrupt_not_asserted_below_trigger_level);
    tcase_add_test(irq, test_rx_interrupt_deasserts_when_read_below_trigger);
    tcase_add_test(irq, test_rx_trigger_level_follows_ifls);
    tcase_add_test(irq, test_rx_interrupt_on_one_byte_with_fifo_disabled);
    tcase_add_test(irq, test_receive_timeout_asserts_below_trigger_level);
    tcase_add_test(irq, test_receive_timeout_clears_when_fifo_empties);
    tcase_add_test(irq, test_tx_interrupt_not_raised_by_enabling_uart);
    tcase_add_test(irq, test_tx_interrupt_raised_when_byte_leaves);
    tcase_add_test(irq, test_icr_clears_tx_interrupt);
    tcase_add_test(irq, test_icr_zero_bits_leave_tx_interrupt);
    tcase_add_test(irq, test_icr_does_not_clear_rx_at_trigger_level);
    tcase_add_test(irq, test_imsc_mask_drops_line);
    tcase_add_test(irq, test_irq_sink_called_once_per_level_change);

    tcase_add_test(acc, test_size8_read_rejected);
    tcase_add_test(acc, test_size8_write_rejected);
    tcase_add_test(acc, test_reserved_offsets_read_zero);
    tcase_add_test(acc, test_reserved_offsets_ignore_writes);
    tcase_add_test(acc, test_read_only_registers_ignore_writes);
    tcase_add_test(acc, test_cr_reserved_bits_read_zero);
    tcase_add_test(acc, test_byte_write_changes_only_its_lane);
    tcase_add_test(acc, test_halfword_write_at_offset_2_leaves_low_half);
    tcase_add_test(acc, test_byte_read_returns_its_lane);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pl011_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
