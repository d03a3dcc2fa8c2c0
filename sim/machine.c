/* Building the virt board: RAM and bus, the PEs, the GIC, the timers, the
 * UART, the PSCI firmware, and the wiring between them; loading the image.
 * The run loop is sim/run.c, the stop reports sim/report.c. */
#include "sim/machine_internal.h"
#include "sim/settings.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu/cpu.h"
#include "loader/boot.h"
#include "loader/dt.h"
#include "loader/elf.h"
#include "sim/board.h"
#include "sim/board_dt.h"
#include "sim/gdbstub.h"
#include "sim/virtio_mmio.h"
#include "sim/bus.h"
#include "gic/gic.h"
#include "sim/pl011.h"
#include "sim/pl031.h"
#include "sim/psci.h"
#include "sim/sched.h"
#include "timer/timer.h"
#include "sim/semihost.h"
#include "traces/config.h"
#include "traces/disasm.h"
#include "traces/record.h"
#include "traces/stimulus.h"
#include "sim/host.h"

void machine_config_defaults(struct machine_config *cfg)
{
    *cfg = (struct machine_config){
        .mem_size = DEFAULT_MEM_SIZE,
        .cpus = 1,
        .spis = DEFAULT_SPIS,
        .gic_pri_bits = DEFAULT_PRI_BITS,
        .gic_lrs = DEFAULT_GIC_LRS,
        .gic_latency = DEFAULT_GIC_LATENCY,
        .lpi_bits = DEFAULT_LPI_BITS,
        .its = 1,
        .its_latency = DEFAULT_ITS_LATENCY,
        .vpe_latency = DEFAULT_VPE_LATENCY,
        .cntfrq = DEFAULT_CNTFRQ,
        .rtc_epoch = DEFAULT_RTC_EPOCH,
        .el = 1,
        .quantum = DEFAULT_QUANTUM,
        .cost = cost_default,
    };
}

/* ---- UART plumbing ---- */

static void uart_tx(void *opaque, uint8_t byte)
{
    struct machine *m = opaque;
    trace_uart_tx(m->trace, m->cur_pe, machine_now(m), byte);
    if (m->uart_count++ < m->cfg.uart_skip)
        return; /* an earlier run for the same gdb session printed it */
    if (fputc(byte, m->out) == EOF)
        machine_output_failed(m, errno);
}

static bool rxq_pop(struct machine *m, uint8_t *byte)
{
    if (m->rxq_head == m->rxq_len)
        return false;
    *byte = m->rxq[m->rxq_head++];
    return true;
}

static void rxq_push(struct machine *m, const uint8_t *bytes, size_t len)
{
    if (m->rxq_head == m->rxq_len)
        m->rxq_head = m->rxq_len = 0;
    if (m->rxq_len + len > m->rxq_cap) {
        size_t cap = (m->rxq_len + len) * 2;
        m->rxq = realloc(m->rxq, cap);
        if (!m->rxq)
            host_out_of_memory();
        m->rxq_cap = cap;
    }
    memcpy(m->rxq + m->rxq_len, bytes, len);
    m->rxq_len += len;
}

/* A terminal in raw mode sends every key to the guest, Ctrl-C included;
 * Ctrl-A starts a command, as in QEMU: Ctrl-A X stops the run (as SIGINT
 * does: the trace records where, and replay stops there), Ctrl-A Ctrl-A
 * sends one Ctrl-A, any other key is dropped. True when CH was taken as
 * part of a command. */
#define CTRL_A 0x01

static bool terminal_command(struct machine *m, int ch)
{
    if (!m->escape) {
        m->escape = ch == CTRL_A;
        return m->escape;
    }
    m->escape = false;
    if (ch == CTRL_A)
        return false;
    if (ch == 'x' || ch == 'X')
        m->quit = true;
    return true;
}

/* The UART asks for a byte only when its FIFO has room (at reset and after
 * each UARTDR read). From a file or a pipe the read blocks, so the run
 * depends only on the bytes, never on when they arrive. From a terminal a
 * blocking read would stall the simulator until a key is pressed, so the
 * read does not wait: interactive input is the one input that is not
 * reproducible (the trace work records it). */
static bool host_input(struct machine *m, uint64_t pull, uint8_t *byte)
{
    if (m->cfg.replay_input)
        return m->cfg.stimulus && stimulus_host_byte(m->cfg.stimulus, &m->host_cursor, pull, byte);
    if (!m->in || m->in_raw) /* a raw terminal: the console poll below */
        return false;
    int ch = fgetc(m->in);
    if (ch == EOF) {
        clearerr(m->in);
        return false;
    }
    *byte = (uint8_t)ch;
    return true;
}

/* The interactive console: bytes typed at a raw terminal since the last
 * look. Ctrl-A commands are taken here; the other bytes arrive at the UART
 * now, at the machine's time between rounds, and are recorded as an
 * input-uart-rx record, so that a replay delivers them at the same cycle
 * (as it does a stimulus file's). */
enum console_poll machine_console_poll(struct machine *m, bool wait)
{
    if (wait) {
        struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
        while (!m->quit && !(m->cfg.interrupt && *m->cfg.interrupt) && poll(&p, 1, 200) == 0) {
        }
    }
    uint8_t in[256], keep[256];
    ssize_t got = read(STDIN_FILENO, in, sizeof in);
    if (got == 0)
        return CONSOLE_CLOSED;
    size_t n = 0;
    for (ssize_t i = 0; i < got; i++)
        if (!terminal_command(m, in[i]))
            keep[n++] = in[i];
    if (n == 0)
        return CONSOLE_NONE;
    uint64_t now = sched_now(m->sched);
    trace_input_uart_rx(m->trace, now, keep, n);
    rxq_push(m, keep, n);
    pl011_rx_ready(m->uart);
    return CONSOLE_INPUT;
}

/* Timed input (stimulus uart-rx) that has arrived goes first; the host
 * source is asked only when none is waiting. Host bytes are recorded with
 * the number of the request they answered, which is all replay needs to
 * hand them out again at the same points. */
static bool uart_rx(void *opaque, uint8_t *byte)
{
    struct machine *m = opaque;
    uint64_t pull = m->rx_pulls++;
    if (rxq_pop(m, byte))
        return true;
    if (!host_input(m, pull, byte))
        return false;
    trace_input_host_uart(m->trace, machine_now(m), pull, *byte);
    return true;
}

