/* Smallest guest: one line on the UART, then a clean PSCI power-off. */
#include "uart.h"

int main(void)
{
    uart_puts("hello from a64sim\n");
    return 0;
}
