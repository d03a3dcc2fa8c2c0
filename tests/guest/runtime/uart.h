/* Polled output on the board's PL011 UART (QEMU virt: 0x0900_0000). */
#ifndef GUEST_UART_H
#define GUEST_UART_H

/* Write one byte to the UART, waiting while the transmit FIFO is full. */
void uart_putc(char c);

/* Write a NUL-terminated string to the UART byte by byte, no CR added. */
void uart_puts(const char *s);

#endif
