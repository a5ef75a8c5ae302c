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
 *  - configured routes (connected subnets, static routes) and the IPv6
 *    pools' ranges (written at start-up only, before any worker runs): an
 *    rte_fib6 trie, consulted when no subscriber prefix matches.
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
 *
 * Pools are routes too, as in IPv4 (dp/fib.h): each IPv6 pool's range is in
 * the trie as the fewest prefixes that cover it, with next hop LNS_NH6_POOL,
 * "a pool's, nobody here". A prefix of a pool that a session holds is in the
 * hash and matches first; a free one falls through to the trie, which names
 * the pool, and the lookup says "no route": dropped, never routed back toward
 * the core by a shorter route (a default route, the core's aggregate), and
 * answered with an ICMPv6 address unreachable (dp/unreach.c). Against
 * configured routes, the longest prefix wins: a route inside a pool still
 * routes its part, a shorter route covering a pool does not reach into it.
 * Pools are added after the routes: a route of exactly the prefix of a
 * pool's block is replaced by the pool (and lnsd logs it). A subscriber
 * prefix may equal a pool's block (a pool of one prefix) or lie inside one,
 * not hold one: that would take the pool's free prefixes (-EEXIST).
 */
#ifndef LNS_DP_FIB6_H
#define LNS_DP_FIB6_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_fib6.h>
#include <rte_hash.h>

#include "dp/fib.h"
#include "dp/mac64.h"

/*
 * Reserved next-hop values of the trie (RTE_FIB6_TRIE_2B: 15 bits, 0x7fff the
 * largest); next-hop indexes stay below LNS_NH_MAX. NONE: no matching route
 * (rte_fib6's default_nh). POOL: an IPv6 pool's range, no session holds the
 * prefix. The lookup takes both for "no route" with one comparison.
 */
#define LNS_NH6_NONE 0x7fffu
#define LNS_NH6_POOL 0x7ffeu

struct lns_nexthop6 {
	uint16_t port;  /* index in rt->ports */
	uint8_t gw[16]; /* all zero: connected, the destination is the neighbour */
	/* The gateway's MAC once resolved (dp/mac64.h), 0 while unknown: one atomic store by
	 * the control lcore, read by workers, as in struct lns_nexthop. */
	uint64_t mac;
};

/* A subscriber prefix as the hash's key: host bits zero. Aligned to 8 octets, as rte_hash_crc
 * reads a key (8 at a time), also each key of an array (a burst's lookups, dp/fib6.c); the hash
 * covers the LNS_FIB6_KEY_LEN octets up to plen's end, never the padding after it. */
struct lns_fib6_key {
	uint8_t a[16];
	uint32_t plen;
} __rte_aligned(8);
#define LNS_FIB6_KEY_LEN (offsetof(struct lns_fib6_key, plen) + sizeof(uint32_t))

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

/* Room for exactly max_prefixes subscriber prefixes (0: none), max_routes configured ones
 * and pool_blocks prefixes of pools (lns_prefix6_blocks over the pools' ranges). */
struct lns_fib6 *lns_fib6_create(const char *name, uint32_t max_prefixes, uint32_t max_routes,
				 uint32_t pool_blocks, struct rte_rcu_qsbr *qsbr);
void lns_fib6_free(struct lns_fib6 *f);

/* Start-up only, before workers run: connected subnets and static routes. 0 or -errno. */
int lns_fib6_add_route(struct lns_fib6 *f, const uint8_t prefix[16], uint8_t plen,
		       const struct lns_nexthop6 *nh);
int lns_fib6_del_route(struct lns_fib6 *f, const uint8_t prefix[16], uint8_t plen);
/* How many prefixes cover exactly FIRST..LAST (inclusive, first <= last): the room
 * lns_fib6_add_pool_range takes. */
uint32_t lns_prefix6_blocks(const uint8_t first[16], const uint8_t last[16]);
/* Start-up only, after the configured routes: FIRST..LAST (inclusive) is a pool's, routed to
 * nobody until a session holds a prefix of it. 0, or -errno (-ENOSPC: no room in the trie).
 * *replaced: how many configured routes of exactly one of its prefixes it took over. */
int lns_fib6_add_pool_range(struct lns_fib6 *f, const uint8_t first[16], const uint8_t last[16],
			    unsigned *replaced);
/* Control lcore: a subscriber's prefix to its session's slot; -EEXIST when the prefix is
 * routed already (another session's, or a configured route: not taken over); -ENOSPC when
 * max_prefixes are in the table (dataplane.ipv6-prefixes); -ERANGE for a bad length or slot,
 * -EINVAL when host bits are set. */
int lns_fib6_add_session_route(struct lns_fib6 *f, const uint8_t prefix[16], uint8_t plen,
			       uint32_t slot);
int lns_fib6_del_session_route(struct lns_fib6 *f, const uint8_t prefix[16], uint8_t plen);

/* Workers: 0 and *nh set, or -ENOENT (no route, or a pool's prefix nobody holds). */
static inline int lns_fib6_lookup(const struct lns_fib6 *f, const uint8_t dst[16], uint32_t *nh);
/* Workers: lns_fib6_lookup of ADDRS[0..n) (n at most 65535) at once, each answer in NH[i],
 * LNS_FIB6_NO_ROUTE where it finds none: the subscriber prefixes' hash is probed for all of
 * them together (rte_hash_lookup_bulk_data prefetches its buckets and keys across the
 * lot), length by length, then the trie for what is left. */
#define LNS_FIB6_NO_ROUTE UINT32_MAX
void lns_fib6_lookup_burst(const struct lns_fib6 *f, const uint8_t *const *addrs, unsigned n,
			   uint32_t *nh);
/* Workers, for a packet lns_fib6_lookup found no route for: whether DST lies in a pool. */
bool lns_fib6_in_pool(const struct lns_fib6 *f, const uint8_t dst[16]);
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
	/* No subscriber prefix: the trie. Its reserved values, no route and a pool's free
	 * prefix, are the two largest: one comparison for both, as many as before pools. */
	memcpy(ip[0], dst, 16); /* the API takes a writable array */
	if (rte_fib6_lookup_bulk(f->routes, ip, &v, 1) < 0 || v >= LNS_NH6_POOL)
		return -ENOENT;
	*nh = (uint32_t)v;
	return 0;
}

static inline int lns_nexthop6_mac(const struct lns_nexthop6 *nh, struct rte_ether_addr *mac)
{
	return lns_mac64_get(__atomic_load_n(&nh->mac, __ATOMIC_ACQUIRE), mac) ? 0 : -ENOENT;
}

#endif
