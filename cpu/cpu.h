/* One AArch64 processing element (PE): architectural state and the
 * interpreter. The machine owns PEs and calls these; nothing outside cpu/
 * sees struct cpu. */
#ifndef CPU_CPU_H
#define CPU_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cost.h"
#include "cpu/profile.h"

struct cpu;
struct bus;
struct code_cache;

/* What a PE is doing, as the run loop sees it. */
enum cpu_state {
    CPU_RUNNING,
    CPU_WAIT_WFI, /* asleep in WFI until an interrupt (none can arrive yet) */
    CPU_WAIT_WFE, /* asleep in WFE until an event */
    CPU_HALTED,   /* stopped for good: a fault, or the machine asked */
    CPU_OFF,      /* powered off (PSCI CPU_OFF, or a secondary not yet started) */
};

/* Conditions that stop a run because the exception model that would turn
 * them into exceptions does not exist yet (see docs/architecture.md). */
enum cpu_fault_kind {
    FAULT_NONE,
    FAULT_UNDEFINED,      /* unallocated or unimplemented encoding */
    FAULT_EXTERNAL_ABORT, /* data access to an unmapped address or a device error */
    FAULT_INSN_ABORT,     /* instruction fetch outside RAM */
    FAULT_ALIGNMENT,      /* unaligned access to Device memory (MMU off) */
    FAULT_SP_ALIGNMENT,   /* SP not 16-byte aligned as a load/store base */
    FAULT_PC_ALIGNMENT,   /* branch to an address that is not a multiple of 4 */
    FAULT_EXCEPTION,      /* SVC, HVC, SMC, BRK */
    FAULT_TRAP,           /* an instruction trapped to EL2 (MSR/MRS, WFI/WFE, SMC) */
    FAULT_ILLEGAL_STATE,  /* an instruction executed with PSTATE.IL set */
    FAULT_IRQ,            /* asynchronous: IRQ, FIQ, SError (physical or virtual) */
    FAULT_MMU,            /* translation, access flag, permission or address size fault */
    FAULT_DEBUG,          /* breakpoint, watchpoint or software step exception */
};

/* Why a PE stopped for good: an exception it could not take because its
 * vector cannot be fetched (VBAR_ELx points outside RAM), which would
 * otherwise loop forever. Nothing of the exception was applied. */
struct cpu_fault {
    enum cpu_fault_kind kind;
    uint64_t pc;
    uint32_t insn;
    uint64_t addr; /* faulting data address, for aborts and alignment faults */
    unsigned size;
    bool write;
    uint32_t esr;       /* the syndrome the exception would have had */
    unsigned target_el; /* the EL it would have been taken to */
    uint64_t vector;    /* the vector address that could not be fetched */
    /* An exception loop instead: the same synchronous exception (esr, pc =
     * its ELR, vector) taken REPEATS times in a row with no instruction
     * retired in between outside its handler; the PE was stopped. */
    uint64_t repeats;
};

/* How many identical synchronous exceptions in a row, with nothing retired
 * between the return from one and the next, make an exception loop. */
#define CPU_EXCEPTION_LOOP 1000000

/* Interrupt inputs to the PE, driven by the interrupt controller. */
enum cpu_irq_line {
    CPU_LINE_IRQ,
    CPU_LINE_FIQ,
    CPU_LINE_SERROR,
    CPU_LINE_VIRQ, /* virtual IRQ from the GIC virtual interface (ORed with HCR_EL2.VI) */
    CPU_LINE_VFIQ, /* virtual FIQ (ORed with HCR_EL2.VF) */
};

/* Where the built-in firmware listens (SMCCC conduit). */
enum cpu_conduit {
    CONDUIT_NONE,
    CONDUIT_HVC, /* no EL2: HVC #0 is served as if by a higher EL (QEMU virt) */
    CONDUIT_SMC, /* EL2 present: SMC is served as if by EL3 firmware */
};

