/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet tests of the workers' IPv6 stages (dp/fwd6.c, dp/fib6.c), as
 * test_worker.c does for IPv4: crafted frames through lns_process_burst() on
 * lnsd's own runtime (app/runtime.c) built from a YAML configuration, two
 * net_ring ports, sessions and their prefixes published as the control plane
 * publishes them (cp/ppp_fwd.c). Each case checks the verdict and, where a
 * frame goes out, its bytes; the per-session counters where they move. The
 * last case runs the real worker loop (dp/worker.c) on the second lcore, to
 * see each verdict land in its worker counter.
 *
 * One worker (rt->workers[0]); the main lcore plays it for RCU, except while
 * the worker loop runs. Needs root; --no-huge, so no hugepages.
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_rcu_qsbr.h>
#include <rte_tcp.h>

#include "cp/cp.h"
#include "cp/framed_route6.h"
#include "dp/fib6.h"
#include "dp/neigh.h"

#include "harness.h"

static const char cfg_yaml[] = "dataplane:\n"
			       "  mbufs: 1024\n"
			       "  mbuf-cache: 32\n"
			       "  punt-ring-size: 64\n"
			       "  ipv6-prefixes: 8\n"
			       "ports:\n"
			       "  - name: access0\n"
			       "    device: \"net_ring_pkt6_acc\"\n"
			       "    role: access\n"
			       "    mac: \"02:00:00:00:00:01\"\n"
			       "    addresses: [\"192.0.2.1/24\", \"2001:db8:1::1/64\"]\n"
			       "  - name: core0\n"
			       "    device: \"net_ring_pkt6_core\"\n"
			       "    role: core\n"
			       "    mac: \"02:00:00:00:00:02\"\n"
			       "    addresses: [\"198.51.100.1/24\", \"2001:db8:2::1/64\"]\n"
			       "routes:\n"
			       "  - prefix: 10.0.0.0/8\n"
			       "    via: 192.0.2.254\n"
			       "  - prefix: \"::/0\"\n"
			       "    via: \"2001:db8:2::fe\"\n"
			       "  - prefix: \"2001:db8:300::/48\"\n"
			       "    via: \"2001:db8:2::fd\"\n"
			       /* inside the links pool: more specific, it routes */
			       "  - prefix: \"2001:db8:600:ff00::/56\"\n"
			       "    via: \"2001:db8:2::7\"\n"
			       /* exactly the tie pool's prefix: the pool's */
			       "  - prefix: \"2001:db8:a00::/48\"\n"
			       "    via: \"2001:db8:2::fd\"\n"
			       "l2tp:\n"
			       "  max-sessions: 65536\n" /* every session ID names a slot */
			       "  allow-unknown-peers: true\n"
			       "ppp:\n"
			       "  pd-pool: delegated\n"
			       "pools:\n"
			       "  - name: links\n" /* ppp.ipv6-pool: the first of /64s */
			       "    ranges: [\"2001:db8:600::/48\"]\n"
			       "  - name: delegated\n"
			       "    ranges: [\"2001:db8:700::/40\"]\n"
			       "    prefix-length: 56\n"
			       "  - name: one\n" /* a pool of a single /56 */
			       "    ranges: [\"2001:db8:800::/56\"]\n"
			       "    prefix-length: 56\n"
			       "  - name: odd\n" /* /64, /63, /63, /64 */
			       "    ranges: [\"2001:db8:900:1::-"
			       "2001:db8:900:6:ffff:ffff:ffff:ffff\"]\n"
			       "  - name: tie\n"
			       "    ranges: [\"2001:db8:a00::/48\"]\n";

static const struct pkt_opts opts = {
	.name = "test_worker6",
	.yaml = cfg_yaml,
	.n_workers = 1,
	.nq = 2, /* queues per port: one worker plus the control lcore's */
	.ring_size = 64,
	.rcu_main = true, /* the main lcore plays worker 0, except while the worker loop runs */
};

static const struct rte_ether_addr core_host_mac = {{0x02, 0xc0, 0, 0, 0, 0x07}};

/* IPv4 of the tunnel, host order. */

#define A6(...) ((const uint8_t[16]){__VA_ARGS__})
/* the default route's gateway, and a host on the core subnet */
#define CORE_GW6   A6(0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0xfe)
#define CORE_HOST6 A6(0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x07)
/* behind the default route; behind the 2001:db8:300::/48 route (gateway never resolved) */
#define NET6    A6(0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, [15] = 5)
#define STATIC6 A6(0x20, 0x01, 0x0d, 0xb8, 0x03, 0x00, [15] = 9)
/* Session A: its /64 and its delegated /56, and addresses in them */
#define A_PFX A6(0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00, 0x05)
#define A_SUB A6(0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00, 0x05, 0, 0, 0, 0, 0, 0, 0x12, 0x34)
#define A_PD  A6(0x20, 0x01, 0x0d, 0xb8, 0x02, 0x00, 0x05, 0x00)
#define A_PDH A6(0x20, 0x01, 0x0d, 0xb8, 0x02, 0x00, 0x05, 0x42, 0, 0, 0, 0, 0, 0, 0, 1)
/* Session B's /64 */
#define B_PFX A6(0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00, 0x06)
#define B_SUB A6(0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00, 0x06, [15] = 1)
/* nobody's: next to A's /64 */
#define OTHER6 A6(0x20, 0x01, 0x0d, 0xb8, 0x01, 0x00, 0x00, 0x07, [15] = 1)
/* the subscriber's link-local address, ours on the PPP link, the routers' group */
#define SUB_LL     A6(0xfe, 0x80, [8] = 0x0a, [15] = 0x0b)
#define LNS_LL     A6(0xfe, 0x80, [8] = 0x01, [15] = 0x01)
#define ALL_ROUTER A6(0xff, 0x02, [15] = 2)

#define A_TID  100
#define A_SID  200
#define A_PTID 7
#define A_PSID 9
#define A_MTU  1400

#define ID_A A_TID >> 8, A_TID & 0xff, A_SID >> 8, A_SID & 0xff
/* The plain data header and PPP of session A, IPv6 */
#define H_A 0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x57

/* ---------------------------------------------------------------- set-up */

/* The test thread is worker 0 for RCU: quiescent whenever it holds nothing. */
static void quiescent(void)
{
	rte_rcu_qsbr_quiescent(E.rt->qsbr, 0);
}

/* cp/ppp_fwd.c publish(): a forwarding session (sub_ip 0: IPv6 only) and its prefixes. */
static uint32_t publish6(uint16_t tid, uint16_t sid, uint16_t ptid, uint16_t psid,
			 const uint8_t *pfx, const uint8_t *pd)
{
	struct lns_dp_session s = pkt_session(tid, sid, ptid, psid);

	s.mtu = A_MTU;
	s.slot = take_slot(tid, sid);
	assert_int_not_equal(s.slot, LNS_SESSION_SLOT_NONE);
	assert_int_equal(lns_session_publish(E.rt->sessions, &s), 0);
	assert_int_equal(lns_fib6_add_session_route(E.rt->fib6, pfx, 64, s.slot), 0);
	if (pd)
		assert_int_equal(lns_fib6_add_session_route(E.rt->fib6, pd, 56, s.slot), 0);
	return s.slot;
}

static void withdraw6(uint16_t tid, uint16_t sid, const uint8_t *pfx, uint32_t slot)
{
	assert_int_equal(lns_fib6_del_session_route(E.rt->fib6, pfx, 64), 0);
	assert_int_equal(lns_session_withdraw(E.rt->sessions, tid, sid), 0);
	lns_session_slot_free(E.rt->sessions, slot);
	quiescent();
	lns_session_reclaim(E.rt->sessions);
}

