/* Arm PrimeCell UART (PL011), programmer's model of the r1p5 TRM (DDI 0183),
 * single clock domain, no baud-rate timing.
 *
 * How this model differs from the silicon, and why:
 *
 * - Identification. The r1p5 TRM gives UARTPeriphID0-3 = 0x11 0x10 0x34 0x00
 *   (revision field 3) and UARTPCellID0-3 = 0x0D 0xF0 0x05 0xB1. But r1p5 is
 *   also the revision whose FIFOs grew from 16 to 32 entries, and drivers
 *   size their FIFO handling from the revision field (Linux amba-pl011 uses 32
 *   entries for revision >= 3, FreeBSD does the same). This model has 16-entry
 *   FIFOs, so it reports the identification QEMU's virt board reports,
 *   0x11 0x10 0x14 0x00 (revision 1, a 16-entry part): a guest then sizes its
 *   FIFO correctly, and runs compare like-for-like with QEMU. The PrimeCell ID
 *   is the same for every revision.
 *
 * - Transmission is instantaneous. A write to UARTDR hands the byte to the
 *   sink at once, so the transmit FIFO is always empty: UARTFR.TXFE=1, TXFF=0,
 *   BUSY=0 at all times.
 *
 * - Transmit and receive ignore UARTCR.UARTEN/TXE/RXE. The TRM says a
 *   disabled UART neither sends nor receives, but firmware and early console
 *   code written against QEMU print without ever enabling the UART, and QEMU
 *   sends the bytes anyway. Deliberate deviation, so such guests behave here
 *   as they do on QEMU. Likewise the byte is sent whole, whatever
 *   UARTLCR_H.WLEN says, and loopback (UARTCR.LBE), break and hardware flow
 *   control are not modelled.
 *
 * - Reception. The receive FIFO holds 16 bytes with UARTLCR_H.FEN=1 and acts
 *   as a 1-byte holding register with FEN=0. Bytes come from the input source
 *   only at reset, after a read of UARTDR, after a UARTLCR_H/UARTCR write
 *   that changes FEN, UARTEN or RXE, and when the board says new input has
 *   arrived (pl011_rx_ready), and only while there is room. Clearing
 *   FEN does not discard bytes already received (the TRM does not say; losing
 *   input would make runs depend on when the guest toggles FEN): the guest
 *   drains them one by one, and RXFF reads 1 until the FIFO is down to zero.
 *   Reading UARTDR with nothing received returns 0.
 *
 * - Errors (framing, parity, break, overrun) never happen, so UARTDR bits
 *   11:8 and UARTRSR read as zero and a UARTECR write has nothing to clear.
 *   The modem inputs are not connected (nUARTCTS/DSR/DCD/RI inactive):
 *   UARTFR.CTS/DSR/DCD/RI read 0 and the modem interrupts never assert.
 *
 * - Interrupts. The TRM defines the transmit interrupt by a transition: it
 *   is set when the transmit FIFO drains to the trigger level, not merely by
 *   being at or below it, so enabling the UART with an empty FIFO does not
 *   raise it; it stays set until UARTICR.TXIC is written or the FIFO fills
 *   above the level again. Here every byte drains at once, so TXRIS is set by
 *   every write to UARTDR and cleared only by UARTICR (the FIFO never fills).
 *   The receive interrupt RXRIS is a level: receive FIFO occupancy >= the
 *   UARTIFLS.RXIFLSEL trigger (any byte, FIFO disabled). The receive timeout
 *   RTRIS is simplified: there is no character-time clock, so it is asserted
 *   whenever the FIFO holds bytes but fewer than the trigger level (what a
 *   guest would see once the line has been idle). Both follow occupancy, so
 *   writing UARTICR does not clear them while their condition holds. The
 *   reserved RXIFLSEL encodings b101-b111 act as b010 (half full), the reset
 *   choice. DMA requests (UARTDMACR) are not modelled; the register is storage.
 *
 * - Accesses. The registers are 32-bit words; an access of 1 or 2 bytes at
 *   any offset reaches the word at offset & ~3. A read returns that word's
 *   byte lanes (shifted down); it has the word's side effects, so any read of
 *   UARTDR pops the FIFO. A write changes only its lanes: a write to UARTDR
 *   transmits only if it covers bits 7:0, and lanes of write-only registers
 *   that are not written count as zero. Lanes beyond the word are dropped.
 *   8-byte accesses are refused (the bus raises an external abort); offsets
 *   with no register read as zero and ignore writes.
 *
 * The interrupt output UARTINTR is recomputed in one place, update_uartintr(),
 * at the end of every access and reset. */
