#!/usr/bin/env python3
"""Random A64 test cases for the a64sim / qemu-aarch64 differential test.

Writes one chunk of test cases of one instruction group as GNU assembler text
(PREFIX.s, assembled by aarch64-linux-gnu-as: an encoder no one here wrote)
and a description of each case (PREFIX.json) for the failure reports.

Every case is a straight piece of code entered by diff_run (trampoline.S)
with X0-X30, NZCV, V0-V31, FPCR and FPSR taken from its row of the
diff_cases table, and left by a branch to diff_exit. The generator keeps
every case inside what the architecture defines and both environments share:

- every data access is naturally aligned (a64sim runs with the MMU off, so
  all data accesses are to Device memory, where an unaligned access is an
  alignment fault; qemu-user never faults) and falls inside the 4 KiB
  diff_buffer; base registers are set up from X28 (the buffer's address,
  never written by the memory groups) right before each access;
- no CONSTRAINED UNPREDICTABLE forms: no writeback with Rt == Rn, no LDP with
  Rt == Rt2, no STXR with Rs == Rt or Rs == Rn, exclusive pairs only as
  load-exclusive then store-exclusive to the same address and size with no
  other memory access in between;
- branches only go forward to a label inside the same case, so every case
  ends;
- X18 (the platform register) and SP are never general operands; SP appears
  only in deliberate SP forms that read it, or move it and move it back;
- FPCR is only ever given values inside FPCR_WRITABLE, FPSR inside
  FPSR_WRITABLE: qemu-aarch64 implements bits a64sim does not.

Besides its own groups (CORE_GROUPS), every tests/diff/gen_*.py module
found next to this file adds its GROUPS: {name: gen_fn}, gen_fn(rng)
returning the body of one case as assembler lines (README.md, "Generator
modules").

The output is a pure function of (group, seed, insns, length).

usage: gen.py --group G --seed N --insns N [--length N] --out PREFIX
"""

import argparse
import importlib
import json
import os
import random
import re
import sys

# The groups written in this file; the generator modules add theirs (load_modules, at the end).
CORE_GROUPS = ["dp_imm", "dp_reg", "branch", "ldst", "excl", "lse"]

MASK64 = (1 << 64) - 1
MASK32 = (1 << 32) - 1

# trampoline.S: where diff_run leaves the case's initial X30 on the stack.
X30_SLOT = 104

# The FPCR and FPSR bits a64sim implements (diff.h DIFF_FPCR_MASK, DIFF_FPSR_MASK):
# FPCR.AHP (26), DN (25), FZ (24), RMode (23:22); FPSR.QC (27), IDC (7), IXC,
# UFC, OFC, DZC, IOC (4:0). A case writes no other bit.
FPCR_AHP = 1 << 26
FPCR_DN = 1 << 25
FPCR_FZ = 1 << 24
FPCR_RMODE_SHIFT = 22
FPCR_WRITABLE = 0x07C00000
FPSR_WRITABLE = 0x0800009F

BUFFER = "diff_buffer"
BUFFER_BYTES = 4096
BUFFER_REG = 28  # holds diff_buffer's address in the memory groups

CONDS = ["eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
         "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"]
CONDS_NO_AL = CONDS[:14]

EDGE_VALUES = [
    0, 1, 2, MASK64, MASK64 - 1, 1 << 63, (1 << 63) - 1, (1 << 63) + 1,
    0x80000000, 0x7FFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF80000000, 0x100000000,
    0xFFFFFFFE, 0x7FFFFFFF80000000, 0x8000000080000000, 0x00000000FFFF0000,
    0xFFFF, 0x8000, 0x80, 0xFF, 0x7F, 0xFFFFFFFFFFFF8000, 0xFFFFFFFFFFFFFF80,
]


def rand_value(rng):
    """A 64-bit register value: random, or one of the edge values arithmetic gets wrong."""
    kind = rng.randrange(12)
    if kind <= 2:
        return rng.getrandbits(64)
    if kind == 3:
        return rng.getrandbits(32)
    if kind == 4:
        v = rng.getrandbits(32)
        return v | (0xFFFFFFFF00000000 if v & 0x80000000 else 0)
    if kind in (5, 6):
        return rng.choice(EDGE_VALUES)
    if kind == 7:
        p = 1 << rng.randrange(64)
        return (p + rng.choice([-1, 0, 0, 1])) & MASK64
    if kind == 8:
        return rng.randrange(33)
    if kind == 9:
        return (-rng.randrange(1, 33)) & MASK64
    if kind == 10:
        return rng.getrandbits(64) & rng.getrandbits(64) & rng.getrandbits(64)
    return rng.getrandbits(64) | rng.getrandbits(64) | rng.getrandbits(64)


def bitmask_imm(rng, width):
    """A random valid logical immediate: a rotated run of ones, replicated (Arm ARM DecodeBitMasks)."""
    esize = rng.choice([e for e in (2, 4, 8, 16, 32, 64) if e <= width])
    ones = rng.randrange(1, esize)
    rot = rng.randrange(esize)
    elt = (1 << ones) - 1
    elt = ((elt >> rot) | (elt << (esize - rot))) & ((1 << esize) - 1)
    value = 0
    for i in range(0, width, esize):
        value |= elt << i
    return value


# --- SIMD&FP register values ------------------------------------------------------

class FpFormat:
    """An IEEE 754 binary format: field widths and the encodings the edge values need."""

    def __init__(self, width, ebits):
        self.width = width
        self.ebits = ebits
        self.mbits = width - 1 - ebits
        self.bias = (1 << (ebits - 1)) - 1
        self.exp_all = (1 << ebits) - 1
        self.sign = 1 << (width - 1)
        self.mask = (1 << width) - 1
        self.frac_mask = (1 << self.mbits) - 1
        self.quiet = 1 << (self.mbits - 1)  # the quiet bit of a NaN's fraction

    def pack(self, exp_field, frac, negative=False):
        return (self.sign if negative else 0) | (exp_field << self.mbits) | frac

    def scaled(self, m, e, negative=False):
        """The encoding of m * 2**e for an integer m > 0 with m exactly representable; None if not."""
        top = m.bit_length() - 1
        if top > self.mbits:
            return None
        exp_field = top + e + self.bias
        if exp_field >= self.exp_all:
            return None
        if exp_field >= 1:
            return self.pack(exp_field, (m - (1 << top)) << (self.mbits - top), negative)
        shift = 1 - self.bias - self.mbits - e  # a denormal: m * 2**e = frac * 2**(1 - bias - mbits)
        if shift > 0:
            return None
        return self.pack(0, m << -shift, negative)


F16 = FpFormat(16, 5)
F32 = FpFormat(32, 8)
F64 = FpFormat(64, 11)

# Integer-conversion boundaries: raw 32- and 64-bit integers around 2^31, 2^32, 2^63, 2^64.
INT_EDGES_32 = [0x7FFFFFFF, 0x80000000, 0x80000001, 0x7FFFFFFE, 0xFFFFFFFF, 0xFFFFFFFE,
                0x00010000, 0x0000FFFF, 0x00FFFFFF, 0x01000000, 0x01000001]
INT_EDGES_64 = [(1 << 63) - 1, 1 << 63, (1 << 63) + 1, MASK64, MASK64 - 1, 0x7FFFFFFF, 0x80000000,
                0xFFFFFFFF, 0x100000000, 0x100000001, 0xFFFFFFFF80000000, 0xFFFFFFFF7FFFFFFF,
                0x001FFFFFFFFFFFFF, 0x0020000000000000, 0x0020000000000001, 0xFFE0000000000000]
