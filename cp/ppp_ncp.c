/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network control protocols of one session: IPCP (RFC 1332, DNS options of
 * RFC 1877) and IPv6CP (RFC 5072), and the subscriber's address (fixed by
 * the backend, or from a pool). Main lcore only. When IPCP opens the session
 * is handed to the workers (cp/ppp_fwd.c); when it closes, taken back.
 *
 * IPCP: our request carries our own address (the LNS address the tunnel came
 * to). The peer's IP-Address is Nak'ed with the assigned one until it asks
 * for exactly that (0.0.0.0 and conflicting addresses alike; absent, it is
 * asked for with a Nak). DNS options are answered from ppp.dns, rejected when
 * none are configured. VJ compression and everything else is rejected.
 *
 * IPv6CP: interface identifiers are random, non-zero and never equal to the
 * peer's; a peer's zero or colliding identifier is Nak'ed with a fresh one.
 * When it opens, cp/ppp_v6.c takes over (prefixes, Router Advertisements).
 */
#include <string.h>
#include <arpa/inet.h>

#include "config/config.h"
#include "cp/cp.h"
#include "cp/l2tp.h"
#include "cp/log.h"
#include "cp/pool.h"
#include "cp/ppp.h"

/* RFC 1332, 1877 */
#define CI_ADDRS    1
#define CI_COMPRESS 2
#define CI_ADDR     3
#define CI_DNS1     129
#define CI_NBNS1    130
#define CI_DNS2     131
#define CI_NBNS2    132
/* RFC 5072 */
#define CI_IFID 1

static const struct lns_ppp_cfg *pcfg(const struct ppp_session *p)
{
	return &p->cp->rt->cfg->ppp;
}

static void random_ifid(uint8_t id[8], const uint8_t avoid[8])
{
	do {
		cp_random(id, 8);
		id[0] &= ~0x02; /* RFC 4291 appendix A: not a universal (u bit clear) */
	} while (memcmp(id, "\0\0\0\0\0\0\0\0", 8) == 0 || (avoid && memcmp(id, avoid, 8) == 0));
}

/* ---- IPCP -------------------------------------------------------------------------------- */

static size_t ipcp_addci(void *ctx, uint8_t *b, size_t cap)
{
	struct ppp_session *p = ctx;

	RTE_SET_USED(cap);
	if (!p->ipcp_send_addr)
		return 0;
	b[0] = CI_ADDR;
	b[1] = 6;
	memcpy(b + 2, &p->our_ip, 4);
	return 6;
}

static int ipcp_ackci(void *ctx, const uint8_t *opt, size_t len)
{
	uint8_t want[8];
	size_t n = ipcp_addci(ctx, want, sizeof(want));

	return n == len && memcmp(want, opt, n) == 0 ? 0 : -1;
}

static int ipcp_nakci(void *ctx, const uint8_t *opt, size_t len)
{
	RTE_SET_USED(ctx);
	RTE_SET_USED(opt);
	RTE_SET_USED(len);
	return 0; /* our address is ours: we ask for it again */
}

static int ipcp_rejci(void *ctx, const uint8_t *opt, size_t len)
{
	struct ppp_session *p = ctx;

	for (size_t i = 0; i + 2 <= len && opt[i + 1] >= 2; i += opt[i + 1])
		if (opt[i] == CI_ADDR)
			p->ipcp_send_addr = false;
	return 0;
}

static void put_addr_opt(uint8_t *b, size_t *n, uint8_t type, const void *a)
{
	b[*n] = type;
	b[*n + 1] = 6;
	memcpy(b + *n + 2, a, 4);
	*n += 6;
}

