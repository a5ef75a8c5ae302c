/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dynamic authorisation server (RFC 5176): Disconnect-Request and
 * CoA-Request from the configured clients, on a kernel UDP socket in the
 * control loop. Main lcore only; reads and changes live sessions.
 *
 * A session is identified by every identification attribute present
 * (Acct-Session-Id, User-Name, Framed-IP-Address, NAS-Port, NAS-Port-Id);
 * NAS-IP-Address / NAS-Identifier, when present, must be ours. Disconnect
 * ends every matching session; CoA changes Session-Timeout, Idle-Timeout and
 * rate limits of exactly one, and refuses anything else with Error-Cause 401.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "config/config.h"
#include "cp/cp.h"
#include "cp/l2tp.h"
#include "cp/log.h"
#include "cp/ppp.h"
#include "cp/radius.h"
#include "cp/radius_codec.h"

#define MAX_MATCH 64

static const struct lns_radius_dae_client_cfg *client_of(const struct lns_radius_cfg *rc,
							 const struct sockaddr_storage *from)
{
	struct lns_addr a = {0};

	if (from->ss_family == AF_INET) {
		a.family = AF_INET;
		a.plen = 32;
		a.v4 = ((const struct sockaddr_in *)from)->sin_addr;
	} else {
		a.family = AF_INET6;
		a.plen = 128;
		a.v6 = ((const struct sockaddr_in6 *)from)->sin6_addr;
	}
	for (size_t i = 0; i < rc->n_dae_clients; i++)
		if (lns_addr_in_prefix(&a, &rc->dae_clients[i].addr))
			return &rc->dae_clients[i];
	return NULL;
}

static bool attr_is(const struct radius_attr *a, const char *s)
{
	return a->len == strlen(s) && memcmp(a->v, s, a->len) == 0;
}

/* Does session p match every identification attribute of the request? */
static bool matches(const struct ppp_session *p, const struct radius_pkt *q)
{
	const struct l2tp_session *s = p->ls;
	char port_id[32];
	bool any = false;

	snprintf(port_id, sizeof(port_id), "%u/%u", s->t->tid, s->sid);
	for (unsigned i = 0; i < q->n; i++) {
		const struct radius_attr *a = &q->a[i];
		uint32_t v;

		if (a->vendor)
			continue;
		switch (a->type) {
		case RADIUS_ATTR_ACCT_SESSION_ID:
			if (!attr_is(a, p->acct_session_id))
				return false;
			break;
		case RADIUS_ATTR_USER_NAME:
			if (!attr_is(a, p->user))
				return false;
			break;
		case RADIUS_ATTR_FRAMED_IP_ADDRESS:
			if (a->len != 4 || !p->has_ip || memcmp(a->v, &p->peer_ip, 4) != 0)
				return false;
			break;
		case RADIUS_ATTR_NAS_PORT_ID:
			if (!attr_is(a, port_id))
				return false;
			break;
		case RADIUS_ATTR_NAS_PORT:
			if (radius_get_u32(a, &v) < 0 || v != ((uint32_t)s->t->tid << 16 | s->sid))
				return false;
			break;
		default:
			continue;
		}
		any = true;
	}
	return any;
}

static bool own_v4(const struct lns_cp *cp, const uint8_t *v)
{
	rte_be32_t a;

	memcpy(&a, v, 4);
	for (unsigned i = 0; i < cp->rt->n_ports; i++)
		if (lns_port_has_v4(&cp->rt->ports[i], a))
			return true;
	return false;
}

