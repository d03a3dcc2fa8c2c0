/* The virtio-mmio transports of QEMU's virt board with no device behind
 * them (virtio 1.x specification, "MMIO Device Register Layout"): 32
 * windows of 0x200 bytes from 0x0a00_0000, which report the transport's
 * magic and version and device ID 0 ("no device"), so that software that
 * probes them, from a device tree that lists them, finds nothing rather
 * than an external abort. */
#ifndef SIM_VIRTIO_MMIO_H
#define SIM_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/bus.h"

#define VIRTIO_MMIO_BASE     0x0a000000ull
#define VIRTIO_MMIO_SIZE     0x200ull /* one transport */
#define VIRTIO_MMIO_COUNT    32
#define VIRTIO_MMIO_SPI_BASE 16 /* transport n raises SPI 16 + n (never, being empty) */

/* The MMIO operations of the whole range (VIRTIO_MMIO_COUNT windows). */
extern const struct mmio_ops virtio_mmio_empty_ops;

#endif
