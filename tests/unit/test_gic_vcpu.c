/* Unit tests for the GICv3 virtual CPU interface (gic/vcpuif.c) and the
 * GIC's system-register table (gic/sysregs.c).
 *
 * Two kinds of test:
 * - the model through gic/gic_internal.h: ICH_* written and read as EL2
 *   would, ICV_* as the EL1 guest would, with the virtual outputs and the
 *   maintenance interrupt recorded from the callbacks;
 * - the table through a PE (cpu/): every row's encoding checked against the
 *   name Capstone prints for it, and EL1 accesses run for real at EL1 under
 *   an EL2 prologue, for the ICV routing (HCR_EL2.IMO/FMO), the ICH_HCR_EL2
 *   traps and their syndromes (EC 0x18, ISS as the Arm ARM's ESR_ELx gives
 *   it), and the UNDEFINED ICH_* accesses from EL1.
 *
 * Expected values are written from IHI 0069 (the ICH_* and ICV_* register
 * descriptions: field positions, RES0/RES1 bits, reset values, the
 * conditions of ICH_MISR_EL2, ICH_EISR_EL2 and ICH_ELRSR_EL2) and from the
 * choices gic/vcpuif.c's head comment lists. */
#include "cpu/cost.h"
#include "cpu/cpu.h"
#include "cpu/cpu_internal.h"
#include "gic/gic.h"
#include "tests/unit/gic_sysreg_util.h"
#include "gic/gic_internal.h"
#include "sim/bus.h"

#include <capstone.h>
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ICH_LR<n>_EL2 fields. */
#define LR_PENDING       (1ull << 62)
#define LR_ACTIVE        (1ull << 63)
#define LR_HW            (1ull << 61)
#define LR_GROUP1        (1ull << 60)
#define LR_EOI           (1ull << 41)
#define LR_PRIO(p)       ((uint64_t)(p) << 48)
#define LR_PINTID(i)     ((uint64_t)(i) << 32)
#define LR(vintid, prio) ((uint64_t)(vintid) | LR_PRIO(prio) | LR_GROUP1 | LR_PENDING)

/* ICH_HCR_EL2, ICH_VMCR_EL2, ICH_MISR_EL2 fields. */
#define HCR_EN       (1u << 0)
#define HCR_UIE      (1u << 1)
#define HCR_LRENPIE  (1u << 2)
#define HCR_NPIE     (1u << 3)
#define HCR_VGRP0EIE (1u << 4)
#define HCR_VGRP0DIE (1u << 5)
#define HCR_VGRP1EIE (1u << 6)
#define HCR_VGRP1DIE (1u << 7)
#define HCR_TDIR     (1u << 8)
#define HCR_TC       (1u << 10)
#define HCR_TALL0    (1u << 11)
#define HCR_TALL1    (1u << 12)
#define VMCR_VENG0   (1u << 0)
#define VMCR_VENG1   (1u << 1)
#define VMCR_VFIQEN  (1u << 3)
#define VMCR_VCBPR   (1u << 4)
#define VMCR_VEOIM   (1u << 9)
#define VMCR_VPMR(p) ((uint32_t)(p) << 24)
#define MISR_EOI     (1u << 0)
#define MISR_U       (1u << 1)
#define MISR_LRENP   (1u << 2)
#define MISR_NP      (1u << 3)
#define MISR_VGRP0E  (1u << 4)
#define MISR_VGRP0D  (1u << 5)
#define MISR_VGRP1E  (1u << 6)
#define MISR_VGRP1D  (1u << 7)

/* The redistributor's SGI_base frame: ISPENDR0 and ISACTIVER0. */
#define GICR_SGI_ISPENDR0   (0x10000 + 0x200)
#define GICR_SGI_ISACTIVER0 (0x10000 + 0x300)
#define GICR_SGI_ISENABLER0 (0x10000 + 0x100)
#define GICR_SGI_IGROUPR0   (0x10000 + 0x080)
#define GICR_WAKER          0x0014

/* ---- The model rig ------------------------------------------------------ */

static struct {
    bool virq, vfiq;
    unsigned vcalls;
    unsigned lr_events, virq_events, maint_events;
    struct gic_cpuif_event last;
} seen;

static void on_output(void *opaque, unsigned pe, bool irq, bool fiq, bool own)
{
    (void)opaque, (void)pe, (void)irq, (void)fiq, (void)own;
}

static void on_voutput(void *opaque, unsigned pe, bool virq, bool vfiq)
{
    (void)opaque;
    ck_assert_uint_eq(pe, 0);
    seen.virq = virq;
    seen.vfiq = vfiq;
    seen.vcalls++;
}

static void on_cpuif(void *opaque, unsigned pe, const struct gic_cpuif_event *ev)
{
    (void)opaque, (void)pe;
    seen.last = *ev;
    seen.lr_events += ev->kind == GIC_CPUIF_LR;
    seen.virq_events += ev->kind == GIC_CPUIF_VIRQ;
    seen.maint_events += ev->kind == GIC_CPUIF_MAINT;
}

static struct gic *new_gic(unsigned pri_bits, unsigned lrs)
{
    struct gic_config cfg = {.num_pes = 1,
                             .num_spis = 32,
                             .pri_bits = pri_bits,
                             .num_lrs = lrs,
                             .output = on_output,
                             .voutput = on_voutput,
                             .cpuif = on_cpuif};
    cfg.mpidr[0] = 1ull << 31;
    memset(&seen, 0, sizeof seen);
    struct gic *g = gic_new(&cfg);
    ck_assert_ptr_nonnull(g);
    return g;
}

#define ICH_R(g, reg)    gic_ich_read((g), 0, (reg))
#define ICH_W(g, reg, v) gic_ich_write((g), 0, (reg), (v))
#define ICV_R(g, reg)    gic_icv_read((g), 0, (reg))
#define ICV_W(g, reg, v) gic_icv_write((g), 0, (reg), (v))
#define ICH_LR(n)        ((enum gic_ich_reg)(ICH_LR0_EL2 + (n)))

/* The virtual interface on, both groups enabled, VPMR fully open. */
static struct gic *open_vgic(void)
{
    struct gic *g = new_gic(5, 4);
    ICH_W(g, ICH_HCR_EL2, HCR_EN);
    ICH_W(g, ICH_VMCR_EL2, VMCR_VENG0 | VMCR_VENG1 | VMCR_VPMR(0xff));
    return g;
}

static uint64_t gicr(struct gic *g, uint64_t offset)
{
    uint64_t v = 0;
    ck_assert(gicr_read(g, offset, 4, &v));
    return v;
}

/* ---- Reset and identification ------------------------------------------- */

