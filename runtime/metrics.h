/* Metrics and health over HTTP (libmicrohttpd, its own thread): Prometheus text exposition at
 * /metrics, /healthz and /readyz. Every counter it shows is read with relaxed atomic loads
 * from copies the owning threads publish; nothing here blocks detection. See docs/metrics.md. */
#ifndef WT_METRICS_H
#define WT_METRICS_H

#include "buf.h"
#include "ingest.h"
#include "pipeline.h"

/* Bound on distinct (pipeline, rule, severity) threat series; more share rule="_other". */
#define WT_METRICS_MAX_SERIES 4096

/* Counters of the daemon's reading thread and of reloads, published with wt_pub_store
 * (every field a uint64_t). */
struct wt_daemon_pub {
	struct wt_ingest_stats ingest;
	uint64_t proc_cache_evictions;
	uint64_t last_event_ns;       /* event time of the latest event read (0: none yet) */
	uint64_t ruleset_checksum;    /* CRC-32C from the .wtb header */
	uint64_t ruleset_loaded_ns;   /* wall clock of the last successful load */
	uint64_t ruleset_rules, ruleset_paths, ruleset_rarities;
	uint64_t reloads_ok, reloads_failed;
	uint64_t ready_ruleset, ready_input; /* 0/1 */
};

struct wt_metrics;

/* A registration point for metrics of other parts (sinks): called on the HTTP thread for
 * each scrape; append complete "# HELP/# TYPE" blocks and samples to out, reading shared
 * state with atomics only. */
typedef void (*wt_metrics_collect_fn)(struct wt_buf *out, void *ctx);

struct wt_metrics *wt_metrics_new(void);
/* Sources shown by /metrics; either may be NULL (not shown). Safe while serving: the
 * engine is given once it has started. */
void wt_metrics_watch(struct wt_metrics *m, struct wt_engine *en, const struct wt_daemon_pub *pub);
/* Thread-safe; at most 32 collectors. */
enum wt_err wt_metrics_add_collector(struct wt_metrics *m, wt_metrics_collect_fn fn, void *ctx);
/* Serve on HOST:PORT (IPv4, [IPv6] or localhost; port 0: any free port). */
enum wt_err wt_metrics_listen(struct wt_metrics *m, const char *hostport, char *err, size_t errlen);
/* The bound port (after wt_metrics_listen), else 0. */
unsigned wt_metrics_port(const struct wt_metrics *m);
/* The counter cell of threats of one rule in one pipeline at one severity (stable for the
 * life of m; the same cell for the same triple across reloads). Thread-safe. */
uint64_t *wt_metrics_threat_cell(struct wt_metrics *m, const char *pipeline, const char *rule,
				 const char *severity);
/* Render the exposition (exposed for tests and the summary). */
void wt_metrics_render(struct wt_metrics *m, struct wt_buf *out);
/* Stop serving and free. */
void wt_metrics_free(struct wt_metrics *m);

#endif
