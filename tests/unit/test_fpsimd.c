/* The SIMD&FP state and its access controls: the CPACR_EL1/CPTR_EL2 traps
 * (Arm ARM AArch64.CheckFPAdvSIMDEnabled, AArch64.CheckFPAdvSIMDTrap,
 * AArch64.AdvSIMDFPAccessTrap), FPCR/FPSR as MRS/MSR see them, and the
 * SIMD&FP loads and stores (C6.2 LDR/STR/LDP/STP (SIMD&FP)).
 *
 * Instruction words were assembled by GNU as 2.40 (aarch64-linux-gnu-as)
 * and are listed with their disassembly; expected syndromes and register
 * values are derived by hand from the pseudocode named in each test. The
 * PE runs with the MMU off, so every data access is to Device memory and
 * must be aligned to its size. */
#include "tests/unit/pe_rig.h"

#include <check.h>
#include <stdlib.h>

#define VEC1   (RAM_BASE + 0x10000ull)
#define VEC2   (RAM_BASE + 0x20000ull)
#define DATA   (RAM_BASE + 0x40000ull)
#define B_SELF 0x14000000u /* b . */

#define LDR_Q0_X1      0x3dc00020u   /* ldr q0, [x1] */
#define LDR_S2_X1_4    0xbd400422u   /* ldr s2, [x1, #4] */
#define STR_Q3_X1_16   0x3d800423u   /* str q3, [x1, #16] */
#define LDP_Q4_Q5_POST 0xacc11424u   /* ldp q4, q5, [x1], #32 */
#define LDUR_Q6_X1_8   0x3cc08026u   /* ldur q6, [x1, #8] */
#define LDR_D7_X1_8    0xfd400427u   /* ldr d7, [x1, #8] */
#define LDR_H8_SXTW    0x7c62d828u   /* ldr h8, [x1, w2, sxtw #1] */
#define MRS_X0_FPCR    0xd53b4400u   /* mrs x0, fpcr */
#define MSR_FPCR_X0    0xd51b4400u   /* msr fpcr, x0 */
#define MRS_X0_FPSR    0xd53b4420u   /* mrs x0, fpsr */
#define MSR_FPSR_X0    0xd51b4420u   /* msr fpsr, x0 */
#define MSR_CPACR_X0   0xd5181040u   /* msr cpacr_el1, x0 */
#define LDR_Q11_LIT16  0x9c00008bu   /* ldr q11, .+16 */
#define LD1_V0_4S      0x4c407820u   /* ld1 {v0.4s}, [x1] */
#define ST1_V1_8H      0x4c007421u   /* st1 {v1.8h}, [x1] */
#define DEVICE         0x09000000ull /* an MMIO window outside RAM */

#define EC_UNKNOWN 0x00u
#define EC_FP      0x07u
#define EC_DABT    0x25u
/* ISS of EC 0x07 from AArch64: CV = 1, COND = 0b1110 (ConditionSyndrome). */
#define ISS_FP     0x1e00000u
#define CPACR_FPEN (3ull << 20)
#define CPTR_TFP   (1ull << 10)

/* A PE that can reach EL2 (EL == 2) or not, vectors that spin, CODE
 * holding WORDS then WFI. */
static void boot(unsigned el, const uint32_t *words, unsigned n)
{
    rig_new(el);
    rig_load(false, words, n);
    rig_vectors(1, VEC1, B_SELF);
    rig_vectors(2, VEC2, B_SELF);
    cpu_set_x(pe, 1, DATA);
}

/* Enter EL (SP_ELx) with HCR_EL2, CPACR_EL1 and CPTR_EL2 as given, as the
 * sysreg writers would leave them. */
static void controls(unsigned el, uint64_t hcr, uint64_t cpacr, uint64_t cptr)
{
    pe->hcr_el2 = hcr | HCR_RW;
    pe->cpacr_el1 = cpacr;
    pe->cptr_el2 = cptr;
    cpu_set_el_sp(pe, el, el > 0);
}

static void run(void)
{
    cpu_run(pe, cpu_cycles(pe) + 200);
}

/* The first instruction trapped to EL with syndrome EC:ISS. */
static void assert_trapped(unsigned el, unsigned ec, uint32_t iss)
{
    ck_assert_uint_eq(cpu_get_el(pe), el);
    ck_assert_uint_eq(pe->esr[el] >> 26, ec);
    ck_assert_uint_eq(pe->esr[el] & 0x1ffffff, iss);
    ck_assert_uint_eq(pe->elr[el], CODE);
}

static void assert_ran_to_wfi(unsigned n)
{
    ck_assert_int_eq(cpu_state(pe), CPU_WAIT_WFI);
    ck_assert_uint_eq(cpu_get_pc(pe), CODE + 4 * n + 4);
}

