/*
 * A randomized differential test of the GICv3 virtual CPU interface: QEMU 7.2
 * and a64sim must print exactly the same.
 *
 * The image starts at EL2 (a64sim --el 2, QEMU virtualization=on). A
 * fixed-seed xorshift64 drives ROUNDS rounds; each round makes a few random
 * EL2 writes (ICH_LR<n>_EL2, ICH_HCR_EL2, ICH_VMCR_EL2, ICH_AP0R0/AP1R0_EL2),
 * then a few EL1 steps. An EL1 step is one lower_call() (runtime vectors.h)
 * into el1_batch(), which runs a short list of ICC_* accesses with
 * HCR_EL2.IMO = FMO = 1, so they reach ICV_*, and returns with HVC; PSTATE.DAIF
 * stays set at EL1, so no virtual interrupt is taken. After each round the
 * host folds the whole virtual interface (ICH_HCR_EL2 with EOIcount,
 * ICH_VMCR_EL2, every LR, ICH_AP0R0/AP1R0_EL2, ICH_MISR/EISR/ELRSR_EL2) and
 * every value the EL1 reads returned into a checksum, printed with the state
 * every CHECK_EVERY rounds.
 *
 * The host decides each state-changing EL1 access from the interface's real
 * state, read through ICH_* just before the step, so that only cases the
 * specification (IHI 0069) defines and both implementations treat alike are
 * generated. Left out, with the reason:
 *  - vLPIs (vINTID 8192 and up), HW = 1 LRs (no physical interrupt mapped),
 *    vINTIDs 1020-1022, and vINTID 1023 other than pending with EOI = 0;
 *  - two LRs with the same vINTID;
 *  - ICH_HCR_EL2.VGrp0DIE (QEMU 7.2 tests VENG1 for MISR.VGrp0D), TDIR, TC,
 *    TALL0/1 (traps), TSEI (RES0 on a64sim);
 *  - VPMR with its unimplemented low bits set, VBPR0/1 below their minimum,
 *    through ICH_VMCR_EL2 (QEMU keeps all 8 VPMR bits);
 *  - ICV_EOIR0/1_EL1 with no active virtual priority, of the group other
 *    than the priority being dropped, for an interrupt whose LR is of the
 *    other group or at another group priority than the one dropped, or out
 *    of the order of acknowledge (only the most recent acknowledged, still
 *    active interrupt is ended; the host keeps the stack); with VEOIM = 1, of
 *    a vINTID no LR holds active (QEMU counts it in EOIcount). With VEOIM = 0
 *    an EOIR of a vINTID in no LR (EOIcount + 1) is made when the priority
 *    being dropped is no longer that of the interrupt on the stack top;
 *  - ICV_DIR_EL1 with VEOIM = 0, or of an interrupt whose priority has not
 *    been dropped; it is written only for an interrupt this test
 *    acknowledged and EOIed with VEOIM = 1, or for a vINTID in no LR;
 *  - VEOIM going from 1 to 0 while such an interrupt waits for its DIR;
 *  - ICH_AP/ICV_AP writes other than: (EL1) writing back the value read;
 *    (EL2) the bits of the interrupts this test acknowledged and has not
 *    ended, the value read, or (rarely) zero;
 *  - an ICV_IAR read whose answer depends on whether the running priority is
 *    cut by the pending interrupt's binary point (QEMU 7.2 cuts it; a64sim,
 *    like KVM's __vgic_v3_read_iar, does not); counted as "IAR left out";
 *  - ICH_VTR_EL2.IDbits and ICV_CTLR_EL1.IDbits (QEMU 24 bits, a64sim 16).
 */
#include "gic_common.h"
#include "vectors.h"
#include "vgic.h"

#define ROUNDS      1000
#define CHECK_EVERY 50
#define SEED        0x9e3779b97f4a7c15ull

#define HCR_EL2_FMO (1ull << 3)
#define HCR_EL2_IMO (1ull << 4)
#define HCR_EL2_RW  (1ull << 31)

#define SCTLR_EL1_MMU_OFF 0x30d00818ull
#define SPSR_EL1H_MASKED  0x3c5ull
#define EC_HVC64          0x16

#define ICH_AP0R0_EL2 "S3_4_C12_C8_0"
#define ICH_AP1R0_EL2 "S3_4_C12_C9_0"