/* Every readable register of the table reads its documented reset value. */
static void check_resets(unsigned pri_bits, unsigned lrs)
{
    struct gic *g = new_gic(pri_bits, lrs);
    size_t n;
    const struct cpu_sysreg_desc *rows = gic_sysregs(g, &n);
    struct cpu_sysreg_ctx ctx = {.pe = 0, .el = 2, .el2_enabled = true};
    for (size_t i = 0; i < n; i++) {
        if (rows[i].read_el == CPU_SYSREG_NEVER)
            continue;
        uint64_t v = rows[i].read(g, &ctx, &rows[i]);
        ck_assert_msg(v == rows[i].reset, "%s (pri %u, %u LRs): 0x%llx, documented 0x%llx",
                      rows[i].name, pri_bits, lrs, (unsigned long long)v,
                      (unsigned long long)rows[i].reset);
    }
    gic_free(g);
}

START_TEST(test_reset_values)
{
    check_resets(4, 1);
    check_resets(5, 4);
    check_resets(6, 7);
    check_resets(8, 16);
}
END_TEST

START_TEST(test_vtr_and_reset_constants)
{
    /* ListRegs 3, TDS (19), nV4 (20), A3V (21), IDbits 0, PREbits 4, PRIbits 4. */
    struct gic *g = new_gic(5, 4);
    ck_assert_uint_eq(ICH_R(g, ICH_VTR_EL2), 0x90380003u);
    /* VFIQEn RES1, VBPR0 = 2 (7 - 5 preemption bits), VBPR1 = 3. */
    ck_assert_uint_eq(ICH_R(g, ICH_VMCR_EL2), 0x8u | 2u << 21 | 3u << 18);
    ck_assert_uint_eq(ICH_R(g, ICH_ELRSR_EL2), 0xf);
    gic_free(g);
    /* 8 priority bits: 7 preemption bits (PREbits 6), PRIbits 7, 16 LRs. */
    g = new_gic(8, 16);
    ck_assert_uint_eq(ICH_R(g, ICH_VTR_EL2), 0xf838000fu);
    ck_assert_uint_eq(ICH_R(g, ICH_ELRSR_EL2), 0xffff);
    gic_free(g);
    /* 4 physical priority bits: the virtual interface keeps its minimum of 5. */
    g = new_gic(4, 1);
    ck_assert_uint_eq(ICH_R(g, ICH_VTR_EL2), 0x90380000u);
    gic_free(g);
}
END_TEST

START_TEST(test_bad_lr_count_is_refused)
{
    struct gic_config cfg = {.num_pes = 1, .num_spis = 32, .pri_bits = 5, .num_lrs = 17};
    ck_assert_ptr_null(gic_new(&cfg));
}
END_TEST

/* The table holds ICH_LR<n> for n < ListRegs, and the AP registers the
 * preemption bits need (has_reg: gic_sysreg_util.h). */
START_TEST(test_table_has_the_configured_registers)
{
    struct gic *g = new_gic(5, 4);
    ck_assert(has_reg(g, "ICH_LR3_EL2"));
    ck_assert(!has_reg(g, "ICH_LR4_EL2"));
    ck_assert(has_reg(g, "ICH_AP1R0_EL2"));
    ck_assert(!has_reg(g, "ICH_AP1R1_EL2"));
    gic_free(g);
    g = new_gic(7, 16);
    ck_assert(has_reg(g, "ICH_LR15_EL2"));
    ck_assert(has_reg(g, "ICH_AP0R3_EL2"));
    ck_assert(has_reg(g, "ICC_AP1R3_EL1"));
    gic_free(g);
}
END_TEST

/* ---- List registers ------------------------------------------------------ */

START_TEST(test_lr_res0_bits_and_priority_bits)
{
    struct gic *g = new_gic(5, 4);
    /* Bits 59:56 and 47:45 RES0; priority bits 50:48 unimplemented (5 bits). */
    ICH_W(g, ICH_LR(0), ~0ull);
    ck_assert_uint_eq(ICH_R(g, ICH_LR(0)), 0xf0f81fffffffffffull);
    ck_assert_uint_eq(seen.lr_events, 1);
    ck_assert_uint_eq(seen.last.lr, 0);
    gic_free(g);
}
END_TEST

/* A Group 1 LR pending at priority 0xa0: signalled on vIRQ, acknowledged,
 * EOId (VEOIM = 0: drop and deactivate). */
START_TEST(test_lr_lifecycle_group1)
{
    struct gic *g = open_vgic();
    ICH_W(g, ICH_LR(1), LR(40, 0xa0));
    ck_assert(seen.virq);
    ck_assert(!seen.vfiq);
    ck_assert_uint_eq(ICV_R(g, ICC_HPPIR1_EL1), 40);
    ck_assert_uint_eq(ICV_R(g, ICC_HPPIR0_EL1), GIC_SPURIOUS);
    ck_assert_uint_eq(ICV_R(g, ICC_IAR0_EL1), GIC_SPURIOUS); /* the other group's */
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 40);
    ck_assert(!seen.virq);
    ck_assert_uint_eq(ICH_R(g, ICH_LR(1)) >> 62, 2); /* active */
    /* Group priority 0xa0 with 5 preemption bits: bit 0xa0 >> 3 = 20. */
    ck_assert_uint_eq(ICH_R(g, ICH_AP1R0_EL2), 1u << 20);
    ck_assert_uint_eq(ICV_R(g, ICC_AP1R0_EL1), 1u << 20);
    ck_assert_uint_eq(ICV_R(g, ICC_RPR_EL1), 0xa0);
    ck_assert_uint_eq(ICH_R(g, ICH_ELRSR_EL2), 0xf & ~2u);
    ICV_W(g, ICC_EOIR1_EL1, 40);
    ck_assert_uint_eq(ICH_R(g, ICH_LR(1)) >> 62, 0);
    ck_assert_uint_eq(ICH_R(g, ICH_AP1R0_EL2), 0);
    ck_assert_uint_eq(ICV_R(g, ICC_RPR_EL1), 0xff);
    ck_assert_uint_eq(ICH_R(g, ICH_ELRSR_EL2), 0xf);
    ck_assert_uint_eq(ICH_R(g, ICH_EISR_EL2), 0);
    ck_assert_uint_eq(seen.virq_events, 3); /* acknowledged, priority drop, deactivated */
    gic_free(g);
}
END_TEST

START_TEST(test_group0_lr_signals_vfiq)
{
    struct gic *g = open_vgic();
    ICH_W(g, ICH_LR(0), 7 | LR_PRIO(0x80) | LR_PENDING);
    ck_assert(seen.vfiq);
    ck_assert(!seen.virq);
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), GIC_SPURIOUS);
    ck_assert_uint_eq(ICV_R(g, ICC_IAR0_EL1), 7);
    ck_assert_uint_eq(ICH_R(g, ICH_AP0R0_EL2), 1u << 16);
    ck_assert(!seen.vfiq);
    gic_free(g);
}
END_TEST

