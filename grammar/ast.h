/* The abstract syntax tree of .wt rule files. The grammar builds it and nothing else;
 * name resolution, type checks and code generation are compiler passes over it.
 * Every node lives in the parse's arena and carries its source span. */
#ifndef WT_AST_H
#define WT_AST_H

#include "wt.h"
#include "arena.h"
#include "diag.h"
#include "field.h"

enum wt_ast_kind {
	WT_AST_STR,   /* "literal" */
	WT_AST_INT,   /* 42 */
	WT_AST_BOOL,  /* true, false */
	WT_AST_NAME,  /* process.binary, or the name of a macro or list */
	WT_AST_CALL,  /* basename(x) */
	WT_AST_LIST,  /* [a, b] */
	WT_AST_NOT,   /* not x */
	WT_AST_AND,   /* x and y */
	WT_AST_OR,    /* x or y */
	WT_AST_CMP,   /* x OP y */
	WT_AST_EXISTS, /* x exists */
	WT_AST_CAPTURE /* $name: a value captured by an earlier step of a path (u.ref.name) */
};

enum wt_cmp {
	WT_CMP_EQ, WT_CMP_NE, WT_CMP_LT, WT_CMP_LE, WT_CMP_GT, WT_CMP_GE,
	WT_CMP_STARTSWITH, WT_CMP_ENDSWITH, WT_CMP_CONTAINS, WT_CMP_IN, WT_CMP_NOT_IN, WT_CMP_REGEX,
	WT_CMP_GLOB
};

struct wt_ast {
	enum wt_ast_kind kind;
	struct wt_loc loc;
	int8_t fold; /* compiler's cache of its constant value: 0 unknown yet, else value + 2 */
	union {
		struct { char *s; size_t len; } str;
		int64_t i;
		struct {
			char *name;        /* resolved field name for selectors: "args[].path" */
			enum wt_sel sel;   /* WT_SEL_NONE, _INDEX (sel_index) or _LABEL (sel_key) */
			int64_t sel_index;
			char *sel_key;
			size_t sel_key_len;
		} ref;
		struct { char *fn; struct wt_loc fn_loc; struct wt_ast *arg; } call;
		struct { struct wt_ast **items; unsigned n; } list;
		struct wt_ast *operand; /* NOT, EXISTS */
		struct { struct wt_ast *l, *r; } bin; /* AND, OR */
		struct { enum wt_cmp op; bool nocase; struct wt_ast *l, *r; } cmp;
	} u;
};

enum wt_clause_kind { WT_CL_ON, WT_CL_WHEN, WT_CL_EXCEPT, WT_CL_SEVERITY, WT_CL_MITRE,
		      WT_CL_TAGS, WT_CL_OUTPUT, WT_CL_DESC, WT_CL_ENABLED };

/* Metadata of an `except` clause: optional scope, owner, reason and expiry. */
struct wt_except_meta {
	struct wt_ast *scope_kind;  /* NAME: workspace, namespace or image */
	struct wt_ast *scope_value; /* STR */
	struct wt_ast *owner, *reason, *expires; /* STR */
};

struct wt_clause {
	enum wt_clause_kind kind;
	struct wt_loc loc;        /* the keyword */
	struct wt_ast *value;     /* expression, string, list, name or bool */
	struct wt_except_meta meta; /* WT_CL_EXCEPT only */
	struct wt_clause *next;
};

enum wt_decl_kind {
	WT_DECL_LIST, WT_DECL_MACRO, WT_DECL_RULE,
	WT_DECL_INCLUDE,        /* include "file.wt"; value: STR */
	WT_DECL_APPEND_LIST,    /* append list NAME = [...]; */
	WT_DECL_REPLACE_MACRO,  /* replace macro NAME = expr; */
	WT_DECL_OVERRIDE_RULE,  /* override rule NAME { clauses } */
	WT_DECL_PATH,           /* path NAME { within ... by ...; steps; clauses } */
	WT_DECL_RARITY          /* rarity NAME { on, when, key, population, rare when, warmup, halflife; clauses } */
};

