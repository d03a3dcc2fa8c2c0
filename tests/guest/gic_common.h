/* Shared by the GIC guests (tests/guest/gic_*.c, bench/guests/irqstorm.c): the
 * board's GIC addresses and register offsets (IHI 0069's register chapter), MMIO
 * accessors that make exactly one access of the size they name, the ICC_*
 * system registers by encoding, SGI generation, and the PPI set-up of the
 * timer guests.
 *
 * With GIC_SMP defined before the include, also: PSCI CPU_ON, a stack per
 * secondary PE, and an exception vector table that any number of PEs can
 * share (the runtime's vectors.S keeps one nesting counter for all PEs,
 * which two PEs taking interrupts at once would corrupt). Include this
 * header from one file per guest: the SMP part defines symbols. */
#ifndef GIC_COMMON_H
#define GIC_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "exit.h"
#include "printf.h"

/* The virt board: distributor, and one RD_base + SGI_base frame pair per PE. */
#define GICD         0x08000000ul
#define GICR_BASE    0x080a0000ul
#define GICR_STRIDE  0x20000ul
#define GICR_RD(pe)  (GICR_BASE + (uintptr_t)(pe)*GICR_STRIDE)
#define GICR_SGI(pe) (GICR_RD(pe) + 0x10000ul)

/* Distributor offsets. */
#define GICD_CTLR       0x0000
#define GICD_TYPER      0x0004
#define GICD_IIDR       0x0008
#define GICD_SETSPI_NSR 0x0040
#define GICD_CLRSPI_NSR 0x0048
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ICENABLER  0x0180
#define GICD_ISPENDR    0x0200
#define GICD_ICPENDR    0x0280
#define GICD_ISACTIVER  0x0300
#define GICD_ICACTIVER  0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0c00
#define GICD_IROUTER    0x6000
#define GICD_PIDR2      0xffe8

#define GICD_CTLR_ENABLE_GRP0 (1u << 0)
#define GICD_CTLR_ENABLE_GRP1 (1u << 1)
#define GICD_CTLR_ARE         (1u << 4)
#define GICD_CTLR_DS          (1u << 6)
#define GICD_IROUTER_IRM      (1ull << 31)

/* Redistributor offsets: RD_base, then SGI_base. */
#define GICR_CTLR       0x0000
#define GICR_TYPER      0x0008
#define GICR_WAKER      0x0014
#define GICR_IGROUPR0   0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0   0x0200
#define GICR_ICPENDR0   0x0280
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR0     0x0c00
#define GICR_ICFGR1     0x0c04

#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)

/* The CPU interface registers, by encoding (older assemblers lack the names). */
#define ICC_PMR_EL1     "S3_0_C4_C6_0"
#define ICC_IAR0_EL1    "S3_0_C12_C8_0"
#define ICC_EOIR0_EL1   "S3_0_C12_C8_1"
#define ICC_HPPIR0_EL1  "S3_0_C12_C8_2"
#define ICC_BPR0_EL1    "S3_0_C12_C8_3"
#define ICC_AP0R0_EL1   "S3_0_C12_C8_4"
#define ICC_AP1R0_EL1   "S3_0_C12_C9_0"
#define ICC_DIR_EL1     "S3_0_C12_C11_1"
#define ICC_RPR_EL1     "S3_0_C12_C11_3"
#define ICC_SGI1R_EL1   "S3_0_C12_C11_5"
#define ICC_ASGI1R_EL1  "S3_0_C12_C11_6"
#define ICC_SGI0R_EL1   "S3_0_C12_C11_7"
#define ICC_IAR1_EL1    "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1   "S3_0_C12_C12_1"
#define ICC_HPPIR1_EL1  "S3_0_C12_C12_2"
#define ICC_BPR1_EL1    "S3_0_C12_C12_3"
#define ICC_CTLR_EL1    "S3_0_C12_C12_4"
#define ICC_SRE_EL1     "S3_0_C12_C12_5"
#define ICC_IGRPEN0_EL1 "S3_0_C12_C12_6"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"

#define ICC_CTLR_EOIMODE (1u << 1)
#define INTID_SPURIOUS   1023u

#define MRS(reg)                                                                                   \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("mrs %0, " reg : "=r"(v_)::"memory");                                     \
        v_;                                                                                        \
    })
/* Every ICC_* write is followed by an ISB, which makes its effect visible to
 * the instructions after it; only some ICC_* writes (ICC_PMR_EL1 among
 * them) are self-synchronising on their own (IHI 0069, the CPU interface
 * register descriptions). */
#define MSR(reg, v) __asm__ volatile("msr " reg ", %0\n\tisb" ::"r"((uint64_t)(v)) : "memory")

#define IRQ_ENABLE()  __asm__ volatile("msr daifclr, #2\n\tisb" ::: "memory")
#define IRQ_DISABLE() __asm__ volatile("msr daifset, #2" ::: "memory")
#define FIQ_ENABLE()  __asm__ volatile("msr daifclr, #1\n\tisb" ::: "memory")
#define FIQ_DISABLE() __asm__ volatile("msr daifset, #1" ::: "memory")

