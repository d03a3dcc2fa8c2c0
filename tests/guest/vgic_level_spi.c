/*
 * Seed thread 002 (irqfd for ARM KVM), the path that works: a physical
 * level-sensitive SPI assigned to the guest through a software list
 * register with EOI maintenance, and a resampler.
 *
 * The physical source is the PL011's transmit interrupt, SPI 33 on both
 * QEMU's virt board and a64sim: UARTIMSC.TXIM enables it, every byte sent
 * sets UARTRIS.TXRIS, UARTICR.TXIC clears it, so the guest drives a real
 * level. The host (EL2, tests/guest/hyp/) assigns it with irqfd.c: the
 * physical interrupt is masked at the distributor and vINTID 33 injected
 * with EOI = 1; the guest's EOI raises the maintenance interrupt; the
 * resampler injects again while the line is high and unmasks once it is
 * low.
 *
 * The guest's handler leaves the line high the first time (more work to
 * do), so the resampler finds it high and injects again; the second time
 * it turns the transmit interrupt off and clears it, so the resampler
 * finds it low and unmasks SPI 33. Each step is printed when it happens.
 * The guest waits for the host's last step in a loop with no exit, so
 * nothing depends on when the interrupts arrive: QEMU and a64sim print the
 * same.
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

static struct hyp_vcpu vcpu;
static uint64_t guest_stack[1024] __attribute__((aligned(16)));
static volatile unsigned guest_taken;

/* ---- the guest (EL1) ---- */

static void guest_irq(struct exc_frame *f)
{
    unsigned intid = vm_irq_ack(f);
    if (intid == INTID_SPURIOUS)
        return;
    unsigned n = ++guest_taken;
    if (n == 1) {
        printf("guest: vINTID %u taken (1): the handler leaves the UART's line high, EOI\n", intid);
    } else {
        wr32(UART + UARTIMSC, 0);
        wr32(UART + UARTICR, UART_TX);
        printf("guest: vINTID %u taken (%u): UARTIMSC.TXIM off, UARTICR.TXIC, EOI\n", intid, n);
    }
    vm_eoi(intid);
}

static void guest_main(uint64_t arg)
{
    (void)arg;
    vectors_install_el1(guest_irq);
    vm_gic_init();
    vm_irq_setup(UART_SPI, PRIO, false);
    printf("guest: vGIC set up through trapped MMIO: SPI %u level-sensitive, priority 0x%x, "
           "enabled; ICC_PMR_EL1 0x%x\n",
           UART_SPI, PRIO, (unsigned)MRS(ICC_PMR_EL1));
    IRQ_ENABLE();
    printf("guest: UART transmit interrupt on, one byte:");
    wr32(UART + UARTICR, UART_TX);
    wr32(UART + UARTIMSC, UART_TX);
    uart_putc('\n');
    for (unsigned i = 0; i < 2000000 && irqfd_stats.resample_low == 0; i++)
        ;
    IRQ_DISABLE();
    printf("guest: taken %u times, ICC_HPPIR1_EL1 %u\n", guest_taken, vm_hppir());
    vm_done(guest_taken == 2 ? 0 : 1);
}

/* ---- the host (EL2) ---- */

int main(void)
{
    hyp_init(&vcpu, guest_main, 0, guest_stack + 1024);
    vcpu.vgic.log = true;
    uint64_t vtr = MRS(ICH_VTR_EL2);
    printf("hyp: ICH_VTR_EL2: %u list registers, %u priority bits, %u preemption bits\n",
           ICH_VTR_LISTREGS(vtr), ICH_VTR_PRIBITS(vtr), ICH_VTR_PREBITS(vtr));
    irqfd_assign(&vcpu, UART_SPI, UART_SPI);
    uint64_t status = hyp_run(&vcpu);
    const struct vgic_stats *s = &vcpu.vgic.stats;
    printf("hyp: SPI %u: %u physical interrupt(s), %u injections, %u EOI maintenance "
           "completions, resampled high %u, low %u\n",
           UART_SPI, irqfd_stats.physical, irqfd_stats.injected, s->eoi_completions,
           irqfd_stats.resample_high, irqfd_stats.resample_low);
    printf("hyp: physical INTID %u: enabled %u pending %u active %u\n", UART_SPI,
           hyp_irq_enabled(UART_SPI), hyp_irq_pending(UART_SPI), hyp_irq_active(UART_SPI));
    printf("hyp: saved ICH_VMCR_EL2: VPMR 0x%x VENG1 %u VEOIM %u\n",
           (unsigned)ICH_VMCR_VPMR(vcpu.vgic.cpu.vmcr),
           (unsigned)(vcpu.vgic.cpu.vmcr & ICH_VMCR_VENG1 ? 1 : 0),
           (unsigned)(vcpu.vgic.cpu.vmcr & ICH_VMCR_VEOIM ? 1 : 0));
    printf("hyp: guest status %u\n", (unsigned)status);
    guest_exit((int)status);
}
