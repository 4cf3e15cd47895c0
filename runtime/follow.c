/* Follow mode: one reader per open generation of the followed path (the current file and a
 * few rotated-away ones still being drained), woken by inotify on the file's directory with a
 * bounded poll as fallback. Owns rotation, truncation and partial-line handling. */
#include "follow.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#define TAIL 4096          /* bytes before the read offset kept to recognize the file's content */
#define MIN_OVERLAP 128    /* bytes a shorter copy must share with what was read */
#define INITIAL_BUF (1u << 20)
#define MAX_OLD WT_FOLLOW_OLD
#define MAX_SEEN WT_FOLLOW_SEEN

struct reader {
	int fd;
	dev_t dev;
	ino_t ino;
	char *buf; /* buf[start, len) unprocessed; WT_JSON_PADDING readable bytes follow len */
	size_t cap, start, len;
	bool skipping; /* inside a line already reported as too long */
	uint64_t lineno;
	off_t off; /* file offset of buf[len] */
	char tail[TAIL]; /* the last tail_len bytes before off */
	size_t tail_len;
	char head[TAIL]; /* the first head_len bytes of the content, as read (0: not read from 0) */
	size_t head_len;
	int64_t last_data; /* monotonic ns of the last read that returned bytes */
	char *name;
};

struct follower {
	struct wt_ingest *in;
	struct wt_engine *en;
	const char *path, *base;
	char *dir;
	struct wt_follow_opts o;
	volatile sig_atomic_t *stop;
	struct wt_follow_stats *st;
	struct reader cur;
	bool have_cur;
	struct reader old[MAX_OLD];
	unsigned n_old;
	uint64_t generation; /* files opened at the path so far */
	struct {
		dev_t dev;
		ino_t ino;
		off_t size; /* bytes read when it was closed */
	} seen[MAX_SEEN];
	unsigned n_seen, next_seen;
	bool waiting_reported, open_error_reported;
	bool missing_at_start; /* the path did not exist when following began: read it whole */
	/* copy-truncate: the newest copy handled (matched or queued); copies newer than it that
	 * appear before anything of the file's new content was read are generations missed */
	bool have_last_copy;
	struct timespec last_copy_m;
	char last_copy_name[256];
};

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static bool stopping(const struct follower *f)
{
	return f->stop && *f->stop;
}

static void tail_push(struct reader *r, const char *p, size_t n)
{
	if (n >= TAIL) {
		memcpy(r->tail, p + n - TAIL, TAIL);
		r->tail_len = TAIL;
		return;
	}
	size_t keep = r->tail_len + n > TAIL ? TAIL - n : r->tail_len;
	memmove(r->tail, r->tail + r->tail_len - keep, keep);
	memcpy(r->tail + keep, p, n);
	r->tail_len = keep + n;
}

/* Do the bytes of fd just before `at` still equal what was read there? */
static bool tail_matches(int fd, const struct reader *r, off_t at)
{
	if (!r->tail_len)
		return true;
	char tmp[TAIL];
	ssize_t g = pread(fd, tmp, r->tail_len, at - (off_t)r->tail_len);
	return g == (ssize_t)r->tail_len && memcmp(tmp, r->tail, r->tail_len) == 0;
}

/* Is fd (size bytes) a copy of what was read, taken before the last read (logrotate copies,
 * the writer appends, then logrotate truncates)? Its last bytes must equal the bytes read at
 * the same place, at least MIN_OVERLAP of them. */
static bool prefix_of_read(int fd, const struct reader *r, off_t had, off_t size)
{
	off_t from = had - (off_t)r->tail_len;
	if (size >= had || size - from < MIN_OVERLAP)
		return false;
	size_t n = (size_t)(size - from);
	char tmp[TAIL];
	return pread(fd, tmp, n, from) == (ssize_t)n && memcmp(tmp, r->tail, n) == 0;
}

static void reader_reset(struct reader *r)
{
	r->start = r->len = 0;
	r->skipping = false;
	r->lineno = 0;
	r->off = 0;
	r->tail_len = 0;
	r->head_len = 0;
}

