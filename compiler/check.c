/* Semantic pass: builds the symbol table (lists, macros, rules) and applies overrides
 * (append list, replace macro, override rule), resolves every name to a field, macro or
 * list, expands lists, detects cycles, type-checks every expression and rule clause, folds
 * constants for warnings, and reports each problem with its span, code and notes. */
#include "compile.h"
#include "addr.h"
#include "buf.h"
#include "field.h"
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

static struct wt_loc noloc = {0};

struct wt_sym *wt_compiler_find(struct wt_compiler *c, const char *name)
{
	for (unsigned i = 0; i < c->n_syms; i++)
		if (c->syms[i].kind == WT_SYM_RULE && strcmp(c->syms[i].decl->name, name) == 0)
			return &c->syms[i];
	return NULL;
}

struct wt_sym *wt_compiler_find_def(struct wt_compiler *c, const char *name)
{
	for (unsigned i = 0; i < c->n_syms; i++)
		if (c->syms[i].kind != WT_SYM_RULE && strcmp(c->syms[i].decl->name, name) == 0)
			return &c->syms[i];
	return NULL;
}

/* Best candidate within a distance proportional to the name's length, or NULL; on a tie
 * a candidate that starts with the name wins (process.bin -> process.binary). */
static const char *closest(const char *name, const char *const *cands, size_t n)
{
	const char *best = NULL;
	unsigned bestd = (unsigned)strlen(name) / 3 + 1;
	size_t nl = strlen(name);
	for (size_t i = 0; i < n; i++) {
		unsigned d = wt_edit_distance(name, cands[i]);
		bool prefix = strncmp(cands[i], name, nl) == 0;
		if (prefix && d > 0)
			d = d > 1 ? d - 1 : 1;
		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	return best;
}

static const char *closest_name(struct wt_compiler *c, const char *name, bool fields, bool syms)
{
	const char *cands[WT_F_COUNT + 1024];
	size_t n = 0;
	if (fields)
		for (int i = 0; i < WT_F_COUNT; i++)
			if (wt_fields[i].sel == WT_FSEL_NONE)
				cands[n++] = wt_fields[i].name;
	if (syms)
		for (unsigned i = 0; i < c->n_syms && n < WT_ARRAY_LEN(cands); i++)
			if (c->syms[i].kind != WT_SYM_RULE)
				cands[n++] = c->syms[i].decl->name;
	return closest(name, cands, n);
}

static const char *sym_kind_name(enum wt_sym_kind k)
{
	return k == WT_SYM_LIST ? "list" : k == WT_SYM_MACRO ? "macro" : "rule";
}

static struct wt_sym *new_sym(struct wt_compiler *c, enum wt_sym_kind kind, struct wt_decl *d)
{
	if (c->n_syms == c->cap_syms) {
		c->cap_syms = c->cap_syms ? c->cap_syms * 2 : 64;
		c->syms = wt_xrealloc(c->syms, c->cap_syms * sizeof *c->syms);
	}
	struct wt_sym *s = &c->syms[c->n_syms++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->decl = d;
	s->value = d->value;
	return s;
}

/* Append to a malloc'd array that grows by doubling (its size is implied by n). */
#define PUSH(arr, n, item)                                                                         \
	do {                                                                                       \
		if (((n) & ((n) - 1)) == 0)                                                         \
			(arr) = wt_xrealloc((arr), ((n) ? (n) * 2 : 1) * sizeof *(arr));           \
		(arr)[(n)++] = (item);                                                             \
	} while (0)

static void collect_symbols(struct wt_compiler *c)
{
	/* definitions first, so overrides may precede nothing in file order */
	for (unsigned f = 0; f < c->n_files; f++) {
		for (struct wt_decl *d = c->files[f].decls; d; d = d->next) {
			if (!d->name || d->kind > WT_DECL_RULE)
				continue;
			bool is_rule = d->kind == WT_DECL_RULE;
			struct wt_sym *prev = is_rule ? wt_compiler_find(c, d->name) : wt_compiler_find_def(c, d->name);
			if (prev && is_rule && prev->decl->loc.file != d->loc.file) {
				/* a later file redefines a rule: it replaces the earlier one */
				struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_W0004, d->name_loc,
								"rule '%s' redefined; this definition replaces the earlier one",
								d->name);
				wt_diag_note(g, WT_LEVEL_NOTE, prev->decl->name_loc, "earlier definition");
				wt_diag_note(g, WT_LEVEL_HELP, noloc,
					     "to tune a shipped rule without copying it, use 'override rule %s { ... }'",
					     d->name);
				prev->decl = d;
				prev->value = d->value;
				continue;
			}
			if (prev) {
				struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0103, d->name_loc,
								"%s '%s' is already defined", sym_kind_name(prev->kind),
								d->name);
				wt_diag_note(g, WT_LEVEL_NOTE, prev->decl->name_loc, "first defined here");
				continue;
			}
			new_sym(c, d->kind == WT_DECL_LIST ? WT_SYM_LIST : d->kind == WT_DECL_MACRO ? WT_SYM_MACRO : WT_SYM_RULE, d);
		}
	}
	for (unsigned f = 0; f < c->n_files; f++) {
		for (struct wt_decl *d = c->files[f].decls; d; d = d->next) {
			if (d->kind <= WT_DECL_INCLUDE || d->kind == WT_DECL_PATH || d->kind == WT_DECL_RARITY)
				continue;
			enum wt_sym_kind want = d->kind == WT_DECL_APPEND_LIST ? WT_SYM_LIST :
						d->kind == WT_DECL_REPLACE_MACRO ? WT_SYM_MACRO : WT_SYM_RULE;
			struct wt_sym *s = want == WT_SYM_RULE ? wt_compiler_find(c, d->name) : wt_compiler_find_def(c, d->name);
			if (!s || s->kind != want) {
				struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0109, d->name_loc,
								"there is no %s '%s' to %s", sym_kind_name(want), d->name,
								want == WT_SYM_LIST ? "append to" : want == WT_SYM_MACRO ? "replace" : "override");
				if (s)
					wt_diag_note(g, WT_LEVEL_NOTE, s->decl->name_loc, "'%s' is a %s", d->name,
						     sym_kind_name(s->kind));
				continue;
			}
			if (want == WT_SYM_LIST)
				PUSH(s->appends, s->n_appends, d);
			else if (want == WT_SYM_MACRO)
				s->value = d->value;
			else
				PUSH(s->overrides, s->n_overrides, d);
		}
	}
}

