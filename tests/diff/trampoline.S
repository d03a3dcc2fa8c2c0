/*
 * diff_run(in, out, body): enter a generated case with every general-purpose
 * register and NZCV taken from in[], and come back through diff_exit, which
 * every case branches to at its end, to store them all to out[].
 *
 * A case may overwrite X0-X30, so the only state it must not touch is SP:
 * the frame below holds the callee-saved registers, the out pointer and the
 * case's initial X30 (no free register is left to carry it into the case, so
 * the case's first instruction loads it from here).
 */
#define FRAME    128
#define OUT_SLOT 96
#define X30_SLOT 104
#define TMP_SLOT 112

	.text
	.global diff_run
	.type diff_run, %function
	.balign 16
diff_run:
	sub	sp, sp, #FRAME
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	str	x1, [sp, #OUT_SLOT]
	ldr	x3, [x0, #240]
	str	x3, [sp, #X30_SLOT]
	/* Each case starts with the local exclusive monitor open, whatever the previous one did. */
	clrex
	mov	x30, x2
	ldr	x1, [x0, #248]
	msr	nzcv, x1
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldp	x0, x1, [x0, #0]
	br	x30
	.size diff_run, . - diff_run

	.global diff_exit
	.type diff_exit, %function
	.balign 16
diff_exit:
	stp	x0, x1, [sp, #TMP_SLOT]
	mrs	x1, nzcv
	ldr	x0, [sp, #OUT_SLOT]
	str	x1, [x0, #248]
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp, #TMP_SLOT]
	stp	x2, x3, [x0, #0]
	mov	x2, sp
	str	x2, [x0, #256]
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #FRAME
	ret
	.size diff_exit, . - diff_exit

	/* Its own page: stores to it never share a page with code. */
	.bss
	.global diff_buffer
	.balign 4096
diff_buffer:
	.space 4096
	.size diff_buffer, 4096
