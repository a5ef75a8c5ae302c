/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 output of the control lcore (L2TP control messages to LACs, later
 * RADIUS-less replies and ICMP errors). Main lcore only. Finds the port and
 * next hop (a connected subnet, else the longest static route), the next
 * hop's MAC from the neighbour table, and sends on the control TX queue. A
 * packet for a next hop still being resolved waits in that neighbour's small
 * hold queue (cp/resolve.c), as an ARP cache does.
 */
#include <string.h>
#include <sys/socket.h>

#include <rte_ip.h>
#include <rte_udp.h>

#include "cp/cp.h"
#include "dp/neigh.h"

static bool in_subnet(rte_be32_t a, rte_be32_t net, unsigned plen)
{
	uint32_t mask = plen ? ~0u << (32 - plen) : 0;

	return ((rte_be_to_cpu_32(a) ^ rte_be_to_cpu_32(net)) & mask) == 0;
}

int cp_route4(struct lns_cp *cp, rte_be32_t dst, unsigned *port, rte_be32_t *nh)
{
	const struct lns_runtime *rt = cp->rt;
	const struct lns_config *cfg = rt->cfg;
	int best = -1;

	for (unsigned p = 0; p < rt->n_ports; p++) {
		for (unsigned i = 0; i < rt->ports[p].n_v4; i++) {
			if (in_subnet(dst, rt->ports[p].v4[i], rt->ports[p].v4_plen[i])) {
				*port = p;
				*nh = dst;
				return 0;
			}
		}
	}
	for (size_t i = 0; i < cfg->n_routes; i++) {
		const struct lns_route_cfg *r = &cfg->routes[i];

		if (r->prefix.family != AF_INET ||
		    !in_subnet(dst, r->prefix.v4.s_addr, r->prefix.plen))
			continue;
		if (best < 0 || r->prefix.plen > cfg->routes[best].prefix.plen)
			best = (int)i;
	}
	if (best < 0)
		return -ENETUNREACH;
	*port = (unsigned)cfg->routes[best].port;
	*nh = cfg->routes[best].via.v4.s_addr;
	return 0;
}

int cp_udp4_send(struct lns_cp *cp, rte_be32_t src, rte_be32_t dst, uint16_t sport,
		 uint16_t dport, const void *payload, size_t len)
{
	static const struct rte_ether_addr zero;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	struct rte_mbuf *m;
	struct rte_ether_addr mac;
	unsigned port;
	rte_be32_t nh;
	bool resolved;
	size_t tot = sizeof(*ip) + sizeof(*udp) + len;

	if (cp_route4(cp, dst, &port, &nh) < 0) {
		cp->c.drop_no_route++;
		return -ENETUNREACH;
	}
	if (tot > cp->rt->cfg->ports[cp->rt->ports[port].cfg_idx].mtu) {
		cp->c.drop_too_big++;
		return -EMSGSIZE;
	}
	resolved = lns_neigh_lookup(cp->rt->neigh, port, AF_INET, &nh, &mac) == 0;
	m = cp_new_frame(cp, port, resolved ? &mac : &zero, RTE_ETHER_TYPE_IPV4, (uint16_t)tot,
			 (void **)&ip);
	if (m == NULL)
		return -ENOMEM;
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)tot);
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = src;
	ip->dst_addr = dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + len));
	udp->dgram_cksum = 0;
	memcpy(udp + 1, payload, len);
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	if (resolved)
		return cp_tx(cp, port, m);
	return cp_neigh_hold(cp, port, AF_INET, &nh, m);
}

void cp_ip4_forward(struct lns_cp *cp, struct rte_mbuf *m)
{
	static const struct rte_ether_addr zero;
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	struct rte_ether_addr mac;
	unsigned port;
	rte_be32_t nh;

	if (rte_pktmbuf_data_len(m) < sizeof(*ip) || cp_route4(cp, ip->dst_addr, &port, &nh) < 0) {
		cp->c.drop_no_route++;
		rte_pktmbuf_free(m);
		return;
	}
	if (lns_neigh_lookup(cp->rt->neigh, port, AF_INET, &nh, &mac) == 0) {
		if (cp_eth_prepend(cp, port, m, &mac, RTE_ETHER_TYPE_IPV4) == 0) {
			cp_tx(cp, port, m);
			return;
		}
	} else if (cp_eth_prepend(cp, port, m, &zero, RTE_ETHER_TYPE_IPV4) == 0) {
		cp_neigh_hold(cp, port, AF_INET, &nh, m); /* the MAC goes in once resolved */
		return;
	}
	cp->c.drop_nomem++;
	rte_pktmbuf_free(m);
}
