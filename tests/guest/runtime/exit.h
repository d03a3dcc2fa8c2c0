/* Ending a guest run, and the Arm semihosting console calls. */
#ifndef GUEST_EXIT_H
#define GUEST_EXIT_H

/* End the run: 0 powers off via PSCI SYSTEM_OFF, nonzero is a semihosting exit with that code. */
_Noreturn void guest_exit(int code);

/* Write one character to the host via semihosting SYS_WRITEC. */
void semihost_writec(char c);

/* Write a NUL-terminated string to the host via semihosting SYS_WRITE0. */
void semihost_write0(const char *s);

#endif
