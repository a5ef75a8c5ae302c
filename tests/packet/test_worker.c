/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet tests of the worker's stages (STYLE.md point 11): crafted frames go
 * through lns_classify() (dp/classify.c, dp/fwd.c) on lnsd's own runtime
 * (app/runtime.c: lns_runtime_init, lns_port_fill, lns_fib_fill) built from a
 * YAML configuration, with two net_ring ports made from rings of our own as
 * bench/env.c makes them. Sessions are published as the control plane
 * publishes them (cp/ppp_fwd.c publish()). Each case checks the verdict and,
 * where a frame goes out, its bytes; the per-session counters where they move.
 *
 * One worker (rt->workers[0]), run on the main lcore: EAL gets two lcores
 * because lns_runtime_init() wants one worker lcore, which stays idle here.
 * Needs root; --no-huge, so no hugepages.
 */
#include <string.h>

#include <rte_rcu_qsbr.h>
#include <rte_udp.h>

#include "dp/classify.h"
#include "dp/fib.h"

#include "harness.h"

static const char cfg_yaml[] = "dataplane:\n"
			       "  mbufs: 1024\n"
			       "  mbuf-cache: 32\n"
			       "  punt-ring-size: 64\n"
			       "ports:\n"
			       "  - name: access0\n"
			       "    device: \"net_ring_pkt_acc\"\n"
			       "    role: access\n"
			       "    mac: \"02:00:00:00:00:01\"\n"
			       "    addresses: [\"192.0.2.1/24\"]\n"
			       "  - name: core0\n"
			       "    device: \"net_ring_pkt_core\"\n"
			       "    role: core\n"
			       "    mac: \"02:00:00:00:00:02\"\n"
			       "    addresses: [\"198.51.100.1/24\"]\n"
			       "routes:\n"
			       "  - prefix: 0.0.0.0/0\n"
			       "    via: 198.51.100.254\n"
			       "  - prefix: 10.0.0.0/8\n"
			       "    via: 192.0.2.254\n"
			       "l2tp:\n"
			       "  max-sessions: 65536\n" /* every session ID names a slot */
			       "  allow-unknown-peers: true\n"
			       "pools:\n"
			       "  - name: default\n"
			       "    ranges: [\"100.64.0.0/10\"]\n";

static const struct pkt_opts opts = {
	.name = "test_worker",
	.yaml = cfg_yaml,
	.n_workers = 1,
	.nq = 2, /* queues per port: one worker plus the control lcore's */
	.ring_size = 64,
	.rcu_main = true, /* the main lcore plays worker 0: quiescent when the test says so */
};

/* Addresses, host order. */
#define SUB_IP     0x64400005u /* 100.64.0.5: the subscriber of session A */
#define SUB2_IP    0x64400006u /* 100.64.0.6: session B */
#define FRAMED_NET 0xc6130000u /* 198.19.0.0/24: framed route of session A (no pool's) */

/* Session A: our IDs, the LAC's, its inner MTU. */
#define A_TID  100
#define A_SID  200
#define A_PTID 7
#define A_PSID 9
#define A_MTU  1400

/* ---------------------------------------------------------------- set-up */

static int setup(void **state)
{
	(void)state;
	/* the routers' MACs, as the control lcore learns them by ARP */
	if (pkt_setup(&opts) < 0 || pkt_neigh4(ACC, ACC_GW, &acc_gw_mac) < 0 ||
	    pkt_neigh4(CORE, CORE_GW, &core_gw_mac) < 0)
		return -1;
	E.slot_a = publish(A_TID, A_SID, A_PTID, A_PSID, SUB_IP, A_MTU);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pkt_teardown();
	return 0;
}

/* ------------------------------------------------------------ checking */

/* The forwarded inner packet at p: in with TTL one less and a valid checksum. */
static void check_inner(const uint8_t *p, const uint8_t *in, size_t ilen)
{
	struct rte_ipv4_hdr ip, orig;

	memcpy(&ip, p, sizeof(ip));
	memcpy(&orig, in, sizeof(orig));
	assert_int_equal(ip.time_to_live, orig.time_to_live - 1);
	check_ipv4_cksum(&ip);
	/* everything but TTL and checksum as sent */
	assert_memory_equal(p, in, 8);
	assert_int_equal(ip.next_proto_id, orig.next_proto_id);
	assert_memory_equal(p + 12, in + 12, ilen - 12);
}

/* Routed to the core: Eth(core gateway, our core MAC) + the inner packet. */
static void check_to_core(struct rte_mbuf *m, enum lns_verdict v, const uint8_t *in, size_t ilen)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);

	assert_int_equal(v, LNS_V_TX);
	assert_int_equal(m->port, E.rt->ports[CORE].port_id);
	assert_int_equal(rte_pktmbuf_pkt_len(m), sizeof(struct rte_ether_hdr) + ilen);
	assert_int_equal(rte_pktmbuf_data_len(m), rte_pktmbuf_pkt_len(m));
	check_eth(p, &core_gw_mac, CORE, RTE_ETHER_TYPE_IPV4);
	check_inner(p + sizeof(struct rte_ether_hdr), in, ilen);
}

/* Into session (ptid, psid)'s tunnel on the access port. */
static void check_to_session(struct rte_mbuf *m, enum lns_verdict v, uint16_t ptid, uint16_t psid,
			     const uint8_t *in, size_t ilen)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	struct rte_ipv4_hdr ip;
	struct rte_udp_hdr udp;
	const uint8_t *l2tp = p + 14 + sizeof(ip) + sizeof(udp);
	const uint8_t want_l2tp[10] = {0x00,        0x02, ptid >> 8, ptid & 0xff, psid >> 8,
				       psid & 0xff, 0xff, 0x03,      0x00,        0x21};

	assert_int_equal(v, LNS_V_TX);
	assert_int_equal(m->port, E.rt->ports[ACC].port_id);
	assert_int_equal(rte_pktmbuf_pkt_len(m), 14 + 20 + 8 + 10 + ilen);
	assert_int_equal(rte_pktmbuf_data_len(m), rte_pktmbuf_pkt_len(m));
	check_eth(p, &acc_gw_mac, ACC, RTE_ETHER_TYPE_IPV4);
	memcpy(&ip, p + 14, sizeof(ip));
	memcpy(&udp, p + 14 + sizeof(ip), sizeof(udp));
	assert_int_equal(ip.version_ihl, 0x45);
	assert_int_equal(ip.type_of_service, 0);
	assert_int_equal(rte_be_to_cpu_16(ip.total_length), 20 + 8 + 10 + ilen);
	assert_int_equal(ip.time_to_live, 64);
	assert_int_equal(ip.next_proto_id, IPPROTO_UDP);
	assert_int_equal(ip.fragment_offset, 0);
	assert_int_equal(ip.src_addr, rte_cpu_to_be_32(LNS_ACC_IP));
	assert_int_equal(ip.dst_addr, rte_cpu_to_be_32(LAC_IP));
	check_ipv4_cksum(&ip);
	assert_int_equal(udp.src_port, RTE_BE16(1701));
	assert_int_equal(udp.dst_port, RTE_BE16(LAC_PORT));
	assert_int_equal(rte_be_to_cpu_16(udp.dgram_len), 8 + 10 + ilen);
	assert_int_equal(udp.dgram_cksum, 0);
	assert_memory_equal(l2tp, want_l2tp, sizeof(want_l2tp));
	check_inner(l2tp + 10, in, ilen);
}

