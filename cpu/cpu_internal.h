/* Inside one AArch64 PE: shared by the files of cpu/ only.
 *
 * The model in one page:
 *
 * - Registers live in x[]: slots 0-30 are X0-X30, slot 31 always reads zero
 *   (XZR/WZR), slot 32 is a write sink for XZR destinations, slot 33 is the
 *   current stack pointer. The decoder maps every register field to a slot
 *   once, so no handler ever tests "is this register 31?".
 *
 * - Code is decoded lazily into per-physical-page blocks of struct insn
 *   (1024 per 4 KiB page). A fresh entry points at the decode stub; the stub
 *   decodes the word in place and runs it. A store to a page that holds
 *   decoded code resets just the entries it overwrote, so self-modifying code
 *   and data sharing a page with code both stay correct.
 *
 * - Data accesses go through a small direct-mapped software TLB, one set
 *   per translation context (cpu/mem.c): a hit is a tag compare and a host
 *   load. The tag includes the low address bits of the access size, so an
 *   unaligned access always misses and the slow path decides (alignment
 *   fault, MMIO, external abort). Pages holding decoded code or an
 *   exclusive mark get a write entry whose tag carries TLB_SLOW, so their
 *   stores take the slow path, without a walk.
 *
 * - Dispatch is threaded: a handler whose instruction falls through ends
 *   with insn_next(), and a PC-relative branch with insn_jump(); both
 *   charge the next entry, if it is on the same page, and call its handler
 *   as a tail call, so each handler's indirect jump predicts its own
 *   successor. A chain stops at a page boundary, at chain_limit, at a
 *   register branch and at every exception; control then returns to the
 *   run loop, which finds the page of the new PC and starts the next
 *   chain. The loop sets chain_limit at most CHAIN_CYCLES ahead, and
 *   every instruction costs at least one cycle, so a chain is boundedly
 *   deep where the compiler does not turn tail calls into jumps (-O0,
 *   -O1); with them, returning to the loop that often costs nothing.
 *
 * - Anything that must stop the PE (WFI, a fault, a firmware call that
 *   powers off, a change of translation) calls cpu_break(), which zeroes
 *   both limits: the current chain ends after this instruction and the
 *   loop after it.
 */
#ifndef CPU_CPU_INTERNAL_H
#define CPU_CPU_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cpu/cost.h"
#include "cpu/cpu.h"
#include "cpu/softfloat.h"

#define REG_ZR        31 /* reads as zero, never written */
#define REG_SINK      32 /* writes to XZR land here, never read */
#define REG_SP        33 /* the current stack pointer */
#define NUM_REG_SLOTS 34

#define PAGE_BITS      12
#define PAGE_SIZE      (1ull << PAGE_BITS)
#define PAGE_MASK      (~(PAGE_SIZE - 1))
#define INSNS_PER_PAGE (PAGE_SIZE / 4)

/* The longest a chain of threaded dispatch may run, in cycles. */
#define CHAIN_CYCLES 1024

/* Self-hosted debug: the breakpoints and watchpoints every profile
 * implements (ID_AA64DFR0_EL1.BRPs + 1, WRPs + 1), and how many of the
 * breakpoints, the highest numbered, are context-aware (CTX_CMPs + 1). */
#define DBG_BRPS     6
#define DBG_WRPS     4
#define DBG_CTX_CMPS 2

#define TLB_ENTRIES 256
/* An empty TLB entry: never equal to a tag, whose bits 11:3 are always
 * clear (tlb_tag keeps at most the low 3 bits of the offset). */
#define TAG_INVALID UINT64_MAX
/* A TLB tag of VA page | TLB_SLOW never equals a tag either: the slow
 * path takes it as a known translation, with no walk (MMIO pages, stores
 * to pages that hold decoded code or an exclusive mark). */
#define TLB_SLOW (1ull << 11)
/* Fetch translations cached per TLB set (direct-mapped by VA page): 64
 * hold a kernel's working set of code pages (the first 150M instructions
 * of a Linux boot miss once per 730 instructions with 64, once per 127
 * with 16), and cost little in the scans of a TLBI. */
#define FETCH_ENTRIES 64
/* No current code page: never equal to a PC masked with PAGE_MASK | 3,
 * whose bits 11:2 are always clear. */
#define FETCH_NONE UINT64_MAX

/* PSTATE.NZCV in its architectural position (bits 31:28), as SPSR_ELx, the
 * NZCV register and MSR/MRS see it. Inside the PE the flags are kept
 * apart (struct cpu nf, zf, cf, vf), so that setting them is a few moves. */
#define NZCV_N (1u << 31)
#define NZCV_Z (1u << 30)
#define NZCV_C (1u << 29)
#define NZCV_V (1u << 28)

struct insn;
typedef void (*insn_fn)(struct cpu *c, const struct insn *in);

/* One decoded instruction. Field meaning is per family; names follow the
 * Arm ARM encoding diagrams where they can. */
struct insn {
    insn_fn fn;
    uint32_t raw;
    uint16_t cost;
    uint8_t rd, rn, rm, ra; /* register slots (already mapped) */
    uint8_t sf;             /* 1: 64-bit operation */
    uint8_t op;             /* family-specific sub-operation */
    uint8_t size;           /* memory access size in bytes, or shift type */
    uint8_t flags;          /* family-specific */
    int64_t imm;
    uint64_t imm2;
};

