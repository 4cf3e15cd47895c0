/* The baseline snapshot file: atomic save (temporary file, fsync, rename, fsync of the
 * directory) and a load that verifies the whole file before restoring the specs whose name,
 * ident and population match.
 *
 * Snapshot file DIR/baseline.wtsnap. Every integer is little-endian, doubles are IEEE 754
 * binary64 stored as their bits in a little-endian u64, nothing is a pointer.
 *
 *   header (64 bytes)
 *     0  magic            8  "\x89WTS\r\n\x1a\n" (binary-safe, as PNG's)
 *     8  major            u16  1; the reader accepts exactly this major
 *    10  minor            u16  0; a newer minor only appends fields (sizes below grow)
 *    12  header_size      u32  64; specs start at this offset
 *    16  file_size        u64  total bytes; catches truncation and padding
 *    24  checksum         u32  CRC-32C of the whole file with these 4 bytes taken as zero
 *    28  n_specs          u32
 *    32  created          i64  wall-clock time of writing, ns since the Unix epoch
 *    40  spec_size        u16  96: bytes of a spec header
 *    42  pop_size         u16  32: bytes of a population entry
 *    44  key_size         u16  56: bytes of a key entry
 *    46  first_size       u16  16: bytes of a first entry
 *    48  creator          16   NUL-padded "worktrace VERSION"
 *   n_specs x spec record
 *     0  name_len         u32  1..WT_MAX_BASELINE_NAME
 *     4  ident            u32
 *     8  population       u32  enum wt_population
 *    12  flags            u32  bit 0 has_freq, 1 has_count, 2 has_spread,
 *                              3 first_in_workspace, 4 has_time (the spec saw an event)
 *    16  max_freq         f64
 *    24  max_count        f64
 *    32  max_spread       u32
 *    36  reserved         u32  0
 *    40  warmup_events    u64
 *    48  warmup_ns        i64
 *    56  halflife_ns      i64
 *    64  time             i64  latest event time seen; every count below is decayed to it
 *    72  n_pops           u64
 *    80  n_keys           u64
 *    88  n_firsts         u64
 *    96  name             name_len bytes, then zeros to a multiple of 8
 *        n_pops   x {key u64 (wt_mix64(pop_hash ^ POP_SEED), never 0), first_seen i64,
 *                    events u64, total f64 (finite, >= 0)}
 *        n_keys   x {key u64 (combine(pop_hash, key_hash), never 0), count f64 (finite,
 *                    >= 0), last_seen i64, workspaces 8 x u32 (fingerprints, 0 = unused)}
 *        n_firsts x {fingerprint u64 (never 0), last_seen u32 (s since the epoch), reserved u32}
 *   the records end exactly at file_size.
 * The hash mixing functions of baseline.c (mix64, combine, the seeds) are part of the format: a
 * change to them needs a new major version. */
#include "baseline_int.h"
#include "bytecode.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SNAP_MAGIC "\x89WTS\r\n\x1a\n"
#define SNAP_MAJOR 1
#define SNAP_MINOR 0
#define SNAP_HEADER 64
#define SNAP_SPEC 96
#define SNAP_POP 32
#define SNAP_KEY 56
#define SNAP_FIRST 16
#define SNAP_MAX_ENTRY 4096 /* largest entry or header size a future minor may declare */
#define TEMP_PREFIX "." WT_BASELINE_FILE "."
/* A save's temporary file untouched this long belongs to a daemon killed while saving (a
 * running save writes and renames it within seconds). */
#define STALE_TEMP_S 600

#define F_FREQ 1u
#define F_COUNT 2u
#define F_SPREAD 4u
#define F_FIRST 8u
#define F_TIME 16u

/* Append to a message buffer, silently cut at its size. */
WT_PRINTF(3, 4) static void append(char *buf, size_t len, const char *fmt, ...)
{
	if (!buf || !len)
		return;
	size_t used = strnlen(buf, len);
	if (used + 1 >= len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* Little-endian encoding ------------------------------------------------------------------ */

static uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)wt_get_le32(p) | (uint64_t)wt_get_le32(p + 4) << 32;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	wt_put_le32(p, (uint32_t)v);
	wt_put_le32(p + 4, (uint32_t)(v >> 32));
}

