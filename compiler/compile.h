/* The compiler driver: .wt sources -> AST -> checked rules -> ruleset image.
 * Used by `wtc` and by tests; all problems are reported through struct wt_diags. */
#ifndef WT_COMPILE_H
#define WT_COMPILE_H

#include "wt.h"
#include "ast.h"
#include "bytecode.h"
#include "diag.h"

enum wt_sym_kind { WT_SYM_LIST, WT_SYM_MACRO, WT_SYM_RULE };

struct wt_sym {
	enum wt_sym_kind kind;
	struct wt_decl *decl;       /* the defining declaration */
	struct wt_ast *value;       /* macro body: the last `replace macro` wins */
	struct wt_decl **appends;   /* `append list` declarations, in file order */
	unsigned n_appends;
	struct wt_decl **overrides; /* `override rule` declarations, in file order */
	unsigned n_overrides;
	bool used;
	bool bad;  /* a macro whose body has errors */
	uint32_t checked_kinds; /* macro: last rule kind set its body was checked under */
	uint32_t index_visit;   /* macro: last index search that walked it */
	int state; /* cycle detection: 0 new, 1 in progress, 2 done */
	/* lists: flattened literal items once resolved */
	struct wt_ast **items;
	unsigned n_items;
	enum wt_type item_type; /* WT_T_STR or WT_T_INT, NONE while empty */
};

/* An exception after checking: applies when expr holds, inside its scope, before expiry. */
struct wt_checked_except {
	struct wt_ast *expr;
	struct wt_loc loc;
	int scope_field;   /* -1: everywhere; else workspace.id, pod.namespace or container.image */
	struct wt_ast *scope_value;
	bool has_expiry;
	int64_t expires;   /* ns since the epoch, compared with event time */
};

/* A rule after checking, ready for code generation. */
struct wt_checked_rule {
	struct wt_decl *decl;
	uint32_t kinds;
	enum wt_severity severity;
	bool enabled;
	struct wt_ast *when;
	struct wt_checked_except *excepts;
	unsigned n_excepts;
	struct wt_ast *mitre, *tags, *output, *desc; /* NULL when absent */
};

/* Captures visible to a path step: names and types of the earlier steps' captures. */
struct wt_cap_scope {
	const char **names;
	enum wt_type *types;
	unsigned n;
};

/* A path step after checking. */
struct wt_checked_step {
	struct wt_step *decl;
	uint32_t kinds;
	unsigned cap_first, n_caps; /* its captures, path-local indices */
	int distinct_field;         /* -1 when none */
};

enum wt_path_by { WT_BY_FIELD = 0, WT_BY_TREE = 1 };

/* A path after checking, ready for code generation. */
struct wt_checked_path {
	struct wt_decl *decl;
	int64_t window;
	enum wt_path_by by;
	int by_field;               /* WT_BY_FIELD: the key field; WT_BY_TREE: workspace.id */
	struct wt_checked_step *steps;
	unsigned n_steps;
	const char *cap_names[WT_MAX_PATH_CAPTURES];
	enum wt_type cap_types[WT_MAX_PATH_CAPTURES];
	int cap_fields[WT_MAX_PATH_CAPTURES];
	unsigned n_caps;
	struct wt_checked_rule meta; /* severity, mitre, tags, output, desc, enabled, excepts */
};

/* A rarity spec after checking, ready for code generation. */
struct wt_checked_rarity {
	struct wt_decl *decl;
	struct wt_ast *when;        /* NULL: every event of its kinds */
	struct wt_ast **keys;
	char **key_texts;           /* canonical text of each key expression */
	unsigned n_keys;
	uint8_t population;         /* enum wt_rarity_pop */
	uint16_t thresholds;        /* WT_RARF_* */
	uint32_t max_freq_ppb, max_count_milli, max_spread;
	int64_t warmup_events, warmup_ns, halflife;
	uint32_t ident;
	struct wt_checked_rule meta; /* kinds, severity, mitre, tags, output, desc, enabled, excepts */
};

