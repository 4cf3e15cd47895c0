/* File sink: threat records as JSON lines appended to a file, rotated by size: before a
 * record would take the file past max_size it becomes PATH.1 (PATH.1 becomes PATH.2, ...,
 * up to PATH.keep, the oldest being replaced) and a new PATH is started. */
#include "sink.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct file_state {
	FILE *f;
	uint64_t size;
};

static enum wt_err reopen(struct wt_sink *s, struct file_state *fs)
{
	if (fs->f)
		fclose(fs->f);
	fs->f = fopen(s->spec.target, "a");
	if (!fs->f) {
		wt_sink_error(s, "%s: %s", s->spec.target, strerror(errno));
		return WT_E_IO;
	}
	struct stat st;
	fs->size = fstat(fileno(fs->f), &st) == 0 ? (uint64_t)st.st_size : 0;
	return WT_OK;
}

static enum wt_err file_open(struct wt_sink *s, char *err, size_t errlen)
{
	struct file_state *fs = wt_xcalloc(1, sizeof *fs);
	s->state = fs;
	if (reopen(s, fs) != WT_OK) {
		snprintf(err, errlen, "%s", s->error);
		return WT_E_INVALID;
	}
	return WT_OK;
}

static enum wt_err rotate(struct wt_sink *s, struct file_state *fs)
{
	size_t n = strlen(s->spec.target) + 16;
	char *from = wt_xmalloc(n), *to = wt_xmalloc(n);
	enum wt_err e = WT_OK;
	fclose(fs->f);
	fs->f = NULL;
	for (uint32_t i = s->spec.keep; i >= 1 && e == WT_OK; i--) {
		if (i > 1)
			snprintf(from, n, "%s.%u", s->spec.target, i - 1);
		else
			snprintf(from, n, "%s", s->spec.target);
		snprintf(to, n, "%s.%u", s->spec.target, i);
		if (rename(from, to) != 0 && errno != ENOENT) {
			wt_sink_error(s, "rotating %s to %s: %s", from, to, strerror(errno));
			e = WT_E_IO;
		}
	}
	free(from);
	free(to);
	enum wt_err r = reopen(s, fs);
	return e != WT_OK ? e : r;
}

static enum wt_err file_deliver(struct wt_sink *s, struct wt_sink_record *const *recs, uint32_t n)
{
	struct file_state *fs = s->state;
	if (!fs->f)
		WT_TRY(reopen(s, fs));
	for (uint32_t i = 0; i < n; i++) {
		const struct wt_sink_str *j = &recs[i]->json;
		if (s->spec.max_size && fs->size && fs->size + j->len + 1 > s->spec.max_size)
			WT_TRY(rotate(s, fs));
		if (fwrite(j->p, 1, j->len, fs->f) != j->len || putc('\n', fs->f) == EOF) {
			wt_sink_error(s, "writing %s: %s", s->spec.target, strerror(errno ? errno : EIO));
			fclose(fs->f);
			fs->f = NULL;
			return WT_E_IO;
		}
		fs->size += j->len + 1;
	}
	if (fflush(fs->f) != 0) {
		wt_sink_error(s, "writing %s: %s", s->spec.target, strerror(errno ? errno : EIO));
		fclose(fs->f);
		fs->f = NULL;
		return WT_E_IO;
	}
	return WT_OK;
}

static void file_close(struct wt_sink *s)
{
	struct file_state *fs = s->state;
	if (fs && fs->f)
		fclose(fs->f);
	free(fs);
	s->state = NULL;
}

const struct wt_sink_driver wt_sink_file_driver = {file_open, file_deliver, file_close};
