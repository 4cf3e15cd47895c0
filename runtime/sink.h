/* Alert sinks: each configured sink delivers threat records asynchronously from its own
 * bounded queue on its own thread, with retries and exponential backoff, and counts what it
 * delivered, retried, failed and dropped. Publishing never blocks the output stage. */
#ifndef WT_SINK_H
#define WT_SINK_H

#include "buf.h"
#include "bytecode.h"
#include "output.h"
#include <pthread.h>
#include <stdio.h>

enum wt_sink_type {
	WT_SINK_FILE,          /* JSON lines to a file with size-based rotation */
	WT_SINK_ALERTMANAGER,  /* Prometheus Alertmanager v2: POST /api/v2/alerts */
	WT_SINK_WEBHOOK,       /* HTTP POST of the threat record */
	WT_SINK_FALCOSIDEKICK, /* HTTP POST of Falcosidekick's input payload */
	WT_SINK_SYSLOG,        /* RFC 5424 over UDP, TCP (octet counting) or a unix socket */
	WT_SINK_TYPE_COUNT
};
extern const char *const wt_sink_type_names[WT_SINK_TYPE_COUNT];

/* Defaults of the plain spec (wt_sink_spec_defaults). */
#define WT_SINK_DEFAULT_QUEUE 4096
#define WT_SINK_DEFAULT_BACKOFF_MS 250
#define WT_SINK_DEFAULT_BACKOFF_MAX_MS 30000
#define WT_SINK_DEFAULT_TIMEOUT_MS 5000
#define WT_SINK_DEFAULT_BATCH 64
#define WT_SINK_DEFAULT_RESOLVE_S 300
#define WT_SINK_DEFAULT_FILE_MAX (100ull << 20)
#define WT_SINK_DEFAULT_FILE_KEEP 5
#define WT_SINK_DEFAULT_FLUSH_MS 5000

/* One sink as an operator configures it; filled by the command line (wt_sink_spec_parse) or
 * by the config file. Strings are borrowed until wt_sinks_new() returns (it copies them). */
struct wt_sink_spec {
	enum wt_sink_type type;
	const char *target;          /* file path; http(s) URL; udp://HOST:PORT, tcp://HOST:PORT or unix:PATH */
	uint32_t queue_size;         /* records waiting; when full the oldest waiting one is dropped */
	uint32_t batch;              /* records per delivery (alertmanager: alerts per POST) */
	uint32_t backoff_ms;         /* first retry delay, doubled per failure ... */
	uint32_t backoff_max_ms;     /* ... up to this */
	uint32_t timeout_ms;         /* connect + request timeout of one delivery */
	enum wt_severity min_severity; /* records below are not given to this sink */
	uint64_t max_size;           /* file: rotate before the file would exceed this many bytes */
	uint32_t keep;               /* file: rotated files kept (PATH.1 .. PATH.keep) */
	uint32_t resolve_s;          /* alertmanager: endsAt = delivery time + this */
	uint32_t facility;           /* syslog: facility number (default 16, local0) */
	const char *app_name;        /* syslog: APP-NAME (default "worktraced") */
	const char *hostname;        /* syslog HOSTNAME, falcosidekick hostname (default: gethostname) */
	const char *const *headers;  /* webhook: extra "Name: value" request headers */
	unsigned n_headers;
};

void wt_sink_spec_defaults(struct wt_sink_spec *spec, enum wt_sink_type type);
/* Set one option (the names and values of the --sink syntax, e.g. "queue", "1000"); for a
 * config file too. String values are borrowed. WT_E_INVALID with a message in err. */
enum wt_err wt_sink_spec_set(struct wt_sink_spec *spec, const char *key, const char *val, char *err, size_t errlen);
/* Parse TYPE=TARGET[#OPTIONS] (also TARGET?OPTIONS for file and syslog targets), OPTIONS being
 * KEY=VALUE pairs joined by '&'. The spec's strings point into *storage (free it after
 * wt_sinks_new). WT_E_INVALID with a message in err. */
enum wt_err wt_sink_spec_parse(const char *arg, struct wt_sink_spec *spec, char **storage, char *err, size_t errlen);

/* A string of a record: raw bytes from the event (any bytes: each sink escapes them for its
 * format). p == NULL: absent. */
struct wt_sink_str {
	const char *p;
	uint32_t len;
};

/* What a sink gets for one threat record: the rendered JSON record and the structured
 * fields. Shared by all sinks (reference counted), immutable once published. */
struct wt_sink_record {
	int refs;
	enum wt_severity severity;
	bool repeat;
	uint64_t count;
	int64_t time, first_seen, last_seen; /* event time, ns */
	int64_t window;                      /* dedup window applied, ns (0: none) */
	uint64_t input_seq;
	struct wt_sink_str json; /* the threat record, no newline */
	struct wt_sink_str rule, pipeline, message, workspace, owner, ns, pod, container, image, node, kind;
	struct wt_sink_str binary, args, parent, target; /* target: file, daddr:dport or hooked function */
	struct wt_sink_str mitre, tags;                  /* comma-separated */
	struct wt_sink_str extra;                        /* correlation/behavioral JSON members, or absent */
	bool has_proc;
	uint32_t pid, uid;
	char data[]; /* the bytes the strings point to */
};

