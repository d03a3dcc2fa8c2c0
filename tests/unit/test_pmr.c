/* Unit tests for the masking decision (pmr/pmr.h): one test per row of the
 * truth table in docs/gic.md ("CPU interface and masking"), then the
 * binary-point helpers and the explanation texts.
 *
 * Expected values come from IHI 0069: an interrupt is signalled when its
 * group is enabled in the Distributor and the CPU interface, its priority is
 * numerically lower than ICC_PMR_EL1, and its group priority is numerically
 * lower than the running priority. ICC_BPR0_EL1 = n: group priority is bits
 * [7:n+1]; ICC_BPR1_EL1 = n: bits [7:n]; CBPR = 1: Group 1 uses BPR0. The
 * minimum BPR0 is 7 - preemption bits (preemption bits = priority bits, at
 * most 7), BPR1's one more. */
#include "pmr/pmr.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Row defaults: everything open, 5 priority bits, binary points at their
 * minimum, nothing active. Each row changes only what it is about. */
static struct pmr_inputs base(void)
{
    struct pmr_inputs in = {
        .priority = 0x80,
        .group1 = true,
        .dist_grp_enabled = true,
        .cpu_grp_enabled = true,
        .pmr = 0xf8,
        .running_priority = 0xff,
        .bpr0 = 2,
        .bpr1 = 3,
        .cbpr = false,
        .pri_bits = 5,
    };
    return in;
}

/* ---- Truth table: group enables ----------------------------------------- */

START_TEST(test_row_01_group_disabled_in_distributor)
{
    struct pmr_inputs in = base();
    in.dist_grp_enabled = false;
    ck_assert_int_eq(pmr_decide(&in), PMR_GROUP_DISABLED_GLOBALLY);
}
END_TEST

START_TEST(test_row_02_distributor_gate_reported_before_cpu_gate)
{
    struct pmr_inputs in = base();
    in.dist_grp_enabled = false;
    in.cpu_grp_enabled = false;
    ck_assert_int_eq(pmr_decide(&in), PMR_GROUP_DISABLED_GLOBALLY);
}
END_TEST

START_TEST(test_row_03_group_disabled_at_cpu_interface)
{
    struct pmr_inputs in = base();
    in.cpu_grp_enabled = false;
    ck_assert_int_eq(pmr_decide(&in), PMR_GROUP_DISABLED_LOCALLY);
}
END_TEST

START_TEST(test_row_04_group_gate_reported_before_pmr)
{
    struct pmr_inputs in = base();
    in.cpu_grp_enabled = false;
    in.pmr = 0x80; /* would also mask priority 0x80 */
    ck_assert_int_eq(pmr_decide(&in), PMR_GROUP_DISABLED_LOCALLY);
}
END_TEST

/* ---- Truth table: priority mask ------------------------------------------ */

START_TEST(test_row_05_priority_equal_to_pmr_is_masked)
{
    struct pmr_inputs in = base();
    in.pmr = 0x80;
    ck_assert_int_eq(pmr_decide(&in), PMR_NOT_ABOVE_PMR);
}
END_TEST

START_TEST(test_row_06_priority_lower_than_pmr_is_masked)
{
    struct pmr_inputs in = base();
    in.priority = 0x88;
    in.pmr = 0x80;
    ck_assert_int_eq(pmr_decide(&in), PMR_NOT_ABOVE_PMR);
}
END_TEST

START_TEST(test_row_07_priority_higher_than_pmr_is_signalled)
{
    struct pmr_inputs in = base();
    in.priority = 0x78;
    in.pmr = 0x80;
    ck_assert_int_eq(pmr_decide(&in), PMR_SIGNAL);
}
END_TEST

START_TEST(test_row_08_pmr_gate_reported_before_running_priority)
{
    struct pmr_inputs in = base();
    in.pmr = 0x80;
    in.running_priority = 0x40; /* would also stop group priority 0x80 */
    ck_assert_int_eq(pmr_decide(&in), PMR_NOT_ABOVE_PMR);
}
END_TEST

START_TEST(test_row_09_pmr_zero_masks_priority_zero)
{
    struct pmr_inputs in = base();
    in.priority = 0x00;
    in.pmr = 0x00;
    ck_assert_int_eq(pmr_decide(&in), PMR_NOT_ABOVE_PMR);
}
END_TEST

