#!/usr/bin/env bash
# Linux boot time: Debian's arm64 kernel (scripts/get-linux.sh) from reset to the initramfs's
# marker and power-off, under a64sim and under qemu-system-aarch64 (TCG, and TCG with
# -icount shift=0), on the same Image and initramfs, RUNS (3) times each; the median wall time.
# Prints a Markdown section for bench/report.md (scripts/bench.sh appends it).
#
#   A64SIM=build/a64sim BUILD=build scripts/bench-linux.sh
set -u
A64SIM=${A64SIM:-build/a64sim}
BUILD=${BUILD:-build}
RUNS=${RUNS:-3}
L=$BUILD/linux
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! BUILD=$BUILD bash scripts/get-linux.sh >"$tmp/get.log" 2>&1; then
  echo "## Linux boot"
  echo
  echo "Not measured: scripts/get-linux.sh failed ($(tail -n 1 "$tmp/get.log"))."
  exit 0
fi

# wall CMD...: seconds the command takes, with the marker checked in its output.
wall() {
  local start end
  start=$(date +%s.%N)
  timeout 600 "$@" </dev/null >"$tmp/out" 2>"$tmp/err" || return 1
  end=$(date +%s.%N)
  grep -q "a64sim-linux: done" "$tmp/out" || return 1
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "n/a" }'; }

measure() { # NAME CMD...: the median of RUNS into $tmp/NAME
  local name=$1; shift
  : >"$tmp/$name.times"
  for _ in $(seq "$RUNS"); do
    wall "$@" >>"$tmp/$name.times" || { echo "n/a" >"$tmp/$name"; return; }
  done
  median <"$tmp/$name.times" >"$tmp/$name"
}

APPEND="console=ttyAMA0"
measure sim "$A64SIM" boot --kernel "$L/Image" --initrd "$L/initrd.gz" --append "$APPEND" --no-progress
insns=$(sed -nE 's/^a64sim: ([0-9]+) instructions retired.*/\1/p' "$tmp/err")
measure sim2 "$A64SIM" boot --kernel "$L/Image" --initrd "$L/initrd.gz" --append "$APPEND" --cpus 2 --no-progress
QEMU=(qemu-system-aarch64 -M virt,gic-version=3,its=off -cpu max -m 512M -nographic -nic none
  -kernel "$L/Image" -initrd "$L/initrd.gz" -append "$APPEND")
if command -v qemu-system-aarch64 >/dev/null; then
  measure tcg "${QEMU[@]}"
  measure icount "${QEMU[@]}" -icount shift=0
else
  echo "n/a" >"$tmp/tcg"; echo "n/a" >"$tmp/icount"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", b / a; else print "n/a" }'; }
sim=$(cat "$tmp/sim"); tcg=$(cat "$tmp/tcg"); icount=$(cat "$tmp/icount")
echo "## Linux boot"
echo
echo "Debian's $(cat "$L/version" 2>/dev/null || echo arm64 kernel) with the busybox initramfs of"
echo "scripts/get-linux.sh, from reset to its power-off (after the marker), median wall seconds of"
echo "$RUNS runs; QEMU boots the same Image and initramfs on its own device tree (\`-cpu max\`,"
echo "\`its=off\`). Speed is QEMU's wall time over a64sim's: above 1x, a64sim is faster."
echo
echo "| run | wall s | a64sim speed against it |"
echo "|---|---:|---:|"
echo "| a64sim, 1 PE ($insns instructions) | $sim | |"
echo "| a64sim, 2 PEs | $(cat "$tmp/sim2") | |"
echo "| qemu-system-aarch64 (TCG) | $tcg | $(ratio "$sim" "$tcg") |"
echo "| qemu-system-aarch64 -icount shift=0 | $icount | $(ratio "$sim" "$icount") |"
