/* The one-PE rig of the SIMD&FP unit tests (test_fp.c, test_fpsimd.c,
 * test_simd_arith.c, test_simd_misc.c, test_simd_perm.c).
 *
 * One PE (index 0, MPIDR 0x8000_0000, HVC conduit, the default cost model)
 * at EL1, or at EL2 when a test asks, on a bus with nothing but RAM:
 * RAM_SIZE bytes at RAM_BASE = 0x4000_0000. The MMU is off, so VA == PA and
 * every data access is to Device memory and must be aligned to its size.
 * VBAR_ELx is 0 after reset, where nothing is mapped: an exception stops the
 * PE with its fault recorded, unless the test installs vectors (rig_vectors).
 *
 * A program is a list of words at CODE, after the FPEN prologue when the
 * test wants SIMD&FP enabled (CPACR_EL1.FPEN = 0b11; the PE resets with
 * FPEN = 0b00, which traps), and ends with WFI, where cpu_run() stops.
 * Capstone checks instruction words against their disassembly (A()) for the
 * tests that open it (rig_setup_with_capstone).
 *
 * Header-only: a test includes it once and gets the rig's state (bus, cc,
 * pe, cs) and helpers as statics; everything is static inline so that a test
 * need not use all of it. Helpers particular to one test stay in its file. */
#ifndef A64SIM_TESTS_UNIT_PE_RIG_H
#define A64SIM_TESTS_UNIT_PE_RIG_H

#include "cpu/cost.h"
#include "cpu/cpu.h"
#include "cpu/cpu_internal.h"
#include "sim/bus.h"

#include <capstone.h>
#include <check.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define RAM_BASE   0x40000000ull
#define RAM_SIZE   (1ull << 20)
#define CODE       RAM_BASE
#define RUN_CYCLES 100000ull /* run_to_wfi()'s budget */

#define INSN_WFI 0xd503207fu /* wfi */
/* The FPEN prologue: CPACR_EL1.FPEN = 0b11, then the context synchronisation
 * that makes the write visible to the instructions after it. X17 is used. */
#define RIG_FPEN_WORDS 3u
static const uint32_t rig_fpen_prologue[RIG_FPEN_WORDS] = {
    0xd2a00611u, /* mov x17, #0x300000 */
    0xd5181051u, /* msr cpacr_el1, x17 */
    0xd5033fdfu, /* isb */
};

static struct bus *bus;
static struct code_cache *cc;
static struct cpu *pe;
static csh cs;
static bool cs_opened;

/* ---- set-up and teardown ---- */

/* A fresh bus, code cache and PE at EL (1 or 2); load a program next. */
static inline void rig_new(unsigned el)
{
    bus = bus_new(RAM_BASE, RAM_SIZE);
    ck_assert_ptr_nonnull(bus);
    cc = code_cache_new(bus, &cost_default);
    ck_assert_ptr_nonnull(cc);
    pe = cpu_new(&(struct cpu_config){.index = 0,
                                      .mpidr = 1ull << 31,
                                      .el = el,
                                      .bus = bus,
                                      .code = cc,
                                      .cost = &cost_default,
                                      .conduit = CONDUIT_HVC});
    ck_assert_ptr_nonnull(pe);
}

/* The checked fixtures: a PE at EL1, with Capstone open or not. */
static inline void rig_setup(void)
{
    rig_new(1);
}

static inline void rig_setup_with_capstone(void)
{
    rig_new(1);
    ck_assert_int_eq(cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs), CS_ERR_OK);
    cs_opened = true;
}

static inline void rig_teardown(void)
{
    if (cs_opened)
        cs_close(&cs);
    cs_opened = false;
    cpu_free(pe);
    code_cache_free(cc);
    bus_free(bus);
}

/* ---- RAM ---- */

static inline uint8_t *ram(uint64_t pa)
{
    return bus_ram_host(bus) + (pa - RAM_BASE);
}

