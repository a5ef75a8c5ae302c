/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Subscriber authentication backends, asynchronous: PPP hands a request over
 * and gets the answer through a callback, later (never from inside the call
 * that started it). The local user list of the configuration is the built-in
 * backend; RADIUS joins behind the same interface. Main lcore only.
 */
#ifndef LNS_AUTH_H
#define LNS_AUTH_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include "cp/chap.h"
#include "cp/framed_route6.h"

struct lns_cp;
struct lns_config;

enum auth_proto {
	AUTH_PAP = 1,
	AUTH_CHAP_MD5,
	AUTH_MSCHAPV2,
};

#define AUTH_NAME_MAX 255

struct auth_req {
	enum auth_proto proto;
	char user[AUTH_NAME_MAX + 1];
	uint8_t user_len;
	/* PAP: the password as sent */
	char password[256];
	uint8_t password_len;
	/* CHAP-MD5 and MS-CHAPv2: what we sent and what came back */
	uint8_t chap_id;
	uint8_t challenge[MSCHAPV2_CHALLENGE_LEN];
	uint8_t challenge_len;
	uint8_t response[64]; /* MD5 value (16), or MS-CHAPv2 Response value (49) */
	uint8_t response_len;
	/* Who asks, for a network backend (RADIUS attributes) */
	uint32_t nas_port;    /* tunnel ID << 16 | session ID, ours */
	char nas_port_id[32]; /* "tunnel/session" */
	char calling[64], called[64];
	char connect_info[64]; /* "tx/rx" connect speeds */
	char acct_session_id[24];
	struct in_addr lac, lns; /* the tunnel's endpoints */
	char lac_name[64], lns_name[64];
};

/* What the backend says about the subscriber beyond yes or no (RADIUS Access-Accept). */
#define AUTH_CLASS_MAX 253
struct auth_attrs {
	uint32_t session_timeout, idle_timeout, interim_interval; /* seconds, 0: none */
	uint32_t framed_mtu;
	uint32_t rate_up, rate_down, rate_burst; /* kbit/s, kbit; 0: none */
	struct in_addr dns[2];
	unsigned n_dns;
	struct in6_addr dns6[3]; /* DNS-Server-IPv6-Address (RFC 6911 3.2): RAs and DHCPv6 */
	unsigned n_dns6;
	struct in_addr netmask;
#define AUTH_MAX_ROUTES 8 /* a bit each in ppp_session.routes_installed */
	struct auth_route {
		struct in_addr prefix;
		uint8_t plen;
	} routes[AUTH_MAX_ROUTES]; /* Framed-Route: prefixes routed to the subscriber */
	unsigned n_routes;
	bool has_ipv6_prefix, has_delegated_prefix, has_interface_id;
	/* Framed-IPv6-Prefix (RFC 3162 2.3, the link's), Delegated-IPv6-Prefix (RFC 4818):
	 * host bits cleared */
	struct in6_addr ipv6_prefix, delegated_prefix;
	uint8_t ipv6_plen, delegated_plen;
	uint8_t interface_id[8];
};

struct auth_reply {
	bool accept;
	char message[128]; /* for the log and, where the protocol carries one, the peer */
	/* MS-CHAPv2: the Success message's authenticator response "S=..." */
	char mschapv2_auth_response[MSCHAPV2_AUTH_RESPONSE_LEN + 1];
	/* What the backend says about the subscriber */
	bool has_address;
	struct in_addr address; /* a fixed address */
	int pool;               /* index into cfg->pools, -1: the default */
	int pool6, pd_pool;     /* IPv6 pools of the /64 and the delegated prefix, -1: ppp's */
	struct auth_attrs attrs;
	char mschap_error[64]; /* MS-CHAP-Error from the server, for the Failure message */
	/* Class (RFC 2865 5.25), echoed in accounting: kept apart from attrs, so that a
	 * session keeps it at its length, not in a 253-octet array. */
	uint8_t class_[AUTH_CLASS_MAX];
	uint8_t class_len;
	/* Framed-IPv6-Route (RFC 3162 2.5): kept apart too, the session keeps only those given */
	struct framed_route6 routes6[FRAMED_ROUTE6_MAX];
	uint8_t n_routes6;
};

typedef void (*auth_done_fn)(void *ctx, const struct auth_reply *r);

struct auth_pending;
TAILQ_HEAD(auth_pending_list, auth_pending);

struct lns_auth {
	struct lns_cp *cp;
	struct auth_pending_list pending;
	uint64_t next_handle;
	uint64_t accepts, rejects;
};

void lns_auth_init(struct lns_auth *a, struct lns_cp *cp);
void lns_auth_fini(struct lns_auth *a);
/* Start; the answer comes through done(ctx, ...) from lns_auth_poll(). Returns a handle. */
uint64_t lns_auth_start(struct lns_auth *a, const struct auth_req *req, auth_done_fn done,
			void *ctx);
/* The requester is gone: its answer is dropped. */
void lns_auth_cancel(struct lns_auth *a, uint64_t handle);
/* From the control loop: deliver the answers that are ready. */
void lns_auth_poll(struct lns_auth *a);
bool lns_auth_busy(const struct lns_auth *a);

/* cp/radius_auth.c: the same through RADIUS; a radius handle or 0. */
uint64_t radius_auth_start(struct lns_cp *cp, const struct auth_req *req, auth_done_fn done,
			   void *ctx);

/* The local backend's verdict, synchronously (exposed for the unit tests). */
void auth_local_check(const struct lns_config *cfg, const struct auth_req *req,
		      struct auth_reply *r);

#endif
