/* Code generation: lowers each checked rule's condition (when ... and not except ...) to
 * stack-VM instructions with short-circuit jumps, and fills the ruleset's constant tables
 * (strings, ints, sets for `in`, regexes, templates). Deterministic: same input, same bytes. */
#include "compile.h"
#include <stdlib.h>
#include <string.h>

struct gen {
	struct wt_compiler *c;
	struct wt_bc_writer *w;
	uint32_t rule_start; /* first instruction of the rule being generated */
	bool overflow;       /* the rule passed WT_MAX_RULE_CODE: stop expanding it */
	const struct wt_checked_path *path; /* while generating a path's code */
};

static uint32_t emit(struct gen *g, enum wt_op op, uint8_t a, uint16_t b, uint32_t c, struct wt_loc loc)
{
	if (g->w->n_code - g->rule_start > WT_MAX_RULE_CODE) {
		g->overflow = true; /* nested macros can expand exponentially: bail out early */
		return g->w->n_code - 1;
	}
	return wt_bc_emit(g->w, (uint8_t)op, a, b, c, loc.line, loc.col);
}

static void patch(struct gen *g, uint32_t at)
{
	g->w->code[at].c = g->w->n_code;
}

static struct wt_sym *find_def(struct wt_compiler *c, const char *name)
{
	return wt_compiler_find_def(c, name);
}

/* Constant set of a list literal or list name, items interned in list order (which is
 * deterministic). CIDR sets hold the range strings; the loader parses them. */
static uint32_t gen_set(struct gen *g, struct wt_ast *r, bool cidr)
{
	struct wt_ast **items;
	unsigned n;
	struct wt_ast *one[1];
	if (r->kind == WT_AST_NAME) {
		struct wt_sym *s = find_def(g->c, r->u.ref.name);
		items = s->items;
		n = s->n_items;
	} else {
		items = r->u.list.items;
		n = r->u.list.n;
		/* literal lists may name other lists: flatten here */
		unsigned total = 0;
		for (unsigned i = 0; i < n; i++)
			total += items[i]->kind == WT_AST_NAME ? find_def(g->c, items[i]->u.ref.name)->n_items : 1;
		if (total != n) {
			struct wt_ast **flat = wt_xmalloc(total * sizeof *flat);
			unsigned k = 0;
			for (unsigned i = 0; i < n; i++) {
				if (items[i]->kind == WT_AST_NAME) {
					struct wt_sym *s = find_def(g->c, items[i]->u.ref.name);
					memcpy(flat + k, s->items, s->n_items * sizeof *flat);
					k += s->n_items;
				} else {
					flat[k++] = items[i];
				}
			}
			uint32_t set;
			uint32_t *ids = wt_xmalloc((total ? total : 1) * sizeof *ids);
			bool is_int = total && flat[0]->kind == WT_AST_INT;
			for (unsigned i = 0; i < total; i++)
				ids[i] = is_int ? wt_bc_add_int(g->w, flat[i]->u.i) :
						  wt_bc_add_string(g->w, flat[i]->u.str.s, flat[i]->u.str.len);
			set = wt_bc_add_set(g->w, is_int ? WT_SET_INT : cidr ? WT_SET_CIDR : WT_SET_STR, ids, total);
			free(ids);
			free(flat);
			return set;
		}
	}
	(void)one;
	uint32_t *ids = wt_xmalloc((n ? n : 1) * sizeof *ids);
	bool is_int = n && items[0]->kind == WT_AST_INT;
	for (unsigned i = 0; i < n; i++)
		ids[i] = is_int ? wt_bc_add_int(g->w, items[i]->u.i) :
				  wt_bc_add_string(g->w, items[i]->u.str.s, items[i]->u.str.len);
	uint32_t set = wt_bc_add_set(g->w, is_int ? WT_SET_INT : cidr ? WT_SET_CIDR : WT_SET_STR, ids, n);
	free(ids);
	return set;
}

static void gen_expr(struct gen *g, struct wt_ast *a);