static void list_push(struct wt_sym *s, struct wt_ast *item)
{
	PUSH(s->items, s->n_items, item);
}

static enum wt_type literal_type(const struct wt_ast *a)
{
	return a->kind == WT_AST_STR ? WT_T_STR : a->kind == WT_AST_INT ? WT_T_INT :
	       a->kind == WT_AST_BOOL ? WT_T_BOOL : WT_T_NONE;
}

static bool resolve_list(struct wt_compiler *c, struct wt_sym *s);

/* Append the literals of a list expression (literals and names of other lists) to dst. */
static bool flatten_items(struct wt_compiler *c, struct wt_ast *list, struct wt_sym *dst)
{
	bool ok = true;
	for (unsigned i = 0; i < list->u.list.n; i++) {
		struct wt_ast *it = list->u.list.items[i];
		if (it->kind == WT_AST_NAME) {
			struct wt_sym *ref = wt_compiler_find_def(c, it->u.ref.name);
			if (!ref || ref->kind != WT_SYM_LIST) {
				struct wt_diag *g = wt_diag_add(c->diags, ref ? WT_DIAG_E0107 : WT_DIAG_E0102, it->loc,
								ref ? "'%s' is a macro, not a list" : "unknown list '%s'",
								it->u.ref.name);
				const char *m = ref ? NULL : closest_name(c, it->u.ref.name, false, true);
				if (m)
					wt_diag_note(g, WT_LEVEL_HELP, noloc, "did you mean '%s'?", m);
				ok = false;
				continue;
			}
			ref->used = true;
			if (!resolve_list(c, ref)) {
				ok = false;
				continue;
			}
			for (unsigned k = 0; k < ref->n_items; k++)
				list_push(dst, ref->items[k]);
			continue;
		}
		if (literal_type(it) == WT_T_BOOL) {
			wt_diag_add(c->diags, WT_DIAG_E0201, it->loc, "lists hold strings or integers, not booleans");
			ok = false;
			continue;
		}
		list_push(dst, it);
	}
	return ok;
}

static bool check_item_types(struct wt_compiler *c, struct wt_sym *dst)
{
	enum wt_type t = WT_T_NONE;
	for (unsigned i = 0; i < dst->n_items; i++) {
		enum wt_type it = literal_type(dst->items[i]);
		if (t == WT_T_NONE)
			t = it;
		else if (t != it) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0208, dst->items[i]->loc,
							"this %s is in a list of %ss", wt_type_name(it), wt_type_name(t));
			wt_diag_note(g, WT_LEVEL_NOTE, dst->items[0]->loc, "the list's first element is here");
			dst->item_type = t;
			return false;
		}
	}
	dst->item_type = t;
	return true;
}

static bool resolve_list(struct wt_compiler *c, struct wt_sym *s)
{
	if (s->state == 2)
		return !s->bad;
	if (s->state == 1) {
		wt_diag_add(c->diags, WT_DIAG_E0104, s->decl->name_loc, "list '%s' includes itself",
			    s->decl->name);
		s->bad = true;
		return false;
	}
	s->state = 1;
	bool ok = flatten_items(c, s->decl->value, s);
	for (unsigned i = 0; i < s->n_appends; i++)
		ok = flatten_items(c, s->appends[i]->value, s) && ok;
	ok = ok && check_item_types(c, s);
	s->state = 2;
	s->bad = !ok;
	return ok;
}

/* Expression checking ---------------------------------------------------------------- */

struct expr_ctx {
	struct wt_compiler *c;
	uint32_t kinds;         /* the rule's kinds, 0 inside a macro definition */
	bool warned_kinds;
	const struct wt_cap_scope *scope; /* captures a path step may read, or NULL */
};

static enum wt_type check_expr(struct expr_ctx *x, struct wt_ast *a);
static enum wt_type need_bool(struct expr_ctx *x, struct wt_ast *a, enum wt_type t);

/* Check a macro body on its own, once; a body that is not a valid condition marks it bad. */
static void check_macro(struct wt_compiler *c, struct wt_sym *s)
{
	struct expr_ctx x = {c, 0, false, NULL};
	s->state = 1;
	enum wt_type t = need_bool(&x, s->value, check_expr(&x, s->value));
	if (t != WT_T_BOOL)
		s->bad = true;
	s->state = 2;
}

/* The scalar type a value compares as: list elements, and addresses as strings. */
static enum wt_type elem_type(enum wt_type t)
{
	return t == WT_T_STRLIST || t == WT_T_ADDR ? WT_T_STR : t == WT_T_INTLIST ? WT_T_INT : t;
}

static bool is_list_type(enum wt_type t)
{
	return t == WT_T_STRLIST || t == WT_T_INTLIST;
}

int wt_compiler_field_of(const struct wt_ast *a)
{
	if (a->kind != WT_AST_NAME)
		return -1;
	return wt_field_lookup(a->u.ref.name, strlen(a->u.ref.name));
}

