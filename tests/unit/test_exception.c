/* Asynchronous exception routing and masking (Arm ARM D1.3, "Asynchronous
 * exception routing"; the routing tables for HCR_EL2.{IMO, FMO, AMO, TGE}),
 * driven through the PE's interrupt inputs as the GIC will drive them.
 * Every vector slot holds a branch to itself, so after a run the PE spins
 * at the vector it took (a WFI would not stop it: the asserted line is a
 * pending wake-up event). The expected vectors come from the tables by hand. */
#include "cpu/cost.h"
#include "cpu/cpu.h"
#include "cpu/cpu_internal.h"
#include "sim/bus.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (1ull << 20)
#define CODE     RAM_BASE
#define VEC1     (RAM_BASE + 0x10000ull)
#define VEC2     (RAM_BASE + 0x20000ull)
#define WFI      0xd503207fu
#define B_SELF   0x14000000u /* b . */
#define NOP      0xd503201fu

/* Vector offsets: group (current EL with SP_ELx 0x200, lower EL 0x400)
 * plus type (IRQ 0x80, FIQ 0x100, SError 0x180). */
#define CUR_IRQ    0x280
#define CUR_FIQ    0x300
#define CUR_SERROR 0x380
#define LOW_IRQ    0x480
#define LOW_FIQ    0x500

static struct bus *bus;
static struct code_cache *cc;
static struct cpu *pe;

static void boot(unsigned el)
{
    bus = bus_new(RAM_BASE, RAM_SIZE);
    cc = code_cache_new(bus, &cost_default);
    pe = cpu_new(&(struct cpu_config){
        .index = 0, .mpidr = 1ull << 31, .el = el, .bus = bus, .code = cc, .cost = &cost_default});
    ck_assert_ptr_nonnull(pe);
    uint32_t *ram = (uint32_t *)bus_ram_host(bus);
    for (unsigned i = 0; i < 0x800 / 4; i++) {
        ram[(VEC1 - RAM_BASE) / 4 + i] = B_SELF;
        ram[(VEC2 - RAM_BASE) / 4 + i] = B_SELF;
    }
    for (unsigned i = 0; i < 16; i++)
        ram[i] = NOP; /* the interrupted program */
    cpu_reset(pe, CODE, 0);
    pe->vbar[1] = VEC1;
    pe->vbar[2] = VEC2;
}

static void teardown(void)
{
    cpu_free(pe);
    code_cache_free(cc);
    bus_free(bus);
}

/* Put the PE at EL with PSTATE.DAIF = DAIF and HCR_EL2 = HCR. */
static void state(unsigned el, uint32_t daif, uint64_t hcr)
{
    cpu_set_el_sp(pe, el, el > 0);
    pe->daif = daif;
    pe->hcr_el2 = hcr | HCR_RW;
    cpu_update_async(pe);
}

static void run(void)
{
    cpu_run(pe, cpu_cycles(pe) + 200);
}

static void assert_taken(unsigned el, uint64_t vector_offset)
{
    uint64_t vbar = el == 2 ? VEC2 : VEC1;
    ck_assert_int_eq(cpu_state(pe), CPU_RUNNING);
    ck_assert_uint_eq(cpu_get_el(pe), el);
    ck_assert_uint_eq(cpu_get_pc(pe), vbar + vector_offset);
    ck_assert_uint_eq(pe->elr[el], CODE); /* the first instruction, not executed */
}

START_TEST(test_irq_unmasked_at_el1_is_taken_at_el1_current_vector)
{
    boot(1);
    state(1, PSR_DAIF & ~PSR_I, 0);
    cpu_set_irq_line(pe, CPU_LINE_IRQ, true, 0);
    run();
    assert_taken(1, CUR_IRQ);
    /* SPSR_EL1: EL1h with D, A, F set and I clear, as PSTATE was. */
    ck_assert_uint_eq(pe->spsr[1], (PSR_DAIF & ~PSR_I) | 0x5);
    ck_assert_uint_eq(pe->daif, PSR_DAIF); /* entry masks everything */
}
END_TEST

START_TEST(test_irq_masked_by_pstate_i_is_not_taken)
{
    boot(1);
    state(1, PSR_DAIF, 0);
    cpu_set_irq_line(pe, CPU_LINE_IRQ, true, 0);
    cpu_run(pe, cpu_cycles(pe) + 8);
    ck_assert_uint_eq(cpu_get_el(pe), 1);
    ck_assert_uint_eq(cpu_get_pc(pe), CODE + 32); /* 8 NOPs at one cycle each */
}
END_TEST

