/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which packets may be answered with an ICMP or ICMPv6 error (dp/icmp.h).
 * Called by worker lcores and the control lcore alike; reads only the octets
 * it is given, each length checked before the read.
 */
#include "dp/icmp.h"

/* IPv6 extension headers (RFC 8200 section 4, RFC 4302 for AH). */
#define IP6_HOPOPTS  0
#define IP6_ROUTING  43
#define IP6_FRAGMENT 44
#define IP6_AH       51
#define IP6_ICMPV6   58
#define IP6_NONE     59
#define IP6_DSTOPTS  60
#define IP6_EXT_MAX  16

#define IP4_ICMP 1

bool lns_icmp4_may_answer(const uint8_t *pkt, size_t len)
{
	size_t ihl;
	uint8_t src0, dst0;

	if (len < 20 || (pkt[0] >> 4) != 4)
		return false;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl < 20 || ihl > len)
		return false;
	if (((pkt[6] & 0x1f) | pkt[7]) != 0)
		return false; /* fragment offset: not the first fragment */
	src0 = pkt[12];
	dst0 = pkt[16];
	if (src0 == 0 || src0 == 127 || src0 >= 224 || dst0 >= 224)
		return false;
	if (pkt[9] == IP4_ICMP) {
		if (ihl + 1 > len)
			return false;
		switch (pkt[ihl]) {
		case 0:  /* echo reply */
		case 8:  /* echo */
		case 9:  /* router advertisement (RFC 1256) */
		case 10: /* router solicitation */
		case 13: /* timestamp */
		case 14: /* timestamp reply */
		case 15: /* information request */
		case 16: /* information reply */
		case 17: /* address mask request (RFC 950) */
		case 18: /* address mask reply */
			break;
		default: /* an error, or a type whose nature we cannot know */
			return false;
		}
	}
	return true;
}

static bool v6_unspecified_or_loopback(const uint8_t a[16])
{
	for (int i = 0; i < 15; i++)
		if (a[i] != 0)
			return false;
	return a[15] <= 1;
}

bool lns_icmp6_may_answer(const uint8_t *pkt, size_t len, uint8_t type)
{
	const uint8_t *src = pkt + 8, *dst = pkt + 24;
	size_t off = 40;
	uint8_t next;

	if (len < 40 || (pkt[0] >> 4) != 6)
		return false;
	if (src[0] == 0xff || v6_unspecified_or_loopback(src))
		return false;
	if (dst[0] == 0xff && type != LNS_ICMP6_PACKET_TOO_BIG)
		return false;
	next = pkt[6];
	for (int n = 0; n <= IP6_EXT_MAX; n++) { /* IP6_EXT_MAX headers, then the upper layer */
		size_t hlen;

		switch (next) {
		case IP6_HOPOPTS:
		case IP6_ROUTING:
		case IP6_DSTOPTS:
			if (off + 2 > len)
				return false;
			hlen = ((size_t)pkt[off + 1] + 1) * 8;
			break;
		case IP6_AH:
			if (off + 2 > len)
				return false;
			hlen = ((size_t)pkt[off + 1] + 2) * 4;
			break;
		case IP6_FRAGMENT:
			if (off + 8 > len)
				return false;
			if ((pkt[off + 2] << 8 | (pkt[off + 3] & 0xf8)) != 0)
				return false; /* a fragment other than the first */
			hlen = 8;
			break;
		case IP6_ICMPV6:
			if (off + 1 > len)
				return false;
			return pkt[off] >= LNS_ICMP6_INFO_MIN;
		case IP6_NONE:
		default: /* the upper layer: not an ICMPv6 error */
			return true;
		}
		next = pkt[off];
		off += hlen;
	}
	return false; /* a chain that long is not worth an answer */
}
