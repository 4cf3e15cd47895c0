/* IP addresses and CIDR ranges, for `in` on address fields. */
#ifndef WT_ADDR_H
#define WT_ADDR_H

#include "wt.h"

struct wt_cidr {
	uint8_t family; /* 4 or 6 */
	uint8_t prefix; /* bits */
	uint8_t addr[16];
};

/* "10.0.0.0/8", "10.1.2.3" (a /32), "fd00::/8", "::1". IPv4-mapped IPv6 is kept as IPv6. */
bool wt_cidr_parse(const char *s, size_t len, struct wt_cidr *out);
/* Does the address text s (as Tetragon prints it) fall inside the range? */
bool wt_cidr_contains(const struct wt_cidr *range, const char *s, size_t len);

#endif
