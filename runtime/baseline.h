/* The behavioral pipeline's statistical engine ("fleet rarity"): per rarity spec, decayed
 * counts of keys in a baseline population, the distinct workspaces behind each key, which
 * workspace did what before, and a verdict "rare or not" for each event. Bounded memory
 * allocated up front, persisted across restarts as one snapshot file.
 *
 * Model, per spec:
 *  - A population is the baseline an event is judged against: the whole fleet (one
 *    population), one workspace, or one container image (pop_hash from the caller; for
 *    WT_POP_FLEET it is ignored and taken as 0). Warm-up is judged per population.
 *  - A key is counted per (population, key). Its entry holds the decayed count, the time it
 *    was last seen and up to WT_SPREAD_MAX distinct workspaces (32-bit fingerprints) that
 *    did it; beyond that the spread saturates at WT_SPREAD_MAX.
 *  - Decay is exponential on EVENT time with the spec's half-life, implemented as forward
 *    decay: an event at time t adds 2^((t - landmark) / halflife) and counts are read back
 *    by dividing by 2^((now - landmark) / halflife); the landmark moves forward (a rescale
 *    of every stored weight, counted) when that exponent passes 256. "now" is the latest
 *    event time seen by the spec: an out-of-order event is judged at that time and adds its
 *    own (smaller) weight; it never moves the landmark backwards. The engine trusts event
 *    time: one far-future timestamp ages the whole baseline, so callers clamp times.
 *  - Observe = judge then learn: the verdict is computed against the baseline as it was,
 *    then the event is added (population total and events, key count, spread, first).
 *
 * Verdict: warm when the population has seen warmup_events events or its age (this event's
 * time - the earliest time the population was observed or touched) reached warmup_ns, whichever comes
 * first (neither set: warm at once). rare = warm and every enabled threshold holds (strict <):
 * frequency = count / total, decayed count, distinct workspaces, first in this workspace.
 * score = -log2(p), p = (count + 1) / (total + 2): the add-one (Laplace) estimate of the
 * probability of this key in its population, in bits. An unseen key of an empty baseline
 * scores 1; every halving of p adds 1; it is defined whether or not the key is rare.
 *
 * Bounds (per spec, from struct wt_baseline_limits, 0 = default of wt_limits.h):
 *  - keys_per_spec live key entries in an open-addressing table of ceil(1.25 x limit) + 1
 *    slots of 56 bytes (70 bytes per key of limit: 1,048,576 keys = 70 MiB). A new key when
 *    the limit is reached evicts the entry with the lowest decayed count among the 8
 *    occupied slots from its home slot (key_evictions).
 *  - populations_per_spec populations (32-byte slots, same 1.25 sizing); a new population
 *    at the limit evicts the one with the lowest decayed total nearby (population_evictions);
 *    its keys stay, and if it comes back it warms up again.
 *  - firsts_per_spec remembered (workspace, population, key) fingerprints (12-byte slots),
 *    kept only for specs with first_in_workspace; at the limit the least recently seen
 *    nearby is forgotten (first_evictions), and that pair would be "first" again.
 *
 * Snapshot: DIR/baseline.wtsnap, format at the top of baseline_snap.c. Specs are restored only
 * when name, ident and population all match; counts are stored decayed to the spec's
 * latest event time, so a changed half-life or threshold keeps what was learned.
 *
 * Thread model: one thread owns a struct wt_baseline; there are no locks. */
#ifndef WT_BASELINE_H
#define WT_BASELINE_H

#include "wt.h"

enum wt_population { WT_POP_FLEET = 0, WT_POP_WORKSPACE = 1, WT_POP_IMAGE = 2 };

/* File name of the snapshot inside the state directory. */
#define WT_BASELINE_FILE "baseline.wtsnap"

struct wt_baseline_spec {
	const char *name; /* unique in a ruleset, 1..WT_MAX_BASELINE_NAME bytes; copied */
	uint32_t ident;   /* identity hash of the key definition: a snapshot's spec state is
			   * reused only when name AND ident (and pop) match */
	enum wt_population pop;
	/* thresholds: a key is rare when every enabled one holds (strict <); at least one */
	bool has_freq;
	double max_freq; /* frequency = count / total < max_freq */
	bool has_count;
	double max_count; /* decayed count < max_count */
	bool has_spread;
	uint32_t max_spread;     /* distinct workspaces that did it < max_spread (1..WT_SPREAD_MAX) */
	bool first_in_workspace; /* this workspace never did it before (bounded memory) */
	uint64_t warmup_events;  /* population events before flagging; 0 = not used */
	int64_t warmup_ns;       /* population age before flagging; 0 = not used. Warm when EITHER
				  * given condition holds; neither given = warm at once */
	int64_t halflife_ns;     /* exponential decay half-life on event time; 0 = no decay */
};

/* Per-spec bounds; 0 = WT_DEFAULT_BASELINE_{KEYS,FIRSTS,POPULATIONS}; at most
 * WT_MAX_BASELINE_TABLE. NULL = all defaults. */
struct wt_baseline_limits {
	uint32_t keys_per_spec, firsts_per_spec, populations_per_spec;
};

