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
# timer) and timerstorm (one PE, EL1 virtual timer every 20 ticks, WFI
# between interrupts).
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

have_qemu=false
command -v qemu-system-aarch64 >/dev/null 2>&1 && have_qemu=true

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() {
    date +%s.%N
}

# Median of the numbers on stdin (RUNS is odd, so the middle one).
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# Run "$@" RUNS times with stdin from /dev/null; print the median wall time,
# or "error" if any run fails. The last run's stderr is left in $tmp/stderr.
median_wall() {
    local i start end rc
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
        end=$(now)
        awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f\n", e - s }' >>"$tmp/walls"
    done
    median <"$tmp/walls"
}

# From a64sim's summary line in $tmp/stderr, print "INSNS CYCLES".
parse_summary() {
    sed -n 's/^a64sim: \([0-9][0-9]*\) instructions retired, \([0-9][0-9]*\) cycles simulated, .* s wall, .* MIPS$/\1 \2/p' \
        "$tmp/stderr" | tail -n 1
}

# guest_args ELF TOOL: the options bench/guests/NAME.args gives TOOL (a64sim or qemu).
guest_args() {
    local f
    f=$(dirname "$0")/../bench/guests/$(basename "$1" .elf).args
    [ -f "$f" ] || return 0
    sed -n "s/^$2:[[:space:]]*//p" "$f"
}

# a64sim runs: same instruction count every time, or the run is not deterministic.
# The last run's guest output is left in $tmp/stdout.
a64sim_runs() {
    local elf=$1 i start end counts note=same
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
        end=$(now)
        awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f\n", e - s }' >>"$tmp/walls"
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

# Interrupts per host second: the guest's "NAME: N interrupts" line over a wall time.
irq_rate() {
    case $2 in
    *[!0-9.]* | '') echo "$2"; return ;;
    esac
    awk -v n="$1" -v w="$2" 'BEGIN { printf "%.0f", n / w }'
}

row() {
    local elf=$1 name sim wall insns cycles note mips tcg icount irqs
    local -a qemu_args
    name=$(basename "$elf" .elf)
    read -ra qemu_args <<<"$(guest_args "$elf" qemu)"
    echo "bench: $name: a64sim x$RUNS" >&2
    if ! sim=$(a64sim_runs "$elf"); then
        echo "bench: $name: a64sim run failed" >&2
        echo "| $name | error | error | error | error | n/a | n/a | n/a | n/a |"
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
        echo "| $name | $insns | $cycles | $(fmt "$wall" %.3f) | $mips | n/a | n/a | n/a | n/a |"
        return
    fi
    echo "bench: $name: qemu TCG x$RUNS, qemu icount x$RUNS" >&2
    tcg=$(median_wall timeout 120 "${QEMU_CMD[@]}" "${qemu_args[@]}" -kernel "$elf")
    icount=$(median_wall timeout 120 "${QEMU_CMD[@]}" "${qemu_args[@]}" -icount shift=0 -kernel "$elf")
    if [ -n "$irqs" ]; then
        echo "$name $irqs $(irq_rate "$irqs" "$wall") $(irq_rate "$irqs" "$tcg")" \
            "$(irq_rate "$irqs" "$icount")" >>"$tmp/irq-rates"
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$insns" "$cycles" \
        "$(fmt "$wall" %.3f)" "$mips" "$(fmt "$tcg" %.3f)" "$(ratio "$wall" "$tcg")" \
        "$(fmt "$icount" %.3f)" "$(ratio "$wall" "$icount")"
}

cpu_model() {
    local m
    m=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
    echo "${m:-unknown}"
}

