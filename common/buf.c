/* Growable buffer, JSON string escaping (always valid UTF-8 out) and RFC 3339 time
 * formatting and parsing. */
#include "buf.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wt_buf_init(struct wt_buf *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
}

void wt_buf_free(struct wt_buf *b)
{
	free(b->p);
	wt_buf_init(b);
}

void wt_buf_reserve(struct wt_buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (b->len + n + 1 > cap)
			cap *= 2;
		b->p = wt_xrealloc(b->p, cap);
		b->cap = cap;
	}
}

void wt_buf_put(struct wt_buf *b, const char *s, size_t n)
{
	wt_buf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void wt_buf_puts(struct wt_buf *b, const char *s)
{
	wt_buf_put(b, s, strlen(s));
}

void wt_buf_putc(struct wt_buf *b, char c)
{
	wt_buf_reserve(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = 0;
}

void wt_buf_printf(struct wt_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	wt_buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		len = 2;
		min = 0x80;
		c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		min = 0x800;
		c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		min = 0x10000;
		c &= 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

/* n cut to max bytes, never inside a UTF-8 sequence; *cut tells whether it was. */
static size_t cut_utf8(const unsigned char *s, size_t n, size_t max, bool *cut)
{
	*cut = n > max;
	if (*cut) {
		n = max;
		while (n > 0 && (s[n] & 0xc0) == 0x80)
			n--; /* do not split a UTF-8 sequence */
	}
	return n;
}

/* Append the non-ASCII UTF-8 sequence at s, or repl for an invalid byte; bytes consumed. */
static size_t put_utf8(struct wt_buf *b, const unsigned char *s, size_t n, const char *repl, size_t repl_len)
{
	size_t l = utf8_len(s, n);
	if (l == 0) {
		wt_buf_put(b, repl, repl_len);
		return 1;
	}
	wt_buf_put(b, (const char *)s, l);
	return l;
}

void wt_buf_json_str(struct wt_buf *b, const char *str, size_t n, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	bool cut;
	n = cut_utf8(s, n, max, &cut);
	wt_buf_reserve(b, n + 2);
	wt_buf_putc(b, '"');
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			size_t j = i + 1;
			while (j < n && s[j] >= 0x20 && s[j] < 0x7f && s[j] != '"' && s[j] != '\\')
				j++;
			wt_buf_put(b, (const char *)s + i, j - i);
			i = j;
			continue;
		}
		switch (c) {
		case '"': wt_buf_put(b, "\\\"", 2); i++; continue;
		case '\\': wt_buf_put(b, "\\\\", 2); i++; continue;
		case '\n': wt_buf_put(b, "\\n", 2); i++; continue;
		case '\r': wt_buf_put(b, "\\r", 2); i++; continue;
		case '\t': wt_buf_put(b, "\\t", 2); i++; continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			wt_buf_put(b, esc, 6);
			i++;
			continue;
		}
		i += put_utf8(b, s + i, n - i, "\\ufffd", 6);
	}
	if (cut)
		wt_buf_put(b, "...", 3);
	wt_buf_putc(b, '"');
}

void wt_buf_text(struct wt_buf *b, const char *str, size_t n, size_t max, const char *quote)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	bool cut;
	n = cut_utf8(s, n, max, &cut);
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x20 || c == 0x7f) {
			char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			if (c == '\n' || c == '\r' || c == '\t') {
				esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
				wt_buf_put(b, esc, 2);
			} else {
				wt_buf_put(b, esc, 4);
			}
			i++;
			continue;
		}
		if (c < 0x80) {
			if (c == '\\' || (quote && strchr(quote, c)))
				wt_buf_putc(b, '\\');
			wt_buf_putc(b, (char)c);
			i++;
			continue;
		}
		i += put_utf8(b, s + i, n - i, "\xef\xbf\xbd", 3); /* U+FFFD */
	}
	if (cut)
		wt_buf_put(b, "...", 3);
}

/* Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void wt_buf_time(struct wt_buf *b, int64_t ns)
{
	int64_t secs = ns / 1000000000, frac = ns % 1000000000;
	if (frac < 0) {
		frac += 1000000000;
		secs--;
	}
	int64_t days = secs / 86400, rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	wt_buf_printf(b, "%04lld-%02u-%02uT%02u:%02u:%02u.%09lldZ", (long long)y, m, d,
		      (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60), (unsigned)(rem % 60),
		      (long long)frac);
}

static bool digits(const char *s, size_t n, size_t at, size_t count, unsigned *out)
{
	if (at + count > n)
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < count; i++) {
		char c = s[at + i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (unsigned)(c - '0');
	}
	*out = v;
	return true;
}

bool wt_time_parse(const char *s, size_t n, int64_t *out)
{
	unsigned y, mo, d, h, mi, se;
	if (!digits(s, n, 0, 4, &y) || n < 19 || s[4] != '-' || !digits(s, n, 5, 2, &mo) ||
	    s[7] != '-' || !digits(s, n, 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !digits(s, n, 11, 2, &h) || s[13] != ':' || !digits(s, n, 14, 2, &mi) || s[16] != ':' ||
	    !digits(s, n, 17, 2, &se))
		return false;
	/* nanoseconds since 1970 in an int64 reach to 2262 */
	if (y < 1900 || y > 2261 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 60)
		return false;
	static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[mo - 1] + (mo == 2 && leap))
		return false; /* 2027-02-30 is not a date */
	size_t i = 19;
	int64_t frac = 0;
	if (i < n && s[i] == '.') {
		i++;
		int nd = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (nd < 9) {
				frac = frac * 10 + (s[i] - '0');
				nd++;
			}
			i++;
		}
		if (nd == 0)
			return false;
		for (; nd < 9; nd++)
			frac *= 10;
	}
	int64_t offset = 0;
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		unsigned oh, om;
		if (!digits(s, n, i + 1, 2, &oh) || i + 3 >= n || s[i + 3] != ':' ||
		    !digits(s, n, i + 4, 2, &om) || oh > 23 || om > 59)
			return false;
		offset = (int64_t)(oh * 3600 + om * 60) * (s[i] == '+' ? 1 : -1);
		i += 6;
	} else {
		return false;
	}
	if (i != n)
		return false;
	int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
	*out = secs * 1000000000 + frac;
	return true;
}
