/* The AArch64 exception model: entry, return, syndromes, routing.
 *
 * Everything that changes the PE's EL goes through take() (entry) or
 * exc_eret() (return), following the Arm ARM pseudocode
 * AArch64.TakeException and AArch64.ExceptionReturn:
 *
 *  - The target EL of a synchronous exception is the current EL, except
 *    that EL0's go to EL1, or to EL2 when HCR_EL2.TGE is set, and that
 *    HVC, traps and (later) stage-2 faults go to EL2.
 *  - Asynchronous exceptions are routed by HCR_EL2.{IMO, FMO, AMO, TGE}
 *    and masked by PSTATE.{I, F, A} only when taken to the current EL: an
 *    interrupt routed to a higher EL is taken whatever PSTATE says, and
 *    one routed to a lower EL is never taken (Arm ARM D1.3.x, "Asynchronous
 *    exception routing and masking"). Virtual interrupts (HCR_EL2.VI/VF/VSE
 *    and the GIC's virtual lines) reach only EL1 and EL0, only when the
 *    matching routing bit is set and TGE is clear.
 *  - cpu_update_async() is the one function that decides whether an
 *    asynchronous exception is takeable; callers change an input or a mask
 *    and call it. It stops the run loop only when something is takeable, so
 *    the per-instruction cost of interrupts is nil.
 *
 * Choices where the architecture leaves one (docs/architecture.md):
 *  - Exception entry and return both clear the local exclusive monitor.
 *  - Simultaneous asynchronous exceptions are taken in the order SError,
 *    FIQ, IRQ, then virtual SError, FIQ, IRQ.
 *  - ISV (the instruction syndrome of data aborts) is reported for stage 2
 *    data aborts taken to EL2, where a hypervisor needs it to emulate MMIO;
 *    it is 0 in ESR_EL1 and for other aborts, as the architecture permits.
 *  - A virtual SError (HCR_EL2.VSE) reports ISS 0 (no RAS extension).
 *  - An exception whose vector cannot be fetched (VBAR_ELx outside RAM)
 *    would fault again at the vector forever: the PE stops instead, with
 *    nothing of the exception applied, and the run reports it.
 *  - Taking an exception costs the cost table's exc_entry cycles (at least
 *    one), so that time moves and the limits bind even when the exception
 *    retires no instruction.
 *  - An exception loop can never end: the same synchronous exception (same
 *    ESR, ELR and vector) CPU_EXCEPTION_LOOP times in a row, each time
 *    either without an exception return since the previous one (the
 *    handler itself faults) or with no instruction retired after the
 *    return (it returned to the instruction that faults again). The PE
 *    stops and the run reports it. A handler that returns past the
 *    instruction, or code that makes progress between two traps, never
 *    counts as one.
 */
#include "cpu/decode.h"
#include "cpu/mmu.h"
#include "sim/bus.h"

#define EC_UNKNOWN  0x00
#define EC_WFX      0x01
#define EC_FP       0x07
#define EC_ILLEGAL  0x0e
#define EC_SVC64    0x15
#define EC_HVC64    0x16
#define EC_SMC64    0x17
#define EC_SYSREG   0x18
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_SERROR   0x2f
#define EC_BRK64    0x3c

#define ESR_IL (1u << 25) /* 32-bit instruction */

/* Fault status codes (DFSC/IFSC) */
#define FSC_SYNC_EXTERNAL 0x10
#define FSC_ALIGNMENT     0x21

/* Offsets of the exception types within a vector group. */
enum exc_type { EXC_SYNC = 0x000, EXC_IRQ = 0x080, EXC_FIQ = 0x100, EXC_SERROR = 0x180 };

static uint32_t esr_make(unsigned ec, uint32_t iss)
{
    return ((uint32_t)ec << 26) | ESR_IL | (iss & 0x1ffffff);
}

/* PSTATE as saved in SPSR_ELx. */
static uint64_t pstate_to_spsr(const struct cpu *c)
{
    uint64_t v = nzcv_get(c) | c->daif | ((uint64_t)c->el << PSR_M_EL_SHIFT);
    if (c->spsel)
        v |= PSR_M_SP;
    if (c->pan)
        v |= PSR_PAN;
    if (c->il)
        v |= PSR_IL;
    if (c->ss)
        v |= PSR_SS;
    return v;
}

