/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet tests of the worker's MTU policy (dp/mtu.c, docs/dataplane.md):
 * TTL expiry and DF packets too big handed to the control lcore with their
 * reason (and MTU) and counted, packets never to be answered kept back, the
 * worker's ICMP rate limit, fragmentation into tunnels and out of the core
 * port (every fragment's octets checked), and TCP MSS clamping both ways.
 *
 * As tests/packet/test_worker.c: lnsd's runtime from a YAML configuration,
 * two net_ring ports over rings of our own. Punts and fragments are seen
 * where the real worker loop (dp/worker.c lns_worker_main, launched on the
 * second EAL lcore for one test's frames) leaves them: the punt ring and
 * the ports' TX rings. MSS clamping is checked through lns_process_burst(), the
 * stage that rewrites the packet. Needs root; --no-huge.
 */
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_launch.h>

#include "harness.h"

#define NQ   2 /* queues per port: one worker plus the control lcore's */
#define RING 256

static const char cfg_yaml[] = "dataplane:\n"
			       "  mbufs: 2048\n"
			       "  mbuf-cache: 32\n"
			       "  punt-ring-size: 64\n"
			       "  icmp-errors-per-second: 1000\n"
			       "  tcp-mss-clamp: auto\n"
			       "ports:\n"
			       "  - name: access0\n"
			       "    device: \"net_ring_mtu_acc\"\n"
			       "    role: access\n"
			       "    mac: \"02:00:00:00:00:01\"\n"
			       "    addresses: [\"192.0.2.1/24\"]\n"
			       "  - name: core0\n"
			       "    device: \"net_ring_mtu_core\"\n"
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
	.name = "test_mtu",
	.yaml = cfg_yaml,
	.n_workers = 1,
	.nq = NQ,
	.ring_size = RING,
	.rcu_main = false, /* the worker loop registers itself */
};

/* Addresses, host order. */
#define SUB_IP  0x64400005u /* 100.64.0.5: session A */
#define TINY_IP 0x64400007u /* 100.64.0.7: session T, inner MTU 100 */

#define A_TID    100
#define A_SID    200
#define A_PTID   7
#define A_PSID   9
#define A_MTU    1400
#define CORE_MTU 1500

#define ID_A A_TID >> 8, A_TID & 0xff, A_SID >> 8, A_SID & 0xff

static uint32_t slot_t; /* session T: inner MTU 100 */

/* ---------------------------------------------------------------- set-up */

static int setup(void **state)
{
	(void)state;
	if (pkt_setup(&opts) < 0 || pkt_neigh4(ACC, ACC_GW, &acc_gw_mac) < 0 ||
	    pkt_neigh4(CORE, CORE_GW, &core_gw_mac) < 0)
		return -1;
	E.slot_a = publish(A_TID, A_SID, A_PTID, A_PSID, SUB_IP, A_MTU);
	slot_t = publish(101, 201, 8, 10, TINY_IP, 100);
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
	return 0;
}

/* session A's L2TP data header and PPP, IPv4 */
static const uint8_t hdr_a[] = {0x00, 0x02, ID_A, 0xff, 0x03, 0x00, 0x21};

/* ------------------------------------------------ the worker loop, once */

static uint64_t rx_count(void)
{
	return __atomic_load_n(&E.w->c.rx, __ATOMIC_ACQUIRE);
}

/*
 * The real worker loop on EAL lcore 1 until it has received the N frames
 * queued on PORT's RX queue 0; then it is stopped (it registers with RCU
 * and leaves again by itself).
 */
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

static unsigned take(struct rte_ring *r, struct rte_mbuf **m, unsigned max)
{
	return rte_ring_dequeue_burst(r, (void **)m, max, NULL);
}

static struct lns_worker_counters counters(void)
{
	return E.w->c;
}

/* Nothing left behind on any TX ring or the punt ring. */
static void check_rings_empty(void)
{
	for (unsigned p = 0; p < 2; p++)
		for (unsigned q = 0; q < NQ; q++)
			assert_int_equal(rte_ring_count(E.txr[p][q]), 0);
	assert_int_equal(rte_ring_count(E.rt->punt), 0);
}

/* --------------------------------------------------------- ICMP punts */

/* One punted packet: its reason, and its octets (data at the IPv4 header). */
static void check_punt(struct rte_mbuf *m, uint32_t why, const uint8_t *want, size_t len)
{
	uint8_t got[2048];

	assert_int_equal(m->hash.usr, why);
	assert_int_equal(rte_pktmbuf_pkt_len(m), len);
	assert_memory_equal(rte_pktmbuf_read(m, 0, (uint32_t)len, got), want, len);
}

/* Copy of in with the TTL one less and the checksum following. */
static void ttl_less(uint8_t *out, const uint8_t *in, size_t len)
{
	struct rte_ipv4_hdr ip;

	memcpy(out, in, len);
	memcpy(&ip, out, sizeof(ip));
	ip.time_to_live--;
	ip.hdr_checksum = 0;
	ip.hdr_checksum = rte_ipv4_cksum(&ip);
	memcpy(out, &ip, sizeof(ip));
}

static void test_ttl_punted(void **state)
{
	uint8_t down[60], up[80];
	struct rte_mbuf *m[2], *p[4];
	struct lns_worker_counters b = counters(), a;
	struct lns_sess_ctr sb = ctr(E.slot_a), sa;

	(void)state;
	/* downstream, TTL 1; upstream from the subscriber, TTL 1 */
	inner_ip(down, NET_IP, SUB_IP, 1, sizeof(down), 0);
	inner_ip(up, SUB_IP, NET_IP, 1, sizeof(up), 0);
	m[0] = down_frame(down, sizeof(down));
	run_worker(CORE, m, 1);
	m[1] = up_frame(hdr_a, sizeof(hdr_a), up, sizeof(up));
	run_worker(ACC, &m[1], 1);
	a = counters();
	assert_int_equal(take(E.rt->punt, p, 4), 2);
	/* as received: the TTL left at 1, the data at the (inner) IPv4 header */
	check_punt(p[0], LNS_PUNT_ICMP_TTL, down, sizeof(down));
	check_punt(p[1], LNS_PUNT_ICMP_TTL, up, sizeof(up));
	rte_pktmbuf_free_bulk(p, 2);
	assert_int_equal(a.rx - b.rx, 2);
	assert_int_equal(a.drop_ttl - b.drop_ttl, 2);
	assert_int_equal(a.punt - b.punt, 2);
	assert_int_equal(a.tx - b.tx, 0);
	assert_int_equal(a.icmp_punt_limited - b.icmp_punt_limited, 0);
	/* not the subscriber's traffic */
	sa = ctr(E.slot_a);
	assert_memory_equal(&sa, &sb, sizeof(sa));
	check_rings_empty();
}

/* DF and too big: for the tunnel's MTU downstream, the core port's upstream. */
static void test_too_big_df_punted(void **state)
{
	static uint8_t down[A_MTU + 1], up[CORE_MTU + 1], want[CORE_MTU + 1];
	struct rte_mbuf *m[2], *p[4];
	struct lns_worker_counters b = counters(), a;

	(void)state;
	inner_ip(down, NET_IP, SUB_IP, 64, sizeof(down), RTE_IPV4_HDR_DF_FLAG);
	inner_ip(up, SUB_IP, NET_IP, 64, sizeof(up), RTE_IPV4_HDR_DF_FLAG);
	m[0] = down_frame(down, sizeof(down));
	run_worker(CORE, m, 1);
	m[1] = up_frame(hdr_a, sizeof(hdr_a), up, sizeof(up));
	run_worker(ACC, &m[1], 1);
	a = counters();
	assert_int_equal(take(E.rt->punt, p, 4), 2);
	/* the TTL already taken down by one (the control lcore puts it back in its quote) */
	ttl_less(want, down, sizeof(down));
	check_punt(p[0], LNS_PUNT_WITH_MTU(LNS_PUNT_ICMP_TOO_BIG, A_MTU), want, sizeof(down));
	ttl_less(want, up, sizeof(up));
	check_punt(p[1], LNS_PUNT_WITH_MTU(LNS_PUNT_ICMP_TOO_BIG, CORE_MTU), want, sizeof(up));
	assert_int_equal(LNS_PUNT_MTU(p[1]->hash.usr), CORE_MTU);
	rte_pktmbuf_free_bulk(p, 2);
	assert_int_equal(a.drop_too_big - b.drop_too_big, 2);
	assert_int_equal(a.punt - b.punt, 2);
	assert_int_equal(a.fragmented - b.fragmented, 0);
	check_rings_empty();
}

/* RFC 1812 4.3.2.7: dropped and counted, never handed on for an error. */
static void test_never_answered(void **state)
{
	uint8_t err[56], frag[60], lo[60], echo[60];
	struct rte_mbuf *m[4], *p[4];
	struct lns_worker_counters b = counters(), a;

	(void)state;
	/* an ICMP error (port unreachable quoting something), TTL 1 */
	ip_hdr(err, NET_IP, SUB_IP, 1, sizeof(err), 0, IPPROTO_ICMP);
	memset(err + 20, 0, sizeof(err) - 20);
	err[20] = 3;
	err[21] = 3;
	/* a later fragment */
	inner_ip(frag, NET_IP, SUB_IP, 1, sizeof(frag), 100);
	/* from a loopback source */
	inner_ip(lo, 0x7f000001u, SUB_IP, 1, sizeof(lo), 0);
	/* an ICMP echo request, TTL 1: answered (a traceroute with ping) */
	ip_hdr(echo, NET_IP, SUB_IP, 1, sizeof(echo), 0, IPPROTO_ICMP);
	memset(echo + 20, 0, sizeof(echo) - 20);
	echo[20] = 8;
	m[0] = down_frame(err, sizeof(err));
	m[1] = down_frame(frag, sizeof(frag));
	m[2] = down_frame(lo, sizeof(lo));
	m[3] = down_frame(echo, sizeof(echo));
	run_worker(CORE, m, 4);
	a = counters();
	assert_int_equal(take(E.rt->punt, p, 4), 1);
	check_punt(p[0], LNS_PUNT_ICMP_TTL, echo, sizeof(echo));
	rte_pktmbuf_free(p[0]);
	assert_int_equal(a.drop_ttl - b.drop_ttl, 4);
	assert_int_equal(a.punt - b.punt, 1);
	assert_int_equal(a.icmp_punt_limited - b.icmp_punt_limited, 0);
	check_rings_empty();
}

/* The worker's bucket: a burst of 10 with 3 tokens; and a rate of 0. */
static void test_rate_limited(void **state)
{
	uint8_t in[60];
	struct rte_mbuf *m[10], *p[16];
	struct lns_worker_counters b = counters(), a;
	unsigned n;

	(void)state;
	/* 3 tokens; a clock at its end, so none come back while the test runs */
	lns_tb_init(&E.w->icmp_tb, 3, 3, rte_get_tsc_hz(), UINT64_MAX);
	inner_ip(in, NET_IP, SUB_IP, 1, sizeof(in), 0);
	for (unsigned i = 0; i < 10; i++)
		m[i] = down_frame(in, sizeof(in));
	run_worker(CORE, m, 10);
	a = counters();
	n = take(E.rt->punt, p, 16);
	rte_pktmbuf_free_bulk(p, n);
	assert_int_equal(n, 3);
	assert_int_equal(a.drop_ttl - b.drop_ttl, 10);
	assert_int_equal(a.punt - b.punt, 3);
	assert_int_equal(a.icmp_punt_limited - b.icmp_punt_limited, 7);

	/* dataplane.icmp-errors-per-second: 0: never */
	E.cfg->dataplane.icmp_errors_per_second = 0;
	E.w->icmp_tb.hz = 0;
	b = counters();
	m[0] = down_frame(in, sizeof(in));
	run_worker(CORE, m, 1);
	E.cfg->dataplane.icmp_errors_per_second = 1000;
	a = counters();
	assert_int_equal(a.punt - b.punt, 0);
	assert_int_equal(a.icmp_punt_limited - b.icmp_punt_limited, 1);
	assert_int_equal(a.drop_ttl - b.drop_ttl, 1);
	check_rings_empty();
}

/* ------------------------------------------------------- fragmentation */

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * Fragments of ORIG (LEN octets, header 20) at P[0..N): each an IPv4 packet
 * at offset OFF of its frame, whose header is ORIG's but for length, flags
 * and offset (and TTL one less), checksum good, payload the next slice of
 * ORIG's, at most MTU octets, all but the last a multiple of 8. BASE: ORIG's
 * own fragment offset in octets; ORIG_MF: its MF.
 */
static void check_frags(struct rte_mbuf **p, unsigned n, size_t off, const uint8_t *orig,
			size_t len, unsigned mtu, unsigned base, bool orig_mf)
{
	size_t done = 0;

	for (unsigned i = 0; i < n; i++) {
		const uint8_t *f = rte_pktmbuf_mtod_offset(p[i], const uint8_t *, off);
		struct rte_ipv4_hdr ip;
		size_t flen, plen;
		uint16_t fo;

		assert_int_equal(p[i]->nb_segs, 1);
		memcpy(&ip, f, sizeof(ip));
		flen = rte_be_to_cpu_16(ip.total_length);
		plen = flen - 20;
		fo = rte_be_to_cpu_16(ip.fragment_offset);
		assert_int_equal(rte_pktmbuf_pkt_len(p[i]), off + flen);
		assert_true(flen <= mtu);
		assert_int_equal(ip.version_ihl, 0x45);
		assert_memory_equal(f + 4, orig + 4, 2); /* identification */
		assert_int_equal(f[8], orig[8] - 1);     /* TTL */
		assert_memory_equal(f + 9, orig + 9, 1);
		assert_memory_equal(f + 12, orig + 12, 8);
		check_ipv4_cksum(&ip);
		assert_int_equal((fo & RTE_IPV4_HDR_OFFSET_MASK) * 8u, base + done);
		assert_int_equal((fo & RTE_IPV4_HDR_DF_FLAG) != 0, false);
		if (i + 1 < n) {
			assert_true(fo & RTE_IPV4_HDR_MF_FLAG);
			assert_int_equal(plen % 8, 0);
		} else {
			assert_int_equal((fo & RTE_IPV4_HDR_MF_FLAG) != 0, orig_mf);
		}
		assert_memory_equal(f + 20, orig + 20 + done, plen);
		done += plen;
	}
	assert_int_equal(done, len - 20);
}

/* Into session A's tunnel (MTU 1400): two fragments, each in its own L2TP frame. */
static void test_frag_down(void **state)
{
	static uint8_t in[1500];
	struct rte_mbuf *m, *t[8];
	struct lns_worker_counters b = counters(), a;
	struct lns_sess_ctr sb = ctr(E.slot_a), sa;
	const size_t outer = 14 + 20 + 8 + 10;
	unsigned n;

	(void)state;
	inner_ip(in, NET_IP, SUB_IP, 64, sizeof(in), 0);
	m = down_frame(in, sizeof(in));
	run_worker(CORE, &m, 1);
	a = counters();
	n = take(E.txr[ACC][0], t, 8);
	assert_int_equal(n, 2);
	check_frags(t, n, outer, in, sizeof(in), A_MTU, 0, false);
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *f = rte_pktmbuf_mtod(t[i], const uint8_t *);
		const uint8_t l2tp[10] = {0x00, 0x02, 0, A_PTID, 0, A_PSID, 0xff, 0x03, 0x00, 0x21};
		size_t inner = rte_pktmbuf_pkt_len(t[i]) - outer;
		struct rte_ipv4_hdr o;

		assert_memory_equal(f, &acc_gw_mac, 6);
		memcpy(&o, f + 14, sizeof(o));
		assert_int_equal(rte_be_to_cpu_16(o.total_length), 38 + inner);
		assert_int_equal(o.src_addr, rte_cpu_to_be_32(LNS_ACC_IP));
		assert_int_equal(o.dst_addr, rte_cpu_to_be_32(LAC_IP));
		check_ipv4_cksum(&o);
		assert_int_equal(rd16(f + 34 + 4), 8 + 10 + inner); /* UDP length */
		assert_memory_equal(f + 42, l2tp, sizeof(l2tp));
	}
	assert_int_equal(rte_pktmbuf_pkt_len(t[0]) - outer, 20 + 1376);
	assert_int_equal(rte_pktmbuf_pkt_len(t[1]) - outer, 20 + 104);
	rte_pktmbuf_free_bulk(t, n);
	assert_int_equal(a.fragmented - b.fragmented, 1);
	assert_int_equal(a.frag_out - b.frag_out, 2);
	assert_int_equal(a.tx - b.tx, 2);
	assert_int_equal(a.drop_too_big - b.drop_too_big, 0);
	assert_int_equal(a.punt - b.punt, 0);
	/* what went into the tunnel: two packets, the payload once and two headers */
	sa = ctr(E.slot_a);
	assert_int_equal(sa.down_pkts - sb.down_pkts, 2);
	assert_int_equal(sa.down_bytes - sb.down_bytes, sizeof(in) + 20);
	check_rings_empty();
}

