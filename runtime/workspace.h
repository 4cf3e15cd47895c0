/* Workspace resolution: which workspace (id, owner) an event belongs to, from pod labels,
 * the namespace, or the node's host context for events outside any pod. */
#ifndef WT_WORKSPACE_H
#define WT_WORKSPACE_H

#include "event.h"

#define WT_DEFAULT_WORKSPACE_LABEL "worktrace.io/workspace"
#define WT_DEFAULT_OWNER_LABEL "worktrace.io/owner"

struct wt_workspace_config {
	const char *workspace_label; /* pod label holding the workspace id */
	const char *owner_label;     /* pod label holding the owner */
	const char *workspace_annotation, *owner_annotation; /* pod annotations, after the labels;
							     * NULL (after init): not used */
	void *ns_pattern;            /* pcre2_code *, optional: named groups (?<workspace>) (?<owner>) */
	void *match_data;
};

/* Compile the namespace pattern (NULL for none). On error writes a message. */
enum wt_err wt_workspace_config_init(struct wt_workspace_config *cfg, const char *ws_label,
				     const char *owner_label, const char *ns_pattern, char *err, size_t errlen);
void wt_workspace_config_free(struct wt_workspace_config *cfg);
void wt_workspace_resolve(const struct wt_workspace_config *cfg, struct wt_event_builder *b);

#endif