START_TEST(test_masked_irq_wakes_wfi_without_being_taken)
{
    /* Arm ARM D1.16.2: WFI wakes on an IRQ whatever PSTATE.I says. */
    boot(1);
    uint32_t *ram = (uint32_t *)bus_ram_host(bus);
    ram[0] = WFI;
    state(1, PSR_DAIF, 0);
    run();
    ck_assert_int_eq(cpu_state(pe), CPU_WAIT_WFI);
    cpu_set_irq_line(pe, CPU_LINE_IRQ, true, 100);
    ck_assert_int_eq(cpu_state(pe), CPU_RUNNING);
    cpu_run(pe, cpu_cycles(pe) + 3);
    ck_assert_uint_eq(cpu_get_pc(pe), CODE + 16); /* ran on, no vector */
}
END_TEST

START_TEST(test_imo_routes_irq_from_el1_to_el2_whatever_pstate_i)
{
    boot(2);
    state(1, PSR_DAIF, HCR_IMO);
    cpu_set_irq_line(pe, CPU_LINE_IRQ, true, 0);
    run();
    assert_taken(2, LOW_IRQ);
}
END_TEST

START_TEST(test_irq_routed_to_el1_is_never_taken_at_el2)
{
    boot(2);
    state(2, 0, 0);
    cpu_set_irq_line(pe, CPU_LINE_IRQ, true, 0);
    cpu_run(pe, cpu_cycles(pe) + 8);
    ck_assert_uint_eq(cpu_get_el(pe), 2);
    ck_assert_uint_eq(cpu_get_pc(pe), CODE + 32);
}
END_TEST

START_TEST(test_irq_routed_to_el2_at_el2_waits_for_pstate_i)
{
    boot(2);
    state(2, PSR_DAIF, HCR_IMO);
    cpu_set_irq_line(pe, CPU_LINE_IRQ, true, 0);
    cpu_run(pe, cpu_cycles(pe) + 1);
    ck_assert_uint_eq(cpu_get_pc(pe), CODE + 4);
    pe->daif = PSR_DAIF & ~PSR_I;
    pe->pc = CODE;
    cpu_update_async(pe);
    run();
    assert_taken(2, CUR_IRQ);
}
END_TEST

START_TEST(test_tge_routes_el0_irq_to_el2)
{
    boot(2);
    state(0, PSR_DAIF, HCR_TGE);
    cpu_set_irq_line(pe, CPU_LINE_IRQ, true, 0);
    run();
    assert_taken(2, LOW_IRQ);
}
END_TEST

START_TEST(test_fmo_routes_fiq_to_el2_and_pstate_f_masks_it_at_el1)
{
    boot(2);
    state(1, PSR_DAIF & ~PSR_I, 0); /* I clear, F set: FIQ to EL1 stays masked */
    cpu_set_irq_line(pe, CPU_LINE_FIQ, true, 0);
    cpu_run(pe, cpu_cycles(pe) + 8);
    ck_assert_uint_eq(cpu_get_el(pe), 1);
    pe->hcr_el2 |= HCR_FMO;
    pe->pc = CODE;
    cpu_update_async(pe);
    run();
    assert_taken(2, LOW_FIQ);
}
END_TEST

START_TEST(test_serror_masked_by_pstate_a_then_taken_with_its_syndrome)
{
    boot(1);
    state(1, PSR_DAIF & ~(PSR_I | PSR_F), 0);
    cpu_set_irq_line(pe, CPU_LINE_SERROR, true, 0);
    cpu_run(pe, cpu_cycles(pe) + 8);
    ck_assert_uint_eq(cpu_get_pc(pe), CODE + 32);
    pe->daif &= ~PSR_A;
    pe->pc = CODE;
    cpu_update_async(pe);
    run();
    assert_taken(1, CUR_SERROR);
    ck_assert_uint_eq(pe->esr[1] >> 26, 0x2f); /* EC SError */
}
END_TEST

START_TEST(test_fiq_is_taken_before_a_simultaneous_irq)
{
    boot(1);
    state(1, PSR_D | PSR_A, 0);
    cpu_set_irq_line(pe, CPU_LINE_IRQ, true, 0);
    cpu_set_irq_line(pe, CPU_LINE_FIQ, true, 0);
    run();
    assert_taken(1, CUR_FIQ);
}
END_TEST