static const uint32_t ldr_q0[] = {LDR_Q0_X1};

/* ---- the access traps ---- */

START_TEST(test_cpacr_fpen_00_traps_el1_with_ec_07)
{
    boot(1, ldr_q0, 1);
    controls(1, 0, 0, 0);
    uint64_t before[2] = {0x1111, 0x2222};
    cpu_set_v(pe, 0, before);
    run();
    assert_trapped(1, EC_FP, ISS_FP);
    uint64_t v[2];
    cpu_get_v(pe, 0, v);
    ck_assert_uint_eq(v[0], 0x1111); /* the load did not happen */
    ck_assert_uint_eq(v[1], 0x2222);
}
END_TEST

START_TEST(test_cpacr_fpen_01_traps_el0_only)
{
    boot(1, ldr_q0, 1);
    controls(0, 0, 1ull << 20, 0);
    run();
    assert_trapped(1, EC_FP, ISS_FP);
    rig_teardown();
    boot(1, ldr_q0, 1);
    controls(1, 0, 1ull << 20, 0);
    run();
    assert_ran_to_wfi(1);
}
END_TEST

START_TEST(test_cpacr_trap_routed_by_tge_is_unknown_reason_at_el2)
{
    /* AArch64.AdvSIMDFPAccessTrap(EL1) with HCR_EL2.TGE = 1: EC 0x00. */
    boot(2, ldr_q0, 1);
    controls(0, HCR_TGE, 0, 0);
    run();
    assert_trapped(2, EC_UNKNOWN, 0);
}
END_TEST

START_TEST(test_cptr_tfp_traps_el1_to_el2)
{
    boot(2, ldr_q0, 1);
    controls(1, 0, CPACR_FPEN, CPTR_TFP);
    run();
    assert_trapped(2, EC_FP, ISS_FP);
}
END_TEST

START_TEST(test_cpacr_trap_has_priority_over_cptr)
{
    boot(2, ldr_q0, 1);
    controls(1, 0, 0, CPTR_TFP);
    run();
    assert_trapped(1, EC_FP, ISS_FP);
}
END_TEST

START_TEST(test_cptr_tfp_traps_el2_itself)
{
    boot(2, ldr_q0, 1);
    controls(2, 0, 0, CPTR_TFP);
    run();
    assert_trapped(2, EC_FP, ISS_FP);
}
END_TEST

START_TEST(test_vhe_host_ignores_cpacr_and_uses_cptr_fpen)
{
    /* HCR_EL2.{E2H, TGE} = {1, 1}: CPACR_EL1 does not apply at EL0, and
     * CPTR_EL2.FPEN = 0b01 traps EL0 only. */
    boot(2, ldr_q0, 1);
    controls(0, HCR_E2H | HCR_TGE, 0, 1ull << 20);
    run();
    assert_trapped(2, EC_FP, ISS_FP);
    rig_teardown();
    boot(2, ldr_q0, 1);
    controls(2, HCR_E2H | HCR_TGE, 0, 1ull << 20);
    run();
    assert_ran_to_wfi(1);
    rig_teardown();
    boot(2, ldr_q0, 1);
    controls(0, HCR_E2H | HCR_TGE, 0, CPACR_FPEN);
    run();
    assert_ran_to_wfi(1);
}
END_TEST

START_TEST(test_vhe_guest_fpen_01_does_not_trap_el0)
{
    /* E2H = 1, TGE = 0: CPTR_EL2.FPEN = 0b01 traps nothing. */
    boot(2, ldr_q0, 1);
    controls(0, HCR_E2H, CPACR_FPEN, 1ull << 20);
    run();
    assert_ran_to_wfi(1);
}
END_TEST

START_TEST(test_msr_cpacr_enables_the_next_instruction)
{
    /* x0 = FPEN 0b11, msr cpacr_el1, x0, ldr q0, [x1]: the trap state
     * follows the write with no further synchronisation. */
    const uint32_t code[] = {MSR_CPACR_X0, LDR_Q0_X1};
    boot(1, code, 2);
    controls(1, 0, 0, 0);
    cpu_set_x(pe, 0, CPACR_FPEN);
    run();
    assert_ran_to_wfi(2);
}
END_TEST

START_TEST(test_mrs_fpcr_traps_with_ec_07_not_ec_18)
{
    const uint32_t code[] = {MRS_X0_FPCR};
    boot(1, code, 1);
    controls(0, 0, 0, 0);
    run();
    assert_trapped(1, EC_FP, ISS_FP);
}
END_TEST

/* ---- FPCR and FPSR ---- */

