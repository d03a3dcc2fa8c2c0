#!/usr/bin/env python3
"""Differential test of a64sim against qemu-aarch64, instruction group by group.

For each group, chunks of random test cases are generated (gen.py), assembled
by aarch64-linux-gnu-as, and linked twice with the same objects at the same
addresses: once as a bare-metal image for a64sim (report over the PL011,
PSCI SYSTEM_OFF at the end) and once as a static Linux ELF for qemu-aarch64
(write(2) and exit_group(2)). Each case's line of output (every X register,
NZCV, SP, every V register, FPCR, FPSR and the buffer words it changed) must
be byte for byte the same.

--insns is a budget per group set: the core groups of gen.py share one, and
each generator module (tests/diff/gen_*.py) has one of its own for its
groups, so that adding a module adds instructions instead of taking them
from the others.

Prints per-group counts, a report for each mismatch (the case's source and
its disassembly, its initial registers, both final states with the
differences marked) and finally "difftest: N passed, N failed", N counting
test cases; writes "PASSED FAILED" to --result.

The caller (scripts/difftest.sh) has already checked that the tools exist.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import gen  # noqa: E402  (after the path set-up on purpose)

CROSS = os.environ.get("CROSS", "aarch64-linux-gnu-")
RUNTIME = os.path.join(ROOT, "tests", "guest", "runtime")

# The guest C flags of tests/guest/guest.mk: -mstrict-align because with the
# MMU off every data access is to Device memory, where unaligned accesses fault.
GUEST_CFLAGS = ["-O2", "-march=armv8-a", "-mgeneral-regs-only", "-ffreestanding", "-nostdlib",
                "-static", "-fno-pie", "-no-pie", "-fno-stack-protector", "-mno-outline-atomics",
                "-mstrict-align", "-fno-asynchronous-unwind-tables",
                "-fno-tree-loop-distribute-patterns", "-Wall", "-Wextra", "-Werror",
                "-I" + RUNTIME, "-I" + HERE]
LDFLAGS = ["-nostdlib", "-static", "-no-pie", "-T", os.path.join(HERE, "link.ld"),
           "-Wl,--build-id=none", "-Wl,--no-warn-rwx-segments", "-Wl,-z,max-page-size=0x1000"]
# Armv8.1 for LSE; CRC32 is optional in Armv8.0. --fatal-warnings: gas warns about
# UNPREDICTABLE register choices, which the generator must never make.
AS_FLAGS = ["-march=armv8.1-a+crc", "--fatal-warnings"]

DIFF_SEGMENT = 0x40200000  # link.ld: everything a case can observe lives from here up
# The registers of an output line, in order (harness.c).
V_NAMES = ["v%d" % i for i in range(32)]
REG_NAMES = ["x%d" % i for i in range(31)] + ["nzcv", "sp"] + V_NAMES + ["fpcr", "fpsr"]
TIMEOUT = 600


class HarnessError(Exception):
    pass


def run(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if p.returncode != 0:
        raise HarnessError("%s failed (exit %d):\n%s" % (" ".join(cmd), p.returncode,
                                                          p.stderr.decode(errors="replace")[-2000:]))
    return p.stdout.decode()


# --- building ------------------------------------------------------------------------

def build_fixed_objects(work):
    """Compile the objects every chunk shares; the ones that differ per build go under rt/."""
    rt = os.path.join(work, "rt")
    core = os.path.join(work, "core")
    os.makedirs(rt, exist_ok=True)
    os.makedirs(core, exist_ok=True)
    cc = CROSS + "gcc"
    jobs = [
        (os.path.join(RUNTIME, "crt0.S"), os.path.join(rt, "crt0.o")),
        (os.path.join(RUNTIME, "uart.c"), os.path.join(rt, "uart.o")),
        (os.path.join(RUNTIME, "exit.c"), os.path.join(rt, "exit.o")),
        (os.path.join(HERE, "io_bare.c"), os.path.join(rt, "io_bare.o")),
        (os.path.join(HERE, "io_linux.c"), os.path.join(rt, "io_linux.o")),
        (os.path.join(HERE, "harness.c"), os.path.join(core, "harness.o")),
        (os.path.join(HERE, "trampoline.S"), os.path.join(core, "trampoline.o")),
    ]
    for src, obj in jobs:
        run([cc] + GUEST_CFLAGS + ["-c", src, "-o", obj])
    objs = {name: os.path.join(d, name + ".o") for d, names in
            ((rt, ["crt0", "uart", "exit", "io_bare", "io_linux"]), (core, ["harness", "trampoline"]))
            for name in names}
    return {
        # crt0 first in both so that _start is the entry; the objects under rt/ go to
        # their own segment (link.ld), so only the order of the shared ones matters.
        "bare_head": [objs["crt0"], objs["harness"], objs["trampoline"]],
        "bare_tail": [objs["io_bare"], objs["uart"], objs["exit"]],
        "linux_head": [objs["crt0"], objs["harness"], objs["trampoline"]],
        "linux_tail": [objs["io_linux"]],
    }


def symbols(elf):
    """Symbol name -> address for every symbol in the diff segment."""
    out = run([CROSS + "nm", "-n", elf])
    table = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and int(parts[0], 16) >= DIFF_SEGMENT:
            table[parts[2]] = int(parts[0], 16)
    return table


# --- one chunk -------------------------------------------------------------------------

class Chunk:
    """One generated program of one group: its files, its counts and its reports."""

    def __init__(self, group, index, seed, insns, length, work):
        self.group = group
        self.index = index
        self.seed = seed
        self.insns_target = insns
        self.length = length
        self.dir = os.path.join(work, "%s-%d" % (group, index))
        self.prefix = os.path.join(self.dir, "cases")
        self.cases = 0
        self.insns = 0
        self.passed = 0
        self.failed = 0
        self.reports = []
        self.stops = []
        self.max_resumes = MAX_RESUMES
        self.not_run = 0  # cases left unrun after max_resumes stops

    def reproduce(self):
        return ("python3 tests/diff/gen.py --group %s --seed %d --insns %d --length %d --out cases"
                % (self.group, self.seed, self.insns_target, self.length))


def build_chunk(ch):
    """Generate and assemble the chunk's cases.

    gen.py runs as a process of its own (the command the reports print), so
    that chunks are generated in parallel rather than one at a time under
    the interpreter lock, and a generator module's crash stays in its chunk.
    """
    os.makedirs(ch.dir, exist_ok=True)
    run([sys.executable, os.path.join(HERE, "gen.py"), "--group", ch.group, "--seed", str(ch.seed),
         "--insns", str(ch.insns_target), "--length", str(ch.length), "--out", ch.prefix])
    with open(ch.prefix + ".json") as f:
        meta = json.load(f)
    ch.cases, ch.insns = len(meta["cases"]), meta["insns"]
    run([CROSS + "as"] + AS_FLAGS + [ch.prefix + ".s", "-o", ch.prefix + ".o"])


def link_chunk(ch, fixed, first, builds=("bare", "linux")):
    """Link the BUILDS to start at case FIRST; returns the diff segment's symbols."""
    cc = CROSS + "gcc"
    obj = ch.prefix + ".o"
    start = ["-Wl,--defsym=diff_first_case=%d" % first]
    syms = {}
    for build in builds:
        elf = "%s.%s.elf" % (ch.prefix, build)
        run([cc] + LDFLAGS + start + fixed[build + "_head"] + [obj] + fixed[build + "_tail"] + ["-o", elf])
        syms[build] = symbols(elf)
    a, b = syms.get("bare"), syms.get("linux")
    if a is not None and b is not None and a != b:
        diff = sorted(set(a.items()) ^ set(b.items()))[:5]
        raise HarnessError("the two builds place the cases differently: %s" % diff)
    return a if a is not None else b


