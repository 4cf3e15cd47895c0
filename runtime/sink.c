/* Sink core: the plain spec and its command-line syntax, the shared record handed to every
 * sink, and per sink a bounded queue drained by its own thread with retries, exponential
 * backoff, counters and a bounded flush at shutdown. The drivers are in sink_*.c. */
#include "sink.h"
#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const wt_sink_type_names[WT_SINK_TYPE_COUNT] = {"file", "alertmanager", "webhook",
							     "webhook-falcosidekick", "syslog"};

static const struct wt_sink_driver *const drivers[WT_SINK_TYPE_COUNT] = {
	&wt_sink_file_driver, &wt_sink_alertmanager_driver, &wt_sink_webhook_driver, &wt_sink_falcosidekick_driver,
	&wt_sink_syslog_driver};

void wt_sink_spec_defaults(struct wt_sink_spec *spec, enum wt_sink_type type)
{
	*spec = (struct wt_sink_spec){
		.type = type,
		.queue_size = WT_SINK_DEFAULT_QUEUE,
		.batch = type == WT_SINK_ALERTMANAGER || type == WT_SINK_FILE ? WT_SINK_DEFAULT_BATCH : 1,
		.backoff_ms = WT_SINK_DEFAULT_BACKOFF_MS,
		.backoff_max_ms = WT_SINK_DEFAULT_BACKOFF_MAX_MS,
		.timeout_ms = WT_SINK_DEFAULT_TIMEOUT_MS,
		.min_severity = WT_SEV_INFO,
		.max_size = WT_SINK_DEFAULT_FILE_MAX,
		.keep = WT_SINK_DEFAULT_FILE_KEEP,
		.resolve_s = WT_SINK_DEFAULT_RESOLVE_S,
		.facility = 16,
	};
}

/* --- command-line syntax ------------------------------------------------------------- */

static bool parse_num(const char *v, uint64_t max, uint64_t *out, bool size_suffix)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno || end == v || *v == '-')
		return false;
	uint64_t mul = 1;
	if (size_suffix && *end) {
		switch (*end) {
		case 'k': case 'K': mul = 1ull << 10; break;
		case 'M': mul = 1ull << 20; break;
		case 'G': mul = 1ull << 30; break;
		default: return false;
		}
		end++;
	}
	if (*end || n > max / mul)
		return false;
	*out = n * mul;
	return true;
}

static const char *const facility_names[24] = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
					       "uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock",
					       "local0", "local1", "local2", "local3", "local4", "local5", "local6",
					       "local7"};

