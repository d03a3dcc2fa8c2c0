"""Generator of random MMIO (guest ELF images with 1 to 8 PEs).

Every PE reads and writes random offsets at sizes 1, 2, 4 and 8 bytes
(plain, sign-extending, acquire/release and exclusive loads and stores) in
every device window of the board: the GIC distributor (64 KiB), the
redistributors (128 KiB per PE, also those of PEs that do not exist), the
UART (4 KiB), the RTC (4 KiB), the virtio-mmio transports (32 x 0x200), and
the holes between and around them. Offsets lean towards
the registers (the first 4 KiB of each frame, the ID registers at the top),
the window edges and misaligned addresses. PE 0 starts the others with PSCI
CPU_ON (entry point and context ID, sometimes a bad target or entry), and
may open the CPU interface and PSTATE.I so that the interrupts the writes
enable are taken (the handlers step over whatever was interrupted).
"""
import guestelf as ge
from guestelf import Guest

# ICC registers that route interrupts to the PE (op0, op1, CRn, CRm, op2)
ICC_SRE_EL1 = (3, 0, 12, 12, 5)
ICC_SRE_EL2 = (3, 4, 12, 9, 5)
ICC_PMR_EL1 = (3, 0, 4, 6, 0)
ICC_IGRPEN0_EL1 = (3, 0, 12, 12, 6)
ICC_IGRPEN1_EL1 = (3, 0, 12, 12, 7)
ICC_IAR1_EL1 = (3, 0, 12, 12, 0)
ICC_EOIR1_EL1 = (3, 0, 12, 12, 1)
ICC_SGI1R_EL1 = (3, 0, 12, 11, 5)

RTC_BASE = 0x0901_0000      # PL031
VIRTIO_BASE = 0x0A00_0000   # 32 empty virtio-mmio transports of 0x200 bytes

HOLES = [0x0, 0x0001_0000, 0x0801_0000, 0x0808_0000, 0x0900_1000, 0x0901_1000,
         0x0A00_4000, 0x0FFF_F000, 0x3FFF_F000, 0x8000_0000, 0x1_0000_0000, 0xFFFF_F000_0000,
         0xFFFF_FFFF_FFFF_F000]

VALUES = [0, 1, 0xFF, 0xFFFF, 0xFFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0x8000_0000, 0x80, 0x3FF,
          0x1_0000, 0x0000_0001_0000_0001, 0xA0A0_A0A0]


def gic_offset(rng):
    """An offset in the distributor or in a redistributor frame."""
    r = rng.random()
    if r < 0.55:
        off = rng.randrange(0x1000)           # the register block
    elif r < 0.7:
        off = rng.randrange(0x6000, 0x8000)   # GICD_IROUTER<n>
    elif r < 0.8:
        off = rng.randrange(0xFFC0, 0x10000)  # ID registers
    else:
        off = rng.randrange(0x10000)
    return off


def window(rng, cpus, mem_end):
    """(base, size) of the window an access goes to."""
    r = rng.random()
    if r < 0.3:
        return ge.GICD_BASE, ge.GICD_SIZE
    if r < 0.6:
        pe = rng.randrange(cpus) if rng.random() < 0.85 else rng.randrange(cpus, 12)
        return ge.GICR_BASE + pe * ge.GICR_STRIDE, ge.GICR_STRIDE
    if r < 0.72:
        return ge.UART_BASE, ge.UART_SIZE
    if r < 0.8:
        return (RTC_BASE, 0x1000) if rng.random() < 0.6 else (VIRTIO_BASE, 0x4000)
    return rng.choice(HOLES + [mem_end - 0x1000, mem_end]), 0x1000


