/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PPP authentication, the LNS as authenticator: PAP (RFC 1334), CHAP-MD5
 * (RFC 1994), MS-CHAPv2 (RFC 2759), and proxy authentication from the LAC's
 * ICCN (RFC 2661 section 4.4.5). The verdict comes from the asynchronous
 * backend (cp/auth.c). Main lcore only.
 *
 *  PAP Authenticate-Request:            CHAP Challenge / Response:
 *  +------+----+--------+               +------+----+--------+
 *  | 1    | id | length |               | 1/2  | id | length |
 *  +------+----+--------+               +------+----+--------+
 *  | idlen| Peer-ID ... |               | vlen | Value ... | Name ...
 *  | pwlen| Password ...|
 *
 *  MS-CHAPv2 Response Value (49 octets): Peer-Challenge (16), Reserved (8),
 *  NT-Response (24), Flags (1).
 */
#include <stdio.h>
#include <string.h>

#include <rte_random.h>

#include "config/config.h"
#include "cp/cp.h"
#include "cp/l2tp.h"
#include "cp/log.h"
#include "cp/ppp.h"

enum { PAP_REQ = 1, PAP_ACK = 2, PAP_NAK = 3 };
enum { CHAP_CHALLENGE = 1, CHAP_RESPONSE = 2, CHAP_SUCCESS = 3, CHAP_FAILURE = 4 };
#define MSCHAPV2_RESPONSE_LEN 49
#define MSCHAP_E_AUTH_FAILURE 691 /* RFC 2759 section 6 */

static void send_msg(struct ppp_session *p, uint16_t proto, uint8_t code, uint8_t id,
		     const char *msg, bool pap_len_octet)
{
	uint8_t pkt[256];
	size_t n = strlen(msg), off = 4;

	if (n > sizeof(pkt) - 5)
		n = sizeof(pkt) - 5;
	if (pap_len_octet)
		pkt[off++] = (uint8_t)n; /* PAP's Msg-Length */
	memcpy(pkt + off, msg, n);
	off += n;
	pkt[0] = code;
	pkt[1] = id;
	pkt[2] = (uint8_t)(off >> 8);
	pkt[3] = (uint8_t)off;
	ppp_send(p, proto, pkt, off);
}

static void new_challenge(struct ppp_session *p)
{
	cp_random(p->challenge, sizeof(p->challenge));
}

static void send_challenge(struct ppp_session *p)
{
	const char *name = p->cp->rt->cfg->l2tp.host_name;
	uint8_t pkt[5 + MSCHAPV2_CHALLENGE_LEN + LNS_NAME_MAX];
	size_t nlen = strlen(name), vlen = MSCHAPV2_CHALLENGE_LEN;

	pkt[0] = CHAP_CHALLENGE;
	pkt[1] = p->chap_id;
	pkt[4] = (uint8_t)vlen;
	memcpy(pkt + 5, p->challenge, vlen);
	memcpy(pkt + 5 + vlen, name, nlen);
	pkt[2] = (uint8_t)((5 + vlen + nlen) >> 8);
	pkt[3] = (uint8_t)(5 + vlen + nlen);
	ppp_send(p, PPP_CHAP, pkt, 5 + vlen + nlen);
}

static void auth_failed(struct ppp_session *p, const char *why)
{
	p->cp->ppp_c.auth_failed++;
	LNS_LOG(INFO, cp, "session %u/%u: %s authentication of \"%s\" failed: %s", p->ls->t->tid,
		p->ls->sid, auth_proto_name(p->auth), p->user, why);
	ppp_kill(p, L2TP_CDN_ERROR, L2TP_GERR_NONE, L2TP_PPP_DISC_AUTH_FAILED,
		 p->auth == AUTH_PAP ? PPP_PAP : PPP_CHAP, L2TP_PPP_DISC_DIR_LOCAL,
		 "authentication failed");
}

const char ppp_no_user[1] = "";

void ppp_user_free(struct ppp_session *p)
{
	if (p->user != ppp_no_user)
		free(p->user);
	p->user = (char *)ppp_no_user;
}

void ppp_auth_free(struct ppp_session *p)
{
	ppp_user_free(p);
	free(p->class_);
	p->class_ = NULL;
	p->class_len = 0;
	free(p->routes6);
	p->routes6 = NULL;
	p->n_routes6 = 0;
}

