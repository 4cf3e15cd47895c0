/* Configuration: the option table shared by worktrace.yaml(5) and the command line, the
 * YAML loader (libfyaml) that reports every mistake as FILE:LINE:COL: message, and the
 * validation of the `sinks:` list into struct wt_sink_conf. */
#include "config.h"
#include "output.h"
#include "sink.h"
#include "workspace.h"
#include <arpa/inet.h>
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <getopt.h>
#include <libfyaml.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const wt_log_level_names[4] = {"error", "warning", "info", "debug"};
const char *const wt_sinkconf_type_names[WT_SINKCONF_TYPE_COUNT] = {"stdout", "file", "alertmanager", "webhook",
							    "syslog"};

enum otype { T_PATH, T_STR, T_U32, T_SECS, T_BOOL, T_REGEX, T_REGEXLIST, T_STRLIST, T_CIDRS, T_LISTEN,
	     T_LOGLEVEL, T_SINKS, T_SLOW, T_BACKOFF };

/* Validators of strings whose syntax belongs to another module (T_STR, T_STRLIST). */
typedef bool (*check_fn)(const char *s, size_t len, char *detail, size_t dlen);
static bool check_sink_arg(const char *s, size_t len, char *detail, size_t dlen);
/* The event kinds of a GetEventsRequest filter (grpc_ingest.c maps them to EventType). */
const char *const wt_config_event_kinds[8] = {"exec", "exit", "kprobe", "tracepoint", "uprobe", "lsm", "throttle",
					      "rate_limit_info"};

static bool check_event_kind(const char *s, size_t len, char *detail, size_t dlen)
{
	for (size_t i = 0; i < WT_ARRAY_LEN(wt_config_event_kinds); i++)
		if (strlen(wt_config_event_kinds[i]) == len && !memcmp(s, wt_config_event_kinds[i], len))
			return true;
	return false;
}

static bool parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out, size_t *used);

/* unix:///PATH or unix:/PATH (an absolute path a socket address holds), or HOST:PORT with
 * PORT 1 to 65535 (HOST a name, an IPv4 address or [IPv6]). */
static bool check_tetragon_address(const char *s, size_t len, char *detail, size_t dlen)
{
	const char *path = NULL;
	if (len >= 7 && !memcmp(s, "unix://", 7))
		path = s + 7;
	else if (len >= 5 && !memcmp(s, "unix:", 5))
		path = s + 5;
	if (path) {
		size_t pl = len - (size_t)(path - s);
		if (!pl || *path != '/' || pl > 107 || (pl > 1 && path[1] == '/')) {
			snprintf(detail, dlen, "'%.*s': expected unix:///PATH with an absolute PATH of at most 107 bytes",
				 (int)(len > 200 ? 200 : len), s);
			return false;
		}
		return true;
	}
	const char *colon = NULL;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ':')
			colon = s + i;
	uint64_t port = 0;
	size_t used = 0, hl = colon ? (size_t)(colon - s) : 0;
	bool ok = colon && hl > 0 && parse_uint(colon + 1, len - hl - 1, 65535, &port, &used) && used == len - hl - 1 &&
		  port >= 1 && (s[0] != '[' || s[hl - 1] == ']');
	for (size_t i = 0; ok && i < hl; i++)
		ok = s[i] > ' ' && s[i] != '/' && s[i] < 0x7f;
	if (!ok)
		snprintf(detail, dlen, "'%.*s': expected unix:///PATH or HOST:PORT with PORT 1 to 65535",
			 (int)(len > 200 ? 200 : len), s);
	return ok;
}

static bool check_dedup_key(const char *s, size_t len, char *detail, size_t dlen);
static bool check_dedup_rule(const char *s, size_t len, char *detail, size_t dlen);
static bool check_event_kind(const char *s, size_t len, char *detail, size_t dlen);
static bool check_tetragon_address(const char *s, size_t len, char *detail, size_t dlen);

struct opt {
	const char *key;  /* dotted YAML path; NULL: command line only */
	const char *flag; /* long option; NULL: file only */
	int short_opt;
	enum otype type;
	size_t off;
	size_t cnt; /* lists: offset of the unsigned element count */
	uint32_t min, max;
	const char *range; /* what a valid value is, for messages */
	const char *arg, *help;
};