static enum wt_type check_field(struct expr_ctx *x, struct wt_ast *a, int f)
{
	struct wt_compiler *c = x->c;
	enum wt_field_sel_kind fk = wt_fields[f].sel;
	enum wt_sel sel = a->u.ref.sel;
	if (fk == WT_FSEL_NONE && sel != WT_SEL_NONE) {
		wt_diag_add(c->diags, WT_DIAG_E0110, a->loc, "field '%s' takes no selector", a->u.ref.name);
		return WT_T_NONE;
	}
	if (fk != WT_FSEL_NONE && sel == WT_SEL_NONE) {
		wt_diag_add(c->diags, WT_DIAG_E0110, a->loc, "field '%s' needs a selector, e.g. %s", a->u.ref.name,
			    fk == WT_FSEL_KEY ? "pod.labels[\"app\"]" : "args[0].path or args[\"label\"].path");
		return WT_T_NONE;
	}
	if (fk == WT_FSEL_KEY && sel != WT_SEL_LABEL) {
		wt_diag_add(c->diags, WT_DIAG_E0110, a->loc, "'%s' is selected by a string key", a->u.ref.name);
		return WT_T_NONE;
	}
	if (sel == WT_SEL_INDEX && (a->u.ref.sel_index < 0 || a->u.ref.sel_index >= WT_MAX_ARGS)) {
		wt_diag_add(c->diags, WT_DIAG_E0110, a->loc, "argument index %lld is outside 0..%d",
			    (long long)a->u.ref.sel_index, WT_MAX_ARGS - 1);
		return WT_T_NONE;
	}
	if (x->kinds && !(wt_fields[f].kinds & x->kinds) && !x->warned_kinds) {
		struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_W0002, a->loc,
						"field '%s' is never set on the events this rule is 'on'", a->u.ref.name);
		wt_diag_note(g, WT_LEVEL_NOTE, noloc, "'%s' is set on %s events", a->u.ref.name,
			     (wt_fields[f].kinds & KM_HOOK) == KM_HOOK ? "kprobe, tracepoint, lsm and uprobe" :
			     wt_fields[f].kinds == KM_EXIT ? "exit" : "other");
		x->warned_kinds = true;
	}
	return wt_fields[f].type;
}

static enum wt_type check_name(struct expr_ctx *x, struct wt_ast *a)
{
	struct wt_compiler *c = x->c;
	int f = wt_field_lookup(a->u.ref.name, strlen(a->u.ref.name));
	if (f >= 0)
		return check_field(x, a, f);
	if (a->u.ref.sel != WT_SEL_NONE) {
		struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0101, a->loc, "unknown field '%s'", a->u.ref.name);
		wt_diag_note(g, WT_LEVEL_NOTE, noloc,
			     "selectable fields: args[N].string/.int/.path/.permission/.family/.saddr/.daddr/.sport/.dport/.module/.uid/.euid/.capability/.type, pod.labels[\"key\"]");
		return WT_T_NONE;
	}
	struct wt_sym *s = wt_compiler_find_def(c, a->u.ref.name);
	if (s && s->kind == WT_SYM_MACRO) {
		s->used = true;
		if (s->state == 1) {
			if (!s->bad)
				wt_diag_add(c->diags, WT_DIAG_E0104, a->loc, "macro '%s' refers to itself",
					    a->u.ref.name);
			s->bad = true;
			return WT_T_NONE;
		}
		if (s->state == 0)
			check_macro(c, s);
		if (s->bad)
			return WT_T_NONE; /* its own errors were reported where it is defined */
		if (x->kinds && s->checked_kinds != x->kinds) {
			/* marks nested uses, warns about fields the rule's kinds never carry; once per
			 * distinct kind set, so nested macros cost linear, not exponential, time */
			s->checked_kinds = x->kinds;
			check_expr(x, s->value);
		}
		return WT_T_BOOL;
	}
	if (s && s->kind == WT_SYM_LIST) {
		s->used = true;
		wt_diag_add(c->diags, WT_DIAG_E0107, a->loc,
			    "'%s' is a list; use it on the right of 'in'", a->u.ref.name);
		return WT_T_NONE;
	}
	bool dotted = strchr(a->u.ref.name, '.') != NULL;
	struct wt_diag *g = wt_diag_add(c->diags, dotted ? WT_DIAG_E0101 : WT_DIAG_E0102, a->loc,
					dotted ? "unknown field '%s'" : "unknown name '%s'", a->u.ref.name);
	const char *m = closest_name(c, a->u.ref.name, true, true);
	if (m)
		wt_diag_note(g, WT_LEVEL_HELP, noloc, "did you mean '%s'?", m);
	return WT_T_NONE;
}

/* True when the operand reads the event (a field, possibly transformed). */
static bool reads_field(const struct wt_ast *a)
{
	if (a->kind == WT_AST_CALL)
		return reads_field(a->u.call.arg);
	return a->kind == WT_AST_NAME && wt_compiler_field_of(a) >= 0;
}

static const char *const functions[] = {"basename", "dirname", "normpath", "lower", "b64decode", "tokens",
					"generalize", "pathprefix", "addrclass", "portclass"};

static enum wt_type check_operand(struct expr_ctx *x, struct wt_ast *a)
{
	switch (a->kind) {
	case WT_AST_STR: return WT_T_STR;
	case WT_AST_INT: return WT_T_INT;
	case WT_AST_BOOL: return WT_T_BOOL;
	case WT_AST_NAME: return check_name(x, a);
	case WT_AST_CAPTURE: {
		for (unsigned i = 0; x->scope && i < x->scope->n; i++)
			if (strcmp(x->scope->names[i], a->u.ref.name) == 0)
				return x->scope->types[i];
		struct wt_diag *g = wt_diag_add(x->c->diags, WT_DIAG_E0213, a->loc,
						"'$%s' is not captured by an earlier step", a->u.ref.name);
		if (!x->scope)
			wt_diag_note(g, WT_LEVEL_NOTE, noloc, "captures exist only inside a path");
		else
			wt_diag_note(g, WT_LEVEL_HELP, noloc,
				     "capture it in a step before this one: capture %s = FIELD", a->u.ref.name);
		return WT_T_NONE;
	}
	case WT_AST_CALL: {
		enum wt_type t = check_operand(x, a->u.call.arg);
		size_t k = 0;
		while (k < WT_ARRAY_LEN(functions) && strcmp(a->u.call.fn, functions[k]) != 0)
			k++;
		if (k == WT_ARRAY_LEN(functions)) {
			struct wt_diag *g = wt_diag_add(x->c->diags, WT_DIAG_E0106, a->u.call.fn_loc,
							"unknown function '%s'", a->u.call.fn);
			const char *m = closest(a->u.call.fn, functions, WT_ARRAY_LEN(functions));
			if (m)
				wt_diag_note(g, WT_LEVEL_HELP, noloc, "did you mean '%s'?", m);
			else
				wt_diag_note(g, WT_LEVEL_NOTE, noloc,
					     "functions: basename, dirname, normpath, lower, b64decode, tokens, generalize, pathprefix, addrclass, portclass");
			return WT_T_NONE;
		}
		if (t == WT_T_NONE)
			return WT_T_NONE;
		if (strcmp(a->u.call.fn, "portclass") == 0) {
			if (elem_type(t) != WT_T_INT) {
				wt_diag_add(x->c->diags, WT_DIAG_E0201, a->u.call.arg->loc,
					    "portclass() takes a port number, this is %s", wt_type_name(t));
				return WT_T_NONE;
			}
			return is_list_type(t) ? WT_T_STRLIST : WT_T_STR;
		}
		if (strcmp(a->u.call.fn, "addrclass") == 0 && t == WT_T_ADDR)
			return WT_T_STR;
		if (elem_type(t) != WT_T_STR) {
			wt_diag_add(x->c->diags, WT_DIAG_E0201, a->u.call.arg->loc,
				    "%s() takes a string, this is %s", a->u.call.fn, wt_type_name(t));
			return WT_T_NONE;
		}
		if (strcmp(a->u.call.fn, "tokens") == 0)
			return WT_T_STRLIST;
		return is_list_type(t) ? WT_T_STRLIST : WT_T_STR;
	}
	default: return check_expr(x, a);
	}
}