static int setup(void **state)
{
	rte_be32_t a = rte_cpu_to_be_32(ACC_GW);

	(void)state;
	if (pkt_setup(&opts) < 0)
		return -1;
	/* The LAC's router (IPv4), and the core's default router and one host (IPv6). */
	if (lns_neigh_set(E.rt->neigh, ACC, AF_INET, &a, &acc_gw_mac) < 0 ||
	    lns_neigh_set(E.rt->neigh, CORE, AF_INET6, CORE_GW6, &core_gw_mac) < 0 ||
	    lns_neigh_set(E.rt->neigh, CORE, AF_INET6, CORE_HOST6, &core_host_mac) < 0)
		return -1;
	E.slot_a = publish6(A_TID, A_SID, A_PTID, A_PSID, A_PFX, A_PD);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pkt_teardown();
	return 0;
}

/* ------------------------------------------------------- packet building */

/* An IPv6 packet of tot octets (next header NH, a byte pattern as payload) into buf. */
static size_t inner6_nh(uint8_t *buf, const uint8_t *src, const uint8_t *dst, uint8_t hops,
			size_t tot, uint8_t nh)
{
	struct rte_ipv6_hdr ip = {0};

	ip.vtc_flow = RTE_BE32(6u << 28 | 0x12345); /* a flow label, to see it kept */
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

static size_t inner6(uint8_t *buf, const uint8_t *src, const uint8_t *dst, uint8_t hops, size_t tot)
{
	return inner6_nh(buf, src, dst, hops, tot, IPPROTO_UDP);
}

/* An IPv6 packet from the core's router to our core MAC (or dmac). */
/* An IPv6 packet from the core's router to our core MAC. */
static struct rte_mbuf *down_frame6(const uint8_t *in, size_t ilen)
{
	return down_frame_to(&E.rt->ports[CORE].mac, RTE_ETHER_TYPE_IPV6, in, ilen);
}

/* ------------------------------------------------------------ checking */

/* The forwarded packet at p: in with the hop limit one less, every other octet as sent. */
static void check_inner6(const uint8_t *p, const uint8_t *in, size_t ilen)
{
	assert_memory_equal(p, in, 7);
	assert_int_equal(p[7], in[7] - 1);
	assert_memory_equal(p + 8, in + 8, ilen - 8);
}

/* Routed to the core to dmac: Eth + the inner packet. */
static void check_to_core(struct rte_mbuf *m, enum lns_verdict v, const struct rte_ether_addr *dmac,
			  const uint8_t *in, size_t ilen)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);

	assert_int_equal(v, LNS_V_TX);
	assert_int_equal(m->port, E.rt->ports[CORE].port_id);
	assert_int_equal(rte_pktmbuf_pkt_len(m), sizeof(struct rte_ether_hdr) + ilen);
	assert_int_equal(rte_pktmbuf_data_len(m), rte_pktmbuf_pkt_len(m));
	check_eth(p, dmac, CORE, RTE_ETHER_TYPE_IPV6);
	check_inner6(p + sizeof(struct rte_ether_hdr), in, ilen);
}

/*
 * Into session (ptid, psid)'s tunnel, byte for byte: Ethernet to the LAC's
 * router, IPv4 192.0.2.1 -> 10.1.0.1 (TTL 64, DF clear, checksum), UDP 1701 ->
 * the LAC's port (no checksum), L2TP T=0 and no optional fields, ff 03 00 57.
 */
static void check_to_session(struct rte_mbuf *m, enum lns_verdict v, uint16_t ptid, uint16_t psid,
			     const uint8_t *in, size_t ilen)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint16_t tot = (uint16_t)(20 + 8 + 10 + ilen), udp = (uint16_t)(8 + 10 + ilen);
	uint8_t want[14 + 20 + 8 + 10] = {
		0x02,
		0xac,
		0,
		0,
		0,
		0xfe,
		0x02,
		0,
		0,
		0,
		0,
		0x01,
		0x08,
		0x00, /* Ethernet */
		0x45,
		0,
		tot >> 8,
		tot & 0xff,
		0,
		0,
		0,
		0,
		64,
		17,
		0,
		0, /* IPv4 ... */
		192,
		0,
		2,
		1,
		10,
		1,
		0,
		1, /* addresses */
		0x06,
		0xa5,
		LAC_PORT >> 8,
		LAC_PORT & 0xff,
		udp >> 8,
		udp & 0xff,
		0,
		0, /* UDP */
		0x00,
		0x02,
		ptid >> 8,
		ptid & 0xff,
		psid >> 8,
		psid & 0xff, /* L2TP */
		0xff,
		0x03,
		0x00,
		0x57, /* PPP */
	};
	struct rte_ipv4_hdr ip;

	memcpy(&ip, want + 14, sizeof(ip));
	ip.hdr_checksum = rte_ipv4_cksum(&ip);
	memcpy(want + 14, &ip, sizeof(ip));
	assert_int_equal(v, LNS_V_TX);
	assert_int_equal(m->port, E.rt->ports[ACC].port_id);
	assert_int_equal(rte_pktmbuf_pkt_len(m), sizeof(want) + ilen);
	assert_int_equal(rte_pktmbuf_data_len(m), rte_pktmbuf_pkt_len(m));
	assert_memory_equal(p, want, sizeof(want));
	check_inner6(p + sizeof(want), in, ilen);
}

/* ------------------------------------------------------------- upstream */

/* One upstream frame with this header, from A's /64 or its delegated prefix: to the core. */
static void up_ok(const uint8_t *hdr, size_t hlen)
{
	const uint8_t *srcs[] = {A_SUB, A_PDH};

	for (unsigned i = 0; i < RTE_DIM(srcs); i++) {
		uint8_t in[100];
		size_t ilen = inner6(in, srcs[i], NET6, 64, sizeof(in));
		struct lns_sess_ctr before = ctr(E.slot_a);
		struct rte_mbuf *m = up_frame(hdr, hlen, in, ilen);

		check_to_core(m, classify(ACC, m), &core_gw_mac, in, ilen);
		rte_pktmbuf_free(m);
		check_ctr_delta(&before, E.slot_a, 1, ilen, 0, 0);
	}
}

static void test_up_plain(void **state)
{
	const uint8_t h[] = {H_A};

	(void)state;
	up_ok(h, sizeof(h));
}

/* Every legal L2TP data header (RFC 2661 section 3.1) and PPP framing (RFC 1662). */
static void test_up_header_forms(void **state)
{
	const uint8_t l[] = {0x40, 0x02, 0x00, 8 + 4 + 100, ID_A, 0xff, 0x03, 0x00, 0x57};
	const uint8_t s[] = {0x08, 0x02, ID_A, 0x00, 0x05, 0x00, 0x03, 0xff, 0x03, 0x00, 0x57};
	const uint8_t o0[] = {0x02, 0x02, ID_A, 0x00, 0x00, 0xff, 0x03, 0x00, 0x57};
	const uint8_t o4[] = {0x02, 0x02, ID_A, 0x00, 0x04, 0xaa, 0xbb,
			      0xcc, 0xdd, 0xff, 0x03, 0x00, 0x57};
	const uint8_t p[] = {0x01, 0x02, ID_A, 0xff, 0x03, 0x00, 0x57};
	const uint8_t all[] = {0x4b, 0x02, 0x00, 0x00, ID_A, 0x00, 0x01, 0x00, 0x02,
			       0x00, 0x02, 0x00, 0x00, 0xff, 0x03, 0x00, 0x57};
	const uint8_t acfc[] = {0x00, 0x02, ID_A, 0x00, 0x57};
	const uint8_t pfc[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x57};
	const uint8_t both[] = {0x00, 0x02, ID_A, 0x57};
	const uint8_t l_both[] = {0x40, 0x02, 0x00, 0x00, ID_A, 0x57};

	(void)state;
	up_ok(l, sizeof(l));
	up_ok(s, sizeof(s));
	up_ok(o0, sizeof(o0));
	up_ok(o4, sizeof(o4));
	up_ok(p, sizeof(p));
	up_ok(all, sizeof(all));
	up_ok(acfc, sizeof(acfc));
	up_ok(pfc, sizeof(pfc));
	up_ok(both, sizeof(both));
	up_ok(l_both, sizeof(l_both));
}

