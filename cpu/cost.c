#include "cpu/cost.h"

/* Loosely a small in-order core at 1 GHz: single-cycle ALU and branches,
 * a multi-cycle multiplier and divider, L1-hit loads. Device accesses cost
 * more because they leave the core. Every cost is at least 1: the run loop
 * relies on it to stop exactly at --max-insns. */
const struct cost_table cost_default = {
    .cycles =
        {
            [COST_ALU] = 1,
            [COST_MUL] = 3,
            [COST_DIV] = 12,
            [COST_BRANCH] = 1,
            [COST_LOAD] = 3,
            [COST_STORE] = 1,
            [COST_MMIO] = 20,
            [COST_SYSREG] = 2,
            [COST_BARRIER] = 4,
            [COST_HINT] = 1,
            [COST_EXCEPTION] = 20,
        },
};

static const char *const names[COST_NR] = {
    [COST_ALU] = "alu",
    [COST_MUL] = "mul",
    [COST_DIV] = "div",
    [COST_BRANCH] = "branch",
    [COST_LOAD] = "load",
    [COST_STORE] = "store",
    [COST_MMIO] = "mmio",
    [COST_SYSREG] = "sysreg",
    [COST_BARRIER] = "barrier",
    [COST_HINT] = "hint",
    [COST_EXCEPTION] = "exception",
};

const char *cost_class_name(enum cost_class k)
{
    return (unsigned)k < COST_NR ? names[k] : "?";
}