/* A page's decoded instructions, and after them one more entry, the page
 * end: insn_next() steps onto it when it leaves the last instruction of
 * the page, and its handler (insn_page_end) returns to the run loop. */
struct code_block {
    struct insn insn[INSNS_PER_PAGE + 1];
};

#define CODE_CACHE_MAX_CPUS 64

/* Where write entries to the RAM pages of one bucket (PA page number mod
 * WMAP_BUCKETS) may be: up to WMAP_SLOTS (PE, TLB index) pairs, checked
 * when used (an entry may since map another page or none). A bucket that
 * has had more is marked full and found by scanning every TLB instead. */
#define WMAP_BUCKETS 256
#define WMAP_SLOTS   8
struct wmap_bucket {
    uint8_t n;
    bool full;
    uint8_t pe[WMAP_SLOTS];
    uint8_t idx[WMAP_SLOTS];
};

struct code_cache {
    struct bus *bus;
    struct wmap_bucket wmap[WMAP_BUCKETS];
    uint64_t ram_base, npages;
    const struct cost_table *cost;
    struct code_block **blocks;         /* one per RAM page; NULL: no decoded code */
    uint64_t *code_pages;               /* the indices of the pages that have a block, */
    size_t ncode_pages, code_pages_cap; /* so that IC IALLU costs what is decoded */
    struct cpu *cpus[CODE_CACHE_MAX_CPUS];
    unsigned ncpus;
};

/* The fast-path part of a TLB entry: tags that match only while the entry
 * may be used in the current context. */
struct tlb_entry {
    uint64_t read_tag;  /* VA page, VA page | TLB_SLOW, or TAG_INVALID */
    uint64_t write_tag; /* VA page, VA page | TLB_SLOW, or TAG_INVALID */
    uintptr_t addend;   /* host address = va + addend (MMIO: physical address) */
};

/* The translation contexts, each with a TLB set of its own (cpu/mem.c):
 * a regime, the privilege of the access and, where it matters, PAN. */
enum tlb_set_id {
    TLB_EL10_EL0,     /* EL1&0 regime, EL0 */
    TLB_EL10_EL1,     /* EL1&0 regime, EL1, PSTATE.PAN = 0 */
    TLB_EL10_EL1_PAN, /* EL1&0 regime, EL1, PSTATE.PAN = 1 */
    TLB_EL10_NOXLAT,  /* EL0 with HCR_EL2.{E2H, TGE} = {0, 1}: no translation */
    TLB_EL2,          /* EL2 regime (HCR_EL2.E2H = 0) */
    TLB_EL20_EL0,     /* EL2&0 regime, EL0 (HCR_EL2.{E2H, TGE} = {1, 1}) */
    TLB_EL20_EL2,     /* EL2&0 regime, EL2, PSTATE.PAN = 0 */
    TLB_EL20_EL2_PAN, /* EL2&0 regime, EL2, PSTATE.PAN = 1 */
    TLB_SETS
};

/* The rest of a TLB entry: what re-tagging and TLBI match on. */
struct tlb_meta {
    uint64_t page;    /* the VA page translated, or TAG_INVALID: empty */
    uint16_t asid;    /* of a non-global entry */
    uint16_t vmid;    /* of an EL1&0 entry */
    uint8_t flags;    /* TLB_META_* (cpu/mem.c) */
    uint8_t s1_shift; /* log2 of the stage 1 block or page that holds the page */
};

/* A cached instruction fetch translation: VA page to decoded block, and
 * the rest of the translation, which mem_translate gives for a fetch. */
struct fetch_entry {
    uint64_t page; /* VA page, or FETCH_NONE */
    uint64_t pa_page;
    struct code_block *block;
    uint64_t ipa_page;
    uint8_t attr, level, size_shift; /* mmu_result.attr, .level, log2(.page_mask + 1) */
};

struct tlb_set {
    struct tlb_entry e[TLB_ENTRIES];
    struct tlb_meta m[TLB_ENTRIES];
    struct fetch_entry f[FETCH_ENTRIES];
    struct tlb_meta fm[FETCH_ENTRIES];
    uint16_t asid, vmid; /* the context's ASID and VMID now */
    uint8_t max_shift;   /* the largest s1_shift filled since the set was emptied */
};

/* The translation controls as the TLB last saw them (mem_tlb_sync). */
struct tlb_controls {
    uint64_t sctlr[3], tcr[3], ttbr0[3], ttbr1[3], mair[3];
    uint64_t hcr, vtcr, vttbr;
};

/* SPSR_ELx / PSTATE bit positions (Arm ARM C5.2.18) */
#define PSR_M_SP       (1u << 0) /* M[0]: SP_ELx selected */
#define PSR_M_EL_SHIFT 2         /* M[3:2]: EL */
#define PSR_M_RW       (1u << 4) /* M[4]: AArch32 */
#define PSR_DAIF       (0xfu << 6)
#define PSR_F          (1u << 6)
#define PSR_I          (1u << 7)
#define PSR_A          (1u << 8)
#define PSR_D          (1u << 9)
#define PSR_IL         (1u << 20)
#define PSR_SS         (1u << 21)
#define PSR_PAN        (1u << 22)