/* ------------------------------------------------------------- upstream */

#define ID_A A_TID >> 8, A_TID & 0xff, A_SID >> 8, A_SID & 0xff

/* One upstream frame with this header: forwarded to the core, counted once. */
static void up_ok(const uint8_t *hdr, size_t hlen)
{
	uint8_t in[100];
	size_t ilen = inner_ip(in, SUB_IP, NET_IP, 64, sizeof(in), 0);
	struct lns_sess_ctr before = ctr(E.slot_a);
	struct rte_mbuf *m = up_frame(hdr, hlen, in, ilen);
	enum lns_verdict v = classify(ACC, m);

	check_to_core(m, v, in, ilen);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 1, ilen, 0, 0);
}

static void test_up_plain(void **state)
{
	const uint8_t h[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};

	(void)state;
	up_ok(h, sizeof(h));
}

/*
 * The route's gateway MAC cached in its next hop (as cp/resolve.c keeps it)
 * is what the worker uses; without it, the neighbour table's. A cached MAC
 * that differs from the table's shows which one the frame got.
 */
static void test_up_gateway_mac_cached(void **state)
{
	static const struct rte_ether_addr cached = {{0x02, 0xc0, 0, 0, 0x12, 0x34}};
	const uint8_t h[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};
	uint8_t in[100];
	size_t ilen = inner_ip(in, SUB_IP, NET_IP, 64, sizeof(in), 0);
	rte_be32_t gw = rte_cpu_to_be_32(CORE_GW);
	struct rte_mbuf *m;
	struct rte_ether_addr dst;

	(void)state;
	lns_fib_gateway_mac(E.rt->fib, CORE, gw, &cached);
	m = up_frame(h, sizeof(h), in, ilen);
	assert_int_equal(classify(ACC, m), LNS_V_TX);
	memcpy(&dst, rte_pktmbuf_mtod(m, uint8_t *), sizeof(dst));
	assert_memory_equal(&dst, &cached, sizeof(dst));
	rte_pktmbuf_free(m);
	lns_fib_gateway_mac(E.rt->fib, CORE, gw, NULL); /* forgotten: the table again */
	up_ok(h, sizeof(h));
}

static void test_up_length(void **state)
{
	/* L: the Length field holds the whole L2TP message's length */
	const uint8_t h[] = {0x40, 0x02, 0x00, 8 + 4 + 100, ID_A, 0xff, 0x03, 0x00, 0x21};

	(void)state;
	up_ok(h, sizeof(h));
}

static void test_up_sequence(void **state)
{
	const uint8_t h[] = {0x08, 0x02, ID_A, 0x00, 0x05, 0x00, 0x03, 0xff, 0x03, 0x00, 0x21};

	(void)state;
	up_ok(h, sizeof(h));
}

static void test_up_offset0(void **state)
{
	const uint8_t h[] = {0x02, 0x02, ID_A, 0x00, 0x00, 0xff, 0x03, 0x00, 0x21};

	(void)state;
	up_ok(h, sizeof(h));
}

static void test_up_offset4(void **state)
{
	const uint8_t h[] = {0x02, 0x02, ID_A, 0x00, 0x04, 0xaa, 0xbb,
			     0xcc, 0xdd, 0xff, 0x03, 0x00, 0x21};

	(void)state;
	up_ok(h, sizeof(h));
}

static void test_up_priority(void **state)
{
	const uint8_t h[] = {0x01, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};

	(void)state;
	up_ok(h, sizeof(h));
}

static void test_up_all_flags(void **state)
{
	/* L, S, O (2 octets of padding) and P together */
	const uint8_t h[] = {0x4b, 0x02, 0x00, 0x00, ID_A, 0x00, 0x01, 0x00, 0x02,
			     0x00, 0x02, 0x00, 0x00, 0xff, 0x03, 0x00, 0x21};

	(void)state;
	up_ok(h, sizeof(h));
}

static void test_up_ppp_acfc(void **state)
{
	const uint8_t h[] = {0x00, 0x02, ID_A, 0x00, 0x21};

	(void)state;
	up_ok(h, sizeof(h));
}

static void test_up_ppp_pfc(void **state)
{
	const uint8_t h[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x21};

	(void)state;
	up_ok(h, sizeof(h));
}

static void test_up_ppp_acfc_pfc(void **state)
{
	const uint8_t h[] = {0x00, 0x02, ID_A, 0x21};

	(void)state;
	up_ok(h, sizeof(h));
}

static void test_up_spoofed(void **state)
{
	const uint8_t h[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};
	uint8_t in[60];
	size_t ilen = inner_ip(in, SUB2_IP, NET_IP, 64, sizeof(in), 0);

	(void)state;
	up_verdict(h, sizeof(h), in, ilen, LNS_V_DROP_SPOOFED);
}

/* The verdict only (the counters of a TTL drop: test_counters_up_drop). */
static void test_up_ttl(void **state)
{
	const uint8_t h[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};
	uint8_t in[60];

	(void)state;
	for (uint8_t ttl = 0; ttl < 2; ttl++) {
		size_t ilen = inner_ip(in, SUB_IP, NET_IP, ttl, sizeof(in), 0);
		struct rte_mbuf *m = up_frame(h, sizeof(h), in, ilen);

		assert_int_equal(classify(ACC, m), LNS_V_DROP_TTL);
		rte_pktmbuf_free(m);
	}
}

static void test_up_lcp_punt(void **state)
{
	/* LCP Echo-Request */
	const uint8_t h[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0xc0, 0x21, 0x09,
			     0x01, 0x00, 0x08, 0x12, 0x34, 0x56, 0x78};
	struct rte_mbuf *m;

	(void)state;
	up_verdict(h, sizeof(h), NULL, 0, LNS_V_PUNT);
	/* unchanged for the control lcore */
	m = up_frame(h, sizeof(h), NULL, 0);
	assert_int_equal(classify(ACC, m), LNS_V_PUNT);
	assert_int_equal(rte_pktmbuf_pkt_len(m), 14 + 20 + 8 + sizeof(h));
	assert_memory_equal(rte_pktmbuf_mtod_offset(m, uint8_t *, 42), h, sizeof(h));
	assert_int_equal(m->hash.usr, LNS_PUNT_FRAME);
	rte_pktmbuf_free(m);
}

static void test_up_control_punt(void **state)
{
	/* T, L, S set: a control message (a ZLB ack) */
	const uint8_t h[] = {0xc8, 0x02, 0x00, 0x0c, ID_A, 0x00, 0x00, 0x00, 0x01};

	(void)state;
	up_verdict(h, sizeof(h), NULL, 0, LNS_V_PUNT);
}

