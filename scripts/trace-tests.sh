#!/usr/bin/env bash
# Whole-run tests of trace files: recording, byte-identical re-recording,
# replay (identical, and diverging after a cost change), host and stimulus
# input, the golden dump, the timeline JSON, stats and diff, a killed run,
# and every bad-input case with its byte offset (files written by
# tests/trace/mktrace.py, an encoder independent of the C one).
#
#   A64SIM=build/a64sim A64SIM_ASAN=build/asan/a64sim BUILD=build scripts/trace-tests.sh
#   UPDATE_GOLDEN=1 ...   rewrite tests/trace/*.dump from this build (then review the diff)
set -u
A64SIM=${A64SIM:-build/a64sim}
A64SIM_ASAN=${A64SIM_ASAN:-}
BUILD=${BUILD:-build}
G=$BUILD/guest
TG=$BUILD/trace-guest
T=tests/trace
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every run has a time limit: a livelock fails its test instead of hanging the suite.
RUN_TIMEOUT=${RUN_TIMEOUT:-120}
passed=0; failed=0

pass() { passed=$((passed + 1)); echo "  PASS $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL $1"; shift; for l in "$@"; do echo "       $l"; done; }

# run NAME EXPECTED_EXIT a64sim-args...: stdout in $tmp/NAME.out, stderr in $tmp/NAME.err
run() {
  local name=$1 want=$2; shift 2
  timeout "$RUN_TIMEOUT" "$A64SIM" "$@" </dev/null >"$tmp/$name.out" 2>"$tmp/$name.err"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name" "exit code $rc, expected $want" "$(tail -n 4 "$tmp/$name.err")" "$(tail -n 4 "$tmp/$name.out")"
    return 1
  fi
  return 0
}

has() { # NAME STREAM TEXT: the stream (out/err) of run NAME contains TEXT
  if grep -qF -- "$3" "$tmp/$1.$2"; then return 0; fi
  fail "$1" "std$2 lacks: $3" "$(head -n 5 "$tmp/$1.$2")"
  return 1
}

same_file() { # NAME EXPECTED ACTUAL
  if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$(diff "$2" "$3" | head -n 10)"; fi
}

# The golden dump's record lines: how many records hello's trace holds (a
# pe-state record's register lines, indented 35 columns, are not records).
golden_records=$(grep -v '^#' "$T/hello.dump" | grep -vc '^ \{35\}')
golden_insns=$(grep -c '  insn  ' "$T/hello.dump")

echo "recording and its determinism"
run rec1 0 run "$G/hello.elf" --trace "$tmp/hello1.trace" --trace-insns --trace-mmio &&
  has rec1 err "a64sim: trace: $golden_records records written to $tmp/hello1.trace" &&
  pass "hello recorded ($golden_records records)"
run rec2 0 run "$G/hello.elf" --trace "$tmp/hello2.trace" --trace-insns --trace-mmio
same_file "the same command twice: identical trace bytes" "$tmp/hello1.trace" "$tmp/hello2.trace"
same_file "tracing leaves the guest's output unchanged" tests/guest/hello.expected "$tmp/rec1.out"
run demo1 0 run "$G/demo.elf" --trace "$tmp/demo1.trace"
run demo2 0 run "$G/demo.elf" --trace "$tmp/demo2.trace"
same_file "demo twice: identical trace bytes" "$tmp/demo1.trace" "$tmp/demo2.trace"

echo "golden dump (hello, with disassembly and symbols)"
run dump 0 trace dump "$tmp/hello1.trace" --image "$G/hello.elf"
if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$tmp/dump.out" "$T/hello.dump"; fi
same_file "trace dump of hello matches $T/hello.dump" "$T/hello.dump" "$tmp/dump.out"
# The recorded encodings and symbols against binutils' objdump, an oracle
# that shares no code with a64sim.
if command -v aarch64-linux-gnu-objdump >/dev/null 2>&1; then
  aarch64-linux-gnu-objdump -d "$G/hello.elf" >"$tmp/hello.objdump"
  if python3 - "$tmp/dump.out" "$tmp/hello.objdump" "$golden_insns" >"$tmp/objdump-check.txt" 2>&1 <<'EOF'
import re, sys
dump, objdump = open(sys.argv[1]).read(), open(sys.argv[2]).read()
enc, sym, cur = {}, {}, None
for line in objdump.splitlines():
    m = re.match(r'^([0-9a-f]+) <([^>]+)>:$', line)
    if m:
        cur = (m.group(2), int(m.group(1), 16))
        continue
    m = re.match(r'^\s+([0-9a-f]+):\s+([0-9a-f]{8})\s', line)
    if m and cur:
        a = int(m.group(1), 16)
        enc[a] = int(m.group(2), 16)
        sym[a] = "%s+0x%x" % (cur[0], a - cur[1])
n = 0
for line in dump.splitlines():
    m = re.search(r' insn +0x([0-9a-f]+) <([^>]+)>: ([0-9a-f]{8}) ', line)
    if not m:
        continue
    a = int(m.group(1), 16)
    if enc.get(a) != int(m.group(3), 16) or sym.get(a) != m.group(2):
        sys.exit("mismatch: %s (objdump: %08x <%s>)" % (line, enc.get(a, 0), sym.get(a)))
    n += 1
print(n)
want = int(sys.argv[3])
sys.exit(0 if n == want and n > 0 else "expected %d insn records, saw %d" % (want, n))
EOF
  then pass "all $golden_insns recorded PCs, encodings and symbol+offset agree with objdump"
  else fail "dump against objdump" "$(cat "$tmp/objdump-check.txt")"; fi
fi

echo "replay"
run replay-hello 0 replay "$tmp/hello1.trace" --image "$G/hello.elf" &&
  has replay-hello out "a64sim: replay: identical: all $golden_records records match" &&
  pass "replay of hello: identical, exit 0"
