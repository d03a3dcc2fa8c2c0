#!/usr/bin/env python3
"""Differential test of a64sim against qemu-aarch64, instruction group by group.

For each group, chunks of random test cases are generated (gen.py), assembled
by aarch64-linux-gnu-as, and linked twice with the same objects at the same
addresses: once as a bare-metal image for a64sim (report over the PL011,
PSCI SYSTEM_OFF at the end) and once as a static Linux ELF for qemu-aarch64
(write(2) and exit_group(2)). Each case's line of output (every X register,
NZCV, SP and the buffer words it changed) must be byte for byte the same.

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
REG_NAMES = ["x%d" % i for i in range(31)] + ["nzcv", "sp"]
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

    def reproduce(self):
        return ("python3 tests/diff/gen.py --group %s --seed %d --insns %d --length %d --out cases"
                % (self.group, self.seed, self.insns_target, self.length))


def build_chunk(ch):
    """Generate and assemble the chunk's cases."""
    os.makedirs(ch.dir, exist_ok=True)
    ch.cases, ch.insns = gen.write_chunk(ch.group, ch.seed, ch.insns_target, ch.length, ch.prefix)
    run([CROSS + "as"] + AS_FLAGS + [ch.prefix + ".s", "-o", ch.prefix + ".o"])


def link_chunk(ch, fixed, first):
    """Link both builds to start at case FIRST; returns the diff segment's symbols."""
    cc = CROSS + "gcc"
    obj = ch.prefix + ".o"
    start = ["-Wl,--defsym=diff_first_case=%d" % first]
    run([cc] + LDFLAGS + start + fixed["bare_head"] + [obj] + fixed["bare_tail"] + ["-o", ch.prefix + ".bare.elf"])
    run([cc] + LDFLAGS + start + fixed["linux_head"] + [obj] + fixed["linux_tail"] + ["-o", ch.prefix + ".linux.elf"])
    a = symbols(ch.prefix + ".bare.elf")
    b = symbols(ch.prefix + ".linux.elf")
    if a != b:
        diff = sorted(set(a.items()) ^ set(b.items()))[:5]
        raise HarnessError("the two builds place the cases differently: %s" % diff)
    return a


def run_both(ch, a64sim):
    """Run both builds; returns (stdout, stderr, exit code) of a64sim, then of QEMU."""
    sim = subprocess.run([a64sim, "run", ch.prefix + ".bare.elf", "--max-insns", "4000000000"],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         timeout=TIMEOUT)
    qemu = subprocess.run(["qemu-aarch64", "-cpu", "max", ch.prefix + ".linux.elf"],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=TIMEOUT)
    return ((sim.stdout.decode(errors="replace"), sim.stderr.decode(errors="replace"), sim.returncode),
            (qemu.stdout.decode(errors="replace"), qemu.stderr.decode(errors="replace"), qemu.returncode))


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


def parse_line(line):
    """(registers as hex strings, {buffer offset: hex value}) of one output line."""
    head, _, tail = line.partition(" | ")
    if not _:
        head, tail = line.rstrip(" |"), ""
    regs = head.split()[1:]
    mem = {}
    for item in tail.split():
        off, _, val = item.partition("=")
        mem[int(off, 16)] = val
    return regs, mem


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
    return lines


def nzcv_text(v):
    return "".join(f if v & (1 << (31 - i)) else "-" for i, f in enumerate("NZCV"))


def compare_states(sim_line, qemu_line):
    """Both final states side by side, '*' on every register and buffer word that differs."""
    sim_regs, sim_mem = parse_line(sim_line)
    qemu_regs, qemu_mem = parse_line(qemu_line)
    lines = ["  final state:        a64sim              qemu"]
    for i, name in enumerate(REG_NAMES):
        a = sim_regs[i] if i < len(sim_regs) else "?"
        b = qemu_regs[i] if i < len(qemu_regs) else "?"
        mark = "*" if a != b else " "
        extra = ""
        if name == "nzcv" and a != b:
            extra = "   (%s vs %s)" % (nzcv_text(int(a, 16)), nzcv_text(int(b, 16)))
        lines.append("  %s %-5s %s    %s%s" % (mark, name, a, b, extra))
    offsets = sorted(set(sim_mem) | set(qemu_mem))
    if offsets:
        lines.append("  buffer words changed by the case (offset: a64sim / qemu; '-' = unchanged):")
        for off in offsets:
            a = sim_mem.get(off, "-")
            b = qemu_mem.get(off, "-")
            lines.append("  %s +0x%03x: %-16s / %s" % ("*" if a != b else " ", off, a, b))
    return lines


def tail(text, n=6):
    return ["    " + l for l in text.strip().splitlines()[-n:]]


MAX_RESUMES = 40  # per chunk: after that many stops the rest of its cases count as failed