static bool uart_mmio_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    return pl011_read(opaque, offset, size, value);
}

static bool uart_mmio_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    return pl011_write(opaque, offset, size, value);
}

static const struct mmio_ops uart_ops = {uart_mmio_read, uart_mmio_write};

static void mmio_observed(void *opaque, uint64_t pa, unsigned size, bool write, uint64_t value,
                          enum bus_result res)
{
    struct machine *m = opaque;
    enum trace_mmio_result r = res == BUS_OK         ? TRACE_MMIO_OK
                               : res == BUS_UNMAPPED ? TRACE_MMIO_UNMAPPED
                                                     : TRACE_MMIO_REFUSED;
    trace_mmio(m->trace, m->cur_pe, machine_now(m), pa, size, write, value, r);
}

/* ---- external inputs ---- */

static void apply_stimulus(struct machine *m, const struct stimulus_event *ev, uint64_t now)
{
    switch (ev->kind) {
    case STIM_UART_RX:
        trace_input_uart_rx(m->trace, now, ev->text, ev->len);
        rxq_push(m, ev->text, ev->len);
        pl011_rx_ready(m->uart);
        break;
    case STIM_SPI:
        /* The SPI's wire, as a device would drive it: no delivery latency
         * on the way in (the GIC adds it on the way out to the PE). */
        trace_input_spi(m->trace, now, ev->intid, ev->level);
        gic_set_spi(m->gic, ev->intid, ev->level);
        break;
    case STIM_MSI:
        trace_input_msi(m->trace, now, ev->devid, ev->eventid);
        gic_its_msi(m->gic, ev->devid, ev->eventid);
        break;
    }
}

/* One scheduler event walks the stimulus: it applies every input due now,
 * in file order, then re-arms for the next one. */
static void stimulus_fire(void *opaque, uint64_t now)
{
    struct machine *m = opaque;
    const struct stimulus *s = m->cfg.stimulus;
    while (m->stim_next < stimulus_count(s) && stimulus_event(s, m->stim_next)->cycle <= now)
        apply_stimulus(m, stimulus_event(s, m->stim_next++), now);
    if (m->stim_next < stimulus_count(s))
        sched_mod(m->sched, &m->stim_ev, stimulus_event(s, m->stim_next)->cycle);
}

/* ---- firmware calls from the PEs ---- */

static void request_stop(struct machine *m, struct cpu *cpu, enum run_exit reason, int code)
{
    m->stop = true;
    m->result.reason = reason;
    m->result.exit_code = code;
    m->result.pe = cpu_index(cpu);
}

/* ---- the PSCI platform ---- */

static int psci_find_pe(void *opaque, uint64_t mpidr)
{
    struct machine *m = opaque;
    /* Affinity fields only (Aff3 in bits 39:32, Aff2-Aff0 in 23:0): PE i
     * has Aff0 = i and the other levels 0. */
    uint64_t aff = mpidr & 0xff00ffffffull;
    return aff < m->ncpus ? (int)aff : -1;
}

static enum psci_pe_power psci_power_state(void *opaque, unsigned pe)
{
    struct machine *m = opaque;
    if (m->power_on[pe].pending)
        return PSCI_PE_ON_PENDING;
    return cpu_state(m->cpu[pe]) == CPU_OFF ? PSCI_PE_OFF : PSCI_PE_ON;
}

static void power_on_done(void *opaque, uint64_t now)
{
    struct power_on *po = opaque;
    po->pending = false;
    cpu_power_on(po->m->cpu[po->pe], po->entry, po->context, po->el, now);
}

/* The virt board's highest non-secure EL is EL2 with --el 2, else EL1. */
static void psci_power_on(void *opaque, unsigned pe, uint64_t entry, uint64_t context)
{
    struct machine *m = opaque;
    struct power_on *po = &m->power_on[pe];
    po->pending = true;
    po->entry = entry;
    po->context = context;
    po->el = m->cfg.el;
    /* The latency counts from the caller's local time. */
    machine_schedule(m, &po->ev,
                     machine_now(m) + machine_perturbed(m, POWER_ON_LATENCY, RACE_POWER_ON, pe));
}

static bool psci_valid_entry(void *opaque, uint64_t addr)
{
    struct machine *m = opaque;
    return (addr & 3) == 0 && bus_is_ram(m->bus, addr, 4);
}

static enum cpu_call_result psci(struct machine *m, struct cpu *cpu)
{
    uint32_t fid = (uint32_t)cpu_get_x(cpu, 0);
    uint64_t x1 = cpu_get_x(cpu, 1), x2 = cpu_get_x(cpu, 2), x3 = cpu_get_x(cpu, 3);
    enum psci_action action = psci_call(&m->psci, cpu);
    trace_psci(m->trace, cpu_index(cpu), cpu_cycles(cpu), fid, x1, x2, x3, cpu_get_x(cpu, 0));
    switch (action) {
    case PSCI_CONTINUE: return CALL_DONE;
    case PSCI_STANDBY: cpu_enter_standby(cpu); return CALL_DONE;
    case PSCI_CPU_OFF: return CALL_OFF;
    case PSCI_SYSTEM_OFF: request_stop(m, cpu, RUN_POWER_OFF, 0); return CALL_STOP;
    case PSCI_SYSTEM_RESET: request_stop(m, cpu, RUN_SYSTEM_RESET, 0); return CALL_STOP;
    }
    return CALL_DONE;
}

static enum cpu_call_result firmware_call(void *opaque, struct cpu *cpu, enum cpu_call kind,
                                          uint32_t imm)
{
    struct machine *m = opaque;
    int code;
    switch (kind) {
    case CPU_CALL_HVC:
    case CPU_CALL_SMC:
        /* The firmware owns one SMCCC conduit: HVC when the guest starts at
         * EL1 with no EL2, SMC when it starts at EL2 (as QEMU's virt board
         * with and without virtualization=on). The PE only asks for the
         * conduit it was configured with. Only immediate 0 is an SMCCC call. */
        if (imm != 0)
            return CALL_UNHANDLED;
        return psci(m, cpu);
    case CPU_CALL_SEMIHOST:
        if (semihost_call(cpu, machine_diag(m), &code) == SEMIHOST_EXIT) {
            request_stop(m, cpu, RUN_SEMIHOST_EXIT, code);
            return CALL_STOP;
        }
        return CALL_DONE;
    }
    return CALL_UNHANDLED;
}

