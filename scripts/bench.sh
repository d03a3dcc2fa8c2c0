#!/usr/bin/env bash
# Throughput report: a64sim against QEMU (TCG, and TCG with -icount shift=0).
#
#   scripts/bench.sh A64SIM OUT.md [ELF...]      (default ELFs: build/bench/*.elf)
#
# Each ELF runs RUNS (5) times under `A64SIM run ELF`; wall time is measured
# here, around each run, and the median is used. Instructions and cycles come
# from a64sim's summary line on stderr:
#   a64sim: <INSNS> instructions retired, <CYCLES> cycles simulated, <WALL> s wall, <MIPS> MIPS
# MIPS = INSNS / median wall / 1e6. QEMU cannot count a bare-metal guest's
# instructions, so its MIPS uses a64sim's count for the same program: the
# ratio a64sim_MIPS / qemu_MIPS is then qemu wall / a64sim wall. Without
# qemu-system-aarch64 those columns say n/a. If ${BUILD:-build}/bench/sched_bench
# exists, its output is appended. The Markdown goes to stdout and to OUT.md;
# progress goes to stderr.
#
# Per-guest options: bench/guests/NAME.args may hold a line "a64sim: OPTIONS"
# and a line "qemu: OPTIONS" (e.g. --cpus 2 and -smp 2 for a guest that needs
# two PEs); both runs of that guest get them. A guest whose output has a
# line "NAME: N interrupts" also gets a row in the interrupt-throughput
# table: N / median wall, for a64sim and both QEMU runs, and a64sim's rate
# over each QEMU rate. The interrupt guests: irqstorm (SGIs on two PEs, no
# timer), timerstorm (one PE, EL1 virtual timer every 20 ticks, WFI
# between interrupts) and msistorm (one PE, LPIs through the ITS: MSI round
# trips and bursts of 64 taken in priority order).
#
# Interpreter cost (callgrind, when valgrind is installed): every ELF runs
# under `valgrind --tool=callgrind` with a fixed --max-insns budget
# (BENCH_CG_INSNS, default 5000000; exit code 124, the limit, counts as
# success); host instructions = the total Ir of the callgrind output file,
# guest instructions = the retired count of a64sim's summary line. With
# BENCH_BASELINE=/path/to/older/a64sim the same runs with that binary give
# the "before" column. Host instruction counts do not depend on what else the
# host is doing, so the callgrind runs go first, nproc at a time; the timed
# runs come after them, one at a time.
#
# Quantum cost: ${BUILD:-build}/guest/smp_counter.elf on 4 PEs at the default
# quantum, --quantum 64 and --quantum 1 (median wall and callgrind), and the
# ratio quantum 1 / default against its target.
#
# MMU cost: intmix_mmu against intmix, MIPS and host instructions per guest
# instruction.
#
# FP/SIMD cost: simd_bench (NEON copies, strlen and checksums, a scalar
# double-precision matrix multiply) against intmix, the same two figures.
#
# Compilers (unless BENCH_COMPILERS=0; needs gcc and clang): a64sim built from
# this tree with CC=gcc and CC=clang (`make BUILD=DIR CC=...`, DIR in the
# temporary directory), host instructions per guest instruction and median
# wall on intmix and irqstorm.
#
# Trace costs (docs/trace-format.md, "Cost"), three figures:
#   - tracing off: the interpreter's host instructions per guest instruction on
#     intmix (callgrind, when valgrind is installed) and MIPS; set
#     BENCH_BASELINE=/path/to/a64sim (a build without the trace hooks) to
#     have the difference to it computed;
#   - the default trace level (--trace: UART, PSCI, sleep, inputs; and with
#     --trace-mmio) on the UART-bound guest build/trace-guest/uartflood.elf
#     and (--trace) on the interrupt benchmark irqstorm, each against the same
#     run untraced;
#   - --trace-insns on intmix, 30M instructions: records written per second,
#     to a file in a temporary directory.
set -u

RUNS=5
BUILD=${BUILD:-build}
SCHED_BENCH=$BUILD/bench/sched_bench
QUANTUM_ELF=$BUILD/guest/smp_counter.elf
CG_INSNS=${BENCH_CG_INSNS:-5000000}
# -nic none: without ipxe-qemu installed, virt's default NIC fails to find its option ROM.
QEMU_CMD=(qemu-system-aarch64 -M "virt,gic-version=3" -cpu cortex-a57 -nographic
    -semihosting -nic none)

usage() {
    echo "usage: $0 A64SIM OUT.md [ELF...]" >&2
    exit 2
}