START_TEST(test_fpcr_keeps_ahp_dn_fz_rmode_only)
{
    /* No trapped exceptions (IDE..IOE RAZ/WI), no AArch32 (Len, Stride
     * RES0), no FEAT_FP16 (FZ16 RES0). */
    const uint32_t code[] = {MSR_FPCR_X0, MRS_X0_FPCR};
    boot(1, code, 2);
    controls(1, 0, CPACR_FPEN, 0);
    cpu_set_x(pe, 0, ~0ull);
    run();
    assert_ran_to_wfi(2);
    ck_assert_uint_eq(cpu_get_x(pe, 0), 0x07c00000);
}
END_TEST

START_TEST(test_fpsr_keeps_qc_and_cumulative_flags_only)
{
    const uint32_t code[] = {MSR_FPSR_X0, MRS_X0_FPSR};
    boot(1, code, 2);
    controls(0, 0, CPACR_FPEN, 0);
    cpu_set_x(pe, 0, ~0ull);
    run();
    assert_ran_to_wfi(2);
    ck_assert_uint_eq(cpu_get_x(pe, 0), 0x0800009f);
}
END_TEST

/* ---- loads and stores ---- */

static void enabled(const uint32_t *code, unsigned n)
{
    boot(1, code, n);
    controls(1, 0, CPACR_FPEN, 0);
    for (unsigned i = 0; i < 8; i++)
        poke64(DATA + 8 * i, 0x0101010101010101ull * (i + 1));
    for (unsigned r = 0; r < 32; r++)
        cpu_set_v(pe, r, (const uint64_t[2]){~0ull, ~0ull});
}

START_TEST(test_ldr_q_loads_sixteen_bytes)
{
    enabled(ldr_q0, 1);
    run();
    assert_ran_to_wfi(1);
    assert_v(0, 0x0101010101010101ull, 0x0202020202020202ull);
}
END_TEST

START_TEST(test_ldr_s_clears_bits_above_32)
{
    const uint32_t code[] = {LDR_S2_X1_4};
    enabled(code, 1);
    run();
    assert_ran_to_wfi(1);
    assert_v(2, 0x01010101ull, 0);
}
END_TEST

START_TEST(test_str_q_stores_sixteen_bytes)
{
    const uint32_t code[] = {STR_Q3_X1_16};
    enabled(code, 1);
    cpu_set_v(pe, 3, (const uint64_t[2]){0x1122334455667788ull, 0x99aabbccddeeff00ull});
    run();
    assert_ran_to_wfi(1);
    ck_assert_uint_eq(peek64(DATA + 16), 0x1122334455667788ull);
    ck_assert_uint_eq(peek64(DATA + 24), 0x99aabbccddeeff00ull);
    ck_assert_uint_eq(peek64(DATA + 32), 0x0505050505050505ull);
}
END_TEST

START_TEST(test_ldp_q_post_index_loads_both_and_writes_back)
{
    const uint32_t code[] = {LDP_Q4_Q5_POST};
    enabled(code, 1);
    run();
    assert_ran_to_wfi(1);
    assert_v(4, 0x0101010101010101ull, 0x0202020202020202ull);
    assert_v(5, 0x0303030303030303ull, 0x0404040404040404ull);
    ck_assert_uint_eq(cpu_get_x(pe, 1), DATA + 32);
}
END_TEST

START_TEST(test_ldr_q_unaligned_to_16_on_device_memory_faults)
{
    /* MMU off: Device-nGnRnE; an access of 16 bytes must be aligned to 16
     * even though each 8-byte half would be aligned. Data abort, DFSC
     * 0x21 (alignment), FAR the address, V6 unchanged. */
    const uint32_t code[] = {LDUR_Q6_X1_8};
    enabled(code, 1);
    run();
    assert_trapped(1, EC_DABT, 0x21);
    ck_assert_uint_eq(pe->far[1], DATA + 8);
    assert_v(6, ~0ull, ~0ull);
}
END_TEST

START_TEST(test_ldr_d_at_eight_bytes_is_aligned)
{
    const uint32_t code[] = {LDR_D7_X1_8};
    enabled(code, 1);
    run();
    assert_ran_to_wfi(1);
    assert_v(7, 0x0202020202020202ull, 0);
}
END_TEST

START_TEST(test_ldr_h_register_offset_sxtw_scaled)
{
    /* x2 = 0x0000_0000_ffff_fffe: SXTW gives -2, scaled by 2: DATA + 12 - 4
     * with x1 = DATA + 12. */
    const uint32_t code[] = {LDR_H8_SXTW};
    enabled(code, 1);
    cpu_set_x(pe, 1, DATA + 12);
    cpu_set_x(pe, 2, 0xfffffffeull);
    run();
    assert_ran_to_wfi(1);
    assert_v(8, 0x0202, 0);
}
END_TEST

