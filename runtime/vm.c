/* Stack VM over verified code (see opcodes.def). The verifier already proved stack depth,
 * operand ranges and forward-only jumps, so the loop does no bounds checks of its own.
 * Values are tagged; a list value (ancestors, string args) matches when any element does,
 * and transforms (basename, dirname) on lists are applied per element when read. */
#include "vm.h"
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>
#include <strings.h>

enum { XF_BASENAME = 1, XF_DIRNAME = 2 };

struct vval {
	enum wt_type t;
	bool present;
	uint8_t xf; /* pending transforms for lists, applied per element */
	uint16_t field;
	uint32_t len, n;
	const char *s;
	int64_t i;
};

static inline bool is_str(enum wt_type t)
{
	return t == WT_T_STR || t == WT_T_ADDR;
}

void wt_vm_init(struct wt_vm *vm)
{
	vm->match_data = pcre2_match_data_create(1, NULL);
	vm->evals = 0;
}

void wt_vm_free(struct wt_vm *vm)
{
	pcre2_match_data_free(vm->match_data);
	vm->match_data = NULL;
}

static void dirname_slice(const char **s, uint32_t *len)
{
	uint32_t end = *len;
	while (end > 1 && (*s)[end - 1] == '/')
		end--;
	while (end > 0 && (*s)[end - 1] != '/')
		end--;
	while (end > 1 && (*s)[end - 1] == '/')
		end--;
	if (end == 0) {
		*s = ".";
		*len = 1;
		return;
	}
	*len = end;
}

static void apply_xf(uint8_t xf, const char **s, uint32_t *len)
{
	if (xf & XF_BASENAME)
		wt_path_basename(*s, *len, s, len);
	if (xf & XF_DIRNAME)
		dirname_slice(s, len);
}

/* Element i of a list value (or the value itself for scalars), transforms applied. */
static void elem(const struct wt_event *ev, const struct vval *v, uint32_t i, struct vval *out)
{
	struct wt_value wv = {.field = v->field, .n = v->n, .type = v->t};
	struct wt_value e;
	wt_event_list_elem(ev, &wv, i, &e);
	out->t = e.type;
	out->present = e.present;
	out->s = e.s;
	out->len = e.len;
	out->i = e.i;
	out->xf = 0;
	out->n = 0;
	if (is_str(e.type) && e.present)
		apply_xf(v->xf, &out->s, &out->len);
}

static bool str_eq(const char *a, uint32_t al, const char *b, uint32_t bl, bool nocase)
{
	return al == bl && (nocase ? strncasecmp(a, b, al) == 0 : memcmp(a, b, al) == 0);
}

static bool str_starts(const char *a, uint32_t al, const char *b, uint32_t bl, bool nocase)
{
	return al >= bl && (nocase ? strncasecmp(a, b, bl) == 0 : memcmp(a, b, bl) == 0);
}

static bool str_ends(const char *a, uint32_t al, const char *b, uint32_t bl, bool nocase)
{
	return al >= bl && (nocase ? strncasecmp(a + al - bl, b, bl) == 0 : memcmp(a + al - bl, b, bl) == 0);
}

static bool str_contains(const char *a, uint32_t al, const char *b, uint32_t bl, bool nocase)
{
	if (bl == 0)
		return true;
	if (!nocase)
		return memmem(a, al, b, bl) != NULL;
	for (uint32_t i = 0; i + bl <= al; i++)
		if (strncasecmp(a + i, b, bl) == 0)
			return true;
	return false;
}

/* Compare two scalars (after list expansion). */
static bool scalar_op(enum wt_op op, bool nocase, const struct vval *x, const struct vval *y)
{
	if (!x->present || !y->present)
		return false;
	if (is_str(x->t) && is_str(y->t)) {
		switch (op) {
		case WT_OP_EQ: return str_eq(x->s, x->len, y->s, y->len, nocase);
		case WT_OP_STARTSWITH: return str_starts(x->s, x->len, y->s, y->len, nocase);
		case WT_OP_ENDSWITH: return str_ends(x->s, x->len, y->s, y->len, nocase);
		case WT_OP_CONTAINS: return str_contains(x->s, x->len, y->s, y->len, nocase);
		default: return false;
		}
	}
	bool xi = x->t == WT_T_INT || x->t == WT_T_BOOL, yi = y->t == WT_T_INT || y->t == WT_T_BOOL;
	if (!xi || !yi)
		return false; /* mismatched types never match (a verified file may still pair them) */
	switch (op) {
	case WT_OP_EQ: return x->i == y->i;
	case WT_OP_LT: return x->i < y->i;
	case WT_OP_LE: return x->i <= y->i;
	case WT_OP_GT: return x->i > y->i;
	case WT_OP_GE: return x->i >= y->i;
	default: return false;
	}
}

static bool is_list(const struct vval *v)
{
	return v->t == WT_T_STRLIST || v->t == WT_T_INTLIST;
}

static bool binary_op(const struct wt_event *ev, enum wt_op op, bool nocase, const struct vval *x,
		      const struct vval *y)
{
	struct vval ye = *y;
	if (is_list(y)) {
		/* only reachable through a crafted file: compare with the first element */
		if (y->n == 0)
			return false;
		elem(ev, y, 0, &ye);
	}
	if (!is_list(x))
		return scalar_op(op, nocase, x, &ye);
	for (uint32_t i = 0; i < x->n; i++) {
		struct vval e;
		elem(ev, x, i, &e);
		if (scalar_op(op, nocase, &e, &ye))
			return true;
	}
	return false;
}