#include "sim/pl011.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define PL011_FIFO_DEPTH 16u

enum pl011_offset {
    UARTDR = 0x000,
    UARTRSR_ECR = 0x004,
    UARTFR = 0x018,
    UARTILPR = 0x020,
    UARTIBRD = 0x024,
    UARTFBRD = 0x028,
    UARTLCR_H = 0x02C,
    UARTCR = 0x030,
    UARTIFLS = 0x034,
    UARTIMSC = 0x038,
    UARTRIS = 0x03C,
    UARTMIS = 0x040,
    UARTICR = 0x044,
    UARTDMACR = 0x048,
    UARTPeriphID0 = 0xFE0,
    UARTPeriphID1 = 0xFE4,
    UARTPeriphID2 = 0xFE8,
    UARTPeriphID3 = 0xFEC,
    UARTPCellID0 = 0xFF0,
    UARTPCellID1 = 0xFF4,
    UARTPCellID2 = 0xFF8,
    UARTPCellID3 = 0xFFC,
};

#define DR_DATA 0xFFu

#define FR_RXFE (1u << 4)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)

#define LCR_H_FEN (1u << 4)

#define CR_UARTEN (1u << 0)
#define CR_RXE    (1u << 9)

#define IFLS_RXIFLSEL(ifls) (((ifls) >> 3) & 7u)

/* Interrupt bits: the same positions in UARTIMSC, UARTRIS, UARTMIS, UARTICR. */
#define INT_RX  (1u << 4)
#define INT_TX  (1u << 5)
#define INT_RT  (1u << 6)
#define INT_ALL 0x7FFu

struct pl011 {
    pl011_tx_fn tx;
    pl011_rx_fn rx;
    void *io_opaque;
    struct irq_line irq;

    /* Registers that hold what software wrote (reset values in the table). */
    uint32_t ilpr;
    uint32_t ibrd;
    uint32_t fbrd;
    uint32_t lcr_h;
    uint32_t cr;
    uint32_t ifls;
    uint32_t imsc;
    uint32_t dmacr;

    /* Receive FIFO, a ring of rx_count bytes starting at rx_head. */
    uint8_t rx_fifo[PL011_FIFO_DEPTH];
    unsigned rx_head;
    unsigned rx_count;

    bool tx_ris; /* TXRIS: latched on each byte sent, cleared by UARTICR.TXIC */
    uint64_t tx_count;
};

struct pl011_reg;
typedef uint32_t (*pl011_reg_read_fn)(struct pl011 *u, const struct pl011_reg *r);
/* VALUE is already in place in the word; LANES has 0xFF in each byte written. */
typedef void (*pl011_reg_write_fn)(struct pl011 *u, const struct pl011_reg *r, uint32_t value,
                                   uint32_t lanes);

/* One register: for stored registers FIELD locates the copy in struct pl011
 * and RESET is its reset value; for ID registers RESET is the constant read. */
struct pl011_reg {
    uint32_t offset;
    const char *name;
    uint32_t reset;
    uint32_t write_mask;
    size_t field;
    pl011_reg_read_fn read;
    pl011_reg_write_fn write; /* NULL: read-only, writes ignored */
};

#define NO_FIELD SIZE_MAX

/* ---- Receive FIFO -------------------------------------------------------- */

