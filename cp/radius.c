/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RADIUS client transport. Main lcore only. Sockets: RADIUS_SOCKETS UDP
 * sockets per address family, each with its own 256 identifiers, all in the
 * control loop's epoll. Requests own a copy of their context; a request is
 * (re)built for every send, because the target server's secret and, for
 * accounting, Acct-Delay-Time change (RFC 2866 section 5.2: new content, new
 * Identifier). A 100 ms timer retransmits, fails over and gives up.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_random.h>

#include "config/config.h"
#include "cp/cp.h"
#include "cp/log.h"
#include "cp/radius.h"
#include "cp/radius_codec.h"

#define TICK_MS 100
#define MAX_INFLIGHT_ACCT 256 /* accounting records on the wire at once */
#define PARK_MS 5000 /* an accounting record no server took: how long before it tries again */
#define PKT_MAX 4096

struct radius_req {
	TAILQ_ENTRY(radius_req) next;
	uint64_t handle;
	enum radius_service kind;
	uint8_t code;
	radius_build_fn build;
	radius_done_fn done;
	bool cancelled;
	/* on the wire */
	struct radius_sock *sock;
	uint8_t id;
	uint8_t req_auth[16];
	unsigned server;  /* index in the kind's server list */
	unsigned tries;	  /* sends to this server */
	unsigned servers_tried;
	uint64_t deadline;
	uint64_t created_ms;
	size_t ctx_len;
	uint8_t ctx[]; /* the requester's context, copied */
};

static uint64_t next_handle;

static struct radius_server *servers(struct lns_radius *r, enum radius_service k, unsigned *n)
{
	*n = k == RADIUS_AUTH ? r->n_auth : r->n_acct;
	return k == RADIUS_AUTH ? r->auth : r->acct;
}

static socklen_t sockaddr_of(const struct lns_addr *a, unsigned port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;

		s->sin_family = AF_INET;
		s->sin_port = htons((uint16_t)port);
		s->sin_addr = a->v4;
		return sizeof(*s);
	}
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons((uint16_t)port);
	s6->sin6_addr = a->v6;
	return sizeof(*s6);
}

/* The first live server from index `from` on, in priority order; dead ones if all are. */
static unsigned pick_server(struct lns_radius *r, enum radius_service k, unsigned from, uint64_t now)
{
	unsigned n;
	struct radius_server *s = servers(r, k, &n);

	for (unsigned i = 0; i < n; i++) {
		unsigned j = (from + i) % n;

		if (s[j].dead_until_ms <= now)
			return j;
	}
	return from % n;
}

static struct radius_sock *free_sock(struct lns_radius *r, int family)
{
	for (unsigned i = 0; i < r->n_socks; i++)
		if (r->socks[i].family == family && r->socks[i].n_busy < 256)
			return &r->socks[i];
	return NULL;
}

static void release_id(struct radius_req *q)
{
	if (q->sock) {
		q->sock->by_id[q->id] = NULL;
		q->sock->n_busy--;
		q->sock = NULL;
	}
}

/* Build for server q->server and send; takes a fresh identifier each time. */
static int send_req(struct lns_radius *r, struct radius_req *q, uint64_t now)
{
	unsigned n;
	struct radius_server *sv = &servers(r, q->kind, &n)[q->server];
	const struct lns_radius_server_cfg *sc = sv->cfg;
	uint8_t pkt[PKT_MAX];
	struct radius_builder b;
	struct sockaddr_storage ss;
	socklen_t sl = sockaddr_of(&sc->addr, sc->port, &ss);
	size_t slen = strlen(sc->secret);
	struct radius_sock *s;
	int len;

	release_id(q);
	s = free_sock(r, sc->addr.family);
	if (s == NULL)
		return -EBUSY;
	for (unsigned i = 0; i < 256; i++, r->next_id++)
		if (s->by_id[r->next_id] == NULL)
			break;
	q->id = r->next_id++;
	if (q->code == RADIUS_ACCESS_REQUEST)
		cp_random(q->req_auth, sizeof(q->req_auth));
	if (radius_build_begin(&b, pkt, sizeof(pkt), q->code, q->id, q->req_auth) < 0 ||
	    q->build(q->ctx, &b, (const uint8_t *)sc->secret, slen, now) < 0)
		return -EINVAL;
	len = radius_build_end_request(&b, (const uint8_t *)sc->secret, slen);
	if (len < 0)
		return len;
	if (q->code != RADIUS_ACCESS_REQUEST) /* the authenticator was computed: keep it */
		memcpy(q->req_auth, pkt + 4, 16);
	s->by_id[q->id] = q;
	s->n_busy++;
	q->sock = s;
	q->tries++;
	q->deadline = now + r->cp->rt->cfg->radius.timeout_ms;
	sv->sent++;
	r->c.tx++;
	if (sendto(s->fd, pkt, (size_t)len, 0, (struct sockaddr *)&ss, sl) < 0)
		return 0; /* a lost datagram: the timer retransmits */
	return 0;
}

