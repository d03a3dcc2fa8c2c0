/*
 * Entry point of every a64sim guest. The loader (a64sim, or QEMU's -kernel
 * ELF loader) jumps here at EL1 (or EL2) with the MMU and caches off. It
 * deliberately touches no system register: set SP, zero .bss, run main, exit.
 *
 * Except in the variant assembled with -DGUEST_ENABLE_FP, for the guests that
 * use the FP and Advanced SIMD registers (tests/guest/guest.mk: fp_* and
 * simd_*). CPACR_EL1.FPEN resets to 0b00, which traps every FP/SIMD
 * instruction at EL0 and EL1 (EC 0x07), and at EL2 CPTR_EL2.TFP may trap them
 * at EL2 and below; that variant lifts both traps first, before any code (the
 * C compiler's included) can touch a vector register, and starts from a known
 * FPCR and FPSR, whose reset values are UNKNOWN.
 */
	.section .text.boot, "ax"
	.global _start
	.type _start, %function
_start:
#ifdef GUEST_ENABLE_FP
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	.Lfp_el1
	/* CPTR_EL2 in its E2H = 0 layout, as at reset: clear TFP (bit 10). */
	mrs	x0, cptr_el2
	bic	x0, x0, #(1 << 10)
	msr	cptr_el2, x0
.Lfp_el1:
	mov	x0, #(3 << 20)		/* CPACR_EL1.FPEN = 0b11: no trap at EL0 or EL1 */
	msr	cpacr_el1, x0
	isb
	msr	fpcr, xzr
	msr	fpsr, xzr
#endif
	adrp	x0, __stack_top
	add	x0, x0, :lo12:__stack_top
	mov	sp, x0

	/* link.ld aligns both ends to 16, so 8-byte stores cover .bss exactly. */
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b

2:	bl	main
	bl	guest_exit
	/* guest_exit never returns; stay put if it somehow does. */
3:	wfi
	b	3b
	.size _start, . - _start
