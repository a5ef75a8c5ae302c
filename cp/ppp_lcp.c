/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * LCP (RFC 1661 sections 5 and 6) for one session, and LCP echo keepalive.
 * Main lcore only.
 *
 *  Configuration option (section 6):
 *  +--------+--------+----------------
 *  |  Type  | Length |  Data ...         Length counts Type and Length
 *  +--------+--------+----------------
 *
 * We ask for: MRU (when ours is not the default 1500), Authentication-Protocol
 * (the configured order of preference; a Nak moves us to the peer's choice if
 * we allow it, else to our next one), Magic-Number. We accept from the peer:
 * MRU, ACCM (meaningless on a synchronous link, accepted), Magic-Number (ours
 * seen back means a loop), PFC and ACFC (we take compressed frames, we send
 * full ones). We reject everything else: Authentication-Protocol (the LNS is
 * not authenticated), Quality-Protocol, Callback, multilink options.
 */
#include <string.h>


#include "config/config.h"
#include "cp/cp.h"
#include "cp/l2tp.h"
#include "cp/log.h"
#include "cp/ppp.h"

/* RFC 1661 section 6, RFC 1990 (multilink), RFC 1570 (callback) */
#define CI_MRU 1
#define CI_ACCM 2
#define CI_AUTH 3
#define CI_QUALITY 4
#define CI_MAGIC 5
#define CI_PFC 7
#define CI_ACFC 8
#define CI_CALLBACK 13
#define CI_MRRU 17
#define CI_SSNHF 18
#define CI_EPDISC 19

#define CHAP_ALG_MD5 5 /* RFC 1994 */
#define CHAP_ALG_MSV2 0x81 /* RFC 2759 */

#define MIN_MRU 128 /* below this an MRU is refused with a Nak */
#define LOOP_NAKS 5 /* our magic seen this often in a row: the link is looped */

