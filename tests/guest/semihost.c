/* Semihosting console guest: SYS_WRITEC and SYS_WRITE0 output around one UART line. */
#include "exit.h"
#include "uart.h"

int main(void)
{
    const char *word = "writec\n";

    for (const char *p = word; *p; p++) {
        semihost_writec(*p);
    }
    semihost_write0("write0: semihosting console\n");
    uart_puts("uart: after semihosting output\n");
    return 0;
}
