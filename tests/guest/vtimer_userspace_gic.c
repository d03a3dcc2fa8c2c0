/*
 * Seed thread 003, scenario 3: an interrupt controller emulated in software
 * for an EL1 guest, and the timer interrupt it loses.
 *
 * The guest starts at EL2 (a64sim --el 2; QEMU virt with virtualization=on).
 * EL2 plays both halves of a hypervisor without an in-kernel GIC:
 *
 *  - the "kernel" half runs on every exit from EL1. It samples the EL1
 *    virtual timer's output (ENABLE=1, IMASK=0, ISTATUS=1 in CNTV_CTL_EL0)
 *    and, when the level differs from the one it last reported, records
 *    the new level in the exit's timer bitmap. Its exit reason is the cause
 *    of the exit (MMIO, idle, EOI); only when there is no other cause does
 *    it use the TIMER reason. The physical PPI 27 is left disabled: the
 *    level is only ever looked at on exits, as in the thread.
 *  - the "userspace" half owns the emulated interrupt controller: one
 *    level-sensitive input, driven into the guest as HCR_EL2.VI.
 *
 * The guest enables its virtual timer with CVAL already passed (the line
 * rises) and its next exit is an MMIO access. The kernel half reports the
 * rise in that MMIO exit's bitmap. The correct userspace reads the bitmap on
 * every exit and injects the interrupt; the buggy one reads it only on TIMER
 * exits, so the rise is consumed by the MMIO exit and never reported again:
 * the timer interrupt is lost, on every run, and the exit log below shows
 * the exit where it went.
 */
#include <stdbool.h>
#include <stdint.h>

#include "gic_common.h"
#include "vectors.h"

#define CTL_ENABLE  (1u << 0)
#define CTL_IMASK   (1u << 1)
#define CTL_ISTATUS (1u << 2)
#define PPI_VIRT    27u

#define HCR_IMO          (1ull << 4)
#define HCR_VI           (1ull << 7)
#define HCR_RW           (1ull << 31)
#define CNTHCTL_EL1PCTEN (1ull << 0)
#define CNTHCTL_EL1PCEN  (1ull << 1)
#define SCTLR_EL1_V      0x30d00818ull
#define EL1H_MASKED      0x3c5u
#define PSCI_SYSTEM_OFF  0x84000008ull

/* Hypercalls standing for the guest's exits. */
#define HC_MMIO 0xf10 /* an access to an emulated device register */
#define HC_IDLE 0xf11 /* nothing to do: the guest waits for an interrupt */
#define HC_EOI  0xf12 /* end of interrupt at the emulated controller */
#define HC_DONE 0xfff

#define IDLE_EXITS 8u
#define LOG_MAX    16u

enum reason { EXIT_MMIO, EXIT_IDLE, EXIT_EOI, EXIT_TIMER, EXIT_DONE };
static const char *const reason_name[] = {"MMIO", "IDLE", "EOI", "TIMER", "DONE"};

struct exit_info {
    enum reason reason;
    bool timer_changed; /* the bitmap holds a new level */
    bool timer_level;
};

struct log_entry {
    struct exit_info info;
    bool injected; /* HCR_EL2.VI after userspace handled the exit */
};

static uint64_t el1_stack[1024] __attribute__((aligned(16)));
static bool buggy_userspace;
static bool kernel_last_level; /* what the kernel half last reported */
static bool vgic_line;         /* userspace's emulated controller input */
static struct log_entry exit_log[LOG_MAX];
static unsigned exits;
static volatile unsigned guest_taken;

static uint64_t read_hcr(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, hcr_el2" : "=r"(v));
    return v;
}

static void write_hcr(uint64_t v)
{
    __asm__ volatile("msr hcr_el2, %0\n\tisb" ::"r"(v) : "memory");
}

/* The timer output as the architecture defines it: enabled, not masked, condition met. */
static bool vtimer_level(void)
{
    uint64_t ctl;
    __asm__ volatile("isb\n\tmrs %0, cntv_ctl_el0" : "=r"(ctl)::"memory");
    return (ctl & CTL_ENABLE) && !(ctl & CTL_IMASK) && (ctl & CTL_ISTATUS);
}

/* Kernel half: sample the line; the exit's own cause keeps the reason. */
static struct exit_info kernel_exit(enum reason cause)
{
    struct exit_info e = {cause, false, false};
    bool level = vtimer_level();
    if (level != kernel_last_level) {
        kernel_last_level = level;
        e.timer_changed = true;
        e.timer_level = level;
    }
    if (cause == EXIT_IDLE && e.timer_changed)
        e.reason = EXIT_TIMER;
    return e;
}

/* Userspace half: the emulated controller follows the reported level. */
static void userspace_exit(const struct exit_info *e)
{
    bool look = buggy_userspace ? e->reason == EXIT_TIMER : true;
    if (look && e->timer_changed)
        vgic_line = e->timer_level;
    write_hcr(vgic_line ? read_hcr() | HCR_VI : read_hcr() & ~HCR_VI);
}

