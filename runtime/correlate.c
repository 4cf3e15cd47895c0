/* Correlation engine: partial matches of `path` declarations per (path, key), advanced in
 * step order by events inside the window; bounded per key (WT_CORR_PER_KEY) and in total,
 * oldest evicted first and counted; expired on event time. Completed paths are handed to
 * the caller with their evidence rendered as JSON. See docs/correlation.md. */
#include "correlate.h"
#include "buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE32 UINT32_MAX

struct cap {
	enum wt_type type;
	bool present;
	uint32_t off, len;
	int64_t i;
};

/* Evidence of one positive step: the event that matched it (the first, for `runs`). */
struct evid {
	uint32_t step; /* index in the path's steps */
	uint8_t kind;
	uint32_t count;
	int64_t time;
	uint32_t off[4], len[4]; /* binary, arguments, exec_id, detail; len NONE32 = absent */
};

struct bucket;

struct partial {
	struct partial *prev, *next; /* the path's list, creation order */
	struct bucket *bucket;
	uint64_t seq;                /* creation order over all paths */
	int64_t start, last;
	uint32_t pos;                /* next positive step to match */
	uint32_t count;              /* repetitions of steps[pos] seen so far (runs) */
	uint32_t n_ev;
	uint32_t root_off, root_len; /* process.tree: exec_id of the subtree root */
	uint64_t *distinct;
	uint32_t n_distinct;
	char *blob;
	uint32_t blob_len, blob_cap;
	size_t bytes;
	struct cap *caps;
	struct evid *ev;
};

struct bucket {
	struct bucket *chain;
	uint32_t path, hash, n, key_len;
	struct partial *p[WT_CORR_PER_KEY]; /* oldest first */
	char key[];
};

struct plist {
	struct partial *head, *tail;
};

struct wt_corr {
	const struct wt_ruleset *rs;
	uint32_t max;
	wt_corr_emit_fn emit;
	void *ctx;
	struct bucket **table;
	uint32_t mask;
	struct plist *lists;
	struct wt_corr_stats st;
	uint64_t seq;
	int64_t now;
	int64_t skew; /* out-of-order tolerance, ns */
	struct wt_capture_val capv[WT_MAX_PATH_CAPTURES];
};

void wt_corr_set_tolerance(struct wt_corr *c, int64_t ns)
{
	c->skew = ns < 0 ? 0 : ns;
}

struct wt_corr *wt_corr_new(const struct wt_ruleset *rs, uint32_t max_partials, wt_corr_emit_fn emit, void *ctx)
{
	struct wt_corr *c = wt_xcalloc(1, sizeof *c);
	c->rs = rs;
	c->max = max_partials ? max_partials : WT_DEFAULT_CORR_PARTIALS;
	c->emit = emit;
	c->ctx = ctx;
	c->skew = WT_CORR_SKEW_NS;
	c->mask = 1023;
	c->table = wt_xcalloc(c->mask + 1, sizeof *c->table);
	c->lists = wt_xcalloc(rs->n_paths ? rs->n_paths : 1, sizeof *c->lists);
	return c;
}

const struct wt_corr_stats *wt_corr_stats(const struct wt_corr *c)
{
	return &c->st;
}

/* Buckets ----------------------------------------------------------------------------- */

static uint32_t key_hash(uint32_t path, const char *k, uint32_t len)
{
	return wt_hash(k, len, WT_FNV_SEED ^ (path * 2654435761u));
}

static struct bucket **bucket_slot(struct wt_corr *c, uint32_t path, const char *k, uint32_t len, uint32_t h)
{
	struct bucket **b = &c->table[h & c->mask];
	while (*b && !((*b)->hash == h && (*b)->path == path && (*b)->key_len == len && !memcmp((*b)->key, k, len)))
		b = &(*b)->chain;
	return b;
}

static void grow_table(struct wt_corr *c)
{
	uint32_t size = (c->mask + 1) * 2;
	struct bucket **t = wt_xcalloc(size, sizeof *t);
	for (uint32_t i = 0; i <= c->mask; i++)
		for (struct bucket *b = c->table[i], *next; b; b = next) {
			next = b->chain;
			b->chain = t[b->hash & (size - 1)];
			t[b->hash & (size - 1)] = b;
		}
	free(c->table);
	c->table = t;
	c->mask = size - 1;
}

