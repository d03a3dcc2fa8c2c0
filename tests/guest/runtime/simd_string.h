/*
 * String functions in Advanced SIMD, written the way glibc's AArch64 ones are (sysdeps/aarch64:
 * memcpy.S, memset.S, strlen.S, memchr.S), for the FP/SIMD guests (tests/guest/simd_string.c
 * checks them, bench/guests/simd_bench.c times them).
 *
 * The header holds the code itself, as top-level assembly: include it in one C file of a guest
 * only, and only in a guest built with the FP/SIMD registers enabled (named fp_* or simd_*,
 * tests/guest/guest.mk). Every function is a leaf that uses X0-X9 and V0-V7 only.
 *
 * The techniques, and the accesses they make (what matters with the MMU off, where all data is
 * Device memory and an access must be aligned to its element size):
 *  - simd_memcpy: 0-16 bytes with one load and one store from each end, overlapping in the
 *    middle (LDR X/W or LDRB); 17-128 bytes with LDR/LDP Q from both ends; longer copies store
 *    the first 16 bytes, then loop over 64-byte blocks with LDP/STP Q at a 16-byte aligned
 *    destination, and end with 64 bytes copied from the end. Device-safe only when source,
 *    destination and length are all multiples of 16.
 *  - simd_memcpy_ld1: the same shape with LD1/ST1 of one, two and four registers of 16 bytes
 *    (byte elements, so any alignment is Device-safe) and a byte loop below 16 bytes.
 *  - simd_memset: DUP the byte to V0; below 16 bytes, overlapping STR X/W/H/B from both ends;
 *    up to 96, STR/STP Q from both ends; longer, STP Q pairs over 64-byte blocks from a 16-byte
 *    aligned address and 64 bytes at the end. Device-safe when the destination and length are
 *    multiples of 16.
 *  - simd_strlen: reads whole aligned 16-byte chunks only (so it never crosses into the next
 *    page): CMEQ against zero, SHRN #4 to a 64-bit syndrome of 4 bits a byte, FMOV to X, the
 *    bytes before the string shifted out, RBIT and CLZ for the first NUL; the loop asks UMAXP
 *    whether a chunk holds a NUL at all. Device-safe.
 *  - simd_memchr: aligned 16-byte chunks too, the older glibc syndrome: CMEQ against the byte
 *    DUP'd to every lane, AND with 0x40100401 in each word and two ADDP, leaving 2 bits a byte
 *    in 32 bits; the bytes before the start and past the end are masked off. Device-safe.
 */
#ifndef GUEST_SIMD_STRING_H
#define GUEST_SIMD_STRING_H

#include <stddef.h>

/* Copy N bytes from SRC to DST (no overlap); return DST. */
void *simd_memcpy(void *dst, const void *src, size_t n);

/* simd_memcpy with LD1/ST1 of byte vectors instead of LDP/STP Q. */
void *simd_memcpy_ld1(void *dst, const void *src, size_t n);

/* Fill N bytes at DST with the byte C; return DST. */
void *simd_memset(void *dst, int c, size_t n);

/* The number of bytes before the first NUL at S. */
size_t simd_strlen(const char *s);

/* The first of the N bytes at S equal to (unsigned char)C, or NULL. */
void *simd_memchr(const void *s, int c, size_t n);

#define SIMD_FUNCTION(name)                                                                        \
    "\t.text\n\t.balign 16\n\t.global " #name "\n\t.type " #name ", %function\n" #name ":\n"