/* ---- Truth table: running priority ------------------------------------- */

START_TEST(test_row_10_group_priority_equal_to_running_does_not_preempt)
{
    struct pmr_inputs in = base();
    in.priority = 0x40;
    in.running_priority = 0x40;
    ck_assert_int_eq(pmr_decide(&in), PMR_NOT_ABOVE_RUNNING_PRIORITY);
}
END_TEST

START_TEST(test_row_11_group_priority_lower_than_running_does_not_preempt)
{
    struct pmr_inputs in = base();
    in.priority = 0x60;
    in.running_priority = 0x40;
    ck_assert_int_eq(pmr_decide(&in), PMR_NOT_ABOVE_RUNNING_PRIORITY);
}
END_TEST

START_TEST(test_row_12_group_priority_higher_than_running_preempts)
{
    struct pmr_inputs in = base();
    in.priority = 0x38;
    in.running_priority = 0x40;
    ck_assert_int_eq(pmr_decide(&in), PMR_SIGNAL);
}
END_TEST

START_TEST(test_row_13_idle_running_priority_lets_lowest_priority_through)
{
    struct pmr_inputs in = base();
    in.priority = 0xf0; /* lowest implemented priority below PMR 0xf8 */
    in.running_priority = 0xff;
    ck_assert_int_eq(pmr_decide(&in), PMR_SIGNAL);
}
END_TEST

/* ---- Truth table: binary point ------------------------------------------ */

/* BPR0 = 4: group priority bits [7:5], so 0x38 has group priority 0x20. */
START_TEST(test_row_14_bpr0_group_priority_is_bits_7_to_n_plus_1)
{
    struct pmr_inputs in = base();
    in.group1 = false;
    in.bpr0 = 4;
    in.priority = 0x38;
    in.running_priority = 0x30;
    ck_assert_int_eq(pmr_decide(&in), PMR_SIGNAL);
}
END_TEST

/* BPR1 = 4: group priority bits [7:4], so 0x38 has group priority 0x30. */
START_TEST(test_row_15_bpr1_group_priority_is_bits_7_to_n)
{
    struct pmr_inputs in = base();
    in.bpr1 = 4;
    in.priority = 0x38;
    in.running_priority = 0x30;
    ck_assert_int_eq(pmr_decide(&in), PMR_NOT_ABOVE_RUNNING_PRIORITY);
}
END_TEST

START_TEST(test_row_16_bpr1_higher_group_priority_preempts)
{
    struct pmr_inputs in = base();
    in.bpr1 = 4;
    in.priority = 0x28;
    in.running_priority = 0x30;
    ck_assert_int_eq(pmr_decide(&in), PMR_SIGNAL);
}
END_TEST

/* CBPR = 1: Group 1 takes BPR0 = 4, bits [7:5]: 0x38 -> 0x20 preempts 0x30. */
START_TEST(test_row_17_cbpr_makes_group1_use_bpr0)
{
    struct pmr_inputs in = base();
    in.cbpr = true;
    in.bpr0 = 4;
    in.bpr1 = 4;
    in.priority = 0x38;
    in.running_priority = 0x30;
    ck_assert_int_eq(pmr_decide(&in), PMR_SIGNAL);
}
END_TEST

/* Active priority 0x48 acknowledged under BPR1 = 5 runs at 0x40; a pending
 * 0x40 is higher than 0x48 but in the same group priority, so it waits. */
START_TEST(test_row_18_subpriority_never_preempts)
{
    struct pmr_inputs in = base();
    in.bpr1 = 5;
    in.priority = 0x40;
    in.running_priority = 0x40;
    ck_assert_int_eq(pmr_decide(&in), PMR_NOT_ABOVE_RUNNING_PRIORITY);
}
END_TEST

/* 8 priority bits give 7 preemption bits: bit 0 is always subpriority. */
START_TEST(test_row_19_eight_priority_bits_bit0_never_preempts)
{
    struct pmr_inputs in = base();
    in.pri_bits = 8;
    in.group1 = false;
    in.bpr0 = 0;
    in.pmr = 0xff;
    in.priority = 0x41;
    in.running_priority = 0x40;
    ck_assert_int_eq(pmr_decide(&in), PMR_NOT_ABOVE_RUNNING_PRIORITY);
}
END_TEST

