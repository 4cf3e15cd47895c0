/* Unit tests of the behavioral baseline engine (runtime/baseline.c): warm-up, populations,
 * thresholds, firsts, decay and rescaling, eviction at the bounds, and the snapshot file:
 * round trip, spec matching, smaller limits, and every truncation and byte flips refused. */
#include "helpers.h"
#include "baseline.h"
#include "baseline_int.h"
#include "bytecode.h"
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NS 1000000000LL
#define HOUR (3600 * NS)
#define T0 (1762768800LL * NS) /* 2025-11-10T10:00:00Z */

static struct wt_baseline *mk(const struct wt_baseline_spec *specs, unsigned n, const struct wt_baseline_limits *lim)
{
	char err[256] = "";
	struct wt_baseline *b = wt_baseline_new(specs, n, lim, err, sizeof err);
	if (!b)
		fail_msg("wt_baseline_new: %s", err);
	return b;
}

static struct wt_rarity_verdict obs(struct wt_baseline *b, unsigned spec, uint64_t key, uint64_t pop, uint64_t ws,
				    int64_t t)
{
	struct wt_rarity_verdict v;
	wt_baseline_observe(b, spec, key, pop, ws, t, &v);
	return v;
}

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static char *tmpdir(void)
{
	char *d = strdup("/tmp/wt-baseline-XXXXXX");
	assert_non_null(mkdtemp(d));
	return d;
}

static void rmtree(char *d)
{
	DIR *dir = opendir(d);
	if (dir) {
		struct dirent *e;
		char p[4096];
		while ((e = readdir(dir)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(p, sizeof p, "%s/%s", d, e->d_name);
				if (remove(p) != 0)
					rmdir(p);
			}
		closedir(dir);
	}
	rmdir(d);
	free(d);
}

static uint8_t *slurp(const char *dir, size_t *len)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, WT_BASELINE_FILE);
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *d = malloc(*len + 1);
	assert_int_equal(fread(d, 1, *len, f), *len);
	fclose(f);
	return d;
}

static void spit(const char *dir, const uint8_t *d, size_t len)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, WT_BASELINE_FILE);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(d, 1, len, f), len);
	fclose(f);
}

static void assert_close(double a, double b)
{
	double tol = 1e-9 * (fabs(a) > fabs(b) ? fabs(a) : fabs(b)) + 1e-12;
	if (fabs(a - b) > tol)
		fail_msg("%.17g != %.17g", a, b);
}

static void assert_same_verdict(const struct wt_rarity_verdict *a, const struct wt_rarity_verdict *b)
{
	assert_int_equal(a->warm, b->warm);
	assert_int_equal(a->rare, b->rare);
	assert_int_equal(a->workspaces, b->workspaces);
	assert_int_equal(a->first_in_workspace, b->first_in_workspace);
	assert_int_equal(a->baseline_age_ns, b->baseline_age_ns);
	assert_int_equal(a->population_events, b->population_events);
	assert_close(a->count, b->count);
	assert_close(a->total, b->total);
	assert_close(a->frequency, b->frequency);
	assert_close(a->score, b->score);
}

/* ------------------------------------------------------------------------------------------ */

static void test_new_key_rare_after_warmup(void **state)
{
	(void)state;
	struct wt_baseline_spec sp = {.name = "r", .ident = 1, .pop = WT_POP_FLEET, .has_count = true,
				      .max_count = 1, .warmup_events = 100};
	struct wt_baseline *b = mk(&sp, 1, NULL);
	struct wt_rarity_verdict v;
	for (int i = 0, n = 0; i < 99; i++) { /* 99 events of key 1, one of key 42 */
		v = obs(b, 0, 1, 0, (uint64_t)i % 5, T0 + i * NS);
		assert_false(v.warm);
		assert_false(v.rare);
		assert_int_equal(v.population_events, n++);
		if (i == 50) {
			n++;
			v = obs(b, 0, 42, 0, 1, T0 + i * NS); /* new key before warm-up: not flagged */
			assert_false(v.warm);
			assert_false(v.rare);
			assert_true(v.count == 0);
		}
	}
	v = obs(b, 0, 43, 0, 1, T0 + 200 * NS);
	assert_true(v.warm);
	assert_true(v.rare);
	assert_true(v.count == 0);
	assert_true(v.total == 100);
	assert_int_equal(v.population_events, 100);
	assert_close(v.score, log2(102.0)); /* p = (0 + 1) / (100 + 2) */
	v = obs(b, 0, 43, 0, 1, T0 + 201 * NS);
	assert_true(v.warm);
	assert_false(v.rare); /* count 1 is not < 1 */
	assert_true(v.count == 1);
	v = obs(b, 0, 1, 0, 1, T0 + 202 * NS);
	assert_false(v.rare);
	assert_true(v.count == 99);
	assert_close(v.frequency, 99.0 / 102);
	assert_close(v.score, -log2(100.0 / 104));
	wt_baseline_free(b);
}

static void test_warmup_events_or_time(void **state)
{
	(void)state;
	struct wt_baseline_spec sp[3] = {
		{.name = "slow", .ident = 1, .has_count = true, .max_count = 1, .warmup_events = 1000, .warmup_ns = HOUR},
		{.name = "fast", .ident = 2, .has_count = true, .max_count = 1, .warmup_events = 10, .warmup_ns = HOUR},
		{.name = "none", .ident = 3, .has_count = true, .max_count = 1},
	};
	struct wt_baseline *b = mk(sp, 3, NULL);
	struct wt_rarity_verdict v = obs(b, 2, 9, 0, 1, T0);
	assert_true(v.warm); /* neither condition given: warm at once */
	assert_true(v.rare);
	for (int i = 0; i < 20; i++) {
		struct wt_rarity_verdict s = obs(b, 0, 1, 0, 1, T0 + i * NS);
		struct wt_rarity_verdict f = obs(b, 1, 1, 0, 1, T0 + i * NS);
		assert_false(s.warm);
		assert_int_equal(f.warm, i >= 10); /* 10 events before: warm by events */
	}
	v = obs(b, 1, 77, 0, 1, T0 + 30 * NS);
	assert_true(v.rare);
	v = obs(b, 0, 77, 0, 1, T0 + HOUR - 1);
	assert_false(v.warm);
	assert_int_equal(v.baseline_age_ns, HOUR - 1);
	v = obs(b, 0, 78, 0, 1, T0 + HOUR);
	assert_true(v.warm); /* 21 events, but an hour old: warm by time */
	assert_true(v.rare);
	assert_int_equal(v.baseline_age_ns, HOUR);
	assert_int_equal(v.population_events, 21);
	wt_baseline_free(b);
}

