/* The device tree of the board a64sim builds for a configuration: what an
 * operating system needs to find every device that exists, and nothing
 * else (docs/linux.md lists the nodes). */
#ifndef SIM_BOARD_DT_H
#define SIM_BOARD_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/dt.h"
#include "sim/machine.h"

/* What /chosen says about the boot. */
struct board_boot {
    const char *bootargs;              /* NULL: none */
    uint64_t initrd_start, initrd_end; /* both 0: no initrd */
};

/* The tree for CFG and BOOT; NULL with the reason in ERR. */
struct dt *board_device_tree(const struct machine_config *cfg, const struct board_boot *boot,
                             char *err, size_t errlen);

#endif