/* Out of a tunnel to the core (MTU 1500): fragments with their Ethernet header. */
static void test_frag_up(void **state)
{
	static uint8_t in[1800];
	struct rte_mbuf *m, *t[8];
	struct lns_worker_counters b = counters(), a;
	struct lns_sess_ctr sb = ctr(E.slot_a), sa;
	unsigned n;

	(void)state;
	inner_ip(in, SUB_IP, NET_IP, 64, sizeof(in), 0);
	m = up_frame(hdr_a, sizeof(hdr_a), in, sizeof(in));
	run_worker(ACC, &m, 1);
	a = counters();
	n = take(E.txr[CORE][0], t, 8);
	assert_int_equal(n, 2);
	check_frags(t, n, 14, in, sizeof(in), CORE_MTU, 0, false);
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *f = rte_pktmbuf_mtod(t[i], const uint8_t *);

		assert_memory_equal(f, &core_gw_mac, 6);
		assert_memory_equal(f + 6, &E.rt->ports[CORE].mac, 6);
		assert_int_equal(rd16(f + 12), RTE_ETHER_TYPE_IPV4);
	}
	assert_int_equal(rte_pktmbuf_pkt_len(t[0]), 14 + 1500);
	assert_int_equal(rte_pktmbuf_pkt_len(t[1]), 14 + 20 + 300);
	rte_pktmbuf_free_bulk(t, n);
	assert_int_equal(a.fragmented - b.fragmented, 1);
	assert_int_equal(a.frag_out - b.frag_out, 2);
	assert_int_equal(a.tx - b.tx, 2);
	/* the subscriber sent one packet */
	sa = ctr(E.slot_a);
	assert_int_equal(sa.up_pkts - sb.up_pkts, 1);
	assert_int_equal(sa.up_bytes - sb.up_bytes, sizeof(in));
	check_rings_empty();
}

