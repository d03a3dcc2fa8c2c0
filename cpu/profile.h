/* CPU profiles: which processor a PE claims to be (MIDR, caches) and which
 * architecture features it advertises in its ID registers and implements.
 * A profile never advertises a feature a64sim does not implement; the
 * values of each profile are listed in docs/isa.md ("Features"). */
#ifndef CPU_PROFILE_H
#define CPU_PROFILE_H

#include <stdbool.h>

enum cpu_profile {
    CPU_PROFILE_MAX, /* everything a64sim implements: Armv8.0 plus LSE, LRCPC, PAN, VHE, ... */
    CPU_PROFILE_A57, /* Cortex-A57 r1p3 as QEMU's cortex-a57: Armv8.0 with CRC32, no VHE */
};

/* The profile a --cpu NAME selects ("max", "a57" or "cortex-a57"); false if unknown. */
bool cpu_profile_parse(const char *name, enum cpu_profile *out);
/* The canonical name of a profile, as --cpu takes it. */
const char *cpu_profile_name(enum cpu_profile profile);

#endif
