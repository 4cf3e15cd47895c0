/* Small shared helpers: aborting allocators, error strings, FNV-1a hashing. */
#include "wt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
	fprintf(stderr, "worktrace: out of memory allocating %zu bytes\n", n);
	abort();
}

void *wt_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *wt_xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		oom(n * sz);
	return p;
}

void *wt_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *wt_xstrdup(const char *s)
{
	return wt_xstrndup(s, strlen(s));
}

char *wt_xstrndup(const char *s, size_t n)
{
	char *p = wt_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

uint32_t wt_hash_fnv1a(const void *data, size_t len, uint32_t h)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h;
}

const char *wt_err_str(enum wt_err e)
{
	static const char *const text[] = {
#define WT_ERR_TEXT(name, t) t,
		WT_ERR_LIST(WT_ERR_TEXT)
#undef WT_ERR_TEXT
	};
	if ((unsigned)e >= WT_ARRAY_LEN(text))
		return "unknown error";
	return text[e];
}
