/* Preemption, compared with QEMU's virt board (IHI 0069, preemption and
 * priority grouping). A handler
 * that unmasks PSTATE.I (or F) is preempted by an interrupt whose group
 * priority is higher than the running priority, and only by such an one:
 * not by a lower or an equal priority, nor, with ICC_BPR1_EL1 coarsened to
 * 5 (group priority bits [7:5]), by 0x40 while 0x48 runs, which
 * ICC_BPR1_EL1 = 3 (its minimum with 5 priority bits) allows. Group 0
 * (FIQ) and Group 1 (IRQ) share one running priority: a Group 0 SGI
 * preempts a Group 1 handler and the other way round. Each handler logs its
 * entry with ICC_RPR_EL1 after the acknowledge, and its exit; the log of
 * each case is printed, with ICC_AP0R0/AP1R0_EL1 at the deepest nesting
 * (one bit per active group priority: bit n for priority n << 3). */
#include "gic_common.h"
#include "vectors.h"

/* SGIs and their priorities; 8-10 are Group 0 (FIQ). */
static const uint8_t prio[16] = {
    [1] = 0x80, [2] = 0x40, [3] = 0xc0, [4] = 0x80,  [5] = 0x48,
    [6] = 0x40, [8] = 0x40, [9] = 0xc0, [10] = 0x80,
};
#define GROUP0_SGIS ((1u << 8) | (1u << 9) | (1u << 10))

/* What a handler of SGI n does: the SGIs it sends with the group's mask
 * open (a 1 in bit 16 + m is an SGI m through ICC_SGI0R_EL1), and which
 * masks it opens while it does. */
static volatile uint32_t sends[16];
static volatile bool open_irq, open_fiq;

static char log_buf[160];
static volatile unsigned log_len;
static volatile uint64_t ap0_deep, ap1_deep, rpr_back;
static volatile unsigned depth, max_depth;

static void log_str(const char *s)
{
    while (*s && log_len < sizeof(log_buf) - 1)
        log_buf[log_len++] = *s++;
    log_buf[log_len] = 0;
}

static void log_event(char sign, unsigned intid, bool fiq, unsigned rpr)
{
    char tmp[24];
    if (sign == '+')
        snprintf(tmp, sizeof(tmp), " +%u%s(%02x)", intid, fiq ? "f" : "", rpr);
    else
        snprintf(tmp, sizeof(tmp), " -%u%s", intid, fiq ? "f" : "");
    log_str(tmp);
}

static void send_from_handler(unsigned n)
{
    uint32_t s = sends[n];
    if (!s)
        return;
    if (open_irq)
        IRQ_ENABLE();
    if (open_fiq)
        FIQ_ENABLE();
    for (unsigned m = 0; m < 16; m++) {
        if (s & (1u << m))
            SEND_SGI(ICC_SGI1R_EL1, sgi_value(m, 1));
        if (s & (1u << (16 + m)))
            SEND_SGI(ICC_SGI0R_EL1, sgi_value(m, 1));
        settle(500);
    }
    __asm__ volatile("msr daifset, #3" ::: "memory");
    rpr_back = MRS(ICC_RPR_EL1);
}

static void handler(struct exc_frame *f)
{
    bool fiq = f->vector == (VEC_CUR_SPX | VEC_FIQ);
    if (!fiq && f->vector != (VEC_CUR_SPX | VEC_IRQ))
        guest_exit(2);
    unsigned intid = (unsigned)(fiq ? MRS(ICC_IAR0_EL1) : MRS(ICC_IAR1_EL1)) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return;
    if (intid >= 16)
        guest_exit(3);
    log_event('+', intid, fiq, (unsigned)MRS(ICC_RPR_EL1));
    if (++depth > max_depth) {
        max_depth = depth;
        ap0_deep = MRS(ICC_AP0R0_EL1);
        ap1_deep = MRS(ICC_AP1R0_EL1);
    }
    send_from_handler(intid);
    depth--;
    if (fiq)
        MSR(ICC_EOIR0_EL1, intid);
    else
        MSR(ICC_EOIR1_EL1, intid);
    log_event('-', intid, fiq, 0);
}

/* One case: SGI first (Group 0 if its bit says so) whose handler sends
 * SENDS with the given masks open. */
static void run_case(const char *what, unsigned first, uint32_t send_list, bool irq, bool fiq)
{
    log_len = 0;
    log_buf[0] = 0;
    for (unsigned i = 0; i < 16; i++)
        sends[i] = 0;
    sends[first] = send_list;
    open_irq = irq;
    open_fiq = fiq;
    rpr_back = 0;
    max_depth = 0;
    if (GROUP0_SGIS & (1u << first))
        SEND_SGI(ICC_SGI0R_EL1, sgi_value(first, 1));
    else
        SEND_SGI(ICC_SGI1R_EL1, sgi_value(first, 1));
    settle(5000);
    printf("%s:%s\n", what, log_buf);
    printf(
        "  nested %u deep: AP0R0 0x%lx AP1R0 0x%lx; RPR when the first handler masked again 0x%lx;"
        " after all 0x%lx\n",
        max_depth, (unsigned long)ap0_deep, (unsigned long)ap1_deep, (unsigned long)rpr_back,
        (unsigned long)MRS(ICC_RPR_EL1));
}

int main(void)
{
    vectors_install_el1(handler);
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
    gicr_wake(0);
    wr32(GICR_SGI(0) + GICR_IGROUPR0, ~GROUP0_SGIS);
    for (unsigned i = 0; i < 16; i++)
        wr8(GICR_SGI(0) + GICR_IPRIORITYR + i, prio[i]);
    wr32(GICR_SGI(0) + GICR_ISENABLER0, 0xffff);
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN0_EL1, 1);
    MSR(ICC_IGRPEN1_EL1, 1);
    printf("BPR0 %lu, BPR1 %lu\n", (unsigned long)MRS(ICC_BPR0_EL1),
           (unsigned long)MRS(ICC_BPR1_EL1));
    __asm__ volatile("msr daifclr, #3\n\tisb" ::: "memory");

    run_case("0x80 handler sends 0x40, 0xc0, 0x80", 1, (1u << 2) | (1u << 3) | (1u << 4), true,
             false);
    MSR(ICC_BPR1_EL1, 5);
    printf("BPR1 %lu\n", (unsigned long)MRS(ICC_BPR1_EL1));
    run_case("0x48 handler sends 0x40, BPR1 5", 5, 1u << 6, true, false);
    MSR(ICC_BPR1_EL1, 3);
    printf("BPR1 %lu\n", (unsigned long)MRS(ICC_BPR1_EL1));
    run_case("0x48 handler sends 0x40, BPR1 3", 5, 1u << 6, true, false);
    run_case("Group 1 0x80 handler, F open, sends Group 0 0x40 and 0xc0", 1,
             (1u << (16 + 8)) | (1u << (16 + 9)), false, true);
    run_case("Group 0 0x80 handler, I open, sends Group 1 0x40 and 0xc0", 10, (1u << 2) | (1u << 3),
             true, false);
    return 0;
}
