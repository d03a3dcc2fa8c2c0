#!/usr/bin/env python3
"""The fuzz driver: runs every generator's cases under the ASan+UBSan
a64sim and judges each run (docs/testing.md, "Fuzzing").

    fuzz.py --seed N [--cases K | --seconds S] [--gen NAME,...] [--jobs J]
    fuzz.py --seed N --gen NAME --case I      one case again, kept in $BUILD/fuzz/

Without --cases or --seconds each generator runs its fixed sample (SAMPLE,
what `make check-fuzz` runs). Case I of generator G with seed N is
generated from a PRNG seeded with "N:G:I" alone, so the same seed always
gives the same cases, whatever the number of jobs or the time left.

A case FAILS on: a sanitizer report on stderr, death by a signal, an exit
code outside 0 1 2 124 130 143 (or a guest's semihosting status, which the
summary line names), exit code 3 whatever the case, no exit within its
time bound, an output file (--trace, --uart-out, -o) left behind by a run
that exited with 2, or a replay of a fresh recording that does not match
it. Each failing case is copied to $BUILD/fuzz/failures/G-sN-cI/ with
repro.sh, a one-line command that runs it again.
"""
import argparse
import concurrent.futures as cf
import dataclasses
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree: tests write only to tmp, $BUILD
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_cmdline  # noqa: E402
import gen_insn  # noqa: E402
import gen_mmio  # noqa: E402
import gen_mmu  # noqa: E402
import gen_mutate  # noqa: E402

GENERATORS = (gen_insn.GENERATORS + gen_mmu.GENERATORS + gen_mmio.GENERATORS
              + gen_mutate.GENERATORS + gen_cmdline.GENERATORS)

# docs/usage.md, "Exit codes" (3 is documented too, but always a bug).
DOCUMENTED = {0, 1, 2, 124, 130, 143}
SANITIZER = re.compile(rb"ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|"
                       rb"SUMMARY: UndefinedBehaviorSanitizer")
SEMIHOST = re.compile(rb"guest exited through semihosting with status -?\d+; exit code (\d+)")
DEFAULT_TIMEOUT = 20  # seconds per command; a normal case takes well under one
SHOW = 5              # failing cases printed in full per generator


@dataclasses.dataclass
class Cmd:
    """One a64sim command of a case: ARGS after the program name, run in the
    case directory with stdin from /dev/null. OUTPUTS are files it may
    write (checked after an exit code of 2). REPLAY_OF names the trace a
    replay reads: when that recording exists the replay must exit 0."""
    args: list
    outputs: list = dataclasses.field(default_factory=list)
    timeout: float = DEFAULT_TIMEOUT
    replay_of: str = None


