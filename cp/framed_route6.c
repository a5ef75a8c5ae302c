/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The text of RADIUS Framed-IPv6-Route (RFC 3162 section 2.5). Pure: any
 * thread; no state. Strict, as every length is hostile: a value that is not
 * exactly this grammar is refused whole, with a reason, never half-applied.
 *
 *   route   = prefix [ SP gateway *( SP metric ) ]
 *   prefix  = IPv6-address [ "/" length ]     ; length 1..128, decimal, no
 *                                             ; leading zero; none: /128
 *   gateway = "::"                            ; any text form of ::
 *   metric  = 1*10DIGIT                       ; at most 4294967295; ignored
 *   SP      = one space (no leading, trailing or doubled spaces)
 *
 * e.g. "2001:db8:100::/56 :: 1". The RFC writes the gateway as the
 * subscriber's address when "::"; on a PPP link every gateway is the
 * subscriber, so lns, as for Framed-Route (cp/radius_auth.c), takes "::" and
 * nothing else rather than guess what another address means. Host bits are
 * cleared, as Framed-Route's are. A prefix that holds or lies in link-local
 * (fe80::/10), multicast (ff00::/8), the unspecified or the loopback address
 * is refused: routed to a subscriber it would let that subscriber's
 * link-local or unspecified sources pass the workers' spoofing check
 * (dp/fwd6.c), which is one FIB lookup of the source.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "cp/framed_route6.h"
#include "dp/fib6.h"

#define RADIUS_VALUE_MAX 253 /* RFC 2865 5: an attribute's value, at most */

/* A prefix whose first min(plen, blen) bits equal b's: one holds the other. */
static bool overlaps(const uint8_t a[16], unsigned plen, const uint8_t b[16], unsigned blen)
{
	uint8_t x[16], y[16];
	unsigned m = plen < blen ? plen : blen;

	memcpy(x, a, 16);
	memcpy(y, b, 16);
	lns_prefix6_mask(x, m);
	lns_prefix6_mask(y, m);
	return memcmp(x, y, 16) == 0;
}

static bool reserved(const uint8_t a[16], unsigned plen)
{
	static const struct {
		uint8_t a[16];
		unsigned plen;
	} r[] = {
		{{0xfe, 0x80}, 10}, /* link-local, RFC 4291 2.5.6 */
		{{0xff}, 8},        /* multicast, 2.7 */
		{{0}, 127},         /* :: and ::1, 2.5.2 and 2.5.3 */
	};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (overlaps(a, plen, r[i].a, r[i].plen))
			return true;
	return false;
}

/* 1..digits decimal digits, no leading zero (a lone "0" is a number), into *v. */
static bool number(const char *s, unsigned digits, unsigned long long *v)
{
	size_t n = strlen(s);

	if (n == 0 || n > digits || (s[0] == '0' && n > 1) || strspn(s, "0123456789") != n)
		return false;
	*v = strtoull(s, NULL, 10); /* digits only, at most ten: no overflow */
	return true;
}

int framed_route6_parse(const void *text, size_t len, struct framed_route6 *r, const char **why)
{
	static const uint8_t zero[16];
	char buf[RADIUS_VALUE_MAX + 1];
	char *tok[2], *save = NULL, *slash, *t;
	unsigned long long plen = 128, metric;
	unsigned n = 0;
	uint8_t gw[16];

	*why = "not \"PREFIX[/LENGTH] [:: [METRIC...]]\"";
	if (len == 0 || len > RADIUS_VALUE_MAX || memchr(text, '\0', len) != NULL)
		return -EINVAL;
	memcpy(buf, text, len);
	buf[len] = '\0';
	/* what the grammar can hold (digits, hex, ':', '.', '/', one space between fields) */
	if (strspn(buf, "0123456789abcdefABCDEF:./ ") != len || buf[0] == ' ' ||
	    buf[len - 1] == ' ' || strstr(buf, "  ") != NULL)
		return -EINVAL;
	memset(tok, 0, sizeof(tok));
	for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n < 2) {
			tok[n++] = t;
		} else if (!number(t, 10, &metric) || metric > UINT32_MAX) {
			*why = "a metric is not a number up to 4294967295";
			return -EINVAL;
		}
	}
	slash = strchr(tok[0], '/');
	if (slash) {
		*slash = '\0';
		if (!number(slash + 1, 3, &plen) || plen < 1 || plen > 128) {
			*why = "the prefix length is not 1..128";
			return -EINVAL;
		}
	}
	if (inet_pton(AF_INET6, tok[0], r->prefix) != 1)
		return -EINVAL;
	if (tok[1] && (inet_pton(AF_INET6, tok[1], gw) != 1 || memcmp(gw, zero, 16) != 0)) {
		*why = "the gateway is not ::";
		return -EINVAL;
	}
	r->plen = (uint8_t)plen;
	r->routed = false;
	lns_prefix6_mask(r->prefix, r->plen);
	if (reserved(r->prefix, r->plen)) {
		*why = "it holds or lies in link-local, multicast, :: or ::1";
		return -EINVAL;
	}
	*why = "";
	return 0;
}
