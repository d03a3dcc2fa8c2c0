"""Generator module (README.md, "Generator modules"): the Advanced SIMD copy,
modified immediate, table lookup, permute and extract classes
(cpu/exec_simd_perm.c) and the structure loads and stores
(cpu/exec_simd_ldst.c).

Groups:
  simd_perm_copy     DUP (element, general), INS (element, general) under both
                     spellings (INS, MOV), UMOV/MOV, SMOV, scalar DUP/MOV; every
                     element size and lane; DUP (general) with imm5 bits above
                     the size set and INS (element) with imm4 bits below it set
                     (.inst: GNU as cannot write them, Capstone 4.0.2 rejects them)
  simd_perm_modimm   MOVI (8-, 16-, 32-bit shifted and MSL, 64-bit D and 2D), MVNI,
                     ORR and BIC (vector, immediate), FMOV (vector, immediate) S and D
  simd_perm_table    TBL and TBX with 1-4 table registers (wrapping past V31), index
                     vectors built with INS from bytes in and past the table
  simd_perm_permute  UZP1/2, TRN1/2, ZIP1/2 in every arrangement, EXT (8B, 16B, every
                     position)
  simd_ldst_multiple LD1/ST1 (1-4 registers), LD2/ST2, LD3/ST3, LD4/ST4 in every
                     arrangement, no offset, post-index by immediate and by register
  simd_ldst_single   LD1-LD4/ST1-ST4 of one lane (B, H, S, D, every index) and
                     LD1R-LD4R in every arrangement, no offset and post-index

Register numbers are drawn at random, often reusing one of the last few, so
that Vd == Vn == Vm happens; register lists start anywhere and wrap from
V31 to V0. Every structure access stays inside the X28 buffer and is
aligned to its element size only (so that a64sim's element-by-element and
8-byte paths are both taken); the base is set up from X28 right before the
access. There are no CONSTRAINED UNPREDICTABLE forms among these
instructions (the transfer registers are V registers, never the base).
"""

import struct

import gen
import genlib

OPS_PER_CASE = (3, 8)  # a case holds this many operations, inclusive
LETTER = {1: "b", 2: "h", 4: "s", 8: "d"}


