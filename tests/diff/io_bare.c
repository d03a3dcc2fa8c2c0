/* Output for the bare-metal build: the PL011 through the guest runtime. */
#include "diff.h"
#include "uart.h"

void diff_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uart_putc(buf[i]);
    }
}
