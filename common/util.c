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

uint32_t wt_hash(const void *data, size_t len, uint32_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ ((uint64_t)len * 0x9E3779B97F4A7C15ull);
	while (len >= 8) {
		uint64_t v;
		memcpy(&v, p, 8);
		h ^= v * 0xff51afd7ed558ccdull;
		h = ((h << 31) | (h >> 33)) * 0xc4ceb9fe1a85ec53ull;
		p += 8;
		len -= 8;
	}
	uint64_t v = 0;
	memcpy(&v, p, len);
	h ^= v * 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)h ^ (uint32_t)(h >> 32);
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

unsigned wt_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	unsigned row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned prev = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned cur = row[j];
			unsigned sub = prev + (a[i - 1] != b[j - 1]);
			unsigned del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = cur;
		}
	}
	return row[lb];
}
