/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 output of the control lcore for packets the workers routed but could
 * not send: their next hop's MAC was unknown (dp/fwd6.c, LNS_PUNT_ROUTE6).
 * Main lcore only. The IPv6 counterpart of cp_ip4_forward (cp/ip_out.c):
 * finds the port and next hop (a connected subnet, else the longest static
 * route), sends at once if the neighbour is known meanwhile, else holds the
 * packet in that neighbour's small queue while Neighbor Solicitations go out
 * (cp/resolve.c, cp/ipv6.c).
 */
#include <string.h>
#include <sys/socket.h>

#include <rte_ip.h>

#include "cp/cp.h"
#include "dp/fib6.h"
#include "dp/neigh.h"

static bool in_subnet6(const uint8_t a[16], const uint8_t net[16], unsigned plen)
{
	unsigned full = plen / 8, rest = plen % 8;

	return memcmp(a, net, full) == 0 &&
	       (rest == 0 || ((a[full] ^ net[full]) & (0xff << (8 - rest))) == 0);
}

static bool is_link_local(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

int cp_route6(struct lns_cp *cp, const uint8_t dst[16], unsigned *port, uint8_t nh[16])
{
	const struct lns_runtime *rt = cp->rt;
	const struct lns_config *cfg = rt->cfg;
	int best = -1;

	for (unsigned p = 0; p < rt->n_ports; p++) {
		for (unsigned i = 0; i < rt->ports[p].n_v6; i++) {
			if (is_link_local(rt->ports[p].v6[i]))
				continue; /* every port has one: says nothing about the way */
			if (in_subnet6(dst, rt->ports[p].v6[i], rt->ports[p].v6_plen[i])) {
				*port = p;
				memcpy(nh, dst, 16);
				return 0;
			}
		}
	}
	/* A pool's prefix nobody holds (subscribers' are found before this is asked): no
	 * route, as the workers decide (dp/fib6.h), rather than toward the core, whose route
	 * for the pool would bring it back. */
	if (rt->fib6 && lns_fib6_in_pool(rt->fib6, dst))
		return -ENETUNREACH;
	for (size_t i = 0; i < cfg->n_routes; i++) {
		const struct lns_route_cfg *r = &cfg->routes[i];

		if (r->prefix.family != AF_INET6 ||
		    !in_subnet6(dst, r->prefix.v6.s6_addr, r->prefix.plen))
			continue;
		if (best < 0 || r->prefix.plen > cfg->routes[best].prefix.plen)
			best = (int)i;
	}
	if (best < 0)
		return -ENETUNREACH;
	*port = (unsigned)cfg->routes[best].port;
	memcpy(nh, cfg->routes[best].via.v6.s6_addr, 16);
	return 0;
}

void cp_ip6_forward(struct lns_cp *cp, struct rte_mbuf *m)
{
	static const struct rte_ether_addr zero;
	const struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	struct rte_ether_addr mac;
	unsigned port;
	uint8_t nh[16];

	if (rte_pktmbuf_data_len(m) < sizeof(*ip) || cp_route6(cp, ip->dst_addr, &port, nh) < 0) {
		cp->c.drop_no_route++;
		rte_pktmbuf_free(m);
		return;
	}
	if (lns_port_has_v6(&cp->rt->ports[port], ip->dst_addr)) {
		/* To us, by way of a subscriber's routing (no neighbour to find). */
		cp->c.drop_unhandled++;
		rte_pktmbuf_free(m);
		return;
	}
	if (lns_neigh_lookup(cp->rt->neigh, port, AF_INET6, nh, &mac) == 0) {
		if (cp_eth_prepend(cp, port, m, &mac, RTE_ETHER_TYPE_IPV6) == 0) {
			cp_tx(cp, port, m);
			return;
		}
	} else if (cp_eth_prepend(cp, port, m, &zero, RTE_ETHER_TYPE_IPV6) == 0) {
		cp_neigh_hold(cp, port, AF_INET6, nh, m); /* the MAC goes in once resolved */
		return;
	}
	cp->c.drop_nomem++;
	rte_pktmbuf_free(m);
}
