/* Arm PrimeCell Real Time Clock (PL031), programmer's model of the TRM (DDI
 * 0224), with CLK1HZ derived from simulated time.
 *
 * How this model reads the TRM, and where it departs from it:
 *
 * - Counter and load. The TRM separates the counter from the RTC value: the
 *   counter is free-running on CLK1HZ and "cannot be loaded"; a write to
 *   RTCLR is "applied to the counter value" as an offset, and RTCDR returns
 *   counter + offset. Here CLK1HZ ticks every pe_hz cycles from cycle 0, so
 *   the counter is now / pe_hz, and the offset is the epoch at reset. A load
 *   keeps the phase of CLK1HZ: RTCDR reads the loaded value at once and steps
 *   at the next CLK1HZ edge, not a whole second after the load (QEMU does the
 *   same with its tick offset). The sum is 32 bits and wraps. RTCLR reads the
 *   last value written (0 after reset, the TRM reset value), not the counter.
 *
 * - RTCCR. The TRM: the RTC enable bit "is set when 1 is written to bit[0] of
 *   the RTC control register. When set, the RTC is started and subsequent
 *   writes have no effect. A read of bit[0] indicates the status of the RTC
 *   enable signal." So RTCStart resets to 0, a write of 1 sets it and it stays
 *   1 until reset; bits 31:1 read as zero. QEMU instead reads RTCCR as 1 at
 *   all times. The counter counts whether or not RTCStart is set (as on
 *   QEMU, where the RTC is permanently running): guests written against QEMU
 *   read RTCDR without ever starting the RTC, and the configured epoch stands
 *   for an RTC that firmware left running. Only the RTCCR read shows the bit.
 *
 * - The match. The TRM: "The counter and match values are compared in a
 *   comparator. When both values are equal, the RTCINTR interrupt is asserted
 *   HIGH." The equality is taken as an event, latched in RTCRIS, as QEMU
 *   does: RTCRIS is set when the counter steps to RTCMR at a CLK1HZ edge, or
 *   at once when a write to RTCMR or RTCLR makes them equal; clearing it
 *   with RTCICR within the matching second does not set it again. A match is
 *   armed only by writes to RTCMR and RTCLR, and only if RTCMR is ahead of
 *   the counter; it fires once. A match behind the counter would be reached
 *   on silicon only after the 32-bit counter wraps (up to 2^32 s, 136 years,
 *   later); this model never fires it, so the board has no event to schedule
 *   decades ahead. Neither reset nor a counter wrap arms a match.
 *
 * - Interrupt registers. RTCIMSC bit 0 set enables (unmasks) RTCINTR:
 *   RTCMIS = RTCRIS & RTCIMSC. RTCICR is bit 0 write-1-to-clear, as QEMU and
 *   the PrimeCell convention have it; the TRM overview says RTCINTR "is
 *   cleared by writing any data value" to RTCICR, which differs only for a
 *   write of 0 (ignored here; Linux writes 1). RTCICR reads as zero.
 *
 * - Identification. RTCPeriphID0-3 read 0x31 0x10 0x14 0x00: part 0x031,
 *   designer 0x41 (Arm), revision 1, configuration 0, the values QEMU's virt
 *   board reports, so runs compare like-for-like with QEMU. (Some other models
 *   report revision 0, 0x04 in RTCPeriphID2; Linux matches the PL031 on
 *   part and designer only.) RTCPCellID0-3 read 0x0D 0xF0 0x05 0xB1.
 *
 * - Accesses. The TRM allows 32-bit accesses only ("All memory accesses to
 *   the peripheral identification registers must be 32-bit"). A 1-, 2- or
 *   8-byte access, or a 4-byte access that is not word aligned, is refused
 *   (the bus raises an external abort, as for pl011's 8-byte accesses) and
 *   has no effect. Offsets with no register read as zero and ignore writes.
 *
 * Time: every access asks the time source for NOW, first latches a match
 * that is due by NOW (match_latch), then acts. RTCINTR is recomputed in one
 * place, update_rtcintr(), at the end of every access, advance and reset. */
#include "sim/pl031.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

