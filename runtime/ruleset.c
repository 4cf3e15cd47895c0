/* Ruleset loading: after wt_bc_read has verified a file, compile its regexes with PCRE2
 * (JIT when available), build hash sets for `in`, parse output templates against the field
 * table and index enabled rules by event kind. Any failure refuses the whole ruleset. */
#include "ruleset.h"
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t str_hash(const char *s, uint32_t len)
{
	return wt_hash(s, len, WT_FNV_SEED);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static bool build_set(const struct wt_bc *bc, const struct wt_bc_set *in, struct wt_rt_set *out)
{
	out->type = in->type;
	out->n = in->n;
	if (in->type == WT_SET_CIDR) {
		out->cidrs = wt_xcalloc(in->n, sizeof *out->cidrs);
		for (uint32_t i = 0; i < in->n; i++) {
			uint32_t si = bc->setitems[in->first + i];
			if (!wt_cidr_parse(bc->strings[si], bc->string_len[si], &out->cidrs[i]))
				return false;
		}
		return true;
	}
	if (in->type == WT_SET_INT) {
		out->ints = wt_xcalloc(in->n, sizeof(int64_t));
		for (uint32_t i = 0; i < in->n; i++)
			out->ints[i] = bc->ints[bc->setitems[in->first + i]];
		qsort(out->ints, in->n, sizeof(int64_t), cmp_i64);
		return true;
	}
	uint32_t cap = 8;
	while (cap < in->n * 2)
		cap *= 2;
	out->mask = cap - 1;
	out->slots = wt_xcalloc(cap, sizeof *out->slots);
	for (uint32_t i = 0; i < in->n; i++) {
		uint32_t si = bc->setitems[in->first + i];
		const char *s = bc->strings[si];
		uint32_t len = bc->string_len[si], h = str_hash(s, len);
		if (wt_rt_set_has_str(out, s, len))
			continue;
		uint32_t j = h & out->mask;
		while (out->slots[j].s)
			j = (j + 1) & out->mask;
		out->slots[j] = (struct wt_strset_slot){s, len, h};
	}
	return true;
}

bool wt_rt_set_has_str(const struct wt_rt_set *set, const char *s, uint32_t len)
{
	uint32_t h = str_hash(s, len);
	for (uint32_t j = h & set->mask;; j = (j + 1) & set->mask) {
		const struct wt_strset_slot *sl = &set->slots[j];
		if (!sl->s)
			return false;
		if (sl->hash == h && sl->len == len && memcmp(sl->s, s, len) == 0)
			return true;
	}
}

bool wt_rt_set_has_int(const struct wt_rt_set *set, int64_t v)
{
	return bsearch(&v, set->ints, set->n, sizeof(int64_t), cmp_i64) != NULL;
}

/* Split "text {field} text" into parts; "{{" and "}}" are literal braces. */
static enum wt_err parse_template(const char *rule, const char *t, uint32_t len, struct wt_rt_rule *r,
				  char *err, size_t errlen)
{
	r->tmpl = wt_xcalloc(len + 1, sizeof *r->tmpl);
	uint32_t n = 0, lit = 0;
	for (uint32_t i = 0; i < len;) {
		if ((t[i] == '{' || t[i] == '}') && i + 1 < len && t[i + 1] == t[i]) {
			if (i > lit)
				r->tmpl[n++] = (struct wt_tmpl_part){-1, t + lit, i - lit};
			r->tmpl[n++] = (struct wt_tmpl_part){-1, t + i, 1};
			i += 2;
			lit = i;
			continue;
		}
		if (t[i] == '{') {
			const char *end = memchr(t + i, '}', len - i);
			int f = end ? wt_field_lookup(t + i + 1, (size_t)(end - t) - i - 1) : -1;
			if (f < 0 || wt_fields[f].sel != WT_FSEL_NONE) {
				snprintf(err, errlen, "rule %s: output template refers to an unknown field", rule);
				return WT_E_CORRUPT;
			}
			if (i > lit)
				r->tmpl[n++] = (struct wt_tmpl_part){-1, t + lit, i - lit};
			r->tmpl[n++] = (struct wt_tmpl_part){f, NULL, 0};
			i = (uint32_t)(end - t) + 1;
			lit = i;
			continue;
		}
		i++;
	}
	if (len > lit)
		r->tmpl[n++] = (struct wt_tmpl_part){-1, t + lit, len - lit};
	r->n_tmpl = n;
	return WT_OK;
}

static void build_index(struct wt_ruleset *rs);

enum wt_err wt_ruleset_from_bc(struct wt_bc *bc, struct wt_ruleset **out, char *err, size_t errlen)
{
	return wt_ruleset_from_bc_flags(bc, 0, out, err, errlen);
}

enum wt_err wt_ruleset_from_bc_flags(struct wt_bc *bc, unsigned flags, struct wt_ruleset **out, char *err,
				     size_t errlen)
{
	struct wt_ruleset *rs = wt_xcalloc(1, sizeof *rs);
	rs->bc = *bc;
	memset(bc, 0, sizeof *bc);
	bc = &rs->bc;
	rs->sets = wt_xcalloc(bc->n_sets, sizeof *rs->sets);
	for (uint32_t i = 0; i < bc->n_sets; i++)
		if (!build_set(bc, &bc->sets[i], &rs->sets[i])) {
			snprintf(err, errlen, "set %u holds a string that is not an IP address or CIDR range", i);
			wt_ruleset_free(rs);
			return WT_E_CORRUPT;
		}
	rs->regexes = wt_xcalloc(bc->n_regexes, sizeof(void *));
	for (uint32_t i = 0; i < bc->n_regexes; i++) {
		int code;
		PCRE2_SIZE off;
		uint32_t si = bc->regexes[i].str;
		uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
		if (bc->regexes[i].flags & WT_REGEX_CASELESS)
			opts |= PCRE2_CASELESS;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)bc->strings[si], bc->string_len[si], opts, &code,
					       &off, NULL);
		if (!re) {
			PCRE2_UCHAR msg[160];
			pcre2_get_error_message(code, msg, sizeof msg);
			snprintf(err, errlen, "regex %u does not compile: %s", i, (const char *)msg);
			wt_ruleset_free(rs);
			return WT_E_CORRUPT;
		}
		if (!(flags & WT_RULESET_NO_JIT))
			pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
		rs->regexes[i] = re;
	}
	rs->rules = wt_xcalloc(bc->n_rules, sizeof *rs->rules);
	for (uint32_t i = 0; i < bc->n_rules; i++) {
		struct wt_rt_rule *r = &rs->rules[i];
		r->index = i;
		r->bc = &bc->rules[i];
		r->name = bc->strings[r->bc->name];
		if (r->bc->output != WT_BC_NONE &&
		    parse_template(r->name, bc->strings[r->bc->output], bc->string_len[r->bc->output], r, err,
				   errlen) != WT_OK) {
			wt_ruleset_free(rs);
			return WT_E_CORRUPT;
		}
		if (!(r->bc->flags & WT_RULEF_ENABLED))
			continue;
		rs->n_enabled++;
		for (int k = 0; k < WT_KIND_COUNT; k++)
			if (r->bc->kinds & (1u << k)) {
				rs->by_kind[k] = wt_xrealloc(rs->by_kind[k], (rs->n_by_kind[k] + 1) * sizeof(uint32_t));
				rs->by_kind[k][rs->n_by_kind[k]++] = i;
			}
	}
	build_index(rs);
	rs->paths = wt_xcalloc(bc->n_paths ? bc->n_paths : 1, sizeof *rs->paths);
	rs->n_paths = bc->n_paths;
	for (uint32_t i = 0; i < bc->n_paths; i++) {
		struct wt_rt_path *p = &rs->paths[i];
		const struct wt_bc_path *bp = &bc->paths[i];
		p->index = i;
		p->bc = bp;
		p->name = bc->strings[bp->name];
		p->steps = &bc->steps[bp->step_first];
		p->window = (int64_t)((uint64_t)bp->window_lo | (uint64_t)bp->window_hi << 32);
		for (uint32_t k = 0; k < bp->step_n; k++) {
			p->kinds |= p->steps[k].kinds;
			if (!p->steps[k].flags)
				p->n_positive++;
		}
		p->as_rule = (struct wt_bc_rule){.name = bp->name, .kinds = p->kinds, .severity = bp->severity,
						 .flags = (uint8_t)bp->flags, .mitre = bp->mitre, .tags = bp->tags,
						 .output = bp->output, .file = bp->file, .line = bp->line,
						 .desc = bp->desc};
		p->rule.index = UINT32_MAX;
		p->rule.name = p->name;
		p->rule.bc = &p->as_rule;
		if (bp->output != WT_BC_NONE &&
		    parse_template(p->name, bc->strings[bp->output], bc->string_len[bp->output], &p->rule, err,
				   errlen) != WT_OK) {
			wt_ruleset_free(rs);
			return WT_E_CORRUPT;
		}
		if (bp->flags & WT_RULEF_ENABLED)
			rs->n_paths_enabled++;
	}
	rs->rarities = wt_xcalloc(bc->n_rarities ? bc->n_rarities : 1, sizeof *rs->rarities);
	rs->n_rarities = bc->n_rarities;
	for (uint32_t i = 0; i < bc->n_rarities; i++) {
		struct wt_rt_rarity *r = &rs->rarities[i];
		const struct wt_bc_rarity *br = &bc->rarities[i];
		r->index = i;
		r->bc = br;
		r->name = bc->strings[br->name];
		r->keys = &bc->keys[br->key_first];
		r->warmup_events = wt_bc_i64(br->warmup_events_lo, br->warmup_events_hi);
		r->warmup_ns = wt_bc_i64(br->warmup_ns_lo, br->warmup_ns_hi);
		r->halflife = wt_bc_i64(br->halflife_lo, br->halflife_hi);
		r->as_rule = (struct wt_bc_rule){.name = br->name, .kinds = br->kinds, .severity = br->severity,
						 .flags = (uint8_t)br->flags, .mitre = br->mitre, .tags = br->tags,
						 .output = br->output, .file = br->file, .line = br->line,
						 .desc = br->desc};
		r->rule.index = UINT32_MAX;
		r->rule.name = r->name;
		r->rule.bc = &r->as_rule;
		if (br->output != WT_BC_NONE &&
		    parse_template(r->name, bc->strings[br->output], bc->string_len[br->output], &r->rule, err,
				   errlen) != WT_OK) {
			wt_ruleset_free(rs);
			return WT_E_CORRUPT;
		}
		if (br->flags & WT_RULEF_ENABLED)
			rs->n_rarities_enabled++;
	}
	rs->refs = 1;
	*out = rs;
	return WT_OK;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static struct wt_index_slot *index_find(const struct wt_index_field *f, const char *s, uint32_t len)
{
	uint32_t h = str_hash(s, len);
	for (uint32_t j = h & f->mask;; j = (j + 1) & f->mask) {
		struct wt_index_slot *sl = &f->slots[j];
		if (!sl->key || (sl->hash == h && sl->len == len && memcmp(sl->key, s, len) == 0))
			return sl;
	}
}

