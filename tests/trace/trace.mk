# Makefile fragment for the trace work (included by the top-level Makefile):
# the guests of the trace tests (tests/trace/*.c, built like tests/guest/
# with guest.mk's cross compiler and runtime) and the reader's fuzzer.
#
#   TRACE_GUEST_ELFS   build/trace-guest/NAME.elf for every tests/trace/NAME.c
#   FUZZ_SECONDS       how long `make fuzz` runs the fuzzer (default 60)

TRACE_GUEST_NAMES := $(sort $(basename $(notdir $(wildcard tests/trace/*.c))))
TRACE_GUEST_ELFS  := $(patsubst %,$(BUILD)/trace-guest/%.elf,$(TRACE_GUEST_NAMES))

$(GUEST_OBJ_DIR)/trace/%.o: tests/trace/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_DEPFLAGS) -c $< -o $@

$(BUILD)/trace-guest/%.elf: $(GUEST_OBJ_DIR)/trace/%.o $(GUEST_RT_OBJS) $(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) $< $(GUEST_RT_OBJS) $(GUEST_LIBS) -o $@

.SECONDARY: $(TRACE_GUEST_NAMES:%=$(GUEST_OBJ_DIR)/trace/%.o)

# The reader's fuzzer (tests/fuzz/): libFuzzer when clang has it, else the
# deterministic mutation driver in tests/fuzz/mutate.c, both with ASan+UBSan.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_SRCS    := tests/fuzz/fuzz_trace_reader.c traces/format.c traces/reader.c traces/dump.c \
	traces/disasm.c traces/stats.c traces/pe_state.c
FUZZ_DEPS    := $(FUZZ_SRCS) $(wildcard traces/*.h) tests/fuzz/mutate.c
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION

$(BUILD)/fuzz/fuzz_trace_reader: $(FUZZ_DEPS) $(BUILD)/libsim.a
	@mkdir -p $(@D)
	@if echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' \
	    | $(FUZZ_CC) -x c -fsanitize=fuzzer - -o $(@D)/probe 2>/dev/null; then \
	  echo "fuzz: libFuzzer ($(FUZZ_CC) -fsanitize=fuzzer)"; \
	  $(FUZZ_CC) $(CFLAGS_BASE) -O1 $(PKG_CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) $(FUZZ_SRCS) \
	    $(BUILD)/libsim.a $(LDLIBS) -o $@; \
	else \
	  echo "fuzz: no libFuzzer; the deterministic mutation driver (tests/fuzz/mutate.c)"; \
	  $(CC) $(CFLAGS_BASE) -O1 $(PKG_CFLAGS) $(FUZZ_SAN) $(FUZZ_SRCS) tests/fuzz/mutate.c \
	    $(BUILD)/libsim.a $(LDLIBS) -o $@; \
	fi; rm -f $(@D)/probe