# Exponents whose powers of two, and the values one ulp around them, matter to
# conversions: the integer boundaries, the edges of the narrower formats' ranges.
EDGE_EXPONENTS = [0, 1, -1, 15, 16, 31, 32, 63, 64, -14, -24, -126, -149, 127, 128,
                  -1022, 1023, 24, 53, 52, 23, 10, 11]
HALF_SPECIALS = [0x0000, 0x8000, 0x7C00, 0xFC00, 0x7E00, 0xFE00, 0x7C01, 0x7D55, 0x0001, 0x8001,
                 0x03FF, 0x0400, 0x7BFF, 0xFBFF, 0x3C00, 0xBC00, 0x3800, 0x3BFF, 0x3C01, 0x4000]


def fp_special(rng, f):
    """±0, ±inf, a quiet or signalling NaN with a random payload, or an extreme finite value."""
    neg = rng.random() < 0.5
    kind = rng.randrange(9)
    if kind == 0:
        return f.pack(0, 0, neg)
    if kind == 1:
        return f.pack(f.exp_all, 0, neg)
    if kind == 2:
        payload = rng.choice([0, 1, rng.getrandbits(f.mbits - 1)])
        return f.pack(f.exp_all, f.quiet | payload, neg)
    if kind == 3:
        payload = rng.choice([1, f.quiet - 1, rng.getrandbits(f.mbits - 1) or 1])
        return f.pack(f.exp_all, payload, neg)
    if kind == 4:
        return f.pack(0, rng.choice([1, f.frac_mask, rng.getrandbits(f.mbits) or 1]), neg)
    if kind == 5:
        return f.pack(1, rng.choice([0, 0, rng.getrandbits(f.mbits)]), neg)
    if kind == 6:
        return f.pack(f.exp_all - 1, rng.choice([f.frac_mask, f.frac_mask, rng.getrandbits(f.mbits)]), neg)
    if kind == 7:
        return f.pack(f.bias, 0, neg)  # ±1.0
    return f.pack(f.exp_all - 1, f.frac_mask, neg) if rng.random() < 0.5 else f.pack(0, f.frac_mask, neg)


def fp_pow2_ulp(rng, f):
    """A power of two, or one ulp (or two) above or below it: the values rounding and conversions get wrong."""
    e = rng.choice(EDGE_EXPONENTS) if rng.random() < 0.6 else rng.randrange(-f.bias - f.mbits, f.bias + 2)
    bits = f.scaled(1, e, rng.random() < 0.4)
    if bits is None:
        bits = f.pack(f.bias, 0)
    step = rng.choice([0, 1, -1, 1, -1, 2, -2])
    mag = (bits & ~f.sign) + step
    if mag < 0 or mag >= f.pack(f.exp_all, 0):
        mag = bits & ~f.sign
    return (bits & f.sign) | mag


def fp_halfway(rng, f, narrow):
    """A value of f exactly halfway between two adjacent values of the narrower format,
    so that converting it rounds a tie (or one ulp of f off it, just not a tie)."""
    exp_field = rng.choice([0, 1, narrow.exp_all - 1, rng.randrange(narrow.exp_all),
                            rng.randrange(narrow.exp_all), narrow.bias])
    frac = rng.getrandbits(narrow.mbits)
    if exp_field == narrow.exp_all - 1 and frac == narrow.frac_mask:
        frac -= 1  # halfway to infinity is not between two finite values; keep below it
    if exp_field:
        m = (((1 << narrow.mbits) | frac) << 1) | 1
        e = exp_field - narrow.bias - narrow.mbits - 1
    else:
        m = (frac << 1) | 1
        e = 1 - narrow.bias - narrow.mbits - 1
    bits = f.scaled(m, e, rng.random() < 0.5)
    assert bits is not None
    return (bits + rng.choice([0, 0, 0, 1, -1])) & f.mask


def fp_half_integer(rng, f):
    """k + 0.5 (a tie for the float-to-integer conversions and FRINT*), k near 0 or near 2^n."""
    if rng.random() < 0.5:
        k = rng.randrange(8)
    else:
        n = rng.randrange(1, f.mbits)
        k = (1 << n) + rng.choice([-1, 0, 1, -2])
    bits = f.scaled(2 * k + 1, -1, rng.random() < 0.5)
    return bits if bits is not None else f.pack(f.bias - 1, 0)


def fp_int_value(rng, f):
    """An integer's encoding in f: small, or near a boundary of the integer conversions."""
    if rng.random() < 0.6:
        n = rng.randrange(17)
    else:
        n = rng.choice([(1 << 31) - 1, 1 << 31, (1 << 32) - 1, 1 << 32, (1 << 24) + 1, (1 << 53) + 1,
                        (1 << 63) - 1, 1 << 63, (1 << 64) - 1, 1 << 64, 255, 256, 65535, 65536])
        shift = max(0, n.bit_length() - 1 - f.mbits)
        n >>= shift  # what the conversion gives, truncated to the format's precision
        return f.scaled(n, shift, rng.random() < 0.5) if n else 0
    if n == 0:
        return f.pack(0, 0, rng.random() < 0.5)
    return f.scaled(n, 0, rng.random() < 0.5)