def run_one(ch, build, a64sim):
    """Run one build; returns its (stdout, stderr, exit code)."""
    if build == "bare":
        cmd = [a64sim, "run", ch.prefix + ".bare.elf", "--max-insns", "4000000000"]
    else:
        cmd = ["qemu-aarch64", "-cpu", "max", ch.prefix + ".linux.elf"]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=TIMEOUT)
    return p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), p.returncode


def case_lines(text):
    """Case index -> its output line, and whether the END line came.

    Only complete, well-formed lines count: a run that stops in the middle of
    writing a line has not reported that case.
    """
    lines = {}
    ended = False
    for line in text.split("\n")[:-1]:
        if line.startswith("END "):
            ended = True
            continue
        head, bar, _ = line.partition(" |")
        words = head.split()
        if not bar or len(words) != 1 + len(REG_NAMES):
            continue
        try:
            lines[int(words[0], 16)] = line
        except ValueError:
            continue
    return lines, ended


def parse_line(line, initial):
    """(registers as hex strings, {buffer offset: hex value}) of one output line; a register
    printed as "=" (unchanged by the case) becomes initial[i] + " =" ."""
    head, _, tail = line.partition(" | ")
    if not _:
        head, tail = line.rstrip(" |"), ""
    regs = [initial[i] + " =" if r == "=" else r for i, r in enumerate(head.split()[1:])]
    mem = {}
    for item in tail.split():
        off, _, val = item.partition("=")
        mem[int(off, 16)] = val
    return regs, mem