/* LOAD or EXISTS of a field, with its selector. */
static void emit_field(struct gen *g, enum wt_op op, const struct wt_ast *a, int f)
{
	uint32_t c = 0;
	if (a->u.ref.sel == WT_SEL_INDEX)
		c = (uint32_t)a->u.ref.sel_index;
	else if (a->u.ref.sel == WT_SEL_LABEL)
		c = wt_bc_add_string(g->w, a->u.ref.sel_key, a->u.ref.sel_key_len);
	emit(g, op, (uint8_t)a->u.ref.sel, (uint16_t)f, c, a->loc);
}

static void gen_operand(struct gen *g, struct wt_ast *a)
{
	switch (a->kind) {
	case WT_AST_STR:
		emit(g, WT_OP_PUSH_STR, 0, 0, wt_bc_add_string(g->w, a->u.str.s, a->u.str.len), a->loc);
		return;
	case WT_AST_INT:
		emit(g, WT_OP_PUSH_INT, 0, 0, wt_bc_add_int(g->w, a->u.i), a->loc);
		return;
	case WT_AST_BOOL:
		emit(g, WT_OP_PUSH_BOOL, (uint8_t)a->u.i, 0, 0, a->loc);
		return;
	case WT_AST_NAME: {
		int f = wt_field_lookup(a->u.ref.name, strlen(a->u.ref.name));
		if (f >= 0) {
			emit_field(g, WT_OP_LOAD, a, f);
			return;
		}
		/* a macro: inline its body */
		gen_expr(g, find_def(g->c, a->u.ref.name)->value);
		return;
	}
	case WT_AST_CAPTURE: {
		uint32_t k = 0;
		while (g->path && k < g->path->n_caps && strcmp(g->path->cap_names[k], a->u.ref.name) != 0)
			k++;
		emit(g, WT_OP_LOAD_CAPTURE, 0, 0, k, a->loc);
		return;
	}
	case WT_AST_CALL: {
		static const struct { const char *fn; enum wt_op op; } fns[] = {
			{"basename", WT_OP_BASENAME}, {"dirname", WT_OP_DIRNAME}, {"normpath", WT_OP_NORMPATH},
			{"lower", WT_OP_LOWER}, {"b64decode", WT_OP_B64DECODE}, {"tokens", WT_OP_TOKENS},
			{"generalize", WT_OP_GENERALIZE}, {"pathprefix", WT_OP_PATHPREFIX},
			{"addrclass", WT_OP_ADDRCLASS}, {"portclass", WT_OP_PORTCLASS}};
		gen_operand(g, a->u.call.arg);
		for (size_t i = 0; i < WT_ARRAY_LEN(fns); i++)
			if (strcmp(a->u.call.fn, fns[i].fn) == 0)
				emit(g, fns[i].op, 0, 0, 0, a->loc);
		return;
	}
	default:
		gen_expr(g, a);
		return;
	}
}

static bool is_list_operand(struct wt_ast *a)
{
	if (a->kind == WT_AST_CALL)
		return is_list_operand(a->u.call.arg);
	if (a->kind != WT_AST_NAME)
		return false;
	int f = wt_field_lookup(a->u.ref.name, strlen(a->u.ref.name));
	return f >= 0 && (wt_fields[f].type == WT_T_STRLIST || wt_fields[f].type == WT_T_INTLIST);
}

