/* Tetragon's own loss signals: process_throttle (per cgroup) and rate_limit_info (per node)
 * counted in a bounded table, and every other event stamped with the signals that touched
 * its workspace or node in the window before it (ev->gap), so a threat record can say its
 * picture may be incomplete. Owned by the ingest thread. */
#ifndef WT_LOSS_H
#define WT_LOSS_H

#include "event.h"
#include <stdio.h>

struct wt_loss_entry;

struct wt_loss {
	struct wt_loss_entry *e;
	uint32_t n;
	uint64_t overflow;            /* signals of nodes or cgroups past the table's bound */
	int64_t window;               /* ns of event time before an event that count for it */
	int64_t min_signal, max_signal; /* event-time span of the signals seen */
	uint32_t active;              /* cgroups in a throttle episode now */
	uint64_t throttle_starts, throttle_stops, rate_limit_reports, rate_limited;
	uint64_t stamped; /* events stamped with a gap */
};

void wt_loss_init(struct wt_loss *l, int64_t window_ns);
void wt_loss_free(struct wt_loss *l);
/* A throttle or rate_limit_info event is recorded; any other event of a workspace (after
 * workspace resolution) gets ev->gap. */
void wt_loss_note(struct wt_loss *l, struct wt_event_builder *b);
/* One line per node and cgroup with signals (at most `max` lines, then a count of the rest). */
void wt_loss_report(const struct wt_loss *l, FILE *out, unsigned max);

#endif