def initial_values(meta_case, syms):
    """The case's initial value of each register of an output line as it would be printed
    (X0-X30, V0-V31; None for the others, which are never printed as "=")."""
    buf = "%016x" % syms.get(gen.BUFFER, 0)
    x = [buf if r == gen.BUFFER else r for r in meta_case["regs"][:31]]
    return x + [None, None] + meta_case["vregs"] + [None, None]


def disassemble(ch, syms, label):
    """objdump's lines for the case at LABEL, up to the next symbol."""
    addrs = sorted(syms.values())
    start = syms.get(label)
    if start is None:
        return ["(no symbol %s)" % label]
    later = [a for a in addrs if a > start]
    stop = later[0] if later else start + 4096
    out = run([CROSS + "objdump", "-d", "-w",
               "--start-address=0x%x" % start, "--stop-address=0x%x" % stop, ch.prefix + ".bare.elf"])
    body = []
    started = False
    for line in out.splitlines():
        if line.endswith(">:"):
            started = True
            continue
        if started and line.strip():
            body.append(line.rstrip())
    return body


def describe_case(ch, syms, meta, idx):
    """The case's source, its disassembly as linked and its initial registers."""
    c = meta["cases"][idx]
    buf = syms.get(gen.BUFFER, 0)
    lines = ["%s chunk %d case %d (%s), %d instructions; regenerate with: %s"
             % (ch.group, ch.index, idx, c["label"], c["insns"], ch.reproduce()),
             "  code (as generated, then as linked and disassembled):"]
    lines += ["    " + l for l in c["lines"]]
    if c["pool"]:
        lines.append("    literal pool: " + " ".join(c["pool"]))
    lines += ["    | " + l for l in disassemble(ch, syms, c["label"])]
    regs = [("%016x" % buf if r == gen.BUFFER else r) for r in c["regs"]]
    lines.append("  initial registers:")
    for i in range(0, 31, 4):
        lines.append("    " + "  ".join("%-3s %s" % (REG_NAMES[j], regs[j]) for j in range(i, min(i + 4, 31))))
    lines.append("    nzcv %s" % nzcv_text(int(regs[31], 16)))
    for i in range(0, 32, 3):
        lines.append("    " + "  ".join("%-3s %s" % (V_NAMES[j], c["vregs"][j]) for j in range(i, min(i + 3, 32))))
    lines.append("    fpcr %s (%s)  fpsr %s" % (c["fpcr"], fpcr_text(int(c["fpcr"], 16)), c["fpsr"]))
    return lines


def nzcv_text(v):
    return "".join(f if v & (1 << (31 - i)) else "-" for i, f in enumerate("NZCV"))


