/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Forwarding stages: upstream (L2TP/PPP decapsulation of a subscriber's IPv4
 * packet, then routing) and IPv4 routing with downstream encapsulation into a
 * session's tunnel. Runs on worker lcores; reads the FIB, the session table
 * and the neighbour table lock-free; writes only the packet and its own
 * counters. IPv6 has its own stages in dp/fwd6.c (not staged: no prefetching
 * yet), which share the encapsulation and the Ethernet output here
 * (lns_encap, lns_eth_out).
 *
 *  Upstream, as received:                  Downstream, as sent:
 *  Eth | IPv4 | UDP | L2TP | PPP | IPv4    Eth | IPv4 | UDP 1701 | L2TP | ff03 0021 | IPv4
 *                         (T=0, any of L, S, O, P; PPP with or without ff03, PFC)
 *
 * A burst goes through in stages (lns_process_burst): classify every packet,
 * then each lookup of every packet, each stage prefetching what the next one
 * reads, so that at a million sessions the cache misses of a burst overlap
 * instead of following one another: the FIB's tbl24 entry, then an upstream
 * packet's session entry (its slot follows from its IDs, dp/session.h) and the
 * FIB's tbl8 entry or pool word, then a downstream session's entry and
 * counters, then upstream's route, then the work.
 */
#include <string.h>
#include <stdio.h>
#include <sys/socket.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_udp.h>

#include "dp/classify.h"
#include "dp/dp.h"
#include "dp/fib.h"
#include "dp/mac64.h"
#include "dp/mtu.h"
#include "dp/neigh.h"
#include "dp/session.h"
#include "dp/unreach.h"

#define L2TP_S 0x0800 /* RFC 2661 section 3.1: Ns and Nr present */

/* ---- the prebuilt downstream header ------------------------------------------------------- */

void lns_fwd_hdr_build(struct lns_dp_session *s, int vlan, uint16_t l2tp_port)
{
	struct lns_dp_down *d = &s->d;
	bool seq = s->flags & LNS_SESS_F_SEQ;
	unsigned blen = (vlan >= 0 ? 4 : 0) + 2 + sizeof(struct rte_ipv4_hdr) +
			sizeof(struct rte_udp_hdr) + 6 + (seq ? 4 : 0) + 4;
	uint8_t *b = d->b + sizeof(d->b) - blen, *l2tp;
	struct rte_ipv4_hdr ip = {
		.version_ihl = RTE_IPV4_VHL_DEF,
		.time_to_live = 64,
		.next_proto_id = IPPROTO_UDP,
		.src_addr = s->local_ip,
		.dst_addr = s->peer_ip,
	};
	struct rte_udp_hdr udp = {
		.src_port = rte_cpu_to_be_16(l2tp_port), .dst_port = rte_cpu_to_be_16(s->peer_port),
		/* the UDP checksum is optional over IPv4 (RFC 768); the inner packet has its own */
	};
	struct rte_ether_addr dst = {{0}};

	memset(d, 0, sizeof(*d));
	d->mode = s->mode;
	d->port = s->port;
	d->mtu = s->mtu;
	lns_mac64_get(s->lac_mac, &dst); /* zero while unknown: looked up per packet */
	memcpy(d->dst, &dst, sizeof(d->dst));
	if (vlan >= 0) {
		*b++ = RTE_ETHER_TYPE_VLAN >> 8;
		*b++ = RTE_ETHER_TYPE_VLAN & 0xff;
		*b++ = (uint8_t)(vlan >> 8);
		*b++ = (uint8_t)vlan;
	}
	*b++ = RTE_ETHER_TYPE_IPV4 >> 8;
	*b++ = RTE_ETHER_TYPE_IPV4 & 0xff;
	/* A checksum valid for a total length of zero: a worker adds the length. */
	ip.hdr_checksum = rte_ipv4_cksum(&ip);
	memcpy(b, &ip, sizeof(ip));
	memcpy(b + sizeof(ip), &udp, sizeof(udp));
	l2tp = b + sizeof(ip) + sizeof(udp);
	l2tp[0] = seq ? L2TP_S >> 8 : 0; /* T=0, no L, O, P; version 2 */
	l2tp[1] = 0x02;
	l2tp[2] = (uint8_t)(s->peer_tid >> 8);
	l2tp[3] = (uint8_t)s->peer_tid;
	l2tp[4] = (uint8_t)(s->peer_sid >> 8);
	l2tp[5] = (uint8_t)s->peer_sid;
	l2tp += 6;
	if (seq)
		l2tp += 4; /* Ns per packet; Nr is reserved in data messages (zero) */
	l2tp[0] = 0xff;
	l2tp[1] = 0x03;
	l2tp[2] = LNS_PPP_IP >> 8;
	l2tp[3] = LNS_PPP_IP & 0xff;
	d->l2_len = (uint8_t)(12 + (vlan >= 0 ? 4 : 0) + 2);
	d->hdr_len = (uint8_t)(12 + blen);
	if (seq)
		d->l2_len |= 0x80; /* the top bit: Ns to fill in */
}

