/* The cost model: cycles per instruction class. "Cycle-approximate" means
 * exactly this table; every instruction is charged its class's cost when it
 * retires. One table for all PEs, fixed for the whole run. */
#ifndef CPU_COST_H
#define CPU_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cost_class {
    COST_ALU,       /* integer data processing, moves, address generation */
    COST_MUL,       /* multiply, multiply-accumulate, long multiply */
    COST_DIV,       /* UDIV, SDIV */
    COST_BRANCH,    /* every branch, taken or not */
    COST_LOAD,      /* load from RAM (per instruction, pair counts once) */
    COST_STORE,     /* store to RAM */
    COST_MMIO,      /* extra cycles for each access that reaches a device */
    COST_SYSREG,    /* MRS, MSR */
    COST_BARRIER,   /* DMB, DSB, ISB, CLREX */
    COST_HINT,      /* NOP and the other hints */
    COST_EXCEPTION, /* HVC/SMC/HLT handled by the firmware */
    COST_EXC_ENTRY, /* taking an exception (added on entry, whatever its cause) */
    COST_FP,        /* scalar floating-point arithmetic, conversions, compares */
    COST_SIMD,      /* Advanced SIMD data processing */
    COST_NR
};

struct cost_table {
    uint32_t cycles[COST_NR];
};

/* The defaults (docs/architecture.md explains them). Every entry is >= 1. */
extern const struct cost_table cost_default;

const char *cost_class_name(enum cost_class k);

/* Largest cost of one class: a decoded instruction stores its cost in 16 bits. */
#define COST_MAX 65535

/* Override entries of T from the text file PATH: one "class = cycles" per
 * line, '#' starts a comment, classes named as cost_class_name() gives.
 * On error returns false with "PATH:LINE: problem" in err. */
bool cost_table_load(struct cost_table *t, const char *path, char *err, size_t errlen);

#endif