START_TEST(test_ldr_q_literal_reads_pc_relative)
{
    /* The pool is 16-byte aligned: a literal load is a data access, to
     * Device memory here. */
    const uint32_t code[] = {LDR_Q11_LIT16, INSN_WFI,    INSN_WFI,    INSN_WFI,
                             0x11111111u,   0x22222222u, 0x33333333u, 0x44444444u};
    enabled(code, 8);
    run();
    ck_assert_int_eq(cpu_state(pe), CPU_WAIT_WFI);
    assert_v(11, 0x2222222211111111ull, 0x4444444433333333ull);
}
END_TEST

/* A device that records the size of every access and reads back its
 * offset. */
static unsigned dev_sizes[32], dev_count;

static bool dev_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    (void)opaque;
    if (dev_count < 32)
        dev_sizes[dev_count++] = size;
    *value = offset;
    return true;
}

static bool dev_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    (void)opaque;
    (void)offset;
    (void)value;
    if (dev_count < 32)
        dev_sizes[dev_count++] = size;
    return true;
}

static const struct mmio_ops dev_ops = {dev_read, dev_write};

START_TEST(test_ld1_from_a_device_makes_element_sized_accesses)
{
    /* C7.2 LD1 (multiple structures): one Mem[] access per element. An
     * 8-aligned address must not turn four 32-bit reads into two 64-bit
     * ones when a device is there to see them. */
    enabled((const uint32_t[]){LD1_V0_4S}, 1);
    bus_map_mmio(bus, "dev", DEVICE, 0x1000, &dev_ops, NULL);
    cpu_set_x(pe, 1, DEVICE + 0x10);
    dev_count = 0;
    run();
    assert_ran_to_wfi(1);
    ck_assert_uint_eq(dev_count, 4);
    for (unsigned i = 0; i < 4; i++)
        ck_assert_uint_eq(dev_sizes[i], 4);
    assert_v(0, 0x0000001400000010ull, 0x0000001c00000018ull);
}
END_TEST

START_TEST(test_st1_to_a_device_makes_element_sized_accesses)
{
    enabled((const uint32_t[]){ST1_V1_8H}, 1);
    bus_map_mmio(bus, "dev", DEVICE, 0x1000, &dev_ops, NULL);
    cpu_set_x(pe, 1, DEVICE);
    dev_count = 0;
    run();
    assert_ran_to_wfi(1);
    ck_assert_uint_eq(dev_count, 8);
    for (unsigned i = 0; i < 8; i++)
        ck_assert_uint_eq(dev_sizes[i], 2);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("fpsimd");
    TCase *t = tcase_create("traps");
    tcase_add_checked_fixture(t, NULL, rig_teardown);
    tcase_add_test(t, test_cpacr_fpen_00_traps_el1_with_ec_07);
    tcase_add_test(t, test_cpacr_fpen_01_traps_el0_only);
    tcase_add_test(t, test_cpacr_trap_routed_by_tge_is_unknown_reason_at_el2);
    tcase_add_test(t, test_cptr_tfp_traps_el1_to_el2);
    tcase_add_test(t, test_cpacr_trap_has_priority_over_cptr);
    tcase_add_test(t, test_cptr_tfp_traps_el2_itself);
    tcase_add_test(t, test_vhe_host_ignores_cpacr_and_uses_cptr_fpen);
    tcase_add_test(t, test_vhe_guest_fpen_01_does_not_trap_el0);
    tcase_add_test(t, test_msr_cpacr_enables_the_next_instruction);
    tcase_add_test(t, test_mrs_fpcr_traps_with_ec_07_not_ec_18);
    suite_add_tcase(s, t);
    TCase *r = tcase_create("registers");
    tcase_add_checked_fixture(r, NULL, rig_teardown);
    tcase_add_test(r, test_fpcr_keeps_ahp_dn_fz_rmode_only);
    tcase_add_test(r, test_fpsr_keeps_qc_and_cumulative_flags_only);
    suite_add_tcase(s, r);
    TCase *l = tcase_create("loads and stores");
    tcase_add_checked_fixture(l, NULL, rig_teardown);
    tcase_add_test(l, test_ldr_q_loads_sixteen_bytes);
    tcase_add_test(l, test_ldr_s_clears_bits_above_32);
    tcase_add_test(l, test_str_q_stores_sixteen_bytes);
    tcase_add_test(l, test_ldp_q_post_index_loads_both_and_writes_back);
    tcase_add_test(l, test_ldr_q_unaligned_to_16_on_device_memory_faults);
    tcase_add_test(l, test_ldr_d_at_eight_bytes_is_aligned);
    tcase_add_test(l, test_ldr_h_register_offset_sxtw_scaled);
    tcase_add_test(l, test_ldr_q_literal_reads_pc_relative);
    tcase_add_test(l, test_ld1_from_a_device_makes_element_sized_accesses);
    tcase_add_test(l, test_st1_to_a_device_makes_element_sized_accesses);
    suite_add_tcase(s, l);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
