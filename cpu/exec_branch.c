/* Branches, exception generation and system instructions (Arm ARM C4.1.87
 * "Branches, Exception Generating and System instructions"). */
#include "cpu/decode.h"

#define X(r) (c->x[(r)])

/* ---- B, BL ---- */

static void exec_B(struct cpu *c, const struct insn *in)
{
    insn_jump(c, in, in->imm);
}

static void exec_BL(struct cpu *c, const struct insn *in)
{
    X(30) = c->pc + 4;
    insn_jump(c, in, in->imm);
}

bool trans_B(struct insn *in, const struct insn_fields *f)
{
    in->imm = field_sext(f->imm, f->width.imm) * 4;
    in->fn = f->op ? exec_BL : exec_B;
    return true;
}

/* ---- B.cond ---- */

/* One handler per condition, so that the test folds to a flag or two. */
#define B_COND(COND)                                                                               \
    static void exec_B_cond_##COND(struct cpu *c, const struct insn *in)                           \
    {                                                                                              \
        insn_jump(c, in, cond_holds_const(c, COND) ? in->imm : 4);                                 \
    }
B_COND(0)
B_COND(1)
B_COND(2)
B_COND(3)
B_COND(4)
B_COND(5)
B_COND(6)
B_COND(7)
B_COND(8)
B_COND(9)
B_COND(10)
B_COND(11)
B_COND(12)
B_COND(13)

static const insn_fn b_cond[14] = {
    exec_B_cond_0,  exec_B_cond_1,  exec_B_cond_2,  exec_B_cond_3,  exec_B_cond_4,
    exec_B_cond_5,  exec_B_cond_6,  exec_B_cond_7,  exec_B_cond_8,  exec_B_cond_9,
    exec_B_cond_10, exec_B_cond_11, exec_B_cond_12, exec_B_cond_13,
};

bool trans_B_cond(struct insn *in, const struct insn_fields *f)
{
    unsigned cond = f->cond;
    in->imm = field_sext(f->imm, f->width.imm) * 4;
    in->size = (uint8_t)cond;
    /* AL and NV (which behaves as AL) always branch. */
    in->fn = cond < 14 ? b_cond[cond] : exec_B;
    return true;
}

/* ---- CBZ, CBNZ ---- */

static void exec_CBZ(struct cpu *c, const struct insn *in)
{
    uint64_t v = in->sf ? X(in->rd) : (uint32_t)X(in->rd);
    insn_jump(c, in, v == 0 ? in->imm : 4);
}

static void exec_CBNZ(struct cpu *c, const struct insn *in)
{
    uint64_t v = in->sf ? X(in->rd) : (uint32_t)X(in->rd);
    insn_jump(c, in, v != 0 ? in->imm : 4);
}

bool trans_CB(struct insn *in, const struct insn_fields *f)
{
    in->sf = (uint8_t)f->sf;
    in->imm = field_sext(f->imm, f->width.imm) * 4;
    in->rd = reg_zr(f->Rt); /* Rt is read only */
    in->fn = f->op ? exec_CBNZ : exec_CBZ;
    return true;
}

/* ---- TBZ, TBNZ ---- */

static void exec_TBZ(struct cpu *c, const struct insn *in)
{
    insn_jump(c, in, ((X(in->rd) >> in->size) & 1) == 0 ? in->imm : 4);
}

static void exec_TBNZ(struct cpu *c, const struct insn *in)
{
    insn_jump(c, in, ((X(in->rd) >> in->size) & 1) != 0 ? in->imm : 4);
}

bool trans_TB(struct insn *in, const struct insn_fields *f)
{
    in->size = (uint8_t)f->bit_pos;
    in->imm = field_sext(f->imm, f->width.imm) * 4;
    in->rd = reg_zr(f->Rt);
    in->fn = f->op ? exec_TBNZ : exec_TBZ;
    return true;
}

/* ---- BR, BLR, RET ---- */

static void exec_BR(struct cpu *c, const struct insn *in)
{
    c->pc = X(in->rn);
}

static void exec_ERET(struct cpu *c, const struct insn *in)
{
    (void)in;
    exc_eret(c);
}

static void exec_BLR(struct cpu *c, const struct insn *in)
{
    uint64_t target = X(in->rn); /* read before X30 is written: BLR X30 */
    X(30) = c->pc + 4;
    c->pc = target;
}

bool trans_BR_reg(struct insn *in, const struct insn_fields *f)
{
    in->rn = reg_zr(f->Rn);
    switch (f->opc) {
    case 0: in->fn = exec_BR; return true;  /* BR */
    case 1: in->fn = exec_BLR; return true; /* BLR */
    case 2: in->fn = exec_BR; return true;  /* RET */
    case 4:
        if (f->Rn != 31)
            return false;
        in->fn = exec_ERET; /* ERET */
        return true;
    default:
        /* DRPS is UNDEFINED outside Debug state; the PAuth forms (op3 != 0,
         * matched out by the pattern) are not implemented. */
        return false;
    }
}

/* ---- SVC, HVC, SMC, BRK, HLT ---- */

