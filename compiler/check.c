/* Semantic pass: builds the symbol table (lists, macros, rules), resolves every name to a
 * field, macro or list, expands lists, detects cycles, type-checks every expression and
 * rule clause, and reports each problem with its span, code and did-you-mean notes. */
#include "compile.h"
#include "field.h"
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

static struct wt_loc noloc = {0};

struct wt_sym *wt_compiler_find(struct wt_compiler *c, const char *name)
{
	for (unsigned i = 0; i < c->n_syms; i++)
		if (strcmp(c->syms[i].decl->name, name) == 0)
			return &c->syms[i];
	return NULL;
}

unsigned wt_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	unsigned row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned prev = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned cur = row[j];
			unsigned sub = prev + (a[i - 1] != b[j - 1]);
			unsigned del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = cur;
		}
	}
	return row[lb];
}

/* Best candidate within a distance proportional to the name's length, or NULL. */
static const char *closest(const char *name, const char *const *cands, size_t n)
{
	const char *best = NULL;
	unsigned bestd = (unsigned)strlen(name) / 3 + 1;
	for (size_t i = 0; i < n; i++) {
		unsigned d = wt_edit_distance(name, cands[i]);
		if (d < bestd || (d == bestd && !best && d <= 2)) {
			bestd = d;
			best = cands[i];
		}
	}
	return best;
}

static const char *closest_name(struct wt_compiler *c, const char *name, bool fields, bool syms)
{
	const char *cands[WT_F_COUNT + 512];
	size_t n = 0;
	if (fields)
		for (int i = 0; i < WT_F_COUNT; i++)
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

static void collect_symbols(struct wt_compiler *c)
{
	for (unsigned f = 0; f < c->n_files; f++) {
		for (struct wt_decl *d = c->files[f].decls; d; d = d->next) {
			if (!d->name)
				continue;
			struct wt_sym *prev = wt_compiler_find(c, d->name);
			bool clash = prev && (prev->kind != WT_SYM_RULE) == (d->kind != WT_DECL_RULE);
			if (clash) {
				struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0103, d->name_loc,
								"%s '%s' is already defined",
								sym_kind_name(prev->kind), d->name);
				wt_diag_note(g, WT_LEVEL_NOTE, prev->decl->name_loc, "first defined here");
				continue;
			}
			if (c->n_syms == c->cap_syms) {
				c->cap_syms = c->cap_syms ? c->cap_syms * 2 : 64;
				c->syms = wt_xrealloc(c->syms, c->cap_syms * sizeof *c->syms);
			}
			struct wt_sym *s = &c->syms[c->n_syms++];
			memset(s, 0, sizeof *s);
			s->kind = d->kind == WT_DECL_LIST ? WT_SYM_LIST :
				  d->kind == WT_DECL_MACRO ? WT_SYM_MACRO : WT_SYM_RULE;
			s->decl = d;
		}
	}
}

/* Rules and macros/lists live in separate namespaces; this finds a list or macro. */
static struct wt_sym *find_def(struct wt_compiler *c, const char *name)
{
	for (unsigned i = 0; i < c->n_syms; i++)
		if (c->syms[i].kind != WT_SYM_RULE && strcmp(c->syms[i].decl->name, name) == 0)
			return &c->syms[i];
	return NULL;
}

static void list_push(struct wt_sym *s, struct wt_ast *item)
{
	s->items = wt_xrealloc(s->items, (s->n_items + 1) * sizeof *s->items);
	s->items[s->n_items++] = item;
}

static enum wt_type literal_type(const struct wt_ast *a)
{
	return a->kind == WT_AST_STR ? WT_T_STR : a->kind == WT_AST_INT ? WT_T_INT :
	       a->kind == WT_AST_BOOL ? WT_T_BOOL : WT_T_NONE;
}

static bool resolve_list(struct wt_compiler *c, struct wt_sym *s);