/* Build value -> rules tables for every indexed field, and each kind's unindexed list. */
static void build_index(struct wt_ruleset *rs)
{
	const struct wt_bc *bc = &rs->bc;
	uint8_t *indexed = wt_xcalloc(bc->n_rules ? bc->n_rules : 1, 1);
	for (uint32_t i = 0; i < bc->n_index; i++) {
		const struct wt_bc_index *x = &bc->index[i];
		if (!(bc->rules[x->rule].flags & WT_RULEF_ENABLED))
			continue;
		indexed[x->rule] = 1;
		struct wt_index_field *f = NULL;
		for (uint32_t k = 0; k < rs->n_ifields; k++)
			if (rs->ifields[k].field == x->field)
				f = &rs->ifields[k];
		if (!f) {
			rs->ifields = wt_xrealloc(rs->ifields, (rs->n_ifields + 1) * sizeof *rs->ifields);
			f = &rs->ifields[rs->n_ifields++];
			memset(f, 0, sizeof *f);
			f->field = (uint16_t)x->field;
		}
	}
	/* size each field's table, then fill: first count keys, then place rule ids */
	for (uint32_t k = 0; k < rs->n_ifields; k++) {
		struct wt_index_field *f = &rs->ifields[k];
		uint32_t keys = 0, total = 0;
		for (uint32_t i = 0; i < bc->n_index; i++)
			if (bc->index[i].field == f->field && indexed[bc->index[i].rule])
				keys += bc->sets[bc->index[i].set].n;
		uint32_t cap = 8;
		while (cap < keys * 2)
			cap *= 2;
		f->mask = cap - 1;
		f->slots = wt_xcalloc(cap, sizeof *f->slots);
		for (int pass = 0; pass < 2; pass++) {
			for (uint32_t i = 0; i < bc->n_index; i++) {
				const struct wt_bc_index *x = &bc->index[i];
				if (x->field != f->field || !indexed[x->rule])
					continue;
				const struct wt_bc_set *set = &bc->sets[x->set];
				for (uint32_t e = 0; e < set->n; e++) {
					uint32_t si = bc->setitems[set->first + e];
					struct wt_index_slot *sl = index_find(f, bc->strings[si], bc->string_len[si]);
					if (!sl->key) {
						sl->key = bc->strings[si];
						sl->len = bc->string_len[si];
						sl->hash = str_hash(sl->key, sl->len);
					}
					if (pass == 0) {
						sl->n++;
					} else if (!sl->n || f->rules[sl->first + sl->n - 1] != x->rule) {
						f->rules[sl->first + sl->n++] = x->rule; /* duplicates in a set count once */
					}
				}
			}
			if (pass == 0) {
				for (uint32_t j = 0; j <= f->mask; j++) {
					f->slots[j].first = total;
					total += f->slots[j].n;
					f->slots[j].n = 0;
				}
				f->rules = wt_xcalloc(total ? total : 1, sizeof(uint32_t));
			}
		}
		for (uint32_t j = 0; j <= f->mask; j++)
			qsort(f->rules + f->slots[j].first, f->slots[j].n, sizeof(uint32_t), cmp_u32);
	}
	for (int k = 0; k < WT_KIND_COUNT; k++) {
		rs->unindexed[k] = wt_xcalloc(rs->n_by_kind[k] ? rs->n_by_kind[k] : 1, sizeof(uint32_t));
		for (uint32_t i = 0; i < rs->n_by_kind[k]; i++)
			if (!indexed[rs->by_kind[k][i]])
				rs->unindexed[k][rs->n_unindexed[k]++] = rs->by_kind[k][i];
	}
	free(indexed);
}

