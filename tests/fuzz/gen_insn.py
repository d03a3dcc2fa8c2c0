"""Generators of random instruction streams (guest ELF images), run at
EL0, EL1 and EL2 on both CPU profiles, on one PE or several at once:

- words:  random 32-bit words; half uniform over all 2^32, half with bits
          [28:25] forced into the implemented encoding groups (data
          processing, branches and system, loads and stores), so that more
          of them decode to something and run.
- sysreg: the system-instruction space: MRS, MSR (register and PSTATE
          immediate), SYS and SYSL with op0 1 to 3 and random op1, CRn, CRm,
          op2 and Rt, each after a random operand is put in Rt; a share are
          architectural registers and operations (ID registers, MMU, timers,
          the GIC CPU interface, TLBI/AT/DC/IC), the rest anything. Also
          semihosting calls with random operations and parameter blocks.

The frame (guestelf.Guest) steps over every faulting instruction, so a run
goes on to the end of the stream or to --max-insns.
"""
import guestelf as ge
from guestelf import Guest

# Where random operands point: RAM (the data area and the code), devices,
# holes, the edges of the address space.
ADDRESSES = [ge.RAM_BASE, ge.IMAGE_BASE, Guest.DATA, Guest.DATA + 0xFF8, ge.UART_BASE,
             ge.GICD_BASE, ge.GICR_BASE, ge.GICR_BASE + 0x10000, 0x0, 0x8000_0000,
             0x3FFF_FFF8, 0x1_0000_0000_0000, 0xFFFF_FFFF_FFFF_F000, 0xFFFF_0000_4008_0000]

EDGE = [0, 1, 0xFFFF_FFFF_FFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000,
        0xFFFF_FFFF, 0x8000_0000, 0x3C5, 0x3C0, 0x5]


def operand(rng):
    r = rng.random()
    if r < 0.3:
        return rng.getrandbits(64)
    if r < 0.5:
        return rng.choice(EDGE)
    if r < 0.65:
        return 1 << rng.randrange(64)
    if r < 0.85:
        return rng.choice(ADDRESSES) + rng.randrange(0, 0x1000, 8)
    return rng.getrandbits(rng.choice([4, 8, 16, 32]))


def run_args(rng, g, name="image.elf", max_insns=None):
    args = ["run", name, "--max-insns", str(max_insns or rng.choice([5000, 20000, 50000])),
            "--max-cycles", str(rng.choice([10**6, 10**7, 10**9]))]
    if g.start_el == 2:
        args += ["--el", "2"]
    if g.cpus > 1:
        args += ["--cpus", str(g.cpus), "--quantum", str(rng.choice([1, 3, 50, 4096]))]
    args += ["--cpu", rng.choice(["a57", "max", "cortex-a57"])]
    return args


def frame(rng):
    start = rng.choice([1, 2])
    run = rng.randrange(start + 1)
    # D, A, I, F for the ERETs down: mostly masked, sometimes open so
    # interrupts a random stream enables get taken.
    daif = rng.choice([0xF, 0xF, 0x0, rng.randrange(16)])
    # sometimes several PEs run the same stream at once (the others at the
    # boot EL): exclusives, broadcast TLB and cache maintenance, SGIs
    cpus = rng.choice([1, 1, 1, 1, 2, 4])
    return Guest(start, run, daif, cpus)


def init_registers(rng, a):
    for r in range(31):
        if r != ge.SCRATCH:
            a.mov64(r, operand(rng))


def traced(rng, args, cmds, cmd_cls, name="image.elf"):
    """Sometimes record the run and read the trace back: `trace dump` with
    the image disassembles and symbolises whatever ran, and a replay of a
    fresh recording must match it exactly (exit 0): the determinism oracle."""
    if rng.random() < 0.25:
        args = args[:2] + ["--trace", "t.trace", "--trace-insns", "--trace-mmio"] + args[2:]
        cmds.append(cmd_cls(args, outputs=["t.trace"]))
        cmds.append(cmd_cls(["trace", "dump", "t.trace", "--image", name]))
        cmds.append(cmd_cls(["replay", "t.trace", "--image", name], replay_of="t.trace"))
    else:
        cmds.append(cmd_cls(args))
    return cmds


class Words:
    NAME = "insn-words"
    SAMPLE = 300
    # Groups of op0 (bits [28:25]) that a64sim implements: data processing,
    # branches and system, loads and stores (either V), FP and Advanced SIMD.
    GROUPS = [0b1000, 0b1001, 0b1010, 0b1011, 0b0100, 0b0110, 0b1100, 0b1110, 0b0101, 0b1101,
              0b0111, 0b1111]
    CPACR_EL1 = (3, 0, 1, 0, 2)

    def case(self, rng, ctx, d):
        g = frame(rng)
        a = g.body
        if rng.random() < 0.75:
            # CPACR_EL1.FPEN = 0b11: FP/SIMD words execute rather than trap.
            a.mov64(0, 3 << 20)
            a.msr(self.CPACR_EL1, 0)
            a.word(ge.ISB)
        init_registers(rng, a)
        for _ in range(rng.choice([16, 64, 256, 1024])):
            w = rng.getrandbits(32)
            if rng.random() < 0.5:
                w = (w & ~(0xF << 25)) | rng.choice(self.GROUPS) << 25
            a.word(w)
        g.end_body()
        ctx.write(d, "image.elf", g.image())
        args = run_args(rng, g, max_insns=rng.choice([2000, 5000, 20000]))
        return traced(rng, args, [], ctx.Cmd)


