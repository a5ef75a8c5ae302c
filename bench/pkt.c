/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The benchmark's packets, built once per scenario and size and refreshed in
 * place before each round (main lcore only): the worker rewrites headers as
 * it forwards, so each round the generator writes a received frame's headers
 * back, with the round's session and destination, as a NIC would deliver it.
 * The payload is written once and is never touched by lns.
 *
 *  plain: Eth | IPv4 10.0.0.1 -> 198.18.x.y | UDP | payload          (access -> core)
 *  up:    Eth | IPv4 LAC -> 192.0.2.1 | UDP 1701 | L2TP | ff03 0021
 *             | IPv4 subscriber -> 198.18.x.y | UDP | payload       (access -> core)
 *  down:  Eth | IPv4 198.18.x.y -> subscriber | UDP | payload        (core -> access)
 *  up6:   Eth | IPv4 LAC -> 192.0.2.1 | UDP 1701 | L2TP | ff03 0057
 *             | IPv6 subscriber -> 2001:db8:8000::/33 | UDP | payload (access -> core)
 *  down6: Eth | IPv6 2001:db8:8000::/33 -> subscriber's /64 | UDP | payload
 *                                                                     (core -> access)
 *
 * "size" is the inner IP packet's length, its header included: the
 * subscriber's packet. IPv6's UDP checksum is not optional (RFC 8200 section
 * 8.1): each packet gets its own, from the template's sum of what does not
 * change (lns does not read it; the checks do).
 */
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "bench/bench.h"

const char *const bench_scen_name[SC_N] = {"plain", "up", "down", "up6", "down6"};

static void put_eth(uint8_t *b, const struct rte_ether_addr *dst, const struct rte_ether_addr *src,
		    uint16_t type)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)b;

	eth->dst_addr = *dst;
	eth->src_addr = *src;
	eth->ether_type = rte_cpu_to_be_16(type);
}

static void put_ip_udp(uint8_t *b, unsigned tot, rte_be32_t src, rte_be32_t dst, uint16_t sport,
		       uint16_t dport)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)b;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)tot);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = src;
	ip->dst_addr = dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(tot - sizeof(*ip)));
	udp->dgram_cksum = 0;
}

/* An IPv6 header and UDP header; the addresses come with each packet (bench_pkt_restore). */
static void put_ip6_udp(uint8_t *b, unsigned tot, uint16_t sport, uint16_t dport)
{
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)b;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	memset(ip, 0, sizeof(*ip));
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)(tot - sizeof(*ip)));
	ip->proto = IPPROTO_UDP;
	ip->hop_limits = 64;
	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = ip->payload_len;
	udp->dgram_cksum = 0;
}

/* L2TP data (RFC 2661 section 3.1: T=0, no L, S, O, P; version 2; the IDs come with each
 * packet), then PPP in HDLC-like framing (RFC 1662): Address, Control, Protocol. */
static uint16_t put_l2tp_ppp(uint8_t *b, uint16_t proto)
{
	b[1] = 0x02;
	b[6] = 0xff;
	b[7] = 0x03;
	b[8] = (uint8_t)(proto >> 8);
	b[9] = (uint8_t)proto;
	return 10;
}

/* The one's-complement sum of the payload as bench_pkt_fill writes it, from frame offset
 * from (even) to to. */
static uint32_t payload_sum(unsigned from, unsigned to)
{
	uint8_t b[1500];

	for (unsigned i = from; i < to; i++)
		b[i - from] = (uint8_t)i;
	return __rte_raw_cksum(b, to - from, 0);
}