enum wt_err wt_sink_spec_set(struct wt_sink_spec *sp, const char *key, const char *val, char *err, size_t errlen)
{
	uint64_t n;
	bool http = sp->type == WT_SINK_ALERTMANAGER || sp->type == WT_SINK_WEBHOOK || sp->type == WT_SINK_FALCOSIDEKICK;
#define NUM(name, lo, hi, field, scale)                                                                  \
	if (!strcmp(key, name)) {                                                                        \
		if (!parse_num(val, hi, &n, false) || n < lo) {                                          \
			snprintf(err, errlen, "option %s: '%s' is not a number from %llu to %llu", name, val, \
				 (unsigned long long)(lo), (unsigned long long)(hi));                    \
			return WT_E_INVALID;                                                                    \
		}                                                                                        \
		sp->field = (uint32_t)(n * (scale));                                                     \
		return WT_OK;                                                                             \
	}
	NUM("queue", 1, 1u << 22, queue_size, 1)
	NUM("batch", 1, 1000, batch, 1)
	NUM("backoff_ms", 1, 600000, backoff_ms, 1)
	NUM("backoff_max", 1, 3600, backoff_max_ms, 1000)
	NUM("timeout", 1, 600, timeout_ms, 1000)
	if (sp->type == WT_SINK_ALERTMANAGER)
		NUM("resolve", 1, 604800, resolve_s, 1)
	if (sp->type == WT_SINK_FILE)
		NUM("keep", 1, 1000, keep, 1)
#undef NUM
	if (!strcmp(key, "min_severity")) {
		for (int s = 0; s < WT_SEV_COUNT; s++)
			if (!strcmp(val, wt_severity_names[s])) {
				sp->min_severity = (enum wt_severity)s;
				return WT_OK;
			}
		snprintf(err, errlen, "option min_severity: '%s' is not info, low, medium, high or critical", val);
		return WT_E_INVALID;
	}
	if (sp->type == WT_SINK_FILE && !strcmp(key, "max_size")) {
		if (!parse_num(val, 1ull << 50, &n, true) || n < 4096) {
			snprintf(err, errlen, "option max_size: '%s' is not a size of at least 4096 bytes (suffix k, M, G)", val);
			return WT_E_INVALID;
		}
		sp->max_size = n;
		return WT_OK;
	}
	if (sp->type == WT_SINK_SYSLOG && !strcmp(key, "facility")) {
		for (unsigned f = 0; f < WT_ARRAY_LEN(facility_names); f++)
			if (!strcmp(val, facility_names[f])) {
				sp->facility = f;
				return WT_OK;
			}
		snprintf(err, errlen, "option facility: '%s' is not a syslog facility name (kern .. local7)", val);
		return WT_E_INVALID;
	}
	if (sp->type == WT_SINK_SYSLOG && !strcmp(key, "app_name")) {
		sp->app_name = val;
		return WT_OK;
	}
	if ((sp->type == WT_SINK_SYSLOG || sp->type == WT_SINK_FALCOSIDEKICK) && !strcmp(key, "hostname")) {
		sp->hostname = val;
		return WT_OK;
	}
	snprintf(err, errlen, "unknown option '%s' for a %s sink%s", key, wt_sink_type_names[sp->type],
		 http ? " (options of an HTTP sink follow '#'; the query string belongs to the URL)" : "");
	return WT_E_INVALID;
}

enum wt_err wt_sink_spec_parse(const char *arg, struct wt_sink_spec *spec, char **storage, char *err, size_t errlen)
{
	*storage = NULL;
	const char *eq = strchr(arg, '=');
	int type = -1;
	for (int t = 0; eq && t < WT_SINK_TYPE_COUNT; t++)
		if (strlen(wt_sink_type_names[t]) == (size_t)(eq - arg) && !strncmp(arg, wt_sink_type_names[t], (size_t)(eq - arg)))
			type = t;
	if (type < 0) {
		snprintf(err, errlen, "'%s': expected TYPE=TARGET, TYPE one of file, alertmanager, webhook, "
			 "webhook-falcosidekick, syslog", arg);
		return WT_E_INVALID;
	}
	wt_sink_spec_defaults(spec, (enum wt_sink_type)type);
	char *s = wt_xstrdup(eq + 1);
	*storage = s;
	char *opts = strchr(s, '#');
	if (!opts && (type == WT_SINK_FILE || type == WT_SINK_SYSLOG))
		opts = strchr(s, '?');
	if (opts)
		*opts++ = '\0';
	spec->target = s;
	if (!*s) {
		snprintf(err, errlen, "'%s': the %s sink needs a target", arg, wt_sink_type_names[type]);
		return WT_E_INVALID;
	}
	for (char *kv = opts; kv && *kv;) {
		char *amp = strchr(kv, '&');
		if (amp)
			*amp = '\0';
		char *v = strchr(kv, '=');
		if (!v) {
			snprintf(err, errlen, "'%s': option '%s' has no '=VALUE'", arg, kv);
			return WT_E_INVALID;
		}
		*v++ = '\0';
		char msg[200];
		if (wt_sink_spec_set(spec, kv, v, msg, sizeof msg) != WT_OK) {
			snprintf(err, errlen, "'%s': %s", arg, msg);
			return WT_E_INVALID;
		}
		kv = amp ? amp + 1 : NULL;
	}
	if (spec->backoff_max_ms < spec->backoff_ms)
		spec->backoff_max_ms = spec->backoff_ms;
	return WT_OK;
}