static unsigned rx_depth(const struct pl011 *u)
{
    return (u->lcr_h & LCR_H_FEN) ? PL011_FIFO_DEPTH : 1u;
}

/* Occupancy at which RXRIS asserts (TRM, UARTIFLS: FIFO becomes >= N/8 full). */
static unsigned rx_trigger_level(const struct pl011 *u)
{
    static const uint8_t eighths[8] = {1, 2, 4, 6, 7, 4, 4, 4};

    if (!(u->lcr_h & LCR_H_FEN))
        return 1;
    return eighths[IFLS_RXIFLSEL(u->ifls)] * PL011_FIFO_DEPTH / 8;
}

static void rx_push(struct pl011 *u, uint8_t byte)
{
    assert(u->rx_count < PL011_FIFO_DEPTH);
    u->rx_fifo[(u->rx_head + u->rx_count) % PL011_FIFO_DEPTH] = byte;
    u->rx_count++;
}

static uint8_t rx_pop(struct pl011 *u)
{
    uint8_t byte = u->rx_fifo[u->rx_head];

    assert(u->rx_count > 0);
    u->rx_head = (u->rx_head + 1) % PL011_FIFO_DEPTH;
    u->rx_count--;
    return byte;
}

/* Ask the input source for bytes while there is room: the only caller of rx(). */
static void rx_refill(struct pl011 *u)
{
    uint8_t byte;

    if (!u->rx)
        return;
    while (u->rx_count < rx_depth(u) && u->rx(u->io_opaque, &byte))
        rx_push(u, byte);
}

/* ---- Interrupts ---------------------------------------------------------- */

static uint32_t raw_interrupt_status(const struct pl011 *u)
{
    uint32_t ris = 0;

    if (u->rx_count >= rx_trigger_level(u))
        ris |= INT_RX;
    else if (u->rx_count > 0)
        ris |= INT_RT;
    if (u->tx_ris)
        ris |= INT_TX;
    return ris;
}

/* The one place UARTINTR is driven: the OR of the masked interrupt status. */
static void update_uartintr(struct pl011 *u)
{
    irq_line_set(&u->irq, (raw_interrupt_status(u) & u->imsc) != 0);
}

/* ---- Register access functions ------------------------------------------- */

static uint32_t *reg_field(struct pl011 *u, const struct pl011_reg *r)
{
    assert(r->field != NO_FIELD);
    return (uint32_t *)((char *)u + r->field);
}

static uint32_t read_stored(struct pl011 *u, const struct pl011_reg *r)
{
    return *reg_field(u, r);
}

static void write_stored(struct pl011 *u, const struct pl011_reg *r, uint32_t value, uint32_t lanes)
{
    uint32_t *reg = reg_field(u, r);
    uint32_t bits = lanes & r->write_mask;

    *reg = (*reg & ~bits) | (value & bits);
}

static uint32_t read_constant(struct pl011 *u, const struct pl011_reg *r)
{
    (void)u;
    return r->reset;
}

static uint32_t read_zero(struct pl011 *u, const struct pl011_reg *r)
{
    (void)u;
    (void)r;
    return 0;
}

/* UARTDR read: the oldest received byte; error bits 11:8 stay zero. */
static uint32_t read_dr(struct pl011 *u, const struct pl011_reg *r)
{
    uint32_t data = 0;

    (void)r;
    if (u->rx_count > 0)
        data = rx_pop(u);
    rx_refill(u);
    return data;
}

static void write_dr(struct pl011 *u, const struct pl011_reg *r, uint32_t value, uint32_t lanes)
{
    uint8_t byte = (uint8_t)(value & DR_DATA);

    (void)r;
    if (!(lanes & DR_DATA))
        return;
    if (u->tx)
        u->tx(u->io_opaque, byte);
    u->tx_count++;
    u->tx_ris = true;
}

/* UARTECR: any write clears the error flags; none are ever set here. */
static void write_ecr(struct pl011 *u, const struct pl011_reg *r, uint32_t value, uint32_t lanes)
{
    (void)u;
    (void)r;
    (void)value;
    (void)lanes;
}

