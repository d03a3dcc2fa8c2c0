/*
 * hyp_stage2.c with the guest's level 2 translation table taken away at
 * stage 2 instead of its level 3 one. The stage 2 fault on the stage 1 walk
 * must report the level of the stage 2 lookup (3) in DFSC, not the level of
 * the stage 1 table being read (2) (Arm ARM: the walk's descriptor read is
 * translated by stage 2 and its fault is that translation's fault). QEMU 7.2
 * reports the stage 1 level, so this variant runs under a64sim only.
 */
#define A64SIM_ONLY
#define GUEST_NAME "hyp_stage2_simonly"

#include "hyp_stage2.c"
