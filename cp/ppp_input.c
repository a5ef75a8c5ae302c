/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PPP input of one session: the frame's framing undone (RFC 1662 section 3)
 * and handed to the protocol it belongs to. Main lcore only. Kept apart from
 * cp/ppp.c (timers, teardown) so the unit tests and the PPP fuzzer run this
 * very code with a stand-in for the rest of lnsd.
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "cp/cp.h"
#include "cp/icmp_err.h"
#include "cp/ppp.h"
#include "dp/icmp.h"
#include "dp/ratelimit.h"

/* LCP Protocol-Reject of a frame of protocol PROTO (RFC 1661 section 5.7). */
static void proto_reject(struct ppp_session *p, uint16_t proto, const uint8_t *info, size_t len)
{
	uint8_t pkt[PPP_MAX_PKT];
	size_t n = len < sizeof(pkt) - 6 - 8 ? len : sizeof(pkt) - 6 - 8;

	if (p->lcp.state != PPP_OPENED)
		return; /* section 5.7: only in the Opened state */
	p->cp->ppp_c.rx_proto_rejected++;
	pkt[0] = PPP_PROTO_REJ;
	pkt[1] = ++p->lcp.rej_id; /* not lcp.id: that answers our Configure-Request */
	pkt[2] = (uint8_t)((6 + n) >> 8);
	pkt[3] = (uint8_t)(6 + n);
	pkt[4] = (uint8_t)(proto >> 8);
	pkt[5] = (uint8_t)proto;
	memcpy(pkt + 6, info, n);
	ppp_send(p, PPP_LCP, pkt, 6 + n);
}

void ppp_session_input(struct ppp_session *p, const uint8_t *f, size_t len)
{
	uint64_t now = ppp_now();
	uint16_t proto;

	if (p->dying)
		return;
	p->cp->ppp_c.rx_frames++;
	if (len >= 2 && f[0] == 0xff && f[1] == 0x03) {
		f += 2;
		len -= 2;
	}
	if (len >= 1 && (f[0] & 1)) { /* compressed Protocol field */
		proto = f[0];
		f += 1;
		len -= 1;
	} else if (len >= 2 && (f[1] & 1)) {
		proto = (uint16_t)(f[0] << 8 | f[1]);
		f += 2;
		len -= 2;
	} else {
		p->cp->ppp_c.rx_bad++;
		return;
	}
	switch (proto) {
	case PPP_LCP:
		ppp_fsm_input(&p->lcp, f, len, now);
		break;
	case PPP_PAP:
	case PPP_CHAP:
		ppp_auth_input(p, proto, f, len);
		break;
	case PPP_IPCP:
		if (p->phase == PPP_PHASE_NETWORK)
			ppp_fsm_input(&p->ipcp, f, len, now);
		break; /* section 3.4: NCP packets before the network phase are discarded */
	case PPP_IPV6CP:
		if (!p->cp->rt->cfg->ppp.ipv6)
			proto_reject(p, proto, f, len);
		else if (p->phase == PPP_PHASE_NETWORK)
			ppp_fsm_input(&p->ipv6cp, f, len, now);
		break;
	case PPP_IPV6: /* link-local and multicast, punted by the workers (dp/fwd6.c) */
		ppp_v6_input(p, f, len);
		break;
	case PPP_IP:
		/* to lnsd itself (punted by the workers), or before they forward: dropped */
		ppp_ip4_local(p, f, len);
		break;
	default:
		proto_reject(p, proto, f, len);
	}
	ppp_arm(p);
}

/* UDP from the subscriber to lnsd's address DST (nothing of lnsd's listens on its side): a
 * Port Unreachable from that address (RFC 1122 3.2.2.1, what ends a UDP traceroute), under
 * dataplane.icmp-unreachable, the never-answer rules and the ICMP rate, as IPv6's
 * (cp/ppp_v6.c). False: not answered, to be counted as unhandled. */
static bool udp_port_unreachable(struct ppp_session *p, const uint8_t *pkt, size_t tot)
{
	struct lns_cp *cp = p->cp;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)pkt;
	uint8_t out[LNS_ICMP4_ERR_MAX];
	size_t n;

	if (!cp->rt->cfg->dataplane.icmp_unreachable)
		return false;
	if (!lns_icmp4_may_answer(pkt, tot)) {
		cp->c.icmp_err_suppressed++;
		return false;
	}
	if (!lns_tb_take(&cp->icmp_tb, rte_rdtsc())) {
		cp->c.icmp_err_rate_limited++;
		return true;
	}
	n = lns_icmp4_error(out, sizeof(out), LNS_ICMP_DEST_UNREACH, LNS_ICMP_PORT_UNREACH, 0,
			    cp->icmp_ip_id++, ip->dst_addr, pkt, tot);
	if (n == 0)
		return false;
	ppp_send(p, PPP_IP, out, n);
	cp->c.icmp_unreach_out++;
	return true;
}

void ppp_ip4_local(struct ppp_session *p, const uint8_t *pkt, size_t len)
{
	struct lns_cp *cp = p->cp;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)pkt;
	uint8_t out[PPP_MAX_PKT];
	struct rte_ipv4_hdr *rip = (struct rte_ipv4_hdr *)out;
	struct rte_icmp_hdr *icmp;
	size_t ihl, tot;
	bool ours = false;

	if (!p->ls->forwarding || len < sizeof(*ip) || (ip->version_ihl >> 4) != 4)
		goto drop;
	ihl = (ip->version_ihl & 0x0f) * 4u;
	tot = rte_be_to_cpu_16(ip->total_length);
	if (ihl < sizeof(*ip) || tot < ihl + 8 || tot > len || tot > sizeof(out) ||
	    ip->src_addr != p->peer_ip.s_addr || (ip->fragment_offset & RTE_BE16(0x3fff)) ||
	    rte_raw_cksum(ip, ihl) != 0xffff)
		goto drop;
	for (unsigned i = 0; i < cp->rt->n_ports; i++)
		for (unsigned a = 0; a < cp->rt->ports[i].n_v4; a++)
			ours |= cp->rt->ports[i].v4[a] == ip->dst_addr;
	if (!ours)
		goto drop;
	if (ip->next_proto_id == IPPROTO_UDP) {
		if (rte_ipv4_udptcp_cksum_verify(ip, pkt + ihl) != 0 ||
		    !udp_port_unreachable(p, pkt, tot))
			goto drop;
		return;
	}
	icmp = (struct rte_icmp_hdr *)(out + ihl);
	memcpy(out, pkt, tot);
	if (ip->next_proto_id != IPPROTO_ICMP || icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST ||
	    icmp->icmp_code != 0 || rte_raw_cksum(icmp, tot - ihl) != 0xffff)
		goto drop;
	cp->c.icmp_echo_in++;
	lns_icmp4_echo_reply(rip, ihl, tot);
	ppp_send(p, PPP_IP, out, tot);
	cp->c.icmp_echo_reply_out++;
	return;
drop:
	cp->c.drop_unhandled++;
}
