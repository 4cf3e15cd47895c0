/* Ingest of Tetragon JSON export lines: a padded line reader (simdjson needs readable
 * padding past each line), per-line decode, time normalization (event time, else process
 * start, else the previous event's time), enrichment, counting and publishing. */
#include "ingest.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define WT_MAX_MESSAGES 1000

enum wt_err wt_ingest_init(struct wt_ingest *in, const struct wt_workspace_config *ws, uint32_t proccache_size)
{
	memset(in, 0, sizeof *in);
	in->dec = wt_json_decoder_new();
	if (!in->dec)
		return WT_E_NOMEM;
	wt_event_builder_init(&in->b);
	wt_proccache_init(&in->pc, proccache_size);
	wt_loss_init(&in->loss, WT_DEFAULT_DEDUP_WINDOW_NS);
	in->ws = ws;
	in->log = stderr;
	in->wake_fd = -1;
	return WT_OK;
}

void wt_ingest_free(struct wt_ingest *in)
{
	wt_json_decoder_free(in->dec);
	wt_event_builder_free(&in->b);
	wt_proccache_free(&in->pc);
	wt_loss_free(&in->loss);
}

WT_PRINTF(4, 5) static void complain(struct wt_ingest *in, const char *name, uint64_t lineno, const char *fmt, ...)
{
	if (in->messages++ >= WT_MAX_MESSAGES) {
		if (in->messages == WT_MAX_MESSAGES + 1)
			fprintf(in->log, "%s: further input problems are counted but not printed\n", name);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	fprintf(in->log, "%s:%llu: ", name, (unsigned long long)lineno);
	vfprintf(in->log, fmt, ap);
	fputc('\n', in->log);
	va_end(ap);
}

void wt_ingest_line(struct wt_ingest *in, struct wt_engine *en, const char *line, size_t len,
		    const char *name, uint64_t lineno)
{
	in->stats.lines++;
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
		i++;
	if (i == len) {
		in->stats.blank++;
		return;
	}
	char err[256];
	enum wt_err e = wt_json_decode(in->dec, line, len, &in->b, err, sizeof err);
	if (e != WT_OK) {
		wt_ingest_reject(in, e, err, name, lineno);
		return;
	}
	wt_ingest_event(in, en);
}

void wt_ingest_reject(struct wt_ingest *in, enum wt_err e, const char *err, const char *name, uint64_t lineno)
{
	if (e == WT_E_UNKNOWN_KIND) {
		in->stats.unknown_kind++;
		complain(in, name, lineno, "unknown event kind \"%s\" skipped", err);
		return;
	}
	in->stats.malformed++;
	complain(in, name, lineno, "%s", err);
}

void wt_ingest_event(struct wt_ingest *in, struct wt_engine *en)
{
	struct wt_event *ev = &in->b.ev;
	if (ev->time == 0)
		ev->time = ev->proc.start_time ? ev->proc.start_time : in->last_time;
	in->last_time = ev->time;
	ev->seq = ++in->seq;
	in->stats.events++;
	in->stats.by_kind[ev->kind]++;
	if (ev->kind == WT_KIND_THROTTLE && wt_str_present(ev->throttle_type)) {
		if (strcmp(in->b.buf + ev->throttle_type.off, "THROTTLE_START") == 0)
			in->stats.throttle_start++;
		else
			in->stats.throttle_stop++;
	}
	wt_proccache_enrich(&in->pc, &in->b);
	wt_workspace_resolve(in->ws, &in->b);
	wt_loss_note(&in->loss, &in->b);
	wt_engine_publish(en, wt_event_finish(&in->b, WT_PIPE_COUNT));
}

void wt_ingest_too_long(struct wt_ingest *in, const char *name, uint64_t lineno)
{
	in->stats.lines++;
	in->stats.too_long++;
	complain(in, name, lineno, "line longer than %u bytes skipped", WT_MAX_LINE);
}

/* A mapped file that another process truncates raises SIGBUS on the next access to a page
 * past its new end. The ingest thread catches it, reports it and stops reading that file:
 * the daemon drains and exits with "input could not be read" instead of dying. */
static __thread sigjmp_buf *bus_jump;

static void on_sigbus(int sig)
{
	if (bus_jump)
		siglongjmp(*bus_jump, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A regular file is mapped and decoded in place: no copy through a read buffer. Lines are
 * padded by the bytes that follow them; a line too close to the end of the mapping for
 * simdjson's padding is copied. Returns the bytes consumed (whole lines only), so the read
 * loop can pick up anything appended since. */
static size_t ingest_mapped(struct wt_ingest *in, struct wt_engine *en, int fd, const char *name,
			    volatile sig_atomic_t *stop, uint64_t *lineno, bool *truncated)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || lseek(fd, 0, SEEK_CUR) != 0)
		return 0;
	size_t size = (size_t)st.st_size;
	char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return 0;
	madvise(map, size, MADV_SEQUENTIAL);
	char *tail = wt_xmalloc(WT_MAX_LINE + WT_JSON_PADDING + 1);
	volatile size_t start = 0;
	struct sigaction sa = {0}, old;
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, &old);
	sigjmp_buf jb;
	if (sigsetjmp(jb, 1)) {
		bus_jump = NULL;
		sigaction(SIGBUS, &old, NULL);
		fprintf(in->log, "worktraced: %s: the file was truncated while it was read; stopped after line %llu\n",
			name, (unsigned long long)*lineno);
		*truncated = true;
		free(tail);
		munmap(map, size);
		return start;
	}
	bus_jump = &jb;
	while (start < size && !(stop && *stop)) {
		if (in->tick && (*lineno & 4095) == 0)
			in->tick(in->tick_ctx);
		const char *nl = memchr(map + start, '\n', size - start);
		if (!nl)
			break; /* an unterminated last line is left to the read loop */
		size_t end = (size_t)(nl - map), n = end - start;
		if (n > WT_MAX_LINE) {
			wt_ingest_too_long(in, name, ++*lineno);
		} else if (end + WT_JSON_PADDING < size) {
			wt_ingest_line(in, en, map + start, n, name, ++*lineno);
		} else {
			memcpy(tail, map + start, n);
			memset(tail + n, 0, WT_JSON_PADDING);
			wt_ingest_line(in, en, tail, n, name, ++*lineno);
		}
		start = end + 1;
	}
	bus_jump = NULL;
	sigaction(SIGBUS, &old, NULL);
	free(tail);
	munmap(map, size);
	if (lseek(fd, (off_t)start, SEEK_SET) < 0)
		return 0;
	return start;
}

