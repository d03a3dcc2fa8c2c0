#!/usr/bin/env bash
# Fetch Debian's arm64 Linux 6.1 kernel and busybox-static with apt-get download (from Debian's
# archive, nothing else), and build the initramfs the Linux boot tests use. Cached under
# $BUILD/linux: a second call only rebuilds the initramfs if its sources changed.
#
#   BUILD=build scripts/get-linux.sh      -> build/linux/Image, build/linux/initrd.gz
#
# The initramfs's /init prints a marker, /proc/interrupts and the processors of /proc/cpuinfo,
# runs tests/linux/kvmtest.c (a KVM guest on the in-kernel vGIC) where /dev/kvm exists, and
# powers off. Its bytes are fixed (tests/linux/mkinitramfs.py: no timestamps), so two boots of
# the same kernel are the same run. It is rebuilt when its sources change.
set -eu
BUILD=${BUILD:-build}
D=$BUILD/linux
SRC="tests/linux/mkinitramfs.py tests/linux/kvmtest.c tests/linux/kvm_guest.S"

# One at a time: make check runs the Linux tests and the documentation examples in parallel,
# and both call this script; the second waits for the first and then finds everything built.
mkdir -p "$D"
exec 9>"$D/.lock"
flock 9

# initramfs BUSYBOX: build $D/initrd.gz with kvmtest.
initramfs() {
  # -s: the symbol table names the compiler's temporary files, which differ on every build;
  # stripped, the binary (and so the initramfs and the boot) is the same on every machine.
  aarch64-linux-gnu-gcc -static -O2 -s -Wall -Wextra -Werror -o "$D/kvmtest.new" \
    tests/linux/kvmtest.c tests/linux/kvm_guest.S
  mv "$D/kvmtest.new" "$D/kvmtest"
  python3 tests/linux/mkinitramfs.py "$1" "$D/kvmtest" "$D/initrd.gz.new"
  mv "$D/initrd.gz.new" "$D/initrd.gz"
}

if [ -s "$D/Image" ] && [ -s "$D/busybox" ]; then
  stale=false
  for f in $SRC; do [ "$f" -nt "$D/initrd.gz" ] && stale=true; done
  [ -s "$D/initrd.gz" ] && ! $stale && exit 0
  initramfs "$D/busybox"
  exit 0
fi

have_arm64() { dpkg --print-foreign-architectures | grep -qx arm64; }
if ! have_arm64 || ! apt-cache show busybox-static:arm64 >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "get-linux.sh: Debian's arm64 packages are not available; run as root:" >&2
    echo "get-linux.sh:   dpkg --add-architecture arm64 && apt-get update" >&2
    exit 1
  fi
  have_arm64 || dpkg --add-architecture arm64
  apt-get update -qq
fi

mkdir -p "$D/debs"
chmod a+rwx "$D/debs" # apt-get download fetches as the _apt user when it can
# The newest 6.1 kernel build Debian has (linux-image-6.1.0-N-arm64-unsigned).
pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-arm64-unsigned$' | cut -d' ' -f1 |
  sort -V | tail -n 1)
[ -n "$pkg" ] || { echo "get-linux.sh: no linux-image-6.1.0-*-arm64-unsigned in the archive" >&2; exit 1; }
(cd "$D/debs" && apt-get download -qq "$pkg:arm64" busybox-static:arm64)

tmp=$(mktemp -d "$D/extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for deb in "$D"/debs/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
vmlinuz=$(ls "$tmp"/root/boot/vmlinuz-* | head -n 1)
# Debian's arm64 vmlinuz is a gzip-compressed Image.
if gzip -t "$vmlinuz" 2>/dev/null; then gzip -dc "$vmlinuz" > "$tmp/Image"; else cp "$vmlinuz" "$tmp/Image"; fi
echo "$pkg" > "$tmp/version"
cp "$tmp/root/bin/busybox" "$D/busybox"
initramfs "$D/busybox"
mv "$tmp/Image" "$tmp/version" "$D/"
echo "get-linux.sh: $D/Image ($pkg), $D/initrd.gz"
