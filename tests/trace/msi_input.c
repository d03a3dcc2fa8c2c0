/*
 * MSIs from a stimulus file (@CYCLE msi DEVID EVENTID): the guest maps
 * device 0x10's events 0-3 to LPIs 8200-8203 (collection 0, PE 0), then
 * waits in WFI for the LPIs the stimulus's writes to GITS_TRANSLATER
 * raise, printing each INTID as it is taken, and powers off after the
 * fourth. Event 7 of device 0x10 and device 0x11 are not mapped: their
 * MSIs are dropped by the ITS and never reach the PE.
 */
#include "../guest/its_common.h"
#include "vectors.h"

#define DEVICE     0x10
#define EVENT_BITS 3

static uint8_t itt[ITS_ITT_BYTES(EVENT_BITS)] ITS_ITT_ALIGNED;
static volatile unsigned taken;

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ))
        guest_exit(2);
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return;
    printf("msi_input: LPI %u taken\n", intid);
    taken++;
    MSR(ICC_EOIR1_EL1, intid);
}

int main(void)
{
    IRQ_DISABLE();
    vectors_install_el1(handler);
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    its_lpi_setup(0);
    its_init();
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN1_EL1, 1);
    its_dt_l2_ensure(DEVICE);
    its_mapd(DEVICE, itt, EVENT_BITS, true);
    its_mapc(0, 0, true);
    for (uint32_t e = 0; e < 4; e++) {
        lpi_config(8200 + e, 0xa0, true);
        its_mapti(DEVICE, e, 8200 + e, 0);
    }
    its_sync(0);
    printf("msi_input: device 0x%x mapped, waiting for its MSIs\n", DEVICE);
    while (taken < 4) {
        __asm__ volatile("wfi" ::: "memory");
        IRQ_ENABLE();
        IRQ_DISABLE();
    }
    return 0;
}
