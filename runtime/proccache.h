/* Process cache: what the daemon knows of each process by exec_id, so that events that
 * lack a parent (kprobes, exits) get one and lineage (ancestors) can be walked.
 * Bounded (LRU eviction, counted); an exited process stays a grace period of event time
 * for late events, and past it as long as descendants of it are cached (their lineage
 * runs through it). Owned by the ingest thread only. */
#ifndef WT_PROCCACHE_H
#define WT_PROCCACHE_H

#include "event.h"

struct wt_proc_entry;

struct wt_proccache {
	struct wt_proc_entry **table;
	uint32_t mask;
	uint32_t n, cap;
	struct wt_proc_entry *lru_head, *lru_tail; /* head = most recently used */
	uint64_t evictions, expired, hits, misses;
	uint64_t kept; /* exited entries kept past the grace for cached descendants */
};

void wt_proccache_init(struct wt_proccache *pc, uint32_t capacity);
void wt_proccache_free(struct wt_proccache *pc);
/* Learn from a decoded event (its process and parent), then fill what it lacks: the parent
 * block from the cache, the ancestors list by walking parent_exec_id links. */
void wt_proccache_enrich(struct wt_proccache *pc, struct wt_event_builder *b);

#endif
