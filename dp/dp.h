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

#define LNS_MAX_WORKERS        64
#define LNS_PPP_IP             0x0021 /* PPP protocol numbers (RFC 1332, RFC 5072) */
#define LNS_PPP_IPV6           0x0057
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
	X(drop_l2tp_unknown_session, "L2TP data message for a session that does not exist")        \
	X(tx, "packets forwarded")                                                                 \
	X(drop_tx_full, "forwarded packets the port's TX queue did not take")                      \
	X(drop_spoofed, "subscriber packets whose source is not the subscriber's address")         \
	X(drop_ttl, "packets whose TTL ran out")                                                   \
	X(drop_no_route, "packets with no route for their destination")                            \
	X(drop_no_neighbour, "packets for a tunnel whose LAC's MAC address is unknown")            \
	X(drop_too_big, "packets larger than the path allows")                                     \
	X(drop_no_headroom, "packets without room in front for the new headers")                   \
	X(drop_punt_ring_full, "punt ring to the control lcore was full")                          \
	X(handoff, "L2TP data handed to the worker owning its session (dataplane.handoff)")        \
	X(drop_handoff_full, "handed packets the owning worker's ring did not take")               \
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
	uint16_t port_id;             /* DPDK port id */
	uint16_t cfg_idx;             /* index in cfg->ports */
	int vlan;                     /* -1 untagged */
	struct rte_ether_addr mac;    /* our address on this port */
	rte_be32_t v4[LNS_MAX_ADDRS]; /* our IPv4 addresses */
	uint8_t v4_plen[LNS_MAX_ADDRS];
	unsigned n_v4;
	uint8_t v6[LNS_MAX_ADDRS + 1][16]; /* our IPv6 addresses and a link-local one */
	uint8_t v6_plen[LNS_MAX_ADDRS + 1];
	unsigned n_v6;
	uint16_t tx_queue_cp; /* the control lcore's TX queue */
	uint16_t mtu;
	/* dp/classify.c: the frame nearly every upstream packet is, as a template of the
	 * frame's octets 12..59 and a mask of those that must match (lns_port_up_template);
	 * up_l2: its Ethernet header's length, 0 for no template. */
	uint8_t up_l2;
	uint64_t up_val[6], up_mask[6];
	/* ... and of IPv4 to route: octets 0..23 (our MAC, the tag, IPv4 without options) */
	uint8_t rt_l2;
	uint64_t rt_val[3], rt_mask[3];
};

/* dp/classify.c, start-up: P's template of the common upstream frame, from its VLAN, its
 * first IPv4 address and our L2TP port (network order); none without either. */
void lns_port_up_template(struct lns_port *p, rte_be16_t l2tp_port);
/* ... and its template of IPv4 to route, from its MAC and VLAN. */
void lns_port_rt_template(struct lns_port *p);

/* One (port, queue) pair a worker polls. */
struct lns_rxq {
	uint16_t port_idx; /* index in rt->ports */
	uint16_t queue;
};

struct lns_runtime;

struct lns_sess_ctr;

/* Most fragments one packet is cut into (dp/mtu.c); a packet needing more is dropped. */
#define LNS_FRAG_MAX 8
/* Fragments a worker holds for one burst, sent when the burst's verdicts are acted on. */
#define LNS_FRAG_BUF 256

struct lns_worker {
	struct lns_worker_counters c; /* written only by this worker */
	struct lns_runtime *rt;
	struct lns_sess_ctr *sctr; /* this worker's row of per-session counters */
	unsigned lcore;
	unsigned idx; /* 0..n_workers-1, also its TX queue and RCU thread id */
	struct lns_rxq rxq[LNS_MAX_RXQ_PER_WORKER];
	unsigned n_rxq;
	struct rte_ring *handoff; /* packets other workers pass to this one (MP/SC), or NULL */
	/* dp/mtu.c: ICMP errors handed to the control lcore; set up at first use. */
	struct lns_tb icmp_tb;
	/* dp/mtu.c: the fragments of this burst's LNS_V_FRAGS verdicts, for the worker loop
	 * to send; each such packet's hash.usr says which (LNS_FRAGS_START/COUNT). */
	struct rte_mbuf *frag[LNS_FRAG_BUF];
	unsigned n_frag;
} __rte_cache_aligned;

