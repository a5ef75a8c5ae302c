/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv4 FIB: one longest-prefix match on the destination gives either a
 * subscriber's session (its /32) or a next hop (connected subnet or static
 * route). rte_lpm, written by the control lcore, read lock-free by workers;
 * its tbl8 groups are reclaimed after an RCU grace period.
 */
#ifndef LNS_DP_FIB_H
#define LNS_DP_FIB_H

#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

/* Next hop values: a session slot, or an index into the next-hop table. */
#define LNS_NH_SESSION   (1u << 23)
#define LNS_NH_MAX_SLOTS (LNS_NH_SESSION - 1)
#define LNS_NH_MAX       256

struct lns_nexthop {
	uint16_t port; /* index in rt->ports */
	rte_be32_t gw; /* 0: connected, the destination is the neighbour */
	/* The gateway's MAC once resolved (dp/mac64.h), 0 while unknown. Written by
	 * the control lcore (one atomic store),
	 * read by workers, so a packet to a routed prefix needs no neighbour lookup. */
	uint64_t mac;
};

struct lns_fib;
struct rte_rcu_qsbr;

struct lns_fib *lns_fib_create(const char *name, uint32_t max_rules, uint32_t n_tbl8,
			       struct rte_rcu_qsbr *qsbr);
void lns_fib_free(struct lns_fib *f);

/* Start-up: connected subnets and static routes. 0 or negative errno. */
int lns_fib_add_route(struct lns_fib *f, rte_be32_t prefix, uint8_t plen,
		      const struct lns_nexthop *nh);
/* Control lcore: a subscriber's address points at its session's slot, or no longer. */
int lns_fib_add_session(struct lns_fib *f, rte_be32_t ip, uint32_t slot);
int lns_fib_del_session(struct lns_fib *f, rte_be32_t ip);
/* A framed route (RFC 2865 5.22) to a session's slot; -EEXIST when the prefix is routed. */
int lns_fib_add_session_route(struct lns_fib *f, rte_be32_t prefix, uint8_t plen, uint32_t slot);
int lns_fib_del_route(struct lns_fib *f, rte_be32_t prefix, uint8_t plen);

/* Workers: 0 and *nh set, or -ENOENT (no route). */
static inline int lns_fib_lookup(const struct lns_fib *f, rte_be32_t dst, uint32_t *nh);
static inline const struct lns_nexthop *lns_fib_nexthop(const struct lns_fib *f, uint32_t nh);
/* Control lcore: the gateway GW on PORT resolved to MAC (NULL: no longer known). */
void lns_fib_gateway_mac(struct lns_fib *f, unsigned port, rte_be32_t gw,
			 const struct rte_ether_addr *mac);
/* Workers: 0 and *mac set when the next hop's gateway MAC is known. */
static inline int lns_nexthop_mac(const struct lns_nexthop *nh, struct rte_ether_addr *mac);

/* ---- inline lookup ---- */
#include <rte_lpm.h>

#include "dp/mac64.h"

struct lns_fib {
	struct rte_lpm *lpm;
	struct lns_nexthop nh[LNS_NH_MAX];
	uint32_t n_nh;
};

static inline int lns_fib_lookup(const struct lns_fib *f, rte_be32_t dst, uint32_t *nh)
{
	return rte_lpm_lookup(f->lpm, rte_be_to_cpu_32(dst), nh) == 0 ? 0 : -ENOENT;
}

static inline const struct lns_nexthop *lns_fib_nexthop(const struct lns_fib *f, uint32_t nh)
{
	return nh < f->n_nh ? &f->nh[nh] : NULL;
}

static inline int lns_nexthop_mac(const struct lns_nexthop *nh, struct rte_ether_addr *mac)
{
	return lns_mac64_get(__atomic_load_n(&nh->mac, __ATOMIC_ACQUIRE), mac) ? 0 : -ENOENT;
}

#endif
