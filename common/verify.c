/* The ruleset verifier, in the spirit of the kernel's BPF verifier and libpcap's
 * bpf_validate: it proves before anything runs that each rule's code only reads valid
 * constants and fields, only jumps forward inside the rule (so it terminates), never
 * under- or overflows the value stack, and always ends in RET with exactly one value. */
#include "verify.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

WT_PRINTF(3, 4) static enum wt_err fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return WT_E_CORRUPT;
}

static bool set_ok(const struct wt_bc *bc, uint32_t idx)
{
	return idx == WT_BC_NONE || (idx < bc->n_sets && bc->sets[idx].type == WT_SET_STR);
}

static bool str_ok(const struct wt_bc *bc, uint32_t idx, bool optional)
{
	return (optional && idx == WT_BC_NONE) || idx < bc->n_strings;
}

/* Code start..start+n-1 of a rule (n_caps 0) or of a path step or exception (LOAD_CAPTURE
 * reads captures 0..n_caps-1). */
static enum wt_err verify_code(const struct wt_bc *bc, const char *name, uint32_t start, uint32_t n,
			       uint32_t n_caps, int16_t *depth, char *err, size_t errlen)
{
	/* depth[i] = stack depth before instruction i, -1 = not reached yet. Jumps only go
	 * forward, so one pass in order sees every predecessor of i before i itself. */
	for (uint32_t i = 0; i < n; i++)
		depth[i] = -1;
	depth[0] = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct wt_insn *in = &bc->code[start + i];
		if (depth[i] < 0)
			return fail(err, errlen, "%s: instruction %u is unreachable", name, i);
		if (in->op >= WT_OP_COUNT)
			return fail(err, errlen, "%s: instruction %u has unknown opcode %u", name, i, in->op);
		const struct wt_op_info *oi = &wt_ops[in->op];
		int d = depth[i];
		if (d < oi->pop)
			return fail(err, errlen, "%s: instruction %u (%s) needs %u values, stack has %d",
				    name, i, oi->name, oi->pop, d);
		if (oi->operand != WT_OPND_BOOL && oi->operand != WT_OPND_FIELD && (in->a & ~oi->flags))
			return fail(err, errlen, "%s: instruction %u (%s) has invalid flags %#x", name, i,
				    oi->name, in->a);
		bool b_used = oi->operand == WT_OPND_FIELD;
		bool c_used = oi->operand != WT_OPND_NONE && oi->operand != WT_OPND_BOOL &&
			      (oi->operand != WT_OPND_FIELD || in->a != WT_SEL_NONE);
		if ((!b_used && in->b) || (!c_used && in->c))
			return fail(err, errlen, "%s: instruction %u (%s) has stray operand bits", name, i,
				    oi->name);
		switch (oi->operand) {
		case WT_OPND_NONE: break;
		case WT_OPND_FIELD: {
			if (in->b >= WT_F_COUNT)
				return fail(err, errlen, "%s: instruction %u reads field %u of %d", name, i,
					    in->b, WT_F_COUNT);
			enum wt_field_sel_kind fk = wt_fields[in->b].sel;
			bool sel_ok = (fk == WT_FSEL_NONE && in->a == WT_SEL_NONE) ||
				      (fk == WT_FSEL_KEY && in->a == WT_SEL_LABEL && in->c < bc->n_strings) ||
				      (fk == WT_FSEL_ARG && in->a == WT_SEL_INDEX && in->c < WT_MAX_ARGS) ||
				      (fk == WT_FSEL_ARG && in->a == WT_SEL_LABEL && in->c < bc->n_strings);
			if (!sel_ok)
				return fail(err, errlen, "%s: instruction %u selects field %s with selector %u/%u",
					    name, i, wt_fields[in->b].name, in->a, in->c);
			break;
		}
		case WT_OPND_STR:
			if (in->c >= bc->n_strings)
				return fail(err, errlen, "%s: instruction %u uses string %u of %u", name, i,
					    in->c, bc->n_strings);
			break;
		case WT_OPND_INT:
			if (in->c >= bc->n_ints)
				return fail(err, errlen, "%s: instruction %u uses int %u of %u", name, i,
					    in->c, bc->n_ints);
			break;
		case WT_OPND_SET:
			if (in->c >= bc->n_sets)
				return fail(err, errlen, "%s: instruction %u uses set %u of %u", name, i,
					    in->c, bc->n_sets);
			if ((in->op == WT_OP_IN_CIDR) != (bc->sets[in->c].type == WT_SET_CIDR))
				return fail(err, errlen, "%s: instruction %u (%s) uses set %u of the wrong type",
					    name, i, oi->name, in->c);
			break;
		case WT_OPND_REGEX:
			if (in->c >= bc->n_regexes)
				return fail(err, errlen, "%s: instruction %u uses regex %u of %u", name, i,
					    in->c, bc->n_regexes);
			break;
		case WT_OPND_CAPTURE:
			if (in->c >= n_caps)
				return fail(err, errlen, "%s: instruction %u reads capture %u of %u", name, i, in->c,
					    n_caps);
			break;
		case WT_OPND_BOOL:
			if (in->a > 1)
				return fail(err, errlen, "%s: instruction %u pushes boolean %u", name, i, in->a);
			break;
		case WT_OPND_JUMP: {
			if (in->c <= start + i || in->c >= start + n)
				return fail(err, errlen,
					    "%s: instruction %u jumps to %u, outside %u..%u (jumps must go forward inside the rule)",
					    name, i, in->c, start + i + 1, start + n - 1);
			uint32_t t = in->c - start;
			if (depth[t] >= 0 && depth[t] != d)
				return fail(err, errlen,
					    "%s: instruction %u reaches %u with stack depth %d, elsewhere %d",
					    name, i, t, d, depth[t]);
			depth[t] = (int16_t)d;
			break;
		}
		}
		int nd = d - oi->pop + oi->push;
		if (nd > WT_MAX_STACK)
			return fail(err, errlen, "%s: instruction %u exceeds the stack limit of %d", name,
				    i, WT_MAX_STACK);
		if (in->op == WT_OP_RET) {
			if (d != 1)
				return fail(err, errlen, "%s: RET at %u with %d values on the stack", name, i, d);
			continue; /* nothing falls through a RET */
		}
		if (i + 1 == n)
			return fail(err, errlen, "%s: code falls off its end at %u", name, i);
		if (depth[i + 1] >= 0 && depth[i + 1] != nd)
			return fail(err, errlen, "%s: instruction %u reached with stack depth %d and %d",
				    name, i + 1, nd, depth[i + 1]);
		depth[i + 1] = (int16_t)nd;
	}
	return WT_OK;
}

