/* Semantic pass over `rarity` declarations: kinds and condition checked like a rule's, key
 * expressions (values, not conditions), population, `rare when` thresholds, warm-up and
 * half-life, and the clauses shared with rules. Fills c->rarities. */
#include "compile.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct wt_loc noloc = {0};

#define DEFAULT_HALFLIFE (7LL * 24 * 3600 * 1000000000LL)

/* Canonical source text of a key expression: names the key in threats and in the
 * baseline's identity. */
struct text {
	char *p;
	size_t n, cap;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->n + n + 1 > t->cap) {
		t->cap = (t->n + n + 1) * 2;
		t->p = wt_xrealloc(t->p, t->cap);
	}
	memcpy(t->p + t->n, s, n);
	t->n += n;
	t->p[t->n] = 0;
}

static void text_str(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

static void render(struct text *t, const struct wt_ast *a)
{
	char num[32];
	switch (a->kind) {
	case WT_AST_STR:
		text_str(t, "\"");
		text_add(t, a->u.str.s, a->u.str.len);
		text_str(t, "\"");
		return;
	case WT_AST_INT:
		snprintf(num, sizeof num, "%lld", (long long)a->u.i);
		text_str(t, num);
		return;
	case WT_AST_BOOL:
		text_str(t, a->u.i ? "true" : "false");
		return;
	case WT_AST_CALL:
		text_str(t, a->u.call.fn);
		text_str(t, "(");
		render(t, a->u.call.arg);
		text_str(t, ")");
		return;
	case WT_AST_NAME: {
		const char *name = a->u.ref.name, *br = strstr(name, "[]");
		if (a->u.ref.sel == WT_SEL_NONE || !br) {
			text_str(t, name);
			return;
		}
		text_add(t, name, (size_t)(br - name));
		if (a->u.ref.sel == WT_SEL_INDEX) {
			snprintf(num, sizeof num, "[%lld]", (long long)a->u.ref.sel_index);
			text_str(t, num);
		} else {
			text_str(t, "[\"");
			text_add(t, a->u.ref.sel_key, a->u.ref.sel_key_len);
			text_str(t, "\"]");
		}
		text_str(t, br + 2);
		return;
	}
	default:
		text_str(t, "(expression)");
		return;
	}
}

/* A key part that reads no field (a literal, or functions of one) is the same for every
 * event. */
static bool constant_part(const struct wt_ast *a)
{
	switch (a->kind) {
	case WT_AST_STR:
	case WT_AST_INT:
	case WT_AST_BOOL:
		return true;
	case WT_AST_CALL:
		return constant_part(a->u.call.arg);
	default:
		return false;
	}
}

static bool check_keys(struct wt_compiler *c, struct wt_checked_rarity *r, const struct wt_rarity_decl *rd)
{
	struct wt_decl *d = r->decl;
	if (!rd->keys) {
		struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0205, d->name_loc, "rarity '%s' has no 'key' clause",
						d->name);
		wt_diag_note(g, WT_LEVEL_HELP, noloc, "e.g. key basename(parent.binary), basename(process.binary)");
		return false;
	}
	bool ok = true;
	unsigned n = rd->keys->u.list.n;
	if (n > WT_MAX_RARITY_KEYS) {
		wt_diag_add(c->diags, WT_DIAG_E0217, rd->key_loc, "a rarity key has at most %d parts, this one has %u",
			    WT_MAX_RARITY_KEYS, n);
		return false;
	}
	r->keys = wt_xcalloc(n, sizeof *r->keys);
	r->key_texts = wt_xcalloc(n, sizeof *r->key_texts);
	for (unsigned i = 0; i < n; i++) {
		struct wt_ast *k = rd->keys->u.list.items[i];
		enum wt_type t = wt_compiler_check_operand(c, r->meta.kinds, NULL, k);
		if (t == WT_T_NONE) {
			ok = false;
			continue;
		}
		if (constant_part(k)) {
			wt_diag_add(c->diags, WT_DIAG_E0217, k->loc, "a constant key part makes no difference to rarity");
			ok = false;
			continue;
		}
		struct text txt = {0};
		render(&txt, k);
		r->keys[r->n_keys] = k;
		r->key_texts[r->n_keys++] = txt.p;
	}
	return ok;
}

