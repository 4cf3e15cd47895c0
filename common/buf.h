/* Growable byte buffer with JSON string escaping; used to render threat records and
 * machine-readable diagnostics. */
#ifndef WT_BUF_H
#define WT_BUF_H

#include "wt.h"

struct wt_buf {
	char *p;
	size_t len, cap;
};

void wt_buf_init(struct wt_buf *b);
void wt_buf_free(struct wt_buf *b);
void wt_buf_reserve(struct wt_buf *b, size_t n);
void wt_buf_put(struct wt_buf *b, const char *s, size_t n);
void wt_buf_puts(struct wt_buf *b, const char *s);
void wt_buf_putc(struct wt_buf *b, char c);
WT_PRINTF(2, 3) void wt_buf_printf(struct wt_buf *b, const char *fmt, ...);
/* Append s as a quoted JSON string: control bytes escaped, invalid UTF-8 replaced by U+FFFD,
 * at most max bytes of input (then "..." is appended inside the quotes). */
void wt_buf_json_str(struct wt_buf *b, const char *s, size_t n, size_t max);
/* Append s as one line of valid UTF-8 text: invalid UTF-8 becomes U+FFFD, control bytes
 * become \n \r \t or \xNN, a backslash and every byte in quote (may be NULL) get a
 * backslash before them; at most max bytes of input (then "..."). */
void wt_buf_text(struct wt_buf *b, const char *s, size_t n, size_t max, const char *quote);
/* Format ns-since-epoch as RFC 3339 UTC with nanoseconds. */
void wt_buf_time(struct wt_buf *b, int64_t ns);

/* Parse RFC 3339 ("2022-01-19T11:05:54.378Z", offsets allowed) to ns since the epoch. */
bool wt_time_parse(const char *s, size_t n, int64_t *out);

#endif