static struct bucket *bucket_get(struct wt_corr *c, uint32_t path, const char *k, uint32_t len, bool create)
{
	uint32_t h = key_hash(path, k, len);
	struct bucket **slot = bucket_slot(c, path, k, len, h);
	if (*slot || !create)
		return *slot;
	struct bucket *b = wt_xcalloc(1, sizeof *b + len + 1);
	b->path = path;
	b->hash = h;
	b->key_len = len;
	memcpy(b->key, k, len);
	*slot = b;
	c->st.keys++;
	c->st.bytes += sizeof *b + len + 1;
	if (c->st.keys > (uint64_t)(c->mask + 1) * 2)
		grow_table(c);
	return b;
}

static void bucket_drop(struct wt_corr *c, struct bucket *b)
{
	struct bucket **slot = bucket_slot(c, b->path, b->key, b->key_len, b->hash);
	*slot = b->chain;
	c->st.keys--;
	c->st.bytes -= sizeof *b + b->key_len + 1;
	free(b);
}

/* Partials ---------------------------------------------------------------------------- */

static void partial_free(struct wt_corr *c, struct partial *p)
{
	struct plist *l = &c->lists[p->bucket->path];
	if (p->prev)
		p->prev->next = p->next;
	else
		l->head = p->next;
	if (p->next)
		p->next->prev = p->prev;
	else
		l->tail = p->prev;
	struct bucket *b = p->bucket;
	for (uint32_t i = 0; i < b->n; i++)
		if (b->p[i] == p) {
			memmove(&b->p[i], &b->p[i + 1], (b->n - i - 1) * sizeof *b->p);
			b->n--;
			break;
		}
	c->st.live--;
	c->st.bytes -= p->bytes;
	free(p->blob);
	free(p->distinct);
	free(p);
	if (b->n == 0)
		bucket_drop(c, b);
}

static void account(struct wt_corr *c, struct partial *p, size_t bytes)
{
	c->st.bytes += bytes;
	p->bytes += bytes;
}

static uint32_t blob_add(struct wt_corr *c, struct partial *p, const char *s, uint32_t len)
{
	if (len > WT_CORR_EVIDENCE_STR) {
		len = WT_CORR_EVIDENCE_STR;
		c->st.truncated++;
	}
	if (p->blob_len + len > p->blob_cap) {
		uint32_t cap = p->blob_cap ? p->blob_cap : 128;
		while (cap < p->blob_len + len)
			cap *= 2;
		account(c, p, cap - p->blob_cap);
		p->blob = wt_xrealloc(p->blob, cap);
		p->blob_cap = cap;
	}
	if (len)
		memcpy(p->blob + p->blob_len, s, len);
	p->blob_len += len;
	return p->blob_len - len;
}

static void blob_str(struct wt_corr *c, struct partial *p, const struct wt_event *ev, struct wt_str s,
		     uint32_t *off, uint32_t *len)
{
	if (!wt_str_present(s)) {
		*off = 0;
		*len = NONE32;
		return;
	}
	*off = blob_add(c, p, wt_event_str(ev, s), s.len);
	*len = s.len > WT_CORR_EVIDENCE_STR ? WT_CORR_EVIDENCE_STR : s.len;
}

static struct partial *oldest(struct wt_corr *c)
{
	struct partial *o = NULL;
	for (uint32_t i = 0; i < c->rs->n_paths; i++)
		if (c->lists[i].head && (!o || c->lists[i].head->seq < o->seq))
			o = c->lists[i].head;
	return o;
}

