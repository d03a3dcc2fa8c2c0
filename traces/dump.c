/* Record lines. Every kind has one formatting function; the table at the
 * bottom picks it, so a new kind is one function and one table entry. */
#include "traces/dump.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf.h"
#include "sim/bus.h"
#include "sim/machine.h"
#include "traces/disasm.h"
#include "traces/pe_state.h"
#include "traces/reader.h"
#include "sim/host.h"

struct trace_fmt {
    struct disasm *dis;
    const struct elf_image *img;
};

struct trace_fmt *trace_fmt_new(const struct elf_image *img)
{
    struct trace_fmt *f = calloc(1, sizeof(*f));
    if (!f)
        host_out_of_memory();
    f->dis = disasm_new();
    f->img = img;
    return f;
}

void trace_fmt_free(struct trace_fmt *f)
{
    if (!f)
        return;
    disasm_free(f->dis);
    free(f);
}

/* An output buffer that never overflows: what does not fit is cut. */
struct out {
    char *buf;
    size_t len, used;
};

static void put(struct out *o, const char *fmt, ...)
{
    if (o->used >= o->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->used += (size_t)n < o->len - o->used ? (size_t)n : o->len - o->used - 1;
}

static void put_addr(struct trace_fmt *f, struct out *o, uint64_t addr)
{
    const char *sym;
    uint64_t off;
    put(o, "0x%" PRIx64, addr);
    if (f->img && elf_symbol_at(f->img, addr, &sym, &off))
        put(o, " <%s+0x%" PRIx64 ">", sym, off);
}

/* A byte as a C character literal, then its value. */
static void put_char(struct out *o, uint8_t b)
{
    static const char esc[] = {['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't', [0] = '0'};
    if (b < sizeof(esc) && esc[b])
        put(o, "'\\%c' (0x%02x)", esc[b], b);
    else if (b == '\'' || b == '\\')
        put(o, "'\\%c' (0x%02x)", b, b);
    else if (b >= 0x20 && b < 0x7f)
        put(o, "'%c' (0x%02x)", b, b);
    else
        put(o, "0x%02x", b);
}

static const char *pick(const char *const *names, size_t n, uint64_t v)
{
    return v < n && names[v] ? names[v] : "?";
}
#define PICK(names, v) pick(names, sizeof(names) / sizeof(names[0]), v)

/* ---- one function per kind ---- */

static void fmt_insn(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    char text[160];
    uint64_t pc = trace_field(r, INSN_PC);
    uint32_t enc = (uint32_t)trace_field(r, INSN_ENCODING);
    put_addr(f, o, pc);
    put(o, ": %08" PRIx32 "  %s", enc, disasm_one(f->dis, enc, pc, text, sizeof(text)));
}

static const char *const exc_types[] = {"synchronous", "IRQ", "FIQ", "SError"};

static void fmt_exc_entry(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    put(o, "%s from EL%" PRIu64 " to EL%" PRIu64 ", ESR 0x%" PRIx64 ", ELR ",
        PICK(exc_types, trace_field(r, EXC_TYPE)), trace_field(r, EXC_FROM_EL),
        trace_field(r, EXC_TO_EL), trace_field(r, EXC_ESR));
    put_addr(f, o, trace_field(r, EXC_ELR));
    put(o, ", vector ");
    put_addr(f, o, trace_field(r, EXC_TARGET));
}

static void fmt_exc_return(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    put(o, "ERET from EL%" PRIu64 " to EL%" PRIu64 ", to ", trace_field(r, ERET_FROM_EL),
        trace_field(r, ERET_TO_EL));
    put_addr(f, o, trace_field(r, ERET_ELR));
    put(o, ", SPSR 0x%" PRIx64, trace_field(r, ERET_SPSR));
}

static const char *const transitions[] = {"pending",       "active",      "acknowledged",
                                          "priority drop", "deactivated", "cleared"};

static void fmt_irq_state(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    put(o, "INTID %" PRIu64 " %s, priority 0x%02" PRIx64, trace_field(r, IRQ_INTID),
        PICK(transitions, trace_field(r, IRQ_TRANSITION)), trace_field(r, IRQ_PRIORITY));
}

static const char *const lines[] = {"IRQ", "FIQ", "SError", "vIRQ", "vFIQ"};

static void fmt_irq_line(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    put(o, "%s %s", PICK(lines, trace_field(r, LINE_LINE)),
        trace_field(r, LINE_LEVEL) ? "high" : "low");
}

static void fmt_daif(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    uint64_t v = trace_field(r, DAIF_VALUE);
    put(o, "DAIF=%c%c%c%c, at ", v & 8 ? 'D' : '-', v & 4 ? 'A' : '-', v & 2 ? 'I' : '-',
        v & 1 ? 'F' : '-');
    put_addr(f, o, trace_field(r, DAIF_PC));
}

static void fmt_pmr(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    put(o, "ICC_PMR_EL1 0x%02" PRIx64 ", at ", trace_field(r, PMR_VALUE));
    put_addr(f, o, trace_field(r, PMR_PC));
}

static void fmt_vgic_lr(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    uint64_t lr = trace_field(r, LR_VALUE);
    static const char *const states[] = {"invalid", "pending", "active", "active+pending"};
    put(o,
        "ICH_LR%" PRIu64 "_EL2 0x%016" PRIx64 " (vINTID %" PRIu64 " %s, priority 0x%02" PRIx64
        ", Group %u",
        trace_field(r, LR_INDEX), lr, lr & 0xffffffffu, states[lr >> 62], (lr >> 48) & 0xff,
        (unsigned)((lr >> 60) & 1));
    if (lr >> 61 & 1)
        put(o, ", HW pINTID %" PRIu64, (lr >> 32) & 0x1fff);
    else if (lr >> 41 & 1)
        put(o, ", EOI");
    put(o, "), at ");
    put_addr(f, o, trace_field(r, LR_PC));
}

static const char *const vtransitions[] = {"acknowledged", "priority drop", "deactivated",
                                           "EOIcount"};

static void fmt_virq_state(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    put(o, "vINTID %" PRIu64 " %s", trace_field(r, VIRQ_VINTID),
        PICK(vtransitions, trace_field(r, VIRQ_TRANSITION)));
    if (trace_field(r, VIRQ_LR) != TRACE_NO_LR)
        put(o, ", LR%" PRIu64, trace_field(r, VIRQ_LR));
    if (trace_field(r, VIRQ_TRANSITION) != TRACE_VIRQ_EOICOUNT)
        put(o, ", priority 0x%02" PRIx64, trace_field(r, VIRQ_PRIORITY));
}

static void fmt_maintenance(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    put(o, "maintenance interrupt %s, ICH_MISR_EL2 0x%02" PRIx64,
        trace_field(r, MAINT_LEVEL) ? "asserted" : "deasserted", trace_field(r, MAINT_MISR));
}

/* DESIGN.md's board: the timers' PPIs. */
static const char *const timers[] = {"EL1 physical timer (PPI 30)", "EL1 virtual timer (PPI 27)",
                                     "EL2 physical timer (PPI 26)", "EL2 virtual timer (PPI 28)"};

static void fmt_timer(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    put(o, "%s %s", PICK(timers, trace_field(r, TIMER_TIMER)),
        trace_field(r, TIMER_LEVEL) ? "high" : "low");
}

static const char *const waits[] = {"WFI", "WFE"};

static void fmt_sleep(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    put(o, "%s at ", PICK(waits, trace_field(r, SLEEP_HOW)));
    put_addr(f, o, trace_field(r, SLEEP_PC));
}

static void fmt_wake(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    put(o, "from %s", PICK(waits, trace_field(r, WAKE_HOW)));
}

/* PSCI (Arm DEN 0022) function numbers: the low bits of the function ID;
 * 0x84000000 is the SMC32 range, 0xC4000000 the SMC64 one. */
static const char *const psci_names[] = {
    "PSCI_VERSION",
    "CPU_SUSPEND",
    "CPU_OFF",
    "CPU_ON",
    "AFFINITY_INFO",
    "MIGRATE",
    "MIGRATE_INFO_TYPE",
    "MIGRATE_INFO_UP_CPU",
    "SYSTEM_OFF",
    "SYSTEM_RESET",
    "PSCI_FEATURES",
    "CPU_FREEZE",
    "CPU_DEFAULT_SUSPEND",
    "NODE_HW_STATE",
    "SYSTEM_SUSPEND",
    "PSCI_SET_SUSPEND_MODE",
    "PSCI_STAT_RESIDENCY",
    "PSCI_STAT_COUNT",
    "SYSTEM_RESET2",
    "MEM_PROTECT",
    "MEM_PROTECT_CHECK_RANGE",
};
static const char *const psci_errors[] = {
    "SUCCESS",    "NOT_SUPPORTED",    "INVALID_PARAMETERS", "DENIED",   "ALREADY_ON",
    "ON_PENDING", "INTERNAL_FAILURE", "NOT_PRESENT",        "DISABLED", "INVALID_ADDRESS",
};

static void fmt_psci(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    uint32_t fid = (uint32_t)trace_field(r, PSCI_FID);
    bool psci_range = (fid & 0xbfffff00u) == 0x84000000u;
    const char *name = psci_range ? PICK(psci_names, fid & 0xff) : "not a PSCI function";
    uint64_t res = trace_field(r, PSCI_RESULT);
    int32_t code = (int32_t)res;
    put(o,
        "%s (0x%08" PRIx32 ") x1=0x%" PRIx64 " x2=0x%" PRIx64 " x3=0x%" PRIx64 " -> x0=0x%" PRIx64,
        name, fid, trace_field(r, PSCI_X1), trace_field(r, PSCI_X2), trace_field(r, PSCI_X3), res);
    if (code < 0 && code >= -9 && (res >> 32) == 0xffffffffu)
        put(o, " (%s)", psci_errors[-code]);
}

static void fmt_uart_tx(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    put_char(o, (uint8_t)trace_field(r, UART_BYTE));
}

static const char *const mmio_results[] = {"", " -> unmapped: external abort",
                                           " -> refused by the device: external abort"};

static void fmt_mmio(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    put(o, "%s 0x%08" PRIx64 " (%" PRIu64 " bytes) = 0x%" PRIx64 "%s",
        trace_field(r, MMIO_WRITE) ? "write" : "read", trace_field(r, MMIO_PA),
        trace_field(r, MMIO_SIZE), trace_field(r, MMIO_VALUE),
        PICK(mmio_results, trace_field(r, MMIO_RESULT)));
}

static void fmt_input_uart_rx(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    size_t len;
    const uint8_t *t = trace_text(r, &len);
    put(o, "\"");
    for (size_t i = 0; i < len; i++) {
        uint8_t b = t[i];
        if (b == '\n')
            put(o, "\\n");
        else if (b == '\r')
            put(o, "\\r");
        else if (b == '\t')
            put(o, "\\t");
        else if (b == '"' || b == '\\')
            put(o, "\\%c", b);
        else if (b >= 0x20 && b < 0x7f)
            put(o, "%c", b);
        else
            put(o, "\\x%02x", b);
    }
    put(o, "\" (%zu bytes)", len);
}

static void fmt_input_spi(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    put(o, "INTID %" PRIu64 " level %" PRIu64, trace_field(r, SPI_INTID),
        trace_field(r, SPI_LEVEL));
}

static void fmt_input_msi(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    put(o, "DeviceID 0x%" PRIx64 " EventID %" PRIu64, trace_field(r, MSI_DEVID),
        trace_field(r, MSI_EVENTID));
}

static void fmt_input_host_uart(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    put_char(o, (uint8_t)trace_field(r, HOST_BYTE));
    put(o, ", UART request %" PRIu64, trace_field(r, HOST_PULL));
}

static const char *const end_reasons[] = {
    "guest powered off (PSCI SYSTEM_OFF)",
    "guest exited through semihosting",
    "deadlock",
    "guest fault",
    "instruction limit reached",
    "cycle limit reached",
    "guest asked for a system reset (PSCI SYSTEM_RESET)",
    "every PE powered off (PSCI CPU_OFF)",
    "interrupted by the user (SIGINT or SIGTERM)",
    "the UART output could not be written",
};

static void fmt_run_end(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    (void)f;
    put(o, "%s, exit code %" PRId32 ", %" PRIu64 " instructions, %" PRIu64 " cycles",
        PICK(end_reasons, trace_field(r, END_REASON)), (int32_t)trace_field(r, END_EXIT_CODE),
        trace_field(r, END_INSNS), trace_field(r, END_CYCLES));
}

/* The PSTATE fields a reader looks for first, from the SPSR layout:
 * EL and SP selection in M[3:0] (EL1h: SP_EL1, EL1t: SP_EL0), NZCV in
 * bits 31:28, DAIF in bits 9:6. */
static void put_pstate(struct out *o, uint64_t ps)
{
    put(o, "pstate 0x%" PRIx64 " (EL%u%c, NZCV=%c%c%c%c, DAIF=%c%c%c%c)", ps,
        (unsigned)(ps >> 2) & 3, ps & 1 ? 'h' : 't', (ps >> 31) & 1 ? 'N' : '-',
        (ps >> 30) & 1 ? 'Z' : '-', (ps >> 29) & 1 ? 'C' : '-', (ps >> 28) & 1 ? 'V' : '-',
        (ps >> 9) & 1 ? 'D' : '-', (ps >> 8) & 1 ? 'A' : '-', (ps >> 7) & 1 ? 'I' : '-',
        (ps >> 6) & 1 ? 'F' : '-');
}

/* Where the details start on a record's line: the cycle, the PE and the
 * kind name before them (trace_fmt_record). */
#define DETAIL_COLUMN 35

/* One line of pc and pstate, then the registers on lines of their own,
 * indented to the details. */
static void fmt_pe_state(struct trace_fmt *f, const struct trace_record *r, struct out *o)
{
    struct trace_pe_state s;
    trace_pe_state_of_record(r, &s);
    put(o, "pc ");
    put_addr(f, o, s.pc);
    put(o, ", ");
    put_pstate(o, s.pstate);
    char indent[DETAIL_COLUMN + 1];
    memset(indent, ' ', DETAIL_COLUMN);
    indent[DETAIL_COLUMN] = 0;
    put(o, "\n");
    if (o->used + 1 < o->len)
        o->used += trace_pe_state_text(&s, indent, o->buf + o->used, o->len - o->used);
}

typedef void (*fmt_fn)(struct trace_fmt *f, const struct trace_record *r, struct out *o);

static const fmt_fn formatters[TRACE_KIND_END] = {
    [TRACE_INSN] = fmt_insn,
    [TRACE_EXC_ENTRY] = fmt_exc_entry,
    [TRACE_EXC_RETURN] = fmt_exc_return,
    [TRACE_IRQ_STATE] = fmt_irq_state,
    [TRACE_IRQ_LINE] = fmt_irq_line,
    [TRACE_DAIF] = fmt_daif,
    [TRACE_PMR] = fmt_pmr,
    [TRACE_TIMER] = fmt_timer,
    [TRACE_SLEEP] = fmt_sleep,
    [TRACE_WAKE] = fmt_wake,
    [TRACE_PSCI] = fmt_psci,
    [TRACE_UART_TX] = fmt_uart_tx,
    [TRACE_MMIO] = fmt_mmio,
    [TRACE_INPUT_UART_RX] = fmt_input_uart_rx,
    [TRACE_INPUT_SPI] = fmt_input_spi,
    [TRACE_INPUT_MSI] = fmt_input_msi,
    [TRACE_INPUT_HOST_UART] = fmt_input_host_uart,
    [TRACE_RUN_END] = fmt_run_end,
    [TRACE_PE_STATE] = fmt_pe_state,
    [TRACE_VGIC_LR] = fmt_vgic_lr,
    [TRACE_VIRQ_STATE] = fmt_virq_state,
    [TRACE_MAINTENANCE] = fmt_maintenance,
};

const char *trace_fmt_record(struct trace_fmt *f, const struct trace_record *rec, char *buf,
                             size_t len)
{
    struct out o = {buf, len, 0};
    buf[0] = 0;
    const struct trace_kind_desc *d = trace_kind_desc(rec->kind);
    char pe[8] = "-";
    if (rec->pe != TRACE_PE_NONE)
        snprintf(pe, sizeof(pe), "pe%u", rec->pe);
    put(&o, "%12" PRIu64 "  %-4s %-15s ", rec->cycle, pe, d ? d->name : "?");
    if (d)
        formatters[rec->kind](f, rec, &o);
    return buf;
}

void trace_print_record(struct trace_fmt *f, FILE *out, const char *prefix,
                        const struct trace_record *rec)
{
    char line[TRACE_FMT_MAX];
    const char *p = trace_fmt_record(f, rec, line, sizeof(line));
    int indent = (int)strlen(prefix);
    for (bool first = true; *p; first = false) {
        size_t n = strcspn(p, "\n");
        fprintf(out, "%*s%.*s\n", indent, first ? prefix : "", (int)n, p);
        p += n + (p[n] == '\n');
    }
}

void trace_fmt_header(const struct trace_header *h, FILE *out)
{
    fprintf(out, "# a64sim trace, format %" PRIu32 ", written by a64sim %s\n", h->version,
            h->sim_version);
    fprintf(out, "# configuration (hash 0x%016" PRIx64 "):\n", h->config_hash);
    for (unsigned i = 0; i < h->nitems; i++) {
        const struct trace_item *it = &h->item[i];
        if (strstr(it->key, "hash"))
            fprintf(out, "#   %s = 0x%016" PRIx64 "\n", it->key, it->value);
        else
            fprintf(out, "#   %s = %" PRIu64 "\n", it->key, it->value);
    }
}

/* ---- the image, for symbols ---- */

struct trace_image {
    struct bus *bus;
    struct elf_image *img;
};

struct trace_image *trace_image_open(const char *path, const struct trace_header *h, char *err,
                                     size_t errlen)
{
    uint64_t mem = DEFAULT_MEM_SIZE, want;
    trace_header_get(h, "mem", &mem);
    if (mem < MIN_MEM_SIZE || mem > MAX_MEM_SIZE)
        mem = DEFAULT_MEM_SIZE;
    struct trace_image *ti = calloc(1, sizeof(*ti));
    if (!ti)
        host_out_of_memory();
    /* The loader wants RAM to load into; reserved, it costs nothing. */
    ti->bus = bus_new(BOARD_RAM_BASE, mem);
    if (!ti->bus) {
        snprintf(err, errlen, "%s: cannot reserve host memory to load it", path);
        free(ti);
        return NULL;
    }
    struct mem_target ram = {BOARD_RAM_BASE, mem, bus_ram_host(ti->bus), true};
    ti->img = elf_load(path, &ram, err, errlen);
    if (ti->img && trace_header_get(h, "image.hash", &want) && elf_file_hash(ti->img) != want) {
        snprintf(err, errlen,
                 "%s: not the image this trace was recorded from (file hash 0x%016" PRIx64
                 ", the trace's image.hash 0x%016" PRIx64 ")",
                 path, elf_file_hash(ti->img), want);
        elf_image_free(ti->img);
        ti->img = NULL;
    }
    if (!ti->img) {
        trace_image_free(ti);
        return NULL;
    }
    return ti;
}

const struct elf_image *trace_image_elf(const struct trace_image *ti)
{
    return ti ? ti->img : NULL;
}

void trace_image_free(struct trace_image *ti)
{
    if (!ti)
        return;
    elf_image_free(ti->img);
    bus_free(ti->bus);
    free(ti);
}

/* ---- filters ---- */

void trace_filter_init(struct trace_filter *f)
{
    *f = (struct trace_filter){.to = UINT64_MAX};
}

bool trace_filter_kinds(struct trace_filter *f, const char *list, char *err, size_t errlen)
{
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        char name[32];
        snprintf(name, sizeof(name), "%.*s", (int)n, p);
        unsigned k = trace_kind_by_name(name);
        if (!k) {
            int used = snprintf(err, errlen, "--kinds: unknown record kind '%s' (kinds:", name);
            for (unsigned i = 1; i < TRACE_KIND_END && used > 0 && (size_t)used < errlen; i++)
                used +=
                    snprintf(err + used, errlen - (size_t)used, " %s", trace_kind_desc(i)->name);
            if (used > 0 && (size_t)used < errlen)
                snprintf(err + used, errlen - (size_t)used, ")");
            return false;
        }
        f->kinds |= 1u << k;
        p += n + (p[n] == ',');
    }
    if (!f->kinds) {
        snprintf(err, errlen, "--kinds: expected a comma-separated list of record kinds");
        return false;
    }
    return true;
}

bool trace_filter_match(const struct trace_filter *f, const struct trace_record *rec)
{
    if (f->by_pe && rec->pe != f->pe)
        return false;
    if (rec->cycle < f->from || rec->cycle > f->to)
        return false;
    return !f->kinds || (f->kinds >> rec->kind) & 1;
}

/* ---- the command ---- */

int trace_dump(const char *path, const struct trace_filter *f, const char *image, FILE *out,
               FILE *err)
{
    char msg[1200];
    struct trace_reader *r = trace_reader_open(path, msg, sizeof(msg));
    if (!r) {
        fprintf(err, "a64sim: %s\n", msg);
        return 2;
    }
    uint64_t cpus = 0;
    if (f->by_pe && trace_header_get(trace_reader_header(r), "cpus", &cpus) && f->pe >= cpus) {
        fprintf(err,
                "a64sim: trace dump: --pe %u: %s recorded %" PRIu64 " PE%s (0 to %" PRIu64 ")\n",
                f->pe, path, cpus, cpus == 1 ? "" : "s", cpus - 1);
        trace_reader_free(r);
        return 2;
    }
    struct trace_image *ti = NULL;
    if (image) {
        ti = trace_image_open(image, trace_reader_header(r), msg, sizeof(msg));
        if (!ti) {
            fprintf(err, "a64sim: %s\n", msg);
            trace_reader_free(r);
            return 2;
        }
    }
    struct trace_fmt *fmt = trace_fmt_new(trace_image_elf(ti));
    trace_fmt_header(trace_reader_header(r), out);
    struct trace_record rec;
    enum trace_read got;
    while ((got = trace_reader_next(r, &rec)) == TRACE_READ_RECORD) {
        if (trace_filter_match(f, &rec))
            trace_print_record(fmt, out, "", &rec);
    }
    fflush(out);
    if (got != TRACE_READ_END)
        fprintf(err, "a64sim: %s\n", trace_reader_error(r));
    trace_fmt_free(fmt);
    trace_image_free(ti);
    trace_reader_free(r);
    return got == TRACE_READ_END ? 0 : 2;
}