/* 0, or the Error-Cause that refuses the request's attributes. */
static uint32_t check_attrs(const struct lns_cp *cp, const struct radius_pkt *q, bool coa)
{
	const struct lns_radius_cfg *rc = &cp->rt->cfg->radius;
	const char *nas_id = rc->nas_identifier[0] ? rc->nas_identifier : cp->rt->cfg->l2tp.host_name;
	bool ident = false;

	for (unsigned i = 0; i < q->n; i++) {
		const struct radius_attr *a = &q->a[i];

		if (a->vendor == RADIUS_VENDOR_LNS && coa)
			continue; /* rate limits */
		if (a->vendor)
			return RADIUS_ERROR_UNSUPPORTED_ATTRIBUTE;
		switch (a->type) {
		case RADIUS_ATTR_ACCT_SESSION_ID:
		case RADIUS_ATTR_USER_NAME:
		case RADIUS_ATTR_FRAMED_IP_ADDRESS:
		case RADIUS_ATTR_NAS_PORT_ID:
		case RADIUS_ATTR_NAS_PORT:
			ident = true;
			break;
		case RADIUS_ATTR_NAS_IDENTIFIER:
			if (!attr_is(a, nas_id))
				return RADIUS_ERROR_NAS_IDENTIFICATION_MISMATCH;
			break;
		case RADIUS_ATTR_NAS_IP_ADDRESS:
			/* The configured NAS-IP-Address, else one of ours (the tunnel's, sent). */
			if (a->len != 4 || (rc->has_nas_ip ? rc->nas_ip.family != AF_INET ||
								     memcmp(a->v, &rc->nas_ip.v4, 4) != 0
							   : !own_v4(cp, a->v)))
				return RADIUS_ERROR_NAS_IDENTIFICATION_MISMATCH;
			break;
		case RADIUS_ATTR_MESSAGE_AUTHENTICATOR:
		case RADIUS_ATTR_EVENT_TIMESTAMP:
		case RADIUS_ATTR_PROXY_STATE:
		case RADIUS_ATTR_ACCT_TERMINATE_CAUSE:
			break;
		case RADIUS_ATTR_SESSION_TIMEOUT:
		case RADIUS_ATTR_IDLE_TIMEOUT:
			if (coa)
				break;
			return RADIUS_ERROR_UNSUPPORTED_ATTRIBUTE;
		default:
			return RADIUS_ERROR_UNSUPPORTED_ATTRIBUTE;
		}
	}
	return ident ? 0 : RADIUS_ERROR_MISSING_ATTRIBUTE;
}

static void apply_coa(struct ppp_session *p, const struct radius_pkt *q)
{
	struct auth_attrs *at = &p->auth_reply.attrs;
	uint32_t v;

	for (unsigned i = 0; i < q->n; i++) {
		const struct radius_attr *a = &q->a[i];

		if (radius_get_u32(a, &v) < 0)
			continue;
		if (a->vendor == 0 && a->type == RADIUS_ATTR_SESSION_TIMEOUT)
			ppp_set_session_timeout(p, v);
		else if (a->vendor == 0 && a->type == RADIUS_ATTR_IDLE_TIMEOUT)
			ppp_set_idle_timeout(p, v);
		else if (a->vendor == RADIUS_VENDOR_LNS && a->vtype == RADIUS_LNS_RATE_LIMIT_UP)
			at->rate_up = v;
		else if (a->vendor == RADIUS_VENDOR_LNS && a->vtype == RADIUS_LNS_RATE_LIMIT_DOWN)
			at->rate_down = v;
		else if (a->vendor == RADIUS_VENDOR_LNS && a->vtype == RADIUS_LNS_RATE_LIMIT_BURST)
			at->rate_burst = v;
	}
}

static void reply(struct lns_radius *r, const struct sockaddr_storage *to, socklen_t tl,
		  const struct radius_pkt *q, const char *secret, uint8_t code, uint32_t cause)
{
	uint8_t pkt[256];
	struct radius_builder b;
	int len;

	if (radius_build_begin(&b, pkt, sizeof(pkt), code, q->id, q->authenticator) < 0)
		return;
	if (cause)
		radius_put_u32(&b, RADIUS_ATTR_ERROR_CAUSE, cause);
	radius_put_message_authenticator(&b);
	len = radius_build_end_response(&b, q->authenticator, (const uint8_t *)secret,
					strlen(secret));
	if (len < 0)
		return;
	sendto(r->dae_fd, pkt, (size_t)len, 0, (const struct sockaddr *)to, tl);
	if (cause)
		r->c.dae_naks++;
	else
		r->c.dae_acks++;
}

