/* AArch64 self-hosted debug (Arm ARM D2): breakpoints, watchpoints,
 * software step; BRK lives with the other exception-generating
 * instructions in exception.c.
 *
 * The model in one page:
 *
 * - Whether a debug exception can be generated is one decision,
 *   AArch64.GenerateDebugExceptionsFrom (Arm ARM D2, "Enabling debug exceptions"):
 *   never while the OS Lock or the OS Double Lock is locked; otherwise the
 *   target is EL2 when MDCR_EL2.TDE or HCR_EL2.TGE routes debug exceptions
 *   there, else EL1; they are generated from an EL below the target, and
 *   at the target itself only with MDSCR_EL1.KDE = 1 and PSTATE.D = 0. So
 *   EL2 debugs itself only with TDE (or TGE), KDE and D clear.
 *   dbg_enabled caches the answer for the current EL and PSTATE.D;
 *   debug_update() recomputes it when a register it depends on changes,
 *   debug_context_changed() when only the EL or PSTATE.D do (exception
 *   entry and return, DAIF writes).
 *
 * - Nothing of this is on the fast path. debug_update() also derives two
 *   flags from the registers alone (not from the EL, so that exception
 *   entry and return do not flip them): dbg_insn, set while MDSCR_EL1.MDE
 *   and an enabled breakpoint, or MDSCR_EL1.SS, exist, selects the
 *   stepping run loop (one instruction per dispatch, run_traced.c), which
 *   calls debug_step_pending(), debug_breakpoint() and debug_after_insn()
 *   around each instruction; dbg_wp, set while MDE and an enabled
 *   watchpoint exist, empties the data TLB and keeps it empty, so that
 *   every data access reaches the slow path, which calls
 *   debug_watchpoint() once the access has translated.
 *
 * - Software step follows the Arm ARM state machine (D2, "Software
 *   Step exceptions"): with step enabled, PSTATE.SS = 1 is active-not-
 *   pending (one instruction runs, then PSTATE.SS becomes 0) and
 *   PSTATE.SS = 0 active-pending (the exception is taken before the next
 *   instruction). An exception entry saves PSTATE.SS in SPSR_ELx.SS and
 *   clears it: an instruction that generated the exception (SVC, HVC, SMC)
 *   has completed and cleared PSTATE.SS first, one that faulted has not.
 *   An exception return sets PSTATE.SS from SPSR_ELx.SS only when step was
 *   disabled before the return and is enabled after it.
 *
 * CONSTRAINED UNPREDICTABLE choices (listed in docs/architecture.md):
 *  - a breakpoint type that is reserved here, a link to a breakpoint that
 *    is not context-aware, and a watchpoint MASK of 1 or 2 make the
 *    breakpoint or watchpoint disabled; a watchpoint whose BAS selects no
 *    byte is disabled;
 *  - BAS with a MASK is ignored (the whole masked range is watched); BAS
 *    bits after the first run of ones are ignored; with DBGWVR bit 2 set
 *    BAS[7:4] are ignored; masked DBGWVR bits are ignored (as QEMU does);
 *  - the watchpoint FAR is the lowest address the access touches inside
 *    the watched range;
 *  - the software step syndrome has ISV = 1 only when the step exception
 *    follows an instruction stepped in the same context, without an
 *    exception entry or return in between (ISV = 0 after an ERET, as
 *    QEMU reports it); a pending asynchronous exception is taken before a
 *    pending software step exception.
 */
#include "cpu/cpu_internal.h"

#define BIT(n) (1ull << (n))

/* MDSCR_EL1 */
#define MDSCR_SS  BIT(0)
#define MDSCR_KDE BIT(13)
#define MDSCR_MDE BIT(15)
/* MDCR_EL2 */
#define MDCR_TDE BIT(8)
/* OSDLR_EL1.DLK, DBGPRCR_EL1.CORENPDRQ */
#define OSDLR_DLK         BIT(0)
#define DBGPRCR_CORENPDRQ BIT(0)
/* DBGBCR<n>_EL1 and DBGWCR<n>_EL1 */
#define DBGCR_E BIT(0)

