/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The benchmark's runtime: the struct lns_runtime lnsd would build from
 * bench/bench.yaml, on two net_ring ports made from rings the main lcore
 * feeds and drains, with N subscriber sessions published as the control
 * plane publishes them (cp/ppp_fwd.c). Main lcore only, before the worker
 * starts.
 *
 * The runtime is lnsd's own (app/runtime.c: lns_runtime_init, lns_fib_fill,
 * lns_port_fill); only the ports differ: net_ring on rings of our own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_lpm.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "bench/bench.h"
#include "app/app.h"
#include "dp/fib.h"
#include "dp/fib6.h"
#include "dp/neigh.h"
#include "dp/mac64.h"
#include "dp/session.h"

/*
 * With several workers, the ports' burst functions become these, on the same
 * rings. net_ring keeps each queue's packet counts in an array of small
 * structs, several queues to a cache line, and writes them on every burst:
 * workers on neighbouring queues of one port would pass that line between
 * their cores on every burst (measured: the I/O floor went from 3 to 24 cycles
 * a packet with two workers), which no NIC's queues do. These keep each
 * queue on a line of its own and count nothing. DPDK's driver headers, where
 * a PMD of our own would start, are not installed by Debian; ethdev's
 * fast-path table (rte_ethdev_core.h) is public, and its RX callbacks, which
 * the benchmark's timing relies on, are called as before.
 */
struct bench_q {
	struct rte_ring *r;
} __rte_cache_aligned;

static struct bench_q bench_rxq[BENCH_PORTS][BENCH_QUEUES], bench_txq[BENCH_PORTS][BENCH_QUEUES];
static void *bench_rxq_ptr[BENCH_PORTS][BENCH_QUEUES], *bench_txq_ptr[BENCH_PORTS][BENCH_QUEUES];

static uint16_t bench_rx(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	return (uint16_t)rte_ring_sc_dequeue_burst(((struct bench_q *)q)->r, (void **)pkts, n,
						   NULL);
}

static uint16_t bench_tx(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	return (uint16_t)rte_ring_sp_enqueue_burst(((struct bench_q *)q)->r, (void **)pkts, n,
						   NULL);
}

/* Port IDX's queues as above (after rte_eth_dev_start(), which fills the table). */
static void own_queues(struct bench_env *e, unsigned idx, uint16_t port_id)
{
	struct rte_eth_fp_ops *fp = &rte_eth_fp_ops[port_id];

	for (unsigned q = 0; q < e->nq; q++) {
		bench_rxq[idx][q].r = e->rxr[idx][q];
		bench_txq[idx][q].r = e->txr[idx][q];
		bench_rxq_ptr[idx][q] = &bench_rxq[idx][q];
		bench_txq_ptr[idx][q] = &bench_txq[idx][q];
	}
	fp->rxq.data = bench_rxq_ptr[idx];
	fp->txq.data = bench_txq_ptr[idx];
	fp->rx_pkt_burst = bench_rx;
	fp->tx_pkt_burst = bench_tx;
}
/* The core router's IPv6 address (bench/bench.yaml's route ::/0 via it). */
static const uint8_t bench_core_router6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0xfe};