static void test_up_unknown_session(void **state)
{
	const uint8_t h1[] = {0x00, 0x02, A_TID >> 8, A_TID & 0xff, 0x03,
			      0xe7, 0xff, 0x03,       0x00,         0x21};
	const uint8_t h2[] = {0x00,         0x02, 0x00, 0x63, A_SID >> 8,
			      A_SID & 0xff, 0xff, 0x03, 0x00, 0x21};
	const uint8_t h3[] = {0x40, 0x02, 0x00, 0x20, 0x00, 0x01,
			      0x00, 0x01, 0xff, 0x03, 0x00, 0x21};
	uint8_t in[60];
	size_t ilen = inner_ip(in, SUB_IP, NET_IP, 64, sizeof(in), 0);

	(void)state;
	up_verdict(h1, sizeof(h1), in, ilen, LNS_V_DROP_L2TP_UNKNOWN_SESSION);
	up_verdict(h2, sizeof(h2), in, ilen, LNS_V_DROP_L2TP_UNKNOWN_SESSION);
	up_verdict(h3, sizeof(h3), in, ilen, LNS_V_DROP_L2TP_UNKNOWN_SESSION);
}

static void test_up_malformed(void **state)
{
	const uint8_t shorthdr[] = {0x00, 0x02, ID_A}; /* 6 octets: no payload */
	const uint8_t trunc5[] = {0x00, 0x02, A_TID >> 8, A_TID & 0xff, A_SID >> 8};
	const uint8_t seq_cut[] = {0x08, 0x02, ID_A, 0x00, 0x05, 0x00, 0x03}; /* S: nothing after */
	const uint8_t off_past[] = {0x02, 0x02, ID_A, 0x00, 0x40, 0xff, 0x03, 0x00, 0x21};
	const uint8_t off_cut[] = {0x02, 0x02, ID_A, 0x00}; /* O: its Offset Size field cut */
	const uint8_t ppp_0000[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x00};
	const uint8_t ppp_ip[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};
	uint8_t in[60];

	(void)state;
	/* classify_l2tp wants 6 octets of L2TP header and a UDP header */
	up_verdict(trunc5, sizeof(trunc5), NULL, 0, LNS_V_DROP_L2TP_MALFORMED);
	up_verdict(NULL, 0, NULL, 0, LNS_V_DROP_L2TP_MALFORMED);
	/* the session's header with no PPP after it */
	up_verdict(shorthdr, sizeof(shorthdr), NULL, 0, LNS_V_DROP_L2TP_MALFORMED);
	up_verdict(seq_cut, sizeof(seq_cut), NULL, 0, LNS_V_DROP_L2TP_MALFORMED);
	/* the offset (64) runs past the end of the frame */
	inner_ip(in, SUB_IP, NET_IP, 64, sizeof(in), 0);
	up_verdict(off_past, sizeof(off_past), in, 20, LNS_V_DROP_L2TP_MALFORMED);
	/* the Offset Size field itself cut short */
	up_verdict(off_cut, sizeof(off_cut), NULL, 0, LNS_V_DROP_L2TP_MALFORMED);
	/* PPP protocol 0x0000 (not IP): the control lcore's, left as it is */
	up_verdict(ppp_0000, sizeof(ppp_0000), NULL, 0, LNS_V_PUNT);
	/* PPP IP with an inner packet shorter than an IPv4 header */
	up_verdict(ppp_ip, sizeof(ppp_ip), in, 19, LNS_V_DROP_BAD_IP);
	/* inner total length beyond the frame */
	up_verdict(ppp_ip, sizeof(ppp_ip), in, 40, LNS_V_DROP_BAD_IP);
	/* inner not version 4 */
	in[0] = 0x65;
	up_verdict(ppp_ip, sizeof(ppp_ip), in, sizeof(in), LNS_V_DROP_BAD_IP);
}

/*
 * The Length bit moves the IDs two octets on: a header cut before its Session ID is
 * malformed, whatever the mbuf holds past the frame's end (zeros here, which name no
 * session). The IDs used to be read from there (found by tests/fuzz/fuzz_worker.c).
 */
static void test_up_length_bit_cut(void **state)
{
	const uint8_t l_cut[] = {0x40, 0x02, 0x00, 0x06, A_TID >> 8, A_TID & 0xff};
	struct lns_sess_ctr before = ctr(E.slot_a);
	struct rte_mbuf *m = up_frame(l_cut, sizeof(l_cut), NULL, 0);

	(void)state;
	memset(rte_pktmbuf_mtod_offset(m, uint8_t *, rte_pktmbuf_data_len(m)), 0,
	       rte_pktmbuf_tailroom(m));
	assert_int_equal(classify(ACC, m), LNS_V_DROP_L2TP_MALFORMED);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 0, 0, 0, 0);
}

/*
 * The ports' templates (dp/classify.h) decide nothing the checks would not:
 * frames of the common upstream form, untagged and tagged, on ports with one
 * address and with two (the upstream template holds the first), and IPv4 to
 * route from the core, untagged and tagged, mutated at random in their first
 * 80 octets (random values and the values the checks test for) and cut short
 * at random, each classified both ways from the same contents: the same
 * verdict, the same context, the same mbuf fields. The unmutated frames go the
 * templates' way (they must be taken), and so do many mutated ones.
 */
static uint32_t tmpl_rng = 0x2545f491u;

static uint32_t tmpl_rand(void)
{
	tmpl_rng ^= tmpl_rng << 13;
	tmpl_rng ^= tmpl_rng >> 17;
	tmpl_rng ^= tmpl_rng << 5;
	return tmpl_rng;
}

static struct rte_mbuf *tmpl_copy(const uint8_t *frame, uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(E.rt->pool);

	assert_non_null(m);
	put(m, frame, len);
	return m;
}

/* M's frame into F, and tagged with VLAN 100 into FT; their lengths. */
static void tmpl_frames(struct rte_mbuf *m, uint8_t *f, uint8_t *ft, uint32_t *len, uint32_t *len_t)
{
	*len = rte_pktmbuf_data_len(m);
	memcpy(f, rte_pktmbuf_mtod(m, uint8_t *), *len);
	rte_pktmbuf_free(m);
	memcpy(ft, f, 12);
	memcpy(ft + 12, (const uint8_t[]){0x81, 0x00, 0x20, 0x64}, 4);
	memcpy(ft + 16, f + 12, *len - 12);
	*len_t = *len + 4;
}

