/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 neighbour discovery (RFC 4861) and ICMPv6 echo (RFC 4443) for the
 * appliance's own addresses. Main lcore only; writes the neighbour table
 * through resolve.c.
 *
 *  Neighbour Solicitation / Advertisement (RFC 4861 sections 4.3, 4.4):
 *  +-------+-------+---------------+
 *  | type  | code  |   checksum    |   type 135 NS, 136 NA
 *  +-------+-------+---------------+
 *  |R|S|O|       reserved          |   flags: NA only
 *  +-------------------------------+
 *  |      target address (16)      |
 *  +-------------------------------+
 *  | options: type 1 source / 2 target link-layer address, len in 8 octets
 */
#include <string.h>
#include <sys/socket.h>

#include <rte_ip.h>

#include "cp/cp.h"

/* RFC 4443 / RFC 4861 numbers */
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136
#define ND_OPT_SOURCE_LLADDR 1
#define ND_OPT_TARGET_LLADDR 2
#define ND_NA_FLAG_ROUTER 0x80
#define ND_NA_FLAG_SOLICITED 0x40
#define ND_NA_FLAG_OVERRIDE 0x20

struct icmp6_hdr {
	uint8_t type;
	uint8_t code;
	rte_be16_t cksum;
} __rte_packed;

struct nd_msg {
	struct icmp6_hdr h;
	uint8_t flags; /* NA: R, S, O; NS: reserved */
	uint8_t reserved[3];
	uint8_t target[16];
} __rte_packed;

struct nd_opt_lla {
	uint8_t type;
	uint8_t len; /* 1: 8 octets */
	uint8_t mac[RTE_ETHER_ADDR_LEN];
};

static const uint8_t in6_unspecified[16];

static bool is_multicast(const uint8_t a[16])
{
	return a[0] == 0xff;
}

/* Our address on PORT in the same prefix as A, else the first one. */
static const uint8_t *src_for(const struct lns_port *p, const uint8_t a[16])
{
	for (unsigned i = 0; i < p->n_v6; i++) {
		unsigned plen = p->v6_plen[i], full = plen / 8, rest = plen % 8;

		if (memcmp(p->v6[i], a, full) == 0 &&
		    (rest == 0 || ((p->v6[i][full] ^ a[full]) & (0xff << (8 - rest))) == 0))
			return p->v6[i];
	}
	return p->n_v6 ? p->v6[0] : in6_unspecified;
}

/* Find a link-layer address option of TYPE; options must be well formed. */
static int find_lla(const uint8_t *opt, size_t len, uint8_t type, struct rte_ether_addr *mac,
		    bool *found)
{
	*found = false;
	while (len > 0) {
		size_t olen;

		if (len < 2 || opt[1] == 0)
			return -1; /* RFC 4861 section 4.6: length 0 is invalid */
		olen = opt[1] * 8u;
		if (olen > len)
			return -1;
		if (opt[0] == type && olen >= 8) {
			memcpy(mac, opt + 2, 6);
			*found = true;
		}
		opt += olen;
		len -= olen;
	}
	return 0;
}

static struct rte_ipv6_hdr *new_icmp6(struct lns_cp *cp, unsigned port,
				      const struct rte_ether_addr *dmac, const uint8_t *src,
				      const uint8_t *dst, uint16_t len, struct rte_mbuf **mp)
{
	struct rte_ipv6_hdr *ip;

	*mp = cp_new_frame(cp, port, dmac, RTE_ETHER_TYPE_IPV6, sizeof(*ip) + len, (void **)&ip);
	if (*mp == NULL)
		return NULL;
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(len);
	ip->proto = IPPROTO_ICMPV6;
	ip->hop_limits = 255;
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, dst, 16);
	return ip;
}

