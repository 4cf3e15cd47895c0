/* `wtc lint --policies DIR`: reads Tetragon TracingPolicies (libfyaml) into the hooks they
 * make Tetragon report, and checks each rule, path step and rarity spec on hook events with
 * a three-valued evaluation of its condition against every hook (W0009 when none fits). */
#include "policy.h"
#include <dirent.h>
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Hooks kept from all policies; past it the rest are counted and reported. */
#define WT_MAX_POLICY_HOOKS 4096

void wt_policies_init(struct wt_policies *p)
{
	memset(p, 0, sizeof *p);
}

void wt_policies_free(struct wt_policies *p)
{
	for (unsigned i = 0; i < p->n; i++) {
		free(p->hooks[i].name);
		free(p->hooks[i].policy);
		free(p->hooks[i].file);
		for (unsigned a = 0; a < p->hooks[i].n_args; a++)
			free(p->hooks[i].labels[a]);
	}
	free(p->hooks);
	memset(p, 0, sizeof *p);
}

/* ---- reading policies ------------------------------------------------------------------ */

static const struct {
	const char *type;
	enum wt_parg arg;
} arg_types[] = {
	{"string", WT_PARG_STRING},
	{"int", WT_PARG_INT}, {"uint32", WT_PARG_INT}, {"int32", WT_PARG_INT}, {"uint64", WT_PARG_INT},
	{"int64", WT_PARG_INT}, {"u64", WT_PARG_INT}, {"s64", WT_PARG_INT}, {"u32", WT_PARG_INT},
	{"s32", WT_PARG_INT}, {"uint16", WT_PARG_INT}, {"int16", WT_PARG_INT}, {"uint8", WT_PARG_INT},
	{"int8", WT_PARG_INT}, {"size_t", WT_PARG_INT}, {"long", WT_PARG_INT},
	{"file", WT_PARG_FILE}, {"path", WT_PARG_FILE}, {"fd", WT_PARG_FILE}, {"linux_binprm", WT_PARG_FILE},
	{"sock", WT_PARG_SOCK}, {"skb", WT_PARG_SOCK}, {"sockaddr", WT_PARG_SOCK},
	{"module", WT_PARG_MODULE}, {"load_info", WT_PARG_MODULE},
	{"cred", WT_PARG_CRED},
	{"capability", WT_PARG_CAP},
};

static enum wt_parg parg_of(const char *type)
{
	for (size_t i = 0; i < WT_ARRAY_LEN(arg_types); i++)
		if (!strcmp(arg_types[i].type, type))
			return arg_types[i].arg;
	return WT_PARG_OTHER; /* char_buf, bpf_attr, user_namespace, ...: carried, not read by fields */
}

struct reader {
	struct wt_policies *p;
	const char *file;
	unsigned dropped;
	bool bad;
};

/* 1-based line of a node: its scalar, else its first key or item (0 when empty). */
static int line_of(struct fy_node *n)
{
	for (int depth = 0; n && depth < 16; depth++) {
		if (fy_node_is_scalar(n)) {
			struct fy_token *t = fy_node_get_scalar_token(n);
			const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
			return m ? m->line + 1 : 0;
		}
		void *it = NULL;
		if (fy_node_is_mapping(n)) {
			struct fy_node_pair *pair = fy_node_mapping_iterate(n, &it);
			n = pair ? fy_node_pair_key(pair) : NULL;
		} else {
			n = fy_node_is_sequence(n) ? fy_node_sequence_iterate(n, &it) : NULL;
		}
	}
	return 0;
}

/* The key node of `key` in map, for reporting on an empty or missing value. */
static struct fy_node *key_node(struct fy_node *map, const char *key)
{
	return map && fy_node_is_mapping(map) ? fy_node_mapping_lookup_key_by_string(map, key, -1) : NULL;
}