void cpu_set_el_sp(struct cpu *c, unsigned el, bool spsel)
{
    unsigned old = c->spsel ? c->el : 0;
    c->sp_el[old] = c->x[REG_SP];
    c->el = (uint8_t)el;
    c->spsel = el > 0 && spsel; /* EL0 has only SP_EL0 */
    c->x[REG_SP] = c->sp_el[c->spsel ? el : 0];
    fp_access_update(c);
}

/* Default target of a synchronous exception taken from the current EL. */
static unsigned sync_target(const struct cpu *c)
{
    if (c->el == 2)
        return 2;
    if (c->el == 0 && c->have_el2 && (c->hcr_el2 & HCR_TGE))
        return 2;
    return 1;
}

/* The word at the current PC, through the translation that fetched it
 * (0 when it cannot be read without faulting). */
static uint32_t current_insn(struct cpu *c)
{
    struct mmu_result res;
    uint32_t w = 0;
    if (mem_translate(c, c->pc, MMU_EXEC, false, &res) && bus_is_ram(c->bus, res.pa, 4))
        memcpy(&w, c->ram_host + (res.pa - c->ram_base), 4);
    return w;
}

/* Can the PE fetch VECTOR once it is in TARGET's regime? Checked in the
 * target EL: translation as the entry will see it. A stage 2 fault counts
 * as fetchable: the entry happens, and fetching the vector is an
 * instruction abort that EL2 takes and can resolve (a hypervisor that maps
 * its host's memory on demand does that), not an exception loop. */
static bool vector_fetchable(struct cpu *c, unsigned target, uint64_t vector)
{
    unsigned el = c->el;
    bool spsel = c->spsel;
    c->el = (uint8_t)target; /* translate as the target EL; no SP swap needed */
    struct mmu_result res;
    bool ok = mem_translate(c, vector, MMU_EXEC, false, &res) ? bus_is_ram(c->bus, res.pa, 4)
                                                              : target < 2 && res.stage2;
    c->el = (uint8_t)el;
    c->spsel = spsel;
    return ok;
}

static void record_stop(struct cpu *c, enum cpu_fault_kind kind, uint64_t addr, unsigned size,
                        bool write, uint32_t esr, unsigned target, uint64_t vector)
{
    c->fault = (struct cpu_fault){
        .kind = kind,
        .pc = c->pc,
        .addr = addr,
        .size = size,
        .write = write,
        .esr = esr,
        .target_el = target,
        .vector = vector,
    };
    if (kind != FAULT_PC_ALIGNMENT && kind != FAULT_INSN_ABORT && kind != FAULT_IRQ)
        c->fault.insn = current_insn(c);
    c->state = CPU_HALTED;
    cpu_break(c);
}

struct exc {
    enum cpu_fault_kind kind; /* for the stop record only */
    unsigned target;
    enum exc_type type;
    uint32_t esr;
    bool set_esr;
    uint64_t far;
    bool set_far;
    uint64_t elr;
    uint64_t addr; /* for the stop record */
    unsigned size;
    bool write;
};

/* Is this synchronous exception one more turn of a loop that cannot end?
 * Counts it; true once it has come CPU_EXCEPTION_LOOP times in a row. */
static bool exception_loop(struct cpu *c, const struct exc *e, uint64_t vector)
{
    bool progressed = c->loop_returned && c->insns != c->loop_insns;
    bool again =
        !progressed && c->loop_esr == e->esr && c->loop_elr == e->elr && c->loop_vector == vector;
    c->loop_returned = false;
    c->loop_count = again ? c->loop_count + 1 : 1;
    c->loop_esr = e->esr;
    c->loop_elr = e->elr;
    c->loop_vector = vector;
    return c->loop_count >= CPU_EXCEPTION_LOOP;
}

