/* LPIs through the ITS on one PE, compared with QEMU's virt board (IHI 0069,
 * "LPIs" and "The ITS"). DeviceID 0 (what a CPU's write to GITS_TRANSLATER
 * carries on the board) gets an ITT with MAPD, collection 0 goes to PE 0
 * with MAPC, and MAPTI maps four EventIDs to LPIs of four priorities. Then:
 *  - four MSIs raised with PSTATE.I set are taken, once unmasked, in
 *    priority order, not INTID or arrival order;
 *  - MAPI (the LPI is the EventID itself) and the INT command deliver;
 *  - CLEAR removes the pending state of an LPI before it is taken;
 *  - an LPI disabled in the Configuration table (then INV) stays pending
 *    (in the Pending table, not as HPPI) and is taken once re-enabled + INV;
 *    the same for two LPIs with INVALL of their collection;
 *  - DISCARD removes a pending LPI and the mapping; an MSI after it does
 *    nothing, nor do MSIs after MAPD V=0.
 * Each step prints the INTIDs taken, in order. No command here is one the
 * ITS must reject (the negative cases use MSIs, which are just dropped). */
#include "its_common.h"
#include "vectors.h"

#define EVENT_BITS 14 /* MAPI needs EventIDs >= 8192 */
#define MAPI_EVENT 8250
#define WAIT_POLL  1000000u

static uint8_t itt0[ITS_ITT_BYTES(EVENT_BITS)] ITS_ITT_ALIGNED;

static const struct {
    uint32_t event, intid;
    uint8_t prio;
} ev[] = {
    {0, 8300, 0xa0},
    {1, 8193, 0x60},
    {2, 9000, 0x80},
    {3, 16383, 0x40},
};

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
    MSR(ICC_EOIR1_EL1, intid); /* priority drop; an LPI has no active state */
}

static unsigned hppir(void)
{
    return (unsigned)MRS(ICC_HPPIR1_EL1) & 0xffffff;
}

/* Wait until WANT interrupts were taken (or long enough to say they will not be). */
static void wait_taken(unsigned want)
{
    for (unsigned i = 0; i < WAIT_POLL && ntaken < want; i++)
        __asm__ volatile("yield" ::: "memory");
    settle(20000);
}

static void wait_hppir(unsigned want)
{
    for (unsigned i = 0; i < WAIT_POLL && hppir() != want; i++)
        __asm__ volatile("yield" ::: "memory");
}

/* Print what was taken since the last report and compare it with EXP. */
static void report(const char *what, unsigned n, const uint32_t *exp)
{
    printf("%s: taken %u%s", what, ntaken, ntaken ? ":" : "");
    for (unsigned i = 0; i < ntaken && i < 16; i++)
        printf(" %u", (unsigned)taken[i]);
    printf("\n");
    if (ntaken != n)
        bad++;
    for (unsigned i = 0; i < n && i < ntaken; i++)
        if (taken[i] != exp[i])
            bad++;
    ntaken = 0;
}

static void expect(bool cond)
{
    bad += !cond;
}

