/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The workers' session table: what a worker needs to handle an L2TP data
 * message, keyed by the IDs the LNS assigned (tunnel ID, session ID), so the
 * upstream lookup is one hash probe. Written by the control lcore, read
 * lock-free by workers; an entry is freed only after an RCU grace period.
 */
#ifndef LNS_DP_SESSION_H
#define LNS_DP_SESSION_H

#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_common.h>

enum lns_sess_mode {
	LNS_SESS_PUNT = 0,    /* PPP not up yet: data goes to the control lcore */
	LNS_SESS_FORWARD = 1, /* IP forwarded by the worker */
};

/* Hot state: what a worker reads per packet. One cache line. */
struct lns_dp_session {
	uint16_t tid, sid;	     /* ours: the lookup key */
	uint16_t peer_tid, peer_sid; /* theirs: what we put in headers */
	rte_be32_t local_ip, peer_ip; /* the tunnel's outer addresses */
	uint16_t peer_port;
	uint8_t mode; /* enum lns_sess_mode */
	uint8_t port; /* access port index, where the LAC is reached */
	rte_be32_t sub_ip;  /* the subscriber's address (IPCP), 0 before */
	uint32_t slot;	    /* index of the downstream entry (FIB next hop) */
	uint16_t mtu;	    /* largest inner packet sent into the tunnel */
	uint16_t peer_mru;
	rte_be32_t nh_ip;   /* the next hop toward the LAC on port (peer_ip if connected) */
	uint16_t outer_csum; /* ones'-complement sum of the outer IPv4 header but its length */
} __rte_cache_aligned;

/* Downstream: the FIB's session next hops name a slot; NULL when free. */
#define LNS_SESSION_SLOT_NONE UINT32_MAX

struct lns_session_table;
struct rte_rcu_qsbr;

struct lns_session_table *lns_session_table_create(const char *name, unsigned entries,
						   struct rte_rcu_qsbr *qsbr);
void lns_session_table_free(struct lns_session_table *t);

/* Control lcore: publish a copy of S (replacing any entry with its IDs). */
int lns_session_publish(struct lns_session_table *t, const struct lns_dp_session *s);
/* Control lcore: withdraw; the memory goes back after the grace period. */
int lns_session_withdraw(struct lns_session_table *t, uint16_t tid, uint16_t sid);
/* Control lcore, from its loop: give back what every worker has stopped reading. */
void lns_session_reclaim(struct lns_session_table *t);

/* Control lcore: a free downstream slot for a new session (UINT32_MAX when full). A
 * released slot is reused only after an RCU grace period, once every route that named it
 * is gone from every worker's view: a worker may trust what a slot holds. */
uint32_t lns_session_slot_alloc(struct lns_session_table *t);
void lns_session_slot_free(struct lns_session_table *t, uint32_t slot);

/* Workers, lock-free: the session a downstream slot points at, or NULL. */
const struct lns_dp_session *lns_session_by_slot(const struct lns_session_table *t,
						 uint32_t slot);

/* The outer_csum of a tunnel between these addresses (dp/fwd.c builds that header). */
uint16_t lns_tunnel_csum_base(rte_be32_t local_ip, rte_be32_t peer_ip);

/* Workers, lock-free. NULL when there is no such session. */
const struct lns_dp_session *lns_session_lookup(const struct lns_session_table *t, uint16_t tid,
						uint16_t sid);

#endif
