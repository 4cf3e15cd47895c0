/* Worktrace internal umbrella header: version, small helpers shared by every module.
 * Every fallible function returns enum wt_err (err.h); outputs go through pointers. */
#ifndef WT_H
#define WT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "err.h"
#include "wt_limits.h"

#define WT_VERSION_STRING "0.1.0"
#define WT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define WT_LIKELY(x) __builtin_expect(!!(x), 1)
#define WT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define WT_UNUSED __attribute__((unused))
#define WT_PRINTF(f, a) __attribute__((format(printf, f, a)))

#define WT_TRY(expr)                                                                               \
	do {                                                                                       \
		enum wt_err wt_try_err_ = (expr);                                                  \
		if (wt_try_err_ != WT_OK)                                                          \
			return wt_try_err_;                                                        \
	} while (0)

/* Allocation that aborts on failure: used only for bounded, small control structures. */
void *wt_xmalloc(size_t n);
void *wt_xcalloc(size_t n, size_t sz);
void *wt_xrealloc(void *p, size_t n);
char *wt_xstrdup(const char *s);
char *wt_xstrndup(const char *s, size_t n);
/* Levenshtein distance of two short strings (99 when either is longer than 64 bytes). */
unsigned wt_edit_distance(const char *a, const char *b);

/* Fast hash for in-memory tables (sets, caches, indexes): 8 bytes at a time. Not stable
 * across versions: never stored. */
uint32_t wt_hash(const void *data, size_t len, uint32_t seed);

/* 32-bit FNV-1a: the stable hash of the schema and opset stored in rulesets. */
uint32_t wt_hash_fnv1a(const void *data, size_t len, uint32_t seed);
#define WT_FNV_SEED 2166136261u

/* splitmix64's finalizer: a stable 64-bit bit mixer (part of the baseline snapshot format). */
static inline uint64_t wt_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

#endif
