/* The board's device tree, node by node, with the layout and bindings of
 * QEMU's virt machine (gic-version=3) for the devices a64sim has:
 *
 *   /                 compatible "linux,dummy-virt", 2 address and 2 size cells,
 *                     interrupt-parent the GIC
 *   /psci             PSCI 1.0 over HVC (no EL2) or SMC (EL2 present), the
 *                     firmware a64sim serves
 *   /memory@40000000  the RAM
 *   /cpus             one node per PE, reg = MPIDR affinity, enable-method psci
 *   /timer            the generic timer's PPIs: secure physical (29, which
 *                     never fires: there is no Secure state), non-secure
 *                     physical (30), virtual (27), EL2 physical (26) and EL2
 *                     virtual (28, which QEMU 7.2 leaves out)
 *   /apb-pclk         the PL011's 24 MHz fixed clock
 *   /pl011@9000000    the UART on SPI 1
 *   /pl031@9010000    the RTC on SPI 2 (simulated time from --rtc-epoch)
 *   /intc@8000000     the GICv3: distributor and one redistributor region,
 *                     and with EL2 the maintenance interrupt (PPI 9, INTID 25)
 *   /virtio_mmio@...  the 32 empty virtio-mmio transports from 0x0a00_0000
 *                     (SPIs 16-47): a driver finds device ID 0, no device
 *   /chosen           bootargs, stdout-path, the initrd, and a fixed
 *                     kaslr-seed and rng-seed so that every boot is the same
 *
 * Interrupt specifiers are <type number flags>: type 0 SPI (number from 32),
 * 1 PPI (number from 16); flags 4 level-high. */
#include "sim/board_dt.h"

#include <stdio.h>

#include "sim/board.h"
#include "timer/timer.h"

#define DT_MAX_SIZE  0x10000
#define GIC_SPI_TYPE 0
#define GIC_PPI_TYPE 1
#define LEVEL_HIGH   4
#define EDGE_RISING  1
#define PPI(intid)   GIC_PPI_TYPE, (intid)-16, LEVEL_HIGH
#define MAINT_INTID  25
#define SECURE_PHYS  29
#define APB_PCLK_HZ  24000000u
#define KASLR_SEED   0x61363473696d3031ull /* fixed: every boot lays the kernel out alike */

/* PSCI function IDs as QEMU's tree gives them (PSCI 0.2 calling convention). */
#define PSCI_CPU_SUSPEND 0xc4000001u
#define PSCI_CPU_OFF     0x84000002u
#define PSCI_CPU_ON      0xc4000003u
#define PSCI_MIGRATE     0xc4000005u

static void root(struct dt *t, uint32_t gic)
{
    dt_string(t, "compatible", "linux,dummy-virt");
    dt_u32(t, "#address-cells", 2);
    dt_u32(t, "#size-cells", 2);
    dt_u32(t, "interrupt-parent", gic);
}

