/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP and ICMPv6 error builders (cp/icmp_err.h). Pure: called by the
 * control lcore and the unit tests; writes only OUT, reads only ORIG's
 * ORIG_LEN octets.
 */
#include <string.h>

#include <rte_ip.h>

#include "cp/icmp_err.h"

#define IPPROTO_ICMP_            1
#define IPPROTO_ICMPV6_          58
#define TOS_INTERNETWORK_CONTROL 0xc0 /* precedence 6 (RFC 791, RFC 1812 4.3.2.5) */
#define ERR_TTL                  64

/*
 * The 8 octets of an error's ICMP or ICMPv6 header: type, code, the checksum
 * zeroed, and the word that carries the MTU (ICMPv6 Packet Too Big's 32 bits;
 * for IPv4, RFC 1191's next-hop MTU in the low 16, the unused high ones zero).
 */
static void err_hdr(uint8_t *icmp, uint8_t type, uint8_t code, uint32_t mtu)
{
	icmp[0] = type;
	icmp[1] = code;
	icmp[2] = icmp[3] = 0;
	icmp[4] = (uint8_t)(mtu >> 24);
	icmp[5] = (uint8_t)(mtu >> 16);
	icmp[6] = (uint8_t)(mtu >> 8);
	icmp[7] = (uint8_t)mtu;
}

size_t lns_icmp4_error(uint8_t *out, size_t cap, uint8_t type, uint8_t code, uint16_t mtu,
		       uint16_t ip_id, rte_be32_t src, const uint8_t *orig, size_t orig_len)
{
	struct rte_ipv4_hdr ip, oip;
	size_t ihl, quote, tot;
	uint8_t *icmp = out + sizeof(ip);
	uint16_t c;

	if (orig_len < sizeof(oip))
		return 0;
	memcpy(&oip, orig, sizeof(oip));
	ihl = (size_t)(oip.version_ihl & 0x0f) * 4;
	if ((oip.version_ihl >> 4) != 4 || ihl < sizeof(oip) || ihl > orig_len)
		return 0;
	quote = RTE_MIN(orig_len, (size_t)rte_be_to_cpu_16(oip.total_length));
	if (quote < ihl)
		quote = ihl; /* a total length below the header's own: quote the header */
	quote = RTE_MIN(quote, (size_t)(LNS_ICMP4_ERR_MAX - LNS_ICMP4_ERR_HDR));
	tot = LNS_ICMP4_ERR_HDR + quote;
	if (cap < tot)
		return 0;

	/* The quote first: ORIG may lie in OUT, right behind the headers. */
	memmove(icmp + 8, orig, quote);
	err_hdr(icmp, type, code, mtu);
	c = (uint16_t)~rte_raw_cksum(icmp, 8 + quote);
	memcpy(icmp + 2, &c, 2); /* the sum is in memory order: stored as it is */

	memset(&ip, 0, sizeof(ip));
	ip.version_ihl = RTE_IPV4_VHL_DEF;
	ip.type_of_service = TOS_INTERNETWORK_CONTROL;
	ip.total_length = rte_cpu_to_be_16((uint16_t)tot);
	ip.packet_id = rte_cpu_to_be_16(ip_id);
	ip.time_to_live = ERR_TTL;
	ip.next_proto_id = IPPROTO_ICMP_;
	ip.src_addr = src;
	ip.dst_addr = oip.src_addr;
	ip.hdr_checksum = rte_ipv4_cksum(&ip);
	memcpy(out, &ip, sizeof(ip));
	return tot;
}

size_t lns_icmp6_error(uint8_t *out, size_t cap, uint8_t type, uint8_t code, uint32_t mtu,
		       const uint8_t src[16], const uint8_t *orig, size_t orig_len)
{
	struct rte_ipv6_hdr ip, oip;
	size_t quote, tot;
	uint8_t *icmp = out + sizeof(ip);
	uint16_t c;

	if (orig_len < sizeof(oip))
		return 0;
	memcpy(&oip, orig, sizeof(oip));
	if ((rte_be_to_cpu_32(oip.vtc_flow) >> 28) != 6)
		return 0;
	quote = RTE_MIN(orig_len, sizeof(oip) + rte_be_to_cpu_16(oip.payload_len));
	quote = RTE_MIN(quote, (size_t)(LNS_ICMP6_ERR_MAX - LNS_ICMP6_ERR_HDR));
	tot = LNS_ICMP6_ERR_HDR + quote;
	if (cap < tot)
		return 0;

	memmove(icmp + 8, orig, quote);
	err_hdr(icmp, type, code, mtu);

	memset(&ip, 0, sizeof(ip));
	ip.vtc_flow = RTE_BE32(6u << 28);
	ip.payload_len = rte_cpu_to_be_16((uint16_t)(8 + quote));
	ip.proto = IPPROTO_ICMPV6_;
	ip.hop_limits = ERR_TTL;
	memcpy(ip.src_addr, src, 16);
	memcpy(ip.dst_addr, oip.src_addr, 16);
	/* RFC 4443 section 2.3: over the pseudo-header (RFC 8200 section 8.1) and the message. */
	{
		uint32_t sum = rte_ipv6_phdr_cksum(&ip, 0);

		sum = __rte_raw_cksum(icmp, 8 + quote, sum);
		c = (uint16_t)~__rte_raw_cksum_reduce(sum);
	}
	memcpy(icmp + 2, &c, 2);
	memcpy(out, &ip, sizeof(ip));
	return tot;
}