START_TEST(test_virtual_irq_needs_imo_and_a_lower_el)
{
    boot(2);
    state(1, PSR_DAIF & ~PSR_I, 0);
    cpu_set_irq_line(pe, CPU_LINE_VIRQ, true, 0);
    cpu_run(pe, cpu_cycles(pe) + 8);
    ck_assert_uint_eq(cpu_get_el(pe), 1); /* IMO clear: the virtual line is ignored */
    ck_assert_uint_eq(cpu_get_pc(pe), CODE + 32);
    pe->hcr_el2 |= HCR_IMO;
    pe->pc = CODE;
    cpu_update_async(pe);
    run();
    assert_taken(1, CUR_IRQ);
}
END_TEST

START_TEST(test_psci_standby_waits_and_an_interrupt_wakes_it)
{
    /* PSCI CPU_SUSPEND is entered as standby: the PE waits as in WFI after
     * the call, and any asserted interrupt (here a masked one) ends it. */
    boot(1);
    state(1, PSR_DAIF, 0);
    cpu_enter_standby(pe);
    ck_assert_int_eq(cpu_state(pe), CPU_WAIT_WFI);
    cpu_set_irq_line(pe, CPU_LINE_IRQ, true, 500);
    ck_assert_int_eq(cpu_state(pe), CPU_RUNNING);
    ck_assert_uint_ge(cpu_cycles(pe), 500); /* time passed while it waited */
    cpu_enter_standby(pe);                  /* with the line still asserted: no wait at all */
    ck_assert_int_eq(cpu_state(pe), CPU_RUNNING);
}
END_TEST

START_TEST(test_deasserted_line_is_not_taken)
{
    boot(1);
    state(1, PSR_DAIF, 0);
    cpu_set_irq_line(pe, CPU_LINE_IRQ, true, 0);
    cpu_set_irq_line(pe, CPU_LINE_IRQ, false, 0);
    pe->daif = 0;
    cpu_update_async(pe);
    cpu_run(pe, cpu_cycles(pe) + 8);
    ck_assert_uint_eq(cpu_get_pc(pe), CODE + 32);
    ck_assert_uint_eq(cpu_get_el(pe), 1);
}
END_TEST

#define LDR_X0_SP       0xf94003e0u /* ldr x0, [sp] */
#define EC_SP_ALIGNMENT 0x26u

/* Run LDR X0, [SP] once with SP 8-byte (not 16-byte) aligned; true when it
 * loaded, false when it took an SP alignment fault. */
static bool misaligned_sp_load(unsigned el)
{
    uint32_t *ram = (uint32_t *)bus_ram_host(bus);
    ram[0] = LDR_X0_SP;
    ram[0x1008 / 4] = 0x1234;
    state(el, PSR_DAIF, 0);
    pe->x[REG_SP] = RAM_BASE + 0x1008;
    cpu_run(pe, cpu_cycles(pe) + 1);
    if (cpu_get_pc(pe) == CODE + 4) {
        ck_assert_uint_eq(pe->x[0], 0x1234);
        return true;
    }
    ck_assert_uint_eq(pe->esr[1] >> 26, EC_SP_ALIGNMENT);
    return false;
}

/* Arm ARM D1.8.2: SP alignment checking is enabled by SCTLR_EL1.SA for
 * accesses at EL1 and by SCTLR_EL1.SA0 at EL0, each on its own. */
START_TEST(test_sp_alignment_check_follows_sctlr_sa_at_el1)
{
    boot(1);
    ck_assert(!misaligned_sp_load(1)); /* SA is set at reset */
    cpu_reset(pe, CODE, 0);
    pe->vbar[1] = VEC1;
    pe->sctlr[1] &= ~SCTLR_SA;
    ck_assert(misaligned_sp_load(1));
}
END_TEST

START_TEST(test_sp_alignment_check_follows_sctlr_sa0_at_el0)
{
    boot(1);
    ck_assert(!misaligned_sp_load(0)); /* SA0 is set at reset */
    cpu_reset(pe, CODE, 0);
    pe->vbar[1] = VEC1;
    pe->sctlr[1] &= ~SCTLR_SA0;
    ck_assert(misaligned_sp_load(0));
    cpu_reset(pe, CODE, 0);
    pe->vbar[1] = VEC1;
    pe->sctlr[1] &= ~SCTLR_SA; /* EL1's control does not apply at EL0 */
    ck_assert(!misaligned_sp_load(0));
}
END_TEST

