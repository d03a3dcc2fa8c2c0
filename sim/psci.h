/* The built-in PSCI 1.1 firmware (Arm DEN 0022D) and the SMCCC 1.1 calls
 * Linux probes (Arm DEN 0028), reached through the firmware's conduit: HVC
 * when the guest starts at EL1 with no EL2, SMC when it starts at EL2.
 *
 * Implemented: PSCI_VERSION, PSCI_FEATURES, CPU_ON, CPU_OFF, CPU_SUSPEND
 * (every state is entered as standby: the PE waits as in WFI and the call
 * returns SUCCESS when it wakes, which PSCI permits for any requested state),
 * AFFINITY_INFO (level 0), MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET;
 * SMCCC_VERSION and SMCCC_ARCH_FEATURES. Any other function ID returns
 * NOT_SUPPORTED (-1). Powering a PE on takes a fixed, configurable latency,
 * so that a second CPU_ON before it completes answers ON_PENDING, always at
 * the same point of the same run. */
#ifndef SIM_PSCI_H
#define SIM_PSCI_H

#include <stdbool.h>
#include <stdint.h>

struct cpu;

#define PSCI_0_2_FN_PSCI_VERSION      0x84000000u
#define PSCI_0_2_FN_CPU_SUSPEND       0x84000001u
#define PSCI_0_2_FN_CPU_OFF           0x84000002u
#define PSCI_0_2_FN_CPU_ON            0x84000003u
#define PSCI_0_2_FN_AFFINITY_INFO     0x84000004u
#define PSCI_0_2_FN_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_0_2_FN_SYSTEM_OFF        0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET      0x84000009u
#define PSCI_1_0_FN_PSCI_FEATURES     0x8400000Au
#define PSCI_FN64_BIT                 0x40000000u /* SMC64 form of the same call */
#define SMCCC_VERSION                 0x80000000u
#define SMCCC_ARCH_FEATURES           0x80000001u

#define PSCI_RET_SUCCESS            0
#define PSCI_RET_NOT_SUPPORTED      (-1)
#define PSCI_RET_INVALID_PARAMETERS (-2)
#define PSCI_RET_ALREADY_ON         (-4)
#define PSCI_RET_ON_PENDING         (-5)
#define PSCI_RET_INVALID_ADDRESS    (-9)

enum psci_pe_power { PSCI_PE_ON = 0, PSCI_PE_OFF = 1, PSCI_PE_ON_PENDING = 2 };

/* What the firmware needs from the machine. */
struct psci_platform {
    void *opaque;
    /* PE index with this MPIDR affinity (Aff3-Aff0), or -1. */
    int (*find_pe)(void *opaque, uint64_t mpidr);
    enum psci_pe_power (*power_state)(void *opaque, unsigned pe);
    /* Start powering PE on; it starts at ENTRY with X0 = CONTEXT, in the
     * platform's highest non-secure EL, once the power-on latency has
     * passed. */
    void (*power_on)(void *opaque, unsigned pe, uint64_t entry, uint64_t context);
    /* Is ADDR a valid entry point (executable RAM)? */
    bool (*valid_entry)(void *opaque, uint64_t addr);
};

enum psci_action {
    PSCI_CONTINUE,     /* the call returned to the guest (x0 holds the result) */
    PSCI_SYSTEM_OFF,   /* the guest asked to power the system off */
    PSCI_SYSTEM_RESET, /* the guest asked to reset the system */
    PSCI_CPU_OFF,      /* the caller powers itself off (the call does not return) */
    PSCI_STANDBY,      /* x0 holds SUCCESS; the caller waits as in WFI */
};

/* Serve the call whose function ID is in W0 (arguments X1-X3); results go
 * to X0. */
enum psci_action psci_call(const struct psci_platform *p, struct cpu *caller);

#endif