struct wt_rarity_verdict {
	bool warm, rare;            /* rare implies warm */
	double count, total;        /* decayed, at "now" (see above), BEFORE this event is added */
	double frequency;           /* count / total (0 when total is 0) */
	uint32_t workspaces;        /* distinct workspaces before this event; saturates at WT_SPREAD_MAX */
	bool first_in_workspace;    /* only computed for specs with first_in_workspace; else false */
	int64_t baseline_age_ns;    /* t_ns - earliest event time of the population; 0 for a new
				     * population or an event older than that */
	uint64_t population_events; /* undecayed events of the population before this one */
	double score;               /* -log2((count + 1) / (total + 2)), see above */
};

struct wt_baseline_stats {
	uint64_t keys, key_evictions;               /* live key entries; evicted at the bound */
	uint64_t firsts, first_evictions;           /* remembered (workspace, key) pairs; forgotten */
	uint64_t populations, population_evictions; /* live populations; evicted */
	uint64_t rescales;                          /* forward-decay landmark moves */
	uint64_t bytes;                             /* table memory allocated */
};

struct wt_baseline;

/* Validates the specs (unique non-empty names, population, max_spread 1..WT_SPREAD_MAX,
 * finite thresholds, at least one threshold, non-negative times) and the limits, and
 * allocates every table. NULL with a message in err on invalid input or when the tables
 * cannot be allocated. n may be 0. */
struct wt_baseline *wt_baseline_new(const struct wt_baseline_spec *specs, unsigned n,
				    const struct wt_baseline_limits *lim, char *err, size_t errlen);
void wt_baseline_free(struct wt_baseline *b);

unsigned wt_baseline_spec_count(const struct wt_baseline *b);
/* Index of the spec with this name, or -1. */
int wt_baseline_spec_index(const struct wt_baseline *b, const char *name);
const char *wt_baseline_spec_name(const struct wt_baseline *b, unsigned spec);

/* Judge then learn: compute the verdict against the baseline as it was, then add the event.
 * key_hash, pop_hash and ws_hash are the caller's 64-bit hashes of the key, the population
 * (ignored for WT_POP_FLEET) and the workspace. spec out of range: *out zeroed, nothing
 * learned. */
void wt_baseline_observe(struct wt_baseline *b, unsigned spec, uint64_t key_hash, uint64_t pop_hash,
			 uint64_t ws_hash, int64_t t_ns, struct wt_rarity_verdict *out);

/* The population was observed at time t (any event of the fleet, workspace or image, not
 * only the spec's): its age, which time-based warm-up reads, runs from its first
 * observation, so a spec that matches nothing for hours is warm when its first match comes.
 * Nothing is counted. */
void wt_baseline_touch(struct wt_baseline *b, unsigned spec, uint64_t pop_hash, int64_t t);

/* Latest event time any spec has seen (restored from a snapshot or observed), 0 if none. */
int64_t wt_baseline_now(const struct wt_baseline *b);

/* The clock was wrong and the real time is t, earlier than the baselines' clock: what they
 * hold at their latest time is taken as their state at t (decay so far folded into the
 * weights, the landmark and latest time set to t, later first-seen times brought to t), so
 * events at t are counted at full weight again. Specs already at or before t are left. */
void wt_baseline_rewind(struct wt_baseline *b, int64_t t);

/* Write DIR/baseline.wtsnap atomically: a temporary file in DIR, fsync, rename, fsync of
 * DIR. WT_E_IO with a message in err on failure (the previous snapshot stays). */
enum wt_err wt_baseline_save(struct wt_baseline *b, const char *dir, char *err, size_t errlen);
/* Load DIR's snapshot if present, replacing the state of the specs it restores (call it
 * before observing). WT_OK with *loaded = specs restored, and in msg what was restored and
 * which specs were ignored and why (0 and a message when there is no file). WT_E_CORRUPT
 * (bad size, checksum or content) / WT_E_VERSION (another major format version) / WT_E_IO:
 * message in msg and the state untouched, so learning starts over. The whole file is
 * verified before anything is used; no byte sequence crashes it. Restoring into smaller
 * limits keeps the highest counts (keys), highest totals (populations) and the most
 * recently seen pairs (firsts); the rest are counted as evictions and named in msg.
 * Temporary files of saves killed half-way (untouched for 10 minutes) are removed first.
 * Records of specs that are not in b are kept and written back by every later save. */
enum wt_err wt_baseline_load(struct wt_baseline *b, const char *dir, unsigned *loaded, char *msg,
			     size_t msglen);

/* Move the learned state of every spec of src whose name, ident and population match a
 * spec of dst (and whose tables have the same bounds) into dst (a ruleset reload); the
 * thresholds are dst's. src keeps empty tables for them. Returns the specs moved. */
unsigned wt_baseline_adopt(struct wt_baseline *dst, struct wt_baseline *src);

/* Summed over specs; wt_baseline_spec_stats for one spec (zeroed when out of range). */
void wt_baseline_stats(const struct wt_baseline *b, struct wt_baseline_stats *out);
void wt_baseline_spec_stats(const struct wt_baseline *b, unsigned spec, struct wt_baseline_stats *out);

#endif
