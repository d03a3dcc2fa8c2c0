"""Generator module (README.md, "Generator modules"): the Advanced SIMD
two-register miscellaneous, shift by immediate and indexed element classes
(cpu/exec_simd_misc.c), vector and scalar, integer and floating point.

Groups:
  simd_misc_int     REV*, [SU]ADDLP, [SU]ADALP, SUQADD/USQADD, CLS/CLZ/CNT, NOT/MVN, RBIT,
                    SQABS/SQNEG, CM* #0, ABS/NEG, XTN/SQXTN/UQXTN/SQXTUN(2), SHLL(2),
                    URECPE/URSQRTE; the scalar forms
  simd_misc_fp      FRINT*, FCVT[NMAPZ][SU], SCVTF/UCVTF, FCM* #0.0, FABS/FNEG, FRECPE,
                    FRSQRTE, FSQRT, FCVTN/FCVTL/FCVTXN(2); scalar forms and FRECPX
  simd_misc_shift   SSHR..SRI, SHL, SLI, SQSHL/UQSHL/SQSHLU (imm), the narrowing shifts (2),
                    SSHLL/USHLL/SXTL/UXTL (2); the scalar forms
  simd_misc_fixed   SCVTF/UCVTF/FCVTZS/FCVTZU (fixed point), vector and scalar, every #fbits
  simd_misc_idx     MUL/MLA/MLS, [SU]MULL/[SU]MLAL/[SU]MLSL(2), SQDMULL/SQDMLAL/SQDMLSL(2),
                    SQDMULH/SQRDMULH by element; the scalar forms
  simd_misc_idx_fp  FMLA/FMLS/FMUL/FMULX by element, S and D, vector and scalar
  simd_misc_mix     all of the above, with FPCR rewritten inside the case

The V registers start with floating-point edge values (gen.py). Half of
the cases replace two or three of them with integer edge values lane by
lane (0, +-1, the minimum and maximum of 8-, 16-, 32- or 64-bit lanes, a
power of two, or one value in every lane, so that the saturating doubling
multiplies meet -2^(esize-1) squared): the values sit in a pool inside the
case, which the case branches over and reads with LDR Q. A case holds one
to three instructions of its group, so that FPSR (QC and the FP flags)
shows what each one raised. Register numbers are drawn at random, with
Vd == Vn (== Vm) on purpose; the indexed forms of H elements take Vm from
V0-V15, as the encoding requires.
"""

import genlib
from genlib import ARR_ALL, ARR_BHS, ARR_FP, B, D, ESIZE, H, S, SREG, WIDE_OF

OPS_PER_CASE = (1, 3)
SCRATCH_X = 9  # the pool's address

# Narrow arrangement -> (wide arrangement, whether it is the "2" form).
NARROW = {n: (w, n in ("16b", "8h", "4s")) for n, w in WIDE_OF.items()}


def prelude(rng, regs):
    """Load the case's prepared registers from a pool the case branches over."""
    return genlib.pool_prelude(regs, [genlib.int_vector(rng) for _ in regs], SCRATCH_X)


def set_fpcr(rng):
    return genlib.write_fpcr(SCRATCH_X, genlib.fpcr_value(rng))


def shift_right(rng, esize):
    return rng.choice([1, esize, esize - 1 or 1, 2, rng.randint(1, esize), rng.randint(1, esize)])


def shift_left(rng, esize):
    return rng.choice([0, esize - 1, 1, rng.randrange(esize), rng.randrange(esize)])


# --- two-register miscellaneous -----------------------------------------------------------