#define OFF(f) offsetof(struct wt_config, f)
static const struct opt opts[] = {
	{"rules", "rules", 'r', T_PATH, OFF(rules), 0, 0, 0, "a file name", "FILE", "compiled ruleset (wtc compile)"},
	{"input.replay", "replay", 'R', T_PATH, OFF(replay), 0, 0, 0, "a file name or '-'", "FILE",
	 "Tetragon JSON export lines to replay ('-' = stdin)"},
	{"input.drop_when_full", "drop-when-full", 0, T_BOOL, OFF(drop_when_full), 0, 0, 0, "true or false", NULL,
	 "replay drops events on full queues like a live input"},
	{"input.tetragon.address", "tetragon", 0, T_STR, OFF(tetragon.address), 0, 0, 0, "an address", "ADDRESS",
	 "Tetragon gRPC server (unix:///PATH or HOST:PORT)"},
#define TETRAGON_LIST(key, flag, field, what, help) \
	{"input.tetragon." key, flag, 0, T_STRLIST, OFF(tetragon.field), OFF(tetragon.n_##field), 0, 0, what, \
	 flag ? "VALUE" : NULL, help}
	TETRAGON_LIST("allow_namespaces", "tetragon-allow-namespace", allow_ns, "a namespace name",
		      "ask Tetragon for events of these namespaces only (repeatable)"),
	TETRAGON_LIST("deny_namespaces", "tetragon-deny-namespace", deny_ns, "a namespace name",
		      "leave out the events of these namespaces (repeatable)"),
	TETRAGON_LIST("allow_pods", "tetragon-allow-pod", allow_pods, "an RE2 pattern on the pod name",
		      "only events of pods matching (repeatable)"),
	TETRAGON_LIST("deny_pods", "tetragon-deny-pod", deny_pods, "an RE2 pattern on the pod name",
		      "leave out events of pods matching (repeatable)"),
	TETRAGON_LIST("allow_binaries", "tetragon-allow-binary", allow_bins, "an RE2 pattern on the binary",
		      "only events of binaries matching (repeatable)"),
	TETRAGON_LIST("deny_binaries", "tetragon-deny-binary", deny_bins, "an RE2 pattern on the binary",
		      "leave out events of binaries matching (repeatable)"),
	TETRAGON_LIST("allow_events", "tetragon-allow-event", allow_events,
		      "exec, exit, kprobe, tracepoint, uprobe, lsm, throttle or rate_limit_info",
		      "only events of these kinds (repeatable)"),
	TETRAGON_LIST("deny_events", "tetragon-deny-event", deny_events,
		      "exec, exit, kprobe, tracepoint, uprobe, lsm, throttle or rate_limit_info",
		      "leave out events of these kinds (repeatable)"),
#undef TETRAGON_LIST
	{"input.tetragon.backoff", "tetragon-backoff", 0, T_BACKOFF, OFF(tetragon.backoff_min_ms), 0, 1, 600000,
	 "MIN:MAX milliseconds, 1 <= MIN <= MAX <= 600000", "MIN:MAX",
	 "reconnect delay in ms, doubling from MIN to MAX (default 100:5000)"},
	{"input.tetragon.exit_on_end", "tetragon-exit-on-end", 0, T_BOOL, OFF(tetragon.exit_on_end), 0, 0, 0,
	 "true or false", NULL, "stop when the server ends the stream normally"},
	{NULL, "tetragon-receive-only", 0, T_BOOL, OFF(tetragon.receive_only), 0, 0, 0, "true or false", NULL,
	 "benchmark hook: receive messages, decode nothing"},
	{"input.follow.path", "follow", 0, T_PATH, OFF(follow.path), 0, 0, 0, "a file name", "FILE",
	 "follow a growing Tetragon JSON export file"},
	{"input.follow.from_start", "from-start", 0, T_BOOL, OFF(follow.from_start), 0, 0, 0, "true or false", NULL,
	 "with --follow: read the file from its start, not its end"},
	{"output", "output", 'o', T_PATH, OFF(output), 0, 0, 0, "a file name", "FILE",
	 "threat records (default: stdout)"},
	{"engine.queue_size", "queue-size", 0, T_U32, OFF(queue_size), 0, 2, 1u << 24, "2 to 16777216", "N",
	 "events per pipeline queue (default 4096)"},
	{"engine.process_cache", "proc-cache", 0, T_U32, OFF(proc_cache), 0, 1, 1u << 26, "1 to 67108864", "N",
	 "process cache entries (default 65536)"},
	{"dedup.window", "dedup-window", 0, T_SECS, OFF(dedup_window_s), 0, 0, UINT32_MAX, "0 or more seconds, optionally with a unit s, m, h or d",
	 "SECONDS", "suppress identical threats for this long (default 60)"},
	{"dedup.entries", "dedup-entries", 0, T_U32, OFF(dedup_entries), 0, 1, 1u << 24, "1 to 16777216", "N",
	 "dedup table bound (default 65536)"},
	{"dedup.key", "dedup-key", 0, T_STR, OFF(dedup_key), 0, 0, 0, "all or a comma list of rule, workspace, process, args, target",
	 "KEYS", "parts of the dedup key (default all)"},
	{"dedup.rules", "dedup-rule", 0, T_STRLIST, OFF(dedup_rules), OFF(n_dedup_rules), 0, 0,
	 "RULE=SECONDS[:KEYS] or RULE=:KEYS, SECONDS up to 2592000", "RULE=SECONDS[:KEYS]",
	 "a rule's own dedup window and/or key (repeatable)"},
	{"workspace.label", "workspace-label", 0, T_STR, OFF(ws_label), 0, 0, 0, "a label key", "KEY",
	 "pod label with the workspace id (default worktrace.io/workspace)"},
	{"workspace.owner_label", "owner-label", 0, T_STR, OFF(owner_label), 0, 0, 0, "a label key", "KEY",
	 "pod label with the owner (default worktrace.io/owner)"},
	{"workspace.annotation", "workspace-annotation", 0, T_STR, OFF(ws_annotation), 0, 0, 0, "an annotation key", "KEY",
	 "pod annotation with the workspace id, after the label (default: none)"},
	{"workspace.owner_annotation", "owner-annotation", 0, T_STR, OFF(owner_annotation), 0, 0, 0, "an annotation key",
	 "KEY", "pod annotation with the owner, after the label (default: none)"},
	{"workspace.namespace_pattern", "namespace-pattern", 0, T_REGEX, OFF(ns_pattern), 0, 0, 0, "a PCRE2 pattern",
	 "RE", "PCRE2 on the namespace with (?<workspace>) and/or (?<owner>) groups"},
	{"correlation.max_partials", "corr-partials", 0, T_U32, OFF(corr_partials), 0, 1, 1u << 26, "1 to 67108864",
	 "N", "bound on live correlation partial matches (default 100000)"},
	{"correlation.tolerance", "corr-tolerance", 0, T_SECS, OFF(corr_tolerance_s), 0, 0, 3600, "0 to 3600 seconds, optionally with a unit s, m or h",
	 "SECONDS", "events this much out of order still advance a path (default 2)"},
	{"behavioral.state_dir", "state-dir", 0, T_PATH, OFF(state_dir), 0, 0, 0, "a directory", "DIR",
	 "keep behavioral baselines in DIR (default: memory only)"},
	{"behavioral.snapshot_interval", "snapshot-interval", 0, T_SECS, OFF(snapshot_interval_s), 0, 1, 86400,
	 "1 to 86400 seconds, optionally with a unit s, m, h or d", "SECONDS", "event time between baseline snapshots (default 300)"},
	{"behavioral.keys_per_spec", "rarity-keys", 0, T_U32, OFF(rarity_keys), 0, 16, 1u << 26, "16 to 67108864", "N",
	 "baseline keys per rarity spec (default 65536)"},
	{"cluster_cidrs", "cluster-cidr", 0, T_CIDRS, OFF(cluster), OFF(n_cluster), 0, 0, "an IPv4 or IPv6 CIDR range", "CIDR",
	 "the cluster's pod/service range for addrclass() (repeatable)"},
	{"metrics.listen", "metrics-listen", 0, T_LISTEN, OFF(metrics_listen), 0, 0, 0,
	 "HOST:PORT (IPv4, [IPv6] or localhost; port 0 to 65535) or off", "HOST:PORT",
	 "serve /metrics, /healthz, /readyz (live inputs: " WT_DEFAULT_METRICS_LISTEN ")"},
	{"log.level", "log-level", 0, T_LOGLEVEL, OFF(log_level), 0, 0, 0, "error, warning, info or debug", "LEVEL",
	 "daemon messages shown (default info)"},
	{"sinks", NULL, 0, T_SINKS, OFF(sinks), OFF(n_sinks), 0, 0, "a list of sinks", NULL, NULL},
	{NULL, "sink", 0, T_STRLIST, OFF(sink_args), OFF(n_sink_args), 0, 0, "TYPE=TARGET[#OPTIONS] (docs/sinks.md)",
	 "TYPE=TARGET[#OPTS]", "also deliver threat records to a sink (repeatable; file, alertmanager, webhook, "
	 "webhook-falcosidekick, syslog)"},
	{"sink_flush_timeout", "sink-flush-timeout", 0, T_SECS, OFF(sink_flush_timeout_s), 0, 1, 600,
	 "1 to 600 seconds, optionally with a unit s or m", "SECONDS", "at exit, time the sinks get to deliver (default 5)"},
	{NULL, "slow-pipeline", 0, T_SLOW, OFF(slow_pipeline_us), 0, 0, 0,
	 "NAME:MICROSECONDS, NAME one of direct, correlation, behavioral", "NAME:US",
	 "test hook: delay each event in one pipeline"},
};
#define N_OPTS WT_ARRAY_LEN(opts)

/* The validator of an option whose syntax another module owns, or NULL. */
static check_fn check_of(const struct opt *o)
{
	static const struct { const char *flag; check_fn fn; } checks[] = {
		{"dedup-key", check_dedup_key}, {"dedup-rule", check_dedup_rule}, {"sink", check_sink_arg},
		{"tetragon-allow-event", check_event_kind}, {"tetragon-deny-event", check_event_kind},
		{"tetragon", check_tetragon_address}};
	for (size_t i = 0; o->flag && i < WT_ARRAY_LEN(checks); i++)
		if (!strcmp(o->flag, checks[i].flag))
			return checks[i].fn;
	return NULL;
}
_Static_assert(N_OPTS <= 64, "cli_list_reset holds one flag per option");

void wt_config_init(struct wt_config *c)
{
	memset(c, 0, sizeof *c);
	c->queue_size = WT_DEFAULT_QUEUE;
	c->proc_cache = WT_DEFAULT_PROCCACHE;
	c->dedup_window_s = (uint32_t)(WT_DEFAULT_DEDUP_WINDOW_NS / 1000000000LL);
	c->dedup_entries = WT_DEFAULT_DEDUP_ENTRIES;
	c->corr_partials = WT_DEFAULT_CORR_PARTIALS;
	c->corr_tolerance_s = 2;
	c->snapshot_interval_s = 300;
	c->rarity_keys = WT_DEFAULT_BASELINE_KEYS;
	c->ws_label = wt_xstrdup(WT_DEFAULT_WORKSPACE_LABEL);
	c->owner_label = wt_xstrdup(WT_DEFAULT_OWNER_LABEL);
	c->log_level = WT_LOG_INFO;
	c->sink_flush_timeout_s = WT_SINK_DEFAULT_FLUSH_MS / 1000;
	c->tetragon.backoff_min_ms = 100;
	c->tetragon.backoff_max_ms = 5000;
}

static bool check_sink_arg(const char *s, size_t len, char *detail, size_t dlen)
{
	char *arg = wt_xstrndup(s, len), *storage = NULL;
	struct wt_sink_spec spec;
	bool ok = wt_sink_spec_parse(arg, &spec, &storage, detail, dlen) == WT_OK;
	free(storage);
	free(arg);
	return ok;
}

static bool check_dedup_key(const char *s, size_t len, char *detail, size_t dlen)
{
	char *k = wt_xstrndup(s, len);
	unsigned key;
	bool ok = wt_dedup_key_parse(k, &key);
	free(k);
	return ok;
}

static bool check_dedup_rule(const char *s, size_t len, char *detail, size_t dlen)
{
	char *r = wt_xstrndup(s, len);
	struct wt_dedup_rule rule;
	bool ok = wt_dedup_rule_parse(r, &rule);
	free(r);
	return ok;
}

static void free_list(char **l, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

void wt_sink_conf_free(struct wt_sink_conf *s)
{
	free(s->name);
	free(s->file.path);
	free(s->alertmanager.url);
	free(s->webhook.url);
	for (unsigned i = 0; i < s->webhook.n_headers; i++) {
		free(s->webhook.headers[i].name);
		free(s->webhook.headers[i].value);
	}
	free(s->webhook.headers);
	free(s->syslog.address);
	free(s->syslog.app_name);
	memset(s, 0, sizeof *s);
}

static void free_sinks(struct wt_config *c)
{
	for (unsigned i = 0; i < c->n_sinks; i++)
		wt_sink_conf_free(&c->sinks[i]);
	free(c->sinks);
	c->sinks = NULL;
	c->n_sinks = 0;
}

void wt_config_free(struct wt_config *c)
{
	for (size_t i = 0; i < N_OPTS; i++) {
		void *p = (char *)c + opts[i].off;
		switch (opts[i].type) {
		case T_PATH: case T_STR: case T_REGEX: case T_LISTEN: free(*(char **)p); break;
		case T_REGEXLIST:
		case T_STRLIST: free_list(*(char ***)p, *(unsigned *)((char *)c + opts[i].cnt)); break;
		case T_CIDRS: free(c->cluster); break;
		case T_SINKS: free_sinks(c); break;
		default: break;
		}
	}
	memset(c, 0, sizeof *c);
}

void wt_config_errors_free(struct wt_config_errors *errs)
{
	free_list(errs->msg, errs->n);
	errs->msg = NULL;
	errs->n = 0;
}

/* Values --------------------------------------------------------------------------------- */

static bool parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out, size_t *used)
{
	uint64_t v = 0;
	size_t i = 0;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return false;
	}
	*out = v;
	*used = i;
	return i > 0;
}

