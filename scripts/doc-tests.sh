#!/usr/bin/env bash
# Runs the shell examples of README.md and docs/**/*.md and checks their output.
#
#   BUILD=build bash scripts/doc-tests.sh [--update] [FILE.md...]
#
# A fenced code block with lines beginning "$ " is one test: each "$ " line is a
# command, the lines after it (up to the next "$ " line or the end of the
# block) its expected output, stdout and stderr merged. The commands of a
# block run in order in one bash shell, in a fresh temporary directory in
# which build (-> $BUILD), tests, bench, docs and scripts are symlinks to the
# repository's, each with a time limit (DOC_TEST_TIMEOUT, 60 s). Compared
# after normalising the summary's "0.010 s wall, 195.2 MIPS" to
# "N s wall, N MIPS" (also trailing spaces and trailing empty lines); an
# expected line "..." matches any number of lines, a line ending in "..."
# any line that starts with what comes before it. A block preceded by
# "<!-- doc-test: skip: REASON -->" is not run. Results go to
# $BUILD/check/doc.result. --update rewrites the expected output in the .md
# files from this build's output (keeping "..." lines where they still
# match); review the diff. docs/testing.md, "Documentation examples".
set -u
export DOC_TEST_CWD=$PWD
cd "$(dirname "$0")/.." || exit 2
export BUILD=${BUILD:-build}
export DOC_TEST_TIMEOUT=${DOC_TEST_TIMEOUT:-60}
exec python3 - "$@" <<'PY'
import difflib
import glob
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import uuid

BUILD = os.environ["BUILD"]
TIMEOUT = float(os.environ["DOC_TEST_TIMEOUT"])
LINKS = {"build": BUILD, "tests": "tests", "bench": "bench", "docs": "docs", "scripts": "scripts"}
SKIP_RE = re.compile(r"^\s*<!--\s*doc-test:\s*skip:\s*(\S.*?)\s*-->\s*$")
WALL_RE = re.compile(r"[0-9]+(?:\.[0-9]+)? s wall, [0-9.a-z]+ MIPS")
FENCE_RE = re.compile(r"^ {0,3}(`{3,})")


def usage(msg):
    sys.stderr.write("doc-tests: %s\nusage: scripts/doc-tests.sh [--update] [FILE.md...]\n" % msg)
    sys.exit(2)


update = False
files = []
for arg in sys.argv[1:]:
    if arg == "--update":
        update = True
    elif arg.startswith("-"):
        usage("unknown option %s" % arg)
    else:
        files.append(os.path.relpath(os.path.join(os.environ["DOC_TEST_CWD"], arg)))
if not files:
    files = ["README.md"] + sorted(glob.glob("docs/**/*.md", recursive=True))
for f in files:
    if not os.path.isfile(f):
        usage("%s: no such file" % f)
if not os.access(os.path.join(BUILD, "a64sim"), os.X_OK):
    sys.stderr.write("doc-tests: %s/a64sim is not built (make BUILD=%s all)\n" % (BUILD, BUILD))
    sys.exit(2)


# ---------------------------------------------------------------- parsing

class Command:
    def __init__(self, text, line):
        self.text = text      # the command, without "$ "
        self.line = line      # 0-based line of the "$ " line in the file
        self.exp_start = line + 1
        self.exp_end = line + 1  # expected output: lines[exp_start:exp_end], trailing blank lines excluded


class Block:
    def __init__(self, path, line):
        self.path = path
        self.line = line      # 0-based line of the opening fence
        self.commands = []
        self.skip = None
        self.error = None

    def where(self):
        return "%s:%d" % (self.path, self.line + 1)


def parse(path, lines):
    blocks = []
    i = 0
    while i < len(lines):
        m = FENCE_RE.match(lines[i])
        if not m:
            i += 1
            continue
        fence = m.group(1)
        start = i
        j = i + 1
        while j < len(lines) and not re.match(r"^ {0,3}%s`*\s*$" % fence, lines[j]):
            j += 1
        body = range(start + 1, j)
        i = j + 1
        if not any(lines[k].startswith("$ ") for k in body):
            continue
        b = Block(path, start)
        if start > 0:
            sm = SKIP_RE.match(lines[start - 1])
            if sm:
                b.skip = sm.group(1)
            elif "doc-test" in lines[start - 1]:
                b.error = "malformed doc-test comment (expected <!-- doc-test: skip: REASON -->)"
        cmd = None
        for k in body:
            if lines[k].startswith("$ "):
                cmd = Command(lines[k][2:], k)
                b.commands.append(cmd)
            elif cmd is None:
                if lines[k].strip():
                    b.error = "line %d: output before the first command" % (k + 1)
            elif lines[k].strip():
                cmd.exp_end = k + 1
        blocks.append(b)
    return blocks


