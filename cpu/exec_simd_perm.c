/* Placeholder: every word of these families is UNDEFINED until implemented. */
#include "cpu/decode.h"

bool trans_SIMD_copy(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_scalar_copy(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_mod_imm(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_table(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_permute(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_SIMD_extract(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}
