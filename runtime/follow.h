/* Following a growing file (Tetragon's JSON export) like `tail -F`, across rotation by
 * rename, deletion and re-creation, and copy-truncate. Lines go to wt_ingest_line. */
#ifndef WT_FOLLOW_H
#define WT_FOLLOW_H

#include "ingest.h"

struct wt_follow_stats {
	uint64_t rotations;   /* switches to a new file at the path (renamed/deleted and recreated) */
	uint64_t truncations; /* the file shrank or was rewritten under the read offset */
	uint64_t recovered;   /* lines read from the rotated copy after a copy-truncate */
	uint64_t lost;        /* lines known lost: unread when a truncation left no readable copy */
	uint64_t unaccounted; /* truncations with no copy found: what was lost could not be counted */
	uint64_t open_errors; /* the path existed but could not be opened */
};

struct wt_follow_opts {
	bool from_start;         /* read the file from its beginning instead of its end */
	unsigned poll_ms;        /* longest wait between checks (default 250; without inotify: 100) */
	unsigned drain_idle_ms;  /* a rotated-away file is read until idle this long (default 1000) */
};

/* Follow path until *stop. Returns WT_OK, or WT_E_IO when the directory cannot be read. */
enum wt_err wt_follow_run(struct wt_ingest *in, struct wt_engine *en, const char *path,
			  const struct wt_follow_opts *opts, volatile sig_atomic_t *stop,
			  struct wt_follow_stats *st);

#endif
