/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control plane. Everything here runs on the main lcore only (one thread,
 * never blocking): punted packets, ARP/ND, ICMP echo, timers, the management
 * socket and metrics. It is the only writer of the tables workers read.
 */
#ifndef LNS_CP_H
#define LNS_CP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_timer.h>

#include "cp/auth.h"
#include "cp/l2tp.h"
#include "cp/pool.h"
#include "cp/ppp.h"
#include "cp/radius.h"
#include "dp/dp.h"

#define LNS_CP_COUNTERS(X)                                                                         \
	X(punt_in, "packets taken from the punt ring")                                             \
	X(arp_in, "ARP packets received")                                                          \
	X(arp_request_out, "ARP requests sent to resolve a neighbour")                             \
	X(arp_reply_out, "ARP replies sent for our addresses")                                     \
	X(nd_in, "neighbour solicitations and advertisements received")                            \
	X(ns_out, "neighbour solicitations sent")                                                  \
	X(na_out, "neighbour advertisements sent")                                                 \
	X(icmp_echo_in, "ICMP echo requests to our addresses")                                     \
	X(icmp_echo_reply_out, "ICMP echo replies sent")                                           \
	X(icmp6_echo_in, "ICMPv6 echo requests to our addresses")                                  \
	X(icmp6_echo_reply_out, "ICMPv6 echo replies sent")                                        \
	X(neigh_resolved, "neighbour entries that became reachable")                               \
	X(neigh_failed, "neighbour entries given up after unanswered probes")                      \
	X(drop_not_for_us, "ARP requests and neighbour solicitations for addresses not ours")      \
	X(drop_malformed, "punted packets with a malformed header")                                \
	X(drop_bad_checksum, "punted packets with a wrong checksum")                               \
	X(drop_unhandled, "punted packets of a protocol the LNS does not serve")                   \
	X(drop_tx_full, "packets the control lcore could not send (TX queue full)")                \
	X(drop_no_route, "packets the control lcore had no route for")                             \
	X(drop_too_big, "packets the control lcore would have sent above the port MTU")            \
	X(drop_hold_full, "packets dropped while their next hop was being resolved")               \
	X(drop_nomem, "replies not built for lack of mbufs")                                       \
	X(icmp_time_exceeded_out, "ICMP time exceeded errors sent (TTL ran out in transit)")       \
	X(icmp_frag_needed_out, "ICMP fragmentation needed errors sent (too big, DF set)")         \
	X(icmp6_time_exceeded_out, "ICMPv6 time exceeded errors sent (hop limit ran out)")         \
	X(icmp6_too_big_out, "ICMPv6 packet too big errors sent")                                  \
	X(icmp_unreach_out,                                                                        \
	  "ICMP destination unreachable sent (no route; unheld; UDP port, to us)")                 \
	X(icmp6_unreach_out, "ICMPv6 destination unreachable sent (no route; UDP port, to us)")    \
	X(icmp_err_rate_limited, "ICMP errors not sent: over dataplane.icmp-errors-per-second")    \
	X(icmp_err_suppressed, "ICMP errors not sent: about an ICMP error, a later fragment, a "   \
			       "broadcast or multicast, or from one of our addresses")

struct lns_cp_counters {
#define X(name, help) uint64_t name;
	LNS_CP_COUNTERS(X)
#undef X
};

enum cp_neigh_state {
	NEIGH_INCOMPLETE,
	NEIGH_REACHABLE,
	NEIGH_STALE,
};

#define CP_NEIGH_HOLD 4

struct cp_neigh {
	bool used;
	bool pinned; /* a route's next hop: kept and re-probed forever */
	int family;
	uint8_t addr[16];
	unsigned port;
	struct rte_ether_addr mac;
	enum cp_neigh_state state;
	uint64_t updated_ms; /* last confirmation */
	uint64_t next_probe_ms;
	unsigned probes;                      /* unanswered probes in a row */
	struct rte_mbuf *held[CP_NEIGH_HOLD]; /* frames waiting for the MAC */
	unsigned n_held;
};

#define LNS_CP_MAX_NEIGH 4096
#define LNS_CP_MAX_CONNS 64

struct cp_conn;