// clang-format off
__asm__(
    SIMD_FUNCTION(simd_memcpy)
    /* x0 dst, x1 src, x2 n; x4 src end, x5 dst end */
    "\tadd	x4, x1, x2\n"
    "\tadd	x5, x0, x2\n"
    "\tcmp	x2, #128\n"
    "\tb.hi	3f\n"
    "\tcmp	x2, #32\n"
    "\tb.hi	2f\n"
    "\tcmp	x2, #16\n"
    "\tb.lo	1f\n"
    /* 16..32 */
    "\tldr	q0, [x1]\n"
    "\tldr	q1, [x4, #-16]\n"
    "\tstr	q0, [x0]\n"
    "\tstr	q1, [x5, #-16]\n"
    "\tret\n"
    /* 0..15: 8..15 as two X, 4..7 as two W, 1..3 as first, middle and last byte */
    "1:\ttbz	x2, #3, 11f\n"
    "\tldr	x6, [x1]\n"
    "\tldr	x7, [x4, #-8]\n"
    "\tstr	x6, [x0]\n"
    "\tstr	x7, [x5, #-8]\n"
    "\tret\n"
    "11:\ttbz	x2, #2, 12f\n"
    "\tldr	w6, [x1]\n"
    "\tldr	w7, [x4, #-4]\n"
    "\tstr	w6, [x0]\n"
    "\tstr	w7, [x5, #-4]\n"
    "\tret\n"
    "12:\tcbz	x2, 13f\n"
    "\tlsr	x8, x2, #1\n"
    "\tldrb	w6, [x1]\n"
    "\tldrb	w7, [x4, #-1]\n"
    "\tldrb	w9, [x1, x8]\n"
    "\tstrb	w6, [x0]\n"
    "\tstrb	w9, [x0, x8]\n"
    "\tstrb	w7, [x5, #-1]\n"
    "13:\tret\n"
    /* 33..128: 32 from each end, and 64..128 another 32 (or 64) in between */
    "2:\tldp	q0, q1, [x1]\n"
    "\tldp	q2, q3, [x4, #-32]\n"
    "\tcmp	x2, #64\n"
    "\tb.hi	21f\n"
    "\tstp	q0, q1, [x0]\n"
    "\tstp	q2, q3, [x5, #-32]\n"
    "\tret\n"
    "21:\tldp	q4, q5, [x1, #32]\n"
    "\tcmp	x2, #96\n"
    "\tb.ls	22f\n"
    "\tldp	q6, q7, [x4, #-64]\n"
    "\tstp	q6, q7, [x5, #-64]\n"
    "22:\tstp	q0, q1, [x0]\n"
    "\tstp	q4, q5, [x0, #32]\n"
    "\tstp	q2, q3, [x5, #-32]\n"
    "\tret\n"
    /* > 128: x3 = dst aligned down to 16, x1 moved by as much; x2 counts from x3 */
    "3:\tldr	q0, [x1]\n"
    "\tand	x6, x0, #15\n"
    "\tbic	x3, x0, #15\n"
    "\tsub	x1, x1, x6\n"
    "\tadd	x2, x2, x6\n"
    "\tldp	q4, q5, [x1, #16]\n"
    "\tstr	q0, [x0]\n"
    "\tldp	q6, q7, [x1, #48]\n"
    /* bytes left after the first 16, the 64 in q4-q7 and the last 64 */
    "\tsubs	x2, x2, #(16 + 64 + 64)\n"
    "\tb.ls	32f\n"
    "31:\tstp	q4, q5, [x3, #16]\n"
    "\tldp	q4, q5, [x1, #80]\n"
    "\tstp	q6, q7, [x3, #48]\n"
    "\tldp	q6, q7, [x1, #112]\n"
    "\tadd	x1, x1, #64\n"
    "\tadd	x3, x3, #64\n"
    "\tsubs	x2, x2, #64\n"
    "\tb.hi	31b\n"
    "32:\tldp	q0, q1, [x4, #-64]\n"
    "\tstp	q4, q5, [x3, #16]\n"
    "\tldp	q2, q3, [x4, #-32]\n"
    "\tstp	q6, q7, [x3, #48]\n"
    "\tstp	q0, q1, [x5, #-64]\n"
    "\tstp	q2, q3, [x5, #-32]\n"
    "\tret\n"
    "\t.size simd_memcpy, . - simd_memcpy\n"

    SIMD_FUNCTION(simd_memcpy_ld1)
    "\tadd	x4, x1, x2\n"
    "\tadd	x5, x0, x2\n"
    "\tmov	x3, x0\n"
    "\tcmp	x2, #16\n"
    "\tb.lo	3f\n"
    "\tcmp	x2, #64\n"
    "\tb.lo	2f\n"
    /* 64 bytes a step while more than 64 are left, then the last 64 from the end */
    "\tsubs	x2, x2, #64\n"
    "\tb.ls	11f\n"
    "1:\tld1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x1], #64\n"
    "\tst1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x3], #64\n"
    "\tsubs	x2, x2, #64\n"
    "\tb.hi	1b\n"
    "11:\tsub	x4, x4, #64\n"
    "\tsub	x5, x5, #64\n"
    "\tld1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x4]\n"
    "\tst1	{v0.16b, v1.16b, v2.16b, v3.16b}, [x5]\n"
    "\tret\n"
    /* 16..63: 16 or 32 from each end */
    "2:\tcmp	x2, #32\n"
    "\tb.hi	21f\n"
    "\tsub	x4, x4, #16\n"
    "\tsub	x5, x5, #16\n"
    "\tld1	{v0.16b}, [x1]\n"
    "\tld1	{v1.16b}, [x4]\n"
    "\tst1	{v0.16b}, [x0]\n"
    "\tst1	{v1.16b}, [x5]\n"
    "\tret\n"
    "21:\tsub	x4, x4, #32\n"
    "\tsub	x5, x5, #32\n"
    "\tld1	{v0.16b, v1.16b}, [x1]\n"
    "\tld1	{v2.16b, v3.16b}, [x4]\n"
    "\tst1	{v0.16b, v1.16b}, [x0]\n"
    "\tst1	{v2.16b, v3.16b}, [x5]\n"
    "\tret\n"
    /* 0..15 */
    "3:\tcbz	x2, 32f\n"
    "31:\tldrb	w6, [x1], #1\n"
    "\tstrb	w6, [x3], #1\n"
    "\tsubs	x2, x2, #1\n"
    "\tb.ne	31b\n"
    "32:\tret\n"
    "\t.size simd_memcpy_ld1, . - simd_memcpy_ld1\n"

    SIMD_FUNCTION(simd_memset)
    /* x0 dst, w1 byte, x2 n; x4 dst end */
    "\tdup	v0.16b, w1\n"
    "\tadd	x4, x0, x2\n"
    "\tcmp	x2, #96\n"
    "\tb.hi	3f\n"
    "\tcmp	x2, #16\n"
    "\tb.hs	2f\n"
    /* 0..15 */
    "\tmov	x5, v0.d[0]\n"
    "\ttbz	x2, #3, 1f\n"
    "\tstr	x5, [x0]\n"
    "\tstr	x5, [x4, #-8]\n"
    "\tret\n"
    "1:\ttbz	x2, #2, 11f\n"
    "\tstr	w5, [x0]\n"
    "\tstr	w5, [x4, #-4]\n"
    "\tret\n"
    "11:\tcbz	x2, 12f\n"
    "\tstrb	w5, [x0]\n"
    "\ttbz	x2, #1, 12f\n"
    "\tstrh	w5, [x4, #-2]\n"
    "12:\tret\n"
    /* 16..96: 16 or 32 from each end; 64..96: 64 from the start, 32 from the end */
    "2:\tstr	q0, [x0]\n"
    "\ttbnz	x2, #6, 21f\n"
    "\tstr	q0, [x4, #-16]\n"
    "\ttbz	x2, #5, 22f\n"
    "\tstr	q0, [x0, #16]\n"
    "\tstr	q0, [x4, #-32]\n"
    "22:\tret\n"
    "21:\tstr	q0, [x0, #16]\n"
    "\tstp	q0, q0, [x0, #32]\n"
    "\tstp	q0, q0, [x4, #-32]\n"
    "\tret\n"
    /* > 96: the first 16, 64-byte blocks from the aligned address after them, the last 64 */
    "3:\tbic	x3, x0, #15\n"
    "\tstr	q0, [x0]\n"
    "\tsub	x2, x4, x3\n"
    "\tsub	x3, x3, #16\n"
    "\tsub	x2, x2, #(64 + 16)\n"
    "31:\tstp	q0, q0, [x3, #32]\n"
    "\tstp	q0, q0, [x3, #64]!\n"
    "\tsubs	x2, x2, #64\n"
    "\tb.hi	31b\n"
    "\tstp	q0, q0, [x4, #-64]\n"
    "\tstp	q0, q0, [x4, #-32]\n"
    "\tret\n"
    "\t.size simd_memset, . - simd_memset\n"

    SIMD_FUNCTION(simd_strlen)
    /* x0 s; x1 the aligned chunk; x3 the syndrome, 4 bits a byte */
    "\tbic	x1, x0, #15\n"
    "\tld1	{v0.16b}, [x1]\n"
    "\tcmeq	v0.16b, v0.16b, #0\n"
    "\tlsl	x2, x0, #2\n"
    "\tshrn	v0.8b, v0.8h, #4\n"
    "\tfmov	x3, d0\n"
    "\tlsr	x3, x3, x2\n"
    "\tcbz	x3, 1f\n"
    "\trbit	x3, x3\n"
    "\tclz	x0, x3\n"
    "\tlsr	x0, x0, #2\n"
    "\tret\n"
    "1:\tldr	q0, [x1, #16]!\n"
    "\tcmeq	v0.16b, v0.16b, #0\n"
    "\tumaxp	v1.16b, v0.16b, v0.16b\n"
    "\tfmov	x3, d1\n"
    "\tcbz	x3, 1b\n"
    "\tshrn	v0.8b, v0.8h, #4\n"
    "\tfmov	x3, d0\n"
    "\trbit	x3, x3\n"
    "\tclz	x3, x3\n"
    "\tsub	x0, x1, x0\n"
    "\tadd	x0, x0, x3, lsr #2\n"
    "\tret\n"
    "\t.size simd_strlen, . - simd_strlen\n"

    SIMD_FUNCTION(simd_memchr)
    /* x0 s, w1 c, x2 n; x3 the aligned chunk; x2 counts from it (saturating); w5 twice the
     * bytes of the first chunk before s; w6 the syndrome, 2 bits a byte */
    "\tcbz	x2, 3f\n"
    "\tdup	v1.16b, w1\n"
    "\tmov	w4, #0x0401\n"
    "\tmovk	w4, #0x4010, lsl #16\n"
    "\tdup	v2.4s, w4\n"
    "\tand	x5, x0, #15\n"
    "\tbic	x3, x0, #15\n"
    "\tadds	x2, x2, x5\n"
    "\tcsinv	x2, x2, xzr, cc\n"
    "\tlsl	w5, w5, #1\n"
    "1:\tld1	{v0.16b}, [x3]\n"
    "\tcmeq	v0.16b, v0.16b, v1.16b\n"
    "\tand	v0.16b, v0.16b, v2.16b\n"
    "\taddp	v0.16b, v0.16b, v0.16b\n"
    "\taddp	v0.16b, v0.16b, v0.16b\n"
    "\tfmov	w6, s0\n"
    "\tlsr	w6, w6, w5\n"
    "\tlsl	w6, w6, w5\n"
    "\tcmp	x2, #16\n"
    "\tb.hs	11f\n"
    "\tlsl	w7, w2, #1\n"
    "\tmov	w8, #1\n"
    "\tlsl	w8, w8, w7\n"
    "\tsub	w8, w8, #1\n"
    "\tand	w6, w6, w8\n"
    "11:\tcbnz	w6, 2f\n"
    "\tsubs	x2, x2, #16\n"
    "\tb.ls	3f\n"
    "\tadd	x3, x3, #16\n"
    "\tmov	w5, #0\n"
    "\tb	1b\n"
    "2:\trbit	w6, w6\n"
    "\tclz	w6, w6\n"
    "\tadd	x0, x3, x6, lsr #1\n"
    "\tret\n"
    "3:\tmov	x0, #0\n"
    "\tret\n"
    "\t.size simd_memchr, . - simd_memchr\n");
// clang-format on

#endif