static struct partial *partial_new(struct wt_corr *c, const struct wt_rt_path *path, const char *key,
				   uint32_t key_len, int64_t t)
{
	/* the total bound first: it may free any bucket, also this key's */
	while (c->st.live >= c->max) {
		struct partial *o = oldest(c);
		if (!o)
			break;
		c->st.evicted++;
		partial_free(c, o);
	}
	struct bucket *b = bucket_get(c, path->index, key, key_len, true);
	if (b->n == WT_CORR_PER_KEY) {
		c->st.evicted++;
		partial_free(c, b->p[0]); /* b keeps its other partials */
	}
	size_t size = sizeof(struct partial) + path->bc->cap_n * sizeof(struct cap) +
		      path->n_positive * sizeof(struct evid);
	struct partial *p = wt_xcalloc(1, size);
	p->caps = (struct cap *)(p + 1);
	p->ev = (struct evid *)(p->caps + path->bc->cap_n);
	p->bucket = b;
	p->seq = ++c->seq;
	p->start = p->last = t;
	p->root_len = NONE32;
	p->bytes = 0;
	account(c, p, size);
	b->p[b->n++] = p;
	struct plist *l = &c->lists[path->index];
	p->prev = l->tail;
	if (l->tail)
		l->tail->next = p;
	else
		l->head = p;
	l->tail = p;
	c->st.live++;
	c->st.started++;
	if (c->st.live > c->st.peak)
		c->st.peak = c->st.live;
	return p;
}

/* Matching ---------------------------------------------------------------------------- */

static const struct wt_capture_val *load_caps(struct wt_corr *c, const struct wt_rt_path *path,
					      const struct partial *p)
{
	for (uint32_t k = 0; k < path->bc->cap_n; k++) {
		struct wt_capture_val *v = &c->capv[k];
		if (!p) {
			*v = (struct wt_capture_val){.type = WT_T_STR};
			continue;
		}
		const struct cap *cp = &p->caps[k];
		*v = (struct wt_capture_val){cp->type, cp->present, p->blob ? p->blob + cp->off : "", cp->len, cp->i};
	}
	return c->capv;
}

static bool step_matches(struct wt_corr *c, struct wt_vm *vm, const struct wt_rt_path *path,
			 const struct wt_bc_step *s, const struct wt_event *ev, const struct partial *p)
{
	if (!(s->kinds & (1u << ev->kind)))
		return false;
	return wt_vm_run_code(vm, c->rs, s->code, ev, load_caps(c, path, p));
}

static bool in_tree(const struct partial *p, const struct wt_event *ev)
{
	if (p->root_len == NONE32)
		return true;
	const char *root = p->blob + p->root_off;
	const struct wt_str cand[2] = {ev->proc.exec_id, ev->proc.parent_exec_id};
	for (int i = 0; i < 2; i++)
		if (wt_str_present(cand[i]) && cand[i].len == p->root_len &&
		    !memcmp(wt_event_str(ev, cand[i]), root, p->root_len))
			return true;
	for (uint32_t i = 0; i < ev->n_ancestor_ids; i++)
		if (ev->ancestor_ids[i].len == p->root_len &&
		    !memcmp(wt_event_str(ev, ev->ancestor_ids[i]), root, p->root_len))
			return true;
	return false;
}

static uint32_t next_positive(const struct wt_rt_path *path, uint32_t from)
{
	while (from < path->bc->step_n && path->steps[from].flags)
		from++;
	return from;
}

static void take_captures(struct wt_corr *c, const struct wt_rt_path *path, const struct wt_bc_step *s,
			  struct partial *p, const struct wt_event *ev)
{
	const struct wt_bc *bc = &c->rs->bc;
	for (uint32_t k = 0; k < s->cap_n; k++) {
		const struct wt_bc_capture *bcap = &bc->captures[s->cap_first + k];
		struct cap *cp = &p->caps[s->cap_first - path->bc->cap_first + k];
		struct wt_value v;
		wt_event_get(ev, (enum wt_field_id)bcap->field, &v);
		cp->type = v.type == WT_T_ADDR ? WT_T_STR : v.type;
		cp->present = v.present;
		cp->i = v.i;
		cp->off = 0;
		cp->len = 0;
		if (v.present && (v.type == WT_T_STR || v.type == WT_T_ADDR)) {
			/* captures are compared whole: never cut them */
			uint32_t off = p->blob_len;
			if (p->blob_len + v.len > p->blob_cap) {
				uint32_t cap = p->blob_cap ? p->blob_cap : 128;
				while (cap < p->blob_len + v.len)
					cap *= 2;
				account(c, p, cap - p->blob_cap);
				p->blob = wt_xrealloc(p->blob, cap);
				p->blob_cap = cap;
			}
			memcpy(p->blob + off, v.s, v.len);
			p->blob_len += v.len;
			cp->off = off;
			cp->len = v.len;
		}
	}
}

