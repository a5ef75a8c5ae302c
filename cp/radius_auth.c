/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RADIUS as the authentication backend (RFC 2865, RFC 2548 for MS-CHAPv2,
 * RFC 2868 tunnel attributes, RFC 3162/4818 IPv6). Main lcore only. Builds
 * the Access-Request from a PPP authentication request and turns the
 * verified answer into an auth_reply; attributes lns cannot honour are
 * logged, never silently dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "config/config.h"
#include "cp/auth.h"
#include "cp/cp.h"
#include "cp/log.h"
#include "cp/radius.h"
#include "cp/radius_codec.h"

struct access_ctx {
	struct lns_cp *cp;
	auth_done_fn done;
	void *ctx;
	struct auth_req req;
};

static int build_access_request(void *vctx, struct radius_builder *b, const uint8_t *secret,
				size_t slen, uint64_t now)
{
	const struct access_ctx *a = vctx;
	const struct auth_req *q = &a->req;
	const struct lns_radius_cfg *rc = &a->cp->rt->cfg->radius;
	const char *nas_id =
		rc->nas_identifier[0] ? rc->nas_identifier : a->cp->rt->cfg->l2tp.host_name;
	char ip[INET_ADDRSTRLEN];

	RTE_SET_USED(now);
	radius_put(b, RADIUS_ATTR_USER_NAME, q->user, q->user_len);
	switch (q->proto) {
	case AUTH_PAP:
		radius_put_user_password(b, q->password, q->password_len, secret, slen);
		break;
	case AUTH_CHAP_MD5: {
		uint8_t cp[1 + CHAP_MD5_LEN]; /* RFC 2865 5.3: CHAP Ident, then the response */

		cp[0] = q->chap_id;
		memcpy(cp + 1, q->response, CHAP_MD5_LEN);
		radius_put(b, RADIUS_ATTR_CHAP_PASSWORD, cp, sizeof(cp));
		radius_put(b, RADIUS_ATTR_CHAP_CHALLENGE, q->challenge, q->challenge_len);
		break;
	}
	case AUTH_MSCHAPV2: {
		/* RFC 2548 2.3.2: Ident, Flags, Peer-Challenge, Reserved, Response */
		uint8_t r[50];

		r[0] = q->chap_id;
		r[1] = q->response[48];
		memcpy(r + 2, q->response, 16);
		memcpy(r + 18, q->response + 16, 8);
		memcpy(r + 26, q->response + 24, 24);
		radius_put_vsa(b, RADIUS_VENDOR_MS, RADIUS_MS_CHAP_CHALLENGE, q->challenge,
			       q->challenge_len);
		radius_put_vsa(b, RADIUS_VENDOR_MS, RADIUS_MS_CHAP2_RESPONSE, r, sizeof(r));
		break;
	}
	}
	radius_put_str(b, RADIUS_ATTR_NAS_IDENTIFIER, nas_id);
	if (rc->has_nas_ip && rc->nas_ip.family == AF_INET)
		radius_put_addr(b, RADIUS_ATTR_NAS_IP_ADDRESS, rc->nas_ip.v4);
	else if (rc->has_nas_ip)
		radius_put(b, RADIUS_ATTR_NAS_IPV6_ADDRESS, &rc->nas_ip.v6, 16);
	else
		radius_put_addr(b, RADIUS_ATTR_NAS_IP_ADDRESS, q->lns);
	radius_put_u32(b, RADIUS_ATTR_NAS_PORT, q->nas_port);
	radius_put_str(b, RADIUS_ATTR_NAS_PORT_ID, q->nas_port_id);
	radius_put_u32(b, RADIUS_ATTR_NAS_PORT_TYPE, RADIUS_NAS_PORT_TYPE_VIRTUAL);
	radius_put_u32(b, RADIUS_ATTR_SERVICE_TYPE, RADIUS_SERVICE_FRAMED);
	radius_put_u32(b, RADIUS_ATTR_FRAMED_PROTOCOL, RADIUS_FRAMED_PROTOCOL_PPP);
	if (q->calling[0])
		radius_put_str(b, RADIUS_ATTR_CALLING_STATION_ID, q->calling);
	if (q->called[0])
		radius_put_str(b, RADIUS_ATTR_CALLED_STATION_ID, q->called);
	if (q->connect_info[0])
		radius_put_str(b, RADIUS_ATTR_CONNECT_INFO, q->connect_info);
	/* RFC 2868: the L2TP tunnel this session came through, tag 1. */
	radius_put_tagged_u32(b, RADIUS_ATTR_TUNNEL_TYPE, 1, RADIUS_TUNNEL_TYPE_L2TP);
	radius_put_tagged_u32(b, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 1, RADIUS_TUNNEL_MEDIUM_IPV4);
	inet_ntop(AF_INET, &q->lac, ip, sizeof(ip));
	radius_put_tagged(b, RADIUS_ATTR_TUNNEL_CLIENT_ENDPOINT, 1, ip, strlen(ip));
	inet_ntop(AF_INET, &q->lns, ip, sizeof(ip));
	radius_put_tagged(b, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 1, ip, strlen(ip));
	if (q->lac_name[0])
		radius_put_tagged(b, RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID, 1, q->lac_name,
				  strlen(q->lac_name));
	radius_put_tagged(b, RADIUS_ATTR_TUNNEL_SERVER_AUTH_ID, 1, q->lns_name,
			  strlen(q->lns_name));
	radius_put_str(b, RADIUS_ATTR_ACCT_SESSION_ID, q->acct_session_id);
	radius_put_message_authenticator(b);
	return b->err;
}

