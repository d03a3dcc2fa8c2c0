/* Stop reports (faults, deadlocks, limits) and the why-not-taken
 * explanation of --explain-at, written from the machine's state; reading it
 * changes nothing. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cpu/cpu.h"
#include "gic/gic.h"
#include "loader/elf.h"
#include "sim/bus.h"
#include "sim/machine_internal.h"
#include "traces/disasm.h"
#include "traces/pe_state.h"

unsigned machine_cpu_count(const struct machine *m)
{
    return m->ncpus;
}

uint64_t machine_cpu_insns(const struct machine *m, unsigned pe)
{
    return cpu_insns(m->cpu[pe]);
}

uint64_t machine_cpu_reg(const struct machine *m, unsigned pe, unsigned n)
{
    const struct cpu *c = m->cpu[pe];
    switch (n) {
    case 31: return cpu_get_sp(c);
    case 32: return cpu_get_pc(c);
    case 33: return cpu_get_el(c);
    default: return cpu_get_x(c, n);
    }
}

bool machine_read_guest(struct machine *m, unsigned pe, uint64_t va, void *buf, size_t len)
{
    return cpu_read_guest(m->cpu[pe], va, buf, len);
}

uint64_t machine_cpu_cycles(const struct machine *m, unsigned pe)
{
    return cpu_cycles(m->cpu[pe]);
}

const char *run_exit_describe(const struct run_result *r, char *buf, size_t len)
{
    switch (r->reason) {
    case RUN_POWER_OFF: snprintf(buf, len, "guest powered off (PSCI SYSTEM_OFF)"); break;
    case RUN_SEMIHOST_EXIT:
        snprintf(buf, len, "guest exited through semihosting with status %d", r->exit_code);
        break;
    case RUN_DEADLOCK:
        snprintf(buf, len, "deadlock: every PE waits and nothing can wake one");
        break;
    case RUN_GUEST_FAULT: snprintf(buf, len, "guest fault on pe%u", r->pe); break;
    case RUN_LIMIT_INSNS:
        if (r->exceptions)
            snprintf(buf, len,
                     "instruction limit (--max-insns) reached: %llu instructions retired and "
                     "%llu exceptions taken",
                     (unsigned long long)r->insns, (unsigned long long)r->exceptions);
        else
            snprintf(buf, len, "instruction limit (--max-insns) reached");
        break;
    case RUN_LIMIT_CYCLES: snprintf(buf, len, "cycle limit (--max-cycles) reached"); break;
    case RUN_SYSTEM_RESET:
        snprintf(buf, len,
                 "guest asked for a system reset (PSCI SYSTEM_RESET); the run ends there");
        break;
    case RUN_ALL_OFF: snprintf(buf, len, "every PE is powered off (PSCI CPU_OFF)"); break;
    case RUN_TRACE_STOPPED: snprintf(buf, len, "stopped by the trace recorder"); break;
    case RUN_OUTPUT_FAILED:
        snprintf(buf, len, "%s: cannot write the UART output: %s",
                 r->output ? r->output : "standard output", strerror(r->output_errno));
        break;
    case RUN_INTERRUPTED:
        snprintf(buf, len, "interrupted by %s at cycle %llu",
                 r->exit_code == 128 + SIGINT    ? "SIGINT"
                 : r->exit_code == 128 + SIGKILL ? "gdb's kill"
                                                 : "SIGTERM",
                 (unsigned long long)r->cycles);
        break;
    }
    return buf;
}

struct trace_rec *machine_trace(const struct machine *m)
{
    return m->trace;
}

const struct elf_image *machine_image(const struct machine *m)
{
    return m->kernel.elf;
}

uint64_t machine_image_hash(const struct machine *m)
{
    return m->kernel.hash;
}

uint64_t machine_uart_bytes(const struct machine *m)
{
    return m->uart_count;
}

uint64_t machine_race_draws(const struct machine *m)
{
    return m->race_draws;
}

uint64_t machine_boot_hash(const struct machine *m)
{
    return m->boot_hash;
}

static const char *state_name(enum cpu_state s)
{
    switch (s) {
    case CPU_RUNNING: return "running";
    case CPU_WAIT_WFI: return "asleep in WFI";
    case CPU_WAIT_WFE: return "asleep in WFE";
    case CPU_HALTED: return "stopped";
    case CPU_OFF: return "powered off";
    }
    return "?";
}

static void describe_pc(struct machine *m, uint64_t pc, char *buf, size_t len)
{
    const char *sym;
    uint64_t off;
    if (m->kernel.elf && elf_symbol_at(m->kernel.elf, pc, &sym, &off))
        snprintf(buf, len, "0x%llx <%s+0x%llx>", (unsigned long long)pc, sym,
                 (unsigned long long)off);
    else
        snprintf(buf, len, "0x%llx", (unsigned long long)pc);
}

static void report_pe(struct machine *m, unsigned i, FILE *f)
{
    struct cpu *c = m->cpu[i];
    uint64_t ps = cpu_get_pstate(c);
    char where[160];
    describe_pc(m, cpu_get_pc(c), where, sizeof(where));
    fprintf(f, "a64sim: pe%u: %s at pc %s, EL%u, NZCV=%c%c%c%c, DAIF=%c%c%c%c\n", i,
            state_name(cpu_state(c)), where, cpu_get_el(c), (ps >> 31) & 1 ? 'N' : '-',
            (ps >> 30) & 1 ? 'Z' : '-', (ps >> 29) & 1 ? 'C' : '-', (ps >> 28) & 1 ? 'V' : '-',
            (ps >> 9) & 1 ? 'D' : '-', (ps >> 8) & 1 ? 'A' : '-', (ps >> 7) & 1 ? 'I' : '-',
            (ps >> 6) & 1 ? 'F' : '-');
    /* What could still end a WFE: a SEV, a cleared exclusive monitor, an
     * interrupt (below), or an event-stream edge, which is never off by
     * accident on a real kernel. */
    if (cpu_state(c) == CPU_WAIT_WFE && cpu_evstream_wake_at(c) == UINT64_MAX)
        fprintf(
            f,
            "a64sim: pe%u: no event stream (CNTKCTL_EL1.EVNTEN and CNTHCTL_EL2.EVNTEN are 0): "
            "only a SEV, a store that clears its exclusive monitor, or an interrupt can wake it\n",
            i);
}