static void psci(struct dt *t, const struct machine_config *cfg)
{
    static const char *const compat[] = {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"};
    dt_begin(t, "psci");
    dt_strings(t, "compatible", compat, 3);
    dt_string(t, "method", cfg->el >= 2 ? "smc" : "hvc");
    dt_u32(t, "cpu_suspend", PSCI_CPU_SUSPEND);
    dt_u32(t, "cpu_off", PSCI_CPU_OFF);
    dt_u32(t, "cpu_on", PSCI_CPU_ON);
    dt_u32(t, "migrate", PSCI_MIGRATE);
    dt_end(t);
}

static void memory(struct dt *t, const struct machine_config *cfg)
{
    char name[32];
    snprintf(name, sizeof name, "memory@%llx", (unsigned long long)BOARD_RAM_BASE);
    dt_begin(t, name);
    dt_string(t, "device_type", "memory");
    dt_u64s(t, "reg", (const uint64_t[]){BOARD_RAM_BASE, cfg->mem_size}, 2);
    dt_end(t);
}

static void cpus(struct dt *t, const struct machine_config *cfg)
{
    dt_begin(t, "cpus");
    dt_u32(t, "#address-cells", 1);
    dt_u32(t, "#size-cells", 0);
    for (unsigned i = 0; i < cfg->cpus; i++) {
        char name[16];
        snprintf(name, sizeof name, "cpu@%x", i);
        dt_begin(t, name);
        dt_string(t, "device_type", "cpu");
        dt_string(t, "compatible",
                  cfg->profile == CPU_PROFILE_A57 ? "arm,cortex-a57" : "arm,arm-v8");
        dt_u32(t, "reg", i); /* MPIDR Aff0 = PE number (sim/machine.c) */
        dt_string(t, "enable-method", "psci");
        dt_end(t);
    }
    dt_end(t);
}

static void timer(struct dt *t, const struct machine_config *cfg)
{
    static const char *const compat[] = {"arm,armv8-timer", "arm,armv7-timer"};
    const uint32_t irqs[] = {PPI(SECURE_PHYS), PPI(TIMER_PPI_EL1_PHYS), PPI(TIMER_PPI_EL1_VIRT),
                             PPI(TIMER_PPI_EL2_PHYS), PPI(TIMER_PPI_EL2_VIRT)};
    dt_begin(t, "timer");
    dt_strings(t, "compatible", compat, 2);
    /* Without EL2 the EL2 timers do not exist: list the four the binding
     * requires, the hypervisor physical timer's PPI included. */
    dt_cells(t, "interrupts", irqs, cfg->el >= 2 ? 15 : 12);
    dt_empty(t, "always-on");
    dt_end(t);
}

static uint32_t apb_pclk(struct dt *t)
{
    uint32_t phandle = dt_new_phandle(t);
    dt_begin(t, "apb-pclk");
    dt_string(t, "compatible", "fixed-clock");
    dt_u32(t, "#clock-cells", 0);
    dt_u32(t, "clock-frequency", APB_PCLK_HZ);
    dt_string(t, "clock-output-names", "clk24mhz");
    dt_u32(t, "phandle", phandle);
    dt_end(t);
    return phandle;
}

/* A node name: PREFIX@BASE in hex, as the bindings write unit addresses. */
static void node_name(char *buf, size_t len, const char *prefix, uint64_t base)
{
    snprintf(buf, len, "%s@%llx", prefix, (unsigned long long)base);
}

static void pl011(struct dt *t, const struct board_device *d, uint32_t clock)
{
    static const char *const compat[] = {"arm,pl011", "arm,primecell"};
    static const char *const clock_names[] = {"uartclk", "apb_pclk"};
    char name[40];
    node_name(name, sizeof name, "pl011", d->win[0].base);
    dt_begin(t, name);
    dt_strings(t, "compatible", compat, 2);
    dt_u64s(t, "reg", (const uint64_t[]){d->win[0].base, d->win[0].size}, 2);
    dt_cells(t, "interrupts", (const uint32_t[]){GIC_SPI_TYPE, (uint32_t)d->spi, LEVEL_HIGH}, 3);
    dt_cells(t, "clocks", (const uint32_t[]){clock, clock}, 2);
    dt_strings(t, "clock-names", clock_names, 2);
    dt_end(t);
}

static void pl031(struct dt *t, const struct board_device *d, uint32_t clock)
{
    static const char *const compat[] = {"arm,pl031", "arm,primecell"};
    char name[40];
    node_name(name, sizeof name, "pl031", d->win[0].base);
    dt_begin(t, name);
    dt_strings(t, "compatible", compat, 2);
    dt_u64s(t, "reg", (const uint64_t[]){d->win[0].base, d->win[0].size}, 2);
    dt_cells(t, "interrupts", (const uint32_t[]){GIC_SPI_TYPE, (uint32_t)d->spi, LEVEL_HIGH}, 3);
    dt_u32(t, "clocks", clock);
    dt_string(t, "clock-names", "apb_pclk");
    dt_end(t);
}

/* The ITS, a child of the GIC's node as on QEMU: an MSI controller whose
 * one cell is the DeviceID. */
static void its(struct dt *t, const struct board_device *d)
{
    char name[40];
    node_name(name, sizeof name, "its", d->win[0].base);
    dt_begin(t, name);
    dt_u32(t, "phandle", dt_new_phandle(t));
    dt_u64s(t, "reg", (const uint64_t[]){d->win[0].base, d->win[0].size}, 2);
    dt_u32(t, "#msi-cells", 1);
    dt_empty(t, "msi-controller");
    dt_string(t, "compatible", "arm,gic-v3-its");
    dt_end(t);
}

static void gic(struct dt *t, const struct board_device *d, const struct machine_config *cfg,
                uint32_t phandle, const struct board_device *its_dev)
{
    char name[40];
    node_name(name, sizeof name, "intc", d->win[0].base);
    dt_begin(t, name);
    dt_string(t, "compatible", "arm,gic-v3");
    dt_u32(t, "#interrupt-cells", 3);
    dt_empty(t, "interrupt-controller");
    dt_u32(t, "#address-cells", 2);
    dt_u32(t, "#size-cells", 2);
    dt_empty(t, "ranges");
    dt_u32(t, "#redistributor-regions", 1);
    dt_u64s(t, "reg",
            (const uint64_t[]){d->win[0].base, d->win[0].size, d->win[1].base, d->win[1].size}, 4);
    if (cfg->el >= 2)
        dt_cells(t, "interrupts", (const uint32_t[]){PPI(MAINT_INTID)}, 3);
    dt_u32(t, "phandle", phandle);
    if (its_dev)
        its(t, its_dev);
    dt_end(t);
}

/* The empty virtio-mmio transports, as QEMU lists its own: each with its
 * SPI, edge-triggered. */
static void virtio_mmio(struct dt *t, const struct board_device *d)
{
    for (unsigned i = 0; i < d->count; i++) {
        uint64_t base = d->win[0].base + i * d->win[0].size;
        char name[40];
        node_name(name, sizeof name, "virtio_mmio", base);
        dt_begin(t, name);
        dt_string(t, "compatible", "virtio,mmio");
        dt_u64s(t, "reg", (const uint64_t[]){base, d->win[0].size}, 2);
        dt_cells(t, "interrupts",
                 (const uint32_t[]){GIC_SPI_TYPE, (uint32_t)d->spi + i, EDGE_RISING}, 3);
        dt_empty(t, "dma-coherent");
        dt_end(t);
    }
}

static void chosen(struct dt *t, const struct board_device *uart, const struct board_boot *boot)
{
    /* 32 fixed bytes for the kernel's entropy pool: the same boot every time. */
    static const uint8_t rng_seed[32] = "a64sim: a fixed seed, same boot";
    char stdout_path[40] = "/";
    node_name(stdout_path + 1, sizeof stdout_path - 1, "pl011", uart->win[0].base);
    dt_begin(t, "chosen");
    dt_string(t, "stdout-path", stdout_path);
    if (boot->bootargs)
        dt_string(t, "bootargs", boot->bootargs);
    if (boot->initrd_end > boot->initrd_start) {
        dt_u64s(t, "linux,initrd-start", &boot->initrd_start, 1);
        dt_u64s(t, "linux,initrd-end", &boot->initrd_end, 1);
    }
    dt_u64s(t, "kaslr-seed", (const uint64_t[]){KASLR_SEED}, 1);
    dt_bytes(t, "rng-seed", rng_seed, sizeof rng_seed);
    dt_end(t);
}

/* The board's ITS, or NULL. */
static const struct board_device *its_of(const struct board_device *devs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (devs[i].kind == BOARD_ITS)
            return &devs[i];
    return NULL;
}

/* The node of each of the board's devices (sim/board.h), in its order. */
static void devices(struct dt *t, const struct machine_config *cfg, const struct board_device *devs,
                    size_t n, uint32_t clock, uint32_t gic_phandle)
{
    for (size_t i = 0; i < n; i++) {
        switch (devs[i].kind) {
        case BOARD_GIC: gic(t, &devs[i], cfg, gic_phandle, its_of(devs, n)); break;
        case BOARD_ITS: break; /* inside the GIC's node */
        case BOARD_UART: pl011(t, &devs[i], clock); break;
        case BOARD_RTC: pl031(t, &devs[i], clock); break;
        case BOARD_VIRTIO: virtio_mmio(t, &devs[i]); break;
        }
    }
}

struct dt *board_device_tree(const struct machine_config *cfg, const struct board_boot *boot,
                             char *err, size_t errlen)
{
    struct dt *t = dt_new(DT_MAX_SIZE);
    if (!t) {
        snprintf(err, errlen, "out of memory for the device tree");
        return NULL;
    }
    uint32_t gic_phandle = dt_new_phandle(t);
    dt_begin(t, "");
    root(t, gic_phandle);
    psci(t, cfg);
    memory(t, cfg);
    cpus(t, cfg);
    timer(t, cfg);
    uint32_t clock = apb_pclk(t);
    struct board_device devs[BOARD_MAX_DEVICES];
    size_t n = board_devices(cfg, devs);
    devices(t, cfg, devs, n, clock, gic_phandle);
    chosen(t, board_find(devs, n, BOARD_UART), boot);
    dt_end(t);
    const void *blob;
    size_t size;
    if (!dt_finish(t, &blob, &size, err, errlen)) {
        dt_free(t);
        return NULL;
    }
    return t;
}
