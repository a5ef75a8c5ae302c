/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 forwarding stages: a subscriber's IPv6 out of its PPP session (PPP
 * protocol 0x0057), IPv6 routing, and IPv6 from a port to a subscriber's
 * prefix or a next hop. Runs on worker lcores; reads the IPv6 FIB, the session
 * table and the neighbour table lock-free; writes only the packet and its own
 * per-session counters. The tunnel encapsulation is dp/fwd.c's (lns_encap).
 *
 *  Upstream, as received:                  Downstream, as sent:
 *  Eth | IPv4 | UDP | L2TP | PPP | IPv6    Eth | IPv4 | UDP 1701 | L2TP | ff03 0057 | IPv6
 *
 * What a subscriber sends to a link-local or multicast address (router and
 * neighbour solicitations, MLD) is the control lcore's business: punted as
 * received. Anything else must come from a prefix routed to the sending
 * session: one FIB lookup of the source must name the session's own slot
 * (RFC 3704-style strict reverse-path check; a link-local source never
 * passes, so it cannot reach beyond the link).
 *
 * No checksum in IPv6: routing is the hop limit, minus one. IPv6 is not
 * fragmented on the way: too big gets a Packet Too Big, as an expired hop
 * limit a Time Exceeded, from the control lcore (the LNS_PUNT_ICMP6_* reasons
 * in m->hash.usr, dp/mtu.c lns_icmp_punt). Staged with IPv4 (dp/fwd.c
 * lns_process_burst): a burst's IPv6 lookups are made together
 * (lns_fwd6_lookups) before any of its packets is handled.
 */
#include <string.h>
#include <sys/socket.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dp/dp.h"
#include "dp/fib6.h"
#include "dp/mtu.h"
#include "dp/neigh.h"
#include "dp/session.h"
#include "dp/unreach.h"

static bool is_multicast(const uint8_t a[16])
{
	return a[0] == 0xff;
}

static bool is_link_local(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80; /* fe80::/10 */
}

static bool is_zero(const uint8_t a[16])
{
	static const uint8_t zero[16];

	return memcmp(a, zero, 16) == 0;
}

/* :: and ::1 (RFC 4291 section 2.5.2, 2.5.3): never a destination a router forwards to. */
static bool is_unspec_or_loopback(const uint8_t a[16])
{
	static const uint8_t zero[15];

	return memcmp(a, zero, 15) == 0 && a[15] <= 1;
}

enum lns_verdict lns_route6(struct lns_worker *w, struct rte_mbuf *m, uint32_t v)
{
	const struct lns_runtime *rt = w->rt;
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv6_hdr *);
	const struct lns_nexthop6 *nh;
	struct rte_ether_addr mac;
	const uint8_t *gw;

	if (is_multicast(ip->dst_addr) || is_link_local(ip->dst_addr) ||
	    is_unspec_or_loopback(ip->dst_addr))
		return LNS_V_DROP_NO_ROUTE;
	if (ip->hop_limits <= 1) {
		m->hash.usr = LNS_PUNT_ICMP6_HOP_LIMIT; /* for a Time Exceeded */
		return LNS_V_DROP_TTL;
	}
	if (v == LNS_PCTX_NO_ROUTE)
		return lns_no_route6(w, m); /* for a Destination Unreachable (dp/unreach.c) */
	ip->hop_limits--;
	if (v & LNS_NH_SESSION) {
		uint32_t slot = v & ~LNS_NH_SESSION;
		struct lns_dp_down d;

		/* Its /64 or delegated prefix; slots are reused only after a grace period. */
		if (slot >= rt->sessions->n_slots)
			return LNS_V_DROP_NO_ROUTE;
		lns_session_read_down(lns_session_entry(rt->sessions, slot), &d);
		if (d.mode != LNS_SESS_FORWARD)
			return LNS_V_DROP_NO_ROUTE;
		lns_mss_clamp6(w, m, d.mtu);
		return lns_encap(w, m, slot, &d, LNS_PPP_IPV6);
	}
	nh = lns_fib6_nexthop(rt->fib6, v);
	if (nh == NULL)
		return LNS_V_DROP_NO_ROUTE;
	gw = is_zero(nh->gw) ? ip->dst_addr : nh->gw; /* zero: connected */
	/* A route's gateway MAC is kept in its next hop; only connected hosts are looked up. */
	if ((gw == ip->dst_addr || lns_nexthop6_mac(nh, &mac) < 0) &&
	    lns_neigh_lookup(rt->neigh, nh->port, AF_INET6, gw, &mac) < 0) {
		/* The control lcore resolves it and sends the packet on (cp/ip6_out.c). */
		m->hash.usr = LNS_PUNT_ROUTE6;
		return LNS_V_PUNT;
	}
	if (rte_pktmbuf_pkt_len(m) > rt->ports[nh->port].mtu) {
		m->hash.usr = LNS_PUNT_WITH_MTU(LNS_PUNT_ICMP6_TOO_BIG, rt->ports[nh->port].mtu);
		return LNS_V_DROP_TOO_BIG;
	}
	return lns_eth_out(rt, m, nh->port, &mac, RTE_ETHER_TYPE_IPV6);
}

