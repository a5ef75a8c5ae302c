/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The PPP test harness (see ppp_harness.h). Defines what cp/ppp.c and
 * cp/ppp_fwd.c provide to the PPP option code in lnsd, each stand-in doing
 * what the real one does to the session (ppp_kill marks it dying, ppp_send
 * drops non-LCP frames of a dying session, ppp_fwd_up/down flip
 * ls->forwarding, ppp_fwd6_up/down p->fwd6) without timers, mbufs, hash tables or workers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_log.h>

#include "config/config.h"
#include "cp/auth.h"
#include "cp/chap.h"
#include "cp/cp.h"
#include "cp/l2tp.h"
#include "cp/pool.h"
#include "cp/ppp.h"
#include "tests/unit/ppp_harness.h"

struct h_env *h_cur;
uint64_t h_now_ms = 1000000;
int h_log_level = RTE_LOG_WARNING;
void (*h_send_hook)(struct ppp_session *p, uint16_t proto, const uint8_t *pkt, size_t len);

/* ---- what cp/ppp.c defines ---------------------------------------------------------------- */

uint64_t ppp_now(void)
{
	return h_now_ms;
}

const char *auth_proto_name(enum auth_proto a)
{
	return a == AUTH_PAP ? "pap" : a == AUTH_CHAP_MD5 ? "chap-md5" : "mschapv2";
}

const char *ppp_phase_name(enum ppp_phase ph)
{
	static const char *const n[] = {"dead", "establish", "authenticate", "network",
					"terminate"};

	return (unsigned)ph < RTE_DIM(n) ? n[ph] : "?";
}

void ppp_send(struct ppp_session *p, uint16_t proto, const uint8_t *pkt, size_t len)
{
	struct h_env *e = h_cur;
	struct h_frame *f;

	if (h_send_hook)
		h_send_hook(p, proto, pkt, len);
	e->sent++;
	if (p->dying && proto != PPP_LCP) {
		e->dropped++;
		return;
	}
	if (len > PPP_MAX_PKT)
		len = PPP_MAX_PKT;
	if (e->n_frames == H_MAX_FRAMES) { /* full: forget the oldest */
		e->first = (e->first + 1) % H_MAX_FRAMES;
		e->n_frames--;
	}
	f = &e->frames[(e->first + e->n_frames++) % H_MAX_FRAMES];
	f->p = p;
	f->proto = proto;
	f->len = len;
	memcpy(f->data, pkt, len);
	p->cp->ppp_c.tx_frames++;
}

void ppp_arm(struct ppp_session *p)
{
	(void)p;
	h_cur->arms++;
}

void ppp_kill(struct ppp_session *p, uint16_t cdn_result, uint16_t cdn_error, uint16_t code,
	      uint16_t proto, uint8_t dir, const char *why)
{
	h_cur->kills++;
	if (p->dying)
		return; /* the first reason is the one that counts */
	p->dying = true;
	p->phase = PPP_PHASE_TERMINATE;
	p->cdn_result = cdn_result;
	p->cdn_error = cdn_error;
	p->disc_code = code;
	p->disc_proto = proto;
	p->disc_dir = dir;
	snprintf(p->why, sizeof(p->why), "%s", why);
	ppp_arm(p);
}

/* ---- what cp/ppp_fwd.c defines ------------------------------------------------------------ */

int ppp_addr_claim(struct ppp_session *p)
{
	struct h_env *e = h_cur;

	if (e->fail_claim)
		return -EADDRINUSE;
	for (unsigned i = 0; i < e->n_claims; i++)
		if (e->claims[i].a.s_addr == p->peer_ip.s_addr)
			return -EADDRINUSE;
	if (e->n_claims == H_MAX_CLAIMS)
		return -ENOSPC;
	e->claims[e->n_claims].a = p->peer_ip;
	e->claims[e->n_claims].p = p;
	e->n_claims++;
	return 0;
}

