/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet tests of ICMP Destination Unreachable on the workers' side
 * (dp/unreach.c, docs/dataplane.md) and of a subscriber's IPv6 to lnsd's
 * own global addresses (dp/fwd6.c): what the real worker loop (dp/worker.c
 * lns_worker_main, on the second EAL lcore, as tests/packet/test_mtu.c runs
 * it) leaves on the punt ring, with which reason and code in m->hash.usr,
 * and what it counts.
 *
 *  - IPv4 without a route, from the core and from a subscriber: net
 *    unreachable; to a pool's address that no session holds: host
 *    unreachable; IPv6 without a route: no route; to an IPv6 pool's prefix
 *    that no session holds: address unreachable. The packet as received.
 *  - RFC 1812 / RFC 4443's never-answer rules keep some back; the worker's
 *    token bucket the rest of a flood; dataplane.icmp-unreachable: false all.
 *  - drop_no_route counts every one of them, whatever becomes of it.
 *  - IPv6 from a subscriber to an address of any of lnsd's ports: the frame
 *    as received for the control lcore (cp/ppp_v6.c), whatever its hop limit.
 *
 * Needs root (EAL); --no-huge.
 */
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_launch.h>

#include "dp/fib6.h"
#include "dp/icmp.h"
#include "dp/neigh.h"

#include "harness.h"

#define NQ   2 /* queues per port: one worker plus the control lcore's */
#define RING 256

/* No default route: 203.0.113.0/24 behind the core's router, the LACs behind the access one. */
static const char cfg_yaml[] = "dataplane:\n"
			       "  mbufs: 2048\n"
			       "  mbuf-cache: 32\n"
			       "  punt-ring-size: 64\n"
			       "  icmp-errors-per-second: 1000\n"
			       "ports:\n"
			       "  - name: access0\n"
			       "    device: \"net_ring_unr_acc\"\n"
			       "    role: access\n"
			       "    mac: \"02:00:00:00:00:01\"\n"
			       "    addresses: [\"192.0.2.1/24\", \"2001:db8:1::1/64\"]\n"
			       "  - name: core0\n"
			       "    device: \"net_ring_unr_core\"\n"
			       "    role: core\n"
			       "    mac: \"02:00:00:00:00:02\"\n"
			       "    addresses: [\"198.51.100.1/24\", \"2001:db8:2::1/64\"]\n"
			       "routes:\n"
			       "  - prefix: 203.0.113.0/24\n"
			       "    via: 198.51.100.254\n"
			       "  - prefix: 10.0.0.0/8\n"
			       "    via: 192.0.2.254\n"
			       "  - prefix: \"2001:db8:ff00::/40\"\n"
			       "    via: \"2001:db8:2::fe\"\n"
			       "l2tp:\n"
			       "  max-sessions: 65536\n" /* every session ID names a slot */
			       "  allow-unknown-peers: true\n"
			       "ppp:\n"
			       "  pd-pool: delegated\n"
			       "pools:\n"
			       "  - name: default\n"
			       "    ranges: [\"100.64.0.0/10\"]\n"
			       /* inside the core's /40, which must not take their free prefixes */
			       "  - name: links\n"
			       "    ranges: [\"2001:db8:ff10::/48\"]\n"
			       "  - name: delegated\n"
			       "    ranges: [\"2001:db8:ff20::/44\"]\n"
			       "    prefix-length: 56\n";

static const struct pkt_opts opts = {
	.name = "test_unreach",
	.yaml = cfg_yaml,
	.n_workers = 1,
	.nq = NQ,
	.ring_size = RING,
	.rcu_main = false, /* the worker loop registers itself */
};

/* Addresses, host order. */
#define SUB_IP    0x64400005u /* 100.64.0.5: session A */
#define UNHELD_IP 0x64400063u /* 100.64.0.99: the pool's, nobody's */
#define UNROUTED  0xc6120001u /* 198.18.0.1: no route */

