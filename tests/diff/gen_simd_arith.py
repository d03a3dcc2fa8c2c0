"""Generator module (README.md, "Generator modules"): the Advanced SIMD
arithmetic classes of cpu/exec_simd_arith.c: three same, three different,
across lanes, and the scalar three same, three different and pairwise
classes, integer and floating point.

Groups:
  simd_arith_int     vector three same, integer: halving, saturating, compares, max/min,
                     absolute difference (and accumulate), ADD/SUB, MLA/MLS/MUL/PMUL, the
                     pairwise ones, SQDMULH/SQRDMULH, the logical ones (MOV too); every
                     arrangement each allows
  simd_arith_shift   SSHL/USHL/SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/UQRSHL, vector and scalar,
                     with shift lanes whose low byte is around +-esize (and random above it)
  simd_arith_fp      vector three same, FP (2S, 4S, 2D), pairwise ones included
  simd_arith_diff    three different: long, wide, narrowing (high half), accumulating,
                     SQDMULL/SQDMLAL/SQDMLSL, PMULL; the "2" forms
  simd_arith_across  ADDV, [SU]ADDLV, [SU]MAXV, [SU]MINV, FMAXV/FMINV/FMAXNMV/FMINNMV
  simd_arith_scalar  scalar three same (integer and FP), scalar three different, scalar
                     pairwise (ADDP, FADDP, FMAXP, FMINP, FMAXNMP, FMINNMP)
  simd_arith_mix     any of the above, with FPCR rewritten inside the case

The V registers start with floating-point edge values (gen.py). The integer
groups replace two to four of them with integer lanes (0, +-1, the minimum
and maximum of the lane size, powers of two, small values; sometimes one
value in every lane, so that SQDMULH meets -2^(esize-1) squared), from a
pool inside the case, which the case branches over and reads with LDR Q. A
case holds one to three instructions, so that FPSR (QC and the FP flags)
shows what each one raised. Register numbers are drawn at random, with
Vd == Vn == Vm on purpose.
"""

import genlib
from genlib import ARR_ALL, ARR_BHS, ARR_FP, ESIZE, SREG, WIDE_OF

SCRATCH_X = 9  # the pool's address, and the FPCR value of simd_arith_mix
OPS_PER_CASE = (1, 3)

ARR_HS = ["4h", "8h", "2s", "4s"]
ARR_B = ["8b", "16b"]

# Vector three same, integer: name -> the arrangements it allows.
INT_SAME = {}
for _n in ["shadd", "uhadd", "srhadd", "urhadd", "shsub", "uhsub", "smax", "umax", "smin", "umin",
           "sabd", "uabd", "saba", "uaba", "mla", "mls", "mul", "smaxp", "umaxp", "sminp", "uminp"]:
    INT_SAME[_n] = ARR_BHS
for _n in ["sqadd", "uqadd", "sqsub", "uqsub", "cmgt", "cmhi", "cmge", "cmhs", "add", "sub",
           "cmtst", "cmeq", "addp"]:
    INT_SAME[_n] = ARR_ALL
INT_SAME["pmul"] = ARR_B
INT_SAME["sqdmulh"] = ARR_HS
INT_SAME["sqrdmulh"] = ARR_HS
LOGIC = ["and", "bic", "orr", "orn", "eor", "bsl", "bit", "bif"]
SHIFTS = ["sshl", "ushl", "srshl", "urshl", "sqshl", "uqshl", "sqrshl", "uqrshl"]

FP_SAME = ["fmaxnm", "fmla", "fadd", "fmulx", "fcmeq", "fmax", "frecps", "fminnm", "fmls", "fsub",
           "fmin", "frsqrts", "fmaxnmp", "faddp", "fmul", "fcmge", "facge", "fmaxp", "fdiv",
           "fminnmp", "fabd", "fcmgt", "facgt", "fminp"]

# Three different. Long: Vd is wide, Vn and Vm narrow; wide: Vd and Vn wide;
# narrow: Vd narrow, Vn and Vm wide.
DIFF_LONG = ["saddl", "uaddl", "ssubl", "usubl", "sabal", "uabal", "sabdl", "uabdl", "smlal",
             "umlal", "smlsl", "umlsl", "smull", "umull"]
