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
};

struct wt_output_stats {
	uint64_t written, suppressed, repeats, evictions, write_errors;
	uint64_t by_severity[WT_SEV_COUNT];
};

struct wt_output *wt_output_new(FILE *out, int64_t dedup_window_ns, uint32_t dedup_entries);
void wt_output_free(struct wt_output *o);
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