/* As port_start() in app/ports.c, on a net_ring port of our own rings. */
static int port_start(struct bench_env *e, unsigned idx, char *err, size_t errlen)
{
	struct lns_runtime *rt = e->rt;
	const struct lns_port_cfg *pc = &e->cfg->ports[idx];
	struct lns_port *p = &rt->ports[idx];
	unsigned nq = e->nq;
	struct rte_eth_conf conf = {.rxmode = {.mtu = pc->mtu}};
	char name[RTE_RING_NAMESIZE];
	int ret, id;

	for (unsigned q = 0; q < nq; q++) {
		snprintf(name, sizeof(name), "b_rx%u_%u", idx, q);
		e->rxr[idx][q] = rte_ring_create(name, BENCH_RING_SIZE, rte_socket_id(),
						 RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "b_tx%u_%u", idx, q);
		e->txr[idx][q] = rte_ring_create(name, BENCH_RING_SIZE, rte_socket_id(),
						 RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (e->rxr[idx][q] == NULL || e->txr[idx][q] == NULL) {
			snprintf(err, errlen, "ring %s: %s", name, rte_strerror(rte_errno));
			return -ENOMEM;
		}
	}
	id = rte_eth_from_rings(pc->device, e->rxr[idx], nq, e->txr[idx], nq, rte_socket_id());
	if (id < 0) {
		snprintf(err, errlen, "net_ring %s: %s", pc->device, rte_strerror(rte_errno));
		return -EINVAL;
	}
	p->port_id = (uint16_t)id;
	ret = rte_eth_dev_configure(p->port_id, nq, nq, &conf);
	for (unsigned q = 0; ret == 0 && q < nq; q++) {
		ret = rte_eth_rx_queue_setup(p->port_id, q, 1024, rte_socket_id(), NULL, rt->pool);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(p->port_id, q, 1024, rte_socket_id(), NULL);
	}
	if (ret == 0)
		ret = rte_eth_dev_start(p->port_id);
	if (ret < 0) {
		snprintf(err, errlen, "port %s: %s", pc->name, rte_strerror(-ret));
		return ret;
	}
	/* net_ring keeps no MAC of its own worth having: take the configured one. */
	if (pc->has_mac)
		memcpy(p->mac.addr_bytes, pc->mac, 6);
	else
		rte_eth_macaddr_get(p->port_id, &p->mac);
	if (rt->n_workers > 1)
		own_queues(e, idx, p->port_id);
	ret = lns_port_fill(rt, idx, p->port_id, nq);
	if (ret < 0)
		snprintf(err, errlen, "port %s: too many queues", pc->name);
	return ret;
}

/* The control plane's part once a session's IPCP is up (cp/ppp_fwd.c publish()). */
static int sessions_publish(struct bench_env *e, char *err, size_t errlen)
{
	struct lns_runtime *rt = e->rt;
	const struct lns_port *acc = &rt->ports[0];
	uint64_t t0 = rte_rdtsc();
	size_t h = lns_heap_used();
	uint16_t hint = 1;

	for (uint32_t i = 0; i < e->n_sess; i++) {
		struct lns_dp_session s = {0};
		unsigned room = acc->mtu > 38 ? acc->mtu - 38u : 0;
		int ret;

		s.tid = bench_tid(e, i);
		if (i % e->spt == 0)
			hint = 1; /* a new tunnel */
		/* cp/l2tp_session.c: the session ID is the one that names a free slot */
		s.slot = lns_session_slot_alloc(rt->sessions, s.tid, hint, &s.sid);
		if (s.slot == LNS_SESSION_SLOT_NONE) {
			snprintf(err, errlen, "session %u: no slot left for tunnel %u", i, s.tid);
			return -ENOSPC;
		}
		hint = (uint16_t)(s.sid + 1);
		e->sid[i] = s.sid;
		s.peer_tid = bench_peer_tid(e, i);
		s.peer_sid = bench_peer_sid(e, i);
		s.local_ip = rte_cpu_to_be_32(BENCH_LNS_ACC_IP);
		s.peer_ip = bench_lac_ip(e, i);
		s.peer_port = 1701;
		s.port = 0;
		s.nh_ip = rte_cpu_to_be_32(BENCH_ACC_ROUTER); /* 10/8 is behind it */
		/* resolved, as cp/ppp_fwd.c publishes a session whose LAC it just heard from */
		s.lac_mac = lns_mac64(&e->acc_router_mac);
		s.mode = LNS_SESS_FORWARD;
		s.sub_ip = bench_sub_ip(i);
		s.mtu = (uint16_t)RTE_MIN(1500u, room);
		e->slot[i] = s.slot;
		ret = lns_session_publish(rt->sessions, &s);
		if (ret < 0) {
			snprintf(err, errlen,
				 "session %u of %u: lns_session_publish: %s (the session table "
				 "holds l2tp.max-sessions = %u)",
				 i, e->n_sess, strerror(-ret), e->cfg->l2tp.max_sessions);
			return ret;
		}
	}
	e->mem_sess_entries = lns_heap_used() - h;
	e->t_publish_s = (double)(rte_rdtsc() - t0) / (double)rte_get_tsc_hz();
	return 0;
}

/*
 * The direct fill against rte_lpm_add(): build a second FIB the direct way
 * and compare rte_lpm's lookup tables byte for byte. 1 same, 0 not, <0 error.
 */
static int fib_selftest(struct bench_env *e, char *err, size_t errlen)
{
	struct lns_runtime *rt = e->rt;
	struct lns_fib *api = rt->fib, *direct;
	uint32_t max = e->cfg->l2tp.max_sessions;
	uint32_t n_tbl8 = RTE_MAX(256u, RTE_MIN(max / 16, 16384u));
	int ret;

	direct = lns_fib_create("lns_fib4_check", max + 1024, n_tbl8, NULL);
	if (direct == NULL) {
		snprintf(err, errlen, "FIB self-test: out of memory");
		return -ENOMEM;
	}
	rt->fib = direct;
	ret = lns_fib_fill(rt);
	if (ret == 0)
		ret = bench_fib_fill_direct(e, err, errlen);
	if (ret == 0)
		ret = memcmp(api->lpm->tbl24, direct->lpm->tbl24, sizeof(api->lpm->tbl24)) == 0 &&
		      memcmp(api->lpm->tbl8, direct->lpm->tbl8,
			     (size_t)n_tbl8 * RTE_LPM_TBL8_GROUP_NUM_ENTRIES *
				     sizeof(api->lpm->tbl8[0])) == 0;
	rt->fib = api;
	lns_fib_free(direct);
	return ret;
}

static int fib_sessions(struct bench_env *e, char *err, size_t errlen)
{
	uint64_t t0 = rte_rdtsc();
	size_t h = lns_heap_used();
	int ret = 0;

	if (e->fib_direct) {
		ret = bench_fib_fill_direct(e, err, errlen);
	} else {
		for (uint32_t i = 0; i < e->n_sess && ret == 0; i++) {
			ret = lns_fib_add_session(e->rt->fib, bench_sub_ip(i), e->slot[i]);
			if (ret < 0)
				snprintf(err, errlen, "session %u: lns_fib_add_session: %s", i,
					 strerror(-ret));
		}
	}
	e->mem_fib_fill = lns_heap_used() - h;
	e->t_fib_s = (double)(rte_rdtsc() - t0) / (double)rte_get_tsc_hz();
	/* The direct tables are rte_lpm /32s: comparable only where no pool takes the addresses
	 * (dp/fib.h), so only then. */
	if (ret == 0 && !e->fib_direct && e->rt->fib->n_pool == 0) {
		e->fib_selftest = fib_selftest(e, err, errlen);
		if (e->fib_selftest < 0)
			return e->fib_selftest;
	}
	return ret;
}

/*
 * The control plane's part once a session's IPv6CP is up too (cp/ppp_fwd.c ppp_fwd6_up(),
 * cp/ppp_route6.c): the same entry (a dual-stack session is published once, its IPv4
 * address in it), and its link's /64 from the links' pool to its slot in the IPv6 FIB, the
 * one route of its own a session has here (no delegated-prefix pool, no RADIUS: as
 * dataplane.ipv6-prefixes: auto sizes the table for bench/bench.yaml).
 */
static int fib6_sessions(struct bench_env *e, char *err, size_t errlen)
{
	uint64_t t0 = rte_rdtsc();

	for (uint32_t i = 0; i < e->n_sess; i++) {
		uint8_t pfx[16];
		int ret;

		bench_sub6_prefix(i, pfx);
		ret = lns_fib6_add_session_route(e->rt->fib6, pfx, 64, e->slot[i]);
		if (ret < 0) {
			snprintf(err, errlen, "session %u: lns_fib6_add_session_route: %s", i,
				 strerror(-ret));
			return ret;
		}
	}
	e->t_fib6_s = (double)(rte_rdtsc() - t0) / (double)rte_get_tsc_hz();
	return 0;
}

int bench_env_init(struct bench_env *e, const char *cfg_file, uint32_t n_sess, uint32_t spt,
		   int fib_direct, char *err, size_t errlen)
{
	static const struct rte_ether_addr acc_router = {{0x02, 0xac, 0, 0, 0, 0xfe}};
	static const struct rte_ether_addr core_router = {{0x02, 0xc0, 0, 0, 0, 0xfe}};
	rte_be32_t a;
	int ret;

	e->cfg = lns_config_load(cfg_file, err, errlen);
	if (e->cfg == NULL)
		return -EINVAL;
	if (e->cfg->n_ports != BENCH_PORTS) {
		snprintf(err, errlen, "%s: the benchmark needs exactly two ports", cfg_file);
		return -EINVAL;
	}
	e->cfg->l2tp.max_sessions = n_sess;
	e->n_sess = n_sess;
	e->spt = spt;
	e->fib_direct = fib_direct;
	e->acc_router_mac = acc_router;
	e->core_router_mac = core_router;
	e->rt = rte_zmalloc("bench_rt", sizeof(*e->rt), RTE_CACHE_LINE_SIZE);
	e->slot = calloc(n_sess, sizeof(*e->slot));
	e->sid = calloc(n_sess, sizeof(*e->sid));
	if (e->rt == NULL || e->slot == NULL || e->sid == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	{
		/* lnsd's own runtime (app/runtime.c), with room for the rounds in flight: one
		 * a worker (rte_lcore_count() - 1 of them, as lnsd has) and one spare. */
		struct lns_runtime_mem mem;

		ret = lns_runtime_init(
			e->rt, e->cfg,
			RTE_MAX(e->cfg->dataplane.mbufs, rte_lcore_count() * BENCH_ROUND_MAX),
			&mem);
		if (ret < 0) {
			snprintf(err, errlen, "runtime for %u sessions: %s (raise EAL -m)",
				 e->cfg->l2tp.max_sessions, strerror(-ret));
			return ret;
		}
		e->nq = e->rt->n_workers + 1; /* as app/ports.c gives each port */
		e->mem_pool = mem.pool;
		e->mem_neigh = mem.neigh;
		e->mem_sess_table = mem.sessions;
		e->mem_sess_ctr = mem.sess_ctr;
		e->mem_fib = mem.fib;
		e->mem_fib6 = mem.fib6;
	}
	for (unsigned i = 0; i < RTE_MAX_ETHPORTS; i++)
		e->rt->port_by_id[i] = -1;
	for (unsigned i = 0; i < BENCH_PORTS; i++) {
		ret = port_start(e, i, err, errlen);
		e->rt->n_ports = i + 1;
		if (ret < 0)
			return ret;
	}
	{
		size_t h = lns_heap_used();

		if (lns_fib_fill(e->rt) < 0) {
			snprintf(err, errlen, "FIB: too many routes");
			return -ENOSPC;
		}
		e->mem_fib_pools = lns_heap_used() - h; /* the pools' slot arrays (dp/fib.h) */
	}
	/* The routers' MACs, as the control lcore learns them by ARP. */
	a = rte_cpu_to_be_32(BENCH_ACC_ROUTER);
	ret = lns_neigh_set(e->rt->neigh, 0, AF_INET, &a, &acc_router);
	a = rte_cpu_to_be_32(BENCH_CORE_ROUTER);
	if (ret == 0)
		ret = lns_neigh_set(e->rt->neigh, 1, AF_INET, &a, &core_router);
	/* ... and, as cp/resolve.c does, into the next hops of the routes through them. */
	lns_fib_gateway_mac(e->rt->fib, 1, a, &core_router);
	/* The core router's IPv6 address, learnt by Neighbor Discovery, likewise. */
	if (ret == 0)
		ret = lns_neigh_set(e->rt->neigh, 1, AF_INET6, bench_core_router6, &core_router);
	lns_fib6_gateway_mac(e->rt->fib6, 1, bench_core_router6, &core_router);
	if (ret < 0) {
		snprintf(err, errlen, "neighbours: %s", strerror(-ret));
		return ret;
	}
	ret = sessions_publish(e, err, errlen);
	if (ret == 0)
		ret = fib_sessions(e, err, errlen);
	if (ret == 0)
		ret = fib6_sessions(e, err, errlen);
	return ret;
}

void bench_env_fini(struct bench_env *e)
{
	struct lns_runtime *rt = e->rt;

	if (rt) {
		for (unsigned i = 0; i < rt->n_ports; i++) {
			rte_eth_dev_stop(rt->ports[i].port_id);
			rte_eth_dev_close(rt->ports[i].port_id);
		}
		lns_runtime_fini(rt);
		rte_free(rt);
	}
	for (unsigned i = 0; i < BENCH_PORTS; i++)
		for (unsigned q = 0; q < e->nq; q++) {
			rte_ring_free(e->rxr[i][q]);
			rte_ring_free(e->txr[i][q]);
		}
	free(e->slot);
	free(e->sid);
	lns_config_free(e->cfg);
	memset(e, 0, sizeof(*e));
}
