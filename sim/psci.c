#include "sim/psci.h"

#include "cpu/cpu.h"

static bool is_smc64(uint32_t fn)
{
    return fn & PSCI_FN64_BIT;
}

/* The function ID without its SMC64 bit, for the calls that have both. */
static uint32_t base_fn(uint32_t fn)
{
    switch (fn & ~PSCI_FN64_BIT) {
    case PSCI_0_2_FN_CPU_SUSPEND:
    case PSCI_0_2_FN_CPU_ON:
    case PSCI_0_2_FN_AFFINITY_INFO: return fn & ~PSCI_FN64_BIT;
    default: return fn;
    }
}

static int64_t features(uint32_t fn)
{
    switch (base_fn(fn)) {
    case PSCI_0_2_FN_PSCI_VERSION:
    case PSCI_0_2_FN_CPU_OFF:
    case PSCI_0_2_FN_CPU_ON:
    case PSCI_0_2_FN_AFFINITY_INFO:
    case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
    case PSCI_0_2_FN_SYSTEM_OFF:
    case PSCI_0_2_FN_SYSTEM_RESET:
    case PSCI_1_0_FN_PSCI_FEATURES:
    case SMCCC_VERSION: return PSCI_RET_SUCCESS;
    case PSCI_0_2_FN_CPU_SUSPEND:
        /* Feature flags: original power_state format (bit 1 = 0), platform
         * coordinated mode only (bit 0 = 0). */
        return 0;
    default: return PSCI_RET_NOT_SUPPORTED;
    }
}

static uint64_t arg(struct cpu *caller, unsigned n, uint32_t fn)
{
    uint64_t v = cpu_get_x(caller, n);
    return is_smc64(fn) ? v : (uint32_t)v;
}

static int64_t cpu_on(const struct psci_platform *p, struct cpu *caller, uint32_t fn)
{
    int pe = p->find_pe(p->opaque, arg(caller, 1, fn));
    uint64_t entry = arg(caller, 2, fn), context = arg(caller, 3, fn);
    if (pe < 0)
        return PSCI_RET_INVALID_PARAMETERS;
    switch (p->power_state(p->opaque, (unsigned)pe)) {
    case PSCI_PE_ON: return PSCI_RET_ALREADY_ON;
    case PSCI_PE_ON_PENDING: return PSCI_RET_ON_PENDING;
    case PSCI_PE_OFF: break;
    }
    if (!p->valid_entry(p->opaque, entry))
        return PSCI_RET_INVALID_ADDRESS;
    /* PSCI (DEN0022) CPU_ON: the PE starts in the highest Exception level
     * that exists and is enabled on the caller, not in the caller's
     * current one; the platform knows which that is. */
    p->power_on(p->opaque, (unsigned)pe, entry, context);
    return PSCI_RET_SUCCESS;
}

static int64_t affinity_info(const struct psci_platform *p, struct cpu *caller, uint32_t fn)
{
    /* Only affinity level 0 is required from PSCI 1.0 on; this platform
     * has no other levels to report. */
    if (arg(caller, 2, fn) != 0)
        return PSCI_RET_INVALID_PARAMETERS;
    int pe = p->find_pe(p->opaque, arg(caller, 1, fn));
    if (pe < 0)
        return PSCI_RET_INVALID_PARAMETERS;
    return p->power_state(p->opaque, (unsigned)pe);
}

enum psci_action psci_call(const struct psci_platform *p, struct cpu *caller)
{
    /* SMCCC: the function ID is W0; bits 63:32 of X0 are ignored. */
    uint32_t fn = (uint32_t)cpu_get_x(caller, 0);
    int64_t ret;
    switch (base_fn(fn)) {
    case PSCI_0_2_FN_PSCI_VERSION: ret = 0x00010001; break; /* 1.1 */
    case PSCI_1_0_FN_PSCI_FEATURES: ret = features((uint32_t)cpu_get_x(caller, 1)); break;
    case PSCI_0_2_FN_CPU_ON: ret = cpu_on(p, caller, fn); break;
    case PSCI_0_2_FN_CPU_OFF: return PSCI_CPU_OFF;
    case PSCI_0_2_FN_CPU_SUSPEND: cpu_set_x(caller, 0, PSCI_RET_SUCCESS); return PSCI_STANDBY;
    case PSCI_0_2_FN_AFFINITY_INFO: ret = affinity_info(p, caller, fn); break;
    case PSCI_0_2_FN_MIGRATE_INFO_TYPE: ret = 2; break; /* no Trusted OS to migrate */
    case PSCI_0_2_FN_SYSTEM_OFF: return PSCI_SYSTEM_OFF;
    case PSCI_0_2_FN_SYSTEM_RESET: return PSCI_SYSTEM_RESET;
    case SMCCC_VERSION: ret = 0x10001; break; /* SMCCC 1.1 */
    case SMCCC_ARCH_FEATURES:
        /* Only the discovery calls themselves; no errata workarounds. */
        ret = ((uint32_t)cpu_get_x(caller, 1) == SMCCC_ARCH_FEATURES ||
               (uint32_t)cpu_get_x(caller, 1) == SMCCC_VERSION)
                  ? 0
                  : PSCI_RET_NOT_SUPPORTED;
        break;
    default: ret = PSCI_RET_NOT_SUPPORTED; break;
    }
    cpu_set_x(caller, 0, (uint64_t)ret);
    return PSCI_CONTINUE;
}