static void test_classify_template(void **state)
{
	static const uint8_t interesting[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x11, 0x21,
					      0x40, 0x45, 0x46, 0x57, 0x7f, 0x80, 0x81, 0xe0, 0xff};
	const uint8_t h[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};
	const struct lns_burst b = lns_burst_of(E.rt);
	/* 0: access, 1: access on VLAN 100, 2: access, ours its second address, 3: core,
	 * 4: core on VLAN 100 */
	struct lns_port ports[5];
	const unsigned frame_of[5] = {0, 1, 0, 2, 3};
	unsigned up = 0, routed = 0, other = 0;
	uint8_t in[60], base[4][160];
	uint32_t base_len[4];
	size_t ilen = inner_ip(in, SUB_IP, NET_IP, 64, sizeof(in), 0);

	(void)state;
	tmpl_frames(up_frame(h, sizeof(h), in, ilen), base[0], base[1], &base_len[0], &base_len[1]);
	ilen = inner_ip(in, NET_IP, SUB_IP, 64, sizeof(in), 0);
	tmpl_frames(down_frame(in, ilen), base[2], base[3], &base_len[2], &base_len[3]);
	ports[0] = E.rt->ports[ACC];
	ports[1] = ports[0];
	ports[1].vlan = 100;
	lns_port_up_template(&ports[1], E.rt->l2tp_port);
	lns_port_rt_template(&ports[1]);
	ports[2] = ports[0];
	ports[2].v4[1] = ports[2].v4[0];
	ports[2].v4[0] = rte_cpu_to_be_32(0xc0000263u);
	ports[2].n_v4 = 2;
	lns_port_up_template(&ports[2], E.rt->l2tp_port);
	ports[3] = E.rt->ports[CORE];
	ports[4] = ports[3];
	ports[4].vlan = 100;
	lns_port_rt_template(&ports[4]);
	assert_int_equal(ports[0].up_l2, 14);
	assert_int_equal(ports[1].up_l2, 18);
	assert_int_equal(ports[3].up_l2, 0); /* a core port: no upstream template */
	assert_int_equal(ports[3].rt_l2, 14);
	assert_int_equal(ports[4].rt_l2, 18);

	for (unsigned it = 0; it < 100000; it++) {
		unsigned pi = it % 5, fi = frame_of[pi], tagged = fi & 1;
		const struct lns_port *p = &ports[pi];
		uint8_t f[160];
		uint32_t len = base_len[fi];
		struct lns_pctx xa, xb;
		enum lns_verdict va, vb;
		struct rte_mbuf *ma, *mb;

		memcpy(f, base[fi], len);
		if (it >= 5) { /* the first five as sent */
			unsigned n_mut = 1 + tmpl_rand() % 3;

			for (unsigned k = 0; k < n_mut; k++) {
				uint32_t r = tmpl_rand(), at = r % 80;

				f[at] = (r >> 8) & 1 ? interesting[(r >> 9) % sizeof(interesting)]
						     : (uint8_t)(r >> 16);
			}
			if (tmpl_rand() % 4 == 0) {
				/* an IPv4 total length (outer, or inner upstream) near a bound */
				uint32_t r = tmpl_rand(), l2 = tagged ? 18 : 14;
				uint32_t at = l2 + 2 + (fi < 2 && (r & 1) ? 38 : 0);
				uint32_t bound = (r >> 1) & 1 ? 20 : len - (at - 2);
				uint16_t v = (uint16_t)(bound + (r >> 2) % 3 - 1);

				f[at] = (uint8_t)(v >> 8);
				f[at + 1] = (uint8_t)v;
			}
			if (tmpl_rand() % 8 == 0)
				len = tmpl_rand() % (len + 1);
		}
		ma = tmpl_copy(f, len);
		mb = tmpl_copy(f, len);
		memset(&xa, 0xa5, sizeof(xa));
		memset(&xb, 0xa5, sizeof(xb));
		xa.kind = xb.kind = 0;
		va = lns_classify(&b, p, ma, &xa);
		vb = lns_classify_checked(&b, p, mb, &xb);
		if (va != vb || memcmp(&xa, &xb, sizeof(xa)) != 0 || ma->hash.usr != mb->hash.usr ||
		    ma->l2_len != mb->l2_len || ma->l3_len != mb->l3_len ||
		    ma->data_off != mb->data_off || ma->data_len != mb->data_len ||
		    ma->pkt_len != mb->pkt_len)
			fail_msg("frame %u (port %u, %u octets): template %d, checks %d", it, pi,
				 len, va, vb);
		if (va == LNS_V_PENDING && xa.kind == LNS_PK_UP && xa.up_v == LNS_V_PENDING &&
		    pi < 2) {
			up++;
			assert_int_equal(xa.ip_off, tagged ? 56 : 52);
		} else if (va == LNS_V_PENDING && xa.kind == LNS_PK_ROUTE && pi >= 3) {
			routed++;
		} else {
			other++;
		}
		if (it < 5 && pi < 3)
			assert_true(va == LNS_V_PENDING && xa.kind == LNS_PK_UP &&
				    xa.slot == E.slot_a && xa.tid == A_TID && xa.sid == A_SID);
		if (it < 5 && pi >= 3)
			assert_true(va == LNS_V_PENDING && xa.kind == LNS_PK_ROUTE &&
				    xa.dst == rte_cpu_to_be_32(SUB_IP));
		rte_pktmbuf_free(ma);
		rte_pktmbuf_free(mb);
	}
	/* every way taken often: most mutations miss the templates' octets */
	assert_true(up > 10000);
	assert_true(routed > 10000);
	assert_true(other > 10000);
}

/* Upstream to another subscriber: out of A's tunnel into B's, counted for both. */
static void test_up_hairpin(void **state)
{
	const uint8_t h[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};
	uint8_t in[80];
	size_t ilen = inner_ip(in, SUB_IP, SUB2_IP, 64, sizeof(in), 0);
	uint32_t slot_b = publish(101, 201, 8, 10, SUB2_IP, 1400);
	struct lns_sess_ctr ba = ctr(E.slot_a), bb = ctr(slot_b);
	struct rte_mbuf *m = up_frame(h, sizeof(h), in, ilen);
	enum lns_verdict v = classify(ACC, m);

	(void)state;
	check_to_session(m, v, 8, 10, in, ilen);
	rte_pktmbuf_free(m);
	check_ctr_delta(&ba, E.slot_a, 1, ilen, 0, 0);
	check_ctr_delta(&bb, slot_b, 0, 0, 1, ilen);
	withdraw(101, 201, SUB2_IP, slot_b);
}

/* ----------------------------------------------------------- downstream */

static void test_down_ok(void **state)
{
	uint8_t in[200];
	size_t ilen = inner_ip(in, NET_IP, SUB_IP, 50, sizeof(in), RTE_IPV4_HDR_DF_FLAG);
	struct lns_sess_ctr before = ctr(E.slot_a);
	struct rte_mbuf *m = down_frame(in, ilen);
	enum lns_verdict v = classify(CORE, m);

	(void)state;
	check_to_session(m, v, A_PTID, A_PSID, in, ilen);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 0, 0, 1, ilen);
}

