/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Classify stage. Runs on worker lcores; reads only the port's read-only
 * description. Decides whether a frame is for the control lcore (ARP, traffic
 * to one of our addresses, IPv6 neighbour discovery multicast) or dropped, and
 * why. Fast-path data verdicts join here as the data plane grows.
 *
 * Every length is checked against the frame before it is read.
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_udp.h>

#include "dp/classify.h"
#include "dp/dp.h"
#include "dp/session.h"

bool lns_port_has_v6(const struct lns_port *p, const uint8_t a[16])
{
	for (unsigned i = 0; i < p->n_v6; i++)
		if (memcmp(p->v6[i], a, 16) == 0)
			return true;
	return false;
}

/*
 * IPv6 multicast we take part in: all-nodes (ff02::1) and the solicited-node
 * group (ff02::1:ffXX:XXXX, RFC 4291 section 2.7.1) of each of our addresses.
 */
static bool v6_our_multicast(const struct lns_port *p, const uint8_t a[16])
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
	static const uint8_t sn_prefix[13] = {0xff, 0x02, [11] = 1, [12] = 0xff};

	if (memcmp(a, all_nodes, 16) == 0)
		return true;
	if (memcmp(a, sn_prefix, 13) != 0)
		return false;
	for (unsigned i = 0; i < p->n_v6; i++)
		if (memcmp(&p->v6[i][13], &a[13], 3) == 0)
			return true;
	return false;
}

/*
 * What a forwarding session would do with an L2TP data message's payload
 * (RFC 2661 section 3.1 header at off: the optional fields; RFC 1662 PPP:
 * Address and Control may be absent, Protocol may be one octet). Decided
 * before the session is known, so that the session's lookup can be started
 * for the whole burst at once: LNS_V_PENDING for IPv4 to route (x->ip_off,
 * ip_len, dst set), LNS_V_PUNT for other protocols (IPv6: x->inner6 and
 * ip_off set), or a drop.
 */
static enum lns_verdict parse_up(const struct rte_mbuf *m, uint32_t off, struct lns_pctx *x)
{
	uint32_t end = rte_pktmbuf_data_len(m), pos;
	const uint8_t *b = rte_pktmbuf_mtod(m, const uint8_t *);
	const struct rte_ipv4_hdr *ip;
	uint16_t flags, proto;
	uint32_t ihl, tot;

	x->inner6 = 0;
	flags = (uint16_t)(b[off] << 8 | b[off + 1]);
	/* What nearly every LAC sends: no optional field, ff 03, IPv4. One compare. */
	if (likely(flags == 0x0002 && off + 10 + sizeof(*ip) <= end)) {
		uint32_t ppp;

		memcpy(&ppp, b + off + 6, sizeof(ppp));
		if (likely(ppp == RTE_BE32(0xff030021))) {
			pos = off + 10;
			goto ipv4;
		}
	}
	pos = off + 2 + ((flags & 0x4000) ? 2 : 0) + 4 + ((flags & 0x0800) ? 4 : 0);
	if (flags & 0x0200) {
		if (pos + 2 > end)
			return LNS_V_DROP_L2TP_MALFORMED;
		pos += 2u + (uint32_t)(b[pos] << 8 | b[pos + 1]);
	}
	if (pos + 2 <= end && b[pos] == 0xff && b[pos + 1] == 0x03)
		pos += 2;
	if (pos + 1 > end)
		return LNS_V_DROP_L2TP_MALFORMED;
	if (b[pos] & 1) {
		proto = b[pos];
		pos += 1;
	} else {
		if (pos + 2 > end)
			return LNS_V_DROP_L2TP_MALFORMED;
		proto = (uint16_t)(b[pos] << 8 | b[pos + 1]);
		pos += 2;
	}
	if (proto == LNS_PPP_IPV6) {
		x->inner6 = 1;
		/* IPv6: what becomes of it depends on the session (dp/fwd.c upstream(),
		 * dp/fwd6.c); punted while PPP negotiates, as other protocols are. */
		x->ip_off = (uint16_t)pos;
		return LNS_V_PUNT;
	}
	if (proto != LNS_PPP_IP)
		return LNS_V_PUNT;
	if (pos + sizeof(*ip) > end)
		return LNS_V_DROP_BAD_IP;
ipv4:
	ip = (const struct rte_ipv4_hdr *)(b + pos);
	ihl = (ip->version_ihl & 0x0f) * 4u;
	tot = rte_be_to_cpu_16(ip->total_length);
	if ((ip->version_ihl >> 4) != 4 || ihl < sizeof(*ip) || tot < ihl ||
	    pos + tot > rte_pktmbuf_pkt_len(m) || pos + ihl > end)
		return LNS_V_DROP_BAD_IP;
	x->ip_off = (uint16_t)pos;
	x->ip_len = (uint16_t)tot;
	x->dst = ip->dst_addr;
	return LNS_V_PENDING;
}