/* One access of exactly the named size: a volatile pointer in C would let
 * the compiler pick the instruction, and the size is what is under test. */
static inline uint64_t mmio_read(uintptr_t a, unsigned size)
{
    uint64_t v;
    switch (size) {
    case 1: __asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); break;
    case 2: __asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); break;
    case 4: __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); break;
    default: __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory"); break;
    }
    return v;
}

static inline void mmio_write(uintptr_t a, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: __asm__ volatile("strb %w0, [%1]" ::"r"(v), "r"(a) : "memory"); break;
    case 2: __asm__ volatile("strh %w0, [%1]" ::"r"(v), "r"(a) : "memory"); break;
    case 4: __asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(a) : "memory"); break;
    default: __asm__ volatile("str %0, [%1]" ::"r"(v), "r"(a) : "memory"); break;
    }
}

static inline uint32_t rd32(uintptr_t a)
{
    return (uint32_t)mmio_read(a, 4);
}

static inline void wr32(uintptr_t a, uint32_t v)
{
    mmio_write(a, 4, v);
}

static inline uint8_t rd8(uintptr_t a)
{
    return (uint8_t)mmio_read(a, 1);
}

static inline void wr8(uintptr_t a, uint8_t v)
{
    mmio_write(a, 1, v);
}

/* This PE's number: MPIDR_EL1.Aff0 (both boards number PEs 0.0.0.n). */
static inline unsigned this_pe(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
    return (unsigned)(v & 0xff);
}

/* ICC_SGI0R/SGI1R_EL1 value: INTID [27:24], TargetList [15:0] (Aff1-3 0). */
static inline uint64_t sgi_value(unsigned intid, uint16_t target_list)
{
    return ((uint64_t)intid << 24) | target_list;
}

#define SGIR_IRM     (1ull << 40)
#define SGIR_AFF1(n) ((uint64_t)(n) << 16)

/* Make stores before the SGI visible to its targets first. */
#define SEND_SGI(reg, value)                                                                       \
    do {                                                                                           \
        __asm__ volatile("dsb ish" ::: "memory");                                                  \
        MSR(reg, value);                                                                           \
    } while (0)

/* Clear GICR_WAKER.ProcessorSleep and wait for ChildrenAsleep to follow
 * (IHI 0069, GICR_WAKER: the power-up handshake a driver performs). */
static inline void gicr_wake(unsigned pe)
{
    uintptr_t w = GICR_RD(pe) + GICR_WAKER;
    wr32(w, rd32(w) & ~GICR_WAKER_PROCESSOR_SLEEP);
    while (rd32(w) & GICR_WAKER_CHILDREN_ASLEEP)
        ;
}

/* PE 0 takes the PPIs in MASK (bit n: INTID n) as Group 1 IRQs of priority
 * 0x80: Distributor Group 1 with affinity routing, the redistributor awake,
 * every SGI and PPI in Group 1, ICC_PMR_EL1 0xf0 (which lets 0x80 through)
 * and ICC_IGRPEN1_EL1 = 1. What the timer guests need. */
static inline void gic_ppis_to_irq(uint32_t mask)
{
    wr32(GICD + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP1);
    gicr_wake(0);
    wr32(GICR_SGI(0) + GICR_IGROUPR0, 0xffffffffu);
    for (unsigned intid = 16; intid < 32; intid++)
        if (mask & (1u << intid))
            wr8(GICR_SGI(0) + GICR_IPRIORITYR + intid, 0x80);
    wr32(GICR_SGI(0) + GICR_ISENABLER0, mask);
    MSR(ICC_PMR_EL1, 0xf0);
    MSR(ICC_IGRPEN1_EL1, 1);
}

/* Spin for about N iterations: time for an interrupt in flight to arrive. */
static inline void settle(unsigned n)
{
    for (volatile unsigned i = 0; i < n; i++)
        ;
}

#ifdef GIC_SMP

#define GIC_MAX_PES    8
#define PSCI_CPU_ON_64 0xC4000003u

/* 16 KiB of stack per secondary PE; PE 0 uses the runtime's stack. */
uint8_t gic_secondary_stacks[GIC_MAX_PES][16384] __attribute__((aligned(16)));

/* Defined by the guest: what a secondary PE runs, and the interrupt handler
 * (FIQ true for Group 0's FIQ, false for Group 1's IRQ). */
void secondary_main(uint64_t pe);
void gic_interrupt(bool fiq);
void gic_exception(uint64_t vector, uint64_t esr, uint64_t elr);

static inline int64_t psci_cpu_on(uint64_t mpidr, void *entry, uint64_t context)
{
    register uint64_t x0 __asm__("x0") = PSCI_CPU_ON_64;
    register uint64_t x1 __asm__("x1") = mpidr;
    register uint64_t x2 __asm__("x2") = (uint64_t)(uintptr_t)entry;
    register uint64_t x3 __asm__("x3") = context;
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    return (int64_t)x0;
}

