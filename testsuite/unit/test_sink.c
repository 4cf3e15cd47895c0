/* Unit tests of the sinks: the --sink syntax and its defaults, single-line text escaping, and
 * the exact syslog, Alertmanager and Falcosidekick renderings of a record whose event
 * strings carry invalid UTF-8, quotes, brackets and control bytes. */
#include "helpers.h"
#include "output.h"
#include "sink.h"
#include <stdlib.h>
#include <string.h>

static void test_spec_parse(void **state)
{
	(void)state;
	struct wt_sink_spec sp;
	char *st, err[256];
	assert_int_equal(wt_sink_spec_parse("file=/var/log/wt.jsonl?max_size=10M&keep=7", &sp, &st, err, sizeof err), WT_OK);
	assert_int_equal(sp.type, WT_SINK_FILE);
	assert_string_equal(sp.target, "/var/log/wt.jsonl");
	assert_int_equal(sp.max_size, 10u << 20);
	assert_int_equal(sp.keep, 7);
	assert_int_equal(sp.batch, WT_SINK_DEFAULT_BATCH);
	free(st);
	assert_int_equal(wt_sink_spec_parse("webhook=https://h/p?a=b&c=d#queue=7&backoff_max=3&min_severity=high", &sp, &st,
					    err, sizeof err), WT_OK);
	assert_int_equal(sp.type, WT_SINK_WEBHOOK);
	assert_string_equal(sp.target, "https://h/p?a=b&c=d"); /* the query string is the URL's */
	assert_int_equal(sp.queue_size, 7);
	assert_int_equal(sp.backoff_max_ms, 3000);
	assert_int_equal(sp.min_severity, WT_SEV_HIGH);
	assert_int_equal(sp.batch, 1);
	free(st);
	assert_int_equal(wt_sink_spec_parse("alertmanager=http://127.0.0.1:9093", &sp, &st, err, sizeof err), WT_OK);
	assert_int_equal(sp.queue_size, WT_SINK_DEFAULT_QUEUE);
	assert_int_equal(sp.batch, WT_SINK_DEFAULT_BATCH);
	assert_int_equal(sp.resolve_s, WT_SINK_DEFAULT_RESOLVE_S);
	assert_int_equal(sp.backoff_ms, WT_SINK_DEFAULT_BACKOFF_MS);
	assert_int_equal(sp.backoff_max_ms, WT_SINK_DEFAULT_BACKOFF_MAX_MS);
	free(st);
	assert_int_equal(wt_sink_spec_parse("syslog=unix:/dev/log?facility=authpriv&app_name=wt", &sp, &st, err, sizeof err), WT_OK);
	assert_string_equal(sp.target, "unix:/dev/log");
	assert_int_equal(sp.facility, 10);
	assert_string_equal(sp.app_name, "wt");
	free(st);
	assert_int_equal(wt_sink_spec_parse("file=/x?keep=0", &sp, &st, err, sizeof err), WT_E_INVALID);
	assert_string_equal(err, "'file=/x?keep=0': option keep: '0' is not a number from 1 to 1000");
	free(st);
	assert_int_equal(wt_sink_spec_parse("file=/x?keep", &sp, &st, err, sizeof err), WT_E_INVALID);
	assert_string_equal(err, "'file=/x?keep': option 'keep' has no '=VALUE'");
	free(st);
	assert_int_equal(wt_sink_spec_parse("syslog=", &sp, &st, err, sizeof err), WT_E_INVALID);
	assert_string_equal(err, "'syslog=': the syslog sink needs a target");
	free(st);
	/* one option at a time, as a config file sets them */
	wt_sink_spec_defaults(&sp, WT_SINK_SYSLOG);
	assert_int_equal(wt_sink_spec_set(&sp, "facility", "local7", err, sizeof err), WT_OK);
	assert_int_equal(sp.facility, 23);
	assert_int_equal(wt_sink_spec_set(&sp, "max_size", "1M", err, sizeof err), WT_E_INVALID);
	assert_string_equal(err, "unknown option 'max_size' for a syslog sink");
	assert_int_equal(wt_sink_spec_parse("alertmanager=http://h#resolve=x", &sp, &st, err, sizeof err), WT_E_INVALID);
	assert_string_equal(err, "'alertmanager=http://h#resolve=x': option resolve: 'x' is not a number from 1 to 604800");
	free(st);
}

