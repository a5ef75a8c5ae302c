/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Worker lcore main loop. Runs on every lcore but the main one. Reads the
 * runtime's ports and tables lock-free, writes only its own counters, hands
 * packets to the control lcore through the MP/SC punt ring (full: drop and
 * count), and reports an RCU quiescent state once per loop.
 *
 * The only system calls here are the idle sleep after a run of empty polls
 * (configurable, off with idle-sleep-us: 0) and the eventfd write that wakes a
 * sleeping control lcore after a punt.
 */
#include <stdint.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "dp/dp.h"
#include "dp/mtu.h"

#define BURST_MAX 256

/* Wake the control lcore if it sleeps; only then is a system call made. */
static void wake_control(struct lns_runtime *rt)
{
	int expect = 1;
	uint64_t one = 1;

	if (atomic_compare_exchange_strong(&rt->cp_sleeping, &expect, 0))
		(void)!write(rt->punt_efd, &one, sizeof(one));
}

/* Send what is queued for output port O; whatever its TX queue does not take is dropped. */
static void tx_flush(struct lns_worker *w, unsigned o, struct rte_mbuf **pkts, uint16_t *n,
		     struct lns_worker_counters *c)
{
	uint16_t sent;

	if (*n == 0)
		return;
	sent = rte_eth_tx_burst(w->rt->ports[o].port_id, w->idx, pkts, *n);
	c->tx += sent;
	if (sent < *n) {
		c->drop_tx_full += *n - sent;
		rte_pktmbuf_free_bulk(&pkts[sent], *n - sent);
	}
	*n = 0;
}

/* Pass what is gathered for worker O to its hand-off ring; what the ring does not take is
 * dropped and counted. */
static void ho_flush(struct lns_runtime *rt, unsigned o, struct rte_mbuf **pkts, uint16_t *n,
		     struct lns_worker_counters *c)
{
	unsigned done = rte_ring_mp_enqueue_burst(rt->workers[o].handoff, (void **)pkts, *n, NULL);

	c->handoff += done;
	c->drop_handoff_full += *n - done;
	rte_pktmbuf_free_bulk(&pkts[done], *n - done);
	*n = 0;
}

/* Act on a processed burst's verdicts: send, punt, hand over or drop, and count. */
static void dispatch(struct lns_worker *w, struct rte_mbuf **pkts, uint16_t n,
		     const uint8_t *verdict, struct lns_worker_counters *c)
{
	struct lns_runtime *rt = w->rt;
	struct rte_mbuf *punt[BURST_MAX];
	struct rte_mbuf *tx[LNS_MAX_PORTS][BURST_MAX];
	uint16_t n_punt = 0, n_tx[LNS_MAX_PORTS] = {0};
	struct rte_mbuf *ho[LNS_MAX_WORKERS][BURST_MAX / 4 + 1];
	uint16_t n_ho[LNS_MAX_WORKERS];
	uint64_t ho_mask = 0; /* workers with packets in ho[] */

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		switch ((enum lns_verdict)verdict[i]) {
		case LNS_V_PUNT:
			punt[n_punt++] = m;
			continue;
		case LNS_V_TX: {
			int16_t out = rt->port_by_id[m->port];

			tx[out][n_tx[out]++] = m;
			continue;
		}
		case LNS_V_HANDOFF: {
			unsigned o = m->hash.usr;

			if (!(ho_mask & (UINT64_C(1) << o))) {
				ho_mask |= UINT64_C(1) << o;
				n_ho[o] = 0;
			}
			ho[o][n_ho[o]++] = m;
			if (n_ho[o] == RTE_DIM(ho[o])) /* full: pass this part on now */
				ho_flush(rt, o, ho[o], &n_ho[o], c);
			continue;
		}
		case LNS_V_DROP_SPOOFED:
			c->drop_spoofed++;
			break;
		case LNS_V_DROP_TTL:
			c->drop_ttl++;
			if (lns_icmp_punt(w, m)) { /* for a Time Exceeded (dp/mtu.c) */
				punt[n_punt++] = m;
				continue;
			}
			break;
		case LNS_V_DROP_NO_ROUTE:
			c->drop_no_route++;
			if (lns_icmp_punt(w, m)) { /* for a Destination Unreachable */
				punt[n_punt++] = m;
				continue;
			}
			break;
		case LNS_V_DROP_NO_NEIGHBOUR:
			c->drop_no_neighbour++;
			break;
		case LNS_V_DROP_TOO_BIG:
			c->drop_too_big++;
			if (lns_icmp_punt(w, m)) { /* for a Fragmentation Needed */
				punt[n_punt++] = m;
				continue;
			}
			break;
		case LNS_V_FRAGS: {
			/* m's fragments (dp/mtu.c), sent at once behind what this burst
			 * queued for that port before them: order kept, tx[] never full. */
			unsigned start = LNS_FRAGS_START(m->hash.usr);
			uint16_t nf = (uint16_t)LNS_FRAGS_COUNT(m->hash.usr);
			int16_t out = rt->port_by_id[w->frag[start]->port];

			tx_flush(w, (unsigned)out, tx[out], &n_tx[out], c);
			tx_flush(w, (unsigned)out, &w->frag[start], &nf, c);
			break; /* m itself is freed below */
		}
		case LNS_V_DROP_NO_HEADROOM:
			c->drop_no_headroom++;
			break;
		case LNS_V_DROP_RUNT:
			c->drop_runt++;
			break;
		case LNS_V_DROP_BAD_VLAN:
			c->drop_bad_vlan++;
			break;
		case LNS_V_DROP_UNKNOWN_ETHERTYPE:
			c->drop_unknown_ethertype++;
			break;
		case LNS_V_DROP_BAD_IP:
			c->drop_bad_ip++;
			break;
		case LNS_V_DROP_NOT_FOR_US:
			c->drop_not_for_us++;
			break;
		case LNS_V_DROP_L2TP_MALFORMED:
			c->drop_l2tp_malformed++;
			break;
		case LNS_V_DROP_L2TP_UNKNOWN_SESSION:
			c->drop_l2tp_unknown_session++;
			break;
		case LNS_V_PENDING: /* lns_process_burst() leaves none */
			break;
		}
		rte_pktmbuf_free(m);
	}
	while (ho_mask) {
		unsigned o = (unsigned)__builtin_ctzll(ho_mask);

		ho_mask &= ho_mask - 1;
		if (n_ho[o])
			ho_flush(rt, o, ho[o], &n_ho[o], c);
	}
	w->n_frag = 0; /* every fragment of the burst went out above */
	for (unsigned o = 0; o < rt->n_ports; o++)
		tx_flush(w, o, tx[o], &n_tx[o], c);
	if (n_punt) {
		unsigned done = rte_ring_mp_enqueue_burst(rt->punt, (void **)punt, n_punt, NULL);

		c->punt += done;
		if (done < n_punt) {
			c->drop_punt_ring_full += n_punt - done;
			rte_pktmbuf_free_bulk(&punt[done], n_punt - done);
		}
		if (done)
			wake_control(rt);
	}
}

