/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ARP (RFC 826) and ICMP echo (RFC 792) for the appliance's own IPv4
 * addresses. Main lcore only; writes the neighbour table through resolve.c.
 *
 *  ARP over Ethernet (RFC 826):
 *   0                   1                   2                   3
 *  +-------------------------------+-------------------------------+
 *  |  hardware type (1)            |  protocol type (0x0800)       |
 *  +---------------+---------------+-------------------------------+
 *  | hlen (6)      | plen (4)      |  operation (1 req, 2 reply)   |
 *  +---------------+---------------+-------------------------------+
 *  |  sender MAC (6) | sender IPv4 (4) | target MAC (6) | target IPv4 (4)
 */
#include <string.h>
#include <sys/socket.h>

#include <rte_arp.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "cp/cp.h"
#include "cp/icmp_err.h"

/* Our IPv4 address on PORT in the same subnet as A, else the first one, else 0. */
static rte_be32_t src_for(const struct lns_port *p, rte_be32_t a)
{
	for (unsigned i = 0; i < p->n_v4; i++) {
		uint32_t mask = p->v4_plen[i] ? ~0u << (32 - p->v4_plen[i]) : 0;

		if (((rte_be_to_cpu_32(p->v4[i]) ^ rte_be_to_cpu_32(a)) & mask) == 0)
			return p->v4[i];
	}
	return p->n_v4 ? p->v4[0] : 0;
}

void cp_arp_input(struct lns_cp *cp, unsigned port, struct rte_mbuf *m)
{
	const struct lns_port *p = &cp->rt->ports[port];
	struct rte_arp_hdr *arp;
	struct rte_ether_hdr *eth;
	rte_be32_t sip, tip;
	bool for_us;

	cp->c.arp_in++;
	if (rte_pktmbuf_data_len(m) < m->l2_len + sizeof(*arp))
		goto malformed;
	arp = rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, m->l2_len);
	if (arp->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) || arp->arp_hlen != 6 ||
	    arp->arp_plen != 4)
		goto malformed;
	sip = arp->arp_data.arp_sip;
	tip = arp->arp_data.arp_tip;
	if (rte_is_multicast_ether_addr(&arp->arp_data.arp_sha) || sip == 0)
		goto unhandled; /* probes (RFC 5227) and nonsense teach us nothing */

	/* RFC 826 merge: update a known sender; add it when we are the target. */
	for_us = lns_port_has_v4(p, tip);
	cp_neigh_learn(cp, port, AF_INET, &sip, &arp->arp_data.arp_sha, for_us);
	if (arp->arp_opcode != RTE_BE16(RTE_ARP_OP_REQUEST))
		goto done;
	if (!for_us) {
		cp->c.drop_not_for_us++;
		goto done;
	}

	/* Turn the request into the reply in place. */
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(&p->mac, &eth->src_addr);
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	arp->arp_data.arp_tha = arp->arp_data.arp_sha;
	arp->arp_data.arp_tip = sip;
	rte_ether_addr_copy(&p->mac, &arp->arp_data.arp_sha);
	arp->arp_data.arp_sip = tip;
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - (m->l2_len + sizeof(*arp)));
	if (cp_tx(cp, port, m) == 0)
		cp->c.arp_reply_out++;
	return;
malformed:
	cp->c.drop_malformed++;
	rte_pktmbuf_free(m);
	return;
unhandled:
	cp->c.drop_unhandled++;
done:
	rte_pktmbuf_free(m);
}

