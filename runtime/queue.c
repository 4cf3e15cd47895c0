/* SPSC ring with sleep-on-empty/full. The sequentially consistent store of a position and
 * load of the other side's waiting flag (and vice versa) guarantee that either the sleeper
 * sees the new position or the other side sees the flag and signals under the mutex. */
#include "queue.h"
#include <stdlib.h>
#include <time.h>

void wt_queue_init(struct wt_queue *q, uint32_t capacity)
{
	uint32_t cap = 2;
	while (cap < capacity)
		cap *= 2;
	q->slots = wt_xcalloc(cap, sizeof(void *));
	q->cap = cap;
	q->mask = cap - 1;
	/* a small queue must wake its consumer long before it is full */
	q->wake_at = cap / 4 < WT_QUEUE_WAKE_BATCH ? (cap / 4 ? cap / 4 : 1) : WT_QUEUE_WAKE_BATCH;
	q->head = q->tail = 0;
	q->consumer_waiting = q->producer_waiting = q->closed = 0;
	q->high_water = 0;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
}

void wt_queue_destroy(struct wt_queue *q)
{
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	free(q->slots);
	q->slots = NULL;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static void wake(struct wt_queue *q)
{
	pthread_mutex_lock(&q->mu);
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

static void sleep_briefly(struct wt_queue *q)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += WT_QUEUE_MAX_SLEEP_MS * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(&q->cv, &q->mu, &ts);
}

enum wt_err wt_queue_push(struct wt_queue *q, void *item, bool block)
{
	uint64_t t = __atomic_load_n(&q->tail, __ATOMIC_RELAXED);
	for (;;) {
		uint64_t h = __atomic_load_n(&q->head, __ATOMIC_ACQUIRE);
		if (t - h < q->cap)
			break;
		if (!block)
			return WT_E_FULL;
		pthread_mutex_lock(&q->mu);
		__atomic_store_n(&q->producer_waiting, 1, __ATOMIC_SEQ_CST);
		if (t - __atomic_load_n(&q->head, __ATOMIC_SEQ_CST) >= q->cap)
			sleep_briefly(q);
		__atomic_store_n(&q->producer_waiting, 0, __ATOMIC_SEQ_CST);
		pthread_mutex_unlock(&q->mu);
	}
	q->slots[t & q->mask] = item;
	__atomic_store_n(&q->tail, t + 1, __ATOMIC_SEQ_CST);
	uint64_t depth = t + 1 - __atomic_load_n(&q->head, __ATOMIC_RELAXED);
	if (depth > q->high_water)
		q->high_water = depth;
	/* Wake a sleeping consumer once a batch is ready, not per item: a futex wake per event
	 * costs more than the event itself. wt_queue_kick() wakes it for a partial batch. */
	if (depth >= q->wake_at && __atomic_load_n(&q->consumer_waiting, __ATOMIC_SEQ_CST))
		wake(q);
	return WT_OK;
}

enum wt_err wt_queue_pop(struct wt_queue *q, void **item)
{
	uint64_t h = __atomic_load_n(&q->head, __ATOMIC_RELAXED);
	int spins = 0;
	for (;;) {
		uint64_t t = __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE);
		if (h != t)
			break;
		if (__atomic_load_n(&q->closed, __ATOMIC_ACQUIRE)) {
			/* re-check after seeing closed: the producer's last push precedes close */
			if (h == __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE))
				return WT_E_CLOSED;
			continue;
		}
		if (++spins < 256) {
			cpu_relax();
			continue;
		}
		pthread_mutex_lock(&q->mu);
		__atomic_store_n(&q->consumer_waiting, 1, __ATOMIC_SEQ_CST);
		if (h == __atomic_load_n(&q->tail, __ATOMIC_SEQ_CST) &&
		    !__atomic_load_n(&q->closed, __ATOMIC_SEQ_CST))
			sleep_briefly(q);
		__atomic_store_n(&q->consumer_waiting, 0, __ATOMIC_SEQ_CST);
		pthread_mutex_unlock(&q->mu);
	}
	*item = q->slots[h & q->mask];
	__atomic_store_n(&q->head, h + 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&q->producer_waiting, __ATOMIC_SEQ_CST))
		wake(q);
	return WT_OK;
}

void wt_queue_kick(struct wt_queue *q)
{
	if (__atomic_load_n(&q->consumer_waiting, __ATOMIC_SEQ_CST) && wt_queue_depth(q) > 0)
		wake(q);
}

void wt_queue_close(struct wt_queue *q)
{
	__atomic_store_n(&q->closed, 1, __ATOMIC_SEQ_CST);
	wake(q);
}

uint32_t wt_queue_depth(struct wt_queue *q)
{
	return (uint32_t)(__atomic_load_n(&q->tail, __ATOMIC_ACQUIRE) - __atomic_load_n(&q->head, __ATOMIC_ACQUIRE));
}