/* HCR_EL2 bits used by the exception model (Arm ARM D17.2.48) */
#define HCR_VM  (1ull << 0)
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define HCR_AMO (1ull << 5)
#define HCR_VF  (1ull << 6)
#define HCR_VI  (1ull << 7)
#define HCR_VSE (1ull << 8)
#define HCR_TWI (1ull << 13)
#define HCR_TWE (1ull << 14)
#define HCR_TSC (1ull << 19)
#define HCR_TGE (1ull << 27)
#define HCR_RW  (1ull << 31)
#define HCR_HCD (1ull << 29)
#define HCR_E2H (1ull << 34)

/* SCTLR_ELx bits used so far */
#define SCTLR_M    (1ull << 0)
#define SCTLR_A    (1ull << 1)
#define SCTLR_SA   (1ull << 3)
#define SCTLR_SA0  (1ull << 4)
#define SCTLR_SPAN (1ull << 23)

/* Reset values: SCTLR_EL1 as QEMU's Cortex-A57 (SA, SA0, nTWI, nTWE, SPAN
 * and the RES1 bits set, MMU and caches off); SCTLR_EL2 likewise with its
 * own RES1 bits. */
#define SCTLR_EL1_RESET 0x00c50838ull
#define SCTLR_EL2_RESET 0x30c50838ull

/* One SIMD&FP register (V0-V31). The host is little-endian, so element
 * I of a vector of N-byte elements is the member array's index I, and
 * the scalar views (B, H, S, D) are element 0. */
union vreg {
    uint8_t b[16];
    uint16_t h[8];
    uint32_t s[4];
    uint64_t d[2];
};

/* Where an FP/SIMD access traps (struct cpu fp_trap; fpsimd.c). */
enum fp_trap {
    FP_TRAP_NONE,
    FP_TRAP_EL1,         /* CPACR_EL1.FPEN: EC 0x07 to EL1 */
    FP_TRAP_EL2,         /* CPTR_EL2.TFP or FPEN: EC 0x07 to EL2 */
    FP_TRAP_EL2_UNKNOWN, /* CPACR_EL1.FPEN with HCR_EL2.TGE = 1: EC 0x00 to EL2 */
};

struct cpu {
    uint64_t x[NUM_REG_SLOTS];
    uint64_t pc;
    /* PSTATE.{N,Z,C,V}: N is bit 63 of nf, Z is set when zf == 0, C is
     * cf (0 or 1), V is bit 63 of vf. A flag-setting instruction stores
     * its result and operands' signs here unpacked (32-bit operations
     * sign-extend N and V); nzcv_get() packs them. */
    uint64_t nf, zf, cf, vf;
    uint32_t daif; /* PSTATE.{D,A,I,F} in bits 9:6, as in the DAIF register */
    uint8_t el;    /* current exception level */
    bool spsel;    /* PSTATE.SP: true selects SP_ELx, false SP_EL0 */
    bool pan, il, ss;

    /* Banked stack pointers; the selected one lives in x[REG_SP] and is
     * written back here whenever the selection changes. */
    uint64_t sp_el[3];
    /* Per-EL registers, indexed by EL (index 0 unused). */
    uint64_t elr[3], spsr[3], esr[3], far[3], vbar[3], sctlr[3];
    uint64_t hcr_el2;
    bool have_el2;
    bool pan_implemented; /* FEAT_PAN (the CPU-profile work sets it) */
    enum cpu_conduit conduit;

    /* Interrupt inputs (levels, bit per enum cpu_irq_line) and whether an
     * asynchronous exception is takeable now (recomputed by
     * cpu_update_async whenever an input or a mask changes). */
    uint8_t irq_lines;
    bool async_pending;

    uint64_t cycles;      /* this PE's local time */
    uint64_t cycle_limit; /* run loop stops when cycles reach this */
    uint64_t chain_limit; /* a chain stops when cycles reach this (0: no chaining) */
    uint64_t run_limit;   /* the current cpu_run's limit (cpu_limit may lower it) */
    uint64_t insns;
    uint64_t exceptions; /* taken, every kind */
    uint64_t interrupts; /* of which asynchronous: IRQ, FIQ, SError, physical or virtual */
    /* Exception-loop detection (cpu/exception.c): the last synchronous
     * exception, how often in a row, whether an exception return came
     * since, and insns at that return. */
    uint32_t loop_esr;
    uint64_t loop_elr, loop_vector, loop_count, loop_insns;
    bool loop_returned;

    uint64_t tpidr_el0, tpidrro_el0, tpidr_el1; /* plain storage registers */

    /* SIMD&FP state: V0-V31; FPCR and FPSR as MRS reads them, kept as the
     * softfloat environment itself (softfloat ORs its exception flags
     * into fp.fpsr, which is the cumulative FPSR), so that an FP handler
     * passes &c->fp and copies nothing; and where an FP/SIMD instruction
     * traps at the current EL with the current controls (fp_access_update()
     * recomputes it whenever they change). */
    union vreg v[32];
    struct fp_env fp;
    uint8_t fp_trap; /* enum fp_trap */

