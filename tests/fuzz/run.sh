#!/usr/bin/env bash
# `make fuzz`, first half: the libFuzzer targets (tests/fuzz/fuzz_*.c), each
# for FUZZ_SECONDS (default 60) from its seed corpus:
#   fuzz_trace_reader  real and synthetic traces, a stimulus file
#   fuzz_elf_loader    small guest ELFs
#   fuzz_stimulus      stimulus files
#   fuzz_cost          cost files
# Exit 0 when none found anything; a crash leaves its input in $BUILD/fuzz/
# (libFuzzer: crash-*, leak-*, timeout-*) and its log in $BUILD/fuzz/NAME.log.
# (The second half of `make fuzz` is scripts/fuzz.sh: the generators.)
#
#   BUILD=build A64SIM=build/a64sim FUZZ_SECONDS=60 bash tests/fuzz/run.sh [NAME...]
set -u
BUILD=${BUILD:-build}
A64SIM=${A64SIM:-$BUILD/a64sim}
SECONDS_TO_RUN=${FUZZ_SECONDS:-60}
targets=${*:-fuzz_trace_reader fuzz_elf_loader fuzz_stimulus fuzz_cost}
F=$BUILD/fuzz
mkdir -p "$F"

# Seeds. The trace reader's keep their old directory names (seeds/, corpus/).
seeds=$F/seeds
mkdir -p "$seeds" "$F/corpus"
"$A64SIM" run "$BUILD/guest/hello.elf" --trace "$seeds/hello-insns.trace" --trace-insns \
  --trace-mmio >/dev/null 2>&1
"$A64SIM" run "$BUILD/guest/wfi.elf" --trace "$seeds/wfi.trace" >/dev/null 2>&1
printf '@100 uart-rx "hi\\n"\n@200 uart-rx "there."\n' >"$seeds/echo.stim"
"$A64SIM" run "$BUILD/trace-guest/uartecho.elf" --stimulus "$seeds/echo.stim" \
  --trace "$seeds/echo.trace" --trace-mmio >/dev/null 2>&1
python3 tests/trace/mktrace.py all-kinds "$seeds/all-kinds.trace" >/dev/null
python3 tests/trace/mktrace.py cut-short-in-block "$seeds/cut.trace" >/dev/null

mkdir -p "$F/seeds-elf" "$F/corpus-elf" "$F/seeds-stim" "$F/corpus-stim" "$F/seeds-cost" \
  "$F/corpus-cost"
for g in hello wfi exit3 semihost exc_el2 gic_mmio; do
  cp "$BUILD/guest/$g.elf" "$F/seeds-elf/" 2>/dev/null
done
cp tests/trace/spi_level.stim "$seeds/echo.stim" "$F/seeds-stim/"
printf '# comment\n@0x10 uart-rx "a\\x41\\t\\"q\\"" # c\r\n@16 spi 33 level 1\n@16 spi 1019 level 0\n' \
  >"$F/seeds-stim/mixed.stim"
printf '# a core with slower loads and multiplies\nload = 10\nmul = 5\n' >"$F/seeds-cost/slow.cost"
printf 'alu = 1\nmul = 3\ndiv = 12\nbranch = 1\nload = 3\nstore = 1\nmmio = 20\nsysreg = 2\nbarrier = 4\nhint = 1\nexception = 20\nexc_entry = 10\n' \
  >"$F/seeds-cost/all.cost"
printf 'load=65535 # max\r\n\n  exc_entry\t=\t1\n' >"$F/seeds-cost/odd.cost"

corpus_of() {
  case $1 in
  fuzz_trace_reader) echo "corpus seeds" ;;
  fuzz_elf_loader) echo "corpus-elf seeds-elf" ;;
  fuzz_stimulus) echo "corpus-stim seeds-stim" ;;
  fuzz_cost) echo "corpus-cost seeds-cost" ;;
  esac
}

cd "$F" || exit 2
failed=0
for t in $targets; do
  echo "fuzz: $t for $SECONDS_TO_RUN s (corpus in $F/$(corpus_of "$t" | cut -d' ' -f1))"
  start=$(date +%s)
  # shellcheck disable=SC2046 # two directory names
  FUZZ_TMPDIR=. "./$t" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 $(corpus_of "$t") >"$t.log" 2>&1
  rc=$?
  end=$(date +%s)
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|mutate:)|^#[0-9]+.*DONE' "$t.log"
  if [ $rc -ne 0 ]; then
    tail -n 40 "$t.log"
    echo "fuzz: $t FAILED after $((end - start)) s (exit $rc); log in $F/$t.log"
    failed=$((failed + 1))
  else
    echo "fuzz: $t ran $((end - start)) s, nothing found (log in $F/$t.log)"
  fi
done
# the trace reader's log under its old name too
[ -f fuzz_trace_reader.log ] && cp fuzz_trace_reader.log last-run.log
[ $failed -eq 0 ]
