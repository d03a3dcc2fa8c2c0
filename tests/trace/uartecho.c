/*
 * Reads the UART until it receives '.', sending back every byte it reads in
 * upper case, then reports how many it echoed and powers off. The input
 * comes from a stimulus file (@CYCLE uart-rx "...") or --uart-in; the
 * trace tests record and replay it. Polls UARTFR.RXFE (PL011 TRM: set while
 * the receive FIFO is empty), so it never needs an interrupt.
 */
#include <stdint.h>

#include "printf.h"
#include "uart.h"

#define PL011_BASE  0x09000000UL
#define UARTDR      0x000
#define UARTFR      0x018
#define UARTFR_RXFE (1u << 4)

static volatile uint32_t *pl011_reg(uint32_t offset)
{
    return (volatile uint32_t *)(PL011_BASE + offset);
}

static char uart_getc(void)
{
    while (*pl011_reg(UARTFR) & UARTFR_RXFE) {
    }
    return (char)(*pl011_reg(UARTDR) & 0xff);
}

int main(void)
{
    unsigned echoed = 0;

    uart_puts("echo: ready\n");
    for (;;) {
        char c = uart_getc();
        if (c == '.') {
            break;
        }
        if (c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        uart_putc(c);
        echoed++;
    }
    printf("echo: %u bytes\n", echoed);
    return 0;
}
