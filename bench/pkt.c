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
 *
 * "size" is the inner IPv4 packet's total length: the subscriber's packet.
 */
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "bench/bench.h"

const char *const bench_scen_name[SC_N] = {"plain", "up", "down"};

static void put_eth(uint8_t *b, const struct rte_ether_addr *dst, const struct rte_ether_addr *src)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)b;

	eth->dst_addr = *dst;
	eth->src_addr = *src;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
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
		put_eth(t->hdr, &rt->ports[0].mac, &e->acc_router_mac);
		t->inner_ip = 14;
		put_ip_udp(t->hdr + 14, size, rte_cpu_to_be_32(BENCH_LAC_NET + 1), inet, 40000,
			   443);
		break;
	case SC_UP:
		t->in_port = 0;
		t->out_port = 1;
		put_eth(t->hdr, &rt->ports[0].mac, &e->acc_router_mac);
		t->outer_ip = 14;
		put_ip_udp(t->hdr + 14, 20 + 8 + 6 + 4 + size, bench_lac_ip(e, 0),
			   rte_cpu_to_be_32(BENCH_LNS_ACC_IP), 1701, 1701);
		/* RFC 2661 section 3.1: T=0, no L, S, O, P; version 2; then the IDs. */
		t->l2tp = 14 + 20 + 8;
		t->hdr[t->l2tp + 1] = 0x02;
		/* RFC 1662: Address and Control, then Protocol 0x0021 (IPv4). */
		t->hdr[t->l2tp + 6] = 0xff;
		t->hdr[t->l2tp + 7] = 0x03;
		t->hdr[t->l2tp + 8] = 0x00;
		t->hdr[t->l2tp + 9] = 0x21;
		t->inner_ip = (uint16_t)(t->l2tp + 10);
		put_ip_udp(t->hdr + t->inner_ip, size, bench_sub_ip(0), inet, 40000, 443);
		break;
	case SC_DOWN:
		t->in_port = 1;
		t->out_port = 0;
		put_eth(t->hdr, &rt->ports[1].mac, &e->core_router_mac);
		t->inner_ip = 14;
		put_ip_udp(t->hdr + 14, size, inet, bench_sub_ip(0), 443, 40000);
		break;
	default:
		break;
	}
	t->hdr_len = (uint16_t)(t->inner_ip + 28);
	t->frame_len = (uint16_t)(t->inner_ip + size);
}

void bench_pkt_fill(const struct bench_env *e, const struct bench_tmpl *t, struct rte_mbuf *m)
{
	uint8_t *d = (uint8_t *)m->buf_addr + RTE_PKTMBUF_HEADROOM;

	for (unsigned i = t->hdr_len; i < t->frame_len; i++)
		d[i] = (uint8_t)i;
	bench_pkt_restore(e, t, m, 0, 0);
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
	switch (t->scen) {
	case SC_PLAIN:
		in->dst_addr = inet;
		break;
	case SC_UP: {
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
		in->src_addr = bench_sub_ip(i);
		in->dst_addr = inet;
		break;
	}
	case SC_DOWN:
		in->src_addr = inet;
		in->dst_addr = bench_sub_ip(i);
		break;
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

const char *bench_pkt_check(const struct bench_env *e, const struct bench_tmpl *t,
			    const struct rte_mbuf *m, uint32_t i, uint32_t rnd)
{
	const struct lns_port *out = &e->rt->ports[t->out_port];
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)d;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1), *in = ip;
	rte_be32_t inet = rte_cpu_to_be_32(BENCH_INET_NET + (rnd & BENCH_INET_MASK));
	const struct rte_ether_addr *nh =
		t->out_port == 0 ? &e->acc_router_mac : &e->core_router_mac;
	unsigned l2 = sizeof(*eth);

	if (m->port != out->port_id)
		return "output port";
	if (!rte_is_same_ether_addr(&eth->dst_addr, nh) ||
	    !rte_is_same_ether_addr(&eth->src_addr, &out->mac) ||
	    eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return "Ethernet header";
	if (t->scen == SC_DOWN) {
		const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(ip + 1);
		const uint8_t *l2tp = (const uint8_t *)(udp + 1);
		uint16_t ptid = bench_peer_tid(e, i), psid = bench_peer_sid(e, i);
		static const uint8_t ppp[4] = {0xff, 0x03, 0x00, 0x21};

		if (ip->dst_addr != bench_lac_ip(e, i) ||
		    ip->src_addr != rte_cpu_to_be_32(BENCH_LNS_ACC_IP) || !cksum_ok(ip) ||
		    rte_be_to_cpu_16(ip->total_length) != 38 + t->size)
			return "outer IPv4 header";
		if (udp->dst_port != RTE_BE16(1701) || udp->src_port != RTE_BE16(1701))
			return "outer UDP header";
		if (l2tp[0] != 0 || l2tp[1] != 2 || l2tp[2] != ptid >> 8 ||
		    l2tp[3] != (ptid & 0xff) || l2tp[4] != psid >> 8 || l2tp[5] != (psid & 0xff))
			return "L2TP header";
		if (memcmp(l2tp + 6, ppp, 4) != 0)
			return "PPP header";
		in = (const struct rte_ipv4_hdr *)(l2tp + 10);
		l2 += 38;
		if (in->dst_addr != bench_sub_ip(i) || in->src_addr != inet)
			return "inner addresses";
	} else if (t->scen == SC_UP) {
		if (in->src_addr != bench_sub_ip(i) || in->dst_addr != inet)
			return "addresses";
	} else if (in->dst_addr != inet) {
		return "addresses";
	}
	if (in->time_to_live != 63 || !cksum_ok(in))
		return "TTL or checksum";
	if (m->pkt_len != l2 + t->size || m->data_len != m->pkt_len)
		return "length";
	return NULL;
}
