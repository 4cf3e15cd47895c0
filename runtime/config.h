/* The daemon's settings: one struct filled from defaults, then from worktrace.yaml(5)
 * (libfyaml), then from command-line flags, through one option table so that a flag and its
 * YAML key share their parser, bounds and messages. */
#ifndef WT_CONFIG_H
#define WT_CONFIG_H

#include "addr.h"
#include "sinkconf.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum wt_log_level { WT_LOG_ERROR, WT_LOG_WARNING, WT_LOG_INFO, WT_LOG_DEBUG };
extern const char *const wt_log_level_names[4];

/* Default metrics address for the live inputs (tetragon, follow); replay serves metrics only
 * when metrics.listen is set. */
#define WT_DEFAULT_METRICS_LISTEN "127.0.0.1:9464"

struct wt_config {
	char *rules;
	/* input: at most one of replay, tetragon.address, follow.path */
	char *replay;
	bool drop_when_full;
	struct {
		char *address;
		/* GetEventsRequest filters, applied by Tetragon: allow events matching every list
		 * given, deny events matching any; namespaces exact, pods and binaries RE2 patterns,
		 * events kind names (exec, exit, kprobe, ...) */
		char **allow_ns, **deny_ns, **allow_pods, **deny_pods, **allow_bins, **deny_bins;
		char **allow_events, **deny_events;
		unsigned n_allow_ns, n_deny_ns, n_allow_pods, n_deny_pods, n_allow_bins, n_deny_bins;
		unsigned n_allow_events, n_deny_events;
		uint32_t backoff_min_ms, backoff_max_ms; /* reconnect delay, doubling with jitter */
		bool exit_on_end;  /* a stream the server ends normally ends the run (tests) */
		bool receive_only; /* benchmark hook (command line only) */
	} tetragon;
	struct {
		char *path;
		bool from_start;
	} follow;
	char *output; /* threat records: a file (NULL: stdout) */
	uint32_t queue_size, proc_cache;
	uint32_t dedup_window_s, dedup_entries;
	char *ws_label, *owner_label, *ns_pattern; /* ns_pattern NULL: none */
	char *ws_annotation, *owner_annotation;    /* NULL: not used */
	uint32_t corr_partials, corr_tolerance_s;
	char *state_dir;
	uint32_t snapshot_interval_s, rarity_keys; /* rarity_keys 0: default */
	struct wt_cidr *cluster;
	unsigned n_cluster;
	char *metrics_listen; /* "HOST:PORT"; NULL: not set (see WT_DEFAULT_METRICS_LISTEN); "off" */
	enum wt_log_level log_level;
	struct wt_sink_conf *sinks;
	unsigned n_sinks;
	char **sink_args; /* --sink TYPE=TARGET[#OPTS], added to the sinks (command line only) */
	unsigned n_sink_args;
	uint32_t sink_flush_timeout_s; /* at exit, time the sinks get to deliver */
	char *dedup_key;               /* NULL: all parts */
	char **dedup_rules;            /* "RULE=SECONDS[:KEYS]" */
	unsigned n_dedup_rules;
	unsigned slow_pipeline_us[3]; /* test hook, command line only */
	bool cli_list_reset[64];      /* list options replaced by the command line (internal) */
	const char *cli_input;        /* the input flag given on the command line (internal) */
};

/* Messages of a config load, each "FILE:LINE:COL: message", in file order. */
struct wt_config_errors {
	char **msg;
	unsigned n;
};

/* The event kinds an input.tetragon allow/deny events list takes. */
extern const char *const wt_config_event_kinds[8];

void wt_config_init(struct wt_config *c);
void wt_config_free(struct wt_config *c);
/* Read a YAML file into c (keys present override what c holds). Every mistake is appended to
 * errs; returns the number of new messages (0: c is complete and valid). On errors c holds
 * a mix and should be freed. */
unsigned wt_config_load(struct wt_config *c, const char *path, struct wt_config_errors *errs);
void wt_config_errors_free(struct wt_config_errors *errs);

/* Command-line options generated from the option table (getopt_long), and the value of
 * each: wt_config_flag returns the table index for getopt's return value, or -1. */
struct option;
const struct option *wt_config_long_options(void);
int wt_config_flag(int getopt_val);
const char *wt_config_flag_name(int index);
bool wt_config_flag_takes_arg(int index);
/* Apply one flag (optarg NULL for switches). false: message written to err. */
bool wt_config_apply_flag(struct wt_config *c, int index, const char *optarg, char *err, size_t errlen);
/* "--queue-size N          events per pipeline queue (default 4096)" lines for --help. */
void wt_config_usage(FILE *out);

/* Every setting as "PREFIXkey = value" lines (log.level debug at start). */
void wt_config_print(const struct wt_config *c, FILE *out, const char *prefix);

/* Names of the options whose values differ between a and b (only restarts apply them), one
 * per call: idx starts at 0; NULL when done. */
const char *wt_config_diff(const struct wt_config *a, const struct wt_config *b, unsigned *idx);

#endif
