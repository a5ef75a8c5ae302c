/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PPP input of one session: the frame's framing undone (RFC 1662 section 3)
 * and handed to the protocol it belongs to. Main lcore only. Kept apart from
 * cp/ppp.c (timers, teardown) so the unit tests and the PPP fuzzer run this
 * very code with a stand-in for the rest of lnsd.
 */
#include <string.h>

#include "cp/cp.h"
#include "cp/ppp.h"

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
		break; /* data before the workers forward for the session: dropped */
	default:
		proto_reject(p, proto, f, len);
	}
	ppp_arm(p);
}
