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
	return wt_hash_fnv1a(s, len, WT_FNV_SEED);
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

enum wt_err wt_ruleset_from_bc(struct wt_bc *bc, struct wt_ruleset **out, char *err, size_t errlen)
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
	*out = rs;
	return WT_OK;
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
	for (int k = 0; k < WT_KIND_COUNT; k++)
		free(rs->by_kind[k]);
	wt_bc_free(&rs->bc);
	free(rs);
}