/*
 * UDP to our L2TP port. Control messages (T=1) go to the control lcore; data
 * messages are parsed here and their session is looked up in the later
 * stages (dp/fwd.c): dropped when it does not exist, punted while PPP
 * negotiates (RFC 2661 section 3.1 header: the T bit and version in the first
 * two octets, the IDs after the optional Length field).
 */
static enum lns_verdict classify_l2tp(const struct lns_burst *b, struct rte_mbuf *m, uint32_t off,
				      struct lns_pctx *x)
{
	const uint8_t *l2;
	uint32_t ids;
	uint16_t flags;

	if (rte_pktmbuf_data_len(m) < off + 8 + 6)
		return LNS_V_DROP_L2TP_MALFORMED;
	l2 = rte_pktmbuf_mtod_offset(m, const uint8_t *, off + 8);
	flags = (uint16_t)(l2[0] << 8 | l2[1]);
	if ((flags & 0x000f) != 2)
		return LNS_V_PUNT; /* the control lcore counts other versions */
	if (flags & 0x8000)
		return LNS_V_PUNT;      /* control message */
	ids = (flags & 0x4000) ? 4 : 2; /* after the Length field, if any */
	if (rte_pktmbuf_data_len(m) < off + 8 + ids + 4)
		return LNS_V_DROP_L2TP_MALFORMED; /* the IDs cut short (the Length field's room) */
	x->kind = LNS_PK_UP;
	x->tid = (uint16_t)(l2[ids] << 8 | l2[ids + 1]);
	x->sid = (uint16_t)(l2[ids + 2] << 8 | l2[ids + 3]);
	/* The entry's line (from DRAM at a million sessions) is asked for by the burst's next
	 * stage (dp/fwd.c), once every packet's header is in. */
	x->slot = lns_session_slot_in(b->tun_base, b->n_slots, x->tid, x->sid);
	x->up_v = (uint8_t)parse_up(m, off + 8, x);
	return LNS_V_PENDING;
}

static enum lns_verdict classify_v4(const struct lns_burst *b, const struct lns_port *p,
				    struct rte_mbuf *m, uint32_t off, struct lns_pctx *x)
{
	const struct rte_ipv4_hdr *ip;
	uint32_t ihl, tot;

	if (rte_pktmbuf_data_len(m) < off + sizeof(*ip))
		return LNS_V_DROP_BAD_IP;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, off);
	ihl = (ip->version_ihl & 0x0f) * 4u;
	tot = rte_be_to_cpu_16(ip->total_length);
	if ((ip->version_ihl >> 4) != 4 || ihl < sizeof(*ip) || tot < ihl ||
	    off + tot > rte_pktmbuf_pkt_len(m) || off + ihl > rte_pktmbuf_data_len(m))
		return LNS_V_DROP_BAD_IP;
	if (!lns_port_has_v4(p, ip->dst_addr)) {
		/* Not ours: routed, when it was sent to our MAC and is unicast. */
		const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

		uint8_t first = (uint8_t)(rte_be_to_cpu_32(ip->dst_addr) >> 24);

		/* Not to our MAC, or to 0/8, 127/8, multicast or class E: never routed. */
		if (!rte_is_same_ether_addr(&eth->dst_addr, &p->mac) || first == 0 ||
		    first == 127 || first >= 224)
			return LNS_V_DROP_NOT_FOR_US;
		if (likely(m->nb_segs == 1)) {
			/* Both lengths checked against the segment above. */
			m->data_off += (uint16_t)off;
			m->data_len = (uint16_t)tot;
			m->pkt_len = tot;
		} else {
			rte_pktmbuf_adj(m, (uint16_t)off);
			rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - tot);
		}
		x->kind = LNS_PK_ROUTE;
		x->dst = ip->dst_addr;
		return LNS_V_PENDING;
	}
	x->l3_len = (uint8_t)ihl;
	if (ip->next_proto_id == IPPROTO_UDP && !(ip->fragment_offset & RTE_BE16(0x3fff))) {
		const struct rte_udp_hdr *udp;

		if (rte_pktmbuf_data_len(m) < off + ihl + sizeof(*udp))
			return LNS_V_DROP_BAD_IP;
		udp = rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, off + ihl);
		if (udp->dst_port == b->l2tp_port)
			return classify_l2tp(b, m, off + ihl, x);
	}
	return LNS_V_PUNT;
}