/* A source outside A's prefixes: another session's, nobody's, link-local, unspecified. */
static void test_up_spoofed(void **state)
{
	const uint8_t h[] = {H_A};
	const uint8_t *srcs[] = {B_SUB, OTHER6, NET6, SUB_LL, A6(0)};
	uint32_t slot_b = publish6(101, 201, 8, 10, B_PFX, NULL);
	uint8_t in[60];

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(srcs); i++) {
		size_t ilen = inner6(in, srcs[i], NET6, 64, sizeof(in));

		up_verdict(h, sizeof(h), in, ilen, LNS_V_DROP_SPOOFED);
	}
	withdraw6(101, 201, B_PFX, slot_b);
}

/*
 * Hop limit 0 or 1: dropped as drop_ttl, not counted as the session's traffic;
 * marked for a Time Exceeded (the packet as received, at its IPv6 header).
 */
static void test_up_hop_limit(void **state)
{
	const uint8_t h[] = {H_A};
	uint8_t in[60];

	(void)state;
	for (uint8_t hops = 0; hops < 2; hops++) {
		size_t ilen = inner6(in, A_SUB, NET6, hops, sizeof(in));
		struct rte_mbuf *m;

		up_verdict(h, sizeof(h), in, ilen, LNS_V_DROP_TTL);
		m = up_frame(h, sizeof(h), in, ilen);
		assert_int_equal(classify(ACC, m), LNS_V_DROP_TTL);
		assert_int_equal(m->hash.usr, LNS_PUNT_ICMP6_HOP_LIMIT);
		assert_int_equal(rte_pktmbuf_pkt_len(m), ilen);
		assert_memory_equal(rte_pktmbuf_mtod(m, uint8_t *), in, ilen);
		rte_pktmbuf_free(m);
	}
}

/*
 * To a link-local or multicast address (a Router Solicitation to all routers,
 * a Neighbor Solicitation, an echo to our link-local address): the control
 * lcore's, the frame as received, whatever the source.
 */
static void test_up_link_local_punted(void **state)
{
	const uint8_t h[] = {H_A};
	const struct {
		const uint8_t *src, *dst;
	} c[] = {
		{SUB_LL, ALL_ROUTER},
		{A6(0), ALL_ROUTER},
		{SUB_LL, A6(0xff, 0x02, [11] = 1, [12] = 0xff, [13] = 0, [14] = 0, [15] = 1)},
		{SUB_LL, LNS_LL},
		{A_SUB, LNS_LL},
	};
	uint8_t in[48];

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(c); i++) {
		size_t ilen = inner6_nh(in, c[i].src, c[i].dst, 255, sizeof(in), IPPROTO_ICMPV6);
		struct rte_mbuf *m;

		up_verdict(h, sizeof(h), in, ilen, LNS_V_PUNT);
		m = up_frame(h, sizeof(h), in, ilen);
		assert_int_equal(classify(ACC, m), LNS_V_PUNT);
		assert_int_equal(m->hash.usr, LNS_PUNT_FRAME);
		assert_int_equal(m->l2_len, 14); /* what the control lcore parses it by */
		assert_int_equal(m->l3_len, 20);
		assert_int_equal(rte_pktmbuf_pkt_len(m), 14 + 20 + 8 + sizeof(h) + ilen);
		assert_memory_equal(rte_pktmbuf_mtod_offset(m, uint8_t *, 42), h, sizeof(h));
		assert_memory_equal(rte_pktmbuf_mtod_offset(m, uint8_t *, 42 + sizeof(h)), in,
				    ilen);
		rte_pktmbuf_free(m);
	}
}

static void test_up_malformed(void **state)
{
	const uint8_t h[] = {H_A};
	uint8_t in[60];

	(void)state;
	inner6(in, A_SUB, NET6, 64, sizeof(in));
	/* shorter than an IPv6 header */
	up_verdict(h, sizeof(h), in, 39, LNS_V_DROP_BAD_IP);
	/* payload length beyond the frame */
	up_verdict(h, sizeof(h), in, 59, LNS_V_DROP_BAD_IP);
	/* not version 6 */
	in[0] = 0x45;
	up_verdict(h, sizeof(h), in, sizeof(in), LNS_V_DROP_BAD_IP);
}

/* To the core's default router, a connected host, and a route whose gateway is unknown. */
static void test_up_routes(void **state)
{
	const uint8_t h[] = {H_A};
	uint8_t in[80];
	size_t ilen;
	struct lns_sess_ctr before;
	struct rte_mbuf *m;

	(void)state;
	/* a connected host: its own MAC from the neighbour table */
	ilen = inner6(in, A_SUB, CORE_HOST6, 64, sizeof(in));
	m = up_frame(h, sizeof(h), in, ilen);
	check_to_core(m, classify(ACC, m), &core_host_mac, in, ilen);
	rte_pktmbuf_free(m);
	/* a route whose gateway is not resolved: to the control lcore, hop limit already
	 * decremented, data at the IPv6 header; counted as the session's traffic */
	before = ctr(E.slot_a);
	ilen = inner6(in, A_SUB, STATIC6, 64, sizeof(in));
	m = up_frame(h, sizeof(h), in, ilen);
	assert_int_equal(classify(ACC, m), LNS_V_PUNT);
	assert_int_equal(m->hash.usr, LNS_PUNT_ROUTE6);
	assert_int_equal(rte_pktmbuf_pkt_len(m), ilen);
	check_inner6(rte_pktmbuf_mtod(m, uint8_t *), in, ilen);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 1, ilen, 0, 0);
	/* its gateway's MAC cached in the next hop (cp/resolve.c): sent there */
	lns_fib6_gateway_mac(E.rt->fib6, CORE, A6(0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0xfd),
			     &core_host_mac);
	m = up_frame(h, sizeof(h), in, ilen);
	check_to_core(m, classify(ACC, m), &core_host_mac, in, ilen);
	rte_pktmbuf_free(m);
	lns_fib6_gateway_mac(E.rt->fib6, CORE, A6(0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0xfd), NULL);
}

/* From A to B's /64: out of A's tunnel into B's, counted for both. */
static void test_up_hairpin(void **state)
{
	const uint8_t h[] = {H_A};
	uint8_t in[80];
	size_t ilen = inner6(in, A_SUB, B_SUB, 64, sizeof(in));
	uint32_t slot_b = publish6(101, 201, 8, 10, B_PFX, NULL);
	struct lns_sess_ctr ba = ctr(E.slot_a), bb = ctr(slot_b);
	struct rte_mbuf *m = up_frame(h, sizeof(h), in, ilen);

	(void)state;
	check_to_session(m, classify(ACC, m), 8, 10, in, ilen);
	rte_pktmbuf_free(m);
	check_ctr_delta(&ba, E.slot_a, 1, ilen, 0, 0);
	check_ctr_delta(&bb, slot_b, 0, 0, 1, ilen);
	withdraw6(101, 201, B_PFX, slot_b);
}

/* IPCP not open (sub_ip 0): an IPv4 packet from 0.0.0.0 is not the subscriber's. */
static void test_up_v4_without_ipcp(void **state)
{
	const uint8_t h[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};
	uint8_t in[40] = {0x45, 0, 0, 40, 0, 0, 0, 0, 64, 17, 0, 0, 0, 0, 0, 0, 203, 0, 113, 5};

	(void)state;
	up_verdict(h, sizeof(h), in, sizeof(in), LNS_V_DROP_SPOOFED);
}

