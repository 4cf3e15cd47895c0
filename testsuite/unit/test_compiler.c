/* Unit tests of the front end and checker: exact diagnostics for given rule text. */
#include "helpers.h"
#include <stdlib.h>
#include <string.h>

static void expect_diag(const char *src, const char *needle)
{
	char *t = th_lint(src);
	if (!strstr(t, needle))
		fail_msg("expected diagnostic containing\n  %s\ngot:\n%s", needle, t);
	free(t);
}

static void test_valid_rule_compiles(void **state)
{
	(void)state;
	char *t = NULL;
	struct wt_ruleset *rs = th_compile(
		"list shells = [\"/bin/sh\", \"/bin/bash\"];\n"
		"macro from_shell = parent.binary in shells;\n"
		"rule r.one { on exec, kprobe when from_shell and process.args contains \"x\" severity high\n"
		"  mitre [\"T1059.004\", \"T1611\"] tags [\"a\"] output \"{process.binary}\" }\n",
		&t);
	assert_non_null(rs);
	assert_int_equal(rs->bc.n_rules, 1);
	assert_string_equal(rs->rules[0].name, "r.one");
	assert_int_equal(rs->n_by_kind[WT_KIND_EXEC], 1);
	assert_int_equal(rs->n_by_kind[WT_KIND_KPROBE], 1);
	assert_int_equal(rs->n_by_kind[WT_KIND_EXIT], 0);
	assert_string_equal(t, "");
	free(t);
	wt_ruleset_free(rs);
}

static void test_syntax_error_location(void **state)
{
	(void)state;
	expect_diag("rule r { on exec when process.binary == severity low }\n",
		    "test.wt:1:41-48: error[E0001]: unexpected severity");
}

static void test_unknown_field_did_you_mean(void **state)
{
	(void)state;
	char *t = th_lint("rule r { on exec when process.binry == \"x\" severity low output \"x\" }\n");
	assert_non_null(strstr(t, "test.wt:1:23-35: error[E0101]: unknown field 'process.binry'"));
	assert_non_null(strstr(t, "help: did you mean 'process.binary'?"));
	assert_non_null(strstr(t, " 1 | rule r { on exec when process.binry"));
	assert_non_null(strstr(t, "^~~~~~~~~~~~~"));
	free(t);
}

static void test_type_mismatch(void **state)
{
	(void)state;
	expect_diag("rule r { on exec when process.uid == \"root\" severity low output \"x\" }\n",
		    "error[E0201]: cannot compare int with string");
	expect_diag("rule r { on exec when process.binary > 3 severity low output \"x\" }\n",
		    "error[E0201]: '>' compares integers, not string and int");
	expect_diag("rule r { on exec when process.binary severity low output \"x\" }\n",
		    "error[E0209]: a condition must be true or false; this is string");
}

static void test_bad_regex(void **state)
{
	(void)state;
	expect_diag("rule r { on exec when process.args regex \"a(b\" severity low output \"x\" }\n",
		    "error[E0202]: invalid regular expression: missing closing parenthesis");
}

static void test_undefined_and_cycles(void **state)
{
	(void)state;
	expect_diag("rule r { on exec when nosuch severity low output \"x\" }\n",
		    "error[E0102]: unknown name 'nosuch'");
	expect_diag("macro a = b;\nmacro b = a;\nrule r { on exec when a severity low output \"x\" }\n",
		    "error[E0104]: macro 'a' refers to itself");
	expect_diag("list a = [b];\nlist b = [a];\nrule r { on exec when process.binary in a severity low output \"x\" }\n",
		    "error[E0104]: list");
}

static void test_duplicates_and_clauses(void **state)
{
	(void)state;
	char *t = th_lint("rule r { on exec when true severity low output \"x\" }\n"
			  "rule r { on exec when true severity low output \"x\" }\n");
	assert_non_null(strstr(t, "test.wt:2:6: error[E0103]: rule 'r' is already defined"));
	assert_non_null(strstr(t, "test.wt:1:6: note: first defined here"));
	free(t);
	expect_diag("rule r { on exec severity low output \"x\" }\n", "error[E0205]: rule 'r' has no 'when' clause");
	expect_diag("rule r { on exec when true when true severity low output \"x\" }\n",
		    "error[E0206]: rule 'r' has this clause twice");
	expect_diag("rule r { on exce when true severity low output \"x\" }\n",
		    "error[E0105]: unknown event kind 'exce'");
	expect_diag("rule r { on exec when true severity hgh output \"x\" }\n", "error[E0203]: unknown severity 'hgh'");
	expect_diag("rule r { on exec when true severity low mitre \"T15\" output \"x\" }\n",
		    "error[E0204]: 'T15' is not a MITRE ATT&CK technique id");
	expect_diag("rule r { on exec when true severity low output \"{process.bin}\" }\n",
		    "error[E0207]: output refers to unknown field 'process.bin'");
	expect_diag("list l = [\"a\", 1];\nrule r { on exec when process.binary in l severity low output \"x\" }\n",
		    "error[E0208]: this int is in a list of strings");
}

static void test_warnings(void **state)
{
	(void)state;
	expect_diag("list unused = [\"a\"];\nrule r { on exec when true severity low output \"x\" }\n",
		    "test.wt:1:6-11: warning[W0001]: list 'unused' is never used");
	expect_diag("rule r { on exec when file.path == \"/x\" severity low output \"x\" }\n",
		    "warning[W0002]: field 'file.path' is never set on the events this rule is 'on'");
}

static void test_lexer_errors(void **state)
{
	(void)state;
	expect_diag("rule r { on exec when process.binary == \"abc severity low }\n",
		    "error[E0002]: string literal is not closed before the end of the line");
	expect_diag("rule r { on exec when process.binary == \"a\" @ severity low }\n",
		    "error[E0003]: unexpected character '@'");
	expect_diag("rule r { on exec when process.pid == 99999999999999999999 severity low }\n",
		    "error[E0004]: integer 99999999999999999999 does not fit in 64 bits");
	expect_diag("rule r { on exec when process.binary == \"a\\q\" severity low }\n",
		    "error[E0006]: invalid escape '\\q'");
}

static void test_deterministic_output(void **state)
{
	(void)state;
	const char *src = "list s = [\"a\", \"b\"];\nrule r { on exec when process.basename in s and "
			  "process.args regex \"-e\" severity low output \"{process.args}\" }\n";
	size_t l1, l2;
	uint8_t *a = th_wtb(src, &l1), *b = th_wtb(src, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(a, b, l1);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_rule_compiles),
		cmocka_unit_test(test_syntax_error_location),
		cmocka_unit_test(test_unknown_field_did_you_mean),
		cmocka_unit_test(test_type_mismatch),
		cmocka_unit_test(test_bad_regex),
		cmocka_unit_test(test_undefined_and_cycles),
		cmocka_unit_test(test_duplicates_and_clauses),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_lexer_errors),
		cmocka_unit_test(test_deterministic_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