uint32_t wt_ruleset_candidates(const struct wt_ruleset *rs, const struct wt_event *ev, uint32_t *out)
{
	uint32_t kind = ev->kind, kbit = 1u << kind;
	uint32_t n = rs->n_unindexed[kind];
	memcpy(out, rs->unindexed[kind], n * sizeof *out);
	bool added = false;
	for (uint32_t k = 0; k < rs->n_ifields; k++) {
		const struct wt_index_field *f = &rs->ifields[k];
		struct wt_value v;
		wt_event_get(ev, (enum wt_field_id)f->field, &v);
		if (!v.present)
			continue;
		const struct wt_index_slot *sl = index_find(f, v.s, v.len);
		for (uint32_t i = 0; sl->key && i < sl->n; i++) {
			uint32_t r = f->rules[sl->first + i];
			if (rs->bc.rules[r].kinds & kbit) {
				out[n++] = r;
				added = true;
			}
		}
	}
	if (added)
		qsort(out, n, sizeof *out, cmp_u32); /* rule order, as without an index */
	return n;
}

enum wt_err wt_ruleset_load(const char *path, struct wt_ruleset **out, char *err, size_t errlen)
{
	struct wt_bc bc;
	enum wt_err e = wt_bc_load_file(path, &bc, err, errlen);
	if (e != WT_OK)
		return e;
	char inner[400];
	e = wt_ruleset_from_bc(&bc, out, inner, sizeof inner);
	if (e != WT_OK)
		snprintf(err, errlen, "%s: %s", path, inner);
	return e;
}

