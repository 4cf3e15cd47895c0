/* The behavioral pipeline: runs the ruleset's rarity specs over every event, keeps their
 * fleet baselines (baseline.c), reports rare keys as threats, and saves/loads the
 * baselines in a state directory. Owned by the behavioral pipeline thread. */
#ifndef WT_BEHAVIOR_H
#define WT_BEHAVIOR_H

#include "baseline.h"
#include "ruleset.h"
#include "vm.h"

struct wt_behavior_opts {
	const char *state_dir;        /* NULL: baselines live in memory only */
	int64_t snapshot_interval_ns; /* event time between snapshots (<= 0: default) */
	struct wt_baseline_limits limits; /* zero fields: defaults */
};

/* extra: the JSON member "rarity" for the threat record (the callee owns it);
 * dedup: a hash of the spec's key, so repeats of one rare key are deduplicated. */
typedef void (*wt_behavior_emit_fn)(void *ctx, const struct wt_rt_rarity *spec, struct wt_event *ev, char *extra,
				    uint64_t dedup);

struct wt_behavior_stats {
	uint64_t evaluated;      /* (event, spec) pairs whose kind matched */
	uint64_t learned;        /* ... whose condition held: counted into the baseline */
	uint64_t warming;        /* ... judged while the population was still warming up */
	uint64_t flagged;        /* rare keys reported */
	uint64_t excepted;       /* rare keys an exception suppressed */
	uint64_t keys_truncated; /* key text longer than WT_MAX_RARITY_KEY_BYTES */
	uint64_t clock_skew;     /* events without a plausible time or more than a day from the latest: judged at the latest time */
	uint64_t snapshots, snapshot_errors;
	unsigned specs_loaded;   /* specs restored from the state directory at start */
	struct wt_baseline_stats baseline;
};

struct wt_behavior;

/* Creates the baselines and, with a state directory, loads its snapshot (a missing, corrupt
 * or incompatible one is reported on stderr and learning starts over). */
struct wt_behavior *wt_behavior_new(const struct wt_ruleset *rs, const struct wt_behavior_opts *o,
				    wt_behavior_emit_fn emit, void *ctx);
void wt_behavior_event(struct wt_behavior *b, struct wt_vm *vm, struct wt_event *ev);
/* Switch to another ruleset (a reload): the baselines of rarity specs whose name, key
 * definition and population did not change carry over; the others start learning anew.
 * *kept / *reset count the new ruleset's enabled specs. */
void wt_behavior_rebind(struct wt_behavior *b, const struct wt_ruleset *rs, unsigned *kept, unsigned *reset);
/* Save now (end of input, shutdown); no-op without a state directory. */
void wt_behavior_flush(struct wt_behavior *b);
const struct wt_behavior_stats *wt_behavior_stats(struct wt_behavior *b);
void wt_behavior_free(struct wt_behavior *b);

/* Stable 64-bit hash of bytes (stored in snapshots: never change it). */
uint64_t wt_behavior_hash(const void *p, size_t n, uint64_t seed);

#endif
