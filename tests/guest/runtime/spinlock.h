/* The spinlock the SMP guests share, as Linux's arm64 ticket-free locks
 * wait: LDAXR/STXR to take it, WFE between tries (a store that clears this
 * PE's exclusive mark wakes it), STLR to release it. */
#ifndef GUEST_SPINLOCK_H
#define GUEST_SPINLOCK_H

#include <stdint.h>

static inline void lock(volatile uint32_t *l)
{
    uint32_t tmp;
    __asm__ volatile("   sevl\n"
                     "1: wfe\n"
                     "2: ldaxr %w0, [%1]\n"
                     "   cbnz  %w0, 1b\n"
                     "   stxr  %w0, %w2, [%1]\n"
                     "   cbnz  %w0, 2b\n"
                     : "=&r"(tmp)
                     : "r"(l), "r"(1u)
                     : "memory");
}

static inline void unlock(volatile uint32_t *l)
{
    __asm__ volatile("stlr wzr, [%0]" : : "r"(l) : "memory");
}

#endif
