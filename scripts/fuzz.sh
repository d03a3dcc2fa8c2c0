#!/usr/bin/env bash
# The fuzz generators (tests/fuzz/, docs/testing.md "Fuzzing"): random
# instruction streams, page tables and MMIO as guest ELFs, mutated ELF,
# trace, stimulus and cost files, random command lines, each case run under
# the ASan+UBSan a64sim and judged (tests/fuzz/fuzz.py says how).
#
#   BUILD=build bash scripts/fuzz.sh                       the fixed sample (make check-fuzz)
#   BUILD=build bash scripts/fuzz.sh --seed N --cases K    K cases per generator
#   BUILD=build bash scripts/fuzz.sh --seed random --seconds S   S seconds per generator
#   BUILD=build bash scripts/fuzz.sh --seed N --gen mmio --case I   case I again, kept
#   bash scripts/fuzz.sh --list                            the generators
#
# Prints PASS/FAIL per generator with its number of cases, then
# "fuzz: P passed, F failed" (generators), and writes "P F" to
# $BUILD/check/fuzz.result. Failing inputs and a one-line command that
# reproduces each go to $BUILD/fuzz/failures/. Exit 1 on any failure.
set -u
cd "$(dirname "$0")/.." || exit 2
export BUILD=${BUILD:-build}
export A64SIM=${A64SIM:-$BUILD/a64sim}
export A64SIM_ASAN=${A64SIM_ASAN:-$BUILD/asan/a64sim}
exec python3 tests/fuzz/fuzz.py "$@"