void cp_arp_probe(struct lns_cp *cp, unsigned port, const uint8_t addr[4])
{
	const struct lns_port *p = &cp->rt->ports[port];
	static const struct rte_ether_addr bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	struct rte_arp_hdr *arp;
	struct rte_mbuf *m;
	rte_be32_t tip;

	memcpy(&tip, addr, 4);
	m = cp_new_frame(cp, port, &bcast, RTE_ETHER_TYPE_ARP, sizeof(*arp), (void **)&arp);
	if (m == NULL)
		return;
	arp->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = 6;
	arp->arp_plen = 4;
	arp->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
	rte_ether_addr_copy(&p->mac, &arp->arp_data.arp_sha);
	arp->arp_data.arp_sip = src_for(p, tip);
	memset(&arp->arp_data.arp_tha, 0, sizeof(arp->arp_data.arp_tha));
	arp->arp_data.arp_tip = tip;
	if (cp_tx(cp, port, m) == 0)
		cp->c.arp_request_out++;
}

/* UDP to one of our addresses: L2TP; nothing else is served on the ports. */
static void udp_input(struct lns_cp *cp, unsigned port, struct rte_mbuf *m, struct rte_ipv4_hdr *ip,
		      uint32_t tot)
{
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)((uint8_t *)ip + m->l3_len);
	uint32_t ulen;

	if (tot < m->l3_len + sizeof(*udp))
		goto malformed;
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	if (ulen < sizeof(*udp) || ulen > tot - m->l3_len)
		goto malformed;
	if (udp->dgram_cksum && rte_ipv4_udptcp_cksum_verify(ip, udp) != 0) {
		cp->l2tp.c.rx_bad_udp_checksum++;
		cp->c.drop_bad_checksum++;
		goto free;
	}
	if (udp->dst_port != rte_cpu_to_be_16((uint16_t)cp->rt->cfg->l2tp.port)) {
		cp->c.drop_unhandled++;
		goto free;
	}
	lns_l2tp_input(&cp->l2tp, port, ip->src_addr, ip->dst_addr, rte_be_to_cpu_16(udp->src_port),
		       (const uint8_t *)(udp + 1), ulen - sizeof(*udp));
	goto free;
malformed:
	cp->c.drop_malformed++;
free:
	rte_pktmbuf_free(m);
}

/* ICMP echo to one of our addresses: answered in place, to the sender's MAC. */
void cp_ipv4_input(struct lns_cp *cp, unsigned port, struct rte_mbuf *m)
{
	const struct lns_port *p = &cp->rt->ports[port];
	struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *icmp;
	struct rte_ether_hdr *eth;
	uint32_t tot, ihl;

	/* The worker checked version, IHL and total length against the frame. */
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	ihl = m->l3_len;
	tot = rte_be_to_cpu_16(ip->total_length);
	if (rte_pktmbuf_data_len(m) < m->l2_len + tot) /* not in one segment */
		goto malformed;
	if (rte_raw_cksum(ip, ihl) != 0xffff)
		goto bad_cksum;
	if (ip->fragment_offset & RTE_BE16(0x3fff))
		goto unhandled; /* no reassembly: LACs send control messages whole */
	if (ip->next_proto_id == IPPROTO_UDP)
		return udp_input(cp, port, m, ip, tot);
	if (ip->next_proto_id != IPPROTO_ICMP)
		goto unhandled;
	if (tot < ihl + sizeof(*icmp))
		goto malformed;
	icmp = (struct rte_icmp_hdr *)((uint8_t *)ip + ihl);
	if (rte_raw_cksum(icmp, tot - ihl) != 0xffff)
		goto bad_cksum;
	if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || icmp->icmp_code != 0)
		goto unhandled;
	cp->c.icmp_echo_in++;

	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - (m->l2_len + tot));
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(&p->mac, &eth->src_addr);
	lns_icmp4_echo_reply(ip, ihl, tot);
	if (cp_tx(cp, port, m) == 0)
		cp->c.icmp_echo_reply_out++;
	return;
malformed:
	cp->c.drop_malformed++;
	rte_pktmbuf_free(m);
	return;
bad_cksum:
	cp->c.drop_bad_checksum++;
	rte_pktmbuf_free(m);
	return;
unhandled:
	cp->c.drop_unhandled++;
	rte_pktmbuf_free(m);
}