/* The gates: En, VENGn, VPMR (strictly higher), the running priority. */
START_TEST(test_signalling_gates)
{
    struct gic *g = open_vgic();
    ICH_W(g, ICH_VMCR_EL2, VMCR_VENG1 | VMCR_VPMR(0xa0));
    ICH_W(g, ICH_LR(0), LR(33, 0xa0));
    ck_assert(!seen.virq); /* priority equal to VPMR: masked */
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), GIC_SPURIOUS);
    ICV_W(g, ICC_PMR_EL1, 0xa8);
    ck_assert_uint_eq(ICH_R(g, ICH_VMCR_EL2) >> 24, 0xa8);
    ck_assert(seen.virq);
    ICH_W(g, ICH_HCR_EL2, 0);
    ck_assert(!seen.virq);
    ICH_W(g, ICH_HCR_EL2, HCR_EN);
    ck_assert(seen.virq);
    ICV_W(g, ICC_IGRPEN1_EL1, 0);
    ck_assert(!seen.virq);
    ck_assert_uint_eq(ICH_R(g, ICH_VMCR_EL2) & VMCR_VENG1, 0);
    /* With the group disabled the LR is not even the HPPVI. */
    ck_assert_uint_eq(ICV_R(g, ICC_HPPIR1_EL1), GIC_SPURIOUS);
    gic_free(g);
}
END_TEST

/* Preemption compares group priorities: VBPR1 = 3 keeps bits 7:3. */
START_TEST(test_preemption_by_group_priority)
{
    struct gic *g = open_vgic();
    ICH_W(g, ICH_LR(0), LR(40, 0xa0));
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 40);
    ICH_W(g, ICH_LR(1), LR(41, 0xa0));
    ck_assert(!seen.virq); /* same group priority: no preemption */
    ICH_W(g, ICH_LR(1), LR(41, 0x98));
    ck_assert(seen.virq);
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 41);
    ck_assert_uint_eq(ICV_R(g, ICC_RPR_EL1), 0x98);
    ICV_W(g, ICC_EOIR1_EL1, 41);
    ck_assert_uint_eq(ICV_R(g, ICC_RPR_EL1), 0xa0);
    ICV_W(g, ICC_EOIR1_EL1, 40);
    ck_assert_uint_eq(ICV_R(g, ICC_RPR_EL1), 0xff);
    ck_assert_uint_eq(ICH_R(g, ICH_ELRSR_EL2), 0xf);
    gic_free(g);
}
END_TEST

/* The active priority registers written directly (a hypervisor restoring a
 * vCPU, or the guest through ICV_AP1R0_EL1) set the virtual running
 * priority, which gates what is signalled. */
START_TEST(test_active_priorities_written_gate_signalling)
{
    struct gic *g = open_vgic();
    ICH_W(g, ICH_LR(0), LR(40, 0xa0));
    ck_assert(seen.virq);
    ICH_W(g, ICH_AP1R0_EL2, 1u << 12); /* group priority 0x60 active */
    ck_assert_uint_eq(ICV_R(g, ICC_RPR_EL1), 0x60);
    ck_assert(!seen.virq);
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), GIC_SPURIOUS);
    ICV_W(g, ICC_AP1R0_EL1, 0);
    ck_assert(seen.virq);
    ICV_W(g, ICC_AP0R0_EL1, 1u << 20); /* Group 0's 0xa0 blocks Group 1's 0xa0 too */
    ck_assert_uint_eq(ICH_R(g, ICH_AP0R0_EL2), 1u << 20);
    ck_assert(!seen.virq);
    gic_free(g);
}
END_TEST

/* Equal priorities go to the lowest LR; priority 0xff is never the HPPVI. */
START_TEST(test_hppvi_order)
{
    struct gic *g = open_vgic();
    ICH_W(g, ICH_LR(3), LR(50, 0x80));
    ICH_W(g, ICH_LR(2), LR(51, 0x80));
    ck_assert_uint_eq(ICV_R(g, ICC_HPPIR1_EL1), 51);
    gic_free(g);
    /* With 8 priority bits an LR can hold 0xff, which nothing is above. */
    g = new_gic(8, 4);
    ICH_W(g, ICH_HCR_EL2, HCR_EN);
    ICH_W(g, ICH_VMCR_EL2, VMCR_VENG1 | VMCR_VPMR(0xff));
    ICH_W(g, ICH_LR(3), LR(50, 0xff));
    ck_assert_uint_eq(ICV_R(g, ICC_HPPIR1_EL1), GIC_SPURIOUS);
    ICH_W(g, ICH_LR(3), LR(50, 0xfe));
    ck_assert_uint_eq(ICV_R(g, ICC_HPPIR1_EL1), 50);
    gic_free(g);
}
END_TEST

/* ---- Deactivation: EOImode, HW, EOIcount ---------------------------------- */

START_TEST(test_veoim_splits_drop_and_deactivate)
{
    struct gic *g = open_vgic();
    ICV_W(g, ICC_CTLR_EL1, 2); /* EOImode */
    ck_assert_uint_eq(ICH_R(g, ICH_VMCR_EL2) & VMCR_VEOIM, VMCR_VEOIM);
    ck_assert_uint_eq(ICV_R(g, ICC_CTLR_EL1), 2u | 4u << 8 | 1u << 15);
    ICH_W(g, ICH_LR(0), LR(40, 0xa0));
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 40);
    ICV_W(g, ICC_EOIR1_EL1, 40);
    ck_assert_uint_eq(ICV_R(g, ICC_RPR_EL1), 0xff);
    ck_assert_uint_eq(ICH_R(g, ICH_LR(0)) >> 62, 2);   /* still active */
    ck_assert_uint_eq(ICH_R(g, ICH_HCR_EL2) >> 27, 0); /* an EOIR with VEOIM 1 is not counted */
    ICV_W(g, ICC_DIR_EL1, 40);
    ck_assert_uint_eq(ICH_R(g, ICH_LR(0)) >> 62, 0);
    gic_free(g);
}
END_TEST

START_TEST(test_dir_with_veoim_0_is_ignored)
{
    struct gic *g = open_vgic();
    ICH_W(g, ICH_LR(0), LR(40, 0xa0));
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 40);
    ICV_W(g, ICC_DIR_EL1, 40);
    ck_assert_uint_eq(ICH_R(g, ICH_LR(0)) >> 62, 2);
    gic_free(g);
}
END_TEST

/* An EOIR (VEOIM 0) or a DIR (VEOIM 1) of a vINTID no LR holds counts in
 * EOIcount; with LRENPIE that is a maintenance condition. */
