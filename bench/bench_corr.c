/* Correlation throughput for `make bench`: the correlation engine alone, single-threaded,
 * over a ruleset's paths (default: the stdlib), with 10,000 keys (workspaces) holding live
 * partial matches. Prints events/s and bytes per live partial match.
 * usage: bench_corr RULESET.wtb [EVENTS] [KEYS] */
#include "correlate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct tmpl {
	enum wt_kind kind;
	const char *binary, *args, *function, *daddr;
	int64_t dport;
};

/* A developer-like mix: most events match no step; some start or advance partial matches. */
static const struct tmpl mix[] = {
	{WT_KIND_EXEC, "/usr/bin/git", "status", NULL, NULL, 0},
	{WT_KIND_EXEC, "/usr/bin/tar", "czf /tmp/src.tgz src", NULL, NULL, 0},
	{WT_KIND_EXEC, "/usr/bin/ls", "-la", NULL, NULL, 0},
	{WT_KIND_EXEC, "/usr/bin/curl", "-fsSL -o tool https://example.com/tool", NULL, NULL, 0},
	{WT_KIND_EXEC, "/usr/bin/make", "-j8", NULL, NULL, 0},
	{WT_KIND_KPROBE, "/usr/bin/python3", "app.py", "tcp_connect", "10.0.0.7", 5432},
	{WT_KIND_EXEC, "/usr/bin/id", "", NULL, NULL, 0},
	{WT_KIND_EXEC, "/usr/bin/go", "build ./...", NULL, NULL, 0},
	{WT_KIND_KPROBE, "/usr/bin/node", "server.js", "tcp_connect", "203.0.113.9", 443},
	{WT_KIND_EXEC, "/usr/bin/vim", "main.go", NULL, NULL, 0},
};

static uint64_t emitted;

static void emit(void *ctx, const struct wt_rt_path *path, struct wt_event *ev, char *extra)
{
	(void)ctx;
	(void)path;
	(void)ev;
	free(extra);
	emitted++;
}

static struct wt_event *make(struct wt_event_builder *b, const struct tmpl *t, unsigned key, uint64_t i, int64_t time)
{
	char ws[32], id[48], dport[8];
	wt_event_builder_reset(b);
	struct wt_event *ev = &b->ev;
	ev->kind = t->kind;
	ev->time = time;
	ev->seq = i + 1;
	snprintf(ws, sizeof ws, "ws-%u", key);
	snprintf(id, sizeof id, "exec-%llu", (unsigned long long)i);
	ev->ws_id = wt_event_builder_add(b, ws, strlen(ws));
	ev->proc.present = true;
	ev->proc.binary = wt_event_builder_add(b, t->binary, strlen(t->binary));
	ev->proc.args = wt_event_builder_add(b, t->args, strlen(t->args));
	ev->proc.exec_id = wt_event_builder_add(b, id, strlen(id));
	ev->proc.cwd = wt_event_builder_add(b, "/home/dev/project", 17);
	if (t->function) {
		ev->function = wt_event_builder_add(b, t->function, strlen(t->function));
		ev->sock.present = true;
		ev->sock.daddr = wt_event_builder_add(b, t->daddr, strlen(t->daddr));
		ev->sock.dport = t->dport;
		ev->n_args = 1;
		ev->args[0].type = WT_ARG_SOCK;
		ev->args[0].label = wt_event_builder_add(b, "", 0);
		ev->args[0].s = ev->sock.daddr;
		ev->args[0].i = t->dport;
		(void)dport;
	}
	return wt_event_finish(b, 1);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_corr RULESET.wtb [EVENTS] [KEYS]\n");
		return 2;
	}
	uint64_t n = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
	unsigned keys = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 10000;
	char err[512];
	struct wt_ruleset *rs;
	if (wt_ruleset_load(argv[1], &rs, err, sizeof err) != WT_OK) {
		fprintf(stderr, "bench_corr: %s\n", err);
		return 2;
	}
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	struct wt_vm vm;
	wt_vm_init(&vm);
	struct wt_corr *c = wt_corr_new(rs, 0, emit, NULL);
	int64_t t0 = 1762768800000000000LL; /* 2025-11-10T10:00:00Z */
	/* warm-up: every key gets partial matches (an archive and a download) */
	for (unsigned k = 0; k < keys; k++)
		for (int j = 1; j <= 3; j += 2) {
			struct wt_event *ev = make(&b, &mix[j], k, k * 2 + (unsigned)j, t0);
			wt_corr_event(c, &vm, ev);
			wt_event_release(ev);
		}
	/* pre-build the measured events: the engine is timed, not the builder */
	struct wt_event **evs = malloc(n * sizeof *evs);
	for (uint64_t i = 0; i < n; i++)
		evs[i] = make(&b, &mix[i % WT_ARRAY_LEN(mix)], (unsigned)(i * 7919 % keys), 100000 + i,
			      t0 + (int64_t)(i * 100000)); /* 10k events/s of event time */
	double a = now();
	for (uint64_t i = 0; i < n; i++)
		wt_corr_event(c, &vm, evs[i]);
	double z = now();
	const struct wt_corr_stats *st = wt_corr_stats(c);
	printf("correlation: %u paths, %llu events over %u keys: %.0f events/s; live partial matches %llu over %llu keys, "
	       "%.0f bytes per partial match; threats %llu, evicted %llu, expired %llu\n",
	       rs->n_paths, (unsigned long long)n, keys, (double)n / (z - a), (unsigned long long)st->live,
	       (unsigned long long)st->keys, st->live ? (double)st->bytes / (double)st->live : 0.0,
	       (unsigned long long)emitted, (unsigned long long)st->evicted, (unsigned long long)st->expired);
	for (uint64_t i = 0; i < n; i++)
		wt_event_release(evs[i]);
	free(evs);
	wt_corr_free(c);
	wt_vm_free(&vm);
	wt_event_builder_free(&b);
	wt_ruleset_free(rs);
	wt_event_pool_drain();
	return 0;
}