[ $# -ge 2 ] || usage
a64sim=$1
out=$2
shift 2
[ -x "$a64sim" ] || { echo "$0: $a64sim: not an executable" >&2; exit 2; }
if [ $# -eq 0 ]; then
    set -- "$BUILD"/bench/*.elf
    [ -e "$1" ] || { echo "$0: no $BUILD/bench/*.elf: build the bench guests first" >&2; exit 2; }
fi
repo=$(cd "$(dirname "$0")/.." && pwd)

have_qemu=false
command -v qemu-system-aarch64 >/dev/null 2>&1 && have_qemu=true
have_valgrind=false
command -v valgrind >/dev/null 2>&1 && have_valgrind=true
baseline=
if [ -n "${BENCH_BASELINE:-}" ]; then
    if [ -x "$BENCH_BASELINE" ]; then
        baseline=$BENCH_BASELINE
    else
        echo "bench: BENCH_BASELINE=$BENCH_BASELINE: not an executable, ignored" >&2
    fi
fi
ncpu=$(nproc 2>/dev/null || echo 1)

tmp=$(mktemp -d)
# Background callgrind runs are this script's own children; stop them if it is interrupted.
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/cg"

now() {
    date +%s.%N
}

# A progress line on stderr, with the seconds since the start.
progress() {
    echo "bench: [${SECONDS}s] $*" >&2
}

# Median of the numbers on stdin (RUNS is odd, so the middle one).
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# Append the wall time from START to now to FILE.
record_wall() {
    awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.6f\n", e - s }' >>"$2"
}

# Run "$@" RUNS times with stdin from /dev/null; print the median wall time,
# or "error" if any run fails. The last run's stderr is left in $tmp/stderr.
median_wall() {
    local i start rc
    : >"$tmp/walls"
    for ((i = 0; i < RUNS; i++)); do
        start=$(now)
        "$@" </dev/null >/dev/null 2>"$tmp/stderr"
        rc=$?
        if [ $rc -ne 0 ]; then
            echo "bench: '$*' failed (exit $rc)" >&2
            echo error
            return
        fi
        record_wall "$start" "$tmp/walls"
    done
    median <"$tmp/walls"
}

# From a64sim's summary line in FILE (default $tmp/stderr), print "INSNS CYCLES".
parse_summary() {
    sed -n 's/^a64sim: \([0-9][0-9]*\) instructions retired, \([0-9][0-9]*\) cycles simulated, .* s wall, .* MIPS$/\1 \2/p' \
        "${1:-$tmp/stderr}" | tail -n 1
}

# guest_args ELF TOOL: the options bench/guests/NAME.args gives TOOL (a64sim or qemu).
guest_args() {
    local f
    f=$repo/bench/guests/$(basename "$1" .elf).args
    [ -f "$f" ] || return 0
    sed -n "s/^$2:[[:space:]]*//p" "$f"
}

# The options cell of a guest's row: "`A64SIM OPTIONS` / `QEMU OPTIONS`".
options_cell() {
    local a q
    a=$(guest_args "$1" a64sim)
    q=$(guest_args "$1" qemu)
    if [ -z "$a" ] && [ -z "$q" ]; then
        echo "none"
        return
    fi
    echo "\`${a:-(none)}\` / \`${q:-(none)}\`"
}

# The ELF among the arguments whose name is NAME.elf, if any.
find_elf() {
    local name=$1 elf
    shift
    for elf in "$@"; do
        [ "$(basename "$elf")" = "$name.elf" ] && { echo "$elf"; return; }
    done
}

# a64sim runs: same instruction count every time, or the run is not deterministic.
# The last run's guest output is left in $tmp/stdout.
a64sim_runs() {
    local elf=$1 i start counts note=same
    local -a args
    read -ra args <<<"$(guest_args "$elf" a64sim)"
    : >"$tmp/walls"
    : >"$tmp/counts"
    for ((i = 0; i < RUNS; i++)); do
        start=$(now)
        if ! "$a64sim" run "$elf" "${args[@]}" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"; then
            sed 's/^/bench:   /' "$tmp/stderr" | tail -n 5 >&2
            return 1
        fi
        record_wall "$start" "$tmp/walls"
        parse_summary >>"$tmp/counts"
    done
    counts=$(sort -u "$tmp/counts")
    if [ -z "$counts" ]; then
        echo "bench: $elf: no summary line from $a64sim on stderr" >&2
        return 1
    fi
    if [ "$(printf '%s\n' "$counts" | wc -l)" -ne 1 ]; then
        echo "bench: $elf: instruction/cycle counts differ between runs: ${counts//$'\n'/; }" >&2
        note=varies
    fi
    echo "$(median <"$tmp/walls") $(head -n 1 "$tmp/counts") $note"
}

# Format a number with printf format $2; pass anything else (error, n/a) through.
fmt() {
    case $1 in
    *[!0-9.]* | '') echo "$1"; return ;;
    esac
    awk -v v="$1" -v f="$2" 'BEGIN { printf f, v }'
}

# a64sim MIPS over QEMU MIPS for the same instruction count.
ratio() {
    local sim_wall=$1 qemu_wall=$2
    if [ "$qemu_wall" = error ]; then
        echo error
        return
    fi
    awk -v s="$sim_wall" -v q="$qemu_wall" 'BEGIN { printf "%.2f", q / s }'
}

# "$1 / $2 - 1" as a percentage with two decimals (n/a unless both are numbers).
overhead() {
    case $1$2 in
    *[!0-9.]* | '') echo "n/a"; return ;;
    esac
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%+.2f%%", (a / b - 1) * 100; else print "n/a" }'
}

# "$1 / $2" as a factor, e.g. 2.41× (n/a unless both are numbers).
factor() {
    case $1$2 in
    *[!0-9.]* | '') echo "n/a"; return ;;
    esac
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "n/a" }'
}

# Interrupts per host second: the guest's "NAME: N interrupts" line over a wall time.
irq_rate() {
    case $2 in
    *[!0-9.]* | '') echo "$2"; return ;;
    esac
    awk -v n="$1" -v w="$2" 'BEGIN { printf "%.0f", n / w }'
}

