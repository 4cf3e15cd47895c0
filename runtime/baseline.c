/* Behavioral baseline engine: per rarity spec, bounded open-addressing tables of key counts
 * (forward-decayed, each with a small exact set of workspaces), populations and remembered
 * (workspace, key) pairs, and the rarity verdict. Semantics in baseline.h; the snapshot file
 * is baseline_snap.c's. */
#include "baseline_int.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEIGHBOURHOOD 8      /* occupied slots examined for an eviction victim */
#define RESCALE_EXP 256.0    /* move the landmark when weights would pass 2^256 */
#define MIN_EXP (-1000.0)    /* weight floor of very late events: 2^-1000, still a normal double */
#define POP_SEED 0x8f1bbcdcbfa53e0bull
#define KEY_SEED 0x9e3779b97f4a7c15ull
#define WS_SEED 0xc2b2ae3d27d4eb4full
#define FIRST_SEED 0x165667b19e3779f9ull

void wt_bl_say(char *buf, size_t len, const char *fmt, ...)
{
	if (!buf || !len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* Hashing (stable: part of the snapshot format) ---------------------------------------- */

static uint64_t nonzero(uint64_t x)
{
	return x ? x : 1;
}

static uint64_t combine(uint64_t pop_hash, uint64_t key_hash)
{
	return nonzero(wt_mix64(key_hash ^ wt_mix64(pop_hash ^ KEY_SEED)));
}

static uint32_t ws_fingerprint(uint64_t ws_hash)
{
	uint32_t f = (uint32_t)(wt_mix64(ws_hash ^ WS_SEED) >> 32);
	return f ? f : 1;
}

static uint64_t first_fingerprint(uint64_t combined, uint64_t ws_hash)
{
	return nonzero(wt_mix64(combined ^ wt_mix64(ws_hash ^ FIRST_SEED)));
}

/* Tables -------------------------------------------------------------------------------- */

/* Home slot: the high 32 bits of the (already mixed) key scaled to the capacity. */
static uint32_t home(const struct wt_bl_table *t, uint64_t k)
{
	return (uint32_t)(((k >> 32) * (uint64_t)t->cap) >> 32);
}

static uint32_t next(const struct wt_bl_table *t, uint32_t i)
{
	return i + 1 == t->cap ? 0 : i + 1;
}

static double key_worth(const void *e)
{
	return ((const struct wt_bl_key *)e)->w;
}

static double pop_worth(const void *e)
{
	return ((const struct wt_bl_pop *)e)->w;
}

static double first_worth(const void *e)
{
	return ((const struct wt_bl_first *)e)->seen;
}

static bool table_init(struct wt_bl_table *t, uint32_t lim, size_t size, double (*worth)(const void *))
{
	t->size = size;
	t->lim = lim;
	t->cap = lim + (lim + 3) / 4 + 1;
	t->live = 0;
	t->worth = worth;
	t->slot = calloc(t->cap, size);
	return t->slot != NULL;
}

void wt_bl_clear(struct wt_bl_table *t)
{
	if (t->slot)
		memset(t->slot, 0, (size_t)t->cap * t->size);
	t->live = 0;
}

/* Slot holding k (*found), or the empty slot where k would go. */
uint32_t wt_bl_find(const struct wt_bl_table *t, uint64_t k, bool *found)
{
	uint32_t i = home(t, k);
	for (;;) {
		uint64_t x = wt_bl_key_at(t, i);
		if (x == k || x == 0) {
			*found = x != 0;
			return i;
		}
		i = next(t, i);
	}
}

/* Backward-shift deletion (Knuth's algorithm R): later entries of the run move into the
 * hole unless their home lies cyclically in (hole, their slot]. */
static void table_delete(struct wt_bl_table *t, uint32_t i)
{
	for (uint32_t j = next(t, i);; j = next(t, j)) {
		uint64_t k = wt_bl_key_at(t, j);
		if (k == 0)
			break;
		uint32_t h = home(t, k);
		bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
		if (!stays) {
			memcpy(wt_bl_at(t, i), wt_bl_at(t, j), t->size);
			i = j;
		}
	}
	memset(wt_bl_at(t, i), 0, t->size);
	t->live--;
}

/* The least worthy of the first NEIGHBOURHOOD occupied slots from slot i on. */
static uint32_t table_victim(const struct wt_bl_table *t, uint32_t i)
{
	uint32_t best = UINT32_MAX, seen = 0;
	double bw = 0;
	for (uint32_t step = 0; step < t->cap && seen < NEIGHBOURHOOD; step++, i = next(t, i)) {
		if (wt_bl_key_at(t, i) == 0)
			continue;
		seen++;
		double w = t->worth(wt_bl_at(t, i));
		if (best == UINT32_MAX || w < bw) {
			best = i;
			bw = w;
		}
	}
	return best;
}

/* Insert absent key k at slot (from wt_bl_find); at the bound, first evict the least
 * worthy entry near k's home and count it. Returns the zeroed entry's slot. */
uint32_t wt_bl_insert(struct wt_bl_table *t, uint64_t k, uint32_t slot, uint64_t *evictions)
{
	if (t->live >= t->lim) {
		table_delete(t, table_victim(t, home(t, k)));
		(*evictions)++;
		bool found;
		slot = wt_bl_find(t, k, &found);
	}
	memcpy(wt_bl_at(t, slot), &k, 8);
	t->live++;
	return slot;
}

void wt_bl_spread_add(struct wt_bl_key *e, uint32_t fp)
{
	for (unsigned i = 0; i < WT_SPREAD_MAX; i++) {
		if (e->ws[i] == fp)
			return;
		if (e->ws[i] == 0) {
			e->ws[i] = fp;
			return;
		}
	}
	/* saturated: WT_SPREAD_MAX distinct workspaces known, the rest are not told apart */
}

static uint32_t spread_count(const struct wt_bl_key *e)
{
	uint32_t n = 0;
	while (n < WT_SPREAD_MAX && e->ws[n])
		n++;
	return n;
}

/* Construction --------------------------------------------------------------------------- */

static bool bad_double(double x)
{
	return !isfinite(x);
}

static bool check_spec(const struct wt_baseline_spec *p, char *err, size_t errlen)
{
	const char *name = p->name ? p->name : "";
	size_t len = strlen(name);
	if (len == 0 || len > WT_MAX_BASELINE_NAME) {
		wt_bl_say(err, errlen, "baseline spec name must be 1..%d bytes", WT_MAX_BASELINE_NAME);
		return false;
	}
	const char *why = NULL;
	if ((unsigned)p->pop > WT_POP_IMAGE)
		why = "unknown population";
	else if (!p->has_freq && !p->has_count && !p->has_spread && !p->first_in_workspace)
		why = "no rarity threshold";
	else if (p->has_freq && bad_double(p->max_freq))
		why = "max_freq is not a finite number";
	else if (p->has_count && bad_double(p->max_count))
		why = "max_count is not a finite number";
	else if (p->has_spread && (p->max_spread < 1 || p->max_spread > WT_SPREAD_MAX))
		why = "max_spread must be 1..8 (WT_SPREAD_MAX)";
	else if (p->warmup_ns < 0 || p->halflife_ns < 0)
		why = "negative warm-up or half-life";
	if (why) {
		wt_bl_say(err, errlen, "baseline spec '%s': %s", name, why);
		return false;
	}
	return true;
}

static uint32_t limit_or(uint32_t v, uint32_t def)
{
	return v ? v : def;
}

void wt_baseline_free(struct wt_baseline *b)
{
	if (!b)
		return;
	for (unsigned i = 0; i < b->n; i++) {
		free(b->s[i].name);
		free(b->s[i].keys.slot);
		free(b->s[i].pops.slot);
		free(b->s[i].firsts.slot);
	}
	free(b->s);
	free(b->carry);
	free(b);
}

struct wt_baseline *wt_baseline_new(const struct wt_baseline_spec *specs, unsigned n,
				    const struct wt_baseline_limits *lim, char *err, size_t errlen)
{
	struct wt_baseline_limits l = {0};
	if (lim)
		l = *lim;
	l.keys_per_spec = limit_or(l.keys_per_spec, WT_DEFAULT_BASELINE_KEYS);
	l.firsts_per_spec = limit_or(l.firsts_per_spec, WT_DEFAULT_BASELINE_FIRSTS);
	l.populations_per_spec = limit_or(l.populations_per_spec, WT_DEFAULT_BASELINE_POPULATIONS);
	if (l.keys_per_spec > WT_MAX_BASELINE_TABLE || l.firsts_per_spec > WT_MAX_BASELINE_TABLE ||
	    l.populations_per_spec > WT_MAX_BASELINE_TABLE) {
		wt_bl_say(err, errlen, "baseline limits: at most %u entries per table", (unsigned)WT_MAX_BASELINE_TABLE);
		return NULL;
	}
	if (n && !specs) {
		wt_bl_say(err, errlen, "baseline: no specs given");
		return NULL;
	}
	for (unsigned i = 0; i < n; i++) {
		if (!check_spec(&specs[i], err, errlen))
			return NULL;
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(specs[i].name, specs[j].name)) {
				wt_bl_say(err, errlen, "baseline spec '%s' is declared twice", specs[i].name);
				return NULL;
			}
	}
	struct wt_baseline *b = wt_xcalloc(1, sizeof *b);
	b->s = wt_xcalloc(n ? n : 1, sizeof *b->s);
	b->n = n;
	for (unsigned i = 0; i < n; i++) {
		struct wt_bl_spec *s = &b->s[i];
		s->p = specs[i];
		s->name = wt_xstrdup(specs[i].name);
		s->p.name = s->name;
		bool ok = table_init(&s->keys, l.keys_per_spec, sizeof(struct wt_bl_key), key_worth) &&
			  table_init(&s->pops, s->p.pop == WT_POP_FLEET ? 1 : l.populations_per_spec,
				     sizeof(struct wt_bl_pop), pop_worth);
		if (ok && s->p.first_in_workspace)
			ok = table_init(&s->firsts, l.firsts_per_spec, sizeof(struct wt_bl_first), first_worth);
		if (!ok) {
			wt_bl_say(err, errlen, "baseline spec '%s': cannot allocate its tables (%u keys, %u firsts, %u populations)",
			    s->name, l.keys_per_spec, l.firsts_per_spec, l.populations_per_spec);
			wt_baseline_free(b);
			return NULL;
		}
	}
	return b;
}

unsigned wt_baseline_spec_count(const struct wt_baseline *b)
{
	return b ? b->n : 0;
}

int wt_bl_find_spec(const struct wt_baseline *b, const char *name, size_t len)
{
	for (unsigned i = 0; i < b->n; i++)
		if (strlen(b->s[i].name) == len && !memcmp(b->s[i].name, name, len))
			return (int)i;
	return -1;
}

int wt_baseline_spec_index(const struct wt_baseline *b, const char *name)
{
	return b && name ? wt_bl_find_spec(b, name, strlen(name)) : -1;
}

const char *wt_baseline_spec_name(const struct wt_baseline *b, unsigned spec)
{
	return b && spec < b->n ? b->s[spec].name : NULL;
}

/* Observation ---------------------------------------------------------------------------- */

/* a - b as a double without int64 overflow. */
double wt_bl_tdiff(int64_t a, int64_t b)
{
	int64_t d;
	if (__builtin_sub_overflow(a, b, &d))
		return (double)a - (double)b;
	return (double)d;
}

/* Move the landmark to the latest event time: every stored weight times 2^-e. */
static void rescale(struct wt_bl_spec *s, double e)
{
	double f = exp2(-e);
	for (uint32_t i = 0; i < s->keys.cap; i++) {
		struct wt_bl_key *k = wt_bl_at(&s->keys, i);
		if (k->key) {
			k->w *= f;
			if (k->w < 1e-300)
				k->w = 0; /* keep denormals out of the arithmetic */
		}
	}
	for (uint32_t i = 0; i < s->pops.cap; i++) {
		struct wt_bl_pop *p = wt_bl_at(&s->pops, i);
		if (p->key) {
			p->w *= f;
			if (p->w < 1e-300)
				p->w = 0;
		}
	}
	s->landmark = s->now;
	s->st.rescales++;
}

static void swap_table(struct wt_bl_table *a, struct wt_bl_table *b)
{
	struct wt_bl_table t = *a;
	*a = *b;
	*b = t;
}

unsigned wt_baseline_adopt(struct wt_baseline *dst, struct wt_baseline *src)
{
	unsigned moved = 0;
	for (unsigned i = 0; i < dst->n; i++) {
		struct wt_bl_spec *d = &dst->s[i];
		int j = wt_bl_find_spec(src, d->name, strlen(d->name));
		if (j < 0)
			continue;
		struct wt_bl_spec *s = &src->s[j];
		if (s->p.ident != d->p.ident || s->p.pop != d->p.pop || s->keys.cap != d->keys.cap || s->pops.cap != d->pops.cap)
			continue;
		/* weights are relative to the landmark in units of the half-life: under another
		 * half-life, start from the counts as of the latest event */
		if (s->have_t && s->p.halflife_ns != d->p.halflife_ns && s->p.halflife_ns > 0)
			rescale(s, wt_bl_tdiff(s->now, s->landmark) / (double)s->p.halflife_ns);
		swap_table(&d->keys, &s->keys);
		swap_table(&d->pops, &s->pops);
		if (d->p.first_in_workspace && s->p.first_in_workspace && d->firsts.cap == s->firsts.cap)
			swap_table(&d->firsts, &s->firsts);
		d->have_t = s->have_t;
		d->landmark = s->landmark;
		d->now = s->now;
		d->st = s->st;
		s->have_t = false;
		moved++;
	}
	return moved;
}

static uint32_t epoch_seconds(int64_t t)
{
	if (t <= 0)
		return 0;
	int64_t sec = t / 1000000000;
	return sec > UINT32_MAX ? UINT32_MAX : (uint32_t)sec;
}

void wt_baseline_touch(struct wt_baseline *b, unsigned spec, uint64_t pop_hash, int64_t t)
{
	if (!b || spec >= b->n)
		return;
	struct wt_bl_spec *s = &b->s[spec];
	if (s->p.pop == WT_POP_FLEET)
		pop_hash = 0;
	bool found;
	uint64_t pk = nonzero(wt_mix64(pop_hash ^ POP_SEED));
	uint32_t pi = wt_bl_find(&s->pops, pk, &found);
	if (!found) {
		pi = wt_bl_insert(&s->pops, pk, pi, &s->st.population_evictions);
		((struct wt_bl_pop *)wt_bl_at(&s->pops, pi))->first = t;
		return;
	}
	struct wt_bl_pop *pe = wt_bl_at(&s->pops, pi);
	if (t < pe->first)
		pe->first = t;
}

void wt_baseline_observe(struct wt_baseline *b, unsigned spec, uint64_t key_hash, uint64_t pop_hash,
			 uint64_t ws_hash, int64_t t, struct wt_rarity_verdict *out)
{
	memset(out, 0, sizeof *out);
	if (!b || spec >= b->n)
		return;
	struct wt_bl_spec *s = &b->s[spec];
	const struct wt_baseline_spec *p = &s->p;
	if (p->pop == WT_POP_FLEET)
		pop_hash = 0;

	/* clock: counts are judged at the latest event time; this event adds its own weight */
	if (!s->have_t) {
		s->have_t = true;
		s->landmark = s->now = t;
	} else if (t > s->now) {
		s->now = t;
	}
	double inv = 1, w_ev = 1;
	if (p->halflife_ns > 0) {
		double h = (double)p->halflife_ns;
		double e = wt_bl_tdiff(s->now, s->landmark) / h;
		if (e > RESCALE_EXP) {
			rescale(s, e);
			e = 0;
		}
		inv = exp2(-e);
		double et = wt_bl_tdiff(t, s->landmark) / h;
		w_ev = exp2(et < MIN_EXP ? MIN_EXP : et);
	}

	bool found;
	uint64_t pk = nonzero(wt_mix64(pop_hash ^ POP_SEED));
	uint32_t pi = wt_bl_find(&s->pops, pk, &found);
	if (!found) {
		pi = wt_bl_insert(&s->pops, pk, pi, &s->st.population_evictions);
		((struct wt_bl_pop *)wt_bl_at(&s->pops, pi))->first = t;
	}
	struct wt_bl_pop *pe = wt_bl_at(&s->pops, pi);

	uint64_t ck = combine(pop_hash, key_hash);
	bool kfound;
	uint32_t ki = wt_bl_find(&s->keys, ck, &kfound);
	const struct wt_bl_key *ke = kfound ? wt_bl_at(&s->keys, ki) : NULL;

	bool ffound = true;
	uint32_t fi = 0;
	uint64_t fk = 0;
	if (p->first_in_workspace) {
		fk = first_fingerprint(ck, ws_hash);
		fi = wt_bl_find(&s->firsts, fk, &ffound);
	}

	/* judge */
	out->count = ke ? ke->w * inv : 0;
	out->total = pe->w * inv;
	out->frequency = out->total > 0 ? out->count / out->total : 0;
	out->workspaces = ke ? spread_count(ke) : 0;
	out->first_in_workspace = !ffound;
	int64_t age = 0;
	if (t > pe->first && __builtin_sub_overflow(t, pe->first, &age))
		age = INT64_MAX;
	out->baseline_age_ns = age;
	out->population_events = pe->events;
	out->score = -log2((out->count + 1) / (out->total + 2));
	bool by_events = p->warmup_events > 0, by_time = p->warmup_ns > 0;
	out->warm = (!by_events && !by_time) || (by_events && pe->events >= p->warmup_events) ||
		    (by_time && age >= p->warmup_ns);
	out->rare = out->warm && (!p->has_freq || out->frequency < p->max_freq) &&
		    /* counts at a resolution of 0.001: two sightings minutes apart decay to
		     * 1.9999, which must not pass for "count < 2" */
		    (!p->has_count || round(out->count * 1000) / 1000 < p->max_count) &&
		    (!p->has_spread || out->workspaces < p->max_spread) &&
		    (!p->first_in_workspace || out->first_in_workspace);

	/* learn */
	pe->events++;
	pe->w += w_ev;
	if (t < pe->first)
		pe->first = t;
	if (!kfound) {
		ki = wt_bl_insert(&s->keys, ck, ki, &s->st.key_evictions);
		((struct wt_bl_key *)wt_bl_at(&s->keys, ki))->last = t;
	}
	struct wt_bl_key *kw = wt_bl_at(&s->keys, ki);
	kw->w += w_ev;
	if (t > kw->last)
		kw->last = t;
	wt_bl_spread_add(kw, ws_fingerprint(ws_hash));
	if (p->first_in_workspace) {
		if (!ffound)
			fi = wt_bl_insert(&s->firsts, fk, fi, &s->st.first_evictions);
		struct wt_bl_first *fe = wt_bl_at(&s->firsts, fi);
		uint32_t sec = epoch_seconds(t);
		if (sec > fe->seen)
			fe->seen = sec;
	}
}

int64_t wt_baseline_now(const struct wt_baseline *b)
{
	int64_t now = 0;
	for (unsigned i = 0; b && i < b->n; i++)
		if (b->s[i].have_t && (now == 0 || b->s[i].now > now))
			now = b->s[i].now;
	return now;
}

void wt_baseline_rewind(struct wt_baseline *b, int64_t t)
{
	for (unsigned i = 0; b && i < b->n; i++) {
		struct wt_bl_spec *s = &b->s[i];
		if (!s->have_t || s->now <= t)
			continue;
		if (s->p.halflife_ns > 0)
			rescale(s, wt_bl_tdiff(s->now, s->landmark) / (double)s->p.halflife_ns);
		s->landmark = s->now = t;
		for (uint32_t k = 0; k < s->keys.cap; k++) {
			struct wt_bl_key *e = wt_bl_at(&s->keys, k);
			if (e->key && e->last > t)
				e->last = t;
		}
		for (uint32_t k = 0; k < s->pops.cap; k++) {
			struct wt_bl_pop *e = wt_bl_at(&s->pops, k);
			if (e->key && e->first > t)
				e->first = t;
		}
		uint32_t sec = epoch_seconds(t);
		for (uint32_t k = 0; s->firsts.slot && k < s->firsts.cap; k++) {
			struct wt_bl_first *e = wt_bl_at(&s->firsts, k);
			if ((e->fp[0] || e->fp[1]) && e->seen > sec)
				e->seen = sec;
		}
	}
}

/* Statistics ----------------------------------------------------------------------------- */

static void add_stats(const struct wt_bl_spec *s, struct wt_baseline_stats *o)
{
	o->keys += s->keys.live;
	o->key_evictions += s->st.key_evictions;
	o->firsts += s->firsts.live;
	o->first_evictions += s->st.first_evictions;
	o->populations += s->pops.live;
	o->population_evictions += s->st.population_evictions;
	o->rescales += s->st.rescales;
	o->bytes += (uint64_t)s->keys.cap * s->keys.size + (uint64_t)s->pops.cap * s->pops.size +
		    (uint64_t)s->firsts.cap * s->firsts.size;
}

void wt_baseline_stats(const struct wt_baseline *b, struct wt_baseline_stats *out)
{
	memset(out, 0, sizeof *out);
	for (unsigned i = 0; b && i < b->n; i++)
		add_stats(&b->s[i], out);
}

void wt_baseline_spec_stats(const struct wt_baseline *b, unsigned spec, struct wt_baseline_stats *out)
{
	memset(out, 0, sizeof *out);
	if (b && spec < b->n)
		add_stats(&b->s[spec], out);
}