/* Exactly the session's MTU goes in; one octet more does not, DF or not. */
static void test_down_mtu(void **state)
{
	static uint8_t in[A_MTU + 1];
	struct lns_sess_ctr before = ctr(E.slot_a);
	struct rte_mbuf *m;
	size_t ilen;

	(void)state;
	ilen = inner_ip(in, NET_IP, SUB_IP, 64, A_MTU, RTE_IPV4_HDR_DF_FLAG);
	m = down_frame(in, ilen);
	check_to_session(m, classify(CORE, m), A_PTID, A_PSID, in, ilen);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 0, 0, 1, A_MTU);

	/* Too big with DF: dropped, for an ICMP error with the session's MTU. */
	before = ctr(E.slot_a);
	ilen = inner_ip(in, NET_IP, SUB_IP, 64, A_MTU + 1, RTE_IPV4_HDR_DF_FLAG);
	m = down_frame(in, ilen);
	assert_int_equal(classify(CORE, m), LNS_V_DROP_TOO_BIG);
	assert_int_equal(m->hash.usr, LNS_PUNT_WITH_MTU(LNS_PUNT_ICMP_TOO_BIG, A_MTU));
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 0, 0, 0, 0);
	/* Without: two fragments into the tunnel (tests/packet/test_mtu.c checks their bytes). */
	before = ctr(E.slot_a);
	ilen = inner_ip(in, NET_IP, SUB_IP, 64, A_MTU + 1, 0);
	m = down_frame(in, ilen);
	assert_int_equal(classify(CORE, m), LNS_V_FRAGS);
	assert_int_equal(E.w->n_frag, 2);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free_bulk(E.w->frag, E.w->n_frag);
	E.w->n_frag = 0;
	/* each fragment counted as it went in: both IP headers, the payload once */
	check_ctr_delta(&before, E.slot_a, 0, 0, 2, A_MTU + 1 + 20);
}

static void test_down_ttl(void **state)
{
	uint8_t in[60];
	size_t ilen = inner_ip(in, NET_IP, SUB_IP, 1, sizeof(in), 0);
	struct lns_sess_ctr before = ctr(E.slot_a);
	struct rte_mbuf *m = down_frame(in, ilen);

	(void)state;
	assert_int_equal(classify(CORE, m), LNS_V_DROP_TTL);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 0, 0, 0, 0);
}

/* Not a subscriber: the default route (to the core gateway); without it, no route. */
static void test_down_no_session(void **state)
{
	const struct lns_nexthop nh = {.port = CORE, .gw = rte_cpu_to_be_32(CORE_GW)};
	uint8_t in[60];
	size_t ilen = inner_ip(in, NET_IP, 0xc6120063u /* 198.18.0.99 */, 64, sizeof(in), 0);
	struct rte_mbuf *m = down_frame(in, ilen);

	(void)state;
	check_to_core(m, classify(CORE, m), in, ilen);
	rte_pktmbuf_free(m);
	/* An address of the pool (100.64.0.0/10) that no session holds has no route: it
	 * never goes back toward the core (dp/fib.h). */
	{
		uint8_t in2[60];
		size_t ilen2 =
			inner_ip(in2, NET_IP, 0x64400063u /* 100.64.0.99 */, 64, sizeof(in2), 0);

		m = down_frame(in2, ilen2);
		assert_int_equal(classify(CORE, m), LNS_V_DROP_NO_ROUTE);
		rte_pktmbuf_free(m);
	}

	/* The default route is two /1 halves in rte_lpm (dp/fib.c). */
	assert_int_equal(lns_fib_del_route(E.rt->fib, 0, 1), 0);
	assert_int_equal(lns_fib_del_route(E.rt->fib, RTE_BE32(0x80000000u), 1), 0);
	m = down_frame(in, ilen);
	assert_int_equal(classify(CORE, m), LNS_V_DROP_NO_ROUTE);
	rte_pktmbuf_free(m);
	assert_int_equal(lns_fib_add_route(E.rt->fib, 0, 0, &nh), 0);
}

/* A framed route into session A. */
static void test_down_framed_route(void **state)
{
	uint8_t in[120];
	size_t ilen = inner_ip(in, NET_IP, FRAMED_NET | 7, 64, sizeof(in), 0);
	struct lns_sess_ctr before = ctr(E.slot_a);
	struct rte_mbuf *m;

	(void)state;
	assert_int_equal(
		lns_fib_add_session_route(E.rt->fib, rte_cpu_to_be_32(FRAMED_NET), 24, E.slot_a),
		0);
	m = down_frame(in, ilen);
	check_to_session(m, classify(CORE, m), A_PTID, A_PSID, in, ilen);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 0, 0, 1, ilen);
	assert_int_equal(lns_fib_del_route(E.rt->fib, rte_cpu_to_be_32(FRAMED_NET), 24), 0);
	/* gone: the default route takes it */
	m = down_frame(in, ilen);
	check_to_core(m, classify(CORE, m), in, ilen);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 0, 0, 1, ilen);
}

/* --------------------------------------------------------------- counters */

/* Several packets each way: the counters hold exactly those, in IP octets. */
static void test_counters_exact(void **state)
{
	const uint8_t h[] = {0x40, 0x02, 0x00, 0x00, ID_A, 0x21}; /* L, ACFC + PFC */
	static const size_t sizes[] = {20, 21, 64, 576, 1400};
	uint8_t in[1400];
	struct lns_sess_ctr before = ctr(E.slot_a);
	uint64_t up = 0, down = 0;

	(void)state;
	for (size_t i = 0; i < RTE_DIM(sizes); i++) {
		size_t ilen = inner_ip(in, SUB_IP, NET_IP, 64, sizes[i], 0);
		struct rte_mbuf *m = up_frame(h, sizeof(h), in, ilen);

		check_to_core(m, classify(ACC, m), in, ilen);
		rte_pktmbuf_free(m);
		up += ilen;
		ilen = inner_ip(in, NET_IP, SUB_IP, 64, sizes[i], 0);
		m = down_frame(in, ilen);
		check_to_session(m, classify(CORE, m), A_PTID, A_PSID, in, ilen);
		rte_pktmbuf_free(m);
		down += ilen;
	}
	check_ctr_delta(&before, E.slot_a, RTE_DIM(sizes), up, RTE_DIM(sizes), down);
}

/* An upstream packet the router drops after decapsulation (TTL) is no traffic. */
static void test_counters_up_drop(void **state)
{
	const uint8_t h[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};
	uint8_t in[60];
	size_t ilen = inner_ip(in, SUB_IP, NET_IP, 1, sizeof(in), 0);
	struct lns_sess_ctr before = ctr(E.slot_a);
	struct rte_mbuf *m = up_frame(h, sizeof(h), in, ilen);

	(void)state;
	assert_int_equal(classify(ACC, m), LNS_V_DROP_TTL);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 0, 0, 0, 0);
}

/* ------------------------------------------------------------ slot reuse */

/*
 * Withdraw session B, publish C: C gets B's slot only after a grace period,
 * and a packet to B's old address does not go into C's tunnel.
 */