static void gen_cmp(struct gen *g, struct wt_ast *a)
{
	struct wt_ast *l = a->u.cmp.l, *r = a->u.cmp.r;
	uint8_t flags = a->u.cmp.nocase ? WT_OPF_NOCASE : 0;
	enum wt_op op;
	bool negate = false;
	switch (a->u.cmp.op) {
	case WT_CMP_IN:
	case WT_CMP_NOT_IN: {
		int f = wt_compiler_field_of(l);
		bool cidr = f >= 0 && wt_fields[f].type == WT_T_ADDR;
		gen_operand(g, l);
		emit(g, cidr ? WT_OP_IN_CIDR : WT_OP_IN_SET, 0, 0, gen_set(g, r, cidr), a->loc);
		if (a->u.cmp.op == WT_CMP_NOT_IN)
			emit(g, WT_OP_NOT, 0, 0, 0, a->loc);
		return;
	}
	case WT_CMP_REGEX: {
		gen_operand(g, l);
		uint32_t s = wt_bc_add_string(g->w, r->u.str.s, r->u.str.len);
		emit(g, WT_OP_REGEX, 0, 0, wt_bc_add_regex(g->w, s, a->u.cmp.nocase ? WT_REGEX_CASELESS : 0), a->loc);
		return;
	}
	case WT_CMP_EQ: op = WT_OP_EQ; break;
	case WT_CMP_NE: op = WT_OP_EQ; negate = true; break;
	case WT_CMP_LT: op = WT_OP_LT; break;
	case WT_CMP_LE: op = WT_OP_LE; break;
	case WT_CMP_GT: op = WT_OP_GT; break;
	case WT_CMP_GE: op = WT_OP_GE; break;
	case WT_CMP_STARTSWITH: op = WT_OP_STARTSWITH; break;
	case WT_CMP_ENDSWITH: op = WT_OP_ENDSWITH; break;
	case WT_CMP_GLOB: op = WT_OP_GLOB; break;
	default: op = WT_OP_CONTAINS; break;
	}
	/* Lists go on the left (any-element semantics); the checker put them there except for
	 * equality, which is symmetric. */
	if (op == WT_OP_EQ && is_list_operand(r) && !is_list_operand(l)) {
		struct wt_ast *t = l;
		l = r;
		r = t;
	}
	gen_operand(g, l);
	gen_operand(g, r);
	emit(g, op, (wt_ops[op].flags & WT_OPF_NOCASE) ? flags : 0, 0, 0, a->loc);
	if (negate)
		emit(g, WT_OP_NOT, 0, 0, 0, a->loc);
}

static void gen_expr(struct gen *g, struct wt_ast *a)
{
	if (g->overflow)
		return;
	int constant = wt_compiler_fold(g->c, a);
	if (constant >= 0) {
		emit(g, WT_OP_PUSH_BOOL, (uint8_t)constant, 0, 0, a->loc);
		return;
	}
	switch (a->kind) {
	case WT_AST_AND:
	case WT_AST_OR: {
		/* a constant side that does not decide the result drops out */
		int l = wt_compiler_fold(g->c, a->u.bin.l), r = wt_compiler_fold(g->c, a->u.bin.r);
		int neutral = a->kind == WT_AST_AND ? 1 : 0;
		if (l == neutral) {
			gen_expr(g, a->u.bin.r);
			return;
		}
		if (r == neutral) {
			gen_expr(g, a->u.bin.l);
			return;
		}
		gen_expr(g, a->u.bin.l);
		uint32_t j = emit(g, a->kind == WT_AST_AND ? WT_OP_JFALSE_OR_POP : WT_OP_JTRUE_OR_POP, 0, 0, 0, a->loc);
		gen_expr(g, a->u.bin.r);
		patch(g, j);
		return;
	}
	case WT_AST_NOT:
		gen_expr(g, a->u.operand);
		emit(g, WT_OP_NOT, 0, 0, 0, a->loc);
		return;
	case WT_AST_CMP:
		gen_cmp(g, a);
		return;
	case WT_AST_EXISTS: {
		struct wt_ast *f = a->u.operand;
		while (f->kind == WT_AST_CALL)
			f = f->u.call.arg;
		emit_field(g, WT_OP_EXISTS, f, wt_compiler_field_of(f));
		return;
	}
	default:
		gen_operand(g, a);
		return;
	}
}

static void gen_except(struct gen *g, const struct wt_checked_except *e)
{
	gen_expr(g, e->expr);
	uint32_t jumps[2];
	int n = 0;
	if (e->scope_field >= 0) {
		jumps[n++] = emit(g, WT_OP_JFALSE_OR_POP, 0, 0, 0, e->loc);
		emit(g, WT_OP_LOAD, 0, (uint16_t)e->scope_field, 0, e->scope_value->loc);
		emit(g, WT_OP_PUSH_STR, 0, 0,
		     wt_bc_add_string(g->w, e->scope_value->u.str.s, e->scope_value->u.str.len), e->scope_value->loc);
		emit(g, WT_OP_EQ, 0, 0, 0, e->scope_value->loc);
	}
	if (e->has_expiry) {
		jumps[n++] = emit(g, WT_OP_JFALSE_OR_POP, 0, 0, 0, e->loc);
		emit(g, WT_OP_LOAD, 0, WT_F_EVENT_TIME, 0, e->loc);
		emit(g, WT_OP_PUSH_INT, 0, 0, wt_bc_add_int(g->w, e->expires), e->loc);
		emit(g, WT_OP_LT, 0, 0, 0, e->loc);
	}
	for (int i = 0; i < n; i++)
		patch(g, jumps[i]);
}