static void test_image_populations_warm_separately(void **state)
{
	(void)state;
	struct wt_baseline_spec sp[2] = {
		{.name = "img", .ident = 1, .pop = WT_POP_IMAGE, .has_count = true, .max_count = 1, .warmup_events = 10},
		{.name = "fleet", .ident = 2, .pop = WT_POP_FLEET, .has_count = true, .max_count = 1, .warmup_events = 10},
	};
	struct wt_baseline *b = mk(sp, 2, NULL);
	for (int i = 0; i < 10; i++) {
		obs(b, 0, 1, 100, 1, T0 + i * NS);
		obs(b, 1, 1, 100, 1, T0 + i * NS);
	}
	struct wt_rarity_verdict v = obs(b, 0, 1, 100, 1, T0 + 10 * NS);
	assert_true(v.warm);
	assert_false(v.rare);
	assert_true(v.count == 10);
	v = obs(b, 0, 2, 100, 1, T0 + 11 * NS);
	assert_true(v.rare);
	/* a new image has no baseline yet: the same key there is neither counted nor flagged */
	v = obs(b, 0, 1, 200, 1, T0 + 12 * NS);
	assert_false(v.warm);
	assert_false(v.rare);
	assert_true(v.count == 0);
	assert_int_equal(v.population_events, 0);
	assert_int_equal(v.baseline_age_ns, 0);
	for (int i = 0; i < 9; i++)
		obs(b, 0, 1, 200, 1, T0 + (13 + i) * NS);
	v = obs(b, 0, 3, 200, 1, T0 + 30 * NS);
	assert_true(v.warm);
	assert_true(v.rare);
	v = obs(b, 0, 1, 200, 1, T0 + 31 * NS);
	assert_true(v.count == 10); /* image 200 only */
	assert_true(v.total == 11);
	/* the fleet has one population whatever pop_hash says */
	v = obs(b, 1, 1, 999, 1, T0 + 32 * NS);
	assert_int_equal(v.population_events, 10);
	assert_true(v.count == 10);
	struct wt_baseline_stats st;
	wt_baseline_spec_stats(b, 1, &st);
	assert_int_equal(st.populations, 1);
	wt_baseline_spec_stats(b, 0, &st);
	assert_int_equal(st.populations, 2);
	wt_baseline_free(b);
}

static void test_frequency_threshold(void **state)
{
	(void)state;
	struct wt_baseline_spec sp = {.name = "f", .ident = 1, .has_freq = true, .max_freq = 0.1};
	struct wt_baseline *b = mk(&sp, 1, NULL);
	for (int i = 0; i < 90; i++)
		obs(b, 0, 1, 0, 1, T0 + i);
	for (int i = 0; i < 9; i++)
		obs(b, 0, 2, 0, 1, T0 + 100 + i);
	struct wt_rarity_verdict v = obs(b, 0, 2, 0, 1, T0 + 200);
	assert_true(v.count == 9 && v.total == 99);
	assert_close(v.frequency, 9.0 / 99);
	assert_true(v.rare);
	v = obs(b, 0, 2, 0, 1, T0 + 201);
	assert_close(v.frequency, 0.1);
	assert_false(v.rare); /* strict < */
	v = obs(b, 0, 1, 0, 1, T0 + 202);
	assert_false(v.rare);
	wt_baseline_free(b);
}

static void test_count_threshold(void **state)
{
	(void)state;
	struct wt_baseline_spec sp = {.name = "c", .ident = 1, .has_count = true, .max_count = 3};
	struct wt_baseline *b = mk(&sp, 1, NULL);
	for (int i = 0; i < 3; i++)
		assert_true(obs(b, 0, 5, 0, (uint64_t)i, T0 + i).rare);
	struct wt_rarity_verdict v = obs(b, 0, 5, 0, 9, T0 + 10);
	assert_true(v.count == 3);
	assert_false(v.rare);
	wt_baseline_free(b);
}

static void test_spread_threshold(void **state)
{
	(void)state;
	struct wt_baseline_spec sp = {.name = "s", .ident = 1, .has_spread = true, .max_spread = 3};
	struct wt_baseline *b = mk(&sp, 1, NULL);
	obs(b, 0, 5, 0, 101, T0);
	for (int i = 0; i < 50; i++) /* the same workspace again and again does not spread it */
		assert_int_equal(obs(b, 0, 5, 0, 101, T0 + 1 + i).workspaces, 1);
	obs(b, 0, 5, 0, 102, T0 + 100);
	struct wt_rarity_verdict v = obs(b, 0, 5, 0, 103, T0 + 101);
	assert_int_equal(v.workspaces, 2);
	assert_true(v.rare);
	v = obs(b, 0, 5, 0, 104, T0 + 102);
	assert_int_equal(v.workspaces, 3);
	assert_false(v.rare);
	for (int i = 0; i < 20; i++)
		obs(b, 0, 5, 0, 200 + (uint64_t)i, T0 + 200 + i);
	v = obs(b, 0, 5, 0, 999, T0 + 300);
	assert_int_equal(v.workspaces, WT_SPREAD_MAX); /* saturates */
	struct wt_baseline_spec bad = sp;
	bad.max_spread = WT_SPREAD_MAX + 1;
	char err[256];
	assert_null(wt_baseline_new(&bad, 1, NULL, err, sizeof err));
	assert_non_null(strstr(err, "max_spread"));
	wt_baseline_free(b);
}

static void test_combined_thresholds(void **state)
{
	(void)state;
	struct wt_baseline_spec sp = {.name = "all", .ident = 1, .has_freq = true, .max_freq = 0.05, .has_count = true,
				      .max_count = 5, .has_spread = true, .max_spread = 2};
	struct wt_baseline *b = mk(&sp, 1, NULL);
	for (int i = 0; i < 100; i++)
		obs(b, 0, 1, 0, (uint64_t)i % 10, T0 + i);
	/* key 2: seen once by ws 1: rare on every count */
	obs(b, 0, 2, 0, 1, T0 + 200);
	assert_true(obs(b, 0, 2, 0, 1, T0 + 201).rare);
	/* a second workspace breaks the spread threshold alone (freq 2/102, count 2 still low) */
	obs(b, 0, 2, 0, 2, T0 + 202);
	struct wt_rarity_verdict v = obs(b, 0, 2, 0, 1, T0 + 203);
	assert_true(v.frequency < 0.05 && v.count < 5);
	assert_int_equal(v.workspaces, 2);
	assert_false(v.rare);
	/* key 3 from one workspace, 5 times: count breaks it though frequency and spread hold */
	for (int i = 0; i < 5; i++)
		obs(b, 0, 3, 0, 7, T0 + 300 + i);
	v = obs(b, 0, 3, 0, 7, T0 + 310);
	assert_true(v.frequency < 0.05);
	assert_int_equal(v.workspaces, 1);
	assert_false(v.rare);
	/* frequency alone breaks it: a key that is most of a small population */
	struct wt_baseline *c = mk(&sp, 1, NULL);
	obs(c, 0, 4, 0, 1, T0);
	v = obs(c, 0, 4, 0, 1, T0 + 1);
	assert_true(v.count == 1 && v.workspaces == 1);
	assert_false(v.rare);
	wt_baseline_free(c);
	wt_baseline_free(b);
}

