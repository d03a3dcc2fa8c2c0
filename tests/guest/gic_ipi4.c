/* SGIs between four PEs (run with a64sim --cpus 4, QEMU -smp 4), compared
 * with QEMU's virt board. PE 0 starts PEs 1-3 with PSCI CPU_ON; every PE
 * wakes its redistributor, makes its SGIs Group 1 and enabled, and counts
 * each SGI it acknowledges. Then, one phase at a time, PEs generate SGIs
 * through ICC_SGI1R_EL1 / ICC_SGI0R_EL1 (IHI 0069, the SGI register
 * fields): a TargetList, one Aff0 target each, a TargetList that includes
 * the sender, IRM = 1 (every PE but the sender), targets that match no PE
 * (Aff1 = 1, Aff0 = 5), and a Group 0 SGI taken as FIQ. PE 0 waits until
 * each phase's SGIs have arrived and finally prints the count of every
 * SGI at every PE: the same table whatever order they arrived in. */
#define GIC_SMP
#include "gic_common.h"

#define NPES      4
#define PRIO      0x80
#define SGI_GRP0  11       /* Group 0 at PE 3 only: FIQ */
#define WAIT_POLL 2000000u /* polls before a phase is declared incomplete */

static volatile uint32_t got[NPES][16]; /* written only by the PE that owns the row */
static volatile uint32_t got_fiq[NPES][16];
static volatile uint32_t ready[NPES];
static volatile uint32_t cmd[NPES];  /* PE 0 asks PE n to run phase cmd[n] */
static volatile uint32_t done[NPES]; /* and PE n answers with the phase it ran */

/* Acknowledge through the register of the group the line belongs to. */
void gic_interrupt(bool fiq)
{
    unsigned pe = this_pe();
    unsigned intid = (unsigned)(fiq ? MRS(ICC_IAR0_EL1) : MRS(ICC_IAR1_EL1)) & 0xffffff;
    if (intid >= 16)
        return; /* spurious (1023): nothing to end */
    if (fiq) {
        got_fiq[pe][intid]++;
        MSR(ICC_EOIR0_EL1, intid);
        return;
    }
    got[pe][intid]++;
    MSR(ICC_EOIR1_EL1, intid);
}

/* Per-PE set-up: vectors, redistributor awake, SGIs 0-15 Group 1 at PRIO
 * and enabled (SGI_GRP0 Group 0 on PE 3), both groups on, PMR open. */
static void pe_setup(unsigned pe)
{
    gic_vectors_install();
    gicr_wake(pe);
    uint32_t group = pe == 3 ? ~(1u << SGI_GRP0) : 0xffffffffu;
    wr32(GICR_SGI(pe) + GICR_IGROUPR0, group);
    for (unsigned i = 0; i < 16; i++)
        wr8(GICR_SGI(pe) + GICR_IPRIORITYR + i, PRIO);
    wr32(GICR_SGI(pe) + GICR_ISENABLER0, 0xffff);
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN0_EL1, 1);
    MSR(ICC_IGRPEN1_EL1, 1);
    __asm__ volatile("msr daifclr, #3\n\tisb" ::: "memory");
}

/* What PE pe sends in each phase. */
static void run_phase(unsigned pe, unsigned phase)
{
    switch (phase) {
    case 1: /* TargetList 0b1110 from PE 0 */
        if (pe == 0)
            SEND_SGI(ICC_SGI1R_EL1, sgi_value(1, 0xe));
        break;
    case 2: /* each PE to the next one, Aff0 = (pe + 1) % 4 */
        SEND_SGI(ICC_SGI1R_EL1, sgi_value(2, (uint16_t)(1u << ((pe + 1) % NPES))));
        break;
    case 3: /* TargetList 0b1111 from PE 2: the sender is a target too */
        if (pe == 2)
            SEND_SGI(ICC_SGI1R_EL1, sgi_value(3, 0xf));
        break;
    case 4: /* IRM = 1: every PE but the sender; the TargetList is ignored */
        SEND_SGI(ICC_SGI1R_EL1, SGIR_IRM | sgi_value(4 + pe, 0x1));
        break;
    case 5: /* no PE has Aff1 = 1 or Aff0 = 5; then SGI 10 to PE 0 ends the phase */
        if (pe == 1) {
            SEND_SGI(ICC_SGI1R_EL1, SGIR_AFF1(1) | sgi_value(8, 0xf));
            SEND_SGI(ICC_SGI1R_EL1, sgi_value(9, 1u << 5));
            SEND_SGI(ICC_SGI1R_EL1, sgi_value(10, 0x1));
        }
        break;
    case 6: /* Group 0 SGI through ICC_SGI0R_EL1 to PE 3: FIQ */
        if (pe == 0)
            SEND_SGI(ICC_SGI0R_EL1, sgi_value(SGI_GRP0, 0x8));
        break;
    }
}