/* ICH_HCR_EL2 bits the generator sets. */
#define HCR_EN             (1u << 0)
#define HCR_UIE            (1u << 1)
#define HCR_LRENPIE        (1u << 2)
#define HCR_NPIE           (1u << 3)
#define HCR_VGRP0EIE       (1u << 4)
#define HCR_VGRP1EIE       (1u << 6)
#define HCR_VGRP1DIE       (1u << 7)
#define HCR_EOICOUNT_SHIFT 27
#define HCR_EOICOUNT_MASK  (0x1fu << HCR_EOICOUNT_SHIFT)

#define VMCR_VENG0       (1u << 0)
#define VMCR_VENG1       (1u << 1)
#define VMCR_VFIQEN      (1u << 3)
#define VMCR_VCBPR       (1u << 4)
#define VMCR_VEOIM       (1u << 9)
#define VMCR_VBPR1_SHIFT 18
#define VMCR_VBPR0_SHIFT 21
#define VMCR_VPMR_SHIFT  24

#define LR_STATE_SHIFT 62
#define LR_ACTIVE      (1ull << 63)
#define LR_PENDING     (1ull << 62)
#define LR_GROUP1      (1ull << 60)
#define LR_EOI         (1ull << 41)

#define CTLR_IDBITS (7ull << 11)
#define VTR_IDBITS  (7ull << 23)

#define MAX_LRS   16
#define MAX_OPS   8
#define STACK_MAX 8

/* ---- what EL1 runs ---- */

enum op_kind {
    OP_NONE,
    /* reads that change nothing */
    OP_HPPIR0,
    OP_HPPIR1,
    OP_RPR,
    OP_BPR0,
    OP_BPR1,
    OP_CTLR,
    OP_PMR,
    OP_IGRPEN0,
    OP_IGRPEN1,
    OP_AP0R0,
    OP_AP1R0,
    OP_NUM_SAFE_READS = OP_AP1R0,
    /* acknowledge */
    OP_IAR0,
    OP_IAR1,
    /* writes */
    OP_EOIR0,
    OP_EOIR1,
    OP_DIR,
    OP_W_PMR,
    OP_W_BPR0,
    OP_W_BPR1,
    OP_W_CTLR,
    OP_W_IGRPEN0,
    OP_W_IGRPEN1,
    OP_RW_AP0R0,
    OP_RW_AP1R0,
    OP_COUNT,
};

static const char *const op_names[OP_COUNT] = {
    "none",      "HPPIR0",    "HPPIR1",   "RPR",      "BPR0",   "BPR1",   "CTLR",
    "PMR",       "IGRPEN0",   "IGRPEN1",  "AP0R0",    "AP1R0",  "IAR0",   "IAR1",
    "EOIR0",     "EOIR1",     "DIR",      "PMR<-",    "BPR0<-", "BPR1<-", "CTLR<-",
    "IGRPEN0<-", "IGRPEN1<-", "AP0R0<->", "AP1R0<->",
};

struct batch {
    unsigned n;
    uint32_t kind[MAX_OPS];
    uint64_t val[MAX_OPS];
    uint64_t res[MAX_OPS];
};

static volatile struct batch batch;
static uint64_t el1_stack[512] __attribute__((aligned(16)));

static uint64_t el1_op(uint32_t kind, uint64_t v)
{
    switch (kind) {
    case OP_HPPIR0: return MRS(ICC_HPPIR0_EL1);
    case OP_HPPIR1: return MRS(ICC_HPPIR1_EL1);
    case OP_RPR: return MRS(ICC_RPR_EL1);
    case OP_BPR0: return MRS(ICC_BPR0_EL1);
    case OP_BPR1: return MRS(ICC_BPR1_EL1);
    case OP_CTLR: return MRS(ICC_CTLR_EL1) & ~CTLR_IDBITS;
    case OP_PMR: return MRS(ICC_PMR_EL1);
    case OP_IGRPEN0: return MRS(ICC_IGRPEN0_EL1);
    case OP_IGRPEN1: return MRS(ICC_IGRPEN1_EL1);
    case OP_AP0R0: return MRS(ICC_AP0R0_EL1);
    case OP_AP1R0: return MRS(ICC_AP1R0_EL1);
    case OP_IAR0: return MRS(ICC_IAR0_EL1);
    case OP_IAR1: return MRS(ICC_IAR1_EL1);
    case OP_EOIR0: MSR(ICC_EOIR0_EL1, v); return 0;
    case OP_EOIR1: MSR(ICC_EOIR1_EL1, v); return 0;
    case OP_DIR: MSR(ICC_DIR_EL1, v); return 0;
    case OP_W_PMR: MSR(ICC_PMR_EL1, v); return 0;
    case OP_W_BPR0: MSR(ICC_BPR0_EL1, v); return 0;
    case OP_W_BPR1: MSR(ICC_BPR1_EL1, v); return 0;
    case OP_W_CTLR: MSR(ICC_CTLR_EL1, v); return 0;
    case OP_W_IGRPEN0: MSR(ICC_IGRPEN0_EL1, v); return 0;
    case OP_W_IGRPEN1: MSR(ICC_IGRPEN1_EL1, v); return 0;
    case OP_RW_AP0R0: {
        uint64_t a = MRS(ICC_AP0R0_EL1);
        MSR(ICC_AP0R0_EL1, a);
        return a;
    }
    case OP_RW_AP1R0: {
        uint64_t a = MRS(ICC_AP1R0_EL1);
        MSR(ICC_AP1R0_EL1, a);
        return a;
    }
    default: return 0;
    }
}

