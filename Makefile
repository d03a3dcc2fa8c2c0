# a64sim — the one entry point.
#   make          build build/a64sim (and the guests, when the cross compiler is present)
#   make run      install missing Debian packages, build, run the demo guest headless
#   make check    every test: unit suites (plain and ASan+UBSan), guest tests, trace tests,
#                 observer and totals tests, QEMU comparisons, doc examples, a fuzz sample
#   make bench    throughput report (bench/report.md)
#   make fuzz     the libFuzzer targets and the fuzz generators, FUZZ_SECONDS (60) each
#   make clean

BUILD   ?= build
CC      ?= cc
CFLAGS_BASE = -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -I. -g
OPT     ?= -O2
PKGS    = libelf capstone
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)
CFLAGS  = $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS)
LDLIBS  = $(PKG_LIBS) -lfdt -lm

SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_DIRS = sim cpu gic timer pmr loader traces
LIB_SRCS = $(filter-out sim/main.c,$(sort $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))))
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNIT_NAMES = $(patsubst tests/unit/%.c,%,$(UNIT_SRCS))

# Two configurations of the same sources: plain (build/) and sanitized (build/asan/).
LIB_OBJS      = $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
LIB_OBJS_ASAN = $(patsubst %.c,$(BUILD)/asan/obj/%.o,$(LIB_SRCS))
UNIT_BINS      = $(patsubst %,$(BUILD)/tests/%,$(UNIT_NAMES))
UNIT_BINS_ASAN = $(patsubst %,$(BUILD)/asan/tests/%,$(UNIT_NAMES))

A64SIM = $(BUILD)/a64sim

.PHONY: all run check check-unit check-unit-asan check-guest check-trace check-observer check-diff check-gdb bench clean deps \
	format difftest fuzz
all: $(A64SIM) guests

deps:
	@bash scripts/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/asan/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -O1 $(PKG_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libsim.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/asan/libsim.a: $(LIB_OBJS_ASAN)
	@rm -f $@
	ar rcs $@ $^

$(A64SIM): $(BUILD)/obj/sim/main.o $(BUILD)/libsim.a
	$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/asan/a64sim: $(BUILD)/asan/obj/sim/main.o $(BUILD)/asan/libsim.a
	$(CC) $(CFLAGS_BASE) $(SAN_FLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -MMD -MP $< $(BUILD)/libsim.a $(CHECK_LIBS) $(LDLIBS) -o $@

$(BUILD)/asan/tests/%: tests/unit/%.c $(BUILD)/asan/libsim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_BASE) -O1 $(PKG_CFLAGS) $(SAN_FLAGS) $(CHECK_CFLAGS) -MMD -MP $< $(BUILD)/asan/libsim.a $(CHECK_LIBS) $(LDLIBS) -o $@

# Guest programs (tests/guest/, bench/guests/), built with Debian's cross compiler.
include tests/guest/guest.mk
include tests/trace/trace.mk
.PHONY: guests
guests: $(GUEST_ELFS) $(BENCH_ELFS) $(TRACE_GUEST_ELFS)

$(BUILD)/bench/sched_bench: bench/sched_bench.c sim/sched.c sim/sched.h sim/host.c sim/host.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) bench/sched_bench.c sim/sched.c sim/host.c -o $@

run: deps
	@$(MAKE) --no-print-directory $(A64SIM) $(BUILD)/guest/demo.elf
	$(A64SIM) run $(BUILD)/guest/demo.elf

check: deps
	@rm -rf $(BUILD)/check
	@$(MAKE) --no-print-directory -k check-unit check-unit-asan check-guest check-trace check-observer check-diff check-linux-boot \
	    check-doc check-fuzz check-gdb; \
	  rc=$$?; BUILD=$(BUILD) bash scripts/check-summary.sh && exit $$rc

check-unit: $(UNIT_BINS)
	@BUILD=$(BUILD) bash scripts/run-tests.sh unit $(UNIT_BINS)

check-unit-asan: $(UNIT_BINS_ASAN) $(BUILD)/asan/a64sim
	@BUILD=$(BUILD) bash scripts/run-tests.sh unit-asan $(UNIT_BINS_ASAN)

check-guest: $(A64SIM) $(BUILD)/asan/a64sim guests
	@A64SIM=$(A64SIM) A64SIM_ASAN=$(BUILD)/asan/a64sim BUILD=$(BUILD) bash scripts/guest-tests.sh

# Debian's arm64 kernel (scripts/get-linux.sh: apt-get download, cached in $(BUILD)/linux) to a
# busybox /init: `make check` boots it on 1 and 2 PEs at EL1, at EL2 with KVM, and twice for
# determinism; `make check-linux` adds 4 PEs, --cpu a57, nVHE and QEMU's GICv3 probe lines.
.PHONY: check-linux-boot check-linux
check-linux-boot: $(A64SIM)
	@A64SIM=$(A64SIM) BUILD=$(BUILD) bash scripts/linux-tests.sh

