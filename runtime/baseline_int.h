/* Internals of the baseline engine shared by baseline.c (tables, observation) and
 * baseline_snap.c (the snapshot file): entry layouts, the table, per-spec state. */
#ifndef WT_BASELINE_INT_H
#define WT_BASELINE_INT_H

#include "baseline.h"
#include <string.h>

/* Key entry: 56 bytes. key 0 marks an empty slot. */
struct wt_bl_key {
	uint64_t key;                /* combine(pop_hash, key_hash) */
	double w;                    /* forward-decayed count: sum of 2^((t - landmark) / halflife) */
	int64_t last;                /* latest event time of the key */
	uint32_t ws[WT_SPREAD_MAX];  /* distinct workspace fingerprints, packed from 0; 0 = unused */
};
_Static_assert(sizeof(struct wt_bl_key) == 56, "key entries are 56 bytes");

/* Population entry: 32 bytes. */
struct wt_bl_pop {
	uint64_t key;    /* mix64(pop_hash ^ POP_SEED), never 0 */
	int64_t first;   /* earliest event time */
	uint64_t events; /* undecayed */
	double w;        /* forward-decayed total */
};

/* Remembered (workspace, population, key): 12 bytes, the 64-bit fingerprint as two u32 so
 * the slot needs only 4-byte alignment. */
struct wt_bl_first {
	uint32_t fp[2];
	uint32_t seen; /* latest event time, s since the epoch (eviction order) */
};

/* Open-addressing table with linear probing, backward-shift deletion and a live bound below
 * its capacity, so a probe always ends at an empty slot. Every entry type starts with its
 * 64-bit key (0 = empty), read with memcpy. */
struct wt_bl_table {
	uint8_t *slot;
	size_t size;
	uint32_t cap, lim, live;
	double (*worth)(const void *e); /* eviction: the lowest worth nearby goes */
};

struct wt_bl_spec {
	struct wt_baseline_spec p; /* p.name points at name */
	char *name;
	bool have_t;
	int64_t landmark, now; /* forward-decay landmark; latest event time */
	struct wt_bl_table keys, pops, firsts;
	struct wt_baseline_stats st; /* evictions and rescales; live counts come from the tables */
};

struct wt_baseline {
	struct wt_bl_spec *s;
	unsigned n;
	/* records of the loaded snapshot whose spec is not in the ruleset, written back unchanged
	 * by every save so that a run with another ruleset does not wipe them */
	uint8_t *carry;
	size_t carry_len;
	unsigned n_carry;
};

static inline void *wt_bl_at(const struct wt_bl_table *t, uint32_t i)
{
	return t->slot + (size_t)i * t->size;
}

static inline uint64_t wt_bl_key_at(const struct wt_bl_table *t, uint32_t i)
{
	uint64_t k;
	memcpy(&k, wt_bl_at(t, i), 8);
	return k;
}

/* Slot holding k (*found), or the empty slot where k would go. */
uint32_t wt_bl_find(const struct wt_bl_table *t, uint64_t k, bool *found);
/* Insert absent k at slot (from wt_bl_find); at the bound, first evict the least worthy
 * entry near k's home and count it in *evictions. Returns the zeroed entry's slot. */
uint32_t wt_bl_insert(struct wt_bl_table *t, uint64_t k, uint32_t slot, uint64_t *evictions);
void wt_bl_clear(struct wt_bl_table *t);
/* Add a workspace fingerprint to a key's set (ignored when known or when the set is full). */
void wt_bl_spread_add(struct wt_bl_key *e, uint32_t fp);
/* Index of the spec named name[0..len), or -1. */
int wt_bl_find_spec(const struct wt_baseline *b, const char *name, size_t len);
/* a - b as a double without int64 overflow. */
double wt_bl_tdiff(int64_t a, int64_t b);
/* vsnprintf into buf when buf is not NULL. */
WT_PRINTF(3, 4) void wt_bl_say(char *buf, size_t len, const char *fmt, ...);

#endif