    enum cpu_state state;
    struct cpu_fault fault;
    bool event_register; /* WFE/SEV */
    /* The event stream's edges up to this cycle are in event_register
     * (cpu/evstream.c). */
    uint64_t evstream_seen;

    /* Exclusive monitor: the local monitor tags the virtual address and
     * size of the last load-exclusive; the global monitor's mark for this
     * PE is the physical address it translated to (Arm ARM B2.9: the
     * global monitor works on physical addresses). One flag for both. */
    bool excl_valid;
    uint64_t excl_addr;
    uint64_t excl_pa;
    unsigned excl_size;

    /* Memory: the flat RAM fast path and everything else through the bus. */
    struct bus *bus;
    uint64_t ram_base, ram_size;
    uint8_t *ram_host;
    /* The software TLB (cpu/mem.c): one set per translation context; tlb
     * is the entries of the current one, which the fast paths use. */
    struct tlb_entry *tlb;
    unsigned tlb_cur;      /* enum tlb_set_id of tlb */
    uint8_t tlb_fast_sets; /* the sets that may hold entries writing fast (1 << set) */
    struct tlb_set tlb_sets[TLB_SETS];
    struct tlb_controls tlb_ctl;

    struct code_cache *code;
    uint64_t fetch_page;    /* VA page of cur_block, or FETCH_NONE */
    uint64_t fetch_pa_page; /* the PA page it translated to */
    struct code_block *cur_block;

    const struct cost_table *cost;
    struct cpu_hooks hooks;
    unsigned index;
    unsigned code_slot; /* this PE's place in code->cpus[] */
    uint64_t mpidr;

    /* ---- system registers and the CPU profile (cpu/sysreg.c, cpu/profile.c) ---- */
    const struct profile_desc *profile; /* ID register values of the profile */
    uint32_t features;                  /* CPU_FEAT_* the profile implements */
    unsigned pa_bits;                   /* implemented PA size (ID_AA64MMFR0_EL1.PARange) */
    uint64_t vpidr_el2, vmpidr_el2;     /* what EL1 reads as MIDR_EL1 / MPIDR_EL1 */
    /* Translation controls, indexed by EL (index 0 unused; ttbr1[2] and
     * contextidr[2] exist only with FEAT_VHE). */
    uint64_t tcr[3], ttbr0[3], ttbr1[3], mair[3], contextidr[3];
    uint64_t par_el1, cpacr_el1, csselr_el1, cntkctl_el1;
    uint64_t cptr_el2, mdcr_el2, hstr_el2, vtcr_el2, vttbr_el2, hpfar_el2, tpidr_el2;
    uint64_t cnthctl_el2;
    /* Self-hosted debug (cpu/debug.c): the registers, and what the run
     * loop and the memory slow path derive from them (debug_update). */
    uint64_t mdscr_el1, osdlr_el1, dbgprcr_el1;
    uint64_t dbgbvr[DBG_BRPS], dbgbcr[DBG_BRPS], dbgwvr[DBG_WRPS], dbgwcr[DBG_WRPS];
    bool os_lock;     /* OSLSR_EL1.OSLK */
    bool dbg_insn;    /* a breakpoint is enabled or MDSCR_EL1.SS is set: the stepping loop runs */
    bool dbg_wp;      /* a watchpoint is enabled: no data TLB entry, every access is checked */
    bool dbg_enabled; /* debug exceptions can be generated at the current EL and PSTATE.D */
    /* Software step: the last instruction was stepped (ESR ISV) and was a
     * load-exclusive (EX); PSTATE.SS was written by an exception entry or
     * return during the current instruction, so it does not advance. */
    bool ss_stepped, ss_ex, ss_written;
    /* ---- end of the system register block ---- */
};

/* Tell the trace that PSTATE.DAIF changed (a no-op when not tracing). */
static inline void cpu_daif_changed(struct cpu *c)
{
    if (c->hooks.trace_daif)
        c->hooks.trace_daif(c->hooks.trace_opaque, c->index, c->cycles, c->daif, c->pc);
}

/* Stop the run loop after the current instruction. */
static inline void cpu_break(struct cpu *c)
{
    c->cycle_limit = 0;
    c->chain_limit = 0;
}

/* The current instruction completes without a branch: advance the PC. */
static inline void pc_advance(struct cpu *c)
{
    c->pc += 4;
}

/* The current instruction IN completes without a branch: advance the PC
 * and, if the PE may go on, run the next entry (charged exactly as the run
 * loop charges it; after the last instruction of a page that is the
 * page-end entry, which returns to the loop). Call it only in tail
 * position: nothing of IN's handler may run after it. */
static inline void insn_next(struct cpu *c, const struct insn *in)
{
    c->pc += 4;
    if (c->cycles >= c->chain_limit)
        return;
    in++;
    c->cycles += in->cost;
    c->insns++;
    in->fn(c, in);
}

/* The current instruction IN branches by OFFSET (a multiple of 4; 4 when
 * a conditional branch is not taken): set the PC and, if the target is on
 * this page and the PE may go on, run it. Tail position only, as for
 * insn_next(). */