static void test_first_in_workspace(void **state)
{
	(void)state;
	struct wt_baseline_spec sp[2] = {
		{.name = "first", .ident = 1, .pop = WT_POP_IMAGE, .first_in_workspace = true},
		{.name = "count", .ident = 2, .has_count = true, .max_count = 1},
	};
	struct wt_baseline *b = mk(sp, 2, NULL);
	struct wt_rarity_verdict v = obs(b, 0, 1, 10, 100, T0);
	assert_true(v.first_in_workspace && v.rare);
	v = obs(b, 0, 1, 10, 100, T0 + 1);
	assert_false(v.first_in_workspace);
	assert_false(v.rare);
	v = obs(b, 0, 1, 10, 101, T0 + 2); /* another workspace */
	assert_true(v.first_in_workspace && v.rare);
	v = obs(b, 0, 1, 11, 100, T0 + 3); /* same workspace, other image: another population */
	assert_true(v.first_in_workspace);
	v = obs(b, 0, 2, 10, 100, T0 + 4); /* other key */
	assert_true(v.first_in_workspace);
	/* not tracked by a spec that does not ask for it */
	assert_false(obs(b, 1, 1, 0, 100, T0).first_in_workspace);
	struct wt_baseline_stats st;
	wt_baseline_spec_stats(b, 0, &st);
	assert_int_equal(st.firsts, 4);
	wt_baseline_spec_stats(b, 1, &st);
	assert_int_equal(st.firsts, 0);
	wt_baseline_free(b);
}

static void test_decay_and_out_of_order(void **state)
{
	(void)state;
	struct wt_baseline_spec sp = {.name = "d", .ident = 1, .has_count = true, .max_count = 1, .halflife_ns = HOUR};
	struct wt_baseline *b = mk(&sp, 1, NULL);
	for (int i = 0; i < 100; i++)
		obs(b, 0, 1, 0, 1, T0);
	struct wt_rarity_verdict v = obs(b, 0, 1, 0, 1, T0 + 10 * HOUR);
	assert_close(v.count, 100.0 / 1024); /* 10 half-lives later: ~0.1 */
	assert_close(v.total, 100.0 / 1024);
	assert_true(v.rare);
	/* a late event is judged at the latest time seen and adds its own, smaller weight */
	v = obs(b, 0, 1, 0, 1, T0 + 5 * HOUR);
	assert_close(v.count, 100.0 / 1024 + 1);
	v = obs(b, 0, 1, 0, 1, T0 + 10 * HOUR);
	assert_close(v.count, 100.0 / 1024 + 1 + 1.0 / 32);
	/* an absurdly old one changes nothing and breaks nothing */
	obs(b, 0, 1, 0, 1, 0);
	obs(b, 0, 1, 0, 1, INT64_MIN);
	v = obs(b, 0, 1, 0, 1, T0 + 10 * HOUR);
	assert_close(v.count, 100.0 / 1024 + 2 + 1.0 / 32);
	assert_true(isfinite(v.score) && v.score > 0);
	assert_int_equal(v.population_events, 105);
	wt_baseline_free(b);
}

static void test_rescale(void **state)
{
	(void)state;
	struct wt_baseline_spec sp = {.name = "d", .ident = 1, .has_count = true, .max_count = 1, .halflife_ns = NS};
	struct wt_baseline *b = mk(&sp, 1, NULL);
	obs(b, 0, 1, 0, 1, T0);
	struct wt_rarity_verdict v = obs(b, 0, 1, 0, 1, T0 + 300 * NS); /* 2^300: past the rescale point */
	assert_true(v.count < 1e-80);
	struct wt_baseline_stats st;
	wt_baseline_stats(b, &st);
	assert_int_equal(st.rescales, 1);
	v = obs(b, 0, 1, 0, 1, T0 + 301 * NS);
	assert_close(v.count, 0.5);
	/* a key seen every half-life: just before each event its count is 1/2 + 1/4 + ... = 1 */
	for (int i = 0; i < 3000; i++)
		v = obs(b, 0, 2, 0, 1, T0 + (400 + i) * NS);
	assert_close(v.count, 1);
	wt_baseline_stats(b, &st);
	assert_true(st.rescales >= 11);
	/* and a jump of 2^62 half-lives leaves everything finite */
	v = obs(b, 0, 2, 0, 1, INT64_MAX);
	assert_true(v.count == 0 && v.total == 0 && v.score == 1);
	v = obs(b, 0, 2, 0, 1, INT64_MAX);
	assert_close(v.count, 1);
	wt_baseline_free(b);
}

/* A baseline whose clock ran 74 years ahead (a first event or a snapshot dated 2100) took no
 * weight from real events any more: every key stayed at count ~0, rare for ever (found by
 * the hostile test). Rewound to the real time it keeps what it knew, decayed to its latest
 * time, and counts real events at full weight again. */
static void test_rewind(void **state)
{
	(void)state;
	const int64_t later = T0 + 74LL * 365 * 24 * HOUR;
	struct wt_baseline_spec sp = {.name = "d", .ident = 1, .has_count = true, .max_count = 3, .halflife_ns = HOUR,
				      .warmup_ns = 2 * HOUR};
	struct wt_baseline *b = mk(&sp, 1, NULL);
	assert_int_equal(wt_baseline_now(b), 0);
	for (int i = 0; i < 8; i++)
		obs(b, 0, 1, 0, 1, later);
	obs(b, 0, 1, 0, 1, later + HOUR); /* the 8 decay to 4 */
	assert_int_equal(wt_baseline_now(b), later + HOUR);
	struct wt_rarity_verdict v = obs(b, 0, 2, 0, 1, T0);
	assert_true(v.count == 0);
	v = obs(b, 0, 2, 0, 1, T0);
	assert_true(v.count < 1e-200); /* no weight: rare for ever */
	wt_baseline_rewind(b, T0);
	assert_int_equal(wt_baseline_now(b), T0);
	v = obs(b, 0, 1, 0, 1, T0);
	assert_close(v.count, 5);     /* 8 / 2 + 1, as it was at its latest time */
	assert_close(v.total, 5);
	assert_int_equal(v.baseline_age_ns, 0); /* first seen brought to T0, not 74 years ahead */
	assert_false(v.warm);
	obs(b, 0, 3, 0, 1, T0);
	obs(b, 0, 3, 0, 1, T0);
	v = obs(b, 0, 3, 0, 1, T0);
	assert_close(v.count, 2); /* real events count again */
	v = obs(b, 0, 3, 0, 1, T0 + 2 * HOUR);
	assert_true(v.warm);
	assert_close(v.count, 3.0 / 4);
	/* a spec already at or before t is left alone */
	wt_baseline_rewind(b, T0 + 3 * HOUR);
	assert_int_equal(wt_baseline_now(b), T0 + 2 * HOUR);
	wt_baseline_free(b);

	/* remembered (workspace, key) pairs seen "in 2100" must not outlive every real one */
	struct wt_baseline_spec fp = {.name = "f", .ident = 1, .first_in_workspace = true};
	struct wt_baseline_limits lim = {.firsts_per_spec = 2};
	b = mk(&fp, 1, &lim);
	obs(b, 0, 1, 0, 101, later);
	obs(b, 0, 1, 0, 102, later);
	wt_baseline_rewind(b, T0);
	assert_true(obs(b, 0, 1, 0, 103, T0 + NS).first_in_workspace);      /* forgets one of 2100's */
	assert_true(obs(b, 0, 1, 0, 104, T0 + 2 * NS).first_in_workspace);  /* forgets the other */
	assert_false(obs(b, 0, 1, 0, 103, T0 + 3 * NS).first_in_workspace); /* the real ones stay */
	wt_baseline_free(b);
}