static uint32_t gen_strset(struct gen *g, struct wt_ast *v)
{
	if (!v)
		return WT_BC_NONE;
	struct wt_ast *one[1] = {v};
	struct wt_ast **items = v->kind == WT_AST_LIST ? v->u.list.items : one;
	unsigned n = v->kind == WT_AST_LIST ? v->u.list.n : 1;
	uint32_t *ids = wt_xmalloc((n ? n : 1) * sizeof *ids);
	for (unsigned i = 0; i < n; i++)
		ids[i] = wt_bc_add_string(g->w, items[i]->u.str.s, items[i]->u.str.len);
	uint32_t s = wt_bc_add_set(g->w, WT_SET_STR, ids, n);
	free(ids);
	return s;
}

/* Literal-key index: a top-level conjunct `F == "lit"` or `F in [lits]` of the condition
 * (through macros) on a plain string field, with basename(process.binary) read as
 * process.basename. Any match needs F among those strings, so the daemon need not run the
 * rule for other values. Prefers the conjunct with the fewest keys. */
static uint32_t g_index_pass; /* distinguishes rules for the macro visit marks */

struct index_key {
	int field;
	struct wt_ast *cmp; /* the comparison */
	unsigned n;
};

static int index_field(const struct wt_ast *operand)
{
	if (operand->kind == WT_AST_CALL && strcmp(operand->u.call.fn, "basename") == 0) {
		int f = wt_compiler_field_of(operand->u.call.arg);
		if (f == WT_F_PROC_BINARY)
			return WT_F_PROC_BASENAME;
		if (f == WT_F_PARENT_BINARY)
			return WT_F_PARENT_BASENAME;
		return -1;
	}
	int f = wt_compiler_field_of(operand);
	return f >= 0 && wt_bc_indexable_field((uint32_t)f) ? f : -1;
}

static void find_index_key(struct wt_compiler *c, struct wt_ast *a, struct index_key *best, int depth)
{
	if (depth > 32)
		return;
	if (a->kind == WT_AST_AND) {
		find_index_key(c, a->u.bin.l, best, depth + 1);
		find_index_key(c, a->u.bin.r, best, depth + 1);
		return;
	}
	if (a->kind == WT_AST_NAME && wt_compiler_field_of(a) < 0) {
		struct wt_sym *s = wt_compiler_find_def(c, a->u.ref.name);
		if (s && s->kind == WT_SYM_MACRO && s->index_visit != g_index_pass) {
			s->index_visit = g_index_pass; /* each macro once per rule: no exponential walk */
			find_index_key(c, s->value, best, depth + 1);
		}
		return;
	}
	if (a->kind != WT_AST_CMP || a->u.cmp.nocase)
		return;
	unsigned n;
	if (a->u.cmp.op == WT_CMP_EQ && a->u.cmp.r->kind == WT_AST_STR) {
		n = 1;
	} else if (a->u.cmp.op == WT_CMP_IN) {
		struct wt_ast *r = a->u.cmp.r;
		if (r->kind == WT_AST_NAME) {
			struct wt_sym *s = wt_compiler_find_def(c, r->u.ref.name);
			if (!s || s->item_type != WT_T_STR)
				return;
			n = s->n_items;
		} else {
			n = 0;
			for (unsigned i = 0; i < r->u.list.n; i++) {
				if (r->u.list.items[i]->kind == WT_AST_INT)
					return;
				n += r->u.list.items[i]->kind == WT_AST_NAME ?
					     wt_compiler_find_def(c, r->u.list.items[i]->u.ref.name)->n_items : 1;
			}
		}
	} else {
		return;
	}
	int f = index_field(a->u.cmp.l);
	if (f < 0 || n == 0)
		return;
	if (best->field < 0 || n < best->n)
		*best = (struct index_key){f, a, n};
}