/* ESR_ELx classes (lower EL; the same-EL class is one more) and the
 * fault status code of every debug exception. */
#define EC_BREAKPOINT 0x30
#define EC_STEP       0x32
#define EC_WATCHPOINT 0x34
#define FSC_DEBUG     0x22

static unsigned field(uint64_t v, unsigned lo, unsigned width)
{
    return (unsigned)(v >> lo) & ((1u << width) - 1);
}

static bool have_el2(const struct cpu *c)
{
    return c->have_el2;
}

static bool routed_to_el2(const struct cpu *c)
{
    return have_el2(c) && ((c->mdcr_el2 & MDCR_TDE) || (c->hcr_el2 & HCR_TGE));
}

unsigned debug_target(const struct cpu *c)
{
    return c->el == 2 || routed_to_el2(c) ? 2 : 1;
}

/* AArch64.GenerateDebugExceptionsFrom(FROM, Non-secure, MASK). */
static bool enabled_from(const struct cpu *c, unsigned from, bool mask)
{
    bool double_lock = (c->osdlr_el1 & OSDLR_DLK) && !(c->dbgprcr_el1 & DBGPRCR_CORENPDRQ);
    if (c->os_lock || double_lock)
        return false;
    unsigned target = routed_to_el2(c) ? 2 : 1;
    if (from == target)
        return (c->mdscr_el1 & MDSCR_KDE) && !mask;
    return target > from;
}

void debug_update(struct cpu *c)
{
    bool mde = c->mdscr_el1 & MDSCR_MDE;
    bool bp = false, wp = false;
    for (unsigned n = 0; n < DBG_BRPS; n++)
        bp |= (c->dbgbcr[n] & DBGCR_E) != 0;
    for (unsigned n = 0; n < DBG_WRPS; n++)
        wp |= (c->dbgwcr[n] & DBGCR_E) != 0;
    bool insn = (mde && bp) || (c->mdscr_el1 & MDSCR_SS);
    c->dbg_enabled = enabled_from(c, c->el, c->daif & PSR_D);
    if (insn != c->dbg_insn)
        cpu_break(c); /* the run loop picks the other loop */
    c->dbg_insn = insn;
    if (mde && wp && !c->dbg_wp)
        mem_tlb_drop_data(c);
    c->dbg_wp = mde && wp;
}

void debug_context_changed(struct cpu *c)
{
    c->dbg_enabled = enabled_from(c, c->el, c->daif & PSR_D);
}

/* ---- breakpoints and watchpoints ---- */

/* ELIsInHost(PSTATE.EL): the EL2&0 regime's EL2, or its EL0. */
static bool in_host(const struct cpu *c)
{
    bool e2h = have_el2(c) && (c->hcr_el2 & HCR_E2H);
    return e2h && (c->el == 2 || (c->el == 0 && (c->hcr_el2 & HCR_TGE)));
}

static bool context_aware(unsigned n)
{
    return n >= DBG_BRPS - DBG_CTX_CMPS;
}

/* The breakpoint types (DBGBCR.BT) this PE implements; the others are
 * reserved, and a reserved type here behaves as a disabled breakpoint. */
static bool bt_reserved(const struct cpu *c, unsigned n, unsigned bt)
{
    bool vhe = c->features & CPU_FEAT_VHE;
    if ((bt >> 1) == 2)
        return true; /* 0b010x: address mismatch, AArch32 only */
    if (((bt >> 1) == 3 || (bt >> 2) == 3) && !vhe)
        return true; /* 0b011x, 0b11xx: CONTEXTIDR_EL2 matching */
    if ((bt & 0xa) != 0 && !context_aware(n))
        return true; /* context matching on a breakpoint that is not context-aware */
    if ((bt & 0x8) && !have_el2(c))
        return true; /* VMID matching without EL2 */
    return false;
}

/* The current VMID and the one a breakpoint value holds (8 or 16 bits). */
static bool vmid_match(const struct cpu *c, uint64_t bvr)
{
    bool vmid16 = (c->features & CPU_FEAT_VMID16) && (c->vtcr_el2 & BIT(19));
    uint64_t mask = vmid16 ? 0xffff : 0xff;
    return ((c->vttbr_el2 >> 48) & mask) == ((bvr >> 32) & mask);
}

