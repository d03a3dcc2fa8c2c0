#include <stdint.h>

#include "uart.h"

#define PL011_BASE  0x09000000UL
#define UARTDR      0x000
#define UARTFR      0x018
#define UARTFR_TXFF (1u << 5)

static volatile uint32_t *pl011_reg(uint32_t offset)
{
    return (volatile uint32_t *)(PL011_BASE + offset);
}

void uart_putc(char c)
{
    /* PL011 TRM: UARTFR.TXFF set means the transmit FIFO cannot take a byte. */
    while (*pl011_reg(UARTFR) & UARTFR_TXFF) {
    }
    *pl011_reg(UARTDR) = (uint32_t)(uint8_t)c;
}

void uart_puts(const char *s)
{
    while (*s) {
        uart_putc(*s++);
    }
}
