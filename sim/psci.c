#include "sim/psci.h"

#include "cpu/cpu.h"

static int64_t features(uint32_t fn)
{
    switch (fn) {
    case PSCI_0_2_FN_SYSTEM_OFF:
    case PSCI_1_0_FN_PSCI_FEATURES: return PSCI_RET_SUCCESS;
    default: return PSCI_RET_NOT_SUPPORTED;
    }
}

enum psci_action psci_call(struct cpu *cpu)
{
    /* SMCCC: the function ID is W0; bits 63:32 of X0 are ignored. */
    uint32_t fn = (uint32_t)cpu_get_x(cpu, 0);
    switch (fn) {
    case PSCI_0_2_FN_SYSTEM_OFF: return PSCI_SYSTEM_OFF;
    case PSCI_1_0_FN_PSCI_FEATURES:
        cpu_set_x(cpu, 0, (uint64_t)features((uint32_t)cpu_get_x(cpu, 1)));
        return PSCI_CONTINUE;
    default:
        /* SMCCC: an unknown function ID returns NOT_SUPPORTED in X0. */
        cpu_set_x(cpu, 0, (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED);
        return PSCI_CONTINUE;
    }
}