enum pl031_offset {
    RTCDR = 0x000,
    RTCMR = 0x004,
    RTCLR = 0x008,
    RTCCR = 0x00C,
    RTCIMSC = 0x010,
    RTCRIS = 0x014,
    RTCMIS = 0x018,
    RTCICR = 0x01C,
    RTCPeriphID0 = 0xFE0,
    RTCPeriphID1 = 0xFE4,
    RTCPeriphID2 = 0xFE8,
    RTCPeriphID3 = 0xFEC,
    RTCPCellID0 = 0xFF0,
    RTCPCellID1 = 0xFF4,
    RTCPCellID2 = 0xFF8,
    RTCPCellID3 = 0xFFC,
};

#define CR_RTCSTART (1u << 0)

/* The match interrupt bit: the same position in RTCIMSC, RTCRIS, RTCMIS, RTCICR. */
#define INT_RTC (1u << 0)

struct pl031 {
    struct pl031_config cfg;

    /* Registers that hold what software wrote (reset values in the table). */
    uint32_t mr;
    uint32_t lr;
    uint32_t cr;
    uint32_t imsc;

    uint32_t offset; /* RTC value - CLK1HZ count, mod 2^32: the epoch after reset */
    bool ris;        /* RTCRIS: latched by a match, cleared by RTCICR */
    bool armed;      /* a match is pending at cycle match_at */
    uint64_t match_at;
};

struct pl031_reg;
typedef uint32_t (*pl031_reg_read_fn)(struct pl031 *rtc, const struct pl031_reg *r, uint64_t now);
typedef void (*pl031_reg_write_fn)(struct pl031 *rtc, const struct pl031_reg *r, uint32_t value,
                                   uint64_t now);

/* One register: for stored registers FIELD locates the copy in struct pl031
 * and RESET is its reset value; for ID registers RESET is the constant read. */
struct pl031_reg {
    uint32_t offset;
    const char *name;
    uint32_t reset;
    uint32_t write_mask;
    size_t field;
    pl031_reg_read_fn read;
    pl031_reg_write_fn write; /* NULL: read-only, writes ignored */
};

#define NO_FIELD SIZE_MAX

/* ---- The counter --------------------------------------------------------- */

/* CLK1HZ edges since cycle 0. */
static uint64_t clk1hz_count(const struct pl031 *rtc, uint64_t now)
{
    return now / rtc->cfg.pe_hz;
}

/* The RTC value, what RTCDR reads at NOW. */
static uint32_t rtc_value(const struct pl031 *rtc, uint64_t now)
{
    return rtc->offset + (uint32_t)clk1hz_count(rtc, now);
}

/* The first cycle of CLK1HZ second SECOND; UINT64_MAX (never) if past the
 * range of simulated time. */
static uint64_t cycle_of_second(const struct pl031 *rtc, uint64_t second)
{
    unsigned __int128 cycle = (unsigned __int128)second * rtc->cfg.pe_hz;

    return cycle >= UINT64_MAX ? UINT64_MAX : (uint64_t)cycle;
}

/* ---- The match ----------------------------------------------------------- */

/* After RTCMR or RTCLR changed at NOW: equal now sets RTCRIS at once; ahead
 * arms the match for the CLK1HZ edge at which the counter steps to RTCMR;
 * behind disarms it (see the top of the file). */
static void match_arm(struct pl031 *rtc, uint64_t now)
{
    uint32_t value = rtc_value(rtc, now);

    rtc->armed = false;
    if (rtc->mr == value) {
        rtc->ris = true;
        return;
    }
    if (rtc->mr < value)
        return;
    rtc->match_at = cycle_of_second(rtc, clk1hz_count(rtc, now) + (rtc->mr - value));
    rtc->armed = rtc->match_at != UINT64_MAX;
}

/* The counter reached RTCMR by NOW: the one place a pending match fires. */
static void match_latch(struct pl031 *rtc, uint64_t now)
{
    if (!rtc->armed || now < rtc->match_at)
        return;
    rtc->ris = true;
    rtc->armed = false;
}

/* ---- Interrupts ---------------------------------------------------------- */

static uint32_t raw_interrupt_status(const struct pl031 *rtc)
{
    return rtc->ris ? INT_RTC : 0;
}