static void record(struct wt_corr *c, struct partial *p, uint32_t step, const struct wt_event *ev)
{
	struct evid *e = &p->ev[p->n_ev++];
	e->step = step;
	e->kind = (uint8_t)ev->kind;
	e->time = ev->time;
	e->count = 1;
	blob_str(c, p, ev, ev->proc.binary, &e->off[0], &e->len[0]);
	blob_str(c, p, ev, ev->proc.args, &e->off[1], &e->len[1]);
	blob_str(c, p, ev, ev->proc.exec_id, &e->off[2], &e->len[2]);
	struct wt_value v;
	wt_event_get(ev, WT_F_FILE_PATH, &v);
	if (v.present) {
		e->len[3] = v.len > WT_CORR_EVIDENCE_STR ? WT_CORR_EVIDENCE_STR : v.len;
		e->off[3] = blob_add(c, p, v.s, v.len);
	} else if (ev->sock.present && wt_str_present(ev->sock.daddr)) {
		char tmp[320];
		int n = snprintf(tmp, sizeof tmp, "%.*s:%lld", (int)(ev->sock.daddr.len < 256 ? ev->sock.daddr.len : 256),
				 wt_event_str(ev, ev->sock.daddr), (long long)ev->sock.dport);
		e->len[3] = (uint32_t)n;
		e->off[3] = blob_add(c, p, tmp, (uint32_t)n);
	} else if (wt_str_present(ev->function)) {
		blob_str(c, p, ev, ev->function, &e->off[3], &e->len[3]);
	} else {
		e->len[3] = NONE32;
	}
}

/* Count one repetition; false when a `distinct` value was already counted. */
static bool count_run(struct wt_corr *c, const struct wt_bc_step *s, struct partial *p, const struct wt_event *ev)
{
	if (s->distinct != WT_BC_NONE) {
		struct wt_value v;
		wt_event_get(ev, (enum wt_field_id)s->distinct, &v);
		if (!v.present)
			return false;
		uint64_t h = v.type == WT_T_STR || v.type == WT_T_ADDR ? wt_hash(v.s, v.len, WT_FNV_SEED) :
									 (uint64_t)v.i * 0x9E3779B97F4A7C15ull;
		for (uint32_t i = 0; i < p->n_distinct; i++)
			if (p->distinct[i] == h)
				return false;
		if (!p->distinct) {
			p->distinct = wt_xcalloc(s->runs, sizeof *p->distinct);
			account(c, p, s->runs * sizeof *p->distinct);
		}
		p->distinct[p->n_distinct++] = h;
	}
	p->count++;
	return true;
}

static void render(struct wt_buf *b, const struct wt_ruleset *rs, const struct wt_rt_path *path,
		   const struct partial *p)
{
	const struct bucket *bk = p->bucket;
	wt_buf_puts(b, "\"key\":");
	wt_buf_json_str(b, bk->key, bk->key_len, WT_MAX_RECORD_FIELD);
	wt_buf_puts(b, ",\"evidence\":[");
	static const char *const names[4] = {"binary", "arguments", "exec_id", "detail"};
	for (uint32_t i = 0; i < p->n_ev; i++) {
		const struct evid *e = &p->ev[i];
		const struct wt_bc_step *s = &path->steps[e->step];
		wt_buf_puts(b, i ? ",{\"step\":" : "{\"step\":");
		wt_buf_json_str(b, rs->bc.strings[s->name], rs->bc.string_len[s->name], WT_MAX_RECORD_FIELD);
		wt_buf_puts(b, ",\"time\":\"");
		wt_buf_time(b, e->time);
		wt_buf_printf(b, "\",\"event_kind\":\"%s\"", wt_kind_names[e->kind]);
		for (int k = 0; k < 4; k++) {
			wt_buf_printf(b, ",\"%s\":", names[k]);
			if (e->len[k] == NONE32)
				wt_buf_puts(b, "null");
			else
				wt_buf_json_str(b, p->blob + e->off[k], e->len[k], WT_MAX_RECORD_FIELD);
		}
		if (s->runs > 1)
			wt_buf_printf(b, ",\"count\":%u", e->count);
		wt_buf_putc(b, '}');
	}
	wt_buf_putc(b, ']');
}