static void test_slot_reuse(void **state)
{
	uint32_t *held = calloc(E.rt->n_slots, sizeof(*held)), n_held = 0, slot_b, slot_c, s;
	uint16_t sid, sid_c = 0, hint = 1;
	uint8_t in[60];
	size_t ilen;
	struct lns_sess_ctr before_c;
	struct lns_dp_session c;
	struct rte_mbuf *m;

	(void)state;
	assert_non_null(held);
	/* the slots earlier tests released come back first: only B's will wait below */
	rte_rcu_qsbr_quiescent(E.rt->qsbr, 0);
	lns_session_reclaim(E.rt->sessions);
	slot_b = publish(102, 202, 11, 12, SUB2_IP, 1400);
	/* C's tunnel takes every free slot, so the next allocation must reuse one */
	while ((s = lns_session_slot_alloc(E.rt->sessions, 103, hint, &sid)) !=
	       LNS_SESSION_SLOT_NONE) {
		assert_int_equal(lns_session_slot_of(E.rt->sessions, 103, sid), s);
		held[n_held++] = s;
		hint = (uint16_t)(sid + 1);
	}
	withdraw(102, 202, SUB2_IP, slot_b);
	/* the worker has not been quiescent since: the slot waits */
	assert_int_equal(lns_session_slot_alloc(E.rt->sessions, 103, 1, &sid),
			 LNS_SESSION_SLOT_NONE);
	rte_rcu_qsbr_quiescent(E.rt->qsbr, 0);
	lns_session_reclaim(E.rt->sessions);

	slot_c = lns_session_slot_alloc(E.rt->sessions, 103, 1, &sid_c);
	assert_int_equal(slot_c, slot_b);
	c = pkt_session(103, sid_c, 13, 14);
	c.sub_ip = rte_cpu_to_be_32(0x64400007u); /* 100.64.0.7 */
	c.mtu = 1400;
	c.slot = slot_c;
	assert_int_equal(lns_session_publish(E.rt->sessions, &c), 0);
	assert_int_equal(lns_fib_add_session(E.rt->fib, c.sub_ip, slot_c), 0);
	before_c = ctr(slot_c);

	/* to B's old address: not into C's tunnel (a pool's address nobody holds: no route) */
	ilen = inner_ip(in, NET_IP, SUB2_IP, 64, sizeof(in), 0);
	m = down_frame(in, ilen);
	assert_int_equal(classify(CORE, m), LNS_V_DROP_NO_ROUTE);
	rte_pktmbuf_free(m);
	/* B's IDs are gone upstream too */
	{
		const uint8_t h[] = {0x00, 0x02, 0x00, 102, 0x00, 202, 0xff, 0x03, 0x00, 0x21};

		ilen = inner_ip(in, SUB2_IP, NET_IP, 64, sizeof(in), 0);
		m = up_frame(h, sizeof(h), in, ilen);
		assert_int_equal(classify(ACC, m), LNS_V_DROP_L2TP_UNKNOWN_SESSION);
		rte_pktmbuf_free(m);
	}
	check_ctr_delta(&before_c, slot_c, 0, 0, 0, 0);
	/* C's own address goes into C's tunnel */
	ilen = inner_ip(in, NET_IP, 0x64400007u, 64, sizeof(in), 0);
	m = down_frame(in, ilen);
	check_to_session(m, classify(CORE, m), 13, 14, in, ilen);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before_c, slot_c, 0, 0, 1, ilen);

	withdraw(103, sid_c, 0x64400007u, slot_c);
	for (uint32_t i = 0; i < n_held; i++)
		lns_session_slot_free(E.rt->sessions, held[i]);
	lns_session_tunnel_del(E.rt->sessions, 103);
	rte_rcu_qsbr_quiescent(E.rt->qsbr, 0);
	lns_session_reclaim(E.rt->sessions);
	free(held);
}

/*
 * l2tp.max-sessions sessions, from 64 tunnels at once (LACs bring theirs in together): every one
 * gets a session ID, the IDs name distinct slots, and a tunnel's IDs go on from the last one
 * given (an ID comes back late after its session closed).
 */
static void test_slot_ids_fill(void **state)
{
	const uint32_t n = E.cfg->l2tp.max_sessions, n_tun = 64;
	uint32_t *slot = calloc(n, sizeof(*slot));
	uint16_t *sid = calloc(n, sizeof(*sid)), hint[64] = {0};
	uint8_t *seen = calloc(E.rt->n_slots, 1);

	(void)state;
	assert_non_null(slot);
	assert_non_null(sid);
	assert_non_null(seen);
	rte_rcu_qsbr_quiescent(E.rt->qsbr, 0);
	lns_session_reclaim(E.rt->sessions);
	for (uint32_t i = 0; i < n; i++) {
		uint16_t tid = (uint16_t)(2000 + i % n_tun);

		slot[i] = lns_session_slot_alloc(E.rt->sessions, tid, hint[i % n_tun], &sid[i]);
		if (slot[i] == LNS_SESSION_SLOT_NONE)
			fail_msg("session %u of %u (tunnel %u) refused", i, n, tid);
		assert_int_not_equal(sid[i], 0);
		assert_int_equal(lns_session_slot_of(E.rt->sessions, tid, sid[i]), slot[i]);
		assert_false(seen[slot[i]]);
		seen[slot[i]] = 1;
		/* round: on from the last one (other tunnels' sub-windows overlap this one's) */
		if (i >= n_tun && sid[i] / LNS_SESS_SUBWIN == sid[i - n_tun] / LNS_SESS_SUBWIN)
			assert_true(sid[i] > sid[i - n_tun]);
		hint[i % n_tun] = (uint16_t)(sid[i] + 1);
	}
	/* and still do, every tunnel full */
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(
			lns_session_slot_of(E.rt->sessions, (uint16_t)(2000 + i % n_tun), sid[i]),
			slot[i]);
	for (uint32_t i = 0; i < n; i++)
		lns_session_slot_free(E.rt->sessions, slot[i]);
	for (uint32_t k = 0; k < n_tun; k++)
		lns_session_tunnel_del(E.rt->sessions, (uint16_t)(2000 + k));
	rte_rcu_qsbr_quiescent(E.rt->qsbr, 0);
	lns_session_reclaim(E.rt->sessions);
	free(slot);
	free(sid);
	free(seen);
}

/* ------------------------------------------------------------------ main */

/* ------------------------------------------- prebuilt headers, sequencing */

#define B_TID  101
#define B_SID  5
#define B_PTID 17
#define B_PSID 19

/* The LAC's MAC the control plane put in the prebuilt header is the one used, without
 * asking the neighbour table (whose entry differs here). */
