/* Ingest: turns input lines into enriched events (decode, time, process cache, workspace)
 * and publishes them to the engine. Bad input is reported as FILE:LINE: reason, counted,
 * and skipped; it never stops the run. */
#ifndef WT_INGEST_H
#define WT_INGEST_H

#include "decode.h"
#include "loss.h"
#include "pipeline.h"
#include "proccache.h"
#include "workspace.h"
#include <signal.h>
#include <stdio.h>

struct wt_ingest_stats {
	uint64_t lines, events, malformed, unknown_kind, too_long, blank;
	uint64_t by_kind[WT_KIND_COUNT];
	uint64_t throttle_start, throttle_stop;
};

struct wt_ingest {
	struct wt_json_decoder *dec;
	struct wt_event_builder b;
	struct wt_proccache pc;
	struct wt_loss loss; /* Tetragon's loss signals; window: the dedup window */
	const struct wt_workspace_config *ws;
	int64_t last_time;
	uint64_t seq;
	uint64_t messages; /* bad-input messages printed; capped to keep logs bounded */
	struct wt_ingest_stats stats;
	FILE *log;
	/* Optional: called from the reading thread between reads (and every 4096 lines of a
	 * mapped file), e.g. to act on signals or publish counters; NULL: none. */
	void (*tick)(void *ctx);
	void *tick_ctx;
	/* Optional (-1: none): the read end of a non-blocking self-pipe a signal handler writes
	 * to; the reader waits on it beside the input, so a signal arriving just before a
	 * blocking read is acted on at once rather than at the next input. */
	int wake_fd;
};

enum wt_err wt_ingest_init(struct wt_ingest *in, const struct wt_workspace_config *ws, uint32_t proccache_size);
void wt_ingest_free(struct wt_ingest *in);
/* Decode and enrich one line (line[len .. len + WT_JSON_PADDING) readable) and publish the
 * event. name and lineno only label messages. */
void wt_ingest_line(struct wt_ingest *in, struct wt_engine *en, const char *line, size_t len,
		    const char *name, uint64_t lineno);
/* Count and report a line longer than WT_MAX_LINE (skipped). */
void wt_ingest_too_long(struct wt_ingest *in, const char *name, uint64_t lineno);
/* The shared second half of every input: normalize the time of the event decoded into
 * in->b, count it, enrich it (process cache, workspace) and publish it. */
void wt_ingest_event(struct wt_ingest *in, struct wt_engine *en);
/* Count and report (capped) an input unit a decoder refused with e and its reason err. */
void wt_ingest_reject(struct wt_ingest *in, enum wt_err e, const char *err, const char *name, uint64_t lineno);
/* Read a whole stream of JSON lines until EOF or *stop. */
enum wt_err wt_ingest_stream(struct wt_ingest *in, struct wt_engine *en, FILE *f, const char *name,
			     volatile sig_atomic_t *stop);

#endif
