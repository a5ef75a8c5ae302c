/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour resolution state behind the workers' neighbour table. Main lcore
 * only. Keeps each neighbour's state (incomplete, reachable, stale), probes on
 * an rte_timer, and writes the resolved MAC into dp/neigh.c's lock-free table.
 *
 * Route next hops are pinned: resolved at start-up without waiting for
 * traffic and probed for as long as lnsd runs. Others (peers that talked to
 * us) are dropped after unanswered probes. A simplified RFC 4861 section 7.3
 * automaton, used for ARP too.
 */
#include <string.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "cp/cp.h"
#include "cp/log.h"
#include "cp/ppp.h"
#include "dp/fib.h"
#include "dp/fib6.h"
#include "dp/neigh.h"

#define REACHABLE_MS    30000 /* RFC 4861 REACHABLE_TIME */
#define PROBE_MS        1000  /* RETRANS_TIMER */
#define PINNED_RETRY_MS 5000
#define MAX_PROBES      3 /* MAX_MULTICAST_SOLICIT / MAX_UNICAST_SOLICIT */
#define TICK_MS         100

const char *cp_neigh_state_name(enum cp_neigh_state s)
{
	switch (s) {
	case NEIGH_INCOMPLETE:
		return "incomplete";
	case NEIGH_REACHABLE:
		return "reachable";
	case NEIGH_STALE:
		return "stale";
	}
	return "?";
}

static unsigned alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

static struct cp_neigh *find(struct lns_cp *cp, unsigned port, int family, const void *addr)
{
	for (unsigned i = 0; i < cp->n_neigh_hw; i++) {
		struct cp_neigh *n = &cp->neigh[i];

		if (n->used && n->port == port && n->family == family &&
		    memcmp(n->addr, addr, alen(family)) == 0)
			return n;
	}
	return NULL;
}

static struct cp_neigh *add(struct lns_cp *cp, unsigned port, int family, const void *addr)
{
	for (unsigned i = 0; i < LNS_CP_MAX_NEIGH; i++) {
		struct cp_neigh *n = &cp->neigh[i];

		if (n->used)
			continue;
		memset(n, 0, sizeof(*n));
		n->used = true;
		n->port = port;
		n->family = family;
		memcpy(n->addr, addr, alen(family));
		n->state = NEIGH_INCOMPLETE;
		if (i >= cp->n_neigh_hw)
			cp->n_neigh_hw = i + 1;
		return n;
	}
	LNS_LOG(WARNING, cp, "neighbour table full (%u entries)", LNS_CP_MAX_NEIGH);
	return NULL;
}

static void probe(struct lns_cp *cp, struct cp_neigh *n)
{
	if (n->family == AF_INET)
		cp_arp_probe(cp, n->port, n->addr);
	else
		cp_nd_probe(cp, n->port, n->addr, n->state == NEIGH_STALE, &n->mac);
	n->probes++;
}

static void drop_held(struct lns_cp *cp, struct cp_neigh *n)
{
	for (unsigned i = 0; i < n->n_held; i++) {
		rte_pktmbuf_free(n->held[i]);
		cp->c.drop_hold_full++;
	}
	n->n_held = 0;
}

static void flush_held(struct lns_cp *cp, struct cp_neigh *n)
{
	for (unsigned i = 0; i < n->n_held; i++) {
		struct rte_ether_hdr *eth = rte_pktmbuf_mtod(n->held[i], struct rte_ether_hdr *);

		eth->dst_addr = n->mac;
		cp_tx(cp, n->port, n->held[i]);
	}
	n->n_held = 0;
}

void cp_neigh_keep(struct lns_cp *cp, unsigned port, int family, const void *addr)
{
	struct cp_neigh *n = find(cp, port, family, addr);

	if (n == NULL) {
		n = add(cp, port, family, addr);
		if (n == NULL)
			return;
		probe(cp, n);
		n->next_probe_ms = cp_now_ms() + PROBE_MS;
	}
	n->pinned = true; /* re-probed, never forgotten: sessions are sent to it */
}

int cp_neigh_hold(struct lns_cp *cp, unsigned port, int family, const void *addr,
		  struct rte_mbuf *m)
{
	struct cp_neigh *n = find(cp, port, family, addr);

	if (n == NULL) {
		n = add(cp, port, family, addr);
		if (n == NULL) {
			rte_pktmbuf_free(m);
			cp->c.drop_hold_full++;
			return -ENOSPC;
		}
		probe(cp, n);
		n->next_probe_ms = cp_now_ms() + PROBE_MS;
	}
	if (n->state != NEIGH_INCOMPLETE) { /* resolved meanwhile */
		rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->dst_addr = n->mac;
		return cp_tx(cp, port, m);
	}
	if (n->n_held == CP_NEIGH_HOLD) { /* keep the newest, as ARP caches do */
		rte_pktmbuf_free(n->held[0]);
		memmove(n->held, n->held + 1, (CP_NEIGH_HOLD - 1) * sizeof(n->held[0]));
		n->n_held--;
		cp->c.drop_hold_full++;
	}
	n->held[n->n_held++] = m;
	return 0;
}