/* A packet that was a fragment already keeps its offset, and MF when it had it. */
static void test_frag_of_fragment(void **state)
{
	static uint8_t in[1500];
	struct rte_mbuf *m[2], *t[8];
	unsigned n;

	(void)state;
	/* the first part of something bigger: MF set, offset 0 */
	inner_ip(in, NET_IP, SUB_IP, 64, sizeof(in), RTE_IPV4_HDR_MF_FLAG);
	m[0] = down_frame(in, sizeof(in));
	run_worker(CORE, m, 1);
	n = take(E.txr[ACC][0], t, 8);
	assert_int_equal(n, 2);
	check_frags(t, n, 52, in, sizeof(in), A_MTU, 0, true);
	rte_pktmbuf_free_bulk(t, n);
	/* the last part: offset 100 (800 octets), no MF */
	inner_ip(in, NET_IP, SUB_IP, 64, sizeof(in), 100);
	m[1] = down_frame(in, sizeof(in));
	run_worker(CORE, &m[1], 1);
	n = take(E.txr[ACC][0], t, 8);
	assert_int_equal(n, 2);
	check_frags(t, n, 52, in, sizeof(in), A_MTU, 800, false);
	rte_pktmbuf_free_bulk(t, n);
	check_rings_empty();
}

/* More than LNS_FRAG_MAX fragments (session T: MTU 100): dropped, not punted. */
static void test_frag_too_many(void **state)
{
	static uint8_t in[1500];
	struct rte_mbuf *m;
	struct lns_worker_counters b = counters(), a;
	struct lns_sess_ctr sb = ctr(slot_t), sa;

	(void)state;
	inner_ip(in, NET_IP, TINY_IP, 64, sizeof(in), 0);
	m = down_frame(in, sizeof(in));
	run_worker(CORE, &m, 1);
	a = counters();
	assert_int_equal(a.drop_too_big - b.drop_too_big, 1);
	assert_int_equal(a.fragmented - b.fragmented, 0);
	assert_int_equal(a.punt - b.punt, 0);
	assert_int_equal(a.tx - b.tx, 0);
	sa = ctr(slot_t);
	assert_memory_equal(&sa, &sb, sizeof(sa));
	/* 8 fragments exactly (8 x 80 octets of payload) still go */
	inner_ip(in, NET_IP, TINY_IP, 64, 20 + 8 * 80, 0);
	m = down_frame(in, 20 + 8 * 80);
	run_worker(CORE, &m, 1);
	{
		struct rte_mbuf *t[16];
		unsigned n = take(E.txr[ACC][0], t, 16);

		assert_int_equal(n, 8);
		check_frags(t, n, 52, in, 20 + 8 * 80, 100, 0, false);
		rte_pktmbuf_free_bulk(t, n);
	}
	check_rings_empty();
}

