/* The rule VM: evaluates one verified rule's code against one event. Pure: no side
 * effects beyond its own scratch state, so pipeline threads each own one struct wt_vm. */
#ifndef WT_VM_H
#define WT_VM_H

#include "ruleset.h"

struct wt_vm {
	void *match_data; /* pcre2_match_data * */
	uint64_t evals;
};

void wt_vm_init(struct wt_vm *vm);
void wt_vm_free(struct wt_vm *vm);
/* True when the rule matches the event. The code must come from a verified ruleset. */
bool wt_vm_run(struct wt_vm *vm, const struct wt_ruleset *rs, const struct wt_rt_rule *r,
	       const struct wt_event *ev);

#endif
