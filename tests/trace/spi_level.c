/*
 * A level-sensitive SPI driven from a stimulus file. SPI 40 is made Group 1,
 * level-sensitive, priority 0xa0 and routed to PE 0; the stimulus raises and
 * lowers its input twice (@CYCLE spi 40 level 0|1), and the guest counts the
 * IRQs it takes, then powers off after the second.
 *
 * What it shows, from IHI 0069's interrupt life cycle: while the input is
 * asserted the acknowledged interrupt is active and pending (GICD_ISPENDR
 * still reads 1 in the handler); it stays pending while disabled; it stops
 * being pending when the input goes low, with no write to ICPENDR. The
 * handler disables the SPI before EOI so that the still-asserted input does
 * not take it again at once; the main loop waits for the input to go low and
 * enables it again for the next rising level.
 */
#include <stdint.h>

#include "exit.h"
#include "printf.h"
#include "vectors.h"

#define GICD           0x08000000ul
#define GICD_CTLR      0x0000
#define GICD_IGROUPR   0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR   0x0200
#define GICD_ISACTIVER 0x0300
#define GICD_IPRIO     0x0400
#define GICD_ICFGR     0x0C00
#define GICD_IROUTER   0x6000

#define SPI      40u
#define SPI_REG  (4u * (SPI / 32)) /* the 32-bit bank register holding SPI 40 */
#define SPI_BIT  (1u << (SPI % 32))
#define SPI_PRIO 0xa0
#define WANTED   2u

#define MRS(reg)                                                                                   \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("mrs %0, " reg : "=r"(v_));                                               \
        v_;                                                                                        \
    })
#define MSR(reg, v) __asm__ volatile("msr " reg ", %0\n\tisb" ::"r"((uint64_t)(v)) : "memory")

#define ICC_PMR     "S3_0_C4_C6_0"
#define ICC_IAR1    "S3_0_C12_C12_0"
#define ICC_EOIR1   "S3_0_C12_C12_1"
#define ICC_IGRPEN1 "S3_0_C12_C12_7"

static volatile uint32_t *gicd(uint32_t off)
{
    return (volatile uint32_t *)(GICD + off);
}

static volatile unsigned taken, other, pending_in_handler[WANTED], active_in_handler[WANTED];

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ)) {
        printf("unexpected exception at vector 0x%x, ESR 0x%x\n", (unsigned)f->vector,
               (unsigned)f->esr);
        guest_exit(2);
    }
    unsigned intid = (unsigned)MRS(ICC_IAR1) & 0xffffff;
    if (intid != SPI) {
        other++;
        if (intid < 1020)
            MSR(ICC_EOIR1, intid);
        return;
    }
    if (taken < WANTED) {
        pending_in_handler[taken] = (*gicd(GICD_ISPENDR + SPI_REG) & SPI_BIT) != 0;
        active_in_handler[taken] = (*gicd(GICD_ISACTIVER + SPI_REG) & SPI_BIT) != 0;
    }
    taken++;
    *gicd(GICD_ICENABLER + SPI_REG) = SPI_BIT; /* the input is still high: hold it off */
    MSR(ICC_EOIR1, intid);
}

/* Sleep until TARGET IRQs were taken. PSTATE.I is set around the test so an
 * IRQ cannot slip in between it and the WFI (WFI wakes on a pending IRQ even
 * when PSTATE.I masks it); clearing it then takes the IRQ. */
static void wait_for_irqs(unsigned target)
{
    for (;;) {
        __asm__ volatile("msr daifset, #2" ::: "memory");
        if (taken >= target)
            break;
        __asm__ volatile("wfi" ::: "memory");
        __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
    }
    __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory");
}

static unsigned spi_pending(void)
{
    return (*gicd(GICD_ISPENDR + SPI_REG) & SPI_BIT) != 0;
}

int main(void)
{
    vectors_install_el1(handler);
    *gicd(GICD_CTLR) = 0x2 | 0x10;                                   /* EnableGrp1, ARE */
    *gicd(GICD_IGROUPR + SPI_REG) |= SPI_BIT;                        /* Group 1 */
    *gicd(GICD_ICFGR + 4 * (SPI / 16)) &= ~(2u << (2 * (SPI % 16))); /* level-sensitive */
    ((volatile uint8_t *)(GICD + GICD_IPRIO))[SPI] = SPI_PRIO;
    *(volatile uint64_t *)(GICD + GICD_IROUTER + 8 * SPI) = 0; /* affinity 0.0.0.0: PE 0 */
    *gicd(GICD_ISENABLER + SPI_REG) = SPI_BIT;
    MSR(ICC_PMR, 0xf0);
    MSR(ICC_IGRPEN1, 1);
    printf("spi_level: SPI %u level-sensitive, Group 1, priority 0x%x; waiting\n", SPI, SPI_PRIO);

    for (unsigned n = 1; n <= WANTED; n++) {
        wait_for_irqs(n);
        printf("IRQ %u: INTID %u, active %u, pending %u in the handler\n", n, SPI,
               active_in_handler[n - 1], pending_in_handler[n - 1]);
        printf("  disabled, input still high: pending %u\n", spi_pending());
        while (spi_pending())
            ; /* until the stimulus lowers the input */
        printf("  input low: pending %u\n", spi_pending());
        *gicd(GICD_ISENABLER + SPI_REG) = SPI_BIT;
    }
    printf("spi_level: %u IRQs for SPI %u, %u others\n", taken, SPI, other);
    return taken == WANTED && other == 0 ? 0 : 1;
}