static bool code_range_ok(const struct wt_bc *bc, uint32_t code, uint32_t len)
{
	return len > 0 && len <= WT_MAX_RULE_CODE && (uint64_t)code + len <= bc->n_code;
}

/* Paths: every index in range, steps inside their path's step range, captures inside its
 * capture range, and each step's code verified against the path's capture count. */
static enum wt_err verify_paths(const struct wt_bc *bc, int16_t *depth, char *err, size_t errlen)
{
	char name[160];
	for (uint32_t i = 0; i < bc->n_paths; i++) {
		const struct wt_bc_path *p = &bc->paths[i];
		if (p->name >= bc->n_strings)
			return fail(err, errlen, "path %u: name refers to string %u of %u", i, p->name, bc->n_strings);
		snprintf(name, sizeof name, "path %s", bc->strings[p->name]);
		int64_t window = (int64_t)((uint64_t)p->window_lo | (uint64_t)p->window_hi << 32);
		if (p->severity >= WT_SEV_COUNT || (p->flags & ~WT_RULEF_ENABLED) || p->reserved ||
		    p->by > WT_PATH_BY_TREE)
			return fail(err, errlen, "%s: invalid severity, flags or key kind", name);
		if (!wt_bc_indexable_field(p->by_field) || window <= 0)
			return fail(err, errlen, "%s: invalid key field %u or window", name, p->by_field);
		if (!set_ok(bc, p->mitre) || !set_ok(bc, p->tags) || !str_ok(bc, p->output, true) ||
		    !str_ok(bc, p->desc, true) || !str_ok(bc, p->file, false))
			return fail(err, errlen, "%s: mitre, tags, output, description or file out of range", name);
		if (p->step_n == 0 || p->step_n > WT_MAX_PATH_STEPS || (uint64_t)p->step_first + p->step_n > bc->n_steps)
			return fail(err, errlen, "%s: steps %u+%u outside the %u steps", name, p->step_first, p->step_n,
				    bc->n_steps);
		if (p->cap_n > WT_MAX_PATH_CAPTURES || (uint64_t)p->cap_first + p->cap_n > bc->n_captures)
			return fail(err, errlen, "%s: captures %u+%u outside the %u captures", name, p->cap_first,
				    p->cap_n, bc->n_captures);
		for (uint32_t k = 0; k < p->cap_n; k++) {
			const struct wt_bc_capture *c = &bc->captures[p->cap_first + k];
			if (c->name >= bc->n_strings || c->field >= WT_F_COUNT || wt_fields[c->field].sel != WT_FSEL_NONE ||
			    wt_fields[c->field].type == WT_T_STRLIST || wt_fields[c->field].type == WT_T_INTLIST)
				return fail(err, errlen, "%s: capture %u is invalid", name, k);
		}
		if (p->except_len && !code_range_ok(bc, p->except_code, p->except_len))
			return fail(err, errlen, "%s: exception code outside the instructions", name);
		if (p->except_len)
			WT_TRY(verify_code(bc, name, p->except_code, p->except_len, p->cap_n, depth, err, errlen));
		uint32_t positives = 0;
		for (uint32_t k = 0; k < p->step_n; k++) {
			const struct wt_bc_step *s = &bc->steps[p->step_first + k];
			if (s->flags & ~(WT_STEPF_NEGATIVE | WT_STEPF_UNTIL) ||
			    s->flags == (WT_STEPF_NEGATIVE | WT_STEPF_UNTIL))
				return fail(err, errlen, "%s: step %u has invalid flags %#x", name, k, s->flags);
			if (!(s->flags & WT_STEPF_UNTIL) && !str_ok(bc, s->name, false))
				return fail(err, errlen, "%s: step %u name out of range", name, k);
			if (s->kinds == 0 || (s->kinds & ~(uint32_t)KM_ALL))
				return fail(err, errlen, "%s: step %u has invalid event kinds %#x", name, k, s->kinds);
			if (s->runs > WT_MAX_RUNS || (s->runs > 1 && s->flags))
				return fail(err, errlen, "%s: step %u repeats %u times", name, k, s->runs);
			if (s->distinct != WT_BC_NONE &&
			    (s->distinct >= WT_F_COUNT || wt_fields[s->distinct].sel != WT_FSEL_NONE ||
			     wt_fields[s->distinct].type == WT_T_STRLIST || wt_fields[s->distinct].type == WT_T_INTLIST))
				return fail(err, errlen, "%s: step %u counts distinct values of an invalid field", name, k);
			if (s->cap_n && (s->flags || s->cap_first < p->cap_first ||
					 (uint64_t)s->cap_first + s->cap_n > (uint64_t)p->cap_first + p->cap_n))
				return fail(err, errlen, "%s: step %u captures outside its path's captures", name, k);
			if (!s->flags)
				positives++;
			if (k == 0 && s->flags == WT_STEPF_NEGATIVE)
				return fail(err, errlen, "%s: starts with a negative step", name);
			if (!code_range_ok(bc, s->code, s->code_len))
				return fail(err, errlen, "%s: step %u code %u+%u outside the %u instructions", name, k,
					    s->code, s->code_len, bc->n_code);
			WT_TRY(verify_code(bc, name, s->code, s->code_len, p->cap_n, depth, err, errlen));
		}
		if (!positives)
			return fail(err, errlen, "%s: has no positive step", name);
	}
	return WT_OK;
}