def arrangement(esize, q):
    return "%d%s" % ((16 if q else 8) // esize, LETTER[esize])


class Regs(genlib.VRegs):
    """Register choice for one case: V registers (v()) reused so that operands coincide,
    general registers from the case C."""

    def __init__(self, c):
        super().__init__(c.rng, reuse=0.35)
        self.c = c

    def x_dst(self, zr=0.05):
        """A general destination: never X18 or X28; ZR now and then."""
        if self.rng.random() < zr:
            return 31
        return self.c.dst()

    def x_src(self, zr=0.05):
        """A general source: any but X18 (X28 may be read); ZR now and then."""
        return self.c.src(zr=zr)


def rand_esize(rng):
    return rng.choice([1, 2, 4, 8])


def rand_q_for(rng, esize):
    """Q for a vector arrangement of ESIZE bytes: 1D does not exist outside LD1/ST1."""
    return 1 if esize == 8 else rng.randrange(2)


# --- AdvSIMD copy -------------------------------------------------------------------------

def op_dup_elem(c, r):
    es = rand_esize(c.rng)
    q = rand_q_for(c.rng, es)
    c.emit("dup v%d.%s, v%d.%s[%d]" % (r.v(), arrangement(es, q), r.v(), LETTER[es],
                                       c.rng.randrange(16 // es)))


def op_dup_gen(c, r):
    es = rand_esize(c.rng)
    q = rand_q_for(c.rng, es)
    c.emit("dup v%d.%s, %s" % (r.v(), arrangement(es, q), gen.reg(r.x_src(), es == 8)))


def op_ins_gen(c, r):
    es = rand_esize(c.rng)
    name = c.rng.choice(["mov", "ins"])
    c.emit("%s v%d.%s[%d], %s" % (name, r.v(), LETTER[es], c.rng.randrange(16 // es),
                                  gen.reg(r.x_src(), es == 8)))


def op_ins_elem(c, r):
    es = rand_esize(c.rng)
    name = c.rng.choice(["mov", "ins"])
    c.emit("%s v%d.%s[%d], v%d.%s[%d]" % (name, r.v(), LETTER[es], c.rng.randrange(16 // es),
                                          r.v(), LETTER[es], c.rng.randrange(16 // es)))


def op_umov(c, r):
    es = rand_esize(c.rng)
    rd = r.x_dst()
    vn = r.v()
    lane = c.rng.randrange(16 // es)
    name = "umov" if es < 4 else c.rng.choice(["umov", "mov"])
    c.emit("%s %s, v%d.%s[%d]" % (name, gen.reg(rd, es == 8), vn, LETTER[es], lane))


def op_smov(c, r):
    es = c.rng.choice([1, 2, 4])
    sf = es == 4 or c.rng.random() < 0.5
    c.emit("smov %s, v%d.%s[%d]" % (gen.reg(r.x_dst(), sf), r.v(), LETTER[es],
                                    c.rng.randrange(16 // es)))


def op_dup_scalar(c, r):
    es = rand_esize(c.rng)
    c.emit("%s %s%d, v%d.%s[%d]" % (c.rng.choice(["dup", "mov"]), LETTER[es], r.v(), r.v(),
                                    LETTER[es], c.rng.randrange(16 // es)))


def op_copy_ignored_bits(c, r):
    """DUP (general) with imm5 bits above the size bit set, INS (element) with imm4 bits below
    the size set: the Arm ARM ignores them (GNU as cannot write them)."""
    size = c.rng.randrange(4)
    imm5 = 1 << size
    rd, rn = r.v(), r.v()
    if c.rng.random() < 0.5:
        q = 1 if size == 3 else c.rng.randrange(2)
        imm5 |= c.rng.randrange(1, 1 << (4 - size)) << (size + 1)
        xn = r.x_src()
        c.emit(".inst 0x%08x // dup v%d.%s, %s (imm5 = %s)"
               % (q << 30 | 0x0e000c00 | imm5 << 16 | xn << 5 | rd, rd, arrangement(1 << size, q),
                  gen.reg(xn, size == 3), format(imm5, "05b")))
        return
    if size == 0:
        size = 1
    imm5 = (1 << size) | c.rng.randrange(1 << (4 - size)) << (size + 1)
    imm4 = c.rng.randrange(16 >> size) << size | c.rng.randrange(1, 1 << size)
    c.emit(".inst 0x%08x // ins v%d, v%d (imm5 = %s, imm4 = %s)"
           % (0x6e000400 | imm5 << 16 | imm4 << 11 | rn << 5 | rd, rd, rn, format(imm5, "05b"),
              format(imm4, "04b")))


COPY = [(op_dup_elem, 3), (op_dup_gen, 3), (op_ins_gen, 3), (op_ins_elem, 3), (op_umov, 3),
        (op_smov, 3), (op_dup_scalar, 2), (op_copy_ignored_bits, 1)]


# --- AdvSIMD modified immediate -----------------------------------------------------------

def imm8_value(rng):
    return rng.choice([0, 0xff, 0x80, 0x7f, 0x01, rng.randrange(256), rng.randrange(256)])


def op_movi(c, r):
    kind = c.rng.randrange(6)
    imm8 = imm8_value(c.rng)
    q = c.rng.randrange(2)
    vd = r.v()
    if kind == 0:
        c.emit("movi v%d.%s, #0x%x" % (vd, arrangement(1, q), imm8))
    elif kind == 1:
        c.emit("movi v%d.%s, #0x%x, lsl #%d" % (vd, arrangement(2, q), imm8, c.rng.choice([0, 8])))
    elif kind == 2:
        c.emit("movi v%d.%s, #0x%x, lsl #%d" % (vd, arrangement(4, q), imm8,
                                                c.rng.choice([0, 8, 16, 24])))
    elif kind == 3:
        c.emit("movi v%d.%s, #0x%x, msl #%d" % (vd, arrangement(4, q), imm8, c.rng.choice([8, 16])))
    elif kind == 4:
        mask = sum(0xff << (8 * i) for i in range(8) if imm8 >> i & 1)
        if q:
            c.emit("movi v%d.2d, #0x%x" % (vd, mask))
        else:
            c.emit("movi d%d, #0x%x" % (vd, mask))
    else:
        c.emit("movi v%d.%s, #0x%x" % (vd, arrangement(2, q), imm8))  # no shift written


def op_mvni(c, r):
    kind = c.rng.randrange(3)
    imm8 = imm8_value(c.rng)
    q = c.rng.randrange(2)
    vd = r.v()
    if kind == 0:
        c.emit("mvni v%d.%s, #0x%x, lsl #%d" % (vd, arrangement(2, q), imm8, c.rng.choice([0, 8])))
    elif kind == 1:
        c.emit("mvni v%d.%s, #0x%x, lsl #%d" % (vd, arrangement(4, q), imm8,
                                                c.rng.choice([0, 8, 16, 24])))
    else:
        c.emit("mvni v%d.%s, #0x%x, msl #%d" % (vd, arrangement(4, q), imm8, c.rng.choice([8, 16])))


def op_orr_bic(c, r):
    name = c.rng.choice(["orr", "bic"])
    imm8 = imm8_value(c.rng)
    q = c.rng.randrange(2)
    if c.rng.random() < 0.5:
        c.emit("%s v%d.%s, #0x%x, lsl #%d" % (name, r.v(), arrangement(2, q), imm8,
                                              c.rng.choice([0, 8])))
    else:
        c.emit("%s v%d.%s, #0x%x, lsl #%d" % (name, r.v(), arrangement(4, q), imm8,
                                              c.rng.choice([0, 8, 16, 24])))


def vfp_expand(imm8, double):
    """VFPExpandImm (Arm ARM shared pseudocode) as a Python float."""
    a, b, low6 = imm8 >> 7 & 1, imm8 >> 6 & 1, imm8 & 0x3f
    if double:
        bits = a << 63 | (b ^ 1) << 62 | (0xff << 54 if b else 0) | low6 << 48
        return struct.unpack("<d", struct.pack("<Q", bits))[0]
    bits = a << 31 | (b ^ 1) << 30 | (0x1f << 25 if b else 0) | low6 << 19
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def op_fmov(c, r):
    imm8 = c.rng.randrange(256)
    arr = c.rng.choice(["2s", "4s", "2d"])
    c.emit("fmov v%d.%s, #%r" % (r.v(), arr, vfp_expand(imm8, arr == "2d")))


MODIMM = [(op_movi, 4), (op_mvni, 2), (op_orr_bic, 3), (op_fmov, 2)]


# --- table lookup, permute, extract -------------------------------------------------------

def set_vector(c, r, vi, byte_fn):
    """Vvi = 16 bytes from byte_fn(), through two general registers and INS."""
    lo = sum(byte_fn() << (8 * i) for i in range(8))
    hi = sum(byte_fn() << (8 * i) for i in range(8))
    x = c.dst()
    gen.set_const(c, x, lo)
    c.emit("mov v%d.d[0], x%d" % (vi, x))
    gen.set_const(c, x, hi)
    c.emit("mov v%d.d[1], x%d" % (vi, x))


def op_table(c, r):
    n = c.rng.randrange(1, 5)
    q = c.rng.randrange(2)
    vn = c.rng.randrange(32) if c.rng.random() < 0.7 else c.rng.randrange(29, 32)
    vm = r.v()
    if c.rng.random() < 0.8:
        limit = 16 * n

        def index_byte():
            k = c.rng.random()
            if k < 0.75:
                return c.rng.randrange(limit)
            if k < 0.9:
                return c.rng.randrange(limit, min(limit + 16, 256))
            return c.rng.randrange(256)
        set_vector(c, r, vm, index_byte)
    table = ", ".join("v%d.16b" % ((vn + i) % 32) for i in range(n))
    c.emit("%s v%d.%s, {%s}, v%d.%s" % (c.rng.choice(["tbl", "tbx"]), r.v(), arrangement(1, q),
                                        table, vm, arrangement(1, q)))


PERMUTES = ["uzp1", "uzp2", "trn1", "trn2", "zip1", "zip2"]


def op_permute(c, r):
    es = rand_esize(c.rng)
    q = rand_q_for(c.rng, es)
    t = arrangement(es, q)
    c.emit("%s v%d.%s, v%d.%s, v%d.%s" % (c.rng.choice(PERMUTES), r.v(), t, r.v(), t, r.v(), t))


def op_ext(c, r):
    q = c.rng.randrange(2)
    t = arrangement(1, q)
    c.emit("ext v%d.%s, v%d.%s, v%d.%s, #%d" % (r.v(), t, r.v(), t, r.v(), t,
                                                c.rng.randrange(16 if q else 8)))


# --- structure loads and stores -----------------------------------------------------------

def reg_list(first, n, suffix):
    return "{%s}" % ", ".join("v%d.%s" % ((first + i) % 32, suffix) for i in range(n))


def addressing(c, r, transfer, esize):
    """Set up a base for TRANSFER bytes aligned to ESIZE and return the address operand:
    no offset, post-index by the transfer size, or post-index by a register."""
    addr = gen.aligned_addr(c, esize, transfer)
    if c.rng.random() < 0.3:  # aligned to 8 or 16 too: the 8-byte path
        addr = gen.aligned_addr(c, max(esize, c.rng.choice([8, 16])), transfer)
    rb = c.dst()
    gen.set_base(c, rb, addr)
    mode = c.rng.randrange(3)
    if mode == 0:
        return "[x%d]" % rb
    if mode == 1:
        return "[x%d], #%d" % (rb, transfer)
    rm = rb if c.rng.random() < 0.1 else c.dst(avoid=[rb])
    if rm != rb:
        gen.set_const(c, rm, gen.rand_value(c.rng))
    return "[x%d], x%d" % (rb, rm)


MULTIPLE = [("1", 1, 1), ("1", 2, 1), ("1", 3, 1), ("1", 4, 1), ("2", 1, 2), ("3", 1, 3),
            ("4", 1, 4)]  # (digit, rpt, selem)


def op_ldst_multiple(c, r):
    digit, rpt, selem = c.rng.choice(MULTIPLE)
    es = rand_esize(c.rng)
    q = c.rng.randrange(2) if selem == 1 or es < 8 else 1
    nregs = rpt * selem
    transfer = nregs * (16 if q else 8)
    name = c.rng.choice(["ld", "st"]) + digit
    vt = r.v()
    addr = addressing(c, r, transfer, es)
    c.emit("%s %s, %s" % (name, reg_list(vt, nregs, arrangement(es, q)), addr))


def op_ldst_single(c, r):
    selem = c.rng.randrange(1, 5)
    es = rand_esize(c.rng)
    vt = r.v()
    if c.rng.random() < 0.3:
        q = c.rng.randrange(2)
        addr = addressing(c, r, selem * es, es)
        c.emit("ld%dr %s, %s" % (selem, reg_list(vt, selem, arrangement(es, q)), addr))
        return
    name = c.rng.choice(["ld", "st"]) + str(selem)
    lane = c.rng.randrange(16 // es)
    addr = addressing(c, r, selem * es, es)
    c.emit("%s %s[%d], %s" % (name, reg_list(vt, selem, LETTER[es]), lane, addr))


# --- cases --------------------------------------------------------------------------------

def case(table):
    def gen_fn(rng):
        c = gen.Case(rng, 0, reserved=[gen.BUFFER_REG])
        r = Regs(c)
        for _ in range(rng.randint(*OPS_PER_CASE)):
            gen.pick(rng, table)(c, r)
        return [line.strip() for line in c.lines]
    return gen_fn


GROUPS = {
    "simd_perm_copy": case(COPY),
    "simd_perm_modimm": case(MODIMM),
    "simd_perm_table": case([(op_table, 1)]),
    "simd_perm_permute": case([(op_permute, 3), (op_ext, 1)]),
    "simd_ldst_multiple": case([(op_ldst_multiple, 1)]),
    "simd_ldst_single": case([(op_ldst_single, 1)]),
}