/* Hand every complete line of the buffer to ingest; make room for the next read. */
static void lines(struct follower *f, struct reader *r)
{
	char *nl;
	while (!stopping(f) && (nl = memchr(r->buf + r->start, '\n', r->len - r->start))) {
		size_t end = (size_t)(nl - r->buf), n = end - r->start;
		if (r->skipping)
			r->skipping = false;
		else if (n > WT_MAX_LINE)
			wt_ingest_too_long(f->in, r->name, ++r->lineno);
		else
			wt_ingest_line(f->in, f->en, r->buf + r->start, n, r->name, ++r->lineno);
		r->start = end + 1;
	}
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->len - r->start);
		r->len -= r->start;
		r->start = 0;
	}
	if (r->len == r->cap) { /* no newline in a full buffer */
		if (r->len >= WT_MAX_LINE) {
			if (!r->skipping)
				wt_ingest_too_long(f->in, r->name, ++r->lineno);
			r->skipping = true;
			r->len = 0;
		} else {
			r->cap *= 2;
			r->buf = wt_xrealloc(r->buf, r->cap + WT_JSON_PADDING);
		}
	}
}

/* One read(2). Returns bytes read, 0 at end of file, -1 on a read error, -2 when the file no
 * longer holds what was read before the offset (truncated and rewritten): the bytes just
 * read belong to a new content and are discarded. */
static ssize_t read_some(struct follower *f, struct reader *r)
{
	off_t before = r->off;
	ssize_t got = read(r->fd, r->buf + r->len, r->cap - r->len);
	if (got < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return 0;
		fprintf(f->in->log, "worktraced: %s: %s\n", r->name, strerror(errno));
		return -1;
	}
	if (got == 0)
		return 0;
	if (before > 0 && !tail_matches(r->fd, r, before))
		return -2;
	if (before == (off_t)r->head_len && r->head_len < TAIL) {
		size_t k = (size_t)got < TAIL - r->head_len ? (size_t)got : TAIL - r->head_len;
		memcpy(r->head + r->head_len, r->buf + r->len, k);
		r->head_len += k;
	}
	tail_push(r, r->buf + r->len, (size_t)got);
	r->len += (size_t)got;
	memset(r->buf + r->len, 0, WT_JSON_PADDING);
	r->off += got;
	r->last_data = mono_ns();
	return got;
}

static bool reader_open_at(struct follower *f, struct reader *r, int dirfd, const char *file, bool at_end)
{
	int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno != ENOENT) {
			f->st->open_errors++;
			if (!f->open_error_reported)
				fprintf(f->in->log, "worktraced: %s: %s (retrying)\n", f->path, strerror(errno));
			f->open_error_reported = true;
		}
		return false;
	}
	struct stat st;
	bool ok = fstat(fd, &st) == 0;
	if (!ok || S_ISDIR(st.st_mode)) {
		if (!f->open_error_reported)
			fprintf(f->in->log, "worktraced: %s: %s (retrying)\n", file,
				ok ? "is a directory" : strerror(errno));
		f->open_error_reported = true;
		f->st->open_errors++;
		close(fd);
		return false;
	}
	f->open_error_reported = false;
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	r->cap = INITIAL_BUF;
	r->buf = wt_xmalloc(r->cap + WT_JSON_PADDING);
	r->last_data = mono_ns();
	f->generation++;
	size_t nl = strlen(f->path) + 32;
	r->name = wt_xmalloc(nl);
	if (f->generation == 1)
		snprintf(r->name, nl, "%s", f->path);
	else
		snprintf(r->name, nl, "%s#%llu", f->path, (unsigned long long)f->generation);
	r->name[nl - 1] = 0;
	if (at_end && S_ISREG(st.st_mode) && st.st_size > 0) {
		/* start after the last complete line: a partial last line is read once it ends */
		off_t pos = st.st_size, limit = st.st_size > (off_t)WT_MAX_LINE ? st.st_size - (off_t)WT_MAX_LINE : 0;
		char blk[65536];
		bool found = false;
		while (pos > limit && !found) {
			size_t n = (size_t)(pos - limit < (off_t)sizeof blk ? pos - limit : (off_t)sizeof blk);
			if (pread(fd, blk, n, pos - (off_t)n) != (ssize_t)n)
				break;
			for (size_t i = n; i > 0; i--)
				if (blk[i - 1] == '\n') {
					pos = pos - (off_t)n + (off_t)i;
					found = true;
					break;
				}
			if (!found)
				pos -= (off_t)n;
		}
		r->off = found ? pos : st.st_size;
		lseek(fd, r->off, SEEK_SET);
		size_t t = r->off < (off_t)TAIL ? (size_t)r->off : TAIL;
		if (pread(fd, r->tail, t, r->off - (off_t)t) == (ssize_t)t) {
			r->tail_len = t;
		} else { /* cannot see the bytes before the offset: read it all */
			r->off = 0;
			r->tail_len = 0;
			lseek(fd, 0, SEEK_SET);
		}
	}
	return true;
}

