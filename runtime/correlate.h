/* The correlation engine: ordered multi-step attack paths inside a time window, per key.
 * Single-threaded (the correlation pipeline thread, or `wtc test`); semantics and bounds
 * are described in docs/correlation.md. */
#ifndef WT_CORRELATE_H
#define WT_CORRELATE_H

#include "ruleset.h"
#include "vm.h"

struct wt_corr_stats {
	uint64_t live;      /* partial matches alive now */
	uint64_t peak;      /* most alive at once */
	uint64_t started;   /* partial matches created */
	uint64_t evicted;   /* dropped at a bound (per key or total), oldest first */
	uint64_t expired;   /* dropped when event time passed their window */
	uint64_t cancelled; /* dropped by an `until` step */
	uint64_t negated;   /* dropped by a `not step` */
	uint64_t excepted;  /* completed but covered by an exception */
	uint64_t threats;   /* completed paths reported */
	uint64_t truncated; /* evidence strings cut at WT_CORR_EVIDENCE_STR bytes */
	uint64_t keys;      /* keys with partial matches now */
	uint64_t bytes;     /* bytes held by partial matches now */
};

/* Called for each completed path with the completing event and the JSON members
 * `"key":...,"evidence":[...]` (malloc'd; ownership passes to the callee). */
typedef void (*wt_corr_emit_fn)(void *ctx, const struct wt_rt_path *path, struct wt_event *ev, char *extra);

struct wt_corr;

/* max_partials: bound on live partial matches over all paths and keys (0: default). */
struct wt_corr *wt_corr_new(const struct wt_ruleset *rs, uint32_t max_partials, wt_corr_emit_fn emit, void *ctx);
/* Events this much older than a partial match's latest step still advance it (default 2 s:
 * real exports are not strictly time-ordered). */
void wt_corr_set_tolerance(struct wt_corr *c, int64_t ns);
void wt_corr_free(struct wt_corr *c);
/* Feed one enriched event (events in input order; up to WT_CORR_SKEW_NS out of time order). */
void wt_corr_event(struct wt_corr *c, struct wt_vm *vm, struct wt_event *ev);
const struct wt_corr_stats *wt_corr_stats(const struct wt_corr *c);
/* Move to another ruleset (a reload): partial matches of a path survive when the new ruleset
 * has a path of the same name and shape (steps, their kinds of repetition, captures, key);
 * the others are freed. *kept and *dropped count the partial matches. */
void wt_corr_rebind(struct wt_corr *c, const struct wt_ruleset *rs, uint64_t *kept, uint64_t *dropped);

#endif