void lns_worker_burst(struct lns_worker *w, const struct lns_port *p, struct rte_mbuf **pkts,
		      uint16_t n, struct lns_worker_counters *c)
{
	uint8_t verdict[BURST_MAX];

	lns_process_burst(w, p, pkts, n, verdict);
	dispatch(w, pkts, n, verdict, c);
}

static void flush_counters(struct lns_worker *w, const struct lns_worker_counters *c)
{
#define X(name, help) w->c.name += c->name;
	LNS_WORKER_COUNTERS(X)
#undef X
}

static unsigned poll_queue(struct lns_worker *w, const struct lns_rxq *q, unsigned burst)
{
	struct lns_runtime *rt = w->rt;
	const struct lns_port *p = &rt->ports[q->port_idx];
	struct rte_mbuf *pkts[BURST_MAX];
	struct lns_worker_counters c = {0};
	uint16_t n;

	n = rte_eth_rx_burst(p->port_id, q->queue, pkts, burst);
	if (n == 0)
		return 0;
	c.rx = n;
	lns_worker_burst(w, p, pkts, n, &c);
	flush_counters(w, &c); /* once per burst */
	return n;
}

void lns_worker_handed(struct lns_worker *w, struct rte_mbuf **pkts, unsigned n,
		       struct lns_worker_counters *c)
{
	const struct lns_runtime *rt = w->rt;

	for (unsigned i = 0; i < n;) {
		unsigned j = i + 1;

		while (j < n && pkts[j]->port == pkts[i]->port)
			j++;
		lns_worker_burst(w, &rt->ports[rt->port_by_id[pkts[i]->port]], &pkts[i],
				 (uint16_t)(j - i), c);
		i = j;
	}
}

/* Packets other workers handed over (dataplane.handoff): processed as if received here,
 * in runs of one input port. Counted as received by the worker that received them. */
static unsigned poll_handoff(struct lns_worker *w, unsigned burst)
{
	struct rte_mbuf *pkts[BURST_MAX];
	struct lns_worker_counters c = {0};
	unsigned n = rte_ring_sc_dequeue_burst(w->handoff, (void **)pkts, burst, NULL);

	lns_worker_handed(w, pkts, n, &c);
	if (n)
		flush_counters(w, &c);
	return n;
}

int lns_worker_main(void *arg)
{
	struct lns_worker *w = arg;
	struct lns_runtime *rt = w->rt;
	const struct lns_dataplane_cfg *dc = &rt->cfg->dataplane;
	unsigned burst = RTE_MIN(dc->burst, (unsigned)BURST_MAX);
	unsigned idle = 0;

	rte_rcu_qsbr_thread_register(rt->qsbr, w->idx);
	rte_rcu_qsbr_thread_online(rt->qsbr, w->idx);

	while (!rt->stop) {
		unsigned got = 0;

		for (unsigned i = 0; i < w->n_rxq; i++)
			got += poll_queue(w, &w->rxq[i], burst);
		if (w->handoff)
			got += poll_handoff(w, burst);
		rte_rcu_qsbr_quiescent(rt->qsbr, w->idx);

		if (got) {
			idle = 0;
		} else if (dc->idle_sleep_us && ++idle >= dc->idle_polls) {
			/* Back off like DPDK's l3fwd-power: a 2-core box needs the CPU. */
			rte_rcu_qsbr_thread_offline(rt->qsbr, w->idx);
			rte_delay_us_sleep(dc->idle_sleep_us);
			rte_rcu_qsbr_thread_online(rt->qsbr, w->idx);
		}
	}

	rte_rcu_qsbr_thread_offline(rt->qsbr, w->idx);
	rte_rcu_qsbr_thread_unregister(rt->qsbr, w->idx);
	return 0;
}
