/* The behavioral pipeline's per-event work: for every enabled rarity spec of the event's
 * kind, run its condition, build its key from the key expressions, judge the key against
 * the baseline (judge first, then learn), and report rare keys with the statistics that
 * made them rare. Snapshots of the baselines go to the state directory on event time. */
#include "behavior.h"
#include "buf.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SNAPSHOT_INTERVAL (5LL * 60 * 1000000000LL)
/* An event this far ahead of or behind the latest time is treated as a clock error... */
#define WT_BEHAVIOR_MAX_SKEW_NS (24LL * 3600 * 1000000000LL)
/* ...unless this many events in a row are that far off in the same direction: then the
 * clock was wrong or the stream has moved on (a pause of more than a day, a first event or
 * a snapshot far off the rest) and the clock follows, backwards too (wt_baseline_rewind). */
#define WT_BEHAVIOR_SKEW_RUN 4096
/* Times before 2001-09-09 (10^18 ns): no time (ingest's 0 when an event has none) or a clock
 * that was never set. Such an event is judged at the latest time, and not learned before
 * the first real time: time-based warm-up measures from it. */
#define WT_BEHAVIOR_MIN_TIME_NS 1000000000000000000LL

struct wt_behavior {
	const struct wt_ruleset *rs;
	struct wt_behavior_opts opts;
	wt_behavior_emit_fn emit;
	void *ctx;
	struct wt_baseline *base;
	unsigned *spec_of;          /* rarity index -> baseline spec index (enabled specs only) */
	int64_t last_snapshot;      /* event time of the last snapshot (0: none yet) */
	int64_t max_time;           /* latest plausible event time (0: none yet) */
	uint32_t skew_run;          /* events in a row more than a day off max_time... */
	int skew_dir;               /* ...ahead (1) or behind (-1) */
	bool dirty;                 /* learned something since the last snapshot */
	struct wt_behavior_stats stats;
	char key[WT_MAX_RARITY_KEY_BYTES];
	uint32_t part_start[WT_MAX_RARITY_KEYS], part_end[WT_MAX_RARITY_KEYS]; /* each part in key */
	struct wt_buf buf;
};

uint64_t wt_behavior_hash(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037ull ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return wt_mix64(h); /* spreads FNV's weak low bits for the tables */
}

/* The baseline for rs's enabled specs, and b->spec_of; NULL on failure (message printed). */
static struct wt_baseline *make_baseline(struct wt_behavior *b, const struct wt_ruleset *rs, unsigned *n_out)
{
	unsigned n = 0;
	struct wt_baseline_spec *specs = wt_xcalloc(rs->n_rarities ? rs->n_rarities : 1, sizeof *specs);
	free(b->spec_of);
	b->spec_of = wt_xcalloc(rs->n_rarities ? rs->n_rarities : 1, sizeof *b->spec_of);
	for (uint32_t i = 0; i < rs->n_rarities; i++) {
		const struct wt_rt_rarity *r = &rs->rarities[i];
		const struct wt_bc_rarity *br = r->bc;
		b->spec_of[i] = UINT32_MAX;
		if (!(br->flags & WT_RULEF_ENABLED))
			continue;
		b->spec_of[i] = n;
		specs[n++] = (struct wt_baseline_spec){
			.name = r->name,
			.ident = br->ident,
			.pop = (enum wt_population)br->population,
			.has_freq = br->thresholds & WT_RARF_FREQ,
			.max_freq = br->max_freq_ppb / 1e9,
			.has_count = br->thresholds & WT_RARF_COUNT,
			.max_count = br->max_count_milli / 1e3,
			.has_spread = br->thresholds & WT_RARF_SPREAD,
			.max_spread = br->max_spread,
			.first_in_workspace = br->thresholds & WT_RARF_FIRST,
			.warmup_events = (uint64_t)r->warmup_events,
			.warmup_ns = r->warmup_ns,
			.halflife_ns = r->halflife,
		};
	}
	char err[512];
	struct wt_baseline *base = wt_baseline_new(specs, n, &b->opts.limits, err, sizeof err);
	free(specs);
	*n_out = n;
	if (!base) {
		/* only reachable with limits too large for memory: the specs come verified */
		fprintf(stderr, "worktraced: behavioral pipeline disabled: %s\n", err);
		base = wt_baseline_new(NULL, 0, NULL, err, sizeof err);
		for (uint32_t i = 0; i < rs->n_rarities; i++)
			b->spec_of[i] = UINT32_MAX;
		*n_out = 0;
	}
	return base;
}

