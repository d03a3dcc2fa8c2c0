"""Shared helper of the fuzz generators: bare guest ELF images for a64sim,
written byte by byte from Python (no cross toolchain per case, so thousands
of cases cost milliseconds each).

- Board: the virt layout a64sim implements (RAM at 0x40000000, image at
  0x40080000, GIC, UART, PSCI function numbers).
- Asm: a tiny A64 encoder for the few instructions the generators need
  (moves, loads and stores, branches, MRS/MSR/SYS, exception generation),
  with labels resolved when the image is laid out.
- Guest: the common frame of every generated guest: exception vectors for
  EL1 and EL2 whose handlers step over the faulting instruction (so random
  code keeps going instead of stopping at its first fault), a boot path
  that starts at EL1 or EL2 (`--el 2`) and ERETs down to EL1 or EL0, the
  body a generator writes, and a PSCI SYSTEM_OFF at its end.
- elf64: an ET_EXEC AArch64 ELF with PT_LOAD segments and a symbol table
  (so stop reports name <symbol+offset>).

Run as a script (`python3 tests/fuzz/guestelf.py`) it checks the encoder
against binutils' objdump when aarch64-linux-gnu-objdump is installed.
"""
import struct

# ---- the board (docs/usage.md, /work/shared/DESIGN.md "The board") ----
RAM_BASE = 0x4000_0000
IMAGE_BASE = 0x4008_0000
GICD_BASE, GICD_SIZE = 0x0800_0000, 0x1_0000
GICR_BASE, GICR_STRIDE = 0x080A_0000, 0x2_0000
UART_BASE, UART_SIZE = 0x0900_0000, 0x1000
PSCI_SYSTEM_OFF = 0x8400_0008
PSCI_CPU_OFF = 0x8400_0002
PSCI_CPU_ON = 0xC400_0003
SEMIHOST_HLT = 0xD45E_0000  # HLT #0xF000

# ---- system registers as (op0, op1, CRn, CRm, op2) ----
SCTLR_EL1 = (3, 0, 1, 0, 0)
SCTLR_EL2 = (3, 4, 1, 0, 0)
HCR_EL2 = (3, 4, 1, 1, 0)
TTBR0_EL1 = (3, 0, 2, 0, 0)
TTBR1_EL1 = (3, 0, 2, 0, 1)
TCR_EL1 = (3, 0, 2, 0, 2)
TTBR0_EL2 = (3, 4, 2, 0, 0)
TCR_EL2 = (3, 4, 2, 0, 2)
VTTBR_EL2 = (3, 4, 2, 1, 0)
VTCR_EL2 = (3, 4, 2, 1, 2)
SPSR_EL1 = (3, 0, 4, 0, 0)
ELR_EL1 = (3, 0, 4, 0, 1)
SP_EL0 = (3, 0, 4, 1, 0)
SPSR_EL2 = (3, 4, 4, 0, 0)
ELR_EL2 = (3, 4, 4, 0, 1)
SP_EL1 = (3, 4, 4, 1, 0)
ESR_EL1 = (3, 0, 5, 2, 0)
ESR_EL2 = (3, 4, 5, 2, 0)
MAIR_EL1 = (3, 0, 10, 2, 0)
MAIR_EL2 = (3, 4, 10, 2, 0)
VBAR_EL1 = (3, 0, 12, 0, 0)
VBAR_EL2 = (3, 4, 12, 0, 0)
ICC_IAR0_EL1 = (3, 0, 12, 8, 0)
ICC_EOIR0_EL1 = (3, 0, 12, 8, 1)
ICC_IAR1_EL1 = (3, 0, 12, 12, 0)
ICC_EOIR1_EL1 = (3, 0, 12, 12, 1)

# Registers the frame itself relies on: the generators leave them alone
# (X17 is the handlers' scratch register, X30 their return address for
# instruction aborts).
SCRATCH = 17

NOP = 0xD503201F
ISB = 0xD5033FDF
DSB_SY = 0xD5033F9F
ERET = 0xD69F03E0
WFI = 0xD503207F
RET = 0xD65F03C0


def sysreg_fields(enc):
    op0, op1, crn, crm, op2 = enc
    return (op0 & 3) << 19 | (op1 & 7) << 16 | (crn & 15) << 12 | (crm & 15) << 8 | (op2 & 7) << 5