static void finish(struct lns_radius *r, struct radius_req *q, const struct radius_pkt *resp)
{
	release_id(q);
	TAILQ_REMOVE(&r->inflight, q, next);
	r->n_inflight--;
	if (q->kind == RADIUS_ACCT)
		r->n_acct_queued--;
	if (!q->cancelled)
		q->done(q->ctx, resp);
	free(q);
}

/* Move waiting accounting records onto the wire while there is room. */
static void start_waiting(struct lns_radius *r, uint64_t now)
{
	struct radius_req *q;

	while ((q = TAILQ_FIRST(&r->waiting)) != NULL) {
		if (q->kind == RADIUS_ACCT && r->n_inflight >= MAX_INFLIGHT_ACCT)
			break;
		q->server = pick_server(r, q->kind, 0, now);
		if (send_req(r, q, now) == -EBUSY)
			break;
		TAILQ_REMOVE(&r->waiting, q, next);
		r->n_waiting--;
		TAILQ_INSERT_TAIL(&r->inflight, q, next);
		r->n_inflight++;
	}
}

uint64_t lns_radius_request(struct lns_radius *r, enum radius_service kind, uint8_t code,
			    radius_build_fn build, radius_done_fn done, void *ctx, size_t ctx_len)
{
	const struct lns_radius_cfg *rc = &r->cp->rt->cfg->radius;
	unsigned n;
	struct radius_req *q;

	servers(r, kind, &n);
	if (n == 0)
		return 0;
	if (kind == RADIUS_ACCT && r->n_acct_queued >= rc->acct_queue) {
		r->c.acct_dropped++;
		LNS_LOG(WARNING, cp, "RADIUS accounting queue full (%u records): record dropped",
			rc->acct_queue);
		return 0;
	}
	q = calloc(1, sizeof(*q) + ctx_len);
	if (q == NULL)
		return 0;
	q->handle = ++next_handle;
	q->kind = kind;
	q->code = code;
	q->build = build;
	q->done = done;
	q->created_ms = cp_now_ms();
	q->ctx_len = ctx_len;
	memcpy(q->ctx, ctx, ctx_len);
	if (kind == RADIUS_ACCT) {
		r->n_acct_queued++;
		r->c.acct_requests++;
	} else {
		r->c.auth_requests++;
	}
	TAILQ_INSERT_TAIL(&r->waiting, q, next);
	r->n_waiting++;
	start_waiting(r, q->created_ms);
	return q->handle;
}

void lns_radius_cancel(struct lns_radius *r, uint64_t handle)
{
	struct radius_req *q;

	TAILQ_FOREACH(q, &r->inflight, next)
		if (q->handle == handle)
			q->cancelled = true;
	TAILQ_FOREACH(q, &r->waiting, next)
		if (q->handle == handle)
			q->cancelled = true;
}

bool lns_radius_pending(const struct lns_radius *r)
{
	return r->n_inflight || r->n_waiting;
}