void ppp_addr_unclaim(struct ppp_session *p)
{
	struct h_env *e = h_cur;

	for (unsigned i = 0; i < e->n_claims; i++) {
		if (e->claims[i].a.s_addr == p->peer_ip.s_addr && e->claims[i].p == p) {
			e->claims[i] = e->claims[--e->n_claims];
			return;
		}
	}
}

void ppp_fwd_up(struct ppp_session *p)
{
	if (p->ls->forwarding)
		return;
	h_cur->fwd_ups++;
	p->ls->forwarding = true;
}

void ppp_fwd_down(struct ppp_session *p)
{
	if (!p->ls->forwarding)
		return;
	h_cur->fwd_downs++;
	p->ls->forwarding = false;
}

/* IPv6's prefixes marked routed, as the real one does when the FIB takes them. */
void ppp_fwd6_up(struct ppp_session *p)
{
	if (p->fwd6)
		return;
	h_cur->fwd6_ups++;
	p->fwd6 = true;
	p->pfx.routed = p->pfx.plen != 0;
	p->pd.routed = p->pd.plen != 0;
}

void ppp_fwd6_down(struct ppp_session *p)
{
	if (!p->fwd6)
		return;
	h_cur->fwd6_downs++;
	p->fwd6 = false;
	p->pfx.routed = p->pd.routed = false;
}

/* ---- what cp/radius*.c define (no test configures RADIUS: never called) ---------------- */

uint64_t radius_auth_start(struct lns_cp *cp, const struct auth_req *req, auth_done_fn done,
			   void *ctx)
{
	(void)cp;
	(void)req;
	(void)done;
	(void)ctx;
	abort();
}

void lns_radius_cancel(struct lns_radius *r, uint64_t handle)
{
	(void)r;
	(void)handle;
	abort();
}

/* ---- environment -------------------------------------------------------------------------- */

struct h_env *h_env_new(const char *yaml)
{
	char err[256];
	struct lns_config *cfg =
		lns_config_parse("test.yaml", yaml, strlen(yaml), err, sizeof(err));
	struct h_env *e;

	if (cfg == NULL) {
		fprintf(stderr, "ppp_harness: configuration: %s\n", err);
		return NULL;
	}
	e = h_env_new_cfg(cfg);
	if (e == NULL) {
		lns_config_free(cfg);
		return NULL;
	}
	e->own_cfg = true;
	return e;
}

struct h_env *h_env_new_cfg(const struct lns_config *c)
{
	struct h_env *e = calloc(1, sizeof(*e));
	struct lns_config *cfg = (struct lns_config *)c; /* never written */
	int access = -1;