START_TEST(test_eoicount_and_lrenp)
{
    struct gic *g = open_vgic();
    ICH_W(g, ICH_HCR_EL2, HCR_EN | HCR_LRENPIE);
    /* Something active, so that the EOIR has a priority to drop. */
    ICH_W(g, ICH_LR(0), LR(40, 0xa0));
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 40);
    ICH_W(g, ICH_LR(0), 0); /* the hypervisor took the LR back */
    ICV_W(g, ICC_EOIR1_EL1, 40);
    ck_assert_uint_eq(ICH_R(g, ICH_HCR_EL2) >> 27, 1);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), MISR_LRENP);
    ck_assert_uint_eq(gicr(g, GICR_SGI_ISPENDR0) >> 25 & 1, 1);
    ICV_W(g, ICC_CTLR_EL1, 2);
    ICV_W(g, ICC_DIR_EL1, 41);
    ck_assert_uint_eq(ICH_R(g, ICH_HCR_EL2) >> 27, 2);
    /* EOIcount wraps at 5 bits; clearing it ends the condition. */
    ICH_W(g, ICH_HCR_EL2, HCR_EN | HCR_LRENPIE | 31u << 27);
    ICV_W(g, ICC_DIR_EL1, 41);
    ck_assert_uint_eq(ICH_R(g, ICH_HCR_EL2) >> 27, 0);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), 0);
    ck_assert_uint_eq(gicr(g, GICR_SGI_ISPENDR0) >> 25 & 1, 0);
    gic_free(g);
}
END_TEST

/* A software LR with EOI = 1: after the deactivation it is invalid with a
 * pending EOI maintenance: EISR bit, MISR.EOI, PPI 25, not free in ELRSR. */
START_TEST(test_eoi_maintenance)
{
    struct gic *g = open_vgic();
    ICH_W(g, ICH_LR(2), LR(33, 0xa0) | LR_EOI);
    ck_assert_uint_eq(ICH_R(g, ICH_EISR_EL2), 0);
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 33);
    ICV_W(g, ICC_EOIR1_EL1, 33);
    ck_assert_uint_eq(ICH_R(g, ICH_EISR_EL2), 1u << 2);
    ck_assert_uint_eq(ICH_R(g, ICH_ELRSR_EL2), 0xf & ~4u);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), MISR_EOI);
    ck_assert_uint_eq(gicr(g, GICR_SGI_ISPENDR0) >> 25 & 1, 1);
    ck_assert_uint_eq(seen.maint_events, 1);
    ck_assert(seen.last.level);
    /* The hypervisor clears the LR: the maintenance interrupt goes away. */
    ICH_W(g, ICH_LR(2), 0);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), 0);
    ck_assert_uint_eq(gicr(g, GICR_SGI_ISPENDR0) >> 25 & 1, 0);
    ck_assert_uint_eq(seen.maint_events, 2);
    gic_free(g);
}
END_TEST

/* The maintenance interrupt needs ICH_HCR_EL2.En. */
START_TEST(test_maintenance_needs_en)
{
    struct gic *g = new_gic(5, 4);
    ICH_W(g, ICH_HCR_EL2, HCR_UIE);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), MISR_U);
    ck_assert_uint_eq(gicr(g, GICR_SGI_ISPENDR0) >> 25 & 1, 0);
    ICH_W(g, ICH_HCR_EL2, HCR_UIE | HCR_EN);
    ck_assert_uint_eq(gicr(g, GICR_SGI_ISPENDR0) >> 25 & 1, 1);
    gic_free(g);
}
END_TEST

/* U: zero or one valid LR; NP: no LR in the pending state; the group
 * enable and disable conditions follow VENG0/VENG1. */
START_TEST(test_misr_conditions)
{
    struct gic *g = new_gic(5, 4);
    ICH_W(g, ICH_HCR_EL2, HCR_UIE | HCR_NPIE);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), MISR_U | MISR_NP);
    ICH_W(g, ICH_LR(0), LR(40, 0xa0));
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), MISR_U);
    ICH_W(g, ICH_LR(1), LR(41, 0xa0) & ~LR_PENDING);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), MISR_U); /* LR1 is invalid */
    ICH_W(g, ICH_LR(1), (LR(41, 0xa0) & ~LR_PENDING) | LR_ACTIVE);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), 0); /* two valid, one pending */
    ICH_W(g, ICH_LR(0), (LR(40, 0xa0) & ~LR_PENDING) | LR_ACTIVE);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), MISR_NP);
    ICH_W(g, ICH_LR(0), LR(40, 0xa0) | LR_ACTIVE);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), MISR_NP); /* pending and active is not pending */
    ICH_W(g, ICH_HCR_EL2, HCR_VGRP0EIE | HCR_VGRP0DIE | HCR_VGRP1EIE | HCR_VGRP1DIE);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), MISR_VGRP0D | MISR_VGRP1D);
    ICH_W(g, ICH_VMCR_EL2, VMCR_VENG0);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), MISR_VGRP0E | MISR_VGRP1D);
    ICH_W(g, ICH_VMCR_EL2, VMCR_VENG1);
    ck_assert_uint_eq(ICH_R(g, ICH_MISR_EL2), MISR_VGRP0D | MISR_VGRP1E);
    gic_free(g);
}
END_TEST

/* HW = 1: the virtual deactivation deactivates the physical pINTID. */
START_TEST(test_hw_lr_deactivates_physical)
{
    struct gic *g = open_vgic();
    ck_assert(gicd_write(g, 0, 4, 0x3)); /* GICD_CTLR: both groups */
    ck_assert(gicr_write(g, GICR_WAKER, 4, 0));
    ck_assert(gicr_write(g, GICR_SGI_IGROUPR0, 4, 1u << 27));
    ck_assert(gicr_write(g, GICR_SGI_ISENABLER0, 4, 1u << 27));
    gic_icc_write(g, 0, ICC_IGRPEN1_EL1, 1);
    gic_icc_write(g, 0, ICC_PMR_EL1, 0xff);
    gic_icc_write(g, 0, ICC_CTLR_EL1, 2); /* EOImode 1 at EL2 */
    gic_set_ppi(g, 0, 27, true);
    ck_assert_uint_eq(gic_icc_read(g, 0, ICC_IAR1_EL1), 27);
    gic_icc_write(g, 0, ICC_EOIR1_EL1, 27); /* priority drop only */
    ck_assert_uint_eq(gicr(g, GICR_SGI_ISACTIVER0) >> 27 & 1, 1);
    ICH_W(g, ICH_LR(0), LR(27, 0xa0) | LR_HW | LR_PINTID(27));
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 27);
    ICV_W(g, ICC_EOIR1_EL1, 27);
    ck_assert_uint_eq(ICH_R(g, ICH_LR(0)) >> 62, 0);
    ck_assert_uint_eq(gicr(g, GICR_SGI_ISACTIVER0) >> 27 & 1, 0);
    /* HW = 1 never asks for EOI maintenance: bit 41 is part of pINTID. */
    ck_assert_uint_eq(ICH_R(g, ICH_EISR_EL2), 0);
    gic_free(g);
}
END_TEST