/* AArch64.TakeException. Returns false if the PE stopped instead. */
static bool take(struct cpu *c, const struct exc *e)
{
    uint64_t base = c->vbar[e->target] & ~0x7ffull;
    unsigned group = e->target > c->el ? 0x400 : (c->spsel ? 0x200 : 0x000);
    uint64_t vector = base + group + e->type;
    if (!vector_fetchable(c, e->target, vector)) {
        record_stop(c, e->kind, e->addr, e->size, e->write, e->esr, e->target, vector);
        return false;
    }
    if (e->type == EXC_SYNC && exception_loop(c, e, vector)) {
        record_stop(c, e->kind, e->addr, e->size, e->write, e->esr, e->target, vector);
        c->fault.pc = e->elr;
        c->fault.repeats = c->loop_count;
        return false;
    }
    bool old_pan = c->pan;
    unsigned old_el = c->el;
    uint32_t old_daif = c->daif;
    c->spsr[e->target] = pstate_to_spsr(c);
    c->elr[e->target] = e->elr;
    if (e->set_esr)
        c->esr[e->target] = e->esr;
    if (e->set_far)
        c->far[e->target] = e->far;
    cpu_set_el_sp(c, e->target, true);
    c->daif = PSR_DAIF;
    c->il = false;
    c->ss = false;
    /* PSTATE.PAN is set on entry to EL1 when SCTLR_EL1.SPAN is 0 (FEAT_PAN). */
    if (c->pan_implemented && e->target == 1 && !(c->sctlr[1] & SCTLR_SPAN))
        c->pan = true;
    c->excl_valid = false;
    c->pc = vector;
    c->ss_written = true;
    c->ss_stepped = false;
    debug_context_changed(c);
    if (c->el != old_el || c->pan != old_pan)
        mem_tlb_switch(c); /* each privilege has a TLB set of its own */
    if (c->hooks.trace_exception)
        c->hooks.trace_exception(c->hooks.trace_opaque, c->index, c->cycles, true, e->type >> 7,
                                 old_el, e->target, e->set_esr ? e->esr : 0, e->elr, vector);
    c->cycles += c->cost->cycles[COST_EXC_ENTRY];
    c->exceptions++;
    if (c->daif != old_daif)
        cpu_daif_changed(c);
    cpu_update_async(c);
    return true;
}

/* ---- synchronous exceptions from the current instruction ---- */

/* The instruction syndrome of a data abort (ISV = 1 and SAS, SSE, SRT,
 * SF, AR) for a load or store of one general register without writeback,
 * or 0 when the instruction has none (pairs, writeback, exclusives,
 * atomics). The decoder's own family tells which kind of access it is. */
static uint32_t data_abort_isv(uint32_t insn)
{
    struct insn_fields f;
    bool acqrel = false;
    /* The families with a syndrome are all general-register forms (V = 0):
     * the FP/SIMD loads and stores never decode to them. */
    switch (decode_fields(insn, &f)) {
    case FAM_LDST_EXCLUSIVE:
        /* Only LDAR/STLR (o2 = 1, o1 = 0, o0 = 1) have a syndrome. */
        if (!f.o2 || f.o1 || !f.o0)
            return 0;
        acqrel = true;
        break;
    case FAM_LDAPR: acqrel = true; break;
    case FAM_LDST_IMM9:
        if (f.op4 == 1 || f.op4 == 3)
            return 0; /* post- and pre-index write back */
        break;
    case FAM_LDST_UIMM:
    case FAM_LDST_REG: break;
    default: return 0;
    }
    unsigned size = f.size, rt = f.Rt;
    unsigned opc = acqrel ? 1 : f.opc;
    if (!acqrel && size == 3 && opc == 2)
        return 0; /* PRFM */
    bool sign = !acqrel && opc >= 2;
    /* SF: the register is 64 bits wide (a sign-extending load into X, or a
     * doubleword access). */
    bool sf = sign ? opc == 2 : size == 3;
    return (1u << 24) | (size << 22) | ((uint32_t)sign << 21) | (rt << 16) | ((uint32_t)sf << 15) |
           ((uint32_t)acqrel << 14);
}