/* The one place RTCINTR is driven: the masked interrupt status. */
static void update_rtcintr(struct pl031 *rtc)
{
    irq_line_set(&rtc->cfg.irq, (raw_interrupt_status(rtc) & rtc->imsc) != 0);
}

/* ---- Register access functions ------------------------------------------- */

static uint32_t *reg_field(struct pl031 *rtc, const struct pl031_reg *r)
{
    assert(r->field != NO_FIELD);
    return (uint32_t *)((char *)rtc + r->field);
}

static uint32_t read_stored(struct pl031 *rtc, const struct pl031_reg *r, uint64_t now)
{
    (void)now;
    return *reg_field(rtc, r);
}

static void write_stored(struct pl031 *rtc, const struct pl031_reg *r, uint32_t value, uint64_t now)
{
    (void)now;
    *reg_field(rtc, r) = value & r->write_mask;
}

static uint32_t read_constant(struct pl031 *rtc, const struct pl031_reg *r, uint64_t now)
{
    (void)rtc;
    (void)now;
    return r->reset;
}

static uint32_t read_zero(struct pl031 *rtc, const struct pl031_reg *r, uint64_t now)
{
    (void)rtc;
    (void)r;
    (void)now;
    return 0;
}

static uint32_t read_dr(struct pl031 *rtc, const struct pl031_reg *r, uint64_t now)
{
    (void)r;
    return rtc_value(rtc, now);
}

static void write_mr(struct pl031 *rtc, const struct pl031_reg *r, uint32_t value, uint64_t now)
{
    write_stored(rtc, r, value, now);
    match_arm(rtc, now);
}

/* RTCLR: the RTC reads VALUE from now on; the CLK1HZ phase is kept. */
static void write_lr(struct pl031 *rtc, const struct pl031_reg *r, uint32_t value, uint64_t now)
{
    write_stored(rtc, r, value, now);
    rtc->offset = value - (uint32_t)clk1hz_count(rtc, now);
    match_arm(rtc, now);
}

/* RTCCR: RTCStart is set by a write of 1 and then ignores writes until reset. */
static void write_cr(struct pl031 *rtc, const struct pl031_reg *r, uint32_t value, uint64_t now)
{
    (void)now;
    rtc->cr |= value & r->write_mask;
}

static uint32_t read_ris(struct pl031 *rtc, const struct pl031_reg *r, uint64_t now)
{
    (void)r;
    (void)now;
    return raw_interrupt_status(rtc);
}

static uint32_t read_mis(struct pl031 *rtc, const struct pl031_reg *r, uint64_t now)
{
    (void)r;
    (void)now;
    return raw_interrupt_status(rtc) & rtc->imsc;
}

/* RTCICR: write 1 to clear; the match stays fired (it is not re-armed). */
static void write_icr(struct pl031 *rtc, const struct pl031_reg *r, uint32_t value, uint64_t now)
{
    (void)r;
    (void)now;
    if (value & INT_RTC)
        rtc->ris = false;
}

/* ---- The register map ---------------------------------------------------- */

#define STORED(off, nm, rst, mask, member, wr)                                                     \
    {                                                                                              \
        off, nm, rst, mask, offsetof(struct pl031, member), read_stored, wr                        \
    }
#define COMPUTED(off, nm, rd, wr)                                                                  \
    {                                                                                              \
        off, nm, 0, 0, NO_FIELD, rd, wr                                                            \
    }
#define CONSTANT(off, nm, constant)                                                                \
    {                                                                                              \
        off, nm, constant, 0, NO_FIELD, read_constant, NULL                                        \
    }