def access(rng, a, cpus, mem_end):
    base, size = window(rng, cpus, mem_end)
    nbytes = rng.choice([1, 2, 4, 8])
    r = rng.random()
    if base == ge.GICD_BASE or size == ge.GICR_STRIDE:
        off = gic_offset(rng)
        if size == ge.GICR_STRIDE and rng.random() < 0.5:
            off += 0x10000  # the SGI_base frame
    elif base in (ge.UART_BASE, RTC_BASE):
        off = rng.choice([rng.randrange(0x50), rng.randrange(0xFE0, 0x1000), rng.randrange(size)])
    else:
        off = rng.randrange(size)
    if r < 0.8:
        off &= ~(nbytes - 1)       # aligned
    elif r < 0.9:
        off = size - rng.choice([1, 2, 4, 8])  # at the end: straddles into the next window
    addr = base + off
    a.mov64(1, addr)
    load = rng.random() < 0.5
    if not load:
        a.mov64(2, rng.choice(VALUES) if rng.random() < 0.5 else rng.getrandbits(64))
    kind = rng.random()
    if kind < 0.8:
        a.ldst(nbytes, load, 2, 1)
    elif kind < 0.87 and nbytes < 8:
        a.ldst_signed(nbytes, 3, 1)
    elif kind < 0.94 and nbytes >= 4:
        sz = 1 if nbytes == 8 else 0  # bit 30: X or W
        a.word((0x88DFFC00 if load else 0x889FFC00) | sz << 30 | 1 << 5 | 2)  # ldar / stlr
    elif nbytes >= 4:
        sz = 1 if nbytes == 8 else 0
        a.word(0x885F7C00 | sz << 30 | 1 << 5 | 3)                 # ldxr
        a.word(0x88007C00 | sz << 30 | 4 << 16 | 1 << 5 | 2)       # stxr w4
    else:
        a.ldp_stp(load, 2, 3, 1)  # 16 bytes: a pair


def gic_on(rng, a, pe):
    """A working configuration to start from, so that random writes meet
    interrupts that can actually be taken: the distributor's groups and
    affinity routing on, the PE's redistributor awake, its SGIs and PPIs
    and the first SPIs in group 1 and enabled."""
    writes = []
    if pe == 0:
        writes += [(ge.GICD_BASE + 0x0, 0x13)]                      # GICD_CTLR: ARE, G1, G0
        writes += [(ge.GICD_BASE + 0x80 + 4 * k, 0xFFFF_FFFF) for k in range(1, 3)]
        writes += [(ge.GICD_BASE + 0x100 + 4 * k, 0xFFFF_FFFF) for k in range(1, 3)]
    rd = ge.GICR_BASE + pe * ge.GICR_STRIDE
    writes += [(rd + 0x14, 0),                                      # GICR_WAKER: awake
               (rd + 0x10080, 0xFFFF_FFFF if rng.random() < 0.8 else 0),  # IGROUPR0
               (rd + 0x10100, 0xFFFF_FFFF)]                         # ISENABLER0
    for addr, value in writes:
        a.mov64(1, addr)
        a.mov64(2, value)
        a.ldst(4, False, 2, 1)


def open_cpu_interface(rng, a, el):
    """Let interrupts in: system-register interface on, every group, PMR
    open, then PSTATE.I (and F) cleared. Acknowledge one now and then."""
    if el == 2:
        a.set_sysreg(ICC_SRE_EL2, 0xF)
    a.set_sysreg(ICC_SRE_EL1, 0x7)
    a.word(ge.ISB)
    a.set_sysreg(ICC_PMR_EL1, rng.choice([0xFF, 0xF0, 0x80]))
    a.set_sysreg(ICC_IGRPEN1_EL1, 1)
    a.set_sysreg(ICC_IGRPEN0_EL1, rng.randrange(2))
    a.word(0xD50340FF | rng.choice([2, 3]) << 8)  # msr daifclr, #2 or #3


def pe_program(rng, a, pe, cpus, mem_end, el, naccess, with_irqs):
    if with_irqs:
        if rng.random() < 0.8:
            gic_on(rng, a, pe)
        open_cpu_interface(rng, a, el)
    for _ in range(naccess):
        r = rng.random()
        if with_irqs and r < 0.05:
            a.mrs(5, ICC_IAR1_EL1)
            a.msr(ICC_EOIR1_EL1, 5)
        elif with_irqs and r < 0.1:
            # an SGI: mostly to PEs that exist (Aff1 0), sometimes to all but self (IRM)
            sgi = rng.randrange(16) << 24 | rng.getrandbits(cpus) | (rng.random() < 0.2) << 40
            if rng.random() < 0.1:
                sgi = rng.getrandbits(64) & 0x00FF_00FF_010F_FFFF
            a.set_sysreg(ICC_SGI1R_EL1, sgi, tmp=6)
        elif with_irqs and r < 0.13:
            a.word(0xD50340FF | rng.choice([2, 3]) << 8)  # msr daifclr: take the next one
        elif with_irqs and r < 0.18:
            # pend SPIs or PPIs directly: ISPENDR, GICD_SETSPI_NSR
            addr, value = rng.choice([
                (ge.GICD_BASE + 0x204, rng.getrandbits(32)),
                (ge.GICD_BASE + 0x40, rng.randrange(32, 96)),
                (ge.GICR_BASE + pe * ge.GICR_STRIDE + 0x10200, rng.getrandbits(32))])
            a.mov64(1, addr)
            a.mov64(2, value)
            a.ldst(4, False, 2, 1)
        else:
            access(rng, a, cpus, mem_end)