static void auth_done(void *ctx, const struct auth_reply *r)
{
	struct ppp_session *p = ctx;
	char msg[128];

	p->auth_handle = 0;
	p->auth_reply.has_address = r->has_address;
	p->auth_reply.address = r->address;
	p->auth_reply.pool = r->pool;
	p->auth_reply.pool6 = r->pool6;
	p->auth_reply.pd_pool = r->pd_pool;
	p->auth_reply.attrs = r->attrs;
	free(p->class_);
	p->class_ = NULL;
	p->class_len = 0;
	if (r->class_len && (p->class_ = malloc(r->class_len)) != NULL) {
		memcpy(p->class_, r->class_, r->class_len);
		p->class_len = r->class_len;
	}
	/* Framed IPv6 routes at their number: most sessions have none (routed with IPv6CP). */
	free(p->routes6);
	p->routes6 = NULL;
	p->n_routes6 = 0;
	if (r->n_routes6 && (p->routes6 = malloc(r->n_routes6 * sizeof(*p->routes6))) != NULL) {
		memcpy(p->routes6, r->routes6, r->n_routes6 * sizeof(*p->routes6));
		p->n_routes6 = r->n_routes6;
	} else if (r->n_routes6) {
		p->cp->ppp_c.framed_ipv6_routes_refused += r->n_routes6;
		LNS_LOG(WARNING, cp, "session %u/%u: %u framed IPv6 routes not kept: out of memory",
			p->ls->t->tid, p->ls->sid, r->n_routes6);
	}
	if (p->dying)
		return;
	if (!r->accept) {
		if (p->auth == AUTH_PAP) {
			send_msg(p, PPP_PAP, PAP_NAK, p->chap_id, "authentication failed", true);
		} else if (p->auth == AUTH_MSCHAPV2) {
			uint8_t next[MSCHAPV2_CHALLENGE_LEN];
			char hex[2 * MSCHAPV2_CHALLENGE_LEN + 1];

			cp_random(next, sizeof(next));
			for (size_t i = 0; i < sizeof(next); i++)
				snprintf(hex + 2 * i, 3, "%02X", next[i]);
			if (r->mschap_error[0])
				snprintf(msg, sizeof(msg), "%s", r->mschap_error);
			else
				snprintf(msg, sizeof(msg),
					 "E=%d R=0 C=%s V=3 M=Authentication failure",
					 MSCHAP_E_AUTH_FAILURE, hex);
			send_msg(p, PPP_CHAP, CHAP_FAILURE, p->chap_id, msg, false);
		} else {
			send_msg(p, PPP_CHAP, CHAP_FAILURE, p->chap_id, "authentication failed",
				 false);
		}
		auth_failed(p, r->message);
		ppp_arm(p);
		return;
	}
	if (p->auth == AUTH_PAP) {
		send_msg(p, PPP_PAP, PAP_ACK, p->chap_id, "welcome", true);
	} else if (p->auth == AUTH_MSCHAPV2) {
		snprintf(msg, sizeof(msg), "%s M=welcome", r->mschapv2_auth_response);
		send_msg(p, PPP_CHAP, CHAP_SUCCESS, p->chap_id, msg, false);
	} else {
		send_msg(p, PPP_CHAP, CHAP_SUCCESS, p->chap_id, "welcome", false);
	}
	p->authenticated = true;
	p->auth_at = 0;
	p->cp->ppp_c.auth_ok++;
	if (p->proxy_auth)
		p->cp->ppp_c.proxy_auth_accepted++;
	LNS_LOG(INFO, cp, "session %u/%u: \"%s\" authenticated (%s, %s)", p->ls->t->tid, p->ls->sid,
		p->user, auth_proto_name(p->auth), r->message);
	p->phase = PPP_PHASE_NETWORK;
	ppp_ncp_start(p);
	ppp_arm(p);
}

