/* Alert sink specifications as read from the `sinks:` list of worktrace.yaml(5): plain data,
 * validated by the config loader (config.c); the sink runtime builds its sinks from them. */
#ifndef WT_SINKSPEC_H
#define WT_SINKSPEC_H

#include "bytecode.h"
#include <stdint.h>

enum wt_sink_type { WT_SINK_STDOUT, WT_SINK_FILE, WT_SINK_ALERTMANAGER, WT_SINK_WEBHOOK, WT_SINK_SYSLOG,
		    WT_SINK_TYPE_COUNT };
extern const char *const wt_sink_type_names[WT_SINK_TYPE_COUNT];

enum wt_webhook_format { WT_WEBHOOK_JSON, WT_WEBHOOK_FALCOSIDEKICK };
enum wt_syslog_transport { WT_SYSLOG_UNIX, WT_SYSLOG_UDP, WT_SYSLOG_TCP };

/* Defaults (documented in worktrace.yaml(5)). */
#define WT_SINK_DEFAULT_QUEUE 10000
#define WT_SINK_DEFAULT_BACKOFF_S 60
#define WT_SINK_DEFAULT_FILE_MAX_SIZE (100ull << 20)
#define WT_SINK_DEFAULT_FILE_KEEP 5
#define WT_SINK_DEFAULT_RESEND_S 60
#define WT_SINK_DEFAULT_SYSLOG_SOCKET "/dev/log"
#define WT_SINK_DEFAULT_SYSLOG_FACILITY 16 /* local0 */
#define WT_SINK_DEFAULT_APP_NAME "worktraced"

struct wt_sink_header {
	char *name, *value;
};

struct wt_sink_spec {
	enum wt_sink_type type;
	char *name;                  /* unique among the sinks; default "TYPE" or "TYPE-N" */
	uint32_t queue_size;         /* threats waiting for delivery */
	uint32_t retry_max_backoff_s; /* retries back off exponentially up to this */
	enum wt_severity min_severity; /* threats below are not delivered to this sink */
	int line;                    /* 1-based line of the entry in the config file */
	struct {
		char *path;
		uint64_t max_size; /* bytes before rotation; 0 = never rotate */
		uint32_t keep;     /* rotated files kept (PATH.1 .. PATH.keep) */
	} file;
	struct {
		char *url; /* base URL; alerts go to URL/api/v2/alerts */
		uint32_t resend_interval_s;
	} alertmanager;
	struct {
		char *url;
		enum wt_webhook_format format;
		struct wt_sink_header *headers;
		unsigned n_headers;
	} webhook;
	struct {
		enum wt_syslog_transport transport;
		char *address;  /* unix: socket path; udp/tcp: HOST:PORT */
		int facility;   /* 0..23 (RFC 5424 numbering) */
		char *app_name; /* 1..48 printable US-ASCII */
	} syslog;
};

void wt_sink_spec_free(struct wt_sink_spec *s);

#endif