/* The address bits a breakpoint or watchpoint compares: VA[48:0] (the
 * bits above are the sign extension of bit 48, or a tag). */
#define VA_BITS_MASK (BIT(49) - 1)

/* AArch64.BreakpointValueMatch(N, PC, LINKED_TO). */
static bool bp_value_match(const struct cpu *c, unsigned n, uint64_t pc, bool linked_to)
{
    if (n >= DBG_BRPS)
        return false; /* a link to a breakpoint that does not exist: disabled */
    uint64_t bcr = c->dbgbcr[n], bvr = c->dbgbvr[n];
    if (!(bcr & DBGCR_E))
        return false;
    unsigned bt = field(bcr, 20, 4);
    if (bt_reserved(c, n, bt))
        return false;
    bool match_addr = (bt & 0xa) == 0;                 /* 0b0x0x */
    bool match_vmid = (bt >> 2) == 2;                  /* 0b10xx */
    bool match_cid = (bt >> 1) == 1;                   /* 0b001x */
    bool match_cid1 = (bt >> 1) == 5 || (bt & 6) == 6; /* 0b101x, 0bx11x */
    bool match_cid2 = (bt >> 2) == 3;                  /* 0b11xx */
    bool linked = bt & 1;
    if (linked_to && (!linked || match_addr))
        return false;
    if (!linked_to && linked && !match_addr)
        return false;
    bool el10 = c->el < 2;
    bool bvr_match = true, bxvr_match = true;
    if (match_addr)
        bvr_match = ((pc ^ bvr) & VA_BITS_MASK & ~3ull) == 0;
    else if (match_cid)
        bvr_match = in_host(c) ? c->contextidr[2] == (uint32_t)bvr
                               : el10 && c->contextidr[1] == (uint32_t)bvr;
    else if (match_cid1)
        bvr_match = el10 && !in_host(c) && c->contextidr[1] == (uint32_t)bvr;
    if (match_vmid)
        bxvr_match = el10 && have_el2(c) && !in_host(c) && vmid_match(c, bvr);
    else if (match_cid2)
        bxvr_match = c->contextidr[2] == (bvr >> 32);
    return bvr_match && bxvr_match;
}

/* AArch64.StateMatch(SSC, HMC, PxC, linked, LBN, isbreakpnt, ispriv) for
 * a Non-secure PE with no EL3. */
static bool state_match(const struct cpu *c, uint64_t ctl, bool linked, bool breakpoint, bool priv)
{
    unsigned pxc = field(ctl, 1, 2), hmc = field(ctl, 13, 1), ssc = field(ctl, 14, 2);
    unsigned lbn = field(ctl, 16, 4);
    bool el2_match = have_el2(c) && ((hmc && ((ssc << 2 | pxc) != 0x8)) || ssc == 3);
    bool el1_match = pxc & 1, el0_match = pxc & 2;
    bool priv_match;
    if (!priv && !breakpoint)
        priv_match = el0_match;
    else
        priv_match = c->el == 2 ? el2_match : c->el == 1 ? el1_match : el0_match;
    /* SSC: 0b00 both states, 0b01 Non-secure, 0b10 Secure only, 0b11
     * with HMC both, else Secure only. */
    bool security_match = ssc == 0 || ssc == 1 || (ssc == 3 && hmc);
    if (!priv_match || !security_match)
        return false;
    if (linked && !context_aware(lbn))
        return false; /* linked to a breakpoint that is not context-aware: disabled */
    return !linked || bp_value_match(c, lbn, 0, true);
}

static bool bp_match(const struct cpu *c, unsigned n, uint64_t pc)
{
    uint64_t bcr = c->dbgbcr[n];
    if (!(bcr & DBGCR_E))
        return false;
    /* An address breakpoint may be linked (BT 0b0001) to a context one. */
    bool linked = field(bcr, 20, 4) == 1;
    return bp_value_match(c, n, pc, false) && state_match(c, bcr, linked, true, true);
}