/* ----------------------------------------------------------- downstream */

/* To an address of A's /64 and of its delegated prefix: into A's tunnel, PPP 0x0057. */
static void test_down_prefixes(void **state)
{
	const uint8_t *dsts[] = {A_SUB, A_PFX, A_PDH, A_PD};

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(dsts); i++) {
		uint8_t in[200];
		size_t ilen = inner6(in, NET6, dsts[i], 50, sizeof(in));
		struct lns_sess_ctr before = ctr(E.slot_a);
		struct rte_mbuf *m = down_frame6(in, ilen);

		check_to_session(m, classify(CORE, m), A_PTID, A_PSID, in, ilen);
		rte_pktmbuf_free(m);
		check_ctr_delta(&before, E.slot_a, 0, 0, 1, ilen);
	}
}

/* Exactly the session's MTU goes in; one octet more does not. */
static void test_down_mtu(void **state)
{
	static uint8_t in[A_MTU + 1];
	struct rte_mbuf *m;
	size_t ilen;

	(void)state;
	ilen = inner6(in, NET6, A_SUB, 64, A_MTU);
	m = down_frame6(in, ilen);
	check_to_session(m, classify(CORE, m), A_PTID, A_PSID, in, ilen);
	rte_pktmbuf_free(m);
	/* IPv6 is not fragmented on the way: marked for a Packet Too Big with the MTU */
	ilen = inner6(in, NET6, A_SUB, 64, A_MTU + 1);
	m = down_frame6(in, ilen);
	assert_int_equal(classify(CORE, m), LNS_V_DROP_TOO_BIG);
	assert_int_equal(m->hash.usr, LNS_PUNT_WITH_MTU(LNS_PUNT_ICMP6_TOO_BIG, A_MTU));
	assert_int_equal(rte_pktmbuf_pkt_len(m), ilen);
	rte_pktmbuf_free(m);
}

/*
 * MSS clamping of IPv6 SYNs (dataplane.tcp-mss-clamp: auto): a SYN with MSS 1460 into the
 * tunnel and one out of it leave with MSS A_MTU - 60, their TCP checksums still valid
 * (verified by DPDK's own pseudo-header sum), everything else as sent.
 */
static size_t syn6(uint8_t *buf, const uint8_t *src, const uint8_t *dst)
{
	size_t tot = inner6_nh(buf, src, dst, 64, 40 + 24, IPPROTO_TCP);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(buf + 40);

	memset(tcp, 0, 24);
	tcp->src_port = RTE_BE16(40000);
	tcp->dst_port = RTE_BE16(80);
	tcp->data_off = 6 << 4;
	tcp->tcp_flags = RTE_TCP_SYN_FLAG;
	tcp->rx_win = RTE_BE16(65535);
	buf[40 + 20] = 2; /* MSS, 4 octets, 1460 */
	buf[40 + 21] = 4;
	buf[40 + 22] = 1460 >> 8;
	buf[40 + 23] = 1460 & 0xff;
	tcp->cksum = rte_ipv6_udptcp_cksum((const struct rte_ipv6_hdr *)buf, tcp);
	return tot;
}

static void check_syn6(const uint8_t *p)
{
	uint8_t pkt[64];

	memcpy(pkt, p, sizeof(pkt)); /* aligned for DPDK's sums */
	assert_int_equal(pkt[40 + 22] << 8 | pkt[40 + 23], A_MTU - 60);
	assert_int_equal(rte_ipv6_udptcp_cksum_verify((const struct rte_ipv6_hdr *)pkt, pkt + 40),
			 0);
}

static void test_mss_clamp6(void **state)
{
	const uint8_t h[] = {H_A};
	uint64_t before = E.w->c.mss_clamped;
	uint8_t in[64];
	size_t ilen;
	struct rte_mbuf *m;

	(void)state;
	ilen = syn6(in, NET6, A_SUB); /* into the tunnel */
	m = down_frame6(in, ilen);
	assert_int_equal(classify(CORE, m), LNS_V_TX);
	check_syn6(rte_pktmbuf_mtod_offset(m, const uint8_t *, 14 + 20 + 8 + 10));
	rte_pktmbuf_free(m);
	ilen = syn6(in, A_SUB, NET6); /* out of it */
	m = up_frame(h, sizeof(h), in, ilen);
	assert_int_equal(classify(ACC, m), LNS_V_TX);
	check_syn6(rte_pktmbuf_mtod_offset(m, const uint8_t *, 14));
	rte_pktmbuf_free(m);
	assert_int_equal(E.w->c.mss_clamped - before, 2);
}

static void test_down_hop_limit(void **state)
{
	uint8_t in[60];
	size_t ilen = inner6(in, NET6, A_SUB, 1, sizeof(in));
	struct lns_sess_ctr before = ctr(E.slot_a);
	struct rte_mbuf *m = down_frame6(in, ilen);

	(void)state;
	assert_int_equal(classify(CORE, m), LNS_V_DROP_TTL);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 0, 0, 0, 0);
}

/* Nobody's prefix: the default route; without it, drop_no_route. A withdrawn /64 likewise. */
static void test_down_no_route(void **state)
{
	const struct lns_nexthop6 nh = {.port = CORE,
					.gw = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0xfe}};
	uint8_t in[60];
	size_t ilen = inner6(in, NET6, OTHER6, 64, sizeof(in));
	struct rte_mbuf *m = down_frame6(in, ilen);
	uint32_t slot_b;

	(void)state;
	check_to_core(m, classify(CORE, m), &core_gw_mac, in, ilen);
	rte_pktmbuf_free(m);
	assert_int_equal(lns_fib6_del_route(E.rt->fib6, A6(0), 0), 0);
	m = down_frame6(in, ilen);
	assert_int_equal(classify(CORE, m), LNS_V_DROP_NO_ROUTE);
	rte_pktmbuf_free(m);
	/* B's /64 while it is there, and after */
	slot_b = publish6(101, 201, 8, 10, B_PFX, NULL);
	ilen = inner6(in, NET6, B_SUB, 64, sizeof(in));
	m = down_frame6(in, ilen);
	check_to_session(m, classify(CORE, m), 8, 10, in, ilen);
	rte_pktmbuf_free(m);
	withdraw6(101, 201, B_PFX, slot_b);
	m = down_frame6(in, ilen);
	assert_int_equal(classify(CORE, m), LNS_V_DROP_NO_ROUTE);
	rte_pktmbuf_free(m);
	assert_int_equal(lns_fib6_add_route(E.rt->fib6, A6(0), 0, &nh), 0);
}

/* Not to our MAC, or to a multicast or link-local address we do not serve: not routed. */
static void test_down_not_for_us(void **state)
{
	static const struct rte_ether_addr other = {{0x02, 0x99, 0, 0, 0, 1}};
	const uint8_t *dsts[] = {A6(0xff, 0x0e, [15] = 1), A6(0xfe, 0x80, [15] = 9)};
	uint8_t in[60];
	size_t ilen = inner6(in, NET6, A_SUB, 64, sizeof(in));
	struct rte_mbuf *m = down_frame_to(&other, RTE_ETHER_TYPE_IPV6, in, ilen);

	(void)state;
	assert_int_equal(classify(CORE, m), LNS_V_DROP_NOT_FOR_US);
	rte_pktmbuf_free(m);
	for (unsigned i = 0; i < RTE_DIM(dsts); i++) {
		ilen = inner6(in, NET6, dsts[i], 64, sizeof(in));
		m = down_frame6(in, ilen);
		assert_int_equal(classify(CORE, m), LNS_V_DROP_NOT_FOR_US);
		rte_pktmbuf_free(m);
	}
}

/* ------------------------------------------------------------ the FIB */

