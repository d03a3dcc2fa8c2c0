/* Failures of the host, not of the guest or the user: the simulator
 * cannot go on, and DESIGN.md gives them exit code 3. */
#ifndef SIM_HOST_H
#define SIM_HOST_H

#include <stdbool.h>
#include <stddef.h>

/* Say "a64sim: internal error: " and the printf-style message on stderr,
 * then exit with code 3. */
_Noreturn void host_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The host ran out of memory: host_fail with that message. */
_Noreturn void host_out_of_memory(void);

/* Open PATH, a regular file given as input (an image, a trace, a stimulus
 * or cost file), for reading. The open does not block (a FIFO would wait
 * for a writer for ever) and anything but a regular file is refused. On
 * failure returns -1 with errno-style text in WHY ("No such file or
 * directory", "not a regular file"). */
int host_open_input(const char *path, char *why, size_t whylen);

/* Put the terminal on FD in raw mode (no line editing, no echo, no signal
 * keys: every key goes to the guest, Ctrl-C included) until
 * host_terminal_restore() or the process exits; false if FD is not a
 * terminal. */
bool host_terminal_raw(int fd);
void host_terminal_restore(void);

/* Rewrite the message in S (a buffer of SIZE bytes) with every control
 * byte and DEL as \xNN, truncating to fit: input quoted in an error
 * message must not reach the user's terminal raw. */
void host_escape_controls(char *s, size_t size);

#endif