static void test_eviction_at_the_bounds(void **state)
{
	(void)state;
	struct wt_baseline_spec sp = {.name = "e", .ident = 1, .pop = WT_POP_IMAGE, .has_count = true, .max_count = 2,
				      .first_in_workspace = true};
	struct wt_baseline_limits lim = {.keys_per_spec = 16, .firsts_per_spec = 8, .populations_per_spec = 4};
	struct wt_baseline *b = mk(&sp, 1, &lim);
	for (int i = 0; i < 100; i++)
		obs(b, 0, 1, 1, 1, T0 + i);
	for (int i = 0; i < 1000; i++)
		obs(b, 0, 1000 + (uint64_t)i, 1, (uint64_t)i % 3, T0 + 1000 + i);
	for (int i = 0; i < 10; i++)
		obs(b, 0, 5, 50 + (uint64_t)i, 1, T0 + 3000 + i);
	struct wt_baseline_stats st;
	wt_baseline_stats(b, &st);
	assert_int_equal(st.keys, 16);
	assert_int_equal(st.key_evictions, 1 + 1000 + 10 - 16);
	assert_int_equal(st.populations, 4);
	assert_int_equal(st.population_evictions, 1 + 10 - 4);
	assert_int_equal(st.firsts, 8);
	assert_true(st.first_evictions > 1000);
	/* the hot key and the hot population kept their counts */
	struct wt_rarity_verdict v = obs(b, 0, 1, 1, 1, T0 + 4000);
	assert_true(v.count == 100);
	assert_int_equal(v.population_events, 1100);
	/* and it keeps working: a key just added is found again */
	for (int i = 0; i < 500; i++) {
		obs(b, 0, 5000 + (uint64_t)i, 1, 1, T0 + 5000 + i);
		v = obs(b, 0, 5000 + (uint64_t)i, 1, 1, T0 + 5000 + i);
		assert_true(v.count == 1);
		assert_false(v.first_in_workspace);
	}
	/* a few hot keys survive a flood in a bigger table */
	struct wt_baseline_limits lim2 = {.keys_per_spec = 64};
	struct wt_baseline *c = mk(&sp, 1, &lim2);
	for (int i = 0; i < 4000; i++)
		obs(c, 0, 1 + (uint64_t)i % 4, 1, 1, T0 + i);
	for (int i = 0; i < 20000; i++)
		obs(c, 0, rnd() | 1ull << 40, 1, 1, T0 + 4000 + i);
	for (uint64_t k = 1; k <= 4; k++)
		assert_true(obs(c, 0, k, 1, 1, T0 + 30000).count == 1000);
	wt_baseline_stats(c, &st);
	assert_int_equal(st.keys, 64);
	assert_int_equal(st.key_evictions, 20000 + 4 - 64);
	wt_baseline_free(c);
	wt_baseline_free(b);
}

/* White-box: every live entry of every table is found where it is, and the live count is
 * the number of occupied slots. */
static void check_table(const struct wt_bl_table *t)
{
	uint32_t used = 0;
	for (uint32_t i = 0; t->slot && i < t->cap; i++) {
		uint64_t k = wt_bl_key_at(t, i);
		if (!k)
			continue;
		used++;
		bool found;
		assert_int_equal(wt_bl_find(t, k, &found), i);
		assert_true(found);
	}
	assert_int_equal(used, t->live);
	assert_true(t->live <= t->lim && t->lim < t->cap);
}

static void test_tables_stay_consistent(void **state)
{
	(void)state;
	struct wt_baseline_spec sp = {.name = "t", .ident = 1, .pop = WT_POP_IMAGE, .has_count = true, .max_count = 2,
				      .first_in_workspace = true, .halflife_ns = 5 * NS};
	struct wt_baseline_limits lim = {.keys_per_spec = 100, .firsts_per_spec = 37, .populations_per_spec = 5};
	struct wt_baseline *b = mk(&sp, 1, &lim);
	rng_state = 99;
	for (int i = 0; i < 60000; i++) {
		uint64_t r = rnd();
		uint64_t key = r % 5 ? r % 150 : rnd(); /* a recurring set and a stream of new keys */
		obs(b, 0, key, rnd() % 7, rnd() % 11, T0 + (int64_t)i * NS / 10 - (int64_t)(rnd() % 3) * NS);
		if (i % 997 == 0) {
			check_table(&b->s[0].keys);
			check_table(&b->s[0].pops);
			check_table(&b->s[0].firsts);
		}
	}
	struct wt_baseline_stats st;
	wt_baseline_stats(b, &st);
	assert_int_equal(st.keys, 100);
	assert_int_equal(st.populations, 5);
	assert_int_equal(st.firsts, 37);
	assert_true(st.key_evictions > 1000 && st.population_evictions > 0 && st.first_evictions > 1000);
	assert_true(st.rescales > 0);
	wt_baseline_free(b);
}

static void test_invalid_specs(void **state)
{
	(void)state;
	char err[256];
	struct wt_baseline_spec ok = {.name = "a", .ident = 1, .has_count = true, .max_count = 1};
	struct wt_baseline_spec two[2] = {ok, ok};
	assert_null(wt_baseline_new(two, 2, NULL, err, sizeof err));
	assert_non_null(strstr(err, "twice"));
	struct wt_baseline_spec none = {.name = "a"};
	assert_null(wt_baseline_new(&none, 1, NULL, err, sizeof err));
	assert_non_null(strstr(err, "no rarity threshold"));
	struct wt_baseline_spec nan_freq = {.name = "a", .has_freq = true, .max_freq = NAN};
	assert_null(wt_baseline_new(&nan_freq, 1, NULL, err, sizeof err));
	struct wt_baseline_spec noname = ok;
	noname.name = "";
	assert_null(wt_baseline_new(&noname, 1, NULL, err, sizeof err));
	struct wt_baseline_limits huge = {.keys_per_spec = WT_MAX_BASELINE_TABLE + 1};
	assert_null(wt_baseline_new(&ok, 1, &huge, err, sizeof err));
	/* 56-byte key slots, ceil(1.25 x limit) + 1 of them; one fleet population */
	struct wt_baseline_limits lim = {.keys_per_spec = 1000};
	struct wt_baseline *b = mk(&ok, 1, &lim);
	struct wt_baseline_stats st;
	wt_baseline_stats(b, &st);
	assert_int_equal(st.bytes, 1251 * 56 + 3 * 32);
	assert_int_equal(wt_baseline_spec_count(b), 1);
	assert_int_equal(wt_baseline_spec_index(b, "a"), 0);
	assert_int_equal(wt_baseline_spec_index(b, "b"), -1);
	assert_string_equal(wt_baseline_spec_name(b, 0), "a");
	struct wt_rarity_verdict v = obs(b, 7, 1, 0, 0, T0); /* spec out of range: zeroed */
	assert_false(v.warm || v.rare);
	assert_true(v.score == 0);
	wt_baseline_free(b);
	b = mk(NULL, 0, NULL);
	assert_int_equal(wt_baseline_spec_count(b), 0);
	wt_baseline_free(b);
}

/* Snapshots ---------------------------------------------------------------------------------- */