run replay-demo 0 replay "$tmp/demo1.trace" --image "$G/demo.elf" && pass "replay of demo: exit 0"
printf '# input for the echo guest\n@20000 uart-rx "hello, "\n@0x9c40 uart-rx "world\\n."  # the dot ends it\n' >"$tmp/echo.stim"
run echo1 0 run "$TG/uartecho.elf" --stimulus "$tmp/echo.stim" --trace "$tmp/echo1.trace" --trace-insns --trace-mmio
printf 'echo: ready\nHELLO, WORLD\necho: 13 bytes\n' >"$tmp/echo.expected"
same_file "uart-rx stimulus reaches the guest at its cycles" "$tmp/echo.expected" "$tmp/echo1.out"
run echo2 0 run "$TG/uartecho.elf" --stimulus "$tmp/echo.stim" --trace "$tmp/echo2.trace" --trace-insns --trace-mmio
same_file "stimulus run twice: identical trace bytes" "$tmp/echo1.trace" "$tmp/echo2.trace"
run echo-dump 0 trace dump "$tmp/echo1.trace" --kinds input-uart-rx
has echo-dump out '       20000  -    input-uart-rx   "hello, " (7 bytes)' &&
  has echo-dump out '       40000  -    input-uart-rx   "world\n." (7 bytes)' &&
  pass "stimulus inputs recorded at their cycles"
run replay-echo 0 replay "$tmp/echo1.trace" --image "$TG/uartecho.elf" --uart-out "$tmp/replay-echo.txt" &&
  pass "replay of a stimulus run takes the inputs from the trace: exit 0"
same_file "replayed guest output is the recorded run's" "$tmp/echo.expected" "$tmp/replay-echo.txt"
printf 'abc.' >"$tmp/host.in"
run host1 0 run "$TG/uartecho.elf" --uart-in "$tmp/host.in" --trace "$tmp/host.trace"
run host-dump 0 trace dump "$tmp/host.trace" --kinds input-host-uart
[ "$(grep -c 'input-host-uart' "$tmp/host-dump.out")" = 4 ] && pass "host input (--uart-in) recorded byte by byte" ||
  fail "host input records" "$(cat "$tmp/host-dump.out" | tail -n 5)"
rm -f "$tmp/host.in"
run replay-host 0 replay "$tmp/host.trace" --image "$TG/uartecho.elf" &&
  pass "replay feeds recorded host input without the input file: exit 0"