/* ---- output -------------------------------------------------------------------------------- */

/*
 * Add the port's Ethernet header (and VLAN tag) to a packet that starts at
 * its L3 header (ETHERTYPE), DST the next hop's MAC. Written straight into
 * the packet with fixed-size copies: after a 3-octet PPP header (PFC with
 * ff 03) the frame starts at an odd address, where rte_ether_hdr may not be
 * written, and a header built aside and copied as a whole costs
 * store-forwarding stalls.
 */
static __rte_always_inline enum lns_verdict eth_out(const struct lns_runtime *rt,
						    struct rte_mbuf *m, unsigned port,
						    const void *dst, uint16_t ethertype)
{
	const struct lns_port *p = &rt->ports[port];
	uint8_t *out;

	if (p->vlan >= 0) {
		uint8_t tag[6] = {RTE_ETHER_TYPE_VLAN >> 8,  RTE_ETHER_TYPE_VLAN & 0xff,
				  (uint8_t)(p->vlan >> 8),   (uint8_t)p->vlan,
				  (uint8_t)(ethertype >> 8), (uint8_t)ethertype};

		out = (uint8_t *)rte_pktmbuf_prepend(m, 18);
		if (out == NULL)
			return LNS_V_DROP_NO_HEADROOM;
		memcpy(out + 12, tag, sizeof(tag));
	} else {
		out = (uint8_t *)rte_pktmbuf_prepend(m, 14);
		if (out == NULL)
			return LNS_V_DROP_NO_HEADROOM;
		out[12] = (uint8_t)(ethertype >> 8);
		out[13] = (uint8_t)ethertype;
	}
	memcpy(out, dst, 6);
	memcpy(out + 6, &p->mac, 6);
	m->port = p->port_id; /* from here on: the output port */
	return LNS_V_TX;
}

enum lns_verdict lns_eth_out(const struct lns_runtime *rt, struct rte_mbuf *m, unsigned port,
			     const void *dst, uint16_t ethertype)
{
	return eth_out(rt, m, port, dst, ethertype);
}

/* Larger than the tunnel takes: an ICMP error, or fragments each sent in (dp/mtu.c). Out of
 * line: rare, and it encapsulates each fragment with lns_encap(). */
static __rte_noinline enum lns_verdict encap_too_big(struct lns_worker *w, struct rte_mbuf *m,
						     uint32_t slot, const struct lns_dp_down *d)
{
	enum lns_verdict v = lns_too_big4(w, m, d->mtu);

	if (v != LNS_V_FRAGS)
		return v;
	for (unsigned i = LNS_FRAGS_START(m->hash.usr); i < w->n_frag; i++) {
		enum lns_verdict f = lns_encap(w, w->frag[i], slot, d, LNS_PPP_IP);

		if (f != LNS_V_TX) {
			lns_frags_free(w, m);
			return f;
		}
	}
	return v;
}