static uint32_t read_fr(struct pl011 *u, const struct pl011_reg *r)
{
    uint32_t fr = FR_TXFE;

    (void)r;
    if (u->rx_count == 0)
        fr |= FR_RXFE;
    if (u->rx_count >= rx_depth(u))
        fr |= FR_RXFF;
    return fr;
}

/* Changing FEN changes the room in the receive FIFO. */
static void write_lcr_h(struct pl011 *u, const struct pl011_reg *r, uint32_t value, uint32_t lanes)
{
    uint32_t old = u->lcr_h;

    write_stored(u, r, value, lanes);
    if ((old ^ u->lcr_h) & LCR_H_FEN)
        rx_refill(u);
}

/* A change of UARTEN or RXE is one of the documented points to ask for input. */
static void write_cr(struct pl011 *u, const struct pl011_reg *r, uint32_t value, uint32_t lanes)
{
    uint32_t old = u->cr;

    write_stored(u, r, value, lanes);
    if ((old ^ u->cr) & (CR_UARTEN | CR_RXE))
        rx_refill(u);
}

static uint32_t read_ris(struct pl011 *u, const struct pl011_reg *r)
{
    (void)r;
    return raw_interrupt_status(u);
}

static uint32_t read_mis(struct pl011 *u, const struct pl011_reg *r)
{
    (void)r;
    return raw_interrupt_status(u) & u->imsc;
}

/* UARTICR: write 1 to clear. Only TXRIS is a latch; RX/RT follow occupancy. */
static void write_icr(struct pl011 *u, const struct pl011_reg *r, uint32_t value, uint32_t lanes)
{
    (void)r;
    if (value & lanes & INT_TX)
        u->tx_ris = false;
}

/* ---- The register map ---------------------------------------------------- */

#define STORED(off, nm, rst, mask, member, wr)                                                     \
    {                                                                                              \
        off, nm, rst, mask, offsetof(struct pl011, member), read_stored, wr                        \
    }
#define COMPUTED(off, nm, rd, wr)                                                                  \
    {                                                                                              \
        off, nm, 0, 0, NO_FIELD, rd, wr                                                            \
    }
#define CONSTANT(off, nm, constant)                                                                \
    {                                                                                              \
        off, nm, constant, 0, NO_FIELD, read_constant, NULL                                        \
    }

static const struct pl011_reg pl011_regs[] = {
    COMPUTED(UARTDR, "UARTDR", read_dr, write_dr),
    COMPUTED(UARTRSR_ECR, "UARTRSR/UARTECR", read_zero, write_ecr),
    COMPUTED(UARTFR, "UARTFR", read_fr, NULL),
    STORED(UARTILPR, "UARTILPR", 0x00, 0xFF, ilpr, write_stored),
    STORED(UARTIBRD, "UARTIBRD", 0x0000, 0xFFFF, ibrd, write_stored),
    STORED(UARTFBRD, "UARTFBRD", 0x00, 0x3F, fbrd, write_stored),
    STORED(UARTLCR_H, "UARTLCR_H", 0x00, 0xFF, lcr_h, write_lcr_h),
    /* Bits 6:3 are reserved and read as zero. */
    STORED(UARTCR, "UARTCR", 0x0300, 0xFF87, cr, write_cr),
    STORED(UARTIFLS, "UARTIFLS", 0x12, 0x3F, ifls, write_stored),
    STORED(UARTIMSC, "UARTIMSC", 0x000, INT_ALL, imsc, write_stored),
    COMPUTED(UARTRIS, "UARTRIS", read_ris, NULL),
    COMPUTED(UARTMIS, "UARTMIS", read_mis, NULL),
    COMPUTED(UARTICR, "UARTICR", read_zero, write_icr),
    STORED(UARTDMACR, "UARTDMACR", 0x0, 0x7, dmacr, write_stored),
    /* See the top of the file for why revision 1 (0x14) and not r1p5's 0x34. */
    CONSTANT(UARTPeriphID0, "UARTPeriphID0", 0x11),
    CONSTANT(UARTPeriphID1, "UARTPeriphID1", 0x10),
    CONSTANT(UARTPeriphID2, "UARTPeriphID2", 0x14),
    CONSTANT(UARTPeriphID3, "UARTPeriphID3", 0x00),
    CONSTANT(UARTPCellID0, "UARTPCellID0", 0x0D),
    CONSTANT(UARTPCellID1, "UARTPCellID1", 0xF0),
    CONSTANT(UARTPCellID2, "UARTPCellID2", 0x05),
    CONSTANT(UARTPCellID3, "UARTPCellID3", 0xB1),
};

