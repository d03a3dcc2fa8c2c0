/* Stimulus: the external inputs of a run, each at a simulated cycle.
 *
 * Written by hand as a stimulus file (docs/stimulus.md):
 *
 *   # comment
 *   @20000 uart-rx "hello\n"      bytes arrive at the UART's receive side
 *   @50000 spi 33 level 1         SPI 33's input line goes high
 *   @60000 msi 0x10 3             device 0x10 writes EventID 3 to GITS_TRANSLATER
 *
 * or rebuilt from a trace's input records by replay, together with the
 * bytes the UART read from the host (--uart-in or stdin), each tied to the
 * numbered request of the UART it answered. */
#ifndef TRACES_STIMULUS_H
#define TRACES_STIMULUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum stimulus_kind { STIM_UART_RX, STIM_SPI, STIM_MSI };

struct stimulus_event {
    uint64_t cycle;
    enum stimulus_kind kind;
    unsigned line;           /* in the stimulus file; 0 when rebuilt from a trace */
    uint32_t intid;          /* spi */
    bool level;              /* spi */
    uint32_t devid, eventid; /* msi */
    uint8_t *text;           /* uart-rx */
    size_t len;              /* uart-rx, 1 to TRACE_TEXT_MAX bytes */
};

struct stimulus;

/* An empty stimulus; SOURCE names it in messages (a file name, or a trace). */
struct stimulus *stimulus_new(const char *source);
void stimulus_free(struct stimulus *s);

/* Parse the stimulus file PATH; NULL with "PATH:LINE: problem" in ERR. */
struct stimulus *stimulus_parse_file(const char *path, char *err, size_t errlen);
/* Parse TEXT as if it were the file NAME. */
struct stimulus *stimulus_parse_text(const char *text, const char *name, char *err, size_t errlen);

/* Append events (in time order). LINE is 0 outside a stimulus file. */
void stimulus_add_uart_rx(struct stimulus *s, uint64_t cycle, const uint8_t *text, size_t len,
                          unsigned line);
void stimulus_add_spi(struct stimulus *s, uint64_t cycle, uint32_t intid, bool level,
                      unsigned line);
void stimulus_add_msi(struct stimulus *s, uint64_t cycle, uint32_t devid, uint32_t eventid,
                      unsigned line);
/* Append a host byte: the answer to the UART's PULL-th request for input. */
void stimulus_add_host_byte(struct stimulus *s, uint64_t pull, uint8_t byte);

size_t stimulus_count(const struct stimulus *s);
const struct stimulus_event *stimulus_event(const struct stimulus *s, size_t i);
const char *stimulus_source(const struct stimulus *s);
/* The host byte recorded for request PULL. *CURSOR (start at 0) walks the
 * list, which is in request order; false when PULL got no byte. */
bool stimulus_host_byte(const struct stimulus *s, size_t *cursor, uint64_t pull, uint8_t *byte);
size_t stimulus_host_count(const struct stimulus *s);

/* Check the events against the board: without an ITS an MSI event is an
 * error ("SOURCE:LINE: ..."). */
bool stimulus_check(const struct stimulus *s, bool have_its, char *err, size_t errlen);

#endif