check-linux: $(A64SIM)
	@A64SIM=$(A64SIM) BUILD=$(BUILD) bash scripts/linux-tests.sh --all

# Observers change nothing: every guest with and without tracing and --explain-at.
check-observer: $(A64SIM) guests
	@A64SIM=$(A64SIM) BUILD=$(BUILD) bash scripts/observer-tests.sh

# The gdb stub under gdb-multiarch (scripts/gdb-tests.sh, docs/debugging.md): breakpoints,
# registers, memory, watchpoints, steps, PEs as threads, monitor commands, reverse execution,
# replay, malformed packets, and runs with a reading session identical to runs without; with
# the plain and the ASan+UBSan build; results in $(BUILD)/check/gdb.result and gdb-asan.result.
.PHONY: check-gdb
check-gdb: $(A64SIM) $(BUILD)/asan/a64sim guests
	@rc=0; A64SIM=$(A64SIM) BUILD=$(BUILD) bash scripts/gdb-tests.sh || rc=1; \
	  A64SIM=$(BUILD)/asan/a64sim BUILD=$(BUILD) RESULT=gdb-asan bash scripts/gdb-tests.sh || rc=1; \
	  exit $$rc

# Trace files (scripts/trace-tests.sh): record, replay, determinism, the golden
# dump, the timeline JSON, every bad-input case; results in $(BUILD)/check/trace.result.
check-trace: $(A64SIM) $(BUILD)/asan/a64sim guests
	@A64SIM=$(A64SIM) A64SIM_ASAN=$(BUILD)/asan/a64sim BUILD=$(BUILD) bash scripts/trace-tests.sh

# The shell examples of README.md and docs/ (scripts/doc-tests.sh, docs/testing.md);
# results in $(BUILD)/check/doc.result.
.PHONY: check-doc
check-doc: $(A64SIM) guests
	@BUILD=$(BUILD) bash scripts/doc-tests.sh

# Fuzzing (tests/fuzz/, docs/testing.md "Fuzzing"). `make fuzz`: the libFuzzer targets
# (trace reader, ELF loader, stimulus and cost parsers; tests/fuzz/fuzz.mk) for
# FUZZ_SECONDS each, then the generators (scripts/fuzz.sh) from a random seed for
# FUZZ_SECONDS in all. `make check-fuzz`: the generators' fixed-seed sample (about a
# minute), results in $(BUILD)/check/fuzz.result; failing inputs in $(BUILD)/fuzz/failures/.
fuzz: $(BUILD)/fuzz/fuzz_trace_reader $(A64SIM) $(BUILD)/asan/a64sim guests
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) -f tests/fuzz/fuzz.mk fuzz-targets
	@rc=0; BUILD=$(BUILD) A64SIM=$(A64SIM) FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh || rc=1; \
	  BUILD=$(BUILD) A64SIM=$(A64SIM) A64SIM_ASAN=$(BUILD)/asan/a64sim bash scripts/fuzz.sh \
	    --seed random --total-seconds $(FUZZ_SECONDS) || rc=1; exit $$rc

.PHONY: check-fuzz
check-fuzz: $(A64SIM) $(BUILD)/asan/a64sim guests
	@BUILD=$(BUILD) A64SIM=$(A64SIM) A64SIM_ASAN=$(BUILD)/asan/a64sim bash scripts/fuzz.sh \
	  --seed 1 --budget 85

# Differential test against qemu-aarch64 (tests/diff/, scripts/difftest.sh): random
# instruction sequences per group, run in both; X0-X30, NZCV, SP, V0-V31, FPCR, FPSR and
# the buffer compared. --insns is per group set: gen.py's core groups, then each generator
# module tests/diff/gen_*.py (found automatically), so a new module adds its own budget.
# DIFFTEST_SKIP=lse leaves a group out; DIFFTEST_SEED picks other sequences.
DIFFTEST_SEED ?= 1
DIFFTEST_SKIP ?=
DIFFTEST_ARGS = --seed $(DIFFTEST_SEED) $(if $(DIFFTEST_SKIP),--skip $(DIFFTEST_SKIP))

difftest: $(A64SIM)
	@A64SIM=$(A64SIM) BUILD=$(BUILD) bash scripts/difftest.sh full --insns 1000000 $(DIFFTEST_ARGS)

check-diff: $(A64SIM)
	@A64SIM=$(A64SIM) BUILD=$(BUILD) bash scripts/difftest.sh check --insns 50000 $(DIFFTEST_ARGS)

bench: deps
	@$(MAKE) --no-print-directory $(A64SIM) $(BENCH_ELFS) $(TRACE_GUEST_ELFS) $(BUILD)/guest/smp_counter.elf $(BUILD)/bench/sched_bench
	BUILD=$(BUILD) bash scripts/bench.sh $(A64SIM) bench/report.md $(BENCH_ELFS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJS:.o=.d) $(LIB_OBJS_ASAN:.o=.d) $(BUILD)/obj/sim/main.d $(BUILD)/asan/obj/sim/main.d
-include $(UNIT_BINS:=.d) $(UNIT_BINS_ASAN:=.d)