static bool check_regex(struct expr_ctx *x, struct wt_ast *r, bool nocase)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)r->u.str.s, r->u.str.len,
				       PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | (nocase ? PCRE2_CASELESS : 0),
				       &code, &off, NULL);
	if (re) {
		pcre2_code_free(re);
		return true;
	}
	PCRE2_UCHAR msg[256];
	pcre2_get_error_message(code, msg, sizeof msg);
	struct wt_loc at = r->loc;
	if (r->loc.end_col > r->loc.col && off < r->u.str.len) {
		at.col = r->loc.col + 1 + (uint32_t)off; /* approximate: escapes shift columns */
		if (at.col > r->loc.end_col)
			at.col = r->loc.end_col;
		at.end_col = at.col;
	}
	wt_diag_add(x->c->diags, WT_DIAG_E0202, at, "invalid regular expression: %s (at offset %zu)",
		    (const char *)msg, (size_t)off);
	return false;
}

/* Items of the right side of `in`: a list literal or a list name. */
static bool in_items(struct expr_ctx *x, struct wt_ast *r, struct wt_sym *tmp)
{
	struct wt_compiler *c = x->c;
	if (r->kind == WT_AST_NAME) {
		struct wt_sym *ls = wt_compiler_find_def(c, r->u.ref.name);
		if (!ls || ls->kind != WT_SYM_LIST) {
			struct wt_diag *g = wt_diag_add(c->diags, ls ? WT_DIAG_E0107 : WT_DIAG_E0102, r->loc,
							ls ? "'%s' is a macro, not a list" : "unknown list '%s'", r->u.ref.name);
			const char *m = ls ? NULL : closest_name(c, r->u.ref.name, false, true);
			if (m)
				wt_diag_note(g, WT_LEVEL_HELP, noloc, "did you mean '%s'?", m);
			return false;
		}
		ls->used = true;
		if (!resolve_list(c, ls))
			return false;
		tmp->items = ls->items; /* borrowed */
		tmp->n_items = ls->n_items;
		tmp->item_type = ls->item_type;
		return true;
	}
	bool ok = flatten_items(c, r, tmp) && check_item_types(c, tmp);
	return ok;
}

static enum wt_type check_cmp(struct expr_ctx *x, struct wt_ast *a)
{
	struct wt_compiler *c = x->c;
	struct wt_ast *l = a->u.cmp.l, *r = a->u.cmp.r;
	enum wt_cmp op = a->u.cmp.op;
	enum wt_type lt = check_operand(x, l);
	if (op == WT_CMP_IN || op == WT_CMP_NOT_IN) {
		struct wt_sym tmp = {0};
		bool borrowed = r->kind == WT_AST_NAME;
		bool ok = in_items(x, r, &tmp);
		enum wt_type it = tmp.item_type;
		bool cidr_ok = true;
		if (ok && lt == WT_T_ADDR && it == WT_T_STR) {
			for (unsigned i = 0; i < tmp.n_items; i++) {
				struct wt_cidr cidr;
				if (!wt_cidr_parse(tmp.items[i]->u.str.s, tmp.items[i]->u.str.len, &cidr)) {
					struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0210, tmp.items[i]->loc,
									"'%s' is not an IP address or CIDR range",
									tmp.items[i]->u.str.s);
					wt_diag_note(g, WT_LEVEL_NOTE, noloc,
						     "'in' on an address field takes ranges such as \"10.0.0.0/8\", \"fd00::/8\" or \"10.96.0.1\"");
					cidr_ok = false;
				}
			}
		}
		if (!borrowed)
			free(tmp.items);
		if (!ok || !cidr_ok || lt == WT_T_NONE)
			return WT_T_NONE;
		if (elem_type(lt) != WT_T_STR && elem_type(lt) != WT_T_INT) {
			wt_diag_add(c->diags, WT_DIAG_E0201, l->loc, "'in' needs a string or integer, this is %s",
				    wt_type_name(lt));
			return WT_T_NONE;
		}
		if (it != WT_T_NONE && it != elem_type(lt)) {
			wt_diag_add(c->diags, WT_DIAG_E0201, r->loc, "%s compared with a list of %ss",
				    wt_type_name(lt), wt_type_name(it));
			return WT_T_NONE;
		}
		return WT_T_BOOL;
	}
	enum wt_type rt = check_operand(x, r);
	if (lt == WT_T_NONE || rt == WT_T_NONE)
		return WT_T_NONE;
	rt = rt == WT_T_ADDR ? WT_T_STR : rt;
	if (is_list_type(rt) && (op == WT_CMP_EQ || op == WT_CMP_NE) && !is_list_type(lt)) {
		enum wt_type t = lt; /* equality is symmetric: the list side is read as the left */
		lt = rt;
		rt = elem_type(t);
	}
	if (is_list_type(rt)) {
		wt_diag_add(c->diags, WT_DIAG_E0201, r->loc,
			    "a %s goes on the left of '%s'", wt_type_name(rt), wt_cmp_name(op));
		return WT_T_NONE;
	}
	enum wt_type le = elem_type(lt);
	switch (op) {
	case WT_CMP_EQ:
	case WT_CMP_NE:
		if (le != rt) {
			wt_diag_add(c->diags, WT_DIAG_E0201, a->loc, "cannot compare %s with %s",
				    wt_type_name(lt), wt_type_name(rt));
			return WT_T_NONE;
		}
		return WT_T_BOOL;
	case WT_CMP_LT:
	case WT_CMP_LE:
	case WT_CMP_GT:
	case WT_CMP_GE:
		if (le != WT_T_INT || rt != WT_T_INT) {
			wt_diag_add(c->diags, WT_DIAG_E0201, a->loc, "'%s' compares integers, not %s and %s",
				    wt_cmp_name(op), wt_type_name(lt), wt_type_name(rt));
			return WT_T_NONE;
		}
		return WT_T_BOOL;
	case WT_CMP_REGEX:
		if (r->kind != WT_AST_STR) {
			wt_diag_add(c->diags, WT_DIAG_E0201, r->loc, "a regex must be a string literal");
			return WT_T_NONE;
		}
		if (le != WT_T_STR) {
			wt_diag_add(c->diags, WT_DIAG_E0201, l->loc, "regex matches strings, this is %s",
				    wt_type_name(lt));
			return WT_T_NONE;
		}
		return check_regex(x, r, a->u.cmp.nocase) ? WT_T_BOOL : WT_T_NONE;
	default: /* startswith, endswith, contains, glob */
		if (le != WT_T_STR || rt != WT_T_STR) {
			wt_diag_add(c->diags, WT_DIAG_E0201, a->loc, "'%s' works on strings, not %s and %s",
				    wt_cmp_name(op), wt_type_name(lt), wt_type_name(rt));
			return WT_T_NONE;
		}
		return WT_T_BOOL;
	}
}

