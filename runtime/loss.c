/* Loss signals: a bounded table of nodes (rate_limit_info) and cgroups (process_throttle),
 * each with its last few throttle episodes or rate-limit reports, and the per-event lookup
 * that fills ev->gap. The lookup is skipped unless a signal is near the event's time. */
#include "loss.h"
#include <stdlib.h>
#include <string.h>

struct episode {
	int64_t start, stop; /* stop INT64_MAX while the episode lasts; start INT64_MIN when unseen */
};

struct report {
	int64_t time;
	uint64_t dropped;
};

struct wt_loss_entry {
	char *node, *cgroup; /* cgroup NULL: a node's rate-limit entry */
	uint32_t node_hash, ws_hash;
	char cid[65]; /* container id in the cgroup's name (64 hex digits), "" when none */
	char *ws;     /* workspace of the cgroup: host:<node> for a cgroup outside Kubernetes, else
		       * learned from the first event of its container; NULL while unknown */
	uint64_t starts, stops, reports, dropped;
	struct episode ep[WT_LOSS_RECENT];
	struct report rp[WT_LOSS_RECENT];
	uint8_t n_ep, next_ep, n_rp, next_rp;
	bool active;
};

void wt_loss_init(struct wt_loss *l, int64_t window_ns)
{
	memset(l, 0, sizeof *l);
	l->window = window_ns > 0 ? window_ns : WT_DEFAULT_DEDUP_WINDOW_NS;
	l->min_signal = INT64_MAX;
	l->max_signal = INT64_MIN;
}

void wt_loss_free(struct wt_loss *l)
{
	for (uint32_t i = 0; i < l->n; i++) {
		free(l->e[i].node);
		free(l->e[i].cgroup);
		free(l->e[i].ws);
	}
	free(l->e);
	memset(l, 0, sizeof *l);
}