static void handle(struct lns_radius *r, const uint8_t *buf, size_t len,
		   const struct sockaddr_storage *from, socklen_t fl)
{
	struct lns_cp *cp = r->cp;
	const struct lns_radius_dae_client_cfg *cl = client_of(&cp->rt->cfg->radius, from);
	struct ppp_session *match[MAX_MATCH];
	unsigned n = 0;
	struct radius_pkt q;
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	uint32_t cause;
	bool coa;

	r->c.dae_requests++;
	if (cl == NULL || radius_parse(buf, len, &q) < 0 ||
	    (q.code != RADIUS_DISCONNECT_REQUEST && q.code != RADIUS_COA_REQUEST) ||
	    radius_verify_request(buf, len, &q, (const uint8_t *)cl->secret, strlen(cl->secret),
				  false) != RADIUS_OK) {
		r->c.dae_bad++; /* RFC 5176 3.4: silently discarded */
		return;
	}
	coa = q.code == RADIUS_COA_REQUEST;
	cause = check_attrs(cp, &q, coa);
	if (cause == 0) {
		TAILQ_FOREACH(t, &cp->l2tp.tunnels, next)
			TAILQ_FOREACH(s, &t->sessions, next)
				if (s->ppp && !s->ppp->dying && n < MAX_MATCH && matches(s->ppp, &q))
					match[n++] = s->ppp;
		if (n == 0)
			cause = RADIUS_ERROR_SESSION_CONTEXT_NOT_FOUND;
		else if (coa && n > 1)
			cause = RADIUS_ERROR_MULTIPLE_SESSION_SELECTION_UNSUPPORTED;
	}
	if (cause) {
		LNS_LOG(INFO, cp, "RADIUS %s refused: Error-Cause %u",
			coa ? "CoA-Request" : "Disconnect-Request", cause);
		reply(r, from, fl, &q, cl->secret, coa ? RADIUS_COA_NAK : RADIUS_DISCONNECT_NAK,
		      cause);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		if (coa) {
			apply_coa(match[i], &q);
			LNS_LOG(INFO, cp, "RADIUS CoA applied to \"%s\"", match[i]->user);
		} else {
			LNS_LOG(INFO, cp, "RADIUS Disconnect-Request for \"%s\"", match[i]->user);
			ppp_disconnect_admin(match[i], RADIUS_TERM_ADMIN_RESET,
					     "RADIUS Disconnect-Request");
		}
	}
	reply(r, from, fl, &q, cl->secret, coa ? RADIUS_COA_ACK : RADIUS_DISCONNECT_ACK, 0);
}

void radius_dae_input(struct lns_radius *r)
{
	uint8_t buf[4096];
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	ssize_t len;

	while ((len = recvfrom(r->dae_fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
			       &fl)) > 0) {
		handle(r, buf, (size_t)len, &from, fl);
		fl = sizeof(from);
	}
}

int radius_dae_init(struct lns_radius *r)
{
	const struct lns_radius_cfg *rc = &r->cp->rt->cfg->radius;
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &r->dae_fd};
	struct sockaddr_storage ss = {0};
	socklen_t sl;
	int one = 1;

	if (rc->dae_addr.family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;

		s->sin_family = AF_INET;
		s->sin_port = htons((uint16_t)rc->dae_port);
		s->sin_addr = rc->dae_addr.v4;
		sl = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons((uint16_t)rc->dae_port);
		s->sin6_addr = rc->dae_addr.v6;
		sl = sizeof(*s);
	}
	r->dae_fd = socket(rc->dae_addr.family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (r->dae_fd < 0)
		return -errno;
	setsockopt(r->dae_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(r->dae_fd, (struct sockaddr *)&ss, sl) < 0 ||
	    epoll_ctl(r->cp->epfd, EPOLL_CTL_ADD, r->dae_fd, &ev) < 0)
		return -errno;
	return 0;
}
