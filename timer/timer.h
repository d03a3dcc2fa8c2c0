/* The generic timer (Arm ARM D11): the system counter and every PE's
 * timers, as one board-level module.
 *
 * The system counter is derived from simulated time, never the host clock:
 * CNTPCT = floor(cycle * cntfrq / PE clock). Each PE has the EL1 physical
 * (CNTP_*, PPI 30), EL1 virtual (CNTV_*, PPI 27, against CNTPCT - CNTVOFF),
 * and, when present, the EL2 physical (CNTHP_*, PPI 26) and EL2 virtual
 * (CNTHV_*, PPI 28) timers. A timer's output is a level: ENABLE && !IMASK &&
 * the condition (count >= CVAL). The moment the condition becomes true is a
 * scheduler event computed from CVAL, moved on every write that can change
 * it; nothing polls.
 *
 * Register accesses carry NOW, the cycle of the accessing PE (which may be
 * ahead of the scheduler within its quantum). Traps and UNDEFINED cases are
 * decided by the caller (cpu/sysreg.c); these functions only act. */
#ifndef TIMER_TIMER_H
#define TIMER_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct sched;
struct sched_event;
struct timer;

#define TIMER_DEFAULT_CNTFRQ 62500000ull /* 62.5 MHz, as QEMU's virt board */

/* The PPIs of the virt board (and the Server Base System Architecture). */
#define TIMER_PPI_EL1_PHYS 30
#define TIMER_PPI_EL1_VIRT 27
#define TIMER_PPI_EL2_PHYS 26
#define TIMER_PPI_EL2_VIRT 28

/* One PE's timers. */
enum timer_id {
    TIMER_EL1_PHYS, /* CNTP_*_EL0 */
    TIMER_EL1_VIRT, /* CNTV_*_EL0 */
    TIMER_EL2_PHYS, /* CNTHP_*_EL2 */
    TIMER_EL2_VIRT, /* CNTHV_*_EL2 */
    TIMER_COUNT,
};

/* The registers the module owns: timer T's CTL, CVAL and TVAL are
 * TIMER_REG_CTL + 3 * T, + 1, + 2. */
enum timer_reg {
    TIMER_REG_CTL = 0,
    TIMER_REG_CVAL = 1,
    TIMER_REG_TVAL = 2,
    TIMER_REG_CNTFRQ = 3 * TIMER_COUNT,
    TIMER_REG_CNTPCT,
    TIMER_REG_CNTVCT,
    TIMER_REG_CNTVOFF,
    TIMER_REG_COUNT,
};

/* CNT*_CTL bits. */
#define TIMER_CTL_ENABLE  (1u << 0)
#define TIMER_CTL_IMASK   (1u << 1)
#define TIMER_CTL_ISTATUS (1u << 2)

struct timer_config {
    unsigned npe;       /* PEs */
    uint64_t cntfrq;    /* counter frequency in Hz (0: TIMER_DEFAULT_CNTFRQ) */
    uint64_t pe_hz;     /* PE clock in Hz, the unit of simulated time */
    bool have_el2;      /* the EL2 physical timer exists */
    bool have_el2_virt; /* the EL2 virtual timer exists (FEAT_VHE) */
    struct sched *sched;
    /* Drive PPI INTID of PE to LEVEL; called only when the level changes. */
    void (*output)(void *opaque, unsigned pe, unsigned intid, bool level);
    /* Optional: (re)schedule EV at WHEN (lets the board shorten a round);
     * NULL: sched_mod. */
    void (*schedule)(void *opaque, struct sched_event *ev, uint64_t when);
    void *opaque;
};

/* Build the counter and the timers, all reset; NULL on bad config or OOM. */
struct timer *timer_new(const struct timer_config *cfg);
/* Cancel every pending event and free. */
void timer_free(struct timer *t);
/* CNTPCT at cycle NOW. */
uint64_t timer_cntpct(const struct timer *t, uint64_t now);
/* The first cycle at which CNTPCT reaches COUNT (UINT64_MAX: never). */
uint64_t timer_cycle_of_count(const struct timer *t, uint64_t count);
/* Read register REG of PE at cycle NOW. */
uint64_t timer_read(struct timer *t, unsigned pe, enum timer_reg reg, uint64_t now);
/* Write register REG of PE at cycle NOW; read-only registers ignore it. */
void timer_write(struct timer *t, unsigned pe, enum timer_reg reg, uint64_t value, uint64_t now);
/* The output level of timer ID of PE (what the GIC was last told). */
bool timer_output(const struct timer *t, unsigned pe, enum timer_id id);
/* The event stream (Arm ARM D11, "Event streams"): the first cycle after AFTER at which
 * bit BIT (0-15) of PE's count -- the virtual count CNTPCT - CNTVOFF if
 * VIRT, else CNTPCT -- goes from 0 to 1 (RISING) or from 1 to 0; UINT64_MAX
 * if the count cannot get there. */
uint64_t timer_bit_transition(const struct timer *t, unsigned pe, bool virt, unsigned bit,
                              bool rising, uint64_t after);
/* The cycle at which timer ID of PE is next due to fire (UINT64_MAX: none). */
uint64_t timer_next_event(const struct timer *t, unsigned pe, enum timer_id id);

#endif
