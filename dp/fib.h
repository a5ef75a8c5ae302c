/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv4 FIB: one longest-prefix match on the destination gives either a
 * subscriber's session (its /32) or a next hop (connected subnet or static
 * route). rte_lpm, written by the control lcore, read lock-free by workers;
 * its tbl8 groups are reclaimed after an RCU grace period.
 *
 * Address pools are routes of their own: each pool range's prefixes lead to
 * an array with a word per address, the slot of the session holding it (or
 * none). A subscriber from a pool is then one store, not an rte_lpm rule:
 * rte_lpm_add() and _delete() scan every rule of the same depth, 0.35 ms per
 * /32 at a million sessions, which capped session set-up at ~3,000 a second.
 * Only addresses outside every pool (RADIUS Framed-IP-Address) and framed
 * routes are rte_lpm rules. An address of a pool that no session holds has no
 * route: it is dropped, never sent back toward the core.
 */
#ifndef LNS_DP_FIB_H
#define LNS_DP_FIB_H

#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

/* Next hop values: a session slot, a pool range (inside lns_fib_lookup only), or an index
 * into the next-hop table. */
#define LNS_NH_SESSION          (1u << 23)
#define LNS_NH_POOL             (1u << 22)
#define LNS_NH_MAX_SLOTS        (LNS_NH_POOL - 1)
#define LNS_NH_MAX              256
#define LNS_FIB_MAX_POOL_RANGES 1024

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
/* Start-up: the addresses FIRST..LAST (inclusive) are a pool's: 0, or a negative errno. */
int lns_fib_add_pool_range(struct lns_fib *f, rte_be32_t first, rte_be32_t last);
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

struct lns_fib_pool {
	uint32_t first, n; /* host order: the range's first address and its size */
	uint32_t *slot;    /* n words: slot + 1 of the session holding first + i, 0 none */
};

struct lns_fib {
	struct rte_lpm *lpm;
	struct lns_nexthop nh[LNS_NH_MAX];
	uint32_t n_nh;
	struct lns_fib_pool pool[LNS_FIB_MAX_POOL_RANGES];
	uint32_t n_pool;
};

/* Where a pool range's array keeps DST's slot (NH from rte_lpm has LNS_NH_POOL), or NULL. */
static inline const uint32_t *lns_fib_pool_word(const struct lns_fib *f, uint32_t nh,
						rte_be32_t dst)
{
	const struct lns_fib_pool *p = &f->pool[(nh & ~LNS_NH_POOL) % LNS_FIB_MAX_POOL_RANGES];
	uint32_t i = rte_be_to_cpu_32(dst) - p->first;

	return i < p->n ? &p->slot[i] : NULL;
}

static inline int lns_fib_lookup(const struct lns_fib *f, rte_be32_t dst, uint32_t *nh)
{
	if (rte_lpm_lookup(f->lpm, rte_be_to_cpu_32(dst), nh) != 0)
		return -ENOENT;
	if (*nh & LNS_NH_POOL) {
		const uint32_t *w = lns_fib_pool_word(f, *nh, dst);
		uint32_t s = w ? __atomic_load_n(w, __ATOMIC_ACQUIRE) : 0;

		if (s == 0)
			return -ENOENT; /* a pool's address no session holds */
		*nh = LNS_NH_SESSION | (s - 1);
	}
	return 0;
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
