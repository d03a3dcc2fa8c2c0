/* Branches, exception generation and system instructions (Arm ARM C4.1.87
 * "Branches, Exception Generating and System instructions"). */
#include "cpu/decode.h"

#define X(r)    (c->x[(r)])
#define NEXT(c) ((c)->pc += 4)

/* ---- B, BL ---- */

static void exec_B(struct cpu *c, const struct insn *in)
{
    c->pc += (uint64_t)in->imm;
}

static void exec_BL(struct cpu *c, const struct insn *in)
{
    X(30) = c->pc + 4;
    c->pc += (uint64_t)in->imm;
}

bool trans_B(struct insn *in, uint32_t raw)
{
    in->imm = sbits(raw, 25, 0) * 4;
    in->fn = bit(raw, 31) ? exec_BL : exec_B;
    return true;
}

/* ---- B.cond ---- */

static void exec_B_cond(struct cpu *c, const struct insn *in)
{
    c->pc += cond_holds(c->nzcv, in->size) ? (uint64_t)in->imm : 4;
}

bool trans_B_cond(struct insn *in, uint32_t raw)
{
    in->imm = sbits(raw, 23, 5) * 4;
    in->size = (uint8_t)bits(raw, 3, 0);
    in->fn = exec_B_cond;
    return true;
}

/* ---- CBZ, CBNZ ---- */

static void exec_CBZ(struct cpu *c, const struct insn *in)
{
    uint64_t v = in->sf ? X(in->rd) : (uint32_t)X(in->rd);
    c->pc += v == 0 ? (uint64_t)in->imm : 4;
}

static void exec_CBNZ(struct cpu *c, const struct insn *in)
{
    uint64_t v = in->sf ? X(in->rd) : (uint32_t)X(in->rd);
    c->pc += v != 0 ? (uint64_t)in->imm : 4;
}

bool trans_CB(struct insn *in, uint32_t raw)
{
    in->sf = bit(raw, 31);
    in->imm = sbits(raw, 23, 5) * 4;
    in->rd = reg_zr(bits(raw, 4, 0)); /* Rt is read only */
    in->fn = bit(raw, 24) ? exec_CBNZ : exec_CBZ;
    return true;
}

/* ---- TBZ, TBNZ ---- */

static void exec_TBZ(struct cpu *c, const struct insn *in)
{
    c->pc += ((X(in->rd) >> in->size) & 1) == 0 ? (uint64_t)in->imm : 4;
}

static void exec_TBNZ(struct cpu *c, const struct insn *in)
{
    c->pc += ((X(in->rd) >> in->size) & 1) != 0 ? (uint64_t)in->imm : 4;
}

bool trans_TB(struct insn *in, uint32_t raw)
{
    in->size = (uint8_t)((bit(raw, 31) << 5) | bits(raw, 23, 19));
    in->imm = sbits(raw, 18, 5) * 4;
    in->rd = reg_zr(bits(raw, 4, 0));
    in->fn = bit(raw, 24) ? exec_TBNZ : exec_TBZ;
    return true;
}

/* ---- BR, BLR, RET ---- */

static void exec_BR(struct cpu *c, const struct insn *in)
{
    c->pc = X(in->rn);
}

static void exec_BLR(struct cpu *c, const struct insn *in)
{
    uint64_t target = X(in->rn); /* read before X30 is written: BLR X30 */
    X(30) = c->pc + 4;
    c->pc = target;
}

bool trans_BR_reg(struct insn *in, uint32_t raw)
{
    in->rn = reg_zr(bits(raw, 9, 5));
    switch (bits(raw, 24, 21)) {
    case 0: in->fn = exec_BR; return true;  /* BR */
    case 1: in->fn = exec_BLR; return true; /* BLR */
    case 2: in->fn = exec_BR; return true;  /* RET */
    default:
        /* ERET and DRPS need the exception model; the PAuth forms
         * (op3 != 0, matched out by the pattern) are not implemented. */
        return false;
    }
}

/* ---- SVC, HVC, SMC, BRK, HLT ---- */

enum { EXC_SVC, EXC_HVC, EXC_SMC, EXC_BRK, EXC_HLT };

static void firmware_call(struct cpu *c, enum cpu_call kind, uint32_t imm)
{
    /* A PE with no firmware behaves as one with nothing at higher ELs. */
    enum cpu_call_result r =
        c->hooks.call ? c->hooks.call(c->hooks.opaque, c, kind, imm) : CALL_UNHANDLED;
    switch (r) {
    case CALL_DONE: NEXT(c); return;
    case CALL_STOP:
        NEXT(c);
        c->state = CPU_HALTED;
        cpu_break(c);
        return;
    case CALL_UNHANDLED:
        /* HVC with no EL2 and SMC with no EL3 are UNDEFINED (Arm ARM
         * C6.2 HVC, SMC); the firmware serves only the conduit it owns. */
        cpu_raise_fault(c, FAULT_UNDEFINED, 0, 0, false);
        return;
    }
}

