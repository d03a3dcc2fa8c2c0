/*
 * Entry point of every a64sim guest. The loader (a64sim, or QEMU's -kernel
 * ELF loader) jumps here at EL1 with the MMU and caches off. Deliberately
 * touches no system register: set SP, zero .bss, run main, exit.
 */
	.section .text.boot, "ax"
	.global _start
	.type _start, %function
_start:
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
