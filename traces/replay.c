/* Replay reads the recording twice: once up front for its external inputs
 * (stimulus events and the bytes the UART took from the host), which the
 * machine must be given before it starts, and once alongside the run, by
 * the verifying recorder. */
#include "traces/replay.h"

#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/machine.h"
#include "sim/settings.h"
#include "traces/config.h"
#include "traces/dump.h"
#include "traces/reader.h"
#include "traces/record.h"
#include "traces/stimulus.h"

#define MSG 1200

/* What replay needs to know of the recording before it runs. */
struct recording {
    uint64_t records;    /* how many */
    uint64_t last_cycle; /* of the last record */
    bool ended;          /* it holds the run-end record, whose fields follow */
    uint64_t end_reason, end_insns, end_cycles;
    int end_exit_code;
};

/* The external inputs of the recording, and its shape in *REC. NULL with a
 * message in ERR if the recording is corrupt; a recording cut short gives
 * what it holds. */
static struct stimulus *collect_inputs(const char *path, struct recording *shape, char *err,
                                       size_t errlen)
{
    struct trace_reader *r = trace_reader_open(path, err, errlen);
    if (!r)
        return NULL;
    struct stimulus *s = stimulus_new(path);
    struct trace_record rec;
    enum trace_read got;
    *shape = (struct recording){0};
    while ((got = trace_reader_next(r, &rec)) == TRACE_READ_RECORD) {
        shape->records++;
        shape->last_cycle = rec.cycle;
        if (rec.kind == TRACE_RUN_END) {
            shape->ended = true;
            shape->end_reason = trace_field(&rec, END_REASON);
            shape->end_insns = trace_field(&rec, END_INSNS);
            shape->end_cycles = trace_field(&rec, END_CYCLES);
            shape->end_exit_code = (int)(int32_t)trace_field(&rec, END_EXIT_CODE);
        }
        size_t len;
        const uint8_t *text;
        switch (rec.kind) {
        case TRACE_INPUT_UART_RX:
            text = trace_text(&rec, &len);
            stimulus_add_uart_rx(s, rec.cycle, text, len, 0);
            break;
        case TRACE_INPUT_SPI:
            stimulus_add_spi(s, rec.cycle, (uint32_t)trace_field(&rec, SPI_INTID),
                             trace_field(&rec, SPI_LEVEL) != 0, 0);
            break;
        case TRACE_INPUT_MSI:
            stimulus_add_msi(s, rec.cycle, (uint32_t)trace_field(&rec, MSI_DEVID),
                             (uint32_t)trace_field(&rec, MSI_EVENTID), 0);
            break;
        case TRACE_INPUT_HOST_UART:
            stimulus_add_host_byte(s, trace_field(&rec, HOST_PULL),
                                   (uint8_t)trace_field(&rec, HOST_BYTE));
            break;
        default: break;
        }
    }
    if (got == TRACE_READ_ERROR) {
        snprintf(err, errlen, "%s", trace_reader_error(r));
        stimulus_free(s);
        s = NULL;
    }
    trace_reader_free(r);
    return s;
}

static void print_context(struct trace_fmt *fmt, FILE *out, const struct trace_divergence *d)
{
    fprintf(out, "a64sim: replay: the %u records before it, identical in both:\n",
            d->context->count);
    for (unsigned i = 0; i < d->context->count; i++)
        trace_print_record(fmt, out, "   ", trace_ring_get(d->context, i));
}

/* Which fields differ, when the records are of one kind: a register of a
 * pe-state record is otherwise hard to find among its 68. */
static void print_fields_that_differ(FILE *out, const struct trace_divergence *d)
{
    char names[256];
    if (d->expected.kind == d->actual.kind &&
        trace_record_diff(&d->expected, &d->actual, names, sizeof(names)))
        fprintf(out, "a64sim: replay: they differ in %s\n", names);
}

