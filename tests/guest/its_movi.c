/* Moving LPIs between two PEs through the ITS (a64sim --cpus 2, QEMU
 * -smp 2), compared with QEMU's virt board (IHI 0069, "The ITS": MAPC,
 * MOVI, MOVALL). Both PEs enable LPIs at their redistributors; collection 0
 * goes to PE 0 and collection 1 to PE 1, and DeviceID 0's events 0-3 map to
 * LPIs 8192-8195 in collection 0. Then:
 *  - an MSI is taken on PE 0; MOVI moves the event to collection 1 and the
 *    next MSI is taken on PE 1;
 *  - MOVI of an LPI pending at PE 0 (PSTATE.I set there) moves the pending
 *    state too: PE 1 takes it, PE 0 never does;
 *  - MAPC re-maps collection 1 to PE 0: its LPIs follow;
 *  - MAPC collection 0 to PE 1 and MOVALL PE 0 -> PE 1 take two LPIs
 *    pending at PE 0 over to PE 1, and later MSIs go there too;
 *  - after MAPC V=0 the collection's LPIs go nowhere.
 * Only PE 0 prints and sends MSIs: it waits for the interrupts to arrive
 * and prints what each PE took (in INTID order), whatever the timing. */
#define GIC_SMP
#include "its_common.h"

#define NPES       2
#define EVENT_BITS 4
#define WAIT_POLL  2000000u

static uint8_t itt0[ITS_ITT_BYTES(EVENT_BITS)] ITS_ITT_ALIGNED;

static const struct {
    uint32_t intid;
    uint8_t prio;
} ev[4] = {{8192, 0x80}, {8193, 0x80}, {8194, 0x60}, {8195, 0xa0}};

static volatile uint32_t ntaken[NPES]; /* written by the PE that owns it, reset by PE 0 */
static volatile uint32_t taken[NPES][16];
static volatile uint32_t ready;
static unsigned bad;

void gic_interrupt(bool fiq)
{
    (void)fiq;
    unsigned pe = this_pe();
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return;
    if (ntaken[pe] < 16)
        taken[pe][ntaken[pe]] = intid;
    ntaken[pe]++;
    MSR(ICC_EOIR1_EL1, intid);
}

static void pe_setup(unsigned pe)
{
    gic_vectors_install();
    its_lpi_setup(pe);
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN1_EL1, 1);
}

void secondary_main(uint64_t pe)
{
    pe_setup((unsigned)pe);
    IRQ_ENABLE();
    ready = 1;
    for (;;)
        __asm__ volatile("wfi" ::: "memory");
}

static unsigned total(void)
{
    return ntaken[0] + ntaken[1];
}

static void wait_total(unsigned want)
{
    for (unsigned i = 0; i < WAIT_POLL && total() < want; i++)
        __asm__ volatile("yield" ::: "memory");
    settle(20000);
}

static unsigned hppir(void)
{
    return (unsigned)MRS(ICC_HPPIR1_EL1) & 0xffffff;
}

static void wait_hppir(unsigned want)
{
    for (unsigned i = 0; i < WAIT_POLL && hppir() != want; i++)
        __asm__ volatile("yield" ::: "memory");
}

/* Print what each PE took since the last report, sorted, and compare it
 * with EXP0 / EXP1 (INTIDs in ascending order, 0-terminated). */
static void report(const char *what, const uint32_t *exp0, const uint32_t *exp1)
{
    printf("%s:", what);
    for (unsigned pe = 0; pe < NPES; pe++) {
        uint32_t s[16];
        unsigned n = ntaken[pe] < 16 ? ntaken[pe] : 16;
        for (unsigned i = 0; i < n; i++) {
            uint32_t v = taken[pe][i];
            unsigned j = i;
            for (; j > 0 && s[j - 1] > v; j--)
                s[j] = s[j - 1];
            s[j] = v;
        }
        printf(" PE %u took", pe);
        if (n == 0)
            printf(" nothing");
        for (unsigned i = 0; i < n; i++)
            printf(" %u", (unsigned)s[i]);
        printf(pe + 1 < NPES ? ";" : "\n");
        const uint32_t *exp = pe == 0 ? exp0 : exp1;
        unsigned m = 0;
        while (exp[m])
            m++;
        bad += ntaken[pe] != m;
        for (unsigned i = 0; i < n && i < m; i++)
            bad += s[i] != exp[i];
        ntaken[pe] = 0;
    }
}