	if (getenv("LNS_TEST_LOG") == NULL)
		rte_log_set_global_level((uint32_t)h_log_level);
	if (e == NULL)
		return NULL;
	e->cfg = cfg;
	e->rt = calloc(1, sizeof(*e->rt));
	e->cp = calloc(1, sizeof(*e->cp));
	e->t = calloc(1, sizeof(*e->t));
	if (e->rt == NULL || e->cp == NULL || e->t == NULL)
		goto err;
	e->rt->cfg = cfg;
	for (size_t i = 0; i < cfg->n_ports; i++) {
		e->rt->ports[i].port_id = (uint16_t)i;
		e->rt->ports[i].cfg_idx = (uint16_t)i;
		e->rt->ports[i].mtu = (uint16_t)cfg->ports[i].mtu;
		if (access < 0 && (cfg->ports[i].role & LNS_ROLE_ACCESS))
			access = (int)i;
		/* its addresses, as app/ports.c fills them (not the link-local one) */
		for (size_t a = 0; a < cfg->ports[i].n_addrs; a++) {
			const struct lns_addr *ad = &cfg->ports[i].addrs[a];
			struct lns_port *lp = &e->rt->ports[i];

			if (ad->family == AF_INET) {
				lp->v4[lp->n_v4] = ad->v4.s_addr;
				lp->v4_plen[lp->n_v4++] = ad->plen;
			} else {
				memcpy(lp->v6[lp->n_v6], &ad->v6, 16);
				lp->v6_plen[lp->n_v6++] = ad->plen;
			}
		}
	}
	e->rt->n_ports = (unsigned)cfg->n_ports;
	e->cp->rt = e->rt;
	/* The control lcore's ICMP errors (cp_icmp_init): more tokens than any input uses, and a
	 * clock that never refills them, so that a test can set its own. */
	lns_tb_init(&e->cp->icmp_tb, 1000000, 1000000, 1, UINT64_MAX);
	lns_auth_init(&e->cp->auth, e->cp);
	/* As cp/control.c's pools_init: every pool, IPv4 and IPv6. */
	e->cp->pools = calloc(cfg->n_pools ? cfg->n_pools : 1, sizeof(*e->cp->pools));
	if (e->cp->pools == NULL)
		goto err;
	for (size_t i = 0; i < cfg->n_pools; i++)
		if (lns_pool_init(&e->cp->pools[i], &cfg->pools[i]) < 0)
			goto err;
	/* One tunnel from a LAC, to the first IPv4 address of the first access port. */
	e->t->cp = e->cp;
	e->t->tid = 1;
	e->t->peer_tid = 7;
	e->t->peer_ip = htonl(0xc0000202); /* 192.0.2.2 */
	e->t->peer_port = 1701;
	e->t->port = access < 0 ? 0 : (unsigned)access;
	e->t->state = L2TP_T_ESTABLISHED;
	TAILQ_INIT(&e->t->sessions);
	for (size_t i = 0; access >= 0 && i < cfg->ports[access].n_addrs; i++) {
		if (cfg->ports[access].addrs[i].family == AF_INET) {
			e->t->local_ip = cfg->ports[access].addrs[i].v4.s_addr;
			break;
		}
	}
	e->next_sid = 1;
	h_cur = e;
	return e;
err:
	h_env_free(e);
	return NULL;
}

void h_env_free(struct h_env *e)
{
	struct l2tp_session *s;

	if (e == NULL)
		return;
	h_cur = e;
	while (e->t && (s = TAILQ_FIRST(&e->t->sessions)) != NULL) {
		if (s->ppp)
			h_ppp_free(s->ppp); /* frees s too */
		else {
			TAILQ_REMOVE(&e->t->sessions, s, next);
			free(s);
		}
	}
	if (e->cp) {
		lns_auth_fini(&e->cp->auth);
		for (size_t i = 0; e->cp->pools && i < e->cfg->n_pools; i++)
			if (e->cp->pools[i].cfg)
				lns_pool_fini(&e->cp->pools[i]);
		free(e->cp->pools);
	}
	free(e->t);
	free(e->cp);
	free(e->rt);
	if (e->own_cfg)
		lns_config_free(e->cfg);
	if (h_cur == e)
		h_cur = NULL;
	free(e);
}

struct l2tp_session *h_l2tp_session_new(struct h_env *e)
{
	struct l2tp_session *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->t = e->t;
	s->sid = e->next_sid++;
	s->peer_sid = (uint16_t)(100 + s->sid);
	s->state = L2TP_S_ESTABLISHED;
	s->framing_type = L2TP_FRAMING_SYNC;
	s->slot = UINT32_MAX; /* LNS_SESSION_SLOT_NONE */
	TAILQ_INSERT_TAIL(&e->t->sessions, s, next);
	e->t->n_sessions++;
	return s;
}

void h_blob_set(struct l2tp_blob *b, const void *data, size_t len)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
	if (len == 0)
		return;
	b->p = malloc(len);
	if (b->p == NULL)
		abort();
	memcpy(b->p, data, len);
	b->len = (uint16_t)len;
}

struct ppp_session *h_ppp_start(struct h_env *e, struct l2tp_session *ls)
{
	struct ppp_session *p = calloc(1, sizeof(*p));