/* --- the record ------------------------------------------------------------------------ */

struct rec_builder {
	struct wt_buf data;
	struct { struct wt_sink_str *dst; size_t off; } refs[32];
	unsigned n;
};

static void rb_add_max(struct rec_builder *rb, struct wt_sink_str *dst, const char *p, size_t len, size_t max)
{
	if (!p || rb->n == WT_ARRAY_LEN(rb->refs)) {
		dst->p = NULL;
		dst->len = 0;
		return;
	}
	if (len > max)
		len = max;
	rb->refs[rb->n].dst = dst;
	rb->refs[rb->n].off = rb->data.len;
	rb->n++;
	dst->len = (uint32_t)len;
	wt_buf_put(&rb->data, p, len);
	wt_buf_putc(&rb->data, '\0');
}

/* One byte past the renderers' cut, so that each of them cuts (and marks with "...") the way
 * the JSON record does. */
static void rb_add(struct rec_builder *rb, struct wt_sink_str *dst, const char *p, size_t len)
{
	rb_add_max(rb, dst, p, len, WT_MAX_RECORD_FIELD + 1);
}

static void rb_ev(struct rec_builder *rb, struct wt_sink_str *dst, const struct wt_event *ev, struct wt_str s)
{
	rb_add(rb, dst, wt_str_present(s) ? wt_event_str(ev, s) : NULL, s.len);
}

static void rb_set(struct rec_builder *rb, struct wt_sink_str *dst, const struct wt_ruleset *rs, uint32_t set)
{
	struct wt_buf b;
	wt_buf_init(&b);
	if (set != WT_BC_NONE) {
		const struct wt_bc_set *st = &rs->bc.sets[set];
		for (uint32_t i = 0; i < st->n; i++) {
			uint32_t si = rs->bc.setitems[st->first + i];
			if (i)
				wt_buf_putc(&b, ',');
			wt_buf_put(&b, rs->bc.strings[si], rs->bc.string_len[si]);
		}
	}
	rb_add(rb, dst, b.p ? b.p : "", b.len);
	wt_buf_free(&b);
}

