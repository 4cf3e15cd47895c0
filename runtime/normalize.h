/* Key normalizers: generalize, pathprefix, addrclass, portclass (see normalize.c and wt(5)). */
#ifndef WT_NORMALIZE_H
#define WT_NORMALIZE_H

#include "addr.h"

/* Output capacity the string normalizers need for an input of len bytes. */
#define WT_NORM_CAP(len) (3 * (size_t)(len) + 8)

/* Numbers -> <n>, UUIDs -> <uuid>, hex hashes -> <hex>, temp names -> <tmp>, random-looking
 * identifiers -> <id>, /home/NAME and /root -> ~. Returns the output length. */
size_t wt_norm_generalize(const char *s, size_t len, char *out);
/* The generalized directory of a path, cut to two components ("/usr/local", "~/.ssh"). */
size_t wt_norm_pathprefix(const char *s, size_t len, char *out);
/* Parse the constant ranges once (called by wt_vm_init; safe to call again). */
void wt_norm_init(void);
/* "loopback", "metadata", "link-local", "multicast", "unspecified", "cluster" (inside one
 * of the given ranges), "private", "public"; NULL when s is not an address. */
const char *wt_norm_addrclass(const char *s, size_t len, const struct wt_cidr *cluster, unsigned n_cluster);
/* A well-known service name ("ssh", "https", "db", ...), "ephemeral" (>= 32768), "none" (0),
 * else the number itself written into buf; NULL outside 0..65535. */
const char *wt_norm_portclass(int64_t port, char buf[24]);

#endif
