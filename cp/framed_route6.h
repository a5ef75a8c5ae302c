/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RADIUS Framed-IPv6-Route (RFC 3162 section 2.5): an IPv6 prefix routed to
 * the subscriber's session. The parser is pure (no state, no DPDK calls), for
 * cp/radius_auth.c, the unit tests and the fuzz target; routing them is
 * cp/ppp_route6.c's. Main lcore only.
 */
#ifndef LNS_FRAMED_ROUTE6_H
#define LNS_FRAMED_ROUTE6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Framed-IPv6-Route attributes honoured per session; more are logged and counted. */
#define FRAMED_ROUTE6_MAX 8

struct framed_route6 {
	uint8_t prefix[16]; /* host bits cleared */
	uint8_t plen;       /* 1..128 */
	bool routed;        /* in the workers' IPv6 FIB, to the session (cp/ppp_route6.c) */
};

/*
 * The attribute's text, LEN octets (not NUL-terminated), into *r: 0, or
 * -EINVAL with *why set to a phrase for the log (a static string).
 */
int framed_route6_parse(const void *text, size_t len, struct framed_route6 *r, const char **why);

#endif