struct lns_cp {
	struct lns_runtime *rt;
	struct lns_cp_counters c;
	int epfd;
	int mgmt_fd;
	int metrics_fd;
	struct cp_conn *conns[LNS_CP_MAX_CONNS];
	struct cp_neigh neigh[LNS_CP_MAX_NEIGH]; /* few entries: LACs and next hops */
	unsigned n_neigh_hw;                     /* high-water mark of used slots */
	struct rte_timer neigh_timer;
	uint64_t start_ms;
	struct lns_l2tp l2tp;
	struct lns_auth auth;
	struct lns_pool *pools; /* one per cfg->pools entry */
	struct ppp_counters ppp_c;
	struct rte_hash *by_ip; /* subscriber IPv4 -> struct ppp_session */
	struct lns_radius radius;
	struct lns_tb icmp_tb; /* cp/icmp_err.c: ICMP errors sent */
	uint16_t icmp_ip_id;   /* their IPv4 identification */
	bool shutting_down;
};

extern volatile sig_atomic_t lns_quit;

int lns_cp_init(struct lns_cp *cp, struct lns_runtime *rt);
void lns_cp_run(struct lns_cp *cp); /* returns when lns_quit is set */
void lns_cp_fini(struct lns_cp *cp);
/* Orderly stop: end every session (StopCCN, accounting Stop, Accounting-Off) and give
 * the RADIUS servers up to ms to acknowledge. */
void lns_cp_shutdown(struct lns_cp *cp, unsigned ms);
void lns_cp_log_counters(const struct lns_cp *cp, const char *what);

/* cp/random.c: unpredictable octets (kernel generator, rte_rand if it cannot answer) */
void cp_random(void *buf, size_t len);

/* cp/control.c */
/* "aa:bb:cc:dd:ee:ff", lower case as ip(8) prints it. */
const char *cp_mac_str(const struct rte_ether_addr *m, char *buf, size_t len);
uint64_t cp_now_ms(void);
int cp_tx(struct lns_cp *cp, unsigned port, struct rte_mbuf *m);
int cp_eth_prepend(struct lns_cp *cp, unsigned port, struct rte_mbuf *m,
		   const struct rte_ether_addr *dst, uint16_t ethertype);
struct rte_mbuf *cp_new_frame(struct lns_cp *cp, unsigned port, const struct rte_ether_addr *dst,
			      uint16_t ethertype, uint16_t payload_len, void **payload);

/* cp/ipv4.c: ARP and ICMP echo */
void cp_ipv4_input(struct lns_cp *cp, unsigned port, struct rte_mbuf *m);
void cp_arp_input(struct lns_cp *cp, unsigned port, struct rte_mbuf *m);
void cp_arp_probe(struct lns_cp *cp, unsigned port, const uint8_t addr[4]);

/* cp/ipv6.c: neighbour discovery and ICMPv6 echo */
void cp_ipv6_input(struct lns_cp *cp, unsigned port, struct rte_mbuf *m);
void cp_nd_probe(struct lns_cp *cp, unsigned port, const uint8_t addr[16], bool unicast,
		 const struct rte_ether_addr *mac);

/* cp/resolve.c: neighbour state machine behind the workers' table */
int cp_neigh_init(struct lns_cp *cp);
void cp_neigh_fini(struct lns_cp *cp);
/* A neighbour spoke: update it if known, create it when create is set. */
void cp_neigh_learn(struct lns_cp *cp, unsigned port, int family, const void *addr,
		    const struct rte_ether_addr *mac, bool create);
const char *cp_neigh_state_name(enum cp_neigh_state s);
/* Make sure ADDR stays resolved while sessions use it (creates and probes it if unknown). */
void cp_neigh_keep(struct lns_cp *cp, unsigned port, int family, const void *addr);
/* Keep frame M (its destination MAC still blank) until ADDR resolves. */
int cp_neigh_hold(struct lns_cp *cp, unsigned port, int family, const void *addr,
		  struct rte_mbuf *m);

/* cp/ip_out.c: the control lcore's IPv4 output */
int cp_route4(struct lns_cp *cp, rte_be32_t dst, unsigned *port, rte_be32_t *nh);
int cp_udp4_send(struct lns_cp *cp, rte_be32_t src, rte_be32_t dst, uint16_t sport, uint16_t dport,
		 const void *payload, size_t len);
/* A packet (data at its IPv4 header) a worker could not send: resolve and send it. */
void cp_ip4_forward(struct lns_cp *cp, struct rte_mbuf *m);

/* cp/ip6_out.c: the same for IPv6 (data at its IPv6 header, LNS_PUNT_ROUTE6) */
int cp_route6(struct lns_cp *cp, const uint8_t dst[16], unsigned *port, uint8_t nh[16]);
void cp_ip6_forward(struct lns_cp *cp, struct rte_mbuf *m);

/* cp/mgmt.c: management socket and metrics */
int cp_mgmt_init(struct lns_cp *cp);
void cp_mgmt_fini(struct lns_cp *cp);
void cp_mgmt_event(struct lns_cp *cp, void *tag, uint32_t events);

#endif
