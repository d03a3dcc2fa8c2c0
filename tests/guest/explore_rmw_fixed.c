/*
 * explore_rmw_simonly.c with the fix: the read-modify-write runs with
 * PSTATE.I set, so the interrupt is taken before or after it, never inside,
 * and every timing keeps both updates (docs/explore.md).
 */
#define EXPLORE_FIXED

#include "explore_rmw_simonly.c"
