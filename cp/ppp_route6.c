/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A session's IPv6 prefixes into the workers' IPv6 FIB (dp/fib6.h): its
 * link's /64 and its delegated prefix (cp/ppp_fwd.c), and its framed IPv6
 * routes (RADIUS Framed-IPv6-Route, cp/framed_route6.c), while IPv6CP is
 * open. Main lcore only; the FIB's only writer while workers read it
 * lock-free. Each names the session's slot, so sources inside any of them
 * pass the workers' spoofing check (dp/fwd6.c: one FIB lookup of the source
 * must name the session) and packets to them go into its tunnel. A prefix the
 * FIB refuses (routed already, or no room left: dataplane.ipv6-prefixes) is
 * logged and counted; the session goes on without it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "cp/cp.h"
#include "cp/log.h"
#include "cp/ppp.h"
#include "dp/fib6.h"

bool ppp_route6_add(struct ppp_session *p, const uint8_t a[16], uint8_t plen, const char *what)
{
	struct lns_fib6 *f = p->cp->rt->fib6;
	int ret = lns_fib6_add_session_route(f, a, plen, p->ls->slot);
	char s[INET6_ADDRSTRLEN], why[96];

	if (ret == 0)
		return true;
	if (ret == -EEXIST) {
		snprintf(why, sizeof(why),
			 "the prefix is routed already, or holds a configured route");
	} else if (ret == -ENOSPC) {
		p->cp->ppp_c.ipv6_prefix_table_full++;
		snprintf(
			why, sizeof(why),
			"no room in the IPv6 prefix table (dataplane.ipv6-prefixes: %u, %u in use)",
			f->max_pfx, f->n_pfx);
	} else {
		snprintf(why, sizeof(why), "%s", strerror(-ret));
	}
	inet_ntop(AF_INET6, a, s, sizeof(s));
	LNS_LOG(WARNING, cp, "session %u/%u: %s %s/%u not routed: %s", p->ls->t->tid, p->ls->sid,
		what, s, plen, why);
	return false;
}

void ppp_routes6_up(struct ppp_session *p)
{
	for (unsigned i = 0; i < p->n_routes6; i++) {
		struct framed_route6 *r = &p->routes6[i];
		char a[INET6_ADDRSTRLEN];

		r->routed = ppp_route6_add(p, r->prefix, r->plen, "framed IPv6 route");
		if (!r->routed) {
			p->cp->ppp_c.framed_ipv6_routes_refused++;
			continue;
		}
		p->cp->ppp_c.framed_ipv6_routes++;
		inet_ntop(AF_INET6, r->prefix, a, sizeof(a));
		LNS_LOG(INFO, cp, "session %u/%u: framed IPv6 route %s/%u", p->ls->t->tid,
			p->ls->sid, a, r->plen);
	}
}

void ppp_routes6_down(struct ppp_session *p)
{
	for (unsigned i = 0; i < p->n_routes6; i++) {
		struct framed_route6 *r = &p->routes6[i];

		if (r->routed)
			lns_fib6_del_session_route(p->cp->rt->fib6, r->prefix, r->plen);
		r->routed = false;
	}
}