report() {
    echo "# a64sim throughput"
    echo
    echo "No date is recorded here on purpose, so that reports differ only in their numbers."
    echo
    echo "- Host CPU: $(cpu_model) ($(nproc 2>/dev/null || echo ?) CPUs)"
    echo "- a64sim: \`$a64sim run ELF\`, $RUNS runs, median wall time measured outside the process"
    if $have_qemu; then
        echo "- QEMU TCG: \`${QEMU_CMD[*]} -kernel ELF\`, $RUNS runs, median"
        echo "- QEMU icount: \`${QEMU_CMD[*]} -icount shift=0 -kernel ELF\`, $RUNS runs, median"
        echo "- ratio = a64sim MIPS / QEMU MIPS, both using a64sim's instruction count"
        echo "  (QEMU wall includes its start-up time)"
    else
        echo "- QEMU: qemu-system-aarch64 not installed, its columns are n/a"
    fi
    echo
    echo "| guest | instructions | cycles | a64sim wall s (median of $RUNS) | a64sim MIPS |" \
        "qemu TCG wall s | ratio | qemu icount wall s | ratio |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    local rows
    : >"$tmp/irq-rates"
    rows=$(for elf in "$@"; do row "$elf"; done)
    printf '%s\n' "$rows"
    if [ -s "$tmp/irq-rates" ]; then
        echo
        echo "Interrupts per host second (the guest's interrupt count / median wall; options from" \
            "bench/guests/NAME.args; ratio = a64sim's rate / QEMU's rate):"
        echo
        echo "| guest | interrupts | a64sim | qemu TCG | ratio | qemu icount | ratio |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
        # ratio = a64sim's rate / QEMU's rate (n/a or error passed through).
        awk 'function r(s, q) { return (q ~ /^[0-9.]+$/ && q > 0) ? sprintf("%.2f", s / q) : q }
            { printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, r($3, $4), $5, r($3, $5) }' \
            "$tmp/irq-rates"
    fi
    # The cost of translation: the same integer mix with the MMU off and on.
    local off on
    off=$(printf '%s\n' "$rows" | awk -F'|' '$2 ~ /^ intmix $/ { print $6 }')
    on=$(printf '%s\n' "$rows" | awk -F'|' '$2 ~ /^ intmix_mmu $/ { print $6 }')
    if [ -n "$off" ] && [ -n "$on" ]; then
        echo
        awk -v off="$off" -v on="$on" 'BEGIN {
            printf "MMU on (intmix_mmu) vs off (intmix): %.1f vs %.1f MIPS, %+.1f%% (target: no more than 15%% slower)\n",
                on, off, (on - off) / off * 100 }'
    fi
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

# Median wall of RUNS runs of "$@" (stdout to /dev/null), or "error"; exit
# code 124 (the --max-insns limit) counts as success.
median_run() {
    local i start end rc
    : >"$tmp/walls"
    for ((i = 0; i < RUNS; i++)); do
        start=$(now)
        "$@" </dev/null >/dev/null 2>"$tmp/stderr"
        rc=$?
        end=$(now)
        if [ $rc -ne 0 ] && [ $rc -ne 124 ]; then
            echo "bench: '$*' failed (exit $rc)" >&2
            echo error
            return
        fi
        awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f\n", e - s }' >>"$tmp/walls"
    done
    median <"$tmp/walls"
}

# Median walls of A "$@" and B "$@", RUNS runs each, alternating; "A B" in
# $tmp/paired.
paired_walls() {
    local a=$1 b=$2 i start end
    shift 2
    : >"$tmp/walls-a"
    : >"$tmp/walls-b"
    for ((i = 0; i < RUNS; i++)); do
        for which in a b; do
            local sim=$a
            [ $which = b ] && sim=$b
            start=$(now)
            "$sim" "$@" </dev/null >/dev/null 2>&1
            end=$(now)
            awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f\n", e - s }' >>"$tmp/walls-$which"
        done
    done
    echo "$(median <"$tmp/walls-a") $(median <"$tmp/walls-b")" >"$tmp/paired"
}

# uartflood untraced, with --trace, with --trace --trace-mmio, RUNS times
# each, in turn; the three medians in $tmp/flood-walls.
flood_walls() {
    local elf=$1 i v start end
    local -a extra=("" "--trace $tmp/flood.trace" "--trace $tmp/flood.trace --trace-mmio")
    for v in 0 1 2; do : >"$tmp/flood-$v"; done
    for ((i = 0; i < RUNS; i++)); do
        for v in 0 1 2; do
            start=$(now)
            # shellcheck disable=SC2086
            "$a64sim" run "$elf" ${extra[$v]} </dev/null >/dev/null 2>&1
            end=$(now)
            awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f\n", e - s }' >>"$tmp/flood-$v"
        done
    done
    echo "$(median <"$tmp/flood-0") $(median <"$tmp/flood-1") $(median <"$tmp/flood-2")" \
        >"$tmp/flood-walls"
}

# "$1 / $2 - 1" as a percentage with two decimals.
overhead() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%+.2f%%", (a / b - 1) * 100; else print "n/a" }'
}

# Host instructions (callgrind Ir) of the command "$@".
ir_of() {
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$@" </dev/null >/dev/null \
        2>"$tmp/cg.err"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/cg.err" | tail -n 1
}

# Host instructions (callgrind Ir) per guest instruction for A64SIM on intmix.
ir_per_insn() {
    local sim=$1 insns=30000000 ir
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$sim" run "$intmix" \
        --max-insns "$insns" </dev/null >/dev/null 2>"$tmp/cg.err"
    ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/cg.err" | tail -n 1)
    [ -n "$ir" ] || { echo error; return; }
    awk -v i="$ir" -v n="$insns" 'BEGIN { printf "%.3f", i / n }'
}