static inline void insn_jump(struct cpu *c, const struct insn *in, int64_t offset)
{
    uint64_t page_offset = (c->pc & ~PAGE_MASK) + (uint64_t)offset;
    c->pc += (uint64_t)offset;
    if (page_offset >= PAGE_SIZE || c->cycles >= c->chain_limit)
        return;
    in += offset >>
          2; /* exact: OFFSET is a multiple of 4 (arithmetic shift, as GCC and Clang define it) */
    c->cycles += in->cost;
    c->insns++;
    in->fn(c, in);
}

/* --- memory (mem.c) --- */
struct mmu_result;
/* A load's outcome: the value, or ok == false when it faulted. Returned by
 * value, so that a handler's load leaves no local whose address escapes:
 * that would keep the compiler from making insn_next() a tail call. */
struct mem_load {
    uint64_t value;
    bool ok;
};
struct mem_load mem_read_slow(struct cpu *c, uint64_t va, unsigned size);
bool mem_write_slow(struct cpu *c, uint64_t va, unsigned size, uint64_t value);
/* An access of SIZE bytes at VA (SIZE > 8: the parts are made as
 * accesses of 8 bytes or fewer) must be aligned to SIZE where the memory
 * is Device or SCTLR_ELx.A is set: true if it may go on, else the
 * translation or alignment fault is taken. */
bool mem_check_alignment(struct cpu *c, uint64_t va, unsigned size, bool write);
/* LDTR/STTR: the access with EL0's permissions (never cached in the TLB). */
struct mem_load mem_read_unpriv(struct cpu *c, uint64_t va, unsigned size);
bool mem_write_unpriv(struct cpu *c, uint64_t va, unsigned size, uint64_t value);
/* Translate VA in the current regime without taking a fault (the access
 * kind is an enum mmu_access). */
bool mem_translate(struct cpu *c, uint64_t va, int acc, bool unpriv, struct mmu_result *res);
/* Empty every TLB set of the PE and its fetch translations (reset). */
void mem_tlb_flush(struct cpu *c);
/* PSTATE.EL or PSTATE.PAN changed: use the TLB set of the new context. */
void mem_tlb_switch(struct cpu *c);
/* A translation control (SCTLR, TCR, TTBRn, MAIR, HCR_EL2, VTCR_EL2,
 * VTTBR_EL2, PAN) was written: drop the entries the change makes wrong,
 * re-tag for a new ASID or VMID, use the set of the new context. */
void mem_tlb_sync(struct cpu *c);
/* TLBI word RAW with operand VALUE (Xt), executed by ISSUER: invalidate
 * what it names in PE's TLB. A TLBI that HCR_EL2.FB makes broadcast
 * reaches every PE from the call for ISSUER's own TLB. */
void mem_tlbi(struct cpu *pe, const struct cpu *issuer, uint32_t raw, uint64_t value);
void mem_invalidate_code(struct code_cache *cc, uint64_t pa, unsigned size);
/* IC IALLU: every decoded instruction decodes again when next executed. */
void mem_invalidate_all_code(struct code_cache *cc);
/* A load-exclusive of SIZE bytes at VA just read memory: set the local and
 * global monitors. From now on every PE's stores to that physical page
 * take the slow path, which clears other PEs' marks they overlap. */
void mem_excl_mark(struct cpu *c, uint64_t va, unsigned size);
void code_cache_attach(struct code_cache *cc, struct cpu *c);
struct code_block *mem_fetch_block(struct cpu *c, uint64_t pc);

static inline uint64_t tlb_tag(uint64_t va, unsigned size)
{
    return va & (PAGE_MASK | (uint64_t)(size - 1));
}

/* The fast paths. They return false when the access faulted: the fault is
 * recorded, the loop is stopped, and the caller must not touch state. */
static inline bool mem_read(struct cpu *c, uint64_t va, unsigned size, uint64_t *value)
{
    const struct tlb_entry *e = &c->tlb[(va >> PAGE_BITS) & (TLB_ENTRIES - 1)];
    if (e->read_tag == tlb_tag(va, size)) {
        const uint8_t *p = (const uint8_t *)(va + e->addend);
        switch (size) {
        case 1: *value = *p; return true;
        case 2: {
            uint16_t v;
            memcpy(&v, p, 2);
            *value = v;
            return true;
        }
        case 4: {
            uint32_t v;
            memcpy(&v, p, 4);
            *value = v;
            return true;
        }
        default: {
            uint64_t v;
            memcpy(&v, p, 8);
            *value = v;
            return true;
        }
        }
    }
    struct mem_load r = mem_read_slow(c, va, size);
    *value = r.value;
    return r.ok;
}

static inline bool mem_write(struct cpu *c, uint64_t va, unsigned size, uint64_t value)
{
    const struct tlb_entry *e = &c->tlb[(va >> PAGE_BITS) & (TLB_ENTRIES - 1)];
    if (e->write_tag == tlb_tag(va, size)) {
        uint8_t *p = (uint8_t *)(va + e->addend);
        switch (size) {
        case 1: *p = (uint8_t)value; return true;
        case 2: {
            uint16_t v = (uint16_t)value;
            memcpy(p, &v, 2);
            return true;
        }
        case 4: {
            uint32_t v = (uint32_t)value;
            memcpy(p, &v, 4);
            return true;
        }
        default: memcpy(p, &value, 8); return true;
        }
    }
    return mem_write_slow(c, va, size, value);
}

