/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The runtime the workers read: mbuf pool, punt ring, RCU variable, the
 * neighbour and session tables, per-session counters, the FIB. Built on the
 * main lcore after EAL start and before the workers start; freed after they
 * stop. Shared by lnsd and the benchmark (bench/), which must measure the very
 * same tables.
 */
#include <errno.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "app/app.h"
#include "cp/log.h"
#include "dp/fib.h"
#include "dp/fib6.h"
#include "dp/neigh.h"
#include "dp/session.h"

#define NEIGH_ENTRIES 65536

/* The prefixes the IPv6 pools' ranges take in the IPv6 FIB (lns_fib6_fill). */
static uint32_t pool6_blocks(const struct lns_config *cfg)
{
	uint64_t n = 0;

	for (size_t i = 0; i < cfg->n_pools; i++)
		for (size_t r = 0; cfg->pools[i].family == AF_INET6 && r < cfg->pools[i].n_ranges;
		     r++)
			n += lns_prefix6_blocks(cfg->pools[i].ranges[r].first.v6.s6_addr,
						cfg->pools[i].ranges[r].last.v6.s6_addr);
	return (uint32_t)RTE_MIN(n, (uint64_t)UINT32_MAX);
}

size_t lns_heap_used(void)
{
	struct rte_malloc_socket_stats st;
	size_t sum = 0;

	for (unsigned s = 0; s < rte_socket_count(); s++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(s), &st) == 0)
			sum += st.heap_allocsz_bytes;
	return sum;
}

int lns_runtime_init(struct lns_runtime *rt, const struct lns_config *cfg, unsigned mbufs,
		     struct lns_runtime_mem *mem)
{
	struct lns_runtime_mem m = {0};
	const struct lns_dataplane_cfg *dc = &cfg->dataplane;
	unsigned lc, w = 0;
	size_t sz;

