/* Process cache: hash table on exec_id (open hashing with chains) plus an LRU list, a second
 * chain on (node, pid) for in-place execs, and interned pods. Entries copy the few strings
 * enrichment needs into one allocation each. */
#include "proccache.h"
#include <stdlib.h>
#include <string.h>

#define ARGS_KEEP 1024 /* bytes of arguments kept per cached process */
/* bytes kept of each pod string, label key and label value */
#define POD_STR_MAX 1024
#define POD_KEY_MAX 256
#define POD_VAL_MAX 1024
#define POD_SER_MAX (7 * (2 + POD_STR_MAX) + 1 + WT_MAX_LABELS * (4 + POD_KEY_MAX + POD_VAL_MAX))

/* A pod as the events of its processes carried it, serialized: 7 strings (namespace, name,
 * container name and id, image, workload, workload kind) then a label count and key/value
 * pairs; each string a 16-bit length (0xffff: absent) and its bytes. */
struct wt_pod_rec {
	struct wt_pod_rec *chain;
	uint32_t hash, refs, len;
	char data[];
};

struct wt_proc_entry {
	struct wt_proc_entry *chain, *prev, *next;
	struct wt_proc_entry *pid_chain; /* same (node, pid), newest first */
	struct wt_pod_rec *pod;          /* one reference, or NULL */
	uint32_t hash, node_hash;
	int64_t exit_time; /* 0 while running */
	uint32_t children;  /* cached processes whose parent this is: kept past the exit grace */
	bool counted;       /* counted in its parent's children */
	uint32_t pid, uid, auid;
	int64_t start_time;
	bool in_init_tree;
	uint16_t exec_id_len, parent_len, binary_len, cwd_len, flags_len, args_len;
	char data[]; /* exec_id, parent_exec_id, binary, cwd, flags, args; each NUL-terminated */
};

static const char *e_exec_id(const struct wt_proc_entry *e) { return e->data; }
static const char *e_parent(const struct wt_proc_entry *e) { return e->data + e->exec_id_len + 1; }
static const char *e_binary(const struct wt_proc_entry *e) { return e_parent(e) + e->parent_len + 1; }
static const char *e_cwd(const struct wt_proc_entry *e) { return e_binary(e) + e->binary_len + 1; }
static const char *e_flags(const struct wt_proc_entry *e) { return e_cwd(e) + e->cwd_len + 1; }
static const char *e_args(const struct wt_proc_entry *e) { return e_flags(e) + e->flags_len + 1; }

void wt_proccache_init(struct wt_proccache *pc, uint32_t capacity)
{
	memset(pc, 0, sizeof *pc);
	uint32_t buckets = 64;
	while (buckets < capacity)
		buckets *= 2;
	pc->table = wt_xcalloc(buckets, sizeof *pc->table);
	pc->pids = wt_xcalloc(buckets, sizeof *pc->pids);
	pc->pods = wt_xcalloc(buckets, sizeof *pc->pods);
	pc->mask = buckets - 1;
	pc->cap = capacity ? capacity : 1;
}

void wt_proccache_free(struct wt_proccache *pc)
{
	struct wt_proc_entry *e = pc->lru_head;
	while (e) {
		struct wt_proc_entry *n = e->next;
		free(e);
		e = n;
	}
	for (uint32_t i = 0; pc->pods && i <= pc->mask; i++)
		for (struct wt_pod_rec *r = pc->pods[i], *n; r; r = n) {
			n = r->chain;
			free(r);
		}
	free(pc->scratch);
	free(pc->table);
	free(pc->pids);
	free(pc->pods);
	memset(pc, 0, sizeof *pc);
}

