/*
 * Seed thread 002 (irqfd for ARM KVM), the lost completion and its fix.
 *
 * As in vgic_level_spi.c, the PL011's transmit interrupt (SPI 33) is
 * assigned to the guest with irqfd.c: the physical interrupt is masked at
 * the distributor and vINTID 33 injected through a list register with EOI
 * maintenance; only the guest's completion (the maintenance interrupt, then
 * the resampler) unmasks it again.
 *
 * Here the device raises its interrupt while the guest is still setting up
 * with PSTATE.I set (Eric's stale xgmac interrupt from the previous VM).
 * The guest's driver probe then quiets the device and clears the stale
 * pending interrupt with GICD_ICPENDR1, which traps. The hypervisor clears
 * the pending state of the LR; the LR is then neither pending nor active,
 * so it is retired, and the guest never deactivates the interrupt: no EOI
 * maintenance interrupt can come for it.
 *
 * Without the fix (vgic_icpendr_lost_simonly.c) nobody calls the
 * resampler, SPI 33 stays masked at the physical distributor, and when the
 * guest turns the device on and waits in WFI for its interrupt, the
 * interrupt never comes: on a64sim the run ends as a deadlock (every PE
 * waits, nothing can wake one); QEMU just hangs, so that variant is
 * a64sim-only. With the thread's fix (vgic.icpendr_completes) the clear
 * counts as a completion: the resampler runs, finds the line low and
 * unmasks SPI 33, and the next interrupt reaches the guest.
 */
#include "gic_common.h"
#include "hyp.h"
#include "irqfd.h"
#include "uart.h"
#include "vm.h"

#define UART     0x09000000ul
#define UARTIMSC 0x038
#define UARTICR  0x044
#define UART_TX  (1u << 5)
#define UART_SPI 33u
#define PRIO     0xa0

#define HC_SHOW_PHYSICAL 1 /* the host prints SPI 33's physical state */

static struct hyp_vcpu vcpu;
static uint64_t guest_stack[1024] __attribute__((aligned(16)));
static volatile unsigned guest_taken;

/* ---- the guest (EL1) ---- */

static void guest_irq(struct exc_frame *f)
{
    unsigned intid = vm_irq_ack(f);
    if (intid == INTID_SPURIOUS)
        return;
    wr32(UART + UARTIMSC, 0);
    wr32(UART + UARTICR, UART_TX);
    guest_taken++;
    printf("guest: vINTID %u taken: UARTIMSC.TXIM off, UARTICR.TXIC, EOI\n", intid);
    vm_eoi(intid);
}

/* Send one byte with the transmit interrupt on: the line goes high. */
static void uart_raise(void)
{
    wr32(UART + UARTICR, UART_TX);
    wr32(UART + UARTIMSC, UART_TX);
    uart_putc('\n');
}

static void guest_main(uint64_t arg)
{
    (void)arg;
    vectors_install_el1(guest_irq);
    vm_gic_init();
    vm_irq_setup(UART_SPI, PRIO, false);
    printf("guest: setting up with PSTATE.I set; the device raises its interrupt:");
    uart_raise();
    for (unsigned i = 0; i < 1000000 && vm_hppir() != UART_SPI; i++)
        ;
    printf("guest: ICC_HPPIR1_EL1 %u: the stale interrupt is pending in the vCPU interface\n",
           vm_hppir());

    printf("guest: driver probe: device interrupt off and cleared, then GICD_ICPENDR1 bit %u\n",
           UART_SPI % 32);
    wr32(UART + UARTIMSC, 0);
    wr32(UART + UARTICR, UART_TX);
    vm_irq_clear_pending(UART_SPI);
    printf("guest: ICC_HPPIR1_EL1 %u\n", vm_hppir());
    VM_HVC(1); /* HC_SHOW_PHYSICAL */

    IRQ_ENABLE();
    printf("guest: device on, one byte, then WFI until its interrupt is taken:");
    uart_raise();
    while (guest_taken == 0)
        __asm__ volatile("wfi" ::: "memory");
    for (unsigned i = 0; i < 2000000 && irqfd_stats.resample_low < 2; i++)
        ;
    IRQ_DISABLE();
    printf("guest: taken %u time(s)\n", guest_taken);
    vm_done(guest_taken == 1 ? 0 : 1);
}

/* ---- the host (EL2) ---- */

static void show_physical(const char *when)
{
    printf("hyp: %s: physical INTID %u enabled %u pending %u active %u\n", when, UART_SPI,
           hyp_irq_enabled(UART_SPI), hyp_irq_pending(UART_SPI), hyp_irq_active(UART_SPI));
}

static void hypercall(struct hyp_vcpu *v, unsigned imm)
{
    (void)v;
    if (imm == HC_SHOW_PHYSICAL)
        show_physical("after the guest's GICD_ICPENDR1");
}

int main(void)
{
    hyp_init(&vcpu, guest_main, 0, guest_stack + 1024);
    vcpu.vgic.log = true;
    vcpu.hypercall = hypercall;
#ifdef ICPENDR_LOST
    vcpu.vgic.icpendr_completes = false;
    printf("hyp: GICD_ICPENDR of an interrupt with an ack notifier: retire the LR only\n");
#else
    printf("hyp: GICD_ICPENDR of an interrupt with an ack notifier: retire the LR, then call "
           "the notifier (the fix)\n");
#endif
    irqfd_assign(&vcpu, UART_SPI, UART_SPI);
    uint64_t status = hyp_run(&vcpu);
    printf("hyp: SPI %u: %u physical interrupt(s), %u injections, %u EOI maintenance "
           "completions, %u LR(s) retired by ICPENDR, resampled high %u, low %u\n",
           UART_SPI, irqfd_stats.physical, irqfd_stats.injected, vcpu.vgic.stats.eoi_completions,
           vcpu.vgic.stats.retired, irqfd_stats.resample_high, irqfd_stats.resample_low);
    show_physical("at the end");
    printf("hyp: guest status %u\n", (unsigned)status);
    guest_exit((int)status);
}