void bench_tmpl_build(const struct bench_env *e, struct bench_tmpl *t, enum bench_scen scen,
		      unsigned size)
{
	const struct lns_runtime *rt = e->rt;
	rte_be32_t inet = rte_cpu_to_be_32(BENCH_INET_NET);

	memset(t, 0, sizeof(*t));
	t->scen = scen;
	t->size = size;
	switch (scen) {
	case SC_PLAIN:
		t->in_port = 0;
		t->out_port = 1;
		put_eth(t->hdr, &rt->ports[0].mac, &e->acc_router_mac, RTE_ETHER_TYPE_IPV4);
		t->inner_ip = 14;
		put_ip_udp(t->hdr + 14, size, rte_cpu_to_be_32(BENCH_LAC_NET + 1), inet, 40000,
			   443);
		break;
	case SC_UP:
	case SC_UP6:
		t->in_port = 0;
		t->out_port = 1;
		put_eth(t->hdr, &rt->ports[0].mac, &e->acc_router_mac, RTE_ETHER_TYPE_IPV4);
		t->outer_ip = 14;
		put_ip_udp(t->hdr + 14, 20 + 8 + 6 + 4 + size, bench_lac_ip(e, 0),
			   rte_cpu_to_be_32(BENCH_LNS_ACC_IP), 1701, 1701);
		t->l2tp = 14 + 20 + 8;
		t->inner_ip = (uint16_t)(t->l2tp + put_l2tp_ppp(t->hdr + t->l2tp,
								scen == SC_UP ? 0x0021 : 0x0057));
		if (scen == SC_UP)
			put_ip_udp(t->hdr + t->inner_ip, size, bench_sub_ip(0), inet, 40000, 443);
		else
			put_ip6_udp(t->hdr + t->inner_ip, size, 40000, 443);
		break;
	case SC_DOWN:
		t->in_port = 1;
		t->out_port = 0;
		put_eth(t->hdr, &rt->ports[1].mac, &e->core_router_mac, RTE_ETHER_TYPE_IPV4);
		t->inner_ip = 14;
		put_ip_udp(t->hdr + 14, size, inet, bench_sub_ip(0), 443, 40000);
		break;
	case SC_DOWN6:
		t->in_port = 1;
		t->out_port = 0;
		put_eth(t->hdr, &rt->ports[1].mac, &e->core_router_mac, RTE_ETHER_TYPE_IPV6);
		t->inner_ip = 14;
		put_ip6_udp(t->hdr + 14, size, 443, 40000);
		break;
	default:
		break;
	}
	t->hdr_len = (uint16_t)(t->inner_ip + (bench_scen_v6(scen) ? 40 : 20) + 8);
	t->frame_len = (uint16_t)(t->inner_ip + size);
	if (bench_scen_v6(scen)) {
		/* The pseudo-header's length and next header, the UDP header, the payload. */
		const struct rte_udp_hdr *udp =
			(const struct rte_udp_hdr *)(t->hdr + t->inner_ip + 40);
		rte_be32_t ph[2] = {rte_cpu_to_be_32(size - 40), rte_cpu_to_be_32(IPPROTO_UDP)};

		t->l4_sum = __rte_raw_cksum(ph, sizeof(ph), 0);
		t->l4_sum = __rte_raw_cksum(udp, sizeof(*udp), t->l4_sum);
		t->l4_sum += payload_sum(t->hdr_len, t->frame_len);
	}
}

/* IPv6's UDP checksum (RFC 8200 section 8.1) of the template's datagram between addresses
 * src and dst: the template's sum of the rest (t->l4_sum) and the two addresses. */
static rte_be16_t udp6_cksum(const struct bench_tmpl *t, const uint8_t src[16],
			     const uint8_t dst[16])
{
	uint32_t sum = t->l4_sum;
	uint16_t c;

	sum = __rte_raw_cksum(src, 16, sum);
	sum = __rte_raw_cksum(dst, 16, sum);
	c = (uint16_t)~__rte_raw_cksum_reduce(sum);
	return c == 0 ? 0xffff : c; /* 0 would say "no checksum", which IPv6 does not allow */
}

void bench_pkt_fill(const struct bench_env *e, const struct bench_tmpl *t, struct rte_mbuf *m)
{
	uint8_t *d = (uint8_t *)m->buf_addr + RTE_PKTMBUF_HEADROOM;

	for (unsigned i = t->hdr_len; i < t->frame_len; i++)
		d[i] = (uint8_t)i;
	bench_pkt_restore(e, t, m, 0, 0);
}

