/* The inner run loop with an instruction trace: cpu.c's run_loop plus one
 * call per instruction to cpu_hooks.trace_insn, and with chain_limit held
 * at 0 so that no handler runs the next instruction itself (every one
 * comes back here to be recorded). It is a separate copy so that the loop
 * without tracing carries no per-instruction test for it; cpu_run picks
 * one of the two each time it enters the inner loop. Keep the two loops
 * identical apart from that call and chain_limit.
 *
 * The hook may act on the PE before the instruction runs (a debugger
 * stopped there): a lowered limit stops the loop without running it, and
 * a moved PC is fetched afresh. */
#include "cpu/cpu_internal.h"

void run_loop_traced(struct cpu *c, uint64_t cycle_limit)
{
    c->cycle_limit = cycle_limit;
    c->chain_limit = 0; /* one instruction per dispatch: each one is traced */
    uint64_t page = c->fetch_page;
    struct code_block *block = c->cur_block;
    while (c->cycles < c->cycle_limit) {
        uint64_t pc = c->pc;
        if ((pc & (PAGE_MASK | 3)) != page) {
            block = mem_fetch_block(c, pc);
            if (!block) {
                page = FETCH_NONE;
                continue;
            }
            page = c->fetch_page;
        }
        const struct insn *in = &block->insn[(pc >> 2) & (INSNS_PER_PAGE - 1)];
        /* The encoding is read through the fetch translation, as the
         * decode stub does: an entry not executed yet holds the stub, not
         * the word. */
        uint32_t raw;
        uint64_t pa = c->fetch_pa_page | (pc & ~PAGE_MASK);
        memcpy(&raw, c->ram_host + (pa - c->ram_base), 4);
        c->hooks.trace_insn(c->hooks.trace_opaque, c->index, c->cycles, pc, raw);
        if (c->pc != pc || c->cycles >= c->cycle_limit)
            continue;
        c->cycles += in->cost;
        c->insns++;
        in->fn(c, in);
    }
}