/* Entered at EL1h with DAIF set by lower_call(); ends with HVC, never returns. */
static void el1_batch(uint64_t arg)
{
    (void)arg;
    for (unsigned i = 0; i < batch.n; i++)
        batch.res[i] = el1_op(batch.kind[i], batch.val[i]);
    __asm__ volatile("hvc #1" ::: "memory");
    for (;;)
        ;
}

/* ---- EL2 ---- */

static void el2_vector(struct exc_frame *f)
{
    unsigned ec = (unsigned)(f->esr >> 26) & 0x3f;
    if ((f->vector & 0x600) == VEC_LOWER_A64 && (f->vector & 0x180) == VEC_SYNC && ec == EC_HVC64) {
        lower_return(f, 0);
        return;
    }
    printf("unexpected exception at EL2: vector 0x%x ESR_EL2 0x%lx ELR_EL2 0x%lx\n",
           (unsigned)f->vector, (unsigned long)f->esr, (unsigned long)f->elr);
    guest_exit(1);
}

static void run_batch(void)
{
    __asm__ volatile("msr sp_el1, %0" ::"r"((uint64_t)(uintptr_t)(el1_stack + 512)));
    lower_call(el1_batch, 0, SPSR_EL1H_MASKED);
}

static uint64_t rng = SEED;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static bool chance(unsigned percent)
{
    return below(100) < percent;
}

static unsigned nlrs;

struct vstate {
    uint64_t hcr, vmcr, misr, eisr, elrsr;
    uint64_t lr[MAX_LRS];
    uint32_t ap[2];
};

static void read_state(struct vstate *s)
{
    s->hcr = MRS(ICH_HCR_EL2);
    s->vmcr = MRS(ICH_VMCR_EL2);
    s->misr = MRS(ICH_MISR_EL2);
    s->eisr = MRS(ICH_EISR_EL2);
    s->elrsr = MRS(ICH_ELRSR_EL2);
    for (unsigned i = 0; i < nlrs; i++)
        s->lr[i] = ich_lr_read(i);
    s->ap[0] = (uint32_t)MRS(ICH_AP0R0_EL2);
    s->ap[1] = (uint32_t)MRS(ICH_AP1R0_EL2);
}

static uint32_t lr_vintid(uint64_t lr)
{
    return (uint32_t)lr;
}

static unsigned lr_prio(uint64_t lr)
{
    return (unsigned)(lr >> 48) & 0xff;
}

static bool lr_group1(uint64_t lr)
{
    return lr & LR_GROUP1;
}

static bool lr_pending_only(uint64_t lr)
{
    return (lr >> LR_STATE_SHIFT) == 1;
}

/* The group priority mask of GROUP1's interrupts (VGroupBits): VBPR0 cuts [7:VBPR0+1], VBPR1
 * [7:VBPR1], VCBPR makes Group 1 use VBPR0. */
static unsigned gprio_mask(uint64_t vmcr, bool group1)
{
    unsigned bpr0 = (unsigned)(vmcr >> VMCR_VBPR0_SHIFT) & 7;
    unsigned bpr1 = (unsigned)(vmcr >> VMCR_VBPR1_SHIFT) & 7;
    if (!group1 || (vmcr & VMCR_VCBPR))
        return (0xffu << (bpr0 + 1)) & 0xff;
    return (0xffu << bpr1) & 0xff;
}

/* ---- the host's bookkeeping: what this test acknowledged ---- */

