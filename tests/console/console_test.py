#!/usr/bin/env python3
"""The interactive console, driven through a pseudo-terminal (the guest
tests run without one): keys typed reach the guest, Ctrl-C included, are
recorded, and the recording replays; Ctrl-A X stops the run as SIGINT does.

    console_test.py A64SIM UARTECHO_ELF HELLO_ELF TMPDIR

Prints PASS/FAIL lines; exit status 0 when every check passed.
"""
import os
import pty
import select
import subprocess
import sys
import time

A64SIM, ECHO, SPIN, TMP = sys.argv[1:5]
failed = 0


def check(ok, what, detail=""):
    global failed
    print(("  PASS " if ok else "  FAIL ") + what)
    if not ok:
        failed += 1
        if detail:
            print("       " + detail.replace("\n", "\n       "))


def run_in_pty(args, script, limit=30):
    """Run a64sim with a terminal as stdin (and stdout); SCRIPT is a list of
    (seconds to wait, bytes to type). Returns (exit code, output)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(A64SIM, [A64SIM] + args)
    out = b""
    start = time.time()

    def read_for(seconds):
        nonlocal out
        end = time.time() + seconds
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    out += os.read(fd, 4096)
                except OSError:
                    return
    for wait, keys in script:
        read_for(wait)
        os.write(fd, keys)
    while time.time() - start < limit:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            read_for(0.2)
            return os.waitstatus_to_exitcode(status), out.decode("latin-1")
        read_for(0.1)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None, out.decode("latin-1")


trace = os.path.join(TMP, "console.trace")
# uartecho echoes in upper case until '.'; Ctrl-C (0x03) must reach it too.
code, out = run_in_pty(["run", ECHO, "--trace", trace], [(1.0, b"ab\x03c"), (0.5, b".")])
check(code == 0 and "AB\x03C" in out.replace("\r", ""), "typed keys reach the guest, Ctrl-C included",
      "exit %s, output %r" % (code, out[-300:]))
r = subprocess.run([A64SIM, "replay", trace, "--image", ECHO], capture_output=True, text=True,
                   timeout=60)
check(r.returncode == 0 and "identical" in r.stdout + r.stderr,
      "the typed session replays record for record", (r.stdout + r.stderr)[-300:])
code, out = run_in_pty(["run", SPIN], [(1.0, b"\x01x")])
check(code == 130 and "Ctrl-A X quits" in out,
      "Ctrl-A X stops a guest that never reads the UART, exit 130", "exit %s, output %r" % (code, out[-300:]))
sys.exit(1 if failed else 0)
