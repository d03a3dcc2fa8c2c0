/* The GIC's system registers as one table of descriptors (struct
 * cpu_sysreg_desc, defined by cpu/): encoding, name, lowest EL per
 * direction, reset value, trap check, read and write. The board registers
 * the table with each PE (gic_sysregs); the PE finds the row by encoding.
 *
 * Which interface an ICC_* encoding reaches (IHI 0069, "Virtual CPU
 * interface registers"): at EL1 with EL2 routing the interrupts to itself,
 *   - Group 0 registers (IAR0, EOIR0, HPPIR0, BPR0, AP0R<n>, IGRPEN0)
 *     reach ICV_* when HCR_EL2.FMO = 1,
 *   - Group 1 registers (IAR1, EOIR1, HPPIR1, BPR1, AP1R<n>, IGRPEN1)
 *     when HCR_EL2.IMO = 1,
 *   - the common ones (PMR, RPR, CTLR, DIR) when either is 1;
 * otherwise, and always at EL2, the physical ICC_* registers.
 *
 * Traps to EL2 of EL1 accesses (EC 0x18), whichever interface the access
 * would reach, checked before it (the register pseudocode's order):
 *   - ICH_HCR_EL2.TALL0: the Group 0 registers; TALL1: the Group 1 ones;
 *   - ICH_HCR_EL2.TC: the common registers and the SGI registers;
 *   - ICH_HCR_EL2.TDIR: ICC_DIR_EL1;
 *   - HCR_EL2.IMO or FMO: the SGI registers (SGI0R, SGI1R, ASGI1R), which
 *     have no virtual counterpart: the hypervisor emulates them.
 * ICC_SRE_EL1 is neither trapped nor virtual: its SRE, DFB and DIB read as
 * one (system registers only), which is what both interfaces show.
 * ICC_SRE_EL2.Enable reads as one, so EL1 accesses to ICC_SRE_EL1 do not
 * trap. ICC_*_EL3 do not exist (no EL3). */
#include "gic/gic_internal.h"

#include <assert.h>
#include <stdlib.h>

#include "cpu/cpu.h"
#include "pmr/pmr.h"

#define ENC      CPU_SYSREG_ENC
#define NEVER    CPU_SYSREG_NEVER
#define RES_CTLR (1u << 15) /* ICC_CTLR_EL1.A3V */

/* What a row's id holds: the register, and for ICC_* its class. */
enum row_class {
    CLS_G0 = 1, /* Group 0: FMO makes it virtual, TALL0 traps it */
    CLS_G1,     /* Group 1: IMO, TALL1 */
    CLS_COMMON, /* IMO or FMO, TC */
    CLS_DIR,    /* like CLS_COMMON, and TDIR */
    CLS_SGI,    /* IMO or FMO trap it, TC too */
    CLS_PLAIN,  /* ICC_SRE_EL1, ICC_SRE_EL2: physical, never trapped */
    CLS_ICH,    /* an ICH_*_EL2 register (EL2 only) */
};
#define ROW_ID(cls, reg) ((unsigned)(cls) << 8 | (unsigned)(reg))
#define ROW_CLASS(id)    ((enum row_class)((id) >> 8))
#define ROW_REG(id)      ((id)&0xffu)

#define HCR_TDIR  (1u << 8)
#define HCR_TC    (1u << 10)
#define HCR_TALL0 (1u << 11)
#define HCR_TALL1 (1u << 12)

/* Inside a row's read or write: the PE whose access it is (self-
 * synchronising output changes, gic_output_fn's OWN). */
static int enter(struct gic *g, unsigned pe)
{
    int outer = g->access_pe;
    g->access_pe = (int)pe;
    return outer;
}

static enum cpu_sysreg_access icc_check(void *opaque, const struct cpu_sysreg_ctx *ctx,
                                        const struct cpu_sysreg_desc *r, bool write)
{
    const struct gic *g = opaque;
    (void)write;
    if (ctx->el != 1 || !ctx->el2_enabled)
        return CPU_SYSREG_OK;
    uint32_t hcr = g->cpu[ctx->pe].v.hcr;
    uint32_t traps = 0;
    switch (ROW_CLASS(r->id)) {
    case CLS_G0: traps = hcr & HCR_TALL0; break;
    case CLS_G1: traps = hcr & HCR_TALL1; break;
    case CLS_COMMON: traps = hcr & HCR_TC; break;
    case CLS_DIR: traps = hcr & (HCR_TC | HCR_TDIR); break;
    case CLS_SGI: traps = (hcr & HCR_TC) || ctx->imo || ctx->fmo; break;
    case CLS_PLAIN:
    case CLS_ICH: break;
    }
    return traps ? CPU_SYSREG_TRAP_EL2 : CPU_SYSREG_OK;
}