/* ---- Truth table: the PE's PSTATE --------------------------------------- */

START_TEST(test_row_20_irq_masked_by_pstate_i)
{
    struct pmr_inputs in = base();
    ck_assert_int_eq(pmr_decide_pe(&in, PMR_DAIF_I), PMR_MASKED_BY_PSTATE);
}
END_TEST

START_TEST(test_row_21_irq_not_masked_by_pstate_f)
{
    struct pmr_inputs in = base();
    ck_assert_int_eq(pmr_decide_pe(&in, PMR_DAIF_F), PMR_SIGNAL);
}
END_TEST

START_TEST(test_row_22_fiq_masked_by_pstate_f)
{
    struct pmr_inputs in = base();
    in.group1 = false;
    ck_assert_int_eq(pmr_decide_pe(&in, PMR_DAIF_F), PMR_MASKED_BY_PSTATE);
}
END_TEST

START_TEST(test_row_23_fiq_not_masked_by_pstate_i)
{
    struct pmr_inputs in = base();
    in.group1 = false;
    ck_assert_int_eq(pmr_decide_pe(&in, PMR_DAIF_I), PMR_SIGNAL);
}
END_TEST

START_TEST(test_row_24_gic_gate_reported_before_pstate)
{
    struct pmr_inputs in = base();
    in.pmr = 0x60;
    in.priority = 0xa0;
    ck_assert_int_eq(pmr_decide_pe(&in, PMR_DAIF_I), PMR_NOT_ABOVE_PMR);
}
END_TEST

START_TEST(test_row_25_pstate_d_and_a_do_not_mask)
{
    struct pmr_inputs in = base();
    ck_assert_int_eq(pmr_decide_pe(&in, 0x300), PMR_SIGNAL);
}
END_TEST

/* Rows 26-30: a virtual interrupt (a list register) goes through the same
 * gates, with ICH_HCR_EL2.En, ICH_VMCR_EL2.VENGn, VPMR and the virtual
 * running priority in the places of the physical ones; the explanation
 * names those. */
static struct pmr_inputs vbase(void)
{
    struct pmr_inputs in = base();
    in.virt = true;
    return in;
}

static void expect_text(const struct pmr_inputs *in, enum pmr_gate gate, const char *want)
{
    char buf[160];
    pmr_gate_explain(gate, in, buf, sizeof buf);
    ck_assert_str_eq(buf, want);
}

START_TEST(test_row_26_virtual_interface_disabled)
{
    struct pmr_inputs in = vbase();
    in.dist_grp_enabled = false;
    ck_assert_int_eq(pmr_decide(&in), PMR_GROUP_DISABLED_GLOBALLY);
    expect_text(&in, PMR_GROUP_DISABLED_GLOBALLY,
                "virtual CPU interface disabled (ICH_HCR_EL2.En 0)");
}
END_TEST

START_TEST(test_row_27_virtual_group_disabled)
{
    struct pmr_inputs in = vbase();
    in.cpu_grp_enabled = false;
    ck_assert_int_eq(pmr_decide(&in), PMR_GROUP_DISABLED_LOCALLY);
    expect_text(&in, PMR_GROUP_DISABLED_LOCALLY, "virtual Group 1 disabled (ICH_VMCR_EL2.VENG1 0)");
}
END_TEST

START_TEST(test_row_28_not_above_vpmr)
{
    struct pmr_inputs in = vbase();
    in.priority = 0xf0;
    in.pmr = 0xf0;
    ck_assert_int_eq(pmr_decide(&in), PMR_NOT_ABOVE_PMR);
    expect_text(&in, PMR_NOT_ABOVE_PMR, "priority not higher than VPMR 0xf0");
}
END_TEST

START_TEST(test_row_29_not_above_virtual_running_priority)
{
    struct pmr_inputs in = vbase();
    in.running_priority = 0x80;
    ck_assert_int_eq(pmr_decide(&in), PMR_NOT_ABOVE_RUNNING_PRIORITY);
    expect_text(&in, PMR_NOT_ABOVE_RUNNING_PRIORITY,
                "group priority 0x80 not higher than virtual running priority 0x80");
}
END_TEST

