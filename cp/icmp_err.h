/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP and ICMPv6 errors of the control lcore: Time Exceeded and
 * Fragmentation Needed / Packet Too Big about packets the workers could not
 * forward (docs/dataplane.md). The builders (cp/icmp_build.c) are pure: a
 * whole IP packet into a buffer, no EAL; cp/icmp_err.c takes the workers'
 * punts, applies the rate limit and sends the errors back toward the sender.
 */
#ifndef LNS_CP_ICMP_ERR_H
#define LNS_CP_ICMP_ERR_H

#include <stddef.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "dp/icmp.h"

/* The largest errors: RFC 1812 section 4.3.2.3 and RFC 4443 section 2.4 (c). */
#define LNS_ICMP4_ERR_MAX 576
#define LNS_ICMP6_ERR_MAX 1280
#define LNS_ICMP4_ERR_HDR 28 /* IPv4 (no options) and the ICMP header */
#define LNS_ICMP6_ERR_HDR 48 /* IPv6 and the ICMPv6 header */

/*
 *  ICMP error (RFC 792; the MTU word of RFC 1191 in Fragmentation Needed):
 *  +---------------+---------------+-------------------------------+
 *  |     type      |     code      |           checksum            |
 *  +---------------+---------------+-------------------------------+
 *  |     unused (0), or 16 unused bits and the next-hop MTU       |
 *  +---------------------------------------------------------------+
 *  |  the packet's IPv4 header and as much of its data as fits     |
 *
 * An IPv4 packet from SRC to ORIG's source carrying that message, into OUT
 * (CAP octets). ORIG: ORIG_LEN octets from the offending packet's IPv4
 * header (its total length, when smaller, ends it); as much of it is quoted
 * as keeps the error within LNS_ICMP4_ERR_MAX octets, at least the header
 * and 8 octets of data when there are that many (RFC 792). MTU is written
 * only for Fragmentation Needed. The IPv4 header: precedence 6 (RFC 1812
 * section 4.3.2.5), identification IP_ID, TTL 64, no DF, checksums set.
 * Returns the packet's length, or 0 when ORIG is no IPv4 header or CAP is
 * too small for the error.
 */
size_t lns_icmp4_error(uint8_t *out, size_t cap, uint8_t type, uint8_t code, uint16_t mtu,
		       uint16_t ip_id, rte_be32_t src, const uint8_t *orig, size_t orig_len);

/*
 *  ICMPv6 error (RFC 4443 sections 3.2 and 3.3):
 *  +---------------+---------------+-------------------------------+
 *  |     type      |     code      |           checksum            |
 *  +---------------+---------------+-------------------------------+
 *  |          MTU (Packet Too Big), unused (0) otherwise           |
 *  +---------------------------------------------------------------+
 *  |  as much of the offending packet as fits in 1280 octets      |
 *
 * An IPv6 packet from SRC to ORIG's source (hop limit 64, next header 58)
 * with that message, into OUT; ORIG as for lns_icmp4_error, its payload
 * length bounding it. Returns the length, or 0.
 */
size_t lns_icmp6_error(uint8_t *out, size_t cap, uint8_t type, uint8_t code, uint32_t mtu,
		       const uint8_t src[16], const uint8_t *orig, size_t orig_len);

struct lns_cp;
struct rte_mbuf;

/* cp/icmp_err.c, control lcore: set up the rate limit; answer one ICMP punt (frees M). */
void cp_icmp_init(struct lns_cp *cp);
void cp_icmp_error(struct lns_cp *cp, struct rte_mbuf *m);

/*
 * An ICMP echo request to us (IP header of IHL octets, TOT in all, both checked) turned
 * in place into its reply: addresses swapped, TTL 64, type 0, both checksums anew. For
 * the ports' own pings (cp/ipv4.c) and a subscriber's (cp/ppp_input.c).
 */
static inline void lns_icmp4_echo_reply(struct rte_ipv4_hdr *ip, size_t ihl, size_t tot)
{
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)((uint8_t *)ip + ihl);
	rte_be32_t a = ip->src_addr;

	ip->src_addr = ip->dst_addr;
	ip->dst_addr = a;
	ip->time_to_live = 64;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, tot - ihl);
}

#endif