static int ipcp_reqci(void *ctx, const uint8_t *opt, size_t len, uint8_t *out, size_t *out_len,
		      bool reject_only)
{
	struct ppp_session *p = ctx;
	const struct lns_ppp_cfg *c = pcfg(p);
	uint8_t nak[PPP_MAX_PKT], rej[PPP_MAX_PKT];
	size_t n_nak = 0, n_rej = 0;
	bool saw_addr = false;

	for (const uint8_t *o = opt; o < opt + len; o += o[1]) {
		const struct in_addr *want = NULL;

		if (o + 2 > opt + len || o[1] < 2 || o + o[1] > opt + len) {
			memcpy(rej + n_rej, o, (size_t)(opt + len - o));
			n_rej += (size_t)(opt + len - o);
			break;
		}
		switch (o[0]) {
		case CI_ADDR:
			saw_addr = true;
			want = &p->peer_ip;
			break;
		case CI_DNS1: /* the backend's servers first (MS-Primary-DNS-Server) */
			want = p->auth_reply.attrs.n_dns >= 1 ? &p->auth_reply.attrs.dns[0]
			       : c->n_dns >= 1                ? &c->dns[0].v4
							      : NULL;
			break;
		case CI_DNS2:
			want = p->auth_reply.attrs.n_dns >= 2 ? &p->auth_reply.attrs.dns[1]
			       : c->n_dns >= 2                ? &c->dns[1].v4
							      : NULL;
			break;
		default:
			break; /* IP-Addresses, VJ compression, NBNS, unknown */
		}
		if (want == NULL || o[1] != 6) {
			memcpy(rej + n_rej, o, o[1]);
			n_rej += o[1];
		} else if (memcmp(o + 2, want, 4) != 0) {
			if (reject_only) {
				memcpy(rej + n_rej, o, o[1]);
				n_rej += o[1];
			} else {
				put_addr_opt(nak, &n_nak, o[0], want);
			}
		}
	}
	if (n_rej) {
		memcpy(out, rej, n_rej);
		*out_len = n_rej;
		return PPP_CONF_REJ;
	}
	/* RFC 1661 section 5.3: ask for it (when the Nak has room: it must fit a packet) */
	if (!saw_addr && !reject_only && n_nak + 6 <= PPP_MAX_OPTS)
		put_addr_opt(nak, &n_nak, CI_ADDR, &p->peer_ip);
	if (n_nak) {
		memcpy(out, nak, n_nak);
		*out_len = n_nak;
		return PPP_CONF_NAK;
	}
	memcpy(out, opt, len);
	*out_len = len;
	return PPP_CONF_ACK;
}

static void ipcp_up(void *ctx)
{
	struct ppp_session *p = ctx;
	char a[INET_ADDRSTRLEN];

	p->up_ms = ppp_now();
	p->cp->ppp_c.sessions_up++;
	inet_ntop(AF_INET, &p->peer_ip, a, sizeof(a));
	LNS_LOG(INFO, cp, "session %u/%u: \"%s\" up, address %s", p->ls->t->tid, p->ls->sid,
		p->user, a);
	ppp_fwd_up(p);
}

static void ipcp_down(void *ctx)
{
	ppp_fwd_down(ctx);
}

static void ncp_finished(struct ppp_session *p)
{
	/* Section 3.4/3.7: with no network protocol left the link is useless. */
	if (p->ipcp.state != PPP_OPENED && p->ipv6cp.state != PPP_OPENED &&
	    (p->ipcp.state <= PPP_STOPPED) && (p->ipv6cp.state <= PPP_STOPPED))
		ppp_kill(p, L2TP_CDN_ERROR, L2TP_GERR_NONE, L2TP_PPP_DISC_NCP_ALL_FAILED, 0,
			 L2TP_PPP_DISC_DIR_GLOBAL, "no network protocol converged");
}

static void ipcp_finished(void *ctx)
{
	ncp_finished(ctx);
}

static void nothing(void *ctx)
{
	RTE_SET_USED(ctx);
}

static void ncp_send(void *ctx, uint16_t proto, const uint8_t *pkt, size_t len)
{
	ppp_send(ctx, proto, pkt, len);
}

static const struct ppp_fsm_ops ipcp_ops = {
	.addci = ipcp_addci,
	.ackci = ipcp_ackci,
	.nakci = ipcp_nakci,
	.rejci = ipcp_rejci,
	.reqci = ipcp_reqci,
	.up = ipcp_up,
	.down = ipcp_down,
	.started = nothing,
	.finished = ipcp_finished,
	.send = ncp_send,
};

/* ---- IPv6CP ------------------------------------------------------------------------------ */

static size_t v6_addci(void *ctx, uint8_t *b, size_t cap)
{
	struct ppp_session *p = ctx;

	RTE_SET_USED(cap);
	b[0] = CI_IFID;
	b[1] = 10;
	memcpy(b + 2, p->our_ifid, 8);
	return 10;
}

static int v6_ackci(void *ctx, const uint8_t *opt, size_t len)
{
	uint8_t want[10];

	v6_addci(ctx, want, sizeof(want));
	return len == 10 && memcmp(want, opt, 10) == 0 ? 0 : -1;
}