static bool check_population(struct wt_compiler *c, struct wt_checked_rarity *r, const struct wt_rarity_decl *rd)
{
	r->population = WT_RARITY_POP_FLEET;
	if (!rd->population)
		return true;
	static const char *const names[] = {"fleet", "workspace", "image"};
	for (unsigned i = 0; i < WT_ARRAY_LEN(names); i++)
		if (!strcmp(rd->population->u.ref.name, names[i])) {
			r->population = (uint8_t)i;
			return true;
		}
	struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0217, rd->population->loc, "unknown population '%s'",
					rd->population->u.ref.name);
	wt_diag_note(g, WT_LEVEL_NOTE, noloc,
		     "populations: fleet (every workspace), workspace (each workspace its own), image (each container image)");
	return false;
}

static bool check_thresholds(struct wt_compiler *c, struct wt_checked_rarity *r, const struct wt_rarity_decl *rd)
{
	struct wt_decl *d = r->decl;
	if (!rd->thresholds) {
		struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0205, d->name_loc,
						"rarity '%s' has no 'rare when' clause", d->name);
		wt_diag_note(g, WT_LEVEL_HELP, noloc, "e.g. rare when workspaces < 2 and count < 3");
		return false;
	}
	bool ok = true;
	for (const struct wt_threshold *t = rd->thresholds; t; t = t->next) {
		static const char *const names[] = {"frequency", "count", "workspaces", "first_in_workspace"};
		static const uint16_t bits[] = {WT_RARF_FREQ, WT_RARF_COUNT, WT_RARF_SPREAD, WT_RARF_FIRST};
		unsigned k = 0;
		while (k < WT_ARRAY_LEN(names) && strcmp(t->name, names[k]) != 0)
			k++;
		if (k == WT_ARRAY_LEN(names)) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0218, t->loc, "unknown threshold '%s'", t->name);
			wt_diag_note(g, WT_LEVEL_NOTE, noloc,
				     "thresholds: frequency < F, count < N, workspaces < N, first_in_workspace");
			ok = false;
			continue;
		}
		if (r->thresholds & bits[k]) {
			wt_diag_add(c->diags, WT_DIAG_E0218, t->loc, "threshold '%s' is given twice", t->name);
			ok = false;
			continue;
		}
		r->thresholds |= bits[k];
		if (bits[k] == WT_RARF_FIRST) {
			if (t->has_value) {
				wt_diag_add(c->diags, WT_DIAG_E0218, t->loc, "'first_in_workspace' takes no value");
				ok = false;
			}
			continue;
		}
		if (!t->has_value || t->op != WT_CMP_LT) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0218, t->loc,
							"threshold '%s' needs an upper bound with '<'", t->name);
			wt_diag_note(g, WT_LEVEL_HELP, noloc, "write: %s < VALUE", t->name);
			ok = false;
			continue;
		}
		double v = t->value;
		switch (bits[k]) {
		case WT_RARF_FREQ:
			if (!(v > 0 && v <= 1) || llround(v * 1e9) < 1) {
				wt_diag_add(c->diags, WT_DIAG_E0218, t->loc,
					    "a frequency bound lies between 0.000000001 and 1, not %g", v);
				ok = false;
			}
			r->max_freq_ppb = (uint32_t)llround(fmin(fmax(v, 0), 1) * 1e9);
			break;
		case WT_RARF_COUNT:
			if (!(v >= 0.001 && v <= 4000000)) {
				wt_diag_add(c->diags, WT_DIAG_E0218, t->loc, "a count bound lies between 0.001 and 4000000, not %g",
					    v);
				ok = false;
			}
			r->max_count_milli = (uint32_t)llround(fmin(fmax(v, 0.001), 4000000) * 1000);
			break;
		case WT_RARF_SPREAD:
			if (!t->is_int || v < 2 || v > WT_SPREAD_MAX) {
				struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0218, t->loc,
								"'workspaces' takes a whole bound from 2 to %d", WT_SPREAD_MAX);
				wt_diag_note(g, WT_LEVEL_NOTE, noloc,
					     "the baseline counts up to %d distinct workspaces per key exactly", WT_SPREAD_MAX);
				ok = false;
			} else if (r->population == WT_RARITY_POP_WORKSPACE) {
				wt_diag_add(c->diags, WT_DIAG_E0218, t->loc,
					    "'workspaces' means nothing when each workspace is its own population");
				ok = false;
			}
			r->max_spread = (uint32_t)v;
			break;
		}
	}
	return ok;
}

