/*
 * Exception vector tables for EL1 and EL2 and the C-callable dispatcher
 * behind them (interface and frame layout: vectors.h).
 *
 * Each table is 2 KiB aligned (VBAR_ELx bits [10:0] are RES0) and holds 16
 * entries of 128 bytes: four exception types (synchronous, IRQ, FIQ,
 * SError) for each of four origins (current EL with SP_EL0, current EL with
 * SP_ELx, lower EL in AArch64, lower EL in AArch32). An entry makes room for
 * the frame on the stack the exception selected (always SP_ELx: entry sets
 * PSTATE.SP), saves X0/X1, and branches to the common code of its EL with
 * the vector's offset in X0.
 *
 * A handler that faults in turn would recurse until the stack ran out; past
 * a small nesting depth per EL the guest reports it and exits instead.
 */
#define FRAME_ELR    248
#define FRAME_ESR    264
#define FRAME_VECTOR 280
#define FRAME_SIZE   304 /* 38 doublewords: a multiple of 16 keeps SP aligned */
#define MAX_DEPTH    4
#define EXIT_UNHANDLED 97
#define EXIT_RUNAWAY   98

	.macro	ventry offset, el
	.balign	128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\offset
	b	exc_common_el\el
	.endm

	.macro	vtable el
	.section .text.vectors_el\el, "ax"
	.balign	2048
	.global	exc_vectors_el\el
exc_vectors_el\el:
	ventry	0x000, \el
	ventry	0x080, \el
	ventry	0x100, \el
	ventry	0x180, \el
	ventry	0x200, \el
	ventry	0x280, \el
	ventry	0x300, \el
	ventry	0x380, \el
	ventry	0x400, \el
	ventry	0x480, \el
	ventry	0x500, \el
	ventry	0x580, \el
	ventry	0x600, \el
	ventry	0x680, \el
	ventry	0x700, \el
	ventry	0x780, \el

exc_common_el\el:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mrs	x2, elr_el\el
	mrs	x3, spsr_el\el
	stp	x2, x3, [sp, #FRAME_ELR]
	mrs	x2, esr_el\el
	mrs	x3, far_el\el
	stp	x2, x3, [sp, #FRAME_ESR]
	mov	x1, #\el
	stp	x0, x1, [sp, #FRAME_VECTOR]

	adrp	x2, exc_depth
	add	x2, x2, :lo12:exc_depth
	ldr	x3, [x2, #(\el * 8)]
	add	x3, x3, #1
	str	x3, [x2, #(\el * 8)]
	cmp	x3, #MAX_DEPTH
	b.hi	exc_runaway

	adrp	x2, exc_handlers
	add	x2, x2, :lo12:exc_handlers
	ldr	x2, [x2, #(\el * 8)]
	cbz	x2, exc_unhandled
	mov	x0, sp
	blr	x2

	adrp	x2, exc_depth
	add	x2, x2, :lo12:exc_depth
	ldr	x3, [x2, #(\el * 8)]
	sub	x3, x3, #1
	str	x3, [x2, #(\el * 8)]
	ldp	x2, x3, [sp, #FRAME_ELR]
	msr	elr_el\el, x2
	msr	spsr_el\el, x3
	b	exc_restore
	.endm

	vtable	1
	vtable	2

	.text
	.balign	4
exc_restore:
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret

exc_unhandled:
	adrp	x0, msg_unhandled
	add	x0, x0, :lo12:msg_unhandled
	bl	uart_puts
	mov	w0, #EXIT_UNHANDLED
	bl	guest_exit

exc_runaway:
	adrp	x0, msg_runaway
	add	x0, x0, :lo12:msg_runaway
	bl	uart_puts
	mov	w0, #EXIT_RUNAWAY
	bl	guest_exit

/* void vectors_install_el1(exc_handler_fn handler) */
	.global	vectors_install_el1
	.type	vectors_install_el1, %function
vectors_install_el1:
	adrp	x1, exc_handlers
	add	x1, x1, :lo12:exc_handlers
	str	x0, [x1, #8]
	adrp	x0, exc_vectors_el1
	add	x0, x0, :lo12:exc_vectors_el1
	msr	vbar_el1, x0
	isb
	ret
	.size	vectors_install_el1, . - vectors_install_el1

/* void vectors_install_el2(exc_handler_fn handler) */
	.global	vectors_install_el2
	.type	vectors_install_el2, %function
vectors_install_el2:
	adrp	x1, exc_handlers
	add	x1, x1, :lo12:exc_handlers
	str	x0, [x1, #16]
	adrp	x0, exc_vectors_el2
	add	x0, x0, :lo12:exc_vectors_el2
	msr	vbar_el2, x0
	isb
	ret
	.size	vectors_install_el2, . - vectors_install_el2

/*
 * uint64_t lower_call(void (*fn)(uint64_t), uint64_t arg, uint64_t spsr)
 *
 * Keeps the callee-saved registers on this EL's stack and records the
 * PSTATE to come back with (this EL, SP_ELx, today's DAIF). The handler
 * that calls lower_return() runs on the same SP_ELx, below this frame, so
 * when it returns to lower_resume SP is exactly what it was at the ERET.
 */
	.global	lower_call
	.type	lower_call, %function
lower_call:
	stp	x29, x30, [sp, #-96]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mrs	x9, CurrentEL
	mrs	x10, daif
	orr	x10, x10, x9
	orr	x10, x10, #1
	lsr	x9, x9, #2
	adrp	x11, lower_saved
	add	x11, x11, :lo12:lower_saved
	str	x10, [x11, x9, lsl #3]
	cmp	x9, #2
	b.eq	1f
	msr	elr_el1, x0
	msr	spsr_el1, x2
	b	2f
1:	msr	elr_el2, x0
	msr	spsr_el2, x2
2:	mov	x0, x1
	mov	x30, xzr
	eret
lower_resume:
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
	.size	lower_call, . - lower_call

/* void lower_return(struct exc_frame *frame, uint64_t value) */
	.global	lower_return
	.type	lower_return, %function
lower_return:
	mrs	x9, CurrentEL
	lsr	x9, x9, #2
	adrp	x11, lower_saved
	add	x11, x11, :lo12:lower_saved
	ldr	x10, [x11, x9, lsl #3]
	adr	x12, lower_resume
	stp	x12, x10, [x0, #FRAME_ELR]
	str	x1, [x0, #0]
	ret
	.size	lower_return, . - lower_return

	.section .rodata
msg_unhandled:
	.asciz	"vectors: exception with no handler installed\n"
msg_runaway:
	.asciz	"vectors: exceptions nested too deep (a handler faults?)\n"

	.bss
	.balign	8
exc_handlers:	/* indexed by EL */
	.skip	32
exc_depth:
	.skip	32
lower_saved:	/* PSTATE to resume lower_call with, by EL */
	.skip	32
