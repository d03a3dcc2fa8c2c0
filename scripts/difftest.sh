#!/usr/bin/env bash
# Differential test of a64sim against qemu-aarch64 (user mode) on random
# instruction sequences; the generator, harness and driver are in tests/diff/.
#
#   A64SIM=build/a64sim BUILD=build scripts/difftest.sh LABEL [difftest.py options]
#
# LABEL names the work directory, $BUILD/diff/LABEL (the files of failing
# programs stay there). The options go to tests/diff/difftest.py: --insns N
# (per group set: gen.py's core groups, and each tests/diff/gen_*.py module's),
# --seed N, --skip lse, --groups a,b, --jobs N, --max-reports N,
# --max-resumes N, --keep. One group: --groups NAME --insns N.
# Prints per-group counts and "difftest: N passed, N failed" (test cases);
# writes "PASSED FAILED" to $BUILD/check/diff.result for check-summary.sh.
# Without qemu-aarch64 it prints a SKIP line and records "0 0".
set -u
label=${1:?usage: $0 LABEL [difftest.py options]}
shift
A64SIM=${A64SIM:-build/a64sim}
BUILD=${BUILD:-build}
CROSS=${CROSS:-aarch64-linux-gnu-}
result=$BUILD/check/diff.result
mkdir -p "$BUILD/check"

if ! command -v qemu-aarch64 >/dev/null 2>&1; then
    echo "SKIP difftest (qemu-aarch64 not installed)"
    echo "0 0" >"$result"
    echo "difftest: 0 passed, 0 failed"
    exit 0
fi
for tool in "${CROSS}as" "${CROSS}gcc" "${CROSS}nm" "${CROSS}objdump" python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "difftest: $tool not found (make deps installs it)"
        echo "0 1" >"$result"
        echo "difftest: 0 passed, 1 failed"
        exit 1
    fi
done
if [ ! -x "$A64SIM" ]; then
    echo "difftest: $A64SIM: not an executable"
    echo "0 1" >"$result"
    exit 1
fi

CROSS=$CROSS exec python3 tests/diff/difftest.py --a64sim "$A64SIM" --work "$BUILD/diff/$label" \
    --result "$result" "$@"
