/* The physical address space: one RAM region (committed lazily) and the
 * MMIO regions that devices register. The PE's slow path lands here; its
 * fast path uses the RAM host pointer directly. */
#ifndef SIM_BUS_H
#define SIM_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bus;

/* Device handlers. OFFSET is relative to the region base; SIZE is 1, 2, 4
 * or 8. Returning false means the device rejected the access (a slave
 * error): the PE sees an external abort. */
struct mmio_ops {
    bool (*read)(void *opaque, uint64_t offset, unsigned size, uint64_t *value);
    bool (*write)(void *opaque, uint64_t offset, unsigned size, uint64_t value);
};

enum bus_result {
    BUS_OK,
    BUS_UNMAPPED,     /* nothing at this address: external abort (decode error) */
    BUS_DEVICE_ERROR, /* the device refused the access: external abort (slave error) */
};

/* RAM of ram_size bytes at ram_base, reserved with mmap and committed by the
 * host only when touched. Returns NULL if the host cannot reserve it. */
struct bus *bus_new(uint64_t ram_base, uint64_t ram_size);
void bus_free(struct bus *b);

/* Register a device window. Regions never overlap each other or RAM (a
 * board bug if they do: assert). NAME is kept for reports. */
void bus_map_mmio(struct bus *b, const char *name, uint64_t base, uint64_t size,
                  const struct mmio_ops *ops, void *opaque);

uint64_t bus_ram_base(const struct bus *b);
uint64_t bus_ram_size(const struct bus *b);
uint8_t *bus_ram_host(const struct bus *b);

/* Does [pa, pa+size) lie inside RAM? */
bool bus_is_ram(const struct bus *b, uint64_t pa, uint64_t size);

/* One access that is not RAM: finds the device and calls it. */
enum bus_result bus_mmio_read(struct bus *b, uint64_t pa, unsigned size, uint64_t *value);
enum bus_result bus_mmio_write(struct bus *b, uint64_t pa, unsigned size, uint64_t value);

/* Told of every device access after it completes (the trace recorder's
 * --trace-mmio): VALUE is what was read or written, RESULT how it ended. */
typedef void (*bus_observer_fn)(void *opaque, uint64_t pa, unsigned size, bool write,
                                uint64_t value, enum bus_result result);

/* Install the one observer (FN NULL removes it). */
void bus_set_observer(struct bus *b, bus_observer_fn fn, void *opaque);

/* Name of the region holding pa ("ram", a device name, or NULL). */
const char *bus_region_name(const struct bus *b, uint64_t pa);

#endif
