"""Generators of mutated inputs: ELF images, trace files, stimulus files
and cost files, fed to `run`, `replay` and the `trace` commands.

- mut-elf:   the guests in $BUILD/guest and $BUILD/trace-guest with bytes
             flipped, the file cut or grown, and fields of the ELF header,
             the program headers, the section headers and the symbols set
             to edge values (0, all ones, the file size, the end of RAM...).
- mut-trace: small real recordings (made once per driver run, below) and
             tests/trace/mktrace.py's all-kinds trace, mutated field by
             field through tracefile.py (header items, record kinds, PEs,
             deltas, payloads, block and end counts) or byte by byte, then
             with every checksum, hash and length repaired (mostly) so the
             reader's inner layers see the change.
- mut-stim:  stimulus files from a grammar of valid and broken lines.
- mut-cost:  cost files from a grammar of valid and broken lines.
"""
import os
import struct
import subprocess

import tracefile

EDGE64 = [0, 1, 0xFFFF_FFFF_FFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000,
          0xFFFF_FFFF, 0x1_0000_0000, 0x4000_0000, 0x3FFF_FFFF, 0x4008_0000,
          0x6000_0000, 0x5FFF_FFFF, 0x4000_0000 + (64 << 30), 0x0900_0000, 0x0800_0000]