/* A prefix routed already, equal to a configured route, or holding one: refused. */
static void test_fib6_refuses(void **state)
{
	(void)state;
	assert_int_equal(lns_fib6_add_session_route(E.rt->fib6, A_PFX, 64, 5), -EEXIST);
	assert_int_equal(lns_fib6_add_session_route(E.rt->fib6,
						    A6(0x20, 0x01, 0x0d, 0xb8, 0x03, 0x00), 48, 5),
			 -EEXIST);
	assert_int_equal(lns_fib6_add_session_route(E.rt->fib6, A6(0x20, 0x01, 0x0d, 0xb8), 32, 5),
			 -EEXIST); /* holds 2001:db8:2::/64 and 2001:db8:300::/48 */
	assert_int_equal(lns_fib6_add_session_route(E.rt->fib6, A_SUB, 64, 5), -EINVAL);
	assert_int_equal(lns_fib6_add_session_route(E.rt->fib6, A_PFX, 0, 5), -ERANGE);
	assert_int_equal(lns_fib6_del_session_route(E.rt->fib6, OTHER6, 128), -ENOENT);
}

/* A longer subscriber prefix inside a shorter one wins; gone, the shorter one takes over. */
static void test_fib6_longest(void **state)
{
	const uint8_t *inner = A6(0x20, 0x01, 0x0d, 0xb8, 0x02, 0x00, 0x05, 0x42);
	uint32_t nh;

	(void)state;
	assert_int_equal(lns_fib6_add_session_route(E.rt->fib6, inner, 64, 3), 0);
	assert_int_equal(lns_fib6_lookup(E.rt->fib6, A_PDH, &nh), 0);
	assert_int_equal(nh, LNS_NH_SESSION | 3);
	assert_int_equal(lns_fib6_del_session_route(E.rt->fib6, inner, 64), 0);
	quiescent();
	assert_int_equal(lns_fib6_lookup(E.rt->fib6, A_PDH, &nh), 0);
	assert_int_equal(nh, LNS_NH_SESSION | E.slot_a);
}

/*
 * A PPP session of slot SLOT as cp/ppp_route6.c sees it: its control lcore
 * (the runtime under test, its counters), its L2TP IDs (for the log), its slot.
 */
static struct ppp_session *cp_session(uint32_t slot)
{
	static struct lns_cp cp;
	static struct l2tp_tunnel t;
	static struct l2tp_session ls;
	static struct ppp_session p;

	cp.rt = E.rt;
	t.tid = A_TID;
	ls.t = &t;
	ls.sid = A_SID;
	ls.slot = slot;
	p.cp = &cp;
	p.ls = &ls;
	return &p;
}

/* 2001:db8:f0:I::/64 */
static const uint8_t *fill_pfx(uint8_t *a, unsigned i)
{
	memcpy(a, A6(0x20, 0x01, 0x0d, 0xb8, 0x00, 0xf0), 16);
	a[6] = (uint8_t)(i >> 8);
	a[7] = (uint8_t)i;
	return a;
}

/*
 * dataplane.ipv6-prefixes: 8 makes room for exactly 8 subscriber prefixes
 * (A's two among them). The ninth is refused with -ENOSPC; through the control
 * lcore's call it is not routed, logged and counted in ipv6_prefix_table_full
 * (a prefix routed already is refused too, but not counted there); one taken
 * out makes room for one again.
 */
static void test_fib6_table_full(void **state)
{
	struct lns_fib6 *f = E.rt->fib6;
	struct ppp_session *p = cp_session(E.slot_a);
	uint64_t *full = &p->cp->ppp_c.ipv6_prefix_table_full;
	uint8_t a[16], extra[16];
	unsigned room, i;
	uint32_t nh;

	(void)state;
	assert_int_equal(f->max_pfx, 8);
	assert_int_equal(f->n_pfx, 2);
	room = f->max_pfx - f->n_pfx;
	for (i = 0; i < room; i++)
		assert_int_equal(lns_fib6_add_session_route(f, fill_pfx(a, i), 64, E.slot_a), 0);
	fill_pfx(extra, room);
	assert_int_equal(lns_fib6_add_session_route(f, extra, 64, E.slot_a), -ENOSPC);
	assert_int_equal(lns_fib6_add_session_route(f, extra, 128, E.slot_a), -ENOSPC);
	assert_int_equal(lns_fib6_lookup(f, extra, &nh), 0); /* the default route's, not A's */
	assert_int_not_equal(nh, LNS_NH_SESSION | E.slot_a);

	*full = 0;
	assert_false(ppp_route6_add(p, extra, 64, "test prefix"));
	assert_int_equal(*full, 1);
	assert_false(ppp_route6_add(p, fill_pfx(a, 0), 64, "test prefix")); /* routed already */
	assert_int_equal(*full, 1);

	assert_int_equal(lns_fib6_del_session_route(f, fill_pfx(a, 0), 64), 0);
	assert_true(ppp_route6_add(p, extra, 64, "test prefix"));
	assert_int_equal(f->n_pfx, f->max_pfx);
	assert_int_equal(lns_fib6_lookup(f, extra, &nh), 0);
	assert_int_equal(nh, LNS_NH_SESSION | E.slot_a);

	assert_int_equal(lns_fib6_del_session_route(f, extra, 64), 0);
	for (i = 1; i < room; i++)
		assert_int_equal(lns_fib6_del_session_route(f, fill_pfx(a, i), 64), 0);
	assert_int_equal(f->n_pfx, 2);
	quiescent();
}

/* ------------------------------------------------------------- IPv6 pools */

/* Session B's /64 from the links pool, its /56 from the delegated pool */
#define P_LINK   A6(0x20, 0x01, 0x0d, 0xb8, 0x06, 0x00, 0x00, 0x01)
#define P_LINK_H A6(0x20, 0x01, 0x0d, 0xb8, 0x06, 0x00, 0x00, 0x01, [15] = 0x21)
#define P_PD     A6(0x20, 0x01, 0x0d, 0xb8, 0x07, 0x00, 0x42, 0x00)
#define P_PD_H   A6(0x20, 0x01, 0x0d, 0xb8, 0x07, 0x00, 0x42, 0x17, [15] = 1)
/* free prefixes of each pool (the odd pool's first and last /64), none held */
#define F_LINK A6(0x20, 0x01, 0x0d, 0xb8, 0x06, 0x00, 0x00, 0x02, [15] = 1)
#define F_PD   A6(0x20, 0x01, 0x0d, 0xb8, 0x07, 0xff, 0x43, 0x00, [15] = 1)
#define F_ONE  A6(0x20, 0x01, 0x0d, 0xb8, 0x08, 0x00, 0x00, 0x01, [15] = 1)
#define F_ODD1 A6(0x20, 0x01, 0x0d, 0xb8, 0x09, 0x00, 0x00, 0x01, [15] = 1)
#define F_ODD6 A6(0x20, 0x01, 0x0d, 0xb8, 0x09, 0x00, 0x00, 0x06, [15] = 1)
#define F_TIE  A6(0x20, 0x01, 0x0d, 0xb8, 0x0a, 0x00, 0x12, 0x34, [15] = 1)
/* just outside the odd pool's range, on either side, and past the one pool's /56 */
#define OUT_ODD0 A6(0x20, 0x01, 0x0d, 0xb8, 0x09, 0x00, 0x00, 0x00, [15] = 1)
#define OUT_ODD7 A6(0x20, 0x01, 0x0d, 0xb8, 0x09, 0x00, 0x00, 0x07, [15] = 1)
#define OUT_ONE  A6(0x20, 0x01, 0x0d, 0xb8, 0x08, 0x00, 0x01, 0x00, [15] = 1)
/* inside 2001:db8:600:ff00::/56, the configured route inside the links pool; and next to it */
#define R_IN  A6(0x20, 0x01, 0x0d, 0xb8, 0x06, 0x00, 0xff, 0x42, [15] = 1)
#define R_OUT A6(0x20, 0x01, 0x0d, 0xb8, 0x06, 0x00, 0xfe, 0x42, [15] = 1)