/* ---- construction ---- */

/* Stimulus SPIs must name an SPI this board implements (--spis). */
static bool check_stimulus_spis(const struct machine_config *cfg, char *err, size_t errlen)
{
    const struct stimulus *s = cfg->stimulus;
    if (!stimulus_check(s, cfg->its != 0, err, errlen))
        return false;
    for (size_t i = 0; i < stimulus_count(s); i++) {
        const struct stimulus_event *ev = stimulus_event(s, i);
        /* The scheduler's time ends before 2^64 ("never"); no run gets past
         * 2^62 cycles (the largest --max-cycles). */
        if (ev->cycle > MAX_CYCLE) {
            snprintf(err, errlen, "%s:%u: cycle %llu is past the last cycle a run can reach (%llu)",
                     stimulus_source(s), ev->line, (unsigned long long)ev->cycle,
                     (unsigned long long)MAX_CYCLE);
            return false;
        }
        if (ev->kind != STIM_SPI || ev->intid < GIC_SPI_BASE + cfg->spis)
            continue;
        snprintf(err, errlen,
                 "%s:%u: spi: INTID %u is not an implemented SPI (this board has SPIs %u to %u: "
                 "--spis %u)",
                 stimulus_source(s), ev->line, (unsigned)ev->intid, GIC_SPI_BASE,
                 GIC_SPI_BASE + cfg->spis - 1, cfg->spis);
        return false;
    }
    return true;
}

static bool open_input(struct machine *m, const char *path, char *err, size_t errlen)
{
    if (!path) {
        /* stdin: a terminal is read without waiting (see uart_rx). */
        m->in = stdin;
        if (isatty(STDIN_FILENO)) {
            int fl = fcntl(STDIN_FILENO, F_GETFL);
            if (fl >= 0 && fcntl(STDIN_FILENO, F_SETFL, fl | O_NONBLOCK) == 0)
                m->in_nonblocking = true;
            m->in_raw = host_terminal_raw(STDIN_FILENO);
            if (m->in_raw)
                fprintf(stderr, "a64sim: console on this terminal; Ctrl-A X quits\r\n");
        }
        return true;
    }
    /* A FIFO or a terminal is fine here (input arrives as it comes), a
     * directory is not. */
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: cannot open for --uart-in: a directory", path);
        return false;
    }
    m->in = fopen(path, "rb");
    if (!m->in) {
        snprintf(err, errlen, "%s: cannot open for --uart-in: %s", path, strerror(errno));
        return false;
    }
    m->in_owned = true;
    return true;
}

static bool open_output(struct machine *m, const char *path, char *err, size_t errlen)
{
    if (m->cfg.uart_file) {
        m->out = m->cfg.uart_file;
        return true;
    }
    if (!path) {
        m->out = stdout;
        return true;
    }
    m->out = fopen(path, "wb");
    if (!m->out) {
        snprintf(err, errlen, "%s: cannot create for --uart-out: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    m->out_owned = true;
    m->out_regular = fstat(fileno(m->out), &st) == 0 && S_ISREG(st.st_mode);
    return true;
}

/* ---- the GIC and its wiring ---- */

const char *race_kind_name(enum race_kind k)
{
    static const char *const names[RACE_KINDS] = {"gic",   "its",     "vpe",  "power-on",
                                                  "timer", "quantum", "order"};
    return (unsigned)k < RACE_KINDS ? names[k] : NULL;
}

/* Latency L of KIND (for PE), perturbed by --race-seed within [L, 2 x L],
 * or within the class's --jitter bounds, by a seeded xorshift64, one draw
 * per use in the order of the uses: the same seed, the same run. Each draw has an index; with
 * race_keep set, only the draws it marks keep their perturbed value and the others take L (explore
 * --minimize), the generator advancing the same either way. race_log is told of every draw. */
uint64_t machine_race_draw(struct machine *m, uint64_t l, enum race_kind kind, unsigned pe)
{
    const struct race_bounds *b = &m->cfg.jitter[kind];
    bool by_default =
        kind == RACE_GIC_DELIVERY || kind == RACE_ITS_COMMAND || kind == RACE_VPE_RESIDENCY;
    if (!m->cfg.race_seed || (!b->set && (l == 0 || !by_default)))
        return l;
    uint64_t x = m->race_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    m->race_state = x;
    uint64_t index = m->race_draws++;
    uint64_t v = b->set ? b->min + x % (b->max - b->min + 1) : l + x % (l + 1);
    if (m->cfg.race_keep && !(index < m->cfg.race_keep_len && m->cfg.race_keep[index]))
        v = l;
    if (m->cfg.race_log)
        m->cfg.race_log(m->cfg.race_log_opaque,
                        &(struct race_draw){index, kind, pe, machine_now(m), l, v});
    return v;
}

/* The delivery latency to PE. */
static uint64_t gic_latency(struct machine *m, unsigned pe)
{
    return machine_perturbed(m, m->cfg.gic_latency, RACE_GIC_DELIVERY, pe);
}

static void drive_lines(struct line_delivery *d, uint64_t now)
{
    struct machine *m = d->m;
    struct cpu *c = m->cpu[d->pe];
    if (d->irq != d->irq_now) {
        d->irq_now = d->irq;
        trace_irq_line(m->trace, d->pe, now, TRACE_LINE_IRQ, d->irq);
        cpu_set_irq_line(c, CPU_LINE_IRQ, d->irq, now);
    }
    if (d->fiq != d->fiq_now) {
        d->fiq_now = d->fiq;
        trace_irq_line(m->trace, d->pe, now, TRACE_LINE_FIQ, d->fiq);
        cpu_set_irq_line(c, CPU_LINE_FIQ, d->fiq, now);
    }
}

static void delivery_due(void *opaque, uint64_t now)
{
    drive_lines(opaque, now);
}

/* The GIC's recompute function changed PE's outputs. A PE's own CPU
 * interface access (a PMR write, an acknowledge, an EOI) that changes its
 * outputs acts at once: those writes are self-synchronising (IHI 0069
 * 12.1.x), so the next instruction boundary sees them. Every other change
 * (a device input, another PE's SGI, a distributor write) reaches the PE
 * after the delivery latency. A change while a delivery is in flight
 * updates what it will deliver without moving it: a PE's own access whose
 * effect coincides with a level already on its way arrives with that
 * delivery, at most the latency later, which the architecture allows. */
static void gic_output(void *opaque, unsigned pe, bool irq, bool fiq, bool own)
{
    struct machine *m = opaque;
    struct line_delivery *d = &m->deliver[pe];
    d->irq = irq;
    d->fiq = fiq;
    if (own || m->cfg.gic_latency == 0) {
        sched_del(m->sched, &d->ev);
        /* A sleeping PE wakes at the time of the change, never before its own. */
        uint64_t now = machine_now(m);
        drive_lines(d, cpu_cycles(m->cpu[pe]) > now ? cpu_cycles(m->cpu[pe]) : now);
        return;
    }
    /* The latency counts from the change: a PE's access at its local
     * time, an event (a timer expiry, a stimulus) at its scheduled time. */
    if (!sched_pending(&d->ev))
        machine_schedule(m, &d->ev, machine_now(m) + gic_latency(m, pe));
}

/* The virtual CPU interface's outputs change only through the PE's own
 * ICH_* and ICV_* accesses: they reach it at once. */
static void gic_voutput(void *opaque, unsigned pe, bool virq, bool vfiq)
{
    struct machine *m = opaque;
    struct cpu *c = m->cpu[pe];
    uint64_t now = cpu_cycles(c);
    if (virq != cpu_irq_line(c, CPU_LINE_VIRQ)) {
        trace_irq_line(m->trace, pe, now, TRACE_LINE_VIRQ, virq);
        cpu_set_irq_line(c, CPU_LINE_VIRQ, virq, now);
    }
    if (vfiq != cpu_irq_line(c, CPU_LINE_VFIQ)) {
        trace_irq_line(m->trace, pe, now, TRACE_LINE_VFIQ, vfiq);
        cpu_set_irq_line(c, CPU_LINE_VFIQ, vfiq, now);
    }
}

/* The CPU interface's own events into the trace, at the PE's time. */
static void gic_cpuif_event(void *opaque, unsigned pe, const struct gic_cpuif_event *ev)
{
    struct machine *m = opaque;
    struct cpu *c = m->cpu[pe];
    switch (ev->kind) {
    case GIC_CPUIF_PMR:
        trace_pmr(m->trace, pe, cpu_cycles(c), (uint8_t)ev->value, cpu_get_pc(c));
        break;
    case GIC_CPUIF_LR:
        trace_vgic_lr(m->trace, pe, cpu_cycles(c), ev->lr, ev->value, cpu_get_pc(c));
        break;
    case GIC_CPUIF_VIRQ:
        trace_virq_state(m->trace, pe, cpu_cycles(c), ev->vintid, (unsigned)ev->vt, ev->lr,
                         ev->priority);
        break;
    case GIC_CPUIF_MAINT:
        trace_maintenance(m->trace, pe, cpu_cycles(c), ev->level, (uint32_t)ev->value);
        break;
    }
}

static bool gicd_mmio_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    return gicd_read(opaque, offset, size, value);
}
static bool gicd_mmio_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    return gicd_write(opaque, offset, size, value);
}
static bool gicr_mmio_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    return gicr_read(opaque, offset, size, value);
}
static bool gicr_mmio_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    return gicr_write(opaque, offset, size, value);
}
static const struct mmio_ops gicd_ops = {gicd_mmio_read, gicd_mmio_write};

