/* The guest side of the reference hypervisor (vm.h). Runs at EL1. */
#include "vm.h"

#include "gic_common.h"
#include "hyp.h"

void vm_gic_init(void)
{
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    gicr_wake(0);
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_BPR1_EL1, 0);
    MSR(ICC_CTLR_EL1, 0);
    MSR(ICC_IGRPEN1_EL1, 1);
}

/* The register that holds INTID's field: GICR_SGI_base for 0-31, GICD above. */
static uintptr_t field_reg(unsigned intid, uint32_t gicd_off, uint32_t gicr_off, unsigned bits)
{
    if (intid < 32)
        return GICR_SGI(0) + gicr_off + intid * bits / 32 * 4;
    return GICD + gicd_off + intid * bits / 32 * 4;
}

void vm_irq_setup(unsigned intid, uint8_t priority, bool edge)
{
    uint32_t bit = 1u << (intid % 32);
    uintptr_t group = field_reg(intid, GICD_IGROUPR, GICR_IGROUPR0, 1);
    wr32(group, rd32(group) | bit);
    wr8(intid < 32 ? GICR_SGI(0) + GICR_IPRIORITYR + intid : GICD + GICD_IPRIORITYR + intid,
        priority);
    if (intid >= 16) {
        uintptr_t cfg = field_reg(intid, GICD_ICFGR, GICR_ICFGR0, 2);
        unsigned shift = 2 * (intid % 16) + 1;
        wr32(cfg, (rd32(cfg) & ~(1u << shift)) | (uint32_t)edge << shift);
    }
    if (intid >= 32)
        mmio_write(GICD + GICD_IROUTER + 8 * intid, 8, 0);
    wr32(field_reg(intid, GICD_ISENABLER, GICR_ISENABLER0, 1), bit);
}

void vm_irq_clear_pending(unsigned intid)
{
    wr32(field_reg(intid, GICD_ICPENDR, GICR_ICPENDR0, 1), 1u << (intid % 32));
}

unsigned vm_ack(void)
{
    return (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
}

unsigned vm_irq_ack(const struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ)) {
        printf("guest: unexpected exception, vector 0x%x ESR 0x%x\n", (unsigned)f->vector,
               (unsigned)f->esr);
        vm_done(2);
    }
    return vm_ack();
}

void vm_eoi(unsigned intid)
{
    MSR(ICC_EOIR1_EL1, intid);
}

unsigned vm_hppir(void)
{
    return (unsigned)MRS(ICC_HPPIR1_EL1) & 0xffffff;
}

_Noreturn void vm_done(uint64_t status)
{
    register uint64_t x0 __asm__("x0") = status;
    __asm__ volatile("hvc %1" ::"r"(x0), "i"(HYP_HC_DONE) : "memory");
    for (;;)
        ;
}