/* Rarity specs: indices in range, keys inside the KEYS section, thresholds sane, and the
 * condition, exception and every key's code verified (keys leave any one value). */
static enum wt_err verify_rarities(const struct wt_bc *bc, int16_t *depth, char *err, size_t errlen)
{
	char name[160];
	for (uint32_t i = 0; i < bc->n_rarities; i++) {
		const struct wt_bc_rarity *r = &bc->rarities[i];
		if (r->name >= bc->n_strings)
			return fail(err, errlen, "rarity %u: name refers to string %u of %u", i, r->name, bc->n_strings);
		snprintf(name, sizeof name, "rarity %s", bc->strings[r->name]);
		if (r->severity >= WT_SEV_COUNT || (r->flags & ~WT_RULEF_ENABLED) || r->population > WT_RARITY_POP_IMAGE)
			return fail(err, errlen, "%s: invalid severity, flags or population", name);
		if (r->kinds == 0 || (r->kinds & ~(uint32_t)KM_ALL))
			return fail(err, errlen, "%s: invalid event kind mask %#x", name, r->kinds);
		if (r->thresholds == 0 || (r->thresholds & ~WT_RARF_ALL) ||
		    ((r->thresholds & WT_RARF_FREQ) && (r->max_freq_ppb == 0 || r->max_freq_ppb > 1000000000u)) ||
		    ((r->thresholds & WT_RARF_COUNT) && r->max_count_milli == 0) ||
		    ((r->thresholds & WT_RARF_SPREAD) && (r->max_spread < 2 || r->max_spread > WT_SPREAD_MAX)))
			return fail(err, errlen, "%s: invalid thresholds", name);
		if (wt_bc_i64(r->warmup_events_lo, r->warmup_events_hi) < 0 ||
		    wt_bc_i64(r->warmup_ns_lo, r->warmup_ns_hi) < 0 || wt_bc_i64(r->halflife_lo, r->halflife_hi) < 0)
			return fail(err, errlen, "%s: negative warm-up or half-life", name);
		if (!set_ok(bc, r->mitre) || !set_ok(bc, r->tags) || !str_ok(bc, r->output, true) ||
		    !str_ok(bc, r->desc, true) || !str_ok(bc, r->file, false))
			return fail(err, errlen, "%s: mitre, tags, output, description or file out of range", name);
		if (!code_range_ok(bc, r->code, r->code_len))
			return fail(err, errlen, "%s: condition code outside the instructions", name);
		WT_TRY(verify_code(bc, name, r->code, r->code_len, 0, depth, err, errlen));
		if (r->except_len && !code_range_ok(bc, r->except_code, r->except_len))
			return fail(err, errlen, "%s: exception code outside the instructions", name);
		if (r->except_len)
			WT_TRY(verify_code(bc, name, r->except_code, r->except_len, 0, depth, err, errlen));
		if (r->key_n == 0 || r->key_n > WT_MAX_RARITY_KEYS || (uint64_t)r->key_first + r->key_n > bc->n_keys)
			return fail(err, errlen, "%s: keys %u+%u outside the %u keys", name, r->key_first, r->key_n,
				    bc->n_keys);
		for (uint32_t k = 0; k < r->key_n; k++) {
			const struct wt_bc_key *key = &bc->keys[r->key_first + k];
			if (!str_ok(bc, key->text, false) || !code_range_ok(bc, key->code, key->code_len))
				return fail(err, errlen, "%s: key %u is invalid", name, k);
			WT_TRY(verify_code(bc, name, key->code, key->code_len, 0, depth, err, errlen));
		}
	}
	return WT_OK;
}

