/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RADIUS accounting (RFC 2866, RFC 2869 for Gigawords, Event-Timestamp and
 * Acct-Interim-Interval). Main lcore only. A record copies everything it
 * says when it is made, so it outlives its session and survives any server
 * outage in the client's bounded queue; Acct-Delay-Time is filled at each
 * send. Counters come from the workers' per-session counters.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "config/config.h"
#include "cp/cp.h"
#include "cp/l2tp.h"
#include "cp/log.h"
#include "cp/ppp.h"
#include "cp/radius.h"
#include "cp/radius_codec.h"
#include "dp/session.h"

struct acct_rec {
	struct lns_cp *cp;
	uint32_t status; /* Acct-Status-Type */
	uint64_t made_ms;
	uint32_t event_time; /* Event-Timestamp, seconds since the epoch */
	bool has_session;
	/* session records only */
	char user[AUTH_NAME_MAX + 1];
	char acct_session_id[24];
	struct in_addr framed_ip;
	uint32_t nas_port;
	char nas_port_id[32];
	char calling[64], called[64];
	struct in_addr lac, lns;
	uint8_t class_[AUTH_CLASS_MAX];
	uint8_t class_len;
	/* IPv6, while IPv6CP is open: the peer's interface identifier, its prefixes */
	bool has_ifid;
	uint8_t ifid[8];
	struct in6_addr v6_prefix, pd_prefix;
	uint8_t v6_plen, pd_plen; /* 0: none */
	uint32_t session_time;
	struct lns_sess_ctr ctr;
	uint32_t term_cause;
};

static void put_counter(struct radius_builder *b, uint8_t type, uint8_t giga_type, uint64_t v)
{
	radius_put_u32(b, type, (uint32_t)v);
	if (giga_type && (v >> 32))
		radius_put_u32(b, giga_type, (uint32_t)(v >> 32)); /* RFC 2869 5.1 */
}