/* A 16-byte SIMD&FP access (LDR/STR Q and the like): OUT[0] is bits 63:0.
 * The fast path is one tag compare for a 16-aligned access in a page the
 * TLB reaches; the slow path (mem.c) checks the alignment to 16 that
 * Device memory and SCTLR_ELx.A require, then makes the access as two
 * 8-byte halves, low first (or as one copy inside a page of Normal RAM). */
bool mem_read_q_slow(struct cpu *c, uint64_t va, uint64_t out[2]);
bool mem_write_q_slow(struct cpu *c, uint64_t va, const uint64_t v[2]);

static inline bool mem_read_q(struct cpu *c, uint64_t va, uint64_t out[2])
{
    const struct tlb_entry *e = &c->tlb[(va >> PAGE_BITS) & (TLB_ENTRIES - 1)];
    if (!(va & 15) && e->read_tag == (va & PAGE_MASK)) {
        memcpy(out, (const void *)(uintptr_t)(va + e->addend), 16);
        return true;
    }
    return mem_read_q_slow(c, va, out);
}

static inline bool mem_write_q(struct cpu *c, uint64_t va, const uint64_t v[2])
{
    const struct tlb_entry *e = &c->tlb[(va >> PAGE_BITS) & (TLB_ENTRIES - 1)];
    if (!(va & 15) && e->write_tag == (va & PAGE_MASK)) {
        memcpy((void *)(uintptr_t)(va + e->addend), v, 16);
        return true;
    }
    return mem_write_q_slow(c, va, v);
}

/* Arm ARM D1.8.2: is the SP alignment check enabled? SCTLR_ELx.SA at EL1
 * and EL2, SA0 at EL0 (of SCTLR_EL2 in the EL2&0 regime, else SCTLR_EL1);
 * both are set at reset on the platforms this board mirrors. */
static inline bool sp_alignment_checked(const struct cpu *c)
{
    if (c->el > 0)
        return c->sctlr[c->el] & SCTLR_SA;
    bool el20 = c->have_el2 && (c->hcr_el2 & HCR_E2H) && (c->hcr_el2 & HCR_TGE);
    return c->sctlr[el20 ? 2 : 1] & SCTLR_SA0;
}

/* --- exceptions (exception.c) --- */
/* A synchronous fault of the current instruction (aborts, alignment,
 * UNDEFINED): taken as an exception with its syndrome. */
void cpu_raise_fault(struct cpu *c, enum cpu_fault_kind kind, uint64_t addr, unsigned size,
                     bool write);
/* Exception-generating and trapped instructions. */
void exc_svc(struct cpu *c, uint16_t imm);
void exc_hvc(struct cpu *c, uint16_t imm);
void exc_smc(struct cpu *c, uint16_t imm);
void exc_brk(struct cpu *c, uint16_t imm);
/* The event stream (cpu/evstream.c): set the event register if an edge
 * of an enabled stream came since the last settle, up to the PE's time. */
void evstream_settle(struct cpu *c);
/* The first cycle after AFTER at which an enabled stream has an edge
 * (UINT64_MAX: none). */
uint64_t evstream_next(const struct cpu *c, uint64_t after);

/* WFI (wfe = false) or WFE at this EL traps to EL2? Takes the trap if so. */
bool exc_wfx_trapped(struct cpu *c, bool wfe);
/* MSR/MRS/SYS access trapped to EL2 (EC 0x18): iss is the full ISS. */
void exc_sysreg_trap(struct cpu *c, unsigned target_el, uint32_t iss);
void exc_eret(struct cpu *c);
/* Recompute whether an asynchronous exception is takeable; if so, stop
 * the loop so it is taken at this instruction boundary. */
void cpu_update_async(struct cpu *c);
/* Take the pending asynchronous exception (cpu_run calls it). */
void exc_take_async(struct cpu *c);
void exc_illegal_state(struct cpu *c);
/* Would an asserted interrupt input wake the PE from WFI/WFE? */
bool exc_wake_pending(const struct cpu *c);
/* A translation fault from cpu/mmu.c: data or instruction abort, to EL2
 * with HPFAR_EL2 for stage 2 faults. */
void exc_mmu_fault(struct cpu *c, const struct mmu_result *res, uint64_t va, bool write,
                   bool fetch);
/* Write PSTATE.{EL, SPSel}, swapping the banked stack pointer. */
void cpu_set_el_sp(struct cpu *c, unsigned el, bool spsel);

/* --- self-hosted debug (debug.c) --- */
/* MDSCR_EL1, a DBGBCR or DBGWCR, the OS Lock, OSDLR_EL1, DBGPRCR_EL1,
 * MDCR_EL2, HCR_EL2, PSTATE.D or the EL changed: recompute dbg_enabled,
 * dbg_insn and dbg_wp (and stop the loop when the loop to run changes). */
void debug_update(struct cpu *c);
/* Only the EL or PSTATE.D changed (exception entry and return, DAIF
 * writes): dbg_enabled alone depends on them. */
void debug_context_changed(struct cpu *c);
/* The EL debug exceptions and BRK are taken to: EL2 from EL2, or when
 * MDCR_EL2.TDE or HCR_EL2.TGE routes them there, else EL1. */
