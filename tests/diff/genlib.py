"""Helpers the SIMD&FP generator modules (gen_fp.py, gen_fpldst.py, gen_simd_*.py) share:
V register choice, the arrangement tables, integer edge values and the pool a case loads
them from, and FPCR rewrites.

Not a generator module itself (gen.py loads only gen_*.py). Every helper draws from the
case's rng in a fixed order, so a module that calls one generates the same text for a seed
as the code it replaced.
"""

import gen

# Element sizes in bits, and the vector arrangements by element size.
B, H, S, D = 8, 16, 32, 64
ESIZE = {"8b": B, "16b": B, "4h": H, "8h": H, "2s": S, "4s": S, "2d": D}
ARR_ALL = ["8b", "16b", "4h", "8h", "2s", "4s", "2d"]
ARR_BHS = ["8b", "16b", "4h", "8h", "2s", "4s"]
ARR_FP = ["2s", "4s", "2d"]
SREG = {B: "b", H: "h", S: "s", D: "d"}  # the scalar register letter of an element size
# Narrow arrangement (of the "2" form or not) -> the wide arrangement of the same lane count
# in the lower or upper half: the long, wide and narrowing instructions.
WIDE_OF = {"8b": "8h", "16b": "8h", "4h": "4s", "8h": "4s", "2s": "2d", "4s": "2d"}


class VRegs:
    """V register choice for one case. v() (and dst()) is one of the last four registers
    named with probability REUSE, else any; src() is first one of the registers the case
    PREPARED (probability FROM_PREPARED), then one of the last four (REUSE_SRC), else any.
    Reuse is on purpose: it makes Vd == Vn == Vm happen."""

    def __init__(self, rng, prepared=(), reuse=0.3, from_prepared=0.6, reuse_src=0.3):
        self.rng = rng
        self.prepared = list(prepared)
        self.reuse = reuse
        self.from_prepared = from_prepared
        self.reuse_src = reuse_src
        self.recent = []

    def _pick(self, n):
        self.recent = (self.recent + [n])[-4:]
        return n

    def v(self):
        rng = self.rng
        if self.recent and rng.random() < self.reuse:
            return self._pick(rng.choice(self.recent))
        return self._pick(rng.randrange(32))

    dst = v

    def src(self, limit=32):
        """A source below V<LIMIT> (the indexed H forms take Vm from V0-V15)."""
        rng = self.rng
        pool = [r for r in self.prepared if r < limit]
        if pool and rng.random() < self.from_prepared:
            return self._pick(rng.choice(pool))
        recent = [r for r in self.recent if r < limit]
        if recent and rng.random() < self.reuse_src:
            return self._pick(rng.choice(recent))
        return self._pick(rng.randrange(limit))


# --- integer edge values ---------------------------------------------------------------

def int_lane(rng, esize):
    """An ESIZE-bit lane: 0, +-1, the minimum and maximum, a power of two or its negation,
    a small value or random bits."""
    mask = (1 << esize) - 1
    top = 1 << (esize - 1)
    k = rng.randrange(esize)
    return rng.choice([0, 1, mask, top, top - 1, top + 1, mask - 1, 1 << k, (-(1 << k)) & mask,
                       rng.getrandbits(esize), rng.getrandbits(esize), rng.randrange(16)]) & mask


def int_vector(rng, lane=int_lane):
    """128 bits of LANE(rng, esize) lanes of one random size; sometimes one value in every
    lane, so that the saturating doubling multiplies meet -2^(esize-1) squared."""
    esize = rng.choice([B, H, S, D])
    same = rng.random() < 0.3
    first = lane(rng, esize)
    v = 0
    for i in range(128 // esize):
        v |= (first if same else lane(rng, esize)) << (esize * i)
    return v


def pool_prelude(regs, values, scratch):
    """Lines that load V<regs[i]> with the 128-bit values[i] from a pool inside the case,
    which the case branches over; X<scratch> is left holding the pool's address."""
    lines = ["adr x%d, 3f" % scratch, "b 4f", ".balign 16", "3:"]
    for v in values:
        lines.append(".quad 0x%016x, 0x%016x" % (v & gen.MASK64, v >> 64))
    lines.append("4:")
    for i, r in enumerate(regs):
        lines.append("ldr q%d, [x%d, #%d]" % (r, scratch, 16 * i))
    return lines


# --- FPCR --------------------------------------------------------------------------------

def fpcr_value(rng):
    """A random FPCR of bits 26:22 only: RMode, FZ, DN and AHP."""
    value = rng.randrange(32) << 22
    assert value & ~gen.FPCR_WRITABLE == 0
    return value


def write_fpcr(x, value):
    """Lines that write VALUE (from fpcr_value) to FPCR through X<x>."""
    return ["movz x%d, #0x%x, lsl #16" % (x, value >> 16), "msr fpcr, x%d" % x]