DIFF_SQD = ["sqdmlal", "sqdmlsl", "sqdmull"]
DIFF_WIDE = ["saddw", "uaddw", "ssubw", "usubw"]
DIFF_NARROW = ["addhn", "raddhn", "subhn", "rsubhn"]

ACROSS_INT = {"addv": ARR_BHS[:-2] + ["4s"], "smaxv": ["8b", "16b", "4h", "8h", "4s"],
              "umaxv": ["8b", "16b", "4h", "8h", "4s"], "sminv": ["8b", "16b", "4h", "8h", "4s"],
              "uminv": ["8b", "16b", "4h", "8h", "4s"], "saddlv": ["8b", "16b", "4h", "8h", "4s"],
              "uaddlv": ["8b", "16b", "4h", "8h", "4s"]}
ACROSS_FP = ["fmaxv", "fminv", "fmaxnmv", "fminnmv"]

# Scalar three same, integer: name -> the element sizes it allows.
SCALAR_INT = {"sqadd": "bhsd", "uqadd": "bhsd", "sqsub": "bhsd", "uqsub": "bhsd",
              "sqshl": "bhsd", "uqshl": "bhsd", "sqrshl": "bhsd", "uqrshl": "bhsd",
              "cmgt": "d", "cmhi": "d", "cmge": "d", "cmhs": "d", "cmtst": "d", "cmeq": "d",
              "sshl": "d", "ushl": "d", "srshl": "d", "urshl": "d", "add": "d", "sub": "d",
              "sqdmulh": "hs", "sqrdmulh": "hs"}
SCALAR_FP = ["fmulx", "fcmeq", "frecps", "frsqrts", "fcmge", "facge", "fabd", "fcmgt", "facgt"]
SCALAR_PAIR_FP = ["faddp", "fmaxp", "fminp", "fmaxnmp", "fminnmp"]


# --- integer lanes --------------------------------------------------------------------

def shift_lane(rng, esize):
    """A lane whose low byte is a shift amount around +-esize; random bits above it."""
    amount = rng.choice([rng.randint(-esize - 2, esize + 2), rng.randint(-esize - 2, esize + 2),
                         0, esize, -esize, esize - 1, 1 - esize, -esize - 1, rng.randint(-128, 127)])
    return (rng.getrandbits(esize) & ~0xff | (amount & 0xff)) & ((1 << esize) - 1)


def prelude(rng, regs, shift=False):
    """Load the case's prepared registers from a pool the case branches over; with SHIFT,
    every second one holds shift lanes."""
    values = [genlib.int_vector(rng, shift_lane if shift and i % 2 == 1 else genlib.int_lane)
              for i in range(len(regs))]
    return genlib.pool_prelude(regs, values, SCRATCH_X)


def set_fpcr(rng):
    return genlib.write_fpcr(SCRATCH_X, genlib.fpcr_value(rng))


def three(name, arr, r):
    return "%s v%d.%s, v%d.%s, v%d.%s" % (name, r.dst(), arr, r.src(), arr, r.src(), arr)


# --- the instructions of each group ---------------------------------------------------

def op_int(rng, r):
    if rng.random() < 0.15:
        name = rng.choice(LOGIC)
        arr = rng.choice(ARR_B)
        if name == "orr" and rng.random() < 0.3:  # MOV (vector)
            n = r.src()
            return "orr v%d.%s, v%d.%s, v%d.%s" % (r.dst(), arr, n, arr, n, arr)
        return three(name, arr, r)
    name = rng.choice(sorted(INT_SAME))
    return three(name, rng.choice(INT_SAME[name]), r)


def op_shift(rng, r):
    name = rng.choice(SHIFTS)
    if rng.random() < 0.3:
        p = "d" if name in ("sshl", "ushl", "srshl", "urshl") else rng.choice("bhsd")
        return "%s %s%d, %s%d, %s%d" % (name, p, r.dst(), p, r.src(), p, r.src())
    return three(name, rng.choice(ARR_ALL), r)


def op_fp(rng, r):
    return three(rng.choice(FP_SAME), rng.choice(ARR_FP), r)