/* Append the literals of a list expression (literals and names of other lists) to dst. */
static bool flatten_list(struct wt_compiler *c, struct wt_ast *list, struct wt_sym *dst)
{
	bool ok = true;
	for (unsigned i = 0; i < list->u.list.n; i++) {
		struct wt_ast *it = list->u.list.items[i];
		if (it->kind == WT_AST_NAME) {
			struct wt_sym *ref = find_def(c, it->u.name);
			if (!ref || ref->kind != WT_SYM_LIST) {
				struct wt_diag *g = wt_diag_add(c->diags, ref ? WT_DIAG_E0107 : WT_DIAG_E0102, it->loc,
								ref ? "'%s' is a macro, not a list" : "unknown list '%s'",
								it->u.name);
				const char *m = ref ? NULL : closest_name(c, it->u.name, false, true);
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
		enum wt_type t = literal_type(it);
		if (t == WT_T_BOOL) {
			wt_diag_add(c->diags, WT_DIAG_E0201, it->loc, "lists hold strings or integers, not booleans");
			ok = false;
			continue;
		}
		list_push(dst, it);
	}
	/* one element type per list */
	enum wt_type t = WT_T_NONE;
	for (unsigned i = 0; i < dst->n_items && ok; i++) {
		enum wt_type it = literal_type(dst->items[i]);
		if (t == WT_T_NONE)
			t = it;
		else if (t != it) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0208, dst->items[i]->loc,
							"this %s is in a list of %ss", wt_type_name(it), wt_type_name(t));
			wt_diag_note(g, WT_LEVEL_NOTE, dst->items[0]->loc, "the list's first element is here");
			ok = false;
		}
	}
	dst->item_type = t;
	return ok;
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
	bool ok = flatten_list(c, s->decl->value, s);
	s->state = 2;
	s->bad = !ok;
	return ok;
}

/* Expression checking ---------------------------------------------------------------- */

struct expr_ctx {
	struct wt_compiler *c;
	uint32_t kinds;         /* the rule's kinds, 0 inside a macro definition */
	struct wt_decl *rule;
	bool warned_kinds;
};

static enum wt_type check_expr(struct expr_ctx *x, struct wt_ast *a);
static enum wt_type need_bool(struct expr_ctx *x, struct wt_ast *a, enum wt_type t);

/* Check a macro body on its own, once; a body that is not a valid condition marks it bad. */
static void check_macro(struct wt_compiler *c, struct wt_sym *s)
{
	struct expr_ctx x = {c, 0, NULL, false};
	s->state = 1;
	enum wt_type t = need_bool(&x, s->decl->value, check_expr(&x, s->decl->value));
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

static enum wt_type check_name(struct expr_ctx *x, struct wt_ast *a)
{
	struct wt_compiler *c = x->c;
	int f = wt_field_lookup(a->u.name, strlen(a->u.name));
	if (f >= 0) {
		if (x->kinds && !(wt_fields[f].kinds & x->kinds) && !x->warned_kinds) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_W0002, a->loc,
							"field '%s' is never set on the events this rule is 'on'",
							a->u.name);
			wt_diag_note(g, WT_LEVEL_NOTE, noloc, "'%s' is set on %s events", a->u.name,
				     (wt_fields[f].kinds & KM_HOOK) == KM_HOOK ? "kprobe, tracepoint, lsm and uprobe" :
				     wt_fields[f].kinds == KM_EXIT ? "exit" : "other");
			x->warned_kinds = true;
		}
		return wt_fields[f].type;
	}
	struct wt_sym *s = find_def(c, a->u.name);
	if (s && s->kind == WT_SYM_MACRO) {
		s->used = true;
		if (s->state == 1) {
			if (!s->bad)
				wt_diag_add(c->diags, WT_DIAG_E0104, a->loc, "macro '%s' refers to itself",
					    a->u.name);
			s->bad = true;
			return WT_T_NONE;
		}
		if (s->state == 0)
			check_macro(c, s);
		if (s->bad)
			return WT_T_NONE; /* its own errors were reported where it is defined */
		if (x->kinds) {
			/* Check the body again in this rule's context: marks nested uses and warns
			 * about fields the rule's kinds never carry. Good macros have no cycles. */
			check_expr(x, s->decl->value);
		}
		return WT_T_BOOL;
	}
	if (s && s->kind == WT_SYM_LIST) {
		s->used = true;
		wt_diag_add(c->diags, WT_DIAG_E0107, a->loc,
			    "'%s' is a list; use it on the right of 'in'", a->u.name);
		return WT_T_NONE;
	}
	struct wt_diag *g = wt_diag_add(c->diags, strchr(a->u.name, '.') ? WT_DIAG_E0101 : WT_DIAG_E0102,
					a->loc, strchr(a->u.name, '.') ? "unknown field '%s'" : "unknown name '%s'",
					a->u.name);
	const char *m = closest_name(c, a->u.name, true, true);
	if (m)
		wt_diag_note(g, WT_LEVEL_HELP, noloc, "did you mean '%s'?", m);
	return WT_T_NONE;
}

