/* Fuzz target for the cost-table parser (cpu/cost.h: cost_table_load;
 * libFuzzer entry point, tests/fuzz/mutate.c without libFuzzer). Each
 * input is loaded over the defaults as a `--cost` file. What it accepts
 * must keep the documented promise (docs/usage.md, `--cost`): every cost a
 * whole number from 1 to 65535, the run loop relies on it; a rejection
 * says why. */
#include <stdint.h>
#include <stdlib.h>

#include "cpu/cost.h"
#include "tests/fuzz/fuzz_input_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_file("fuzz_cost", data, size);
    if (!path)
        return 0;
    struct cost_table t = cost_default;
    char err[1200];
    err[0] = 0;
    if (cost_table_load(&t, path, err, sizeof(err))) {
        for (int k = 0; k < COST_NR; k++)
            if (t.cycles[k] < 1 || t.cycles[k] > COST_MAX)
                abort();
    } else if (!err[0]) {
        abort();
    }
    return 0;
}