int main(void)
{
    IRQ_DISABLE();
    vectors_install_el1(handler);
    uint32_t typer = rd32(GICD + GICD_TYPER);
    printf("GICD_TYPER.LPIS %u, GICR_TYPER.PLPIS %u, GITS_TYPER.Physical %u\n",
           (unsigned)(typer >> 17) & 1,
           (unsigned)(mmio_read(ITS_GICR_RD(0) + ITS_GICR_TYPER, 8) & GICR_TYPER_PLPIS),
           (unsigned)(mmio_read(GITS_BASE + GITS_TYPER, 8) & GITS_TYPER_PHYSICAL));

    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    its_lpi_setup(0);
    printf("GICR_CTLR.EnableLPIs %u\n", rd32(ITS_GICR_RD(0) + ITS_GICR_CTLR) & 1);
    its_init();
    printf("GITS_CTLR.Enabled %u\n", rd32(GITS_BASE + GITS_CTLR) & GITS_CTLR_ENABLED);
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN1_EL1, 1);

    its_mapd(0, itt0, EVENT_BITS, true);
    its_mapc(0, 0, true);
    for (unsigned i = 0; i < 4; i++) {
        lpi_config(ev[i].intid, ev[i].prio, true);
        its_mapti(0, ev[i].event, ev[i].intid, 0);
    }
    its_sync(0);
    printf("MAPD DeviceID 0, MAPC ICID 0 -> PE 0, MAPTI:");
    for (unsigned i = 0; i < 4; i++)
        printf(" event %u -> LPI %u (0x%x)", (unsigned)ev[i].event, (unsigned)ev[i].intid,
               ev[i].prio);
    printf("\n");

    /* Four MSIs while PSTATE.I is set; unmasked, the highest priority first. */
    for (unsigned i = 0; i < 4; i++)
        its_msi(ev[i].event);
    wait_hppir(16383);
    printf("MSIs for events 0-3 with PSTATE.I set: HPPIR1 %u\n", hppir());
    IRQ_ENABLE();
    wait_taken(4);
    static const uint32_t order[] = {16383, 8193, 9000, 8300};
    report("unmasked", 4, order);

    /* MAPI: the LPI is the EventID. */
    lpi_config(MAPI_EVENT, 0x90, true);
    its_mapi(0, MAPI_EVENT, 0);
    its_msi(MAPI_EVENT);
    wait_taken(1);
    static const uint32_t mapi[] = {MAPI_EVENT};
    report("MAPI event 8250, MSI", 1, mapi);

    /* INT: the command makes the event's LPI pending. */
    its_int(0, 2);
    wait_taken(1);
    static const uint32_t intcmd[] = {9000};
    report("INT event 2", 1, intcmd);

    /* CLEAR before the LPI can be taken: it never is. */
    IRQ_DISABLE();
    its_msi(1);
    wait_hppir(8193);
    unsigned before = hppir();
    its_clear(0, 1);
    its_sync(0);
    printf(
        "MSI event 1 with PSTATE.I set: HPPIR1 %u; CLEAR + SYNC: HPPIR1 %u, Pending table bit %u\n",
        before, hppir(), lpi_pending_in_table(0, 8193));
    expect(before == 8193 && hppir() == INTID_SPURIOUS && !lpi_pending_in_table(0, 8193));
    IRQ_ENABLE();
    wait_taken(0);
    report("unmasked after CLEAR", 0, 0);

    /* Disabled in the Configuration table: pending, but not a candidate. */
    lpi_config(8300, 0xa0, false);
    its_inv(0, 0);
    its_msi(0);
    its_sync(0);
    wait_taken(0);
    printf("LPI 8300 disabled + INV, MSI event 0 + SYNC: HPPIR1 %u, Pending table bit %u\n",
           hppir(), lpi_pending_in_table(0, 8300));
    expect(hppir() == INTID_SPURIOUS && lpi_pending_in_table(0, 8300));
    report("while disabled", 0, 0);
    lpi_config(8300, 0xa0, true);
    its_inv(0, 0);
    wait_taken(1);
    static const uint32_t reen[] = {8300};
    report("re-enabled + INV", 1, reen);

    /* INVALL: two LPIs of collection 0 disabled and re-enabled at once. */
    lpi_config(8193, 0x60, false);
    lpi_config(9000, 0x80, false);
    its_invall(0);
    its_msi(1);
    its_msi(2);
    its_sync(0);
    wait_taken(0);
    printf("LPIs 8193 and 9000 disabled + INVALL, MSIs events 1 and 2: Pending table bits %u %u\n",
           lpi_pending_in_table(0, 8193), lpi_pending_in_table(0, 9000));
    report("while disabled", 0, 0);
    IRQ_DISABLE();
    lpi_config(8193, 0x60, true);
    lpi_config(9000, 0x80, true);
    its_invall(0);
    wait_hppir(8193);
    IRQ_ENABLE();
    wait_taken(2);
    static const uint32_t invall[] = {8193, 9000};
    report("re-enabled + INVALL", 2, invall);

    /* DISCARD of a pending LPI: the pending state goes with the mapping. */
    IRQ_DISABLE();
    its_msi(3);
    wait_hppir(16383);
    before = hppir();
    its_discard(0, 3);
    its_sync(0);
    printf("MSI event 3 with PSTATE.I set: HPPIR1 %u; DISCARD + SYNC: HPPIR1 %u, Pending table bit "
           "%u\n",
           before, hppir(), lpi_pending_in_table(0, 16383));
    expect(before == 16383 && hppir() == INTID_SPURIOUS);
    IRQ_ENABLE();
    its_msi(3);
    wait_taken(0);
    report("unmasked, then MSI event 3 after DISCARD", 0, 0);

    /* MAPD V=0: the device's events translate to nothing. */
    its_mapd(0, itt0, EVENT_BITS, false);
    its_msi(1);
    its_msi(2);
    wait_taken(0);
    report("MSIs events 1 and 2 after MAPD V=0", 0, 0);

    printf("ITS commands not consumed: %u; checks failed: %u\n", its.stuck, bad);
    return bad == 0 && its.stuck == 0 ? 0 : 1;
}
