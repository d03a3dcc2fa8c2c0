/*
 * Exception vectors for guests: one table for EL1 (VBAR_EL1) and one for EL2
 * (VBAR_EL2). Every entry saves X0-X30, reads ELR, SPSR, ESR and FAR of the
 * EL it runs at, and calls the C handler installed for that EL with the
 * frame. On return, ELR and SPSR are written back from the frame (so a
 * handler may change where and how execution resumes), the registers are
 * restored from the frame, and ERET returns.
 *
 * lower_call() enters a lower EL (or tries to: an illegal return is fine) and
 * comes back when a handler at the calling EL calls lower_return().
 */
#ifndef GUEST_VECTORS_H
#define GUEST_VECTORS_H

#include <stdint.h>

/* Offsets of the four groups of vectors in a table (Arm ARM D1.10.2). */
#define VEC_CUR_SP0   0x000 /* current EL, using SP_EL0 */
#define VEC_CUR_SPX   0x200 /* current EL, using SP_ELx */
#define VEC_LOWER_A64 0x400 /* lower EL, AArch64 */
#define VEC_LOWER_A32 0x600 /* lower EL, AArch32 */
/* Offsets of the exception types inside a group. */
#define VEC_SYNC   0x000
#define VEC_IRQ    0x080
#define VEC_FIQ    0x100
#define VEC_SERROR 0x180

/* What a vector saves; the layout is fixed by vectors.S. */
struct exc_frame {
    uint64_t x[31];  /* X0-X30 at the exception; restored on return */
    uint64_t elr;    /* ELR_ELx; written back on return */
    uint64_t spsr;   /* SPSR_ELx; written back on return */
    uint64_t esr;    /* ESR_ELx as read at entry (stale for IRQ/FIQ) */
    uint64_t far;    /* FAR_ELx as read at entry (UNKNOWN unless the exception sets it) */
    uint64_t vector; /* offset of the vector taken in its table, 0x000-0x780 */
    uint64_t el;     /* EL the handler runs at: 1 or 2 */
    uint64_t pad;
};

typedef void (*exc_handler_fn)(struct exc_frame *frame);

/* Point VBAR_EL1 at the EL1 table and make HANDLER its handler (call at EL1 or EL2). */
void vectors_install_el1(exc_handler_fn handler);

/* Point VBAR_EL2 at the EL2 table and make HANDLER its handler (call at EL2). */
void vectors_install_el2(exc_handler_fn handler);

/* ERET to FN with X0 = ARG, ELR = FN and SPSR = SPSR, from the current EL with SP_ELx selected;
 * returns the value a handler at this EL later passes to lower_return(). The caller sets the
 * lower EL's stack pointers first. FN must not return. */
uint64_t lower_call(void (*fn)(uint64_t), uint64_t arg, uint64_t spsr);

/* From a handler at the EL that called lower_call(): make that call return VALUE, at its EL and
 * with its DAIF, when the handler returns. */
void lower_return(struct exc_frame *frame, uint64_t value);

#endif