struct rte_ring;
struct rte_mempool;
struct rte_rcu_qsbr;
struct lns_neigh_table;
struct lns_session_table;
struct lns_fib;
struct lns_fib6;

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
	struct rte_ring *punt;     /* MP (workers) / SC (control) */
	int punt_efd;              /* eventfd the control lcore waits on */
	atomic_int cp_sleeping;    /* control lcore waits in epoll: wake it */
	struct rte_rcu_qsbr *qsbr; /* workers report quiescence once per loop */
	struct lns_neigh_table *neigh;
	struct lns_session_table *sessions;
	struct lns_fib *fib;
	struct lns_fib6 *fib6;
	struct lns_sess_ctr *sess_ctr; /* n_workers rows of n_slots */
	uint32_t n_slots;
	bool handoff;  /* dataplane.handoff with more than one worker */
	bool sess_nta; /* the session table outgrows the L3: downstream asks non-temporally */
	rte_be16_t l2tp_port; /* UDP port of L2TP, network order */
	struct lns_worker workers[LNS_MAX_WORKERS];
	unsigned n_workers;
	volatile bool stop;
};

/* dp/worker.c: the worker lcore's main function (rte_eal_remote_launch). */
int lns_worker_main(void *arg);
/* dp/worker.c: one burst of N (at most 256) packets received on port P, or handed over from
 * it: processed (lns_process_burst) and acted on (sent, punted, handed over, dropped), counted
 * in C, which the caller adds to w->c. The worker loop's step; also tests/fuzz/fuzz_worker.c's. */
void lns_worker_burst(struct lns_worker *w, const struct lns_port *p, struct rte_mbuf **pkts,
		      uint16_t n, struct lns_worker_counters *c);
/* dp/worker.c: N packets other workers handed over (from the hand-off ring), each run of one
 * input port through lns_worker_burst, as if received here. */
void lns_worker_handed(struct lns_worker *w, struct rte_mbuf **pkts, unsigned n,
		       struct lns_worker_counters *c);

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
	LNS_V_PENDING, /* classify: a fast-path packet, its lookups still to do (struct lns_pctx) */
	LNS_V_HANDOFF, /* for the worker owning its session, m->hash.usr: which */
	LNS_V_FRAGS,   /* m was cut into fragments in w->frag, each ready to go out of its
			* ->port (which: m->hash.usr); m itself is the caller's to free */
};

/*
 * A fast-path packet between the stages of lns_process_burst(): what
 * classify parsed, so that every lookup of a burst can be prefetched a stage
 * ahead of its use.
 */
enum lns_pkind {
	LNS_PK_UP = 1, /* L2TP data from a LAC: session lookup, then route the inner IPv4 */
	LNS_PK_ROUTE,  /* IPv4 to route (data starts at its header): FIB, then maybe encap */
	LNS_PK_ROUTE6, /* IPv6 to route (data starts at its header): FIB6, then maybe encap */
};