START_TEST(test_row_30_virtual_signal_and_pstate)
{
    struct pmr_inputs in = vbase();
    ck_assert_int_eq(pmr_decide_pe(&in, 0), PMR_SIGNAL);
    expect_text(&in, PMR_SIGNAL, "signalled as vIRQ");
    ck_assert_int_eq(pmr_decide_pe(&in, PMR_DAIF_I), PMR_MASKED_BY_PSTATE);
    expect_text(&in, PMR_MASKED_BY_PSTATE, "signalled as vIRQ, masked by PSTATE.I");
}
END_TEST

/* ---- Helpers -------------------------------------------------------------- */

START_TEST(test_minimum_binary_points_per_priority_bits)
{
    /* pri_bits: 4 5 6 7 8 -> preemption bits 4 5 6 7 7. */
    const unsigned bpr0[] = {3, 2, 1, 0, 0};
    for (unsigned bits = 4; bits <= 8; bits++) {
        ck_assert_uint_eq(pmr_min_bpr0(bits), bpr0[bits - 4]);
        ck_assert_uint_eq(pmr_min_bpr1(bits), bpr0[bits - 4] + 1);
    }
}
END_TEST

START_TEST(test_preemption_bits_cap_at_seven)
{
    ck_assert_uint_eq(pmr_preemption_bits(5), 5);
    ck_assert_uint_eq(pmr_preemption_bits(7), 7);
    ck_assert_uint_eq(pmr_preemption_bits(8), 7);
}
END_TEST

START_TEST(test_priority_mask_keeps_top_bits)
{
    ck_assert_uint_eq(pmr_priority_mask(4), 0xf0);
    ck_assert_uint_eq(pmr_priority_mask(5), 0xf8);
    ck_assert_uint_eq(pmr_priority_mask(8), 0xff);
}
END_TEST

START_TEST(test_group_priority_of_binary_point_below_minimum_uses_minimum)
{
    struct pmr_inputs in = base();
    in.pri_bits = 4; /* minimum BPR1 is 4: group priority bits [7:4] */
    in.bpr1 = 0;
    in.priority = 0xf0;
    ck_assert_uint_eq(pmr_group_priority(&in), 0xf0);
    in.bpr1 = 6; /* bits [7:6] */
    ck_assert_uint_eq(pmr_group_priority(&in), 0xc0);
}
END_TEST

/* ---- Explanations -------------------------------------------------------- */

static void check_text(enum pmr_gate gate, const struct pmr_inputs *in, const char *want)
{
    char buf[160];
    int n = pmr_gate_explain(gate, in, buf, sizeof buf);
    ck_assert_str_eq(buf, want);
    ck_assert_int_eq(n, (int)strlen(want));
}

START_TEST(test_explain_pmr_gate_as_in_the_issue)
{
    struct pmr_inputs in = base();
    in.priority = 0xa0;
    in.pmr = 0x60;
    check_text(PMR_NOT_ABOVE_PMR, &in, "priority not higher than PMR 0x60");
}
END_TEST

START_TEST(test_explain_running_priority_gate)
{
    struct pmr_inputs in = base();
    in.bpr1 = 5;
    in.priority = 0x48;
    in.running_priority = 0x40;
    check_text(PMR_NOT_ABOVE_RUNNING_PRIORITY, &in,
               "group priority 0x40 not higher than running priority 0x40");
}
END_TEST

START_TEST(test_explain_group_gates)
{
    struct pmr_inputs in = base();
    check_text(PMR_GROUP_DISABLED_GLOBALLY, &in,
               "Group 1 disabled in the Distributor (GICD_CTLR.EnableGrp1 0)");
    in.group1 = false;
    check_text(PMR_GROUP_DISABLED_LOCALLY, &in,
               "Group 0 disabled at the CPU interface (ICC_IGRPEN0_EL1 0)");
}
END_TEST

START_TEST(test_explain_pstate_and_signal)
{
    struct pmr_inputs in = base();
    check_text(PMR_MASKED_BY_PSTATE, &in, "signalled as IRQ, masked by PSTATE.I");
    in.group1 = false;
    check_text(PMR_SIGNAL, &in, "signalled as FIQ");
}
END_TEST