/* ---- the ITS: commands one per latency, as scheduler events ---- */

/* After anything that can queue ITS commands: process the next one a
 * command latency from now, or at once with a latency of 0. */
static void its_kick(struct machine *m)
{
    if (m->cfg.its_latency == 0) {
        while (gic_its_busy(m->gic))
            gic_its_step(m->gic);
        return;
    }
    if (gic_its_busy(m->gic) && !sched_pending(&m->its_ev))
        machine_schedule(m, &m->its_ev,
                         machine_now(m) +
                             machine_perturbed(m, m->cfg.its_latency, RACE_ITS_COMMAND, 0));
}

/* A GICR_VPENDBASER write started a residency change at PE's
 * redistributor: it completes --vpe-latency cycles later. */
static void gic_residency(void *opaque, unsigned pe)
{
    struct machine *m = opaque;
    machine_schedule(m, &m->vpe[pe].ev,
                     machine_now(m) +
                         machine_perturbed(m, m->cfg.vpe_latency, RACE_VPE_RESIDENCY, pe));
}

static void vpe_due(void *opaque, uint64_t now)
{
    struct vpe_change *v = opaque;
    (void)now;
    gic_vpe_complete(v->m->gic, v->pe);
}

static void its_due(void *opaque, uint64_t now)
{
    struct machine *m = opaque;
    (void)now;
    gic_its_step(m->gic);
    its_kick(m);
}

static bool gits_mmio_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    return gits_read(((struct machine *)opaque)->gic, offset, size, value);
}

static bool gits_mmio_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    struct machine *m = opaque;
    bool ok = gits_write(m->gic, offset, size, value);
    its_kick(m);
    return ok;
}

static const struct mmio_ops gits_ops = {gits_mmio_read, gits_mmio_write};

/* The GIC's own reads and writes of RAM (LPI tables, the ITS's queue and
 * tables): anything outside RAM does not answer. A write invalidates
 * what the PEs decoded there. */
static bool gic_mem_read_hook(void *opaque, uint64_t pa, void *buf, size_t len)
{
    struct machine *m = opaque;
    if (!bus_is_ram(m->bus, pa, len))
        return false;
    memcpy(buf, bus_ram_host(m->bus) + (pa - bus_ram_base(m->bus)), len);
    return true;
}

static bool gic_mem_write_hook(void *opaque, uint64_t pa, const void *buf, size_t len)
{
    struct machine *m = opaque;
    if (!bus_is_ram(m->bus, pa, len))
        return false;
    memcpy(bus_ram_host(m->bus) + (pa - bus_ram_base(m->bus)), buf, len);
    code_cache_note_write(m->code, pa, len);
    return true;
}

/* What the guest did wrong that no register reports: on stderr, the
 * first few of them. */
#define MAX_NOTICES 16
static void gic_notice(void *opaque, const char *msg)
{
    struct machine *m = opaque;
    if (m->notices < MAX_NOTICES)
        fprintf(machine_diag(m), "a64sim: cycle %llu: %s\n", (unsigned long long)machine_now(m),
                msg);
    else if (m->notices == MAX_NOTICES)
        fprintf(machine_diag(m), "a64sim: further ITS command errors not shown\n");
    m->notices++;
}
static const struct mmio_ops gicr_ops = {gicr_mmio_read, gicr_mmio_write};

