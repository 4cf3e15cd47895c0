/* Semantic pass over `path` declarations: window and key, steps (kinds and conditions
 * type-checked like rule conditions, `$name` captures visible only to later steps),
 * repetition (`runs N [distinct F]`), `until`, and the rule clauses shared with rules
 * (severity, mitre, tags, output, desc, enabled, except). Fills c->paths. */
#include "compile.h"
#include <stdlib.h>
#include <string.h>

static struct wt_loc noloc = {0};

static uint32_t step_kinds(struct wt_compiler *c, struct wt_step *st, bool *ok)
{
	struct wt_checked_rule tmp = {0};
	struct wt_clause on = {.kind = WT_CL_ON, .loc = st->loc, .value = st->kinds};
	wt_compiler_apply_clause(c, &tmp, &on, ok);
	return tmp.kinds;
}

/* A plain field (no selector) of a scalar type, for captures and `distinct`. */
static int plain_field(struct wt_compiler *c, struct wt_ast *a, const char *what, bool *ok)
{
	int f = wt_compiler_field_of(a);
	if (f < 0 || a->u.ref.sel != WT_SEL_NONE || wt_fields[f].sel != WT_FSEL_NONE) {
		struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0214, a->loc, "%s must name a field", what);
		wt_diag_note(g, WT_LEVEL_NOTE, noloc, "e.g. file.path, process.binary, sock.dport");
		*ok = false;
		return -1;
	}
	enum wt_type t = wt_fields[f].type;
	if (t == WT_T_STRLIST || t == WT_T_INTLIST) {
		wt_diag_add(c->diags, WT_DIAG_E0201, a->loc, "%s takes a single value; '%s' is a list", what,
			    wt_fields[f].name);
		*ok = false;
		return -1;
	}
	return f;
}

static bool key_of(struct wt_compiler *c, struct wt_checked_path *p)
{
	const char *by = p->decl->by->u.ref.name;
	p->by = WT_BY_FIELD;
	if (!strcmp(by, "workspace")) {
		p->by_field = WT_F_WORKSPACE_ID;
	} else if (!strcmp(by, "container")) {
		p->by_field = WT_F_CONTAINER_ID;
	} else if (!strcmp(by, "session")) {
		p->by_field = WT_F_SESSION_ID;
	} else if (!strcmp(by, "process.tree")) {
		p->by = WT_BY_TREE;
		p->by_field = WT_F_WORKSPACE_ID;
	} else {
		int f = wt_field_lookup(by, strlen(by));
		if (f < 0 || wt_fields[f].sel != WT_FSEL_NONE || wt_fields[f].type != WT_T_STR) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0215, p->decl->by->loc,
							"'%s' cannot key a path", by);
			wt_diag_note(g, WT_LEVEL_NOTE, noloc,
				     "keys: workspace, container, process.tree, session, or a string field such as pod.name");
			return false;
		}
		p->by_field = f;
	}
	return true;
}