static void add_index(struct gen *g, uint32_t rule, struct wt_checked_rule *r)
{
	struct index_key k = {-1, NULL, 0};
	g_index_pass++;
	find_index_key(g->c, r->when, &k, 0);
	if (k.field < 0)
		return;
	uint32_t set;
	if (k.cmp->u.cmp.op == WT_CMP_EQ) {
		uint32_t s = wt_bc_add_string(g->w, k.cmp->u.cmp.r->u.str.s, k.cmp->u.cmp.r->u.str.len);
		set = wt_bc_add_set(g->w, WT_SET_STR, &s, 1);
	} else {
		set = gen_set(g, k.cmp->u.cmp.r, false);
	}
	wt_bc_add_index(g->w, rule, (uint32_t)k.field, set);
}

static bool code_fits(struct gen *g, uint32_t start, const struct wt_decl *d)
{
	if (!g->overflow && g->w->n_code - start <= WT_MAX_RULE_CODE)
		return true;
	wt_diag_add(g->c->diags, WT_DIAG_E0201, d->name_loc, "path '%s' has a step of more than %d instructions",
		    d->name, WT_MAX_RULE_CODE);
	return false;
}

/* Paths: captures, each step's condition (reading captures with LOAD_CAPTURE), and the
 * exceptions (`except a or except b`) as one code block run on the completing event. */
/* The metadata strings and sets shared by rules, paths and rarity specs. */
struct meta_ids {
	uint32_t name, mitre, tags, output, desc, file, line;
};

static struct meta_ids gen_meta(struct gen *g, const struct wt_checked_rule *m, const struct wt_decl *d)
{
	struct wt_bc_writer *w = g->w;
	return (struct meta_ids){
		.name = wt_bc_add_string(w, d->name, strlen(d->name)),
		.mitre = gen_strset(g, m->mitre),
		.tags = gen_strset(g, m->tags),
		.output = m->output ? wt_bc_add_string(w, m->output->u.str.s, m->output->u.str.len) : WT_BC_NONE,
		.desc = m->desc ? wt_bc_add_string(w, m->desc->u.str.s, m->desc->u.str.len) : WT_BC_NONE,
		.file = wt_bc_add_string(w, d->loc.file, strlen(d->loc.file)),
		.line = d->loc.line,
	};
}

static uint32_t gen_excepts(struct gen *g, const struct wt_checked_rule *m, struct wt_loc loc, uint32_t *len);

static enum wt_err gen_paths(struct gen *g)
{
	struct wt_bc_writer *w = g->w;
	for (unsigned i = 0; i < g->c->n_paths; i++) {
		const struct wt_checked_path *p = &g->c->paths[i];
		const struct wt_checked_rule *m = &p->meta;
		struct wt_decl *d = p->decl;
		g->path = p;
		struct wt_bc_path bp = {0};
		struct meta_ids mi = gen_meta(g, m, d);
		bp.name = mi.name;
		bp.flags = m->enabled ? WT_RULEF_ENABLED : 0;
		bp.severity = (uint8_t)m->severity;
		bp.by = p->by == WT_BY_TREE ? WT_PATH_BY_TREE : WT_PATH_BY_FIELD;
		bp.by_field = (uint32_t)p->by_field;
		bp.window_lo = (uint32_t)(uint64_t)p->window;
		bp.window_hi = (uint32_t)((uint64_t)p->window >> 32);
		bp.mitre = mi.mitre;
		bp.tags = mi.tags;
		bp.output = mi.output;
		bp.desc = mi.desc;
		bp.file = mi.file;
		bp.line = mi.line;
		bp.cap_first = w->n_captures;
		bp.cap_n = p->n_caps;
		for (unsigned k = 0; k < p->n_caps; k++)
			wt_bc_add_capture(w, wt_bc_add_string(w, p->cap_names[k], strlen(p->cap_names[k])),
					  (uint32_t)p->cap_fields[k]);
		bp.step_first = w->n_steps;
		bp.step_n = p->n_steps;
		for (unsigned k = 0; k < p->n_steps; k++) {
			const struct wt_checked_step *cs = &p->steps[k];
			struct wt_bc_step bs = {0};
			bs.name = cs->decl->name ? wt_bc_add_string(w, cs->decl->name, strlen(cs->decl->name)) : WT_BC_NONE;
			bs.kinds = cs->kinds;
			bs.flags = cs->decl->until ? WT_STEPF_UNTIL : cs->decl->negative ? WT_STEPF_NEGATIVE : 0;
			bs.runs = cs->decl->runs > 1 ? (uint32_t)cs->decl->runs : 0;
			bs.distinct = cs->distinct_field >= 0 ? (uint32_t)cs->distinct_field : WT_BC_NONE;
			bs.cap_first = bp.cap_first + cs->cap_first;
			bs.cap_n = cs->n_caps;
			bs.code = w->n_code;
			g->rule_start = w->n_code; /* the size bound applies per step */
			g->overflow = false;
			gen_expr(g, cs->decl->when);
			emit(g, WT_OP_RET, 0, 0, 0, cs->decl->loc);
			bs.code_len = w->n_code - bs.code;
			if (!code_fits(g, bs.code, d))
				return WT_E_COMPILE;
			wt_bc_add_step(w, &bs);
		}
		if (m->n_excepts) {
			bp.except_code = gen_excepts(g, m, d->loc, &bp.except_len);
			if (!code_fits(g, bp.except_code, d))
				return WT_E_COMPILE;
		}
		wt_bc_add_path(w, &bp);
	}
	g->path = NULL;
	return WT_OK;
}