/* A named string member of the record, for the formatters' field tables. */
struct wt_sink_field {
	const char *name;
	size_t offset; /* offsetof(struct wt_sink_record, member) */
};
#define WT_SINK_FIELD(name, member) {name, offsetof(struct wt_sink_record, member)}
static inline struct wt_sink_str wt_sink_field_get(const struct wt_sink_record *r, const struct wt_sink_field *f)
{
	return *(const struct wt_sink_str *)((const char *)r + f->offset);
}

/* Build the record of threat t (its dedup info d and rendered JSON json). refs = 1. */
struct wt_sink_record *wt_sink_record_new(const struct wt_threat *t, const struct wt_dedup_info *d,
					  const char *json, size_t json_len);
void wt_sink_record_release(struct wt_sink_record *r);
/* "binary args (parent P) target" for annotations and summaries. */
void wt_sink_record_summary(struct wt_buf *b, const struct wt_sink_record *r);

struct wt_sink_stats {
	uint64_t delivered; /* records the receiver accepted */
	uint64_t retried;   /* failed delivery attempts that were retried (per attempt) */
	uint64_t failed;    /* records given up: refused for good, or undelivered at shutdown */
	uint64_t dropped;   /* records pushed out of the full queue (the oldest waiting one) */
	uint64_t filtered;  /* records below min_severity */
	uint32_t depth, high_water;
};

struct wt_sink;

/* A sink type: formats and sends a batch of records. */
struct wt_sink_driver {
	/* Prepare state from the spec (no network yet). */
	enum wt_err (*open)(struct wt_sink *s, char *err, size_t errlen);
	/* Deliver n records. WT_OK: all delivered. WT_E_IO: try again later. WT_E_INVALID: the
	 * receiver refused them for good (they count as failed). */
	enum wt_err (*deliver)(struct wt_sink *s, struct wt_sink_record *const *recs, uint32_t n);
	void (*close)(struct wt_sink *s);
};

struct wt_sink {
	struct wt_sink_spec spec; /* strings owned (copied) */
	const struct wt_sink_driver *drv;
	void *state;
	unsigned index;
	char name[48]; /* "sink0_alertmanager" */
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct wt_sink_record **ring;
	uint32_t cap, head, n;
	bool closing;         /* no more records: deliver what waits, then end */
	int64_t deadline_ms;  /* monotonic ms: give up waiting records after this (0: none) */
	struct wt_sink_stats stats; /* under mu */
	char error[256];      /* the last delivery error (for the first-failure message) */
	bool reported;        /* a failure message was printed since the last success */
};

struct wt_sinks {
	struct wt_sink *s;
	unsigned n;
};

/* Create and start the sinks. WT_E_INVALID with a message when a spec is unusable. */
enum wt_err wt_sinks_new(const struct wt_sink_spec *specs, unsigned n, struct wt_sinks **out, char *err,
			 size_t errlen);
/* Hand a record to every sink whose min_severity it meets; never blocks (a full queue drops
 * its oldest waiting record and counts it). Releases the caller's reference. */
void wt_sinks_publish(struct wt_sinks *ss, struct wt_sink_record *r);
/* Deliver what waits within timeout_ms, then stop the threads; what is left counts as failed. */
void wt_sinks_stop(struct wt_sinks *ss, uint32_t timeout_ms);
void wt_sinks_free(struct wt_sinks *ss);
void wt_sink_stats_get(struct wt_sink *s, struct wt_sink_stats *out);
/* " sinkN_TYPE_delivered=.. _retried=.. _failed=.. _dropped=.. _lost=.." for the summary line. */
void wt_sinks_summary(FILE *f, struct wt_sinks *ss);
/* A /metrics collector (wt_metrics_collect_fn) of the sinks ss = ctx. */
void wt_sinks_metrics(struct wt_buf *b, void *ctx);
/* The shutdown's flush deadline has passed: abandon the delivery in progress. */
bool wt_sink_past_deadline(struct wt_sink *s);
/* The milliseconds until the flush deadline (for request timeouts), or def when none. */
long wt_sink_time_left_ms(struct wt_sink *s, long def);
/* Called by a driver when a delivery failed: remembered for the first-failure message. */
WT_PRINTF(2, 3) void wt_sink_error(struct wt_sink *s, const char *fmt, ...);

extern const struct wt_sink_driver wt_sink_file_driver, wt_sink_alertmanager_driver, wt_sink_webhook_driver,
	wt_sink_falcosidekick_driver, wt_sink_syslog_driver;

/* Formatters (also used by the fuzz harness and tests). */
void wt_sink_alertmanager_format(struct wt_buf *b, struct wt_sink_record *const *recs, uint32_t n, int64_t now_ns,
				 uint32_t resolve_s);
void wt_sink_falcosidekick_format(struct wt_buf *b, const struct wt_sink_record *r, const char *hostname);
void wt_sink_syslog_format(struct wt_buf *b, const struct wt_sink_record *r, uint32_t facility, const char *hostname,
			   const char *app_name, int pid);
/* HTTP POST of body to url (libcurl); WT_OK for 2xx, WT_E_INVALID for 4xx other than 408/429,
 * else WT_E_IO; the error goes to wt_sink_error. */
enum wt_err wt_sink_http_post(struct wt_sink *s, void *curl, const char *url, const char *body, size_t len);

/* State of the HTTP sinks (sink_http.c): a libcurl handle, a body buffer, the host name. */
struct wt_sink_http {
	void *curl;
	struct wt_buf body;
	char host[256];
};
enum wt_err wt_sink_http_open(struct wt_sink *s, char *err, size_t errlen);
void wt_sink_http_close(struct wt_sink *s);

#endif
