/* Key normalizers of rarity specs (and of any rule): generalize() removes the variation that
 * makes every command line unique (numbers, hashes, UUIDs, temp names, home directories),
 * pathprefix() keeps a path's first two directories, addrclass() and portclass() name the
 * class of a network destination. Pure functions over caller-provided buffers. */
#include "normalize.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
	return is_digit(c) || is_alpha(c);
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int char_class(char c)
{
	return is_digit(c) ? 0 : (c >= 'a' && c <= 'z') ? 1 : 2;
}

/* A boundary before position i: start, or a character that separates words of a command
 * line or path. */
static bool boundary_before(const char *s, size_t i)
{
	return i == 0 || !(is_alnum(s[i - 1]) || s[i - 1] == '-' || s[i - 1] == '_');
}

static size_t put(char *out, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	memcpy(out + n, lit, l);
	return n + l;
}

/* 8-4-4-4-12 hex digits at s[i], not followed by another word character. */
static bool uuid_at(const char *s, size_t len, size_t i)
{
	static const unsigned groups[] = {8, 4, 4, 4, 12};
	size_t p = i;
	for (unsigned g = 0; g < 5; g++) {
		for (unsigned k = 0; k < groups[g]; k++, p++)
			if (p >= len || !is_hex(s[p]))
				return false;
		if (g < 4) {
			if (p >= len || s[p] != '-')
				return false;
			p++;
		}
	}
	return p == len || !(is_alnum(s[p]) || s[p] == '_');
}

/* "/home/NAME" or "/root" at s[i], followed by '/' or the end of the word: returns the
 * length to replace by "~", else 0. */
static size_t home_at(const char *s, size_t len, size_t i)
{
	size_t end;
	if (len - i >= 6 && memcmp(s + i, "/home/", 6) == 0) {
		end = i + 6;
		while (end < len && s[end] != '/' && s[end] != ' ' && s[end] != '"' && s[end] != '\'')
			end++;
		if (end == i + 6)
			return 0;
	} else if (len - i >= 5 && memcmp(s + i, "/root", 5) == 0) {
		end = i + 5;
	} else {
		return 0;
	}
	if (end < len && s[end] != '/' && s[end] != ' ' && s[end] != '"' && s[end] != '\'' && s[end] != ':')
		return 0;
	return end - i;
}

/* Generalize one maximal alphanumeric run. */
static size_t word(const char *w, size_t wl, bool after_tmp, char *out, size_t n)
{
	unsigned digits = 0, letters = 0, transitions = 0;
	bool hex = true;
	for (size_t k = 0; k < wl; k++) {
		digits += is_digit(w[k]);
		letters += is_alpha(w[k]);
		hex = hex && is_hex(w[k]);
		if (k && char_class(w[k]) != char_class(w[k - 1]))
			transitions++;
	}
	if (digits == wl)
		return put(out, n, "<n>");
	if (after_tmp && wl >= 5)
		return put(out, n, "<tmp>");
	if (hex && wl >= 7 && digits && letters && transitions >= 2)
		return put(out, n, "<hex>");
	if (wl >= 8 && digits >= 2 && letters && transitions >= 3)
		return put(out, n, "<id>");
	/* keep the word, with runs of two or more digits generalized (go-build123 -> go-build<n>) */
	for (size_t k = 0; k < wl;) {
		size_t e = k;
		while (e < wl && is_digit(w[e]))
			e++;
		if (e - k >= 2) {
			n = put(out, n, "<n>");
			k = e;
		} else {
			out[n++] = w[k++];
		}
	}
	return n;
}

size_t wt_norm_generalize(const char *s, size_t len, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] == '/' && boundary_before(s, i)) {
			size_t h = home_at(s, len, i);
			if (h) {
				out[n++] = '~';
				i += h;
				continue;
			}
		}
		if (is_hex(s[i]) && (i == 0 || !is_alnum(s[i - 1])) && uuid_at(s, len, i)) {
			n = put(out, n, "<uuid>");
			i += 36;
			continue;
		}
		if (is_alnum(s[i])) {
			/* Python's tempfile names: tmp + 8 of [a-z0-9_] */
			if (len - i >= 9 && memcmp(s + i, "tmp", 3) == 0 && boundary_before(s, i)) {
				size_t e = i + 3;
				unsigned digits = 0;
				while (e < len && (is_alnum(s[e]) || s[e] == '_'))
					digits += is_digit(s[e++]);
				if (e - i >= 9 && digits) {
					n = put(out, n, "tmp<tmp>");
					i = e;
					continue;
				}
			}
			size_t e = i;
			while (e < len && is_alnum(s[e]))
				e++;
			/* mktemp's tmp.XXXXXXXXXX */
			bool after_tmp = i >= 4 && memcmp(s + i - 4, "tmp.", 4) == 0 && boundary_before(s, i - 4);
			n = word(s + i, e - i, after_tmp, out, n);
			i = e;
			continue;
		}
		out[n++] = s[i++];
	}
	return n;
}

