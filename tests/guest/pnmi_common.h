/* Shared by the pseudo-NMI scenario guests (docs/scenarios/pseudo-nmi.md):
 * Group 1 on, SGI 5 at priority 0xa0 (a normal interrupt), the CPU
 * interface enabled. */
#include <stdint.h>

#include "exit.h"
#include "printf.h"
#include "vectors.h"

#define GICD     0x08000000ul
#define GICR_SGI (0x080a0000ul + 0x10000ul)

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
#define ICC_SGI1R   "S3_0_C12_C11_5"
#define ICC_IGRPEN1 "S3_0_C12_C12_7"

#define PMR_MASKED   0x60 /* local_irq_disable with PMR: only priorities < 0x60 get through */
#define PMR_UNMASKED 0xf0
#define NORMAL_PRIO  0xa0
#define NORMAL_SGI   5

static volatile unsigned taken_intid = 1023, taken_count;

static void irq_handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ))
        guest_exit(2);
    unsigned intid = (unsigned)MRS(ICC_IAR1) & 0xffffff;
    taken_intid = intid;
    taken_count++;
    MSR(ICC_EOIR1, intid);
}

static void gic_setup(void)
{
    vectors_install_el1(irq_handler);
    *(volatile uint32_t *)GICD = 0x2 | 0x10; /* EnableGrp1, ARE */
    *(volatile uint32_t *)(GICR_SGI + 0x80) = 0xffffffff;
    ((volatile uint8_t *)(GICR_SGI + 0x400))[NORMAL_SGI] = NORMAL_PRIO;
    *(volatile uint32_t *)(GICR_SGI + 0x100) = 1u << NORMAL_SGI;
    MSR(ICC_IGRPEN1, 1);
}

static void send_normal_sgi(void)
{
    MSR(ICC_SGI1R, ((uint64_t)NORMAL_SGI << 24) | 1);
}
