/* Stack VM over verified code (see opcodes.def). The verifier already proved stack depth,
 * operand ranges and forward-only jumps, so the loop does no bounds checks of its own.
 * Values are tagged; a list value (ancestors, string args, tokens) matches when any element
 * does. Field lists are read lazily from the event; transforms of lists materialize their
 * results in the VM's scratch area, which is reset for every evaluation. */
#include "vm.h"
#include "addr.h"
#include "normalize.h"
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct slice {
	const char *s;
	uint32_t len;
};

struct vval {
	enum wt_type t;
	bool present;
	uint16_t field;
	uint32_t len, n;
	const char *s;
	int64_t i;
	const struct slice *items; /* materialized string list, or NULL for a field list */
};

static inline bool is_str(enum wt_type t)
{
	return t == WT_T_STR || t == WT_T_ADDR;
}

static inline bool is_list(const struct vval *v)
{
	return v->t == WT_T_STRLIST || v->t == WT_T_INTLIST;
}

void wt_vm_init(struct wt_vm *vm)
{
	vm->match_data = pcre2_match_data_create(1, NULL);
	vm->scratch = wt_xmalloc(WT_VM_SCRATCH);
	vm->used = 0;
	vm->evals = 0;
	vm->scratch_exhausted = 0;
	vm->cluster = NULL;
	vm->n_cluster = 0;
	wt_norm_init();
}

void wt_vm_free(struct wt_vm *vm)
{
	pcre2_match_data_free(vm->match_data);
	free(vm->scratch);
	vm->match_data = NULL;
	vm->scratch = NULL;
}

static void *scratch(struct wt_vm *vm, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (vm->used + n > WT_VM_SCRATCH) {
		vm->scratch_exhausted++;
		return NULL;
	}
	void *p = vm->scratch + vm->used;
	vm->used += n;
	return p;
}

/* Transforms ------------------------------------------------------------------------- */

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

static bool strip_prefix(char *p, uint32_t *len, const char *prefix)
{
	size_t pl = strlen(prefix);
	if (*len < pl || memcmp(p, prefix, pl) != 0 || (*len > pl && p[pl] != '/'))
		return false;
	memmove(p, p + pl, *len - pl);
	*len -= (uint32_t)pl;
	if (*len == 0) {
		p[0] = '/';
		*len = 1;
	}
	return true;
}

