/* SYS: cache maintenance (DC, IC), address translation (AT) and TLB
 * maintenance (TLBI), the op0 = 0b01 system instructions (Arm ARM C5.3).
 *
 * The model has no caches, so DC and IC operations have no effect on data
 * (decoded code is kept coherent with memory on every store) — except DC
 * ZVA, which zeroes a block, and IC invalidation, which drops decoded
 * instructions. TLBI removes the entries the instruction names from the
 * software TLB (cpu/mem.c, mem_tlbi); the IS forms reach every PE.
 * AT translates and writes PAR_EL1. Encodings of this space that are not
 * listed below are UNDEFINED, as are SYSL and the Armv8.2+ forms (DC CVAP,
 * AT S1E1RP/WP, TLBI by range or outer shareable). */
#include "cpu/decode.h"
#include "cpu/mmu.h"
#include "sim/bus.h"

#define X(r) (c->x[(r)])

#define SYS(op1, crn, crm, op2) ((uint32_t)((op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))

enum sys_op {
    SYS_IC_IALLU,
    SYS_IC_IALLUIS,
    SYS_IC_IVAU,
    SYS_DC_NOP, /* every DC by set/way or by VA to the point of coherency/unification */
    SYS_DC_ZVA,
    SYS_AT,
    SYS_TLBI_LOCAL,
    SYS_TLBI_BROADCAST,
};

struct sys_desc {
    uint32_t enc; /* op1:CRn:CRm:op2 */
    const char *name;
    enum sys_op op;
    uint8_t min_el;
    uint8_t at; /* for AT: stage/EL selector, see exec_AT */
};

