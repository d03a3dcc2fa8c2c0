# Makefile fragment for the libFuzzer targets next to the trace reader's
# (tests/trace/trace.mk builds that one): the ELF loader, the stimulus
# parser and the cost parser. `make fuzz` loads it on top of the Makefile
# (make -f Makefile -f tests/fuzz/fuzz.mk fuzz-targets), so it uses the
# Makefile's variables and trace.mk's FUZZ_CC, FUZZ_SAN.
#
# Like the trace reader's: libFuzzer when $(FUZZ_CC) has it, else the
# deterministic mutation driver tests/fuzz/mutate.c, both with ASan+UBSan.
# The code under test is compiled into the fuzzer (instrumented); the rest
# of the simulator comes from $(BUILD)/libsim.a.

FUZZ_TARGETS := fuzz_elf_loader fuzz_stimulus fuzz_cost
FUZZ_TARGET_BINS := $(patsubst %,$(BUILD)/fuzz/%,$(FUZZ_TARGETS))
FUZZ_UNDER_TEST_fuzz_elf_loader := loader/elf.c
FUZZ_UNDER_TEST_fuzz_stimulus := traces/stimulus.c
FUZZ_UNDER_TEST_fuzz_cost := cpu/cost.c

.PHONY: fuzz-targets
fuzz-targets: $(FUZZ_TARGET_BINS)

$(FUZZ_TARGET_BINS): $(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_input_file.h tests/fuzz/mutate.c \
		loader/elf.c loader/elf.h traces/stimulus.c traces/stimulus.h cpu/cost.c cpu/cost.h \
		$(BUILD)/libsim.a
	@mkdir -p $(@D)
	@if echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
	    | $(FUZZ_CC) -x c -fsanitize=fuzzer - -o $@.probe 2>/dev/null; then \
	  echo "fuzz: $* with libFuzzer ($(FUZZ_CC) -fsanitize=fuzzer)"; \
	  $(FUZZ_CC) $(CFLAGS_BASE) -O1 $(PKG_CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) $< \
	    $(FUZZ_UNDER_TEST_$*) $(BUILD)/libsim.a $(LDLIBS) -o $@; \
	else \
	  echo "fuzz: $* without libFuzzer: the deterministic mutation driver (tests/fuzz/mutate.c)"; \
	  $(CC) $(CFLAGS_BASE) -O1 $(PKG_CFLAGS) $(FUZZ_SAN) $< $(FUZZ_UNDER_TEST_$*) \
	    tests/fuzz/mutate.c $(BUILD)/libsim.a $(LDLIBS) -o $@; \
	fi; rc=$$?; rm -f $@.probe; exit $$rc
