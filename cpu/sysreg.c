/* System registers reached by MRS/MSR: one table, one row per register.
 *
 * Each row gives the encoding, the name, the lowest EL that may read and
 * write it, whether it exists only with EL2, and either the storage in
 * struct cpu with the writable bits (plain registers) or the functions
 * that compute it. Every encoding not in the table is absent: its MRS/MSR
 * is UNDEFINED (docs/architecture.md lists what is modelled). An access
 * from an EL below the row's minimum is UNDEFINED too: EL2 registers from
 * EL1 (no FEAT_NV), EL1 registers from EL0. */
#include <stddef.h>

#include "cpu/decode.h"

#define ENC(op0, op1, crn, crm, op2)                                                               \
    ((uint32_t)((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))
#define NEVER      4 /* no EL may perform this access */
#define NO_STORAGE SIZE_MAX

enum { SR_NEEDS_EL2 = 1 };

struct sysreg {
    const char *name;
    uint32_t enc;
    uint8_t read_el, write_el;
    uint8_t flags;
    size_t offset;  /* plain storage, or NO_STORAGE */
    uint64_t wmask; /* writable bits of plain storage */
    bool (*read)(struct cpu *c, uint64_t *value);
    bool (*write)(struct cpu *c, uint64_t value);
};

/* ---- computed registers ---- */

static bool read_nzcv(struct cpu *c, uint64_t *v)
{
    *v = c->nzcv;
    return true;
}
static bool write_nzcv(struct cpu *c, uint64_t v)
{
    c->nzcv = (uint32_t)v & 0xf0000000u;
    return true;
}
static bool read_daif(struct cpu *c, uint64_t *v)
{
    *v = c->daif;
    return true;
}
static bool write_daif(struct cpu *c, uint64_t v)
{
    c->daif = (uint32_t)v & PSR_DAIF;
    cpu_update_async(c);
    return true;
}
static bool read_currentel(struct cpu *c, uint64_t *v)
{
    *v = (uint64_t)c->el << 2;
    return true;
}
static bool read_spsel(struct cpu *c, uint64_t *v)
{
    *v = c->spsel;
    return true;
}
static bool write_spsel(struct cpu *c, uint64_t v)
{
    cpu_set_el_sp(c, c->el, v & 1);
    return true;
}
/* SP_EL0 is UNDEFINED while it is the current stack pointer (Arm ARM
 * C5.2.x SP_EL0: "when PSTATE.SP == 0"). */
static bool read_sp_el0(struct cpu *c, uint64_t *v)
{
    if (!c->spsel)
        return false;
    *v = c->sp_el[0];
    return true;
}
static bool write_sp_el0(struct cpu *c, uint64_t v)
{
    if (!c->spsel)
        return false;
    c->sp_el[0] = v;
    return true;
}
static bool read_sp_el1(struct cpu *c, uint64_t *v)
{
    *v = c->sp_el[1];
    return true;
}
static bool write_sp_el1(struct cpu *c, uint64_t v)
{
    c->sp_el[1] = v;
    return true;
}
static bool read_mpidr(struct cpu *c, uint64_t *v)
{
    *v = c->mpidr;
    return true;
}
static bool read_hcr_el2(struct cpu *c, uint64_t *v)
{
    *v = c->hcr_el2;
    return true;
}
static bool write_hcr_el2(struct cpu *c, uint64_t v)
{
    /* Bits this model gives meaning to, plus the trap and control bits
     * kept as storage for the EL2 work: everything the Armv8.1 HCR_EL2
     * defines up to E2H (bit 34); the rest is RES0. */
    c->hcr_el2 = v & 0x7ffffffffull;
    cpu_update_async(c);
    return true;
}

/* clang-format off */
#define PLAIN(field, mask) offsetof(struct cpu, field), (mask), NULL, NULL
#define FUNCS(r, w)        NO_STORAGE, 0, (r), (w)

static const struct sysreg table[] = {
    /* name          encoding              read   write  flags         storage */
    {"NZCV",         ENC(3, 3, 4, 2, 0),   0,     0,     0,            FUNCS(read_nzcv, write_nzcv)},
    /* DAIF at EL0 would need SCTLR_EL1.UMA and its trap: EL1 and up only. */
    {"DAIF",         ENC(3, 3, 4, 2, 1),   1,     1,     0,            FUNCS(read_daif, write_daif)},
    {"CurrentEL",    ENC(3, 0, 4, 2, 2),   1,     NEVER, 0,            FUNCS(read_currentel, NULL)},
    {"SPSel",        ENC(3, 0, 4, 2, 0),   1,     1,     0,            FUNCS(read_spsel, write_spsel)},
    {"SP_EL0",       ENC(3, 0, 4, 1, 0),   1,     1,     0,            FUNCS(read_sp_el0, write_sp_el0)},
    {"SP_EL1",       ENC(3, 4, 4, 1, 0),   2,     2,     SR_NEEDS_EL2, FUNCS(read_sp_el1, write_sp_el1)},
    {"MPIDR_EL1",    ENC(3, 0, 0, 0, 5),   1,     NEVER, 0,            FUNCS(read_mpidr, NULL)},
    {"TPIDR_EL0",    ENC(3, 3, 13, 0, 2),  0,     0,     0,            PLAIN(tpidr_el0, ~0ull)},
    {"TPIDRRO_EL0",  ENC(3, 3, 13, 0, 3),  0,     1,     0,            PLAIN(tpidrro_el0, ~0ull)},
    {"TPIDR_EL1",    ENC(3, 0, 13, 0, 4),  1,     1,     0,            PLAIN(tpidr_el1, ~0ull)},
    {"SCTLR_EL1",    ENC(3, 0, 1, 0, 0),   1,     1,     0,            PLAIN(sctlr[1], ~0ull)},
    {"ELR_EL1",      ENC(3, 0, 4, 0, 1),   1,     1,     0,            PLAIN(elr[1], ~0ull)},
    {"SPSR_EL1",     ENC(3, 0, 4, 0, 0),   1,     1,     0,            PLAIN(spsr[1], 0xffffffffull)},
    {"ESR_EL1",      ENC(3, 0, 5, 2, 0),   1,     1,     0,            PLAIN(esr[1], 0xffffffffull)},
    {"FAR_EL1",      ENC(3, 0, 6, 0, 0),   1,     1,     0,            PLAIN(far[1], ~0ull)},
    {"VBAR_EL1",     ENC(3, 0, 12, 0, 0),  1,     1,     0,            PLAIN(vbar[1], ~0x7ffull)},
    {"SCTLR_EL2",    ENC(3, 4, 1, 0, 0),   2,     2,     SR_NEEDS_EL2, PLAIN(sctlr[2], ~0ull)},
    {"HCR_EL2",      ENC(3, 4, 1, 1, 0),   2,     2,     SR_NEEDS_EL2, FUNCS(read_hcr_el2, write_hcr_el2)},
    {"ELR_EL2",      ENC(3, 4, 4, 0, 1),   2,     2,     SR_NEEDS_EL2, PLAIN(elr[2], ~0ull)},
    {"SPSR_EL2",     ENC(3, 4, 4, 0, 0),   2,     2,     SR_NEEDS_EL2, PLAIN(spsr[2], 0xffffffffull)},
    {"ESR_EL2",      ENC(3, 4, 5, 2, 0),   2,     2,     SR_NEEDS_EL2, PLAIN(esr[2], 0xffffffffull)},
    {"FAR_EL2",      ENC(3, 4, 6, 0, 0),   2,     2,     SR_NEEDS_EL2, PLAIN(far[2], ~0ull)},
    {"VBAR_EL2",     ENC(3, 4, 12, 0, 0),  2,     2,     SR_NEEDS_EL2, PLAIN(vbar[2], ~0x7ffull)},
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

static bool accessible(const struct cpu *c, const struct sysreg *r, unsigned min_el)
{
    if ((r->flags & SR_NEEDS_EL2) && !c->have_el2)
        return false;
    return c->el >= min_el;
}

static uint64_t *storage(struct cpu *c, const struct sysreg *r)
{
    return (uint64_t *)((char *)c + r->offset);
}

bool sysreg_read(struct cpu *c, int idx, uint64_t *value)
{
    const struct sysreg *r = &table[idx];
    if (!accessible(c, r, r->read_el))
        return false;
    if (r->offset != NO_STORAGE) {
        *value = *storage(c, r);
        return true;
    }
    return r->read ? r->read(c, value) : false;
}

bool sysreg_write(struct cpu *c, int idx, uint64_t value)
{
    const struct sysreg *r = &table[idx];
    if (!accessible(c, r, r->write_el))
        return false;
    if (r->offset != NO_STORAGE) {
        *storage(c, r) = value & r->wmask;
        return true;
    }
    return r->write ? r->write(c, value) : false;
}