/* Exceptions `except a or except b` as one code block; returns its start, *len its length. */
static uint32_t gen_excepts(struct gen *g, const struct wt_checked_rule *m, struct wt_loc loc, uint32_t *len)
{
	uint32_t start = g->w->n_code;
	g->rule_start = start;
	g->overflow = false;
	uint32_t *ors = wt_xmalloc(m->n_excepts * sizeof *ors);
	for (unsigned k = 0; k < m->n_excepts; k++) {
		gen_except(g, &m->excepts[k]);
		if (k + 1 < m->n_excepts)
			ors[k] = emit(g, WT_OP_JTRUE_OR_POP, 0, 0, 0, m->excepts[k].loc);
	}
	for (unsigned k = 0; k + 1 < m->n_excepts; k++)
		patch(g, ors[k]);
	free(ors);
	emit(g, WT_OP_RET, 0, 0, 0, loc);
	*len = g->w->n_code - start;
	return start;
}

static bool rarity_fits(struct gen *g, uint32_t start, const struct wt_decl *d)
{
	if (!g->overflow && g->w->n_code - start <= WT_MAX_RULE_CODE)
		return true;
	wt_diag_add(g->c->diags, WT_DIAG_E0201, d->name_loc, "rarity '%s' compiles to more than %d instructions",
		    d->name, WT_MAX_RULE_CODE);
	return false;
}

/* Rarity specs: the condition (true when absent), the exceptions, and one code block per
 * key part that leaves the part's value. */
