/* Process cache: hash table on exec_id (open hashing with chains) plus an LRU list.
 * Entries copy the few strings enrichment needs into one allocation each. */
#include "proccache.h"
#include <stdlib.h>
#include <string.h>

#define ARGS_KEEP 1024 /* bytes of arguments kept per cached process */

struct wt_proc_entry {
	struct wt_proc_entry *chain, *prev, *next;
	uint32_t hash;
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
	free(pc->table);
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

static void remove_entry(struct wt_proccache *pc, struct wt_proc_entry *e)
{
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

static void put(struct wt_proccache *pc, const struct wt_event_builder *b, const struct wt_proc *p, int64_t now)
{
	if (!wt_str_present(p->exec_id) || p->exec_id.len == 0 || p->exec_id.len > 512)
		return;
	const char *buf = b->buf;
	const char *id = buf + p->exec_id.off;
	uint32_t h = wt_hash(id, p->exec_id.len, WT_FNV_SEED);
	struct wt_proc_entry *old = find(pc, id, p->exec_id.len, h);
	if (old) {
		lru_unlink(pc, old);
		lru_push_front(pc, old);
		return; /* first sighting wins: an exec event's own record, or the earliest parent copy */
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
	/* learn */
	if (ev->parent.present)
		put(pc, b, &ev->parent, ev->time);
	put(pc, b, &ev->proc, ev->time);
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
		if (e && !e->exit_time) {
			e->exit_time = ev->time ? ev->time : 1;
			/* exited entries go to the LRU end so they are the first to expire */
			lru_unlink(pc, e);
			if (pc->lru_tail) {
				pc->lru_tail->next = e;
				e->prev = pc->lru_tail;
				pc->lru_tail = e;
			} else {
				pc->lru_head = pc->lru_tail = e;
			}
		}
	}
}