void cpu_raise_fault(struct cpu *c, enum cpu_fault_kind kind, uint64_t addr, unsigned size,
                     bool write)
{
    /* The faulting instruction does not retire: the loop counted it. */
    c->insns--;
    struct exc e = {.kind = kind,
                    .target = sync_target(c),
                    .type = EXC_SYNC,
                    .set_esr = true,
                    .elr = c->pc,
                    .addr = addr,
                    .size = size,
                    .write = write};
    bool lower = e.target > c->el;
    switch (kind) {
    case FAULT_EXTERNAL_ABORT:
    case FAULT_ALIGNMENT: {
        uint32_t iss = kind == FAULT_ALIGNMENT ? FSC_ALIGNMENT : FSC_SYNC_EXTERNAL;
        if (write)
            iss |= 1u << 6; /* WnR */
        e.esr = esr_make(lower ? EC_DABT_LOW : EC_DABT_CUR, iss);
        e.far = addr;
        e.set_far = true;
        break;
    }
    case FAULT_INSN_ABORT:
        e.esr = esr_make(lower ? EC_IABT_LOW : EC_IABT_CUR, FSC_SYNC_EXTERNAL);
        e.far = c->pc;
        e.set_far = true;
        break;
    case FAULT_PC_ALIGNMENT:
        e.esr = esr_make(EC_PC_ALIGN, 0);
        e.far = c->pc;
        e.set_far = true;
        break;
    case FAULT_SP_ALIGNMENT: e.esr = esr_make(EC_SP_ALIGN, 0); break;
    default: e.esr = esr_make(EC_UNKNOWN, 0); break;
    }
    take(c, &e);
}

/* Data-abort syndrome for a given access, as a hypervisor would see it in
 * ESR_EL2 for a stage-2 fault (used by the MMU work). */
static void take_call(struct cpu *c, unsigned target, unsigned ec, uint16_t imm, uint64_t elr)
{
    /* The instruction completes by generating the exception: a step in
     * progress has stepped it, so SPSR_ELx.SS is 0 (Arm ARM D2, "Software
     * Step exceptions", stepping an exception-generating instruction). */
    debug_ss_advance(c);
    struct exc e = {.kind = FAULT_EXCEPTION,
                    .target = target,
                    .type = EXC_SYNC,
                    .esr = esr_make(ec, imm),
                    .set_esr = true,
                    .elr = elr};
    if (!take(c, &e))
        c->insns--;
}

void exc_svc(struct cpu *c, uint16_t imm)
{
    /* The preferred return address of SVC, HVC and SMC is the next
     * instruction: they retire by generating the exception. */
    take_call(c, sync_target(c), EC_SVC64, imm, c->pc + 4);
}

void exc_brk(struct cpu *c, uint16_t imm)
{
    /* BRK does not retire: ELR is the BRK itself. It is routed as the
     * other debug exceptions are (AArch64.SoftwareBreakpoint). */
    c->insns--;
    struct exc e = {.kind = FAULT_EXCEPTION,
                    .target = debug_target(c),
                    .type = EXC_SYNC,
                    .esr = esr_make(EC_BRK64, imm),
                    .set_esr = true,
                    .elr = c->pc};
    take(c, &e);
}

void exc_debug(struct cpu *c, unsigned ec_lower, uint32_t iss, uint64_t far, bool set_far)
{
    unsigned target = debug_target(c);
    struct exc e = {.kind = FAULT_DEBUG,
                    .target = target,
                    .type = EXC_SYNC,
                    .esr = esr_make(target > c->el ? ec_lower : ec_lower + 1, iss),
                    .set_esr = true,
                    .far = far,
                    .set_far = set_far,
                    .elr = c->pc,
                    .addr = far};
    take(c, &e);
}

static void undefined(struct cpu *c)
{
    cpu_raise_fault(c, FAULT_UNDEFINED, 0, 0, false);
}

/* The firmware owns the conduit: ask it. */
static void firmware_call(struct cpu *c, enum cpu_call kind, uint16_t imm)
{
    enum cpu_call_result r =
        c->hooks.call ? c->hooks.call(c->hooks.opaque, c, kind, imm) : CALL_UNHANDLED;
    switch (r) {
    case CALL_DONE: c->pc += 4; return;
    case CALL_STOP:
        c->pc += 4;
        c->state = CPU_HALTED;
        cpu_break(c);
        return;
    case CALL_OFF:
        c->pc += 4;
        cpu_power_off(c);
        return;
    case CALL_UNHANDLED: undefined(c); return;
    }
}

void exc_hvc(struct cpu *c, uint16_t imm)
{
    if (c->el == 0) {
        undefined(c);
        return;
    }
    if (c->have_el2) {
        /* Arm ARM C6.2 HVC: UNDEFINED when HCR_EL2.HCD is set (no EL3). */
        if (c->hcr_el2 & HCR_HCD)
            undefined(c);
        else
            take_call(c, 2, EC_HVC64, imm, c->pc + 4);
        return;
    }
    if (c->conduit == CONDUIT_HVC)
        firmware_call(c, CPU_CALL_HVC, imm);
    else
        undefined(c);
}