/* The scalar value under key, NUL-terminated in buf; NULL when absent or not a scalar. */
static const char *scalar_at(struct fy_node *map, const char *key, char *buf, size_t cap, struct fy_node **keyline)
{
	struct fy_node *v = map && fy_node_is_mapping(map) ? fy_node_mapping_lookup_by_string(map, key, -1) : NULL;
	if (keyline)
		*keyline = v;
	size_t len;
	const char *s = v && fy_node_is_scalar(v) ? fy_node_get_scalar(v, &len) : NULL;
	if (!s)
		return NULL;
	if (len >= cap)
		len = cap - 1;
	memcpy(buf, s, len);
	buf[len] = 0;
	return buf;
}

static void problem(struct reader *r, struct fy_node *at, const char *msg, const char *detail)
{
	fprintf(stderr, "%s:%d: %s%s%s\n", r->file, line_of(at), msg, detail ? ": " : "", detail ? detail : "");
	r->bad = true;
}

static struct wt_phook *add_hook(struct reader *r, const char *name, enum wt_kind kind, const char *policy, int line)
{
	struct wt_policies *p = r->p;
	if (p->n >= WT_MAX_POLICY_HOOKS) {
		r->dropped++;
		return NULL;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->hooks = wt_xrealloc(p->hooks, p->cap * sizeof *p->hooks);
	}
	struct wt_phook *h = &p->hooks[p->n++];
	memset(h, 0, sizeof *h);
	h->name = wt_xstrdup(name);
	h->kind = kind;
	h->policy = wt_xstrdup(policy);
	h->file = wt_xstrdup(r->file);
	h->line = line;
	return h;
}

static void read_args(struct reader *r, struct fy_node *hook, struct wt_phook *h)
{
	struct fy_node *args = fy_node_mapping_lookup_by_string(hook, "args", -1);
	if (args && !fy_node_is_sequence(args)) {
		problem(r, args, "args is not a list", NULL);
		return;
	}
	void *it = NULL;
	struct fy_node *a;
	char type[64], label[128], index[32];
	while (args && (a = fy_node_sequence_iterate(args, &it)) != NULL) {
		struct fy_node *at;
		if (!scalar_at(a, "type", type, sizeof type, &at)) {
			problem(r, a, "argument without a type", NULL);
			continue;
		}
		if (!scalar_at(a, "index", index, sizeof index, NULL))
			problem(r, at, "argument without an index", NULL);
		if (h->n_args >= WT_MAX_ARGS) {
			problem(r, at, "more arguments than an event carries", NULL);
			break;
		}
		h->labels[h->n_args] = scalar_at(a, "label", label, sizeof label, NULL) ? wt_xstrdup(label) : NULL;
		h->args[h->n_args++] = parg_of(type);
	}
	struct fy_node *ret = fy_node_mapping_lookup_by_string(hook, "returnArg", -1);
	char b[8];
	h->has_return = ret != NULL || (scalar_at(hook, "return", b, sizeof b, NULL) && !strcmp(b, "true"));
}

