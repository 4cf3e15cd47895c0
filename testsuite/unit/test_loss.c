/* Unit tests of the loss-signal table (runtime/loss.c): cgroup names to workspaces, the
 * window, the rings of recent episodes and reports, and the table's bound. */
#include "helpers.h"
#include "loss.h"
#include "workspace.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEC 1000000000LL
static struct wt_json_decoder *dec;
static struct wt_event_builder b;
static struct wt_loss loss;
static struct wt_workspace_config ws;

static int setup(void **state)
{
	(void)state;
	dec = wt_json_decoder_new();
	wt_event_builder_init(&b);
	wt_loss_init(&loss, 60 * SEC);
	char err[128];
	assert_int_equal(wt_workspace_config_init(&ws, NULL, NULL, NULL, err, sizeof err), WT_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	wt_loss_free(&loss);
	wt_event_builder_free(&b);
	wt_json_decoder_free(dec);
	wt_workspace_config_free(&ws);
	return 0;
}

static const struct wt_event *feed(const char *fmt, ...) WT_PRINTF(1, 2);
static const struct wt_event *feed(const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line - WT_JSON_PADDING, fmt, ap);
	va_end(ap);
	memset(line + n, 0, WT_JSON_PADDING);
	char err[256];
	if (wt_json_decode(dec, line, (size_t)n, &b, err, sizeof err) != WT_OK)
		fail_msg("decode: %s", err);
	wt_workspace_resolve(&ws, &b);
	wt_loss_note(&loss, &b);
	return &b.ev;
}

#define CID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
static const struct wt_event *exec_at(int sec, const char *node, const char *cid, const char *wsid)
{
	if (!cid)
		return feed("{\"process_exec\":{\"process\":{\"exec_id\":\"x\",\"binary\":\"/bin/sh\"}},\"node_name\":\"%s\","
			    "\"time\":\"2026-10-14T10:%02d:%02dZ\"}",
			    node, sec / 60, sec % 60);
	return feed("{\"process_exec\":{\"process\":{\"exec_id\":\"x\",\"binary\":\"/bin/sh\",\"pod\":{\"namespace\":\"ns\","
		    "\"name\":\"p\",\"container\":{\"id\":\"containerd://%s\"},\"pod_labels\":{\"worktrace.io/workspace\":\"%s\"}}}},"
		    "\"node_name\":\"%s\",\"time\":\"2026-10-14T10:%02d:%02dZ\"}",
		    cid, wsid, node, sec / 60, sec % 60);
}

static void throttle_at(int sec, const char *type, const char *cgroup, const char *node)
{
	feed("{\"process_throttle\":{\"type\":\"%s\",\"cgroup\":\"%s\"},\"node_name\":\"%s\",\"time\":\"2026-10-14T10:%02d:%02dZ\"}",
	     type, cgroup, node, sec / 60, sec % 60);
}

static void rate_limit_at(int sec, int dropped, const char *node)
{
	feed("{\"rate_limit_info\":{\"number_of_dropped_process_events\":%d},\"node_name\":\"%s\",\"time\":\"2026-10-14T10:%02d:%02dZ\"}",
	     dropped, node, sec / 60, sec % 60);
}

static void test_no_signal_no_gap(void **state)
{
	(void)state;
	const struct wt_event *ev = exec_at(10, "n1", CID, "w");
	assert_int_equal(ev->gap.throttled, 0);
	assert_int_equal(ev->gap.rate_limited, 0);
	assert_int_equal(loss.stamped, 0);
	assert_int_equal(loss.n, 0);
}

