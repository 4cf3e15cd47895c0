/* A loaded ruleset: a verified .wtb plus what the runtime builds from it once (compiled
 * regexes, hashed sets, parsed output templates, rules indexed by event kind). Immutable
 * after loading and shared read-only by every pipeline thread. */
#ifndef WT_RULESET_H
#define WT_RULESET_H

#include "addr.h"
#include "bytecode.h"
#include "event.h"

struct wt_strset_slot {
	const char *s;
	uint32_t len, hash;
};

struct wt_rt_set {
	uint32_t type; /* WT_SET_STR, WT_SET_INT or WT_SET_CIDR */
	uint32_t n;
	uint32_t mask;                /* strings: open-addressing table of mask + 1 slots */
	struct wt_strset_slot *slots;
	int64_t *ints;                /* ints: sorted */
	struct wt_cidr *cidrs;        /* CIDR ranges */
};

struct wt_tmpl_part {
	int field; /* -1: literal */
	const char *lit;
	uint32_t len;
};

struct wt_rt_rule {
	uint32_t index;
	const char *name;
	const struct wt_bc_rule *bc;
	struct wt_tmpl_part *tmpl;
	uint32_t n_tmpl;
	uint64_t *threat_count; /* metrics cell counted (relaxed atomic) per threat; set by the
				 * daemon before the engine sees the ruleset; NULL: none */
};

/* A correlation path as loaded. as_rule carries the name, severity, mitre, tags and output
 * in a rule record, so the output stage renders path threats exactly like rule threats. */
struct wt_rt_path {
	uint32_t index;
	const char *name;
	const struct wt_bc_path *bc;
	const struct wt_bc_step *steps;
	int64_t window;
	uint32_t kinds;          /* every kind one of its steps (or until) reads */
	uint32_t n_positive;
	struct wt_bc_rule as_rule;
	struct wt_rt_rule rule;  /* rule.bc == &as_rule */
};

/* A rarity spec as loaded; as_rule/rule as in paths. */
struct wt_rt_rarity {
	uint32_t index;
	const char *name;
	const struct wt_bc_rarity *bc;
	const struct wt_bc_key *keys;
	int64_t warmup_events, warmup_ns, halflife;
	struct wt_bc_rule as_rule;
	struct wt_rt_rule rule;
};

/* Literal-key index of one field: value -> rules (sorted by rule index). */
struct wt_index_slot {
	const char *key;
	uint32_t len, hash;
	uint32_t first, n; /* into wt_index_field.rules */
};

struct wt_index_field {
	uint16_t field;
	uint32_t mask;
	struct wt_index_slot *slots;
	uint32_t *rules;
};

struct wt_ruleset {
	struct wt_bc bc;
	struct wt_rt_set *sets;
	void **regexes; /* pcre2_code * */
	struct wt_rt_rule *rules;
	uint32_t *by_kind[WT_KIND_COUNT];   /* every enabled rule of the kind */
	uint32_t n_by_kind[WT_KIND_COUNT];
	uint32_t *unindexed[WT_KIND_COUNT]; /* enabled rules of the kind without an index key */
	uint32_t n_unindexed[WT_KIND_COUNT];
	struct wt_index_field *ifields;
	uint32_t n_ifields;
	uint32_t n_enabled;
	struct wt_rt_path *paths;
	uint32_t n_paths;
	uint32_t n_paths_enabled;
	struct wt_rt_rarity *rarities;
	uint32_t n_rarities;
	uint32_t n_rarities_enabled;
	uint32_t refs; /* wt_ruleset_ref/unref (atomic); 1 after loading */
};

/* Load, verify and prepare a ruleset file. On failure err holds a one-line reason that
 * names the file. */
enum wt_err wt_ruleset_load(const char *path, struct wt_ruleset **out, char *err, size_t errlen);
/* Prepare an already verified image (takes ownership of bc's memory). */
enum wt_err wt_ruleset_from_bc(struct wt_bc *bc, struct wt_ruleset **out, char *err, size_t errlen);
/* WT_RULESET_NO_JIT: interpret regexes (exercisers and fuzzers that load thousands of
 * rulesets; matching results are identical). */
#define WT_RULESET_NO_JIT 1u
enum wt_err wt_ruleset_from_bc_flags(struct wt_bc *bc, unsigned flags, struct wt_ruleset **out, char *err,
				     size_t errlen);
void wt_ruleset_free(struct wt_ruleset *rs);
/* Shared ownership across threads (a reload retires a ruleset while pipelines, queued
 * threats and dedup entries still use it): unref frees it when the last holder lets go. */
void wt_ruleset_ref(const struct wt_ruleset *rs);
void wt_ruleset_unref(const struct wt_ruleset *rs);

/* The enabled rules that can match ev, in rule order: the kind's unindexed rules plus the
 * rules indexed under the event's value of each indexed field. out holds n_by_kind[kind]. */
uint32_t wt_ruleset_candidates(const struct wt_ruleset *rs, const struct wt_event *ev, uint32_t *out);

bool wt_rt_set_has_str(const struct wt_rt_set *set, const char *s, uint32_t len);
bool wt_rt_set_has_int(const struct wt_rt_set *set, int64_t v);

#endif
