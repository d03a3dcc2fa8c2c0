/* A64 disassembly with Capstone, for reports and trace dumps. */
#ifndef TRACES_DISASM_H
#define TRACES_DISASM_H

#include <stddef.h>
#include <stdint.h>

struct disasm;

/* NULL if Capstone cannot be opened (the caller prints raw words). */
struct disasm *disasm_new(void);
void disasm_free(struct disasm *d);
/* Write "mnemonic operands" for INSN at PC into buf, or "(not an instruction
 * Capstone knows)" when Capstone rejects the word. Returns buf. */
const char *disasm_one(struct disasm *d, uint32_t insn, uint64_t pc, char *buf, size_t len);

#endif