/* Seconds with an optional unit: 90, 90s, 5m, 2h, 1d. */
static bool parse_secs(const char *s, size_t len, uint64_t *out)
{
	size_t used;
	if (!parse_uint(s, len, UINT32_MAX, out, &used))
		return false;
	if (used == len)
		return true;
	if (used + 1 != len)
		return false;
	static const char units[] = "smhd";
	static const uint64_t mult[] = {1, 60, 3600, 86400};
	const char *u = memchr(units, s[used], 4);
	if (!u)
		return false;
	*out *= mult[u - units];
	return *out <= UINT32_MAX;
}

/* Bytes with an optional binary unit: 1048576, 512K, 100M, 2G. */
static bool parse_size(const char *s, size_t len, uint64_t *out)
{
	size_t used;
	if (!parse_uint(s, len, 1ull << 50, out, &used))
		return false;
	if (used == len)
		return true;
	if (used + 1 != len)
		return false;
	static const char units[] = "KMG";
	const char *u = memchr(units, s[used], 3);
	if (!u)
		return false;
	*out <<= 10 * (u - units + 1);
	return true;
}

static bool parse_bool(const char *s, size_t len, bool *out)
{
	if ((len == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) || !memcmp(s, "TRUE", 4)))) {
		*out = true;
		return true;
	}
	if ((len == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) || !memcmp(s, "FALSE", 5)))) {
		*out = false;
		return true;
	}
	return false;
}

static bool is_eq(const char *s, size_t len, const char *lit)
{
	return strlen(lit) == len && !memcmp(s, lit, len);
}

/* Index of the name s[0..len) in names[0..n), or -1. */
static int pick(const char *s, size_t len, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (is_eq(s, len, names[i]))
			return i;
	return -1;
}

/* HOST:PORT, HOST an IPv4 address, [IPv6] or localhost. */
static bool parse_hostport(const char *s, size_t len, uint32_t min_port)
{
	const char *colon = NULL;
	for (size_t i = len; i-- > 0;)
		if (s[i] == ':') {
			colon = s + i;
			break;
		}
	if (!colon || colon == s)
		return false;
	uint64_t port;
	size_t used, plen = len - (size_t)(colon + 1 - s);
	if (!parse_uint(colon + 1, plen, 65535, &port, &used) || used != plen || port < min_port)
		return false;
	size_t hlen = (size_t)(colon - s);
	char host[64];
	if (hlen >= sizeof host)
		return false;
	if (is_eq(s, hlen, "localhost"))
		return true;
	struct wt_cidr cidr;
	if (s[0] == '[') {
		if (hlen < 3 || s[hlen - 1] != ']')
			return false;
		memcpy(host, s + 1, hlen - 2);
		host[hlen - 2] = 0;
		return strchr(host, ':') && wt_cidr_parse(host, hlen - 2, &cidr);
	}
	memcpy(host, s, hlen);
	host[hlen] = 0;
	return !strchr(host, ':') && !strchr(host, '/') && wt_cidr_parse(host, hlen, &cidr);
}

static bool compile_re(const char *s, size_t len, char *detail, size_t dlen)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)s, len, 0, &code, &off, NULL);
	if (re) {
		pcre2_code_free(re);
		return true;
	}
	PCRE2_UCHAR msg[160];
	pcre2_get_error_message(code, msg, sizeof msg);
	snprintf(detail, dlen, "not a PCRE2 pattern: %s at offset %zu", (const char *)msg, (size_t)off);
	return false;
}

static void push_str(char ***list, unsigned *n, const char *s, size_t len)
{
	*list = wt_xrealloc(*list, (*n + 1) * sizeof **list);
	(*list)[(*n)++] = wt_xstrndup(s, len);
}

static void set_str(char **slot, const char *s, size_t len)
{
	free(*slot);
	*slot = wt_xstrndup(s, len);
}

/* Set (lists: append) option o from text. false: detail says why, or is empty when the
 * option's range says it. */
static bool set_value(struct wt_config *c, const struct opt *o, const char *s, size_t len, char *detail,
		      size_t dlen)
{
	void *p = (char *)c + o->off;
	detail[0] = 0;
	if (memchr(s, 0, len))
		return false;
	switch (o->type) {
	case T_PATH:
	case T_STR:
		if (!len || (check_of(o) && !check_of(o)(s, len, detail, dlen)))
			return false;
		set_str(p, s, len);
		return true;
	case T_STRLIST:
		if (!len || (check_of(o) && !check_of(o)(s, len, detail, dlen)))
			return false;
		push_str(p, (unsigned *)((char *)c + o->cnt), s, len);
		return true;
	case T_REGEX:
		if (len && !compile_re(s, len, detail, dlen))
			return false;
		set_str(p, s, len);
		return true;
	case T_REGEXLIST:
		if (!compile_re(s, len, detail, dlen))
			return false;
		push_str(p, (unsigned *)((char *)c + o->cnt), s, len);
		return true;
	case T_U32: {
		uint64_t v;
		size_t used;
		if (!parse_uint(s, len, UINT32_MAX, &v, &used) || used != len || v < o->min || v > o->max)
			return false;
		*(uint32_t *)p = (uint32_t)v;
		return true;
	}
	case T_SECS: {
		uint64_t v;
		if (!parse_secs(s, len, &v) || v < o->min || v > o->max)
			return false;
		*(uint32_t *)p = (uint32_t)v;
		return true;
	}
	case T_BOOL:
		return parse_bool(s, len, p);
	case T_BACKOFF: { /* MIN:MAX into two consecutive uint32_t */
		uint64_t lo, hi;
		size_t used, used2;
		if (!parse_uint(s, len, UINT32_MAX, &lo, &used) || used >= len || s[used] != ':' ||
		    !parse_uint(s + used + 1, len - used - 1, UINT32_MAX, &hi, &used2) || used2 != len - used - 1 ||
		    lo < o->min || lo > hi || hi > o->max)
			return false;
		((uint32_t *)p)[0] = (uint32_t)lo;
		((uint32_t *)p)[1] = (uint32_t)hi;
		return true;
	}
	case T_CIDRS: {
		struct wt_cidr r;
		if (!wt_cidr_parse(s, len, &r))
			return false;
		c->cluster = wt_xrealloc(c->cluster, (c->n_cluster + 1) * sizeof *c->cluster);
		c->cluster[c->n_cluster++] = r;
		return true;
	}
	case T_LISTEN:
		if (!is_eq(s, len, "off") && !parse_hostport(s, len, 0))
			return false;
		set_str(p, s, len);
		return true;
	case T_LOGLEVEL: {
		int i = pick(s, len, wt_log_level_names, 4);
		if (i >= 0)
			c->log_level = (enum wt_log_level)i;
		return i >= 0;
	}
	case T_SLOW: {
		const char *colon = memchr(s, ':', len);
		static const char *const names[] = {"direct", "correlation", "behavioral"};
		for (int i = 0; colon && i < 3; i++) {
			uint64_t us;
			size_t used, rest = len - (size_t)(colon + 1 - s);
			if (is_eq(s, (size_t)(colon - s), names[i]) && parse_uint(colon + 1, rest, UINT32_MAX, &us, &used) &&
			    used == rest) {
				c->slow_pipeline_us[i] = (unsigned)us;
				return true;
			}
		}
		return false;
	}
	case T_SINKS:
		return false;
	}
	return false;
}