static enum lns_verdict classify_v6(const struct lns_port *p, struct rte_mbuf *m, uint32_t off,
				    struct lns_pctx *x)
{
	const struct rte_ipv6_hdr *ip;

	if (rte_pktmbuf_data_len(m) < off + sizeof(*ip))
		return LNS_V_DROP_BAD_IP;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, off);
	if ((rte_be_to_cpu_32(ip->vtc_flow) >> 28) != 6 ||
	    off + sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len) > rte_pktmbuf_pkt_len(m))
		return LNS_V_DROP_BAD_IP;
	if (!lns_port_has_v6(p, ip->dst_addr) && !v6_our_multicast(p, ip->dst_addr))
		return lns_fwd6_transit(p, m, off, x); /* routed, or not for us (dp/fwd6.c) */
	x->l3_len = sizeof(*ip);
	return LNS_V_PUNT;
}

enum lns_verdict lns_classify_checked(const struct lns_burst *b, const struct lns_port *p,
				      struct rte_mbuf *m, struct lns_pctx *x)
{
	const struct rte_ether_hdr *eth;
	uint32_t off = sizeof(*eth);
	enum lns_verdict v;
	uint16_t type;

	m->hash.usr = LNS_PUNT_FRAME;
	if (rte_pktmbuf_data_len(m) < sizeof(*eth))
		return LNS_V_DROP_RUNT;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	type = eth->ether_type;
	if (type == RTE_BE16(RTE_ETHER_TYPE_VLAN)) {
		const struct rte_vlan_hdr *vh;

		if (rte_pktmbuf_data_len(m) < off + sizeof(*vh))
			return LNS_V_DROP_RUNT;
		vh = rte_pktmbuf_mtod_offset(m, const struct rte_vlan_hdr *, off);
		if (p->vlan < 0 || (rte_be_to_cpu_16(vh->vlan_tci) & 0x0fff) != p->vlan)
			return LNS_V_DROP_BAD_VLAN;
		type = vh->eth_proto;
		off += sizeof(*vh);
	} else if (p->vlan >= 0) {
		return LNS_V_DROP_BAD_VLAN;
	}
	x->l2_len = (uint8_t)off;
	x->l3_len = 0;

	switch (type) {
	case RTE_BE16(RTE_ETHER_TYPE_ARP):
		v = LNS_V_PUNT; /* the control lcore checks the target */
		break;
	case RTE_BE16(RTE_ETHER_TYPE_IPV4):
		v = classify_v4(b, p, m, off, x);
		break;
	case RTE_BE16(RTE_ETHER_TYPE_IPV6):
		v = classify_v6(p, m, off, x);
		break;
	default:
		return LNS_V_DROP_UNKNOWN_ETHERTYPE;
	}
	/* The mbuf's second cache line only for what the control lcore gets. */
	if (v == LNS_V_PUNT) {
		m->l2_len = x->l2_len;
		m->l3_len = x->l3_len;
	}
	return v;
}

/*
 * The frame nearly every upstream packet is: Ethernet with the port's VLAN tag
 * if it has one, IPv4 without options to the port's first address, not a
 * fragment, UDP to our L2TP port, an L2TP data header without optional fields
 * (flags 0x0002), PPP ff 03 0021, IPv4 without options. Its fixed octets are
 * compared with the port's template under a mask, eight at a time: what the
 * checks above conclude for such a frame, field for field, in a few
 * instructions (tests/packet/test_worker.c compares the two on mutated
 * frames). Any other frame takes the checks. Written by hand: matching a
 * frame against a template is no library's.
 *
 * Template offsets, from the frame's octet 12 (I: where the outer IPv4 header
 * starts, l2 - 12): the EtherType (or TPID, TCI and EtherType), then in the
 * outer header version/IHL (I), flags and fragment offset (I + 6, 7), protocol
 * (I + 9), destination (I + 16..19); the UDP destination port (I + 22, 23);
 * the L2TP flags (I + 28, 29); PPP (I + 34..37); the inner version/IHL (I + 38).
 */

