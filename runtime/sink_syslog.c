/* Syslog sink: RFC 5424 messages (structured data worktrace@32473 with the key fields, the
 * rendered message as MSG) over UDP (one datagram each), TCP (RFC 6587 octet counting) or a
 * unix datagram socket such as /dev/log. Every message is one line of valid UTF-8. */
#include "sink.h"
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Structured-data values are cut at this many bytes, MSG at WT_MAX_RECORD_FIELD: a message
 * stays under 9 KiB, one UDP datagram. */
#define SD_VALUE_MAX 256

enum transport { T_UDP, T_TCP, T_UNIX };

struct syslog_state {
	enum transport tr;
	char host[256], port[16], path[108];
	int fd;
	char hostname[256];
	struct wt_buf msg;
	int pid;
};

/* RFC 5424 severities for Worktrace's: info, notice, warning, err, crit. */
static const int syslog_severity[WT_SEV_COUNT] = {6, 5, 4, 3, 2};

static void sd_param(struct wt_buf *b, const char *name, struct wt_sink_str v)
{
	if (!v.p)
		return;
	wt_buf_printf(b, " %s=\"", name);
	wt_buf_text(b, v.p, v.len, SD_VALUE_MAX, "\"]");
	wt_buf_putc(b, '"');
}

/* PRINTUSASCII for the header fields, '-' when empty. */
static void header_field(struct wt_buf *b, const char *s, size_t max)
{
	size_t n = 0;
	for (; s[n] && n < max; n++)
		wt_buf_putc(b, s[n] > 32 && s[n] < 127 ? s[n] : '_');
	if (!n)
		wt_buf_putc(b, '-');
}

void wt_sink_syslog_format(struct wt_buf *b, const struct wt_sink_record *r, uint32_t facility, const char *hostname,
			   const char *app_name, int pid)
{
	wt_buf_printf(b, "<%u>1 ", facility * 8 + (unsigned)syslog_severity[r->severity]);
	struct wt_buf t;
	wt_buf_init(&t);
	wt_buf_time(&t, r->time);
	/* TIME-SECFRAC has at most 6 digits: 2026-10-14T10:51:16.530876Z */
	wt_buf_put(b, t.p, 26);
	wt_buf_putc(b, 'Z');
	wt_buf_free(&t);
	wt_buf_putc(b, ' ');
	header_field(b, hostname, 255);
	wt_buf_putc(b, ' ');
	header_field(b, app_name, 48);
	wt_buf_printf(b, " %d %s [worktrace@32473", pid, r->repeat ? "repeat" : "threat");
	static const struct wt_sink_field params[] = {
		WT_SINK_FIELD("pipeline", pipeline), WT_SINK_FIELD("workspace", workspace), WT_SINK_FIELD("owner", owner),
		WT_SINK_FIELD("namespace", ns), WT_SINK_FIELD("pod", pod), WT_SINK_FIELD("node", node),
		WT_SINK_FIELD("mitre", mitre), WT_SINK_FIELD("binary", binary), WT_SINK_FIELD("target", target)};
	sd_param(b, "rule", r->rule);
	const char *sev = wt_severity_names[r->severity];
	sd_param(b, "severity", (struct wt_sink_str){sev, (uint32_t)strlen(sev)});
	for (size_t i = 0; i < WT_ARRAY_LEN(params); i++)
		sd_param(b, params[i].name, wt_sink_field_get(r, &params[i]));
	wt_buf_printf(b, " count=\"%llu\" first_seen=\"", (unsigned long long)r->count);
	wt_buf_time(b, r->first_seen);
	wt_buf_puts(b, "\" last_seen=\"");
	wt_buf_time(b, r->last_seen);
	wt_buf_printf(b, "\" input_seq=\"%llu\"] \xef\xbb\xbf", (unsigned long long)r->input_seq);
	wt_buf_text(b, r->message.p, r->message.len, WT_MAX_RECORD_FIELD, NULL);
}

static enum wt_err syslog_open(struct wt_sink *s, char *err, size_t errlen)
{
	struct syslog_state *st = wt_xcalloc(1, sizeof *st);
	s->state = st;
	st->fd = -1;
	st->pid = (int)getpid();
	wt_buf_init(&st->msg);
	const char *t = s->spec.target;
	if (!strncmp(t, "unix:", 5)) {
		st->tr = T_UNIX;
		if (strlen(t + 5) == 0 || strlen(t + 5) >= sizeof st->path) {
			snprintf(err, errlen, "unix socket path empty or longer than %zu bytes", sizeof st->path - 1);
			return WT_E_INVALID;
		}
		snprintf(st->path, sizeof st->path, "%s", t + 5);
	} else if (!strncmp(t, "udp://", 6) || !strncmp(t, "tcp://", 6)) {
		st->tr = t[0] == 'u' ? T_UDP : T_TCP;
		const char *h = t + 6, *colon = strrchr(h, ':');
		size_t hl = colon ? (size_t)(colon - h) : 0;
		if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') { /* [::1]:514 */
			h++;
			hl -= 2;
		}
		if (!colon || !hl || hl >= sizeof st->host || !colon[1] || strlen(colon + 1) >= sizeof st->port) {
			snprintf(err, errlen, "expected udp://HOST:PORT or tcp://HOST:PORT");
			return WT_E_INVALID;
		}
		memcpy(st->host, h, hl);
		snprintf(st->port, sizeof st->port, "%s", colon + 1);
	} else {
		snprintf(err, errlen, "expected udp://HOST:PORT, tcp://HOST:PORT or unix:PATH");
		return WT_E_INVALID;
	}
	if (s->spec.hostname)
		snprintf(st->hostname, sizeof st->hostname, "%s", s->spec.hostname);
	else if (gethostname(st->hostname, sizeof st->hostname - 1) != 0)
		st->hostname[0] = '\0';
	return WT_OK;
}

