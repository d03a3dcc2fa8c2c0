/* Placeholder: every word of these families is UNDEFINED until implemented. */
#include "cpu/decode.h"

bool trans_SIMD_three_same(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_three_diff(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_across_lanes(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_scalar_three_same(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_scalar_three_diff(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_scalar_pairwise(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}