void exc_smc(struct cpu *c, uint16_t imm)
{
    if (c->el == 0) {
        undefined(c);
        return;
    }
    if (c->have_el2 && c->el == 1 && (c->hcr_el2 & HCR_TSC)) {
        /* A trapped SMC has not executed: ELR is the SMC itself. */
        c->insns--;
        struct exc e = {.kind = FAULT_TRAP,
                        .target = 2,
                        .type = EXC_SYNC,
                        .esr = esr_make(EC_SMC64, imm),
                        .set_esr = true,
                        .elr = c->pc};
        take(c, &e);
        return;
    }
    if (c->conduit == CONDUIT_SMC)
        firmware_call(c, CPU_CALL_SMC, imm);
    else
        undefined(c); /* no EL3 */
}

static void trap(struct cpu *c, unsigned target, uint32_t esr)
{
    c->insns--;
    struct exc e = {.kind = FAULT_TRAP,
                    .target = target,
                    .type = EXC_SYNC,
                    .esr = esr,
                    .set_esr = true,
                    .elr = c->pc};
    take(c, &e);
}

bool exc_wfx_trapped(struct cpu *c, bool wfe)
{
    /* ISS: CV = 1, COND = 0b1110 (always), TI = 1 for WFE. */
    uint32_t esr = esr_make(EC_WFX, (1u << 24) | (0xeu << 20) | (wfe ? 1u : 0u));
    uint64_t ntw = wfe ? (1ull << 18) : (1ull << 16); /* SCTLR_EL1.nTWE / nTWI */
    if (c->el == 0 && !(c->sctlr[1] & ntw)) {
        trap(c, sync_target(c), esr);
        return true;
    }
    uint64_t tw = wfe ? HCR_TWE : HCR_TWI;
    if (c->el < 2 && c->have_el2 && (c->hcr_el2 & tw)) {
        trap(c, 2, esr);
        return true;
    }
    return false;
}

void exc_sysreg_trap(struct cpu *c, unsigned target_el, uint32_t iss)
{
    trap(c, target_el, esr_make(EC_SYSREG, iss));
}

/* ---- SIMD&FP access traps ---- */

#define CPACR_FPEN_SHIFT 20
#define CPTR_TFP         (1ull << 10)

/* AArch64.CheckFPAdvSIMDEnabled and AArch64.CheckFPAdvSIMDTrap: CPACR_EL1
 * first (EL0 and EL1, unless in the EL2&0 host), then CPTR_EL2 (EL0 to
 * EL2): TFP, or with HCR_EL2.E2H = 1 its FPEN field, whose 0b01 traps
 * only EL0 and only with TGE = 1. */
void fp_access_update(struct cpu *c)
{
    bool e2h = c->have_el2 && (c->hcr_el2 & HCR_E2H);
    bool tge = c->have_el2 && (c->hcr_el2 & HCR_TGE);
    c->fp_trap = FP_TRAP_NONE;
    if (c->el <= 1 && !(e2h && tge)) {
        unsigned fpen = (c->cpacr_el1 >> CPACR_FPEN_SHIFT) & 3;
        if ((fpen & 1) == 0 || (fpen == 1 && c->el == 0)) {
            /* AArch64.AdvSIMDFPAccessTrap: a trap to EL1 that TGE routes
             * to EL2 is reported as Unknown reason. */
            c->fp_trap = tge ? FP_TRAP_EL2_UNKNOWN : FP_TRAP_EL1;
            return;
        }
    }
    if (!c->have_el2)
        return;
    if (e2h) {
        unsigned fpen = (c->cptr_el2 >> CPACR_FPEN_SHIFT) & 3;
        if ((fpen & 1) == 0 || (fpen == 1 && c->el == 0 && tge))
            c->fp_trap = FP_TRAP_EL2;
    } else if (c->cptr_el2 & CPTR_TFP) {
        c->fp_trap = FP_TRAP_EL2;
    }
}

void exc_fp_trap(struct cpu *c)
{
    /* ISS for a trap from AArch64: CV = 1, COND = 0b1110 (ConditionSyndrome). */
    uint32_t esr = esr_make(EC_FP, (1u << 24) | (0xeu << 20));
    switch (c->fp_trap) {
    case FP_TRAP_EL1: trap(c, 1, esr); break;
    case FP_TRAP_EL2: trap(c, 2, esr); break;
    default: trap(c, 2, esr_make(EC_UNKNOWN, 0)); break;
    }
}