/* A packet from the core to DST, in a pool's prefix nobody holds: drop_no_route, marked for
 * an ICMPv6 address unreachable (RFC 4443 3.1 code 3), as it arrived (hop limit kept). */
static void down_pool_free(const uint8_t *dst)
{
	uint8_t in[80];
	size_t ilen = inner6(in, NET6, dst, 64, sizeof(in));
	struct rte_mbuf *m = down_frame6(in, ilen);
	uint32_t nh;

	assert_int_equal(classify(CORE, m), LNS_V_DROP_NO_ROUTE);
	assert_int_equal(m->hash.usr, LNS_PUNT_WITH_CODE(LNS_PUNT_ICMP6_UNREACH, 3));
	assert_int_equal(rte_pktmbuf_pkt_len(m), ilen);
	assert_memory_equal(rte_pktmbuf_mtod(m, const uint8_t *), in, ilen);
	rte_pktmbuf_free(m);
	assert_int_equal(lns_fib6_lookup(E.rt->fib6, dst, &nh), -ENOENT);
	assert_true(lns_fib6_in_pool(E.rt->fib6, dst));
}

/*
 * The IPv6 pools are routes to nobody (dp/fib6.h): a prefix of the links pool,
 * of the delegated pool, of a pool of one /56, of each end of a range that is
 * not one prefix, and of a pool whose prefix is also a configured route's, none
 * held: dropped and marked for address unreachable, though the default route
 * (and the tie's /48) would send them back to the core. Next to the odd range
 * and past the one pool: the default route's, as before.
 */
static void test_pool6_free_dropped(void **state)
{
	const uint8_t *free6[] = {F_LINK, F_PD, F_ONE, F_ODD1, F_ODD6, F_TIE};
	const uint8_t *outside[] = {OUT_ODD0, OUT_ODD7, OUT_ONE};
	struct lns_sess_ctr before = ctr(E.slot_a);

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(free6); i++)
		down_pool_free(free6[i]);
	for (unsigned i = 0; i < RTE_DIM(outside); i++) {
		uint8_t in[80];
		size_t ilen = inner6(in, NET6, outside[i], 64, sizeof(in));
		struct rte_mbuf *m = down_frame6(in, ilen);

		check_to_core(m, classify(CORE, m), &core_gw_mac, in, ilen);
		rte_pktmbuf_free(m);
		assert_false(lns_fib6_in_pool(E.rt->fib6, outside[i]));
	}
	check_ctr_delta(&before, E.slot_a, 0, 0, 0, 0);
}

/*
 * Held prefixes of the pools reach their session, and the session may send from
 * them; given back, they are the pools' again: dropped, not routed.
 */
static void test_pool6_held(void **state)
{
	const uint8_t h_b[] = {0x00,       0x02, 101 >> 8, 101 & 0xff, 201 >> 8,
			       201 & 0xff, 0xff, 0x03,     0x00,       0x57};
	const uint8_t *dsts[] = {P_LINK_H, P_LINK, P_PD_H, P_PD};
	uint32_t slot_b = publish6(101, 201, 8, 10, P_LINK, P_PD);
	struct lns_sess_ctr before = ctr(slot_b);
	uint64_t down = 0;
	struct rte_mbuf *m;
	uint8_t in[90];
	size_t ilen;

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(dsts); i++) {
		ilen = inner6(in, NET6, dsts[i], 50, sizeof(in));
		m = down_frame6(in, ilen);
		check_to_session(m, classify(CORE, m), 8, 10, in, ilen);
		rte_pktmbuf_free(m);
		down += ilen;
	}
	ilen = inner6(in, P_PD_H, NET6, 64, sizeof(in));
	m = up_frame(h_b, sizeof(h_b), in, ilen);
	check_to_core(m, classify(ACC, m), &core_gw_mac, in, ilen);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, slot_b, 1, ilen, RTE_DIM(dsts), down);
	/* a free prefix of the pool is nobody's: B may not send from it */
	ilen = inner6(in, F_LINK, NET6, 64, sizeof(in));
	m = up_frame(h_b, sizeof(h_b), in, ilen);
	assert_int_equal(classify(ACC, m), LNS_V_DROP_SPOOFED);
	rte_pktmbuf_free(m);

	assert_int_equal(lns_fib6_del_session_route(E.rt->fib6, P_PD, 56), 0);
	withdraw6(101, 201, P_LINK, slot_b);
	down_pool_free(P_LINK_H);
	down_pool_free(P_PD_H);
}

/*
 * Against configured routes, the longest prefix: 2001:db8:600:ff00::/56 inside
 * the links pool routes (to its gateway, a core host); the pool's prefix next to
 * it does not.
 */
static void test_pool6_route_inside(void **state)
{
	uint8_t in[80];
	size_t ilen = inner6(in, NET6, R_IN, 64, sizeof(in));
	struct rte_mbuf *m = down_frame6(in, ilen);

	(void)state;
	check_to_core(m, classify(CORE, m), &core_host_mac, in, ilen);
	rte_pktmbuf_free(m);
	assert_false(lns_fib6_in_pool(E.rt->fib6, R_IN));
	down_pool_free(R_OUT);
}

/*
 * A subscriber prefix equal to a pool's block (the one pool's /56) or inside one
 * is the session's; one holding a pool's block would take its free prefixes:
 * refused, as one holding a configured route is.
 */
static void test_pool6_session_prefixes(void **state)
{
	const uint8_t *one = A6(0x20, 0x01, 0x0d, 0xb8, 0x08, 0x00);
	uint32_t nh;

	(void)state;
	assert_int_equal(lns_fib6_add_session_route(E.rt->fib6, one, 56, E.slot_a), 0);
	assert_int_equal(lns_fib6_lookup(E.rt->fib6, F_ONE, &nh), 0);
	assert_int_equal(nh, LNS_NH_SESSION | E.slot_a);
	assert_int_equal(lns_fib6_del_session_route(E.rt->fib6, one, 56), 0);
	quiescent();
	down_pool_free(F_ONE);
	/* 2001:db8:800::/48 holds the one pool, 2001:db8:900::/56 the odd pool's four blocks:
	 * pools only, no configured route in either */
	assert_int_equal(lns_fib6_add_session_route(E.rt->fib6, one, 48, E.slot_a), -EEXIST);
	assert_int_equal(lns_fib6_add_session_route(
				 E.rt->fib6, A6(0x20, 0x01, 0x0d, 0xb8, 0x09, 0x00), 56, E.slot_a),
			 -EEXIST);
	/* the delegated pool's free /56 */
	assert_int_equal(lns_fib6_lookup(E.rt->fib6, F_PD, &nh), -ENOENT);
}