static void check_path(struct wt_compiler *c, struct wt_decl *d)
{
	struct wt_checked_path p = {.decl = d, .meta = {.decl = d, .enabled = true, .severity = WT_SEV_LOW}};
	bool ok = true;
	for (unsigned i = 0; i < c->n_paths; i++)
		if (!strcmp(c->paths[i].decl->name, d->name)) {
			struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0103, d->name_loc, "path '%s' is already defined",
							d->name);
			wt_diag_note(g, WT_LEVEL_NOTE, c->paths[i].decl->name_loc, "first defined here");
			return;
		}
	if (wt_compiler_find(c, d->name)) {
		struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0103, d->name_loc,
						"'%s' is already the name of a rule", d->name);
		wt_diag_note(g, WT_LEVEL_NOTE, wt_compiler_find(c, d->name)->decl->name_loc, "the rule");
		return;
	}
	if (!d->within) {
		wt_diag_add(c->diags, WT_DIAG_E0214, d->name_loc,
			    "path '%s' has no 'within DURATION by KEY' clause", d->name);
		ok = false;
	} else {
		p.window = d->within->u.i;
		if (p.window <= 0) {
			wt_diag_add(c->diags, WT_DIAG_E0214, d->within->loc, "the window must be longer than 0");
			ok = false;
		}
		ok = key_of(c, &p) && ok;
	}
	/* clauses shared with rules */
	struct wt_clause *seen[WT_CL_ENABLED + 1] = {0};
	struct wt_clause **excepts = NULL;
	unsigned n_excepts = 0;
	wt_compiler_decl_clauses(c, d, "path", &p.meta, seen, &excepts, &n_excepts, &ok);
	if (!seen[WT_CL_SEVERITY]) {
		wt_diag_add(c->diags, WT_DIAG_E0205, d->name_loc, "path '%s' has no 'severity' clause", d->name);
		ok = false;
	}
	/* steps */
	unsigned n = 0, positives = 0, untils = 0;
	for (struct wt_step *st = d->steps; st; st = st->next)
		n++;
	p.steps = wt_xcalloc(n ? n : 1, sizeof *p.steps);
	struct wt_cap_scope scope = {p.cap_names, p.cap_types, 0};
	struct wt_cap_scope none = {NULL, NULL, 0};
	struct wt_step *prev = NULL;
	uint32_t last_kinds = 0;
	for (struct wt_step *st = d->steps; st; prev = st, st = st->next) {
		struct wt_checked_step *cs = &p.steps[p.n_steps++];
		cs->decl = st;
		cs->distinct_field = -1;
		cs->kinds = step_kinds(c, st, &ok);
		if (st->until) {
			if (++untils > 1) {
				wt_diag_add(c->diags, WT_DIAG_E0214, st->loc, "path '%s' has more than one 'until'", d->name);
				ok = false;
			}
		} else if (st->negative) {
			if (!prev || prev->negative || prev->until) {
				wt_diag_add(c->diags, WT_DIAG_E0214, st->loc,
					    "a 'not step' must follow a positive step");
				ok = false;
			}
		} else {
			positives++;
			if (cs->kinds)
				last_kinds = cs->kinds;
		}
		for (struct wt_step *o = d->steps; st->name && o != st; o = o->next)
			if (o->name && !strcmp(o->name, st->name)) {
				struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_E0103, st->name_loc,
								"step '%s' is already defined", st->name);
				wt_diag_note(g, WT_LEVEL_NOTE, o->name_loc, "first defined here");
				ok = false;
			}
		/* an until runs without a partial match: it sees no captures */
		if (wt_compiler_check_cond(c, cs->kinds, st->until ? &none : &scope, st->when) != WT_T_BOOL)
			ok = false;
		if (st->runs && (st->negative || st->until || st->runs < 2 || st->runs > WT_MAX_RUNS)) {
			wt_diag_add(c->diags, WT_DIAG_E0216, st->runs_loc,
				    st->negative || st->until ? "only a positive step can repeat"
							      : "'runs' takes a count from 2 to %d",
				    WT_MAX_RUNS);
			ok = false;
		}
		if (st->distinct)
			cs->distinct_field = plain_field(c, st->distinct, "'distinct'", &ok);
		cs->cap_first = p.n_caps;
		for (struct wt_capture_decl *cap = st->captures; cap; cap = cap->next) {
			if (st->negative || st->until) {
				wt_diag_add(c->diags, WT_DIAG_E0214, cap->loc, "only a positive step can capture");
				ok = false;
				continue;
			}
			for (unsigned k = 0; k < p.n_caps; k++)
				if (!strcmp(p.cap_names[k], cap->name)) {
					wt_diag_add(c->diags, WT_DIAG_E0103, cap->loc, "capture '%s' is already defined",
						    cap->name);
					ok = false;
				}
			int f = plain_field(c, cap->value, "a capture", &ok);
			if (f < 0)
				continue;
			if (p.n_caps == WT_MAX_PATH_CAPTURES) {
				wt_diag_add(c->diags, WT_DIAG_E0214, cap->loc, "a path captures at most %d values",
					    WT_MAX_PATH_CAPTURES);
				ok = false;
				continue;
			}
			p.cap_names[p.n_caps] = cap->name;
			p.cap_types[p.n_caps] = wt_fields[f].type == WT_T_ADDR ? WT_T_STR : wt_fields[f].type;
			p.cap_fields[p.n_caps] = f;
			p.n_caps++;
		}
		cs->n_caps = p.n_caps - cs->cap_first;
		scope.n = p.n_caps; /* visible from the next step on */
	}
	if (n > WT_MAX_PATH_STEPS) {
		wt_diag_add(c->diags, WT_DIAG_E0214, d->name_loc, "path '%s' has %u steps, more than %d", d->name, n,
			    WT_MAX_PATH_STEPS);
		ok = false;
	}
	if (positives == 0) {
		wt_diag_add(c->diags, WT_DIAG_E0214, d->name_loc, "path '%s' has no step", d->name);
		ok = false;
	}
	for (struct wt_step *st = d->steps, *last = NULL; st; st = st->next) {
		if (!st->until)
			last = st;
		if (!st->next && last && last->negative) {
			wt_diag_add(c->diags, WT_DIAG_E0214, last->loc, "a path cannot end with a 'not step'");
			ok = false;
		}
	}
	/* exceptions run on the event that completes the path and may read every capture */
	p.meta.excepts = wt_xcalloc(n_excepts ? n_excepts : 1, sizeof *p.meta.excepts);
	for (unsigned i = 0; i < n_excepts; i++)
		if (!wt_compiler_check_except(c, last_kinds, &scope, excepts[i], &p.meta.excepts[p.meta.n_excepts++]))
			ok = false;
	free(excepts);
	if (ok && !p.meta.output)
		wt_diag_add(c->diags, WT_DIAG_W0003, d->name_loc,
			    "path '%s' has no output template; threats will carry only the path name", d->name);
	if (!ok) {
		free(p.steps);
		free(p.meta.excepts);
		return;
	}
	c->paths = wt_xrealloc(c->paths, (c->n_paths + 1) * sizeof *c->paths);
	c->paths[c->n_paths++] = p;
}

void wt_compiler_check_paths(struct wt_compiler *c)
{
	for (unsigned f = 0; f < c->n_files; f++)
		for (struct wt_decl *d = c->files[f].decls; d; d = d->next)
			if (d->kind == WT_DECL_PATH && d->name)
				check_path(c, d);
}