struct wt_compiler {
	struct wt_arena arena;
	struct wt_diags *diags;
	int64_t now;              /* wall time for expiry warnings (0: do not warn) */
	char **include_stack;     /* real paths of files being parsed, for cycle detection */
	const char **include_names; /* the same files as named by the user, for messages */
	unsigned include_depth;
	char **seen_files;        /* real paths already parsed (include once) */
	unsigned n_seen;
	struct wt_parse *files;
	unsigned n_files;
	struct wt_sym *syms;
	unsigned n_syms, cap_syms;
	struct wt_checked_rule *rules;
	unsigned n_rules;
	struct wt_checked_path *paths;
	unsigned n_paths;
	struct wt_checked_rarity *rarities;
	unsigned n_rarities;
};

void wt_compiler_init(struct wt_compiler *c, struct wt_diags *diags);
void wt_compiler_free(struct wt_compiler *c);
/* Add a .wt file, or a directory's *.wt files (not recursive, in name order). */
enum wt_err wt_compiler_add_path(struct wt_compiler *c, const char *path);
/* Add source text directly (tests, fuzzers). */
enum wt_err wt_compiler_add_source(struct wt_compiler *c, const char *name, const char *text, size_t len);
/* Resolve names and check types; fills c->rules. WT_E_COMPILE when errors were reported. */
enum wt_err wt_compiler_check(struct wt_compiler *c);
/* Generate the ruleset (after a successful check). */
enum wt_err wt_compiler_codegen(struct wt_compiler *c, struct wt_bc_writer *w);

/* check.c helpers used by codegen */
struct wt_sym *wt_compiler_find(struct wt_compiler *c, const char *name);
/* A list or macro by name (rules live in their own namespace). */
struct wt_sym *wt_compiler_find_def(struct wt_compiler *c, const char *name);
/* Constant value of a checked boolean expression: 1 true, 0 false, -1 depends on the event. */
int wt_compiler_fold(struct wt_compiler *c, const struct wt_ast *a);
/* Three-valued logic of wt_compiler_fold and the policy check: 1 true, 0 false, -1 unknown. */
static inline int wt_tri_not(int v) { return v < 0 ? -1 : !v; }
static inline int wt_tri_and(int l, int r) { return l == 0 || r == 0 ? 0 : (l == 1 && r == 1 ? 1 : -1); }
static inline int wt_tri_or(int l, int r) { return l == 1 || r == 1 ? 1 : (l == 0 && r == 0 ? 0 : -1); }
/* Field id of a checked NAME operand, or -1 for a macro. */
int wt_compiler_field_of(const struct wt_ast *a);

/* check.c entry points shared with the path checker (checkpath.c). */
enum wt_type wt_compiler_check_cond(struct wt_compiler *c, uint32_t kinds, const struct wt_cap_scope *scope,
				    struct wt_ast *a);
enum wt_type wt_compiler_check_operand(struct wt_compiler *c, uint32_t kinds, const struct wt_cap_scope *scope,
				       struct wt_ast *a);
bool wt_compiler_check_except(struct wt_compiler *c, uint32_t kinds, const struct wt_cap_scope *scope,
			      struct wt_clause *cl, struct wt_checked_except *out);
void wt_compiler_apply_clause(struct wt_compiler *c, struct wt_checked_rule *r, struct wt_clause *cl, bool *ok);
/* The clauses of a path or rarity declaration: duplicates reported (as "WHAT 'name' has
 * this clause twice"), values applied to meta, excepts collected; seen has WT_CL_ENABLED + 1
 * entries. */
void wt_compiler_decl_clauses(struct wt_compiler *c, struct wt_decl *d, const char *what, struct wt_checked_rule *meta,
			      struct wt_clause **seen, struct wt_clause ***excepts, unsigned *n_excepts, bool *ok);
/* checkpath.c: check every path declaration; fills c->paths. */
void wt_compiler_check_paths(struct wt_compiler *c);
/* checkrarity.c: check every rarity declaration; fills c->rarities. */
void wt_compiler_check_rarities(struct wt_compiler *c);
void wt_compiler_free_rarities(struct wt_compiler *c);
/* codegen.c helpers for paths (codegen.c) */
void wt_compiler_gen_cond(struct wt_compiler *c, struct wt_bc_writer *w, struct wt_ast *a);

#endif