/* Hooks of one section (kprobes, tracepoints, lsmhooks, uprobes) of a policy's spec. */
static void read_section(struct reader *r, struct fy_node *spec, const char *section, enum wt_kind kind,
			 const char *policy)
{
	struct fy_node *list = fy_node_mapping_lookup_by_string(spec, section, -1);
	if (!list)
		return;
	if (!fy_node_is_sequence(list)) {
		problem(r, list, "not a list", section);
		return;
	}
	void *it = NULL;
	struct fy_node *hook;
	char name[256], sub[128], ev[128], sys[8];
	while ((hook = fy_node_sequence_iterate(list, &it)) != NULL) {
		struct fy_node *at = NULL;
		const char *n = NULL;
		if (kind == WT_KIND_KPROBE) {
			n = scalar_at(hook, "call", name, sizeof name, &at);
		} else if (kind == WT_KIND_LSM) {
			n = scalar_at(hook, "hook", name, sizeof name, &at);
		} else if (kind == WT_KIND_UPROBE) {
			n = scalar_at(hook, "symbols", name, sizeof name, &at);
			struct fy_node *syms = fy_node_mapping_lookup_by_string(hook, "symbols", -1);
			if (syms && fy_node_is_sequence(syms)) { /* one hook per symbol */
				void *si = NULL;
				struct fy_node *s;
				while ((s = fy_node_sequence_iterate(syms, &si)) != NULL) {
					const char *sv = fy_node_is_scalar(s) ? fy_node_get_scalar0(s) : NULL;
					struct wt_phook *h = sv ? add_hook(r, sv, kind, policy, line_of(s)) : NULL;
					if (h)
						read_args(r, hook, h);
				}
				continue;
			}
		} else if (scalar_at(hook, "subsystem", sub, sizeof sub, &at) && scalar_at(hook, "event", ev, sizeof ev, NULL)) {
			snprintf(name, sizeof name, "%s/%s", sub, ev);
			n = name;
		}
		if (!n) {
			problem(r, at ? at : hook, "hook without a name", section);
			continue;
		}
		/* syscall hooks: Tetragon attaches to the architecture's entry point and reports
		 * its name (__x64_sys_openat, __arm64_sys_openat) */
		bool syscall = kind == WT_KIND_KPROBE && scalar_at(hook, "syscall", sys, sizeof sys, NULL) &&
			       !strcmp(sys, "true");
		const char *base = n;
		if (syscall && !strncmp(n, "__x64_", 6))
			base = n + 6;
		else if (syscall && !strncmp(n, "__arm64_", 8))
			base = n + 8;
		if (syscall && !strncmp(base, "sys_", 4)) {
			static const char *const arch[] = {"__x64_", "__arm64_"};
			for (size_t i = 0; i < WT_ARRAY_LEN(arch); i++) {
				char full[300];
				snprintf(full, sizeof full, "%s%s", arch[i], base);
				struct wt_phook *h = add_hook(r, full, kind, policy, line_of(at));
				if (h)
					read_args(r, hook, h);
			}
		} else {
			struct wt_phook *h = add_hook(r, n, kind, policy, line_of(at));
			if (h)
				read_args(r, hook, h);
		}
	}
}

static void read_document(struct reader *r, struct fy_document *fyd)
{
	struct fy_node *root = fy_document_root(fyd);
	char kind[64], api[64], name[256];
	if (!root || !scalar_at(root, "kind", kind, sizeof kind, NULL) ||
	    (strcmp(kind, "TracingPolicy") && strcmp(kind, "TracingPolicyNamespaced")))
		return; /* other manifests are not ours to read */
	struct fy_node *at;
	if (!scalar_at(root, "apiVersion", api, sizeof api, &at) || strncmp(api, "cilium.io/", 10))
		problem(r, at ? at : root, "a TracingPolicy needs apiVersion cilium.io/v1alpha1", NULL);
	struct fy_node *meta = fy_node_mapping_lookup_by_string(root, "metadata", -1);
	if (!scalar_at(meta, "name", name, sizeof name, NULL)) {
		problem(r, key_node(root, "metadata") ? key_node(root, "metadata") : root, "a TracingPolicy needs metadata.name",
			NULL);
		snprintf(name, sizeof name, "(unnamed)");
	}
	struct fy_node *spec = fy_node_mapping_lookup_by_string(root, "spec", -1);
	if (!spec || !fy_node_is_mapping(spec)) {
		problem(r, key_node(root, "spec") ? key_node(root, "spec") : root, "a TracingPolicy needs a spec", name);
		return;
	}
	r->p->n_policies++;
	read_section(r, spec, "kprobes", WT_KIND_KPROBE, name);
	read_section(r, spec, "tracepoints", WT_KIND_TRACEPOINT, name);
	read_section(r, spec, "lsmhooks", WT_KIND_LSM, name);
	read_section(r, spec, "uprobes", WT_KIND_UPROBE, name);
}

