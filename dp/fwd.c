/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Forwarding stages: upstream (L2TP/PPP decapsulation of a subscriber's IPv4
 * packet, then routing) and IPv4 routing with downstream encapsulation into a
 * session's tunnel. Runs on worker lcores; reads the FIB, the session table
 * and the neighbour table lock-free; writes only the packet.
 *
 *  Upstream, as received:                  Downstream, as sent:
 *  Eth | IPv4 | UDP | L2TP | PPP | IPv4    Eth | IPv4 | UDP 1701 | L2TP | ff03 0021 | IPv4
 *                         (T=0, any of L, S, O, P; PPP with or without ff03, PFC)
 *
 * Correct first: the header is built per packet here; the performance work
 * (prebuilt templates, per-session counters) comes with its benchmark.
 */
#include <string.h>
#include <sys/socket.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dp/dp.h"
#include "dp/fib.h"
#include "dp/mtu.h"
#include "dp/neigh.h"
#include "dp/session.h"

#define PPP_IP 0x0021
#define TUNNEL_OVERHEAD (20 + 8 + 6 + 4) /* IPv4, UDP, L2TP (no L/S/O), PPP */

/* Add the port's Ethernet header (and VLAN tag) to a packet that starts at IPv4. */
static enum lns_verdict eth_out(const struct lns_runtime *rt, struct rte_mbuf *m, unsigned port,
				const struct rte_ether_addr *dst)
{
	const struct lns_port *p = &rt->ports[port];
	unsigned l2 = sizeof(struct rte_ether_hdr) + (p->vlan >= 0 ? 4 : 0);
	uint8_t *out = (uint8_t *)rte_pktmbuf_prepend(m, (uint16_t)l2);
	struct {
		struct rte_ether_hdr eth;
		struct rte_vlan_hdr vlan;
	} h;

	if (out == NULL)
		return LNS_V_DROP_NO_HEADROOM;
	h.eth.dst_addr = *dst;
	h.eth.src_addr = p->mac;
	if (p->vlan >= 0) {
		h.eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_VLAN);
		h.vlan.vlan_tci = rte_cpu_to_be_16((uint16_t)p->vlan);
		h.vlan.eth_proto = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	} else {
		h.eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	}
	/* Built aside and copied: after a 3-octet PPP header (PFC with ff 03) the
	 * frame starts at an odd address, where rte_ether_hdr may not be written. */
	memcpy(out, &h, l2);
	m->port = p->port_id; /* from here on: the output port */
	return LNS_V_TX;
}

/* The outer IPv4 header of a tunnel, but its checksum. */
static void outer_ip(struct rte_ipv4_hdr *ip, rte_be32_t src, rte_be32_t dst, uint16_t len)
{
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16(len);
	ip->packet_id = 0;
	ip->fragment_offset = 0;
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->hdr_checksum = 0;
	ip->src_addr = src;
	ip->dst_addr = dst;
}

uint16_t lns_tunnel_csum_base(rte_be32_t local_ip, rte_be32_t peer_ip)
{
	struct rte_ipv4_hdr ip;

	outer_ip(&ip, local_ip, peer_ip, 0);
	return rte_raw_cksum(&ip, sizeof(ip)); /* folded, not complemented */
}

/* Into the session's tunnel: IPv4/UDP/L2TP/PPP in front of the packet. */
static struct lns_sess_ctr *ctr(struct lns_worker *w, const struct lns_dp_session *s)
{
	return &w->rt->sess_ctr[(size_t)w->idx * w->rt->n_slots + s->slot];
}

static enum lns_verdict encap(struct lns_worker *w, struct rte_mbuf *m,
			      const struct lns_dp_session *s);

/* Larger than the tunnel takes: an ICMP error, or fragments each sent in (dp/mtu.c). */
static enum lns_verdict encap_too_big(struct lns_worker *w, struct rte_mbuf *m,
				      const struct lns_dp_session *s)
{
	enum lns_verdict v = lns_too_big4(w, m, s->mtu);

	for (unsigned i = 0; v == LNS_V_FRAGS && i < w->n_frag; i++) {
		enum lns_verdict f = encap(w, w->frag[i], s);

		if (f != LNS_V_TX) {
			lns_frags_free(w);
			return f;
		}
	}
	return v;
}