struct lns_pctx {
	uint8_t kind; /* enum lns_pkind */
	uint8_t up_v; /* UP: what the PPP/IPv4 parse decided (LNS_V_PENDING: IPv4 to route) */
	uint8_t l2_len, l3_len; /* the frame's headers, for m->l2_len/l3_len if punted */
	uint8_t inner6;         /* UP: the inner packet is IPv6, its header at ip_off (fwd6.c) */
	uint16_t ip_off;        /* UP: the inner IPv4 header's offset */
	uint16_t ip_len;        /* UP: its total length */
	uint16_t tid, sid;      /* UP: ours */
	rte_be32_t dst;         /* the destination to look up */
	uint32_t nh;            /* the FIB's answer, LNS_PCTX_NO_ROUTE when none */
	uint32_t slot;          /* UP: the slot its IDs name, LNS_SESSION_SLOT_NONE when none */
	uint32_t nh6_src;       /* UP with IPv6 inside: the IPv6 FIB's answer for its source */
};
#define LNS_PCTX_NO_ROUTE UINT32_MAX

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
 *                  hop limit as received, resp. already decremented);
 *  ROUTE6          ROUTE for IPv6 (data at its IPv6 header, hop limit already
 *                  decremented; cp/ip6_out.c);
 *  ICMP_UNREACH    an IPv4 packet without a route, for a Destination
 *                  Unreachable (data at its IPv4 header, as received), the ICMP
 *                  code in the high 16 bits: net (no route), or host (an address
 *                  of a pool that no session holds); dp/unreach.c;
 *  ICMP6_UNREACH   the same for IPv6 (code: no route).
 * The worker also counts the ICMP ones as drop_ttl / drop_too_big /
 * drop_no_route: they are not forwarded. The control lcore answers them
 * (cp/icmp_err.c).
 */
#define LNS_PUNT_FRAME                 0
#define LNS_PUNT_ROUTE                 1
#define LNS_PUNT_ICMP_TTL              2
#define LNS_PUNT_ICMP_TOO_BIG          3
#define LNS_PUNT_ICMP6_HOP_LIMIT       4
#define LNS_PUNT_ICMP6_TOO_BIG         5
#define LNS_PUNT_ROUTE6                6
#define LNS_PUNT_ICMP_UNREACH          7
#define LNS_PUNT_ICMP6_UNREACH         8
#define LNS_PUNT_REASON(u)             ((u)&0xffffu)
#define LNS_PUNT_MTU(u)                ((uint16_t)((u) >> 16))
#define LNS_PUNT_WITH_MTU(reason, mtu) ((uint32_t)(reason) | (uint32_t)(mtu) << 16)
/* ICMP_UNREACH, ICMP6_UNREACH: the code where the others keep the MTU. */
#define LNS_PUNT_CODE(u)                 LNS_PUNT_MTU(u)
#define LNS_PUNT_WITH_CODE(reason, code) LNS_PUNT_WITH_MTU(reason, code)

/* LNS_V_FRAGS: the packet's fragments are w->frag[START, START + COUNT). */
#define LNS_FRAGS_REF(start, count) ((uint32_t)(start) << 8 | (uint32_t)(count))
#define LNS_FRAGS_START(u)          ((u) >> 8)
#define LNS_FRAGS_COUNT(u)          ((u)&0xffu)

/*
 * dp/fwd.c: the worker's whole decision for a burst received on port P: a
 * verdict per packet (LNS_V_TX: m->port is the output port; LNS_V_PUNT: for
 * the control lcore, see m->hash.usr). Classify, then the lookups of every
 * packet in stages, each prefetching what the next stage reads.
 */
void lns_process_burst(struct lns_worker *w, const struct lns_port *p, struct rte_mbuf **pkts,
		       uint16_t n, uint8_t *verdicts);

/*
 * dp/fwd.c's output stages, shared with dp/fwd6.c: into the tunnel of the session in SLOT
 * (read as D) with this PPP protocol (LNS_PPP_IP, LNS_PPP_IPV6), and the Ethernet header of
 * an output port (DST: the next hop's MAC, 6 octets).
 */
struct lns_dp_down;
enum lns_verdict lns_encap(struct lns_worker *w, struct rte_mbuf *m, uint32_t slot,
			   const struct lns_dp_down *d, uint16_t ppp_proto);
enum lns_verdict lns_eth_out(const struct lns_runtime *rt, struct rte_mbuf *m, unsigned port,
			     const void *dst, uint16_t ethertype);

