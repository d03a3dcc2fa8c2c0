/* Shared by the GIC unit suites (test_gic_cpuif.c, test_gic_vcpu.c): a look
 * at the GIC's system-register table (gic_sysregs). Header-only. */
#ifndef A64SIM_TESTS_UNIT_GIC_SYSREG_UTIL_H
#define A64SIM_TESTS_UNIT_GIC_SYSREG_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "cpu/cpu.h"
#include "gic/gic.h"

/* Whether G's table has the register NAME (as the Arm ARM spells it). */
static inline bool has_reg(const struct gic *g, const char *name)
{
    size_t n;
    const struct cpu_sysreg_desc *rows = gic_sysregs(g, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].name, name))
            return true;
    return false;
}

#endif