struct acked {
    uint32_t vintid;
    bool group1;
    uint32_t apbit; /* the ICH_AP<group>R0_EL2 bit its acknowledge set */
};

static struct acked stack[STACK_MAX]; /* acknowledged, not yet EOIed, most recent on top */
static unsigned stack_n;
static uint32_t dropped[MAX_LRS]; /* EOIed with VEOIM = 1, waiting for DIR */
static unsigned dropped_n;

static void forget(uint32_t vintid)
{
    for (unsigned i = 0; i < stack_n; i++) {
        if (stack[i].vintid == vintid) {
            for (unsigned j = i; j + 1 < stack_n; j++)
                stack[j] = stack[j + 1];
            stack_n--;
            break;
        }
    }
    for (unsigned i = 0; i < dropped_n; i++) {
        if (dropped[i] == vintid) {
            dropped[i] = dropped[--dropped_n];
            break;
        }
    }
}

static bool tracked(uint32_t vintid)
{
    for (unsigned i = 0; i < stack_n; i++)
        if (stack[i].vintid == vintid)
            return true;
    for (unsigned i = 0; i < dropped_n; i++)
        if (dropped[i] == vintid)
            return true;
    return false;
}

/* The LR holding VINTID with its active bit set, or -1. */
static int find_active(const struct vstate *s, uint32_t vintid)
{
    for (unsigned i = 0; i < nlrs; i++)
        if ((s->lr[i] & LR_ACTIVE) && lr_vintid(s->lr[i]) == vintid)
            return (int)i;
    return -1;
}

static bool in_any_lr(const struct vstate *s, uint32_t vintid, int except)
{
    for (unsigned i = 0; i < nlrs; i++)
        if ((int)i != except && lr_vintid(s->lr[i]) == vintid)
            return true;
    return false;
}

/* A vINTID below 1020 that no LR holds and this test does not track. */
static uint32_t fresh_vintid(const struct vstate *s, int except)
{
    for (;;) {
        uint32_t v = below(1020);
        if (!in_any_lr(s, v, except) && !tracked(v))
            return v;
    }
}

/* ---- statistics ---- */

static unsigned op_count[OP_COUNT];
static unsigned acks_taken, acks_spurious, acks_special, iar_left_out;
static unsigned eoi_lr, eoi_count_inc, dir_lr, dir_count_inc;
static unsigned el2_writes[5];

/* ---- EL2 writes ---- */

static uint64_t random_priority(void)
{
    return (uint64_t)(below(32) << 3);
}

static void el2_write_lr(struct vstate *s)
{
    unsigned n = below(nlrs);
    uint64_t old = s->lr[n];

    uint64_t lr;
    if (chance(6)) {
        /* vINTID 1023, pending, EOI 0: an IAR returns it and empties the LR. */
        lr = 1023 | random_priority() << 48 | (chance(50) ? LR_GROUP1 : 0) | LR_PENDING;
        if (in_any_lr(s, 1023, (int)n))
            lr = 0;
    } else {
        static const unsigned state_pick[10] = {0, 1, 1, 1, 1, 1, 1, 2, 2, 3};
        uint64_t state = state_pick[below(10)];
        lr = fresh_vintid(s, (int)n) | random_priority() << 48 | (chance(50) ? LR_GROUP1 : 0) |
             (chance(40) ? LR_EOI : 0) | state << LR_STATE_SHIFT;
    }
    /* The LR's old vINTID leaves the interface: the test stops tracking it. */
    forget(lr_vintid(old));
    ich_lr_write(n, lr);
    s->lr[n] = lr;
    el2_writes[0]++;
}

/* Change the state of a valid, non-special LR (a hypervisor re-injecting or retiring). */
static void el2_tweak_lr(struct vstate *s)
{
    unsigned n = below(nlrs);
    uint64_t lr = s->lr[n];
    if (lr_vintid(lr) >= 1020)
        return;
    forget(lr_vintid(lr));
    lr = (lr & ~(3ull << LR_STATE_SHIFT)) | (uint64_t)below(4) << LR_STATE_SHIFT;
    ich_lr_write(n, lr);
    s->lr[n] = lr;
    el2_writes[1]++;
}

