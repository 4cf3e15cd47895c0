/* Alertmanager sink: batches of threat records as alerts in one POST /api/v2/alerts each.
 * Labels identify the alert (rule, severity, workspace, owner, namespace, pod, node,
 * pipeline) so Alertmanager's grouping, silences and inhibition apply; every record of a
 * recurring threat (first and repeat records) re-posts it with fresh wall-clock times. */
#include "sink.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void json_member(struct wt_buf *b, bool *first, const char *key, const char *p, size_t len)
{
	if (!p || !len)
		return; /* Alertmanager treats an empty label as absent: leave it out */
	wt_buf_puts(b, *first ? "\"" : ",\"");
	*first = false;
	wt_buf_puts(b, key);
	wt_buf_puts(b, "\":");
	wt_buf_json_str(b, p, len, WT_MAX_RECORD_FIELD);
}

static void json_time_member(struct wt_buf *b, const char *key, int64_t ns)
{
	wt_buf_printf(b, ",\"%s\":\"", key);
	wt_buf_time(b, ns);
	wt_buf_putc(b, '"');
}

void wt_sink_alertmanager_format(struct wt_buf *b, struct wt_sink_record *const *recs, uint32_t n, int64_t now_ns,
				 uint32_t resolve_s)
{
	wt_buf_putc(b, '[');
	for (uint32_t i = 0; i < n; i++) {
		const struct wt_sink_record *r = recs[i];
		bool first = true;
		wt_buf_puts(b, i ? ",{\"labels\":{" : "{\"labels\":{");
		json_member(b, &first, "alertname", r->rule.p, r->rule.len);
		const char *sev = wt_severity_names[r->severity];
		json_member(b, &first, "severity", sev, strlen(sev));
		json_member(b, &first, "workspace", r->workspace.p, r->workspace.len);
		json_member(b, &first, "owner", r->owner.p, r->owner.len);
		json_member(b, &first, "namespace", r->ns.p, r->ns.len);
		json_member(b, &first, "pod", r->pod.p, r->pod.len);
		json_member(b, &first, "node", r->node.p, r->node.len);
		json_member(b, &first, "pipeline", r->pipeline.p, r->pipeline.len);
		wt_buf_puts(b, "},\"annotations\":{");
		first = true;
		json_member(b, &first, "message", r->message.p, r->message.len);
		json_member(b, &first, "mitre", r->mitre.p, r->mitre.len);
		struct wt_buf sum;
		wt_buf_init(&sum);
		wt_sink_record_summary(&sum, r);
		json_member(b, &first, "evidence", sum.p, sum.len);
		wt_buf_free(&sum);
		if (r->extra.p) {
			wt_buf_puts(b, first ? "\"details\":" : ",\"details\":");
			first = false;
			struct wt_buf d;
			wt_buf_init(&d);
			wt_buf_putc(&d, '{');
			wt_buf_put(&d, r->extra.p, r->extra.len);
			wt_buf_putc(&d, '}');
			wt_buf_json_str(b, d.p, d.len, 65536);
			wt_buf_free(&d);
		}
		wt_buf_puts(b, first ? "\"event_time\":\"" : ",\"event_time\":\"");
		wt_buf_time(b, r->time);
		wt_buf_putc(b, '"');
		json_time_member(b, "first_seen", r->first_seen);
		json_time_member(b, "last_seen", r->last_seen);
		wt_buf_printf(b, ",\"count\":\"%llu\"}", (unsigned long long)r->count);
		/* wall-clock times at delivery: a replay of old events still shows active alerts. A
		 * first record stays active for its dedup window too: the occurrences suppressed
		 * meanwhile come as a repeat record when the window closes, and refresh it */
		json_time_member(b, "startsAt", now_ns);
		json_time_member(b, "endsAt", now_ns + (int64_t)resolve_s * 1000000000LL + r->window);
		wt_buf_putc(b, '}');
	}
	wt_buf_putc(b, ']');
}

static enum wt_err am_open(struct wt_sink *s, char *err, size_t errlen)
{
	WT_TRY(wt_sink_http_open(s, err, errlen));
	/* the base URL of Alertmanager; the API path is added unless already given */
	const char *t = s->spec.target;
	size_t n = strlen(t);
	if (n < 14 || strcmp(t + n - 14, "/api/v2/alerts")) {
		char *u = wt_xmalloc(n + 16);
		snprintf(u, n + 16, "%.*s/api/v2/alerts", (int)(n && t[n - 1] == '/' ? n - 1 : n), t);
		free((char *)s->spec.target);
		s->spec.target = u;
	}
	return WT_OK;
}

static enum wt_err am_deliver(struct wt_sink *s, struct wt_sink_record *const *recs, uint32_t n)
{
	struct wt_sink_http *hs = s->state;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	hs->body.len = 0;
	wt_sink_alertmanager_format(&hs->body, recs, n, (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec,
				    s->spec.resolve_s);
	return wt_sink_http_post(s, hs->curl, s->spec.target, hs->body.p, hs->body.len);
}

const struct wt_sink_driver wt_sink_alertmanager_driver = {am_open, am_deliver, wt_sink_http_close};

