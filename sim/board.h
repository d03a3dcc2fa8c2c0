/* The devices of the virt board as data, in the way kvmtool describes its
 * board: each device's MMIO windows, its interrupt and what its device-tree
 * node needs, in one table built from the configuration. sim/machine.c maps
 * every window on the bus and wires every interrupt from it, sim/board_dt.c
 * writes the device tree from it, so the tree cannot list a device the
 * machine lacks and nothing describes the board twice. */
#ifndef SIM_BOARD_H
#define SIM_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "sim/machine.h"

enum board_kind {
    BOARD_GIC,    /* GICv3: distributor, redistributors (gic/) */
    BOARD_UART,   /* PL011 (sim/pl011.c) */
    BOARD_RTC,    /* PL031 (sim/pl031.c) */
    BOARD_VIRTIO, /* empty virtio-mmio transports (sim/virtio_mmio.c) */
    BOARD_ITS,    /* the GIC's ITS (gic/its.c), a child of the GIC's node */
};

struct board_window {
    const char *name; /* the bus region's name */
    uint64_t base, size;
};

struct board_device {
    enum board_kind kind;
    struct board_window win[2]; /* the MMIO windows; win[1].size 0: one window */
    int spi;                    /* SPI number of its interrupt output (INTID - 32); -1: none */
    unsigned count;             /* identical instances one window-size apart (virtio: 32), else 1 */
};

#define BOARD_MAX_DEVICES 8

/* The devices CFG's board has, in device-tree order; returns how many. */
size_t board_devices(const struct machine_config *cfg, struct board_device out[BOARD_MAX_DEVICES]);

/* The device of KIND in DEVS (N of them), which the board always has. */
const struct board_device *board_find(const struct board_device *devs, size_t n,
                                      enum board_kind kind);

#endif
