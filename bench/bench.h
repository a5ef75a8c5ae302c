/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lns_bench: the worker's real code (dp/) on two net_ring ports, fed with
 * prebuilt packets. Everything runs in one process: each of the workers
 * measured has a generator and judge that takes turns with it on its lcore
 * (lns_bench.c: lanes), the worker running either lns_worker_main() itself or
 * an I/O-only loop (the floor).
 */
#ifndef LNS_BENCH_H
#define LNS_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

#include "config/config.h"
#include "dp/dp.h"

#define BENCH_PORTS     2                     /* 0: access (LACs), 1: core */
#define BENCH_QUEUES    (LNS_MAX_WORKERS + 1) /* per port at most: one a worker, the control's */
#define BENCH_RING_SIZE 8192                  /* each port queue's ring; holds a whole round */
#define BENCH_ROUND_MAX 4096

/* Addresses of the benchmark's network (bench/bench.yaml has the ports' own). */
#define BENCH_LNS_ACC_IP  0xc0000201u /* 192.0.2.1: our L2TP address */
#define BENCH_ACC_ROUTER  0xc00002feu /* 192.0.2.254: router toward the LACs */
#define BENCH_CORE_ROUTER 0xc63364feu /* 198.51.100.254: the core router */
#define BENCH_LAC_NET     0x0a000000u /* 10.0.0.0/8: LAC n is 10.0.0.0 + n + 1 */
#define BENCH_SUB_NET     0x64400000u /* 100.64.0.0/10: subscriber i is .. + i + 1 */
#define BENCH_INET_NET    0xc6120000u /* 198.18.0.0/15: hosts in the Internet */
#define BENCH_INET_MASK   0x1ffffu
/*
 * IPv6 (bench/bench.yaml): session i's /64 is 2001:db8:1000::/40's i-th
 * (the links' pool: octets 5..7 are i), its SLAAC address that /64 plus
 * BENCH_IFID | i; the core router is 2001:db8:2::fe on the core port's
 * 2001:db8:2::/64, behind it ::/0, and the Internet's hosts are random in
 * 2001:db8:8000::/33.
 */
#define BENCH_IFID 0x021100fffe000000ull /* a modified EUI-64, low 24 bits the session */

enum bench_scen {
	SC_PLAIN, /* access -> core, IPv4 to a routed prefix */
	SC_UP,    /* access -> core, L2TP data decapsulated and routed */
	SC_DOWN,  /* core -> access, IPv4 to a subscriber, encapsulated */
	SC_UP6,   /* access -> core, L2TP data with IPv6 inside (PPP 0x0057), routed */
	SC_DOWN6, /* core -> access, IPv6 to a subscriber's /64, encapsulated */
	SC_N
};

struct bench_env {
	struct lns_config *cfg;
	struct lns_runtime *rt;
	struct rte_ring *rxr[BENCH_PORTS][BENCH_QUEUES]; /* what the ports receive */
	struct rte_ring *txr[BENCH_PORTS][BENCH_QUEUES]; /* what the ports send */
	unsigned nq; /* queues per port: queue w is worker w's, the last the control lcore's */
	struct rte_ether_addr acc_router_mac, core_router_mac;
	uint32_t n_sess;
	uint32_t spt;     /* sessions per tunnel */
	uint32_t *slot;   /* session index -> its slot */
	uint16_t *sid;    /* session index -> our session ID (it names the slot: dp/session.h) */
	bool fib_direct;  /* the FIB's /32s were written into rte_lpm's tables */
	int fib_selftest; /* with lns_fib_add_session: 1 the direct fill gives the same tables */
	double t_publish_s, t_fib_s, t_fib6_s;
	/* heap bytes (rte_malloc statistics) taken by each part */
	size_t mem_pool, mem_neigh, mem_sess_table, mem_sess_entries, mem_sess_ctr, mem_fib,
		mem_fib_fill, mem_fib6, mem_fib_pools;
};

