/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control loop. Main lcore only. Drains the punt ring, runs rte_timer, serves
 * the management and metrics sockets. Never spins: when the ring is empty it
 * waits in epoll_wait on the ring's eventfd (which a worker writes after a
 * punt) and its sockets, at most 10 ms so that timers run on time.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ring.h>

#include "cp/cp.h"
#include "cp/icmp_err.h"
#include "cp/log.h"
#include "dp/session.h"

#define CP_BURST 32
#define CP_WAIT_MS 10

volatile sig_atomic_t lns_quit;

uint64_t cp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

const char *cp_mac_str(const struct rte_ether_addr *m, char *buf, size_t len)
{
	const uint8_t *b = m->addr_bytes;

	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
	return buf;
}

int cp_tx(struct lns_cp *cp, unsigned port, struct rte_mbuf *m)
{
	const struct lns_port *p = &cp->rt->ports[port];

	if (rte_eth_tx_burst(p->port_id, p->tx_queue_cp, &m, 1) == 1)
		return 0;
	rte_pktmbuf_free(m);
	cp->c.drop_tx_full++;
	return -ENOBUFS;
}

/* PORT's Ethernet header (and VLAN tag) in front of M's data; 0, or -ENOBUFS without room. */
int cp_eth_prepend(struct lns_cp *cp, unsigned port, struct rte_mbuf *m,
		   const struct rte_ether_addr *dst, uint16_t ethertype)
{
	const struct lns_port *p = &cp->rt->ports[port];
	uint16_t l2 = sizeof(struct rte_ether_hdr) + (p->vlan >= 0 ? sizeof(struct rte_vlan_hdr) : 0);
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m, l2);

	if (eth == NULL)
		return -ENOBUFS;
	rte_ether_addr_copy(dst, &eth->dst_addr);
	rte_ether_addr_copy(&p->mac, &eth->src_addr);
	if (p->vlan >= 0) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(eth + 1);

		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = rte_cpu_to_be_16((uint16_t)p->vlan);
		vh->eth_proto = rte_cpu_to_be_16(ethertype);
	} else {
		eth->ether_type = rte_cpu_to_be_16(ethertype);
	}
	m->l2_len = l2;
	return 0;
}

/*
 * A new frame from our address on PORT to DST, with the port's VLAN tag when it
 * has one. *payload points at the payload_len bytes after the L2 header.
 */
struct rte_mbuf *cp_new_frame(struct lns_cp *cp, unsigned port, const struct rte_ether_addr *dst,
			      uint16_t ethertype, uint16_t payload_len, void **payload)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(cp->rt->pool);

	if (m == NULL) {
		cp->c.drop_nomem++;
		return NULL;
	}
	*payload = rte_pktmbuf_append(m, payload_len);
	if (*payload == NULL || cp_eth_prepend(cp, port, m, dst, ethertype) < 0) {
		rte_pktmbuf_free(m);
		cp->c.drop_nomem++;
		return NULL;
	}
	return m;
}

static void punt_input(struct lns_cp *cp, struct rte_mbuf *m)
{
	int16_t port = cp->rt->port_by_id[m->port];
	uint16_t type;

	cp->c.punt_in++;
	if (m->hash.usr == LNS_PUNT_ROUTE) {
		cp_ip4_forward(cp, m);
		return;
	}
	if (m->hash.usr == LNS_PUNT_ROUTE6) {
		cp_ip6_forward(cp, m);
		return;
	}
	if (m->hash.usr != LNS_PUNT_FRAME) { /* a packet for an ICMP error */
		cp_icmp_error(cp, m);
		return;
	}
	if (port < 0 || m->l2_len < sizeof(struct rte_ether_hdr)) {
		cp->c.drop_malformed++;
		rte_pktmbuf_free(m);
		return;
	}
	/* The worker validated the L2 header; the ethertype is its last field. */
	type = rte_be_to_cpu_16(*rte_pktmbuf_mtod_offset(m, rte_be16_t *, m->l2_len - 2));
	switch (type) {
	case RTE_ETHER_TYPE_ARP:
		cp_arp_input(cp, port, m);
		break;
	case RTE_ETHER_TYPE_IPV4:
		cp_ipv4_input(cp, port, m);
		break;
	case RTE_ETHER_TYPE_IPV6:
		cp_ipv6_input(cp, port, m);
		break;
	default:
		cp->c.drop_unhandled++;
		rte_pktmbuf_free(m);
	}
}

static unsigned drain_punt(struct lns_cp *cp)
{
	struct rte_mbuf *pkts[CP_BURST];
	unsigned n = rte_ring_sc_dequeue_burst(cp->rt->punt, (void **)pkts, CP_BURST, NULL);

	for (unsigned i = 0; i < n; i++)
		punt_input(cp, pkts[i]);
	return n;
}

static void wait_events(struct lns_cp *cp, int timeout_ms)
{
	struct epoll_event ev[16];
	int n;

	n = epoll_wait(cp->epfd, ev, RTE_DIM(ev), timeout_ms);
	for (int i = 0; i < n; i++) {
		void *tag = ev[i].data.ptr;

		if (tag == &cp->rt->punt_efd) {
			uint64_t v;

			(void)!read(cp->rt->punt_efd, &v, sizeof(v));
		} else if (tag == &cp->radius.dae_fd ||
			   ((char *)tag >= (char *)cp->radius.socks &&
			    (char *)tag < (char *)(cp->radius.socks + RADIUS_SOCKETS))) {
			lns_radius_event(&cp->radius, tag);
		} else {
			cp_mgmt_event(cp, ev[i].data.ptr, ev[i].events);
		}
	}
}