static bool reader_open(struct follower *f, struct reader *r, bool at_end)
{
	return reader_open_at(f, r, AT_FDCWD, f->path, at_end);
}

/* A generation read to `size`: not to be read again while it has that size. */
static void remember(struct follower *f, dev_t dev, ino_t ino, off_t size)
{
	f->seen[f->next_seen].dev = dev;
	f->seen[f->next_seen].ino = ino;
	f->seen[f->next_seen].size = size;
	f->next_seen = (f->next_seen + 1) % MAX_SEEN;
	if (f->n_seen < MAX_SEEN)
		f->n_seen++;
}

/* Read to the end, then hand over a last line without a newline: the file is done. */
static void reader_close(struct follower *f, struct reader *r, bool final)
{
	if (final && !stopping(f)) {
		ssize_t got;
		while ((got = read_some(f, r)) > 0 && !stopping(f))
			lines(f, r);
		if (got == 0 && r->len > r->start && !r->skipping && !stopping(f))
			wt_ingest_line(f->in, f->en, r->buf + r->start, r->len - r->start, r->name, ++r->lineno);
	} else if (r->len > r->start && stopping(f)) {
		fprintf(f->in->log, "worktraced: %s: stopped before the end of an incomplete last line (%zu bytes left unprocessed)\n",
			r->name, r->len - r->start);
	}
	remember(f, r->dev, r->ino, r->off);
	close(r->fd);
	free(r->buf);
	free(r->name);
	memset(r, 0, sizeof *r);
	r->fd = -1;
}

/* Could nm be a rotated generation of the followed file? NAME.1, NAME-20261204, NAME_x (and
 * logrotate's NAME.1 after NAME.2 ...), or Tetragon's own (lumberjack) backups STEM-TIME.EXT
 * of NAME = STEM.EXT. */
static bool rotated_name(const struct follower *f, const char *nm)
{
	size_t bl = strlen(f->base), nl = strlen(nm);
	if (nl > bl && strncmp(nm, f->base, bl) == 0 && strchr(".-_", nm[bl]))
		return true;
	const char *dot = strrchr(f->base, '.');
	if (!dot || dot == f->base)
		return false;
	size_t stem = (size_t)(dot - f->base), el = bl - stem;
	return nl > stem + 1 + el && strncmp(nm, f->base, stem) == 0 && nm[stem] == '-' &&
	       strcmp(nm + nl - el, dot) == 0;
}

/* A rotated copy of the followed file beside it (copy-truncate: NAME.1, NAME-20261204, ...):
 * a regular file, not the followed one, holding at least `had` bytes whose last bytes before
 * `had` are the ones read there. The newest such file wins. Returns an open fd or -1. */
static int find_copy(struct follower *f, const struct reader *r, off_t had, char *found, size_t foundlen,
		     struct stat *found_st, bool *prefix)
{
	*prefix = false;
	DIR *d = opendir(f->dir);
	if (!d)
		return -1;
	int best = -1;
	struct timespec best_m = {0, 0};
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!rotated_name(f, de->d_name))
			continue;
		int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		struct stat st;
		bool whole = false, part = false; /* holds what was read and maybe more / less of it */
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && !(st.st_ino == r->ino && st.st_dev == r->dev)) {
			whole = st.st_size >= had && tail_matches(fd, r, had);
			part = !whole && prefix_of_read(fd, r, had, st.st_size);
		}
		/* a whole copy beats a shorter one; then the newest */
		bool better = best < 0 || (whole && *prefix) ||
			      (whole == !*prefix && (st.st_mtim.tv_sec > best_m.tv_sec ||
						     (st.st_mtim.tv_sec == best_m.tv_sec && st.st_mtim.tv_nsec > best_m.tv_nsec)));
		if (!(whole || part) || !better) {
			close(fd);
			continue;
		}
		if (best >= 0)
			close(best);
		best = fd;
		best_m = st.st_mtim;
		*prefix = part;
		*found_st = st;
		snprintf(found, foundlen, "%s", de->d_name);
	}
	closedir(d);
	return best;
}