	rt->cfg = cfg;
	rt->punt_efd = -1;
	rt->n_workers = rte_lcore_count() - 1;
	if (rt->n_workers == 0 || rt->n_workers > LNS_MAX_WORKERS) {
		LNS_LOG(ERR, app, "eal.lcores \"%s\" gives %u worker lcores; need 1 to %u",
			cfg->eal.lcores, rt->n_workers, LNS_MAX_WORKERS);
		return -EINVAL;
	}
	RTE_LCORE_FOREACH_WORKER (lc) {
		rt->workers[w].rt = rt;
		rt->workers[w].lcore = lc;
		rt->workers[w].idx = w;
		w++;
	}
	m.pool = lns_heap_used();
	rt->pool = rte_pktmbuf_pool_create("lns_mbufs", mbufs, dc->mbuf_cache, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (rt->pool == NULL) {
		LNS_LOG(ERR, app, "mbuf pool of %u: %s (raise eal.memory-mb?)", mbufs,
			rte_strerror(rte_errno));
		return -ENOMEM;
	}
	m.pool = lns_heap_used() - m.pool;
	rt->punt = rte_ring_create("lns_punt", dc->punt_ring_size, rte_socket_id(), RING_F_SC_DEQ);
	if (rt->punt == NULL)
		return -ENOMEM;
	rt->punt_efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (rt->punt_efd < 0)
		return -errno;
	sz = rte_rcu_qsbr_get_memsize(rt->n_workers);
	rt->qsbr = rte_zmalloc("lns_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (rt->qsbr == NULL || rte_rcu_qsbr_init(rt->qsbr, rt->n_workers) != 0)
		return -ENOMEM;
	m.neigh = lns_heap_used();
	rt->neigh = lns_neigh_table_create("lns_neigh", NEIGH_ENTRIES, rt->qsbr);
	if (rt->neigh == NULL)
		return -ENOMEM;
	m.neigh = lns_heap_used() - m.neigh;
	m.sessions = lns_heap_used();
	if (cfg->l2tp.max_sessions > LNS_NH_MAX_SLOTS + 1) {
		LNS_LOG(ERR, app, "l2tp.max-sessions %u: at most %u", cfg->l2tp.max_sessions,
			LNS_NH_MAX_SLOTS + 1);
		return -EINVAL;
	}
	rt->n_slots = lns_session_slots_for(cfg->l2tp.max_sessions, LNS_NH_MAX_SLOTS + 1);
	rt->sessions = lns_session_table_create(rt->n_slots, rt->qsbr);
	if (rt->sessions == NULL) {
		LNS_LOG(ERR, app, "session table of %u: out of memory (raise eal.memory-mb?)",
			rt->n_slots);
		return -ENOMEM;
	}
	lns_session_table_set_l2tp_port(rt->sessions, (uint16_t)cfg->l2tp.port);
	m.sessions = lns_heap_used() - m.sessions;
	rt->l2tp_port = rte_cpu_to_be_16((uint16_t)cfg->l2tp.port);
	m.sess_ctr = lns_heap_used();
	rt->sess_ctr =
		rte_zmalloc("sess_ctr", (size_t)rt->n_workers * rt->n_slots * sizeof(*rt->sess_ctr),
			    RTE_CACHE_LINE_SIZE);
	if (rt->sess_ctr == NULL) {
		LNS_LOG(ERR, app, "per-session counters: out of memory (raise eal.memory-mb?)");
		return -ENOMEM;
	}
	m.sess_ctr = lns_heap_used() - m.sess_ctr;
	rt->handoff = cfg->dataplane.handoff && rt->n_workers > 1;
	rt->sess_nta = lns_sess_nta(rt->n_slots, rt->n_workers);
	for (unsigned i = 0; rt->handoff && i < rt->n_workers; i++) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "lns_handoff%u", i);
		rt->workers[i].handoff = rte_ring_create(name, cfg->dataplane.handoff_ring_size,
							 rte_socket_id(), RING_F_SC_DEQ);
		if (rt->workers[i].handoff == NULL) {
			LNS_LOG(ERR, app, "hand-off ring of worker %u: %s", i,
				rte_strerror(rte_errno));
			return -ENOMEM;
		}
	}
	for (unsigned i = 0; i < rt->n_workers; i++)
		rt->workers[i].sctr = rt->sess_ctr + (size_t)i * rt->n_slots;
	/* One /32 per session plus routes; a tbl8 group per /24 that holds sessions. */
	m.fib = lns_heap_used();
	rt->fib = lns_fib_create("lns_fib4", cfg->l2tp.max_sessions + 1024,
				 RTE_MAX(256u, RTE_MIN(cfg->l2tp.max_sessions / 16, 16384u)),
				 rt->qsbr);
	if (rt->fib == NULL) {
		LNS_LOG(ERR, app, "FIB: out of memory (raise eal.memory-mb?)");
		return -ENOMEM;
	}
	m.fib = lns_heap_used() - m.fib;
	/* Sessions' /64s, delegated prefixes and framed IPv6 routes, as many as
	 * dataplane.ipv6-prefixes says; configured routes in a trie (dp/fib6.h). */
	m.fib6 = lns_heap_used();
	m.fib6_prefixes = lns_config_ipv6_prefixes(cfg);
	rt->fib6 = lns_fib6_create("lns_fib6", m.fib6_prefixes, 1024, pool6_blocks(cfg), rt->qsbr);
	if (rt->fib6 == NULL) {
		LNS_LOG(ERR, app,
			"IPv6 FIB of %u prefixes: out of memory (raise eal.memory-mb, or lower "
			"dataplane.ipv6-prefixes?)",
			m.fib6_prefixes);
		return -ENOMEM;
	}
	m.fib6 = lns_heap_used() - m.fib6;
	if (mem)
		*mem = m;
	return 0;
}

/* Connected subnets and static routes, once the ports are known. */
int lns_fib_fill(struct lns_runtime *rt)
{
	const struct lns_config *cfg = rt->cfg;

	for (unsigned i = 0; i < rt->n_ports; i++) {
		const struct lns_port *p = &rt->ports[i];

		for (unsigned a = 0; a < p->n_v4; a++) {
			struct lns_nexthop nh = {.port = (uint16_t)i, .gw = 0};
			uint32_t mask = p->v4_plen[a] ? ~0u << (32 - p->v4_plen[a]) : 0;
			rte_be32_t net = rte_cpu_to_be_32(rte_be_to_cpu_32(p->v4[a]) & mask);

			if (lns_fib_add_route(rt->fib, net, p->v4_plen[a], &nh) < 0)
				return -ENOSPC;
		}
	}
	/* Pools are routes to arrays of slots (dp/fib.h): a subscriber is one store. */
	for (size_t i = 0; i < cfg->n_pools; i++) {
		const struct lns_pool_cfg *pc = &cfg->pools[i];

		if (pc->family != AF_INET)
			continue;
		for (size_t r = 0; r < pc->n_ranges; r++)
			if (lns_fib_add_pool_range(rt->fib, pc->ranges[r].first.v4.s_addr,
						   pc->ranges[r].last.v4.s_addr) < 0)
				return -ENOSPC;
	}
	for (size_t i = 0; i < cfg->n_routes; i++) {
		const struct lns_route_cfg *r = &cfg->routes[i];
		struct lns_nexthop nh = {.port = (uint16_t)r->port, .gw = r->via.v4.s_addr};

		if (r->prefix.family != AF_INET)
			continue; /* lns_fib6_fill */
		if (lns_fib_add_route(rt->fib, r->prefix.v4.s_addr, r->prefix.plen, &nh) < 0)
			return -ENOSPC;
	}
	return lns_fib6_fill(rt);
}

