/* Arm semihosting (DUI 0471 / the Semihosting for AArch32 and AArch64
 * specification), trapped by HLT #0xF000. The operation number is W0 and
 * X1 points to the parameter block; the result goes to X0.
 *
 * Implemented: SYS_WRITEC (0x03), SYS_WRITE0 (0x04), SYS_EXIT (0x18),
 * SYS_EXIT_EXTENDED (0x20). Any other operation returns -1 in X0 and the
 * guest continues. The caller picks the output stream: a64sim uses stderr,
 * where QEMU 7.2 sends its semihosting console too. */
#ifndef SIM_SEMIHOST_H
#define SIM_SEMIHOST_H

#include <stdio.h>

struct cpu;

#define SEMIHOST_SYS_WRITEC          0x03u
#define SEMIHOST_SYS_WRITE0          0x04u
#define SEMIHOST_SYS_EXIT            0x18u
#define SEMIHOST_SYS_EXIT_EXTENDED   0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

enum semihost_action {
    SEMIHOST_CONTINUE,
    SEMIHOST_EXIT, /* *exit_code holds the guest's exit status */
};

enum semihost_action semihost_call(struct cpu *cpu, FILE *out, int *exit_code);

#endif