/* CPU_ON enters here with x0 = the context ID, which is the PE number. */
__asm__(".text\n"
        ".globl gic_secondary_entry\n"
        "gic_secondary_entry:\n"
        "    adrp x1, gic_secondary_stacks\n"
        "    add  x1, x1, :lo12:gic_secondary_stacks\n"
        "    add  x2, x0, #1\n"
        "    lsl  x2, x2, #14\n"
        "    add  sp, x1, x2\n"
        "    bl   secondary_main\n"
        "1:  wfi\n"
        "    b    1b\n");
extern char gic_secondary_entry[];

/* The vector table: every entry saves the caller-saved registers, ELR and
 * SPSR on the current stack (so a handler may unmask and nest) and calls
 * gic_exception with its offset. 24 doublewords keep SP 16-byte aligned. */
#define GIC_VENTRY(off)                                                                            \
    ".balign 128\n"                                                                                \
    "    sub  sp, sp, #192\n"                                                                      \
    "    stp  x0, x1, [sp, #0]\n"                                                                  \
    "    mov  x0, #" #off "\n"                                                                     \
    "    b    gic_vec_common\n"
__asm__(".section .text.gic_vectors, \"ax\"\n"
        ".balign 2048\n"
        ".globl gic_vectors\n"
        "gic_vectors:\n" GIC_VENTRY(0x000) GIC_VENTRY(0x080) GIC_VENTRY(0x100) GIC_VENTRY(0x180)
            GIC_VENTRY(0x200) GIC_VENTRY(0x280) GIC_VENTRY(0x300) GIC_VENTRY(0x380)
                GIC_VENTRY(0x400) GIC_VENTRY(0x480) GIC_VENTRY(0x500) GIC_VENTRY(0x580)
                    GIC_VENTRY(0x600) GIC_VENTRY(0x680) GIC_VENTRY(0x700)
                        GIC_VENTRY(0x780) "gic_vec_common:\n"
                                          "    stp  x2, x3, [sp, #16]\n"
                                          "    stp  x4, x5, [sp, #32]\n"
                                          "    stp  x6, x7, [sp, #48]\n"
                                          "    stp  x8, x9, [sp, #64]\n"
                                          "    stp  x10, x11, [sp, #80]\n"
                                          "    stp  x12, x13, [sp, #96]\n"
                                          "    stp  x14, x15, [sp, #112]\n"
                                          "    stp  x16, x17, [sp, #128]\n"
                                          "    stp  x18, x29, [sp, #144]\n"
                                          "    mrs  x1, elr_el1\n"
                                          "    stp  x30, x1, [sp, #160]\n"
                                          "    mrs  x1, spsr_el1\n"
                                          "    str  x1, [sp, #176]\n"
                                          "    mrs  x1, esr_el1\n"
                                          "    mrs  x2, elr_el1\n"
                                          "    bl   gic_exception\n"
                                          "    msr  daifset, #3\n"
                                          "    ldr  x1, [sp, #176]\n"
                                          "    msr  spsr_el1, x1\n"
                                          "    ldp  x30, x1, [sp, #160]\n"
                                          "    msr  elr_el1, x1\n"
                                          "    ldp  x18, x29, [sp, #144]\n"
                                          "    ldp  x16, x17, [sp, #128]\n"
                                          "    ldp  x14, x15, [sp, #112]\n"
                                          "    ldp  x12, x13, [sp, #96]\n"
                                          "    ldp  x10, x11, [sp, #80]\n"
                                          "    ldp  x8, x9, [sp, #64]\n"
                                          "    ldp  x6, x7, [sp, #48]\n"
                                          "    ldp  x4, x5, [sp, #32]\n"
                                          "    ldp  x2, x3, [sp, #16]\n"
                                          "    ldp  x0, x1, [sp, #0]\n"
                                          "    add  sp, sp, #192\n"
                                          "    eret\n"
                                          ".text\n");
extern char gic_vectors[];

/* IRQ and FIQ from the current EL go to the guest; anything else is a bug. */
void gic_exception(uint64_t vector, uint64_t esr, uint64_t elr)
{
    if (vector == 0x280 || vector == 0x300) {
        gic_interrupt(vector == 0x300);
        return;
    }
    printf("PE %u: unexpected exception at vector 0x%x, ESR 0x%x, ELR 0x%lx\n", this_pe(),
           (unsigned)vector, (unsigned)esr, (unsigned long)elr);
    guest_exit(3);
}

/* Point this PE's VBAR_EL1 at the shared table. */
static inline void gic_vectors_install(void)
{
    __asm__ volatile("msr vbar_el1, %0\n\tisb" ::"r"(gic_vectors) : "memory");
}

#endif /* GIC_SMP */

#endif
