"""Generator module (README.md, "Generator modules"): the scalar floating-point
instructions (cpu/exec_fp.c), single and double precision.

Groups:
  fp_arith     FADD, FSUB, FMUL, FDIV, FNMUL, FMAX, FMIN, FMAXNM, FMINNM
  fp_fma       FMADD, FMSUB, FNMADD, FNMSUB
  fp_dp1       FMOV (register), FABS, FNEG, FSQRT, FRINTN/P/M/Z/A/X/I
  fp_fcvt      FCVT between H, S and D in every direction
  fp_cvt_int   FCVT{N,P,M,Z,A}{S,U} to W and X, SCVTF/UCVTF from W and X
  fp_cvt_fixed SCVTF/UCVTF/FCVTZS/FCVTZU (fixed-point), every valid #fbits
  fp_fmov      FMOV between the register files (W<->S, X<->D, X<->V.D[1]), FMOV #imm
  fp_cmp       FCMP, FCMPE (register and #0.0), FCCMP, FCCMPE, FCSEL, and flag readers
  fp_mix       all of the above mixed, with FPCR rewritten inside the case

Every case starts with FPCR holding a random rounding mode and random FZ,
DN and AHP (gen.py); a quarter of the cases write FPCR again before (or
between) their instructions, so each instruction meets every rounding mode
and FZ/DN/AHP combination. Register numbers are drawn at random, with
Vd == Vn == Vm on purpose now and then. No CONSTRAINED UNPREDICTABLE form
is generated: FCMP #0.0 always has Rm = 0 (gas encodes it so).
"""

import gen
import genlib

OPS_PER_CASE = (3, 8)  # a case holds this many operations, inclusive
PRECISIONS = ["s", "d"]
ROUNDINGS = ["n", "p", "m", "z", "a"]  # FCVT<r>S/U
FRINTS = ["frintn", "frintp", "frintm", "frintz", "frinta", "frintx", "frinti"]
DP2 = ["fadd", "fsub", "fmul", "fdiv", "fnmul", "fmax", "fmin", "fmaxnm", "fminnm"]
DP3 = ["fmadd", "fmsub", "fnmadd", "fnmsub"]
COND = gen.CONDS  # al and nv too: FCSEL and FCCMP take every condition


class Regs(genlib.VRegs):
    """Register choice for one case: V registers (v()) reused so that operands coincide,
    general registers that keep clear of X18 and X28."""

    def x_dst(self):
        """A general destination: never X18 or X28; ZR now and then."""
        if self.rng.random() < 0.05:
            return 31
        return self.rng.choice([r for r in range(31) if r not in (18, 28)])

    def x_src(self):
        """A general source: any but X18 (X28 may be read); ZR now and then."""
        if self.rng.random() < 0.05:
            return 31
        return self.rng.choice([r for r in range(31) if r != 18])

    def x_scratch(self):
        return self.rng.choice([r for r in range(31) if r not in (18, 28)])


def set_fpcr(c, r):
    """msr fpcr with a random rounding mode and random AHP, DN, FZ (bits 26:22 only)."""
    value = genlib.fpcr_value(c.rng)
    for line in genlib.write_fpcr(r.x_scratch(), value):
        c.emit(line)


# --- the operations: each emits one instruction (or a short sequence) --------------------

def op_dp2(c, r):
    p = c.rng.choice(PRECISIONS)
    c.emit("%s %s%d, %s%d, %s%d" % (c.rng.choice(DP2), p, r.v(), p, r.v(), p, r.v()))


def op_dp3(c, r):
    p = c.rng.choice(PRECISIONS)
    c.emit("%s %s%d, %s%d, %s%d, %s%d" % (c.rng.choice(DP3), p, r.v(), p, r.v(), p, r.v(), p, r.v()))


def op_dp1(c, r):
    p = c.rng.choice(PRECISIONS)
    name = c.rng.choice(["fmov", "fabs", "fneg", "fsqrt", "fsqrt"] + FRINTS)
    c.emit("%s %s%d, %s%d" % (name, p, r.v(), p, r.v()))


def op_fcvt(c, r):
    src, dst = c.rng.choice([("h", "s"), ("h", "d"), ("s", "h"), ("s", "d"), ("d", "h"), ("d", "s")])
    c.emit("fcvt %s%d, %s%d" % (dst, r.v(), src, r.v()))


def op_cvt_int(c, r):
    p = c.rng.choice(PRECISIONS)
    sf = c.rng.random() < 0.5
    if c.rng.random() < 0.6:
        name = "fcvt%s%s" % (c.rng.choice(ROUNDINGS), c.rng.choice("su"))
        c.emit("%s %s, %s%d" % (name, gen.reg(r.x_dst(), sf), p, r.v()))
    else:
        name = c.rng.choice(["scvtf", "ucvtf"])
        c.emit("%s %s%d, %s" % (name, p, r.v(), gen.reg(r.x_src(), sf)))


