/* The mnemonic a64sim prints for an A64 instruction word.
 *
 * It is the Arm ARM's "preferred disassembly": where an instruction has
 * aliases (MOV for ORR, CMP for SUBS, LSL for UBFM, STADD for LDADD, ...),
 * the alias whose condition the word meets is named, exactly as the alias
 * tables of the Arm ARM instruction descriptions (part C6) decide. Names are
 * lower-case, as disassemblers print them. Only the mnemonic is given, not
 * the operands (so B.cond is "b.eq", PSB CSYNC is "psb").
 */
#ifndef CPU_MNEMONIC_H
#define CPU_MNEMONIC_H

#include <stdint.h>

/* Preferred-disassembly mnemonic of RAW, or NULL when a64sim decodes RAW as UNDEFINED. */
const char *a64_mnemonic(uint32_t raw);

/* Name of the decoder family (the pattern table's row) that accepts RAW, or
 * NULL when RAW is UNDEFINED. Defined in cpu/decode.c. */
const char *decode_family_name(uint32_t raw);

#endif
