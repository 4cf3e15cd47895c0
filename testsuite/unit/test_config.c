/* Unit tests of the configuration (runtime/config.c): defaults, every key of a full
 * worktrace.yaml(5) lands in its field, flags override the file (lists and inputs are
 * replaced, not merged), flag messages, and what a reload reports as changed. */
#include "helpers.h"
#include "../../runtime/config.h" /* not the autoconf config.h of the top directory */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static char *srcpath(const char *rel)
{
	const char *src = getenv("WT_SRCDIR");
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s/%s", src ? src : ".", rel);
	return buf;
}

static int flag_index(const char *name)
{
	for (const struct option *o = wt_config_long_options(); o->name; o++)
		if (!strcmp(o->name, name))
			return wt_config_flag(o->val);
	fail_msg("no flag --%s", name);
	return -1;
}

static void load_full(struct wt_config *c)
{
	struct wt_config_errors errs = {0};
	wt_config_init(c);
	unsigned n = wt_config_load(c, srcpath("testsuite/config/full.yaml"), &errs);
	for (unsigned i = 0; i < errs.n; i++)
		print_error("%s\n", errs.msg[i]);
	assert_int_equal(n, 0);
	wt_config_errors_free(&errs);
}

static void test_defaults(void **state)
{
	(void)state;
	struct wt_config c;
	wt_config_init(&c);
	assert_int_equal(c.queue_size, 4096);
	assert_int_equal(c.proc_cache, 65536);
	assert_int_equal(c.dedup_window_s, 60);
	assert_int_equal(c.dedup_entries, 65536);
	assert_int_equal(c.corr_partials, 100000);
	assert_int_equal(c.corr_tolerance_s, 2);
	assert_int_equal(c.snapshot_interval_s, 300);
	assert_int_equal(c.rarity_keys, 65536);
	assert_string_equal(c.ws_label, "worktrace.io/workspace");
	assert_string_equal(c.owner_label, "worktrace.io/owner");
	assert_int_equal(c.log_level, WT_LOG_INFO);
	assert_null(c.rules);
	assert_null(c.metrics_listen);
	assert_int_equal(c.n_sinks, 0);
	assert_false(c.drop_when_full);
	wt_config_free(&c);
}

static void test_full_file(void **state)
{
	(void)state;
	struct wt_config c;
	load_full(&c);
	assert_string_equal(c.rules, "/etc/worktrace/rules.wtb");
	assert_null(c.replay);
	assert_string_equal(c.tetragon.address, "unix:///var/run/tetragon/tetragon.sock");
	assert_int_equal(c.tetragon.n_allow_ns, 2);
	assert_string_equal(c.tetragon.allow_ns[1], "notebooks");
	assert_int_equal(c.tetragon.n_deny_ns, 1);
	assert_string_equal(c.tetragon.deny_ns[0], "kube-system");
	assert_string_equal(c.tetragon.allow_pods[0], "^ws-");
	assert_string_equal(c.tetragon.deny_pods[0], "^tetragon-");
	assert_string_equal(c.tetragon.allow_bins[0], "^/");
	assert_string_equal(c.tetragon.deny_bins[0], "^/usr/bin/kubelet$");
	assert_int_equal(c.tetragon.n_allow_events, 2);
	assert_string_equal(c.tetragon.allow_events[1], "kprobe");
	assert_string_equal(c.tetragon.deny_events[0], "rate_limit_info");
	assert_int_equal(c.tetragon.backoff_min_ms, 200);
	assert_int_equal(c.tetragon.backoff_max_ms, 10000);
	assert_true(c.tetragon.exit_on_end);
	assert_true(c.drop_when_full);
	assert_string_equal(c.output, "/var/lib/worktrace/threats.jsonl");
	assert_int_equal(c.queue_size, 8192);
	assert_int_equal(c.proc_cache, 131072);
	assert_int_equal(c.dedup_window_s, 300);
	assert_int_equal(c.dedup_entries, 100000);
	assert_string_equal(c.ws_label, "example.com/workspace");
	assert_string_equal(c.owner_label, "example.com/owner");
	assert_string_equal(c.ws_annotation, "example.com/workspace-id");
	assert_string_equal(c.owner_annotation, "example.com/created-by");
	assert_string_equal(c.ns_pattern, "^ws-(?<owner>[a-z0-9-]+)$");
	assert_int_equal(c.corr_partials, 200000);
	assert_int_equal(c.corr_tolerance_s, 5);
	assert_string_equal(c.state_dir, "/var/lib/worktrace");
	assert_int_equal(c.snapshot_interval_s, 600);
	assert_int_equal(c.rarity_keys, 131072);
	assert_int_equal(c.n_cluster, 2);
	assert_string_equal(c.metrics_listen, "127.0.0.1:9465");
	assert_int_equal(c.log_level, WT_LOG_WARNING);
	assert_int_equal(c.n_sinks, 5);
	const struct wt_sink_conf *s = c.sinks;
	assert_int_equal(s[0].type, WT_SINKCONF_STDOUT);
	assert_string_equal(s[0].name, "stdout");
	assert_int_equal(s[0].min_severity, WT_SEV_HIGH);
	assert_int_equal(s[0].queue_size, WT_SINKCONF_DEFAULT_QUEUE);
	assert_int_equal(s[0].retry_max_backoff_s, WT_SINKCONF_DEFAULT_BACKOFF_S);
	assert_int_equal(s[1].type, WT_SINKCONF_FILE);
	assert_string_equal(s[1].name, "archive");
	assert_string_equal(s[1].file.path, "/var/log/worktrace/threats.jsonl");
	assert_int_equal(s[1].file.max_size, 100ull << 20);
	assert_int_equal(s[1].file.keep, 10);
	assert_int_equal(s[1].queue_size, 50000);
	assert_int_equal(s[1].min_severity, WT_SEV_INFO);
	assert_int_equal(s[2].type, WT_SINKCONF_ALERTMANAGER);
	assert_string_equal(s[2].alertmanager.url, "http://alertmanager.monitoring:9093");
	assert_int_equal(s[2].alertmanager.resolve_timeout_s, 120);
	assert_int_equal(s[2].retry_max_backoff_s, 300);
	assert_int_equal(s[3].type, WT_SINKCONF_WEBHOOK);
	assert_int_equal(s[3].webhook.format, WT_WEBHOOK_FALCOSIDEKICK);
	assert_int_equal(s[3].webhook.n_headers, 2);
	assert_string_equal(s[3].webhook.headers[0].name, "Authorization");
	assert_string_equal(s[3].webhook.headers[0].value, "Bearer abc");
	assert_int_equal(s[4].type, WT_SINKCONF_SYSLOG);
	assert_int_equal(s[4].syslog.transport, WT_SYSLOG_TCP);
	assert_string_equal(s[4].syslog.address, "[::1]:6514");
	assert_int_equal(s[4].syslog.facility, 10);
	assert_string_equal(s[4].syslog.app_name, "worktrace");
	assert_int_equal(s[4].line, 61); /* its first key */
	wt_config_free(&c);
}