static enum wt_type need_bool(struct expr_ctx *x, struct wt_ast *a, enum wt_type t)
{
	if (t != WT_T_NONE && t != WT_T_BOOL) {
		wt_diag_add(x->c->diags, WT_DIAG_E0209, a->loc,
			    "a condition must be true or false; this is %s", wt_type_name(t));
		return WT_T_NONE;
	}
	return t;
}

static enum wt_type check_expr(struct expr_ctx *x, struct wt_ast *a)
{
	switch (a->kind) {
	case WT_AST_AND:
	case WT_AST_OR: {
		enum wt_type l = need_bool(x, a->u.bin.l, check_expr(x, a->u.bin.l));
		enum wt_type r = need_bool(x, a->u.bin.r, check_expr(x, a->u.bin.r));
		return l == WT_T_BOOL && r == WT_T_BOOL ? WT_T_BOOL : WT_T_NONE;
	}
	case WT_AST_NOT:
		return need_bool(x, a->u.operand, check_expr(x, a->u.operand));
	case WT_AST_CMP:
		return check_cmp(x, a);
	case WT_AST_EXISTS:
		if (!reads_field(a->u.operand)) {
			wt_diag_add(x->c->diags, WT_DIAG_E0201, a->u.operand->loc, "'exists' tests a field");
			return WT_T_NONE;
		}
		return check_operand(x, a->u.operand) == WT_T_NONE ? WT_T_NONE : WT_T_BOOL;
	case WT_AST_NAME:
		return need_bool(x, a, check_name(x, a));
	default:
		return need_bool(x, a, check_operand(x, a));
	}
}

enum wt_type wt_compiler_check_cond(struct wt_compiler *c, uint32_t kinds, const struct wt_cap_scope *scope,
				    struct wt_ast *a)
{
	struct expr_ctx x = {c, kinds, false, scope};
	return need_bool(&x, a, check_expr(&x, a));
}

enum wt_type wt_compiler_check_operand(struct wt_compiler *c, uint32_t kinds, const struct wt_cap_scope *scope,
				       struct wt_ast *a)
{
	struct expr_ctx x = {c, kinds, false, scope};
	return check_operand(&x, a);
}

/* Constant folding (used for warnings here and for code generation) -------------------- */

static int fold_literal_cmp(const struct wt_ast *a)
{
	const struct wt_ast *l = a->u.cmp.l, *r = a->u.cmp.r;
	if (l->kind == WT_AST_INT && r->kind == WT_AST_INT) {
		int64_t x = l->u.i, y = r->u.i;
		switch (a->u.cmp.op) {
		case WT_CMP_EQ: return x == y;
		case WT_CMP_NE: return x != y;
		case WT_CMP_LT: return x < y;
		case WT_CMP_LE: return x <= y;
		case WT_CMP_GT: return x > y;
		case WT_CMP_GE: return x >= y;
		default: return -1;
		}
	}
	if (l->kind == WT_AST_BOOL && r->kind == WT_AST_BOOL) {
		if (a->u.cmp.op == WT_CMP_EQ)
			return l->u.i == r->u.i;
		if (a->u.cmp.op == WT_CMP_NE)
			return l->u.i != r->u.i;
		return -1;
	}
	if (l->kind == WT_AST_STR && r->kind == WT_AST_STR && !a->u.cmp.nocase) {
		const char *x = l->u.str.s, *y = r->u.str.s;
		size_t xl = l->u.str.len, yl = r->u.str.len;
		switch (a->u.cmp.op) {
		case WT_CMP_EQ: return xl == yl && memcmp(x, y, xl) == 0;
		case WT_CMP_NE: return !(xl == yl && memcmp(x, y, xl) == 0);
		case WT_CMP_STARTSWITH: return xl >= yl && memcmp(x, y, yl) == 0;
		case WT_CMP_ENDSWITH: return xl >= yl && memcmp(x + xl - yl, y, yl) == 0;
		case WT_CMP_CONTAINS: return memmem(x, xl, y, yl) != NULL;
		default: return -1;
		}
	}
	return -1;
}

static int fold_uncached(struct wt_compiler *c, const struct wt_ast *a);

/* Memoized on the node: macro bodies are shared, and code generation asks again for every
 * sub-condition, which would otherwise be quadratic in a long `and` chain. */
int wt_compiler_fold(struct wt_compiler *c, const struct wt_ast *a)
{
	if (a->fold)
		return a->fold - 2;
	int v = fold_uncached(c, a);
	((struct wt_ast *)a)->fold = (int8_t)(v + 2);
	return v;
}