struct wt_behavior *wt_behavior_new(const struct wt_ruleset *rs, const struct wt_behavior_opts *o,
				    wt_behavior_emit_fn emit, void *ctx)
{
	struct wt_behavior *b = wt_xcalloc(1, sizeof *b);
	b->rs = rs;
	b->opts = *o;
	if (b->opts.snapshot_interval_ns <= 0)
		b->opts.snapshot_interval_ns = DEFAULT_SNAPSHOT_INTERVAL;
	b->emit = emit;
	b->ctx = ctx;
	wt_buf_init(&b->buf);
	unsigned n;
	b->base = make_baseline(b, rs, &n);
	if (b->opts.state_dir && n) {
		char msg[512] = "";
		unsigned loaded = 0;
		/* refused or restored, the engine's message says which and why */
		wt_baseline_load(b->base, b->opts.state_dir, &loaded, msg, sizeof msg);
		if (msg[0])
			fprintf(stderr, "worktraced: %s\n", msg);
		b->stats.specs_loaded = loaded;
		/* the baselines' clock goes on from the snapshot's: a first event far off it is a
		 * clock error like any other */
		int64_t now = wt_baseline_now(b->base);
		b->max_time = now >= WT_BEHAVIOR_MIN_TIME_NS ? now : 0;
	}
	return b;
}

void wt_behavior_rebind(struct wt_behavior *b, const struct wt_ruleset *rs, unsigned *kept, unsigned *reset)
{
	unsigned n;
	struct wt_baseline *base = make_baseline(b, rs, &n);
	*kept = wt_baseline_adopt(base, b->base);
	*reset = n - *kept;
	wt_baseline_free(b->base);
	b->base = base;
	b->rs = rs;
	b->dirty = true;
}

static void save(struct wt_behavior *b)
{
	char err[512];
	if (wt_baseline_save(b->base, b->opts.state_dir, err, sizeof err) == WT_OK) {
		b->stats.snapshots++;
		b->dirty = false;
		return;
	}
	/* reported each time: a state directory that cannot be written loses learning */
	b->stats.snapshot_errors++;
	fprintf(stderr, "worktraced: saving the baseline snapshot failed: %s\n", err);
}

static const char *const pop_names[] = {"fleet", "workspace", "image"};

static void json_num(struct wt_buf *o, const char *name, double v)
{
	if (!isfinite(v))
		v = 0;
	if (v == floor(v) && fabs(v) < 1e15)
		wt_buf_printf(o, ",\"%s\":%.0f", name, v);
	else
		wt_buf_printf(o, ",\"%s\":%.6g", name, v);
}

/* The "rarity" member of the threat record: the key (expression -> value), the population
 * and the statistics that made it rare. */