/* A session's attributes, all derived from its index. */
static inline uint32_t bench_tunnel(const struct bench_env *e, uint32_t i)
{
	return i / e->spt;
}
static inline uint16_t bench_tid(const struct bench_env *e, uint32_t i)
{
	return (uint16_t)(bench_tunnel(e, i) + 1);
}
static inline uint16_t bench_sid(const struct bench_env *e, uint32_t i)
{
	return e->sid[i];
}
static inline uint16_t bench_peer_tid(const struct bench_env *e, uint32_t i)
{
	return (uint16_t)(bench_tid(e, i) ^ 0x8000);
}
static inline uint16_t bench_peer_sid(const struct bench_env *e, uint32_t i)
{
	return (uint16_t)((i % e->spt + 1) ^ 0x4000);
}
static inline rte_be32_t bench_lac_ip(const struct bench_env *e, uint32_t i)
{
	return rte_cpu_to_be_32(BENCH_LAC_NET + bench_tunnel(e, i) + 1);
}
static inline rte_be32_t bench_sub_ip(uint32_t i)
{
	return rte_cpu_to_be_32(BENCH_SUB_NET + i + 1);
}
static inline bool bench_scen_v6(enum bench_scen sc)
{
	return sc == SC_UP6 || sc == SC_DOWN6;
}

/* Whether SC's packets come from the LACs: a tunnel's on one queue. */
static inline bool bench_scen_up(enum bench_scen sc)
{
	return sc == SC_UP || sc == SC_UP6;
}

/* The /64 of session i (its link's prefix, from the links' pool). */
static inline void bench_sub6_prefix(uint32_t i, uint8_t a[16])
{
	static const uint8_t net[16] = {0x20, 0x01, 0x0d, 0xb8, 0x10};

	memcpy(a, net, 16);
	a[5] = (uint8_t)(i >> 16);
	a[6] = (uint8_t)(i >> 8);
	a[7] = (uint8_t)i;
}
/* An address in it: its SLAAC address for ifid BENCH_IFID | i. */
static inline void bench_sub6_addr(uint32_t i, uint64_t ifid, uint8_t a[16])
{
	rte_be64_t id = rte_cpu_to_be_64(ifid);

	bench_sub6_prefix(i, a);
	memcpy(a + 8, &id, 8);
}
/* A host in the Internet, from a random number: 2001:db8:8000::/33. */
static inline void bench_inet6(uint32_t rnd, uint8_t a[16])
{
	static const uint8_t net[16] = {0x20, 0x01, 0x0d, 0xb8, 0x80, 0, 0, 0,
					0,    0,    0,    0,    0,    0, 0, 1};
	rte_be32_t r = rte_cpu_to_be_32(rnd);

	memcpy(a, net, 16);
	memcpy(a + 4, &r, 4);
	a[4] |= 0x80;
}

/* bench/env.c */
int bench_env_init(struct bench_env *e, const char *cfg_file, uint32_t n_sess, uint32_t spt,
		   int fib_direct, char *err, size_t errlen);
void bench_env_fini(struct bench_env *e);

/* bench/fib_direct.c */
int bench_fib_fill_direct(struct bench_env *e, char *err, size_t errlen);

/* bench/pkt.c: one scenario's packets at one inner size. */
struct bench_tmpl {
	enum bench_scen scen;
	unsigned size;    /* the inner IPv4 or IPv6 packet, header included */
	uint8_t hdr[128]; /* the frame's headers, up to the inner UDP header */
	uint16_t hdr_len;
	uint16_t frame_len;
	uint16_t outer_ip, l2tp, inner_ip; /* offsets in the frame (0 when absent) */
	unsigned in_port, out_port;        /* indexes in rt->ports */
	uint32_t l4_sum;                   /* IPv6: the UDP checksum's sum without the addresses */
};

void bench_tmpl_build(const struct bench_env *e, struct bench_tmpl *t, enum bench_scen scen,
		      unsigned size);
/* Prepare a fresh frame of t for session i in m, as a NIC's RX would leave it. */
void bench_pkt_restore(const struct bench_env *e, const struct bench_tmpl *t, struct rte_mbuf *m,
		       uint32_t i, uint32_t rnd);
/* Write the whole frame (payload too); once per mbuf. */
void bench_pkt_fill(const struct bench_env *e, const struct bench_tmpl *t, struct rte_mbuf *m);
/* 0 when m is what lns must send for session i's packet; else what differs. */
const char *bench_pkt_check(const struct bench_env *e, const struct bench_tmpl *t,
			    const struct rte_mbuf *m, uint32_t i, uint32_t rnd);

extern const char *const bench_scen_name[SC_N];

#endif
