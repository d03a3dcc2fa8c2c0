"""Generator of random command lines: every command of `a64sim --help`
with a random subset of its options, each with a valid, boundary or
invalid value (0, 1, 2^32, 2^62, 2^64-1, -1, " 1", "010", "0x10", empty,
huge), in `--opt VALUE` or `--opt=VALUE` form, sometimes repeated, missing
its value, or unknown; files that exist, are missing, are directories or
/dev/null, /dev/full.

A guest run is always bounded: unless the line carries a valid, small
--max-insns, the image is one that ends by itself (hello, exit3, wfi,
semihost, demo).
"""

NUMBERS = ["0", "1", "2", "7", "4294967295", "4294967296", "4611686018427387904",
           "4611686018427387905", "18446744073709551615", "18446744073709551616", "-1", " 1",
           "1 ", "010", "0x10", "0X10", "0x", "", "9" * 5000, "1e3", "+1", "0b1", "1K",
           "\uff11", "0x" + "f" * 17, "0x0", "00", "1\n"]

# Values each option accepts (VALID) and values it should refuse beyond
# the generic NUMBERS (INVALID); a case draws valid ones with a
# probability of its own, so that whole valid lines with one odd value in
# them are common too.
VALID = {
    "--mem": ["1M", "2M", "512M", "64G", "1024K", "2MiB", "3MB", "1G"],
    "--el": ["1", "2"],
    "--cpu": ["a57", "max", "cortex-a57"],
    "--cpus": ["1", "2", "4", "8"],
    "--quantum": ["1", "100", "4096", "4294967296"],
    "--spis": ["32", "64", "224", "960"],
    "--gic-pri-bits": ["4", "5", "8"],
    "--gic-latency": ["0", "1", "100", "1000000"],
    "--race-seed": ["0", "7", "18446744073709551615"],
    "--cntfrq": ["1", "24000000", "62500000", "1000000000"],
    "--explain-at": ["100", "0", "irq:5", "irq:33", "irq:1019", "pc:0x40080000",
                     "18446744073709551615"],
    "--max-insns": ["1", "1000", "100000"],
    "--max-cycles": ["1", "1000", "1000000"],
    "--pe": ["0", "1", "7", "255"],
    "--from": ["0", "100", "18446744073709551615"],
    "--to": ["0", "1000", "18446744073709551615"],
    "--kinds": ["insn", "uart-tx,psci", "run-end", "irq-state,exc-entry,mmio"],
    "--uart-in": ["in.txt", "/dev/null"],
    "--cost": ["good.cost", "/dev/null"],
    "--stimulus": ["good.stim", "/dev/null"],
    "--image": ["image.elf"],
    "--uart-out": ["uart.out", "/dev/null", "/dev/full"],
    "--trace": ["t.out", "/dev/null", "/dev/full"],
    "-o": ["out.json", "/dev/null", "/dev/full"],
}
INVALID = {
    "--mem": ["0M", "100G", "1.5M", "4K", "65G", "1m", "1", "1048576", "M", "4097K"],
    "--el": ["0", "3"],
    "--cpu": ["MAX", "a53", ""],
    "--cpus": ["9"],
    "--quantum": ["4294967297"],
    "--spis": ["33", "992", "0"],
    "--gic-pri-bits": ["3", "9"],
    "--explain-at": ["irq:1020", "irq:", "pc:", "pc:zz", "foo", "irq:-1", "pc:0x" + "f" * 17],
    "--pe": ["256"],
    "--kinds": ["bogus", "", ",", "insn,,psci", "run-end,run-end", "insn," * 50],
    "--uart-in": ["missing.txt", ".", ""],
    "--cost": ["missing.cost", ".", "bad.cost"],
    "--stimulus": ["missing.stim", ".", "bad.stim"],
    "--image": ["missing.elf", ".", "/dev/null", "good.cost"],
    "--uart-out": ["nodir/uart.out", ".", ""],
    "--trace": ["nodir/t.out", ".", ""],
    "-o": ["nodir/out.json", ".", ""],
}
OUTPUT_NAMES = ["uart.out", "t.out", "out.json"]
FLAGS = ["--trace-insns", "--trace-mmio"]
RUN_OPTS = ["--mem", "--max-insns", "--max-cycles", "--uart-out", "--uart-in", "--cost", "--el",
            "--cpu", "--cpus", "--quantum", "--spis", "--gic-pri-bits", "--gic-latency",
            "--race-seed", "--cntfrq", "--explain-at", "--trace", "--trace-insns", "--trace-mmio",
            "--stimulus"]
UNKNOWN = ["--bogus", "-x", "--", "-", "--max-insns5", "--MEM", "--help", "--version", "-h",
           "--trace-insns=1", "--=", "---mem"]
SELF_ENDING = ["hello", "exit3", "wfi", "semihost", "demo"]


