/* A two-level device table (IHI 0069, "The ITS tables": GITS_BASER<n>.Indirect
 * 1), compared with QEMU's virt board. The device table's GITS_BASER is
 * written with Indirect = 1; its 64 KiB are then a level-1 table of 8-byte
 * entries (Valid, bit 63, and the address of a level-2 table of one ITS page),
 * and its_mapd() fills in a level-2 table the first time a DeviceID needs
 * one. A CPU's MSI carries DeviceID 0, so the large DeviceIDs 0x1234 and
 * 0x2345 (in different level-2 tables whenever one holds at most 8192
 * entries, as 64 KiB of 8-byte entries does) are driven with INT commands:
 *  - INT for events of DeviceIDs 0x1234 and 0x2345 and an MSI of DeviceID 0
 *    are each taken as the LPI MAPTI gave them;
 *  - INT for DeviceID 0x7000, whose level-1 entry is invalid, does nothing;
 *  - after MAPD V=0 of DeviceID 0x1234 its events do nothing, while
 *    DeviceID 0x2345 still delivers;
 *  - the ITS never wrote the level-1 table: every entry is 0 or one the
 *    guest wrote.
 * The two INTs for unmapped devices are command errors, which IHI 0069 lets
 * an ITS ignore or stall on (CONSTRAINED UNPREDICTABLE); QEMU ignores them
 * and goes on, and a stall would show as commands not consumed. */
#define ITS_DT_INDIRECT
#include "its_common.h"
#include "vectors.h"

#define EVENT_BITS 5
#define DEV_A      0x1234u
#define DEV_B      0x2345u
#define DEV_NONE   0x7000u
#define WAIT_POLL  1000000u

static uint8_t itt_0[ITS_ITT_BYTES(EVENT_BITS)] ITS_ITT_ALIGNED;
static uint8_t itt_a[ITS_ITT_BYTES(EVENT_BITS)] ITS_ITT_ALIGNED;
static uint8_t itt_b[ITS_ITT_BYTES(EVENT_BITS)] ITS_ITT_ALIGNED;

static volatile unsigned ntaken;
static volatile uint32_t taken[16];
static unsigned bad;

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ)) {
        printf("unexpected exception at vector 0x%x, ESR 0x%x\n", (unsigned)f->vector,
               (unsigned)f->esr);
        guest_exit(2);
    }
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return;
    if (ntaken < 16)
        taken[ntaken] = intid;
    ntaken++;
    MSR(ICC_EOIR1_EL1, intid);
}

static void wait_taken(unsigned want)
{
    for (unsigned i = 0; i < WAIT_POLL && ntaken < want; i++)
        __asm__ volatile("yield" ::: "memory");
    settle(20000);
}

/* Print what was taken (in order) and compare it with the one LPI expected (0: none). */
static void report(const char *what, uint32_t exp)
{
    printf("%s: taken %u%s", what, ntaken, ntaken ? ":" : "");
    for (unsigned i = 0; i < ntaken && i < 16; i++)
        printf(" %u", (unsigned)taken[i]);
    printf("\n");
    bad += exp ? ntaken != 1 || taken[0] != exp : ntaken != 0;
    ntaken = 0;
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
    IRQ_ENABLE();

    if (its.dt_indirect)
        printf("device table: GITS_BASER.Indirect reads 1 after the write: two-level\n");
    else
        printf("device table: GITS_BASER.Indirect reads 0 after the write: flat\n");
    unsigned devbits = GITS_TYPER_DEVBITS(its.typer);
    printf("GITS_TYPER.Devbits covers DeviceIDs up to 0x%x: %s\n", DEV_NONE,
           devbits >= 15 ? "yes" : "no");

    its_mapc(0, 0, true);
    its_mapd(0, itt_0, EVENT_BITS, true);
    its_mapd(DEV_A, itt_a, EVENT_BITS, true);
    its_mapd(DEV_B, itt_b, EVENT_BITS, true);
    lpi_config(8400, 0x80, true);
    lpi_config(8401, 0x80, true);
    lpi_config(8402, 0x80, true);
    its_mapti(DEV_A, 5, 8400, 0);
    its_mapti(DEV_B, 31, 8401, 0);
    its_mapti(0, 1, 8402, 0);
    its_sync(0);
    printf("MAPD DeviceIDs 0, 0x%x, 0x%x; MAPTI 0x%x/5 -> 8400, 0x%x/31 -> 8401, 0/1 -> 8402\n",
           DEV_A, DEV_B, DEV_A, DEV_B);

    its_int(DEV_A, 5);
    wait_taken(1);
    report("INT DeviceID 0x1234 event 5", 8400);
    its_int(DEV_B, 31);
    wait_taken(1);
    report("INT DeviceID 0x2345 event 31", 8401);
    its_msi(1);
    wait_taken(1);
    report("MSI (DeviceID 0) event 1", 8402);

    /* A DeviceID whose level-1 entry was never made valid. */
    its_int(DEV_NONE, 0);
    wait_taken(0);
    report("INT DeviceID 0x7000 (level-1 entry invalid)", 0);

    /* Unmapping one device leaves the others. */
    its_mapd(DEV_A, itt_a, EVENT_BITS, false);
    its_int(DEV_A, 5);
    wait_taken(0);
    report("MAPD DeviceID 0x1234 V=0, INT event 5", 0);
    its_int(DEV_B, 31);
    wait_taken(1);
    report("INT DeviceID 0x2345 event 31", 8401);

    /* The level-1 table is the guest's: Valid + the address of a level-2 table, or 0. */
    unsigned foreign = 0;
    for (unsigned i = 0; its.dt_indirect && i < ITS_TABLE_BYTES / 8; i++) {
        uint64_t e = its_dev_table[i];
        bool ours = e == 0;
        for (unsigned p = 0; p < its.l2_used; p++)
            ours |= e == (GITS_LVL1_VALID | (uint64_t)(uintptr_t)its_l2_pool[p]);
        foreign += !ours;
    }
    printf("level-1 entries the guest did not write: %u\n", foreign);
    bad += foreign != 0;

    printf("ITS commands not consumed: %u; checks failed: %u\n", its.stuck, bad);
    return bad == 0 && its.stuck == 0 ? 0 : 1;
}