/* Command line ------------------------------------------------------------------------------ */

static struct option long_opts[N_OPTS + 5];

const struct option *wt_config_long_options(void)
{
	if (long_opts[0].name)
		return long_opts;
	size_t n = 0;
	for (size_t i = 0; i < N_OPTS; i++)
		if (opts[i].flag)
			long_opts[n++] = (struct option){opts[i].flag, opts[i].type == T_BOOL ? no_argument : required_argument,
							 0, opts[i].short_opt ? opts[i].short_opt : 256 + (int)i};
	long_opts[n++] = (struct option){"config", required_argument, 0, 'c'};
	long_opts[n++] = (struct option){"check-config", required_argument, 0, 'C'};
	long_opts[n++] = (struct option){"version", no_argument, 0, 'V'};
	long_opts[n++] = (struct option){"help", no_argument, 0, 'h'};
	long_opts[n] = (struct option){0, 0, 0, 0};
	return long_opts;
}

int wt_config_flag(int val)
{
	if (val >= 256 && val < 256 + (int)N_OPTS)
		return val - 256;
	for (size_t i = 0; i < N_OPTS; i++)
		if (opts[i].short_opt && opts[i].short_opt == val)
			return (int)i;
	return -1;
}

const char *wt_config_flag_name(int index)
{
	return opts[index].flag;
}

bool wt_config_flag_takes_arg(int index)
{
	return opts[index].type != T_BOOL;
}

bool wt_config_apply_flag(struct wt_config *c, int index, const char *arg, char *err, size_t errlen)
{
	const struct opt *o = &opts[index];
	if (o->type == T_BOOL) {
		*(bool *)((char *)c + o->off) = true;
		return true;
	}
	if ((o->type == T_CIDRS || o->type == T_REGEXLIST || o->type == T_STRLIST) && !c->cli_list_reset[index]) {
		/* the first occurrence on the command line replaces the file's list */
		c->cli_list_reset[index] = true;
		if (o->type == T_CIDRS) {
			free(c->cluster);
			c->cluster = NULL;
			c->n_cluster = 0;
		} else {
			unsigned *n = (unsigned *)((char *)c + o->cnt);
			free_list(*(char ***)((char *)c + o->off), *n);
			*(char ***)((char *)c + o->off) = NULL;
			*n = 0;
		}
	}
	if (!strcmp(o->key ? o->key : "", "input.replay") || !strcmp(o->key ? o->key : "", "input.tetragon.address") ||
	    !strcmp(o->key ? o->key : "", "input.follow.path")) {
		/* an input on the command line replaces the file's input; two are a mistake */
		if (c->cli_input) {
			snprintf(err, errlen, "--%s and --%s: only one input can be given", c->cli_input, o->flag);
			return false;
		}
		c->cli_input = o->flag;
		free(c->replay);
		free(c->tetragon.address);
		free(c->follow.path);
		c->replay = c->tetragon.address = c->follow.path = NULL;
	}
	char detail[256];
	if (set_value(c, o, arg, strlen(arg), detail, sizeof detail))
		return true;
	if (detail[0] && check_of(o))
		snprintf(err, errlen, "invalid --%s %s", o->flag, detail); /* the detail quotes the value */
	else if (detail[0])
		snprintf(err, errlen, "invalid value '%s' for --%s (%s)", arg, o->flag, detail);
	else
		snprintf(err, errlen, "invalid value '%s' for --%s (expected %s)", arg, o->flag, o->range);
	return false;
}

void wt_config_usage(FILE *out)
{
	fputs("usage: worktraced [--config FILE] --rules RULESET.wtb --replay EVENTS.jsonl|- [options]\n"
	      "       worktraced --check-config FILE\n"
	      "  -c, --config FILE           settings from a worktrace.yaml(5) file (flags override it)\n"
	      "      --check-config FILE     validate the file, print OK or every mistake, exit 0 or 1\n",
	      out);
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct opt *o = &opts[i];
		if (!o->flag || !o->help)
			continue;
		char left[64];
		snprintf(left, sizeof left, "%s%c%s --%s%s%s", o->short_opt ? "  -" : "   ", o->short_opt ? o->short_opt : ' ',
			 o->short_opt ? "," : " ", o->flag, o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "%-29s %s\n", left, o->help);
	}
	fputs("  -V, --version\n", out);
}

void wt_config_print(const struct wt_config *c, FILE *out, const char *prefix)
{
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct opt *o = &opts[i];
		const char *p = (const char *)c + o->off;
		const char *name = o->key ? o->key : o->flag;
		fprintf(out, "%s%s = ", prefix, name);
		switch (o->type) {
		case T_PATH: case T_STR: case T_REGEX: case T_LISTEN: {
			const char *v = *(char *const *)p;
			fprintf(out, "%s", v ? v : "(none)");
			break;
		}
		case T_U32: case T_SECS: fprintf(out, "%u", *(const uint32_t *)p); break;
		case T_BACKOFF: fprintf(out, "%u:%u", ((const uint32_t *)p)[0], ((const uint32_t *)p)[1]); break;
		case T_BOOL: fputs(*(const bool *)p ? "true" : "false", out); break;
		case T_LOGLEVEL: fputs(wt_log_level_names[c->log_level], out); break;
		case T_REGEXLIST:
		case T_STRLIST: {
			unsigned n = *(const unsigned *)((const char *)c + o->cnt);
			if (!n)
				fputs("(none)", out);
			for (unsigned k = 0; k < n; k++)
				fprintf(out, "%s%s", k ? ", " : "", (*(char **const *)p)[k]);
			break;
		}
		case T_CIDRS:
			if (!c->n_cluster)
				fputs("(none)", out);
			for (unsigned k = 0; k < c->n_cluster; k++) {
				char text[INET6_ADDRSTRLEN];
				const struct wt_cidr *r = &c->cluster[k];
				inet_ntop(r->family == 4 ? AF_INET : AF_INET6, r->addr, text, sizeof text);
				fprintf(out, "%s%s/%u", k ? ", " : "", text, r->prefix);
			}
			break;
		case T_SINKS:
			if (!c->n_sinks)
				fputs("(none)", out);
			for (unsigned k = 0; k < c->n_sinks; k++)
				fprintf(out, "%s%s (%s)", k ? ", " : "", c->sinks[k].name, wt_sinkconf_type_names[c->sinks[k].type]);
			break;
		case T_SLOW:
			fprintf(out, "direct:%u, correlation:%u, behavioral:%u", c->slow_pipeline_us[0], c->slow_pipeline_us[1],
				c->slow_pipeline_us[2]);
			break;
		}
		fputc('\n', out);
	}
}

/* YAML ------------------------------------------------------------------------------------- */

struct where {
	int line, col; /* 0-based; line -1: unknown */
};

struct msg {
	int line, col; /* 0-based; line -1: no position */
	unsigned seq;
	char *text;
};

struct loader {
	struct wt_config *c;
	const char *file;
	struct wt_config_errors *errs;
	unsigned n_new;
	struct msg *msgs;
	struct where name_at; /* the last sink's 'name' value */
	struct fy_mark set_at[N_OPTS]; /* where each option was set; line -1: not in the file */
};

static struct where mark_of(struct fy_node *n, struct where fallback)
{
	struct fy_token *t = n ? fy_node_get_scalar_token(n) : NULL;
	const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
	if (!m)
		return fallback;
	return (struct where){m->line, m->column};
}