static double get_f64(const uint8_t *p)
{
	uint64_t u = get_le64(p);
	double d;
	memcpy(&d, &u, 8);
	return d;
}

static void put_f64(uint8_t *p, double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	put_le64(p, u);
}

/* Saving --------------------------------------------------------------------------------- */

/* Buffered file writer that keeps the running CRC-32C of what it wrote. */
struct writer {
	int fd;
	int err; /* first errno */
	uint32_t crc;
	uint64_t written;
	size_t len;
	uint8_t buf[1 << 16];
};

static void w_flush(struct writer *w)
{
	size_t off = 0;
	while (off < w->len && !w->err) {
		ssize_t r = write(w->fd, w->buf + off, w->len - off);
		if (r < 0) {
			if (errno != EINTR)
				w->err = errno;
		} else {
			off += (size_t)r;
		}
	}
	w->len = 0;
}

static void w_put(struct writer *w, const void *p, size_t n)
{
	w->crc = wt_crc32c(w->crc, p, n);
	w->written += n;
	const uint8_t *s = p;
	while (n) {
		if (w->len == sizeof w->buf)
			w_flush(w);
		size_t k = sizeof w->buf - w->len < n ? sizeof w->buf - w->len : n;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
	}
}

static uint64_t spec_record_size(const struct wt_bl_spec *s)
{
	size_t nl = strlen(s->name);
	return SNAP_SPEC + ((nl + 7) & ~(size_t)7) + (uint64_t)s->pops.live * SNAP_POP +
	       (uint64_t)s->keys.live * SNAP_KEY + (uint64_t)s->firsts.live * SNAP_FIRST;
}

static void write_spec(struct writer *w, const struct wt_bl_spec *s)
{
	const struct wt_baseline_spec *p = &s->p;
	/* counts are written decayed to the latest event time: the file is landmark-free */
	double f = 1;
	if (s->have_t && p->halflife_ns > 0)
		f = exp2(-wt_bl_tdiff(s->now, s->landmark) / (double)p->halflife_ns);
	uint8_t h[SNAP_SPEC] = {0};
	size_t nl = strlen(s->name);
	wt_put_le32(h + 0, (uint32_t)nl);
	wt_put_le32(h + 4, p->ident);
	wt_put_le32(h + 8, (uint32_t)p->pop);
	wt_put_le32(h + 12, (p->has_freq ? F_FREQ : 0) | (p->has_count ? F_COUNT : 0) |
				    (p->has_spread ? F_SPREAD : 0) | (p->first_in_workspace ? F_FIRST : 0) |
				    (s->have_t ? F_TIME : 0));
	put_f64(h + 16, p->max_freq);
	put_f64(h + 24, p->max_count);
	wt_put_le32(h + 32, p->max_spread);
	put_le64(h + 40, p->warmup_events);
	put_le64(h + 48, (uint64_t)p->warmup_ns);
	put_le64(h + 56, (uint64_t)p->halflife_ns);
	put_le64(h + 64, (uint64_t)(s->have_t ? s->now : 0));
	put_le64(h + 72, s->pops.live);
	put_le64(h + 80, s->keys.live);
	put_le64(h + 88, s->firsts.live);
	w_put(w, h, sizeof h);
	static const uint8_t zeros[8];
	w_put(w, s->name, nl);
	w_put(w, zeros, ((nl + 7) & ~(size_t)7) - nl);
	for (uint32_t i = 0; i < s->pops.cap; i++) {
		const struct wt_bl_pop *e = wt_bl_at(&s->pops, i);
		if (!e->key)
			continue;
		uint8_t r[SNAP_POP];
		put_le64(r, e->key);
		put_le64(r + 8, (uint64_t)e->first);
		put_le64(r + 16, e->events);
		put_f64(r + 24, e->w * f);
		w_put(w, r, sizeof r);
	}
	for (uint32_t i = 0; i < s->keys.cap; i++) {
		const struct wt_bl_key *e = wt_bl_at(&s->keys, i);
		if (!e->key)
			continue;
		uint8_t r[SNAP_KEY];
		put_le64(r, e->key);
		put_f64(r + 8, e->w * f);
		put_le64(r + 16, (uint64_t)e->last);
		for (unsigned j = 0; j < WT_SPREAD_MAX; j++)
			wt_put_le32(r + 24 + 4 * j, e->ws[j]);
		w_put(w, r, sizeof r);
	}
	for (uint32_t i = 0; s->firsts.slot && i < s->firsts.cap; i++) {
		const struct wt_bl_first *e = wt_bl_at(&s->firsts, i);
		uint64_t fp = wt_bl_key_at(&s->firsts, i);
		if (!fp)
			continue;
		uint8_t r[SNAP_FIRST] = {0};
		put_le64(r, fp);
		wt_put_le32(r + 8, e->seen);
		w_put(w, r, sizeof r);
	}
}