/* Into the session's tunnel (in SLOT, read as D): the prebuilt header in front of the packet,
 * its PPP protocol field PPP_PROTO (the header is built for IPv4). */
static __rte_always_inline enum lns_verdict encap(struct lns_worker *w, struct rte_mbuf *m,
						  uint32_t slot, const struct lns_dp_down *d,
						  uint16_t ppp_proto)
{
	const struct lns_runtime *rt = w->rt;
	const struct lns_port *p = &rt->ports[d->port];
	uint32_t inner = rte_pktmbuf_pkt_len(m);
	unsigned l2 = d->l2_len & 0x7f;
	uint8_t *out;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint16_t outer;

	if (ppp_proto != LNS_PPP_IP) {
		/* IPv6: no fragmenting on the way; a Packet Too Big (RFC 8201) instead. MSS
		 * clamping is IPv4's only, so far. */
		if (inner > d->mtu) {
			m->hash.usr = LNS_PUNT_WITH_MTU(LNS_PUNT_ICMP6_TOO_BIG, d->mtu);
			return LNS_V_DROP_TOO_BIG;
		}
	} else {
		lns_mss_clamp4(w, m, d->mtu);
		if (inner > d->mtu)
			return encap_too_big(w, m, slot, d);
	}
	if (rte_pktmbuf_headroom(m) >= sizeof(d->b) + 12) {
		/* One fixed-size copy; only its last hdr_len - 12 octets stay in front. */
		memcpy(rte_pktmbuf_mtod(m, uint8_t *) - sizeof(d->b), d->b, sizeof(d->b));
		out = (uint8_t *)rte_pktmbuf_prepend(m, d->hdr_len);
	} else {
		out = (uint8_t *)rte_pktmbuf_prepend(m, d->hdr_len);
		if (out == NULL)
			return LNS_V_DROP_NO_HEADROOM;
		memcpy(out + 12, d->b + sizeof(d->b) - (d->hdr_len - 12u), d->hdr_len - 12u);
	}
	memcpy(out + 6, &p->mac, 6);
	if (ppp_proto != LNS_PPP_IP) { /* the header's last two octets */
		out[d->hdr_len - 2] = (uint8_t)(ppp_proto >> 8);
		out[d->hdr_len - 1] = (uint8_t)ppp_proto;
	}
	if (unlikely((d->dst[0] | d->dst[1] | d->dst[2] | d->dst[3] | d->dst[4] | d->dst[5]) ==
		     0)) {
		/* The control lcore has not told us the LAC's MAC yet: ask the neighbour table. */
		struct lns_dp_session s;
		struct rte_ether_addr mac;

		lns_session_read(lns_session_entry(rt->sessions, slot), &s);
		if (lns_neigh_lookup(rt->neigh, d->port, AF_INET, &s.nh_ip, &mac) < 0) {
			rte_pktmbuf_adj(m, d->hdr_len);
			return LNS_V_DROP_NO_NEIGHBOUR;
		}
		memcpy(out, &mac, 6);
	} else {
		memcpy(out, d->dst, 6);
	}
	outer = (uint16_t)(inner + d->hdr_len - l2);
	ip = (struct rte_ipv4_hdr *)(out + l2);
	udp = (struct rte_udp_hdr *)(ip + 1);
	ip->total_length = rte_cpu_to_be_16(outer);
	{
		/* RFC 1624 eqn. 3: the prebuilt checksum had a length of zero. */
		uint32_t sum = (uint16_t)~ip->hdr_checksum + (uint32_t)ip->total_length;

		sum = (sum & 0xffff) + (sum >> 16);
		ip->hdr_checksum = (rte_be16_t)~sum;
	}
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(outer - sizeof(*ip)));
	if (d->l2_len & 0x80) {
		uint16_t ns = lns_session_next_ns(rt->sessions, slot);
		uint8_t *l2tp = (uint8_t *)(udp + 1);

		l2tp[6] = (uint8_t)(ns >> 8);
		l2tp[7] = (uint8_t)ns;
	}
	m->port = p->port_id;
	{
		/* only what goes into the tunnel is the subscriber's traffic */
		struct lns_sess_ctr *c = &w->sctr[slot];

		c->down_pkts++;
		c->down_bytes += inner;
	}
	return LNS_V_TX;
}