/* The IPv6 scenarios' addresses of session i's packet with random number rnd. */
static void addrs6(const struct bench_tmpl *t, uint32_t i, uint32_t rnd, uint8_t src[16],
		   uint8_t dst[16])
{
	if (t->scen == SC_UP6) {
		bench_sub6_addr(i, BENCH_IFID | i, src); /* its SLAAC address */
		bench_inet6(rnd, dst);
	} else {
		/* Any host of its /64 (a privacy address, RFC 8981): the lookup is the /64's. */
		bench_inet6(rnd, src);
		bench_sub6_addr(i, (uint64_t)rnd * 0x9e3779b97f4a7c15ull, dst);
	}
}

void bench_pkt_restore(const struct bench_env *e, const struct bench_tmpl *t, struct rte_mbuf *m,
		       uint32_t i, uint32_t rnd)
{
	uint8_t *d = (uint8_t *)m->buf_addr + RTE_PKTMBUF_HEADROOM;
	struct rte_ipv4_hdr *in = (struct rte_ipv4_hdr *)(d + t->inner_ip);
	rte_be32_t inet = rte_cpu_to_be_32(BENCH_INET_NET + (rnd & BENCH_INET_MASK));

	/* What an RX descriptor's completion leaves in the mbuf. */
	m->data_off = RTE_PKTMBUF_HEADROOM;
	m->data_len = t->frame_len;
	m->pkt_len = t->frame_len;
	m->nb_segs = 1;
	m->next = NULL;
	m->ol_flags = 0;
	m->packet_type = 0;
	m->vlan_tci = 0;
	m->port = e->rt->ports[t->in_port].port_id;
	memcpy(d, t->hdr, t->hdr_len);
	if (t->scen == SC_UP || t->scen == SC_UP6) {
		struct rte_ipv4_hdr *out = (struct rte_ipv4_hdr *)(d + t->outer_ip);
		uint8_t *l2tp = d + t->l2tp;
		uint16_t tid = bench_tid(e, i), sid = bench_sid(e, i);

		out->src_addr = bench_lac_ip(e, i);
		out->hdr_checksum = 0;
		out->hdr_checksum = rte_ipv4_cksum(out);
		l2tp[2] = (uint8_t)(tid >> 8);
		l2tp[3] = (uint8_t)tid;
		l2tp[4] = (uint8_t)(sid >> 8);
		l2tp[5] = (uint8_t)sid;
	}
	switch (t->scen) {
	case SC_PLAIN:
		in->dst_addr = inet;
		break;
	case SC_UP:
		in->src_addr = bench_sub_ip(i);
		in->dst_addr = inet;
		break;
	case SC_DOWN:
		in->src_addr = inet;
		in->dst_addr = bench_sub_ip(i);
		break;
	case SC_UP6:
	case SC_DOWN6: {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(d + t->inner_ip);
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip6 + 1);

		addrs6(t, i, rnd, ip6->src_addr, ip6->dst_addr);
		udp->dgram_cksum = udp6_cksum(t, ip6->src_addr, ip6->dst_addr);
		return;
	}
	default:
		break;
	}
	in->hdr_checksum = 0;
	in->hdr_checksum = rte_ipv4_cksum(in);
}

static bool cksum_ok(const struct rte_ipv4_hdr *ip)
{
	return rte_raw_cksum(ip, sizeof(*ip)) == 0xffff;
}

/* Downstream: the outer headers lns puts in front of session i's packet (protocol proto);
 * 0 and *inner at the inner packet, or what differs. */