static enum wt_err load_file(struct wt_policies *p, const char *file)
{
	struct reader r = {.p = p, .file = file};
	struct fy_parse_cfg cfg = {.flags = FYPCF_DEFAULT_PARSE};
	struct fy_parser *fyp = fy_parser_create(&cfg);
	if (!fyp || fy_parser_set_input_file(fyp, file) != 0) {
		fprintf(stderr, "wtc: cannot read policy file %s\n", file);
		if (fyp)
			fy_parser_destroy(fyp);
		return WT_E_IO;
	}
	struct fy_document *fyd;
	while ((fyd = fy_parse_load_document(fyp)) != NULL) {
		read_document(&r, fyd);
		fy_parse_document_destroy(fyp, fyd);
	}
	if (fy_parser_get_stream_error(fyp)) {
		fprintf(stderr, "%s: not valid YAML (see the message above)\n", file);
		r.bad = true;
	}
	fy_parser_destroy(fyp);
	if (r.dropped)
		fprintf(stderr, "%s: %u hooks past the limit of %d were not read\n", file, r.dropped, WT_MAX_POLICY_HOOKS);
	return r.bad ? WT_E_PARSE : WT_OK;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool yaml_name(const char *n)
{
	size_t l = strlen(n);
	return (l > 5 && !strcmp(n + l - 5, ".yaml")) || (l > 4 && !strcmp(n + l - 4, ".yml"));
}

enum wt_err wt_policies_load(struct wt_policies *p, const char *path)
{
	p->dir = path;
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "wtc: --policies %s: no such file or directory\n", path);
		return WT_E_IO;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(p, path);
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "wtc: cannot read directory %s\n", path);
		return WT_E_IO;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !yaml_name(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = wt_xrealloc(names, cap * sizeof *names);
		}
		size_t l = strlen(path) + strlen(e->d_name) + 2;
		names[n] = wt_xmalloc(l);
		snprintf(names[n++], l, "%s/%s", path, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	enum wt_err rc = WT_OK;
	for (size_t i = 0; i < n; i++) {
		enum wt_err e2 = load_file(p, names[i]);
		if (e2 != WT_OK)
			rc = e2;
		free(names[i]);
	}
	free(names);
	if (rc == WT_OK && p->n_policies == 0) {
		fprintf(stderr, "wtc: --policies %s: no TracingPolicy found\n", path);
		rc = WT_E_PARSE;
	}
	return rc;
}

/* ---- the check ---------------------------------------------------------------------------- */

struct eval {
	struct wt_compiler *c;
	const struct wt_phook *h;
	enum wt_kind kind;
	unsigned depth; /* macro nesting, bounded by the checker's cycle detection */
};

static bool has_arg(const struct wt_phook *h, enum wt_parg a)
{
	for (unsigned i = 0; i < h->n_args; i++)
		if (h->args[i] == a)
			return true;
	return false;
}

/* The argument a selector names: by position or by policy label; -1 when there is none. */
static int selected_arg(const struct wt_phook *h, const struct wt_ast *ref)
{
	if (ref->u.ref.sel == WT_SEL_INDEX)
		return ref->u.ref.sel_index >= 0 && ref->u.ref.sel_index < (int64_t)h->n_args ? (int)ref->u.ref.sel_index : -1;
	for (unsigned i = 0; i < h->n_args; i++)
		if (h->labels[i] && strlen(h->labels[i]) == ref->u.ref.sel_key_len &&
		    !memcmp(h->labels[i], ref->u.ref.sel_key, ref->u.ref.sel_key_len))
			return (int)i;
	return -1;
}

