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

# a64sim runs: same instruction count every time, or the run is not deterministic.
a64sim_runs() {
    local elf=$1 i start end counts note=same
    : >"$tmp/walls"
    : >"$tmp/counts"
    for ((i = 0; i < RUNS; i++)); do
        start=$(now)
        if ! "$a64sim" run "$elf" </dev/null >/dev/null 2>"$tmp/stderr"; then
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

row() {
    local elf=$1 name sim wall insns cycles note mips tcg icount
    name=$(basename "$elf" .elf)
    echo "bench: $name: a64sim x$RUNS" >&2
    if ! sim=$(a64sim_runs "$elf"); then
        echo "bench: $name: a64sim run failed" >&2
        echo "| $name | error | error | error | error | n/a | n/a | n/a | n/a |"
        return
    fi
    read -r wall insns cycles note <<<"$sim"
    mips=$(awk -v i="$insns" -v w="$wall" 'BEGIN { printf "%.1f", i / w / 1e6 }')
    if [ "$note" = varies ]; then
        # The simulator promises identical runs; make a broken promise visible in the table.
        insns="$insns (varies between runs!)"
    fi
    if ! $have_qemu; then
        echo "| $name | $insns | $cycles | $(fmt "$wall" %.3f) | $mips | n/a | n/a | n/a | n/a |"
        return
    fi
    echo "bench: $name: qemu TCG x$RUNS, qemu icount x$RUNS" >&2
    tcg=$(median_wall timeout 120 "${QEMU_CMD[@]}" -kernel "$elf")
    icount=$(median_wall timeout 120 "${QEMU_CMD[@]}" -icount shift=0 -kernel "$elf")
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
    rows=$(for elf in "$@"; do row "$elf"; done)
    printf '%s\n' "$rows"
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
    if [ -x "$SCHED_BENCH" ]; then
        echo
        echo "Scheduler micro-benchmark (\`$SCHED_BENCH\`):"
        echo
        echo '```'
        "$SCHED_BENCH" </dev/null 2>&1 || echo "(exit $?)"
        echo '```'
    fi
}

report "$@" >"$tmp/report.md"
cp "$tmp/report.md" "$out"
cat "$out"