static enum lns_verdict encap(struct lns_worker *w, struct rte_mbuf *m,
			      const struct lns_dp_session *s)
{
	const struct lns_runtime *rt = w->rt;
	struct lns_sess_ctr *c = ctr(w, s);
	struct rte_ether_addr mac;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint8_t *l2tp;
	uint32_t inner = rte_pktmbuf_pkt_len(m);

	enum lns_verdict v;

	lns_mss_clamp4(w, m, s->mtu);
	if (inner > s->mtu)
		return encap_too_big(w, m, s);
	if (lns_neigh_lookup(rt->neigh, s->port, AF_INET, &s->nh_ip, &mac) < 0)
		return LNS_V_DROP_NO_NEIGHBOUR;
	ip = (struct rte_ipv4_hdr *)rte_pktmbuf_prepend(m, TUNNEL_OVERHEAD);
	if (ip == NULL)
		return LNS_V_DROP_NO_HEADROOM;
	outer_ip(ip, s->local_ip, s->peer_ip, (uint16_t)(inner + TUNNEL_OVERHEAD));
	{
		/* Only the length differs from the session's precomputed sum. */
		uint32_t sum = (uint32_t)s->outer_csum + ip->total_length;

		sum = (sum & 0xffff) + (sum >> 16);
		ip->hdr_checksum = (rte_be16_t)~sum;
	}
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rt->l2tp_port;
	udp->dst_port = rte_cpu_to_be_16(s->peer_port);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(inner + TUNNEL_OVERHEAD - 20));
	udp->dgram_cksum = 0; /* optional over IPv4 (RFC 768); the inner packet has its own */
	l2tp = (uint8_t *)(udp + 1);
	l2tp[0] = 0x00; /* T=0, no L, S, O, P; version 2 */
	l2tp[1] = 0x02;
	l2tp[2] = (uint8_t)(s->peer_tid >> 8);
	l2tp[3] = (uint8_t)s->peer_tid;
	l2tp[4] = (uint8_t)(s->peer_sid >> 8);
	l2tp[5] = (uint8_t)s->peer_sid;
	l2tp[6] = 0xff;
	l2tp[7] = 0x03;
	l2tp[8] = PPP_IP >> 8;
	l2tp[9] = PPP_IP & 0xff;
	v = eth_out(rt, m, s->port, &mac);
	if (v == LNS_V_TX) { /* only what goes into the tunnel is the subscriber's traffic */
		c->down_pkts++;
		c->down_bytes += inner;
	}
	return v;
}

enum lns_verdict lns_route4(struct lns_worker *w, struct rte_mbuf *m)
{
	const struct lns_runtime *rt = w->rt;
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	const struct lns_nexthop *nh;
	struct rte_ether_addr mac;
	rte_be32_t gw;
	uint32_t v;

	if (ip->time_to_live <= 1) {
		m->hash.usr = LNS_PUNT_ICMP_TTL; /* for a Time Exceeded (dp/mtu.c) */
		return LNS_V_DROP_TTL;
	}
	if (lns_fib_lookup(rt->fib, ip->dst_addr, &v) < 0)
		return LNS_V_DROP_NO_ROUTE;
	/*
	 * TTL minus one: the checksum follows incrementally (RFC 1624 section 3:
	 * the TTL/protocol word drops by 0x0100, so the checksum rises by it, end
	 * around carry), not recomputed over the header. A packet that came with a
	 * wrong checksum keeps a wrong one, as a router should leave it.
	 */
	{
		uint32_t c = ip->hdr_checksum + (uint32_t)rte_cpu_to_be_16(0x0100);

		ip->hdr_checksum = (rte_be16_t)(c + (c >= 0xffff));
		ip->time_to_live--;
	}
	if (v & LNS_NH_SESSION) {
		const struct lns_dp_session *s = lns_session_by_slot(rt->sessions, v & ~LNS_NH_SESSION);

		/* Its /32 or a framed route; slots are reused only after a grace period. */
		if (s == NULL || s->mode != LNS_SESS_FORWARD)
			return LNS_V_DROP_NO_ROUTE;
		return encap(w, m, s);
	}
	nh = lns_fib_nexthop(rt->fib, v);
	if (nh == NULL)
		return LNS_V_DROP_NO_ROUTE;
	gw = nh->gw ? nh->gw : ip->dst_addr;
	/* A route's gateway MAC is kept in its next hop; only connected hosts are looked up. */
	if ((nh->gw == 0 || lns_nexthop_mac(nh, &mac) < 0) &&
	    lns_neigh_lookup(rt->neigh, nh->port, AF_INET, &gw, &mac) < 0) {
		/* The control lcore resolves it and sends the packet on (cp/ip_out.c). */
		m->hash.usr = LNS_PUNT_ROUTE;
		return LNS_V_PUNT;
	}
	if (rte_pktmbuf_pkt_len(m) > rt->ports[nh->port].mtu) {
		/* An ICMP error, or fragments each given their Ethernet header (dp/mtu.c). */
		enum lns_verdict v = lns_too_big4(w, m, rt->ports[nh->port].mtu);

		for (unsigned i = 0; v == LNS_V_FRAGS && i < w->n_frag; i++) {
			enum lns_verdict f = eth_out(rt, w->frag[i], nh->port, &mac);

			if (f != LNS_V_TX) {
				lns_frags_free(w);
				return f;
			}
		}
		return v;
	}
	return eth_out(rt, m, nh->port, &mac);
}