static void test_cgroup_names(void **state)
{
	(void)state;
	/* docker scope, upper-case id: the container's workspace */
	throttle_at(1, "THROTTLE_START", "docker-" "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF" ".scope", "n1");
	/* a pod-level slice: counted, never attributed (not to the host either) */
	throttle_at(1, "THROTTLE_START", "kubepods-burstable-pod5f3c2a1b_7d4e_4c1a_9f00_123456789abc.slice", "n1");
	/* a cgroupfs id too short to be a container: not the host's */
	throttle_at(1, "THROTTLE_START", "abcdef0123456789", "n1");
	/* the node's own session */
	throttle_at(1, "THROTTLE_START", "user@1000.service", "n1");
	assert_int_equal(loss.n, 4);
	assert_int_equal(loss.active, 4);
	const struct wt_event *ev = exec_at(5, "n1", CID, "alice");
	assert_int_equal(ev->gap.throttled, 1);
	ev = exec_at(6, "n1", NULL, NULL); /* host:n1 */
	assert_int_equal(ev->gap.throttled, 1);
	ev = exec_at(7, "n1", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "bob");
	assert_int_equal(ev->gap.throttled, 0);
	/* another container of alice's workspace: matched by the workspace learned above */
	ev = exec_at(8, "n1", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "alice");
	assert_int_equal(ev->gap.throttled, 1);
	/* the same container id on another node is another cgroup */
	ev = exec_at(9, "n2", CID, "alice");
	assert_int_equal(ev->gap.throttled, 0);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	wt_loss_report(&loss, out, 50);
	fclose(out);
	assert_non_null(strstr(text, "cgroup=kubepods-burstable-pod5f3c2a1b_7d4e_4c1a_9f00_123456789abc.slice workspace=- "
				     "throttle_starts=1 throttle_stops=0 (still throttled)\n"));
	assert_non_null(strstr(text, "cgroup=abcdef0123456789 workspace=- "));
	assert_non_null(strstr(text, "cgroup=user@1000.service workspace=host:n1 "));
	assert_non_null(strstr(text, ".scope workspace=alice throttle_starts=1"));
	free(text);
}

static void test_window_and_rings(void **state)
{
	(void)state;
	/* ten short episodes, 2 s each, every 5 s from t=0; only the last 8 are remembered */
	for (int i = 0; i < 10; i++) {
		throttle_at(i * 5, "THROTTLE_START", "cri-containerd-" CID ".scope", "n1");
		throttle_at(i * 5 + 2, "THROTTLE_STOP", "cri-containerd-" CID ".scope", "n1");
	}
	assert_int_equal(loss.active, 0);
	assert_int_equal(loss.throttle_starts, 10);
	assert_int_equal(loss.throttle_stops, 10);
	const struct wt_event *ev = exec_at(48, "n1", CID, "alice");
	assert_int_equal(ev->gap.throttled, 8); /* episodes 2..9 remembered, all in [-12 s, 48 s] */
	assert_int_equal(ev->gap.window_s, 60);
	ev = exec_at(100, "n1", CID, "alice"); /* window [40, 100]: episodes at 40 and 45 */
	assert_int_equal(ev->gap.throttled, 2);
	/* a stop without its start: throttled since an unknown time */
	throttle_at(110, "THROTTLE_STOP", "cri-containerd-" CID ".scope", "n1");
	ev = exec_at(105, "n1", CID, "alice"); /* [45, 105]: the episode at 45 and the open-ended one */
	assert_int_equal(ev->gap.throttled, 2);
	ev = exec_at(171, "n1", CID, "alice"); /* [111, 171]: the stop at 110 is out */
	assert_int_equal(ev->gap.throttled, 0);
	/* rate-limit reports: the last 8 of 10, inside the window, on the event's node */
	for (int i = 0; i < 10; i++)
		rate_limit_at(200 + i, 100 + i, "n1");
	ev = exec_at(230, "n1", NULL, NULL);
	assert_int_equal(ev->gap.rate_limited, 102 + 103 + 104 + 105 + 106 + 107 + 108 + 109);
	assert_int_equal(loss.rate_limited, 1045);
	assert_int_equal(loss.rate_limit_reports, 10);
	ev = exec_at(230, "n2", NULL, NULL);
	assert_int_equal(ev->gap.rate_limited, 0);
	ev = exec_at(270, "n1", NULL, NULL); /* [210, 270]: every report is older */
	assert_int_equal(ev->gap.rate_limited, 0);
}

static void test_bound(void **state)
{
	(void)state;
	char cg[64];
	for (int i = 0; i < WT_LOSS_ENTRIES + 10; i++) {
		snprintf(cg, sizeof cg, "session-%d.scope", i);
		throttle_at(1, "THROTTLE_START", cg, "n1");
	}
	rate_limit_at(2, 5, "n1"); /* the node's entry does not fit either */
	assert_int_equal(loss.n, WT_LOSS_ENTRIES);
	assert_int_equal(loss.overflow, 11);
	assert_int_equal(loss.throttle_starts, WT_LOSS_ENTRIES + 10);
	assert_int_equal(loss.rate_limited, 5);
	const struct wt_event *ev = exec_at(3, "n1", NULL, NULL);
	assert_int_equal(ev->gap.throttled, WT_LOSS_ENTRIES);
	assert_int_equal(ev->gap.rate_limited, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_signal_no_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cgroup_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window_and_rings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bound, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