void wt_ruleset_free(struct wt_ruleset *rs)
{
	if (!rs)
		return;
	for (uint32_t i = 0; i < rs->bc.n_sets && rs->sets; i++) {
		free(rs->sets[i].slots);
		free(rs->sets[i].ints);
		free(rs->sets[i].cidrs);
	}
	free(rs->sets);
	for (uint32_t i = 0; i < rs->bc.n_regexes && rs->regexes; i++)
		pcre2_code_free(rs->regexes[i]);
	free(rs->regexes);
	for (uint32_t i = 0; i < rs->bc.n_rules && rs->rules; i++)
		free(rs->rules[i].tmpl);
	free(rs->rules);
	for (int k = 0; k < WT_KIND_COUNT; k++) {
		free(rs->by_kind[k]);
		free(rs->unindexed[k]);
	}
	for (uint32_t k = 0; k < rs->n_ifields; k++) {
		free(rs->ifields[k].slots);
		free(rs->ifields[k].rules);
	}
	free(rs->ifields);
	for (uint32_t i = 0; i < rs->n_paths && rs->paths; i++)
		free(rs->paths[i].rule.tmpl);
	free(rs->paths);
	for (uint32_t i = 0; i < rs->n_rarities && rs->rarities; i++)
		free(rs->rarities[i].rule.tmpl);
	free(rs->rarities);
	wt_bc_free(&rs->bc);
	free(rs);
}

void wt_ruleset_ref(const struct wt_ruleset *rs)
{
	if (rs)
		__atomic_add_fetch(&((struct wt_ruleset *)rs)->refs, 1, __ATOMIC_RELAXED);
}

void wt_ruleset_unref(const struct wt_ruleset *rs)
{
	if (rs && __atomic_sub_fetch(&((struct wt_ruleset *)rs)->refs, 1, __ATOMIC_ACQ_REL) == 0)
		wt_ruleset_free((struct wt_ruleset *)rs);
}