static int build(void *vctx, struct radius_builder *b, const uint8_t *secret, size_t slen,
		 uint64_t now)
{
	const struct acct_rec *a = vctx;
	const struct lns_radius_cfg *rc = &a->cp->rt->cfg->radius;
	const char *nas_id =
		rc->nas_identifier[0] ? rc->nas_identifier : a->cp->rt->cfg->l2tp.host_name;

	RTE_SET_USED(secret);
	RTE_SET_USED(slen);
	radius_put_u32(b, RADIUS_ATTR_ACCT_STATUS_TYPE, a->status);
	radius_put_str(b, RADIUS_ATTR_NAS_IDENTIFIER, nas_id);
	if (rc->has_nas_ip && rc->nas_ip.family == AF_INET)
		radius_put_addr(b, RADIUS_ATTR_NAS_IP_ADDRESS, rc->nas_ip.v4);
	else if (rc->has_nas_ip)
		radius_put(b, RADIUS_ATTR_NAS_IPV6_ADDRESS, &rc->nas_ip.v6, 16);
	else if (a->has_session)
		radius_put_addr(b, RADIUS_ATTR_NAS_IP_ADDRESS, a->lns);
	else if (a->lns.s_addr) /* Accounting-On/Off: our first L2TP address */
		radius_put_addr(b, RADIUS_ATTR_NAS_IP_ADDRESS, a->lns);
	radius_put_u32(b, RADIUS_ATTR_EVENT_TIMESTAMP, a->event_time);
	/* RFC 2866 5.2: how long the record waited, at each send */
	radius_put_u32(b, RADIUS_ATTR_ACCT_DELAY_TIME, (uint32_t)((now - a->made_ms) / 1000));
	radius_put_message_authenticator(b); /* on every request (RFC 3579, RFC 5080 2.2.2) */
	if (!a->has_session)                 /* Accounting-On/Off */
		return b->err;
	radius_put_str(b, RADIUS_ATTR_ACCT_SESSION_ID, a->acct_session_id);
	radius_put_str(b, RADIUS_ATTR_USER_NAME, a->user);
	radius_put_u32(b, RADIUS_ATTR_ACCT_AUTHENTIC, RADIUS_ACCT_AUTHENTIC_RADIUS);
	radius_put_u32(b, RADIUS_ATTR_NAS_PORT, a->nas_port);
	radius_put_str(b, RADIUS_ATTR_NAS_PORT_ID, a->nas_port_id);
	radius_put_u32(b, RADIUS_ATTR_NAS_PORT_TYPE, RADIUS_NAS_PORT_TYPE_VIRTUAL);
	radius_put_u32(b, RADIUS_ATTR_SERVICE_TYPE, RADIUS_SERVICE_FRAMED);
	radius_put_u32(b, RADIUS_ATTR_FRAMED_PROTOCOL, RADIUS_FRAMED_PROTOCOL_PPP);
	radius_put_addr(b, RADIUS_ATTR_FRAMED_IP_ADDRESS, a->framed_ip);
	if (a->calling[0])
		radius_put_str(b, RADIUS_ATTR_CALLING_STATION_ID, a->calling);
	if (a->called[0])
		radius_put_str(b, RADIUS_ATTR_CALLED_STATION_ID, a->called);
	if (a->class_len)
		radius_put(b, RADIUS_ATTR_CLASS, a->class_,
			   a->class_len); /* RFC 2865 5.25: echoed */
	/* RFC 3162 2.2, 2.3 and RFC 4818: what the subscriber has of IPv6 */
	if (a->has_ifid)
		radius_put(b, RADIUS_ATTR_FRAMED_INTERFACE_ID, a->ifid, 8);
	if (a->v6_plen)
		radius_put_ipv6_prefix(b, RADIUS_ATTR_FRAMED_IPV6_PREFIX, &a->v6_prefix,
				       a->v6_plen);
	if (a->pd_plen)
		radius_put_ipv6_prefix(b, RADIUS_ATTR_DELEGATED_IPV6_PREFIX, &a->pd_prefix,
				       a->pd_plen);
	{
		char ip[INET_ADDRSTRLEN];

		radius_put_tagged_u32(b, RADIUS_ATTR_TUNNEL_TYPE, 1, RADIUS_TUNNEL_TYPE_L2TP);
		radius_put_tagged_u32(b, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 1,
				      RADIUS_TUNNEL_MEDIUM_IPV4);
		inet_ntop(AF_INET, &a->lac, ip, sizeof(ip));
		radius_put_tagged(b, RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT, 1, ip, strlen(ip));
		inet_ntop(AF_INET, &a->lns, ip, sizeof(ip));
		radius_put_tagged(b, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 1, ip, strlen(ip));
	}
	if (a->status == RADIUS_ACCT_STATUS_START)
		return b->err;
	radius_put_u32(b, RADIUS_ATTR_ACCT_SESSION_TIME, a->session_time);
	/* Input is what the NAS received from the subscriber (RFC 2866 5.3): upstream. */
	put_counter(b, RADIUS_ATTR_ACCT_INPUT_OCTETS, RADIUS_ATTR_ACCT_INPUT_GIGAWORDS,
		    a->ctr.up_bytes);
	put_counter(b, RADIUS_ATTR_ACCT_OUTPUT_OCTETS, RADIUS_ATTR_ACCT_OUTPUT_GIGAWORDS,
		    a->ctr.down_bytes);
	put_counter(b, RADIUS_ATTR_ACCT_INPUT_PACKETS, 0, a->ctr.up_pkts);
	put_counter(b, RADIUS_ATTR_ACCT_OUTPUT_PACKETS, 0, a->ctr.down_pkts);
	if (a->status == RADIUS_ACCT_STATUS_STOP)
		radius_put_u32(b, RADIUS_ATTR_ACCT_TERMINATE_CAUSE, a->term_cause);
	return b->err;
}

static void done(void *vctx, const struct radius_pkt *p)
{
	RTE_SET_USED(vctx);
	RTE_SET_USED(p); /* an Accounting-Response carries nothing we act on */
}

static void send_rec(struct acct_rec *a)
{
	a->made_ms = cp_now_ms();
	a->event_time = (uint32_t)time(NULL);
	lns_radius_request(&a->cp->radius, RADIUS_ACCT, RADIUS_ACCOUNTING_REQUEST, build, done, a,
			   sizeof(*a));
}

/* The session's traffic since it was handed to the workers. */
void ppp_traffic(const struct ppp_session *p, struct lns_sess_ctr *c)
{
	if (p->ls->slot == LNS_SESSION_SLOT_NONE) {
		memset(c, 0, sizeof(*c));
		return;
	}
	lns_sess_ctr_sum(p->cp->rt, p->ls->slot, c);
	c->up_pkts -= p->ctr_base.up_pkts;
	c->up_bytes -= p->ctr_base.up_bytes;
	c->down_pkts -= p->ctr_base.down_pkts;
	c->down_bytes -= p->ctr_base.down_bytes;
}

