/* Placeholder: every word of these families is UNDEFINED until implemented. */
#include "cpu/decode.h"

bool trans_FP_fixed_conv(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_FP_int_conv(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_FP_dp1(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_FP_compare(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_FP_imm(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_FP_ccmp(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_FP_dp2(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_FP_csel(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}

bool trans_FP_dp3(struct insn *in, const struct insn_fields *f)
{
    (void)in;
    (void)f;
    return false;
}
