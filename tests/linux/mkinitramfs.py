#!/usr/bin/env python3
"""Build the Linux boot tests' initramfs: busybox, kvmtest and an /init
script, as a gzip-compressed cpio "newc" archive whose bytes depend only on
the inputs (every timestamp 0, owner root), so that two boots are the same
run.

    mkinitramfs.py BUSYBOX KVMTEST OUT.gz

/init mounts /proc and /dev, prints the marker line the tests look for, the
kernel's /proc/interrupts and the processor lines of /proc/cpuinfo, runs
kvmtest (tests/linux/kvmtest.c) when the kernel offers /dev/kvm, then
powers off.
"""
import gzip
import sys

INIT = b"""#!/bin/sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
echo "a64sim-linux: /init reached on $(/bin/busybox grep -c ^processor /proc/cpuinfo) CPU(s)"
/bin/busybox cat /proc/interrupts
/bin/busybox grep -E '^(processor|BogoMIPS|Features|CPU implementer|CPU part)' /proc/cpuinfo
if [ -e /dev/kvm ]; then /kvmtest; else echo "a64sim-linux: no /dev/kvm"; fi
echo "a64sim-linux: done"
/bin/busybox poweroff -f
"""


def entry(name, mode, data=b"", ino=1, rdev=(0, 0)):
    """One newc member: the 110-byte ASCII header, the name, the data, each padded to 4.
    RDEV: (major, minor) of a device node."""
    name_b = name.encode() + b"\0"
    fields = [0x070701, ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0]
    head = b"070701" + b"".join(b"%08X" % f for f in fields[1:])
    out = head + name_b
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    busybox = open(sys.argv[1], "rb").read()
    kvmtest = open(sys.argv[2], "rb").read()
    members = [
        ("bin", 0o040755, b""),
        ("dev", 0o040755, b""),
        ("proc", 0o040755, b""),
        ("sys", 0o040755, b""),
        ("bin/busybox", 0o100755, busybox),
        ("bin/sh", 0o120777, b"busybox"),
        ("init", 0o100755, INIT),
        ("kvmtest", 0o100755, kvmtest),
    ]
    archive = b"".join(entry(n, m, d, i + 1) for i, (n, m, d) in enumerate(members))
    # /dev/console (character device 5:1): where the kernel opens init's output.
    archive += entry("dev/console", 0o020600, b"", len(members) + 1, (5, 1))
    archive += entry("TRAILER!!!", 0, b"", 0)
    with open(sys.argv[3], "wb") as f:
        f.write(gzip.compress(archive, compresslevel=9, mtime=0))


if __name__ == "__main__":
    main()
