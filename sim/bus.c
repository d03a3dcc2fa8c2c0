#include "sim/bus.h"

#include <assert.h>
#include <stdlib.h>
#include <sys/mman.h>

#define MAX_REGIONS 32

struct region {
    const char *name;
    uint64_t base, size;
    const struct mmio_ops *ops;
    void *opaque;
};

struct bus {
    uint64_t ram_base, ram_size;
    uint8_t *ram;
    struct region regions[MAX_REGIONS];
    unsigned nregions; /* sorted by base */
    bus_observer_fn observer;
    void *observer_opaque;
};

struct bus *bus_new(uint64_t ram_base, uint64_t ram_size)
{
    struct bus *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    /* MAP_NORESERVE: an untouched page costs no host memory. The kernel
     * hands out zero-filled pages, which is RAM's reset content here. */
    void *p = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        free(b);
        return NULL;
    }
    b->ram = p;
    b->ram_base = ram_base;
    b->ram_size = ram_size;
    return b;
}

void bus_free(struct bus *b)
{
    if (!b)
        return;
    munmap(b->ram, b->ram_size);
    free(b);
}

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
    return a < b + bsize && b < a + asize;
}

void bus_map_mmio(struct bus *b, const char *name, uint64_t base, uint64_t size,
                  const struct mmio_ops *ops, void *opaque)
{
    assert(b->nregions < MAX_REGIONS);
    assert(size > 0 && base + size > base);
    assert(!overlaps(base, size, b->ram_base, b->ram_size));
    unsigned i = b->nregions;
    while (i > 0 && b->regions[i - 1].base > base) {
        b->regions[i] = b->regions[i - 1];
        i--;
    }
    assert(i == 0 || !overlaps(base, size, b->regions[i - 1].base, b->regions[i - 1].size));
    assert(i == b->nregions ||
           !overlaps(base, size, b->regions[i + 1].base, b->regions[i + 1].size));
    b->regions[i] = (struct region){name, base, size, ops, opaque};
    b->nregions++;
}

uint64_t bus_ram_base(const struct bus *b)
{
    return b->ram_base;
}

uint64_t bus_ram_size(const struct bus *b)
{
    return b->ram_size;
}

uint8_t *bus_ram_host(const struct bus *b)
{
    return b->ram;
}

bool bus_is_ram(const struct bus *b, uint64_t pa, uint64_t size)
{
    uint64_t off = pa - b->ram_base;
    return pa >= b->ram_base && off < b->ram_size && size <= b->ram_size - off;
}

static const struct region *find(const struct bus *b, uint64_t pa)
{
    for (unsigned i = 0; i < b->nregions; i++) {
        const struct region *r = &b->regions[i];
        if (pa >= r->base && pa - r->base < r->size)
            return r;
    }
    return NULL;
}

/* An access that straddles the end of a device window is a decode error
 * for the part outside it; treat the whole access as unmapped. */
static const struct region *find_access(const struct bus *b, uint64_t pa, unsigned size)
{
    const struct region *r = find(b, pa);
    if (r && size <= r->size - (pa - r->base))
        return r;
    return NULL;
}

void bus_set_observer(struct bus *b, bus_observer_fn fn, void *opaque)
{
    b->observer = fn;
    b->observer_opaque = opaque;
}

static enum bus_result device_read(struct bus *b, uint64_t pa, unsigned size, uint64_t *value)
{
    const struct region *r = find_access(b, pa, size);
    *value = 0;
    if (!r)
        return BUS_UNMAPPED;
    return r->ops->read(r->opaque, pa - r->base, size, value) ? BUS_OK : BUS_DEVICE_ERROR;
}

static enum bus_result device_write(struct bus *b, uint64_t pa, unsigned size, uint64_t value)
{
    const struct region *r = find_access(b, pa, size);
    if (!r)
        return BUS_UNMAPPED;
    return r->ops->write(r->opaque, pa - r->base, size, value) ? BUS_OK : BUS_DEVICE_ERROR;
}

enum bus_result bus_mmio_read(struct bus *b, uint64_t pa, unsigned size, uint64_t *value)
{
    enum bus_result res = device_read(b, pa, size, value);
    if (b->observer)
        b->observer(b->observer_opaque, pa, size, false, *value, res);
    return res;
}

enum bus_result bus_mmio_write(struct bus *b, uint64_t pa, unsigned size, uint64_t value)
{
    enum bus_result res = device_write(b, pa, size, value);
    if (b->observer)
        b->observer(b->observer_opaque, pa, size, true, value, res);
    return res;
}

const char *bus_region_name(const struct bus *b, uint64_t pa)
{
    if (bus_is_ram(b, pa, 1))
        return "ram";
    const struct region *r = find(b, pa);
    return r ? r->name : NULL;
}
