/* The detection engine: three pipeline threads (direct, correlation, behavioral), each fed
 * by its own bounded queue, and the output thread they all report threats to. */
#ifndef WT_PIPELINE_H
#define WT_PIPELINE_H

#include "behavior.h"
#include "correlate.h"
#include "queue.h"
#include "ruleset.h"
#include "vm.h"
#include <stdio.h>

/* Threats waiting for the output stage; in live mode more are dropped and counted. */
#define WT_THREAT_QUEUE 65536

enum wt_pipeline { WT_PIPE_DIRECT, WT_PIPE_CORRELATION, WT_PIPE_BEHAVIORAL, WT_PIPE_COUNT };
extern const char *const wt_pipeline_names[WT_PIPE_COUNT];

struct wt_threat {
	const struct wt_ruleset *rs;
	const struct wt_rt_rule *rule;
	enum wt_pipeline pipeline;
	struct wt_event *ev; /* one reference held by the threat */
	char *extra;         /* correlation: JSON members "key" and "evidence"; behavioral: the
			      * member "rarity"; else NULL. The output stage owns and frees it */
	uint64_t dedup;      /* non-zero: identity for deduplication instead of the event's
			      * binary, arguments, hook, file and destination (behavioral: the key) */
};

struct wt_output;

struct wt_pipeline_stats {
	uint64_t received; /* events taken from the queue and processed */
	uint64_t dropped;  /* events refused because the queue was full (live mode) */
	uint64_t threats;
};

struct wt_engine {
	const struct wt_ruleset *rs;
	bool lossless; /* replay: ingest waits for queue space instead of dropping */
	struct wt_queue in[WT_PIPE_COUNT];
	struct wt_queue threats;
	pthread_mutex_t threats_mu; /* serializes the pipelines' pushes into `threats` */
	pthread_t thread[WT_PIPE_COUNT], out_thread;
	struct wt_pipeline_stats stats[WT_PIPE_COUNT];
	uint64_t threats_dropped;
	struct wt_output *output;
	unsigned slow_pipeline_us[WT_PIPE_COUNT]; /* test hook: per-event delay */
	uint32_t corr_partials;        /* bound on live partial matches (0: default) */
	int64_t corr_tolerance_ns;     /* out-of-order tolerance of correlation (< 0: default) */
	struct wt_corr_stats corr;     /* the correlation engine's counters when it stopped */
	struct wt_behavior_opts behavior; /* state directory, snapshot interval, baseline bounds */
	struct wt_behavior_stats beh;  /* the behavioral pipeline's counters when it stopped */
	const struct wt_cidr *cluster; /* addrclass(): the cluster's ranges */
	unsigned n_cluster;
	/* Copies of counters owned by one thread, published by it with relaxed atomic stores
	 * (wt_pub_store) for the metrics thread (wt_pub_load): */
	struct wt_corr_stats corr_pub;     /* by the correlation pipeline */
	struct wt_behavior_stats beh_pub;  /* by the behavioral pipeline */
	struct wt_output_stats_pub {
		uint64_t written, suppressed, repeats, evictions, write_errors;
	} out_pub;                         /* by the output thread */
	/* reloads: per pipeline, rulesets switched to; what rebinding by name kept (atomic) */
	uint64_t reloads[WT_PIPE_COUNT];
	uint64_t reload_partials_kept, reload_partials_dropped, reload_specs_kept, reload_specs_reset;
};

/* Word-wise relaxed atomic copies of counter structs (n a multiple of 8). */
static inline void wt_pub_store(void *dst, const void *src, size_t n)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	for (size_t i = 0; i < n / 8; i++)
		__atomic_store_n(&d[i], s[i], __ATOMIC_RELAXED);
}

static inline void wt_pub_load(void *dst, const void *src, size_t n)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	for (size_t i = 0; i < n / 8; i++)
		d[i] = __atomic_load_n(&s[i], __ATOMIC_RELAXED);
}

/* Single-writer counter increment that another thread may read with a relaxed load. */
#define WT_STAT_INC(x) __atomic_store_n(&(x), __atomic_load_n(&(x), __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED)

/* Start the threads. The output stage must be created first. */
enum wt_err wt_engine_start(struct wt_engine *en, const struct wt_ruleset *rs, struct wt_output *out,
			    uint32_t queue_size, bool lossless);
/* Hand one finished event (refs == WT_PIPE_COUNT) to every pipeline; never blocks unless
 * lossless. Takes ownership of the event. */
void wt_engine_publish(struct wt_engine *en, struct wt_event *ev);
/* The producer is about to wait for input: wake pipelines sleeping on a partial batch. */
void wt_engine_kick(struct wt_engine *en);
/* Switch every pipeline to rs, in input order: events published before the call are judged
 * by the ruleset they were published under, events after it by rs. Takes a reference on rs
 * per pipeline (the caller keeps its own); correlation partial matches and behavioral
 * baselines move over for paths and rarity specs whose names (and shapes) did not change.
 * Blocks until every queue has room for the switch. */
void wt_engine_reload(struct wt_engine *en, const struct wt_ruleset *rs);
/* Close the queues, let the pipelines drain, stop the output stage. */
void wt_engine_stop(struct wt_engine *en);

#endif