RMODES = ["RN", "RP", "RM", "RZ"]


def fpcr_text(v):
    flags = [name for name, bit in (("AHP", 26), ("DN", 25), ("FZ", 24)) if v & (1 << bit)]
    return " ".join([RMODES[(v >> 22) & 3]] + flags)


def fpsr_text(v):
    flags = [name for name, bit in (("QC", 27), ("IDC", 7), ("IXC", 4), ("UFC", 3), ("OFC", 2),
                                    ("DZC", 1), ("IOC", 0)) if v & (1 << bit)]
    return " ".join(flags) or "-"


def fp_text(bits, f):
    """A float's value as Python prints it, or inf/nan (with its payload, s for signalling)."""
    exp = (bits >> f.mbits) & f.exp_all
    frac = bits & f.frac_mask
    sign = "-" if bits & f.sign else ""
    if exp == f.exp_all:
        if not frac:
            return sign + "inf"
        return "%s%snan:%x" % (sign, "" if frac & f.quiet else "s", frac & (f.quiet - 1))
    m = frac if exp == 0 else frac | (1 << f.mbits)
    return "%s%r" % (sign, float(m) * 2.0 ** (max(exp, 1) - f.bias - f.mbits) if m else 0.0)


def vreg_lanes(hexval):
    """The lanes of a 128-bit value as doubles and as singles, low lane first."""
    v = int(hexval, 16)
    d = [fp_text((v >> (64 * i)) & gen.MASK64, gen.F64) for i in range(2)]
    s = [fp_text((v >> (32 * i)) & gen.MASK32, gen.F32) for i in range(4)]
    return "d[]: %s; s[]: %s" % (", ".join(d), ", ".join(s))


def compare_states(sim_line, qemu_line, initial):
    """Both final states side by side, '*' on every register and buffer word that differs.

    A register the case left unchanged shows its initial value and '='. V
    registers appear only when they differ or the case changed them (the
    others are summed up in one line); a differing one is decoded lane by lane.
    """
    sim_regs, sim_mem = parse_line(sim_line, initial)
    qemu_regs, qemu_mem = parse_line(qemu_line, initial)
    lines = ["  final state ('=': unchanged by the case):",
             "          a64sim%s qemu" % (" " * 28)]
    untouched = []
    for i, name in enumerate(REG_NAMES):
        a = sim_regs[i] if i < len(sim_regs) else "?"
        b = qemu_regs[i] if i < len(qemu_regs) else "?"
        mark = "*" if a != b else " "
        if name in V_NAMES:
            if a == b and a.endswith(" ="):
                untouched.append(name)
                continue
            lines.append("  %s %-5s %-34s %s" % (mark, name, a, b))
            if a != b and "?" not in (a, b):
                lines.append("          a64sim %s" % vreg_lanes(a.split()[0]))
                lines.append("          qemu   %s" % vreg_lanes(b.split()[0]))
            continue
        extra = ""
        if name == "nzcv" and a != b:
            extra = "   (%s vs %s)" % (nzcv_text(int(a, 16)), nzcv_text(int(b, 16)))
        elif name == "fpcr" and "?" not in (a, b):
            extra = "   (%s vs %s)" % (fpcr_text(int(a, 16)), fpcr_text(int(b, 16))) if a != b else \
                "   (%s)" % fpcr_text(int(a, 16))
        elif name == "fpsr" and "?" not in (a, b):
            extra = "   (%s vs %s)" % (fpsr_text(int(a, 16)), fpsr_text(int(b, 16))) if a != b else \
                "   (%s)" % fpsr_text(int(a, 16))
        lines.append("  %s %-5s %-34s %s%s" % (mark, name, a, b, extra))
    if untouched:
        lines.append("    equal in both and unchanged by the case: %s" % compress_names(untouched))
    offsets = sorted(set(sim_mem) | set(qemu_mem))
    if offsets:
        lines.append("  buffer words changed by the case (offset: a64sim / qemu; '-' = unchanged):")
        for off in offsets:
            a = sim_mem.get(off, "-")
            b = qemu_mem.get(off, "-")
            lines.append("  %s +0x%03x: %-16s / %s" % ("*" if a != b else " ", off, a, b))
    return lines


