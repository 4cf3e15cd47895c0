/* The HTTP endpoint of the daemon (libmicrohttpd on its own polling thread): /metrics in the
 * Prometheus text format from published counters, /healthz, /readyz, the bounded registry of
 * threat counters by (pipeline, rule, severity) and the collector list for other modules. */
#include "metrics.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct series {
	const char *pipeline, *severity; /* static names */
	char *rule;
	uint64_t n;
};

struct collector {
	wt_metrics_collect_fn fn;
	void *ctx;
};

struct wt_metrics {
	struct MHD_Daemon *d;
	unsigned port;
	struct wt_engine *en;
	const struct wt_daemon_pub *pub;
	pthread_mutex_t mu; /* series and collectors: insertion and iteration */
	struct series *series;
	unsigned n_series;
	uint64_t other; /* threats of series past the bound */
	struct collector coll[32];
	unsigned n_coll;
	uint64_t scrapes;
};

struct wt_metrics *wt_metrics_new(void)
{
	struct wt_metrics *m = wt_xcalloc(1, sizeof *m);
	pthread_mutex_init(&m->mu, NULL);
	m->series = wt_xcalloc(WT_METRICS_MAX_SERIES, sizeof *m->series);
	return m;
}

void wt_metrics_watch(struct wt_metrics *m, struct wt_engine *en, const struct wt_daemon_pub *pub)
{
	__atomic_store_n(&m->en, en, __ATOMIC_RELEASE);
	__atomic_store_n(&m->pub, pub, __ATOMIC_RELEASE);
}

enum wt_err wt_metrics_add_collector(struct wt_metrics *m, wt_metrics_collect_fn fn, void *ctx)
{
	pthread_mutex_lock(&m->mu);
	enum wt_err e = WT_E_FULL;
	if (m->n_coll < WT_ARRAY_LEN(m->coll)) {
		m->coll[m->n_coll++] = (struct collector){fn, ctx};
		e = WT_OK;
	}
	pthread_mutex_unlock(&m->mu);
	return e;
}

uint64_t *wt_metrics_threat_cell(struct wt_metrics *m, const char *pipeline, const char *rule, const char *severity)
{
	pthread_mutex_lock(&m->mu);
	uint64_t *cell = &m->other;
	for (unsigned i = 0; i < m->n_series; i++) {
		struct series *s = &m->series[i];
		if (!strcmp(s->pipeline, pipeline) && !strcmp(s->severity, severity) && !strcmp(s->rule, rule)) {
			cell = &s->n;
			goto done;
		}
	}
	if (m->n_series < WT_METRICS_MAX_SERIES) {
		struct series *s = &m->series[m->n_series];
		s->pipeline = pipeline;
		s->severity = severity;
		s->rule = wt_xstrdup(rule);
		cell = &s->n;
		m->n_series++; /* published under the mutex the renderer takes */
	}
done:
	pthread_mutex_unlock(&m->mu);
	return cell;
}

static uint64_t rd(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* A label value: backslash, double quote and newline escaped. */
static void label(struct wt_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			wt_buf_putc(b, '\\');
		if (*s == '\n') {
			wt_buf_puts(b, "\\n");
			continue;
		}
		wt_buf_putc(b, *s);
	}
}

