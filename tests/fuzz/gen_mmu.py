"""Generator of random translation tables (guest ELF images).

Each image carries stage 1 tables in RAM (4K, 16K or 64K granule, a random
input-address size) and, when it starts at EL2 and runs below it, stage 2
tables with HCR_EL2.VM set. The code, the vectors and the tables are mapped
so that execution survives the MMU being turned on; everything else is
random: data pages at random virtual addresses with random permissions and
memory types, device windows mapped as Normal or Device memory, holes,
aliases, and random descriptors (blocks at any level, tables that point at
data or at themselves) in the unused entries. Then the body makes random
loads and stores of every size (plain, pair, exclusive, acquire/release,
unprivileged), calls into mapped and unmapped pages, cache and TLB
maintenance, AT, stores into the tables themselves with and without TLBI,
and rewrites of TTBR0/TCR/SCTLR on the way.
"""
import guestelf as ge
from guestelf import Guest

TABLES, TABLES_END = 0x4010_0000, 0x4020_0000
PAGES, PAGES_END = 0x4020_0000, 0x4030_0000
STACKS = (0x4037_0000, 0x403A_0000)
MAIR = [0x00, 0xFF, 0x44, 0x04, 0xBB, 0x0C, 0x08]  # attr0 Device-nGnRnE, attr1 Normal WB, ...

VALID, TABLE = 1, 3