/* The verdict, printed; returns the exit code. */
static int report(struct machine *m, struct trace_rec *t, FILE *out, FILE *err)
{
    const struct trace_divergence *d = trace_rec_divergence(t);
    struct trace_fmt *fmt = trace_fmt_new(machine_image(m));
    int rc = 1;
    switch (d->verdict) {
    case TRACE_VERIFY_SAME:
        fprintf(out, "a64sim: replay: identical: all %" PRIu64 " records match\n",
                trace_rec_count(t));
        rc = 0;
        break;
    case TRACE_VERIFY_CUT_SHORT:
        /* Matching a fragment proves nothing about the rest: bad input. */
        fprintf(out,
                "a64sim: replay: all %" PRIu64 " records of the recording match; it was "
                "cut short, so the run was stopped there\n",
                d->index);
        fprintf(err, "a64sim: %s\n", d->message);
        rc = 2;
        break;
    case TRACE_VERIFY_BAD_RECORDING:
        fprintf(err, "a64sim: %s\n", d->message);
        rc = 2;
        break;
    case TRACE_VERIFY_DIVERGED:
        fprintf(out,
                "a64sim: replay: diverged at record %" PRIu64 " (byte %" PRIu64
                " of the recording)\n",
                d->index, d->offset);
        print_context(fmt, out, d);
        trace_print_record(fmt, out, "a64sim: replay: recorded: ", &d->expected);
        trace_print_record(fmt, out, "a64sim: replay: replayed: ", &d->actual);
        print_fields_that_differ(out, d);
        break;
    case TRACE_VERIFY_EXTRA:
        fprintf(out,
                "a64sim: replay: diverged at record %" PRIu64
                ": the recording ends there, the run goes on\n",
                d->index);
        print_context(fmt, out, d);
        trace_print_record(fmt, out, "a64sim: replay: replayed: ", &d->actual);
        break;
    case TRACE_VERIFY_MISSING:
        fprintf(out,
                "a64sim: replay: diverged at record %" PRIu64
                ": the run ended there, the recording goes on (byte %" PRIu64 ")\n",
                d->index, d->offset);
        print_context(fmt, out, d);
        trace_print_record(fmt, out, "a64sim: replay: recorded: ", &d->expected);
        break;
    }
    trace_fmt_free(fmt);
    return rc;
}

/* Say how this run's configuration differs from the recording's. */
static void compare_config(const struct trace_header *rec, const struct machine_config *cfg,
                           uint64_t image_hash, FILE *out)
{
    struct trace_header now;
    trace_header_from_config(&now, cfg, image_hash);
    if (strcmp(rec->sim_version, now.sim_version))
        fprintf(out, "a64sim: replay: recorded by a64sim %s, replayed by %s\n", rec->sim_version,
                now.sim_version);
    if (rec->config_hash == now.config_hash)
        return;
    fprintf(out, "a64sim: replay: the configuration differs from the recording's "
                 "(recorded -> now):\n");
    trace_header_diff(rec, &now, out, "   ");
}

/* Bound the replay so that it cannot run forever: a run identical to the
 * recording ends by itself at the recorded end (or the last record of a
 * recording cut short); one that goes on a quantum past it has diverged.
 * A recording the user interrupted is stopped where it was; one that
 * reached --max-cycles may have idled there waiting for inputs due later,
 * which the trace does not hold, so the replay idles to the same end. */
static void bound_replay(struct machine_config *cfg, const struct recording *shape)
{
    uint64_t last = shape->ended ? shape->end_cycles : shape->last_cycle;
    uint64_t margin = cfg->quantum + 1;
    uint64_t bound = last < MAX_CYCLE - margin ? last + margin : MAX_CYCLE;
    if (!cfg->max_cycles || cfg->max_cycles > bound)
        cfg->max_cycles = bound;
    if (shape->ended && shape->end_reason == TRACE_END_LIMIT_CYCLES)
        cfg->idle_until = shape->end_cycles;
    if (shape->ended && shape->end_reason == TRACE_END_INTERRUPTED) {
        cfg->stop_insns = shape->end_insns;
        cfg->stop_cycles = shape->end_cycles;
        cfg->stop_signal = shape->end_exit_code - 128;
    }
}

