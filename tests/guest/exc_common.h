/*
 * Shared by the exception guests (exc_*.c): what each EL's handler saw, how
 * it resumes, and the checks that print one line per exception.
 *
 * A check names the exception it expects: the EL that takes it, the vector
 * offset, ESR, ELR, SPSR and FAR. Expected values are written from the Arm
 * ARM by hand; addresses are given as a symbol plus an offset, and printed
 * that way, so the output does not change when code moves.
 */
#ifndef GUEST_EXC_COMMON_H
#define GUEST_EXC_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "printf.h"
#include "vectors.h"

#define ADDR(sym) ((uint64_t)(uintptr_t)(sym))

/* What a handler does before it returns. */
enum fixup {
    FIX_NONE,   /* return to ELR as taken (SVC, HVC, interrupts) */
    FIX_SKIP,   /* ELR + 4: step over the instruction that faulted */
    FIX_LR,     /* ELR = X30: back to the caller of a BLR to a bad target */
    FIX_RETURN, /* end the lower_call() in progress at this EL */
    FIX_NZCV,   /* return with NZCV = 0b1001 written into SPSR */
};

struct exc_record {
    unsigned count;
    uint64_t vector, esr, elr, spsr, far, daif;
};

static volatile struct exc_record exc_rec[3];
static volatile enum fixup exc_fix[3];
static unsigned exc_seen[3];
static unsigned exc_checks, exc_failures;

/* Remember what this exception looked like, as read at entry. */
static inline void exc_record(struct exc_frame *f)
{
    volatile struct exc_record *r = &exc_rec[f->el];
    uint64_t daif;
    __asm__ volatile("mrs %0, daif" : "=r"(daif));
    r->vector = f->vector;
    r->esr = f->esr;
    r->elr = f->elr;
    r->spsr = f->spsr;
    r->far = f->far;
    r->daif = daif;
    r->count++;
}

static inline void exc_apply_fixup(struct exc_frame *f)
{
    switch (exc_fix[f->el]) {
    case FIX_NONE: break;
    case FIX_SKIP: f->elr += 4; break;
    case FIX_LR: f->elr = f->x[30]; break;
    case FIX_RETURN: lower_return(f, 0x600d); break;
    case FIX_NZCV: f->spsr = (f->spsr & ~0xf0000000ull) | 0x90000000ull; break;
    }
}

/* Before a probe: how the handler at EL resumes, and the counts to compare against. */
static inline void exc_arm(unsigned el, enum fixup fix)
{
    exc_fix[el] = fix;
    for (int i = 0; i < 3; i++)
        exc_seen[i] = exc_rec[i].count;
}

enum far_kind { FAR_NONE, FAR_ABS, FAR_SYM };

struct exc_want {
    const char *name;
    unsigned el; /* the EL that takes it */
    uint64_t vector;
    bool no_esr; /* IRQ and FIQ do not write ESR */
    uint64_t esr;
    const char *sym; /* ELR (and a FAR_SYM FAR) as sym + offset; NULL: absolute (base 0) */
    uint64_t base;
    uint64_t elr;
    uint64_t spsr;
    enum far_kind far_kind;
    uint64_t far;        /* absolute, or an offset from far_sym (default: sym) */
    const char *far_sym; /* FAR_SYM only: when FAR is not near ELR */
    uint64_t far_base;
};

/* SYM + OFF, or the absolute address OFF when there is no symbol. */
static inline void exc_print_sym(const char *sym, int64_t off)
{
    if (!sym)
        printf("0x%lx", (unsigned long)off);
    else if (off < 0)
        printf("%s-0x%lx", sym, (unsigned long)-off);
    else
        printf("%s+0x%lx", sym, (unsigned long)off);
}

static inline void exc_print_fields(unsigned vector, bool no_esr, uint64_t esr, const char *sym,
                                    int64_t elr_off, uint64_t spsr, enum far_kind fk,
                                    const char *far_sym, int64_t far_off, uint64_t far)
{
    printf("vector 0x%03x", vector);
    if (!no_esr)
        printf(" ESR 0x%08lx", (unsigned long)esr);
    printf(" ELR ");
    exc_print_sym(sym, elr_off);
    printf(" SPSR 0x%08lx", (unsigned long)spsr);
    if (fk == FAR_ABS)
        printf(" FAR 0x%lx", (unsigned long)far);
    else if (fk == FAR_SYM) {
        printf(" FAR ");
        exc_print_sym(far_sym, far_off);
    }
}

/* Check that exactly one exception was taken to w->el since exc_arm() and that it is w. */
static inline bool exc_expect(const struct exc_want *w)
{
    volatile struct exc_record *r = &exc_rec[w->el];
    unsigned n = r->count - exc_seen[w->el];
    exc_checks++;
    if (n != 1) {
        exc_failures++;
        printf("%s: FAIL: %u exceptions taken to EL%u, expected 1\n", w->name, n, w->el);
        return false;
    }
    const char *far_sym = w->far_sym ? w->far_sym : w->sym;
    uint64_t far_base = w->far_sym ? w->far_base : w->base;
    uint64_t far_want = w->far_kind == FAR_SYM ? far_base + w->far : w->far;
    bool ok = r->vector == w->vector && (w->no_esr || r->esr == w->esr) &&
              r->elr == w->base + w->elr && r->spsr == w->spsr &&
              (w->far_kind == FAR_NONE || r->far == far_want);
    printf("%s: EL%u ", w->name, w->el);
    exc_print_fields((unsigned)r->vector, w->no_esr, r->esr, w->sym, (int64_t)(r->elr - w->base),
                     r->spsr, w->far_kind, far_sym, (int64_t)(r->far - far_base), r->far);
    printf(ok ? " ok\n" : " FAIL\n");
    if (!ok) {
        exc_failures++;
        printf("  expected ");
        exc_print_fields((unsigned)w->vector, w->no_esr, w->esr, w->sym, (int64_t)w->elr, w->spsr,
                         w->far_kind, far_sym, (int64_t)w->far, w->far);
        printf("\n");
    }
    return ok;
}

/* Check that no exception at all was taken since exc_arm(). */
static inline void exc_expect_none(const char *name)
{
    exc_checks++;
    for (int el = 0; el < 3; el++) {
        unsigned n = exc_rec[el].count - exc_seen[el];
        if (n != 0) {
            exc_failures++;
            printf("%s: FAIL: %u exceptions taken to EL%d, expected none\n", name, n, el);
            return;
        }
    }
    printf("%s: not taken ok\n", name);
}

/* Check one value and print it. */
static inline void expect_value(const char *name, uint64_t got, uint64_t want)
{
    exc_checks++;
    if (got == want) {
        printf("%s: 0x%lx ok\n", name, (unsigned long)got);
        return;
    }
    exc_failures++;
    printf("%s: 0x%lx FAIL, expected 0x%lx\n", name, (unsigned long)got, (unsigned long)want);
}

/* The last line of every exception guest; returns the exit status for main. */
static inline int exc_summary(const char *guest)
{
    printf("%s: %u checks, %u failed\n", guest, exc_checks, exc_failures);
    return exc_failures ? 1 : 0;
}

#endif
