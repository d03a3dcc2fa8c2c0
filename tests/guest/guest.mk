# Makefile fragment: builds the bare-metal guests (tests/guest/*.c) and the
# bench guests (bench/guests/*.c) with the cross compiler. Included by the
# top-level Makefile, so paths are relative to the repository root and every
# variable is prefixed GUEST_ (or BENCH_) to stay out of the host build's way.
#
#   GUEST_ELFS    build/guest/NAME.elf for every tests/guest/NAME.c
#   BENCH_ELFS    build/bench/NAME.elf for every bench/guests/NAME.c
#   GUEST_FP_NAMES, BENCH_FP_NAMES  the guests named fp_* or simd_*: compiled
#                 with the FP and Advanced SIMD registers (GUEST_FP_CFLAGS) and
#                 linked with the crt0 that enables them (GUEST_RT_OBJS_FP)
#   GUEST_HYP_OBJS  the reference hypervisor library (tests/guest/hyp/*.c), linked into
#                 the guests named vgic_* (GUEST_HYP_NAMES)
#   GUEST_QEMU_COMPARE  NAME:EXIT pairs for scripts/qemu-compare.sh (the guests
#                 that terminate; spin and wfi never do)
#   GUEST_HAVE_CROSS  "yes" when $(CROSS)gcc is on PATH, empty otherwise
#   targets guest-elfs and bench-elfs build each set.

BUILD ?= build
CROSS ?= aarch64-linux-gnu-

# Including this file must not change the includer's default goal.
GUEST_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

GUEST_CC      := $(CROSS)gcc
GUEST_HAVE_CROSS := $(if $(shell command -v $(GUEST_CC) 2>/dev/null),yes)
GUEST_RT_DIR  := tests/guest/runtime
GUEST_OBJ_DIR := $(BUILD)/guest-obj

# -mstrict-align: with the MMU off every data access is Device memory, where an
# unaligned access is an alignment fault. -fno-tree-loop-distribute-patterns:
# stops GCC turning the runtime's own copy loops into calls to memcpy/memset.
GUEST_CFLAGS := -O2 -march=armv8-a -mgeneral-regs-only -ffreestanding -fno-builtin-printf \
	-nostdlib -static -fno-pie -no-pie -fno-stack-protector -mno-outline-atomics \
	-mstrict-align -fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -I$(GUEST_RT_DIR)
GUEST_DEPFLAGS := -MMD -MP
# The FP/SIMD guests may use the vector registers (and -O2's auto-vectoriser); everything else
# stays as above, -mstrict-align included: with the MMU off their data is Device memory too.
GUEST_FP_CFLAGS := $(filter-out -mgeneral-regs-only,$(GUEST_CFLAGS))
GUEST_LDSCRIPT := $(GUEST_RT_DIR)/link.ld
GUEST_LDFLAGS  := -T $(GUEST_LDSCRIPT) -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-Wl,-z,max-page-size=0x1000
GUEST_LIBS     := -lgcc