WT_PRINTF(3, 4) static void say(struct loader *L, struct where w, const char *fmt, ...)
{
	char msg[768], full[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (w.line >= 0)
		snprintf(full, sizeof full, "%s:%d:%d: %s", L->file, w.line + 1, w.col + 1, msg);
	else
		snprintf(full, sizeof full, "%s: %s", L->file, msg);
	L->msgs = wt_xrealloc(L->msgs, (L->n_new + 1) * sizeof *L->msgs);
	L->msgs[L->n_new] = (struct msg){w.line, w.col, L->n_new, wt_xstrdup(full)};
	L->n_new++;
}

static const char *scalar(struct fy_node *n, size_t *len)
{
	if (!n || !fy_node_is_scalar(n) || fy_node_is_alias(n))
		return NULL;
	const char *s = fy_node_get_scalar(n, len);
	if (!s) {
		*len = 0;
		return "";
	}
	return s;
}

static const char *node_kind(struct fy_node *n)
{
	if (!n)
		return "nothing";
	switch (fy_node_get_type(n)) {
	case FYNT_MAPPING: return "a mapping";
	case FYNT_SEQUENCE: return "a list";
	default: return "a scalar";
	}
}

/* A printable copy of a scalar for messages (cut, control bytes as '?'). */
static const char *show(const char *s, size_t len, char *buf, size_t cap)
{
	size_t n = len < cap - 4 ? len : cap - 4;
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (n < len)
		memcpy(buf + n, "...", 4);
	else
		buf[n] = 0;
	return buf;
}

static void bad_value(struct loader *L, const struct opt *o, struct where w, const char *s, size_t len,
		      const char *detail)
{
	char tmp[96];
	if (detail && detail[0])
		say(L, w, "%s: invalid value '%s' (%s)", o->key, show(s, len, tmp, sizeof tmp), detail);
	else
		say(L, w, "%s: invalid value '%s' (expected %s)", o->key, show(s, len, tmp, sizeof tmp), o->range);
}

static void load_sinks(struct loader *L, struct fy_node *seq, struct where at);

static void load_option(struct loader *L, const struct opt *o, struct fy_node *v, struct where key_at)
{
	size_t idx = (size_t)(o - opts);
	struct where at = mark_of(v, key_at);
	L->set_at[idx] = (struct fy_mark){0, key_at.line, key_at.col};
	char detail[256];
	if (o->type == T_SINKS) {
		load_sinks(L, v, key_at);
		return;
	}
	if (o->type == T_CIDRS || o->type == T_REGEXLIST || o->type == T_STRLIST) {
		if (!v || !fy_node_is_sequence(v)) {
			say(L, at, "%s: expected a list, found %s", o->key, node_kind(v));
			return;
		}
		if (o->type == T_CIDRS) {
			free(L->c->cluster);
			L->c->cluster = NULL;
			L->c->n_cluster = 0;
		} else {
			unsigned *n = (unsigned *)((char *)L->c + o->cnt);
			free_list(*(char ***)((char *)L->c + o->off), *n);
			*(char ***)((char *)L->c + o->off) = NULL;
			*n = 0;
		}
		void *it = NULL;
		for (struct fy_node *e; (e = fy_node_sequence_iterate(v, &it));) {
			size_t len;
			const char *s = scalar(e, &len);
			struct where ew = mark_of(e, at);
			if (!s)
				say(L, ew, "%s: expected %s, found %s", o->key, o->range, node_kind(e));
			else if (!set_value(L->c, o, s, len, detail, sizeof detail))
				bad_value(L, o, ew, s, len, detail);
		}
		return;
	}
	size_t len;
	const char *s = scalar(v, &len);
	if (!s) {
		say(L, at, "%s: expected %s, found %s", o->key, o->range, node_kind(v));
		return;
	}
	if (o->type == T_REGEX && !strcmp(o->key, "workspace.namespace_pattern") && len) {
		/* the daemon's own check, with its message */
		char *pat = wt_xstrndup(s, len), err[400];
		struct wt_workspace_config ws;
		if (wt_workspace_config_init(&ws, NULL, NULL, pat, err, sizeof err) != WT_OK) {
			say(L, at, "%s: %s", o->key, err);
			free(pat);
			return;
		}
		wt_workspace_config_free(&ws);
		free(pat);
	}
	if (!set_value(L->c, o, s, len, detail, sizeof detail))
		bad_value(L, o, at, s, len, detail);
}

/* " (did you mean 'K'?)" for the closest of the comma-separated candidates, if close. */
static void suggest(const char *key, size_t klen, const char *cands, char *buf, size_t cap)
{
	unsigned best = 3;
	const char *bs = NULL;
	size_t bl = 0;
	buf[0] = 0;
	for (const char *c = cands; *c;) {
		size_t l = strcspn(c, ",");
		char a[48], b[48];
		snprintf(a, sizeof a, "%.*s", (int)(klen < 47 ? klen : 47), key);
		snprintf(b, sizeof b, "%.*s", (int)(l < 47 ? l : 47), c);
		unsigned d = wt_edit_distance(a, b);
		if (d < best && !(l == klen && !memcmp(c, key, l))) {
			best = d;
			bs = c;
			bl = l;
		}
		c += l;
		while (*c == ',' || *c == ' ')
			c++;
	}
	if (bs)
		snprintf(buf, cap, "; did you mean '%.*s'?", (int)bl, bs);
}

/* Keys expected in the mapping at prefix ("" = top level), for messages. */
static void expected_keys(const char *prefix, char *buf, size_t cap)
{
	size_t pl = strlen(prefix), n = 0;
	buf[0] = 0;
	for (size_t i = 0; i < N_OPTS; i++) {
		const char *k = opts[i].key;
		if (!k || strncmp(k, prefix, pl) || (pl && k[pl] != '.'))
			continue;
		const char *rest = k + pl + (pl ? 1 : 0);
		size_t rl = strcspn(rest, ".");
		/* listed once */
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++) {
			const char *k2 = opts[j].key;
			if (k2 && !strncmp(k2, prefix, pl) && (!pl || k2[pl] == '.')) {
				const char *r2 = k2 + pl + (pl ? 1 : 0);
				seen = strcspn(r2, ".") == rl && !strncmp(r2, rest, rl);
			}
		}
		if (!seen)
			n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%.*s", n ? ", " : "", (int)rl, rest);
	}
}

static void load_mapping(struct loader *L, struct fy_node *map, const char *prefix)
{
	void *it = NULL;
	for (struct fy_node_pair *pr; (pr = fy_node_mapping_iterate(map, &it));) {
		struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
		struct where kw = mark_of(k, (struct where){-1, 0});
		size_t klen;
		const char *ks = scalar(k, &klen);
		char full[160], tmp[96];
		if (!ks || klen > 64) {
			say(L, kw, "keys must be short scalars");
			continue;
		}
		snprintf(full, sizeof full, "%s%s%.*s", prefix, *prefix ? "." : "", (int)klen, ks);
		const struct opt *o = NULL;
		bool section = false;
		size_t fl = strlen(full);
		for (size_t i = 0; i < N_OPTS; i++) {
			if (!opts[i].key)
				continue;
			if (!strcmp(opts[i].key, full))
				o = &opts[i];
			else if (!strncmp(opts[i].key, full, fl) && opts[i].key[fl] == '.')
				section = true;
		}
		if (o) {
			load_option(L, o, v, kw);
		} else if (section) {
			if (v && fy_node_is_mapping(v))
				load_mapping(L, v, full);
			else if (v && !(fy_node_is_scalar(v) && fy_node_get_scalar_length(v) == 0 &&
					fy_node_get_style(v) == FYNS_PLAIN))
				say(L, mark_of(v, kw), "%s: expected a mapping, found %s", full, node_kind(v));
		} else {
			char exp[512], hint[96];
			expected_keys(prefix, exp, sizeof exp);
			suggest(ks, klen, exp, hint, sizeof hint);
			say(L, kw, "unknown key '%s'%s%s (expected %s)%s", show(ks, klen, tmp, sizeof tmp), *prefix ? " in " : "",
			    prefix, exp, hint);
		}
	}
}

/* Sinks ------------------------------------------------------------------------------------ */

enum sink_key { SK_TYPE, SK_NAME, SK_QUEUE, SK_BACKOFF, SK_MINSEV, SK_PATH, SK_MAXSIZE, SK_KEEP, SK_URL,
		SK_RESOLVE, SK_FORMAT, SK_HEADERS, SK_TRANSPORT, SK_ADDRESS, SK_FACILITY, SK_APPNAME, SK_COUNT };
static const struct {
	const char *name;
	int types; /* bit per sink type; -1: every type */
} sink_keys[SK_COUNT] = {
	[SK_TYPE] = {"type", -1}, [SK_NAME] = {"name", -1}, [SK_QUEUE] = {"queue_size", -1},
	[SK_BACKOFF] = {"retry_max_backoff", -1}, [SK_MINSEV] = {"min_severity", -1},
	[SK_PATH] = {"path", 1 << WT_SINKCONF_FILE}, [SK_MAXSIZE] = {"max_size", 1 << WT_SINKCONF_FILE},
	[SK_KEEP] = {"keep", 1 << WT_SINKCONF_FILE},
	[SK_URL] = {"url", 1 << WT_SINKCONF_ALERTMANAGER | 1 << WT_SINKCONF_WEBHOOK},
	[SK_RESOLVE] = {"resolve_timeout", 1 << WT_SINKCONF_ALERTMANAGER},
	[SK_FORMAT] = {"format", 1 << WT_SINKCONF_WEBHOOK}, [SK_HEADERS] = {"headers", 1 << WT_SINKCONF_WEBHOOK},
	[SK_TRANSPORT] = {"transport", 1 << WT_SINKCONF_SYSLOG}, [SK_ADDRESS] = {"address", 1 << WT_SINKCONF_SYSLOG},
	[SK_FACILITY] = {"facility", 1 << WT_SINKCONF_SYSLOG}, [SK_APPNAME] = {"app_name", 1 << WT_SINKCONF_SYSLOG},
};