# ---------------------------------------------------------------- matching

def norm(line):
    return WALL_RE.sub("N s wall, N MIPS", line.rstrip())


def trim(lines):
    lines = [norm(l) for l in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def line_matches(e, a):
    if e.endswith("...") and e != "...":
        return a.startswith(e[:-3])
    return e == a


def matches(exp, act):
    """exp (normalised, may hold markers) against act (normalised)."""
    memo = {}

    def m(i, j):
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(exp):
            r = j == len(act)
        elif exp[i] == "...":
            r = any(m(i + 1, k) for k in range(j, len(act) + 1))
        else:
            r = j < len(act) and line_matches(exp[i], act[j]) and m(i + 1, j + 1)
        memo[key] = r
        return r

    sys.setrecursionlimit(max(10000, 4 * (len(exp) + len(act))))
    return m(0, 0)


def regenerate(old_raw, act_raw):
    """New expected lines for actual output act_raw, keeping the lines of
    old_raw (with their markers) that still match."""
    old = [norm(l) for l in old_raw]
    act = [norm(l) for l in act_raw]
    n, m = len(old), len(act)
    # LCS of old's non-"..." lines against act, a marker line matching by prefix.
    L = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if old[i] != "..." and line_matches(old[i], act[j]):
                L[i][j] = L[i + 1][j + 1] + 1
            else:
                L[i][j] = max(L[i + 1][j], L[i][j + 1])
    pairs = []
    i = j = 0
    while i < n and j < m:
        if old[i] != "..." and line_matches(old[i], act[j]) and L[i][j] == L[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i += 1
            j += 1
        elif L[i + 1][j] >= L[i][j + 1]:
            i += 1
        else:
            j += 1
    pairs.append((n, m))
    new = []
    pi = pj = 0
    for ai, aj in pairs:
        new.extend(fill_gap(old_raw[pi:ai], old[pi:ai], act_raw[pj:aj], act[pj:aj]))
        if ai < n:
            new.append(old_raw[ai])
        pi, pj = ai + 1, aj + 1
    return new


def fill_gap(old_raw, old, act_raw, act):
    """A stretch of old expected lines none of which matched in order: the
    first "..." takes what the lines around it leave over."""
    if "..." not in old:
        return [keep_or_new(old_raw, old, k, act_raw[k], act[k]) for k in range(len(act))] if len(old) == len(act) \
            else list(act_raw)
    d = old.index("...")
    before, after = d, len([x for x in old[d + 1:] if x != "..."])
    if len(act) < before + after:
        return ["..."] + list(act_raw)
    out = [keep_or_new(old_raw, old, k, act_raw[k], act[k]) for k in range(before)]
    out.append("...")
    tail = [x for x in range(d + 1, len(old)) if old[x] != "..."]
    for t, k in zip(tail, range(len(act) - after, len(act))):
        out.append(old_raw[t] if line_matches(old[t], act[k]) else act_raw[k])
    return out


def keep_or_new(old_raw, old, k, a_raw, a):
    if k < len(old) and line_matches(old[k], a):
        return old_raw[k]
    return a_raw


# ---------------------------------------------------------------- running

def run_block(block):
    """Runs the block's commands in one shell; returns a list of (output
    lines, note) per command run, note set when the command did not finish."""
    tmp = subprocess.run(["mktemp", "-d"], check=True, capture_output=True, text=True).stdout.strip()
    results = []
    proc = None
    try:
        for name, target in LINKS.items():
            os.symlink(os.path.abspath(target), os.path.join(tmp, name))
        mark = "@@doc-test-%s@@" % uuid.uuid4().hex
        loop = (
            'exec 3<&0 0</dev/null 2>&1\n'
            '__doc_rc=0\n'
            'while IFS= read -r -u 3 __doc_cmd; do\n'
            '  (exit $__doc_rc)\n'
            '  eval "$__doc_cmd" 3<&-\n'
            '  __doc_rc=$?\n'
            "  printf '\\n%s %d\\n' " + mark + ' "$__doc_rc"\n'
            'done\n'
        )
        env = dict(os.environ, LC_ALL="C", TZ="UTC")
        proc = subprocess.Popen(["bash", "--noprofile", "--norc", "-c", loop], cwd=tmp, env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                start_new_session=True)
        proc.stdin.write("".join(c.text + "\n" for c in block.commands).encode())
        proc.stdin.close()
        fd = proc.stdout.fileno()
        buf = b""
        tag = ("\n" + mark + " ").encode()
        deadline = time.monotonic() + TIMEOUT
        eof = False
        while len(results) < len(block.commands):
            k = buf.find(tag)
            if k >= 0:
                nl = buf.find(b"\n", k + len(tag))
                if nl >= 0:
                    results.append((buf[:k].decode("utf-8", "backslashreplace").split("\n"), None))
                    buf = buf[nl + 1:]
                    deadline = time.monotonic() + TIMEOUT
                    continue
            if eof:
                results.append((buf.decode("utf-8", "backslashreplace").split("\n"),
                                "doc-tests: the shell exited before the command finished"))
                break
            left = deadline - time.monotonic()
            if left <= 0:
                os.killpg(proc.pid, signal.SIGKILL)
                results.append((buf.decode("utf-8", "backslashreplace").split("\n"),
                                "doc-tests: no result after %g s: killed" % TIMEOUT))
                break
            r, _, _ = select.select([fd], [], [], left)
            if r:
                data = os.read(fd, 65536)
                if data:
                    buf += data
                else:
                    eof = True
    finally:
        if proc is not None:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            try:  # whatever the block left running in its session
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
            proc.stdout.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return results


def indent(lines, prefix="      "):
    return "".join(prefix + l + "\n" for l in lines)


sys.stdout.reconfigure(line_buffering=True)
passed = failed = skipped = 0
start = time.monotonic()
for path in files:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    edits = []  # (start, end, new lines)
    for b in parse(path, lines):
        if b.error:
            failed += 1
            print("  FAIL %s\n      %s" % (b.where(), b.error))
            continue
        if b.skip:
            skipped += 1
            print("  SKIP %s (%s)" % (b.where(), b.skip))
            continue
        results = run_block(b)
        report = ""
        block_edits = []
        for c, (out, note) in zip(b.commands, results):
            exp_raw = lines[c.exp_start:c.exp_end]
            act_raw = list(out)
            while act_raw and not act_raw[-1].strip():
                act_raw.pop()
            if note:
                report += "    $ %s\n%s" % (c.text, indent([l for l in trim(act_raw)] + [note]))
                continue
            exp, act = trim(exp_raw), trim(act_raw)
            if matches(exp, act):
                continue
            if update:
                block_edits.append((c.exp_start, c.exp_end, regenerate(exp_raw, act_raw)))
            diff = list(difflib.unified_diff(exp, act, "expected", "actual", lineterm=""))
            report += "    $ %s\n%s" % (c.text, indent(diff))
        for c in b.commands[len(results):]:
            report += "    $ %s\n      (not run)\n" % c.text
        if not report:
            passed += 1
            print("  PASS %s" % b.where())
        elif update and all(note is None for _, note in results) and len(results) == len(b.commands):
            edits.extend(block_edits)
            passed += 1
            print("  UPDATED %s" % b.where())
        else:
            failed += 1
            print("  FAIL %s\n%s" % (b.where(), report), end="")
    if edits:
        for s, e, new in sorted(edits, reverse=True):
            for l in new:
                if l.startswith("$ ") or FENCE_RE.match(l):
                    print("  doc-tests: %s: output line %r would break the block; check the update" % (path, l))
            lines[s:e] = new
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))

elapsed = time.monotonic() - start
if not update:
    os.makedirs(os.path.join(BUILD, "check"), exist_ok=True)
    with open(os.path.join(BUILD, "check", "doc.result"), "w") as f:
        f.write("%d %d\n" % (passed, failed))
print("doc: %d blocks skipped, %.1f s" % (skipped, elapsed))
print("doc: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
PY
