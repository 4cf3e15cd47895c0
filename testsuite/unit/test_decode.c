/* Unit tests of JSON decoding into the event model, and of record-safe JSON escaping. */
#include "helpers.h"
#include "buf.h"
#include <stdlib.h>
#include <string.h>

static const char *get(const struct wt_event *ev, enum wt_field_id f)
{
	static char out[512];
	struct wt_value v;
	wt_event_get(ev, f, &v);
	if (!v.present)
		return "<absent>";
	if (v.type == WT_T_STR || v.type == WT_T_ADDR)
		snprintf(out, sizeof out, "%.*s", (int)v.len, v.s);
	else
		snprintf(out, sizeof out, "%lld", (long long)v.i);
	return out;
}

static void test_exec_fields(void **state)
{
	(void)state;
	struct wt_event *ev = th_event(
		"{\"process_exec\":{\"process\":{\"exec_id\":\"bjE6MToy\",\"pid\":42,\"uid\":1000,\"cwd\":\"/home/a\","
		"\"binary\":\"/usr/bin/curl\",\"arguments\":\"-o x \\\"a b\\\"\",\"flags\":\"execve clone\","
		"\"start_time\":\"2026-10-14T09:40:02.5Z\",\"auid\":4294967295,\"in_init_tree\":true,"
		"\"pod\":{\"namespace\":\"ws-a\",\"name\":\"p\",\"container\":{\"id\":\"c://1\",\"name\":\"dev\","
		"\"image\":{\"id\":\"i\",\"name\":\"img:1\"}},\"pod_labels\":{\"k\":\"v\"},\"pod_annotations\":{\"a\":\"1\",\"n\":2,\"b\":\"2\"},\"workload\":\"w\"},"
		"\"parent_exec_id\":\"cGFyZW50\",\"cap\":{\"permitted\":[\"CAP_CHOWN\"]},\"unknown\":[1,{\"x\":2}]},"
		"\"parent\":{\"exec_id\":\"cGFyZW50\",\"binary\":\"/bin/bash\",\"pid\":7}},"
		"\"node_name\":\"n1\",\"time\":\"2026-10-14T09:40:03Z\",\"aggregation_info\":{\"count\":1}}");
	assert_non_null(ev);
	assert_int_equal(ev->kind, WT_KIND_EXEC);
	assert_string_equal(get(ev, WT_F_PROC_BINARY), "/usr/bin/curl");
	assert_string_equal(get(ev, WT_F_PROC_BASENAME), "curl");
	assert_string_equal(get(ev, WT_F_PROC_ARGS), "-o x \"a b\"");
	assert_string_equal(get(ev, WT_F_PROC_PID), "42");
	assert_string_equal(get(ev, WT_F_PROC_AUID), "4294967295");
	assert_string_equal(get(ev, WT_F_PROC_IN_INIT_TREE), "1");
	assert_string_equal(get(ev, WT_F_POD_NAMESPACE), "ws-a");
	assert_string_equal(get(ev, WT_F_CONTAINER_IMAGE), "img:1");
	assert_string_equal(get(ev, WT_F_PARENT_BINARY), "/bin/bash");
	assert_string_equal(get(ev, WT_F_NODE_NAME), "n1");
	assert_int_equal(ev->pod.n_labels, 1);
	assert_int_equal(ev->pod.n_annotations, 2); /* strings only */
	assert_memory_equal(wt_event_str(ev, ev->pod.annot_key[1]), "b", 1);
	assert_memory_equal(wt_event_str(ev, ev->pod.annot_val[1]), "2", 1);
	assert_int_equal(ev->time, 1791970803LL * 1000000000LL);
	assert_int_equal(ev->proc.start_time, 1791970802LL * 1000000000LL + 500000000LL);
	wt_event_release(ev);
}

