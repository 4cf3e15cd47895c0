/* Tetragon TracingPolicies as wtc sees them: the hooks they make Tetragon report and the
 * arguments each hook's events carry, and the check that every rule, path step and rarity
 * spec on hook events can be satisfied by one of them (W0009). */
#ifndef WT_POLICY_H
#define WT_POLICY_H

#include "compile.h"

/* What an argument of a hook's events carries (Tetragon's argument types, grouped by the
 * JSON member they produce and the Worktrace fields that read it). */
enum wt_parg { WT_PARG_OTHER, WT_PARG_STRING, WT_PARG_INT, WT_PARG_FILE, WT_PARG_SOCK, WT_PARG_MODULE,
	       WT_PARG_CRED, WT_PARG_CAP };

struct wt_phook {
	char *name;          /* as events report it: function_name, subsys/event, hook, symbol */
	enum wt_kind kind;   /* KPROBE, TRACEPOINT, LSM or UPROBE */
	enum wt_parg args[WT_MAX_ARGS]; /* in the order the policy lists them (= event order) */
	char *labels[WT_MAX_ARGS];      /* policy labels, NULL when none */
	unsigned n_args;
	bool has_return;
	char *policy;        /* metadata.name */
	char *file;
	int line;
};

struct wt_policies {
	struct wt_phook *hooks;
	unsigned n, cap;
	unsigned n_policies;
	const char *dir;     /* as given on the command line, for messages */
};

void wt_policies_init(struct wt_policies *p);
void wt_policies_free(struct wt_policies *p);
/* Read a TracingPolicy YAML file, or every *.yaml / *.yml of a directory in name order.
 * Documents of other kinds are skipped. Problems are printed as FILE:LINE: message on stderr;
 * WT_E_IO or WT_E_PARSE when a file could not be read or used. */
enum wt_err wt_policies_load(struct wt_policies *p, const char *path);
/* W0009 for every rule, path step and rarity spec on hook events whose condition no hook
 * of p can satisfy (wrong hook, or arguments the hook's events do not carry). Runs after a
 * successful wt_compiler_check. */
void wt_policies_check(struct wt_compiler *c, const struct wt_policies *p);

#endif
