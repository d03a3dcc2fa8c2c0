/* The gdb stub's test guest (scripts/gdb-tests.sh): every register and
 * memory value the test checks is set here, at a labelled place.
 *
 * PE 0 loads known values, powers on PE 1 (PSCI CPU_ON over HVC), counts
 * `counter` up to 100 in memory, waits for PE 1's flag, stores and loads
 * `pairbuf` with a pair, a post-index and a pre-index access (for the
 * watchpoints' address decoding) and powers the machine off. PE 1 stores
 * 7 to `flag1` and powers itself off. */
    .text
    .global _start
_start:
    mrs     x0, mpidr_el1
    and     x0, x0, #0xff
    cbnz    x0, secondary
    mov     x4, #(3 << 20)          /* CPACR_EL1.FPEN: FP/SIMD at EL1 */
    msr     cpacr_el1, x4
    isb
    ldr     x1, =0x1122334455667788
    mov     x2, #42
    adr     x3, counter
    fmov    d0, #1.5
    .global stage1
stage1:
    nop
    .global stage2
stage2:
    ldr     x0, =0xc4000003         /* PSCI CPU_ON: PE 1 at secondary */
    mov     x1, #1
    adr     x2, secondary
    mov     x3, #0
    hvc     #0
    adr     x3, counter
    .global count_loop
count_loop:
    ldr     x5, [x3]
    add     x5, x5, #1
    .global count_store
count_store:
    str     x5, [x3]
    cmp     x5, #100
    b.ne    count_loop
    adr     x6, flag1
1:  ldr     x7, [x6]
    cbz     x7, 1b
    bl      pairs
    .global done
done:
    ldr     x0, =0x84000008         /* PSCI SYSTEM_OFF */
    hvc     #0
    b       .

    .global secondary
secondary:
    mov     x9, #7
    adr     x6, flag1
    .global secondary_store
secondary_store:
    str     x9, [x6]
    ldr     x0, =0x84000002         /* PSCI CPU_OFF */
    hvc     #0
    b       .

    /* pairbuf[2..3] = {11, 22}; pairbuf[0] = 22, x10 += 8; then
     * x10 -= 8 and {x11, x12} = pairbuf[0..1] = {22, 0}. */
    .global pairs
pairs:
    adr     x10, pairbuf
    mov     x1, #11
    mov     x2, #22
    .global pair_store
pair_store:
    stp     x1, x2, [x10, #16]
    .global post_store
post_store:
    str     x2, [x10], #8
    .global pre_load
pre_load:
    ldp     x11, x12, [x10, #-8]!
    ret

    .ltorg
    .data
    .balign 8
    .global counter
counter:
    .quad   0
    .global flag1
flag1:
    .quad   0
    .global pairbuf
pairbuf:
    .quad   0, 0, 0, 0