class Asm:
    """Instructions appended at increasing addresses from BASE; branch
    targets may be labels defined later (resolved by words())."""

    def __init__(self, base):
        self.base = base
        self.out = []          # words, or (kind, label, fixed bits) to resolve
        self.labels = {}

    @property
    def pc(self):
        return self.base + 4 * len(self.out)

    def word(self, w):
        self.out.append(w & 0xFFFFFFFF)

    def label(self, name):
        self.labels[name] = self.pc

    def align(self, n, fill=NOP):
        while self.pc % n:
            self.word(fill)

    def words(self):
        res = []
        for i, w in enumerate(self.out):
            if isinstance(w, tuple):
                kind, target, bits = w
                addr = self.labels[target] if isinstance(target, str) else target
                off = (addr - (self.base + 4 * i)) >> 2
                if kind == "imm26":
                    w = bits | (off & 0x3FFFFFF)
                elif kind == "imm19":  # at [23:5]: B.cond, CBZ/CBNZ
                    w = bits | (off & 0x7FFFF) << 5
                else:  # "abs16": MOVZ/MOVK of one half-word of the address
                    w = bits | ((addr >> (16 * (bits >> 21 & 3))) & 0xFFFF) << 5
            res.append(w)
        return res

    def bytes(self):
        return struct.pack("<%dI" % len(self.out), *self.words())

    # -- moves and arithmetic --
    def movz(self, rd, imm16, shift=0, w=False):
        self.word((0x52800000 if w else 0xD2800000) | (shift // 16) << 21 | (imm16 & 0xFFFF) << 5 | rd)

    def movk(self, rd, imm16, shift=0, w=False):
        self.word((0x72800000 if w else 0xF2800000) | (shift // 16) << 21 | (imm16 & 0xFFFF) << 5 | rd)

    def mov64(self, rd, value):
        """Any 64-bit constant in 1 to 4 instructions."""
        value &= (1 << 64) - 1
        self.movz(rd, value & 0xFFFF)
        for sh in (16, 32, 48):
            if (value >> sh) & 0xFFFF:
                self.movk(rd, (value >> sh) & 0xFFFF, sh)

    def mov_label(self, rd, target):
        """Rd = the address of a label (4 instructions, resolved later)."""
        for sh in range(4):
            self.out.append(("abs16", target, (0xF2800000 if sh else 0xD2800000) | sh << 21 | rd))

    def add_imm(self, rd, rn, imm12):
        self.word(0x91000000 | (imm12 & 0xFFF) << 10 | rn << 5 | rd)

    def subs_imm(self, rd, rn, imm12):
        self.word(0xF1000000 | (imm12 & 0xFFF) << 10 | rn << 5 | rd)

    def cmp_imm(self, rn, imm12):
        self.subs_imm(31, rn, imm12)

    def orr_imm_bits(self, rd, rn, lsb, width):
        """ORR Xd, Xn, #(WIDTH ones from bit LSB) (a logical immediate)."""
        self.word(0xB2400000 | ((64 - lsb) % 64) << 16 | (width - 1) << 10 | rn << 5 | rd)

    def lsl(self, rd, rn, shift):
        self.word(0xD3400000 | ((64 - shift) % 64) << 16 | (63 - shift) << 10 | rn << 5 | rd)

    def sub_reg(self, rd, rn, rm):
        """SUB Xd, Xn, Xm."""
        self.word(0xCB000000 | rm << 16 | rn << 5 | rd)

    def lsr(self, rd, rn, shift):
        self.word(0xD340FC00 | (shift & 63) << 16 | rn << 5 | rd)

    def mov_sp(self, rn):
        """MOV SP, Xn (ADD SP, Xn, #0)."""
        self.add_imm(31, rn, 0)

    # -- system --
    def msr(self, enc, rt):
        self.word(0xD5000000 | sysreg_fields(enc) | rt)

    def mrs(self, rt, enc):
        self.word(0xD5200000 | sysreg_fields(enc) | rt)

    def sys(self, op1, crn, crm, op2, rt=31, l=0):
        """SYS (l=0) or SYSL (l=1): the op0 = 1 space (TLBI, AT, DC, IC)."""
        self.word(0xD5000000 | l << 21 | sysreg_fields((1, op1, crn, crm, op2)) | rt)

    def set_sysreg(self, enc, value, tmp=0):
        self.mov64(tmp, value)
        self.msr(enc, tmp)

    def hvc(self, imm=0):
        self.word(0xD4000002 | (imm & 0xFFFF) << 5)

    def smc(self, imm=0):
        self.word(0xD4000003 | (imm & 0xFFFF) << 5)

    def svc(self, imm=0):
        self.word(0xD4000001 | (imm & 0xFFFF) << 5)

    # -- branches --
    def b(self, target):
        self.out.append(("imm26", target, 0x14000000))

    def bl(self, target):
        self.out.append(("imm26", target, 0x94000000))

    def b_cond(self, cond, target):
        self.out.append(("imm19", target, 0x54000000 | cond))

    def cbnz(self, rt, target):
        self.out.append(("imm19", target, 0xB5000000 | rt))

    def br(self, rn):
        self.word(0xD61F0000 | rn << 5)

    def blr(self, rn):
        self.word(0xD63F0000 | rn << 5)

    # -- loads and stores, [Xn] with no offset --
    # (size in bytes, load?) -> base encoding of LDR/STR (unsigned offset 0)
    LDST = {(1, False): 0x39000000, (1, True): 0x39400000,
            (2, False): 0x79000000, (2, True): 0x79400000,
            (4, False): 0xB9000000, (4, True): 0xB9400000,
            (8, False): 0xF9000000, (8, True): 0xF9400000}

    def ldst(self, size, load, rt, rn):
        self.word(self.LDST[(size, load)] | rn << 5 | rt)

    def ldst_signed(self, size, rt, rn):
        """LDRSB/LDRSH/LDRSW Xt, [Xn]."""
        self.word({1: 0x39800000, 2: 0x79800000, 4: 0xB9800000}[size] | rn << 5 | rt)

    def ldp_stp(self, load, rt, rt2, rn):
        self.word((0xA9400000 if load else 0xA9000000) | rt2 << 10 | rn << 5 | rt)

    def poweroff(self, conduit):
        """PSCI SYSTEM_OFF through CONDUIT ('hvc' or 'smc'), then stay put."""
        self.mov64(0, PSCI_SYSTEM_OFF)
        self.hvc() if conduit == "hvc" else self.smc()
        self.label_here_loop()

    def label_here_loop(self):
        self.word(0x14000000)  # b .


def elf64(segments, entry, symbols=()):
    """An ET_EXEC AArch64 ELF64 file.

    segments: (address, data bytes, memsz) loaded at address (virtual =
    physical), RWX. symbols: (name, address, size) in .symtab.
    """
    ehsize, phentsize, shentsize = 64, 56, 64
    phoff = ehsize
    off = phoff + phentsize * len(segments)
    body = b""
    phdrs = b""
    for addr, data, memsz in segments:
        pad = (-(off + len(body))) % 16
        body += b"\0" * pad
        foff = off + len(body)
        phdrs += struct.pack("<IIQQQQQQ", 1, 7, foff, addr, addr, len(data),
                             max(memsz, len(data)), 16)
        body += data
    # .symtab, .strtab and .shstrtab
    strtab = b"\0"
    syms = struct.pack("<IBBHQQ", 0, 0, 0, 0, 0, 0)
    for name, addr, size in symbols:
        syms += struct.pack("<IBBHQQ", len(strtab), 0x12, 0, 0xFFF1, addr, size)  # GLOBAL FUNC ABS
        strtab += name.encode() + b"\0"
    shstr = b"\0.symtab\0.strtab\0.shstrtab\0"
    pad = (-(off + len(body))) % 8
    body += b"\0" * pad
    symoff = off + len(body)
    body += syms
    stroff = off + len(body)
    body += strtab
    shstroff = off + len(body)
    body += shstr
    pad = (-(off + len(body))) % 8
    body += b"\0" * pad
    shoff = off + len(body)
    sh = b"\0" * shentsize
    sh += struct.pack("<IIQQQQIIQQ", 1, 2, 0, 0, symoff, len(syms), 2, 1, 8, 24)
    sh += struct.pack("<IIQQQQIIQQ", 9, 3, 0, 0, stroff, len(strtab), 0, 0, 1, 0)
    sh += struct.pack("<IIQQQQIIQQ", 17, 3, 0, 0, shstroff, len(shstr), 0, 0, 1, 0)
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    eh = ident + struct.pack("<HHIQQQIHHHHHH", 2, 183, 1, entry, phoff, shoff, 0, ehsize,
                             phentsize, len(segments), shentsize, 4, 3)
    return eh + phdrs + body + sh


class Guest:
    """The frame of a generated guest.

    start_el: the EL a64sim starts it in (1, or 2 with `--el 2`).
    run_el: where the body runs (0, 1, or 2 when start_el is 2).
    cpus: PEs running the body (PE 0 starts the others with PSCI CPU_ON at
    SECONDARY; they run the body at start_el).
    Layout: boot code at IMAGE_BASE (the others' entry at +0xE00), EL1
    vectors at +0x1000, EL2 vectors at +0x1800, the body from +0x2000
    (BODY), data pages from DATA.
    A generator fills `setup_el2`, `setup_el1` (called while booting, at
    that EL, before going down) and `body` (an Asm at BODY), adds data with
    add_data(), then calls image().
    """
    VEC_EL1 = IMAGE_BASE + 0x1000
    VEC_EL2 = IMAGE_BASE + 0x1800
    BODY = IMAGE_BASE + 0x2000
    DATA = 0x4010_0000
    STACK_EL2 = 0x4038_0000  # tops: each stack grows down from here
    STACK_EL1 = 0x4039_0000
    STACK_EL0 = 0x403A_0000
    SECONDARY = IMAGE_BASE + 0xE00

    def __init__(self, start_el, run_el, spsr_daif=0xF, cpus=1):
        assert start_el in (1, 2) and run_el <= start_el
        self.start_el, self.run_el = start_el, run_el
        self.cpus = cpus
        self.conduit = "smc" if start_el == 2 else "hvc"
        self.spsr_daif = spsr_daif  # D, A, I, F for the ERETs down
        self.hcr_el2 = 1 << 31      # RW: EL1 is AArch64
        self.body = Asm(self.BODY)
        self.data = []              # (address, bytes)
        self.symbols = []

    def add_data(self, addr, data):
        self.data.append((addr, bytes(data)))

    def vectors(self, a, el):
        """16 entries: each steps over the faulting instruction (ELR += 4)
        and returns; an instruction abort or PC alignment fault returns to
        X30 instead (a call into a page that cannot run comes back). IRQ
        and FIQ entries acknowledge the interrupt and end it (ICC_IAR/EOIR,
        group 1 and 0) and return to the interrupted instruction with
        PSTATE.I and F set, so that an interrupt that stays pending (a
        level the guest never lowers) does not stop all progress; the guest
        takes the next one when it unmasks again. The
        EL1 table's lower-EL synchronous entry also turns SVC into PSCI
        SYSTEM_OFF: that is how a body at EL0 ends."""
        elr, esr, spsr = ((ELR_EL1, ESR_EL1, SPSR_EL1) if el == 1 else
                          (ELR_EL2, ESR_EL2, SPSR_EL2))
        a.align(2048)
        for i in range(16):
            start = len(a.out)
            x = SCRATCH
            if i % 4 in (1, 2):  # IRQ, FIQ
                iar, eoir = (ICC_IAR1_EL1, ICC_EOIR1_EL1) if i % 4 == 1 else (ICC_IAR0_EL1,
                                                                              ICC_EOIR0_EL1)
                a.mrs(x, iar)
                a.msr(eoir, x)
                a.mrs(x, spsr)
                a.orr_imm_bits(x, x, 6, 2)  # I and F
                a.msr(spsr, x)
                a.word(ERET)
                while len(a.out) - start < 32:
                    a.word(NOP)
                continue
            if el == 1 and i == 8:
                a.mrs(x, esr)
                a.lsr(x, x, 26)
                a.cmp_imm(x, 0x15)  # EC SVC from AArch64
                a.b_cond(1, a.pc + 16)  # b.ne past the power-off
                a.mov64(0, PSCI_SYSTEM_OFF)
                a.hvc() if self.conduit == "hvc" else a.smc()
            if i in (0, 4, 8):  # synchronous entries
                a.mrs(x, esr)
                a.lsr(x, x, 26)
                a.cmp_imm(x, 0x20)
                a.b_cond(3, a.pc + 20)  # b.lo: not an instruction abort
                a.cmp_imm(x, 0x22)
                a.b_cond(8, a.pc + 12)  # b.hi
                a.msr(elr, 30)
                a.word(ERET)
            a.mrs(x, elr)
            a.add_imm(x, x, 4)
            a.msr(elr, x)
            a.word(ERET)
            assert len(a.out) - start <= 32
            while len(a.out) - start < 32:
                a.word(NOP)

    def boot(self):
        a = Asm(IMAGE_BASE)
        a.label("_start")
        for pe in range(1, self.cpus):  # CPU_ON: target, entry point, context ID
            a.mov64(0, PSCI_CPU_ON)
            a.mov64(1, pe)
            a.mov64(2, self.SECONDARY)
            a.mov64(3, pe)
            a.hvc() if self.conduit == "hvc" else a.smc()
        if self.start_el == 2:
            a.set_sysreg(VBAR_EL2, self.VEC_EL2)
            a.set_sysreg(VBAR_EL1, self.VEC_EL1)  # for a body that finds its own way down
            a.mov64(0, self.STACK_EL2)
            a.mov_sp(0)
            a.set_sysreg(HCR_EL2, self.hcr_el2)
            a.word(ISB)
            self.setup_el2(a)
            if self.run_el == 2:
                a.b(self.BODY)
            else:
                a.set_sysreg(SPSR_EL2, self.spsr_daif << 6 | 0x5)  # EL1h
                a.set_sysreg(ELR_EL2, IMAGE_BASE + 0x800)
                a.word(ERET)
        if self.run_el < 2:
            if self.start_el == 2:
                a.align(0x800)  # the EL1 entry point ERETed to
            a.label("el1_entry")
            a.set_sysreg(VBAR_EL1, self.VEC_EL1)
            a.mov64(0, self.STACK_EL1)
            a.mov_sp(0)
            a.set_sysreg(SP_EL0, self.STACK_EL0)
            a.word(ISB)
            self.setup_el1(a)
            if self.run_el == 1:
                a.b(self.BODY)
            else:
                a.set_sysreg(SPSR_EL1, self.spsr_daif << 6 | 0x0)  # EL0t
                a.set_sysreg(ELR_EL1, self.BODY)
                a.word(ERET)
        if self.cpus > 1:
            # The others run the body at the EL they start in (the boot
            # EL), each with a stack of its own below PE 0's.
            assert a.pc <= self.SECONDARY, "boot code overflows into the secondary entry"
            while a.pc < self.SECONDARY:
                a.word(0)
            a.label("secondary")
            vbar, vec = (VBAR_EL2, self.VEC_EL2) if self.start_el == 2 else (VBAR_EL1, self.VEC_EL1)
            a.set_sysreg(vbar, vec, tmp=1)
            if self.start_el == 2:
                a.set_sysreg(VBAR_EL1, self.VEC_EL1, tmp=1)
                a.set_sysreg(HCR_EL2, self.hcr_el2, tmp=1)
            a.lsl(0, 0, 12)  # X0: the context ID, the PE number
            a.mov64(1, self.STACK_EL0 - 0x4000)
            a.sub_reg(0, 1, 0)
            a.mov_sp(0)
            a.word(ISB)
            a.b(self.BODY)
        assert a.pc <= self.VEC_EL1, "boot code overflows into the vectors"
        a.align(0x1000, fill=0)
        self.vectors(a, 1)
        self.vectors(a, 2)
        return a

    def setup_el2(self, a):
        pass

    def setup_el1(self, a):
        pass

    def end_body(self):
        """Append the way out: SYSTEM_OFF from EL1/EL2, SVC from EL0."""
        if self.run_el == 0:
            self.body.svc(0)
            self.body.label_here_loop()
        else:
            self.body.poweroff(self.conduit)

    def image(self):
        boot = self.boot()
        text = boot.bytes()
        assert boot.pc == self.BODY
        code = text + self.body.bytes()
        segs = [(IMAGE_BASE, code, len(code))]
        for addr, data in sorted(self.data):
            segs.append((addr, data, len(data)))
        syms = [("_start", IMAGE_BASE, self.VEC_EL1 - IMAGE_BASE),
                ("vectors_el1", self.VEC_EL1, 0x800), ("vectors_el2", self.VEC_EL2, 0x800),
                ("body", self.BODY, len(code) - len(text))] + self.symbols
        return elf64(segs, IMAGE_BASE, syms)


def _selftest():
    """Compare the encoder with binutils (when installed)."""
    import shutil
    import subprocess
    import tempfile
    objdump = shutil.which("aarch64-linux-gnu-objdump")
    if not objdump:
        print("guestelf: no aarch64-linux-gnu-objdump, encoder not checked")
        return 0
    a = Asm(0x1000)
    expect = []

    def chk(text):
        expect.append(text)
    a.movz(3, 0x1234, 16); chk("mov\tx3, #0x12340000")
    a.movk(3, 0xabcd, 48); chk("movk\tx3, #0xabcd, lsl #48")
    a.add_imm(17, 17, 4); chk("add\tx17, x17, #0x4")
    a.cmp_imm(17, 0x15); chk("cmp\tx17, #0x15")
    a.lsr(17, 17, 26); chk("lsr\tx17, x17, #26")
    a.lsl(0, 0, 12); chk("lsl\tx0, x0, #12")
    a.sub_reg(0, 1, 0); chk("sub\tx0, x1, x0")
    a.orr_imm_bits(17, 17, 6, 2); chk("orr\tx17, x17, #0xc0")
    a.mov_sp(0); chk("mov\tsp, x0")
    a.msr(VBAR_EL1, 0); chk("msr\tvbar_el1, x0")
    a.mrs(5, ESR_EL2); chk("mrs\tx5, esr_el2")
    a.msr(VTCR_EL2, 2); chk("msr\tvtcr_el2, x2")
    a.sys(0, 8, 7, 0); chk("tlbi\tvmalle1")
    a.hvc(); chk("hvc\t#0x0")
    a.smc(); chk("smc\t#0x0")
    a.svc(); chk("svc\t#0x0")
    a.word(SEMIHOST_HLT); chk("hlt\t#0xf000")
    for (size, load), _ in sorted(Asm.LDST.items()):
        a.ldst(size, load, 2, 1)
        reg = "x2" if size == 8 else "w2"
        mn = {1: "b", 2: "h", 4: "", 8: ""}[size]
        chk(("ldr" if load else "str") + mn + "\t" + reg + ", [x1]")
    a.ldst_signed(2, 2, 1); chk("ldrsh\tx2, [x1]")
    a.ldp_stp(True, 2, 3, 1); chk("ldp\tx2, x3, [x1]")
    a.blr(1); chk("blr\tx1")
    a.b_cond(1, 0x1000); chk("b.ne\t0x1000")
    a.cbnz(4, 0x1000); chk("cbnz\tx4, 0x1000")
    a.b(0x1000); chk("b\t0x1000")
    a.label("here")
    a.mov_label(2, "here")
    chk("mov\tx2, #%#x" % a.labels["here"])
    chk("movk\tx2, #0x0, lsl #16")
    chk("movk\tx2, #0x0, lsl #32")
    chk("movk\tx2, #0x0, lsl #48")
    with tempfile.TemporaryDirectory() as d:
        path = d + "/t.bin"
        with open(path, "wb") as f:
            f.write(a.bytes())
        out = subprocess.run([objdump, "-D", "-b", "binary", "-m", "aarch64",
                              "--adjust-vma=0x1000", path], capture_output=True, text=True).stdout
    got = [l.split("\t", 2)[2].split("//")[0].strip() for l in out.splitlines()
           if l.startswith("    ") and l.count("\t") >= 2]
    bad = [(e, g) for e, g in zip(expect, got) if e != g.replace("  ", " ")]
    for e, g in bad:
        print("guestelf: expected %-30s objdump says %s" % (e, g))
    if len(got) != len(expect):
        print("guestelf: %d instructions, objdump shows %d" % (len(expect), len(got)))
        return 1
    print("guestelf: %d encodings agree with objdump" % len(expect) if not bad else "")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(_selftest())
