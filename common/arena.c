/* Bump allocator in 64 KiB chunks (larger requests get their own chunk). */
#include "arena.h"
#include <stdlib.h>
#include <string.h>

struct wt_arena_chunk {
	struct wt_arena_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

void wt_arena_init(struct wt_arena *a)
{
	a->head = NULL;
}

void wt_arena_free(struct wt_arena *a)
{
	struct wt_arena_chunk *c = a->head;
	while (c) {
		struct wt_arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	a->head = NULL;
}

void wt_arena_reset(struct wt_arena *a)
{
	struct wt_arena_chunk *c = a->head;
	if (!c)
		return;
	struct wt_arena_chunk *rest = c->next;
	c->next = NULL;
	c->used = 0;
	while (rest) {
		struct wt_arena_chunk *n = rest->next;
		free(rest);
		rest = n;
	}
}

void *wt_arena_alloc_raw(struct wt_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct wt_arena_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > 65536 ? n : 65536;
		c = wt_xmalloc(sizeof *c + size);
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	return p;
}

void *wt_arena_alloc(struct wt_arena *a, size_t n)
{
	void *p = wt_arena_alloc_raw(a, n);
	memset(p, 0, (n + 15) & ~(size_t)15);
	return p;
}

char *wt_arena_strndup(struct wt_arena *a, const char *s, size_t n)
{
	char *p = wt_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}