static bool check_warmup(struct wt_compiler *c, struct wt_checked_rarity *r, const struct wt_rarity_decl *rd)
{
	struct wt_decl *d = r->decl;
	bool ok = true;
	r->halflife = rd->has_halflife ? rd->halflife : DEFAULT_HALFLIFE;
	if (rd->has_halflife && rd->halflife <= 0) {
		wt_diag_add(c->diags, WT_DIAG_E0217, rd->halflife_loc, "the half-life must be longer than 0");
		ok = false;
	}
	if (!rd->has_warmup) {
		struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0205, d->name_loc, "rarity '%s' has no 'warmup' clause",
						d->name);
		wt_diag_note(g, WT_LEVEL_NOTE, noloc, "without a warm-up everything is rare at first");
		wt_diag_note(g, WT_LEVEL_HELP, noloc, "e.g. warmup 50000 events or 12h");
		return false;
	}
	r->warmup_events = rd->warmup_events > 0 ? rd->warmup_events : 0;
	r->warmup_ns = rd->warmup_ns > 0 ? rd->warmup_ns : 0;
	if (rd->warmup_unit && strcmp(rd->warmup_unit, "events") != 0) {
		struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0217, rd->warmup_unit_loc,
						"a warm-up counts 'events', not '%s'", rd->warmup_unit);
		wt_diag_note(g, WT_LEVEL_HELP, noloc, "write: warmup N events, warmup DURATION, or both joined by 'or'");
		ok = false;
	}
	if (rd->warmup_unit && rd->warmup_events <= 0) { /* a count was given (-1 included) */
		wt_diag_add(c->diags, WT_DIAG_E0217, rd->warmup_loc, "a warm-up must be longer than 0 events");
		ok = false;
	}
	if (rd->warmup_ns == 0) {
		wt_diag_add(c->diags, WT_DIAG_E0217, rd->warmup_dur_loc, "a warm-up must be longer than 0s");
		ok = false;
	}
	return ok;
}

static uint32_t identity(const struct wt_checked_rarity *r)
{
	uint32_t h = wt_hash_fnv1a(&r->meta.kinds, sizeof r->meta.kinds, WT_FNV_SEED);
	h = wt_hash_fnv1a(&r->population, 1, h);
	for (unsigned i = 0; i < r->n_keys; i++)
		h = wt_hash_fnv1a(r->key_texts[i], strlen(r->key_texts[i]) + 1, h);
	return h;
}

static void free_checked(struct wt_checked_rarity *r)
{
	for (unsigned i = 0; i < r->n_keys; i++)
		free(r->key_texts[i]);
	free(r->key_texts);
	free(r->keys);
	free(r->meta.excepts);
}