static unsigned skipped_generations(struct follower *f, const struct timespec *after, const char *after_name,
				    const struct stat *next);
static void remember(struct follower *f, dev_t dev, ino_t ino, off_t size);

/* The followed file shrank or was rewritten under the offset (copy-truncate). What was
 * written after the last read is in the rotated copy when one is found: it is read from
 * there. Then the file is read again from its start. */
static void truncated(struct follower *f, struct reader *r)
{
	f->st->truncations++;
	/* what came before the truncation goes first: the queued copies, then the lines
	 * already in the buffer (read ahead at the previous truncation) */
	for (unsigned i = 0; i < f->n_old && !stopping(f); i++) {
		ssize_t got;
		while (!stopping(f) && (got = read_some(f, &f->old[i])) > 0)
			lines(f, &f->old[i]);
	}
	lines(f, r);
	off_t had = r->off;
	char copy[256] = "";
	struct stat cst;
	bool shorter;
	int cfd = find_copy(f, r, had, copy, sizeof copy, &cst, &shorter);
	uint64_t recovered = 0;
	if (cfd >= 0 && !shorter && lseek(cfd, had, SEEK_SET) == had) {
		int keep = r->fd;
		r->fd = cfd;
		uint64_t l0 = r->lineno;
		ssize_t got;
		while (!stopping(f) && (got = read_some(f, r)) > 0)
			lines(f, r);
		recovered = r->lineno - l0;
		r->fd = keep;
		f->st->recovered += recovered;
	}
	uint64_t lost = 0;
	if (r->len > r->start && !r->skipping) /* an incomplete last line cannot be completed */
		lost = 1;
	f->st->lost += lost;
	if (cfd >= 0) {
		close(cfd);
		if (shorter)
			fprintf(f->in->log,
				"worktraced: %s: truncated after byte %lld (copy-truncate); its copy %s ends at byte %lld,"
				" before what was read: nothing unread, %llu incomplete line lost; reading from the start\n",
				r->name, (long long)had, copy, (long long)cst.st_size, (unsigned long long)lost);
		else
			fprintf(f->in->log,
				"worktraced: %s: truncated after byte %lld (copy-truncate); %llu more lines read from %s,"
				" %llu incomplete line lost; reading from the start\n",
				r->name, (long long)had, (unsigned long long)recovered, copy, (unsigned long long)lost);
		remember(f, cst.st_dev, cst.st_ino, shorter ? cst.st_size : r->off);
		f->have_last_copy = true;
		f->last_copy_m = cst.st_mtim;
		snprintf(f->last_copy_name, sizeof f->last_copy_name, "%s", copy);
	} else {
		f->st->unaccounted++;
		fprintf(f->in->log,
			"worktraced: %s: truncated after byte %lld; no rotated copy found beside it, so lines written"
			" after the last read could not be counted; reading from the start\n",
			r->name, (long long)had);
	}
	reader_reset(r);
	lseek(r->fd, 0, SEEK_SET);
	/* take the new content's first bytes now (processed after the queued copies): they are
	 * what tells its next truncation apart, however soon that comes */
	read_some(f, r);
	/* then the copies made by later truncations, while the follower was behind: whole
	 * generations it never saw (not the one just read the start of), read before it */
	if (cfd >= 0) {
		struct stat none = {0};
		f->st->truncations += skipped_generations(f, &cst.st_mtim, copy, &none);
	}
}

