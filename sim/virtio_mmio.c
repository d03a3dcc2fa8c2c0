/* Empty virtio-mmio transports (see sim/virtio_mmio.h). Registers, at each
 * window's offset (virtio 1.x, 4.2.2): MagicValue 0x000 = "virt"
 * (0x74726976), Version 0x004 = 2 (the non-legacy interface), DeviceID
 * 0x008 = 0 (no device: a driver stops there), VendorID 0x00c = "QEMU"
 * (0x554d4551, what QEMU's transports say); every other register reads as
 * zero and ignores writes. The specification's registers are 32 bits wide
 * (the configuration space from 0x100 is not, but an empty transport has
 * none): other sizes are refused like any unsupported device access. */
#include "sim/virtio_mmio.h"

#define MAGIC     0x74726976u
#define VERSION   2u
#define VENDOR_ID 0x554d4551u

static bool empty_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    (void)opaque;
    if (size != 4 || (offset & 3))
        return false;
    switch (offset % VIRTIO_MMIO_SIZE) {
    case 0x000: *value = MAGIC; break;
    case 0x004: *value = VERSION; break;
    case 0x00c: *value = VENDOR_ID; break;
    default: *value = 0; break; /* DeviceID 0 among them */
    }
    return true;
}

static bool empty_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    (void)opaque, (void)value;
    return size == 4 && !(offset & 3);
}

const struct mmio_ops virtio_mmio_empty_ops = {empty_read, empty_write};