/* A vLPI has no active state; a special vINTID empties its LR. */
START_TEST(test_vlpi_and_special_vintid)
{
    struct gic *g = open_vgic();
    ICH_W(g, ICH_LR(0), LR(8192, 0xa0));
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 8192);
    ck_assert_uint_eq(ICH_R(g, ICH_LR(0)) >> 62, 0);
    ck_assert_uint_eq(ICV_R(g, ICC_RPR_EL1), 0xa0);
    ICV_W(g, ICC_EOIR1_EL1, 8192);
    ck_assert_uint_eq(ICV_R(g, ICC_RPR_EL1), 0xff);
    ck_assert_uint_eq(ICH_R(g, ICH_HCR_EL2) >> 27, 0); /* LPIs never count */
    ICH_W(g, ICH_LR(1), LR(1023, 0x80));
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 1023);
    ck_assert_uint_eq(ICH_R(g, ICH_LR(1)) >> 62, 0);
    ck_assert_uint_eq(ICV_R(g, ICC_RPR_EL1), 0xff);
    gic_free(g);
}
END_TEST

/* ---- VMCR, BPR, CTLR ------------------------------------------------------ */

START_TEST(test_vmcr_fields)
{
    struct gic *g = new_gic(5, 4);
    /* Everything but the RES0 and RES1 bits: VAckCtl RES0, VFIQEn RES1,
     * VBPR0/1 below the minimum read as it, VPMR's low 3 bits RAZ. */
    ICH_W(g, ICH_VMCR_EL2, 0xffffffffu & ~(0x3fu << 18));
    ck_assert_uint_eq(ICH_R(g, ICH_VMCR_EL2), VMCR_VENG0 | VMCR_VENG1 | VMCR_VFIQEN | VMCR_VCBPR |
                                                  VMCR_VEOIM | VMCR_VPMR(0xf8) | 2u << 21 |
                                                  3u << 18);
    ck_assert_uint_eq(ICV_R(g, ICC_PMR_EL1), 0xf8);
    ck_assert_uint_eq(ICV_R(g, ICC_BPR0_EL1), 2);
    /* VCBPR: BPR1 reads BPR0 + 1 and ignores writes. */
    ICV_W(g, ICC_BPR0_EL1, 6);
    ck_assert_uint_eq(ICV_R(g, ICC_BPR1_EL1), 7);
    ICV_W(g, ICC_BPR1_EL1, 4);
    ck_assert_uint_eq(ICH_R(g, ICH_VMCR_EL2) >> 18 & 7, 3);
    ICV_W(g, ICC_CTLR_EL1, 0);
    ICV_W(g, ICC_BPR1_EL1, 4);
    ck_assert_uint_eq(ICV_R(g, ICC_BPR1_EL1), 4);
    ICV_W(g, ICC_BPR1_EL1, 0);
    ck_assert_uint_eq(ICV_R(g, ICC_BPR1_EL1), 3);
    gic_free(g);
}
END_TEST

START_TEST(test_hcr_writable_bits)
{
    struct gic *g = new_gic(5, 4);
    ICH_W(g, ICH_HCR_EL2, ~0ull);
    /* En..VGrp1DIE, TDIR, TC, TALL0, TALL1, EOIcount; TSEI RES0 (no SEIs). */
    ck_assert_uint_eq(ICH_R(g, ICH_HCR_EL2), 0xf8001dffu);
    gic_free(g);
}
END_TEST

/* ---- Explanations --------------------------------------------------------- */

START_TEST(test_explain_names_the_virtual_gate)
{
    struct gic *g = open_vgic();
    ICH_W(g, ICH_VMCR_EL2, VMCR_VENG1 | VMCR_VPMR(0xf0));
    ICH_W(g, ICH_LR(2), LR(27, 0xf0) | LR_HW | LR_PINTID(27));
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    gic_explain(g, 0, 0, f);
    fclose(f);
    ck_assert_msg(strstr(text, "vINTID 27 in LR2 prio 0xf0 Group 1 HW pending, not signalled: "
                               "priority not higher than VPMR 0xf0\n"),
                  "%s", text);
    ck_assert_msg(strstr(text, "virtual CPU interface: ICH_HCR_EL2.En 1, VPMR 0xf0"), "%s", text);
    free(text);
    gic_free(g);
}
END_TEST

/* ---- Through a PE: encodings, routing, traps ----------------------------- */

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (1ull << 20)
#define EL2_CODE RAM_BASE
#define EL1_CODE (RAM_BASE + 0x1000)
#define VEC2     (RAM_BASE + 0x10000)
#define VEC1     (RAM_BASE + 0x20000)

/* ---- GICv4.1: vSGIs of the resident vPE ------------------------------------ */

/* A GICv4.1 GIC with LPIs and guest memory: vPE 0's table entry (vpe.c's
 * layout), its VPT's vSGI bytes and the VM's vLPI configuration table are
 * written straight into RAM, and the vPE is made resident through
 * GICR_VPENDBASER, so no ITS command is needed. */
#define V41_RAM      0x40000000ull
#define V41_RAM_SIZE 0x40000ull
#define V41_VT       (V41_RAM + 0x00000)
#define V41_VCONF    (V41_RAM + 0x10000)
#define V41_VPT      (V41_RAM + 0x20000)
#define VLPI_FRAME   0x20000
static uint8_t v41_ram[V41_RAM_SIZE];

static bool v41_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
    (void)opaque;
    if (pa < V41_RAM || pa - V41_RAM > V41_RAM_SIZE - len)
        return false;
    memcpy(buf, v41_ram + (pa - V41_RAM), len);
    return true;
}

static bool v41_write(void *opaque, uint64_t pa, const void *buf, size_t len)
{
    (void)opaque;
    if (pa < V41_RAM || pa - V41_RAM > V41_RAM_SIZE - len)
        return false;
    memcpy(v41_ram + (pa - V41_RAM), buf, len);
    return true;
}

static void put64(uint64_t pa, uint64_t v)
{
    memcpy(v41_ram + (pa - V41_RAM), &v, 8);
}

/* vSGI n: SGIS[n] is its configuration byte ([7:4] priority, [1] Group 1,
 * [0] enabled), PENDING its pending bits; then vPE 0 resident, the
 * virtual interface on with both groups and VPMR open. */