/* Whether events of hook h can carry field f at all. */
static bool field_present(const struct eval *x, int f, const struct wt_ast *ref)
{
	const struct wt_phook *h = x->h;
	if (!(wt_fields[f].kinds & (1u << x->kind)))
		return false;
	switch (f) {
	case WT_F_HOOK_RETURN: return h->has_return;
	case WT_F_FILE_PATH:
	case WT_F_FILE_PERMISSION: return has_arg(h, WT_PARG_FILE);
	case WT_F_ARGS_STRING: return has_arg(h, WT_PARG_STRING);
	case WT_F_ARGS_INT: return has_arg(h, WT_PARG_INT);
	case WT_F_SOCK_FAMILY:
	case WT_F_SOCK_PROTOCOL:
	case WT_F_SOCK_SADDR:
	case WT_F_SOCK_DADDR:
	case WT_F_SOCK_SPORT:
	case WT_F_SOCK_DPORT: return has_arg(h, WT_PARG_SOCK);
	case WT_F_MODULE_NAME:
	case WT_F_MODULE_TAINTED: return has_arg(h, WT_PARG_MODULE);
	case WT_F_CREDS_UID:
	case WT_F_CREDS_EUID: return has_arg(h, WT_PARG_CRED);
	case WT_F_CAPABILITY: return has_arg(h, WT_PARG_CAP);
	default: break;
	}
	if (wt_fields[f].sel != WT_FSEL_ARG)
		return true; /* process, pod, workspace, hook name ...: on every event of the kind */
	int i = selected_arg(h, ref);
	if (i < 0)
		return false;
	switch (f) {
	case WT_F_ARG_TYPE: return true;
	case WT_F_ARG_STRING: return h->args[i] == WT_PARG_STRING;
	case WT_F_ARG_INT: return h->args[i] == WT_PARG_INT;
	case WT_F_ARG_PATH:
	case WT_F_ARG_PERMISSION: return h->args[i] == WT_PARG_FILE;
	case WT_F_ARG_MODULE: return h->args[i] == WT_PARG_MODULE;
	case WT_F_ARG_UID:
	case WT_F_ARG_EUID: return h->args[i] == WT_PARG_CRED;
	case WT_F_ARG_CAPABILITY: return h->args[i] == WT_PARG_CAP;
	default: return h->args[i] == WT_PARG_SOCK; /* family, addresses, ports */
	}
}

/* An operand that is certainly absent on the hook's events (a field they never carry, or
 * a transform of one). */
static bool absent(const struct eval *x, const struct wt_ast *a)
{
	if (a->kind == WT_AST_CALL)
		return absent(x, a->u.call.arg);
	if (a->kind != WT_AST_NAME)
		return false;
	int f = wt_compiler_field_of(a);
	return f >= 0 && !field_present(x, f, a);
}

/* Does string s match the literal list or list name r (1/0), or -1 when r is not literal. */
static int str_in(struct wt_compiler *c, const char *s, size_t n, const struct wt_ast *r, unsigned depth)
{
	if (depth > 64)
		return -1;
	if (r->kind == WT_AST_STR)
		return r->u.str.len == n && !memcmp(r->u.str.s, s, n);
	struct wt_ast *const *items = NULL;
	unsigned count = 0;
	if (r->kind == WT_AST_LIST) {
		items = r->u.list.items;
		count = r->u.list.n;
	} else if (r->kind == WT_AST_NAME && wt_compiler_field_of(r) < 0) {
		struct wt_sym *sym = wt_compiler_find_def(c, r->u.ref.name);
		if (!sym || sym->kind != WT_SYM_LIST)
			return -1;
		items = sym->items;
		count = sym->n_items;
	} else {
		return -1;
	}
	int unknown = 0;
	for (unsigned i = 0; i < count; i++) {
		int v = str_in(c, s, n, items[i], depth + 1);
		if (v == 1)
			return 1;
		if (v < 0)
			unknown = 1;
	}
	return unknown ? -1 : 0;
}

