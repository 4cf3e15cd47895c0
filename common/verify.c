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

static enum wt_err verify_code(const struct wt_bc *bc, uint32_t ri, const struct wt_bc_rule *r,
			       int16_t *depth, char *err, size_t errlen)
{
	const char *name = bc->strings[r->name];
	uint32_t start = r->code, n = r->code_len;
	/* depth[i] = stack depth before instruction i, -1 = not reached yet. Jumps only go
	 * forward, so one pass in order sees every predecessor of i before i itself. */
	for (uint32_t i = 0; i < n; i++)
		depth[i] = -1;
	depth[0] = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct wt_insn *in = &bc->code[start + i];
		if (depth[i] < 0)
			return fail(err, errlen, "rule %s: instruction %u is unreachable", name, i);
		if (in->op >= WT_OP_COUNT)
			return fail(err, errlen, "rule %s: instruction %u has unknown opcode %u", name, i, in->op);
		const struct wt_op_info *oi = &wt_ops[in->op];
		int d = depth[i];
		if (d < oi->pop)
			return fail(err, errlen, "rule %s: instruction %u (%s) needs %u values, stack has %d",
				    name, i, oi->name, oi->pop, d);
		if (oi->operand != WT_OPND_BOOL && oi->operand != WT_OPND_FIELD && (in->a & ~oi->flags))
			return fail(err, errlen, "rule %s: instruction %u (%s) has invalid flags %#x", name, i,
				    oi->name, in->a);
		bool b_used = oi->operand == WT_OPND_FIELD;
		bool c_used = oi->operand != WT_OPND_NONE && oi->operand != WT_OPND_BOOL &&
			      (oi->operand != WT_OPND_FIELD || in->a != WT_SEL_NONE);
		if ((!b_used && in->b) || (!c_used && in->c))
			return fail(err, errlen, "rule %s: instruction %u (%s) has stray operand bits", name, i,
				    oi->name);
		switch (oi->operand) {
		case WT_OPND_NONE: break;
		case WT_OPND_FIELD: {
			if (in->b >= WT_F_COUNT)
				return fail(err, errlen, "rule %s: instruction %u reads field %u of %d", name, i,
					    in->b, WT_F_COUNT);
			enum wt_field_sel_kind fk = wt_fields[in->b].sel;
			bool sel_ok = (fk == WT_FSEL_NONE && in->a == WT_SEL_NONE) ||
				      (fk == WT_FSEL_KEY && in->a == WT_SEL_LABEL && in->c < bc->n_strings) ||
				      (fk == WT_FSEL_ARG && in->a == WT_SEL_INDEX && in->c < WT_MAX_ARGS) ||
				      (fk == WT_FSEL_ARG && in->a == WT_SEL_LABEL && in->c < bc->n_strings);
			if (!sel_ok)
				return fail(err, errlen, "rule %s: instruction %u selects field %s with selector %u/%u",
					    name, i, wt_fields[in->b].name, in->a, in->c);
			break;
		}
		case WT_OPND_STR:
			if (in->c >= bc->n_strings)
				return fail(err, errlen, "rule %s: instruction %u uses string %u of %u", name, i,
					    in->c, bc->n_strings);
			break;
		case WT_OPND_INT:
			if (in->c >= bc->n_ints)
				return fail(err, errlen, "rule %s: instruction %u uses int %u of %u", name, i,
					    in->c, bc->n_ints);
			break;
		case WT_OPND_SET:
			if (in->c >= bc->n_sets)
				return fail(err, errlen, "rule %s: instruction %u uses set %u of %u", name, i,
					    in->c, bc->n_sets);
			if ((in->op == WT_OP_IN_CIDR) != (bc->sets[in->c].type == WT_SET_CIDR))
				return fail(err, errlen, "rule %s: instruction %u (%s) uses set %u of the wrong type",
					    name, i, oi->name, in->c);
			break;
		case WT_OPND_REGEX:
			if (in->c >= bc->n_regexes)
				return fail(err, errlen, "rule %s: instruction %u uses regex %u of %u", name, i,
					    in->c, bc->n_regexes);
			break;
		case WT_OPND_BOOL:
			if (in->a > 1)
				return fail(err, errlen, "rule %s: instruction %u pushes boolean %u", name, i, in->a);
			break;
		case WT_OPND_JUMP: {
			if (in->c <= start + i || in->c >= start + n)
				return fail(err, errlen,
					    "rule %s: instruction %u jumps to %u, outside %u..%u (jumps must go forward inside the rule)",
					    name, i, in->c, start + i + 1, start + n - 1);
			uint32_t t = in->c - start;
			if (depth[t] >= 0 && depth[t] != d)
				return fail(err, errlen,
					    "rule %s: instruction %u reaches %u with stack depth %d, elsewhere %d",
					    name, i, t, d, depth[t]);
			depth[t] = (int16_t)d;
			break;
		}
		}
		int nd = d - oi->pop + oi->push;
		if (nd > WT_MAX_STACK)
			return fail(err, errlen, "rule %s: instruction %u exceeds the stack limit of %d", name,
				    i, WT_MAX_STACK);
		if (in->op == WT_OP_RET) {
			if (d != 1)
				return fail(err, errlen, "rule %s: RET at %u with %d values on the stack", name, i, d);
			continue; /* nothing falls through a RET */
		}
		if (i + 1 == n)
			return fail(err, errlen, "rule %s: code falls off its end at %u", name, i);
		if (depth[i + 1] >= 0 && depth[i + 1] != nd)
			return fail(err, errlen, "rule %s: instruction %u reached with stack depth %d and %d",
				    name, i + 1, nd, depth[i + 1]);
		depth[i + 1] = (int16_t)nd;
	}
	(void)ri;
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
		else
			e = verify_code(bc, i, r, depth, err, errlen);
	}
	free(depth);
	return e;
}