#define PL011_NREGS (sizeof(pl011_regs) / sizeof(pl011_regs[0]))

static const struct pl011_reg *find_reg(uint64_t offset)
{
    uint64_t word = offset & ~(uint64_t)3;

    for (size_t i = 0; i < PL011_NREGS; i++) {
        if (pl011_regs[i].offset == word)
            return &pl011_regs[i];
    }
    return NULL;
}

/* ---- Access plumbing ----------------------------------------------------- */

static bool size_accepted(unsigned size)
{
    if (size == 1 || size == 2 || size == 4)
        return true;
    assert(size == 8);
    return false;
}

static unsigned lane_shift(uint64_t offset)
{
    return (unsigned)(offset & 3) * 8;
}

/* The byte lanes of the 32-bit word that an access of SIZE at OFFSET covers. */
static uint32_t lane_mask(uint64_t offset, unsigned size)
{
    uint64_t bytes = size == 4 ? 0xFFFFFFFFull : (1ull << (size * 8)) - 1;

    return (uint32_t)(bytes << lane_shift(offset));
}

bool pl011_read(struct pl011 *u, uint64_t offset, unsigned size, uint64_t *value)
{
    const struct pl011_reg *r;
    uint32_t word = 0;

    *value = 0;
    if (!size_accepted(size))
        return false;
    assert(offset <= 0xFFF);
    r = find_reg(offset);
    if (r)
        word = r->read(u, r);
    *value = (word & lane_mask(offset, size)) >> lane_shift(offset);
    update_uartintr(u);
    return true;
}

bool pl011_write(struct pl011 *u, uint64_t offset, unsigned size, uint64_t value)
{
    const struct pl011_reg *r;

    if (!size_accepted(size))
        return false;
    assert(offset <= 0xFFF);
    r = find_reg(offset);
    if (r && r->write)
        r->write(u, r, (uint32_t)(value << lane_shift(offset)), lane_mask(offset, size));
    update_uartintr(u);
    return true;
}

/* ---- Life cycle ---------------------------------------------------------- */

struct pl011 *pl011_new(pl011_tx_fn tx, pl011_rx_fn rx, void *io_opaque, struct irq_line irq)
{
    struct pl011 *u = calloc(1, sizeof(*u));

    if (!u)
        return NULL;
    u->tx = tx;
    u->rx = rx;
    u->io_opaque = io_opaque;
    u->irq = irq;
    u->irq.level = false;
    pl011_reset(u);
    return u;
}

void pl011_free(struct pl011 *u)
{
    free(u);
}

void pl011_reset(struct pl011 *u)
{
    for (size_t i = 0; i < PL011_NREGS; i++) {
        if (pl011_regs[i].field != NO_FIELD)
            *reg_field(u, &pl011_regs[i]) = pl011_regs[i].reset;
    }
    u->rx_head = 0;
    u->rx_count = 0;
    u->tx_ris = false;
    rx_refill(u);
    update_uartintr(u);
}

void pl011_rx_ready(struct pl011 *u)
{
    rx_refill(u);
    update_uartintr(u);
}

bool pl011_irq_level(const struct pl011 *u)
{
    return u->irq.level;
}

uint64_t pl011_tx_count(const struct pl011 *u)
{
    return u->tx_count;
}
