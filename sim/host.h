/* Failures of the host, not of the guest or the user: the simulator
 * cannot go on, and DESIGN.md gives them exit code 3. */
#ifndef SIM_HOST_H
#define SIM_HOST_H

/* Say "a64sim: internal error: " and the printf-style message on stderr,
 * then exit with code 3. */
_Noreturn void host_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The host ran out of memory: host_fail with that message. */
_Noreturn void host_out_of_memory(void);

#endif