# Architectural encodings (op0, op1, CRn, CRm, op2): a share of the sysreg
# cases picks these so that implemented registers are hit often.
KNOWN = [
    # ID and identification
    (3, 0, 0, 0, 0), (3, 0, 0, 0, 5), (3, 0, 0, 0, 6), (3, 0, 0, 4, 0), (3, 0, 0, 4, 1),
    (3, 0, 0, 5, 0), (3, 0, 0, 6, 0), (3, 0, 0, 6, 1), (3, 0, 0, 7, 0), (3, 0, 0, 7, 1),
    (3, 0, 0, 7, 2), (3, 3, 0, 0, 1), (3, 3, 0, 0, 7), (3, 1, 0, 0, 1), (3, 1, 0, 0, 0),
    (3, 2, 0, 0, 0), (3, 4, 0, 0, 0), (3, 4, 0, 0, 5),
    # EL1 and EL0 control
    (3, 0, 1, 0, 0), (3, 0, 1, 0, 1), (3, 0, 1, 0, 2), (3, 0, 2, 0, 0), (3, 0, 2, 0, 1),
    (3, 0, 2, 0, 2), (3, 0, 4, 0, 0), (3, 0, 4, 0, 1), (3, 0, 4, 1, 0), (3, 0, 4, 2, 0),
    (3, 0, 4, 2, 2), (3, 3, 4, 2, 1), (3, 3, 4, 2, 0), (3, 0, 4, 2, 3), (3, 0, 4, 2, 4),
    (3, 3, 4, 4, 0), (3, 3, 4, 4, 1), (3, 0, 5, 1, 0), (3, 0, 5, 2, 0), (3, 0, 6, 0, 0),
    (3, 0, 7, 4, 0), (3, 0, 10, 2, 0), (3, 0, 10, 3, 0), (3, 0, 12, 0, 0), (3, 0, 12, 1, 0),
    (3, 0, 13, 0, 1), (3, 0, 13, 0, 4), (3, 3, 13, 0, 2), (3, 3, 13, 0, 3),
    # timers
    (3, 0, 14, 1, 0), (3, 3, 14, 0, 0), (3, 3, 14, 0, 1), (3, 3, 14, 0, 2), (3, 3, 14, 2, 0),
    (3, 3, 14, 2, 1), (3, 3, 14, 2, 2), (3, 3, 14, 3, 0), (3, 3, 14, 3, 1), (3, 3, 14, 3, 2),
    (3, 4, 14, 1, 0), (3, 4, 14, 0, 3), (3, 4, 14, 2, 0), (3, 4, 14, 2, 1), (3, 4, 14, 2, 2),
    (3, 4, 14, 3, 0), (3, 4, 14, 3, 1), (3, 4, 14, 3, 2), (3, 5, 14, 1, 0), (3, 5, 14, 2, 1),
    (3, 5, 14, 3, 1), (3, 3, 14, 0, 5), (3, 3, 14, 0, 6),
    # EL2
    (3, 4, 1, 0, 0), (3, 4, 1, 1, 0), (3, 4, 1, 1, 1), (3, 4, 1, 1, 2), (3, 4, 1, 1, 3),
    (3, 4, 1, 1, 7), (3, 4, 2, 0, 0), (3, 4, 2, 0, 1), (3, 4, 2, 0, 2), (3, 4, 2, 1, 0),
    (3, 4, 2, 1, 2), (3, 4, 4, 0, 0), (3, 4, 4, 0, 1), (3, 4, 4, 1, 0), (3, 4, 5, 2, 0),
    (3, 4, 6, 0, 0), (3, 4, 6, 0, 4), (3, 4, 10, 2, 0), (3, 4, 12, 0, 0), (3, 4, 13, 0, 1),
    (3, 4, 13, 0, 2), (3, 5, 1, 0, 0), (3, 5, 2, 0, 0), (3, 5, 2, 0, 2), (3, 5, 4, 0, 0),
    (3, 5, 4, 0, 1), (3, 5, 5, 2, 0), (3, 5, 6, 0, 0), (3, 5, 10, 2, 0), (3, 5, 12, 0, 0),
    (3, 5, 13, 0, 1),
    # GIC CPU interface
    (3, 0, 4, 6, 0), (3, 0, 12, 8, 0), (3, 0, 12, 8, 1), (3, 0, 12, 8, 2), (3, 0, 12, 8, 3),
    (3, 0, 12, 8, 4), (3, 0, 12, 9, 0), (3, 0, 12, 11, 1), (3, 0, 12, 11, 3),
    (3, 0, 12, 11, 5), (3, 0, 12, 11, 6), (3, 0, 12, 11, 7), (3, 0, 12, 12, 0),
    (3, 0, 12, 12, 1), (3, 0, 12, 12, 2), (3, 0, 12, 12, 3), (3, 0, 12, 12, 4),
    (3, 0, 12, 12, 5), (3, 0, 12, 12, 6), (3, 0, 12, 12, 7), (3, 4, 12, 9, 5),
    (3, 4, 12, 11, 0), (3, 4, 12, 11, 1), (3, 4, 12, 12, 0), (3, 6, 12, 12, 4),
    # PMU and debug
    (3, 3, 9, 12, 0), (3, 3, 9, 13, 0), (2, 0, 0, 2, 2), (2, 0, 1, 0, 4), (2, 0, 1, 1, 4),
    (2, 0, 0, 0, 4), (2, 0, 0, 0, 5), (2, 3, 0, 1, 0), (2, 0, 1, 3, 4), (2, 0, 0, 0, 6),
    # SYS: TLBI, AT, DC, IC
    (1, 0, 8, 3, 0), (1, 0, 8, 7, 0), (1, 0, 8, 7, 1), (1, 0, 8, 7, 2), (1, 0, 8, 7, 3),
    (1, 0, 8, 7, 5), (1, 4, 8, 0, 1), (1, 4, 8, 7, 6), (1, 4, 8, 7, 0), (1, 4, 8, 7, 1),
    (1, 4, 8, 7, 4), (1, 4, 8, 3, 6), (1, 0, 7, 8, 0), (1, 0, 7, 8, 1), (1, 0, 7, 8, 2),
    (1, 0, 7, 8, 3), (1, 4, 7, 8, 4), (1, 4, 7, 8, 5), (1, 4, 7, 8, 0), (1, 0, 7, 9, 0),
    (1, 0, 7, 6, 1), (1, 0, 7, 6, 2), (1, 0, 7, 10, 2), (1, 0, 7, 14, 2), (1, 3, 7, 4, 1),
    (1, 3, 7, 10, 1), (1, 3, 7, 11, 1), (1, 3, 7, 14, 1), (1, 0, 7, 1, 0), (1, 0, 7, 5, 0),
    (1, 3, 7, 5, 1),
]

