/* Robustness sweep of the GIC's memory-mapped frames: the distributor's
 * first 64 KiB and both 64 KiB frames of PE 0's redistributor. For each
 * access size (1, 2, 4, 8 bytes) every aligned offset of a frame is written
 * with a seeded pseudo-random value, then every offset is read back, and a
 * checksum of the read-backs is printed. Then a few accesses that are not
 * aligned to their size: with the MMU off the frames are Device memory, so
 * these take an Alignment fault before they reach the GIC, and the handler
 * steps over them. The run must end normally: whatever the guest writes,
 * the simulator neither crashes nor asserts (docs/gic.md, "Access sizes,
 * reserved offsets": wrong sizes and reserved offsets are RAZ/WI).
 *
 * PSTATE.DAIF stays masked, so the interrupts the random values enable and
 * pend are never taken. a64sim only: the read-backs follow a64sim's
 * RAZ/WI choices, which differ from QEMU's in detail. */
#include "gic_common.h"
#include "vectors.h"
#include "workload.h"

#define FRAME 0x10000u

static volatile unsigned align_faults;

static void handler(struct exc_frame *f)
{
    unsigned ec = (unsigned)(f->esr >> 26) & 0x3f;
    unsigned dfsc = (unsigned)f->esr & 0x3f;
    if (f->vector == (VEC_CUR_SPX | VEC_SYNC) && ec == 0x25 && dfsc == 0x21) {
        align_faults++;
        f->elr += 4;
        return;
    }
    printf("unexpected exception at vector 0x%x, ESR 0x%x\n", (unsigned)f->vector,
           (unsigned)f->esr);
    guest_exit(2);
}

/* FNV-1a over the eight bytes of V. */
static uint64_t fnv1a(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ull;
    }
    return h;
}

static void sweep(const char *name, uintptr_t base, unsigned size, uint64_t seed)
{
    uint64_t rng = seed;
    unsigned n = 0, nonzero = 0;
    for (uint32_t off = 0; off < FRAME; off += size, n++)
        mmio_write(base + off, size, xorshift64(&rng));
    uint64_t sum = 0xcbf29ce484222325ull;
    for (uint32_t off = 0; off < FRAME; off += size) {
        uint64_t v = mmio_read(base + off, size);
        nonzero += v != 0;
        sum = fnv1a(sum, v);
    }
    printf("%-8s size %u: %5u writes and reads, %4u read back nonzero, checksum %016lx\n", name,
           size, n, nonzero, (unsigned long)sum);
}

static void misaligned(uintptr_t base)
{
    static const uint32_t offsets[] = {0x1, 0x2, 0x3, 0x6, 0x41, 0x103, 0x405, 0x6102, 0xfffd};
    uint64_t rng = 99;
    for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
        for (unsigned size = 2; size <= 8; size *= 2) {
            if (offsets[i] % size == 0)
                continue;
            mmio_write(base + offsets[i], size, xorshift64(&rng));
            (void)mmio_read(base + offsets[i], size);
        }
    }
}

int main(void)
{
    vectors_install_el1(handler);
    static const struct {
        const char *name;
        uintptr_t base;
    } frames[] = {{"GICD", GICD}, {"RD_base", GICR_RD(0)}, {"SGI_base", GICR_SGI(0)}};
    for (unsigned f = 0; f < 3; f++)
        for (unsigned size = 1; size <= 8; size *= 2)
            sweep(frames[f].name, frames[f].base, size, 0x9e3779b97f4a7c15ull * (f * 8 + size));
    for (unsigned f = 0; f < 3; f++)
        misaligned(frames[f].base);
    printf("misaligned accesses: %u Alignment faults (Device memory), stepped over\n",
           align_faults);
    printf("gic_sweep: done\n");
    return 0;
}