static struct gic *v41_resident(const uint8_t sgis[16], uint16_t pending)
{
    struct gic_config cfg = {.num_pes = 1,
                             .num_spis = 32,
                             .pri_bits = 5,
                             .version = GIC_V41,
                             .lpi_bits = 14,
                             .mem_read = v41_read,
                             .mem_write = v41_write,
                             .output = on_output,
                             .voutput = on_voutput,
                             .cpuif = on_cpuif};
    cfg.mpidr[0] = 1ull << 31;
    memset(&seen, 0, sizeof seen);
    memset(v41_ram, 0, sizeof v41_ram);
    put64(V41_VT, 1ull << 63 | 13ull << 16 | 0); /* valid, 14 bits, PE 0 */
    put64(V41_VT + 8, V41_VPT);
    put64(V41_VT + 16, V41_VCONF);
    put64(V41_VT + 24, 1023);
    memcpy(v41_ram + (V41_VPT - V41_RAM), sgis, 16);
    v41_ram[V41_VPT - V41_RAM + 16] = (uint8_t)pending;
    v41_ram[V41_VPT - V41_RAM + 17] = (uint8_t)(pending >> 8);
    struct gic *g = gic_new(&cfg);
    ck_assert_ptr_nonnull(g);
    ck_assert(gicr_write(g, VLPI_FRAME + 0x70, 8, 1ull << 63 | V41_VT));     /* VPROPBASER */
    ck_assert(gicr_write(g, VLPI_FRAME + 0x78, 8, 1ull << 63 | 3ull << 58)); /* vPEID 0 */
    uint64_t v = 0;
    ck_assert(gicr_read(g, VLPI_FRAME + 0x78, 8, &v));
    ck_assert_uint_eq(v >> 63, 1);
    ICH_W(g, ICH_HCR_EL2, HCR_EN);
    ICH_W(g, ICH_VMCR_EL2, VMCR_VENG0 | VMCR_VENG1 | VMCR_VPMR(0xff));
    return g;
}

/* A Group 0 vSGI signals vFIQ and is taken through ICV_IAR0; a Group 1
 * one waits behind its active priority, then comes through ICV_IAR1.
 * Neither has an active state: EOIR drops the priority, DIR (VEOIM 1)
 * does nothing, EOIcount stays 0, and the pending bits in the VPT follow. */
START_TEST(test_v41_direct_vsgis)
{
    uint8_t sgis[16] = {0};
    sgis[2] = 0x40 | 1;     /* Group 0, priority 0x40 */
    sgis[3] = 0x80 | 2 | 1; /* Group 1, priority 0x80 */
    sgis[4] = 0x20 | 2;     /* disabled */
    struct gic *g = v41_resident(sgis, 1u << 2 | 1u << 3 | 1u << 4);
    ck_assert(seen.vfiq && !seen.virq);
    ck_assert_uint_eq(ICV_R(g, ICC_HPPIR0_EL1), 2);
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 1023); /* the HPPVI is Group 0 */
    ck_assert_uint_eq(ICV_R(g, ICC_IAR0_EL1), 2);
    ck_assert_uint_eq(v41_ram[V41_VPT - V41_RAM + 16], 1u << 3 | 1u << 4); /* written through */
    ck_assert_uint_eq(ICV_R(g, ICC_RPR_EL1), 0x40);
    ck_assert(!seen.vfiq && !seen.virq); /* 0x80 does not preempt 0x40 */
    ICV_W(g, ICC_EOIR0_EL1, 2);
    ck_assert_uint_eq(ICV_R(g, ICC_RPR_EL1), 0xff);
    ck_assert(seen.virq);
    ICV_W(g, ICC_CTLR_EL1, 2); /* EOImode 1 */
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 3);
    ICV_W(g, ICC_EOIR1_EL1, 3);
    ICV_W(g, ICC_DIR_EL1, 3);
    ck_assert_uint_eq(ICH_R(g, ICH_HCR_EL2) >> 27, 0);
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 1023); /* vSGI 4 is disabled */
    ck_assert(!seen.virq && !seen.vfiq);
    gic_free(g);
}
END_TEST

/* With a vPE resident, a vSGI that a list register holds is still the
 * LR's: it has an active state, EOIR with VEOIM 1 only drops the priority
 * and DIR deactivates the LR. An LR wins a tie with a direct vSGI. */
START_TEST(test_v41_lr_vsgi_keeps_its_active_state)
{
    uint8_t sgis[16] = {0};
    sgis[3] = 0xa0 | 2 | 1;
    struct gic *g = v41_resident(sgis, 1u << 3);
    ICH_W(g, ICH_LR(0), LR(3, 0xa0));
    ICV_W(g, ICC_CTLR_EL1, 2);
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 3);
    ck_assert_uint_eq(ICH_R(g, ICH_LR(0)) >> 62, 2);             /* the LR's, now active */
    ck_assert_uint_eq(v41_ram[V41_VPT - V41_RAM + 16], 1u << 3); /* the direct one waits */
    ICV_W(g, ICC_EOIR1_EL1, 3);
    ck_assert_uint_eq(ICH_R(g, ICH_LR(0)) >> 62, 2); /* VEOIM 1: still active */
    ICV_W(g, ICC_DIR_EL1, 3);
    ck_assert_uint_eq(ICH_R(g, ICH_LR(0)) >> 62, 0);
    ck_assert_uint_eq(ICV_R(g, ICC_IAR1_EL1), 3); /* now the direct one */
    ck_assert_uint_eq(v41_ram[V41_VPT - V41_RAM + 16], 0);
    gic_free(g);
}
END_TEST

static struct bus *bus;
static struct code_cache *cc;
static struct cpu *pe;
static struct gic *pg;
static csh cs;

static void pe_setup(void)
{
    ck_assert_int_eq(cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs), CS_ERR_OK);
    bus = bus_new(RAM_BASE, RAM_SIZE);
    cc = code_cache_new(bus, &cost_default);
    struct gic_config gcfg = {.num_pes = 1, .num_spis = 32, .pri_bits = 5, .output = on_output};
    gcfg.mpidr[0] = 1ull << 31;
    pg = gic_new(&gcfg);
    ck_assert_ptr_nonnull(pg);
    struct cpu_config cfg = {.index = 0,
                             .mpidr = 1ull << 31,
                             .el = 2,
                             .bus = bus,
                             .code = cc,
                             .cost = &cost_default,
                             .conduit = CONDUIT_SMC,
                             .hooks = {.sysregs = {.opaque = pg, .gic_cpuif = 1}}};
    cfg.hooks.sysregs.rows = gic_sysregs(pg, &cfg.hooks.sysregs.n);
    pe = cpu_new(&cfg);
    ck_assert_ptr_nonnull(pe);
}

static void pe_teardown(void)
{
    cpu_free(pe);
    gic_free(pg);
    code_cache_free(cc);
    bus_free(bus);
    cs_close(&cs);
}

static void put(uint64_t pa, uint32_t word)
{
    memcpy(bus_ram_host(bus) + (pa - RAM_BASE), &word, 4);
}

