/* Live ingest from Tetragon's gRPC API: a client of tetragon.FineGuidanceSensors/GetEvents
 * on its own thread, which decodes every message (protobuf-c, no JSON) and hands it to the
 * shared enrich-and-publish step of ingest.h. It reconnects with bounded exponential
 * backoff and jitter, and logs and counts every gap in the stream. */
#ifndef WT_GRPC_INGEST_H
#define WT_GRPC_INGEST_H

#include "ingest.h"
#include <pthread.h>

/* One GetEventsRequest filter built from the command line (Tetragon's Filter subset). */
struct wt_grpc_filter {
	const char **namespaces, **pod_regex, **binary_regex;
	unsigned n_namespaces, n_pod_regex, n_binary_regex;
	int *event_types; /* Tetragon EventType numbers */
	unsigned n_event_types;
};

struct wt_grpc_opts {
	const char *target;       /* unix:///path, unix:/path, host:port (localhost: -> ipv4:127.0.0.1:) */
	uint32_t backoff_min_ms;  /* first retry delay (default 100) */
	uint32_t backoff_max_ms;  /* bound of the doubling delay (default 5000) */
	bool exit_on_end;         /* a stream the server ends with status OK ends the run */
	bool receive_only;        /* benchmark hook: count messages, decode and publish nothing */
	struct wt_grpc_filter allow, deny;
};

struct wt_grpc_stats {
	uint64_t messages, bytes;
	uint64_t streams;     /* streams that delivered at least one event */
	uint64_t attempts;    /* calls started */
	uint64_t reconnects;  /* calls started after a stream or an attempt failed */
	uint64_t gaps;        /* interruptions of a stream that had delivered events */
	int64_t gap_ns;       /* their total duration (an open gap counts up to the stop) */
	uint64_t multi_slice; /* messages that had to be copied out of several slices */
};

struct wt_grpc_ingest {
	struct wt_grpc_opts opt;
	char *target;          /* the target handed to gRPC */
	struct wt_ingest *in;
	struct wt_engine *en;
	pthread_t thread;
	pthread_mutex_t mu;    /* guards call and stop, and the backoff wait */
	pthread_cond_t cv;
	void *call;            /* the live grpc_call, cancelled by wt_grpc_ingest_stop */
	bool stop;
	int done_fd;           /* written once when the thread ends (-1: none) */
	struct wt_grpc_stats stats;
	int64_t gap_start;     /* CLOCK_MONOTONIC ns of the open gap, 0 when none */
	enum wt_err result;
};

/* Map an Worktrace event kind name (exec, kprobe, ...) to Tetragon's EventType number, or -1. */
int wt_grpc_event_type(const char *kind);
/* Start the client thread. done_fd (or -1) gets one byte when the thread ends by itself. */
enum wt_err wt_grpc_ingest_start(struct wt_grpc_ingest *g, const struct wt_grpc_opts *opt, struct wt_ingest *in,
				 struct wt_engine *en, int done_fd);
/* Ask the thread to stop: cancels the live call, interrupts a backoff wait. Any thread. */
void wt_grpc_ingest_stop(struct wt_grpc_ingest *g);
/* Wait for the thread; WT_OK when the run ended normally. */
enum wt_err wt_grpc_ingest_join(struct wt_grpc_ingest *g);
/* One line of counters for the summary. */
void wt_grpc_ingest_summary(const struct wt_grpc_ingest *g, FILE *f);

#endif
