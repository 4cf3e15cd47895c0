/* Unit tests of the process cache's pod filling and in-place exec linking, through the real
 * decoder and workspace resolution (the ingest order: decode, cache, resolve). */
#include "helpers.h"
#include "proccache.h"
#include "workspace.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct wt_json_decoder *dec;
static struct wt_event_builder b;
static struct wt_proccache pc;
static struct wt_workspace_config ws;

static int setup(void **state)
{
	(void)state;
	dec = wt_json_decoder_new();
	wt_event_builder_init(&b);
	wt_proccache_init(&pc, 64);
	char err[128];
	assert_int_equal(wt_workspace_config_init(&ws, NULL, NULL, NULL, err, sizeof err), WT_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	wt_proccache_free(&pc);
	wt_event_builder_free(&b);
	wt_json_decoder_free(dec);
	wt_workspace_config_free(&ws);
	return 0;
}

/* Decode, enrich and resolve one line; the event stays valid until the next call. */
static const struct wt_event *feed(const char *json)
{
	size_t n = strlen(json);
	char *line = calloc(1, n + WT_JSON_PADDING);
	memcpy(line, json, n);
	char err[256];
	enum wt_err e = wt_json_decode(dec, line, n, &b, err, sizeof err);
	free(line);
	if (e != WT_OK)
		fail_msg("decode: %s", err);
	wt_proccache_enrich(&pc, &b);
	wt_workspace_resolve(&ws, &b);
	return &b.ev;
}

static const char *str(struct wt_str s)
{
	static char out[4][256];
	static int k;
	k = (k + 1) % 4;
	if (!wt_str_present(s))
		return "<absent>";
	snprintf(out[k], sizeof out[k], "%.*s", (int)s.len, b.buf + s.off);
	return out[k];
}

#define POD(ns, ws)                                                                                \
	"\"pod\":{\"namespace\":\"" ns "\",\"name\":\"" ns "-0\",\"container\":{\"id\":\"containerd://c1\",\"name\":"  \
	"\"dev\",\"image\":{\"id\":\"i\",\"name\":\"img:1\"}},\"pod_labels\":{\"worktrace.io/workspace\":\"" ws   \
	"\",\"worktrace.io/owner\":\"" ws "@example.com\"},\"workload\":\"" ns "\"}"

static const char *exec_line(const char *id, int pid, const char *parent, const char *bin, const char *node,
			     const char *pod)
{
	static char line[2048];
	snprintf(line, sizeof line,
		 "{\"process_exec\":{\"process\":{\"exec_id\":\"%s\",\"pid\":%d,\"binary\":\"%s\",\"parent_exec_id\":\"%s\"%s%s}},"
		 "\"node_name\":\"%s\",\"time\":\"2026-10-14T10:00:00Z\"}",
		 id, pid, bin, parent, pod ? "," : "", pod ? pod : "", node);
	return line;
}

static const char *kprobe_line(const char *id, int pid, const char *node)
{
	static char line[1024];
	snprintf(line, sizeof line,
		 "{\"process_kprobe\":{\"process\":{\"exec_id\":\"%s\",\"pid\":%d,\"binary\":\"/usr/bin/cat\"},"
		 "\"function_name\":\"security_file_permission\",\"args\":[{\"file_arg\":{\"path\":\"/etc/shadow\"}}]},"
		 "\"node_name\":\"%s\",\"time\":\"2026-10-14T10:00:01Z\"}",
		 id, pid, node);
	return line;
}

static void test_kprobe_gets_pod_of_cached_exec(void **state)
{
	(void)state;
	feed(exec_line("P", 10, "I", "/bin/bash", "n1", POD("ws-alice", "alice-api")));
	const struct wt_event *ev = feed(exec_line("C", 11, "P", "/usr/bin/cat", "n1", POD("ws-alice", "alice-api")));
	assert_string_equal(str(ev->ws_id), "alice-api");
	ev = feed(kprobe_line("C", 11, "n1"));
	assert_true(ev->pod.present);
	assert_string_equal(str(ev->pod.ns), "ws-alice");
	assert_string_equal(str(ev->pod.container_name), "dev");
	assert_string_equal(str(ev->pod.image), "img:1");
	assert_int_equal(ev->pod.n_labels, 2);
	assert_string_equal(str(ev->ws_id), "alice-api");
	assert_string_equal(str(ev->ws_owner), "alice-api@example.com");
	assert_string_equal(str(ev->parent.binary), "/bin/bash");
	assert_int_equal(pc.pod_filled, 1);
	/* both processes share one interned pod */
	assert_int_equal(pc.n_pods, 1);
	/* a kprobe of a process never seen stays on the host */
	ev = feed(kprobe_line("X", 12, "n1"));
	assert_false(ev->pod.present);
	assert_string_equal(str(ev->ws_id), "host:n1");
	assert_int_equal(pc.pod_filled, 1);
}

static void test_pod_seen_after_parent_copy(void **state)
{
	(void)state;
	/* P is first known only as the parent block of C's exec (no pod); its own exec brings it */
	feed("{\"process_exec\":{\"process\":{\"exec_id\":\"C\",\"pid\":21,\"binary\":\"/usr/bin/id\",\"parent_exec_id\":\"P\"},"
	     "\"parent\":{\"exec_id\":\"P\",\"pid\":20,\"binary\":\"/bin/sh\"}},\"node_name\":\"n1\",\"time\":\"2026-10-14T10:00:00Z\"}");
	const struct wt_event *ev = feed(kprobe_line("P", 20, "n1"));
	assert_string_equal(str(ev->ws_id), "host:n1");
	feed(exec_line("P", 20, "I", "/bin/sh", "n1", POD("ws-bob", "bob-ml")));
	ev = feed(kprobe_line("P", 20, "n1"));
	assert_string_equal(str(ev->ws_id), "bob-ml");
}

static void test_inplace_exec_parent_is_old(void **state)
{
	(void)state;
	/* sh -c "exec ls": Tetragon reports ls with the same pid, parent = the sh it replaced */
	feed(exec_line("SH", 30, "IDE", "/bin/sh", "n1", POD("ws-carol", "carol-web")));
	const struct wt_event *ev = feed(exec_line("LS", 30, "SH", "/usr/bin/ls", "n1", NULL));
	assert_int_equal(pc.inplace, 1);
	assert_string_equal(str(ev->ws_id), "carol-web");
	assert_string_equal(str(ev->parent.binary), "/bin/sh");
	ev = feed(kprobe_line("LS", 30, "n1"));
	assert_string_equal(str(ev->ws_id), "carol-web");
	/* the replaced process is retired: another exec of the same pid no longer links to it,
	 * but links to its replacement */
	ev = feed(exec_line("LS2", 30, "LS", "/usr/bin/ls", "n1", NULL));
	assert_int_equal(pc.inplace, 2);
	assert_string_equal(str(ev->ws_id), "carol-web");
	assert_int_equal(ev->n_ancestors, 2);
	assert_string_equal(str(ev->ancestors[0]), "/usr/bin/ls");
	assert_string_equal(str(ev->ancestors[1]), "/bin/sh");
}

static void test_inplace_exec_same_parent(void **state)
{
	(void)state;
	feed(exec_line("A1", 40, "SHELL", "/usr/bin/npm", "n1", POD("ws-dave", "dave-app")));
	const struct wt_event *ev = feed(exec_line("A2", 40, "SHELL", "/usr/bin/node", "n1", NULL));
	assert_int_equal(pc.inplace, 1);
	assert_string_equal(str(ev->ws_id), "dave-app");
	/* a repeated record of the same exec is not an in-place exec */
	feed(exec_line("A2", 40, "SHELL", "/usr/bin/node", "n1", NULL));
	assert_int_equal(pc.inplace, 1);
}

static void test_not_inplace(void **state)
{
	(void)state;
	feed(exec_line("B1", 50, "PARENT1", "/bin/bash", "n1", POD("ws-erin", "erin-nb")));
	/* same pid, unrelated parent: a reused pid */
	const struct wt_event *ev = feed(exec_line("B2", 50, "OTHER", "/usr/bin/top", "n1", NULL));
	assert_int_equal(pc.inplace, 0);
	assert_string_equal(str(ev->ws_id), "host:n1");
	/* same pid and parent on another node */
	ev = feed(exec_line("B3", 50, "PARENT1", "/usr/bin/top", "n2", NULL));
	assert_int_equal(pc.inplace, 0);
	assert_string_equal(str(ev->ws_id), "host:n2");
	/* the old process exited: its pid is free */
	feed(exec_line("D1", 60, "PARENT2", "/bin/bash", "n1", POD("ws-erin", "erin-nb")));
	feed("{\"process_exit\":{\"process\":{\"exec_id\":\"D1\",\"pid\":60,\"binary\":\"/bin/bash\"}},"
	     "\"node_name\":\"n1\",\"time\":\"2026-10-14T10:00:02Z\"}");
	ev = feed(exec_line("D2", 60, "PARENT2", "/usr/bin/vim", "n1", NULL));
	assert_int_equal(pc.inplace, 0);
	assert_string_equal(str(ev->ws_id), "host:n1");
}

static void test_eviction_releases_pods(void **state)
{
	(void)state;
	wt_proccache_free(&pc);
	wt_proccache_init(&pc, 2);
	feed(exec_line("E1", 71, "I", "/bin/a", "n1", POD("ws-a", "a")));
	feed(exec_line("E2", 72, "I", "/bin/b", "n1", POD("ws-b", "b")));
	assert_int_equal(pc.n_pods, 2);
	feed(exec_line("E3", 73, "I", "/bin/c", "n1", POD("ws-b", "b")));
	feed(exec_line("E4", 74, "I", "/bin/d", "n1", POD("ws-b", "b")));
	/* E1 and E2 evicted ("I" is not cached): only ws-b's pod is left */
	assert_int_equal(pc.n, 2);
	assert_int_equal(pc.n_pods, 1);
	const struct wt_event *ev = feed(kprobe_line("E1", 71, "n1"));
	assert_string_equal(str(ev->ws_id), "host:n1");
	ev = feed(kprobe_line("E4", 74, "n1"));
	assert_string_equal(str(ev->ws_id), "b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kprobe_gets_pod_of_cached_exec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pod_seen_after_parent_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inplace_exec_parent_is_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inplace_exec_same_parent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_inplace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eviction_releases_pods, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