/*
 * An L2TP data message of a forwarding session, its L2TP header at off.
 * IPv4 inside is forwarded; anything else (LCP echo, IPCP, IPv6) goes to the
 * control lcore unchanged.
 */
enum lns_verdict lns_fwd_upstream(struct lns_worker *w, struct rte_mbuf *m,
				  const struct lns_dp_session *s, uint32_t off)
{
	struct lns_sess_ctr *c = ctr(w, s);
	uint32_t end = rte_pktmbuf_data_len(m), pos;
	const uint8_t *b = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_ipv4_hdr *ip;
	uint16_t flags, proto;
	uint32_t ihl, tot;

	/* RFC 2661 section 3.1: the data header's optional fields. */
	flags = (uint16_t)(b[off] << 8 | b[off + 1]);
	pos = off + 2 + ((flags & 0x4000) ? 2 : 0) + 4 + ((flags & 0x0800) ? 4 : 0);
	if (flags & 0x0200) {
		if (pos + 2 > end)
			return LNS_V_DROP_L2TP_MALFORMED;
		pos += 2u + (uint32_t)(b[pos] << 8 | b[pos + 1]);
	}
	/* RFC 1662: Address and Control may be absent; Protocol may be one octet. */
	if (pos + 2 <= end && b[pos] == 0xff && b[pos + 1] == 0x03)
		pos += 2;
	if (pos + 1 > end)
		return LNS_V_DROP_L2TP_MALFORMED;
	if (b[pos] & 1) {
		proto = b[pos];
		pos += 1;
	} else {
		if (pos + 2 > end)
			return LNS_V_DROP_L2TP_MALFORMED;
		proto = (uint16_t)(b[pos] << 8 | b[pos + 1]);
		pos += 2;
	}
	if (proto != PPP_IP)
		return LNS_V_PUNT;
	if (pos + sizeof(*ip) > end)
		return LNS_V_DROP_BAD_IP;
	ip = (const struct rte_ipv4_hdr *)(b + pos);
	ihl = (ip->version_ihl & 0x0f) * 4u;
	tot = rte_be_to_cpu_16(ip->total_length);
	if ((ip->version_ihl >> 4) != 4 || ihl < sizeof(*ip) || tot < ihl ||
	    pos + tot > rte_pktmbuf_pkt_len(m) || pos + ihl > end)
		return LNS_V_DROP_BAD_IP;
	if (ip->src_addr != s->sub_ip)
		return LNS_V_DROP_SPOOFED;
	rte_pktmbuf_adj(m, (uint16_t)pos);
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - tot);
	lns_mss_clamp4(w, m, s->mtu);
	{
		/* Counted when it leaves, or goes to the control lcore to be sent on. */
		enum lns_verdict v = lns_route4(w, m);

		if (v == LNS_V_TX || v == LNS_V_PUNT || v == LNS_V_FRAGS) {
			c->up_pkts++;
			c->up_bytes += tot;
		}
		return v;
	}
}

void lns_sess_ctr_sum(const struct lns_runtime *rt, uint32_t slot, struct lns_sess_ctr *out)
{
	memset(out, 0, sizeof(*out));
	if (slot >= rt->n_slots)
		return;
	for (unsigned w = 0; w < rt->n_workers; w++) {
		const struct lns_sess_ctr *c = &rt->sess_ctr[(size_t)w * rt->n_slots + slot];

		out->up_pkts += c->up_pkts;
		out->up_bytes += c->up_bytes;
		out->down_pkts += c->down_pkts;
		out->down_bytes += c->down_bytes;
	}
}