static char *render(struct wt_behavior *b, const struct wt_rt_rarity *r, unsigned n_parts, const char *pop,
		    size_t pop_len, const struct wt_rarity_verdict *v)
{
	struct wt_buf *o = &b->buf;
	const struct wt_bc *bc = &b->rs->bc;
	o->len = 0;
	wt_buf_puts(o, "\"rarity\":{\"key\":{");
	for (unsigned k = 0; k < n_parts; k++) {
		if (k)
			wt_buf_putc(o, ',');
		uint32_t text = r->keys[k].text;
		wt_buf_json_str(o, bc->strings[text], bc->string_len[text], WT_MAX_RARITY_KEY_BYTES);
		wt_buf_putc(o, ':');
		wt_buf_json_str(o, b->key + b->part_start[k], b->part_end[k] - b->part_start[k],
				WT_MAX_RARITY_KEY_BYTES);
	}
	wt_buf_printf(o, "},\"population\":");
	if (r->bc->population == WT_RARITY_POP_FLEET) {
		wt_buf_puts(o, "\"fleet\"");
	} else {
		char tmp[WT_MAX_RARITY_KEY_BYTES + 32];
		int n = snprintf(tmp, sizeof tmp, "%s:%.*s", pop_names[r->bc->population], (int)pop_len, pop);
		wt_buf_json_str(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1, sizeof tmp);
	}
	json_num(o, "count", round(v->count * 1000) / 1000);
	json_num(o, "total", round(v->total * 1000) / 1000);
	wt_buf_printf(o, ",\"frequency\":%.6g", isfinite(v->frequency) ? v->frequency : 0);
	wt_buf_printf(o, ",\"workspaces\":%u%s", v->workspaces, v->workspaces >= WT_SPREAD_MAX ? ",\"workspaces_saturated\":true" : "");
	wt_buf_printf(o, ",\"first_in_workspace\":%s", v->first_in_workspace ? "true" : "false");
	wt_buf_printf(o, ",\"baseline_age_s\":%lld", (long long)(v->baseline_age_ns / 1000000000LL));
	wt_buf_printf(o, ",\"population_events\":%llu", (unsigned long long)v->population_events);
	wt_buf_printf(o, ",\"score\":%.2f}", isfinite(v->score) ? v->score : 0);
	return wt_xstrndup(o->p, o->len);
}

/* The event's populations, computed once per event for every spec. */
struct pops {
	const char *ws, *img;
	size_t ws_len, img_len;
	uint64_t ws_hash, ws_pop, img_pop;
};

static void populations(const struct wt_event *ev, struct pops *p)
{
	p->ws = wt_event_str(ev, ev->ws_id);
	p->ws_len = ev->ws_id.len;
	struct wt_value img;
	wt_event_get(ev, WT_F_CONTAINER_IMAGE, &img);
	p->img = img.present ? img.s : "<no image>";
	p->img_len = img.present ? img.len : 10;
	p->ws_hash = wt_behavior_hash(p->ws, p->ws_len, 2);
	p->ws_pop = wt_behavior_hash(p->ws, p->ws_len, 1);
	p->img_pop = wt_behavior_hash(p->img, p->img_len, 1);
}

static uint64_t pop_hash(const struct wt_bc_rarity *br, const struct pops *p)
{
	return br->population == WT_RARITY_POP_WORKSPACE ? p->ws_pop :
	       br->population == WT_RARITY_POP_IMAGE ? p->img_pop : 0;
}

static void run_spec(struct wt_behavior *b, struct wt_vm *vm, const struct wt_rt_rarity *r, unsigned spec,
		     struct wt_event *ev, const struct pops *p, int64_t t)
{
	const struct wt_bc_rarity *br = r->bc;
	b->stats.evaluated++;
	if (!wt_vm_run_code(vm, b->rs, br->code, ev, NULL))
		return;
	b->stats.learned++;
	/* the key: its parts' texts joined by 0x1f, cut at cap bytes (len never passes cap:
	 * the VM appends at most cap - len bytes) */
	size_t len = 0, cap = sizeof b->key - 1;
	unsigned n = br->key_n;
	for (unsigned k = 0; k < n; k++) {
		if (k && len < cap)
			b->key[len++] = '\x1f';
		b->part_start[k] = (uint32_t)len;
		wt_vm_key(vm, b->rs, r->keys[k].code, ev, b->key, cap, &len);
		b->part_end[k] = (uint32_t)len;
	}
	if (len >= cap)
		b->stats.keys_truncated++;
	uint64_t key = wt_behavior_hash(b->key, len, br->ident);
	struct wt_rarity_verdict v;
	wt_baseline_observe(b->base, spec, key, pop_hash(br, p), p->ws_hash, t, &v);
	b->dirty = true;
	if (!v.warm) {
		b->stats.warming++;
		return;
	}
	if (!v.rare)
		return;
	if (br->except_len && wt_vm_run_code(vm, b->rs, br->except_code, ev, NULL)) {
		b->stats.excepted++;
		return;
	}
	b->stats.flagged++;
	const char *pop = br->population == WT_RARITY_POP_WORKSPACE ? p->ws : p->img;
	size_t pop_len = br->population == WT_RARITY_POP_WORKSPACE ? p->ws_len : p->img_len;
	char *extra = render(b, r, n, pop, pop_len, &v);
	b->emit(b->ctx, r, ev, extra, wt_behavior_hash(&key, sizeof key, p->ws_hash));
}

