/* The a64sim trace file format, version 2 (docs/trace-format.md is the
 * normative description; this header is its C form). Version 2 is version
 * 1 with one more record kind, pe-state; files of either are read.
 *
 * A file is a header followed by blocks of records and an end marker:
 *
 *   header   "A64TRACE", format version, a64sim version, configuration
 *            items (key = value, the whole machine configuration and the
 *            hash of every loaded image), CRC-32C
 *   block    marker "BLK1", payload length, record count, base cycle,
 *            CRC-32C over the block header and payload; then the records
 *   end      marker "TEND", total records and blocks, CRC-32C
 *
 * A record header comes in two forms:
 *   long   kind (u8, 1-127), PE (u8), payload length (u16), cycle delta (i32)
 *   short  kind | 0x80 (u8), PE (u8), cycle delta (u8), payload length (u8)
 * the short one when the delta is 0-255 and the payload at most 255 bytes.
 * The delta is from the previous record of the same block (the first
 * record's from the block's base cycle). The payload is the kind's fields,
 * each little-endian, in the order of the kind table. One exception keeps
 * instruction traces small: an insn record may carry only the encoding
 * (4 bytes) when its PC is 4 more than that of the previous insn record of
 * the same PE in the same block. Every block stands alone, so a file cut
 * short (a killed run) reads back up to its last complete block.
 *
 * Nothing in a file depends on the host: no time, no host name, no path.
 * Two runs of the same command write identical bytes. */
#ifndef TRACES_FORMAT_H
#define TRACES_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TRACE_MAGIC          "A64TRACE"
#define TRACE_MAGIC_LEN      8
#define TRACE_FORMAT_VERSION 4u /* what the writer writes */
#define TRACE_FORMAT_OLDEST  1u /* the oldest version the reader reads */

#define TRACE_BLOCK_MAGIC 0x314b4c42u /* "BLK1" as little-endian bytes */
#define TRACE_END_MAGIC   0x444e4554u /* "TEND" */

#define TRACE_BLOCK_HEADER_SIZE 24u
#define TRACE_RECORD_LONG_SIZE  8u /* long record header */
#define TRACE_RECORD_SHORT_SIZE 4u /* short record header */
#define TRACE_RECORD_SHORT      0x80u
#define TRACE_INSN_SEQ_LEN      4u          /* insn payload without the PC */
#define TRACE_INSN_LEN          12u         /* insn payload with the PC */
#define TRACE_BLOCK_TARGET      (64u << 10) /* a writer closes a block past this */
#define TRACE_BLOCK_MAX         (1u << 20)  /* the largest payload a reader accepts */
#define TRACE_HEADER_MAX        (64u << 10)
#define TRACE_PAYLOAD_MAX       65535u
#define TRACE_TEXT_MAX          4096u /* bytes of one uart-rx input */

#define TRACE_PE_NONE 0xffu /* a record that belongs to the machine, not a PE */

/* Record kinds. The numbers are the file format: never renumber. */
enum trace_kind {
    TRACE_INSN = 1,        /* a retired instruction (--trace-insns) */
    TRACE_EXC_ENTRY,       /* exception taken */
    TRACE_EXC_RETURN,      /* ERET */
    TRACE_IRQ_STATE,       /* interrupt state transition, per INTID and PE */
    TRACE_IRQ_LINE,        /* interrupt output line to a PE changed level */
    TRACE_DAIF,            /* PSTATE.DAIF changed */
    TRACE_PMR,             /* ICC_PMR_EL1 changed */
    TRACE_TIMER,           /* a generic timer output changed level */
    TRACE_SLEEP,           /* PE entered WFI/WFE low-power state */
    TRACE_WAKE,            /* PE left it */
    TRACE_PSCI,            /* PSCI call served by the firmware */
    TRACE_UART_TX,         /* a byte the UART sent */
    TRACE_MMIO,            /* a device access (--trace-mmio) */
    TRACE_INPUT_UART_RX,   /* external input: text fed to the UART (stimulus) */
    TRACE_INPUT_SPI,       /* external input: SPI level (stimulus) */
    TRACE_INPUT_HOST_UART, /* external input: a byte the UART read from the host */
    TRACE_RUN_END,         /* the run ended */
    TRACE_PE_STATE,        /* a PE's registers when the run ended (version 2) */
    TRACE_VGIC_LR,         /* an ICH_LR<n>_EL2 write (version 3) */
    TRACE_VIRQ_STATE,      /* a virtual interrupt's transition (version 3) */
    TRACE_MAINTENANCE,     /* the GIC maintenance interrupt changed level (version 3) */
    TRACE_INPUT_MSI,       /* external input: an MSI to the ITS (stimulus; version 4) */
    TRACE_KIND_END         /* one past the last kind */
};

