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
};

void wt_vm_init(struct wt_vm *vm);
void wt_vm_free(struct wt_vm *vm);
/* True when the rule matches the event. The code must come from a verified ruleset. */
bool wt_vm_run(struct wt_vm *vm, const struct wt_ruleset *rs, const struct wt_rt_rule *r,
	       const struct wt_event *ev);

/* Transforms, exposed for tests: each returns false when the result is absent. */
bool wt_transform_normpath(struct wt_vm *vm, const char *s, uint32_t len, const char **out, uint32_t *out_len);
bool wt_transform_b64decode(struct wt_vm *vm, const char *s, uint32_t len, const char **out, uint32_t *out_len);
bool wt_glob_match(const char *pat, uint32_t plen, const char *s, uint32_t slen, bool nocase);

#endif