	h_cur = e;
	if (p == NULL)
		return NULL;
	p->cp = e->cp;
	p->ls = ls;
	p->user = (char *)ppp_no_user; /* as cp/ppp.c's ppp_session_start */
	p->pool = -1;
	p->pfx.pool = p->pd.pool = -1;
	p->auth_reply.pool = p->auth_reply.pool6 = p->auth_reply.pd_pool = -1;
	p->started_ms = ppp_now();
	ls->ppp = p;
	e->cp->ppp_c.sessions_started++;
	ppp_lcp_init(p);
	ppp_ncp_init(p);
	p->phase = PPP_PHASE_ESTABLISH;
	if (!ppp_lcp_proxy(p)) {
		ppp_fsm_open(&p->lcp, p->started_ms);
		ppp_fsm_up(&p->lcp, p->started_ms);
	}
	ppp_arm(p);
	return p;
}

void h_ppp_free(struct ppp_session *p)
{
	struct l2tp_session *s = p->ls;
	struct h_env *e = h_cur;

	ppp_auth_cancel(p);
	ppp_ncp_release(p);
	s->ppp = NULL;
	ppp_auth_free(p);
	free(p);
	/* and the L2TP session, as l2tp_session_close frees it */
	for (unsigned i = 0; i < e->n_frames; i++)
		if (e->frames[(e->first + i) % H_MAX_FRAMES].p == p)
			e->frames[(e->first + i) % H_MAX_FRAMES].p = NULL;
	TAILQ_REMOVE(&s->t->sessions, s, next);
	s->t->n_sessions--;
	free(s->private_group.p);
	free(s->lcp_initial_rx.p);
	free(s->lcp_last_tx.p);
	free(s->lcp_last_rx.p);
	free(s->proxy_auth_chal.p);
	free(s->proxy_auth_resp.p);
	free(s->calling);
	free(s->called);
	free(s->sub_address);
	free(s->proxy_auth_name);
	free(s);
}

/* ---- input -------------------------------------------------------------------------------- */

/* What the LAC delivers: cp/ppp_input.c's own demultiplexing. */
void h_input(struct ppp_session *p, const uint8_t *f, size_t len)
{
	ppp_session_input(p, f, len);
}

void h_pkt(struct ppp_session *p, uint16_t proto, uint8_t code, uint8_t id, const void *data,
	   size_t len)
{
	size_t n = 8 + len;
	uint8_t *f = malloc(n); /* exactly the frame's size: ASan sees any read past it */

	if (f == NULL)
		abort();
	f[0] = 0xff;
	f[1] = 0x03;
	f[2] = (uint8_t)(proto >> 8);
	f[3] = (uint8_t)proto;
	f[4] = code;
	f[5] = id;
	f[6] = (uint8_t)((4 + len) >> 8);
	f[7] = (uint8_t)(4 + len);
	if (len)
		memcpy(f + 8, data, len);
	h_input(p, f, n);
	free(f);
}

void h_poll(struct h_env *e)
{
	h_cur = e;
	lns_auth_poll(&e->cp->auth);
}

/* ---- captured frames ---------------------------------------------------------------------- */

static bool matches(const struct h_frame *f, uint16_t proto, uint8_t code)
{
	return f->proto == proto && (code == 0 || (f->len >= 1 && f->data[0] == code));
}

const struct h_frame *h_take(struct h_env *e, uint16_t proto, uint8_t code)
{
	static struct h_frame out;

	for (unsigned i = 0; i < e->n_frames; i++) {
		struct h_frame *f = &e->frames[(e->first + i) % H_MAX_FRAMES];

		if (!matches(f, proto, code))
			continue;
		out = *f;
		/* close the gap: later frames move one place towards the oldest */
		for (unsigned j = i; j + 1 < e->n_frames; j++)
			e->frames[(e->first + j) % H_MAX_FRAMES] =
				e->frames[(e->first + j + 1) % H_MAX_FRAMES];
		e->n_frames--;
		return &out;
	}
	return NULL;
}