static const char *const formats[2] = {"json", "falcosidekick"};     /* enum wt_webhook_format */
static const char *const transports[3] = {"unix", "udp", "tcp"};       /* enum wt_syslog_transport */
static const char *const facilities[24] = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
					    "uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock",
					    "local0", "local1", "local2", "local3", "local4", "local5", "local6",
					    "local7"};

static bool valid_url(const char *s, size_t len)
{
	size_t skip = len >= 7 && !memcmp(s, "http://", 7) ? 7 : len >= 8 && !memcmp(s, "https://", 8) ? 8 : 0;
	if (!skip || len == skip || s[skip] == '/')
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool header_name_ok(const char *s, size_t len)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr(extra, ch)))
			return false;
	}
	return true;
}

static void sink_say(struct loader *L, struct where w, unsigned idx, const char *fmt, const char *a, const char *b)
{
	char msg[512];
	snprintf(msg, sizeof msg, fmt, a, b);
	say(L, w, "sinks[%u]: %s", idx, msg);
}

static void load_sink(struct loader *L, struct fy_node *m, unsigned idx, struct where at, struct wt_sink_conf *s)
{
	char tmp[96], detail[256];
	struct fy_node *val[SK_COUNT] = {0};
	bool present[SK_COUNT] = {0};
	struct where kat[SK_COUNT];
	void *it = NULL;
	/* collect the keys, refusing unknown ones */
	for (struct fy_node_pair *pr; (pr = fy_node_mapping_iterate(m, &it));) {
		struct fy_node *k = fy_node_pair_key(pr);
		struct where kw = mark_of(k, at);
		size_t klen;
		const char *ks = scalar(k, &klen);
		int found = -1;
		for (int i = 0; ks && i < SK_COUNT; i++)
			if (is_eq(ks, klen, sink_keys[i].name))
				found = i; /* (a table of structs: not pick()) */
		if (found < 0) {
			char hint[96] = "";
			if (ks)
				suggest(ks, klen, "type, name, queue_size, retry_max_backoff, min_severity, path, max_size, keep, url, "
						  "resolve_timeout, format, headers, transport, address, facility, app_name",
					hint, sizeof hint);
			say(L, kw, "sinks[%u]: unknown key '%s' (expected type, name, queue_size, retry_max_backoff, "
				   "min_severity and the keys of the sink's type)%s",
			    idx, ks ? show(ks, klen, tmp, sizeof tmp) : "?", hint);
			continue;
		}
		val[found] = fy_node_pair_value(pr);
		kat[found] = kw;
		present[found] = true;
	}
	if (!present[SK_TYPE]) {
		say(L, at, "sinks[%u]: missing 'type' (one of stdout, file, alertmanager, webhook, syslog)", idx);
		return;
	}
	size_t len;
	const char *ts = scalar(val[SK_TYPE], &len);
	struct where tw = mark_of(val[SK_TYPE], kat[SK_TYPE]);
	int type = ts ? pick(ts, len, wt_sinkconf_type_names, WT_SINKCONF_TYPE_COUNT) : -1;
	if (type < 0) {
		say(L, tw, "sinks[%u]: unknown sink type '%s' (expected stdout, file, alertmanager, webhook or syslog)", idx,
		    ts ? show(ts, len, tmp, sizeof tmp) : node_kind(val[SK_TYPE]));
		return;
	}
	s->type = (enum wt_sinkconf_type)type;
	s->line = at.line + 1;
	s->queue_size = WT_SINKCONF_DEFAULT_QUEUE;
	s->retry_max_backoff_s = WT_SINKCONF_DEFAULT_BACKOFF_S;
	s->min_severity = WT_SEV_INFO;
	s->file.max_size = WT_SINKCONF_DEFAULT_FILE_MAX_SIZE;
	s->file.keep = WT_SINKCONF_DEFAULT_FILE_KEEP;
	s->alertmanager.resolve_timeout_s = WT_SINKCONF_DEFAULT_RESOLVE_S;
	s->syslog.facility = WT_SINKCONF_DEFAULT_SYSLOG_FACILITY;
	for (int k = 0; k < SK_COUNT; k++) {
		if (!present[k] || k == SK_TYPE)
			continue;
		const char *kn = sink_keys[k].name;
		if (!(sink_keys[k].types & (1 << type))) {
			sink_say(L, kat[k], idx, "key '%s' does not apply to a sink of type %s", kn, wt_sinkconf_type_names[type]);
			continue;
		}
		struct where vw = mark_of(val[k], kat[k]);
		if (k == SK_HEADERS) {
			if (!val[k] || !fy_node_is_mapping(val[k])) {
				sink_say(L, vw, idx, "%s: expected a mapping of header names to values, found %s", kn,
					 node_kind(val[k]));
				continue;
			}
			void *hit = NULL;
			for (struct fy_node_pair *pr; (pr = fy_node_mapping_iterate(val[k], &hit));) {
				size_t nl, vl;
				const char *hn = scalar(fy_node_pair_key(pr), &nl), *hv = scalar(fy_node_pair_value(pr), &vl);
				struct where hw = mark_of(fy_node_pair_key(pr), vw);
				if (!hn || !header_name_ok(hn, nl)) {
					sink_say(L, hw, idx, "headers: '%s' is not an HTTP header name%s",
						 hn ? show(hn, nl, tmp, sizeof tmp) : "?", "");
					continue;
				}
				static const char *const framing[] = {"content-length", "transfer-encoding", "host",
								       "content-type", "connection", "expect"};
				bool reserved = false;
				for (size_t h = 0; h < WT_ARRAY_LEN(framing); h++)
					reserved |= strlen(framing[h]) == nl && !strncasecmp(hn, framing[h], nl);
				if (reserved) {
					sink_say(L, hw, idx, "headers: '%s' is set by the sink itself%s",
						 show(hn, nl, tmp, sizeof tmp), "");
					continue;
				}
				if (!hv || memchr(hv, '\r', vl) || memchr(hv, '\n', vl) || memchr(hv, 0, vl)) {
					sink_say(L, mark_of(fy_node_pair_value(pr), hw), idx,
						 "headers: the value of '%s' must be one line of text%s",
						 show(hn, nl, tmp, sizeof tmp), "");
					continue;
				}
				s->webhook.headers = wt_xrealloc(s->webhook.headers,
								 (s->webhook.n_headers + 1) * sizeof *s->webhook.headers);
				s->webhook.headers[s->webhook.n_headers++] =
					(struct wt_sinkconf_header){wt_xstrndup(hn, nl), wt_xstrndup(hv, vl)};
			}
			continue;
		}
		const char *v = scalar(val[k], &len);
		if (!v) {
			sink_say(L, vw, idx, "%s: expected a scalar, found %s", kn, node_kind(val[k]));
			continue;
		}
		bool ok = len > 0 && !memchr(v, 0, len);
		const char *expect = "";
		int choice;
		uint64_t n = 0;
		size_t used;
		switch (k) {
		case SK_NAME:
			expect = "a name";
			if (ok)
				set_str(&s->name, v, len);
			L->name_at = vw;
			break;
		case SK_QUEUE:
			expect = "1 to 16777216";
			ok = ok && parse_uint(v, len, 1u << 24, &n, &used) && used == len && n >= 1;
			s->queue_size = (uint32_t)n;
			break;
		case SK_BACKOFF:
			expect = "1 to 3600 seconds";
			ok = ok && parse_secs(v, len, &n) && n >= 1 && n <= 3600;
			s->retry_max_backoff_s = (uint32_t)n;
			break;
		case SK_RESOLVE:
			expect = "1 to 86400 seconds";
			ok = ok && parse_secs(v, len, &n) && n >= 1 && n <= 86400;
			s->alertmanager.resolve_timeout_s = (uint32_t)n;
			break;
		case SK_MINSEV:
			expect = "info, low, medium, high or critical";
			choice = pick(v, len, wt_severity_names, WT_SEV_COUNT);
			ok = choice >= 0;
			s->min_severity = ok ? (enum wt_severity)choice : WT_SEV_INFO;
			break;
		case SK_PATH:
			expect = "a file name";
			if (ok)
				set_str(&s->file.path, v, len);
			break;
		case SK_MAXSIZE:
			expect = "a size in bytes (suffix K, M or G), 0 for no rotation";
			ok = ok && parse_size(v, len, &n) && (n == 0 || n >= 4096);
			s->file.max_size = n;
			break;
		case SK_KEEP:
			expect = "1 to 1000";
			ok = ok && parse_uint(v, len, 1000, &n, &used) && used == len && n >= 1;
			s->file.keep = (uint32_t)n;
			break;
		case SK_URL:
			expect = "an http:// or https:// URL";
			ok = ok && valid_url(v, len);
			if (ok)
				set_str(type == WT_SINKCONF_WEBHOOK ? &s->webhook.url : &s->alertmanager.url, v, len);
			break;
		case SK_FORMAT:
			expect = "json or falcosidekick";
			choice = pick(v, len, formats, 2);
			ok = choice >= 0;
			s->webhook.format = choice == 1 ? WT_WEBHOOK_FALCOSIDEKICK : WT_WEBHOOK_JSON;
			break;
		case SK_TRANSPORT:
			expect = "unix, udp or tcp";
			choice = pick(v, len, transports, 3);
			ok = choice >= 0;
			s->syslog.transport = ok ? (enum wt_syslog_transport)choice : WT_SYSLOG_UNIX;
			break;
		case SK_ADDRESS:
			expect = "a socket path or HOST:PORT";
			if (ok)
				set_str(&s->syslog.address, v, len);
			break;
		case SK_FACILITY:
			expect = "kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, ftp, ntp, "
				 "audit, alert, clock or local0 to local7";
			choice = pick(v, len, facilities, 24);
			ok = choice >= 0;
			if (ok)
				s->syslog.facility = choice;
			break;
		case SK_APPNAME:
			expect = "1 to 48 printable ASCII characters";
			ok = ok && len <= 48;
			for (size_t i = 0; ok && i < len; i++)
				ok = v[i] > 0x20 && v[i] < 0x7f;
			if (ok)
				set_str(&s->syslog.app_name, v, len);
			break;
		}
		if (!ok) {
			snprintf(detail, sizeof detail, "invalid value '%s' (expected %s)", show(v, len, tmp, sizeof tmp), expect);
			sink_say(L, vw, idx, "%s: %s", kn, detail);
		}
	}
	/* required keys and the address of network syslog */
	static const char *const need[WT_SINKCONF_TYPE_COUNT] = {NULL, "path", "url", "url", NULL};
	if ((type == WT_SINKCONF_FILE && !present[SK_PATH]) ||
	    ((type == WT_SINKCONF_ALERTMANAGER || type == WT_SINKCONF_WEBHOOK) && !present[SK_URL]))
		sink_say(L, tw, idx, "a sink of type %s needs '%s'", wt_sinkconf_type_names[type], need[type]);
	if (type == WT_SINKCONF_SYSLOG) {
		if (s->syslog.transport != WT_SYSLOG_UNIX) {
			if (!s->syslog.address) {
				if (!present[SK_ADDRESS])
					sink_say(L, mark_of(val[SK_TRANSPORT], kat[SK_TRANSPORT]), idx, "a syslog sink over %s needs 'address' (HOST:PORT)%s",
						 s->syslog.transport == WT_SYSLOG_UDP ? "udp" : "tcp", "");
			} else if (!parse_hostport(s->syslog.address, strlen(s->syslog.address), 1)) {
				sink_say(L, mark_of(val[SK_ADDRESS], kat[SK_ADDRESS]), idx,
					 "address: invalid value '%s' (expected HOST:PORT for %s)", s->syslog.address,
					 s->syslog.transport == WT_SYSLOG_UDP ? "udp" : "tcp");
			}
		} else if (!s->syslog.address) {
			s->syslog.address = wt_xstrdup(WT_SINKCONF_DEFAULT_SYSLOG_SOCKET);
		}
		if (!s->syslog.app_name)
			s->syslog.app_name = wt_xstrdup(WT_SINKCONF_DEFAULT_APP_NAME);
	}
}

