/* Arm PrimeCell UART (PL011) as software sees it: the register file, a
 * receive FIFO fed from a byte source, instantaneous transmission to a byte
 * sink, and the combined interrupt output UARTINTR.
 *
 * Determinism: the device has no clock. It asks its input source for bytes
 * only at guest-visible points (reset, a read of UARTDR, a write to
 * UARTLCR_H/UARTCR that changes the FIFO or enable state, and when the board
 * announces new input with pl011_rx_ready) and only while the
 * receive FIFO has room, so a run depends on the byte stream alone, never on
 * when the host made bytes available.
 *
 * The modelling choices (ID values, transmit while disabled, interrupt
 * definitions, sub-word accesses) are explained at the top of sim/pl011.c. */
#ifndef SIM_PL011_H
#define SIM_PL011_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/irq.h"

struct pl011;

/* Input source: returns true and sets *byte if a byte is available, false
 * when none (now or at EOF). Called only when the receive FIFO (or holding
 * register, FIFO disabled) has room: at reset, after the guest reads UARTDR,
 * after a write to UARTLCR_H/UARTCR changes FIFO/enable state, and from
 * pl011_rx_ready. Never at any other time. */
typedef bool (*pl011_rx_fn)(void *opaque, uint8_t *byte);

/* Output sink for transmitted bytes. */
typedef void (*pl011_tx_fn)(void *opaque, uint8_t byte);

/* Create a UART in its reset state. tx or rx may be NULL (output discarded,
 * no input). IRQ is the UARTINTR line; it is taken to be low on entry. */
struct pl011 *pl011_new(pl011_tx_fn tx, pl011_rx_fn rx, void *io_opaque, struct irq_line irq);

/* Destroy a UART (NULL is allowed). */
void pl011_free(struct pl011 *u);

/* Reset: registers to their reset values, receive FIFO emptied then refilled. */
void pl011_reset(struct pl011 *u);

/* MMIO read at OFFSET (0..0xFFF) of SIZE bytes (1, 2 or 4); false for size 8
 * (the bus turns that into an external abort). Reserved offsets read as zero. */
bool pl011_read(struct pl011 *u, uint64_t offset, unsigned size, uint64_t *value);

/* MMIO write at OFFSET (0..0xFFF) of SIZE bytes (1, 2 or 4); false for size 8.
 * Writes to reserved offsets are ignored. */
bool pl011_write(struct pl011 *u, uint64_t offset, unsigned size, uint64_t value);

/* The input source may have bytes now that it had none at the last request
 * (a timed input arrived): ask it again while the receive FIFO has room,
 * as a UARTDR read would. */
void pl011_rx_ready(struct pl011 *u);

/* Current level of UARTINTR (the OR of the UARTMIS bits). */
bool pl011_irq_level(const struct pl011 *u);

/* Bytes transmitted since creation (not cleared by reset). */
uint64_t pl011_tx_count(const struct pl011 *u);

#endif
