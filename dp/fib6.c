/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 FIB (see dp/fib6.h). Writer: the control lcore (subscriber prefixes)
 * and start-up (routes, pools). Readers: workers, lock-free; the prefix hash's
 * deleted key slots are reused only after an RCU QSBR grace period.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_fib6.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>
#include <rte_rib6.h>

#include "dp/fib6.h"

/* Configured routes are few; a tbl8 group is 512 octets (256 two-octet next hops). */
#define ROUTE_TBL8 256
/* The most tbl8 groups one route reserves: one per 8 bits past the trie's 24 ((128 - 24) / 8),
 * so that each pool prefix is sure of its room however the pools lie. */
#define TBL8_PER_ROUTE 13
/* The largest tbl8 count RTE_FIB6_TRIE_2B takes: a tbl8 index shares the 15-bit next hop. */
#define TBL8_MAX 0x7fff

struct lns_fib6 *lns_fib6_create(const char *name, uint32_t max_prefixes, uint32_t max_routes,
				 uint32_t pool_blocks, struct rte_rcu_qsbr *qsbr)
{
	char n[32]; /* rte_fib6 and rte_hash derive ring and mempool names: short */
	uint64_t tbl8 = ROUTE_TBL8 + (uint64_t)pool_blocks * TBL8_PER_ROUTE;
	struct rte_fib6_conf c = {
		.type = RTE_FIB6_TRIE,
		.default_nh = LNS_NH6_NONE,
		.max_routes = (int)RTE_MIN((uint64_t)max_routes + pool_blocks, (uint64_t)INT32_MAX),
		.trie = {.nh_sz = RTE_FIB6_TRIE_2B, /* route indexes: 2 B do */
			 .num_tbl8 = (uint32_t)RTE_MIN(tbl8, (uint64_t)TBL8_MAX)},
	};
	struct rte_hash_parameters hp = {
		.name = n,
		/* A cuckoo table fills before 100 %: room to spare, and an extendable bucket
		 * table, so that max_prefixes always fit (as the session table). */
		.entries = max_prefixes + max_prefixes / 8 + 64,
		.key_len = LNS_FIB6_KEY_LEN,
		.hash_func = rte_hash_crc,
		.socket_id = SOCKET_ID_ANY,
		.extra_flag =
			RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct rte_hash_rcu_config rc = {.v = qsbr, .mode = RTE_HASH_QSBR_MODE_DQ};
	struct lns_fib6 *f = rte_zmalloc("fib6", sizeof(*f), RTE_CACHE_LINE_SIZE);

	if (f == NULL)
		return NULL;
	f->max_pfx = max_prefixes;
	snprintf(n, sizeof(n), "%s_r", name);
	f->routes = rte_fib6_create(n, SOCKET_ID_ANY, &c);
	snprintf(n, sizeof(n), "%s_p", name);
	f->pfx = rte_hash_create(&hp);
	if (f->routes == NULL || f->pfx == NULL ||
	    (qsbr && rte_hash_rcu_qsbr_add(f->pfx, &rc) != 0)) {
		lns_fib6_free(f);
		return NULL;
	}
	return f;
}

void lns_fib6_free(struct lns_fib6 *f)
{
	if (f == NULL)
		return;
	rte_hash_free(f->pfx);
	rte_fib6_free(f->routes);
	rte_free(f);
}

int lns_fib6_add_route(struct lns_fib6 *f, const uint8_t prefix[16], uint8_t plen,
		       const struct lns_nexthop6 *nh)
{
	uint32_t i;

	if (plen > 128)
		return -ERANGE;
	for (i = 0; i < f->n_nh; i++)
		if (f->nh[i].port == nh->port && memcmp(f->nh[i].gw, nh->gw, 16) == 0)
			break;
	if (i == f->n_nh) {
		if (f->n_nh == LNS_NH_MAX)
			return -ENOSPC;
		f->nh[f->n_nh] = *nh;
		f->nh[f->n_nh].mac = 0;
		f->n_nh++;
	}
	return rte_fib6_add(f->routes, prefix, plen, i);
}

int lns_fib6_del_route(struct lns_fib6 *f, const uint8_t prefix[16], uint8_t plen)
{
	if (plen > 128)
		return -ERANGE;
	return rte_fib6_delete(f->routes, prefix, plen);
}

/*
 * IPv6 pools' ranges. A range is cut into the fewest prefixes that cover exactly
 * it, as dp/fib.c does for IPv4: at each step the largest aligned block at the
 * range's next address that does not pass its end. 128-bit integers (a GCC and
 * clang extension, as config/pools.c uses) keep the arithmetic plain; DPDK has
 * no helper for it.
 */
typedef unsigned __int128 u128;

static u128 to_u128(const uint8_t a[16])
{
	u128 v = 0;

	for (int i = 0; i < 16; i++)
		v = v << 8 | a[i];
	return v;
}

static void from_u128(u128 v, uint8_t a[16])
{
	for (int i = 15; i >= 0; i--, v >>= 8)
		a[i] = (uint8_t)v;
}

/* The host bits (0..128) of the largest aligned block at A that ends at or before Z. */
static unsigned block_bits(u128 a, u128 z)
{
	unsigned h = 0;

	while (h < 128) {
		u128 mask = h + 1 == 128 ? ~(u128)0 : ((u128)1 << (h + 1)) - 1;

		if ((a & mask) != 0 || z - a < mask)
			break;
		h++;
	}
	return h;
}

/* Each prefix covering FIRST..LAST to the trie as a pool's (F NULL: only counted). */
static int pool_blocks(struct lns_fib6 *f, const uint8_t first[16], const uint8_t last[16],
		       unsigned *replaced)
{
	struct rte_rib6 *rib = f ? rte_fib6_get_rib(f->routes) : NULL;
	u128 a = to_u128(first), z = to_u128(last);
	int n = 0;

	if (z < a)
		return -EINVAL;
	for (;;) {
		unsigned h = block_bits(a, z);
		u128 span = h == 128 ? ~(u128)0 : ((u128)1 << h) - 1; /* the block's size - 1 */

		if (f != NULL) {
			uint8_t p[16];
			struct rte_rib6_node *old;
			uint64_t nh;
			int ret;

			from_u128(a, p);
			old = rte_rib6_lookup_exact(rib, p, (uint8_t)(128 - h));
			if (old != NULL && rte_rib6_get_nh(old, &nh) == 0 && nh != LNS_NH6_POOL)
				(*replaced)++;
			ret = rte_fib6_add(f->routes, p, (uint8_t)(128 - h), LNS_NH6_POOL);
			if (ret < 0)
				return ret;
		}
		n++;
		if (z - a == span)
			return n; /* also where the block ends at the top of the address space */
		a += span + 1;
	}
}

uint32_t lns_prefix6_blocks(const uint8_t first[16], const uint8_t last[16])
{
	int n = pool_blocks(NULL, first, last, NULL);

	return n < 0 ? 0 : (uint32_t)n;
}

int lns_fib6_add_pool_range(struct lns_fib6 *f, const uint8_t first[16], const uint8_t last[16],
			    unsigned *replaced)
{
	int ret;

	*replaced = 0;
	ret = pool_blocks(f, first, last, replaced);
	return ret < 0 ? ret : 0;
}

bool lns_fib6_in_pool(const struct lns_fib6 *f, const uint8_t dst[16])
{
	uint8_t ip[1][RTE_FIB6_IPV6_ADDR_SIZE];
	uint64_t v;

	memcpy(ip[0], dst, 16);
	return rte_fib6_lookup_bulk(f->routes, ip, &v, 1) == 0 && v == LNS_NH6_POOL;
}

static int make_key(struct lns_fib6_key *k, const uint8_t prefix[16], uint8_t plen)
{
	if (plen < 1 || plen > 128)
		return -ERANGE;
	memset(k, 0, sizeof(*k));
	memcpy(k->a, prefix, 16);
	lns_prefix6_mask(k->a, plen);
	k->plen = plen;
	return memcmp(k->a, prefix, 16) == 0 ? 0 : -EINVAL;
}

static void len_bit(struct lns_fib6 *f, unsigned plen, bool on)
{
	uint64_t b = UINT64_C(1) << (plen % 64);

	if (on)
		__atomic_fetch_or(&f->lens[plen / 64], b, __ATOMIC_RELEASE);
	else
		__atomic_fetch_and(&f->lens[plen / 64], ~b, __ATOMIC_RELEASE);
}

int lns_fib6_add_session_route(struct lns_fib6 *f, const uint8_t prefix[16], uint8_t plen,
			       uint32_t slot)
{
	struct rte_rib6 *rib = rte_fib6_get_rib(f->routes);
	struct rte_rib6_node *same;
	struct lns_fib6_key k;
	uint64_t nh = 0;
	int ret = make_key(&k, prefix, plen);

	if (ret < 0)
		return ret;
	if (slot > LNS_NH_MAX_SLOTS)
		return -ERANGE;
	if (rte_hash_lookup(f->pfx, &k) >= 0)
		return -EEXIST;
	/* A configured route equal to it, or inside it, would lose to it: refused; so is a
	 * pool's prefix inside it (its free prefixes would be this session's). A pool's prefix
	 * equal to it is a pool of such prefixes: this one is the session's to hold. */
	same = rte_rib6_lookup_exact(rib, k.a, plen);
	if ((same != NULL && (rte_rib6_get_nh(same, &nh) < 0 || nh != LNS_NH6_POOL)) ||
	    rte_rib6_get_nxt(rib, k.a, plen, NULL, RTE_RIB6_GET_NXT_ALL) != NULL)
		return -EEXIST;
	/* Exactly the configured room: the hash's own spare keys are for its cuckoo moves and
	 * for deleted keys waiting out their grace period, not for more prefixes. */
	if (f->n_pfx >= f->max_pfx)
		return -ENOSPC;
	if (f->n_len[plen]++ == 0)
		len_bit(f, plen, true); /* before the key: a reader that sees the key probes */
	ret = rte_hash_add_key_data(f->pfx, &k, (void *)(uintptr_t)(LNS_NH_SESSION | slot));
	if (ret < 0) {
		if (--f->n_len[plen] == 0)
			len_bit(f, plen, false);
		return ret;
	}
	f->n_pfx++;
	return 0;
}

int lns_fib6_del_session_route(struct lns_fib6 *f, const uint8_t prefix[16], uint8_t plen)
{
	struct lns_fib6_key k;
	int ret = make_key(&k, prefix, plen);

	if (ret < 0)
		return ret;
	ret = rte_hash_del_key(f->pfx, &k); /* its slot is reused after a grace period */
	if (ret < 0)
		return ret;
	if (--f->n_len[plen] == 0)
		len_bit(f, plen, false);
	f->n_pfx--;
	return 0;
}

/* Up to 64 at a time (RTE_HASH_LOOKUP_BULK_MAX): the addresses todo[] of ADDRS masked to
 * PLEN looked up at once; the found ones' answers into NH, the rest kept in todo[]. */
static unsigned hash_bulk(const struct lns_fib6 *f, const uint8_t *const *addrs, unsigned plen,
			  uint16_t *todo, unsigned n, uint32_t *nh)
{
	struct lns_fib6_key k[RTE_HASH_LOOKUP_BULK_MAX]; /* each 8-aligned: dp/fib6.h */
	const void *kp[RTE_HASH_LOOKUP_BULK_MAX];
	void *data[RTE_HASH_LOOKUP_BULK_MAX];
	unsigned left = 0;

	for (unsigned at = 0; at < n; at += RTE_HASH_LOOKUP_BULK_MAX) {
		unsigned cnt = RTE_MIN(n - at, (unsigned)RTE_HASH_LOOKUP_BULK_MAX);
		uint64_t hit = 0;

		for (unsigned j = 0; j < cnt; j++) {
			memcpy(k[j].a, addrs[todo[at + j]], 16);
			k[j].plen = plen;
			lns_prefix6_mask(k[j].a, plen);
			kp[j] = &k[j];
		}
		if (rte_hash_lookup_bulk_data(f->pfx, kp, cnt, &hit, data) < 0)
			hit = 0;
		for (unsigned j = 0; j < cnt; j++) {
			if (hit & (UINT64_C(1) << j))
				nh[todo[at + j]] = (uint32_t)(uintptr_t)data[j];
			else
				todo[left++] = todo[at + j];
		}
	}
	return left;
}

void lns_fib6_lookup_burst(const struct lns_fib6 *f, const uint8_t *const *addrs, unsigned n,
			   uint32_t *nh)
{
	uint16_t todo[n];
	unsigned left = n;

	for (unsigned i = 0; i < n; i++) {
		todo[i] = (uint16_t)i;
		nh[i] = LNS_FIB6_NO_ROUTE;
	}
	for (int w = 2; w >= 0 && left; w--) {
		uint64_t bits = __atomic_load_n(&f->lens[w], __ATOMIC_ACQUIRE);

		while (bits && left) {
			unsigned b = 63 - (unsigned)__builtin_clzll(bits);

			bits &= ~(UINT64_C(1) << b);
			left = hash_bulk(f, addrs, (unsigned)w * 64 + b, todo, left, nh);
		}
	}
	/* No subscriber prefix: the trie, whose two reserved values mean no route. */
	for (unsigned at = 0; at < left; at += RTE_HASH_LOOKUP_BULK_MAX) {
		unsigned cnt = RTE_MIN(left - at, (unsigned)RTE_HASH_LOOKUP_BULK_MAX);
		uint8_t ip[RTE_HASH_LOOKUP_BULK_MAX][RTE_FIB6_IPV6_ADDR_SIZE];
		uint64_t v[RTE_HASH_LOOKUP_BULK_MAX];

		for (unsigned j = 0; j < cnt; j++)
			memcpy(ip[j], addrs[todo[at + j]], 16);
		if (rte_fib6_lookup_bulk(f->routes, ip, v, (int)cnt) < 0)
			continue;
		for (unsigned j = 0; j < cnt; j++)
			if (v[j] < LNS_NH6_POOL)
				nh[todo[at + j]] = (uint32_t)v[j];
	}
}

const struct lns_nexthop6 *lns_fib6_nexthop(const struct lns_fib6 *f, uint32_t nh)
{
	return nh < f->n_nh ? &f->nh[nh] : NULL;
}

void lns_fib6_gateway_mac(struct lns_fib6 *f, unsigned port, const uint8_t gw[16],
			  const struct rte_ether_addr *mac)
{
	static const uint8_t zero[16];
	uint64_t v = mac ? lns_mac64(mac) : 0;

	if (memcmp(gw, zero, 16) == 0)
		return;
	for (uint32_t i = 0; i < f->n_nh; i++)
		if (f->nh[i].port == port && memcmp(f->nh[i].gw, gw, 16) == 0)
			__atomic_store_n(&f->nh[i].mac, v, __ATOMIC_RELEASE);
}
