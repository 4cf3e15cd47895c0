/* Address parsing and CIDR matching with inet_pton; addresses that do not parse (such as
 * Tetragon's "<nil>") match no range. */
#include "addr.h"
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static bool parse_addr(const char *s, size_t len, uint8_t *family, uint8_t addr[16])
{
	char buf[64];
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, s, len);
	buf[len] = 0;
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, buf, addr) == 1) {
		*family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, buf, addr) == 1) {
		*family = 6;
		return true;
	}
	return false;
}

bool wt_cidr_parse(const char *s, size_t len, struct wt_cidr *out)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	if (!parse_addr(s, alen, &out->family, out->addr))
		return false;
	unsigned max = out->family == 4 ? 32 : 128;
	unsigned prefix = max;
	if (slash) {
		const char *p = slash + 1, *end = s + len;
		if (p == end || end - p > 3)
			return false;
		prefix = 0;
		for (; p < end; p++) {
			if (*p < '0' || *p > '9')
				return false;
			prefix = prefix * 10 + (unsigned)(*p - '0');
		}
		if (prefix > max)
			return false;
	}
	out->prefix = (uint8_t)prefix;
	return true;
}

bool wt_cidr_contains(const struct wt_cidr *range, const char *s, size_t len)
{
	uint8_t family, addr[16];
	if (!parse_addr(s, len, &family, addr) || family != range->family)
		return false;
	unsigned full = range->prefix / 8, rest = range->prefix % 8;
	if (memcmp(addr, range->addr, full) != 0)
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));
		if ((addr[full] & mask) != (range->addr[full] & mask))
			return false;
	}
	return true;
}
