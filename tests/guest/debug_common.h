/*
 * Shared by the self-hosted debug guests (debug_*.c): the debug registers
 * by number, and their context save and restore. An EL1 kernel with the
 * MMU off programs them; MDSCR_EL1 and the OS Lock are set per test.
 */
#ifndef GUEST_DEBUG_COMMON_H
#define GUEST_DEBUG_COMMON_H

#include <stdint.h>

#include "exc_common.h"

#define NBRP 6 /* ID_AA64DFR0_EL1.BRPs + 1 on Cortex-A57 */
#define NWRP 4 /* ID_AA64DFR0_EL1.WRPs + 1 */

/* MDSCR_EL1 */
#define MDSCR_SS  (1ull << 0)
#define MDSCR_KDE (1ull << 13)
#define MDSCR_MDE (1ull << 15)

/* DBGBCR<n>_EL1: E, PMC (bit 1: EL1, bit 2: EL0), BAS = 0b1111, LBN, BT. */
#define BCR_E         1ull
#define BCR_EL1       (1ull << 1)
#define BCR_EL0       (2ull << 1)
#define BCR_BAS       (0xfull << 5)
#define BCR_LBN(n)    ((uint64_t)(n) << 16)
#define BCR_BT(t)     ((uint64_t)(t) << 20)
#define BT_ADDR       0x0 /* unlinked instruction address match */
#define BT_ADDR_LINK  0x1 /* linked instruction address match */
#define BT_CTXID      0x2 /* unlinked CONTEXTIDR_EL1 match */
#define BT_CTXID_LINK 0x3 /* linked CONTEXTIDR_EL1 match */

/* DBGWCR<n>_EL1: E, PAC, LSC (bit 3: load, bit 4: store), BAS, MASK. */
#define WCR_E       1ull
#define WCR_EL1     (1ull << 1)
#define WCR_EL0     (2ull << 1)
#define WCR_LOAD    (1ull << 3)
#define WCR_STORE   (2ull << 3)
#define WCR_BAS(b)  ((uint64_t)(b) << 5)
#define WCR_MASK(m) ((uint64_t)(m) << 24)

/* ESR_ELx of the debug exceptions (IL = 1). */
#define ESR_BP_LOWER   0xc2000022ull /* EC 0x30, IFSC 0x22 */
#define ESR_BP_CUR     0xc6000022ull /* EC 0x31 */
#define ESR_STEP_LOWER 0xca000022ull /* EC 0x32, ISV 0 */
#define ESR_STEP_CUR   0xce000022ull /* EC 0x33, ISV 0 */
#define ESR_ISV        (1ull << 24)
#define ESR_EX         (1ull << 6)
#define ESR_WP_LOWER   0xd2000022ull /* EC 0x34, DFSC 0x22 */
#define ESR_WP_CUR     0xd6000022ull /* EC 0x35 */
#define ESR_WNR        (1ull << 6)
#define ESR_EC(esr)    ((unsigned)((esr) >> 26) & 0x3f)

#define SPSR_SS (1ull << 21)
#define SPSR_D  (1ull << 9)