void exc_illegal_state(struct cpu *c)
{
    struct exc e = {.kind = FAULT_ILLEGAL_STATE,
                    .target = sync_target(c),
                    .type = EXC_SYNC,
                    .esr = esr_make(EC_ILLEGAL, 0),
                    .set_esr = true,
                    .elr = c->pc};
    take(c, &e);
}

/* ---- exception return ---- */

/* AArch64.ExceptionReturn's IllegalExceptionReturn(). */
static bool illegal_return(const struct cpu *c, uint64_t spsr)
{
    unsigned target = (spsr >> PSR_M_EL_SHIFT) & 3;
    if (spsr & PSR_M_RW)
        return true; /* AArch32 is not implemented */
    if (spsr & 2)
        return true; /* M[1] is reserved */
    if (target > c->el || target == 3 || (target == 2 && !c->have_el2))
        return true;
    if (target == 0 && (spsr & PSR_M_SP))
        return true; /* EL0 has no SP_EL0t/h distinction: M = 0b0001 is illegal */
    if (c->have_el2 && target < 2 && c->el == 2 && !(c->hcr_el2 & HCR_RW))
        return true; /* EL1 would be AArch32 */
    if (c->have_el2 && target == 1 && (c->hcr_el2 & HCR_TGE))
        return true; /* with TGE set, EL1 is not in use */
    return false;
}

void exc_eret(struct cpu *c)
{
    if (c->el == 0) {
        undefined(c);
        return;
    }
    uint64_t spsr = c->spsr[c->el];
    uint64_t elr = c->elr[c->el];
    bool debug_at_source = c->dbg_enabled;
    unsigned old_el = c->el;
    bool old_pan = c->pan;
    uint32_t old_daif = c->daif;
    nzcv_set(c, (uint32_t)spsr);
    c->daif = (uint32_t)spsr & PSR_DAIF;
    c->excl_valid = false;
    if (illegal_return(c, spsr)) {
        /* PSTATE.IL is set and EL/SP stay: the next instruction takes an
         * Illegal Execution state exception. */
        c->il = true;
    } else {
        c->il = (spsr & PSR_IL) != 0;
        c->pan = c->pan_implemented && (spsr & PSR_PAN);
        cpu_set_el_sp(c, (spsr >> PSR_M_EL_SHIFT) & 3, spsr & PSR_M_SP);
    }
    c->pc = elr;
    debug_context_changed(c);
    c->ss = debug_return_ss(c, debug_at_source, spsr);
    c->ss_written = true;
    c->ss_stepped = false;
    c->loop_returned = true;
    c->loop_insns = c->insns;
    if (c->el != old_el || c->pan != old_pan)
        mem_tlb_switch(c);
    if (c->hooks.trace_exception)
        c->hooks.trace_exception(c->hooks.trace_opaque, c->index, c->cycles, false, 0, old_el,
                                 c->el, spsr, elr, elr);
    if (c->daif != old_daif)
        cpu_daif_changed(c);
    cpu_update_async(c);
    if (c->il)
        cpu_break(c);
}

void exc_mmu_fault(struct cpu *c, const struct mmu_result *res, uint64_t va, bool write, bool fetch)
{
    c->insns--; /* the access's instruction does not retire */
    unsigned target = res->stage2 ? 2 : sync_target(c);
    bool lower = target > c->el;
    uint32_t iss = mmu_fault_status(res);
    if (res->s1ptw)
        iss |= 1u << 7;
    if (!fetch && write && !res->s1ptw)
        iss |= 1u << 6; /* WnR */
    if (!fetch && res->stage2 && !res->s1ptw)
        iss |= data_abort_isv(current_insn(c)); /* for the hypervisor's MMIO emulation */
    unsigned ec = fetch ? (lower ? EC_IABT_LOW : EC_IABT_CUR) : (lower ? EC_DABT_LOW : EC_DABT_CUR);
    struct exc e = {.kind = FAULT_MMU,
                    .target = target,
                    .type = EXC_SYNC,
                    .esr = esr_make(ec, iss),
                    .set_esr = true,
                    .far = va,
                    .set_far = true,
                    .elr = c->pc,
                    .addr = va,
                    .size = 0,
                    .write = write};
    if (res->stage2)
        c->hpfar_el2 = (res->ipa >> 12) << 4; /* HPFAR_EL2.FIPA = IPA[47:12] */
    take(c, &e);
}

