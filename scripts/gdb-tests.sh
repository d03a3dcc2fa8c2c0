#!/usr/bin/env bash
# The gdb stub (sim/gdbstub.c, docs/debugging.md), driven by Debian's
# gdb-multiarch in batch mode over Unix sockets in a mktemp directory (and
# once over TCP on a port the kernel picks), plus a raw protocol client
# (tests/gdb/rsp_client.py) for what gdb's batch mode cannot send: garbage
# packets and a Ctrl-C.
#
# The guest is tests/gdb/target.S, built here with -g: every value checked
# is set at a labelled place there. The determinism tests compare a run
# with a gdb session that stops, reads and continues against one without,
# by summary counts and trace file bytes.
#
#   A64SIM=build/a64sim BUILD=build [RESULT=gdb] scripts/gdb-tests.sh
#
# RESULT names the results file ($BUILD/check/RESULT.result): make check
# runs the tests once with the plain build and once with the ASan+UBSan one.
set -u
RESULT=${RESULT:-gdb}
A64SIM=${A64SIM:-build/a64sim}
BUILD=${BUILD:-build}
CROSS=${CROSS:-aarch64-linux-gnu-}
GDB=${GDB:-gdb-multiarch}
T=60 # seconds any one process may take
tmp=$(mktemp -d)
[ -n "${GDB_TESTS_KEEP:-}" ] && echo "gdb: keeping $tmp" || trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
mkdir -p "$BUILD/check"

pass() { passed=$((passed + 1)); echo "  PASS $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL $1: $2"; }

echo "$RESULT: the gdb stub under gdb-multiarch ($A64SIM)"
if ! command -v "$GDB" >/dev/null; then
  fail gdb_available "$GDB not installed (scripts/deps.sh installs gdb-multiarch)"
  echo "$passed $failed" > "$BUILD/check/$RESULT.result"
  exit 1
fi
ELF=$BUILD/gdb/target.elf
mkdir -p "$BUILD/gdb"
if ! "${CROSS}gcc" -nostdlib -static -g -Wl,-Ttext=0x40080000 -Wl,--build-id=none \
    -o "$ELF" tests/gdb/target.S; then
  fail gdb_target_builds "tests/gdb/target.S does not assemble"
  echo "$passed $failed" > "$BUILD/check/$RESULT.result"
  exit 1
fi