static void send_na(struct lns_cp *cp, unsigned port, const struct rte_ether_addr *dmac,
		    const uint8_t *dst, const uint8_t *target, bool solicited)
{
	const struct lns_port *p = &cp->rt->ports[port];
	struct rte_ipv6_hdr *ip;
	struct nd_msg *na;
	struct nd_opt_lla *o;
	struct rte_mbuf *m;

	ip = new_icmp6(cp, port, dmac, target, dst, sizeof(*na) + sizeof(*o), &m);
	if (ip == NULL)
		return;
	na = (struct nd_msg *)(ip + 1);
	memset(na, 0, sizeof(*na));
	na->h.type = ND_NEIGHBOR_ADVERT;
	na->flags = ND_NA_FLAG_OVERRIDE | (solicited ? ND_NA_FLAG_SOLICITED : 0);
	memcpy(na->target, target, 16);
	o = (struct nd_opt_lla *)(na + 1);
	o->type = ND_OPT_TARGET_LLADDR;
	o->len = 1;
	memcpy(o->mac, p->mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	na->h.cksum = rte_ipv6_udptcp_cksum(ip, na);
	if (cp_tx(cp, port, m) == 0)
		cp->c.na_out++;
}

/* Solicit ADDR: multicast to its solicited-node group, or unicast to MAC. */
void cp_nd_probe(struct lns_cp *cp, unsigned port, const uint8_t addr[16], bool unicast,
		 const struct rte_ether_addr *mac)
{
	const struct lns_port *p = &cp->rt->ports[port];
	uint8_t dst[16] = {0xff, 0x02, [11] = 1, [12] = 0xff};
	struct rte_ether_addr dmac = {{0x33, 0x33, 0xff, addr[13], addr[14], addr[15]}};
	struct rte_ipv6_hdr *ip;
	struct nd_msg *ns;
	struct nd_opt_lla *o;
	struct rte_mbuf *m;

	if (unicast) {
		memcpy(dst, addr, 16);
		dmac = *mac;
	} else {
		memcpy(&dst[13], &addr[13], 3);
	}
	ip = new_icmp6(cp, port, &dmac, src_for(p, addr), dst, sizeof(*ns) + sizeof(*o), &m);
	if (ip == NULL)
		return;
	ns = (struct nd_msg *)(ip + 1);
	memset(ns, 0, sizeof(*ns));
	ns->h.type = ND_NEIGHBOR_SOLICIT;
	memcpy(ns->target, addr, 16);
	o = (struct nd_opt_lla *)(ns + 1);
	o->type = ND_OPT_SOURCE_LLADDR;
	o->len = 1;
	memcpy(o->mac, p->mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	ns->h.cksum = rte_ipv6_udptcp_cksum(ip, ns);
	if (cp_tx(cp, port, m) == 0)
		cp->c.ns_out++;
}

static void nd_input(struct lns_cp *cp, unsigned port, struct rte_mbuf *m, struct rte_ipv6_hdr *ip,
		     uint16_t len)
{
	const struct lns_port *p = &cp->rt->ports[port];
	struct nd_msg *nd = (struct nd_msg *)(ip + 1);
	struct rte_ether_addr lla;
	bool has_lla;

	cp->c.nd_in++;
	/* RFC 4861 sections 7.1.1 and 7.1.2: validity checks. */
	if (ip->hop_limits != 255 || nd->h.code != 0 || len < sizeof(*nd) ||
	    is_multicast(nd->target) ||
	    find_lla((uint8_t *)(nd + 1), len - sizeof(*nd),
		     nd->h.type == ND_NEIGHBOR_SOLICIT ? ND_OPT_SOURCE_LLADDR : ND_OPT_TARGET_LLADDR,
		     &lla, &has_lla) < 0) {
		cp->c.drop_malformed++;
		return;
	}
	if (nd->h.type == ND_NEIGHBOR_ADVERT) {
		if (has_lla)
			cp_neigh_learn(cp, port, AF_INET6, nd->target, &lla, false);
		return;
	}
	/* Solicitation: only for our addresses. */
	if (!lns_port_has_v6(p, nd->target)) {
		cp->c.drop_not_for_us++;
		return;
	}
	if (memcmp(ip->src_addr, in6_unspecified, 16) == 0) {
		/* Duplicate address detection: answer all nodes, not solicited. */
		static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
		static const struct rte_ether_addr all_nodes_mac = {{0x33, 0x33, 0, 0, 0, 1}};

		if (has_lla) {
			cp->c.drop_malformed++; /* RFC 4861 section 7.1.1 */
			return;
		}
		send_na(cp, port, &all_nodes_mac, all_nodes, nd->target, false);
		return;
	}
	if (has_lla)
		cp_neigh_learn(cp, port, AF_INET6, ip->src_addr, &lla, true);
	else /* a unicast probe (section 7.2.2) carries none: answer its sender */
		lla = rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->src_addr;
	send_na(cp, port, &lla, ip->src_addr, nd->target, true);
}

static void echo_input(struct lns_cp *cp, unsigned port, struct rte_mbuf *m,
		       struct rte_ipv6_hdr *ip, uint16_t len)
{
	const struct lns_port *p = &cp->rt->ports[port];
	struct icmp6_hdr *h = (struct icmp6_hdr *)(ip + 1);
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	uint8_t a[16];

	cp->c.icmp6_echo_in++;
	if (is_multicast(ip->dst_addr) || h->code != 0 || len < 8) {
		cp->c.drop_unhandled++;
		rte_pktmbuf_free(m);
		return;
	}
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - (m->l2_len + sizeof(*ip) + len));
	rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(&p->mac, &eth->src_addr);
	memcpy(a, ip->src_addr, 16);
	memcpy(ip->src_addr, ip->dst_addr, 16);
	memcpy(ip->dst_addr, a, 16);
	ip->hop_limits = 64;
	h->type = ICMP6_ECHO_REPLY;
	h->cksum = 0;
	h->cksum = rte_ipv6_udptcp_cksum(ip, h);
	if (cp_tx(cp, port, m) == 0)
		cp->c.icmp6_echo_reply_out++;
}

void cp_ipv6_input(struct lns_cp *cp, unsigned port, struct rte_mbuf *m)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, m->l2_len);
	uint16_t len = rte_be_to_cpu_16(ip->payload_len);
	struct icmp6_hdr *h = (struct icmp6_hdr *)(ip + 1);

	/* The worker checked the header and payload length against the packet. */
	if (rte_pktmbuf_data_len(m) < m->l2_len + sizeof(*ip) + len) {
		cp->c.drop_malformed++;
		goto free;
	}
	if (ip->proto != IPPROTO_ICMPV6) {
		cp->c.drop_unhandled++; /* extension headers, L2TP over IPv6: later */
		goto free;
	}
	if (len < sizeof(*h)) {
		cp->c.drop_malformed++;
		goto free;
	}
	if (__rte_raw_cksum_reduce(__rte_raw_cksum(h, len, rte_ipv6_phdr_cksum(ip, 0))) != 0xffff) {
		cp->c.drop_bad_checksum++;
		goto free;
	}
	switch (h->type) {
	case ICMP6_ECHO_REQUEST:
		echo_input(cp, port, m, ip, len);
		return;
	case ND_NEIGHBOR_SOLICIT:
	case ND_NEIGHBOR_ADVERT:
		nd_input(cp, port, m, ip, len);
		break;
	default:
		cp->c.drop_unhandled++; /* router discovery, MLD: not served */
	}
free:
	rte_pktmbuf_free(m);
}