/* Read the current file: data, end of file, or a truncation. Returns true when bytes came. */
static bool read_current(struct follower *f)
{
	struct reader *r = &f->cur;
	if (r->off == 0 && f->have_last_copy) {
		/* nothing read yet of the content since the last truncation: a newer copy means
		 * that content was truncated away already; it goes first */
		struct stat none = {0};
		unsigned n = skipped_generations(f, &f->last_copy_m, f->last_copy_name, &none);
		if (n) {
			f->st->truncations += n;
			return true;
		}
	}
	if (r->len > r->start) /* read ahead at a truncation: its turn came */
		lines(f, r);
	ssize_t got = read_some(f, r);
	if (got > 0) {
		lines(f, r);
		return true;
	}
	if (got == -2) {
		truncated(f, r);
		return true;
	}
	/* at the end: shorter than the offset, or the same size with other bytes before it */
	struct stat st;
	if (got == 0 && fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_size < r->off || (r->off > 0 && !tail_matches(r->fd, r, r->off)))) {
		truncated(f, r);
		return true;
	}
	return false;
}

/* Open now, or closed after reading it to the size it still has? */
static bool is_read(const struct follower *f, const struct stat *st)
{
	for (unsigned i = 0; i < f->n_seen; i++)
		if (f->seen[i].ino == st->st_ino && f->seen[i].dev == st->st_dev && f->seen[i].size == st->st_size)
			return true;
	if (f->have_cur && f->cur.ino == st->st_ino && f->cur.dev == st->st_dev)
		return true;
	for (unsigned i = 0; i < f->n_old; i++)
		if (f->old[i].ino == st->st_ino && f->old[i].dev == st->st_dev)
			return true;
	return false;
}

static void push_old(struct follower *f, const struct reader *r)
{
	if (f->n_old == MAX_OLD) {
		reader_close(f, &f->old[0], true);
		memmove(&f->old[0], &f->old[1], (MAX_OLD - 1) * sizeof f->old[0]);
		f->n_old--;
	}
	f->old[f->n_old++] = *r;
}

/* Is the copy fd one of the content being read now (copied, not yet truncated)? It starts
 * like that content: as it was read from its start, else as the file holds it now. */
static bool is_current(const struct follower *f, int fd)
{
	char x[TAIL], y[TAIL];
	ssize_t n = pread(fd, x, sizeof x, 0), m;
	if (f->cur.head_len) {
		m = (ssize_t)f->cur.head_len;
		memcpy(y, f->cur.head, f->cur.head_len);
	} else {
		m = pread(f->cur.fd, y, sizeof y, 0);
	}
	if (n <= 0 || m <= 0)
		return false;
	return memcmp(x, y, (size_t)(n < m ? n : m)) == 0;
}

/* Is rotated file a older than b? By last write; files written within one tick of the
 * kernel's coarse clock tie, and then the name decides: logrotate's NAME.N is older for a
 * larger N, dated and timestamped names (dateext, Tetragon's STEM-TIME.EXT) sort by time. */
static bool older(const struct follower *f, const char *a, const struct timespec *ma, const char *b,
		  const struct timespec *mb)
{
	if (ma->tv_sec != mb->tv_sec)
		return ma->tv_sec < mb->tv_sec;
	if (ma->tv_nsec != mb->tv_nsec)
		return ma->tv_nsec < mb->tv_nsec;
	size_t bl = strlen(f->base);
	char *ea, *eb;
	if (!strncmp(a, f->base, bl) && !strncmp(b, f->base, bl) && a[bl] == '.' && b[bl] == '.') {
		unsigned long na = strtoul(a + bl + 1, &ea, 10), nb = strtoul(b + bl + 1, &eb, 10);
		if (ea != a + bl + 1 && !*ea && eb != b + bl + 1 && !*eb)
			return na > nb;
	}
	return strcmp(a, b) < 0;
}

/* Generations the writer rotated away before the follower opened them (it was behind by more
 * than one rotation, or truncation): rotated files beside the path, not open or read, last
 * written after the file just finished (`after`; ties count as later unless `after_name`
 * orders them, see older()) and not the new file (`next`). They are queued to be read
 * whole, oldest first, before the file at the path. Returns how many were found. */