static void lru_unlink(struct wt_proccache *pc, struct wt_proc_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		pc->lru_head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		pc->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push_front(struct wt_proccache *pc, struct wt_proc_entry *e)
{
	e->prev = NULL;
	e->next = pc->lru_head;
	if (pc->lru_head)
		pc->lru_head->prev = e;
	pc->lru_head = e;
	if (!pc->lru_tail)
		pc->lru_tail = e;
}

static struct wt_proc_entry *find(struct wt_proccache *pc, const char *id, uint32_t len, uint32_t h)
{
	for (struct wt_proc_entry *e = pc->table[h & pc->mask]; e; e = e->chain)
		if (e->hash == h && e->exec_id_len == len && memcmp(e->data, id, len) == 0)
			return e;
	return NULL;
}

static uint32_t pid_hash(uint32_t node_hash, uint32_t pid)
{
	uint32_t k[2] = {node_hash, pid};
	return wt_hash(k, sizeof k, WT_FNV_SEED);
}

static void pod_unref(struct wt_proccache *pc, struct wt_pod_rec *r)
{
	if (--r->refs)
		return;
	struct wt_pod_rec **pp = &pc->pods[r->hash & pc->mask];
	while (*pp != r)
		pp = &(*pp)->chain;
	*pp = r->chain;
	pc->n_pods--;
	free(r);
}

static struct wt_pod_rec *pod_new(struct wt_proccache *pc, const char *d, size_t len, uint32_t h)
{
	struct wt_pod_rec *r = wt_xmalloc(sizeof *r + len);
	r->hash = h;
	r->refs = 1;
	r->len = (uint32_t)len;
	memcpy(r->data, d, len);
	r->chain = pc->pods[h & pc->mask];
	pc->pods[h & pc->mask] = r;
	pc->n_pods++;
	return r;
}

static size_t pod_put(char *d, const char *buf, struct wt_str s, uint32_t max)
{
	if (!wt_str_present(s)) {
		d[0] = d[1] = (char)0xff;
		return 2;
	}
	uint16_t l = (uint16_t)(s.len < max ? s.len : max);
	memcpy(d, &l, 2);
	memcpy(d + 2, buf + s.off, l);
	return 2u + l;
}

static size_t pod_serialize(char *d, const struct wt_event_builder *b, const struct wt_pod *p)
{
	const struct wt_str parts[] = {p->ns, p->name, p->container_name, p->container_id, p->image, p->workload,
				       p->workload_kind};
	size_t n = 0;
	for (size_t i = 0; i < WT_ARRAY_LEN(parts); i++)
		n += pod_put(d + n, b->buf, parts[i], POD_STR_MAX);
	uint8_t nl = p->n_labels < WT_MAX_LABELS ? p->n_labels : WT_MAX_LABELS;
	d[n++] = (char)nl;
	for (uint8_t i = 0; i < nl; i++) {
		n += pod_put(d + n, b->buf, p->label_key[i], POD_KEY_MAX);
		n += pod_put(d + n, b->buf, p->label_val[i], POD_VAL_MAX);
	}
	return n;
}

static struct wt_str pod_get(struct wt_event_builder *b, const char *d, size_t *at)
{
	uint16_t l;
	memcpy(&l, d + *at, 2);
	*at += 2;
	if (l == 0xffff)
		return (struct wt_str){WT_STR_NONE, 0};
	struct wt_str s = wt_event_builder_add(b, d + *at, l);
	*at += l;
	return s;
}

static void pod_fill(struct wt_event_builder *b, struct wt_pod *p, const struct wt_pod_rec *r)
{
	size_t at = 0;
	struct wt_str *parts[] = {&p->ns, &p->name, &p->container_name, &p->container_id, &p->image, &p->workload,
				  &p->workload_kind};
	for (size_t i = 0; i < WT_ARRAY_LEN(parts); i++)
		*parts[i] = pod_get(b, r->data, &at);
	p->n_labels = (uint8_t)r->data[at++];
	for (uint8_t i = 0; i < p->n_labels; i++) {
		p->label_key[i] = pod_get(b, r->data, &at);
		p->label_val[i] = pod_get(b, r->data, &at);
	}
	p->present = true;
}

/* The pod's strings in serialization order, with their kept lengths. */
#define POD_FIELDS (7 + 2 * WT_MAX_LABELS)
static unsigned pod_fields(const struct wt_pod *p, struct wt_str out[POD_FIELDS], uint32_t max[POD_FIELDS])
{
	const struct wt_str parts[] = {p->ns, p->name, p->container_name, p->container_id, p->image, p->workload,
				       p->workload_kind};
	unsigned n = 0;
	for (size_t i = 0; i < WT_ARRAY_LEN(parts); i++) {
		max[n] = POD_STR_MAX;
		out[n++] = parts[i];
	}
	uint8_t nl = p->n_labels < WT_MAX_LABELS ? p->n_labels : WT_MAX_LABELS;
	for (uint8_t i = 0; i < nl; i++) {
		max[n] = POD_KEY_MAX;
		out[n++] = p->label_key[i];
		max[n] = POD_VAL_MAX;
		out[n++] = p->label_val[i];
	}
	return n;
}

/* Interned by a hash over the event's strings and compared in place, so a pod already known
 * (nearly every exec) costs no serialization. */
static struct wt_pod_rec *pod_intern_event(struct wt_proccache *pc, const struct wt_event_builder *b,
					   const struct wt_pod *p)
{
	struct wt_str f[POD_FIELDS];
	uint32_t max[POD_FIELDS];
	unsigned n = pod_fields(p, f, max);
	/* the hash covers the pod and container identity and the shape of the rest; the compare
	 * below tells apart pods that differ elsewhere (changed labels) */
	uint32_t h = WT_FNV_SEED ^ n, shape = 0;
	for (unsigned i = 0; i < n; i++)
		shape = shape * 31 + (wt_str_present(f[i]) ? (f[i].len < max[i] ? f[i].len : max[i]) : 0xffff);
	for (unsigned i = 1; i <= 3; i += 2) /* name, container id */
		if (wt_str_present(f[i]))
			h = wt_hash(b->buf + f[i].off, f[i].len < max[i] ? f[i].len : max[i], h);
	h ^= shape * 0x9E3779B1u;
	for (struct wt_pod_rec *r = pc->pods[h & pc->mask]; r; r = r->chain) {
		if (r->hash != h)
			continue;
		size_t at = 0;
		bool same = true;
		for (unsigned i = 0; i < n && same; i++) {
			if (i == 7) {
				same = (uint8_t)r->data[at++] == (n - 7) / 2;
				if (!same)
					break;
			}
			uint16_t l;
			memcpy(&l, r->data + at, 2);
			at += 2;
			if (!wt_str_present(f[i])) {
				same = l == 0xffff;
				continue;
			}
			uint32_t want = f[i].len < max[i] ? f[i].len : max[i];
			same = l == want && memcmp(r->data + at, b->buf + f[i].off, l) == 0;
			at += l;
		}
		if (same && n == 7)
			same = r->data[at] == 0;
		if (same) {
			r->refs++;
			return r;
		}
	}
	if (!pc->scratch)
		pc->scratch = wt_xmalloc(POD_SER_MAX);
	return pod_new(pc, pc->scratch, pod_serialize(pc->scratch, b, p), h);
}

static void remove_entry(struct wt_proccache *pc, struct wt_proc_entry *e)
{
	if (e->pid) {
		struct wt_proc_entry **pp = &pc->pids[pid_hash(e->node_hash, e->pid) & pc->mask];
		while (*pp && *pp != e)
			pp = &(*pp)->pid_chain;
		if (*pp)
			*pp = e->pid_chain;
	}
	if (e->pod)
		pod_unref(pc, e->pod);
	if (e->counted) {
		struct wt_proc_entry *p = find(pc, e_parent(e), e->parent_len,
					       wt_hash(e_parent(e), e->parent_len, WT_FNV_SEED));
		if (p && p->children)
			p->children--;
	}
	struct wt_proc_entry **pp = &pc->table[e->hash & pc->mask];
	while (*pp != e)
		pp = &(*pp)->chain;
	*pp = e->chain;
	lru_unlink(pc, e);
	pc->n--;
	free(e);
}

static uint16_t clamp16(uint32_t n, uint32_t max)
{
	return (uint16_t)(n < max ? n : max);
}

/* Cache a process (first sighting wins, but a pod seen later is kept); returns its entry. */
static struct wt_proc_entry *put(struct wt_proccache *pc, const struct wt_event_builder *b, const struct wt_proc *p,
				 int64_t now, uint32_t node_hash, const struct wt_pod *pod)
{
	if (!wt_str_present(p->exec_id) || p->exec_id.len == 0 || p->exec_id.len > 512)
		return NULL;
	const char *buf = b->buf;
	const char *id = buf + p->exec_id.off;
	uint32_t h = wt_hash(id, p->exec_id.len, WT_FNV_SEED);
	struct wt_proc_entry *old = find(pc, id, p->exec_id.len, h);
	if (old) {
		lru_unlink(pc, old);
		lru_push_front(pc, old);
		if (!old->pod && pod)
			old->pod = pod_intern_event(pc, b, pod);
		return old; /* first sighting wins: an exec event's own record, or the earliest parent copy */
	}
	while (pc->n >= pc->cap && pc->lru_tail) {
		remove_entry(pc, pc->lru_tail);
		pc->evictions++;
	}
	/* Lazily drop exited processes past their grace period from the LRU end; one whose
	 * descendants are still cached stays (moved to the front) so their lineage, and the
	 * correlation of process trees through it, survives its exit. */
	for (uint32_t seen = 0; seen < pc->n && pc->lru_tail && pc->lru_tail->exit_time &&
				now - pc->lru_tail->exit_time > WT_PROCCACHE_EXIT_GRACE_NS;
	     seen++) {
		struct wt_proc_entry *t = pc->lru_tail;
		if (t->children) {
			lru_unlink(pc, t);
			lru_push_front(pc, t);
			pc->kept++;
			continue;
		}
		remove_entry(pc, t);
		pc->expired++;
	}
#define LEN(s) (wt_str_present(s) ? (s).len : 0u)
	uint16_t il = clamp16(p->exec_id.len, 512), pl = clamp16(LEN(p->parent_exec_id), 512),
		 bl = clamp16(LEN(p->binary), 4096), cl = clamp16(LEN(p->cwd), 4096), fl = clamp16(LEN(p->flags), 256),
		 al = clamp16(LEN(p->args), ARGS_KEEP);
	struct wt_proc_entry *e = wt_xmalloc(sizeof *e + il + pl + bl + cl + fl + al + 6);
	memset(e, 0, sizeof *e);
	e->hash = h;
	e->node_hash = node_hash;
	if (pod)
		e->pod = pod_intern_event(pc, b, pod);
	e->pid = p->pid;
	e->uid = p->uid;
	e->auid = p->auid;
	e->start_time = p->start_time;
	e->in_init_tree = p->in_init_tree;
	e->exec_id_len = il;
	e->parent_len = pl;
	e->binary_len = bl;
	e->cwd_len = cl;
	e->flags_len = fl;
	e->args_len = al;
	char *d = e->data;
#define COPY(s, l)                                                                                 \
	do {                                                                                       \
		if (l)                                                                             \
			memcpy(d, buf + (s).off, l);                                               \
		d[l] = 0;                                                                          \
		d += (l) + 1;                                                                      \
	} while (0)
	COPY(p->exec_id, il);
	COPY(p->parent_exec_id, pl);
	COPY(p->binary, bl);
	COPY(p->cwd, cl);
	COPY(p->flags, fl);
	COPY(p->args, al);
#undef COPY
#undef LEN
	if (pl) {
		struct wt_proc_entry *parent = find(pc, e_parent(e), pl, wt_hash(e_parent(e), pl, WT_FNV_SEED));
		if (parent && parent != e) {
			parent->children++;
			e->counted = true;
		}
	}
	e->chain = pc->table[h & pc->mask];
	pc->table[h & pc->mask] = e;
	lru_push_front(pc, e);
	pc->n++;
	if (e->pid) {
		uint32_t ph = pid_hash(node_hash, e->pid) & pc->mask;
		e->pid_chain = pc->pids[ph];
		pc->pids[ph] = e;
	}
	return e;
}

/* An exited (or replaced) process goes to the LRU end so it is the first to expire. */
static void retire(struct wt_proccache *pc, struct wt_proc_entry *e, int64_t when)
{
	e->exit_time = when ? when : 1;
	lru_unlink(pc, e);
	if (pc->lru_tail) {
		pc->lru_tail->next = e;
		e->prev = pc->lru_tail;
		pc->lru_tail = e;
	} else {
		pc->lru_head = pc->lru_tail = e;
	}
}

/* The exec event in b replaces, in place, the running process cached under its pid? */
static void inplace_link(struct wt_proccache *pc, struct wt_event_builder *b, uint32_t node_hash)
{
	struct wt_event *ev = &b->ev;
	struct wt_str parent = wt_str_present(ev->proc.parent_exec_id) ? ev->proc.parent_exec_id : ev->parent.exec_id;
	if (!wt_str_present(ev->proc.exec_id) || !ev->proc.pid || !wt_str_present(parent) || !parent.len)
		return;
	const char *id = b->buf + ev->proc.exec_id.off, *pid_s = b->buf + parent.off;
	uint32_t il = ev->proc.exec_id.len, pl = parent.len;
	for (struct wt_proc_entry *e = pc->pids[pid_hash(node_hash, ev->proc.pid) & pc->mask]; e; e = e->pid_chain) {
		if (e->node_hash != node_hash || e->pid != ev->proc.pid || e->exit_time)
			continue;
		if (e->exec_id_len == il && memcmp(e_exec_id(e), id, il) == 0)
			return; /* this very process, seen before */
		bool same_parent = e->parent_len == pl && memcmp(e_parent(e), pid_s, pl) == 0;
		bool from_old = e->exec_id_len == pl && memcmp(e_exec_id(e), pid_s, pl) == 0;
		if (!same_parent && !from_old)
			return; /* the pid's newest running process is unrelated (a reused pid) */
		pc->inplace++;
		if (!ev->pod.present && e->pod)
			pod_fill(b, &ev->pod, e->pod);
		retire(pc, e, ev->time);
		return;
	}
}

static struct wt_proc_entry *lookup(struct wt_proccache *pc, const char *id, uint32_t len)
{
	if (len == 0)
		return NULL;
	struct wt_proc_entry *e = find(pc, id, len, wt_hash(id, len, WT_FNV_SEED));
	if (e) {
		pc->hits++;
		lru_unlink(pc, e);
		lru_push_front(pc, e);
	} else {
		pc->misses++;
	}
	return e;
}

static struct wt_str add_str(struct wt_event_builder *b, const char *s, uint32_t len)
{
	return wt_event_builder_add(b, s, len);
}

static void fill_proc(struct wt_event_builder *b, struct wt_proc *p, const struct wt_proc_entry *e)
{
	p->present = true;
	p->exec_id = add_str(b, e_exec_id(e), e->exec_id_len);
	if (e->parent_len)
		p->parent_exec_id = add_str(b, e_parent(e), e->parent_len);
	p->binary = add_str(b, e_binary(e), e->binary_len);
	p->cwd = add_str(b, e_cwd(e), e->cwd_len);
	p->flags = add_str(b, e_flags(e), e->flags_len);
	p->args = add_str(b, e_args(e), e->args_len);
	p->pid = e->pid;
	p->uid = e->uid;
	p->auid = e->auid;
	p->start_time = e->start_time;
	p->in_init_tree = e->in_init_tree;
}

void wt_proccache_enrich(struct wt_proccache *pc, struct wt_event_builder *b)
{
	struct wt_event *ev = &b->ev;
	if (!ev->proc.present)
		return;
	uint32_t node_hash = wt_str_present(ev->node) ? wt_hash(b->buf + ev->node.off, ev->node.len, WT_FNV_SEED) : 0;
	if (ev->kind == WT_KIND_EXEC)
		inplace_link(pc, b, node_hash);
	/* learn */
	if (ev->parent.present)
		put(pc, b, &ev->parent, ev->time, node_hash, NULL);
	struct wt_proc_entry *self = put(pc, b, &ev->proc, ev->time, node_hash, ev->pod.present ? &ev->pod : NULL);
	/* a process block without its parent's exec_id gets the cached one */
	if (!wt_str_present(ev->proc.parent_exec_id) && self && self->parent_len)
		ev->proc.parent_exec_id = add_str(b, e_parent(self), self->parent_len);
	/* fill a missing pod from the process's cached exec */
	if (!ev->pod.present && ev->kind != WT_KIND_EXEC && self && self->pod) {
		pod_fill(b, &ev->pod, self->pod);
		pc->pod_filled++;
	}
	/* fill a missing parent */
	if (!ev->parent.present && wt_str_present(ev->proc.parent_exec_id)) {
		struct wt_proc_entry *e = lookup(pc, b->buf + ev->proc.parent_exec_id.off, ev->proc.parent_exec_id.len);
		if (e)
			fill_proc(b, &ev->parent, e);
	}
	/* lineage: nearest first; the event's own ancestors list wins when Tetragon sent one */
	if (ev->n_ancestors == 0 && ev->parent.present) {
		ev->ancestors[ev->n_ancestors++] = ev->parent.binary;
		struct wt_str next = ev->parent.parent_exec_id;
		const char *cur_id = NULL;
		uint32_t cur_len = 0;
		if (wt_str_present(next)) {
			cur_id = b->buf + next.off;
			cur_len = next.len;
		}
		while (cur_id && ev->n_ancestors < WT_MAX_ANCESTORS) {
			struct wt_proc_entry *e = lookup(pc, cur_id, cur_len);
			if (!e)
				break;
			ev->ancestors[ev->n_ancestors++] = add_str(b, e_binary(e), e->binary_len);
			if (!e->parent_len || (e->parent_len == cur_len && memcmp(e_parent(e), cur_id, cur_len) == 0))
				break;
			/* cur_id must stay valid across builder growth: point into the entry */
			cur_id = e_parent(e);
			cur_len = e->parent_len;
		}
	}
	/* exec ids of the ancestors and the session (topmost ancestor-or-self outside the
	 * container's init tree), walking the cache from the parent */
	if (wt_str_present(ev->proc.parent_exec_id)) {
		bool in_session = !ev->proc.in_init_tree;
		if (in_session && wt_str_present(ev->proc.exec_id))
			ev->session_id = ev->proc.exec_id;
		struct wt_str first = ev->proc.parent_exec_id;
		ev->ancestor_ids[ev->n_ancestor_ids++] = first;
		const char *cur_id = b->buf + first.off;
		uint32_t cur_len = first.len;
		struct wt_str cur_ref = first;
		while (cur_id && ev->n_ancestor_ids <= WT_MAX_ANCESTORS) {
			struct wt_proc_entry *e = lookup(pc, cur_id, cur_len);
			if (!e)
				break;
			if (in_session && !e->in_init_tree)
				ev->session_id = cur_ref;
			else
				in_session = false;
			if (!e->parent_len || ev->n_ancestor_ids == WT_MAX_ANCESTORS ||
			    (e->parent_len == cur_len && memcmp(e_parent(e), cur_id, cur_len) == 0))
				break;
			cur_ref = add_str(b, e_parent(e), e->parent_len);
			ev->ancestor_ids[ev->n_ancestor_ids++] = cur_ref;
			cur_id = e_parent(e);
			cur_len = e->parent_len;
		}
	} else if (!ev->proc.in_init_tree && wt_str_present(ev->proc.exec_id)) {
		ev->session_id = ev->proc.exec_id;
	}
	/* exits: keep the entry a grace period for late kprobes of the same process */
	if (ev->kind == WT_KIND_EXIT && wt_str_present(ev->proc.exec_id)) {
		const char *id = b->buf + ev->proc.exec_id.off;
		struct wt_proc_entry *e = find(pc, id, ev->proc.exec_id.len,
					       wt_hash(id, ev->proc.exec_id.len, WT_FNV_SEED));
		if (e && !e->exit_time)
			retire(pc, e, ev->time);
	}
}