/* clang-format off */
static const struct sys_desc sys_table[] = {
    {SYS(0, 7, 1, 0),  "IC IALLUIS",     SYS_IC_IALLUIS,     1, 0},
    {SYS(0, 7, 5, 0),  "IC IALLU",       SYS_IC_IALLU,       1, 0},
    {SYS(3, 7, 5, 1),  "IC IVAU",        SYS_IC_IVAU,        0, 0},
    {SYS(0, 7, 6, 1),  "DC IVAC",        SYS_DC_NOP,         1, 0},
    {SYS(0, 7, 6, 2),  "DC ISW",         SYS_DC_NOP,         1, 0},
    {SYS(0, 7, 10, 2), "DC CSW",         SYS_DC_NOP,         1, 0},
    {SYS(0, 7, 14, 2), "DC CISW",        SYS_DC_NOP,         1, 0},
    {SYS(3, 7, 4, 1),  "DC ZVA",         SYS_DC_ZVA,         0, 0},
    {SYS(3, 7, 10, 1), "DC CVAC",        SYS_DC_NOP,         0, 0},
    {SYS(3, 7, 11, 1), "DC CVAU",        SYS_DC_NOP,         0, 0},
    {SYS(3, 7, 14, 1), "DC CIVAC",       SYS_DC_NOP,         0, 0},
    /* AT: at = 1 S1E1x, 0 S1E0x, 2 S1E2x, 3 S12E1x, 4 S12E0x; bit 3 = write */
    {SYS(0, 7, 8, 0),  "AT S1E1R",       SYS_AT,             1, 1},
    {SYS(0, 7, 8, 1),  "AT S1E1W",       SYS_AT,             1, 1 | 8},
    {SYS(0, 7, 8, 2),  "AT S1E0R",       SYS_AT,             1, 0},
    {SYS(0, 7, 8, 3),  "AT S1E0W",       SYS_AT,             1, 0 | 8},
    {SYS(4, 7, 8, 0),  "AT S1E2R",       SYS_AT,             2, 2},
    {SYS(4, 7, 8, 1),  "AT S1E2W",       SYS_AT,             2, 2 | 8},
    {SYS(4, 7, 8, 4),  "AT S12E1R",      SYS_AT,             2, 3},
    {SYS(4, 7, 8, 5),  "AT S12E1W",      SYS_AT,             2, 3 | 8},
    {SYS(4, 7, 8, 6),  "AT S12E0R",      SYS_AT,             2, 4},
    {SYS(4, 7, 8, 7),  "AT S12E0W",      SYS_AT,             2, 4 | 8},
    {SYS(0, 8, 3, 0),  "TLBI VMALLE1IS", SYS_TLBI_BROADCAST, 1, 0},
    {SYS(0, 8, 3, 1),  "TLBI VAE1IS",    SYS_TLBI_BROADCAST, 1, 0},
    {SYS(0, 8, 3, 2),  "TLBI ASIDE1IS",  SYS_TLBI_BROADCAST, 1, 0},
    {SYS(0, 8, 3, 3),  "TLBI VAAE1IS",   SYS_TLBI_BROADCAST, 1, 0},
    {SYS(0, 8, 3, 5),  "TLBI VALE1IS",   SYS_TLBI_BROADCAST, 1, 0},
    {SYS(0, 8, 3, 7),  "TLBI VAALE1IS",  SYS_TLBI_BROADCAST, 1, 0},
    {SYS(0, 8, 7, 0),  "TLBI VMALLE1",   SYS_TLBI_LOCAL,     1, 0},
    {SYS(0, 8, 7, 1),  "TLBI VAE1",      SYS_TLBI_LOCAL,     1, 0},
    {SYS(0, 8, 7, 2),  "TLBI ASIDE1",    SYS_TLBI_LOCAL,     1, 0},
    {SYS(0, 8, 7, 3),  "TLBI VAAE1",     SYS_TLBI_LOCAL,     1, 0},
    {SYS(0, 8, 7, 5),  "TLBI VALE1",     SYS_TLBI_LOCAL,     1, 0},
    {SYS(0, 8, 7, 7),  "TLBI VAALE1",    SYS_TLBI_LOCAL,     1, 0},
    {SYS(4, 8, 0, 1),  "TLBI IPAS2E1IS", SYS_TLBI_BROADCAST, 2, 0},
    {SYS(4, 8, 0, 5),  "TLBI IPAS2LE1IS", SYS_TLBI_BROADCAST, 2, 0},
    {SYS(4, 8, 4, 1),  "TLBI IPAS2E1",   SYS_TLBI_LOCAL,     2, 0},
    {SYS(4, 8, 4, 5),  "TLBI IPAS2LE1",  SYS_TLBI_LOCAL,     2, 0},
    {SYS(4, 8, 3, 0),  "TLBI ALLE2IS",   SYS_TLBI_BROADCAST, 2, 0},
    {SYS(4, 8, 3, 1),  "TLBI VAE2IS",    SYS_TLBI_BROADCAST, 2, 0},
    {SYS(4, 8, 3, 4),  "TLBI ALLE1IS",   SYS_TLBI_BROADCAST, 2, 0},
    {SYS(4, 8, 3, 5),  "TLBI VALE2IS",   SYS_TLBI_BROADCAST, 2, 0},
    {SYS(4, 8, 3, 6),  "TLBI VMALLS12E1IS", SYS_TLBI_BROADCAST, 2, 0},
    {SYS(4, 8, 7, 0),  "TLBI ALLE2",     SYS_TLBI_LOCAL,     2, 0},
    {SYS(4, 8, 7, 1),  "TLBI VAE2",      SYS_TLBI_LOCAL,     2, 0},
    {SYS(4, 8, 7, 4),  "TLBI ALLE1",     SYS_TLBI_LOCAL,     2, 0},
    {SYS(4, 8, 7, 5),  "TLBI VALE2",     SYS_TLBI_LOCAL,     2, 0},
    {SYS(4, 8, 7, 6),  "TLBI VMALLS12E1", SYS_TLBI_LOCAL,    2, 0},
};
/* clang-format on */

#define NSYS (sizeof(sys_table) / sizeof(sys_table[0]))

/* The row of ENC, op1:CRn:CRm:op2, or NULL. */
static const struct sys_desc *sys_find(uint32_t enc)
{
    for (unsigned i = 0; i < NSYS; i++)
        if (sys_table[i].enc == enc)
            return &sys_table[i];
    return NULL;
}

const char *sys_name(uint32_t raw);
const char *sys_name(uint32_t raw)
{
    const struct sys_desc *d = sys_find(bits(raw, 18, 5));
    return d ? d->name : NULL;
}

/* DCZID_EL0.BS of this model: 2^4 words, a 64-byte DC ZVA block. */
#define ZVA_BLOCK 64

static void exec_DC_ZVA(struct cpu *c, const struct insn *in)
{
    uint64_t base = X(in->rd) & ~(uint64_t)(ZVA_BLOCK - 1);
    /* Each store translates and checks like a write; DC ZVA to Device
     * memory is an alignment fault (Arm ARM C5.3 DC ZVA), which the first
     * store reports when the block is Device. */
    struct mmu_result res;
    if (mem_translate(c, base, MMU_WRITE, false, &res) && res.device) {
        cpu_raise_fault(c, FAULT_ALIGNMENT, X(in->rd), ZVA_BLOCK, true);
        return;
    }
    for (unsigned i = 0; i < ZVA_BLOCK; i += 8)
        if (!mem_write(c, base + i, 8, 0))
            return;
    insn_next(c, in);
}