#define A6(...)    ((const uint8_t[16]){__VA_ARGS__})
#define NET6       A6(0x20, 0x01, 0x0d, 0xb8, 0xff, 0x01, [15] = 5) /* behind the /40 */
#define CORE_GW6   A6(0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0xfe)
#define UNROUTED6  A6(0x20, 0x01, 0x0d, 0xb8, 0xde, 0xad, [15] = 1)
#define LNS_CORE6  A6(0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 1)
#define LNS_ACC6   A6(0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1)
#define CORE_HOST6 A6(0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 7)
/* session A's /64 and an address in it */
#define A_PFX A6(0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00, 0x05)
#define A_SUB A6(0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00, 0x05, [15] = 0x34)
#define B_SUB A6(0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00, 0x06, [15] = 1)
/* the IPv6 pools: free prefixes of each; one /64 of the links pool that session A holds */
#define FREE_LINK6 A6(0x20, 0x01, 0x0d, 0xb8, 0xff, 0x10, 0x00, 0x09, [15] = 1)
#define FREE_PD6   A6(0x20, 0x01, 0x0d, 0xb8, 0xff, 0x2f, 0x12, 0x34, [15] = 1)
#define HELD_PFX6  A6(0x20, 0x01, 0x0d, 0xb8, 0xff, 0x10, 0x00, 0x05)
#define HELD6      A6(0x20, 0x01, 0x0d, 0xb8, 0xff, 0x10, 0x00, 0x05, [15] = 0x77)

#define A_TID  100
#define A_SID  200
#define A_PTID 7
#define A_PSID 9
#define A_MTU  1400

#define ID_A A_TID >> 8, A_TID & 0xff, A_SID >> 8, A_SID & 0xff

/* session A's L2TP data header and PPP: IPv4, IPv6 */
static const uint8_t hdr_a[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};
static const uint8_t hdr_a6[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x57};

#define UNREACH4(code) LNS_PUNT_WITH_CODE(LNS_PUNT_ICMP_UNREACH, code)
#define UNREACH6(code) LNS_PUNT_WITH_CODE(LNS_PUNT_ICMP6_UNREACH, code)

/* ---------------------------------------------------------------- set-up */

