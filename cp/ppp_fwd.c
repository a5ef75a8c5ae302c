/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Handing a subscriber to the workers and taking it back. Main lcore only.
 * Owns the control plane's address index (subscriber IPv4 -> PPP session),
 * which keeps two sessions off one address and answers "who has this
 * address" for management; writes the workers' session entry and FIBs.
 *
 * The workers forward for a session while IPCP or IPv6CP is open (IPv4 and
 * IPv6 each come and go with their own protocol): the first to open
 * publishes the session in forwarding mode and starts accounting, the last
 * to close hands the session back to the control lcore.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <rte_hash.h>
#include <rte_hash_crc.h>

#include "cp/cp.h"
#include "cp/l2tp.h"
#include "cp/log.h"
#include "cp/ppp.h"
#include "dp/fib.h"
#include "dp/fib6.h"
#include "dp/mac64.h"
#include "dp/neigh.h"
#include "dp/session.h"

int ppp_addr_claim(struct ppp_session *p)
{
	void *other;

	if (rte_hash_lookup_data(p->cp->by_ip, &p->peer_ip.s_addr, &other) >= 0)
		return -EADDRINUSE;
	return rte_hash_add_key_data(p->cp->by_ip, &p->peer_ip.s_addr, p);
}

void ppp_addr_unclaim(struct ppp_session *p)
{
	void *who;

	if (rte_hash_lookup_data(p->cp->by_ip, &p->peer_ip.s_addr, &who) >= 0 && who == p)
		rte_hash_del_key(p->cp->by_ip, &p->peer_ip.s_addr);
}

struct ppp_session *ppp_by_address(struct lns_cp *cp, struct in_addr a)
{
	void *who;

	return rte_hash_lookup_data(cp->by_ip, &a.s_addr, &who) >= 0 ? who : NULL;
}

/* The session's entry as the workers need it, in mode (the control lcore's part:
 * dp/session.c builds the downstream header from it). */
static int publish(struct ppp_session *p, enum lns_sess_mode mode)
{
	struct l2tp_session *s = p->ls;
	struct l2tp_tunnel *t = s->t;
	struct lns_dp_session e = {0};
	struct rte_ether_addr mac;

	l2tp_session_dp_entry(s, &e);
	e.mode = (uint8_t)mode;
	/* 0 while IPCP is not open: the workers then take no IPv4 from the subscriber. */
	e.sub_ip = p->fwd4 ? p->peer_ip.s_addr : 0;
	e.mtu = p->peer_mru;
	if (s->seq_required)
		e.flags |= LNS_SESS_F_SEQ;
	if (p->routes_installed)
		e.flags |= LNS_SESS_F_ROUTES;
	{
		unsigned mtu = p->cp->rt->ports[e.port].mtu;
		unsigned over = 20 + 8 + 6 + (s->seq_required ? 4 : 0) + 4; /* IPv4 UDP L2TP PPP */
		unsigned room = mtu > over ? mtu - over : 0;

		if (room < e.mtu)
			e.mtu = (uint16_t)room;
	}
	/* The operator's word for this subscriber (RFC 2865 5.12) lowers it further. */
	if (p->auth_reply.attrs.framed_mtu >= 68 && p->auth_reply.attrs.framed_mtu < e.mtu)
		e.mtu = (uint16_t)p->auth_reply.attrs.framed_mtu;
	/* The LAC's MAC goes into the prebuilt header; cp/resolve.c republishes on a change. */
	if (lns_neigh_lookup(p->cp->rt->neigh, e.port, AF_INET, &e.nh_ip, &mac) == 0)
		e.lac_mac = lns_mac64(&mac);
	RTE_SET_USED(t);
	return lns_session_publish(p->cp->rt->sessions, &e);
}

void ppp_fwd_neigh_changed(struct lns_cp *cp, unsigned port, rte_be32_t ip)
{
	struct l2tp_tunnel *t;

	TAILQ_FOREACH (t, &cp->l2tp.tunnels, next) {
		struct lns_dp_session probe = {0};
		struct l2tp_session *s;

		l2tp_tunnel_dp_path(t, &probe);
		if (probe.port != port || probe.nh_ip != ip)
			continue;
		TAILQ_FOREACH (s, &t->sessions, next)
			if (s->forwarding && s->ppp)
				publish(s->ppp, LNS_SESS_FORWARD);
	}
}

/*
 * A network protocol opened (fwd4 or fwd6 just set): the session goes to the
 * workers, or, when it is there already, its entry is brought up to date.
 * The first time, a slot, and accounting starts. 0, or -1 when the session
 * had to be killed.
 */
static int fwd_begin(struct ppp_session *p)
{
	struct l2tp_session *s = p->ls;
	int ret;

	if (s->forwarding)
		return publish(p, LNS_SESS_FORWARD) == 0 ? 0 : -1;
	/* The slot is the session's since its ICRQ (its session ID names it). */
	ret = publish(p, LNS_SESS_FORWARD);
	if (ret < 0) {
		LNS_LOG(ERR, cp, "session %u/%u: cannot hand it to the workers: %s", s->t->tid,
			s->sid, strerror(-ret));
		publish(p, LNS_SESS_PUNT);
		ppp_kill(p, L2TP_CDN_NO_FACILITIES_TEMP, L2TP_GERR_NO_RESOURCES, 0, 0, 0,
			 "forwarding table full");
		return -1;
	}
	/* The LAC's MAC is known (it just talked to us); keep it known. */
	cp_neigh_keep(p->cp, s->t->port, AF_INET, &s->t->peer_ip);
	s->forwarding = true;
	/* Counting starts here: the slot may have served an earlier session. */
	lns_sess_ctr_sum(p->cp->rt, s->slot, &p->ctr_base);
	if (p->auth_reply.attrs.session_timeout)
		ppp_set_session_timeout(p, p->auth_reply.attrs.session_timeout);
	if (p->auth_reply.attrs.idle_timeout)
		ppp_set_idle_timeout(p, p->auth_reply.attrs.idle_timeout);
	ppp_acct_start(p);
	return 0;
}