static int pool_by_name(const struct lns_config *cfg, const uint8_t *v, size_t len)
{
	for (size_t i = 0; i < cfg->n_pools; i++)
		if (strlen(cfg->pools[i].name) == len && memcmp(cfg->pools[i].name, v, len) == 0)
			return (int)i;
	return -1;
}

/*
 * RFC 2865 5.22 Framed-Route: "PREFIX[/LEN] GATEWAY METRIC...". A gateway other
 * than 0.0.0.0 (the subscriber) is checked once the address is known
 * (ppp_fwd.c). Without /LEN the prefix is a host route.
 */
static int parse_route(const struct radius_attr *a, struct auth_attrs *at)
{
	char buf[64], *slash, *sp;
	struct auth_route *r;
	unsigned long plen = 32;

	if (a->len >= sizeof(buf) || at->n_routes == AUTH_MAX_ROUTES)
		return -1;
	memcpy(buf, a->v, a->len);
	buf[a->len] = '\0';
	sp = strchr(buf, ' ');
	if (sp)
		*sp = '\0';
	slash = strchr(buf, '/');
	if (slash) {
		char *end;

		*slash = '\0';
		plen = strtoul(slash + 1, &end, 10);
		if (*end || slash[1] == '\0' || plen < 1 || plen > 32)
			return -1;
	}
	r = &at->routes[at->n_routes];
	if (inet_pton(AF_INET, buf, &r->prefix) != 1)
		return -1;
	if (sp) { /* the gateway: none, or the subscriber itself */
		struct in_addr gw;
		char *g = sp + 1, *e = strchr(g, ' ');

		if (e)
			*e = '\0';
		if (inet_pton(AF_INET, g, &gw) != 1 || gw.s_addr != 0)
			return -1;
	}
	r->plen = (uint8_t)plen;
	r->prefix.s_addr &= htonl(plen == 32 ? 0xffffffffu : ~(0xffffffffu >> plen));
	at->n_routes++;
	return 0;
}

/* Access-Accept: what lns applies, stores, or logs as not honoured. */
static void accept_attrs(struct lns_cp *cp, const struct auth_req *q, const struct radius_pkt *p,
			 struct auth_reply *r)
{
	const struct lns_config *cfg = cp->rt->cfg;
	struct auth_attrs *at = &r->attrs;