class Mmio:
    NAME = "mmio"
    SAMPLE = 400

    def case(self, rng, ctx, d):
        cpus = rng.choice([1, 1, 2, 3, 4, 8])
        el = rng.choice([1, 2])
        mem = rng.choice([("1M", 1 << 20), ("2M", 2 << 20), ("512M", 512 << 20), ("64M", 64 << 20)])
        mem_end = ge.RAM_BASE + mem[1]
        g = Guest(el, el)
        with_irqs = rng.random() < 0.4
        if el == 2:
            g.hcr_el2 |= 1 << 3 | 1 << 4  # FMO, IMO: physical FIQ and IRQ to EL2
        a = g.body
        # PE 0: start the others, then its own accesses, then SYSTEM_OFF
        for pe in range(1, cpus):
            a.mov64(0, ge.PSCI_CPU_ON)
            target = pe if rng.random() < 0.9 else rng.choice([0, cpus, 0xFF, 1 << 8, rng.getrandbits(64)])
            a.mov64(1, target | (1 << 31 if rng.random() < 0.5 else 0))
            entry = "pe%d" % pe if rng.random() < 0.9 else rng.choice([0, 0x8000_0000, ge.IMAGE_BASE + 2])
            if isinstance(entry, str):
                a.mov_label(2, entry)
            else:
                a.mov64(2, entry)
            a.mov64(3, rng.getrandbits(64))
            a.hvc() if g.conduit == "hvc" else a.smc()
        naccess = rng.choice([10, 50, 200])
        pe_program(rng, a, 0, cpus, mem_end, el, naccess, with_irqs)
        if rng.random() < 0.5:  # give the others time
            a.mov64(5, rng.choice([100, 2000, 20000]))
            a.label("spin")
            a.subs_imm(5, 5, 1)
            a.b_cond(1, "spin")
        g.end_body()
        for pe in range(1, cpus):
            a.label("pe%d" % pe)  # a secondary starts here, at the boot EL, from reset
            if el == 2:
                a.set_sysreg(ge.VBAR_EL2, Guest.VEC_EL2, tmp=6)
                a.set_sysreg(ge.HCR_EL2, g.hcr_el2, tmp=6)
            else:
                a.set_sysreg(ge.VBAR_EL1, Guest.VEC_EL1, tmp=6)
            pe_program(rng, a, pe, cpus, mem_end, el, naccess, with_irqs)
            end = rng.random()
            if end < 0.6:
                a.mov64(0, ge.PSCI_CPU_OFF)
                a.hvc() if g.conduit == "hvc" else a.smc()
            elif end < 0.8:
                a.word(ge.WFI)
            a.label_here_loop()
        ctx.write(d, "image.elf", g.image())
        args = ["run", "image.elf", "--cpus", str(cpus), "--mem", mem[0],
                "--max-insns", str(rng.choice([20000, 100000])), "--max-cycles", "50000000"]
        if el == 2:
            args += ["--el", "2"]
        if rng.random() < 0.5:
            args += ["--quantum", str(rng.choice([1, 7, 100, 4096, 1 << 20]))]
        if rng.random() < 0.4:
            args += ["--gic-latency", str(rng.choice([0, 1, 37, 1000])),
                     "--race-seed", str(rng.choice([0, 1, 7, 2**62]))]
        if rng.random() < 0.3:
            args += ["--spis", str(rng.choice([32, 64, 256, 960])),
                     "--gic-pri-bits", str(rng.choice([4, 5, 8]))]
        if rng.random() < 0.2:
            args += ["--explain-at", rng.choice(["1000", "irq:%d" % rng.randrange(1020),
                                                "pc:0x%x" % (Guest.BODY + 4 * rng.randrange(64))])]
        if rng.random() < 0.2:
            args += ["--trace", "t.trace", "--trace-mmio"]
            return [ctx.Cmd(args, outputs=["t.trace"]),
                    ctx.Cmd(["trace", "stats", "t.trace"]),
                    ctx.Cmd(["replay", "t.trace", "--image", "image.elf"], replay_of="t.trace")]
        return [ctx.Cmd(args)]


GENERATORS = [Mmio()]
