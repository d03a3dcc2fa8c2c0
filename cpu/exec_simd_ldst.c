/* Placeholder: every word of these families is UNDEFINED until implemented. */
#include "cpu/decode.h"

bool trans_SIMD_LDST_multiple(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_LDST_single(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}