/* Field indices of each kind, in payload order. */
enum { INSN_PC, INSN_ENCODING };
enum { EXC_TYPE, EXC_FROM_EL, EXC_TO_EL, EXC_ESR, EXC_ELR, EXC_TARGET };
enum { ERET_FROM_EL, ERET_TO_EL, ERET_ELR, ERET_SPSR };
enum { IRQ_INTID, IRQ_TRANSITION, IRQ_PRIORITY };
enum { LINE_LINE, LINE_LEVEL };
enum { DAIF_VALUE, DAIF_PC };
enum { PMR_VALUE, PMR_PC };
enum { TIMER_TIMER, TIMER_LEVEL };
enum { SLEEP_HOW, SLEEP_PC };
enum { WAKE_HOW };
enum { PSCI_FID, PSCI_X1, PSCI_X2, PSCI_X3, PSCI_RESULT };
enum { UART_BYTE };
enum { MMIO_PA, MMIO_VALUE, MMIO_SIZE, MMIO_WRITE, MMIO_RESULT };
enum { SPI_INTID, SPI_LEVEL };
enum { MSI_DEVID, MSI_EVENTID };
enum { HOST_PULL, HOST_BYTE };
enum { END_REASON, END_EXIT_CODE, END_INSNS, END_CYCLES };
enum { PE_PC, PE_PSTATE, PE_SP, PE_X, PE_FPCR, PE_FPSR, PE_V };
enum { LR_INDEX, LR_VALUE, LR_PC };
enum { VIRQ_VINTID, VIRQ_TRANSITION, VIRQ_LR, VIRQ_PRIORITY };
enum { MAINT_LEVEL, MAINT_MISR };