static void el2_write_hcr(struct vstate *s)
{
    uint64_t hcr = (chance(90) ? HCR_EN : 0) | (chance(30) ? HCR_UIE : 0) |
                   (chance(30) ? HCR_LRENPIE : 0) | (chance(30) ? HCR_NPIE : 0) |
                   (chance(30) ? HCR_VGRP0EIE : 0) | (chance(30) ? HCR_VGRP1EIE : 0) |
                   (chance(30) ? HCR_VGRP1DIE : 0);
    if (chance(25))
        hcr |= (uint64_t)below(32) << HCR_EOICOUNT_SHIFT;
    else
        hcr |= s->hcr & HCR_EOICOUNT_MASK;
    MSR(ICH_HCR_EL2, hcr);
    s->hcr = hcr;
    el2_writes[2]++;
}

/* VEOIM may go from 1 to 0 only when no interrupt waits for its DIR. */
static bool veoim_may_clear(const struct vstate *s)
{
    for (unsigned i = 0; i < dropped_n; i++)
        if (find_active(s, dropped[i]) >= 0)
            return false;
    dropped_n = 0;
    return true;
}

static void el2_write_vmcr(struct vstate *s)
{
    bool veoim = chance(50);
    if ((s->vmcr & VMCR_VEOIM) && !veoim && !veoim_may_clear(s))
        veoim = true;
    uint64_t pmr = chance(60) ? 0xf8 : random_priority();
    uint64_t vmcr = (chance(85) ? VMCR_VENG0 : 0) | (chance(85) ? VMCR_VENG1 : 0) | VMCR_VFIQEN |
                    (chance(25) ? VMCR_VCBPR : 0) | (veoim ? VMCR_VEOIM : 0) |
                    (uint64_t)(2 + below(6)) << VMCR_VBPR0_SHIFT |
                    (uint64_t)(3 + below(5)) << VMCR_VBPR1_SHIFT | pmr << VMCR_VPMR_SHIFT;
    MSR(ICH_VMCR_EL2, vmcr);
    s->vmcr = MRS(ICH_VMCR_EL2);
    el2_writes[3]++;
}

/* Active priorities as a hypervisor restores them: the bits of the interrupts this test
 * acknowledged and has not ended (which drops the bits of interrupts whose LR the host
 * overwrote), what was read, or nothing (and the acknowledged interrupts are then forgotten). */
static void el2_write_ap(struct vstate *s)
{
    unsigned r = below(100);
    if (r < 60) {
        uint32_t ap[2] = {0, 0};
        for (unsigned i = 0; i < stack_n; i++)
            ap[stack[i].group1] |= stack[i].apbit;
        MSR(ICH_AP0R0_EL2, ap[0]);
        MSR(ICH_AP1R0_EL2, ap[1]);
    } else if (r < 90) {
        MSR(ICH_AP0R0_EL2, MRS(ICH_AP0R0_EL2));
        MSR(ICH_AP1R0_EL2, MRS(ICH_AP1R0_EL2));
    } else {
        MSR(ICH_AP0R0_EL2, 0);
        MSR(ICH_AP1R0_EL2, 0);
        stack_n = 0;
    }
    s->ap[0] = (uint32_t)MRS(ICH_AP0R0_EL2);
    s->ap[1] = (uint32_t)MRS(ICH_AP1R0_EL2);
    el2_writes[4]++;
}

static void el2_random_write(struct vstate *s)
{
    unsigned r = below(100);
    if (r < 40)
        el2_write_lr(s);
    else if (r < 55)
        el2_tweak_lr(s);
    else if (r < 70)
        el2_write_hcr(s);
    else if (r < 88)
        el2_write_vmcr(s);
    else
        el2_write_ap(s);
}

/* ---- EL1 actions, decided from the real state ---- */

/* The HPPVI as IHI 0069 HighestPriorityVirtualInterrupt finds it, or -1. */
static int hppvi(const struct vstate *s)
{
    int best = -1;
    unsigned best_prio = 0xff;
    for (unsigned i = 0; i < nlrs; i++) {
        uint64_t lr = s->lr[i];
        bool en = s->vmcr & (lr_group1(lr) ? VMCR_VENG1 : VMCR_VENG0);
        if (!lr_pending_only(lr) || !en)
            continue;
        if (lr_prio(lr) < best_prio) {
            best_prio = lr_prio(lr);
            best = (int)i;
        }
    }
    return best;
}

static unsigned running_priority(const struct vstate *s)
{
    uint32_t ap = s->ap[0] | s->ap[1];
    return ap ? (unsigned)__builtin_ctz(ap) << 3 : 0xff;
}

/* Does an IAR of GROUP1 depend on whether the running priority is cut by the pending group's
 * binary point? QEMU compares (prio & mask) < (rprio & mask), a64sim (prio & mask) < rprio. */