echo "replay of the exception-model, SMP, hypervisor and vGIC guests"
# exc_el2 takes virtual interrupts, smp_counter runs 4 PEs that sleep in WFE
# and wake each other, psci powers PEs on and off.
for spec in "exc_el2:--el 2" "smp_counter:--cpus 4" "psci:--cpus 2" "hyp_stage2:--el 2" "vgic_vtimer:--el 2"; do
  name=${spec%%:*}; args=${spec#*:}
  [ -e "$G/$name.elf" ] || continue
  # shellcheck disable=SC2086
  run "g-$name-1" 0 run "$G/$name.elf" $args --trace "$tmp/g-$name-1.trace" --trace-insns || continue
  # shellcheck disable=SC2086
  run "g-$name-2" 0 run "$G/$name.elf" $args --trace "$tmp/g-$name-2.trace" --trace-insns
  if cmp -s "$tmp/g-$name-1.trace" "$tmp/g-$name-2.trace" &&
      run "g-$name-replay" 0 replay "$tmp/g-$name-1.trace" --image "$G/$name.elf" &&
      has "g-$name-replay" out "identical: all"; then
    pass "$name ($args): recorded twice identically, replay exit 0"
  else
    fail "$name ($args): identical recordings and replay" "$(tail -n 3 "$tmp/g-$name-replay.out" 2>/dev/null)"
  fi
done
if [ -e "$tmp/g-exc_el2-1.trace" ]; then
  # HVC #0x33 from EL2 (q_hvc33): ESR = EC 0x16 << 26 | IL | 0x33 (Arm ARM
  # ESR_ELx), taken to the current-EL vector; its ERET back; DAIF changes.
  run exc-dump 0 trace dump "$tmp/g-exc_el2-1.trace" --kinds exc-entry,exc-return,daif --image "$G/exc_el2.elf"
  grep -q "exc-entry       synchronous from EL2 to EL2, ESR 0x5a000033, ELR 0x[0-9a-f]* <q_hvc33+0x8>, vector 0x[0-9a-f]* <exc_vectors_el2+0x200>" "$tmp/exc-dump.out" &&
    grep -q "exc-return      ERET from EL2 to EL2, to 0x[0-9a-f]* <q_hvc33+0x8>" "$tmp/exc-dump.out" &&
    grep -q "  daif            DAIF=" "$tmp/exc-dump.out" &&
    pass "exception entry (with its syndrome), ERET and DAIF changes are recorded" ||
    fail "exception records" "$(grep -v '^#' "$tmp/exc-dump.out" | head -n 4)"
fi
if [ -e "$tmp/g-vgic_vtimer-1.trace" ]; then
  # The virtual CPU interface's records: LR writes (vINTID 27, HW, pINTID 27), the guest's
  # acknowledge and deactivation of vINTID 27, the vIRQ line, the maintenance interrupt.
  run vgic-dump 0 trace dump "$tmp/g-vgic_vtimer-1.trace" --kinds vgic-lr,virq-state,maintenance,irq-line
  grep -qE "vgic-lr +ICH_LR[0-9]+_EL2 0x[0-9a-f]{16} \(vINTID 27 pending, priority 0x[0-9a-f]{2}, Group 1, HW pINTID 27\)" "$tmp/vgic-dump.out" &&
    grep -qE "virq-state +vINTID 27 acknowledged, LR[0-9]+" "$tmp/vgic-dump.out" &&
    grep -qE "virq-state +vINTID 27 deactivated, LR[0-9]+" "$tmp/vgic-dump.out" &&
    grep -qE "irq-line +vIRQ high" "$tmp/vgic-dump.out" &&
    grep -qE "maintenance +maintenance interrupt asserted, ICH_MISR_EL2 0x[0-9a-f]{2}" "$tmp/vgic-dump.out" &&
    pass "the virtual CPU interface's LR writes, vINTID transitions, vIRQ and maintenance are recorded" ||
    fail "vgic records" "$(grep -v '^#' "$tmp/vgic-dump.out" | head -n 4)"
fi
if [ -e "$tmp/g-smp_counter-1.trace" ]; then
  run smp-dump 0 trace dump "$tmp/g-smp_counter-1.trace" --kinds sleep,wake --pe 3
  grep -q "  pe3  sleep           WFE at 0x" "$tmp/smp-dump.out" && grep -q "  pe3  wake            from WFE" "$tmp/smp-dump.out" &&
    pass "WFE sleep and wake of a secondary PE are recorded" || fail "smp sleep/wake" "$(grep -v '^#' "$tmp/smp-dump.out" | head -n 3)"
fi

echo "replay after a change: exit 1, first divergence with context"
printf 'mul = 4\n' >"$tmp/mul.cost"  # printf's decimal conversion multiplies (UMULH)
run replay-cost 1 replay "$tmp/echo1.trace" --image "$TG/uartecho.elf" --cost "$tmp/mul.cost" &&
  has replay-cost out "cost.mul: 3 -> 4" && has replay-cost out "a64sim: replay: diverged at record" &&
  has replay-cost out "a64sim: replay: the 20 records before it, identical in both:" &&
  has replay-cost out "a64sim: replay: recorded: " && has replay-cost out "a64sim: replay: replayed: " &&
  pass "replay with a changed cost table: exit 1, both records and the 20 before"
[ "$(grep -c '^   ' "$tmp/replay-cost.out")" -ge 21 ] && pass "20 context lines printed" ||
  fail "context lines" "$(cat "$tmp/replay-cost.out")"
printf 'hint = 1\n' >"$tmp/same.cost"
run replay-samecost 0 replay "$tmp/echo1.trace" --image "$TG/uartecho.elf" --cost "$tmp/same.cost" &&
  pass "replay with an unchanged cost table: exit 0"
run echo-mul 0 run "$TG/uartecho.elf" --stimulus "$tmp/echo.stim" --trace "$tmp/echo-mul.trace" --trace-insns --trace-mmio --cost "$tmp/mul.cost"
run diff-same 0 trace diff "$tmp/echo1.trace" "$tmp/echo2.trace" &&
  has diff-same out "identical:" && pass "trace diff of identical traces: exit 0"
run diff-div 1 trace diff "$tmp/echo1.trace" "$tmp/echo-mul.trace" --image "$TG/uartecho.elf" &&
  has diff-div out "first difference at record" && has diff-div out "cost.mul: 3 -> 4" &&
  pass "trace diff finds the first difference: exit 1"
run replay-wrongimg-out 2 replay "$tmp/echo1.trace" --image "$G/hello.elf" --uart-out "$tmp/wrong.out" &&
  [ ! -e "$tmp/wrong.out" ] && pass "replay with another image: no --uart-out file left behind"
run replay-wrongimg 2 replay "$tmp/echo1.trace" --image "$G/hello.elf" &&
  has replay-wrongimg err "not the image" && pass "replay with another image: exit 2"
run replay-noimg 2 replay "$tmp/echo1.trace" &&
  has replay-noimg err "give the image with --image ELF" && pass "replay without --image: exit 2"

echo "sleep, deadlock and limits in the trace"
run wfi 1 run "$G/wfi.elf" --trace "$tmp/wfi.trace"
run wfi-dump 0 trace dump "$tmp/wfi.trace" --image "$G/wfi.elf"
has wfi-dump out "sleep           WFI at 0x" && has wfi-dump out "run-end         deadlock, exit code 1" &&
  pass "WFI sleep and the deadlock are recorded"
run spin 124 run "$G/spin.elf" --max-insns 100000 --trace "$tmp/spin.trace" --trace-insns
run replay-spin 0 replay "$tmp/spin.trace" --image "$G/spin.elf" &&
  has replay-spin out "all 100002 records match" && pass "replay keeps the recorded --max-insns"

echo "GIC delivery latency honoured within a quantum"
# irqstorm's SGI ping-pong between 2 PEs at the default --gic-latency (100) and
# --quantum (4096): the median pending-to-acknowledged latency of SGI 1 must be the
# latency plus the handler's few instructions, not a quantum (it was 4052 cycles when
# events scheduled during a round waited for the round's end).
if [ -e "$BUILD/bench/irqstorm.elf" ]; then
  run storm 0 run "$BUILD/bench/irqstorm.elf" --cpus 2 --trace "$tmp/storm.trace" &&
    run storm-stats 0 trace stats "$tmp/storm.trace" &&
    med=$(awk '$1 == 1 && NF == 5 { print $4 }' "$tmp/storm-stats.out") &&
    { [ -n "$med" ] && [ "$med" -le 200 ] && pass "SGI latency median $med cycles (<= 2 x --gic-latency)" ||
      fail "SGI latency within a quantum" "median ${med:-?} cycles"; }
fi

echo "timeline and stats"
run timeline 0 trace timeline "$tmp/echo1.trace" -o "$tmp/echo.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["traceEvents"]' "$tmp/echo.json" 2>"$tmp/json.err" &&
  pass "timeline of a recording is valid JSON" || fail "timeline JSON" "$(cat "$tmp/json.err")"
if [ -e "$tmp/g-smp_counter-1.trace" ]; then
  run smp-timeline 0 trace timeline "$tmp/g-smp_counter-1.trace" -o "$tmp/smp.json"
  python3 -c '
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
names = {e["args"]["name"] for e in ev if e["name"] == "thread_name" and e["pid"] == 1}
assert names == {"pe0", "pe1", "pe2", "pe3"}, names
assert any(e["ph"] == "B" and e["name"] == "WFE" and e["tid"] == 3 for e in ev)
' "$tmp/smp.json" 2>"$tmp/smp-json.err" && pass "timeline of the 4-PE run: a track per PE, WFE spans" ||
    fail "smp timeline" "$(tail -n 3 "$tmp/smp-json.err")"
fi
python3 "$T/mktrace.py" all-kinds "$tmp/all.trace" >/dev/null
run all-dump 0 trace dump "$tmp/all.trace"
if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$tmp/all-dump.out" "$T/synthetic.dump"; fi
same_file "dump of every record kind (encoded by mktrace.py) matches $T/synthetic.dump" "$T/synthetic.dump" "$tmp/all-dump.out"
run all-timeline 0 trace timeline "$tmp/all.trace" -o "$tmp/all.json"
if python3 - "$tmp/all.json" >"$tmp/tracks.txt" 2>&1 <<'EOF'
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in ev if e["name"] == "thread_name"}
procs = {e["pid"]: e["args"]["name"] for e in ev if e["name"] == "process_name"}
assert procs == {1: "PEs", 2: "interrupts", 3: "board"}, procs
for want in ["pe0", "pe1", "INTID 33 pe0", "INTID 27 pe1", "uart", "inputs", "run"]:
    assert want in threads.values(), want
