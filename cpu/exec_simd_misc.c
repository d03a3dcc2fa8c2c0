/* Placeholder: every word of these families is UNDEFINED until implemented. */
#include "cpu/decode.h"

bool trans_SIMD_two_misc(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_shift_imm(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_indexed(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_scalar_two_misc(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_scalar_shift_imm(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_scalar_indexed(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}