struct wt_sink_record *wt_sink_record_new(const struct wt_threat *t, const struct wt_dedup_info *d,
					  const char *json, size_t json_len)
{
	const struct wt_event *ev = t->ev;
	struct wt_sink_record tmp = {0};
	struct rec_builder rb = {.n = 0};
	wt_buf_init(&rb.data);
	/* json first: it may be longer than a field */
	tmp.json.len = (uint32_t)json_len;
	wt_buf_put(&rb.data, json, json_len);
	wt_buf_putc(&rb.data, '\0');
	rb_add(&rb, &tmp.rule, t->rule->name, strlen(t->rule->name));
	const char *pn = wt_pipeline_names[t->pipeline];
	rb_add(&rb, &tmp.pipeline, pn, strlen(pn));
	struct wt_buf msg;
	wt_buf_init(&msg);
	wt_output_message(&msg, t->rule, ev);
	rb_add(&rb, &tmp.message, msg.p ? msg.p : "", msg.len);
	wt_buf_free(&msg);
	rb_ev(&rb, &tmp.workspace, ev, ev->ws_id);
	rb_ev(&rb, &tmp.owner, ev, ev->ws_owner);
	rb_ev(&rb, &tmp.ns, ev, ev->pod.ns);
	rb_ev(&rb, &tmp.pod, ev, ev->pod.name);
	rb_ev(&rb, &tmp.container, ev, ev->pod.container_name);
	rb_ev(&rb, &tmp.image, ev, ev->pod.image);
	rb_ev(&rb, &tmp.node, ev, ev->node);
	rb_add(&rb, &tmp.kind, wt_kind_names[ev->kind], strlen(wt_kind_names[ev->kind]));
	rb_ev(&rb, &tmp.binary, ev, ev->proc.binary);
	rb_ev(&rb, &tmp.args, ev, ev->proc.args);
	rb_ev(&rb, &tmp.parent, ev, ev->parent.binary);
	struct wt_value v;
	wt_event_get(ev, WT_F_FILE_PATH, &v);
	if (v.present) {
		rb_add(&rb, &tmp.target, v.s, v.len);
	} else if (ev->sock.present && wt_str_present(ev->sock.daddr)) {
		char tb[300];
		int n = snprintf(tb, sizeof tb, "%.*s:%lld", (int)(ev->sock.daddr.len < 256 ? ev->sock.daddr.len : 256),
				 wt_event_str(ev, ev->sock.daddr), (long long)ev->sock.dport);
		rb_add(&rb, &tmp.target, tb, n > 0 ? (size_t)n : 0);
	} else {
		rb_ev(&rb, &tmp.target, ev, ev->function);
	}
	rb_set(&rb, &tmp.mitre, t->rs, t->rule->bc->mitre);
	rb_set(&rb, &tmp.tags, t->rs, t->rule->bc->tags);
	rb_add_max(&rb, &tmp.extra, t->extra, t->extra ? strlen(t->extra) : 0, UINT32_MAX);

	struct wt_sink_record *r = wt_xmalloc(sizeof *r + rb.data.len);
	*r = tmp;
	memcpy(r->data, rb.data.p, rb.data.len);
	r->json.p = r->data;
	for (unsigned i = 0; i < rb.n; i++) {
		struct wt_sink_str *dst = (struct wt_sink_str *)((char *)r + ((char *)rb.refs[i].dst - (char *)&tmp));
		dst->p = r->data + rb.refs[i].off;
	}
	wt_buf_free(&rb.data);
	r->refs = 1;
	r->severity = (enum wt_severity)t->rule->bc->severity;
	r->repeat = d->repeat;
	r->count = d->count;
	r->time = ev->time;
	r->first_seen = d->first_seen;
	r->last_seen = d->last_seen;
	r->window = d->repeat ? 0 : d->window;
	r->input_seq = ev->seq;
	r->has_proc = ev->proc.present;
	r->pid = ev->proc.pid;
	r->uid = ev->proc.uid;
	return r;
}

void wt_sink_record_release(struct wt_sink_record *r)
{
	if (r && __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) == 0)
		free(r);
}

void wt_sink_record_summary(struct wt_buf *b, const struct wt_sink_record *r)
{
	wt_buf_put(b, r->kind.p, r->kind.len);
	if (r->binary.p) {
		wt_buf_putc(b, ' ');
		wt_buf_put(b, r->binary.p, r->binary.len);
	}
	if (r->args.p && r->args.len) {
		wt_buf_putc(b, ' ');
		wt_buf_put(b, r->args.p, r->args.len);
	}
	if (r->parent.p) {
		wt_buf_puts(b, " (parent ");
		wt_buf_put(b, r->parent.p, r->parent.len);
		wt_buf_putc(b, ')');
	}
	if (r->target.p) {
		wt_buf_puts(b, " -> ");
		wt_buf_put(b, r->target.p, r->target.len);
	}
}

/* --- the sink threads ------------------------------------------------------------------ */

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void wt_sink_error(struct wt_sink *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof s->error, fmt, ap);
	va_end(ap);
}

bool wt_sink_past_deadline(struct wt_sink *s)
{
	pthread_mutex_lock(&s->mu);
	int64_t dl = s->deadline_ms;
	pthread_mutex_unlock(&s->mu);
	return dl && mono_ms() >= dl;
}

long wt_sink_time_left_ms(struct wt_sink *s, long def)
{
	pthread_mutex_lock(&s->mu);
	int64_t dl = s->deadline_ms;
	pthread_mutex_unlock(&s->mu);
	if (!dl)
		return def;
	int64_t left = dl - mono_ms();
	if (left < 1)
		left = 1;
	return left < def ? (long)left : def;
}