static void test_legacy_connect_and_throttle(void **state)
{
	(void)state;
	struct wt_event *ev = th_event(
		"{\"process_connect\":{\"process\":{\"binary\":\"/usr/bin/ssh\"},\"source_ip\":\"10.0.0.1\","
		"\"source_port\":1234,\"destination_ip\":\"203.0.113.187\",\"destination_port\":22,\"protocol\":\"TCP\"},"
		"\"time\":\"2022-01-19T11:40:00Z\"}");
	assert_non_null(ev);
	assert_int_equal(ev->kind, WT_KIND_CONNECT);
	assert_string_equal(get(ev, WT_F_SOCK_DADDR), "203.0.113.187");
	assert_string_equal(get(ev, WT_F_SOCK_DPORT), "22");
	wt_event_release(ev);
	ev = th_event("{\"process_throttle\":{\"type\":\"THROTTLE_START\",\"cgroup\":\"s.scope\"},\"node_name\":\"u\","
		      "\"time\":\"2024-07-26T13:07:43.178407128Z\"}");
	assert_non_null(ev);
	assert_string_equal(get(ev, WT_F_THROTTLE_TYPE), "THROTTLE_START");
	assert_string_equal(get(ev, WT_F_THROTTLE_CGROUP), "s.scope");
	wt_event_release(ev);
	/* uint64 in protojson: a string */
	ev = th_event("{\"rate_limit_info\":{\"number_of_dropped_process_events\":\"18446744073709\"},\"node_name\":\"u\","
		      "\"time\":\"2024-07-26T13:07:44Z\"}");
	assert_non_null(ev);
	assert_int_equal(ev->kind, WT_KIND_RATE_LIMIT);
	assert_int_equal(ev->rate_limit_dropped, 18446744073709ULL);
	wt_event_release(ev);
}

static void expect_malformed(const char *line, enum wt_err want, const char *needle)
{
	struct wt_json_decoder *d = wt_json_decoder_new();
	size_t n = strlen(line);
	char *buf = calloc(1, n + WT_JSON_PADDING);
	memcpy(buf, line, n);
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	char err[256] = "";
	enum wt_err e = wt_json_decode(d, buf, n, &b, err, sizeof err);
	if (e != want || !strstr(err, needle))
		fail_msg("line %s: expected %s '%s', got %s '%s'", line, wt_err_str(want), needle, wt_err_str(e), err);
	wt_event_builder_free(&b);
	free(buf);
	wt_json_decoder_free(d);
}

static void test_malformed_lines(void **state)
{
	(void)state;
	expect_malformed("{\"process_exec\":{", WT_E_PARSE, "invalid JSON");
	expect_malformed("[1,2,3]", WT_E_PARSE, "not a JSON object");
	expect_malformed("\"text\"", WT_E_PARSE, "not a JSON object");
	expect_malformed("{\"node_name\":\"x\"}", WT_E_PARSE, "no event kind");
	expect_malformed("{\"process_exec\":5}", WT_E_PARSE, "is not an object");
	expect_malformed("{\"process_exec\":{},\"time\":\"yesterday\"}", WT_E_PARSE, "not an RFC 3339");
	expect_malformed("{\"process_loader\":{\"process\":{}}}", WT_E_UNKNOWN_KIND, "process_loader");
	expect_malformed("{\"process_exec\":{},\"process_exit\":{}}", WT_E_PARSE, "more than one event kind");
	/* a field that does not decode must not silently vanish (found by a bad-input test) */
	expect_malformed("{\"process_exec\":{\"process\":{\"binary\":\"/usr/bin/nc\",\"arguments\":\"-e \\ud800\"}}}",
			 WT_E_PARSE, "invalid escape or invalid UTF-8");
	expect_malformed("{\"process_exec\":{},\"time\":5}", WT_E_PARSE, "not an RFC 3339 timestamp string");
}

static void test_json_escaping(void **state)
{
	(void)state;
	struct wt_buf b;
	wt_buf_init(&b);
	wt_buf_json_str(&b, "a\"b\\c\n\x01\x7f\xff\xc3\xa9", 11, 100);
	assert_string_equal(b.p, "\"a\\\"b\\\\c\\n\\u0001\\u007f\\ufffd\xc3\xa9\"");
	b.len = 0;
	wt_buf_json_str(&b, "abcdef", 6, 3);
	assert_string_equal(b.p, "\"abc...\"");
	b.len = 0;
	wt_buf_json_str(&b, "ab\xc3\xa9", 4, 3); /* the cut falls inside the two-byte e-acute */
	assert_string_equal(b.p, "\"ab...\"");
	b.len = 0;
	wt_buf_time(&b, 1642590354378000000LL);
	assert_string_equal(b.p, "2022-01-19T11:05:54.378000000Z");
	int64_t t;
	assert_true(wt_time_parse("2022-01-19T12:05:54.378+01:00", 29, &t));
	assert_int_equal(t, 1642590354378000000LL);
	assert_false(wt_time_parse("2022-13-19T11:05:54Z", 20, &t));
	assert_false(wt_time_parse("2461-06-30T00:00:00Z", 20, &t)); /* past int64 ns (fuzzer find) */
	assert_false(wt_time_parse("2027-02-30T00:00:00Z", 20, &t));
	assert_true(wt_time_parse("2028-02-29T00:00:00Z", 20, &t));
	assert_false(wt_time_parse("2027-01-01T00:00:00+99:99", 25, &t));
	wt_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_fields),
		cmocka_unit_test(test_legacy_connect_and_throttle),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_json_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