/* A comparison of a string we know exactly (the hook's name, the event kind). */
static int known_cmp(const struct eval *x, const struct wt_ast *a, const char *s)
{
	size_t n = strlen(s);
	const struct wt_ast *r = a->u.cmp.r;
	if (a->u.cmp.nocase)
		return -1;
	switch (a->u.cmp.op) {
	case WT_CMP_EQ:
	case WT_CMP_IN: return r->kind == WT_AST_INT ? 0 : str_in(x->c, s, n, r, 0);
	case WT_CMP_NE:
	case WT_CMP_NOT_IN: return wt_tri_not(r->kind == WT_AST_INT ? 0 : str_in(x->c, s, n, r, 0));
	case WT_CMP_STARTSWITH:
		return r->kind == WT_AST_STR ? r->u.str.len <= n && !memcmp(s, r->u.str.s, r->u.str.len) : -1;
	case WT_CMP_ENDSWITH:
		return r->kind == WT_AST_STR ? r->u.str.len <= n && !memcmp(s + n - r->u.str.len, r->u.str.s, r->u.str.len)
					     : -1;
	default: return -1;
	}
}

/* 1: true on every event of the hook, 0: false on every one, -1: depends on the event. */
static int eval(struct eval *x, const struct wt_ast *a)
{
	switch (a->kind) {
	case WT_AST_BOOL: return (int)a->u.i;
	case WT_AST_NOT: return wt_tri_not(eval(x, a->u.operand));
	case WT_AST_AND: return wt_tri_and(eval(x, a->u.bin.l), eval(x, a->u.bin.r));
	case WT_AST_OR: return wt_tri_or(eval(x, a->u.bin.l), eval(x, a->u.bin.r));
	case WT_AST_EXISTS: return absent(x, a->u.operand) ? 0 : -1;
	case WT_AST_NAME: {
		int f = wt_compiler_field_of(a);
		if (f >= 0)
			return field_present(x, f, a) ? -1 : 0; /* a boolean field: absent is false */
		struct wt_sym *s = wt_compiler_find_def(x->c, a->u.ref.name);
		if (!s || s->kind != WT_SYM_MACRO || s->bad || x->depth > 64)
			return -1;
		x->depth++;
		int v = eval(x, s->value);
		x->depth--;
		return v;
	}
	case WT_AST_CMP: {
		const struct wt_ast *l = a->u.cmp.l;
		int f = l->kind == WT_AST_NAME ? wt_compiler_field_of(l) : -1;
		if (f == WT_F_HOOK_FUNCTION)
			return known_cmp(x, a, x->h->name);
		if (f == WT_F_EVENT_KIND)
			return known_cmp(x, a, wt_kind_names[x->kind]);
		if (absent(x, l) || absent(x, a->u.cmp.r))
			/* a test of an absent value fails; its negations hold */
			return a->u.cmp.op == WT_CMP_NE || a->u.cmp.op == WT_CMP_NOT_IN;
		return -1;
	}
	default: return -1;
	}
}

/* Hook names the condition compares kprobe.function with, for the note. */
static void named_hooks(struct wt_compiler *c, const struct wt_ast *a, char *buf, size_t cap, unsigned *n,
			unsigned depth)
{
	if (!a || depth > 64)
		return;
	switch (a->kind) {
	case WT_AST_NOT:
	case WT_AST_EXISTS: return; /* negated names are not what the rule needs */
	case WT_AST_AND:
	case WT_AST_OR:
		named_hooks(c, a->u.bin.l, buf, cap, n, depth + 1);
		named_hooks(c, a->u.bin.r, buf, cap, n, depth + 1);
		return;
	case WT_AST_NAME: {
		struct wt_sym *s = wt_compiler_field_of(a) < 0 ? wt_compiler_find_def(c, a->u.ref.name) : NULL;
		if (s && s->kind == WT_SYM_MACRO && !s->bad)
			named_hooks(c, s->value, buf, cap, n, depth + 1);
		return;
	}
	case WT_AST_CMP: {
		const struct wt_ast *l = a->u.cmp.l, *r = a->u.cmp.r;
		if (l->kind != WT_AST_NAME || wt_compiler_field_of(l) != WT_F_HOOK_FUNCTION ||
		    (a->u.cmp.op != WT_CMP_EQ && a->u.cmp.op != WT_CMP_IN))
			return;
		struct wt_ast *const *items = &a->u.cmp.r;
		unsigned count = 1;
		if (r->kind == WT_AST_LIST) {
			items = r->u.list.items;
			count = r->u.list.n;
		} else if (r->kind == WT_AST_NAME) {
			struct wt_sym *s = wt_compiler_find_def(c, r->u.ref.name);
			if (s && s->kind == WT_SYM_LIST) {
				items = s->items;
				count = s->n_items;
			}
		}
		for (unsigned i = 0; i < count; i++) {
			if (items[i]->kind != WT_AST_STR)
				continue;
			(*n)++;
			size_t used = strlen(buf);
			if (*n <= 6 && used + items[i]->u.str.len + 3 < cap)
				snprintf(buf + used, cap - used, "%s%.*s", used ? ", " : "", (int)items[i]->u.str.len,
					 items[i]->u.str.s);
		}
		return;
	}
	default: return;
	}
}