class Context:
    """What generators may use: the build, the seed inputs, file writing."""
    Cmd = Cmd

    def __init__(self, build, a64sim, plain, workdir):
        self.build = build
        self.a64sim = a64sim
        self.plain = plain
        self.workdir = workdir
        self.repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        self.guests = sorted(os.path.join(build, "guest", f)
                             for f in os.listdir(os.path.join(build, "guest"))
                             if f.endswith(".elf"))
        self.trace_guests = {f[:-4]: os.path.join(build, "trace-guest", f)
                             for f in sorted(os.listdir(os.path.join(build, "trace-guest")))
                             if f.endswith(".elf")}
        self._lock = threading.Lock()
        self._traces = None
        self.verbose = False

    def guest(self, name):
        path = os.path.join(self.build, "guest", name + ".elf")
        return path if os.path.exists(path) else self.trace_guests[name]

    @staticmethod
    def write(d, name, data):
        with open(os.path.join(d, name), "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)

    @staticmethod
    def copy(d, src, name):
        """Inputs from the build are copied in: every case directory stands alone."""
        shutil.copyfile(src, os.path.join(d, name))

    def seed_traces(self):
        """(trace path, image path) of small real recordings, made once per
        driver run with the plain build (gen_mutate.record_seeds)."""
        with self._lock:
            if self._traces is None:
                self._traces = gen_mutate.record_seeds(self)
            return self._traces


def verdict(cmd, rc, out, err, d, made, recorded):
    """Why this run is a failure, or None. MADE: the outputs it created;
    RECORDED: the trace a replay reads was recorded by the case."""
    if rc is None:
        return "no exit within %g s (hang)" % cmd.timeout
    m = SANITIZER.search(err)
    if m:
        line = err[err.rfind(b"\n", 0, m.start()) + 1:].split(b"\n", 1)[0]
        return "sanitizer report: " + line.decode(errors="replace").strip()
    if rc < 0:
        return "killed by signal %s" % signal.Signals(-rc).name
    semi = SEMIHOST.search(err)
    semi_rc = int(semi.group(1)) if semi else None
    if b"a64sim: internal error" in err:
        why = first_line(err, b"Assertion") if b"Assertion" in err else first_line(
            err, b"a64sim: internal error")
        return "exit code %d, internal error: %s" % (rc, why)
    if rc == 3 and semi_rc != 3:
        return "exit code 3 (internal error)"
    if rc not in DOCUMENTED and semi_rc != rc:
        return "exit code %d, not a documented one" % rc
    if rc == 2 and semi_rc != 2:  # (a guest's own exit status 2 is no failed command)
        for o in made:
            if documented_partial_output(cmd, o, out + err, d):
                continue
            return "exit code 2 left the output file %s behind" % o
    if recorded and rc != 0:
        return "replay of a fresh recording exited %d (the run is not reproducible)" % rc
    return None


def documented_partial_output(cmd, name, text, d):
    """docs/trace-format.md, "Reading and bad input": a trace cut short is
    still read. `trace timeline` draws its complete blocks, then reports
    the cut and exits 2: that file is complete JSON, not a half-written
    one. `replay` verifies the run up to the cut and stops it there (that
    page says it then exits 0, docs/usage.md that the commands exit 2,
    which a64sim does): its UART output is that of the part replayed."""
    if cmd.args[:1] == ["replay"]:
        return b"cut short, so the run was stopped there" in text
    if cmd.args[:2] != ["trace", "timeline"] or b"cut short" not in text:
        return False
    try:
        with open(os.path.join(d, name)) as f:
            json.load(f)
        return True
    except (OSError, ValueError):
        return False


def first_line(data, needle):
    i = data.find(needle)
    s = data.rfind(b"\n", 0, i) + 1
    return data[s:].split(b"\n", 1)[0].decode(errors="replace")


def run_cmd(ctx, cmd, d):
    """Run CMD in D: (exit code or None on timeout, stdout, stderr, the
    outputs it created, whether the trace it replays was recorded)."""
    before = {o for o in cmd.outputs if os.path.lexists(os.path.join(d, o))}
    recorded = bool(cmd.replay_of) and os.path.exists(os.path.join(d, cmd.replay_of))
    try:
        p = subprocess.run([ctx.a64sim] + cmd.args, cwd=d, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=cmd.timeout)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, out, err = None, e.stdout or b"", e.stderr or b""
    made = [o for o in cmd.outputs
            if o not in before and os.path.lexists(os.path.join(d, o))]
    return rc, out, err, made, recorded


def command_line(ctx, cmds, faildir):
    prog = os.path.relpath(ctx.a64sim, faildir)
    parts = []
    for c in cmds:
        parts.append(" ".join(shlex.quote(x) for x in [prog] + c.args) + " </dev/null")
    return " ; ".join(parts)


def save_failure(ctx, gen, seed, i, d, cmds, k, reason, out, err):
    base = os.path.join(ctx.build, "fuzz", "failures")
    faildir = os.path.join(base, "%s-s%s-c%d" % (gen.NAME, seed, i))
    shutil.rmtree(faildir, ignore_errors=True)
    os.makedirs(base, exist_ok=True)
    shutil.copytree(d, faildir)
    for c in cmds[:k + 1]:  # what the commands write is made again by repro.sh
        for o in c.outputs:
            p = os.path.join(faildir, o)
            if os.path.isfile(p) or os.path.islink(p):
                os.unlink(p)
    line = command_line(ctx, cmds[:k + 1], faildir)
    with open(os.path.join(faildir, "repro.sh"), "w") as f:
        f.write('cd "$(dirname "$0")" && ' + line + "\n")
    with open(os.path.join(faildir, "reason.txt"), "w") as f:
        f.write(reason + "\n")
    with open(os.path.join(faildir, "stdout.txt"), "wb") as f:
        f.write(out[-65536:])
    with open(os.path.join(faildir, "stderr.txt"), "wb") as f:
        f.write(err[-65536:])
    rel = os.path.relpath(faildir)
    show = line if len(line) < 600 else line[:600] + " ... (the whole command is in repro.sh)"
    tail = [l for l in err.decode(errors="replace").splitlines() if l.strip()][:6]
    return "\n".join(["FAIL %s case %d (seed %s): %s" % (gen.NAME, i, seed, reason),
                      "  input:     %s/" % rel,
                      "  reproduce: bash %s/repro.sh" % rel,
                      "             (cd %s && %s)" % (rel, show)]
                     + ["  | " + l[:200] for l in tail])


def run_case(ctx, gen, seed, i, keep=False):
    """Generate case I and run its commands; None if it passed, else the report."""
    rng = random.Random("%s:%s:%d" % (seed, gen.NAME, i))
    d = os.path.join(ctx.workdir, "%s-%d" % (gen.NAME, i))
    os.makedirs(d)
    try:
        try:
            cmds = gen.case(rng, ctx, d)
        except Exception:  # a bug in the generator, not in a64sim: say so
            return "FAIL %s case %d (seed %s): the generator raised\n%s" % (
                gen.NAME, i, seed, traceback.format_exc())
        for k, cmd in enumerate(cmds):
            rc, out, err, made, recorded = run_cmd(ctx, cmd, d)
            reason = verdict(cmd, rc, out, err, d, made, recorded)
            if ctx.verbose:
                lines = [l for l in err.decode(errors="replace").splitlines() if l.strip()]
                last = [l for l in lines if "exit code" in l] or lines[-1:]
                print("%s %d.%d rc=%s %s | %s" % (gen.NAME, i, k, rc, " ".join(cmd.args)[:100],
                                                  (last or [""])[-1][:150]), flush=True)
            if reason:
                return save_failure(ctx, gen, seed, i, d, cmds, k, reason, out, err)
        if keep:
            dest = os.path.join(ctx.build, "fuzz", "case-%s-s%s-c%d" % (gen.NAME, seed, i))
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(d, dest)
            print("kept in %s: %s" % (dest, command_line(ctx, cmds, dest)))
        return None
    finally:
        shutil.rmtree(d, ignore_errors=True)


def run_generator(ctx, gen, seed, ncases, seconds, jobs, deadline):
    """Cases 0, 1, ... of GEN: NCASES of them, or as many as fit in SECONDS.
    Returns (cases run, failure reports, stopped early by DEADLINE)."""
    stop_at = time.monotonic() + seconds if seconds else None
    reports, done, nxt, stopped = [], 0, 0, False
    with cf.ThreadPoolExecutor(max_workers=jobs) as pool:
        running = set()
        while True:
            now = time.monotonic()
            more = (nxt < ncases) if ncases is not None else (now < stop_at)
            if more and now >= deadline:
                more, stopped = False, True
            while more and len(running) < 2 * jobs:
                running.add(pool.submit(run_case, ctx, gen, seed, nxt))
                nxt += 1
                more = (nxt < ncases) if ncases is not None else (time.monotonic() < stop_at)
            if not running:
                break
            finished, running = cf.wait(running, return_when=cf.FIRST_COMPLETED)
            for f in finished:
                done += 1
                rep = f.result()
                if rep:
                    reports.append(rep)
    # The lowest-numbered few, in order (the same on every run); the rest
    # are only counted: one bug tends to fail many cases alike.
    reports.sort(key=lambda r: int(re.search(r" case (\d+)", r).group(1)))
    for rep in reports[:SHOW]:
        print(rep, flush=True)
    if len(reports) > SHOW:
        print("... and %d more failing cases of %s (each in %s/fuzz/failures/)" % (
            len(reports) - SHOW, gen.NAME, os.path.relpath(ctx.build)), flush=True)
    return done, reports, stopped


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", default="1", help="an integer, or 'random'")
    ap.add_argument("--cases", type=int, help="cases per generator")
    ap.add_argument("--seconds", type=float, help="seconds per generator")
    ap.add_argument("--total-seconds", type=float,
                    help="seconds for all the generators together (split evenly)")
    ap.add_argument("--gen", help="comma-separated generator names (default: all)")
    ap.add_argument("--case", type=int, help="run only case I (with --gen) and keep it")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--budget", type=float, default=0,
                    help="stop starting cases after this many seconds in total (0: no limit)")
    ap.add_argument("--list", action="store_true", help="list the generators and exit")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every command with its exit code and summary line")
    args = ap.parse_args()

    if args.list:
        for g in GENERATORS:
            print("%-14s sample %d cases" % (g.NAME, g.SAMPLE))
        return 0
    build = os.environ.get("BUILD", "build")
    a64sim = os.path.abspath(os.environ.get("A64SIM_ASAN", os.path.join(build, "asan", "a64sim")))
    plain = os.path.abspath(os.environ.get("A64SIM", os.path.join(build, "a64sim")))
    for p in (a64sim, plain):
        if not os.access(p, os.X_OK):
            print("fuzz: %s is missing (make BUILD=%s)" % (p, build))
            return 2
    seed = args.seed
    if seed == "random":
        seed = str(int.from_bytes(os.urandom(4), "little"))
    gens = GENERATORS
    if args.gen:
        names = args.gen.split(",")
        unknown = set(names) - {g.NAME for g in GENERATORS}
        if unknown:
            print("fuzz: no generator named %s (--list shows them)" % ", ".join(sorted(unknown)))
            return 2
        gens = [g for g in GENERATORS if g.NAME in names]
    if args.total_seconds:
        args.seconds = max(1.0, args.total_seconds / len(gens))
    os.makedirs(os.path.join(build, "fuzz"), exist_ok=True)
    work = tempfile.mkdtemp(prefix="a64sim-fuzz.")
    start = time.monotonic()
    deadline = start + args.budget if args.budget else float("inf")
    try:
        ctx = Context(os.path.abspath(build), a64sim, plain, work)
        ctx.verbose = args.verbose
        if args.case is not None:
            if len(gens) != 1:
                print("fuzz: --case needs one --gen")
                return 2
            rep = run_case(ctx, gens[0], seed, args.case, keep=True)
            print(rep or "PASS %s case %d (seed %s)" % (gens[0].NAME, args.case, seed))
            return 1 if rep else 0
        mode = ("%d cases each" % args.cases if args.cases is not None else
                "%.3g s each" % args.seconds if args.seconds else "the fixed sample")
        print("fuzz: seed %s, %d generators, %s, %d jobs, %s" % (
            seed, len(gens), mode, args.jobs, os.path.relpath(a64sim)), flush=True)
        passed = failed = 0
        for g in gens:
            t0 = time.monotonic()
            ncases = None if args.seconds and args.cases is None else (
                args.cases if args.cases is not None else g.SAMPLE)
            done, reports, stopped = run_generator(ctx, g, seed, ncases, args.seconds, args.jobs,
                                                   deadline)
            note = " (stopped at the %g s budget)" % args.budget if stopped else ""
            if done == 0 and stopped:
                print("SKIP %-14s no time left in the %g s budget" % (g.NAME, args.budget))
                continue
            if reports:
                failed += 1
                print("FAIL %-14s %d of %d cases failed, %.1f s%s" % (
                    g.NAME, len(reports), done, time.monotonic() - t0, note), flush=True)
            else:
                passed += 1
                print("PASS %-14s %d cases, %.1f s%s" % (g.NAME, done, time.monotonic() - t0,
                                                         note), flush=True)
        print("fuzz: %d passed, %d failed (generators; %.0f s)" % (
            passed, failed, time.monotonic() - start))
        os.makedirs(os.path.join(build, "check"), exist_ok=True)
        with open(os.path.join(build, "check", "fuzz.result"), "w") as f:
            f.write("%d %d\n" % (passed, failed))
        if failed:
            print("fuzz: failing inputs and their commands are in %s/fuzz/failures/" % build)
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
