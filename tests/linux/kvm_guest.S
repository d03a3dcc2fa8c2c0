// The guest of kvmtest.c: loaded at IPA 0x40000000 and entered at EL1h with
// the MMU off. It reports over MMIO to 0x0A00_0000 (+0 the step reached, +4
// the mask of INTIDs taken, +8 the INTID of each acknowledge) and programs
// the GICv3 that KVM emulates as bare metal would: distributor, redistributor
// wake-up, ICC_PMR_EL1 and ICC_IGRPEN1_EL1 (which reach the virtual CPU
// interface), asking for SGIs without an active state (GICD_CTLR.nASSGIreq,
// which KVM grants on a GICv4.1 host by injecting them as vSGIs); then it takes SGI 5, the virtual timer (PPI 27) and SGI 3, and
// powers off through PSCI. X20 holds the mask of INTIDs taken.
	.section .rodata.guest, "a"
	.balign 4096
	.globl guest_start, guest_end
guest_start:
	movz	x9, #0x0a00, lsl #16
	mov	w1, #1
	str	w1, [x9]			// step 1: guest alive
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	movz	x10, #0x0800, lsl #16		// GICD
	mov	w1, #0x112			// ARE_NS | EnableGrp1NS | nASSGIreq: on a GICv4.1
	str	w1, [x10]			// host KVM then makes the SGIs vSGIs (else RES0)
	movz	x11, #0x080a, lsl #16		// GICR RD_base
	ldr	w1, [x11, #0x14]
	and	w1, w1, #~2			// WAKER.ProcessorSleep = 0
	str	w1, [x11, #0x14]
	add	x12, x11, #0x10000		// SGI_base
	mov	w1, #-1
	str	w1, [x12, #0x80]		// IGROUPR0: all Group 1
	movz	w1, #0x0800, lsl #16
	orr	w1, w1, #0x20			// SGI 5 and PPI 27 (vtimer)
	str	w1, [x12, #0x100]		// ISENABLER0
	mov	x1, #0xf0
	msr	S3_0_C4_C6_0, x1		// ICC_PMR_EL1
	mov	x1, #1
	msr	S3_0_C12_C12_7, x1		// ICC_IGRPEN1_EL1
	isb
	mov	x20, #0
	msr	daifclr, #2
	mov	w1, #2
	str	w1, [x9]			// step 2: GIC set up, IRQs unmasked
	movz	x1, #0x0500, lsl #16
	orr	x1, x1, #1
	msr	S3_0_C12_C11_5, x1		// ICC_SGI1R_EL1: SGI 5 to self (trapped to KVM)
	isb
	movz	x2, #0x1, lsl #16
1:	tbnz	x20, #5, 2f
	sub	x2, x2, #1
	cbnz	x2, 1b
2:	mov	w1, #3
	str	w1, [x9]			// step 3: after SGI
	str	w20, [x9, #4]
	mrs	x1, cntvct_el0
	add	x1, x1, #2000
	msr	cntv_cval_el0, x1
	mov	x1, #1
	msr	cntv_ctl_el0, x1		// vtimer on, unmasked
	isb
	mov	x2, #1000
3:	tbnz	x20, #27, 4f
	wfi
	sub	x2, x2, #1
	cbnz	x2, 3b
4:	mov	w1, #4
	str	w1, [x9]			// step 4: after vtimer
	str	w20, [x9, #4]
	// A second SGI: a list register used and freed before is used again.
	mov	w1, #-1
	str	w1, [x12, #0x100]		// enable all SGIs/PPIs
	mov	x1, #1
	orr	x1, x1, #(3 << 24)
	msr	S3_0_C12_C11_5, x1		// SGI 3 to self
	isb
	movz	x2, #0x1, lsl #16
5:	tbnz	x20, #3, 6f
	sub	x2, x2, #1
	cbnz	x2, 5b
6:	mov	w1, #5
	str	w1, [x9]			// step 5
	str	w20, [x9, #4]
	movz	w0, #0x8400, lsl #16
	orr	w0, w0, #8			// PSCI SYSTEM_OFF
	hvc	#0
	b	.

	.balign 2048
vectors:
	.rept 5
	b	.
	.balign 128
	.endr
	// 0x280: current EL, SPx, IRQ
	mrs	x0, S3_0_C12_C12_0		// ICC_IAR1_EL1
	str	w0, [x9, #8]
	cmp	x0, #27
	b.ne	1f
	msr	cntv_ctl_el0, xzr
1:	cmp	x0, #1020
	b.hs	2f
	mov	x3, #1
	lsl	x3, x3, x0
	orr	x20, x20, x3
	msr	S3_0_C12_C12_1, x0		// ICC_EOIR1_EL1
2:	eret
	.balign 128
	.rept 10
	b	.
	.balign 128
	.endr
guest_end:
