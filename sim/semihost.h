/* Arm semihosting (DUI 0471 / the Semihosting for AArch32 and AArch64
 * specification), trapped by HLT #0xF000. The operation number is W0 and
 * X1 points to the parameter block; the result goes to X0.
 *
 * Implemented: SYS_OPEN (0x01) of the console ":tt" only (mode "r" gives
 * handle 0, stdin; "w" handle 1, stdout; "a" handle 2, stderr: the
 * semihosting convention C libraries follow), SYS_CLOSE (0x02) of those,
 * SYS_WRITEC (0x03), SYS_WRITE0 (0x04), SYS_WRITE (0x05) to handle 1
 * (stdout) or 2 (stderr), SYS_EXIT (0x18), SYS_EXIT_EXTENDED (0x20). Host
 * files are never opened: a guest cannot reach the host's file system, and
 * runs stay reproducible. Any other operation returns -1 in X0 and the
 * guest continues. SYS_WRITEC/SYS_WRITE0 go to the console stream the
 * caller gives: a64sim uses stderr, where QEMU 7.2 sends its semihosting
 * console too. */
#ifndef SIM_SEMIHOST_H
#define SIM_SEMIHOST_H

#include <stdio.h>

struct cpu;

#define SEMIHOST_SYS_OPEN            0x01u
#define SEMIHOST_SYS_CLOSE           0x02u
#define SEMIHOST_SYS_WRITEC          0x03u
#define SEMIHOST_SYS_WRITE0          0x04u
#define SEMIHOST_SYS_WRITE           0x05u
#define SEMIHOST_SYS_EXIT            0x18u
#define SEMIHOST_SYS_EXIT_EXTENDED   0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

enum semihost_action {
    SEMIHOST_CONTINUE,
    SEMIHOST_EXIT, /* *exit_code holds the guest's exit status */
};

enum semihost_action semihost_call(struct cpu *cpu, FILE *out, int *exit_code);

#endif