# SYMBOL's address in the test guest, as gdb prints it (0x..., no leading zeros).
sym() {
  local a
  a=$("${CROSS}nm" "$ELF" | awk -v s="$1" '$3 == s { print $1 }')
  printf '0x%x' $((16#$a + ${2:-0}))
}
COUNTER=$(sym counter)
COUNT_STORE=$(sym count_store)

# The summary's counts, without the host's wall time.
counts() { grep -E "instructions retired|^a64sim: pe[0-9]+: [0-9]+ instructions" "$1" | sed -E 's/, [0-9.]+ s wall.*//'; }

# sim TAG ARGS...: a64sim in the background with --gdb unix:$tmp/TAG.sock
# --gdb-wait; waits for the socket. Its exit code lands in $tmp/TAG.rc.
sim() {
  local tag=$1; shift
  ( timeout $T "$A64SIM" "$@" --gdb "unix:$tmp/$tag.sock" --gdb-wait \
      </dev/null >"$tmp/$tag.out" 2>"$tmp/$tag.err"; echo $? >"$tmp/$tag.rc" ) &
  for _ in $(seq 100); do
    [ -S "$tmp/$tag.sock" ] && return 0
    sleep 0.05
  done
  return 1
}

# gdbrun TAG CMD...: gdb-multiarch -batch on TAG's socket, each CMD an -ex;
# its output in $tmp/TAG.gdb. Then waits for the simulator.
gdbrun() {
  local tag=$1; shift
  local ex=(-ex "file $ELF" -ex "target remote $tmp/$tag.sock")
  for c in "$@"; do ex+=(-ex "$c"); done
  timeout $T "$GDB" -batch -nx "${ex[@]}" </dev/null >"$tmp/$tag.gdb" 2>&1
  wait
}

# has TAG PATTERN: the gdb output holds a line matching the fixed string.
has() { grep -qF -- "$2" "$tmp/$1.gdb"; }
rc() { cat "$tmp/$1.rc" 2>/dev/null || echo none; }

# The runs without gdb that the others are held against.
timeout $T "$A64SIM" run "$ELF" --cpus 2 --trace "$tmp/base.trace" --trace-insns \
  >"$tmp/base.out" 2>"$tmp/base.err"
echo $? >"$tmp/base.rc"

# -- break at a symbol, registers (general, FP/SIMD), memory, MMIO refused
sim brk run "$ELF" --cpus 2
gdbrun brk 'break stage1' 'continue' 'p/x $x1' 'p $x2' 'p $v0.d.f[0]' 'x/wx stage1' \
  'p/x $pc' 'x/gx &counter' 'x/wx 0x09000018' 'continue'
why=""
has brk "hit Breakpoint 1, stage1 ()" || why="$why no stop at stage1;"
has brk '$1 = 0x1122334455667788' || why="$why x1;"
has brk '$2 = 42' || why="$why x2;"
has brk '$3 = 1.5' || why="$why v0 (d0 = 1.5);"
grep -qE '<stage1>:[[:space:]]+0xd503201f' "$tmp/brk.gdb" || why="$why memory at stage1 is not NOP;"
has brk '$4 = 0x40080028' || why="$why pc;"
grep -qE "^$COUNTER( <counter>)?:[[:space:]]+0x0+\$" "$tmp/brk.gdb" || why="$why counter not 0;"
has brk 'Cannot access memory at address 0x9000018' || why="$why UART MMIO read not refused;"
has brk 'exited normally' || why="$why no exit reported;"
[ "$(rc brk)" = 0 ] || why="$why exit $(rc brk);"
[ -z "$why" ] && pass gdb_break_registers_memory || fail gdb_break_registers_memory "$why"

# -- stepi: one instruction of the selected PE, then the next
sim step run "$ELF" --cpus 2
gdbrun step 'break stage1' 'continue' 'stepi' 'p/x $pc' 'stepi' 'p/x $pc' 'p/x $x0' 'kill'
why=""
has step '$1 = 0x4008002c' || why="$why first stepi not at stage2;"
has step '$2 = 0x40080030' || why="$why second stepi not at stage2+4;"
has step '$3 = 0xc4000003' || why="$why the stepped LDR did not load x0;"
[ -z "$why" ] && pass gdb_stepi || fail gdb_stepi "$why"

# -- watchpoints: write (the counter's store, twice), read (PE 0 polls flag1)
sim watch run "$ELF" --cpus 2
gdbrun watch 'watch *(long *)&counter' 'continue' 'p/x $pc' 'continue' 'delete' \
  'rwatch *(long *)&flag1' 'continue' 'p/x $pc' 'delete' 'continue'
why=""
grep -A3 "Hardware watchpoint 1: \*(long \*)&counter" "$tmp/watch.gdb" | grep -q "New value = 1" ||
  why="$why first write not caught;"
has watch "New value = 2" || why="$why second write not caught;"
has watch '$1 = 0x40080050' || why="$why stop not right after the store;"
has watch "Hardware read watchpoint 2: *(long *)&flag1" || why="$why read not caught;"
grep -qE '^\$2 = 0x4008005[c-f]|^\$2 = 0x4008006[0-3]' "$tmp/watch.gdb" || why="$why read stop not at the poll loop;"
[ "$(rc watch)" = 0 ] || why="$why exit $(rc watch);"
[ -z "$why" ] && pass gdb_watchpoints || fail gdb_watchpoints "$why"

# -- the watchpoints' address decoding: a pair store (its second
#    register), a post-index store (at the base), a pre-index pair load
sim wdec run "$ELF" --cpus 2
gdbrun wdec 'break pairs' 'continue' 'delete' 'watch *(long *)((char *)&pairbuf + 24)' \
  'continue' 'p/x $pc' 'delete' 'watch *(long *)&pairbuf' 'continue' 'p/x $pc' 'delete' \
  'rwatch *(long *)((char *)&pairbuf + 8)' 'continue' 'p/x $pc' 'p $x11' 'p/x $x10' 'delete' \
  'continue'
why=""
grep -A3 "Hardware watchpoint 2:" "$tmp/wdec.gdb" | grep -q "New value = 22" || why="$why STP's second register;"
has wdec "\$1 = $(sym post_store)" || why="$why STP stop;"
grep -A3 "Hardware watchpoint 3:" "$tmp/wdec.gdb" | grep -q "New value = 22" || why="$why post-index STR;"
has wdec "\$2 = $(sym pre_load)" || why="$why post-index stop;"
has wdec "Hardware read watchpoint 4:" || why="$why pre-index LDP read not caught;"
has wdec "\$3 = $(sym pre_load 4)" || why="$why LDP stop;"
has wdec '$4 = 22' || why="$why x11;"
has wdec "\$5 = $(sym pairbuf)" || why="$why x10 after the pre-index;"
[ "$(rc wdec)" = 0 ] || why="$why exit $(rc wdec);"
[ -z "$why" ] && pass gdb_watchpoint_address_forms || fail gdb_watchpoint_address_forms "$why"

# -- threads are PEs: list them, stop PE 1, read its registers, step it,
#    switch back to PE 0
sim thr run "$ELF" --cpus 2
gdbrun thr 'info threads' 'break secondary_store' 'continue' 'p $x9' 'stepi' 'p/x $pc' \
  'thread 1' 'p/x $x3' 'info threads' 'delete' 'continue'
why=""
has thr "pe1 EL1 off" || why="$why PE 1 not listed as off;"
has thr "Thread 2 hit Breakpoint 1, secondary_store ()" || why="$why no stop on PE 1;"
has thr '$1 = 7' || why="$why PE 1 x9;"
has thr "\$2 = $(sym secondary_store 4)" || why="$why PE 1 stepi;"
has thr '[Switching to thread 1 (Thread 1)]' || why="$why no switch;"
has thr "\$3 = $COUNTER" || why="$why PE 0 x3 (&counter);"
[ "$(rc thr)" = 0 ] || why="$why exit $(rc thr);"
[ -z "$why" ] && pass gdb_threads_are_pes || fail gdb_threads_are_pes "$why"

# -- monitor commands
sim mon run "$ELF" --cpus 2
gdbrun mon 'break count_loop' 'continue' 'monitor cycles' 'monitor explain' 'monitor quantum' \
  'monitor quantum 0' 'monitor bogus' 'kill'
why=""
grep -qE '^pe0: [0-9]+ cycles, [0-9]+ instructions, running' "$tmp/mon.gdb" || why="$why cycles;"
has mon "pe1: 0 cycles, 0 instructions, off" || why="$why PE 1 cycles;"
has mon "highest priority pending interrupt" || why="$why explain;"
has mon "quantum: 4096 cycles" || why="$why quantum;"
has mon "quantum: expected 1 to 2^32 cycles, got '0'" || why="$why quantum 0 accepted;"
has mon "unknown monitor command 'bogus'" || why="$why unknown command;"
[ -z "$why" ] && pass gdb_monitor || fail gdb_monitor "$why"

# -- monitor trace on|off: the instructions on stderr, disassembled as
#    objdump does; the run is the same as without gdb
sim trc run "$ELF" --cpus 2
gdbrun trc 'break count_store' 'continue' 'monitor trace on' 'stepi' 'stepi' 'monitor trace off' \
  'stepi' 'delete' 'continue'
why=""
store_text=$("${CROSS}objdump" -d "$ELF" | sed -nE "s/^ *${COUNT_STORE#0x}:\t[0-9a-f]+ \t([a-z]+)\t(.*)$/\1 \2/p")
# The instruction stopped at runs first after "trace on"; the log has it.
grep -F ": $COUNT_STORE <count_store+0x0>: $store_text" "$tmp/trc.err" | grep -qE '^a64sim: pe0 cycle [0-9]+: ' ||
  why="$why no line for count_store ($store_text);"
lines=$(grep -cE '^a64sim: pe[01] cycle [0-9]+: 0x' "$tmp/trc.err")
{ [ "$lines" -ge 2 ] && [ "$lines" -le 200 ]; } || why="$why $lines log lines;"
has trc "trace: every instruction goes to a64sim's stderr" || why="$why no reply;"
has trc "trace: off" || why="$why trace off;"
[ "$(counts "$tmp/trc.err")" = "$(counts "$tmp/base.err")" ] || why="$why counts differ;"
[ -z "$why" ] && pass gdb_monitor_trace || fail gdb_monitor_trace "$why"

# -- system registers (read-only): CPACR_EL1 before and after the guest's MSR
sim sys run "$ELF" --cpus 2
gdbrun sys 'p/x $cpacr_el1' 'break stage1' 'continue' 'p/x $cpacr_el1' 'p/x $id_aa64dfr0_el1' \
  'set $cpacr_el1 = 0' 'kill'
why=""
has sys '$1 = 0x0' || why="$why CPACR_EL1 at reset;"
has sys '$2 = 0x300000' || why="$why CPACR_EL1 after the MSR;"
has sys '$3 = 0x10305006' || why="$why ID_AA64DFR0_EL1;"
has sys 'Could not write register "cpacr_el1"' || why="$why a write was accepted;"
[ -z "$why" ] && pass gdb_system_registers || fail gdb_system_registers "$why"

# -- kill ends the run (128 + SIGKILL); detach lets it finish as without gdb
sim kill run "$ELF" --cpus 2
gdbrun kill 'break stage1' 'continue' 'kill'
why=""
[ "$(rc kill)" = 137 ] || why="$why exit $(rc kill), want 137;"
grep -q "gdb: killed the run" "$tmp/kill.err" || why="$why no message;"
[ -z "$why" ] && pass gdb_kill || fail gdb_kill "$why"
sim det run "$ELF" --cpus 2
gdbrun det 'break count_store' 'continue' 'p $x5' 'detach'
why=""
[ "$(rc det)" = 0 ] || why="$why exit $(rc det);"
[ "$(counts "$tmp/det.err")" = "$(counts "$tmp/base.err")" ] || why="$why counts differ;"
has det '$1 = 1' || why="$why x5;"
[ -z "$why" ] && pass gdb_detach || fail gdb_detach "$why"

# -- determinism: a session that stops (breakpoints on both PEs, a
#    watchpoint, steps), reads and continues leaves the run and its trace
#    as they are without gdb
sim det2 run "$ELF" --cpus 2 --trace "$tmp/det2.trace" --trace-insns
gdbrun det2 'break count_store' 'continue' 'info registers' 'continue' 'info all-registers' \
  'delete' 'break secondary_store' 'continue' 'x/4i $pc' 'watch *(long *)&flag1' 'continue' \
  'delete' 'monitor explain' 'stepi' 'thread 1' 'stepi' 'stepi' 'continue'
why=""
[ "$(rc det2)" = "$(cat "$tmp/base.rc")" ] || why="$why exit $(rc det2);"
[ "$(counts "$tmp/det2.err")" = "$(counts "$tmp/base.err")" ] || why="$why counts differ;"
cmp -s "$tmp/base.trace" "$tmp/det2.trace" || why="$why trace bytes differ;"
has det2 "Thread 2 hit Breakpoint 2" || why="$why did not stop on PE 1;"
has det2 "New value = 7" || why="$why PE 1's store to flag1 not caught;"
[ -z "$why" ] && pass gdb_session_changes_nothing || fail gdb_session_changes_nothing "$why"

# ... and on a C guest with 4 PEs and interrupts, at the default quantum
G=$BUILD/guest/smp_counter.elf
if [ -f "$G" ]; then
  timeout $T "$A64SIM" run "$G" --cpus 4 --trace "$tmp/smp0.trace" >"$tmp/smp0.out" 2>"$tmp/smp0.err"
  echo $? >"$tmp/smp0.rc"
  sim smp run "$G" --cpus 4 --trace "$tmp/smp.trace"
  timeout $T "$GDB" -batch -nx -ex "file $G" -ex "target remote $tmp/smp.sock" \
    -ex 'break main' -ex 'continue' -ex 'info registers' -ex 'break printf' -ex 'continue' \
    -ex 'info threads' -ex 'bt' -ex 'stepi' -ex 'delete' -ex 'continue' \
    </dev/null >"$tmp/smp.gdb" 2>&1
  wait
  why=""
  [ "$(rc smp)" = "$(cat "$tmp/smp0.rc")" ] || why="$why exit $(rc smp);"
  cmp -s "$tmp/smp0.out" "$tmp/smp.out" || why="$why output differs;"
  [ "$(counts "$tmp/smp.err")" = "$(counts "$tmp/smp0.err")" ] || why="$why counts differ;"
  cmp -s "$tmp/smp0.trace" "$tmp/smp.trace" || why="$why trace bytes differ;"
  has smp "hit Breakpoint 1, 0x" || has smp "hit Breakpoint 1, main" || why="$why no stop at main;"
  [ -z "$why" ] && pass gdb_session_changes_nothing_smp || fail gdb_session_changes_nothing_smp "$why"
fi

# -- an interrupt taken within a step: stepi over the instruction after
#    which the timer IRQ is taken stops at the IRQ vector's first
#    instruction. Where that happens is read from a trace of the same run.
#    reverse-stepi from the vector goes back across the exception entry:
#    before that instruction, PSTATE.I clear again; stepping forward again
#    takes the same IRQ.
G=$BUILD/guest/timer_el1.elf
if [ -f "$G" ]; then
  timeout $T "$A64SIM" run "$G" --trace "$tmp/irq.trace" --trace-insns >/dev/null 2>&1
  "$A64SIM" trace dump "$tmp/irq.trace" --kinds insn,exc-entry >"$tmp/irq.dump" 2>&1
  # The last instruction before the first IRQ, how often it ran by then, the vector.
  read -r P K V < <(awk '
    $3 == "insn" { pc = $4; sub(":", "", pc); n[pc]++; last = pc }
    $3 == "exc-entry" && $4 == "IRQ" { v = $NF; print last, n[last], v; exit }' "$tmp/irq.dump")
  sim irq run "$G"
  timeout $T "$GDB" -batch -nx -ex "file $G" -ex "target remote $tmp/irq.sock" \
    -ex "break *$P" -ex "ignore 1 $((K - 1))" -ex 'continue' -ex 'p/x $pc' -ex 'stepi' \
    -ex 'p/x $pc' -ex 'p/x $cpsr & 0x80' -ex 'delete' -ex 'reverse-stepi' -ex 'p/x $pc' \
    -ex 'p/x $cpsr & 0x80' -ex 'stepi' -ex 'p/x $pc' -ex 'stepi' -ex 'p/x $pc' -ex 'continue' \
    </dev/null >"$tmp/irq.gdb" 2>&1
  wait
  why=""
  [ -n "${V:-}" ] || why="$why no IRQ in the trace;"
  has irq "\$1 = $P" || why="$why not stopped at $P;"
  has irq "\$2 = $V" || why="$why stepi did not stop at the vector $V;"
  has irq '$3 = 0x80' || why="$why PSTATE.I not set at the vector;"
  has irq "\$4 = $P" || why="$why reverse-stepi did not go back to $P;"
  has irq '$5 = 0x0' || why="$why PSTATE.I set after going back;"
  has irq "\$6 = $V" || why="$why stepping again did not take the IRQ;"
  has irq "\$7 = $(printf '0x%x' $((V + 4)))" || why="$why second stepi;"
  [ "$(rc irq)" = 0 ] || why="$why exit $(rc irq);"
  [ -z "$why" ] && pass gdb_stepi_takes_interrupt || fail gdb_stepi_takes_interrupt "$why"
fi

# -- reverse execution: reverse-stepi and reverse-continue rerun the
#    machine from the start to the moment wanted; the run then goes on
#    to the same end, and the UART output is printed once
sim rev run "$ELF" --cpus 2
gdbrun rev 'break count_store' 'continue' 'continue' 'continue' 'p $x5' 'reverse-stepi' \
  'p/x $pc' 'p $x5' 'reverse-stepi' 'p/x $pc' 'reverse-continue' 'p $x5' 'p/x $pc' \
  'reverse-continue' 'p $x5' 'reverse-continue' 'p/x $pc' 'stepi' 'p/x $pc' 'delete' 'continue'
why=""
has rev '$1 = 3' || why="$why third hit;"
has rev '$2 = 0x40080048' || why="$why reverse-stepi pc;"
has rev '$3 = 2' || why="$why reverse-stepi x5 (before the add);"
has rev '$4 = 0x40080044' || why="$why second reverse-stepi;"
has rev '$5 = 2' || why="$why reverse-continue to the second hit;"
has rev '$6 = 0x4008004c' || why="$why reverse-continue pc;"
has rev '$7 = 1' || why="$why reverse-continue to the first hit;"
has rev 'No more reverse-execution history.' || why="$why no start of history;"
has rev '$8 = 0x40080000' || why="$why not back at _start;"
has rev '$9 = 0x40080004' || why="$why stepi after going back;"
[ "$(rc rev)" = 0 ] || why="$why exit $(rc rev);"
[ "$(counts "$tmp/rev.err")" = "$(counts "$tmp/base.err")" ] || why="$why counts differ;"
[ -z "$why" ] && pass gdb_reverse_execution || fail gdb_reverse_execution "$why"

H=$BUILD/guest/hello.elf
timeout $T "$A64SIM" run "$H" >"$tmp/hello0.out" 2>/dev/null
sim hello run "$H"
timeout $T "$GDB" -batch -nx -ex "file $H" -ex "target remote $tmp/hello.sock" \
  -ex 'break guest_exit' -ex 'continue' -ex 'reverse-continue' -ex 'delete' -ex 'continue' \
  </dev/null >"$tmp/hello.gdb" 2>&1
wait
why=""
cmp -s "$tmp/hello0.out" "$tmp/hello.out" || why="$why output: $(tr '\n' '|' <"$tmp/hello.out");"
has hello 'No more reverse-execution history.' || why="$why did not go back;"
[ -z "$why" ] && pass gdb_reverse_prints_output_once || fail gdb_reverse_prints_output_once "$why"

# ... refused when the run cannot be run again the same (a trace is written)
sim norev run "$ELF" --cpus 2 --trace "$tmp/norev.trace"
gdbrun norev 'break count_store' 'continue' 'reverse-stepi' 'p/x $pc' 'delete' 'continue'
has norev "reverse execution: not while recording a trace (--trace)" &&
  has norev '$1 = 0x4008004c' && [ "$(rc norev)" = 0 ] && pass gdb_reverse_refused_with_trace ||
  fail gdb_reverse_refused_with_trace "$(grep -i reverse "$tmp/norev.gdb" | head -2)"

# -- replay TRACE --gdb: the replayed run under gdb still matches its trace
sim rep replay "$tmp/base.trace" --image "$ELF"
gdbrun rep 'break count_store' 'continue' 'p $x5' 'info threads' 'delete' 'continue'
why=""
[ "$(rc rep)" = 0 ] || why="$why replay exit $(rc rep);"
has rep '$1 = 1' || why="$why x5;"
[ -z "$why" ] && pass gdb_replay || fail gdb_replay "$why"

# -- TCP, port 0: the port chosen is printed
( timeout $T "$A64SIM" run "$ELF" --cpus 2 --gdb tcp::0 --gdb-wait </dev/null \
    >"$tmp/tcp.out" 2>"$tmp/tcp.err"; echo $? >"$tmp/tcp.rc" ) &
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/^a64sim: gdb: listening on tcp:127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/tcp.err" 2>/dev/null)
  [ -n "$port" ] && break
  sleep 0.05
done
timeout $T "$GDB" -batch -nx -ex "file $ELF" -ex "target remote :$port" -ex 'break done' \
  -ex 'continue' -ex 'p/x *(long *)&counter' -ex 'continue' </dev/null >"$tmp/tcp.gdb" 2>&1
wait
why=""
[ -n "$port" ] || why="$why no port printed;"
has tcp '$1 = 0x64' || why="$why counter at done;"
[ "$(rc tcp)" = 0 ] || why="$why exit $(rc tcp);"
[ -z "$why" ] && pass gdb_tcp_port_0 || fail gdb_tcp_port_0 "$why"

# -- malformed packets never crash it; Ctrl-C stops a running machine;
#    attaching without --gdb-wait stops the run where it is
( timeout $T "$A64SIM" run "$BUILD/guest/spin.elf" --gdb "unix:$tmp/raw.sock" </dev/null \
    >"$tmp/raw.out" 2>"$tmp/raw.err"; echo $? >"$tmp/raw.rc" ) &
for _ in $(seq 100); do [ -S "$tmp/raw.sock" ] && break; sleep 0.05; done
timeout $T python3 tests/gdb/rsp_client.py "$tmp/raw.sock" >"$tmp/raw.log" 2>&1
client=$?
wait
why=""
[ $client = 0 ] || why="$why client: $(tail -1 "$tmp/raw.log");"
[ "$(rc raw)" = 137 ] || why="$why exit $(rc raw), want 137;"
[ -z "$why" ] && pass gdb_malformed_packets_and_ctrl_c || fail gdb_malformed_packets_and_ctrl_c "$why"

# -- bad --gdb values: one message, exit 2
bad() { # NAME EXPECTED-MESSAGE ARGS...
  local name=$1 msg=$2; shift 2
  timeout $T "$A64SIM" "$@" >"$tmp/bad.out" 2>"$tmp/bad.err" </dev/null
  local code=$?
  if [ $code = 2 ] && grep -qF -- "$msg" "$tmp/bad.err"; then
    pass "$name"
  else
    fail "$name" "exit $code, stderr: $(head -2 "$tmp/bad.err" | tr '\n' ' ')"
  fi
}
bad gdb_bad_spec "expected tcp::PORT, tcp:HOST:PORT (PORT 0 to 65535) or unix:PATH, got 'foo'" \
  run "$ELF" --gdb foo
bad gdb_bad_port "got 'tcp::70000'" run "$ELF" --gdb tcp::70000
bad gdb_wait_alone "--gdb-wait needs --gdb" run "$ELF" --gdb-wait
bad gdb_unix_exists "the file exists" run "$ELF" --gdb "unix:$ELF"
bad gdb_unix_no_dir "cannot listen" run "$ELF" --gdb "unix:$tmp/no/such/dir/s"
bad gdb_replay_wait_alone "--gdb-wait needs --gdb" replay "$tmp/base.trace" --image "$ELF" --gdb-wait
bad gdb_not_for_explore "--gdb is not an explore option" explore "$ELF" --seeds 2 --gdb tcp::0

echo "$passed $failed" > "$BUILD/check/$RESULT.result"
echo "$RESULT: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