/* ---- asynchronous exceptions ---- */

struct async {
    unsigned target;
    enum exc_type type;
    bool virt;
};

static bool line(const struct cpu *c, enum cpu_irq_line l)
{
    return (c->irq_lines >> l) & 1;
}

/* A physical interrupt with routing bit ROUTE and PSTATE mask MASK. */
static bool physical_takeable(const struct cpu *c, uint64_t route, uint32_t mask, unsigned *target)
{
    bool to_el2 = c->have_el2 && (c->hcr_el2 & (route | HCR_TGE));
    if (to_el2) {
        *target = 2;
        return c->el < 2 || !(c->daif & mask);
    }
    *target = 1;
    return c->el < 2 && !(c->daif & mask);
}

static bool virtual_routed(const struct cpu *c, uint64_t route)
{
    return c->have_el2 && (c->hcr_el2 & route) && !(c->hcr_el2 & HCR_TGE) && c->el < 2;
}

static bool async_takeable(const struct cpu *c, struct async *a)
{
    unsigned t;
    if (line(c, CPU_LINE_SERROR) && physical_takeable(c, HCR_AMO, PSR_A, &t)) {
        *a = (struct async){t, EXC_SERROR, false};
        return true;
    }
    if (line(c, CPU_LINE_FIQ) && physical_takeable(c, HCR_FMO, PSR_F, &t)) {
        *a = (struct async){t, EXC_FIQ, false};
        return true;
    }
    if (line(c, CPU_LINE_IRQ) && physical_takeable(c, HCR_IMO, PSR_I, &t)) {
        *a = (struct async){t, EXC_IRQ, false};
        return true;
    }
    if ((c->hcr_el2 & HCR_VSE) && virtual_routed(c, HCR_AMO) && !(c->daif & PSR_A)) {
        *a = (struct async){1, EXC_SERROR, true};
        return true;
    }
    bool vfiq = line(c, CPU_LINE_VFIQ) || (c->hcr_el2 & HCR_VF);
    if (vfiq && virtual_routed(c, HCR_FMO) && !(c->daif & PSR_F)) {
        *a = (struct async){1, EXC_FIQ, true};
        return true;
    }
    bool virq = line(c, CPU_LINE_VIRQ) || (c->hcr_el2 & HCR_VI);
    if (virq && virtual_routed(c, HCR_IMO) && !(c->daif & PSR_I)) {
        *a = (struct async){1, EXC_IRQ, true};
        return true;
    }
    return false;
}

void cpu_update_async(struct cpu *c)
{
    struct async a;
    c->async_pending = async_takeable(c, &a);
    if (c->async_pending)
        cpu_break(c);
}

void exc_take_async(struct cpu *c)
{
    struct async a;
    if (!async_takeable(c, &a)) {
        c->async_pending = false;
        return;
    }
    struct exc e = {.kind = FAULT_IRQ, .target = a.target, .type = a.type, .elr = c->pc};
    if (a.type == EXC_SERROR) {
        e.esr = esr_make(EC_SERROR, 0);
        e.set_esr = true;
        if (a.virt)
            c->hcr_el2 &= ~HCR_VSE; /* taking the virtual SError clears it */
    }
    if (take(c, &e))
        c->interrupts++;
}

/* Would an asserted input wake a PE waiting in WFI/WFE? Physical lines
 * always do, whatever PSTATE masks; virtual ones only where they could be
 * taken (EL1/EL0 with the routing bit set and TGE clear). */
bool exc_wake_pending(const struct cpu *c)
{
    if (line(c, CPU_LINE_IRQ) || line(c, CPU_LINE_FIQ) || line(c, CPU_LINE_SERROR))
        return true;
    if ((line(c, CPU_LINE_VIRQ) || (c->hcr_el2 & HCR_VI)) && virtual_routed(c, HCR_IMO))
        return true;
    if ((line(c, CPU_LINE_VFIQ) || (c->hcr_el2 & HCR_VF)) && virtual_routed(c, HCR_FMO))
        return true;
    return (c->hcr_el2 & HCR_VSE) && virtual_routed(c, HCR_AMO);
}
