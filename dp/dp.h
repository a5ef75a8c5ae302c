/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared runtime of the two planes: what the control lcore sets up and the
 * workers read. The control plane includes this header; dp/ never includes a
 * cp/ header. Everything here is written by the control lcore (or at start-up)
 * and read by workers lock-free.
 */
#ifndef LNS_DP_H
#define LNS_DP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "config/config.h"
#include "dp/ratelimit.h"

#define LNS_MAX_WORKERS 64
#define LNS_MAX_RXQ_PER_WORKER 64

/*
 * Worker counters: one list gives the field, its name in lnsctl/metrics and
 * its meaning. Verdicts of the classify stage each have their own drop counter.
 */
#define LNS_WORKER_COUNTERS(X)                                                                     \
	X(rx, "packets received from all polled queues")                                           \
	X(punt, "packets handed to the control lcore")                                             \
	X(drop_runt, "frame shorter than its Ethernet/VLAN header")                                \
	X(drop_bad_vlan, "VLAN tag missing, unexpected or of another VLAN")                        \
	X(drop_unknown_ethertype, "neither ARP, IPv4 nor IPv6")                                    \
	X(drop_bad_ip, "IPv4/IPv6 header malformed or truncated")                                  \
	X(drop_not_for_us, "not addressed to an address of this port and no route for it")         \
	X(drop_l2tp_malformed, "UDP/L2TP header too short or of another version")                  \
	X(drop_l2tp_unknown_session, "L2TP data message for a session that does not exist")       \
	X(tx, "packets forwarded")                                                                 \
	X(drop_tx_full, "forwarded packets the port's TX queue did not take")                      \
	X(drop_spoofed, "subscriber packets whose source is not the subscriber's address")         \
	X(drop_ttl, "packets whose TTL ran out")                                                   \
	X(drop_no_route, "packets with no route for their destination")                            \
	X(drop_no_neighbour, "packets for a tunnel whose LAC's MAC address is unknown")            \
	X(drop_too_big, "packets larger than the path allows")                                     \
	X(drop_no_headroom, "packets without room in front for the new headers")                   \
	X(drop_punt_ring_full, "punt ring to the control lcore was full")                          \
	X(icmp_punt_limited, "dropped packets whose ICMP error the worker's rate limit held back") \
	X(fragmented, "IPv4 packets without DF cut into fragments to fit the next link")           \
	X(frag_out, "fragments made of them")                                                      \
	X(mss_clamped, "TCP SYNs whose MSS option was lowered")

struct lns_worker_counters {
#define X(name, help) uint64_t name;
	LNS_WORKER_COUNTERS(X)
#undef X
} __rte_cache_aligned;

/* What a worker knows of a port: read-only after start-up. */
struct lns_port {
	uint16_t port_id;	     /* DPDK port id */
	uint16_t cfg_idx;	     /* index in cfg->ports */
	int vlan;		     /* -1 untagged */
	struct rte_ether_addr mac;   /* our address on this port */
	rte_be32_t v4[LNS_MAX_ADDRS]; /* our IPv4 addresses */
	uint8_t v4_plen[LNS_MAX_ADDRS];
	unsigned n_v4;
	uint8_t v6[LNS_MAX_ADDRS + 1][16]; /* our IPv6 addresses and a link-local one */
	uint8_t v6_plen[LNS_MAX_ADDRS + 1];
	unsigned n_v6;
	uint16_t tx_queue_cp; /* the control lcore's TX queue */
	uint16_t mtu;
};

/* One (port, queue) pair a worker polls. */
struct lns_rxq {
	uint16_t port_idx; /* index in rt->ports */
	uint16_t queue;
};

struct lns_runtime;

/* Most fragments one packet is cut into (dp/mtu.c); a packet needing more is dropped. */
#define LNS_FRAG_MAX 8

struct lns_worker {
	struct lns_worker_counters c; /* written only by this worker */
	struct lns_runtime *rt;
	unsigned lcore;
	unsigned idx;	   /* 0..n_workers-1, also its TX queue and RCU thread id */
	struct lns_rxq rxq[LNS_MAX_RXQ_PER_WORKER];
	unsigned n_rxq;
	/* dp/mtu.c: ICMP errors handed to the control lcore; set up at first use. */
	struct lns_tb icmp_tb;
	/* dp/mtu.c: the fragments of the last LNS_V_FRAGS verdict, for the caller to send. */
	struct rte_mbuf *frag[LNS_FRAG_MAX];
	unsigned n_frag;
} __rte_cache_aligned;

struct rte_ring;
struct rte_mempool;
struct rte_rcu_qsbr;
struct lns_neigh_table;
struct lns_session_table;
struct lns_fib;

/*
 * Per-session traffic counters: each worker writes its own row (indexed by
 * session slot), the control lcore sums the rows. Upstream is subscriber to
 * network; bytes count the subscriber's IP packets.
 */
struct lns_sess_ctr {
	uint64_t up_pkts, up_bytes, down_pkts, down_bytes;
};

