/* GICv3 basics through the CPU interface and the distributor, compared with
 * QEMU's virt board: the distributor's identification, an SGI sent to
 * ourselves through ICC_SGI1R_EL1 and taken as an IRQ (IAR1, EOIR1), PMR
 * masking an SGI of equal priority (still visible in HPPIR1), and the
 * active/priority state seen through RPR during the handler. */
#include <stdint.h>

#include "exit.h"
#include "printf.h"
#include "vectors.h"

#define GICD     0x08000000ul
#define GICR_SGI (0x080a0000ul + 0x10000ul) /* PE 0's SGI_base frame */

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
#define ICC_HPPIR1  "S3_0_C12_C12_2"
#define ICC_RPR     "S3_0_C12_C11_3"
#define ICC_SGI1R   "S3_0_C12_C11_5"
#define ICC_IGRPEN1 "S3_0_C12_C12_7"
#define ICC_SRE     "S3_0_C12_C12_5"

static volatile uint32_t *reg32(uintptr_t a)
{
    return (volatile uint32_t *)a;
}

static volatile unsigned taken, last_intid, rpr_in_handler;

static void handler(struct exc_frame *f)
{
    if (f->vector != (VEC_CUR_SPX | VEC_IRQ)) {
        printf("unexpected exception at vector 0x%x, ESR 0x%x\n", (unsigned)f->vector,
               (unsigned)f->esr);
        guest_exit(2);
    }
    unsigned intid = (unsigned)MRS(ICC_IAR1) & 0xffffff;
    rpr_in_handler = (unsigned)MRS(ICC_RPR);
    last_intid = intid;
    taken++;
    MSR(ICC_EOIR1, intid);
}

int main(void)
{
    vectors_install_el1(handler);
    printf("GICD_PIDR2.ArchRev: %u\n", (unsigned)(*reg32(GICD + 0xffe8) >> 4) & 0xf);
    printf("GICD_CTLR ARE and DS: %u %u\n", (unsigned)(*reg32(GICD) >> 4) & 1,
           (unsigned)(*reg32(GICD) >> 6) & 1);
    printf("ICC_SRE_EL1.SRE: %u\n", (unsigned)MRS(ICC_SRE) & 1);

    /* Group 1 on, SGI 5 in Group 1 at priority 0xa0, enabled. */
    *reg32(GICD) = 0x2 | 0x10;                          /* EnableGrp1NS, ARE */
    *reg32(GICR_SGI + 0x80) = 0xffffffff;               /* IGROUPR0: all Group 1 */
    ((volatile uint8_t *)(GICR_SGI + 0x400))[5] = 0xa0; /* IPRIORITYR: SGI 5 */
    *reg32(GICR_SGI + 0x100) = 1u << 5;                 /* ISENABLER0 */
    MSR(ICC_IGRPEN1, 1);
    MSR(ICC_PMR, 0xa0); /* equal priority: masked */
    __asm__ volatile("msr daifclr, #2" ::: "memory");

    MSR(ICC_SGI1R, (5ull << 24) | 1); /* INTID 5, TargetList bit 0: ourselves */
    for (volatile int i = 0; i < 1000; i++)
        ;
    printf("PMR 0xa0, SGI 5 at 0xa0: taken %u, HPPIR1 %u\n", taken,
           (unsigned)MRS(ICC_HPPIR1) & 0xffffff);
    MSR(ICC_PMR, 0xf0); /* now above the priority */
    for (volatile int i = 0; i < 1000; i++)
        ;
    printf("PMR 0xf0: taken %u, INTID %u, RPR in the handler 0x%x, RPR after 0x%x\n", taken,
           last_intid, rpr_in_handler, (unsigned)MRS(ICC_RPR));
    printf("HPPIR1 after EOI: %u\n", (unsigned)MRS(ICC_HPPIR1) & 0xffffff);
    return taken == 1 && last_intid == 5 ? 0 : 1;
}
