/* Arm PrimeCell Real Time Clock (PL031) as software sees it: a 32-bit
 * seconds counter that can be loaded (RTCLR) and read (RTCDR), a match
 * register (RTCMR) and the match interrupt output RTCINTR. QEMU's virt board
 * maps it at 0x0901_0000 (4 KiB) with RTCINTR on SPI 2.
 *
 * Determinism: the counter runs on simulated time only. The CLK1HZ input
 * ticks every pe_hz cycles of simulated time from cycle 0, and the model
 * learns the time of a register access from the board's time source
 * (pl031_config.now); it never reads a host clock. The counter reads
 * pl031_config.epoch at cycle 0, whatever the host date.
 *
 * Time only moves outside the device, so the match is an event the board
 * schedules: pl031_next_event says when the counter next reaches RTCMR and
 * pl031_advance, called then (or at any other time), latches it. Every
 * register access latches a match that is due first, so what the guest sees
 * does not depend on when, or whether, the board calls pl031_advance.
 *
 * The modelling choices (RTCCR, identification, the match as an event, load
 * phase, access sizes) are explained at the top of sim/pl031.c. */
#ifndef SIM_PL031_H
#define SIM_PL031_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/irq.h"

struct pl031;

/* The simulated time, in PE cycles, of the register access being made: for
 * the board, the cycle of the accessing PE (machine_now). */
typedef uint64_t (*pl031_now_fn)(void *opaque);

struct pl031_config {
    uint32_t epoch;   /* RTCDR at cycle 0: seconds since 1970-01-01 00:00:00 UTC */
    uint64_t pe_hz;   /* cycles of simulated time per second (the PE clock); nonzero */
    pl031_now_fn now; /* time source for register accesses; not NULL */
    void *now_opaque;
    struct irq_line irq; /* RTCINTR; taken to be low on entry */
};

/* Create an RTC in its reset state (NULL only when out of memory). */
struct pl031 *pl031_new(const struct pl031_config *cfg);

/* Destroy an RTC (NULL is allowed). */
void pl031_free(struct pl031 *rtc);

/* Reset: registers to their reset values, the counter back to reading the
 * epoch at cycle 0, no match pending, RTCINTR low. */
void pl031_reset(struct pl031 *rtc);

/* MMIO read at OFFSET (0..0xFFF) of SIZE bytes (1, 2, 4 or 8) at the time
 * the time source gives; false (the bus raises an external abort) unless it
 * is a 32-bit access to a word-aligned offset. Reserved offsets read as zero. */
bool pl031_read(struct pl031 *rtc, uint64_t offset, unsigned size, uint64_t *value);

/* MMIO write at OFFSET (0..0xFFF) of SIZE bytes (1, 2, 4 or 8); false unless
 * it is a 32-bit access to a word-aligned offset. Writes to reserved
 * offsets and read-only registers are ignored. */
bool pl031_write(struct pl031 *rtc, uint64_t offset, unsigned size, uint64_t value);

/* The cycle at which pl031_advance must next be called to latch a match:
 * the first cycle of the second in which the counter reaches RTCMR, or NOW
 * if that cycle has passed but the match is not latched yet; UINT64_MAX if no
 * match is pending (the counter is past RTCMR, or the match has fired). */
uint64_t pl031_next_event(const struct pl031 *rtc, uint64_t now);

/* Bring the model to cycle NOW: latch RTCRIS if the counter has reached
 * RTCMR by then, and drive RTCINTR. May be called at any time. */
void pl031_advance(struct pl031 *rtc, uint64_t now);

/* Current level of RTCINTR (RTCMIS). */
bool pl031_irq_level(const struct pl031 *rtc);

#endif