/* How many prefixes a range takes in the trie: the fewest that cover it. */
static void test_prefix6_blocks(void **state)
{
	const uint8_t *zero = A6(0), *ones = A6(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
						0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
	const uint8_t *a1 = A6(0x20, 0x01, 0x0d, 0xb8, 0x09, 0x00, 0x00, 0x01);
	const uint8_t *z6 = A6(0x20, 0x01, 0x0d, 0xb8, 0x09, 0x00, 0x00, 0x06, 0xff, 0xff, 0xff,
			       0xff, 0xff, 0xff, 0xff, 0xff);

	(void)state;
	assert_int_equal(lns_prefix6_blocks(zero, ones), 1); /* ::/0 */
	assert_int_equal(lns_prefix6_blocks(zero, zero), 1); /* ::/128 */
	assert_int_equal(lns_prefix6_blocks(ones, ones), 1); /* the last /128 */
	assert_int_equal(lns_prefix6_blocks(a1, z6), 4);     /* :1::/64 :2::/63 :4::/63 :6::/64 */
	assert_int_equal(lns_prefix6_blocks(a1, a1), 1);     /* one address */
	assert_int_equal(lns_prefix6_blocks(A6([15] = 1), ones), 128); /* ::1 to the top */
	assert_int_equal(lns_prefix6_blocks(ones, zero), 0);           /* backwards: none */
}

/* ------------------------------------------------------- framed routes */

/* 2001:db8:400::/48 and 2001:db8:500::1, A's framed IPv6 routes, and addresses around them */
#define F48_IN  A6(0x20, 0x01, 0x0d, 0xb8, 0x04, 0x00, 0x12, 0x34, [15] = 5)
#define F48_OUT A6(0x20, 0x01, 0x0d, 0xb8, 0x04, 0x01, [15] = 5)
#define F128    A6(0x20, 0x01, 0x0d, 0xb8, 0x05, 0x00, [15] = 1)
#define F128_NB A6(0x20, 0x01, 0x0d, 0xb8, 0x05, 0x00, [15] = 2)

/* One upstream packet of session A from SRC: to the core and counted, or WANT. */
static void up_from(const uint8_t *src, enum lns_verdict want)
{
	const uint8_t h[] = {H_A};
	uint8_t in[100];
	size_t ilen = inner6(in, src, NET6, 64, sizeof(in));
	struct lns_sess_ctr before = ctr(E.slot_a);
	struct rte_mbuf *m;

	if (want != LNS_V_TX) {
		up_verdict(h, sizeof(h), in, ilen, want);
		return;
	}
	m = up_frame(h, sizeof(h), in, ilen);
	check_to_core(m, classify(ACC, m), &core_gw_mac, in, ilen);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 1, ilen, 0, 0);
}

/* One packet from the core to DST: into A's tunnel (and counted), else to the core's router. */
static void down_to(const uint8_t *dst, bool into_a)
{
	uint8_t in[120];
	size_t ilen = inner6(in, NET6, dst, 50, sizeof(in));
	struct lns_sess_ctr before = ctr(E.slot_a);
	struct rte_mbuf *m = down_frame6(in, ilen);

	if (into_a)
		check_to_session(m, classify(CORE, m), A_PTID, A_PSID, in, ilen);
	else
		check_to_core(m, classify(CORE, m), &core_gw_mac, in, ilen);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 0, 0, into_a, into_a ? ilen : 0);
}

/*
 * Session A's Framed-IPv6-Route attributes, parsed as cp/radius_auth.c does
 * and routed by the control lcore's call (cp/ppp_route6.c, from ppp_fwd6_up):
 * a /48 and a host route go in; one equal to A's own /64 and one holding
 * configured routes are refused and counted. Sources inside the two pass the
 * spoofing check, their neighbours do not; packets to them go into A's
 * tunnel. Another session's packet from inside them is spoofed. Taken out
 * (ppp_fwd6_down), they are the default route's again, and spoofed from A.
 */
static void test_framed_route6(void **state)
{
	static const char *const text[] = {
		"2001:db8:400::/48 :: 1", "2001:db8:500::1",
		"2001:db8:100:5::/64 :: 1", /* A's /64 */
		"2001:db8::/32 :: 1",       /* holds 2001:db8:2::/64 and 2001:db8:300::/48 */
	};
	static struct framed_route6 routes[RTE_DIM(text)];
	struct ppp_session *p = cp_session(E.slot_a);
	struct ppp_counters *c = &p->cp->ppp_c;
	const uint8_t h_b[] = {0x00,       0x02, 101 >> 8, 101 & 0xff, 201 >> 8,
			       201 & 0xff, 0xff, 0x03,     0x00,       0x57};
	uint32_t n_pfx = E.rt->fib6->n_pfx, slot_b;
	uint8_t in[80];
	size_t ilen;

	(void)state;
	for (unsigned i = 0; i < RTE_DIM(text); i++) {
		const char *why;

		assert_int_equal(framed_route6_parse(text[i], strlen(text[i]), &routes[i], &why),
				 0);
	}
	p->routes6 = routes;
	p->n_routes6 = RTE_DIM(text);
	memset(c, 0, sizeof(*c));
	ppp_routes6_up(p);
	assert_int_equal(c->framed_ipv6_routes, 2);
	assert_int_equal(c->framed_ipv6_routes_refused, 2);
	assert_int_equal(c->ipv6_prefix_table_full, 0);
	assert_true(routes[0].routed && routes[1].routed);
	assert_false(routes[2].routed || routes[3].routed);
	assert_int_equal(E.rt->fib6->n_pfx, n_pfx + 2);

	up_from(F48_IN, LNS_V_TX);
	up_from(F128, LNS_V_TX);
	up_from(F48_OUT, LNS_V_DROP_SPOOFED);
	up_from(F128_NB, LNS_V_DROP_SPOOFED);
	up_from(A_SUB, LNS_V_TX); /* its /64 still its own */
	down_to(F48_IN, true);
	down_to(F128, true);
	down_to(F48_OUT, false);
	down_to(F128_NB, false);

	/* session B may not send from A's framed routes */
	slot_b = publish6(101, 201, 8, 10, B_PFX, NULL);
	ilen = inner6(in, F48_IN, NET6, 64, sizeof(in));
	up_verdict(h_b, sizeof(h_b), in, ilen, LNS_V_DROP_SPOOFED);
	withdraw6(101, 201, B_PFX, slot_b);

	ppp_routes6_down(p);
	assert_false(routes[0].routed || routes[1].routed);
	assert_int_equal(E.rt->fib6->n_pfx, n_pfx);
	quiescent();
	up_from(F48_IN, LNS_V_DROP_SPOOFED);
	up_from(F128, LNS_V_DROP_SPOOFED);
	down_to(F48_IN, false);
	down_to(F128, false);
	p->routes6 = NULL;
	p->n_routes6 = 0;
}

/* ------------------------------------------------------------ counters */

static void test_counters_exact(void **state)
{
	const uint8_t h[] = {0x40, 0x02, 0x00, 0x00, ID_A, 0x57}; /* L, ACFC + PFC */
	static const size_t sizes[] = {40, 41, 64, 576, 1400};
	static uint8_t in[1400];
	struct lns_sess_ctr before = ctr(E.slot_a);
	uint64_t up = 0, down = 0;

	(void)state;
	for (size_t i = 0; i < RTE_DIM(sizes); i++) {
		size_t ilen = inner6(in, A_SUB, NET6, 64, sizes[i]);
		struct rte_mbuf *m = up_frame(h, sizeof(h), in, ilen);

		check_to_core(m, classify(ACC, m), &core_gw_mac, in, ilen);
		rte_pktmbuf_free(m);
		up += ilen;
		ilen = inner6(in, NET6, A_PDH, 64, sizes[i]);
		m = down_frame6(in, ilen);
		check_to_session(m, classify(CORE, m), A_PTID, A_PSID, in, ilen);
		rte_pktmbuf_free(m);
		down += ilen;
	}
	check_ctr_delta(&before, E.slot_a, RTE_DIM(sizes), up, RTE_DIM(sizes), down);
}

/* ------------------------------------------------------- the worker loop */

static bool wait_counter(const volatile uint64_t *c, uint64_t want)
{
	uint64_t end = rte_get_timer_cycles() + 5 * rte_get_timer_hz();

	while (*c < want)
		if (rte_get_timer_cycles() > end)
			return false;
	return true;
}

/*
 * Through dp/worker.c on lcore 1: a good packet (to a connected host), a
 * spoofed one, hop limit 1 and one for nobody's prefix (without the default
 * route); each verdict in its worker counter, the good one on the core port's
 * TX ring.
 */
