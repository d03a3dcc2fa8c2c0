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
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct gic;

#define GIC_SGI_BASE 0
#define GIC_PPI_BASE 16
#define GIC_SPI_BASE 32
#define GIC_SPURIOUS 1023
#define GIC_LPI_BASE 8192
#define GIC_MAX_PES  8

/* What the GIC advertises and implements (--gic): GICv3, GICv4.0 (direct
 * injection of virtual LPIs, a doorbell per event) or GICv4.1. */
enum gic_version { GIC_V3, GIC_V4, GIC_V41 };

/* INTID bits with LPIs (--lpi-bits): GICD_TYPER.IDbits + 1. */
#define GIC_MIN_LPI_BITS     14
#define GIC_MAX_LPI_BITS     20
#define GIC_DEFAULT_LPI_BITS 16

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

/* Output lines: IRQ for Group 1, FIQ for Group 0 (DS = 1). OWN: the change
 * comes from PE's own CPU interface register access (an acknowledge, an
 * EOI, a PMR write), which is self-synchronising (IHI 0069 12.1.6), rather
 * than from an input, another PE or a memory-mapped register. */
typedef void (*gic_output_fn)(void *opaque, unsigned pe, bool irq, bool fiq, bool own);

/* The virtual CPU interface's outputs to its PE: vIRQ for virtual Group 1,
 * vFIQ for virtual Group 0. They change only through PE's own ICH_* and
 * ICV_* accesses, so they act at once. */
typedef void (*gic_voutput_fn)(void *opaque, unsigned pe, bool virq, bool vfiq);

/* What the CPU interface of a PE reports for the trace (gic_config.cpuif):
 * the events of its own registers that no interrupt transition shows. */
enum gic_cpuif_kind {
    GIC_CPUIF_PMR,   /* ICC_PMR_EL1 written: value = the PMR now */
    GIC_CPUIF_LR,    /* ICH_LR<lr>_EL2 written: value = the LR now */
    GIC_CPUIF_VIRQ,  /* a virtual interrupt's transition (vt, vintid, lr, priority) */
    GIC_CPUIF_MAINT, /* the maintenance interrupt changed: level, value = ICH_MISR_EL2 */
};

/* Transitions of virtual interrupts, at the virtual CPU interface. */
enum gic_vtransition {
    GIC_VTR_ACKNOWLEDGED,  /* ICV_IAR0/1_EL1: the LR went pending -> active */
    GIC_VTR_PRIORITY_DROP, /* ICV_EOIR0/1_EL1 dropped the virtual running priority */
    GIC_VTR_DEACTIVATED,   /* the LR's active state cleared (EOIR with VEOIM 0, or DIR) */
    GIC_VTR_EOICOUNT,      /* an EOIR/DIR found no LR: ICH_HCR_EL2.EOIcount counted it */
};

/* LR of a GIC_VTR_EOICOUNT event: no list register. */
#define GIC_NO_LR 0xffu

struct gic_cpuif_event {
    enum gic_cpuif_kind kind;
    uint64_t value;
    enum gic_vtransition vt;
    uint32_t vintid;
    uint8_t lr, priority;
    bool level;
};

typedef void (*gic_cpuif_fn)(void *opaque, unsigned pe, const struct gic_cpuif_event *ev);

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
    unsigned num_lrs;            /* list registers, 1..16; 0: 4, as on GIC-500 and QEMU */
    enum gic_version version;
    /* LPIs: INTID bits, GIC_MIN_LPI_BITS..GIC_MAX_LPI_BITS; 0: no LPIs, no ITS. */
    unsigned lpi_bits;
    bool its; /* an ITS (needs LPIs) */
    /* The GIC's own accesses to physical memory: the LPI property and
     * pending tables, the ITS command queue and its tables. False: nothing
     * answered at PA (the access is dropped; reads give zeros). NULL: no
     * memory, every access fails. */
    bool (*mem_read)(void *opaque, uint64_t pa, void *buf, size_t len);
    bool (*mem_write)(void *opaque, uint64_t pa, const void *buf, size_t len);
    /* Optional: told of what the guest did wrong that the architecture
     * reports in no register (an ITS command error), in one line. */
    void (*notice)(void *opaque, const char *msg);
    /* Optional (GICv4): a write of PE's GICR_VPENDBASER started a
     * residency change; the board calls gic_vpe_complete(PE) when it is
     * due, and until then GICR_VPENDBASER.Dirty reads 1. NULL: every
     * change completes at the write. */
    void (*residency)(void *opaque, unsigned pe);
    gic_output_fn output;
    gic_voutput_fn voutput;       /* optional: NULL, the virtual outputs go nowhere */
    gic_transition_fn transition; /* optional: NULL reports nothing (costs one test) */
    gic_cpuif_fn cpuif;           /* optional: likewise */
    void *opaque;                 /* passed to every callback */
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