# --- Callgrind runs -------------------------------------------------------
# cg_start KEY COMMAND... starts COMMAND under callgrind in the background,
# at most ncpu at a time; after cg_wait, cg_ir KEY and cg_insns KEY read
# its host and guest instruction counts.
cg_start() {
    local key=$1
    shift
    $have_valgrind || return 0
    while [ "$(jobs -pr | wc -l)" -ge "$ncpu" ]; do
        wait -n
    done
    progress "callgrind $key"
    (
        valgrind --tool=callgrind --callgrind-out-file="$tmp/cg/$key.out" "$@" \
            </dev/null >/dev/null 2>"$tmp/cg/$key.err"
        echo $? >"$tmp/cg/$key.rc"
    ) &
}

# Wait for every callgrind run; report the failed ones on stderr.
cg_wait() {
    local f key rc
    wait
    progress "callgrind runs done"
    for f in "$tmp"/cg/*.rc; do
        [ -e "$f" ] || continue
        key=$(basename "$f" .rc)
        rc=$(cat "$f")
        [ "$rc" = 0 ] || [ "$rc" = 124 ] && continue
        echo "bench: callgrind $key failed (exit $rc):" >&2
        grep -v '^==' "$tmp/cg/$key.err" | tail -n 3 | sed 's/^/bench:   /' >&2
        grep -q 'debuginfo reader' "$tmp/cg/$key.err" &&
            echo "bench:   valgrind cannot read the binary's debug information (clang's DWARF 5?):" \
                "build it with -gdwarf-4 or strip --strip-debug a copy" >&2
    done
}

# Total host instructions (Ir) of run KEY: n/a without valgrind, error if
# the run failed (any exit code but 0 and 124, the --max-insns limit).
cg_ir() {
    local rc ir
    $have_valgrind || { echo n/a; return; }
    rc=$(cat "$tmp/cg/$1.rc" 2>/dev/null)
    if [ "$rc" != 0 ] && [ "$rc" != 124 ]; then
        echo error
        return
    fi
    ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$tmp/cg/$1.out" 2>/dev/null)
    echo "${ir:-error}"
}

# Guest instructions retired in run KEY (a64sim's summary line).
cg_insns() {
    local n
    $have_valgrind || { echo n/a; return; }
    n=$(parse_summary "$tmp/cg/$1.err" 2>/dev/null | cut -d' ' -f1)
    echo "${n:-error}"
}

# Host instructions per guest instruction of run KEY.
cg_per_insn() {
    local ir n
    ir=$(cg_ir "$1")
    n=$(cg_insns "$1")
    case $ir$n in
    *[!0-9]* | '') [ "$ir" = n/a ] && echo n/a || echo error; return ;;
    esac
    awk -v i="$ir" -v n="$n" 'BEGIN { if (n > 0) printf "%.2f", i / n; else print "error" }'
}

# Every callgrind run of the report, started together and waited for.
callgrind_runs() {
    local elf name
    local -a args
    $have_valgrind || return 0
    # The longest runs first, so that no long one is left running alone at the end.
    trace_callgrind_runs "$@"
    for elf in "$@"; do
        name=$(basename "$elf" .elf)
        read -ra args <<<"$(guest_args "$elf" a64sim)"
        cg_start "after-$name" "$a64sim" run "$elf" "${args[@]}" --max-insns "$CG_INSNS"
        [ -n "$baseline" ] &&
            cg_start "before-$name" "$baseline" run "$elf" "${args[@]}" --max-insns "$CG_INSNS"
    done
    cg_start startup "$a64sim" run "$1" --max-insns 1
    if [ -e "$QUANTUM_ELF" ]; then
        cg_start q-default "$a64sim" run "$QUANTUM_ELF" --cpus 4
        cg_start q-64 "$a64sim" run "$QUANTUM_ELF" --cpus 4 --quantum 64
        cg_start q-1 "$a64sim" run "$QUANTUM_ELF" --cpus 4 --quantum 1
    fi
    compiler_callgrind_runs "$@"
    cg_wait
}

# --- Throughput against QEMU ----------------------------------------------

row() {
    local elf=$1 name sim wall insns cycles note mips tcg icount irqs opts
    local -a qemu_args
    name=$(basename "$elf" .elf)
    opts=$(options_cell "$elf")
    read -ra qemu_args <<<"$(guest_args "$elf" qemu)"
    progress "$name: a64sim x$RUNS"
    if ! sim=$(a64sim_runs "$elf"); then
        echo "bench: $name: a64sim run failed" >&2
        echo "| $name | $opts | error | error | error | error | n/a | n/a | n/a | n/a |"
        return
    fi
    read -r wall insns cycles note <<<"$sim"
    irqs=$(sed -n "s/^$name: \([0-9][0-9]*\) interrupts\r*$/\1/p" "$tmp/stdout" | tail -n 1)
    mips=$(awk -v i="$insns" -v w="$wall" 'BEGIN { printf "%.1f", i / w / 1e6 }')
    if [ "$note" = varies ]; then
        # The simulator promises identical runs; make a broken promise visible in the table.
        insns="$insns (varies between runs!)"
    fi
    if ! $have_qemu; then
        [ -n "$irqs" ] && echo "$name $irqs $(irq_rate "$irqs" "$wall") n/a n/a" >>"$tmp/irq-rates"
        echo "| $name | $opts | $insns | $cycles | $(fmt "$wall" %.3f) | $mips | n/a | n/a | n/a | n/a |"
        return
    fi
    progress "$name: qemu TCG x$RUNS, qemu icount x$RUNS"
    tcg=$(median_wall timeout 120 "${QEMU_CMD[@]}" "${qemu_args[@]}" -kernel "$elf")
    icount=$(median_wall timeout 120 "${QEMU_CMD[@]}" "${qemu_args[@]}" -icount shift=0 -kernel "$elf")
    if [ -n "$irqs" ]; then
        echo "$name $irqs $(irq_rate "$irqs" "$wall") $(irq_rate "$irqs" "$tcg")" \
            "$(irq_rate "$irqs" "$icount")" >>"$tmp/irq-rates"
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$opts" "$insns" \
        "$cycles" "$(fmt "$wall" %.3f)" "$mips" "$(fmt "$tcg" %.3f)" "$(ratio "$wall" "$tcg")" \
        "$(fmt "$icount" %.3f)" "$(ratio "$wall" "$icount")"
}

cpu_model() {
    local m
    m=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
    echo "${m:-unknown}"
}

throughput() {
    local rows name irqs sim tcg icount
    echo "| guest | options (a64sim / qemu) | instructions | cycles |" \
        "a64sim wall s (median of $RUNS) | a64sim MIPS |" \
        "qemu TCG wall s | ratio | qemu icount wall s | ratio |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    : >"$tmp/irq-rates"
    rows=$(for elf in "$@"; do row "$elf"; done)
    printf '%s\n' "$rows" | tee "$tmp/rows"
    [ -s "$tmp/irq-rates" ] || return 0
    echo
    echo "Interrupts per host second (the guest's interrupt count / median wall of the runs" \
        "above; ratio = a64sim's rate / QEMU's rate):"
    echo
    echo "| guest | options (a64sim / qemu) | interrupts | a64sim | qemu TCG | ratio |" \
        "qemu icount | ratio |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    # ratio = a64sim's rate / QEMU's rate (n/a or error passed through).
    while read -r name irqs sim tcg icount; do
        awk -v n="$name" -v o="$(options_cell "$name.elf")" -v i="$irqs" -v s="$sim" \
            -v t="$tcg" -v c="$icount" '
            function r(s, q) { return (q ~ /^[0-9.]+$/ && q > 0) ? sprintf("%.2f", s / q) : q }
            BEGIN { printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
                n, o, i, s, t, r(s, t), c, r(s, c) }'
    done <"$tmp/irq-rates"
}

# --- Interpreter cost -----------------------------------------------------

interpreter_cost() {
    local elf name ir per before insns budget
    echo
    echo "## Interpreter cost: host instructions per guest instruction"
    echo
    if ! $have_valgrind; then
        echo "n/a: valgrind is not installed."
        return
    fi
    echo "Each guest runs under \`valgrind --tool=callgrind --callgrind-out-file=FILE" \
        "A64SIM run ELF OPTIONS --max-insns $CG_INSNS\` (the budget counts instructions and" \
        "exceptions taken; a guest that ends sooner runs whole). Host instructions: the" \
        "total Ir of FILE; guest instructions: the retired count of a64sim's summary line." \
        "Both include start-up: $(cg_ir startup) host instructions for" \
        "\`--max-insns 1\` on $(basename "$1" .elf)."
    if [ -n "$baseline" ]; then
        echo "Before: \`$baseline\`; after: \`$a64sim\`."
    else
        echo "Set BENCH_BASELINE=/path/to/older/a64sim for the \"before\" column."
    fi
    echo
    echo "| guest | options | budget | guest instructions | host instructions (after) |" \
        "before (host/guest) | after (host/guest) | change |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|"
    for elf in "$@"; do
        name=$(basename "$elf" .elf)
        ir=$(cg_ir "after-$name")
        per=$(cg_per_insn "after-$name")
        insns=$(cg_insns "after-$name")
        before=n/a
        if [ -n "$baseline" ]; then
            before=$(cg_per_insn "before-$name")
            [ "$(cg_insns "before-$name")" = "$insns" ] ||
                insns="$insns (before: $(cg_insns "before-$name"))"
        fi
        budget=$CG_INSNS
        [ "$(cat "$tmp/cg/after-$name.rc" 2>/dev/null)" = 0 ] && budget="whole run"
        echo "| $name | \`$(guest_args "$elf" a64sim)\` | $budget | $insns | $ir | $before |" \
            "$per | $(overhead "$per" "$before") |"
    done | sed 's/| `` |/| none |/'
}

# --- Quantum cost ---------------------------------------------------------

# The default of --quantum, from a64sim's help text.
default_quantum() {
    "$a64sim" --help 2>&1 | sed -n 's/.*--quantum .*(default \([0-9][0-9]*\).*/\1/p' | head -n 1
}

