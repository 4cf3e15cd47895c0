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
	const struct wt_ruleset *rs; /* this pipeline's ruleset (one reference) */
};

/* A ruleset switch travels through the queues as a tagged pointer (events are aligned). */
#define RELOAD_TAG ((uintptr_t)1)

static void report(struct worker *w, const struct wt_rt_rule *r, struct wt_event *ev, char *extra, uint64_t dedup)
{
	struct wt_engine *en = w->en;
	enum wt_pipeline p = w->which;
	struct wt_threat *t = wt_xmalloc(sizeof *t);
	t->rs = w->rs;
	t->rule = r;
	t->pipeline = p;
	t->ev = ev;
	t->extra = extra;
	t->dedup = dedup;
	__atomic_add_fetch(&ev->refs, 1, __ATOMIC_ACQ_REL);
	wt_ruleset_ref(w->rs);
	pthread_mutex_lock(&en->threats_mu);
	/* Threats are never dropped silently: when the output stage cannot keep up in live mode
	 * the loss is counted and shown in the summary and metrics. */
	enum wt_err e = wt_queue_push(&en->threats, t, en->lossless);
	pthread_mutex_unlock(&en->threats_mu);
	if (e != WT_OK) {
		__atomic_add_fetch(&en->threats_dropped, 1, __ATOMIC_RELAXED);
		wt_event_release(ev);
		wt_ruleset_unref(w->rs);
		free(t->extra);
		free(t);
		return;
	}
	__atomic_add_fetch(&en->stats[p].threats, 1, __ATOMIC_RELAXED);
	if (r->threat_count)
		__atomic_add_fetch(r->threat_count, 1, __ATOMIC_RELAXED);
}

static void corr_emit(void *ctx, const struct wt_rt_path *path, struct wt_event *ev, char *extra)
{
	report(ctx, &path->rule, ev, extra, 0);
}

static void behavior_emit(void *ctx, const struct wt_rt_rarity *spec, struct wt_event *ev, char *extra, uint64_t dedup)
{
	report(ctx, &spec->rule, ev, extra, dedup);
}

static uint32_t *candidates_buffer(const struct wt_ruleset *rs, uint32_t *old)
{
	uint32_t max_rules = 1;
	for (int k = 0; k < WT_KIND_COUNT; k++)
		if (rs->n_by_kind[k] > max_rules)
			max_rules = rs->n_by_kind[k];
	free(old);
	return wt_xcalloc(max_rules, sizeof(uint32_t));
}

static struct wt_corr *corr_create(struct worker *w)
{
	struct wt_engine *en = w->en;
	struct wt_corr *corr = wt_corr_new(w->rs, en->corr_partials, corr_emit, w);
	if (en->corr_tolerance_ns >= 0)
		wt_corr_set_tolerance(corr, en->corr_tolerance_ns);
	return corr;
}

static void publish(struct worker *w, struct wt_corr *corr, struct wt_behavior *beh)
{
	if (corr)
		wt_pub_store(&w->en->corr_pub, wt_corr_stats(corr), sizeof w->en->corr_pub);
	if (beh)
		wt_pub_store(&w->en->beh_pub, wt_behavior_stats(beh), sizeof w->en->beh_pub);
}