static void forget(struct lns_cp *cp, struct cp_neigh *n)
{
	cp->c.neigh_failed++;
	drop_held(cp, n);
	if (n->state != NEIGH_INCOMPLETE) {
		lns_neigh_del(cp->rt->neigh, n->port, n->family, n->addr);
		if (n->family == AF_INET) {
			rte_be32_t a;

			memcpy(&a, n->addr, 4);
			lns_fib_gateway_mac(cp->rt->fib, n->port, a, NULL);
			ppp_fwd_neigh_changed(cp, n->port, a);
		} else {
			lns_fib6_gateway_mac(cp->rt->fib6, n->port, n->addr, NULL);
		}
	}
	if (n->pinned) {
		n->state = NEIGH_INCOMPLETE;
		n->probes = 0;
		n->next_probe_ms = cp_now_ms() + PINNED_RETRY_MS;
	} else {
		n->used = false;
	}
}

void cp_neigh_learn(struct lns_cp *cp, unsigned port, int family, const void *addr,
		    const struct rte_ether_addr *mac, bool create)
{
	struct cp_neigh *n = find(cp, port, family, addr);

	if (n == NULL) {
		if (!create)
			return;
		n = add(cp, port, family, addr);
		if (n == NULL)
			return;
	}
	if (n->state == NEIGH_INCOMPLETE || !rte_is_same_ether_addr(&n->mac, mac)) {
		if (lns_neigh_set(cp->rt->neigh, port, family, addr, mac) < 0) {
			LNS_LOG(WARNING, cp, "worker neighbour table full");
			return;
		}
		if (family == AF_INET) { /* routes through it need no lookup per packet */
			rte_be32_t a;

			memcpy(&a, addr, 4);
			lns_fib_gateway_mac(cp->rt->fib, port, a, mac);
			ppp_fwd_neigh_changed(cp, port, a); /* tunnels' prebuilt headers */
		} else {
			lns_fib6_gateway_mac(cp->rt->fib6, port, addr, mac);
		}
		if (n->state == NEIGH_INCOMPLETE)
			cp->c.neigh_resolved++;
	}
	n->mac = *mac;
	n->state = NEIGH_REACHABLE;
	n->updated_ms = cp_now_ms();
	n->probes = 0;
	flush_held(cp, n);
}

static void tick(struct rte_timer *t, void *arg)
{
	struct lns_cp *cp = arg;
	uint64_t now = cp_now_ms();

	RTE_SET_USED(t);
	for (unsigned i = 0; i < cp->n_neigh_hw; i++) {
		struct cp_neigh *n = &cp->neigh[i];

		if (!n->used)
			continue;
		switch (n->state) {
		case NEIGH_REACHABLE:
			if (now - n->updated_ms < REACHABLE_MS)
				break;
			n->state = NEIGH_STALE;
			n->probes = 0;
			n->next_probe_ms = now;
			/* fall through */
		case NEIGH_STALE:
		case NEIGH_INCOMPLETE:
			if (now < n->next_probe_ms)
				break;
			if (n->probes >= MAX_PROBES) {
				forget(cp, n);
				break;
			}
			probe(cp, n);
			n->next_probe_ms = now + PROBE_MS;
			break;
		}
	}
}

int cp_neigh_init(struct lns_cp *cp)
{
	const struct lns_config *cfg = cp->rt->cfg;

	for (size_t i = 0; i < cfg->n_routes; i++) {
		const struct lns_route_cfg *r = &cfg->routes[i];
		struct cp_neigh *n = find(cp, r->port, r->via.family, &r->via.v4);

		if (n == NULL)
			n = add(cp, r->port, r->via.family, &r->via.v4);
		if (n == NULL)
			return -ENOSPC;
		n->pinned = true;
	}
	rte_timer_init(&cp->neigh_timer);
	return rte_timer_reset(&cp->neigh_timer, rte_get_timer_hz() * TICK_MS / 1000, PERIODICAL,
			       rte_lcore_id(), tick, cp);
}

void cp_neigh_fini(struct lns_cp *cp)
{
	rte_timer_stop_sync(&cp->neigh_timer);
	for (unsigned i = 0; i < cp->n_neigh_hw; i++)
		if (cp->neigh[i].used)
			drop_held(cp, &cp->neigh[i]);
}