static void test_worker_loop_counts(void **state)
{
	const uint8_t h[] = {H_A};
	struct lns_worker_counters before = E.w->c;
	struct rte_mbuf *m[4], *out = NULL;
	uint8_t in[4][80];
	size_t ilen[4];
	unsigned lc = E.w->lcore;

	(void)state;
	ilen[0] = inner6(in[0], A_SUB, CORE_HOST6, 64, sizeof(in[0]));
	ilen[1] = inner6(in[1], OTHER6, NET6, 64, sizeof(in[1]));
	ilen[2] = inner6(in[2], A_SUB, NET6, 1, sizeof(in[2]));
	for (int i = 0; i < 3; i++)
		m[i] = up_frame(h, sizeof(h), in[i], ilen[i]);
	assert_int_equal(lns_fib6_del_route(E.rt->fib6, A6(0), 0), 0);
	ilen[3] = inner6(in[3], NET6, OTHER6, 64, sizeof(in[3]));
	m[3] = down_frame6(in[3], ilen[3]);

	/* the worker thread takes over RCU thread id 0 */
	rte_rcu_qsbr_thread_offline(E.rt->qsbr, 0);
	rte_rcu_qsbr_thread_unregister(E.rt->qsbr, 0);
	E.rt->stop = false;
	assert_int_equal(rte_eal_remote_launch(lns_worker_main, E.w, lc), 0);
	assert_int_equal(rte_ring_enqueue_bulk(E.rxr[ACC][0], (void **)m, 3, NULL), 3);
	assert_int_equal(rte_ring_enqueue(E.rxr[CORE][0], m[3]), 0);
	assert_true(wait_counter(&E.w->c.rx, before.rx + 4));
	assert_true(wait_counter(&E.w->c.drop_no_route, before.drop_no_route + 1));
	E.rt->stop = true;
	rte_eal_wait_lcore(lc);
	E.rt->stop = false;
	assert_int_equal(rte_rcu_qsbr_thread_register(E.rt->qsbr, 0), 0);
	rte_rcu_qsbr_thread_online(E.rt->qsbr, 0);

	assert_int_equal(E.w->c.tx - before.tx, 1);
	assert_int_equal(E.w->c.drop_spoofed - before.drop_spoofed, 1);
	assert_int_equal(E.w->c.drop_ttl - before.drop_ttl, 1);
	assert_int_equal(E.w->c.drop_no_route - before.drop_no_route, 1);
	assert_int_equal(rte_ring_dequeue(E.txr[CORE][0], (void **)&out), 0);
	check_to_core(out, LNS_V_TX, &core_host_mac, in[0], ilen[0]);
	rte_pktmbuf_free(out);
	{
		const struct lns_nexthop6 nh = {.port = CORE,
						.gw = {0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0xfe}};

		assert_int_equal(lns_fib6_add_route(E.rt->fib6, A6(0), 0, &nh), 0);
	}
}

/* ------------------------------------------------------------------ main */

/*
 * The worker's burst lookup (lns_fib6_lookup_burst: the hash probed for all
 * addresses at once, length by length, 64 at a time, then the trie) answers
 * as the one-address lookup does, for every kind of address: inside a
 * subscriber prefix of each length in use (/64, /56, /48, /60, /128), inside
 * a pool but nobody's, under configured routes, link-local, anywhere. More
 * than 64 addresses, so that the chunks are crossed; the order is mixed.
 * Under UBSan (the asan tier) this also sees every key of the burst hashed
 * at an aligned address: with 20-octet keys every other one was not, and
 * rte_hash_crc's 8-octet loads were misaligned (found by fuzz_worker).
 */
static void test_fib6_lookup_burst(void **state)
{
	static const uint8_t lens[] = {48, 60, 128};
	struct lns_fib6 *f = E.rt->fib6;
	const uint8_t *base[] = {A_SUB, A_PDH,    CORE_HOST6, CORE_GW6, F_LINK, F_PD, F_ONE,
				 F_TIE, P_LINK_H, P_PD_H,     NULL,     NULL,   NULL, NULL};
	uint8_t pfx[3][16], addr[300][16];
	const uint8_t *ap[300];
	uint32_t burst[300], rng = 0x1234567u;
	unsigned nb = 10, hits = 0, none = 0;

	(void)state;
	/* Three more lengths in use, in room the table has (8: A's two and these) */
	for (unsigned i = 0; i < RTE_DIM(lens); i++) {
		fill_pfx(pfx[i], 0x100 + i);
		lns_prefix6_mask(pfx[i], lens[i]);
		assert_int_equal(lns_fib6_add_session_route(f, pfx[i], lens[i], E.slot_a), 0);
		base[nb++] = pfx[i];
	}
	base[nb++] = A6(0xfe, 0x80, [15] = 1);
	for (unsigned i = 0; i < RTE_DIM(addr); i++) {
		/* a base address with some of its last bits changed, or a random one */
		rng = rng * 1103515245u + 12345u;
		if (i % 7 == 6) {
			for (unsigned j = 0; j < 16; j++)
				addr[i][j] = (uint8_t)((rng >> (j % 4) * 8) ^ (j * 37u));
		} else {
			memcpy(addr[i], base[i % nb], 16);
			addr[i][15] ^= (uint8_t)(rng >> 8);
			if (i % 3 == 0)
				addr[i][9] ^= (uint8_t)(rng >> 16);
		}
		ap[i] = addr[i];
	}
	lns_fib6_lookup_burst(f, ap, RTE_DIM(addr), burst);
	for (unsigned i = 0; i < RTE_DIM(addr); i++) {
		uint32_t one = LNS_FIB6_NO_ROUTE;

		if (lns_fib6_lookup(f, addr[i], &one) < 0)
			one = LNS_FIB6_NO_ROUTE;
		assert_int_equal(burst[i], one);
		hits += (one & LNS_NH_SESSION) && one != LNS_FIB6_NO_ROUTE;
		none += one == LNS_FIB6_NO_ROUTE;
	}
	/* every kind of answer was asked for */
	assert_true(hits > 50);
	assert_true(none > 10);
	assert_true(RTE_DIM(addr) - hits - none > 50);
	for (unsigned i = 0; i < RTE_DIM(lens); i++)
		assert_int_equal(lns_fib6_del_session_route(f, pfx[i], lens[i]), 0);
	quiescent();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up_plain),
		cmocka_unit_test(test_up_header_forms),
		cmocka_unit_test(test_up_spoofed),
		cmocka_unit_test(test_up_hop_limit),
		cmocka_unit_test(test_up_link_local_punted),
		cmocka_unit_test(test_up_malformed),
		cmocka_unit_test(test_up_routes),
		cmocka_unit_test(test_up_hairpin),
		cmocka_unit_test(test_up_v4_without_ipcp),
		cmocka_unit_test(test_down_prefixes),
		cmocka_unit_test(test_down_mtu),
		cmocka_unit_test(test_mss_clamp6),
		cmocka_unit_test(test_down_hop_limit),
		cmocka_unit_test(test_down_no_route),
		cmocka_unit_test(test_down_not_for_us),
		cmocka_unit_test(test_fib6_refuses),
		cmocka_unit_test(test_fib6_longest),
		cmocka_unit_test(test_fib6_table_full),
		cmocka_unit_test(test_pool6_free_dropped),
		cmocka_unit_test(test_pool6_held),
		cmocka_unit_test(test_pool6_route_inside),
		cmocka_unit_test(test_pool6_session_prefixes),
		cmocka_unit_test(test_prefix6_blocks),
		cmocka_unit_test(test_fib6_lookup_burst),
		cmocka_unit_test(test_framed_route6),
		cmocka_unit_test(test_counters_exact),
		cmocka_unit_test(test_worker_loop_counts),
	};
	int ret = pkt_eal_init("test_worker6", "0@0,1@0");

	if (ret != 0)
		return ret;
	ret = cmocka_run_group_tests(tests, setup, teardown);
	pkt_eal_fini();
	return ret;
}
