/* Bump allocator: many small objects freed together (the compiler's AST and symbols). */
#ifndef WT_ARENA_H
#define WT_ARENA_H

#include "wt.h"

struct wt_arena_chunk;
struct wt_arena {
	struct wt_arena_chunk *head;
};

void wt_arena_init(struct wt_arena *a);
void wt_arena_free(struct wt_arena *a);
/* Zeroed, 16-byte aligned memory valid until wt_arena_free. */
void *wt_arena_alloc(struct wt_arena *a, size_t n);
char *wt_arena_strndup(struct wt_arena *a, const char *s, size_t n);
/* Uninitialized, 16-byte aligned memory valid until wt_arena_reset or wt_arena_free. */
void *wt_arena_alloc_raw(struct wt_arena *a, size_t n);
/* Forget every allocation but keep the newest chunk for reuse (one arena per message). */
void wt_arena_reset(struct wt_arena *a);

#endif