static void session_rec(const struct ppp_session *p, struct acct_rec *a, uint32_t status)
{
	const struct l2tp_session *s = p->ls;

	memset(a, 0, sizeof(*a));
	a->cp = p->cp;
	a->status = status;
	a->has_session = true;
	snprintf(a->user, sizeof(a->user), "%s", p->user);
	snprintf(a->acct_session_id, sizeof(a->acct_session_id), "%s", p->acct_session_id);
	a->framed_ip = p->peer_ip;
	a->nas_port = (uint32_t)s->t->tid << 16 | s->sid;
	snprintf(a->nas_port_id, sizeof(a->nas_port_id), "%u/%u", s->t->tid, s->sid);
	snprintf(a->calling, sizeof(a->calling), "%s", L2TP_STR(s->calling));
	snprintf(a->called, sizeof(a->called), "%s", L2TP_STR(s->called));
	a->lac.s_addr = s->t->peer_ip;
	a->lns.s_addr = s->t->local_ip;
	a->class_len = p->class_len;
	if (a->class_len)
		memcpy(a->class_, p->class_, a->class_len);
	if (p->ipv6_up) {
		a->has_ifid = true;
		memcpy(a->ifid, p->peer_ifid, 8);
		if (p->pfx.routed) {
			a->v6_prefix = p->pfx.a;
			a->v6_plen = p->pfx.plen;
		}
		if (p->pd.routed) {
			a->pd_prefix = p->pd.a;
			a->pd_plen = p->pd.plen;
		}
	}
	a->session_time = (uint32_t)((cp_now_ms() - p->up_ms) / 1000);
	ppp_traffic(p, &a->ctr);
}

static bool accounting(const struct ppp_session *p)
{
	return p->cp->radius.n_acct > 0 && p->cp->rt->cfg->radius.enabled;
}

void ppp_acct_start(struct ppp_session *p)
{
	struct acct_rec a;
	uint32_t iv;

	if (!accounting(p) || p->acct_started)
		return;
	session_rec(p, &a, RADIUS_ACCT_STATUS_START);
	send_rec(&a);
	p->acct_started = true;
	/* The server's interval wins over ours (RFC 2869 5.16), but not below a minute. */
	iv = p->auth_reply.attrs.interim_interval ? p->auth_reply.attrs.interim_interval
						  : p->cp->rt->cfg->radius.interim_interval;
	if (iv && iv < 60 && p->auth_reply.attrs.interim_interval == 0)
		iv = 60;
	p->interim_ms = iv * 1000ull;
	p->interim_at = iv ? cp_now_ms() + p->interim_ms : 0;
}

void ppp_acct_tick(struct ppp_session *p, uint64_t now)
{
	struct acct_rec a;

	if (!p->acct_started || p->interim_at == 0 || now < p->interim_at)
		return;
	session_rec(p, &a, RADIUS_ACCT_STATUS_INTERIM_UPDATE);
	send_rec(&a);
	p->interim_at = now + p->interim_ms;
}

void ppp_acct_stop(struct ppp_session *p, uint32_t cause)
{
	struct acct_rec a;

	if (!p->acct_started)
		return;
	session_rec(p, &a, RADIUS_ACCT_STATUS_STOP);
	a.term_cause = cause;
	send_rec(&a);
	p->acct_started = false;
}

/* Accounting-On at start, Accounting-Off at an orderly stop (RFC 2866 5.1). */
void radius_acct_onoff(struct lns_cp *cp, bool on)
{
	struct acct_rec a;

	if (cp->radius.n_acct == 0 || !cp->rt->cfg->radius.enabled)
		return;
	memset(&a, 0, sizeof(a));
	a.cp = cp;
	a.status = on ? RADIUS_ACCT_STATUS_ACCOUNTING_ON : RADIUS_ACCT_STATUS_ACCOUNTING_OFF;
	if (cp->rt->cfg->l2tp.n_listen && cp->rt->cfg->l2tp.listen[0].family == AF_INET)
		a.lns = cp->rt->cfg->l2tp.listen[0].v4;
	send_rec(&a);
}