static unsigned skipped_generations(struct follower *f, const struct timespec *after, const char *after_name,
				    const struct stat *next)
{
	enum { MAX_SKIPPED = WT_FOLLOW_SCAN };
	struct cand {
		char name[256];
		struct timespec m;
	} c[MAX_SKIPPED];
	unsigned n = 0;
	DIR *d = opendir(f->dir);
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < MAX_SKIPPED) {
		const char *nm = de->d_name;
		size_t len = strlen(nm);
		if (!rotated_name(f, nm) || len >= sizeof c[0].name)
			continue;
		static const char *const packed[] = {".gz", ".bz2", ".xz", ".zst", ".lz4", ".zip"};
		bool skip = false;
		for (size_t i = 0; i < WT_ARRAY_LEN(packed); i++)
			if (len > strlen(packed[i]) && !strcmp(nm + len - strlen(packed[i]), packed[i]))
				skip = true;
		struct stat st;
		/* mtime ties count as later: file times are as coarse as the kernel's clock tick */
		if (skip || fstatat(dirfd(d), nm, &st, 0) != 0 || !S_ISREG(st.st_mode) || is_read(f, &st) ||
		    (st.st_ino == next->st_ino && st.st_dev == next->st_dev) ||
		    st.st_mtim.tv_sec < after->tv_sec ||
		    (st.st_mtim.tv_sec == after->tv_sec && st.st_mtim.tv_nsec < after->tv_nsec) ||
		    (after_name && !older(f, after_name, after, nm, &st.st_mtim)))
			continue;
		if (after_name && f->have_cur) { /* copy-truncate: copied, but not truncated yet? */
			int cfd = openat(dirfd(d), nm, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
			bool current = cfd >= 0 && is_current(f, cfd);
			if (cfd >= 0)
				close(cfd);
			if (current)
				continue;
		}
		memcpy(c[n].name, nm, len + 1);
		c[n].m = st.st_mtim;
		n++;
	}
	/* oldest first */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && older(f, c[j].name, &c[j].m, c[j - 1].name, &c[j - 1].m); j--) {
			struct cand t = c[j];
			c[j] = c[j - 1];
			c[j - 1] = t;
		}
	unsigned opened = 0;
	for (unsigned i = 0; i < n; i++) {
		struct reader r;
		if (!reader_open_at(f, &r, dirfd(d), c[i].name, false))
			continue;
		if (after_name) {
			f->have_last_copy = true;
			f->last_copy_m = c[i].m;
			memcpy(f->last_copy_name, c[i].name, sizeof f->last_copy_name);
		}
		fprintf(f->in->log, "worktraced: %s: %s was rotated away before it was read; reading it whole\n",
			f->path, c[i].name);
		push_old(f, &r);
		opened++;
	}
	closedir(d);
	return opened;
}

/* Has the path been renamed away, deleted and recreated, or created? Switch to the new file
 * after reading the old one to its end; keep the old one open a while for late writes. */
static bool check_path(struct follower *f)
{
	struct stat st;
	if (stat(f->path, &st) != 0) {
		if (!f->generation)
			f->missing_at_start = true;
		if (!f->have_cur && !f->waiting_reported) {
			fprintf(f->in->log, "worktraced: %s: %s; waiting for it to appear\n", f->path, strerror(errno));
			f->waiting_reported = true;
		}
		return false;
	}
	if (f->have_cur && st.st_ino == f->cur.ino && st.st_dev == f->cur.dev)
		return false;
	struct reader next;
	bool first = f->generation == 0;
	if (!reader_open(f, &next, first && !f->o.from_start && !f->missing_at_start))
		return false;
	unsigned skipped = 0;
	if (f->have_cur) {
		ssize_t got;
		while (!stopping(f) && (got = read_some(f, &f->cur)) > 0)
			lines(f, &f->cur);
		struct stat done;
		bool have_done = fstat(f->cur.fd, &done) == 0;
		push_old(f, &f->cur);
		struct stat nx = {0};
		nx.st_ino = next.ino;
		nx.st_dev = next.dev;
		if (have_done)
			skipped = skipped_generations(f, &done.st_mtim, NULL, &nx);
	}
	if (!first) {
		f->st->rotations += 1 + skipped;
		fprintf(f->in->log, "worktraced: %s: a new file at the path (rotation %llu); reading it from the start\n",
			f->path, (unsigned long long)f->st->rotations);
	}
	else
		fprintf(f->in->log, "worktraced: following %s from byte %lld\n", f->path, (long long)next.off);
	f->cur = next;
	f->have_cur = true;
	return true;
}