size_t wt_norm_pathprefix(const char *s, size_t len, char *out)
{
	size_t n = wt_norm_generalize(s, len, out);
	/* directory part: drop the last component (a trailing '/' marks a directory) */
	size_t end = n;
	while (end > 1 && out[end - 1] == '/')
		end--;
	while (end > 0 && out[end - 1] != '/')
		end--;
	if (end > 1)
		end--; /* the '/' itself */
	if (end == 0) {
		/* a bare name: its directory is unknown */
		out[0] = '.';
		return 1;
	}
	/* keep two components: "/usr/local", "~/.ssh", "src/app" (cut at the 3rd or 2nd '/') */
	unsigned limit = out[0] == '/' ? 3 : 2, slashes = 0;
	for (size_t k = 0; k < end; k++)
		if (out[k] == '/' && ++slashes == limit)
			return k;
	return end;
}

/* Address classes ----------------------------------------------------------------------- */

struct range_class {
	const char *cidr;
	const char *name;
};

static const struct range_class classes[] = {
	{"0.0.0.0/32", "unspecified"}, {"::/128", "unspecified"},
	{"127.0.0.0/8", "loopback"}, {"::1/128", "loopback"},
	{"169.254.169.254/32", "metadata"}, {"fd00:ec2::254/128", "metadata"},
	{"169.254.0.0/16", "link-local"}, {"fe80::/10", "link-local"},
	{"224.0.0.0/4", "multicast"}, {"ff00::/8", "multicast"},
	{"10.0.0.0/8", "private"}, {"172.16.0.0/12", "private"}, {"192.168.0.0/16", "private"},
	{"100.64.0.0/10", "private"}, {"fc00::/7", "private"},
};

static struct wt_cidr parsed[WT_ARRAY_LEN(classes)];
static pthread_once_t parsed_once = PTHREAD_ONCE_INIT;

static void parse_classes(void)
{
	for (size_t i = 0; i < WT_ARRAY_LEN(classes); i++)
		wt_cidr_parse(classes[i].cidr, strlen(classes[i].cidr), &parsed[i]);
}

void wt_norm_init(void)
{
	pthread_once(&parsed_once, parse_classes);
}

const char *wt_norm_addrclass(const char *s, size_t len, const struct wt_cidr *cluster, unsigned n_cluster)
{
	struct wt_cidr a;
	if (!wt_cidr_parse(s, len, &a) || (a.family == 4 ? a.prefix != 32 : a.prefix != 128))
		return NULL;
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	char v4[16];
	if (a.family == 6 && memcmp(a.addr, mapped, 12) == 0) {
		/* IPv4-mapped IPv6, however spelled (::ffff:1.2.3.4, ::FFFF:102:304, 0:0:...):
		 * judged as its IPv4 address */
		int n = snprintf(v4, sizeof v4, "%u.%u.%u.%u", a.addr[12], a.addr[13], a.addr[14], a.addr[15]);
		s = v4;
		len = (size_t)n;
	}
	wt_norm_init();
	/* the special ranges first, then the cluster's own, then private */
	for (size_t i = 0; i < WT_ARRAY_LEN(classes); i++) {
		if (strcmp(classes[i].name, "private") == 0) {
			for (unsigned k = 0; k < n_cluster; k++)
				if (wt_cidr_contains(&cluster[k], s, len))
					return "cluster";
		}
		if (wt_cidr_contains(&parsed[i], s, len))
			return classes[i].name;
	}
	for (unsigned k = 0; k < n_cluster; k++)
		if (wt_cidr_contains(&cluster[k], s, len))
			return "cluster";
	return "public";
}

/* Port classes ---------------------------------------------------------------------------- */

struct port_class {
	uint16_t port;
	const char *name;
};

static const struct port_class ports[] = {
	{20, "ftp"}, {21, "ftp"}, {22, "ssh"}, {23, "telnet"}, {25, "smtp"}, {53, "dns"}, {80, "http"},
	{110, "mail"}, {123, "ntp"}, {139, "smb"}, {143, "mail"}, {389, "ldap"}, {443, "https"},
	{445, "smb"}, {465, "smtp"}, {587, "smtp"}, {636, "ldap"}, {853, "dns"}, {873, "rsync"},
	{993, "mail"}, {995, "mail"}, {1433, "db"}, {1521, "db"}, {2375, "docker"}, {2376, "docker"},
	{2379, "etcd"}, {2380, "etcd"}, {3000, "http-dev"}, {3306, "db"}, {3389, "remote-desktop"},
	{4317, "otlp"}, {4318, "otlp"}, {5000, "http-dev"}, {5432, "db"}, {5900, "remote-desktop"},
	{5984, "db"}, {6379, "db"}, {6443, "kube-api"}, {6667, "irc"}, {6697, "irc"}, {7474, "db"},
	{8000, "http-dev"}, {8008, "http-dev"}, {8080, "http-dev"}, {8443, "https"}, {8888, "http-dev"},
	{9001, "tor"}, {9042, "db"}, {9050, "tor"}, {9090, "http-dev"}, {9150, "tor"}, {9200, "db"},
	{9418, "git"}, {10250, "kubelet"}, {10255, "kubelet"}, {11211, "db"}, {27017, "db"},
};

const char *wt_norm_portclass(int64_t port, char buf[24])
{
	if (port < 0 || port > 65535)
		return NULL;
	size_t lo = 0, hi = WT_ARRAY_LEN(ports);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ports[mid].port == port)
			return ports[mid].name;
		if (ports[mid].port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (port == 0)
		return "none";
	if (port >= 32768)
		return "ephemeral";
	snprintf(buf, 24, "%lld", (long long)port);
	return buf;
}
