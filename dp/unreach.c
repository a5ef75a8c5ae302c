/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Destination Unreachable, the workers' side (dp/unreach.h). Runs on worker
 * lcores; reads the configuration, the IPv4 FIB's rte_lpm and the IPv6 FIB's
 * trie, writes the packet's hash.usr. The never-answer rules and the rate
 * limit are applied when the worker loop acts on the verdict (dp/mtu.c
 * lns_icmp_punt), the error is built and sent by the control lcore
 * (cp/icmp_err.c).
 */
#include <rte_ip.h>
#include <rte_lpm.h>

#include "dp/fib.h"
#include "dp/fib6.h"
#include "dp/icmp.h"
#include "dp/unreach.h"

enum lns_verdict lns_no_route4(struct lns_worker *w, struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	uint8_t code = LNS_ICMP_NET_UNREACH;
	uint32_t nh;

	if (!w->rt->cfg->dataplane.icmp_unreachable)
		return LNS_V_DROP_NO_ROUTE;
	/*
	 * lns_fib_lookup() says only "no route"; rte_lpm itself says whether a
	 * pool's prefix covers the address (RFC 1812 5.2.7.1: the network is
	 * ours and reachable, the host is not). A second lookup, on a packet
	 * that is dropped anyway, rather than a wider lookup API for all.
	 */
	if (rte_lpm_lookup(w->rt->fib->lpm, rte_be_to_cpu_32(ip->dst_addr), &nh) == 0 &&
	    (nh & LNS_NH_POOL))
		code = LNS_ICMP_HOST_UNREACH;
	m->hash.usr = LNS_PUNT_WITH_CODE(LNS_PUNT_ICMP_UNREACH, code);
	return LNS_V_DROP_NO_ROUTE;
}

enum lns_verdict lns_no_route6(struct lns_worker *w, struct rte_mbuf *m)
{
	const struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	uint8_t code = LNS_ICMP6_NO_ROUTE;

	if (!w->rt->cfg->dataplane.icmp_unreachable)
		return LNS_V_DROP_NO_ROUTE;
	/* As for IPv4: the trie once more, to tell a pool's free prefix (RFC 4443 3.1
	 * address unreachable: the prefix is ours, nobody is there) from no route. */
	if (lns_fib6_in_pool(w->rt->fib6, ip->dst_addr))
		code = LNS_ICMP6_ADDR_UNREACH;
	m->hash.usr = LNS_PUNT_WITH_CODE(LNS_PUNT_ICMP6_UNREACH, code);
	return LNS_V_DROP_NO_ROUTE;
}