def run_all_cases(ch, fixed, a64sim):
    """Run the chunk in both environments, resuming behind any case that stops either run.

    Returns the output lines of each ({case: line}) and the stops: (case, who, exit code, stderr).
    """
    sim_lines, qemu_lines, stops = {}, {}, []
    first = 0
    while True:
        syms = link_chunk(ch, fixed, first)
        (sim_out, sim_err, sim_rc), (qemu_out, qemu_err, qemu_rc) = run_both(ch, a64sim)
        s_lines, s_end = case_lines(sim_out)
        q_lines, q_end = case_lines(qemu_out)
        sim_lines.update((k, v) for k, v in s_lines.items() if k >= first)
        qemu_lines.update((k, v) for k, v in q_lines.items() if k >= first)
        if s_end and q_end and sim_rc == 0 and qemu_rc == 0:
            return syms, sim_lines, qemu_lines, stops
        missing = [k for k in range(first, ch.cases) if k not in s_lines or k not in q_lines]
        if not missing:
            stops.append((None, "a64sim" if sim_rc else "qemu-aarch64", sim_rc or qemu_rc, sim_err + qemu_err))
            return syms, sim_lines, qemu_lines, stops
        k = missing[0]
        who, err, rc = ("a64sim", sim_err, sim_rc) if k not in s_lines else ("qemu-aarch64", qemu_err, qemu_rc)
        stops.append((k, who, rc, err))
        if len(stops) >= MAX_RESUMES or k + 1 >= ch.cases:
            return syms, sim_lines, qemu_lines, stops
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
        if len(ch.reports) >= max_reports:
            continue
        if idx in stopped:
            who, rc, err = stopped[idx]
            report = ["MISMATCH: %s did not report this case (exit %d)" % (who, rc)]
            report += describe_case(ch, syms, meta, idx)
            report.append("  %s's last words:" % who)
            report += tail(err)
        elif a is None or b is None:
            if not_run_reported:
                continue
            not_run_reported = True
            report = ["NOT RUN: %s chunk %d, case %d and every later case not reported: %d stops "
                      "in this chunk already" % (ch.group, ch.index, idx, MAX_RESUMES)]
        else:
            report = ["MISMATCH"] + describe_case(ch, syms, meta, idx) + compare_states(a, b)
        ch.reports.append("\n".join(report))
    ch.stops = [("%s chunk %d case %d" % (ch.group, ch.index, k), who, stop_reason(err))
                for k, who, rc, err in stops if k is not None]
    for k, who, rc, err in stops:
        if k is None:
            ch.failed += 1
            ch.reports.append("%s chunk %d: every case agreed but %s did not finish cleanly (exit %d)\n%s"
                              % (ch.group, ch.index, who, rc, "\n".join(tail(err))))


def stop_reason(err):
    """The line of a stop report that names the instruction, else its first line."""
    lines = [l for l in err.strip().splitlines() if "instructions retired" not in l]
    for line in lines:
        if ": instruction 0x" in line:
            return line.split(": ", 2)[-1]
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
    """One line per distinct reason a run stopped inside a case (by instruction mnemonic)."""
    if not stops:
        return
    kinds = {}
    for where, who, reason in stops:
        insn = reason.split(": ", 1)
        key = (who, insn[1].split()[0] if len(insn) == 2 and reason.startswith("instruction 0x") else reason)
        kinds.setdefault(key, []).append((where, reason))
    print("runs that did not report a case (each resumed after it), by reason:")
    for (who, key), hits in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        where, reason = hits[0]
        if key == reason:
            print("  %s: %d times; first in %s: %s" % (who, len(hits), where, reason))
        else:
            print("  %s, %s: %d times; first in %s: %s" % (who, key, len(hits), where, reason))


# --- the whole run ------------------------------------------------------------------------

def main(argv):
    ap = argparse.ArgumentParser(description="a64sim vs qemu-aarch64 differential test")
    ap.add_argument("--a64sim", required=True)
    ap.add_argument("--work", required=True, help="directory for the chunks (emptied first)")
    ap.add_argument("--insns", type=int, default=1000000, help="instructions in all, split evenly over the groups")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip", default="", help="comma-separated groups to leave out (e.g. lse)")
    ap.add_argument("--groups", default=",".join(gen.GROUPS), help="comma-separated groups to run")
    ap.add_argument("--chunk-insns", type=int, default=25000, help="instructions per generated program")
    ap.add_argument("--length", type=int, default=24, help="operations per test case")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--max-reports", type=int, default=10, help="mismatch reports printed in all")
    ap.add_argument("--keep", action="store_true", help="keep the files of passing chunks too")
    ap.add_argument("--result", help="file to write 'PASSED FAILED' to")
    args = ap.parse_args(argv)

    skip = {g for g in args.skip.replace(" ", ",").split(",") if g}
    wanted = [g for g in args.groups.split(",") if g]
    for g in list(skip) + wanted:
        if g not in gen.GROUPS:
            ap.error("unknown group '%s' (groups: %s)" % (g, ", ".join(gen.GROUPS)))
    groups = [g for g in gen.GROUPS if g in wanted and g not in skip]
    if not groups:
        ap.error("no group left to run")

    t0 = time.monotonic()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    fixed = build_fixed_objects(args.work)

    per_group = -(-args.insns // len(groups))
    chunks = []
    for g in groups:
        n = max(1, -(-per_group // args.chunk_insns))
        for k in range(n):
            share = per_group // n + (1 if k < per_group % n else 0)
            chunks.append(Chunk(g, k, args.seed * 1000 + k, share, args.length, args.work))

    print("difftest: seed %d, %d instructions over %s; %d programs, %d jobs"
          % (args.seed, args.insns, ", ".join(groups), len(chunks), args.jobs), flush=True)
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
    kept = sorted({ch.dir for ch in chunks if ch.failed})
    if kept:
        print("files of the failing programs: %s" % " ".join(kept))

    print("  %-8s %8s %8s %10s %8s %8s" % ("group", "programs", "cases", "insns", "passed", "failed"))
    total_p = total_f = total_i = 0
    for g in groups:
        mine = [ch for ch in chunks if ch.group == g]
        p = sum(ch.passed for ch in mine)
        f = sum(ch.failed for ch in mine)
        i = sum(ch.insns for ch in mine)
        print("  %-8s %8d %8d %10d %8d %8d" % (g, len(mine), sum(ch.cases for ch in mine), i, p, f))
        total_p += p
        total_f += f
        total_i += i
    print("  %-8s %8d %8d %10d %8d %8d" % ("all", len(chunks), sum(ch.cases for ch in chunks),
                                           total_i, total_p, total_f))
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