enum iar_gate {
    IAR_NO_HPPVI,
    IAR_OTHER_GROUP,
    IAR_EN_OFF,
    IAR_VPMR,
    IAR_RUNNING,
    IAR_SIGNAL,
    IAR_GATES
};
static const char *const iar_gate_names[IAR_GATES] = {
    "nothing pending", "other group", "En 0", "VPMR", "running priority", "signalled",
};
static unsigned iar_gates[IAR_GATES];
static enum iar_gate iar_gate;

/* Why an IAR of GROUP1 would return 1023, as the specification's pseudocode goes (the running
 * priority not cut: the ambiguous case is left out before this is asked). */
static enum iar_gate iar_predict(const struct vstate *s, bool group1)
{
    int i = hppvi(s);
    if (i < 0)
        return IAR_NO_HPPVI;
    if (lr_group1(s->lr[i]) != group1)
        return IAR_OTHER_GROUP;
    if (!(s->hcr & HCR_EN))
        return IAR_EN_OFF;
    unsigned prio = lr_prio(s->lr[i]);
    if (prio >= ((s->vmcr >> VMCR_VPMR_SHIFT) & 0xff))
        return IAR_VPMR;
    if ((prio & gprio_mask(s->vmcr, group1)) >= running_priority(s))
        return IAR_RUNNING;
    return IAR_SIGNAL;
}

static bool iar_ambiguous(const struct vstate *s, bool group1)
{
    int i = hppvi(s);
    if (i < 0 || lr_group1(s->lr[i]) != group1 || !(s->hcr & HCR_EN))
        return false;
    unsigned prio = lr_prio(s->lr[i]);
    if (prio >= ((s->vmcr >> VMCR_VPMR_SHIFT) & 0xff))
        return false;
    unsigned rprio = running_priority(s);
    if (rprio == 0xff)
        return false;
    unsigned mask = gprio_mask(s->vmcr, group1);
    return ((prio & mask) < rprio) != ((prio & mask) < (rprio & mask));
}

/* Mostly the HPPVI's group, so that most acknowledges return an interrupt. */
static bool add_iar(struct vstate *s, unsigned *k)
{
    int h = hppvi(s);
    bool group1 = (h >= 0 && chance(80)) ? lr_group1(s->lr[h]) : chance(50);
    if (iar_ambiguous(s, group1)) {
        iar_left_out++;
        return false;
    }
    iar_gate = iar_predict(s, group1);
    iar_gates[iar_gate]++;
    batch.kind[*k] = group1 ? OP_IAR1 : OP_IAR0;
    batch.val[*k] = 0;
    (*k)++;
    return true;
}

/* Pop the stack entries whose interrupt no LR holds active any more, or whose active priority
 * bit has gone (an EOIR of a vINTID in no LR dropped it). */
static void stack_clean(const struct vstate *s)
{
    while (stack_n > 0) {
        const struct acked *t = &stack[stack_n - 1];
        if (find_active(s, t->vintid) >= 0 && (s->ap[t->group1] & t->apbit))
            break;
        stack_n--;
    }
}

/* An EOIR of the group of the priority being dropped: the stack top's interrupt when its LR is
 * of that group at that group priority; else, with VEOIM = 0, a vINTID in no LR (EOIcount). */
static bool add_eoir(struct vstate *s, unsigned *k, uint32_t *ended, bool *to_lr)
{
    uint32_t ap = s->ap[0] | s->ap[1];
    if (ap == 0)
        return false;
    unsigned bit = (unsigned)__builtin_ctz(ap);
    if ((s->ap[0] >> bit & 1) && (s->ap[1] >> bit & 1))
        return false;
    bool group1 = s->ap[1] >> bit & 1;
    unsigned drop = bit << 3;
    stack_clean(s);

    *to_lr = false;
    if (stack_n > 0) {
        struct acked *t = &stack[stack_n - 1];
        int i = find_active(s, t->vintid);
        uint64_t lr = s->lr[i];
        if (t->group1 == group1 && lr_group1(lr) == group1 &&
            (lr_prio(lr) & gprio_mask(s->vmcr, group1)) == drop) {
            *ended = t->vintid;
            *to_lr = true;
        }
    }
    if (!*to_lr) {
        if (s->vmcr & VMCR_VEOIM)
            return false;
        *ended = fresh_vintid(s, -1);
    }
    batch.kind[*k] = group1 ? OP_EOIR1 : OP_EOIR0;
    batch.val[*k] = *ended;
    (*k)++;
    return true;
}