#define SYSREG_RW(name)                                                                            \
    static inline uint64_t rd_##name(void)                                                         \
    {                                                                                              \
        uint64_t v;                                                                                \
        __asm__ volatile("mrs %0, " #name : "=r"(v));                                              \
        return v;                                                                                  \
    }                                                                                              \
    static inline void wr_##name(uint64_t v)                                                       \
    {                                                                                              \
        __asm__ volatile("msr " #name ", %0\n\tisb" ::"r"(v));                                     \
    }

SYSREG_RW(mdscr_el1)
SYSREG_RW(contextidr_el1)

static inline uint64_t rd_oslsr(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, oslsr_el1" : "=r"(v));
    return v;
}

static inline void wr_oslar(uint64_t v)
{
    __asm__ volatile("msr oslar_el1, %0\n\tisb" ::"r"(v));
}

/* The system register names take a constant number: one case per comparator. */
#define DBG_CASE(n, reg, v)                                                                        \
    case n:                                                                                        \
        __asm__ volatile("msr " #reg #n "_el1, %0\n\tisb" ::"r"(v));                               \
        break
#define DBG_RCASE(n, reg, v)                                                                       \
    case n: __asm__ volatile("mrs %0, " #reg #n "_el1" : "=r"(v)); break

static inline void wr_bcr(unsigned n, uint64_t v)
{
    switch (n) {
        DBG_CASE(0, dbgbcr, v);
        DBG_CASE(1, dbgbcr, v);
        DBG_CASE(2, dbgbcr, v);
        DBG_CASE(3, dbgbcr, v);
        DBG_CASE(4, dbgbcr, v);
        DBG_CASE(5, dbgbcr, v);
    }
}
static inline void wr_bvr(unsigned n, uint64_t v)
{
    switch (n) {
        DBG_CASE(0, dbgbvr, v);
        DBG_CASE(1, dbgbvr, v);
        DBG_CASE(2, dbgbvr, v);
        DBG_CASE(3, dbgbvr, v);
        DBG_CASE(4, dbgbvr, v);
        DBG_CASE(5, dbgbvr, v);
    }
}
static inline void wr_wcr(unsigned n, uint64_t v)
{
    switch (n) {
        DBG_CASE(0, dbgwcr, v);
        DBG_CASE(1, dbgwcr, v);
        DBG_CASE(2, dbgwcr, v);
        DBG_CASE(3, dbgwcr, v);
    }
}
static inline void wr_wvr(unsigned n, uint64_t v)
{
    switch (n) {
        DBG_CASE(0, dbgwvr, v);
        DBG_CASE(1, dbgwvr, v);
        DBG_CASE(2, dbgwvr, v);
        DBG_CASE(3, dbgwvr, v);
    }
}
static inline uint64_t rd_bcr(unsigned n)
{
    uint64_t v = 0;
    switch (n) {
        DBG_RCASE(0, dbgbcr, v);
        DBG_RCASE(1, dbgbcr, v);
        DBG_RCASE(2, dbgbcr, v);
        DBG_RCASE(3, dbgbcr, v);
        DBG_RCASE(4, dbgbcr, v);
        DBG_RCASE(5, dbgbcr, v);
    }
    return v;
}
static inline uint64_t rd_bvr(unsigned n)
{
    uint64_t v = 0;
    switch (n) {
        DBG_RCASE(0, dbgbvr, v);
        DBG_RCASE(1, dbgbvr, v);
        DBG_RCASE(2, dbgbvr, v);
        DBG_RCASE(3, dbgbvr, v);
        DBG_RCASE(4, dbgbvr, v);
        DBG_RCASE(5, dbgbvr, v);
    }
    return v;
}
static inline uint64_t rd_wcr(unsigned n)
{
    uint64_t v = 0;
    switch (n) {
        DBG_RCASE(0, dbgwcr, v);
        DBG_RCASE(1, dbgwcr, v);
        DBG_RCASE(2, dbgwcr, v);
        DBG_RCASE(3, dbgwcr, v);
    }
    return v;
}
static inline uint64_t rd_wvr(unsigned n)
{
    uint64_t v = 0;
    switch (n) {
        DBG_RCASE(0, dbgwvr, v);
        DBG_RCASE(1, dbgwvr, v);
        DBG_RCASE(2, dbgwvr, v);
        DBG_RCASE(3, dbgwvr, v);
    }
    return v;
}

/* A context switch's view of the debug state: save it, clear it (the
 * next task has none), and restore it. */
struct debug_context {
    uint64_t mdscr, bcr[NBRP], bvr[NBRP], wcr[NWRP], wvr[NWRP];
};

static inline void debug_save(struct debug_context *d)
{
    d->mdscr = rd_mdscr_el1();
    for (unsigned n = 0; n < NBRP; n++) {
        d->bcr[n] = rd_bcr(n);
        d->bvr[n] = rd_bvr(n);
    }
    for (unsigned n = 0; n < NWRP; n++) {
        d->wcr[n] = rd_wcr(n);
        d->wvr[n] = rd_wvr(n);
    }
}

static inline void debug_clear(void)
{
    for (unsigned n = 0; n < NBRP; n++) {
        wr_bcr(n, 0);
        wr_bvr(n, 0);
    }
    for (unsigned n = 0; n < NWRP; n++) {
        wr_wcr(n, 0);
        wr_wvr(n, 0);
    }
}

static inline void debug_restore(const struct debug_context *d)
{
    for (unsigned n = 0; n < NBRP; n++) {
        wr_bvr(n, d->bvr[n]);
        wr_bcr(n, d->bcr[n]);
    }
    for (unsigned n = 0; n < NWRP; n++) {
        wr_wvr(n, d->wvr[n]);
        wr_wcr(n, d->wcr[n]);
    }
    wr_mdscr_el1(d->mdscr);
}

/* The EL1 guests (all but debug_el2): SCTLR_EL1 with its RES1 bits, SA0
 * and SA (as exc_el0.c), and a stack for their EL0 code. */
#define SCTLR_EL1_V 0x30d00818ull
/* SPSR of EL1h code with D, A, I and F masked. */
#define EL1H_DAIF 0x3c5ull
static uint64_t el0_stack[1024] __attribute__((aligned(16), unused));

/* Interrupts masked, HANDLER on the EL1 vectors, SCTLR_EL1_V, SP_EL0. */
static inline void debug_el1_start(void (*handler)(struct exc_frame *))
{
    __asm__ volatile("msr daifset, #0xf");
    vectors_install_el1(handler);
    __asm__ volatile("msr sctlr_el1, %0\n\tisb" ::"r"(SCTLR_EL1_V));
    __asm__ volatile("msr sp_el0, %0" ::"r"(ADDR(el0_stack + 1024)));
}

/* The access at SYM (at BASE), just made after exc_arm(1, FIX_SKIP), was
 * UNDEFINED at EL1: EC 0x00 with IL 1, taken to EL1 from EL1h. */
static inline void expect_undef_el1(const char *name, const char *sym, uintptr_t base)
{
    exc_expect(&(struct exc_want){.name = name,
                                  .el = 1,
                                  .vector = VEC_CUR_SPX,
                                  .esr = 0x02000000,
                                  .sym = sym,
                                  .base = base,
                                  .elr = 4,
                                  .spsr = EL1H_DAIF});
}

/* ESR of the SVC #0xff by which the guests' EL0 code returns to its
 * lower_call(). */
#define ESR_SVC_EXIT 0x560000ffull

/* True when F was that SVC, which is then done: back in lower_call(). */
static inline bool debug_el0_exit(struct exc_frame *f)
{
    if (f->vector != VEC_LOWER_A64 || f->esr != ESR_SVC_EXIT)
        return false;
    lower_return(f, f->x[0]);
    return true;
}

/* After a breakpoint (EC 0x30, 0x31) or watchpoint (0x34, 0x35) exception,
 * every comparator of that kind disabled, so the return does not hit it
 * again. */
static inline void debug_disarm(unsigned ec)
{
    if (ec == 0x30 || ec == 0x31)
        for (unsigned n = 0; n < NBRP; n++)
            wr_bcr(n, rd_bcr(n) & ~BCR_E);
    if (ec == 0x34 || ec == 0x35)
        for (unsigned n = 0; n < NWRP; n++)
            wr_wcr(n, rd_wcr(n) & ~WCR_E);
}

#endif
