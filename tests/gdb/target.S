/* The gdb stub's test guest (scripts/gdb-tests.sh): every register and
 * memory value the test checks is set here, at a labelled place.
 *
 * PE 0 loads known values, powers on PE 1 (PSCI CPU_ON over HVC), counts
 * `counter` up to 100 in memory, waits for PE 1's flag and powers the
 * machine off. PE 1 stores 7 to `flag1` and powers itself off. */
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

    .ltorg
    .data
    .balign 8
    .global counter
counter:
    .quad   0
    .global flag1
flag1:
    .quad   0