/* ---- the PL031 RTC: simulated time, its match interrupt on SPI 2 ---- */

static uint64_t rtc_now(void *opaque)
{
    return machine_now(opaque);
}

static void rtc_irq(void *opaque, int line, bool level)
{
    struct machine *m = opaque;
    gic_set_spi(m->gic, GIC_SPI_BASE + (unsigned)line, level);
}

/* After anything that can move or fire the match: schedule the next one. */
static void rtc_reschedule(struct machine *m)
{
    uint64_t at = pl031_next_event(m->rtc, machine_now(m));
    if (at == UINT64_MAX)
        sched_del(m->sched, &m->rtc_ev);
    else
        machine_schedule(m, &m->rtc_ev, at);
}

static void rtc_due(void *opaque, uint64_t now)
{
    struct machine *m = opaque;
    pl031_advance(m->rtc, now);
    rtc_reschedule(m);
}

static bool rtc_mmio_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    struct machine *m = opaque;
    bool ok = pl031_read(m->rtc, offset, size, value);
    rtc_reschedule(m);
    return ok;
}

static bool rtc_mmio_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    struct machine *m = opaque;
    bool ok = pl031_write(m->rtc, offset, size, value);
    rtc_reschedule(m);
    return ok;
}

static const struct mmio_ops rtc_ops = {rtc_mmio_read, rtc_mmio_write};

/* The PL011's interrupt output is SPI 1 (INTID 33), as on the virt board. */
static void uart_irq(void *opaque, int line, bool level)
{
    struct machine *m = opaque;
    gic_set_spi(m->gic, GIC_SPI_BASE + (unsigned)line, level);
}

/* Interrupt state transitions into the trace, stamped with the time of
 * whatever caused them (the PE inside an access, else the scheduler). An
 * SPI routed to no PE goes to the PE whose access changed it, or to the
 * machine. Installed only when tracing or explaining at an interrupt. */
static void gic_transition(void *opaque, unsigned pe, unsigned intid, enum gic_transition t,
                           uint8_t prio)
{
    static const enum trace_irq_transition kind[] = {
        [GIC_TR_PENDING] = TRACE_IRQ_PENDING,
        [GIC_TR_ACTIVE] = TRACE_IRQ_ACTIVE,
        [GIC_TR_ACKNOWLEDGED] = TRACE_IRQ_ACKNOWLEDGED,
        [GIC_TR_PRIORITY_DROP] = TRACE_IRQ_PRIORITY_DROP,
        [GIC_TR_DEACTIVATED] = TRACE_IRQ_DEACTIVATED,
        [GIC_TR_CLEARED] = TRACE_IRQ_CLEARED,
    };
    struct machine *m = opaque;
    trace_irq_state(m->trace, pe == GIC_NO_PE ? m->cur_pe : pe, machine_now(m), intid, kind[t],
                    prio);
    if (t == GIC_TR_PENDING)
        machine_observe_pending(m, intid);
}

static bool explains(const struct machine_config *cfg, enum explain_kind kind)
{
    for (unsigned k = 0; k < cfg->n_explain; k++)
        if (cfg->explain[k].kind == kind)
            return true;
    return false;
}

/* Before each instruction, when recording instructions, explaining at a
 * PC, logging instructions for explore or serving gdb: the same
 * instructions run either way (cpu/run_traced.c). gdb goes first: an
 * instruction it keeps from running now (it moved the PC or ended the
 * run) is not recorded. */
static void insn_hook(void *opaque, unsigned pe, uint64_t cycle, uint64_t pc, uint32_t insn)
{
    struct machine *m = opaque;
    if (m->cfg.gdb && !gdb_insn(m->cfg.gdb, m, pe, pc, insn))
        return;
    if (m->cfg.trace_insns && m->trace)
        trace_insn_hook(m->trace, pe, cycle, pc, insn);
    if (m->cfg.insn_log)
        m->cfg.insn_log(m->cfg.insn_log_opaque, pe, cycle, pc, insn);
    machine_observe_pc(m, pe, pc);
}

/* Whether the per-instruction hook must run: recording instructions,
 * explaining at a PC, logging instructions (insn_log), or gdb with a
 * breakpoint, watchpoint or step armed (GDB_ARMED). Otherwise the PEs run
 * the loop without it. */
static bool insn_hook_needed(const struct machine *m, bool gdb_armed)
{
    return (m->cfg.trace_insns && m->trace) || explains(&m->cfg, EXPLAIN_PC) || m->cfg.insn_log ||
           gdb_armed;
}

void machine_gdb_armed(struct machine *m, bool armed)
{
    for (unsigned i = 0; i < m->ncpus; i++)
        cpu_set_trace_insn(m->cpu[i], insn_hook_needed(m, armed) ? insn_hook : NULL);
}

static bool build_gic(struct machine *m, char *err, size_t errlen)
{
    struct gic_config gc = {
        .num_pes = m->cfg.cpus,
        .num_spis = m->cfg.spis,
        .pri_bits = m->cfg.gic_pri_bits,
        .num_lrs = m->cfg.gic_lrs,
        .version = (enum gic_version)m->cfg.gic_version,
        .lpi_bits = m->cfg.lpi_bits,
        .its = m->cfg.its != 0,
        .mem_read = gic_mem_read_hook,
        .mem_write = gic_mem_write_hook,
        .notice = gic_notice,
        .residency = m->cfg.vpe_latency ? gic_residency : NULL,
        .output = gic_output,
        .voutput = gic_voutput,
        .transition = m->trace || explains(&m->cfg, EXPLAIN_IRQ) ? gic_transition : NULL,
        .cpuif = m->trace ? gic_cpuif_event : NULL,
        .opaque = m,
    };
    for (unsigned i = 0; i < m->cfg.cpus; i++)
        gc.mpidr[i] = (1ull << 31) | i;
    m->gic = gic_new(&gc);
    if (!m->gic) {
        snprintf(err, errlen, "the GIC cannot be built with %u SPIs and %u priority bits",
                 m->cfg.spis, m->cfg.gic_pri_bits);
        return false;
    }
    m->race_state = m->cfg.race_seed ? m->cfg.race_seed : 1;
    return true;
}

