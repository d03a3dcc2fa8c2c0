/* The PE: creation, reset, the run loop and the accessors. */
#include <assert.h>
#include <stdlib.h>

#include "cpu/cpu_internal.h"
#include "sim/bus.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "guest memory is accessed in host byte order: a little-endian host is required");

/* cond_table[cond] has bit k set when condition COND holds for NZCV == k
 * (N = bit 3 of k, Z = bit 2, C = bit 1, V = bit 0): EQ NE CS CC MI PL VS VC
 * HI LS GE LT GT LE AL NV (Arm ARM C1.2.4; NV behaves as AL). */
const uint16_t cond_table[16] = {
    0xf0f0, 0x0f0f, 0xcccc, 0x3333, 0xff00, 0x00ff, 0xaaaa, 0x5555,
    0x0c0c, 0xf3f3, 0xaa55, 0x55aa, 0x0a05, 0xf5fa, 0xffff, 0xffff,
};

struct cpu *cpu_new(const struct cpu_config *cfg)
{
    decode_init();
    struct cpu *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->index = cfg->index;
    c->mpidr = cfg->mpidr;
    c->el = (uint8_t)cfg->el;
    c->have_el2 = cfg->el >= 2;
    profile_apply(c, cfg->profile);
    c->conduit = cfg->conduit;
    c->bus = cfg->bus;
    c->code = cfg->code;
    c->cost = cfg->cost;
    c->hooks = cfg->hooks;
    c->ram_base = bus_ram_base(cfg->bus);
    c->ram_size = bus_ram_size(cfg->bus);
    c->ram_host = bus_ram_host(cfg->bus);
    code_cache_attach(cfg->code, c);
    mem_tlb_flush(c);
    return c;
}

void cpu_free(struct cpu *c)
{
    free(c);
}

void cpu_reset(struct cpu *c, uint64_t pc, uint64_t x0)
{
    memset(c->x, 0, sizeof(c->x));
    c->x[0] = x0;
    c->pc = pc;
    nzcv_set(c, 0);
    /* Arm ARM D1.9: reset enters the highest implemented EL with SP_ELx
     * selected and all of D, A, I, F set. */
    c->el = c->have_el2 ? 2 : 1;
    c->spsel = true;
    c->pan = c->il = c->ss = false;
    c->daif = PSR_DAIF;
    memset(c->sp_el, 0, sizeof(c->sp_el));
    memset(c->elr, 0, sizeof(c->elr));
    memset(c->spsr, 0, sizeof(c->spsr));
    memset(c->esr, 0, sizeof(c->esr));
    memset(c->far, 0, sizeof(c->far));
    memset(c->vbar, 0, sizeof(c->vbar));
    c->sctlr[1] = SCTLR_EL1_RESET;
    c->sctlr[2] = SCTLR_EL2_RESET;
    c->hcr_el2 = 0;
    sysreg_reset(c);
    c->ss_stepped = c->ss_ex = c->ss_written = false;
    debug_update(c);
    c->state = CPU_RUNNING;
    c->fault = (struct cpu_fault){0};
    c->event_register = false;
    c->evstream_seen = 0; /* harmless: the streams are off until a write settles */
    c->excl_valid = false;
    c->async_pending = false;
    mem_tlb_flush(c);
    cpu_update_async(c);
}

/* Run instructions until the PE's time reaches cycle_limit, or something
 * asks the loop to stop (cycle_limit set to 0). */
static void run_loop(struct cpu *c, uint64_t cycle_limit)
{
    c->cycle_limit = cycle_limit;
    uint64_t page = c->fetch_page;
    struct code_block *block = c->cur_block;
    while (c->cycles < c->cycle_limit) {
        uint64_t pc = c->pc;
        /* One compare catches both a new page and a misaligned PC: page
         * tags have their low bits clear. */
        if ((pc & (PAGE_MASK | 3)) != page) {
            block = mem_fetch_block(c, pc);
            if (!block) {
                /* The fault was taken (or the PE stopped): fetch afresh,
                 * even if the vector is on the page that faulted. */
                page = FETCH_NONE;
                continue;
            }
            page = c->fetch_page;
        }
        const struct insn *in = &block->insn[(pc >> 2) & (INSNS_PER_PAGE - 1)];
        uint64_t chain_end = c->cycles + CHAIN_CYCLES;
        c->chain_limit = chain_end < c->cycle_limit ? chain_end : c->cycle_limit;
        c->cycles += in->cost;
        c->insns++;
        in->fn(c, in);
    }
}