/* dp/fwd6.c: IPv6 routing (data at the IPv6 header) whose destination's IPv6 FIB answer is
 * NH (LNS_PCTX_NO_ROUTE: none); upstream from the forwarding session in SLOT (IPv6 header
 * at X->ip_off, after PPP; the FIB's answers for its source and destination in X, from
 * lns_fwd6_lookups); a frame to someone else from port P (IPv6 header at off, checked by
 * classify): LNS_V_PENDING with X->kind LNS_PK_ROUTE6 when it is to be routed. */
enum lns_verdict lns_route6(struct lns_worker *w, struct rte_mbuf *m, uint32_t nh);
enum lns_verdict lns_fwd6_upstream(struct lns_worker *w, struct rte_mbuf *m, uint32_t slot,
				   const struct lns_pctx *x, uint16_t mtu);
enum lns_verdict lns_fwd6_transit(const struct lns_port *p, struct rte_mbuf *m, uint32_t off,
				  struct lns_pctx *x);
/* The IPv6 FIB's answers for the N packets FAST[] of X[] (PKTS[]) that have IPv6 to route:
 * a LNS_PK_ROUTE6's destination, an upstream IPv6 packet's source and destination, all in
 * one go (dp/fib6.c lns_fib6_lookup_burst); a session's downstream line and counters are
 * prefetched. */
void lns_fwd6_lookups(struct lns_worker *w, struct rte_mbuf **pkts, struct lns_pctx *x,
		      const uint16_t *fast, uint16_t n);

/* The control lcore's view: one session slot's counters summed over the workers. */
void lns_sess_ctr_sum(const struct lns_runtime *rt, uint32_t slot, struct lns_sess_ctr *out);
/* dp/fwd.c: whether N_SLOTS sessions' entries and counters outgrow half the L3 (then
 * downstream asks for them non-temporally, keeping the L3 for the FIB and pool words). */
bool lns_sess_nta(uint32_t n_slots, unsigned n_workers);
/* The worker owning session (tid, sid) when dataplane.handoff is on: a multiplicative hash,
 * so that one tunnel's sessions spread over all workers. */
static inline unsigned lns_session_owner(uint16_t tid, uint16_t sid, unsigned n_workers)
{
	return (unsigned)((((uint32_t)tid << 16 | sid) * 2654435761u) >> 16) % n_workers;
}

/*
 * What the stages of a burst read of the runtime for nearly every packet, gathered once a burst
 * (dp/fwd.c lns_process_burst): classify takes this rather than the worker. (Measured: no
 * faster than following the worker's pointers, which stay in the L1.)
 */
struct lns_burst {
	const uint32_t *tun_base;    /* the session table's (dp/session.h) */
	struct lns_dp_session *sess; /* its entries */
	uint32_t n_slots;
	rte_be16_t l2tp_port;
};

/* dp/classify.c: stage one; LNS_V_PENDING with X filled for the fast path. Every frame
 * through the checks; dp/classify.h's lns_classify() matches the common upstream frame with a
 * template first (tests compare the two). */
enum lns_verdict lns_classify_checked(const struct lns_burst *b, const struct lns_port *p,
				      struct rte_mbuf *m, struct lns_pctx *x);
/* The same, IPv4 to route matched against the port's template first (dp/classify.h). */
enum lns_verdict lns_classify_routed(const struct lns_burst *b, const struct lns_port *p,
				     struct rte_mbuf *m, struct lns_pctx *x);

/* Helpers for both planes. Is A one of P's addresses (inline: every routed packet asks). */
static inline bool lns_port_has_v4(const struct lns_port *p, rte_be32_t a)
{
	for (unsigned i = 0; i < p->n_v4; i++)
		if (p->v4[i] == a)
			return true;
	return false;
}
bool lns_port_has_v6(const struct lns_port *p, const uint8_t a[16]);

#endif
