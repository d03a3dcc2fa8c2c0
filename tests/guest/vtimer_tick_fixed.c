/*
 * vtimer_tick_simonly.c with the fix: a tick counts only when
 * CNTV_CTL_EL0 says the timer fired (ISTATUS set, IMASK clear), so the
 * second take of a level still on its way to the GIC is ignored
 * (docs/explore.md).
 */
#define TICK_CHECK_ISTATUS

#include "vtimer_tick_simonly.c"
