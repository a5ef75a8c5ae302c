/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RADIUS client of the control lcore: authentication (RFC 2865), accounting
 * (RFC 2866), and the dynamic authorisation server (RFC 5176). Kernel UDP
 * sockets, non-blocking, driven from the control loop's epoll; never waits.
 *
 * Requests go to the servers of their kind in priority order; a server that
 * does not answer `retries` tries of `timeout-ms` is skipped for `dead-time`
 * seconds. Each request is built anew for every server it is sent to (the
 * secrets differ) through its build callback. Responses count only when
 * their Response Authenticator and Message-Authenticator verify.
 */
#ifndef LNS_RADIUS_H
#define LNS_RADIUS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_timer.h>

struct lns_cp;
struct radius_builder;
struct radius_pkt;

#define RADIUS_COUNTERS(X)                                                                         \
	X(auth_requests, "Access-Requests started")                                               \
	X(auth_accepts, "Access-Accepts received")                                                \
	X(auth_rejects, "Access-Rejects received")                                                \
	X(auth_failed, "Access-Requests no server answered")                                      \
	X(acct_requests, "accounting records started")                                            \
	X(acct_responses, "Accounting-Responses received")                                        \
	X(acct_dropped, "accounting records dropped because the queue was full")                  \
	X(tx, "packets sent, retransmissions included")                                           \
	X(retransmits, "retransmissions")                                                         \
	X(failovers, "requests moved to the next server")                                         \
	X(rx, "packets received")                                                                 \
	X(rx_unknown, "responses matching no outstanding request")                                \
	X(rx_malformed, "responses that did not parse")                                           \
	X(rx_bad_authenticator, "responses with a wrong Response Authenticator")                  \
	X(rx_no_message_authenticator, "responses without the required Message-Authenticator")   \
	X(rx_bad_message_authenticator, "responses with a wrong Message-Authenticator")          \
	X(dae_requests, "dynamic authorisation requests received")                                \
	X(dae_acks, "Disconnect-ACK and CoA-ACK sent")                                            \
	X(dae_naks, "Disconnect-NAK and CoA-NAK sent")                                            \
	X(dae_bad, "dynamic authorisation requests refused unanswered (unknown client, bad authenticator)")

struct radius_counters {
#define X(name, help) uint64_t name;
	RADIUS_COUNTERS(X)
#undef X
};

enum radius_service {
	RADIUS_AUTH,
	RADIUS_ACCT,
};

/* Put the request's attributes (called for each server, with its secret). */
typedef int (*radius_build_fn)(void *ctx, struct radius_builder *b, const uint8_t *secret,
			       size_t slen, uint64_t now_ms);
/* The verified response, or NULL when no server answered. */
typedef void (*radius_done_fn)(void *ctx, const struct radius_pkt *resp);

struct radius_req;

struct radius_server {
	const struct lns_radius_server_cfg *cfg;
	uint64_t dead_until_ms;
	uint64_t sent, answered, timeouts;
};

#define RADIUS_SOCKETS 16 /* 16 x 256 identifiers outstanding at once */

struct radius_sock {
	int fd;
	int family;
	uint16_t port; /* its local port, for logs */
	struct radius_req *by_id[256];
	unsigned n_busy;
};

TAILQ_HEAD(radius_req_list, radius_req);

struct lns_radius {
	struct lns_cp *cp;
	struct radius_counters c;
	struct radius_server auth[LNS_RADIUS_MAX_SERVERS], acct[LNS_RADIUS_MAX_SERVERS];
	unsigned n_auth, n_acct;
	struct radius_sock socks[RADIUS_SOCKETS];
	unsigned n_socks;
	struct radius_req_list waiting;	 /* no identifier free yet (accounting backlog) */
	struct radius_req_list inflight; /* on the wire */
	unsigned n_waiting, n_inflight, n_acct_queued;
	struct rte_timer timer;
	int dae_fd;
	uint8_t next_id;
};

int lns_radius_init(struct lns_radius *r, struct lns_cp *cp);
void lns_radius_fini(struct lns_radius *r);
/* A request; done is called exactly once, from the control loop. Returns a handle or 0. */
uint64_t lns_radius_request(struct lns_radius *r, enum radius_service kind, uint8_t code,
			    radius_build_fn build, radius_done_fn done, void *ctx, size_t ctx_len);
/* The requester is gone: its callback will not be called (accounting records stay queued). */
void lns_radius_cancel(struct lns_radius *r, uint64_t handle);
/* epoll: a client socket or the DAE socket is readable. */
void lns_radius_event(struct lns_radius *r, void *tag);
bool lns_radius_pending(const struct lns_radius *r);

/* cp/radius_dae.c */
int radius_dae_init(struct lns_radius *r);
void radius_dae_input(struct lns_radius *r);

#endif