/* The name Capstone gives the system register of WORD, upper case. */
static void cs_sysreg_name(uint32_t word, char *out, size_t len)
{
    cs_insn *insn;
    size_t n = cs_disasm(cs, (const uint8_t *)&word, 4, 0, 1, &insn);
    ck_assert_uint_eq(n, 1);
    const char *ops = insn[0].op_str;
    const char *name = word & (1u << 21) ? strchr(ops, ',') + 2 : ops;
    size_t i = 0;
    for (; name[i] && name[i] != ',' && i + 1 < len; i++)
        out[i] = (char)toupper((unsigned char)name[i]);
    out[i] = 0;
    cs_free(insn, n);
}

static uint32_t mrs(uint16_t enc, unsigned rt)
{
    return 0xd5200000u | (uint32_t)enc << 5 | rt;
}

static uint32_t msr(uint16_t enc, unsigned rt)
{
    return 0xd5000000u | (uint32_t)enc << 5 | rt;
}

START_TEST(test_every_row_encoding_has_its_arm_arm_name)
{
    struct gic *g = new_gic(8, 16);
    size_t n;
    const struct cpu_sysreg_desc *rows = gic_sysregs(g, &n);
    ck_assert_uint_eq(n, 27 + 8 + 6 + 16); /* ICC: 27, ICH: 8 AP, 6 others, 16 LRs */
    for (size_t i = 0; i < n; i++) {
        char name[64];
        uint32_t word =
            rows[i].read_el != CPU_SYSREG_NEVER ? mrs(rows[i].enc, 0) : msr(rows[i].enc, 0);
        cs_sysreg_name(word, name, sizeof name);
        /* Capstone 4 spells ICH_ELRSR_EL2 as the GICv3 specification's first
         * issue did; binutils' objdump prints ich_elrsr_el2. */
        if (!strcmp(rows[i].name, "ICH_ELRSR_EL2") && !strcmp(name, "ICH_ELSR_EL2"))
            continue;
        ck_assert_msg(!strcmp(name, rows[i].name), "row %s: Capstone names 0x%08x %s", rows[i].name,
                      word, name);
        if (i > 0)
            ck_assert_uint_lt(rows[i - 1].enc, rows[i].enc);
    }
    gic_free(g);
}
END_TEST

#define ESR_EC(esr) ((uint32_t)(esr) >> 26)
#define ISS_OF(esr) ((uint32_t)(esr)&0x1ffffff)
/* The ISS of EC 0x18: Op0 21:20, Op2 19:17, Op1 16:14, CRn 13:10, Rt 9:5,
 * CRm 4:1, Direction 0 (1: read). */
static uint32_t iss_of(uint16_t enc, unsigned rt, bool read)
{
    unsigned op0 = enc >> 14, op1 = enc >> 11 & 7, crn = enc >> 7 & 15, crm = enc >> 3 & 15,
             op2 = enc & 7;
    return op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | rt << 5 | crm << 1 | (read ? 1u : 0u);
}

#define HCR_EL2_FMO (1ull << 3)
#define HCR_EL2_IMO (1ull << 4)
#define HCR_EL2_RW  (1ull << 31)

#define E_ICC_IAR1  CPU_SYSREG_ENC(3, 0, 12, 12, 0)
#define E_ICC_PMR   CPU_SYSREG_ENC(3, 0, 4, 6, 0)
#define E_ICC_DIR   CPU_SYSREG_ENC(3, 0, 12, 11, 1)
#define E_ICC_SGI1R CPU_SYSREG_ENC(3, 0, 12, 11, 5)
#define E_ICC_IAR0  CPU_SYSREG_ENC(3, 0, 12, 8, 0)
#define E_ICH_HCR   CPU_SYSREG_ENC(3, 4, 12, 11, 0)

enum outcome { DONE, TRAP_EL2, UNDEF_EL1 };

/* Run ACCESS at EL1 under HCR_EL2 = HCR | RW, X5 = VALUE: which way it went,
 * with the result in X6 (DONE) or the ESR in X3. */
static enum outcome run_el1(uint32_t access, uint64_t hcr, uint64_t value)
{
    static const uint32_t prologue[] = {
        0xd51c1100, /* msr hcr_el2, x0 */
        0xd51cc001, /* msr vbar_el2, x1 */
        0xd51c4022, /* msr elr_el2, x2 */
        0xd518c004, /* msr vbar_el1, x4 */
        0xd28078a9, /* mov x9, #0x3c5 */
        0xd51c4009, /* msr spsr_el2, x9 */
        0xd5033fdf, /* isb */
        0xd69f03e0, /* eret */
    };
    /* Each access at a new address: the words are written behind the code
     * cache's back, so a word once decoded must not be rewritten. */
    static unsigned slot;
    uint64_t at = EL1_CODE + 8 * slot++;
    ck_assert_uint_lt(at, VEC2);
    for (unsigned i = 0; i < sizeof prologue / 4; i++)
        put(EL2_CODE + 4 * i, prologue[i]);
    put(at, access);
    put(at + 4, 0xd503207f);       /* wfi */
    put(VEC2 + 0x400, 0xd53c5203); /* mrs x3, esr_el2 */
    put(VEC2 + 0x404, 0xd503207f); /* wfi */
    put(VEC1 + 0x200, 0xd5385203); /* mrs x3, esr_el1 */
    put(VEC1 + 0x204, 0xd503207f); /* wfi */
    cpu_reset(pe, EL2_CODE, 0);
    cpu_set_x(pe, 0, hcr | HCR_EL2_RW);
    cpu_set_x(pe, 1, VEC2);
    cpu_set_x(pe, 2, at);
    cpu_set_x(pe, 4, VEC1);
    cpu_set_x(pe, 5, value);
    cpu_set_x(pe, 6, 0xdead);
    ck_assert_int_eq(cpu_run(pe, cpu_cycles(pe) + 10000), CPU_WAIT_WFI);
    if (pe->el == 2)
        return TRAP_EL2;
    return pe->pc == VEC1 + 0x208 ? UNDEF_EL1 : DONE; /* stopped after the WFI */
}