static uint32_t new_magic(void)
{
	uint32_t m;

	do
		cp_random(&m, sizeof(m));
	while (m == 0);
	return m;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static const struct lns_ppp_cfg *pcfg(const struct ppp_session *p)
{
	return &p->cp->rt->cfg->ppp;
}

/* The Authentication-Protocol option for A: type, length, protocol[, algorithm]. */
static size_t put_auth(uint8_t *b, enum auth_proto a)
{
	b[0] = CI_AUTH;
	if (a == AUTH_PAP) {
		b[1] = 4;
		put16(b + 2, PPP_PAP);
		return 4;
	}
	b[1] = 5;
	put16(b + 2, PPP_CHAP);
	b[4] = a == AUTH_CHAP_MD5 ? CHAP_ALG_MD5 : CHAP_ALG_MSV2;
	return 5;
}

/* The auth protocol an option names, 0 if none we know. */
static enum auth_proto auth_of(const uint8_t *o)
{
	if (o[1] == 4 && get16(o + 2) == PPP_PAP)
		return AUTH_PAP;
	if (o[1] == 5 && get16(o + 2) == PPP_CHAP)
		return o[4] == CHAP_ALG_MD5 ? AUTH_CHAP_MD5 : o[4] == CHAP_ALG_MSV2 ? AUTH_MSCHAPV2 : 0;
	return 0;
}

static size_t addci(void *ctx, uint8_t *b, size_t cap)
{
	struct ppp_session *p = ctx;
	size_t n = 0;

	RTE_SET_USED(cap); /* at most 4 + 5 + 6 octets */
	if (p->send_mru) {
		b[n] = CI_MRU;
		b[n + 1] = 4;
		put16(b + n + 2, p->our_mru);
		n += 4;
	}
	n += put_auth(b + n, p->auth);
	if (p->send_magic) {
		b[n] = CI_MAGIC;
		b[n + 1] = 6;
		put32(b + n + 2, p->our_magic);
		n += 6;
	}
	return n;
}

/* Walk options; -1 when one is malformed (length < 2 or past the end). */
#define FOREACH_OPT(o, opt, len)                                                                   \
	for (const uint8_t *o = (opt); o < (opt) + (len); o += o[1])                               \
		if (o + 2 > (opt) + (len) || o[1] < 2 || o + o[1] > (opt) + (len))                 \
			return -1;                                                                 \
		else

static int ackci(void *ctx, const uint8_t *opt, size_t len)
{
	uint8_t want[32];
	size_t n = addci(ctx, want, sizeof(want));

	/* An Ack must list our options exactly (section 5.2). */
	return n == len && memcmp(want, opt, n) == 0 ? 0 : -1;
}

static int nakci(void *ctx, const uint8_t *opt, size_t len)
{
	struct ppp_session *p = ctx;
	const struct lns_ppp_cfg *c = pcfg(p);

	FOREACH_OPT(o, opt, len)
	{
		switch (o[0]) {
		case CI_MRU:
			if (o[1] == 4 && get16(o + 2) >= MIN_MRU && get16(o + 2) < p->our_mru)
				p->our_mru = get16(o + 2);
			break;
		case CI_MAGIC:
			p->our_magic = new_magic(); /* section 6.4: pick another */
			break;
		case CI_AUTH: {
			/* The peer's choice if we allow it, else our next preference. */
			enum auth_proto want = auth_of(o);
			bool allowed = false;

			for (size_t i = 0; i < c->n_auth; i++) {
				if ((enum auth_proto)c->auth[i] == want) {
					allowed = true;
					p->auth_idx = (unsigned)i; /* next preferences follow it */
				}
			}
			if (allowed) {
				p->auth = want;
			} else if (p->auth_idx + 1 < c->n_auth) {
				p->auth = (enum auth_proto)c->auth[++p->auth_idx];
			} else {
				ppp_kill(p, L2TP_CDN_ERROR, L2TP_GERR_NONE, L2TP_PPP_DISC_AUTH_PROTO,
					 PPP_LCP, L2TP_PPP_DISC_DIR_LOCAL,
					 "no authentication protocol acceptable to both");
			}
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

static int rejci(void *ctx, const uint8_t *opt, size_t len)
{
	struct ppp_session *p = ctx;

	FOREACH_OPT(o, opt, len)
	{
		switch (o[0]) {
		case CI_MRU:
			p->send_mru = false;
			p->our_mru = 1500;
			break;
		case CI_MAGIC:
			p->send_magic = false;
			break;
		case CI_AUTH:
			ppp_kill(p, L2TP_CDN_ERROR, L2TP_GERR_NONE, L2TP_PPP_DISC_AUTH_PROTO, PPP_LCP,
				 L2TP_PPP_DISC_DIR_PEER, "the peer refuses to authenticate");
			break;
		default:
			break;
		}
	}
	return 0;
}

static int reqci(void *ctx, const uint8_t *opt, size_t len, uint8_t *out, size_t *out_len,
		 bool reject_only)
{
	struct ppp_session *p = ctx;
	uint8_t nak[PPP_MAX_PKT], rej[PPP_MAX_PKT];
	size_t n_nak = 0, n_rej = 0;
	uint16_t mru = 1500;
	uint32_t magic = 0;
	bool pfc = false, acfc = false;

	for (const uint8_t *o = opt; o < opt + len; o += o[1]) {
		if (o + 2 > opt + len || o[1] < 2 || o + o[1] > opt + len) {
			/* Malformed: reject the rest whole (section 5.4 cannot parse it). */
			memcpy(rej + n_rej, o, (size_t)(opt + len - o));
			n_rej += (size_t)(opt + len - o);
			break;
		}
		switch (o[0]) {
		case CI_MRU:
			if (o[1] != 4)
				goto reject;
			mru = get16(o + 2);
			if (mru < MIN_MRU) {
				if (reject_only)
					goto reject;
				nak[n_nak] = CI_MRU;
				nak[n_nak + 1] = 4;
				put16(nak + n_nak + 2, MIN_MRU);
				n_nak += 4;
			}
			continue;
		case CI_ACCM:
			if (o[1] != 6)
				goto reject;
			continue;
		case CI_MAGIC:
			if (o[1] != 6)
				goto reject;
			magic = get32(o + 2);
			if (magic == 0 || (p->send_magic && magic == p->our_magic)) {
				/* Section 6.4: maybe a looped-back link. */
				if (magic && ++p->magic_naks >= LOOP_NAKS) {
					p->cp->ppp_c.loopback++;
					ppp_kill(p, L2TP_CDN_ERROR, L2TP_GERR_NONE,
						 L2TP_PPP_DISC_LCP_MAGIC, PPP_LCP,
						 L2TP_PPP_DISC_DIR_LOCAL, "looped-back link");
				}
				if (reject_only)
					goto reject;
				nak[n_nak] = CI_MAGIC;
				nak[n_nak + 1] = 6;
				put32(nak + n_nak + 2, new_magic());
				n_nak += 6;
			} else {
				p->magic_naks = 0;
			}
			continue;
		case CI_PFC:
			if (o[1] != 2)
				goto reject;
			pfc = true;
			continue;
		case CI_ACFC:
			if (o[1] != 2)
				goto reject;
			acfc = true;
			continue;
		default:
			break; /* Auth, Quality, Callback, MRRU, SSNHF, Endpoint, unknown */
		}
reject:
		memcpy(rej + n_rej, o, o[1]);
		n_rej += o[1];
	}
	if (n_rej) {
		memcpy(out, rej, n_rej);
		*out_len = n_rej;
		return PPP_CONF_REJ;
	}
	if (n_nak) {
		memcpy(out, nak, n_nak);
		*out_len = n_nak;
		return PPP_CONF_NAK;
	}
	p->peer_mru = mru;
	p->peer_magic = magic;
	p->peer_pfc = pfc;
	p->peer_acfc = acfc;
	memcpy(out, opt, len);
	*out_len = len;
	return PPP_CONF_ACK;
}

static void lcp_up(void *ctx)
{
	struct ppp_session *p = ctx;
	const struct lns_ppp_cfg *c = pcfg(p);

	p->echo_outstanding = 0;
	p->echo_at = c->lcp_echo_interval ? ppp_now() + c->lcp_echo_interval * 1000ull : 0;
	p->phase = PPP_PHASE_AUTHENTICATE;
	ppp_auth_start(p);
}

static void lcp_down(void *ctx)
{
	struct ppp_session *p = ctx;

	p->echo_at = 0;
	/* The link under the NCPs is gone; an LNS session does not renegotiate. */
	ppp_kill(p, L2TP_CDN_ADMIN, L2TP_GERR_NONE, L2TP_PPP_DISC_NORMAL, 0,
		 L2TP_PPP_DISC_DIR_PEER, "LCP terminated by the peer");
}

static void lcp_started(void *ctx)
{
	RTE_SET_USED(ctx);
}

static void lcp_finished(void *ctx)
{
	struct ppp_session *p = ctx;

	ppp_kill(p, L2TP_CDN_ERROR, L2TP_GERR_NONE, L2TP_PPP_DISC_LCP_NO_CONVERGE, 0,
		 L2TP_PPP_DISC_DIR_GLOBAL, "LCP did not converge");
}

static void echo(struct ppp_session *p, uint8_t code, uint8_t id, const uint8_t *data,
		 size_t len)
{
	uint8_t pkt[PPP_MAX_PKT];

	if (len > sizeof(pkt) - 8)
		len = sizeof(pkt) - 8;
	pkt[0] = code;
	pkt[1] = id;
	put16(pkt + 2, (uint16_t)(8 + len));
	put32(pkt + 4, p->send_magic ? p->our_magic : 0);
	if (len)
		memcpy(pkt + 8, data, len);
	ppp_send(p, PPP_LCP, pkt, 8 + len);
}

static int extcode(void *ctx, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	struct ppp_session *p = ctx;

	switch (code) {
	case PPP_PROTO_REJ:
		if (len < 2 || p->lcp.state != PPP_OPENED)
			return 0;
		if (get16(data) == PPP_IPV6CP)
			ppp_fsm_proto_rejected(&p->ipv6cp, ppp_now()); /* IPv4 only, fine */
		else if (get16(data) == PPP_IPCP)
			ppp_fsm_proto_rejected(&p->ipcp, ppp_now());
		return 0;
	case PPP_ECHO_REQ:
		/* Section 5.8: answered in Opened only, with our magic, the data echoed. */
		if (p->lcp.state == PPP_OPENED && len >= 4)
			echo(p, PPP_ECHO_REP, id, data + 4, len - 4);
		return 0;
	case PPP_ECHO_REP:
		if (len >= 4 && p->peer_magic && get32(data) != p->peer_magic)
			return 0; /* not from our peer */
		p->echo_outstanding = 0;
		return 0;
	case PPP_DISCARD_REQ:
		return 0;
	default:
		return -1;
	}
}

static bool reject_fatal(void *ctx, uint8_t code, const uint8_t *data, size_t len)
{
	RTE_SET_USED(ctx);
	RTE_SET_USED(code);
	/* Rejecting any of codes 1..7 breaks LCP (section 5.6); 8..11 we can live without. */
	return len >= 1 && data[0] >= PPP_CONF_REQ && data[0] <= PPP_CODE_REJ;
}

static void lcp_send(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	ppp_send(ctx, proto, pkt, len);
}

static const struct ppp_fsm_ops lcp_ops = {
	.addci = addci,
	.ackci = ackci,
	.nakci = nakci,
	.rejci = rejci,
	.reqci = reqci,
	.up = lcp_up,
	.down = lcp_down,
	.started = lcp_started,
	.finished = lcp_finished,
	.extcode = extcode,
	.reject_fatal = reject_fatal,
	.send = lcp_send,
};

/* Our MRU: the configured one, or what fits the access port's MTU after IP/UDP/L2TP/PPP. */
static uint16_t our_mru(const struct ppp_session *p)
{
	const struct lns_config *cfg = p->cp->rt->cfg;
	unsigned mtu = cfg->ports[p->cp->rt->ports[p->ls->t->port].cfg_idx].mtu;
	unsigned overhead = 20 + 8 + 16 + 4; /* IPv4, UDP, L2TP with L/S bits, PPP */

	if (cfg->ppp.mru)
		return (uint16_t)cfg->ppp.mru;
	if (mtu < overhead + MIN_MRU) /* what we ask of ourselves, we accept from the peer */
		return MIN_MRU;
	return (uint16_t)(mtu > overhead + 1500 ? 1500 : mtu - overhead);
}

void ppp_lcp_init(struct ppp_session *p)
{
	const struct lns_ppp_cfg *c = pcfg(p);
	struct ppp_fsm_cfg fc = {
		.restart_ms = c->restart_ms,
		.max_configure = c->max_configure,
		.max_terminate = c->max_terminate,
		.max_failure = c->max_failure,
	};

	ppp_fsm_init(&p->lcp, PPP_LCP, "LCP", &fc, &lcp_ops, p);
	p->our_mru = our_mru(p);
	p->send_mru = p->our_mru != 1500;
	p->send_magic = true;
	p->our_magic = new_magic();
	p->peer_mru = 1500;
	p->auth_idx = 0;
	p->auth = (enum auth_proto)c->auth[0];
}

void ppp_lcp_echo_tick(struct ppp_session *p, uint64_t now)
{
	const struct lns_ppp_cfg *c = pcfg(p);

	if (p->echo_at == 0 || now < p->echo_at || p->lcp.state != PPP_OPENED)
		return;
	if (p->echo_outstanding >= c->lcp_echo_failures) {
		p->cp->ppp_c.echo_timeouts++;
		ppp_kill(p, L2TP_CDN_LOST_CARRIER, L2TP_GERR_NONE, L2TP_PPP_DISC_LCP_KEEPALIVE, PPP_LCP,
			 L2TP_PPP_DISC_DIR_LOCAL, "no answer to LCP echo requests");
		return;
	}
	p->echo_outstanding++;
	echo(p, PPP_ECHO_REQ, ++p->echo_id, NULL, 0);
	p->echo_at = now + c->lcp_echo_interval * 1000ull;
}

/*
 * Proxy LCP (RFC 2661 section 4.4.5): the LAC negotiated LCP with the client
 * and tells us the last Configure-Requests both ways. We take it as is when
 * we could have agreed to both: the client's requests pass our checks with
 * an Ack, and the LAC's request asked for an authentication protocol we
 * allow. Otherwise LCP is renegotiated from scratch.
 */
bool ppp_lcp_proxy(struct ppp_session *p)
{
	const struct l2tp_session *s = p->ls;
	const struct lns_ppp_cfg *c = pcfg(p);
	uint8_t out[PPP_MAX_PKT];
	size_t out_len;
	enum auth_proto a = 0;
	uint16_t mru = 1500;
	uint32_t magic = 0;

	if (s->lcp_last_rx.len == 0 || s->lcp_last_tx.len == 0 || !c->proxy_lcp)
		return false;
	/* What the LAC asked of the client, as if we had: auth protocol, MRU, magic. */
	for (const uint8_t *o = s->lcp_last_tx.p; o < s->lcp_last_tx.p + s->lcp_last_tx.len;
	     o += o[1]) {
		if (o + 2 > s->lcp_last_tx.p + s->lcp_last_tx.len || o[1] < 2 ||
		    o + o[1] > s->lcp_last_tx.p + s->lcp_last_tx.len)
			goto renegotiate;
		if (o[0] == CI_AUTH && o[1] >= 4)
			a = auth_of(o);
		else if (o[0] == CI_MRU && o[1] == 4)
			mru = get16(o + 2);
		else if (o[0] == CI_MAGIC && o[1] == 6)
			magic = get32(o + 2);
	}
	{
		bool allowed = false;

		for (size_t i = 0; i < c->n_auth; i++)
			if ((enum auth_proto)c->auth[i] == a)
				allowed = true;
		if (!allowed)
			goto renegotiate;
	}
	if (reqci(p, s->lcp_last_rx.p, s->lcp_last_rx.len, out, &out_len, false) != PPP_CONF_ACK)
		goto renegotiate;
	p->auth = a;
	p->our_mru = mru;
	p->our_magic = magic;
	p->send_magic = magic != 0;
	p->lcp.state = PPP_OPENED;
	p->cp->ppp_c.proxy_lcp_accepted++;
	lcp_up(p);
	return true;
renegotiate:
	p->cp->ppp_c.proxy_lcp_renegotiated++;
	return false;
}