static enum wt_err io_fail(char *err, size_t errlen, const char *what, const char *path, int e)
{
	wt_bl_say(err, errlen, "baseline snapshot: %s %s: %s", what, path, strerror(e));
	return WT_E_IO;
}

enum wt_err wt_baseline_save(struct wt_baseline *b, const char *dir, char *err, size_t errlen)
{
	char tmp[4096], path[4096];
	if (!b || !dir || (size_t)snprintf(path, sizeof path, "%s/%s", dir, WT_BASELINE_FILE) >= sizeof path ||
	    (size_t)snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, WT_BASELINE_FILE) >= sizeof tmp) {
		wt_bl_say(err, errlen, "baseline snapshot: no or too long directory name");
		return WT_E_INVALID;
	}
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return io_fail(err, errlen, "cannot create a temporary file in", dir, errno);
	struct writer *w = malloc(sizeof *w);
	if (!w) {
		close(fd);
		unlink(tmp);
		wt_bl_say(err, errlen, "baseline snapshot: out of memory");
		return WT_E_NOMEM;
	}
	w->fd = fd;
	w->err = 0;
	w->crc = 0;
	w->written = 0;
	w->len = 0;

	uint64_t size = SNAP_HEADER + b->carry_len;
	for (unsigned i = 0; i < b->n; i++)
		size += spec_record_size(&b->s[i]);
	uint8_t h[SNAP_HEADER] = {0};
	memcpy(h, SNAP_MAGIC, 8);
	wt_put_le16(h + 8, SNAP_MAJOR);
	wt_put_le16(h + 10, SNAP_MINOR);
	wt_put_le32(h + 12, SNAP_HEADER);
	put_le64(h + 16, size);
	wt_put_le32(h + 28, b->n + b->n_carry);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	put_le64(h + 32, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
	wt_put_le16(h + 40, SNAP_SPEC);
	wt_put_le16(h + 42, SNAP_POP);
	wt_put_le16(h + 44, SNAP_KEY);
	wt_put_le16(h + 46, SNAP_FIRST);
	snprintf((char *)h + 48, 16, "worktrace %s", WT_VERSION_STRING);
	w_put(w, h, sizeof h);
	for (unsigned i = 0; i < b->n; i++)
		write_spec(w, &b->s[i]);
	w_put(w, b->carry, b->carry_len);
	w_flush(w);
	int e = w->err;
	uint8_t crc[4];
	wt_put_le32(crc, w->crc);
	if (!e && w->written != size)
		e = EIO; /* cannot happen: the record sizes above disagree with write_spec */
	free(w);
	if (!e && pwrite(fd, crc, 4, 24) != 4)
		e = errno ? errno : EIO;
	if (!e && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	if (!e && rename(tmp, path) != 0)
		e = errno;
	if (e) {
		unlink(tmp);
		return io_fail(err, errlen, "cannot write", path, e);
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return io_fail(err, errlen, "cannot open directory", dir, errno);
	if (fsync(dfd) != 0 && errno != EINVAL) { /* EINVAL: the file system has no directory fsync */
		e = errno;
		close(dfd);
		return io_fail(err, errlen, "cannot sync directory", dir, e);
	}
	close(dfd);
	return WT_OK;
}

/* Loading -------------------------------------------------------------------------------- */

struct snap {
	const uint8_t *d;
	uint64_t len;
	uint32_t hdr, spec_size, pop_size, key_size, first_size;
	uint32_t n_specs;
};

/* One spec record, located and checked. */
struct rec {
	const uint8_t *name;
	uint32_t name_len, ident, pop, flags;
	int64_t time;
	uint64_t n_pops, n_keys, n_firsts;
	const uint8_t *pops, *keys, *firsts;
};

WT_PRINTF(3, 4) static enum wt_err corrupt(char *msg, size_t msglen, const char *fmt, ...)
{
	char why[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	wt_bl_say(msg, msglen, "baseline snapshot refused, learning starts over: %s", why);
	return WT_E_CORRUPT;
}

/* Printable copy of a name from a file, for messages. */
static const char *shown(const uint8_t *name, uint32_t len, char *buf, size_t size)
{
	size_t n = 0;
	for (uint32_t i = 0; i < len && n + 4 < size; i++)
		buf[n++] = name[i] >= 0x20 && name[i] < 0x7f ? (char)name[i] : '?';
	if (len > n)
		memcpy(buf + n, "...", 3), n += 3;
	buf[n] = 0;
	return buf;
}

static enum wt_err check_header(struct snap *s, char *msg, size_t msglen)
{
	const uint8_t *d = s->d;
	if (s->len < SNAP_HEADER)
		return corrupt(msg, msglen, "file is %llu bytes, shorter than the %d-byte header",
			       (unsigned long long)s->len, SNAP_HEADER);
	if (memcmp(d, SNAP_MAGIC, 8) != 0)
		return corrupt(msg, msglen, "not a Worktrace baseline snapshot (bad magic)");
	unsigned major = wt_get_le16(d + 8), minor = wt_get_le16(d + 10);
	if (major != SNAP_MAJOR) {
		wt_bl_say(msg, msglen, "baseline snapshot format %u.%u is not readable by this version (reads %d.x), learning starts over",
		    major, minor, SNAP_MAJOR);
		return WT_E_VERSION;
	}
	s->hdr = wt_get_le32(d + 12);
	if (s->hdr < SNAP_HEADER || s->hdr > SNAP_MAX_ENTRY || s->hdr > s->len)
		return corrupt(msg, msglen, "header size %u is invalid", s->hdr);
	if (get_le64(d + 16) != s->len)
		return corrupt(msg, msglen, "file is %llu bytes but its header says %llu (truncated or padded)",
			       (unsigned long long)s->len, (unsigned long long)get_le64(d + 16));
	static const uint8_t zero[4];
	uint32_t crc = wt_crc32c(0, d, 24);
	crc = wt_crc32c(crc, zero, 4);
	crc = wt_crc32c(crc, d + 28, (size_t)s->len - 28);
	if (crc != wt_get_le32(d + 24))
		return corrupt(msg, msglen, "checksum mismatch (stored %08x, computed %08x)", wt_get_le32(d + 24), crc);
	s->n_specs = wt_get_le32(d + 28);
	s->spec_size = wt_get_le16(d + 40);
	s->pop_size = wt_get_le16(d + 42);
	s->key_size = wt_get_le16(d + 44);
	s->first_size = wt_get_le16(d + 46);
	if (s->spec_size < SNAP_SPEC || s->pop_size < SNAP_POP || s->key_size < SNAP_KEY ||
	    s->first_size < SNAP_FIRST || s->spec_size > SNAP_MAX_ENTRY)
		return corrupt(msg, msglen, "record sizes %u/%u/%u/%u are smaller than this format's", s->spec_size,
			       s->pop_size, s->key_size, s->first_size);
	if (s->n_specs > (s->len - s->hdr) / s->spec_size)
		return corrupt(msg, msglen, "%u specs cannot fit in %llu bytes", s->n_specs, (unsigned long long)s->len);
	return WT_OK;
}

/* Take n entries of size bytes at *off, after checking they fit before the end. */
static bool take(const struct snap *s, uint64_t *off, uint64_t n, uint32_t size, const uint8_t **out)
{
	uint64_t room = s->len - *off;
	if (n > room / size)
		return false;
	*out = s->d + *off;
	*off += n * size;
	return true;
}

static bool bad_weight(double w)
{
	return !isfinite(w) || w < 0;
}

/* Locate and check the spec record at *off (every count against the remaining bytes, every
 * entry's key and count) and advance past it. */
static enum wt_err parse_rec(const struct snap *s, uint64_t *off, unsigned idx, struct rec *r, char *msg,
			     size_t msglen)
{
	const uint8_t *h;
	if (!take(s, off, 1, s->spec_size, &h))
		return corrupt(msg, msglen, "spec %u: header runs past the end of the file", idx);
	r->name_len = wt_get_le32(h);
	r->ident = wt_get_le32(h + 4);
	r->pop = wt_get_le32(h + 8);
	r->flags = wt_get_le32(h + 12);
	r->time = (int64_t)get_le64(h + 64);
	r->n_pops = get_le64(h + 72);
	r->n_keys = get_le64(h + 80);
	r->n_firsts = get_le64(h + 88);
	if (r->name_len < 1 || r->name_len > WT_MAX_BASELINE_NAME)
		return corrupt(msg, msglen, "spec %u: name length %u is invalid", idx, r->name_len);
	if (r->pop > WT_POP_IMAGE)
		return corrupt(msg, msglen, "spec %u: unknown population %u", idx, r->pop);
	if (!take(s, off, 1, (r->name_len + 7) & ~7u, &r->name))
		return corrupt(msg, msglen, "spec %u: name runs past the end of the file", idx);
	char nb[80];
	const char *nm = shown(r->name, r->name_len, nb, sizeof nb);
	if (!take(s, off, r->n_pops, s->pop_size, &r->pops) || !take(s, off, r->n_keys, s->key_size, &r->keys) ||
	    !take(s, off, r->n_firsts, s->first_size, &r->firsts))
		return corrupt(msg, msglen, "spec '%s': %llu populations, %llu keys and %llu firsts do not fit in the file",
			       nm, (unsigned long long)r->n_pops, (unsigned long long)r->n_keys,
			       (unsigned long long)r->n_firsts);
	if (r->n_pops > UINT32_MAX || r->n_keys > UINT32_MAX || r->n_firsts > UINT32_MAX)
		return corrupt(msg, msglen, "spec '%s': too many entries", nm);
	for (uint64_t i = 0; i < r->n_pops; i++) {
		const uint8_t *e = r->pops + i * s->pop_size;
		if (get_le64(e) == 0 || bad_weight(get_f64(e + 24)))
			return corrupt(msg, msglen, "spec '%s': population %llu is invalid", nm, (unsigned long long)i);
	}
	for (uint64_t i = 0; i < r->n_keys; i++) {
		const uint8_t *e = r->keys + i * s->key_size;
		if (get_le64(e) == 0 || bad_weight(get_f64(e + 8)))
			return corrupt(msg, msglen, "spec '%s': key %llu is invalid", nm, (unsigned long long)i);
	}
	for (uint64_t i = 0; i < r->n_firsts; i++)
		if (get_le64(r->firsts + i * s->first_size) == 0)
			return corrupt(msg, msglen, "spec '%s': first %llu is invalid", nm, (unsigned long long)i);
	return WT_OK;
}

struct rank {
	double v;
	uint32_t i;
};

static int rank_desc(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	if (x->v != y->v)
		return x->v < y->v ? 1 : -1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* How one kind of entry is restored: its worth in the file (the worthiest are kept when
 * the table is smaller than the file's entries) and how a file entry merges into a slot
 * (fresh: just inserted; an entry found twice is merged). */
struct kind {
	const char *what;
	double (*worth)(const uint8_t *e);
	void (*merge)(void *slot, const uint8_t *e, bool fresh);
};

static double pop_worth(const uint8_t *e)
{
	return get_f64(e + 24);
}

static void pop_merge(void *slot, const uint8_t *e, bool fresh)
{
	struct wt_bl_pop *p = slot;
	int64_t first = (int64_t)get_le64(e + 8);
	if (fresh || first < p->first)
		p->first = first;
	p->events += get_le64(e + 16);
	p->w += get_f64(e + 24);
}

static double key_worth(const uint8_t *e)
{
	return get_f64(e + 8);
}

static void key_merge(void *slot, const uint8_t *e, bool fresh)
{
	struct wt_bl_key *k = slot;
	int64_t last = (int64_t)get_le64(e + 16);
	if (fresh || last > k->last)
		k->last = last;
	k->w += get_f64(e + 8);
	for (unsigned i = 0; i < WT_SPREAD_MAX; i++) {
		uint32_t fp = wt_get_le32(e + 24 + 4 * i);
		if (fp)
			wt_bl_spread_add(k, fp);
	}
}

static double first_worth(const uint8_t *e)
{
	return wt_get_le32(e + 8);
}

static void first_merge(void *slot, const uint8_t *e, bool fresh)
{
	struct wt_bl_first *f = slot;
	uint32_t seen = wt_get_le32(e + 8);
	if (fresh || seen > f->seen)
		f->seen = seen;
}

static const struct kind pop_kind = {"populations", pop_worth, pop_merge};
static const struct kind key_kind = {"keys", key_worth, key_merge};
static const struct kind first_kind = {"firsts", first_worth, first_merge};

/* Fill table t (cleared) with n entries of size bytes. When they are more than its bound,
 * the worthiest go in first (the rest are dropped and counted as evictions, and named in
 * msg); without memory to rank them, file order, and the table evicts as usual. */
static void restore_table(struct wt_bl_table *t, const struct kind *k, const uint8_t *items, uint64_t n,
			  uint32_t size, uint64_t *evictions, const char *spec, char *msg, size_t msglen)
{
	struct rank *rk = NULL;
	if (n > t->lim && (rk = malloc((size_t)n * sizeof *rk))) {
		for (uint64_t i = 0; i < n; i++) {
			rk[i].v = k->worth(items + i * size);
			rk[i].i = (uint32_t)i;
		}
		qsort(rk, (size_t)n, sizeof *rk, rank_desc);
		*evictions += n - t->lim;
		append(msg, msglen, "; '%s' kept the %u worthiest of %llu %s (smaller limit)", spec, t->lim,
		       (unsigned long long)n, k->what);
	}
	uint64_t m = rk ? t->lim : n;
	for (uint64_t j = 0; j < m; j++) {
		const uint8_t *e = items + (uint64_t)(rk ? rk[j].i : j) * size;
		uint64_t key = get_le64(e);
		bool found;
		uint32_t i = wt_bl_find(t, key, &found);
		if (!found)
			i = wt_bl_insert(t, key, i, evictions);
		k->merge(wt_bl_at(t, i), e, !found);
	}
	free(rk);
}

/* Replace spec s's state by record r (already checked: this cannot fail). */
static void restore(struct wt_bl_spec *s, const struct snap *sn, const struct rec *r, char *msg, size_t msglen)
{
	wt_bl_clear(&s->keys);
	wt_bl_clear(&s->pops);
	wt_bl_clear(&s->firsts);
	s->have_t = r->flags & F_TIME;
	s->landmark = s->now = s->have_t ? r->time : 0;
	restore_table(&s->pops, &pop_kind, r->pops, r->n_pops, sn->pop_size, &s->st.population_evictions, s->name,
		      msg, msglen);
	restore_table(&s->keys, &key_kind, r->keys, r->n_keys, sn->key_size, &s->st.key_evictions, s->name, msg,
		      msglen);
	if (s->firsts.slot) /* else this spec does not remember firsts (any more) */
		restore_table(&s->firsts, &first_kind, r->firsts, r->n_firsts, sn->first_size, &s->st.first_evictions,
			      s->name, msg, msglen);
}

static enum wt_err read_file(const char *path, uint8_t **data, uint64_t *len, bool *missing, char *msg,
			     size_t msglen)
{
	*missing = false;
	/* O_NONBLOCK: a FIFO in its place must be refused below, not wait for a writer */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			*missing = true;
			return WT_OK;
		}
		return io_fail(msg, msglen, "cannot open", path, errno);
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return io_fail(msg, msglen, "cannot stat", path, e);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return corrupt(msg, msglen, "%s is not a regular file", path);
	}
	if ((uint64_t)st.st_size > WT_MAX_BASELINE_SNAPSHOT) {
		close(fd);
		return corrupt(msg, msglen, "%s is %llu bytes, more than the %llu accepted", path,
			       (unsigned long long)st.st_size, (unsigned long long)WT_MAX_BASELINE_SNAPSHOT);
	}
	uint64_t size = (uint64_t)st.st_size;
	uint8_t *d = malloc(size ? (size_t)size : 1);
	if (!d) {
		close(fd);
		wt_bl_say(msg, msglen, "baseline snapshot: no memory to read %llu bytes of %s", (unsigned long long)size, path);
		return WT_E_NOMEM;
	}
	uint64_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, d + got, (size_t)(size - got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(d);
			close(fd);
			return io_fail(msg, msglen, "cannot read", path, e);
		}
		if (r == 0)
			break; /* shrank while reading: the size check below refuses it */
		got += (uint64_t)r;
	}
	close(fd);
	*data = d;
	*len = got;
	return WT_OK;
}

/* Up to this many spec names are listed per category in the load message. */
#define NAMES_LISTED 8

static void note(char *msg, size_t msglen, unsigned *n, const char *name, const char *why)
{
	if ((*n)++ < NAMES_LISTED)
		append(msg, msglen, "%s '%s'%s%s%s", *n > 1 ? "," : "", name, why ? " (" : "", why ? why : "",
		       why ? ")" : "");
	else if (*n == NAMES_LISTED + 1)
		append(msg, msglen, ", ...");
}

/* Remove the temporary files (TEMP_PREFIX + mkostemp's 6 characters) that saves killed
 * half-way left in dir: each is a whole snapshot's size, and a crash loop would fill the
 * state directory with them. Returns how many went. */
static unsigned remove_stale_temps(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	unsigned n = 0;
	time_t now = time(NULL);
	struct dirent *e;
	while ((e = readdir(d))) {
		struct stat st;
		if (strncmp(e->d_name, TEMP_PREFIX, strlen(TEMP_PREFIX)) != 0 ||
		    strlen(e->d_name) != strlen(TEMP_PREFIX) + 6 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
		    now - st.st_mtime < STALE_TEMP_S)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			n++;
	}
	closedir(d);
	return n;
}

static enum wt_err load(struct wt_baseline *b, const char *dir, unsigned *loaded, char *msg, size_t msglen);

enum wt_err wt_baseline_load(struct wt_baseline *b, const char *dir, unsigned *loaded, char *msg, size_t msglen)
{
	unsigned stale = b && dir ? remove_stale_temps(dir) : 0;
	enum wt_err e = load(b, dir, loaded, msg, msglen);
	if (stale && msg)
		append(msg, msglen, "; removed %u temporary file%s of interrupted saves", stale, stale == 1 ? "" : "s");
	/* a refused snapshot may be good for another version (a rollback) or readable later:
	 * moved aside rather than overwritten by the next save */
	char path[4096], aside[4096];
	struct stat st;
	if (e != WT_OK && e != WT_E_INVALID &&
	    (size_t)snprintf(path, sizeof path, "%s/%s", dir, WT_BASELINE_FILE) < sizeof path &&
	    (size_t)snprintf(aside, sizeof aside, "%s.refused", path) < sizeof aside && lstat(path, &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		if (rename(path, aside) == 0)
			append(msg, msglen, "; the file is kept as %s", aside);
		else
			append(msg, msglen, "; cannot keep it as %s (%s): the next save replaces it", aside, strerror(errno));
	}
	return e;
}

static enum wt_err load(struct wt_baseline *b, const char *dir, unsigned *loaded, char *msg, size_t msglen)
{
	*loaded = 0;
	wt_bl_say(msg, msglen, "%s", "");
	char path[4096];
	if (!b || !dir || (size_t)snprintf(path, sizeof path, "%s/%s", dir, WT_BASELINE_FILE) >= sizeof path) {
		wt_bl_say(msg, msglen, "baseline snapshot: no or too long directory name");
		return WT_E_INVALID;
	}
	uint8_t *d = NULL;
	uint64_t len = 0;
	bool missing;
	enum wt_err e = read_file(path, &d, &len, &missing, msg, msglen);
	if (e != WT_OK)
		return e;
	if (missing) {
		wt_bl_say(msg, msglen, "no baseline snapshot at %s: learning from scratch", path);
		return WT_OK;
	}

	/* pass 1: the whole file is checked before anything is used */
	struct snap sn = {.d = d, .len = len};
	e = check_header(&sn, msg, msglen);
	uint64_t off = sn.hdr;
	struct rec r;
	for (unsigned i = 0; e == WT_OK && i < sn.n_specs; i++)
		e = parse_rec(&sn, &off, i, &r, msg, msglen);
	if (e == WT_OK && off != len)
		e = corrupt(msg, msglen, "%llu bytes after the last spec", (unsigned long long)(len - off));
	if (e != WT_OK) {
		free(d);
		return e;
	}

	/* pass 2: restore the specs whose name, ident and population match */
	bool *done = wt_xcalloc(b->n ? b->n : 1, sizeof *done);
	char ignored[1024] = "", kept[1024] = "", nb[80];
	unsigned n_ignored = 0, n_fresh = 0;
	off = sn.hdr;
	/* records of other specs are kept only when laid out as this version writes them */
	bool same_layout = sn.spec_size == SNAP_SPEC && sn.pop_size == SNAP_POP && sn.key_size == SNAP_KEY &&
			   sn.first_size == SNAP_FIRST;
	free(b->carry);
	b->carry = NULL;
	b->carry_len = 0;
	b->n_carry = 0;
	for (unsigned i = 0; i < sn.n_specs; i++) {
		uint64_t start = off;
		parse_rec(&sn, &off, i, &r, NULL, 0);
		const char *nm = shown(r.name, r.name_len, nb, sizeof nb);
		int k = wt_bl_find_spec(b, (const char *)r.name, r.name_len);
		if (k < 0 && same_layout) {
			b->carry = wt_xrealloc(b->carry, b->carry_len + (size_t)(off - start));
			memcpy(b->carry + b->carry_len, d + start, (size_t)(off - start));
			b->carry_len += (size_t)(off - start);
			b->n_carry++;
			note(ignored, sizeof ignored, &n_ignored, nm, "not in the ruleset: kept");
		} else if (k < 0)
			note(ignored, sizeof ignored, &n_ignored, nm, "not in the ruleset");
		else if (b->s[k].p.ident != r.ident)
			note(ignored, sizeof ignored, &n_ignored, nm, "key definition changed");
		else if ((uint32_t)b->s[k].p.pop != r.pop)
			note(ignored, sizeof ignored, &n_ignored, nm, "population changed");
		else if (done[k])
			note(ignored, sizeof ignored, &n_ignored, nm, "duplicate");
		else {
			restore(&b->s[k], &sn, &r, kept, sizeof kept);
			done[k] = true;
			(*loaded)++;
		}
	}
	char created[40] = "?";
	int64_t ct = (int64_t)get_le64(d + 32);
	time_t sec = (time_t)(ct / 1000000000);
	struct tm tm;
	if (gmtime_r(&sec, &tm))
		strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	wt_bl_say(msg, msglen, "baseline snapshot %s of %s: restored %u of %u specs", path, created, *loaded, b->n);
	append(msg, msglen, "%s", kept);
	if (n_ignored)
		append(msg, msglen, "; ignored from the snapshot:%s", ignored);
	for (unsigned i = 0; i < b->n; i++)
		if (!done[i]) {
			if (!n_fresh)
				append(msg, msglen, "; learning from scratch:");
			note(msg, msglen, &n_fresh, b->s[i].name, NULL);
		}
	free(done);
	free(d);
	return WT_OK;
}
