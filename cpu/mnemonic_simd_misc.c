/* The mnemonic oracle's part for the two-register miscellaneous, shift by
 * immediate and indexed element classes: the decoder's own reading of the
 * word (cpu/simd_misc_decode.c) and the preferred disassembly of it. */
#include "cpu/decode.h"
#include "cpu/simd_misc.h"

const char *mnemonic_simd_misc(enum insn_family family, const struct insn_fields *f)
{
    struct smisc_word w;
    if (!smisc_decode(family, f, &w))
        return NULL;
    return smisc_mnemonic(&w);
}
