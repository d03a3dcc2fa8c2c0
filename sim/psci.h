/* The built-in PSCI firmware (Arm DEN 0022), reached through the SMCCC
 * conduit (HVC when the guest starts at EL1, as on QEMU's virt board).
 *
 * Implemented so far: PSCI_FEATURES and SYSTEM_OFF. Every other function ID,
 * including PSCI_VERSION, returns NOT_SUPPORTED (-1) until the SMP work adds
 * CPU_ON and the rest; the firmware never claims what it does not do. */
#ifndef SIM_PSCI_H
#define SIM_PSCI_H

#include <stdint.h>

struct cpu;

#define PSCI_0_2_FN_PSCI_VERSION  0x84000000u
#define PSCI_0_2_FN_SYSTEM_OFF    0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET  0x84000009u
#define PSCI_1_0_FN_PSCI_FEATURES 0x8400000Au

#define PSCI_RET_SUCCESS       0
#define PSCI_RET_NOT_SUPPORTED (-1)

enum psci_action {
    PSCI_CONTINUE,   /* the call returned to the guest (x0 holds the result) */
    PSCI_SYSTEM_OFF, /* the guest asked to power the system off */
};

/* Serve the call whose function ID is in w0 (arguments x1-x3); results go
 * to x0. */
enum psci_action psci_call(struct cpu *cpu);

#endif