def op_cvt_fixed(c, r):
    p = c.rng.choice(PRECISIONS)
    sf = c.rng.random() < 0.5
    width = 64 if sf else 32
    fbits = c.rng.choice([1, width, width - 1, 2, c.rng.randrange(1, width + 1), c.rng.randrange(1, width + 1)])
    if c.rng.random() < 0.5:
        name = c.rng.choice(["fcvtzs", "fcvtzu"])
        c.emit("%s %s, %s%d, #%d" % (name, gen.reg(r.x_dst(), sf), p, r.v(), fbits))
    else:
        name = c.rng.choice(["scvtf", "ucvtf"])
        c.emit("%s %s%d, %s, #%d" % (name, p, r.v(), gen.reg(r.x_src(), sf), fbits))


def fmov_imm_text(imm8):
    """VFPExpandImm(imm8) as an exact decimal that gas reads back: (-1)^imm8<7> *
    (1 + imm8<3:0>/16) * 2^e, e = imm8<5:4> + 1 when imm8<6> = 0, imm8<5:4> - 3 when 1."""
    e = ((imm8 >> 4) & 3) + (-3 if imm8 & 0x40 else 1)
    value = (-1.0 if imm8 & 0x80 else 1.0) * (1.0 + (imm8 & 15) / 16.0) * 2.0 ** e
    return repr(value)


def op_fmov(c, r):
    kind = c.rng.randrange(7)
    if kind == 0:
        c.emit("fmov %s, s%d" % (gen.reg(r.x_dst(), False), r.v()))
    elif kind == 1:
        c.emit("fmov s%d, %s" % (r.v(), gen.reg(r.x_src(), False)))
    elif kind == 2:
        c.emit("fmov %s, d%d" % (gen.reg(r.x_dst(), True), r.v()))
    elif kind == 3:
        c.emit("fmov d%d, %s" % (r.v(), gen.reg(r.x_src(), True)))
    elif kind == 4:
        c.emit("fmov %s, v%d.d[1]" % (gen.reg(r.x_dst(), True), r.v()))
    elif kind == 5:
        c.emit("fmov v%d.d[1], %s" % (r.v(), gen.reg(r.x_src(), True)))
    else:
        p = c.rng.choice(PRECISIONS)
        c.emit("fmov %s%d, #%s" % (p, r.v(), fmov_imm_text(c.rng.randrange(256))))


def op_cmp(c, r):
    p = c.rng.choice(PRECISIONS)
    kind = c.rng.randrange(6)
    if kind <= 1:
        name = c.rng.choice(["fcmp", "fcmpe"])
        if c.rng.random() < 0.3:
            c.emit("%s %s%d, #0.0" % (name, p, r.v()))
        else:
            c.emit("%s %s%d, %s%d" % (name, p, r.v(), p, r.v()))
    elif kind <= 3:
        name = c.rng.choice(["fccmp", "fccmpe"])
        c.emit("%s %s%d, %s%d, #%d, %s" % (name, p, r.v(), p, r.v(), c.rng.randrange(16), c.rng.choice(COND)))
    elif kind == 4:
        c.emit("fcsel %s%d, %s%d, %s%d, %s" % (p, r.v(), p, r.v(), p, r.v(), c.rng.choice(COND)))
    else:
        # Read the flags back into a general register as well as through NZCV.
        c.emit("cset %s, %s" % (gen.reg(r.x_scratch(), False), c.rng.choice(gen.CONDS_NO_AL)))


OPS = {
    "fp_arith": [op_dp2],
    "fp_fma": [op_dp3],
    "fp_dp1": [op_dp1],
    "fp_fcvt": [op_fcvt],
    "fp_cvt_int": [op_cvt_int],
    "fp_cvt_fixed": [op_cvt_fixed],
    "fp_fmov": [op_fmov],
    "fp_cmp": [op_cmp],
    "fp_mix": [op_dp2, op_dp3, op_dp1, op_fcvt, op_cvt_int, op_cvt_fixed, op_fmov, op_cmp],
}


class Body:
    """Collects the lines of one case (the emit interface the op_ functions use)."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = []

    def emit(self, line):
        self.lines.append(line)


def make_group(name):
    ops = OPS[name]

    def gen_fn(rng):
        c = Body(rng)
        r = Regs(rng)
        n = rng.randint(*OPS_PER_CASE)
        rewrite = rng.random() < (0.5 if name == "fp_mix" else 0.25)
        at = rng.randrange(n) if rewrite else -1
        for i in range(n):
            if i == at:
                set_fpcr(c, r)
            rng.choice(ops)(c, r)
        return c.lines

    return gen_fn


GROUPS = {name: make_group(name) for name in OPS}
