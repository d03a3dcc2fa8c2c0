/* System registers reached by MRS/MSR: one table, one row per register,
 * with its encoding, the lowest EL that may read or write it, and how.
 *
 * Only registers whose behaviour is modelled are here; every other encoding
 * is absent and its access is UNDEFINED (docs/architecture.md lists them).
 * The exception-model work grows this table (traps, EL2, ID registers). */
#include "cpu/decode.h"

#define ENC(op0, op1, crn, crm, op2)                                                               \
    ((uint32_t)((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))
#define NEVER 4 /* no EL may perform this access */

enum sysreg_id {
    SR_NZCV,
    SR_DAIF,
    SR_CURRENTEL,
    SR_MPIDR_EL1,
    SR_TPIDR_EL0,
    SR_TPIDRRO_EL0,
    SR_TPIDR_EL1
};

struct sysreg {
    const char *name;
    uint32_t enc;
    uint8_t read_el, write_el;
    enum sysreg_id id;
};

/* clang-format off */
static const struct sysreg table[] = {
    /* name          encoding              read  write */
    {"NZCV",        ENC(3, 3, 4, 2, 0),    0,    0,     SR_NZCV},
    /* DAIF at EL0 needs SCTLR_EL1.UMA, which is not modelled yet: EL1 only. */
    {"DAIF",        ENC(3, 3, 4, 2, 1),    1,    1,     SR_DAIF},
    {"CurrentEL",   ENC(3, 0, 4, 2, 2),    1,    NEVER, SR_CURRENTEL},
    {"MPIDR_EL1",   ENC(3, 0, 0, 0, 5),    1,    NEVER, SR_MPIDR_EL1},
    {"TPIDR_EL0",   ENC(3, 3, 13, 0, 2),   0,    0,     SR_TPIDR_EL0},
    {"TPIDRRO_EL0", ENC(3, 3, 13, 0, 3),   0,    1,     SR_TPIDRRO_EL0},
    {"TPIDR_EL1",   ENC(3, 0, 13, 0, 4),   1,    1,     SR_TPIDR_EL1},
};
/* clang-format on */

#define NSYSREGS ((int)(sizeof(table) / sizeof(table[0])))

int sysreg_find(uint32_t enc16)
{
    for (int i = 0; i < NSYSREGS; i++)
        if (table[i].enc == enc16)
            return i;
    return -1;
}

const char *sysreg_name(uint32_t enc16);
const char *sysreg_name(uint32_t enc16)
{
    int i = sysreg_find(enc16);
    return i < 0 ? NULL : table[i].name;
}

bool sysreg_read(struct cpu *c, int idx, uint64_t *value)
{
    const struct sysreg *r = &table[idx];
    if (c->el < r->read_el)
        return false;
    switch (r->id) {
    case SR_NZCV: *value = c->nzcv; return true;
    case SR_DAIF: *value = c->daif; return true;
    case SR_CURRENTEL: *value = (uint64_t)c->el << 2; return true;
    /* MPIDR_EL1: bit 31 RES1, U = 0 (part of a multiprocessor system),
     * MT = 0, Aff0 = PE number. */
    case SR_MPIDR_EL1: *value = c->mpidr; return true;
    case SR_TPIDR_EL0: *value = c->tpidr_el0; return true;
    case SR_TPIDRRO_EL0: *value = c->tpidrro_el0; return true;
    case SR_TPIDR_EL1: *value = c->tpidr_el1; return true;
    }
    return false;
}

bool sysreg_write(struct cpu *c, int idx, uint64_t value)
{
    const struct sysreg *r = &table[idx];
    if (c->el < r->write_el)
        return false;
    switch (r->id) {
    case SR_NZCV: c->nzcv = (uint32_t)value & 0xf0000000u; return true;
    case SR_DAIF: c->daif = (uint32_t)value & 0x3c0u; return true;
    case SR_TPIDR_EL0: c->tpidr_el0 = value; return true;
    case SR_TPIDRRO_EL0: c->tpidrro_el0 = value; return true;
    case SR_TPIDR_EL1: c->tpidr_el1 = value; return true;
    default: return false;
    }
}