static bool goes_virtual(const struct cpu_sysreg_ctx *ctx, const struct cpu_sysreg_desc *r)
{
    if (ctx->el != 1)
        return false;
    switch (ROW_CLASS(r->id)) {
    case CLS_G0: return ctx->fmo;
    case CLS_G1: return ctx->imo;
    case CLS_COMMON:
    case CLS_DIR: return ctx->imo || ctx->fmo;
    default: return false;
    }
}

static uint64_t icc_read(void *opaque, const struct cpu_sysreg_ctx *ctx,
                         const struct cpu_sysreg_desc *r)
{
    struct gic *g = opaque;
    enum gic_icc_reg reg = (enum gic_icc_reg)ROW_REG(r->id);
    int outer = enter(g, ctx->pe);
    uint64_t v =
        goes_virtual(ctx, r) ? gic_icv_read(g, ctx->pe, reg) : gic_cpuif_read(g, ctx->pe, reg);
    g->access_pe = outer;
    return v;
}

static void icc_write(void *opaque, const struct cpu_sysreg_ctx *ctx,
                      const struct cpu_sysreg_desc *r, uint64_t value)
{
    struct gic *g = opaque;
    enum gic_icc_reg reg = (enum gic_icc_reg)ROW_REG(r->id);
    int outer = enter(g, ctx->pe);
    if (goes_virtual(ctx, r))
        gic_icv_write(g, ctx->pe, reg, value);
    else
        gic_cpuif_write(g, ctx->pe, reg, value);
    g->access_pe = outer;
}

static uint64_t ich_read(void *opaque, const struct cpu_sysreg_ctx *ctx,
                         const struct cpu_sysreg_desc *r)
{
    struct gic *g = opaque;
    int outer = enter(g, ctx->pe);
    uint64_t v = gic_ich_read(g, ctx->pe, (enum gic_ich_reg)ROW_REG(r->id));
    g->access_pe = outer;
    return v;
}

static void ich_write(void *opaque, const struct cpu_sysreg_ctx *ctx,
                      const struct cpu_sysreg_desc *r, uint64_t value)
{
    struct gic *g = opaque;
    int outer = enter(g, ctx->pe);
    gic_ich_write(g, ctx->pe, (enum gic_ich_reg)ROW_REG(r->id), value);
    g->access_pe = outer;
}

/* The ICH_LR<n>_EL2 names in the table spell n; the enum counts from LR0. */
enum {
    ICH_LR1_EL2 = ICH_LR0_EL2 + 1,
    ICH_LR2_EL2,
    ICH_LR3_EL2,
    ICH_LR4_EL2,
    ICH_LR5_EL2,
    ICH_LR6_EL2,
    ICH_LR7_EL2,
    ICH_LR8_EL2,
    ICH_LR9_EL2,
    ICH_LR10_EL2,
    ICH_LR11_EL2,
    ICH_LR12_EL2,
    ICH_LR13_EL2,
    ICH_LR14_EL2,
    ICH_LR15_EL2,
};