def op_int_same(rng, r):
    kind = rng.randrange(6)
    if kind == 0:
        name = rng.choice(["suqadd", "usqadd", "sqabs", "sqneg", "abs", "neg"])
        a = rng.choice(ARR_ALL)
        return "%s v%d.%s, v%d.%s" % (name, r.dst(), a, r.src(), a)
    if kind == 1:
        name = rng.choice(["cmgt", "cmge", "cmeq", "cmle", "cmlt"])
        a = rng.choice(ARR_ALL)
        return "%s v%d.%s, v%d.%s, #0" % (name, r.dst(), a, r.src(), a)
    if kind == 2:
        name, arrs = rng.choice([("cls", ARR_BHS), ("clz", ARR_BHS), ("cnt", ["8b", "16b"]),
                                 ("not", ["8b", "16b"]), ("mvn", ["8b", "16b"]),
                                 ("rbit", ["8b", "16b"]), ("rev64", ARR_BHS),
                                 ("rev32", ["8b", "16b", "4h", "8h"]), ("rev16", ["8b", "16b"])])
        a = rng.choice(arrs)
        return "%s v%d.%s, v%d.%s" % (name, r.dst(), a, r.src(), a)
    if kind == 3:
        name = rng.choice(["saddlp", "uaddlp", "sadalp", "uadalp"])
        ta, tb = rng.choice([("4h", "8b"), ("8h", "16b"), ("2s", "4h"), ("4s", "8h"),
                             ("1d", "2s"), ("2d", "4s")])
        return "%s v%d.%s, v%d.%s" % (name, r.dst(), ta, r.src(), tb)
    if kind == 4:
        name = rng.choice(["xtn", "sqxtn", "uqxtn", "sqxtun"])
        tb = rng.choice(list(NARROW))
        ta, two = NARROW[tb]
        return "%s%s v%d.%s, v%d.%s" % (name, "2" if two else "", r.dst(), tb, r.src(), ta)
    tb = rng.choice(list(NARROW))
    ta, two = NARROW[tb]
    if rng.random() < 0.2:
        a = rng.choice(["2s", "4s"])
        return "%s v%d.%s, v%d.%s" % (rng.choice(["urecpe", "ursqrte"]), r.dst(), a, r.src(), a)
    return "shll%s v%d.%s, v%d.%s, #%d" % ("2" if two else "", r.dst(), ta, r.src(), tb, ESIZE[tb])


def op_int_scalar(rng, r):
    kind = rng.randrange(3)
    if kind == 0:
        name = rng.choice(["suqadd", "usqadd", "sqabs", "sqneg"])
        p = rng.choice("bhsd")
        return "%s %s%d, %s%d" % (name, p, r.dst(), p, r.src())
    if kind == 1:
        name = rng.choice(["cmgt", "cmge", "cmeq", "cmle", "cmlt", "abs", "neg"])
        zero = ", #0" if name.startswith("cm") else ""
        return "%s d%d, d%d%s" % (name, r.dst(), r.src(), zero)
    name = rng.choice(["sqxtn", "uqxtn", "sqxtun"])
    n, w = rng.choice([("b", "h"), ("h", "s"), ("s", "d")])
    return "%s %s%d, %s%d" % (name, n, r.dst(), w, r.src())


FP_SAME = (["frint" + x for x in "nmpzaxi"] + ["fcvt%s%s" % (x, y) for x in "nmapz" for y in "su"]
           + ["scvtf", "ucvtf", "fabs", "fneg", "frecpe", "frsqrte", "fsqrt"])
FP_CMP0 = ["fcmgt", "fcmge", "fcmeq", "fcmle", "fcmlt"]
FP_SCALAR = ["fcvt%s%s" % (x, y) for x in "nmapz" for y in "su"] + ["scvtf", "ucvtf", "frecpe",
                                                                     "frsqrte", "frecpx"]


def op_fp_misc(rng, r):
    kind = rng.randrange(7)
    if kind <= 1:
        a = rng.choice(ARR_FP)
        return "%s v%d.%s, v%d.%s" % (rng.choice(FP_SAME), r.dst(), a, r.src(), a)
    if kind == 2:
        a = rng.choice(ARR_FP)
        return "%s v%d.%s, v%d.%s, #0.0" % (rng.choice(FP_CMP0), r.dst(), a, r.src(), a)
    if kind == 3:
        p = rng.choice("sd")
        if rng.random() < 0.3:
            return "%s %s%d, %s%d, #0.0" % (rng.choice(FP_CMP0), p, r.dst(), p, r.src())
        return "%s %s%d, %s%d" % (rng.choice(FP_SCALAR), p, r.dst(), p, r.src())
    if kind == 4:
        tb, ta = rng.choice([("4h", "4s"), ("8h", "4s"), ("2s", "2d"), ("4s", "2d")])
        two = "2" if tb in ("8h", "4s") else ""
        return "fcvtn%s v%d.%s, v%d.%s" % (two, r.dst(), tb, r.src(), ta)
    if kind == 5:
        tb, ta = rng.choice([("4h", "4s"), ("8h", "4s"), ("2s", "2d"), ("4s", "2d")])
        two = "2" if tb in ("8h", "4s") else ""
        return "fcvtl%s v%d.%s, v%d.%s" % (two, r.dst(), ta, r.src(), tb)
    form = rng.randrange(3)
    if form == 0:
        return "fcvtxn s%d, d%d" % (r.dst(), r.src())
    if form == 1:
        return "fcvtxn v%d.2s, v%d.2d" % (r.dst(), r.src())
    return "fcvtxn2 v%d.4s, v%d.2d" % (r.dst(), r.src())