def compress_names(names):
    """v0 v1 v2 v5 -> v0-v2 v5."""
    nums = [int(n[1:]) for n in names]
    runs = []
    for n in nums:
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return " ".join("v%d" % a if a == b else "v%d-v%d" % (a, b) for a, b in runs)


def tail(text, n=6):
    return ["    " + l for l in text.strip().splitlines()[-n:]]


MAX_RESUMES = 40  # per chunk (--max-resumes): after that many stops the rest of its cases count as failed


def run_all_cases(ch, fixed, a64sim):
    """Run the chunk in both environments, resuming behind any case that stops either run.

    A build that has already reported every case from the first one run is
    not linked and run again. Returns the symbols, the output lines of each
    ({case: line}) and the stops: (case, who, exit code, stderr).
    """
    lines = {"bare": {}, "linux": {}}
    who_name = {"bare": "a64sim", "linux": "qemu-aarch64"}
    stops = []
    first = 0
    todo = ["bare", "linux"]
    syms = None
    while True:
        syms = link_chunk(ch, fixed, first, todo) or syms
        results = {}
        for build in todo:
            out, err, rc = run_one(ch, build, a64sim)
            got, ended = case_lines(out)
            lines[build].update((k, v) for k, v in got.items() if k >= first)
            results[build] = (ended and rc == 0, err, rc)
        if all(results[b][0] for b in todo):
            return syms, lines["bare"], lines["linux"], stops
        missing = [k for k in range(first, ch.cases) if any(k not in lines[b] for b in todo)]
        if not missing:
            bad = next(b for b in todo if not results[b][0])
            stops.append((None, who_name[bad], results[bad][2], results[bad][1]))
            return syms, lines["bare"], lines["linux"], stops
        k = missing[0]
        build = next(b for b in todo if k not in lines[b])
        stops.append((k, who_name[build], results[build][2], results[build][1]))
        if len(stops) >= ch.max_resumes or k + 1 >= ch.cases:
            return syms, lines["bare"], lines["linux"], stops
        # The other build went past case k: if it reported everything up to its END, it is done.
        todo = [b for b in todo if not (results[b][0] and all(j in lines[b] for j in range(k + 1, ch.cases)))]
        first = k + 1


def check_chunk(ch, fixed, a64sim, max_reports):
    build_chunk(ch)
    syms, sim_lines, qemu_lines, stops = run_all_cases(ch, fixed, a64sim)
    with open(ch.prefix + ".json") as f:
        meta = json.load(f)
    stopped = {k: (who, rc, err) for k, who, rc, err in stops if k is not None}
    not_run_reported = False
    for idx in range(ch.cases):
        a = sim_lines.get(idx)
        b = qemu_lines.get(idx)
        if a is not None and a == b:
            ch.passed += 1
            continue
        ch.failed += 1
        if idx not in stopped and (a is None or b is None):
            ch.not_run += 1
        if len(ch.reports) >= max_reports:
            continue
        if idx in stopped:
            who, rc, err = stopped[idx]
            report = ["STOPPED: %s stopped in this case (exit %d): %s" % (who, rc, stop_reason(err))]
            report += describe_case(ch, syms, meta, idx)
            report.append("  %s's last words:" % who)
            report += tail(err)
        elif a is None or b is None:
            if not_run_reported:
                continue
            not_run_reported = True
            report = ["NOT RUN: %s chunk %d, case %d and every later case not reported: %d stops "
                      "in this chunk already (--max-resumes)" % (ch.group, ch.index, idx, ch.max_resumes)]
        else:
            report = ["MISMATCH"] + describe_case(ch, syms, meta, idx) + \
                compare_states(a, b, initial_values(meta["cases"][idx], syms))
        ch.reports.append("\n".join(report))
    ch.stops = [("%s chunk %d case %d" % (ch.group, ch.index, k), who, stop_reason(err))
                for k, who, rc, err in stops if k is not None]
    for k, who, rc, err in stops:
        if k is None:
            ch.failed += 1
            ch.reports.append("%s chunk %d: every case agreed but %s did not finish cleanly (exit %d)\n%s"
                              % (ch.group, ch.index, who, rc, "\n".join(tail(err))))