unsigned debug_target(const struct cpu *c);
/* At an instruction boundary in the stepping loop: take a pending
 * software step exception (true: taken). */
bool debug_step_pending(struct cpu *c);
/* Before the instruction at the PC executes (after its fetch): take a
 * breakpoint exception if one matches (true: taken). */
bool debug_breakpoint(struct cpu *c);
/* The instruction IN ran: advance the software step state machine. */
void debug_after_insn(struct cpu *c, const struct insn *in);
/* SSAdvance() for an instruction that completes by generating an
 * exception (SVC, HVC, SMC): active-not-pending becomes active-pending. */
void debug_ss_advance(struct cpu *c);
/* PSTATE.SS after an exception return with SPSR (Arm ARM
 * DebugExceptionReturnSS); ENABLED_AT_SOURCE: debug exceptions were
 * enabled before the return. */
bool debug_return_ss(const struct cpu *c, bool enabled_at_source, uint64_t spsr);
/* A data access of SIZE bytes at VA (PRIV: with the current EL's
 * privilege, false for LDTR/STTR) when dbg_wp is set: take a watchpoint
 * exception if one matches (true: taken, the access must not happen). */
bool debug_watchpoint(struct cpu *c, uint64_t va, unsigned size, bool write, bool priv);
/* Exceptions: a debug exception with the lower-EL class EC_LOWER (the
 * same-EL class is EC_LOWER + 1) and ISS, to debug_target(). */
void exc_debug(struct cpu *c, unsigned ec_lower, uint32_t iss, uint64_t far, bool set_far);
/* Empty every data TLB entry (fetch translations stay): a watchpoint was
 * enabled, and from now on every data access takes the slow path. */
void mem_tlb_drop_data(struct cpu *c);

/* --- SIMD&FP access (fpsimd.c) --- */
/* PSTATE.EL, HCR_EL2, CPACR_EL1 or CPTR_EL2 changed: recompute fp_trap. */
void fp_access_update(struct cpu *c);
/* Take the trap fp_trap names for the current instruction. */
void exc_fp_trap(struct cpu *c);
/* AArch64.CheckFPAdvSIMDEnabled: true when the current instruction may
 * use the SIMD&FP registers; otherwise the trap is taken and the handler
 * must return without touching state. */
static inline bool fp_enabled(struct cpu *c)
{
    if (__builtin_expect(c->fp_trap == FP_TRAP_NONE, 1))
        return true;
    exc_fp_trap(c);
    return false;
}

/* --- the run loop with cpu_hooks.trace_insn (run_traced.c) --- */
void run_loop_traced(struct cpu *c, uint64_t cycle_limit);

/* --- decoding (decode.c) --- */
void decode_init(void);
/* Decode RAW into IN (fn, operands, cost). Unallocated → the UNDEFINED handler. */
/* FEATURES: the CPU_FEAT_* of the PE's profile; rows needing others do
 * not match, so their words are UNDEFINED. */
void decode_insn(struct insn *in, uint32_t raw, const struct cost_table *cost, uint32_t features);
void insn_decode_stub(struct cpu *c, const struct insn *in);
/* The page-end entry's handler (cpu.c). */
void insn_page_end(struct cpu *c, const struct insn *in);
void insn_undefined(struct cpu *c, const struct insn *in);

/* --- system registers (sysreg.c) and CPU profiles (profile.c) --- */
/* Architecture features a profile implements (struct cpu.features). */
enum cpu_feature {
    CPU_FEAT_CRC32 = 1u << 0,   /* CRC32B..CRC32CX */
    CPU_FEAT_LSE = 1u << 1,     /* FEAT_LSE: LD<op>, ST<op>, SWP, CAS, CASP */
    CPU_FEAT_LRCPC = 1u << 2,   /* FEAT_LRCPC: LDAPR, LDAPRB, LDAPRH */
    CPU_FEAT_PAN = 1u << 3,     /* FEAT_PAN: PSTATE.PAN, SCTLR_ELx.SPAN */
    CPU_FEAT_VHE = 1u << 4,     /* FEAT_VHE: HCR_EL2.E2H, _EL12 accessors */
    CPU_FEAT_VMID16 = 1u << 5,  /* FEAT_VMID16: VTCR_EL2.VS */
    CPU_FEAT_HPDS = 1u << 6,    /* FEAT_HPDS: TCR_ELx.HPD* */
    CPU_FEAT_TGRAN16 = 1u << 7, /* the 16 KB translation granule */
};

/* Select the profile of a new PE: features, pa_bits, pan_implemented. */
void profile_apply(struct cpu *c, enum cpu_profile profile);
/* The value of an ID register (op0 = 3, op1 = 0..3, CRn = 0) as this PE's
 * profile defines it; 0 for the reserved (RAZ) ID encodings. */
uint64_t profile_id_reg(const struct cpu *c, uint32_t enc16);

/* Look up the system register encoded by op0:op1:CRn:CRm:op2 (the MRS/MSR
 * operand fields, 16 bits); returns an index or -1 when not modelled. */
