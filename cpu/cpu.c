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
    c->nzcv = 0;
    c->daif = 0xf << 6; /* Arm ARM: all of D, A, I, F are set on reset */
    c->state = CPU_RUNNING;
    c->fault = (struct cpu_fault){0};
    c->event_register = false;
    c->excl_valid = false;
    mem_tlb_flush(c);
}

void cpu_raise_fault(struct cpu *c, enum cpu_fault_kind kind, uint64_t addr, unsigned size,
                     bool write)
{
    /* The first fault wins; c->pc is still the faulting instruction (for
     * fetch faults, the address that could not be fetched). */
    if (c->fault.kind == FAULT_NONE) {
        c->fault.kind = kind;
        c->fault.pc = c->pc;
        c->fault.insn = 0;
        if (kind != FAULT_PC_ALIGNMENT && kind != FAULT_INSN_ABORT)
            memcpy(&c->fault.insn, c->ram_host + (c->pc - c->ram_base), 4);
        c->fault.addr = addr;
        c->fault.size = size;
        c->fault.write = write;
    }
    /* The faulting instruction did not retire: the loop counted it. */
    c->insns--;
    c->state = CPU_HALTED;
    cpu_break(c);
}

enum cpu_state cpu_run(struct cpu *c, uint64_t cycle_limit)
{
    if (c->state != CPU_RUNNING)
        return c->state;
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
                c->insns++; /* balanced by the fault's decrement */
                break;
            }
            page = c->fetch_page;
        }
        const struct insn *in = &block->insn[(pc >> 2) & (INSNS_PER_PAGE - 1)];
        c->cycles += in->cost;
        c->insns++;
        in->fn(c, in);
    }
    return c->state;
}

enum cpu_state cpu_state(const struct cpu *c)
{
    return c->state;
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

uint64_t cpu_cycles(const struct cpu *c)
{
    return c->cycles;
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
    case FAULT_EXCEPTION: return "exception (the exception model is not implemented yet)";
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

uint64_t cpu_get_pc(const struct cpu *c)
{
    return c->pc;
}

uint64_t cpu_get_sp(const struct cpu *c)
{
    return c->x[REG_SP];
}

unsigned cpu_get_el(const struct cpu *c)
{
    return c->el;
}

uint64_t cpu_get_pstate(const struct cpu *c)
{
    /* SPSR layout: NZCV 31:28, DAIF 9:6, M[3:2] = EL, M[0] = SPSel (SP_ELx). */
    return (uint64_t)c->nzcv | c->daif | ((uint64_t)c->el << 2) | 1;
}

unsigned cpu_index(const struct cpu *c)
{
    return c->index;
}