static void ask_backend(struct ppp_session *p, struct auth_req *req)
{
	const struct l2tp_session *s = p->ls;

	/* Who asks: for RADIUS's NAS-Port, Calling-Station-Id, tunnel attributes. */
	req->nas_port = (uint32_t)s->t->tid << 16 | s->sid;
	snprintf(req->nas_port_id, sizeof(req->nas_port_id), "%u/%u", s->t->tid, s->sid);
	snprintf(req->calling, sizeof(req->calling), "%s", L2TP_STR(s->calling));
	snprintf(req->called, sizeof(req->called), "%s", L2TP_STR(s->called));
	if (s->tx_speed)
		snprintf(req->connect_info, sizeof(req->connect_info), "%u/%u", s->tx_speed,
			 s->rx_speed);
	snprintf(req->acct_session_id, sizeof(req->acct_session_id), "%s", p->acct_session_id);
	req->lac.s_addr = s->t->peer_ip;
	req->lns.s_addr = s->t->local_ip;
	snprintf(req->lac_name, sizeof(req->lac_name), "%.63s", s->t->host_name);
	snprintf(req->lns_name, sizeof(req->lns_name), "%s", p->cp->rt->cfg->l2tp.host_name);
	{
		char *u = malloc(req->user_len + 1);

		if (u == NULL)
			return auth_failed(p, "out of memory");
		memcpy(u, req->user, req->user_len);
		u[req->user_len] = '\0';
		for (size_t i = 0; i < req->user_len; i++) /* printable in logs and lnsctl */
			if ((unsigned char)u[i] < 0x20 || (unsigned char)u[i] > 0x7e)
				u[i] = '?';
		ppp_user_free(p);
		p->user = u;
	}
	p->auth_handle = lns_auth_start(&p->cp->auth, req, auth_done, p);
	if (p->auth_handle == 0)
		auth_failed(p, "out of memory");
}

/* RFC 2661 section 4.4.5: the LAC authenticated the client already; check its answer. */
static bool proxy_auth(struct ppp_session *p)
{
	const struct l2tp_session *s = p->ls;
	struct auth_req req = {0};
	size_t nlen = strlen(L2TP_STR(s->proxy_auth_name));

	if (!p->cp->rt->cfg->ppp.proxy_auth || nlen == 0)
		return false;
	req.user_len = (uint8_t)(nlen > AUTH_NAME_MAX ? AUTH_NAME_MAX : nlen);
	memcpy(req.user, L2TP_STR(s->proxy_auth_name), req.user_len);
	if (s->proxy_auth_type == L2TP_PROXY_AUTH_PAP && p->auth == AUTH_PAP &&
	    s->proxy_auth_resp.len < sizeof(req.password)) {
		req.proto = AUTH_PAP;
		req.password_len = (uint8_t)s->proxy_auth_resp.len;
		if (req.password_len) /* an empty password is a password */
			memcpy(req.password, s->proxy_auth_resp.p, s->proxy_auth_resp.len);
	} else if (s->proxy_auth_type == L2TP_PROXY_AUTH_CHAP && p->auth == AUTH_CHAP_MD5 &&
		   s->proxy_auth_resp.len == CHAP_MD5_LEN && s->proxy_auth_chal.len > 0 &&
		   s->proxy_auth_chal.len <= sizeof(req.challenge)) {
		req.proto = AUTH_CHAP_MD5;
		req.chap_id = (uint8_t)s->proxy_auth_id;
		req.challenge_len = (uint8_t)s->proxy_auth_chal.len;
		memcpy(req.challenge, s->proxy_auth_chal.p, s->proxy_auth_chal.len);
		req.response_len = CHAP_MD5_LEN;
		memcpy(req.response, s->proxy_auth_resp.p, CHAP_MD5_LEN);
	} else {
		return false;
	}
	p->chap_id = (uint8_t)s->proxy_auth_id; /* our answer carries the proxied ID */
	p->proxy_auth = true;
	ask_backend(p, &req);
	return true;
}

void ppp_auth_start(struct ppp_session *p)
{
	const struct lns_ppp_cfg *c = &p->cp->rt->cfg->ppp;
	uint64_t now = ppp_now();

	p->auth_tries = 0;
	if (proxy_auth(p))
		return;
	if (p->auth == AUTH_PAP) {
		/* The peer speaks first; give it as long as a Configure exchange may take. */
		p->auth_at = now + (uint64_t)c->restart_ms * c->max_configure;
		return;
	}
	p->chap_id = (uint8_t)rte_rand();
	new_challenge(p);
	send_challenge(p);
	p->auth_tries = 1;
	p->auth_at = now + c->restart_ms;
}