def value(rng, opt, p_valid):
    if rng.random() < p_valid:
        return rng.choice(VALID[opt])
    if opt in INVALID and rng.random() < 0.6:
        return rng.choice(INVALID[opt])
    return rng.choice(NUMBERS)


def options(rng, names, p_valid):
    """A random list of options from NAMES (with values), each valid with
    probability P_VALID; repeated, valueless and unknown ones too."""
    out = []
    chosen = rng.sample(names, rng.randrange(0, min(len(names), 7) + 1))
    for opt in chosen:
        for _ in range(rng.choice([1, 1, 1, 1, 2]) if opt != "--explain-at" else
                       rng.choice([1, 2, 16, 17])):
            if opt in FLAGS:
                out.append([opt] if rng.random() < 0.95 else [opt + "=1"])
                continue
            v = value(rng, opt, p_valid)
            r = rng.random()
            if r < 0.8 or p_valid == 1:
                out.append([opt, v])
            elif r < 0.95:
                out.append([opt + "=" + v])
            else:
                out.append([opt])  # value missing (or the next option taken as one)
    if rng.random() < 0.1 * (1 - p_valid) * 2:
        out.append([rng.choice(UNKNOWN)])
    rng.shuffle(out)
    return [x for group in out for x in group]


def bounded(args):
    """True when ARGS carry one valid --max-insns or --max-cycles (as a64sim
    would read it: a plain decimal from 1 to 10^6)."""
    for i, a in enumerate(args):
        for opt in ("--max-insns", "--max-cycles"):
            v = None
            if a == opt and i + 1 < len(args):
                v = args[i + 1]
            elif a.startswith(opt + "="):
                v = a[len(opt) + 1:]
            if v is not None and v.isascii() and v.isdigit() and len(v) <= 7 \
                    and 1 <= int(v) <= 10**6 \
                    and args.count(opt) + sum(x.startswith(opt + "=") for x in args) == 1:
                return True
    return False


class Cmdline:
    NAME = "cmdline"
    SAMPLE = 500

    def inputs(self, rng, ctx, d):
        ctx.write(d, "in.txt", "hello\n.")
        ctx.write(d, "good.cost", "load = 5\nmul = 4\n")
        ctx.write(d, "bad.cost", "load = 0\n")
        ctx.write(d, "good.stim", '@100 uart-rx "x."\n@200 spi 40 level 1\n')
        ctx.write(d, "bad.stim", '@100 spi 300 level 1\n')
        seeds = [s for s in ctx.seed_traces() if s[1]]
        path, image = rng.choice(seeds)
        ctx.copy(d, path, "a.trace")
        ctx.copy(d, image, "image.elf")
        path2, _ = rng.choice(seeds)
        ctx.copy(d, path2, "b.trace")

    def case(self, rng, ctx, d):
        self.inputs(rng, ctx, d)
        p = rng.choice([0.5, 0.9, 1.0])
        r = rng.random()
        if r < 0.55:
            opts = options(rng, RUN_OPTS, p)
            if bounded(opts) and rng.random() < 0.5:
                image = rng.choice(SELF_ENDING + ["spin", "uartecho", "timer_el1", "gic_ipi4"])
            else:
                image = rng.choice(SELF_ENDING)
            ctx.copy(d, ctx.guest(image), "run.elf")
            pos = rng.randrange(len(opts) + 1)
            args = ["run"] + opts[:pos] + ["run.elf"] + opts[pos:]
            if rng.random() < 0.05:
                args.insert(rng.randrange(1, len(args) + 1), "image.elf")  # a second image
        elif r < 0.68:
            args = ["replay", "a.trace"] + options(rng, ["--image", "--cost", "--uart-out"], p)
            if "--image" not in " ".join(args) and rng.random() < 0.8:
                args += ["--image", "image.elf"]
        elif r < 0.8:
            args = ["trace", "dump", "a.trace"] + options(rng, ["--image", "--pe", "--from", "--to",
                                                                "--kinds"], p)
        elif r < 0.86:
            args = ["trace", "diff", "a.trace", rng.choice(["b.trace", "a.trace", "missing"])] + \
                options(rng, ["--image"], p)
        elif r < 0.92:
            args = ["trace", "timeline", "a.trace"] + options(rng, ["-o"], p)
        elif r < 0.96:
            args = ["trace", "stats", rng.choice(["a.trace", "image.elf", "missing", "."])] + \
                options(rng, ["--pe"], p)
        else:
            args = rng.choice([[], ["--help"], ["--version"], ["help"], ["trace"], ["trace", "x"],
                               ["runn"], ["run"], ["replay"], ["trace", "dump"], [""],
                               ["--version", "--help"], ["run", "--help"]])
        outputs = [v for v in OUTPUT_NAMES if any(a == v or a.endswith("=" + v) for a in args)]
        return [ctx.Cmd(args, outputs=outputs)]


GENERATORS = [Cmdline()]
