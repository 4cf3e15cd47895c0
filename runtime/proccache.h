/* Process cache: what the daemon knows of each process by exec_id, so that events that
 * lack a parent (kprobes, exits) get one and lineage (ancestors) can be walked.
 * Bounded (LRU eviction, counted); an exited process stays a grace period of event time
 * for late events, and past it as long as descendants of it are cached (their lineage
 * runs through it). It also remembers each process's pod (interned: one copy per distinct
 * pod, shared by its processes) to fill events that come without one, and links a pid whose
 * exec_id changes across an in-place exec. Owned by the ingest thread only. */
#ifndef WT_PROCCACHE_H
#define WT_PROCCACHE_H

#include "event.h"

struct wt_proc_entry;
struct wt_pod_rec;

struct wt_proccache {
	struct wt_proc_entry **table;
	uint32_t mask;
	uint32_t n, cap;
	struct wt_proc_entry *lru_head, *lru_tail; /* head = most recently used */
	uint64_t evictions, expired, hits, misses;
	uint64_t kept; /* exited entries kept past the grace for cached descendants */
	struct wt_proc_entry **pids; /* (node, pid) -> entries, newest first; same mask as table */
	struct wt_pod_rec **pods;    /* interned pods; same mask as table */
	uint32_t n_pods;
	char *scratch; /* serialization of the event's pod */
	uint64_t pod_filled; /* events without pod data given the cached pod of their process */
	uint64_t inplace;    /* exec events linked to the process they replaced in place */
};

void wt_proccache_init(struct wt_proccache *pc, uint32_t capacity);
void wt_proccache_free(struct wt_proccache *pc);
/* Learn from a decoded event (its process and parent), then fill what it lacks: the parent
 * block (and a missing parent_exec_id) from the cache, the ancestors list by walking
 * parent_exec_id links, and the pod of a non-exec event (kprobe, tracepoint, lsm, uprobe,
 * exit) from its process's cached exec. An exec whose pid is cached (same node) under another
 * running exec_id whose parent is the new one's parent, or which is the new one's parent, is
 * an in-place exec: the new process takes the old one's pod when it came without one, and
 * the old one is retired like an exited process (kept while descendants are cached). */
void wt_proccache_enrich(struct wt_proccache *pc, struct wt_event_builder *b);

#endif
