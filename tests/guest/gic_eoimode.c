/* Priority drop and deactivation, compared with QEMU's virt board
 * (IHI 0069, ICC_CTLR_EL1.EOImode and ICC_DIR_EL1). With EOImode 0 a write to
 * ICC_EOIR1_EL1 does both. With EOImode 1 it only drops the running
 * priority: the interrupt stays active, so a new SGI with the same INTID
 * stays pending and is not taken (an active interrupt is not forwarded
 * again), while another interrupt of the same priority is taken at once;
 * the write to ICC_DIR_EL1 deactivates it, and the pending one is taken.
 * Also: what acknowledge does to the pending and active state, spurious
 * INTID 1023 from ICC_IAR1_EL1 with nothing pending and from ICC_IAR0_EL1
 * when the pending interrupt is Group 1, and the two writes a GIC ignores
 * (ICC_DIR_EL1 with EOImode 0, ICC_EOIR1_EL1 with no active priority). */
#include "gic_common.h"
#include "vectors.h"

#define PRIO 0xa0

static volatile unsigned taken[16], order[8], norder;
static volatile uint64_t rpr_at_ack, rpr_after_eoi;
static volatile uint32_t active_after_eoi;

static uint32_t sgi_bits(uintptr_t reg)
{
    return rd32(GICR_SGI(0) + reg) & 0xffff;
}

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ))
        guest_exit(2);
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return;
    if (intid >= 16)
        guest_exit(3);
    taken[intid]++;
    if (norder < 8)
        order[norder++] = intid;
    rpr_at_ack = MRS(ICC_RPR_EL1);
    MSR(ICC_EOIR1_EL1, intid);
    rpr_after_eoi = MRS(ICC_RPR_EL1);
    active_after_eoi = sgi_bits(GICR_ISACTIVER0);
}

static void send(unsigned intid)
{
    SEND_SGI(ICC_SGI1R_EL1, sgi_value(intid, 1));
    settle(1000);
}

static void eoimode0(void)
{
    printf("EOImode %u\n", (unsigned)(MRS(ICC_CTLR_EL1) & ICC_CTLR_EOIMODE) >> 1);
    send(1);
    printf("SGI 1: taken %u, RPR at acknowledge 0x%lx, after EOIR1 0x%lx, active after EOIR1 "
           "0x%x\n",
           taken[1], (unsigned long)rpr_at_ack, (unsigned long)rpr_after_eoi, active_after_eoi);
}

static void eoimode1(void)
{
    MSR(ICC_CTLR_EL1, MRS(ICC_CTLR_EL1) | ICC_CTLR_EOIMODE);
    printf("EOImode %u\n", (unsigned)(MRS(ICC_CTLR_EL1) & ICC_CTLR_EOIMODE) >> 1);
    send(2);
    printf("SGI 2: taken %u, RPR at acknowledge 0x%lx, after EOIR1 0x%lx, active after EOIR1 "
           "0x%x\n",
           taken[2], (unsigned long)rpr_at_ack, (unsigned long)rpr_after_eoi, active_after_eoi);
    send(2);
    printf("SGI 2 again while active: taken %u, pending 0x%x, active 0x%x, HPPIR1 %u\n", taken[2],
           sgi_bits(GICR_ISPENDR0), sgi_bits(GICR_ISACTIVER0),
           (unsigned)MRS(ICC_HPPIR1_EL1) & 0xffffff);
    send(3);
    printf("SGI 3, same priority, while SGI 2 is active: taken %u, active 0x%x\n", taken[3],
           sgi_bits(GICR_ISACTIVER0));
    MSR(ICC_DIR_EL1, 3);
    MSR(ICC_DIR_EL1, 2);
    settle(1000);
    printf("ICC_DIR_EL1 3 and 2: SGI 2 taken %u, active 0x%x\n", taken[2],
           sgi_bits(GICR_ISACTIVER0));
    MSR(ICC_DIR_EL1, 2);
    printf("ICC_DIR_EL1 2: active 0x%x; order of acknowledges:", sgi_bits(GICR_ISACTIVER0));
    for (unsigned i = 0; i < norder; i++)
        printf(" %u", order[i]);
    printf("\n");
    MSR(ICC_CTLR_EL1, MRS(ICC_CTLR_EL1) & ~(uint64_t)ICC_CTLR_EOIMODE);
}

/* With PSTATE.I set: acknowledge by hand and look at the state. */
static void acknowledge_by_hand(void)
{
    IRQ_DISABLE();
    printf("nothing pending: IAR1 %u\n", (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff);
    SEND_SGI(ICC_SGI1R_EL1, sgi_value(4, 1));
    settle(1000);
    printf("SGI 4 pending: pending 0x%x, IAR0 %u (Group 1 pending), HPPIR1 %u\n",
           sgi_bits(GICR_ISPENDR0), (unsigned)MRS(ICC_IAR0_EL1) & 0xffffff,
           (unsigned)MRS(ICC_HPPIR1_EL1) & 0xffffff);
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    printf("IAR1 %u: pending 0x%x, active 0x%x, RPR 0x%lx, AP1R0 0x%lx\n", intid,
           sgi_bits(GICR_ISPENDR0), sgi_bits(GICR_ISACTIVER0), (unsigned long)MRS(ICC_RPR_EL1),
           (unsigned long)MRS(ICC_AP1R0_EL1));
    MSR(ICC_EOIR1_EL1, intid);
    printf("EOIR1 %u: active 0x%x, RPR 0x%lx, AP1R0 0x%lx\n", intid, sgi_bits(GICR_ISACTIVER0),
           (unsigned long)MRS(ICC_RPR_EL1), (unsigned long)MRS(ICC_AP1R0_EL1));
    wr32(GICR_SGI(0) + GICR_ISACTIVER0, 1u << 5);
    MSR(ICC_DIR_EL1, 5);
    printf("SGI 5 set active, ICC_DIR_EL1 5 with EOImode 0 (ignored): active 0x%x\n",
           sgi_bits(GICR_ISACTIVER0));
    MSR(ICC_EOIR1_EL1, 5);
    printf("ICC_EOIR1_EL1 5 with no active priority (ignored): active 0x%x\n",
           sgi_bits(GICR_ISACTIVER0));
    wr32(GICR_SGI(0) + GICR_ICACTIVER0, 1u << 5);
    IRQ_ENABLE();
}

int main(void)
{
    vectors_install_el1(handler);
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    gicr_wake(0);
    wr32(GICR_SGI(0) + GICR_IGROUPR0, 0xffffffff);
    for (unsigned i = 0; i < 16; i++)
        wr8(GICR_SGI(0) + GICR_IPRIORITYR + i, PRIO);
    wr32(GICR_SGI(0) + GICR_ISENABLER0, 0xffff);
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN1_EL1, 1);
    IRQ_ENABLE();
    eoimode0();
    eoimode1();
    acknowledge_by_hand();
    return 0;
}