# smp_counter at the default quantum, 64 and 1, RUNS rounds of the three in
# turn; median walls in $tmp/q-walls, guest instructions in $tmp/q-insns.
quantum_walls() {
    local i v start rc
    local -a extra=("" "--quantum 64" "--quantum 1")
    for v in 0 1 2; do : >"$tmp/qw-$v"; done
    : >"$tmp/q-insns"
    for ((i = 0; i < RUNS; i++)); do
        for v in 0 1 2; do
            start=$(now)
            # shellcheck disable=SC2086
            "$a64sim" run "$QUANTUM_ELF" --cpus 4 ${extra[$v]} </dev/null >/dev/null 2>"$tmp/stderr"
            rc=$?
            if [ $rc -ne 0 ]; then
                echo "bench: smp_counter ${extra[$v]:-(default quantum)} failed (exit $rc)" >&2
                echo error >"$tmp/qw-$v"
                continue
            fi
            [ -s "$tmp/qw-$v" ] && [ "$(cat "$tmp/qw-$v")" = error ] && continue
            record_wall "$start" "$tmp/qw-$v"
            [ "$i" -eq 0 ] && echo "$v $(parse_summary | cut -d' ' -f1)" >>"$tmp/q-insns"
        done
    done
    for v in 0 1 2; do
        if grep -q error "$tmp/qw-$v"; then echo error; else median <"$tmp/qw-$v"; fi
    done | paste -sd' ' >"$tmp/q-walls"
}

