/*
 * A UART-bound guest: prints FLOOD_LINES numbered lines, each with a
 * running CRC-32, so that nearly every instruction serves a device access
 * (two per byte: UARTFR, then UARTDR). `make bench` uses it to measure what
 * tracing costs on device-heavy work, until an interrupt benchmark exists.
 */
#include <stdint.h>

#include "printf.h"
#include "workload.h"

#define FLOOD_LINES 50000u

static uint32_t crc_table[256];

int main(void)
{
    uint32_t crc = 0xFFFFFFFFu;

    crc32_table_init(crc_table);
    for (uint32_t i = 0; i < FLOOD_LINES; i++) {
        crc = crc_table[(crc ^ i) & 0xff] ^ (crc >> 8);
        printf("line %6u crc %08x\n", (unsigned)i, (unsigned)crc);
    }
    printf("flood: %u lines\n", FLOOD_LINES);
    return 0;
}