/* Values of the enumerated fields. */
enum trace_exc_type { TRACE_EXC_SYNC, TRACE_EXC_IRQ, TRACE_EXC_FIQ, TRACE_EXC_SERROR };
enum trace_irq_transition {
    TRACE_IRQ_PENDING,       /* became pending */
    TRACE_IRQ_ACTIVE,        /* became active without an acknowledge (e.g. ISACTIVER) */
    TRACE_IRQ_ACKNOWLEDGED,  /* IAR read: pending -> active */
    TRACE_IRQ_PRIORITY_DROP, /* EOIR write: running priority dropped */
    TRACE_IRQ_DEACTIVATED,   /* DIR write, or EOIR with EOImode 0: active -> inactive */
    TRACE_IRQ_CLEARED,       /* no longer pending without being acknowledged */
    TRACE_IRQ_TRANSITION_END
};
/* Same order as the PE's interrupt inputs (cpu/cpu.h enum cpu_irq_line). */
/* The order of gic/gic.h's enum gic_vtransition. */
enum trace_virq_transition {
    TRACE_VIRQ_ACKNOWLEDGED,  /* ICV_IAR0/1_EL1: the LR went pending -> active */
    TRACE_VIRQ_PRIORITY_DROP, /* ICV_EOIR0/1_EL1 dropped the virtual running priority */
    TRACE_VIRQ_DEACTIVATED,   /* the LR's active state cleared */
    TRACE_VIRQ_EOICOUNT,      /* EOIR/DIR found no LR: ICH_HCR_EL2.EOIcount counted it */
    TRACE_VIRQ_TRANSITION_END
};
#define TRACE_NO_LR 0xffu /* the LR field of a record no list register is named in */
enum trace_line {
    TRACE_LINE_IRQ,
    TRACE_LINE_FIQ,
    TRACE_LINE_SERROR,
    TRACE_LINE_VIRQ,
    TRACE_LINE_VFIQ,
    TRACE_LINE_END
};
enum trace_timer {
    TRACE_TIMER_EL1_PHYS,
    TRACE_TIMER_EL1_VIRT,
    TRACE_TIMER_EL2_PHYS,
    TRACE_TIMER_EL2_VIRT,
    TRACE_TIMER_END
};
enum trace_wait { TRACE_WAIT_WFI, TRACE_WAIT_WFE };
enum trace_mmio_result { TRACE_MMIO_OK, TRACE_MMIO_UNMAPPED, TRACE_MMIO_REFUSED };
/* Why the run ended (independent of sim/machine.h's enum order). */
enum trace_end_reason {
    TRACE_END_POWER_OFF,
    TRACE_END_SEMIHOST_EXIT,
    TRACE_END_DEADLOCK,
    TRACE_END_GUEST_FAULT,
    TRACE_END_LIMIT_INSNS,
    TRACE_END_LIMIT_CYCLES,
    TRACE_END_SYSTEM_RESET,  /* PSCI SYSTEM_RESET: the run ends there */
    TRACE_END_ALL_OFF,       /* every PE powered itself off (PSCI CPU_OFF) */
    TRACE_END_INTERRUPTED,   /* the user stopped the run (SIGINT, SIGTERM) */
    TRACE_END_OUTPUT_FAILED, /* the UART output could not be written */
    TRACE_END_REASON_END
};

#define TRACE_MAX_FIELDS 7
/* The most values a payload's fields take (trace_encode_payload). */
#define TRACE_MAX_WORDS 100

/* One field of a kind's payload: a value, or an array of COUNT values
 * named NAME0 to NAME<COUNT-1> (pe-state's x0-x30 and v0-v31). */
struct trace_field {
    const char *name;
    uint8_t width; /* bytes of one value: 1, 2, 4, 8, or 16 (a V register) */
    uint8_t count; /* 0: one value, not an array; else COUNT values */
};

/* The layout of one kind: its name (as dump prints it and --kinds takes
 * it), its fields, and whether text follows them (uart-rx input). */
struct trace_kind_desc {
    const char *name;
    uint8_t nfields;
    struct trace_field field[TRACE_MAX_FIELDS];
    bool text;
};

/* The layout of KIND, NULL when KIND is not a kind of this format. */
const struct trace_kind_desc *trace_kind_desc(unsigned kind);
/* One past the last kind a file of format VERSION may hold (the kinds are
 * numbered in the order the versions added them); 0 for a version this
 * a64sim does not read. */
unsigned trace_kind_end(uint32_t version);
/* Kind number for NAME ("insn", "uart-tx", ...), 0 if none. */
unsigned trace_kind_by_name(const char *name);
/* Payload bytes of KIND's fields (the text of uart-rx input comes on top). */
unsigned trace_kind_fixed_len(unsigned kind);

/* A record as readers and the recorder see it: the long form of its
 * payload (an insn record always has its PC), whatever form the file used.
 * The payload points into a buffer owned by whoever produced the record
 * (valid until their next call). */
struct trace_record {
    uint8_t kind;
    uint8_t pe; /* PE number, or TRACE_PE_NONE */
    uint16_t len;
    uint64_t cycle;
    const uint8_t *payload;
};

/* Field IDX of REC, zero-extended (signed fields are sign-extended by the
 * user: exit codes). Not for arrays or 16-byte values: trace_decode_payload. */
uint64_t trace_field(const struct trace_record *rec, unsigned idx);
/* Every field value of REC in payload order into WORDS (room for
 * TRACE_MAX_WORDS), as trace_encode_payload takes them; returns how many. */