/* One threshold of `rare when`: NAME < NUMBER, or a bare NAME (first_in_workspace). */
struct wt_threshold {
	char *name;
	struct wt_loc loc;
	enum wt_cmp op;         /* WT_CMP_LT... when has_value */
	bool has_value, is_int;
	double value;
	struct wt_threshold *next;
};

/* The rarity-specific parts of a `rarity` declaration (clauses shared with rules stay in
 * the declaration's clause list). */
struct wt_rarity_decl {
	struct wt_ast *keys;          /* LIST of operands, NULL until `key` is given */
	struct wt_loc key_loc;
	struct wt_ast *population;    /* NAME or NULL */
	struct wt_threshold *thresholds;
	struct wt_loc rare_loc;       /* `rare`; col 0 when absent */
	bool has_warmup, has_halflife;
	int64_t warmup_events;        /* -1 when not given */
	int64_t warmup_ns;            /* -1 when not given */
	struct wt_loc warmup_loc, warmup_unit_loc, warmup_dur_loc;
	char *warmup_unit;            /* the NAME after the count: must be "events" */
	int64_t halflife;
	struct wt_loc halflife_loc;
	unsigned dup_key, dup_population, dup_rare, dup_warmup, dup_halflife; /* repeated sections */
	struct wt_loc dup_loc;
};

/* `capture NAME = operand` of a step. */
struct wt_capture_decl {
	char *name;
	struct wt_loc loc;
	struct wt_ast *value;   /* a field, possibly transformed */
	struct wt_capture_decl *next;
};

/* One step of a path: `step NAME: kinds when expr [capture ...] [runs N [distinct F]]`,
 * `not step ...` (negative) or `until kinds when expr`. */
struct wt_step {
	char *name;             /* NULL for until */
	struct wt_loc loc, name_loc;
	bool negative, until;
	struct wt_ast *kinds;   /* LIST of NAME */
	struct wt_ast *when;
	struct wt_capture_decl *captures, *captures_tail;
	int64_t runs;           /* 0: once */
	struct wt_loc runs_loc;
	struct wt_ast *distinct; /* operand or NULL */
	struct wt_step *next;
};

struct wt_decl {
	enum wt_decl_kind kind;
	struct wt_loc loc;      /* the keyword */
	char *name;
	struct wt_loc name_loc;
	struct wt_ast *value;   /* list: WT_AST_LIST; macro: expression */
	struct wt_clause *clauses, *clauses_tail; /* rule, path */
	/* path */
	struct wt_step *steps, *steps_tail;
	struct wt_ast *within;  /* INT: window in ns; loc of the duration */
	struct wt_ast *by;      /* NAME: workspace, container, process.tree, session or a field */
	struct wt_rarity_decl *rarity; /* rarity */
	struct wt_decl *next;
};

/* One parsed file. */
struct wt_parse {
	struct wt_arena *arena;
	struct wt_diags *diags;
	const char *file;       /* path as registered in diags */
	struct wt_decl *decls, *decls_tail;
};

struct wt_ast *wt_ast_new(struct wt_parse *p, enum wt_ast_kind kind, struct wt_loc loc);
struct wt_ast *wt_ast_list_append(struct wt_parse *p, struct wt_ast *list, struct wt_ast *item);
void wt_ast_add_decl(struct wt_parse *p, struct wt_decl *d);
/* Span from the start of a to the end of b (same line: exact; else to the end of a's line). */
struct wt_loc wt_loc_join(struct wt_loc a, struct wt_loc b);

/* Parse one source text; appends declarations to p->decls and diagnostics to p->diags.
 * Returns WT_E_PARSE when the text had syntax errors. */
enum wt_err wt_parse_source(struct wt_parse *p, const char *text, size_t len);

const char *wt_cmp_name(enum wt_cmp op);

#endif
