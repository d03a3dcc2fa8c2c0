#include "traces/disasm.h"

#include <capstone.h>
#include <stdio.h>
#include <stdlib.h>

struct disasm {
    csh handle;
};

struct disasm *disasm_new(void)
{
    struct disasm *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    if (cs_open(CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN, &d->handle) != CS_ERR_OK) {
        free(d);
        return NULL;
    }
    return d;
}

void disasm_free(struct disasm *d)
{
    if (!d)
        return;
    cs_close(&d->handle);
    free(d);
}

const char *disasm_one(struct disasm *d, uint32_t insn, uint64_t pc, char *buf, size_t len)
{
    uint8_t bytes[4] = {(uint8_t)insn, (uint8_t)(insn >> 8), (uint8_t)(insn >> 16),
                        (uint8_t)(insn >> 24)};
    cs_insn *out = NULL;
    if (!d || cs_disasm(d->handle, bytes, 4, pc, 1, &out) != 1) {
        snprintf(buf, len, "(not an instruction Capstone knows)");
        return buf;
    }
    if (out->op_str[0])
        snprintf(buf, len, "%s %s", out->mnemonic, out->op_str);
    else
        snprintf(buf, len, "%s", out->mnemonic);
    cs_free(out, 1);
    return buf;
}