int sysreg_find(uint32_t enc16);
/* Decode MRS/MSR (register) RAW into IN's imm/imm2; false: UNDEFINED whatever the state. */
bool sysreg_decode(struct insn *in, uint32_t raw);
/* MRS: read the register IN names. ok == false: the access was UNDEFINED
 * or trapped, the exception is taken and the PE must go on. Returned by
 * value for the reason struct mem_load is. */
struct sysreg_read {
    uint64_t value;
    bool ok;
};
struct sysreg_read sysreg_mrs(struct cpu *c, const struct insn *in);
/* MSR (register): write VALUE. False: UNDEFINED or trapped, as for MRS. */
bool sysreg_msr(struct cpu *c, const struct insn *in, uint64_t value);
/* Reset values of the registers of the table (cpu_reset calls it). */
void sysreg_reset(struct cpu *c);
/* Does SYS/SYSL word INSN (its bits 20:5 are the op0:op1:CRn:CRm:op2
 * encoding, 4:0 Rt, 21 L) trap at the current EL (SCTLR_ELx.{UCI, DZE} at
 * EL0, HCR_EL2.{TSW, TPCP, TPU, TTLB, TDZ, TIDCP})? If so the trap is
 * taken. Call it only for an instruction that is not UNDEFINED here. */
bool sysreg_sys_trapped(struct cpu *c, uint32_t insn);

/* --- the condition flags --- */
static inline uint32_t nzcv_get(const struct cpu *c)
{
    return (uint32_t)((c->nf >> 63) << 31) | (c->zf == 0 ? NZCV_Z : 0) | (uint32_t)(c->cf << 29) |
           (uint32_t)((c->vf >> 63) << 28);
}

/* Set the flags from NZCV in bits 31:28 (other bits ignored). */
static inline void nzcv_set(struct cpu *c, uint32_t nzcv)
{
    c->nf = (nzcv & NZCV_N) ? 1ull << 63 : 0;
    c->zf = (nzcv & NZCV_Z) ? 0 : 1;
    c->cf = (nzcv >> 29) & 1;
    c->vf = (nzcv & NZCV_V) ? 1ull << 63 : 0;
}

/* The flags of r = a - b and r = a + b (C is "no borrow" for subtraction:
 * Arm ARM AddWithCarry with the second operand inverted and carry 1). */
static inline void flags_sub64(struct cpu *c, uint64_t a, uint64_t b, uint64_t r)
{
    c->nf = c->zf = r;
    c->cf = a >= b;
    c->vf = (a ^ b) & (a ^ r);
}
static inline void flags_add64(struct cpu *c, uint64_t a, uint64_t b, uint64_t r)
{
    c->nf = c->zf = r;
    c->cf = r < a;
    c->vf = ~(a ^ b) & (a ^ r);
}
static inline void flags_sub32(struct cpu *c, uint32_t a, uint32_t b, uint32_t r)
{
    c->nf = (uint64_t)(int64_t)(int32_t)r;
    c->zf = r;
    c->cf = a >= b;
    c->vf = (uint64_t)(int64_t)(int32_t)((a ^ b) & (a ^ r));
}
static inline void flags_add32(struct cpu *c, uint32_t a, uint32_t b, uint32_t r)
{
    c->nf = (uint64_t)(int64_t)(int32_t)r;
    c->zf = r;
    c->cf = r < a;
    c->vf = (uint64_t)(int64_t)(int32_t)(~(a ^ b) & (a ^ r));
}
/* ANDS, BICS, TST: N and Z of the result, C = V = 0. */
static inline void flags_logic(struct cpu *c, bool sf, uint64_t r)
{
    c->nf = sf ? r : (uint64_t)(int64_t)(int32_t)r;
    c->zf = sf ? r : (uint32_t)r;
    c->cf = 0;
    c->vf = 0;
}

/* --- condition codes --- */
/* cond_table[cond] has bit k set when COND holds for packed NZCV == k. */
extern const uint16_t cond_table[16];

/* ConditionHolds (Arm ARM shared pseudocode) for any COND: branch-free,
 * for the instructions that take the condition at run time. */
static inline bool cond_holds(const struct cpu *c, unsigned cond)
{
    return (cond_table[cond] >> (nzcv_get(c) >> 28)) & 1;
}

/* ConditionHolds straight from the unpacked flags: with a constant COND
 * it folds to one or two tests (the per-condition B.cond handlers). */
static inline bool cond_holds_const(const struct cpu *c, unsigned cond)
{
    bool r;
    switch (cond >> 1) {
    case 0: r = c->zf == 0; break;                                  /* EQ / NE */
    case 1: r = c->cf != 0; break;                                  /* CS / CC */
    case 2: r = (int64_t)c->nf < 0; break;                          /* MI / PL */
    case 3: r = (int64_t)c->vf < 0; break;                          /* VS / VC */
    case 4: r = c->cf != 0 && c->zf != 0; break;                    /* HI / LS */
    case 5: r = (int64_t)(c->nf ^ c->vf) >= 0; break;               /* GE / LT */
    case 6: r = (int64_t)(c->nf ^ c->vf) >= 0 && c->zf != 0; break; /* GT / LE */
    default: return true;                                           /* AL, and NV as AL */
    }
    return (cond & 1) ? !r : r;
}

#endif