GUEST_RT_SRCS := $(sort $(wildcard $(GUEST_RT_DIR)/*.c $(GUEST_RT_DIR)/*.S))
GUEST_RT_OBJS := $(patsubst $(GUEST_RT_DIR)/%,$(GUEST_OBJ_DIR)/runtime/%.o,$(GUEST_RT_SRCS))
# The same runtime with crt0.S assembled -DGUEST_ENABLE_FP: FP/SIMD traps off before main.
GUEST_CRT0_FP    := $(GUEST_OBJ_DIR)/runtime/crt0_fp.S.o
GUEST_RT_OBJS_FP := $(patsubst $(GUEST_OBJ_DIR)/runtime/crt0.S.o,$(GUEST_CRT0_FP),$(GUEST_RT_OBJS))

GUEST_NAMES := $(sort $(basename $(notdir $(wildcard tests/guest/*.c))))
BENCH_NAMES := $(sort $(basename $(notdir $(wildcard bench/guests/*.c))))
GUEST_ELFS  := $(patsubst %,$(BUILD)/guest/%.elf,$(GUEST_NAMES))
BENCH_ELFS  := $(patsubst %,$(BUILD)/bench/%.elf,$(BENCH_NAMES))
GUEST_FP_NAMES := $(filter fp_% simd_%,$(GUEST_NAMES))
BENCH_FP_NAMES := $(filter fp_% simd_%,$(BENCH_NAMES))

# The reference hypervisor library (tests/guest/hyp/*.c, design in hyp/hyp.h): compiled like the
# guests, with tests/guest and tests/guest/hyp on the include path, and linked into every guest
# named vgic_* (those guests see the same include path).
GUEST_HYP_DIR    := tests/guest/hyp
GUEST_HYP_CFLAGS := -Itests/guest -I$(GUEST_HYP_DIR)
GUEST_HYP_SRCS   := $(sort $(wildcard $(GUEST_HYP_DIR)/*.c))
GUEST_HYP_OBJS   := $(patsubst $(GUEST_HYP_DIR)/%.c,$(GUEST_OBJ_DIR)/hyp/%.o,$(GUEST_HYP_SRCS))
GUEST_HYP_NAMES  := $(filter vgic_%,$(GUEST_NAMES))

GUEST_QEMU_COMPARE := hello:0 demo:0 exit3:3 semihost:0 rtcheck:0 fp_softfloat:0 simd_string:0

.PHONY: guest-elfs bench-elfs
guest-elfs: $(GUEST_ELFS)
bench-elfs: $(BENCH_ELFS)

$(GUEST_OBJ_DIR)/runtime/%.c.o: $(GUEST_RT_DIR)/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_DEPFLAGS) -c $< -o $@

$(GUEST_OBJ_DIR)/runtime/%.S.o: $(GUEST_RT_DIR)/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_DEPFLAGS) -c $< -o $@

$(GUEST_OBJ_DIR)/guest/%.o: tests/guest/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_DEPFLAGS) -c $< -o $@

$(GUEST_OBJ_DIR)/bench/%.o: bench/guests/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_DEPFLAGS) -c $< -o $@

$(GUEST_CRT0_FP): $(GUEST_RT_DIR)/crt0.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_FP_CFLAGS) $(GUEST_DEPFLAGS) -DGUEST_ENABLE_FP -c $< -o $@

# Static pattern rules: they take precedence over the general pattern rules below.
$(GUEST_FP_NAMES:%=$(GUEST_OBJ_DIR)/guest/%.o): $(GUEST_OBJ_DIR)/guest/%.o: tests/guest/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_FP_CFLAGS) $(GUEST_DEPFLAGS) -c $< -o $@

$(BENCH_FP_NAMES:%=$(GUEST_OBJ_DIR)/bench/%.o): $(GUEST_OBJ_DIR)/bench/%.o: bench/guests/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_FP_CFLAGS) $(GUEST_DEPFLAGS) -c $< -o $@

$(GUEST_FP_NAMES:%=$(BUILD)/guest/%.elf): $(BUILD)/guest/%.elf: $(GUEST_OBJ_DIR)/guest/%.o \
		$(GUEST_RT_OBJS_FP) $(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_FP_CFLAGS) $(GUEST_LDFLAGS) $< $(GUEST_RT_OBJS_FP) $(GUEST_LIBS) -o $@

$(BENCH_FP_NAMES:%=$(BUILD)/bench/%.elf): $(BUILD)/bench/%.elf: $(GUEST_OBJ_DIR)/bench/%.o \
		$(GUEST_RT_OBJS_FP) $(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_FP_CFLAGS) $(GUEST_LDFLAGS) $< $(GUEST_RT_OBJS_FP) $(GUEST_LIBS) -o $@

$(GUEST_OBJ_DIR)/hyp/%.o: $(GUEST_HYP_DIR)/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_HYP_CFLAGS) $(GUEST_DEPFLAGS) -c $< -o $@

$(GUEST_HYP_NAMES:%=$(GUEST_OBJ_DIR)/guest/%.o): $(GUEST_OBJ_DIR)/guest/%.o: tests/guest/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_HYP_CFLAGS) $(GUEST_DEPFLAGS) -c $< -o $@

$(GUEST_HYP_NAMES:%=$(BUILD)/guest/%.elf): $(BUILD)/guest/%.elf: $(GUEST_OBJ_DIR)/guest/%.o \
		$(GUEST_HYP_OBJS) $(GUEST_RT_OBJS) $(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) $< $(GUEST_HYP_OBJS) $(GUEST_RT_OBJS) $(GUEST_LIBS) \
		-o $@

$(BUILD)/guest/%.elf: $(GUEST_OBJ_DIR)/guest/%.o $(GUEST_RT_OBJS) $(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) $< $(GUEST_RT_OBJS) $(GUEST_LIBS) -o $@

$(BUILD)/bench/%.elf: $(GUEST_OBJ_DIR)/bench/%.o $(GUEST_RT_OBJS) $(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) $< $(GUEST_RT_OBJS) $(GUEST_LIBS) -o $@

# The objects are intermediate files of a pattern chain; keep them for incremental builds.
.SECONDARY: $(GUEST_RT_OBJS) $(GUEST_CRT0_FP) $(GUEST_HYP_OBJS) $(GUEST_NAMES:%=$(GUEST_OBJ_DIR)/guest/%.o) \
	$(BENCH_NAMES:%=$(GUEST_OBJ_DIR)/bench/%.o)

-include $(wildcard $(GUEST_OBJ_DIR)/*/*.d)

.DEFAULT_GOAL := $(GUEST_SAVED_DEFAULT_GOAL)
