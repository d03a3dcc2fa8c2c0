#!/usr/bin/env bash
# Add up the per-stage results of `make check` into one closing line.
set -u
build=${BUILD:-build}
passed=0; failed=0
for f in "$build"/check/*.result; do
  [ -f "$f" ] || continue
  read -r p q < "$f"
  passed=$((passed + p)); failed=$((failed + q))
done
echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
