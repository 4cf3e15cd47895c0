/* The rule VM: evaluates one verified rule's code against one event. Pure: no side
 * effects beyond its own scratch state, so pipeline threads each own one struct wt_vm. */
#ifndef WT_VM_H
#define WT_VM_H

#include "ruleset.h"

/* Scratch bytes for transform results (lower, normpath, b64decode, tokens) per evaluation;
 * a transform that does not fit yields an absent value and is counted. */
#define WT_VM_SCRATCH (64u << 10)

struct wt_vm {
	void *match_data; /* pcre2_match_data * */
	char *scratch;
	size_t used;
	uint64_t evals;
	uint64_t scratch_exhausted;
	const struct wt_cidr *cluster; /* addrclass(): the cluster's own ranges (not owned) */
	unsigned n_cluster;
};

void wt_vm_init(struct wt_vm *vm);
void wt_vm_free(struct wt_vm *vm);
/* True when the rule matches the event. The code must come from a verified ruleset. */
bool wt_vm_run(struct wt_vm *vm, const struct wt_ruleset *rs, const struct wt_rt_rule *r,
	       const struct wt_event *ev);

/* A value captured by a path step, read by LOAD_CAPTURE (the bytes stay owned by the
 * correlation engine's partial match). */
struct wt_capture_val {
	enum wt_type type; /* WT_T_STR, WT_T_INT or WT_T_BOOL */
	bool present;
	const char *s;
	uint32_t len;
	int64_t i;
};

/* Run verified code starting at instruction code_start (a path step or exception);
 * LOAD_CAPTURE c reads captures[c] (the verifier bounded c by the path's capture count). */
bool wt_vm_run_code(struct wt_vm *vm, const struct wt_ruleset *rs, uint32_t code_start,
		    const struct wt_event *ev, const struct wt_capture_val *captures);

/* Evaluate a rarity key's code (verified; it leaves one value) and append its text to
 * buf[*len..cap): a string as is, an integer in decimal, a boolean as true/false, a list as
 * its elements joined by a space, an absent value as "<absent>". Text that does not fit is
 * cut. Returns false when the value was absent. */
bool wt_vm_key(struct wt_vm *vm, const struct wt_ruleset *rs, uint32_t code_start, const struct wt_event *ev,
	       char *buf, size_t cap, size_t *len);

/* Transforms, exposed for tests: each returns false when the result is absent. */
bool wt_transform_normpath(struct wt_vm *vm, const char *s, uint32_t len, const char **out, uint32_t *out_len);
bool wt_transform_b64decode(struct wt_vm *vm, const char *s, uint32_t len, const char **out, uint32_t *out_len);
bool wt_glob_match(const char *pat, uint32_t plen, const char *s, uint32_t slen, bool nocase);

#endif
