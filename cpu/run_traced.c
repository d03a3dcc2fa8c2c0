/* The stepping run loop: cpu.c's run_loop with chain_limit held at 0, so
 * that no handler runs the next instruction itself and every one comes
 * back here. cpu_run picks it instead of run_loop while an instruction
 * hook is set (one call per instruction to cpu_hooks.trace_insn: a trace,
 * --explain-at a PC, a debugger with something armed) or self-hosted
 * debug needs each instruction boundary (dbg_insn: software step and
 * breakpoints, cpu/debug.c). It is a separate copy so that the loop
 * without either carries no per-instruction test for them. Keep the two
 * loops identical apart from those calls and chain_limit.
 *
 * The hook may act on the PE before the instruction runs (a debugger
 * stopped there): a lowered limit stops the loop without running it, and
 * a moved PC is fetched afresh. */
#include "cpu/cpu_internal.h"

void run_loop_traced(struct cpu *c, uint64_t cycle_limit)
{
    c->cycle_limit = cycle_limit;
    c->chain_limit = 0; /* one instruction per dispatch */
    uint64_t page = c->fetch_page;
    struct code_block *block = c->cur_block;
    while (c->cycles < c->cycle_limit) {
        bool debug = c->dbg_insn;
        /* Arm ARM D1, "Synchronous exception prioritization": a pending
         * software step exception comes before the fetch of the next
         * instruction, a breakpoint after it. */
        if (debug && debug_step_pending(c))
            continue;
        uint64_t pc = c->pc;
        if ((pc & (PAGE_MASK | 3)) != page) {
            block = mem_fetch_block(c, pc);
            if (!block) {
                page = FETCH_NONE;
                continue;
            }
            page = c->fetch_page;
        }
        if (debug && debug_breakpoint(c))
            continue;
        const struct insn *in = &block->insn[(pc >> 2) & (INSNS_PER_PAGE - 1)];
        if (c->hooks.trace_insn) {
            /* The encoding is read through the fetch translation, as the
             * decode stub does: an entry not executed yet holds the stub,
             * not the word. */
            uint32_t raw;
            uint64_t pa = c->fetch_pa_page | (pc & ~PAGE_MASK);
            memcpy(&raw, c->ram_host + (pa - c->ram_base), 4);
            c->hooks.trace_insn(c->hooks.trace_opaque, c->index, c->cycles, pc, raw);
            if (c->pc != pc || c->cycles >= c->cycle_limit)
                continue;
        }
        c->cycles += in->cost;
        c->insns++;
        in->fn(c, in);
        if (debug)
            debug_after_insn(c, in);
    }
}