/* True when the operand reads the event (a field, possibly transformed). */
static bool reads_field(const struct wt_ast *a)
{
	if (a->kind == WT_AST_CALL)
		return reads_field(a->u.call.arg);
	return a->kind == WT_AST_NAME;
}

static enum wt_type check_operand(struct expr_ctx *x, struct wt_ast *a)
{
	switch (a->kind) {
	case WT_AST_STR: return WT_T_STR;
	case WT_AST_INT: return WT_T_INT;
	case WT_AST_BOOL: return WT_T_BOOL;
	case WT_AST_NAME: return check_name(x, a);
	case WT_AST_CALL: {
		enum wt_type t = check_operand(x, a->u.call.arg);
		if (strcmp(a->u.call.fn, "basename") != 0 && strcmp(a->u.call.fn, "dirname") != 0) {
			struct wt_diag *g = wt_diag_add(x->c->diags, WT_DIAG_E0106, a->u.call.fn_loc,
							"unknown function '%s'", a->u.call.fn);
			wt_diag_note(g, WT_LEVEL_NOTE, noloc, "functions: basename, dirname");
			return WT_T_NONE;
		}
		if (t != WT_T_NONE && elem_type(t) != WT_T_STR) {
			wt_diag_add(x->c->diags, WT_DIAG_E0201, a->u.call.arg->loc,
				    "%s() takes a string, this is %s", a->u.call.fn, wt_type_name(t));
			return WT_T_NONE;
		}
		return t;
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

static enum wt_type check_cmp(struct expr_ctx *x, struct wt_ast *a)
{
	struct wt_compiler *c = x->c;
	struct wt_ast *l = a->u.cmp.l, *r = a->u.cmp.r;
	enum wt_cmp op = a->u.cmp.op;
	enum wt_type lt = check_operand(x, l);
	if (op == WT_CMP_IN || op == WT_CMP_NOT_IN) {
		/* The right side is a list literal or a list name; resolve it into a temporary. */
		struct wt_sym tmp = {0};
		bool ok;
		if (r->kind == WT_AST_NAME) {
			struct wt_sym *ls = find_def(c, r->u.name);
			if (!ls || ls->kind != WT_SYM_LIST) {
				struct wt_diag *g = wt_diag_add(c->diags, ls ? WT_DIAG_E0107 : WT_DIAG_E0102, r->loc,
								ls ? "'%s' is a macro, not a list" : "unknown list '%s'",
								r->u.name);
				const char *m = ls ? NULL : closest_name(c, r->u.name, false, true);
				if (m)
					wt_diag_note(g, WT_LEVEL_HELP, noloc, "did you mean '%s'?", m);
				return WT_T_NONE;
			}
			ls->used = true;
			ok = resolve_list(c, ls);
			tmp.item_type = ls->item_type;
		} else {
			ok = flatten_list(c, r, &tmp);
		}
		enum wt_type it = tmp.item_type;
		free(tmp.items);
		if (!ok || lt == WT_T_NONE)
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
	if (is_list_type(rt)) {
		wt_diag_add(c->diags, WT_DIAG_E0201, r->loc,
			    "a %s field goes on the left of '%s'", wt_type_name(rt), wt_cmp_name(op));
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
	default: /* startswith, endswith, contains */
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
	case WT_AST_NAME: {
		enum wt_type t = check_name(x, a);
		return need_bool(x, a, t);
	}
	default:
		return need_bool(x, a, check_operand(x, a));
	}
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
		if (wt_field_lookup(s + i + 1, n) < 0) {
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

static void check_rule(struct wt_compiler *c, struct wt_decl *d)
{
	struct wt_checked_rule r = {.decl = d, .enabled = true, .severity = WT_SEV_COUNT};
	struct wt_clause *seen[WT_CL_ENABLED + 1] = {0};
	bool ok = true;
	for (struct wt_clause *cl = d->clauses; cl; cl = cl->next) {
		if (cl->kind != WT_CL_EXCEPT && seen[cl->kind]) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0206, cl->loc,
							"rule '%s' has this clause twice", d->name);
			wt_diag_note(g, WT_LEVEL_NOTE, seen[cl->kind]->loc, "first given here");
			ok = false;
			continue;
		}
		seen[cl->kind] = cl;
		switch (cl->kind) {
		case WT_CL_ON:
			for (unsigned i = 0; i < cl->value->u.list.n; i++) {
				struct wt_ast *k = cl->value->u.list.items[i];
				int kind = wt_kind_lookup(k->u.name, strlen(k->u.name));
				if (kind < 0) {
					struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0105, k->loc,
									"unknown event kind '%s'", k->u.name);
					const char *m = closest(k->u.name, wt_kind_names, WT_KIND_COUNT);
					if (m)
						wt_diag_note(g, WT_LEVEL_HELP, noloc, "did you mean '%s'?", m);
					ok = false;
				} else {
					r.kinds |= 1u << kind;
				}
			}
			break;
		case WT_CL_SEVERITY:
			for (int s = 0; s < WT_SEV_COUNT; s++)
				if (strcmp(cl->value->u.name, wt_severity_names[s]) == 0)
					r.severity = (enum wt_severity)s;
			if (r.severity == WT_SEV_COUNT) {
				struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0203, cl->value->loc,
								"unknown severity '%s'", cl->value->u.name);
				wt_diag_note(g, WT_LEVEL_NOTE, noloc, "severities: info, low, medium, high, critical");
				ok = false;
			}
			break;
		case WT_CL_MITRE: check_strings(c, cl->value, "MITRE technique ids", true); r.mitre = cl->value; break;
		case WT_CL_TAGS: check_strings(c, cl->value, "tags", false); r.tags = cl->value; break;
		case WT_CL_OUTPUT: check_template(c, cl->value); r.output = cl->value; break;
		case WT_CL_DESC: r.desc = cl->value; break;
		case WT_CL_ENABLED: r.enabled = cl->value->u.i != 0; break;
		case WT_CL_WHEN: r.when = cl->value; break;
		case WT_CL_EXCEPT:
			r.excepts = wt_xrealloc(r.excepts, (r.n_excepts + 1) * sizeof *r.excepts);
			r.excepts[r.n_excepts++] = cl->value;
			break;
		}
	}
	static const struct { enum wt_clause_kind k; const char *name; } required[] = {
		{WT_CL_ON, "on"}, {WT_CL_WHEN, "when"}, {WT_CL_SEVERITY, "severity"}};
	for (size_t i = 0; i < WT_ARRAY_LEN(required); i++)
		if (!seen[required[i].k]) {
			wt_diag_add(c->diags, WT_DIAG_E0205, d->name_loc, "rule '%s' has no '%s' clause",
				    d->name, required[i].name);
			ok = false;
		}
	if (!r.output && ok)
		wt_diag_add(c->diags, WT_DIAG_W0003, d->name_loc,
			    "rule '%s' has no output template; threats will carry only the rule name", d->name);
	struct expr_ctx x = {c, r.kinds, d, false};
	if (r.when && need_bool(&x, r.when, check_expr(&x, r.when)) != WT_T_BOOL)
		ok = false;
	for (unsigned i = 0; i < r.n_excepts; i++)
		if (need_bool(&x, r.excepts[i], check_expr(&x, r.excepts[i])) != WT_T_BOOL)
			ok = false;
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
			check_rule(c, c->syms[i].decl);
	for (unsigned i = 0; i < c->n_syms; i++) {
		struct wt_sym *s = &c->syms[i];
		if (s->kind != WT_SYM_RULE && !s->used)
			wt_diag_add(c->diags, WT_DIAG_W0001, s->decl->name_loc, "%s '%s' is never used",
				    sym_kind_name(s->kind), s->decl->name);
	}
	return c->diags->n_errors ? WT_E_COMPILE : WT_OK;
}