void lns_cp_run(struct lns_cp *cp)
{
	struct lns_runtime *rt = cp->rt;

	while (!lns_quit) {
		unsigned n = drain_punt(cp);

		rte_timer_manage();
		lns_auth_poll(&cp->auth);
		lns_session_reclaim(rt->sessions);
		if (n == CP_BURST) {
			wait_events(cp, 0); /* busy: look at the sockets, do not sleep */
			continue;
		}
		/* Sleep unless a worker punted meanwhile (it wakes us if it sees the flag). */
		atomic_store(&rt->cp_sleeping, 1);
		if (rte_ring_empty(rt->punt) && !lns_auth_busy(&cp->auth))
			wait_events(cp, CP_WAIT_MS);
		else
			wait_events(cp, 0);
		atomic_store(&rt->cp_sleeping, 0);
	}
}

static int pools_init(struct lns_cp *cp)
{
	const struct lns_config *cfg = cp->rt->cfg;

	cp->pools = calloc(cfg->n_pools ? cfg->n_pools : 1, sizeof(*cp->pools));
	if (cp->pools == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->n_pools; i++) {
		if (lns_pool_init(&cp->pools[i], &cfg->pools[i]) < 0) {
			LNS_LOG(ERR, cp, "pool %s: cannot set it up", cfg->pools[i].name);
			return -ENOMEM;
		}
	}
	return 0;
}

static void pools_fini(struct lns_cp *cp)
{
	if (cp->pools == NULL)
		return;
	for (size_t i = 0; i < cp->rt->cfg->n_pools; i++)
		lns_pool_fini(&cp->pools[i]);
	free(cp->pools);
	cp->pools = NULL;
}

int lns_cp_init(struct lns_cp *cp, struct lns_runtime *rt)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &rt->punt_efd};
	int ret;

	memset(cp, 0, sizeof(*cp));
	cp->rt = rt;
	cp->radius.dae_fd = -1;
	cp->mgmt_fd = -1;
	cp->metrics_fd = -1;
	cp->start_ms = cp_now_ms();
	cp_icmp_init(cp);
	cp->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (cp->epfd < 0)
		return -errno;
	if (epoll_ctl(cp->epfd, EPOLL_CTL_ADD, rt->punt_efd, &ev) < 0) {
		ret = -errno;
		goto err;
	}
	ret = cp_neigh_init(cp);
	if (ret < 0)
		goto err;
	lns_auth_init(&cp->auth, cp);
	ret = pools_init(cp);
	if (ret < 0)
		goto err;
	ret = ppp_fwd_init(cp);
	if (ret < 0)
		goto err;
	ret = lns_l2tp_init(&cp->l2tp, cp);
	if (ret < 0)
		goto err;
	ret = lns_radius_init(&cp->radius, cp);
	if (ret < 0)
		goto err;
	radius_acct_onoff(cp, true);
	ret = cp_mgmt_init(cp);
	if (ret < 0)
		goto err;
	return 0;
err:
	lns_cp_fini(cp);
	return ret;
}

void lns_cp_fini(struct lns_cp *cp)
{
	cp_mgmt_fini(cp);
	lns_l2tp_fini(&cp->l2tp);
	lns_radius_fini(&cp->radius);
	ppp_fwd_fini(cp);
	pools_fini(cp);
	lns_auth_fini(&cp->auth);
	cp_neigh_fini(cp);
	if (cp->epfd >= 0)
		close(cp->epfd);
	cp->epfd = -1;
}

void lns_cp_shutdown(struct lns_cp *cp, unsigned ms)
{
	uint64_t until = cp_now_ms() + ms;

	cp->shutting_down = true;
	lns_l2tp_fini(&cp->l2tp); /* StopCCN to every LAC; sessions end, Stops queue */
	radius_acct_onoff(cp, false);
	while (lns_radius_pending(&cp->radius) && cp_now_ms() < until) {
		rte_timer_manage();
		wait_events(cp, CP_WAIT_MS);
	}
}

void lns_cp_log_counters(const struct lns_cp *cp, const char *what)
{
	const struct lns_runtime *rt = cp->rt;

	for (unsigned w = 0; w < rt->n_workers; w++) {
		const struct lns_worker_counters *c = &rt->workers[w].c;
#define X(name, help) " " #name "=%" PRIu64
#define Y(name, help) , c->name
		LNS_LOG(NOTICE, app, "%s: worker %u:" LNS_WORKER_COUNTERS(X), what,
			rt->workers[w].lcore LNS_WORKER_COUNTERS(Y));
#undef X
#undef Y
	}
#define X(name, help) " " #name "=%" PRIu64
#define Y(name, help) , cp->c.name
	LNS_LOG(NOTICE, app, "%s: control:" LNS_CP_COUNTERS(X), what LNS_CP_COUNTERS(Y));
#undef X
#undef Y
}