static void test_down_lac_mac_prebuilt(void **state)
{
	static const struct rte_ether_addr lac_mac = {{0x02, 0x1a, 0xc0, 0, 0, 0x01}};
	uint32_t slot = publish_ex(B_TID, B_SID, B_PTID, B_PSID, SUB2_IP, 1400, 0, &lac_mac);
	uint8_t in[100];
	size_t ilen = inner_ip(in, NET_IP, SUB2_IP, 64, sizeof(in), 0);
	struct rte_mbuf *m = down_frame(in, ilen);
	enum lns_verdict v = classify(CORE, m);

	(void)state;
	assert_int_equal(v, LNS_V_TX);
	assert_memory_equal(rte_pktmbuf_mtod(m, uint8_t *), &lac_mac, 6);
	assert_memory_equal(rte_pktmbuf_mtod(m, uint8_t *) + 6, &E.rt->ports[ACC].mac, 6);
	rte_pktmbuf_free(m);
	withdraw(B_TID, B_SID, SUB2_IP, slot);
}

/* Sequencing Required (RFC 2661 5.4.4 / ICCN): S set, Ns counting up from 0 per session,
 * Nr zero; the control lcore's own data messages continue the same sequence. */
static void test_down_sequencing(void **state)
{
	uint32_t slot = publish_ex(B_TID, B_SID, B_PTID, B_PSID, SUB2_IP, 1400, LNS_SESS_F_SEQ,
				   &acc_gw_mac);
	uint8_t in[80];
	size_t ilen = inner_ip(in, NET_IP, SUB2_IP, 64, sizeof(in), RTE_IPV4_HDR_DF_FLAG);

	(void)state;
	for (unsigned k = 0; k < 3; k++) {
		struct rte_mbuf *m = down_frame(in, ilen);
		enum lns_verdict v = classify(CORE, m);
		const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
		const uint8_t want[14] = {0x08,        0x02,          B_PTID >> 8, B_PTID & 0xff,
					  B_PSID >> 8, B_PSID & 0xff, 0x00,        (uint8_t)k,
					  0x00,        0x00,          0xff,        0x03,
					  0x00,        0x21};
		struct rte_ipv4_hdr ip;

		assert_int_equal(v, LNS_V_TX);
		assert_int_equal(rte_pktmbuf_pkt_len(m), 14 + 20 + 8 + 14 + ilen);
		memcpy(&ip, p + 14, sizeof(ip));
		assert_int_equal(rte_be_to_cpu_16(ip.total_length), 20 + 8 + 14 + ilen);
		check_ipv4_cksum(&ip);
		assert_memory_equal(p + 14 + 20 + 8, want, sizeof(want));
		check_inner(p + 14 + 20 + 8 + 14, in, ilen);
		rte_pktmbuf_free(m);
	}
	assert_int_equal(lns_session_next_ns(E.rt->sessions, slot), 3);
	withdraw(B_TID, B_SID, SUB2_IP, slot);
}

/* A source inside a framed route of the session passes the spoofing check; the same
 * source from another session does not. */
static void test_up_framed_source(void **state)
{
	const uint8_t h[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};
	const uint8_t hb[] = {0x00,         0x02, B_TID >> 8, B_TID & 0xff, B_SID >> 8,
			      B_SID & 0xff, 0xff, 0x03,       0x00,         0x21};
	uint32_t slot_b = publish(B_TID, B_SID, B_PTID, B_PSID, SUB2_IP, 1400);
	struct lns_dp_session a;
	uint8_t in[100];
	size_t ilen = inner_ip(in, FRAMED_NET | 9, NET_IP, 64, sizeof(in), 0);
	struct rte_mbuf *m;

	(void)state;
	/* no framed route yet: spoofed */
	up_verdict(h, sizeof(h), in, ilen, LNS_V_DROP_SPOOFED);
	assert_int_equal(
		lns_fib_add_session_route(E.rt->fib, rte_cpu_to_be_32(FRAMED_NET), 24, E.slot_a),
		0);
	/* routed to A, but A's entry does not say so yet (cp/ppp_fwd.c republishes) */
	up_verdict(h, sizeof(h), in, ilen, LNS_V_DROP_SPOOFED);
	assert_true(lns_session_get(E.rt->sessions, A_TID, A_SID, &a));
	a.flags |= LNS_SESS_F_ROUTES;
	assert_int_equal(lns_session_publish(E.rt->sessions, &a), 0);
	m = up_frame(h, sizeof(h), in, ilen);
	check_to_core(m, classify(ACC, m), in, ilen);
	rte_pktmbuf_free(m);
	/* from B, the same source is spoofed: the route leads to A */
	m = up_frame(hb, sizeof(hb), in, ilen);
	assert_int_equal(classify(ACC, m), LNS_V_DROP_SPOOFED);
	rte_pktmbuf_free(m);
	/* back as it was */
	a.flags &= (uint8_t)~LNS_SESS_F_ROUTES;
	assert_int_equal(lns_session_publish(E.rt->sessions, &a), 0);
	assert_int_equal(lns_fib_del_route(E.rt->fib, rte_cpu_to_be_32(FRAMED_NET), 24), 0);
	withdraw(B_TID, B_SID, SUB2_IP, slot_b);
}

/* A subscriber's packet to lnsd's own address (its gateway in IPCP) is the control lcore's:
 * punted as the frame it arrived in (cp/ppp_input.c answers a ping), not routed. */
static void test_up_to_lns(void **state)
{
	const uint8_t h[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};
	uint8_t in[84];
	size_t ilen = inner_ip(in, SUB_IP, LNS_ACC_IP, 64, sizeof(in), 0);
	struct lns_sess_ctr before = ctr(E.slot_a);
	struct rte_mbuf *m = up_frame(h, sizeof(h), in, ilen);
	uint32_t len = rte_pktmbuf_pkt_len(m);

	(void)state;
	assert_int_equal(classify(ACC, m), LNS_V_PUNT);
	assert_int_equal(m->hash.usr, LNS_PUNT_FRAME);
	assert_int_equal(rte_pktmbuf_pkt_len(m), len); /* untouched */
	assert_int_equal(m->l2_len, 14);
	assert_int_equal(m->l3_len, 20);
	rte_pktmbuf_free(m);
	check_ctr_delta(&before, E.slot_a, 0, 0, 0, 0);
}

/* Pool ranges in the FIB (dp/fib.h): an odd range is covered exactly, its addresses are one
 * store each, and an address of it that no session holds has no route. */