void secondary_main(uint64_t pe)
{
    unsigned me = (unsigned)pe;
    pe_setup(me);
    ready[me] = 1;
    for (;;) {
        unsigned c = cmd[me];
        if (c != done[me]) {
            run_phase(me, c);
            done[me] = c;
        }
        __asm__ volatile("yield" ::: "memory");
    }
}

static unsigned total_received(void)
{
    unsigned n = 0;
    for (unsigned pe = 0; pe < NPES; pe++)
        for (unsigned i = 0; i < 16; i++)
            n += got[pe][i] + got_fiq[pe][i];
    return n;
}

/* Run a phase on every PE, then wait until WANT SGIs in all have arrived. */
static void phase(unsigned p, unsigned want)
{
    for (unsigned pe = 1; pe < NPES; pe++)
        cmd[pe] = p;
    run_phase(0, p);
    for (unsigned pe = 1; pe < NPES; pe++)
        while (done[pe] != p)
            __asm__ volatile("yield" ::: "memory");
    for (unsigned i = 0; i < WAIT_POLL && total_received() < want; i++)
        __asm__ volatile("yield" ::: "memory");
    printf("phase %u: %u SGIs received in total (expected %u)\n", p, total_received(), want);
}

static void print_table(void)
{
    for (unsigned pe = 0; pe < NPES; pe++) {
        printf("PE %u IRQ:", pe);
        for (unsigned i = 0; i < 16; i++)
            printf(" %u", got[pe][i]);
        printf("  FIQ SGI %u: %u\n", SGI_GRP0, got_fiq[pe][SGI_GRP0]);
    }
}

int main(void)
{
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
    pe_setup(0);
    for (unsigned pe = 1; pe < NPES; pe++) {
        int64_t r = psci_cpu_on(pe, gic_secondary_entry, pe);
        if (r != 0) {
            printf("CPU_ON(%u) failed: %d\n", pe, (int)r);
            return 1;
        }
    }
    for (unsigned pe = 1; pe < NPES; pe++)
        while (!ready[pe])
            __asm__ volatile("yield" ::: "memory");
    printf("gic_ipi4: %u PEs up, SGIs 0-15 Group 1 (SGI %u Group 0 at PE 3), priority 0x%x\n", NPES,
           SGI_GRP0, PRIO);

    unsigned want = 0;
    phase(1, want += 3);  /* PEs 1, 2, 3 */
    phase(2, want += 4);  /* one at each PE */
    phase(3, want += 4);  /* all four, PE 2 included */
    phase(4, want += 12); /* 4 senders x 3 others */
    phase(5, want += 1);  /* only SGI 10 at PE 0 */
    phase(6, want += 1);  /* FIQ at PE 3 */
    settle(20000);        /* anything late or misrouted would show in the table */
    print_table();

    /* The expected table, from the TargetList/IRM rules. */
    unsigned bad = 0;
    for (unsigned pe = 0; pe < NPES; pe++) {
        for (unsigned i = 0; i < 16; i++) {
            unsigned exp = 0;
            exp += i == 1 && pe != 0;
            exp += i == 2;
            exp += i == 3;
            exp += i >= 4 && i <= 7 && pe != i - 4;
            exp += i == 10 && pe == 0;
            unsigned exp_fiq = i == SGI_GRP0 && pe == 3;
            bad += got[pe][i] != exp;
            bad += got_fiq[pe][i] != exp_fiq;
        }
    }
    printf("counts that differ from the TargetList/IRM rules: %u\n", bad);
    return bad == 0 ? 0 : 1;
}