static const struct wt_baseline_spec snap_specs[3] = {
	{.name = "fleet-decay", .ident = 11, .pop = WT_POP_FLEET, .has_freq = true, .max_freq = 0.01, .has_spread = true,
	 .max_spread = 3, .warmup_events = 500, .halflife_ns = 2 * HOUR},
	{.name = "image-first", .ident = 22, .pop = WT_POP_IMAGE, .has_count = true, .max_count = 2,
	 .first_in_workspace = true, .warmup_events = 50},
	{.name = "ws-time", .ident = 33, .pop = WT_POP_WORKSPACE, .has_count = true, .max_count = 3,
	 .warmup_ns = 20 * 60 * NS},
};

struct ev {
	unsigned spec;
	uint64_t key, pop, ws;
	int64_t t;
};

static struct ev gen(uint64_t i)
{
	struct ev e;
	e.spec = (unsigned)(rnd() % 3);
	uint64_t r = rnd();
	e.key = (r % 7 == 0) ? rnd() % 5000 : r % 40; /* a few common keys and a long tail */
	e.ws = rnd() % 30;
	e.pop = e.spec == 2 ? e.ws : rnd() % 4;
	e.t = T0 + (int64_t)i * NS - (int64_t)(rnd() % 3) * NS; /* slightly out of order */
	return e;
}

static void feed(struct wt_baseline *b, uint64_t from, uint64_t n)
{
	rng_state = 0x9e3779b97f4a7c15ull ^ from;
	for (uint64_t i = from; i < from + n; i++) {
		struct ev e = gen(i);
		struct wt_rarity_verdict v;
		wt_baseline_observe(b, e.spec, e.key, e.pop, e.ws, e.t, &v);
	}
}

static void test_save_load_round_trip(void **state)
{
	(void)state;
	char *dir = tmpdir();
	char msg[1024];
	struct wt_baseline *a = mk(snap_specs, 3, NULL);
	feed(a, 0, 6000);
	assert_int_equal(wt_baseline_save(a, dir, msg, sizeof msg), WT_OK);
	struct wt_baseline *b = mk(snap_specs, 3, NULL);
	unsigned loaded = 99;
	assert_int_equal(wt_baseline_load(b, dir, &loaded, msg, sizeof msg), WT_OK);
	assert_int_equal(loaded, 3);
	assert_non_null(strstr(msg, "restored 3 of 3"));
	struct wt_baseline_stats sa, sb;
	for (unsigned s = 0; s < 3; s++) {
		wt_baseline_spec_stats(a, s, &sa);
		wt_baseline_spec_stats(b, s, &sb);
		assert_int_equal(sa.keys, sb.keys);
		assert_int_equal(sa.populations, sb.populations);
		assert_int_equal(sa.firsts, sb.firsts);
		assert_true(sa.keys > 10);
	}
	/* the same events now give the same verdicts, rare ones included */
	rng_state = 77;
	unsigned rare = 0, firsts = 0;
	for (uint64_t i = 6000; i < 9000; i++) {
		struct ev e = gen(i);
		struct wt_rarity_verdict va, vb;
		wt_baseline_observe(a, e.spec, e.key, e.pop, e.ws, e.t, &va);
		wt_baseline_observe(b, e.spec, e.key, e.pop, e.ws, e.t, &vb);
		assert_same_verdict(&va, &vb);
		rare += va.rare;
		firsts += va.rare && va.first_in_workspace;
	}
	assert_true(rare > 10);
	assert_true(firsts > 0);
	/* saving twice over the same file is fine; no temporary file is left behind */
	assert_int_equal(wt_baseline_save(b, dir, msg, sizeof msg), WT_OK);
	assert_int_equal(wt_baseline_save(b, dir, msg, sizeof msg), WT_OK);
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned files = 0;
	while ((de = readdir(d)))
		files += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	assert_int_equal(files, 1);
	/* an empty baseline round-trips too */
	struct wt_baseline *e = mk(snap_specs, 3, NULL);
	assert_int_equal(wt_baseline_save(e, dir, msg, sizeof msg), WT_OK);
	struct wt_baseline *f = mk(snap_specs, 3, NULL);
	assert_int_equal(wt_baseline_load(f, dir, &loaded, msg, sizeof msg), WT_OK);
	assert_int_equal(loaded, 3);
	struct wt_rarity_verdict v1 = obs(e, 0, 1, 0, 1, T0), v2 = obs(f, 0, 1, 0, 1, T0);
	assert_same_verdict(&v1, &v2);
	wt_baseline_free(e);
	wt_baseline_free(f);
	wt_baseline_free(a);
	wt_baseline_free(b);
	rmtree(dir);
}

static void test_load_matches_name_ident_population(void **state)
{
	(void)state;
	char *dir = tmpdir();
	char msg[1024];
	struct wt_baseline *a = mk(snap_specs, 3, NULL);
	feed(a, 0, 3000);
	assert_int_equal(wt_baseline_save(a, dir, msg, sizeof msg), WT_OK);
	struct wt_baseline_spec changed[4] = {snap_specs[0], snap_specs[1], snap_specs[2],
					      {.name = "new-one", .ident = 44, .has_count = true, .max_count = 1}};
	changed[0].ident = 12;             /* key definition changed */
	changed[2].pop = WT_POP_IMAGE;     /* population changed */
	changed[1].max_count = 7;          /* thresholds and decay may change freely */
	changed[1].halflife_ns = 24 * HOUR;
	struct wt_baseline *b = mk(changed, 4, NULL);
	unsigned loaded;
	assert_int_equal(wt_baseline_load(b, dir, &loaded, msg, sizeof msg), WT_OK);
	assert_int_equal(loaded, 1);
	assert_non_null(strstr(msg, "'fleet-decay' (key definition changed)"));
	assert_non_null(strstr(msg, "'ws-time' (population changed)"));
	assert_non_null(strstr(msg, "new-one"));
	struct wt_baseline_stats st;
	wt_baseline_spec_stats(b, 0, &st);
	assert_int_equal(st.keys, 0);
	wt_baseline_spec_stats(b, 2, &st);
	assert_int_equal(st.keys, 0);
	struct wt_baseline_stats sa;
	wt_baseline_spec_stats(a, 1, &sa);
	wt_baseline_spec_stats(b, 1, &st);
	assert_int_equal(st.keys, sa.keys);
	assert_int_equal(st.firsts, sa.firsts);
	/* restored spec: the counts at the snapshot's time are kept under the new half-life */
	struct wt_rarity_verdict va = obs(a, 1, 3, 1, 5, T0 + 100 * NS), vb = obs(b, 1, 3, 1, 5, T0 + 100 * NS);
	assert_close(va.count, vb.count);
	assert_int_equal(va.population_events, vb.population_events);
	/* a spec not restored starts cold */
	assert_int_equal(obs(b, 0, 1, 0, 1, T0).population_events, 0);
	wt_baseline_free(a);
	wt_baseline_free(b);
	rmtree(dir);
}