enum lns_verdict lns_encap(struct lns_worker *w, struct rte_mbuf *m, uint32_t slot,
			   const struct lns_dp_down *d, uint16_t ppp_proto)
{
	return encap(w, m, slot, d, ppp_proto);
}

/*
 * Route an IPv4 packet (data at its header) whose FIB answer is NH (from
 * the stage before): TTL, then into a session's tunnel or out of a port.
 */
static __rte_always_inline enum lns_verdict route4(struct lns_worker *w, struct rte_mbuf *m,
						   uint32_t v)
{
	const struct lns_runtime *rt = w->rt;
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m, struct rte_ipv4_hdr *);
	const struct lns_nexthop *nh;
	struct rte_ether_addr mac;
	uint64_t mw;
	rte_be32_t gw;

	if (ip->time_to_live <= 1) {
		m->hash.usr = LNS_PUNT_ICMP_TTL; /* for a Time Exceeded (dp/mtu.c) */
		return LNS_V_DROP_TTL;
	}
	if (v == LNS_PCTX_NO_ROUTE)
		return lns_no_route4(w, m); /* for a Destination Unreachable (dp/unreach.c) */
	/*
	 * TTL minus one: the checksum follows incrementally (RFC 1624 section 3:
	 * the TTL/protocol word drops by 0x0100, so the checksum rises by it, end
	 * around carry), not recomputed over the header. A packet that came with a
	 * wrong checksum keeps a wrong one, as a router should leave it.
	 */
	{
		uint32_t c = ip->hdr_checksum + (uint32_t)rte_cpu_to_be_16(0x0100);

		ip->hdr_checksum = (rte_be16_t)(c + (c >= 0xffff));
		ip->time_to_live--;
	}
	if (v & LNS_NH_SESSION) {
		uint32_t slot = v & ~LNS_NH_SESSION;
		struct lns_dp_down d;

		/* Its /32 or a framed route; slots are reused only after a grace period. */
		if (slot >= rt->sessions->n_slots)
			return LNS_V_DROP_NO_ROUTE;
		lns_session_read_down(lns_session_entry(rt->sessions, slot), &d);
		if (d.mode != LNS_SESS_FORWARD)
			return LNS_V_DROP_NO_ROUTE;
		return encap(w, m, slot, &d, LNS_PPP_IP);
	}
	nh = lns_fib_nexthop(rt->fib, v);
	if (nh == NULL)
		return LNS_V_DROP_NO_ROUTE;
	/* A route's gateway MAC is kept in its next hop; only connected hosts are looked up. */
	mw = __atomic_load_n(&nh->mac, __ATOMIC_ACQUIRE);
	if (nh->gw && (mw & LNS_MAC64_VALID)) {
		mw = rte_cpu_to_le_64(mw); /* the address's octets in order, in memory */
		memcpy(&mac, &mw, sizeof(mac));
	} else {
		gw = nh->gw ? nh->gw : ip->dst_addr;
		if (lns_neigh_lookup(rt->neigh, nh->port, AF_INET, &gw, &mac) < 0) {
			/* The control lcore resolves it and sends the packet on (cp/ip_out.c). */
			m->hash.usr = LNS_PUNT_ROUTE;
			return LNS_V_PUNT;
		}
	}
	if (unlikely(rte_pktmbuf_pkt_len(m) > rt->ports[nh->port].mtu)) {
		/* An ICMP error, or fragments each given their Ethernet header (dp/mtu.c). */
		enum lns_verdict f = lns_too_big4(w, m, rt->ports[nh->port].mtu);

		if (f != LNS_V_FRAGS)
			return f;
		for (unsigned i = LNS_FRAGS_START(m->hash.usr); i < w->n_frag; i++) {
			enum lns_verdict e =
				eth_out(rt, w->frag[i], nh->port, &mac, RTE_ETHER_TYPE_IPV4);

			if (e != LNS_V_TX) {
				lns_frags_free(w, m);
				return e;
			}
		}
		return f;
	}
	return eth_out(rt, m, nh->port, &mac, RTE_ETHER_TYPE_IPV4);
}