struct lns_runtime {
	const struct lns_config *cfg;
	struct lns_port ports[LNS_MAX_PORTS];
	unsigned n_ports;
	int16_t port_by_id[RTE_MAX_ETHPORTS]; /* DPDK port id -> index, -1 if not ours */
	struct rte_mempool *pool;
	struct rte_ring *punt;	      /* MP (workers) / SC (control) */
	int punt_efd;		      /* eventfd the control lcore waits on */
	atomic_int cp_sleeping;	      /* control lcore waits in epoll: wake it */
	struct rte_rcu_qsbr *qsbr;    /* workers report quiescence once per loop */
	struct lns_neigh_table *neigh;
	struct lns_session_table *sessions;
	struct lns_fib *fib;
	struct lns_sess_ctr *sess_ctr; /* n_workers rows of n_slots */
	uint32_t n_slots;
	rte_be16_t l2tp_port; /* UDP port of L2TP, network order */
	struct lns_worker workers[LNS_MAX_WORKERS];
	unsigned n_workers;
	volatile bool stop;
};

/* dp/worker.c: the worker lcore's main function (rte_eal_remote_launch). */
int lns_worker_main(void *arg);

/*
 * dp/classify.c: decide what one received frame is. Returns a verdict and, for
 * LNS_V_PUNT, sets m->l2_len/l3_len.
 */
enum lns_verdict {
	LNS_V_PUNT,
	LNS_V_DROP_RUNT,
	LNS_V_DROP_BAD_VLAN,
	LNS_V_DROP_UNKNOWN_ETHERTYPE,
	LNS_V_DROP_BAD_IP,
	LNS_V_DROP_NOT_FOR_US,
	LNS_V_DROP_L2TP_MALFORMED,
	LNS_V_DROP_L2TP_UNKNOWN_SESSION,
	LNS_V_TX, /* m->port is the output port */
	LNS_V_DROP_SPOOFED,
	LNS_V_DROP_TTL,
	LNS_V_DROP_NO_ROUTE,
	LNS_V_DROP_NO_NEIGHBOUR,
	LNS_V_DROP_TOO_BIG,
	LNS_V_DROP_NO_HEADROOM,
	LNS_V_FRAGS, /* m was cut into w->frag[0..n_frag), each ready to go out of its
		      * ->port; m itself is the caller's to free, like a dropped one */
};

/*
 * What a punted packet is, in m->hash.usr (the reason in the low 16 bits):
 *  FRAME           an ordinary punt: the frame as received, l2_len and l3_len set;
 *  ROUTE           an IPv4 packet to route whose next hop needs resolving (data
 *                  starts at its IPv4 header, TTL already decremented);
 *  ICMP_TTL        an IPv4 packet whose TTL ran out, for a Time Exceeded (data
 *                  at its IPv4 header, as received);
 *  ICMP_TOO_BIG    an IPv4 packet with DF larger than the next link, for a
 *                  Fragmentation Needed (RFC 1191): data at its IPv4 header,
 *                  TTL already decremented, the link's MTU in the high 16 bits;
 *  ICMP6_HOP_LIMIT, ICMP6_TOO_BIG  the same for IPv6 (data at the IPv6 header;
 *                  hop limit as received, resp. already decremented).
 * The worker also counts the ICMP ones as drop_ttl / drop_too_big: they are
 * not forwarded. The control lcore answers them (cp/icmp_err.c).
 */
#define LNS_PUNT_FRAME                 0
#define LNS_PUNT_ROUTE                 1
#define LNS_PUNT_ICMP_TTL              2
#define LNS_PUNT_ICMP_TOO_BIG          3
#define LNS_PUNT_ICMP6_HOP_LIMIT       4
#define LNS_PUNT_ICMP6_TOO_BIG         5
#define LNS_PUNT_REASON(u)             ((u)&0xffffu)
#define LNS_PUNT_MTU(u)                ((uint16_t)((u) >> 16))
#define LNS_PUNT_WITH_MTU(reason, mtu) ((uint32_t)(reason) | (uint32_t)(mtu) << 16)

struct lns_dp_session;
/* dp/fwd.c */
enum lns_verdict lns_route4(struct lns_worker *w, struct rte_mbuf *m);
enum lns_verdict lns_fwd_upstream(struct lns_worker *w, struct rte_mbuf *m,
				  const struct lns_dp_session *s, uint32_t l2tp_off);

/* The control lcore's view: one session slot's counters summed over the workers. */
void lns_sess_ctr_sum(const struct lns_runtime *rt, uint32_t slot, struct lns_sess_ctr *out);
enum lns_verdict lns_classify(struct lns_worker *w, const struct lns_port *p, struct rte_mbuf *m);

/* Helpers for both planes. */
bool lns_port_has_v4(const struct lns_port *p, rte_be32_t a);
bool lns_port_has_v6(const struct lns_port *p, const uint8_t a[16]);

#endif
