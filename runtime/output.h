/* Output stage: suppresses duplicate threats inside a window of event time and writes each
 * unique threat as one JSON record per line. Runs on the engine's output thread only. */
#ifndef WT_OUTPUT_H
#define WT_OUTPUT_H

#include "buf.h"
#include "pipeline.h"
#include <stdio.h>

struct wt_dedup_info {
	uint64_t count;
	int64_t first_seen, last_seen;
	bool repeat; /* a summary of occurrences suppressed since the first record */
	int64_t window; /* the dedup window applied (0: none): a repeat record can follow this long after */
};

/* Parts of the dedup key (the rule name and pipeline are part of it with WT_DKEY_RULE). */
enum {
	WT_DKEY_RULE = 1,      /* rule name and pipeline */
	WT_DKEY_WORKSPACE = 2, /* workspace id */
	WT_DKEY_PROCESS = 4,   /* process binary */
	WT_DKEY_ARGS = 8,      /* process arguments */
	WT_DKEY_TARGET = 16,   /* hooked function, file path, destination address and port */
	WT_DKEY_ALL = 31
};

/* Dedup policy of one rule (by name): window_ns < 0 and key 0 inherit the global values. */
struct wt_dedup_rule {
	const char *rule;
	int64_t window_ns;
	unsigned key;
};

/* Dedup configuration: global window and key and per-rule overrides (the table is copied). */
struct wt_dedup_config {
	int64_t window_ns;
	unsigned key;
	const struct wt_dedup_rule *rules;
	unsigned n_rules;
};
#define WT_DEDUP_MAX_RULES 4096

/* "rule,workspace,process,args,target" (any subset, comma-separated) or "all". */
bool wt_dedup_key_parse(const char *s, unsigned *key);
/* "RULE=SECONDS[:KEYS]" or "RULE=:KEYS"; rule points into s (modified). */
bool wt_dedup_rule_parse(char *s, struct wt_dedup_rule *out);

struct wt_output_stats {
	uint64_t written, suppressed, repeats, evictions, write_errors;
	uint64_t by_severity[WT_SEV_COUNT];
};

struct wt_output *wt_output_new(FILE *out, int64_t dedup_window_ns, uint32_t dedup_entries);
void wt_output_free(struct wt_output *o);
/* Replace the window and key set by wt_output_new with a global key and per-rule policies. */
void wt_output_set_dedup(struct wt_output *o, const struct wt_dedup_config *cfg);
/* Also hand every record written to these sinks (not owned). */
struct wt_sinks;
void wt_output_set_sinks(struct wt_output *o, struct wt_sinks *sinks);
/* Takes ownership of t->extra (freed here or when its dedup entry closes). */
void wt_output_threat(struct wt_output *o, const struct wt_threat *t);
/* Push written records to the stream (called when no threat is waiting). */
void wt_output_sync(struct wt_output *o);
/* Emit pending repeat summaries and flush the stream (end of input, shutdown). */
void wt_output_flush(struct wt_output *o);
const struct wt_output_stats *wt_output_stats(const struct wt_output *o);
/* errno of the first failed write of threat records, 0 when none failed. */
int wt_output_error(const struct wt_output *o);

/* Render one threat record (no trailing newline) into b. */
void wt_output_render(struct wt_buf *b, const struct wt_threat *t, const struct wt_dedup_info *d,
		      const struct wt_ruleset *rs);
/* Render a rule's output template for an event. */
void wt_output_message(struct wt_buf *b, const struct wt_rt_rule *r, const struct wt_event *ev);

#endif
