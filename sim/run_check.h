/* A check: a condition on the state a run ends in, given by the user as an
 * expression (`a64sim explore --check EXPR`, docs/explore.md), e.g.
 *
 *     exit == 0 && mem32[counter] == 808 && output ~ "every update kept"
 *
 * Values are unsigned 64-bit: numbers (decimal or 0x hex), `exit`,
 * `cycles`, `insns`, `deadlock` (1 when every PE waits for good),
 * `peN.xM`, `peN.sp`, `peN.pc`, `peN.el`, `memB[ADDR]` (B = 8, 16, 32, 64:
 * little-endian guest memory at the virtual address ADDR as PE 0 sees it
 * at the end, RAM only) and ELF symbols (their addresses). Operators, from
 * the loosest: `||`, `&&`, `!`, the comparisons `== != < <= > >=` and
 * `output ~ "ERE"` / `output !~ "ERE"` (a POSIX extended regular expression
 * searched in the UART output, `^` and `$` matching at each line), `|`,
 * `&`, `+ -`; parentheses group. */
#ifndef SIM_RUN_CHECK_H
#define SIM_RUN_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/machine.h"

struct run_check;

/* Compile TEXT; NULL with "problem at column N" in ERR when it is not an
 * expression of the grammar above (symbols are looked up when evaluated). */
struct run_check *run_check_parse(const char *text, char *err, size_t errlen);
void run_check_free(struct run_check *c);
/* The text the check was compiled from. */
const char *run_check_text(const struct run_check *c);

/* Evaluate C on machine M after its run R, with the UART output OUTPUT
 * (NUL-terminated: a regular expression sees it up to its first NUL).
 * Sets *HOLDS; false with the problem in ERR when the expression cannot be
 * evaluated on this run (an unknown symbol or PE, memory that is not RAM). */
bool run_check_eval(const struct run_check *c, struct machine *m, const struct run_result *r,
                    const char *output, bool *holds, char *err, size_t errlen);

#endif