static void test_fib_pool_range(void **state)
{
	struct lns_fib *f = lns_fib_create("t_fib_pool", 256, 64, NULL);
	const struct lns_nexthop nh = {.port = CORE, .gw = rte_cpu_to_be_32(CORE_GW)};
	const uint32_t first = 0x0a090005u, last = 0x0a0901c8u; /* 10.9.0.5 - 10.9.1.200 */
	uint32_t v;

	(void)state;
	assert_non_null(f);
	assert_int_equal(lns_fib_add_route(f, 0, 0, &nh), 0);
	assert_int_equal(lns_fib_add_pool_range(f, rte_cpu_to_be_32(first), rte_cpu_to_be_32(last)),
			 0);
	/* around the edges: outside, the default route; inside, no route until held */
	assert_int_equal(lns_fib_lookup(f, rte_cpu_to_be_32(first - 1), &v), 0);
	assert_int_equal(v & LNS_NH_SESSION, 0);
	assert_int_equal(lns_fib_lookup(f, rte_cpu_to_be_32(last + 1), &v), 0);
	assert_int_equal(v & LNS_NH_SESSION, 0);
	for (uint32_t a = first; a <= last; a += 7)
		assert_int_equal(lns_fib_lookup(f, rte_cpu_to_be_32(a), &v), -ENOENT);
	assert_int_equal(lns_fib_lookup(f, rte_cpu_to_be_32(last), &v), -ENOENT);
	/* held: that slot; a second holder refused; released: no route again */
	assert_int_equal(lns_fib_add_session(f, rte_cpu_to_be_32(first), 11), 0);
	assert_int_equal(lns_fib_add_session(f, rte_cpu_to_be_32(last), 12), 0);
	assert_int_equal(lns_fib_add_session(f, rte_cpu_to_be_32(last), 13), -EEXIST);
	assert_int_equal(lns_fib_lookup(f, rte_cpu_to_be_32(first), &v), 0);
	assert_int_equal(v, LNS_NH_SESSION | 11);
	assert_int_equal(lns_fib_lookup(f, rte_cpu_to_be_32(last), &v), 0);
	assert_int_equal(v, LNS_NH_SESSION | 12);
	assert_int_equal(lns_fib_lookup(f, rte_cpu_to_be_32(first + 1), &v), -ENOENT);
	assert_int_equal(lns_fib_del_session(f, rte_cpu_to_be_32(first)), 0);
	assert_int_equal(lns_fib_del_session(f, rte_cpu_to_be_32(first)), -ENOENT);
	assert_int_equal(lns_fib_lookup(f, rte_cpu_to_be_32(first), &v), -ENOENT);
	/* outside every pool: an rte_lpm /32 as before */
	assert_int_equal(lns_fib_add_session(f, rte_cpu_to_be_32(0x0a0a0001u), 14), 0);
	assert_int_equal(lns_fib_lookup(f, rte_cpu_to_be_32(0x0a0a0001u), &v), 0);
	assert_int_equal(v, LNS_NH_SESSION | 14);
	assert_int_equal(lns_fib_del_session(f, rte_cpu_to_be_32(0x0a0a0001u)), 0);
	lns_fib_free(f);
}

/* dataplane.handoff: the receiving worker passes a session it does not own to its owner
 * (LNS_V_HANDOFF, the owner in hash.usr) and does nothing else with it; the owner
 * forwards it. Two workers are pretended on the one the test has. */
static void test_handoff(void **state)
{
	uint8_t in[100];
	size_t ilen = inner_ip(in, SUB2_IP, NET_IP, 64, sizeof(in), 0);
	uint16_t sid_other = 0, sid_own = 0;
	uint32_t slot_o, slot_s;

	(void)state;
	for (uint16_t sid = 1; sid < 100 && (!sid_other || !sid_own); sid++)
		*(lns_session_owner(B_TID, sid, 2) ? &sid_other : &sid_own) = sid;
	assert_true(sid_other && sid_own);
	slot_o = publish(B_TID, sid_other, B_PTID, 1, SUB2_IP, 1400);
	slot_s = publish(B_TID, sid_own, B_PTID, 2, SUB2_IP + 1, 1400);
	E.rt->n_workers = 2;
	E.rt->handoff = true;
	{
		const uint8_t h[] = {0x00,         0x02,           B_TID >> 8,
				     B_TID & 0xff, sid_other >> 8, sid_other & 0xff,
				     0x21};
		struct rte_mbuf *m = up_frame(h, sizeof(h), in, ilen);
		uint16_t len = rte_pktmbuf_pkt_len(m);

		assert_int_equal(classify(ACC, m), LNS_V_HANDOFF);
		assert_int_equal(m->hash.usr, 1);
		assert_int_equal(rte_pktmbuf_pkt_len(m), len); /* untouched */
		m->port = E.rt->ports[ACC].port_id;            /* as received */
		E.w->idx = 1;                                  /* the owner takes it */
		check_to_core(m, classify(ACC, m), in, ilen);
		E.w->idx = 0;
		rte_pktmbuf_free(m);
	}
	{
		uint8_t in2[100];
		size_t ilen2 = inner_ip(in2, SUB2_IP + 1, NET_IP, 64, sizeof(in2), 0);
		const uint8_t h[] = {0x00,         0x02,           B_TID >> 8, B_TID & 0xff,
				     sid_own >> 8, sid_own & 0xff, 0x21};
		struct rte_mbuf *m = up_frame(h, sizeof(h), in2, ilen2);

		check_to_core(m, classify(ACC, m), in2, ilen2); /* its own: forwarded here */
		rte_pktmbuf_free(m);
	}
	E.rt->handoff = false;
	E.rt->n_workers = 1;
	withdraw(B_TID, sid_other, SUB2_IP, slot_o);
	withdraw(B_TID, sid_own, SUB2_IP + 1, slot_s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up_plain),
		cmocka_unit_test(test_up_length),
		cmocka_unit_test(test_up_gateway_mac_cached),
		cmocka_unit_test(test_up_sequence),
		cmocka_unit_test(test_up_offset0),
		cmocka_unit_test(test_up_offset4),
		cmocka_unit_test(test_up_priority),
		cmocka_unit_test(test_up_all_flags),
		cmocka_unit_test(test_up_ppp_acfc),
		cmocka_unit_test(test_up_ppp_pfc),
		cmocka_unit_test(test_up_ppp_acfc_pfc),
		cmocka_unit_test(test_up_spoofed),
		cmocka_unit_test(test_up_ttl),
		cmocka_unit_test(test_up_lcp_punt),
		cmocka_unit_test(test_up_control_punt),
		cmocka_unit_test(test_up_unknown_session),
		cmocka_unit_test(test_up_malformed),
		cmocka_unit_test(test_up_length_bit_cut),
		cmocka_unit_test(test_classify_template),
		cmocka_unit_test(test_up_hairpin),
		cmocka_unit_test(test_down_ok),
		cmocka_unit_test(test_down_mtu),
		cmocka_unit_test(test_down_ttl),
		cmocka_unit_test(test_down_no_session),
		cmocka_unit_test(test_down_framed_route),
		cmocka_unit_test(test_counters_exact),
		cmocka_unit_test(test_counters_up_drop),
		cmocka_unit_test(test_slot_reuse),
		cmocka_unit_test(test_slot_ids_fill),
		cmocka_unit_test(test_down_lac_mac_prebuilt),
		cmocka_unit_test(test_down_sequencing),
		cmocka_unit_test(test_up_framed_source),
		cmocka_unit_test(test_handoff),
		cmocka_unit_test(test_up_to_lns),
		cmocka_unit_test(test_fib_pool_range),
	};
	int ret = pkt_eal_init("test_worker", "0@0,1@0");

	if (ret != 0)
		return ret;
	ret = cmocka_run_group_tests(tests, setup, teardown);
	pkt_eal_fini();
	return ret;
}