static int v6_nakci(void *ctx, const uint8_t *opt, size_t len)
{
	struct ppp_session *p = ctx;

	/* The peer suggests our identifier: fine unless it is zero or its own. */
	if (len >= 10 && opt[0] == CI_IFID && opt[1] == 10 &&
	    memcmp(opt + 2, "\0\0\0\0\0\0\0\0", 8) != 0 && memcmp(opt + 2, p->peer_ifid, 8) != 0)
		memcpy(p->our_ifid, opt + 2, 8);
	else
		random_ifid(p->our_ifid, p->peer_ifid);
	return 0;
}

static int v6_rejci(void *ctx, const uint8_t *opt, size_t len)
{
	RTE_SET_USED(opt);
	RTE_SET_USED(len);
	/* Without identifiers IPv6CP cannot work (RFC 5072 section 4.1). */
	ppp_fsm_close(&((struct ppp_session *)ctx)->ipv6cp, "Interface-Identifier rejected",
		      ppp_now());
	return 0;
}

static int v6_reqci(void *ctx, const uint8_t *opt, size_t len, uint8_t *out, size_t *out_len,
		    bool reject_only)
{
	struct ppp_session *p = ctx;
	uint8_t nak[16], rej[PPP_MAX_PKT];
	size_t n_nak = 0, n_rej = 0;
	bool saw = false;

	for (const uint8_t *o = opt; o < opt + len; o += o[1]) {
		if (o + 2 > opt + len || o[1] < 2 || o + o[1] > opt + len) {
			memcpy(rej + n_rej, o, (size_t)(opt + len - o));
			n_rej += (size_t)(opt + len - o);
			break;
		}
		if (o[0] != CI_IFID || o[1] != 10 || saw) {
			memcpy(rej + n_rej, o, o[1]);
			n_rej += o[1];
			continue;
		}
		saw = true;
		if (p->auth_reply.attrs.has_interface_id &&
		    memcmp(o + 2, p->auth_reply.attrs.interface_id, 8) != 0) {
			/* RADIUS's Framed-Interface-Id (RFC 3162 2.2) is the peer's to use. */
			if (reject_only) {
				memcpy(rej + n_rej, o, o[1]);
				n_rej += o[1];
				continue;
			}
			nak[0] = CI_IFID;
			nak[1] = 10;
			memcpy(nak + 2, p->auth_reply.attrs.interface_id, 8);
			n_nak = 10;
		} else if (memcmp(o + 2, "\0\0\0\0\0\0\0\0", 8) == 0 ||
			   memcmp(o + 2, p->our_ifid, 8) == 0) {
			if (reject_only) {
				memcpy(rej + n_rej, o, o[1]);
				n_rej += o[1];
				continue;
			}
			nak[0] = CI_IFID;
			nak[1] = 10;
			random_ifid(nak + 2, p->our_ifid);
			n_nak = 10;
		} else {
			memcpy(p->peer_ifid, o + 2, 8);
		}
	}
	if (n_rej) {
		memcpy(out, rej, n_rej);
		*out_len = n_rej;
		return PPP_CONF_REJ;
	}
	if (!saw && !reject_only) {
		nak[0] = CI_IFID;
		nak[1] = 10;
		if (p->auth_reply.attrs.has_interface_id)
			memcpy(nak + 2, p->auth_reply.attrs.interface_id, 8);
		else
			random_ifid(nak + 2, p->our_ifid);
		n_nak = 10;
	}
	if (n_nak) {
		memcpy(out, nak, n_nak);
		*out_len = n_nak;
		return PPP_CONF_NAK;
	}
	memcpy(out, opt, len);
	*out_len = len;
	return PPP_CONF_ACK;
}

static void v6_up(void *ctx)
{
	struct ppp_session *p = ctx;

	p->ipv6_up = true;
	LNS_LOG(INFO, cp,
		"session %u/%u: IPv6CP up, peer fe80::%02x%02x:%02x%02x:%02x%02x:%02x%02x",
		p->ls->t->tid, p->ls->sid, p->peer_ifid[0], p->peer_ifid[1], p->peer_ifid[2],
		p->peer_ifid[3], p->peer_ifid[4], p->peer_ifid[5], p->peer_ifid[6],
		p->peer_ifid[7]);
	ppp_v6_up(p); /* prefixes, the workers, Router Advertisements (cp/ppp_v6.c) */
}

static void v6_down(void *ctx)
{
	struct ppp_session *p = ctx;

	ppp_v6_down(p);
	p->ipv6_up = false;
}