counters = {e["name"] for e in ev if e["ph"] == "C"}
for want in ["pe0 DAIF", "pe1 DAIF", "pe0 PMR", "pe0 EL", "pe0 lines", "pe1 timers"]:
    assert want in counters, want
tid33 = [t for (p, t), n in threads.items() if n == "INTID 33 pe0"][0]
spans = [(e["name"], round(e["ts"] * 1000), round(e["dur"] * 1000)) for e in ev
         if e["ph"] == "X" and e["pid"] == 2 and e["tid"] == tid33]
# INTID 33 at pe0 (mktrace.py scenario): pending 150-180, active 180-201, pending 300-340,
# active 340-400, active+pending 400-410, active 410-500, active+pending 500-510, active 510-600
assert spans[:2] == [("pending", 150, 30), ("active", 180, 21)], spans
assert ("active+pending", 400, 10) in spans, spans
pe0 = [e for e in ev if e["pid"] == 1 and e["tid"] == 0 and e["ph"] in "BE"]
assert [(e["ph"], e.get("name")) for e in pe0][:4] == [("B", "WFI"), ("E", ""), ("B", "IRQ EL1->EL1"), ("E", "")], pe0
print("ok")
EOF
then pass "timeline JSON has the documented tracks, spans and counters"
else fail "timeline tracks" "$(tail -n 5 "$tmp/tracks.txt")"; fi
run all-stats 0 trace stats "$tmp/all.trace"
has all-stats out "        33        3         10         30         40" &&
  has all-stats out "        27        1         30         30         30" &&
  pass "stats: latency per INTID (count, min, median, max)"

echo "a killed run leaves a readable file"
"$A64SIM" run "$G/spin.elf" --trace "$tmp/killed.trace" --trace-insns </dev/null >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
run killed-stats 2 trace stats "$tmp/killed.trace" &&
  has killed-stats err "cut short: the file ends" && pass "stats of a killed run: readable, says cut short, exit 2"
n=$(sed -nE 's/.*: ([0-9]+) records, .*/\1/p' "$tmp/killed-stats.out")
[ "${n:-0}" -gt 0 ] && pass "the killed run's complete blocks read back ($n records)" || fail "killed run records" "$(cat "$tmp/killed-stats.out")"
run killed-timeline 2 trace timeline "$tmp/killed.trace" -o "$tmp/killed.json" &&
  [ ! -e "$tmp/killed.json" ] && pass "timeline of a killed run: exit 2, no half-written JSON left"
run killed-replay 2 replay "$tmp/killed.trace" --image "$G/spin.elf" &&
  has killed-replay out "it was cut short, so the run was stopped there" &&
  pass "replay of a killed run verifies up to the cut, then exit 2: a fragment proves nothing"

echo "replay of a run that idled to --max-cycles with an input due after its end"
printf '@4000000000 uart-rx "late"\n' > "$tmp/late.stim"
run late-rec 124 run "$G/wfi.elf" --stimulus "$tmp/late.stim" --max-cycles 1000000 --trace "$tmp/late.trace" &&
  run late-replay 0 replay "$tmp/late.trace" --image "$G/wfi.elf" &&
  has late-replay out "identical: all 3 records match" &&
  pass "replay idles to the recorded cycle limit, not into a deadlock the recording never had"

echo "replay checks the recorded configuration as the command line checks options"
for kv in quantum=0 quantum=0xffffffffffffff00 cntfrq=0 cntfrq=2000000000 mem=0 cpus=0x100000001 \
    gic.spis=33 cost.load=0 cost.load=0x100000001 cpu-profile=7 el=3 max-insns=0xffffffffffffffff; do
  python3 "$T/mktrace.py" "config:$kv" "$tmp/config.trace" >/dev/null
  key=${kv%%=*}
  run "replay-config-$kv" 2 replay "$tmp/config.trace" --image "$G/hello.elf" &&
    has "replay-config-$kv" err "$tmp/config.trace: the recorded configuration cannot be run: $key = " &&
    pass "replay of a header with $kv: exit 2, names $key"
