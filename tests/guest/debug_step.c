/*
 * Self-hosted debug: software step. An EL1 kernel with the MMU off and
 * MDSCR_EL1.SS set steps an EL0 sequence: it enters EL0 with SPSR.SS = 1,
 * and each software step exception's handler sets SPSR.SS again, so one
 * instruction runs per exception. Expected values are from the Arm ARM
 * (D2, "Software Step exceptions": the state machine, ESR_ELx EC 0x32/0x33
 * with ISV, EX and IFSC 0x22, SPSR_ELx.SS); QEMU's virt board must print
 * the same.
 *
 * Checked, in order: plain instructions and a taken branch, each reported
 * with ISV = 1 at the next instruction; LDXR with EX = 1; SVC, which
 * completes by generating its exception (SPSR.SS = 0), so that the return
 * from its handler takes the step exception at once, with ISV = 0; UDF,
 * which does not complete (SPSR.SS = 1), so that after its handler skips
 * it one more instruction runs before the next step exception. Then at
 * EL1 with MDSCR_EL1.KDE: clearing PSTATE.D makes the step pending
 * (PSTATE.SS is 0), taken to EL1 itself at the next instruction. An IRQ
 * (SGI 5 to this PE) pending when step begins is taken before the
 * instruction is stepped (SPSR.SS = 1), which is stepped after it.
 */
#include <stdint.h>

#include "debug_common.h"
#include "gic_common.h"

#define EL0T 0x0ull

#define PROBE(name) "\t.balign 4\n\t.type " #name ", %function\n" #name ":\n"

/* e_seq(X0 = a doubleword for LDXR) is stepped at EL0; the offsets are
 * those of the expected table. e_daifclr runs at EL1. */
__asm__("\t.text\n" PROBE(
    e_seq) "\tmov x1, #1\n"                           /* +0 */
           "\tadd x1, x1, #2\n"                       /* +4 */
           "\tb 1f\n"                                 /* +8 */
           "\tnop\n"                                  /* +12, branched over */
           "1:\tldxr x2, [x0]\n"                      /* +16 */
           "\tclrex\n"                                /* +20 */
           "\tsvc #7\n"                               /* +24 */
           "\tnop\n"                                  /* +28 */
           "\tudf #1\n"                               /* +32 */
           "\tnop\n"                                  /* +36 */
           "\tsvc #0xff\n"                            /* +40: back to the kernel */
           "\tb .\n" PROBE(e_irq_seq) "\tnop\n"       /* +0: the IRQ is taken before it */
                                      "\tnop\n"       /* +4 */
                                      "\tsvc #0xff\n" /* +8 */
                                      "\tb .\n" PROBE(e_daifclr) "\tmsr nzcv, xzr\n"
                                                                 "\tmsr daifclr, #8\n" /* +4 */
                                                                 "\tnop\n"             /* +8 */
                                                                 "\tmsr daifset, #8\n"
                                                                 "\tret\n");

void e_seq(uint64_t addr);
void e_irq_seq(uint64_t x0);
void e_daifclr(void);

#define SEQ_END 40 /* the handler stops stepping there */

static uint64_t ldxr_word __attribute__((aligned(16)));

struct event {
    uint64_t vector, esr, elr, spsr;
};
static struct event log[16];
static uint64_t stop_at; /* the ELR at which the handler stops stepping */
static unsigned nlog;

static void handler(struct exc_frame *f)
{
    if (debug_el0_exit(f))
        return;
    if (f->vector == VEC_LOWER_A64 + VEC_IRQ) {
        /* ESR_EL1 is not written for an IRQ: log 0. */
        uint64_t intid = MRS(ICC_IAR1_EL1);
        MSR(ICC_EOIR1_EL1, intid);
        if (nlog < 16)
            log[nlog++] = (struct event){f->vector, 0, f->elr, f->spsr};
        return;
    }
    if (nlog < 16)
        log[nlog++] = (struct event){f->vector, f->esr, f->elr, f->spsr};
    unsigned ec = ESR_EC(f->esr);
    bool stop = f->elr == stop_at || f->el != 1 || f->vector != VEC_LOWER_A64;
    if (ec == 0x32 || ec == 0x33) {
        if (stop) {
            wr_mdscr_el1(rd_mdscr_el1() & ~MDSCR_SS);
            f->spsr &= ~SPSR_SS;
        } else {
            f->spsr |= SPSR_SS; /* step one more instruction */
        }
    } else if (ec == 0x00) {
        f->elr += 4; /* skip the UDF; SPSR.SS stays as taken */
    }
}

struct want {
    const char *what;
    uint64_t vector, esr;
    const char *sym;
    uint64_t base, off, spsr;
};