/* The entry after a page's last instruction: the chain ran off the page
 * (the PC is already the next page's first address). insn_next counted
 * it as an instruction and charged its cost of 0; take the count back and
 * let the run loop fetch the next page. */
void insn_page_end(struct cpu *c, const struct insn *in)
{
    (void)in;
    c->insns--;
}

enum cpu_state cpu_run(struct cpu *c, uint64_t cycle_limit)
{
    /* Asynchronous exceptions and PSTATE.IL are dealt with here, at an
     * instruction boundary, when the inner loop was stopped for them. */
    c->run_limit = cycle_limit;
    while (c->state == CPU_RUNNING && c->cycles < c->run_limit) {
        if (c->il) {
            exc_illegal_state(c);
            continue;
        }
        if (c->async_pending) {
            exc_take_async(c);
            if (c->state != CPU_RUNNING || c->async_pending)
                continue;
        }
        if (c->hooks.trace_insn || c->dbg_insn)
            run_loop_traced(c, c->run_limit);
        else
            run_loop(c, c->run_limit);
    }
    return c->state;
}

enum cpu_state cpu_state(const struct cpu *c)
{
    return c->state;
}

void cpu_power_on(struct cpu *c, uint64_t entry, uint64_t context, unsigned el, uint64_t now)
{
    bool have_el2 = c->have_el2;
    cpu_reset(c, entry, context);
    c->have_el2 = have_el2;
    cpu_set_el_sp(c, el, true);
    debug_update(c);
    cpu_sync_time(c, now);
}

void cpu_power_off(struct cpu *c)
{
    c->state = CPU_OFF;
    c->excl_valid = false;
    cpu_break(c);
}

void cpu_enter_standby(struct cpu *c)
{
    if (!exc_wake_pending(c)) {
        c->state = CPU_WAIT_WFI;
        cpu_break(c);
    }
}

void cpu_limit(struct cpu *c, uint64_t cycle)
{
    if (c->run_limit > cycle)
        c->run_limit = cycle;
    if (c->cycle_limit > cycle)
        c->cycle_limit = cycle;
    if (c->chain_limit > cycle)
        c->chain_limit = cycle;
}

void cpu_set_trace_insn(struct cpu *c, void (*fn)(void *trace_opaque, unsigned pe, uint64_t cycle,
                                                  uint64_t pc, uint32_t insn))
{
    if (c->hooks.trace_insn == fn)
        return;
    c->hooks.trace_insn = fn;
    cpu_break(c); /* cpu_run picks its inner loop again */
}

void cpu_halt(struct cpu *c)
{
    c->state = CPU_HALTED;
    cpu_break(c);
}

void cpu_sync_time(struct cpu *c, uint64_t now)
{
    if (c->cycles < now)
        c->cycles = now;
}

void cpu_wake(struct cpu *c, uint64_t now)
{
    if (c->state == CPU_WAIT_WFI || c->state == CPU_WAIT_WFE) {
        c->state = CPU_RUNNING;
        cpu_sync_time(c, now);
    }
}

void cpu_set_irq_line(struct cpu *c, enum cpu_irq_line line, bool level, uint64_t now)
{
    uint8_t bit = (uint8_t)(1u << line);
    c->irq_lines = level ? (c->irq_lines | bit) : (c->irq_lines & ~bit);
    if (level && (c->state == CPU_WAIT_WFI || c->state == CPU_WAIT_WFE) && exc_wake_pending(c))
        cpu_wake(c, now);
    cpu_update_async(c);
}

bool cpu_irq_line(const struct cpu *c, enum cpu_irq_line line)
{
    return (c->irq_lines >> line) & 1;
}