static const uint32_t none[] = {0};

int main(void)
{
    IRQ_DISABLE();
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    pe_setup(0);
    its_init();
    IRQ_ENABLE();
    int64_t r = psci_cpu_on(1, gic_secondary_entry, 1);
    if (r != 0) {
        printf("CPU_ON(1) failed: %d\n", (int)r);
        return 1;
    }
    while (!ready)
        __asm__ volatile("yield" ::: "memory");

    its_mapd(0, itt0, EVENT_BITS, true);
    its_mapc(0, 0, true);
    its_mapc(1, 1, true);
    for (unsigned i = 0; i < 4; i++) {
        lpi_config(ev[i].intid, ev[i].prio, true);
        its_mapti(0, i, ev[i].intid, 0);
    }
    its_sync(0);
    its_sync(1);
    printf("its_movi: 2 PEs with LPIs enabled; MAPC ICID 0 -> PE 0, ICID 1 -> PE 1; "
           "MAPTI DeviceID 0 events 0-3 -> LPIs 8192-8195 in ICID 0\n");

    its_msi(0);
    wait_total(1);
    static const uint32_t e0[] = {8192, 0};
    report("MSI event 0 (ICID 0)", e0, none);

    its_movi(0, 0, 1);
    its_sync(1);
    its_msi(0);
    wait_total(1);
    report("MOVI event 0 to ICID 1, MSI event 0", none, e0);

    /* MOVI of a pending LPI: its pending state moves with it. */
    IRQ_DISABLE();
    its_msi(1);
    wait_hppir(8193);
    unsigned before = hppir();
    its_movi(0, 1, 1);
    its_sync(1);
    wait_total(1);
    unsigned after = hppir();
    printf("MSI event 1 with PSTATE.I set at PE 0: PE 0 HPPIR1 %u; after MOVI to ICID 1: %u\n",
           before, after);
    bad += before != 8193 || after != INTID_SPURIOUS;
    IRQ_ENABLE();
    settle(20000);
    static const uint32_t e1[] = {8193, 0};
    report("MOVI of the pending LPI 8193, then PE 0 unmasked", none, e1);

    /* MAPC re-maps collection 1 (nothing pending in it) to PE 0. */
    its_mapc(1, 0, true);
    its_sync(0);
    its_msi(0);
    its_msi(1);
    wait_total(2);
    static const uint32_t e01[] = {8192, 8193, 0};
    report("MAPC ICID 1 -> PE 0, MSIs events 0 and 1", e01, none);

    /* MOVALL: two LPIs pending at PE 0 go over to PE 1. */
    IRQ_DISABLE();
    its_msi(3);
    wait_hppir(8195);
    its_msi(2);
    wait_hppir(8194);
    before = hppir();
    its_mapc(0, 1, true);
    its_movall(0, 1);
    its_sync(1);
    wait_total(2);
    after = hppir();
    printf("MSIs events 2 and 3 with PSTATE.I set at PE 0: PE 0 HPPIR1 %u; "
           "after MAPC ICID 0 -> PE 1 and MOVALL PE 0 -> PE 1: %u\n",
           before, after);
    bad += before != 8194 || after != INTID_SPURIOUS;
    IRQ_ENABLE();
    settle(20000);
    static const uint32_t e23[] = {8194, 8195, 0};
    report("MOVALL, then PE 0 unmasked", none, e23);
    its_msi(2);
    wait_total(1);
    static const uint32_t e2[] = {8194, 0};
    report("MSI event 2 (ICID 0, now PE 1)", none, e2);

    /* MAPC V=0: the collection's LPIs have no target. */
    its_mapc(0, 1, false);
    its_sync(1);
    its_msi(2);
    its_msi(3);
    settle(20000);
    report("MAPC ICID 0 V=0, MSIs events 2 and 3", none, none);

    printf("ITS commands not consumed: %u; checks failed: %u\n", its.stuck, bad);
    return bad == 0 && its.stuck == 0 ? 0 : 1;
}
