/* 1-of-N SPI routing (GICD_IROUTER.Interrupt_Routing_Mode = 1) on two PEs
 * (a64sim --cpus 2). The architecture lets the GIC pick any participating
 * PE; a64sim's documented choice (docs/gic.md, "Routing SPIs") is the
 * lowest-numbered PE that has the SPI's group enabled at its CPU interface
 * and is awake (GICR_WAKER.ProcessorSleep = 0), re-made whenever either
 * changes. Each case pends edge SPI 40 with GICD_ISPENDR and prints the PE
 * that took it.
 *
 * a64sim only: QEMU 7.2 reports GICD_TYPER.No1N = 1 (1-of-N not supported)
 * and routes by the IROUTER affinity fields whatever IRM says
 * (docs/testing.md). */
#define GIC_SMP
#include "gic_common.h"

#define NPES  2
#define SPI   40
#define WORD1 4

static volatile uint32_t taken_by[NPES];
static volatile uint32_t ready, cmd, done; /* PE 1's mailbox */
static volatile uint64_t cmd_arg;

enum { CMD_IGRPEN1 = 1, CMD_WAKER };

void gic_interrupt(bool fiq)
{
    (void)fiq;
    unsigned intid = (unsigned)MRS(ICC_IAR1_EL1) & 0xffffff;
    if (intid == INTID_SPURIOUS)
        return;
    if (intid == SPI)
        taken_by[this_pe()]++;
    MSR(ICC_EOIR1_EL1, intid);
}

static void pe_setup(unsigned pe)
{
    gic_vectors_install();
    gicr_wake(pe);
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN1_EL1, 1);
    IRQ_ENABLE();
}

/* PE 1 sets its own ICC_IGRPEN1_EL1 or GICR_WAKER when asked. */
static void run_cmd(unsigned c, uint64_t arg)
{
    if (c == CMD_IGRPEN1) {
        MSR(ICC_IGRPEN1_EL1, arg);
    } else if (c == CMD_WAKER) {
        uintptr_t w = GICR_RD(1) + GICR_WAKER;
        wr32(w, arg ? GICR_WAKER_PROCESSOR_SLEEP : 0);
    }
}

void secondary_main(uint64_t pe)
{
    pe_setup((unsigned)pe);
    ready = 1;
    unsigned seq = 0;
    for (;;) {
        if (cmd != seq) {
            run_cmd(cmd & 0xff, cmd_arg);
            seq = cmd;
            done = seq;
        }
        __asm__ volatile("yield" ::: "memory");
    }
}

static void pe1_do(unsigned c, uint64_t arg)
{
    static unsigned seq;
    seq += 0x100;
    cmd_arg = arg;
    cmd = seq | c;
    while (done != (seq | c))
        __asm__ volatile("yield" ::: "memory");
}

static void pe0_igrpen1(uint64_t v)
{
    MSR(ICC_IGRPEN1_EL1, v);
}

static void pe0_sleep(bool sleep)
{
    wr32(GICR_RD(0) + GICR_WAKER, sleep ? GICR_WAKER_PROCESSOR_SLEEP : 0);
}

/* Wait until some PE has taken the SPI, or long enough to say none will. */
static void wait_taken(void)
{
    for (unsigned i = 0; i < 1000000 && taken_by[0] + taken_by[1] == 0; i++)
        __asm__ volatile("yield" ::: "memory");
    settle(2000);
}

/* Pend SPI 40 and report who took it (or that it is still pending). */
static void pend_and_report(const char *what)
{
    taken_by[0] = taken_by[1] = 0;
    wr32(GICD + GICD_ISPENDR + WORD1, 1u << (SPI % 32));
    wait_taken();
    printf("%s: taken by PE 0 %u, PE 1 %u; still pending %u\n", what, taken_by[0], taken_by[1],
           (rd32(GICD + GICD_ISPENDR + WORD1) >> (SPI % 32)) & 1);
}

static void set_irouter(uint64_t v)
{
    mmio_write(GICD + GICD_IROUTER + 8 * SPI, 8, v);
}

int main(void)
{
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    printf("GICD_TYPER.No1N %u\n", (rd32(GICD + GICD_TYPER) >> 25) & 1);
    wr32(GICD + GICD_IGROUPR + WORD1, 0xffffffff);
    wr8(GICD + GICD_IPRIORITYR + SPI, 0x80);
    wr32(GICD + GICD_ICFGR + 8, 2u << (2 * (SPI % 16))); /* edge */
    wr32(GICD + GICD_ISENABLER + WORD1, 1u << (SPI % 32));
    pe_setup(0);
    int64_t r = psci_cpu_on(1, gic_secondary_entry, 1);
    if (r != 0) {
        printf("CPU_ON(1) failed: %d\n", (int)r);
        return 1;
    }
    while (!ready)
        __asm__ volatile("yield" ::: "memory");

    set_irouter(1); /* IRM 0, Aff0 1 */
    pend_and_report("IRM 0, affinity 0.0.0.1");
    set_irouter(GICD_IROUTER_IRM);
    printf("IROUTER%u with IRM 1 reads 0x%lx\n", SPI,
           (unsigned long)mmio_read(GICD + GICD_IROUTER + 8 * SPI, 8));
    pend_and_report("IRM 1, both PEs eligible");
    set_irouter(GICD_IROUTER_IRM | 1);
    pend_and_report("IRM 1 with affinity 0.0.0.1 (ignored)");
    pe0_igrpen1(0);
    pend_and_report("IRM 1, PE 0 ICC_IGRPEN1_EL1 0");
    pe0_igrpen1(1);
    pe0_sleep(true);
    pend_and_report("IRM 1, PE 0 GICR_WAKER.ProcessorSleep 1");
    pe0_sleep(false);
    pe0_igrpen1(0);
    pe1_do(CMD_IGRPEN1, 0);
    pend_and_report("IRM 1, Group 1 disabled on both PEs");
    pe1_do(CMD_IGRPEN1, 1);
    wait_taken();
    printf("PE 1 enables Group 1: taken by PE 0 %u, PE 1 %u; still pending %u\n", taken_by[0],
           taken_by[1], (rd32(GICD + GICD_ISPENDR + WORD1) >> (SPI % 32)) & 1);
    pe0_igrpen1(1);
    /* Pending while PE 0 cannot take it (PSTATE.I set): it stays with PE 0,
     * since PSTATE is the PE's, not the GIC's, to know. */
    IRQ_DISABLE();
    taken_by[0] = taken_by[1] = 0;
    wr32(GICD + GICD_ISPENDR + WORD1, 1u << (SPI % 32));
    settle(20000);
    unsigned pe1_while_masked = taken_by[1];
    IRQ_ENABLE();
    wait_taken();
    printf("IRM 1, PE 0 with PSTATE.I set: PE 1 took %u; PE 0 took %u once unmasked\n",
           pe1_while_masked, taken_by[0]);
    return 0;
}