/* clang-format off */
#define ICC(name, enc, rd, wr, cls) \
    {#name, enc, rd, wr, 0, icc_check, icc_read, icc_write, ROW_ID(cls, name)}
#define ICH(name, enc, wr) \
    {#name, enc, 2, wr, 0, NULL, ich_read, ich_write, ROW_ID(CLS_ICH, name)}

/* Every register the GIC may have, the optional ones included; the .reset
 * column is filled by gic_sysregs_build for the configuration. */
static const struct cpu_sysreg_desc all_rows[] = {
    ICC(ICC_PMR_EL1,     ENC(3, 0, 4, 6, 0),   1,     1,     CLS_COMMON),
    ICC(ICC_IAR0_EL1,    ENC(3, 0, 12, 8, 0),  1,     NEVER, CLS_G0),
    ICC(ICC_EOIR0_EL1,   ENC(3, 0, 12, 8, 1),  NEVER, 1,     CLS_G0),
    ICC(ICC_HPPIR0_EL1,  ENC(3, 0, 12, 8, 2),  1,     NEVER, CLS_G0),
    ICC(ICC_BPR0_EL1,    ENC(3, 0, 12, 8, 3),  1,     1,     CLS_G0),
    ICC(ICC_AP0R0_EL1,   ENC(3, 0, 12, 8, 4),  1,     1,     CLS_G0),
    ICC(ICC_AP0R1_EL1,   ENC(3, 0, 12, 8, 5),  1,     1,     CLS_G0),
    ICC(ICC_AP0R2_EL1,   ENC(3, 0, 12, 8, 6),  1,     1,     CLS_G0),
    ICC(ICC_AP0R3_EL1,   ENC(3, 0, 12, 8, 7),  1,     1,     CLS_G0),
    ICC(ICC_AP1R0_EL1,   ENC(3, 0, 12, 9, 0),  1,     1,     CLS_G1),
    ICC(ICC_AP1R1_EL1,   ENC(3, 0, 12, 9, 1),  1,     1,     CLS_G1),
    ICC(ICC_AP1R2_EL1,   ENC(3, 0, 12, 9, 2),  1,     1,     CLS_G1),
    ICC(ICC_AP1R3_EL1,   ENC(3, 0, 12, 9, 3),  1,     1,     CLS_G1),
    ICC(ICC_DIR_EL1,     ENC(3, 0, 12, 11, 1), NEVER, 1,     CLS_DIR),
    ICC(ICC_RPR_EL1,     ENC(3, 0, 12, 11, 3), 1,     NEVER, CLS_COMMON),
    ICC(ICC_SGI1R_EL1,   ENC(3, 0, 12, 11, 5), NEVER, 1,     CLS_SGI),
    ICC(ICC_ASGI1R_EL1,  ENC(3, 0, 12, 11, 6), NEVER, 1,     CLS_SGI),
    ICC(ICC_SGI0R_EL1,   ENC(3, 0, 12, 11, 7), NEVER, 1,     CLS_SGI),
    ICC(ICC_IAR1_EL1,    ENC(3, 0, 12, 12, 0), 1,     NEVER, CLS_G1),
    ICC(ICC_EOIR1_EL1,   ENC(3, 0, 12, 12, 1), NEVER, 1,     CLS_G1),
    ICC(ICC_HPPIR1_EL1,  ENC(3, 0, 12, 12, 2), 1,     NEVER, CLS_G1),
    ICC(ICC_BPR1_EL1,    ENC(3, 0, 12, 12, 3), 1,     1,     CLS_G1),
    ICC(ICC_CTLR_EL1,    ENC(3, 0, 12, 12, 4), 1,     1,     CLS_COMMON),
    ICC(ICC_SRE_EL1,     ENC(3, 0, 12, 12, 5), 1,     1,     CLS_PLAIN),
    ICC(ICC_IGRPEN0_EL1, ENC(3, 0, 12, 12, 6), 1,     1,     CLS_G0),
    ICC(ICC_IGRPEN1_EL1, ENC(3, 0, 12, 12, 7), 1,     1,     CLS_G1),
    ICC(ICC_SRE_EL2,     ENC(3, 4, 12, 9, 5),  2,     2,     CLS_PLAIN),
    ICH(ICH_AP0R0_EL2,   ENC(3, 4, 12, 8, 0),  2),
    ICH(ICH_AP0R1_EL2,   ENC(3, 4, 12, 8, 1),  2),
    ICH(ICH_AP0R2_EL2,   ENC(3, 4, 12, 8, 2),  2),
    ICH(ICH_AP0R3_EL2,   ENC(3, 4, 12, 8, 3),  2),
    ICH(ICH_AP1R0_EL2,   ENC(3, 4, 12, 9, 0),  2),
    ICH(ICH_AP1R1_EL2,   ENC(3, 4, 12, 9, 1),  2),
    ICH(ICH_AP1R2_EL2,   ENC(3, 4, 12, 9, 2),  2),
    ICH(ICH_AP1R3_EL2,   ENC(3, 4, 12, 9, 3),  2),
    ICH(ICH_HCR_EL2,     ENC(3, 4, 12, 11, 0), 2),
    ICH(ICH_VTR_EL2,     ENC(3, 4, 12, 11, 1), NEVER),
    ICH(ICH_MISR_EL2,    ENC(3, 4, 12, 11, 2), NEVER),
    ICH(ICH_EISR_EL2,    ENC(3, 4, 12, 11, 3), NEVER),
    ICH(ICH_ELRSR_EL2,   ENC(3, 4, 12, 11, 5), NEVER),
    ICH(ICH_VMCR_EL2,    ENC(3, 4, 12, 11, 7), 2),
    ICH(ICH_LR0_EL2,     ENC(3, 4, 12, 12, 0), 2),
    ICH(ICH_LR1_EL2,     ENC(3, 4, 12, 12, 1), 2),
    ICH(ICH_LR2_EL2,     ENC(3, 4, 12, 12, 2), 2),
    ICH(ICH_LR3_EL2,     ENC(3, 4, 12, 12, 3), 2),
    ICH(ICH_LR4_EL2,     ENC(3, 4, 12, 12, 4), 2),
    ICH(ICH_LR5_EL2,     ENC(3, 4, 12, 12, 5), 2),
    ICH(ICH_LR6_EL2,     ENC(3, 4, 12, 12, 6), 2),
    ICH(ICH_LR7_EL2,     ENC(3, 4, 12, 12, 7), 2),
    ICH(ICH_LR8_EL2,     ENC(3, 4, 12, 13, 0), 2),
    ICH(ICH_LR9_EL2,     ENC(3, 4, 12, 13, 1), 2),
    ICH(ICH_LR10_EL2,    ENC(3, 4, 12, 13, 2), 2),
    ICH(ICH_LR11_EL2,    ENC(3, 4, 12, 13, 3), 2),
    ICH(ICH_LR12_EL2,    ENC(3, 4, 12, 13, 4), 2),
    ICH(ICH_LR13_EL2,    ENC(3, 4, 12, 13, 5), 2),
    ICH(ICH_LR14_EL2,    ENC(3, 4, 12, 13, 6), 2),
    ICH(ICH_LR15_EL2,    ENC(3, 4, 12, 13, 7), 2),
};
/* clang-format on */

/* Whether the configuration implements the row's register. */
static bool implemented(const struct gic *g, const struct cpu_sysreg_desc *r)
{
    unsigned reg = ROW_REG(r->id);
    if (ROW_CLASS(r->id) == CLS_ICH) {
        if (reg >= ICH_LR0_EL2)
            return reg - ICH_LR0_EL2 < gic_vcpu_num_lrs(g);
        if (reg <= ICH_AP1R3_EL2)
            return reg % 4 < gic_vcpu_num_aprs(g);
        return true;
    }
    if (reg >= ICC_AP0R0_EL1 && reg <= ICC_AP0R3_EL1)
        return reg - ICC_AP0R0_EL1 < gic_cpuif_num_aprs(g);
    if (reg >= ICC_AP1R0_EL1 && reg <= ICC_AP1R3_EL1)
        return reg - ICC_AP1R0_EL1 < gic_cpuif_num_aprs(g);
    return true;
}

/* The value a read returns after a reset (IHI 0069, each register's
 * "reset" and field descriptions; docs/gic.md lists them). */
static uint64_t reset_value(const struct gic *g, const struct cpu_sysreg_desc *r)
{
    unsigned reg = ROW_REG(r->id);
    unsigned pri = g->cfg.pri_bits, vpri = pri < 5 ? 5 : pri;
    unsigned vmin0 = pmr_min_bpr0(vpri);

    if (ROW_CLASS(r->id) == CLS_ICH) {
        switch (reg) {
        case ICH_VTR_EL2:
            /* ListRegs, TDS, nV4, A3V, IDbits 0, PREbits, PRIbits. */
            return (uint64_t)(gic_vcpu_num_lrs(g) - 1) | 1u << 19 | 1u << 20 | 1u << 21 |
                   (uint64_t)(pmr_preemption_bits(vpri) - 1) << 26 | (uint64_t)(vpri - 1) << 29;
        case ICH_ELRSR_EL2: return (1u << gic_vcpu_num_lrs(g)) - 1; /* every LR free */
        case ICH_VMCR_EL2:
            /* VFIQEn RES1, VBPR0 and VBPR1 at their minimum. */
            return 1u << 3 | (uint64_t)vmin0 << 21 | (uint64_t)(vmin0 + 1) << 18;
        default: return 0;
        }
    }
    switch (reg) {
    case ICC_IAR0_EL1:
    case ICC_IAR1_EL1:
    case ICC_HPPIR0_EL1:
    case ICC_HPPIR1_EL1: return GIC_SPURIOUS;
    case ICC_BPR0_EL1: return pmr_min_bpr0(pri);
    case ICC_BPR1_EL1: return pmr_min_bpr1(pri);
    case ICC_RPR_EL1: return 0xff;
    case ICC_CTLR_EL1: return (uint64_t)(pri - 1) << 8 | RES_CTLR;
    case ICC_SRE_EL1: return 0x7;
    case ICC_SRE_EL2: return 0xf;
    default: return 0;
    }
}

static int by_encoding(const void *a, const void *b)
{
    const struct cpu_sysreg_desc *x = a, *y = b;
    return (x->enc > y->enc) - (x->enc < y->enc);
}

bool gic_sysregs_build(struct gic *g)
{
    size_t n = 0, total = sizeof all_rows / sizeof all_rows[0];
    struct cpu_sysreg_desc *rows = calloc(total, sizeof *rows);
    if (!rows)
        return false;
    for (size_t i = 0; i < total; i++) {
        if (!implemented(g, &all_rows[i]))
            continue;
        rows[n] = all_rows[i];
        rows[n].reset = reset_value(g, &all_rows[i]);
        n++;
    }
    qsort(rows, n, sizeof *rows, by_encoding);
    for (size_t i = 1; i < n; i++)
        assert(rows[i - 1].enc < rows[i].enc); /* each encoding once */
    g->sysregs = rows;
    g->num_sysregs = n;
    return true;
}

const struct cpu_sysreg_desc *gic_sysregs(const struct gic *g, size_t *n)
{
    *n = g->num_sysregs;
    return g->sysregs;
}