/* Whether an upstream packet's destination is one of our addresses: only a connected
 * subnet's next hop can lead there, so nothing is looked at for packets going elsewhere. */
static inline bool to_us(const struct lns_runtime *rt, const struct lns_pctx *x)
{
	const struct lns_nexthop *nh;

	if (x->nh == LNS_PCTX_NO_ROUTE || (x->nh & LNS_NH_SESSION))
		return false;
	nh = lns_fib_nexthop(rt->fib, x->nh);
	return nh && nh->gw == 0 && lns_port_has_v4(&rt->ports[nh->port], x->dst);
}

/* An L2TP data message whose session is in slot X->slot (or none). */
static enum lns_verdict upstream(struct lns_worker *w, struct rte_mbuf *m, const struct lns_pctx *x)
{
	struct lns_dp_up s;
	enum lns_verdict v;

	if (x->slot == LNS_SESSION_SLOT_NONE)
		return LNS_V_DROP_L2TP_UNKNOWN_SESSION;
	lns_session_read_up(lns_session_entry(w->rt->sessions, x->slot), &s);
	if (s.mode == LNS_SESS_NONE || s.tid != x->tid || s.sid != x->sid)
		return LNS_V_DROP_L2TP_UNKNOWN_SESSION;
	if (x->inner6 && s.mode == LNS_SESS_FORWARD) {
		v = lns_fwd6_upstream(w, m, x->slot, x, s.mtu); /* dp/fwd6.c */
		if (v == LNS_V_PUNT && m->hash.usr == LNS_PUNT_FRAME) {
			m->l2_len = x->l2_len; /* link-local or multicast: the frame as received */
			m->l3_len = x->l3_len;
		}
		return v;
	}
	if (s.mode == LNS_SESS_PUNT || x->up_v == LNS_V_PUNT) {
		/* PPP is negotiating, or not IP (LCP echo, IPCP, IPv6CP): the control lcore's */
		m->l2_len = x->l2_len;
		m->l3_len = x->l3_len;
		return LNS_V_PUNT;
	}
	if (x->up_v != LNS_V_PENDING)
		return x->up_v; /* malformed */
	{
		rte_be32_t src = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, x->ip_off)
					 ->src_addr;
		uint32_t nh;

		/* Its address, or one in a framed route to it (RFC 2865 5.22: the network
		 * behind the subscriber), as a strict reverse-path check would find. */
		if (src != s.sub_ip &&
		    (!(s.flags & LNS_SESS_F_ROUTES) || lns_fib_lookup(w->rt->fib, src, &nh) < 0 ||
		     nh != (LNS_NH_SESSION | x->slot)))
			return LNS_V_DROP_SPOOFED;
		if (unlikely(s.sub_ip == 0)) /* IPCP is not open (IPv6 only): no IPv4 at all */
			return LNS_V_DROP_SPOOFED;
	}
	if (unlikely(to_us(w->rt, x))) {
		/* For lnsd itself (its gateway address in IPCP, a ping): the frame as received,
		 * through L2TP and PPP on the control lcore (cp/ppp_input.c). */
		m->l2_len = x->l2_len;
		m->l3_len = x->l3_len;
		return LNS_V_PUNT;
	}
	if (likely(m->nb_segs == 1)) {
		/* Classify checked both lengths against the segment: no need to check again. */
		m->data_off += x->ip_off;
		m->data_len = m->pkt_len = x->ip_len;
	} else {
		rte_pktmbuf_adj(m, x->ip_off);
		rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - x->ip_len);
	}
	lns_mss_clamp4(w, m, s.mtu);
	/* Counted when it leaves, or goes to the control lcore to be sent on. */
	v = route4(w, m, x->nh);
	if ((v == LNS_V_TX || v == LNS_V_PUNT || v == LNS_V_FRAGS) &&
	    !lns_session_count_up(w->rt->sessions, x->slot, w->idx, x->ip_len)) {
		struct lns_sess_ctr *c = &w->sctr[x->slot];

		c->up_pkts++;
		c->up_bytes += x->ip_len;
	}
	return v;
}