done

echo "trace dump: filters that can match nothing are usage errors"
if [ -e "$tmp/g-smp_counter-1.trace" ]; then
  run dump-pe9 2 trace dump "$tmp/g-smp_counter-1.trace" --pe 7 &&
    has dump-pe9 err "trace dump: --pe 7: $tmp/g-smp_counter-1.trace recorded 4 PEs (0 to 3)" &&
    pass "dump --pe 7 of a 4-PE trace: exit 2, says which PEs exist"
fi
run dump-pe99 2 trace dump "$tmp/hello1.trace" --pe 99 && has dump-pe99 err "--pe: expected a number from 0 to 7" &&
  pass "dump --pe 99: out of range, exit 2"
run dump-fromto 2 trace dump "$tmp/hello1.trace" --from 5000 --to 100 &&
  has dump-fromto err "--from 5000 is after --to 100" && pass "dump --from after --to: exit 2"

echo "an interrupted run (SIGINT) ends its trace and replays to the same stop"
"$A64SIM" run "$G/spin.elf" --trace "$tmp/int.trace" </dev/null >/dev/null 2>"$tmp/int.err" &
pid=$!
sleep 0.3
kill -INT "$pid" 2>/dev/null
wait "$pid"; rc=$?
[ "$rc" = 130 ] && grep -qE "interrupted by SIGINT at cycle [0-9]+; exit code 130" "$tmp/int.err" &&
  pass "SIGINT: exit 130, the summary says where" || fail "SIGINT" "exit $rc" "$(cat "$tmp/int.err")"
run int-dump 0 trace dump "$tmp/int.trace" --kinds run-end &&
  has int-dump out "interrupted by the user (SIGINT or SIGTERM), exit code 130" &&
  pass "the trace ends with a run-end record saying so"
run int-replay 0 replay "$tmp/int.trace" --image "$G/spin.elf" &&
  has int-replay out "identical: all 2 records match" && pass "replay of the interrupted run stops where it did"
"$A64SIM" run "$G/spin.elf" </dev/null >/dev/null 2>"$tmp/term.err" &
pid=$!
sleep 0.2
kill -TERM "$pid" 2>/dev/null
wait "$pid"; rc=$?
[ "$rc" = 143 ] && grep -q "interrupted by SIGTERM" "$tmp/term.err" && pass "SIGTERM: exit 143" ||
  fail "SIGTERM" "exit $rc" "$(cat "$tmp/term.err")"
# Cut inside the first block: 8 bytes past its "BLK1" magic.
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.stdout.buffer.write(d[:d.index(b"BLK1") + 8])' \
  "$tmp/int.trace" > "$tmp/norecords.trace"
run norecords-replay 2 replay "$tmp/norecords.trace" --image "$G/spin.elf" &&
  has norecords-replay err "holds no records" && pass "replay of a trace with no records: exit 2 at once"

