/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The workers' side of ICMP Destination Unreachable (docs/dataplane.md): a
 * packet with no route is marked for an error (LNS_PUNT_ICMP_UNREACH,
 * LNS_PUNT_ICMP6_UNREACH in m->hash.usr), which the worker loop hands to the
 * control lcore through lns_icmp_punt() (dp/mtu.c) like the other ICMP
 * errors; and whether a subscriber's IPv6 packet is for lnsd itself. Worker
 * lcores only; each function reads the configuration and the FIB, and writes
 * nothing but the packet's hash.usr.
 */
#ifndef LNS_DP_UNREACH_H
#define LNS_DP_UNREACH_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>

#include "dp/dp.h"

/*
 * M (data at its IPv4 header, TTL as received) has no route: LNS_V_DROP_NO_ROUTE,
 * with the reason for a Destination Unreachable in m->hash.usr when
 * dataplane.icmp-unreachable is on: host unreachable (code 1) when its
 * destination lies in a pool (dp/fib.h: an address no session holds), net
 * unreachable (code 0) otherwise. Out of line: only dropped packets come here.
 */
enum lns_verdict lns_no_route4(struct lns_worker *w, struct rte_mbuf *m);

/* The same for IPv6 (M at its IPv6 header, hop limit as received): address unreachable
 * (code 3) when its destination lies in an IPv6 pool (dp/fib6.h: a prefix no session
 * holds), no route (code 0) otherwise. */
enum lns_verdict lns_no_route6(struct lns_worker *w, struct rte_mbuf *m);

/*
 * Whether A, a global unicast destination, is one of lnsd's own IPv6 addresses on any
 * port (a subscriber's packet to it goes to the control lcore: dp/fwd6.c). A few 16-octet
 * compares: lnsd has at most LNS_MAX_ADDRS addresses a port.
 */
static inline bool lns_ours6(const struct lns_runtime *rt, const uint8_t a[16])
{
	for (unsigned p = 0; p < rt->n_ports; p++)
		for (unsigned i = 0; i < rt->ports[p].n_v6; i++)
			if (memcmp(rt->ports[p].v6[i], a, 16) == 0)
				return true;
	return false;
}

#endif
