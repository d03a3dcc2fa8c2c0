/* The GICv3 (IHI 0069), single security state (GICD_CTLR.DS = 1), as on
 * QEMU's virt board: a distributor, one redistributor per PE, and the CPU
 * interface reached through the ICC_* system registers. This header is the
 * whole interface the rest of the simulator uses.
 *
 * Inputs (devices, timers, the stimulus file) are levels or edges on
 * INTIDs; outputs are each PE's IRQ and FIQ lines, driven through the
 * callback in gic_config by the one recompute function per PE, and, for
 * the trace, each interrupt's state transitions (a second, optional
 * callback). */
#ifndef GIC_GIC_H
#define GIC_GIC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct gic;

#define GIC_SGI_BASE 0
#define GIC_PPI_BASE 16
#define GIC_SPI_BASE 32
#define GIC_SPURIOUS 1023
#define GIC_MAX_PES  8

/* The CPU interface registers, as the system-register table names them. */
enum gic_icc_reg {
    ICC_PMR_EL1,
    ICC_IAR0_EL1,
    ICC_IAR1_EL1,
    ICC_EOIR0_EL1,
    ICC_EOIR1_EL1,
    ICC_HPPIR0_EL1,
    ICC_HPPIR1_EL1,
    ICC_BPR0_EL1,
    ICC_BPR1_EL1,
    ICC_DIR_EL1,
    ICC_RPR_EL1,
    ICC_CTLR_EL1,
    ICC_SRE_EL1,
    ICC_SRE_EL2,
    ICC_IGRPEN0_EL1,
    ICC_IGRPEN1_EL1,
    ICC_SGI0R_EL1,
    ICC_SGI1R_EL1,
    ICC_ASGI1R_EL1,
    ICC_AP0R0_EL1,
    ICC_AP0R1_EL1,
    ICC_AP0R2_EL1,
    ICC_AP0R3_EL1,
    ICC_AP1R0_EL1,
    ICC_AP1R1_EL1,
    ICC_AP1R2_EL1,
    ICC_AP1R3_EL1,
    GIC_ICC_NR
};

/* Output lines: IRQ for Group 1, FIQ for Group 0 (DS = 1). */
typedef void (*gic_output_fn)(void *opaque, unsigned pe, bool irq, bool fiq);

/* Interrupt state transitions, the ones the trace format's irq-state
 * record names (docs/trace-format.md), in its order. */
enum gic_transition {
    GIC_TR_PENDING,       /* became pending (latch, edge, or asserted level) */
    GIC_TR_ACTIVE,        /* became active without an acknowledge (ISACTIVER) */
    GIC_TR_ACKNOWLEDGED,  /* ICC_IAR0/1_EL1: pending -> active */
    GIC_TR_PRIORITY_DROP, /* ICC_EOIR0/1_EL1 dropped the running priority */
    GIC_TR_DEACTIVATED,   /* active -> inactive: ICC_DIR_EL1, EOIR with EOImode 0, ICACTIVER */
    GIC_TR_CLEARED,       /* no longer pending, without an acknowledge */
};

/* The PE argument of a transition of an SPI that is routed to no PE and
 * that no CPU interface access caused. */
#define GIC_NO_PE 0xffffffffu

/* A transition of INTID. PE: an SGI's or PPI's own PE; for an SPI the PE
 * whose CPU interface access caused it (acknowledge, EOI, DIR), else its
 * target PE (gic_spi_target), else GIC_NO_PE. PRIO: the interrupt's
 * priority. Called after the state has changed, before the outputs are
 * recomputed. */
typedef void (*gic_transition_fn)(void *opaque, unsigned pe, unsigned intid, enum gic_transition t,
                                  uint8_t prio);

struct gic_config {
    unsigned num_pes;            /* 1..GIC_MAX_PES */
    unsigned num_spis;           /* multiple of 32, 32..960 (GICD_TYPER.ITLinesNumber) */
    unsigned pri_bits;           /* implemented priority bits, 4..8 (default 5) */
    uint64_t mpidr[GIC_MAX_PES]; /* affinity of each PE (GICR_TYPER, IROUTER, SGI targets) */
    gic_output_fn output;
    gic_transition_fn transition; /* optional: NULL reports nothing (costs one test) */
    void *opaque;                 /* passed to output and transition */
};

struct gic *gic_new(const struct gic_config *cfg);
void gic_free(struct gic *g);
void gic_reset(struct gic *g);

/* MMIO: the distributor frame (64 KiB at 0x0800_0000 on the board) and the
 * redistributor frames (2 x 64 KiB per PE from 0x080A_0000). OFFSET is
 * relative to the frame base; false refuses the access (slave error). */
bool gicd_read(struct gic *g, uint64_t offset, unsigned size, uint64_t *value);
bool gicd_write(struct gic *g, uint64_t offset, unsigned size, uint64_t value);
bool gicr_read(struct gic *g, uint64_t offset, unsigned size, uint64_t *value);
bool gicr_write(struct gic *g, uint64_t offset, unsigned size, uint64_t value);

/* Inputs. A level input re-pends a level-sensitive interrupt while it stays
 * asserted; for an edge-triggered one, a rising edge latches pending. */
void gic_set_spi(struct gic *g, unsigned intid, bool level);
void gic_set_ppi(struct gic *g, unsigned pe, unsigned intid, bool level);

/* The CPU interface of PE, for the ICC_* system registers. Reads may have
 * side effects (IAR acknowledges). */
uint64_t gic_icc_read(struct gic *g, unsigned pe, enum gic_icc_reg reg);
void gic_icc_write(struct gic *g, unsigned pe, enum gic_icc_reg reg, uint64_t value);

/* Whether REG exists with this configuration: ICC_AP0R1/AP1R1 need 6 or
 * more preemption bits, ICC_AP0R2-3/AP1R2-3 need 7 (pri_bits 7 or 8); the
 * system-register table makes the absent ones UNDEFINED. */
bool gic_icc_implemented(const struct gic *g, enum gic_icc_reg reg);

/* SGI generation split in two, so the board can put a delivery latency in
 * between (gic_icc_write of ICC_SGI0R/SGI1R/ASGI1R_EL1 does both at once):
 * the PEs (bit n = PE n) a write of VALUE to an SGI register by PE targets,
 * and the arrival at TARGET of SGI INTID sent through REG, which makes it
 * pending if the target's group configuration of that SGI accepts REG. */
uint32_t gic_sgi_targets(struct gic *g, unsigned pe, uint64_t value);
void gic_sgi_deliver(struct gic *g, unsigned target, enum gic_icc_reg reg, unsigned intid);

/* Why-not-taken: for PE, its CPU interface state and every pending
 * interrupt routed to it with the first gate that stops it. DAIF is the
 * PE's PSTATE.DAIF (the GIC cannot see it). */
void gic_explain(struct gic *g, unsigned pe, uint32_t daif, FILE *f);

#endif