/* Wait on the sink's condition until `until_ms` (monotonic) or a wake-up; mu held. */
static void wait_until(struct wt_sink *s, int64_t until_ms)
{
	int64_t now = mono_ms();
	if (until_ms <= now)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t ns = ts.tv_nsec + (until_ms - now) % 1000 * 1000000;
	ts.tv_sec += (until_ms - now) / 1000 + ns / 1000000000;
	ts.tv_nsec = ns % 1000000000;
	pthread_cond_timedwait(&s->cv, &s->mu, &ts);
}

static void *sink_main(void *arg)
{
	struct wt_sink *s = arg;
	struct wt_sink_record **batch = wt_xcalloc(s->spec.batch, sizeof *batch);
	uint32_t nb = 0;
	uint32_t backoff = 0; /* current retry delay, 0 after a success */
	int64_t retry_at = 0;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		/* fill the batch from the queue (a batch in retry keeps its records) */
		while (nb < s->spec.batch && s->n) {
			batch[nb++] = s->ring[s->head];
			s->head = (s->head + 1) % s->cap;
			s->n--;
		}
		bool past_deadline = s->deadline_ms && mono_ms() >= s->deadline_ms;
		if (past_deadline || (s->closing && !nb))
			break;
		if (!nb) {
			pthread_cond_wait(&s->cv, &s->mu);
			continue;
		}
		if (retry_at) {
			int64_t until = retry_at;
			if (s->deadline_ms && s->deadline_ms < until)
				until = s->deadline_ms;
			if (mono_ms() < until) {
				wait_until(s, until);
				continue; /* woken early: more records or the deadline */
			}
		}
		pthread_mutex_unlock(&s->mu);
		enum wt_err e = s->drv->deliver(s, batch, nb);
		pthread_mutex_lock(&s->mu);
		if (e == WT_OK || e == WT_E_INVALID) {
			if (e == WT_OK) {
				s->stats.delivered += nb;
				s->error[0] = '\0';
				if (s->reported)
					fprintf(stderr, "worktraced: %s: delivering again\n", s->name);
				s->reported = false;
			} else {
				s->stats.failed += nb;
				if (!s->reported) /* once until a delivery passes again: the summary counts */
					fprintf(stderr, "worktraced: %s: %u record(s) refused, not retried: %s\n", s->name,
						nb, s->error);
				s->reported = true;
			}
			for (uint32_t i = 0; i < nb; i++)
				wt_sink_record_release(batch[i]);
			nb = 0;
			backoff = 0;
			retry_at = 0;
			continue;
		}
		s->stats.retried++;
		if (!s->reported) {
			fprintf(stderr, "worktraced: %s: delivery failed, retrying with backoff: %s\n", s->name, s->error);
			s->reported = true;
		}
		backoff = backoff ? (backoff > s->spec.backoff_max_ms / 2 ? s->spec.backoff_max_ms : backoff * 2)
				  : s->spec.backoff_ms;
		retry_at = mono_ms() + backoff;
	}
	/* the deadline passed or all is delivered: what is left could not be delivered */
	uint32_t left = nb + s->n;
	s->stats.failed += left;
	for (uint32_t i = 0; i < nb; i++)
		wt_sink_record_release(batch[i]);
	while (s->n) {
		wt_sink_record_release(s->ring[s->head]);
		s->head = (s->head + 1) % s->cap;
		s->n--;
	}
	pthread_mutex_unlock(&s->mu);
	if (left)
		fprintf(stderr, "worktraced: %s: %u record(s) not delivered before the flush deadline: %s\n", s->name,
			left, s->error[0] ? s->error : "still waiting");
	free(batch);
	return NULL;
}

