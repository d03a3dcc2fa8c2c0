"""Generator module (README.md, "Generator modules"): group fpldst, the SIMD&FP loads
and stores and the FPCR/FPSR accesses.

Every form a64sim implements: LDR/STR of B, H, S, D and Q with an unsigned
offset, unscaled (LDUR/STUR), pre- and post-index, register offset (LSL,
UXTW, SXTW, SXTX, scaled or not); LDR (literal) of S, D and Q from a pool
inside the case; LDP/STP of S, D and Q with an offset, pre- and post-index,
and LDNP/STNP; MRS and MSR of FPCR and FPSR, alone and as round trips.
No FMOV or other data processing: values enter and leave the V registers
only through memory, and the buffer and the V registers are compared.

Accesses are aligned to their element size (Q accesses to 16, pairs to the
element size): a64sim's Device memory faults on unaligned accesses and qemu
never does. LDP/LDNP never name the same register twice (CONSTRAINED
UNPREDICTABLE). MSR writes only FPCR_WRITABLE and FPSR_WRITABLE bits.
"""

import gen

# Access bytes of each SIMD&FP register width.
SIZES = {"b": 1, "h": 2, "s": 4, "d": 8, "q": 16}
PAIR_SIZES = ["s", "d", "q"]
LITERAL_SIZES = ["s", "d", "q"]
POOL_BYTES = 64  # the case's literal pool: 16-byte aligned, so every Q entry is aligned
OPS_PER_CASE = 10


def vreg(n, width):
    return "%s%d" % (width, n)


