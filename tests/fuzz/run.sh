#!/usr/bin/env bash
# `make fuzz`: build a seed corpus of real and synthetic traces, then run the
# reader's fuzzer for FUZZ_SECONDS (default 60). Exit 0 when it found
# nothing; a crash leaves its input in $BUILD/fuzz/ (libFuzzer: crash-*).
#
#   BUILD=build A64SIM=build/a64sim FUZZ_SECONDS=60 bash tests/fuzz/run.sh
set -u
BUILD=${BUILD:-build}
A64SIM=${A64SIM:-$BUILD/a64sim}
SECONDS_TO_RUN=${FUZZ_SECONDS:-60}
FUZZER=$BUILD/fuzz/fuzz_trace_reader
corpus=$BUILD/fuzz/corpus
seeds=$BUILD/fuzz/seeds
mkdir -p "$corpus" "$seeds"

# Seeds: small real recordings (every record kind the machine writes today)
# and the hand-encoded trace with every kind; plus a stimulus file.
"$A64SIM" run "$BUILD/guest/hello.elf" --trace "$seeds/hello-insns.trace" --trace-insns \
  --trace-mmio >/dev/null 2>&1
"$A64SIM" run "$BUILD/guest/wfi.elf" --trace "$seeds/wfi.trace" >/dev/null 2>&1
printf '@100 uart-rx "hi\\n"\n@200 uart-rx "there."\n' >"$seeds/echo.stim"
"$A64SIM" run "$BUILD/trace-guest/uartecho.elf" --stimulus "$seeds/echo.stim" \
  --trace "$seeds/echo.trace" --trace-mmio >/dev/null 2>&1
python3 tests/trace/mktrace.py all-kinds "$seeds/all-kinds.trace" >/dev/null
python3 tests/trace/mktrace.py cut-short-in-block "$seeds/cut.trace" >/dev/null

echo "fuzz: $FUZZER for $SECONDS_TO_RUN s (seeds in $seeds, corpus in $corpus)"
cd "$BUILD/fuzz" || exit 2
start=$(date +%s)
./fuzz_trace_reader -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 corpus seeds >last-run.log 2>&1
rc=$?
end=$(date +%s)
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|mutate:)|^#[0-9]+.*DONE' last-run.log
if [ $rc -ne 0 ]; then
  tail -n 40 last-run.log
  echo "fuzz: FAILED after $((end - start)) s (exit $rc); log in $BUILD/fuzz/last-run.log"
  exit 1
fi
echo "fuzz: ran $((end - start)) s, nothing found (log in $BUILD/fuzz/last-run.log)"