enum wt_err wt_sinks_new(const struct wt_sink_spec *specs, unsigned n, struct wt_sinks **out, char *err,
			 size_t errlen)
{
	*out = NULL;
	curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread: not thread-safe */
	struct wt_sinks *ss = wt_xcalloc(1, sizeof *ss);
	ss->s = wt_xcalloc(n ? n : 1, sizeof *ss->s);
	for (unsigned i = 0; i < n; i++) {
		struct wt_sink *s = &ss->s[i];
		s->spec = specs[i];
		s->spec.target = wt_xstrdup(specs[i].target ? specs[i].target : "");
		s->spec.app_name = wt_xstrdup(specs[i].app_name ? specs[i].app_name : "worktraced");
		s->spec.hostname = specs[i].hostname ? wt_xstrdup(specs[i].hostname) : NULL;
		s->spec.headers = NULL;
		if (specs[i].n_headers) {
			char **h = wt_xcalloc(specs[i].n_headers, sizeof *h);
			for (unsigned k = 0; k < specs[i].n_headers; k++)
				h[k] = wt_xstrdup(specs[i].headers[k]);
			s->spec.headers = (const char *const *)h;
		}
		if (!s->spec.batch)
			s->spec.batch = 1;
		if (!s->spec.queue_size)
			s->spec.queue_size = 1;
		s->index = i;
		snprintf(s->name, sizeof s->name, "sink%u_%s", i, wt_sink_type_names[s->spec.type]);
		s->drv = drivers[s->spec.type];
		s->cap = s->spec.queue_size;
		s->ring = wt_xcalloc(s->cap, sizeof *s->ring);
		pthread_mutex_init(&s->mu, NULL);
		pthread_condattr_t ca;
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&s->cv, &ca);
		pthread_condattr_destroy(&ca);
		ss->n = i + 1;
		char msg[256];
		if (s->drv->open(s, msg, sizeof msg) != WT_OK) {
			snprintf(err, errlen, "%s sink %s: %s", wt_sink_type_names[s->spec.type], s->spec.target, msg);
			wt_sinks_free(ss); /* close() frees what open() prepared */
			return WT_E_INVALID;
		}
	}
	for (unsigned i = 0; i < n; i++) {
		struct wt_sink *s = &ss->s[i];
		if (pthread_create(&s->thread, NULL, sink_main, s) != 0) {
			snprintf(err, errlen, "cannot start a sink thread");
			wt_sinks_free(ss);
			return WT_E_NOMEM;
		}
		s->started = true;
		char tn[16];
		snprintf(tn, sizeof tn, "wt-sink%u", i % 1000);
		pthread_setname_np(s->thread, tn);
	}
	*out = ss;
	return WT_OK;
}