static void test_text_escape(void **state)
{
	(void)state;
	struct wt_buf b;
	wt_buf_init(&b);
	static const char in[] = "a\"b]\\c\n\x01\t\x7f\xff\xc3\xa9\xe2\x82\xc3";
	wt_buf_text(&b, in, sizeof in - 1, 100, "\"]");
	assert_string_equal(b.p, "a\\\"b\\]\\\\c\\n\\x01\\t\\x7f\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	b.len = 0;
	wt_buf_text(&b, "\xc3\xa9\xc3\xa9", 4, 3, NULL); /* cut: never inside a sequence */
	assert_string_equal(b.p, "\xc3\xa9...");
	wt_buf_free(&b);
}

/* A threat of the test rule on an event whose strings are raw bytes. */
static struct wt_ruleset *rs;
static struct wt_event *odd_event(void)
{
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	struct wt_event *ev = &b.ev;
	ev->kind = WT_KIND_EXEC;
	ev->time = 1791975076530876629LL;
	ev->seq = 9;
	ev->proc.present = true;
	ev->proc.pid = 7;
	ev->proc.binary = wt_event_builder_add(&b, "/tmp/\xff\"x]", 9);
	ev->proc.args = wt_event_builder_add(&b, "a\nb\xc3\x28", 5);
	ev->ws_id = wt_event_builder_add(&b, "ws\x01\xe2\x82", 5);
	ev->node = wt_event_builder_add(&b, "node 7", 6);
	struct wt_event *e = wt_event_finish(&b, 1);
	wt_event_builder_free(&b);
	return e;
}

static struct wt_event *exec_at(int64_t t)
{
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	b.ev.kind = WT_KIND_EXEC;
	b.ev.time = t;
	b.ev.proc.present = true;
	b.ev.proc.binary = wt_event_builder_add(&b, "/bin/x", 6);
	b.ev.ws_id = wt_event_builder_add(&b, "ws", 2);
	struct wt_event *e = wt_event_finish(&b, 1);
	wt_event_builder_free(&b);
	return e;
}

/* A dedup window closes on the clock of the pipeline that raised it: a correlation threat
 * far ahead in event time (that pipeline ran ahead) must not close the window of a direct
 * rule, so the direct rule's next occurrence inside its window stays suppressed whatever
 * order the threads delivered them in. */
static void test_dedup_window_per_pipeline(void **state)
{
	(void)state;
	rs = th_compile("rule t.a { on exec when process.binary == \"/bin/x\" severity high output \"a\" }\n"
			"rule t.b { on exec when process.binary == \"/bin/x\" severity high output \"b\" }", NULL);
	assert_non_null(rs);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	const int64_t s = 1000000000LL, t0 = 1791975076LL * s;
	struct wt_output *o = wt_output_new(f, 60 * s, 1024);
	struct { int rule; enum wt_pipeline pipe; int64_t at; } seq[] = {
		{0, WT_PIPE_DIRECT, t0}, {1, WT_PIPE_CORRELATION, t0 + 600 * s}, {0, WT_PIPE_DIRECT, t0 + 30 * s}};
	for (size_t i = 0; i < WT_ARRAY_LEN(seq); i++) {
		struct wt_event *e = exec_at(seq[i].at);
		struct wt_threat t = {.rs = rs, .rule = &rs->rules[seq[i].rule], .pipeline = seq[i].pipe, .ev = e};
		wt_output_threat(o, &t);
		wt_event_release(e);
	}
	wt_output_flush(o);
	wt_output_free(o);
	fclose(f);
	/* t.a: its first record and, at the end, one repeat summary of the suppressed one */
	unsigned firsts = 0, repeats = 0;
	for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n"))
		if (strstr(l, "\"rule\":\"t.a\""))
			strstr(l, "\"repeat\":true") ? repeats++ : firsts++;
	assert_int_equal(firsts, 1);
	assert_int_equal(repeats, 1);
	free(text);
	wt_ruleset_free(rs);
	wt_event_pool_drain();
}

static void test_renderings(void **state)
{
	(void)state;
	rs = th_compile("rule t.odd { on exec when process.binary startswith \"/tmp/\" severity high mitre [\"T1059\", \"T1611\"]"
			" tags [\"x\"] output \"odd {process.binary} {process.args}\" }", NULL);
	assert_non_null(rs);
	struct wt_event *e = odd_event();
	struct wt_threat t = {.rs = rs, .rule = &rs->rules[0], .pipeline = WT_PIPE_DIRECT, .ev = e};
	struct wt_dedup_info d = {1, e->time, e->time, false, 0};
	struct wt_buf rec, out;
	wt_buf_init(&rec);
	wt_buf_init(&out);
	wt_output_render(&rec, &t, &d, rs);
	assert_non_null(strstr(rec.p, "\"binary\":\"/tmp/\\ufffd\\\"x]\",\"arguments\":\"a\\nb\\ufffd(\""));
	struct wt_sink_record *r = wt_sink_record_new(&t, &d, rec.p, rec.len);
	assert_int_equal(r->json.len, rec.len);
	assert_memory_equal(r->json.p, rec.p, rec.len);

	wt_sink_syslog_format(&out, r, 16, "test-host", "worktraced", 42);
	assert_string_equal(out.p, "<131>1 2026-10-14T10:51:16.530876Z test-host worktraced 42 threat [worktrace@32473"
			    " rule=\"t.odd\" severity=\"high\" pipeline=\"direct\" workspace=\"ws\\x01\xef\xbf\xbd\xef\xbf\xbd\""
			    " node=\"node 7\" mitre=\"T1059,T1611\" binary=\"/tmp/\xef\xbf\xbd\\\"x\\]\""
			    " count=\"1\" first_seen=\"2026-10-14T10:51:16.530876629Z\" last_seen=\"2026-10-14T10:51:16.530876629Z\""
			    " input_seq=\"9\"] \xef\xbb\xbfodd /tmp/\xef\xbf\xbd\"x] a\\nb\xef\xbf\xbd(");
	out.len = 0;
	wt_sink_alertmanager_format(&out, &r, 1, 1800000000LL * 1000000000LL, 60);
	assert_string_equal(out.p, "[{\"labels\":{\"alertname\":\"t.odd\",\"severity\":\"high\",\"workspace\":\"ws\\u0001\\ufffd\\ufffd\","
			    "\"node\":\"node 7\",\"pipeline\":\"direct\"},\"annotations\":{\"message\":\"odd /tmp/\\ufffd\\\"x] a\\nb\\ufffd(\","
			    "\"mitre\":\"T1059,T1611\",\"evidence\":\"exec /tmp/\\ufffd\\\"x] a\\nb\\ufffd(\","
			    "\"event_time\":\"2026-10-14T10:51:16.530876629Z\",\"first_seen\":\"2026-10-14T10:51:16.530876629Z\","
			    "\"last_seen\":\"2026-10-14T10:51:16.530876629Z\",\"count\":\"1\"},"
			    "\"startsAt\":\"2027-01-15T08:00:00.000000000Z\",\"endsAt\":\"2027-01-15T08:01:00.000000000Z\"}]");
	/* a first record stays active for its dedup window as well; a repeat record does not */
	out.len = 0;
	r->window = 30000000000LL;
	wt_sink_alertmanager_format(&out, &r, 1, 1800000000LL * 1000000000LL, 60);
	assert_non_null(strstr(out.p, "\"endsAt\":\"2027-01-15T08:01:30.000000000Z\"}]"));
	struct wt_dedup_info rep = {2, e->time, e->time, true, 30000000000LL};
	struct wt_sink_record *r2 = wt_sink_record_new(&t, &rep, rec.p, rec.len);
	assert_int_equal(r2->window, 0);
	wt_sink_record_release(r2);
	out.len = 0;
	wt_sink_falcosidekick_format(&out, r, "h");
	assert_non_null(strstr(out.p, "{\"output\":\"10:51:16.530876629: Error odd /tmp/\\ufffd\\\"x] a\\nb\\ufffd(\",\"priority\":\"Error\","));
	assert_non_null(strstr(out.p, "\"source\":\"worktrace\",\"tags\":[\"x\",\"T1059\",\"T1611\"],\"hostname\":\"h\"}"));
	wt_sink_record_release(r);
	wt_buf_free(&rec);
	wt_buf_free(&out);
	wt_event_release(e);
	wt_ruleset_free(rs);
	wt_event_pool_drain();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_parse),
		cmocka_unit_test(test_text_escape),
		cmocka_unit_test(test_renderings),
		cmocka_unit_test(test_dedup_window_per_pipeline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