/* A copy for messages: control bytes become '?'. */
static char *clean_dup(const char *s, uint32_t len)
{
	char *d = wt_xstrndup(s, len);
	for (char *p = d; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return d;
}

/* The first run of exactly 64 hex digits (a container id) in s; *longest (optional) gets the
 * longest run of hex digits. */
static bool find_cid(const char *s, uint32_t len, char out[65], uint32_t *longest)
{
	uint32_t run = 0;
	for (uint32_t i = 0; i <= len; i++) {
		char c = i < len ? s[i] : 0;
		bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
		if (hex) {
			run++;
			continue;
		}
		if (longest && run > *longest)
			*longest = run;
		if (run == 64) {
			for (uint32_t k = 0; k < 64; k++) {
				char h = s[i - 64 + k];
				out[k] = (char)(h >= 'A' && h <= 'F' ? h - 'A' + 'a' : h);
			}
			out[64] = 0;
			return true;
		}
		run = 0;
	}
	out[0] = 0;
	return false;
}

static struct wt_str str_or_empty(struct wt_str s)
{
	return wt_str_present(s) ? s : (struct wt_str){0, 0};
}

static struct wt_loss_entry *entry(struct wt_loss *l, const struct wt_event_builder *b, bool cgroup)
{
	const struct wt_event *ev = &b->ev;
	struct wt_str node = str_or_empty(ev->node), cg = str_or_empty(ev->throttle_cgroup);
	const char *ns = wt_str_present(ev->node) ? b->buf + node.off : "";
	const char *cs = wt_str_present(ev->throttle_cgroup) ? b->buf + cg.off : "";
	uint32_t nh = wt_hash(ns, node.len, WT_FNV_SEED);
	for (uint32_t i = 0; i < l->n; i++) {
		struct wt_loss_entry *e = &l->e[i];
		if (e->node_hash != nh || strlen(e->node) != node.len || memcmp(e->node, ns, node.len) != 0)
			continue;
		if (!cgroup && !e->cgroup)
			return e;
		if (cgroup && e->cgroup && strlen(e->cgroup) == cg.len && memcmp(e->cgroup, cs, cg.len) == 0)
			return e;
	}
	if (l->n == WT_LOSS_ENTRIES) {
		l->overflow++;
		return NULL;
	}
	if (!l->e)
		l->e = wt_xcalloc(WT_LOSS_ENTRIES, sizeof *l->e);
	struct wt_loss_entry *e = &l->e[l->n++];
	memset(e, 0, sizeof *e);
	e->node = clean_dup(ns, node.len);
	e->node_hash = nh;
	if (cgroup) {
		e->cgroup = clean_dup(cs, cg.len);
		uint32_t hexrun = 0;
		if (!find_cid(cs, cg.len, e->cid, &hexrun) && hexrun < 12 && !strstr(e->cgroup, "kubepods") &&
		    !strstr(e->cgroup, "pod")) {
			/* no container or pod in the name: a systemd session or service of the node */
			size_t n = strlen(e->node) + 6;
			e->ws = wt_xmalloc(n);
			snprintf(e->ws, n, "host:%s", e->node);
			e->ws_hash = wt_hash(e->ws, strlen(e->ws), WT_FNV_SEED);
		}
	}
	return e;
}

static void signal_time(struct wt_loss *l, int64_t t)
{
	if (t < l->min_signal)
		l->min_signal = t;
	if (t > l->max_signal)
		l->max_signal = t;
}

static void push_episode(struct wt_loss_entry *e, int64_t start, int64_t stop)
{
	e->ep[e->next_ep] = (struct episode){start, stop};
	e->next_ep = (uint8_t)((e->next_ep + 1) % WT_LOSS_RECENT);
	if (e->n_ep < WT_LOSS_RECENT)
		e->n_ep++;
}

static void note_throttle(struct wt_loss *l, const struct wt_event_builder *b)
{
	const struct wt_event *ev = &b->ev;
	bool start = wt_str_present(ev->throttle_type) && !strcmp(b->buf + ev->throttle_type.off, "THROTTLE_START");
	if (start)
		l->throttle_starts++;
	else
		l->throttle_stops++;
	struct wt_loss_entry *e = entry(l, b, true);
	if (!e)
		return;
	int64_t t = ev->time;
	signal_time(l, t);
	if (start) {
		e->starts++;
		if (!e->active) {
			push_episode(e, t, INT64_MAX);
			e->active = true;
			l->active++;
		}
		return;
	}
	e->stops++;
	if (e->active) {
		e->ep[(e->next_ep + WT_LOSS_RECENT - 1) % WT_LOSS_RECENT].stop = t;
		e->active = false;
		l->active--;
	} else { /* the start came before what was read: throttled since an unknown time */
		push_episode(e, INT64_MIN, t);
	}
}

static void note_rate_limit(struct wt_loss *l, const struct wt_event_builder *b)
{
	uint64_t n = b->ev.rate_limit_dropped;
	l->rate_limit_reports++;
	l->rate_limited += n;
	struct wt_loss_entry *e = entry(l, b, false);
	if (!e)
		return;
	int64_t t = b->ev.time;
	signal_time(l, t);
	e->reports++;
	e->dropped += n;
	e->rp[e->next_rp] = (struct report){t, n};
	e->next_rp = (uint8_t)((e->next_rp + 1) % WT_LOSS_RECENT);
	if (e->n_rp < WT_LOSS_RECENT)
		e->n_rp++;
}

void wt_loss_note(struct wt_loss *l, struct wt_event_builder *b)
{
	struct wt_event *ev = &b->ev;
	if (ev->kind == WT_KIND_THROTTLE) {
		note_throttle(l, b);
		return;
	}
	if (ev->kind == WT_KIND_RATE_LIMIT) {
		note_rate_limit(l, b);
		return;
	}
	int64_t t = ev->time, from = t - l->window;
	if (!l->n || (!l->active && (t < l->min_signal || from > l->max_signal)))
		return;
	struct wt_str node = str_or_empty(ev->node), ws = str_or_empty(ev->ws_id);
	const char *ns = wt_str_present(ev->node) ? b->buf + node.off : "";
	const char *wss = wt_str_present(ev->ws_id) ? b->buf + ws.off : "";
	uint32_t nh = wt_hash(ns, node.len, WT_FNV_SEED), wh = wt_hash(wss, ws.len, WT_FNV_SEED);
	char cid[65];
	int have_cid = -1; /* computed on first need */
	uint32_t throttled = 0;
	uint64_t limited = 0;
	for (uint32_t i = 0; i < l->n; i++) {
		struct wt_loss_entry *e = &l->e[i];
		if (e->node_hash != nh || strlen(e->node) != node.len || memcmp(e->node, ns, node.len) != 0)
			continue;
		if (!e->cgroup) {
			for (uint8_t k = 0; k < e->n_rp; k++)
				if (e->rp[k].time <= t && e->rp[k].time >= from)
					limited += e->rp[k].dropped;
			continue;
		}
		bool match;
		if (e->ws) {
			match = e->ws_hash == wh && strlen(e->ws) == ws.len && memcmp(e->ws, wss, ws.len) == 0;
		} else {
			if (!e->cid[0] || !wt_str_present(ev->ws_id))
				continue;
			if (have_cid < 0)
				have_cid = ev->pod.present && wt_str_present(ev->pod.container_id) &&
					   find_cid(b->buf + ev->pod.container_id.off, ev->pod.container_id.len, cid, NULL);
			match = have_cid && !strcmp(cid, e->cid);
			if (match) { /* the throttled container's workspace, for its other containers */
				e->ws = wt_xstrndup(wss, ws.len);
				e->ws_hash = wh;
			}
		}
		if (!match)
			continue;
		for (uint8_t k = 0; k < e->n_ep; k++)
			if (e->ep[k].start <= t && e->ep[k].stop >= from)
				throttled++;
	}
	if (throttled || limited) {
		ev->gap.throttled = throttled;
		ev->gap.rate_limited = limited;
		ev->gap.window_s = (uint32_t)(l->window / 1000000000LL);
		l->stamped++;
	}
}

void wt_loss_report(const struct wt_loss *l, FILE *out, unsigned max)
{
	unsigned printed = 0;
	for (uint32_t i = 0; i < l->n; i++) {
		const struct wt_loss_entry *e = &l->e[i];
		if (printed == max) {
			fprintf(out, "worktraced: input loss: %u more nodes and cgroups with loss signals not listed\n",
				l->n - i);
			break;
		}
		printed++;
		if (e->cgroup)
			fprintf(out, "worktraced: input loss: node=%s cgroup=%s workspace=%s throttle_starts=%llu throttle_stops=%llu%s\n",
				e->node, e->cgroup, e->ws ? e->ws : "-", (unsigned long long)e->starts,
				(unsigned long long)e->stops, e->active ? " (still throttled)" : "");
		else
			fprintf(out, "worktraced: input loss: node=%s rate_limit_info=%llu rate_limited=%llu\n", e->node,
				(unsigned long long)e->reports, (unsigned long long)e->dropped);
	}
	if (l->overflow)
		fprintf(out, "worktraced: input loss: %llu signals of further nodes or cgroups counted in the totals only\n",
			(unsigned long long)l->overflow);
}