def stop_reason(err):
    """What stopped a run, from its stderr: for a64sim the fault and the instruction,
    "undefined instruction: 0x1e222820 fadd s0, s1, s2"; else the first line."""
    lines = [l for l in err.strip().splitlines() if "instructions retired" not in l]
    kind = insn = None
    for line in lines:
        m = re.match(r"a64sim: pe\d+: (.*) at pc ", line)
        if m and kind is None:
            kind = m.group(1)
        m = re.match(r"a64sim: pe\d+: instruction (0x[0-9a-f]+): (.*)", line)
        if m and insn is None:
            insn = "%s %s" % (m.group(1), m.group(2))
    if insn:
        return "%s: %s" % (kind or "stopped", insn)
    return lines[0] if lines else "(no message)"


def process(ch, fixed, a64sim, max_reports, keep):
    """Check one chunk; a harness failure fails every case of it that has not passed."""
    try:
        check_chunk(ch, fixed, a64sim, max_reports)
    except (HarnessError, subprocess.TimeoutExpired, OSError) as e:
        ch.failed = max(ch.cases, 1) - ch.passed
        ch.reports.append("%s chunk %d: harness error: %s" % (ch.group, ch.index, e))
    if ch.failed == 0 and not keep:
        shutil.rmtree(ch.dir, ignore_errors=True)
    return ch


def print_stops(stops):
    """One line per distinct reason a run stopped inside a case: for an instruction, the
    fault and the mnemonic, with up to three of the encodings that stopped it."""
    if not stops:
        return
    kinds = {}
    for where, who, reason in stops:
        m = re.match(r"(.*): (0x[0-9a-f]+) (\S+)(.*)", reason)
        key = (who, "%s: %s" % (m.group(1), m.group(3)) if m else reason)
        kinds.setdefault(key, []).append((where, "%s %s%s" % (m.group(2), m.group(3), m.group(4)) if m else None))
    print("runs that stopped in a case (each resumed after it), by reason:")
    for (who, key), hits in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print("  %s, %s: %d times, first in %s" % (who, key, len(hits), hits[0][0]))
        examples = []
        for _, insn in hits:
            if insn and insn not in examples:
                examples.append(insn)
        for insn in examples[:3]:
            print("      %s" % insn)


# --- the whole run ------------------------------------------------------------------------