static int fold_uncached(struct wt_compiler *c, const struct wt_ast *a)
{
	switch (a->kind) {
	case WT_AST_BOOL: return (int)a->u.i;
	case WT_AST_NOT: return wt_tri_not(wt_compiler_fold(c, a->u.operand));
	case WT_AST_AND: return wt_tri_and(wt_compiler_fold(c, a->u.bin.l), wt_compiler_fold(c, a->u.bin.r));
	case WT_AST_OR: return wt_tri_or(wt_compiler_fold(c, a->u.bin.l), wt_compiler_fold(c, a->u.bin.r));
	case WT_AST_NAME: {
		if (wt_compiler_field_of(a) >= 0)
			return -1;
		struct wt_sym *s = wt_compiler_find_def(c, a->u.ref.name);
		return s && s->kind == WT_SYM_MACRO && !s->bad ? wt_compiler_fold(c, s->value) : -1;
	}
	case WT_AST_CMP:
		if ((a->u.cmp.op == WT_CMP_IN || a->u.cmp.op == WT_CMP_NOT_IN) && a->u.cmp.r->kind == WT_AST_LIST &&
		    a->u.cmp.r->u.list.n == 0)
			return a->u.cmp.op == WT_CMP_NOT_IN; /* nothing is in [] */
		return fold_literal_cmp(a);
	default: return -1;
	}
}

/* Structural equality of two expressions (exception identical to the condition). */
static bool same_expr(const struct wt_ast *a, const struct wt_ast *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case WT_AST_STR: return a->u.str.len == b->u.str.len && memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
	case WT_AST_INT:
	case WT_AST_BOOL: return a->u.i == b->u.i;
	case WT_AST_NAME:
		return strcmp(a->u.ref.name, b->u.ref.name) == 0 && a->u.ref.sel == b->u.ref.sel &&
		       a->u.ref.sel_index == b->u.ref.sel_index &&
		       (a->u.ref.sel != WT_SEL_LABEL || (a->u.ref.sel_key_len == b->u.ref.sel_key_len &&
							 memcmp(a->u.ref.sel_key, b->u.ref.sel_key, a->u.ref.sel_key_len) == 0));
	case WT_AST_CAPTURE: return strcmp(a->u.ref.name, b->u.ref.name) == 0;
	case WT_AST_CALL: return strcmp(a->u.call.fn, b->u.call.fn) == 0 && same_expr(a->u.call.arg, b->u.call.arg);
	case WT_AST_LIST:
		if (a->u.list.n != b->u.list.n)
			return false;
		for (unsigned i = 0; i < a->u.list.n; i++)
			if (!same_expr(a->u.list.items[i], b->u.list.items[i]))
				return false;
		return true;
	case WT_AST_NOT:
	case WT_AST_EXISTS: return same_expr(a->u.operand, b->u.operand);
	case WT_AST_AND:
	case WT_AST_OR: return same_expr(a->u.bin.l, b->u.bin.l) && same_expr(a->u.bin.r, b->u.bin.r);
	case WT_AST_CMP:
		return a->u.cmp.op == b->u.cmp.op && a->u.cmp.nocase == b->u.cmp.nocase &&
		       same_expr(a->u.cmp.l, b->u.cmp.l) && same_expr(a->u.cmp.r, b->u.cmp.r);
	}
	return false;
}

/* Rule clauses ----------------------------------------------------------------------- */

static bool mitre_ok(const char *s)
{
	/* T1234 or T1234.567 */
	if (s[0] != 'T')
		return false;
	for (int i = 1; i <= 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (s[5] == 0)
		return true;
	if (s[5] != '.')
		return false;
	for (int i = 6; i <= 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[9] == 0;
}

static void check_strings(struct wt_compiler *c, struct wt_ast *v, const char *what, bool mitre)
{
	struct wt_ast *one[1] = {v};
	struct wt_ast **items = v->kind == WT_AST_LIST ? v->u.list.items : one;
	unsigned n = v->kind == WT_AST_LIST ? v->u.list.n : 1;
	for (unsigned i = 0; i < n; i++) {
		if (items[i]->kind != WT_AST_STR) {
			wt_diag_add(c->diags, WT_DIAG_E0201, items[i]->loc, "%s are strings", what);
			continue;
		}
		if (mitre && !mitre_ok(items[i]->u.str.s)) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0204, items[i]->loc,
							"'%s' is not a MITRE ATT&CK technique id", items[i]->u.str.s);
			wt_diag_note(g, WT_LEVEL_HELP, noloc, "technique ids look like \"T1059\" or \"T1059.004\"");
		}
	}
}

static void check_template(struct wt_compiler *c, struct wt_ast *v)
{
	const char *s = v->u.str.s;
	for (size_t i = 0; i < v->u.str.len; i++) {
		if (s[i] == '}') {
			struct wt_loc at = v->loc;
			at.col = at.end_col = v->loc.col + 1 + (uint32_t)i;
			if (i + 1 < v->u.str.len && s[i + 1] == '}') {
				i++;
				continue;
			}
			wt_diag_add(c->diags, WT_DIAG_E0207, at, "unmatched '}' in output (write '}}' for a brace)");
			continue;
		}
		if (s[i] != '{')
			continue;
		if (i + 1 < v->u.str.len && s[i + 1] == '{') {
			i++;
			continue;
		}
		const char *end = memchr(s + i, '}', v->u.str.len - i);
		struct wt_loc at = v->loc;
		at.col = v->loc.col + 1 + (uint32_t)i; /* approximate when escapes precede */
		if (!end) {
			at.end_col = at.col;
			wt_diag_add(c->diags, WT_DIAG_E0207, at, "'{' without a closing '}' in output");
			return;
		}
		size_t n = (size_t)(end - s) - i - 1;
		at.end_col = at.col + (uint32_t)n + 1;
		int f = wt_field_lookup(s + i + 1, n);
		if (f < 0 || wt_fields[f].sel != WT_FSEL_NONE) {
			char name[128];
			snprintf(name, sizeof name, "%.*s", (int)(n < 100 ? n : 100), s + i + 1);
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0207, at,
							"output refers to unknown field '%s'", name);
			const char *m = closest_name(c, name, true, false);
			if (m)
				wt_diag_note(g, WT_LEVEL_HELP, noloc, "did you mean '%s'?", m);
		}
		i += n + 1;
	}
}