bool debug_breakpoint(struct cpu *c)
{
    if (!c->dbg_enabled || !(c->mdscr_el1 & MDSCR_MDE))
        return false;
    for (unsigned n = 0; n < DBG_BRPS; n++) {
        if (bp_match(c, n, c->pc)) {
            exc_debug(c, EC_BREAKPOINT, FSC_DEBUG, 0, false);
            return true;
        }
    }
    return false;
}

/* The bytes watchpoint N watches: [*LO, *LO + *LEN) in VA[48:0]; false
 * when it watches none. */
static bool wp_range(const struct cpu *c, unsigned n, uint64_t *lo, uint64_t *len)
{
    uint64_t wcr = c->dbgwcr[n], wvr = c->dbgwvr[n] & VA_BITS_MASK;
    unsigned mask = field(wcr, 24, 5);
    if (mask == 1 || mask == 2)
        return false; /* reserved MASK values: disabled */
    if (mask) {
        *len = 1ull << mask;
        *lo = wvr & ~(*len - 1);
        return true;
    }
    unsigned bas = field(wcr, 5, 8);
    if (wvr & 4)
        bas &= 0xf; /* a word-aligned DBGWVR: BAS[3:0] select its bytes */
    if (!bas)
        return false;
    unsigned first = (unsigned)__builtin_ctz(bas);
    *lo = (wvr & ~3ull) + first;
    *len = (uint64_t)__builtin_ctz(~(bas >> first));
    return true;
}

bool debug_watchpoint(struct cpu *c, uint64_t va, unsigned size, bool write, bool priv)
{
    if (!c->dbg_enabled)
        return false;
    uint64_t a = va & VA_BITS_MASK;
    for (unsigned n = 0; n < DBG_WRPS; n++) {
        uint64_t wcr = c->dbgwcr[n], lo, len;
        if (!(wcr & DBGCR_E) || !(field(wcr, 3, 2) & (write ? 2 : 1)))
            continue; /* LSC: bit 0 loads, bit 1 stores */
        if (!wp_range(c, n, &lo, &len) || a >= lo + len || lo >= a + size)
            continue;
        if (!state_match(c, wcr, field(wcr, 20, 1), false, priv))
            continue;
        uint64_t far = a >= lo ? va : va + (lo - a);
        c->insns--; /* the access's instruction does not retire */
        exc_debug(c, EC_WATCHPOINT, FSC_DEBUG | (write ? BIT(6) : 0), far, true);
        return true;
    }
    return false;
}

/* ---- software step ---- */

static bool step_enabled(const struct cpu *c)
{
    return (c->mdscr_el1 & MDSCR_SS) && c->dbg_enabled;
}

bool debug_step_pending(struct cpu *c)
{
    c->ss_written = false;
    if (!step_enabled(c) || c->ss)
        return false;
    uint32_t iss = FSC_DEBUG;
    if (c->ss_stepped)
        iss |= (1u << 24) | (c->ss_ex ? 1u << 6 : 0); /* ISV, EX */
    exc_debug(c, EC_STEP, iss, 0, false);
    return true;
}

/* LDXR, LDAXR, LDXP, LDAXP of any size: load/store exclusive with L = 1
 * and o2 = 0. */
static bool load_exclusive(uint32_t raw)
{
    return (raw & 0x3fc00000u) == 0x08400000u;
}

void debug_after_insn(struct cpu *c, const struct insn *in)
{
    /* SSAdvance(): the instruction completed without an exception entry
     * or return (those set PSTATE.SS themselves). */
    if (c->ss_written || !c->ss || !(c->mdscr_el1 & MDSCR_SS))
        return;
    c->ss = false;
    c->ss_stepped = true;
    c->ss_ex = load_exclusive(in->raw);
}

void debug_ss_advance(struct cpu *c)
{
    if (c->ss && (c->mdscr_el1 & MDSCR_SS))
        c->ss = false;
}

bool debug_return_ss(const struct cpu *c, bool enabled_at_source, uint64_t spsr)
{
    if (!(c->mdscr_el1 & MDSCR_SS) || enabled_at_source)
        return false;
    return enabled_from(c, c->el, spsr & PSR_D) && (spsr & PSR_SS);
}