/* Map every window of the board's devices (sim/board.h) on the bus, each
 * to the model that serves it. */
static void map_devices(struct machine *m, const struct board_device *devs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct board_device *d = &devs[i];
        for (unsigned w = 0; w < 2 && d->win[w].size; w++) {
            const struct mmio_ops *ops = NULL;
            void *opaque = NULL;
            switch (d->kind) {
            case BOARD_GIC:
                ops = w == 0 ? &gicd_ops : &gicr_ops;
                opaque = m->gic;
                break;
            case BOARD_UART:
                ops = &uart_ops;
                opaque = m->uart;
                break;
            case BOARD_RTC:
                ops = &rtc_ops;
                opaque = m;
                break;
            case BOARD_VIRTIO: ops = &virtio_mmio_empty_ops; break;
            case BOARD_ITS:
                ops = &gits_ops;
                opaque = m;
                break;
            }
            bus_map_mmio(m->bus, d->win[w].name, d->win[w].base, d->win[w].size * d->count, ops,
                         opaque);
        }
    }
}

/* ---- the PE's trace callbacks, adapted to the recorder ---- */

static void trace_exception_hook(void *opaque, unsigned pe, uint64_t cycle, bool entry,
                                 unsigned type, unsigned from_el, unsigned to_el, uint64_t syndrome,
                                 uint64_t elr, uint64_t target)
{
    struct trace_rec *t = ((struct machine *)opaque)->trace;
    if (entry)
        trace_exception_entry(t, pe, cycle, (enum trace_exc_type)type, from_el, to_el, syndrome,
                              elr, target);
    else
        trace_exception_return(t, pe, cycle, from_el, to_el, elr, syndrome);
}

static void trace_daif_hook(void *opaque, unsigned pe, uint64_t cycle, uint32_t daif, uint64_t pc)
{
    /* The recorder takes D, A, I, F as bits 3-0. */
    trace_daif(((struct machine *)opaque)->trace, pe, cycle, (daif >> 6) & 0xf, pc);
}

/* ---- the generic timer and its wiring ---- */

/* The trace's name for the timer on PPI INTID. */
static enum trace_timer trace_timer_of(unsigned intid)
{
    switch (intid) {
    case TIMER_PPI_EL1_PHYS: return TRACE_TIMER_EL1_PHYS;
    case TIMER_PPI_EL1_VIRT: return TRACE_TIMER_EL1_VIRT;
    case TIMER_PPI_EL2_PHYS: return TRACE_TIMER_EL2_PHYS;
    default: return TRACE_TIMER_EL2_VIRT;
    }
}

/* The line of timer PPI INTID of PE. */
static struct timer_line *timer_line_of(struct machine *m, unsigned pe, unsigned intid)
{
    static const unsigned ppis[TIMER_LINES] = {TIMER_PPI_EL1_PHYS, TIMER_PPI_EL1_VIRT,
                                               TIMER_PPI_EL2_PHYS, TIMER_PPI_EL2_VIRT};
    unsigned k = 0;
    while (k + 1 < TIMER_LINES && ppis[k] != intid)
        k++;
    return &m->timer_lines[pe][k];
}

/* The oldest change on LINE reaches the GIC; the next one is scheduled. */
static void timer_line_apply(struct timer_line *l)
{
    gic_set_ppi(l->m->gic, l->pe, l->intid, l->q[0].level);
    l->n--;
    memmove(l->q, l->q + 1, l->n * sizeof l->q[0]);
    if (l->n)
        machine_schedule(l->m, &l->ev, l->q[0].at);
}

static void timer_line_due(void *opaque, uint64_t now)
{
    (void)now;
    timer_line_apply(opaque);
}

/* A timer output is a level on its PE's PPI; the GIC adds its latency.
 * With --jitter timer and --race-seed, each change reaches the PPI a drawn
 * time later, the changes of one line in order (a full queue lets the
 * oldest through at once). */
static void timer_output_hook(void *opaque, unsigned pe, unsigned intid, bool level)
{
    struct machine *m = opaque;
    uint64_t now = machine_now(m);
    if (m->trace)
        trace_timer(m->trace, pe, now, trace_timer_of(intid), level);
    uint64_t d = machine_perturbed(m, 0, RACE_TIMER, pe);
    struct timer_line *l = timer_line_of(m, pe, intid);
    if (d == 0 && l->n == 0) {
        gic_set_ppi(m->gic, pe, intid, level);
        return;
    }
    if (l->n == TIMER_LINE_QUEUE) {
        sched_del(m->sched, &l->ev);
        timer_line_apply(l);
    }
    uint64_t at = now + d;
    if (l->n && l->q[l->n - 1].at > at)
        at = l->q[l->n - 1].at;
    l->q[l->n].at = at;
    l->q[l->n].level = level;
    if (l->n++ == 0)
        machine_schedule(m, &l->ev, at);
}

static void timer_schedule_hook(void *opaque, struct sched_event *ev, uint64_t when)
{
    machine_schedule(opaque, ev, when);
}

static uint64_t timer_bit_transition_hook(void *opaque, unsigned pe, bool virt, unsigned bit,
                                          bool rising, uint64_t after)
{
    struct machine *m = opaque;
    return timer_bit_transition(m->timer, pe, virt, bit, rising, after);
}

/* An event-stream edge for a PE that slept in WFE when it was scheduled
 * (cpu_evstream_due checks it still does). */
static void evstream_due(void *opaque, uint64_t now)
{
    struct evstream_wake *w = opaque;
    cpu_evstream_due(w->m->cpu[w->pe], now);
}

static uint64_t timer_read_hook(void *opaque, unsigned pe, unsigned reg, uint64_t now)
{
    struct machine *m = opaque;
    return timer_read(m->timer, pe, (enum timer_reg)reg, now);
}

static void timer_write_hook(void *opaque, unsigned pe, unsigned reg, uint64_t value, uint64_t now)
{
    struct machine *m = opaque;
    timer_write(m->timer, pe, (enum timer_reg)reg, value, now);
}

