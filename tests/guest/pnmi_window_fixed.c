/*
 * pnmi_window_simonly.c with the PMR saved and restored as part of the
 * interrupted context: a pseudo-NMI inside local_irq_save/restore returns
 * with the PMR still masking, and the normal SGI waits for
 * local_irq_restore whatever the timing (docs/explore.md).
 */
#define PNMI_SAVE_PMR

#include "pnmi_window_simonly.c"