/* The redistributor frames of one PE: RD_base and SGI_base, and with
 * GICv4 VLPI_base and a reserved frame (0x40000 a PE, as on QEMU). */
uint64_t gic_redist_stride(enum gic_version v);

/* The ITS (IHI 0069 chapter 5): its control frame and translation frame
 * (128 KiB at 0x0808_0000 on the board), OFFSET from the control frame. */
bool gits_read(struct gic *g, uint64_t offset, unsigned size, uint64_t *value);
bool gits_write(struct gic *g, uint64_t offset, unsigned size, uint64_t value);
/* ITS commands take simulated time: after a write to the ITS, while
 * gic_its_busy(), the board calls gic_its_step() once per command latency;
 * each call processes one command from the queue. */
bool gic_its_busy(const struct gic *g);
void gic_its_step(struct gic *g);
/* A message-signalled interrupt: a write of EVENTID to GITS_TRANSLATER by
 * device DEVID (a CPU's write carries DeviceID 0). */
void gic_its_msi(struct gic *g, uint32_t devid, uint32_t eventid);

/* The residency change started at PE's redistributor (gic_config.residency)
 * takes effect: the vPE is loaded from its VPT, or put. */
void gic_vpe_complete(struct gic *g, unsigned pe);

/* Inputs. A level input re-pends a level-sensitive interrupt while it stays
 * asserted; for an edge-triggered one, a rising edge latches pending. */
void gic_set_spi(struct gic *g, unsigned intid, bool level);
void gic_set_ppi(struct gic *g, unsigned pe, unsigned intid, bool level);

/* The system registers of the CPU interfaces, ICC_*, ICH_* and (through
 * the ICC_* encodings, with HCR_EL2.IMO/FMO) ICV_*, as the table a board
 * registers with each PE (struct cpu_sysregs, opaque = G): sorted by
 * encoding, only the registers this configuration implements. Owned by G.
 * The behaviour of each is in gic/sysregs.c, gic/cpuif.c and gic/vcpuif.c. */
struct cpu_sysreg_desc;
const struct cpu_sysreg_desc *gic_sysregs(const struct gic *g, size_t *n);

/* The physical CPU interface of PE, for tests and tools: an access to an
 * ICC_* register as from EL2 (never virtual, never trapped). Reads may
 * have side effects (IAR acknowledges). */
uint64_t gic_icc_read(struct gic *g, unsigned pe, enum gic_icc_reg reg);
void gic_icc_write(struct gic *g, unsigned pe, enum gic_icc_reg reg, uint64_t value);

/* SGI generation split in two, so the board can put a delivery latency in
 * between (gic_icc_write of ICC_SGI0R/SGI1R/ASGI1R_EL1 does both at once):
 * the PEs (bit n = PE n) a write of VALUE to an SGI register by PE targets,
 * and the arrival at TARGET of SGI INTID sent through REG, which makes it
 * pending if the target's group configuration of that SGI accepts REG. */
uint32_t gic_sgi_targets(struct gic *g, unsigned pe, uint64_t value);
void gic_sgi_deliver(struct gic *g, unsigned target, enum gic_icc_reg reg, unsigned intid);

/* Why-not-taken: for PE, its CPU interface state and every pending
 * interrupt routed to it with the first gate that stops it, then, when
 * the virtual CPU interface is enabled or holds a valid list register, its
 * state and every pending virtual interrupt likewise. DAIF is the PE's
 * PSTATE.DAIF (the GIC cannot see it). */
void gic_explain(struct gic *g, unsigned pe, uint32_t daif, FILE *f);

#endif