static void tick(struct rte_timer *t, void *arg)
{
	struct lns_radius *r = arg;
	const struct lns_radius_cfg *rc = &r->cp->rt->cfg->radius;
	uint64_t now = cp_now_ms();
	struct radius_req *q, *tmp;

	RTE_SET_USED(t);
	for (q = TAILQ_FIRST(&r->inflight); q != NULL; q = tmp) {
		tmp = TAILQ_NEXT(q, next);
		unsigned n;
		struct radius_server *sv = servers(r, q->kind, &n);

		if (q->cancelled && q->kind == RADIUS_AUTH) {
			finish(r, q, NULL);
			continue;
		}
		if (now < q->deadline)
			continue;
		sv[q->server].timeouts++;
		if (q->tries < rc->retries) {
			r->c.retransmits++;
			send_req(r, q, now);
			continue;
		}
		/* This server had its chances: skip it for a while, try the next. */
		sv[q->server].dead_until_ms = now + rc->dead_time * 1000ull;
		q->servers_tried++;
		LNS_LOG(WARNING, cp, "RADIUS %s server %u (port %u) does not answer%s",
			q->kind == RADIUS_AUTH ? "authentication" : "accounting", q->server,
			sv[q->server].cfg->port,
			q->servers_tried < n	  ? ": failing over"
			: q->kind == RADIUS_ACCT ? ": no server left, the record waits"
						  : ": no server left");
		q->tries = 0;
		if (q->servers_tried < n) {
			r->c.failovers++;
			q->server = pick_server(r, q->kind, q->server + 1, now);
			send_req(r, q, now);
			continue;
		}
		if (q->kind == RADIUS_AUTH) {
			r->c.auth_failed++;
			finish(r, q, NULL);
			continue;
		}
		/*
		 * Accounting is never given up: try again in a while (the dead time,
		 * at most PARK_MS), starting over from the most preferred server.
		 */
		q->servers_tried = 0;
		q->server = pick_server(r, q->kind, 0, now);
		q->deadline = now + (rc->dead_time * 1000ull < PARK_MS ? rc->dead_time * 1000ull
								    : PARK_MS);
		for (unsigned i = 0; i < n; i++) /* all silent: let each be tried again */
			sv[i].dead_until_ms = 0;
		release_id(q);
	}
	start_waiting(r, now);
}

static bool same_peer(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

	return x->sin6_port == y->sin6_port && memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
}

static void client_input(struct lns_radius *r, struct radius_sock *s)
{
	const struct lns_radius_cfg *rc = &r->cp->rt->cfg->radius;
	uint8_t buf[PKT_MAX];
	struct radius_pkt p;
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	ssize_t len;

	while ((len = recvfrom(s->fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
			       &fl)) > 0) {
		struct radius_req *q;
		struct radius_server *sv;
		struct sockaddr_storage want;
		unsigned n;
		enum radius_verify v;

		r->c.rx++;
		if (radius_parse(buf, (size_t)len, &p) < 0) {
			r->c.rx_malformed++;
			continue;
		}
		q = s->by_id[p.id];
		if (q == NULL) {
			r->c.rx_unknown++;
			continue;
		}
		sv = &servers(r, q->kind, &n)[q->server];
		sockaddr_of(&sv->cfg->addr, sv->cfg->port, &want);
		if (!same_peer(&from, &want)) {
			r->c.rx_unknown++; /* not from the server we asked */
			continue;
		}
		v = radius_verify_response(buf, (size_t)len, &p, q->req_auth,
					   (const uint8_t *)sv->cfg->secret, strlen(sv->cfg->secret),
					   q->kind == RADIUS_AUTH && rc->require_message_authenticator);
		if (v != RADIUS_OK) {
			if (v == RADIUS_BAD_AUTHENTICATOR)
				r->c.rx_bad_authenticator++;
			else if (v == RADIUS_NO_MSG_AUTH)
				r->c.rx_no_message_authenticator++;
			else
				r->c.rx_bad_message_authenticator++;
			LNS_LOG(WARNING, cp, "RADIUS response from server %u refused: %s",
				q->server, radius_verify_name(v));
			continue; /* maybe forged: keep waiting for the real one */
		}
		sv->answered++;
		sv->dead_until_ms = 0;
		if (p.code == RADIUS_ACCESS_ACCEPT)
			r->c.auth_accepts++;
		else if (p.code == RADIUS_ACCESS_REJECT)
			r->c.auth_rejects++;
		else if (p.code == RADIUS_ACCOUNTING_RESPONSE)
			r->c.acct_responses++;
		finish(r, q, &p);
	}
	start_waiting(r, cp_now_ms());
}