/* The last step matched: exceptions, then the threat. */
static void complete(struct wt_corr *c, struct wt_vm *vm, const struct wt_rt_path *path, struct partial *p,
		     struct wt_event *ev)
{
	if (path->bc->except_len &&
	    wt_vm_run_code(vm, c->rs, path->bc->except_code, ev, load_caps(c, path, p))) {
		c->st.excepted++;
		return;
	}
	struct wt_buf b;
	wt_buf_init(&b);
	render(&b, c->rs, path, p);
	c->st.threats++;
	c->emit(c->ctx, path, ev, b.p);
}

static void expire(struct wt_corr *c, const struct wt_rt_path *path)
{
	struct plist *l = &c->lists[path->index];
	while (l->head && c->now - l->head->start > path->window + c->skew) {
		c->st.expired++;
		partial_free(c, l->head);
	}
}

/* One path against one event. */
static void run_path(struct wt_corr *c, struct wt_vm *vm, const struct wt_rt_path *path, struct wt_event *ev)
{
	const struct wt_bc_path *bp = path->bc;
	struct wt_value key;
	wt_event_get(ev, (enum wt_field_id)bp->by_field, &key);
	if (!key.present)
		return;
	struct bucket *b = bucket_get(c, path->index, key.s, key.len, false);
	if (b) {
		for (uint32_t k = 0; k < bp->step_n; k++)
			if ((path->steps[k].flags & WT_STEPF_UNTIL) && step_matches(c, vm, path, &path->steps[k], ev, NULL)) {
				c->st.cancelled += b->n;
				while (b->n > 1)
					partial_free(c, b->p[0]);
				partial_free(c, b->p[0]); /* frees the bucket */
				return;
			}
	}
	uint32_t first = next_positive(path, 0);
	bool consumed_first = false, completed = false;
	if (b) {
		struct partial *live[WT_CORR_PER_KEY];
		uint32_t n = b->n;
		memcpy(live, b->p, n * sizeof *live);
		for (uint32_t i = 0; i < n; i++) {
			struct partial *p = live[i];
			if (ev->time - p->start > path->window || ev->time < p->last - c->skew || !in_tree(p, ev))
				continue;
			bool killed = false;
			for (uint32_t j = p->pos; j-- > 0 && path->steps[j].flags;)
				if ((path->steps[j].flags & WT_STEPF_NEGATIVE) &&
				    step_matches(c, vm, path, &path->steps[j], ev, p)) {
					killed = true;
					break;
				}
			if (killed) {
				c->st.negated++;
				bool last = b->n == 1;
				partial_free(c, p);
				if (last)
					b = NULL; /* the bucket went with it */
				if (!b)
					break;
				continue;
			}
			const struct wt_bc_step *s = &path->steps[p->pos];
			if (!step_matches(c, vm, path, s, ev, p))
				continue;
			if (p->pos == first)
				consumed_first = true;
			if (s->runs > 1) {
				bool fresh = p->count == 0;
				if (!count_run(c, s, p, ev))
					continue;
				if (fresh) {
					record(c, p, p->pos, ev);
					take_captures(c, path, s, p, ev);
				}
				p->ev[p->n_ev - 1].count = p->count;
				if (ev->time > p->last)
					p->last = ev->time;
				if (p->count < s->runs)
					continue;
			} else {
				record(c, p, p->pos, ev);
				take_captures(c, path, s, p, ev);
			}
			if (ev->time > p->last)
				p->last = ev->time;
			uint32_t next = next_positive(path, p->pos + 1);
			if (next < bp->step_n) {
				p->pos = next;
				p->count = 0;
				p->n_distinct = 0;
				continue;
			}
			/* complete: several partials completing on one event make one threat */
			if (!completed)
				complete(c, vm, path, p, ev);
			completed = true;
			bool last = b->n == 1;
			partial_free(c, p);
			if (last) {
				b = NULL;
				break;
			}
		}
	}
	if (consumed_first)
		return;
	const struct wt_bc_step *s0 = &path->steps[first];
	if (!step_matches(c, vm, path, s0, ev, NULL))
		return;
	struct partial *p = partial_new(c, path, key.s, key.len, ev->time);
	if (bp->by == WT_PATH_BY_TREE) {
		struct wt_str root = wt_str_present(ev->proc.parent_exec_id) ? ev->proc.parent_exec_id : ev->proc.exec_id;
		if (wt_str_present(root)) {
			p->root_len = root.len;
			p->root_off = blob_add(c, p, wt_event_str(ev, root), root.len);
			if (root.len > WT_CORR_EVIDENCE_STR)
				p->root_len = WT_CORR_EVIDENCE_STR;
		}
	}
	record(c, p, first, ev);
	take_captures(c, path, s0, p, ev);
	if (s0->runs > 1) {
		count_run(c, s0, p, ev);
		p->ev[p->n_ev - 1].count = p->count;
		if (p->count < s0->runs)
			return;
	}
	uint32_t next = next_positive(path, first + 1);
	if (next < bp->step_n) {
		p->pos = next;
		return;
	}
	if (!completed)
		complete(c, vm, path, p, ev);
	partial_free(c, p);
}

