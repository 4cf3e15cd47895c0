/* Alert sinks as read from the `sinks:` list of worktrace.yaml(5): plain data, validated by
 * the config loader (config.c), turned into the sink runtime's specs by sinkconf.c. */
#ifndef WT_SINKCONF_H
#define WT_SINKCONF_H

#include "bytecode.h"
#include <stdint.h>

enum wt_sinkconf_type { WT_SINKCONF_STDOUT, WT_SINKCONF_FILE, WT_SINKCONF_ALERTMANAGER, WT_SINKCONF_WEBHOOK, WT_SINKCONF_SYSLOG,
		    WT_SINKCONF_TYPE_COUNT };
extern const char *const wt_sinkconf_type_names[WT_SINKCONF_TYPE_COUNT];

enum wt_webhook_format { WT_WEBHOOK_JSON, WT_WEBHOOK_FALCOSIDEKICK };
enum wt_syslog_transport { WT_SYSLOG_UNIX, WT_SYSLOG_UDP, WT_SYSLOG_TCP };

/* Defaults (documented in worktrace.yaml(5)). */
#define WT_SINKCONF_DEFAULT_QUEUE 10000
#define WT_SINKCONF_DEFAULT_BACKOFF_S 60
#define WT_SINKCONF_DEFAULT_FILE_MAX_SIZE (100ull << 20)
#define WT_SINKCONF_DEFAULT_FILE_KEEP 5
#define WT_SINKCONF_DEFAULT_RESOLVE_S 300
#define WT_SINKCONF_DEFAULT_SYSLOG_SOCKET "/dev/log"
#define WT_SINKCONF_DEFAULT_SYSLOG_FACILITY 16 /* local0 */
#define WT_SINKCONF_DEFAULT_APP_NAME "worktraced"

struct wt_sinkconf_header {
	char *name, *value;
};

struct wt_sink_conf {
	enum wt_sinkconf_type type;
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
		uint32_t resolve_timeout_s;
	} alertmanager;
	struct {
		char *url;
		enum wt_webhook_format format;
		struct wt_sinkconf_header *headers;
		unsigned n_headers;
	} webhook;
	struct {
		enum wt_syslog_transport transport;
		char *address;  /* unix: socket path; udp/tcp: HOST:PORT */
		int facility;   /* 0..23 (RFC 5424 numbering) */
		char *app_name; /* 1..48 printable US-ASCII */
	} syslog;
};

void wt_sink_conf_free(struct wt_sink_conf *s);

/* Strings the specs built by wt_sinkconf_specs borrow. */
struct wt_sinkconf_storage {
	char **str;
	unsigned n;
};
struct wt_config;
struct wt_sink_spec;
/* The sink runtime's specs (sink.h) of c's `sinks:` entries and --sink arguments, in that
 * order (a stdout entry adds a sink only when `output` names a file). *out is malloc'd;
 * free st after wt_sinks_new(). WT_E_INVALID with a message in err. */
enum wt_err wt_sinkconf_specs(const struct wt_config *c, struct wt_sink_spec **out, unsigned *n,
			      struct wt_sinkconf_storage *st, char *err, size_t errlen);
void wt_sinkconf_storage_free(struct wt_sinkconf_storage *st);

#endif