enum { EXC_SVC, EXC_HVC, EXC_SMC, EXC_BRK, EXC_HLT };

static void semihosting_call(struct cpu *c)
{
    enum cpu_call_result r = c->hooks.call
                                 ? c->hooks.call(c->hooks.opaque, c, CPU_CALL_SEMIHOST, 0xF000)
                                 : CALL_UNHANDLED;
    switch (r) {
    case CALL_DONE: pc_advance(c); return;
    case CALL_STOP:
        pc_advance(c);
        c->state = CPU_HALTED;
        cpu_break(c);
        return;
    case CALL_OFF:
        pc_advance(c);
        cpu_power_off(c);
        return;
    case CALL_UNHANDLED: cpu_raise_fault(c, FAULT_UNDEFINED, 0, 0, false); return;
    }
}

static void exec_EXCEPTION(struct cpu *c, const struct insn *in)
{
    uint16_t imm = (uint16_t)in->imm;
    switch (in->op) {
    case EXC_SVC: exc_svc(c, imm); return;
    case EXC_HVC: exc_hvc(c, imm); return;
    case EXC_SMC: exc_smc(c, imm); return;
    case EXC_BRK: exc_brk(c, imm); return;
    default:
        /* HLT #0xF000 is the A64 semihosting trap; any other HLT is
         * UNDEFINED because halting debug is never enabled. */
        if (imm == 0xF000)
            semihosting_call(c);
        else
            cpu_raise_fault(c, FAULT_UNDEFINED, 0, 0, false);
        return;
    }
}

bool trans_EXCEPTION(struct insn *in, const struct insn_fields *f)
{
    unsigned opc = f->opc, ll = f->LL;
    in->imm = f->imm;
    if (opc == 0 && ll >= 1) {
        in->op = (uint8_t)(ll == 1 ? EXC_SVC : ll == 2 ? EXC_HVC : EXC_SMC);
    } else if (opc == 1 && ll == 0) {
        in->op = EXC_BRK;
    } else if (opc == 2 && ll == 0) {
        in->op = EXC_HLT;
    } else {
        return false; /* DCPS1-3 (UNDEFINED outside Debug state) and unallocated */
    }
    in->fn = exec_EXCEPTION;
    return true;
}

/* ---- hints: NOP, YIELD, WFE, WFI, SEV, SEVL, and the rest of the space ---- */

static void exec_NOP(struct cpu *c, const struct insn *in)
{
    (void)in;
    insn_next(c, in);
}

static void exec_WFI(struct cpu *c, const struct insn *in)
{
    (void)in;
    if (exc_wfx_trapped(c, false))
        return;
    pc_advance(c);
    /* A wake-up event already pending (an asserted interrupt, masked or
     * not) completes WFI at once. */
    if (exc_wake_pending(c))
        return;
    c->state = CPU_WAIT_WFI;
    cpu_break(c);
}

static void exec_WFE(struct cpu *c, const struct insn *in)
{
    (void)in;
    if (exc_wfx_trapped(c, true))
        return;
    pc_advance(c);
    /* Arm ARM D1.16.1: if the event register is set, WFE clears it and
     * completes at once; otherwise the PE waits for an event. */
    evstream_settle(c);
    if (c->event_register) {
        c->event_register = false;
        return;
    }
    if (exc_wake_pending(c))
        return;
    c->state = CPU_WAIT_WFE;
    cpu_break(c);
}

static void exec_SEVL(struct cpu *c, const struct insn *in)
{
    (void)in;
    c->event_register = true;
    insn_next(c, in);
}

static void exec_SEV(struct cpu *c, const struct insn *in)
{
    (void)in;
    /* The event reaches every PE, the sender included (Arm ARM D1.16.1),
     * and wakes those waiting in WFE. */
    struct code_cache *cc = c->code;
    for (unsigned i = 0; i < cc->ncpus; i++) {
        struct cpu *pe = cc->cpus[i];
        pe->event_register = true;
        if (pe->state == CPU_WAIT_WFE) {
            pe->event_register = false;
            cpu_wake(pe, c->cycles);
        }
    }
    insn_next(c, in);
}

bool trans_HINT(struct insn *in, const struct insn_fields *f)
{
    switch (f->CRm << 3 | f->op2) {
    case 2: in->fn = exec_WFE; return true;
    case 3: in->fn = exec_WFI; return true;
    case 4: in->fn = exec_SEV; return true;
    case 5: in->fn = exec_SEVL; return true;
    default:
        /* NOP, YIELD, and every hint of an unimplemented feature (ESB,
         * PSB, CSDB, BTI, PAC*SP, ...): the architecture reserves the whole
         * space to execute as NOP (Arm ARM C6.2 "HINT"). */
        in->fn = exec_NOP;
        return true;
    }
}

/* ---- barriers: CLREX, DSB, DMB, ISB ---- */

static void exec_CLREX(struct cpu *c, const struct insn *in)
{
    (void)in;
    c->excl_valid = false;
    insn_next(c, in);
}