/* "2027-03-31" (end of that day, UTC) or an RFC 3339 time. */
static bool parse_expiry(const struct wt_ast *v, int64_t *out)
{
	const char *s = v->u.str.s;
	size_t n = v->u.str.len;
	if (n == 10) {
		char buf[32];
		snprintf(buf, sizeof buf, "%.10sT23:59:59Z", s);
		return wt_time_parse(buf, strlen(buf), out);
	}
	return wt_time_parse(s, n, out);
}

static bool check_except(struct wt_compiler *c, struct expr_ctx *x, struct wt_clause *cl,
			 struct wt_checked_except *out);

bool wt_compiler_check_except(struct wt_compiler *c, uint32_t kinds, const struct wt_cap_scope *scope,
			      struct wt_clause *cl, struct wt_checked_except *out)
{
	struct expr_ctx x = {c, kinds, false, scope};
	return check_except(c, &x, cl, out);
}

static bool check_except(struct wt_compiler *c, struct expr_ctx *x, struct wt_clause *cl,
			 struct wt_checked_except *out)
{
	memset(out, 0, sizeof *out);
	out->expr = cl->value;
	out->loc = cl->loc;
	out->scope_field = -1;
	bool ok = need_bool(x, cl->value, check_expr(x, cl->value)) == WT_T_BOOL;
	const struct wt_except_meta *m = &cl->meta;
	if (m->scope_kind) {
		static const struct { const char *name; enum wt_field_id f; } scopes[] = {
			{"workspace", WT_F_WORKSPACE_ID}, {"namespace", WT_F_POD_NAMESPACE}, {"image", WT_F_CONTAINER_IMAGE}};
		for (size_t i = 0; i < WT_ARRAY_LEN(scopes); i++)
			if (strcmp(m->scope_kind->u.ref.name, scopes[i].name) == 0)
				out->scope_field = scopes[i].f;
		if (out->scope_field < 0) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0211, m->scope_kind->loc,
							"unknown exception scope '%s'", m->scope_kind->u.ref.name);
			wt_diag_note(g, WT_LEVEL_NOTE, noloc, "scopes: workspace, namespace, image");
			ok = false;
		}
		out->scope_value = m->scope_value;
	}
	if (m->expires) {
		if (!parse_expiry(m->expires, &out->expires)) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0212, m->expires->loc,
							"'%s' is not a date", m->expires->u.str.s);
			wt_diag_note(g, WT_LEVEL_HELP, noloc,
				     "write \"2027-03-31\" or an RFC 3339 time, between 1900 and 2261");
			ok = false;
		} else {
			out->has_expiry = true;
			if (c->now && out->expires < c->now) {
				struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_W0008, m->expires->loc,
								"exception expired on %s and no longer applies",
								m->expires->u.str.s);
				if (m->owner)
					wt_diag_note(g, WT_LEVEL_NOTE, m->owner->loc, "owner: %s", m->owner->u.str.s);
				if (m->reason)
					wt_diag_note(g, WT_LEVEL_NOTE, noloc, "reason given: %s", m->reason->u.str.s);
			}
		}
	}
	return ok;
}

void wt_compiler_apply_clause(struct wt_compiler *c, struct wt_checked_rule *r, struct wt_clause *cl, bool *ok)
{
	switch (cl->kind) {
	case WT_CL_ON:
		r->kinds = 0;
		for (unsigned i = 0; i < cl->value->u.list.n; i++) {
			struct wt_ast *k = cl->value->u.list.items[i];
			int kind = wt_kind_lookup(k->u.ref.name, strlen(k->u.ref.name));
			if (kind < 0) {
				struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0105, k->loc,
								"unknown event kind '%s'", k->u.ref.name);
				const char *m = closest(k->u.ref.name, wt_kind_names, WT_KIND_COUNT);
				if (m)
					wt_diag_note(g, WT_LEVEL_HELP, noloc, "did you mean '%s'?", m);
				*ok = false;
			} else {
				r->kinds |= 1u << kind;
			}
		}
		break;
	case WT_CL_SEVERITY:
		r->severity = WT_SEV_COUNT;
		for (int s = 0; s < WT_SEV_COUNT; s++)
			if (strcmp(cl->value->u.ref.name, wt_severity_names[s]) == 0)
				r->severity = (enum wt_severity)s;
		if (r->severity == WT_SEV_COUNT) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0203, cl->value->loc,
							"unknown severity '%s'", cl->value->u.ref.name);
			wt_diag_note(g, WT_LEVEL_NOTE, noloc, "severities: info, low, medium, high, critical");
			*ok = false;
		}
		break;
	case WT_CL_MITRE: check_strings(c, cl->value, "MITRE technique ids", true); r->mitre = cl->value; break;
	case WT_CL_TAGS: check_strings(c, cl->value, "tags", false); r->tags = cl->value; break;
	case WT_CL_OUTPUT: check_template(c, cl->value); r->output = cl->value; break;
	case WT_CL_DESC: r->desc = cl->value; break;
	case WT_CL_ENABLED: r->enabled = cl->value->u.i != 0; break;
	case WT_CL_WHEN: r->when = cl->value; break;
	case WT_CL_EXCEPT: break; /* checked with the rule's kinds known */
	}
}

void wt_compiler_decl_clauses(struct wt_compiler *c, struct wt_decl *d, const char *what, struct wt_checked_rule *meta,
			      struct wt_clause **seen, struct wt_clause ***excepts, unsigned *n_excepts, bool *ok)
{
	for (struct wt_clause *cl = d->clauses; cl; cl = cl->next) {
		if (cl->kind != WT_CL_EXCEPT && seen[cl->kind]) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0206, cl->loc, "%s '%s' has this clause twice",
							what, d->name);
			wt_diag_note(g, WT_LEVEL_NOTE, seen[cl->kind]->loc, "first given here");
			*ok = false;
			continue;
		}
		seen[cl->kind] = cl;
		if (cl->kind == WT_CL_EXCEPT) {
			*excepts = wt_xrealloc(*excepts, (*n_excepts + 1) * sizeof **excepts);
			(*excepts)[(*n_excepts)++] = cl;
			continue;
		}
		wt_compiler_apply_clause(c, meta, cl, ok);
	}
}

