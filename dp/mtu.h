/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker's MTU policy (docs/dataplane.md): what happens to an IPv4
 * packet too big for the next link, which ICMP errors go to the control
 * lcore, and TCP MSS clamping of SYNs into and out of tunnels. Worker lcores
 * only; each function writes the packet and its worker's own state.
 */
#ifndef LNS_DP_MTU_H
#define LNS_DP_MTU_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dp/dp.h"
#include "dp/mss.h"

/*
 * M (data at its IPv4 header, TTL already decremented) is larger than MTU:
 * with DF, LNS_V_DROP_TOO_BIG with the reason for a Fragmentation Needed in
 * m->hash.usr; without, LNS_V_FRAGS and the fragments appended to w->frag
 * (m->hash.usr: which; their header checksums set, nothing in front yet), or
 * LNS_V_DROP_TOO_BIG when it cannot be cut (no mbufs, more than LNS_FRAG_MAX
 * fragments, no room left in w->frag this burst, MTU below 68).
 */
enum lns_verdict lns_too_big4(struct lns_worker *w, struct rte_mbuf *m, uint16_t mtu);

/* Give back M's fragments (the last ones made) after one of them could not be sent on. */
void lns_frags_free(struct lns_worker *w, struct rte_mbuf *m);

/*
 * The worker loop, for a packet dropped as LNS_V_DROP_TTL, _TOO_BIG or _NO_ROUTE: true
 * when it should go to the control lcore for an ICMP error (its reason says
 * so, lns_icmp4/6_may_answer agree, the worker's token bucket has a token).
 */
bool lns_icmp_punt(struct lns_worker *w, struct rte_mbuf *m);

/* The clamp itself, for a TCP SYN at M's IPv4 (IPv6) header (dp/mtu.c). */
void lns_mss_clamp_syn4(struct lns_worker *w, struct rte_mbuf *m, uint16_t tunnel_mtu);
void lns_mss_clamp_syn6(struct lns_worker *w, struct rte_mbuf *m, uint16_t tunnel_mtu);

/*
 * The same for IPv6 (M at its IPv6 header): a TCP segment right behind the
 * fixed header (a SYN behind extension headers is left alone), auto = the
 * session's MTU less 60 (IPv6 and TCP headers without options).
 */
static inline void lns_mss_clamp6(struct lns_worker *w, struct rte_mbuf *m, uint16_t tunnel_mtu)
{
	const struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	const uint8_t *b = (const uint8_t *)ip;

	if (ip->proto != IPPROTO_TCP || rte_pktmbuf_data_len(m) < sizeof(*ip) + 14 ||
	    !(b[sizeof(*ip) + 13] & LNS_TCP_FLAG_SYN))
		return;
	lns_mss_clamp_syn6(w, m, tunnel_mtu);
}

/*
 * M (data at its IPv4 header, checked by the caller) goes into or comes out
 * of a tunnel whose inner MTU is TUNNEL_MTU: a TCP SYN (or SYN-ACK) that is
 * not a later fragment has its MSS clamped (dataplane.tcp-mss-clamp). Inline
 * up to the SYN test, which is all most packets see.
 */
static inline void lns_mss_clamp4(struct lns_worker *w, struct rte_mbuf *m, uint16_t tunnel_mtu)
{
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	const uint8_t *b = (const uint8_t *)ip;
	uint32_t ihl;

	if (ip->next_proto_id != IPPROTO_TCP ||
	    (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)))
		return;
	ihl = (ip->version_ihl & 0x0f) * 4u;
	if (rte_pktmbuf_data_len(m) < ihl + 14 || !(b[ihl + 13] & LNS_TCP_FLAG_SYN))
		return;
	lns_mss_clamp_syn4(w, m, tunnel_mtu);
}

#endif