bool trans_BARRIER(struct insn *in, const struct insn_fields *f)
{
    switch (f->op2) {
    case 2: in->fn = exec_CLREX; return true;
    case 4: /* DSB (and SSBB/PSSBB, which are DSB encodings) */
    case 5: /* DMB */
    case 6: /* ISB */
        /* One PE, in order, no caches and no write buffer: every barrier
         * is already satisfied. Multi-PE runs stay sequentially consistent
         * because PEs interleave at instruction boundaries. */
        in->fn = exec_NOP;
        return true;
    default: return false; /* SB, DSB nXS, unallocated */
    }
}

/* ---- MSR (immediate): DAIFSet, DAIFClr ---- */

/* MSR DAIFSet/DAIFClr at EL0 needs SCTLR_EL1.UMA, else it traps to EL1
 * (Arm ARM D1.x, "Accessing PSTATE fields at EL0"): ISS as for an MSR
 * (immediate) with Op0 = 0, Rt = 31. */
static bool daif_access_trapped(struct cpu *c, const struct insn *in)
{
    if (c->el != 0 || (c->sctlr[1] & (1ull << 9)))
        return false;
    uint32_t iss = (bits(in->raw, 7, 5) << 17) | (bits(in->raw, 18, 16) << 14) | (4u << 10) |
                   (31u << 5) | ((uint32_t)bits(in->raw, 11, 8) << 1);
    exc_sysreg_trap(c, (c->have_el2 && (c->hcr_el2 & HCR_TGE)) ? 2 : 1, iss);
    return true;
}

static void exec_DAIFSet(struct cpu *c, const struct insn *in)
{
    if (daif_access_trapped(c, in))
        return;
    c->daif |= (uint32_t)in->imm << 6;
    pc_advance(c);
    cpu_daif_changed(c);
    if (in->imm & 8)
        debug_context_changed(c); /* PSTATE.D */
}

static void exec_DAIFClr(struct cpu *c, const struct insn *in)
{
    if (daif_access_trapped(c, in))
        return;
    c->daif &= ~((uint32_t)in->imm << 6);
    pc_advance(c);
    cpu_daif_changed(c);
    if (in->imm & 8)
        debug_context_changed(c); /* PSTATE.D */
    /* Unmasking takes effect for the next instruction: a pending
     * interrupt is taken at this boundary. */
    cpu_update_async(c);
}

static void exec_SPSel(struct cpu *c, const struct insn *in)
{
    if (c->el == 0) {
        cpu_raise_fault(c, FAULT_UNDEFINED, 0, 0, false);
        return;
    }
    cpu_set_el_sp(c, c->el, in->imm & 1);
    insn_next(c, in);
}

/* MSR PAN, #imm (FEAT_PAN): UNDEFINED at EL0 and on a profile without
 * PAN. The decoded code is shared by every PE, so the profile is checked
 * here rather than at decode. PAN changes what EL1 may access: the PE
 * switches to the TLB set of the new PAN and the loop stops, as for an
 * MSR PAN. */
static void exec_PAN_imm(struct cpu *c, const struct insn *in)
{
    if (c->el == 0 || !c->pan_implemented) {
        cpu_raise_fault(c, FAULT_UNDEFINED, 0, 0, false);
        return;
    }
    c->pan = in->imm & 1;
    mem_tlb_switch(c);
    cpu_break(c);
    insn_next(c, in);
}

bool trans_MSR_imm(struct insn *in, const struct insn_fields *f)
{
    unsigned op1 = f->op1, op2 = f->op2;
    in->imm = f->CRm;
    if (op1 == 3 && op2 == 6) {
        in->fn = exec_DAIFSet;
        return true;
    }
    if (op1 == 3 && op2 == 7) {
        in->fn = exec_DAIFClr;
        return true;
    }
    if (op1 == 0 && op2 == 5) {
        in->fn = exec_SPSel; /* EL0 access is UNDEFINED: checked by the handler */
        return true;
    }
    if (op1 == 0 && op2 == 4) {
        in->fn = exec_PAN_imm; /* the profile and EL are checked by the handler */
        return true;
    }
    /* UAO, DIT, SSBS, ...: not implemented, UNDEFINED. */
    return false;
}

/* ---- MRS, MSR (register) ---- */

/* The checks, traps and VHE redirection are cpu/sysreg.c's; a false
 * return means the exception was taken and the PE moves on from there. */
static void exec_MRS(struct cpu *c, const struct insn *in)
{
    struct sysreg_read r = sysreg_mrs(c, in);
    if (!r.ok)
        return;
    X(in->rd) = r.value;
    insn_next(c, in);
}

static void exec_MSR(struct cpu *c, const struct insn *in)
{
    if (!sysreg_msr(c, in, X(in->rd)))
        return;
    insn_next(c, in);
}

bool trans_MRS_MSR_reg(struct insn *in, const struct insn_fields *f)
{
    if (!sysreg_decode(in, f->raw))
        return false;
    bool read = f->L;
    in->rd = read ? reg_zr_dst(f->Rt) : reg_zr(f->Rt);
    in->fn = read ? exec_MRS : exec_MSR;
    return true;
}
