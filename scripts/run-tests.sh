#!/usr/bin/env bash
# Run Check unit-test binaries and add up their results.
#   scripts/run-tests.sh LABEL BINARY...
# Prints one line per suite and "LABEL: N passed, N failed"; records the
# totals in $BUILD/check/LABEL.result for scripts/check-summary.sh.
set -u
label=$1; shift
build=${BUILD:-build}
mkdir -p "$build/check"
passed=0; failed=0; status=0
for bin in "$@"; do
  name=$(basename "$bin")
  out=$("$bin" 2>&1); rc=$?
  line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -n 1)
  if [ -z "$line" ]; then
    echo "  $name: no Check summary (exit $rc)"; printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
    failed=$((failed + 1)); status=1; continue
  fi
  n=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
  f=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
  e=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
  bad=$((f + e))
  passed=$((passed + n - bad)); failed=$((failed + bad))
  if [ "$bad" -ne 0 ] || [ "$rc" -ne 0 ]; then
    status=1
    echo "  $name: $((n - bad)) passed, $bad failed"
    printf '%s\n' "$out" | grep -E ':(F|E):' | head -n 30 | sed 's/^/    /'
  else
    echo "  $name: $n passed"
  fi
done
echo "$passed $failed" > "$build/check/$label.result"
echo "$label: $passed passed, $failed failed"
exit $status