static enum reason reason_of(uint64_t imm)
{
    switch (imm) {
    case HC_MMIO: return EXIT_MMIO;
    case HC_IDLE: return EXIT_IDLE;
    case HC_EOI: return EXIT_EOI;
    default: return EXIT_DONE;
    }
}

static void handler_el2(struct exc_frame *f)
{
    unsigned ec = (unsigned)(f->esr >> 26);
    if (f->vector != VEC_LOWER_A64 || ec != 0x16) {
        printf("unexpected exception at EL2: vector 0x%x, ESR 0x%x, ELR 0x%lx\n",
               (unsigned)f->vector, (unsigned)f->esr, (unsigned long)f->elr);
        guest_exit(2);
    }
    enum reason cause = reason_of(f->esr & 0xffff);
    struct exit_info e = kernel_exit(cause);
    userspace_exit(&e);
    if (exits < LOG_MAX)
        exit_log[exits] = (struct log_entry){e, vgic_line};
    exits++;
    if (cause == EXIT_DONE)
        lower_return(f, f->x[0]);
}

/* EL1: the guest's handler masks its timer (as Linux's does) and EOIs the emulated controller. */
static void handler_el1(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ)) {
        printf("unexpected exception at EL1: vector 0x%x, ESR 0x%x\n", (unsigned)f->vector,
               (unsigned)f->esr);
        guest_exit(2);
    }
    guest_taken++;
    __asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" ::"r"((uint64_t)(CTL_ENABLE | CTL_IMASK))
                     : "memory");
    __asm__ volatile("hvc #0xf12" ::: "memory");
}

/* EL1: raise the timer line, then an MMIO exit, then wait in idle exits for the interrupt. */
static void el1_guest(uint64_t arg)
{
    (void)arg;
    vectors_install_el1(handler_el1);
    __asm__ volatile("msr cntv_ctl_el0, xzr\n\tmsr cntv_cval_el0, xzr\n\tisb\n\t"
                     "msr cntv_ctl_el0, %0\n\tisb" ::"r"((uint64_t)CTL_ENABLE)
                     : "memory");
    __asm__ volatile("hvc #0xf10" ::: "memory");
    IRQ_ENABLE();
    for (unsigned i = 0; i < IDLE_EXITS && guest_taken == 0; i++)
        __asm__ volatile("hvc #0xf11" ::: "memory");
    IRQ_DISABLE();
    register uint64_t x0 __asm__("x0") = guest_taken;
    __asm__ volatile("hvc #0xfff" : "+r"(x0)::"memory");
    for (;;)
        ;
}

static void print_log(void)
{
    for (unsigned i = 0; i < exits && i < LOG_MAX; i++) {
        const struct log_entry *l = &exit_log[i];
        printf("    exit %u: %s", i + 1, reason_name[l->info.reason]);
        if (l->info.timer_changed)
            printf(", timer line %s reported in the bitmap", l->info.timer_level ? "rose" : "fell");
        printf(", injected %u\n", l->injected);
    }
}

static void run(bool buggy)
{
    buggy_userspace = buggy;
    kernel_last_level = false;
    vgic_line = false;
    exits = 0;
    guest_taken = 0;
    write_hcr(HCR_RW | HCR_IMO);
    __asm__ volatile("msr sp_el1, %0" ::"r"((uint64_t)(uintptr_t)(el1_stack + 1024)));
    uint64_t taken = lower_call(el1_guest, 0, EL1H_MASKED);
    printf("%s userspace: guest took the timer interrupt %u time(s) in %u exits\n",
           buggy ? "buggy (timer bitmap read on TIMER exits only)"
                 : "correct (timer bitmap read on every exit)",
           (unsigned)taken, exits);
    print_log();
    if (buggy && taken == 0)
        printf("  lost: the rise was reported in exit 1, an MMIO exit, which this userspace does "
               "not inspect for timer changes; the level never changes again, so no later exit "
               "reports it\n");
    __asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb" ::: "memory");
}

int main(void)
{
    IRQ_DISABLE();
    vectors_install_el2(handler_el2);
    __asm__ volatile("msr cnthctl_el2, %0\n\tmsr cntvoff_el2, xzr\n\tisb" ::"r"(CNTHCTL_EL1PCTEN |
                                                                                CNTHCTL_EL1PCEN));
    __asm__ volatile("msr sctlr_el1, %0\n\tisb" ::"r"(SCTLR_EL1_V));
    /* The physical vtimer PPI stays disabled: the level is only sampled on exits. */
    wr32(GICR_SGI(0) + GICR_ICENABLER0, 1u << PPI_VIRT);
    run(false);
    run(true);
    register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
    __asm__ volatile("smc #0" : "+r"(x0)::"memory");
    printf("SYSTEM_OFF returned\n");
    guest_exit(1);
}