static bool name_taken(struct wt_compiler *c, struct wt_decl *d)
{
	const struct wt_decl *prev = NULL;
	const char *what = NULL;
	for (unsigned i = 0; i < c->n_rarities && !prev; i++)
		if (!strcmp(c->rarities[i].decl->name, d->name))
			prev = c->rarities[i].decl, what = "rarity";
	for (unsigned i = 0; i < c->n_paths && !prev; i++)
		if (!strcmp(c->paths[i].decl->name, d->name))
			prev = c->paths[i].decl, what = "path";
	if (!prev && wt_compiler_find(c, d->name))
		prev = wt_compiler_find(c, d->name)->decl, what = "rule";
	if (!prev)
		return false;
	struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0103, d->name_loc, "'%s' is already the name of a %s",
					d->name, what);
	wt_diag_note(g, WT_LEVEL_NOTE, prev->name_loc, "first defined here");
	return true;
}

static void check_rarity(struct wt_compiler *c, struct wt_decl *d)
{
	const struct wt_rarity_decl *rd = d->rarity;
	struct wt_checked_rarity r = {.decl = d, .meta = {.decl = d, .enabled = true, .severity = WT_SEV_LOW}};
	bool ok = !name_taken(c, d);
	if (rd->dup_loc.line) {
		wt_diag_add(c->diags, WT_DIAG_E0206, rd->dup_loc, "rarity '%s' has this clause twice", d->name);
		ok = false;
	}
	struct wt_clause *seen[WT_CL_ENABLED + 1] = {0};
	struct wt_clause **excepts = NULL;
	unsigned n_excepts = 0;
	wt_compiler_decl_clauses(c, d, "rarity", &r.meta, seen, &excepts, &n_excepts, &ok);
	static const struct { enum wt_clause_kind k; const char *name; } required[] = {
		{WT_CL_ON, "on"}, {WT_CL_SEVERITY, "severity"}};
	for (size_t i = 0; i < WT_ARRAY_LEN(required); i++)
		if (!seen[required[i].k]) {
			wt_diag_add(c->diags, WT_DIAG_E0205, d->name_loc, "rarity '%s' has no '%s' clause", d->name,
				    required[i].name);
			ok = false;
		}
	r.when = r.meta.when;
	if (r.when && wt_compiler_check_cond(c, r.meta.kinds, NULL, r.when) != WT_T_BOOL)
		ok = false;
	ok = check_population(c, &r, rd) && ok;
	ok = check_keys(c, &r, rd) && ok;
	ok = check_thresholds(c, &r, rd) && ok;
	ok = check_warmup(c, &r, rd) && ok;
	r.meta.excepts = wt_xcalloc(n_excepts ? n_excepts : 1, sizeof *r.meta.excepts);
	for (unsigned i = 0; i < n_excepts; i++)
		if (!wt_compiler_check_except(c, r.meta.kinds, NULL, excepts[i], &r.meta.excepts[r.meta.n_excepts++]))
			ok = false;
	free(excepts);
	if (ok && r.when && wt_compiler_fold(c, r.when) == 0)
		wt_diag_add(c->diags, WT_DIAG_W0006, r.when->loc,
			    "the condition of rarity '%s' is always false: it never learns or fires", d->name);
	if (ok && !r.meta.output)
		wt_diag_add(c->diags, WT_DIAG_W0003, d->name_loc,
			    "rarity '%s' has no output template; threats will carry only its name and key", d->name);
	if (!ok) {
		free_checked(&r);
		return;
	}
	r.ident = identity(&r);
	c->rarities = wt_xrealloc(c->rarities, (c->n_rarities + 1) * sizeof *c->rarities);
	c->rarities[c->n_rarities++] = r;
}

void wt_compiler_check_rarities(struct wt_compiler *c)
{
	for (unsigned f = 0; f < c->n_files; f++)
		for (struct wt_decl *d = c->files[f].decls; d; d = d->next)
			if (d->kind == WT_DECL_RARITY && d->name && d->rarity)
				check_rarity(c, d);
}

void wt_compiler_free_rarities(struct wt_compiler *c)
{
	for (unsigned i = 0; i < c->n_rarities; i++)
		free_checked(&c->rarities[i]);
	free(c->rarities);
	c->rarities = NULL;
	c->n_rarities = 0;
}