static int run(const struct replay_options *o, const struct trace_header *h,
               const struct recording *shape, struct stimulus *inputs, FILE *out, FILE *err)
{
    char msg[MSG];
    struct machine_config cfg;
    machine_config_defaults(&cfg);
    char bad[MSG];
    bool runnable = trace_header_to_config(h, &cfg, msg, sizeof(msg), bad, sizeof(bad));
    if (msg[0])
        fprintf(err, "a64sim: replay: note: %s\n", msg);
    /* The header is input like any other: the same checks as the options. */
    if (!runnable) {
        fprintf(err, "a64sim: %s: the recorded configuration cannot be run: %s\n", o->trace, bad);
        return 2;
    }
    if (o->cost_set)
        cfg.cost = o->cost;
    cfg.image = o->image;
    cfg.append = o->append;
    cfg.initrd = o->initrd;
    cfg.dtb = o->dtb;
    cfg.uart_out = o->uart_out ? o->uart_out : "/dev/null";
    cfg.stimulus = inputs;
    cfg.replay_input = true;
    cfg.gdb = o->gdb;
    struct machine_config recorded = cfg;
    bound_replay(&cfg, shape);
    struct trace_reader *expect = trace_reader_open(o->trace, msg, sizeof(msg));
    if (!expect) {
        fprintf(err, "a64sim: %s\n", msg);
        return 2;
    }
    struct trace_rec *t = trace_rec_new_verify(expect);
    cfg.trace = t;
    int rc = 2;
    struct machine *m = machine_new(&cfg, msg, sizeof(msg));
    uint64_t want = 0, want_boot = 0;
    trace_header_get(h, "image.hash", &want);
    trace_header_get(h, "boot.hash", &want_boot);
    if (!m) {
        fprintf(err, "a64sim: %s\n", msg);
    } else if (machine_image_hash(m) != want) {
        fprintf(err,
                "a64sim: %s: not the image %s was recorded from (file hash 0x%016" PRIx64
                ", recorded image.hash 0x%016" PRIx64 ")\n",
                o->image, o->trace, machine_image_hash(m), want);
    } else if (machine_boot_hash(m) != want_boot) {
        fprintf(err,
                "a64sim: %s: not the boot it was recorded with: --initrd, --append or --dtb "
                "differ (boot.hash 0x%016" PRIx64 ", recorded 0x%016" PRIx64 ")\n",
                o->trace, machine_boot_hash(m), want_boot);
    } else {
        compare_config(h, &recorded, want, out);
        struct run_result r;
        machine_run(m, &r);
        trace_rec_finish(t, msg, sizeof(msg));
        rc = report(m, t, out, err);
    }
    bool built = m != NULL; /* then the machine created o->uart_out */
    machine_free(m);
    trace_rec_free(t);
    trace_reader_free(expect);
    /* A replay that could not be checked (exit 2) leaves no UART output
     * behind to be taken for the recorded run's. */
    struct stat st;
    if (rc == 2 && built && o->uart_out && stat(o->uart_out, &st) == 0 && S_ISREG(st.st_mode))
        unlink(o->uart_out);
    return rc;
}

int replay(const struct replay_options *o, FILE *out, FILE *err)
{
    char msg[MSG];
    struct trace_reader *r = trace_reader_open(o->trace, msg, sizeof(msg));
    if (!r) {
        fprintf(err, "a64sim: %s\n", msg);
        return 2;
    }
    struct trace_header h = *trace_reader_header(r);
    trace_reader_free(r);
    if (!o->image) {
        uint64_t hash = 0;
        trace_header_get(&h, "image.hash", &hash);
        fprintf(err,
                "a64sim: replay: give the image with --image ELF: %s records only its hash "
                "(0x%016" PRIx64 "), never a path\n",
                o->trace, hash);
        return 2;
    }
    struct recording shape;
    struct stimulus *inputs = collect_inputs(o->trace, &shape, msg, sizeof(msg));
    if (!inputs) {
        fprintf(err, "a64sim: %s\n", msg);
        return 2;
    }
    if (shape.records == 0) {
        fprintf(err,
                "a64sim: %s: holds no records (the recording was cut before its first): "
                "nothing to replay\n",
                o->trace);
        stimulus_free(inputs);
        return 2;
    }
    int rc = run(o, &h, &shape, inputs, out, err);
    stimulus_free(inputs);
    return rc;
}
