/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 FIB: one longest-prefix match on the destination gives either a
 * subscriber's session (its /64, its delegated prefix) or a next hop
 * (connected subnet or static route). Same next-hop values as the IPv4 FIB
 * (dp/fib.h): LNS_NH_SESSION | slot, or an index into the next-hop table.
 * Read lock-free by workers.
 *
 * Two tables, because DPDK 22.11 has no IPv6 LPM that both scales to a
 * million subscriber prefixes and takes changes under lock-free readers:
 *
 *  - subscriber prefixes (written by the control lcore while traffic flows):
 *    an rte_hash keyed by (prefix, length), lock-free readers
 *    (RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF), deleted keys' slots reused
 *    after an RCU QSBR grace period (rte_hash_rcu_qsbr_add), plus a bitmap of
 *    the lengths in use. A lookup probes the lengths in use, longest first
 *    (in practice two: /64 and the delegated length), as VPP's IPv6 FIB
 *    does. About 100 octets per prefix.
 *  - configured routes (connected subnets, static routes; written at
 *    start-up only, before any worker runs): an rte_fib6 trie, consulted
 *    when no subscriber prefix matches.
 *
 * Why not rte_fib6 for everything: in 22.11 its trie frees a tbl8 group the
 * moment a change empties it and hands it to the next change while a reader
 * may still walk it (no RCU hook; rte_lpm6 likewise), and it reserves tbl8
 * groups for the worst case: every /64 added under a /24-or-shorter route
 * reserves five 1 KiB groups (measured: 1024 groups hold 204 /64s), 10 KiB
 * per dual-prefix session before any copy made for safe updates.
 *
 * A subscriber prefix never hides a configured route: one that contains a
 * configured route, or equals one, is refused (-EEXIST), so "a subscriber
 * prefix that matches wins" is the longest match over both tables.
 */
#ifndef LNS_DP_FIB6_H
#define LNS_DP_FIB6_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_fib6.h>
#include <rte_hash.h>

#include "dp/fib.h"
#include "dp/mac64.h"

/* What a route lookup without a matching route gives (rte_fib6's default_nh). */
#define LNS_NH6_NONE 0x7fffu

struct lns_nexthop6 {
	uint16_t port;  /* index in rt->ports */
	uint8_t gw[16]; /* all zero: connected, the destination is the neighbour */
	/* The gateway's MAC once resolved (dp/mac64.h), 0 while unknown: one atomic store by
	 * the control lcore, read by workers, as in struct lns_nexthop. */
	uint64_t mac;
};

/* A subscriber prefix as the hash's key: host bits zero. */
struct lns_fib6_key {
	uint8_t a[16];
	uint32_t plen;
};

struct rte_rcu_qsbr;

struct lns_fib6 {
	struct rte_hash *pfx;    /* subscriber prefixes -> LNS_NH_SESSION | slot */
	uint64_t lens[3];        /* bit L: some subscriber prefix is /L (0..128) */
	struct rte_fib6 *routes; /* configured routes -> next-hop index */
	uint32_t n_len[129];     /* control lcore: subscriber prefixes per length */
	uint32_t n_pfx, max_pfx; /* control lcore: subscriber prefixes, and room for them */
	struct lns_nexthop6 nh[LNS_NH_MAX];
	uint32_t n_nh;
};

/* Room for exactly max_prefixes subscriber prefixes (0: none), max_routes configured ones. */
struct lns_fib6 *lns_fib6_create(const char *name, uint32_t max_prefixes, uint32_t max_routes,
				 struct rte_rcu_qsbr *qsbr);
void lns_fib6_free(struct lns_fib6 *f);

/* Start-up only, before workers run: connected subnets and static routes. 0 or -errno. */
int lns_fib6_add_route(struct lns_fib6 *f, const uint8_t prefix[16], uint8_t plen,
		       const struct lns_nexthop6 *nh);
int lns_fib6_del_route(struct lns_fib6 *f, const uint8_t prefix[16], uint8_t plen);
/* Control lcore: a subscriber's prefix to its session's slot; -EEXIST when the prefix is
 * routed already (another session's, or a configured route: not taken over); -ENOSPC when
 * max_prefixes are in the table (dataplane.ipv6-prefixes); -ERANGE for a bad length or slot,
 * -EINVAL when host bits are set. */
int lns_fib6_add_session_route(struct lns_fib6 *f, const uint8_t prefix[16], uint8_t plen,
			       uint32_t slot);
int lns_fib6_del_session_route(struct lns_fib6 *f, const uint8_t prefix[16], uint8_t plen);

/* Workers: 0 and *nh set, or -ENOENT (no route). */
static inline int lns_fib6_lookup(const struct lns_fib6 *f, const uint8_t dst[16], uint32_t *nh);
const struct lns_nexthop6 *lns_fib6_nexthop(const struct lns_fib6 *f, uint32_t nh);
/* Control lcore: the gateway GW on PORT resolved to MAC (NULL: no longer known). */
void lns_fib6_gateway_mac(struct lns_fib6 *f, unsigned port, const uint8_t gw[16],
			  const struct rte_ether_addr *mac);

/* A with the bits past plen cleared (plen 0..128). */
static inline void lns_prefix6_mask(uint8_t a[16], unsigned plen)
{
	unsigned full = plen / 8;

	if (full < 16) {
		a[full] &= (uint8_t)(0xff00 >> (plen % 8));
		memset(a + full + 1, 0, 15 - full);
	}
}

/* ---- inline lookup ---- */

static inline int lns_fib6_lookup(const struct lns_fib6 *f, const uint8_t dst[16], uint32_t *nh)
{
	uint8_t ip[1][RTE_FIB6_IPV6_ADDR_SIZE];
	uint64_t v;

	for (int w = 2; w >= 0; w--) {
		uint64_t bits = __atomic_load_n(&f->lens[w], __ATOMIC_ACQUIRE);

		while (bits) {
			unsigned b = 63 - (unsigned)__builtin_clzll(bits);
			struct lns_fib6_key k = {.plen = (uint32_t)w * 64 + b};
			void *data;

			bits &= ~(UINT64_C(1) << b);
			memcpy(k.a, dst, 16);
			lns_prefix6_mask(k.a, k.plen);
			if (rte_hash_lookup_data(f->pfx, &k, &data) >= 0) {
				*nh = (uint32_t)(uintptr_t)data;
				return 0;
			}
		}
	}
	memcpy(ip[0], dst, 16); /* the API takes a writable array */
	if (rte_fib6_lookup_bulk(f->routes, ip, &v, 1) < 0 || v == LNS_NH6_NONE)
		return -ENOENT;
	*nh = (uint32_t)v;
	return 0;
}

static inline int lns_nexthop6_mac(const struct lns_nexthop6 *nh, struct rte_ether_addr *mac)
{
	return lns_mac64_get(__atomic_load_n(&nh->mac, __ATOMIC_ACQUIRE), mac) ? 0 : -ENOENT;
}

#endif