/* Switch this pipeline to the ruleset the marker carries, keeping state by name. */
static void switch_ruleset(struct worker *w, const struct wt_ruleset *rs, struct wt_corr **corr,
			   struct wt_behavior **beh, uint32_t **cand)
{
	struct wt_engine *en = w->en;
	const struct wt_ruleset *old = w->rs;
	w->rs = rs;
	if (w->which == WT_PIPE_DIRECT)
		*cand = candidates_buffer(rs, *cand);
	if (w->which == WT_PIPE_CORRELATION) {
		if (*corr) {
			uint64_t kept = 0, dropped = 0;
			wt_corr_rebind(*corr, rs, &kept, &dropped);
			if (dropped)
				fprintf(stderr, "worktraced: reload: correlation dropped %llu partial match(es) of removed or "
					"changed paths, kept %llu\n", (unsigned long long)dropped, (unsigned long long)kept);
			__atomic_add_fetch(&en->reload_partials_kept, kept, __ATOMIC_RELAXED);
			__atomic_add_fetch(&en->reload_partials_dropped, dropped, __ATOMIC_RELAXED);
		} else if (rs->n_paths_enabled) {
			*corr = corr_create(w);
		}
	}
	if (w->which == WT_PIPE_BEHAVIORAL) {
		if (*beh) {
			unsigned kept = 0, reset = 0;
			wt_behavior_rebind(*beh, rs, &kept, &reset);
			if (reset)
				fprintf(stderr, "worktraced: reload: %u rarity baseline(s) start over (new, or key or population "
					"changed), %u kept\n", reset, kept);
			__atomic_add_fetch(&en->reload_specs_kept, kept, __ATOMIC_RELAXED);
			__atomic_add_fetch(&en->reload_specs_reset, reset, __ATOMIC_RELAXED);
		} else if (rs->n_rarities_enabled) {
			*beh = wt_behavior_new(rs, &en->behavior, behavior_emit, w);
		}
	}
	publish(w, *corr, *beh);
	wt_ruleset_unref(old);
	__atomic_add_fetch(&en->reloads[w->which], 1, __ATOMIC_RELEASE);
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
	uint32_t *cand = candidates_buffer(w->rs, NULL);
	struct wt_corr *corr = NULL;
	if (w->which == WT_PIPE_CORRELATION && w->rs->n_paths_enabled)
		corr = corr_create(w);
	struct wt_behavior *beh = NULL;
	if (w->which == WT_PIPE_BEHAVIORAL && w->rs->n_rarities_enabled)
		beh = wt_behavior_new(w->rs, &en->behavior, behavior_emit, w);
	publish(w, corr, beh);
	void *item;
	uint64_t n = 0;
	while (wt_queue_pop(q, &item) == WT_OK) {
		if ((uintptr_t)item & RELOAD_TAG) {
			switch_ruleset(w, (const struct wt_ruleset *)((uintptr_t)item & ~RELOAD_TAG), &corr, &beh, &cand);
			continue;
		}
		struct wt_event *ev = item;
		if (en->slow_pipeline_us[w->which])
			usleep(en->slow_pipeline_us[w->which]);
		if (w->which == WT_PIPE_DIRECT) {
			const struct wt_ruleset *rs = w->rs;
			uint32_t nc = wt_ruleset_candidates(rs, ev, cand);
			for (uint32_t i = 0; i < nc; i++) {
				const struct wt_rt_rule *r = &rs->rules[cand[i]];
				if (wt_vm_run(&vm, rs, r, ev))
					report(w, r, ev, NULL, 0);
			}
		} else if (corr) {
			wt_corr_event(corr, &vm, ev);
		} else if (beh) {
			wt_behavior_event(beh, &vm, ev);
		}
		wt_event_release(ev);
		if ((corr || beh) && ((++n & 1023) == 0 || wt_queue_depth(q) == 0))
			publish(w, corr, beh);
		/* after the work and its publication: a reader that sees the count sees its state */
		__atomic_add_fetch(&en->stats[w->which].received, 1, __ATOMIC_RELEASE);
	}
	if (corr) {
		en->corr = *wt_corr_stats(corr); /* read by the main thread after the join */
		wt_pub_store(&en->corr_pub, &en->corr, sizeof en->corr_pub);
		wt_corr_free(corr);
	}
	if (beh) {
		wt_behavior_flush(beh);
		en->beh = *wt_behavior_stats(beh); /* read by the main thread after the join */
		wt_pub_store(&en->beh_pub, &en->beh, sizeof en->beh_pub);
		wt_behavior_free(beh);
	}
	wt_ruleset_unref(w->rs);
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
		wt_ruleset_unref(t->rs);
		free(t);
		const struct wt_output_stats *os = wt_output_stats(en->output);
		struct wt_output_stats_pub pub = {os->written, os->suppressed, os->repeats, os->evictions, os->write_errors};
		wt_pub_store(&en->out_pub, &pub, sizeof pub);
		if (wt_queue_depth(&en->threats) == 0)
			wt_output_sync(en->output); /* flush once the burst is written, not per record */
	}
	wt_output_flush(en->output);
	const struct wt_output_stats *os = wt_output_stats(en->output);
	struct wt_output_stats_pub pub = {os->written, os->suppressed, os->repeats, os->evictions, os->write_errors};
	wt_pub_store(&en->out_pub, &pub, sizeof pub);
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
		w->rs = rs;
		wt_ruleset_ref(rs);
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
			WT_STAT_INC(en->stats[p].dropped);
			wt_event_release(ev);
		}
	}
}

void wt_engine_reload(struct wt_engine *en, const struct wt_ruleset *rs)
{
	_Static_assert(_Alignof(struct wt_ruleset) > 1, "tagged ruleset pointers need alignment");
	en->rs = rs;
	for (int p = 0; p < WT_PIPE_COUNT; p++) {
		wt_ruleset_ref(rs);
		wt_queue_push(&en->in[p], (void *)((uintptr_t)rs | RELOAD_TAG), true); /* never dropped */
	}
	wt_engine_kick(en);
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