void lns_port_up_template(struct lns_port *p, rte_be16_t l2tp_port)
{
	uint8_t v[LNS_UP_T_LEN] = {0}, k[LNS_UP_T_LEN] = {0};
	unsigned i;

	p->up_l2 = 0;
	if (p->n_v4 == 0 || l2tp_port == 0)
		return;
	if (p->vlan >= 0) {
		v[0] = 0x81, k[0] = 0xff; /* TPID 0x8100 */
		v[1] = 0x00, k[1] = 0xff;
		v[2] = (uint8_t)(p->vlan >> 8), k[2] = 0x0f; /* the VLAN ID, not the priority */
		v[3] = (uint8_t)p->vlan, k[3] = 0xff;
		i = 4;
	} else {
		i = 0;
	}
	v[i] = 0x08, k[i] = 0xff; /* IPv4 */
	v[i + 1] = 0x00, k[i + 1] = 0xff;
	i += 2;
	v[i] = 0x45, k[i] = 0xff;
	k[i + 6] = 0x3f, k[i + 7] = 0xff; /* MF and the offset clear: not a fragment */
	v[i + 9] = IPPROTO_UDP, k[i + 9] = 0xff;
	memcpy(&v[i + 16], &p->v4[0], 4);
	memset(&k[i + 16], 0xff, 4);
	memcpy(&v[i + 22], &l2tp_port, 2);
	memset(&k[i + 22], 0xff, 2);
	v[i + 28] = 0x00, k[i + 28] = 0xff; /* L2TP: no T, L, S, O or P bit, version 2 */
	v[i + 29] = 0x02, k[i + 29] = 0xff;
	v[i + 34] = 0xff, v[i + 35] = 0x03, v[i + 36] = 0x00, v[i + 37] = 0x21;
	memset(&k[i + 34], 0xff, 4);
	v[i + 38] = 0x45, k[i + 38] = 0xff;
	RTE_BUILD_BUG_ON(sizeof(p->up_val) != LNS_UP_T_LEN);
	memcpy(p->up_val, v, LNS_UP_T_LEN);
	memcpy(p->up_mask, k, LNS_UP_T_LEN);
	p->up_l2 = (uint8_t)(12 + i);
}

/*
 * IPv4 to route, as classify_v4() forwards it: to our MAC, with the port's tag
 * if it has one, IPv4 without options (octets 0..23 of the frame: the MAC, then
 * from 12 on the EtherType or the tag and EtherType, and version/IHL).
 */
void lns_port_rt_template(struct lns_port *p)
{
	uint8_t v[24] = {0}, k[24] = {0};
	unsigned i = 12;

	memcpy(v, p->mac.addr_bytes, 6);
	memset(k, 0xff, 6);
	if (p->vlan >= 0) {
		v[12] = 0x81, v[13] = 0x00, k[12] = k[13] = 0xff;
		v[14] = (uint8_t)(p->vlan >> 8), k[14] = 0x0f;
		v[15] = (uint8_t)p->vlan, k[15] = 0xff;
		i = 16;
	}
	v[i] = 0x08, v[i + 1] = 0x00, k[i] = k[i + 1] = 0xff;
	v[i + 2] = 0x45, k[i + 2] = 0xff;
	RTE_BUILD_BUG_ON(sizeof(p->rt_val) != sizeof(v));
	memcpy(p->rt_val, v, sizeof(v));
	memcpy(p->rt_mask, k, sizeof(k));
	p->rt_l2 = (uint8_t)(i + 2);
}

/* IPv4 to route that matches P's template: what classify_v4() concludes of it, else the
 * checks. */
enum lns_verdict lns_classify_routed(const struct lns_burst *b, const struct lns_port *p,
				     struct rte_mbuf *m, struct lns_pctx *x)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t l2 = p->rt_l2;
	uint64_t diff = 0;
	rte_be32_t dst;
	uint16_t tot;
	uint8_t first;

	if (l2 == 0 || rte_pktmbuf_data_len(m) < l2 + 20 || m->nb_segs != 1)
		return lns_classify_checked(b, p, m, x);
	for (unsigned k = 0; k < 3; k++) {
		uint64_t v;

		memcpy(&v, d + 8 * k, sizeof(v));
		diff |= (v ^ p->rt_val[k]) & p->rt_mask[k];
	}
	tot = lns_be16_at(d + l2 + 2);
	first = d[l2 + 16];
	memcpy(&dst, d + l2 + 16, sizeof(dst));
	/* not 0/8, 127/8, multicast or class E; none of the port's addresses */
	if (diff != 0 || tot < 20 || l2 + tot > rte_pktmbuf_pkt_len(m) || first == 0 ||
	    first == 127 || first >= 224 || lns_port_has_v4(p, dst))
		return lns_classify_checked(b, p, m, x);
	m->hash.usr = LNS_PUNT_FRAME;
	m->data_off += (uint16_t)l2;
	m->data_len = tot;
	m->pkt_len = tot;
	x->kind = LNS_PK_ROUTE;
	x->dst = dst;
	x->l2_len = (uint8_t)l2;
	x->l3_len = 0;
	return LNS_V_PENDING;
}