static void test_load_into_smaller_limits(void **state)
{
	(void)state;
	char *dir = tmpdir();
	char msg[1024];
	struct wt_baseline_spec sp = {.name = "k", .ident = 1, .pop = WT_POP_IMAGE, .has_count = true, .max_count = 1,
				      .first_in_workspace = true};
	struct wt_baseline_limits big = {.keys_per_spec = 128, .populations_per_spec = 16, .firsts_per_spec = 1024};
	struct wt_baseline *a = mk(&sp, 1, &big);
	int64_t t = T0;
	for (uint64_t k = 1; k <= 60; k++)
		for (uint64_t j = 0; j < k; j++)
			obs(a, 0, k, 1, j % 20, t += NS);
	for (uint64_t p = 2; p <= 10; p++)
		for (uint64_t j = 0; j < p; j++)
			obs(a, 0, 1000, p, 1, t += NS);
	assert_int_equal(wt_baseline_save(a, dir, msg, sizeof msg), WT_OK);
	struct wt_baseline_limits small = {.keys_per_spec = 8, .populations_per_spec = 3, .firsts_per_spec = 10};
	struct wt_baseline *b = mk(&sp, 1, &small);
	unsigned loaded;
	assert_int_equal(wt_baseline_load(b, dir, &loaded, msg, sizeof msg), WT_OK);
	assert_int_equal(loaded, 1);
	struct wt_baseline_stats st;
	wt_baseline_stats(b, &st);
	assert_int_equal(st.keys, 8);
	assert_int_equal(st.populations, 3);
	assert_int_equal(st.firsts, 10);
	/* what did not fit is counted as evicted and named */
	struct wt_baseline_stats sa;
	wt_baseline_stats(a, &sa);
	assert_int_equal(sa.keys, 69);
	assert_int_equal(st.key_evictions, 69 - 8);
	assert_int_equal(st.population_evictions, 10 - 3);
	assert_int_equal(st.first_evictions, sa.firsts - 10);
	assert_non_null(strstr(msg, "'k' kept the 8 worthiest of 69 keys (smaller limit)"));
	assert_non_null(strstr(msg, "3 worthiest of 10 populations"));
	/* highest counts kept: keys 53..60 of image 1; the two biggest other images */
	for (uint64_t k = 53; k <= 60; k++)
		assert_true(obs(b, 0, k, 1, 99, t += NS).count == (double)k);
	assert_true(obs(b, 0, 52, 1, 99, t += NS).count == 0);
	assert_int_equal(obs(b, 0, 1000, 10, 1, t += NS).population_events, 10);
	assert_int_equal(obs(b, 0, 1000, 9, 1, t += NS).population_events, 9);
	assert_int_equal(obs(b, 0, 1000, 8, 1, t += NS).population_events, 0);
	wt_baseline_free(a);
	wt_baseline_free(b);
	rmtree(dir);
}

static void fix_crc(uint8_t *d, size_t len)
{
	if (len < 64)
		return;
	wt_put_le32(d + 24, 0);
	wt_put_le32(d + 24, wt_crc32c(0, d, len));
}

static void fix_size(uint8_t *d, size_t len)
{
	if (len < 64)
		return;
	wt_put_le32(d + 16, (uint32_t)len);
	wt_put_le32(d + 20, (uint32_t)((uint64_t)len >> 32));
}

static void test_corrupt_snapshots_refused(void **state)
{
	(void)state;
	char *dir = tmpdir(), *bad = tmpdir();
	char msg[1024];
	struct wt_baseline_spec sp[2] = {snap_specs[0], snap_specs[1]};
	struct wt_baseline *a = mk(sp, 2, NULL);
	for (int i = 0; i < 40; i++) {
		obs(a, 0, (uint64_t)i % 13, 0, (uint64_t)i % 5, T0 + i * NS);
		obs(a, 1, (uint64_t)i % 11, (uint64_t)i % 3, (uint64_t)i % 4, T0 + i * NS);
	}
	assert_int_equal(wt_baseline_save(a, dir, msg, sizeof msg), WT_OK);
	size_t len;
	uint8_t *good = slurp(dir, &len);
	assert_true(len > 1000);
	uint8_t *d = malloc(len + 64);

	/* the victim has state of its own that a refused load must leave alone */
	struct wt_baseline *v = mk(sp, 2, NULL), *ref = mk(sp, 2, NULL);
	for (int i = 0; i < 30; i++) {
		obs(v, 0, 500 + (uint64_t)i % 3, 0, 1, T0 + i * NS);
		obs(ref, 0, 500 + (uint64_t)i % 3, 0, 1, T0 + i * NS);
	}
	unsigned loaded;
	unsigned refused = 0;
	for (size_t n = 0; n < len; n++) { /* every truncation */
		spit(bad, good, n);
		loaded = 7;
		assert_int_not_equal(wt_baseline_load(v, bad, &loaded, msg, sizeof msg), WT_OK);
		assert_int_equal(loaded, 0);
		assert_non_null(strstr(msg, "refused"));
		refused++;
	}
	for (int i = 0; i < 4000; i++) { /* byte flips: the checksum catches every one */
		memcpy(d, good, len);
		int flips = 1 + (int)(rnd() % 3);
		for (int j = 0; j < flips; j++)
			d[rnd() % len] ^= (uint8_t)(1 + rnd() % 255);
		if (!memcmp(d, good, len))
			continue;
		spit(bad, d, len);
		enum wt_err e = wt_baseline_load(v, bad, &loaded, msg, sizeof msg);
		assert_true(e == WT_E_CORRUPT || e == WT_E_VERSION);
		assert_int_equal(loaded, 0);
		assert_true(msg[0] != 0);
		refused++;
	}
	memcpy(d, good, len);
	wt_put_le16(d + 8, 2); /* another major version */
	fix_crc(d, len);
	spit(bad, d, len);
	assert_int_equal(wt_baseline_load(v, bad, &loaded, msg, sizeof msg), WT_E_VERSION);
	assert_non_null(strstr(msg, "2.0"));
	spit(bad, (const uint8_t *)"hello, world\n", 13);
	assert_int_equal(wt_baseline_load(v, bad, &loaded, msg, sizeof msg), WT_E_CORRUPT);
	for (int i = 0; i < 200; i++) { /* garbage behind a valid header, size and checksum */
		size_t n = 64 + rnd() % 600;
		for (size_t j = 0; j < n; j++)
			d[j] = (uint8_t)rnd();
		memcpy(d, good, 64);
		fix_size(d, n);
		fix_crc(d, n);
		spit(bad, d, n);
		assert_int_equal(wt_baseline_load(v, bad, &loaded, msg, sizeof msg), WT_E_CORRUPT);
	}
	/* the victim is as it was */
	for (int i = 0; i < 5; i++) {
		struct wt_rarity_verdict x = obs(v, 0, 500 + (uint64_t)i, 0, 2, T0 + 100 * NS);
		struct wt_rarity_verdict y = obs(ref, 0, 500 + (uint64_t)i, 0, 2, T0 + 100 * NS);
		assert_same_verdict(&x, &y);
	}

	/* the same flips and truncations with size and checksum rewritten, so that the
	 * structural checks judge them: refused with a message, or loaded and usable */
	struct wt_baseline *w = mk(sp, 2, NULL);
	unsigned ok = 0;
	for (int i = 0; i < 6000; i++) {
		memcpy(d, good, len);
		size_t n = len;
		if (i % 4 == 0)
			n = 64 + rnd() % (len - 64);
		int flips = (int)(rnd() % 4);
		for (int j = 0; j < flips; j++)
			d[rnd() % n] ^= (uint8_t)(1 + rnd() % 255);
		if (i % 3 == 0 && n >= 72) { /* counts are the interesting bytes: aim at 64-bit fields */
			size_t at = 64 + (rnd() % ((n - 64) / 8)) * 8;
			uint64_t val = (rnd() % 2) ? rnd() : (rnd() % 1000);
			for (int k = 0; k < 8 && at + (size_t)k < n; k++)
				d[at + (size_t)k] = (uint8_t)(val >> (8 * k));
		}
		fix_size(d, n);
		fix_crc(d, n);
		spit(bad, d, n);
		enum wt_err e = wt_baseline_load(w, bad, &loaded, msg, sizeof msg);
		assert_true(msg[0] != 0);
		if (e == WT_OK) {
			ok++;
			for (int j = 0; j < 20; j++) {
				struct wt_rarity_verdict x = obs(w, (unsigned)j % 2, rnd() % 16, rnd() % 4, rnd() % 6,
								 T0 + (int64_t)(rnd() % 100) * NS);
				assert_true(isfinite(x.count) && isfinite(x.total) && isfinite(x.score));
			}
		} else {
			assert_true(e == WT_E_CORRUPT || e == WT_E_VERSION);
			assert_int_equal(loaded, 0);
		}
	}
	print_message("baseline snapshot fuzz: %u refused outright, %u of 6000 rewritten ones loaded\n", refused, ok);
	assert_true(ok > 0);

	/* a directory where the file should be */
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", bad, WT_BASELINE_FILE);
	remove(p);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(wt_baseline_load(v, bad, &loaded, msg, sizeof msg), WT_E_CORRUPT);
	rmdir(p);
	free(d);
	free(good);
	wt_baseline_free(a);
	wt_baseline_free(v);
	wt_baseline_free(ref);
	wt_baseline_free(w);
	rmtree(dir);
	rmtree(bad);
}

