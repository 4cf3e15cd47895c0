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
	struct wt_decl *decl;
	bool used;
	bool bad;  /* a macro whose body has errors */
	int state; /* cycle detection: 0 new, 1 in progress, 2 done */
	/* lists: flattened literal items once resolved */
	struct wt_ast **items;
	unsigned n_items;
	enum wt_type item_type; /* WT_T_STR or WT_T_INT, NONE while empty */
};

/* A rule after checking, ready for code generation. */
struct wt_checked_rule {
	struct wt_decl *decl;
	uint32_t kinds;
	enum wt_severity severity;
	bool enabled;
	struct wt_ast *when;
	struct wt_ast **excepts;
	unsigned n_excepts;
	struct wt_ast *mitre, *tags, *output, *desc; /* NULL when absent */
};

struct wt_compiler {
	struct wt_arena arena;
	struct wt_diags *diags;
	struct wt_parse *files;
	unsigned n_files;
	struct wt_sym *syms;
	unsigned n_syms, cap_syms;
	struct wt_checked_rule *rules;
	unsigned n_rules;
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
/* Levenshtein distance, for did-you-mean notes. */
unsigned wt_edit_distance(const char *a, const char *b);

#endif
