/*
 * vgic_v41_simonly.c with the vPE made non-resident with GICR_VPENDBASER.DB
 * 0 before blocking (seed thread 004, in GICv4.1 form): no default doorbell
 * is owed, so the device's vLPI waits in the VPT, nothing wakes the host's
 * WFI, and a64sim ends the run as a deadlock (exit code 1) whose report says
 * "vLPI 8192 of vPE 0 pending in its VPT, vPE not resident, default doorbell
 * LPI 8200 not requested".
 */
#define NO_DB

#include "vgic_v41_simonly.c"