/* A network protocol closed: with none left, back to the control lcore. */
static void fwd_end(struct ppp_session *p)
{
	if (!p->ls->forwarding)
		return;
	if (p->fwd4 || p->fwd6) {
		publish(p, LNS_SESS_FORWARD); /* the other family goes on */
		return;
	}
	publish(p, LNS_SESS_PUNT);
	p->ls->forwarding = false;
}

void ppp_fwd_up(struct ppp_session *p)
{
	struct l2tp_session *s = p->ls;
	int ret;

	if (p->fwd4)
		return;
	p->fwd4 = true;
	if (fwd_begin(p) < 0) {
		p->fwd4 = false;
		return;
	}
	ret = lns_fib_add_session(p->cp->rt->fib, p->peer_ip.s_addr, s->slot);
	if (ret < 0) {
		LNS_LOG(ERR, cp, "session %u/%u: cannot hand it to the workers: %s", s->t->tid,
			s->sid, strerror(-ret));
		p->fwd4 = false;
		fwd_end(p);
		ppp_kill(p, L2TP_CDN_NO_FACILITIES_TEMP, L2TP_GERR_NO_RESOURCES, 0, 0, 0,
			 "forwarding table full");
		return;
	}
	/* Framed routes: prefixes behind the subscriber, through the same slot. */
	p->routes_installed = 0;
	for (unsigned i = 0; i < p->auth_reply.attrs.n_routes; i++) {
		const struct auth_route *r = &p->auth_reply.attrs.routes[i];
		char a[INET_ADDRSTRLEN];

		ret = lns_fib_add_session_route(p->cp->rt->fib, r->prefix.s_addr, r->plen, s->slot);
		inet_ntop(AF_INET, &r->prefix, a, sizeof(a));
		if (ret < 0) {
			LNS_LOG(WARNING, cp, "session %u/%u: framed route %s/%u not installed: %s",
				s->t->tid, s->sid, a, r->plen,
				ret == -EEXIST ? "the prefix is routed already" : strerror(-ret));
			continue;
		}
		p->routes_installed |= (uint8_t)(1u << i);
		LNS_LOG(INFO, cp, "session %u/%u: framed route %s/%u", s->t->tid, s->sid, a,
			r->plen);
	}
	if (p->routes_installed)
		publish(p, LNS_SESS_FORWARD); /* sources in them pass the spoofing check now */
}

void ppp_fwd_down(struct ppp_session *p)
{
	if (!p->fwd4)
		return;
	for (unsigned i = 0; i < p->auth_reply.attrs.n_routes; i++)
		if (p->routes_installed & (1u << i))
			lns_fib_del_route(p->cp->rt->fib,
					  p->auth_reply.attrs.routes[i].prefix.s_addr,
					  p->auth_reply.attrs.routes[i].plen);
	p->routes_installed = 0;
	lns_fib_del_session(p->cp->rt->fib, p->peer_ip.s_addr);
	p->fwd4 = false;
	fwd_end(p);
}

/* One of the session's IPv6 prefixes to its slot (refusals logged: cp/ppp_route6.c). */
static void route6(struct ppp_session *p, struct ppp_prefix *x, const char *what)
{
	if (x->plen)
		x->routed = ppp_route6_add(p, x->a.s6_addr, x->plen, what);
}

void ppp_fwd6_up(struct ppp_session *p)
{
	if (p->fwd6)
		return;
	p->fwd6 = true;
	if (fwd_begin(p) < 0) {
		p->fwd6 = false;
		return;
	}
	route6(p, &p->pfx, "IPv6 prefix");
	route6(p, &p->pd, "delegated prefix");
	ppp_routes6_up(p);
}

void ppp_fwd6_down(struct ppp_session *p)
{
	struct ppp_prefix *x[] = {&p->pfx, &p->pd};

	if (!p->fwd6)
		return;
	ppp_routes6_down(p);
	for (unsigned i = 0; i < RTE_DIM(x); i++) {
		if (x[i]->routed)
			lns_fib6_del_session_route(p->cp->rt->fib6, x[i]->a.s6_addr, x[i]->plen);
		x[i]->routed = false;
	}
	p->fwd6 = false;
	fwd_end(p);
}

int ppp_fwd_init(struct lns_cp *cp)
{
	struct rte_hash_parameters hp = {
		.name = "cp_by_ip",
		.entries = cp->rt->cfg->l2tp.max_sessions + cp->rt->cfg->l2tp.max_sessions / 8 + 64,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
		.key_len = sizeof(uint32_t),
		.hash_func = rte_hash_crc,
		.socket_id = SOCKET_ID_ANY,
	};

	cp->by_ip = rte_hash_create(&hp);
	return cp->by_ip ? 0 : -ENOMEM;
}

void ppp_fwd_fini(struct lns_cp *cp)
{
	rte_hash_free(cp->by_ip);
	cp->by_ip = NULL;
}
