#!/usr/bin/env bash
# Boot Debian's arm64 Linux 6.1 kernel (scripts/get-linux.sh) to the initramfs's marker with
# `a64sim boot` and check what it prints.
#
#   A64SIM=build/a64sim BUILD=build scripts/linux-tests.sh          (make check: 1 and 2 PEs at
#                                                                   EL1, VHE at EL2, KVM with
#                                                                   GICv4.0 and GICv4.1,
#                                                                   determinism)
#   A64SIM=build/a64sim BUILD=build scripts/linux-tests.sh --all    (make check-linux: also 4 PEs,
#                                                                   --cpu a57, nVHE and protected
#                                                                   KVM, the GICv3 probe lines
#                                                                   against QEMU, and a kernel with
#                                                                   pseudo-NMIs built from Debian's
#                                                                   source: about 5 minutes once)
set -u
A64SIM=${A64SIM:-build/a64sim}
BUILD=${BUILD:-build}
all=false
[ "${1:-}" = --all ] && all=true
L=$BUILD/linux
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
passed=0; failed=0

pass() { passed=$((passed + 1)); echo "  PASS $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL $1"; shift; for l in "$@"; do echo "       $l"; done; }
finish() {
  mkdir -p "$BUILD/check"
  echo "$passed $failed" > "$BUILD/check/linux.result"
  echo "linux: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}

echo "Debian's arm64 kernel to a busybox /init"
if ! BUILD=$BUILD bash scripts/get-linux.sh >"$tmp/get.log" 2>&1; then
  fail "get-linux.sh: the kernel and busybox from Debian's archive" "$(tail -n 3 "$tmp/get.log")"
  finish
fi
APPEND="console=ttyAMA0"

# boot NAME [options]: stdout in $tmp/NAME.out, stderr in $tmp/NAME.err; true if it powered off.
boot() {
  local name=$1; shift
  timeout "$RUN_TIMEOUT" "$A64SIM" boot --kernel "$L/Image" --initrd "$L/initrd.gz" \
    --append "$APPEND" --max-insns 20000000000 "$@" </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err"
  local rc=$?
  sed -i 's/\r$//' "$tmp/$name.out" # the kernel's console ends lines with CR LF
  if [ "$rc" -ne 0 ]; then
    fail "$name: exit $rc" "$(tail -n 3 "$tmp/$name.out")" "$(tail -n 2 "$tmp/$name.err")"
    return 1
  fi
  return 0
}

# check NAME CPUS LINE...: the marker with CPUS, the done line, and each LINE (a regex).
check() {
  local name=$1 cpus=$2; shift 2
  local missing=""
  grep -qx "a64sim-linux: /init reached on $cpus CPU(s)" "$tmp/$name.out" || missing="$missing marker"
  grep -qx "a64sim-linux: done" "$tmp/$name.out" || missing="$missing done"
  for re in "$@"; do grep -qE "$re" "$tmp/$name.out" || missing="$missing '$re'"; done
  if [ -z "$missing" ]; then return 0; fi
  fail "$name" "missing:$missing" "$(grep -E 'Kernel panic|Oops|BUG' "$tmp/$name.out" | head -n 2)"
  return 1
}

TIMER='GICv3 +(27|26|30) Level +arch_timer'
UART='GICv3 +33 Level +uart-pl011'

if boot el1-1 --trace "$tmp/boot1.trace"; then
  check el1-1 1 "$TIMER" "$UART" '^IPI0:' 'GICv3: 256 SPIs implemented' \
    'rtc-pl031 9010000.pl031: setting system clock to 2026-01-01T00:00:00 UTC \(1767225600\)' &&
    pass "1 PE at EL1: /init, arch timer, UART, IPIs in /proc/interrupts, the PL031 at its epoch"
fi
if boot el1-2 --cpus 2; then
  check el1-2 2 "$UART" 'smp: Brought up 1 node, 2 CPUs' 'CPU1: Booted secondary processor' &&
    awk '/^IPI0:/ { exit !($2 > 0 && $3 > 0) }' "$tmp/el1-2.out" &&
    pass "2 PEs at EL1: PSCI CPU_ON, rescheduling IPIs on both" || { grep -q "^IPI0:" "$tmp/el1-2.out" &&
    fail "2 PEs IPIs" "$(grep '^IPI0:' "$tmp/el1-2.out")"; }
fi
if boot el2-vhe --el 2 --cpu max; then
  check el2-vhe 1 'kvm \[1\]: VHE mode initialized successfully' 'kvm \[1\]: vgic interrupt IRQ' \
    'GICv3 +25 Level +vgic' '^kvmtest: RESULT PASS' &&
    pass "EL2, --cpu max: KVM in VHE mode runs a guest on its vGIC (SGIs, the vtimer through a HW LR)"
fi
# GICv4 under real KVM: kvmtest's VM has an in-kernel ITS, so KVM maps a vPE for its vCPU on
# the host's ITS (VMAPP) and loads and puts it through GICR_VPENDBASER around every entry; the
# trace's MMIO records count the loads (Valid = 1) on PE 1's VLPI frame or PE 0's.
APPEND="console=ttyAMA0 kvm-arm.vgic_v4_enable=1"
if boot el2-v4 --el 2 --cpus 2 --gic v4 --trace "$tmp/v4.trace" --trace-mmio; then
  loads=$("$A64SIM" trace dump "$tmp/v4.trace" --kinds mmio 2>/dev/null |
    grep -cE 'write 0x08(0c|10)0078 \(8 bytes\) = 0x[89a-f]')
  check el2-v4 2 'ITS: Enabling GICv4 support' 'kvm \[1\]: GICv4 support enabled' \
    '^kvmtest: vITS CTRL_INIT ok' '^kvmtest: RESULT PASS' &&
    ! grep -q 'ITS command' "$tmp/el2-v4.err" && [ "${loads:-0}" -ge 2 ] &&
    pass "EL2, --gic v4: KVM with GICv4 maps its vCPU's vPE and makes it resident $loads times; its guest runs" ||
    fail "el2-v4" "vPE loads: ${loads:-0}" "$(grep -E 'ITS command' "$tmp/el2-v4.err" | head -n 2)"
fi
# GICv4.1 under real KVM: the host's ITS driver runs in GICv4.1 mode (a vPE table shared with
# the redistributors), KVM schedules the vPE by vPEID, and kvmtest's guest asks for SGIs without
# active state (GICD_CTLR.nASSGIreq), so KVM sends its two SGIs as vSGIs through GITS_SGIR
# (0x0807_0020 with the ITS at 0x0805_0000) and the guest takes them from the GIC directly.
if boot el2-v41 --el 2 --cpus 2 --gic v4.1 --trace "$tmp/v41.trace" --trace-mmio; then
  "$A64SIM" trace dump "$tmp/v41.trace" --kinds mmio >"$tmp/v41.mmio" 2>/dev/null
  loads=$(grep -cE 'write 0x08(0c|10)0078 \(8 bytes\) = 0x[89a-f]' "$tmp/v41.mmio")
  sgirs=$(grep -cE 'write 0x08070020 \(8 bytes\)' "$tmp/v41.mmio")
  check el2-v41 2 'ITS@0x0000000008050000: Using GICv4.1 mode' \
    'allocated 8192 Virtual CPUs @[0-9a-f]+ \(indirect, esz 32, psz 64K' \
    'kvm \[1\]: GICv4.1 support enabled' '^kvmtest: guest acknowledged INTID 5' \
    '^kvmtest: guest acknowledged INTID 3' '^kvmtest: RESULT PASS' &&
    ! grep -q 'ITS command' "$tmp/el2-v41.err" && [ "${loads:-0}" -ge 2 ] && [ "${sgirs:-0}" -eq 2 ] &&
    pass "EL2, --gic v4.1: KVM in GICv4.1 mode schedules its vPE by vPEID $loads times and sends its guest's 2 SGIs as vSGIs" ||
    fail "el2-v41" "vPE loads: ${loads:-0}, GITS_SGIR writes: ${sgirs:-0}" "$(grep -E 'ITS command' "$tmp/el2-v41.err" | head -n 2)"
fi
APPEND="console=ttyAMA0"
# Two boots with the same arguments: the same console output, counts and trace file; the trace
# replayed to the last record.
if boot el1-1b --trace "$tmp/boot.trace"; then
  counts() { sed -nE 's/^a64sim: ([0-9]+ instructions retired, [0-9]+ cycles simulated).*/\1/p' "$1"; }
  if cmp -s "$tmp/el1-1.out" "$tmp/el1-1b.out" && [ -n "$(counts "$tmp/el1-1.err")" ] &&
     [ "$(counts "$tmp/el1-1.err")" = "$(counts "$tmp/el1-1b.err")" ] &&
     cmp -s "$tmp/boot1.trace" "$tmp/boot.trace"; then
    pass "two boots: byte-identical console output and traces, $(counts "$tmp/el1-1.err")"
  else fail "determinism" "$(counts "$tmp/el1-1.err")" "$(counts "$tmp/el1-1b.err")"; fi
  if timeout "$RUN_TIMEOUT" "$A64SIM" replay "$tmp/boot.trace" --image "$L/Image" --initrd "$L/initrd.gz" \
      --append "$APPEND" >"$tmp/replay.out" 2>&1 && grep -q "^a64sim: replay: identical: all [0-9]* records match" "$tmp/replay.out"; then
    pass "the recorded boot replays: $(grep -o 'all [0-9]* records' "$tmp/replay.out")"
  else fail "replay of the boot" "$(tail -n 3 "$tmp/replay.out")"; fi
  # --progress prints its status line (about once a host second) and changes nothing.
  if boot el1-progress --progress; then
    if grep -q "s simulated, .* MIPS, .* interrupts/s, 1/1 PEs awake" "$tmp/el1-progress.err" &&
       cmp -s "$tmp/el1-1.out" "$tmp/el1-progress.out" &&
       [ "$(counts "$tmp/el1-1.err")" = "$(counts "$tmp/el1-progress.err")" ]; then
      pass "--progress (and no --trace): status lines on stderr, the same run"
    else fail "--progress" "$(tr '\r' '\n' < "$tmp/el1-progress.err" | tail -n 3)"; fi
  fi
  if ! "$A64SIM" replay "$tmp/boot.trace" --image "$L/Image" --initrd "$L/initrd.gz" >"$tmp/replay2.out" 2>&1 &&
     grep -qF "not the boot it was recorded with" "$tmp/replay2.out"; then
    pass "replay without the recorded --append: refused, exit 2"
  else fail "replay with another command line" "$(tail -n 2 "$tmp/replay2.out")"; fi
fi

if $all; then
  if boot el1-epoch --rtc-epoch 0x7fffffff; then
    check el1-epoch 1 'setting system clock to 2038-01-19T03:14:07 UTC \(2147483647\)' &&
      pass "--rtc-epoch 0x7fffffff: the kernel's clock set to 2038-01-19T03:14:07"
  fi
  if boot el1-4 --cpus 4; then
    check el1-4 4 'smp: Brought up 1 node, 4 CPUs' && pass "4 PEs at EL1"
  fi
  if boot el1-a57 --cpu a57; then
    check el1-a57 1 "$UART" 'CPU part\s+: 0xd07' && pass "--cpu a57 at EL1: a Cortex-A57 in /proc/cpuinfo"
  fi
  if boot el2-nvhe --el 2 --cpu a57 --cpus 2; then
    check el2-nvhe 2 'kvm \[1\]: Hyp mode initialized successfully' 'GICv3 +25 Level +vgic' \
      '^kvmtest: RESULT PASS' && pass "EL2, --cpu a57, 2 PEs: KVM in nVHE (hyp) mode runs its guest"
  fi
  APPEND="console=ttyAMA0 kvm-arm.mode=protected"
  if boot el2-protected --el 2 --cpu max; then
    check el2-protected 1 'kvm \[1\]: Protected nVHE mode initialized successfully' \
      '^kvmtest: RESULT PASS' &&
      pass "EL2, kvm-arm.mode=protected: the host under stage 2 faulted in on demand, its guest runs"
  fi
  APPEND="console=ttyAMA0"
  # The GIC and ITS drivers' probe lines against QEMU's on the same kernel and initramfs
  # (QEMU's virt board has 224 SPIs and an ITS). Table addresses depend on where each places
  # the initrd and the device tree, and a64sim advertises GICR_TYPER.DirectLPI where QEMU does
  # not (docs/gic.md): both are left out of the comparison.
  if command -v qemu-system-aarch64 >/dev/null && boot el1-spis --spis 224; then
    timeout "$RUN_TIMEOUT" qemu-system-aarch64 -M virt,gic-version=3 -cpu max -m 512M -nographic \
      -nic none -kernel "$L/Image" -initrd "$L/initrd.gz" -append "$APPEND" </dev/null \
      >"$tmp/qemu.out" 2>&1
    probe() {
      sed 's/\r$//' "$1" | sed -nE 's/^\[ *[0-9.]+\] ((GICv3|ITS|Platform MSI|PCI\/MSI).*)/\1/p' |
        grep -v 'region 0:' | sed -E 's/@(0x)?[0-9a-f]{8,16}\b/@ADDR/g; s/, DirectLPI//'
    }
    if [ -n "$(probe "$tmp/qemu.out")" ] && [ "$(probe "$tmp/qemu.out")" = "$(probe "$tmp/el1-spis.out")" ]; then
      pass "GICv3 probe lines as under QEMU ($(probe "$tmp/qemu.out" | wc -l) lines)"
    else
      fail "GICv3 probe lines differ from QEMU's" "$(diff <(probe "$tmp/qemu.out") <(probe "$tmp/el1-spis.out") | head -n 6)"
    fi
  fi
  # Seed 000 on the real kernel: Linux's pseudo-NMIs, interrupts masked through ICC_PMR_EL1.
  if BUILD=$BUILD bash scripts/build-linux-nmi.sh >"$tmp/nmi-build.log" 2>&1; then
    APPEND="console=ttyAMA0 irqchip.gicv3_pseudo_nmi=1"
    for cfg in "" "--cpus 2" "--el 2"; do
      # shellcheck disable=SC2086
      if timeout "$RUN_TIMEOUT" "$A64SIM" boot --kernel "$BUILD/linux-nmi/Image" --initrd "$L/initrd.gz" \
          --append "$APPEND" $cfg </dev/null >"$tmp/nmi.out" 2>"$tmp/nmi.err"; then
        sed -i 's/\r$//' "$tmp/nmi.out"
        cpus=$([ "$cfg" = "--cpus 2" ] && echo 2 || echo 1)
        grep -q "GICv3: Pseudo-NMIs enabled using relaxed ICC_PMR_EL1 synchronisation" "$tmp/nmi.out" &&
          grep -q "CPU features: detected: IRQ priority masking" "$tmp/nmi.out" &&
          grep -qx "a64sim-linux: /init reached on $cpus CPU(s)" "$tmp/nmi.out" &&
          pass "pseudo-NMI kernel ${cfg:-(1 PE, EL1)}: IRQ priority masking, Pseudo-NMIs enabled, /init" ||
          fail "pseudo-NMI kernel $cfg" "$(grep -E 'NMI|priority|a64sim-linux' "$tmp/nmi.out" | head -n 3)"
      else fail "pseudo-NMI kernel $cfg: exit $?" "$(tail -n 2 "$tmp/nmi.err")"; fi
    done
    APPEND="console=ttyAMA0"
  else
    fail "build-linux-nmi.sh" "$(tail -n 3 "$tmp/nmi-build.log")"
  fi
fi
finish
