/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target for the workers' data plane: arbitrary frames through the
 * worker's real per-burst code (dp/worker.c lns_worker_burst: dp/classify.c,
 * dp/fwd.c lns_process_burst and its stages in dp/fwd6.c, dp/mtu.c, dp/mss.h,
 * dp/unreach.c, dp/icmp.c, dp/fib*.c, dp/neigh.c, dp/session.h; then the
 * verdicts acted on as the worker loop does), on lnsd's own runtime built by
 * the packet tests' harness (tests/packet/harness.c) with three net_ring
 * ports. One input is one burst received on one port; packets handed to
 * the second worker (dataplane.handoff) are then processed by it, as its
 * loop would. After each input every TX ring, the punt ring and the hand-off
 * rings are emptied and what was on them checked.
 *
 * Any crash or sanitizer report is a bug; so is, after any input (check()):
 *  - an mbuf not back in the pool, or one freed twice (the pool's count);
 *  - a frame sent that is not one plain segment, not from the port's MAC, not
 *    tagged with the port's VLAN (or tagged where it has none), larger than
 *    the port's MTU plus its Ethernet header, neither IPv4 nor IPv6, or
 *    whose IP length field is not the frame's length;
 *  - a frame of one of our tunnels (IPv4/UDP from L2TP port 1701 of one of
 *    our addresses) whose IPv4 checksum is wrong, whose UDP length is not its
 *    length, that goes to another port, address, MAC or UDP port than its
 *    session's, carries other IDs than a forwarding session's (or the Ns bit
 *    where the session has no sequencing), is not PPP ff 03 with IPv4 or
 *    IPv6 of exactly the rest of the frame, or is larger than the session's
 *    MTU inside;
 *  - a packet for the control lcore with an unknown reason, whose headers
 *    (m->l2_len, l3_len) lie outside the frame, or which is not the IPv4 or
 *    IPv6 packet of exactly the mbuf's length its reason says; a "too big"
 *    packet no larger than the MTU it carries;
 *  - a packet handed to a worker that is not the second one, or handed on
 *    again by it;
 *  - counters that disagree with the rings: tx with the frames on the TX
 *    rings, punt with the punt ring, handoff with the hand-off ring.
 * The frames' tailroom is poisoned for AddressSanitizer while the workers
 * read them (DPDK's memory is not ASan's: without this a read past the frame
 * inside the mbuf would go unseen).
 *
 *  Input:
 *  +-------+--------+-------------+--------+-------------+- - -
 *  | setup | len    | frame       | len    | frame       | ...   at most 32 frames
 *  +-------+--------+-------------+--------+-------------+- - -
 *  setup: bits 0-1 the port the burst arrives on (0 access0, 1 core0,
 *         2 access1, 3 access0 too), bit 2 dataplane.handoff on (two
 *         workers), bit 3 dataplane.icmp-unreachable off, bits 4-5
 *         dataplane.tcp-mss-clamp (auto, off, 536, 1460), bit 6 the frames
 *         with no headroom (else DPDK's 128 octets), bit 7 at most two ICMP
 *         errors to the control lcore per worker (else 1000).
 *  len:   16 bits big-endian; a frame is cut at the input's end and at the
 *         mbuf's data room (2048 octets, 2176 without headroom).
 *
 * The runtime (addresses in the notation of the frames; MACs 02:...):
 *
 *  port 0 access0  untagged, MTU 1500, MAC 02:00:00:00:00:01,
 *                  192.0.2.1/24, 2001:db8:1::1/64; its router 192.0.2.254
 *                  (02:ac:00:00:00:fe) leads to LAC 10.1.0.1 (UDP 40000)
 *  port 1 core0    untagged, MTU 1280, MAC 02:00:00:00:00:02,
 *                  198.51.100.1/24, 2001:db8:2::1/64; routers 198.51.100.254
 *                  (02:c0:00:00:00:fe, the default route, its MAC cached
 *                  in the FIB) and 2001:db8:2::fe (same MAC, ::/0, from the
 *                  neighbour table); hosts 198.51.100.7 and 2001:db8:2::7
 *                  (02:c0:00:00:00:07)
 *  port 2 access1  VLAN 100, MTU 1400, MAC 02:00:00:00:00:03,
 *                  192.168.1.1/24, 2001:db8:3::1/64; LAC 192.168.1.10 on
 *                  the link (02:ac:00:00:01:0a, UDP 1701)
 *  routes          10.0.0.0/8 via 192.0.2.254; 172.16.0.0/12 via
 *                  198.51.100.253 (never resolved: punted to be routed);
 *                  2001:db8:300::/48 via 2001:db8:2::fd (never resolved);
 *                  2001:db8:400::/48 via 2001:db8:2::fc (MAC cached only)
 *  pools           100.64.0.0/16; 2001:db8:600::/48 in /64s; delegated
 *                  2001:db8:700::/40 in /56s (free addresses: unreachable)
 *  rings           punt and hand-off 16, each TX queue 32: full within a burst
 *
 *  sessions (our tunnel/session ID, the LAC's; owner: the worker owning it
 *  when dataplane.handoff is on):
 *   1/1 -> 7/1  access0, forwarding, 100.64.0.1, 2001:db8:600:1::/64 and
 *               2001:db8:700:100::/56, MTU 1400, LAC's MAC in its header,
 *               owner 0
 *   1/2 -> 7/2  access0, punt mode (PPP negotiating), owner 1; yet
 *               100.64.0.2 and 2001:db8:600:2::/64 lead to it, as a worker
 *               may still find them for a session going back to punt mode
 *   1/3 -> 7/3  access0, forwarding with sequencing (Ns), 100.64.0.3,
 *               MTU 576, LAC's MAC from the neighbour table, owner 1
 *   2/1 -> 8/1  access1 (VLAN), forwarding, 100.64.0.4 and framed route
 *               198.18.0.0/24, 2001:db8:600:4::/64, MTU 1300, owner 1
 *   2/2 -> 8/2  access1, forwarding, IPv6 only (no IPv4 address),
 *               2001:db8:600:5::/64, sequencing, MTU 1358, owner 0
 *   3/1 -> 9/1  access0, forwarding, 100.64.0.6, 2001:db8:600:6::/64, MTU
 *               100, its LAC's next hop 192.0.2.253 never resolved (dropped:
 *               no neighbour), owner 0
 *  Unknown: 1/9 (a tunnel we have, a session we have not), 9/1 (no tunnel).
 *
 * Seeds in tests/fuzz/corpus/worker/, made by tests/fuzz/worker_seeds.py (one
 * per path: upstream with every L2TP header form, downstream, IPv6 both
 * ways, hairpins, MSS, fragments, too big, TTL, spoofing, punts, unknown
 * sessions, malformed frames, hand-off, full rings); the values above as a
 * dictionary in tests/fuzz/worker.dict. FUZZ_WORKER_TRACE=1 prints what each
 * input did (counters, punt reasons, frames sent per port). Needs root for
 * EAL (--no-huge); exits 77 without.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <sanitizer/asan_interface.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_udp.h>

#include "dp/classify.h"
#include "dp/fib.h"
#include "dp/fib6.h"
#include "dp/mac64.h"
#include "dp/neigh.h"
#include "tests/fuzz/fuzz_common.h"
#include "tests/packet/harness.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES 32
#define N_PORTS    3
#define ACC1       2  /* the third port, after harness.h's ACC and CORE */
#define SMALL_RING 16 /* punt and hand-off rings: full within one burst */

static const char cfg_yaml[] = "dataplane:\n"
			       "  mbufs: 1024\n"
			       "  mbuf-cache: 32\n"
			       "  punt-ring-size: 64\n"
			       "  handoff: true\n"
			       "  handoff-ring-size: 64\n"
			       "  ipv6-prefixes: 16\n"
			       "ports:\n"
			       "  - name: access0\n"
			       "    device: \"net_ring_fuzz_acc0\"\n"
			       "    role: access\n"
			       "    mac: \"02:00:00:00:00:01\"\n"
			       "    addresses: [\"192.0.2.1/24\", \"2001:db8:1::1/64\"]\n"
			       "  - name: core0\n"
			       "    device: \"net_ring_fuzz_core\"\n"
			       "    role: core\n"
			       "    mac: \"02:00:00:00:00:02\"\n"
			       "    mtu: 1280\n"
			       "    addresses: [\"198.51.100.1/24\", \"2001:db8:2::1/64\"]\n"
			       "  - name: access1\n"
			       "    device: \"net_ring_fuzz_acc1\"\n"
			       "    role: access\n"
			       "    mac: \"02:00:00:00:00:03\"\n"
			       "    vlan: 100\n"
			       "    mtu: 1400\n"
			       "    addresses: [\"192.168.1.1/24\", \"2001:db8:3::1/64\"]\n"
			       "routes:\n"
			       "  - prefix: 0.0.0.0/0\n"
			       "    via: 198.51.100.254\n"
			       "  - prefix: 10.0.0.0/8\n"
			       "    via: 192.0.2.254\n"
			       "  - prefix: 172.16.0.0/12\n"
			       "    via: 198.51.100.253\n"
			       "  - prefix: \"::/0\"\n"
			       "    via: \"2001:db8:2::fe\"\n"
			       "  - prefix: \"2001:db8:300::/48\"\n"
			       "    via: \"2001:db8:2::fd\"\n"
			       "  - prefix: \"2001:db8:400::/48\"\n"
			       "    via: \"2001:db8:2::fc\"\n"
			       "l2tp:\n"
			       "  max-sessions: 65536\n" /* every session ID names a slot */
			       "  allow-unknown-peers: true\n"
			       "ppp:\n"
			       "  pd-pool: delegated\n"
			       "pools:\n"
			       "  - name: default\n"
			       "    ranges: [\"100.64.0.0/16\"]\n"
			       "  - name: links\n"
			       "    ranges: [\"2001:db8:600::/48\"]\n"
			       "  - name: delegated\n"
			       "    ranges: [\"2001:db8:700::/40\"]\n"
			       "    prefix-length: 56\n";

static const struct pkt_opts opts = {
	.name = "fuzz_worker",
	.yaml = cfg_yaml,
	.n_workers = 2,
	.nq = 3,           /* queues per port: two workers and the control lcore */
	.ring_size = 32,   /* TX rings: full within one burst */
	.rcu_main = false, /* nothing is withdrawn: no grace period to wait for */
};

static bool trace; /* FUZZ_WORKER_TRACE=1: trace_input() after each input */

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define A6(...)         ((const uint8_t[16]){__VA_ARGS__})

static const struct rte_ether_addr core_host_mac = {{0x02, 0xc0, 0, 0, 0, 0x07}};
static const struct rte_ether_addr lac2_mac = {{0x02, 0xac, 0, 0, 0x01, 0x0a}};

/* One session as published, and what its frames must look like. */
struct fsess {
	uint16_t tid, sid, ptid, psid;
	uint8_t mode, flags, port;
	uint16_t mtu, peer_port;
	uint32_t local_ip, peer_ip, nh_ip, sub_ip; /* host order; sub_ip 0: none */
	const struct rte_ether_addr *lac_mac;      /* in its header; NULL: looked up */
	const struct rte_ether_addr *dst_mac;      /* what its frames go to; NULL: never sent */
	uint32_t framed, framed_plen;              /* a framed route, host order */
	const uint8_t *pfx6, *pd6;                 /* its /64 and delegated /56 */
	uint32_t slot;
};

/* The LACs: 10.1.0.1 behind 192.0.2.254 on access0, 192.168.1.10 on access1's link. */
#define LAC1 .port = ACC, .peer_port = LAC_PORT, .local_ip = LNS_ACC_IP, .peer_ip = LAC_IP
#define LAC2                                                                                       \
	.port = ACC1, .peer_port = 1701, .local_ip = IP4(192, 168, 1, 1),                          \
	.peer_ip = IP4(192, 168, 1, 10), .nh_ip = IP4(192, 168, 1, 10)
#define PFX6(x) A6(0x20, 0x01, 0x0d, 0xb8, 0x06, 0x00, 0x00, x) /* 2001:db8:600:x::/64 */

/* One session a paragraph, in the order of the list at the top. */
/* clang-format off */
static struct fsess sessions[] = {
	{.tid = 1, .sid = 1, .ptid = 7, .psid = 1, .mode = LNS_SESS_FORWARD, LAC1, .nh_ip = ACC_GW,
	 .mtu = 1400, .sub_ip = IP4(100, 64, 0, 1), .lac_mac = &acc_gw_mac, .dst_mac = &acc_gw_mac,
	 .pfx6 = PFX6(1), .pd6 = A6(0x20, 0x01, 0x0d, 0xb8, 0x07, 0x00, 0x01, 0x00)},
	{.tid = 1, .sid = 2, .ptid = 7, .psid = 2, .mode = LNS_SESS_PUNT, LAC1, .nh_ip = ACC_GW,
	 .mtu = 1400, .sub_ip = IP4(100, 64, 0, 2), .lac_mac = &acc_gw_mac, .pfx6 = PFX6(2)},
	{.tid = 1, .sid = 3, .ptid = 7, .psid = 3, .mode = LNS_SESS_FORWARD, LAC1, .nh_ip = ACC_GW,
	 .flags = LNS_SESS_F_SEQ, .mtu = 576, .sub_ip = IP4(100, 64, 0, 3), .dst_mac = &acc_gw_mac},
	{.tid = 2, .sid = 1, .ptid = 8, .psid = 1, .mode = LNS_SESS_FORWARD, LAC2,
	 .flags = LNS_SESS_F_ROUTES, .mtu = 1300, .sub_ip = IP4(100, 64, 0, 4),
	 .lac_mac = &lac2_mac, .dst_mac = &lac2_mac, .framed = IP4(198, 18, 0, 0), .framed_plen = 24,
	 .pfx6 = PFX6(4)},
	{.tid = 2, .sid = 2, .ptid = 8, .psid = 2, .mode = LNS_SESS_FORWARD, LAC2,
	 .flags = LNS_SESS_F_SEQ, .mtu = 1358, .dst_mac = &lac2_mac, .pfx6 = PFX6(5)},
	{.tid = 3, .sid = 1, .ptid = 9, .psid = 1, .mode = LNS_SESS_FORWARD, LAC1,
	 .nh_ip = IP4(192, 0, 2, 253), .mtu = 100, .sub_ip = IP4(100, 64, 0, 6), .pfx6 = PFX6(6)},
};
/* clang-format on */

static uint32_t be32(uint32_t host)
{
	return rte_cpu_to_be_32(host);
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* ---------------------------------------------------------------- set-up */

static void publish_all(void)
{
	struct lns_runtime *rt = E.rt;

	for (size_t i = 0; i < RTE_DIM(sessions); i++) {
		struct fsess *f = &sessions[i];
		struct lns_dp_session s = pkt_session(f->tid, f->sid, f->ptid, f->psid);

		s.mode = f->mode;
		s.flags = f->flags;
		s.port = f->port;
		s.mtu = f->mtu;
		s.peer_port = f->peer_port;
		s.local_ip = be32(f->local_ip);
		s.peer_ip = be32(f->peer_ip);
		s.nh_ip = be32(f->nh_ip);
		s.sub_ip = be32(f->sub_ip);
		s.lac_mac = f->lac_mac ? lns_mac64(f->lac_mac) : 0;
		s.slot = f->slot = take_slot(f->tid, f->sid);
		check(s.slot != LNS_SESSION_SLOT_NONE);
		check(lns_session_publish(rt->sessions, &s) == 0);
		if (f->sub_ip)
			check(lns_fib_add_session(rt->fib, s.sub_ip, s.slot) == 0);
		if (f->framed_plen)
			check(lns_fib_add_session_route(rt->fib, be32(f->framed),
							(uint8_t)f->framed_plen, s.slot) == 0);
		if (f->pfx6)
			check(lns_fib6_add_session_route(rt->fib6, f->pfx6, 64, s.slot) == 0);
		if (f->pd6)
			check(lns_fib6_add_session_route(rt->fib6, f->pd6, 56, s.slot) == 0);
	}
}

/* Rings of SMALL_RING for the punt and hand-off rings (the configuration's are 64 at least),
 * so that one burst can fill them. */
static void small_rings(void)
{
	struct lns_runtime *rt = E.rt;
	char name[RTE_RING_NAMESIZE];

	rte_ring_free(rt->punt);
	rt->punt = rte_ring_create("fuzz_punt", SMALL_RING, rte_socket_id(), RING_F_SC_DEQ);
	check(rt->punt != NULL);
	for (unsigned i = 0; i < rt->n_workers; i++) {
		rte_ring_free(rt->workers[i].handoff);
		snprintf(name, sizeof(name), "fuzz_handoff%u", i);
		rt->workers[i].handoff =
			rte_ring_create(name, SMALL_RING, rte_socket_id(), RING_F_SC_DEQ);
		check(rt->workers[i].handoff != NULL);
	}
}

/* libFuzzer's end: the runtime freed (LeakSanitizer sees none of its allocations lost), and
 * EAL's runtime directory not left behind. */
static void fuzz_worker_exit(void)
{
	pkt_teardown();
	pkt_eal_fini();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct lns_runtime *rt;
	rte_be32_t gw;
	int ret;

	(void)argc;
	(void)argv;
	/* Three lcores: lns_runtime_init() wants a worker lcore for each worker, which stay
	 * idle here; this thread plays both workers. */
	ret = pkt_eal_init("fuzz_worker", "0@0,1@0,2@0");
	if (ret != 0)
		exit(ret); /* 77 without root: meson and tests/run.sh say skipped */
	atexit(fuzz_worker_exit);
	if (pkt_setup(&opts) < 0) {
		fprintf(stderr, "fuzz_worker: set-up failed\n");
		exit(1);
	}
	rt = E.rt;
	check(rt->n_ports == N_PORTS && rt->n_workers == 2);
	check(pkt_neigh4(ACC, ACC_GW, &acc_gw_mac) == 0);
	check(pkt_neigh4(CORE, CORE_GW, &core_gw_mac) == 0);
	check(pkt_neigh4(CORE, IP4(198, 51, 100, 7), &core_host_mac) == 0);
	check(pkt_neigh4(ACC1, IP4(192, 168, 1, 10), &lac2_mac) == 0);
	check(lns_neigh_set(rt->neigh, CORE, AF_INET6,
			    A6(0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0xfe), &core_gw_mac) == 0);
	check(lns_neigh_set(rt->neigh, CORE, AF_INET6, A6(0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 7),
			    &core_host_mac) == 0);
	/* The default route's gateway MAC cached in its next hop (cp/resolve.c); 10/8's and
	 * ::/0's looked up in the neighbour table; 2001:db8:400::/48's only cached. */
	gw = be32(CORE_GW);
	lns_fib_gateway_mac(rt->fib, CORE, gw, &core_gw_mac);
	lns_fib6_gateway_mac(rt->fib6, CORE, A6(0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0xfc),
			     &core_gw_mac);
	publish_all();
	small_rings();
	trace = getenv("FUZZ_WORKER_TRACE") && strcmp(getenv("FUZZ_WORKER_TRACE"), "1") == 0;
	return 0;
}

/* ----------------------------------------------------------- the checks */

/* Whether frame F (LEN octets) is IPv4 from one of our addresses: routed on, it could pass
 * for one of our tunnels' frames, whose checks then do not apply. */
static bool from_our_address(const uint8_t *f, size_t len)
{
	size_t off = 14;
	uint16_t type;
	rte_be32_t src;

	if (len < 14)
		return false;
	type = rd16(f + 12);
	if (type == RTE_ETHER_TYPE_VLAN) {
		if (len < 18)
			return false;
		type = rd16(f + 16);
		off = 18;
	}
	if (type != RTE_ETHER_TYPE_IPV4 || len < off + sizeof(struct rte_ipv4_hdr))
		return false;
	memcpy(&src, f + off + 12, sizeof(src));
	for (unsigned i = 0; i < E.rt->n_ports; i++)
		if (lns_port_has_v4(&E.rt->ports[i], src))
			return true;
	return false;
}

/* The IPv4 or IPv6 packet at P is exactly LEN octets long (its header's length field says). */
static void check_l3_len(const uint8_t *p, size_t len, bool v6)
{
	if (v6) {
		check(len >= sizeof(struct rte_ipv6_hdr));
		check(p[0] >> 4 == 6);
		check(sizeof(struct rte_ipv6_hdr) + rd16(p + 4) == len);
	} else {
		check(len >= sizeof(struct rte_ipv4_hdr));
		check(p[0] >> 4 == 4 && (p[0] & 0x0f) >= 5);
		check(rd16(p + 2) == len);
	}
}

/* A frame of one of our tunnels, its IPv4 header at IP (LEN octets to the frame's end),
 * sent out of port PORT to DST. */
static void check_l2tp(unsigned port, const uint8_t *dst, const uint8_t *ip, size_t len)
{
	struct rte_ipv4_hdr h;
	const struct fsess *f = NULL;
	const uint8_t *l2tp = ip + 28, *ppp;
	uint16_t flags, ptid, psid, proto;
	size_t hlen;

	check(len >= 28 + 6);
	memcpy(&h, ip, sizeof(h)); /* after PFC the frame may start at an odd address */
	check(h.version_ihl == RTE_IPV4_VHL_DEF);
	check(rte_raw_cksum(&h, sizeof(h)) == 0xffff);
	check(rd16(ip + 24) == len - 20); /* UDP length */
	flags = rd16(l2tp);
	ptid = rd16(l2tp + 2);
	psid = rd16(l2tp + 4);
	for (size_t i = 0; i < RTE_DIM(sessions); i++)
		if (sessions[i].ptid == ptid && sessions[i].psid == psid)
			f = &sessions[i];
	check(f != NULL && f->mode == LNS_SESS_FORWARD && f->dst_mac != NULL);
	check(f->port == port);
	check(memcmp(dst, f->dst_mac, 6) == 0);
	check(h.src_addr == be32(f->local_ip) && h.dst_addr == be32(f->peer_ip));
	check(rd16(ip + 22) == f->peer_port);
	/* T=0, no L, O or P; S (Ns and Nr) exactly when the session sequences; version 2 */
	check(flags == ((f->flags & LNS_SESS_F_SEQ) ? 0x0802 : 0x0002));
	hlen = 28 + 6 + ((f->flags & LNS_SESS_F_SEQ) ? 4 : 0) + 4;
	check(len >= hlen);
	ppp = ip + hlen - 4;
	proto = rd16(ppp + 2);
	check(ppp[0] == 0xff && ppp[1] == 0x03);
	check(proto == LNS_PPP_IP || proto == LNS_PPP_IPV6);
	check_l3_len(ip + hlen, len - hlen, proto == LNS_PPP_IPV6);
	check(len - hlen <= f->mtu);
}

/* A frame the workers sent out of port PORT. */
static void check_tx(unsigned port, struct rte_mbuf *m, bool lookalike)
{
	const struct lns_port *p = &E.rt->ports[port];
	const uint8_t *b = rte_pktmbuf_mtod(m, const uint8_t *);
	size_t len = rte_pktmbuf_data_len(m), l2 = 14;
	uint16_t type;

	check(m->nb_segs == 1 && rte_pktmbuf_pkt_len(m) == len);
	check(m->port == p->port_id);
	check(len >= 14);
	check(memcmp(b + 6, &p->mac, 6) == 0);
	type = rd16(b + 12);
	if (p->vlan >= 0) {
		check(type == RTE_ETHER_TYPE_VLAN && len >= 18);
		check((rd16(b + 14) & 0x0fff) == p->vlan);
		type = rd16(b + 16);
		l2 = 18;
	} else {
		check(type != RTE_ETHER_TYPE_VLAN);
	}
	check(len - l2 <= p->mtu);
	check(type == RTE_ETHER_TYPE_IPV4 || type == RTE_ETHER_TYPE_IPV6);
	check_l3_len(b + l2, len - l2, type == RTE_ETHER_TYPE_IPV6);
	if (type == RTE_ETHER_TYPE_IPV4 && !lookalike && b[l2 + 9] == IPPROTO_UDP &&
	    len >= l2 + 28 && rd16(b + l2 + 20) == 1701) {
		rte_be32_t src;

		memcpy(&src, b + l2 + 12, sizeof(src));
		if (lns_port_has_v4(p, src))
			check_l2tp(port, b, b + l2, len - l2);
	}
}

/* A packet the workers handed to the control lcore. */
static void check_punt(struct rte_mbuf *m)
{
	uint32_t u = m->hash.usr;
	size_t len = rte_pktmbuf_data_len(m);
	const uint8_t *b = rte_pktmbuf_mtod(m, const uint8_t *);

	check(m->nb_segs == 1 && rte_pktmbuf_pkt_len(m) == len);
	switch (LNS_PUNT_REASON(u)) {
	case LNS_PUNT_FRAME:
		/* as received: its Ethernet header, and what classify found after it */
		check(u == LNS_PUNT_FRAME);
		check(m->l2_len == 14 || m->l2_len == 18);
		check(m->l2_len + m->l3_len <= len);
		check(E.rt->port_by_id[m->port] >= 0);
		break;
	case LNS_PUNT_ICMP_TOO_BIG:
		check(LNS_PUNT_MTU(u) > 0 && len > LNS_PUNT_MTU(u));
		/* fall through */
	case LNS_PUNT_ROUTE:
	case LNS_PUNT_ICMP_TTL:
	case LNS_PUNT_ICMP_UNREACH:
		check_l3_len(b, len, false);
		break;
	case LNS_PUNT_ICMP6_TOO_BIG:
		check(LNS_PUNT_MTU(u) > 0 && len > LNS_PUNT_MTU(u));
		/* fall through */
	case LNS_PUNT_ROUTE6:
	case LNS_PUNT_ICMP6_HOP_LIMIT:
	case LNS_PUNT_ICMP6_UNREACH:
		check_l3_len(b, len, true);
		break;
	default:
		check(!"a punt reason");
	}
}

/* ------------------------------------------------------------- an input */

/* Frames' tailroom unreadable while the workers have them (DPDK's memory is not ASan's:
 * a read past a frame's end would otherwise go unseen); readable again before any of their
 * mbufs can be handed out by the pool again. */
static void poison_tail(struct rte_mbuf **m, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		ASAN_POISON_MEMORY_REGION(rte_pktmbuf_mtod_offset(m[i], char *, m[i]->data_len),
					  rte_pktmbuf_tailroom(m[i]));
}

static void unpoison(struct rte_mbuf **m, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		ASAN_UNPOISON_MEMORY_REGION(m[i]->buf_addr, m[i]->buf_len);
}

static void add_counters(struct lns_worker_counters *sum, const struct lns_worker_counters *c)
{
#define X(name, help) sum->name += c->name;
	LNS_WORKER_COUNTERS(X)
#undef X
}

static void sub_counters(struct lns_worker_counters *sum, const struct lns_worker_counters *c)
{
#define X(name, help) sum->name -= c->name;
	LNS_WORKER_COUNTERS(X)
#undef X
}

/* What an input did, on stderr (FUZZ_WORKER_TRACE=1): the burst's counters (the loop's, then
 * dp/mtu.c's own in w->c), the punts by reason, the frames sent by port. */
static void trace_input(unsigned in, unsigned n, const struct lns_worker_counters *c,
			const struct lns_worker_counters *mtu, const unsigned *reasons,
			const unsigned *sent)
{
	static const char *const why[] = {"frame",        "route",           "icmp_ttl",
					  "icmp_too_big", "icmp6_hop_limit", "icmp6_too_big",
					  "route6",       "icmp_unreach",    "icmp6_unreach"};

	fprintf(stderr, "port %u, %u frames:", in, n);
#define X(name, help)                                                                              \
	if (c->name)                                                                               \
		fprintf(stderr, " %s %" PRIu64, #name, c->name);
	LNS_WORKER_COUNTERS(X)
#undef X
	fprintf(stderr,
		" | fragmented %" PRIu64 " frag_out %" PRIu64 " mss_clamped %" PRIu64
		" icmp_punt_limited %" PRIu64 " | punted:",
		mtu->fragmented, mtu->frag_out, mtu->mss_clamped, mtu->icmp_punt_limited);
	for (unsigned r = 0; r < RTE_DIM(why); r++)
		if (reasons[r])
			fprintf(stderr, " %s %u", why[r], reasons[r]);
	fprintf(stderr, " | sent:");
	for (unsigned p = 0; p < N_PORTS; p++)
		fprintf(stderr, " %u", sent[p]);
	fprintf(stderr, "\n");
}

/* The second worker's loop: what was handed to it, in runs of one input port (dp/worker.c
 * poll_handoff). The number handed. */
static unsigned run_handoff(struct lns_worker_counters *sum)
{
	struct lns_runtime *rt = E.rt;
	struct lns_worker *w = &rt->workers[1];
	struct rte_mbuf *pkts[SMALL_RING];
	struct lns_worker_counters c = {0};
	unsigned n = rte_ring_sc_dequeue_burst(w->handoff, (void **)pkts, RTE_DIM(pkts), NULL);

	for (unsigned i = 0; i < n; i++) {
		check(pkts[i]->hash.usr == 1); /* for worker 1, from worker 0 */
		check(rt->port_by_id[pkts[i]->port] >= 0);
	}
	poison_tail(pkts, n);
	lns_worker_handed(w, pkts, n, &c);
	unpoison(pkts, n);
	check(c.handoff == 0 && w->n_frag == 0);
	add_counters(sum, &c);
	return n;
}

static void set_up_input(uint8_t setup)
{
	static const unsigned mss[4] = {LNS_MSS_CLAMP_AUTO, LNS_MSS_CLAMP_OFF, 536, 1460};
	struct lns_runtime *rt = E.rt;

	rt->handoff = setup & 0x04;
	E.cfg->dataplane.icmp_unreachable = !(setup & 0x08);
	E.cfg->dataplane.tcp_mss_clamp = mss[(setup >> 4) & 3];
	E.cfg->dataplane.icmp_errors_per_second = (setup & 0x80) ? 2 : 1000;
	/* each input from a full bucket at that rate: the same input, the same outcome */
	for (unsigned i = 0; i < rt->n_workers; i++)
		rt->workers[i].icmp_tb.hz = 0;
}

/* The port's template (dp/classify.h) and the checks alone decide M's frame alike: the
 * same verdict, context and mbuf fields, from two copies of it. */
static void check_template(const struct lns_port *p, const struct rte_mbuf *m)
{
	const struct lns_burst b = lns_burst_of(E.rt);
	struct rte_mbuf *c[2];
	struct lns_pctx x[2];
	enum lns_verdict v[2];

	for (unsigned i = 0; i < 2; i++) {
		c[i] = rte_pktmbuf_alloc(E.rt->pool);
		check(c[i] != NULL);
		c[i]->data_off = m->data_off;
		c[i]->data_len = m->data_len;
		c[i]->pkt_len = m->pkt_len;
		c[i]->port = m->port;
		memcpy(rte_pktmbuf_mtod(c[i], void *), rte_pktmbuf_mtod(m, const void *),
		       m->data_len);
		memset(&x[i], 0x5a, sizeof(x[i]));
		x[i].kind = 0;
	}
	poison_tail(c, 2);
	v[0] = lns_classify(&b, p, c[0], &x[0]);
	v[1] = lns_classify_checked(&b, p, c[1], &x[1]);
	unpoison(c, 2);
	check(v[0] == v[1] && memcmp(&x[0], &x[1], sizeof(x[0])) == 0 &&
	      c[0]->hash.usr == c[1]->hash.usr && c[0]->l2_len == c[1]->l2_len &&
	      c[0]->l3_len == c[1]->l3_len && c[0]->data_off == c[1]->data_off &&
	      c[0]->data_len == c[1]->data_len && c[0]->pkt_len == c[1]->pkt_len);
	rte_pktmbuf_free(c[0]);
	rte_pktmbuf_free(c[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lns_runtime *rt = E.rt;
	struct rte_mbuf *pkts[MAX_FRAMES], *m;
	struct lns_worker_counters c0 = {0}, sum = {0}, mtu = {0};
	unsigned in, n = 0, handed, tx = 0, punted = 0, sent[N_PORTS] = {0}, reasons[16] = {0};
	uint16_t headroom;
	unsigned avail;
	bool lookalike = false;
	size_t pos = 1;

	if (size < 1)
		return 0;
	in = (data[0] & 3) % N_PORTS;
	headroom = (data[0] & 0x40) ? 0 : RTE_PKTMBUF_HEADROOM;
	set_up_input(data[0]);
	avail = rte_mempool_avail_count(rt->pool);
	if (trace) /* dp/mtu.c counts in w->c: minus what was there */
		for (unsigned i = 0; i < rt->n_workers; i++)
			sub_counters(&mtu, &rt->workers[i].c);

	while (n < MAX_FRAMES && pos + 2 <= size) {
		size_t len = rd16(data + pos), room;

		pos += 2;
		len = RTE_MIN(len, size - pos);
		m = rte_pktmbuf_alloc(rt->pool);
		check(m != NULL);
		m->data_off = headroom;
		room = rte_pktmbuf_tailroom(m);
		m->data_len = (uint16_t)RTE_MIN(len, room);
		m->pkt_len = m->data_len;
		memcpy(rte_pktmbuf_mtod(m, void *), data + pos, m->data_len);
		m->port = rt->ports[in].port_id; /* as rte_eth_rx_burst() leaves it */
		lookalike |= from_our_address(data + pos, m->data_len);
		check_template(&rt->ports[in], m);
		pos += len;
		pkts[n++] = m;
	}
	if (n == 0)
		return 0;

	/* Worker 0 receives the burst; worker 1 takes what it was handed. */
	poison_tail(pkts, n);
	lns_worker_burst(&rt->workers[0], &rt->ports[in], pkts, (uint16_t)n, &c0);
	unpoison(pkts, n);
	check(rt->workers[0].n_frag == 0);
	add_counters(&sum, &c0);
	handed = run_handoff(&sum);
	check(handed == c0.handoff);
	check(rte_ring_count(rt->workers[0].handoff) == 0); /* never handed on again */

	/* What went out, and what went to the control lcore. */
	for (unsigned p = 0; p < rt->n_ports; p++)
		for (unsigned q = 0; q < E.nq; q++)
			while (rte_ring_sc_dequeue(E.txr[p][q], (void **)&m) == 0) {
				check_tx(p, m, lookalike);
				rte_pktmbuf_free(m);
				tx++;
				sent[p]++;
			}
	while (rte_ring_sc_dequeue(rt->punt, (void **)&m) == 0) {
		check_punt(m);
		reasons[LNS_PUNT_REASON(m->hash.usr)]++; /* one of the nine: check_punt() */
		rte_pktmbuf_free(m);
		punted++;
	}
	if (trace) {
		for (unsigned i = 0; i < rt->n_workers; i++)
			add_counters(&mtu, &rt->workers[i].c);
		trace_input(in, n, &sum, &mtu, reasons, sent);
	}
	check(tx == sum.tx);
	check(punted == sum.punt);
	check(rte_mempool_avail_count(rt->pool) == avail);
	return 0;
}
