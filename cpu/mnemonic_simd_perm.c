/* Placeholder for the mnemonic oracle of these families. */
#include "cpu/decode.h"

const char *mnemonic_simd_perm(enum insn_family family, const struct insn_fields *f)
{
    (void)family;
    (void)f;
    return NULL;
}