/*
 * An IPv6 packet in the PPP frame of the forwarding session in SLOT, its
 * header at x->ip_off (dp/classify.c parse_up found it, dp/fwd.c upstream() the
 * session).
 */
enum lns_verdict lns_fwd6_upstream(struct lns_worker *w, struct rte_mbuf *m, uint32_t slot,
				   const struct lns_pctx *x, uint16_t mtu)
{
	const struct rte_ipv6_hdr *ip;
	uint32_t off = x->ip_off, tot;

	if (off + sizeof(*ip) > rte_pktmbuf_data_len(m))
		return LNS_V_DROP_BAD_IP;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, off);
	tot = sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);
	if ((rte_be_to_cpu_32(ip->vtc_flow) >> 28) != 6 || off + tot > rte_pktmbuf_pkt_len(m))
		return LNS_V_DROP_BAD_IP;
	/* Router/neighbour solicitations, MLD, pings of our link-local address. */
	if (is_multicast(ip->dst_addr) || is_link_local(ip->dst_addr))
		return LNS_V_PUNT;
	if (x->nh6_src != (LNS_NH_SESSION | slot))
		return LNS_V_DROP_SPOOFED;
	/* For lnsd itself (a ping of its core address): as received, as IPv4 (dp/fwd.c). */
	if (unlikely(lns_ours6(w->rt, ip->dst_addr)))
		return LNS_V_PUNT;
	rte_pktmbuf_adj(m, (uint16_t)off);
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - tot);
	lns_mss_clamp6(w, m, mtu);
	{
		/* Counted when it leaves, or goes to the control lcore to be sent on. */
		enum lns_verdict verdict = lns_route6(w, m, x->nh);

		if ((verdict == LNS_V_TX || verdict == LNS_V_PUNT) &&
		    !lns_session_count_up(w->rt->sessions, slot, w->idx, tot)) {
			struct lns_sess_ctr *c = &w->sctr[slot];

			c->up_pkts++;
			c->up_bytes += tot;
		}
		return verdict;
	}
}

/*
 * A valid IPv6 frame on port p (header at off) for none of our addresses:
 * routed when it was sent to our MAC and to a unicast, global destination.
 */
enum lns_verdict lns_fwd6_transit(const struct lns_port *p, struct rte_mbuf *m, uint32_t off,
				  struct lns_pctx *x)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, off);
	uint32_t tot = sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);

	if (!rte_is_same_ether_addr(&eth->dst_addr, &p->mac) || is_multicast(ip->dst_addr) ||
	    is_link_local(ip->dst_addr))
		return LNS_V_DROP_NOT_FOR_US;
	rte_pktmbuf_adj(m, (uint16_t)off);
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - tot);
	x->kind = LNS_PK_ROUTE6; /* its lookup with the burst's (lns_fwd6_lookups) */
	return LNS_V_PENDING;
}

/* The burst lookup's "none" is the stages' (dp/dp.h): its answers go into lns_pctx as they are. */
_Static_assert(LNS_FIB6_NO_ROUTE == LNS_PCTX_NO_ROUTE, "one value for no route");

void lns_fwd6_lookups(struct lns_worker *w, struct rte_mbuf **pkts, struct lns_pctx *x,
		      const uint16_t *fast, uint16_t n)
{
	const struct lns_runtime *rt = w->rt;
	const uint8_t *a[2 * n];
	uint32_t r[2 * n];
	uint16_t who[n];
	unsigned na = 0, nw = 0;

	for (uint16_t k = 0; k < n; k++) {
		struct lns_pctx *c = &x[fast[k]];
		struct rte_mbuf *m = pkts[fast[k]];

		if (c->kind == LNS_PK_ROUTE6) {
			a[na++] = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *)->dst_addr;
			who[nw++] = fast[k];
		} else if (c->kind == LNS_PK_UP && c->inner6) {
			const struct rte_ipv6_hdr *ip;

			c->nh = c->nh6_src = LNS_PCTX_NO_ROUTE;
			/* lns_fwd6_upstream checks the rest; a short one goes no further */
			if (c->slot == LNS_SESSION_SLOT_NONE ||
			    c->ip_off + sizeof(*ip) > rte_pktmbuf_data_len(m))
				continue;
			ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, c->ip_off);
			a[na++] = ip->src_addr;
			a[na++] = ip->dst_addr;
			who[nw++] = fast[k];
		}
	}
	if (na == 0)
		return;
	lns_fib6_lookup_burst(rt->fib6, a, na, r);
	na = 0;
	for (unsigned j = 0; j < nw; j++) {
		struct lns_pctx *c = &x[who[j]];

		if (c->kind == LNS_PK_UP) {
			c->nh6_src = r[na++];
			c->nh = r[na++];
			continue;
		}
		c->nh = r[na++];
		if (c->nh != LNS_PCTX_NO_ROUTE && (c->nh & LNS_NH_SESSION)) {
			uint32_t slot = c->nh & ~LNS_NH_SESSION;

			lns_session_prefetch_down(rt->sessions, slot, &w->sctr[slot], rt->sess_nta);
		}
	}
}