size_t trace_decode_payload(const struct trace_record *rec, uint64_t *words);
/* The text after the fields of a uart-rx input record; *len its length. */
const uint8_t *trace_text(const struct trace_record *rec, size_t *len);
/* Same kind, PE, cycle and payload bytes. */
bool trace_record_equal(const struct trace_record *a, const struct trace_record *b);
/* What differs between A and B, two records of one kind, as a list in BUF:
 * "pe", "cycle", then each field by its name ("esr", "x3", "v31"; "text"
 * for uart-rx input), at most 8 names and "and N more". Returns the number
 * of differences (0: BUF is empty). */
unsigned trace_record_diff(const struct trace_record *a, const struct trace_record *b, char *buf,
                           size_t len);

/* Encode the payload of KIND from FIELDS (and TEXT, for uart-rx input) into
 * OUT, which has room for TRACE_PAYLOAD_MAX bytes; returns its length.
 * FIELDS holds one value per field, an array's values one after the other,
 * and a 16-byte value as two: bits 63:0, then bits 127:64. */
size_t trace_encode_payload(unsigned kind, const uint64_t *fields, const uint8_t *text,
                            size_t text_len, uint8_t *out);

/* The last TRACE_CONTEXT records of a stream, with their own copies of the
 * payloads: the context printed before a divergence. */
#define TRACE_CONTEXT 20
struct trace_ring {
    struct trace_record rec[TRACE_CONTEXT];
    uint8_t *buf[TRACE_CONTEXT];
    unsigned next, count;
};

/* Copy REC into the ring, dropping the oldest once it holds TRACE_CONTEXT. */
void trace_ring_push(struct trace_ring *ring, const struct trace_record *rec);
/* The I-th record held, oldest first (I < ring->count). */
const struct trace_record *trace_ring_get(const struct trace_ring *ring, unsigned i);
void trace_ring_free(struct trace_ring *ring);

/* ---- the header ---- */

#define TRACE_KEY_MAX   48
#define TRACE_ITEMS_MAX 128

/* One configuration item: a dotted name and a 64-bit value. */
struct trace_item {
    char key[TRACE_KEY_MAX];
    uint64_t value;
};

struct trace_header {
    uint32_t version;     /* format version */
    char sim_version[32]; /* a64sim version that wrote the file */
    uint64_t config_hash; /* FNV-1a over the encoded items */
    unsigned nitems;
    struct trace_item item[TRACE_ITEMS_MAX];
};

/* Append KEY = VALUE (asserts on overflow or a long key: a bug). */
void trace_header_add(struct trace_header *h, const char *key, uint64_t value);
/* Value of KEY, false if absent. */
bool trace_header_get(const struct trace_header *h, const char *key, uint64_t *value);
/* Recompute config_hash from the items. */
void trace_header_hash(struct trace_header *h);
/* Encode H (magic to CRC) into a malloc'd buffer; *len its size. */
uint8_t *trace_header_encode(const struct trace_header *h, size_t *len);

/* ---- checksums and little-endian helpers ---- */

/* CRC-32C (Castagnoli, reflected 0x82F63B78, as iSCSI): continue CRC over
 * DATA; start with 0. */
uint32_t trace_crc32c(uint32_t crc, const void *data, size_t len);
/* The same computed without the host's CRC instruction (tests compare them). */
uint32_t trace_crc32c_portable(uint32_t crc, const void *data, size_t len);
/* 64-bit FNV-1a, continued from H (start with TRACE_FNV_OFFSET). */
#define TRACE_FNV_OFFSET 0xcbf29ce484222325ull
uint64_t trace_fnv1a(uint64_t h, const void *data, size_t len);

/* The file is little-endian, as the host is (cpu/cpu.c requires it), so
 * a field is stored with one copy. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "trace fields are stored in host order");
static inline void trace_put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}
static inline void trace_put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}
static inline void trace_put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}
static inline uint16_t trace_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t trace_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t trace_get64(const uint8_t *p)
{
    return (uint64_t)trace_get32(p) | (uint64_t)trace_get32(p + 4) << 32;
}

#endif
