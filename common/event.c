/* Event model: the scratch builder, the final immutable event block, reference counting and
 * typed field access by field id (the only place that maps fields.def ids to event storage). */
#include "event.h"
#include <stdlib.h>
#include <string.h>

static const struct wt_str none = {WT_STR_NONE, 0};

void wt_event_builder_init(struct wt_event_builder *b)
{
	memset(b, 0, sizeof *b);
	b->cap = 4096;
	b->buf = wt_xmalloc(b->cap);
	wt_event_builder_reset(b);
}

void wt_event_builder_free(struct wt_event_builder *b)
{
	free(b->buf);
	b->buf = NULL;
}

static void proc_reset(struct wt_proc *p)
{
	memset(p, 0, sizeof *p);
	p->binary = p->args = p->cwd = p->exec_id = p->parent_exec_id = p->flags = none;
}

void wt_event_builder_reset(struct wt_event_builder *b)
{
	struct wt_event *ev = &b->ev;
	/* Only the counters and the string refs that accessors read need resetting; arrays
	 * beyond n_* are never read. */
	ev->refs = 0;
	ev->kind = WT_KIND_EXEC;
	ev->time = 0;
	ev->seq = 0;
	ev->node = none;
	proc_reset(&ev->proc);
	proc_reset(&ev->parent);
	struct wt_pod *pod = &ev->pod;
	pod->ns = pod->name = pod->container_name = pod->container_id = pod->image = none;
	pod->workload = pod->workload_kind = none;
	pod->n_labels = 0;
	pod->n_annotations = 0;
	pod->present = false;
	ev->n_ancestors = 0;
	ev->n_ancestor_ids = 0;
	ev->session_id = none;
	ev->ws_id = ev->ws_owner = none;
	ev->ws_is_host = false;
	ev->function = ev->policy = ev->action = none;
	ev->ret = 0;
	ev->has_ret = false;
	ev->n_args = 0;
	ev->sock.family = ev->sock.protocol = ev->sock.saddr = ev->sock.daddr = none;
	ev->sock.sport = ev->sock.dport = 0;
	ev->sock.present = false;
	ev->exit_status = 0;
	ev->exit_signal = none;
	ev->throttle_type = ev->throttle_cgroup = none;
	ev->rate_limit_dropped = 0;
	ev->gap.throttled = ev->gap.window_s = 0;
	ev->gap.rate_limited = 0;
	ev->buf = NULL;
	ev->buf_len = 0;
	b->len = 0;
}

struct wt_str wt_event_builder_add(struct wt_event_builder *b, const char *s, size_t len)
{
	if (len > UINT32_MAX / 4 || (size_t)b->len + len + 1 > UINT32_MAX / 2)
		return none;
	if (b->len + len + 1 > b->cap) {
		uint32_t cap = b->cap;
		while (b->len + len + 1 > cap)
			cap *= 2;
		b->buf = wt_xrealloc(b->buf, cap);
		b->cap = cap;
	}
	struct wt_str r = {b->len, (uint32_t)len};
	if (len)
		memcpy(b->buf + b->len, s, len);
	b->buf[b->len + len] = 0; /* strings stay NUL-terminated for regex and printing */
	b->len += (uint32_t)len + 1;
	return r;
}

/* Event blocks are recycled: events are built by the ingest thread and released by
 * pipeline threads, and glibc's malloc pays for that cross-thread free with an arena lock.
 * Released blocks of the standard size go onto a lock-free stack that only the building
 * thread pops (whole, with one exchange: no ABA), bounded by WT_EVENT_POOL_MAX blocks. */
#define WT_EVENT_BLOCK 8192
#define WT_EVENT_POOL_MAX 65536

struct pooled {
	struct pooled *next;
};

static struct pooled *pool_shared;  /* pushed by releasing threads */
static struct pooled *pool_local;   /* owned by the building thread */
static uint32_t pool_count;