static void load_sinks(struct loader *L, struct fy_node *seq, struct where at)
{
	free_sinks(L->c);
	if (!seq || !fy_node_is_sequence(seq)) {
		say(L, mark_of(seq, at), "sinks: expected a list of sinks, found %s", node_kind(seq));
		return;
	}
	int n = fy_node_sequence_item_count(seq);
	L->c->sinks = wt_xcalloc(n > 0 ? (size_t)n : 1, sizeof *L->c->sinks);
	void *it = NULL;
	unsigned idx = 0, count[WT_SINKCONF_TYPE_COUNT] = {0}, n_named = 0;
	char **named = wt_xcalloc(n > 0 ? (size_t)n : 1, sizeof *named);
	struct where *at_of = wt_xcalloc(n > 0 ? (size_t)n : 1, sizeof *at_of);
	struct where prev = at;
	for (struct fy_node *e; (e = fy_node_sequence_iterate(seq, &it)); idx++) {
		/* an entry's position: its first key */
		struct where ew = prev;
		if (fy_node_is_mapping(e)) {
			void *it2 = NULL;
			struct fy_node_pair *first = fy_node_mapping_iterate(e, &it2);
			if (first)
				ew = mark_of(fy_node_pair_key(first), prev);
		} else {
			ew = mark_of(e, prev);
		}
		prev = ew;
		if (!fy_node_is_mapping(e)) {
			say(L, ew, "sinks[%u]: expected a mapping with a 'type', found %s", idx, node_kind(e));
			continue;
		}
		struct wt_sink_conf *s = &L->c->sinks[L->c->n_sinks];
		unsigned before = L->n_new;
		load_sink(L, e, idx, ew, s);
		if (s->name) {
			/* explicit names are unique, whether or not the entry has other mistakes */
			for (unsigned j = 0; j < n_named; j++)
				if (!strcmp(named[j], s->name)) {
					say(L, L->name_at, "sinks[%u]: another sink is already named '%s'", idx, s->name);
					break;
				}
			named[n_named++] = wt_xstrdup(s->name);
		}
		if (L->n_new != before) {
			wt_sink_conf_free(s);
			continue;
		}
		if (!s->name) {
			char nm[32];
			unsigned k = ++count[s->type];
			if (k == 1)
				snprintf(nm, sizeof nm, "%s", wt_sinkconf_type_names[s->type]);
			else
				snprintf(nm, sizeof nm, "%s-%u", wt_sinkconf_type_names[s->type], k);
			s->name = wt_xstrdup(nm);
		}
		at_of[L->c->n_sinks] = ew;
		L->c->n_sinks++;
	}
	/* a default name ("file-2") may meet an explicit one */
	for (unsigned j = 1; j < L->c->n_sinks; j++)
		for (unsigned i = 0; i < j; i++)
			if (!strcmp(L->c->sinks[i].name, L->c->sinks[j].name)) {
				say(L, at_of[j], "sink '%s': two sinks have this name; set 'name' on one of them",
				    L->c->sinks[j].name);
				break;
			}
	free(at_of);
	free_list(named, n_named);
}

/* File ------------------------------------------------------------------------------------- */

static const char *opt_key_set(struct loader *L, const char *key)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (opts[i].key && !strcmp(opts[i].key, key) && L->set_at[i].line >= 0)
			return key;
	return NULL;
}

static int cmp_msg(const void *a, const void *b)
{
	const struct msg *x = a, *y = b;
	long lx = x->line < 0 ? 1L << 30 : x->line, ly = y->line < 0 ? 1L << 30 : y->line;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The loader's messages in file order, appended to errs. */
static unsigned finish(struct loader *L)
{
	if (!L->n_new)
		return 0;
	qsort(L->msgs, L->n_new, sizeof *L->msgs, cmp_msg);
	L->errs->msg = wt_xrealloc(L->errs->msg, (L->errs->n + L->n_new) * sizeof *L->errs->msg);
	for (unsigned i = 0; i < L->n_new; i++)
		L->errs->msg[L->errs->n++] = L->msgs[i].text;
	free(L->msgs);
	return L->n_new;
}

static struct where opt_where(struct loader *L, const char *key)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (opts[i].key && !strcmp(opts[i].key, key))
			return (struct where){L->set_at[i].line, L->set_at[i].column};
	return (struct where){-1, 0};
}