static void build_timer(struct machine *m)
{
    struct timer_config tc = {
        .npe = m->cfg.cpus,
        .cntfrq = m->cfg.cntfrq,
        .pe_hz = PE_CLOCK_HZ,
        .have_el2 = m->cfg.el >= 2,
        /* The EL2 virtual timer comes with FEAT_VHE: --cpu max only. */
        .have_el2_virt = m->cfg.el >= 2 && m->cfg.profile == CPU_PROFILE_MAX,
        .sched = m->sched,
        .output = timer_output_hook,
        .schedule = timer_schedule_hook,
        .opaque = m,
    };
    m->timer = timer_new(&tc);
    if (!m->timer)
        host_out_of_memory();
}

static bool build_cpus(struct machine *m)
{
    m->code = code_cache_new(m->bus, &m->cfg.cost);
    if (!m->code)
        return false;
    for (unsigned i = 0; i < m->cfg.cpus; i++) {
        struct cpu_config cc = {
            .index = i,
            /* MPIDR_EL1: RES1 bit 31, Aff0 = PE number (QEMU virt layout
             * for up to 8 PEs). */
            .mpidr = (1ull << 31) | i,
            .el = m->cfg.el,
            .profile = m->cfg.profile,
            .conduit = m->cfg.el >= 2 ? CONDUIT_SMC : CONDUIT_HVC,
            .bus = m->bus,
            .code = m->code,
            .cost = &m->cfg.cost,
            .hooks = {.opaque = m,
                      .call = firmware_call,
                      .trace_insn = insn_hook_needed(m, false) ? insn_hook : NULL,
                      .sysregs = {.opaque = m->gic, .gic_cpuif = m->cfg.gic_version == 2 ? 3 : 1},
                      .timer_read = timer_read_hook,
                      .timer_write = timer_write_hook,
                      .timer_bit_transition = timer_bit_transition_hook,
                      .trace_exception = m->trace ? trace_exception_hook : NULL,
                      .trace_daif = m->trace ? trace_daif_hook : NULL,
                      .trace_opaque = m},
        };
        cc.hooks.sysregs.rows = gic_sysregs(m->gic, &cc.hooks.sysregs.n);
        m->cpu[i] = cpu_new(&cc);
        if (!m->cpu[i])
            return false;
        m->ncpus++;
    }
    return true;
}

/* ---- loading ---- */

/* The device tree a Linux boot gets: --dtb's (with /chosen updated for
 * --append and the initrd), or the board's own. */
static bool boot_dtb(struct machine *m, const struct board_boot *bb, struct boot_blob *out,
                     char *err, size_t errlen)
{
    const struct machine_config *cfg = &m->cfg;
    if (!cfg->dtb) {
        struct dt *t = board_device_tree(cfg, bb, err, errlen);
        if (!t)
            return false;
        const void *blob;
        size_t size;
        bool ok = dt_finish(t, &blob, &size, err, errlen);
        if (ok) {
            out->data = malloc(size);
            if (!out->data)
                host_out_of_memory();
            memcpy(out->data, blob, size);
            out->size = size;
        }
        dt_free(t);
        return ok;
    }
    struct boot_blob file;
    char why[256];
    if (!boot_read_file(cfg->dtb, BOOT_DTB_MAX_SIZE, &file, err, errlen))
        return false;
    if (!dt_check(file.data, file.size, why, sizeof why)) {
        snprintf(err, errlen, "%s: %s", cfg->dtb, why);
        boot_blob_release(&file);
        return false;
    }
    *out = (struct boot_blob){.data = malloc(BOOT_DTB_MAX_SIZE), .size = BOOT_DTB_MAX_SIZE};
    if (!out->data)
        host_out_of_memory();
    bool ok = dt_set_chosen(file.data, out->data, BOOT_DTB_MAX_SIZE, bb->bootargs, bb->initrd_start,
                            bb->initrd_end, &out->size, why, sizeof why);
    boot_blob_release(&file);
    if (!ok) {
        snprintf(err, errlen, "%s: %s", cfg->dtb, why);
        boot_blob_release(out);
    }
    return ok;
}

/* The kernel, and for a Linux boot (an image that is not ELF, or any of
 * --append, --initrd, --dtb) the initrd and the device tree, placed as
 * QEMU's virt board places them (loader/boot.h). */
static bool load_boot(struct machine *m, const struct mem_target *ram, char *err, size_t errlen)
{
    const struct machine_config *cfg = &m->cfg;
    if (!boot_load_kernel(cfg->image, cfg->raw, ram, &m->kernel, err, errlen))
        return false;
    if (m->kernel.kind == BOOT_ELF && !cfg->append && !cfg->initrd && !cfg->dtb)
        return true;
    struct board_boot bb = {.bootargs = cfg->append};
    struct boot_blob initrd = {0}, dtb = {0};
    uint64_t end = m->kernel.end, at = 0;
    if (cfg->initrd) {
        if (!boot_read_file(cfg->initrd, ram->size, &initrd, err, errlen))
            return false;
        char why[256];
        if (!boot_place_initrd(ram, &m->kernel, initrd.size, &at, why, sizeof why)) {
            snprintf(err, errlen, "%s: %s", cfg->initrd, why);
            boot_blob_release(&initrd);
            return false;
        }
        bb.initrd_start = at;
        bb.initrd_end = end = at + initrd.size;
    }
    bool ok = boot_dtb(m, &bb, &dtb, err, errlen) && boot_place_dtb(ram, end, &at, err, errlen);
    if (ok) {
        if (initrd.size)
            boot_copy(ram, bb.initrd_start, initrd.data, initrd.size);
        boot_copy(ram, at, dtb.data, dtb.size);
        m->boot_x0 = at;
        m->boot_hash = boot_hash(
            boot_hash(boot_hash(BOOT_HASH_INIT, initrd.data, initrd.size), dtb.data, dtb.size), &at,
            sizeof at);
    }
    boot_blob_release(&initrd);
    boot_blob_release(&dtb);
    return ok;
}

/* The header records everything that decides the run: the configuration
 * and the image, by hash (no path: see docs/trace-format.md). */
static bool start_trace(struct machine *m, char *err, size_t errlen)
{
    if (!m->cfg.trace)
        return true;
    struct trace_header h;
    trace_header_from_config(&h, &m->cfg, m->kernel.hash);
    if (m->boot_hash)
        trace_header_add(&h, "boot.hash", m->boot_hash);
    if (!trace_rec_start(m->cfg.trace, &h, err, errlen))
        return false;
    m->trace = m->cfg.trace;
    return true;
}