static void *block_get(size_t need)
{
	if (need > WT_EVENT_BLOCK)
		return wt_xmalloc(need);
	if (!pool_local)
		pool_local = __atomic_exchange_n(&pool_shared, NULL, __ATOMIC_ACQUIRE);
	struct pooled *p = pool_local;
	if (!p)
		return wt_xmalloc(WT_EVENT_BLOCK);
	pool_local = p->next;
	__atomic_sub_fetch(&pool_count, 1, __ATOMIC_RELAXED);
	return p;
}

static void block_put(struct wt_event *ev)
{
	if (sizeof *ev + ev->buf_len > WT_EVENT_BLOCK ||
	    __atomic_load_n(&pool_count, __ATOMIC_RELAXED) >= WT_EVENT_POOL_MAX) {
		free(ev);
		return;
	}
	struct pooled *p = (struct pooled *)ev;
	__atomic_add_fetch(&pool_count, 1, __ATOMIC_RELAXED);
	p->next = __atomic_load_n(&pool_shared, __ATOMIC_RELAXED);
	while (!__atomic_compare_exchange_n(&pool_shared, &p->next, p, true, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
}

void wt_event_pool_drain(void)
{
	struct pooled *lists[2] = {pool_local, __atomic_exchange_n(&pool_shared, NULL, __ATOMIC_ACQUIRE)};
	pool_local = NULL;
	for (int i = 0; i < 2; i++)
		while (lists[i]) {
			struct pooled *n = lists[i]->next;
			free(lists[i]);
			lists[i] = n;
		}
	__atomic_store_n(&pool_count, 0, __ATOMIC_RELAXED);
}

struct wt_event *wt_event_finish(const struct wt_event_builder *b, uint32_t refs)
{
	struct wt_event *ev = block_get(sizeof *ev + b->len);
	memcpy(ev, &b->ev, sizeof *ev);
	char *buf = (char *)(ev + 1);
	memcpy(buf, b->buf, b->len);
	ev->buf = buf;
	ev->buf_len = b->len;
	ev->refs = refs;
	return ev;
}

void wt_event_free(struct wt_event *ev)
{
	block_put(ev);
}

void wt_event_release(struct wt_event *ev)
{
	if (__atomic_sub_fetch(&ev->refs, 1, __ATOMIC_ACQ_REL) == 0)
		block_put(ev);
}

void wt_path_basename(const char *s, uint32_t len, const char **out, uint32_t *out_len)
{
	uint32_t end = len;
	while (end > 1 && s[end - 1] == '/')
		end--;
	uint32_t start = end;
	while (start > 0 && s[start - 1] != '/')
		start--;
	*out = s + start;
	*out_len = end - start;
}

static void set_str(const struct wt_event *ev, struct wt_str s, struct wt_value *v)
{
	v->type = WT_T_STR;
	if (s.off == WT_STR_NONE) {
		v->present = false;
		v->s = "";
		v->len = 0;
	} else {
		v->present = true;
		v->s = ev->buf + s.off;
		v->len = s.len;
	}
}

static void set_int(int64_t i, bool present, struct wt_value *v)
{
	v->type = WT_T_INT;
	v->present = present;
	v->i = present ? i : 0;
}

static void set_bool(bool b, bool present, struct wt_value *v)
{
	v->type = WT_T_BOOL;
	v->present = present;
	v->i = b;
}

static void set_basename(const struct wt_event *ev, struct wt_str s, struct wt_value *v)
{
	set_str(ev, s, v);
	if (v->present)
		wt_path_basename(v->s, v->len, &v->s, &v->len);
}

static const struct wt_arg *first_arg(const struct wt_event *ev, enum wt_arg_type t)
{
	for (unsigned i = 0; i < ev->n_args; i++)
		if (ev->args[i].type == t)
			return &ev->args[i];
	return NULL;
}

static unsigned count_args(const struct wt_event *ev, enum wt_arg_type t)
{
	unsigned n = 0;
	for (unsigned i = 0; i < ev->n_args; i++)
		n += ev->args[i].type == t;
	return n;
}

void wt_event_get(const struct wt_event *ev, enum wt_field_id f, struct wt_value *v)
{
	const struct wt_proc *p = &ev->proc, *pp = &ev->parent;
	const struct wt_arg *a;
	v->field = (uint16_t)f;
	v->n = 0;
	switch (f) {
	case WT_F_EVENT_KIND:
		v->type = WT_T_STR;
		v->present = true;
		v->s = wt_kind_names[ev->kind];
		v->len = (uint32_t)strlen(v->s);
		return;
	case WT_F_EVENT_TIME: set_int(ev->time, true, v); return;
	case WT_F_NODE_NAME: set_str(ev, ev->node, v); return;
	case WT_F_PROC_BINARY: set_str(ev, p->binary, v); return;
	case WT_F_PROC_BASENAME: set_basename(ev, p->binary, v); return;
	case WT_F_PROC_ARGS: set_str(ev, p->args, v); return;
	case WT_F_PROC_CWD: set_str(ev, p->cwd, v); return;
	case WT_F_PROC_UID: set_int(p->uid, p->present, v); return;
	case WT_F_PROC_AUID: set_int(p->auid, p->present, v); return;
	case WT_F_PROC_PID: set_int(p->pid, p->present, v); return;
	case WT_F_PROC_EXEC_ID: set_str(ev, p->exec_id, v); return;
	case WT_F_PROC_PARENT_EXEC_ID: set_str(ev, p->parent_exec_id, v); return;
	case WT_F_PROC_FLAGS: set_str(ev, p->flags, v); return;
	case WT_F_PROC_START_TIME: set_int(p->start_time, p->present && p->start_time, v); return;
	case WT_F_PROC_IN_INIT_TREE: set_bool(p->in_init_tree, p->present, v); return;
	case WT_F_PARENT_BINARY: set_str(ev, pp->binary, v); return;
	case WT_F_PARENT_BASENAME: set_basename(ev, pp->binary, v); return;
	case WT_F_PARENT_ARGS: set_str(ev, pp->args, v); return;
	case WT_F_PARENT_CWD: set_str(ev, pp->cwd, v); return;
	case WT_F_PARENT_UID: set_int(pp->uid, pp->present, v); return;
	case WT_F_PARENT_PID: set_int(pp->pid, pp->present, v); return;
	case WT_F_PARENT_EXEC_ID: set_str(ev, pp->exec_id, v); return;
	case WT_F_ANCESTORS_BINARY:
	case WT_F_ANCESTORS_BASENAME:
		v->type = WT_T_STRLIST;
		v->n = ev->n_ancestors;
		v->present = v->n > 0;
		return;
	case WT_F_ANCESTORS_EXEC_ID:
		v->type = WT_T_STRLIST;
		v->n = ev->n_ancestor_ids;
		v->present = v->n > 0;
		return;
	case WT_F_SESSION_ID: set_str(ev, ev->session_id, v); return;
	case WT_F_POD_NAMESPACE: set_str(ev, ev->pod.ns, v); return;
	case WT_F_POD_NAME: set_str(ev, ev->pod.name, v); return;
	case WT_F_POD_WORKLOAD: set_str(ev, ev->pod.workload, v); return;
	case WT_F_POD_WORKLOAD_KIND: set_str(ev, ev->pod.workload_kind, v); return;
	case WT_F_CONTAINER_NAME: set_str(ev, ev->pod.container_name, v); return;
	case WT_F_CONTAINER_ID: set_str(ev, ev->pod.container_id, v); return;
	case WT_F_CONTAINER_IMAGE: set_str(ev, ev->pod.image, v); return;
	case WT_F_WORKSPACE_ID: set_str(ev, ev->ws_id, v); return;
	case WT_F_WORKSPACE_OWNER: set_str(ev, ev->ws_owner, v); return;
	case WT_F_WORKSPACE_IS_HOST: set_bool(ev->ws_is_host, true, v); return;
	case WT_F_HOOK_FUNCTION: set_str(ev, ev->function, v); return;
	case WT_F_HOOK_POLICY: set_str(ev, ev->policy, v); return;
	case WT_F_HOOK_ACTION: set_str(ev, ev->action, v); return;
	case WT_F_HOOK_RETURN: set_int(ev->ret, ev->has_ret, v); return;
	case WT_F_FILE_PATH:
	case WT_F_FILE_PERMISSION:
		a = first_arg(ev, WT_ARG_FILE);
		set_str(ev, a ? (f == WT_F_FILE_PATH ? a->s : a->s2) : none, v);
		return;
	case WT_F_ARGS_STRING:
		v->type = WT_T_STRLIST;
		v->n = count_args(ev, WT_ARG_STRING);
		v->present = v->n > 0;
		return;
	case WT_F_ARGS_INT:
		v->type = WT_T_INTLIST;
		v->n = count_args(ev, WT_ARG_INT);
		v->present = v->n > 0;
		return;
	case WT_F_SOCK_FAMILY: set_str(ev, ev->sock.family, v); return;
	case WT_F_SOCK_PROTOCOL: set_str(ev, ev->sock.protocol, v); return;
	case WT_F_SOCK_SADDR: set_str(ev, ev->sock.saddr, v); v->type = WT_T_ADDR; return;
	case WT_F_SOCK_DADDR: set_str(ev, ev->sock.daddr, v); v->type = WT_T_ADDR; return;
	case WT_F_SOCK_SPORT: set_int(ev->sock.sport, ev->sock.present, v); return;
	case WT_F_SOCK_DPORT: set_int(ev->sock.dport, ev->sock.present, v); return;
	case WT_F_MODULE_NAME:
		a = first_arg(ev, WT_ARG_MODULE);
		set_str(ev, a ? a->s : none, v);
		return;
	case WT_F_MODULE_TAINTED:
		a = first_arg(ev, WT_ARG_MODULE);
		v->type = WT_T_STRLIST;
		v->n = a ? a->n_tainted : 0;
		v->present = v->n > 0;
		return;
	case WT_F_CREDS_UID:
	case WT_F_CREDS_EUID:
		a = first_arg(ev, WT_ARG_CREDS);
		set_int(a ? (f == WT_F_CREDS_UID ? a->i : a->i2) : 0, a != NULL, v);
		return;
	case WT_F_CAPABILITY:
		a = first_arg(ev, WT_ARG_CAP);
		set_str(ev, a ? a->s : none, v);
		return;
	case WT_F_EXIT_STATUS: set_int(ev->exit_status, ev->kind == WT_KIND_EXIT, v); return;
	case WT_F_EXIT_SIGNAL: set_str(ev, ev->exit_signal, v); return;
	case WT_F_THROTTLE_TYPE: set_str(ev, ev->throttle_type, v); return;
	case WT_F_THROTTLE_CGROUP: set_str(ev, ev->throttle_cgroup, v); return;
	default: break; /* selector fields: wt_event_get_sel */
	}
	v->type = wt_fields[f].type;
	v->present = false;
	v->s = "";
	v->len = 0;
	v->i = 0;
}

static const char *const arg_type_names[] = {"none", "string", "int", "file", "sock", "creds",
					     "module", "capability", "bytes", "other"};

void wt_event_get_sel(const struct wt_event *ev, enum wt_field_id f, enum wt_sel sel, uint32_t index,
		      const char *key, uint32_t keylen, struct wt_value *v)
{
	v->field = (uint16_t)f;
	v->n = 0;
	v->type = wt_fields[f].type;
	v->present = false;
	v->s = "";
	v->len = 0;
	v->i = 0;
	if (f == WT_F_POD_LABEL) {
		for (unsigned i = 0; i < ev->pod.n_labels; i++)
			if (ev->pod.label_key[i].len == keylen &&
			    memcmp(wt_event_str(ev, ev->pod.label_key[i]), key, keylen) == 0) {
				set_str(ev, ev->pod.label_val[i], v);
				return;
			}
		return;
	}
	const struct wt_arg *a = NULL;
	if (sel == WT_SEL_INDEX && index < ev->n_args) {
		a = &ev->args[index];
	} else if (sel == WT_SEL_LABEL) {
		for (unsigned i = 0; i < ev->n_args && !a; i++)
			if (ev->args[i].label.len == keylen && wt_str_present(ev->args[i].label) &&
			    memcmp(wt_event_str(ev, ev->args[i].label), key, keylen) == 0)
				a = &ev->args[i];
	}
	if (!a)
		return;
	enum wt_arg_type t = a->type;
	switch (f) {
	case WT_F_ARG_TYPE:
		v->present = true;
		v->s = arg_type_names[t];
		v->len = (uint32_t)strlen(v->s);
		return;
	case WT_F_ARG_STRING: if (t == WT_ARG_STRING) set_str(ev, a->s, v); return;
	case WT_F_ARG_INT: if (t == WT_ARG_INT) set_int(a->i, true, v); return;
	case WT_F_ARG_PATH: if (t == WT_ARG_FILE) set_str(ev, a->s, v); return;
	case WT_F_ARG_PERMISSION: if (t == WT_ARG_FILE) set_str(ev, a->s2, v); return;
	case WT_F_ARG_FAMILY: if (t == WT_ARG_SOCK) set_str(ev, a->s3, v); return;
	case WT_F_ARG_SADDR: if (t == WT_ARG_SOCK) set_str(ev, a->s2, v); v->type = WT_T_ADDR; return;
	case WT_F_ARG_DADDR: if (t == WT_ARG_SOCK) set_str(ev, a->s, v); v->type = WT_T_ADDR; return;
	case WT_F_ARG_SPORT: if (t == WT_ARG_SOCK) set_int(a->i2, true, v); return;
	case WT_F_ARG_DPORT: if (t == WT_ARG_SOCK) set_int(a->i, true, v); return;
	case WT_F_ARG_MODULE: if (t == WT_ARG_MODULE) set_str(ev, a->s, v); return;
	case WT_F_ARG_UID: if (t == WT_ARG_CREDS) set_int(a->i, true, v); return;
	case WT_F_ARG_EUID: if (t == WT_ARG_CREDS) set_int(a->i2, true, v); return;
	case WT_F_ARG_CAPABILITY: if (t == WT_ARG_CAP) set_str(ev, a->s, v); return;
	default: return;
	}
}

static const struct wt_arg *nth_arg(const struct wt_event *ev, enum wt_arg_type t, uint32_t n)
{
	for (unsigned i = 0; i < ev->n_args; i++)
		if (ev->args[i].type == t && n-- == 0)
			return &ev->args[i];
	return NULL;
}

void wt_event_list_elem(const struct wt_event *ev, const struct wt_value *list, uint32_t i,
			struct wt_value *out)
{
	const struct wt_arg *a;
	out->n = 0;
	out->field = list->field;
	switch ((enum wt_field_id)list->field) {
	case WT_F_ANCESTORS_BINARY:
		set_str(ev, i < ev->n_ancestors ? ev->ancestors[i] : none, out);
		return;
	case WT_F_ANCESTORS_BASENAME:
		set_basename(ev, i < ev->n_ancestors ? ev->ancestors[i] : none, out);
		return;
	case WT_F_ANCESTORS_EXEC_ID:
		set_str(ev, i < ev->n_ancestor_ids ? ev->ancestor_ids[i] : none, out);
		return;
	case WT_F_ARGS_STRING:
		a = nth_arg(ev, WT_ARG_STRING, i);
		set_str(ev, a ? a->s : none, out);
		return;
	case WT_F_ARGS_INT:
		a = nth_arg(ev, WT_ARG_INT, i);
		set_int(a ? a->i : 0, a != NULL, out);
		return;
	case WT_F_MODULE_TAINTED:
		a = first_arg(ev, WT_ARG_MODULE);
		set_str(ev, a && i < a->n_tainted ? a->tainted[i] : none, out);
		return;
	default:
		out->type = WT_T_NONE;
		out->present = false;
		return;
	}
}