/* Clauses of one declaration: duplicates reported, values applied to r. */
static void apply_decl(struct wt_compiler *c, struct wt_checked_rule *r, struct wt_decl *d, bool is_override,
		       struct wt_clause ***excepts, unsigned *n_excepts, bool *ok)
{
	struct wt_clause *seen[WT_CL_ENABLED + 1] = {0};
	for (struct wt_clause *cl = d->clauses; cl; cl = cl->next) {
		if (cl->kind != WT_CL_EXCEPT && seen[cl->kind]) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0206, cl->loc,
							"rule '%s' has this clause twice", d->name);
			wt_diag_note(g, WT_LEVEL_NOTE, seen[cl->kind]->loc, "first given here");
			*ok = false;
			continue;
		}
		seen[cl->kind] = cl;
		if (is_override && (cl->kind == WT_CL_ON || cl->kind == WT_CL_WHEN)) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0111, cl->loc,
							"an override cannot change '%s' of rule '%s'",
							cl->kind == WT_CL_ON ? "on" : "when", d->name);
			wt_diag_note(g, WT_LEVEL_HELP, noloc,
				     "add 'except' clauses, or disable it ('enabled false') and write a new rule");
			*ok = false;
			continue;
		}
		if (cl->kind == WT_CL_EXCEPT) {
			PUSH(*excepts, *n_excepts, cl);
			continue;
		}
		wt_compiler_apply_clause(c, r, cl, ok);
	}
	if (!is_override) {
		static const struct { enum wt_clause_kind k; const char *name; } required[] = {
			{WT_CL_ON, "on"}, {WT_CL_WHEN, "when"}, {WT_CL_SEVERITY, "severity"}};
		for (size_t i = 0; i < WT_ARRAY_LEN(required); i++)
			if (!seen[required[i].k]) {
				wt_diag_add(c->diags, WT_DIAG_E0205, d->name_loc, "rule '%s' has no '%s' clause",
					    d->name, required[i].name);
				*ok = false;
			}
	}
}

static void check_rule(struct wt_compiler *c, struct wt_sym *sym)
{
	struct wt_decl *d = sym->decl;
	struct wt_checked_rule r = {.decl = d, .enabled = true, .severity = WT_SEV_LOW};
	bool ok = true;
	struct wt_clause **excepts = NULL;
	unsigned n_excepts = 0;
	apply_decl(c, &r, d, false, &excepts, &n_excepts, &ok);
	for (unsigned i = 0; i < sym->n_overrides; i++)
		apply_decl(c, &r, sym->overrides[i], true, &excepts, &n_excepts, &ok);
	if (!r.output && ok)
		wt_diag_add(c->diags, WT_DIAG_W0003, d->name_loc,
			    "rule '%s' has no output template; threats will carry only the rule name", d->name);
	struct expr_ctx x = {c, r.kinds, false, NULL};
	if (r.when && need_bool(&x, r.when, check_expr(&x, r.when)) != WT_T_BOOL)
		ok = false;
	r.excepts = wt_xcalloc(n_excepts ? n_excepts : 1, sizeof *r.excepts);
	for (unsigned i = 0; i < n_excepts; i++)
		if (!check_except(c, &x, excepts[i], &r.excepts[r.n_excepts++]))
			ok = false;
	free(excepts);
	if (ok && r.when) {
		int v = wt_compiler_fold(c, r.when);
		if (v == 1 && r.n_excepts == 0)
			wt_diag_add(c->diags, WT_DIAG_W0005, r.when->loc,
				    "the condition of rule '%s' is always true: it fires on every %s event", d->name,
				    r.kinds == (1u << WT_KIND_EXEC) ? "exec" : "matching");
		else if (v == 0)
			wt_diag_add(c->diags, WT_DIAG_W0006, r.when->loc,
				    "the condition of rule '%s' is always false: it can never fire", d->name);
		for (unsigned i = 0; i < r.n_excepts; i++) {
			const struct wt_checked_except *e = &r.excepts[i];
			if (e->scope_field >= 0 || e->has_expiry)
				continue; /* scoped or temporary: never covers the whole rule */
			if (wt_compiler_fold(c, e->expr) == 1 || same_expr(e->expr, r.when)) {
				struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_W0007, e->expr->loc,
								"this exception covers every event rule '%s' matches",
								d->name);
				wt_diag_note(g, WT_LEVEL_HELP, noloc, "to switch the rule off write 'enabled false'");
			}
		}
	}
	if (!ok) {
		free(r.excepts);
		return;
	}
	c->rules = wt_xrealloc(c->rules, (c->n_rules + 1) * sizeof *c->rules);
	c->rules[c->n_rules++] = r;
}

enum wt_err wt_compiler_check(struct wt_compiler *c)
{
	collect_symbols(c);
	for (unsigned i = 0; i < c->n_syms; i++)
		if (c->syms[i].kind == WT_SYM_LIST)
			resolve_list(c, &c->syms[i]);
	/* Macro bodies are checked on their own once (so errors show even when unused). */
	for (unsigned i = 0; i < c->n_syms; i++)
		if (c->syms[i].kind == WT_SYM_MACRO && c->syms[i].state == 0)
			check_macro(c, &c->syms[i]);
	/* A list or macro counts as used when a rule or another macro refers to it; only the
	 * outermost unused definition of a chain is reported. */
	for (unsigned i = 0; i < c->n_syms; i++)
		if (c->syms[i].kind == WT_SYM_RULE)
			check_rule(c, &c->syms[i]);
	wt_compiler_check_paths(c);
	wt_compiler_check_rarities(c);
	for (unsigned i = 0; i < c->n_syms; i++) {
		struct wt_sym *s = &c->syms[i];
		if (s->kind != WT_SYM_RULE && !s->used)
			wt_diag_add(c->diags, WT_DIAG_W0001, s->decl->name_loc, "%s '%s' is never used",
				    sym_kind_name(s->kind), s->decl->name);
	}
	return c->diags->n_errors ? WT_E_COMPILE : WT_OK;
}