def fp_lane(rng, width, earlier):
    """One 32- or 64-bit lane of a V register, edge-biased; earlier holds lanes already chosen
    (of this width) so that operands are sometimes equal."""
    f = F32 if width == 32 else F64
    kind = rng.randrange(32)
    if kind < 7:
        v = fp_special(rng, f)
    elif kind < 11:
        v = fp_pow2_ulp(rng, f)
    elif kind < 14:
        v = fp_halfway(rng, f, F16 if width == 32 else F32)
    elif kind < 16:
        v = fp_half_integer(rng, f)
    elif kind < 19:
        v = fp_int_value(rng, f)
    elif kind < 21:
        v = rng.choice(INT_EDGES_32 if width == 32 else INT_EDGES_64)
    elif kind < 22:
        v = rng.choice([rng.randrange(17), (-rng.randrange(1, 17)) & ((1 << width) - 1)])
    elif kind < 24:
        v = 0
        for i in range(width // 16):
            v |= (rng.choice(HALF_SPECIALS) if rng.random() < 0.7 else rng.getrandbits(16)) << (16 * i)
    elif kind < 26 and earlier:
        v = rng.choice(earlier)
    else:
        v = rng.getrandbits(width)
    earlier.append(v)
    return v


LANE_POOL = 1024  # edge values per lane width drawn for each chunk (a power of two)


def lane_pools(rng):
    """Per lane width (32, 64), LANE_POOL edge-biased lanes for the chunk's V registers.

    Drawing lanes from a pool is several times faster than building each one,
    and a value that recurs in a case gives instructions equal operands."""
    pools = {}
    for width in (32, 64):
        earlier = []
        pools[width] = [fp_lane(rng, width, earlier) for _ in range(LANE_POOL)]
    return pools


def rand_vregs(rng, pools):
    """V0-V31 as 128-bit integers: each 64-bit half one double or two singles from pools."""
    p32, p64 = pools[32], pools[64]
    bits = LANE_POOL.bit_length() - 1
    regs = []
    for _ in range(32):
        v = 0
        for shift in (0, 64):
            if rng.getrandbits(1):
                v |= p64[rng.getrandbits(bits)] << shift
            else:
                v |= (p32[rng.getrandbits(bits)] | p32[rng.getrandbits(bits)] << 32) << shift
        regs.append(v)
    return regs


def rand_fpcr(rng):
    """A random rounding mode; FZ, DN and AHP each set with probability 1/4."""
    v = rng.randrange(4) << FPCR_RMODE_SHIFT
    for bit in (FPCR_FZ, FPCR_DN, FPCR_AHP):
        if rng.random() < 0.25:
            v |= bit
    return v


class Case:
    """One test case being generated: its lines, labels, literal pool and register rules."""

    def __init__(self, rng, index, reserved=()):
        self.rng = rng
        self.index = index
        self.label = "c%d" % index
        self.lines = []
        self.pool = []
        self.insns = 0
        self.reserved = set(reserved)
        self.locked = set()
        self.recent = []  # buffer offsets accessed so far, reused so that accesses overlap

    # --- output -------------------------------------------------------------

    def emit(self, *lines):
        for line in lines:
            self.lines.append("\t" + line)
            self.insns += 1

    def local(self, n):
        return ".L%s_%d" % (self.label, n)

    # --- registers ----------------------------------------------------------

    def _pool(self, avoid=()):
        bad = {18} | self.reserved | self.locked | set(avoid)
        return [r for r in range(31) if r not in bad]

    def dst(self, avoid=(), zr=0.0):
        """A destination register number (31 = ZR when the encoding means ZR there)."""
        if zr and 31 not in avoid and self.rng.random() < zr:
            return 31
        return self.rng.choice(self._pool(avoid))

    def src(self, avoid=(), zr=0.04):
        """A source register number: any but X18; reserved registers may be read."""
        if zr and self.rng.random() < zr:
            return 31
        bad = {18} | set(avoid)
        return self.rng.choice([r for r in range(31) if r not in bad])

    def writable(self, r):
        return r != 31 and r not in ({18} | self.reserved | self.locked)

    def sf(self):
        return self.rng.random() < 0.6


def reg(n, sf):
    if n == 31:
        return "xzr" if sf else "wzr"
    return ("x%d" if sf else "w%d") % n


def imm(v):
    return "#0x%x" % v


# --- data processing, immediate ------------------------------------------------

def op_addsub_imm(c):
    sf = c.sf()
    op = c.rng.choice(["add", "adds", "sub", "subs"])
    # Rd == 31 is SP for ADD/SUB and ZR (CMP/CMN) for the flag-setting forms; Rn == 31 is SP.
    rd = c.dst(zr=0.15 if op.endswith("s") else 0)
    rn = c.src(zr=0)
    val = c.rng.choice([0, 1, 0xFFF, 0x800, c.rng.randrange(4096), c.rng.randrange(4096)])
    shift = ", lsl #12" if c.rng.random() < 0.3 else ""
    c.emit("%s %s, %s, %s%s" % (op, reg(rd, sf), reg(rn, sf), imm(val), shift))


def op_logical_imm(c):
    sf = c.sf()
    op = c.rng.choice(["and", "orr", "eor", "ands"])
    rd = c.dst(zr=0.15 if op == "ands" else 0)  # 31 is SP except for ANDS
    rn = c.src(zr=0.1)
    c.emit("%s %s, %s, %s" % (op, reg(rd, sf), reg(rn, sf), imm(bitmask_imm(c.rng, 64 if sf else 32))))


def op_movewide(c):
    sf = c.sf()
    rd = c.dst()
    r = c.rng.random()
    if r < 0.15:
        # The MOV alias: gas picks MOVZ, MOVN or ORR (bitmask) for the value.
        width = 64 if sf else 32
        v = bitmask_imm(c.rng, width) if c.rng.random() < 0.5 else (c.rng.getrandbits(16) << (16 * c.rng.randrange(width // 16)))
        c.emit("mov %s, %s" % (reg(rd, sf), imm(v)))
        return
    op = c.rng.choice(["movz", "movn", "movk", "movk"])
    hw = c.rng.randrange(4 if sf else 2)
    v = c.rng.choice([0, 0xFFFF, 0x8000, 1, c.rng.getrandbits(16), c.rng.getrandbits(16)])
    c.emit("%s %s, %s, lsl #%d" % (op, reg(rd, sf), imm(v), 16 * hw))


def op_bitfield(c):
    sf = c.sf()
    w = 64 if sf else 32
    rd = c.dst()
    rn = c.src(zr=0.05)
    kind = c.rng.randrange(8)
    if kind <= 1:
        op = c.rng.choice(["sbfm", "bfm", "ubfm"])
        c.emit("%s %s, %s, #%d, #%d" % (op, reg(rd, sf), reg(rn, sf), c.rng.randrange(w), c.rng.randrange(w)))
    elif kind == 2:
        op = c.rng.choice(["asr", "lsr", "lsl"])
        c.emit("%s %s, %s, #%d" % (op, reg(rd, sf), reg(rn, sf), c.rng.randrange(w)))
    elif kind == 3:
        op = c.rng.choice(["sxtb", "sxth", "uxtb", "uxth"] + (["sxtw"] if sf else []))
        dsf = sf and op.startswith("s")  # UXTB/UXTH only exist with a W destination
        c.emit("%s %s, %s" % (op, reg(rd, dsf), reg(rn, False)))
    elif kind <= 6:
        op = c.rng.choice(["sbfx", "ubfx", "bfxil", "sbfiz", "ubfiz", "bfi"])
        lsb = c.rng.randrange(w)
        width = c.rng.randrange(1, w - lsb + 1)
        c.emit("%s %s, %s, #%d, #%d" % (op, reg(rd, sf), reg(rn, sf), lsb, width))
    else:
        # BFC (BFM with Rn == ZR), written as BFM: gas knows the BFC name only from Armv8.2.
        c.emit("bfm %s, %s, #%d, #%d" % (reg(rd, sf), reg(31, sf), c.rng.randrange(w), c.rng.randrange(w)))


def op_extr(c):
    sf = c.sf()
    w = 64 if sf else 32
    rd, rn, rm = c.dst(), c.src(), c.src()
    if c.rng.random() < 0.3:
        c.emit("ror %s, %s, #%d" % (reg(rd, sf), reg(rn, sf), c.rng.randrange(w)))
    else:
        c.emit("extr %s, %s, %s, #%d" % (reg(rd, sf), reg(rn, sf), reg(rm, sf), c.rng.randrange(w)))


def op_adr(c):
    # Both builds link the case at the same address, so PC-relative results agree.
    rd = c.dst()
    if c.rng.random() < 0.5:
        off = c.rng.randrange(-(1 << 20), 1 << 20)
        c.emit("adr %s, . %s %d" % (reg(rd, True), "-" if off < 0 else "+", abs(off)))
    else:
        off = c.rng.randrange(-0x30000000, 0x30000000)
        c.emit("adrp %s, . %s 0x%x" % (reg(rd, True), "-" if off < 0 else "+", abs(off)))


def op_sp(c):
    """Deliberate SP forms: read SP, or move it down and back up (SP stays 16-byte aligned)."""
    rd = c.dst()
    kind = c.rng.randrange(9)
    if kind == 0:
        c.emit("mov %s, sp" % reg(rd, True))
    elif kind == 1:
        op = c.rng.choice(["add", "sub", "adds", "subs"])
        sf = c.sf()
        c.emit("%s %s, %s, %s" % (op, reg(rd, sf), "sp" if sf else "wsp", imm(c.rng.randrange(4096))))
    elif kind == 2:
        op = c.rng.choice(["add", "sub", "adds", "subs"])
        rm = c.src()
        ext = c.rng.choice(["uxtw", "sxtw", "uxtx", "sxtx", "uxtb", "sxth"])
        rm_name = reg(rm, ext.endswith("x"))
        c.emit("%s %s, sp, %s, %s #%d" % (op, reg(rd, True), rm_name, ext, c.rng.randrange(5)))
    elif kind == 3:
        c.emit("cmp sp, %s" % imm(c.rng.randrange(4096)))
    elif kind == 4:
        c.emit("cmn sp, %s" % reg(c.src(), True))
    elif kind == 5:
        n = 16 * c.rng.randrange(1, 256)
        c.emit("sub sp, sp, %s" % imm(n),
               "add %s, sp, %s" % (reg(rd, True), imm(c.rng.randrange(4096))),
               "add sp, sp, %s" % imm(n))
    elif kind == 6:
        op = c.rng.choice(["add", "sub", "adds", "subs"])
        ext = c.rng.choice(["uxtw", "sxtw", "uxtb", "sxth", "uxtx"])
        c.emit("%s %s, wsp, %s, %s #%d" % (op, reg(rd, False), reg(c.src(), False), ext, c.rng.randrange(5)))
    elif kind == 7:
        # SP written from a general register: MOV (to SP), then SUB (extended) with SP as Rd.
        rt = c.dst(avoid=[rd])
        n = 16 * c.rng.randrange(1, 256)
        c.emit("mov %s, sp" % reg(rt, True), "sub sp, %s, %s" % (reg(rt, True), imm(n)),
               "add %s, sp, #8" % reg(rd, True), "mov %s, %s" % (reg(rd, True), imm(n)),
               "add sp, sp, %s, uxtx" % reg(rd, True), "cmp sp, %s" % reg(rt, True))
    else:
        # AND (immediate) with SP as Rd: SP is 16-byte aligned, so clearing bits 3:0 keeps it.
        rt = c.dst()
        c.emit("mov %s, sp" % reg(rt, True), "and sp, %s, #0xfffffffffffffff0" % reg(rt, True))


DP_IMM = [(op_addsub_imm, 6), (op_logical_imm, 6), (op_movewide, 4), (op_bitfield, 7),
          (op_extr, 3), (op_adr, 1), (op_sp, 1)]


# --- data processing, register ------------------------------------------------

def op_logical_reg(c):
    sf = c.sf()
    w = 64 if sf else 32
    op = c.rng.choice(["and", "bic", "orr", "orn", "eor", "eon", "ands", "bics"])
    rd, rn, rm = c.dst(zr=0.1), c.src(zr=0.1), c.src()
    shift = c.rng.choice(["lsl", "lsr", "asr", "ror"])
    c.emit("%s %s, %s, %s, %s #%d" % (op, reg(rd, sf), reg(rn, sf), reg(rm, sf), shift, c.rng.randrange(w)))


def op_addsub_shifted(c):
    sf = c.sf()
    w = 64 if sf else 32
    op = c.rng.choice(["add", "adds", "sub", "subs"])
    rd, rn, rm = c.dst(zr=0.1), c.src(zr=0.1), c.src()
    shift = c.rng.choice(["lsl", "lsr", "asr"])
    amount = c.rng.choice([0, c.rng.randrange(w)])
    c.emit("%s %s, %s, %s, %s #%d" % (op, reg(rd, sf), reg(rn, sf), reg(rm, sf), shift, amount))


def op_addsub_ext(c):
    sf = c.sf()
    op = c.rng.choice(["add", "adds", "sub", "subs"])
    rd = c.dst(zr=0.1 if op.endswith("s") else 0)  # 31 is SP for ADD/SUB (extended)
    rn = c.src(zr=0)  # 31 is SP
    rm = c.src()
    ext = c.rng.choice(["uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"])
    rm_sf = sf and ext.endswith("x")
    c.emit("%s %s, %s, %s, %s #%d" % (op, reg(rd, sf), reg(rn, sf), reg(rm, rm_sf), ext, c.rng.randrange(5)))


def op_adc(c):
    sf = c.sf()
    op = c.rng.choice(["adc", "adcs", "sbc", "sbcs", "ngc", "ngcs"])
    rd, rn, rm = c.dst(zr=0.05), c.src(), c.src()
    if op.startswith("ngc"):
        c.emit("%s %s, %s" % (op, reg(rd, sf), reg(rm, sf)))
    else:
        c.emit("%s %s, %s, %s" % (op, reg(rd, sf), reg(rn, sf), reg(rm, sf)))


def op_ccmp(c):
    sf = c.sf()
    op = c.rng.choice(["ccmp", "ccmn"])
    rn = c.src()
    nzcv = c.rng.randrange(16)
    cond = c.rng.choice(CONDS)
    if c.rng.random() < 0.5:
        c.emit("%s %s, %s, #%d, %s" % (op, reg(rn, sf), reg(c.src(), sf), nzcv, cond))
    else:
        c.emit("%s %s, #%d, #%d, %s" % (op, reg(rn, sf), c.rng.randrange(32), nzcv, cond))


def op_csel(c):
    sf = c.sf()
    rd, rn, rm = c.dst(zr=0.03), c.src(), c.src()
    kind = c.rng.randrange(3)
    if kind == 0:
        op = c.rng.choice(["csel", "csinc", "csinv", "csneg"])
        c.emit("%s %s, %s, %s, %s" % (op, reg(rd, sf), reg(rn, sf), reg(rm, sf), c.rng.choice(CONDS)))
    elif kind == 1:
        op = c.rng.choice(["cset", "csetm"])
        c.emit("%s %s, %s" % (op, reg(rd, sf), c.rng.choice(CONDS_NO_AL)))
    else:
        op = c.rng.choice(["cinc", "cinv", "cneg"])
        c.emit("%s %s, %s, %s" % (op, reg(rd, sf), reg(rn, sf), c.rng.choice(CONDS_NO_AL)))


def op_dp1(c):
    sf = c.sf()
    ops = ["rbit", "rev16", "rev", "clz", "cls"] + (["rev32"] if sf else [])
    c.emit("%s %s, %s" % (c.rng.choice(ops), reg(c.dst(), sf), reg(c.src(), sf)))


def op_div(c):
    sf = c.sf()
    op = c.rng.choice(["udiv", "sdiv"])
    rd, rn = c.dst(), c.src(zr=0)
    rm = c.src(avoid=[rn], zr=0.02)
    special = c.rng.randrange(6)
    if special == 0 and c.writable(rm):
        c.emit("mov %s, #0" % reg(rm, sf))
    elif special == 1 and c.writable(rn) and c.writable(rm):
        # The one signed overflow: INT_MIN / -1 gives INT_MIN (Arm ARM: SDIV rounds toward zero, no trap).
        c.emit("mov %s, %s" % (reg(rn, sf), imm(1 << (63 if sf else 31))), "mov %s, #-1" % reg(rm, sf))
    c.emit("%s %s, %s, %s" % (op, reg(rd, sf), reg(rn, sf), reg(rm, sf)))


def op_shiftv(c):
    sf = c.sf()
    op = c.rng.choice(["lslv", "lsrv", "asrv", "rorv", "lsl", "lsr", "asr", "ror"])
    c.emit("%s %s, %s, %s" % (op, reg(c.dst(), sf), reg(c.src(), sf), reg(c.src(), sf)))


def op_crc(c):
    op = c.rng.choice(["crc32b", "crc32h", "crc32w", "crc32x", "crc32cb", "crc32ch", "crc32cw", "crc32cx"])
    c.emit("%s %s, %s, %s" % (op, reg(c.dst(), False), reg(c.src(), False), reg(c.src(), op.endswith("x"))))


def op_mul(c):
    kind = c.rng.randrange(4)
    rd, rn, rm, ra = c.dst(zr=0.02), c.src(), c.src(), c.src(zr=0.2)
    if kind == 0:
        sf = c.sf()
        op = c.rng.choice(["madd", "msub"])
        c.emit("%s %s, %s, %s, %s" % (op, reg(rd, sf), reg(rn, sf), reg(rm, sf), reg(ra, sf)))
    elif kind == 1:
        op = c.rng.choice(["smaddl", "smsubl", "umaddl", "umsubl"])
        c.emit("%s %s, %s, %s, %s" % (op, reg(rd, True), reg(rn, False), reg(rm, False), reg(ra, True)))
    elif kind == 2:
        op = c.rng.choice(["mul", "mneg", "smull", "umull", "smnegl", "umnegl"])
        long_form = op in ("smull", "umull", "smnegl", "umnegl")
        sf = True if long_form else c.sf()
        c.emit("%s %s, %s, %s" % (op, reg(rd, sf), reg(rn, sf and not long_form), reg(rm, sf and not long_form)))
    else:
        op = c.rng.choice(["smulh", "umulh"])
        c.emit("%s %s, %s, %s" % (op, reg(rd, True), reg(rn, True), reg(rm, True)))


def op_nzcv(c):
    if c.rng.random() < 0.5:
        c.emit("mrs %s, nzcv" % reg(c.dst(), True))
    else:
        c.emit("msr nzcv, %s" % reg(c.src(), True))


DP_REG = [(op_logical_reg, 5), (op_addsub_shifted, 5), (op_addsub_ext, 4), (op_adc, 3),
          (op_ccmp, 3), (op_csel, 4), (op_dp1, 3), (op_div, 3), (op_shiftv, 3), (op_crc, 2),
          (op_mul, 4), (op_nzcv, 1), (op_sp, 1)]

# Register-only ALU operations used as filler by the other groups (no SP forms).
ALU = [(f, w) for f, w in DP_IMM + DP_REG if f not in (op_sp, op_adr)]


def pick(rng, table):
    total = sum(w for _, w in table)
    x = rng.randrange(total)
    for f, w in table:
        if x < w:
            return f
        x -= w
    raise AssertionError("unreachable")


# --- branches -------------------------------------------------------------------

def gen_branch_case(c, length):
    """Straight-line ALU code with forward branches to labels inside the case."""
    flag_setters = [(op_addsub_imm, 3), (op_addsub_shifted, 2), (op_ccmp, 2), (op_logical_reg, 1),
                    (op_nzcv, 1), (op_adc, 1)]
    targets = {}
    for slot in range(length):
        for lbl in targets.pop(slot, []):
            c.lines.append("%s:" % lbl)
        r = c.rng.random()
        if r < 0.45:
            pick(c.rng, ALU if c.rng.random() < 0.5 else flag_setters)(c)
            continue
        dest = min(length, slot + c.rng.randrange(1, 9))
        lbl = c.local(dest)
        if lbl not in targets.setdefault(dest, []):
            targets[dest].append(lbl)
        emit_branch(c, lbl)
    for lbl in targets.pop(length, []):
        c.lines.append("%s:" % lbl)
    assert not targets


def emit_branch(c, lbl):
    kind = c.rng.randrange(20)
    if kind < 7:
        c.emit("b.%s %s" % (c.rng.choice(CONDS), lbl))
    elif kind < 11:
        sf = c.sf()
        c.emit("%s %s, %s" % (c.rng.choice(["cbz", "cbnz"]), reg(c.src(), sf), lbl))
    elif kind < 16:
        bit = c.rng.randrange(64)
        c.emit("%s %s, #%d, %s" % (c.rng.choice(["tbz", "tbnz"]), reg(c.src(), bit >= 32), bit, lbl))
    elif kind == 16:
        c.emit("b %s" % lbl)
    elif kind == 17:
        c.emit("bl %s" % lbl)
    else:
        rt = c.dst()
        how = c.rng.choice(["br", "blr", "ret"])
        c.emit("adr %s, %s" % (reg(rt, True), lbl), "%s %s" % (how, reg(rt, True)))


# --- loads and stores --------------------------------------------------------------

# (mnemonic, access bytes, register is X, is a load)
LOADS = [("ldrb", 1, False), ("ldrh", 2, False), ("ldr", 4, False), ("ldr", 8, True),
         ("ldrsb", 1, False), ("ldrsb", 1, True), ("ldrsh", 2, False), ("ldrsh", 2, True),
         ("ldrsw", 4, True)]
STORES = [("strb", 1, False), ("strh", 2, False), ("str", 4, False), ("str", 8, True)]
UNSCALED = {"ldrb": "ldurb", "ldrh": "ldurh", "ldr": "ldur", "ldrsb": "ldursb",
            "ldrsh": "ldursh", "ldrsw": "ldursw", "strb": "sturb", "strh": "sturh", "str": "stur"}
# LDTR/STTR: unprivileged forms, the same as LDUR/STUR at EL0 and, with the MMU off, at EL1.
UNPRIV = {"ldrb": "ldtrb", "ldrh": "ldtrh", "ldr": "ldtr", "ldrsb": "ldtrsb", "ldrsh": "ldtrsh",
          "ldrsw": "ldtrsw", "strb": "sttrb", "strh": "sttrh", "str": "sttr"}


def log2(n):
    return n.bit_length() - 1


def set_base(c, rb, offset):
    """Make Xrb = diff_buffer + offset with one ADD or SUB from X28."""
    assert -4095 <= offset <= 4095
    if offset >= 0:
        c.emit("add %s, x%d, %s" % (reg(rb, True), BUFFER_REG, imm(offset)))
    else:
        c.emit("sub %s, x%d, %s" % (reg(rb, True), BUFFER_REG, imm(-offset)))


def set_const(c, r, value):
    """Put a 64-bit constant in Xr with MOVZ and MOVK (the high halves may be left as garbage)."""
    c.emit("movz %s, %s" % (reg(r, True), imm(value & 0xFFFF)))
    for hw in range(1, 4):
        part = (value >> (16 * hw)) & 0xFFFF
        if part:
            c.emit("movk %s, %s, lsl #%d" % (reg(r, True), imm(part), 16 * hw))


def aligned_addr(c, size, span=None):
    """A buffer offset aligned to size with span bytes available from it, often one used before."""
    span = span or size
    addr = None
    if c.recent and c.rng.random() < 0.4:
        addr = c.rng.choice(c.recent) & ~(size - 1)
        if addr + span > BUFFER_BYTES:
            addr = None
    if addr is None:
        addr = size * c.rng.randrange((BUFFER_BYTES - span) // size + 1)
    c.recent.append(addr)
    return addr


def op_mem(c):
    kind = c.rng.randrange(20)
    if kind < 12:
        op_mem_single(c)
    elif kind < 17:
        op_mem_pair(c)
    elif kind < 19:
        op_stack(c)
    else:
        op_prfm(c)


def op_stack(c):
    """Deliberate SP-based accesses below the trampoline's frame; SP ends where it started.

    Every load reads exactly the bytes the store before it wrote: the stack
    below SP holds whatever the harness left there, which differs between
    the two builds' output routines.
    """
    kind = c.rng.randrange(3)
    if kind == 0:
        c.emit("str %s, [sp, #-16]!" % reg(c.src(), True), "ldr %s, [sp], #16" % reg(c.dst(zr=0.05), True))
    elif kind == 1:
        sf = c.sf()
        rt = c.dst()
        rt2 = c.dst(avoid=[rt])
        c.emit("stp %s, %s, [sp, #-16]!" % (reg(c.src(), sf), reg(c.src(), sf)),
               "ldp %s, %s, [sp], #16" % (reg(rt, sf), reg(rt2, sf)))
    else:
        frame = 16 * c.rng.randrange(1, 65)
        store, size, sf = c.rng.choice(STORES)
        loads = [l for l in LOADS if l[1] == size]
        load, _, lsf = c.rng.choice(loads)
        off = size * c.rng.randrange(frame // size)
        c.emit("sub sp, sp, %s" % imm(frame),
               "%s %s, [sp, %s]" % (store, reg(c.src(), sf), imm(off)),
               "%s %s, [sp, %s]" % (load, reg(c.dst(), lsf), imm(off)),
               "add sp, sp, %s" % imm(frame))


def op_mem_single(c):
    name, size, sf = c.rng.choice(LOADS + STORES)
    load = name.startswith("ld")
    mode = c.rng.choice(["uoff", "uoff", "unscaled", "pre", "post", "reg", "reg", "literal", "unpriv"])
    if mode == "literal" and not (load and name in ("ldr", "ldrsw")):
        mode = "uoff"
    if mode == "literal":
        op_literal(c, name, size, sf)
        return
    rb = c.dst()
    rt = c.dst(avoid=[rb] if mode in ("pre", "post") else [], zr=0.05) if load else c.src(avoid=[rb] if mode in ("pre", "post") else [])
    addr = aligned_addr(c, size)
    rt_name = reg(rt, sf)
    if mode == "uoff":
        off = size * c.rng.randrange(addr // size + 1)
        if c.rng.random() < 0.3:
            off = 0
        set_base(c, rb, addr - off)
        c.emit("%s %s, [%s, %s]" % (name, rt_name, reg(rb, True), imm(off)))
    elif mode in ("unscaled", "pre", "unpriv"):
        off = c.rng.randrange(max(-256, addr - 4095), 256)
        set_base(c, rb, addr - off)
        if mode == "pre":
            c.emit("%s %s, [%s, #%d]!" % (name, rt_name, reg(rb, True), off))
        else:
            table = UNSCALED if mode == "unscaled" else UNPRIV
            c.emit("%s %s, [%s, #%d]" % (table[name], rt_name, reg(rb, True), off))
    elif mode == "post":
        set_base(c, rb, addr)
        c.emit("%s %s, [%s], #%d" % (name, rt_name, reg(rb, True), c.rng.randrange(-256, 256)))
    else:
        op_mem_regoff(c, name, size, rt_name, rb, addr)


def op_mem_regoff(c, name, size, rt_name, rb, addr):
    """Register offset: [Xn, Xm{, LSL|SXTX #s}] or [Xn, Wm, UXTW|SXTW {#s}]."""
    ri = c.dst(avoid=[rb])
    ext = c.rng.choice(["lsl", "uxtw", "sxtw", "sxtx"])
    s = c.rng.choice([0, log2(size)])
    amount = "" if (ext == "lsl" and s == 0 and c.rng.random() < 0.5) else " #%d" % s
    if ext == "lsl" and amount == " #0" and size != 1:
        amount = ""  # only the byte forms take an explicit LSL #0
    if ext == "uxtw":
        index = c.rng.randrange((addr >> s) + 1)
    else:
        index = c.rng.randrange(-((BUFFER_BYTES - addr) >> s) + 1, (addr >> s) + 1)
    base = addr - (index << s)
    # UXTW and SXTW ignore the index register's top half: fill it with garbage to prove it.
    top = c.rng.getrandbits(32) << 32 if ext in ("uxtw", "sxtw") else 0
    set_const(c, ri, (index & (MASK32 if ext in ("uxtw", "sxtw") else MASK64)) | top)
    set_base(c, rb, base)
    ri_name = reg(ri, ext in ("lsl", "sxtx"))
    if ext == "lsl" and not amount:
        c.emit("%s %s, [%s, %s]" % (name, rt_name, reg(rb, True), ri_name))
    else:
        c.emit("%s %s, [%s, %s, %s%s]" % (name, rt_name, reg(rb, True), ri_name, ext, amount))


def op_literal(c, name, size, sf):
    """LDR/LDRSW (literal) from the case's constant pool, after its last instruction, or
    backwards from the case's own first instructions (write_chunk aligns each case to 8)."""
    if c.rng.random() < 0.25:
        off = size * c.rng.randrange(2 if size == 8 else 4)
        c.emit("%s %s, %s + %d" % (name, reg(c.dst(zr=0.03), sf), c.label, off))
        return
    n = len(c.pool)
    c.pool.append(c.rng.choice([rand_value(c.rng), c.rng.getrandbits(64)]))
    half = 4 * c.rng.randrange(2) if size == 4 else 0
    lbl = ".Lp%s_%d" % (c.label, n)
    target = lbl if not half else "%s + 4" % lbl
    c.emit("%s %s, %s" % (name, reg(c.dst(zr=0.03), sf), target))


def op_mem_pair(c):
    kind = c.rng.choice(["ldp_w", "ldp_x", "ldpsw", "stp_w", "stp_x", "ldnp_w", "ldnp_x", "stnp_w", "stnp_x"])
    op, _, width = kind.partition("_")
    size = 8 if width == "x" or op == "ldpsw" else 4
    sf = width == "x" or op == "ldpsw"
    esize = 4 if op == "ldpsw" else size
    load = op.startswith("ld")
    nt = "np" in op
    mode = "off" if nt else c.rng.choice(["off", "off", "pre", "post"])
    rb = c.dst()
    wb = [rb] if mode != "off" else []
    if load:
        rt = c.dst(avoid=wb, zr=0.03)
        rt2 = c.dst(avoid=wb + [rt], zr=0.03)
    else:
        rt = c.src(avoid=wb)
        rt2 = c.src(avoid=wb)
    addr = aligned_addr(c, esize, 2 * esize)
    off = esize * c.rng.randrange(-64, 64)
    if mode == "post":
        set_base(c, rb, addr)
        c.emit("%s %s, %s, [%s], #%d" % (op, reg(rt, sf), reg(rt2, sf), reg(rb, True), off))
        return
    if abs(addr - off) > 4095:
        off = 0
    set_base(c, rb, addr - off)
    c.emit("%s %s, %s, [%s, #%d]%s" % (op, reg(rt, sf), reg(rt2, sf), reg(rb, True), off, "!" if mode == "pre" else ""))


def op_prfm(c):
    rb = c.dst()
    prfop = c.rng.choice(["pldl1keep", "pldl2strm", "pstl1keep", "plil3keep", "pstl3strm"])
    r = c.rng.random()
    if r < 0.2:
        c.emit("prfm %s, %s" % (prfop, c.label))  # PRFM (literal)
        return
    if r < 0.4:
        ri = c.dst(avoid=[rb])
        c.emit("mov %s, %s" % (reg(ri, True), imm(c.rng.randrange(512))))
        set_base(c, rb, aligned_addr(c, 8))
        ext = c.rng.choice(["lsl #3", "uxtw #3", "sxtw", "sxtx #0"])
        c.emit("prfm %s, [%s, %s, %s]" % (prfop, reg(rb, True), reg(ri, not ext.startswith(("uxtw", "sxtw"))), ext))
        return
    set_base(c, rb, aligned_addr(c, 8))
    if c.rng.random() < 0.5:
        c.emit("prfm %s, [%s, %s]" % (prfop, reg(rb, True), imm(8 * c.rng.randrange(64))))
    else:
        c.emit("prfum %s, [%s, #%d]" % (prfop, reg(rb, True), c.rng.randrange(-256, 256)))


# --- exclusives and acquire/release -------------------------------------------------

EXCL_SIZES = [("b", 1, False), ("h", 2, False), ("", 4, False), ("", 8, True)]


def alu_filler(c, n):
    for _ in range(n):
        pick(c.rng, ALU)(c)


def op_exclusive(c):
    """LDXR then STXR (or the pair forms) to the same address and size, ALU work in between."""
    pair = c.rng.random() < 0.25
    suffix, size, sf = c.rng.choice(EXCL_SIZES[2:] if pair else EXCL_SIZES)
    span = 2 * size if pair else size
    addr = aligned_addr(c, span)  # exclusive pairs must be aligned to their total size
    rb = c.dst()
    set_base(c, rb, addr)
    c.locked.add(rb)
    acq = c.rng.choice(["", "a"])
    rel = c.rng.choice(["", "l"])
    rt = c.dst(zr=0.03)
    rt2 = c.dst(avoid=[rt]) if pair else None
    variant = c.rng.randrange(8)
    if variant != 0:  # variant 0: a store-exclusive with the monitor open fails
        if pair:
            c.emit("ld%sxp %s, %s, [%s]" % (acq, reg(rt, sf), reg(rt2, sf), reg(rb, True)))
        else:
            c.emit("ld%sxr%s %s, [%s]" % (acq, suffix, reg(rt, sf), reg(rb, True)))
    alu_filler(c, c.rng.randrange(4))
    if variant == 1:
        c.emit("clrex")  # CLREX opens the monitor: the store-exclusive must fail
    stores = 2 if variant == 2 else 1  # the second store-exclusive finds the monitor open
    for _ in range(stores):
        rv = c.src(avoid=[rb])
        rv2 = c.src(avoid=[rb]) if pair else None
        rs = c.dst(avoid=[rb, rv] + ([rv2] if pair else []), zr=0.05)
        if pair:
            c.emit("st%sxp %s, %s, %s, [%s]" % (rel, reg(rs, False), reg(rv, sf), reg(rv2, sf), reg(rb, True)))
        else:
            c.emit("st%sxr%s %s, %s, [%s]" % (rel, suffix, reg(rs, False), reg(rv, sf), reg(rb, True)))
    c.locked.discard(rb)


def op_acqrel(c):
    suffix, size, sf = c.rng.choice(EXCL_SIZES)
    rb = c.dst()
    set_base(c, rb, aligned_addr(c, size))
    if c.rng.random() < 0.5:
        c.emit("ldar%s %s, [%s]" % (suffix, reg(c.dst(zr=0.03), sf), reg(rb, True)))
    else:
        c.emit("stlr%s %s, [%s]" % (suffix, reg(c.src(), sf), reg(rb, True)))


# --- LSE atomics (Armv8.1) ------------------------------------------------------------

LSE_OPS = ["add", "clr", "eor", "set", "smax", "smin", "umax", "umin"]
ORDER = ["", "a", "l", "al"]


def op_lse(c):
    suffix, size, sf = c.rng.choice(EXCL_SIZES)
    kind = c.rng.randrange(10)
    if kind == 9:
        op_casp(c)
        return
    addr = aligned_addr(c, size)
    rb = c.dst()
    set_base(c, rb, addr)
    rs = c.src(avoid=[rb])
    rt = c.dst(avoid=[rb], zr=0.08)
    base = reg(rb, True)
    if kind < 5:
        op = c.rng.choice(LSE_OPS)
        if rt == 31 and c.rng.random() < 0.5:
            c.emit("st%s%s%s %s, [%s]" % (op, c.rng.choice(["", "l"]), suffix, reg(rs, sf), base))
        else:
            c.emit("ld%s%s%s %s, %s, [%s]" % (op, c.rng.choice(ORDER), suffix, reg(rs, sf), reg(rt, sf), base))
    elif kind < 7:
        c.emit("swp%s%s %s, %s, [%s]" % (c.rng.choice(ORDER), suffix, reg(rs, sf), reg(rt, sf), base))
    else:
        rs = c.dst(avoid=[rb])
        variant = c.rng.randrange(4)
        if variant:
            # Compare against the value in memory so that the swap happens...
            load = {1: "ldrb", 2: "ldrh", 4: "ldr", 8: "ldr"}[size]
            c.emit("%s %s, [%s]" % (load, reg(rs, sf), base))
        if variant == 2:
            # ...or misses by the lowest bit...
            c.emit("eor %s, %s, #1" % (reg(rs, sf), reg(rs, sf)))
        elif variant == 3 and size < 4:
            # ...or matches in the compared bits only: CASB/CASH ignore the rest of Ws.
            c.emit("movk %s, %s, lsl #16" % (reg(rs, False), imm(c.rng.randrange(1, 0x10000))))
        c.emit("cas%s%s %s, %s, [%s]" % (c.rng.choice(ORDER), suffix, reg(rs, sf), reg(rt, sf), base))


def even_pair(c, avoid=()):
    bad = {18, 19, 30} | c.reserved | {r + 1 for r in c.reserved} | set(avoid)
    return c.rng.choice([r for r in range(0, 30, 2) if r not in bad and r + 1 not in bad])


def op_casp(c):
    sf = c.sf()
    size = 8 if sf else 4
    addr = aligned_addr(c, 2 * size)  # CASP accesses its pair as one naturally aligned item
    rs = even_pair(c)
    rt = even_pair(c)
    rb = c.dst(avoid=[rs, rs + 1, rt, rt + 1])
    set_base(c, rb, addr)
    variant = c.rng.randrange(4)
    if variant:
        # Compare against memory: both halves match, or only one does.
        c.emit("ldp %s, %s, [%s]" % (reg(rs, sf), reg(rs + 1, sf), reg(rb, True)))
    if variant >= 2:
        half = rs + variant - 2
        c.emit("add %s, %s, #1" % (reg(half, sf), reg(half, sf)))
    c.emit("casp%s %s, %s, %s, %s, [%s]" % (c.rng.choice(ORDER), reg(rs, sf), reg(rs + 1, sf),
                                            reg(rt, sf), reg(rt + 1, sf), reg(rb, True)))


# --- cases and chunks ------------------------------------------------------------------

def gen_case(rng, group, index, length):
    """One case of a group: (Case, X0-X30 with None for the buffer's address, NZCV)."""
    if group in MODULE_GROUPS:
        return gen_module_case(rng, group, index)
    memory = group in ("ldst", "excl", "lse")
    c = Case(rng, index, reserved=[BUFFER_REG] if memory else [])
    if group == "dp_imm":
        for _ in range(length):
            pick(rng, DP_IMM)(c)
    elif group == "dp_reg":
        for _ in range(length):
            pick(rng, DP_REG)(c)
    elif group == "branch":
        gen_branch_case(c, length)
    elif group == "ldst":
        for _ in range(length):
            (op_mem if rng.random() < 0.75 else pick(rng, ALU))(c)
    elif group == "excl":
        for _ in range(max(1, length // 4)):
            (op_exclusive if rng.random() < 0.7 else op_acqrel)(c)
    elif group == "lse":
        for _ in range(max(1, length // 2)):
            (op_lse if rng.random() < 0.8 else pick(rng, ALU))(c)
    else:
        raise ValueError("unknown group %r" % group)
    regs = [rand_value(rng) for _ in range(31)]
    if memory:
        regs[BUFFER_REG] = None  # diff_buffer, resolved by the linker
    nzcv = rng.randrange(16) << 28
    return c, regs, nzcv


# A line of a module's body that is no instruction: empty, a comment, a label alone, or a
# directive other than .inst.
NOT_INSN = re.compile(r"^\s*(?:$|//|\.(?!inst\b)|[A-Za-z0-9_.$]+:\s*(?://.*)?$)")
# Registers a body must not name at all, and X28 written back by an addressing mode.
FORBIDDEN_REG = re.compile(r"(?<![\w.])(?:[xw]18|w?sp)(?!\w)", re.IGNORECASE)
X28_WRITEBACK = re.compile(r"\[\s*x28\s*(?:,[^\]]*)?\]\s*!|\[\s*x28\s*\]\s*,", re.IGNORECASE)
# Instructions whose first operand is read, not written (a best-effort list: the check only
# catches the obvious ways to overwrite X28).
FIRST_OPERAND_READ = re.compile(
    r"^(?:st(?!.*x[rp][bh]?$)|cmp|cmn|tst|ccm|cb|tb|prfu?m|msr|b\b|b\.|br|blr|ret|swp|"
    r"ld(?:add|clr|eor|set|smax|smin|umax|umin))", re.IGNORECASE)


def check_module_line(group, line):
    """Reject the mistakes a body can make that would corrupt later cases or the harness."""
    code = re.sub(r"^\s*[A-Za-z0-9_.$]+:", "", line.split("//", 1)[0])
    if FORBIDDEN_REG.search(code):
        raise ValueError("group %s: body line %r names X18 or SP" % (group, line))
    if X28_WRITEBACK.search(code):
        raise ValueError("group %s: body line %r writes X28 back" % (group, line))
    parts = code.split(None, 1)
    if len(parts) == 2 and not FIRST_OPERAND_READ.match(parts[0]):
        first = parts[1].split(",", 1)[0].strip().lower()
        if first in ("x28", "w28"):
            raise ValueError("group %s: body line %r writes X28" % (group, line))


def gen_module_case(rng, group, index):
    """A case of a module's group: the lines gen_fn(rng) returns; X28 holds the buffer's address."""
    c = Case(rng, index, reserved=[BUFFER_REG])
    body = MODULE_GROUPS[group](rng)
    if not isinstance(body, list) or not all(isinstance(l, str) for l in body):
        raise TypeError("group %s: gen_fn must return a list of str, not %r" % (group, type(body).__name__))
    for line in body:
        check_module_line(group, line)
        text = line.strip()
        c.lines.append(text if re.match(r"^[A-Za-z0-9_.$]+:", text) else "\t" + text)
        if not NOT_INSN.match(text):
            c.insns += 1
    c.insns = max(c.insns, 1)  # so that a chunk of empty bodies still ends
    regs = [rand_value(rng) for _ in range(31)]
    regs[BUFFER_REG] = None
    nzcv = rng.randrange(16) << 28
    return c, regs, nzcv


def write_chunk(group, seed, insns, length, prefix):
    """Write cases of one group until they hold at least insns instructions; returns (cases, insns)."""
    rng = random.Random("%s:%d" % (group, seed))
    # The SIMD&FP inputs come from a stream of their own: a group's instructions
    # do not depend on them.
    fp_rng = random.Random("%s:%d:fp" % (group, seed))
    pools = lane_pools(fp_rng)
    asm = ["\t// generated by tests/diff/gen.py --group %s --seed %d --insns %d --length %d"
           % (group, seed, insns, length), "\t.text"]
    rows = []
    meta = {"group": group, "seed": seed, "length": length, "cases": []}
    total = 0
    index = 0
    while total < insns:
        c, regs, nzcv = gen_case(rng, group, index, length)
        vregs = rand_vregs(fp_rng, pools)
        fpcr = rand_fpcr(fp_rng)
        fpsr = 0  # so that every flag the case raises shows
        asm += ["\t.balign 8", "\t.type %s, %%function" % c.label, "%s:" % c.label,
                "\tldr x30, [sp, #%d]" % X30_SLOT]
        asm += c.lines
        asm += ["\tb diff_exit"]
        if c.pool:
            asm.append("\t.balign 8")
            for n, v in enumerate(c.pool):
                asm += [".Lp%s_%d:" % (c.label, n), "\t.quad 0x%016x" % v]
        asm.append("\t.size %s, . - %s" % (c.label, c.label))
        rows.append(case_row(c.label, regs, nzcv, vregs, fpcr, fpsr))
        total += c.insns
        index += 1
        meta["cases"].append({
            "label": c.label, "insns": c.insns,
            "lines": [l.strip() for l in c.lines],
            "pool": ["0x%016x" % v for v in c.pool],
            "regs": [BUFFER if v is None else "%016x" % v for v in regs] + ["%016x" % nzcv],
            "vregs": ["%032x" % v for v in vregs],
            "fpcr": "%08x" % fpcr, "fpsr": "%08x" % fpsr,
        })
    table = ["\t.section .rodata", "\t.balign 16", "\t.global diff_case_count",
             "diff_case_count:", "\t.quad %d" % index, "\t.balign 16", "\t.global diff_cases", "diff_cases:"]
    meta["insns"] = total
    with open(prefix + ".s", "w") as f:
        f.write("\n".join(asm + table + rows) + "\n")
    with open(prefix + ".json", "w") as f:
        json.dump(meta, f)
    return index, total


def case_row(label, regs, nzcv, vregs, fpcr, fpsr):
    """One struct diff_case (diff.h): X0-X30, NZCV, V0-V31 low half first, FPCR, FPSR,
    the output-only SP and padding words, then the body's address and padding."""
    x = ", ".join([BUFFER if v is None else "0x%016x" % v for v in regs] + ["0x%08x" % nzcv])
    v = ", ".join("0x%016x, 0x%016x" % (r & MASK64, r >> 64) for r in vregs)
    return "\t.quad %s\n\t.quad %s\n\t.quad 0x%08x, 0x%08x, 0, 0, %s, 0" % (x, v, fpcr, fpsr, label)


# --- generator modules -------------------------------------------------------------------

MODULE_GROUPS = {}   # group name -> gen_fn(rng), from every tests/diff/gen_*.py
MODULE_SETS = []     # (module name, [its group names]), sorted by module name
MODULE_ERRORS = []   # (module file, message) for every module that could not be used


def load_modules():
    """Import every gen_*.py next to this file (sorted by name) and collect its GROUPS.

    A module that fails to import, or defines a group another already has, is
    left out and recorded in MODULE_ERRORS, so that one engineer's broken
    module does not stop everyone else's groups from running.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    for name in sorted(f[:-3] for f in os.listdir(here) if f.startswith("gen_") and f.endswith(".py")):
        path = os.path.join(here, name + ".py")
        try:
            module = importlib.import_module(name)
            groups = getattr(module, "GROUPS")
            if not isinstance(groups, dict) or not groups:
                raise TypeError("GROUPS must be a non-empty dict {name: gen_fn}")
            for g, fn in groups.items():
                if not callable(fn) or not isinstance(g, str) or not re.match(r"^[A-Za-z0-9_]+$", g):
                    raise TypeError("GROUPS[%r]: want a name of letters, digits and _ and a function" % g)
                owner = "gen.py" if g in CORE_GROUPS else \
                    next(("gen_%s.py" % m for m, gs in MODULE_SETS if g in gs), None)
                if owner:
                    raise ValueError("group %s is already defined by %s" % (g, owner))
        except Exception as e:  # noqa: BLE001  (any failure of someone else's module is reported)
            MODULE_ERRORS.append((path, "%s: %s" % (type(e).__name__, e)))
            continue
        MODULE_SETS.append((name[len("gen_"):], list(groups)))
        MODULE_GROUPS.update(groups)


# Running as a script: let modules that `import gen` for its helpers get this module.
sys.modules.setdefault("gen", sys.modules[__name__])
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
load_modules()
GROUPS = CORE_GROUPS + list(MODULE_GROUPS)
# Group sets share one instruction budget each (difftest.py --insns): the core groups, then each module's.
GROUP_SETS = [("core", list(CORE_GROUPS))] + MODULE_SETS


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--group", required=True, choices=GROUPS)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--insns", type=int, required=True, help="stop once the cases hold this many instructions")
    ap.add_argument("--length", type=int, default=24, help="operations per case")
    ap.add_argument("--out", required=True, help="output prefix: PREFIX.s and PREFIX.json")
    args = ap.parse_args(argv)
    for path, err in MODULE_ERRORS:
        print("gen.py: %s: left out: %s" % (path, err), file=sys.stderr)
    cases, insns = write_chunk(args.group, args.seed, args.insns, args.length, args.out)
    print("%s: %d cases, %d instructions" % (args.out, cases, insns))


if __name__ == "__main__":
    main(sys.argv[1:])