static void check_log(const struct want *w, unsigned n)
{
    for (unsigned i = 0; i < n || i < nlog; i++) {
        exc_checks++;
        if (i >= nlog || i >= n) {
            exc_failures++;
            printf("event %u: FAIL: %u events, expected %u\n", i, nlog, n);
            return;
        }
        const struct event *e = &log[i];
        bool ok = e->vector == w[i].vector && e->esr == w[i].esr &&
                  e->elr == w[i].base + w[i].off && e->spsr == w[i].spsr;
        printf("event %u (%s): vector 0x%03lx ESR 0x%08lx ELR ", i, w[i].what,
               (unsigned long)e->vector, (unsigned long)e->esr);
        exc_print_sym(w[i].sym, (int64_t)(e->elr - w[i].base));
        printf(" SPSR 0x%08lx %s\n", (unsigned long)e->spsr, ok ? "ok" : "FAIL");
        if (!ok) {
            exc_failures++;
            printf("  expected vector 0x%03lx ESR 0x%08lx ELR ", (unsigned long)w[i].vector,
                   (unsigned long)w[i].esr);
            exc_print_sym(w[i].sym, (int64_t)w[i].off);
            printf(" SPSR 0x%08lx\n", (unsigned long)w[i].spsr);
        }
    }
}

#define STEP(off)                                                                                  \
    {                                                                                              \
        "step", VEC_LOWER_A64, ESR_STEP_LOWER | ESR_ISV, "e_seq", ADDR(e_seq), off, EL0T           \
    }
#define STEP_EX(off)                                                                               \
    {                                                                                              \
        "step, EX", VEC_LOWER_A64, ESR_STEP_LOWER | ESR_ISV | ESR_EX, "e_seq", ADDR(e_seq), off,   \
            EL0T                                                                                   \
    }

static void step_el0(void)
{
    const struct want w[] = {
        STEP(4),
        STEP(8),
        STEP(16),
        STEP_EX(20),
        STEP(24),
        {"svc #7, SPSR.SS 0", VEC_LOWER_A64, 0x56000007, "e_seq", ADDR(e_seq), 28, EL0T},
        {"step, no instruction stepped", VEC_LOWER_A64, ESR_STEP_LOWER, "e_seq", ADDR(e_seq), 28,
         EL0T},
        STEP(32),
        {"udf #1, SPSR.SS 1", VEC_LOWER_A64, 0x02000000, "e_seq", ADDR(e_seq), 32, EL0T | SPSR_SS},
        STEP(40),
    };
    nlog = 0;
    wr_mdscr_el1(MDSCR_SS);
    lower_call(e_seq, ADDR(&ldxr_word), EL0T | SPSR_SS);
    check_log(w, sizeof(w) / sizeof(w[0]));
    expect_value("MDSCR_EL1 after the handler stopped stepping", rd_mdscr_el1(), 0);
}

/* An interrupt pending when ERET enters EL0 with SPSR.SS = 1 is taken
 * before the instruction is stepped, so it is saved with SPSR.SS = 1, and
 * the return from its handler steps that instruction. */
static void step_irq(void)
{
    const struct want w[] = {
        {"IRQ before the first instruction, SPSR.SS 1", VEC_LOWER_A64 + VEC_IRQ, 0, "e_irq_seq",
         ADDR(e_irq_seq), 0, EL0T | SPSR_SS},
        {"step", VEC_LOWER_A64, ESR_STEP_LOWER | ESR_ISV, "e_irq_seq", ADDR(e_irq_seq), 4, EL0T},
        {"step", VEC_LOWER_A64, ESR_STEP_LOWER | ESR_ISV, "e_irq_seq", ADDR(e_irq_seq), 8, EL0T},
    };
    gic_ppis_to_irq(1u << 5);
    SEND_SGI(ICC_SGI1R_EL1, sgi_value(5, 1)); /* SGI 5 to this PE, IRQs masked here */
    settle(1000);
    nlog = 0;
    stop_at = ADDR(e_irq_seq) + 8;
    wr_mdscr_el1(MDSCR_SS);
    lower_call(e_irq_seq, 0, EL0T | SPSR_SS);
    check_log(w, sizeof(w) / sizeof(w[0]));
    stop_at = ADDR(e_seq) + SEQ_END;
}

static void step_el1_kde(void)
{
    const struct want w[] = {
        {"EL1 step pending once PSTATE.D is clear", VEC_CUR_SPX, ESR_STEP_CUR, "e_daifclr",
         ADDR(e_daifclr), 8, EL1H_DAIF & ~SPSR_D},
    };
    nlog = 0;
    wr_mdscr_el1(MDSCR_SS | MDSCR_KDE);
    e_daifclr();
    check_log(w, 1);
    wr_mdscr_el1(0);
}

int main(void)
{
    debug_el1_start(handler);
    wr_oslar(0);
    stop_at = ADDR(e_seq) + SEQ_END;
    step_el0();
    step_irq();
    step_el1_kde();
    return exc_summary("debug_step");
}