class Tables:
    """The tables of one translation regime in guest RAM."""

    def __init__(self, alloc, gbits, ia_bits, start=None):
        self.g, self.stride, self.ia_bits = gbits, gbits - 3, ia_bits
        levels = -(-(ia_bits - gbits) // self.stride)
        self.start = 4 - levels if start is None else start
        self.alloc = alloc
        self.tables = {}  # address -> bytearray
        self.path = set()  # entries a map(..., keep=True) went through
        top_bits = ia_bits - self.shift(self.start)
        self.root = self.new_table(max(1 << gbits, 8 << top_bits))

    def shift(self, level):
        return self.g + (3 - level) * self.stride

    def new_table(self, size=None):
        size = size or 1 << self.g
        addr = self.alloc(size)
        if addr is not None:
            self.tables[addr] = bytearray(size)
        return addr

    def entry_addr(self, table, level, va):
        bits = self.ia_bits - self.shift(level) if level == self.start else self.stride
        return table + 8 * ((va >> self.shift(level)) & ((1 << bits) - 1))

    def get(self, addr):
        for t, buf in self.tables.items():
            if t <= addr < t + len(buf):
                return int.from_bytes(buf[addr - t:addr - t + 8], "little")
        return None

    def put(self, addr, desc):
        for t, buf in self.tables.items():
            if t <= addr < t + len(buf):
                buf[addr - t:addr - t + 8] = (desc & (1 << 64) - 1).to_bytes(8, "little")

    def map(self, va, pa, attrs, level=3, keep=False):
        """Map the block or page at VA (a level-LEVEL block, 3 is a page).
        KEEP: the entries on the way are ones the guest should mostly leave
        alone (the code's), noted in self.path."""
        table = self.root
        for lv in range(self.start, level):
            e = self.entry_addr(table, lv, va)
            if keep:
                self.path.add(e)
            d = self.get(e)
            if d & 3 == TABLE and (d & ((1 << 48) - 1) & ~((1 << self.g) - 1)) in self.tables:
                table = d & ((1 << 48) - 1) & ~((1 << self.g) - 1)
                continue
            nt = self.new_table()
            if nt is None:
                return False
            self.put(e, nt | TABLE)
            table = nt
        e = self.entry_addr(table, level, va)
        if keep:
            self.path.add(e)
        out = pa & ~((1 << self.shift(level)) - 1)
        self.put(e, out | attrs | (TABLE if level == 3 else VALID))
        return True

    def junk(self, rng, n, targets):
        """N random descriptors in free entries: random bits, blocks with
        random output addresses, tables pointing at TARGETS (data pages, the
        root itself)."""
        tables = sorted(self.tables)
        for _ in range(n):
            t = rng.choice(tables)
            e = t + 8 * rng.randrange(len(self.tables[t]) // 8)
            if self.get(e):
                continue
            r = rng.random()
            if r < 0.3:
                d = rng.getrandbits(64)
            elif r < 0.6:
                d = (rng.choice(targets) & ~0xFFF) | TABLE
            else:
                d = (rng.getrandbits(48) & ~0xFFF) | rng.getrandbits(12) | rng.getrandbits(12) << 52
            self.put(e, d)

    def segments(self):
        """(address, bytes without the trailing zeros) of every table."""
        for addr, buf in sorted(self.tables.items()):
            data = bytes(buf).rstrip(b"\0")
            if data:
                yield addr, data


class Allocator:
    def __init__(self):
        self.next = TABLES

    def __call__(self, size):
        addr = -(-self.next // size) * size
        if addr + size > TABLES_END:
            return None
        self.next = addr + size
        return addr


def s1_attrs(rng, el0=False, exec_=True, write=True, device=False):
    """Stage 1 lower and upper attributes (AttrIndx, AP, SH, AF, nG, PXN, UXN)."""
    idx = rng.choice([0, 3]) if device else rng.choice([1, 1, 1, 2])
    ap = (1 if el0 else 0) | (0 if write else 2)
    a = idx << 2 | ap << 6 | 3 << 8 | 1 << 10 | rng.randrange(2) << 11
    if not exec_:
        a |= 3 << 53
    elif el0:
        a |= 1 << 53  # PXN: EL1 does not run EL0's code pages
    return a


def s1_random_attrs(rng):
    return (rng.randrange(8) << 2 | rng.randrange(2) << 5 | rng.randrange(4) << 6
            | rng.randrange(4) << 8 | (rng.random() < 0.85) << 10 | rng.randrange(2) << 11
            | rng.randrange(4) << 53 | rng.randrange(2) << 55)


def s2_attrs(rng, device=False, rand=False):
    """Stage 2: MemAttr, S2AP, SH, AF, XN."""
    if rand:
        return (rng.randrange(16) << 2 | rng.randrange(4) << 6 | rng.randrange(4) << 8
                | (rng.random() < 0.85) << 10 | rng.randrange(4) << 53)
    mem = rng.choice([0b0000, 0b0001]) if device else 0b1111
    return mem << 2 | 3 << 6 | 3 << 8 | 1 << 10 | ((2 << 53) if device else 0)


class Mmu:
    NAME = "insn-mmu"
    SAMPLE = 400

    def case(self, rng, ctx, d):
        start = rng.choice([1, 2])
        run = rng.randrange(start + 1)
        g = Guest(start, run, rng.choice([0xF, 0xF, 0x0]))
        cpu = rng.choice(["a57", "max"])
        alloc = Allocator()
        gbits = rng.choice([12, 12, 12, 14, 16])
        ia_bits = rng.choice([32, 36, 39, 40, 42, 48] + ([25] if gbits == 12 else []))
        s1 = Tables(alloc, gbits, ia_bits)
        pool, exec_targets, data_pas, tables_mapped, code_end = self.stage1(rng, g, s1, alloc)
        if start == 2 and run < 2:
            s2 = self.stage2(rng, g, alloc, data_pas, code_end)
        else:
            s2 = None
        regs, vals = self.registers(rng, g, s1, cpu)
        self.body(rng, g.body, pool, exec_targets, s1, tables_mapped, run, regs, vals)
        g.end_body()
        for t in (s1, s2) if s2 else (s1,):
            for addr, data in t.segments():
                g.add_data(addr, data)
        g.data = [(a, dd) for a, dd in g.data if dd]
        ctx.write(d, "image.elf", g.image())
        args = ["run", "image.elf", "--max-insns", str(rng.choice([5000, 20000, 50000])),
                "--max-cycles", str(rng.choice([10**6, 10**8])), "--cpu", cpu]
        if start == 2:
            args += ["--el", "2"]
        if rng.random() < 0.2:
            args += ["--trace", "t.trace"]
            return [ctx.Cmd(args, outputs=["t.trace"]),
                    ctx.Cmd(["replay", "t.trace", "--image", "image.elf"], replay_of="t.trace")]
        return [ctx.Cmd(args)]

    def stage1(self, rng, g, s1, alloc):
        """The stage 1 mappings; returns what the body aims at: (pool of
        (va, size), call targets, data page addresses, whether the tables
        are mapped, the end of the code's mapping)."""
        el0 = g.run_el == 0
        gsize = 1 << s1.g
        ia_bits = s1.ia_bits
        pool, exec_targets = [], []
        # the code: identity, read-only; at EL0 readable there too, and
        # executable at both ELs (with a 16K or 64K granule the vectors
        # share a page with EL0's code)
        code_end = -(-(Guest.BODY + 0x4000) // gsize) * gsize
        code_attrs = 1 << 2 | (3 if el0 else 2) << 6 | 3 << 8 | 1 << 10
        for va in range(ge.IMAGE_BASE & ~(gsize - 1), code_end, gsize):
            s1.map(va, va, code_attrs, keep=True)
        pool.append((ge.IMAGE_BASE, 0x100))
        for va in range(STACKS[0], STACKS[1], gsize):
            s1.map(va, va, s1_attrs(rng, el0=el0, exec_=False))
        # data pages at random addresses (sometimes twice), some holding `ret` for calls
        npages = rng.randrange(1, 7)
        data_pas = [PAGES + k * gsize for k in range(min(npages, (PAGES_END - PAGES) // gsize))]
        for pa in data_pas:
            content = rng.random()
            if content < 0.4:
                g.add_data(pa, (ge.RET).to_bytes(4, "little") * (gsize // 4))
            elif content < 0.7:
                g.add_data(pa, bytes(rng.getrandbits(8) for _ in range(64)))
            for _ in range(rng.choice([1, 1, 2])):
                va = rng.randrange(1 << ia_bits) & ~(gsize - 1)
                if ge.RAM_BASE <= va < 0x4040_0000 or va < gsize:
                    va = pa  # keep clear of the code, tables and stacks: identity
                attrs = (s1_random_attrs(rng) if rng.random() < 0.5 else
                         s1_attrs(rng, el0=el0 or rng.random() < 0.3,
                                  exec_=rng.random() < 0.6, write=rng.random() < 0.7))
                if s1.map(va, pa, attrs):
                    pool.append((va, gsize))
                    if content < 0.4:
                        exec_targets.append(va)
        # device windows: UART, GIC distributor and redistributor
        for pa in (ge.UART_BASE, ge.GICD_BASE, ge.GICR_BASE, ge.GICR_BASE + 0x10000):
            if rng.random() < 0.6:
                va = pa if rng.random() < 0.5 else (rng.randrange(1 << ia_bits) & ~(gsize - 1))
                if not (ge.RAM_BASE <= va < 0x4040_0000):
                    s1.map(va, pa & ~(gsize - 1),
                           s1_attrs(rng, el0=el0, exec_=False, device=rng.random() < 0.8))
                    pool.append((va + (pa & (gsize - 1)), 0x1000))
        # a block mapping somewhere, when the geometry has a level that allows one
        level = 2
        if rng.random() < 0.4 and s1.start <= level and s1.shift(level) < ia_bits:
            bsize = 1 << s1.shift(level)
            va = rng.randrange(1 << ia_bits) & ~(bsize - 1)
            if va and not (va <= 0x4040_0000 and va + bsize > ge.RAM_BASE):
                s1.map(va, rng.choice([ge.RAM_BASE, 0x0800_0000, 0]) & ~(bsize - 1),
                       s1_random_attrs(rng), level)
                pool.append((va, bsize))
        # (mostly) the tables themselves, so that the body can rewrite them
        tables_mapped = rng.random() < 0.7
        if tables_mapped:
            for va in range(TABLES, alloc.next + 2 * gsize, gsize):
                s1.map(va, va, s1_attrs(rng, el0=False, exec_=False))
        s1.junk(rng, rng.choice([0, 4, 16, 64]), data_pas + [s1.root])
        # addresses nothing maps: inside the range, past it, TTBR1's, not canonical
        for _ in range(3):
            pool.append((rng.randrange(1 << ia_bits) & ~7, 8))
        pool += [((1 << ia_bits) + rng.randrange(0, 1 << 20, 8), 8),
                 (0xFFFF_FFFF_FFFF_F000, 0x1000), (0x00FF_0000_4008_0000, 8),
                 (0xFFFF_0000_0000_0000 | rng.getrandbits(40), 8)]
        return pool, exec_targets, data_pas, tables_mapped, code_end

    def registers(self, rng, g, s1, cpu):
        """The translation registers of the regime the body runs in, set
        while booting: ((MAIR, TCR, TTBR0, SCTLR), their values)."""
        mair = sum(b << (8 * i) for i, b in enumerate(MAIR + [rng.getrandbits(8)]))
        tg0 = {12: 0, 14: 2, 16: 1}[s1.g]
        ips = rng.choice([0, 1, 2, 5, rng.randrange(8)])
        tcr = (64 - s1.ia_bits) | 1 << 8 | 1 << 10 | 3 << 12 | tg0 << 14
        if g.run_el == 2:
            if cpu == "max" and rng.random() < 0.2:  # VHE: TCR_EL2 has the EL1 layout
                g.hcr_el2 |= 1 << 34
                tcr_el2 = tcr | 1 << 23 | ips << 32
            else:
                tcr_el2 = tcr | min(ips, 5) << 16 | 1 << 23 | 1 << 31
            sctlr = 0x30C50830 | 1 | rng.choice([0, 1 << 2 | 1 << 12]) | (rng.random() < 0.1) << 1
            regs = (ge.MAIR_EL2, ge.TCR_EL2, ge.TTBR0_EL2, ge.SCTLR_EL2)
            vals = (mair, tcr_el2, s1.root, sctlr)
            prev = g.setup_el2  # stage 2's, if any

            def setup_el2(a):
                prev(a)
                self.mmu_on(a, regs, vals, el=2)
            g.setup_el2 = setup_el2
            return regs, vals
        tcr_el1 = (tcr | 1 << 23 | (64 - s1.ia_bits) << 16 | 2 << 30 | ips << 32
                   | rng.randrange(2) << 36 | rng.randrange(4) << 37)
        if rng.random() < 0.2:  # TTBR1 walks too: the same tables
            tcr_el1 &= ~(1 << 23)
            tcr_el1 = (tcr_el1 & ~(3 << 30)) | {12: 2, 14: 1, 16: 3}[s1.g] << 30
        # M, C and I maybe, SA, SA0, A and WXN rarely, DZE, UCI, nTWI, nTWE
        sctlr = (0x30D00800 | 1 | rng.choice([0, 1 << 2 | 1 << 12]) | 1 << 3 | 1 << 4
                 | (rng.random() < 0.1) << 1 | (rng.random() < 0.1) << 19
                 | rng.randrange(2) << 14 | rng.randrange(2) << 26 | 1 << 16 | 1 << 18)
        regs = (ge.MAIR_EL1, ge.TCR_EL1, ge.TTBR0_EL1, ge.SCTLR_EL1)
        vals = (mair, tcr_el1, s1.root | rng.getrandbits(8) << 48, sctlr)
        g.setup_el1 = lambda a: self.mmu_on(a, (ge.TTBR1_EL1,) + regs, (s1.root,) + vals)
        return regs, vals

    @staticmethod
    def mmu_on(a, regs, vals, el=1):
        for r, v in zip(regs[:-1], vals[:-1]):
            a.set_sysreg(r, v)
        a.word(ge.ISB)
        a.sys(*((0, 8, 7, 0) if el == 1 else (4, 8, 7, 0)))  # TLBI VMALLE1 / ALLE2
        a.word(ge.DSB_SY)
        a.set_sysreg(regs[-1], vals[-1])
        a.word(ge.ISB)

    def stage2(self, rng, g, alloc, data_pas, code_end):
        """Stage 2 with a 4K granule: identity for what must work (code,
        stage 1 tables, stacks), random for the rest, holes included."""
        ia_bits, sl0, start = rng.choice([(32, 1, 1), (36, 1, 1), (39, 1, 1), (40, 1, 1),
                                          (32, 0, 2), (48, 2, 0)])
        s2 = Tables(alloc, 12, ia_bits, start)
        if s2.root is None:
            return None
        for va in range(ge.IMAGE_BASE, code_end, 0x1000):
            s2.map(va, va, s2_attrs(rng))
        for va in range(STACKS[0], STACKS[1], 0x1000):
            s2.map(va, va, s2_attrs(rng))
        for pa in data_pas:
            r = rng.random()
            if r < 0.6:
                s2.map(pa, pa, s2_attrs(rng))
            elif r < 0.9:
                s2.map(pa, pa, s2_attrs(rng, rand=True))
        for pa in (ge.UART_BASE, ge.GICD_BASE, ge.GICR_BASE, ge.GICR_BASE + 0x10000):
            if rng.random() < 0.6:
                s2.map(pa, pa, s2_attrs(rng, device=True, rand=rng.random() < 0.2))
        s2.junk(rng, rng.choice([0, 4, 16]), data_pas)
        # The tables last (a stage 1 walk reads through stage 2): stage 1's
        # and stage 2's own, which the guest may then rewrite. A few pages
        # get random attributes: stage 2 faults on stage 1 walks (S1PTW).
        for pa in range(TABLES, alloc.next, 0x1000):
            s2.map(pa, pa, s2_attrs(rng) if rng.random() < 0.95 else s2_attrs(rng, rand=True))
        vtcr = ((64 - ia_bits) | sl0 << 6 | 1 << 8 | 1 << 10 | 3 << 12
                | rng.choice([0, 1, 2, 5]) << 16 | 1 << 31)
        if rng.random() < 0.1:
            vtcr ^= 1 << rng.randrange(32)
        g.hcr_el2 |= 1 | rng.choice([0, 0, 1 << 2, 1 << 3 | 1 << 4])  # VM, maybe PTW/IMO+FMO
        vmid = rng.getrandbits(8)

        def setup_el2(a):
            a.set_sysreg(ge.VTCR_EL2, vtcr)
            a.set_sysreg(ge.VTTBR_EL2, s2.root | vmid << 48)
            a.word(ge.ISB)
            a.sys(4, 8, 7, 6)  # TLBI VMALLS12E1
            a.word(ge.DSB_SY)
        g.setup_el2 = setup_el2
        return s2

    def body(self, rng, a, pool, exec_targets, s1, tables_mapped, run, regs, vals):
        """Random memory operations on the pool's addresses."""
        for _ in range(rng.choice([20, 80, 200])):
            va, size = rng.choice(pool)
            off = rng.randrange(size)
            r = rng.random()
            if r < 0.7:
                off &= ~7
            elif r < 0.85:
                off = size - rng.choice([1, 2, 4, 8])  # the last bytes: some cross the end
            addr = va + off
            a.mov64(1, addr)
            a.mov64(2, rng.getrandbits(64))
            op = rng.random()
            if op < 0.45:
                size_b = rng.choice([1, 2, 4, 8])
                a.ldst(size_b, rng.random() < 0.5, rng.choice([2, 3, 4]), 1)
            elif op < 0.5:
                a.ldst_signed(rng.choice([1, 2, 4]), 3, 1)
            elif op < 0.56:
                a.ldp_stp(rng.random() < 0.5, 2, 3, 1)
            elif op < 0.62:
                a.word(0xC85F7C00 | 1 << 5 | 3)            # ldxr x3, [x1]
                a.word(0xC8007C00 | 4 << 16 | 1 << 5 | 2)  # stxr w4, x2, [x1]
            elif op < 0.66:
                a.word(rng.choice([0xC8DFFC00, 0xC89FFC00]) | 1 << 5 | 2)  # ldar / stlr
            elif op < 0.70:
                a.word(rng.choice([0xF8400800, 0xF8000800, 0x38400800]) | 1 << 5 | 2)  # ldtr/sttr
            elif op < 0.74:
                # DC ZVA, DC CIVAC, DC IVAC, AT S1E1R, AT S1E0W, AT S12E1R, TLBI VAE1, TLBI VALE1
                a.sys(*rng.choice([(3, 7, 4, 1), (3, 7, 14, 1), (0, 7, 6, 1), (0, 7, 8, 0),
                                   (0, 7, 8, 3), (4, 7, 8, 4), (0, 8, 7, 1), (0, 8, 7, 5)]), rt=1)
            elif op < 0.80 and (exec_targets or pool):
                target = rng.choice(exec_targets) if exec_targets and rng.random() < 0.7 else addr
                a.mov64(1, target + rng.choice([0, 0, 4, 2]))
                a.blr(1)
            elif op < 0.85:  # forward conditional branch over a few instructions
                a.b_cond(rng.randrange(16), a.pc + 4 * rng.randrange(1, 4))
            elif op < 0.93 and tables_mapped:
                # rewrite a descriptor in place, then maybe invalidate
                t = rng.choice(sorted(s1.tables))
                e = t + 8 * rng.randrange(len(s1.tables[t]) // 8)
                if e in s1.path and rng.random() < 0.9:
                    continue  # the code's own mapping: rarely
                a.mov64(1, e)
                old = s1.get(e) or 0
                a.mov64(2, rng.choice([0, old ^ (1 << rng.randrange(64)), rng.getrandbits(64),
                                       old & ~(1 << 10)]))
                a.ldst(8, False, 2, 1)
                if rng.random() < 0.7:
                    a.word(ge.DSB_SY)
                    a.sys(*rng.choice([(0, 8, 7, 0), (0, 8, 3, 0), (4, 8, 7, 0), (4, 8, 7, 4)]))
                    a.word(ge.DSB_SY)
                    a.word(ge.ISB)
            elif run > 0:
                # a translation register changes under the running code
                # (MAIR, TCR, TTBR0, SCTLR). Mostly bits that leave the code
                # mapped (ASID, cacheability, TBI, alignment checks, M itself:
                # the code is identity-mapped); sometimes any bit, which
                # usually ends the run in a fault.
                k = rng.randrange(len(regs))
                safe = {0: range(64), 1: [8, 9, 10, 11, 22, 23, 36, 37, 38],
                        2: range(48, 56), 3: [0, 1, 2, 12, 19]}[k]
                bit = rng.choice(safe) if rng.random() < 0.9 else rng.randrange(64)
                v = vals[k] ^ (1 << bit)
                a.set_sysreg(regs[k], v, tmp=2)
                a.word(ge.ISB)
                if rng.random() < 0.8:
                    a.set_sysreg(regs[k], vals[k], tmp=2)
                    a.word(ge.ISB)


GENERATORS = [Mmu()]