quantum_cost() {
    local dq w0 w64 w1 v label key wall insns
    echo
    echo "## Quantum cost"
    echo
    if [ ! -e "$QUANTUM_ELF" ]; then
        echo "n/a: needs $QUANTUM_ELF (tests/guest/smp_counter.c; \`make\` builds it)."
        return
    fi
    progress "quantum: smp_counter x$RUNS at three quanta"
    dq=$(default_quantum)
    quantum_walls
    read -r w0 w64 w1 <"$tmp/q-walls"
    echo "\`$a64sim run $QUANTUM_ELF --cpus 4 [--quantum N]\`: 4 PEs, each adding to a shared" \
        "counter under a lock 5000 times. Wall: median of $RUNS runs, measured outside the" \
        "process (so it includes start-up); host instructions: callgrind, the whole run."
    echo
    echo "| quantum | guest instructions | wall s (median of $RUNS) | host instructions |" \
        "host/guest instruction |"
    echo "|---|---:|---:|---:|---:|"
    for v in 0 1 2; do
        case $v in
        0) label="default (${dq:-?})" key=q-default wall=$w0 ;;
        1) label="64" key=q-64 wall=$w64 ;;
        2) label="1" key=q-1 wall=$w1 ;;
        esac
        insns=$(awk -v v="$v" '$1 == v { print $2 }' "$tmp/q-insns")
        echo "| $label | ${insns:-error} | $(fmt "$wall" %.3f) | $(cg_ir "$key") |" \
            "$(cg_per_insn "$key") |"
    done
    echo
    echo "Quantum 1 / default (target: no more than 3×): wall $(factor "$w1" "$w0")," \
        "host instructions $(factor "$(cg_ir q-1)" "$(cg_ir q-default)") (the same guest" \
        "work; at quantum 1 the PEs spin longer on the lock, so more guest instructions" \
        "retire), host instructions per guest instruction" \
        "$(factor "$(cg_per_insn q-1)" "$(cg_per_insn q-default)")."
}

# --- Explore throughput ---------------------------------------------------

# N / WALL, or WALL when it is not a number ("error").
per_second() {
    case $2 in
    *[!0-9.]* | '') echo "$2"; return ;;
    esac
    awk -v n="$1" -v w="$2" 'BEGIN { printf "%.0f", n / w }'
}

# Seeds per second of `a64sim explore` on the fixed forms of two race
# scenarios (one outcome, exit 0): a short one-PE guest, in one process and
# with --jobs NCPU, and a two-PE guest at --quantum 1.
explore_throughput() {
    local rmw=$BUILD/guest/explore_rmw_fixed.elf wake=$BUILD/guest/smp_wake_race_fixed.elf
    local w1 wj ww
    echo
    echo "## Explore throughput"
    echo
    if [ ! -f "$rmw" ] || [ ! -f "$wake" ]; then
        echo "n/a: needs $rmw and $wake (\`make\` builds them)."
        return
    fi
    progress "explore throughput"
    w1=$(median_wall "$a64sim" explore "$rmw" --seeds 2000 --expect-exit 0)
    wj=$(median_wall "$a64sim" explore "$rmw" --seeds 2000 --expect-exit 0 --jobs "$ncpu")
    ww=$(median_wall "$a64sim" explore "$wake" --cpus 2 --quantum 1 --seeds 200 --expect-exit 0)
    echo "Seeds per second, median of $RUNS runs (each seed a whole run: machine built, run," \
        "classified and freed in the explorer's process):"
    echo
    echo "| guest | options | seeds | wall s | seeds/s |"
    echo "|---|---|---:|---:|---:|"
    echo "| explore_rmw_fixed | | 2000 | $(fmt "$w1" %.3f) | $(per_second 2000 "$w1") |"
    echo "| explore_rmw_fixed | \`--jobs $ncpu\` | 2000 | $(fmt "$wj" %.3f) | $(per_second 2000 "$wj") |"
    echo "| smp_wake_race_fixed | \`--cpus 2 --quantum 1\` | 200 | $(fmt "$ww" %.3f) | $(per_second 200 "$ww") |"
}

# --- MMU cost -------------------------------------------------------------

mmu_cost() {
    local off on
    off=$(awk -F'|' '$2 ~ /^ intmix $/ { print $7 }' "$tmp/rows" | tr -d ' ')
    on=$(awk -F'|' '$2 ~ /^ intmix_mmu $/ { print $7 }' "$tmp/rows" | tr -d ' ')
    [ -n "$off" ] && [ -n "$on" ] || return 0
    echo
    awk -v off="$off" -v on="$on" 'BEGIN {
        printf "MMU on (intmix_mmu) vs off (intmix), target: no more than 10%% slower:\n\n"
        if (off ~ /^[0-9.]+$/ && on ~ /^[0-9.]+$/ && off > 0)
            printf "- MIPS: %.1f vs %.1f, %+.1f%%\n", on, off, (on - off) / off * 100
        else
            printf "- MIPS: %s vs %s\n", on, off }'
    $have_valgrind || return 0
    local pon poff
    pon=$(cg_per_insn after-intmix_mmu)
    poff=$(cg_per_insn after-intmix)
    echo "- host instructions per guest instruction (callgrind, --max-insns $CG_INSNS):" \
        "$pon vs $poff, $(overhead "$pon" "$poff")"
}

