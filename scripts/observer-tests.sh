#!/usr/bin/env bash
# Observing is free: every guest in tests/guest and bench/guests runs with
# and without --trace, --trace --trace-insns, and several --explain-at points
# (cycles, interrupts becoming pending, a PC), and each run must print the
# same guest output, exit with the same code, and retire the same
# instructions in the same cycles on every PE.
#
# The unobserved run's counts must also match tests/guest/totals.expected:
# any change to what a guest retires or how many cycles it takes, on any
# PE, shows there. A change made on purpose (a new cost, a model fix) is
# recorded with --update and shows in the diff of that file.
#
#   A64SIM=build/a64sim BUILD=build scripts/observer-tests.sh [--update]
set -u
A64SIM=${A64SIM:-build/a64sim}
BUILD=${BUILD:-build}
CROSS=${CROSS:-aarch64-linux-gnu-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
. scripts/guest-args.sh
TOTALS=tests/guest/totals.expected
update=false
[ "${1:-}" = --update ] && update=true && : > "$tmp/totals.new"

# Long guests stop at a bound: the counts at the bound must agree too.
LIMIT="--max-insns 3000000"
# The summary without the host's wall time.
counts() { grep -E "instructions retired|^a64sim: pe[0-9]+: [0-9]+ instructions" "$1" | sed -E 's/, [0-9.]+ s wall.*//'; }

# run TAG ELF ARGS...: out, err and exit code in $tmp/TAG.{out,err,rc}
run() {
  local tag=$1; shift
  timeout 120 "$A64SIM" run "$@" </dev/null >"$tmp/$tag.out" 2>"$tmp/$tag.err"
  echo $? > "$tmp/$tag.rc"
}

same() { # NAME TAG: TAG's run matches NAME's baseline
  local name=$1 tag=$2
  if ! cmp -s "$tmp/base.out" "$tmp/$tag.out"; then
    echo "guest output differs"; return 1
  fi
  if ! cmp -s "$tmp/base.rc" "$tmp/$tag.rc"; then
    echo "exit code $(cat "$tmp/$tag.rc"), baseline $(cat "$tmp/base.rc")"; return 1
  fi
  if [ "$(counts "$tmp/base.err")" != "$(counts "$tmp/$tag.err")" ] || [ -z "$(counts "$tmp/base.err")" ]; then
    echo "counts differ: $(counts "$tmp/base.err" | tr '\n' ' ') vs $(counts "$tmp/$tag.err" | tr '\n' ' ')"; return 1
  fi
  return 0
}

echo "observers: --trace, --trace-insns and --explain-at change no guest's run"
for elf in "$BUILD"/guest/*.elf "$BUILD"/bench/*.elf; do
  name=$(basename "$elf" .elf)
  case $elf in
    */bench/*) args=$(bench_args "$name" a64sim) ;;
    *) args=$(el_args "$name") ;;
  esac
  main=$("${CROSS}nm" "$elf" 2>/dev/null | sed -n 's/^\([0-9a-f]*\) T main$/\1/p')
  # shellcheck disable=SC2086
  run base "$elf" $args $LIMIT
  # shellcheck disable=SC2086
  run trace "$elf" $args $LIMIT --trace "$tmp/t.trace"
  rm -f "$tmp/t.trace"
  # shellcheck disable=SC2086
  run insns "$elf" $args $LIMIT --trace "$tmp/t.trace" --trace-insns
  rm -f "$tmp/t.trace"
  explain="--explain-at 1000 --explain-at 50001 --explain-at 333333 --explain-at irq:1"
  explain="$explain --explain-at irq:27 --explain-at irq:30 --explain-at irq:33"
  [ -n "$main" ] && explain="$explain --explain-at pc:0x$main"
  # shellcheck disable=SC2086
  run explain "$elf" $args $LIMIT $explain
  bad=""
  for tag in trace insns explain; do
    why=$(same "$name" "$tag") || bad="$bad $tag: $why;"
  done
  line="$name: $(counts "$tmp/base.err" | tr '\n' '|' | sed 's/|$//')"
  if $update; then
    echo "$line" >> "$tmp/totals.new"
  elif ! grep -qxF -- "$line" "$TOTALS"; then
    bad="$bad counts differ from $TOTALS: $line;"
  fi
  # A run that reaches cycle 1000 must have explained that point.
  cycles=$(sed -nE 's/.* ([0-9]+) cycles simulated.*/\1/p' "$tmp/base.err")
  if [ "${cycles:-0}" -ge 1000 ] && ! grep -qF -- "--explain-at 1000: interrupt state" "$tmp/explain.err"; then
    bad="$bad no explanation printed;"
  fi
  if [ -z "$bad" ]; then
    passed=$((passed + 1)); echo "  PASS $name"
  else
    failed=$((failed + 1)); echo "  FAIL $name:$bad"
  fi
done

if $update; then
  cp "$tmp/totals.new" "$TOTALS"
  echo "observer: wrote $TOTALS"
fi
mkdir -p "$BUILD/check"
echo "$passed $failed" > "$BUILD/check/observer.result"
echo "observer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