/* One condition on its kinds: a warning per hook kind that no hook can satisfy. */
static void check_one(struct wt_compiler *c, const struct wt_policies *p, const char *what, const char *name,
		      struct wt_loc loc, uint32_t kinds, const struct wt_ast *when)
{
	static const enum wt_kind hook_kinds[] = {WT_KIND_KPROBE, WT_KIND_TRACEPOINT, WT_KIND_LSM, WT_KIND_UPROBE};
	for (size_t k = 0; k < WT_ARRAY_LEN(hook_kinds); k++) {
		enum wt_kind kind = hook_kinds[k];
		if (!(kinds & (1u << kind)))
			continue;
		bool ok = false;
		for (unsigned i = 0; i < p->n && !ok; i++) {
			if (p->hooks[i].kind != kind)
				continue;
			struct eval x = {.c = c, .h = &p->hooks[i], .kind = kind};
			ok = !when || eval(&x, when) != 0;
		}
		if (ok)
			continue;
		struct wt_diag *g = wt_diag_add(c->diags, WT_DIAG_W0009, loc,
						"%s '%s' reads %s events that no policy in %s produces", what, name,
						wt_kind_names[kind], p->dir);
		char hooks[512] = "";
		unsigned n = 0;
		named_hooks(c, when, hooks, sizeof hooks, &n, 0);
		if (n)
			wt_diag_note(g, WT_LEVEL_NOTE, (struct wt_loc){0},
				     "it matches kprobe.function %s%s; no policy hooks one of them with the arguments it reads",
				     hooks, n > 6 ? ", ..." : "");
		wt_diag_note(g, WT_LEVEL_HELP, (struct wt_loc){0},
			     "add a TracingPolicy hook whose events satisfy the condition, or drop '%s' from its 'on' kinds",
			     wt_kind_names[kind]);
	}
}

void wt_policies_check(struct wt_compiler *c, const struct wt_policies *p)
{
	for (unsigned i = 0; i < c->n_rules; i++) {
		const struct wt_checked_rule *r = &c->rules[i];
		if (!r->enabled)
			continue;
		check_one(c, p, "rule", r->decl->name, r->decl->name_loc, r->kinds, r->when);
	}
	for (unsigned i = 0; i < c->n_paths; i++) {
		const struct wt_checked_path *pa = &c->paths[i];
		if (!pa->meta.enabled)
			continue;
		for (unsigned s = 0; s < pa->n_steps; s++) {
			const struct wt_checked_step *st = &pa->steps[s];
			char what[160];
			snprintf(what, sizeof what, "step '%s' of path", st->decl->name ? st->decl->name : "until");
			check_one(c, p, what, pa->decl->name, st->decl->loc, st->kinds, st->decl->when);
		}
	}
	for (unsigned i = 0; i < c->n_rarities; i++) {
		const struct wt_checked_rarity *r = &c->rarities[i];
		if (!r->meta.enabled)
			continue;
		check_one(c, p, "rarity spec", r->decl->name, r->decl->name_loc, r->meta.kinds, r->when);
	}
}
