#!/usr/bin/env python3
"""A raw GDB remote protocol client for scripts/gdb-tests.sh: what gdb's
batch mode cannot send. Connects to a64sim's Unix socket (a running guest,
no --gdb-wait: attaching stops it), checks the replies to malformed and
hostile packets and random noise, continues, stops the run with a Ctrl-C
(0x03), detaches, attaches again and kills it. Exit 0 when every reply was as expected."""
import random
import socket
import sys
import time


def frame(body: bytes) -> bytes:
    return b"$" + body + b"#%02x" % (sum(body) & 0xFF)


class Client:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(20)
        self.s.connect(path)
        self.buf = b""

    def byte(self):
        while not self.buf:
            data = self.s.recv(65536)
            if not data:
                raise EOFError("a64sim closed the connection")
            self.buf += data
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def reply(self):
        """The next packet's body; '+' acks skipped, '-' returned as '-'."""
        while True:
            b = self.byte()
            if b == b"-":
                return b"-"
            if b == b"$":
                break
        body = b""
        while (b := self.byte()) != b"#":
            body += b
        self.byte()
        self.byte()
        self.s.sendall(b"+")
        return body

    def ask(self, body: bytes) -> bytes:
        self.s.sendall(frame(body))
        return self.reply()


def expect(what, got, want):
    ok = got.startswith(want) if isinstance(want, bytes) else want(got)
    if not ok:
        print(f"FAIL {what}: got {got[:80]!r}")
        sys.exit(1)
    print(f"ok {what}: {got[:40]!r}")


def main():
    c = Client(sys.argv[1])
    expect("stop reply on attach", c.ask(b"?"), b"T05thread:1;")
    expect("bad hex", c.ask(b"m0,zz"), b"E01")
    expect("bad register", c.ask(b"p99"), b"E01")
    expect("register write too short", c.ask(b"P1f=00"), b"E01")
    expect("G too short", c.ask(b"G00"), b"E01")
    expect("unknown Z type", c.ask(b"Z9,0,4"), lambda r: r == b"")
    expect("Z without kind", c.ask(b"Z0,40080000"), b"E01")
    expect("thread out of range", c.ask(b"T99"), b"E01")
    expect("Hg bad thread", c.ask(b"Hgzz"), b"E01")
    expect("features past the end", c.ask(b"qXfer:features:read:target.xml:fffffff,ffff"), b"l")
    expect("other annex", c.ask(b"qXfer:features:read:other.xml:0,10"), b"E00")
    expect("X length mismatch", c.ask(b"X40000000,4:ab"), b"E01")
    expect("M bad hex", c.ask(b"M40000000,1:zz"), b"E01")
    expect("odd qRcmd", c.ask(b"qRcmd,7"), b"E01")
    expect("vCont bad action", c.ask(b"vCont;x"), b"E01")
    expect("huge number", c.ask(b"m11111111111111111111,1"), b"E01")
    expect("MMIO read refused", c.ask(b"m9000000,4"), b"E14")
    expect("read beyond RAM refused", c.ask(b"mffffffffffff0000,4"), b"E14")
    # A bad checksum is NAKed; an oversized packet too.
    c.s.sendall(b"$g#00")
    expect("bad checksum", c.reply(), b"-")
    c.s.sendall(b"$" + b"m" * 40000 + b"#00")
    expect("oversized packet", c.reply(), b"-")
    # Noise: random bodies that do not resume, kill, detach or write.
    rng = random.Random(1)
    alphabet = b"gmpqHTZz?:;,=0123456789abcdefxX}*#$-"
    for i in range(300):
        body = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        if body[:1] and body[:1] in b"csCSkDvXx" or b"#" in body or b"$" in body:
            continue
        c.s.sendall(frame(body))
        r = c.reply()
        if r == b"-":
            continue
    expect("still answering", c.ask(b"qC"), b"QC1")
    # Continue, then Ctrl-C: the machine stops with SIGINT.
    c.s.sendall(frame(b"c"))
    time.sleep(0.3)
    c.s.sendall(b"\x03")
    expect("Ctrl-C stop", c.reply(), b"T02thread:1;")
    cycles = c.ask(b"qRcmd," + b"cycles".hex().encode())
    expect("monitor output", cycles, b"O")
    while cycles != b"OK":
        cycles = c.reply()
    expect("reverse execution advertised",
           c.ask(b"qSupported"), lambda r: b"ReverseStep+" in r)
    # Detach: the run goes on; attach again: it stops again.
    expect("detach", c.ask(b"D"), b"OK")
    c.s.close()
    time.sleep(0.3)
    c = Client(sys.argv[1])
    expect("stop reply on the second attach", c.ask(b"?"), b"T05thread:1;")
    c.s.sendall(frame(b"k"))
    time.sleep(0.2)
    print("ok killed")


if __name__ == "__main__":
    try:
        main()
    except (EOFError, OSError) as e:
        print(f"FAIL {e}")
        sys.exit(1)