enum wt_err wt_ingest_stream(struct wt_ingest *in, struct wt_engine *en, FILE *f, const char *name,
			     volatile sig_atomic_t *stop)
{
	/* buf[start, len) holds unprocessed bytes; WT_JSON_PADDING readable bytes follow len */
	size_t cap = 1 << 20, len = 0, start = 0;
	uint64_t lineno = 0;
	bool skipping = false; /* inside a line already reported as too long */
	int fd = fileno(f), read_error = 0;
	bool truncated = false;
	ingest_mapped(in, en, fd, name, stop, &lineno, &truncated);
	if (truncated)
		return WT_E_IO;
	char *buf = wt_xmalloc(cap + WT_JSON_PADDING);
	for (;;) {
		if (in->tick)
			in->tick(in->tick_ctx);
		if (stop && *stop)
			break;
		if (start > 0 && (start == len || len == cap)) {
			memmove(buf, buf + start, len - start);
			len -= start;
			start = 0;
		}
		if (len == cap) {
			/* no newline in a full buffer */
			if (len >= WT_MAX_LINE) {
				if (!skipping)
					wt_ingest_too_long(in, name, ++lineno);
				skipping = true;
				len = 0;
			} else {
				cap *= 2;
				buf = wt_xrealloc(buf, cap + WT_JSON_PADDING);
			}
		}
		wt_engine_kick(en); /* the read may block: let the pipelines work on what they have */
		if (in->wake_fd >= 0) {
			struct pollfd pf[2] = {{.fd = fd, .events = POLLIN}, {.fd = in->wake_fd, .events = POLLIN}};
			if (poll(pf, 2, -1) < 0 && errno != EINTR) {
				read_error = errno;
				break;
			}
			if (pf[1].revents & POLLIN) {
				char drain[64];
				while (read(in->wake_fd, drain, sizeof drain) > 0)
					;
				continue; /* the tick and the stop flag at the top of the loop */
			}
			if (!pf[0].revents)
				continue; /* interrupted */
		}
		/* read(2), not fread: a pipe or terminal delivers what it has, line by line, instead
		 * of holding events until a whole buffer fills */
		ssize_t got = read(fd, buf + len, cap - len);
		if (got < 0) {
			if (errno == EINTR)
				continue; /* a stop signal is checked at the top of the loop */
			read_error = errno;
			got = 0;
		}
		if (got == 0) {
			if (len > start) { /* last line without a newline */
				memset(buf + len, 0, WT_JSON_PADDING);
				if (skipping)
					;
				else if (len - start > WT_MAX_LINE)
					wt_ingest_too_long(in, name, ++lineno);
				else
					wt_ingest_line(in, en, buf + start, len - start, name, ++lineno);
			}
			break;
		}
		len += (size_t)got;
		memset(buf + len, 0, WT_JSON_PADDING);
		char *nl;
		while (!(stop && *stop) && (nl = memchr(buf + start, '\n', len - start))) {
			size_t end = (size_t)(nl - buf);
			if (skipping)
				skipping = false;
			else if (end - start > WT_MAX_LINE)
				wt_ingest_too_long(in, name, ++lineno);
			else
				wt_ingest_line(in, en, buf + start, end - start, name, ++lineno);
			start = end + 1;
		}
	}
	free(buf);
	if (read_error) {
		fprintf(in->log, "worktraced: %s: %s\n", name, strerror(read_error));
		return WT_E_IO;
	}
	return WT_OK;
}
