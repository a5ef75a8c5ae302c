/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker's MTU policy (dp/mtu.h, docs/dataplane.md). Runs on worker
 * lcores; writes the packet, the worker's counters, its token bucket and its
 * fragment slots; reads the configuration.
 *
 * Fragments are made here, not on the control lcore: a packet without DF is
 * ordinary traffic (anyone on the Internet can send a subscriber full-size
 * ones), and sending it through the punt ring would let bulk data crowd out
 * L2TP and PPP signalling and bound a subscriber's throughput by one lcore.
 * ICMP errors go to the control lcore: they are few (rate limited here
 * first), and sending one needs routing and, toward a subscriber, its tunnel.
 */
#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>

#include "dp/icmp.h"
#include "dp/mtu.h"

/* The smallest MTU IPv4 has (RFC 791: 68 octets); rte_ip_frag refuses less. */
#define IPV4_MIN_MTU 68

enum lns_verdict lns_too_big4(struct lns_worker *w, struct rte_mbuf *m, uint16_t mtu)
{
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	unsigned base = w->n_frag;
	int32_t n;

	if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG)) {
		m->hash.usr = LNS_PUNT_WITH_MTU(LNS_PUNT_ICMP_TOO_BIG, mtu);
		return LNS_V_DROP_TOO_BIG;
	}
	m->hash.usr = LNS_PUNT_FRAME; /* not for an ICMP error, whatever comes */
	if (mtu < IPV4_MIN_MTU || base + LNS_FRAG_MAX > LNS_FRAG_BUF)
		return LNS_V_DROP_TOO_BIG;
	/*
	 * DPDK's copying fragmenter: each fragment a plain one-segment mbuf with
	 * headroom for the tunnel or Ethernet header, so no port needs multi-
	 * segment TX. It keeps MF and the offset of a packet that was a fragment
	 * already, copies only the options that say so (RFC 791) into later
	 * fragments, and leaves the header checksums to us.
	 */
	n = rte_ipv4_fragment_copy_nonseg_packet(m, &w->frag[base], LNS_FRAG_MAX, mtu, w->rt->pool);
	if (n <= 0)
		return LNS_V_DROP_TOO_BIG;
	for (int32_t i = 0; i < n; i++) {
		struct rte_ipv4_hdr *f = rte_pktmbuf_mtod(w->frag[base + i], struct rte_ipv4_hdr *);

		f->hdr_checksum = 0;
		f->hdr_checksum = rte_ipv4_cksum(f);
	}
	w->n_frag = base + (unsigned)n;
	m->hash.usr = LNS_FRAGS_REF(base, n);
	w->c.fragmented++;
	w->c.frag_out += (unsigned)n;
	return LNS_V_FRAGS;
}

void lns_frags_free(struct lns_worker *w, struct rte_mbuf *m)
{
	unsigned start = LNS_FRAGS_START(m->hash.usr);

	rte_pktmbuf_free_bulk(&w->frag[start], w->n_frag - start);
	w->n_frag = start;
	m->hash.usr = LNS_PUNT_FRAME;
}

bool lns_icmp_punt(struct lns_worker *w, struct rte_mbuf *m)
{
	uint32_t why = LNS_PUNT_REASON(m->hash.usr);
	const uint8_t *b = rte_pktmbuf_mtod(m, const uint8_t *);
	uint64_t now;
	bool ok;

	switch (why) {
	case LNS_PUNT_ICMP_TTL:
	case LNS_PUNT_ICMP_TOO_BIG:
	case LNS_PUNT_ICMP_UNREACH:
		ok = lns_icmp4_may_answer(b, rte_pktmbuf_data_len(m));
		break;
	case LNS_PUNT_ICMP6_HOP_LIMIT:
		ok = lns_icmp6_may_answer(b, rte_pktmbuf_data_len(m), LNS_ICMP6_TIME_EXCEEDED);
		break;
	case LNS_PUNT_ICMP6_TOO_BIG:
		ok = lns_icmp6_may_answer(b, rte_pktmbuf_data_len(m), LNS_ICMP6_PACKET_TOO_BIG);
		break;
	case LNS_PUNT_ICMP6_UNREACH:
		ok = lns_icmp6_may_answer(b, rte_pktmbuf_data_len(m), LNS_ICMP6_DEST_UNREACH);
		break;
	default:
		return false;
	}
	if (!ok)
		return false;
	/*
	 * The worker's own bucket, at the configured rate, keeps a flood of TTL 1
	 * packets out of the punt ring that signalling shares; the control
	 * lcore's bucket then holds all workers together to that rate.
	 */
	now = rte_rdtsc();
	if (unlikely(w->icmp_tb.hz == 0)) {
		unsigned rate = w->rt->cfg->dataplane.icmp_errors_per_second;

		lns_tb_init(&w->icmp_tb, rate, rate, rte_get_tsc_hz(), now);
	}
	if (!lns_tb_take(&w->icmp_tb, now)) {
		w->c.icmp_punt_limited++;
		return false;
	}
	return true;
}

void lns_mss_clamp_syn4(struct lns_worker *w, struct rte_mbuf *m, uint16_t tunnel_mtu)
{
	unsigned mode = w->rt->cfg->dataplane.tcp_mss_clamp;
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *);
	uint32_t ihl = (ip->version_ihl & 0x0f) * 4u;
	uint32_t tot = rte_be_to_cpu_16(ip->total_length), len;
	uint16_t mss;

	if (mode == LNS_MSS_CLAMP_OFF)
		return;
	if (mode == LNS_MSS_CLAMP_AUTO) {
		/* IPv4 and TCP headers without options (RFC 879, RFC 9293 3.7.1) */
		if (tunnel_mtu <= 40)
			return;
		mss = (uint16_t)(tunnel_mtu - 40);
	} else {
		mss = (uint16_t)mode;
	}
	/* The header as far as the packet and its first segment hold it. */
	len = RTE_MIN(tot, (uint32_t)rte_pktmbuf_data_len(m));
	if (len <= ihl)
		return;
	if (lns_mss_clamp(rte_pktmbuf_mtod_offset(m, uint8_t *, ihl), len - ihl, mss) > 0)
		w->c.mss_clamped++;
}

void lns_mss_clamp_syn6(struct lns_worker *w, struct rte_mbuf *m, uint16_t tunnel_mtu)
{
	unsigned mode = w->rt->cfg->dataplane.tcp_mss_clamp;
	const struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m, const struct rte_ipv6_hdr *);
	uint32_t len = RTE_MIN((uint32_t)rte_be_to_cpu_16(ip->payload_len),
			       (uint32_t)rte_pktmbuf_data_len(m) - (uint32_t)sizeof(*ip));
	uint16_t mss;

	if (mode == LNS_MSS_CLAMP_OFF)
		return;
	if (mode == LNS_MSS_CLAMP_AUTO) {
		/* IPv6 and TCP headers without options (RFC 8200, RFC 9293 3.7.1) */
		if (tunnel_mtu <= 60)
			return;
		mss = (uint16_t)(tunnel_mtu - 60);
	} else {
		mss = (uint16_t)mode;
	}
	/* The TCP checksum's pseudo-header does not hold the MSS: the same update as IPv4. */
	if (lns_mss_clamp(rte_pktmbuf_mtod_offset(m, uint8_t *, sizeof(*ip)), len, mss) > 0)
		w->c.mss_clamped++;
}