static inline uint32_t *ram32(uint64_t pa)
{
    return (uint32_t *)ram(pa);
}

static inline void poke64(uint64_t pa, uint64_t v)
{
    memcpy(ram(pa), &v, 8);
}

static inline uint64_t peek64(uint64_t pa)
{
    uint64_t v;
    memcpy(&v, ram(pa), 8);
    return v;
}

/* ---- programs ---- */

/* At CODE: the FPEN prologue when FP_ON, the N words, WFI. The PE is not
 * reset. */
static inline void rig_put_program(bool fp_on, const uint32_t *words, size_t n)
{
    uint32_t *p = ram32(CODE);
    if (fp_on) {
        memcpy(p, rig_fpen_prologue, sizeof(rig_fpen_prologue));
        p += RIG_FPEN_WORDS;
    }
    memcpy(p, words, 4 * n);
    p[n] = INSN_WFI;
}

/* rig_put_program(), then reset the PE to start at CODE. */
static inline void rig_load(bool fp_on, const uint32_t *words, size_t n)
{
    rig_put_program(fp_on, words, n);
    cpu_reset(pe, CODE, 0);
}

/* A vector table at BASE for EL (VBAR_ELx = BASE) whose every entry is INSN:
 * WFI to stop at the first exception, B . to spin in it. Call after reset. */
static inline void rig_vectors(unsigned el, uint64_t base, uint32_t insn)
{
    for (unsigned i = 0; i < 0x800 / 4; i++)
        *ram32(base + 4 * i) = insn;
    pe->vbar[el] = base;
}

/* Run for at most CYCLES; the PE must stop in WFI (its own or a vector's). */
static inline void run_to_wfi_within(uint64_t cycles)
{
    enum cpu_state st = cpu_run(pe, cpu_cycles(pe) + cycles);
    const struct cpu_fault *f = cpu_fault(pe);
    ck_assert_msg(st == CPU_WAIT_WFI, "stopped in state %d (%s at pc %#" PRIx64 ")", st,
                  cpu_fault_kind_name(f->kind), f->pc);
}

static inline void run_to_wfi(void)
{
    run_to_wfi_within(RUN_CYCLES);
}

/* ---- registers: V as (low, high) 64-bit halves ---- */

static inline void set_v(unsigned n, uint64_t lo, uint64_t hi)
{
    cpu_set_v(pe, n, (const uint64_t[2]){lo, hi});
}

static inline void assert_v(unsigned n, uint64_t lo, uint64_t hi)
{
    uint64_t v[2];
    cpu_get_v(pe, n, v);
    ck_assert_msg(v[0] == lo && v[1] == hi,
                  "V%u = %016" PRIx64 "_%016" PRIx64 ", expected %016" PRIx64 "_%016" PRIx64, n,
                  v[1], v[0], hi, lo);
}

static inline void assert_fpsr(uint32_t want)
{
    uint32_t got = cpu_get_fpsr(pe);
    ck_assert_msg(got == want, "FPSR = %08x, expected %08x", got, want);
}

#define ASSERT_X(n, v) ck_assert_uint_eq(cpu_get_x(pe, (n)), (uint64_t)(v))

/* ---- Capstone: the oracle for encodings ---- */

/* WORD, after checking that Capstone prints it as TEXT ("mnemonic operands"). */
static inline uint32_t A(const char *text, uint32_t word)
{
    char buf[256] = "(invalid)";
    cs_insn *insn;
    size_t n = cs_disasm(cs, (const uint8_t *)&word, 4, 0, 1, &insn);
    if (n) {
        snprintf(buf, sizeof(buf), "%s%s%s", insn[0].mnemonic, insn[0].op_str[0] ? " " : "",
                 insn[0].op_str);
        cs_free(insn, n);
    }
    if (strcmp(buf, text) != 0)
        ck_abort_msg("word %08x disassembles as \"%s\", expected \"%s\"", word, buf, text);
    return word;
}

#endif