# Writing these would end most runs at once (vectors gone, MMU on with no
# tables, EL1 in AArch32): kept rare so the rest of the stream gets a chance.
FRAGILE = {ge.VBAR_EL1, ge.VBAR_EL2, ge.SCTLR_EL1, ge.SCTLR_EL2, ge.HCR_EL2, (3, 5, 12, 0, 0),
           (3, 5, 1, 0, 0)}


class Sysreg:
    NAME = "insn-sysreg"
    SAMPLE = 300

    def instruction(self, rng, a, rt):
        r = rng.random()
        if r < 0.04:  # semihosting: random operation, parameter block in the data page
            ops = [1, 2, 3, 4, 5, rng.randrange(0x40), rng.getrandbits(32)]
            if rng.random() < 0.05:  # SYS_EXIT and SYS_EXIT_EXTENDED end the run: rarely
                ops = [0x18, 0x20]
            a.mov64(0, rng.choice(ops))
            a.mov64(1, rng.choice([Guest.DATA + rng.randrange(0, 0x1000, 8), operand(rng)]))
            a.word(ge.SEMIHOST_HLT)
            return
        if r < 0.10:  # MSR (immediate) to a PSTATE field
            a.word(0xD500401F | rng.randrange(8) << 16 | rng.randrange(16) << 8
                   | rng.randrange(8) << 5)
            return
        if r < 0.55:
            enc = rng.choice(KNOWN)
            if rng.random() < 0.1:
                enc = enc[:3] + (rng.randrange(16), rng.randrange(8))
        else:
            enc = (rng.choice([1, 2, 3]), rng.randrange(8), rng.randrange(16), rng.randrange(16),
                   rng.randrange(8))
        read = rng.random() < 0.5
        if not read and enc in FRAGILE and rng.random() < 0.9:
            read = True
        a.mov64(rt, operand(rng))
        # bit 21 is L: MRS / SYSL read, MSR / SYS write
        a.word(0xD5000000 | (read << 21) | ge.sysreg_fields(enc) | rt)
        if rng.random() < 0.2:
            a.word(ge.ISB)

    def case(self, rng, ctx, d):
        g = frame(rng)
        # parameter blocks for the semihosting calls: random words, some zero
        g.add_data(Guest.DATA, bytes(rng.choice([0, rng.getrandbits(8)]) for _ in range(4096)))
        a = g.body
        for _ in range(rng.choice([8, 50, 200, 400])):
            rt = rng.choice([r for r in range(31) if r != ge.SCRATCH] + [31])
            self.instruction(rng, a, rt)
        g.end_body()
        ctx.write(d, "image.elf", g.image())
        args = run_args(rng, g)
        if rng.random() < 0.3:  # timers and GIC deliveries at other speeds
            args += ["--cntfrq", str(rng.choice([1, 1000, 62500000, 10**9])),
                     "--gic-latency", str(rng.choice([0, 1, 100, 10000]))]
        return traced(rng, args, [], ctx.Cmd)


GENERATORS = [Words(), Sysreg()]