enum wt_err wt_verify_rules(const struct wt_bc *bc, char *err, size_t errlen)
{
	int16_t *depth = wt_xmalloc(sizeof(int16_t) * (WT_MAX_RULE_CODE + 1));
	enum wt_err e = WT_OK;
	for (uint32_t i = 0; i < bc->n_rules && e == WT_OK; i++) {
		const struct wt_bc_rule *r = &bc->rules[i];
		if (r->name >= bc->n_strings) {
			e = fail(err, errlen, "rule %u: name refers to string %u of %u", i, r->name, bc->n_strings);
			break;
		}
		const char *name = bc->strings[r->name];
		if (r->kinds == 0 || (r->kinds & ~(uint32_t)KM_ALL))
			e = fail(err, errlen, "rule %s: invalid event kind mask %#x", name, r->kinds);
		else if (r->severity >= WT_SEV_COUNT)
			e = fail(err, errlen, "rule %s: invalid severity %u", name, r->severity);
		else if (r->flags & ~WT_RULEF_ENABLED || r->reserved || r->reserved2)
			e = fail(err, errlen, "rule %s: reserved bits set", name);
		else if (!set_ok(bc, r->mitre) || !set_ok(bc, r->tags))
			e = fail(err, errlen, "rule %s: mitre or tags refer to a missing string set", name);
		else if (!str_ok(bc, r->output, true) || !str_ok(bc, r->file, false) ||
			 !str_ok(bc, r->desc, true))
			e = fail(err, errlen, "rule %s: output, file or description string out of range", name);
		else if (r->code_len == 0 || r->code_len > WT_MAX_RULE_CODE ||
			 (uint64_t)r->code + r->code_len > bc->n_code)
			e = fail(err, errlen, "rule %s: code %u+%u outside the %u instructions", name, r->code,
				 r->code_len, bc->n_code);
		else {
			char rname[160];
			snprintf(rname, sizeof rname, "rule %s", name);
			e = verify_code(bc, rname, r->code, r->code_len, 0, depth, err, errlen);
		}
	}
	if (e == WT_OK)
		e = verify_paths(bc, depth, err, errlen);
	if (e == WT_OK)
		e = verify_rarities(bc, depth, err, errlen);
	free(depth);
	return e;
}
