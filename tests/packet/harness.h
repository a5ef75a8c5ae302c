/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the packet tests (tests/packet/test_*.c) share: lnsd's own runtime
 * (app/runtime.c: lns_runtime_init, lns_port_fill, lns_fib_fill) built from a
 * test's YAML configuration, with two net_ring ports made from rings of our
 * own as bench/env.c makes them; EAL start-up and clean-up; and the frames
 * the tests build and check. Each test keeps its configuration, its sessions
 * and its cases in its own file.
 *
 * Every test's configuration has the access port first (192.0.2.1/24, the
 * LACs in 10/8 behind 192.0.2.254) and the core port second (198.51.100.1/24);
 * tests/fuzz/fuzz_worker.c adds a third.
 */
#ifndef LNS_TESTS_PACKET_HARNESS_H
#define LNS_TESTS_PACKET_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "app/app.h"
#include "config/config.h"
#include "dp/dp.h"
#include "dp/session.h"

#define ACC           0 /* port indexes, as in the configuration */
#define CORE          1
#define PKT_NQ_MAX    4 /* queues per port, at most */
#define PKT_PORTS_MAX 3 /* ports: the configuration's, at most */

/* Addresses, host order. */
#define LNS_ACC_IP 0xc0000201u /* 192.0.2.1 */
#define ACC_GW     0xc00002feu /* 192.0.2.254: the LACs (10/8) are behind it */
#define CORE_GW    0xc63364feu /* 198.51.100.254: the core's router */
#define LAC_IP     0x0a010001u /* 10.1.0.1 */
#define LAC_PORT   40000       /* the LAC's UDP port */
#define NET_IP     0xcb007105u /* 203.0.113.5: somewhere behind the core */

/* The routers' MACs: the LAC's side, the core's. */
extern const struct rte_ether_addr acc_gw_mac, core_gw_mac;

/* What differs between the tests' environments. */
struct pkt_opts {
	const char *name;   /* the test's, for messages and its configuration's file name */
	const char *yaml;   /* the configuration */
	unsigned n_workers; /* worker lcores lns_runtime_init() must find */
	unsigned nq;        /* queues per port: the workers' and the control lcore's */
	unsigned ring_size; /* of each port's rings and queues */
	bool rcu_main;      /* the main lcore is worker 0 for RCU, online from set-up on */
};

struct pkt_env {
	struct lns_config *cfg;
	struct lns_runtime *rt;
	struct lns_worker *w; /* rt->workers[0] */
	struct rte_ring *rxr[PKT_PORTS_MAX][PKT_NQ_MAX], *txr[PKT_PORTS_MAX][PKT_NQ_MAX];
	unsigned nq;
	bool ports_up[PKT_PORTS_MAX], rcu_main;
	uint32_t slot_a; /* the session most cases use, where a test's set-up publishes one */
};

extern struct pkt_env E;

/* Set-up and teardown of E; 0 or -1 (said on stderr) as cmocka's group set-up wants. */
int pkt_setup(const struct pkt_opts *o);
void pkt_teardown(void);
/* The MAC of a router with IPv4 address IP (host order), as the control lcore learns it. */
int pkt_neigh4(unsigned port, uint32_t ip, const struct rte_ether_addr *mac);

/*
 * EAL for test NAME on LCORES (EAL's --lcores): --no-huge, so no hugepages, but root.
 * 0 when it is up; else the exit status: 77 (meson: skipped) without root, 1 on failure.
 */
int pkt_eal_init(const char *name, const char *lcores);
/* EAL's clean-up, and its runtime directory removed. */
void pkt_eal_fini(void);

/* cp/ppp_fwd.c publish(): an entry of session (tid, sid) with the LAC (ptid, psid) at
 * LAC_IP:LAC_PORT behind ACC_GW, forwarding; the rest is the caller's. */
struct lns_dp_session pkt_session(uint16_t tid, uint16_t sid, uint16_t ptid, uint16_t psid);
/* The same published in a new slot with its /32 for SUB_IP (host order), FLAGS and the LAC's
 * MAC (NULL: unknown, the worker asks the neighbour table); the slot. */
/* The slot (TID, SID) names (lns_session_slot_take); LNS_SESSION_SLOT_NONE if taken. */
uint32_t take_slot(uint16_t tid, uint16_t sid);
uint32_t publish_ex(uint16_t tid, uint16_t sid, uint16_t ptid, uint16_t psid, uint32_t sub_ip,
		    uint16_t mtu, uint8_t flags, const struct rte_ether_addr *lac_mac);
uint32_t publish(uint16_t tid, uint16_t sid, uint16_t ptid, uint16_t psid, uint32_t sub_ip,
		 uint16_t mtu);
/* cp/ppp_fwd.c's withdrawal: route, entry, then the slot (after a grace period). */
void withdraw(uint16_t tid, uint16_t sid, uint32_t sub_ip, uint32_t slot);

/* Frames. */
void put(struct rte_mbuf *m, const void *src, size_t len);
void put_eth(struct rte_mbuf *m, const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
	     uint16_t type);
/* IPv4 header of a packet of tot octets into buf; FRAG: the flags and offset word. */
void ip_hdr(uint8_t *buf, uint32_t src, uint32_t dst, uint8_t ttl, size_t tot, uint16_t frag,
	    uint8_t proto);
/* A UDP-carrying IPv4 packet of tot octets, a byte pattern after the header; tot. */
size_t inner_ip(uint8_t *buf, uint32_t src, uint32_t dst, uint8_t ttl, size_t tot, uint16_t frag);
/* An L2TP data frame from the LAC to us: Eth/IPv4/UDP 1701, then hdr (the L2TP header and
 * PPP framing, as given) and the inner packet. */
struct rte_mbuf *up_frame(const uint8_t *hdr, size_t hlen, const uint8_t *in, size_t ilen);
/* A packet of EtherType TYPE from the core's router to DMAC. */
struct rte_mbuf *down_frame_to(const struct rte_ether_addr *dmac, uint16_t type, const uint8_t *in,
			       size_t ilen);
/* An IPv4 packet from the core's router to our core MAC. */
struct rte_mbuf *down_frame(const uint8_t *in, size_t ilen);
/* The worker's own path (E.w) for a burst, here of one, received on PORT. */
enum lns_verdict classify(unsigned port, struct rte_mbuf *m);

/* Checks. Frames are read through copies: after PFC (an odd PPP header) the forwarded
 * packet starts at an odd address. */
void check_ipv4_cksum(const struct rte_ipv4_hdr *ip);
/* Ethernet to DST from our MAC on PORT, of EtherType TYPE. */
void check_eth(const uint8_t *p, const struct rte_ether_addr *dst, unsigned port, uint16_t type);
/* A session slot's counters, summed over the workers. */
struct lns_sess_ctr ctr(uint32_t slot);
void check_ctr_delta(const struct lns_sess_ctr *before, uint32_t slot, uint64_t up_pkts,
		     uint64_t up_bytes, uint64_t down_pkts, uint64_t down_bytes);
/* One upstream frame: the verdict, and session A's counters unchanged. */
void up_verdict(const uint8_t *hdr, size_t hlen, const uint8_t *in, size_t ilen,
		enum lns_verdict want);

#endif
