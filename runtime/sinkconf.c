/* The sinks of a configuration: the validated `sinks:` entries of worktrace.yaml(5) and the
 * --sink arguments turned into the sink runtime's specs (sink.h), with the strings they
 * borrow kept in one storage list the caller frees after wt_sinks_new(). */
#include "sinkconf.h"
#include "config.h"
#include "sink.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *keep(struct wt_sinkconf_storage *st, char *s)
{
	st->str = wt_xrealloc(st->str, (st->n + 1) * sizeof *st->str);
	st->str[st->n++] = s;
	return s;
}

static char *join(const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	char *s = wt_xmalloc(la + lb + lc + 1);
	memcpy(s, a, la);
	memcpy(s + la, b, lb);
	memcpy(s + la + lb, c, lc + 1);
	return s;
}

/* One YAML entry; false for a stdout entry that adds nothing (records go to stdout). */
static bool from_conf(const struct wt_sink_conf *c, bool output_is_file, struct wt_sink_spec *sp,
		      struct wt_sinkconf_storage *st)
{
	static const enum wt_sink_type types[WT_SINKCONF_TYPE_COUNT] = {
		[WT_SINKCONF_STDOUT] = WT_SINK_FILE, [WT_SINKCONF_FILE] = WT_SINK_FILE,
		[WT_SINKCONF_ALERTMANAGER] = WT_SINK_ALERTMANAGER, [WT_SINKCONF_WEBHOOK] = WT_SINK_WEBHOOK,
		[WT_SINKCONF_SYSLOG] = WT_SINK_SYSLOG};
	if (c->type == WT_SINKCONF_STDOUT && !output_is_file)
		return false;
	enum wt_sink_type t = types[c->type];
	if (c->type == WT_SINKCONF_WEBHOOK && c->webhook.format == WT_WEBHOOK_FALCOSIDEKICK)
		t = WT_SINK_FALCOSIDEKICK;
	wt_sink_spec_defaults(sp, t);
	sp->queue_size = c->queue_size;
	sp->backoff_max_ms = c->retry_max_backoff_s * 1000u;
	if (sp->backoff_ms > sp->backoff_max_ms)
		sp->backoff_ms = sp->backoff_max_ms;
	sp->min_severity = c->min_severity;
	switch (c->type) {
	case WT_SINKCONF_STDOUT:
		sp->target = "/dev/stdout";
		sp->max_size = 0;
		break;
	case WT_SINKCONF_FILE:
		sp->target = c->file.path;
		sp->max_size = c->file.max_size;
		sp->keep = c->file.keep;
		break;
	case WT_SINKCONF_ALERTMANAGER:
		sp->target = c->alertmanager.url;
		sp->resolve_s = c->alertmanager.resolve_timeout_s;
		break;
	case WT_SINKCONF_WEBHOOK:
		sp->target = c->webhook.url;
		if (c->webhook.n_headers) {
			const char **h = wt_xcalloc(c->webhook.n_headers, sizeof *h);
			for (unsigned i = 0; i < c->webhook.n_headers; i++)
				h[i] = keep(st, join(c->webhook.headers[i].name, ": ", c->webhook.headers[i].value));
			keep(st, (char *)h);
			sp->headers = h;
			sp->n_headers = c->webhook.n_headers;
		}
		break;
	case WT_SINKCONF_SYSLOG: {
		static const char *const scheme[] = {[WT_SYSLOG_UNIX] = "unix:", [WT_SYSLOG_UDP] = "udp://",
						     [WT_SYSLOG_TCP] = "tcp://"};
		const char *addr = c->syslog.address ? c->syslog.address : WT_SINKCONF_DEFAULT_SYSLOG_SOCKET;
		sp->target = keep(st, join(scheme[c->syslog.transport], addr, ""));
		sp->facility = (uint32_t)c->syslog.facility;
		if (c->syslog.app_name)
			sp->app_name = c->syslog.app_name;
		break;
	}
	default: break;
	}
	return true;
}

enum wt_err wt_sinkconf_specs(const struct wt_config *c, struct wt_sink_spec **out, unsigned *n,
			      struct wt_sinkconf_storage *st, char *err, size_t errlen)
{
	struct wt_sink_spec *sp = wt_xcalloc((size_t)c->n_sinks + c->n_sink_args + 1, sizeof *sp);
	unsigned k = 0;
	for (unsigned i = 0; i < c->n_sinks; i++)
		k += from_conf(&c->sinks[i], c->output != NULL, &sp[k], st);
	for (unsigned i = 0; i < c->n_sink_args; i++) {
		char *storage = NULL;
		if (wt_sink_spec_parse(c->sink_args[i], &sp[k], &storage, err, errlen) != WT_OK) {
			free(storage);
			free(sp);
			return WT_E_INVALID;
		}
		keep(st, storage);
		k++;
	}
	*out = sp;
	*n = k;
	return WT_OK;
}

void wt_sinkconf_storage_free(struct wt_sinkconf_storage *st)
{
	for (unsigned i = 0; i < st->n; i++)
		free(st->str[i]);
	free(st->str);
	st->str = NULL;
	st->n = 0;
}