unsigned h_count(const struct h_env *e, uint16_t proto, uint8_t code)
{
	unsigned n = 0;

	for (unsigned i = 0; i < e->n_frames; i++)
		if (matches(&e->frames[(e->first + i) % H_MAX_FRAMES], proto, code))
			n++;
	return n;
}

void h_clear(struct h_env *e)
{
	e->n_frames = 0;
	e->first = 0;
}

const uint8_t *h_opt(const struct h_frame *f, uint8_t type)
{
	size_t plen;

	if (f == NULL || f->len < 4)
		return NULL;
	plen = (size_t)f->data[2] << 8 | f->data[3];
	if (plen > f->len || plen < 4)
		return NULL;
	for (size_t i = 4; i + 2 <= plen; i += f->data[i + 1]) {
		if (f->data[i + 1] < 2 || i + f->data[i + 1] > plen)
			return NULL;
		if (f->data[i] == type)
			return f->data + i;
	}
	return NULL;
}

/* ---- walking a session forward ------------------------------------------------------------ */

int h_lcp_open(struct ppp_session *p, uint32_t peer_magic)
{
	struct h_env *e = h_cur;
	const struct h_frame *req = h_take(e, PPP_LCP, PPP_CONF_REQ);
	uint8_t opts[6] = {5,
			   6,
			   (uint8_t)(peer_magic >> 24),
			   (uint8_t)(peer_magic >> 16),
			   (uint8_t)(peer_magic >> 8),
			   (uint8_t)peer_magic};
	struct h_frame ours;

	if (req == NULL || req->len < 4)
		return -1;
	ours = *req;
	h_pkt(p, PPP_LCP, PPP_CONF_ACK, ours.data[1], ours.data + 4, ours.len - 4);
	h_pkt(p, PPP_LCP, PPP_CONF_REQ, 0x42, opts, sizeof(opts));
	if (h_take(e, PPP_LCP, PPP_CONF_ACK) == NULL)
		return -1;
	return p->lcp.state == PPP_OPENED ? 0 : -1;
}

int h_authenticate(struct ppp_session *p, const char *user, const char *password)
{
	struct h_env *e = h_cur;
	size_t ulen = strlen(user), pwlen = strlen(password);
	uint8_t b[1 + 64 + 255];
	const struct h_frame *ch, *res;

	if (ulen > 255 || pwlen > 255)
		return -1;
	if (p->auth == AUTH_PAP) {
		b[0] = (uint8_t)ulen;
		memcpy(b + 1, user, ulen);
		b[1 + ulen] = (uint8_t)pwlen;
		memcpy(b + 2 + ulen, password, pwlen);
		h_pkt(p, PPP_PAP, 1, 0x11, b, 2 + ulen + pwlen);
		h_poll(e);
		res = h_take(e, PPP_PAP, 2);
	} else {
		size_t vlen;

		ch = h_take(e, PPP_CHAP, 1);
		if (ch == NULL || ch->len < 5 + 16 || ch->data[4] != 16 || ulen > 255 - 64)
			return -1;
		if (p->auth == AUTH_CHAP_MD5) {
			vlen = CHAP_MD5_LEN;
			chap_md5_response(ch->data[1], password, pwlen, ch->data + 5, 16, b + 1);
		} else {
			vlen = 49;
			memset(b + 1, 0, vlen);
			for (int i = 0; i < 16; i++)
				b[1 + i] = (uint8_t)(0xa0 + i); /* Peer-Challenge */
			if (mschapv2_nt_response(ch->data + 5, b + 1, user, ulen, password, pwlen,
						 b + 1 + 24) < 0)
				return -1;
		}
		b[0] = (uint8_t)vlen;
		memcpy(b + 1 + vlen, user, ulen);
		h_pkt(p, PPP_CHAP, 2, ch->data[1], b, 1 + vlen + ulen);
		h_poll(e);
		res = h_take(e, PPP_CHAP, 3);
	}
	return res != NULL && p->authenticated ? 0 : -1;
}