# --- shift by immediate ---------------------------------------------------------------------

RIGHT = ["sshr", "ushr", "ssra", "usra", "srshr", "urshr", "srsra", "ursra", "sri"]
LEFT = ["shl", "sli", "sqshl", "uqshl", "sqshlu"]
NARROW_SHIFTS = ["shrn", "rshrn", "sqshrn", "uqshrn", "sqrshrn", "uqrshrn", "sqshrun", "sqrshrun"]


def op_shift(rng, r):
    kind = rng.randrange(8)
    if kind <= 1:
        a = rng.choice(ARR_ALL)
        return "%s v%d.%s, v%d.%s, #%d" % (rng.choice(RIGHT), r.dst(), a, r.src(), a,
                                            shift_right(rng, ESIZE[a]))
    if kind == 2:
        a = rng.choice(ARR_ALL)
        return "%s v%d.%s, v%d.%s, #%d" % (rng.choice(LEFT), r.dst(), a, r.src(), a,
                                            shift_left(rng, ESIZE[a]))
    if kind == 3:
        tb = rng.choice(list(NARROW))
        ta, two = NARROW[tb]
        return "%s%s v%d.%s, v%d.%s, #%d" % (rng.choice(NARROW_SHIFTS), "2" if two else "", r.dst(),
                                              tb, r.src(), ta, shift_right(rng, ESIZE[tb]))
    if kind == 4:
        tb = rng.choice(list(NARROW))
        ta, two = NARROW[tb]
        if rng.random() < 0.3:
            return "%s%s v%d.%s, v%d.%s" % (rng.choice(["sxtl", "uxtl"]), "2" if two else "",
                                            r.dst(), ta, r.src(), tb)
        return "%s%s v%d.%s, v%d.%s, #%d" % (rng.choice(["sshll", "ushll"]), "2" if two else "",
                                              r.dst(), ta, r.src(), tb, shift_left(rng, ESIZE[tb]))
    if kind == 5:
        return "%s d%d, d%d, #%d" % (rng.choice(RIGHT), r.dst(), r.src(), shift_right(rng, D))
    if kind == 6:
        name = rng.choice(LEFT)
        esize = D if name in ("shl", "sli") else rng.choice([B, H, S, D])
        p = SREG[esize]
        return "%s %s%d, %s%d, #%d" % (name, p, r.dst(), p, r.src(), shift_left(rng, esize))
    name = rng.choice(NARROW_SHIFTS[2:])
    esize = rng.choice([B, H, S])
    return "%s %s%d, %s%d, #%d" % (name, SREG[esize], r.dst(), SREG[2 * esize], r.src(),
                                    shift_right(rng, esize))


def op_fixed(rng, r):
    name = rng.choice(["scvtf", "ucvtf", "fcvtzs", "fcvtzu"])
    if rng.random() < 0.6:
        a = rng.choice(ARR_FP)
        return "%s v%d.%s, v%d.%s, #%d" % (name, r.dst(), a, r.src(), a, shift_right(rng, ESIZE[a]))
    esize = rng.choice([S, D])
    p = SREG[esize]
    return "%s %s%d, %s%d, #%d" % (name, p, r.dst(), p, r.src(), shift_right(rng, esize))


# --- indexed element ---------------------------------------------------------------------

