/* The virt board's devices (sim/board.h), at QEMU virt's addresses and
 * interrupts (gic-version=3). */
#include "sim/board.h"

#include <assert.h>

#include "gic/gic.h"
#include "sim/virtio_mmio.h"

size_t board_devices(const struct machine_config *cfg, struct board_device out[BOARD_MAX_DEVICES])
{
    size_t n = 0;
    out[n++] = (struct board_device){
        .kind = BOARD_UART,
        .win = {{"pl011", BOARD_UART_BASE, BOARD_UART_SIZE}},
        .spi = BOARD_UART_SPI,
        .count = 1,
    };
    out[n++] = (struct board_device){
        .kind = BOARD_RTC,
        .win = {{"pl031", BOARD_RTC_BASE, BOARD_RTC_SIZE}},
        .spi = BOARD_RTC_SPI,
        .count = 1,
    };
    out[n++] = (struct board_device){
        .kind = BOARD_GIC,
        .win = {{"gicd", BOARD_GICD_BASE, BOARD_GICD_SIZE},
                {"gicr", BOARD_GICR_BASE,
                 gic_redist_stride((enum gic_version)cfg->gic_version) * cfg->cpus}},
        .spi = -1,
        .count = 1,
    };
    if (cfg->its)
        out[n++] = (struct board_device){
            .kind = BOARD_ITS,
            .win = {cfg->gic_version == 2
                        ? (struct board_window){"gits", BOARD_ITS41_BASE, BOARD_ITS41_SIZE}
                        : (struct board_window){"gits", BOARD_ITS_BASE, BOARD_ITS_SIZE}},
            .spi = -1,
            .count = 1,
        };
    out[n++] = (struct board_device){
        .kind = BOARD_VIRTIO,
        .win = {{"virtio-mmio", VIRTIO_MMIO_BASE, VIRTIO_MMIO_SIZE}},
        .spi = VIRTIO_MMIO_SPI_BASE,
        .count = VIRTIO_MMIO_COUNT,
    };
    assert(n <= BOARD_MAX_DEVICES);
    return n;
}

const struct board_device *board_find(const struct board_device *devs, size_t n,
                                      enum board_kind kind)
{
    for (size_t i = 0; i < n; i++)
        if (devs[i].kind == kind)
            return &devs[i];
    assert(!"the board has every kind of device");
    return NULL;
}