static bool add_dir(struct vstate *s, unsigned *k, uint32_t *target)
{
    if (!(s->vmcr & VMCR_VEOIM))
        return false;
    unsigned live = 0;
    for (unsigned i = 0; i < dropped_n; i++)
        live += find_active(s, dropped[i]) >= 0;
    if (live > 0 && chance(85)) {
        unsigned pick = below(live);
        for (unsigned i = 0; i < dropped_n; i++) {
            if (find_active(s, dropped[i]) < 0)
                continue;
            if (pick-- == 0) {
                *target = dropped[i];
                break;
            }
        }
    } else if (live > 0 || chance(30)) {
        *target = fresh_vintid(s, -1);
    } else {
        return false;
    }
    batch.kind[*k] = OP_DIR;
    batch.val[*k] = *target;
    (*k)++;
    return true;
}

static void add_write(struct vstate *s, unsigned *k)
{
    unsigned r = below(100);
    uint32_t kind;
    uint64_t v;
    if (r < 25) {
        kind = OP_W_PMR;
        v = chance(50) ? 0xf8 : random_priority() | (chance(20) ? below(8) : 0);
    } else if (r < 40) {
        kind = OP_W_BPR0;
        v = below(8);
    } else if (r < 55) {
        kind = OP_W_BPR1;
        v = below(8);
    } else if (r < 70) {
        kind = OP_W_CTLR;
        bool eoimode = chance(50);
        if ((s->vmcr & VMCR_VEOIM) && !eoimode && !veoim_may_clear(s))
            eoimode = true;
        v = (chance(30) ? 1u : 0u) | (eoimode ? 2u : 0u);
    } else if (r < 80) {
        kind = OP_W_IGRPEN0;
        v = chance(75);
    } else if (r < 90) {
        kind = OP_W_IGRPEN1;
        v = chance(75);
    } else {
        kind = chance(50) ? OP_RW_AP0R0 : OP_RW_AP1R0;
        v = 0;
    }
    batch.kind[*k] = kind;
    batch.val[*k] = v;
    (*k)++;
}

static void add_safe_reads(unsigned *k, unsigned n)
{
    for (unsigned i = 0; i < n && *k < MAX_OPS; i++) {
        batch.kind[*k] = 1 + below(OP_NUM_SAFE_READS);
        batch.val[*k] = 0;
        (*k)++;
    }
}

static uint64_t hash = 0xcbf29ce484222325ull;

static void fold(uint64_t v)
{
    for (unsigned i = 0; i < 8; i++) {
        hash ^= (v >> (8 * i)) & 0xff;
        hash *= 0x100000001b3ull;
    }
}

/* One EL1 step: some reads, at most one action chosen from the state, some reads. */
static void el1_step(struct vstate *s)
{
    unsigned k = 0;
    add_safe_reads(&k, below(3));
    unsigned action = k;
    uint32_t vintid = 0;
    bool to_lr = false;
    unsigned r = below(100);
    bool acted;
    if (r < 35)
        acted = add_iar(s, &k);
    else if (r < 60)
        acted = add_eoir(s, &k, &vintid, &to_lr);
    else if (r < 72)
        acted = add_dir(s, &k, &vintid);
    else {
        add_write(s, &k);
        acted = true;
    }
    add_safe_reads(&k, below(3));
    batch.n = k;
    run_batch();

    for (unsigned i = 0; i < k; i++) {
        op_count[batch.kind[i]]++;
        fold(batch.kind[i]);
        fold(batch.res[i]);
    }
    struct vstate after;
    read_state(&after);
    if (acted) {
        uint32_t kind = batch.kind[action];
        uint64_t res = batch.res[action];
        if (kind == OP_IAR0 || kind == OP_IAR1) {
            if (res == INTID_SPURIOUS && iar_gate != IAR_SIGNAL) {
                acks_spurious++;
            } else if (res >= 1020) {
                acks_special++;
            } else if (stack_n < STACK_MAX) {
                bool g1 = kind == OP_IAR1;
                uint32_t bit = after.ap[g1] & ~s->ap[g1];
                stack[stack_n++] = (struct acked){(uint32_t)res, g1, bit};
                acks_taken++;
            } else {
                acks_taken++;
            }
        } else if (kind == OP_EOIR0 || kind == OP_EOIR1) {
            if (to_lr) {
                stack_n--;
                eoi_lr++;
                if ((s->vmcr & VMCR_VEOIM) && dropped_n < MAX_LRS)
                    dropped[dropped_n++] = vintid;
            } else {
                eoi_count_inc++;
            }
        } else if (kind == OP_DIR) {
            if (find_active(s, vintid) >= 0) {
                dir_lr++;
                forget(vintid);
            } else {
                dir_count_inc++;
            }
        }
    }
    *s = after;
}