/* Connect with the sink's timeout (non-blocking connect, then poll). */
static int connect_timeout(int fd, const struct sockaddr *sa, socklen_t len, int ms)
{
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	int rc = connect(fd, sa, len);
	if (rc != 0 && errno == EINPROGRESS) {
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		rc = poll(&p, 1, ms);
		if (rc == 0) {
			errno = ETIMEDOUT;
			rc = -1;
		} else if (rc > 0) {
			int e = 0;
			socklen_t el = sizeof e;
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el);
			errno = e;
			rc = e ? -1 : 0;
		}
	}
	fcntl(fd, F_SETFL, fl);
	return rc;
}

static enum wt_err syslog_connect(struct wt_sink *s, struct syslog_state *st)
{
	int ms = (int)wt_sink_time_left_ms(s, (long)s->spec.timeout_ms);
	if (st->tr == T_UNIX) {
		struct sockaddr_un sun = {.sun_family = AF_UNIX};
		memcpy(sun.sun_path, st->path, strlen(st->path) + 1);
		st->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (st->fd >= 0 && connect(st->fd, (struct sockaddr *)&sun, sizeof sun) == 0)
			return WT_OK;
		wt_sink_error(s, "unix:%s: %s", st->path, strerror(errno));
		goto fail;
	}
	struct addrinfo hints = {.ai_socktype = st->tr == T_UDP ? SOCK_DGRAM : SOCK_STREAM}, *ai = NULL;
	int gai = getaddrinfo(st->host, st->port, &hints, &ai);
	if (gai != 0) {
		wt_sink_error(s, "%s: %s", s->spec.target, gai_strerror(gai));
		return WT_E_IO;
	}
	st->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
	if (st->fd >= 0 && connect_timeout(st->fd, ai->ai_addr, ai->ai_addrlen, ms) == 0) {
		struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000};
		setsockopt(st->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		freeaddrinfo(ai);
		return WT_OK;
	}
	wt_sink_error(s, "%s: %s", s->spec.target, strerror(errno));
	freeaddrinfo(ai);
fail:
	if (st->fd >= 0)
		close(st->fd);
	st->fd = -1;
	return WT_E_IO;
}

static enum wt_err send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return WT_E_IO;
		p += w;
		n -= (size_t)w;
	}
	return WT_OK;
}

static enum wt_err syslog_deliver(struct wt_sink *s, struct wt_sink_record *const *recs, uint32_t n)
{
	struct syslog_state *st = s->state;
	if (st->fd < 0)
		WT_TRY(syslog_connect(s, st));
	for (uint32_t i = 0; i < n; i++) {
		st->msg.len = 0;
		if (st->tr == T_TCP) {
			struct wt_buf m;
			wt_buf_init(&m);
			wt_sink_syslog_format(&m, recs[i], s->spec.facility, st->hostname, s->spec.app_name, st->pid);
			wt_buf_printf(&st->msg, "%zu ", m.len);
			wt_buf_put(&st->msg, m.p, m.len);
			wt_buf_free(&m);
		} else {
			wt_sink_syslog_format(&st->msg, recs[i], s->spec.facility, st->hostname, s->spec.app_name, st->pid);
		}
		enum wt_err e = st->tr == T_TCP ? send_all(st->fd, st->msg.p, st->msg.len)
			: (send(st->fd, st->msg.p, st->msg.len, MSG_NOSIGNAL) == (ssize_t)st->msg.len ? WT_OK : WT_E_IO);
		if (e != WT_OK) {
			wt_sink_error(s, "%s: %s", s->spec.target, strerror(errno ? errno : EIO));
			close(st->fd);
			st->fd = -1;
			return WT_E_IO;
		}
	}
	return WT_OK;
}

static void syslog_close(struct wt_sink *s)
{
	struct syslog_state *st = s->state;
	if (!st)
		return;
	if (st->fd >= 0)
		close(st->fd);
	wt_buf_free(&st->msg);
	free(st);
	s->state = NULL;
}

const struct wt_sink_driver wt_sink_syslog_driver = {syslog_open, syslog_deliver, syslog_close};