	for (unsigned i = 0; i < p->n; i++) {
		const struct radius_attr *a = &p->a[i];
		uint32_t v = 0;

		if (a->vendor == RADIUS_VENDOR_MS) {
			switch (a->vtype) {
			case RADIUS_MS_CHAP2_SUCCESS:
				/* Ident, then "S=<40 hex>" */
				if (a->len >= 1 + MSCHAPV2_AUTH_RESPONSE_LEN) {
					memcpy(r->mschapv2_auth_response, a->v + 1,
					       MSCHAPV2_AUTH_RESPONSE_LEN);
					r->mschapv2_auth_response[MSCHAPV2_AUTH_RESPONSE_LEN] = 0;
				}
				continue;
			case RADIUS_MS_PRIMARY_DNS_SERVER:
			case RADIUS_MS_SECONDARY_DNS_SERVER:
				if (a->len == 4 && at->n_dns < 2)
					memcpy(&at->dns[at->n_dns++], a->v, 4);
				continue;
			case RADIUS_MS_MPPE_SEND_KEY:
			case RADIUS_MS_MPPE_RECV_KEY:
			case RADIUS_MS_MPPE_ENCRYPTION_POLICY:
			case RADIUS_MS_MPPE_ENCRYPTION_TYPES:
				continue; /* MPPE keys: no encryption on an LNS link, nothing to do
					   */
			default:
				break;
			}
		} else if (a->vendor == RADIUS_VENDOR_LNS) {
			if (radius_get_u32(a, &v) == 0) {
				if (a->vtype == RADIUS_LNS_RATE_LIMIT_UP) {
					at->rate_up = v;
					continue;
				}
				if (a->vtype == RADIUS_LNS_RATE_LIMIT_DOWN) {
					at->rate_down = v;
					continue;
				}
				if (a->vtype == RADIUS_LNS_RATE_LIMIT_BURST) {
					at->rate_burst = v;
					continue;
				}
			}
		} else if (a->vendor == 0) {
			switch (a->type) {
			case RADIUS_ATTR_FRAMED_IP_ADDRESS:
				if (a->len != 4)
					break;
				memcpy(&v, a->v, 4);
				/* RFC 2865 5.8: ...FE lets the NAS choose, ...FF the user */
				if (v != htonl(0xfffffffe) && v != htonl(0xffffffff)) {
					r->has_address = true;
					memcpy(&r->address, a->v, 4);
				}
				continue;
			case RADIUS_ATTR_FRAMED_POOL: {
				int pool = pool_by_name(cfg, a->v, a->len);

				if (pool >= 0) {
					r->pool = pool;
					continue;
				}
				LNS_LOG(WARNING, cp,
					"RADIUS: \"%.*s\": Framed-Pool \"%.*s\" is not a "
					"configured pool, ignored",
					(int)q->user_len, q->user, (int)a->len, a->v);
				continue;
			}
			case RADIUS_ATTR_FRAMED_IP_NETMASK:
				if (a->len == 4)
					memcpy(&at->netmask, a->v, 4);
				continue;
			case RADIUS_ATTR_SESSION_TIMEOUT:
				if (radius_get_u32(a, &at->session_timeout) == 0)
					continue;
				break;
			case RADIUS_ATTR_IDLE_TIMEOUT:
				if (radius_get_u32(a, &at->idle_timeout) == 0)
					continue;
				break;
			case RADIUS_ATTR_ACCT_INTERIM_INTERVAL:
				if (radius_get_u32(a, &at->interim_interval) == 0)
					continue;
				break;
			case RADIUS_ATTR_FRAMED_MTU:
				if (radius_get_u32(a, &at->framed_mtu) == 0)
					continue;
				break;
			case RADIUS_ATTR_CLASS:
				r->class_len = (uint8_t)(a->len < AUTH_CLASS_MAX ? a->len
										 : AUTH_CLASS_MAX);
				memcpy(r->class_, a->v, r->class_len);
				continue;
			case RADIUS_ATTR_FRAMED_IPV6_PREFIX:
				/* The link's prefix: SLAAC needs a /64 (RFC 4862 5.5.3). */
				if (radius_get_ipv6_prefix(a, &at->ipv6_prefix, &at->ipv6_plen) ==
					    0 &&
				    at->ipv6_plen == 64) {
					at->has_ipv6_prefix = true;
					continue;
				}
				break;
			case RADIUS_ATTR_DELEGATED_IPV6_PREFIX:
				if (radius_get_ipv6_prefix(a, &at->delegated_prefix,
							   &at->delegated_plen) == 0 &&
				    at->delegated_plen >= 1) {
					at->has_delegated_prefix = true;
					continue;
				}
				break;
			case RADIUS_ATTR_FRAMED_IPV6_POOL:
			case RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL: {
				bool pd = a->type == RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL;
				int pool = pool_by_name(cfg, a->v, a->len);

				/* An IPv6 pool, of /64s for the link's prefix. */
				if (pool >= 0 && cfg->pools[pool].family == AF_INET6 &&
				    (pd || cfg->pools[pool].prefix_len == 64)) {
					*(pd ? &r->pd_pool : &r->pool6) = pool;
					continue;
				}
				LNS_LOG(WARNING, cp,
					"RADIUS: \"%.*s\": %s \"%.*s\" is not a "
					"configured IPv6 pool%s, ignored",
					(int)q->user_len, q->user,
					pd ? "Delegated-IPv6-Prefix-Pool" : "Framed-IPv6-Pool",
					(int)a->len, a->v, pd ? "" : " of /64s");
				continue;
			}
			case RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS:
				/* RFC 6911 3.2: one server each, as many as wanted; RDNSS and
				 * DHCPv6 carry three */
				if (a->len == 16 && at->n_dns6 < RTE_DIM(at->dns6)) {
					memcpy(&at->dns6[at->n_dns6++], a->v, 16);
					continue;
				}
				break;
			case RADIUS_ATTR_FRAMED_INTERFACE_ID:
				if (a->len == 8) {
					at->has_interface_id = true;
					memcpy(at->interface_id, a->v, 8);
				}
				continue;
			case RADIUS_ATTR_FRAMED_ROUTE:
				if (parse_route(a, at) == 0)
					continue;
				LNS_LOG(WARNING, cp,
					"RADIUS: \"%.*s\": Framed-Route \"%.*s\" not applied "
					"(expected \"PREFIX[/LEN] GATEWAY [METRIC]\" with gateway "
					"0.0.0.0 or the subscriber's, at most %d)",
					(int)q->user_len, q->user, (int)a->len, a->v,
					AUTH_MAX_ROUTES);
				continue;
			case RADIUS_ATTR_FRAMED_IPV6_ROUTE: {
				const char *why = "more than " RTE_STR(FRAMED_ROUTE6_MAX);

				if (r->n_routes6 < FRAMED_ROUTE6_MAX &&
				    framed_route6_parse(a->v, a->len, &r->routes6[r->n_routes6],
							&why) == 0) {
					r->n_routes6++;
					continue;
				}
				cp->ppp_c.framed_ipv6_routes_refused++;
				LNS_LOG(WARNING, cp,
					"RADIUS: \"%.*s\": Framed-IPv6-Route \"%.*s\" not applied: "
					"%s",
					(int)q->user_len, q->user, (int)a->len, a->v, why);
				continue;
			}
			case RADIUS_ATTR_REPLY_MESSAGE:
			case RADIUS_ATTR_MESSAGE_AUTHENTICATOR:
			case RADIUS_ATTR_SERVICE_TYPE:
			case RADIUS_ATTR_FRAMED_PROTOCOL:
			case RADIUS_ATTR_USER_NAME:
			case RADIUS_ATTR_PROXY_STATE:
				continue; /* informational, or what we asked for */
			default:
				break;
			}
		}
		LNS_LOG(WARNING, cp,
			"RADIUS: \"%.*s\": attribute %s (vendor %u, type %u) not honoured",
			(int)q->user_len, q->user,
			radius_attr_name(a->vendor, a->vendor ? a->vtype : a->type), a->vendor,
			a->vendor ? a->vtype : a->type);
	}
}

