/*
 * diff_run(in, out, body): enter a generated case with every general-purpose
 * register, NZCV, V0-V31, FPCR and FPSR taken from in[], and come back
 * through diff_exit, which every case branches to at its end, to store them
 * all, and SP, to out[]. Both records have the layout of diff.h, and are
 * 16-byte aligned for the LDP/STP of Q registers.
 *
 * A case may overwrite X0-X30 and V0-V31, so the only state it must not
 * touch is SP: the frame below holds the callee-saved registers (X19-X30,
 * D8-D15 and FPCR, AAPCS64), the out pointer and the case's initial X30 (no
 * free register is left to carry it into the case, so the case's first
 * instruction loads it from here).
 */
#define FRAME     208
#define OUT_SLOT  96
#define X30_SLOT  104 /* gen.py X30_SLOT */
#define TMP_SLOT  112
#define D8_SLOT   128
#define FPCR_SLOT 192

/* Byte offsets in a register record (diff.h). */
#define REC_X30  240
#define REC_NZCV 248
#define REC_V0   256
#define REC_FPCR 768
#define REC_FPSR 776
#define REC_SP   784

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
	stp	d8, d9, [sp, #D8_SLOT]
	stp	d10, d11, [sp, #D8_SLOT + 16]
	stp	d12, d13, [sp, #D8_SLOT + 32]
	stp	d14, d15, [sp, #D8_SLOT + 48]
	mrs	x3, fpcr
	str	x3, [sp, #FPCR_SLOT]
	str	x1, [sp, #OUT_SLOT]
	ldr	x3, [x0, #REC_X30]
	str	x3, [sp, #X30_SLOT]
	/* Each case starts with the local exclusive monitor open, whatever the previous one did. */
	clrex
	mov	x30, x2
	/* MSR FPCR and MSR FPSR need no ISB: the Arm ARM orders them before every later instruction. */
	ldr	x1, [x0, #REC_FPCR]
	msr	fpcr, x1
	ldr	x1, [x0, #REC_FPSR]
	msr	fpsr, x1
	ldp	q0, q1, [x0, #REC_V0 + 0]
	ldp	q2, q3, [x0, #REC_V0 + 32]
	ldp	q4, q5, [x0, #REC_V0 + 64]
	ldp	q6, q7, [x0, #REC_V0 + 96]
	ldp	q8, q9, [x0, #REC_V0 + 128]
	ldp	q10, q11, [x0, #REC_V0 + 160]
	ldp	q12, q13, [x0, #REC_V0 + 192]
	ldp	q14, q15, [x0, #REC_V0 + 224]
	ldp	q16, q17, [x0, #REC_V0 + 256]
	ldp	q18, q19, [x0, #REC_V0 + 288]
	ldp	q20, q21, [x0, #REC_V0 + 320]
	ldp	q22, q23, [x0, #REC_V0 + 352]
	ldp	q24, q25, [x0, #REC_V0 + 384]
	ldp	q26, q27, [x0, #REC_V0 + 416]
	ldp	q28, q29, [x0, #REC_V0 + 448]
	ldp	q30, q31, [x0, #REC_V0 + 480]
	ldr	x1, [x0, #REC_NZCV]
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
	str	x1, [x0, #REC_NZCV]
	mrs	x1, fpcr
	str	x1, [x0, #REC_FPCR]
	mrs	x1, fpsr
	str	x1, [x0, #REC_FPSR]
	stp	q0, q1, [x0, #REC_V0 + 0]
	stp	q2, q3, [x0, #REC_V0 + 32]
	stp	q4, q5, [x0, #REC_V0 + 64]
	stp	q6, q7, [x0, #REC_V0 + 96]
	stp	q8, q9, [x0, #REC_V0 + 128]
	stp	q10, q11, [x0, #REC_V0 + 160]
	stp	q12, q13, [x0, #REC_V0 + 192]
	stp	q14, q15, [x0, #REC_V0 + 224]
	stp	q16, q17, [x0, #REC_V0 + 256]
	stp	q18, q19, [x0, #REC_V0 + 288]
	stp	q20, q21, [x0, #REC_V0 + 320]
	stp	q22, q23, [x0, #REC_V0 + 352]
	stp	q24, q25, [x0, #REC_V0 + 384]
	stp	q26, q27, [x0, #REC_V0 + 416]
	stp	q28, q29, [x0, #REC_V0 + 448]
	stp	q30, q31, [x0, #REC_V0 + 480]
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
	str	x30, [x0, #REC_X30]
	ldp	x2, x3, [sp, #TMP_SLOT]
	stp	x2, x3, [x0, #0]
	mov	x2, sp
	str	x2, [x0, #REC_SP]
	ldr	x1, [sp, #FPCR_SLOT]
	msr	fpcr, x1
	ldp	d8, d9, [sp, #D8_SLOT]
	ldp	d10, d11, [sp, #D8_SLOT + 16]
	ldp	d12, d13, [sp, #D8_SLOT + 32]
	ldp	d14, d15, [sp, #D8_SLOT + 48]
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