def op_single(c, uses_pool):
    width = c.rng.choice("bhsdq")
    size = SIZES[width]
    load = c.rng.random() < 0.5
    mode = c.rng.choice(["uoff", "uoff", "unscaled", "pre", "post", "reg", "reg", "literal"])
    if mode == "literal":
        if load and width in LITERAL_SIZES:
            op_literal(c, width, size)
            uses_pool.append(True)
            return
        mode = "uoff"
    name = "ldr" if load else "str"
    vt = vreg(c.rng.randrange(32), width)
    rb = c.dst()
    addr = gen.aligned_addr(c, size)
    if mode == "uoff":
        off = 0 if c.rng.random() < 0.3 else size * c.rng.randrange(addr // size + 1)
        gen.set_base(c, rb, addr - off)
        c.emit("%s %s, [x%d, #%d]" % (name, vt, rb, off))
    elif mode in ("unscaled", "pre"):
        off = c.rng.randrange(max(-256, addr - 4095), 256)
        gen.set_base(c, rb, addr - off)
        if mode == "pre":
            c.emit("%s %s, [x%d, #%d]!" % (name, vt, rb, off))
        else:
            c.emit("%s %s, [x%d, #%d]" % ("ldur" if load else "stur", vt, rb, off))
    elif mode == "post":
        gen.set_base(c, rb, addr)
        c.emit("%s %s, [x%d], #%d" % (name, vt, rb, c.rng.randrange(-256, 256)))
    else:
        op_regoff(c, name, vt, size, rb, addr)


def op_regoff(c, name, vt, size, rb, addr):
    """[Xn, Xm{, LSL #s}], [Xn, Wm, UXTW|SXTW {#s}] or [Xn, Xm, SXTX {#s}], s = 0 or log2(size)."""
    ri = c.dst(avoid=[rb])
    ext = c.rng.choice(["lsl", "uxtw", "sxtw", "sxtx"])
    s = c.rng.choice([0, gen.log2(size)])
    if ext == "uxtw":
        index = c.rng.randrange((addr >> s) + 1)
    else:
        index = c.rng.randrange(-((gen.BUFFER_BYTES - addr) >> s) + 1, (addr >> s) + 1)
    word = ext in ("uxtw", "sxtw")
    # UXTW and SXTW ignore the index register's top half: garbage there proves it.
    top = c.rng.getrandbits(32) << 32 if word else 0
    gen.set_const(c, ri, (index & (gen.MASK32 if word else gen.MASK64)) | top)
    gen.set_base(c, rb, addr - (index << s))
    index_reg = ("w%d" if word else "x%d") % ri
    if ext == "lsl" and s == 0 and (size != 1 or c.rng.random() < 0.5):
        # No shift: [Xn, Xm]. Only the byte form also has an explicit LSL #0 (S = 1).
        c.emit("%s %s, [x%d, %s]" % (name, vt, rb, index_reg))
    elif ext != "lsl" and s == 0 and c.rng.random() < 0.5:
        c.emit("%s %s, [x%d, %s, %s]" % (name, vt, rb, index_reg, ext))
    else:
        c.emit("%s %s, [x%d, %s, %s #%d]" % (name, vt, rb, index_reg, ext, s))


def op_literal(c, width, size):
    """LDR (literal) from the pool that write_body places after the case's last instruction."""
    off = size * c.rng.randrange(POOL_BYTES // size)
    c.emit("ldr %s, 7f + %d" % (vreg(c.rng.randrange(32), width), off))


def op_pair(c):
    width = c.rng.choice(PAIR_SIZES)
    size = SIZES[width]
    op = c.rng.choice(["ldp", "ldp", "stp", "stp", "ldnp", "stnp"])
    mode = "off" if "np" in op else c.rng.choice(["off", "off", "pre", "post"])
    vt = c.rng.randrange(32)
    vt2 = c.rng.choice([r for r in range(32) if r != vt]) if op.startswith("ld") else c.rng.randrange(32)
    rb = c.dst()
    addr = gen.aligned_addr(c, size, 2 * size)
    off = size * c.rng.randrange(-64, 64)  # imm7, scaled by the element size
    regs = "%s, %s" % (vreg(vt, width), vreg(vt2, width))
    if mode == "post":
        gen.set_base(c, rb, addr)
        c.emit("%s %s, [x%d], #%d" % (op, regs, rb, off))
        return
    if abs(addr - off) > 4095:
        off = 0
    gen.set_base(c, rb, addr - off)
    c.emit("%s %s, [x%d, #%d]%s" % (op, regs, rb, off, "!" if mode == "pre" else ""))


def op_fpcr_fpsr(c):
    """MRS and MSR of FPCR and FPSR: reads, writes of the writable bits only, and round trips."""
    reg = c.rng.choice(["fpcr", "fpsr"])
    kind = c.rng.randrange(5)
    rt = c.dst()
    if kind == 0:
        c.emit("mrs x%d, %s" % (rt, reg))
        return
    if kind == 1:
        # Read, flip one writable bit, write back, read again.
        bits = [b for b in range(32) if (gen.FPCR_WRITABLE if reg == "fpcr" else gen.FPSR_WRITABLE) >> b & 1]
        rt2 = c.dst(avoid=[rt])
        c.emit("mrs x%d, %s" % (rt, reg), "eor x%d, x%d, #0x%x" % (rt, rt, 1 << c.rng.choice(bits)),
               "msr %s, x%d" % (reg, rt), "mrs x%d, %s" % (rt2, reg))
        return
    if kind == 2:
        c.emit("msr %s, xzr" % reg)
        return
    value = gen.rand_fpcr(c.rng) if reg == "fpcr" else c.rng.getrandbits(32) & gen.FPSR_WRITABLE
    gen.set_const(c, rt, value)
    c.emit("msr %s, x%d" % (reg, rt))
    if kind == 4:
        c.emit("mrs x%d, %s" % (c.dst(avoid=[rt]), reg))


def gen_fpldst(rng):
    c = gen.Case(rng, 0, reserved=[gen.BUFFER_REG])
    uses_pool = []
    for _ in range(OPS_PER_CASE):
        r = rng.random()
        if r < 0.6:
            op_single(c, uses_pool)
        elif r < 0.9:
            op_pair(c)
        else:
            op_fpcr_fpsr(c)
    body = [l.strip() for l in c.lines]
    if uses_pool:
        # The pool sits inside the case; the case branches over it to its end.
        words = []
        for _ in range(POOL_BYTES // 8):
            words.append(gen.fp_lane(rng, 64, []) if rng.random() < 0.5 else
                         gen.fp_lane(rng, 32, []) | gen.fp_lane(rng, 32, []) << 32)
        body += ["b 8f", ".balign 16", "7:"] + [".quad 0x%016x" % w for w in words] + ["8:"]
    return body


GROUPS = {"fpldst": gen_fpldst}