# --- FP/SIMD cost ---------------------------------------------------------

simd_cost() {
    local int simd
    int=$(awk -F'|' '$2 ~ /^ intmix $/ { print $7 }' "$tmp/rows" | tr -d ' ')
    simd=$(awk -F'|' '$2 ~ /^ simd_bench $/ { print $7 }' "$tmp/rows" | tr -d ' ')
    [ -n "$int" ] && [ -n "$simd" ] || return 0
    echo
    echo "FP/SIMD (simd_bench) vs integer (intmix):"
    echo
    echo "- MIPS: $simd vs $int"
    $have_valgrind || return 0
    echo "- host instructions per guest instruction (callgrind, --max-insns $CG_INSNS):" \
        "$(cg_per_insn after-simd_bench) vs $(cg_per_insn after-intmix)"
}

# --- Compilers ------------------------------------------------------------

# CCS: the compilers compared, each with an a64sim in $tmp/CC/a64sim.
CCS=()
compiler_note=

# Build a64sim from this tree with each compiler, in the temporary directory.
build_compilers() {
    local cc
    if [ "${BENCH_COMPILERS:-1}" = 0 ]; then
        compiler_note="skipped (BENCH_COMPILERS=0)."
        return
    fi
    for cc in gcc clang; do
        if ! command -v "$cc" >/dev/null 2>&1; then
            compiler_note="n/a: $cc is not installed."
            return
        fi
    done
    for cc in gcc clang; do
        progress "compilers: building a64sim with CC=$cc"
        # MAKEFLAGS: not the jobserver or variables of a `make bench` around this script.
        if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$repo" -j"$ncpu" \
            BUILD="$tmp/$cc" CC="$cc" "$tmp/$cc/a64sim" >"$tmp/$cc.log" 2>&1; then
            # Valgrind 3.19 gives up on clang 14's DWARF 5; the code is the same without it.
            strip --strip-debug "$tmp/$cc/a64sim" 2>/dev/null
            CCS+=("$cc")
        else
            echo "bench: compilers: the CC=$cc build failed:" >&2
            tail -n 5 "$tmp/$cc.log" | sed 's/^/bench:   /' >&2
            compiler_note="n/a: the CC=$cc build failed."
            CCS=()
            return
        fi
    done
}

compiler_callgrind_runs() {
    local cc name elf
    local -a args
    for cc in "${CCS[@]}"; do
        for name in intmix irqstorm; do
            elf=$(find_elf "$name" "$@")
            [ -n "$elf" ] || continue
            read -ra args <<<"$(guest_args "$elf" a64sim)"
            cg_start "cc-$cc-$name" "$tmp/$cc/a64sim" run "$elf" "${args[@]}" --max-insns "$CG_INSNS"
        done
    done
}