trace_costs() {
    local intmix flood off base ir ir_base wall_off wall_tr wall_mmio wall_insns recs
    intmix=$(printf '%s\n' "$@" | grep '/intmix\.elf$' | head -n 1)
    flood=$BUILD/trace-guest/uartflood.elf
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
    echo "bench: trace costs: tracing off" >&2
    if [ -n "${BENCH_BASELINE:-}" ] && [ -x "$BENCH_BASELINE" ]; then
        paired_walls "$a64sim" "$BENCH_BASELINE" run "$intmix"
        read -r off base <"$tmp/paired"
        echo "| tracing off, intmix: wall s (median of $RUNS, alternating with the baseline) |" \
            "$(fmt "$off" %.3f) (baseline $(fmt "$base" %.3f), $(overhead "$off" "$base")) |" \
            "< 2% over a build without tracing |"
    else
        off=$(median_run "$a64sim" run "$intmix")
        echo "| tracing off, intmix: wall s (median of $RUNS) | $(fmt "$off" %.3f)" \
            "(set BENCH_BASELINE to compare) | < 2% over a build without tracing |"
    fi
    if command -v valgrind >/dev/null 2>&1; then
        ir=$(ir_per_insn "$a64sim")
        line="| tracing off, intmix: host instructions per guest instruction (callgrind) | $ir"
        if [ -n "${BENCH_BASELINE:-}" ] && [ -x "$BENCH_BASELINE" ]; then
            ir_base=$(ir_per_insn "$BENCH_BASELINE")
            line="$line (baseline $ir_base, $(overhead "$ir" "$ir_base"))"
        fi
        echo "$line | < 2% |"
    fi
    # 2. The default trace level on a device-heavy guest.
    echo "bench: trace costs: uartflood untraced, --trace, --trace --trace-mmio" >&2
    flood_walls "$flood"
    read -r wall_off wall_tr wall_mmio <"$tmp/flood-walls"
    # 2a. Interrupt-level tracing on the interrupt benchmark (irqstorm, 2 PEs).
    local storm=$BUILD/bench/irqstorm.elf
    if [ -x "$storm" ] || [ -e "$storm" ]; then
        echo "bench: trace costs: irqstorm untraced and with --trace" >&2
        : >"$tmp/storm-0"
        : >"$tmp/storm-1"
        local i start end
        for ((i = 0; i < RUNS; i++)); do
            start=$(now)
            "$a64sim" run "$storm" --cpus 2 </dev/null >/dev/null 2>&1
            end=$(now)
            awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f\n", e - s }' >>"$tmp/storm-0"
            start=$(now)
            "$a64sim" run "$storm" --cpus 2 --trace "$tmp/storm.trace" </dev/null >/dev/null 2>&1
            end=$(now)
            awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f\n", e - s }' >>"$tmp/storm-1"
        done
        local s_off s_tr
        s_off=$(median <"$tmp/storm-0")
        s_tr=$(median <"$tmp/storm-1")
        echo "| --trace on irqstorm (the interrupt benchmark: every interrupt transition, line and PMR write recorded): wall s | $(fmt "$s_tr" %.3f) vs $(fmt "$s_off" %.3f) untraced, $(overhead "$s_tr" "$s_off") | < 20% |"
    fi
    echo "| --trace on uartflood (device-bound): wall s | $(fmt "$wall_tr" %.3f) vs $(fmt "$wall_off" %.3f) untraced, $(overhead "$wall_tr" "$wall_off") | (no target) |"
    echo "| --trace --trace-mmio on uartflood: wall s | $(fmt "$wall_mmio" %.3f), $(overhead "$wall_mmio" "$wall_off") | (every device access recorded) |"
    if command -v valgrind >/dev/null 2>&1; then
        # Host instructions do not depend on what else the host is doing.
        local ir_off ir_tr ir_mmio
        ir_off=$(ir_of "$a64sim" run "$flood")
        ir_tr=$(ir_of "$a64sim" run "$flood" --trace "$tmp/flood.trace")
        ir_mmio=$(ir_of "$a64sim" run "$flood" --trace "$tmp/flood.trace" --trace-mmio)
        echo "| --trace on uartflood: host instructions (callgrind) | $ir_tr vs $ir_off untraced, $(overhead "$ir_tr" "$ir_off"); with --trace-mmio $(overhead "$ir_mmio" "$ir_off") | < 20% |"
    fi
    rm -f "$tmp/flood.trace"
    # 3. Instruction records.
    echo "bench: trace costs: --trace-insns" >&2
    wall_insns=$(median_run "$a64sim" run "$intmix" --max-insns 30000000 --trace "$tmp/insns.trace" --trace-insns)
    recs=$(awk -v w="$wall_insns" 'BEGIN { if (w > 0) printf "%.1f", 30000001 / w / 1e6; else print "n/a" }')
    echo "| --trace-insns, intmix 30M instructions to a file: records per second | ${recs}M ($(fmt "$wall_insns" %.3f) s, $(( $(stat -c %s "$tmp/insns.trace" 2>/dev/null || echo 0) / 1000000 )) MB) | >= 20M |"
    rm -f "$tmp/insns.trace"
}

report "$@" >"$tmp/report.md"
cp "$tmp/report.md" "$out"
cat "$out"
