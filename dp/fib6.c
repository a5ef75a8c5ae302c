/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 FIB (see dp/fib6.h). Writer: the control lcore (subscriber prefixes)
 * and start-up (routes). Readers: workers, lock-free; the prefix hash's
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

/* Configured routes are few; a tbl8 group is 1 KiB (256 four-octet next hops). */
#define ROUTE_TBL8 256

struct lns_fib6 *lns_fib6_create(const char *name, uint32_t max_prefixes, uint32_t max_routes,
				 struct rte_rcu_qsbr *qsbr)
{
	char n[32]; /* rte_fib6 and rte_hash derive ring and mempool names: short */
	struct rte_fib6_conf c = {
		.type = RTE_FIB6_TRIE,
		.default_nh = LNS_NH6_NONE,
		.max_routes = (int)max_routes,
		.trie = {.nh_sz = RTE_FIB6_TRIE_2B,
			 .num_tbl8 = ROUTE_TBL8}, /* route indexes: 2 B do */
	};
	struct rte_hash_parameters hp = {
		.name = n,
		/* A cuckoo table fills before 100 %: room to spare, and an extendable bucket
		 * table, so that max_prefixes always fit (as the session table). */
		.entries = max_prefixes + max_prefixes / 8 + 64,
		.key_len = sizeof(struct lns_fib6_key),
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
	struct lns_fib6_key k;
	int ret = make_key(&k, prefix, plen);

	if (ret < 0)
		return ret;
	if (slot > LNS_NH_MAX_SLOTS)
		return -ERANGE;
	if (rte_hash_lookup(f->pfx, &k) >= 0)
		return -EEXIST;
	/* A configured route equal to it, or inside it, would lose to it: refused. */
	if (rte_rib6_lookup_exact(rib, k.a, plen) != NULL ||
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