compilers() {
    local cc name elf ver line a b
    local -a args
    echo
    echo "## Compilers"
    echo
    if [ ${#CCS[@]} -eq 0 ]; then
        echo "${compiler_note:-n/a}"
        return
    fi
    echo "a64sim built from this tree twice, \`make BUILD=TMP/CC CC=CC TMP/CC/a64sim\`" \
        "(same flags; then \`strip --strip-debug\`, as valgrind 3.19 cannot read clang's" \
        "DWARF 5), and run on the same guests: host instructions per guest instruction" \
        "(callgrind, --max-insns $CG_INSNS) and wall (\`TMP/CC/a64sim run ELF OPTIONS\`," \
        "whole run, median of $RUNS, the two builds alternating)."
    echo
    : >"$tmp/cc-walls"
    for name in intmix irqstorm; do
        elf=$(find_elf "$name" "$@")
        [ -n "$elf" ] || continue
        read -ra args <<<"$(guest_args "$elf" a64sim)"
        progress "compilers: $name x$RUNS each"
        paired_walls "$tmp/gcc/a64sim" "$tmp/clang/a64sim" run "$elf" "${args[@]}"
        echo "$name $(cat "$tmp/paired")" >>"$tmp/cc-walls"
    done
    echo "| compiler | $(for n in intmix irqstorm; do printf '%s host/guest | %s wall s | ' "$n" "$n"; done | sed 's/ | $//') |"
    echo "|---|---:|---:|---:|---:|"
    for cc in "${CCS[@]}"; do
        ver=$("$cc" -dumpfullversion 2>/dev/null || "$cc" -dumpversion 2>/dev/null)
        line="| $cc ${ver:-?}"
        for name in intmix irqstorm; do
            read -r a b < <(awk -v n="$name" '$1 == n { print $2, $3 }' "$tmp/cc-walls")
            [ "$cc" = clang ] && a=$b
            line="$line | $(cg_per_insn "cc-$cc-$name") | $(fmt "${a:-n/a}" %.3f)"
        done
        echo "$line |"
    done
    line="| clang / gcc"
    for name in intmix irqstorm; do
        read -r a b < <(awk -v n="$name" '$1 == n { print $2, $3 }' "$tmp/cc-walls")
        line="$line | $(factor "$(cg_per_insn "cc-clang-$name")" "$(cg_per_insn "cc-gcc-$name")")"
        line="$line | $(factor "${b:-n/a}" "${a:-n/a}")"
    done
    echo "$line |"
}

# --- Report ---------------------------------------------------------------

report() {
    build_compilers
    callgrind_runs "$@"
    echo "# a64sim throughput"
    echo
    echo "No date is recorded here on purpose, so that reports differ only in their numbers."
    echo
    echo "- Host CPU: $(cpu_model) ($ncpu CPUs)"
    echo "- a64sim: \`$a64sim run ELF OPTIONS\`, $RUNS runs, median wall time measured outside" \
        "the process"
    if $have_qemu; then
        echo "- QEMU TCG: \`${QEMU_CMD[*]} OPTIONS -kernel ELF\`, $RUNS runs, median"
        echo "- QEMU icount: \`${QEMU_CMD[*]} OPTIONS -icount shift=0 -kernel ELF\`, $RUNS runs, median"
        echo "- OPTIONS: the guest's bench/guests/NAME.args (the options column)"
        echo "- ratio = a64sim MIPS / QEMU MIPS, both using a64sim's instruction count"
        echo "  (QEMU wall includes its start-up time)"
    else
        echo "- OPTIONS: the guest's bench/guests/NAME.args (the options column)"
        echo "- QEMU: qemu-system-aarch64 not installed, its columns are n/a"
    fi
    echo
    throughput "$@"
    mmu_cost
    simd_cost
    interpreter_cost "$@"
    quantum_cost
    explore_throughput
    compilers "$@"
    trace_costs "$@"
    if [ -x "$SCHED_BENCH" ]; then
        echo
        echo "Scheduler micro-benchmark (\`$SCHED_BENCH\`):"
        echo
        echo '```'
        "$SCHED_BENCH" </dev/null 2>&1 || echo "(exit $?)"
        echo '```'
    fi
}

# --- Trace costs ----------------------------------------------------------

# Median wall of RUNS runs of "$@" (stdout to /dev/null), or "error"; exit
# code 124 (the --max-insns limit) counts as success.
median_run() {
    local i start rc
    : >"$tmp/walls"
    for ((i = 0; i < RUNS; i++)); do
        start=$(now)
        "$@" </dev/null >/dev/null 2>"$tmp/stderr"
        rc=$?
        if [ $rc -ne 0 ] && [ $rc -ne 124 ]; then
            echo "bench: '$*' failed (exit $rc)" >&2
            echo error
            return
        fi
        record_wall "$start" "$tmp/walls"
    done
    median <"$tmp/walls"
}

# Median walls of A "$@" and B "$@", RUNS runs each, alternating; "A B" in
# $tmp/paired ("error" for a binary with a failed run; exit code 124 counts
# as success).
paired_walls() {
    local a=$1 b=$2 i which sim start rc
    shift 2
    : >"$tmp/walls-a"
    : >"$tmp/walls-b"
    for ((i = 0; i < RUNS; i++)); do
        for which in a b; do
            sim=$a
            [ $which = b ] && sim=$b
            start=$(now)
            "$sim" "$@" </dev/null >/dev/null 2>&1
            rc=$?
            if [ $rc -ne 0 ] && [ $rc -ne 124 ]; then
                echo "bench: '$sim $*' failed (exit $rc)" >&2
                echo error >>"$tmp/walls-$which"
                continue
            fi
            record_wall "$start" "$tmp/walls-$which"
        done
    done
    for which in a b; do
        if grep -q error "$tmp/walls-$which"; then echo error; else median <"$tmp/walls-$which"; fi
    done | paste -sd' ' >"$tmp/paired"
}

# uartflood untraced, with --trace, with --trace --trace-mmio, RUNS times
# each, in turn; the three medians in $tmp/flood-walls.
flood_walls() {
    local elf=$1 i v start
    local -a extra=("" "--trace $tmp/flood.trace" "--trace $tmp/flood.trace --trace-mmio")
    for v in 0 1 2; do : >"$tmp/flood-$v"; done
    for ((i = 0; i < RUNS; i++)); do
        for v in 0 1 2; do
            start=$(now)
            # shellcheck disable=SC2086
            "$a64sim" run "$elf" ${extra[$v]} </dev/null >/dev/null 2>&1
            record_wall "$start" "$tmp/flood-$v"
        done
    done
    echo "$(median <"$tmp/flood-0") $(median <"$tmp/flood-1") $(median <"$tmp/flood-2")" \
        >"$tmp/flood-walls"
}

# The trace-cost callgrind runs: intmix (30M instructions) with the binary
# under test and the baseline, uartflood untraced, --trace, --trace --trace-mmio.
trace_callgrind_runs() {
    local intmix flood=$BUILD/trace-guest/uartflood.elf
    intmix=$(find_elf intmix "$@")
    [ -n "$intmix" ] && [ -e "$flood" ] || return 0
    cg_start flood-2 "$a64sim" run "$flood" --trace "$tmp/cg/flood-2.trace" --trace-mmio
    cg_start flood-1 "$a64sim" run "$flood" --trace "$tmp/cg/flood-1.trace"
    cg_start flood-0 "$a64sim" run "$flood"
    cg_start tr-intmix "$a64sim" run "$intmix" --max-insns 30000000
    [ -n "$baseline" ] && cg_start tr-intmix-base "$baseline" run "$intmix" --max-insns 30000000
}

trace_costs() {
    local intmix flood off base ir ir_base wall_off wall_tr wall_mmio wall_insns recs line
    intmix=$(find_elf intmix "$@")
    flood=$BUILD/trace-guest/uartflood.elf
    rm -f "$tmp"/cg/*.trace
    echo
    echo "## Trace costs"
    echo
    if [ -z "$intmix" ] || [ ! -e "$flood" ]; then
        echo "(needs bench/guests/intmix.c and tests/trace/uartflood.c built: make bench builds them)"
        return
    fi
    echo "| figure | measured | target |"
    echo "|---|---|---|"
    # 1. Tracing off. With a baseline, the runs alternate between the two
    # binaries so that drift in the host's speed hits both alike.
    progress "trace costs: tracing off"
    if [ -n "$baseline" ]; then
        paired_walls "$a64sim" "$baseline" run "$intmix"
        read -r off base <"$tmp/paired"
        echo "| tracing off, intmix: wall s (median of $RUNS, alternating with the baseline) |" \
            "$(fmt "$off" %.3f) (baseline $(fmt "$base" %.3f), $(overhead "$off" "$base")) |" \
            "< 2% over a build without tracing |"
    else
        off=$(median_run "$a64sim" run "$intmix")
        echo "| tracing off, intmix: wall s (median of $RUNS) | $(fmt "$off" %.3f)" \
            "(set BENCH_BASELINE to compare) | < 2% over a build without tracing |"
    fi
    if $have_valgrind; then
        ir=$(cg_per_insn tr-intmix)
        line="| tracing off, intmix 30M instructions: host instructions per guest instruction (callgrind) | $ir"
        if [ -n "$baseline" ]; then
            ir_base=$(cg_per_insn tr-intmix-base)
            line="$line (baseline $ir_base, $(overhead "$ir" "$ir_base"))"
        fi
        echo "$line | < 2% |"
    fi
    # 2. The default trace level on a device-heavy guest.
    progress "trace costs: uartflood untraced, --trace, --trace --trace-mmio"
    flood_walls "$flood"
    read -r wall_off wall_tr wall_mmio <"$tmp/flood-walls"
    # 2a. Interrupt-level tracing on the interrupt benchmark (irqstorm, 2 PEs).
    local storm=$BUILD/bench/irqstorm.elf
    if [ -e "$storm" ]; then
        progress "trace costs: irqstorm untraced and with --trace"
        : >"$tmp/storm-0"
        : >"$tmp/storm-1"
        local i start
        for ((i = 0; i < RUNS; i++)); do
            start=$(now)
            "$a64sim" run "$storm" --cpus 2 </dev/null >/dev/null 2>&1
            record_wall "$start" "$tmp/storm-0"
            start=$(now)
            "$a64sim" run "$storm" --cpus 2 --trace "$tmp/storm.trace" </dev/null >/dev/null 2>&1
            record_wall "$start" "$tmp/storm-1"
        done
        local s_off s_tr
        s_off=$(median <"$tmp/storm-0")
        s_tr=$(median <"$tmp/storm-1")
        echo "| --trace on irqstorm (the interrupt benchmark: every interrupt transition, line and PMR write recorded): wall s | $(fmt "$s_tr" %.3f) vs $(fmt "$s_off" %.3f) untraced, $(overhead "$s_tr" "$s_off") | < 20% |"
    fi
    echo "| --trace on uartflood (device-bound): wall s | $(fmt "$wall_tr" %.3f) vs $(fmt "$wall_off" %.3f) untraced, $(overhead "$wall_tr" "$wall_off") | (no target) |"
    echo "| --trace --trace-mmio on uartflood: wall s | $(fmt "$wall_mmio" %.3f), $(overhead "$wall_mmio" "$wall_off") | (every device access recorded) |"
    if $have_valgrind; then
        # Host instructions do not depend on what else the host is doing.
        local ir_off ir_tr ir_mmio
        ir_off=$(cg_ir flood-0)
        ir_tr=$(cg_ir flood-1)
        ir_mmio=$(cg_ir flood-2)
        echo "| --trace on uartflood: host instructions (callgrind) | $ir_tr vs $ir_off untraced, $(overhead "$ir_tr" "$ir_off"); with --trace-mmio $(overhead "$ir_mmio" "$ir_off") | < 20% |"
    fi
    rm -f "$tmp/flood.trace" "$tmp/storm.trace"
    # 3. Instruction records.
    progress "trace costs: --trace-insns"
    wall_insns=$(median_run "$a64sim" run "$intmix" --max-insns 30000000 --trace "$tmp/insns.trace" --trace-insns)
    recs=$(awk -v w="$wall_insns" 'BEGIN { if (w > 0) printf "%.1f", 30000001 / w / 1e6; else print "n/a" }')
    echo "| --trace-insns, intmix 30M instructions to a file: records per second | ${recs}M ($(fmt "$wall_insns" %.3f) s, $(( $(stat -c %s "$tmp/insns.trace" 2>/dev/null || echo 0) / 1000000 )) MB) | >= 20M |"
    rm -f "$tmp/insns.trace"
}

report "$@" >"$tmp/report.md"
progress "Linux boot (scripts/bench-linux.sh)"
{ echo; A64SIM=$a64sim BUILD=${BUILD:-build} bash scripts/bench-linux.sh; } >>"$tmp/report.md"
cp "$tmp/report.md" "$out"
cat "$out"
echo "bench: done in ${SECONDS}s" >&2
