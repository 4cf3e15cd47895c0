/* HTTP sinks over libcurl: the POST and state shared with the Alertmanager sink, the webhook sink
 * (one POST of the threat record per record) and its Falcosidekick mode (one POST of
 * Falcosidekick's input payload, the shape Falco's http_output sends, per record). */
#include "sink.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct reply {
	char text[160];
	size_t len;
};

static size_t on_reply(char *p, size_t size, size_t n, void *ctx)
{
	struct reply *r = ctx;
	size_t len = size * n;
	for (size_t i = 0; i < len && r->len + 1 < sizeof r->text; i++)
		r->text[r->len++] = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : ' ';
	r->text[r->len] = '\0';
	return len;
}

/* libcurl's progress callback: a request in flight is cut when the flush deadline of the
 * shutdown passes (its timeout was fixed when it started). */
static int on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return wt_sink_past_deadline(ctx);
}

enum wt_err wt_sink_http_post(struct wt_sink *s, void *handle, const char *url, const char *body, size_t len)
{
	CURL *c = handle;
	struct reply rep = {.len = 0};
	rep.text[0] = '\0';
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	for (unsigned i = 0; i < s->spec.n_headers; i++)
		hdr = curl_slist_append(hdr, s->spec.headers[i]);
	long left = wt_sink_time_left_ms(s, (long)s->spec.timeout_ms);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, left);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, left);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for timeouts */
	curl_easy_setopt(c, CURLOPT_USERAGENT, "worktraced/" WT_VERSION_STRING);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_reply);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &rep);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, s);
	CURLcode cc = curl_easy_perform(c);
	curl_slist_free_all(hdr);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	if (cc != CURLE_OK) {
		wt_sink_error(s, "POST %s: %s", url, curl_easy_strerror(cc));
		return WT_E_IO;
	}
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 200 && status < 300)
		return WT_OK;
	wt_sink_error(s, "POST %s: HTTP %ld %s", url, status, rep.text);
	/* a request the receiver refuses (400 bad payload, 404 wrong path) will never pass */
	return status >= 400 && status < 500 && status != 408 && status != 429 ? WT_E_INVALID : WT_E_IO;
}

enum wt_err wt_sink_http_open(struct wt_sink *s, char *err, size_t errlen)
{
	if (strncmp(s->spec.target, "http://", 7) && strncmp(s->spec.target, "https://", 8)) {
		snprintf(err, errlen, "not an http:// or https:// URL");
		return WT_E_INVALID;
	}
	struct wt_sink_http *hs = wt_xcalloc(1, sizeof *hs);
	s->state = hs;
	hs->curl = curl_easy_init();
	if (!hs->curl) {
		snprintf(err, errlen, "libcurl cannot start");
		return WT_E_INVALID;
	}
	wt_buf_init(&hs->body);
	if (s->spec.hostname)
		snprintf(hs->host, sizeof hs->host, "%s", s->spec.hostname);
	else if (gethostname(hs->host, sizeof hs->host - 1) != 0)
		snprintf(hs->host, sizeof hs->host, "localhost");
	return WT_OK;
}

void wt_sink_http_close(struct wt_sink *s)
{
	struct wt_sink_http *hs = s->state;
	if (!hs)
		return;
	if (hs->curl)
		curl_easy_cleanup(hs->curl);
	wt_buf_free(&hs->body);
	free(hs);
	s->state = NULL;
}

/* --- webhook --------------------------------------------------------------------------- */

static enum wt_err webhook_deliver(struct wt_sink *s, struct wt_sink_record *const *recs, uint32_t n)
{
	struct wt_sink_http *hs = s->state;
	for (uint32_t i = 0; i < n; i++)
		WT_TRY(wt_sink_http_post(s, hs->curl, s->spec.target, recs[i]->json.p, recs[i]->json.len));
	return WT_OK;
}

const struct wt_sink_driver wt_sink_webhook_driver = {wt_sink_http_open, webhook_deliver, wt_sink_http_close};

/* Falco's priorities for Worktrace's severities. */
static const char *const falco_priority[WT_SEV_COUNT] = {"Informational", "Notice", "Warning", "Error", "Critical"};

static void of_str(struct wt_buf *b, const char *key, struct wt_sink_str v)
{
	wt_buf_printf(b, ",\"%s\":", key);
	if (v.p)
		wt_buf_json_str(b, v.p, v.len, WT_MAX_RECORD_FIELD);
	else
		wt_buf_puts(b, "null");
}