void ppp_auth_tick(struct ppp_session *p, uint64_t now)
{
	const struct lns_ppp_cfg *c = &p->cp->rt->cfg->ppp;

	if (p->auth_at == 0 || now < p->auth_at || p->authenticated || p->auth_handle)
		return;
	if (p->auth == AUTH_PAP || p->auth_tries >= c->max_configure) {
		p->auth_at = 0;
		p->cp->ppp_c.auth_timeout++;
		ppp_kill(p, L2TP_CDN_ERROR, L2TP_GERR_NONE, L2TP_PPP_DISC_AUTH_TIMEOUT,
			 p->auth == AUTH_PAP ? PPP_PAP : PPP_CHAP, L2TP_PPP_DISC_DIR_LOCAL,
			 "authentication timed out");
		return;
	}
	send_challenge(p); /* the same challenge and ID again */
	p->auth_tries++;
	p->auth_at = now + c->restart_ms;
}

static void pap_input(struct ppp_session *p, uint8_t id, const uint8_t *d, size_t len)
{
	struct auth_req req = {.proto = AUTH_PAP};
	uint8_t ulen, plen;

	if (p->authenticated) { /* our Ack was lost: say it again */
		send_msg(p, PPP_PAP, PAP_ACK, id, "welcome", true);
		return;
	}
	if (p->auth_handle || p->auth != AUTH_PAP)
		return; /* a retransmission while the backend thinks, or not asked for */
	if (len < 1 || (ulen = d[0]) + 2u > len || (plen = d[1 + ulen]) + 2u + ulen > len) {
		p->cp->ppp_c.rx_bad++;
		return;
	}
	req.user_len = ulen;
	memcpy(req.user, d + 1, ulen);
	req.password_len = plen;
	memcpy(req.password, d + 2 + ulen, plen);
	p->chap_id = id;
	ask_backend(p, &req);
}

static void chap_input(struct ppp_session *p, uint8_t id, const uint8_t *d, size_t len)
{
	struct auth_req req = {0};
	size_t vlen, nlen;

	if (p->authenticated || p->auth_handle || id != p->chap_id ||
	    (p->auth != AUTH_CHAP_MD5 && p->auth != AUTH_MSCHAPV2))
		return; /* stale, duplicate, or not ours (RFC 1994 section 4.1) */
	if (len < 1 || (vlen = d[0]) + 1 > len) {
		p->cp->ppp_c.rx_bad++;
		return;
	}
	if ((p->auth == AUTH_CHAP_MD5 && vlen != CHAP_MD5_LEN) ||
	    (p->auth == AUTH_MSCHAPV2 && vlen != MSCHAPV2_RESPONSE_LEN)) {
		p->cp->ppp_c.rx_bad++;
		return;
	}
	nlen = len - 1 - vlen;
	if (nlen > AUTH_NAME_MAX)
		nlen = AUTH_NAME_MAX;
	req.proto = p->auth;
	req.chap_id = id;
	req.challenge_len = MSCHAPV2_CHALLENGE_LEN;
	memcpy(req.challenge, p->challenge, MSCHAPV2_CHALLENGE_LEN);
	req.response_len = (uint8_t)vlen;
	memcpy(req.response, d + 1, vlen);
	req.user_len = (uint8_t)nlen;
	memcpy(req.user, d + 1 + vlen, nlen);
	/* MS-CHAPv2 hashes the user name without any domain (RFC 2759 section 4). */
	ask_backend(p, &req);
}

void ppp_auth_input(struct ppp_session *p, uint16_t proto, const uint8_t *pkt, size_t len)
{
	size_t plen;

	if (len < PPP_HDR_LEN || (plen = (size_t)pkt[2] << 8 | pkt[3]) < PPP_HDR_LEN ||
	    plen > len) {
		p->cp->ppp_c.rx_bad++;
		return;
	}
	if (p->phase != PPP_PHASE_AUTHENTICATE && !p->authenticated)
		return; /* before LCP is up: discarded (RFC 1661 section 3.5) */
	if (proto == PPP_PAP && pkt[0] == PAP_REQ)
		pap_input(p, pkt[1], pkt + PPP_HDR_LEN, plen - PPP_HDR_LEN);
	else if (proto == PPP_CHAP && pkt[0] == CHAP_RESPONSE)
		chap_input(p, pkt[1], pkt + PPP_HDR_LEN, plen - PPP_HDR_LEN);
	else
		p->cp->ppp_c.rx_bad++;
}

void ppp_auth_cancel(struct ppp_session *p)
{
	if (p->auth_handle)
		lns_auth_cancel(&p->cp->auth, p->auth_handle);
	p->auth_handle = 0;
}