static const struct pl031_reg pl031_regs[] = {
    COMPUTED(RTCDR, "RTCDR", read_dr, NULL),
    STORED(RTCMR, "RTCMR", 0x00000000, 0xFFFFFFFF, mr, write_mr),
    STORED(RTCLR, "RTCLR", 0x00000000, 0xFFFFFFFF, lr, write_lr),
    /* Bit 0 RTCStart, sticky; bits 31:1 reserved, read as zero. */
    STORED(RTCCR, "RTCCR", 0x0, CR_RTCSTART, cr, write_cr),
    STORED(RTCIMSC, "RTCIMSC", 0x0, INT_RTC, imsc, write_stored),
    COMPUTED(RTCRIS, "RTCRIS", read_ris, NULL),
    COMPUTED(RTCMIS, "RTCMIS", read_mis, NULL),
    COMPUTED(RTCICR, "RTCICR", read_zero, write_icr),
    /* QEMU virt's revision 1; see the top of the file. */
    CONSTANT(RTCPeriphID0, "RTCPeriphID0", 0x31),
    CONSTANT(RTCPeriphID1, "RTCPeriphID1", 0x10),
    CONSTANT(RTCPeriphID2, "RTCPeriphID2", 0x14),
    CONSTANT(RTCPeriphID3, "RTCPeriphID3", 0x00),
    CONSTANT(RTCPCellID0, "RTCPCellID0", 0x0D),
    CONSTANT(RTCPCellID1, "RTCPCellID1", 0xF0),
    CONSTANT(RTCPCellID2, "RTCPCellID2", 0x05),
    CONSTANT(RTCPCellID3, "RTCPCellID3", 0xB1),
};

#define PL031_NREGS (sizeof(pl031_regs) / sizeof(pl031_regs[0]))

static const struct pl031_reg *find_reg(uint64_t offset)
{
    for (size_t i = 0; i < PL031_NREGS; i++) {
        if (pl031_regs[i].offset == offset)
            return &pl031_regs[i];
    }
    return NULL;
}

/* ---- Access plumbing ----------------------------------------------------- */

/* Only word accesses to word-aligned offsets reach a register. */
static bool access_accepted(uint64_t offset, unsigned size)
{
    assert(size == 1 || size == 2 || size == 4 || size == 8);
    return size == 4 && (offset & 3) == 0;
}

/* The time of this access, with any match due by then latched. */
static uint64_t access_begin(struct pl031 *rtc)
{
    uint64_t now = rtc->cfg.now(rtc->cfg.now_opaque);

    match_latch(rtc, now);
    return now;
}

bool pl031_read(struct pl031 *rtc, uint64_t offset, unsigned size, uint64_t *value)
{
    const struct pl031_reg *r;
    uint64_t now;

    *value = 0;
    if (!access_accepted(offset, size))
        return false;
    assert(offset <= 0xFFF);
    now = access_begin(rtc);
    r = find_reg(offset);
    if (r)
        *value = r->read(rtc, r, now);
    update_rtcintr(rtc);
    return true;
}

bool pl031_write(struct pl031 *rtc, uint64_t offset, unsigned size, uint64_t value)
{
    const struct pl031_reg *r;
    uint64_t now;

    if (!access_accepted(offset, size))
        return false;
    assert(offset <= 0xFFF);
    now = access_begin(rtc);
    r = find_reg(offset);
    if (r && r->write)
        r->write(rtc, r, (uint32_t)value, now);
    update_rtcintr(rtc);
    return true;
}

/* ---- Life cycle and time ------------------------------------------------- */

struct pl031 *pl031_new(const struct pl031_config *cfg)
{
    struct pl031 *rtc;

    assert(cfg->pe_hz > 0 && cfg->now);
    rtc = calloc(1, sizeof(*rtc));
    if (!rtc)
        return NULL;
    rtc->cfg = *cfg;
    rtc->cfg.irq.level = false;
    pl031_reset(rtc);
    return rtc;
}

void pl031_free(struct pl031 *rtc)
{
    free(rtc);
}

void pl031_reset(struct pl031 *rtc)
{
    for (size_t i = 0; i < PL031_NREGS; i++) {
        if (pl031_regs[i].field != NO_FIELD)
            *reg_field(rtc, &pl031_regs[i]) = pl031_regs[i].reset;
    }
    rtc->offset = rtc->cfg.epoch;
    rtc->ris = false;
    rtc->armed = false;
    rtc->match_at = UINT64_MAX;
    update_rtcintr(rtc);
}

uint64_t pl031_next_event(const struct pl031 *rtc, uint64_t now)
{
    if (!rtc->armed)
        return UINT64_MAX;
    return rtc->match_at > now ? rtc->match_at : now;
}

void pl031_advance(struct pl031 *rtc, uint64_t now)
{
    match_latch(rtc, now);
    update_rtcintr(rtc);
}

bool pl031_irq_level(const struct pl031 *rtc)
{
    return rtc->cfg.irq.level;
}
