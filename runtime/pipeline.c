/* Pipeline threads and event fan-out. The direct pipeline runs, for each event, the
 * enabled rules indexed under its kind and reports each match; the correlation pipeline
 * feeds every event to the correlation engine (correlate.c); the behavioral pipeline
 * runs the rarity specs against the fleet baselines (behavior.c). */
#include "pipeline.h"
#include "output.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const wt_pipeline_names[WT_PIPE_COUNT] = {"direct", "correlation", "behavioral"};

struct worker {
	struct wt_engine *en;
	enum wt_pipeline which;
};

static void report(struct wt_engine *en, enum wt_pipeline p, const struct wt_rt_rule *r, struct wt_event *ev,
		   char *extra, uint64_t dedup)
{
	struct wt_threat *t = wt_xmalloc(sizeof *t);
	t->rs = en->rs;
	t->rule = r;
	t->pipeline = p;
	t->ev = ev;
	t->extra = extra;
	t->dedup = dedup;
	__atomic_add_fetch(&ev->refs, 1, __ATOMIC_ACQ_REL);
	pthread_mutex_lock(&en->threats_mu);
	/* Threats are never dropped silently: when the output stage cannot keep up in live mode
	 * the loss is counted and shown in the summary and metrics. */
	enum wt_err e = wt_queue_push(&en->threats, t, en->lossless);
	pthread_mutex_unlock(&en->threats_mu);
	if (e != WT_OK) {
		__atomic_add_fetch(&en->threats_dropped, 1, __ATOMIC_RELAXED);
		wt_event_release(ev);
		free(t->extra);
		free(t);
		return;
	}
	__atomic_add_fetch(&en->stats[p].threats, 1, __ATOMIC_RELAXED);
}

static void corr_emit(void *ctx, const struct wt_rt_path *path, struct wt_event *ev, char *extra)
{
	report(ctx, WT_PIPE_CORRELATION, &path->rule, ev, extra, 0);
}

static void behavior_emit(void *ctx, const struct wt_rt_rarity *spec, struct wt_event *ev, char *extra, uint64_t dedup)
{
	report(ctx, WT_PIPE_BEHAVIORAL, &spec->rule, ev, extra, dedup);
}

static void *pipeline_main(void *arg)
{
	struct worker *w = arg;
	struct wt_engine *en = w->en;
	struct wt_queue *q = &en->in[w->which];
	struct wt_vm vm;
	wt_vm_init(&vm);
	vm.cluster = en->cluster;
	vm.n_cluster = en->n_cluster;
	uint32_t max_rules = 1;
	for (int k = 0; k < WT_KIND_COUNT; k++)
		if (en->rs->n_by_kind[k] > max_rules)
			max_rules = en->rs->n_by_kind[k];
	uint32_t *cand = wt_xcalloc(max_rules, sizeof *cand);
	struct wt_corr *corr = NULL;
	if (w->which == WT_PIPE_CORRELATION && en->rs->n_paths_enabled) {
		corr = wt_corr_new(en->rs, en->corr_partials, corr_emit, en);
		if (en->corr_tolerance_ns >= 0)
			wt_corr_set_tolerance(corr, en->corr_tolerance_ns);
	}
	struct wt_behavior *beh = NULL;
	if (w->which == WT_PIPE_BEHAVIORAL && en->rs->n_rarities_enabled)
		beh = wt_behavior_new(en->rs, &en->behavior, behavior_emit, en);
	void *item;
	while (wt_queue_pop(q, &item) == WT_OK) {
		struct wt_event *ev = item;
		__atomic_add_fetch(&en->stats[w->which].received, 1, __ATOMIC_RELAXED);
		if (en->slow_pipeline_us[w->which])
			usleep(en->slow_pipeline_us[w->which]);
		if (w->which == WT_PIPE_DIRECT) {
			const struct wt_ruleset *rs = en->rs;
			uint32_t n = wt_ruleset_candidates(rs, ev, cand);
			for (uint32_t i = 0; i < n; i++) {
				const struct wt_rt_rule *r = &rs->rules[cand[i]];
				if (wt_vm_run(&vm, rs, r, ev))
					report(en, WT_PIPE_DIRECT, r, ev, NULL, 0);
			}
		} else if (corr) {
			wt_corr_event(corr, &vm, ev);
		} else if (beh) {
			wt_behavior_event(beh, &vm, ev);
		}
		wt_event_release(ev);
	}
	if (corr) {
		en->corr = *wt_corr_stats(corr); /* read by the main thread after the join */
		wt_corr_free(corr);
	}
	if (beh) {
		wt_behavior_flush(beh);
		en->beh = *wt_behavior_stats(beh); /* read by the main thread after the join */
		wt_behavior_free(beh);
	}
	wt_vm_free(&vm);
	free(cand);
	free(w);
	return NULL;
}

static void *output_main(void *arg)
{
	struct wt_engine *en = arg;
	void *item;
	while (wt_queue_pop(&en->threats, &item) == WT_OK) {
		struct wt_threat *t = item;
		wt_output_threat(en->output, t);
		wt_event_release(t->ev);
		free(t);
		if (wt_queue_depth(&en->threats) == 0)
			wt_output_sync(en->output); /* flush once the burst is written, not per record */
	}
	wt_output_flush(en->output);
	return NULL;
}

enum wt_err wt_engine_start(struct wt_engine *en, const struct wt_ruleset *rs, struct wt_output *out,
			    uint32_t queue_size, bool lossless)
{
	en->rs = rs;
	en->output = out;
	en->lossless = lossless;
	for (int p = 0; p < WT_PIPE_COUNT; p++)
		wt_queue_init(&en->in[p], queue_size);
	wt_queue_init(&en->threats, WT_THREAT_QUEUE);
	pthread_mutex_init(&en->threats_mu, NULL);
	if (pthread_create(&en->out_thread, NULL, output_main, en) != 0)
		return WT_E_NOMEM;
	pthread_setname_np(en->out_thread, "wt-output");
	for (int p = 0; p < WT_PIPE_COUNT; p++) {
		struct worker *w = wt_xmalloc(sizeof *w);
		w->en = en;
		w->which = (enum wt_pipeline)p;
		if (pthread_create(&en->thread[p], NULL, pipeline_main, w) != 0)
			return WT_E_NOMEM;
		char tname[16];
		snprintf(tname, sizeof tname, "wt-%.12s", wt_pipeline_names[p]);
		pthread_setname_np(en->thread[p], tname); /* visible in top -H, perf, gdb */
	}
	return WT_OK;
}

void wt_engine_publish(struct wt_engine *en, struct wt_event *ev)
{
	for (int p = 0; p < WT_PIPE_COUNT; p++) {
		if (wt_queue_push(&en->in[p], ev, en->lossless) != WT_OK) {
			en->stats[p].dropped++;
			wt_event_release(ev);
		}
	}
}

void wt_engine_kick(struct wt_engine *en)
{
	for (int p = 0; p < WT_PIPE_COUNT; p++)
		wt_queue_kick(&en->in[p]);
}

void wt_engine_stop(struct wt_engine *en)
{
	for (int p = 0; p < WT_PIPE_COUNT; p++)
		wt_queue_close(&en->in[p]);
	for (int p = 0; p < WT_PIPE_COUNT; p++)
		pthread_join(en->thread[p], NULL);
	wt_queue_close(&en->threats);
	pthread_join(en->out_thread, NULL);
	for (int p = 0; p < WT_PIPE_COUNT; p++)
		wt_queue_destroy(&en->in[p]);
	wt_queue_destroy(&en->threats);
	pthread_mutex_destroy(&en->threats_mu);
}