void lns_radius_event(struct lns_radius *r, void *tag)
{
	if (tag == &r->dae_fd) {
		radius_dae_input(r);
		return;
	}
	client_input(r, tag);
}

static int open_sock(struct lns_radius *r, int family)
{
	const struct lns_radius_cfg *rc = &r->cp->rt->cfg->radius;
	struct radius_sock *s = &r->socks[r->n_socks];
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = s};
	struct sockaddr_storage ss;
	socklen_t sl;

	s->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return -errno;
	s->family = family;
	if (rc->has_source && rc->source.family == family) {
		sl = sockaddr_of(&rc->source, 0, &ss);
		if (bind(s->fd, (struct sockaddr *)&ss, sl) < 0) {
			int e = -errno;

			close(s->fd);
			return e;
		}
	}
	if (epoll_ctl(r->cp->epfd, EPOLL_CTL_ADD, s->fd, &ev) < 0) {
		close(s->fd);
		return -errno;
	}
	r->n_socks++;
	return 0;
}

/* Servers sorted by priority, stable (equal priorities keep their order). */
static unsigned sorted(struct radius_server *out, const struct lns_radius_server_cfg *in, size_t n)
{
	unsigned k = 0;

	for (unsigned prio = 1; prio <= 100; prio++)
		for (size_t i = 0; i < n; i++)
			if (in[i].priority == prio)
				out[k++].cfg = &in[i];
	return k;
}

int lns_radius_init(struct lns_radius *r, struct lns_cp *cp)
{
	const struct lns_radius_cfg *rc = &cp->rt->cfg->radius;
	bool v4 = false, v6 = false;
	int ret;

	memset(r, 0, sizeof(*r));
	r->cp = cp;
	r->dae_fd = -1;
	TAILQ_INIT(&r->waiting);
	TAILQ_INIT(&r->inflight);
	rte_timer_init(&r->timer);
	if (!rc->enabled && !rc->has_dae)
		return 0;
	r->n_auth = sorted(r->auth, rc->auth, rc->n_auth);
	r->n_acct = sorted(r->acct, rc->acct, rc->n_acct);
	for (size_t i = 0; i < rc->n_auth; i++) {
		v4 |= rc->auth[i].addr.family == AF_INET;
		v6 |= rc->auth[i].addr.family == AF_INET6;
	}
	for (size_t i = 0; i < rc->n_acct; i++) {
		v4 |= rc->acct[i].addr.family == AF_INET;
		v6 |= rc->acct[i].addr.family == AF_INET6;
	}
	for (unsigned i = 0; v4 && i < RADIUS_SOCKETS / (v6 ? 2 : 1); i++)
		if ((ret = open_sock(r, AF_INET)) < 0)
			goto err;
	for (unsigned i = 0; v6 && i < RADIUS_SOCKETS / (v4 ? 2 : 1); i++)
		if ((ret = open_sock(r, AF_INET6)) < 0)
			goto err;
	if (rc->has_dae && (ret = radius_dae_init(r)) < 0)
		goto err;
	r->next_id = (uint8_t)rte_rand();
	rte_timer_reset(&r->timer, rte_get_timer_hz() * TICK_MS / 1000, PERIODICAL, rte_lcore_id(),
			tick, r);
	LNS_LOG(INFO, cp, "RADIUS: %u authentication and %u accounting servers%s", r->n_auth,
		r->n_acct, rc->has_dae ? ", dynamic authorisation server" : "");
	return 0;
err:
	LNS_LOG(ERR, cp, "RADIUS sockets: %s", strerror(-ret));
	lns_radius_fini(r);
	return ret;
}

void lns_radius_fini(struct lns_radius *r)
{
	struct radius_req *q;

	rte_timer_stop_sync(&r->timer);
	while ((q = TAILQ_FIRST(&r->inflight)) != NULL) {
		q->cancelled = true;
		finish(r, q, NULL);
	}
	while ((q = TAILQ_FIRST(&r->waiting)) != NULL) {
		TAILQ_REMOVE(&r->waiting, q, next);
		free(q);
	}
	for (unsigned i = 0; i < r->n_socks; i++)
		close(r->socks[i].fd);
	r->n_socks = 0;
	if (r->dae_fd >= 0)
		close(r->dae_fd);
	r->dae_fd = -1;
}