static void test_missing_snapshot_is_harmless(void **state)
{
	(void)state;
	char msg[512];
	struct wt_baseline *b = mk(snap_specs, 3, NULL);
	unsigned loaded = 5;
	assert_int_equal(wt_baseline_load(b, "/nonexistent/worktrace/state", &loaded, msg, sizeof msg), WT_OK);
	assert_int_equal(loaded, 0);
	assert_non_null(strstr(msg, "no baseline snapshot"));
	char *dir = tmpdir();
	assert_int_equal(wt_baseline_load(b, dir, &loaded, msg, sizeof msg), WT_OK);
	assert_int_equal(loaded, 0);
	assert_int_equal(wt_baseline_save(b, "/nonexistent/worktrace/state", msg, sizeof msg), WT_E_IO);
	assert_non_null(strstr(msg, "/nonexistent/worktrace/state"));
	assert_true(obs(b, 0, 1, 0, 1, T0).population_events == 0);
	wt_baseline_free(b);
	rmtree(dir);
}

/* A FIFO (or a symlink to one, or a device) where the snapshot should be: refused at once,
 * not a start-up that waits forever for a writer (found by the hostile test). The alarm
 * turns a regression into a failure instead of a hung test. */
static void test_fifo_snapshot_refused(void **state)
{
	(void)state;
	char msg[512], p[4096], q[4096];
	struct wt_baseline *b = mk(snap_specs, 3, NULL);
	char *dir = tmpdir();
	snprintf(p, sizeof p, "%s/%s", dir, WT_BASELINE_FILE);
	snprintf(q, sizeof q, "%s/fifo", dir);
	assert_int_equal(mkfifo(q, 0600), 0);
	assert_int_equal(symlink("fifo", p), 0);
	unsigned loaded = 5;
	alarm(10);
	assert_int_equal(wt_baseline_load(b, dir, &loaded, msg, sizeof msg), WT_E_CORRUPT);
	alarm(0);
	assert_int_equal(loaded, 0);
	assert_non_null(strstr(msg, "is not a regular file"));
	/* and the next save replaces the link with a real snapshot */
	assert_true(obs(b, 0, 1, 0, 1, T0).population_events == 0);
	assert_int_equal(wt_baseline_save(b, dir, msg, sizeof msg), WT_OK);
	struct stat st;
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	wt_baseline_free(b);
	rmtree(dir);
}

static void make_file(const char *dir, const char *name, time_t age_s)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fputs("partial snapshot", f);
	fclose(f);
	struct timespec ts[2] = {{.tv_sec = time(NULL) - age_s}, {.tv_sec = time(NULL) - age_s}};
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
}

static bool file_exists(const char *dir, const char *name)
{
	char p[4096];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return lstat(p, &st) == 0;
}

/* A daemon killed while saving leaves its temporary file; a crash loop used to pile them up
 * (one whole snapshot each) until the state directory was full and no save succeeded
 * (found by the hostile test). Loading removes the stale ones: not another running
 * daemon's save in progress (recent), nor any other file. */
static void test_stale_temporaries_removed(void **state)
{
	(void)state;
	char msg[512];
	struct wt_baseline *b = mk(snap_specs, 3, NULL);
	char *dir = tmpdir();
	obs(b, 0, 1, 0, 1, T0);
	assert_int_equal(wt_baseline_save(b, dir, msg, sizeof msg), WT_OK);
	make_file(dir, "." WT_BASELINE_FILE ".AbC123", 3600);
	make_file(dir, "." WT_BASELINE_FILE ".xYz789", 24 * 3600);
	make_file(dir, "." WT_BASELINE_FILE ".n0wNow", 0);
	make_file(dir, "." WT_BASELINE_FILE ".old-but-not-ours", 3600);
	make_file(dir, "notes", 3600);
	struct wt_baseline *c = mk(snap_specs, 3, NULL);
	unsigned loaded = 0;
	assert_int_equal(wt_baseline_load(c, dir, &loaded, msg, sizeof msg), WT_OK);
	assert_int_equal(loaded, 3);
	assert_non_null(strstr(msg, "removed 2 temporary files of interrupted saves"));
	assert_false(file_exists(dir, "." WT_BASELINE_FILE ".AbC123"));
	assert_false(file_exists(dir, "." WT_BASELINE_FILE ".xYz789"));
	assert_true(file_exists(dir, "." WT_BASELINE_FILE ".n0wNow"));
	assert_true(file_exists(dir, "." WT_BASELINE_FILE ".old-but-not-ours"));
	assert_true(file_exists(dir, "notes"));
	assert_true(file_exists(dir, WT_BASELINE_FILE));
	/* also when there is no snapshot to load */
	remove(strcat(strcpy(msg, dir), "/" WT_BASELINE_FILE));
	make_file(dir, "." WT_BASELINE_FILE ".AbC124", 3600);
	assert_int_equal(wt_baseline_load(c, dir, &loaded, msg, sizeof msg), WT_OK);
	assert_non_null(strstr(msg, "removed 1 temporary file of interrupted saves"));
	assert_false(file_exists(dir, "." WT_BASELINE_FILE ".AbC124"));
	wt_baseline_free(b);
	wt_baseline_free(c);
	rmtree(dir);
}