static void exec_EXCEPTION(struct cpu *c, const struct insn *in)
{
    uint32_t imm = (uint32_t)in->imm;
    switch (in->op) {
    case EXC_HVC: firmware_call(c, CPU_CALL_HVC, imm); return;
    case EXC_SMC: firmware_call(c, CPU_CALL_SMC, imm); return;
    case EXC_HLT:
        /* HLT #0xF000 is the A64 semihosting trap; any other HLT is
         * UNDEFINED because halting debug is never enabled here. */
        if (imm == 0xF000) {
            firmware_call(c, CPU_CALL_SEMIHOST, imm);
            return;
        }
        cpu_raise_fault(c, FAULT_UNDEFINED, 0, 0, false);
        return;
    default: /* SVC, BRK: synchronous exceptions, not modelled yet */
        cpu_raise_fault(c, FAULT_EXCEPTION, 0, 0, false);
        return;
    }
}

bool trans_EXCEPTION(struct insn *in, uint32_t raw)
{
    unsigned opc = bits(raw, 23, 21), ll = bits(raw, 1, 0);
    in->imm = bits(raw, 20, 5);
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
    NEXT(c);
}

static void exec_WFI(struct cpu *c, const struct insn *in)
{
    (void)in;
    NEXT(c);
    c->state = CPU_WAIT_WFI;
    cpu_break(c);
}

static void exec_WFE(struct cpu *c, const struct insn *in)
{
    (void)in;
    NEXT(c);
    /* Arm ARM D1.6.1: if the event register is set, WFE clears it and
     * completes at once; otherwise the PE waits for an event. */
    if (c->event_register) {
        c->event_register = false;
        return;
    }
    c->state = CPU_WAIT_WFE;
    cpu_break(c);
}

static void exec_SEVL(struct cpu *c, const struct insn *in)
{
    (void)in;
    c->event_register = true;
    NEXT(c);
}

static void exec_SEV(struct cpu *c, const struct insn *in)
{
    (void)in;
    /* A multi-PE machine broadcasts the event; with one PE the only
     * effect is on the sender's own event register. */
    c->event_register = true;
    NEXT(c);
}

bool trans_HINT(struct insn *in, uint32_t raw)
{
    unsigned crm_op2 = (bits(raw, 11, 8) << 3) | bits(raw, 7, 5);
    switch (crm_op2) {
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
    NEXT(c);
}

bool trans_BARRIER(struct insn *in, uint32_t raw)
{
    unsigned op2 = bits(raw, 7, 5);
    switch (op2) {
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

static void exec_DAIFSet(struct cpu *c, const struct insn *in)
{
    c->daif |= (uint32_t)in->imm << 6;
    NEXT(c);
}

static void exec_DAIFClr(struct cpu *c, const struct insn *in)
{
    c->daif &= ~((uint32_t)in->imm << 6);
    NEXT(c);
}

bool trans_MSR_imm(struct insn *in, uint32_t raw)
{
    unsigned op1 = bits(raw, 18, 16), op2 = bits(raw, 7, 5);
    in->imm = bits(raw, 11, 8);
    if (op1 == 3 && op2 == 6) {
        in->fn = exec_DAIFSet;
        return true;
    }
    if (op1 == 3 && op2 == 7) {
        in->fn = exec_DAIFClr;
        return true;
    }
    /* SPSel, UAO, PAN, DIT, SSBS, ...: not modelled yet, UNDEFINED. */
    return false;
}

/* ---- MRS, MSR (register) ---- */

/* imm = index into the system register table. */
static void exec_MRS(struct cpu *c, const struct insn *in)
{
    uint64_t v;
    if (!sysreg_read(c, (int)in->imm, &v)) {
        cpu_raise_fault(c, FAULT_UNDEFINED, 0, 0, false);
        return;
    }
    X(in->rd) = v;
    NEXT(c);
}

static void exec_MSR(struct cpu *c, const struct insn *in)
{
    if (!sysreg_write(c, (int)in->imm, X(in->rd))) {
        cpu_raise_fault(c, FAULT_UNDEFINED, 0, 0, false);
        return;
    }
    NEXT(c);
}

bool trans_MRS_MSR_reg(struct insn *in, uint32_t raw)
{
    int idx = sysreg_find(bits(raw, 20, 5));
    if (idx < 0)
        return false;
    bool read = bit(raw, 21);
    in->imm = idx;
    in->rd = read ? reg_zr_dst(bits(raw, 4, 0)) : reg_zr(bits(raw, 4, 0));
    in->fn = read ? exec_MRS : exec_MSR;
    return true;
}