START_TEST(test_explain_truncates_like_snprintf)
{
    struct pmr_inputs in = base();
    char buf[8];
    int n = pmr_gate_explain(PMR_NOT_ABOVE_PMR, &in, buf, sizeof buf);
    ck_assert_str_eq(buf, "priorit");
    ck_assert_int_eq(n, (int)strlen("priority not higher than PMR 0xf8"));
}
END_TEST

START_TEST(test_gate_names_are_distinct)
{
    ck_assert_str_eq(pmr_gate_name(PMR_NOT_ABOVE_PMR), "not-above-pmr");
    ck_assert_str_ne(pmr_gate_name(PMR_GROUP_DISABLED_GLOBALLY),
                     pmr_gate_name(PMR_GROUP_DISABLED_LOCALLY));
}
END_TEST

static Suite *pmr_suite(void)
{
    Suite *s = suite_create("pmr");
    TCase *table = tcase_create("truth_table");
    TCase *helpers = tcase_create("helpers");
    TCase *text = tcase_create("explain");

    suite_add_tcase(s, table);
    suite_add_tcase(s, helpers);
    suite_add_tcase(s, text);

    tcase_add_test(table, test_row_01_group_disabled_in_distributor);
    tcase_add_test(table, test_row_02_distributor_gate_reported_before_cpu_gate);
    tcase_add_test(table, test_row_03_group_disabled_at_cpu_interface);
    tcase_add_test(table, test_row_04_group_gate_reported_before_pmr);
    tcase_add_test(table, test_row_05_priority_equal_to_pmr_is_masked);
    tcase_add_test(table, test_row_06_priority_lower_than_pmr_is_masked);
    tcase_add_test(table, test_row_07_priority_higher_than_pmr_is_signalled);
    tcase_add_test(table, test_row_08_pmr_gate_reported_before_running_priority);
    tcase_add_test(table, test_row_09_pmr_zero_masks_priority_zero);
    tcase_add_test(table, test_row_10_group_priority_equal_to_running_does_not_preempt);
    tcase_add_test(table, test_row_11_group_priority_lower_than_running_does_not_preempt);
    tcase_add_test(table, test_row_12_group_priority_higher_than_running_preempts);
    tcase_add_test(table, test_row_13_idle_running_priority_lets_lowest_priority_through);
    tcase_add_test(table, test_row_14_bpr0_group_priority_is_bits_7_to_n_plus_1);
    tcase_add_test(table, test_row_15_bpr1_group_priority_is_bits_7_to_n);
    tcase_add_test(table, test_row_16_bpr1_higher_group_priority_preempts);
    tcase_add_test(table, test_row_17_cbpr_makes_group1_use_bpr0);
    tcase_add_test(table, test_row_18_subpriority_never_preempts);
    tcase_add_test(table, test_row_19_eight_priority_bits_bit0_never_preempts);
    tcase_add_test(table, test_row_20_irq_masked_by_pstate_i);
    tcase_add_test(table, test_row_21_irq_not_masked_by_pstate_f);
    tcase_add_test(table, test_row_22_fiq_masked_by_pstate_f);
    tcase_add_test(table, test_row_23_fiq_not_masked_by_pstate_i);
    tcase_add_test(table, test_row_24_gic_gate_reported_before_pstate);
    tcase_add_test(table, test_row_25_pstate_d_and_a_do_not_mask);
    tcase_add_test(table, test_row_26_virtual_interface_disabled);
    tcase_add_test(table, test_row_27_virtual_group_disabled);
    tcase_add_test(table, test_row_28_not_above_vpmr);
    tcase_add_test(table, test_row_29_not_above_virtual_running_priority);
    tcase_add_test(table, test_row_30_virtual_signal_and_pstate);

    tcase_add_test(helpers, test_minimum_binary_points_per_priority_bits);
    tcase_add_test(helpers, test_preemption_bits_cap_at_seven);
    tcase_add_test(helpers, test_priority_mask_keeps_top_bits);
    tcase_add_test(helpers, test_group_priority_of_binary_point_below_minimum_uses_minimum);

    tcase_add_test(text, test_explain_pmr_gate_as_in_the_issue);
    tcase_add_test(text, test_explain_running_priority_gate);
    tcase_add_test(text, test_explain_group_gates);
    tcase_add_test(text, test_explain_pstate_and_signal);
    tcase_add_test(text, test_explain_truncates_like_snprintf);
    tcase_add_test(text, test_gate_names_are_distinct);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pmr_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
