/* Bounded single-producer single-consumer queue of pointers between ingest and one
 * pipeline (lock-free ring; threads sleep on a condition variable only when it is empty or
 * full). Live input never blocks: a full queue refuses the item and the caller counts it. */
#ifndef WT_QUEUE_H
#define WT_QUEUE_H

#include "wt.h"
#include <pthread.h>

/* Items pushed before a sleeping consumer is woken; a partial batch waits at most
 * WT_QUEUE_MAX_SLEEP_MS or until the producer calls wt_queue_kick(). */
#define WT_QUEUE_WAKE_BATCH 256
#define WT_QUEUE_MAX_SLEEP_MS 10

struct wt_queue {
	void **slots;
	uint32_t cap, mask, wake_at;
	uint64_t head; /* consumer position (atomic) */
	uint64_t tail; /* producer position (atomic) */
	int consumer_waiting, producer_waiting, closed; /* atomic flags */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint64_t high_water;
};

void wt_queue_init(struct wt_queue *q, uint32_t capacity);
void wt_queue_destroy(struct wt_queue *q);
/* WT_OK, or WT_E_FULL when full and !block. */
enum wt_err wt_queue_push(struct wt_queue *q, void *item, bool block);
/* WT_OK with *item, or WT_E_CLOSED once closed and drained. */
enum wt_err wt_queue_pop(struct wt_queue *q, void **item);
void wt_queue_close(struct wt_queue *q);
/* Wake the consumer for items pushed since the last batch wake (the producer is going idle). */
void wt_queue_kick(struct wt_queue *q);
uint32_t wt_queue_depth(struct wt_queue *q);

#endif