static const char *check_tunnel(const struct bench_env *e, const struct bench_tmpl *t,
				const struct rte_ipv4_hdr *ip, uint32_t i, uint16_t proto,
				const uint8_t **inner)
{
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(ip + 1);
	const uint8_t *l2tp = (const uint8_t *)(udp + 1);
	uint16_t ptid = bench_peer_tid(e, i), psid = bench_peer_sid(e, i);
	const uint8_t ppp[4] = {0xff, 0x03, (uint8_t)(proto >> 8), (uint8_t)proto};

	if (ip->dst_addr != bench_lac_ip(e, i) ||
	    ip->src_addr != rte_cpu_to_be_32(BENCH_LNS_ACC_IP) || !cksum_ok(ip) ||
	    rte_be_to_cpu_16(ip->total_length) != 38 + t->size)
		return "outer IPv4 header";
	if (udp->dst_port != RTE_BE16(1701) || udp->src_port != RTE_BE16(1701))
		return "outer UDP header";
	if (l2tp[0] != 0 || l2tp[1] != 2 || l2tp[2] != ptid >> 8 || l2tp[3] != (ptid & 0xff) ||
	    l2tp[4] != psid >> 8 || l2tp[5] != (psid & 0xff))
		return "L2TP header";
	if (memcmp(l2tp + 6, ppp, 4) != 0)
		return "PPP header";
	*inner = l2tp + 10;
	return NULL;
}

/* The IPv6 packet as routed: its addresses, hop limit 63, lengths, UDP checksum (the
 * payload untouched). */
static const char *check_ip6(const struct bench_tmpl *t, const struct rte_ipv6_hdr *ip, uint32_t i,
			     uint32_t rnd)
{
	uint8_t src[16], dst[16];

	addrs6(t, i, rnd, src, dst);
	if (memcmp(ip->src_addr, src, 16) != 0 || memcmp(ip->dst_addr, dst, 16) != 0)
		return "IPv6 addresses";
	if (ip->vtc_flow != RTE_BE32(6u << 28) || ip->proto != IPPROTO_UDP ||
	    rte_be_to_cpu_16(ip->payload_len) != t->size - sizeof(*ip))
		return "IPv6 header";
	if (ip->hop_limits != 63)
		return "hop limit";
	if (rte_ipv6_udptcp_cksum_verify(ip, ip + 1) != 0)
		return "UDP checksum";
	return NULL;
}

const char *bench_pkt_check(const struct bench_env *e, const struct bench_tmpl *t,
			    const struct rte_mbuf *m, uint32_t i, uint32_t rnd)
{
	const struct lns_port *out = &e->rt->ports[t->out_port];
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *), *inner;
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)d;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1), *in = ip;
	rte_be32_t inet = rte_cpu_to_be_32(BENCH_INET_NET + (rnd & BENCH_INET_MASK));
	const struct rte_ether_addr *nh =
		t->out_port == 0 ? &e->acc_router_mac : &e->core_router_mac;
	uint16_t type = t->scen == SC_UP6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4;
	unsigned l2 = sizeof(*eth);
	const char *why;

	if (m->port != out->port_id)
		return "output port";
	if (!rte_is_same_ether_addr(&eth->dst_addr, nh) ||
	    !rte_is_same_ether_addr(&eth->src_addr, &out->mac) ||
	    eth->ether_type != rte_cpu_to_be_16(type))
		return "Ethernet header";
	if (m->pkt_len != l2 + (t->scen == SC_DOWN || t->scen == SC_DOWN6 ? 38 : 0) + t->size ||
	    m->data_len != m->pkt_len)
		return "length";
	switch (t->scen) {
	case SC_UP6:
		return check_ip6(t, (const struct rte_ipv6_hdr *)(eth + 1), i, rnd);
	case SC_DOWN6:
		why = check_tunnel(e, t, ip, i, 0x0057, &inner);
		return why ? why : check_ip6(t, (const struct rte_ipv6_hdr *)inner, i, rnd);
	case SC_DOWN:
		why = check_tunnel(e, t, ip, i, 0x0021, &inner);
		if (why)
			return why;
		in = (const struct rte_ipv4_hdr *)inner;
		if (in->dst_addr != bench_sub_ip(i) || in->src_addr != inet)
			return "inner addresses";
		break;
	case SC_UP:
		if (in->src_addr != bench_sub_ip(i) || in->dst_addr != inet)
			return "addresses";
		break;
	default:
		if (in->dst_addr != inet)
			return "addresses";
		break;
	}
	if (in->time_to_live != 63 || !cksum_ok(in))
		return "TTL or checksum";
	return NULL;
}