def edge(rng, width, current=None, filesize=None):
    """An interesting value for a field of WIDTH bytes."""
    top = (1 << (8 * width)) - 1
    cands = [0, 1, top, top >> 1, top - 1, 1 << (8 * width - 1)]
    if width >= 4:
        cands += [v & top for v in EDGE64]
    if current is not None:
        cands += [(current + d) & top for d in (-8, -1, 1, 8, 0x1000)] + [(current << 1) & top]
    if filesize is not None:
        cands += [filesize, filesize - 1, filesize + 1, filesize // 2]
    return rng.choice(cands) & top if rng.random() < 0.85 else rng.getrandbits(8 * width)


def byte_mutations(rng, data, n=None, protect=0):
    """N random byte changes (flip, set, insert, delete) after offset PROTECT."""
    data = bytearray(data)
    for _ in range(n or rng.randrange(1, 8)):
        if len(data) <= protect:
            break
        i = rng.randrange(protect, len(data))
        r = rng.random()
        if r < 0.4:
            data[i] ^= 1 << rng.randrange(8)
        elif r < 0.7:
            data[i] = rng.choice([0, 0xFF, 0x7F, 0x80, rng.getrandbits(8)])
        elif r < 0.85:
            data[i:i] = bytes(rng.getrandbits(8) for _ in range(rng.choice([1, 2, 4, 8])))
        else:
            del data[i:i + rng.choice([1, 2, 4, 8])]
    return bytes(data)


def run_bounds(rng):
    return ["--max-insns", str(rng.choice([10000, 100000, 1000000])),
            "--max-cycles", str(rng.choice([10**6, 10**8]))]


# ---------------------------------------------------------------- ELF

class MutElf:
    NAME = "mut-elf"
    SAMPLE = 450

    @staticmethod
    def fields(data):
        """(offset, width) of every header, program header, section header
        and symbol field of an ELF64 file."""
        out = [(o, w) for o, w in [(4, 1), (5, 1), (6, 1), (0x10, 2), (0x12, 2), (0x14, 4),
                                   (0x18, 8), (0x20, 8), (0x28, 8), (0x30, 4), (0x34, 2),
                                   (0x36, 2), (0x38, 2), (0x3A, 2), (0x3C, 2), (0x3E, 2)]]
        if len(data) < 64:
            return out
        phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
        phnum, shnum = struct.unpack_from("<H", data, 0x38)[0], struct.unpack_from("<H", data, 0x3C)[0]
        for i in range(phnum):
            base = phoff + 56 * i
            if base + 56 <= len(data):
                out += [(base + o, w) for o, w in [(0, 4), (4, 4), (8, 8), (16, 8), (24, 8),
                                                   (32, 8), (40, 8), (48, 8)]]
        for j in range(shnum):
            base = shoff + 64 * j
            if base + 64 > len(data):
                continue
            out += [(base + o, w) for o, w in [(0, 4), (4, 4), (8, 8), (16, 8), (24, 8), (32, 8),
                                               (40, 4), (44, 4), (48, 8), (56, 8)]]
            sh_type, = struct.unpack_from("<I", data, base + 4)
            off, size = struct.unpack_from("<QQ", data, base + 24)
            if sh_type == 2 and off + size <= len(data):  # SYMTAB: a few symbols
                for k in range(0, min(size // 24, 64)):
                    out += [(off + 24 * k + o, w) for o, w in [(0, 4), (4, 1), (6, 2), (8, 8),
                                                               (16, 8)]]
        return out

    def mutate(self, rng, data):
        for _ in range(rng.randrange(1, 4)):
            r = rng.random()
            if r < 0.5:
                fields = self.fields(data)
                off, w = rng.choice(fields)
                if off + w <= len(data):
                    cur = int.from_bytes(data[off:off + w], "little")
                    v = edge(rng, w, cur, len(data))
                    data = data[:off] + v.to_bytes(w, "little") + data[off + w:]
            elif r < 0.7:
                data = byte_mutations(rng, data)
            elif r < 0.85:  # cut: anywhere, or inside the headers
                cut = rng.choice([rng.randrange(len(data) + 1), rng.randrange(0x40),
                                  rng.randrange(0x40, 0x40 + 56 * 2), len(data) - rng.randrange(1, 64)])
                data = data[:max(cut, 0)]
            else:  # grow
                extra = rng.choice([b"\0" * rng.randrange(1, 5000),
                                    bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 300))),
                                    data[:rng.randrange(len(data) + 1)]])
                data = data + extra
        return data

    def case(self, rng, ctx, d):
        seeds = ctx.guests + sorted(ctx.trace_guests.values())
        src = rng.choice(seeds)
        with open(src, "rb") as f:
            data = self.mutate(rng, f.read())
        ctx.write(d, "m.elf", data)
        args = ["run", "m.elf"] + run_bounds(rng)
        if rng.random() < 0.3:
            args += ["--mem", rng.choice(["1M", "2M", "8M", "64M", "64G"])]
        if rng.random() < 0.2:
            args += ["--el", "2"]
        if rng.random() < 0.3:
            args += ["--uart-out", "uart.txt"]
            out = ["uart.txt"]
        else:
            out = []
        if rng.random() < 0.3:
            # an instruction trace costs the dump time in proportion: keep it short
            args[args.index("--max-insns") + 1] = str(rng.choice([1000, 20000]))
            args += ["--trace", "t.trace", "--trace-insns"]
            return [ctx.Cmd(args, outputs=out + ["t.trace"]),
                    ctx.Cmd(["trace", "dump", "t.trace", "--image", "m.elf"]),
                    ctx.Cmd(["replay", "t.trace", "--image", "m.elf"], replay_of="t.trace")]
        return [ctx.Cmd(args, outputs=out)]


# ---------------------------------------------------------------- traces

