/* Baseline throughput for `make bench`: the rarity engine alone, single-threaded, one fleet
 * spec with room for 1,048,576 keys. Phase 1 feeds KEYS distinct keys, phase 2 EVENTS
 * events over them (Zipf-like: P(rank r) ~ 1/r) from WORKSPACES workspaces, phase 3 KEYS
 * more distinct keys (with the defaults past the bound: all but 48,576 of them evict).
 * Prints events/s per phase, live entries, evictions, table bytes and VmRSS / VmHWM.
 * usage: bench_baseline [KEYS] [EVENTS] [WORKSPACES] */
#include "baseline.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK 65536
#define MS 1000000LL

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* VmRSS / VmHWM in MiB from /proc/self/status (-1 when unavailable). */
static void memory(double *rss, double *hwm)
{
	*rss = *hwm = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return;
	char line[256];
	unsigned long kb;
	while (fgets(line, sizeof line, f)) {
		if (sscanf(line, "VmRSS: %lu kB", &kb) == 1)
			*rss = kb / 1024.0;
		else if (sscanf(line, "VmHWM: %lu kB", &kb) == 1)
			*hwm = kb / 1024.0;
	}
	fclose(f);
}

struct ev {
	uint64_t key, ws;
};

struct run {
	struct wt_baseline *b;
	struct ev *ev;
	int64_t t;
	uint64_t rare;
	double secs;
};

static void observe_chunk(struct run *r, unsigned n)
{
	struct wt_rarity_verdict v;
	double a = now();
	for (unsigned i = 0; i < n; i++) {
		wt_baseline_observe(r->b, 0, r->ev[i].key, 0, r->ev[i].ws, r->t, &v);
		r->t += MS / 4; /* 4,000 events per second of event time */
		r->rare += v.rare;
	}
	r->secs += now() - a;
}

int main(int argc, char **argv)
{
	uint64_t keys = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	uint64_t events = argc > 2 ? strtoull(argv[2], NULL, 10) : 4000000;
	uint64_t wss = argc > 3 ? strtoull(argv[3], NULL, 10) : 200;
	if (!keys || !wss) {
		fprintf(stderr, "usage: bench_baseline [KEYS] [EVENTS] [WORKSPACES]\n");
		return 2;
	}
	struct wt_baseline_spec spec = {.name = "bench", .ident = 1, .pop = WT_POP_FLEET, .has_freq = true,
					.max_freq = 1e-5, .has_spread = true, .max_spread = 3,
					.warmup_events = 100000, .halflife_ns = 7 * 24 * 3600 * 1000 * MS};
	struct wt_baseline_limits lim = {.keys_per_spec = 1048576};
	double rss0, hwm0, rss, hwm;
	memory(&rss0, &hwm0);
	char err[256];
	struct run r = {.t = 1762768800000000000LL}; /* 2025-11-10T10:00:00Z */
	r.b = wt_baseline_new(&spec, 1, &lim, err, sizeof err);
	if (!r.b) {
		fprintf(stderr, "bench_baseline: %s\n", err);
		return 2;
	}
	r.ev = malloc(CHUNK * sizeof *r.ev);
	struct wt_baseline_stats st;
	wt_baseline_stats(r.b, &st);
	printf("baseline: 1 fleet spec (frequency < 1e-5, workspaces < 3, half-life 7 d), keys_per_spec %u: "
	       "56 bytes per key slot, %.1f bytes per key of the bound, tables %.1f MiB\n",
	       lim.keys_per_spec, (double)st.bytes / lim.keys_per_spec, st.bytes / 1048576.0);

	/* phase 1: every key once */
	uint64_t rng = 42;
	for (uint64_t i = 0; i < keys;) {
		unsigned n = 0;
		for (; n < CHUNK && i < keys; n++, i++) {
			r.ev[n].key = splitmix(i);
			r.ev[n].ws = splitmix(i % wss + (1ull << 40));
		}
		observe_chunk(&r, n);
	}
	wt_baseline_stats(r.b, &st);
	memory(&rss, &hwm);
	printf("baseline: phase 1: %llu distinct keys: %.0f events/s; live keys %llu, evictions %llu, VmRSS %.1f MiB\n",
	       (unsigned long long)keys, keys / r.secs, (unsigned long long)st.keys,
	       (unsigned long long)st.key_evictions, rss);

	/* phase 2: Zipf-like over the same keys: rank = floor((keys + 1)^u) - 1, u uniform */
	r.secs = 0;
	r.rare = 0;
	double lnk = log((double)keys + 1);
	for (uint64_t i = 0; i < events;) {
		unsigned n = 0;
		for (; n < CHUNK && i < events; n++, i++) {
			rng = splitmix(rng);
			double u = (double)(rng >> 11) / 9007199254740992.0;
			uint64_t rank = (uint64_t)exp(u * lnk) - 1;
			if (rank >= keys)
				rank = keys - 1;
			r.ev[n].key = splitmix(rank);
			r.ev[n].ws = splitmix((rng & 0xffffffff) % wss + (1ull << 40));
		}
		observe_chunk(&r, n);
	}
	wt_baseline_stats(r.b, &st);
	memory(&rss, &hwm);
	printf("baseline: phase 2: %llu Zipf events over %llu keys from %llu workspaces: %.0f events/s; rare %llu; "
	       "live keys %llu, evictions %llu, VmRSS %.1f MiB\n",
	       (unsigned long long)events, (unsigned long long)keys, (unsigned long long)wss, events / r.secs,
	       (unsigned long long)r.rare, (unsigned long long)st.keys, (unsigned long long)st.key_evictions, rss);

	/* phase 3: as many new keys again, past the bound */
	r.secs = 0;
	for (uint64_t i = 0; i < keys;) {
		unsigned n = 0;
		for (; n < CHUNK && i < keys; n++, i++) {
			r.ev[n].key = splitmix(i + (1ull << 50));
			r.ev[n].ws = splitmix(i % wss + (1ull << 40));
		}
		observe_chunk(&r, n);
	}
	wt_baseline_stats(r.b, &st);
	memory(&rss, &hwm);
	printf("baseline: phase 3: %llu more distinct keys (bound %u): %.0f events/s; live keys %llu, evictions %llu, "
	       "rescales %llu\n",
	       (unsigned long long)keys, lim.keys_per_spec, keys / r.secs, (unsigned long long)st.keys,
	       (unsigned long long)st.key_evictions, (unsigned long long)st.rescales);
	printf("baseline: memory (MiB): VmRSS %.1f (%.1f before the engine), VmHWM %.1f; engine tables %.1f\n", rss,
	       rss0, hwm, st.bytes / 1048576.0);
	free(r.ev);
	wt_baseline_free(r.b);
	return 0;
}
