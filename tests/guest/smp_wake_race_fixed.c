/*
 * smp_wake_race_simonly.c with the fix: PE 1's handler ends with DSB and
 * SEV after setting the flag, so PE 0's WFE wakes whenever the store lands
 * (docs/explore.md). Run with --cpus 2.
 */
#define WAKE_SEV

#include "smp_wake_race_simonly.c"