def record_seeds(ctx):
    """Small real recordings of every record kind the machine writes, each
    (trace, image) with the image it was recorded from (None for the
    synthetic all-kinds trace). Made with the plain build, once."""
    d = os.path.join(ctx.workdir, "seeds")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "echo.stim"), "w") as f:
        f.write('@100 uart-rx "hi\\n"\n@200 uart-rx "there."\n')
    spi_stim = os.path.join(ctx.repo, "tests", "trace", "spi_level.stim")
    plan = [
        ("hello", ctx.guest("hello"), ["--trace-insns", "--trace-mmio"]),
        ("echo", ctx.guest("uartecho"), ["--stimulus", "echo.stim", "--trace-mmio"]),
        ("spi", ctx.guest("spi_level"), ["--stimulus", spi_stim]),
        ("timer", ctx.guest("timer_cycle"), ["--cntfrq", "24000000"]),
        ("smp", ctx.guest("smp_counter"), ["--cpus", "2"]),
        ("el2", ctx.guest("exc_el2"), ["--el", "2"]),
        ("wfi", ctx.guest("wfi"), []),
        ("spin", ctx.guest("spin"), ["--max-insns", "1000", "--trace-insns"]),
        ("ipi", ctx.guest("gic_ipi4"), ["--cpus", "4"]),
        ("pnmi", ctx.guest("pnmi_irqflags"), ["--trace-mmio"]),
    ]
    seeds = []
    for name, image, extra in plan:
        path = os.path.join(d, name + ".trace")
        subprocess.run([ctx.plain, "run", image, "--trace", path] + extra, cwd=d,
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        if os.path.exists(path):
            seeds.append((path, image))
    path = os.path.join(d, "all-kinds.trace")
    subprocess.run(["python3", os.path.join(ctx.repo, "tests", "trace", "mktrace.py"),
                    "all-kinds", path], capture_output=True)
    if os.path.exists(path):
        seeds.append((path, None))
    return seeds


KIND_FIXED = tracefile.KIND_FIXED
KINDS = sorted(KIND_FIXED)  # every kind of the current version
ITEM_KEYS = [b"image.hash", b"mem", b"cpus", b"el", b"cpu-profile", b"quantum", b"max-insns",
             b"max-cycles", b"race-seed", b"gic.spis", b"gic.pri-bits", b"latency.gic", b"cntfrq",
             b"latency.power-on", b"cost.load", b"cost.exc_entry", b"trace.insns", b"trace.mmio"]
ITEM_VALUES = {b"mem": [0, 1, 1 << 20, (1 << 20) + 1, 64 << 30, (64 << 30) + 4096, 2**64 - 1],
               b"cpus": [0, 1, 2, 8, 9, 255, 2**32 + 1], b"el": [0, 1, 2, 3],
               b"cpu-profile": [0, 1, 2, 255], b"quantum": [0, 1, 2**32, 2**32 + 1, 2**63],
               b"gic.spis": [0, 31, 32, 33, 960, 992, 2**32], b"gic.pri-bits": [0, 3, 4, 8, 9],
               b"latency.gic": [0, 1, 2**32, 2**62, 2**64 - 1], b"cntfrq": [0, 1, 10**9, 10**9 + 1],
               b"race-seed": [0, 1, 2**64 - 1], b"cost.load": [0, 1, 65535, 65536, 2**32],
               b"max-cycles": [0, 1, 100, 2**62, 2**63]}


class MutTrace:
    NAME = "mut-trace"
    SAMPLE = 450

    def mutate_struct(self, rng, t):
        """One change to the parsed trace T."""
        r = rng.random()
        recs = [(b, i) for b in t.blocks for i in range(len(b.records))]
        if r < 0.25:  # a configuration item
            k = rng.randrange(len(t.items)) if t.items else None
            s = rng.random()
            if k is None or s < 0.15:
                t.items.insert(rng.randrange(len(t.items) + 1),
                               (rng.choice(ITEM_KEYS + [b"x" * rng.choice([1, 47, 48]), b"bogus.key"]),
                                edge(rng, 8)))
            elif s < 0.3:
                del t.items[k]
            elif s < 0.4:
                t.items.insert(k, t.items[k])  # the same key twice
            else:
                key, v = t.items[k]
                if key == b"image.hash" and rng.random() < 0.8:
                    return
                vals = ITEM_VALUES.get(key)
                t.items[k] = (key, rng.choice(vals) if vals and rng.random() < 0.7 else edge(rng, 8, v))
        elif r < 0.3:
            s = rng.random()
            if s < 0.4:  # 1: the version without pe-state, whose records it then holds
                t.version = rng.choice([0, 1, tracefile.VERSION + 1, 2**32 - 1])
            elif s < 0.8:
                t.sim = rng.choice([b"", b"9.9.9", b"x" * 255, b"0.1.0\0junk", bytes([0xFF] * 31)])
            else:
                t.config_hash = rng.getrandbits(64)
        elif r < 0.65 and recs:  # a record field
            b, i = rng.choice(recs)
            rec = b.records[i]
            s = rng.random()
            if s < 0.2:
                rec.kind = rng.choice([0, len(KINDS) + 1, 127, rng.choice(KINDS)])
            elif s < 0.35:
                rec.pe = rng.choice([0, 1, 7, 8, 254, 0xFF])
            elif s < 0.5:
                rec.delta = rng.choice([0, -1, 255, 256, -2**31, 2**31 - 1, rng.randrange(-10**6, 10**6)])
                rec.short = rng.random() < 0.5
            elif s < 0.8 and rec.payload:
                p = bytearray(rec.payload)
                j = rng.randrange(len(p))
                if rec.kind == tracefile.PE_STATE and rng.random() < 0.5:
                    # a register: replay must name it as the difference
                    j = rng.choice(list(tracefile.PE_STATE_OFFSETS.values()))
                w = rng.choice([1, 4, 8])
                p[j:j + w] = edge(rng, w).to_bytes(w, "little")[:len(p) - j]
                rec.payload = bytes(p)
            else:  # the payload length: one byte more or less, or the other kind's
                want = KIND_FIXED.get(rec.kind)
                rec.payload = rng.choice([rec.payload[:-1], rec.payload + b"\0",
                                          bytes(want or 0), bytes(rng.randrange(0, 5000))])
        elif r < 0.8 and recs:  # records added, removed, moved
            b, i = rng.choice(recs)
            s = rng.random()
            if s < 0.3:
                del b.records[i]
            elif s < 0.6:
                b.records.insert(i, b.records[i])
            elif s < 0.8:
                j = rng.randrange(len(b.records))
                b.records[i], b.records[j] = b.records[j], b.records[i]
            else:
                kind = rng.choice(KINDS)
                n = KIND_FIXED[kind] if KIND_FIXED[kind] is not None else 1 + rng.choice([0, 4095, 4096])
                b.records.insert(i, tracefile.Record(kind, rng.choice([0, 1, 0xFF]),
                                                     rng.randrange(300),
                                                     bytes(rng.getrandbits(8) for _ in range(n)),
                                                     rng.random() < 0.5))
        elif r < 0.9 and t.blocks:  # a block
            b = rng.choice(t.blocks)
            s = rng.random()
            if s < 0.25:
                b.base = edge(rng, 8, b.base)
            elif s < 0.45:
                b.count = edge(rng, 4, len(b.records))
            elif s < 0.6:
                b.length = rng.choice([0, 1, 1 << 20, (1 << 20) + 1, 2**32 - 1])
            elif s < 0.7:
                b.magic = rng.getrandbits(32)
            elif s < 0.85:
                t.blocks.append(tracefile.Block(b.base, list(b.records)))
            else:  # split it in two
                k = rng.randrange(len(b.records) + 1)
                i = t.blocks.index(b)
                t.blocks[i:i + 1] = [tracefile.Block(b.base, b.records[:k]),
                                     tracefile.Block(b.base, b.records[k:])]
        else:  # the end marker
            s = rng.random()
            if s < 0.3:
                t.has_end = False
            elif s < 0.7:
                t.end_counts = (edge(rng, 8), edge(rng, 8))
            else:
                t.trailer = rng.choice([b"\0", b"TEND", bytes(rng.getrandbits(8) for _ in range(30))])

    def mutate_inputs(self, rng, t):
        """Configuration items to other values (valid and not), the
        external inputs (SPI numbers and levels, UART bytes) and the
        registers recorded at the end changed, nothing else: the file stays
        well-formed."""
        for _ in range(rng.randrange(1, 4)):
            states = [r for b in t.blocks for r in b.records if r.kind == tracefile.PE_STATE]
            if states and rng.random() < 0.15:  # replay must find the register that differs
                rec = rng.choice(states)
                j = rng.choice(list(tracefile.PE_STATE_OFFSETS.values()))
                w = rng.choice([1, 8])
                p = bytearray(rec.payload)
                p[j:j + w] = edge(rng, w).to_bytes(w, "little")
                rec.payload = bytes(p)
                continue
            if rng.random() < 0.6 and t.items:
                k = rng.randrange(len(t.items))
                key, v = t.items[k]
                if key == b"image.hash":
                    continue
                vals = ITEM_VALUES.get(key, [0, 1, v + 1, v * 2])
                t.items[k] = (key, rng.choice(vals) if rng.random() < 0.8 else edge(rng, 8, v))
                continue
            inputs = [(b, r) for b in t.blocks for r in b.records if r.kind in (14, 15, 16)]
            if not inputs:
                continue
            b, rec = rng.choice(inputs)
            if rng.random() < 0.2:  # the inputs' block at the end of time
                b.base = rng.choice([2**64 - 1, 2**64 - 2, 2**63, 2**64 - 2**32])
                continue
            if rec.kind == 15:    # input-spi: intid (4), level (1)
                rec.payload = struct.pack("<IB", rng.choice([0, 31, 32, 33, 40, 287, 288, 1019,
                                                             1020, 2**32 - 1]),
                                          rng.choice([0, 1, 2, 255]))
            elif rec.kind == 14:  # input-uart-rx: text
                rec.payload = rng.choice([b".", b"x" * 4096, bytes(range(256)), b"\0"])
            else:                 # input-host-uart: request (8), byte (1)
                rec.payload = struct.pack("<QB", edge(rng, 8), rng.getrandbits(8))

    def case(self, rng, ctx, d):
        seeds = ctx.seed_traces()
        path, image = rng.choice(seeds)
        with open(path, "rb") as f:
            orig = f.read()
        t = tracefile.parse(orig)
        well_formed = rng.random() < 0.4
        if well_formed:
            # a file the reader accepts whose content is odd: the recorded
            # configuration and the external inputs, which replay acts on
            self.mutate_inputs(rng, t)
        else:
            for _ in range(rng.choice([1, 1, 2, 4])):
                self.mutate_struct(rng, t)
        replaying = image is not None and (well_formed or rng.random() < 0.5)
        if replaying:
            # replay takes its limits from the header and has none of its
            # own: keep one, so that a mutated configuration still ends
            mi = t.item(b"max-insns")
            if mi is None or mi == 0 or mi > 2_000_000:
                t.item(b"max-insns", rng.choice([1000, 2_000_000]))
        data, crcs = t.encode()
        r = rng.random() if not well_formed else 1
        if r < 0.25:  # bytes changed after the fact, checksums repaired
            data = tracefile.repair(byte_mutations(rng, data, protect=8), crcs)
        elif r < 0.3:
            data = byte_mutations(rng, data)  # checksums left as they are
        if not well_formed and rng.random() < 0.1:
            data = data[:rng.randrange(len(data) + 1)]
        ctx.write(d, "m.trace", data)
        ctx.copy(d, path, "orig.trace")
        if image:
            ctx.copy(d, image, "image.elf")
            ctx.copy(d, rng.choice(ctx.guests), "other.elf")
        cmds = []
        kinds = ["insn", "exc-entry", "uart-tx", "psci", "mmio", "run-end", "bogus", "", "irq-state",
                 "pe-state"]
        for _ in range(rng.choice([1, 2, 3])):
            c = rng.random()
            if c < 0.3:
                args = ["trace", "dump", "m.trace"]
                if image and rng.random() < 0.5:
                    args += ["--image", "image.elf"]
                if rng.random() < 0.3:
                    args += ["--kinds", ",".join(rng.sample(kinds, rng.randrange(1, 4)))]
                if rng.random() < 0.2:
                    args += ["--pe", str(rng.choice([0, 1, 255, 256]))]
                if rng.random() < 0.2:
                    args += ["--from", str(rng.choice([0, 100, 2**63])),
                             "--to", str(rng.choice([0, 1000, 2**64 - 1]))]
                cmds.append(ctx.Cmd(args))
            elif c < 0.45:
                cmds.append(ctx.Cmd(["trace", "stats", "m.trace"]))
            elif c < 0.6:
                args = ["trace", "diff"] + rng.sample(["m.trace", "orig.trace"], 2)
                if image and rng.random() < 0.3:
                    args += ["--image", "image.elf"]
                cmds.append(ctx.Cmd(args))
            elif c < 0.75:
                cmds.append(ctx.Cmd(["trace", "timeline", "m.trace", "-o", "out.json"],
                                    outputs=["out.json"]))
            elif image:
                # mostly the image it was recorded from, sometimes another one
                args = ["replay", "m.trace", "--image",
                        "image.elf" if rng.random() < 0.9 else "other.elf"]
                out = []
                if rng.random() < 0.3:
                    args += ["--uart-out", "uart.txt"]
                    out = ["uart.txt"]
                cmds.append(ctx.Cmd(args, outputs=out))
        return cmds


# ---------------------------------------------------------------- stimulus files

class MutStim:
    NAME = "mut-stim"
    SAMPLE = 350

    @staticmethod
    def cycle(rng, prev, valid):
        """(text, value) of the next event's cycle."""
        if valid:
            if rng.random() < 0.1:  # the top of the range: time near 2^64
                c = max(prev, rng.choice([2**64 - 1, 2**64 - 2, 2**63, 2**62, 2**64 - 4096]))
            else:
                c = prev + rng.choice([0, 1, 100, 5000, 20000])
            return (str(c) if rng.random() < 0.7 else hex(c)), c
        return rng.choice(["", "0x", "abc", "-1", "+5", "010", "0x10", " 1", "1 ", str(2**64),
                           "0x" + "1" * 17, "9" * 40, "1e3", str(max(prev - 1, 0))]), prev

    @staticmethod
    def string(rng, valid):
        parts = []
        for _ in range(rng.randrange(0 if not valid else 1, 6)):
            r = rng.random()
            if r < 0.45:
                parts.append(rng.choice(["hello", ".", "x", "A" * 100, "\t", " "]))
            elif r < 0.8 or valid:
                parts.append(rng.choice(["\\n", "\\r", "\\t", "\\0", "\\\\", '\\"', "\\x41",
                                         "\\xff", "\\x00"]))
            elif r < 0.9:
                parts.append(rng.choice(["\\q", "\\x", "\\xG1", "\\x1", "\\", "\\u0041"]))
            else:
                parts.append(rng.choice(["a" * 4095, "b" * 4096, "c" * 4097, "\\x41" * 4097]))
        s = "".join(parts)
        if valid:
            return '"%s"' % s[:4096]
        return rng.choice(['"%s"' % s, '"%s' % s, s, '""', '"a" "b"'])

    def line(self, rng, prev, valid):
        cyc, prev = self.cycle(rng, prev, valid or rng.random() < 0.5)
        r = rng.random()
        if r < 0.4:
            line = "@%s uart-rx %s" % (cyc, self.string(rng, valid))
        elif r < 0.8:
            # (valid for the default --spis 256; a case may pick fewer or more)
            intid = rng.choice(["32", "33", "40", "287", "64", "40", "33"] if valid else
                               ["31", "288", "959", "1020", str(2**32), "-1", "0x28", ""])
            lvl = rng.choice(["0", "1", "1"] if valid else ["2", "", "01"])
            line = "@%s spi %s level %s" % (cyc, intid, lvl)
        elif r < 0.9:
            line = rng.choice(["", "# a comment", "   ", "\t# x", "#" * 600])
        elif valid:
            line = "@%s  uart-rx\t\"tab\"  # c" % cyc
        else:
            line = rng.choice(["uart-rx \"x\"", "@%s frob" % cyc, "@%s" % cyc, "@",
                               "@%s uart-rx \"ok\" junk" % cyc, "@%s spi" % cyc, "x" * 70000,
                               "@%s spi 40 1" % cyc])
        if rng.random() < 0.2:
            line += "  # trailing comment"
        return line, prev

    def text(self, rng):
        """Lines each valid with a probability of the case's own, so whole
        valid files (which reach the run) are common."""
        p_valid = rng.choice([0.5, 0.9, 1.0, 1.0])
        lines, prev = [], 0
        for _ in range(rng.randrange(0, 12)):
            line, prev = self.line(rng, prev, rng.random() < p_valid)
            lines.append(line)
        eol = rng.choice(["\n", "\n", "\r\n", "\r"])
        data = (eol.join(lines) + rng.choice([eol, ""])).encode()
        if rng.random() < 0.15:
            data = byte_mutations(rng, data)
        return data

    def case(self, rng, ctx, d):
        ctx.write(d, "s.stim", self.text(rng))
        image = rng.choice(["uartecho", "spi_level", "hello"])
        ctx.copy(d, ctx.guest(image), "image.elf")
        args = ["run", "image.elf", "--stimulus", "s.stim"] + run_bounds(rng)
        if rng.random() < 0.3:
            args += ["--spis", rng.choice(["32", "64", "256", "960"])]
        if rng.random() < 0.3:
            args += ["--uart-out", "uart.txt"]
            out = ["uart.txt"]
        else:
            out = []
        if rng.random() < 0.3:
            args += ["--trace", "t.trace"]
            return [ctx.Cmd(args, outputs=out + ["t.trace"]),
                    ctx.Cmd(["trace", "dump", "t.trace", "--kinds", "input-uart-rx,input-spi"]),
                    ctx.Cmd(["replay", "t.trace", "--image", "image.elf"], replay_of="t.trace")]
        return [ctx.Cmd(args, outputs=out)]


# ---------------------------------------------------------------- cost files

CLASSES = ["alu", "mul", "div", "branch", "load", "store", "mmio", "sysreg", "barrier", "hint",
           "exception", "exc_entry"]


class MutCost:
    NAME = "mut-cost"
    SAMPLE = 250

    def text(self, rng):
        lines = []
        for _ in range(rng.randrange(0, 10)):
            r = rng.random()
            cls = rng.choice(CLASSES) if rng.random() < 0.8 else rng.choice(
                ["ALU", "alu2", "", "exc", "exc_entry ", " load", "lo ad", "cost.load", "é"])
            val = (str(rng.choice([1, 2, 3, 10, 100, 65535])) if rng.random() < 0.6 else
                   rng.choice(["0", "65536", "-1", str(2**32), str(2**64), "", " 1", "010", "0x10",
                               "1e3", "+5", "5 5", "5x", "9" * 30, "1.5"]))
            sep = rng.choice([" = ", "=", "  =  ", "\t=\t", ":", "==", " "])
            line = cls + sep + val
            if r < 0.1:
                line = rng.choice(["", "# comment", "=", "= 5", "load =", "x" * 511, "x" * 512,
                                   "load = 5" + " " * 600, "# " + "y" * 2000])
            elif r < 0.2:
                line += rng.choice(["  # slow", "#", " # = 7"])
            lines.append(line)
        eol = rng.choice(["\n", "\n", "\r\n"])
        data = (eol.join(lines) + rng.choice([eol, ""])).encode()
        if rng.random() < 0.2:
            data = byte_mutations(rng, data)
        return data

    def case(self, rng, ctx, d):
        ctx.write(d, "c.cost", self.text(rng))
        r = rng.random()
        if r < 0.6:
            image = rng.choice(["hello", "demo", "timer_el1", "smp_counter"])
            ctx.copy(d, ctx.guest(image), "image.elf")
            args = ["run", "image.elf", "--cost", "c.cost"] + run_bounds(rng)
            if image == "smp_counter":
                args += ["--cpus", "2"]
            return [ctx.Cmd(args)]
        path, image = rng.choice([s for s in ctx.seed_traces() if s[1]])
        ctx.copy(d, path, "orig.trace")
        ctx.copy(d, image, "image.elf")
        return [ctx.Cmd(["replay", "orig.trace", "--image", "image.elf", "--cost", "c.cost"])]


GENERATORS = [MutElf(), MutTrace(), MutStim(), MutCost()]