/* System registers that another module implements, registered with the
 * PE's system-register lookup by the board (as QEMU's GIC adds its cpregs to
 * the CPU): the PE decodes MRS/MSR of an encoding its own table lacks as an
 * access to the registered table, checks the EL, asks the row whether the
 * access is allowed, then calls it. cpu/ knows nothing of what the rows mean.
 *
 * The order of the checks (after the instruction is otherwise valid):
 *   1. no row for the encoding on this PE, or the direction is NEVER:
 *      UNDEFINED;
 *   2. the PE's EL below the row's lowest EL for the direction: UNDEFINED;
 *   3. the row's check(): OK, UNDEFINED, or a trap to EL2 (EC 0x18, with
 *      the ISS of the instruction, Arm ARM ESR_ELx);
 *   4. read() or write(). */
#define CPU_SYSREG_ENC(op0, op1, crn, crm, op2)                                                    \
    ((uint16_t)((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))
#define CPU_SYSREG_NEVER 4 /* no EL may make this access */

enum cpu_sysreg_access {
    CPU_SYSREG_OK,
    CPU_SYSREG_UNDEFINED,
    CPU_SYSREG_TRAP_EL2,
};

/* What the PE tells a row about an access. */
struct cpu_sysreg_ctx {
    unsigned pe; /* the PE's index */
    unsigned el; /* its current EL */
    /* EL2 implemented and routing physical IRQs / FIQs to itself for EL1
     * and EL0: HCR_EL2.IMO / FMO set with TGE clear (the controls
     * AArch64 GIC pseudocode tests with EL2Enabled()). */
    bool el2_enabled, imo, fmo;
};

struct cpu_sysreg_desc {
    const char *name;
    uint16_t enc;              /* CPU_SYSREG_ENC(op0, op1, CRn, CRm, op2) */
    uint8_t read_el, write_el; /* lowest EL for MRS / MSR, or CPU_SYSREG_NEVER */
    /* The value a read returns after a reset of the owner (the owner's reset
     * establishes it; unit tests check the two agree). */
    uint64_t reset;
    /* Step 3; NULL: always allowed. */
    enum cpu_sysreg_access (*check)(void *opaque, const struct cpu_sysreg_ctx *ctx,
                                    const struct cpu_sysreg_desc *r, bool write);
    uint64_t (*read)(void *opaque, const struct cpu_sysreg_ctx *ctx,
                     const struct cpu_sysreg_desc *r);
    void (*write)(void *opaque, const struct cpu_sysreg_ctx *ctx, const struct cpu_sysreg_desc *r,
                  uint64_t value);
    unsigned id; /* the owner's own number for the register */
};

/* A registered table: ROWS sorted by encoding, each encoding once. */
struct cpu_sysregs {
    const struct cpu_sysreg_desc *rows;
    size_t n;
    void *opaque; /* passed to check, read and write */
    /* ID_AA64PFR0_EL1.GIC for the rows: 0 none, 1 a GICv3 or GICv4.0 CPU
     * interface, 3 a GICv4.1 one (with directly injected vSGIs). */
    uint8_t gic_cpuif;
};

/* Calls out of the PE to the rest of the machine. */
enum cpu_call {
    CPU_CALL_HVC,      /* HVC #imm served by the firmware (PSCI conduit at EL1) */
    CPU_CALL_SMC,      /* SMC #imm */
    CPU_CALL_SEMIHOST, /* HLT #0xF000 */
};
enum cpu_call_result {
    CALL_DONE,      /* handled: continue at the next instruction */
    CALL_STOP,      /* handled, and the PE must stop running now (power off, exit) */
    CALL_OFF,       /* handled: this PE is now powered off (PSCI CPU_OFF) */
    CALL_UNHANDLED, /* not served: the instruction behaves as the architecture says */
};
struct cpu_hooks {
    void *opaque;
    enum cpu_call_result (*call)(void *opaque, struct cpu *cpu, enum cpu_call kind, uint32_t imm);
    /* When set, called before each instruction executes with the PE's cycle
     * count, the PC and the encoding (--trace-insns). It runs in a separate
     * copy of the run loop (cpu/run_traced.c): the loop without it is not
     * slowed down. */
    void (*trace_insn)(void *trace_opaque, unsigned pe, uint64_t cycle, uint64_t pc, uint32_t insn);
    /* When set, called at every exception entry (ENTRY true: TYPE 0 sync,
     * 1 IRQ, 2 FIQ, 3 SError; SYNDROME = ESR, TARGET = the vector) and return
     * (ENTRY false: SYNDROME = the SPSR restored, TARGET = ELR). */
    void (*trace_exception)(void *trace_opaque, unsigned pe, uint64_t cycle, bool entry,
                            unsigned type, unsigned from_el, unsigned to_el, uint64_t syndrome,
                            uint64_t elr, uint64_t target);
    /* System registers another part of the machine implements (the GIC's
     * CPU interface): see struct cpu_sysregs. Zeroed: none. */
    struct cpu_sysregs sysregs;
    /* The generic timer (the CNT* system registers but CNTKCTL_EL1 and
     * CNTHCTL_EL2, which the PE keeps for its trap checks): REG is an enum
     * timer_reg, NOW the PE's local cycle count. NULL: the PE has no timer,
     * and those encodings are UNDEFINED. */
    uint64_t (*timer_read)(void *opaque, unsigned pe, unsigned reg, uint64_t now);
    void (*timer_write)(void *opaque, unsigned pe, unsigned reg, uint64_t value, uint64_t now);
    /* The event stream's edges (timer_bit_transition): the first cycle
     * after AFTER at which bit BIT of the virtual (VIRT) or physical count
     * rises (RISING) or falls. NULL: no event stream. */
    uint64_t (*timer_bit_transition)(void *opaque, unsigned pe, bool virt, unsigned bit,
                                     bool rising, uint64_t after);
    /* When set, called whenever PSTATE.DAIF changes (DAIF in bits 9:6). */
    void (*trace_daif)(void *trace_opaque, unsigned pe, uint64_t cycle, uint32_t daif, uint64_t pc);
    void *trace_opaque;
};

struct cpu_config {
    unsigned index; /* PE number, 0-based */
    uint64_t mpidr; /* MPIDR_EL1 value (affinity) */
    unsigned el;    /* exception level the PE starts in: 1, or 2 (then EL2 exists) */
    /* ID registers and features (0: CPU_PROFILE_MAX) */
    enum cpu_profile profile;
    enum cpu_conduit conduit;
    struct bus *bus;
    struct code_cache *code; /* shared by every PE of the machine */
    const struct cost_table *cost;
    struct cpu_hooks hooks;
};

/* Decoded code, per physical RAM page, shared by all PEs so that a store by
 * any PE invalidates what every PE decoded. */
struct code_cache *code_cache_new(struct bus *bus, const struct cost_table *cost);
void code_cache_free(struct code_cache *cc);
/* Something other than a PE (the GIC) wrote [PA, PA+LEN) of RAM: what any
 * PE decoded there decodes again. */
void code_cache_note_write(struct code_cache *cc, uint64_t pa, size_t len);

struct cpu *cpu_new(const struct cpu_config *cfg);
void cpu_free(struct cpu *c);
/* Architectural reset, then start at PC with X0 = x0 (the boot protocol). */
void cpu_reset(struct cpu *c, uint64_t pc, uint64_t x0);

/* Run until the PE's local cycle count reaches cycle_limit or it stops
 * (WFI/WFE, fault, firmware stop). Returns the state it stopped in. */
enum cpu_state cpu_run(struct cpu *c, uint64_t cycle_limit);

enum cpu_state cpu_state(const struct cpu *c);
/* Power a PE on (PSCI CPU_ON): warm reset into EL at ENTRY with X0 =
 * CONTEXT, MMU off, DAIF masked; local time jumps to NOW. */
void cpu_power_on(struct cpu *c, uint64_t entry, uint64_t context, unsigned el, uint64_t now);
/* Leave the PE powered off (secondaries at reset). */
void cpu_power_off(struct cpu *c);
/* PSCI CPU_SUSPEND standby: wait as in WFI after the current call returns. */
void cpu_enter_standby(struct cpu *c);
/* Install (FN) or remove (NULL) cpu_hooks.trace_insn, between
 * instructions: the run loop continues with or without it. */
void cpu_set_trace_insn(struct cpu *c, void (*fn)(void *trace_opaque, unsigned pe, uint64_t cycle,
                                                  uint64_t pc, uint32_t insn));
/* Stop the PE for good (machine-level stop, e.g. another PE powered off). */
void cpu_halt(struct cpu *c);
/* Lower the time the current cpu_run may run to (an event was scheduled
 * earlier than the round's end); no effect if it is already lower. */
void cpu_limit(struct cpu *c, uint64_t cycle);
/* The cycle at which the event stream next wakes this PE from the WFE it
 * sleeps in (UINT64_MAX: it does not); the board schedules a call to
 * cpu_evstream_due then. */
uint64_t cpu_evstream_wake_at(const struct cpu *c);
/* At cycle NOW: wake the PE from WFE if an event-stream edge has come. */
void cpu_evstream_due(struct cpu *c, uint64_t now);
/* Wake a PE sleeping in WFE (SEV) or WFI; local time jumps to NOW if behind. */
void cpu_wake(struct cpu *c, uint64_t now);
/* Drive an interrupt input to LEVEL at time NOW. A PE asleep in WFI/WFE
 * wakes on any asserted physical line, whatever PSTATE masks (Arm ARM
 * D1.16.2); the exception is taken when the masks and routing allow. */
void cpu_set_irq_line(struct cpu *c, enum cpu_irq_line line, bool level, uint64_t now);
bool cpu_irq_line(const struct cpu *c, enum cpu_irq_line line);

uint64_t cpu_cycles(const struct cpu *c);
uint64_t cpu_insns(const struct cpu *c);
/* Exceptions taken so far (each costs at least one cycle: the cost table's
 * exc_entry). --max-insns counts them with the retired instructions. */
uint64_t cpu_exceptions(const struct cpu *c);
/* Of those, the asynchronous ones: IRQ, FIQ, SError (physical or virtual). */
uint64_t cpu_interrupts(const struct cpu *c);
/* Move a sleeping PE's local time forward to NOW (time passes while it waits). */
void cpu_sync_time(struct cpu *c, uint64_t now);
const struct cpu_fault *cpu_fault(const struct cpu *c);
const char *cpu_fault_kind_name(enum cpu_fault_kind kind);

/* Register access for firmware, semihosting and reports. n = 0..30 X regs. */
uint64_t cpu_get_x(const struct cpu *c, unsigned n);
void cpu_set_x(struct cpu *c, unsigned n, uint64_t value);
/* SIMD&FP registers: V0-V31 as two 64-bit halves (out[0] = bits 63:0),
 * FPCR and FPSR. The setter writes FPCR unmasked: for tests and
 * debuggers that restore a state MRS read. */
void cpu_get_v(const struct cpu *c, unsigned n, uint64_t out[2]);
void cpu_set_v(struct cpu *c, unsigned n, const uint64_t value[2]);
uint32_t cpu_get_fpcr(const struct cpu *c);
uint32_t cpu_get_fpsr(const struct cpu *c);
void cpu_set_fpcr_fpsr(struct cpu *c, uint32_t fpcr, uint32_t fpsr);
uint64_t cpu_get_pc(const struct cpu *c);
/* For a debugger, between instructions: move the PC (the run loop fetches
 * from the new one), set the current SP, set PSTATE.NZCV (bits 31:28). */
void cpu_set_pc(struct cpu *c, uint64_t pc);
void cpu_set_sp(struct cpu *c, uint64_t value);
void cpu_set_nzcv(struct cpu *c, uint32_t nzcv);
/* VBAR_ELn (n = 1 or 2). */
uint64_t cpu_get_vbar(const struct cpu *c, unsigned el);
uint64_t cpu_get_sp(const struct cpu *c);
unsigned cpu_get_el(const struct cpu *c);
/* PSTATE as it would be saved in SPSR_ELx (NZCV, DAIF, EL, SPSel). */
uint64_t cpu_get_pstate(const struct cpu *c);
unsigned cpu_index(const struct cpu *c);

/* Debug access to guest memory by VA with no side effects: RAM only.
 * Returns false if any byte is not RAM. */
bool cpu_read_guest(struct cpu *c, uint64_t va, void *buf, size_t len);

/* The system registers of the PE's own table that a debugger may read
 * without side effects (plain storage or an ID value, present on C; not
 * the timers, registers with a read function, _EL12 aliases or the GIC's
 * registered table), numbered from 0 in table order: the Ith one's name
 * and value, or false past the last. */
bool cpu_debug_sysreg(const struct cpu *c, unsigned i, const char **name, uint64_t *value);
/* The same for a write (a debugger's): RAM only, nothing written unless
 * every byte is RAM; code decoded from those bytes decodes again. */
bool cpu_write_guest(struct cpu *c, uint64_t va, const void *buf, size_t len);

#endif