static void print_state(const struct vstate *s)
{
    printf("  HCR %08lx VMCR %08lx AP0 %08x AP1 %08x MISR %02lx EISR %lx ELRSR %lx\n",
           (unsigned long)s->hcr, (unsigned long)s->vmcr, s->ap[0], s->ap[1],
           (unsigned long)s->misr, (unsigned long)s->eisr, (unsigned long)s->elrsr);
    printf("  LR");
    for (unsigned i = 0; i < nlrs; i++)
        printf(" %016lx", (unsigned long)s->lr[i]);
    printf("\n");
}

static void fold_state(const struct vstate *s)
{
    fold(s->hcr);
    fold(s->vmcr);
    for (unsigned i = 0; i < nlrs; i++)
        fold(s->lr[i]);
    fold(s->ap[0]);
    fold(s->ap[1]);
    fold(s->misr);
    fold(s->eisr);
    fold(s->elrsr);
}

int main(void)
{
    __asm__ volatile("msr daifset, #0xf" ::: "memory");
    if (MRS("CurrentEL") != 0x8) {
        printf("vgic_random: must start at EL2 (a64sim --el 2, QEMU virtualization=on)\n");
        guest_exit(1);
    }
    vectors_install_el2(el2_vector);
    MSR(ICC_SRE_EL2, 0xf);
    MSR("sctlr_el1", SCTLR_EL1_MMU_OFF);
    MSR("hcr_el2", HCR_EL2_IMO | HCR_EL2_FMO | HCR_EL2_RW);

    uint64_t vtr = MRS(ICH_VTR_EL2);
    nlrs = ICH_VTR_LISTREGS(vtr);
    struct vstate s;
    read_state(&s);
    printf("vgic_random: ICH_VTR_EL2 0x%08lx (IDbits masked): %u LRs, %u priority bits, "
           "%u preemption bits\n",
           (unsigned long)(vtr & ~VTR_IDBITS), nlrs, ICH_VTR_PRIBITS(vtr), ICH_VTR_PREBITS(vtr));
    printf("reset:\n");
    print_state(&s);

    /* A usable start: the interface on, both groups enabled, VPMR open. */
    MSR(ICH_HCR_EL2, HCR_EN);
    MSR(ICH_VMCR_EL2, VMCR_VENG0 | VMCR_VENG1 | VMCR_VFIQEN | 2ull << VMCR_VBPR0_SHIFT |
                          3ull << VMCR_VBPR1_SHIFT | 0xf8ull << VMCR_VPMR_SHIFT);
    read_state(&s);

    for (unsigned round = 1; round <= ROUNDS; round++) {
        unsigned writes = 1 + below(3);
        for (unsigned i = 0; i < writes; i++)
            el2_random_write(&s);
        unsigned steps = 1 + below(4);
        for (unsigned i = 0; i < steps; i++)
            el1_step(&s);
        fold_state(&s);
        if (round % CHECK_EVERY == 0) {
            printf("round %u: checksum %016lx\n", round, (unsigned long)hash);
            print_state(&s);
        }
    }

    printf("EL2 writes: LR %u, LR state %u, HCR %u, VMCR %u, AP %u\n", el2_writes[0], el2_writes[1],
           el2_writes[2], el2_writes[3], el2_writes[4]);
    printf("EL1 accesses:");
    for (unsigned i = 1; i < OP_COUNT; i++)
        printf(" %s %u", op_names[i], op_count[i]);
    printf("\n");
    printf("acknowledged %u, spurious %u, vINTID 1023 from an LR %u, IAR left out %u\n", acks_taken,
           acks_spurious, acks_special, iar_left_out);
    printf("IAR predicted:");
    for (unsigned i = 0; i < IAR_GATES; i++)
        printf(" %s %u", iar_gate_names[i], iar_gates[i]);
    printf("\n");
    printf("EOIR of an LR %u, EOIR counted %u, DIR of an LR %u, DIR counted %u\n", eoi_lr,
           eoi_count_inc, dir_lr, dir_count_inc);
    printf("final checksum %016lx\n", (unsigned long)hash);
    guest_exit(0);
}