void wt_sinks_publish(struct wt_sinks *ss, struct wt_sink_record *r)
{
	for (unsigned i = 0; ss && i < ss->n; i++) {
		struct wt_sink *s = &ss->s[i];
		pthread_mutex_lock(&s->mu);
		if (r->severity < s->spec.min_severity) {
			s->stats.filtered++;
			pthread_mutex_unlock(&s->mu);
			continue;
		}
		if (s->n == s->cap) { /* drop the oldest waiting record: newer ones matter more */
			wt_sink_record_release(s->ring[s->head]);
			s->head = (s->head + 1) % s->cap;
			s->n--;
			s->stats.dropped++;
		}
		__atomic_add_fetch(&r->refs, 1, __ATOMIC_ACQ_REL);
		s->ring[(s->head + s->n) % s->cap] = r;
		s->n++;
		if (s->n > s->stats.high_water)
			s->stats.high_water = s->n;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	wt_sink_record_release(r);
}

void wt_sinks_stop(struct wt_sinks *ss, uint32_t timeout_ms)
{
	if (!ss)
		return;
	int64_t deadline = mono_ms() + (timeout_ms ? timeout_ms : 1);
	for (unsigned i = 0; i < ss->n; i++) {
		struct wt_sink *s = &ss->s[i];
		pthread_mutex_lock(&s->mu);
		s->closing = true;
		s->deadline_ms = deadline;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	for (unsigned i = 0; i < ss->n; i++) {
		if (ss->s[i].started) {
			pthread_join(ss->s[i].thread, NULL);
			ss->s[i].started = false;
		}
	}
}

void wt_sink_stats_get(struct wt_sink *s, struct wt_sink_stats *out)
{
	pthread_mutex_lock(&s->mu);
	*out = s->stats;
	out->depth = s->n;
	pthread_mutex_unlock(&s->mu);
}

void wt_sinks_free(struct wt_sinks *ss)
{
	if (!ss)
		return;
	wt_sinks_stop(ss, 1);
	for (unsigned i = 0; i < ss->n; i++) {
		struct wt_sink *s = &ss->s[i];
		s->drv->close(s);
		while (s->n) {
			wt_sink_record_release(s->ring[s->head]);
			s->head = (s->head + 1) % s->cap;
			s->n--;
		}
		free(s->ring);
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
		free((char *)s->spec.target);
		free((char *)s->spec.app_name);
		free((char *)s->spec.hostname);
		for (unsigned k = 0; k < s->spec.n_headers; k++)
			free((char *)s->spec.headers[k]);
		free((void *)s->spec.headers);
	}
	free(ss->s);
	free(ss);
	curl_global_cleanup();
}

void wt_sinks_summary(FILE *f, struct wt_sinks *ss)
{
	for (unsigned i = 0; ss && i < ss->n; i++) {
		struct wt_sink_stats st;
		wt_sink_stats_get(&ss->s[i], &st);
		const char *nm = ss->s[i].name;
		fprintf(f, " %s_delivered=%llu %s_retried=%llu %s_failed=%llu %s_dropped=%llu %s_lost=%llu", nm,
			(unsigned long long)st.delivered, nm, (unsigned long long)st.retried, nm,
			(unsigned long long)st.failed, nm, (unsigned long long)st.dropped, nm,
			(unsigned long long)(st.failed + st.dropped));
	}
}

/* /metrics collector (metrics.c): each sink's counters and queue depth, labeled by its
 * summary name and type. */
void wt_sinks_metrics(struct wt_buf *b, void *ctx)
{
	struct wt_sinks *ss = ctx;
	static const struct { const char *name, *help; size_t off; bool gauge; } fam[] = {
		{"worktrace_sink_delivered_total", "Threat records the sink's receiver accepted.",
		 offsetof(struct wt_sink_stats, delivered), false},
		{"worktrace_sink_retried_total", "Failed delivery attempts that were retried.",
		 offsetof(struct wt_sink_stats, retried), false},
		{"worktrace_sink_failed_total", "Threat records given up (refused, or undelivered at shutdown).",
		 offsetof(struct wt_sink_stats, failed), false},
		{"worktrace_sink_dropped_total", "Threat records pushed out of the sink's full queue.",
		 offsetof(struct wt_sink_stats, dropped), false},
	};
	struct wt_sink_stats st[ss->n ? ss->n : 1];
	for (unsigned i = 0; i < ss->n; i++)
		wt_sink_stats_get(&ss->s[i], &st[i]);
	for (size_t f = 0; f < WT_ARRAY_LEN(fam); f++) {
		wt_buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n", fam[f].name, fam[f].help, fam[f].name);
		for (unsigned i = 0; i < ss->n; i++)
			wt_buf_printf(b, "%s{sink=\"%s\",type=\"%s\"} %llu\n", fam[f].name, ss->s[i].name,
				      wt_sink_type_names[ss->s[i].spec.type],
				      (unsigned long long)*(const uint64_t *)((const char *)&st[i] + fam[f].off));
	}
	wt_buf_printf(b, "# HELP worktrace_sink_queue_depth Threat records waiting for the sink.\n"
			 "# TYPE worktrace_sink_queue_depth gauge\n");
	for (unsigned i = 0; i < ss->n; i++)
		wt_buf_printf(b, "worktrace_sink_queue_depth{sink=\"%s\",type=\"%s\"} %u\n", ss->s[i].name,
			      wt_sink_type_names[ss->s[i].spec.type], st[i].depth);
}