/* ---- the burst ----------------------------------------------------------------------------- */

/* The FIB's tbl24 entry of DST, to prefetch (rte_lpm's layout is public: rte_lpm.h). */
static inline const void *tbl24_of(const struct lns_fib *f, rte_be32_t dst)
{
	return &f->lpm->tbl24[rte_be_to_cpu_32(dst) >> 8];
}

static inline void prefetch_tbl8(const struct lns_fib *f, rte_be32_t dst)
{
	uint32_t ip = rte_be_to_cpu_32(dst);
	uint32_t e;

	memcpy(&e, &f->lpm->tbl24[ip >> 8], sizeof(e)); /* as rte_lpm_lookup() reads it */

	if ((e & RTE_LPM_VALID_EXT_ENTRY_BITMASK) == RTE_LPM_VALID_EXT_ENTRY_BITMASK) {
		rte_prefetch0(&f->lpm->tbl8[(uint8_t)ip +
					    (e & 0x00ffffff) * RTE_LPM_TBL8_GROUP_NUM_ENTRIES]);
	} else if ((e & RTE_LPM_LOOKUP_SUCCESS) && (e & LNS_NH_POOL)) {
		const uint32_t *w = lns_fib_pool_word(f, e & 0x00ffffff, dst);

		if (w) /* a pool's address: the word with its session's slot */
			rte_prefetch0(w);
	}
}

/* The FIB's answer for C's destination; for a session, prefetch its downstream line and
 * counter row. */
static __rte_always_inline void route_lookup(struct lns_worker *w, struct lns_pctx *c)
{
	if (lns_fib_lookup(w->rt->fib, c->dst, &c->nh) < 0) {
		c->nh = LNS_PCTX_NO_ROUTE;
	} else if (c->nh & LNS_NH_SESSION) {
		uint32_t slot = c->nh & ~LNS_NH_SESSION;

		/* Non-temporal when the table outgrows the L3: a million sessions' lines passing
		 * through would push the pool words and the FIB's tables out of it (measured: 4-5
		 * cycles a packet downstream at 1M, but 3 worse at 64k, where the table fits;
		 * upstream's entry: no change). */
		lns_session_prefetch_down(w->rt->sessions, slot, &w->sctr[slot], w->rt->sess_nta);
	}
}