static int setup(void **state)
{
	(void)state;
	if (pkt_setup(&opts) < 0 || pkt_neigh4(ACC, ACC_GW, &acc_gw_mac) < 0 ||
	    pkt_neigh4(CORE, CORE_GW, &core_gw_mac) < 0 ||
	    lns_neigh_set(E.rt->neigh, CORE, AF_INET6, CORE_GW6, &core_gw_mac) < 0)
		return -1;
	/* session A: its address from the pool and a /64 */
	E.slot_a = publish(A_TID, A_SID, A_PTID, A_PSID, SUB_IP, A_MTU);
	if (lns_fib6_add_session_route(E.rt->fib6, A_PFX, 64, E.slot_a) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pkt_teardown();
	return 0;
}

/* Each test: the worker's bucket refilled from the configuration at first use. */
static int each(void **state)
{
	(void)state;
	E.w->icmp_tb.hz = 0;
	E.cfg->dataplane.icmp_unreachable = true;
	return 0;
}

/* ------------------------------------------------ the worker loop, once */

static uint64_t rx_count(void)
{
	return __atomic_load_n(&E.w->c.rx, __ATOMIC_ACQUIRE);
}

/* The real worker loop on EAL lcore 1 until it has received the N frames queued on PORT. */
static void run_worker(unsigned port, struct rte_mbuf **m, unsigned n)
{
	uint64_t want = rx_count() + n;
	uint64_t deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();

	assert_int_equal(rte_ring_enqueue_bulk(E.rxr[port][0], (void **)m, n, NULL), n);
	E.rt->stop = false;
	assert_int_equal(rte_eal_remote_launch(lns_worker_main, E.w, 1), 0);
	while (rx_count() < want && rte_get_timer_cycles() < deadline)
		usleep(1000);
	E.rt->stop = true;
	rte_eal_wait_lcore(1);
	E.rt->stop = false;
	assert_int_equal(rx_count(), want);
}

static unsigned take(struct rte_mbuf **m, unsigned max)
{
	return rte_ring_dequeue_burst(E.rt->punt, (void **)m, max, NULL);
}

/* Nothing on any TX ring or the punt ring. */
static void check_rings_empty(void)
{
	for (unsigned p = 0; p < 2; p++)
		for (unsigned q = 0; q < NQ; q++)
			assert_int_equal(rte_ring_count(E.txr[p][q]), 0);
	assert_int_equal(rte_ring_count(E.rt->punt), 0);
}

/* One punted packet: its reason word, and its octets (data at the IP header). */
static void check_punt(struct rte_mbuf *m, uint32_t why, const uint8_t *want, size_t len)
{
	uint8_t got[2048];

	assert_int_equal(m->hash.usr, why);
	assert_int_equal(rte_pktmbuf_pkt_len(m), len);
	assert_memory_equal(rte_pktmbuf_read(m, 0, (uint32_t)len, got), want, len);
}

/* An IPv6 packet of TOT octets (next header NH, a byte pattern after the header). */
static size_t inner6(uint8_t *buf, const uint8_t *src, const uint8_t *dst, uint8_t hops, size_t tot,
		     uint8_t nh)
{
	struct rte_ipv6_hdr ip = {0};

	ip.vtc_flow = RTE_BE32(6u << 28);
	ip.payload_len = rte_cpu_to_be_16((uint16_t)(tot - sizeof(ip)));
	ip.proto = nh;
	ip.hop_limits = hops;
	memcpy(ip.src_addr, src, 16);
	memcpy(ip.dst_addr, dst, 16);
	memcpy(buf, &ip, sizeof(ip));
	for (size_t i = sizeof(ip); i < tot; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	return tot;
}

static struct rte_mbuf *down_frame6(const uint8_t *in, size_t ilen)
{
	return down_frame_to(&E.rt->ports[CORE].mac, RTE_ETHER_TYPE_IPV6, in, ilen);
}

/* ------------------------------------------------------------- IPv4 */

/*
 * No route from the core: net unreachable; a pool's address nobody holds: host
 * unreachable. From the subscriber likewise. Each as it arrived (TTL not taken
 * down: it was never routed), each counted as drop_no_route and punted.
 */
static void test_no_route4_punted(void **state)
{
	uint8_t d_net[60], d_host[64], u_net[80], u_host[84];
	struct rte_mbuf *m[4], *p[8];
	struct lns_worker_counters b = E.w->c, a;
	struct lns_sess_ctr sb = ctr(E.slot_a), sa;

	(void)state;
	inner_ip(d_net, NET_IP, UNROUTED, 64, sizeof(d_net), 0);
	inner_ip(d_host, NET_IP, UNHELD_IP, 64, sizeof(d_host), RTE_IPV4_HDR_DF_FLAG);
	inner_ip(u_net, SUB_IP, UNROUTED, 64, sizeof(u_net), 0);
	inner_ip(u_host, SUB_IP, UNHELD_IP, 2, sizeof(u_host), 0);
	m[0] = down_frame(d_net, sizeof(d_net));
	m[1] = down_frame(d_host, sizeof(d_host));
	run_worker(CORE, m, 2);
	m[2] = up_frame(hdr_a, sizeof(hdr_a), u_net, sizeof(u_net));
	m[3] = up_frame(hdr_a, sizeof(hdr_a), u_host, sizeof(u_host));
	run_worker(ACC, &m[2], 2);
	a = E.w->c;
	assert_int_equal(take(p, 8), 4);
	check_punt(p[0], UNREACH4(LNS_ICMP_NET_UNREACH), d_net, sizeof(d_net));
	check_punt(p[1], UNREACH4(LNS_ICMP_HOST_UNREACH), d_host, sizeof(d_host));
	check_punt(p[2], UNREACH4(LNS_ICMP_NET_UNREACH), u_net, sizeof(u_net));
	check_punt(p[3], UNREACH4(LNS_ICMP_HOST_UNREACH), u_host, sizeof(u_host));
	assert_int_equal(LNS_PUNT_CODE(p[1]->hash.usr), 1);
	rte_pktmbuf_free_bulk(p, 4);
	assert_int_equal(a.rx - b.rx, 4);
	assert_int_equal(a.drop_no_route - b.drop_no_route, 4);
	assert_int_equal(a.punt - b.punt, 4);
	assert_int_equal(a.tx - b.tx, 0);
	assert_int_equal(a.icmp_punt_limited - b.icmp_punt_limited, 0);
	/* not the subscriber's traffic: it went nowhere */
	sa = ctr(E.slot_a);
	assert_memory_equal(&sa, &sb, sizeof(sa));
	check_rings_empty();
}

/* A routed packet and a held pool address are forwarded, not answered. */
static void test_routed_not_answered(void **state)
{
	uint8_t down[60], up[60];
	struct rte_mbuf *m[2], *t[4];
	struct lns_worker_counters b = E.w->c, a;

	(void)state;
	inner_ip(down, NET_IP, SUB_IP, 64, sizeof(down), 0);
	inner_ip(up, SUB_IP, NET_IP, 64, sizeof(up), 0);
	m[0] = down_frame(down, sizeof(down));
	run_worker(CORE, m, 1);
	m[1] = up_frame(hdr_a, sizeof(hdr_a), up, sizeof(up));
	run_worker(ACC, &m[1], 1);
	a = E.w->c;
	assert_int_equal(a.tx - b.tx, 2);
	assert_int_equal(a.drop_no_route - b.drop_no_route, 0);
	assert_int_equal(a.punt - b.punt, 0);
	assert_int_equal(rte_ring_dequeue_burst(E.txr[ACC][0], (void **)t, 4, NULL), 1);
	rte_pktmbuf_free(t[0]);
	assert_int_equal(rte_ring_dequeue_burst(E.txr[CORE][0], (void **)t, 4, NULL), 1);
	rte_pktmbuf_free(t[0]);
	check_rings_empty();
}

/*
 * RFC 1812 4.3.2.7: no error about an ICMP error, a later fragment, a packet
 * from 0/8 or 127/8. Dropped and counted all the same; the echo request among
 * them is answered.
 */
static void test_no_route4_never_answered(void **state)
{
	uint8_t err[56], frag[60], zero[60], lo[60], echo[60];
	struct rte_mbuf *m[5], *p[8];
	struct lns_worker_counters b = E.w->c, a;

	(void)state;
	ip_hdr(err, NET_IP, UNROUTED, 64, sizeof(err), 0, IPPROTO_ICMP);
	memset(err + 20, 0, sizeof(err) - 20);
	err[20] = 3; /* a port unreachable quoting something */
	err[21] = 3;
	inner_ip(frag, NET_IP, UNROUTED, 64, sizeof(frag), 100);
	inner_ip(zero, 0x00000001u, UNHELD_IP, 64, sizeof(zero), 0);
	inner_ip(lo, 0x7f000001u, UNROUTED, 64, sizeof(lo), 0);
	ip_hdr(echo, NET_IP, UNROUTED, 64, sizeof(echo), 0, IPPROTO_ICMP);
	memset(echo + 20, 0, sizeof(echo) - 20);
	echo[20] = 8;
	m[0] = down_frame(err, sizeof(err));
	m[1] = down_frame(frag, sizeof(frag));
	m[2] = down_frame(zero, sizeof(zero));
	m[3] = down_frame(lo, sizeof(lo));
	m[4] = down_frame(echo, sizeof(echo));
	run_worker(CORE, m, 5);
	a = E.w->c;
	assert_int_equal(take(p, 8), 1);
	check_punt(p[0], UNREACH4(LNS_ICMP_NET_UNREACH), echo, sizeof(echo));
	rte_pktmbuf_free(p[0]);
	assert_int_equal(a.drop_no_route - b.drop_no_route, 5);
	assert_int_equal(a.punt - b.punt, 1);
	assert_int_equal(a.icmp_punt_limited - b.icmp_punt_limited, 0);
	check_rings_empty();
}

/* The worker's bucket: 10 unrouted packets, 3 tokens: 3 punted, 7 held back, 10 counted. */
static void test_no_route_rate_limited(void **state)
{
	uint8_t in[60], in6[60];
	struct rte_mbuf *m[12], *p[16];
	struct lns_worker_counters b = E.w->c, a;
	unsigned n;

	(void)state;
	/* 3 tokens; a clock at its end, so none come back while the test runs */
	lns_tb_init(&E.w->icmp_tb, 3, 3, rte_get_tsc_hz(), UINT64_MAX);
	inner_ip(in, NET_IP, UNROUTED, 64, sizeof(in), 0);
	inner6(in6, NET6, UNROUTED6, 64, sizeof(in6), IPPROTO_UDP);
	for (unsigned i = 0; i < 8; i++)
		m[i] = down_frame(in, sizeof(in));
	m[8] = down_frame6(in6, sizeof(in6));
	m[9] = down_frame6(in6, sizeof(in6));
	run_worker(CORE, m, 10);
	a = E.w->c;
	n = take(p, 16);
	rte_pktmbuf_free_bulk(p, n);
	assert_int_equal(n, 3);
	assert_int_equal(a.drop_no_route - b.drop_no_route, 10);
	assert_int_equal(a.punt - b.punt, 3);
	assert_int_equal(a.icmp_punt_limited - b.icmp_punt_limited, 7);
	check_rings_empty();
}

/* dataplane.icmp-unreachable: false: dropped and counted, never punted, no token taken. */
static void test_unreachable_off(void **state)
{
	uint8_t in[60], in6[60];
	struct rte_mbuf *m[3];
	struct lns_worker_counters b = E.w->c, a;

	(void)state;
	E.cfg->dataplane.icmp_unreachable = false;
	inner_ip(in, NET_IP, UNROUTED, 64, sizeof(in), 0);
	m[0] = down_frame(in, sizeof(in));
	inner_ip(in, NET_IP, UNHELD_IP, 64, sizeof(in), 0);
	m[1] = down_frame(in, sizeof(in));
	m[2] = down_frame6(in6, inner6(in6, NET6, UNROUTED6, 64, sizeof(in6), IPPROTO_UDP));
	run_worker(CORE, m, 3);
	a = E.w->c;
	assert_int_equal(a.drop_no_route - b.drop_no_route, 3);
	assert_int_equal(a.punt - b.punt, 0);
	assert_int_equal(a.icmp_punt_limited - b.icmp_punt_limited, 0);
	check_rings_empty();
}

/* ------------------------------------------------------------- IPv6 */

/* No route, from the core and from the subscriber: ICMPv6 no route, the packet as received. */
static void test_no_route6_punted(void **state)
{
	uint8_t down[60], up[72];
	struct rte_mbuf *m[2], *p[4];
	struct lns_worker_counters b = E.w->c, a;

	(void)state;
	inner6(down, NET6, UNROUTED6, 64, sizeof(down), IPPROTO_UDP);
	inner6(up, A_SUB, UNROUTED6, 2, sizeof(up), IPPROTO_TCP);
	m[0] = down_frame6(down, sizeof(down));
	run_worker(CORE, m, 1);
	m[1] = up_frame(hdr_a6, sizeof(hdr_a6), up, sizeof(up));
	run_worker(ACC, &m[1], 1);
	a = E.w->c;
	assert_int_equal(take(p, 4), 2);
	check_punt(p[0], UNREACH6(LNS_ICMP6_NO_ROUTE), down, sizeof(down));
	check_punt(p[1], UNREACH6(LNS_ICMP6_NO_ROUTE), up, sizeof(up));
	rte_pktmbuf_free_bulk(p, 2);
	assert_int_equal(a.drop_no_route - b.drop_no_route, 2);
	assert_int_equal(a.punt - b.punt, 2);
	check_rings_empty();
}

/*
 * To a free prefix of the links pool and of the delegated pool, from the core
 * (whose /40 route covers both) and from the subscriber: dropped as no route and
 * punted for an ICMPv6 address unreachable (code 3), as received; nothing sent
 * back toward the core. To a held prefix of the pool: into the session's tunnel.
 */
static void test_pool6_unreach(void **state)
{
	uint8_t d_link[60], d_pd[64], u_link[72], held[60];
	struct rte_mbuf *m[4], *p[4], *t[4];
	struct lns_worker_counters b = E.w->c, a;
	struct lns_sess_ctr sb = ctr(E.slot_a), sa;

	(void)state;
	assert_int_equal(lns_fib6_add_session_route(E.rt->fib6, HELD_PFX6, 64, E.slot_a), 0);
	inner6(d_link, NET6, FREE_LINK6, 64, sizeof(d_link), IPPROTO_UDP);
	inner6(d_pd, NET6, FREE_PD6, 64, sizeof(d_pd), IPPROTO_ICMPV6);
	d_pd[40] = 128; /* an echo request: a ping is answered */
	inner6(held, NET6, HELD6, 64, sizeof(held), IPPROTO_UDP);
	inner6(u_link, A_SUB, FREE_LINK6, 9, sizeof(u_link), IPPROTO_TCP);
	m[0] = down_frame6(d_link, sizeof(d_link));
	m[1] = down_frame6(d_pd, sizeof(d_pd));
	m[2] = down_frame6(held, sizeof(held));
	run_worker(CORE, m, 3);
	m[3] = up_frame(hdr_a6, sizeof(hdr_a6), u_link, sizeof(u_link));
	run_worker(ACC, &m[3], 1);
	a = E.w->c;
	assert_int_equal(take(p, 4), 3);
	check_punt(p[0], UNREACH6(LNS_ICMP6_ADDR_UNREACH), d_link, sizeof(d_link));
	check_punt(p[1], UNREACH6(LNS_ICMP6_ADDR_UNREACH), d_pd, sizeof(d_pd));
	check_punt(p[2], UNREACH6(LNS_ICMP6_ADDR_UNREACH), u_link, sizeof(u_link));
	assert_int_equal(LNS_PUNT_CODE(p[0]->hash.usr), 3);
	rte_pktmbuf_free_bulk(p, 3);
	assert_int_equal(a.drop_no_route - b.drop_no_route, 3);
	assert_int_equal(a.punt - b.punt, 3);
	assert_int_equal(a.tx - b.tx, 1);
	/* the held prefix's packet went into A's tunnel; nothing toward the core */
	assert_int_equal(rte_ring_dequeue_burst(E.txr[ACC][0], (void **)t, 4, NULL), 1);
	rte_pktmbuf_free(t[0]);
	sa = ctr(E.slot_a);
	assert_int_equal(sa.down_pkts - sb.down_pkts, 1);
	assert_int_equal(sa.up_pkts - sb.up_pkts, 0);
	check_rings_empty();

	/* dataplane.icmp-unreachable: false: the same drop, silent */
	E.cfg->dataplane.icmp_unreachable = false;
	b = E.w->c;
	m[0] = down_frame6(d_link, sizeof(d_link));
	run_worker(CORE, m, 1);
	a = E.w->c;
	assert_int_equal(a.drop_no_route - b.drop_no_route, 1);
	assert_int_equal(a.punt - b.punt, 0);
	check_rings_empty();
	assert_int_equal(lns_fib6_del_session_route(E.rt->fib6, HELD_PFX6, 64), 0);
}

/* RFC 4443 2.4 (e): not about an ICMPv6 error, nor from a multicast source. */
static void test_no_route6_never_answered(void **state)
{
	uint8_t err[60], mc[60];
	struct rte_mbuf *m[2];
	struct lns_worker_counters b = E.w->c, a;

	(void)state;
	inner6(err, NET6, UNROUTED6, 64, sizeof(err), IPPROTO_ICMPV6);
	err[40] = LNS_ICMP6_DEST_UNREACH;
	inner6(mc, A6(0xff, 0x0e, [15] = 1), UNROUTED6, 64, sizeof(mc), IPPROTO_UDP);
	m[0] = down_frame6(err, sizeof(err));
	m[1] = down_frame6(mc, sizeof(mc));
	run_worker(CORE, m, 2);
	a = E.w->c;
	assert_int_equal(a.drop_no_route - b.drop_no_route, 2);
	assert_int_equal(a.punt - b.punt, 0);
	assert_int_equal(a.icmp_punt_limited - b.icmp_punt_limited, 0);
	check_rings_empty();
}

/*
 * A subscriber's IPv6 to lnsd's own global addresses (the core port's, the
 * access port's), with any hop limit: the frame as received, for PPP on the
 * control lcore. To another host on the core subnet: routed, not punted; from
 * a source that is not the subscriber's: spoofed.
 */
static void test_up6_to_us_punted(void **state)
{
	const uint8_t *dst[] = {LNS_CORE6, LNS_ACC6, LNS_CORE6};
	const uint8_t hops[] = {64, 64, 1};
	uint8_t in[3][64], other[64];
	struct rte_mbuf *m[5], *p[8];
	struct lns_worker_counters b = E.w->c, a;
	struct lns_sess_ctr sb = ctr(E.slot_a), sa;

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		inner6(in[i], A_SUB, dst[i], hops[i], sizeof(in[i]), IPPROTO_ICMPV6);
		m[i] = up_frame(hdr_a6, sizeof(hdr_a6), in[i], sizeof(in[i]));
	}
	inner6(other, B_SUB, LNS_CORE6, 64, sizeof(other), IPPROTO_ICMPV6);
	m[3] = up_frame(hdr_a6, sizeof(hdr_a6), other, sizeof(other));
	run_worker(ACC, m, 4);
	a = E.w->c;
	assert_int_equal(take(p, 8), 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(p[i]->hash.usr, LNS_PUNT_FRAME);
		assert_int_equal(p[i]->l2_len, 14); /* what the control lcore parses it by */
		assert_int_equal(p[i]->l3_len, 20);
		assert_int_equal(rte_pktmbuf_pkt_len(p[i]), 42 + sizeof(hdr_a6) + sizeof(in[i]));
		assert_memory_equal(rte_pktmbuf_mtod_offset(p[i], uint8_t *, 42), hdr_a6,
				    sizeof(hdr_a6));
		assert_memory_equal(rte_pktmbuf_mtod_offset(p[i], uint8_t *, 42 + sizeof(hdr_a6)),
				    in[i], sizeof(in[i]));
	}
	rte_pktmbuf_free_bulk(p, 3);
	assert_int_equal(a.punt - b.punt, 3);
	assert_int_equal(a.drop_spoofed - b.drop_spoofed, 1);
	assert_int_equal(a.drop_ttl - b.drop_ttl, 0);
	/* the control lcore's: not counted as the subscriber's forwarded traffic */
	sa = ctr(E.slot_a);
	assert_memory_equal(&sa, &sb, sizeof(sa));
	check_rings_empty();

	/* a host on the core subnet, not us: routed (its MAC unknown: to be resolved) */
	b = E.w->c;
	inner6(other, A_SUB, CORE_HOST6, 64, sizeof(other), IPPROTO_ICMPV6);
	m[4] = up_frame(hdr_a6, sizeof(hdr_a6), other, sizeof(other));
	run_worker(ACC, &m[4], 1);
	a = E.w->c;
	assert_int_equal(take(p, 8), 1);
	assert_int_equal(p[0]->hash.usr, LNS_PUNT_ROUTE6);
	rte_pktmbuf_free(p[0]);
	assert_int_equal(a.punt - b.punt, 1);
	check_rings_empty();
}

/* ------------------------------------------------------------------ main */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_route4_punted, each),
		cmocka_unit_test_setup(test_routed_not_answered, each),
		cmocka_unit_test_setup(test_no_route4_never_answered, each),
		cmocka_unit_test_setup(test_no_route_rate_limited, each),
		cmocka_unit_test_setup(test_unreachable_off, each),
		cmocka_unit_test_setup(test_no_route6_punted, each),
		cmocka_unit_test_setup(test_pool6_unreach, each),
		cmocka_unit_test_setup(test_no_route6_never_answered, each),
		cmocka_unit_test_setup(test_up6_to_us_punted, each),
	};
	int ret = pkt_eal_init("test_unreach", "0@0,1@0");

	if (ret != 0)
		return ret;
	ret = cmocka_run_group_tests(tests, setup, teardown);
	pkt_eal_fini();
	return ret;
}