static void access_done(void *vctx, const struct radius_pkt *p)
{
	const struct access_ctx *a = vctx;
	struct auth_reply r;

	memset(&r, 0, sizeof(r));
	r.pool = -1;
	r.pool6 = -1;
	r.pd_pool = -1;
	if (p == NULL) {
		snprintf(r.message, sizeof(r.message), "no RADIUS server answered");
	} else if (p->code == RADIUS_ACCESS_ACCEPT) {
		r.accept = true;
		snprintf(r.message, sizeof(r.message), "RADIUS");
		accept_attrs(a->cp, &a->req, p, &r);
		if (a->req.proto == AUTH_MSCHAPV2 && r.mschapv2_auth_response[0] == '\0') {
			/* Without it the client cannot check the server: refuse (RFC 2759 5). */
			r.accept = false;
			snprintf(r.message, sizeof(r.message),
				 "RADIUS accepted MS-CHAPv2 without MS-CHAP2-Success");
		}
	} else {
		const struct radius_attr *m = radius_find(p, RADIUS_ATTR_REPLY_MESSAGE);
		const struct radius_attr *e =
			radius_find_vsa(p, RADIUS_VENDOR_MS, RADIUS_MS_CHAP_ERROR);

		snprintf(r.message, sizeof(r.message), "RADIUS %s%s%.*s",
			 p->code == RADIUS_ACCESS_REJECT ? "Access-Reject"
							 : radius_code_name(p->code),
			 m ? ": " : "", m ? (int)m->len : 0, m ? (const char *)m->v : "");
		if (e && e->len > 1)
			snprintf(r.mschap_error, sizeof(r.mschap_error), "%.*s", (int)e->len - 1,
				 (const char *)e->v + 1);
	}
	a->done(a->ctx, &r);
}

uint64_t radius_auth_start(struct lns_cp *cp, const struct auth_req *req, auth_done_fn done,
			   void *ctx)
{
	struct access_ctx a = {.cp = cp, .done = done, .ctx = ctx, .req = *req};

	return lns_radius_request(&cp->radius, RADIUS_AUTH, RADIUS_ACCESS_REQUEST,
				  build_access_request, access_done, &a, sizeof(a));
}