void lns_process_burst(struct lns_worker *w, const struct lns_port *p, struct rte_mbuf **pkts,
		       uint16_t n, uint8_t *verdicts)
{
	const struct lns_runtime *rt = w->rt;
	const struct lns_fib *fib = rt->fib;
	struct lns_pctx x[n];
	uint16_t fast[n], n_fast = 0, n6 = 0;
	const struct lns_burst b = lns_burst_of(rt);

	/* 1: parse (classify finds an upstream packet's slot); the tbl24 entry. */
	for (uint16_t i = 0; i < n; i++) {
		x[i].kind = 0;
		verdicts[i] = (uint8_t)lns_classify(&b, p, pkts[i], &x[i]);
		if (verdicts[i] != LNS_V_PENDING)
			continue;
		if (x[i].kind == LNS_PK_UP && rt->handoff) {
			unsigned o = lns_session_owner(x[i].tid, x[i].sid, rt->n_workers);

			if (o != w->idx) {
				verdicts[i] = LNS_V_HANDOFF;
				pkts[i]->hash.usr = o;
				continue;
			}
		}
		fast[n_fast++] = i;
		if (x[i].kind == LNS_PK_ROUTE ||
		    (x[i].kind == LNS_PK_UP && x[i].up_v == LNS_V_PENDING))
			rte_prefetch0(tbl24_of(fib, x[i].dst));
		else
			n6 += x[i].kind == LNS_PK_ROUTE6 || x[i].inner6;
	}
	/* 2: upstream's session entry (read, and written by its counters), so that its line
	 * comes while the rest is done; the FIB's tbl8 entry or pool word. */
	for (uint16_t k = 0; k < n_fast; k++) {
		struct lns_pctx *c = &x[fast[k]];

		if (c->kind == LNS_PK_UP && c->slot != LNS_SESSION_SLOT_NONE)
			rte_prefetch0_write(&b.sess[c->slot]);
		if (c->kind == LNS_PK_ROUTE || (c->kind == LNS_PK_UP && c->up_v == LNS_V_PENDING))
			prefetch_tbl8(fib, c->dst);
	}
	/* 3: the route (downstream): an entry and a counter row, from DRAM at a million
	 * sessions, so as far ahead of their use as can be. (Upstream asked for its entry
	 * in 2.) */
	for (uint16_t k = 0; k < n_fast; k++) {
		struct lns_pctx *c = &x[fast[k]];

		if (c->kind == LNS_PK_ROUTE)
			route_lookup(w, c);
	}
	/* 3b: IPv6's, all the burst's at once (dp/fwd6.c), and a downstream session's lines. */
	if (n6)
		lns_fwd6_lookups(w, pkts, x, fast, n_fast);
	/* 4: upstream's route (a hairpin's session entry and counters). */
	for (uint16_t k = 0; k < n_fast; k++) {
		struct lns_pctx *c = &x[fast[k]];

		if (c->kind != LNS_PK_UP || c->inner6)
			continue;
		c->nh = LNS_PCTX_NO_ROUTE;
		if (c->up_v == LNS_V_PENDING)
			route_lookup(w, c);
	}
	/* 5: the work. */
	for (uint16_t k = 0; k < n_fast; k++) {
		uint16_t i = fast[k];

		if (x[i].kind == LNS_PK_UP)
			verdicts[i] = (uint8_t)upstream(w, pkts[i], &x[i]);
		else if (x[i].kind == LNS_PK_ROUTE6)
			verdicts[i] = (uint8_t)lns_route6(w, pkts[i], x[i].nh);
		else
			verdicts[i] = (uint8_t)route4(w, pkts[i], x[i].nh);
	}
}

/* The L3's size as the kernel reports it (sysfs: "32768K"); glibc's sysconf() reports the
 * host's in some virtual machines, DPDK none. 0 when unknown. */
static size_t l3_bytes(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/cpu0/cache/index3/size", "r");
	unsigned long v = 0;
	char unit = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu%c", &v, &unit) < 1)
		v = 0;
	fclose(f);
	return unit == 'K' ? v << 10 : unit == 'M' ? v << 20 : v;
}

bool lns_sess_nta(uint32_t n_slots, unsigned n_workers)
{
	size_t l3 = l3_bytes(), table = (size_t)n_slots * (sizeof(struct lns_dp_session) +
							   n_workers * sizeof(struct lns_sess_ctr));

	if (l3 == 0)
		l3 = 32u << 20; /* not said: a server's */
	return table > l3 / 2;
}

void lns_sess_ctr_sum(const struct lns_runtime *rt, uint32_t slot, struct lns_sess_ctr *out)
{
	memset(out, 0, sizeof(*out));
	if (slot >= rt->n_slots)
		return;
	for (unsigned w = 0; w < rt->n_workers; w++) {
		const struct lns_sess_ctr *c = &rt->sess_ctr[(size_t)w * rt->n_slots + slot];

		out->up_pkts += c->up_pkts;
		out->up_bytes += c->up_bytes;
		out->down_pkts += c->down_pkts;
		out->down_bytes += c->down_bytes;
	}
	{
		const struct lns_dp_session *e = lns_session_entry(rt->sessions, slot);

		out->up_pkts += __atomic_load_n(&e->up_pkts, __ATOMIC_RELAXED);
		out->up_bytes += __atomic_load_n(&e->up_bytes, __ATOMIC_RELAXED);
	}
}