static void head(struct wt_buf *b, const char *name, const char *type, const char *help)
{
	wt_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void one(struct wt_buf *b, const char *name, const char *type, const char *help, uint64_t v)
{
	head(b, name, type, help);
	wt_buf_printf(b, "%s %llu\n", name, (unsigned long long)v);
}

static void per_pipeline(struct wt_buf *b, const char *name, const char *type, const char *help, const uint64_t *v)
{
	head(b, name, type, help);
	for (int p = 0; p < WT_PIPE_COUNT; p++)
		wt_buf_printf(b, "%s{pipeline=\"%s\"} %llu\n", name, wt_pipeline_names[p], (unsigned long long)v[p]);
}

static int64_t wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void render_daemon(struct wt_buf *b, const struct wt_daemon_pub *src)
{
	struct wt_daemon_pub d;
	wt_pub_load(&d, src, sizeof d);
	head(b, "worktrace_events_total", "counter", "Events read from the input, by Tetragon event kind.");
	for (int k = 0; k < WT_KIND_COUNT; k++)
		wt_buf_printf(b, "worktrace_events_total{kind=\"%s\"} %llu\n", wt_kind_names[k],
			      (unsigned long long)d.ingest.by_kind[k]);
	one(b, "worktrace_input_lines_total", "counter", "Input lines read.", d.ingest.lines);
	head(b, "worktrace_input_rejected_total", "counter", "Input lines skipped, by reason.");
	wt_buf_printf(b, "worktrace_input_rejected_total{reason=\"malformed\"} %llu\n"
			 "worktrace_input_rejected_total{reason=\"unknown_kind\"} %llu\n"
			 "worktrace_input_rejected_total{reason=\"too_long\"} %llu\n",
		      (unsigned long long)d.ingest.malformed, (unsigned long long)d.ingest.unknown_kind,
		      (unsigned long long)d.ingest.too_long);
	one(b, "worktrace_process_cache_evictions_total", "counter", "Process cache entries evicted at its bound.",
	    d.proc_cache_evictions);
	head(b, "worktrace_last_event_timestamp_seconds", "gauge", "Event time of the latest event read.");
	wt_buf_printf(b, "worktrace_last_event_timestamp_seconds %.3f\n", (double)d.last_event_ns / 1e9);
	head(b, "worktrace_ingest_lag_seconds", "gauge",
	     "Wall clock minus the event time of the latest event read (0 before the first event).");
	wt_buf_printf(b, "worktrace_ingest_lag_seconds %.3f\n",
		      d.last_event_ns ? (double)(wall_ns() - (int64_t)d.last_event_ns) / 1e9 : 0.0);
	head(b, "worktrace_ruleset_info", "gauge", "The running ruleset: its CRC-32C and what it holds.");
	wt_buf_printf(b, "worktrace_ruleset_info{checksum=\"%08llx\",rules=\"%llu\",paths=\"%llu\",rarities=\"%llu\"} 1\n",
		      (unsigned long long)d.ruleset_checksum, (unsigned long long)d.ruleset_rules,
		      (unsigned long long)d.ruleset_paths, (unsigned long long)d.ruleset_rarities);
	head(b, "worktrace_ruleset_load_timestamp_seconds", "gauge", "Wall clock of the last successful ruleset load.");
	wt_buf_printf(b, "worktrace_ruleset_load_timestamp_seconds %.3f\n", (double)d.ruleset_loaded_ns / 1e9);
	head(b, "worktrace_reloads_total", "counter", "SIGHUP reloads of config and ruleset, by result.");
	wt_buf_printf(b, "worktrace_reloads_total{result=\"ok\"} %llu\nworktrace_reloads_total{result=\"refused\"} %llu\n",
		      (unsigned long long)d.reloads_ok, (unsigned long long)d.reloads_failed);
	one(b, "worktrace_ready", "gauge", "1 once a ruleset is loaded and the input is open.",
	    d.ready_ruleset && d.ready_input);
}

static void render_engine(struct wt_buf *b, struct wt_engine *en)
{
	static const struct {
		const char *name, *type, *help;
	} fam[] = {
		{"worktrace_pipeline_events_total", "counter", "Events taken from the pipeline's queue and processed."},
		{"worktrace_pipeline_dropped_total", "counter", "Events refused because the pipeline's queue was full."},
		{"worktrace_pipeline_queue_depth", "gauge", "Events waiting in the pipeline's queue."},
		{"worktrace_pipeline_queue_capacity", "gauge", "Bound of the pipeline's queue."},
		{"worktrace_pipeline_threats_total", "counter", "Threats the pipeline reported (before dedup)."},
		{"worktrace_pipeline_ruleset_switches_total", "counter", "Reloaded rulesets the pipeline switched to."},
	};
	for (size_t f = 0; f < WT_ARRAY_LEN(fam); f++) {
		uint64_t v[WT_PIPE_COUNT];
		for (int p = 0; p < WT_PIPE_COUNT; p++) {
			const uint64_t cells[] = {rd(&en->stats[p].received), rd(&en->stats[p].dropped), wt_queue_depth(&en->in[p]),
						  en->in[p].cap, rd(&en->stats[p].threats), rd(&en->reloads[p])};
			v[p] = cells[f];
		}
		per_pipeline(b, fam[f].name, fam[f].type, fam[f].help, v);
	}
	struct wt_output_stats_pub o;
	wt_pub_load(&o, &en->out_pub, sizeof o);
	struct wt_corr_stats c;
	wt_pub_load(&c, &en->corr_pub, sizeof c);
	struct wt_behavior_stats bs;
	wt_pub_load(&bs, &en->beh_pub, sizeof bs);
	const struct {
		const char *name, *type, *help;
		uint64_t v;
	} single[] = {
		{"worktrace_threat_queue_depth", "gauge", "Threats waiting for the output stage.", wt_queue_depth(&en->threats)},
		{"worktrace_threats_dropped_total", "counter", "Threats lost because the output stage's queue was full.",
		 rd(&en->threats_dropped)},
		{"worktrace_records_written_total", "counter", "Threat records written (first occurrences and repeat summaries).",
		 o.written},
		{"worktrace_dedup_suppressed_total", "counter", "Threats suppressed as repeats inside the dedup window.", o.suppressed},
		{"worktrace_dedup_evictions_total", "counter", "Dedup entries evicted at the table bound.", o.evictions},
		{"worktrace_record_write_errors_total", "counter", "Failed writes of threat records.", o.write_errors},
		{"worktrace_correlation_partials", "gauge", "Live correlation partial matches.", c.live},
		{"worktrace_correlation_keys", "gauge", "Keys with live partial matches.", c.keys},
		{"worktrace_correlation_bytes", "gauge", "Bytes held by partial matches.", c.bytes},
		{"worktrace_correlation_evictions_total", "counter", "Partial matches evicted at a bound.", c.evicted},
		{"worktrace_correlation_expired_total", "counter", "Partial matches expired past their window.", c.expired},
		{"worktrace_baseline_keys", "gauge", "Keys held by the behavioral baselines.", bs.baseline.keys},
		{"worktrace_baseline_key_evictions_total", "counter", "Baseline keys evicted at the bound.", bs.baseline.key_evictions},
		{"worktrace_baseline_snapshots_total", "counter", "Baseline snapshots saved.", bs.snapshots},
		{"worktrace_baseline_snapshot_errors_total", "counter", "Baseline snapshots that could not be saved.", bs.snapshot_errors},
	};
	for (size_t i = 0; i < WT_ARRAY_LEN(single); i++)
		one(b, single[i].name, single[i].type, single[i].help, single[i].v);
	head(b, "worktrace_reload_state_total", "counter",
	     "What reloads did with correlation partial matches and baselines, rebound by name.");
	wt_buf_printf(b, "worktrace_reload_state_total{state=\"partials_kept\"} %llu\n"
			 "worktrace_reload_state_total{state=\"partials_dropped\"} %llu\n"
			 "worktrace_reload_state_total{state=\"baselines_kept\"} %llu\n"
			 "worktrace_reload_state_total{state=\"baselines_reset\"} %llu\n",
		      (unsigned long long)rd(&en->reload_partials_kept), (unsigned long long)rd(&en->reload_partials_dropped),
		      (unsigned long long)rd(&en->reload_specs_kept), (unsigned long long)rd(&en->reload_specs_reset));
}

void wt_metrics_render(struct wt_metrics *m, struct wt_buf *b)
{
	head(b, "worktrace_build_info", "gauge", "Always 1; the version in a label.");
	wt_buf_printf(b, "worktrace_build_info{version=\"%s\"} 1\n", WT_VERSION_STRING);
	const struct wt_daemon_pub *pub = __atomic_load_n(&m->pub, __ATOMIC_ACQUIRE);
	struct wt_engine *en = __atomic_load_n(&m->en, __ATOMIC_ACQUIRE);
	if (pub)
		render_daemon(b, pub);
	if (en)
		render_engine(b, en);
	pthread_mutex_lock(&m->mu);
	head(b, "worktrace_threats_total", "counter", "Threats reported, by pipeline, rule and severity (before dedup).");
	for (unsigned i = 0; i < m->n_series; i++) {
		const struct series *s = &m->series[i];
		wt_buf_printf(b, "worktrace_threats_total{pipeline=\"%s\",rule=\"", s->pipeline);
		label(b, s->rule);
		wt_buf_printf(b, "\",severity=\"%s\"} %llu\n", s->severity, (unsigned long long)rd(&s->n));
	}
	if (rd(&m->other))
		wt_buf_printf(b, "worktrace_threats_total{pipeline=\"\",rule=\"_other\",severity=\"\"} %llu\n",
			      (unsigned long long)rd(&m->other));
	one(b, "worktrace_metrics_series_overflow_total", "counter",
	    "Threats counted under rule=\"_other\" because the series bound was reached.", rd(&m->other));
	for (unsigned i = 0; i < m->n_coll; i++)
		m->coll[i].fn(b, m->coll[i].ctx);
	pthread_mutex_unlock(&m->mu);
	one(b, "worktrace_metrics_scrapes_total", "counter", "Requests served at /metrics.",
	    __atomic_add_fetch(&m->scrapes, 1, __ATOMIC_RELAXED));
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *type, const char *body,
			     size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	enum MHD_Result ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct wt_metrics *m = cls;
	(void)version;
	(void)upload;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "GET only\n", 9);
	if (*upload_size)
		return MHD_NO;
	(void)con_cls;
	if (!strcmp(url, "/metrics")) {
		struct wt_buf b;
		wt_buf_init(&b);
		wt_metrics_render(m, &b);
		enum MHD_Result r = reply(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", b.p, b.len);
		wt_buf_free(&b);
		return r;
	}
	if (!strcmp(url, "/healthz"))
		return reply(conn, MHD_HTTP_OK, "text/plain", "ok\n", 3);
	if (!strcmp(url, "/readyz")) {
		const struct wt_daemon_pub *pub = __atomic_load_n(&m->pub, __ATOMIC_ACQUIRE);
		bool rules = pub && rd(&pub->ready_ruleset), input = pub && rd(&pub->ready_input);
		if (rules && input)
			return reply(conn, MHD_HTTP_OK, "text/plain", "ready\n", 6);
		const char *why = !rules ? "not ready: no ruleset loaded\n" : "not ready: input not open\n";
		return reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain", why, strlen(why));
	}
	return reply(conn, MHD_HTTP_NOT_FOUND, "text/plain", "not found: /metrics, /healthz, /readyz\n", 39);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("worktraced: metrics: ", stderr);
	vfprintf(stderr, fmt, ap);
}

enum wt_err wt_metrics_listen(struct wt_metrics *m, const char *hostport, char *err, size_t errlen)
{
	const char *colon = strrchr(hostport, ':');
	if (!colon) {
		snprintf(err, errlen, "metrics address '%s': expected HOST:PORT", hostport);
		return WT_E_INVALID;
	}
	char host[64];
	size_t hl = (size_t)(colon - hostport);
	if (hl >= sizeof host) {
		snprintf(err, errlen, "metrics address '%s': host too long", hostport);
		return WT_E_INVALID;
	}
	memcpy(host, hostport, hl);
	host[hl] = 0;
	unsigned port = (unsigned)strtoul(colon + 1, NULL, 10);
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (host[0] == '[') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		host[hl - 1] = 0;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
			goto bad;
		flags |= MHD_USE_IPv6;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, !strcmp(host, "localhost") ? "127.0.0.1" : host, &a->sin_addr) != 1)
			goto bad;
	}
	m->d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, m, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				/* bounded: 64 connections, an idle one closed after 3 s (a client must keep
				 * 64 connections busy to starve probes and scrapes) */
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)64, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)3,
				MHD_OPTION_END);
	if (!m->d) {
		snprintf(err, errlen, "metrics address %s: cannot listen (in use or not a local address)", hostport);
		return WT_E_IO;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(m->d, MHD_DAEMON_INFO_BIND_PORT);
	m->port = info ? info->port : port;
	return WT_OK;
bad:
	snprintf(err, errlen, "metrics address '%s': not an IPv4, [IPv6] or localhost address", hostport);
	return WT_E_INVALID;
}

unsigned wt_metrics_port(const struct wt_metrics *m)
{
	return m->port;
}

void wt_metrics_free(struct wt_metrics *m)
{
	if (!m)
		return;
	if (m->d)
		MHD_stop_daemon(m->d);
	for (unsigned i = 0; i < m->n_series; i++)
		free(m->series[i].rule);
	free(m->series);
	pthread_mutex_destroy(&m->mu);
	free(m);
}
