/* Exit-code guest: one UART line, then semihosting exit with status 3. */
#include "exit.h"
#include "uart.h"

int main(void)
{
    uart_puts("exit3: exiting with code 3\n");
    guest_exit(3);
}