def op_diff(rng, r):
    kind = rng.randrange(5)
    narrow = rng.choice(sorted(WIDE_OF))
    wide = WIDE_OF[narrow]
    two = "2" if narrow in ("16b", "8h", "4s") else ""
    if kind == 0:
        return "%s%s v%d.%s, v%d.%s, v%d.%s" % (rng.choice(DIFF_LONG), two, r.dst(), wide,
                                               r.src(), narrow, r.src(), narrow)
    if kind == 1:
        return "%s%s v%d.%s, v%d.%s, v%d.%s" % (rng.choice(DIFF_WIDE), two, r.dst(), wide,
                                               r.src(), wide, r.src(), narrow)
    if kind == 2:
        return "%s%s v%d.%s, v%d.%s, v%d.%s" % (rng.choice(DIFF_NARROW), two, r.dst(), narrow,
                                               r.src(), wide, r.src(), wide)
    if kind == 3:
        narrow = rng.choice(["4h", "8h", "2s", "4s"])
        two = "2" if narrow in ("8h", "4s") else ""
        return "%s%s v%d.%s, v%d.%s, v%d.%s" % (rng.choice(DIFF_SQD), two, r.dst(),
                                               WIDE_OF[narrow], r.src(), narrow, r.src(), narrow)
    narrow = rng.choice(ARR_B)
    two = "2" if narrow == "16b" else ""
    return "pmull%s v%d.8h, v%d.%s, v%d.%s" % (two, r.dst(), r.src(), narrow, r.src(), narrow)


def op_across(rng, r):
    if rng.random() < 0.3:
        return "%s s%d, v%d.4s" % (rng.choice(ACROSS_FP), r.dst(), r.src())
    name = rng.choice(sorted(ACROSS_INT))
    arr = rng.choice(ACROSS_INT[name])
    esize = ESIZE[arr] * (2 if name.endswith("lv") else 1)
    return "%s %s%d, v%d.%s" % (name, SREG[esize], r.dst(), r.src(), arr)


def op_scalar(rng, r):
    kind = rng.randrange(6)
    if kind <= 1:
        name = rng.choice(sorted(SCALAR_INT))
        p = rng.choice(SCALAR_INT[name])
        return "%s %s%d, %s%d, %s%d" % (name, p, r.dst(), p, r.src(), p, r.src())
    if kind == 2:
        p = rng.choice("sd")
        return "%s %s%d, %s%d, %s%d" % (rng.choice(SCALAR_FP), p, r.dst(), p, r.src(), p, r.src())
    if kind == 3:
        dp, np_ = rng.choice([("s", "h"), ("d", "s")])
        return "%s %s%d, %s%d, %s%d" % (rng.choice(DIFF_SQD), dp, r.dst(), np_, r.src(), np_,
                                       r.src())
    if kind == 4:
        return "addp d%d, v%d.2d" % (r.dst(), r.src())
    p, arr = rng.choice([("s", "2s"), ("d", "2d")])
    return "%s %s%d, v%d.%s" % (rng.choice(SCALAR_PAIR_FP), p, r.dst(), r.src(), arr)


INT_GROUPS = {"int": op_int, "shift": op_shift, "diff": op_diff, "across": op_across,
              "scalar": op_scalar}
ALL_OPS = [op_int, op_shift, op_fp, op_diff, op_across, op_scalar]


def make_group(kind):
    def gen_fn(rng):
        lines = []
        prepared = []
        if kind != "fp" and rng.random() < 0.75:
            prepared = rng.sample(range(32), rng.randint(2, 4))
            lines += prelude(rng, prepared, shift=kind in ("shift", "mix"))
        r = genlib.VRegs(rng, prepared, reuse=0.35, from_prepared=0.7)
        for _ in range(rng.randint(*OPS_PER_CASE)):
            if kind == "mix":
                if rng.random() < 0.3:
                    lines += set_fpcr(rng)
                lines.append(rng.choice(ALL_OPS)(rng, r))
            elif kind == "fp":
                lines.append(op_fp(rng, r))
            else:
                lines.append(INT_GROUPS[kind](rng, r))
        return lines
    return gen_fn


GROUPS = {"simd_arith_" + k: make_group(k)
          for k in ["int", "shift", "fp", "diff", "across", "scalar", "mix"]}