def element(rng, r, esize):
    """Vm.T[index]: H elements take Vm from V0-V15 and an index 0-7."""
    if esize == H:
        return "v%d.h[%d]" % (r.src(16), rng.randrange(8))
    if esize == S:
        return "v%d.s[%d]" % (r.src(), rng.randrange(4))
    return "v%d.d[%d]" % (r.src(), rng.randrange(2))


def op_idx(rng, r):
    kind = rng.randrange(4)
    if kind == 0:
        name = rng.choice(["mul", "mla", "mls", "sqdmulh", "sqrdmulh"])
        a = rng.choice(["4h", "8h", "2s", "4s"])
        return "%s v%d.%s, v%d.%s, %s" % (name, r.dst(), a, r.src(), a, element(rng, r, ESIZE[a]))
    if kind == 1:
        name = rng.choice(["smull", "umull", "smlal", "umlal", "smlsl", "umlsl", "sqdmull",
                           "sqdmlal", "sqdmlsl"])
        ta, tb = rng.choice([("4s", "4h"), ("4s", "8h"), ("2d", "2s"), ("2d", "4s")])
        two = "2" if tb in ("8h", "4s") else ""
        return "%s%s v%d.%s, v%d.%s, %s" % (name, two, r.dst(), ta, r.src(), tb,
                                            element(rng, r, ESIZE[tb]))
    if kind == 2:
        esize = rng.choice([H, S])
        p = SREG[esize]
        return "%s %s%d, %s%d, %s" % (rng.choice(["sqdmulh", "sqrdmulh"]), p, r.dst(), p, r.src(),
                                      element(rng, r, esize))
    esize = rng.choice([H, S])
    return "%s %s%d, %s%d, %s" % (rng.choice(["sqdmull", "sqdmlal", "sqdmlsl"]), SREG[2 * esize],
                                  r.dst(), SREG[esize], r.src(), element(rng, r, esize))


def op_idx_fp(rng, r):
    name = rng.choice(["fmla", "fmls", "fmul", "fmulx"])
    if rng.random() < 0.6:
        a = rng.choice(ARR_FP)
        return "%s v%d.%s, v%d.%s, %s" % (name, r.dst(), a, r.src(), a, element(rng, r, ESIZE[a]))
    esize = rng.choice([S, D])
    p = SREG[esize]
    return "%s %s%d, %s%d, %s" % (name, p, r.dst(), p, r.src(), element(rng, r, esize))


OPS = {
    "simd_misc_int": [op_int_same, op_int_same, op_int_scalar],
    "simd_misc_fp": [op_fp_misc],
    "simd_misc_shift": [op_shift],
    "simd_misc_fixed": [op_fixed],
    "simd_misc_idx": [op_idx],
    "simd_misc_idx_fp": [op_idx_fp],
    "simd_misc_mix": [op_int_same, op_int_scalar, op_fp_misc, op_shift, op_fixed, op_idx,
                      op_idx_fp],
}
# Groups whose inputs are integers: they get the integer edge values more often.
INTEGER = {"simd_misc_int": 0.6, "simd_misc_shift": 0.6, "simd_misc_idx": 0.6,
           "simd_misc_fixed": 0.4, "simd_misc_mix": 0.4, "simd_misc_fp": 0.15,
           "simd_misc_idx_fp": 0.1}


def make_group(name):
    ops = OPS[name]

    def gen_fn(rng):
        lines = []
        prepared = []
        if rng.random() < INTEGER[name]:
            prepared = rng.sample(range(32), rng.randint(1, 3))
            if rng.random() < 0.5:  # an H element's Vm is V0-V15
                prepared[0] = rng.randrange(16)
                prepared = list(dict.fromkeys(prepared))
            lines += prelude(rng, prepared)
        r = genlib.VRegs(rng, prepared)
        n = rng.randint(*OPS_PER_CASE)
        at = rng.randrange(n) if rng.random() < (0.4 if name == "simd_misc_mix" else 0.2) else -1
        for i in range(n):
            if i == at:
                lines += set_fpcr(rng)
            lines.append(rng.choice(ops)(rng, r))
        return lines

    return gen_fn


GROUPS = {name: make_group(name) for name in OPS}
