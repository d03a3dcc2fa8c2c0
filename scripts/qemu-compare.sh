#!/usr/bin/env bash
# Run one guest ELF under a64sim and under QEMU's virt board and compare them.
#
#   scripts/qemu-compare.sh A64SIM ELF EXPECTED_EXIT
#
# Compared, byte for byte after turning CRLF into LF on both sides:
#   - the UART output (stdout of both programs);
#   - the semihosting console output (SYS_WRITEC/SYS_WRITE0): QEMU writes it
#     to its stderr, so it is compared with a64sim's stderr, after dropping the
#     diagnostic lines each tool prefixes with its own name ("a64sim: ...",
#     "qemu-system-aarch64: ...");
#   - both exit codes, against EXPECTED_EXIT.
# Prints "PASS NAME", or the differences and "FAIL NAME". Exit status: 0 pass,
# 1 fail, 2 bad usage, 77 skipped (QEMU not installed, the automake convention).
set -u

usage() {
    echo "usage: $0 A64SIM ELF EXPECTED_EXIT" >&2
    exit 2
}

[ $# -eq 3 ] || usage
a64sim=$1
elf=$2
want=$3
name=$(basename "$elf" .elf)

case $want in
'' | *[!0-9]*) echo "$0: EXPECTED_EXIT must be a number, got '$want'" >&2; usage ;;
esac
[ -f "$elf" ] || { echo "$0: $elf: no such file" >&2; exit 2; }

if ! command -v qemu-system-aarch64 >/dev/null 2>&1; then
    echo "SKIP $name (qemu-system-aarch64 not installed)"
    exit 77
fi
[ -x "$a64sim" ] || { echo "$0: $a64sim: not an executable" >&2; exit 2; }

# -nic none: the virt board otherwise adds a virtio NIC whose option ROM
# (efi-virtio.rom) is not installed without ipxe-qemu; a64sim has no NIC.
QEMU_CMD=(qemu-system-aarch64 -M "virt,gic-version=3" -cpu cortex-a57 -nographic
    -semihosting -nic none)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Extra options for a guest that needs them, e.g. SMP:
#   A64SIM_ARGS="--cpus 4" QEMU_EXTRA="-smp 4" scripts/qemu-compare.sh ...
# shellcheck disable=SC2086
timeout 120 "$a64sim" run "$elf" ${A64SIM_ARGS:-} </dev/null >"$tmp/sim.raw" 2>"$tmp/sim.err.raw"
sim_rc=$?
# shellcheck disable=SC2086
timeout 60 "${QEMU_CMD[@]}" ${QEMU_EXTRA:-} -kernel "$elf" </dev/null >"$tmp/qemu.raw" 2>"$tmp/qemu.err.raw"
qemu_rc=$?

# A terminal in between would turn LF into CRLF; normalise both the same way.
crlf_to_lf() {
    sed 's/\r$//' "$1"
}

crlf_to_lf "$tmp/sim.raw" >"$tmp/a64sim.uart"
crlf_to_lf "$tmp/qemu.raw" >"$tmp/qemu.uart"
crlf_to_lf "$tmp/sim.err.raw" | grep -v '^a64sim: ' >"$tmp/a64sim.semihost"
crlf_to_lf "$tmp/qemu.err.raw" | grep -v '^qemu-system-aarch64: ' >"$tmp/qemu.semihost"

ok=true
if ! cmp -s "$tmp/a64sim.uart" "$tmp/qemu.uart"; then
    echo "$name: UART output differs (--- a64sim, +++ qemu):"
    diff -u --text --label a64sim --label qemu "$tmp/a64sim.uart" "$tmp/qemu.uart"
    ok=false
fi
if ! cmp -s "$tmp/a64sim.semihost" "$tmp/qemu.semihost"; then
    echo "$name: semihosting console output differs (--- a64sim, +++ qemu):"
    diff -u --text --label a64sim --label qemu "$tmp/a64sim.semihost" "$tmp/qemu.semihost"
    ok=false
fi
if [ "$sim_rc" -ne "$want" ]; then
    echo "$name: a64sim exited with $sim_rc, expected $want"
    sed 's/^/  a64sim stderr: /' "$tmp/sim.err.raw" | tail -n 5
    ok=false
fi
if [ "$qemu_rc" -ne "$want" ]; then
    echo "$name: qemu-system-aarch64 exited with $qemu_rc, expected $want"
    [ "$qemu_rc" -eq 124 ] && echo "  (timed out after 60 s)"
    ok=false
fi

if $ok; then
    echo "PASS $name"
    exit 0
fi
echo "FAIL $name"
exit 1