static bool in_set(const struct wt_event *ev, const struct wt_rt_set *set, const struct vval *x)
{
	if (is_list(x)) {
		for (uint32_t i = 0; i < x->n; i++) {
			struct vval e;
			elem(ev, x, i, &e);
			if (in_set(ev, set, &e))
				return true;
		}
		return false;
	}
	if (!x->present)
		return false;
	if (is_str(x->t))
		return set->type == WT_SET_STR && wt_rt_set_has_str(set, x->s, x->len);
	return set->type == WT_SET_INT && wt_rt_set_has_int(set, x->i);
}

static bool regex_match(struct wt_vm *vm, const struct wt_event *ev, const pcre2_code *re, const struct vval *x)
{
	if (is_list(x)) {
		for (uint32_t i = 0; i < x->n; i++) {
			struct vval e;
			elem(ev, x, i, &e);
			if (regex_match(vm, ev, re, &e))
				return true;
		}
		return false;
	}
	if (!x->present || !is_str(x->t))
		return false;
	return pcre2_match(re, (PCRE2_SPTR)x->s, x->len, 0, 0, vm->match_data, NULL) >= 0;
}

static void load(const struct wt_event *ev, uint16_t field, struct vval *v)
{
	struct wt_value w;
	wt_event_get(ev, (enum wt_field_id)field, &w);
	v->t = w.type;
	v->present = w.present;
	v->xf = 0;
	v->field = field;
	v->s = w.s;
	v->len = w.len;
	v->i = w.i;
	v->n = w.n;
}

static bool truthy(const struct vval *v)
{
	return v->present && (v->t == WT_T_BOOL || v->t == WT_T_INT) && v->i != 0;
}

static void set_bool(struct vval *v, bool b)
{
	v->t = WT_T_BOOL;
	v->present = true;
	v->i = b;
	v->n = 0;
	v->xf = 0;
}

bool wt_vm_run(struct wt_vm *vm, const struct wt_ruleset *rs, const struct wt_rt_rule *r,
	       const struct wt_event *ev)
{
	const struct wt_bc *bc = &rs->bc;
	const struct wt_insn *code = bc->code;
	struct vval stack[WT_MAX_STACK];
	int sp = 0; /* number of values */
	uint32_t pc = r->bc->code;
	vm->evals++;
	for (;;) {
		const struct wt_insn *in = &code[pc++];
		switch ((enum wt_op)in->op) {
		case WT_OP_RET:
			return truthy(&stack[sp - 1]);
		case WT_OP_LOAD:
			load(ev, in->b, &stack[sp++]);
			break;
		case WT_OP_EXISTS: {
			struct vval v;
			load(ev, in->b, &v);
			set_bool(&stack[sp++], v.present);
			break;
		}
		case WT_OP_PUSH_STR: {
			struct vval *v = &stack[sp++];
			v->t = WT_T_STR;
			v->present = true;
			v->xf = 0;
			v->s = bc->strings[in->c];
			v->len = bc->string_len[in->c];
			v->n = 0;
			break;
		}
		case WT_OP_PUSH_INT: {
			struct vval *v = &stack[sp++];
			v->t = WT_T_INT;
			v->present = true;
			v->xf = 0;
			v->i = bc->ints[in->c];
			v->n = 0;
			break;
		}
		case WT_OP_PUSH_BOOL:
			set_bool(&stack[sp++], in->a);
			break;
		case WT_OP_EQ:
		case WT_OP_LT:
		case WT_OP_LE:
		case WT_OP_GT:
		case WT_OP_GE:
		case WT_OP_STARTSWITH:
		case WT_OP_ENDSWITH:
		case WT_OP_CONTAINS: {
			bool m = binary_op(ev, (enum wt_op)in->op, in->a & WT_OPF_NOCASE, &stack[sp - 2], &stack[sp - 1]);
			sp--;
			set_bool(&stack[sp - 1], m);
			break;
		}
		case WT_OP_IN_SET:
			set_bool(&stack[sp - 1], in_set(ev, &rs->sets[in->c], &stack[sp - 1]));
			break;
		case WT_OP_REGEX:
			set_bool(&stack[sp - 1], regex_match(vm, ev, rs->regexes[in->c], &stack[sp - 1]));
			break;
		case WT_OP_BASENAME:
		case WT_OP_DIRNAME: {
			struct vval *v = &stack[sp - 1];
			uint8_t xf = in->op == WT_OP_BASENAME ? XF_BASENAME : XF_DIRNAME;
			if (is_list(v))
				v->xf |= xf; /* a second transform composes in a fixed order */
			else if (is_str(v->t) && v->present)
				apply_xf(xf, &v->s, &v->len);
			break;
		}
		case WT_OP_NOT:
			set_bool(&stack[sp - 1], !truthy(&stack[sp - 1]));
			break;
		case WT_OP_JFALSE_OR_POP:
			if (!truthy(&stack[sp - 1]))
				pc = in->c;
			else
				sp--;
			break;
		case WT_OP_JTRUE_OR_POP:
			if (truthy(&stack[sp - 1]))
				pc = in->c;
			else
				sp--;
			break;
		case WT_OP_COUNT:
			return false;
		}
	}
}