/* The IPv6 part: connected subnets (not the link-local one), IPv6 static routes, pools. */
int lns_fib6_fill(struct lns_runtime *rt)
{
	const struct lns_config *cfg = rt->cfg;

	for (unsigned i = 0; i < rt->n_ports; i++) {
		const struct lns_port *p = &rt->ports[i];

		for (unsigned a = 0; a < p->n_v6; a++) {
			struct lns_nexthop6 nh = {.port = (uint16_t)i};
			uint8_t net[16];

			if (p->v6[a][0] == 0xfe && (p->v6[a][1] & 0xc0) == 0x80)
				continue; /* fe80::/10 is never routed */
			memcpy(net, p->v6[a], 16);
			lns_prefix6_mask(net, p->v6_plen[a]);
			if (lns_fib6_add_route(rt->fib6, net, p->v6_plen[a], &nh) < 0)
				return -ENOSPC;
		}
	}
	for (size_t i = 0; i < cfg->n_routes; i++) {
		const struct lns_route_cfg *r = &cfg->routes[i];
		struct lns_nexthop6 nh = {.port = (uint16_t)r->port};

		if (r->prefix.family != AF_INET6)
			continue;
		memcpy(nh.gw, &r->via.v6, 16);
		if (lns_fib6_add_route(rt->fib6, r->prefix.v6.s6_addr, r->prefix.plen, &nh) < 0)
			return -ENOSPC;
	}
	/* Pools are routes to nobody until a session holds a prefix (dp/fib6.h): a free one is
	 * dropped, not sent back toward the core. After the routes: the longest prefix wins,
	 * and on a tie the pool. */
	for (size_t i = 0; i < cfg->n_pools; i++) {
		const struct lns_pool_cfg *pc = &cfg->pools[i];

		if (pc->family != AF_INET6)
			continue;
		for (size_t r = 0; r < pc->n_ranges; r++) {
			unsigned replaced = 0;
			int ret = lns_fib6_add_pool_range(rt->fib6, pc->ranges[r].first.v6.s6_addr,
							  pc->ranges[r].last.v6.s6_addr, &replaced);

			if (ret < 0) {
				LNS_LOG(ERR, app, "pool \"%s\" ranges[%zu]: IPv6 FIB: %s", pc->name,
					r, rte_strerror(-ret));
				return ret;
			}
			if (replaced) /* the pool's now: say so, it may not be what was meant */
				LNS_LOG(WARNING, app,
					"pool \"%s\" ranges[%zu]: takes %u configured route(s) or "
					"subnet(s) of exactly the same prefix (a pool wins a tie)",
					pc->name, r, replaced);
		}
	}
	return 0;
}

void lns_runtime_fini(struct lns_runtime *rt)
{
	for (unsigned i = 0; i < rt->n_workers; i++) {
		struct rte_mbuf *m = NULL;

		if (rt->workers[i].handoff == NULL)
			continue;
		while (rte_ring_dequeue(rt->workers[i].handoff, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(rt->workers[i].handoff);
		rt->workers[i].handoff = NULL;
	}
	lns_fib6_free(rt->fib6);
	lns_fib_free(rt->fib);
	rte_free(rt->sess_ctr);
	lns_session_table_free(rt->sessions);
	lns_neigh_table_free(rt->neigh);
	rte_free(rt->qsbr);
	if (rt->punt_efd >= 0)
		close(rt->punt_efd);
	if (rt->punt) {
		struct rte_mbuf *m = NULL;

		while (rte_ring_dequeue(rt->punt, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(rt->punt);
	}
	rte_mempool_free(rt->pool);
}