echo "bad input: a message with the byte offset, exit 2"
for case in empty bad-magic bad-version truncated-header header-checksum block-checksum \
    kind-out-of-range kind-zero length-overrun wrong-length pe-state-wrong-length \
    pe-state-in-version-1 vgic-in-version-2 count-mismatch block-too-long \
    bad-block-marker cut-short-in-block cut-short-no-end trailing-data end-count-mismatch; do
  info=$(python3 "$T/mktrace.py" "$case" "$tmp/$case.trace")
  off=${info%%|*}; words=${info#*|}
  if run "bad-$case" 2 trace dump "$tmp/$case.trace" && has "bad-$case" err "$tmp/$case.trace: byte $off: $words"; then
    run "bad-stats-$case" 2 trace stats "$tmp/$case.trace" &&
      run "bad-replay-$case" 2 replay "$tmp/$case.trace" --image "$G/hello.elf" &&
      pass "$case: dump, stats, replay exit 2; the message names byte $off"
  fi
done
run missing 2 trace dump "$tmp/no-such.trace" && has missing err "no-such.trace: cannot open" && pass "missing trace file"

echo "options and commands"
run insns-alone 2 run "$G/hello.elf" --trace-insns && has insns-alone err "--trace-insns needs --trace FILE" && pass "--trace-insns without --trace"
run trace-baddir 2 run "$G/hello.elf" --trace /nonexistent/x.trace && has trace-baddir err "cannot create for --trace" && pass "uncreatable --trace file"
run trace-badimg 2 run /etc/passwd --trace "$tmp/never.trace"
[ ! -e "$tmp/never.trace" ] && pass "a bad image leaves no trace file" || fail "bad image made a trace file"
printf '@10 uart-rx "ok"\n@20 spi 300 level 1\n' >"$tmp/spi.stim"
run spi 2 run "$G/hello.elf" --stimulus "$tmp/spi.stim" &&
  has spi err "$tmp/spi.stim:2: spi: INTID 300 is not an implemented SPI (this board has SPIs 32 to 287: --spis 256)" &&
  pass "SPI stimulus beyond the implemented SPIs refused, with its line"
printf '@10 uart-rx "ok"\n@5 uart-rx "late"\n' >"$tmp/order.stim"
run stim-order 2 run "$G/hello.elf" --stimulus "$tmp/order.stim" &&
  has stim-order err "$tmp/order.stim:2: cycle 5 comes before" && pass "stimulus error names file and line"
run sub-bad 2 trace frob && has sub-bad err "unknown subcommand 'frob'" && pass "unknown trace subcommand"
run kinds-bad 2 trace dump "$tmp/hello1.trace" --kinds bogus && has kinds-bad err "unknown record kind 'bogus'" && pass "--kinds with an unknown kind"
run timeline-noout 2 trace timeline "$tmp/hello1.trace" && pass "timeline without -o"
timeout "$RUN_TIMEOUT" "$A64SIM" --help | grep -q -- "--stimulus FILE" && timeout "$RUN_TIMEOUT" "$A64SIM" --help | grep -q "a64sim replay TRACE" &&
  pass "--help lists the trace options and commands" || fail "--help"

echo "SPI inputs from a stimulus, interrupt transitions, latency"
# tests/trace/spi_level.c: SPI 40 level-sensitive, raised and lowered twice
# by tests/trace/spi_level.stim; the guest counts its IRQs.
SL=$TG/spi_level.elf
run spi1 0 run "$SL" --stimulus "$T/spi_level.stim" --trace "$tmp/spi1.trace" &&
  same_file "spi_level with its stimulus: the guest's output" "$T/spi_level.expected" "$tmp/spi1.out"
run spi2 0 run "$SL" --stimulus "$T/spi_level.stim" --trace "$tmp/spi2.trace"
same_file "spi_level twice: identical trace bytes" "$tmp/spi1.trace" "$tmp/spi2.trace"
run spi-notrace 0 run "$SL" --stimulus "$T/spi_level.stim"
same_file "spi_level without --trace: the same output" "$T/spi_level.expected" "$tmp/spi-notrace.out"
run spi-replay 0 replay "$tmp/spi1.trace" --image "$SL" && pass "replay of spi_level feeds the SPI inputs from the trace"
run spi-inputs 0 trace dump "$tmp/spi1.trace" --kinds input-spi
got=$(grep -v '^#' "$tmp/spi-inputs.out" | awk '{print $1, $5, $6, $7}' | tr '\n' ';')
want="100000 40 level 1;300000 40 level 0;400000 40 level 1;600000 40 level 0;"
[ "$got" = "$want" ] && pass "the four SPI inputs are recorded at their cycles" || fail "input-spi records" "got  $got" "want $want"
# tests/trace/msi_input.c: MSIs from tests/trace/msi_input.stim through the ITS; the
# unmapped event and the unmapped device are recorded as inputs and raise nothing.
MI=$TG/msi_input.elf
run msi1 0 run "$MI" --stimulus "$T/msi_input.stim" --trace "$tmp/msi1.trace" &&
  same_file "msi_input with its stimulus: the guest's output" "$T/msi_input.expected" "$tmp/msi1.out"
run msi2 0 run "$MI" --stimulus "$T/msi_input.stim" --trace "$tmp/msi2.trace"
same_file "msi_input twice: identical trace bytes" "$tmp/msi1.trace" "$tmp/msi2.trace"
run msi-replay 0 replay "$tmp/msi1.trace" --image "$MI" && pass "replay of msi_input feeds the MSIs from the trace"
run msi-inputs 0 trace dump "$tmp/msi1.trace" --kinds input-msi,irq-state
got=$(grep -v '^#' "$tmp/msi-inputs.out" | awk '$3 == "input-msi" {print $1, $5, $7} $3 == "irq-state" && $6 == "pending," {print $1, $5}' | tr '\n' ';')
want="3000000 0x10 2;3000000 8202;3100000 0x10 7;3200000 0x10 0;3200000 8200;3300000 0x11 0;3400000 0x10 3;3400000 8203;3500000 0x10 1;3500000 8201;"
[ "$got" = "$want" ] && pass "the six MSIs are recorded at their cycles, the four mapped ones pend their LPIs" ||
  fail "input-msi records" "got  $got" "want $want"
run msi-nostim 2 run "$MI" --stimulus "$T/msi_input.stim" --its off &&
  has msi-nostim err "msi_input.stim:4: msi 16 2: MSIs need the ITS (--its on)" &&
  pass "an msi stimulus without the ITS is refused before the run (exit 2)"

# The life cycle of a level-sensitive interrupt, twice (IHI 0069): pending
# on the rising input; acknowledged, and still pending since the input is
# high (active and pending); priority drop and deactivation by EOIR with
# EOImode 0; cleared when the input falls, never having been taken again.
run spi-states 0 trace dump "$tmp/spi1.trace" --kinds irq-state
got=$(grep -v '^#' "$tmp/spi-states.out" | sed -E 's/.*irq-state +INTID ([0-9]+) ([a-z ]+), priority (0x[0-9a-f]+)$/\2 \1 \3/' | tr '\n' ';')
one="pending 40 0xa0;acknowledged 40 0xa0;pending 40 0xa0;priority drop 40 0xa0;deactivated 40 0xa0;cleared 40 0xa0;"
[ "$got" = "$one$one" ] && pass "irq-state: SPI 40's transitions, twice" || fail "irq-state records" "got  $got" "want $one$one"
if grep -v '^#' "$tmp/spi-states.out" | grep -qv '  pe0  '; then
  fail "irq-state records belong to pe0" "$(grep -v '^#' "$tmp/spi-states.out" | grep -v '  pe0  ' | head -n 3)"
else
  pass "irq-state records of SPI 40 are at pe0, its target"
fi
run spi-stats 0 trace stats "$tmp/spi1.trace"
grep -qE '^ +40 +2 ' "$tmp/spi-stats.out" && pass "trace stats: SPI 40 acknowledged twice" || fail "spi stats" "$(tail -n 3 "$tmp/spi-stats.out")"
run spi-timeline 0 trace timeline "$tmp/spi1.trace" -o "$tmp/spi.json"
if python3 - "$tmp/spi.json" >"$tmp/spi-json.txt" 2>&1 <<'EOF'
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
tid = [e["tid"] for e in ev if e.get("ph") == "M" and e.get("pid") == 2 and e["args"].get("name") == "INTID 40 pe0"]
assert len(tid) == 1, "no track 'INTID 40 pe0'"
# Acknowledged then pending again at the same cycle leaves an empty
# "active" span between them: only spans with a duration count.
spans = [e["name"] for e in ev if e.get("pid") == 2 and e.get("tid") == tid[0] and e.get("ph") == "X" and e["dur"] > 0]
assert spans == ["pending", "active+pending", "pending"] * 2, spans
EOF
then pass "timeline: SPI 40's track, pending / active+pending / pending, twice"; else fail "spi timeline" "$(cat "$tmp/spi-json.txt")"; fi
# Interrupt latency, pending to acknowledged, checked against the dump: the
# stats line of the INTID must give the cycles between its two records.
lat_check() { # NAME ELF INTID
  run "lat-$1" 0 run "$2" --trace "$tmp/lat-$1.trace" || return
  run "lat-$1-dump" 0 trace dump "$tmp/lat-$1.trace" --kinds irq-state
  local p a
  p=$(awk -v i="$3" '$5 == i && $6 == "pending," {print $1; exit}' "$tmp/lat-$1-dump.out")
  a=$(awk -v i="$3" '$5 == i && $6 == "acknowledged," {print $1; exit}' "$tmp/lat-$1-dump.out")
  run "lat-$1-stats" 0 trace stats "$tmp/lat-$1.trace"
  if [ -n "$p" ] && [ -n "$a" ] && grep -qE "^ +$3 +1 +$((a - p)) +$((a - p)) +$((a - p))\$" "$tmp/lat-$1-stats.out"; then
    pass "$1: INTID $3 pending at $p, acknowledged at $a: stats gives $((a - p)) cycles"
  else
    fail "$1 latency" "pending ${p:-?}, acknowledged ${a:-?}" "$(tail -n 3 "$tmp/lat-$1-stats.out")"
  fi
}
lat_check gic_sgi "$G/gic_sgi.elf" 5
lat_check pnmi_wfi_fixed "$G/pnmi_wfi_fixed.elf" 5
run lat-replay 0 replay "$tmp/lat-gic_sgi.trace" --image "$G/gic_sgi.elf" && pass "replay verifies gic_sgi's irq-state records"
# Every board knob is in the header: a run with non-default counter and GIC
# settings replays identically, and the timer's output levels are recorded.
knobs="--cntfrq 1000000 --gic-latency 250 --gic-pri-bits 8 --spis 64"
# shellcheck disable=SC2086
run knobs 0 run "$G/timer_el1.elf" $knobs --trace "$tmp/knobs.trace" &&
  run knobs-replay 0 replay "$tmp/knobs.trace" --image "$G/timer_el1.elf" &&
  has knobs-replay out "identical: all" &&
  pass "replay of a run with --cntfrq, --gic-latency, --gic-pri-bits, --spis: exit 0, identical"
run knobs-hdr 0 trace dump "$tmp/knobs.trace" --kinds timer &&
  has knobs-hdr out "cntfrq = 1000000" && has knobs-hdr out "latency.gic = 250" &&
  has knobs-hdr out "gic.pri-bits = 8" && has knobs-hdr out "gic.spis = 64" &&
  pass "the header holds cntfrq, latency.gic, gic.pri-bits, gic.spis"
# Each time the timer's output rises, PPI 30 or 27 is pending in the same
# cycle and the GIC raises the PE's IRQ line --gic-latency (250) cycles later.
run knobs-all 0 trace dump "$tmp/knobs.trace" --kinds timer,irq-line
awk '$3 == "timer" && $NF == "high" {up = $1} $3 == "irq-line" && $5 == "high" {n++; if ($1 != up + 250) bad++}
     END {print n + 0, bad + 0}' "$tmp/knobs-all.out" >"$tmp/knobs-lat.txt"
read -r nlines nbad <"$tmp/knobs-lat.txt"
if [ "$nlines" -ge 4 ] && [ "$nbad" -eq 0 ]; then
  pass "timer records: all $nlines IRQ line rises come 250 cycles after a timer output rises"
else
  fail "timer records" "$nlines IRQ line rises, $nbad not 250 cycles after a timer rise" "$(grep -v '^#' "$tmp/knobs-all.out" | head -n 4)"
fi
echo "the cycle a timer interrupt is taken"
# timer_cycle arms CNTP_CVAL = 2000 ticks, then CNTP_TVAL = 500 ticks, and
# sleeps in WFI. A level rises at the first cycle whose count reaches CVAL,
# ceil(CVAL x 1e9 / cntfrq); the PE's IRQ line --gic-latency cycles later;
# a PE asleep in WFI takes it in that cycle. TVAL sets CVAL = the count at
# the MSR + 500; the MSR acts at its trace cycle + cost.sysreg (costs are
# charged before an instruction acts). Every number below comes from that.
printf 'sysreg = 7\nalu = 2\n' >"$tmp/slow.cost"
timer_cycle_check() { # TAG EXTRA-OPTIONS...
  local tag=$1; shift
  run "tc-$tag" 0 run "$TG/timer_cycle.elf" "$@" --trace "$tmp/tc-$tag.trace" --trace-insns || return
  run "tc-$tag-dump" 0 trace dump "$tmp/tc-$tag.trace" --kinds exc-entry,insn --image "$TG/timer_cycle.elf"
  local f l csys x e1 e2 p1 p2
  f=$(sed -n 's/^#   cntfrq = //p' "$tmp/tc-$tag-dump.out")
  l=$(sed -n 's/^#   latency.gic = //p' "$tmp/tc-$tag-dump.out")
  csys=$(sed -n 's/^#   cost.sysreg = //p' "$tmp/tc-$tag-dump.out")
  x=$(awk '$3 == "insn" && $7 == "msr" && $8 == "cntp_tval_el0," {print $1; exit}' "$tmp/tc-$tag-dump.out")
  e1=$(awk '$3 == "exc-entry" && $4 == "IRQ" {n++; if (n == 1) {print $1; exit}}' "$tmp/tc-$tag-dump.out")
  e2=$(awk '$3 == "exc-entry" && $4 == "IRQ" {n++; if (n == 2) {print $1; exit}}' "$tmp/tc-$tag-dump.out")
  if [ -z "$f" ] || [ -z "$x" ] || [ -z "$e1" ] || [ -z "$e2" ]; then
    fail "timer_cycle $tag" "cntfrq ${f:-?}, msr at ${x:-?}, entries ${e1:-?} ${e2:-?}"
    return
  fi
  local hz=1000000000
  p1=$(((2000 * hz + f - 1) / f + l))
  local count=$(((x + csys) * f / hz))
  p2=$((((count + 500) * hz + f - 1) / f + l))
  if [ "$e1" -eq "$p1" ] && [ "$e2" -eq "$p2" ]; then
    pass "timer_cycle $tag: IRQs taken at cycles $e1 and $e2, as predicted"
  else
    fail "timer_cycle $tag" "taken at $e1 and $e2, predicted $p1 and $p2 (cntfrq $f, latency $l, TVAL MSR at $x)"
  fi
  echo "$e1 $e2" >"$tmp/tc-$tag.cycles"
}
timer_cycle_check default
timer_cycle_check again
timer_cycle_check f10M --cntfrq 10000000
timer_cycle_check f24M --cntfrq 24000000
timer_cycle_check slowcost --cost "$tmp/slow.cost"
timer_cycle_check lat37 --gic-latency 37
same_file "timer_cycle: the same cycles on every run" "$tmp/tc-default.cycles" "$tmp/tc-again.cycles"
# The absolute CVAL does not move with the cost table; the TVAL one does.
if [ -s "$tmp/tc-slowcost.cycles" ] && read -r d1 d2 <"$tmp/tc-default.cycles" &&
    read -r s1 s2 <"$tmp/tc-slowcost.cycles" && [ "$d1" -eq "$s1" ] && [ "$s2" -gt "$d2" ]; then
  pass "timer_cycle: a costlier table leaves the CVAL interrupt at $d1 and moves the TVAL one from $d2 to $s2"
else
  fail "timer_cycle cost shift" "$(cat "$tmp/tc-default.cycles" "$tmp/tc-slowcost.cycles" 2>/dev/null)"
fi

# A stimulus SPI must be an implemented one: --spis 32 gives SPIs 32 to 63.
printf '@10 spi 63 level 1\n' >"$tmp/spi63.stim"
run spi63 0 run "$G/hello.elf" --spis 32 --stimulus "$tmp/spi63.stim" --trace "$tmp/spi63.trace" &&
  run spi63-dump 0 trace dump "$tmp/spi63.trace" --kinds irq-state &&
  has spi63-dump out "pe0  irq-state       INTID 63 pending, priority 0x00" &&
  pass "the last implemented SPI is accepted; disabled, it is still pending, at its target"
printf '# comment\n@10 spi 64 level 1\n' >"$tmp/spi64.stim"
run spi64 2 run "$G/hello.elf" --spis 32 --stimulus "$tmp/spi64.stim" &&
  has spi64 err "$tmp/spi64.stim:2: spi: INTID 64 is not an implemented SPI (this board has SPIs 32 to 63: --spis 32)" &&
  pass "the first SPI beyond --spis is refused, with its line"

if [ -n "$A64SIM_ASAN" ] && [ -x "$A64SIM_ASAN" ]; then
  echo "sanitized build (ASan + UBSan)"
  asan_clean() { ! grep -qE "runtime error|AddressSanitizer|LeakSanitizer" "$tmp/$1.err" || { fail "$1" "$(grep -E 'runtime error|Sanitizer' "$tmp/$1.err" | head -n 3)"; return 1; }; }
  A64SIM=$A64SIM_ASAN run asan-rec 0 run "$TG/uartecho.elf" --stimulus "$tmp/echo.stim" --trace "$tmp/asan.trace" --trace-insns --trace-mmio &&
    asan_clean asan-rec && pass "asan record"
  same_file "asan build writes the same bytes" "$tmp/echo1.trace" "$tmp/asan.trace"
  for spec in "replay:0:replay $tmp/asan.trace --image $TG/uartecho.elf" \
      "dump:0:trace dump $tmp/asan.trace --image $TG/uartecho.elf" \
      "timeline:0:trace timeline $tmp/all.trace -o $tmp/asan.json" "stats:0:trace stats $tmp/all.trace" \
      "diff:1:trace diff $tmp/echo1.trace $tmp/echo-mul.trace" \
      "cut:2:trace dump $tmp/cut-short-in-block.trace" "overrun:2:trace dump $tmp/length-overrun.trace"; do
    name=${spec%%:*}; rest=${spec#*:}; want=${rest%%:*}; args=${rest#*:}
    # shellcheck disable=SC2086
    A64SIM=$A64SIM_ASAN run "asan-$name" "$want" $args && asan_clean "asan-$name" && pass "asan $name"
  done
  A64SIM=$A64SIM_ASAN run asan-spi 0 run "$SL" --stimulus "$T/spi_level.stim" --trace "$tmp/asan-spi.trace" &&
    asan_clean asan-spi && A64SIM=$A64SIM_ASAN run asan-spi-replay 0 replay "$tmp/asan-spi.trace" --image "$SL" &&
    asan_clean asan-spi-replay && pass "asan: spi_level records and replays"
  same_file "asan build writes spi_level's trace with the same bytes" "$tmp/spi1.trace" "$tmp/asan-spi.trace"
fi

mkdir -p "$BUILD/check"
echo "$passed $failed" >"$BUILD/check/trace.result"
echo "trace: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