static void v6_finished(void *ctx)
{
	ncp_finished(ctx);
}

static const struct ppp_fsm_ops ipv6cp_ops = {
	.addci = v6_addci,
	.ackci = v6_ackci,
	.nakci = v6_nakci,
	.rejci = v6_rejci,
	.reqci = v6_reqci,
	.up = v6_up,
	.down = v6_down,
	.started = nothing,
	.finished = v6_finished,
	.send = ncp_send,
};

/* ---- addresses and start ----------------------------------------------------------------- */

void ppp_ncp_init(struct ppp_session *p)
{
	const struct lns_ppp_cfg *c = pcfg(p);
	struct ppp_fsm_cfg fc = {
		.restart_ms = c->restart_ms,
		.max_configure = c->max_configure,
		.max_terminate = c->max_terminate,
		.max_failure = c->max_failure,
	};

	ppp_fsm_init(&p->ipcp, PPP_IPCP, "IPCP", &fc, &ipcp_ops, p);
	ppp_fsm_init(&p->ipv6cp, PPP_IPV6CP, "IPv6CP", &fc, &ipv6cp_ops, p);
	random_ifid(p->our_ifid, NULL);
	p->ipcp_send_addr = true;
	p->our_ip.s_addr = p->ls->t->local_ip;
}

/* The subscriber's IPv4 address: the backend's, or one from its pool. */
static int assign_address(struct ppp_session *p)
{
	const struct lns_config *cfg = p->cp->rt->cfg;
	const struct auth_kept *r = &p->auth_reply;
	int pool = r->pool;

	if (r->has_address) {
		p->peer_ip = r->address;
		/* A fixed address inside a pool is taken out of it while in use. */
		for (size_t i = 0; i < cfg->n_pools; i++) {
			if (lns_pool_contains(&p->cp->pools[i], r->address)) {
				if (lns_pool_reserve(&p->cp->pools[i], r->address) < 0)
					return -EADDRINUSE;
				p->pool = (int)i;
				p->ip_from_pool = true;
			}
		}
	} else {
		if (pool < 0) /* the default: the first IPv4 pool */
			for (size_t i = 0; i < cfg->n_pools && pool < 0; i++)
				if (cfg->pools[i].family == AF_INET)
					pool = (int)i;
		if (pool < 0 || (size_t)pool >= cfg->n_pools || cfg->pools[pool].family != AF_INET)
			return -ENOENT; /* IPv6 pools serve prefixes, not IPCP */
		if (lns_pool_alloc(&p->cp->pools[pool], &p->peer_ip) < 0)
			return -ENOSPC;
		p->pool = pool;
		p->ip_from_pool = true;
	}
	if (ppp_addr_claim(p) < 0) {
		ppp_ncp_release(p);
		return -EADDRINUSE;
	}
	p->has_ip = true;
	return 0;
}

void ppp_ncp_start(struct ppp_session *p)
{
	uint64_t now = ppp_now();
	int ret = assign_address(p);

	if (ret < 0) {
		char why[96];

		if (ret == -ENOSPC)
			p->cp->ppp_c.pool_exhausted++;
		snprintf(why, sizeof(why), "no address for \"%.32s\": %s", p->user,
			 ret == -ENOSPC       ? "pool exhausted"
			 : ret == -EADDRINUSE ? "its address is in use"
					      : "no IPv4 pool");
		LNS_LOG(WARNING, cp, "session %u/%u: %s", p->ls->t->tid, p->ls->sid, why);
		ppp_kill(p, L2TP_CDN_NO_FACILITIES_TEMP, L2TP_GERR_NONE, L2TP_PPP_DISC_NCP_ADDRESS,
			 PPP_IPCP, L2TP_PPP_DISC_DIR_LOCAL, why);
		return;
	}
	ppp_fsm_open(&p->ipcp, now);
	ppp_fsm_up(&p->ipcp, now);
	if (pcfg(p)->ipv6) {
		ppp_fsm_open(&p->ipv6cp, now);
		ppp_fsm_up(&p->ipv6cp, now);
	}
}

void ppp_ncp_release(struct ppp_session *p)
{
	ppp_v6_down(p);
	ppp_fwd_down(p);
	ppp_addr_unclaim(p);
	if (p->ip_from_pool && p->pool >= 0)
		lns_pool_release(&p->cp->pools[p->pool], p->peer_ip);
	p->ip_from_pool = false;
	p->has_ip = false;
}