/* One run with another ruleset (a test ruleset, a typo in --rules, a spec disabled for a
 * day) on the same state directory used to wipe what every other spec had learned: the
 * snapshot was rewritten with the current specs only (found by the hostile test). Specs
 * of the snapshot that are not in the ruleset are kept in the file, unchanged, and come
 * back when a ruleset has them again; a spec whose key changed still starts over. */
static void test_specs_not_in_ruleset_kept(void **state)
{
	(void)state;
	char msg[1024];
	char *dir = tmpdir();
	struct wt_baseline *a = mk(snap_specs, 3, NULL);
	for (int i = 0; i < 200; i++)
		for (unsigned s = 0; s < 3; s++)
			obs(a, s, (uint64_t)i % 17, (uint64_t)i % 3, (uint64_t)i % 5, T0 + i * NS);
	assert_int_equal(wt_baseline_save(a, dir, msg, sizeof msg), WT_OK);
	/* a run with only the third spec, its key changed, and a new one */
	struct wt_baseline_spec other[2] = {snap_specs[2], {.name = "new", .ident = 5, .has_count = true, .max_count = 1}};
	other[0].ident = 34;
	struct wt_baseline *b = mk(other, 2, NULL);
	unsigned loaded = 9;
	assert_int_equal(wt_baseline_load(b, dir, &loaded, msg, sizeof msg), WT_OK);
	assert_int_equal(loaded, 0);
	assert_non_null(strstr(msg, "'fleet-decay' (not in the ruleset: kept)"));
	assert_non_null(strstr(msg, "'ws-time' (key definition changed)"));
	obs(b, 0, 1, 0, 1, T0 + 300 * NS);
	obs(b, 1, 1, 0, 1, T0 + 300 * NS);
	assert_int_equal(wt_baseline_save(b, dir, msg, sizeof msg), WT_OK);
	/* twice: what is kept is kept again */
	wt_baseline_free(b);
	b = mk(other, 2, NULL);
	assert_int_equal(wt_baseline_load(b, dir, &loaded, msg, sizeof msg), WT_OK);
	assert_int_equal(loaded, 2);
	assert_int_equal(wt_baseline_save(b, dir, msg, sizeof msg), WT_OK);
	/* the original ruleset again: the first two specs as they were, the third over */
	struct wt_baseline *c = mk(snap_specs, 3, NULL);
	assert_int_equal(wt_baseline_load(c, dir, &loaded, msg, sizeof msg), WT_OK);
	assert_int_equal(loaded, 2);
	assert_non_null(strstr(msg, "'new' (not in the ruleset: kept)"));
	assert_non_null(strstr(msg, "learning from scratch: 'ws-time'"));
	struct wt_baseline_stats sa, sc;
	for (unsigned s = 0; s < 2; s++) {
		wt_baseline_spec_stats(a, s, &sa);
		wt_baseline_spec_stats(c, s, &sc);
		assert_int_equal(sa.keys, sc.keys);
		assert_int_equal(sa.populations, sc.populations);
		assert_int_equal(sa.firsts, sc.firsts);
		struct wt_rarity_verdict va = obs(a, s, 3, 1, 2, T0 + 400 * NS), vc = obs(c, s, 3, 1, 2, T0 + 400 * NS);
		assert_same_verdict(&va, &vc);
	}
	wt_baseline_spec_stats(c, 2, &sc);
	assert_int_equal(sc.keys, 0);
	wt_baseline_free(a);
	wt_baseline_free(b);
	wt_baseline_free(c);
	rmtree(dir);
}

/* A snapshot the loader refuses (another major version written by a newer worktraced
 * before a rollback, a read error, a damaged file) was overwritten by the first save of
 * the daemon that refused it: a good snapshot for another version lost for good (found by
 * the hostile test). It is moved aside as baseline.wtsnap.refused (one, the latest). */
static void test_refused_snapshot_kept_aside(void **state)
{
	(void)state;
	char msg[1024];
	char *dir = tmpdir();
	struct wt_baseline *a = mk(snap_specs, 3, NULL);
	obs(a, 0, 1, 0, 1, T0);
	assert_int_equal(wt_baseline_save(a, dir, msg, sizeof msg), WT_OK);
	size_t n;
	uint8_t *d = slurp(dir, &n);
	wt_put_le16(d + 8, 99); /* major version 99 */
	fix_crc(d, n);
	spit(dir, d, n);
	unsigned loaded = 9;
	assert_int_equal(wt_baseline_load(a, dir, &loaded, msg, sizeof msg), WT_E_VERSION);
	assert_int_equal(loaded, 0);
	assert_non_null(strstr(msg, "kept as "));
	assert_non_null(strstr(msg, WT_BASELINE_FILE ".refused"));
	assert_false(file_exists(dir, WT_BASELINE_FILE));
	assert_int_equal(wt_baseline_save(a, dir, msg, sizeof msg), WT_OK);
	char p[4096];
	snprintf(p, sizeof p, "%s/%s.refused", dir, WT_BASELINE_FILE);
	FILE *f = fopen(p, "rb");
	assert_non_null(f);
	uint8_t *kept = malloc(n + 1);
	assert_int_equal(fread(kept, 1, n + 1, f), n);
	fclose(f);
	assert_memory_equal(kept, d, n);
	/* the next refused one replaces it; a missing file moves nothing */
	spit(dir, (const uint8_t *)"garbage", 7);
	assert_int_equal(wt_baseline_load(a, dir, &loaded, msg, sizeof msg), WT_E_CORRUPT);
	f = fopen(p, "rb");
	assert_non_null(f);
	assert_int_equal(fread(kept, 1, n, f), 7);
	fclose(f);
	assert_int_equal(wt_baseline_load(a, dir, &loaded, msg, sizeof msg), WT_OK);
	assert_true(file_exists(dir, WT_BASELINE_FILE ".refused"));
	free(kept);
	free(d);
	wt_baseline_free(a);
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_key_rare_after_warmup),
		cmocka_unit_test(test_warmup_events_or_time),
		cmocka_unit_test(test_image_populations_warm_separately),
		cmocka_unit_test(test_frequency_threshold),
		cmocka_unit_test(test_count_threshold),
		cmocka_unit_test(test_spread_threshold),
		cmocka_unit_test(test_combined_thresholds),
		cmocka_unit_test(test_first_in_workspace),
		cmocka_unit_test(test_decay_and_out_of_order),
		cmocka_unit_test(test_rescale),
		cmocka_unit_test(test_rewind),
		cmocka_unit_test(test_eviction_at_the_bounds),
		cmocka_unit_test(test_tables_stay_consistent),
		cmocka_unit_test(test_invalid_specs),
		cmocka_unit_test(test_save_load_round_trip),
		cmocka_unit_test(test_load_matches_name_ident_population),
		cmocka_unit_test(test_load_into_smaller_limits),
		cmocka_unit_test(test_corrupt_snapshots_refused),
		cmocka_unit_test(test_missing_snapshot_is_harmless),
		cmocka_unit_test(test_fifo_snapshot_refused),
		cmocka_unit_test(test_stale_temporaries_removed),
		cmocka_unit_test(test_specs_not_in_ruleset_kept),
		cmocka_unit_test(test_refused_snapshot_kept_aside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