static enum wt_err gen_rarities(struct gen *g)
{
	struct wt_bc_writer *w = g->w;
	for (unsigned i = 0; i < g->c->n_rarities; i++) {
		const struct wt_checked_rarity *r = &g->c->rarities[i];
		const struct wt_checked_rule *m = &r->meta;
		struct wt_decl *d = r->decl;
		struct wt_bc_rarity br = {0};
		struct meta_ids mi = gen_meta(g, m, d);
		br.name = mi.name;
		br.flags = m->enabled ? WT_RULEF_ENABLED : 0;
		br.severity = (uint8_t)m->severity;
		br.population = r->population;
		br.thresholds = r->thresholds;
		br.kinds = m->kinds;
		br.max_freq_ppb = r->max_freq_ppb;
		br.max_count_milli = r->max_count_milli;
		br.max_spread = r->max_spread;
		br.warmup_events_lo = (uint32_t)(uint64_t)r->warmup_events;
		br.warmup_events_hi = (uint32_t)((uint64_t)r->warmup_events >> 32);
		br.warmup_ns_lo = (uint32_t)(uint64_t)r->warmup_ns;
		br.warmup_ns_hi = (uint32_t)((uint64_t)r->warmup_ns >> 32);
		br.halflife_lo = (uint32_t)(uint64_t)r->halflife;
		br.halflife_hi = (uint32_t)((uint64_t)r->halflife >> 32);
		br.mitre = mi.mitre;
		br.tags = mi.tags;
		br.output = mi.output;
		br.desc = mi.desc;
		br.file = mi.file;
		br.line = mi.line;
		br.ident = r->ident;
		br.code = w->n_code;
		g->rule_start = w->n_code;
		g->overflow = false;
		if (r->when)
			gen_expr(g, r->when);
		else
			emit(g, WT_OP_PUSH_BOOL, 1, 0, 0, d->loc);
		emit(g, WT_OP_RET, 0, 0, 0, d->loc);
		br.code_len = w->n_code - br.code;
		if (!rarity_fits(g, br.code, d))
			return WT_E_COMPILE;
		if (m->n_excepts) {
			br.except_code = gen_excepts(g, m, d->loc, &br.except_len);
			if (!rarity_fits(g, br.except_code, d))
				return WT_E_COMPILE;
		}
		br.key_first = w->n_keys;
		br.key_n = r->n_keys;
		for (unsigned k = 0; k < r->n_keys; k++) {
			uint32_t start = w->n_code;
			g->rule_start = start;
			g->overflow = false;
			gen_operand(g, r->keys[k]);
			emit(g, WT_OP_RET, 0, 0, 0, r->keys[k]->loc);
			if (!rarity_fits(g, start, d))
				return WT_E_COMPILE;
			wt_bc_add_key(w, start, w->n_code - start,
				      wt_bc_add_string(w, r->key_texts[k], strlen(r->key_texts[k])));
		}
		wt_bc_add_rarity(w, &br);
	}
	return WT_OK;
}

enum wt_err wt_compiler_codegen(struct wt_compiler *c, struct wt_bc_writer *w)
{
	struct gen g = {c, w, 0, false, NULL};
	for (unsigned i = 0; i < c->n_rules; i++) {
		struct wt_checked_rule *r = &c->rules[i];
		struct wt_bc_rule br = {0};
		struct meta_ids mi = gen_meta(&g, r, r->decl);
		br.name = mi.name;
		br.kinds = r->kinds;
		br.severity = (uint8_t)r->severity;
		br.flags = r->enabled ? WT_RULEF_ENABLED : 0;
		br.mitre = mi.mitre;
		br.tags = mi.tags;
		br.output = mi.output;
		br.desc = mi.desc;
		br.file = mi.file;
		br.line = mi.line;
		br.code = w->n_code;
		g.rule_start = w->n_code;
		g.overflow = false;
		/* when and not (except1 or except2 ...); an exception is its condition and, when
		 * given, its scope (field == value) and its expiry (event.time < expires) */
		gen_expr(&g, r->when);
		if (r->n_excepts) {
			uint32_t j = emit(&g, WT_OP_JFALSE_OR_POP, 0, 0, 0, r->when->loc);
			uint32_t *ors = wt_xmalloc(r->n_excepts * sizeof *ors);
			for (unsigned k = 0; k < r->n_excepts; k++) {
				gen_except(&g, &r->excepts[k]);
				if (k + 1 < r->n_excepts)
					ors[k] = emit(&g, WT_OP_JTRUE_OR_POP, 0, 0, 0, r->excepts[k].loc);
			}
			for (unsigned k = 0; k + 1 < r->n_excepts; k++)
				patch(&g, ors[k]);
			free(ors);
			emit(&g, WT_OP_NOT, 0, 0, 0, r->excepts[0].loc);
			patch(&g, j);
		}
		emit(&g, WT_OP_RET, 0, 0, 0, r->decl->loc);
		br.code_len = w->n_code - br.code;
		if (g.overflow || br.code_len > WT_MAX_RULE_CODE) {
			wt_diag_add(c->diags, WT_DIAG_E0201, r->decl->name_loc,
				    "rule '%s' compiles to more than the %d instructions allowed (macros expand inline)",
				    r->decl->name, WT_MAX_RULE_CODE);
			return WT_E_COMPILE;
		}
		add_index(&g, wt_bc_add_rule(w, &br), r);
	}
	WT_TRY(gen_paths(&g));
	return gen_rarities(&g);
}