def main(argv):
    ap = argparse.ArgumentParser(description="a64sim vs qemu-aarch64 differential test")
    ap.add_argument("--a64sim", required=True)
    ap.add_argument("--work", required=True, help="directory for the chunks (emptied first)")
    ap.add_argument("--insns", type=int, default=1000000, help="instructions per group set (the core groups, each module's groups), "
                    "split evenly over the set's groups")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip", default="", help="comma-separated groups to leave out (e.g. lse)")
    ap.add_argument("--groups", help="comma-separated groups to run (default: every group of gen.py and "
                    "of every tests/diff/gen_*.py)")
    ap.add_argument("--chunk-insns", type=int, default=25000, help="instructions per generated program")
    ap.add_argument("--length", type=int, default=24, help="operations per test case")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--max-reports", type=int, default=10, help="mismatch reports printed in all")
    ap.add_argument("--max-resumes", type=int, default=MAX_RESUMES,
                    help="stops per program after which its remaining cases are not run (failed)")
    ap.add_argument("--keep", action="store_true", help="keep the files of passing chunks too")
    ap.add_argument("--result", help="file to write 'PASSED FAILED' to")
    args = ap.parse_args(argv)

    skip = {g for g in args.skip.replace(" ", ",").split(",") if g}
    everything = args.groups is None
    wanted = gen.GROUPS if everything else [g for g in args.groups.split(",") if g]
    for g in list(skip) + wanted:
        if g not in gen.GROUPS:
            ap.error("unknown group '%s' (groups: %s)" % (g, ", ".join(gen.GROUPS)))
    groups = [g for g in gen.GROUPS if g in wanted and g not in skip]
    # A module that cannot be used fails a run of every group (its groups did not run).
    module_errors = gen.MODULE_ERRORS if everything else []
    if not groups and not module_errors:
        ap.error("no group left to run")

    t0 = time.monotonic()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    fixed = build_fixed_objects(args.work)

    chunks = []
    sets = [(name, [g for g in members if g in groups]) for name, members in gen.GROUP_SETS]
    for name, members in sets:
        if not members:
            continue
        per_group = -(-args.insns // len(members))
        for g in members:
            n = max(1, -(-per_group // args.chunk_insns))
            for k in range(n):
                share = per_group // n + (1 if k < per_group % n else 0)
                chunks.append(Chunk(g, k, args.seed * 1000 + k, share, args.length, args.work))
                chunks[-1].max_resumes = args.max_resumes

    print("difftest: seed %d, %d instructions per group set over %s; %d programs, %d jobs"
          % (args.seed, args.insns, "; ".join("%s: %s" % (n, ", ".join(m)) for n, m in sets if m),
             len(chunks), args.jobs), flush=True)
    for path, err in gen.MODULE_ERRORS:
        print("MODULE LEFT OUT: %s: %s" % (os.path.relpath(path, ROOT), err), flush=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        list(pool.map(lambda ch: process(ch, fixed, args.a64sim, args.max_reports, args.keep), chunks))

    reports = [r for ch in chunks for r in ch.reports]
    for r in reports[:args.max_reports]:
        print(r)
        print()
    failed = sum(ch.failed for ch in chunks)
    if failed > min(len(reports), args.max_reports):
        print("(%d failing cases in all; raise --max-reports to see more)" % failed)
    print_stops([s for ch in chunks for s in ch.stops])
    for ch in chunks:
        if ch.not_run:
            print("  %s chunk %d: %d cases not run after %d stops (raise --max-resumes to run them)"
                  % (ch.group, ch.index, ch.not_run, len(ch.stops)))
    kept = sorted({ch.dir for ch in chunks if ch.failed})
    if kept:
        print("files of the failing programs: %s" % " ".join(kept))

    for path, err in module_errors:
        print("FAILED: generator module %s left out: %s" % (os.path.relpath(path, ROOT), err))
    width = max([8] + [len(g) for g in groups])
    row = "  %%-%ds %%8s %%8s %%10s %%8s %%8s" % width
    print(row % ("group", "programs", "cases", "insns", "passed", "failed"))
    total_p = total_f = total_i = 0
    for g in groups:
        mine = [ch for ch in chunks if ch.group == g]
        p = sum(ch.passed for ch in mine)
        f = sum(ch.failed for ch in mine)
        i = sum(ch.insns for ch in mine)
        print(row % (g, len(mine), sum(ch.cases for ch in mine), i, p, f))
        total_p += p
        total_f += f
        total_i += i
    print(row % ("all", len(chunks), sum(ch.cases for ch in chunks), total_i, total_p, total_f))
    total_f += len(module_errors)
    if "lse" in groups:
        lse_f = sum(ch.failed for ch in chunks if ch.group == "lse")
        print("difftest: LSE atomics (group lse): %s" % ("pass" if lse_f == 0 else "FAIL (%d cases)" % lse_f))
    else:
        print("difftest: LSE atomics (group lse): skipped")
    print("difftest: %.1f s" % (time.monotonic() - t0))
    if args.result:
        os.makedirs(os.path.dirname(os.path.abspath(args.result)), exist_ok=True)
        with open(args.result, "w") as f:
            f.write("%d %d\n" % (total_p, total_f))
    print("difftest: %d passed, %d failed" % (total_p, total_f))
    return 0 if total_f == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