static void test_flags_override(void **state)
{
	(void)state;
	struct wt_config c;
	char err[256];
	load_full(&c);
	assert_true(wt_config_apply_flag(&c, flag_index("queue-size"), "100", err, sizeof err));
	assert_true(wt_config_apply_flag(&c, flag_index("cluster-cidr"), "192.168.0.0/16", err, sizeof err));
	assert_true(wt_config_apply_flag(&c, flag_index("cluster-cidr"), "172.16.0.0/12", err, sizeof err));
	assert_true(wt_config_apply_flag(&c, flag_index("replay"), "-", err, sizeof err));
	assert_true(wt_config_apply_flag(&c, flag_index("dedup-window"), "2m", err, sizeof err));
	assert_true(wt_config_apply_flag(&c, flag_index("log-level"), "debug", err, sizeof err));
	assert_int_equal(c.queue_size, 100);
	assert_int_equal(c.n_cluster, 2); /* the file's two replaced by the command line's two */
	struct wt_cidr want;
	assert_true(wt_cidr_parse("192.168.0.0/16", 14, &want));
	assert_memory_equal(&c.cluster[0], &want, sizeof want);
	assert_string_equal(c.replay, "-");
	assert_null(c.tetragon.address); /* an input flag replaces the file's input */
	assert_int_equal(c.dedup_window_s, 120);
	assert_int_equal(c.log_level, WT_LOG_DEBUG);
	assert_int_equal(c.proc_cache, 131072); /* untouched by flags */
	wt_config_free(&c);
}

static void test_flag_messages(void **state)
{
	(void)state;
	struct wt_config c;
	char err[256];
	wt_config_init(&c);
	assert_false(wt_config_apply_flag(&c, flag_index("queue-size"), "0", err, sizeof err));
	assert_string_equal(err, "invalid value '0' for --queue-size (expected 2 to 16777216)");
	assert_false(wt_config_apply_flag(&c, flag_index("namespace-pattern"), "(", err, sizeof err));
	assert_string_equal(err, "invalid value '(' for --namespace-pattern (not a PCRE2 pattern: missing closing "
				 "parenthesis at offset 1)");
	assert_false(wt_config_apply_flag(&c, flag_index("metrics-listen"), "9464", err, sizeof err));
	assert_false(wt_config_apply_flag(&c, flag_index("metrics-listen"), "10.0.0.1/8:1", err, sizeof err));
	assert_true(wt_config_apply_flag(&c, flag_index("metrics-listen"), "[::1]:0", err, sizeof err));
	assert_true(wt_config_apply_flag(&c, flag_index("metrics-listen"), "off", err, sizeof err));
	assert_false(wt_config_apply_flag(&c, flag_index("slow-pipeline"), "fast:10", err, sizeof err));
	assert_true(wt_config_apply_flag(&c, flag_index("slow-pipeline"), "behavioral:10", err, sizeof err));
	assert_int_equal(c.slow_pipeline_us[2], 10);
	wt_config_free(&c);
}

static void test_reload_diff(void **state)
{
	(void)state;
	struct wt_config a, b;
	char err[256];
	load_full(&a);
	load_full(&b);
	unsigned idx = 0;
	assert_null(wt_config_diff(&a, &b, &idx));
	assert_true(wt_config_apply_flag(&b, flag_index("rules"), "/other.wtb", err, sizeof err));
	assert_true(wt_config_apply_flag(&b, flag_index("log-level"), "error", err, sizeof err));
	idx = 0;
	assert_null(wt_config_diff(&a, &b, &idx)); /* both apply at a reload */
	assert_true(wt_config_apply_flag(&b, flag_index("queue-size"), "64", err, sizeof err));
	assert_true(wt_config_apply_flag(&b, flag_index("cluster-cidr"), "10.0.0.0/8", err, sizeof err));
	idx = 0;
	assert_string_equal(wt_config_diff(&a, &b, &idx), "engine.queue_size");
	assert_string_equal(wt_config_diff(&a, &b, &idx), "cluster_cidrs");
	assert_null(wt_config_diff(&a, &b, &idx));
	wt_config_free(&a);
	wt_config_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_flags_override),
		cmocka_unit_test(test_flag_messages),
		cmocka_unit_test(test_reload_diff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
