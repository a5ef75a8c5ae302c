/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP errors of the control lcore (cp/icmp_err.h, docs/dataplane.md). Main
 * lcore only. Takes the packets workers punted for an ICMP error (dp/dp.h
 * LNS_PUNT_ICMP_*: Time Exceeded, Fragmentation Needed / Packet Too Big,
 * Destination Unreachable), applies RFC 1812's never-answer rules again and the
 * configured rate, builds the error and sends it back toward the offending
 * packet's source:
 *  - a subscriber (the FIB names a session for it: its address or a framed
 *    route) gets it inside its tunnel, from the LNS's address on the PPP link
 *    (the tunnel's local address, which IPCP gave as ours: cp/ppp_ncp.c);
 *  - anyone else gets it routed as the control lcore's own packets are
 *    (cp/ip_out.c), from our address on the port it leaves by (RFC 1812
 *    section 4.3.2.4), the one in the next hop's subnet if there is one.
 * IPv6 the same way (RFC 4443), the subscriber found in the IPv6 FIB.
 * Reads the FIBs, the workers' session table and the L2TP sessions; writes
 * its counters, rate limit and IP identification.
 */
#include <string.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "cp/cp.h"
#include "cp/icmp_err.h"
#include "cp/l2tp.h"
#include "cp/ppp.h"
#include "dp/csum.h"
#include "dp/fib.h"
#include "dp/fib6.h"
#include "dp/session.h"

void cp_icmp_init(struct lns_cp *cp)
{
	unsigned rate = cp->rt->cfg->dataplane.icmp_errors_per_second;

	/* A second's worth may go at once: a traceroute's probes come in threes. */
	lns_tb_init(&cp->icmp_tb, rate, rate, rte_get_tsc_hz(), rte_rdtsc());
}

/* The PPP session in the FIB's next hop NH, or NULL; *src: the tunnel's local address. */
static struct ppp_session *subscriber_at(struct lns_cp *cp, uint32_t nh, rte_be32_t *src)
{
	struct lns_dp_session d;
	struct l2tp_tunnel *t;
	struct l2tp_session *s;

	if (!(nh & LNS_NH_SESSION))
		return NULL;
	if (!lns_session_get_slot(cp->rt->sessions, nh & ~LNS_NH_SESSION, &d) ||
	    (t = cp->l2tp.by_tid[d.tid]) == NULL)
		return NULL;
	s = l2tp_session_find(t, d.sid);
	if (s == NULL || s->ppp == NULL)
		return NULL;
	*src = t->local_ip;
	return s->ppp;
}

/* The subscriber's PPP session that ADDR is routed to, or NULL; *src: our address on its link. */
static struct ppp_session *subscriber_of(struct lns_cp *cp, rte_be32_t addr, rte_be32_t *src)
{
	uint32_t nh;

	if (lns_fib_lookup(cp->rt->fib, addr, &nh) < 0)
		return NULL;
	return subscriber_at(cp, nh, src);
}

/* Our IPv4 address on PORT in NH's subnet, else its first; 0 if it has none. */
static rte_be32_t our_addr_toward(const struct lns_port *p, rte_be32_t nh)
{
	for (unsigned i = 0; i < p->n_v4; i++) {
		uint32_t mask = p->v4_plen[i] ? ~0u << (32 - p->v4_plen[i]) : 0;

		if (((rte_be_to_cpu_32(p->v4[i]) ^ rte_be_to_cpu_32(nh)) & mask) == 0)
			return p->v4[i];
	}
	return p->n_v4 ? p->v4[0] : 0;
}

/*
 * What lns_icmp4_may_answer cannot know: a destination that is the broadcast
 * address of one of our subnets (RFC 1812 section 4.3.2.7), and a source
 * that is one of our own addresses (we would answer ourselves).
 */
static bool ours_or_broadcast(const struct lns_runtime *rt, rte_be32_t src, rte_be32_t dst)
{
	for (unsigned p = 0; p < rt->n_ports; p++) {
		const struct lns_port *port = &rt->ports[p];

		for (unsigned i = 0; i < port->n_v4; i++) {
			uint32_t host = port->v4_plen[i] < 31 ? ~0u >> port->v4_plen[i] : 0;
			uint32_t a = rte_be_to_cpu_32(port->v4[i]), d = rte_be_to_cpu_32(dst);

			if (port->v4[i] == src)
				return true;
			if (host && (d & host) == host && ((d ^ a) & ~host) == 0)
				return true;
		}
	}
	return false;
}

static void error4(struct lns_cp *cp, struct rte_mbuf *m, uint32_t why)
{
	uint8_t orig[LNS_ICMP4_ERR_MAX - LNS_ICMP4_ERR_HDR];
	uint32_t len = RTE_MIN(rte_pktmbuf_pkt_len(m), (uint32_t)sizeof(orig));
	const uint8_t *p = rte_pktmbuf_read(m, 0, len, orig);
	bool too_big = LNS_PUNT_REASON(why) == LNS_PUNT_ICMP_TOO_BIG;
	bool unreach = LNS_PUNT_REASON(why) == LNS_PUNT_ICMP_UNREACH; /* no route, as received */
	uint8_t type = too_big || unreach ? LNS_ICMP_DEST_UNREACH : LNS_ICMP_TIME_EXCEEDED;
	uint8_t code = too_big   ? LNS_ICMP_FRAG_NEEDED
		       : unreach ? (uint8_t)LNS_PUNT_CODE(why)
				 : LNS_ICMP_EXC_TTL;
	uint16_t mtu = too_big ? LNS_PUNT_MTU(why) : 0;
	struct ppp_session *sub;
	struct rte_ipv4_hdr ip;
	struct rte_mbuf *e;
	rte_be32_t src, nh;
	unsigned port;
	size_t n;

	if (p == NULL || len < sizeof(ip)) {
		cp->c.drop_malformed++;
		return;
	}
	if (p != orig)
		memcpy(orig, p, len);
	memcpy(&ip, orig, sizeof(ip));
	if (!lns_icmp4_may_answer(orig, len) ||
	    ours_or_broadcast(cp->rt, ip.src_addr, ip.dst_addr)) {
		cp->c.icmp_err_suppressed++;
		return;
	}
	if (!lns_tb_take(&cp->icmp_tb, rte_rdtsc())) {
		cp->c.icmp_err_rate_limited++;
		return;
	}
	if (too_big) {
		/*
		 * The worker had taken one off the TTL before it found the packet too
		 * big: quote it as it arrived (RFC 1812 section 4.3.2.3, "the
		 * original datagram"), checksum following (RFC 1624).
		 */
		uint16_t old = (uint16_t)(orig[8] << 8 | orig[9]), c;

		orig[8]++;
		c = lns_csum_replace16((uint16_t)(orig[10] << 8 | orig[11]), old,
				       (uint16_t)(orig[8] << 8 | orig[9]));
		orig[10] = (uint8_t)(c >> 8);
		orig[11] = (uint8_t)c;
	}

	sub = subscriber_of(cp, ip.src_addr, &src);
	if (sub != NULL) {
		uint8_t out[LNS_ICMP4_ERR_MAX];

		n = lns_icmp4_error(out, sizeof(out), type, code, mtu, cp->icmp_ip_id++, src, orig,
				    len);
		if (n == 0) {
			cp->c.drop_malformed++;
			return;
		}
		ppp_send(sub, PPP_IP, out, n);
	} else {
		uint8_t *out;

		if (cp_route4(cp, ip.src_addr, &port, &nh) < 0) {
			cp->c.drop_no_route++;
			return;
		}
		src = our_addr_toward(&cp->rt->ports[port], nh);
		e = rte_pktmbuf_alloc(cp->rt->pool);
		out = e ? (uint8_t *)rte_pktmbuf_append(e, LNS_ICMP4_ERR_MAX) : NULL;
		if (out == NULL) {
			rte_pktmbuf_free(e);
			cp->c.drop_nomem++;
			return;
		}
		n = lns_icmp4_error(out, LNS_ICMP4_ERR_MAX, type, code, mtu, cp->icmp_ip_id++, src,
				    orig, len);
		if (n == 0) {
			rte_pktmbuf_free(e);
			cp->c.drop_malformed++;
			return;
		}
		rte_pktmbuf_trim(e, (uint16_t)(LNS_ICMP4_ERR_MAX - n));
		cp_ip4_forward(cp, e); /* resolves the next hop if need be; counts its drops */
	}
	if (too_big)
		cp->c.icmp_frag_needed_out++;
	else if (unreach)
		cp->c.icmp_unreach_out++;
	else
		cp->c.icmp_time_exceeded_out++;
}

static bool is_link_local6(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

/*
 * Our global IPv6 address to send an error from: on PORT (-1: any), the one in
 * NH's prefix if there is one, else PORT's first, else any port's first
 * global address; NULL when lnsd has none (link-local addresses cannot
 * reach past the subscriber's own link).
 */
static const uint8_t *our_addr6_toward(const struct lns_runtime *rt, int port, const uint8_t *nh)
{
	const uint8_t *first = NULL;

	for (unsigned k = 0; k <= rt->n_ports; k++) {
		/* first PORT itself, then every port */
		const struct lns_port *p =
			&rt->ports[k == 0 ? (port >= 0 ? (unsigned)port : 0) : k - 1];

		for (unsigned i = 0; i < p->n_v6; i++) {
			unsigned plen = p->v6_plen[i], full = plen / 8, rest = plen % 8;

			if (is_link_local6(p->v6[i]))
				continue;
			if (nh && memcmp(p->v6[i], nh, full) == 0 &&
			    (rest == 0 ||
			     ((p->v6[i][full] ^ nh[full]) & (0xff << (8 - rest))) == 0))
				return p->v6[i];
			if (first == NULL)
				first = p->v6[i];
		}
		if (first)
			return first;
	}
	return NULL;
}

/*
 * The same for IPv6 (RFC 4443 sections 3.2, 3.3): back into the subscriber's
 * tunnel when the IPv6 FIB names a session for the source, else routed
 * (cp/ip6_out.c); from one of lnsd's global addresses, which RFC 4443 section
 * 2.2 allows and which, unlike the link-local one on the PPP link, a host
 * behind the subscriber's router can be sent an answer from.
 */
static void error6(struct lns_cp *cp, struct rte_mbuf *m, uint32_t why)
{
	uint8_t orig[LNS_ICMP6_ERR_MAX - LNS_ICMP6_ERR_HDR];
	uint32_t len = RTE_MIN(rte_pktmbuf_pkt_len(m), (uint32_t)sizeof(orig));
	const uint8_t *p = rte_pktmbuf_read(m, 0, len, orig);
	bool too_big = LNS_PUNT_REASON(why) == LNS_PUNT_ICMP6_TOO_BIG;
	bool unreach = LNS_PUNT_REASON(why) == LNS_PUNT_ICMP6_UNREACH; /* no route, as received */
	uint8_t type = too_big   ? LNS_ICMP6_PACKET_TOO_BIG
		       : unreach ? LNS_ICMP6_DEST_UNREACH
				 : LNS_ICMP6_TIME_EXCEEDED;
	uint8_t code = unreach ? (uint8_t)LNS_PUNT_CODE(why) : 0;
	uint32_t mtu = too_big ? LNS_PUNT_MTU(why) : 0;
	struct rte_ipv6_hdr ip;
	const uint8_t *src;
	struct ppp_session *sub = NULL;
	rte_be32_t unused;
	uint8_t nh[16];
	unsigned port;
	uint32_t v;
	size_t n;

	if (p == NULL || len < sizeof(ip)) {
		cp->c.drop_malformed++;
		return;
	}
	if (p != orig)
		memcpy(orig, p, len);
	memcpy(&ip, orig, sizeof(ip));
	if (!lns_icmp6_may_answer(orig, len, type) || our_addr6_toward(cp->rt, -1, NULL) == NULL) {
		cp->c.icmp_err_suppressed++;
		return;
	}
	for (unsigned i = 0; i < cp->rt->n_ports; i++) {
		if (lns_port_has_v6(&cp->rt->ports[i], ip.src_addr)) {
			cp->c.icmp_err_suppressed++; /* we would answer ourselves */
			return;
		}
	}
	if (!lns_tb_take(&cp->icmp_tb, rte_rdtsc())) {
		cp->c.icmp_err_rate_limited++;
		return;
	}
	if (too_big)
		orig[7]++; /* the hop limit as the packet arrived (no checksum in IPv6) */
	if (lns_fib6_lookup(cp->rt->fib6, ip.src_addr, &v) == 0)
		sub = subscriber_at(cp, v, &unused);
	if (sub != NULL) {
		uint8_t out[LNS_ICMP6_ERR_MAX];

		src = our_addr6_toward(cp->rt, (int)sub->ls->t->port, NULL);
		n = lns_icmp6_error(out, sizeof(out), type, code, mtu, src, orig, len);
		if (n == 0) {
			cp->c.drop_malformed++;
			return;
		}
		ppp_send(sub, PPP_IPV6, out, n);
	} else {
		struct rte_mbuf *e;
		uint8_t *out;

		if (cp_route6(cp, ip.src_addr, &port, nh) < 0) {
			cp->c.drop_no_route++;
			return;
		}
		src = our_addr6_toward(cp->rt, (int)port, nh);
		e = rte_pktmbuf_alloc(cp->rt->pool);
		out = e ? (uint8_t *)rte_pktmbuf_append(e, LNS_ICMP6_ERR_MAX) : NULL;
		if (out == NULL) {
			rte_pktmbuf_free(e);
			cp->c.drop_nomem++;
			return;
		}
		n = lns_icmp6_error(out, LNS_ICMP6_ERR_MAX, type, code, mtu, src, orig, len);
		if (n == 0) {
			rte_pktmbuf_free(e);
			cp->c.drop_malformed++;
			return;
		}
		rte_pktmbuf_trim(e, (uint16_t)(LNS_ICMP6_ERR_MAX - n));
		cp_ip6_forward(cp, e); /* resolves the next hop if need be; counts its drops */
	}
	if (too_big)
		cp->c.icmp6_too_big_out++;
	else if (unreach)
		cp->c.icmp6_unreach_out++;
	else
		cp->c.icmp6_time_exceeded_out++;
}

void cp_icmp_error(struct lns_cp *cp, struct rte_mbuf *m)
{
	uint32_t why = m->hash.usr;

	switch (LNS_PUNT_REASON(why)) {
	case LNS_PUNT_ICMP_TTL:
	case LNS_PUNT_ICMP_TOO_BIG:
	case LNS_PUNT_ICMP_UNREACH:
		error4(cp, m, why);
		break;
	case LNS_PUNT_ICMP6_HOP_LIMIT:
	case LNS_PUNT_ICMP6_TOO_BIG:
	case LNS_PUNT_ICMP6_UNREACH:
		error6(cp, m, why);
		break;
	default:
		cp->c.drop_unhandled++;
		break;
	}
	rte_pktmbuf_free(m);
}