uint64_t cpu_cycles(const struct cpu *c)
{
    return c->cycles;
}

uint64_t cpu_get_vbar(const struct cpu *c, unsigned el)
{
    return el <= 2 ? c->vbar[el] : 0;
}

uint64_t cpu_exceptions(const struct cpu *c)
{
    return c->exceptions;
}

uint64_t cpu_interrupts(const struct cpu *c)
{
    return c->interrupts;
}

uint64_t cpu_insns(const struct cpu *c)
{
    return c->insns;
}

const struct cpu_fault *cpu_fault(const struct cpu *c)
{
    return &c->fault;
}

const char *cpu_fault_kind_name(enum cpu_fault_kind kind)
{
    switch (kind) {
    case FAULT_NONE: return "none";
    case FAULT_UNDEFINED: return "undefined instruction";
    case FAULT_EXTERNAL_ABORT: return "external abort on data access";
    case FAULT_INSN_ABORT: return "instruction fetch from outside RAM";
    case FAULT_ALIGNMENT: return "alignment fault (unaligned access to Device memory, MMU off)";
    case FAULT_SP_ALIGNMENT: return "SP alignment fault";
    case FAULT_PC_ALIGNMENT: return "PC alignment fault";
    case FAULT_EXCEPTION: return "exception-generating instruction (SVC, HVC, SMC, BRK)";
    case FAULT_TRAP: return "instruction trapped to EL2";
    case FAULT_ILLEGAL_STATE: return "illegal execution state (PSTATE.IL set)";
    case FAULT_IRQ: return "asynchronous exception (IRQ, FIQ or SError)";
    case FAULT_MMU: return "MMU fault (translation, access flag, permission or address size)";
    case FAULT_DEBUG: return "debug exception (breakpoint, watchpoint or software step)";
    }
    return "?";
}

uint64_t cpu_get_x(const struct cpu *c, unsigned n)
{
    assert(n < 31);
    return c->x[n];
}

void cpu_set_x(struct cpu *c, unsigned n, uint64_t value)
{
    assert(n < 31);
    c->x[n] = value;
}

void cpu_get_v(const struct cpu *c, unsigned n, uint64_t out[2])
{
    assert(n < 32);
    out[0] = c->v[n].d[0];
    out[1] = c->v[n].d[1];
}

void cpu_set_v(struct cpu *c, unsigned n, const uint64_t value[2])
{
    assert(n < 32);
    c->v[n].d[0] = value[0];
    c->v[n].d[1] = value[1];
}

uint32_t cpu_get_fpcr(const struct cpu *c)
{
    return c->fp.fpcr;
}

uint32_t cpu_get_fpsr(const struct cpu *c)
{
    return c->fp.fpsr;
}

void cpu_set_fpcr_fpsr(struct cpu *c, uint32_t fpcr, uint32_t fpsr)
{
    c->fp.fpcr = fpcr;
    c->fp.fpsr = fpsr;
}

uint64_t cpu_get_pc(const struct cpu *c)
{
    return c->pc;
}

uint64_t cpu_get_sp(const struct cpu *c)
{
    return c->x[REG_SP];
}

void cpu_set_pc(struct cpu *c, uint64_t pc)
{
    c->pc = pc;
}

void cpu_set_sp(struct cpu *c, uint64_t value)
{
    c->x[REG_SP] = value;
}

void cpu_set_nzcv(struct cpu *c, uint32_t nzcv)
{
    nzcv_set(c, nzcv);
}

unsigned cpu_get_el(const struct cpu *c)
{
    return c->el;
}

uint64_t cpu_get_pstate(const struct cpu *c)
{
    /* SPSR layout: NZCV 31:28, PAN 22, SS 21, IL 20, DAIF 9:6, M[3:2] = EL, M[0] = SPSel. */
    return (uint64_t)nzcv_get(c) | c->daif | ((uint64_t)c->el << 2) | (c->spsel ? 1 : 0) |
           (c->pan ? PSR_PAN : 0) | (c->il ? PSR_IL : 0) | (c->ss ? PSR_SS : 0);
}

unsigned cpu_index(const struct cpu *c)
{
    return c->index;
}