#define STR_X1_X0_POST8   0xf8008401u /* str x1, [x0], #8 */
#define STP_X1_X2_X0_POST 0xa8810801u /* stp x1, x2, [x0], #16 */

/* A store that overwrites its own instruction still completes as decoded:
 * the writeback happens (Arm ARM B2.2.5: the new word is only fetched by
 * later instructions). */
START_TEST(test_store_overwriting_itself_still_writes_back)
{
    static const uint32_t words[] = {STR_X1_X0_POST8, STP_X1_X2_X0_POST};
    static const uint64_t step[] = {8, 16};
    for (unsigned k = 0; k < 2; k++) {
        boot(1);
        uint32_t *ram = (uint32_t *)bus_ram_host(bus);
        ram[0] = words[k];
        state(1, PSR_DAIF, 0);
        pe->x[0] = CODE;
        pe->x[1] = ((uint64_t)NOP << 32) | NOP;
        pe->x[2] = ((uint64_t)NOP << 32) | NOP;
        cpu_run(pe, cpu_cycles(pe) + 1);
        ck_assert_uint_eq(cpu_get_pc(pe), CODE + 4);
        ck_assert_uint_eq(pe->x[0], CODE + step[k]);
        ck_assert_uint_eq(ram[0], NOP);
        if (k == 0)
            teardown(); /* the fixture tears down the last one */
    }
}
END_TEST

/* The condition tests (cond_holds, cond_holds_const) are checked against
 * ConditionHolds for every condition and flag value through CSEL and
 * B.cond in test_cpu.c (test_cond_table_matches_condition_holds). */

/* 32-bit flag setters look at bit 31, not bit 63: 0x7fffffff + 1 overflows
 * (N, V), 0 - 1 borrows (N, no C), and 0x80000000 - 1 overflows (C, V). */
START_TEST(test_flags_32bit_use_bit_31)
{
    boot(1);
    flags_add32(pe, 0x7fffffffu, 1, 0x80000000u);
    ck_assert_uint_eq(nzcv_get(pe) >> 28, 0x9);
    flags_sub32(pe, 0, 1, 0xffffffffu);
    ck_assert_uint_eq(nzcv_get(pe) >> 28, 0x8);
    flags_sub32(pe, 0x80000000u, 1, 0x7fffffffu);
    ck_assert_uint_eq(nzcv_get(pe) >> 28, 0x3);
    flags_logic(pe, false, 0xffffffff00000000ull);
    ck_assert_uint_eq(nzcv_get(pe) >> 28, 0x4);
}
END_TEST

static Suite *exception_suite(void)
{
    Suite *s = suite_create("exception");
    TCase *tc = tcase_create("async");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_irq_unmasked_at_el1_is_taken_at_el1_current_vector);
    tcase_add_test(tc, test_irq_masked_by_pstate_i_is_not_taken);
    tcase_add_test(tc, test_masked_irq_wakes_wfi_without_being_taken);
    tcase_add_test(tc, test_imo_routes_irq_from_el1_to_el2_whatever_pstate_i);
    tcase_add_test(tc, test_irq_routed_to_el1_is_never_taken_at_el2);
    tcase_add_test(tc, test_irq_routed_to_el2_at_el2_waits_for_pstate_i);
    tcase_add_test(tc, test_tge_routes_el0_irq_to_el2);
    tcase_add_test(tc, test_fmo_routes_fiq_to_el2_and_pstate_f_masks_it_at_el1);
    tcase_add_test(tc, test_serror_masked_by_pstate_a_then_taken_with_its_syndrome);
    tcase_add_test(tc, test_fiq_is_taken_before_a_simultaneous_irq);
    tcase_add_test(tc, test_virtual_irq_needs_imo_and_a_lower_el);
    tcase_add_test(tc, test_deasserted_line_is_not_taken);
    tcase_add_test(tc, test_psci_standby_waits_and_an_interrupt_wakes_it);
    tcase_add_test(tc, test_flags_32bit_use_bit_31);
    tcase_add_test(tc, test_sp_alignment_check_follows_sctlr_sa_at_el1);
    tcase_add_test(tc, test_sp_alignment_check_follows_sctlr_sa0_at_el0);
    tcase_add_test(tc, test_store_overwriting_itself_still_writes_back);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(exception_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