static void exec_IC(struct cpu *c, const struct insn *in)
{
    if (in->op == SYS_IC_IVAU) {
        struct mmu_result res;
        uint64_t va = X(in->rd) & ~(uint64_t)63;
        if (mem_translate(c, va, MMU_READ, false, &res) && bus_is_ram(c->bus, res.pa, 64))
            mem_invalidate_code(c->code, res.pa, 64);
    } else {
        mem_invalidate_all_code(c->code);
    }
    pc_advance(c);
    cpu_break(c); /* the loop may hold a pointer into a reset entry's page */
}

static void exec_DC_NOP(struct cpu *c, const struct insn *in)
{
    (void)in;
    insn_next(c, in);
}

static void exec_TLBI(struct cpu *c, const struct insn *in)
{
    if (in->op == SYS_TLBI_BROADCAST) {
        struct code_cache *cc = c->code;
        for (unsigned i = 0; i < cc->ncpus; i++)
            mem_tlbi(cc->cpus[i], c, in->raw, X(in->rd));
    } else {
        mem_tlbi(c, c, in->raw, X(in->rd));
    }
    insn_next(c, in);
}

/* PAR_EL1 for a translation (Arm ARM D17.2 PAR_EL1, 64-bit format). */
static uint64_t par_value(const struct mmu_result *res, bool ok)
{
    if (!ok) {
        uint64_t par = 1 | ((uint64_t)mmu_fault_status(res) << 1) | (1ull << 11);
        if (res->s1ptw)
            par |= 1ull << 8;
        if (res->stage2)
            par |= 1ull << 9;
        return par;
    }
    /* ATTR in bits 63:56, PA in 47:12, bit 11 RES1, SH (inner shareable
     * for Normal, outer for Device, as the architecture reports them) in
     * 8:7. */
    uint64_t sh = res->device ? 2 : 3;
    return ((uint64_t)res->attr << 56) | (res->pa & 0xfffffffff000ull) | (1ull << 11) | (sh << 7);
}

static void exec_AT(struct cpu *c, const struct insn *in)
{
    unsigned kind = in->size & 7;
    bool write = in->size & 8;
    uint64_t va = X(in->rd);
    unsigned el = c->el;
    uint64_t hcr = c->hcr_el2;
    /* Translate as the named regime: S1E0/S12E0 with EL0's permissions,
     * S1E2 in EL2's regime, S1E1/S1E0 stage 1 only. */
    bool unpriv = kind == 0 || kind == 4;
    if (kind == 2)
        c->el = 2;
    else if (el == 2)
        c->el = 1;
    if (kind <= 1)
        c->hcr_el2 &= ~(1ull << 0); /* stage 1 only: HCR_EL2.VM ignored */
    struct mmu_result res;
    bool ok = mem_translate(c, va, write ? MMU_WRITE : MMU_READ, unpriv, &res);
    c->el = (uint8_t)el;
    c->hcr_el2 = hcr;
    if (ok && (kind <= 1))
        res.pa = res.ipa; /* a stage 1 AT reports the IPA as the output address */
    c->par_el1 = par_value(&res, ok);
    insn_next(c, in);
}

/* Every SYS op: the EL check (UNDEFINED below its EL, EL2 ops without
 * EL2), then the traps of SCTLR_EL1 and HCR_EL2, then the operation. */
static void exec_SYS(struct cpu *c, const struct insn *in)
{
    if (c->el < in->flags || (in->flags == 2 && !c->have_el2)) {
        cpu_raise_fault(c, FAULT_UNDEFINED, 0, 0, false);
        return;
    }
    if (sysreg_sys_trapped(c, in->raw))
        return;
    switch (in->op) {
    case SYS_IC_IALLU:
    case SYS_IC_IALLUIS:
    case SYS_IC_IVAU: exec_IC(c, in); return;
    case SYS_DC_NOP: exec_DC_NOP(c, in); return;
    case SYS_DC_ZVA: exec_DC_ZVA(c, in); return;
    case SYS_AT: exec_AT(c, in); return;
    default: exec_TLBI(c, in); return;
    }
}

bool trans_SYS(struct insn *in, const struct insn_fields *f)
{
    if (f->L)
        return false; /* SYSL: nothing is defined in this space */
    const struct sys_desc *d = sys_find(SYS(f->op1, f->CRn, f->CRm, f->op2));
    if (!d)
        return false;
    in->op = (uint8_t)d->op;
    in->size = d->at;
    in->flags = d->min_el;
    in->rd = reg_zr(f->Rt);
    if (d->op == SYS_DC_ZVA)
        in->cost = COST_STORE;
    in->fn = exec_SYS;
    return true;
}