/* Rotated-away files: read what their writer still appends; close them once idle. */
static bool drain_old(struct follower *f, int64_t now)
{
	bool any = false;
	for (unsigned i = 0; i < f->n_old && !stopping(f);) {
		struct reader *r = &f->old[i];
		ssize_t got = 0;
		while (!stopping(f) && (got = read_some(f, r)) > 0) {
			lines(f, r);
			any = true;
		}
		if (got < 0 || now - r->last_data >= (int64_t)f->o.drain_idle_ms * 1000000LL) {
			reader_close(f, r, got == 0);
			memmove(&f->old[i], &f->old[i + 1], (f->n_old - i - 1) * sizeof f->old[0]);
			f->n_old--;
			continue;
		}
		i++;
	}
	return any;
}

enum wt_err wt_follow_run(struct wt_ingest *in, struct wt_engine *en, const char *path,
			  const struct wt_follow_opts *opts, volatile sig_atomic_t *stop,
			  struct wt_follow_stats *st)
{
	struct follower f = {.in = in, .en = en, .path = path, .stop = stop, .st = st};
	f.o = *opts;
	if (!f.o.drain_idle_ms)
		f.o.drain_idle_ms = 1000;
	const char *slash = strrchr(path, '/');
	f.dir = slash ? wt_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : wt_xstrndup(".", 1);
	f.base = slash ? slash + 1 : path;
	if (!*f.base) {
		fprintf(in->log, "worktraced: --follow %s: not a file name\n", path);
		free(f.dir);
		return WT_E_IO;
	}
	struct stat pst;
	struct statfs fs;
	if (stat(path, &pst) == 0 &&
	    (!S_ISREG(pst.st_mode) ||
	     (statfs(path, &fs) == 0 && (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC)))) {
		/* pipes, devices and procfs files have no size or rotation to follow */
		fprintf(in->log, "worktraced: --follow %s: not a regular file (read a stream with --replay)\n", path);
		free(f.dir);
		return WT_E_IO;
	}
	int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ifd >= 0 && inotify_add_watch(ifd, f.dir, IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
							IN_ATTRIB | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF) < 0) {
		int e = errno;
		close(ifd);
		ifd = -1;
		if (e == ENOENT || e == ENOTDIR || e == EACCES) {
			fprintf(in->log, "worktraced: --follow %s: directory %s: %s\n", path, f.dir, strerror(e));
			free(f.dir);
			return WT_E_IO;
		}
	}
	if (!f.o.poll_ms)
		f.o.poll_ms = ifd >= 0 ? 250 : 100;
	while (!stopping(&f)) {
		if (in->tick) /* SIGHUP and the metrics' counters, at least every poll interval */
			in->tick(in->tick_ctx);
		int64_t now = mono_ns();
		bool any = drain_old(&f, now);
		if (f.have_cur && !stopping(&f))
			any |= read_current(&f);
		if (!stopping(&f))
			any |= check_path(&f);
		if (any || stopping(&f))
			continue;
		wt_engine_kick(en); /* about to wait: let the pipelines work on what they have */
		if (ifd >= 0) {
			struct pollfd p = {.fd = ifd, .events = POLLIN};
			if (poll(&p, 1, (int)f.o.poll_ms) > 0) {
				char evbuf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
				while (read(ifd, evbuf, sizeof evbuf) > 0)
					; /* what changed is re-read from the files themselves */
			}
		} else {
			struct timespec ts = {(time_t)(f.o.poll_ms / 1000), (long)(f.o.poll_ms % 1000) * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	for (unsigned i = 0; i < f.n_old; i++)
		reader_close(&f, &f.old[i], false);
	if (f.have_cur)
		reader_close(&f, &f.cur, false);
	if (ifd >= 0)
		close(ifd);
	free(f.dir);
	return WT_OK;
}