START_TEST(test_el1_icc_reaches_icv_with_imo)
{
    /* Physical: no interrupt pending, IAR1 reads 1023. Virtual: the LR. */
    gic_ich_write(pg, 0, ICH_HCR_EL2, HCR_EN);
    gic_ich_write(pg, 0, ICH_VMCR_EL2, VMCR_VENG1 | VMCR_VPMR(0xff));
    gic_ich_write(pg, 0, ICH_LR0_EL2, LR(44, 0x80));
    ck_assert_int_eq(run_el1(mrs(E_ICC_IAR1, 6), 0, 0), DONE);
    ck_assert_uint_eq(cpu_get_x(pe, 6), GIC_SPURIOUS);
    ck_assert_int_eq(run_el1(mrs(E_ICC_IAR1, 6), HCR_EL2_FMO, 0), DONE);
    ck_assert_uint_eq(cpu_get_x(pe, 6), GIC_SPURIOUS); /* FMO alone: Group 1 stays physical */
    ck_assert_int_eq(run_el1(mrs(E_ICC_IAR1, 6), HCR_EL2_IMO, 0), DONE);
    ck_assert_uint_eq(cpu_get_x(pe, 6), 44);
    /* PMR is common: either bit makes it virtual. */
    ck_assert_int_eq(run_el1(msr(E_ICC_PMR, 5), HCR_EL2_FMO, 0x60), DONE);
    ck_assert_uint_eq(gic_ich_read(pg, 0, ICH_VMCR_EL2) >> 24, 0x60);
    ck_assert_uint_eq(gic_icc_read(pg, 0, ICC_PMR_EL1), 0);
    /* Group 0 with IMO only: physical. */
    ck_assert_int_eq(run_el1(mrs(E_ICC_IAR0, 6), HCR_EL2_IMO, 0), DONE);
    ck_assert_uint_eq(cpu_get_x(pe, 6), GIC_SPURIOUS);
}
END_TEST

START_TEST(test_ich_hcr_traps_el1_accesses)
{
    struct {
        uint32_t hcr;
        uint16_t enc;
        bool read;
        uint64_t hcr_el2;
        enum outcome want;
    } cases[] = {
        {HCR_TALL1, E_ICC_IAR1, true, HCR_EL2_IMO, TRAP_EL2},
        {HCR_TALL1, E_ICC_IAR1, true, 0, TRAP_EL2}, /* trapped whichever interface */
        {HCR_TALL0, E_ICC_IAR1, true, HCR_EL2_IMO, DONE},
        {HCR_TALL0, E_ICC_IAR0, true, HCR_EL2_FMO, TRAP_EL2},
        {HCR_TC, E_ICC_PMR, false, HCR_EL2_IMO, TRAP_EL2},
        {HCR_TC, E_ICC_PMR, true, 0, TRAP_EL2},
        {HCR_TC, E_ICC_SGI1R, false, 0, TRAP_EL2},
        {HCR_TDIR, E_ICC_DIR, false, HCR_EL2_IMO, TRAP_EL2},
        {HCR_TDIR, E_ICC_PMR, false, HCR_EL2_IMO, DONE},
        {0, E_ICC_SGI1R, false, HCR_EL2_IMO, TRAP_EL2}, /* SGIs: the hypervisor emulates them */
        {0, E_ICC_SGI1R, false, HCR_EL2_FMO, TRAP_EL2},
        {0, E_ICC_SGI1R, false, 0, DONE},
        {0, E_ICH_HCR, true, HCR_EL2_IMO, UNDEF_EL1}, /* EL2 registers from EL1 */
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gic_ich_write(pg, 0, ICH_HCR_EL2, cases[i].hcr);
        uint32_t word = cases[i].read ? mrs(cases[i].enc, 6) : msr(cases[i].enc, 5);
        enum outcome got = run_el1(word, cases[i].hcr_el2, 0);
        ck_assert_msg(got == cases[i].want, "case %u: outcome %d, expected %d", i, got,
                      cases[i].want);
        uint64_t esr = cpu_get_x(pe, 3);
        if (got == TRAP_EL2) {
            ck_assert_uint_eq(ESR_EC(esr), 0x18);
            unsigned rt = cases[i].read ? 6 : 5;
            ck_assert_uint_eq(ISS_OF(esr), iss_of(cases[i].enc, rt, cases[i].read));
        } else if (got == UNDEF_EL1) {
            ck_assert_uint_eq(ESR_EC(esr), 0x00);
        }
    }
}
END_TEST

/* ICH_VTR_EL2 is read-only: MSR to it is UNDEFINED even at EL2. */
START_TEST(test_ich_vtr_write_is_undefined)
{
    put(EL2_CODE, 0xd51cc001);                                  /* msr vbar_el2, x1 */
    put(EL2_CODE + 4, msr(CPU_SYSREG_ENC(3, 4, 12, 11, 1), 5)); /* msr ich_vtr_el2, x5 */
    put(EL2_CODE + 8, 0xd503207f);
    put(VEC2 + 0x200, 0xd53c5203); /* mrs x3, esr_el2 */
    put(VEC2 + 0x204, 0xd503207f);
    cpu_reset(pe, EL2_CODE, 0);
    cpu_set_x(pe, 1, VEC2);
    ck_assert_int_eq(cpu_run(pe, cpu_cycles(pe) + 10000), CPU_WAIT_WFI);
    ck_assert_uint_eq(pe->pc, VEC2 + 0x208); /* after the vector's WFI */
    ck_assert_uint_eq(ESR_EC(cpu_get_x(pe, 3)), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gic_vcpu");
    TCase *model = tcase_create("model");
    tcase_add_test(model, test_reset_values);
    tcase_add_test(model, test_vtr_and_reset_constants);
    tcase_add_test(model, test_bad_lr_count_is_refused);
    tcase_add_test(model, test_table_has_the_configured_registers);
    tcase_add_test(model, test_lr_res0_bits_and_priority_bits);
    tcase_add_test(model, test_lr_lifecycle_group1);
    tcase_add_test(model, test_group0_lr_signals_vfiq);
    tcase_add_test(model, test_signalling_gates);
    tcase_add_test(model, test_preemption_by_group_priority);
    tcase_add_test(model, test_hppvi_order);
    tcase_add_test(model, test_active_priorities_written_gate_signalling);
    tcase_add_test(model, test_veoim_splits_drop_and_deactivate);
    tcase_add_test(model, test_dir_with_veoim_0_is_ignored);
    tcase_add_test(model, test_eoicount_and_lrenp);
    tcase_add_test(model, test_eoi_maintenance);
    tcase_add_test(model, test_maintenance_needs_en);
    tcase_add_test(model, test_misr_conditions);
    tcase_add_test(model, test_hw_lr_deactivates_physical);
    tcase_add_test(model, test_vlpi_and_special_vintid);
    tcase_add_test(model, test_vmcr_fields);
    tcase_add_test(model, test_hcr_writable_bits);
    tcase_add_test(model, test_explain_names_the_virtual_gate);
    tcase_add_test(model, test_v41_direct_vsgis);
    tcase_add_test(model, test_v41_lr_vsgi_keeps_its_active_state);
    suite_add_tcase(s, model);
    TCase *table = tcase_create("table");
    tcase_add_checked_fixture(table, pe_setup, pe_teardown);
    tcase_add_test(table, test_every_row_encoding_has_its_arm_arm_name);
    tcase_add_test(table, test_el1_icc_reaches_icv_with_imo);
    tcase_add_test(table, test_ich_hcr_traps_el1_accesses);
    tcase_add_test(table, test_ich_vtr_write_is_undefined);
    suite_add_tcase(s, table);
    return s;
}

int main(void)
{
    SRunner *r = srunner_create(suite());
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
