/* Unit tests for explore's --check expressions (sim/run_check.h): the
 * grammar's precedence and errors, and evaluation of the values that need
 * no machine (numbers, exit, cycles, insns, deadlock, output). Registers,
 * memory and symbols are tested on real guests by scripts/guest-tests.sh.
 * Expected values follow from C's unsigned 64-bit arithmetic and POSIX
 * extended regular expressions, worked by hand. */
#include "sim/run_check.h"

#include <check.h>
#include <stdbool.h>
#include <string.h>

static const char output[] = "boot\nexplore_rmw: counter 808: every update kept\n";

/* TEXT evaluated on a run that exited with EXIT (REASON) after 1000
 * cycles and 400 instructions. */
static bool holds_on(const char *text, int exit_code, enum run_exit reason)
{
    char err[200] = "";
    struct run_check *c = run_check_parse(text, err, sizeof err);
    ck_assert_msg(c != NULL, "'%s' does not parse: %s", text, err);
    struct run_result r = {.reason = reason, .exit_code = exit_code, .cycles = 1000, .insns = 400};
    bool holds = false;
    ck_assert_msg(run_check_eval(c, NULL, &r, output, &holds, err, sizeof err), "%s: %s", text,
                  err);
    ck_assert_str_eq(run_check_text(c), text);
    run_check_free(c);
    return holds;
}

static bool holds(const char *text)
{
    return holds_on(text, 0, RUN_POWER_OFF);
}

START_TEST(arithmetic_and_comparisons)
{
    ck_assert(holds("1 + 2 == 3"));
    ck_assert(holds("0x10 - 1 == 15"));
    ck_assert(holds("0 - 1 == 0xffffffffffffffff")); /* unsigned, wraps */
    ck_assert(holds("2 < 3 && 3 <= 3 && 4 > 3 && 4 >= 4 && 1 != 2"));
    ck_assert(!holds("3 < 2"));
    ck_assert(!holds("0"));
    ck_assert(holds("7"));
}
END_TEST

START_TEST(precedence)
{
    /* & and | bind tighter than comparisons (unlike C): (6 & 3) == 2. */
    ck_assert(holds("6 & 3 == 2"));
    ck_assert(holds("4 | 1 == 5"));
    /* && binds tighter than ||: 1 || (0 && 0). */
    ck_assert(holds("1 || 0 && 0"));
    ck_assert(!holds("(1 || 0) && 0"));
    ck_assert(holds("!(1 == 2)"));
    ck_assert(holds("!0 && !!5"));
    ck_assert(holds("1 + 2 & 3 == 3")); /* (1 + 2) & 3 */
}
END_TEST

START_TEST(run_values)
{
    ck_assert(holds_on("exit == 3", 3, RUN_SEMIHOST_EXIT));
    ck_assert(!holds_on("exit == 0", 3, RUN_SEMIHOST_EXIT));
    ck_assert(holds("cycles == 1000 && insns == 400"));
    ck_assert(holds_on("deadlock && exit == 1", 1, RUN_DEADLOCK));
    ck_assert(!holds("deadlock"));
}
END_TEST

START_TEST(output_matches)
{
    ck_assert(holds("output ~ \"every update kept\""));
    ck_assert(holds("output ~ \"^boot$\""));                /* ^ and $ at each line */
    ck_assert(holds("output ~ \"counter [0-9]+: every\"")); /* extended syntax */
    ck_assert(!holds("output ~ \"lost\""));
    ck_assert(holds("output !~ \"lost\""));
    ck_assert(holds("output ~ \"a\\\"b\" || 1")); /* \" inside the quotes */
}
END_TEST

/* TEXT is refused with a message containing WANT. */
static void refused(const char *text, const char *want)
{
    char err[200] = "";
    struct run_check *c = run_check_parse(text, err, sizeof err);
    ck_assert_msg(c == NULL, "'%s' parsed", text);
    ck_assert_msg(strstr(err, want) != NULL, "'%s': '%s' lacks '%s'", text, err, want);
}

START_TEST(errors)
{
    refused("", "expression ends early at column 1");
    refused("1 ==", "expression ends early at column 5");
    refused("1 2", "unexpected text at column 3");
    refused("(1 == 1", "expected ')'");
    refused("mem64[counter", "expected ']' at column 14");
    refused("mem7[0] == 1", "mem8, mem16, mem32 or mem64");
    refused("mem32 == 1", "expected '[' after memN");
    refused("output == 3", "output is only compared with ~");
    refused("output ~ lost", "expected a \"quoted\" regular expression");
    refused("output ~ \"lost", "no closing");
    refused("output ~ \"(\"", "not a regular expression");
    refused("pe0.q1 == 1", "a register is peN.x0 to peN.x30");
    refused("pe0.x31 == 1", "a register is peN.x0 to peN.x30");
    refused("12ab == 1", "not a number");
    refused("== 1", "expected a value at column 1");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("run_check");
    TCase *t = tcase_create("expressions");
    tcase_add_test(t, arithmetic_and_comparisons);
    tcase_add_test(t, precedence);
    tcase_add_test(t, run_values);
    tcase_add_test(t, output_matches);
    tcase_add_test(t, errors);
    suite_add_tcase(s, t);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? 1 : 0;
}