static void cross_checks(struct loader *L)
{
	static const char *const inputs[] = {"input.replay", "input.tetragon.address", "input.follow.path"};
	const char *first = NULL;
	for (int i = 0; i < 3; i++) {
		if (!opt_key_set(L, inputs[i]))
			continue;
		if (first)
			say(L, opt_where(L, inputs[i]), "%s: only one input can be set (%s is set too)", inputs[i], first);
		else
			first = inputs[i];
	}
	static const char *const needs[][2] = {
		{"input.tetragon.allow_namespaces", "input.tetragon.address"},
		{"input.tetragon.deny_namespaces", "input.tetragon.address"},
		{"input.tetragon.allow_pods", "input.tetragon.address"},
		{"input.tetragon.deny_pods", "input.tetragon.address"},
		{"input.tetragon.allow_binaries", "input.tetragon.address"},
		{"input.tetragon.deny_binaries", "input.tetragon.address"},
		{"input.tetragon.allow_events", "input.tetragon.address"},
		{"input.tetragon.deny_events", "input.tetragon.address"},
		{"input.tetragon.backoff", "input.tetragon.address"},
		{"input.tetragon.exit_on_end", "input.tetragon.address"},
		{"input.follow.from_start", "input.follow.path"},
	};
	for (size_t i = 0; i < WT_ARRAY_LEN(needs); i++)
		if (opt_key_set(L, needs[i][0]) && !opt_key_set(L, needs[i][1]))
			say(L, opt_where(L, needs[i][0]), "%s is set without %s", needs[i][0], needs[i][1]);
}

/* libfyaml's report of a syntax error arrives as "FILE:LINE:COL: error: message" followed by
 * source context in further calls; the first form becomes our message, the rest is dropped.
 * (Collecting errors instead leaks the parser's input in libfyaml 0.7.) */
static void yaml_diag(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	struct loader *L = user;
	(void)diag;
	/* the input is a string in memory: libfyaml names it "<memory-@...>" */
	const char *name_end = len > 8 && !memcmp(buf, "<memory-", 8) ? memchr(buf, '>', len) : NULL;
	if (!name_end || (size_t)(name_end - buf) + 2 >= len || name_end[1] != ':')
		return;
	size_t fl = (size_t)(name_end - buf) + 1;
	int line, col, used = 0;
	char text[600];
	snprintf(text, sizeof text, "%.*s", (int)(len - fl - 1), buf + fl + 1);
	if (sscanf(text, "%d:%d: %n", &line, &col, &used) < 2 || !used)
		return;
	const char *msg = text + used;
	if (!strncmp(msg, "error: ", 7))
		msg += 7;
	size_t ml = strlen(msg);
	while (ml && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
		ml--;
	say(L, (struct where){line - 1, col - 1}, "YAML: %.*s", (int)ml, msg);
}

/* The whole text of a config file: a regular file or a pipe, at most 16 MiB. */
static bool read_config_text(const char *path, char **out, size_t *len, char *why, size_t wlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(why, wlen, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		snprintf(why, wlen, "not a regular file or a pipe");
		close(fd);
		return false;
	}
	if (S_ISFIFO(st.st_mode)) /* a pipe: wait for its writer like any reader */
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	const size_t cap = 16u << 20;
	size_t n = 0, size = S_ISREG(st.st_mode) && (size_t)st.st_size < cap ? (size_t)st.st_size + 1 : 65536;
	char *buf = wt_xmalloc(size + 1);
	for (;;) {
		if (n == size) {
			if (size >= cap)
				break;
			size = size * 2 > cap ? cap : size * 2;
			buf = wt_xrealloc(buf, size + 1);
		}
		ssize_t r = read(fd, buf + n, size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(why, wlen, "%s", strerror(errno));
			close(fd);
			free(buf);
			return false;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n >= cap) {
		snprintf(why, wlen, "larger than 16 MiB");
		free(buf);
		return false;
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	return true;
}

unsigned wt_config_load(struct wt_config *c, const char *path, struct wt_config_errors *errs)
{
	struct loader L = {.c = c, .file = path, .errs = errs};
	for (size_t i = 0; i < N_OPTS; i++)
		L.set_at[i].line = -1;
	struct fy_diag_cfg dcfg;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = yaml_diag;
	dcfg.user = &L;
	dcfg.level = FYET_ERROR;
	dcfg.colorize = false;
	dcfg.show_source = false;
	dcfg.show_position = false;
	dcfg.show_type = false;
	dcfg.show_module = false;
	struct fy_diag *diag = fy_diag_create(&dcfg);
	struct fy_parse_cfg pcfg = {.flags = FYPCF_QUIET | FYPCF_DEFAULT_DOC, .diag = diag};
	/* read here, once (a pipe such as <(...) can be read only once; libfyaml's own file
	 * input fails on one), bounded, and only from a regular file or a pipe */
	char *text = NULL;
	size_t tlen = 0;
	char why[160];
	if (!read_config_text(path, &text, &tlen, why, sizeof why)) {
		say(&L, (struct where){-1, 0}, "%s", why);
		fy_diag_unref(diag);
		return finish(&L);
	}
	/* the parser API, not fy_document_build_from_file: that one leaks its parser on errors */
	struct fy_parser *fyp = fy_parser_create(&pcfg);
	struct fy_document *doc = NULL;
	if (fyp && fy_parser_set_string(fyp, text, tlen) == 0)
		doc = fy_parse_load_document(fyp);
	if (!doc) {
		/* syntax errors went through yaml_diag; none and no document: an empty file */
		fy_parser_destroy(fyp);
		fy_diag_unref(diag);
		free(text);
		return finish(&L);
	}
	struct fy_node *root = fy_document_root(doc);
	if (root && fy_node_is_mapping(root))
		load_mapping(&L, root, "");
	else if (root && !(fy_node_is_scalar(root) && fy_node_get_scalar_length(root) == 0))
		say(&L, mark_of(root, (struct where){0, 0}), "expected a mapping of settings at the top, found %s",
		    node_kind(root));
	cross_checks(&L);
	struct fy_document *more = fy_parse_load_document(fyp);
	if (more) {
		struct fy_node *r2 = fy_document_root(more);
		void *it = NULL;
		struct fy_node_pair *first = r2 && fy_node_is_mapping(r2) ? fy_node_mapping_iterate(r2, &it) : NULL;
		say(&L, mark_of(first ? fy_node_pair_key(first) : r2, (struct where){-1, 0}),
		    "only one YAML document is read; this file has more");
		fy_parse_document_destroy(fyp, more);
	}
	fy_parse_document_destroy(fyp, doc);
	fy_parser_destroy(fyp);
	fy_diag_unref(diag);
	free(text);
	return finish(&L);
}

/* Reload ----------------------------------------------------------------------------------- */

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

const char *wt_config_diff(const struct wt_config *a, const struct wt_config *b, unsigned *idx)
{
	for (; *idx < N_OPTS; (*idx)++) {
		const struct opt *o = &opts[*idx];
		if (!o->key || !strcmp(o->key, "rules") || !strcmp(o->key, "log.level"))
			continue;
		const char *pa = (const char *)a + o->off, *pb = (const char *)b + o->off;
		bool same = true;
		switch (o->type) {
		case T_PATH: case T_STR: case T_REGEX: case T_LISTEN:
			same = str_eq(*(char *const *)pa, *(char *const *)pb);
			break;
		case T_U32: case T_SECS: same = *(const uint32_t *)pa == *(const uint32_t *)pb; break;
		case T_BACKOFF: same = !memcmp(pa, pb, 2 * sizeof(uint32_t)); break;
		case T_BOOL: same = *(const bool *)pa == *(const bool *)pb; break;
		case T_REGEXLIST:
		case T_STRLIST: {
			unsigned na = *(const unsigned *)((const char *)a + o->cnt), nb = *(const unsigned *)((const char *)b + o->cnt);
			same = na == nb;
			for (unsigned i = 0; same && i < na; i++)
				same = !strcmp((*(char **const *)pa)[i], (*(char **const *)pb)[i]);
			break;
		}
		case T_CIDRS:
			same = a->n_cluster == b->n_cluster &&
			       (!a->n_cluster || !memcmp(a->cluster, b->cluster, a->n_cluster * sizeof *a->cluster));
			break;
		case T_SINKS:
			same = a->n_sinks == b->n_sinks;
			for (unsigned i = 0; same && i < a->n_sinks; i++)
				same = a->sinks[i].type == b->sinks[i].type && !strcmp(a->sinks[i].name, b->sinks[i].name);
			break;
		default: break;
		}
		if (!same)
			return opts[(*idx)++].key;
	}
	return NULL;
}