void wt_behavior_event(struct wt_behavior *b, struct wt_vm *vm, struct wt_event *ev)
{
	const struct wt_ruleset *rs = b->rs;
	/* one far-future timestamp would age every baseline at once, one far-past timestamp
	 * would make every population look old (warm at once): such an event is judged at the
	 * latest plausible time instead */
	int64_t t = ev->time;
	int dir = 0; /* both >= 0 (max_time from a snapshot too): the differences fit in a u64 */
	if (t >= WT_BEHAVIOR_MIN_TIME_NS && b->max_time)
		dir = t > b->max_time && (uint64_t)t - (uint64_t)b->max_time > WT_BEHAVIOR_MAX_SKEW_NS ? 1 :
		      t < b->max_time && (uint64_t)b->max_time - (uint64_t)t > WT_BEHAVIOR_MAX_SKEW_NS ? -1 : 0;
	b->skew_run = dir && dir == b->skew_dir ? b->skew_run + 1 : dir ? 1 : 0;
	b->skew_dir = dir;
	if (t < WT_BEHAVIOR_MIN_TIME_NS || (dir && b->skew_run < WT_BEHAVIOR_SKEW_RUN)) {
		b->stats.clock_skew++;
		if (!b->max_time)
			return; /* no real time yet to judge it at */
		t = b->max_time;
	} else if (dir) {
		/* the stream stayed there: follow it */
		b->skew_run = 0;
		b->skew_dir = 0;
		if (dir < 0) {
			wt_baseline_rewind(b->base, t);
			b->max_time = t;
			b->last_snapshot = t;
		}
	}
	struct pops p;
	populations(ev, &p);
	uint32_t kind_bit = 1u << ev->kind;
	for (uint32_t i = 0; i < rs->n_rarities; i++) {
		const struct wt_rt_rarity *r = &rs->rarities[i];
		if (b->spec_of[i] == UINT32_MAX)
			continue;
		/* every event ages its populations, matching or not (time-based warm-up) */
		wt_baseline_touch(b->base, b->spec_of[i], pop_hash(r->bc, &p), t);
		if (r->bc->kinds & kind_bit)
			run_spec(b, vm, r, b->spec_of[i], ev, &p, t);
	}
	if (t > b->max_time)
		b->max_time = t;
	if (!b->opts.state_dir)
		return;
	if (!b->last_snapshot) {
		b->last_snapshot = b->max_time;
	} else if (b->dirty && b->max_time - b->last_snapshot >= b->opts.snapshot_interval_ns) {
		b->last_snapshot = b->max_time;
		save(b);
	}
}

void wt_behavior_flush(struct wt_behavior *b)
{
	if (b->opts.state_dir && b->dirty)
		save(b);
}

const struct wt_behavior_stats *wt_behavior_stats(struct wt_behavior *b)
{
	wt_baseline_stats(b->base, &b->stats.baseline);
	return &b->stats;
}

void wt_behavior_free(struct wt_behavior *b)
{
	if (!b)
		return;
	wt_baseline_free(b->base);
	wt_buf_free(&b->buf);
	free(b->spec_of);
	free(b);
}