struct machine *machine_new(const struct machine_config *cfg, char *err, size_t errlen)
{
    struct machine *m = calloc(1, sizeof(*m));
    if (!m)
        host_out_of_memory();
    m->cfg = *cfg;
    m->round_end = SCHED_NEVER;
    m->cur_pe = TRACE_PE_NONE;
    /* Every event is set up before anything can fail, so that
     * machine_free can cancel each one whatever was built. */
    sched_event_init(&m->stim_ev, stimulus_fire, m);
    sched_event_init(&m->rtc_ev, rtc_due, m);
    sched_event_init(&m->its_ev, its_due, m);
    for (unsigned i = 0; i < MAX_CPUS; i++) {
        m->power_on[i] = (struct power_on){.m = m, .pe = i};
        sched_event_init(&m->power_on[i].ev, power_on_done, &m->power_on[i]);
        m->evstream[i] = (struct evstream_wake){.m = m, .pe = i};
        sched_event_init(&m->evstream[i].ev, evstream_due, &m->evstream[i]);
        m->deliver[i] = (struct line_delivery){.m = m, .pe = i};
        sched_event_init(&m->deliver[i].ev, delivery_due, &m->deliver[i]);
        m->vpe[i] = (struct vpe_change){.m = m, .pe = i};
        sched_event_init(&m->vpe[i].ev, vpe_due, &m->vpe[i]);
        for (unsigned k = 0; k < TIMER_LINES; k++) {
            static const unsigned ppis[TIMER_LINES] = {TIMER_PPI_EL1_PHYS, TIMER_PPI_EL1_VIRT,
                                                       TIMER_PPI_EL2_PHYS, TIMER_PPI_EL2_VIRT};
            m->timer_lines[i][k] = (struct timer_line){.m = m, .pe = i, .intid = ppis[k]};
            sched_event_init(&m->timer_lines[i][k].ev, timer_line_due, &m->timer_lines[i][k]);
        }
    }
    if (!machine_config_check(cfg, err, errlen))
        goto fail;
    m->bus = bus_new(BOARD_RAM_BASE, cfg->mem_size);
    m->sched = sched_new();
    if (!m->bus || !m->sched)
        host_fail("the host cannot reserve %llu bytes of address space for guest RAM (--mem)",
                  (unsigned long long)cfg->mem_size);
    /* Load first: a bad image must fail before any output file exists. */
    struct mem_target ram = {BOARD_RAM_BASE, cfg->mem_size, bus_ram_host(m->bus), true};
    if (!load_boot(m, &ram, err, errlen))
        goto fail;
    if (cfg->stimulus && !check_stimulus_spis(cfg, err, errlen))
        goto fail;
    if ((!cfg->replay_input && !open_input(m, cfg->uart_in, err, errlen)) ||
        !open_output(m, cfg->uart_out, err, errlen) || !start_trace(m, err, errlen))
        goto fail;
    /* The UART asks for input at reset, so the recorder must be ready. */
    if (!build_gic(m, err, errlen))
        goto fail;
    build_timer(m);
    struct board_device devs[BOARD_MAX_DEVICES];
    size_t ndevs = board_devices(cfg, devs);
    const struct board_device *uart = board_find(devs, ndevs, BOARD_UART);
    m->uart = pl011_new(uart_tx, uart_rx, m, (struct irq_line){uart_irq, m, uart->spi, false});
    if (!m->uart || !build_cpus(m))
        host_out_of_memory();
    m->rtc = pl031_new(&(struct pl031_config){
        .epoch = (uint32_t)cfg->rtc_epoch,
        .pe_hz = PE_CLOCK_HZ,
        .now = rtc_now,
        .now_opaque = m,
        .irq = {rtc_irq, m, board_find(devs, ndevs, BOARD_RTC)->spi, false},
    });
    if (!m->rtc)
        host_out_of_memory();
    map_devices(m, devs, ndevs);
    if (m->trace && cfg->trace_mmio)
        bus_set_observer(m->bus, mmio_observed, m);
    m->explain_irq_due = -1;
    if (cfg->stimulus && stimulus_count(cfg->stimulus))
        sched_mod(m->sched, &m->stim_ev, stimulus_event(cfg->stimulus, 0)->cycle);
    m->psci =
        (struct psci_platform){m, psci_find_pe, psci_power_state, psci_power_on, psci_valid_entry};
    /* The boot PE starts at the kernel's entry with X0 = the device tree
     * (0 for a plain ELF run); secondary PEs are off until PSCI CPU_ON. */
    cpu_reset(m->cpu[0], m->kernel.entry, m->boot_x0);
    for (unsigned i = 1; i < m->ncpus; i++)
        cpu_power_off(m->cpu[i]);
    return m;
fail:
    /* The output file this call created is removed with the rest. */
    if (m->out_owned && m->out_regular) {
        fclose(m->out);
        m->out = NULL;
        unlink(cfg->uart_out);
    }
    machine_free(m);
    return NULL;
}

void machine_free(struct machine *m)
{
    if (!m)
        return;
    for (unsigned i = 0; i < MAX_CPUS && m->sched; i++) {
        sched_del(m->sched, &m->power_on[i].ev);
        sched_del(m->sched, &m->evstream[i].ev);
        sched_del(m->sched, &m->deliver[i].ev);
        sched_del(m->sched, &m->vpe[i].ev);
        for (unsigned k = 0; k < TIMER_LINES; k++)
            sched_del(m->sched, &m->timer_lines[i][k].ev);
    }
    for (unsigned i = 0; i < m->ncpus; i++)
        cpu_free(m->cpu[i]);
    code_cache_free(m->code);
    pl011_free(m->uart);
    pl031_free(m->rtc);
    timer_free(m->timer);
    gic_free(m->gic);
    if (m->in_raw)
        host_terminal_restore();
    if (m->in_nonblocking) {
        int fl = fcntl(STDIN_FILENO, F_GETFL);
        if (fl >= 0)
            fcntl(STDIN_FILENO, F_SETFL, fl & ~O_NONBLOCK);
    }
    if (m->in_owned)
        fclose(m->in);
    if (m->out_owned && m->out)
        fclose(m->out);
    boot_image_release(&m->kernel);
    free(m->rxq);
    if (m->sched) {
        sched_del(m->sched, &m->stim_ev);
        sched_del(m->sched, &m->rtc_ev);
        sched_del(m->sched, &m->its_ev);
    }
    sched_free(m->sched);
    bus_free(m->bus);
    free(m);
}