static void json_list(struct wt_buf *b, bool *first, struct wt_sink_str v)
{
	for (uint32_t i = 0; v.p && i < v.len;) {
		uint32_t j = i;
		while (j < v.len && v.p[j] != ',')
			j++;
		if (j > i) {
			if (!*first)
				wt_buf_putc(b, ',');
			*first = false;
			wt_buf_json_str(b, v.p + i, j - i, WT_MAX_RECORD_FIELD);
		}
		i = j + 1;
	}
}

void wt_sink_falcosidekick_format(struct wt_buf *b, const struct wt_sink_record *r, const char *hostname)
{
	const char *prio = falco_priority[r->severity];
	/* Falco's text output: "HH:MM:SS.nnnnnnnnn: Priority message" */
	struct wt_buf out;
	wt_buf_init(&out);
	int64_t day_ns = r->time % 86400000000000LL;
	if (day_ns < 0)
		day_ns += 86400000000000LL;
	int64_t sec = day_ns / 1000000000LL;
	wt_buf_printf(&out, "%02d:%02d:%02d.%09lld: %s ", (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60),
		      (long long)(day_ns % 1000000000LL), prio);
	wt_buf_put(&out, r->message.p, r->message.len);
	wt_buf_puts(b, "{\"output\":");
	wt_buf_json_str(b, out.p, out.len, 2 * WT_MAX_RECORD_FIELD);
	wt_buf_free(&out);
	wt_buf_printf(b, ",\"priority\":\"%s\",\"rule\":", prio);
	wt_buf_json_str(b, r->rule.p, r->rule.len, WT_MAX_RECORD_FIELD);
	wt_buf_puts(b, ",\"time\":\"");
	wt_buf_time(b, r->time);
	wt_buf_puts(b, "\",\"output_fields\":{\"evt.time\":");
	wt_buf_printf(b, "%lld", (long long)r->time);
	static const struct wt_sink_field proc_fields[] = {
		WT_SINK_FIELD("k8s.ns.name", ns), WT_SINK_FIELD("k8s.pod.name", pod),
		WT_SINK_FIELD("container.name", container), WT_SINK_FIELD("container.image", image),
		WT_SINK_FIELD("proc.exepath", binary), WT_SINK_FIELD("proc.args", args),
		WT_SINK_FIELD("proc.pexepath", parent)};
	static const struct wt_sink_field ws_fields[] = {
		WT_SINK_FIELD("worktrace.workspace", workspace), WT_SINK_FIELD("worktrace.owner", owner),
		WT_SINK_FIELD("worktrace.node", node), WT_SINK_FIELD("worktrace.pipeline", pipeline),
		WT_SINK_FIELD("worktrace.event_kind", kind), WT_SINK_FIELD("worktrace.target", target),
		WT_SINK_FIELD("worktrace.mitre", mitre)};
	for (size_t i = 0; i < WT_ARRAY_LEN(proc_fields); i++)
		of_str(b, proc_fields[i].name, wt_sink_field_get(r, &proc_fields[i]));
	if (r->has_proc)
		wt_buf_printf(b, ",\"proc.pid\":%u,\"user.uid\":%u", r->pid, r->uid);
	else
		wt_buf_puts(b, ",\"proc.pid\":null,\"user.uid\":null");
	for (size_t i = 0; i < WT_ARRAY_LEN(ws_fields); i++)
		of_str(b, ws_fields[i].name, wt_sink_field_get(r, &ws_fields[i]));
	wt_buf_printf(b, ",\"worktrace.count\":%llu,\"worktrace.repeat\":%s", (unsigned long long)r->count,
		      r->repeat ? "true" : "false");
	wt_buf_puts(b, "},\"source\":\"worktrace\",\"tags\":[");
	bool first = true;
	json_list(b, &first, r->tags);
	json_list(b, &first, r->mitre);
	wt_buf_puts(b, "],\"hostname\":");
	wt_buf_json_str(b, hostname, strlen(hostname), 255);
	wt_buf_putc(b, '}');
}

static enum wt_err fsk_deliver(struct wt_sink *s, struct wt_sink_record *const *recs, uint32_t n)
{
	struct wt_sink_http *hs = s->state;
	for (uint32_t i = 0; i < n; i++) {
		hs->body.len = 0;
		wt_sink_falcosidekick_format(&hs->body, recs[i], hs->host);
		WT_TRY(wt_sink_http_post(s, hs->curl, s->spec.target, hs->body.p, hs->body.len));
	}
	return WT_OK;
}

const struct wt_sink_driver wt_sink_falcosidekick_driver = {wt_sink_http_open, fsk_deliver, wt_sink_http_close};