/* The vector as VBAR_ELn + offset, as a handler's author thinks of it. */
static void describe_vector(struct machine *m, unsigned pe, const struct cpu_fault *ft, char *buf,
                            size_t len)
{
    uint64_t vbar = cpu_get_vbar(m->cpu[pe], ft->target_el) & ~0x7ffull;
    snprintf(buf, len, "VBAR_EL%u+0x%03llx", ft->target_el,
             (unsigned long long)(ft->vector - vbar));
}

static void report_fault(struct machine *m, unsigned pe, FILE *f)
{
    const struct cpu_fault *ft = cpu_fault(m->cpu[pe]);
    char where[160], text[128], vec[48];
    describe_pc(m, ft->pc, where, sizeof(where));
    if (ft->repeats) {
        describe_vector(m, pe, ft, vec, sizeof(vec));
        fprintf(f,
                "a64sim: pe%u: exception loop: EC 0x%02x (%s) at pc %s, taken to %s (0x%llx) "
                "%llu times in a row without getting past it\n",
                pe, ft->esr >> 26, cpu_fault_kind_name(ft->kind), where, vec,
                (unsigned long long)ft->vector, (unsigned long long)ft->repeats);
        report_pe(m, pe, f);
        return;
    }
    fprintf(f, "a64sim: pe%u: %s at pc %s\n", pe, cpu_fault_kind_name(ft->kind), where);
    if (ft->kind != FAULT_INSN_ABORT && ft->kind != FAULT_PC_ALIGNMENT) {
        struct disasm *d = disasm_new();
        fprintf(f, "a64sim: pe%u: instruction 0x%08x: %s\n", pe, ft->insn,
                disasm_one(d, ft->insn, ft->pc, text, sizeof(text)));
        disasm_free(d);
    }
    if (ft->kind == FAULT_EXTERNAL_ABORT || ft->kind == FAULT_ALIGNMENT ||
        ft->kind == FAULT_SP_ALIGNMENT) {
        const char *region = bus_region_name(m->bus, ft->addr);
        fprintf(f, "a64sim: pe%u: %u-byte %s at 0x%llx (%s)\n", pe, ft->size,
                ft->write ? "write" : "read", (unsigned long long)ft->addr,
                region ? region : "nothing mapped there");
    }
    fprintf(f,
            "a64sim: pe%u: the exception (ESR 0x%08x) to EL%u was not taken: its vector 0x%llx "
            "cannot be fetched: not in RAM, or not mapped executable at EL%u (set VBAR_EL%u)\n",
            pe, ft->esr, ft->target_el, (unsigned long long)ft->vector, ft->target_el,
            ft->target_el);
    report_pe(m, pe, f);
}

