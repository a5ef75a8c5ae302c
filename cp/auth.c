/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Authentication requests and the local backend (users from the
 * configuration). Main lcore only. The local backend answers at once, but
 * through the same queue a network backend uses, so PPP always sees the
 * answer arrive later, from the control loop, as it will with RADIUS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "cp/auth.h"
#include "cp/cp.h"
#include "cp/radius.h"

struct auth_pending {
	TAILQ_ENTRY(auth_pending) next;
	uint64_t handle;
	auth_done_fn done;
	void *ctx;
	struct auth_reply reply;
};

static const struct lns_user_cfg *find_user(const struct lns_config *cfg, const char *name,
					    size_t len)
{
	for (size_t i = 0; i < cfg->n_users; i++)
		if (strlen(cfg->users[i].name) == len && memcmp(cfg->users[i].name, name, len) == 0)
			return &cfg->users[i];
	return NULL;
}

/* Constant-time comparison: how long a check takes says nothing about the secret. */
static bool same(const void *a, const void *b, size_t len)
{
	const uint8_t *x = a, *y = b;
	uint8_t d = 0;

	for (size_t i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

void auth_local_check(const struct lns_config *cfg, const struct auth_req *req,
		      struct auth_reply *r)
{
	const struct lns_user_cfg *u = find_user(cfg, req->user, req->user_len);
	size_t pwlen;

	memset(r, 0, sizeof(*r));
	r->pool = -1;
	r->pool6 = -1;
	r->pd_pool = -1;
	if (u == NULL) {
		snprintf(r->message, sizeof(r->message), "unknown user");
		return;
	}
	pwlen = strlen(u->password);
	switch (req->proto) {
	case AUTH_PAP:
		r->accept = req->password_len == pwlen && same(req->password, u->password, pwlen);
		break;
	case AUTH_CHAP_MD5: {
		uint8_t want[CHAP_MD5_LEN];

		chap_md5_response(req->chap_id, u->password, pwlen, req->challenge,
				  req->challenge_len, want);
		r->accept = req->response_len == CHAP_MD5_LEN && same(want, req->response, 16);
		break;
	}
	case AUTH_MSCHAPV2: {
		/* Response value (RFC 2759 section 4): peer challenge, 8 zero, NT response, flags */
		const uint8_t *peer_chal = req->response, *nt = req->response + 24;
		uint8_t want[MSCHAPV2_NT_RESPONSE_LEN];
		/* Section 8.2: the name without a prepended "DOMAIN\" goes into the hash. */
		const char *bs = memrchr(req->user, '\\', req->user_len);
		const char *name = bs ? bs + 1 : req->user;
		size_t nlen = req->user_len - (size_t)(name - req->user);

		if (req->response_len != 49 || req->challenge_len != 16 ||
		    mschapv2_nt_response(req->challenge, peer_chal, name, nlen, u->password, pwlen,
					 want) < 0)
			break;
		r->accept = same(want, nt, sizeof(want));
		if (r->accept)
			mschapv2_authenticator_response(u->password, pwlen, nt, peer_chal,
							req->challenge, name, nlen,
							r->mschapv2_auth_response);
		break;
	}
	}
	if (!r->accept) {
		snprintf(r->message, sizeof(r->message), "wrong password");
		return;
	}
	snprintf(r->message, sizeof(r->message), "local user");
	r->pool = u->pool;
	if (u->has_address) {
		r->has_address = true;
		r->address = u->address.v4;
	}
}

void lns_auth_init(struct lns_auth *a, struct lns_cp *cp)
{
	memset(a, 0, sizeof(*a));
	a->cp = cp;
	TAILQ_INIT(&a->pending);
}

void lns_auth_fini(struct lns_auth *a)
{
	struct auth_pending *p;

	while ((p = TAILQ_FIRST(&a->pending)) != NULL) {
		TAILQ_REMOVE(&a->pending, p, next);
		free(p);
	}
}

#define AUTH_RADIUS (UINT64_C(1) << 63) /* handles of requests RADIUS answers */

uint64_t lns_auth_start(struct lns_auth *a, const struct auth_req *req, auth_done_fn done,
			void *ctx)
{
	struct auth_pending *p;

	if (a->cp->rt->cfg->radius.enabled) {
		uint64_t h = radius_auth_start(a->cp, req, done, ctx);

		return h ? h | AUTH_RADIUS : 0;
	}
	p = calloc(1, sizeof(*p));

	if (p == NULL)
		return 0;
	p->handle = ++a->next_handle;
	p->done = done;
	p->ctx = ctx;
	auth_local_check(a->cp->rt->cfg, req, &p->reply);
	TAILQ_INSERT_TAIL(&a->pending, p, next);
	return p->handle;
}

void lns_auth_cancel(struct lns_auth *a, uint64_t handle)
{
	struct auth_pending *p;

	if (handle & AUTH_RADIUS) {
		lns_radius_cancel(&a->cp->radius, handle & ~AUTH_RADIUS);
		return;
	}
	TAILQ_FOREACH(p, &a->pending, next) {
		if (p->handle == handle) {
			TAILQ_REMOVE(&a->pending, p, next);
			free(p);
			return;
		}
	}
}

bool lns_auth_busy(const struct lns_auth *a)
{
	return !TAILQ_EMPTY(&a->pending);
}

void lns_auth_poll(struct lns_auth *a)
{
	struct auth_pending *p;

	while ((p = TAILQ_FIRST(&a->pending)) != NULL) {
		TAILQ_REMOVE(&a->pending, p, next);
		if (p->reply.accept)
			a->accepts++;
		else
			a->rejects++;
		p->done(p->ctx, &p->reply);
		free(p);
	}
}