/* ------------------------------------------------------------------ MSS */

/* The TCP checksum over the pseudo-header and the segment at IP, recomputed from scratch. */
static uint16_t tcp_sum(const uint8_t *ip)
{
	size_t tot = rd16(ip + 2), ihl = (ip[0] & 0xf) * 4u;
	uint32_t s = 0;

	for (int i = 12; i < 20; i += 2)
		s += rd16(ip + i);
	s += IPPROTO_TCP + (uint32_t)(tot - ihl);
	for (size_t i = ihl; i + 1 < tot; i += 2)
		s += rd16(ip + i);
	if ((tot - ihl) & 1)
		s += (uint32_t)ip[tot - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* A TCP segment in IPv4: FLAGS, these options, 5 octets of data; checksum set. */
static size_t tcp_pkt(uint8_t *buf, uint32_t src, uint32_t dst, uint8_t flags, const uint8_t *opt,
		      size_t olen, uint16_t frag)
{
	size_t doff = 20 + olen, tot = 20 + doff + 5;
	uint8_t *t = buf + 20;
	uint16_t c;

	assert_int_equal(olen % 4, 0);
	ip_hdr(buf, src, dst, 64, tot, frag, IPPROTO_TCP);
	memset(t, 0, doff + 5);
	t[0] = 0xc3;
	t[1] = 0x50;
	t[3] = 80;
	t[7] = 1;
	t[12] = (uint8_t)(doff / 4 << 4);
	t[13] = flags;
	t[14] = 0xff;
	if (olen)
		memcpy(t + 20, opt, olen);
	memcpy(t + doff, "hello", 5);
	c = (uint16_t)~tcp_sum(buf);
	t[16] = (uint8_t)(c >> 8);
	t[17] = (uint8_t)c;
	return tot;
}

#define SYN    0x02
#define SYNACK 0x12
#define ACK    0x10

/*
 * One TCP packet each way through lns_process_burst: the packet as sent but for
 * TTL, IP checksum, and an MSS of WANT at MSS_OFF of the TCP header (0:
 * none changed) with the TCP checksum that a full computation gives.
 */
static void mss_case(bool up, const uint8_t *hdr, size_t hlen, uint8_t flags, const uint8_t *opt,
		     size_t olen, uint16_t frag, size_t mss_off, uint16_t want, unsigned clamped)
{
	uint8_t in[128], exp[128];
	size_t len =
		tcp_pkt(in, up ? SUB_IP : NET_IP, up ? NET_IP : SUB_IP, flags, opt, olen, frag);
	uint64_t before = E.w->c.mss_clamped;
	struct rte_mbuf *m = up ? up_frame(hdr, hlen, in, len) : down_frame(in, len);
	size_t off = up ? 14 : 14 + 20 + 8 + 10;
	uint8_t got[128];

	{
		uint8_t v;

		lns_process_burst(E.w, &E.rt->ports[up ? ACC : CORE], &m, 1, &v);
		assert_int_equal(v, LNS_V_TX);
	}
	assert_int_equal(rte_pktmbuf_pkt_len(m), off + len);
	memcpy(got, rte_pktmbuf_mtod_offset(m, const uint8_t *, off), len);
	rte_pktmbuf_free(m);
	/* what it should be: TTL one less, then the MSS and a recomputed TCP checksum */
	ttl_less(exp, in, len);
	if (mss_off) {
		uint16_t c;

		exp[20 + mss_off] = (uint8_t)(want >> 8);
		exp[20 + mss_off + 1] = (uint8_t)want;
		exp[36] = exp[37] = 0;
		c = (uint16_t)~tcp_sum(exp);
		exp[36] = (uint8_t)(c >> 8);
		exp[37] = (uint8_t)c;
	}
	assert_memory_equal(got, exp, len);
	assert_int_equal(tcp_sum(got), 0xffff);
	assert_int_equal(E.w->c.mss_clamped - before, clamped);
}

static void test_mss_clamped_both_ways(void **state)
{
	const uint8_t mss1460[] = {2, 4, 0x05, 0xb4};
	/* the Linux SYN options: MSS, SACK permitted, timestamps, NOP, window scale */
	const uint8_t linux_opts[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0,
				      0, 1, 0,    0,    0, 0, 1, 3,  3, 7};
	/* ACFC and PFC: the inner packet at an odd address */
	const uint8_t hdr_odd[] = {0x00, 0x02, ID_A, 0x21};

	(void)state;
	/* auto: the tunnel's MTU (1400) less 40 */
	mss_case(false, NULL, 0, SYN, mss1460, sizeof(mss1460), 0, 22, 1360, 1);
	mss_case(false, NULL, 0, SYNACK, linux_opts, sizeof(linux_opts), 0, 22, 1360, 1);
	mss_case(true, hdr_a, sizeof(hdr_a), SYN, linux_opts, sizeof(linux_opts), 0, 22, 1360, 1);
	mss_case(true, hdr_odd, sizeof(hdr_odd), SYNACK, mss1460, sizeof(mss1460), 0, 22, 1360, 1);
	/* the first fragment of a SYN is clamped too */
	mss_case(false, NULL, 0, SYN, mss1460, sizeof(mss1460), RTE_IPV4_HDR_MF_FLAG, 22, 1360, 1);
}

static void test_mss_left_alone(void **state)
{
	const uint8_t mss1200[] = {2, 4, 0x04, 0xb0};
	const uint8_t mss1460[] = {2, 4, 0x05, 0xb4};
	const uint8_t nops[] = {1, 1, 1, 0};
	const uint8_t len0[] = {8, 0, 2, 4, 0x05, 0xb4, 0, 0}; /* length 0 before the MSS */
	const uint8_t past[] = {1, 1, 2, 6, 0x05, 0xb4, 1, 1}; /* MSS of length 6 */

	(void)state;
	/* small enough already, no MSS at all, no options */
	mss_case(false, NULL, 0, SYN, mss1200, sizeof(mss1200), 0, 0, 0, 0);
	mss_case(true, hdr_a, sizeof(hdr_a), SYN, nops, sizeof(nops), 0, 0, 0, 0);
	mss_case(true, hdr_a, sizeof(hdr_a), SYN, NULL, 0, 0, 0, 0, 0);
	/* malformed options: forwarded untouched */
	mss_case(false, NULL, 0, SYN, len0, sizeof(len0), 0, 0, 0, 0);
	mss_case(true, hdr_a, sizeof(hdr_a), SYN, past, sizeof(past), 0, 0, 0, 0);
	/* not a SYN; a later fragment whose first octets look like a SYN */
	mss_case(false, NULL, 0, ACK, mss1460, sizeof(mss1460), 0, 0, 0, 0);
	mss_case(false, NULL, 0, SYN, mss1460, sizeof(mss1460), 3, 0, 0, 0);
}

/* A fixed clamp, and off. */
static void test_mss_configured(void **state)
{
	const uint8_t mss1460[] = {2, 4, 0x05, 0xb4};

	(void)state;
	E.cfg->dataplane.tcp_mss_clamp = 1000;
	mss_case(false, NULL, 0, SYN, mss1460, sizeof(mss1460), 0, 22, 1000, 1);
	mss_case(true, hdr_a, sizeof(hdr_a), SYNACK, mss1460, sizeof(mss1460), 0, 22, 1000, 1);
	E.cfg->dataplane.tcp_mss_clamp = 1460;
	mss_case(false, NULL, 0, SYN, mss1460, sizeof(mss1460), 0, 0, 0, 0);
	E.cfg->dataplane.tcp_mss_clamp = LNS_MSS_CLAMP_OFF;
	mss_case(false, NULL, 0, SYN, mss1460, sizeof(mss1460), 0, 0, 0, 0);
	E.cfg->dataplane.tcp_mss_clamp = LNS_MSS_CLAMP_AUTO;
}

/* ------------------------------------------------------------------ main */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ttl_punted, each),
		cmocka_unit_test_setup(test_too_big_df_punted, each),
		cmocka_unit_test_setup(test_never_answered, each),
		cmocka_unit_test_setup(test_rate_limited, each),
		cmocka_unit_test_setup(test_frag_down, each),
		cmocka_unit_test_setup(test_frag_up, each),
		cmocka_unit_test_setup(test_frag_of_fragment, each),
		cmocka_unit_test_setup(test_frag_too_many, each),
		cmocka_unit_test_setup(test_mss_clamped_both_ways, each),
		cmocka_unit_test_setup(test_mss_left_alone, each),
		cmocka_unit_test_setup(test_mss_configured, each),
	};
	int ret = pkt_eal_init("test_mtu", "0@0,1@0");

	if (ret != 0)
		return ret;
	ret = cmocka_run_group_tests(tests, setup, teardown);
	pkt_eal_fini();
	return ret;
}