void wt_corr_event(struct wt_corr *c, struct wt_vm *vm, struct wt_event *ev)
{
	if (ev->time > c->now)
		c->now = ev->time;
	uint32_t kbit = 1u << ev->kind;
	for (uint32_t i = 0; i < c->rs->n_paths; i++) {
		const struct wt_rt_path *path = &c->rs->paths[i];
		expire(c, path);
		if ((path->bc->flags & WT_RULEF_ENABLED) && (path->kinds & kbit))
			run_path(c, vm, path, ev);
	}
}

/* A partial match's layout depends on these: evidence per positive step, captures, counts. */
static bool same_shape(const struct wt_rt_path *a, const struct wt_rt_path *b)
{
	if (a->bc->step_n != b->bc->step_n || a->bc->cap_n != b->bc->cap_n || a->n_positive != b->n_positive ||
	    a->bc->by != b->bc->by || a->bc->by_field != b->bc->by_field)
		return false;
	for (uint32_t k = 0; k < a->bc->step_n; k++)
		if (a->steps[k].flags != b->steps[k].flags || a->steps[k].runs != b->steps[k].runs ||
		    a->steps[k].cap_n != b->steps[k].cap_n || (a->steps[k].distinct == WT_BC_NONE) != (b->steps[k].distinct == WT_BC_NONE))
			return false;
	return true;
}

void wt_corr_rebind(struct wt_corr *c, const struct wt_ruleset *rs, uint64_t *kept, uint64_t *dropped)
{
	const struct wt_ruleset *old = c->rs;
	uint32_t *map = wt_xcalloc(old->n_paths ? old->n_paths : 1, sizeof *map);
	for (uint32_t i = 0; i < old->n_paths; i++) {
		map[i] = NONE32;
		for (uint32_t j = 0; j < rs->n_paths; j++)
			if (!strcmp(old->paths[i].name, rs->paths[j].name) && same_shape(&old->paths[i], &rs->paths[j]))
				map[i] = j;
	}
	*kept = *dropped = 0;
	for (uint32_t i = 0; i < old->n_paths; i++) {
		uint64_t n = 0;
		for (struct partial *p = c->lists[i].head; p; p = p->next)
			n++;
		if (map[i] != NONE32) {
			*kept += n;
			continue;
		}
		*dropped += n;
		while (c->lists[i].head)
			partial_free(c, c->lists[i].head);
	}
	/* lists by new path index; buckets carry the path index in their hash: rehash them all */
	struct plist *lists = wt_xcalloc(rs->n_paths ? rs->n_paths : 1, sizeof *lists);
	for (uint32_t i = 0; i < old->n_paths; i++)
		if (map[i] != NONE32)
			lists[map[i]] = c->lists[i];
	struct bucket **t = wt_xcalloc(c->mask + 1, sizeof *t);
	for (uint32_t i = 0; i <= c->mask; i++)
		for (struct bucket *b = c->table[i], *next; b; b = next) {
			next = b->chain;
			b->path = map[b->path];
			b->hash = key_hash(b->path, b->key, b->key_len);
			b->chain = t[b->hash & c->mask];
			t[b->hash & c->mask] = b;
		}
	free(c->table);
	c->table = t;
	free(c->lists);
	c->lists = lists;
	c->rs = rs;
	free(map);
}

void wt_corr_free(struct wt_corr *c)
{
	if (!c)
		return;
	for (uint32_t i = 0; i < c->rs->n_paths; i++)
		while (c->lists[i].head)
			partial_free(c, c->lists[i].head);
	free(c->lists);
	free(c->table);
	free(c);
}