bool wt_transform_normpath(struct wt_vm *vm, const char *s, uint32_t len, const char **out, uint32_t *out_len)
{
	char *p = scratch(vm, (size_t)len + 2);
	if (!p)
		return false;
	/* resolve ".", ".." and repeated "/" component by component; a relative path is taken
	 * from "/" (older Tetragon captures print resolved paths without the leading slash) */
	uint32_t n = 0;
	uint32_t i = 0;
	while (i < len) {
		while (i < len && s[i] == '/')
			i++;
		uint32_t start = i;
		while (i < len && s[i] != '/')
			i++;
		uint32_t cl = i - start;
		if (cl == 0 || (cl == 1 && s[start] == '.'))
			continue;
		if (cl == 2 && s[start] == '.' && s[start + 1] == '.') {
			while (n > 0 && p[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			continue;
		}
		p[n++] = '/';
		memcpy(p + n, s + start, cl);
		n += cl;
	}
	if (n == 0)
		p[n++] = '/';
	/* /proc/self/root/x, /proc/<pid>/root/x, /proc/thread-self/root/x all name /x */
	for (int guard = 0; guard < 8; guard++) {
		if (n > 6 && memcmp(p, "/proc/", 6) == 0) {
			uint32_t k = 6;
			while (k < n && p[k] != '/')
				k++;
			bool pid = k > 6;
			for (uint32_t d = 6; d < k && pid; d++)
				pid = p[d] >= '0' && p[d] <= '9';
			bool self = (k - 6 == 4 && memcmp(p + 6, "self", 4) == 0) ||
				    (k - 6 == 11 && memcmp(p + 6, "thread-self", 11) == 0);
			if ((pid || self) && n >= k + 5 && memcmp(p + k, "/root", 5) == 0 && (n == k + 5 || p[k + 5] == '/')) {
				uint32_t cut = k + 5;
				memmove(p, p + cut, n - cut);
				n -= cut;
				if (n == 0)
					p[n++] = '/';
				continue;
			}
		}
		break;
	}
	if (strip_prefix(p, &n, "/var/run")) {
		memmove(p + 4, p, n);
		memcpy(p, "/run", 4);
		n += 4;
		if (n == 5 && p[4] == '/')
			n = 4;
	}
	*out = p;
	*out_len = n;
	return true;
}

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

bool wt_transform_b64decode(struct wt_vm *vm, const char *s, uint32_t len, const char **out, uint32_t *out_len)
{
	while (len > 0 && s[len - 1] == '=')
		len--;
	if (len < 4 || len % 4 == 1)
		return false;
	for (uint32_t i = 0; i < len; i++)
		if (b64val((unsigned char)s[i]) < 0)
			return false;
	char *p = scratch(vm, len * 3 / 4 + 3);
	if (!p)
		return false;
	uint32_t n = 0, acc = 0, bits = 0;
	for (uint32_t i = 0; i < len; i++) {
		acc = (acc << 6) | (uint32_t)b64val((unsigned char)s[i]);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			p[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	*out = p;
	*out_len = n;
	return true;
}

static char fold(char c, bool nocase)
{
	return nocase ? (char)tolower((unsigned char)c) : c;
}

bool wt_glob_match(const char *pat, uint32_t plen, const char *s, uint32_t slen, bool nocase)
{
	uint32_t p = 0, i = 0, star_p = UINT32_MAX, star_i = 0;
	while (i < slen) {
		if (p < plen && pat[p] == '*') {
			star_p = ++p;
			star_i = i;
			continue;
		}
		if (p < plen && pat[p] == '[') {
			uint32_t q = p + 1;
			bool neg = q < plen && (pat[q] == '!' || pat[q] == '^');
			if (neg)
				q++;
			bool hit = false, closed = false;
			for (bool first = true; q < plen; first = false) {
				if (pat[q] == ']' && !first) {
					closed = true;
					break;
				}
				char lo = pat[q], hi = lo;
				if (q + 2 < plen && pat[q + 1] == '-' && pat[q + 2] != ']') {
					hi = pat[q + 2];
					q += 3;
				} else {
					q++;
				}
				char c = fold(s[i], nocase);
				if (fold(lo, nocase) <= c && c <= fold(hi, nocase))
					hit = true;
			}
			if (closed && hit != neg) {
				p = q + 1;
				i++;
				continue;
			}
		} else if (p < plen && (pat[p] == '?' ||
					(pat[p] == '\\' && p + 1 < plen ? fold(pat[p + 1], nocase) == fold(s[i], nocase)
									 : fold(pat[p], nocase) == fold(s[i], nocase)))) {
			p += pat[p] == '\\' && p + 1 < plen ? 2 : 1;
			i++;
			continue;
		}
		if (star_p == UINT32_MAX)
			return false;
		p = star_p;
		i = ++star_i;
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}

/* Shell-like words: whitespace separates, '...' and "..." group, backslash escapes. A word
 * that itself holds spaces (a quoted command, `sh -c "..."`) also contributes its own
 * words, so quoting cannot hide a command from a rule. */
static uint32_t tokenize(struct wt_vm *vm, const char *s, uint32_t len, struct slice *out, uint32_t max, int depth)
{
	uint32_t n = 0, i = 0;
	while (i < len && n < max) {
		while (i < len && isspace((unsigned char)s[i]))
			i++;
		if (i == len)
			break;
		char *w = scratch(vm, len - i + 1);
		if (!w)
			return n;
		uint32_t wl = 0;
		bool spaced = false;
		while (i < len && !isspace((unsigned char)s[i])) {
			char c = s[i];
			if (c == '\\' && i + 1 < len) {
				w[wl++] = s[i + 1];
				i += 2;
			} else if (c == '\'' || c == '"') {
				i++;
				while (i < len && s[i] != c) {
					if (c == '"' && s[i] == '\\' && i + 1 < len)
						i++;
					spaced |= isspace((unsigned char)s[i]) != 0;
					w[wl++] = s[i++];
				}
				i++; /* closing quote (or end) */
			} else {
				w[wl++] = c;
				i++;
			}
		}
		out[n++] = (struct slice){w, wl};
		if (spaced && depth < 3)
			n += tokenize(vm, w, wl, out + n, max - n, depth + 1);
	}
	return n;
}

/* Element access ---------------------------------------------------------------------- */

static void elem(const struct wt_event *ev, const struct vval *v, uint32_t i, struct vval *out)
{
	out->n = 0;
	out->items = NULL;
	if (v->items) {
		out->t = WT_T_STR;
		out->present = true;
		out->s = v->items[i].s;
		out->len = v->items[i].len;
		return;
	}
	struct wt_value wv = {.field = v->field, .n = v->n, .type = v->t};
	struct wt_value e;
	wt_event_list_elem(ev, &wv, i, &e);
	out->t = e.type;
	out->present = e.present;
	out->s = e.s;
	out->len = e.len;
	out->i = e.i;
}

/* Apply a string transform to one value; false when the result is absent. */
static bool transform1(struct wt_vm *vm, enum wt_op op, const char *s, uint32_t len, const char **os, uint32_t *ol)
{
	switch (op) {
	case WT_OP_BASENAME:
		wt_path_basename(s, len, os, ol);
		return true;
	case WT_OP_DIRNAME:
		*os = s;
		*ol = len;
		dirname_slice(os, ol);
		return true;
	case WT_OP_NORMPATH:
		return wt_transform_normpath(vm, s, len, os, ol);
	case WT_OP_B64DECODE:
		return wt_transform_b64decode(vm, s, len, os, ol);
	case WT_OP_GENERALIZE:
	case WT_OP_PATHPREFIX: {
		char *p = scratch(vm, WT_NORM_CAP(len));
		if (!p)
			return false;
		*ol = (uint32_t)(op == WT_OP_GENERALIZE ? wt_norm_generalize(s, len, p) : wt_norm_pathprefix(s, len, p));
		*os = p;
		return true;
	}
	case WT_OP_ADDRCLASS: {
		const char *c = wt_norm_addrclass(s, len, vm->cluster, vm->n_cluster);
		if (!c)
			return false;
		*os = c;
		*ol = (uint32_t)strlen(c);
		return true;
	}
	case WT_OP_LOWER: {
		char *p = scratch(vm, len + 1);
		if (!p)
			return false;
		for (uint32_t i = 0; i < len; i++)
			p[i] = (char)tolower((unsigned char)s[i]);
		*os = p;
		*ol = len;
		return true;
	}
	default:
		return false;
	}
}

#define MAX_TOKENS 256

static void transform(struct wt_vm *vm, const struct wt_event *ev, enum wt_op op, struct vval *v)
{
	if (!is_list(v) && !is_str(v->t))
		return;
	if (op == WT_OP_TOKENS) {
		struct slice *items = scratch(vm, sizeof(struct slice) * MAX_TOKENS);
		uint32_t n = 0;
		if (items && is_list(v)) {
			for (uint32_t i = 0; i < v->n && n < MAX_TOKENS; i++) {
				struct vval e;
				elem(ev, v, i, &e);
				if (e.present && is_str(e.t))
					n += tokenize(vm, e.s, e.len, items + n, MAX_TOKENS - n, 0);
			}
		} else if (items && v->present) {
			n = tokenize(vm, v->s, v->len, items, MAX_TOKENS, 0);
		}
		v->t = WT_T_STRLIST;
		v->items = items;
		v->n = items ? n : 0;
		v->present = v->n > 0;
		return;
	}
	if (!is_list(v)) {
		if (v->present && !transform1(vm, op, v->s, v->len, &v->s, &v->len))
			v->present = false;
		if (op != WT_OP_BASENAME && op != WT_OP_DIRNAME)
			v->t = WT_T_STR;
		return;
	}
	if (v->t != WT_T_STRLIST)
		return;
	struct slice *items = scratch(vm, sizeof(struct slice) * (v->n ? v->n : 1));
	uint32_t n = 0;
	for (uint32_t i = 0; items && i < v->n; i++) {
		struct vval e;
		elem(ev, v, i, &e);
		if (e.present && transform1(vm, op, e.s, e.len, &items[n].s, &items[n].len))
			n++;
	}
	v->items = items;
	v->n = items ? n : 0;
	v->present = v->n > 0;
}

/* portclass(): an integer (or each integer of a list) becomes its class name. */
static void portclass(struct wt_vm *vm, const struct wt_event *ev, struct vval *v)
{
	if (v->t == WT_T_INT) {
		char *buf = scratch(vm, 24);
		const char *c = v->present && buf ? wt_norm_portclass(v->i, buf) : NULL;
		v->t = WT_T_STR;
		v->present = c != NULL;
		v->s = c;
		v->len = c ? (uint32_t)strlen(c) : 0;
		return;
	}
	if (v->t != WT_T_INTLIST)
		return;
	struct slice *items = scratch(vm, sizeof(struct slice) * (v->n ? v->n : 1));
	uint32_t n = 0;
	for (uint32_t i = 0; items && i < v->n; i++) {
		struct vval e;
		elem(ev, v, i, &e);
		char *buf = scratch(vm, 24);
		const char *c = e.present && buf ? wt_norm_portclass(e.i, buf) : NULL;
		if (c)
			items[n++] = (struct slice){c, (uint32_t)strlen(c)};
	}
	v->t = WT_T_STRLIST;
	v->items = items;
	v->n = items ? n : 0;
	v->present = v->n > 0;
}

/* Comparisons ------------------------------------------------------------------------ */

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
		case WT_OP_GLOB: return wt_glob_match(y->s, y->len, x->s, x->len, nocase);
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

static bool member(const struct wt_rt_set *set, const struct vval *x)
{
	if (!x->present)
		return false;
	if (set->type == WT_SET_CIDR) {
		if (!is_str(x->t))
			return false;
		for (uint32_t k = 0; k < set->n; k++)
			if (wt_cidr_contains(&set->cidrs[k], x->s, x->len))
				return true;
		return false;
	}
	if (is_str(x->t))
		return set->type == WT_SET_STR && wt_rt_set_has_str(set, x->s, x->len);
	return set->type == WT_SET_INT && wt_rt_set_has_int(set, x->i);
}

static bool in_set(const struct wt_event *ev, const struct wt_rt_set *set, const struct vval *x)
{
	if (!is_list(x))
		return member(set, x);
	for (uint32_t i = 0; i < x->n; i++) {
		struct vval e;
		elem(ev, x, i, &e);
		if (member(set, &e))
			return true;
	}
	return false;
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

static void load(const struct wt_ruleset *rs, const struct wt_event *ev, const struct wt_insn *in, struct vval *v)
{
	struct wt_value w;
	if (in->a == WT_SEL_NONE)
		wt_event_get(ev, (enum wt_field_id)in->b, &w);
	else if (in->a == WT_SEL_INDEX)
		wt_event_get_sel(ev, (enum wt_field_id)in->b, WT_SEL_INDEX, in->c, NULL, 0, &w);
	else
		wt_event_get_sel(ev, (enum wt_field_id)in->b, WT_SEL_LABEL, 0, rs->bc.strings[in->c],
				 rs->bc.string_len[in->c], &w);
	v->t = w.type;
	v->present = w.present;
	v->field = in->b;
	v->s = w.s;
	v->len = w.len;
	v->i = w.i;
	v->n = w.n;
	v->items = NULL;
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
	v->items = NULL;
}

bool wt_vm_run(struct wt_vm *vm, const struct wt_ruleset *rs, const struct wt_rt_rule *r,
	       const struct wt_event *ev)
{
	return wt_vm_run_code(vm, rs, r->bc->code, ev, NULL);
}

static void run(struct wt_vm *vm, const struct wt_ruleset *rs, uint32_t code_start, const struct wt_event *ev,
		const struct wt_capture_val *captures, struct vval *result);

bool wt_vm_run_code(struct wt_vm *vm, const struct wt_ruleset *rs, uint32_t code_start,
		    const struct wt_event *ev, const struct wt_capture_val *captures)
{
	struct vval r;
	run(vm, rs, code_start, ev, captures, &r);
	return truthy(&r);
}

static void append(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
	if (n > cap - *len)
		n = cap - *len;
	memcpy(buf + *len, s, n);
	*len += n;
}

static void append_scalar(char *buf, size_t cap, size_t *len, const struct vval *v)
{
	char num[32];
	if (!v->present) {
		append(buf, cap, len, "<absent>", 8);
	} else if (is_str(v->t)) {
		append(buf, cap, len, v->s, v->len);
	} else if (v->t == WT_T_BOOL) {
		append(buf, cap, len, v->i ? "true" : "false", v->i ? 4 : 5);
	} else {
		int n = snprintf(num, sizeof num, "%lld", (long long)v->i);
		append(buf, cap, len, num, (size_t)n);
	}
}

bool wt_vm_key(struct wt_vm *vm, const struct wt_ruleset *rs, uint32_t code_start, const struct wt_event *ev,
	       char *buf, size_t cap, size_t *len)
{
	struct vval r;
	run(vm, rs, code_start, ev, NULL, &r);
	if (!is_list(&r)) {
		append_scalar(buf, cap, len, &r);
		return r.present;
	}
	if (!r.present || r.n == 0) {
		append(buf, cap, len, "<absent>", 8);
		return false;
	}
	for (uint32_t i = 0; i < r.n; i++) {
		struct vval e;
		elem(ev, &r, i, &e);
		if (i)
			append(buf, cap, len, " ", 1);
		append_scalar(buf, cap, len, &e);
	}
	return true;
}

static void run(struct wt_vm *vm, const struct wt_ruleset *rs, uint32_t code_start, const struct wt_event *ev,
		const struct wt_capture_val *captures, struct vval *result)
{
	const struct wt_bc *bc = &rs->bc;
	const struct wt_insn *code = bc->code;
	struct vval stack[WT_MAX_STACK];
	int sp = 0; /* number of values */
	uint32_t pc = code_start;
	vm->evals++;
	vm->used = 0;
	for (;;) {
		const struct wt_insn *in = &code[pc++];
		switch ((enum wt_op)in->op) {
		case WT_OP_RET:
			*result = stack[sp - 1];
			return;
		case WT_OP_LOAD:
			load(rs, ev, in, &stack[sp++]);
			break;
		case WT_OP_EXISTS: {
			struct vval v;
			load(rs, ev, in, &v);
			set_bool(&stack[sp++], v.present);
			break;
		}
		case WT_OP_PUSH_STR: {
			struct vval *v = &stack[sp++];
			v->t = WT_T_STR;
			v->present = true;
			v->s = bc->strings[in->c];
			v->len = bc->string_len[in->c];
			v->n = 0;
			v->items = NULL;
			break;
		}
		case WT_OP_PUSH_INT: {
			struct vval *v = &stack[sp++];
			v->t = WT_T_INT;
			v->present = true;
			v->i = bc->ints[in->c];
			v->n = 0;
			v->items = NULL;
			break;
		}
		case WT_OP_PUSH_BOOL:
			set_bool(&stack[sp++], in->a);
			break;
		case WT_OP_LOAD_CAPTURE: {
			const struct wt_capture_val *c = &captures[in->c];
			struct vval *v = &stack[sp++];
			v->t = c->type;
			v->present = c->present;
			v->field = 0;
			v->s = c->s;
			v->len = c->len;
			v->i = c->i;
			v->n = 0;
			v->items = NULL;
			break;
		}
		case WT_OP_EQ:
		case WT_OP_LT:
		case WT_OP_LE:
		case WT_OP_GT:
		case WT_OP_GE:
		case WT_OP_STARTSWITH:
		case WT_OP_ENDSWITH:
		case WT_OP_CONTAINS:
		case WT_OP_GLOB: {
			bool m = binary_op(ev, (enum wt_op)in->op, in->a & WT_OPF_NOCASE, &stack[sp - 2], &stack[sp - 1]);
			sp--;
			set_bool(&stack[sp - 1], m);
			break;
		}
		case WT_OP_IN_SET:
		case WT_OP_IN_CIDR:
			set_bool(&stack[sp - 1], in_set(ev, &rs->sets[in->c], &stack[sp - 1]));
			break;
		case WT_OP_REGEX:
			set_bool(&stack[sp - 1], regex_match(vm, ev, rs->regexes[in->c], &stack[sp - 1]));
			break;
		case WT_OP_BASENAME:
		case WT_OP_DIRNAME:
		case WT_OP_NORMPATH:
		case WT_OP_LOWER:
		case WT_OP_B64DECODE:
		case WT_OP_TOKENS:
		case WT_OP_GENERALIZE:
		case WT_OP_PATHPREFIX:
		case WT_OP_ADDRCLASS:
			transform(vm, ev, (enum wt_op)in->op, &stack[sp - 1]);
			break;
		case WT_OP_PORTCLASS:
			portclass(vm, ev, &stack[sp - 1]);
			break;
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
			set_bool(result, false);
			return;
		}
	}
}