/* The registers of PE I, as a pe-state record of the trace shows them. */
static void report_registers(struct machine *m, unsigned i, FILE *f)
{
    struct trace_pe_state s;
    char indent[24], text[4096];
    trace_pe_state_read(m->cpu[i], &s);
    snprintf(indent, sizeof(indent), "a64sim: pe%u: ", i);
    trace_pe_state_text(&s, indent, text, sizeof(text));
    fprintf(f, "%s\n", text);
}

/* The GIC's view of every PE, then the IRQ/FIQ levels still on their way
 * to a PE (the delivery latency), which gic_explain cannot see. */
static void machine_explain_gic(struct machine *m, FILE *f)
{
    for (unsigned i = 0; i < m->ncpus; i++)
        gic_explain(m->gic, i, (uint32_t)cpu_get_pstate(m->cpu[i]) & 0x3c0u, f);
    for (unsigned i = 0; i < m->ncpus; i++) {
        const struct line_delivery *d = &m->deliver[i];
        if (!sched_pending(&d->ev))
            continue;
        if (d->irq != d->irq_now)
            fprintf(f, "  PE %u: IRQ line %s at cycle %llu (GIC delivery latency)\n", i,
                    d->irq ? "rises" : "falls", (unsigned long long)d->ev.when);
        if (d->fiq != d->fiq_now)
            fprintf(f, "  PE %u: FIQ line %s at cycle %llu (GIC delivery latency)\n", i,
                    d->fiq ? "rises" : "falls", (unsigned long long)d->ev.when);
    }
}

void machine_explain(struct machine *m, FILE *f)
{
    for (unsigned i = 0; i < m->ncpus; i++) {
        fprintf(f, "a64sim: pe%u: local time %llu\n", i, (unsigned long long)cpu_cycles(m->cpu[i]));
        report_pe(m, i, f);
    }
    machine_explain_gic(m, f);
}

void machine_report(struct machine *m, const struct run_result *r, FILE *f)
{
    switch (r->reason) {
    case RUN_GUEST_FAULT:
        report_fault(m, r->pe, f);
        report_registers(m, r->pe, f);
        break;
    case RUN_DEADLOCK:
        for (unsigned i = 0; i < m->ncpus; i++)
            report_pe(m, i, f);
        machine_explain_gic(m, f);
        /* The PEs that wait; one powered off takes no part. */
        for (unsigned i = 0; i < m->ncpus; i++)
            if (cpu_state(m->cpu[i]) != CPU_OFF)
                report_registers(m, i, f);
        break;
    case RUN_ALL_OFF:
    case RUN_LIMIT_INSNS:
    case RUN_LIMIT_CYCLES:
        for (unsigned i = 0; i < m->ncpus; i++)
            report_pe(m, i, f);
        break;
    default: break;
    }
}
